# rich comparisons: __eq__/__ne__/__lt__/__le__/__gt__/__ge__, reflection, NotImplemented, sorting user objects
class Version:
    def __init__(self, s):
        self.parts = tuple(int(p) for p in s.split("."))
    def __eq__(self, o):
        if not isinstance(o, Version):
            return NotImplemented
        return self.parts == o.parts
    def __lt__(self, o):
        return self.parts < o.parts
    def __le__(self, o):
        return self.parts <= o.parts
    def __repr__(self):
        return "V" + ".".join(map(str, self.parts))
    __hash__ = None
a, b, c = Version("1.2.0"), Version("1.10"), Version("1.2.0")
print(a == c, a != c, a == b, a != b)
print(a < b, a <= c, b > a, b >= a)
print(sorted([Version("2.0"), Version("1.0.5"), Version("1.0")]))
print(max([a, b]), min([a, b]))
print(a == "1.2.0", "1.2.0" == a)
class Loud:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        print("Loud.__eq__", self.v)
        return NotImplemented
    def __gt__(self, o):
        print("Loud.__gt__", self.v)
        return True
x, y = Loud(1), Loud(2)
print(x == y)
print(x == x)
print(x < y)
class OnlyEq:
    def __eq__(self, o):
        return True
print(OnlyEq() == 5, OnlyEq() != 5, 5 == OnlyEq())
try:
    OnlyEq() < OnlyEq()
except TypeError as e:
    print(e)
class Sub(Version):
    def __eq__(self, o):
        print("Sub.__eq__ first")
        return True
print(Version("1") == Sub("2"))
class NoCmp:
    pass
n1, n2 = NoCmp(), NoCmp()
print(n1 == n1, n1 == n2, n1 != n2)
try:
    n1 < n2
except TypeError as e:
    print(e)
class Weird:
    def __lt__(self, o):
        return "truthy string"
print(Weird() < Weird(), bool(Weird() < 1))
print([Version("3")] == [Version("3")], (a,) < (b,))
print(sorted([b, a, c], reverse=True))
