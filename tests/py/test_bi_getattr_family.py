# getattr/setattr/hasattr/delattr: defaults, dynamic names, on classes/modules/builtins, error messages
class C:
    cls_attr = "class value"
    def method(self):
        return "method result"
c = C()
setattr(c, "dyn", 42)
print(getattr(c, "dyn"), c.dyn, getattr(c, "cls_attr"), getattr(c, "method")())
print(getattr(c, "missing", "fallback"), getattr(c, "missing", None))
print(hasattr(c, "dyn"), hasattr(c, "missing"), hasattr(C, "method"), hasattr(C, "dyn"))
delattr(c, "dyn")
print(hasattr(c, "dyn"))
try:
    getattr(c, "missing")
except AttributeError as e:
    print(e)
try:
    delattr(c, "missing")
except AttributeError as e:
    print(e)
try:
    getattr(c, 5)
except TypeError as e:
    print(e)
try:
    setattr(5, "x", 1)
except AttributeError as e:
    print(e)
try:
    getattr(C, "nope")
except AttributeError as e:
    print(e)
for name in ["a", "b", "c"]:
    setattr(c, name, name.upper())
print([getattr(c, n) for n in "abc"])
setattr(C, "added", lambda self: "added method")
print(c.added())
print(getattr("str", "upper")(), getattr([1, 2], "count")(1), getattr(3, "real"))
print(hasattr([], "append"), hasattr(1, "append"), hasattr(None, "__class__"))
import math
print(getattr(math, "pi") == math.pi, hasattr(math, "no_such"))
class Prop:
    @property
    def boom(self):
        raise ValueError("property raised")
    @property
    def attr_err(self):
        raise AttributeError("inner")
try:
    hasattr(Prop(), "boom")
except ValueError as e:
    print("hasattr propagates:", e)
print(hasattr(Prop(), "attr_err"), getattr(Prop(), "attr_err", "default used"))
try:
    "s".upper = 1
except AttributeError as e:
    print(e)
try:
    c.cls_attr_missing_attr
except AttributeError as e:
    print(e)
