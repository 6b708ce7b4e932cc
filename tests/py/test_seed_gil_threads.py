# The GIL's promise: reference counts stay exact when several threads
# take and drop references to shared objects at once (what the GIL, or free-threading's
# biased/atomic counts, protect); a lock-protected counter.
import sys
import threading

compartido = [1, 2, 3]
base = sys.getrefcount(compartido)

def trabajar(n, salida):
    locales = []
    for i in range(n):
        locales.append(compartido)          # +1 reference each
        if len(locales) > 50:
            locales.clear()                 # dropped in bulk
    salida.append(len(locales))

salidas = []
hilos = [threading.Thread(target=trabajar, args=(2000, salidas)) for _ in range(4)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(sorted(salidas))
print("refcount back to base:", sys.getrefcount(compartido) == base)

# a counter: += is not atomic, the lock makes the total exact
contador = 0
candado = threading.Lock()
def sumar():
    global contador
    for i in range(5000):
        with candado:
            contador += 1
hilos = [threading.Thread(target=sumar) for _ in range(4)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(contador)
print(threading.active_count())
