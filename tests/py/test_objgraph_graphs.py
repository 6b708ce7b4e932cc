# objgraph (graphs and chains): find_backref_chain from a module to an object,
# find_ref_chain, is_proper_module, show_refs/show_backrefs writing .dot and .png.
import objgraph, sys

class MyClass:
    def __init__(self, n):
        self.n = n
        self.payload = [n, 'x']

objs = [MyClass(i) for i in range(3)]
holder = {'x': objs[0]}
chain = objgraph.find_backref_chain(objs[0], objgraph.is_proper_module)
print(type(chain[0]).__name__, chain[0].__name__, chain[-1] is objs[0], len(chain) >= 2)
print(objgraph.is_proper_module(sys), objgraph.is_proper_module([]), objgraph.is_proper_module(objs))
rc = objgraph.find_ref_chain(holder, lambda x: isinstance(x, MyClass))
print(rc[0] is holder, rc[-1] is objs[0])
print(objgraph.find_backref_chain(objs[0], lambda x: False, max_depth=2) == [objs[0]])
print(objgraph.find_ref_chain(holder, lambda x: False, max_depth=1) == [holder])

objgraph.show_refs([objs[1]], filename='g.dot', max_depth=1)
text = open('g.dot').read()
print(text.startswith('digraph ObjectGraph {\n'), text.endswith('}\n'))
print('MyClass' in text, '[fontcolor=red]' in text, 'fillcolor=' in text)
objgraph.show_refs(objs[2], filename='g2.dot', max_depth=2, too_many=1)
print('more references' in open('g2.dot').read())

class Cap:
    def __init__(self):
        self.t = []
    def write(self, s):
        self.t.append(s)

cap = Cap()
old, sys.stdout = sys.stdout, cap
try:
    objgraph.show_backrefs([objs[2]], filename='b.png', max_depth=2)
finally:
    sys.stdout = old
lines = ''.join(cap.t).splitlines()
print(len(lines), lines[0].startswith('Graph written to '), lines[0].endswith(' nodes)'), lines[1])
print(open('b.png', 'rb').read(4))
try:
    objgraph.show_refs(objs[0], filename='x.dot', output=Cap())
except ValueError as e:
    print(e)
out = Cap()
objgraph.show_refs(objs[0], output=out, max_depth=1)
print(''.join(out.t).count('->') >= 1)
