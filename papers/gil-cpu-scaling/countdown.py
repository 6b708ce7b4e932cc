# papers/gil-cpu-scaling/countdown.py — Beazley's countdown ("Understanding
# the Python GIL", PyCon 2010): `while n > 0: n -= 1`, run twice one after
# the other on one thread, or once on each of two threads at the same time.
#
#   countdown.py --threads N [--quick] [--count C] [--interval-ms X]
#     N = 1: the main thread counts down C, N times in a row (sequential)
#     N > 1: N threads each count down C at once (Beazley's threaded case)
#     so the work is the same N × C steps in both; prints
#     `metric seconds <wall seconds of the counting> s`.
#   C defaults to 10,000,000 (2,000,000 with --quick); --interval-ms sets
#   sys.setswitchinterval first (default: the interpreter's, 5 ms).
#   Use the same N for the sequential baseline with --sequential:
#     countdown.py --threads 2 --sequential  counts 2 × C on one thread.
import sys
import threading
import time


def count(n):
    while n > 0:
        n -= 1


def main(argv):
    threads, count_n, quick, seq, interval = 1, None, False, False, None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--threads":
            threads = int(argv[i + 1]); i += 1
        elif a == "--quick":
            quick = True
        elif a == "--sequential":
            seq = True
        elif a.startswith("--count="):
            count_n = int(a[8:])
        elif a.startswith("--interval-ms="):
            interval = float(a[14:])
        i += 1
    if count_n is None:
        count_n = 2000000 if quick else 10000000
    if interval is not None:
        sys.setswitchinterval(interval / 1000.0)
    t0 = time.perf_counter()
    if threads == 1 or seq:
        for _ in range(threads):
            count(count_n)
    else:
        ts = [threading.Thread(target=count, args=(count_n,)) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    dt = time.perf_counter() - t0
    print("metric seconds %.6f s" % dt)
    print("metric steps %d" % (threads * count_n))


main(sys.argv[1:])
