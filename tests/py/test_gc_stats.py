# gc.get_count, get_threshold/set_threshold and get_stats: shapes and the
# relations that hold in every collector (generations or not).
import gc

c = gc.get_count()
print(type(c).__name__, len(c), all(type(x) is int and x >= 0 for x in c))

t = gc.get_threshold()
print(type(t).__name__, len(t), all(type(x) is int for x in t))
old = t
gc.set_threshold(500)
print(gc.get_threshold()[0], gc.get_threshold()[1:] == old[1:])
gc.set_threshold(600, 7)
print(gc.get_threshold()[:2], gc.get_threshold()[2] == old[2])
gc.set_threshold(800, 9, 11)
print(gc.get_threshold())
gc.set_threshold(*old)
print(gc.get_threshold() == old)

s = gc.get_stats()
print(type(s).__name__, len(s), [sorted(d) for d in s])
before = sum(d["collections"] for d in s)
gc.collect()
after = gc.get_stats()
print("counted", sum(d["collections"] for d in after) > before)
print("collected grows", sum(d["collected"] for d in after) >= sum(d["collected"] for d in s))

for f, args in ((gc.set_threshold, ()), (gc.set_threshold, (1, 2, 3, 4)),
                (gc.set_threshold, ("a",)), (gc.get_count, (1,)),
                (gc.get_threshold, (1,)), (gc.get_stats, (1,))):
    try:
        f(*args)
    except TypeError as e:
        print("TypeError:", e)
