# Weak references: weakref.ref does not keep its object alive nor raise its
# refcount; WeakValueDictionary entries vanish with their values.
import sys
import weakref

class Pesado:
    def __init__(self, datos):
        self.datos = datos

obj = Pesado([1] * 1000)           # scaled down from 10**6
antes = sys.getrefcount(obj)
ref_debil = weakref.ref(obj)
print(sys.getrefcount(obj) == antes)
print(ref_debil() is obj)
print(type(ref_debil()).__name__, len(ref_debil().datos))
print(weakref.getweakrefcount(obj))
del obj
print(ref_debil())

# the callback runs when the referent dies, with the dead weakref
def avisar(r):
    print("callback, ref dead:", r() is None)
obj = Pesado(None)
r2 = weakref.ref(obj, avisar)
del obj
print(r2() is None)

cache = weakref.WeakValueDictionary()
obj = Pesado([1, 2, 3])
cache['key'] = obj
print('key' in cache)
print(cache['key'] is obj, len(cache))
del obj
print('key' in cache)
print(len(cache), cache.get('key'))

# objects without weakref support, and a wrong argument count
for x in (1, "s", [1]):
    try:
        weakref.ref(x)
    except TypeError as e:
        print("TypeError:", e)
try:
    weakref.ref()
except TypeError as e:
    print("TypeError:", e)
