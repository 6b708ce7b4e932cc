# Checks weak references to objects that die in a reference cycle: the
# callbacks run from gc.collect(), weak containers drop the entries, and a
# weakref that is itself part of the garbage calls nothing back.
import gc
import weakref


class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None


a, b = Node("a"), Node("b")
a.peer, b.peer = b, a
ra = weakref.ref(a, lambda w: print("a collected, ref dead:", w() is None))
cache = weakref.WeakValueDictionary(a=a, b=b)
meta = weakref.WeakKeyDictionary({a: 1})
group = weakref.WeakSet([a, b])
del a, b
print("still alive:", ra() is not None, len(cache), len(meta), len(group))
gc.collect()
print("after collect:", ra() is None, len(cache), len(meta), len(group))

# the weakref lives inside the cycle: no callback
c = Node("c")
c.peer = c
c.selfref = weakref.ref(c, lambda w: print("must not run"))
del c
gc.collect()
print("no callback for a collected weakref")

# a callback that refers to its own ref (a cycle through the closure)
d = Node("d")
holder = {}
holder["r"] = weakref.ref(d, lambda w: print("d dead:", w is holder["r"]))
del d

# finalize on an object in a cycle
e = Node("e")
e.peer = e
weakref.finalize(e, print, "finalizer of e ran")
del e
gc.collect()

# many cycles, one collect
refs = []
for i in range(50):
    n = Node(i)
    n.peer = n
    refs.append(weakref.ref(n))
del n
gc.collect()
print(sum(1 for r in refs if r() is None))
