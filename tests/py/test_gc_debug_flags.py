# gc.set_debug flags: DEBUG_STATS and DEBUG_COLLECTABLE report on stderr
# only (stdout is untouched), collections still free the garbage (nothing
# is kept in gc.garbage without SAVEALL), and get_debug returns the flags.
import gc

class Node:
    pass

gc.collect()
for flags in (gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE,
              gc.DEBUG_STATS | gc.DEBUG_COLLECTABLE):
    gc.set_debug(flags)
    print("flags", gc.get_debug() == flags)
    for i in range(3):
        n = Node()
        n.me = n
    del n
    print("found", gc.collect() >= 3)
    print("garbage", gc.garbage)
gc.set_debug(0)
print("quiet", gc.get_debug(), gc.collect())

# with DEBUG_COLLECTABLE the objects are really freed: their __del__ runs
class Fin:
    runs = 0
    def __del__(self):
        Fin.runs += 1

gc.set_debug(gc.DEBUG_COLLECTABLE)
f = Fin()
f.me = f
del f
gc.collect()
gc.set_debug(0)
print("finalized", Fin.runs, gc.collect(), gc.garbage)
