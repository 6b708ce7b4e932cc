# object creation: __new__ and __init__ order and arguments, __new__ returning other types, singletons, immutables
class Traced:
    def __new__(cls, *args, **kw):
        print("__new__", cls.__name__, args, kw)
        inst = super().__new__(cls)
        inst.created = True
        return inst
    def __init__(self, a, b=2):
        print("__init__", a, b)
        self.a, self.b = a, b
t = Traced(1, b=3)
print(t.created, t.a, t.b)
class Singleton:
    _instance = None
    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
            cls._instance.count = 0
        return cls._instance
    def __init__(self):
        self.count += 1
s1, s2 = Singleton(), Singleton()
print(s1 is s2, s1.count)
class NotMine:
    def __new__(cls):
        return 42
    def __init__(self):
        print("never called")
print(NotMine())
class PositiveInt(int):
    def __new__(cls, v):
        return super().__new__(cls, abs(v))
p = PositiveInt(-5)
print(p, p + 1, type(p).__name__, isinstance(p, int))
class Upper(str):
    def __new__(cls, s):
        return super().__new__(cls, s.upper())
u = Upper("shout")
print(u, len(u), u.lower(), type(u).__name__)
class InitReturns:
    def __init__(self):
        return None
print(type(InitReturns()).__name__)
class BadInit:
    def __init__(self):
        return 1
try:
    BadInit()
except TypeError as e:
    print(e)
class NoArgs:
    pass
try:
    NoArgs(1)
except TypeError as e:
    print(e)
class Point(tuple):
    def __new__(cls, x, y):
        return super().__new__(cls, (x, y))
    @property
    def x(self):
        return self[0]
pt = Point(3, 4)
print(pt, pt.x, pt[1], len(pt), type(pt).__name__)
o = object.__new__(Traced)
print(type(o).__name__, hasattr(o, "created"))
class Factory:
    def __init__(self, v):
        self.v = v
    @classmethod
    def of(cls, v):
        return cls(v * 2)
print(Factory.of(21).v)
