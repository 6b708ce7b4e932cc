# lambda expressions: arguments, defaults, closures, in sort keys, immediately invoked, __name__
sq = lambda x: x * x
print(sq(7), sq.__name__)
add = lambda a, b=1: a + b
print(add(1), add(1, 2))
print((lambda: "no args")())
print((lambda *a, **k: (a, k))(1, z=2))
words = ["banana", "Apple", "cherry", "date"]
print(sorted(words, key=lambda w: w.lower()))
print(sorted(words, key=lambda w: (len(w), w)))
funcs = [lambda x, i=i: x + i for i in range(3)]
print([fn(10) for fn in funcs])
late = [lambda x: x + i for i in range(3)]
print([fn(10) for fn in late])
compose = lambda f, g: lambda x: f(g(x))
inc_then_double = compose(lambda x: x * 2, lambda x: x + 1)
print(inc_then_double(5))
print(list(map(lambda p: p[0] * p[1], [(1, 2), (3, 4)])))
print(list(filter(lambda n: n % 3 == 0, range(20))))
cond = lambda x: "pos" if x > 0 else ("zero" if x == 0 else "neg")
print(cond(5), cond(0), cond(-5))
y = 100
capture = lambda: y
y = 200
print(capture())
def outer():
    k = 3
    return lambda v: v ** k
print(outer()(2))
nested = lambda x: (lambda y: x + y)
print(nested(1)(2))
print((lambda x, *, y: x - y)(10, y=3))
table = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b}
print(table["add"](3, 4), table["mul"](3, 4))
rec = lambda n: 1 if n == 0 else n * rec(n - 1)
print(rec(6))
print(type(sq).__name__)
print(max(range(10), key=lambda v: (v % 4, -v)))
