/* stress_elide.c — the owner's elided list sections against the first
 * locks of other threads (ftlab/refcount.h, "Critical sections on
 * objects", invariant E), for a bounded time.
 *
 * Each round, an owner thread makes a list, fills it with BASE items and
 * then keeps appending to it and overwriting its first BASE slots — in
 * elided sections while nobody else has locked the list. As soon as the
 * list exists it hands the bare pointer to WRITERS other threads through
 * a C global, not through a container (nothing marks the list: exactly
 * the hand-over the settle protocol exists for). They append and
 * overwrite too, and read; so the settle that their first write makes
 * runs while the owner is in the middle of its own.
 *
 * Every append is counted by the thread that made it: a lost update (two
 * appends into one slot, which an elided section racing a locked one
 * would produce) shows as a length below BASE + the appends. Every item
 * encodes its writer and is checked when read and at the end. Workers
 * record with ft_worker_check; the main thread asserts after joining.
 * Run under TSan by `make test` (a race of the owner's stores with a
 * non-owner's would be reported), and under ASan and every allocator.
 */
#include <stdio.h>
#include <stdlib.h>
#include "ft_test.h"

enum { RUN_MS = 400, MIN_ROUNDS = 200, BASE = 16, OPS = 300, WRITERS = 2 };

typedef struct round_state {
    _Atomic(ft_object *) xlist;   /* published by the owner (release) */
    _Atomic int xwriters_done;
    _Atomic long xappends;        /* by every thread                  */
    uint64_t seed;
} round_state;

/* Items are ints tag * 1000 + n: tag 1 the owner, 2.. the writers. */
static ft_object *item(int tag, long n)
{
    return ft_int_from_i64((int64_t)tag * 1000 + n % 1000);
}

static bool item_ok(ft_object *o)
{
    if (!ft_worker_check(o != NULL))
        return false;
    int64_t v = ft_int_as_i64(o);
    return ft_worker_check(v >= 1000 && v < (WRITERS + 2) * 1000);
}

static bool append_item(ft_object *l, int tag, long n, round_state *r)
{
    ft_object *v = item(tag, n);
    bool ok = ft_worker_check(v && ft_list_append(l, v) == 0);
    ft_decref(v);
    if (ok)
        atomic_fetch_add_explicit(&r->xappends, 1, memory_order_relaxed);
    return ok;
}

static bool set_item(ft_object *l, ssize_t i, int tag, long n)
{
    ft_object *v = item(tag, n);
    bool ok = ft_worker_check(v && ft_list_set(l, i, v) == 0);
    ft_decref(v);
    return ok;
}

/* One thread's work on the round's list: appends, overwrites and reads,
 * mixed by a per-thread generator. */
static void work(ft_object *l, int tag, uint64_t seed, round_state *r)
{
    for (long n = 0; n < OPS; n++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        unsigned pick = (unsigned)(seed >> 33);
        bool ok;
        if (pick % 3 == 0) {
            ok = append_item(l, tag, n, r);
        } else if (pick % 3 == 1) {
            ok = set_item(l, (ssize_t)(pick / 3 % BASE), tag, n);
        } else {
            ft_object *o = ft_list_get(l, (ssize_t)(pick / 3 % BASE));
            ok = item_ok(o);
            ft_xdecref(o);
        }
        if (!ok)
            return;
    }
}

static void owner(void *arg)
{
    round_state *r = arg;
    ft_object *l = ft_list_new(0);
    if (!ft_worker_check(l != NULL))
        return;
    for (long n = 0; n < BASE; n++)
        if (!append_item(l, 1, n, r))
            return;
    /* release: the writers see the filled list. The owner keeps its own
     * reference; the main thread takes it over after the round. */
    ft_atomic_store_release(&r->xlist, l);
    work(l, 1, r->seed, r);
}

static void writer(void *arg)
{
    round_state *r = arg;
    ft_object *l;
    /* acquire: pairs with the owner's publication. */
    while (!(l = ft_atomic_load_acquire(&r->xlist)))
        ft_checkpoint();
    int tag = 2 + atomic_fetch_add_explicit(&r->xwriters_done, 1, memory_order_relaxed);
    work(l, tag, r->seed ^ (uint64_t)tag * 0x9e3779b97f4a7c15u, r);
}

/* Checks the round's list after every thread joined. */
static void check_round(round_state *r)
{
    ft_object *l = ft_atomic_load_acquire(&r->xlist);
    assert_non_null(l);
    long appends = atomic_load_explicit(&r->xappends, memory_order_relaxed);
    assert_int_equal(ft_len(l), appends);   /* BASE of them by the owner */
    for (ssize_t i = 0; i < ft_len(l); i++) {
        ft_object *o = ft_list_get(l, i);
        assert_non_null(o);
        int64_t v = ft_int_as_i64(o);
        assert_true(v >= 1000 && v < (WRITERS + 2) * 1000);
        ft_decref(o);
    }
    /* Written by other threads: settled, whether or not the owner elided
     * first (0 where nothing is ever elided). */
    unsigned st = _ft_object_elide_state(l);
    if (st)
        assert_true(st & FT_OBJ_SETTLED);
    ft_decref(l);
}

static void test_owner_and_writers(void **state)
{
    (void)state;
    unsigned ms = ft_test_run_ms(RUN_MS);
    uint64_t seed = ft_test_seed(), start = ft_test_now_ns();
    uint64_t min_rounds = FT_TEST_MIN_OPS(MIN_ROUNDS);
    uint64_t rounds = 0;
    int64_t before = ft_test_live_objects();
    while (ft_test_keep_running(start, ms, rounds, min_rounds)) {
        round_state r = { .seed = seed + rounds };
        ft_thread *t[WRITERS + 1];
        t[0] = ft_thread_start(owner, &r);
        for (int i = 1; i <= WRITERS; i++)
            t[i] = ft_thread_start(writer, &r);
        for (int i = 0; i <= WRITERS; i++) {
            assert_non_null(t[i]);
            assert_int_equal(ft_thread_join(t[i]), 0);
        }
        ft_test_assert_workers_ok();
        check_round(&r);
        rounds++;
    }
    ft_test_assert_ops("rounds", rounds, min_rounds);
    printf("stress_elide: %llu rounds\n", (unsigned long long)rounds);
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_owner_and_writers),
    };
    return ft_test_run(tests);
}
