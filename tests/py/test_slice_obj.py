# slice objects: attributes, indices(), use with lists/strings/tuples, repr, equality, slicing with None fields
s = slice(1, 10, 2)
print(s, repr(s), s.start, s.stop, s.step)
print(slice(5), slice(None), slice(None, None, -1), slice(1, None))
print(s.indices(6), slice(None, None, -1).indices(5), slice(-3, None).indices(10), slice(0, 100).indices(4))
l = list(range(12))
print(l[s], "abcdefghijkl"[s], tuple(l)[s])
print(l[slice(None, None, -1)][:3], l[slice(-4, None)], l[slice(2)])
print(slice(1, 2) == slice(1, 2), slice(1, 2) == slice(1, 3), slice(1, 2, None) == slice(1, 2))
try:
    slice(1, 2, 0).indices(5)
except ValueError as e:
    print(e)
class Echo:
    def __getitem__(self, k):
        return k
e = Echo()
print(e[1:2], e[:], e[::2], e[1:2:3], e[:, 1], e[1:2, ::3])
k = e[2:]
print(type(k).__name__, k.start, k.stop, k.step)
names = ["a", "b", "c", "d", "e", "f"]
evens = slice(0, None, 2)
odds = slice(1, None, 2)
print(names[evens], names[odds])
names[evens] = ["A", "C", "E"]
print(names)
del names[odds]
print(names)
print(l[slice(2, -2, 3)], l[slice(-1, 0, -4)])
def window(seq, start, width):
    return seq[slice(start, start + width)]
print(window("sliding", 2, 3), window([1, 2, 3], 1, 10))
print(slice(1, 5, 2).indices(3), slice(-100, 100, 1).indices(7))
