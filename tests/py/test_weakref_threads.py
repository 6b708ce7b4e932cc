# Checks weak references under threads: several threads weakly reference
# (ref and proxy) the same live objects at once and read them back; the
# shared basic refs stay correct, and all die with their referents.
import threading
import weakref


class Obj:
    def __init__(self, n):
        self.n = n


N_THREADS = 4
shared = [Obj(i) for i in range(20)]
results = []
callbacks = []


def taker(t):
    ok = True
    for _ in range(20):
        for o in shared:
            r = weakref.ref(o)
            p = weakref.proxy(o)
            ok = ok and r() is o and p.n == o.n and r == weakref.ref(o)
    # refs with callbacks that outlive this thread
    for o in shared:
        keep.append(weakref.ref(o, lambda w: callbacks.append(1)))
    results.append(ok)


keep = []
threads = [threading.Thread(target=taker, args=(t,)) for t in range(N_THREADS)]
for th in threads:
    th.start()
for th in threads:
    th.join()
print(results == [True] * N_THREADS)
# only the refs kept in `keep` remain
print([weakref.getweakrefcount(o) for o in shared] == [N_THREADS] * 20)
basic = [weakref.ref(o) for o in shared]
del shared, o
print(all(r() is None for r in basic), len(callbacks) == 20 * N_THREADS)
