# sum with start values, float sums, sorted on all iterables with key/reverse, sorted returns new list
print(sum([1, 2, 3]), sum([1, 2, 3], 10), sum([]), sum([], 5), sum(range(101)), sum([0.1] * 10))
print(sum([[1], [2, 3]], []), sum([(1,), (2,)], ()), sum([True, True, False]))
print(sum([1, 2.5, 3]), sum([2 ** 64, 2 ** 64]), sum(x / 2 for x in range(5)), sum([1], start=100))
try:
    sum(["a", "b"], "")
except TypeError as e:
    print(e)
try:
    sum([1, "a"])
except TypeError as e:
    print(e)
try:
    sum(5)
except TypeError as e:
    print(e)
orig = [5, 2, 9, 1]
s = sorted(orig)
print(s, orig, s is orig)
print(sorted("banana"), sorted((3, 2, 1)), sorted({"b": 2, "a": 1}), sorted({5, 3, 4}), sorted(range(3, 0, -1)))
print(sorted(["b", "A", "c"]), sorted(["b", "A", "c"], key=str.lower), sorted([3, 1, 2], reverse=True))
print(sorted([-3, 1, -2, 4], key=abs), sorted([-3, 1, -2, 4], key=abs, reverse=True))
print(sorted([(2, "b"), (1, "b"), (2, "a")]), sorted([(2, "b"), (1, "b"), (2, "a")], key=lambda t: t[1]))
print(sorted([]), sorted([1]), sorted(x % 4 for x in range(10)))
print(sorted("a quick brown fox".split(), key=lambda w: (-len(w), w)))
try:
    sorted([1, 2], lambda x: x)
except TypeError as e:
    print(e)
class Rev:
    def __init__(self, v):
        self.v = v
    def __lt__(self, o):
        return self.v > o.v
    def __repr__(self):
        return str(self.v)
print(sorted([Rev(1), Rev(3), Rev(2)]))
class Pt:
    def __init__(self, v):
        self.v = v
    def __radd__(self, o):
        return o + self.v
print(sum([Pt(1), Pt(2)]), sum([Pt(5)], 10))
