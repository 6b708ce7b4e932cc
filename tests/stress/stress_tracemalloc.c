/* stress_tracemalloc.c — tracing while two threads allocate, reallocate
 * and free for a bounded time, each also freeing blocks the other one
 * allocated (handed over through a mailbox), while the main thread takes
 * snapshots and resets the peak. At the end the traced totals are exact:
 * traced current == the bytes the workers still hold, a snapshot has one
 * trace per live block with its requested size, and freeing the rest
 * brings current back to where it started. Run under TSan and ASan by
 * `make test`. Each run lasts RUN_MS (FT_TEST_RUN_MS) and until the
 * workers did MIN_OPS steps (waiting at most FT_TEST_MAX_MS for them);
 * workers record failures with ft_worker_check; seeds come from
 * ft_test_seed (FT_TEST_SEED replays). */
#include <stdlib.h>
#include <string.h>
#include "ft_mailbox.h"
#include "ft_test.h"

enum { WORKERS = 2, MAILBOX = 128, KEEP = 64, RUN_MS = 1200, MIN_OPS = 100000 };

typedef struct worker {
    int id;
    unsigned seed;
    void *kept[KEEP];            /* blocks this worker holds at the end */
    size_t kept_size[KEEP];
} worker;

static ft_test_mailbox boxes[WORKERS];
static _Atomic int xstop;
static _Atomic uint64_t xops;          /* worker steps, over all workers */
/* Requested bytes and blocks alive, over all threads. */
static _Atomic long xlive_bytes, xlive_blocks;

/* Blocks start with their requested size. */
static void *make(unsigned *seed)
{
    size_t size = sizeof(size_t) + (size_t)(rand_r(seed) % 900);
    size_t *b = FT_MALLOC(size);
    if (!ft_worker_check(b != NULL))
        return NULL;
    *b = size;
    atomic_fetch_add(&xlive_bytes, (long)size);
    atomic_fetch_add(&xlive_blocks, 1);
    return b;
}

static void release(void *p)
{
    atomic_fetch_sub(&xlive_bytes, (long)*(size_t *)p);
    atomic_fetch_sub(&xlive_blocks, 1);
    ft_free(p);
}

static void *grow(void *p, unsigned *seed)
{
    size_t old = *(size_t *)p, size = sizeof(size_t) + (size_t)(rand_r(seed) % 2000);
    size_t *q = FT_REALLOC(p, size);
    if (!ft_worker_check(q != NULL))
        return p;   /* still valid, with its old size */
    *q = size;
    atomic_fetch_add(&xlive_bytes, (long)size - (long)old);
    return q;
}

static void step(worker *w)
{
    void *p = make(&w->seed), *q;
    if (!p)
        return;
    int slot = (int)(rand_r(&w->seed) % KEEP);
    if (rand_r(&w->seed) % 4 == 0)
        p = grow(p, &w->seed);
    if (rand_r(&w->seed) % 2 && ft_test_mailbox_post(&boxes[1 - w->id], p))
        p = NULL;                       /* the other worker frees it */
    if ((q = ft_test_mailbox_take(&boxes[w->id])) != NULL)
        release(q);                     /* a block the other allocated */
    if (p) {
        if (w->kept[slot])
            release(w->kept[slot]);
        w->kept[slot] = p;
    }
}

static void work(void *arg)
{
    worker *w = arg;
    ft_trace_push(w->id ? "worker1" : "worker0", 1);
    while (!atomic_load(&xstop)) {
        for (int i = 0; i < 64; i++)
            step(w);
        /* relaxed: a count the main thread polls (any value will do) */
        atomic_fetch_add_explicit(&xops, 64, memory_order_relaxed);
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
 * and the blocks they kept. */
static void free_leftovers(worker w[WORKERS])
{
    for (int i = 0; i < WORKERS; i++) {
        for (void *p; (p = ft_test_mailbox_take(&boxes[i])) != NULL;)
            release(p);
        for (int k = 0; k < KEEP; k++)
            if (w[i].kept[k])
                release(w[i].kept[k]);
    }
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
    assert_int_equal(atomic_load(&xlive_blocks), 0);
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
