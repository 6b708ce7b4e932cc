# iterator protocol: __iter__/__next__ classes, StopIteration, iter() on iterators returns self, for-loop machinery
class CountTo:
    def __init__(self, n):
        self.n = n
        self.i = 0
    def __iter__(self):
        return self
    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return self.i
c = CountTo(3)
print(list(c), list(c))
print(iter(c) is c)
for v in CountTo(2):
    print("loop", v)
class Range2:
    def __init__(self, a, b):
        self.a, self.b = a, b
    def __iter__(self):
        return Range2Iter(self.a, self.b)
class Range2Iter:
    def __init__(self, a, b):
        self.cur, self.b = a, b
    def __iter__(self):
        return self
    def __next__(self):
        if self.cur >= self.b:
            raise StopIteration
        v = self.cur
        self.cur += 1
        return v
r = Range2(3, 6)
print(list(r), list(r), sum(r), 4 in r)
it = iter(Range2(0, 3))
print(next(it), next(it), next(it), next(it, "done"))
class BadIter:
    def __iter__(self):
        return 5
try:
    iter(BadIter())
except TypeError as e:
    print(e)
try:
    next(5)
except TypeError as e:
    print(e)
try:
    iter(3.5)
except TypeError as e:
    print(e)
class Fib:
    def __init__(self, limit):
        self.a, self.b, self.limit = 0, 1, limit
    def __iter__(self):
        return self
    def __next__(self):
        if self.a > self.limit:
            raise StopIteration
        v = self.a
        self.a, self.b = self.b, self.a + self.b
        return v
print(list(Fib(100)))
print(dict(zip(CountTo(3), "abc")), list(enumerate(Fib(5))))
print(list(map(lambda x: x * 2, CountTo(4))), sorted(CountTo(3), reverse=True))
x, y, z = CountTo(3)
print(x, y, z)
print(tuple(Fib(10)), "-".join(str(v) for v in Fib(10)))
class StopEarly:
    def __init__(self):
        self.n = 0
    def __iter__(self):
        return self
    def __next__(self):
        self.n += 1
        if self.n == 3:
            raise StopIteration("stopped")
        return self.n
print(list(StopEarly()))
