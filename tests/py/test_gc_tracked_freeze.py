# gc.is_tracked: atoms are not tracked, containers and instances are;
# gc.freeze moves everything to the permanent generation, unfreeze back.
import gc

class Box:
    pass

print("int", gc.is_tracked(12345))
print("str", gc.is_tracked("hello world"))
print("float", gc.is_tracked(2.5))
print("None", gc.is_tracked(None))
print("bool", gc.is_tracked(True))
print("list", gc.is_tracked([]))
print("list of lists", gc.is_tracked([[]]))
print("set", gc.is_tracked(set()))
print("instance", gc.is_tracked(Box()))
print("tuple with a list", gc.is_tracked(([],)))
print("function", gc.is_tracked(lambda: 0))

# a tuple of atoms is untracked by the first collection that sees it
tup = tuple([1, 2, "three"])
gc.collect()
print("atomic tuple after collect", gc.is_tracked(tup))

print("finalized", gc.is_finalized(Box()), gc.is_finalized(1))

print("freeze count", gc.get_freeze_count())
keep = [Box() for i in range(10)]
gc.freeze()
print("frozen", gc.get_freeze_count() >= 10)
gc.unfreeze()
print("unfrozen", gc.get_freeze_count())

for f in (gc.is_tracked, gc.is_finalized):
    for args in ((), (1, 2)):
        try:
            f(*args)
        except TypeError as e:
            print("TypeError:", e)
for f in (gc.freeze, gc.unfreeze, gc.get_freeze_count):
    try:
        f(1)
    except TypeError as e:
        print("TypeError:", e)
