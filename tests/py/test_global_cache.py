# LOAD_GLOBAL's cache (objects/code.h, co_gcache): every change to the
# globals or builtins a function reads is seen by its next read —
# rebound, deleted, shadowed, unshadowed, builtins changed, the same code
# run with other globals, a dict cleared, a module's names deleted.
import builtins

X = 1

def read_x():
    return X

def read_len(s):
    return len(s)

out = []
for i in range(6):
    out.append(read_x())
    X = X + 1            # rebinds the global the loop reads
print("rebound", out)

del X
try:
    read_x()
except NameError as e:
    print("deleted:", e)
X = "back"
print("again", read_x())

# A global shadowing a builtin, then removed: the builtin comes back.
print("builtin", read_len("abc"))
def len(s):
    return -1
print("shadowed", read_len("abc"))
del len
print("unshadowed", read_len("abc"))

# Builtins changed while the cache holds the builtin's value.
saved = builtins.len
builtins.len = lambda s: 42
print("patched builtin", read_len("abc"))
builtins.len = saved
print("restored builtin", read_len("abc"))

# A global added that the cache found in builtins until now.
def read_abs():
    return abs(-3)
print("abs", read_abs())
globals()["abs"] = lambda v: "mine"
print("abs shadowed", read_abs())
del globals()["abs"]
print("abs back", read_abs())

# One code object, several globals dicts (exec): each answers for itself.
code = compile("def f():\n    return Y\n", "<gc>", "exec")
g1 = {"Y": "one"}
g2 = {"Y": "two"}
exec(code, g1)
exec(code, g2)
for _ in range(3):
    print("exec", g1["f"](), g2["f"]())
g1["Y"] = "uno"
print("exec after", g1["f"](), g2["f"]())
g2.clear()
g2["Y"] = "dos"
try:
    g1["f"]()
    print("g1 still", g1["f"]())
    print("g2 cleared", g1["f"].__globals__ is g1)
except NameError as e:
    print("unexpected", e)

# A function reading a global that a dict update, pop and popitem change.
def read_z():
    try:
        return Z
    except NameError:
        return "no Z"
for step in range(5):
    if step == 1:
        globals().update(Z="updated")
    elif step == 2:
        globals().pop("Z")
    elif step == 3:
        globals().setdefault("Z", "defaulted")
    elif step == 4:
        globals()["Z"] = "set"
    print("step", step, read_z())

# Globals read in a loop while the loop itself rebinds them through
# another function.
counter = 0
def bump():
    global counter
    counter += 1
def loop():
    total = 0
    for _ in range(100):
        bump()
        total += counter
    return total
print("loop", loop(), counter)

# A cached value that dies with its global: the cache must not hand it out.
class Box:
    def __init__(self, v):
        self.v = v
B = Box(1)
def read_b():
    return B.v
vals = []
for i in range(5):
    vals.append(read_b())
    B = Box(i + 10)   # the old box dies here
print("boxes", vals)
