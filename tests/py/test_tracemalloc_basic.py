# tracemalloc's switch and counters: start/stop/is_tracing, the traceback
# limit, get_traced_memory (current and peak), reset_peak, clear_traces,
# and the values once stopped. Frees are of function locals: in nogil a
# block that was stored in a container is only untraced after a grace
# period (issue 17).
import tracemalloc

print(tracemalloc.is_tracing())
print(tracemalloc.get_traced_memory())
tracemalloc.start()
print(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit())


def hold_and_free(n):
    before, _ = tracemalloc.get_traced_memory()
    block = bytearray(n)
    during, peak = tracemalloc.get_traced_memory()
    del block
    after, peak2 = tracemalloc.get_traced_memory()
    return during - before >= n, peak >= during, after < during, peak2 >= during


print(hold_and_free(2000000))

blocks = [bytes(1000) for _ in range(2000)]
cur, peak = tracemalloc.get_traced_memory()
print(cur >= 2000 * 1000, peak >= cur)

tracemalloc.reset_peak()
cur3, peak3 = tracemalloc.get_traced_memory()
print(peak3 < 2000000, peak3 >= cur3)


def spike():
    tmp = bytearray(500000)
    return len(tmp)


spike()
cur4, peak4 = tracemalloc.get_traced_memory()
print(peak4 - cur4 >= 500000)

print(tracemalloc.get_tracemalloc_memory() > 0)

tracemalloc.clear_traces()
print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory()[0] < 100000)

# start() again while tracing keeps the first limit (CPython 3.11)
tracemalloc.start(5)
print(tracemalloc.get_traceback_limit())

tracemalloc.stop()
print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory())
print(tracemalloc.get_object_traceback(bytes(10)))

tracemalloc.start(7)
print(tracemalloc.get_traceback_limit(), tracemalloc.is_tracing())
tracemalloc.stop()
tracemalloc.stop()
print(tracemalloc.is_tracing())
tracemalloc.start(65535)
print(tracemalloc.get_traceback_limit())
tracemalloc.stop()
