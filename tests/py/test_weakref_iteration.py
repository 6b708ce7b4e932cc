# Checks that weak containers can be iterated while their members die: the
# removals wait until the iteration ends (CPython's _IterationGuard).
import weakref


class Item:
    def __init__(self, n):
        self.n = n


items = [Item(i) for i in range(6)]
ws = weakref.WeakSet(items)
wv = weakref.WeakValueDictionary((i, it) for i, it in enumerate(items))
wk = weakref.WeakKeyDictionary((it, i) for i, it in enumerate(items))

seen = []
for x in ws:
    seen.append(x.n)
    if len(seen) == 1:
        del items[3:]  # three members die mid-iteration
    x = None
print(len(seen) <= 6, len(ws), sorted(i.n for i in ws))

count = 0
for k, v in wv.items():
    count += 1
    if count == 1:
        del items[1]
    v = None
print(len(wv), sorted(wv))

n = 0
for key in wk.keys():
    n += 1
    if n == 1:
        items.pop()
    key = None
print(len(wk), sorted(wk.values()))

# an abandoned iterator does not block later removals
it = iter(ws)
next(it)
del it
items.clear()
print(len(ws), len(wv), len(wk), list(ws))
