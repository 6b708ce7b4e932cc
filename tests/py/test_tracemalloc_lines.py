# Traces name the Python file and line of the allocation, whatever the
# code shape: start() called inside a function (the callers' lines after
# it returns), module level, generators across resumptions, methods,
# class bodies, lambdas, comprehensions, exceptions unwinding frames.
import tracemalloc


def where(obj):
    tb = tracemalloc.get_object_traceback(obj)
    return None if tb is None else [f.lineno for f in tb]


def begin():
    tracemalloc.start(4)
    return bytearray(1000)


a = begin()
b = bytearray(2000)
c = bytearray(3000)
print(where(a), where(b), where(c))


def gen():
    yield bytearray(4000)
    yield bytearray(5000)


g = gen()
d = next(g)
e = next(g)
print(where(d), where(e))


class Box:
    made = bytearray(10)

    def fill(self):
        return bytearray(20)

    @property
    def prop(self):
        return bytearray(30)


box = Box()
print(where(Box.made), where(box.fill()), where(box.prop))

make = lambda n: bytearray(n)
print(where(make(40)))
print(where([bytearray(50) for _ in range(2)][1]))
print(where({i: bytearray(60) for i in range(2)}[1]))


def fails():
    kept.append(bytearray(70))
    raise ValueError("x")


kept = []
try:
    fails()
except ValueError:
    pass
after = bytearray(80)
print(where(kept[0]), where(after))


def deep(n):
    if n == 0:
        return bytearray(90)
    return deep(n - 1)


print(where(deep(10)))
tracemalloc.stop()
print(where(b))
