# Checks class attributes and methods that one thread keeps replacing (a
# new object each time) while other threads read and call them: every
# value read is one the writer assigned, never older than one read before
# (per reader), and never a freed object. (nogil: a replaced value must
# outlive the readers that found it through their attribute caches.)
import threading

N_WRITES, N_READERS = 3000, 3


class Box:
    def __init__(self, n):
        self.n = n
        self.tag = "box"


class C:
    val = Box(-1)

    def meth(self):
        return -1


done = threading.Event()
results = []


def writer():
    for i in range(N_WRITES):
        C.val = Box(i)

        def meth(self, i=i):
            return i

        C.meth = meth
        if i % 500 == 0:
            del C.val          # a removal too: readers fall back to...
            C.val = Box(i)     # ...nothing for an instant, then a new one
    done.set()


def reader():
    c = C()
    last_v = last_m = -1
    ok = reads = 0
    while not done.is_set() or reads < 1000:
        b = getattr(C, "val", None)
        if b is not None:
            v = b.n
            ok += type(b) is Box and b.tag == "box" and last_v <= v < N_WRITES
            last_v = v
        else:
            ok += 1
        m = c.meth()
        ok += last_m <= m < N_WRITES
        last_m = m
        reads += 1
    results.append(ok == 2 * reads)


threads = [threading.Thread(target=reader) for _ in range(N_READERS)]
threads.append(threading.Thread(target=writer))
for t in threads:
    t.start()
for t in threads:
    t.join()
print(results == [True] * N_READERS)
print(C.val.n == N_WRITES - 1, C().meth() == N_WRITES - 1)
del C.val
print(hasattr(C, "val"))
try:
    del C.val
except AttributeError as e:
    print("AttributeError:", e)
