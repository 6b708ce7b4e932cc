# import: plain import of a module beside the script, attribute access, calling functions, classes from modules
print("before import")
import pymod_shapes
print("after import")
print(pymod_shapes.PI)
print(pymod_shapes.area_circle(2), pymod_shapes.area_rect(3, 4))
sq = pymod_shapes.Square(5)
print(sq, sq.area())
print(type(sq).__name__, type(sq).__module__)
print(pymod_shapes.__name__)
print(type(pymod_shapes).__name__)
print(pymod_shapes._private)
print(pymod_shapes.register("a"), pymod_shapes.register("b"), pymod_shapes.registry)
pymod_shapes.new_attr = "set from outside"
print(pymod_shapes.new_attr)
print(hasattr(pymod_shapes, "area_rect"), hasattr(pymod_shapes, "nope"))
try:
    pymod_shapes.nope
except AttributeError as e:
    print(e)
print(sorted(n for n in dir(pymod_shapes) if not n.startswith("__")))
print(__name__)
def uses_module():
    return pymod_shapes.area_rect(2, 2)
print(uses_module())
import pymod_shapes
print("second import does not re-run")
print(pymod_shapes.Square(2).area())
import pymod_counter, pymod_errors
print(pymod_counter.executions, pymod_errors.safe_div(1, 0))
