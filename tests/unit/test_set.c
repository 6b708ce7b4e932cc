/* test_set.c — sets: add, contains, discard, growth and deletion markers
 * against a reference model, numeric key equality, refcounts, errors. */
#include <stdlib.h>
#include "ft_test.h"

static void test_basics(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *s = ft_set_new();
    ft_object *k = ft_int_from_i64(123456789);
    assert_int_equal(ft_set_add(s, k), 1);
    assert_int_equal(ft_set_add(s, k), 0);          /* already there */
    assert_int_equal(ft_refcnt(k), 2);              /* the set holds one */
    ft_object *f = ft_float_from_double(123456789.0);
    assert_int_equal(ft_set_contains(s, f), 1);     /* 123456789 == 123456789.0 */
    assert_int_equal(ft_set_add(s, f), 0);
    assert_int_equal(ft_len(s), 1);
    assert_int_equal(ft_set_discard(s, f), 1);
    assert_int_equal(ft_set_discard(s, f), 0);
    assert_int_equal(ft_refcnt(k), 1);
    assert_int_equal(ft_len(s), 0);
    ft_decref(f);
    ft_decref(k);
    ft_decref(s);
    assert_int_equal(ft_test_live_objects(), before);
}

/* Random adds and discards of 0..999 checked against a bitmap, through
 * several resizes and many deletion markers. */
static void test_against_model(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *s = ft_set_new();
    bool model[1000] = { false };
    unsigned seed = (unsigned)ft_test_seed();
    size_t count = 0;
    for (int step = 0; step < 20000; step++) {
        int v = rand_r(&seed) % 1000;
        ft_object *key = ft_int_from_i64(100000 + v);
        if (rand_r(&seed) % 3) {
            assert_int_equal(ft_set_add(s, key), !model[v]);
            count += !model[v];
            model[v] = true;
        } else {
            assert_int_equal(ft_set_discard(s, key), model[v]);
            count -= model[v];
            model[v] = false;
        }
        ft_decref(key);
    }
    assert_int_equal(ft_len(s), (ssize_t)count);
    for (int v = 0; v < 1000; v++) {
        ft_object *key = ft_int_from_i64(100000 + v);
        assert_int_equal(ft_set_contains(s, key), model[v]);
        ft_decref(key);
    }
    assert_true(ft_sizeof(s) > 1000 * 16);   /* the table grew */
    ft_decref(s);
    assert_int_equal(ft_test_live_objects(), before);
}

static void test_tuple_keys(void **state)
{
    (void)state;
    ft_object *s = ft_set_new();
    ft_object *a = ft_tuple_new(2), *b = ft_tuple_new(2);
    ft_tuple_set_steal(a, 0, ft_int_from_i64(1));
    ft_tuple_set_steal(a, 1, ft_int_from_i64(2));
    ft_tuple_set_steal(b, 0, ft_float_from_double(1.0));
    ft_tuple_set_steal(b, 1, ft_int_from_i64(2));
    assert_int_equal(ft_set_add(s, a), 1);
    assert_int_equal(ft_set_contains(s, b), 1);   /* (1, 2) == (1.0, 2) */
    ft_decref(a);
    ft_decref(b);
    ft_decref(s);
}

