# generator throw(): exception raised at the yield, caught inside and continuing, propagating out, with yield from
def g():
    while True:
        try:
            yield "ready"
        except ValueError as e:
            print("gen caught", e)
it = g()
print(next(it))
print(it.throw(ValueError("first")))
print(it.throw(ValueError("second")))
try:
    it.throw(KeyError("not handled"))
except KeyError as e:
    print("propagated", repr(e))
try:
    next(it)
except StopIteration:
    print("generator finished after unhandled throw")
def unstarted():
    print("never runs")
    yield 1
u = unstarted()
try:
    u.throw(RuntimeError("before start"))
except RuntimeError as e:
    print("unstarted throw:", e)
def handles_and_returns():
    try:
        yield 1
    except TypeError:
        return "handled TypeError"
h = handles_and_returns()
next(h)
try:
    h.throw(TypeError)
except StopIteration as e:
    print("return value:", e.value)
def inner():
    try:
        yield "inner"
    except IndexError:
        yield "inner caught IndexError"
def outer():
    yield from inner()
    yield "outer continues"
o = outer()
print(next(o))
print(o.throw(IndexError("x")))
print(next(o))
def with_finally():
    try:
        yield 1
    finally:
        print("finally during throw")
w = with_finally()
next(w)
try:
    w.throw(ZeroDivisionError("z"))
except ZeroDivisionError as e:
    print("after finally:", e)
def throw_class():
    try:
        yield
    except LookupError as e:
        yield type(e).__name__ + repr(e.args)
t = throw_class()
next(t)
print(t.throw(KeyError))
