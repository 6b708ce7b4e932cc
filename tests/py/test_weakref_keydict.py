# Checks weakref.WeakKeyDictionary as per-object metadata: entries vanish
# with their key; lookups use the live keys' equality and hash; the API.
import weakref


class Widget:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Widget(%s)" % self.name


meta = weakref.WeakKeyDictionary()
w1, w2, w3 = Widget("one"), Widget("two"), Widget("three")
meta[w1] = {"clicks": 0}
meta[w2] = {"clicks": 5}
meta[w1]["clicks"] += 1
print(len(meta), meta[w1], w2 in meta, w3 in meta, 42 in meta)
print(meta.get(w3), meta.get(w3, "none"), meta.setdefault(w3, {"clicks": 9}))
print(sorted(w.name for w in meta), sorted(w.name for w in meta.keys()))
print(sorted((k.name, v["clicks"]) for k, v in meta.items()))
print(sorted(v["clicks"] for v in meta.values()), len(meta.keyrefs()))
print(repr(meta).startswith("<WeakKeyDictionary at 0x"))
del w2
print(len(meta), sorted(w.name for w in meta))
print(meta.pop(w3), len(meta), meta.pop(w3, "gone"))
del meta[w1]
print(len(meta), list(meta.items()))
try:
    meta[w1]
except KeyError:
    print("KeyError")
try:
    meta["text"] = 1
except TypeError as e:
    print(e)


# keys that compare equal share an entry, as in CPython
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, o):
        return (self.x, self.y) == (o.x, o.y)

    def __hash__(self):
        return hash((self.x, self.y))


d = weakref.WeakKeyDictionary()
p, q = Point(1, 2), Point(1, 2)
d[p] = "p"
print(d[q], q in d)
d[q] = "q"
print(len(d), d[p])
del q
print(len(d))
del p
print(len(d))

d2 = weakref.WeakKeyDictionary({w1: "a"})
d3 = d2.copy()
d2.update({w1: "b"})
print(d2[w1], d3[w1], type(d3).__name__)
k, v = d2.popitem()
print(k is w1, v, len(d2))
