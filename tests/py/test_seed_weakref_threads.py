# Weak references with threads: a shared WeakValueDictionary cache used under a
# lock by several threads, weakref callbacks running in the thread that drops the last
# reference, and weak references that all die with their objects.
import threading
import weakref

class Recurso:
    def __init__(self, clave):
        self.clave = clave

cache = weakref.WeakValueDictionary()
candado = threading.Lock()
avisos = []

def obtener(clave):
    with candado:
        r = cache.get(clave)
        if r is None:
            r = Recurso(clave)
            cache[clave] = r
        return r

def trabajar(ident, out):
    mios = [obtener(k % 10) for k in range(100)]      # ten shared keys
    out.append(sum(r.clave for r in mios))
    refs = []
    for i in range(200):
        o = Recurso(i)
        refs.append(weakref.ref(o, lambda r, ident=ident: avisos.append(ident)))
        del o                                           # the callback runs here
    out.append(sum(1 for r in refs if r() is None))

vivos = [obtener(k) for k in range(10)]                # keep the ten alive meanwhile
salidas = []
hilos = [threading.Thread(target=trabajar, args=(i, salidas)) for i in range(4)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(sorted(salidas))
print(len(avisos), sorted(set(avisos)))
print(len(cache), sorted(cache.keys()) == list(range(10)))
print(all(cache[k] is vivos[k] for k in range(10)))
del vivos
print(len(cache))
