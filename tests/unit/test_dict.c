/* test_dict.c — dicts: set, get, del and len; replaced values released;
 * insertion order across deletes and resizes (through ft_dict_next); int,
 * float and tuple keys with 1 == 1.0; 10,000 keys against a reference
 * model; iteration positions kept across mutations and compacting
 * resizes, against a model; what an entry and the iteration numbering
 * cost in bytes; references held; GC slots; the free list; every error
 * path. */
#include <limits.h>
#include <stdlib.h>
#define FT_BUILD_CORE 1   /* white-box: mem/backend.h's failure injection */
#include <string.h>
#include "ft_test.h"
#include "internal/object.h"
#include "internal/qsbr.h"
#include "mem/backend.h"

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
        ft_test_expect_error(FT_ERR_KEY);
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
    ft_test_expect_error(FT_ERR_KEY);
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
    unsigned seed = (unsigned)ft_test_seed();
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
                ft_test_expect_error(FT_ERR_KEY);
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
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_set(d, dk, v), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_dict_get(d, l));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_del(d, l), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    ft_object *t = ft_tuple_new(1);                   /* (list,): unhashable */
    ft_incref(l);
    ft_tuple_set_steal(t, 0, l);
    assert_int_equal(ft_dict_set(d, t, v), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_dict_get(d, k));                   /* missing key */
    ft_test_expect_error(FT_ERR_KEY);
    assert_int_equal(ft_dict_del(d, k), -1);
    ft_test_expect_error(FT_ERR_KEY);
    assert_int_equal(ft_dict_set(NULL, k, v), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_set(l, k, v), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_set(d, NULL, v), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_set(d, k, NULL), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_dict_get(d, NULL));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_dict_get(k, k));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_del(NULL, k), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    ssize_t pos = 0;
    assert_int_equal(ft_dict_next(l, &pos, NULL, NULL), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_next(d, NULL, NULL, NULL), -1);
    ft_test_expect_error(FT_ERR_VALUE);
    assert_int_equal(ft_hash(d), -1);                 /* dicts are unhashable */
    ft_test_expect_error(FT_ERR_TYPE);
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
    ft_test_expect_error(FT_ERR_MEMORY);
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
    /* nogil parks only blocks of obmalloc's object pools (no collector
     * pre-header): not under FT_MALLOC=debug or another backend. */
    if (!FT_NOGIL || strcmp(ft_allocator_name(), "obmalloc") == 0)
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
    if (_ft_lockfree_hits_counted()) {           /* internal/qsbr.h */
        assert_int_equal(_ft_lockfree_counts.hits - c0.hits, str_hits);
        assert_int_equal(str_hits, _ft_qsbr_lockfree_reads() ? 4 : 0);
    }
    assert_int_equal(_ft_lockfree_counts.fallbacks, c0.fallbacks);
    ft_object *objs[] = { a, big, v1, v2, a2, big2, missing, d };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

/* Keys that are not str: the first try without the lock decides only by
 * the key object itself or an empty slot; an equal key that is another
 * object, or a key of the same hash, goes to the section, which compares. */
