# annotated assignment: module, class and function scopes, annotations without value, __annotations__
x: int = 5
print(x)
y: str
try:
    print(y)
except NameError as e:
    print(type(e).__name__, e)
z: list = [1, 2]
print(z)
print(sorted(__annotations__))
print(__annotations__["x"] is int)
class Point:
    x: int
    y: int = 0
    label: str = "p"
print(sorted(Point.__annotations__))
print(Point.y, Point.label, hasattr(Point, "x"))
def f(a: int, b: "str" = "d") -> float:
    c: int = 3
    return a + c
print(f(1))
print(f.__annotations__["a"] is int, f.__annotations__["b"], f.__annotations__["return"] is float)
class Obj:
    pass
o = Obj()
o.attr: int = 10
print(o.attr)
d = {}
d["k"]: str = "v"
print(d)
def g():
    v: int
    v = 3
    return v
print(g())
n: int = 1 + 2 * 3
print(n)
t: tuple = (1, 2)
print(t)
m: "anything goes" = "ok"
print(m)
