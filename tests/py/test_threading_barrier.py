# Barrier: every party gets a distinct index, the action runs once per
# round, rounds repeat, abort and timeouts break it (BrokenBarrierError),
# reset repairs it; parties, n_waiting, broken.
import threading

N = 4
rounds = []
b = threading.Barrier(N, action=lambda: rounds.append("trip"))
got = []
lock = threading.Lock()


def party():
    for r in range(3):
        i = b.wait()
        with lock:
            got.append((r, i))


ts = [threading.Thread(target=party) for _ in range(N)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(rounds), sorted(got))
print(b.parties, b.n_waiting, b.broken)

b2 = threading.Barrier(2, timeout=0.05)
try:
    b2.wait()
except threading.BrokenBarrierError:
    print("broken by timeout", b2.broken)
try:
    b2.wait()
except threading.BrokenBarrierError:
    print("still broken")
b2.reset()
print(b2.broken)

b3 = threading.Barrier(3)
errors = []


def waiter():
    try:
        b3.wait()
    except threading.BrokenBarrierError:
        errors.append("broken")


w = threading.Thread(target=waiter)
w.start()
while b3.n_waiting == 0:
    threading.Event().wait(0.001)
print(b3.n_waiting)
b3.abort()
w.join()
print(errors, b3.broken, issubclass(threading.BrokenBarrierError, RuntimeError))
