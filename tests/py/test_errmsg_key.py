# KeyError: str() shows the repr of the key; tuple keys, missing keys in dict methods, set.remove, nested
d = {"a": 1}
for key in ["missing", 42, (1, 2), None, "", "quote'd", 1.5, frozenset()]:
    try:
        d[key]
    except KeyError as e:
        print(repr(e), str(e), e.args)
try:
    d.pop("nope")
except KeyError as e:
    print("pop:", e)
try:
    {}.popitem()
except KeyError as e:
    print("popitem:", e)
try:
    set().remove("x")
except KeyError as e:
    print("set.remove:", e)
try:
    set().pop()
except KeyError as e:
    print("set.pop:", e)
try:
    del d["zz"]
except KeyError as e:
    print("del:", e)
nested = {"outer": {"inner": 1}}
try:
    nested["outer"]["missing"]
except KeyError as e:
    print("nested:", e)
try:
    raise KeyError("custom", "two args")
except KeyError as e:
    print(str(e), repr(e))
try:
    raise KeyError()
except KeyError as e:
    print(repr(str(e)), repr(e))
try:
    "%(name)s" % {}
except KeyError as e:
    print("format:", e)
try:
    "{key}".format(other=1)
except KeyError as e:
    print("str.format:", e)
print(issubclass(KeyError, LookupError), isinstance(KeyError("x"), LookupError))
