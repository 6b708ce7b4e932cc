# class renaming, __subclasses__ of built-in and user classes, __bases__ assignment (MRO of subclasses, errors)
class A: pass
A.__name__ = 'B'
print(repr(A), A.__name__, A.__qualname__)
A.__qualname__ = 'Q.R'
print(repr(A), type(A()).__name__)
print(bool in int.__subclasses__(), type(object.__subclasses__()).__name__)
class Base: pass
class D1(Base): pass
class D2(Base): pass
print(Base.__subclasses__())
print(sorted(c.__name__ for c in ArithmeticError.__subclasses__()))
class MyErr(ValueError): pass
print(MyErr in ValueError.__subclasses__())
class A:
    def f(self): return "A"
class B:
    def f(self): return "B"
    def g(self): return "Bg"
class C(A): pass
class D(C): pass
d = D()
print(d.f(), D.__mro__)
C.__bases__ = (B,)
print(d.f(), d.g(), D.__mro__, C.__base__, A.__subclasses__(), B.__subclasses__())
C.__bases__ = (A, B)
print(d.f(), d.g(), D.__mro__)
for bad in [(), (D,), (C,), (1,), [A], (int,)]:
    try:
        C.__bases__ = bad
    except TypeError as e:
        print("TE", e)
try:
    int.__bases__ = (object,)
except TypeError as e:
    print("TE", e)
class S:
    __slots__ = ('a',)
try:
    C.__bases__ = (S,)
except TypeError as e:
    print("TE", e)
try:
    del C.__bases__
except TypeError as e:
    print("TE", e)
class X(object): pass
class Y(X): pass
try:
    X.__bases__ = (Y,)
except TypeError as e:
    print("TE", e)
class M1: pass
class M2(M1): pass
class Z(M1): pass
try:
    Z.__bases__ = (M1, M2)
except TypeError as e:
    print("TE", e)
print(Z.__mro__)
class Op:
    def __add__(self, o): return "Op+"
class NoOp: pass
class U(NoOp): pass
u = U()
try:
    u + u
except TypeError as e:
    print("TE", e)
U.__bases__ = (Op,)
print(u + u, isinstance(u, Op), isinstance(u, NoOp))
