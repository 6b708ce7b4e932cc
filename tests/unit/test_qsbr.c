/* test_qsbr.c — deferred frees wait for every attached thread to pass a
 * quiescent state, and only for attached threads (nogil); the gil build
 * frees at once. A deferred block stops counting in ft_mem_get_stats at
 * once, in every flavor; _ft_qsbr_frees_pending shows its memory wait. */
#define FT_BUILD_CORE 1   /* white-box: internal/qsbr.h */
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"
#include "internal/qsbr.h"
#include "mem/heap.h"

static int64_t live_blocks(void)
{
    ft_mem_stats st;
    ft_mem_get_stats(&st);
    return st.live_blocks;
}

/* Waits (detached) up to timeout_ms for every deferred free to be
 * released. */
static bool frees_released(unsigned timeout_ms)
{
    bool ok = false;
    FT_BEGIN_ALLOW_THREADS
    for (unsigned i = 0; i < timeout_ms && !ok; i++) {
        ok = _ft_qsbr_frees_pending() == 0;
        if (!ok)
            ft_test_sleep_ms(1);
    }
    FT_END_ALLOW_THREADS
    return ok;
}

static void test_deferred_free_happens(void **state)
{
    (void)state;
    int64_t before = live_blocks();
    for (int i = 0; i < 100; i++) {
        _ft_qsbr_free(ft_malloc(64));
        assert_int_equal(live_blocks(), before);   /* uncounted at once */
    }
    _ft_qsbr_barrier();
    assert_int_equal(_ft_qsbr_frees_pending(), 0);
    assert_int_equal(live_blocks(), before);
    _ft_qsbr_free(NULL);   /* allowed, like ft_free(NULL) */
}

typedef struct reader {
    _Atomic int xstarted, xrelease, xdone;
} reader;

/* An attached thread that does not pass a checkpoint until released. */
static void slow_reader(void *arg)
{
    reader *r = arg;
    atomic_store(&r->xstarted, 1);
    while (!atomic_load(&r->xrelease))
        ;   /* a long read-side section: no checkpoint */
    for (int i = 0; i < 4 * FT_QSBR_PERIOD; i++)
        ft_checkpoint();
    atomic_store(&r->xdone, 1);
}

static void test_grace_period_waits_for_attached_reader(void **state)
{
    (void)state;
    if (!FT_NOGIL)
        skip();   /* the gil build frees at once: no readers to wait for */
    reader r = { 0 };
    ft_thread *t = ft_thread_start(slow_reader, &r);
    while (!atomic_load(&r.xstarted))
        ft_checkpoint();
    int64_t before = live_blocks();
    void *block = ft_malloc(64);
    _ft_qsbr_free(block);
    assert_int_equal(live_blocks(), before);   /* freed, for the program */
    /* Our own quiescent states, as many as it takes: still not enough,
     * the reader has not passed one. */
    for (int i = 0; i < 4 * FT_QSBR_PERIOD; i++)
        ft_checkpoint();
    assert_false(frees_released(100));
    atomic_store(&r.xrelease, 1);
    assert_true(frees_released(5000));   /* it passed one: released */
    assert_int_equal(live_blocks(), before);
    assert_int_equal(ft_thread_join(t), 0);
}

static void sleeper(void *arg)
{
    reader *r = arg;
    FT_BEGIN_ALLOW_THREADS
    atomic_store(&r->xstarted, 1);
    while (!atomic_load(&r->xrelease))
        ft_test_sleep_ms(1);
    FT_END_ALLOW_THREADS
}

/* A detached thread is no reader: with the only other thread asleep
 * outside the runtime (or waiting in ft_thread_join), a deferred free
 * takes effect at once, as when alone, instead of waiting ~10 ms for
 * liburcu's call_rcu thread. */
static void test_detached_thread_is_no_reader(void **state)
{
    (void)state;
    _ft_qsbr_barrier();
    assert_int_equal(_ft_qsbr_frees_pending(), 0);
    reader r = { 0 };
    ft_thread *t = ft_thread_start(sleeper, &r);
    while (!atomic_load(&r.xstarted))
        ft_checkpoint();
    _ft_qsbr_free(ft_malloc(64));
    assert_int_equal(_ft_qsbr_frees_pending(), 0);   /* not deferred */
    atomic_store(&r.xrelease, 1);
    assert_int_equal(ft_thread_join(t), 0);
}

