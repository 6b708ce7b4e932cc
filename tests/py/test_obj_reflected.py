# reflected dunders: __radd__ __rsub__ __rmul__ __rtruediv__ __rpow__ ...; subclass reflected priority; sum() with __radd__
class N:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        return N(self.v + (o.v if isinstance(o, N) else o))
    def __radd__(self, o):
        print("radd with", o)
        return N(o + self.v)
    def __rsub__(self, o):
        return N(o - self.v)
    def __rmul__(self, o):
        return N(o * self.v)
    def __rtruediv__(self, o):
        return N(o / self.v)
    def __rfloordiv__(self, o):
        return N(o // self.v)
    def __rmod__(self, o):
        return N(o % self.v)
    def __rpow__(self, o):
        return N(o ** self.v)
    def __rand__(self, o):
        return "rand"
    def __ror__(self, o):
        return "ror"
    def __rxor__(self, o):
        return "rxor"
    def __rlshift__(self, o):
        return N(o << self.v)
    def __rrshift__(self, o):
        return N(o >> self.v)
    def __rmatmul__(self, o):
        return "rmatmul"
    def __repr__(self):
        return "N(%r)" % (self.v,)
x = N(3)
print(1 + x, 10 - x, 4 * x, 9 / x, 10 // x, 10 % x, 2 ** x)
print(1 & x, 1 | x, 1 ^ x, 1 << x, 64 >> x, [1] @ x if False else "skip")
print(x + 1, x + x)
print(sum([N(1), N(2), N(3)]))
print("s" * 2, 2 * "s", [0] * 2, 2 * [0])
class Base:
    def __add__(self, o):
        return "Base.__add__"
    def __radd__(self, o):
        return "Base.__radd__"
class Derived(Base):
    def __add__(self, o):
        return "Derived.__add__"
    def __radd__(self, o):
        return "Derived.__radd__"
print(Base() + Derived())
print(Derived() + Base())
print(Base() + Base())
class OnlyR:
    def __radd__(self, o):
        return "OnlyR.__radd__"
print(5 + OnlyR(), "s" + OnlyR(), [1] + OnlyR())
try:
    OnlyR() + 5
except TypeError as e:
    print(e)
class RNotImpl:
    def __radd__(self, o):
        return NotImplemented
try:
    1 + RNotImpl()
except TypeError as e:
    print(e)
print(2.5 + N(1), 2.5 - N(1), 2.5 * N(2))
