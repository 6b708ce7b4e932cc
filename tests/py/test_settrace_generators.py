# sys.settrace with generators: 'call' on every resumption, 'return' on every
# yield (with the value), exceptions thrown in, close(), and threading of f_trace.
import sys
out = []
def tr(frame, event, arg):
    if frame.f_code.co_name in ('gen', 'closer', 'thrower'):
        a = arg[0].__name__ if event == 'exception' else arg
        out.append((event, frame.f_code.co_name, frame.f_lineno - frame.f_code.co_firstlineno, a))
    return tr

def gen(n):
    for i in range(n):
        x = yield i
        if x:
            yield -x

def closer():
    try:
        yield 1
        yield 2
    finally:
        z = 3

def thrower():
    try:
        yield 1
    except ValueError:
        yield 'handled'

sys.settrace(tr)
g = gen(3)
print(next(g), g.send(7), next(g), list(g))
c = closer(); next(c); c.close()
t = thrower(); next(t); print(t.throw(ValueError('v')))
sys.settrace(None)
for e in out:
    print(*e)
