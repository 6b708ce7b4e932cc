# identity and membership: is / is not with None/True/singletons and objects; in / not in for all containers
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, a is not c)
print(None is None, True is True, ... is Ellipsis)
x = None
print(x is None, x is not None)
class K:
    pass
k1, k2 = K(), K()
print(k1 is k1, k1 is k2, k1 is not k2)
print(type(k1) is K, type(3) is int, type(3) is not float)
print(2 in [1, 2, 3], 4 in [1, 2, 3], 4 not in [1, 2, 3])
print("a" in "abc", "bc" in "abc", "ac" in "abc", "" in "abc")
print(1 in (1, 2), (1,) in [(1,), 2])
print("k" in {"k": 1}, 1 in {"k": 1}, 1 in {"k": 1}.values())
print(3 in {1, 2, 3}, 3 in frozenset([3]))
print(5 in range(10), 10 in range(10), 4 in range(0, 10, 2), 5 in range(0, 10, 2))
print(b"a" in b"abc", 97 in b"abc")
print(1.0 in [1], True in [1], 0 in [False])
nan = float("nan")
print(nan in [nan], nan == nan)
class Seq:
    def __iter__(self):
        return iter([10, 20])
print(10 in Seq(), 30 in Seq())
class GetItem:
    def __getitem__(self, i):
        if i > 3:
            raise IndexError
        return i * 2
print(6 in GetItem(), 7 in GetItem())
def gen():
    yield 1
    yield 2
g = gen()
print(1 in g, 1 in g)
print([] in [[]], [[]] in [[]])
try:
    print(1 in 5)
except TypeError as e:
    print(e)
try:
    print([] in {1: 2})
except TypeError as e:
    print(e)
print(not 1 in [1], not (1 in [1]))
