# `o.name = v` with both o and v locals (`self.x = x`): the loop stores the
# value borrowed from its local. The value must stay alive through the
# store whatever the store runs (__setattr__, a property, a replaced
# value's __del__), be counted once more by the attribute afterwards, and
# die when its last reference goes; errors are the instructions' own.
import sys


def count(o):
    return sys.getrefcount(o) - 1   # minus getrefcount's argument


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)


class Plain:
    def __init__(self, a, b):
        self.a = a
        self.b = b


class Slotted:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


# counts after the stores: the local and the attribute
def plain_counts():
    a = [1]
    b = Noisy("plain b")
    p = Plain(a, b)
    print("plain", count(a), count(b), p.a is a, p.b is b)
    s = Slotted(a, b)
    print("slotted", count(a), count(b), s.x is a)
    del p, s
    print("after del", count(a), count(b))


plain_counts()
print("after plain_counts")


# a value stored over an attribute whose old value dies in the store
def replace():
    p = Plain(Noisy("old a"), 0)
    v = Noisy("new a")
    p.a = v
    print("replaced", p.a.name, count(v))
    v = None
    print("local dropped")
    p.a = p
    print("self-reference", p.a is p)
    p.a = None


replace()
print("after replace")


# __setattr__ that drops the attribute's old value and stores elsewhere
class Hook:
    def __init__(self):
        object.__setattr__(self, "log", [])

    def __setattr__(self, name, value):
        self.log.append((name, type(value).__name__))
        if name == "drop":
            # the value stays alive: the caller's local holds it
            object.__setattr__(self, "kept", value)
            return
        object.__setattr__(self, name, value)


def hooked():
    h = Hook()
    v = Noisy("hooked")
    h.drop = v
    h.x = v
    print(h.log, h.kept is v, h.x is v, hasattr(h, "drop"))
    del v
    print("local gone")
    h.kept = None
    print("kept gone")
    h.x = 1
    print("x gone")


hooked()


# a property setter and one that raises
class Prop:
    def __init__(self):
        self._v = None

    @property
    def v(self):
        return self._v

    @v.setter
    def v(self, value):
        if value == "bad":
            raise ValueError("bad value")
        self._v = value


def props():
    p = Prop()
    good = Noisy("prop value")
    p.v = good
    print("prop", p.v is good, count(good))
    bad = "bad"
    try:
        p.v = bad
    except ValueError as e:
        print("ValueError", e)
    ro = 5
    t = (1, 2)
    try:
        t.x = ro
    except AttributeError as e:
        print("AttributeError", e)


props()


# unbound locals, either one
def unbound_value():
    o = Plain(0, 0)
    if False:
        v = 1
    o.a = v


def unbound_object(flag):
    v = 1
    if flag:
        o = Plain(0, 0)
    o.a = v


for fn, args in ((unbound_value, ()), (unbound_object, (False,))):
    try:
        fn(*args)
    except UnboundLocalError as e:
        print(fn.__name__, "UnboundLocalError", e)
unbound_object(True)
print("bound ok")


# many stores in a loop: nothing leaks, nothing is freed early
def loop():
    keep = []
    v = Noisy("loop value")
    for i in range(1000):
        p = Plain(v, i)
        keep.append(p)
    print("loop", count(v))
    keep.clear()
    print("cleared", count(v))
    p = None
    print("last", count(v))


loop()
print("end")
