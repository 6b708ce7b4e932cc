# harness.py — the command line every bench/py program shares, and how it
# runs its work in N threads. ftbench runs a program as
#
#     INTERPRETER PROGRAM --threads N [--quick | --validate] [SIZE ...]
#
# (bench/workloads/py.c); tests/CMakeLists.txt runs it with sizes only.
#   --threads N   run the whole work in N threads at once, every thread
#                 the same work (default 1): N threads do N times the work
#                 of one, so N * time(1) / time(N) is the scaling, N when
#                 perfect, 1 under a GIL
#   --quick       the quick sizes (make bench: about 0.2-0.5 s of CPU
#                 under ftpy-gil)
#   --validate    the smallest sizes: only the self-checks (ctest)
#   SIZE ...      whole numbers that replace the program's sizes, in order
#
# With N = 1 the work runs on the main thread, as pyperformance runs it:
# the single-thread figures (nogil ÷ gil, ftpy ÷ CPython) are then those
# of the plain program, with no second thread to make the objects it
# shares with the main thread (functions, classes, constants) take a
# free-threaded build's shared reference-count path. With N > 1, N worker
# threads. Every thread must return the same result (==): a thread that
# raises or disagrees fails the program (exit 1). The program prints its
# self-check lines once, from the first thread's result, so the output is
# the same for every N and every interpreter. (The scaling snippets,
# scaling.py, use worker threads for 1 and N alike: their 1 → N ratio is
# the point there.)
#
# With --threads given (ftbench always gives it) the program also prints
#     metric work_s SECONDS s
# the wall time from starting the threads to the last join: the work
# without the interpreter's start-up and exit, which ftbench's process
# time includes (CPython's site imports alone can be 20-50 ms of a
# 0.2 s run). Without --threads (the differential tests) it prints
# nothing but its self-check, so the output compares with CPython's.
import sys
import threading
import time

_metrics = False


def parse(full, quick, validate):
    """The sizes (a list of ints like `full`) and the thread count."""
    global _metrics
    sizes = list(full)
    threads = 1
    given = []
    args = sys.argv[1:]
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--threads" and i + 1 < len(args) and args[i + 1].isdigit():
            threads = int(args[i + 1])
            _metrics = True
            i += 1
        elif a == "--quick":
            sizes = list(quick)
        elif a == "--validate":
            sizes = list(validate)
        elif a.isdigit():
            given.append(int(a))
        else:
            print("usage: %s [--threads N] [--quick | --validate] [SIZE ...]: "
                  "not %r" % (sys.argv[0], a))
            sys.exit(2)
        i += 1
    if threads < 1 or len(given) > len(full):
        print("%s: --threads wants N >= 1, and at most %d sizes"
              % (sys.argv[0], len(full)))
        sys.exit(2)
    sizes[:len(given)] = given
    return sizes, threads


class _Worker(threading.Thread):
    def __init__(self, fn, args):
        threading.Thread.__init__(self)
        self.fn = fn
        self.args = args
        self.result = None
        self.done = False

    def run(self):
        self.result = self.fn(*self.args)
        self.done = True


def replicate(threads, fn, *args):
    """fn(*args) in `threads` threads at once (on this one for 1); their
    common result."""
    if threads == 1:
        t0 = time.perf_counter()
        result = fn(*args)
        _report(time.perf_counter() - t0)
        return result
    workers = [_Worker(fn, args) for _ in range(threads)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t0
    first = workers[0]
    for k, w in enumerate(workers):
        if not w.done or w.result != first.result:
            print("%s: thread %d of %d %s" % (
                sys.argv[0].split("/")[-1], k, threads,
                "failed" if not w.done else "disagrees with thread 0"))
            sys.exit(1)
    _report(elapsed)
    return first.result


def _report(elapsed):
    if _metrics:
        print("metric work_s %.6f s" % elapsed)
