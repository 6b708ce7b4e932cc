/* test_instance.c — classes and instances: attributes inline with a
 * __dict__ on demand (more in test_instance_compact.c) or in slots, the
 * memory the slots save (Punto vs PuntoOptimizado, as in
 * docs/architecture.md, "Scenarios"), classes kept alive by their
 * instances, errors, and threads writing one instance's attributes. */
#include <string.h>
#include "instance_test.h"

static void check_attributes(ft_type *cls)
{
    ft_object *p = ft_instance_new(cls);
    assert_non_null(p);
    set_int(p, "x", 1000001);
    set_int(p, "y", 2000002);
    assert_int_equal(get_int(p, "x"), 1000001);
    assert_int_equal(get_int(p, "y"), 2000002);
    set_int(p, "x", 3000003);                     /* replace: old released */
    assert_int_equal(get_int(p, "x"), 3000003);
    assert_int_equal(ft_setattr(p, "y", NULL), 0); /* delete */
    assert_null(ft_getattr(p, "y"));
    assert_int_equal(ft_err_kind(), FT_ERR_ATTRIBUTE);
    assert_non_null(strstr(ft_err_message(), "has no attribute 'y'"));
    ft_err_clear();
    assert_int_equal(ft_setattr(p, "y", NULL), -1);   /* already gone */
    assert_int_equal(ft_err_kind(), FT_ERR_ATTRIBUTE);
    ft_err_clear();
    ft_decref(p);
}

static void test_dict_and_slot_attributes(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_type *punto = ft_class_new("Punto", NULL);
    ft_type *optimizado = ft_class_new("PuntoOptimizado", xy);
    assert_non_null(punto);
    assert_non_null(optimizado);
    check_attributes(punto);
    check_attributes(optimizado);
    /* Slots take no new attribute; a __dict__ does. */
    ft_object *a = ft_instance_new(optimizado), *b = ft_instance_new(punto);
    ft_object *one = ft_int_from_i64(1);
    assert_int_equal(ft_setattr(a, "z", one), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_ATTRIBUTE);
    ft_err_clear();
    assert_int_equal(ft_setattr(b, "z", one), 0);
    assert_string_equal(ft_type_name(a), "PuntoOptimizado");
    ft_decref(a);
    ft_decref(b);
    ft_decref(&punto->ob_base);
    ft_decref(&optimizado->ob_base);
    assert_int_equal(ft_test_live_objects(), before);
}

/* Punto with and without __slots__ (docs/architecture.md, "Scenarios"):
 * "Con slots: menor uso de memoria (40-50% menos), elimina el __dict__ por
 * instancia". */
static void test_slots_save_memory(void **state)
{
    (void)state;
    ft_type *punto = ft_class_new("Punto", NULL);
    ft_type *optimizado = ft_class_new("PuntoOptimizado", xy);
    ft_object *p = ft_instance_new(punto), *q = ft_instance_new(optimizado);
    set_int(p, "x", 1);
    set_int(p, "y", 2);
    set_int(q, "x", 1);
    set_int(q, "y", 2);
    ft_object *dict = ft_getattr(p, "__dict__");
    assert_non_null(dict);
    assert_int_equal(ft_len(dict), 2);
    size_t with_dict = ft_sizeof(p) + ft_sizeof(dict), with_slots = ft_sizeof(q);
    print_message("[%s] Punto: %zu bytes + __dict__ %zu = %zu; "
                  "PuntoOptimizado: %zu bytes (%.0f%% less)\n", ft_flavor(),
                  ft_sizeof(p), ft_sizeof(dict), with_dict, with_slots,
                  100.0 * (1.0 - (double)with_slots / (double)with_dict));
    assert_true(with_slots * 10 <= with_dict * 6);   /* at least 40% less */
    assert_null(ft_getattr(q, "__dict__"));          /* slots: no dict */
    assert_int_equal(ft_err_kind(), FT_ERR_ATTRIBUTE);
    ft_err_clear();
    ft_decref(dict);
    ft_decref(p);
    ft_decref(q);
    ft_decref(&punto->ob_base);
    ft_decref(&optimizado->ob_base);
}

static void test_class_lives_while_instances_do(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_type *cls = ft_class_new("Temp", xy);
    ft_object *o = ft_instance_new(cls);
    assert_int_equal(ft_refcnt(&cls->ob_base), 2);   /* ours + the instance's */
    ft_decref(&cls->ob_base);                        /* the class lives on */
    set_int(o, "x", 5);
    assert_string_equal(ft_type_name(o), "Temp");
    ft_decref(o);                                    /* and dies with it */
    assert_int_equal(ft_test_live_objects(), before);
}

static void test_errors(void **state)
{
    (void)state;
    assert_null(ft_class_new(NULL, NULL));
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    const char *const twice[] = { "x", "x", NULL };
    assert_null(ft_class_new("Bad", twice));
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_null(ft_instance_new(&ft_int_type));
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    assert_int_equal(ft_setattr(ft_int_from_i64(3), "x", ft_none()), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    ft_type *cls = ft_class_new("C", NULL);
    ft_object *o = ft_instance_new(cls);
    expect_no_attribute(o, "missing");
    assert_null(ft_getattr(o, NULL));
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    ft_decref(o);
    ft_decref(&cls->ob_base);
}

typedef struct writer {
    ft_object *obj;
    const char *name;
    int64_t base;
} writer;

/* Runs on a worker and on the main thread: it records, never asserts. */
static void write_many(void *arg)
{
    writer *w = arg;
    for (int i = 0; i < 20000; i++) {
        ft_object *n = ft_int_from_i64(w->base + i);
        ft_worker_check(n && ft_setattr(w->obj, w->name, n) == 0);
        ft_xdecref(n);
        ft_object *v = ft_getattr(w->obj, w->name);
        if (!ft_worker_check(v != NULL))
            return;
        if (ft_int_as_i64(v) != w->base + i)   /* only this thread writes it */
            ft_worker_fail("%s = %lld after setting it to %lld", w->name,
                           (long long)ft_int_as_i64(v), (long long)(w->base + i));
        ft_decref(v);
        if (i % 128 == 0)
            ft_checkpoint();
    }
}

/* Two threads write attributes of one instance (slots, then __dict__):
 * every read gives a live int; the last writes stay. */
static void test_threads_share_an_instance(void **state)
{
    (void)state;
    ft_type *classes[2] = { ft_class_new("S", xy), ft_class_new("D", NULL) };
    for (int c = 0; c < 2; c++) {
        ft_object *o = ft_instance_new(classes[c]);
        writer a = { o, "x", 1000000 }, b = { o, "y", 5000000 };
        ft_thread *t = ft_thread_start(write_many, &a);
        write_many(&b);
        assert_int_equal(ft_thread_join(t), 0);
        ft_test_assert_workers_ok();
        assert_int_equal(get_int(o, "x"), 1000000 + 19999);
        assert_int_equal(get_int(o, "y"), 5000000 + 19999);
        ft_decref(o);
    }
    ft_decref(&classes[0]->ob_base);
    ft_decref(&classes[1]->ob_base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_dict_and_slot_attributes),
        T(test_slots_save_memory),
        T(test_class_lives_while_instances_do),
        T(test_errors),
        T(test_threads_share_an_instance),
    };
    return ft_test_run(tests);
}
