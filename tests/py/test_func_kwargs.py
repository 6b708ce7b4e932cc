# functions: **kwargs collection, ordering of keyword arguments, combining with named params
def f(**kw):
    return kw
print(f())
print(f(a=1, b=2))
print(f(z=1, a=2, m=3))
print(type(f()).__name__)
def g(a, **kw):
    return a, kw
print(g(1, x=2))
print(g(a=1, x=2))
def h(a, b=2, **kw):
    return a, b, kw
print(h(1, c=3, b=4))
def describe(name, **props):
    parts = [name]
    for k, v in props.items():
        parts.append(k + "=" + repr(v))
    return " ".join(parts)
print(describe("box", width=3, height=4, color="red"))
def pass_through(**kw):
    return f(**kw)
print(pass_through(p=1, q=2))
d = {"a": 10, "b": 20}
print(h(**d))
print(h(1, **{"z": 26}))
try:
    h(1, **{"a": 5})
except TypeError as e:
    print(e)
try:
    f(**{1: 2})
except TypeError as e:
    print(e)
def all_kinds(*args, **kwargs):
    return args, kwargs
print(all_kinds(1, 2, x=3))
print(all_kinds(*[1], **{"y": 2}))
kw = f(b=1)
kw["c"] = 2
print(kw)
def keyword_named_like_builtin(**kw):
    return sorted(kw)
print(keyword_named_like_builtin(list=1, dict=2, self=3))
print(dict(a=1, b=2), dict({"x": 1}, y=2))