static void test_other_keys_first_try(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new();
    ft_object *k = ft_int_from_i64(1000000007), *k2 = ft_int_from_i64(1000000007);
    ft_object *two = ft_int_from_i64(2), *twof = ft_float_from_double(2.0);
    ft_object *threef = ft_float_from_double(3.0), *v = ft_int_from_i64(5);
    assert_int_equal(ft_dict_set(d, k, v), 0);
    set_ii(d, 2, 22);
    assert_int_equal(get_oi(d, k), 5);          /* the key object itself */
    assert_int_equal(get_oi(d, k2), 5);         /* equal, another object */
    assert_int_equal(get_oi(d, two), 22);
    assert_int_equal(get_oi(d, twof), 22);      /* 2.0 == 2: same hash */
    assert_int_equal(get_oi(d, threef), INT64_MIN);
    assert_int_equal(get_ii(d, 3), INT64_MIN);  /* absent: an empty slot */
    ft_object *out = NULL;
    assert_int_equal(ft_dict_lookup(d, k2, &out), 1);
    assert_ptr_equal(out, v);
    ft_decref(out);
    assert_int_equal(ft_dict_lookup(d, threef, &out), 0);
    assert_null(out);
    /* the stored key stays the first one, whichever equal key replaces
     * the value */
    assert_int_equal(ft_dict_set(d, twof, v), 0);
    assert_int_equal(get_ii(d, 2), 5);
    assert_int_equal(ft_len(d), 2);
    ft_object *objs[] = { k, k2, two, twof, threef, v, d };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

/* ---- The owner's store without the lock (biased nogil) ------------------ */

/* Are sections elided in this build (test_list.c says how)? */
static bool elides(void)
{
    return FT_NOGIL && !FT_RC_ATOMIC && _ft_cs_elide_tls.registered;
}

typedef struct dict_reader_i {
    ft_object *dict;
    int64_t key, got;
} dict_reader_i;

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

/* A store with a str key skips the lock of its owner's dict (biased nogil:
 * the dict records FT_OBJ_ELIDED); one whose probe meets a key of another
 * type with the same hash gives up and stores under the lock, where that
 * key's tp_eq runs — in every flavor with the same result. */
static void test_str_store_elides_until_another_key(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new();
    ft_object *a = ft_str_from_utf8("alpha", -1), *b = ft_str_from_utf8("beta", -1);
    ft_object *v1 = ft_int_from_i64(1001), *v2 = ft_int_from_i64(1002);
    assert_int_equal(ft_dict_set(d, a, v1), 0);
    assert_int_equal(_ft_object_elide_state(d), elides() ? FT_OBJ_ELIDED : 0);

    ft_type *cls = ft_class_new("ProbeKey", NULL);
    assert_non_null(cls);
    cls->tp_hash = probe_key_hash;
    cls->tp_eq = probe_key_eq;
    ft_object *p = ft_instance_new(cls);
    assert_non_null(p);
    probe_hash = ft_hash(b);
    assert_int_equal(ft_dict_set(d, p, v1), 0);   /* not a str key: locked */
    probe_eq_calls = probe_eq_elided = 0;
    assert_int_equal(ft_dict_set(d, b, v2), 0);   /* meets p on its probe */
    /* at least once: a probe sequence may pass p's slot again */
    assert_true(probe_eq_calls >= 1);
    assert_int_equal(probe_eq_elided, 0);
    assert_int_equal(ft_len(d), 3);
    assert_int_equal(get_oi(d, b), 1002);
    assert_int_equal(get_oi(d, a), 1001);
    ft_object *objs[] = { d, p, a, b, v1, v2, (ft_object *)cls };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

/* Reads with a key that is not a str (an int: a table of tasks by id)
 * and stores with one skip the lock of the owner's dict too, until
 * another thread locks it (it settles the dict, and the owner locks from
 * then on); a probe that meets a key whose tp_eq may run anything gives
 * up and runs locked, where that tp_eq runs — never elided. */
static void read_int_key(void *arg)
{
    dict_reader_i *r = arg;
    r->got = get_ii(r->dict, r->key);
}

static void test_int_key_reads_elide_until_settled(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new();
    for (int64_t k = 0; k < 30; k++)   /* past a few resizes */
        set_ii(d, 70 + k, 7000 + k);
    for (int64_t k = 0; k < 30; k++)
        assert_int_equal(get_ii(d, 70 + k), 7000 + k);
    assert_int_equal(get_ii(d, 5), INT64_MIN);
    assert_int_equal(_ft_object_elide_state(d), elides() ? FT_OBJ_ELIDED : 0);

    /* A key whose tp_eq must not run elided, with the hash of 77. */
    ft_type *cls = ft_class_new("ProbeKey", NULL);
    assert_non_null(cls);
    cls->tp_hash = probe_key_hash;
    cls->tp_eq = probe_key_eq;
    ft_object *p = ft_instance_new(cls), *v = ft_int_from_i64(-1);
    assert_non_null(p);
    probe_hash = 77;
    {
        ft_object *k77 = ft_int_from_i64(77);
        assert_int_equal(ft_hash(k77), 77);
        ft_decref(k77);
    }
    ft_object *d2 = ft_dict_new();   /* p first: 77's probe meets it */
    assert_int_equal(ft_dict_set(d2, p, v), 0);   /* locked: it has a tp_eq */
    probe_eq_calls = probe_eq_elided = 0;
    set_ii(d2, 77, 7777);
    assert_int_equal(get_ii(d2, 77), 7777);
    assert_int_equal(get_ii(d, 77), 7007);
    assert_true(probe_eq_calls >= 2);   /* the store and the read */
    assert_int_equal(probe_eq_elided, 0);
    ft_object *got = ft_dict_get(d2, p);           /* p itself: by pointer */
    assert_ptr_equal(got, v);
    ft_decref(got);
    assert_int_equal(ft_len(d2), 2);
    ft_decref(d2);

    dict_reader_i r = { .dict = d, .key = 80 };
    ft_thread *t = ft_thread_start(read_int_key, &r);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(r.got, 7010);
    unsigned settled = FT_NOGIL && !FT_RC_ATOMIC ? FT_OBJ_LOCKING | FT_OBJ_SETTLED : 0;
    assert_int_equal(_ft_object_elide_state(d), settled | (elides() ? FT_OBJ_ELIDED : 0u));
    /* the owner now locks: same answers */
    set_ii(d, 81, 8181);
    assert_int_equal(get_ii(d, 81), 8181);
    assert_int_equal(get_ii(d, 77), 7007);
    assert_int_equal(ft_len(d), 30);
    ft_object *objs[] = { d, p, v, (ft_object *)cls };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

/* A sharded value (its count may need the shard table's lock: never in an
 * elided section) read with an int key comes through the locked lookup;
 * with a str key, through the full lock-free read. */
static void test_sharded_value_read(void **state)
{
    (void)state;
    ft_object *d = ft_dict_new();
    ft_object *ki = ft_int_from_i64(31337), *ks = ft_str_from_utf8("shardy", -1);
    ft_object *v = ft_float_from_double(0.5);
    assert_int_equal(ft_object_shard(v), FT_NOGIL != 0);
    assert_int_equal(ft_dict_set(d, ki, v), 0);
    assert_int_equal(ft_dict_set(d, ks, v), 0);
    for (int i = 0; i < 2; i++) {
        ft_object *got = ft_dict_get(d, i ? ks : ki);
        assert_ptr_equal(got, v);
        ft_decref(got);
    }
    ft_object_unshard_all();
    assert_int_equal(ft_refcnt(v), 3);   /* ours and two entries */
    ft_object *objs[] = { d, ki, ks };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_refcnt(v), 1);
    ft_decref(v);
}

/* ---- Shared marks (internal/object.h) -------------------------------------- */

typedef struct dict_reader {
    ft_object *dict, *key;
    int64_t got;
    ft_lockfree_counts counts;   /* of its lookup */
} dict_reader;

static void read_key(void *arg)
{
    dict_reader *r = arg;
    ft_lockfree_counts before = _ft_lockfree_counts;
    ft_object *v = ft_dict_get(r->dict, r->key);   /* a worker: no get_oi */
    if (!ft_worker_check(v != NULL))
        return;
    r->got = ft_int_as_i64(v);
    ft_decref(v);
    r->counts.hits = _ft_lockfree_counts.hits - before.hits;
    r->counts.fallbacks = _ft_lockfree_counts.fallbacks - before.fallbacks;
}

static dict_reader read_from_another_thread(ft_object *d, ft_object *key)
{
    dict_reader r = { .dict = d, .key = key };
    ft_thread *t = ft_thread_start(read_key, &r);
    assert_int_equal(ft_thread_join(t), 0);
    ft_test_assert_workers_ok();
    return r;
}

/* A dict store marks the key only when the dict keeps it, and the value
 * as a list's item (_ft_object_mark_stored): unmarked when the owner
 * stores a value in type-stable memory into its private dict, marked in
 * a dict other threads reach. A non-owner's first lookup of an unmarked
 * value falls back to the lock and marks it there; its second one reads
 * without the lock. */
static void test_store_marks(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *priv = ft_dict_new(), *pub = ft_dict_new();
    _ft_object_set_shared(pub);   /* as if stored where others find it */
    ft_object *k = ft_str_from_utf8("gamma", -1), *k2 = ft_str_from_utf8("gamma", -1);
    ft_object *a = ft_int_from_i64(1000001), *b = ft_int_from_i64(1000002);
    ft_object *c = ft_int_from_i64(1000003);
    assert_int_equal(ft_dict_set(priv, k, a), 0);
    assert_int_equal(ft_dict_set(pub, k, b), 0);
    bool skips = FT_NOGIL && !FT_RC_ATOMIC && _ft_obmalloc_type_stable(a);
    assert_false(_ft_shared_mark_needed(k));            /* kept: marked */
    assert_int_equal(_ft_shared_mark_needed(a), skips);
    assert_false(_ft_shared_mark_needed(b));
    /* An equal key that only replaces a value is not kept: not marked. */
    assert_int_equal(ft_dict_set(priv, k2, c), 0);
    assert_int_equal(_ft_shared_mark_needed(k2), FT_NOGIL);
    assert_int_equal(_ft_shared_mark_needed(c), skips);
    assert_int_equal(get_oi(priv, k2), 1000003);   /* the owner: no mark */
    assert_int_equal(_ft_shared_mark_needed(c), skips);

    dict_reader r1 = read_from_another_thread(priv, k2);
    assert_int_equal(r1.got, 1000003);
    assert_false(_ft_shared_mark_needed(c));            /* by the reader */
    assert_int_equal(r1.counts.fallbacks, skips ? 1 : 0);
    dict_reader r2 = read_from_another_thread(priv, k2);
    assert_int_equal(r2.got, 1000003);
    if (_ft_lockfree_hits_counted())
        assert_int_equal(r2.counts.hits, _ft_qsbr_lockfree_reads() ? 1 : 0);
    assert_int_equal(r2.counts.fallbacks, 0);
    ft_object *objs[] = { priv, pub, k, k2, a, b, c };
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
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_setdefault(d, l, dflt, &out), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_dict_clear(d), 0);
    assert_int_equal(ft_len(d), 0);
    assert_int_equal(ft_refcnt(dflt), 1);
    set_ii(d, 1, 2);                            /* usable after clear */
    assert_int_equal(get_ii(d, 1), 2);
    assert_int_equal(ft_dict_clear(ft_none()), -1);
    ft_test_expect_error(FT_ERR_TYPE);
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
    ft_test_expect_error(FT_ERR_TYPE);
    ft_object *objs[] = { d, c, e, ec };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        ft_decref(objs[i]);
    assert_int_equal(ft_test_live_objects(), before);
}

/* ---- Iteration positions against a model --------------------------------
 * Iterators (forward with ft_dict_next and ft_dict_next_ref, backward with
 * ft_dict_prev_ref) take steps interleaved with inserts, deletes,
 * popitems and clears that grow, hollow out and compact the table again
 * and again. Per ftlab/object.h: each step yields a key the dict holds
 * then, with its value; a key at most once per insertion; the keys
 * inserted before the iteration began in insertion order; and every key
 * present for the whole iteration exactly once. */

enum { POS_KEYS = 400, POS_ITERS = 4, POS_OPS = 100000 };

typedef struct pos_model {
    int64_t value[POS_KEYS];      /* INT64_MIN: absent */
    uint64_t inserted[POS_KEYS];  /* clock of the key's current insertion */
    uint64_t clock;
} pos_model;

typedef struct pos_iter {
    int dir;                      /* +1 forward, -1 backward */
    bool borrowed;                /* ft_dict_next instead of _ref */
    ssize_t pos;
    uint64_t start;               /* the clock when the iteration began */
    uint64_t last_old;            /* insertion of the last old key given */
    uint64_t given[POS_KEYS];     /* the insertion a key was given in */
    long iterations;
} pos_iter;

static void pos_iter_begin(pos_iter *it, const pos_model *m)
{
    it->pos = it->dir > 0 ? 0 : SSIZE_MAX;
    it->start = m->clock;
    it->last_old = it->dir > 0 ? 0 : UINT64_MAX;
    memset(it->given, 0, sizeof it->given);
}

/* One step of it, checked; at the end of an iteration, the keys present
 * throughout were given, and a new iteration begins. */
static void pos_iter_step(ft_object *d, pos_iter *it, const pos_model *m)
{
    ft_object *k = NULL, *v = NULL;
    int rc = it->dir < 0 ? ft_dict_prev_ref(d, &it->pos, &k, &v)
           : it->borrowed ? ft_dict_next(d, &it->pos, &k, &v)
                          : ft_dict_next_ref(d, &it->pos, &k, &v);
    if (rc == 0) {
        for (int i = 0; i < POS_KEYS; i++)
            if (m->value[i] != INT64_MIN && m->inserted[i] <= it->start)
                assert_true(it->given[i] == m->inserted[i]);
        it->iterations++;
        pos_iter_begin(it, m);
        return;
    }
    assert_int_equal(rc, 1);
    int64_t key = ft_int_as_i64(k);
    assert_true(key >= 0 && key < POS_KEYS);
    assert_true(m->value[key] != INT64_MIN);            /* in d now */
    assert_int_equal(ft_int_as_i64(v), m->value[key]);
    assert_true(it->given[key] != m->inserted[key]);    /* once an insertion */
    it->given[key] = m->inserted[key];
    if (m->inserted[key] <= it->start) {                /* insertion order */
        if (it->dir > 0)
            assert_true(m->inserted[key] > it->last_old);
        else
            assert_true(m->inserted[key] < it->last_old);
        it->last_old = m->inserted[key];
    }
    if (!it->borrowed) {
        ft_decref(k);
        ft_decref(v);
    }
}

/* The model's key inserted last (what popitem takes), or -1. */
static int pos_newest(const pos_model *m)
{
    int best = -1;
    for (int i = 0; i < POS_KEYS; i++)
        if (m->value[i] != INT64_MIN && (best < 0 || m->inserted[i] > m->inserted[best]))
            best = i;
    return best;
}

static void pos_mutate(ft_object *d, pos_model *m, unsigned *seed, int round)
{
    int64_t k = rand_r(seed) % POS_KEYS;
    int r = rand_r(seed) % 10000;
    /* waves of growth and of deletion (about 260 and 110 keys): the table
     * fills up, then empties out with gaps anywhere, and its resizes
     * compact it; now and then a clear */
    bool grow = (round / 4000) % 2 == 0;
    if (r < 3) {
        assert_int_equal(ft_dict_clear(d), 0);
        for (int i = 0; i < POS_KEYS; i++)
            m->value[i] = INT64_MIN;
    } else if (r < 400) {
        ft_object *pk, *pv;
        int want = pos_newest(m);
        assert_int_equal(ft_dict_popitem(d, &pk, &pv), want >= 0);
        if (want >= 0) {
            assert_int_equal(ft_int_as_i64(pk), want);
            ft_decref(pk);
            ft_decref(pv);
            m->value[want] = INT64_MIN;
        }
    } else if (r < (grow ? 7000 : 3500)) {
        int64_t v = 1000000 + round;
        set_ii(d, k, v);
        if (m->value[k] == INT64_MIN)
            m->inserted[k] = ++m->clock;   /* replacing keeps the insertion */
        m->value[k] = v;
    } else {
        int rc = del_i(d, k);
        if (m->value[k] == INT64_MIN) {
            assert_int_equal(rc, -1);
            ft_test_expect_error(FT_ERR_KEY);
        } else {
            assert_int_equal(rc, 0);
        }
        m->value[k] = INT64_MIN;
    }
}

static void test_positions_against_model(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    static pos_model m;
    static pos_iter its[POS_ITERS];
    unsigned seed = (unsigned)ft_test_seed();
    ft_object *d = ft_dict_new();
    m.clock = 0;
    for (int i = 0; i < POS_KEYS; i++)
        m.value[i] = INT64_MIN;
    for (int i = 0; i < POS_ITERS; i++) {
        its[i] = (pos_iter){ .dir = i < 2 ? 1 : -1, .borrowed = i == 0 };
        pos_iter_begin(&its[i], &m);
    }
    for (int round = 0; round < POS_OPS; round++) {
        /* bursts of steps by one iterator (each step finds its place
         * where the last one stopped), and interleaved steps by all */
        int r = rand_r(&seed) % 100;
        if (r < 45) {
            pos_mutate(d, &m, &seed, round);
        } else if (r < 60) {
            pos_iter *it = &its[rand_r(&seed) % POS_ITERS];
            for (int n = rand_r(&seed) % 40; n >= 0; n--)
                pos_iter_step(d, it, &m);
        } else {
            pos_iter_step(d, &its[rand_r(&seed) % POS_ITERS], &m);
        }
    }
    for (int i = 0; i < POS_ITERS; i++) {
        long done = its[i].iterations;
        while (its[i].iterations == done)   /* finish it, dict quiet */
            pos_iter_step(d, &its[i], &m);
        assert_true(its[i].iterations >= 20);
    }
    ft_decref(d);
    assert_int_equal(ft_test_live_objects(), before);
}

/* What a table costs: an entry is a hash, a key and a value (3 words);
 * resizes that drop nothing, or only entries after the last live one,
 * add no iteration numbering; one that drops entries before live ones
 * adds at most 3 words and a word per live entry. */
static void test_entry_and_numbering_bytes(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *d = ft_dict_new();
    set_ii(d, 0, 0);
    size_t s8 = ft_sizeof(d);    /* 8 slots, 5 entries, 1-byte indices */
    for (int64_t i = 1; i < 6; i++)
        set_ii(d, i, i);
    size_t s16 = ft_sizeof(d);   /* 16 slots, 10 entries */
    assert_int_equal(s16 - s8, 8 + 5 * 3 * sizeof(void *));
    /* five keys and a sixth: 16 slots whatever went before */
    ft_object *plain = ft_dict_new(), *popped = ft_dict_new(),
              *front = ft_dict_new(), *middle = ft_dict_new();
    ft_object *all[] = { plain, popped, front, middle };
    for (int j = 0; j < 4; j++)
        for (int64_t i = 0; i < 5; i++)
            set_ii(all[j], i, i);
    ft_object *pk, *pv;
    assert_int_equal(ft_dict_popitem(popped, &pk, &pv), 1);   /* the last */
    ft_decref(pk);
    ft_decref(pv);
    assert_int_equal(del_i(front, 0), 0);
    assert_int_equal(del_i(middle, 2), 0);
    for (int j = 0; j < 4; j++)
        set_ii(all[j], 5, 5);   /* the table is full: a resize */
    assert_int_equal(ft_sizeof(plain), s16);
    assert_int_equal(ft_sizeof(popped), s16);
    assert_true(ft_sizeof(front) > s16);
    assert_true(ft_sizeof(front) <= s16 + 3 * sizeof(void *) + 5 * sizeof(int64_t));
    assert_true(ft_sizeof(middle) > s16);
    assert_true(ft_sizeof(middle) <= s16 + 3 * sizeof(void *) + 5 * sizeof(int64_t));
    /* each still iterates in insertion order, both ways */
    for (int j = 0; j < 4; j++) {
        int64_t fwd[6];
        ssize_t pos = 0, n = 0;
        ft_object *k;
        while (ft_dict_next(all[j], &pos, &k, NULL) == 1) {
            assert_true(n < 6 && (n == 0 || ft_int_as_i64(k) > fwd[n - 1]));
            fwd[n++] = ft_int_as_i64(k);
        }
        assert_int_equal(n, ft_len(all[j]));
        pos = SSIZE_MAX;
        while (ft_dict_prev_ref(all[j], &pos, &k, NULL) == 1) {
            assert_true(n > 0);
            assert_int_equal(ft_int_as_i64(k), fwd[--n]);
            ft_decref(k);
        }
        assert_int_equal(n, 0);
    }
    for (int j = 0; j < 4; j++)
        ft_decref(all[j]);
    ft_decref(d);
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
    int rc;
    for (int i = 0; (rc = ft_dict_popitem(p->dict, &k, &v)) == 1; i++) {
        ft_decref(k);
        ft_decref(v);
        p->popped++;
        if (i % 64 == 0)
            ft_checkpoint();
    }
    if (rc != 0)   /* an empty dict ends the loop, nothing else */
        ft_worker_fail("ft_dict_popitem gave %d: %s", rc, ft_err_message());
    ft_err_clear();
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
    ft_test_assert_workers_ok();
    assert_int_equal(a.popped + b.popped, 20000);
    assert_int_equal(ft_len(d), 0);
    ft_decref(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
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
        T(test_other_keys_first_try),
        T(test_str_store_elides_until_another_key),
        T(test_store_marks),
        T(test_pop_setdefault_clear),
        T(test_popitem),
        T(test_copy_and_iteration),
        T(test_positions_against_model),
        T(test_entry_and_numbering_bytes),
        T(test_popitem_two_threads),
        T(test_int_key_reads_elide_until_settled),
        T(test_sharded_value_read),
    };
    return ft_test_run(tests);
}
