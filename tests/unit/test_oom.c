/* test_oom.c — out of memory: with allocation-failure injection every
 * allocating call fails cleanly with MemoryError, at each of its
 * allocation steps in turn, leaves what it touched valid, and a program
 * that handles the error leaks nothing. */
#define FT_BUILD_CORE 1   /* white-box: mem/backend.h's injection */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include "ft_test.h"
#include "mem/backend.h"

static void expect_memory_error(void)
{
    ft_test_expect_error(FT_ERR_MEMORY);
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

/* ---- Failure at every allocation step of every allocating API -----------
 * For each API: prepare its state (no injection), then run the call with
 * the 1st allocation failing, then the 2nd, ... until the call succeeds.
 * Each failed run must return NULL/-1 with MemoryError, leave the state it
 * touched valid (checked by the case) and the objects alive as before
 * (after its cleanup); ft_fini's zero-leak check at teardown covers the
 * memory blocks. The number of failed steps is printed per API: the list
 * of fault-injection points. */

typedef struct oom_case {
    const char *name;
    void (*prepare)(void *ctx);          /* may be NULL                    */
    int (*call)(void *ctx);              /* 0 success, -1 error            */
    void (*check)(void *ctx, bool ok);   /* after the call, not injected   */
    void (*cleanup)(void *ctx);          /* may be NULL                    */
    long min_steps;                      /* allocations it surely makes    */
    bool keeps;   /* a failed call may keep what it made inside the state
                     (an instance keeps the __dict__ made for it)       */
} oom_case;

enum { MAX_STEPS = 64, CTX_OBJS = 64 };

typedef struct oom_ctx {
    ft_object *o[CTX_OBJS];
    ft_type *cls;
    ft_object *result;
    int n;
    _Atomic int xran;
} oom_ctx;

static void ctx_release(oom_ctx *c)
{
    for (int i = 0; i < CTX_OBJS; i++) {
        ft_xdecref(c->o[i]);
        c->o[i] = NULL;
    }
    ft_xdecref(c->result);
    c->result = NULL;
    if (c->cls)
        ft_decref(&c->cls->ob_base);
    c->cls = NULL;
}

/* Runs one case at every step; returns the number of failed steps. */
static long fail_each_step(const oom_case *oc)
{
    for (long k = 0; k < MAX_STEPS; k++) {
        oom_ctx c = { .n = 0 };
        int64_t before = ft_test_live_objects();
        if (oc->prepare)
            oc->prepare(&c);
        assert_false(ft_err_occurred());
        int64_t prepared = ft_test_live_objects();
        _ft_mem_fail_after(k);
        int rc = oc->call(&c);
        _ft_mem_fail_reset();
        if (rc == 0) {
            assert_false(ft_err_occurred());
        } else {
            assert_int_equal(rc, -1);
            if (ft_err_kind() != FT_ERR_MEMORY)
                fail_msg("%s, step %ld: %s: %s", oc->name, k,
                         ft_err_kind_name(ft_err_kind()), ft_err_message());
            ft_err_clear();
            /* a failed call keeps no object it made */
            if (!oc->keeps)
                assert_int_equal(ft_test_live_objects(), prepared);
        }
        oc->check(&c, rc == 0);
        if (oc->cleanup)
            oc->cleanup(&c);
        ctx_release(&c);
        assert_int_equal(ft_test_live_objects(), before);
        if (rc == 0)
            return k;
    }
    fail_msg("%s: still failing after %d injected steps", oc->name, MAX_STEPS);
    return -1;
}

static bool str_is(ft_object *o, const char *s)
{
    ssize_t n;
    const char *b = ft_str_utf8_borrow(o, &n);
    return b && (size_t)n == strlen(s) && memcmp(b, s, (size_t)n) == 0;
}

static int result_or_fail(oom_ctx *c, ft_object *r)
{
    c->result = r;
    return r ? 0 : -1;
}

/* strs */
static int call_str_new(void *p)
{
    return result_or_fail(p, ft_str_from_utf8("a string of some length", -1));
}
static void check_str_new(void *p, bool ok)
{
    oom_ctx *c = p;
    assert_true(!ok || str_is(c->result, "a string of some length"));
}

static void prep_two_strs(void *p)
{
    oom_ctx *c = p;
    c->o[0] = ft_test_str("left half, ");
    c->o[1] = ft_test_str("right half");
}
static int call_str_concat(void *p)
{
    oom_ctx *c = p;
    return result_or_fail(c, ft_str_concat(c->o[0], c->o[1]));
}
static void check_str_concat(void *p, bool ok)
{
    oom_ctx *c = p;
    assert_true(str_is(c->o[0], "left half, ") && str_is(c->o[1], "right half"));
    assert_true(!ok || str_is(c->result, "left half, right half"));
}

static void prep_str_list(void *p)
{
    oom_ctx *c = p;
    prep_two_strs(c);
    c->o[2] = ft_test_str(" | ");
    assert_non_null(c->o[3] = ft_list_new(0));
    assert_int_equal(ft_list_append(c->o[3], c->o[0]), 0);
    assert_int_equal(ft_list_append(c->o[3], c->o[1]), 0);
    assert_int_equal(ft_list_append(c->o[3], c->o[0]), 0);
}
static int call_str_join(void *p)
{
    oom_ctx *c = p;
    return result_or_fail(c, ft_str_join(c->o[2], c->o[3]));
}
static void check_str_join(void *p, bool ok)
{
    oom_ctx *c = p;
    assert_int_equal(ft_len(c->o[3]), 3);
    assert_true(!ok || str_is(c->result, "left half,  | right half | left half, "));
}

/* interning: the gil table grows (rehash) at its 43rd string of 64 slots;
 * nogil's node lives in the string (no allocation of its own) */
enum { INTERN_PREP = 42 };
static void prep_intern(void *p)
{
    oom_ctx *c = p;
    char name[32];
    for (int i = 0; i < INTERN_PREP; i++) {
        snprintf(name, sizeof name, "interned-%d", i);
        ft_object *s = ft_test_str(name);
        assert_non_null(c->o[i] = ft_str_intern(s));
        ft_decref(s);
    }
    c->o[INTERN_PREP] = ft_test_str("the one that grows the table");
}
static int call_intern(void *p)
{
    oom_ctx *c = p;
    return result_or_fail(c, ft_str_intern(c->o[INTERN_PREP]));
}
static void check_intern(void *p, bool ok)
{
    oom_ctx *c = p;
    assert_int_equal(ft_str_is_interned(c->o[INTERN_PREP]), ok);
    for (int i = 0; i < INTERN_PREP; i++) {
        ft_object *again = ft_str_intern(c->o[i]);
        assert_ptr_equal(again, c->o[i]);   /* the table still holds it */
        ft_decref(again);
    }
    if (ok)
        assert_ptr_equal(c->result, c->o[INTERN_PREP]);
}

/* sets */
static int call_set_new(void *p) { return result_or_fail(p, ft_set_new()); }
static void check_set_new(void *p, bool ok)
{
    oom_ctx *c = p;
    assert_true(!ok || ft_len(c->result) == 0);
}

/* Adds 0..199 (immortal ints: only the table allocates) until one fails. */
enum { SET_KEYS = 200 };
static void prep_set(void *p)
{
    oom_ctx *c = p;
    assert_non_null(c->o[0] = ft_set_new());
}
static int call_set_grow(void *p)
{
    oom_ctx *c = p;
    for (c->n = 0; c->n < SET_KEYS; c->n++)
        if (ft_set_add(c->o[0], ft_int_from_i64(c->n)) != 1)
            return -1;
    return 0;
}
static void check_set_grow(void *p, bool ok)
{
    oom_ctx *c = p;
    (void)ok;
    /* a set that failed to grow still has exactly what was added */
    assert_int_equal(ft_len(c->o[0]), c->n);
    for (int i = 0; i < SET_KEYS; i++)
        assert_int_equal(ft_set_contains(c->o[0], ft_int_from_i64(i)), i < c->n);
    /* and it still works: discard one, add it back */
    if (c->n > 0) {
        assert_int_equal(ft_set_discard(c->o[0], ft_int_from_i64(0)), 1);
        assert_int_equal(ft_set_add(c->o[0], ft_int_from_i64(0)), 1);
    }
}

/* dicts and lists grow the same way */
static int call_dict_grow(void *p)
{
    oom_ctx *c = p;
    for (c->n = 0; c->n < SET_KEYS; c->n++)
        if (ft_dict_set(c->o[0], ft_int_from_i64(c->n), ft_none()) < 0)
            return -1;
    return 0;
}
static void prep_dict(void *p)
{
    oom_ctx *c = p;
    assert_non_null(c->o[0] = ft_dict_new());
}
static void check_dict_grow(void *p, bool ok)
{
    oom_ctx *c = p;
    (void)ok;
    assert_int_equal(ft_len(c->o[0]), c->n);
    for (int i = 0; i < SET_KEYS; i++) {
        ft_object *v = NULL;
        assert_int_equal(ft_dict_lookup(c->o[0], ft_int_from_i64(i), &v), i < c->n);
        ft_xdecref(v);
    }
}
static void prep_list(void *p)
{
    oom_ctx *c = p;
    assert_non_null(c->o[0] = ft_list_new(0));
}
static int call_list_grow(void *p)
{
    oom_ctx *c = p;
    for (c->n = 0; c->n < SET_KEYS; c->n++)
        if (ft_list_append(c->o[0], ft_int_from_i64(c->n)) < 0)
            return -1;
    return 0;
}
static void check_list_grow(void *p, bool ok)
{
    oom_ctx *c = p;
    (void)ok;
    assert_int_equal(ft_len(c->o[0]), c->n);
    for (int i = 0; i < c->n; i++) {
        ft_object *v = ft_list_get(c->o[0], i);
        assert_int_equal(ft_int_as_i64(v), i);
        ft_decref(v);
    }
}

/* classes and instances */
static const char *const xy_slots[] = { "x", "y", NULL };
static int call_class_dict(void *p)
{
    oom_ctx *c = p;
    c->cls = ft_class_new("Plain", NULL);
    return c->cls ? 0 : -1;
}
static int call_class_slots(void *p)
{
    oom_ctx *c = p;
    c->cls = ft_class_new("Point", xy_slots);
    return c->cls ? 0 : -1;
}
static void check_class(void *p, bool ok)
{
    oom_ctx *c = p;
    if (!ok)
        return;
    assert_true(strcmp(c->cls->tp_name, "Plain") == 0 ||
                strcmp(c->cls->tp_name, "Point") == 0);
    ft_object *o = ft_instance_new(c->cls);   /* the class works */
    assert_non_null(o);
    ft_decref(o);
}

static void prep_class(void *p)
{
    oom_ctx *c = p;
    assert_non_null(c->cls = ft_class_new("Plain", NULL));
}
static int call_instance_new(void *p)
{
    oom_ctx *c = p;
    return result_or_fail(c, ft_instance_new(c->cls));
}
static void check_instance(void *p, bool ok)
{
    oom_ctx *c = p;
    assert_true(!ok || ft_type_of(c->result) == c->cls);
}

/* setattr: an instance with five attributes (its dict's table full) gets
 * a sixth: a name str, maybe the intern table, the dict's resize */
enum { ATTRS = 5 };
static void prep_setattr(void *p)
{
    oom_ctx *c = p;
    prep_class(c);
    assert_non_null(c->o[0] = ft_instance_new(c->cls));
    char name[16];
    for (int i = 0; i < ATTRS; i++) {
        snprintf(name, sizeof name, "attr%d", i);
        assert_int_equal(ft_setattr(c->o[0], name, ft_int_from_i64(i)), 0);
    }
}
static int call_setattr(void *p)
{
    oom_ctx *c = p;
    return ft_setattr(c->o[0], "a_new_attribute", ft_true());
}
static void check_setattr(void *p, bool ok)
{
    oom_ctx *c = p;
    char name[16];
    for (int i = 0; i < ATTRS; i++) {
        snprintf(name, sizeof name, "attr%d", i);
        ft_object *v = ft_getattr(c->o[0], name);
        assert_int_equal(ft_int_as_i64(v), i);
        ft_decref(v);
    }
    ft_object *v = ft_getattr(c->o[0], "a_new_attribute");
    if (ok) {
        assert_ptr_equal(v, ft_true());
    } else {
        assert_null(v);
        assert_int_equal(ft_err_kind(), FT_ERR_ATTRIBUTE);
        ft_err_clear();
    }
    ft_xdecref(v);
}
/* the first attribute of a fresh instance: its name joins the class's
 * shared keys (the value is stored inline, no dict) */
static void prep_instance(void *p)
{
    oom_ctx *c = p;
    prep_class(c);
    assert_non_null(c->o[0] = ft_instance_new(c->cls));
}
static void check_first_attr(void *p, bool ok)
{
    oom_ctx *c = p;
    ft_object *v = ft_getattr(c->o[0], "a_new_attribute");
    assert_int_equal(v != NULL, ok);
    if (!ok)
        ft_err_clear();
    ft_xdecref(v);
}

/* C functions */
static ft_object *return_self(ft_object *self, ft_object *args)
{
    (void)args;
    return ft_newref(self);
}
static void prep_cfunc_self(void *p)
{
    oom_ctx *c = p;
    c->o[0] = ft_test_str("self object");
}
static int call_cfunction_new(void *p)
{
    oom_ctx *c = p;
    return result_or_fail(c, ft_cfunction_new("return_self", return_self, c->o[0]));
}
static void check_cfunction(void *p, bool ok)
{
    oom_ctx *c = p;
    assert_int_equal(ft_refcnt(c->o[0]), ok ? 2 : 1);
}
static void prep_cfunc(void *p)
{
    oom_ctx *c = p;
    prep_cfunc_self(c);
    assert_non_null(c->o[1] = ft_cfunction_new("return_self", return_self, c->o[0]));
    c->o[2] = ft_test_str("an argument");
}
static int call_call1(void *p)
{
    oom_ctx *c = p;
    return result_or_fail(c, ft_call1(c->o[1], c->o[2]));
}
static void check_call1(void *p, bool ok)
{
    oom_ctx *c = p;
    assert_true(!ok || c->result == c->o[0]);
    assert_int_equal(ft_refcnt(c->o[2]), 1);
}

/* threads */
static void thread_body(void *arg)
{
    oom_ctx *c = arg;
    atomic_fetch_add(&c->xran, 1);
}
static int call_thread_start(void *p)
{
    oom_ctx *c = p;
    ft_thread *t = ft_thread_start(thread_body, c);
    if (!t)
        return -1;
    int rc = ft_thread_join(t);
    assert_int_equal(rc, 0);
    return 0;
}
static void check_thread_start(void *p, bool ok)
{
    oom_ctx *c = p;
    /* a failed start ran nothing and left no thread behind (ft_fini
     * checks that none is registered) */
    assert_int_equal(atomic_load(&c->xran), ok ? 1 : 0);
}

static const oom_case oom_cases[] = {
    { "ft_str_from_utf8", NULL, call_str_new, check_str_new, NULL, 1, false },
    { "ft_str_concat", prep_two_strs, call_str_concat, check_str_concat, NULL, 1, false },
    { "ft_str_join(list)", prep_str_list, call_str_join, check_str_join, NULL, 2, false },
    { "ft_str_intern(table growth)", prep_intern, call_intern, check_intern, NULL, 0, false },
    { "ft_set_new", NULL, call_set_new, check_set_new, NULL, 1, false },
    { "ft_set_add(x200, growth)", prep_set, call_set_grow, check_set_grow, NULL, 2, false },
    { "ft_dict_set(x200, growth)", prep_dict, call_dict_grow, check_dict_grow, NULL, 2, false },
    { "ft_list_append(x200, growth)", prep_list, call_list_grow, check_list_grow, NULL, 2, false },
    { "ft_class_new(dict)", NULL, call_class_dict, check_class, NULL, 2, false },
    { "ft_class_new(slots x, y)", NULL, call_class_slots, check_class, NULL, 5, false },
    { "ft_instance_new", prep_class, call_instance_new, check_instance, NULL, 1, false },
    { "ft_setattr(first: key added)", prep_instance, call_setattr, check_first_attr, NULL, 1, false },
    { "ft_setattr(6th: dict growth)", prep_setattr, call_setattr, check_setattr, NULL, 2, false },
    { "ft_cfunction_new", prep_cfunc_self, call_cfunction_new, check_cfunction, NULL, 1, false },
    { "ft_call1", prep_cfunc, call_call1, check_call1, NULL, 0, false },
    { "ft_thread_start", NULL, call_thread_start, check_thread_start, NULL, 1, false },
};

static void test_every_api_fails_at_every_step(void **state)
{
    (void)state;
    print_message("fault-injection points [%s] (API: allocation steps failed)\n",
                  ft_flavor());
    for (size_t i = 0; i < sizeof oom_cases / sizeof oom_cases[0]; i++) {
        long steps = fail_each_step(&oom_cases[i]);
        print_message("  %-32s %ld\n", oom_cases[i].name, steps);
        long min = oom_cases[i].min_steps;
        if (oom_cases[i].call == call_intern && strcmp(ft_flavor(), "gil") == 0)
            min = 1;   /* gil's table is ft_calloc'd; nogil's node is inline */
        if (steps < min)
            fail_msg("%s: only %ld allocation steps failed, expected %ld or more",
                     oom_cases[i].name, steps, min);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_every_allocation_fails),
        T(test_realloc_failure_keeps_block),
        T(test_failure_at_each_step_leaks_nothing),
        T(test_every_api_fails_at_every_step),
    };
    return ft_test_run(tests);
}
