# TypeError messages for wrong argument counts/keywords in user functions, methods, lambdas, builtins
def f(a, b):
    pass
def g(a, b=1, *, c):
    pass
class K:
    def m(self, x):
        pass
    @staticmethod
    def s(x):
        pass
    @classmethod
    def c(cls, x):
        pass
cases = [
    lambda: f(),
    lambda: f(1),
    lambda: f(1, 2, 3),
    lambda: f(1, 2, b=3),
    lambda: f(1, 2, d=4),
    lambda: g(1),
    lambda: g(1, 2, 3, c=1),
    lambda: K().m(),
    lambda: K().m(1, 2),
    lambda: K.m(),
    lambda: K.s(),
    lambda: K.c(1, 2),
    lambda: (lambda x: x)(),
    lambda: (lambda: 0)(1),
    lambda: len(),
    lambda: len(1, 2),
    lambda: abs(),
    lambda: isinstance(1),
    lambda: [].append(),
    lambda: [].append(1, 2),
    lambda: {}.get(),
    lambda: "s".split(1, 2, 3),
    lambda: int(1, 2, 3),
    lambda: K(1),
    lambda: f(*[1, 2, 3, 4]),
    lambda: f(**{"a": 1, "b": 2, "zz": 3}),
]
for case in cases:
    try:
        case()
        print("no error")
    except TypeError as e:
        print(e)
