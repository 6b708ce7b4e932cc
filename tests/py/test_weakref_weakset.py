# Checks weakref.WeakSet as a set of listeners: members disappear when they
# die; add, discard, remove, in, len, iteration and the set algebra.
import weakref


class Listener:
    def __init__(self, name):
        self.name = name

    def notify(self, event):
        print(self.name, "got", event)


listeners = weakref.WeakSet()
a, b, c = Listener("a"), Listener("b"), Listener("c")
for x in (a, b, c, a):
    listeners.add(x)
print(len(listeners), a in listeners, Listener("z") in listeners, 5 in listeners)


def fire(event):
    for l in sorted(listeners, key=lambda l: l.name):
        l.notify(event)


fire("start")
del b
print(len(listeners))
fire("middle")
listeners.discard(c)
listeners.discard(Listener("never"))
print(len(listeners), c in listeners)
try:
    listeners.remove(c)
except KeyError:
    print("KeyError on remove")
listeners.remove(a)
print(len(listeners), list(listeners))

names = lambda s: sorted(x.name for x in s)
d, e, f = Listener("d"), Listener("e"), Listener("f")
s1 = weakref.WeakSet([d, e])
s2 = weakref.WeakSet([e, f])
print(names(s1 | s2), names(s1 & s2), names(s1 - s2), names(s1 ^ s2))
print(names(s1.union([f])), names(s1.intersection([e])), names(s1.difference([d])))
print(s1 <= s2, s1 >= weakref.WeakSet([d]), s1 == weakref.WeakSet([e, d]), s1 != s2)
print(s1.issubset([d, e, f]), s1.issuperset([d]), s1.isdisjoint(weakref.WeakSet([f])))
s3 = s1.copy()
s3 |= s2
print(names(s3), names(s1))
s3 -= weakref.WeakSet([d])
print(names(s3))
s3 &= [e]
print(names(s3))
del e
print(len(s1), len(s2), len(s3), names(s1))
popped = s1.pop()
print(popped.name, len(s1))
try:
    s1.pop()
except KeyError as err:
    print("KeyError:", err)
try:
    hash(s1)
except TypeError as err:
    print(err)
