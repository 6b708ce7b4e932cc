# @staticmethod and @classmethod: calling through class and instance, alternative constructors, inheritance
class Temp:
    scale = "C"
    def __init__(self, deg):
        self.deg = deg
    @staticmethod
    def c_to_f(c):
        return c * 9 / 5 + 32
    @classmethod
    def from_f(cls, f):
        return cls((f - 32) * 5 / 9)
    @classmethod
    def describe(cls):
        return cls.__name__ + " in " + cls.scale
print(Temp.c_to_f(100), Temp(0).c_to_f(37))
t = Temp.from_f(212)
print(type(t).__name__, t.deg)
print(Temp.describe(), t.describe())
class Kelvin(Temp):
    scale = "K"
print(Kelvin.describe())
k = Kelvin.from_f(32)
print(type(k).__name__, k.deg)
print(Kelvin.c_to_f(-40))
class Registry:
    items = []
    @classmethod
    def register(cls, x):
        cls.items.append(x)
        return len(cls.items)
print(Registry.register("a"), Registry().register("b"), Registry.items)
sm = staticmethod(lambda: "wrapped")
class Holder:
    f = sm
print(Holder.f(), Holder().f())
class Counter:
    count = 0
    @classmethod
    def incr(cls):
        cls.count += 1
        return cls.count
class SubCounter(Counter):
    pass
Counter.incr()
SubCounter.incr()
SubCounter.incr()
print(Counter.count, SubCounter.count)
print(type(Temp.__dict__["c_to_f"]).__name__, type(Temp.__dict__["from_f"]).__name__)
print(callable(Temp.c_to_f))
class Util:
    @staticmethod
    def add(a, b=1, *rest):
        return a + b + sum(rest)
print(Util.add(1), Util.add(1, 2, 3, 4))
