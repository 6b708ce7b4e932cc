# Cycles: reference cycles survive refcounting and are found by gc.collect();
# gc.get_objects() shows whether they still exist; __del__ in a cycle still runs (PEP 442).
import gc

def object_by_id(object_id):
    for obj in gc.get_objects():
        if id(obj) == object_id:
            return "Object exists"
    return "Not found"

# A <-> B cycle with the GC switched off
class A:
    def __init__(self):
        self.b = B(self)
class B:
    def __init__(self, a):
        self.a = a

gc.collect()
gc.disable()
my_var = A()
a_id = id(my_var)
b_id = id(my_var.b)
print('a: {0}'.format(object_by_id(a_id)))
print('b: {0}'.format(object_by_id(b_id)))
my_var = None
print('a: {0}'.format(object_by_id(a_id)))
print('b: {0}'.format(object_by_id(b_id)))
print('collected >= 2:', gc.collect() >= 2)
print('a: {0}'.format(object_by_id(a_id)))
print('b: {0}'.format(object_by_id(b_id)))

# Nodo cycle; a self-referencing ContenedorCircular
class Nodo:
    def __init__(self, valor):
        self.valor = valor
        self.siguiente = None

nodo1 = Nodo(1)
nodo2 = Nodo(2)
nodo1.siguiente = nodo2
nodo2.siguiente = nodo1
print(nodo1.siguiente.siguiente is nodo1)
del nodo1, nodo2
print(sum(1 for o in gc.get_objects() if type(o) is Nodo))
gc.collect()
print(sum(1 for o in gc.get_objects() if type(o) is Nodo))

class ContenedorCircular:
    def __init__(self):
        self.referencia = self
obj = ContenedorCircular()
del obj
print(sum(1 for o in gc.get_objects() if type(o) is ContenedorCircular), gc.collect() >= 1)

# a cycle whose class has __del__ is collected, and __del__ runs once
class ProblematicaGC:
    def __init__(self):
        self.referencia = self
    def __del__(self):
        print("Siendo destruido")
p = ProblematicaGC()
del p
print("antes de collect")
gc.collect()
print("después de collect", gc.garbage)
gc.enable()

# Building and dropping a big list, then collecting (scaled down from 10**6)
data = [i for i in range(100000)]
print("Lista creada", len(data))
del data
print("Referencia eliminada")
print(type(gc.collect()) is int)
print("Memoria liberada con éxito")
