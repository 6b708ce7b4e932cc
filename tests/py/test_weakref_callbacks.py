# Checks weakref callbacks: called with the weakref when the referent dies,
# newest first, not at all when the weakref died first; an exception in a
# callback is reported on stderr and does not propagate; __callback__.
import weakref


class Obj:
    def __init__(self, name):
        self.name = name


log = []
o = Obj("o")
refs = [weakref.ref(o, lambda w, i=i: log.append((i, w() is None))) for i in range(4)]
print(refs[2].__callback__ is not None, weakref.ref(o).__callback__)
del o
print(log)  # newest first, each sees its referent gone

# the callback receives the very weakref object
seen = []
p = Obj("p")
rp = weakref.ref(p, seen.append)
del p
print(len(seen), seen[0] is rp, rp.__callback__)

# a weakref that dies before its referent never calls back
q = Obj("q")
rq = weakref.ref(q, lambda w: print("never called"))
del rq
del q
print("no callback for a dead weakref")


# an exception in a callback is printed to stderr, not raised here
def bad(w):
    raise ValueError("boom in callback")


s = Obj("s")
rs = weakref.ref(s, bad)
rs2 = weakref.ref(s, lambda w: print("later callback still runs"))
try:
    del s
    print("del went on")
except ValueError:
    print("propagated!")

# callbacks fire while another exception is being handled, without
# disturbing it
t = Obj("t")
rt = weakref.ref(t, lambda w: print("callback during except"))
try:
    try:
        raise KeyError("outer")
    except KeyError:
        del t
        raise
except KeyError as e:
    print("kept", repr(e))


# a callback that makes a new object and weakref of its own
def chain(w):
    n = Obj("n")
    weakref.ref(n, lambda w2: print("nested callback"))


u = Obj("u")
ru = weakref.ref(u, chain)
del u
print("end")
