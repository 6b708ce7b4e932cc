/* test_tuple.c — tuples: filling, reading, the immortal empty tuple, the
 * per-length free lists, hash and equality, sizes, and every error path. */
#include <string.h>
#include "ft_test.h"

/* nogil serves objects from obmalloc's object pools, the collector's state
 * inside the header and dead blocks parked on free lists, only when
 * obmalloc is the backend, unwrapped (not under FT_MALLOC=debug). */
static bool nogil_pooled(void)
{
    return FT_NOGIL && strcmp(ft_allocator_name(), "obmalloc") == 0;
}

static ft_object *pair(int64_t a, int64_t b)
{
    ft_object *t = ft_tuple_new(2);
    assert_non_null(t);
    assert_int_equal(ft_tuple_set_steal(t, 0, ft_int_from_i64(a)), 0);
    assert_int_equal(ft_tuple_set_steal(t, 1, ft_int_from_i64(b)), 0);
    return t;
}

static void test_fill_and_read(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *t = pair(1000, 7);
    assert_int_equal(ft_len(t), 2);
    assert_int_equal(ft_int_as_i64(ft_tuple_get_borrow(t, 0)), 1000);
    assert_int_equal(ft_int_as_i64(ft_tuple_get_borrow(t, 1)), 7);
    assert_int_equal(ft_test_live_objects(), before + 2);   /* the tuple and 1000 */
    /* header, size, items; the gil build adds the collector's 16-byte
     * pre-header (as sys.getsizeof does), nogil keeps its state inside
     * the header when obmalloc serves the object */
    assert_int_equal(ft_sizeof(t), (nogil_pooled() ? 32 : FT_NOGIL ? 32 + 16 : 16 + 16)
                                   + 8 + 2 * 8);
    ft_decref(t);                                   /* frees its items too */
    assert_int_equal(ft_test_live_objects(), before);
}

static void test_empty_tuple_is_immortal(void **state)
{
    (void)state;
    ft_object *e = ft_tuple_new(0);
    assert_ptr_equal(e, ft_tuple_new(0));
    assert_true(ft_is_immortal(e));
    assert_int_equal(ft_len(e), 0);
    ft_decref(e);
}

static void test_free_list_per_length(void **state)
{
    (void)state;
    ft_object *t = pair(1, 2);
    ft_decref(t);
    ft_object *u = pair(3, 4);     /* same length: the same block again */
    if (!FT_NOGIL || nogil_pooled())
        assert_ptr_equal(u, t);
    assert_int_equal(ft_refcnt(u), 1);
    assert_int_equal(ft_int_as_i64(ft_tuple_get_borrow(u, 0)), 3);
    ft_object *v = ft_tuple_new(3);  /* another length: another block */
    assert_ptr_not_equal(v, t);
    ft_decref(u);
    ft_decref(v);                    /* unfilled slots are NULL: fine */
}

static void test_hash_and_equality(void **state)
{
    (void)state;
    ft_object *a = pair(1, 2), *b = pair(1, 2), *c = pair(2, 1);
    assert_int_equal(ft_hash(a), ft_hash(b));
    assert_true(ft_hash(a) != ft_hash(c));
    assert_int_equal(ft_equal(a, b), 1);
    assert_int_equal(ft_equal(a, c), 0);
    ft_object *f = ft_tuple_new(2);   /* (1.0, 2.0) == (1, 2) */
    ft_tuple_set_steal(f, 0, ft_float_from_double(1.0));
    ft_tuple_set_steal(f, 1, ft_float_from_double(2.0));
    assert_int_equal(ft_equal(a, f), 1);
    assert_int_equal(ft_hash(a), ft_hash(f));
    ft_decref(a);
    ft_decref(b);
    ft_decref(c);
    ft_decref(f);
}

static void test_errors(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    assert_null(ft_tuple_new(-1));
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    ft_object *t = ft_tuple_new(1);
    /* A bad index still consumes the stolen reference: nothing leaks. */
    assert_int_equal(ft_tuple_set_steal(t, 5, ft_int_from_i64(5000)), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_INDEX);
    ft_err_clear();
    assert_null(ft_tuple_get_borrow(t, -1));
    assert_int_equal(ft_err_kind(), FT_ERR_INDEX);
    ft_err_clear();
    assert_int_equal(ft_tuple_set_steal(ft_none(), 0, ft_int_from_i64(6000)), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    assert_null(ft_tuple_get_borrow(ft_int_from_i64(3), 0));
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    assert_int_equal(ft_len(ft_none()), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    ft_decref(t);
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_fill_and_read),
        T(test_empty_tuple_is_immortal),
        T(test_free_list_per_length),
        T(test_hash_and_equality),
        T(test_errors),
    };
    return ft_test_run(tests);
}
