# What weak references are for: a cache that does not keep values alive,
# observers that do not keep listeners alive (WeakSet, WeakMethod), and metadata attached
# to objects without extending their lifetime (WeakKeyDictionary).
import weakref

class Imagen:
    def __init__(self, nombre):
        self.nombre = nombre

# 1. cache
cache = weakref.WeakValueDictionary()
def cargar(nombre):
    img = cache.get(nombre)
    if img is None:
        print("cargando", nombre)
        img = Imagen(nombre)
        cache[nombre] = img
    return img
a = cargar("logo")
b = cargar("logo")
print(a is b, len(cache), sorted(cache.keys()))
del a, b
c = cargar("logo")
print(len(cache))
del c
print(len(cache), list(cache.items()))

# 2. observers
class Boton:
    def __init__(self):
        self.oyentes = weakref.WeakSet()
    def click(self):
        for o in sorted(self.oyentes, key=lambda o: o.nombre):
            o.avisar()
class Oyente:
    def __init__(self, nombre):
        self.nombre = nombre
    def avisar(self):
        print("click visto por", self.nombre)
boton = Boton()
o1, o2 = Oyente("uno"), Oyente("dos")
boton.oyentes.add(o1)
boton.oyentes.add(o2)
boton.click()
del o1
print(len(boton.oyentes))
boton.click()
m = weakref.WeakMethod(o2.avisar)
m()()
del o2
print(m(), len(boton.oyentes))

# 3. metadata
meta = weakref.WeakKeyDictionary()
img = Imagen("foto")
meta[img] = {"ancho": 640}
print(meta[img], img in meta, len(meta))
del img
print(len(meta))
try:
    meta["texto"] = 1
except TypeError as e:
    print("TypeError:", e)
