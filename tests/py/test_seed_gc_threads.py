# The collector's pauses with threads: the cycle collector is stop-the-world;
# threads that keep making cycles while others (and automatic collection) collect still
# see consistent objects, and every dropped cycle is collected in the end.
import gc
import threading

class Nodo:
    def __init__(self, v):
        self.v = v
        self.otro = None

def ciclos_vivos():
    return sum(1 for o in gc.get_objects() if type(o) is Nodo)

def fabricar(n, guardar, out):
    total = 0
    for i in range(n):
        a, b = Nodo(i), Nodo(-i)
        a.otro, b.otro = b, a               # a cycle, dropped at the next iteration
        total += a.otro.v + b.otro.v        # the pair is intact while we hold it
        if i % 100 == 0:
            guardar.append(a)               # some cycles are kept
    out.append(total)

def recolectar(alto):
    veces = 0
    while not alto.is_set():
        gc.collect()
        veces += 1
    print("collector ran:", veces > 0)

old = gc.get_threshold()
gc.set_threshold(200, 10, 10)
alto = threading.Event()
guardados = [[] for _ in range(4)]
totales = []
colector = threading.Thread(target=recolectar, args=(alto,))
colector.start()
hilos = [threading.Thread(target=fabricar, args=(2000, g, totales)) for g in guardados]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
alto.set()
colector.join()

print(totales)
gc.collect()
print(ciclos_vivos(), sum(len(g) for g in guardados))
print(all(n.otro.otro is n for g in guardados for n in g))
del guardados
gc.collect()
print(ciclos_vivos())
gc.set_threshold(*old)
