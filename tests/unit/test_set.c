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
    unsigned seed = 12345;
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

static void add_range(void *arg)
{
    shared_set *w = arg;
    for (int i = 0; i < 5000; i++) {
        ft_object *k = ft_int_from_i64(w->base + i);
        assert_int_equal(ft_set_add(w->set, k), 1);
        ft_decref(k);
        if (i % 2 == 0) {
            k = ft_int_from_i64(w->base + i);
            assert_int_equal(ft_set_discard(w->set, k), 1);
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
    ft_checkpoint();
    assert_int_equal(ft_len(s), 5000);   /* 2 x 2500 odd keys remain */
    ft_object *k = ft_int_from_i64(1000001);
    assert_int_equal(ft_set_contains(s, k), 1);
    ft_decref(k);
    ft_decref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, ft_test_setup, ft_test_teardown)
        T(test_basics),
        T(test_against_model),
        T(test_tuple_keys),
        T(test_errors),
        T(test_two_threads),
#undef T
    };
    return ft_test_run(tests);
}
