# RLock: reentry by its owner, release counts, _is_owned, another thread
# blocks until the owner has released every level; CPython's errors.
import threading
import _thread

r = threading.RLock()
print(type(r).__name__)
print(r.acquire(), r.acquire(), r.acquire(blocking=False))
print(r._is_owned())

other = []


def try_take():
    other.append(r.acquire(timeout=0.02))
    other.append(r._is_owned())
    try:
        r.release()
    except RuntimeError as e:
        other.append(str(e))


t = threading.Thread(target=try_take)
t.start()
t.join()
print(other)
r.release()
r.release()
print(r._is_owned())
r.release()
print(r._is_owned())
try:
    r.release()
except RuntimeError as e:
    print("RuntimeError:", e)

with r:
    with r:
        print("nested", r._is_owned())
print(r._is_owned())

# an RLock guarding a counter from 4 threads, taken twice each time
total = [0]


def bump():
    for _ in range(2000):
        with r:
            with r:
                total[0] += 1


ts = [threading.Thread(target=bump) for _ in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(total[0])
print(isinstance(_thread.RLock(), _thread.RLock))
