# super() in multiple inheritance: cooperative methods following the MRO, kwargs passing
class Base:
    def __init__(self, **kw):
        self.log = ["Base"]
        self.extra = sorted(kw)
    def hello(self):
        return ["Base"]
class A(Base):
    def __init__(self, a=None, **kw):
        super().__init__(**kw)
        self.a = a
        self.log.append("A")
    def hello(self):
        return ["A"] + super().hello()
class B(Base):
    def __init__(self, b=None, **kw):
        super().__init__(**kw)
        self.b = b
        self.log.append("B")
    def hello(self):
        return ["B"] + super().hello()
class C(A, B):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.log.append("C")
    def hello(self):
        return ["C"] + super().hello()
obj = C(a=1, b=2, z=3)
print(obj.log, obj.a, obj.b, obj.extra)
print(obj.hello())
print([k.__name__ for k in C.__mro__])
print(super(A, obj).hello())
print(super(B, obj).hello())
class D(B, A):
    def hello(self):
        return ["D"] + super().hello()
print(D().hello())
print(D(a="x").log)
class Mixin:
    def hello(self):
        return ["Mixin"] + super().hello()
class E(Mixin, C):
    pass
print(E().hello())
print(E.__mro__[1].__name__)
