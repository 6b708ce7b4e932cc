# tuple methods and tuple-based idioms: count, index, sorting tuples, tuples as dict keys, swapping, enumerate
t = (1, 2, 3, 2, 1, 2)
print(t.count(2), t.count(9), t.index(2), t.index(2, 2), t.index(1, 1))
try:
    t.index(9)
except ValueError as e:
    print(e)
pts = [(3, 4), (1, 2), (3, 1), (0, 5)]
print(sorted(pts), sorted(pts, key=lambda p: p[1]), max(pts), min(pts, key=lambda p: p[0] + p[1]))
coords = {}
coords[(0, 0)] = "origin"
coords[(1, 2)] = "p"
print(coords[(1, 2)], (0, 0) in coords, sorted(coords))
a, b = 1, 2
a, b = b, a
print(a, b)
for i, (x, y) in enumerate(pts):
    print(i, x * y)
record = ("Ann", 31, ("Paris", "FR"))
name, age, (city, country) = record
print(name, age, city, country)
print(tuple(sorted((3, 1, 2))), tuple(reversed(t))[:3])
print(len(()), len((None,)), bool(()), bool((0,)))
big = tuple(range(1000))
print(big[500], big[-1], len(big), sum(big), big.index(999))
print(t * 0, t[1:4] * 2)
print((1, [2, 3]) == (1, [2, 3]), (1, 2) != (2, 1))
nested = tuple((i, i * i) for i in range(4))
print(nested, dict(nested))
print(tuple("hello").count("l"), ("a",) + tuple("bc"))
print(divmod(17, 5), type(divmod(17, 5)).__name__)
