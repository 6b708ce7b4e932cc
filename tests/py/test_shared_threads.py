# Functions, classes and modules that several threads use at once (their
# reference counts are sharded in free-threaded ftpy once a thread starts):
# functions redefined and deleted, classes mutated, module globals
# replaced and deleted, functions and classes made inside threads, and
# everything freed at exit without a leak.
import sys
import threading


def work(k):
    return k * 2


class Box:
    size = 1

    def __init__(self, v):
        self.v = v

    def get(self):
        return self.v * Box.size


class Noisy:
    def __del__(self):
        print("Noisy freed")


Noisy.keep = Noisy()        # a cycle through the class, with a finalizer
CONST = (1, "two", 3.0)
results = {}


def run(name, fn, n=3):
    threads = [threading.Thread(target=fn, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(name, sorted(results.items()))
    results.clear()


def call_work(i):
    total = 0
    for k in range(2000):
        total += work(k) + Box(k).get() + len(CONST)
    results[i] = total


run("calls", call_work)


def work(k):                 # redefined while threads have run
    return k * 3


Box.size = 2                 # a class attribute changed
run("after redefinition", call_work)


def make_in_thread(i):
    def inner(x):
        return x + i
    class Local:
        def value(self):
            return inner(10)
    results[i] = (Local().value(), Local.__name__, inner.__qualname__)


run("made in threads", make_in_thread)


def use_global(i):
    results[i] = CONST[1] + str(i)


run("global", use_global)
del CONST                    # a global deleted
try:
    use_global(0)
except NameError as e:
    print("NameError:", e)
CONST = ("new",) * 2         # and bound again
run("global again", use_global)

del work
print("work" in globals(), callable(Box.get))

fresh = type(sys)("fresh_mod")     # a module made at run time
exec("def f(x):\n    return x + 1\nVALUE = 41\n", fresh.__dict__)


def use_module(i):
    results[i] = fresh.f(fresh.VALUE) + i


run("module", use_module)
fresh = type(sys)("fresh_mod")     # replaced by a new module object
exec("def f(x):\n    return x - 1\nVALUE = 41\n", fresh.__dict__)
run("new module", use_module)
print("done")
