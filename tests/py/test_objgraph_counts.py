# objgraph (counting): count, by_type, typestats, most_common_types, growth and
# show_growth see exactly the program's own new objects.
import objgraph

class MyClass:
    def __init__(self, n):
        self.n = n

class Other:
    pass

objs = [MyClass(i) for i in range(3)]
print(objgraph.count('MyClass'), objgraph.count('__main__.MyClass'), objgraph.count('Nope'))
found = objgraph.by_type('MyClass')
print(len(found), sorted(o.n for o in found))
print(all(any(f is o for f in found) for o in objs))
print(len(objgraph.by_type('__main__.MyClass')))
print(objgraph.typestats()['MyClass'], objgraph.typestats(shortnames=False)['__main__.MyClass'])
print(objgraph.typestats(filter=lambda o: isinstance(o, MyClass) and o.n > 0))
print(objgraph.count('MyClass', objs[:2]))
mc = objgraph.most_common_types(limit=3)
print(len(mc), all(isinstance(n, str) and c > 0 for n, c in mc))
print(mc == sorted(mc, key=lambda x: -x[1]))
print(objgraph.most_common_types(objects=objs + [Other()]))

class W:
    def __init__(self):
        self.t = []
    def write(self, s):
        self.t.append(s)

w = W()
objgraph.show_most_common_types(limit=5, objects=objs + [Other(), Other()], file=w)
print(''.join(w.t), end='')

objgraph.growth()
more = [MyClass(i) for i in range(5)]
for name, total, delta in objgraph.growth(limit=None):
    if name == 'MyClass':
        print(name, total, delta)
more2 = [MyClass(i) for i in range(5)]
w = W()
objgraph.show_growth(file=w)
for line in ''.join(w.t).splitlines():
    if line.split()[0] == 'MyClass':
        print(line.split())
# no new peak: no MyClass line
del more2
w = W()
objgraph.show_growth(limit=None, file=w)
print([l.split()[0] for l in ''.join(w.t).splitlines() if l.split()[0] == 'MyClass'])
peak = {}
print(objgraph.growth(peak_stats=peak, limit=None) != [], peak['MyClass'])
