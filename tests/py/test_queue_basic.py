# queue: FIFO, LIFO and priority order, maxsize with Full, Empty on an
# empty queue, timeouts, nowait variants, qsize/empty/full, task_done
# errors, SimpleQueue.
import queue

q = queue.Queue()
for i in range(5):
    q.put(i)
print(q.qsize(), q.empty(), q.full(), [q.get() for _ in range(5)], q.empty())

lq = queue.LifoQueue()
for i in "abc":
    lq.put(i)
print([lq.get() for _ in range(3)])

pq = queue.PriorityQueue()
for item in [(3, "c"), (1, "a"), (2, "b"), (1, "a2"), (5, "e"), (0, "z")]:
    pq.put(item)
print([pq.get() for _ in range(6)])
data = [9, 4, 7, 1, 8, 2, 6, 3, 5, 0, 4, 4]
for x in data:
    pq.put_nowait(x)
print([pq.get_nowait() for _ in data] == sorted(data))

small = queue.Queue(maxsize=2)
small.put(1)
small.put_nowait(2)
print(small.full(), small.qsize())
for call in [lambda: small.put_nowait(3), lambda: small.put(3, timeout=0.01),
             lambda: small.put(3, block=False)]:
    try:
        call()
    except queue.Full:
        print("Full")
print(small.get(), small.get())
for call in [small.get_nowait, lambda: small.get(timeout=0.01),
             lambda: small.get(False)]:
    try:
        call()
    except queue.Empty:
        print("Empty")
try:
    small.get(timeout=-1)
except ValueError as e:
    print("ValueError:", e)

tq = queue.Queue()
tq.put("x")
tq.get()
tq.task_done()
try:
    tq.task_done()
except ValueError as e:
    print("ValueError:", e)
tq.join()
print(tq.unfinished_tasks)

sq = queue.SimpleQueue()
sq.put(1)
sq.put_nowait(2)
print(sq.qsize(), sq.get(), sq.get_nowait(), sq.empty())
try:
    sq.get(timeout=0.01)
except queue.Empty:
    print("Empty")
print(issubclass(queue.Empty, Exception), issubclass(queue.Full, Exception))

# many items through a FIFO queue keep their order
big = queue.Queue()
for i in range(1000):
    big.put(i)
print([big.get() for _ in range(1000)] == list(range(1000)))
