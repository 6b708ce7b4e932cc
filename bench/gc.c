/* gc.c — ftbench-gc-<flavor>: what the cycle collector costs (the target
 * of docs/architecture.md, "Benchmarks and papers": "a full collection of
 * 1 M tracked objects <= 50 ms on this 2-core machine"), and how long its
 * pauses are (papers/gc-pauses).
 *
 *   1. full collection over N live tracked objects and no garbage: the
 *      pure cost of examining a heap (N lists of one int each);
 *   2. full collection of N objects that are all garbage, in N/2 two-node
 *      cycles of slot instances: examining plus tp_clear plus freeing;
 *   3. automatic collections (the thresholds in force) while a loop makes
 *      short cycles beside a live heap: pause percentiles, per generation,
 *      and peak RSS;
 *   4. the instance graph of issue 16's table: --pairs two-instance
 *      cycles of a class without slots (a.other = b, b.other = a, each
 *      with two attributes: other and n) beside as many live ones; a full
 *      collection timed, REPEATS runs, median of the wall time and of the
 *      thread's CPU time (steadier on a busy machine). bench/gc_instances.py
 *      builds the same shape in CPython and times gc.collect(); --python
 *      runs it and prints its median beside ours.
 *
 * Part 3's heap, the shape a long-running program has: a live heap of
 * `live` objects in two-node cycles (reachable from one list); a loop of
 * `cycles` iterations each making a two-node cycle and dropping it, except
 * every SURVIVE_EVERY-th, which replaces the oldest entry of a ring of
 * live/16 pairs: it lives for about `live` allocations, so it survives the
 * young collections, is promoted, and dies old, where only a full
 * collection finds it. Each iteration also makes an empty list that
 * replaces the oldest of a ring of RECENT lists: it lives about 3 * RECENT
 * allocations and dies by reference counting, not cycle collection — the
 * short-lived objects a small first-generation threshold examines (and
 * promotes) before they die, which is what raising it saves. That is what makes the gil build's full
 * collections happen (CPython's rule: when the objects promoted since the
 * last full one exceed a quarter of the long-lived ones); the nogil build
 * has a young generation and the same rule since it was given one.
 * After the loop, EXPLICIT_FULL timed ft_gc_collect(-1) over the live heap:
 * the pause an incremental collector would split into young-sized pieces.
 *
 * Each of parts 1 and 2 is REPEATS runs (median and max printed); every run
 * checks what the collector reported (unreachable count) and that the
 * live-object count comes back, so a broken collector cannot look fast.
 *
 * Usage: ftbench-gc-<flavor> [--quick] [--objects N] [--churn-only]
 *            [--live N] [--cycles N] [--threshold T0[,T1[,T2]]] [--summary]
 *            [--instances-only] [--pairs N] [--python]
 *   --churn-only   part 3 alone (one configuration per process, so that
 *                  peak RSS is that configuration's)
 *   --instances-only  part 4 alone
 *   --pairs N      part 4's garbage and live cycles (default 250000,
 *                  --quick 25000)
 *   --python       part 4 also in CPython: $FTBENCH_PYTHON (default
 *                  python3) runs the source tree's bench/gc_instances.py
 *   --live N       part 3's live heap (default: a quarter of --objects)
 *   --cycles N     part 3's loop iterations (default 200000, --quick 20000)
 *   --threshold    ft_gc_set_threshold; fields left out keep their value
 *                  (FT_GC_THRESHOLD sets the same from the environment)
 *   --summary      also one line "summary key=value ..." with part 3's
 *                  numbers (times in ms, RSS in MiB), for scripts
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <ftlab.h>
#include "bench_env.h"
#include "cli.h"

#define PROG "ftbench-gc-" FT_FLAVOR

enum { REPEATS = 5, CHURN_CYCLES = 200000, SURVIVE_EVERY = 8, EXPLICIT_FULL = 3,
       RECENT = 1024, INSTANCE_PAIRS = 250000 };

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

/* ---- Part 3: pauses while a loop makes cycles beside a live heap -------- */

/* Every pause of part 3, from a gc callback: exact percentiles, and which
 * generation each one collected (nogil's are all full: generation 2). */
typedef struct pause_log {
    uint64_t *ns;
    int *gen;
    size_t n, cap;
    bool on;                    /* recording (the churn loop only)        */
} pause_log;

