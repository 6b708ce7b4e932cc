/* stress_tracemalloc_shared.c — interned tracebacks under concurrency,
 * while two workers allocate and free traced objects across threads
 * (stress_tracemalloc.h: the workers).
 *
 * The workers allocate traced
 * objects (tuples) from the same few tracebacks, so they make and find
 * the shared copies at the same time, and look up object tracebacks
 * while the other inserts and removes traces. The main thread groups its
 * snapshots by traceback and, in the second test, clears the traces and
 * changes the traceback limit, which drops every shared traceback while
 * the workers hold them in their caches. Checked: every trace of the
 * workers has one of the tracebacks they used; a looked-up traceback is
 * the object's own; at the end of the first test the traces are exactly
 * the live objects, one group per site; after the last stop tracing
 * holds no memory.
 */
enum { MIN_OPS = 50000, BATCH = 32, SITES = 5, SITE_LINE = 10 };

#include "stress_tracemalloc.h"

static const char WORKER[] = "worker.py", SITE[] = "site.py";
/* The workers' own frame: the same for both, so they share tracebacks. */
static const char *const WORKER_FILE[WORKERS] = { WORKER, WORKER };

/* Is tb (innermost first) one the workers use: [SITE:k] + [WORKER:1]
 * (cut to the limit, 1 or 2 frames)? */
static bool worker_traceback(const ft_frame *f, int n)
{
    if (n < 1 || n > 2 || f[0].filename != SITE || f[0].lineno < SITE_LINE ||
        f[0].lineno >= SITE_LINE + SITES)
        return false;
    return n == 1 || (f[1].filename == WORKER && f[1].lineno == 1);
}

/* The object's traceback is its own site's (any site when site < 0), or
 * it is untraced (allocated before a clear). */
static void check_object(ft_object *o, int site)
{
    ft_frame got[4];
    int n = ft_tracemalloc_get_object_traceback(o, got, 4);
    if (n == 0)
        return;
    ft_worker_check(worker_traceback(got, n));
    if (site >= 0)
        ft_worker_check(got[0].lineno == SITE_LINE + site);
}

/* A tuple of 1 to 3 Nones allocated at one of SITES sites. */
static void *make(worker *w)
{
    int site = (int)(rand_r(&w->seed) % SITES);
    ft_trace_push(SITE, SITE_LINE + site);
    ssize_t n = 1 + (ssize_t)(rand_r(&w->seed) % 3);
    ft_object *t = ft_tuple_new(n);
    ft_trace_pop();
    if (!ft_worker_check(t != NULL))
        return NULL;
    for (ssize_t i = 0; i < n; i++)
        ft_tuple_set_steal(t, i, ft_none());   /* immortal: nothing to take */
    atomic_fetch_add(&xlive_blocks, 1);
    check_object(t, site);
    return t;
}

static void release(void *p)
{
    atomic_fetch_sub(&xlive_blocks, 1);
    ft_decref(p);
}

/* A tuple the other worker allocated: its traceback, looked up while
 * that worker inserts and removes traces. */
static void taken(void *p)
{
    check_object(p, -1);
}

/* ---- The tests ------------------------------------------------------------ */

/* A snapshot now: the workers' traces have their tracebacks, grouped in
 * at most one statistic per site (per site and depth across a limit
 * change). Returns how many of the workers' traces it held. */
static size_t check_snapshot(void)
{
    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    assert_non_null(s);
    size_t mine = 0;
    for (size_t i = 0; i < ft_snapshot_count(s); i++) {
        const ft_trace *t = ft_snapshot_trace(s, i);
        if (t->traceback.frames[0].filename == SITE) {
            assert_true(worker_traceback(t->traceback.frames, t->traceback.nframes));
            mine++;
        }
    }
    ft_trace_stats *st = ft_snapshot_statistics(s, "traceback", false);
    assert_non_null(st);
    size_t groups = 0, counted = 0;
    for (size_t i = 0; i < st->n; i++) {
        if (st->items[i].traceback.frames[0].filename == SITE) {
            groups++;
            counted += st->items[i].count;
        }
    }
    assert_true(groups <= 2 * SITES);
    assert_int_equal(counted, mine);
    ft_trace_stats_free(st);
    ft_snapshot_free(s);
    return mine;
}

/* Snapshots while the workers run; at the end, one trace per live tuple,
 * SITES groups of full tracebacks. */
static void test_shared_tracebacks_under_snapshots(void **state)
{
    (void)state;
    static worker w[WORKERS];
    assert_int_equal(ft_tracemalloc_start(4), 0);
    ft_thread *t[WORKERS];
    start_workers(w, ft_test_seed(), t);
    uint64_t start = ft_test_now_ns();
    unsigned run_ms = ft_test_run_ms(RUN_MS);
    int snaps = 0;
    while (ft_test_keep_running(start, run_ms, atomic_load(&xops), MIN_OPS)) {
        check_snapshot();
        snaps++;
        sleep_detached(15);
    }
    stop_workers(t);
    ft_test_assert_ops("steps", atomic_load(&xops), MIN_OPS);
    assert_true(snaps >= 4);
    assert_int_equal(check_snapshot(), (size_t)atomic_load(&xlive_blocks));
    free_leftovers(w);
    assert_int_equal(check_snapshot(), 0);
    ft_tracemalloc_stop();
    assert_int_equal(ft_tracemalloc_get_tracemalloc_memory(), 0);
}

/* Clears and limit changes while the workers run: every traceback goes
 * while the workers' caches hold it. */
static void test_clear_while_running(void **state)
{
    (void)state;
    static worker w[WORKERS];
    assert_int_equal(ft_tracemalloc_start(2), 0);
    ft_thread *t[WORKERS];
    start_workers(w, ft_test_seed() + 7u, t);
    uint64_t start = ft_test_now_ns();
    unsigned run_ms = ft_test_run_ms(RUN_MS);
    for (int round = 0; round < 12 || ft_test_keep_running(start, run_ms,
                                                            atomic_load(&xops), MIN_OPS);
         round++) {
        check_snapshot();
        if (round % 3 == 0)
            ft_tracemalloc_clear_traces();
        else
            assert_int_equal(ft_tracemalloc_start(1 + round % 2), 0);
        ft_tracemalloc_reset_peak();
        sleep_detached(10);
    }
    stop_workers(t);
    ft_test_assert_ops("steps", atomic_load(&xops), MIN_OPS);
    free_leftovers(w);
    ft_tracemalloc_stop();
    assert_int_equal(ft_tracemalloc_get_tracemalloc_memory(), 0);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_shared_tracebacks_under_snapshots),
        T(test_clear_while_running),
    };
    return ft_test_run(tests);
}
