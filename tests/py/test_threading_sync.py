# Event and Condition: a producer/consumer pair through a Condition,
# wait_for with a predicate, Event set/clear/wait with timeouts,
# notify/wait without the lock: CPython's RuntimeErrors.
import threading

cond = threading.Condition()
items = []
consumed = []
DONE = object()


def consumer():
    while True:
        with cond:
            cond.wait_for(lambda: items)
            item = items.pop(0)
        if item is DONE:
            break
        consumed.append(item * item)


c = threading.Thread(target=consumer)
c.start()
for i in range(50):
    with cond:
        items.append(i)
        cond.notify()
with cond:
    items.append(DONE)
    cond.notify_all()
c.join()
print(len(consumed), sum(consumed))

ev = threading.Event()
print(ev.is_set(), ev.wait(0.01))
waiters = []


def waiter(i):
    waiters.append((i, ev.wait(5)))


ws = [threading.Thread(target=waiter, args=(i,)) for i in range(3)]
for w in ws:
    w.start()
ev.set()
for w in ws:
    w.join()
print(sorted(waiters), ev.is_set(), ev.wait())
ev.clear()
print(ev.is_set(), ev.wait(0))

c2 = threading.Condition(threading.Lock())
with c2:
    print(c2.wait(0.01), c2.wait_for(lambda: 42, 0.01), c2.wait_for(lambda: 0, 0.01))
for call in [c2.wait, c2.notify, c2.notify_all]:
    try:
        call()
    except RuntimeError as e:
        print("RuntimeError:", e)

# notify(n) wakes exactly n of the waiters
c3 = threading.Condition()
woken = []
ready = threading.Semaphore(0)


def sleeper(i):
    with c3:
        ready.release()
        if c3.wait(2):
            woken.append(i)


ss = [threading.Thread(target=sleeper, args=(i,)) for i in range(4)]
for s in ss:
    s.start()
for _ in ss:
    ready.acquire()
with c3:
    c3.notify(2)
with c3:
    pass
with c3:
    c3.notify_all()
for s in ss:
    s.join()
print(len(woken))
