# The interpreter under threads: each thread has its own exception state
# (sys.exc_info), recursion depth and frames; shared lists, dicts and sets
# mutated from several threads keep every item; generators and closures
# run in threads; an import from threads gives one module.
import sys
import threading

N = 4
out = {}
lock = threading.Lock()


def deep(n):
    return 0 if n == 0 else 1 + deep(n - 1)


def worker(i):
    try:
        raise KeyError(i)
    except KeyError:
        # another thread's exception never shows here
        threading.Event().wait(0.002)
        mine = sys.exc_info()[1].args[0]
    try:
        deep(5000)
        rec = "no error"
    except RecursionError:
        rec = "RecursionError"
    gen = (x * i for x in range(100))
    total = sum(gen)
    with lock:
        out[i] = (mine, deep(500), rec, total, sys.exc_info()[0])


ts = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
for t in ts:
    t.start()
for t in ts:
    t.join()
for i in sorted(out):
    print(i, out[i])

shared_list = []
shared_dict = {}
shared_set = set()


def fill(k):
    for j in range(2000):
        shared_list.append((k, j))
        shared_dict[(k, j)] = j
        shared_set.add(k * 10000 + j)


ts = [threading.Thread(target=fill, args=(k,)) for k in range(N)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(shared_list), len(shared_dict), len(shared_set))
print(sorted(shared_list) == sorted((k, j) for k in range(N) for j in range(2000)))

mods = []


def imp():
    import queue
    mods.append(queue)


ts = [threading.Thread(target=imp) for _ in range(N)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(mods), all(m is mods[0] for m in mods), hasattr(mods[0], "Queue"))


class Box:
    count = 0


def bump():
    for _ in range(500):
        with lock:
            Box.count += 1


ts = [threading.Thread(target=bump) for _ in range(N)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(Box.count)
