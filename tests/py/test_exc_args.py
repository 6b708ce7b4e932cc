# exception objects: args, str/repr for 0/1/many args, attributes set on instances, with_traceback, __class__
cases = [ValueError(), ValueError("one"), ValueError("a", "b"), ValueError(42), KeyError("k"),
         KeyError(), IndexError("i", 2), Exception(None), RuntimeError(""), TypeError(["list"])]
for e in cases:
    print(type(e).__name__, e.args, "str=" + str(e), "repr=" + repr(e))
e = ValueError("x")
e.extra = "attached"
print(e.extra)
e.args = ("new", "args")
print(e.args, str(e))
print(isinstance(e, ValueError), e.__class__.__name__)
s = StopIteration(5)
print(s.value, s.args)
s2 = StopIteration()
print(s2.value)
se = SystemExit(3)
print(se.code, se.args)
se2 = SystemExit()
print(se2.code)
se3 = SystemExit("msg", 1)
print(se3.code)
print(repr(KeyError("a b")), str(KeyError("a b")))
print(str(KeyError(("t", 1))))
print(BaseException("base").args)
try:
    raise ValueError("with", "many", 3)
except ValueError as err:
    print(err.args[2], len(err.args))
ex = Exception("tb")
print(ex.__traceback__)
print(ex.with_traceback(None) is ex)
def raiser():
    raise OverflowError("big")
try:
    raiser()
except OverflowError as e:
    print(e.__traceback__ is not None)
ie = ImportError("no module", name="mod")
print(ie.name, ie.args, str(ie))
ae = AttributeError("attr msg")
print(str(ae))
print(repr(UnicodeError("u")))
print(Exception("a") == Exception("a"))
