# subclassing Exception and builtin exceptions: custom __init__, extra fields, __str__, catch by builtin base
class ValidationError(ValueError):
    def __init__(self, field, problem):
        super().__init__(field + ": " + problem)
        self.field = field
        self.problem = problem
try:
    raise ValidationError("age", "must be positive")
except ValueError as e:
    print(type(e).__name__, e, e.field, e.args)
class HttpError(Exception):
    def __init__(self, code):
        self.code = code
    def __str__(self):
        return "HTTP %d" % self.code
try:
    raise HttpError(404)
except Exception as e:
    print(str(e), repr(e), e.args, e.code)
class NotFound(HttpError, LookupError):
    pass
try:
    raise NotFound(404)
except LookupError as e:
    print("caught as LookupError:", e)
print([c.__name__ for c in NotFound.__mro__])
class MyKeyError(KeyError):
    pass
try:
    raise MyKeyError("k")
except KeyError as e:
    print(repr(e), str(e))
class NoSuper(Exception):
    def __init__(self, a, b):
        self.a, self.b = a, b
e = NoSuper(1, 2)
print(e.args, e.a + e.b, str(e))
class WithClassAttr(RuntimeError):
    code = 99
try:
    raise WithClassAttr
except RuntimeError as e:
    print(e.code, repr(e))
class StopWithValue(StopIteration):
    pass
s = StopWithValue("v")
print(s.value, isinstance(s, StopIteration))
class OSish(OSError):
    pass
o = OSish(5, "custom io")
print(o.errno, o.strerror, str(o))
class AE(AttributeError):
    pass
class UsesAE:
    def __getattr__(self, n):
        raise AE("custom attribute error for " + n)
print(getattr(UsesAE(), "x", "default via subclass"))
class Chain(Exception):
    pass
try:
    try:
        raise ValidationError("f", "p")
    except ValueError as inner:
        raise Chain("outer") from inner
except Chain as e:
    print(e, "<-", e.__cause__, type(e.__cause__).__name__)
