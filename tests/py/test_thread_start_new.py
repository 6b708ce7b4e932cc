# _thread.start_new_thread: threads run functions with args and kwargs,
# results come back through shared objects guarded by locks; the
# TypeError messages for bad arguments; get_ident differs per thread.
import _thread

results = {}
idents = {}
guard = _thread.allocate_lock()
all_done = _thread.allocate_lock()
all_done.acquire()
remaining = [5]


def work(n, scale=1, tag=""):
    total = 0
    for i in range(n):
        total += i * scale
    with guard:
        results[n] = (total, tag)
        idents[n] = _thread.get_ident()
        remaining[0] -= 1
        if remaining[0] == 0:
            all_done.release()


for k in range(5):
    ident = _thread.start_new_thread(work, (1000 * (k + 1),), {"scale": k, "tag": "t%d" % k})
    print(type(ident).__name__, ident != _thread.get_ident())
all_done.acquire()
for n in sorted(results):
    print(n, results[n])
print(len(set(idents.values())) >= 1, _thread.get_ident() not in idents.values())
print(type(_thread.get_native_id()).__name__)
print(_thread.error is RuntimeError, _thread.TIMEOUT_MAX > 1e6)
print(_thread.LockType is type(_thread.allocate_lock()))

for args in [(1, ()), (work, [1]), (work, (1,), [1]), (work,), (work, (), {}, 1)]:
    try:
        _thread.start_new_thread(*args)
    except TypeError as e:
        print("TypeError:", e)

print(_thread.stack_size(), _thread.stack_size(0))
try:
    _thread.stack_size(100)
except ValueError as e:
    print("ValueError:", e)
