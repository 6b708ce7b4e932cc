/* test_dict.c — dicts: set, get, del and len; replaced values released;
 * insertion order across deletes and resizes (through ft_dict_next); int,
 * float and tuple keys with 1 == 1.0; 10,000 keys against a reference
 * model; references held; GC slots; the free list; every error path. */
#include <limits.h>
#include <stdlib.h>
#define FT_BUILD_CORE 1   /* white-box: mem/backend.h's failure injection */
#include <string.h>
#include "ft_test.h"
#include "internal/qsbr.h"
#include "mem/backend.h"

static void expect_error(ft_error_kind kind)
{
    assert_true(ft_err_occurred());
    assert_int_equal(ft_err_kind(), kind);
    ft_err_clear();
}

/* d[k] = v for int keys and values, dropping the caller's references. */
static void set_ii(ft_object *d, int64_t k, int64_t v)
{
    ft_object *ko = ft_int_from_i64(k), *vo = ft_int_from_i64(v);
    assert_int_equal(ft_dict_set(d, ko, vo), 0);
    ft_decref(ko);
    ft_decref(vo);
}

/* d[k] as an int, or INT64_MIN when missing (KeyError checked). */
static int64_t get_oi(ft_object *d, ft_object *k)
{
    ft_object *v = ft_dict_get(d, k);
    if (!v) {
        expect_error(FT_ERR_KEY);
        return INT64_MIN;
    }
    int64_t r = ft_int_as_i64(v);
    ft_decref(v);
    return r;
}

/* The same with an int key. */
static int64_t get_ii(ft_object *d, int64_t k)
{
    ft_object *ko = ft_int_from_i64(k);
    int64_t r = get_oi(d, ko);
    ft_decref(ko);
    return r;
}

static int del_i(ft_object *d, int64_t k)
{
    ft_object *ko = ft_int_from_i64(k);
    int rc = ft_dict_del(d, ko);
    ft_decref(ko);
    return rc;
}

static void test_set_get_del_len(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new();
    assert_int_equal(ft_len(d), 0);
    assert_int_equal(get_ii(d, 1000), INT64_MIN);   /* empty: KeyError */
    set_ii(d, 1000, 1);
    set_ii(d, 2000, 2);
    set_ii(d, 3000, 3);
    assert_int_equal(ft_len(d), 3);
    assert_int_equal(get_ii(d, 2000), 2);
    assert_int_equal(del_i(d, 2000), 0);
    assert_int_equal(ft_len(d), 2);
    assert_int_equal(get_ii(d, 2000), INT64_MIN);
    assert_int_equal(del_i(d, 2000), -1);
    expect_error(FT_ERR_KEY);
    set_ii(d, 2000, 22);                              /* back after a delete */
    assert_int_equal(get_ii(d, 2000), 22);
    assert_int_equal(ft_len(d), 3);
    ft_decref(d);
    assert_int_equal(ft_test_live_objects(), before);
}

static void test_replace_releases_old_value(void **state)
{
    (void)state;
    ft_object *d = ft_dict_new();
    ft_object *k1 = ft_int_from_i64(4242), *k2 = ft_int_from_i64(4242);
    ft_object *v1 = ft_int_from_i64(111111), *v2 = ft_int_from_i64(222222);
    assert_int_equal(ft_dict_set(d, k1, v1), 0);
    assert_int_equal(ft_refcnt(k1), 2);
    assert_int_equal(ft_refcnt(v1), 2);
    assert_int_equal(ft_dict_set(d, k2, v2), 0);    /* an equal key */
    assert_int_equal(ft_refcnt(v1), 1);              /* old value released */
    assert_int_equal(ft_refcnt(v2), 2);
    assert_int_equal(ft_refcnt(k1), 2);              /* the first key stays */
    assert_int_equal(ft_refcnt(k2), 1);
    ft_object *got = ft_dict_get(d, k2);
    assert_ptr_equal(got, v2);
    assert_int_equal(ft_refcnt(v2), 3);              /* a new reference */
    ft_decref(got);
    assert_int_equal(ft_len(d), 1);
    assert_int_equal(ft_dict_del(d, k1), 0);
    assert_int_equal(ft_refcnt(k1), 1);
    assert_int_equal(ft_refcnt(v2), 1);
    ft_dict_set(d, k1, v1);
    ft_decref(d);                                    /* dealloc releases all */
    assert_int_equal(ft_refcnt(k1), 1);
    assert_int_equal(ft_refcnt(v1), 1);
    ft_object *all[] = { k1, k2, v1, v2 };
    for (int i = 0; i < 4; i++)
        ft_decref(all[i]);
}

