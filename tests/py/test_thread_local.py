# threading.local: each thread sees its own attributes and __dict__; a
# subclass's __init__ runs again in every thread; values are released
# when the thread ends; CPython's errors.
import threading

data = threading.local()
data.x = "main"
seen = {}


def worker(i):
    seen[i] = [hasattr(data, "x")]
    data.x = i
    data.y = i * 10
    seen[i].append((data.x, data.y, sorted(data.__dict__)))


ts = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
for i in sorted(seen):
    print(i, seen[i])
print(data.x, hasattr(data, "y"), data.__dict__)


class Counter(threading.local):
    def __init__(self, start):
        self.n = start

    def bump(self):
        self.n += 1
        return self.n


c = Counter(10)
c.bump()
out = []
t = threading.Thread(target=lambda: out.append((c.bump(), c.bump())))
t.start()
t.join()
print(out, c.n, type(c).__name__)

released = []


class Tracked:
    def __del__(self):
        released.append("freed")


holder = threading.local()
t = threading.Thread(target=lambda: setattr(holder, "v", Tracked()))
t.start()
t.join()
print(released)

try:
    threading.local(1)
except TypeError as e:
    print("TypeError:", e)
try:
    del data.nothere
except AttributeError as e:
    print("AttributeError")
try:
    data.nothere
except AttributeError as e:
    print("AttributeError:", e)
