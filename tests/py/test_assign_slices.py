# assignment and deletion with slices: replace, grow, shrink, steps, negative bounds
a = list(range(10))
a[2:5] = ["a", "b", "c"]
print(a)
a[2:5] = []
print(a)
a[1:1] = [100, 200]
print(a)
a[:] = [1, 2, 3]
print(a)
a[len(a):] = [4, 5]
print(a)
a[::2] = ["x", "y", "z"]
print(a)
a[-2:] = ["end"]
print(a)
b = list(range(10))
del b[::3]
print(b)
del b[1:3]
print(b)
del b[-1]
print(b)
c = list(range(8))
c[::-2] = [0, 0, 0, 0]
print(c)
try:
    c[::2] = [1, 2]
except ValueError as e:
    print(type(e).__name__, e)
d = [1, 2, 3, 4]
d[1:3] = "xy"
print(d)
d[0:0] = (9, 8)
print(d)
e = [1, 2, 3]
e[5:10] = [7]
print(e)
f = list(range(6))
f[-100:2] = ["lo"]
print(f)
g = list(range(5))
g[3:1] = ["ins"]
print(g)
h = list(range(6))
del h[:]
print(h)
s = "abcdef"
print(s[1:4], s[::-1], s[-3:], s[:-3], s[::2], s[10:], s[-10:2])
