# instance __dict__: contents, direct manipulation, vars(), class __dict__ vs instance __dict__, attribute order
class C:
    cls_attr = "class"
    def __init__(self):
        self.b = 2
        self.a = 1
c = C()
print(c.__dict__)
print(vars(c) is c.__dict__)
c.__dict__["direct"] = "via dict"
print(c.direct)
c.z = 26
print(list(c.__dict__))
del c.__dict__["b"]
print(hasattr(c, "b"), sorted(vars(c)))
print("cls_attr" in c.__dict__, "cls_attr" in C.__dict__)
c.__dict__.update({"u1": 1, "u2": 2})
print(c.u1 + c.u2)
print(sorted(k for k in C.__dict__ if not k.startswith("__")))
class Empty:
    pass
print(Empty().__dict__)
e = Empty()
for i in range(5):
    setattr(e, "attr%d" % i, i * i)
print(e.__dict__)
print(getattr(e, "attr3"))
class Rec:
    def __init__(self, **kw):
        self.__dict__.update(kw)
    def __repr__(self):
        return "Rec(" + ", ".join("%s=%r" % kv for kv in sorted(self.__dict__.items())) + ")"
r = Rec(name="n", size=3)
print(r, r.name)
print(vars(Rec(a=1)))
try:
    vars(5)
except TypeError as e:
    print(e)
class WithProp:
    @property
    def p(self):
        return "prop"
wp = WithProp()
wp.__dict__["p"] = "instance dict value"
print(wp.p)
class Plain:
    x = "class x"
pl = Plain()
pl.__dict__["x"] = "instance x"
print(pl.x, Plain.x)
d = c.__dict__
c.new_after = 1
print("new_after" in d)