static void log_pause(ft_gc_phase phase, const ft_gc_info *info, void *ctx)
{
    pause_log *l = ctx;
    if (phase != FT_GC_STOP || !l->on)
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->ns = realloc(l->ns, l->cap * sizeof *l->ns);
        l->gen = realloc(l->gen, l->cap * sizeof *l->gen);
        if (!l->ns || !l->gen) {
            fprintf(stderr, "ftbench-gc: out of memory for the pause log\n");
            exit(1);
        }
    }
    l->ns[l->n] = info->pause_ns;
    l->gen[l->n++] = info->generation;
}

/* The pauses of generations lo..hi, sorted, in out (n of them). */
static size_t pauses_of(const pause_log *l, int lo, int hi, uint64_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->gen[i] >= lo && l->gen[i] <= hi)
            out[n++] = l->ns[i];
    qsort(out, n, sizeof *out, cmp_u64);
    return n;
}

/* The q-quantile of n sorted values (nearest rank), in ms; 0 when none. */
static double quantile_ms(const uint64_t *v, size_t n, double q)
{
    if (!n)
        return 0;
    size_t i = (size_t)(q * (double)n + 0.999999);
    return v[i ? i - 1 : 0] / 1e6;
}

static double sum_ms(const uint64_t *v, size_t n)
{
    double t = 0;
    for (size_t i = 0; i < n; i++)
        t += (double)v[i];
    return t / 1e6;
}

/* A list of `pairs` reachable two-node cycles: 2 * pairs + 1 objects. */
static ft_object *cyclic_heap(ft_type *cls, long pairs)
{
    ft_object *outer = ft_list_new(0);
    if (!outer)
        fail("ft_list_new");
    for (long i = 0; i < pairs; i++) {
        ft_object *a = ft_instance_new(cls), *b = ft_instance_new(cls);
        if (!a || !b || ft_setattr(a, "other", b) < 0 ||
            ft_setattr(b, "other", a) < 0 || ft_list_append(outer, a) < 0)
            fail("building the live heap");
        ft_decref(a);
        ft_decref(b);
        if (i % 64 == 0)
            ft_checkpoint();
    }
    return outer;
}

/* What the loop keeps alive for a while: the old ring (pairs that die
 * old) and the recent ring (lists that die young, by reference count). */
typedef struct churn_rings {
    ft_object *old, *recent;
    ssize_t next_old, next_recent;
} churn_rings;

/* A list of n Nones. */
static ft_object *ring_new(long n)
{
    ft_object *ring = ft_list_new(0);
    if (!ring)
        fail("ft_list_new");
    for (long i = 0; i < n; i++)
        if (ft_list_append(ring, ft_none()) < 0)
            fail("ft_list_append");
    return ring;
}

static void ring_put(ft_object *ring, ssize_t *next, ft_object *o)
{
    if (ft_len(ring) == 0)
        return;
    if (ft_list_set(ring, *next, o) < 0)
        fail("ft_list_set");
    *next = (*next + 1) % ft_len(ring);
}

/* One iteration: a two-node cycle, dropped, or every SURVIVE_EVERY-th
 * put in the old ring; and a list put in the recent ring. */
static void churn_one(ft_type *cls, churn_rings *r, long i)
{
    ft_object *a = ft_instance_new(cls), *b = ft_instance_new(cls);
    ft_object *l = ft_list_new(0);
    if (!a || !b || !l || ft_setattr(a, "other", b) < 0 ||
        ft_setattr(b, "other", a) < 0)
        fail("building a cycle");
    if (i % SURVIVE_EVERY == 0)
        ring_put(r->old, &r->next_old, a);
    ring_put(r->recent, &r->next_recent, l);
    ft_decref(a);
    ft_decref(b);
    ft_decref(l);
}

typedef struct churn_result {
    long live, cycles;
    double churn_ms;            /* the loop, collections included         */
    double explicit_full_ms;    /* median of EXPLICIT_FULL collections    */
    ft_gc_pause_stats hist;     /* the collector's own histograms         */
} churn_result;

/* Times EXPLICIT_FULL full collections of the (all live) heap. */
static double explicit_full_ms(void)
{
    uint64_t ns[EXPLICIT_FULL];
    for (int r = 0; r < EXPLICIT_FULL; r++) {
        uint64_t t0 = ftbench_now_ns();
        ssize_t found = ft_gc_collect(-1);
        ns[r] = ftbench_now_ns() - t0;
        if (found != 0)
            fail("a live heap reported garbage");
    }
    qsort(ns, EXPLICIT_FULL, sizeof *ns, cmp_u64);
    return ns[EXPLICIT_FULL / 2] / 1e6;
}

