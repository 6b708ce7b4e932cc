# Checks weak references under threads: objects made in one thread die in
# another (their callbacks run there), threads weakly reference the same
# objects at once, and a shared WeakValueDictionary loses every entry.
import threading
import weakref


class Obj:
    def __init__(self, n):
        self.n = n


N_THREADS, PER_THREAD = 4, 150
cache = weakref.WeakValueDictionary()
fired = []              # list.append is atomic
handoff = [[] for _ in range(N_THREADS)]
refs = [[] for _ in range(N_THREADS)]
made = threading.Barrier(N_THREADS)


def worker(t):
    mine = [Obj(t * 1000 + i) for i in range(PER_THREAD)]
    for o in mine:
        cache[o.n] = o
        refs[t].append(weakref.ref(o, lambda w: fired.append(1)))
    handoff[t] = mine
    del mine, o
    made.wait()
    # drop the objects another thread made: their callbacks run here
    victim = (t + 1) % N_THREADS
    handoff[victim] = None


threads = [threading.Thread(target=worker, args=(t,)) for t in range(N_THREADS)]
for th in threads:
    th.start()
for th in threads:
    th.join()
total = N_THREADS * PER_THREAD
print(len(fired) == total, len(cache), all(r() is None for rs in refs for r in rs))

# many threads take weak references to the same live objects at once
shared = [Obj(i) for i in range(20)]
results = []


def taker():
    local = []
    for _ in range(20):
        for o in shared:
            r = weakref.ref(o)
            p = weakref.proxy(o)
            local.append(r() is o and p.n == o.n)
    results.append(all(local))


threads = [threading.Thread(target=taker) for _ in range(N_THREADS)]
for th in threads:
    th.start()
for th in threads:
    th.join()
print(results == [True] * N_THREADS, [weakref.getweakrefcount(o) for o in shared] == [0] * 20)
basic = [weakref.ref(o) for o in shared]
del shared
print(all(r() is None for r in basic))
