# Checks subclasses of weakref.ref (a KeyedRef with __slots__ and a custom
# __new__, one with a __dict__) and weakref.WeakMethod.
import weakref


class Obj:
    def __init__(self, n):
        self.n = n

    def double(self):
        return self.n * 2


class KeyedRef(weakref.ref):
    __slots__ = ("key",)

    def __new__(type, ob, callback, key):
        self = weakref.ref.__new__(type, ob, callback)
        self.key = key
        return self

    def __init__(self, ob, callback, key):
        super().__init__(ob, callback)


o = Obj(1)
k = KeyedRef(o, lambda w: print("dead key", w.key), "the-key")
print(k() is o, k.key, isinstance(k, weakref.ref), type(k).__name__)
print(k is not weakref.ref(o), weakref.getweakrefcount(o))
print(hash(k) == hash(o), k == weakref.ref(o))
try:
    k.other = 1
except AttributeError:
    print("AttributeError for a name outside __slots__")
del o


class Tagged(weakref.ref):
    def describe(self):
        target = self()
        return "dead" if target is None else "alive %d" % target.n


o2 = Obj(2)
t = Tagged(o2)
t.tag = "t"
print(t.describe(), t.tag, weakref.ref(t)() is t)
try:
    Tagged(o2, None, 3)
except TypeError as e:
    print(e)
del o2
print(t.describe())

# WeakMethod
o3 = Obj(21)
wm = weakref.WeakMethod(o3.double)
print(wm()(), wm() == o3.double, wm == weakref.WeakMethod(o3.double))
print(isinstance(wm, weakref.ref), hash(wm) == hash(weakref.WeakMethod(o3.double)))
notes = []
wm2 = weakref.WeakMethod(o3.double, notes.append)
del o3
print(wm(), wm2(), len(notes), notes[0] is wm2)


def plain():
    pass


try:
    weakref.WeakMethod(plain)
except TypeError as e:
    print(e)
