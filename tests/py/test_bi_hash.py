# hash(): only relations (never values): equal objects hash equal across types, unhashables raise TypeError
print(hash(1) == hash(1.0) == hash(True), hash(0) == hash(0.0) == hash(False) == hash(-0.0))
print(hash(2 ** 100) == hash(2 ** 100), hash(2.5) == hash(2.5), hash(10 ** 20) == hash(1e20))
print(hash("abc") == hash("abc"), hash("ab" + "c") == hash("abc"), hash(b"abc") == hash(b"abc"))
print(hash((1, "a")) == hash((1, "a")), hash((1, 2)) == hash((1.0, 2.0)), hash(()) == hash(()))
print(hash(frozenset({1, 2})) == hash(frozenset({2, 1})), hash(None) == hash(None))
print(type(hash("x")).__name__, type(hash(3.5)).__name__, hash(7) == hash(7.0), hash(-5) == hash(-5.0))
for v in [[1], {"a": 1}, {1}, ([1],), [[]]]:
    try:
        hash(v)
        print("hashable?", v)
    except TypeError as e:
        print(e)
class C:
    pass
c = C()
print(hash(c) == hash(c), hash(C()) == hash(C()) or True)
class H:
    def __init__(self, v):
        self.v = v
    def __hash__(self):
        return hash(self.v)
    def __eq__(self, o):
        return self.v == o.v
print(hash(H(3)) == hash(3), len({H(1), H(1), H(2)}))
class NoHash:
    __hash__ = None
try:
    hash(NoHash())
except TypeError as e:
    print(e)
class Sub(int):
    pass
print(hash(Sub(5)) == hash(5), {Sub(5): "x"}[5])
print(hash(len) == hash(len), hash(int) == hash(int))
d = {}
d[1.0] = "first"
d[1] = "second"
print(d, len(d))
print(len({hash(str(i)) for i in range(3)}) >= 1)
print(hash(float("inf")) == hash(float("inf")), hash(1.5) != hash(2.5))
print(hash(range(3)) == hash(range(0, 3)), hash(slice(1, 2)) == hash(slice(1, 2)) if False else "slices unhashable in 3.11")
