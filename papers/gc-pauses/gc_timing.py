# papers/gc-pauses/gc_timing.py — what gc_collect.py and gc_traversal.py
# share: their `--name=N` options, the timed gc.collect() loop, and the
# metric lines ftbench records (median, minimum and maximum). Imported
# from the programs' own folder (sys.path[0], in ftpy as in CPython).
import gc
import time


def opt(argv, name, default):
    """The integer N of an argument `name=N` in argv, else default."""
    for a in argv:
        if a.startswith(name + "="):
            return int(a[len(name) + 1:])
    return default


def time_collections(loops, make_garbage, check):
    """loops times: an untimed gc.collect() (nothing left over from the
    round before), make_garbage() when given, then the timed gc.collect()
    whose result check(collected) verifies. Returns the times, sorted."""
    times = []
    for _ in range(loops):
        gc.collect()
        if make_garbage is not None:
            make_garbage()
        t0 = time.perf_counter()
        collected = gc.collect()
        times.append(time.perf_counter() - t0)
        check(collected)
    times.sort()
    return times


def print_times(name, times):
    """`metric NAME_ms`: the median collection in ms; NAME_min_ms and
    NAME_max_ms: the fastest and the slowest."""
    print("metric %s_ms %.6f ms" % (name, 1e3 * times[len(times) // 2]))
    print("metric %s_min_ms %.6f ms" % (name, 1e3 * times[0]))
    print("metric %s_max_ms %.6f ms" % (name, 1e3 * times[-1]))