/* Checks that iteration gives exactly `keys` (ints) in that order. */
static void expect_order(ft_object *d, const int64_t *keys, ssize_t n)
{
    ssize_t pos = 0, i = 0;
    ft_object *k, *v;
    while (ft_dict_next(d, &pos, &k, &v) == 1) {
        assert_true(i < n);
        assert_int_equal(ft_int_as_i64(k), keys[i]);
        assert_int_equal(ft_int_as_i64(v), keys[i] * 2);
        i++;
    }
    assert_int_equal(i, n);
    assert_int_equal(ft_len(d), n);
}

static void test_insertion_order(void **state)
{
    (void)state;
    ft_object *d = ft_dict_new();
    int64_t keys[200];
    ssize_t n = 0;
    for (int64_t k = 0; k < 100; k++) {   /* several resizes on the way */
        int64_t key = (k * 7919) % 1000 + 1000;
        set_ii(d, key, key * 2);
        keys[n++] = key;
    }
    expect_order(d, keys, n);
    ssize_t kept = 0;   /* delete every third key: order of the rest stays */
    for (ssize_t i = 0; i < n; i++) {
        if (i % 3 == 0)
            assert_int_equal(del_i(d, keys[i]), 0);
        else
            keys[kept++] = keys[i];
    }
    n = kept;
    expect_order(d, keys, n);
    for (int64_t k = 5000; k < 5100; k++) {   /* more resizes, compacting */
        set_ii(d, k, k * 2);
        keys[n++] = k;
    }
    expect_order(d, keys, n);
    set_ii(d, keys[0], keys[0] * 2);   /* replacing keeps the position */
    expect_order(d, keys, n);
    ssize_t pos = 0;
    ft_object *k = NULL;
    assert_int_equal(ft_dict_next(d, &pos, &k, NULL), 1);   /* NULL out ok */
    ft_decref(d);
}

static ft_object *int_pair(int64_t a, int64_t b)
{
    ft_object *t = ft_tuple_new(2);
    ft_tuple_set_steal(t, 0, ft_int_from_i64(a));
    ft_tuple_set_steal(t, 1, ft_int_from_i64(b));
    return t;
}

static void test_numeric_and_tuple_keys(void **state)
{
    (void)state;
    ft_object *d = ft_dict_new();
    ft_object *one = ft_int_from_i64(1), *onef = ft_float_from_double(1.0);
    ft_object *half = ft_float_from_double(0.5), *big = ft_int_from_i64(1 << 20);
    ft_object *bigf = ft_float_from_double((double)(1 << 20));
    ft_object *v = ft_int_from_i64(777777);
    assert_int_equal(ft_dict_set(d, one, v), 0);
    ft_object *got = ft_dict_get(d, onef);   /* d[1.0] finds d[1] */
    assert_ptr_equal(got, v);
    ft_decref(got);
    assert_int_equal(ft_dict_set(d, onef, half), 0);   /* same key: replace */
    assert_int_equal(ft_len(d), 1);
    assert_int_equal(ft_dict_set(d, big, v), 0);
    assert_int_equal(ft_dict_set(d, half, v), 0);
    got = ft_dict_get(d, bigf);
    assert_ptr_equal(got, v);
    ft_decref(got);
    ft_object *t1 = int_pair(1, 2), *t2 = int_pair(1, 2);
    assert_int_equal(ft_dict_set(d, t1, v), 0);
    got = ft_dict_get(d, t2);                 /* an equal tuple */
    assert_ptr_equal(got, v);
    ft_decref(got);
    assert_int_equal(ft_dict_del(d, t2), 0);
    assert_int_equal(ft_len(d), 3);
    assert_int_equal(ft_dict_del(d, onef), 0);   /* del d[1.0] removes d[1] */
    assert_int_equal(ft_len(d), 2);
    ft_object *all[] = { d, one, onef, half, big, bigf, v, t1, t2 };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        ft_decref(all[i]);
}

