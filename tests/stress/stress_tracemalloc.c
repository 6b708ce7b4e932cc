/* stress_tracemalloc.c — tracing while two workers allocate and free for
 * a bounded time, each also freeing blocks the other one allocated
 * (handed over through a mailbox), while the main thread takes snapshots.
 * One source, two programs: the workers, the hand-over and the clean-up
 * are the same; what they allocate and what is checked is the mode's.
 *
 * Blocks (this file; the ctest stress_tracemalloc): raw blocks from
 * FT_MALLOC and FT_REALLOC, each starting with its requested size; the
 * main thread also resets the peak. At the end the traced totals are
 * exact: traced current == the bytes the workers still hold, a snapshot
 * has one trace per live block with its requested size, and freeing the
 * rest brings current back to where it started. A second test starts and
 * stops tracing while the workers run: nothing is half-traced, and after
 * the last stop nothing is traced at all.
 *
 * Shared tracebacks (STRESS_TRACEMALLOC_SHARED, set by
 * stress_tracemalloc_shared.c; the ctest stress_tracemalloc_shared):
 * interned tracebacks under concurrency. The workers allocate traced
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
 *
 * Run under TSan and ASan by `make test` (nogil: lock-free lookups,
 * batched reclamation of nodes and tracebacks). Each run lasts RUN_MS
 * (FT_TEST_RUN_MS) and until the workers did MIN_OPS steps (waiting at
 * most FT_TEST_MAX_MS for them); workers record failures with
 * ft_worker_check; seeds come from ft_test_seed (FT_TEST_SEED replays). */
#include <stdlib.h>
#include <string.h>
#include "ft_mailbox.h"
#include "ft_test.h"

#ifndef STRESS_TRACEMALLOC_SHARED
#define STRESS_TRACEMALLOC_SHARED 0
#endif

enum { WORKERS = 2, MAILBOX = 128, KEEP = 64, RUN_MS = 1200 };

typedef struct worker {
    int id;
    unsigned seed;
    void *kept[KEEP];            /* blocks this worker holds at the end */
} worker;

static ft_test_mailbox boxes[WORKERS];
static _Atomic int xstop;
static _Atomic uint64_t xops;          /* worker steps, over all workers */
static _Atomic long xlive_blocks;      /* blocks alive, over all threads */

/* ---- What the workers allocate: the mode's make, release and taken ------- */

#if !STRESS_TRACEMALLOC_SHARED

enum { MIN_OPS = 100000, BATCH = 64 };

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

#else

enum { MIN_OPS = 50000, BATCH = 32, SITES = 5, SITE_LINE = 10 };

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

#endif

/* ---- The workers, the same in both modes ------------------------------------- */

static void step(worker *w)
{
    void *p = make(w), *q;
    if (!p)
        return;
    if (rand_r(&w->seed) % 2 && ft_test_mailbox_post(&boxes[1 - w->id], p))
        p = NULL;                       /* the other worker frees it */
    if ((q = ft_test_mailbox_take(&boxes[w->id])) != NULL) {
        taken(q);
        release(q);                     /* one the other allocated */
    }
    if (p) {
        int slot = (int)(rand_r(&w->seed) % KEEP);
        if (w->kept[slot])
            release(w->kept[slot]);
        w->kept[slot] = p;
    }
}

static void work(void *arg)
{
    worker *w = arg;
    ft_trace_push(WORKER_FILE[w->id], 1);
    while (!atomic_load(&xstop)) {
        for (int i = 0; i < BATCH; i++)
            step(w);
        /* relaxed: a count the main thread polls (any value will do) */
        atomic_fetch_add_explicit(&xops, BATCH, memory_order_relaxed);
        ft_checkpoint();
    }
    ft_trace_pop();
}

/* Sleeps detached: in the gil build, a sleeper holding the GIL would
 * leave the workers nothing to run on. */
static void sleep_detached(unsigned ms)
{
    FT_BEGIN_ALLOW_THREADS
    ft_test_sleep_ms(ms);
    FT_END_ALLOW_THREADS
}

/* Empties the mailboxes, seeds the workers (seed + their id) and starts
 * them. */
static void start_workers(worker w[WORKERS], uint64_t seed, ft_thread *t[WORKERS])
{
    for (int i = 0; i < WORKERS; i++) {
        ft_test_mailbox_init(&boxes[i], MAILBOX);
        w[i] = (worker){ .id = i, .seed = (unsigned)(seed + (uint64_t)i) };
    }
    atomic_store(&xstop, 0);
    atomic_store(&xops, 0);
    for (int i = 0; i < WORKERS; i++)
        t[i] = ft_thread_start(work, &w[i]);
}

static void stop_workers(ft_thread *t[WORKERS])
{
    atomic_store(&xstop, 1);
    for (int i = 0; i < WORKERS; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    ft_test_assert_workers_ok();
}

/* Frees what the stopped workers left: blocks still in their mailboxes
 * and the blocks they kept. Nothing is alive after. */
static void free_leftovers(worker w[WORKERS])
{
    for (int i = 0; i < WORKERS; i++) {
        for (void *p; (p = ft_test_mailbox_take(&boxes[i])) != NULL;)
            release(p);
        for (int k = 0; k < KEEP; k++)
            if (w[i].kept[k])
                release(w[i].kept[k]);
    }
    assert_int_equal(atomic_load(&xlive_blocks), 0);
}

/* ---- The mode's tests ----------------------------------------------------- */

#if !STRESS_TRACEMALLOC_SHARED

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

#define GROUP __FILE__
#define MODE_TESTS T(test_two_threads_exact), T(test_start_stop_while_running)

#else

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

/* The group is named after the program, not after this file. */
#define GROUP "stress_tracemalloc_shared.c"
#define MODE_TESTS T(test_shared_tracebacks_under_snapshots), T(test_clear_while_running)

#endif

int main(void)
{
    const struct CMUnitTest tests[] = { MODE_TESTS };
    return _ft_test_run(GROUP, tests, sizeof tests / sizeof tests[0]);
}
