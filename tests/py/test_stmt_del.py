# del statement: names, list items, slices, dict keys, attributes, tuples of targets; errors after del
a = 1
del a
try:
    print(a)
except NameError as e:
    print(e)
lst = [0, 1, 2, 3, 4, 5]
del lst[0]
print(lst)
del lst[-1]
print(lst)
del lst[1:3]
print(lst)
d = {"a": 1, "b": 2, "c": 3}
del d["b"]
print(d)
try:
    del d["zz"]
except KeyError as e:
    print("KeyError", e)
class C:
    pass
c = C()
c.x = 1
c.y = 2
del c.x
print(hasattr(c, "x"), c.y)
try:
    del c.x
except AttributeError as e:
    print(e)
p, q, r = 1, 2, 3
del p, q
print(r, "p" in dir(), "r" in dir())
def f():
    v = 10
    del v
    try:
        return v
    except UnboundLocalError as e:
        return str(e)
print(f())
items = [[1, 2], [3, 4]]
del items[0][1]
print(items)
x = y = [1]
del x
print(y)
m = {"k": {"inner": 1}}
del m["k"]["inner"]
print(m)
try:
    del lst[99]
except IndexError as e:
    print(e)
