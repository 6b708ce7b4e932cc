# gc.DEBUG_SAVEALL keeps every garbage object in gc.garbage instead of
# freeing it; the flags round-trip through set_debug/get_debug; clearing
# gc.garbage lets the next collection free them (no leak at exit).
import gc

class Node:
    def __init__(self, name):
        self.name = name

print(gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE,
      gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)
print("debug", gc.get_debug())
print("garbage", gc.garbage)

gc.collect()
gc.set_debug(gc.DEBUG_SAVEALL)
print("debug", gc.get_debug())
for name in ("a", "b"):
    n = Node(name)
    n.me = n
del n
found = gc.collect()
print("found", found >= 2)
nodes = sorted(o.name for o in gc.garbage if isinstance(o, Node))
print("saved", nodes)
print("intact", all(o.me is o for o in gc.garbage if isinstance(o, Node)))

gc.set_debug(0)
print("debug", gc.get_debug())
gc.garbage.clear()
print("freed", gc.collect() >= 2)
print("garbage", gc.garbage)

# DEBUG_LEAK includes SAVEALL
gc.set_debug(gc.DEBUG_LEAK)
l = []
l.append(l)
del l
gc.collect()
print("leak", any(type(o) is list and o and o[0] is o for o in gc.garbage))
gc.set_debug(0)
del gc.garbage[:]

# left in gc.garbage at exit: must not leak
gc.set_debug(gc.DEBUG_SAVEALL)
z = Node("z")
z.me = z
del z
gc.collect()
gc.set_debug(0)
print("left", [o.name for o in gc.garbage if isinstance(o, Node)])
