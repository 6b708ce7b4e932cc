# __slots__ removes the per-instance __dict__; instances
# accept only the listed attributes (scaled down from 10**6 instances).
import sys

class Punto:
    def __init__(self, x, y):
        self.x = x
        self.y = y

class PuntoOptimizado:
    __slots__ = ['x', 'y']
    def __init__(self, x, y):
        self.x = x
        self.y = y

p = Punto(1, 2)
q = PuntoOptimizado(1, 2)
print(hasattr(p, '__dict__'), hasattr(q, '__dict__'))
print(p.__dict__)
print(PuntoOptimizado.__slots__)
print(q.x, q.y)
p.z = 3
print(p.z)
try:
    q.z = 3
except AttributeError as e:
    print("AttributeError:", e)
del q.x
try:
    q.x
except AttributeError as e:
    print("AttributeError:", e)
q.x = 5
print(q.x)

puntos = [PuntoOptimizado(i, i) for i in range(10000)]
print(len(puntos), sum(pt.x + pt.y for pt in puntos))
# the memory saving: a slotted instance is not larger than a plain one plus its dict
print(sys.getsizeof(q) <= sys.getsizeof(p) + sys.getsizeof(p.__dict__))
