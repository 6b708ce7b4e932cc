# copy: instances of Python classes (copied through __class__ + __dict__ and
# __slots__), __copy__/__deepcopy__ hooks with the memo, __reduce__,
# __getstate__/__setstate__, subclasses of list/dict/set/int, bound methods.
import copy

class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
        self.tags = ['p']

p = Point(1, 2)
q = copy.copy(p)
r = copy.deepcopy(p)
print(type(q).__name__, q.x, q.y, q is p, q.tags is p.tags, r.tags is p.tags, r.tags)

class Slotted:
    __slots__ = ('a', 'b')
    def __init__(self):
        self.a = [1]
s2 = copy.deepcopy(Slotted())
print(s2.a, hasattr(s2, 'b'))

class Mixed(Slotted):
    def __init__(self):
        super().__init__()
        self.extra = 'e'
m = copy.copy(Mixed())
print(m.a, m.extra)

class Hooks:
    def __init__(self, v):
        self.v = v
    def __copy__(self):
        print('__copy__ called')
        return Hooks(self.v + 1)
    def __deepcopy__(self, memo):
        print('__deepcopy__ called', type(memo).__name__)
        return Hooks(copy.deepcopy(self.v, memo))
print(copy.copy(Hooks(1)).v, copy.deepcopy(Hooks([2])).v)

class Reduced:
    def __init__(self, a):
        self.a = a
    def __reduce__(self):
        return (Reduced, (self.a * 10,))
print(copy.copy(Reduced(3)).a, copy.deepcopy(Reduced(4)).a)

class Stateful:
    def __init__(self):
        self.data = 1
    def __getstate__(self):
        return {'data': self.data, 'extra': 'from getstate'}
    def __setstate__(self, st):
        print('setstate', sorted(st))
        self.__dict__.update(st)
print(copy.copy(Stateful()).extra)

class MyList(list):
    pass
ml = MyList([1, [2]])
ml.attr = 'x'
c1, c2 = copy.copy(ml), copy.deepcopy(ml)
print(type(c1).__name__, c1, c1.attr, c1[1] is ml[1], c2[1] is ml[1])

class MyDict(dict):
    pass
md = MyDict(a=[1])
print(type(copy.copy(md)).__name__, copy.deepcopy(md), copy.deepcopy(md)['a'] is md['a'])

class MySet(set):
    pass
print(type(copy.copy(MySet([1, 2]))).__name__, sorted(copy.deepcopy(MySet([3]))))

class MyInt(int):
    pass
mi = copy.copy(MyInt(7))
print(type(mi).__name__, mi + 1)

class Counter:
    def __init__(self):
        self.n = 0
    def bump(self):
        self.n += 1
        return self.n
c = Counter()
bound = copy.deepcopy(c.bump)
print(bound(), c.n)
