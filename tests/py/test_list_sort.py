# list.sort and sorted: stability with keys, reverse stability, key functions, tuples, mixed type errors
records = [("bob", 25), ("alice", 30), ("carol", 25), ("dave", 30), ("eve", 22), ("frank", 25)]
print(sorted(records, key=lambda r: r[1]))
print(sorted(records, key=lambda r: r[1], reverse=True))
print(sorted(records, key=lambda r: (-r[1], r[0])))
print(sorted(records))
by_name = sorted(records)
by_name.sort(key=lambda r: r[1])
print(by_name)
words = ["banana", "Apple", "cherry", "apple", "Banana", "date"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len), sorted(words, key=len, reverse=True))
nums = [5, -3, 2, -8, 0, 7, -1]
print(sorted(nums), sorted(nums, key=abs), sorted(nums, key=lambda v: v * v, reverse=True))
l = [3, 1, 2]
l.sort(key=None)
print(l)
try:
    [1, "a", 2].sort()
except TypeError as e:
    print(e)
try:
    sorted([None, 1])
except TypeError as e:
    print(e)
print(sorted("hello"), sorted((3, 1, 2)), sorted({"b": 1, "a": 2}), sorted({3, 1, 2}))
print(sorted([[2, 1], [1, 2], [1, 1], [2]]), sorted([(1, "b"), (1, "a"), (0, "z")]))
print(sorted([0.5, 1, -2.5, True, 2 ** 70]))
big = [(i * 7919) % 1000 for i in range(1000)]
s = sorted(big)
print(s[:5], s[-5:], all(s[i] <= s[i + 1] for i in range(len(s) - 1)))
pairs = [(i % 5, i) for i in range(30)]
st = sorted(pairs, key=lambda p: p[0])
print(st[:8])
print(all(st[i][1] < st[i + 1][1] for i in range(len(st) - 1) if st[i][0] == st[i + 1][0]))
rv = sorted(pairs, key=lambda p: p[0], reverse=True)
print(rv[:6])
class Item:
    def __init__(self, k):
        self.k = k
    def __lt__(self, other):
        return self.k < other.k
    def __repr__(self):
        return "I%d" % self.k
print(sorted([Item(3), Item(1), Item(2)]), max([Item(3), Item(9)], key=lambda i: i.k))
try:
    sorted([1, 2], key=lambda v: 1 / 0)
except ZeroDivisionError as e:
    print("key raised:", e)
l2 = [5, 4, 3]
try:
    l2.sort(cmp=None)
except TypeError as e:
    print(e)
print(sorted([], reverse=True), sorted([1]), sorted(range(5, 0, -1)))
