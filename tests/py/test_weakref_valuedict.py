# Checks weakref.WeakValueDictionary as a cache: entries disappear when
# their value dies, and the mapping API (get, setdefault, pop, popitem,
# update, keys/values/items, valuerefs, copy, repr shape).
import weakref


class Image:
    loads = 0

    def __init__(self, name):
        Image.loads += 1
        self.name = name

    def __repr__(self):
        return "Image(%r)" % self.name


cache = weakref.WeakValueDictionary()


def load(name):
    img = cache.get(name)
    if img is None:
        img = Image(name)
        cache[name] = img
    return img


a = load("a")
a2 = load("a")
b = load("b")
print(a is a2, Image.loads, len(cache), sorted(cache))
del a, a2
print("a" in cache, len(cache), sorted(cache.keys()), Image.loads)
a = load("a")
print(Image.loads, cache["a"] is a)

print(repr(cache).startswith("<WeakValueDictionary at 0x"))
print(sorted(cache.items(), key=lambda kv: kv[0]), sorted(v.name for v in cache.values()))
print(len(cache.valuerefs()), sorted(r().name for r in cache.itervaluerefs()))
try:
    cache["missing"]
except KeyError as e:
    print("KeyError", e)
print(cache.get("missing", "dflt"), cache.pop("missing", "none"))
c = Image("c")
print(cache.setdefault("c", c) is c, cache.setdefault("c", Image("x")) is c)
cache.update({"d": c}, e=b)
print(sorted(cache))
copy = cache.copy()
print(type(copy).__name__, sorted(copy))
print(cache.pop("d") is c, "d" in cache)
k, v = cache.popitem()
print(k in ("a", "b", "c", "e"), isinstance(v, Image), len(cache))
del cache[sorted(cache)[0]]
print(len(cache))
cache.clear()
print(len(cache), list(cache))
try:
    cache["k"] = 5
except TypeError as e:
    print(e)
try:
    cache.pop("nothing")
except KeyError as e:
    print("KeyError", e)

# a key rebound to a new value is not removed by the old value's death
d = weakref.WeakValueDictionary()
first, second = Image("1"), Image("2")
d["k"] = first
d["k"] = second
del first
print(len(d), d["k"] is second)
