# two locals, or a local and a constant, read by the comparison or the
# subscript after them alone: a < b, x is None, k in seen, board[pos],
# t[0], self.cells[i] (ftpy fuses them into one instruction that uses the
# locals borrowed): results, jumps, objects that drop their other
# references while compared or subscripted, errors with their lines,
# jumps into the middle, and line events
import sys


def line_of(exc):
    tb = exc.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    return tb.tb_lineno


def compares(a, b):
    out = []
    out.append((a < b, a <= b, a == b, a != b, a > b, a >= b))
    out.append((a is b, a is not b, a is None, a is not None))
    if a < b:
        out.append("lt")
    if not a == b:
        out.append("ne")
    if a == 3:
        out.append("eq3")
    if a != 3:
        out.append("ne3")
    while a is None:
        a = 0
    return out


x = 2.5
y = "ab"
for a, b in [(1, 2), (2, 1), (3, 3), (10 ** 20, 10 ** 20 + 1), (1.5, 2.5), (x, x),
             (y, y), ("ab", "ac"), (1, 1.0), ((1, 2), (1, 3))]:
    print(a, b, compares(a, b))
try:
    compares(None, None)
except TypeError as e:
    print("TypeError", e, line_of(e))


def contains(k, seen, d, s):
    out = [k in seen, k not in seen, k in d, k not in d, k in s]
    if k in seen:
        out.append("seen")
    if k not in d:
        out.append("not in d")
    return out


print(contains(3, [1, 2, 3], {3: "x"}, (3, 4)))
print(contains("b", {"a", "b"}, {}, "abc"))
print(contains(frozenset([1]), {frozenset([1])}, {frozenset([1]): 0}, [frozenset([1])]))
try:
    contains([], {1}, {}, "")
except TypeError as e:
    print("TypeError", e, line_of(e))


def subscripts(lst, t, d, s, i, k):
    return (lst[i], lst[-1], lst[0], t[i], t[-2], t[0], d[k], d["z"], s[i], s[1:], lst[i:])


print(subscripts([5, 6, 7], (8, 9, 10), {"a": 1, "z": 26}, "xyz", 1, "a"))


class Board:
    def __init__(self):
        self.cells = [0, 1, 2, 3]
        self.names = {"a": 1}

    def get(self, pos, key):
        return self.cells[pos] + self.names[key]


print(Board().get(2, "a"))


# The compared or subscripted object loses every reference but the
# local's while the comparison or subscript runs: the local holds it.
class Dropper:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("del Dropper", self.n)

    def __eq__(self, other):
        global holder
        holder = None
        return self.n == other

    def __lt__(self, other):
        global holder
        holder = None
        return self.n < other

    def __contains__(self, x):
        global holder
        holder = None
        return x == self.n

    def __getitem__(self, k):
        global holder
        holder = None
        return (self.n, k)


def drop(kind, k):
    h = holder
    del globals()["holder"]
    if kind == 0:
        return h == k
    if kind == 1:
        return h < k
    if kind == 2:
        return k in h
    if kind == 3:
        return h[k]
    return h[0]


for kind in range(5):
    holder = Dropper(kind)
    print(kind, drop(kind, 3))


def errors(which):
    a = 1
    s = "x"
    lst = [1, 2]
    d = {"a": 1}
    if which == 0:
        return a < s
    if which == 1:
        return lst[5]
    if which == 2:
        return d["b"]
    if which == 3:
        return s[a + 10]
    if which == 4:
        return a in a
    if which == 5:
        return lst["k"]


for w in range(6):
    try:
        errors(w)
    except (TypeError, IndexError, KeyError) as e:
        print(type(e).__name__, e, line_of(e))


def unbound(which):
    if which == 0:
        return u < 1
    if which == 1:
        return v < u
    if which == 2:
        return u[0]
    if which == 3:
        return v[u]
    if which == 4:
        return u is None
    u = v = 1


for w in range(5):
    try:
        unbound(w)
    except UnboundLocalError as e:
        print("UnboundLocalError", e, line_of(e))


# A jump to the second LOAD_FAST of a triple runs it alone.
def middle(c, a, b, n, s, t):
    r = (a if c else b) < n
    x = (s if c else t)[n]
    y = s[a if c else b]
    return r, x, y


print(middle(True, 0, 1, 1, [7, 8], (9, 10)))
print(middle(False, 0, 1, 1, [7, 8], (9, 10)))


# Line events: the halves of a triple on lines of their own.
events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name == "traced":
        events.append((event, frame.f_lineno - frame.f_code.co_firstlineno))
    return tracer


def traced(a, b, lst):
    r = (a
         <
         b)
    if (a
            is None):
        r = None
    v = (lst
         [a])
    return r, v


sys.settrace(tracer)
print(traced(1, 2, [4, 5]))
sys.settrace(None)
print(events)


# A generator: the triples across its yields.
def gen(n, lst):
    i = 0
    while i < n:
        yield lst[i]
        if i in lst:
            yield "in"
        i += 1


print(list(gen(3, [0, 2, 4])))


# An augmented subscript reads o[k] with the stack's o and k.
class Item:
    def __init__(self):
        self.d = {}

    def __getitem__(self, k):
        return self.d.get(k, 0)

    def __setitem__(self, k, v):
        self.d[k] = v


def augmented(lst, d, it, k):
    lst[0] += 1
    lst[k] -= 2.5
    lst[-1] *= 3
    d["a"] += "b"
    d[k] = d.get(k, 0)
    d[k] += 1
    it[k] += 5
    it[k] += 5
    try:
        d["missing"] += 1
    except KeyError as e:
        print("KeyError", e, line_of(e))
    try:
        lst[10] += 1
    except IndexError as e:
        print("IndexError", e, line_of(e))
    return lst, d, it.d


print(augmented([1, 2.0, 3], {"a": "a"}, Item(), 1))


# A local sequence unpacked: tuples, lists, iterables, and the errors.
def unpack(t, lst, s, bad):
    a, b = t
    c, d, e = lst
    f, g = s
    out = [a, b, c, d, e, f, g]
    for x in range(2):
        p, q = t
        out.append(p + q)
    try:
        h, i = bad
    except (ValueError, TypeError) as err:
        out.append((type(err).__name__, str(err), line_of(err)))
    return out, t, lst


print(unpack((1, 2), [3, 4, 5], "xy", (1, 2, 3)))
print(unpack((1, 2), [3, 4, 5], {"k": 1, "j": 2}, 7))
print(unpack((1, 2), [3, 4, 5], iter([8, 9]), [1]))
