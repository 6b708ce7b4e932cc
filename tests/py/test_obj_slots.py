# __slots__: allowed attributes, AttributeError for new attributes, no __dict__, inheritance and defaults
class P:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y
p = P(1, 2)
print(p.x, p.y)
p.x = 10
print(p.x)
try:
    p.z = 3
except AttributeError as e:
    print(e)
print(hasattr(p, "__dict__"))
class Q:
    __slots__ = ["a"]
q = Q()
try:
    q.a
except AttributeError as e:
    print(e)
q.a = "set"
print(q.a)
del q.a
print(hasattr(q, "a"))
class Child(P):
    pass
c = Child(1, 2)
c.z = "child has __dict__"
print(c.z, c.x)
class SlotChild(P):
    __slots__ = ("w",)
sc = SlotChild(3, 4)
sc.w = 5
print(sc.x, sc.y, sc.w)
try:
    sc.other = 1
except AttributeError as e:
    print(e)
class WithDict:
    __slots__ = ("a", "__dict__")
wd = WithDict()
wd.a = 1
wd.anything = 2
print(wd.a, wd.anything)
class Single:
    __slots__ = "only"
s = Single()
s.only = "string slots"
print(s.only)
try:
    s.other = 1
except AttributeError as e:
    print(e)
print(sorted(P.__slots__), type(P.__dict__["x"]).__name__ in ("member_descriptor", "getset_descriptor"))
class Counter:
    __slots__ = ("count",)
    total = 0
    def __init__(self):
        self.count = 0
        Counter.total += 1
    def incr(self):
        self.count += 1
        return self.count
ct = Counter()
ct.incr(); ct.incr()
print(ct.count, Counter.total)
try:
    ct.total = 5
except AttributeError as e:
    print(e)
