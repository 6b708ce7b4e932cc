# tracemalloc with threads: blocks allocated by several threads at once are
# traced with each thread's own Python call chain; the totals add up and
# the snapshot's 'lineno' statistics put the threads' line on top.
import threading
import tracemalloc

tracemalloc.start(3)
results = [None] * 4


def chunk(i):
    return [bytes(200 + i) for _ in range(2000)]


def work(i):
    results[i] = chunk(i)


threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()

for r in results:
    tb = tracemalloc.get_object_traceback(r[-1])
    print([f.lineno for f in tb])
snap = tracemalloc.take_snapshot()
top = snap.statistics('lineno')[0]
print(top.traceback[0].filename == __file__, top.traceback[0].lineno)
print(top.count >= 8000, top.size >= 8000 * 200)
by_tb = [s for s in snap.statistics('traceback') if s.traceback[-1].lineno == 12]
print(len(by_tb) >= 1, sum(s.count for s in by_tb) >= 8000)
cur, peak = tracemalloc.get_traced_memory()
print(cur >= 8000 * 200, peak >= cur)
tracemalloc.stop()
print(tracemalloc.get_traced_memory())