/* ---- Deferred decrefs (ft_decref_later) ---------------------------------- */

/* Alone, and in the gil build, the reference goes at once: a
 * single-threaded program sees objects die when they did before. */
static void test_decref_later_alone_is_at_once(void **state)
{
    (void)state;
    ft_object *l = ft_list_new(0);
    ft_incref(l);
    assert_int_equal(ft_refcnt(l), 2);
    ft_decref_later(l);
    assert_int_equal(ft_refcnt(l), 1);
    ft_decref_later(NULL);   /* allowed, like ft_xdecref */
    ft_decref(l);
}

/* With another attached thread that has not passed a quiescent state (a
 * reader that may hold a borrowed pointer), the reference stays, however
 * many quiescent states we pass; once the reader passes one, a checkpoint
 * or the flush drops it. (The gil build drops it at once: the test
 * above.) */
static void test_decref_later_waits_for_reader(void **state)
{
    (void)state;
    if (!FT_NOGIL)
        skip();   /* a reader without checkpoints would keep the GIL */
    /* No collection: its stop-the-world would wait for the spinning
     * reader (FT_GC_STRESS schedules one at every tracked allocation). */
    ft_gc_disable();
    reader r = { 0 };
    ft_thread *t = ft_thread_start(slow_reader, &r);
    while (!atomic_load(&r.xstarted))
        ft_checkpoint();
    ft_object *l = ft_list_new(0);
    ft_incref(l);
    ft_decref_later(l);
    for (int i = 0; i < 4 * FT_QSBR_PERIOD; i++)
        ft_checkpoint();
    ft_test_sleep_ms(20);
    for (int i = 0; i < 4 * FT_QSBR_PERIOD; i++)
        ft_checkpoint();
    assert_int_equal(ft_refcnt(l), 2);   /* the reader may still use it */
    atomic_store(&r.xrelease, 1);
    ft_decref_later_flush();
    /* The reader may have dropped it at its quiescent state: a decref by
     * a non-owner that our checkpoint merges (biased counting). */
    ft_checkpoint();
    assert_int_equal(ft_refcnt(l), 1);
    assert_int_equal(ft_thread_join(t), 0);
    ft_decref(l);
    ft_gc_enable();
}

/* An attached thread that passes checkpoints until released: a reader
 * that holds each grace period up until its next quiescent state. */
static void busy(void *arg)
{
    reader *r = arg;
    atomic_store(&r->xstarted, 1);
    while (!atomic_load(&r->xrelease))
        ft_checkpoint();
}

/* The last reference handed in frees the object after the grace period,
 * on an attached thread; many in flight at once are all dropped, and
 * ft_fini (the teardown's leak check) waits for those still pending. */
static void test_decref_later_frees(void **state)
{
    (void)state;
    reader r = { 0 };
    ft_thread *t = ft_thread_start(busy, &r);   /* not alone: deferred */
    while (!atomic_load(&r.xstarted))
        ft_checkpoint();
    ft_object *keep = ft_list_new(0);
    for (int i = 0; i < 1000; i++) {
        ft_object *l = ft_list_new(0);
        assert_int_equal(ft_list_append(l, keep), 0);
        ft_decref_later(l);
    }
    ft_decref_later_flush();
    for (int i = 0; i < 100; i++)
        ft_decref_later(ft_list_new(0));    /* left for ft_fini */
    atomic_store(&r.xrelease, 1);
    assert_int_equal(ft_thread_join(t), 0);
    /* The other thread may have dropped some of the lists at its own
     * quiescent states, and the flush does not wait for a drain running
     * elsewhere: their non-owner decrefs reach us, merged here. */
    ft_checkpoint();
    assert_int_equal(ft_refcnt(keep), 1);   /* every list died */
    ft_decref(keep);
}

/* ---- Type-stable object memory (mem/obmalloc.h, T1-T2) ------------------- */

enum { OBJ_CLASS_SIZE = 48, OTHER_SIZE = 256, POOLS = 3 };

static size_t per_pool(size_t size) { return (16384 - 64) / size; }

static uint64_t waiting_pools(ft_heap *h)
{
    return ft_atomic_load_relaxed(&h->xpools_waiting);
}

static bool is_waiting(void *block)
{
    return _ft_pool_of(block)->state == FT_POOL_WAITING;
}

