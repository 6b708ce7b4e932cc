# l[i:j], l[i:j:k] and l[i:j] = v (ftpy slices an exact list with the
# bounds on the stack and builds no slice object; anything else gets the
# slice): values, bounds of every kind, errors with their lines, and the
# objects that are not exact lists
import sys


def line_of(exc):
    tb = exc.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    return tb.tb_lineno


def reads(l):
    n = len(l)
    out = [l[:], l[1:], l[:3], l[2:5], l[-3:], l[:-2], l[::2], l[1::3],
           l[::-1], l[5:1:-1], l[-1:-4:-1], l[n:], l[100:], l[-100:2],
           l[3:3], l[4:2], l[None:None:None], l[True:], l[:2 ** 70],
           l[-2 ** 70:], l[::2 ** 70], l[::-2 ** 70]]
    return out


print(reads(list(range(10))))
print(reads([]))
print(reads(["a", "b"]))


class Idx:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


def index_objects(l):
    return l[Idx(1):Idx(4)], l[Idx(-1)::Idx(-2)]


print(index_objects(list(range(8))))


def writes():
    l = list(range(10))
    l[2:5] = ["x", "y"]
    print(l)
    l[:0] = (7, 8)
    print(l)
    l[len(l):] = iter([100, 101])
    print(l)
    l[::2] = "abcdefg"
    print(l)
    l[1::3] = [None] * len(l[1::3])
    print(l)
    l[:] = l
    print(l)
    l[2:] = l
    print(l)
    l[-3:] = []
    print(l)
    l[5:1] = [0]
    print(l)
    l[:] = {3: "k"}
    print(l)
    del l[:]
    print(l)


writes()


def flip(perm):
    k = perm[0]
    flips = 0
    while k:
        perm[:k + 1] = perm[k::-1]
        flips += 1
        k = perm[0]
    return flips, perm


print(flip([3, 1, 4, 0, 2]))


def errors(which):
    l = [1, 2, 3]
    if which == 0:
        return l["a":]
    if which == 1:
        return l[::0]
    if which == 2:
        l[::2] = [1, 2, 3]
    if which == 3:
        l[1:2] = 5
    if which == 4:
        l[::0] = []
    if which == 5:
        l[1.5:] = []
    if which == 6:
        return l[
            :None:"x"]


for w in range(7):
    try:
        print(errors(w))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e, line_of(e))


class MyList(list):
    def __getitem__(self, key):
        return ("MyList", key.start, key.stop, key.step)

    def __setitem__(self, key, v):
        print("set", key, v)


class Seq:
    def __getitem__(self, key):
        return key

    def __setitem__(self, key, v):
        print("Seq set", key, v)


def others():
    m = MyList([1, 2, 3])
    print(m[1:2], m[::3])
    m[:1] = [9]
    s = Seq()
    print(s[1:2], s[::-1], s["a":"b":"c"])
    s[1:] = 5
    print((1, 2, 3, 4)[1:3], "hello"[::-1], range(10)[2:8:2], b"bytes"[1:])
    t = (1, 2)
    try:
        t[0:1] = [5]
    except TypeError as e:
        print("TypeError", e, line_of(e))


others()


# Line events of a slice spread over lines.
events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name == "traced":
        events.append((event, frame.f_lineno - frame.f_code.co_firstlineno))
    return tracer


def traced(l):
    a = l[1:
          3]
    l[
        :1] = a
    return l


sys.settrace(tracer)
print(traced([1, 2, 3, 4]))
sys.settrace(None)
print(events)
