/* test_trashcan.c — freeing very deep chains of containers (the
 * trashcan): a list inside a list a million deep, a tuple chain and a dict
 * chain each die with one decref, without overflowing the C stack, and
 * leave nothing behind; on another thread too (whose C stack is smaller). */
#include "ft_test.h"

enum { DEPTH = 1000000 };

/* [[[...[None]...]]] DEPTH deep. */
static ft_object *deep_list(void)
{
    ft_object *x = ft_list_new(0);
    assert_non_null(x);
    for (int i = 0; i < DEPTH; i++) {
        ft_object *outer = ft_list_new(0);
        assert_non_null(outer);
        assert_int_equal(ft_list_append(outer, x), 0);
        ft_decref(x);
        x = outer;
    }
    return x;
}

static ft_object *deep_tuple(void)
{
    ft_object *x = ft_none();
    for (int i = 0; i < DEPTH; i++) {
        ft_object *t = ft_tuple_new(1);
        assert_non_null(t);
        assert_int_equal(ft_tuple_set_steal(t, 0, x), 0);
        x = t;
    }
    return x;
}

static ft_object *deep_dict(void)
{
    ft_object *key = ft_str_from_utf8("d", -1), *x = ft_dict_new();
    assert_non_null(key);
    for (int i = 0; i < DEPTH / 4; i++) {
        ft_object *d = ft_dict_new();
        assert_non_null(d);
        assert_int_equal(ft_dict_set(d, key, x), 0);
        ft_decref(x);
        x = d;
    }
    ft_decref(key);
    return x;
}

static void check_freed(ft_object *(*build)(void))
{
    int64_t before = ft_test_live_objects();
    ft_object *x = build();
    assert_true(ft_test_live_objects() > before);
    ft_decref(x);                       /* one call frees the whole chain */
    assert_int_equal(ft_test_live_objects(), before);
}

static void test_deep_list(void **state) { (void)state; check_freed(deep_list); }
static void test_deep_tuple(void **state) { (void)state; check_freed(deep_tuple); }
static void test_deep_dict(void **state) { (void)state; check_freed(deep_dict); }

/* The worker records, the main thread asserts (no cmocka on workers). */
static _Atomic int xworker_ok;
static void free_on_worker(void *arg)
{
    (void)arg;
    ft_object *x = ft_list_new(0);
    for (int i = 0; x && i < DEPTH; i++) {
        ft_object *outer = ft_list_new(0);
        if (!outer || ft_list_append(outer, x) < 0) {
            ft_xdecref(outer);
            ft_decref(x);
            return;
        }
        ft_decref(x);
        x = outer;
    }
    if (!x)
        return;
    ft_decref(x);
    xworker_ok = 1;
}

static void test_deep_list_on_a_thread(void **state)
{
    (void)state;
    xworker_ok = 0;
    ft_thread *t = ft_thread_start(free_on_worker, NULL);
    assert_non_null(t);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(xworker_ok, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_deep_list),
        T(test_deep_tuple),
        T(test_deep_dict),
        T(test_deep_list_on_a_thread),
    };
    return ft_test_run(tests);
}
