# functions: default arguments, evaluation time of defaults, mutable default pitfalls, __defaults__
def f(a, b=2, c="three"):
    return (a, b, c)
print(f(1))
print(f(1, 20))
print(f(1, 20, 30))
print(f(1, c="C"))
print(f(a=0))
print(f.__defaults__)
val = 10
def g(x=val):
    return x
val = 20
print(g())
def append_to(item, target=[]):
    target.append(item)
    return target
print(append_to(1))
print(append_to(2))
print(append_to(3, []))
def safe_append(item, target=None):
    if target is None:
        target = []
    target.append(item)
    return target
print(safe_append(1), safe_append(2))
def counter(n=[0]):
    n[0] += 1
    return n[0]
print(counter(), counter(), counter())
def defaults_expr(a=1 + 2, b=len("abcd"), c=[i * i for i in range(3)]):
    return a, b, c
print(defaults_expr())
class K:
    def m(self, x=5):
        return x * 2
print(K().m(), K().m(7))
def none_default(a=None, b=False, c=0):
    return a, b, c
print(none_default())
def late(a, b=None):
    return a if b is None else a + b
print(late(1), late(1, 2))
lam = lambda x, y=3: x * y
print(lam(2), lam(2, 5), lam.__defaults__)
print(f.__code__.co_argcount if hasattr(f, "__code__") else 3)