/* Waits (detached) up to timeout_ms for h's safe epoch to move past `was`. */
static bool safe_epoch_moves(ft_heap *h, uint64_t was, unsigned timeout_ms)
{
    bool moved = false;
    FT_BEGIN_ALLOW_THREADS
    for (unsigned i = 0; i < timeout_ms && !moved; i++) {
        moved = ft_atomic_load_acquire(&h->xsafe_epoch) != was;
        if (!moved)
            ft_test_sleep_ms(1);
    }
    FT_END_ALLOW_THREADS
    return moved;
}

/* Is p's pool the pool of one of blocks[0, n)? */
static bool pool_among(void *p, void **blocks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (_ft_pool_of(blocks[i]) == _ft_pool_of(p))
            return true;
    return false;
}

static void **heap_alloc_many(ft_heap *h, size_t size, size_t n)
{
    void **b = malloc(n * sizeof *b);
    for (size_t i = 0; i < n; i++)
        assert_non_null(b[i] = _ft_heap_alloc_small(h, size));
    return b;
}

static void heap_free_many(ft_heap *h, void **b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        _ft_heap_free_small(h, b[i]);
    free(b);
}

/* Pools of the OBJECT heap emptied while an attached reader has not
 * passed a quiescent state are neither re-carved for another size class
 * nor returned to their arena, but are re-carved for their own class;
 * once the reader has passed one, they come back. The gil build (no
 * lock-free readers) returns them at once. */
static void test_emptied_object_pool_waits_for_grace_period(void **state)
{
    (void)state;
    ft_heap *h = &_ft_heaps_current()->heaps[FT_HEAP_OBJECT];
    reader r = { 0 };
    ft_thread *t = FT_NOGIL ? ft_thread_start(slow_reader, &r) : NULL;
    while (t && !atomic_load(&r.xstarted))
        ft_checkpoint();
    uint64_t before = waiting_pools(h), safe = ft_atomic_load_acquire(&h->xsafe_epoch);
    size_t n = POOLS * per_pool(OBJ_CLASS_SIZE);
    void **objs = heap_alloc_many(h, OBJ_CLASS_SIZE, n);
    void **old = malloc(n * sizeof *old);
    memcpy(old, objs, n * sizeof *old);          /* addresses only */
    heap_free_many(h, objs, n);
    if (!FT_NOGIL) {
        assert_int_equal(waiting_pools(h), before);   /* returned at once */
        free(old);
        return;
    }
    /* All but the one kept for the class (invariant K) wait. */
    assert_true(waiting_pools(h) >= before + POOLS - 1);
    size_t m = POOLS * per_pool(OTHER_SIZE);
    void **other = heap_alloc_many(h, OTHER_SIZE, m);
    for (size_t i = 0; i < m; i++)
        assert_false(is_waiting(other[i]) || pool_among(other[i], old, n));
    /* The class itself re-carves a waiting pool once the kept one is full. */
    size_t k = per_pool(OBJ_CLASS_SIZE) + 1;
    uint64_t waiting = waiting_pools(h);
    void **again = heap_alloc_many(h, OBJ_CLASS_SIZE, k);
    assert_true(pool_among(again[k - 1], old, n));
    assert_int_equal(waiting_pools(h), waiting - 1);
    for (int i = 0; i < 4 * FT_QSBR_PERIOD; i++)
        ft_checkpoint();
    assert_false(safe_epoch_moves(h, safe, 50));   /* the reader holds them */
    atomic_store(&r.xrelease, 1);
    assert_true(safe_epoch_moves(h, safe, 5000));
    assert_int_equal(ft_thread_join(t), 0);
    heap_free_many(h, other, m);
    heap_free_many(h, again, k);
    ft_mem_collect();                          /* waits, returns them all */
    assert_int_equal(waiting_pools(h), 0);
    assert_false(_ft_obmalloc_owns(old[0]) && is_waiting(old[0]));
    assert_true(_ft_heap_validate(h));
    free(old);
}

/* A shared object that does not live in such pools (a tuple over 512
 * bytes) stops counting as an object and as a block when it dies, but its
 * block goes back to the allocator only after the grace period. */
