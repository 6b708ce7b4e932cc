# min/max: iterables, multiple args, key functions, default, ties return first, strings, errors
print(max(3, 1, 2), min(3, 1, 2), max([3, 1, 2]), min("hello"), max("hello"))
print(max([1, 5, 3], key=lambda x: -x), min(["bb", "a", "ccc"], key=len), max(["bb", "a", "ccc"], key=len))
print(max([], default="empty"), min([], default=None), max([7], default=0))
print(max([(1, "b"), (1, "a"), (0, "z")]), min([(2, 1), (1, 9), (1, 2)]))
print(max(["apple", "Banana", "cherry"]), max(["apple", "Banana", "cherry"], key=str.lower))
pairs = [("a", 3), ("b", 5), ("c", 5), ("d", 1)]
print(max(pairs, key=lambda p: p[1]), min(pairs, key=lambda p: p[1]))
print(max([1, 1.0]), max([1.0, 1]), min([0, False]), min([False, 0]), max(True, 1))
print(max(range(10 ** 6)), min(range(5, 10)), max({3: "a", 7: "b"}), max({"x": 9, "y": 1}.values()))
print(max(2 ** 100, 2 ** 99 * 3), min(-1.5, -2), max("a", "b", key=ord))
try:
    max([])
except ValueError as e:
    print(e)
try:
    min([])
except ValueError as e:
    print(e)
try:
    max(1)
except TypeError as e:
    print(e)
try:
    max(1, "a")
except TypeError as e:
    print(e)
try:
    max(1, 2, default=0)
except TypeError as e:
    print(e)
d = {"x": 3, "y": 10, "z": 7}
print(max(d, key=d.get), min(d, key=lambda k: d[k]))
print(max(x * x for x in range(-5, 3)), min((abs(v), v) for v in [-3, 2, -2]))
words = "the quick brown fox jumps".split()
print(max(words, key=len), min(words, key=len), max(words), min(words))
nan = float("nan")
print(max(1, 2, 3, key=lambda v: v % 3), min(3, 1, 2, key=lambda v: (v % 2, v)))
