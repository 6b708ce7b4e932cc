# tuples: creation, single-element, packing/unpacking, immutability, concatenation, comparison, hashing, nesting
t = (1, "two", 3.0)
print(t, len(t), t[1], t[-1], t[:2])
print((), (1,), (1), type((1,)).__name__, type((1)).__name__)
print(tuple(), tuple("ab"), tuple([1, 2]), tuple(range(3)), tuple({"k": 1}))
p = 1, 2, 3
a, b, c = p
print(p, a + b + c)
print(t + (4,), (0,) * 3, 2 * (1, 2))
try:
    t[0] = 5
except TypeError as e:
    print(e)
try:
    t.append(4)
except AttributeError as e:
    print(e)
try:
    (1, 2) + [3]
except TypeError as e:
    print(e)
print((1, 2) == (1, 2), (1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 100), () < (0,))
print(hash((1, 2)) == hash((1, 2)), {(1, 2): "pair"}[(1, 2)])
nested = ((1, 2), (3, (4, 5)))
print(nested[1][1][0], len(nested))
mutable_inside = ([1], [2])
mutable_inside[0].append(10)
print(mutable_inside)
print(1 in t, "two" in t, 4 not in t)
print(max((3, 1, 2)), min((3, 1, 2)), sum((1, 2, 3)), sorted((3, 1, 2)))
print(tuple(x * 2 for x in (1, 2, 3)))
print(repr((1,)), str(("a", "b")), repr(((),)))
def multi():
    return 1, "x"
r = multi()
print(r, type(r).__name__)
x, y = y, x = 1, 2
print(x, y)
print((1, 2, 3)[::-1], (1, 2, 3)[5:], tuple(reversed((1, 2))))
print(list(zip((1, 2), ("a", "b"))), dict(((1, "a"), (2, "b"))))
