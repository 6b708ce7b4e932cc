# Instance attributes read and written by several threads at once: inline
# values, their move into a real __dict__ (a spill: more names than the
# class's key table holds, or __dict__ replaced) while other threads read,
# method lookups (an instance attribute that is not there), __slots__.
# Objects are made before the first thread starts and used after it, when
# ftpy's per-object locks (skipped while only one thread ever ran) are taken.
import _thread
import threading


class Point:
    def __init__(self, i):
        self.a = i
        self.b = -i

    def total(self):
        return self.a + self.b + 1


class Slotted:
    __slots__ = ("x", "y")

    def __init__(self, i):
        self.x = i
        self.y = 2 * i


N = 60
points = [Point(i) for i in range(N)]
slotted = [Slotted(i) for i in range(N)]
before = sum(p.total() for p in points) + sum(s.x + s.y for s in slotted)
print("before threads", before)

errors = []
lock = threading.Lock()
start = threading.Barrier(4)


def reader(k):
    start.wait()
    bad = 0
    for rnd in range(15):
        for p in points:
            try:
                # a and b never go away; total is looked up on the class
                if p.a + p.b != 0 or p.total() != 1:
                    bad += 1
            except AttributeError as e:
                bad += 1
                with lock:
                    errors.append("reader %d: %s" % (k, e))
            if getattr(p, "missing", None) is not None:
                bad += 1
    with lock:
        errors.extend(["reader %d: %d bad reads" % (k, bad)] if bad else [])


def spiller():
    start.wait()
    for i, p in enumerate(points):
        # more names than the key table holds: the values move into a dict
        for j in range(40):
            setattr(p, "extra%d" % j, j)
        if i % 3 == 0:
            d = dict(p.__dict__)
            p.__dict__ = d          # a replaced __dict__
        if i % 5 == 0:
            del p.extra0


def slot_writer():
    start.wait()
    for rnd in range(10):
        for s in slotted:
            s.x, s.y = s.y // 2, s.x * 2   # the same values, written again
            s.x = s.x


threads = [threading.Thread(target=reader, args=(0,)),
           threading.Thread(target=reader, args=(1,)),
           threading.Thread(target=spiller),
           threading.Thread(target=slot_writer)]
for t in threads:
    t.start()
for t in threads:
    t.join()

print("errors", errors)
print("after threads", sum(p.total() for p in points) + sum(s.x + s.y for s in slotted))
print("extras", sum(p.extra39 for p in points), sum(hasattr(p, "extra0") for p in points))
print("dict sizes", sorted(set(len(p.__dict__) for p in points)))

# Made after the first thread start: always the locked paths.
q = Point(5)
q.c = 7
del q.b
print("q", q.a, q.c, hasattr(q, "b"), sorted(vars(q)))
done = _thread.allocate_lock()
done.acquire()


def late():
    q.b = 1
    done.release()


_thread.start_new_thread(late, ())
done.acquire()
print("q.total", q.total())


# A reader reads attributes that are always there while another thread
# makes a fresh object spill its values into a dict, over and over: a
# reader must never find them missing in the middle of a spill.
box = [Point(1)]
stop = []
missing = [0]


def hammer_reader():
    while not stop:
        p = box[0]
        try:
            p.a
            p.b
        except AttributeError:
            missing[0] += 1


def hammer_spiller():
    for r in range(20000):
        p = Point(r)
        box[0] = p
        for j in range(31):
            setattr(p, "e%d" % j, j)
    stop.append(1)


threads = [threading.Thread(target=hammer_reader), threading.Thread(target=hammer_spiller)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("hammer missing", missing[0])