enum { MODEL_KEYS = 10000 };

typedef struct model {
    int64_t value[MODEL_KEYS];   /* INT64_MIN: absent */
    uint64_t seq[MODEL_KEYS];    /* insertion time of the present key */
} model;

/* The dict iterates exactly the model's keys, in insertion-time order. */
static void check_against_model(ft_object *d, const model *m)
{
    ssize_t pos = 0, seen = 0, present = 0;
    ft_object *k, *v;
    uint64_t last = 0;
    while (ft_dict_next(d, &pos, &k, &v) == 1) {
        int64_t key = ft_int_as_i64(k);
        assert_true(key >= 0 && key < MODEL_KEYS);
        assert_int_equal(ft_int_as_i64(v), m->value[key]);
        assert_true(m->seq[key] > last);
        last = m->seq[key];
        seen++;
    }
    for (int i = 0; i < MODEL_KEYS; i++)
        present += m->value[i] != INT64_MIN;
    assert_int_equal(seen, present);
    assert_int_equal(ft_len(d), present);
}

static void test_many_keys_vs_model(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    static model m;
    uint64_t clock = 0;
    unsigned seed = 12345;
    ft_object *d = ft_dict_new();
    for (int i = 0; i < MODEL_KEYS; i++) {
        m.value[i] = INT64_MIN;
        set_ii(d, i, 100000 + i);
        m.value[i] = 100000 + i;
        m.seq[i] = ++clock;
    }
    for (int round = 0; round < 30000; round++) {
        int64_t k = rand_r(&seed) % MODEL_KEYS;
        if (rand_r(&seed) % 2) {
            int rc = del_i(d, k);
            if (m.value[k] == INT64_MIN) {
                assert_int_equal(rc, -1);
                expect_error(FT_ERR_KEY);
            } else {
                assert_int_equal(rc, 0);
            }
            m.value[k] = INT64_MIN;
        } else {
            int64_t v = 200000 + round;
            set_ii(d, k, v);
            if (m.value[k] == INT64_MIN)
                m.seq[k] = ++clock;   /* a new key goes to the end */
            m.value[k] = v;
        }
    }
    check_against_model(d, &m);
    for (int i = 0; i < MODEL_KEYS; i += 97)
        assert_int_equal(get_ii(d, i), m.value[i]);
    ft_decref(d);
    assert_int_equal(ft_test_live_objects(), before);
}

/* ft_sizeof counts the keys table: it grows with resizes only. */
static void test_sizeof_grows(void **state)
{
    (void)state;
    ft_object *d = ft_dict_new();
    size_t empty = ft_sizeof(d), last = empty;
    int grows = 0;
    for (int64_t k = 0; k < 1000; k++) {
        set_ii(d, k + 1000, k);
        size_t s = ft_sizeof(d);
        grows += s != last;
        last = s;
    }
    assert_true(last > empty + 1000 * 3 * sizeof(void *));
    assert_true(grows >= 4 && grows <= 12);
    ft_decref(d);
}

