# sys.settrace: the 'call'/'line'/'return'/'exception' event sequence of calls,
# loops, nested functions, generators, with blocks and exceptions matches CPython.
import sys
out = []

def tr(frame, event, arg):
    a = arg
    if event == 'exception':
        a = arg[0].__name__ + ':' + str(arg[1]) + ':' + str(arg[2] is not None)
    elif event == 'return' and not isinstance(arg, (int, str, type(None), list, bool)):
        a = type(arg).__name__
    out.append((event, frame.f_code.co_name, frame.f_lineno - frame.f_code.co_firstlineno, a))
    return tr

def w(n):
    i = 0
    while i < n:
        i += 1
    return i

def nested(x):
    def inner(y):
        return y * 2
    return inner(x) + 1

def raiser():
    raise ValueError('x')

def catcher():
    try:
        raiser()
    except ValueError as e:
        r = str(e)
    finally:
        r = r + '!'
    return r

def ifs(a):
    if a > 1:
        b = 1
    elif a > 0:
        b = 2
    else:
        b = 3
    for k in range(3):
        if k == 1:
            continue
        b += k
    return b

def gen(n):
    for i in range(n):
        yield i

def yf():
    yield from range(2)
    return 5

class CM:
    def __enter__(self):
        return 1
    def __exit__(self, *a):
        return True

def withx():
    with CM() as c:
        x = c + 1
        raise KeyError(x)
    return 2

def one(): return 1

lam = lambda q: q + 1

def uncaught():
    x = 1
    raise KeyError(x)

sys.settrace(tr)
w(2)
nested(3)
catcher()
ifs(1); ifs(2)
sum(gen(2))
list(yf())
withx()
one()
lam(1)
try:
    uncaught()
except KeyError:
    pass
sys.settrace(None)
for e in out:
    print(*e)
