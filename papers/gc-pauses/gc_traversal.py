# papers/gc-pauses/gc_traversal.py — after pyperformance's bm_gc_traversal
# (pyperformance/data-files/benchmarks/bm_gc_traversal/run_benchmark.py):
# a live structure of nested lists (level n holds n references to level
# n - 1: about N²/2 references, N lists), and a timed gc.collect() that
# must traverse all of it and free nothing.
#
#   gc_traversal.py [--threads N] [--quick] [--loops L] [--levels N]
#     defaults as pyperformance: N = 1000 levels; L = 10 timed collections
#     (3 with --quick, at 500 levels). --threads is ignored.
#   prints `metric traversal_ms <median ms per collection> ms`, its minimum
#   and maximum.
import sys

sys.dont_write_bytecode = True   # no __pycache__ in papers/ (--save wants a clean tree)
from gc_timing import opt, print_times, time_collections  # noqa: E402


def create_recursive_containers(n_levels):
    current_list = []
    for n in range(n_levels):
        new_list = [None] * n
        for index in range(n):
            new_list[index] = current_list
        current_list = new_list
    return current_list


def no_garbage(collected):
    # everything is alive: a collection that frees something is wrong
    if collected:
        raise AssertionError("gc.collect() freed %d live objects" % collected)


def main(argv):
    quick = "--quick" in argv
    loops = opt(argv, "--loops", 3 if quick else 10)
    levels = opt(argv, "--levels", 500 if quick else 1000)
    all_cycles = create_recursive_containers(levels)
    times = time_collections(loops, None, no_garbage)
    if len(all_cycles) != levels - 1:
        raise AssertionError("the structure changed")
    print_times("traversal", times)


main(sys.argv[1:])
