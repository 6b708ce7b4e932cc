"""gc_instances.py — the CPython twin of ftbench-gc's part 4 (bench/gc.c):
`--pairs` two-instance cycles of a class without __slots__ (a.other = b,
b.other = a, each with two attributes: other and n, set in that order)
beside as many live ones; gc.collect() timed `--repeats` times, median
of the wall time and of the thread's CPU time.

    python3 bench/gc_instances.py [--pairs 250000] [--repeats 5]

The last line, "summary-python ... median_ms=X cpu_ms=Y", is what
ftbench-gc --python reads.
"""
import argparse
import gc
import sys
import time


class Node:
    pass


def pair(i):
    a = Node()
    b = Node()
    a.other = b
    a.n = i
    b.other = a
    b.n = i
    return a


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=250000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    gc.disable()  # explicit collections only, as ftbench-gc's part 4
    live = [pair(i) for i in range(args.pairs)]
    gc.collect()  # a settled heap
    times, cpu = [], []
    for _ in range(args.repeats):
        for i in range(args.pairs):
            pair(i)
        t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
        found = gc.collect()
        times.append(time.perf_counter_ns() - t0)
        cpu.append(time.thread_time_ns() - c0)
        if found < 2 * args.pairs:
            sys.exit(f"gc.collect() found {found}, expected {2 * args.pairs}")
    times.sort()
    cpu.sort()
    median = times[len(times) // 2] / 1e6
    cpu_median = cpu[len(cpu) // 2] / 1e6
    print(f"CPython {sys.version.split()[0]}: {args.pairs} instance cycles beside "
          f"{len(live)} live: gc.collect() median {median:.2f} ms  "
          f"max {times[-1] / 1e6:.2f} ms  cpu {cpu_median:.2f} ms  (instance {sys.getsizeof(live[0])} B "
          f"+ values)")
    print(f"summary-python pairs={args.pairs} median_ms={median:.2f} "
          f"cpu_ms={cpu_median:.2f}")


if __name__ == "__main__":
    main()
