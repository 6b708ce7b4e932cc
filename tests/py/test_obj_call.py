# __call__: callable instances, stateful callables, callables as keys/decorators, callable() builtin
class Adder:
    def __init__(self, n):
        self.n = n
    def __call__(self, x):
        return x + self.n
add3 = Adder(3)
print(add3(4), callable(add3), callable(Adder))
print(list(map(add3, [1, 2, 3])))
class Counter:
    def __init__(self):
        self.calls = 0
    def __call__(self, *args, **kwargs):
        self.calls += 1
        return (args, sorted(kwargs.items()))
c = Counter()
print(c(), c(1, 2), c(k=1), c.calls)
class Poly:
    def __init__(self, *coef):
        self.coef = coef
    def __call__(self, x):
        r = 0
        for a in self.coef:
            r = r * x + a
        return r
p = Poly(1, 0, -2)
print([p(x) for x in range(-2, 3)])
print(sorted([3, -5, 1], key=Poly(1, 0, 0)))
class NotCallable:
    pass
try:
    NotCallable()()
except TypeError as e:
    print(e)
try:
    num = 5
    num()
except TypeError as e:
    print(e)
try:
    text = "str"
    text()
except TypeError as e:
    print(e)
class Deco:
    def __init__(self, fn):
        self.fn = fn
        self.count = 0
    def __call__(self, *a):
        self.count += 1
        return self.fn(*a) * 10
@Deco
def base(x):
    return x + 1
print(base(1), base(2), base.count)
class ClassCall:
    def __call__(self):
        return "instance call"
inst = ClassCall()
print(inst(), ClassCall.__call__(inst))
ClassCall.__call__ = lambda self: "patched call"
print(inst())
class Compose:
    def __init__(self, *fns):
        self.fns = fns
    def __call__(self, x):
        for f in reversed(self.fns):
            x = f(x)
        return x
print(Compose(str, abs, Adder(-10))(3))
print(callable(len), callable(lambda: 0), callable(None), callable(Compose))
