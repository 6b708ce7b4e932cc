# The generational collector under manual control: get_count, thresholds,
# disable/enable/isenabled, collect's result, get_objects, get_referrers, and argument errors.
import gc

count = gc.get_count()
print(type(count) is tuple, len(count), all(type(c) is int and c >= 0 for c in count))
# gen0's default is an interpreter detail (700 in 3.11, 2000 in 3.13): relation only
t = gc.get_threshold()
print(len(t), t[0] > 0, t[1:])

old = gc.get_threshold()
gc.set_threshold(800, 15, 15)
print(gc.get_threshold())
gc.set_threshold(*old)
print(gc.get_threshold() == old)

print(gc.isenabled())
gc.disable()
print(gc.isenabled())
n_collected = gc.collect()
print(f"Objetos liberados >= 0: {n_collected >= 0}")
gc.enable()
print(gc.isenabled())

objs = gc.get_objects()
print(type(objs) is list, len(objs) > 0)
print("tracked:", gc.is_tracked([]), gc.is_tracked(42), gc.is_tracked("s"))

obj = [1, 2, 3]
refs = gc.get_referrers(obj)
print("globals refers to obj:", any(r is globals() for r in refs))
holder = {"x": obj}
print("holder refers to obj:", any(r is holder for r in gc.get_referrers(obj)))
print("referents are the items:", sorted(gc.get_referents(obj)) == [1, 2, 3])

# collect(generation) accepts 0..2 only
for g in (0, 1, 2):
    print(g, gc.collect(g) >= 0)
try:
    gc.collect(3)
except ValueError as e:
    print("ValueError:", e)
try:
    gc.set_threshold()
except TypeError as e:
    print("TypeError:", e)
try:
    gc.collect("x")
except TypeError as e:
    print("TypeError:", e)
