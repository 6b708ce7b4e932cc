# memory_profiler.memory_usage: samples of this process or of a call, max_usage,
# retval; LineProfiler used directly with show_results.
from memory_profiler import memory_usage, LineProfiler, show_results
import memory_profiler

def work(n, k=1):
    data = [k] * n
    return len(data)

m = memory_usage(-1, interval=0.01)
print(type(m).__name__, len(m), m[0] > 0)
m = memory_usage((work, (10**6,), {'k': 2}), interval=0.01)
print(type(m).__name__, len(m) >= 2, all(x > 0 for x in m))
peak = memory_usage((work, (4 * 10**6,)), max_usage=True)
print(type(peak).__name__, peak > 0)
m, ret = memory_usage((work, (100,)), retval=True)
print(ret, len(m) >= 2)
peak, ret = memory_usage((work, (10,)), max_usage=True, retval=True)
print(type(peak).__name__, ret)
print(type(memory_usage(-1, max_usage=True)).__name__)
print(memory_profiler.choose_backend(), memory_profiler.__version__)

class Cap:
    def __init__(self):
        self.t = []
    def write(self, s):
        self.t.append(s)

def h(n):
    s = 0
    for i in range(n):
        s += i
    return s

prof = LineProfiler()
wrapped = prof(h)
print(wrapped(4), wrapped(3))
cap = Cap()
show_results(prof, stream=cap, precision=2)
rows = ''.join(cap.t).split('\n')
print(rows[2])
for row in rows[4:]:
    if row.strip():
        print(int(row[:6]), row[32:44].strip(), repr(row[47:]), row[6:19].strip().endswith('MiB'))
