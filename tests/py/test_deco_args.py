# decorators with arguments (decorator factories), decorator expressions, parametrized class decorators
def repeat(times):
    def deco(fn):
        def wrapper(*args):
            return [fn(*args) for _ in range(times)]
        return wrapper
    return deco
@repeat(3)
def hi(name):
    return "hi " + name
print(hi("x"))
def prefix(p, sep=":"):
    def deco(fn):
        def wrapper(*a):
            return p + sep + fn(*a)
        return wrapper
    return deco
@prefix("LOG")
def msg(s):
    return s
@prefix("ERR", sep=" - ")
def err(s):
    return s
print(msg("started"), "|", err("failed"))
decorators = {"up": lambda f: lambda *a: f(*a).upper()}
@decorators["up"]
def word():
    return "lower"
print(word())
class Validator:
    def __init__(self, minimum):
        self.minimum = minimum
    def __call__(self, fn):
        def wrapper(x):
            if x < self.minimum:
                return "too small"
            return fn(x)
        return wrapper
@Validator(10)
def double(x):
    return x * 2
print(double(5), double(50))
def with_attrs(**attrs):
    def deco(fn):
        for k, v in attrs.items():
            setattr(fn, k, v)
        return fn
    return deco
@with_attrs(author="me", version=2)
def tagged():
    pass
print(tagged.author, tagged.version)
def add_method(name, value):
    def deco(cls):
        setattr(cls, name, lambda self: value)
        return cls
    return deco
@add_method("color", "blue")
@add_method("size", 3)
class Thing:
    pass
print(Thing().color(), Thing().size())
@(lambda f: f)
def expr_deco():
    return "any expression as decorator"
print(expr_deco())
