# papers/shared-contention/contention.py — shared-object contention in
# Python (CPython issue #139103; the modern-di sweep): every thread runs
# the same loop on a hot object that is private to it, shared by all
# threads, or immortal, so that reference counting (and, for writes, the
# object's lock) on a shared object is all that differs.
#
#   contention.py --threads N [--quick] --op OP --variant V [--iters I]
#     OP: incref  x = obj; y = x (loads and stores: incref + decref)
#         dict    d[k] reads of a dict of 8 str keys
#         attr    o.value = i writes on an instance
#     V:  private (each thread makes its own object), shared (one object
#         made by the main thread), immortal (None for incref; no
#         immortal dict or instance exists, so dict and attr have no
#         immortal variant and exit 2)
#     every one of the N threads does I iterations (default 1,000,000;
#     200,000 with --quick), started together on an Event.
#   prints `metric seconds <wall seconds from start to last join> s` and
#   `metric ns_per_op <seconds × 1e9 / I> ns` (per thread: constant when
#   threads do not disturb each other).
import sys
import threading
import time

KEYS = ["k%d" % i for i in range(8)]


class Box:
    def __init__(self):
        self.value = 0


def make(op, variant):
    if variant == "immortal":
        return None
    if op == "dict":
        return {k: i for i, k in enumerate(KEYS)}
    return Box()


def loop_incref(obj, n):
    for _ in range(n):
        x = obj
        y = x
        x = y
    return 0


def loop_dict(d, n):
    s = 0
    k0, k1, k2, k3 = KEYS[0], KEYS[3], KEYS[5], KEYS[7]
    for _ in range(n // 4):
        s += d[k0] + d[k1] + d[k2] + d[k3]
    return s


def loop_attr(o, n):
    for i in range(n):
        o.value = i
    return 0


LOOPS = {"incref": loop_incref, "dict": loop_dict, "attr": loop_attr}


def main(argv):
    threads, op, variant, iters, quick = 1, None, None, None, False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--threads", "--op", "--variant", "--iters") and i + 1 < len(argv):
            v = argv[i + 1]; i += 1
            if a == "--threads":
                threads = int(v)
            elif a == "--op":
                op = v
            elif a == "--variant":
                variant = v
            else:
                iters = int(v)
        elif a.startswith("--op="):
            op = a[5:]
        elif a.startswith("--variant="):
            variant = a[10:]
        elif a.startswith("--iters="):
            iters = int(a[8:])
        elif a == "--quick":
            quick = True
        i += 1
    if op not in LOOPS or variant not in ("private", "shared", "immortal") or \
            (variant == "immortal" and op != "incref"):
        print("contention.py: --op incref|dict|attr --variant private|shared|immortal "
              "(immortal: incref only)", file=sys.stderr)
        sys.exit(2)
    if iters is None:
        iters = 200000 if quick else 1000000
    fn = LOOPS[op]
    shared = make(op, variant)
    go = threading.Event()
    results = [None] * threads

    def worker(idx):
        obj = shared if variant != "private" else make(op, variant)
        go.wait()
        results[idx] = fn(obj, iters)

    ts = [threading.Thread(target=worker, args=(j,)) for j in range(threads)]
    for t in ts:
        t.start()
    time.sleep(0.01)     # let every thread reach go.wait()
    t0 = time.perf_counter()
    go.set()
    for t in ts:
        t.join()
    dt = time.perf_counter() - t0
    want = 0 if op != "dict" else (iters // 4) * (0 + 3 + 5 + 7)
    if any(r != want for r in results):
        raise AssertionError("wrong result %r, expected %r" % (results, want))
    print("metric seconds %.6f s" % dt)
    print("metric ns_per_op %.3f ns" % (dt * 1e9 / iters))


main(sys.argv[1:])
