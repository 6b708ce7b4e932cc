# import errors: from-import of a missing name (ImportError message), missing module (ModuleNotFoundError)
try:
    from pymod_shapes import does_not_exist
except ImportError as e:
    print(type(e).__name__)
    print(str(e).split(" (")[0])
    print(e.name)
try:
    import pymod_no_such_module
except ModuleNotFoundError as e:
    print(type(e).__name__, e, e.name)
try:
    import pymod_no_such_module as x
except ImportError as e:
    print("as ImportError:", type(e).__name__, e)
try:
    from pymod_missing_too import thing
except ImportError as e:
    print(type(e).__name__, e)
try:
    from pymod_shapes import PI, missing_second
except ImportError as e:
    print(str(e).split(" (")[0])
print(issubclass(ModuleNotFoundError, ImportError))
try:
    import pymod_raises
except ValueError as e:
    print("error during import:", e)
print("pymod_raises" in dir())
try:
    import pymod_raises
except ValueError as e:
    print("second attempt re-runs:", e)
try:
    from math import no_such_function
except ImportError as e:
    print(str(e).split(" (")[0])
from pymod_shapes import area_rect
print(area_rect(2, 3))
