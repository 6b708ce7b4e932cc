# Semaphore limits how many threads are inside at once; BoundedSemaphore
# refuses a release past its initial value; non-blocking and timed
# acquires; CPython's ValueErrors.
import threading
import time

sem = threading.Semaphore(2)
inside = [0]
peak = [0]
lock = threading.Lock()


def limited():
    with sem:
        with lock:
            inside[0] += 1
            peak[0] = max(peak[0], inside[0])
        time.sleep(0.005)
        with lock:
            inside[0] -= 1


ts = [threading.Thread(target=limited) for _ in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(peak[0] <= 2, peak[0] >= 1, inside[0])

s = threading.Semaphore(1)
print(s.acquire(), s.acquire(blocking=False), s.acquire(timeout=0.02))
s.release(2)
print(s.acquire(False), s.acquire(False), s.acquire(False))

b = threading.BoundedSemaphore(2)
b.acquire()
b.release()
try:
    b.release()
except ValueError as e:
    print("ValueError:", e)

for call in [lambda: threading.Semaphore(-1), lambda: s.release(0),
             lambda: s.acquire(False, 1)]:
    try:
        call()
    except ValueError as e:
        print("ValueError:", e)

# a waiting thread is woken by a release from another thread
s0 = threading.Semaphore(0)
got = []
t = threading.Thread(target=lambda: got.append(s0.acquire(timeout=5)))
t.start()
s0.release()
t.join()
print(got)
