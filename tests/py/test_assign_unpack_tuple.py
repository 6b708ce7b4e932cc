# assignment: tuple/list unpacking, nested targets, unpacking from any iterable, errors
a, b = 1, 2
print(a, b)
(c, d) = [3, 4]
print(c, d)
[e, f] = "ef"
print(e, f)
(g, (h, i)) = (1, (2, 3))
print(g, h, i)
for x, (y, z) in [(1, (2, 3)), (4, (5, 6))]:
    print(x, y, z)
k, v = {"key": 1}.popitem()
print(k, v)
p, q, r = range(3)
print(p, q, r)
m, n = (i * i for i in range(2, 4))
print(m, n)
first, second = {"one": 1, "two": 2}
print(first, second)
try:
    a, b = 1, 2, 3
except ValueError as ex:
    print(ex)
try:
    a, b, c = [1, 2]
except ValueError as ex:
    print(ex)
try:
    a, b = 5
except TypeError as ex:
    print(ex)
obj = type("O", (), {})()
obj.a, obj.b = "A", "B"
print(obj.a, obj.b)
lst = [0, 0]
lst[0], lst[1] = "L0", "L1"
print(lst)
((a1, a2), (b1, b2)) = ("ab", "cd")
print(a1, a2, b1, b2)
pairs = list(zip("xyz", range(3)))
for letter, number in pairs:
    print(letter * (number + 1))
x = y = (1, 2)
x1, x2 = x
print(x1 + x2, y)
