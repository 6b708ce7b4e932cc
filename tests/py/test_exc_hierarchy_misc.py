# exception hierarchy: arithmetic, lookup, name, runtime, import, value/unicode, syntax, warning subtrees
def mro(cls):
    return [c.__name__ for c in cls.__mro__]
for cls in [ZeroDivisionError, OverflowError, FloatingPointError, IndexError, KeyError,
            UnboundLocalError, RecursionError, NotImplementedError, ModuleNotFoundError,
            UnicodeError, UnicodeDecodeError, UnicodeEncodeError, IndentationError, TabError,
            UserWarning, DeprecationWarning, RuntimeWarning]:
    print(cls.__name__, mro(cls))
pairs = [(ZeroDivisionError, ArithmeticError), (KeyError, LookupError), (IndexError, LookupError),
         (UnboundLocalError, NameError), (RecursionError, RuntimeError), (NotImplementedError, RuntimeError),
         (ModuleNotFoundError, ImportError), (UnicodeDecodeError, ValueError), (TabError, SyntaxError),
         (TabError, IndentationError), (DeprecationWarning, Warning), (Warning, Exception),
         (KeyError, IndexError), (OverflowError, ValueError), (RecursionError, RecursionError),
         (StopIteration, RuntimeError), (AttributeError, LookupError), (EOFError, OSError)]
for sub, sup in pairs:
    print(sub.__name__, "<", sup.__name__, issubclass(sub, sup))
try:
    1 / 0
except ArithmeticError as e:
    print("ArithmeticError caught", type(e).__name__)
try:
    [][1]
except LookupError as e:
    print("LookupError caught", type(e).__name__)
def f():
    try:
        return x_undefined_local
    except NameError as e:
        return type(e).__name__
    x_undefined_local = 1
print(f())
try:
    raise NotImplementedError("todo")
except RuntimeError as e:
    print("RuntimeError caught", type(e).__name__, e)
