# assignment: starred targets in unpacking, starred in list/tuple/set/dict displays and calls
a, *b = [1, 2, 3, 4]
print(a, b)
*a, b = [1, 2, 3, 4]
print(a, b)
a, *b, c = range(6)
print(a, b, c)
a, *b, c = [1, 2]
print(a, b, c)
*a, = "xyz"
print(a)
first, *rest = "hello"
print(first, rest)
(x, *y), z = [1, 2, 3], 4
print(x, y, z)
for h, *t in [(1, 2, 3), (4,), (5, 6)]:
    print(h, t)
try:
    a, *b, c = [1]
except ValueError as e:
    print(e)
l1 = [1, 2]
l2 = (3, 4)
print([*l1, *l2, 5])
print((*l1, *l2))
print(sorted({*l1, *l2, 1}))
print({**{"a": 1}, **{"b": 2}, "a": 3})
print([*range(3), *"ab"])
def f(*args):
    return args
print(f(*l1, 0, *l2))
print(*[1, 2, 3], sep="-")
print([*{"k1": 1, "k2": 2}])
t = *l1, 9
print(t)
head, *_ = (7, 8, 9)
print(head)
