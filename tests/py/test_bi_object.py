# object(): bare instances, no attribute assignment, identity equality, default methods (__eq__, __hash__, __str__)
o = object()
print(type(o).__name__, o == o, o != object(), o is o)
try:
    o.x = 1
except AttributeError as e:
    print(e)
try:
    o.missing
except AttributeError as e:
    print(e)
print(hash(o) == hash(o), isinstance(o, object), issubclass(int, object))
print(str(o).startswith("<object object at "), repr(o) == str(o))
sentinel = object()
def lookup(d, k, default=sentinel):
    v = d.get(k, sentinel)
    if v is sentinel:
        if default is sentinel:
            return "KeyError-like"
        return default
    return v
print(lookup({"a": None}, "a"), lookup({}, "a"), lookup({}, "a", 0))
print(object.__name__, object.__bases__, type(object).__name__)
print(o.__class__ is object, type(o.__eq__(o)).__name__, o.__eq__(1))
print(object.__eq__(o, o), o.__ne__(o), o.__hash__() == hash(o))
class Plain:
    pass
p = Plain()
print(p == p, p == Plain(), p.__eq__(Plain()) is NotImplemented)
print(sorted(n for n in dir(object()) if not n.startswith("__")))
print(len([object() for _ in range(3)]), object() is object())
print(object.__init__ is not None, callable(object))
try:
    object(1)
except TypeError as e:
    print(e)
print(isinstance(Plain, object), isinstance(3, object), isinstance(None, object))
print(object in Plain.__mro__, Plain.__mro__[-1] is object)
markers = [object() for _ in range(3)]
print([markers.index(m) for m in markers], markers[1] in markers)
