# _thread.allocate_lock and threading.Lock: a counter guarded by a lock
# is exact under 4 threads; acquire with timeouts and non-blocking,
# locked(), the context manager, and CPython's errors.
import threading
import _thread

counter = 0
lock = threading.Lock()


def add(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1


ts = [threading.Thread(target=add, args=(10000,)) for _ in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(counter)

l = _thread.allocate_lock()
print(l.locked(), l.acquire(), l.locked())
print(l.acquire(False), l.acquire(blocking=False), l.acquire(timeout=0.05))
print(l.acquire(True, 0.01), l.acquire(timeout=0))

# another thread's wait times out while we hold the lock
got = []
t = threading.Thread(target=lambda: got.append(l.acquire(timeout=0.05)))
t.start()
t.join()
print(got)
l.release()
print(l.locked())

# a lock may be released by another thread
l.acquire()
t = threading.Thread(target=l.release)
t.start()
t.join()
print(l.locked())

with l:
    print("inside", l.locked())
print("after", l.locked())

for call in [lambda: l.release(),
             lambda: l.acquire(False, 1),
             lambda: l.acquire(timeout=-5),
             lambda: l.acquire(timeout="x"),
             lambda: _thread.LockType()]:
    try:
        call()
    except Exception as e:
        print(type(e).__name__ + ":", e)
print(l.acquire(timeout=-1), l.locked())
l.release()
