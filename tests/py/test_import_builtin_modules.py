# built-in modules: sys, math, time imported several ways; module attributes and types
import sys
import math
import time
print(type(sys).__name__, sys.__name__, math.__name__, time.__name__)
print(type(sys.argv).__name__, len(sys.argv) >= 1, sys.argv[0].endswith("test_import_builtin_modules.py"))
print(sys.maxsize, sys.maxsize == 2 ** 63 - 1)
print(sys.getrecursionlimit() > 0)
print(callable(sys.exit), callable(sys.stdout.write))
print(math.pi, math.e)
print(math.sqrt(2), math.floor(-1.5), math.ceil(-1.5))
print(math.inf, -math.inf, math.isnan(math.nan))
t0 = time.time()
m0 = time.monotonic()
time.sleep(0.01)
print(time.time() >= t0, time.monotonic() > m0)
print(type(t0).__name__, t0 > 1600000000)
from math import gcd, factorial
print(gcd(12, 18), factorial(10))
import math as m2
print(m2 is math)
def local():
    import sys
    return sys.maxsize
print(local() == sys.maxsize)
import sys as sys2, math as math2
print(sys2 is sys, math2 is math)
sys.stdout.write("written with sys.stdout.write\n")
n = sys.stdout.write("abc\n")
print(n)
print(hasattr(math, "tau"), math.tau == 2 * math.pi)
