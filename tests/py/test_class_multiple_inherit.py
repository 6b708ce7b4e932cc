# multiple inheritance: attribute lookup order, mixins, cooperative __init__ through super()
class JsonMixin:
    def to_text(self):
        keys = sorted(self.__dict__)
        return "{" + ", ".join("%s: %r" % (k, self.__dict__[k]) for k in keys) + "}"
class CompareMixin:
    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__
    def __ne__(self, other):
        return not self == other
    __hash__ = None
class Entity:
    def __init__(self, name):
        self.name = name
class User(JsonMixin, CompareMixin, Entity):
    def __init__(self, name, age):
        Entity.__init__(self, name)
        self.age = age
u1 = User("ann", 30)
u2 = User("ann", 30)
u3 = User("bob", 20)
print(u1.to_text())
print(u1 == u2, u1 == u3, u1 != u3)
print([c.__name__ for c in User.__mro__])
class A:
    x = "A"
    def f(self):
        return "A.f"
class B:
    x = "B"
    y = "B.y"
    def f(self):
        return "B.f"
    def g(self):
        return "B.g"
class AB(A, B):
    pass
class BA(B, A):
    pass
print(AB.x, AB.y, AB().f(), AB().g())
print(BA.x, BA().f())
class Root:
    def __init__(self):
        self.trace = ["Root"]
class L(Root):
    def __init__(self):
        super().__init__()
        self.trace.append("L")
class R(Root):
    def __init__(self):
        super().__init__()
        self.trace.append("R")
class LR(L, R):
    def __init__(self):
        super().__init__()
        self.trace.append("LR")
print(LR().trace)
print(isinstance(LR(), R), issubclass(LR, Root))
print(User.__hash__ is None)
try:
    hash(u1)
except TypeError as e:
    print(e)
