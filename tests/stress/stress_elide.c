/* stress_elide.c — the owner's elided list sections against the first
 * locks of other threads (ftlab/refcount.h, "Critical sections on
 * objects", invariant E), for a bounded time.
 *
 * Each round, an owner thread makes a list, fills it with BASE items and
 * then keeps appending to it, overwriting its first BASE slots and
 * editing ranges past them (extend, insert and pop) — in elided sections
 * while nobody else has locked the list. As soon as the
 * list exists it hands the bare pointer to WRITERS other threads through
 * a C global, not through a container (nothing marks the list: exactly
 * the hand-over the settle protocol exists for). They append and
 * overwrite too, and read; so the settle that their first write makes
 * runs while the owner is in the middle of its own.
 *
 * Every append is counted by the thread that made it: a lost update (two
 * appends into one slot, which an elided section racing a locked one
 * would produce) shows as a length below BASE + the appends. A second
 * test does the same with a dict and str keys (a store with a str key is
 * elidable too): owner and writers store into a table that grows under
 * them, and every key stored must be there at the end, with a value one
 * of the threads stored. Every item
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

/* After a round: an item every thread may have stored. */
static void assert_item(ft_object *o)
{
    assert_non_null(o);
    int64_t v = ft_int_as_i64(o);
    assert_true(v >= 1000 && v < (WRITERS + 2) * 1000);
    ft_decref(o);
}

/* Written by other threads: settled, whether or not the owner elided
 * first (0 where nothing is ever elided). */
static void assert_settled(ft_object *c)
{
    unsigned st = _ft_object_elide_state(c);
    if (st)
        assert_true(st & FT_OBJ_SETTLED);
}

/* One round's threads: the owner and WRITERS writers, joined. */
static void run_threads(void (*own)(void *), void (*write)(void *), void *arg)
{
    ft_thread *t[WRITERS + 1];
    t[0] = ft_thread_start(own, arg);
    for (int i = 1; i <= WRITERS; i++)
        t[i] = ft_thread_start(write, arg);
    for (int i = 0; i <= WRITERS; i++) {
        assert_non_null(t[i]);
        assert_int_equal(ft_thread_join(t[i]), 0);
    }
    ft_test_assert_workers_ok();
}

