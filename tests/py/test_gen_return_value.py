# generator return values: StopIteration.value, return inside loops, return in try/finally, StopIteration conversion
def g(x):
    yield 1
    return x * 2
it = g(21)
print(next(it))
try:
    next(it)
except StopIteration as e:
    print("value", e.value, e.args)
def early(stop):
    for i in range(10):
        if i == stop:
            return "stopped at %d" % i
        yield i
gen = early(3)
values = []
while True:
    try:
        values.append(next(gen))
    except StopIteration as e:
        values.append(e.value)
        break
print(values)
def with_finally():
    try:
        yield "a"
        return "ret"
    finally:
        print("finally in generator")
w = with_finally()
print(next(w))
try:
    next(w)
except StopIteration as e:
    print("got", e.value)
def no_return():
    yield 1
n = no_return()
next(n)
try:
    next(n)
except StopIteration as e:
    print("implicit return value:", e.value)
def raises_stop():
    yield 1
    raise StopIteration("inside")
try:
    list(raises_stop())
except RuntimeError as e:
    print(type(e).__name__, e)
    print(type(e.__cause__).__name__, e.__cause__)
def returns_tuple():
    yield
    return 1, 2
t = returns_tuple()
next(t)
try:
    next(t)
except StopIteration as e:
    print(e.value)
def returns_none_explicit():
    yield 0
    return None
print(list(returns_none_explicit()))
def after_exhausted():
    yield 1
a = after_exhausted()
print(list(a), list(a))
try:
    next(a)
except StopIteration as e:
    print("exhausted again, value:", e.value)
