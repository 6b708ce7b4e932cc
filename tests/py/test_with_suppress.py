# with statement: __exit__ returning True suppresses the exception; selective suppression; exit args
class Suppress:
    def __init__(self, *types):
        self.types = types
        self.seen = None
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        self.seen = t.__name__ if t else None
        return t is not None and issubclass(t, self.types)
with Suppress(ZeroDivisionError) as s:
    1 / 0
    print("not reached")
print("suppressed", s.seen)
with Suppress(KeyError, IndexError) as s:
    [][3]
print("suppressed", s.seen)
try:
    with Suppress(KeyError) as s:
        int("bad")
except ValueError as e:
    print("not suppressed:", e, s.seen)
with Suppress(Exception) as s:
    pass
print("no exception:", s.seen)
def f():
    with Suppress(ValueError):
        raise ValueError("x")
    return "continued after with"
print(f())
class Truthy:
    def __enter__(self):
        return None
    def __exit__(self, *a):
        return "non-empty string is true"
with Truthy():
    raise RuntimeError("swallowed")
print("swallowed by truthy return")
class Falsy:
    def __enter__(self):
        return None
    def __exit__(self, *a):
        return 0
try:
    with Falsy():
        raise RuntimeError("kept")
except RuntimeError as e:
    print("kept:", e)
class Inspect:
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        print(t.__name__, repr(v), tb is not None, isinstance(v, t))
        return True
with Inspect():
    raise KeyError("detail")
count = 0
for i in range(5):
    with Suppress(ZeroDivisionError):
        count += 1
        x = 1 / (i % 2)
        count += 10
print(count)
with Suppress(StopIteration):
    next(iter([]))
print("StopIteration suppressed")
