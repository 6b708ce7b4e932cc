/* test_oom.c — out of memory: with allocation-failure injection every
 * allocating call fails cleanly with MemoryError, and a program that
 * handles the error leaks nothing. */
#define FT_BUILD_CORE 1   /* white-box: mem/backend.h's injection */
#include "ft_test.h"
#include "mem/backend.h"

static void expect_memory_error(void)
{
    assert_int_equal(ft_err_kind(), FT_ERR_MEMORY);
    ft_err_clear();
}

static void test_every_allocation_fails(void **state)
{
    (void)state;
    _ft_mem_fail_after(0);
    assert_null(ft_malloc(16));
    expect_memory_error();
    assert_null(ft_calloc(4, 4));
    expect_memory_error();
    assert_null(ft_malloc(4096));
    expect_memory_error();
    assert_null(ft_int_from_i64(1000000));
    expect_memory_error();
    assert_null(ft_float_from_double(1.5));
    expect_memory_error();
    assert_null(ft_tuple_new(3));
    expect_memory_error();
    /* Immortal objects need no memory. */
    assert_non_null(ft_int_from_i64(5));
    assert_non_null(ft_tuple_new(0));
    _ft_mem_fail_reset();
    void *p = ft_malloc(16);
    assert_non_null(p);
    ft_free(p);
}

static void test_realloc_failure_keeps_block(void **state)
{
    (void)state;
    char *p = ft_malloc(32);
    p[0] = 'x';
    _ft_mem_fail_after(0);
    assert_null(ft_realloc(p, 4000));
    expect_memory_error();
    _ft_mem_fail_reset();
    assert_int_equal(p[0], 'x');   /* still ours, still valid */
    ft_free(p);
}

/* Builds (1000000, 2.5, (7000000,)); NULL on the first failure, with
 * everything made so far released. */
static ft_object *build(void)
{
    ft_object *t = ft_tuple_new(3), *inner = NULL;
    if (!t)
        return NULL;
    ft_object *a = ft_int_from_i64(1000000);
    if (!a || ft_tuple_set_steal(t, 0, a) < 0)
        goto fail;
    ft_object *b = ft_float_from_double(2.5);
    if (!b || ft_tuple_set_steal(t, 1, b) < 0)
        goto fail;
    if (!(inner = ft_tuple_new(1)))
        goto fail;
    ft_object *c = ft_int_from_i64(7000000);
    if (!c || ft_tuple_set_steal(inner, 0, c) < 0)
        goto fail;
    if (ft_tuple_set_steal(t, 2, inner) < 0)
        goto fail_no_inner;
    return t;
fail:
    ft_xdecref(inner);
fail_no_inner:
    ft_decref(t);
    return NULL;
}

static void test_failure_at_each_step_leaks_nothing(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    int failures = 0;
    for (long k = 0; k < 8; k++) {
        _ft_mem_fail_after(k);
        ft_object *t = build();
        _ft_mem_fail_reset();
        if (t) {
            assert_int_equal(ft_len(t), 3);
            ft_decref(t);
        } else {
            expect_memory_error();
            failures++;
        }
        assert_int_equal(ft_test_live_objects(), before);
    }
    /* The two big ints always allocate; tuples and the float may come
     * from their free lists after the first round. */
    assert_true(failures >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, ft_test_setup, ft_test_teardown)
        T(test_every_allocation_fails),
        T(test_realloc_failure_keeps_block),
        T(test_failure_at_each_step_leaks_nothing),
#undef T
    };
    return ft_test_run(tests);
}
