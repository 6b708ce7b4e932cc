# functions: keyword-only parameters (after * and *args), required kw-only, keyword calls, errors
def f(a, *, key, flag=False):
    return (a, key, flag)
print(f(1, key="k"))
print(f(1, key="k", flag=True))
print(f(key="kk", a=0))
try:
    f(1, "k")
except TypeError as e:
    print(e)
try:
    f(1)
except TypeError as e:
    print(e)
def g(*args, sep=", ", end="."):
    return sep.join(str(a) for a in args) + end
print(g(1, 2, 3))
print(g(1, 2, sep="-", end="!"))
def h(a, b, /, c, *, d):
    return a + b + c + d
print(h(1, 2, 3, d=4))
print(h(1, 2, c=3, d=4))
try:
    h(1, b=2, c=3, d=4)
except TypeError as e:
    print(e)
def kwonly_defaults(*, x=1, y=2):
    return x * 10 + y
print(kwonly_defaults(), kwonly_defaults(y=5), kwonly_defaults(y=1, x=9))
try:
    kwonly_defaults(1)
except TypeError as e:
    print(e)
try:
    f(1, key=2, extra=3)
except TypeError as e:
    print(e)
try:
    f(1, key=1, key2=2) if False else f(1, **{"key": 1, "a": 2})
except TypeError as e:
    print(e)
print(f.__kwdefaults__)
def many(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, sorted(kw.items())
print(many(1, c=3))
print(many(1, 2, 3, 4, c=5, e=6, d=7))
