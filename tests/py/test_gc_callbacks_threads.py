# Automatic collections triggered by several threads making cycles call
# gc.callbacks on the collecting thread: every "start" has its "stop",
# and the cycles are all freed (each __del__ once).
import gc
import threading

class Node:
    pass

class Fin:
    count = 0
    lock = threading.Lock()
    def __del__(self):
        with Fin.lock:
            Fin.count += 1

counts = {"start": 0, "stop": 0}
lock = threading.Lock()

def cb(phase, info):
    with lock:
        counts[phase] += 1

gc.callbacks.append(cb)

def work():
    for i in range(10000):
        n = Node()
        n.me = n
    for i in range(100):
        f = Fin()
        f.me = f

threads = [threading.Thread(target=work) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
gc.collect()
gc.callbacks.remove(cb)
print("paired", counts["start"] == counts["stop"], counts["start"] >= 1)
print("finalized", Fin.count)
