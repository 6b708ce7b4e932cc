# queue between threads: producers and consumers through a bounded
# Queue, task_done/join, every item processed exactly once; a
# PriorityQueue drained by workers.
import queue
import threading

q = queue.Queue(maxsize=5)
results = []
lock = threading.Lock()


def consumer():
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            return
        with lock:
            results.append(item * 3)
        q.task_done()


def producer(start):
    for i in range(start, start + 100):
        q.put(i)


cs = [threading.Thread(target=consumer) for _ in range(3)]
ps = [threading.Thread(target=producer, args=(k * 100,)) for k in range(4)]
for t in cs + ps:
    t.start()
for p in ps:
    p.join()
q.join()
print(len(results), sum(results), sorted(results) == [3 * i for i in range(400)])
for _ in cs:
    q.put(None)
for c in cs:
    c.join()
print(q.empty(), q.unfinished_tasks)

pq = queue.PriorityQueue()
for i in reversed(range(50)):
    pq.put((i % 5, i))
order = []


def drain():
    while True:
        try:
            order.append(pq.get_nowait())
        except queue.Empty:
            return


ws = [threading.Thread(target=drain) for _ in range(2)]
for w in ws:
    w.start()
for w in ws:
    w.join()
print(len(order), sorted(order) == sorted((i % 5, i) for i in range(50)))

# get with a timeout wakes up when an item arrives from another thread
q2 = queue.Queue()
got = []
t = threading.Thread(target=lambda: got.append(q2.get(timeout=5)))
t.start()
q2.put("late")
t.join()
print(got)
