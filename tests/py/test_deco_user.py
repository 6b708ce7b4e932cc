# user decorators: wrapping functions, preserving results, counting calls, decorators on methods
def shout(fn):
    def wrapper(*args, **kwargs):
        return str(fn(*args, **kwargs)).upper() + "!"
    return wrapper
@shout
def greet(name):
    return "hello " + name
print(greet("bob"))
print(greet.__name__)
def counted(fn):
    def wrapper(*a, **k):
        wrapper.calls += 1
        return fn(*a, **k)
    wrapper.calls = 0
    wrapper.__name__ = fn.__name__
    return wrapper
@counted
def add(a, b):
    return a + b
print(add(1, 2), add(3, 4), add.calls, add.__name__)
def trace(fn):
    def wrapper(*args):
        print("call", fn.__name__, args)
        r = fn(*args)
        print("ret", r)
        return r
    return wrapper
@trace
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
fact(3)
def memoize(fn):
    cache = {}
    def wrapper(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]
    wrapper.cache = cache
    return wrapper
@memoize
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), len(fib.cache))
class K:
    @shout
    def method(self, x):
        return "method " + str(x)
print(K().method(7))
def identity(fn):
    return fn
@identity
def plain():
    return "plain"
print(plain(), plain.__name__)
def replace_with_value(fn):
    return 42
@replace_with_value
def gone():
    pass
print(gone)
def class_deco(cls):
    cls.decorated = True
    return cls
@class_deco
class D:
    pass
print(D.decorated)
