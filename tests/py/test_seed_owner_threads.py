# Objects made by one thread and released by another
# are freed at once by the last decref, after the maker thread has been joined (with
# free-threading's biased counts, the maker's counts must be merged by then).
import threading

# objects created in one thread and released in another
cola = []
listo = threading.Event()
class Caja:
    vivas = 0
    def __init__(self):
        Caja.vivas += 1
    def __del__(self):
        Caja.vivas -= 1
def productor():
    for i in range(500):
        cola.append(Caja())
    listo.set()
t = threading.Thread(target=productor)
t.start()
listo.wait()
t.join()
print(len(cola), Caja.vivas)
cola.clear()
print(Caja.vivas)

# the same with four makers at once
vivas = []
class Bolsa:
    def __del__(self):
        vivas.append(1)
def hacer(n, out):
    for i in range(n):
        out.append(Bolsa())
cajas = [[] for _ in range(4)]
hilos = [threading.Thread(target=hacer, args=(300, c)) for c in cajas]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(sum(len(c) for c in cajas), len(vivas))
del cajas
print(len(vivas))
