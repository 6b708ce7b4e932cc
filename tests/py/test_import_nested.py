# module importing modules: transitive imports, shared module objects, names re-exported via from-import
import pymod_chain
print(pymod_chain.make(3).area())
print(pymod_chain.CIRCLE_CONSTANT)
import pymod_shapes
print(pymod_chain.Square is pymod_shapes.Square)
print(pymod_chain.pymod_counter.value)
import pymod_counter
pymod_counter.bump()
print(pymod_chain.counter_value())
print(sorted(n for n in dir(pymod_chain) if not n.startswith("__")))
from pymod_chain import Square
print(Square(7))
mods = sorted(m for m in dir() if m.startswith("pymod_"))
print(mods)
def f():
    from pymod_chain import make
    return [make(i).area() for i in range(4)]
print(f())
print(pymod_shapes.registry)
pymod_shapes.register("from nested test")
print(len(pymod_shapes.registry))
print(pymod_chain.make.__globals__ is vars(pymod_chain))
print(pymod_chain.make.__module__)
