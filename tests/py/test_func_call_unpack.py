# calls: f(*t, **d), multiple * and ** in one call, keyword calls, duplicate keyword errors
def f(a, b, c=0, *args, d=None, **kw):
    return (a, b, c, args, d, kw)
t = (1, 2)
d = {"d": 4, "e": 5}
print(f(*t))
print(f(*t, **d))
print(f(*t, 3, *t, d=0))
print(f(*(1, 2, 3, 4, 5)))
print(f(1, *[2], **{"c": 3}))
print(f(**{"a": "A", "b": "B"}))
print(f(*t, **{"x": 1}, **{"y": 2}))
print(f(b=2, a=1))
try:
    f(1, 2, a=3)
except TypeError as e:
    print(e)
try:
    f(*t, **{"d": 1}, d=2)
except TypeError as e:
    print(e)
try:
    f(1)
except TypeError as e:
    print(e)
try:
    f(*5)
except TypeError as e:
    print(e)
try:
    f(**[1])
except TypeError as e:
    print(e)
def g(x, y):
    return x - y
print(g(*range(2)))
print(g(*"ab" if False else (9, 4)))
print(g(y=1, x=10))
args = [3, 1]
print(g(*args), g(*reversed(args)))
print(list(map(g, [10, 20], [1, 2])))
pairs = [(5, 2), (9, 9)]
print([g(*p) for p in pairs])
print(max(*[1, 5, 3], key=lambda v: -v))
print("{} {b}".format(*["A"], **{"b": "B"}))
def gen():
    yield 1
    yield 2
print(g(*gen()))
