# binary operators whose operands are locals or constants: `n - 1`,
# `a * b`, `(x * 2.0) + 0.5` (ftpy pairs a LOAD_CONST with the BINARY_OP
# after it, and a LOAD_FAST before a LOAD_FAST or LOAD_CONST and the
# BINARY_OP into a triple, using the operands borrowed): values, locals
# and constants left intact where a result could be written in place,
# jumps into the middle of a triple, errors with their lines, and the
# line events of a triple spread over lines
import sys


def line_of(exc):
    tb = exc.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    return tb.tb_lineno


def values(a, b):
    out = []
    for x in (a, b):
        out.append((x + 1, x - 1, x * 3, x // 2, x % 7, x / 4, x ** 2))
        out.append((x + 1.5, x - 0.25, x * 2.0, x / 0.5))
    out.append((a + b, a - b, a * b, a / b, a // b, a % b, b ** 2))
    out.append((a & 0xff, a | 1, a ^ 5, a << 3, a >> 1) if type(a) is int else ())
    return out


for pair in ((7, 3), (10 ** 12 + 7, 13), (-5, 2), (2 ** 62, 3), (2.5, 0.5),
             (-1.75, 4), (9, 1.5), (10 ** 30, 7)):
    print(values(*pair))


# A borrowed operand whose count is 1 (the local's, the constant's) must
# never take the result in place.
def in_place():
    big = 10 ** 12 + 7
    f = 2.5 * 1.5
    r1 = big + big
    r2 = f * f
    r3 = big - 3
    r4 = f + 0.5
    r5 = (f * 2.0) + 0.5      # the temporary takes the result, not 0.5
    r6 = (big * 2) + 1000000007
    return big, f, r1, r2, r3, r4, r5, r6


print(in_place())
print(in_place())            # the constants are as they were


def loop(n):
    s = 0
    t = 0.0
    i = 0
    while i < n:
        s = s + i * i
        t = t + i / 3.0
        i = i + 1
    return s, t, i, n


print(loop(50))


def strings(a, b):
    return a + b, a * 2, b + "!", [1] + [2], (a, ) + (b, )


print(strings("ab", "cd"))


# A jump into the middle of a triple: `(p or q) + r` falls through to
# LOAD_FAST q; LOAD_FAST r; BINARY_OP (a triple) and jumps to the
# LOAD_FAST r; BINARY_OP after it (a pair).
def middle(p, q, r):
    return (p or q) + r, (p and q) - r, (p if q else r) * 2


for args in ((0, 5, 7), (3, 5, 7), (0, 0, 1), (2.5, 0, 4)):
    print(middle(*args))


def errors(which):
    x = "abc"
    n = 4
    if which == 0:
        return x + 1
    if which == 1:
        return n + x
    if which == 2:
        return n // 0
    if which == 3:
        return x - n
    if which == 4:
        return n % 0.0
    if which == 5:
        return n - (
            x)


for w in range(6):
    try:
        errors(w)
    except (TypeError, ZeroDivisionError) as e:
        print(type(e).__name__, e, line_of(e))


def unbound(which):
    if which == 0:
        print(u + v)
    elif which == 1:
        print(v + u)
    elif which == 2:
        print(u * 2)
    elif which == 3:
        print(v + (
            u))
    u = 1


for w in range(4):
    v = 3
    try:
        unbound(w)
    except UnboundLocalError as e:
        print("UnboundLocalError", e, line_of(e))
    except NameError as e:
        print("NameError", e, line_of(e))


class Num:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        return Num(self.v + (other.v if isinstance(other, Num) else other))

    def __radd__(self, other):
        return Num(other + self.v)

    def __repr__(self):
        return "Num(%r)" % self.v


def objects(a, b):
    return a + b, a + 1, 2 + a


print(objects(Num(1), Num(2)))


# Line events of triples spread over lines.
events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name == "traced":
        events.append((event, frame.f_lineno - frame.f_code.co_firstlineno))
    return tracer


def traced(a, b):
    c = a + b
    d = (a
         *
         b)
    e = (c -
         1)
    return c + d + e


sys.settrace(tracer)
print(traced(3, 4))
sys.settrace(None)
print(events)


# A generator: the triples across its yields.
def gen(n):
    i = 0
    while i < n:
        yield i * i
        i = i + 1
        yield i - 0.5


print(list(gen(4)))
