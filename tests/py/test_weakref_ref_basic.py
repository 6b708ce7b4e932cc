# Checks weakref.ref basics: calling a live/dead ref, the shared basic ref,
# getweakrefcount/getweakrefs, repr shape, hash and equality as CPython.
import weakref


class Foo:
    pass


o = Foo()
r = weakref.ref(o)
print(r() is o, type(r).__name__, weakref.ref is weakref.ReferenceType)
print(type(r).__module__, weakref.ReferenceType.__name__)
print(isinstance(r, weakref.ref), callable(r))
# the basic ref (no callback) is shared, as in CPython
print(weakref.ref(o) is r, weakref.ref(o, None) is r)
print(weakref.getweakrefcount(o), weakref.getweakrefs(o) == [r])

cb = lambda w: None
r2 = weakref.ref(o, cb)
r3 = weakref.ref(o, cb)
print(r2 is r, r2 is r3, weakref.getweakrefcount(o))
refs = weakref.getweakrefs(o)
print(len(refs), refs[0] is r, r2 in refs, r3 in refs)

# repr: "<weakref at 0x...; to 'Foo' at 0x...>"
print(repr(r).startswith("<weakref at 0x"), "; to 'Foo' at 0x" in repr(r))


def func():
    pass


rf = weakref.ref(func)
print(repr(rf).endswith("(func)>"), "to 'function'" in repr(rf))

# hash and equality follow the referent while it lives
print(hash(r) == hash(o), hash(r2) == hash(o))
print(r == r2, r != r2, r == o, r2 == r3)
other = Foo()
ro = weakref.ref(other)
print(r == ro, r != ro)
d = {r: "first"}
print(d[r2], r3 in d)

h = hash(r)
del o
print(r(), r2(), repr(r).endswith("; dead>"), repr(r).startswith("<weakref at 0x"))
print(hash(r) == h)  # remembered from when it lived
print(r == r2, r == r, r != r2)  # dead refs equal only themselves
print(weakref.getweakrefcount(other), weakref.getweakrefcount(42), weakref.getweakrefs(42))

# functions, classes, methods, modules, generators can be weakly referenced
class K:
    def m(self):
        return 1


k = K()
bm = k.m
print(weakref.ref(func)() is func, weakref.ref(K)() is K, weakref.ref(bm)() is bm)
print(weakref.ref(weakref)() is weakref)
g = (i for i in range(2))
print(weakref.ref(g)() is g)
