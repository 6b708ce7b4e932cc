/* gc.c — ftbench-gc-<flavor>: what the cycle collector costs (DESIGN.md §8:
 * "a full collection of 1 M tracked objects <= 50 ms on this 2-core
 * machine").
 *
 *   1. full collection over N live tracked objects and no garbage: the
 *      pure cost of examining a heap (N lists of one int each);
 *   2. full collection of N objects that are all garbage, in N/2 two-node
 *      cycles of slot instances: examining plus tp_clear plus freeing;
 *   3. automatic collections (default thresholds) while a loop makes
 *      short cycles beside a live heap of N/4 objects: pause percentiles
 *      from the collector's own histogram, and peak RSS.
 *
 * Each measurement is REPEATS runs (median and max printed); every run
 * checks what the collector reported (unreachable count) and that the
 * live-object count comes back, so a broken collector cannot look fast.
 * Usage: ftbench-gc-<flavor> [--quick] [--objects N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <ftlab.h>
#include "bench_env.h"

enum { REPEATS = 5, CHURN_CYCLES = 200000 };

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static __attribute__((noreturn)) void fail(const char *what)
{
    fprintf(stderr, "ftbench-gc (%s): %s%s%s\n", ft_flavor(), what,
            ft_err_occurred() ? ": " : "", ft_err_occurred() ? ft_err_message() : "");
    exit(1);
}

static int64_t live_objects(void)
{
    ft_mem_stats st;
    ft_mem_get_stats(&st);
    return st.live_objects;
}

/* A list of n one-int lists: n + 1 tracked objects, no cycle. */
static ft_object *live_heap(long n)
{
    ft_object *outer = ft_list_new(0);
    if (!outer)
        fail("ft_list_new");
    for (long i = 0; i < n; i++) {
        ft_object *inner = ft_list_new(1);
        if (!inner || ft_list_append(outer, inner) < 0)
            fail("building the live heap");
        ft_decref(inner);
    }
    return outer;
}

static void make_pairs(ft_type *cls, long pairs)
{
    for (long i = 0; i < pairs; i++) {
        ft_object *a = ft_instance_new(cls), *b = ft_instance_new(cls);
        if (!a || !b || ft_setattr(a, "other", b) < 0 || ft_setattr(b, "other", a) < 0)
            fail("building a cycle");
        ft_decref(a);
        ft_decref(b);
    }
}

static void print_row(const char *what, long objects, uint64_t *ns)
{
    qsort(ns, REPEATS, sizeof *ns, cmp_u64);
    printf("  %-34s %9ld objects  median %8.2f ms  max %8.2f ms  (%.1f ns/object)\n",
           what, objects, ns[REPEATS / 2] / 1e6, ns[REPEATS - 1] / 1e6,
           (double)ns[REPEATS / 2] / (double)objects);
}

static void bench_live(long n)
{
    uint64_t ns[REPEATS];
    ft_object *heap = live_heap(n);
    for (int r = 0; r < REPEATS; r++) {
        uint64_t t0 = ftbench_now_ns();
        ssize_t found = ft_gc_collect(-1);
        ns[r] = ftbench_now_ns() - t0;
        if (found != 0)
            fail("a live heap reported garbage");
    }
    ft_decref(heap);
    print_row("full collection, all live", n + 1, ns);
}

static void bench_garbage(long n, ft_type *cls)
{
    uint64_t ns[REPEATS];
    for (int r = 0; r < REPEATS; r++) {
        int64_t before = live_objects();
        make_pairs(cls, n / 2);
        uint64_t t0 = ftbench_now_ns();
        ssize_t found = ft_gc_collect(-1);
        ns[r] = ftbench_now_ns() - t0;
        if (found != n / 2 * 2 || live_objects() != before)
            fail("the cycles were not all collected");
    }
    print_row("full collection, all garbage", n / 2 * 2, ns);
}

static void bench_churn(long n, ft_type *cls, long cycles)
{
    ft_object *heap = live_heap(n / 4);
    int64_t before = live_objects();
    ft_gc_reset_pause_stats();
    uint64_t t0 = ftbench_now_ns();
    for (long i = 0; i < cycles; i++) {
        make_pairs(cls, 1);
        ft_checkpoint();   /* where scheduled collections run */
    }
    uint64_t elapsed = ftbench_now_ns() - t0;
    ft_gc_collect(-1);
    if (live_objects() != before)
        fail("churn left objects behind");
    ft_gc_pause_stats ps;
    ft_gc_get_pause_stats(&ps);
    printf("  churn beside %ld live objects: %ld cycles in %.1f ms, %llu "
           "collections\n    pause p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  "
           "max %.3f ms", n / 4, cycles, elapsed / 1e6,
           (unsigned long long)ps.pause.count,
           ft_gc_histogram_quantile(&ps.pause, 0.5) / 1e6,
           ft_gc_histogram_quantile(&ps.pause, 0.9) / 1e6,
           ft_gc_histogram_quantile(&ps.pause, 0.99) / 1e6, ps.pause.max_ns / 1e6);
    if (ps.stw.count)
        printf("; stop-the-world p50 %.3f ms max %.3f ms",
               ft_gc_histogram_quantile(&ps.stw, 0.5) / 1e6, ps.stw.max_ns / 1e6);
    printf("\n");
    ft_decref(heap);
}

int main(int argc, char **argv)
{
    long n = 1000000, cycles = CHURN_CYCLES;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            n = 100000;
            cycles = CHURN_CYCLES / 10;
        } else if (strcmp(argv[i], "--objects") == 0 && i + 1 < argc) {
            n = strtol(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: %s [--quick] [--objects N]\n", argv[0]);
            return 2;
        }
    }
    if (n < 2) {
        fprintf(stderr, "ftbench-gc: --objects must be at least 2\n");
        return 2;
    }
    char commit[64];
    ftbench_read_commit(commit, sizeof commit);
    if (ft_init(NULL) < 0)
        fail("ft_init");
    int t[3];
    ft_gc_get_threshold(t);
    printf("ftbench-gc: flavor %s, allocator %s, thresholds %d,%d,%d, commit %s\n",
           ft_flavor(), ft_allocator_name(), t[0], t[1], t[2], commit);
    static const char *const slots[] = { "other", NULL };
    ft_type *cls = ft_class_new("Pair", slots);
    if (!cls)
        fail("ft_class_new");
    ft_gc_disable();   /* parts 1 and 2 time explicit collections only */
    bench_live(n);
    bench_garbage(n, cls);
    ft_gc_enable();
    bench_churn(n, cls, cycles);
    ft_decref(&cls->ob_base);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  peak RSS %.1f MiB\n", ru.ru_maxrss / 1024.0);
    ft_fini_report rep;
    if (ft_fini(&rep) < 0 || rep.objects || rep.blocks)
        fail("ft_fini found leftovers");
    return 0;
}
