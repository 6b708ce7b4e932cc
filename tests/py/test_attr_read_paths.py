# attribute reads past the instance-value fast path: __slots__ (own class, a base's, another class's member), data descriptors before the instance, non-data ones after it, class attributes, __getattr__, runtime-typed classes, and dict reads by keys that are not str (identity, equal-but-other objects, same-hash collisions)
class D:
    def __get__(self, obj, cls):
        return "D.get"
    def __set__(self, obj, v):
        print("D.set", v)

class N:
    def __get__(self, obj, cls):
        return "N.get"

class C:
    d = D()
    n = N()
    k = "class"
    def m(self):
        return "method"
    @property
    def p(self):
        return "prop"
    @staticmethod
    def s():
        return "static"
    @classmethod
    def c(cls):
        return cls.__name__

o = C()
o.__dict__["d"] = "inst-d"
o.__dict__["p"] = "inst-p"
o.n = "inst-n"
o.k = "inst-k"
o.m = "inst-m"
print(o.d, o.p, o.n, o.k, o.m)
print(o.s(), o.c(), C().m(), C().k, C().n)
del o.m
print(o.m())
for _ in range(3):   # the same reads again: the class cache warm
    print(o.d, o.p, o.n, o.k)

class S:
    __slots__ = ("a", "b")
s = S()
s.a = 1
print(s.a, hasattr(s, "b"))
try:
    s.b
except AttributeError as e:
    print("AE", e)

class SS(S):               # the slots of a base class
    __slots__ = ("c",)
ss = SS()
ss.a, ss.c = "a", "c"
print(ss.a, ss.c, hasattr(ss, "b"))
for _ in range(3):
    print(ss.a, s.a)
class SD(S):               # slots and a __dict__
    pass
sd = SD()
sd.a, sd.z = 1, 2
print(sd.a, sd.z, sd.__dict__)
class Other:
    pass
Other.a = S.__dict__["a"]   # a member of another class
try:
    Other().a
except TypeError as e:
    print("TE", e)
del s.a
try:
    s.a
except AttributeError as e:
    print("AE", e)

class G:
    x = 1
    def __getattr__(self, name):
        return "getattr:" + name
g = G()
g.y = 2
print(g.x, g.y, g.z)

class I(int):
    pass
i = I(5)
i.tag = "t"
print(i.tag, i.real, i + 1)

class L(list):
    pass
l = L([1, 2])
l.name = "l"
print(l.name, len(l), callable(l.append))

class Late:
    pass
la = Late()
la.v = 1
print(la.v)
Late.v = property(lambda self: "late-prop")   # a data descriptor added later
print(la.v)
del Late.v
print(la.v)

# dict reads by keys that are not str
d = {}
for k in range(10):
    d[k] = k * k
big = 10 ** 20
d[big] = "big"
print(d[3], d[9], d[10 ** 20], d.get(11), d.get(big + 0))
d[1.0] = "float one"   # replaces the value of key 1: equal keys
print(d[1], d[True], len(d))
t = (1, "a")
d[t] = "tuple"
print(d[(1, "a")], d.get((1, "b")))

class H:
    def __init__(self, n):
        self.n = n
    def __hash__(self):
        return 7
    def __eq__(self, other):
        print("eq", self.n, getattr(other, "n", other))
        return isinstance(other, H) and self.n == other.n
a, b = H(1), H(2)
hd = {a: "a"}
print(hd[a])            # the very key: no __eq__ call
print(hd.get(H(1)))     # an equal key: __eq__ runs
print(hd.get(b))        # a collision: __eq__ runs, absent
hd[7] = "seven"         # an int of the same hash
print(hd[7], hd.get(a), len(hd))

class P:
    pass
p1, p2 = P(), P()
pd = {p1: 1, None: "none", P: "class", True: "t"}
print(pd[p1], pd.get(p2), pd[None], pd[P], pd[1])
nan = float("nan")
nd = {nan: "nan"}
print(nd.get(nan), nd.get(float("nan")))