static void bench_churn(long live, ft_type *cls, long cycles, pause_log *log,
                        churn_result *res)
{
    int64_t before = live_objects();
    ft_object *heap = cyclic_heap(cls, live / 2);
    churn_rings rings = { .old = ring_new(live / 16), .recent = ring_new(RECENT) };
    ft_gc_collect(-1);   /* start from a settled heap: all of it old */
    ft_gc_reset_pause_stats();
    log->on = true;
    uint64_t t0 = ftbench_now_ns();
    for (long i = 0; i < cycles; i++) {
        churn_one(cls, &rings, i);
        ft_checkpoint();   /* where scheduled collections run */
    }
    res->churn_ms = (ftbench_now_ns() - t0) / 1e6;
    log->on = false;
    ft_gc_get_pause_stats(&res->hist);
    ft_decref(rings.old);
    ft_decref(rings.recent);
    ft_gc_collect(-1);   /* the old ring's pairs */
    res->explicit_full_ms = explicit_full_ms();
    ft_decref(heap);
    ft_gc_collect(-1);
    if (live_objects() != before)
        fail("churn left objects behind");
    res->live = live / 2 * 2 + 1;
    res->cycles = cycles;
}

static void print_churn(const churn_result *r, const pause_log *log)
{
    const ft_gc_histogram *h = &r->hist.pause;
    printf("  churn beside %ld live objects: %ld cycles in %.1f ms, %llu "
           "collections\n    pause p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  "
           "max %.3f ms", r->live, r->cycles, r->churn_ms,
           (unsigned long long)h->count,
           ft_gc_histogram_quantile(h, 0.5) / 1e6,
           ft_gc_histogram_quantile(h, 0.9) / 1e6,
           ft_gc_histogram_quantile(h, 0.99) / 1e6, h->max_ns / 1e6);
    if (r->hist.stw.count)
        printf("; stop-the-world p50 %.3f ms max %.3f ms",
               ft_gc_histogram_quantile(&r->hist.stw, 0.5) / 1e6,
               r->hist.stw.max_ns / 1e6);
    printf("\n    explicit full collection of the live heap: %.3f ms\n",
           r->explicit_full_ms);
    if (log->n != h->count)
        fail("the gc callback saw a different number of collections");
}

/* The one-line summary: exact percentiles from the callback's log. */
static void print_summary(const churn_result *r, const pause_log *log, double rss_mib)
{
    uint64_t *v = malloc((log->n + 1) * sizeof *v);
    if (!v)
        fail("out of memory");
    int t[3];
    ft_gc_get_threshold(t);
    printf("summary flavor=%s threshold=%d,%d,%d live=%ld cycles=%ld churn_ms=%.1f",
           ft_flavor(), t[0], t[1], t[2], r->live, r->cycles, r->churn_ms);
    size_t n = pauses_of(log, 0, 2, v);
    printf(" collections=%zu gc_total_ms=%.2f p50_ms=%.4f p90_ms=%.4f p99_ms=%.4f"
           " max_ms=%.4f", n, sum_ms(v, n), quantile_ms(v, n, 0.5),
           quantile_ms(v, n, 0.9), quantile_ms(v, n, 0.99), quantile_ms(v, n, 1));
    n = pauses_of(log, 0, 1, v);
    printf(" young_n=%zu young_p50_ms=%.4f young_max_ms=%.4f", n,
           quantile_ms(v, n, 0.5), quantile_ms(v, n, 1));
    n = pauses_of(log, 2, 2, v);
    printf(" full_n=%zu full_p50_ms=%.4f full_max_ms=%.4f", n,
           quantile_ms(v, n, 0.5), quantile_ms(v, n, 1));
    printf(" stw_max_ms=%.4f explicit_full_ms=%.3f rss_mib=%.1f\n",
           r->hist.stw.max_ns / 1e6, r->explicit_full_ms, rss_mib);
    free(v);
}

/* ---- Part 4: two-instance cycles of a class without slots ---------------- */

/* A cycle a <-> b of cls, each with two attributes (other, n), in the
 * order CPython's twin sets them; returns a (the caller's reference). */
static ft_object *instance_pair(ft_type *cls, long i)
{
    ft_object *a = ft_instance_new(cls), *b = ft_instance_new(cls);
    ft_object *n = ft_int_from_i64(i);
    if (!a || !b || !n || ft_setattr(a, "other", b) < 0 || ft_setattr(a, "n", n) < 0 ||
        ft_setattr(b, "other", a) < 0 || ft_setattr(b, "n", n) < 0)
        fail("building an instance cycle");
    ft_decref(b);
    ft_decref(n);
    return a;
}

