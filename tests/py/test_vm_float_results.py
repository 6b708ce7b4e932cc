# Float arithmetic through the loop's fast paths: a result may be written
# into a temporary operand, or into a dead temporary the loop kept from an
# earlier operation. Values, identities of live floats, counts and object
# lifetimes must be what CPython shows; no live float may ever change.
import math
import sys


def count(o):
    return sys.getrefcount(o) - 1   # minus getrefcount's argument


class V:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def dot(self, o):
        # the products are temporaries: the sum goes into the first, the
        # second dies
        return self.x * o.x + self.y * o.y + self.z * o.z

    def __add__(self, o):
        return V(self.x + o.x, self.y + o.y, self.z + o.z)

    def __mul__(self, k):
        return V(self.x * k, self.y * k, self.z * k)


def vectors():
    a = V(1.5, -2.25, 3.0)
    b = V(0.5, 4.0, -1.75)
    acc = 0.0
    for i in range(200):
        acc += a.dot(b) * 0.001 + (a + b).dot(a * 0.5) / (i + 1)
    print("vectors", repr(acc))
    print("fields", a.x, a.y, a.z, b.x, b.y, b.z)


vectors()


# live floats stay what they are while temporaries die around them
def keep_values():
    kept = []
    x, y = 1.25, 3.5
    for i in range(100):
        t = (x * y + x * y) - (y * x + i * 0.5)   # several dead temporaries
        kept.append(t)
        kept.append(x * i + y * i)                 # results kept alive
    print("kept", repr(sum(kept)), len(set(map(id, kept))) <= len(kept))
    again = []
    for i in range(100):
        again.append((x * y + x * y) - (y * x + i * 0.5))
        again.append(x * i + y * i)
    print("same values", kept == again)
    # every kept float is its own object with one reference (the list)
    print("counts", sorted(set(count(v) for v in kept[:50:7])))


keep_values()


# mixed int / float operands, true division of ints, and the float result
# after an int one
def mixed():
    out = []
    for i in range(1, 50):
        f = i * 0.5
        r = (f + i) * (i / 3) - (i * 2.0 + f / i)
        q = (i // 3) + (i % 7) * 1.5
        out.append((r, q, (i / 7) + (i / 11)))
    print("mixed", repr(sum(a + b + c for a, b, c in out)))


mixed()


# float subclasses and objects with __add__ are never reused or kept
class F(float):
    def __del__(self):
        print("del F", float(self))


def subclasses():
    a = F(2.0)
    b = 3.0 * 1.0
    r = (a * b) + (a * b)
    print("subclass", r, type(r).__name__)
    s = F(1.5) + F(2.5)
    print("subclass sum", s, type(s).__name__)
    del a
    print("after del")


subclasses()


# a generator doing float work yields between operations: each resumption
# is its own activation
def gen(n):
    x = 0.5
    for i in range(n):
        yield (x * i + x * i) + (x * 2.0) * (i + 0.25)


print("gen", repr(sum(gen(100))))
g = gen(10)
print("gen parts", [round(v, 6) for v in g])


# errors in the middle of float expressions
def errors():
    try:
        (1.5 * 2.0 + 3.0 * 4.0) / 0.0
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
    try:
        (2.0 * 3.0) + (1.0 * 2.0) ** 5000
    except OverflowError as e:
        print("OverflowError", e)
    print("after errors", (1.0 * 3.0) + (2.0 * 4.0))


errors()
print("math", repr(math.fsum([0.1 * i + 0.2 * i for i in range(100)])))
print("end")
