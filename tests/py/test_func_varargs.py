# functions: *args collection, empty *args, passing tuples through, mixing positional and *args
def f(*args):
    return args
print(f())
print(f(1))
print(f(1, "two", [3]))
print(type(f()).__name__)
def g(first, *rest):
    return first, rest
print(g(1))
print(g(1, 2, 3))
def total(*nums):
    s = 0
    for n in nums:
        s += n
    return s
print(total(), total(1, 2, 3), total(*range(101)))
def fwd(*args):
    return f(*args)
print(fwd(4, 5))
def maximum(first, *others):
    best = first
    for o in others:
        if o > best:
            best = o
    return best
print(maximum(3), maximum(3, 9, 2), maximum("a", "c", "b"))
def count_args(*a):
    return len(a)
print(count_args(*"hello"), count_args(*[], *[1]), count_args(*{1: 2, 3: 4}))
def mutate(*args):
    args = list(args)
    args.append("new")
    return args
print(mutate(1, 2))
try:
    g()
except TypeError as e:
    print(e)
def defaults_and_star(a, b=10, *c):
    return a, b, c
print(defaults_and_star(1), defaults_and_star(1, 2, 3, 4))
lam = lambda *a: sum(a)
print(lam(1, 2, 3))
print(max(*[4, 8, 2]), min(*"zyx"))
def nested_star(*args):
    return [x for arg in args for x in arg]
print(nested_star([1, 2], (3,), "ab"))
