# callable() and vars(): functions, classes, instances with/without __call__, builtins; vars on instances/classes/modules
def f():
    pass
class NoCall:
    pass
class WithCall:
    def __call__(self):
        return 1
print(callable(f), callable(lambda: 0), callable(print), callable(len), callable(int), callable(NoCall))
print(callable(NoCall()), callable(WithCall()), callable(1), callable("s"), callable(None), callable([]))
print(callable(NoCall.__init__), callable(f.__call__), callable(WithCall.__call__), callable(str.upper))
class K:
    x = 1
    def __init__(self):
        self.a = 1
        self.b = [2]
k = K()
print(vars(k), vars(k) == k.__dict__)
vars(k)["c"] = 3
print(k.c)
print(sorted(n for n in vars(K) if not n.startswith("__")))
import pymod_counter
print(sorted(n for n in vars(pymod_counter) if not n.startswith("__")))
try:
    vars(1)
except TypeError as e:
    print(e)
try:
    vars([])
except TypeError as e:
    print(e)
class Slotted:
    __slots__ = ("a",)
try:
    vars(Slotted())
except TypeError as e:
    print(e)
def show_locals(p, q=2):
    r = p + q
    return sorted(vars().items()) if False else sorted(locals().items())
print(show_locals(1))
top_level = "visible"
print("top_level" in vars(), vars()["top_level"])
print(callable(type), callable(type(k)), callable(k.__init__), callable(vars))