/* This thread's CPU time: on a busy machine, what the collection itself
 * cost, without the time other processes held the core. */
static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The CPython twin's median wall time in ms (its "summary-python" line;
 * *cpu_ms its CPU-time median), or -1. */
static double python_median_ms(const char *python, long pairs, double *cpu_ms)
{
    char cmd[PATH_MAX + 128], line[512];
    snprintf(cmd, sizeof cmd, "%s '" FTBENCH_SOURCE_DIR "/bench/gc_instances.py' "
             "--pairs %ld --repeats %d", python, pairs, REPEATS);
    FILE *p = popen(cmd, "r");
    double ms = -1;
    while (p && fgets(line, sizeof line, p)) {
        const char *m = strstr(line, "median_ms=");
        const char *c = strstr(line, "cpu_ms=");
        if (strncmp(line, "summary-python", 14) == 0 && m && c) {
            ms = strtod(m + 10, NULL);
            *cpu_ms = strtod(c + 7, NULL);
        }
        else
            printf("  | %s", line);   /* the twin's own report */
    }
    if (!p || pclose(p) != 0 || ms < 0)
        fprintf(stderr, "ftbench-gc: '%s' failed\n", cmd);
    return ms;
}

static void bench_instances(long pairs, const char *python)
{
    ft_type *cls = ft_class_new("Node", NULL);   /* no slots: a __dict__ */
    ft_object *live = ft_list_new(0);
    if (!cls || !live)
        fail("ft_class_new");
    for (long i = 0; i < pairs; i++) {
        ft_object *a = instance_pair(cls, i);
        if (ft_list_append(live, a) < 0)
            fail("ft_list_append");
        ft_decref(a);
    }
    ft_gc_collect(-1);   /* a settled heap, as the twin's */
    uint64_t ns[REPEATS], cpu[REPEATS];
    ssize_t found = 0;
    for (int r = 0; r < REPEATS; r++) {
        int64_t before = live_objects();
        for (long i = 0; i < pairs; i++)
            ft_decref(instance_pair(cls, i));
        uint64_t t0 = ftbench_now_ns(), c0 = thread_cpu_ns();
        found = ft_gc_collect(-1);
        ns[r] = ftbench_now_ns() - t0;
        cpu[r] = thread_cpu_ns() - c0;
        if (found < 2 * pairs || live_objects() != before)
            fail("the instance cycles were not all collected");
    }
    qsort(ns, REPEATS, sizeof *ns, cmp_u64);
    qsort(cpu, REPEATS, sizeof *cpu, cmp_u64);
    double ms = ns[REPEATS / 2] / 1e6, cpu_ms = cpu[REPEATS / 2] / 1e6;
    ft_object *one = ft_list_get(live, pairs - 1);   /* sized by the keys */
    printf("  %ld instance cycles beside %ld live: full collection median %.2f ms"
           "  max %.2f ms  cpu %.2f ms  (%zd unreachable, instance %zu B)\n", pairs,
           pairs, ms, ns[REPEATS - 1] / 1e6, cpu_ms, found, ft_sizeof(one));
    ft_decref(one);
    double py_cpu = -1, py = python ? python_median_ms(python, pairs, &py_cpu) : -1;
    if (py > 0)
        printf("  CPython twin: median %.2f ms, cpu %.2f ms; ftlab/CPython %.2fx "
               "(cpu %.2fx)\n", py, py_cpu, ms / py, cpu_ms / py_cpu);
    printf("summary-instances flavor=%s pairs=%ld median_ms=%.2f cpu_ms=%.2f "
           "python_ms=%.2f python_cpu_ms=%.2f\n", ft_flavor(), pairs, ms, cpu_ms, py,
           py_cpu);
    ft_decref(live);
    ft_gc_collect(-1);
    ft_decref(&cls->ob_base);
}

/* ---- Options and main ---------------------------------------------------- */

typedef struct options {
    long objects, live, cycles, pairs;
    int threshold[3];           /* -1: keep                               */
    bool churn_only, summary, instances_only;
    const char *python;         /* part 4's CPython twin; NULL: none      */
} options;

static void usage(FILE *f)
{
    fprintf(f, "usage: " PROG " [--quick] [--objects N] [--churn-only] [--live N]\n"
            "       [--cycles N] [--threshold T0[,T1[,T2]]] [--summary]\n"
            "       [--instances-only] [--pairs N] [--python]\n");
}

