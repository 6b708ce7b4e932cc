# Checks weakref.finalize: called once when the object dies or when called
# directly; alive, peek, detach, atexit; the at-exit run (newest first,
# only live finalizers with atexit=True) after the main module ends.
import atexit
import weakref


class Resource:
    def __init__(self, name):
        self.name = name


def release(name, mode="normal"):
    print("release", name, mode)
    return name.upper()


r = Resource("r1")
f = weakref.finalize(r, release, "r1", mode="gc")
print(f.alive, f.atexit, f.peek()[0] is r, f.peek()[1] is release, f.peek()[2:])
del r
print(f.alive, f(), f.peek(), f.detach())

r2 = Resource("r2")
f2 = weakref.finalize(r2, release, "r2")
print(f2(), f2.alive, f2())  # runs once, returns func's result
del r2

r3 = Resource("r3")
f3 = weakref.finalize(r3, release, "r3")
obj, func, args, kwargs = f3.detach()
print(obj is r3, func is release, args, kwargs, f3.alive, f3.detach())
del r3, obj
print("nothing released for r3")

# several finalizers on one object run newest first
r4 = Resource("r4")
for i in range(3):
    weakref.finalize(r4, print, "finalizer", i)
del r4

# at exit: the ones still alive, newest first; not those with atexit False
keep = [Resource("k%d" % i) for i in range(3)]
for res in keep:
    weakref.finalize(res, release, res.name, mode="exit")
quiet = Resource("quiet")
fq = weakref.finalize(quiet, release, "quiet", mode="exit")
fq.atexit = False
print(fq.atexit, fq.alive)
atexit.register(print, "atexit handler registered last runs first")
print(repr(f).endswith("; dead>"), repr(fq).startswith("<finalize object at 0x"))
print("main done")
