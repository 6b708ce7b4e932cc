# The generational collector and when it runs: new container objects
# count toward generation 0, a collection resets the counts, survivors stay alive,
# and automatic collection is triggered by the gen0 threshold.
import gc

gc.disable()
gc.collect()
c0 = gc.get_count()
print(c0[0] < 50)
vivos = [[i] for i in range(100)]
c1 = gc.get_count()
print("gen0 grows:", c1[0] - c0[0] >= 100)
print("ints are not counted:", gc.is_tracked(5), gc.is_tracked([5]))

gc.collect(0)
c2 = gc.get_count()
# (how older generations count is a build detail: free-threaded builds have one)
print("gen0 reset:", c2[0] < c1[0])
gc.collect()
c3 = gc.get_count()
print("full collect resets:", c3[0] < 50, c3[1] == 0, c3[2] == 0)

# survivors of a full collection are still there
print(len(vivos), vivos[99])

# with a low threshold and gc enabled, cycles are collected without calling collect()
class Nodo:
    pass
def ciclos_vivos():
    return sum(1 for o in gc.get_objects() if type(o) is Nodo)
old = gc.get_threshold()
gc.set_threshold(100, 10, 10)
gc.enable()
for i in range(5000):
    n = Nodo()
    n.yo = n
del n
print("automatic collection ran:", ciclos_vivos() < 5000)
gc.collect()
print(ciclos_vivos())
gc.set_threshold(*old)

# set_threshold(0) disables automatic collection even when enabled
gc.set_threshold(0)
gc.collect()
for i in range(1000):
    n = Nodo()
    n.yo = n
del n
print(ciclos_vivos())
print(gc.collect() >= 1000, ciclos_vivos())
gc.set_threshold(*old)
print(gc.get_threshold() == old)