/* Rounds for the test's time (at least MIN_ROUNDS); nothing leaks. */
static void run_rounds(const char *what, void (*round)(uint64_t seed))
{
    unsigned ms = ft_test_run_ms(RUN_MS);
    uint64_t seed = ft_test_seed(), start = ft_test_now_ns();
    uint64_t min_rounds = FT_TEST_MIN_OPS(MIN_ROUNDS);
    uint64_t rounds = 0;
    int64_t before = ft_test_live_objects();
    while (ft_test_keep_running(start, ms, rounds, min_rounds)) {
        round(seed + rounds);
        rounds++;
    }
    ft_test_assert_ops("rounds", rounds, min_rounds);
    printf("stress_elide (%s): %llu rounds\n", what, (unsigned long long)rounds);
    assert_int_equal(ft_test_live_objects(), before);
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

/* Range edits (elidable too, list.c): an extend by two counts two
 * appends; an insert past the first BASE slots and a pop of the last
 * item leave the count as it was (each thread pops only after its own
 * insert, so the list never drops below its appends, and the first
 * BASE slots never move). */
static bool extend_items(ft_object *l, int tag, long n, round_state *r)
{
    ft_object *v[2] = { item(tag, n), item(tag, n + 1) };
    bool ok = ft_worker_check(v[0] && v[1] && ft_list_extend_array(l, v, 2) == 0);
    ft_xdecref(v[0]);
    ft_xdecref(v[1]);
    if (ok)
        atomic_fetch_add_explicit(&r->xappends, 2, memory_order_relaxed);
    return ok;
}

static bool insert_then_pop(ft_object *l, int tag, long n)
{
    ft_object *v = item(tag, n);
    bool ok = ft_worker_check(v && ft_list_insert(l, BASE, v) == 0);
    ft_xdecref(v);
    if (!ok)
        return false;
    ft_object *p = ft_list_pop(l, -1);
    ok = item_ok(p);
    ft_xdecref(p);
    return ok;
}

/* One thread's work on the round's list: appends, overwrites, reads and
 * range edits, mixed by a per-thread generator. */
static void work(ft_object *l, int tag, uint64_t seed, round_state *r)
{
    for (long n = 0; n < OPS; n++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        unsigned pick = (unsigned)(seed >> 33);
        bool ok;
        if (pick % 5 == 0) {
            ok = append_item(l, tag, n, r);
        } else if (pick % 5 == 1) {
            ok = set_item(l, (ssize_t)(pick / 5 % BASE), tag, n);
        } else if (pick % 5 == 2) {
            ok = extend_items(l, tag, n, r);
        } else if (pick % 5 == 3) {
            ok = insert_then_pop(l, tag, n);
        } else {
            ft_object *o = ft_list_get(l, (ssize_t)(pick / 5 % BASE));
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
    for (ssize_t i = 0; i < ft_len(l); i++)
        assert_item(ft_list_get(l, i));
    assert_settled(l);
    ft_decref(l);
}

static void list_round(uint64_t seed)
{
    round_state r = { .seed = seed };
    run_threads(owner, writer, &r);
    check_round(&r);
}

static void test_owner_and_writers(void **state)
{
    (void)state;
    run_rounds("list", list_round);
}

/* ---- Dicts: str-key stores ---------------------------------------------- */

enum { DICT_KEYS = 48 };

typedef struct dict_round {
    _Atomic(ft_object *) xdict;   /* published by the owner (release) */
    _Atomic int xwriters_done;
    ft_object *keys[DICT_KEYS];   /* made by the main thread          */
    uint64_t seed;
} dict_round;

static bool dict_store_item(dict_round *r, ft_object *d, unsigned k, int tag, long n)
{
    ft_object *v = item(tag, n);
    bool ok = ft_worker_check(v && ft_dict_set(d, r->keys[k % DICT_KEYS], v) == 0);
    ft_decref(v);
    return ok;
}

/* Stores every key first (the table grows under the other threads'
 * stores), then stores and reads at random. */
static void dict_work(dict_round *r, ft_object *d, int tag, uint64_t seed)
{
    for (long n = 0; n < OPS; n++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        unsigned pick = (unsigned)(seed >> 33);
        bool ok;
        if (n < DICT_KEYS) {
            ok = dict_store_item(r, d, (unsigned)n, tag, n);
        } else if (pick % 4 != 0) {
            ok = dict_store_item(r, d, pick / 4, tag, n);
        } else {
            ft_object *o = ft_dict_get(d, r->keys[pick / 4 % DICT_KEYS]);
            ok = o ? item_ok(o) : ft_worker_check(ft_err_kind() == FT_ERR_KEY);
            ft_err_clear();
            ft_xdecref(o);
        }
        if (!ok)
            return;
    }
}

static void dict_owner(void *arg)
{
    dict_round *r = arg;
    ft_object *d = ft_dict_new();
    if (!ft_worker_check(d != NULL) || !dict_store_item(r, d, 0, 1, 0))
        return;
    /* release: the writers see the dict's first entry. The main thread
     * takes over the owner's reference after the round. */
    ft_atomic_store_release(&r->xdict, d);
    dict_work(r, d, 1, r->seed);
}

static void dict_writer(void *arg)
{
    dict_round *r = arg;
    ft_object *d;
    /* acquire: pairs with the owner's publication. */
    while (!(d = ft_atomic_load_acquire(&r->xdict)))
        ft_checkpoint();
    int tag = 2 + atomic_fetch_add_explicit(&r->xwriters_done, 1, memory_order_relaxed);
    dict_work(r, d, tag, r->seed ^ (uint64_t)tag * 0x9e3779b97f4a7c15u);
}

/* Every thread stored every key (its first DICT_KEYS operations), so
 * every key is there, once, with a value one of them stored. */
static void check_dict_round(dict_round *r)
{
    ft_object *d = ft_atomic_load_acquire(&r->xdict);
    assert_non_null(d);
    assert_int_equal(ft_len(d), DICT_KEYS);
    for (int k = 0; k < DICT_KEYS; k++)
        assert_item(ft_dict_get(d, r->keys[k]));
    assert_settled(d);
    ft_decref(d);
}

static void dict_round_run(uint64_t seed)
{
    dict_round r = { .seed = seed };
    char name[16];
    for (int k = 0; k < DICT_KEYS; k++) {
        snprintf(name, sizeof name, "key%d", k);
        r.keys[k] = ft_str_from_utf8(name, -1);
        assert_non_null(r.keys[k]);
    }
    run_threads(dict_owner, dict_writer, &r);
    check_dict_round(&r);
    for (int k = 0; k < DICT_KEYS; k++)
        ft_decref(r.keys[k]);
}

static void test_dict_owner_and_writers(void **state)
{
    (void)state;
    run_rounds("dict", dict_round_run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_owner_and_writers),
        T(test_dict_owner_and_writers),
    };
    return ft_test_run(tests);
}