static void test_errors(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new(), *l = ft_list_new(0), *dk = ft_dict_new();
    ft_object *k = ft_int_from_i64(99999), *v = ft_int_from_i64(88888);
    assert_int_equal(ft_dict_set(d, l, v), -1);      /* unhashable key */
    expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_set(d, dk, v), -1);
    expect_error(FT_ERR_TYPE);
    assert_null(ft_dict_get(d, l));
    expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_del(d, l), -1);
    expect_error(FT_ERR_TYPE);
    ft_object *t = ft_tuple_new(1);                   /* (list,): unhashable */
    ft_incref(l);
    ft_tuple_set_steal(t, 0, l);
    assert_int_equal(ft_dict_set(d, t, v), -1);
    expect_error(FT_ERR_TYPE);
    assert_null(ft_dict_get(d, k));                   /* missing key */
    expect_error(FT_ERR_KEY);
    assert_int_equal(ft_dict_del(d, k), -1);
    expect_error(FT_ERR_KEY);
    assert_int_equal(ft_dict_set(NULL, k, v), -1);
    expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_set(l, k, v), -1);
    expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_set(d, NULL, v), -1);
    expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_set(d, k, NULL), -1);
    expect_error(FT_ERR_TYPE);
    assert_null(ft_dict_get(d, NULL));
    expect_error(FT_ERR_TYPE);
    assert_null(ft_dict_get(k, k));
    expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_del(NULL, k), -1);
    expect_error(FT_ERR_TYPE);
    ssize_t pos = 0;
    assert_int_equal(ft_dict_next(l, &pos, NULL, NULL), -1);
    expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_next(d, NULL, NULL, NULL), -1);
    expect_error(FT_ERR_VALUE);
    assert_int_equal(ft_hash(d), -1);                 /* dicts are unhashable */
    expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_len(d), 0);
    assert_int_equal(ft_refcnt(k), 1);                /* failures keep nothing */
    assert_int_equal(ft_refcnt(v), 1);
    ft_object *all[] = { d, l, dk, k, v, t };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        ft_decref(all[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

/* A failed resize leaves the dict as it was and keeps no reference. */
static void test_out_of_memory(void **state)
{
    (void)state;
    ft_object *d = ft_dict_new();
    for (int64_t k = 0; k < 5; k++)   /* 8 slots, 5 usable: the next grows */
        set_ii(d, 6000 + k, k);
    ft_object *k = ft_int_from_i64(6005), *v = ft_int_from_i64(616161);
    _ft_mem_fail_after(0);
    assert_int_equal(ft_dict_set(d, k, v), -1);
    expect_error(FT_ERR_MEMORY);
    assert_int_equal(ft_refcnt(k), 1);
    assert_int_equal(ft_refcnt(v), 1);
    _ft_mem_fail_reset();
    ft_object *k0 = ft_int_from_i64(6000);   /* replacing needs no memory */
    _ft_mem_fail_after(0);
    assert_int_equal(ft_dict_set(d, k0, v), 0);
    _ft_mem_fail_reset();
    assert_int_equal(ft_len(d), 5);
    assert_int_equal(get_ii(d, 6005), INT64_MIN);
    assert_int_equal(ft_dict_set(d, k, v), 0);
    assert_int_equal(ft_len(d), 6);
    ft_object *all[] = { d, k, v, k0 };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        ft_decref(all[i]);
}

static int count_visit(ft_object *o, void *arg)
{
    (void)o;
    (*(int *)arg)++;
    return 0;
}

static void test_gc_slots_and_free_list(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new();
    for (int64_t k = 0; k < 6; k++)
        set_ii(d, 3000 + k, 4000 + k);
    del_i(d, 3002);
    assert_true(ft_dict_type.tp_flags & FT_TPFLAGS_GC);
    int visits = 0;
    assert_int_equal(ft_dict_type.tp_traverse(d, count_visit, &visits), 0);
    assert_int_equal(visits, 10);   /* 5 keys + 5 values */
    assert_int_equal(ft_dict_type.tp_clear(d), 0);
    assert_int_equal(ft_len(d), 0);
    assert_int_equal(ft_test_live_objects(), before + 1);
    set_ii(d, 5000, 1);             /* still usable after a clear */
    assert_int_equal(get_ii(d, 5000), 1);
    ft_decref(d);
    ft_object *e = ft_dict_new();   /* the same block from the free list */
    assert_ptr_equal(e, d);
    assert_int_equal(ft_refcnt(e), 1);
    assert_int_equal(ft_len(e), 0);
    assert_int_equal(get_ii(e, 5000), INT64_MIN);
    ft_decref(e);
    assert_int_equal(ft_test_live_objects(), before);
}

/* ---- Reads without the lock (nogil) --------------------------------------- */

static ft_object *long_name(char c)
{
    char buf[700];
    memset(buf, c, sizeof buf);
    return ft_str_from_utf8(buf, sizeof buf);   /* over 512 bytes */
}

/* str keys are looked up without the lock in nogil — the same key object,
 * an equal one, a long one, a missing one — and other keys with it. */
static void test_str_keys_read_without_the_lock(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new();
    ft_object *a = ft_str_from_utf8("alpha", -1), *big = long_name('q');
    ft_object *v1 = ft_int_from_i64(1001), *v2 = ft_int_from_i64(1002);
    assert_int_equal(ft_dict_set(d, a, v1), 0);
    assert_int_equal(ft_dict_set(d, big, v2), 0);
    set_ii(d, 7, 1007);
    ft_object *a2 = ft_str_from_utf8("alpha", -1), *big2 = long_name('q');
    ft_object *missing = ft_str_from_utf8("beta", -1);
    ft_lockfree_counts c0 = _ft_lockfree_counts;
    assert_int_equal(get_oi(d, a), 1001);        /* the same object */
    assert_int_equal(get_oi(d, a2), 1001);       /* equal bytes */
    assert_int_equal(get_oi(d, big2), 1002);
    assert_int_equal(get_oi(d, missing), INT64_MIN);
    uint64_t str_hits = _ft_lockfree_counts.hits - c0.hits;
    assert_int_equal(get_ii(d, 7), 1007);        /* int key: the lock */
    assert_int_equal(_ft_lockfree_counts.hits - c0.hits, str_hits);
    assert_int_equal(str_hits, _ft_qsbr_lockfree_reads() ? 4 : 0);
    assert_int_equal(_ft_lockfree_counts.fallbacks, c0.fallbacks);
    ft_object *objs[] = { a, big, v1, v2, a2, big2, missing, d };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

/* ---- Python's dict operations (ftpy) --------------------------------------- */

static int64_t as_i(ft_object *o)
{
    int64_t v = ft_int_as_i64(o);
    ft_decref(o);
    return v;
}

static void test_pop_setdefault_clear(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new();
    for (int64_t k = 0; k < 20; k++)
        set_ii(d, 1000 + k, 2000 + k);
    ft_object *k5 = ft_int_from_i64(1005), *out;
    assert_int_equal(ft_dict_pop(d, k5, &out), 1);
    assert_int_equal(as_i(out), 2005);
    assert_int_equal(ft_dict_pop(d, k5, &out), 0);   /* missing: no error */
    assert_null(out);
    assert_false(ft_err_occurred());
    assert_int_equal(ft_len(d), 19);
    ft_object *dflt = ft_int_from_i64(3005);
    assert_int_equal(ft_dict_setdefault(d, k5, dflt, &out), 1);   /* inserted */
    assert_ptr_equal(out, dflt);
    ft_decref(out);
    ft_object *other = ft_int_from_i64(4005);
    assert_int_equal(ft_dict_setdefault(d, k5, other, &out), 0);  /* found */
    assert_ptr_equal(out, dflt);
    ft_decref(out);
    assert_int_equal(ft_refcnt(other), 1);      /* not kept */
    assert_int_equal(ft_refcnt(dflt), 2);       /* the dict's */
    ft_object *l = ft_list_new(0);
    assert_int_equal(ft_dict_pop(d, l, &out), -1);      /* unhashable */
    expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_setdefault(d, l, dflt, &out), -1);
    expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_clear(d), 0);
    assert_int_equal(ft_len(d), 0);
    assert_int_equal(ft_refcnt(dflt), 1);
    set_ii(d, 1, 2);                            /* usable after clear */
    assert_int_equal(get_ii(d, 1), 2);
    assert_int_equal(ft_dict_clear(ft_none()), -1);
    expect_error(FT_ERR_TYPE);
    ft_object *objs[] = { k5, dflt, other, l, d };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

/* popitem is LIFO, skips deleted entries, and stays cheap when repeated:
 * 20,000 pops of a 20,000-item dict (the table is compacted on the way). */
static void test_popitem(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new(), *k, *v;
    assert_int_equal(ft_dict_popitem(d, &k, &v), 0);
    for (int64_t i = 0; i < 20000; i++)
        set_ii(d, 100000 + i, i);
    assert_int_equal(del_i(d, 119999), 0);
    assert_int_equal(ft_dict_popitem(d, &k, &v), 1);
    assert_int_equal(as_i(k), 119998);
    assert_int_equal(as_i(v), 19998);
    for (int64_t i = 19997; i >= 0; i--) {
        assert_int_equal(ft_dict_popitem(d, &k, &v), 1);
        assert_int_equal(as_i(k), 100000 + i);
        assert_int_equal(as_i(v), i);
        if (i == 100)
            assert_true(ft_sizeof(d) < 20000 * 8);    /* compacted */
    }
    assert_int_equal(ft_len(d), 0);
    assert_int_equal(ft_dict_popitem(d, &k, &v), 0);
    assert_null(k);
    ft_decref(d);
    assert_int_equal(ft_test_live_objects(), before);
}

static void test_copy_and_iteration(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new();
    for (int64_t i = 0; i < 50; i++)
        set_ii(d, 7000 + i, i);
    for (int64_t i = 0; i < 50; i += 2)
        assert_int_equal(del_i(d, 7000 + i), 0);
    ft_object *c = ft_dict_copy(d);
    assert_int_equal(ft_len(c), 25);
    set_ii(d, 1, 1);                            /* independent */
    assert_int_equal(ft_len(c), 25);
    ssize_t pos = 0, n = 0;
    ft_object *k, *v;
    while (ft_dict_next_ref(c, &pos, &k, &v) == 1) {   /* order kept */
        assert_int_equal(as_i(k), 7001 + 2 * n);
        assert_int_equal(as_i(v), 1 + 2 * n);
        n++;
    }
    assert_int_equal(n, 25);
    pos = SSIZE_MAX;
    n = 0;
    while (ft_dict_prev_ref(c, &pos, &k, NULL) == 1) {  /* backwards */
        assert_int_equal(as_i(k), 7049 - 2 * n);
        n++;
    }
    assert_int_equal(n, 25);
    /* iteration survives deleting the key it just returned */
    pos = 0;
    n = 0;
    while (ft_dict_next_ref(c, &pos, &k, NULL) == 1) {
        assert_int_equal(ft_dict_del(c, k), 0);
        ft_decref(k);
        n++;
    }
    assert_int_equal(n, 25);
    assert_int_equal(ft_len(c), 0);
    ft_object *e = ft_dict_new(), *ec = ft_dict_copy(e);
    assert_int_equal(ft_len(ec), 0);
    pos = 0;
    assert_int_equal(ft_dict_next_ref(ec, &pos, &k, &v), 0);
    pos = SSIZE_MAX;
    assert_int_equal(ft_dict_prev_ref(ec, &pos, &k, &v), 0);
    assert_null(ft_dict_copy(ft_none()));
    expect_error(FT_ERR_TYPE);
    ft_object *objs[] = { d, c, e, ec };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

typedef struct popper {
    ft_object *dict;
    int64_t popped;
} popper;

static void pop_all(void *arg)
{
    popper *p = arg;
    ft_object *k, *v;
    for (int i = 0; ft_dict_popitem(p->dict, &k, &v) == 1; i++) {
        ft_decref(k);
        ft_decref(v);
        p->popped++;
        if (i % 64 == 0)
            ft_checkpoint();
    }
}

/* Two threads pop one dict empty: every item is popped exactly once. */
static void test_popitem_two_threads(void **state)
{
    (void)state;
    ft_object *d = ft_dict_new();
    for (int64_t i = 0; i < 20000; i++)
        set_ii(d, 300000 + i, i);
    popper a = { d, 0 }, b = { d, 0 };
    ft_thread *t = ft_thread_start(pop_all, &a);
    pop_all(&b);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(a.popped + b.popped, 20000);
    assert_int_equal(ft_len(d), 0);
    ft_decref(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, ft_test_setup, ft_test_teardown)
        T(test_set_get_del_len),
        T(test_replace_releases_old_value),
        T(test_insertion_order),
        T(test_numeric_and_tuple_keys),
        T(test_many_keys_vs_model),
        T(test_sizeof_grows),
        T(test_errors),
        T(test_out_of_memory),
        T(test_gc_slots_and_free_list),
        T(test_str_keys_read_without_the_lock),
        T(test_pop_setdefault_clear),
        T(test_popitem),
        T(test_copy_and_iteration),
        T(test_popitem_two_threads),
#undef T
    };
    return ft_test_run(tests);
}
