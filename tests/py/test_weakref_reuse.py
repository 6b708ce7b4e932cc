# Checks which weak references CPython shares: weakref.ref(o) without a
# callback (and proxy(o) without one) hands out the same object while it
# lives; a callback, a subclass (KeyedRef, WeakMethod, user subclasses) or a
# dead basic ref means a new one. getweakrefcount/getweakrefs count each
# shared ref once, the basic ref listed first.
import gc
import threading
import weakref


class Foo:
    pass


def show(*args):
    print(*args)


o = Foo()
cb = lambda w: None

# the basic ref, also through None as callback
r = weakref.ref(o)
show("basic", weakref.ref(o) is r, weakref.ref(o, None) is r,
     weakref.ReferenceType(o) is r)
show("count", weakref.getweakrefcount(o))

# callbacks: always new, and never the shared one
c1 = weakref.ref(o, cb)
c2 = weakref.ref(o, cb)
show("callbacks", c1 is r, c2 is r, c1 is c2, weakref.getweakrefcount(o))
# a basic ref asked for after refs with callbacks is still the first one
show("still shared", weakref.ref(o) is r, weakref.getweakrefs(o)[0] is r)


# subclasses are never shared, with or without callback
class MyRef(weakref.ref):
    pass


m1 = MyRef(o)
m2 = MyRef(o)
show("subclass", m1 is m2, m1 is r, type(m1).__name__, weakref.getweakrefcount(o))
k1 = weakref.KeyedRef(o, None, "key")
k2 = weakref.KeyedRef(o, None, "key")
show("keyedref", k1 is k2, k1 is r, k1.key, weakref.getweakrefcount(o))
del m1, m2, k1, k2, c1, c2
show("after del", weakref.getweakrefcount(o), weakref.getweakrefs(o) == [r])

# proxies: the basic proxy is shared, a callback makes a new one; refs and
# proxies are never each other
p1 = weakref.proxy(o)
p2 = weakref.proxy(o)
p3 = weakref.proxy(o, cb)
show("proxy", p1 is p2, p1 is p3, p1 is r, weakref.getweakrefcount(o))


class Call:
    def __call__(self):
        return "called"


f = Call()
cp1 = weakref.proxy(f)
cp2 = weakref.proxy(f)
show("callable proxy", cp1 is cp2, cp1(), type(cp1).__name__)
del p1, p2, p3, cp1, cp2

# the shared ref dies with its last reference: the next one is new (and
# shared again); ids may be reused, so count instead of comparing ids
del r
show("gone", weakref.getweakrefcount(o))
r = weakref.ref(o)
show("new basic", weakref.getweakrefcount(o), weakref.ref(o) is r)

# a dead basic ref is never handed out for a new object
x = Foo()
rx = weakref.ref(x)
del x
gc.collect()
y = Foo()
ry = weakref.ref(y)
show("dead", rx() is None, ry is rx, ry() is y)


# classes: refs to them are shared too
class Bar:
    pass


rb = weakref.ref(Bar)
show("class", weakref.ref(Bar) is rb, rb() is Bar, weakref.getweakrefcount(Bar))


# WeakMethod is a ref subclass: never shared
class Meth:
    def m(self):
        return 1


mo = Meth()
wm1 = weakref.WeakMethod(mo.m)
wm2 = weakref.WeakMethod(mo.m)
show("weakmethod", wm1 is wm2, wm1() == mo.m, wm1()())

# a WeakValueDictionary's KeyedRefs do not take the basic ref's place
d = weakref.WeakValueDictionary()
d["a"] = o
show("valuedict", weakref.ref(o) is r, weakref.getweakrefcount(o), len(d))

# threads asking at once all get live basic refs to z (CPython shares one;
# ftpy may hand racing threads distinct ones: see ftpy/modules/weakref.c)
z = Foo()
got = []
lock = threading.Lock()
start = threading.Barrier(4)


def worker():
    start.wait()
    mine = [weakref.ref(z) for _ in range(200)]
    with lock:
        got.extend(mine)


ts = [threading.Thread(target=worker) for _ in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
show("threads", len(got), all(type(g) is weakref.ref and g() is z for g in got),
     weakref.getweakrefcount(z) >= 1)
del got
del z
gc.collect()

# callbacks of refs with callbacks still run once each, the shared basic
# ref has none
calls = []
v = Foo()
vb = weakref.ref(v)
v1 = weakref.ref(v, lambda w: calls.append("v1"))
v2 = weakref.ref(v, lambda w: calls.append("v2"))
vb2 = weakref.ref(v)
del v
gc.collect()
show("death", sorted(calls), vb is vb2, vb() is None, v1() is None)
