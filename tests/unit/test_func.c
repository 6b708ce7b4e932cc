/* test_func.c — the call protocol and C functions: arguments as a tuple,
 * self kept alive, errors for what cannot be called or returns NULL
 * without an error. */
#include <string.h>
#include "ft_test.h"

/* self + args[0], as ints. */
static ft_object *add_self(ft_object *self, ft_object *args)
{
    ft_object *x = ft_tuple_get_borrow(args, 0);
    return x ? ft_int_add(self, x) : NULL;
}

static ft_object *silent_failure(ft_object *self, ft_object *args)
{
    (void)self;
    (void)args;
    return NULL;
}

static void expect_error(ft_error_kind kind, const char *message)
{
    assert_int_equal(ft_err_kind(), kind);
    assert_non_null(strstr(ft_err_message(), message));
    ft_err_clear();
}

static void test_call_with_self(void **state)
{
    (void)state;
    ft_object *self = ft_int_from_i64(1000000);
    intptr_t before = ft_refcnt(self);
    ft_object *f = ft_cfunction_new("add", add_self, self);
    assert_non_null(f);
    assert_int_equal(ft_refcnt(self), before + 1);   /* kept alive */
    ft_object *arg = ft_int_from_i64(234), *r = ft_call1(f, arg);
    assert_non_null(r);
    assert_int_equal(ft_int_as_i64(r), 1000234);
    ft_decref(r);
    ft_object *args = ft_tuple_new(1);
    ft_tuple_set_steal(args, 0, ft_newref(arg));
    r = ft_call(f, args);
    assert_int_equal(ft_int_as_i64(r), 1000234);
    ft_decref(r);
    assert_null(ft_call(f, arg));                    /* args not a tuple */
    expect_error(FT_ERR_TYPE, "expected a tuple, not 'int'");
    assert_null(ft_call(f, ft_tuple_new(0)));        /* IndexError inside */
    expect_error(FT_ERR_INDEX, "out of range");
    ft_decref(args);
    ft_decref(arg);
    ft_decref(f);
    assert_int_equal(ft_refcnt(self), before);
    ft_decref(self);
}

static void test_not_callable(void **state)
{
    (void)state;
    ft_object *n = ft_int_from_i64(1000000), *args = ft_tuple_new(0);
    assert_null(ft_call(n, args));
    expect_error(FT_ERR_TYPE, "'int' object is not callable");
    assert_null(ft_call1(ft_none(), n));
    expect_error(FT_ERR_TYPE, "'NoneType' object is not callable");
    assert_null(ft_cfunction_new("nothing", NULL, NULL));
    expect_error(FT_ERR_TYPE, "NULL");
    ft_object *f = ft_cfunction_new("silent", silent_failure, NULL);
    assert_null(ft_call(f, args));
    expect_error(FT_ERR_RUNTIME, "returned NULL without setting an error");
    ft_decref(f);
    ft_decref(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_call_with_self),
        T(test_not_callable),
    };
    return ft_test_run(tests);
}
