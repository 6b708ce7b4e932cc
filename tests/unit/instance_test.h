/* instance_test.h — what test_instance.c and test_instance_compact.c
 * share: a two-slot layout and attribute helpers that assert (main
 * thread only, as every cmocka assertion). Static inline: each test file
 * uses what it needs. */
#ifndef FT_INSTANCE_TEST_H
#define FT_INSTANCE_TEST_H

#include "ft_test.h"

/* __slots__ = ("x", "y") */
static const char *const xy[] = { "x", "y", NULL };

/* o.name = v, which must succeed. */
static inline void set_int(ft_object *o, const char *name, int64_t v)
{
    ft_object *i = ft_int_from_i64(v);
    assert_int_equal(ft_setattr(o, name, i), 0);
    ft_decref(i);
}

/* o.name, which must exist and be an int. */
static inline int64_t get_int(ft_object *o, const char *name)
{
    ft_object *v = ft_getattr(o, name);
    if (!v)
        fail_msg("getattr %s: %s", name, ft_err_message());
    int64_t r = ft_int_as_i64(v);
    ft_decref(v);
    return r;
}

/* o.name raises AttributeError (cleared). */
static inline void expect_no_attribute(ft_object *o, const char *name)
{
    assert_null(ft_getattr(o, name));
    ft_test_expect_error(FT_ERR_ATTRIBUTE);
}

#endif
