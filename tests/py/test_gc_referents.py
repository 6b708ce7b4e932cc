# gc.get_referents / gc.get_referrers on simple containers and instances:
# membership relations only (the order and the extra entries, such as a
# class or an instance dict, differ between implementations).
import gc

class Box:
    pass

x = Box()
l = [x, 1]
t = (x, [])
d = {"key": x}
s = {1, 2}

print("list", x in gc.get_referents(l))
print("tuple", x in gc.get_referents(t))
print("dict value", x in gc.get_referents(d))
print("several", all(o in gc.get_referents(l, t) for o in (x, t[1])))
print("none", gc.get_referents())
print("atom", gc.get_referents(1), gc.get_referents("abc"))

refs = gc.get_referrers(x)
print("referrers", l in refs, t in refs, d in refs)
print("not referrer", s not in refs)

y = Box()
both = gc.get_referrers(x, y)
holder = [y]
print("two", l in both, all(r is not both for r in both))
print("dedup", len([r for r in gc.get_referrers(x, x) if r is l]))
print("empty", gc.get_referrers())

inst = Box()
inst.payload = [1, 2, 3]
print("instance", any(r is inst.payload for r in gc.get_referents(inst))
      or any(isinstance(r, dict) and r.get("payload") is inst.payload
             for r in gc.get_referents(inst)))

for bad in (lambda: gc.get_referents(x=1), lambda: gc.get_referrers(x=1)):
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)
