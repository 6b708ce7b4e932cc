# papers/gc-pauses/gc_collect.py — after pyperformance's bm_gc_collect
# (pyperformance/data-files/benchmarks/bm_gc_collect/run_benchmark.py):
# build CYCLES rings of LINKS + 1 Node objects (each links next and prev),
# drop them, and time the one gc.collect() that frees them all.
#
#   gc_collect.py [--threads N] [--quick] [--loops L] [--cycles C] [--links K]
#     defaults as pyperformance: C = 100 rings, K = 20 links; L = 20 timed
#     collections (5 with --quick). --threads is ignored (one thread).
#   prints `metric collect_ms <median ms per collection> ms`, its minimum
#   and maximum, and the objects each collection found.
import sys

sys.dont_write_bytecode = True   # no __pycache__ in papers/ (--save wants a clean tree)
from gc_timing import opt, print_times, time_collections  # noqa: E402


class Node:
    def __init__(self):
        self.next = None
        self.prev = None

    def link_next(self, next):
        self.next = next
        self.next.prev = self


def create_cycle(node, n_links):
    current = node
    for _ in range(n_links):
        next_node = Node()
        current.link_next(next_node)
        current = next_node
    current.link_next(node)


def create_gc_cycles(n_cycles, n_links):
    cycles = []
    for _ in range(n_cycles):
        node = Node()
        cycles.append(node)
        create_cycle(node, n_links)
    return cycles


def main(argv):
    quick = "--quick" in argv
    loops = opt(argv, "--loops", 5 if quick else 20)
    cycles = opt(argv, "--cycles", 100)
    links = opt(argv, "--links", 20)
    found = []

    def check(collected):
        # as pyperformance: every ring is garbage and must be found
        if collected < cycles * (links + 1):
            raise AssertionError("gc.collect() found %d objects, expected >= %d"
                                 % (collected, cycles * (links + 1)))
        found.append(collected)

    # the rings' list is dropped when the lambda returns: only cycles remain
    times = time_collections(loops, lambda: create_gc_cycles(cycles, links), check)
    print_times("collect", times)
    print("metric collected %d" % found[-1])


main(sys.argv[1:])
