# Checks weakref.proxy: attribute get/set/del forwarding, operators, calls,
# the proxy types, sharing of the basic proxy, and ReferenceError after the
# referent died.
import weakref


class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def __eq__(self, other):
        return (self.x, self.y) == (getattr(other, "x", None), getattr(other, "y", None))

    __hash__ = None

    def __len__(self):
        return 2

    def __iter__(self):
        return iter((self.x, self.y))

    def __getitem__(self, i):
        return (self.x, self.y)[i]

    def __str__(self):
        return "Vec(%d, %d)" % (self.x, self.y)

    def __bool__(self):
        return bool(self.x or self.y)

    def __contains__(self, v):
        return v in (self.x, self.y)

    def norm1(self):
        return abs(self.x) + abs(self.y)


v = Vec(1, 2)
p = weakref.proxy(v)
print(type(p).__name__, type(p) is weakref.ProxyType, isinstance(p, weakref.ProxyTypes))
print(p.x, p.y, p.norm1(), callable(p))
p.z = 9
print(v.z)
del p.z
print(hasattr(v, "z"))
print(str(p), len(p), list(p), p[1], 2 in p, 7 in p, bool(p))
s = p + Vec(10, 10)
print(str(s), p == Vec(1, 2), p != Vec(1, 2), Vec(1, 2) == p)
print(str(Vec(5, 5) + p), not p, -1 if p else 0)
print(weakref.proxy(v) is p, weakref.getweakrefcount(v))
print(repr(p).startswith("<weakproxy at 0x"), " to Vec at 0x" in repr(p))

numbers = [3, 1, 2]
class Bag:
    pass
bag = Bag()
bag.items = numbers
pb = weakref.proxy(bag)
pb.items.append(4)
print(numbers, pb.items[0])


def add(a, b=10):
    return a + b


pf = weakref.proxy(add)
print(type(pf) is weakref.CallableProxyType, callable(pf), pf(1), pf(1, b=2))

calls = []
w = Vec(0, 0)
pc = weakref.proxy(w, calls.append)
print(pc is not weakref.proxy(w), bool(pc))
del w
print(len(calls), calls[0] is pc)
for what in ("x", "str", "len", "iter", "call"):
    try:
        if what == "x":
            pc.x
        elif what == "str":
            str(pc)
        elif what == "len":
            len(pc)
        elif what == "iter":
            iter(pc)
        else:
            del add
            pf(1)
    except ReferenceError as e:
        print(what, "ReferenceError:", e)
