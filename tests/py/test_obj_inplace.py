# in-place dunders: __iadd__ __isub__ __imul__ ... mutating and returning self, fallback to __add__, immutables
class Bag:
    def __init__(self):
        self.items = []
    def __iadd__(self, o):
        self.items.append(o)
        return self
    def __isub__(self, o):
        self.items.remove(o)
        return self
    def __imul__(self, k):
        self.items = self.items * k
        return self
    def __repr__(self):
        return "Bag%r" % (self.items,)
b = Bag()
alias = b
b += 1
b += 2
b -= 1
b *= 3
print(b, alias is b)
class OnlyAdd:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        return OnlyAdd(self.v + o)
o = OnlyAdd(1)
keep = o
o += 10
print(o.v, keep.v, o is keep)
class Counter:
    def __init__(self):
        self.n = 0
    def __iadd__(self, k):
        self.n += k
        return self
    def __ifloordiv__(self, k):
        self.n //= k
        return self
    def __imod__(self, k):
        self.n %= k
        return self
    def __ipow__(self, k):
        self.n **= k
        return self
    def __ilshift__(self, k):
        self.n <<= k
        return self
    def __irshift__(self, k):
        self.n >>= k
        return self
    def __iand__(self, k):
        self.n &= k
        return self
    def __ior__(self, k):
        self.n |= k
        return self
    def __ixor__(self, k):
        self.n ^= k
        return self
    def __itruediv__(self, k):
        self.n /= k
        return self
c = Counter()
c += 7; print(c.n)
c **= 2; print(c.n)
c //= 3; print(c.n)
c %= 10; print(c.n)
c <<= 4; print(c.n)
c >>= 2; print(c.n)
c |= 1; print(c.n)
c &= 5; print(c.n)
c ^= 7; print(c.n)
c /= 4; print(c.n)
class ReturnsOther:
    def __iadd__(self, o):
        return "replaced"
r = ReturnsOther()
r += 1
print(r)
class RetNI:
    def __iadd__(self, o):
        return NotImplemented
    def __add__(self, o):
        return "fell back to __add__"
z = RetNI()
z += 1
print(z)
holder = {"bag": Bag()}
holder["bag"] += "x"
print(holder)
t = (1, [2])
try:
    t[1] += [3]
except TypeError as e:
    print(e)
print(t)
