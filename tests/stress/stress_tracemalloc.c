/* stress_tracemalloc.c — tracing raw blocks while two workers allocate
 * and free them across threads (stress_tracemalloc.h: the workers).
 *
 * The workers allocate raw blocks from
 * FT_MALLOC and FT_REALLOC, each starting with its requested size; the
 * main thread also resets the peak. At the end the traced totals are
 * exact: traced current == the bytes the workers still hold, a snapshot
 * has one trace per live block with its requested size, and freeing the
 * rest brings current back to where it started. A second test starts and
 * stops tracing while the workers run: nothing is half-traced, and after
 * the last stop nothing is traced at all.
 */
enum { MIN_OPS = 100000, BATCH = 64 };

#include "stress_tracemalloc.h"

static _Atomic long xlive_bytes;       /* their requested bytes */

/* The workers' own frame: one file name each. */
static const char *const WORKER_FILE[WORKERS] = { "worker0", "worker1" };

/* Blocks start with their requested size; one in four is reallocated. */
static void *make(worker *w)
{
    size_t size = sizeof(size_t) + (size_t)(rand_r(&w->seed) % 900);
    size_t *b = FT_MALLOC(size);
    if (!ft_worker_check(b != NULL))
        return NULL;
    *b = size;
    atomic_fetch_add(&xlive_bytes, (long)size);
    atomic_fetch_add(&xlive_blocks, 1);
    if (rand_r(&w->seed) % 4 == 0) {
        size_t old = size;
        size = sizeof(size_t) + (size_t)(rand_r(&w->seed) % 2000);
        size_t *q = FT_REALLOC(b, size);
        if (!ft_worker_check(q != NULL))
            return b;   /* still valid, with its old size */
        *q = size;
        atomic_fetch_add(&xlive_bytes, (long)size - (long)old);
        b = q;
    }
    return b;
}

static void release(void *p)
{
    atomic_fetch_sub(&xlive_bytes, (long)*(size_t *)p);
    atomic_fetch_sub(&xlive_blocks, 1);
    ft_free(p);
}

/* A block the other worker allocated, before this one frees it. */
static void taken(void *p)
{
    (void)p;
}


/* ---- The tests ------------------------------------------------------------ */

/* The snapshot's traces from this file: one per live block. */
static void check_snapshot_exact(void)
{
    ft_snapshot *s = ft_tracemalloc_take_snapshot();
    ft_trace_filter mine = { true, __FILE__, 0, false };
    ft_snapshot *f = ft_snapshot_filter_traces(s, &mine, 1);
    size_t total = 0;
    for (size_t i = 0; i < ft_snapshot_count(f); i++) {
        const ft_trace *t = ft_snapshot_trace(f, i);
        total += t->size;
        assert_int_equal(t->traceback.nframes, 2);   /* site + worker frame */
    }
    assert_int_equal(ft_snapshot_count(f), atomic_load(&xlive_blocks));
    assert_int_equal(total, atomic_load(&xlive_bytes));
    ft_snapshot_free(f);
    ft_snapshot_free(s);
}

static void test_two_threads_exact(void **state)
{
    (void)state;
    static worker w[WORKERS];
    uint64_t seed = ft_test_seed();
    assert_int_equal(ft_tracemalloc_start(4), 0);
    size_t base = ft_test_traced();
    ft_thread *t[WORKERS];
    start_workers(w, seed, t);
    uint64_t start = ft_test_now_ns();
    unsigned run_ms = ft_test_run_ms(RUN_MS);
    int snaps = 0;
    while (ft_test_keep_running(start, run_ms, atomic_load(&xops), MIN_OPS)) {
        ft_snapshot *s = ft_tracemalloc_take_snapshot();
        assert_non_null(s);
        ft_trace_stats *st = ft_snapshot_statistics(s, "traceback", false);
        assert_non_null(st);
        ft_trace_stats_free(st);
        ft_snapshot_free(s);
        if (++snaps % 4 == 0)
            ft_tracemalloc_reset_peak();
        sleep_detached(20);
    }
    stop_workers(t);
    ft_test_assert_ops("steps", atomic_load(&xops), MIN_OPS);
    assert_true(snaps >= 4);

    assert_int_equal(ft_test_traced() - base, (size_t)atomic_load(&xlive_bytes));
    check_snapshot_exact();
    free_leftovers(w);
    assert_int_equal(ft_test_traced(), base);
    ft_tracemalloc_stop();
}

/* Starting and stopping while the workers run: nothing is half-traced,
 * and after the last stop nothing is traced at all. */
static void test_start_stop_while_running(void **state)
{
    (void)state;
    static worker w[WORKERS];
    uint64_t seed = ft_test_seed();
    ft_thread *t[WORKERS];
    start_workers(w, seed + 99u, t);
    /* 20 rounds at least, and until the workers did MIN_OPS / 4 steps */
    uint64_t start = ft_test_now_ns();
    for (int round = 0; round < 20 || ft_test_keep_running(start, 0, atomic_load(&xops),
                                                           MIN_OPS / 4); round++) {
        assert_int_equal(ft_tracemalloc_start(1 + round % 3), 0);
        sleep_detached(10);
        ft_tracemalloc_stop();
        assert_int_equal(ft_tracemalloc_get_tracemalloc_memory(), 0);
    }
    stop_workers(t);
    ft_test_assert_ops("steps", atomic_load(&xops), MIN_OPS / 4);
    free_leftovers(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_two_threads_exact),
        T(test_start_stop_while_running),
    };
    return ft_test_run(tests);
}
