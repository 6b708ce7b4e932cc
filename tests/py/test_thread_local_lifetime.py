# threading.local lifetimes: a local that dies releases the dicts of every
# thread, even of threads still running; a thread that ends releases its
# dicts of every local; a new local (often at a dead one's address) starts
# empty in every thread; a cycle through a local is collected; a
# subclass's __init__ runs once per thread and again after it failed;
# many locals used in turn by one thread keep their own values.
import gc
import threading
import time

# A first thread, before any local exists: in the nogil builds the first
# thread start makes the locals then in module namespaces live until exit
# (shared, like functions); these tests are about the locals made later.
t = threading.Thread(target=lambda: None)
t.start()
t.join()

freed = []


class Tracked:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        freed.append(self.name)


# -- a dying local releases the dict of a thread that still runs
loc = threading.local()
loc.v = Tracked("main")
ready = threading.Event()
go_on = threading.Event()
after = []


def holder():
    loc.v = Tracked("worker")
    ready.set()
    go_on.wait()
    # a value is freed by the thread that made it: under biased reference
    # counts (nogil) the last decref by another thread hands it back, and
    # this thread frees it at its next check (as CPython 3.13t does)
    for _ in range(2000):
        if "worker" in freed:
            break
        time.sleep(0.001)
    after.append(sorted(freed))


t = threading.Thread(target=holder)
t.start()
ready.wait()
del loc
print("local died:", "main" in freed)
go_on.set()
t.join()
print("worker saw:", after)
freed.clear()

# -- a thread's end releases its dict in each of several locals
locs = [threading.local() for _ in range(3)]


def fill():
    for i, l in enumerate(locs):
        l.v = Tracked("t%d" % i)
    print("filled:", [l.v.name for l in locs])


t = threading.Thread(target=fill)
t.start()
t.join()
print("thread ended:", sorted(freed), [hasattr(l, "v") for l in locs])
freed.clear()

# -- new locals start empty, in the main thread and in another one
def fresh(tag):
    stale = 0
    for i in range(200):
        l = threading.local()
        if hasattr(l, "x"):
            stale += 1
        l.x = i
        if l.x != i:
            stale += 1
        del l
    print(tag, "stale values:", stale)


fresh("main")
t = threading.Thread(target=fresh, args=("worker",))
t.start()
t.join()

# -- a cycle through a local (and through a thread's dict) is collected
cyc = threading.local()
cyc.me = cyc
cyc.v = Tracked("cycle-main")
t = threading.Thread(target=lambda: setattr(cyc, "w", (cyc, Tracked("cycle-dead-thread"))))
t.start()
t.join()
del cyc
gc.collect()
print("cycle:", sorted(freed))
freed.clear()

# -- a subclass's __init__: once per thread, again after it failed
calls = []


class Once(threading.local):
    def __init__(self, fail_first):
        calls.append(threading.current_thread().name)
        if fail_first and len(calls) == 2:
            raise ValueError("init failed")
        self.n = len(calls)


o = Once(True)


def use():
    try:
        o.n
    except ValueError as e:
        print("first use:", e)
    print("second use:", o.n, o.n)


t = threading.Thread(target=use, name="w1")
t.start()
t.join()
print("main keeps:", o.n, calls)

# -- many locals in turn in one thread (more than any small cache)
many = [threading.local() for _ in range(100)]


def rotate():
    for i, l in enumerate(many):
        l.i = i
    ok = True
    for _ in range(3):
        for i, l in enumerate(many):
            if l.i != i:
                ok = False
    print("rotate ok:", ok)


t = threading.Thread(target=rotate)
t.start()
t.join()
print("main sees none:", sum(hasattr(l, "i") for l in many))
