# functions: positional-only parameters (/), errors when passed by keyword, with defaults and **kw
def f(a, b, /):
    return a * 10 + b
print(f(1, 2))
try:
    f(1, b=2)
except TypeError as e:
    print(e)
def g(a, /, b, *, c):
    return (a, b, c)
print(g(1, 2, c=3))
print(g(1, b=2, c=3))
def h(a, b=5, /, **kw):
    return a, b, kw
print(h(1))
print(h(1, a=2, b=3))
print(h(1, 2, x=0))
def defaults(x=1, y=2, /):
    return x + y
print(defaults(), defaults(10), defaults(10, 20))
try:
    defaults(1, 2, 3)
except TypeError as e:
    print(e)
try:
    g(1, 2, 3)
except TypeError as e:
    print(e)
try:
    g()
except TypeError as e:
    print(e)
try:
    g(1)
except TypeError as e:
    print(e)
lam = lambda p, /, q: p - q
print(lam(5, q=3), lam(5, 3))
class K:
    def m(self, v, /):
        return v
print(K().m(9))
try:
    K().m(v=1)
except TypeError as e:
    print(e)
print(divmod(7, 2), pow(2, 10))
try:
    len(obj=[1])
except TypeError as e:
    print(e)
