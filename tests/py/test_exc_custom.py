# user-defined exceptions: hierarchies, extra attributes, __str__ overrides, args, catching by base
class AppError(Exception):
    pass
class DbError(AppError):
    def __init__(self, table, msg):
        super().__init__(msg)
        self.table = table
class NotFound(DbError):
    def __str__(self):
        return "not found in " + self.table
class Warnish(AppError):
    def __init__(self, *args):
        self.count = len(args)
        super().__init__(*args)
try:
    raise DbError("users", "connection lost")
except AppError as e:
    print(type(e).__name__, e, e.table, e.args)
try:
    raise NotFound("orders", "ignored message")
except DbError as e:
    print(type(e).__name__, str(e), e.args, repr(e))
w = Warnish("a", "b", 3)
print(w.count, w.args, str(w))
print(repr(AppError()), str(AppError()), repr(AppError("x", 1)), str(AppError("x", 1)))
print(issubclass(NotFound, Exception), issubclass(NotFound, BaseException), issubclass(AppError, DbError))
print([c.__name__ for c in NotFound.__mro__])
class Plain(Exception):
    "doc"
p = Plain(42)
print(p.args, str(p), repr(p), p.args[0] + 1)
class WithRepr(Exception):
    def __repr__(self):
        return "WithRepr!"
print(repr(WithRepr("a")), str(WithRepr("a")))
def check(v):
    if v < 0:
        raise ValueError("negative: %d" % v)
    return v
results = []
for v in [1, -2, 3]:
    try:
        results.append(check(v))
    except ValueError as e:
        results.append(str(e))
print(results)
class BaseErr(BaseException):
    pass
try:
    try:
        raise BaseErr("not an Exception")
    except Exception:
        print("wrong")
except BaseException as e:
    print("BaseException caught", type(e).__name__, e)
e1 = KeyError("key")
print(str(e1), repr(e1), str(KeyError()), str(KeyError(1, 2)))
e2 = OSError(2, "No such file")
print(e2.errno, e2.strerror, str(e2))
