# zero-argument super(): methods, __init__, classmethods, properties, two-argument form
class Base:
    def __init__(self, v):
        self.v = v
    def describe(self):
        return "Base(%s)" % self.v
    @classmethod
    def create(cls):
        return cls.__name__ + " created"
    def __repr__(self):
        return "<%s v=%r>" % (type(self).__name__, self.v)
class Child(Base):
    def __init__(self, v, w):
        super().__init__(v)
        self.w = w
    def describe(self):
        return "Child<" + super().describe() + ">"
    @classmethod
    def create(cls):
        return "child:" + super().create()
c = Child(1, 2)
print(c.v, c.w)
print(c.describe())
print(Child.create())
print(c)
class GrandChild(Child):
    def describe(self):
        return "GC[" + super().describe() + "]"
print(GrandChild(5, 6).describe())
print(super(Child, GrandChild(7, 8)).describe())
class Temp:
    def __init__(self):
        self._t = 0
    @property
    def t(self):
        return self._t
class Temp2(Temp):
    @property
    def t(self):
        return super().t + 100
print(Temp2().t)
class WithStr(Base):
    def __str__(self):
        return "str:" + super().__repr__()
print(str(WithStr(9)))
class CallsInLoop(Base):
    def describe(self):
        parts = []
        for i in range(2):
            parts.append(super().describe())
        return "+".join(parts)
print(CallsInLoop(3).describe())
class Lst(list):
    def append(self, x):
        super().append(x * 2)
l = Lst()
l.append(1)
l.append(5)
print(l)
class Sup(Base):
    def get_super(self):
        return super()
print(Sup(4).get_super().describe())