static void test_errors(void **state)
{
    (void)state;
    ft_object *s = ft_set_new();
    ft_object *other = ft_set_new();
    assert_int_equal(ft_set_add(s, other), -1);   /* a set is unhashable */
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    assert_int_equal(ft_set_contains(s, other), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    assert_int_equal(ft_set_add(ft_none(), ft_none()), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    assert_int_equal(ft_set_add(s, NULL), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    assert_int_equal(ft_set_discard(s, ft_none()), 0);   /* absent: fine */
    ft_decref(other);
    ft_decref(s);
}

typedef struct shared_set {
    ft_object *set;
    int base;
} shared_set;

/* Runs on a worker and on the main thread: it records, never asserts. */
static void add_range(void *arg)
{
    shared_set *w = arg;
    for (int i = 0; i < 5000; i++) {
        ft_object *k = ft_int_from_i64(w->base + i);
        int rc = ft_set_add(w->set, k);
        if (rc != 1)
            ft_worker_fail("ft_set_add(%d) gave %d, not 1 (new key)", w->base + i, rc);
        ft_decref(k);
        if (i % 2 == 0) {
            k = ft_int_from_i64(w->base + i);
            rc = ft_set_discard(w->set, k);
            if (rc != 1)
                ft_worker_fail("ft_set_discard(%d) gave %d, not 1 (present)",
                               w->base + i, rc);
            ft_decref(k);
        }
        if (i % 128 == 0)
            ft_checkpoint();
    }
}

/* Two threads add and discard disjoint ranges in one set: nothing lost. */
static void test_two_threads(void **state)
{
    (void)state;
    ft_object *s = ft_set_new();
    shared_set a = { s, 1000000 }, b = { s, 2000000 };
    ft_thread *t = ft_thread_start(add_range, &a);
    add_range(&b);
    assert_int_equal(ft_thread_join(t), 0);
    ft_test_assert_workers_ok();
    ft_checkpoint();
    assert_int_equal(ft_len(s), 5000);   /* 2 x 2500 odd keys remain */
    ft_object *k = ft_int_from_i64(1000001);
    assert_int_equal(ft_set_contains(s, k), 1);
    ft_decref(k);
    ft_decref(s);
}

/* ---- Python's set operations (ftpy) ---------------------------------------- */

static void add_int(ft_object *s, int64_t v)
{
    ft_object *k = ft_int_from_i64(v);
    assert_true(ft_set_add(s, k) >= 0);
    ft_decref(k);
}

/* Iteration visits each key once, with new references. */
static void test_next(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *s = ft_set_new();
    for (int64_t i = 0; i < 300; i++)
        add_int(s, 100000 + i);
    for (int64_t i = 0; i < 300; i += 3) {
        ft_object *k = ft_int_from_i64(100000 + i);
        assert_int_equal(ft_set_discard(s, k), 1);
        ft_decref(k);
    }
    bool seen[300] = { false };
    ssize_t pos = 0, n = 0;
    ft_object *k;
    while (ft_set_next(s, &pos, &k) == 1) {
        int64_t v = ft_int_as_i64(k) - 100000;
        assert_true(v >= 0 && v < 300 && v % 3 != 0 && !seen[v]);
        seen[v] = true;
        assert_true(ft_refcnt(k) >= 2);
        ft_decref(k);
        n++;
    }
    assert_int_equal(n, 200);
    assert_int_equal(ft_set_next(s, &pos, &k), 0);   /* stays at the end */
    assert_int_equal(ft_set_next(ft_none(), &pos, &k), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    ft_decref(s);
    assert_int_equal(ft_test_live_objects(), before);
}

/* pop empties the set in 20,000 calls (the finger keeps it linear), then
 * raises KeyError; clear and copy. */
static void test_pop_clear_copy(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *s = ft_set_new();
    for (int64_t i = 0; i < 20000; i++)
        add_int(s, 200000 + i);
    ft_object *c = ft_set_copy(s);
    assert_int_equal(ft_len(c), 20000);
    ft_object *k = ft_int_from_i64(219999);
    assert_int_equal(ft_set_contains(c, k), 1);
    ft_decref(k);
    int64_t sum = 0;
    for (int i = 0; i < 20000; i++) {
        ft_object *p = ft_set_pop(s);
        assert_non_null(p);
        sum += ft_int_as_i64(p) - 200000;
        ft_decref(p);
    }
    assert_int_equal(sum, (int64_t)19999 * 20000 / 2);
    assert_null(ft_set_pop(s));
    assert_int_equal(ft_err_kind(), FT_ERR_KEY);
    assert_string_equal(ft_err_message(), "pop from an empty set");
    ft_err_clear();
    assert_int_equal(ft_len(c), 20000);              /* the copy is separate */
    ft_object *t = ft_set_as_tuple(c);
    assert_int_equal(ft_len(t), 20000);
    ft_decref(t);
    assert_int_equal(ft_set_clear(c), 0);
    assert_int_equal(ft_len(c), 0);
    add_int(c, 5);                                   /* usable after clear */
    assert_int_equal(ft_len(c), 1);
    ft_object *cc = ft_set_copy(s);                  /* a copy of an empty set */
    assert_int_equal(ft_len(cc), 0);
    ft_object *e = ft_set_new();
    assert_int_equal(ft_set_clear(e), 0);
    ft_object *ec = ft_set_copy(e);                  /* of a cleared one */
    add_int(ec, 6);
    assert_int_equal(ft_set_contains(ec, ft_int_from_i64(6)), 1);
    ft_object *et = ft_set_as_tuple(e);
    assert_int_equal(ft_len(et), 0);
    ft_object *objs[] = { s, c, cc, e, ec, et };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

typedef struct set_popper {
    ft_object *set;
    int64_t popped;
} set_popper;

static void pop_set_all(void *arg)
{
    set_popper *p = arg;
    ft_object *k;
    for (int i = 0; (k = ft_set_pop(p->set)); i++) {
        ft_decref(k);
        p->popped++;
        if (i % 64 == 0)
            ft_checkpoint();
    }
    ft_worker_check(ft_err_kind() == FT_ERR_KEY);   /* empty, nothing else */
    ft_err_clear();
}

static void test_pop_two_threads(void **state)
{
    (void)state;
    ft_object *s = ft_set_new();
    for (int64_t i = 0; i < 20000; i++)
        add_int(s, 400000 + i);
    set_popper a = { s, 0 }, b = { s, 0 };
    ft_thread *t = ft_thread_start(pop_set_all, &a);
    pop_set_all(&b);
    assert_int_equal(ft_thread_join(t), 0);
    ft_test_assert_workers_ok();
    assert_int_equal(a.popped + b.popped, 20000);
    ft_decref(s);
}

/* The keys in iteration order, as ints, into out; returns how many. */
static int set_order(ft_object *s, int64_t *out, int max)
{
    ssize_t pos = 0;
    ft_object *k;
    int n = 0;
    while (ft_set_next(s, &pos, &k) == 1) {
        if (n < max)
            out[n] = ft_int_as_i64(k);
        n++;
        ft_decref(k);
    }
    return n;
}

/* CPython's table sizes and probes give CPython's iteration order:
 * {9, 2, 5} stays in that order (8 slots), {10, 20, 30, 40, 50} is
 * reordered by a 32-slot table, and 1 and 33 collide in it (33 goes to
 * the next slot). A copy is a merge into an empty set, sized for twice
 * the keys (16 slots here), as CPython's set(b); swap exchanges contents. */
static void test_cpython_order_merge_swap(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    int64_t got[8];
    ft_object *a = ft_set_new();
    add_int(a, 9);
    add_int(a, 2);
    add_int(a, 5);
    assert_int_equal(set_order(a, got, 8), 3);
    assert_int_equal(got[0], 9);
    assert_int_equal(got[1], 2);
    assert_int_equal(got[2], 5);
    ft_object *b = ft_set_new();
    const int64_t keys[] = { 50, 40, 30, 20, 10 }, want[] = { 40, 10, 50, 20, 30 };
    for (int i = 0; i < 5; i++)
        add_int(b, keys[i]);
    assert_int_equal(set_order(b, got, 8), 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(got[i], want[i]);
    ft_object *c = ft_set_copy(b);   /* 16 slots: CPython's set(b) order */
    const int64_t want_copy[] = { 50, 20, 40, 10, 30 };
    assert_int_equal(set_order(c, got, 8), 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(got[i], want_copy[i]);
    assert_int_equal(ft_set_merge(a, b), 0);   /* a |= b */
    assert_int_equal(ft_len(a), 8);
    assert_int_equal(ft_set_merge(a, a), 0);
    assert_int_equal(ft_len(a), 8);
    assert_int_equal(ft_set_swap(a, c), 0);
    assert_int_equal(ft_len(a), 5);
    assert_int_equal(ft_len(c), 8);
    ft_object *d = ft_set_new();
    for (int i = 0; i < 5; i++)
        add_int(d, i == 0 ? 1 : i == 1 ? 33 : 100 + i);
    assert_int_equal(set_order(d, got, 8), 5);
    assert_int_equal(got[0], 1);
    assert_int_equal(got[1], 33);
    assert_int_equal(ft_set_merge(d, ft_none()), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    ft_decref(a);
    ft_decref(b);
    ft_decref(c);
    ft_decref(d);
    assert_int_equal(ft_test_live_objects(), before);
}

/* ---- The owner's sections without the lock (biased nogil) ---------------- */

/* Are sections elided in this build (test_list.c says how)? */
static bool elides(void)
{
    return FT_NOGIL && !FT_RC_ATOMIC && _ft_cs_elide_tls.registered;
}

typedef struct other_adder {
    ft_object *set;
    int rc;
} other_adder;

static void add_from_other(void *arg)
{
    other_adder *w = arg;
    ft_object *k = ft_int_from_i64(-7000);
    w->rc = ft_set_add(w->set, k);
    ft_decref(k);
}

/* The owner's add, contains and discard skip the lock on its own set
 * (FT_OBJ_ELIDED) until another thread locks the set: that thread
 * settles it (LOCKING, then SETTLED), and the owner locks from then on,
 * with the same answers. */
static void test_owner_elides_until_settled(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *s = ft_set_new();
    assert_int_equal(_ft_object_elide_state(s), 0);   /* new: nothing yet */
    for (int64_t v = 0; v < 40; v++)   /* past a few resizes */
        add_int(s, 5000 + v);
    ft_object *k = ft_int_from_i64(5003);
    assert_int_equal(ft_set_contains(s, k), 1);
    assert_int_equal(ft_set_discard(s, k), 1);
    assert_int_equal(ft_set_contains(s, k), 0);
    assert_int_equal(_ft_object_elide_state(s), elides() ? FT_OBJ_ELIDED : 0);
    assert_false(_ft_cs_in_elided_section());   /* every one ended */

    other_adder w = { .set = s, .rc = -1 };
    ft_thread *t = ft_thread_start(add_from_other, &w);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(w.rc, 1);
    unsigned settled = FT_NOGIL && !FT_RC_ATOMIC ? FT_OBJ_LOCKING | FT_OBJ_SETTLED : 0;
    assert_int_equal(_ft_object_elide_state(s), settled | (elides() ? FT_OBJ_ELIDED : 0u));

    /* the owner now locks: same answers */
    assert_int_equal(ft_set_add(s, k), 1);
    assert_int_equal(ft_set_add(s, k), 0);
    ft_object *other = ft_int_from_i64(-7000);
    assert_int_equal(ft_set_contains(s, other), 1);
    assert_int_equal(ft_set_discard(s, other), 1);
    assert_int_equal(ft_len(s), 40);
    ft_decref(other);
    ft_decref(k);
    ft_decref(s);
    assert_int_equal(ft_test_live_objects(), before);
}

/* A key type with a chosen hash whose tp_eq records whether it ran inside
 * an elided section: it must not (a tp_eq may run anything). */
static int64_t probe_hash;
static int probe_eq_calls, probe_eq_elided;

static int64_t probe_key_hash(ft_object *o)
{
    (void)o;
    return probe_hash;
}

static int probe_key_eq(ft_object *a, ft_object *b)
{
    (void)a;
    (void)b;
    probe_eq_calls++;
    if (_ft_cs_in_elided_section())   /* never in gil */
        probe_eq_elided++;
    return 0;
}

/* An add, contains or discard whose probe meets a key of the same hash
 * that it may not compare in an elided section (its tp_eq may run
 * anything) gives up there and runs locked: that tp_eq runs, outside any
 * elided section, and every flavor gives the same answers. */
static void test_foreign_eq_runs_locked(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *s = ft_set_new();
    ft_type *cls = ft_class_new("ProbeKey", NULL);
    assert_non_null(cls);
    cls->tp_hash = probe_key_hash;
    cls->tp_eq = probe_key_eq;
    ft_object *p = ft_instance_new(cls);
    assert_non_null(p);
    ft_object *k = ft_int_from_i64(4242);
    probe_hash = ft_hash(k);
    assert_int_equal(ft_set_add(s, p), 1);
    probe_eq_calls = probe_eq_elided = 0;
    assert_int_equal(ft_set_add(s, k), 1);        /* meets p on its probe */
    assert_int_equal(ft_set_contains(s, k), 1);
    assert_int_equal(ft_set_contains(s, p), 1);   /* p itself: by pointer */
    assert_int_equal(ft_set_discard(s, k), 1);
    assert_int_equal(ft_set_contains(s, k), 0);
    assert_true(probe_eq_calls >= 3);   /* add, contains, discard */
    assert_int_equal(probe_eq_elided, 0);
    assert_int_equal(ft_len(s), 1);
    ft_object *objs[] = { s, p, k, (ft_object *)cls };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

/* A sharded key (its count may need the shard table's lock: never in an
 * elided section) is added, found, iterated and discarded through the
 * locked path, with exact counts once unsharded. */
static void test_sharded_key(void **state)
{
    (void)state;
    ft_object *s = ft_set_new();
    ft_object *k = ft_int_from_i64(987654321);
    assert_int_equal(ft_object_shard(k), FT_NOGIL != 0);
    assert_int_equal(ft_set_add(s, k), 1);
    assert_int_equal(ft_set_add(s, k), 0);
    assert_int_equal(ft_set_contains(s, k), 1);
    ssize_t pos = 0;
    ft_object *got = NULL;
    assert_int_equal(ft_set_next(s, &pos, &got), 1);
    assert_ptr_equal(got, k);
    ft_decref(got);
    assert_int_equal(ft_set_next(s, &pos, &got), 0);
    ft_object_unshard_all();
    assert_int_equal(ft_refcnt(k), 2);   /* ours and the set's */
    assert_int_equal(ft_set_discard(s, k), 1);
    assert_int_equal(ft_refcnt(k), 1);
    ft_decref(k);
    ft_decref(s);
}

/* len() reads the count without the set's lock. */
static void test_len_tracks_ops(void **state)
{
    (void)state;
    ft_object *s = ft_set_new();
    for (int64_t v = 0; v < 100; v++)
        add_int(s, 300 + v);
    assert_int_equal(ft_len(s), 100);
    ft_object *k = ft_set_pop(s);
    assert_non_null(k);
    assert_int_equal(ft_len(s), 99);
    ft_decref(k);
    assert_int_equal(ft_set_clear(s), 0);
    assert_int_equal(ft_len(s), 0);
    add_int(s, 1);
    assert_int_equal(ft_len(s), 1);
    ft_decref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_basics),
        T(test_against_model),
        T(test_tuple_keys),
        T(test_errors),
        T(test_two_threads),
        T(test_next),
        T(test_pop_clear_copy),
        T(test_pop_two_threads),
        T(test_cpython_order_merge_swap),
        T(test_owner_elides_until_settled),
        T(test_foreign_eq_runs_locked),
        T(test_sharded_key),
        T(test_len_tracks_ops),
    };
    return ft_test_run(tests);
}
