# sys._getframe and frame objects: f_code, f_lineno, f_locals, f_back, f_globals,
# frames kept after they end, gettrace/settrace per call, errors as CPython.
import sys

def here():
    return sys._getframe()

def caller_name():
    return sys._getframe(1).f_code.co_name

def outer():
    return caller_name()

print(outer())
f = sys._getframe()
print(f.f_code.co_name, sys._getframe().f_lineno, f.f_globals is globals(), f.f_back)
print(type(f).__name__)

def locs(a, b=2):
    c = a + b
    fr = sys._getframe()
    return fr, fr.f_locals

fr, l = locs(1)
print(sorted(l.items(), key=lambda kv: kv[0])[:3])
# the frame ended: its object still answers
print(fr.f_code.co_name, fr.f_lineno - fr.f_code.co_firstlineno, fr.f_back.f_code.co_name)
print(sorted(k for k in fr.f_locals if k != 'fr'))
del fr, l

def deep(n):
    if n == 0:
        f = sys._getframe()
        names = []
        while f is not None:
            names.append(f.f_code.co_name)
            f = f.f_back
        return names
    return deep(n - 1)
print(deep(3))

for bad in [(1, 2), ('x',), (100000,)]:
    try:
        sys._getframe(*bad)
    except Exception as e:
        print(type(e).__name__, e)
print(sys._getframe(-1).f_code.co_name)
for args in [(), (1, 2)]:
    try:
        sys.settrace(*args)
    except TypeError as e:
        print(e)
try:
    sys.gettrace(1)
except TypeError as e:
    print(e)

print(sys.gettrace())
def t(frame, event, arg):
    return None
sys.settrace(t)
print(sys.gettrace() is t)
sys.settrace(None)
print(sys.gettrace())

# a trace function that raises: tracing stops, the error propagates
def bad(frame, event, arg):
    if event == 'line':
        raise RuntimeError('boom')
    return bad
def victim():
    x = 1
    return x
sys.settrace(bad)
try:
    victim()
except RuntimeError as e:
    print('caught', e)
print(sys.gettrace())

# f_trace set from the global function only for some frames
seen = []
def sel(frame, event, arg):
    if frame.f_code.co_name == 'traced':
        def local(frame, event, arg):
            seen.append((event, frame.f_lineno - frame.f_code.co_firstlineno))
            return local
        return local
    return None
def traced():
    a = 1
    return untraced() + a
def untraced():
    b = 2
    return b
sys.settrace(sel)
traced()
sys.settrace(None)
print(seen)
