# What reference counting gives and where memory leaks: __del__ runs
# as soon as the last reference goes; what keeps objects alive longer: a
# closure cell, a global container; and a cycle with __del__ (collected).
import gc

class Rastreado:
    def __init__(self, nombre):
        self.nombre = nombre
    def __del__(self):
        print("liberado", self.nombre)

# deterministic: freed at del, at rebinding, at function return
a = Rastreado("a")
print("antes de del")
del a
print("después de del")
b = Rastreado("b1")
b = Rastreado("b2")
print("rebind hecho")
def usar():
    local = Rastreado("local")
    print("dentro")
usar()
print("después de usar")

# a closure keeps its captured variable alive as long as the function exists
def crear_closure():
    datos = Rastreado("capturado")
    def funcion():
        return datos.nombre
    return funcion
f = crear_closure()
print(f())
del f
print("closure eliminada")

# a global container grows and keeps everything until it is cleared (the order in
# which clear() frees the items is an interpreter detail: only the set is printed)
liberados = []
class Registrado:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        liberados.append(self.n)
registro = []
for i in range(3):
    registro.append(Registrado(i))
print(len(registro), liberados)
registro.clear()
print("registro vacío", sorted(liberados))

# cycle with __del__: refcounting cannot free it, the collector can (and calls __del__)
gc.disable()
x = Rastreado("ciclo")
x.yo = x
del x
print("ciclo sin referencias externas")
print(gc.collect() >= 1)
print(gc.garbage)
gc.enable()
print("fin")
