# with statement: __enter__ return value bound by as, __exit__ called on normal exit, return, break, exception
class Ctx:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None, repr(exc) if exc else None)
        return False
with Ctx("a") as v:
    print("body", v)
with Ctx("no-as"):
    print("body without as")
def early():
    with Ctx("ret"):
        return "returned"
print(early())
for i in range(3):
    with Ctx("loop%d" % i):
        if i == 1:
            break
try:
    with Ctx("err"):
        raise ValueError("boom")
except ValueError as e:
    print("propagated", e)
class SelfCtx:
    def __enter__(self):
        return self
    def __exit__(self, *args):
        self.closed = True
    def __repr__(self):
        return "SelfCtx"
with SelfCtx() as s:
    print(s, hasattr(s, "closed"))
print(s.closed)
class Resource:
    log = []
    def __enter__(self):
        Resource.log.append("open")
        return self
    def __exit__(self, t, v, tb):
        Resource.log.append("close:" + (t.__name__ if t else "ok"))
def use(fail):
    try:
        with Resource():
            Resource.log.append("use")
            if fail:
                1 / 0
    except ZeroDivisionError:
        Resource.log.append("handled")
use(False)
use(True)
print(Resource.log)
with Ctx("target") as (first):
    print(first)
class TupleCtx:
    def __enter__(self):
        return (1, 2)
    def __exit__(self, *a):
        return None
with TupleCtx() as (p, q):
    print(p + q)
try:
    with 42:
        pass
except (TypeError, AttributeError) as e:
    print(type(e).__name__, e)
