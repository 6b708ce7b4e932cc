# threading.Thread: default names "Thread-N (target)", repr shape,
# start/join/is_alive, ident, daemon, current_thread().name inside
# threads, main_thread, active_count, enumerate; CPython's RuntimeErrors.
import threading

names = {}
lock = threading.Lock()


def record(key):
    with lock:
        names[key] = threading.current_thread().name


def shape(t):
    # the repr without the ident: "<Thread(Thread-1 (f), started"
    r = repr(t)
    return r.split(",")[0] + ", " + r.split(",")[1].split()[0] + ")>"


t1 = threading.Thread(target=record, args=("a",))
t2 = threading.Thread(target=record, args=("b",), name="worker")
t3 = threading.Thread(target=record, kwargs={"key": "c"}, daemon=True)
print(repr(t1), t1.name, t2.name, t3.name)
print(t1.ident, t1.is_alive(), t3.daemon, t1.daemon)
for t in (t1, t2, t3):
    t.start()
for t in (t1, t2, t3):
    t.join()
print(sorted(names.items()))
print(shape(t1), t1.is_alive(), t1.ident is not None, t1.native_id is not None)
print(threading.current_thread().name, threading.main_thread() is threading.current_thread())
print(threading.active_count(), [t.name for t in threading.enumerate()])
print(threading.current_thread().daemon, threading.get_ident() == threading.main_thread().ident)

for call in [t1.start, threading.current_thread().join,
             threading.Thread(target=print).join]:
    try:
        call()
    except RuntimeError as e:
        print("RuntimeError:", e)
try:
    t1.daemon = True
except RuntimeError as e:
    print("RuntimeError:", e)


class MyThread(threading.Thread):
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.result = None

    def run(self):
        self.result = sum(range(self.n))


ms = [MyThread(n) for n in (10, 100, 1000)]
for m in ms:
    m.start()
for m in ms:
    m.join()
print([m.result for m in ms], [m.name for m in ms])

# a thread still running while another counts the threads
gate = threading.Event()
t = threading.Thread(target=gate.wait)
t.start()
print(threading.active_count(), t.is_alive(), t in threading.enumerate())
t.join(0.01)
print(t.is_alive())
gate.set()
t.join()
print(threading.active_count(), t.is_alive())
