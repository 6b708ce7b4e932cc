# arithmetic dunders: __add__ __sub__ __mul__ __truediv__ __floordiv__ __mod__ __pow__ __matmul__ __divmod__ bit ops
class V:
    def __init__(self, *c):
        self.c = c
    def __add__(self, o):
        return V(*[a + b for a, b in zip(self.c, o.c)])
    def __sub__(self, o):
        return V(*[a - b for a, b in zip(self.c, o.c)])
    def __mul__(self, k):
        return V(*[a * k for a in self.c])
    def __truediv__(self, k):
        return V(*[a / k for a in self.c])
    def __floordiv__(self, k):
        return V(*[a // k for a in self.c])
    def __mod__(self, k):
        return V(*[a % k for a in self.c])
    def __pow__(self, k, mod=None):
        return V(*[pow(a, k, mod) if mod else a ** k for a in self.c])
    def __matmul__(self, o):
        return sum(a * b for a, b in zip(self.c, o.c))
    def __divmod__(self, k):
        return (self // k, self % k)
    def __and__(self, o):
        return "and"
    def __or__(self, o):
        return "or"
    def __xor__(self, o):
        return "xor"
    def __lshift__(self, n):
        return V(*(self.c[n:] + self.c[:n]))
    def __rshift__(self, n):
        return V(*(self.c[-n:] + self.c[:-n]))
    def __repr__(self):
        return "V" + repr(self.c)
a, b = V(1, 2, 3), V(10, 20, 30)
print(a + b, b - a, a * 3, b / 4, b // 7, b % 7)
print(a ** 2, pow(a, 3, 5), a @ b, divmod(b, 7))
print(a & b, a | b, a ^ b, a << 1, a >> 1)
try:
    a + 1
except AttributeError as e:
    print("AttributeError", e)
class NI:
    def __add__(self, o):
        return NotImplemented
try:
    NI() + NI()
except TypeError as e:
    print(e)
try:
    V(1) * V(2)
except TypeError as e:
    print(e)
class Money:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        if isinstance(o, Money):
            return Money(self.v + o.v)
        if isinstance(o, int):
            return Money(self.v + o)
        return NotImplemented
    def __repr__(self):
        return "Money(%d)" % self.v
print(Money(5) + Money(6), Money(5) + 1)
try:
    Money(1) + "x"
except TypeError as e:
    print(e)
try:
    Money(1) - Money(2)
except TypeError as e:
    print(e)
