# @property with getter/setter/deleter, computed attributes, read-only properties raise AttributeError
class Circle:
    def __init__(self, r):
        self._r = r
    @property
    def radius(self):
        return self._r
    @radius.setter
    def radius(self, value):
        if value < 0:
            raise ValueError("radius must be >= 0")
        self._r = value
    @radius.deleter
    def radius(self):
        print("deleting radius")
        del self._r
    @property
    def area(self):
        return round(3.14159 * self._r ** 2, 3)
c = Circle(2)
print(c.radius, c.area)
c.radius = 3
print(c.radius, c.area)
try:
    c.radius = -1
except ValueError as e:
    print("ValueError", e)
try:
    c.area = 10
except AttributeError as e:
    print("AttributeError", e)
del c.radius
print(hasattr(c, "_r"))
class Lazy:
    def __init__(self):
        self.calls = 0
    @property
    def value(self):
        self.calls += 1
        return 42
lz = Lazy()
print(lz.value, lz.value, lz.calls)
print(type(Circle.radius).__name__)
print(Circle.radius.fget.__name__)
class OldStyle:
    def __init__(self):
        self._x = 0
    def getx(self):
        return self._x
    def setx(self, v):
        self._x = v * 2
    x = property(getx, setx, None, "x doc")
o = OldStyle()
o.x = 5
print(o.x, OldStyle.x.__doc__)
class Sub(Circle):
    @property
    def area(self):
        return "overridden"
s = Sub(1)
print(s.area, s.radius)
class Person:
    def __init__(self, first, last):
        self.first, self.last = first, last
    @property
    def full(self):
        return self.first + " " + self.last
    @full.setter
    def full(self, v):
        self.first, self.last = v.split(" ")
p = Person("Ada", "Lovelace")
print(p.full)
p.full = "Grace Hopper"
print(p.first, p.last)
