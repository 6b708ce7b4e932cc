/* test_instance_compact.c — compact instances (classes without slots):
 * attribute values inline with keys shared by the class, a real __dict__
 * only when asked for or when the layout diverges (runtime/objects/
 * instance.c). Sizes against CPython 3.11's 88 B two-attribute instance,
 * set/get/delete/overwrite, many attributes, the dict after inline use
 * (same contents, same order), orders the keys cannot represent, the
 * name cache fooled by a reused buffer, weakrefs + finalizers + cycles,
 * referents, and allocation failure at every step. */
#define FT_BUILD_CORE 1   /* white-box: mem/backend.h's failure injection */
#include <stdio.h>
#include <string.h>
#include "instance_test.h"
#include "mem/backend.h"

/* The dict's keys, joined by ",", in its iteration order. */
static void dict_keys(ft_object *d, char *buf, size_t len)
{
    ssize_t pos = 0;
    ft_object *k;
    buf[0] = '\0';
    while (ft_dict_next(d, &pos, &k, NULL) == 1) {
        const char *s = ft_str_utf8_borrow(k, NULL);
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", used ? "," : "", s);
    }
}

static void expect_dict_order(ft_object *o, const char *want)
{
    char keys[256];
    ft_object *d = ft_getattr(o, "__dict__");
    assert_non_null(d);
    dict_keys(d, keys, sizeof keys);
    assert_string_equal(keys, want);
    ft_decref(d);
}

/* ---- Sizes ------------------------------------------------------------------ */

static void test_two_attributes_fit_cpython_size(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Point", NULL), *slotted = ft_class_new("SPoint", xy);
    ft_object *first = ft_instance_new(cls);   /* the class has no key yet */
    set_int(first, "x", 1000001);
    set_int(first, "y", 1000002);
    ft_object *p = ft_instance_new(cls);       /* sized from keys (x, y) */
    set_int(p, "x", 1000003);
    set_int(p, "y", 1000004);
    ft_object *s = ft_instance_new(slotted);
    set_int(s, "x", 1);
    set_int(s, "y", 2);
    print_message("[%s] two attributes: %zu B (first instance %zu B), "
                  "__slots__ %zu B; CPython 3.11: 88 B\n", ft_flavor(),
                  ft_sizeof(p), ft_sizeof(first), ft_sizeof(s));
    /* nogil gives a block outside obmalloc's object pools (FT_MALLOC=
     * debug, malloc, mimalloc) the collector's 16-byte head as well. */
    size_t head = FT_NOGIL && strcmp(ft_allocator_name(), "obmalloc") != 0 ? 16 : 0;
    assert_true(ft_sizeof(p) <= 88 + head);
    assert_true(ft_sizeof(first) <= 88 + head);
    assert_true(ft_sizeof(s) < ft_sizeof(p));   /* __slots__ smaller still */
    /* A materialized dict is a separate object, as in CPython. */
    ft_object *d = ft_getattr(p, "__dict__");
    assert_non_null(d);
    assert_true(ft_sizeof(p) + ft_sizeof(d) > ft_sizeof(first));
    assert_int_equal(get_int(p, "x"), 1000003);   /* now from the dict */
    ft_decref(d);
    ft_decref(first);
    ft_decref(p);
    ft_decref(s);
    ft_decref(&cls->ob_base);
    ft_decref(&slotted->ob_base);
}

/* ---- Attributes ----------------------------------------------------------- */

