# uncaught ImportError from importing a missing name from a helper module (last stderr line compared)
print("setup step 1", 1 * 1)
print("setup step 2", 2 * 2)
import pymod_counter
print(pymod_counter.executions)
print(pymod_counter.bump(), pymod_counter.bump())
from pymod_counter import bump
print(bump())
try:
    from pymod_counter import nothing_here
except ImportError as e:
    print("caught:", str(e).split(" (")[0])
print(pymod_counter.value)
print(sorted(n for n in dir(pymod_counter) if not n.startswith("_")))
print("now uncaught")
print(1 + 1)
print("two")
print("three")
print("four")
from pymod_counter import missing_name
print("never")
