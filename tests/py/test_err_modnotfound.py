# uncaught ModuleNotFoundError for a missing module (last line: ModuleNotFoundError: No module named '...')
import math
print(math.floor(2.5))
try:
    import pymod_absent
except ImportError as e:
    print("caught:", type(e).__name__, e)
print(math.sqrt(9))
def use():
    import pymod_counter
    return pymod_counter.bump()
print(use(), use())
print("a")
print("b")
print("c")
print("d")
print("e")
print("f")
import pymod_absent_for_real
print("never")
