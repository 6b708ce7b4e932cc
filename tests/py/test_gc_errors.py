# gc's argument checking: generations, types and counts, in CPython's words.
import gc

for args, kw in (((3,), {}), ((-1,), {}), ((-2,), {}), (("x",), {}), ((1.5,), {}),
                 ((None,), {}), ((1, 2), {}), ((), {"generation": 5}),
                 ((), {"gen": 1})):
    try:
        r = gc.collect(*args, **kw)
        print("ok", type(r).__name__)
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)

print(gc.collect(generation=0) >= 0, gc.collect(1) >= 0, gc.collect(True) >= 0)

for args, kw in (((3,), {}), ((-2,), {}), (("a",), {}), ((1.0,), {}), ((1, 2), {})):
    try:
        gc.get_objects(*args, **kw)
        print("ok")
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)

objs = gc.get_objects()
print(type(objs).__name__, len(objs) > 0, objs is not gc.get_objects(None))
print(type(gc.get_objects(generation=None)).__name__, type(gc.get_objects(-1)).__name__)
mine = [1, 2]
print("listed", any(o is mine for o in gc.get_objects()))

for args in ((), ("a",), (1, 2)):
    try:
        gc.set_debug(*args)
    except TypeError as e:
        print("TypeError:", e)
print(gc.get_debug())
