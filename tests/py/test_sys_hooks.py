# sys.exception() and exc_info() while handling; sys.excepthook prints an
# exception as the interpreter does (to stderr: stdout must be untouched)
# and is sys.__excepthook__; displayhook writes repr and sets builtins._;
# sys.stdout.write returns the number of characters written.
import sys
import builtins

print(sys.exception())
try:
    raise KeyError("k")
except KeyError as e:
    print(repr(sys.exception()), sys.exception() is e, sys.exc_info()[1] is e)
    try:
        raise ValueError("inner")
    except ValueError:
        print(repr(sys.exception()))
    print(repr(sys.exception()))
print(sys.exception(), sys.exc_info())

print(sys.excepthook is sys.__excepthook__, callable(sys.excepthook))
try:
    1 / 0
except ZeroDivisionError as e:
    print(sys.excepthook(type(e), e, e.__traceback__))
print(sys.excepthook(ValueError, ValueError("no traceback"), None))
for args in ((), (1, 2)):
    try:
        sys.excepthook(*args)
    except TypeError as e:
        print("TypeError:", e)

print(sys.displayhook is sys.__displayhook__)
sys.displayhook(None)
sys.displayhook([1, "two"])
print(builtins._)
sys.displayhook(42)
print(builtins._)

n = sys.stdout.write("hello\n")
print(n, sys.stdout.write(""), sys.stdout.write("é\n"))
print(sys.stdout.flush(), sys.stderr.flush())
print(sys.stderr.write("to stderr\n"))
try:
    sys.stdout.write(5)
except TypeError as e:
    print("TypeError:", e)
print(sys.stdout is sys.__stdout__, sys.stderr is sys.__stderr__)
