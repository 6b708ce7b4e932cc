# scaling: small loops that every thread runs at once (after CPython's
# Tools/ftscalingbench): each touches objects all threads share -- a
# module-level function, a class, a module global, code constants -- the
# way real programs do. Without the GIL, N threads should do N times the
# work of one in the same time; reference-count contention on the shared
# objects (or a lock) makes them slower instead.
#
# usage: scaling.py [--threads N] [--scale S] [--repeat R] [--check]
#                   [--once K] [snippet ...]
#        scaling.py --snippet NAME [--threads N] [--quick | --validate]
#                   [--scale S]
#   --threads N  threads of the parallel run (default 2)
#   --scale S    work per thread: S * 1000 loop iterations (default 1000)
#   --repeat R   timed pairs (1 thread, N threads) per snippet; medians (default 5)
#   --check      tiny sizes, results only (no timings): the output is the
#                same under every interpreter (ctest compares it with CPython's)
#   --once K     no timing: one run of each snippet in K threads (results
#                checked), for timing whole processes from outside with
#                hyperfine (run.sh's notes); K=0 does no work (start-up)
#   --snippet NAME  ftbench's workload py:scaling:NAME: one run of NAME in
#                --threads N threads (default 1), each doing the same
#                work (--scale, or --quick / --validate sizes), results
#                checked; ftbench times the process and records two
#                metric lines the program times itself (below)
#
# Each measurement starts the threads, lets them wait on one Event, and
# times from setting it to the last join, so thread start-up is not
# measured; the one-thread run uses a worker thread too. Every thread does
# the same work in both runs, so
#     throughput ratio = N * time(1 thread) / time(N threads)
# (N for perfect scaling, 1 for none, below 1 for contention). Every run
# checks its result against the value computed in closed form.
#
# The machine may be busy with other work: the CPU time of each thread
# (time.thread_time) gives a second figure that a busy machine does not
# distort, for the free-threaded builds only (a thread waiting for the GIL
# uses no CPU, so under a GIL it reads N):
#     cpu_ratio = N * CPU time of the thread alone / mean CPU time of a thread
# Output per snippet (timed mode):
#   <name> t1_ms=<median> tN_ms=<median> ratio=<median> cpu_ratio=<median>
# Output of --snippet (ftbench, bench/workloads/py.c): the line
#   <name> result <value> ok
# (the same for every N and interpreter), then
#   metric parallel_s <wall seconds from releasing the threads to the last join> s
#   metric thread_cpu_s <mean CPU seconds of a thread> s
# so the report can show the scaling of the parallel part alone beside the
# whole process's.
import sys
import threading
import time

WORK = 1000          # iterations per unit of scale


# ---- The snippets: each takes n (iterations) and returns a checked value ----

def next_number(i):
    return i + 1


def pyfunction(n):
    # calls a module-level function (LOAD_GLOBAL + CALL of a shared function)
    accu = 0
    for i in range(n):
        accu += next_number(i)
    return accu


def expect_pyfunction(n):
    return n * (n + 1) // 2


class Counter:
    def __init__(self):
        self.i = 0

    def next_number(self):
        self.i += 1
        return self.i


def pymethod(n):
    # a method of a shared class on a private instance
    c = Counter()
    for i in range(n):
        c.next_number()
    return c.i


def expect_pymethod(n):
    return n


def make_adder(k):
    def add(x):
        return x + k
    return add


add_three = make_adder(3)


def closure(n):
    # calls a closure made once, at import: shared by every thread
    accu = 0
    for i in range(n):
        accu += add_three(i)
    return accu


def expect_closure(n):
    return n * (n - 1) // 2 + 3 * n


def create_closure(n):
    # makes a new closure every iteration (the code object is shared)
    accu = 0
    for i in range(n):
        def ident(x):
            return x
        accu += ident(i)
    return accu


def expect_create_closure(n):
    return n * (n - 1) // 2


def small_gen(k):
    for i in range(k):
        yield i


