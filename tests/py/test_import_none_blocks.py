# None in sys.modules blocks an import with CPython's ModuleNotFoundError,
# for a module never imported and for one already loaded; removing the
# None lets the import run again.
import sys
sys.modules['zz_blocked'] = None
try:
    import zz_blocked
except ImportError as e:
    print(type(e).__name__, e)
import math
saved = sys.modules['math']
sys.modules['math'] = None
try:
    from math import sqrt
except ModuleNotFoundError as e:
    print(type(e).__name__, e)
sys.modules['math'] = saved
from math import sqrt
print(sqrt(16.0))
del sys.modules['zz_blocked']
try:
    import zz_blocked
except ImportError as e:
    print(type(e).__name__, e)
