# Shared functions, classes and modules used by threads while other
# threads rebind, mutate or drop them: the values seen are always valid
# ones, objects made in a thread outlive it and are used (and dropped) by
# another, and nothing leaks at exit (ftpy checks at exit in every flavor).
import sys
import threading

ModuleType = type(sys)


def make_api(version):
    m = ModuleType("api_v%d" % version)
    exec("VERSION = %d\ndef get():\n    return VERSION * 10\n" % version, m.__dict__)
    return m


api = make_api(1)
seen = []
lock = threading.Lock()


def reader(n):
    got = set()
    for _ in range(n):
        got.add(api.get())
    with lock:
        seen.append(got)


threads = [threading.Thread(target=reader, args=(3000,)) for _ in range(3)]
for t in threads:
    t.start()
for v in range(2, 30):
    api = make_api(v)          # the old module object is dropped meanwhile
for t in threads:
    t.join()
valid = set(range(10, 300, 10))
print("readers", len(seen), all(s <= valid for s in seen))


class Shape:
    sides = 0

    def describe(self):
        return "%s:%d" % (type(self).__name__, self.sides)


made = []


def make_classes(i):
    class Poly(Shape):
        sides = i + 3

        def area(self, k):
            return k * self.sides

    def helper(x):
        return Poly().area(x)

    with lock:
        made.append((i, Poly, helper))


threads = [threading.Thread(target=make_classes, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
made.sort(key=lambda e: e[0])
for i, cls, helper in made:
    print(i, cls().describe(), helper(2), cls.__qualname__)

# Instances made in one thread, dropped in another, of classes changed
# while threads run.
box = []


def producer(n):
    for k in range(n):
        obj = made[k % 4][1]()
        with lock:
            box.append(obj)


def consumer(n):
    taken = 0
    while taken < n:
        with lock:
            if box:
                box.pop()
                taken += 1


p = threading.Thread(target=producer, args=(2000,))
c = threading.Thread(target=consumer, args=(2000,))
p.start()
c.start()
Shape.sides = 100              # a base class mutated meanwhile
p.join()
c.join()
print("box", len(box), made[0][1]().describe())
del made, Shape
print(sys.getrefcount(api) > 1)
