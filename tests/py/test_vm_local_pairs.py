# a local read by the next instruction alone: x.attr, x.attr = v, a op x,
# `if x:` / `while x is not None:` (ftpy pairs the LOAD_FAST with that
# instruction and uses the local borrowed): values, the operands left
# intact when a result could be written in place, and errors with their
# lines
import sys


def line_of(exc):
    tb = exc.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    return tb.tb_lineno


class P:
    def __init__(self, x):
        self.x = x
        self.y = x * 2

    @property
    def z(self):
        return self.x + self.y


def attrs():
    p = P(3)
    q = P(4)
    q.x = p
    q.x.y = 10
    print(p.x, p.y, p.z, q.x.y)
    try:
        return p.missing
    except AttributeError as e:
        print("AttributeError", e, line_of(e))
    n = 5
    try:
        n.attr = 1
    except AttributeError as e:
        print("AttributeError", e, line_of(e))


attrs()


# An attribute read that drops the object's other references: the local
# still holds it.
class Dropper:
    def __getattr__(self, name):
        global holder
        holder = None
        return name * 2


holder = Dropper()


def drop():
    h = holder
    return h.ab, h.cd


print(drop())


class Replaced:
    def __del__(self):
        print("del Replaced")


def replace_attr():
    o = P(1)
    o.x = Replaced()
    o.x = 2          # the old value dies inside the pair
    return o.x


print(replace_attr())


def arith():
    big = 10 ** 12 + 7       # a local whose only reference is the frame's
    f = 2.5 * 1.5
    t1 = (big + 1) - big     # right operand borrowed: must not take the result
    t2 = (f + 1.0) * f
    t3 = (big * 3) + big
    t4 = (f * 2.0) - f
    print(big, f, t1, t2, t3, t4)
    s = 0.0
    i = 0
    for k in range(20):
        s = s * 0.5 + f
        i = i * 3 + big
    print(s, i, big, f)
    lst = [1, 2]
    lst += lst
    print(lst)
    x = "abc"
    try:
        return 1 + x
    except TypeError as e:
        print("TypeError", e, line_of(e))
    d = 0
    try:
        return 7 // d
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e, line_of(e))


arith()


class Truth:
    def __init__(self, v):
        self.v = v

    def __bool__(self):
        if self.v is None:
            raise ValueError("no truth")
        return self.v


def branches(values):
    out = []
    for v in values:
        if v:
            out.append("T")
        else:
            out.append("F")
        if not v:
            out.append("n")
        if v is None:
            out.append("N")
        if v is not None:
            out.append("v")
    return "".join(out)


print(branches([0, 1, -3, 10 ** 20, 0.0, 2.5, "", "a", [], [0], None, True,
                False, Truth(True), Truth(False)]))
try:
    branches([Truth(None)])
except ValueError as e:
    print("ValueError", e)


class Node:
    def __init__(self, nxt):
        self.nxt = nxt


def walk(n):
    count = 0
    while n is not None:
        count += 1
        n = n.nxt
    return count


print(walk(Node(Node(Node(None)))))


def unbound(which):
    if which == 0:
        print(u.x)
    elif which == 1:
        u.x = 1
    elif which == 2:
        print(1 + u)
    elif which == 3:
        if u:
            pass
    elif which == 4:
        if u is None:
            pass
    u = None


for w in range(5):
    try:
        unbound(w)
    except UnboundLocalError as e:
        print("UnboundLocalError", e, line_of(e))


# Line events of an attribute on its own line (the pair's second half).
events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name == "traced":
        events.append((event, frame.f_lineno - frame.f_code.co_firstlineno))
    return tracer


def traced(o):
    a = o.x
    o.y = a
    b = a + o.y
    if b:
        return b


sys.settrace(tracer)
traced(P(2))
sys.settrace(None)
print(events)


# A generator: the pairs across its yields.
def gen(p):
    for i in range(3):
        p.x = p.x + i
        yield p.x
        if p:
            yield p.y


print(list(gen(P(1))))