static void test_set_get_delete_overwrite(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("C", NULL);
    int64_t base = ft_test_live_objects();
    ft_object *o = ft_instance_new(cls);
    set_int(o, "x", 1000001);
    set_int(o, "y", 1000002);
    assert_int_equal(get_int(o, "x"), 1000001);
    assert_int_equal(get_int(o, "y"), 1000002);
    set_int(o, "x", 1000003);                 /* overwrite: old one released */
    assert_int_equal(get_int(o, "x"), 1000003);
    assert_int_equal(ft_setattr(o, "y", NULL), 0);   /* delete */
    expect_no_attribute(o, "y");
    assert_int_equal(ft_setattr(o, "y", NULL), -1);  /* already gone */
    ft_test_expect_error(FT_ERR_ATTRIBUTE);
    assert_int_equal(ft_setattr(o, "never", NULL), -1);   /* no such key */
    ft_test_expect_error(FT_ERR_ATTRIBUTE);
    expect_no_attribute(o, "never");
    set_int(o, "y", 1000004);                 /* back, last: still inline */
    assert_int_equal(get_int(o, "y"), 1000004);
    expect_dict_order(o, "x,y");
    /* A second instance sees none of the first one's values. */
    ft_object *p = ft_instance_new(cls);
    expect_no_attribute(p, "x");
    set_int(p, "y", 7);
    assert_int_equal(get_int(p, "y"), 7);
    ft_decref(p);
    ft_decref(o);
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

/* More names than an instance holds, and than the class shares (30). */
static void test_many_attributes(void **state)
{
    (void)state;
    enum { N = 40 };
    ft_type *cls = ft_class_new("Many", NULL);
    int64_t base = ft_test_live_objects();
    char name[16], want[N * 8] = "";
    for (int round = 0; round < 2; round++) {   /* second: a sized instance */
        ft_object *o = ft_instance_new(cls);
        want[0] = '\0';
        for (int i = 0; i < N; i++) {
            snprintf(name, sizeof name, "a%d", i);
            set_int(o, name, 1000000 + i);
            size_t used = strlen(want);
            snprintf(want + used, sizeof want - used, "%s%s", used ? "," : "", name);
        }
        for (int i = 0; i < N; i++) {
            snprintf(name, sizeof name, "a%d", i);
            assert_int_equal(get_int(o, name), 1000000 + i);
        }
        expect_dict_order(o, want);
        ft_decref(o);
    }
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

/* The dict made after inline use holds the same values in the same
 * order, and is from then on the instance's namespace both ways. */
static void test_dict_after_inline_use(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("D", NULL);
    ft_object *o = ft_instance_new(cls);
    set_int(o, "a", 1000001);
    set_int(o, "b", 1000002);
    set_int(o, "c", 1000003);
    assert_int_equal(ft_setattr(o, "b", NULL), 0);
    ft_object *d = ft_getattr(o, "__dict__");
    assert_non_null(d);
    assert_int_equal(ft_len(d), 2);
    char keys[64];
    dict_keys(d, keys, sizeof keys);
    assert_string_equal(keys, "a,c");
    ft_object *again = ft_getattr(o, "__dict__");
    assert_ptr_equal(again, d);   /* one dict */
    ft_decref(again);
    set_int(o, "b", 1000004);     /* into the dict, last */
    dict_keys(d, keys, sizeof keys);
    assert_string_equal(keys, "a,c,b");
    ft_object *k = ft_test_str("e"), *v = ft_int_from_i64(1000005);
    assert_int_equal(ft_dict_set(d, k, v), 0);   /* o.__dict__['e'] = ... */
    assert_int_equal(get_int(o, "e"), 1000005);
    assert_int_equal(ft_setattr(o, "a", NULL), 0);
    assert_int_equal(ft_len(d), 3);
    expect_no_attribute(o, "a");
    assert_int_equal(get_int(o, "c"), 1000003);
    ft_decref(k);
    ft_decref(v);
    ft_decref(d);
    ft_decref(o);
    ft_decref(&cls->ob_base);
}

/* Orders the shared keys cannot represent make the dict first, so that
 * the dict shows the instance's own order, as CPython's does. */
static void test_orders_that_diverge(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("O", NULL);
    ft_object *a = ft_instance_new(cls), *b = ft_instance_new(cls);
    ft_object *c = ft_instance_new(cls);
    set_int(a, "x", 1);   /* the keys: x, y */
    set_int(a, "y", 2);
    expect_dict_order(a, "x,y");
    set_int(b, "y", 3);   /* y before x */
    set_int(b, "x", 4);
    expect_dict_order(b, "y,x");
    assert_int_equal(get_int(b, "x"), 4);
    set_int(c, "x", 5);   /* del c.x; c.x = ...: x goes last */
    set_int(c, "y", 6);
    assert_int_equal(ft_setattr(c, "x", NULL), 0);
    set_int(c, "x", 7);
    expect_dict_order(c, "y,x");
    assert_int_equal(get_int(c, "x"), 7);
    assert_int_equal(get_int(c, "y"), 6);
    ft_decref(a);
    ft_decref(b);
    ft_decref(c);
    ft_decref(&cls->ob_base);
}

/* The per-class cache is keyed by the name's address: one buffer that
 * holds "x", then "y", must still find each by its text. */
static void test_reused_name_buffer(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("B", NULL);
    ft_object *o = ft_instance_new(cls);
    char name[2] = "x";
    set_int(o, name, 1000001);
    name[0] = 'y';
    set_int(o, name, 1000002);
    for (int i = 0; i < 4; i++) {
        name[0] = 'x';
        assert_int_equal(get_int(o, name), 1000001);
        name[0] = 'y';
        assert_int_equal(get_int(o, name), 1000002);
        name[0] = 'z';
        expect_no_attribute(o, name);
    }
    ft_decref(o);
    ft_decref(&cls->ob_base);
}

/* ---- The collector, weakrefs, finalizers ---------------------------------- */

static int finalized;
static void count_finalize(ft_object *self) { (void)self; finalized++; }

static void test_cycle_weakref_finalizer(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Node", NULL);
    assert_int_equal(ft_class_set_finalizer(cls, count_finalize, false), 0);
    int64_t base = ft_test_live_objects();
    ft_object *a = ft_instance_new(cls), *b = ft_instance_new(cls);
    set_int(a, "id", 1000001);
    assert_int_equal(ft_setattr(a, "other", b), 0);
    set_int(b, "id", 1000002);
    assert_int_equal(ft_setattr(b, "other", a), 0);
    ft_object *wa = ft_weakref_new(a, NULL);
    assert_non_null(wa);
    /* The referents are the inline values and the class, no dict. */
    ft_object *refs = ft_gc_get_referents(a);
    assert_non_null(refs);
    bool saw_b = false, saw_class = false;
    for (ssize_t i = 0; i < ft_len(refs); i++) {
        ft_object *r = ft_list_get(refs, i);
        saw_b |= r == b;
        saw_class |= r == &cls->ob_base;
        assert_ptr_not_equal(ft_type_of(r), &ft_dict_type);
        ft_decref(r);
    }
    assert_true(saw_b && saw_class);
    ft_decref(refs);
    finalized = 0;
    ft_decref(a);
    ft_decref(b);
    assert_int_equal(ft_gc_collect(-1), 2);   /* a and b: no dicts */
    assert_int_equal(finalized, 2);
    ft_object *gone = ft_weakref_get(wa);
    assert_ptr_equal(gone, ft_none());
    ft_decref(gone);
    ft_decref(wa);
    assert_int_equal(ft_test_live_objects(), base);
    /* The same with a materialized dict on one side. */
    a = ft_instance_new(cls);
    b = ft_instance_new(cls);
    assert_int_equal(ft_setattr(a, "other", b), 0);
    assert_int_equal(ft_setattr(b, "other", a), 0);
    ft_object *d = ft_getattr(b, "__dict__");
    ft_decref(d);
    ft_decref(a);
    ft_decref(b);
    assert_int_equal(ft_gc_collect(-1), 3);   /* a, b, b's dict */
    assert_int_equal(ft_test_live_objects(), base);
    ft_decref(&cls->ob_base);
}

/* ---- Allocation failure ---------------------------------------------------- */

/* Runs call on a fresh instance (x, y, z set) at every failing
 * allocation step until it succeeds; each failure is a MemoryError that
 * leaves the attributes as they were and leaks nothing. Returns the
 * number of failed steps. */
static long fail_each_step(ft_type *cls, int (*call)(ft_object *o),
                           const char *extra)
{
    for (long k = 0; k < 64; k++) {
        int64_t before = ft_test_live_objects();
        ft_object *o = ft_instance_new(cls);
        set_int(o, "x", 1000001);
        set_int(o, "y", 1000002);
        set_int(o, "z", 1000003);
        _ft_mem_fail_after(k);
        int rc = call(o);
        _ft_mem_fail_reset();
        if (rc < 0)
            ft_test_expect_error(FT_ERR_MEMORY);
        assert_int_equal(get_int(o, "x"), 1000001);
        assert_int_equal(get_int(o, "y"), 1000002);
        assert_int_equal(get_int(o, "z"), 1000003);
        if (rc < 0 && strcmp(extra, "__dict__") != 0) {
            expect_no_attribute(o, extra);
        } else if (rc == 0) {
            expect_dict_order(o, strcmp(extra, "__dict__") == 0 ? "x,y,z" : "x,y,z,w");
        }
        ft_decref(o);
        assert_int_equal(ft_test_live_objects(), before);
        if (rc == 0)
            return k;
    }
    fail_msg("still failing after 64 steps");
    return -1;
}

static int ask_dict(ft_object *o)
{
    ft_object *d = ft_getattr(o, "__dict__");
    ft_xdecref(d);
    return d ? 0 : -1;
}

static int add_w(ft_object *o)
{
    ft_object *v = ft_int_from_i64(1000004);
    int rc = v ? ft_setattr(o, "w", v) : -1;
    ft_xdecref(v);
    return rc;
}

static void test_allocation_failure(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("F", NULL);
    /* Materializing: the dict, each key str, its growth. */
    long steps = fail_each_step(cls, ask_dict, "__dict__");
    print_message("[%s] __dict__ made: %ld failing steps\n", ft_flavor(), steps);
    assert_true(steps >= 2);
    /* A fourth attribute on instances sized for three (x, y, z + spare
     * 1): the first round adds the key w, later ones fit inline. */
    steps = fail_each_step(cls, add_w, "w");
    assert_true(steps >= 1);
    /* An instance sized before w existed overflows: its dict is made. */
    ft_type *small = ft_class_new("G", NULL);
    ft_object *o = ft_instance_new(small);   /* capacity 4 */
    const char *names[] = { "a", "b", "c", "d" };
    for (int i = 0; i < 4; i++)
        set_int(o, names[i], i);
    long k;
    for (k = 0; k < 64; k++) {
        ft_object *v = ft_int_from_i64(1000005);
        _ft_mem_fail_after(k);
        int rc = ft_setattr(o, "e", v);
        _ft_mem_fail_reset();
        ft_decref(v);
        for (int i = 0; i < 4; i++)
            assert_int_equal(get_int(o, names[i]), i);
        if (rc == 0)
            break;
        ft_test_expect_error(FT_ERR_MEMORY);
        expect_no_attribute(o, "e");
    }
    assert_true(k >= 2);
    assert_int_equal(get_int(o, "e"), 1000005);
    expect_dict_order(o, "a,b,c,d,e");
    ft_decref(o);
    ft_decref(&small->ob_base);
    ft_decref(&cls->ob_base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_two_attributes_fit_cpython_size),
        T(test_set_get_delete_overwrite),
        T(test_many_attributes),
        T(test_dict_after_inline_use),
        T(test_orders_that_diverge),
        T(test_reused_name_buffer),
        T(test_cycle_weakref_finalizer),
        T(test_allocation_failure),
    };
    return ft_test_run(tests);
}
