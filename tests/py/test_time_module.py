# time module: time()/monotonic() relations only (never printed values), sleep duration lower bound, types
import time
t0 = time.time()
m0 = time.monotonic()
print(type(t0).__name__, type(m0).__name__)
print(t0 > 1.6e9, m0 >= 0 or m0 < 0)
time.sleep(0.05)
t1 = time.time()
m1 = time.monotonic()
print(m1 - m0 >= 0.045, t1 >= t0)
print(m1 - m0 < 5.0)
time.sleep(0)
print(time.monotonic() >= m1)
vals = [time.monotonic() for _ in range(1000)]
print(all(a <= b for a, b in zip(vals, vals[1:])))
start = time.monotonic()
total = 0
for i in range(100000):
    total += i
elapsed = time.monotonic() - start
print(total, elapsed >= 0)
try:
    time.sleep(-1)
except ValueError as e:
    print(e)
try:
    time.sleep("1")
except TypeError as e:
    print(type(e).__name__)
deadline = time.monotonic() + 0.02
spins = 0
while time.monotonic() < deadline:
    spins += 1
print(spins > 0)
print(callable(time.time), callable(time.monotonic), callable(time.sleep))
print(abs(time.time() - t1) < 60)
