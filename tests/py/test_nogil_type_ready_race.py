# Checks that threads using a lazily readied built-in class for the first
# time at the same moment (frame objects: readied by the first
# sys._getframe) all see it complete: its attributes, its methods, its
# repr. (nogil: readying takes a lock and publishes the class last.)
import sys
import threading

N = 6
start = threading.Barrier(N)
results = []


def user(k):
    start.wait()
    f = sys._getframe()
    ok = (f.f_code.co_name == "user" and f.f_lineno > 0 and
          f.f_back is not None and type(f).__name__ == "frame" and
          hasattr(f, "f_locals") and f.f_locals["k"] == k)
    results.append(ok)


threads = [threading.Thread(target=user, args=(k,)) for k in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(results == [True] * N)
print(sys._getframe().f_code.co_name)
