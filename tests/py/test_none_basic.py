# None: singleton identity, repr, falsiness, default returns, NoneType, comparisons raising TypeError
print(None, repr(None), str(None), type(None).__name__)
x = None
print(x is None, x == None, x != None, None is not x)
print(bool(None), not None, None or "alt", None and "never")
def f():
    pass
print(f() is None, f() == None)
print([None] * 3, (None,), {None: None})
print(None in [None], None in [0, False, ""], [0, None].index(None))
print(type(None)() is None)
try:
    None < 1
except TypeError as e:
    print(e)
try:
    None + 1
except TypeError as e:
    print(e)
try:
    fn = None
    fn()
except TypeError as e:
    print(e)
try:
    None.attr
except AttributeError as e:
    print(e)
try:
    len(None)
except TypeError as e:
    print(e)
try:
    for _ in None:
        pass
except TypeError as e:
    print(e)
try:
    fn[0]
except TypeError as e:
    print(e)
print(hash(None) == hash(None), {None: 1}[None])
print(sorted([3, 1, 2], key=lambda v: (v is None, v)))
d = {"a": None}
print(d.get("a"), d.get("b"), d.get("a", "dflt"), "a" in d)
print(str(None).lower(), f"{None}", "%s" % None, "{!r}".format(None))
vals = [1, None, 2, None]
print([v for v in vals if v is not None], vals.count(None))
print(max([1, 5, 3], default=None), min([], default=None))
print(None.__class__.__name__, isinstance(None, object))