static options parse_options(int argc, char **argv)
{
    options o = { .objects = 1000000, .live = -1, .cycles = CHURN_CYCLES,
                  .pairs = -1, .threshold = { -1, -1, -1 } };
    bool quick = false, cycles_set = false;
    ftcli c = ftcli_start(PROG, usage, argc, argv, 1);
    while (ftcli_next(&c)) {
        if (ftcli_flag(&c, "--quick"))
            quick = true;
        else if (ftcli_flag(&c, "--churn-only"))
            o.churn_only = true;
        else if (ftcli_flag(&c, "--summary"))
            o.summary = true;
        else if (ftcli_flag(&c, "--instances-only"))
            o.instances_only = true;
        else if (ftcli_option(&c, "--pairs"))
            o.pairs = ftcli_long(&c, 1, LONG_MAX / 4);
        else if (ftcli_flag(&c, "--python"))
            o.python = getenv("FTBENCH_PYTHON") ? getenv("FTBENCH_PYTHON") : "python3";
        else if (ftcli_option(&c, "--objects"))
            o.objects = ftcli_long(&c, 2, LONG_MAX);
        else if (ftcli_option(&c, "--live"))
            o.live = ftcli_long(&c, 0, LONG_MAX);
        else if (ftcli_option(&c, "--cycles"))
            cycles_set = true, o.cycles = ftcli_long(&c, 0, LONG_MAX);
        else if (ftcli_option(&c, "--threshold"))
            ftcli_list(&c, 0, INT_MAX, o.threshold, 3);   /* the rest stay -1 */
        else
            ftcli_unknown(&c);
    }
    if (quick) {
        o.objects = o.objects == 1000000 ? 100000 : o.objects;
        o.cycles = cycles_set ? o.cycles : CHURN_CYCLES / 10;
    }
    if (o.live < 0)
        o.live = o.objects / 4;
    if (o.pairs < 0)
        o.pairs = quick ? INSTANCE_PAIRS / 10 : INSTANCE_PAIRS;
    return o;
}

static void apply_threshold(const int want[3])
{
    int t[3];
    ft_gc_get_threshold(t);
    for (int g = 0; g < 3; g++)
        if (want[g] >= 0)
            t[g] = want[g];
    ft_gc_set_threshold(t[0], t[1], t[2]);
}

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

static int finish(void)
{
    ft_fini_report rep;
    if (ft_fini(&rep) < 0 || rep.objects || rep.blocks)
        fail("ft_fini found leftovers");
    return 0;
}

int main(int argc, char **argv)
{
    options o = parse_options(argc, argv);
    char commit[64];
    ftbench_read_commit(commit, sizeof commit);
    if (ft_init(NULL) < 0)
        fail("ft_init");
    apply_threshold(o.threshold);
    int t[3];
    ft_gc_get_threshold(t);
    printf("ftbench-gc: flavor %s, allocator %s, thresholds %d,%d,%d, commit %s\n",
           ft_flavor(), ft_allocator_name(), t[0], t[1], t[2], commit);
    static const char *const slots[] = { "other", NULL };
    ft_type *cls = ft_class_new("Pair", slots);
    if (!cls)
        fail("ft_class_new");
    if (o.instances_only) {
        ft_gc_disable();   /* part 4 times explicit collections only */
        bench_instances(o.pairs, o.python);
        ft_gc_enable();
        ft_decref(&cls->ob_base);
        return finish();
    }
    if (!o.churn_only) {
        ft_gc_disable();   /* parts 1, 2 and 4 time explicit collections only */
        bench_live(o.objects);
        bench_garbage(o.objects, cls);
        bench_instances(o.pairs, o.python);
        ft_gc_enable();
    }
    pause_log log = { 0 };
    if (ft_gc_callback_add(log_pause, &log) < 0)
        fail("ft_gc_callback_add");
    churn_result res;
    bench_churn(o.live, cls, o.cycles, &log, &res);
    print_churn(&res, &log);
    if (ft_gc_callback_remove(log_pause, &log) < 0)
        fail("ft_gc_callback_remove");
    ft_decref(&cls->ob_base);
    double rss = peak_rss_mib();
    printf("  peak RSS %.1f MiB\n", rss);
    if (o.summary)
        print_summary(&res, &log, rss);
    free(log.ns);
    free(log.gen);
    return finish();
}
