# generator close(): GeneratorExit inside the generator, finally blocks, closing unstarted/finished generators
def g():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")
it = g()
print(next(it))
it.close()
print("closed")
try:
    next(it)
except StopIteration:
    print("StopIteration after close")
it2 = g()
it2.close()
print("closing unstarted: no cleanup printed")
def catches_exit():
    try:
        yield "x"
    except GeneratorExit:
        print("caught GeneratorExit")
        raise
c = catches_exit()
next(c)
c.close()
def ignores_exit():
    try:
        yield 1
    except GeneratorExit:
        yield "bad"
b = ignores_exit()
next(b)
try:
    b.close()
except RuntimeError as e:
    print("RuntimeError:", e)
def returns_on_exit():
    try:
        yield 1
    except GeneratorExit:
        return "ignored value"
r = returns_on_exit()
next(r)
print(r.close())
def finished():
    yield 1
f = finished()
list(f)
f.close()
print("close on finished ok")
def resource_gen(log):
    log.append("open")
    try:
        for i in range(10):
            yield i
    finally:
        log.append("close")
log = []
for v in resource_gen(log):
    if v == 2:
        break
print(log)
gen = resource_gen(log)
next(gen)
del gen
print(log)
def nested_finally():
    try:
        try:
            yield 1
        finally:
            print("inner finally")
    finally:
        print("outer finally")
n = nested_finally()
next(n)
n.close()
print(issubclass(GeneratorExit, Exception))
