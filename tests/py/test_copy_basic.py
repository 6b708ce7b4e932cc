# copy: shallow and deep copies of the built-in containers — what is shared,
# what is new, immutables returned as they are, nested structures.
import copy

nested = [1, [2, 3], {'a': [4]}, (5, [6]), {7, 8}]
shallow = copy.copy(nested)
deep = copy.deepcopy(nested)
print(shallow == nested, shallow is nested, shallow[1] is nested[1])
print(deep == nested, deep[1] is nested[1], deep[2]['a'] is nested[2]['a'])
print(deep[3] is nested[3], deep[3][1] is nested[3][1], deep[4] is nested[4])
nested[1].append(99)
print(shallow[1], deep[1])

d = {'k': [1, 2], 'n': None}
dc = copy.copy(d)
dd = copy.deepcopy(d)
print(dc == d, dc is d, dc['k'] is d['k'], dd['k'] is d['k'])

s = {1, 2, 3}
print(copy.copy(s) == s, copy.copy(s) is s, copy.deepcopy(s) == s)
fs = frozenset([1, 2])
print(copy.copy(fs) is fs, copy.deepcopy(fs) == fs)
ba = bytearray(b'xy')
print(copy.copy(ba) == ba, copy.copy(ba) is ba, copy.deepcopy(ba) == ba)

for atom in (None, 1, 2.5, True, 'str', b'bytes', (1, 2), range(3), len, print, int, Ellipsis):
    print(repr(atom), copy.copy(atom) is atom, copy.deepcopy(atom) is atom)

t = (1, 'a', (2, 3))
print(copy.deepcopy(t) is t)
t2 = (1, [2])
print(copy.deepcopy(t2) is t2, copy.deepcopy(t2) == t2)

def f():
    return 1
print(copy.copy(f) is f, copy.deepcopy(f) is f)
print(copy.Error.__mro__[1].__name__, copy.error is copy.Error)
