# tracemalloc's error paths: the frame-count range of start(), argument
# types and counts, take_snapshot() when not tracing, unknown statistics keys.
import tracemalloc


def attempt(f, *args, **kwargs):
    try:
        r = f(*args, **kwargs)
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, e)


attempt(tracemalloc.start, 0)
attempt(tracemalloc.start, -3)
attempt(tracemalloc.start, 65536)
attempt(tracemalloc.start, "2")
attempt(tracemalloc.start, 1.5)
attempt(tracemalloc.start, 1, 2)
attempt(tracemalloc.start, nframe=2)
print(tracemalloc.is_tracing())
attempt(tracemalloc.take_snapshot)
attempt(tracemalloc.get_traced_memory, 1)
attempt(tracemalloc.is_tracing, 1)
attempt(tracemalloc.get_object_traceback)

tracemalloc.start()
snap = tracemalloc.take_snapshot()
attempt(snap.statistics, "line")
attempt(snap.statistics, "traceback", True)
attempt(snap.compare_to, snap, "file")
attempt(snap.filter_traces, 3)
print(len(snap.statistics("traceback", False)) > 0)
tracemalloc.stop()
attempt(tracemalloc.take_snapshot)
