# sys.getsizeof: sizes are implementation-specific, so only relations are
# printed: containers grow with their items, a Python __sizeof__ is used
# (plus a GC overhead), its errors are CPython's, default is returned on
# TypeError only.
import sys

empty = sys.getsizeof([])
print("list", empty > 0, sys.getsizeof(list(range(100))) > empty)
print("dict", sys.getsizeof({}) > 0, sys.getsizeof({i: i for i in range(100)}) > sys.getsizeof({}))
print("str", sys.getsizeof("a" * 1000) > sys.getsizeof("a"))
print("int", sys.getsizeof(1) > 0, sys.getsizeof(10 ** 100) > sys.getsizeof(1))
print("tuple", sys.getsizeof((1, 2, 3, 4, 5, 6)) > sys.getsizeof(()))
print("set", sys.getsizeof(set(range(100))) > sys.getsizeof(set()))
print("bytes", sys.getsizeof(b"x" * 500) > sys.getsizeof(b""))
print("float None bool", all(sys.getsizeof(o) > 0 for o in (1.5, None, True)))
print("class", sys.getsizeof(int) > 0)

class Plain:
    pass

print("instance", sys.getsizeof(Plain()) > 0)

class Sized:
    def __sizeof__(self):
        return 1000

print("own __sizeof__", sys.getsizeof(Sized()) >= 1000)
print("method agrees", Sized().__sizeof__())

class Sub(list):
    def __sizeof__(self):
        return 5000

print("subclass", sys.getsizeof(Sub()) >= 5000)

class NotInt:
    def __sizeof__(self):
        return "big"

class Negative:
    def __sizeof__(self):
        return -1

class Raises:
    def __sizeof__(self):
        raise TypeError("no size")

class RaisesValue:
    def __sizeof__(self):
        raise ValueError("bad size")

for o in (NotInt(), Negative(), Raises(), RaisesValue()):
    try:
        print(sys.getsizeof(o))
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)
    try:
        print("default", sys.getsizeof(o, -7))
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)

print(sys.getsizeof(1, default=3) > 0, sys.getsizeof(object=[]) == empty)
for args in ((), (1, 2, 3)):
    try:
        sys.getsizeof(*args)
    except TypeError as e:
        print("TypeError:", e)
print("blocks", sys.getallocatedblocks() > 0)
before = sys.getallocatedblocks()
big = [[i] for i in range(1000)]
print("more blocks", sys.getallocatedblocks() > before)
del big

class MyList(list):
    pass

class MyDict(dict):
    pass

print("list subclass", sys.getsizeof(MyList(range(1000))) > sys.getsizeof(MyList()))
print("dict subclass", sys.getsizeof(MyDict({i: i for i in range(100)})) > sys.getsizeof(MyDict()))
