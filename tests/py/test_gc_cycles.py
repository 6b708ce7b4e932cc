# gc.collect frees cycles of instances (plain, with __del__, through
# lists and dicts), returns at least the number of objects it found, and
# runs each __del__ exactly once.
import gc

class Node:
    pass

class Fin:
    deleted = []
    def __init__(self, name):
        self.name = name
    def __del__(self):
        Fin.deleted.append(self.name)

gc.collect()
for i in range(20):
    n = Node()
    n.me = n
del n
print("self cycles", gc.collect() >= 20)

a, b = Node(), Node()
a.other, b.other = b, a
del a, b
print("pair", gc.collect() >= 2)

l = []
l.append(l)
del l
print("list cycle", gc.collect() >= 1)

d = {}
d["self"] = d
del d
print("dict cycle", gc.collect() >= 1)

for name in "abc":
    f = Fin(name)
    f.me = f
del f
print("before", sorted(Fin.deleted))
print("fin cycles", gc.collect() >= 3)
print("after", sorted(Fin.deleted))
gc.collect()
print("once", sorted(Fin.deleted))

# a cycle between an object with __del__ and one without
x, y = Fin("x"), Node()
x.peer, y.peer = y, x
del x, y
gc.collect()
print("mixed", "x" in Fin.deleted, Fin.deleted.count("x"))

# nothing to find: 0
gc.collect()
print("empty", gc.collect())

# a live cycle is left alone
keep = Node()
keep.me = keep
gc.collect()
print("alive", keep.me is keep)
print("garbage", gc.garbage)
