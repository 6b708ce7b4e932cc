# module objects: __name__, __dict__ contents, globals of functions refer to their module, mutation visibility
import pymod_shapes
import pymod_counter
print(pymod_shapes.__name__, pymod_counter.__name__)
d = pymod_shapes.__dict__
print(type(d).__name__, "area_rect" in d, d["PI"])
print(pymod_shapes.area_rect.__module__)
print(pymod_shapes.Square.__module__)
pymod_shapes.PI = 3
print(pymod_shapes.area_circle(1))
pymod_counter.value = 100
print(pymod_counter.bump())
from pymod_counter import bump
print(bump(), pymod_counter.value)
setattr(pymod_counter, "dynamic", 1)
print(getattr(pymod_counter, "dynamic"), hasattr(pymod_counter, "dynamic"))
delattr(pymod_counter, "dynamic")
print(hasattr(pymod_counter, "dynamic"))
print(sorted(k for k in vars(pymod_counter) if not k.startswith("__")))
print(pymod_shapes.__file__.endswith("pymod_shapes.py"))
print(__name__, type(__builtins__).__name__ in ("module", "dict"))
import pymod_errors
try:
    pymod_errors.fail("attr test")
except pymod_errors.ModError as e:
    print("caught module exception:", e)
print(isinstance(pymod_errors.ModError("x"), Exception))
print(repr(pymod_shapes.Square(1)))
