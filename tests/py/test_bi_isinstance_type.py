# type() one-argument and three-argument forms, type checks used for dispatch, builtin type names, type() errors
def describe(v):
    t = type(v)
    if t is int:
        return "int"
    if t is float:
        return "float"
    if t is str:
        return "str"
    if t in (list, tuple):
        return "seq:" + t.__name__
    return "other:" + t.__name__
print([describe(v) for v in [1, 1.5, "s", [1], (1,), {1: 2}, None, True]])
print(type(1) == int, type(True) == int, type(True) == bool, isinstance(True, int))
print(type(type(1)), type(int), type("s"), type(None))
print(type([]).__name__, type({}).__name__, type(()).__name__, type(set()).__name__, type(1.5).__name__)
Point = type("Point", (object,), {"x": 0, "y": 0, "norm": lambda self: abs(self.x) + abs(self.y)})
p = Point()
p.x, p.y = 3, -4
print(type(p).__name__, p.norm(), Point.__bases__[0].__name__)
Base = type("Base", (), {"greet": lambda self: "hi from " + type(self).__name__})
Derived = type("Derived", (Base,), {})
print(Derived().greet(), [c.__name__ for c in Derived.__mro__])
try:
    type()
except TypeError as e:
    print(e)
try:
    type("X", 1, {})
except TypeError as e:
    print(e)
print(type(len).__name__, type(lambda: 0).__name__, type(print).__name__)
print(int("5") + type(5)("6"), type("a")(3), type([])("ab"), type(())([1]))
print(type(2 ** 100) is int, type(10 / 2) is float, type(10 // 2) is int)
class Meta(type):
    def __repr__(cls):
        return "<Meta class " + cls.__name__ + ">"
class WithMeta(metaclass=Meta):
    pass
print(repr(WithMeta), type(WithMeta) is Meta, type(WithMeta()).__name__)
print(type(Exception()).__name__, type(ValueError).__name__, type(object()).__name__)
