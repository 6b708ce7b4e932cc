# time: the clocks (time, time_ns, monotonic, perf_counter, process_time,
# thread_time and their _ns forms) move forward and agree with each other;
# sleep waits at least as long as asked; argument errors.
import time

t1, n1 = time.time(), time.time_ns()
print(type(t1).__name__, type(n1).__name__, t1 > 1.6e9, abs(n1 / 1e9 - t1) < 5)
for name in ('monotonic', 'perf_counter', 'process_time', 'thread_time'):
    f = getattr(time, name)
    fns = getattr(time, name + '_ns')
    a, ans = f(), fns()
    x = 0
    for i in range(20000):
        x += i
    b, bns = f(), fns()
    print(name, type(a).__name__, type(ans).__name__, b >= a, bns >= ans, abs(bns / 1e9 - b) < 5)

m0 = time.monotonic()
p0 = time.perf_counter_ns()
time.sleep(0.05)
print(time.monotonic() - m0 >= 0.045, time.perf_counter_ns() - p0 >= 45_000_000)
time.sleep(0)
time.sleep(False)
for bad in (-1, 'x', float('nan'), None):
    try:
        time.sleep(bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
try:
    time.time(1)
except TypeError as e:
    print('TypeError', e)
for call in (lambda: time.sleep(), lambda: time.sleep(1, 2), lambda: time.monotonic_ns(3),
             lambda: time.mktime(), lambda: time.strftime(), lambda: time.ctime(1, 2)):
    try:
        call()
    except TypeError as e:
        print('TypeError', e)
