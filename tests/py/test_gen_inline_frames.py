# Generators resumed inside the loop (FOR_ITER / SEND run the generator's
# frame inline): values, return values, exceptions, PEP 479, exc_info,
# delegation, close/throw, recursion through yield from.
import sys
def g1():
    yield 1
    yield 2
    return 3
print(list(g1()))
for x in g1():
    print("x", x)
def deleg():
    r = yield from g1()
    print("deleg got", r)
    r2 = yield from [7, 8]
    print("r2", r2)
    return "done"
for v in deleg():
    print("v", v)
def gen_raise():
    yield 1
    raise ValueError("boom")
try:
    for v in gen_raise():
        print("gr", v)
except ValueError as e:
    print("caught", e)
def gen_stop():
    yield 1
    raise StopIteration("x")
try:
    for v in gen_stop():
        print("gs", v)
except RuntimeError as e:
    print("RT", e, type(e.__cause__).__name__)
def exc_info_gen():
    try:
        raise KeyError("inner")
    except KeyError:
        yield sys.exc_info()[0].__name__
        yield sys.exc_info()[0].__name__
    yield sys.exc_info()[0]
try:
    raise IndexError("outer")
except IndexError:
    for v in exc_info_gen():
        print("ei", v, sys.exc_info()[0].__name__)
def acc():
    total = 0
    while True:
        v = yield total
        if v is None:
            return total
        total += v
a = acc()
next(a)
for i in range(5):
    print("send", a.send(i))
try:
    a.send(None)
except StopIteration as e:
    print("stop value", e.value)
def outer():
    x = yield from acc()
    yield "outer", x
o = outer()
print(next(o), o.send(5), o.send(6), o.send(None))
def running():
    yield g.send(None) if False else 1
    for x in g:
        yield x
g = running()
try:
    for v in g:
        print("r", v)
except ValueError as e:
    print("ValueError", e)
def deep(n):
    if n == 0:
        yield 0
        return
    yield from deep(n - 1)
    yield n
print(sum(deep(50)))
def closing():
    try:
        yield 1
        yield 2
    finally:
        print("finally")
c = closing()
print(next(c))
c.close()
for v in closing():
    print("c", v)
    break
def thrower():
    try:
        yield 1
    except KeyError as e:
        yield "got " + str(e)
t = thrower()
print(next(t), t.throw(KeyError("k")))
gen = (i * i for i in range(5))
print(list(gen), list(gen))
def recur(n):
    for i in range(n):
        yield from recur(i)
    yield n
print(len(list(recur(8))))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(10)])
def nested_for():
    for i in (j * 2 for j in range(3)):
        for k in (m for m in range(i)):
            yield i, k
print(list(nested_for()))
def gen_with_return_in_try():
    try:
        yield 1
        return 5
    finally:
        print("fin")
print(list(gen_with_return_in_try()))
def infinite_rec():
    yield from infinite_rec()
try:
    next(infinite_rec())
except RecursionError as e:
    print("RecursionError")
def g_exc_in_for():
    for x in range(3):
        try:
            yield x
            1/0
        except ZeroDivisionError:
            yield "zde"
print(list(g_exc_in_for()))
print(next(iter(g1())))
def g():
    yield 1
    x = yield 2
    yield x
it = g()
print(it.gi_running, next(it), it.gi_running)
def selfref():
    yield next(me)
me = selfref()
try:
    next(me)
except ValueError as e:
    print("ValueError", e)
def selfref2():
    for x in me2:
        yield x
me2 = selfref2()
try:
    list(me2)
except ValueError as e:
    print("ValueError", e)
def sub():
    try:
        yield 1
        yield 2
    except KeyError:
        yield "sub caught"
    finally:
        print("sub finally")
def outer():
    yield from sub()
o = outer()
print(next(o))
print(o.throw(KeyError))
o.close()
o2 = outer()
next(o2)
o2.close()
print(o2.gi_suspended if hasattr(o2, "gi_suspended") else "-")
def running_check():
    yield r.gi_running
r = running_check()
print(next(r))
