# iter() and next(): default values, exhausted iterators, iter(callable, sentinel), iterators over all builtins
it = iter([1, 2])
print(next(it), next(it), next(it, "default"), next(it, None))
try:
    next(it)
except StopIteration as e:
    print("StopIteration", e.args)
for obj in ["ab", (1, 2), {"k": 1}, {5}, range(2), b"x", {"a": 1}.items(), frozenset([7])]:
    i = iter(obj)
    print(type(obj).__name__, next(i), iter(i) is i)
counter = [0]
def tick():
    counter[0] += 1
    return counter[0]
print(list(iter(tick, 5)))
lines = iter(["a", "b", "", "c"])
print(list(iter(lambda: next(lines), "")))
try:
    iter(5)
except TypeError as e:
    print(e)
try:
    next([1, 2])
except TypeError as e:
    print(e)
try:
    iter(5, 1)
except TypeError as e:
    print(e)
s = "hello"
a, b = iter(s), iter(s)
print(next(a), next(a), next(b))
d = {"x": 1, "y": 2}
di = iter(d)
print(next(di), list(di))
it2 = iter(range(10))
print([next(it2) for _ in range(3)], list(it2))
def gen():
    yield from "xyz"
g = gen()
print(next(g), iter(g) is g, list(g))
m = map(str, [1])
print(iter(m) is m, next(m))
class It:
    def __init__(self):
        self.n = 0
    def __iter__(self):
        return self
    def __next__(self):
        self.n += 1
        if self.n > 2:
            raise StopIteration
        return self.n
print(list(It()), next(It()), next(iter(It())))
e = iter([])
print(next(e, "empty default"), list(e))
