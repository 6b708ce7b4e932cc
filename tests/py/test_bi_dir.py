# dir(): names of user classes/instances/modules filtered to non-dunder, sorted output; dir() in function scope
class Base:
    base_attr = 1
    def base_method(self):
        pass
class Child(Base):
    child_attr = 2
    def __init__(self):
        self.inst = 3
    def child_method(self):
        pass
    def _private(self):
        pass
def public(names):
    return [n for n in names if not n.startswith("__")]
print(public(dir(Child)))
print(public(dir(Child())))
print(public(dir(Base)))
print(dir(Child) == sorted(dir(Child)))
def local_scope(a, b=1):
    c = 3
    return dir()
print(local_scope(0))
import pymod_shapes
print(public(dir(pymod_shapes)))
print("append" in dir([]), "upper" in dir(""), "keys" in dir({}), "bit_length" in dir(1))
print(public(dir([])))
print(public(dir({})))
print(public(dir(set())))
print(public(dir(())))
class Custom:
    def __dir__(self):
        return ["z", "a", "m"]
print(dir(Custom()))
print("__init__" in dir(Child), "__class__" in dir(Child()), "__doc__" in dir(Base))
x = Child()
x.extra = 1
print([n for n in dir(x) if n in ("extra", "inst", "child_attr", "base_attr")])
