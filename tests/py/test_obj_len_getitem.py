# sequence protocol: __len__, __getitem__ with ints and slices, negative indexes, iteration via __getitem__
class Seq:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.n))]
        if i < 0:
            i += self.n
        if not 0 <= i < self.n:
            raise IndexError("Seq index out of range")
        return i * i
s = Seq(6)
print(len(s), s[0], s[5], s[-1], s[-6])
print(s[1:4], s[::2], s[::-1], s[-2:])
try:
    s[6]
except IndexError as e:
    print("IndexError", e)
print(list(s), [x for x in s], 16 in s, 17 in s)
print(sorted(s, reverse=True)[:3], sum(s), max(s))
a, b, *rest = Seq(4)
print(a, b, rest)
class Mapping:
    def __init__(self):
        self.data = {"a": 1}
    def __getitem__(self, k):
        return self.data[k]
    def __len__(self):
        return len(self.data)
m = Mapping()
print(m["a"], len(m))
try:
    m["zz"]
except KeyError as e:
    print("KeyError", e)
class BadLen:
    def __len__(self):
        return "3"
try:
    len(BadLen())
except TypeError as e:
    print(e)
class NegLen:
    def __len__(self):
        return -5
try:
    len(NegLen())
except ValueError as e:
    print(e)
try:
    len(5)
except TypeError as e:
    print(e)
class SliceEcho:
    def __getitem__(self, k):
        return k
se = SliceEcho()
print(se[1], se[1:2], se[::3], se[1:2, 3], se["key"], se[...])
print(se[:].start, se[:].stop, se[1:5:2].step)
class Infinite:
    def __getitem__(self, i):
        if i > 4:
            raise IndexError
        return chr(97 + i)
print("".join(Infinite()), list(reversed(Seq(3))))
