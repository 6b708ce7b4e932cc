# assignment: attributes of instances, classes and functions; setattr-like chains
class Obj:
    pass
o = Obj()
o.x = 1
o.y = "two"
print(o.x, o.y)
o.x += 10
print(o.x)
o.inner = Obj()
o.inner.z = [1, 2]
o.inner.z.append(3)
print(o.inner.z)
Obj.shared = "class-level"
print(o.shared, Obj.shared)
o.shared = "instance-level"
print(o.shared, Obj.shared)
del o.shared
print(o.shared)
def f():
    return f.counter
f.counter = 5
print(f())
f.counter += 1
print(f())
a = Obj()
b = Obj()
a.val = b.val = 9
print(a.val, b.val)
a.other, b.other = "A", "B"
print(a.other, b.other)
print(sorted(vars(a)))
print(sorted(k for k in vars(o)))
class WithInit:
    def __init__(self):
        self.items = []
        self.count = 0
    def add(self, v):
        self.items.append(v)
        self.count += 1
w = WithInit()
w.add("p")
w.add("q")
print(w.items, w.count)
w.items[0] = "P"
print(w.items)
print(getattr(w, "count"), hasattr(w, "nope"))
