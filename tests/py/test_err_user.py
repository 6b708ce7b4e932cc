# uncaught user-defined exception class from __main__ (last line: __main__.MyError: boom)
class MyError(Exception):
    pass
class Other(MyError):
    pass
def check(v):
    if v > 3:
        raise MyError("boom")
    return v * 2
for i in range(3):
    print(check(i))
try:
    check(10)
except MyError as e:
    print("caught once:", e)
try:
    raise Other("sub")
except MyError as e:
    print("caught subclass:", type(e).__name__, e)
print(issubclass(Other, MyError))
print([c.__name__ for c in MyError.__mro__])
print("now uncaught")
check(4)
print("never")
