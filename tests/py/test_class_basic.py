# classes: definition, instances, methods, self, class vs instance attributes, bound methods, __doc__
class Point:
    "A 2D point."
    dims = 2
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def norm2(self):
        return self.x * self.x + self.y * self.y
    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)
    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)
p = Point(3, 4)
print(p, p.norm2(), p.dims, Point.dims)
q = p.moved(1, -1)
print(q, p)
print(Point.__doc__)
print(Point.__name__, type(p).__name__, type(p) is Point)
m = p.norm2
print(m())
print(Point.norm2(q))
p.dims = 3
print(p.dims, Point.dims, q.dims)
Point.dims = 4
print(q.dims)
print(isinstance(p, Point), isinstance(3, Point))
class Counter:
    instances = 0
    def __init__(self):
        Counter.instances += 1
        self.id = Counter.instances
a, b, c = Counter(), Counter(), Counter()
print(Counter.instances, a.id, c.id)
class Empty:
    pass
e = Empty()
e.anything = 1
print(e.anything)
print(type(Empty).__name__)
class Chain:
    def __init__(self):
        self.ops = []
    def add(self, v):
        self.ops.append(v)
        return self
print(Chain().add(1).add(2).add(3).ops)
class WithClassRef:
    def make(self):
        return type(self)()
    def __repr__(self):
        return "WithClassRef()"
print(WithClassRef().make())
print(sorted(k for k in Point.__dict__ if not k.startswith("__")))
print(sorted(vars(p)))
