# Checks weakref's error paths with CPython's messages: objects that cannot
# be weakly referenced, wrong argument counts, dead refs, dead proxies.
import weakref


def show(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__ + ":", e)


class Foo:
    pass


class Slotted:
    __slots__ = ("a",)


class SlottedWeak:
    __slots__ = ("a", "__weakref__")


for bad in (1, "s", (1,), [1], {}, None, 1.5, True, b"x"):
    show(lambda: weakref.ref(bad))
    show(lambda: weakref.proxy(bad))
show(lambda: weakref.ref(Slotted()))
print(weakref.ref(SlottedWeak())() is None)

try:
    raise ValueError("x")
except ValueError as e:
    show(lambda: weakref.ref(e))


class MyError(Exception):
    pass


print(weakref.ref(MyError())() is None)

o = Foo()
r = weakref.ref(o)
show(lambda: weakref.ref(r))
show(lambda: weakref.proxy(weakref.proxy(o)))
show(lambda: weakref.ref())
show(lambda: weakref.ref(o, None, 3))
show(lambda: r(1))
show(lambda: weakref.getweakrefcount())
show(lambda: weakref.ProxyType())

# the hash of a ref that died before being hashed
show(lambda: hash(weakref.ref(Foo())))
# proxies: not hashable, and dead ones raise ReferenceError
p = weakref.proxy(o)
show(lambda: hash(p))
q = weakref.proxy(Foo())
show(lambda: q.x)
show(lambda: setattr(q, "x", 1))
show(lambda: str(q))
show(lambda: bool(q))
show(lambda: q + 1)
show(lambda: len(q))
