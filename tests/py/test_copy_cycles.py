# copy: deepcopy keeps sharing and cycles (the memo), a caller-given memo,
# self-referencing lists, dicts, instances and tuples; errors for objects
# that cannot be copied.
import copy

a = [1]
b = [a, a]
bc = copy.deepcopy(b)
print(bc[0] is bc[1], bc[0] is a)

lst = [1, 2]
lst.append(lst)
lc = copy.deepcopy(lst)
print(lc[2] is lc, lc[:2], lc is lst)

d = {}
d['self'] = d
dc = copy.deepcopy(d)
print(dc['self'] is dc, dc is d)

class Node:
    def __init__(self, name):
        self.name = name
        self.next = None
n1, n2 = Node('a'), Node('b')
n1.next, n2.next = n2, n1
m1 = copy.deepcopy(n1)
print(m1.name, m1.next.name, m1.next.next is m1, m1 is n1)

inner = []
t = (inner,)
inner.append(t)
tc = copy.deepcopy(t)
print(tc[0][0] is tc, tc is t)

memo = {}
x = [1, 2]
y = copy.deepcopy([x, x], memo)
print(y[0] is memo[id(x)], id(x) in memo)
print(copy.deepcopy(x, memo) is y[0])

def gen():
    yield 1
for f in (copy.copy, copy.deepcopy):
    try:
        f(gen())
    except TypeError as e:
        print('TypeError', e)
