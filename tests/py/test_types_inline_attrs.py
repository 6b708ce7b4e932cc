# instance attributes kept inline (shared keys): order, delete, __dict__/vars, spill to a dict, __class__ and __dict__ assignment, cycles, subclasses, shadowed methods, slots, properties
class _G:
    def collect(self): pass
gc = _G()
class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y
p = P(1, 2)
print(p.x, p.y, p.__dict__)
p.z = 3
print(vars(p))
del p.x
print(p.__dict__, hasattr(p, 'x'))
p.x = 10
print(p.__dict__)
try:
    del p.nope
except AttributeError as e:
    print("AE", e)
try:
    p.nope
except AttributeError as e:
    print("AE", e)
q = P(5, 6)
q.a = 1; q.b = 2; q.c = 3
del q.y
q.y = 7
print(q.__dict__)
d = q.__dict__
d['w'] = 9
print(q.w, q.__dict__)
q.v = 11
print(d)
name = "".join(['x'])
print(getattr(q, name), getattr(p, "z"+""), setattr(q, "zz"[:1] + "q", 4), q.zq)
# many attributes
class Many: pass
m = Many()
for i in range(100):
    setattr(m, "a%d" % i, i)
print(sum(getattr(m, "a%d" % i) for i in range(100)), len(m.__dict__))
m2 = Many()
m2.a5 = 5
print(m2.__dict__, list(vars(m2)))
for i in range(40):
    delattr(m, "a%d" % i)
print(len(vars(m)), list(vars(m))[:3])
# __class__ assignment
class A:
    def __init__(self): self.u = 1; self.v = 2
class B:
    def __init__(self): self.v = 3; self.u = 4
a = A()
a.__class__ = B
print(type(a).__name__, a.__dict__, a.u, a.v)
a.k = 5
print(a.__dict__)
# __dict__ assignment
b = B()
b.__dict__ = {'q': 1}
print(b.__dict__, b.q, hasattr(b, 'u'))
# cycles
class N:
    def __init__(self): self.other = None
n1 = N(); n2 = N(); n1.other = n2; n2.other = n1
del n1, n2
gc.collect()
# subclass with inherited __init__
class PP(P):
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.zz = z
for i in range(3):
    pp = PP(i, i+1, i+2)
    pp.extra = i
    print(pp.__dict__)
# methods shadowed by instance attributes
class M:
    def f(self): return "method"
mm = M()
print(mm.f())
mm.f = lambda: "inst"
print(mm.f())
del mm.f
print(mm.f())
# dir includes instance attrs
print([k for k in dir(p) if not k.startswith('_')])
# property and slots mixing
class S:
    __slots__ = ('a', '__dict__')
    def __init__(self): self.a = 1; self.b = 2
s = S()
print(s.a, s.b, s.__dict__)
class Pr:
    @property
    def x(self): return 42
    def __init__(self): self.y = 1
pr = Pr()
print(pr.x, pr.y, pr.__dict__)
try:
    pr.x = 3
except AttributeError as e:
    print("AE", e)
print(P(1,2).__dict__ == {'x':1,'y':2})
copy = None
cp = copy.copy(p) if hasattr(copy, 'copy') else p
print(cp.__dict__)
class E(Exception):
    def __init__(self, m): self.m = m
e = E("hi"); e.more = 1
print(e.m, e.more, e.__dict__)
class L(list):
    def __init__(self, *a):
        super().__init__(*a)
        self.tag = "t"
l = L([1, 2])
l.more = 5
print(l, l.tag, l.more, l.__dict__, len(l))
class D(dict): pass
d = D(a=1); d.x = 2
print(d, d.x, vars(d))
class I(int): pass
i = I(5); i.note = "n"
print(i + 1, i.note, i.__dict__)
class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None
a = Node("a"); b = Node("b")
a.peer = b; b.peer = a
del a, b
class W0:
    def __init__(self): self.a = self
junk = []
for k in range(20000):
    junk.append(W0())
del junk
class W:
    def __init__(self): self.x = 1
w = W()
r = None
print(r() is w if r else True)
del w
print(r() if r else None)
# attribute named like method, class attr shadowing
class K:
    v = 1
    def __init__(self): pass
k = K()
print(k.v); k.v = 2; print(k.v, K.v); del k.v; print(k.v)
# setattr with str subclass name
class S(str): pass
setattr(k, S("zz"), 3)
print(k.zz, getattr(k, S("zz")), k.__dict__)
# many instances sharing keys in different order
class O: pass
objs = []
for j in range(5):
    o = O()
    if j % 2: o.a = j; o.b = j
    else: o.b = j; o.a = j
    objs.append(o)
print([list(vars(o).items()) for o in objs])
print(hasattr(O(), 'a'))
