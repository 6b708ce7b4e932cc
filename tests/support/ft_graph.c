/* ft_graph.c — see ft_graph.h. */
#include "ft_graph.h"

const char *const ft_test_node_slots[] = { "other", "id", NULL };

ft_object *ft_test_node_new(ft_type *cls, int64_t id)
{
    ft_object *o = ft_instance_new(cls);
    assert_non_null(o);
    ft_object *v = ft_int_from_i64(id);
    assert_int_equal(ft_setattr(o, "id", v), 0);
    ft_decref(v);
    return o;
}

void ft_test_link(ft_object *from, const char *name, ft_object *to)
{
    assert_int_equal(ft_setattr(from, name, to), 0);
}

ft_object *ft_test_pair(ft_type *cls)
{
    ft_object *a = ft_test_node_new(cls, 1), *b = ft_test_node_new(cls, 2);
    ft_test_link(a, "other", b);
    ft_test_link(b, "other", a);
    ft_decref(b);
    return a;
}
