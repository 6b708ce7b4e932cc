# sys.getrefcount counts as CPython 3.11 does: the reference of the
# argument on the caller's value stack is included; locals, globals, list
# items, dict values, attributes and function arguments each add one.
import sys

def local_count():
    a = []
    return sys.getrefcount(a)

print("local", local_count())

g = []
print("global", sys.getrefcount(g))

def two_locals():
    a = []
    b = a
    return sys.getrefcount(a), sys.getrefcount(b)

print("alias", two_locals())

def in_list():
    x = object()
    before = sys.getrefcount(x)
    l = [x, x, x]
    after = sys.getrefcount(x)
    del l
    return before, after, sys.getrefcount(x)

print("list items", in_list())

def list_element():
    l = [[]]
    return sys.getrefcount(l[0])

print("list element", list_element())

def dict_value():
    d = {"k": []}
    return sys.getrefcount(d["k"])

print("dict value", dict_value())

class Box:
    pass

def attribute():
    b = Box()
    b.v = []
    return sys.getrefcount(b.v)

print("attribute", attribute())

def callee(x):
    return sys.getrefcount(x)

def argument():
    a = []
    return callee(a)

print("argument", argument())

def callee_kw(*, x):
    return sys.getrefcount(x)

def keyword_argument():
    a = []
    return callee_kw(x=a)

print("keyword argument", keyword_argument())

def temporary():
    return sys.getrefcount([])

print("temporary", temporary())

def instance():
    b = Box()
    return sys.getrefcount(b)

print("instance", instance())

def drops_back():
    s = "ab" * 50
    before = sys.getrefcount(s)
    t = (s, s)
    mid = sys.getrefcount(s)
    del t
    return mid - before, sys.getrefcount(s) - before

print("tuple of str", drops_back())

def closure():
    a = []
    def inner():
        return a
    return sys.getrefcount(inner())

print("returned", closure())

for bad in ((), (1, 2)):
    try:
        sys.getrefcount(*bad)
    except TypeError as e:
        print("TypeError:", e)
