/* test_qsbr_fini.c — what waits for a grace period, and what does not
 * (nogil/qsbr.c, "Alone, no wait" and "Requests in flight").
 *
 * A thread alone (the only one registered) frees and empties object pools
 * at once: nothing goes to liburcu's call_rcu thread, so a barrier has
 * nothing to wait for and returns without waiting (counted by
 * _ft_qsbr_barriers_waited, not timed). With another thread registered,
 * frees wait, and the barrier really waits for them. ft_fini needs at
 * most one real barrier, and still frees every block and pool that was
 * waiting (the leak report is zero, nothing is left pending). The gil
 * build never waits: every count stays 0. */
#define FT_BUILD_CORE 1   /* white-box: internal/qsbr.h */
#include <stdlib.h>
#include "ft_test.h"
#include "internal/qsbr.h"
#include "mem/heap.h"

typedef struct reader {
    _Atomic int xstarted, xrelease;
    uint64_t waited;   /* released too once a barrier waits past this */
} reader;

/* An attached thread that passes no checkpoint until released, or until
 * a barrier starts to wait: frees made meanwhile stay pending. nogil only
 * (in gil it would keep the GIL). */
static void slow_reader(void *arg)
{
    reader *r = arg;
    atomic_store(&r->xstarted, 1);
    while (!atomic_load(&r->xrelease) && _ft_qsbr_barriers_waited() == r->waited)
        ;   /* a long read-side section: no checkpoint */
    for (int i = 0; i < 4 * FT_QSBR_PERIOD; i++)
        ft_checkpoint();
}

static ft_thread *start_reader(reader *r)
{
    r->waited = _ft_qsbr_barriers_waited();
    ft_thread *t = ft_thread_start(slow_reader, r);
    assert_non_null(t);
    while (!atomic_load(&r->xstarted))
        ft_checkpoint();
    return t;
}

static uint64_t waiting_pools(ft_heap *h)
{
    return ft_atomic_load_relaxed(&h->xpools_waiting);
}

/* Objects of one size class, enough to fill (and then empty) 3 pools. */
enum { OBJ_SIZE = 48, N_OBJS = 3 * (16384 - 64) / OBJ_SIZE };

static void alloc_free_pools(ft_heap *h)
{
    void **b = malloc(N_OBJS * sizeof *b);
    assert_non_null(b);
    for (size_t i = 0; i < N_OBJS; i++)
        assert_non_null(b[i] = _ft_heap_alloc_small(h, OBJ_SIZE));
    for (size_t i = 0; i < N_OBJS; i++)
        _ft_heap_free_small(h, b[i]);
    free(b);
}

/* Alone: deferred frees are done at once, emptied object pools go back to
 * their arena at once, and a barrier does not wait. */
static void test_alone_nothing_waits(void **state)
{
    (void)state;
    uint64_t waited = _ft_qsbr_barriers_waited();
    for (int i = 0; i < 100; i++)
        _ft_qsbr_free(ft_malloc(64));
    assert_int_equal(_ft_qsbr_frees_pending(), 0);
    ft_heap *h = &_ft_heaps_current()->heaps[FT_HEAP_OBJECT];
    uint64_t before = waiting_pools(h);
    alloc_free_pools(h);
    assert_int_equal(waiting_pools(h), before);
    ft_object *l = ft_list_new(0);   /* its array is replaced as it grows */
    for (int i = 0; i < 10000; i++)
        assert_int_equal(ft_list_append(l, ft_none()), 0);
    ft_decref(l);
    _ft_qsbr_barrier();
    ft_mem_collect();
    assert_int_equal(_ft_qsbr_barriers_waited(), waited);
    assert_int_equal(_ft_qsbr_frees_pending(), 0);
}

/* Another thread registered: a free waits for it, and the barrier waits
 * (once) for the free; the reader goes on only once the barrier waits, so
 * the free is still in flight when the barrier looks. */
static void test_barrier_waits_for_requests_in_flight(void **state)
{
    (void)state;
    if (!FT_NOGIL)
        skip();   /* gil: nothing waits (test_alone_nothing_waits) */
    reader r = { 0 };
    ft_thread *t = start_reader(&r);
    uint64_t waited = _ft_qsbr_barriers_waited();
    _ft_qsbr_free(ft_malloc(64));
    assert_int_equal(_ft_qsbr_frees_pending(), 1);   /* the reader may read it */
    _ft_qsbr_barrier();
    assert_int_equal(_ft_qsbr_frees_pending(), 0);
    assert_int_equal(_ft_qsbr_barriers_waited(), waited + 1);
    _ft_qsbr_barrier();   /* nothing left in flight */
    assert_int_equal(_ft_qsbr_barriers_waited(), waited + 1);
    assert_int_equal(ft_thread_join(t), 0);
}

/* ft_fini right after frees and emptied pools that wait for a grace
 * period: it frees them all (leak report zero, nothing pending, every
 * arena unmapped) with at most one real barrier. */
static void test_fini_frees_what_waits(void **state)
{
    (void)state;
    reader r = { 0 };
    ft_thread *t = FT_NOGIL ? start_reader(&r) : NULL;
    for (int i = 0; i < 100; i++)
        _ft_qsbr_free(ft_malloc(64));
    ft_heap *h = &_ft_heaps_current()->heaps[FT_HEAP_OBJECT];
    alloc_free_pools(h);
    if (t) {
        assert_int_equal(_ft_qsbr_frees_pending(), 100);
        assert_true(waiting_pools(h) >= 2);   /* all but the one kept (K) */
        atomic_store(&r.xrelease, 1);
        assert_int_equal(ft_thread_join(t), 0);
    }
    uint64_t waited = _ft_qsbr_barriers_waited();
    ft_test_fini_clean();
    assert_true(_ft_qsbr_barriers_waited() - waited <= 1);
    assert_int_equal(_ft_qsbr_frees_pending(), 0);
    assert_int_equal(ft_atomic_load_relaxed(&_ft_arena_counters.xcurrent), 0);
}

/* A single-threaded run ends without waiting at all. */
static void test_fini_alone_does_not_wait(void **state)
{
    (void)state;
    uint64_t waited = _ft_qsbr_barriers_waited();
    ft_object *d = ft_dict_new();
    for (int i = 0; i < 2000; i++) {   /* tables replaced as it grows */
        ft_object *k = ft_int_from_i64(1000000 + i), *l = ft_list_new(0);
        assert_int_equal(ft_dict_set(d, k, l), 0);
        ft_decref(k);
        ft_decref(l);
    }
    ft_decref(d);
    ft_test_fini_clean();
    assert_int_equal(_ft_qsbr_barriers_waited(), waited);
    assert_int_equal(_ft_qsbr_frees_pending(), 0);
    assert_int_equal(ft_atomic_load_relaxed(&_ft_arena_counters.xcurrent), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_alone_nothing_waits),
        T(test_barrier_waits_for_requests_in_flight),
        T(test_fini_frees_what_waits),
        T(test_fini_alone_does_not_wait),
    };
    return ft_test_run(tests);
}