def generator(n):
    # a generator of a shared generator function, 10 items at a time
    accu = 0
    for i in range(n // 10):
        for v in small_gen(10):
            accu += v
    return accu


def expect_generator(n):
    return (n // 10) * 45


class MyObject:
    pass


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


def create_instance(n):
    # instances of shared classes (each holds a reference to its class)
    accu = 0
    for i in range(n):
        o = MyObject()
        p = Point(i, 1)
        accu += p.y
    return accu


def expect_create_instance(n):
    return n


def create_list(n):
    # new lists and dicts (private objects, allocator and GC only)
    accu = 0
    for i in range(n):
        lst = [i, i, i]
        d = {"key": i}
        accu += len(lst) + len(d)
    return accu


def expect_create_list(n):
    return 4 * n


STEP = 7
STEPS = (1, 2, 3)


def module_global(n):
    # reads a module global (an int) and a global tuple
    accu = 0
    for i in range(n):
        accu += STEP + len(STEPS)
    return accu


def expect_module_global(n):
    return 10 * n


def str_const(n):
    # compares with a string constant of the code object
    accu = 0
    for i in range(n):
        if i == "a string":
            accu += 7
        else:
            accu += 1
    return accu


def expect_str_const(n):
    return n


def tuple_const(n):
    # compares with a tuple constant of the code object
    accu = 0
    for i in range(n):
        if i == (1, 2):
            accu += 7
        else:
            accu += 1
    return accu


def expect_tuple_const(n):
    return n


def list_append(n):
    # appends to a private list, then empties it every 1000 items
    items = []
    total = 0
    for i in range(n):
        items.append(i)
        if len(items) == 1000:
            total += len(items)
            items = []
    return total + len(items)


def expect_list_append(n):
    return n


tls = threading.local()


def thread_local(n):
    # reads an attribute of a threading.local shared by all threads
    t = tls
    t.x = 2
    accu = 0
    for i in range(n // 4):
        accu += t.x
        accu += t.x
        accu += t.x
        accu += t.x
    return accu


def expect_thread_local(n):
    return 8 * (n // 4)


SNIPPETS = [
    ("pyfunction", pyfunction, expect_pyfunction),
    ("pymethod", pymethod, expect_pymethod),
    ("closure", closure, expect_closure),
    ("create_closure", create_closure, expect_create_closure),
    ("generator", generator, expect_generator),
    ("create_instance", create_instance, expect_create_instance),
    ("create_list", create_list, expect_create_list),
    ("module_global", module_global, expect_module_global),
    ("str_const", str_const, expect_str_const),
    ("tuple_const", tuple_const, expect_tuple_const),
    ("list_append", list_append, expect_list_append),
    ("thread_local", thread_local, expect_thread_local),
]


# ---- Running ----------------------------------------------------------------

class Worker(threading.Thread):
    def __init__(self, go, fn, n):
        threading.Thread.__init__(self)
        self.go = go
        self.fn = fn
        self.n = n
        self.result = None
        self.cpu = 0.0

    def run(self):
        self.go.wait()
        c0 = time.thread_time()
        self.result = self.fn(self.n)
        self.cpu = time.thread_time() - c0


def run_threads(fn, n, nthreads):
    """Runs fn(n) in nthreads threads at once: (wall seconds, results,
    mean CPU seconds of a thread)."""
    go = threading.Event()
    workers = [Worker(go, fn, n) for _ in range(nthreads)]
    for w in workers:
        w.start()
    t0 = time.perf_counter()
    go.set()
    for w in workers:
        w.join()
    t1 = time.perf_counter()
    cpu = sum([w.cpu for w in workers]) / nthreads
    return t1 - t0, [w.result for w in workers], cpu


def check(name, results, want):
    for r in results:
        if r != want:
            print("FAILED", name, "got", r, "want", want)
            sys.exit(1)


def median(values):
    s = sorted(values)
    k = len(s)
    if k % 2:
        return s[k // 2]
    return (s[k // 2 - 1] + s[k // 2]) / 2


# --snippet --quick: the scale of each snippet that makes one thread's
# run take about 0.2 s of CPU on ftpy-gil (make bench runs 12 snippets x
# 2 thread counts x 4 interpreters x 3 runs of this).
QUICK_SCALE = {
    "pyfunction": 2750, "pymethod": 1900, "closure": 2350, "create_closure": 1550,
    "generator": 2800, "create_instance": 900, "create_list": 850,
    "module_global": 1850, "str_const": 2350, "tuple_const": 2400,
    "list_append": 1600, "thread_local": 3550,
}


def run_snippet(snip, n, nthreads):
    name, fn, expect = snip
    want = expect(n)
    secs, results, cpu = run_threads(fn, n, nthreads)
    check(name, results, want)
    print(name, "result", want, "ok")
    print("metric parallel_s %.6f s" % secs)
    print("metric thread_cpu_s %.6f s" % cpu)
    return 0


def main(argv):
    nthreads = 2
    scale = 1000
    repeat = 5
    checking = False
    once = None
    snippet = None
    size = None
    names = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--threads":
            nthreads = int(argv[i + 1])
            i += 1
        elif a == "--scale":
            scale = int(argv[i + 1])
            i += 1
        elif a == "--repeat":
            repeat = int(argv[i + 1])
            i += 1
        elif a == "--check":
            checking = True
        elif a == "--once":
            once = int(argv[i + 1])
            i += 1
        elif a == "--snippet":
            snippet = argv[i + 1]
            names.append(snippet)
            i += 1
        elif a in ("--quick", "--validate"):
            size = a
        elif a.startswith("-"):
            print("unknown option", a)
            return 2
        else:
            names.append(a)
        i += 1
    known = [s[0] for s in SNIPPETS]
    for nm in names:
        if nm not in known:
            print("unknown snippet", nm)
            return 2
    chosen = [s for s in SNIPPETS if not names or s[0] in names]

    if snippet is not None:
        scale_of = {None: scale, "--quick": QUICK_SCALE.get(snippet), "--validate": 2}
        return run_snippet(chosen[0], scale_of[size] * WORK, nthreads)

    if checking:
        n = 2000
        for name, fn, expect in chosen:
            want = expect(n)
            for k in (1, nthreads):
                secs, results, cpu = run_threads(fn, n, k)
                check(name, results, want)
            print(name, "threads", nthreads, "result", want, "ok")
        return 0

    n = scale * WORK
    if once is not None:
        for name, fn, expect in chosen:
            if once > 0:
                secs, results, cpu = run_threads(fn, n, once)
                check(name, results, expect(n))
        return 0

    for name, fn, expect in chosen:
        want = expect(n)
        run_threads(fn, n // 10, 1)          # warm-up
        t1s = []
        tns = []
        ratios = []
        cpu_ratios = []
        for r in range(repeat):
            t1, res1, c1 = run_threads(fn, n, 1)
            check(name, res1, want)
            tn, resn, cn = run_threads(fn, n, nthreads)
            check(name, resn, want)
            t1s.append(t1)
            tns.append(tn)
            ratios.append(nthreads * t1 / tn)
            cpu_ratios.append(nthreads * c1 / cn if cn > 0 else 0.0)
        print("%s t1_ms=%.1f tN_ms=%.1f ratio=%.2f cpu_ratio=%.2f" % (
            name, median(t1s) * 1000, median(tns) * 1000, median(ratios),
            median(cpu_ratios)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
