# Arithmetic fast paths of the loop: int/float results written into
# temporaries, mixed int/float, true division, powers, subscripts of
# exact lists/tuples/dicts and their errors, str equality, int truth.
import sys
a = 10**15
b = a + 1
c = (a + 1) + 2
print(a, b, c)
x = 1.5
y = x * 2.0
z = (x + 1.0) * (y - 0.5)
print(x, y, z)
l = [1.0, 2.0]
l[0] = l[0] + l[1] * 3
print(l)
t = (a * 3 - 7) // 2
print(t, t % 7, -t % 7, t // -3)
print(7 / 2, -7 / 2, 2**53 / 3, (2**53 + 1) / 3, 1 / 3)
print(2 ** 10, 3 ** 40, 3 ** 41, (-3) ** 41, 2 ** 62, 2 ** 63, 2 ** 64, 0 ** 0, 5 ** 0)
print(2.0 ** -1.5, 2 ** 0.5, 10.0 ** 300, 0.5 ** 2000)
try:
    print(10.0 ** 400)
except OverflowError as e:
    print("OverflowError", e)
print((-2.0) ** 2, 0.0 ** 2.0, 2.0 ** 0.0)
try:
    0.0 ** -1
except ZeroDivisionError as e:
    print("ZDE", e)
print(1 + 2.5, 2.5 + 1, 3 * 0.5, 1 - 0.25, 7 / 2.0, 2 ** 2.5)
try:
    1 / 0
except ZeroDivisionError as e:
    print(e)
try:
    1.0 / 0
except ZeroDivisionError as e:
    print(e)
try:
    1 / 0.0
except ZeroDivisionError as e:
    print(e)
big = 2**62
print(big + big, big * 4, -big - big - big)
acc = 0
for i in range(1000):
    acc += i * i
print(acc)
s = 0.0
for i in range(1000):
    s += i * 0.5
print(s)
d = {"a": 1, (1, 2): 3}
print(d["a"], d[(1, 2)])
try:
    d["zz"]
except KeyError as e:
    print("KeyError", e)
try:
    d[[1]]
except TypeError as e:
    print("TypeError", e)
try:
    d[[1]] = 3
except TypeError as e:
    print("TypeError", e)
lst = [1, 2, 3]
print(lst[-1], lst[0], lst[2])
try:
    lst[3]
except IndexError as e:
    print(e)
try:
    lst[-4] = 1
except IndexError as e:
    print(e)
lst[-1] = 9
print(lst)
tp = (1, 2, 3)
print(tp[-3], tp[1])
try:
    tp[5]
except IndexError as e:
    print(e)
print(lst[True], tp[False])
class L(list):
    def __getitem__(self, i): return "sub"
print(L([1])[0])
class D(dict):
    def __missing__(self, k): return "missing"
print(D()["x"])
print("ab" == "ab", "ab" != "ab", "a" + "b" == "ab", "x" == 1)
n = 0
while n:
    pass
if 5:
    print("five")
if not 0:
    print("zero")
i = 3
while i:
    i -= 1
print(i)
x = 2**40
y = x
x += 1
print(x, y)
f = 1.25
g = f
f *= 2
print(f, g)
print(1e308 * 10, -1e308 * 10)
print(float('nan') + 1)
