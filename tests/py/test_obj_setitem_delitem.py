# __setitem__ and __delitem__: user containers, slice assignment routing, augmented item assignment
class Store:
    def __init__(self):
        self.d = {}
        self.log = []
    def __getitem__(self, k):
        self.log.append(("get", k))
        return self.d[k]
    def __setitem__(self, k, v):
        self.log.append(("set", k, v))
        self.d[k] = v
    def __delitem__(self, k):
        self.log.append(("del", k))
        del self.d[k]
s = Store()
s["a"] = 1
s["b"] = 2
s["a"] += 10
del s["b"]
print(s.d)
for entry in s.log:
    print(entry)
try:
    del s["missing"]
except KeyError as e:
    print("KeyError", e)
class Grid:
    def __init__(self, w, h):
        self.w, self.h = w, h
        self.cells = [0] * (w * h)
    def __setitem__(self, pos, v):
        x, y = pos
        self.cells[y * self.w + x] = v
    def __getitem__(self, pos):
        x, y = pos
        return self.cells[y * self.w + x]
g = Grid(3, 2)
g[0, 0] = 1
g[2, 1] = 9
g[1, 1] = g[2, 1] + 1
print(g.cells, g[1, 1])
class SliceLog:
    def __setitem__(self, k, v):
        print("setitem", type(k).__name__, k, v)
    def __delitem__(self, k):
        print("delitem", k)
sl = SliceLog()
sl[1:3] = [7]
sl[::2] = "ab"
sl[5] = None
del sl[2:]
del sl[0]
class ReadOnly:
    def __getitem__(self, k):
        return k
try:
    ReadOnly()[0] = 1
except TypeError as e:
    print(e)
try:
    del ReadOnly()[0]
except (TypeError, AttributeError) as e:
    print(type(e).__name__, e)
try:
    (1, 2)[0] = 5
except TypeError as e:
    print(e)
try:
    "abc"[0] = "x"
except TypeError as e:
    print(e)
class ListLike(list):
    def __setitem__(self, i, v):
        super().__setitem__(i, v * 2)
ll = ListLike([1, 2, 3])
ll[0] = 50
print(ll)
