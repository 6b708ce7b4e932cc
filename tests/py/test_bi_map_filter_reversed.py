# map, filter, reversed: multiple iterables for map, filter(None), laziness, reversed on sequences and __reversed__
print(list(map(str, [1, 2, 3])), list(map(len, ["a", "bb"])), list(map(lambda x, y: x * y, [1, 2, 3], [4, 5])))
print(list(map(pow, [2, 3], [3, 2])), list(map(str.upper, "abc")), list(map(int, "123")))
print(list(filter(None, [0, 1, "", "a", None, [], [0]])), list(filter(lambda x: x % 2, range(10))))
print(list(filter(str.isdigit, "a1b2c3")), list(filter(bool, [])))
m = map(lambda x: x * 10, range(3))
print(next(m), list(m), list(m))
calls = []
def track(x):
    calls.append(x)
    return x
lazy = map(track, [1, 2, 3])
print(calls)
next(lazy)
print(calls)
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed((1, 2))), list(reversed(range(4))))
print("".join(reversed("stressed")), list(reversed({"a": 1, "b": 2})))
class Countdown:
    def __init__(self, n):
        self.n = n
    def __reversed__(self):
        return iter(range(1, self.n + 1))
    def __iter__(self):
        return iter(range(self.n, 0, -1))
print(list(Countdown(3)), list(reversed(Countdown(3))))
class Seq:
    def __len__(self):
        return 3
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError
        return "s%d" % i
print(list(reversed(Seq())))
try:
    reversed({1, 2})
except TypeError as e:
    print(e)
try:
    reversed(x for x in [])
except TypeError as e:
    print(e)
try:
    list(map(None, [1]))
except TypeError as e:
    print(e)
try:
    map(abs)
except TypeError as e:
    print(e)
r = reversed([1, 2, 3])
print(next(r), list(r))
print(sum(map(lambda x: x * x, filter(lambda x: x % 3 == 0, range(20)))))
print(list(map(lambda p: p[0] + p[1], zip("abc", "xyz"))))
print(sorted(filter(lambda w: len(w) > 2, "a bb ccc dddd".split()), reverse=True))
