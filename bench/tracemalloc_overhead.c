/* tracemalloc_overhead.c — ftbench-tracemalloc-<flavor>: what tracing
 * costs an allocation-heavy workload (ftlab/tracemalloc.h).
 *
 * The workload, run 10 frames deep (ft_trace_push) so that a 10-frame
 * traceback has 10 frames to copy:
 *   raw      ft_malloc/ft_free of sizes 8..520 from a fixed table, in
 *            batches of 256 freed oldest first
 *   objects  lists of 16 floats and a dict of 16 int -> tuple entries,
 *            built and dropped (object allocations, free-list reuse,
 *            list and dict resizes through ft_realloc)
 * measured three ways: tracing off, on with 1 frame, on with 10 frames.
 * Each mode is one warm-up and REPEATS timed runs, interleaved so that
 * machine noise hits every mode alike; the median and the best are
 * printed with the ratios to "off". Every run checks itself: the raw
 * blocks carry a tag read back before the free, and with tracing on the
 * traced current must come back to where it started (every block of the
 * run untraced again) — a tracer that loses frees fails instead of
 * looking fast.
 *
 * Usage: ftbench-tracemalloc-<flavor> [--quick]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ftlab.h>
#include "bench_env.h"
#include "cli.h"

#define PROG "ftbench-tracemalloc-" FT_FLAVOR

enum { REPEATS = 7, BATCH = 256, DEPTH = 10, MODES = 3 };

static const int mode_frames[MODES] = { 0, 1, 10 };
static const char *const mode_names[MODES] = { "off", "on, 1 frame", "on, 10 frames" };

static _Noreturn void fail(const char *what)
{
    fprintf(stderr, "ftbench-tracemalloc: %s: %s\n", what,
            ft_err_occurred() ? ft_err_message() : "check failed");
    exit(1);
}

/* ---- The workload -------------------------------------------------------- */

static size_t sizes[BATCH];

static void raw_round(void)
{
    uint64_t *b[BATCH];
    for (int i = 0; i < BATCH; i++) {
        b[i] = ft_malloc(sizes[i]);
        if (!b[i])
            fail("ft_malloc");
        b[i][0] = (uint64_t)i * 2654435761u;
    }
    for (int i = 0; i < BATCH; i++) {
        if (b[i][0] != (uint64_t)i * 2654435761u)
            fail("a block's tag changed");
        ft_free(b[i]);
    }
}

static void objects_round(void)
{
    ft_object *l = ft_list_new(0), *d = ft_dict_new();
    if (!l || !d)
        fail("ft_list_new");
    for (int i = 0; i < 16; i++) {
        ft_object *f = ft_float_from_double(i * 0.5), *k = ft_int_from_i64(1000 + i);
        ft_object *t = ft_tuple_new(2);
        if (!f || !k || !t || ft_list_append(l, f) < 0)
            fail("objects");
        ft_tuple_set_steal(t, 0, ft_newref(k));
        ft_tuple_set_steal(t, 1, ft_newref(f));
        if (ft_dict_set(d, k, t) < 0)
            fail("ft_dict_set");
        ft_decref(t);
        ft_decref(k);
        ft_decref(f);
    }
    ft_decref(d);
    ft_decref(l);
}

/* One run: `rounds` of each part, DEPTH frames deep; nanoseconds. */
static uint64_t run(long rounds)
{
    for (int i = 0; i < DEPTH; i++)
        ft_trace_push(__FILE__, 100 + i);
    uint64_t t0 = ftbench_now_ns();
    for (long r = 0; r < rounds; r++) {
        raw_round();
        objects_round();
        ft_checkpoint();
    }
    uint64_t ns = ftbench_now_ns() - t0;
    for (int i = 0; i < DEPTH; i++)
        ft_trace_pop();
    return ns;
}

/* ---- Measuring ------------------------------------------------------------- */

/* Traced bytes once deferred frees have run. nogil frees replaced list
 * and dict arrays after a QSBR grace period (internal/qsbr.h), on
 * liburcu's thread: checkpoints report our quiescent state, then the
 * frees (and their untracing) follow within milliseconds. */
static size_t settled_traced(size_t target)
{
    size_t cur = 0;
    for (int tries = 0; tries < 2000; tries++) {
        ft_tracemalloc_get_traced_memory(&cur, NULL);
        if (cur <= target)
            break;
        for (int i = 0; i < 1024; i++)
            ft_checkpoint();
        FT_BEGIN_ALLOW_THREADS
        nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
        FT_END_ALLOW_THREADS
    }
    return cur;
}

static uint64_t measure(int mode, long rounds)
{
    size_t before = 0;
    if (mode_frames[mode] && ft_tracemalloc_start(mode_frames[mode]) < 0)
        fail("ft_tracemalloc_start");
    ft_tracemalloc_get_traced_memory(&before, NULL);
    uint64_t ns = run(rounds);
    if (mode_frames[mode]) {
        /* Free lists keep a few blocks allocated between rounds: they
         * must be the same few, not a number growing with the rounds. */
        if (settled_traced(before + 16 * 1024) > before + 16 * 1024)
            fail("traced memory did not come back after the run");
        ft_tracemalloc_stop();
    }
    return ns;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: " PROG " [--quick]\n"
               "  --quick   a tenth of the rounds (4000 by default)\n");
}

int main(int argc, char **argv)
{
    long rounds = 4000;
    ftcli c = ftcli_start(PROG, usage, argc, argv, 1);
    while (ftcli_next(&c)) {
        if (ftcli_flag(&c, "--quick"))
            rounds = 400;
        else
            ftcli_unknown(&c);
    }
    char commit[64];
    ftbench_read_commit(commit, sizeof commit);
    for (int i = 0; i < BATCH; i++)
        sizes[i] = 8 + (size_t)((i * 7919) % 513);
    if (ft_init(NULL) < 0)
        fail("ft_init");
    printf("ftbench-tracemalloc: flavor %s, allocator %s, commit %s\n"
           "  workload: %ld rounds of %d raw blocks (8..520 B) + 16 floats, "
           "16 ints, 16 tuples, a list and a dict; %d frames deep\n",
           ft_flavor(), ft_allocator_name(), commit, rounds, BATCH, DEPTH);
    uint64_t t[MODES][REPEATS];
    for (int m = 0; m < MODES; m++)
        measure(m, rounds / 4);   /* warm-up */
    for (int r = 0; r < REPEATS; r++)
        for (int m = 0; m < MODES; m++)
            t[m][r] = measure(m, rounds);
    double per = (double)rounds * (BATCH + 16 * 3 + 2);   /* allocations */
    printf("  %-16s %12s %12s %10s\n", "tracing", "median ns", "best ns",
           "ratio");
    qsort(t[0], REPEATS, sizeof t[0][0], cmp_u64);
    for (int m = 0; m < MODES; m++) {
        if (m)
            qsort(t[m], REPEATS, sizeof t[m][0], cmp_u64);
        double med = (double)t[m][REPEATS / 2], best = (double)t[m][0];
        printf("  %-16s %12.1f %12.1f %9.2fx   (per allocation+free; median)\n",
               mode_names[m], med / per, best / per,
               med / (double)t[0][REPEATS / 2]);
    }
    ft_fini_report rep;
    if (ft_fini(&rep) < 0 || rep.objects || rep.blocks)
        fail("ft_fini: leaks");
    return 0;
}
