# float arithmetic: basic ops, mixed int/float, true division, floor division/modulo of floats, precision
a, b = 7.5, 2.0
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** b, -a)
print(1 + 2.0, 3 * 0.5, 10 / 4, 10 // 4.0, 2 ** 0.5, 2 ** -1.0)
print(0.1 + 0.2, 0.3 - 0.1, 0.1 * 0.1, 1.0 - 0.9)
print(1e308 * 10, -1e308 * 10, 1e-308 / 1e10, 5e-324 / 2)
inf = float("inf")
nan = float("nan")
print(inf + 1, inf - inf, inf * 0, inf / inf, -inf * -1, inf > 1e308)
print(nan + 1, nan == nan, nan != nan, nan < 1, max(1.0, 2.0), min(-0.0, 0.0))
print(abs(-3.5), abs(-0.0), divmod(7.5, 2), divmod(-7.5, 2), divmod(7.5, -2))
print(-7.0 % 3, 7.0 % -3, -0.0 % 5, 5.5 % 0.5, 1e20 % 3)
print(3.0 // 0.1, 3.0 % 0.1, 1.0 // 0.1)
try:
    1.0 / 0
except ZeroDivisionError as e:
    print(e)
try:
    1.0 // 0.0
except ZeroDivisionError as e:
    print(e)
try:
    1.0 % 0.0
except ZeroDivisionError as e:
    print(e)
try:
    0.0 ** -1
except ZeroDivisionError as e:
    print(e)
try:
    2.0 ** 10000
except OverflowError as e:
    print(e)
print((-8.0) ** 2, (-2.0) ** 3, 4.0 ** 0.5, 0.0 ** 0.0, 1.0 ** inf)
total = 0.0
for i in range(1000):
    total += 0.001
print(total, round(total, 6))
s = 0.0
for k in range(1, 10001):
    s += 1.0 / (k * k)
print(s)
print(sum([0.1] * 10), 0.1 * 10)
x = 1.0
for _ in range(60):
    x /= 2
print(x, x * 2 ** 60)
print(1.5 == 3 / 2, 0.5 + 0.25 == 0.75, 2.0 * 3 == 6)
print(type(1 + 1.0).__name__, type(4 / 2).__name__, type(True + 0.5).__name__)