static void test_shared_big_object_freed_after_grace_period(void **state)
{
    (void)state;
    ft_object *l = ft_list_new(1), *big = ft_tuple_new(100);
    for (ssize_t i = 0; i < 100; i++)
        ft_tuple_set_steal(big, i, ft_int_from_i64(i));   /* immortal ints */
    assert_true(ft_sizeof(big) > 512);
    assert_int_equal(ft_list_set(l, 0, big), 0);   /* marked shared */
    ft_decref(big);
    reader r = { 0 };
    ft_thread *t = FT_NOGIL ? ft_thread_start(slow_reader, &r) : NULL;
    while (t && !atomic_load(&r.xstarted))
        ft_checkpoint();
    int64_t objects = ft_test_live_objects(), blocks = live_blocks();
    assert_int_equal(ft_list_set(l, 0, ft_none()), 0);   /* big dies */
    assert_int_equal(ft_test_live_objects(), objects - 1);
    assert_int_equal(live_blocks(), blocks - 1);
    if (t) {
        assert_false(frees_released(100));
        atomic_store(&r.xrelease, 1);
        assert_int_equal(ft_thread_join(t), 0);
    }
    assert_true(frees_released(5000));
    ft_decref(l);
}

/* ---- Readers do not take the lock (nogil) -------------------------------- */

typedef struct lock_holder {
    ft_object *obj;
    _Atomic int xlocked, xrelease;
} lock_holder;

/* Holds obj's lock until released (at most 2 s). */
static void hold_lock(void *arg)
{
    lock_holder *h = arg;
    FT_BEGIN_CRITICAL_SECTION_OBJ(h->obj)
    atomic_store(&h->xlocked, 1);
    uint64_t end = ft_test_now_ns() + 2000000000ull;
    while (!atomic_load(&h->xrelease) && ft_test_now_ns() < end)
        ;
    FT_END_CRITICAL_SECTION()
}

/* Reads c[key] (an int) while another thread holds c's lock; fails if the
 * read waited for the lock. */
static int64_t read_while_locked(ft_object *c, ft_object *key)
{
    lock_holder h = { .obj = c };
    ft_thread *t = ft_thread_start(hold_lock, &h);
    while (!atomic_load(&h.xlocked))
        ft_checkpoint();
    ft_lockfree_counts before = _ft_lockfree_counts;
    uint64_t t0 = ft_test_now_ns();
    ft_object *v = ft_type_of(c) == &ft_list_type
                 ? ft_list_get(c, ft_int_as_i64(key)) : ft_dict_get(c, key);
    bool waited = ft_test_now_ns() - t0 > 1000000000ull;
    atomic_store(&h.xrelease, 1);
    assert_int_equal(ft_thread_join(t), 0);
    assert_false(waited);
    if (_ft_lockfree_hits_counted())
        assert_int_equal(_ft_lockfree_counts.hits - before.hits, 1);
    assert_int_equal(_ft_lockfree_counts.fallbacks, before.fallbacks);
    int64_t r = ft_int_as_i64(v);
    ft_decref(v);
    return r;
}

/* ft_list_get and ft_dict_get (str key) answer while another thread holds
 * the container's lock. */
static void test_readers_do_not_wait_for_the_lock(void **state)
{
    (void)state;
    if (!_ft_qsbr_lockfree_reads())
        skip();   /* gil: one thread at a time, reads are plain */
    ft_object *l = ft_list_new(0), *d = ft_dict_new();
    ft_object *k = ft_str_from_utf8("key", -1), *k2 = ft_str_from_utf8("key", -1);
    ft_object *v = ft_int_from_i64(4242), *one = ft_int_from_i64(1);
    assert_int_equal(ft_list_append(l, k), 0);
    assert_int_equal(ft_list_append(l, v), 0);
    assert_int_equal(ft_dict_set(d, k, v), 0);
    assert_int_equal(read_while_locked(l, one), 4242);
    assert_int_equal(read_while_locked(d, k2), 4242);
    ft_object *objs[] = { l, d, k, k2, v, one };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_deferred_free_happens),
        T(test_grace_period_waits_for_attached_reader),
        T(test_detached_thread_is_no_reader),
        T(test_decref_later_alone_is_at_once),
        T(test_decref_later_waits_for_reader),
        T(test_decref_later_frees),
        T(test_emptied_object_pool_waits_for_grace_period),
        T(test_shared_big_object_freed_after_grace_period),
        T(test_readers_do_not_wait_for_the_lock),
    };
    return ft_test_run(tests);
}
