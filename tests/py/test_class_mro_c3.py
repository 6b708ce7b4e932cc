# C3 method resolution order: diamonds, complex hierarchies, inconsistent MRO -> TypeError
class O: pass
class A(O): pass
class B(O): pass
class C(O): pass
class D(O): pass
class E(O): pass
class K1(A, B, C): pass
class K2(D, B, E): pass
class K3(D, A): pass
class Z(K1, K2, K3): pass
for cls in (K1, K2, K3, Z):
    print(cls.__name__, [c.__name__ for c in cls.__mro__])
class Top:
    def who(self):
        return "Top"
class Left(Top):
    def who(self):
        return "Left"
class Right(Top):
    def who(self):
        return "Right"
class Bottom(Left, Right):
    pass
class Bottom2(Right, Left):
    pass
print([c.__name__ for c in Bottom.__mro__], Bottom().who())
print([c.__name__ for c in Bottom2.__mro__], Bottom2().who())
try:
    class Bad(Top, Left):
        pass
except TypeError as e:
    print("TypeError:", e)
try:
    class Dup(A, A):
        pass
except TypeError as e:
    print("TypeError:", e)
class X: pass
class Y: pass
class XY(X, Y): pass
class YX(Y, X): pass
try:
    class Conflict(XY, YX):
        pass
except TypeError as e:
    print("TypeError:", e)
print([c.__name__ for c in Bottom.mro()])
print(Bottom.__bases__ == (Left, Right))
class F(O): pass
class G(O): pass
class H(F, G): pass
class I(G, O): pass
class J(H, I): pass
print([c.__name__ for c in J.__mro__])
