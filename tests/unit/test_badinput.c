/* test_badinput.c — bad input gets a defined answer, never a crash.
 *
 * A table of every public object API (ftlab/object.h, func.h, ext.h)
 * called with NULL and with an object of the wrong type in each object
 * position: each must return its error value with the documented error
 * kind set. Then the inputs with a defined meaning that are easy to get
 * wrong: NaN keys, int overflow, huge and negative sizes, unhashable keys,
 * discarding what is not there.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <ftlab/ext.h>
#include "ft_test.h"

/* ---- The table ------------------------------------------------------------
 * Each row calls one API with `bad` in one object position (the others
 * valid) and says whether the call returned its error value. */
typedef struct fixture {
    ft_object *list, *dict, *set, *tuple, *str, *num, *fn;
} fixture;

typedef bool (*bad_call)(fixture *f, ft_object *bad);

typedef struct bad_row {
    const char *name;
    bad_call call;
    ft_error_kind kind;      /* with NULL and with a wrong type            */
    bool any_type;           /* every type is right: NULL only             */
} bad_row;

static ft_object *ret_self(ft_object *self, ft_object *args)
{
    (void)args;
    return ft_newref(self ? self : ft_none());
}

#define ROW_ANY(name, expr) \
    static bool name(fixture *f, ft_object *bad) { (void)f; (void)bad; return (expr); }

static ft_object *out_, *out2_;
static ssize_t pos_;

/* results that must be released when a wrong call unexpectedly succeeds */
static bool null_result(ft_object *r)
{
    if (!r)
        return true;
    ft_decref(r);
    return false;
}

/* object.h: queries and numbers */
ROW_ANY(c_refcnt, ft_refcnt(bad) == -1)
ROW_ANY(c_sizeof, ft_sizeof(bad) == 0)
ROW_ANY(c_hash, ft_hash(bad) == -1)
ROW_ANY(c_equal_l, ft_equal(bad, f->num) == -1)
ROW_ANY(c_equal_r, ft_equal(f->num, bad) == -1)
ROW_ANY(c_len, ft_len(bad) == -1)
ROW_ANY(c_int_as, ft_int_as_i64(bad) == -1)
ROW_ANY(c_int_add_l, null_result(ft_int_add(bad, f->num)))
ROW_ANY(c_int_add_r, null_result(ft_int_add(f->num, bad)))
ROW_ANY(c_float_as, ft_float_as_double(bad) == -1.0)
ROW_ANY(c_tuple_set, ft_tuple_set_steal(bad, 0, ft_none()) == -1)
ROW_ANY(c_tuple_get, ft_tuple_get_borrow(bad, 0) == NULL)
/* classes and instances */
ROW_ANY(c_instance_new, null_result(ft_instance_new((ft_type *)bad)))
ROW_ANY(c_setattr, ft_setattr(bad, "x", ft_none()) == -1)
ROW_ANY(c_getattr, null_result(ft_getattr(bad, "x")))
/* sets */
ROW_ANY(c_set_add, ft_set_add(bad, f->num) == -1)
ROW_ANY(c_set_add_key, ft_set_add(f->set, bad) == -1)
ROW_ANY(c_set_contains, ft_set_contains(bad, f->num) == -1)
ROW_ANY(c_set_contains_key, ft_set_contains(f->set, bad) == -1)
ROW_ANY(c_set_discard, ft_set_discard(bad, f->num) == -1)
ROW_ANY(c_set_discard_key, ft_set_discard(f->set, bad) == -1)
ROW_ANY(c_set_next, (pos_ = 0, ft_set_next(bad, &pos_, &out_) == -1))
ROW_ANY(c_set_pop, null_result(ft_set_pop(bad)))
ROW_ANY(c_set_clear, ft_set_clear(bad) == -1)
ROW_ANY(c_set_copy, null_result(ft_set_copy(bad)))
ROW_ANY(c_set_merge_l, ft_set_merge(bad, f->set) == -1)
ROW_ANY(c_set_merge_r, ft_set_merge(f->set, bad) == -1)
ROW_ANY(c_set_swap, ft_set_swap(f->set, bad) == -1)
ROW_ANY(c_set_as_tuple, null_result(ft_set_as_tuple(bad)))
/* lists */
ROW_ANY(c_list_append, ft_list_append(bad, f->num) == -1)
ROW_ANY(c_list_append_v, ft_list_append(f->list, bad) == -1)
ROW_ANY(c_list_get, null_result(ft_list_get(bad, 0)))
ROW_ANY(c_list_set, ft_list_set(bad, 0, f->num) == -1)
ROW_ANY(c_list_set_v, ft_list_set(f->list, 0, bad) == -1)
ROW_ANY(c_list_set_slice, ft_list_set_slice(bad, 0, 0, NULL, 0) == -1)
ROW_ANY(c_list_extend, ft_list_extend_array(bad, NULL, 0) == -1)
ROW_ANY(c_list_extend_v, ft_list_extend_array(f->list, &bad, 1) == -1)
ROW_ANY(c_list_clear, ft_list_clear(bad) == -1)
ROW_ANY(c_list_insert, ft_list_insert(bad, 0, f->num) == -1)
ROW_ANY(c_list_insert_v, ft_list_insert(f->list, 0, bad) == -1)
ROW_ANY(c_list_pop, null_result(ft_list_pop(bad, 0)))
ROW_ANY(c_list_reverse, ft_list_reverse(bad) == -1)
ROW_ANY(c_list_as_tuple, null_result(ft_list_as_tuple(bad)))
ROW_ANY(c_list_slice, null_result(ft_list_slice(bad, 0, 1, 0)))
static bool c_list_take(fixture *f, ft_object *bad)
{
    (void)f;
    ft_object **items;
    ssize_t n;
    return ft_list_take_items(bad, &items, &n) == -1;
}
/* dicts */
ROW_ANY(c_dict_set, ft_dict_set(bad, f->num, f->num) == -1)
ROW_ANY(c_dict_set_k, ft_dict_set(f->dict, bad, f->num) == -1)
ROW_ANY(c_dict_get, null_result(ft_dict_get(bad, f->num)))
ROW_ANY(c_dict_get_k, null_result(ft_dict_get(f->dict, bad)))
ROW_ANY(c_dict_exchange, ft_dict_exchange(bad, f->num, f->num, &out_) == -1)
ROW_ANY(c_dict_del, ft_dict_del(bad, f->num) == -1)
ROW_ANY(c_dict_del_k, ft_dict_del(f->dict, bad) == -1)
ROW_ANY(c_dict_lookup, ft_dict_lookup(bad, f->num, &out_) == -1)
ROW_ANY(c_dict_lookup_k, ft_dict_lookup(f->dict, bad, &out_) == -1)
ROW_ANY(c_dict_next, (pos_ = 0, ft_dict_next(bad, &pos_, &out_, NULL) == -1))
ROW_ANY(c_dict_next_ref, (pos_ = 0, ft_dict_next_ref(bad, &pos_, NULL, NULL) == -1))
ROW_ANY(c_dict_prev_ref, (pos_ = SSIZE_MAX, ft_dict_prev_ref(bad, &pos_, NULL, NULL) == -1))
ROW_ANY(c_dict_clear, ft_dict_clear(bad) == -1)
ROW_ANY(c_dict_pop, ft_dict_pop(bad, f->num, &out_) == -1)
ROW_ANY(c_dict_pop_k, ft_dict_pop(f->dict, bad, &out_) == -1)
ROW_ANY(c_dict_popitem, ft_dict_popitem(bad, &out_, &out2_) == -1)
ROW_ANY(c_dict_setdefault, ft_dict_setdefault(bad, f->num, f->num, &out_) == -1)
ROW_ANY(c_dict_setdefault_k, ft_dict_setdefault(f->dict, bad, f->num, &out_) == -1)
ROW_ANY(c_dict_copy, null_result(ft_dict_copy(bad)))
/* strs */
ROW_ANY(c_str_intern, null_result(ft_str_intern(bad)))
ROW_ANY(c_str_borrow, ft_str_utf8_borrow(bad, NULL) == NULL)
ROW_ANY(c_str_concat_l, null_result(ft_str_concat(bad, f->str)))
ROW_ANY(c_str_concat_r, null_result(ft_str_concat(f->str, bad)))
ROW_ANY(c_str_join_sep, null_result(ft_str_join(bad, f->list)))
ROW_ANY(c_str_join_items, null_result(ft_str_join(f->str, bad)))
/* calls */
ROW_ANY(c_call, null_result(ft_call(bad, f->tuple)))
ROW_ANY(c_call_args, null_result(ft_call(f->fn, bad)))
ROW_ANY(c_call1, null_result(ft_call1(bad, f->num)))

static const bad_row rows[] = {
    { "ft_refcnt", c_refcnt, FT_ERR_TYPE, true },
    { "ft_sizeof", c_sizeof, FT_ERR_TYPE, true },
    { "ft_hash", c_hash, FT_ERR_TYPE, false },   /* wrong: unhashable */
    { "ft_equal(NULL, x)", c_equal_l, FT_ERR_TYPE, true },
    { "ft_equal(x, NULL)", c_equal_r, FT_ERR_TYPE, true },
    { "ft_len", c_len, FT_ERR_TYPE, false },
    { "ft_int_as_i64", c_int_as, FT_ERR_TYPE, false },
    { "ft_int_add(a)", c_int_add_l, FT_ERR_TYPE, false },
    { "ft_int_add(b)", c_int_add_r, FT_ERR_TYPE, false },
    { "ft_float_as_double", c_float_as, FT_ERR_TYPE, false },
    { "ft_tuple_set_steal", c_tuple_set, FT_ERR_TYPE, false },
    { "ft_tuple_get_borrow", c_tuple_get, FT_ERR_TYPE, false },
    { "ft_instance_new", c_instance_new, FT_ERR_TYPE, false },
    { "ft_setattr", c_setattr, FT_ERR_TYPE, false },
    { "ft_getattr", c_getattr, FT_ERR_TYPE, false },
    { "ft_set_add", c_set_add, FT_ERR_TYPE, false },
    { "ft_set_add(key)", c_set_add_key, FT_ERR_TYPE, false },
    { "ft_set_contains", c_set_contains, FT_ERR_TYPE, false },
    { "ft_set_contains(key)", c_set_contains_key, FT_ERR_TYPE, false },
    { "ft_set_discard", c_set_discard, FT_ERR_TYPE, false },
    { "ft_set_discard(key)", c_set_discard_key, FT_ERR_TYPE, false },
    { "ft_set_next", c_set_next, FT_ERR_TYPE, false },
    { "ft_set_pop", c_set_pop, FT_ERR_TYPE, false },
    { "ft_set_clear", c_set_clear, FT_ERR_TYPE, false },
    { "ft_set_copy", c_set_copy, FT_ERR_TYPE, false },
    { "ft_set_merge(set)", c_set_merge_l, FT_ERR_TYPE, false },
    { "ft_set_merge(other)", c_set_merge_r, FT_ERR_TYPE, false },
    { "ft_set_swap", c_set_swap, FT_ERR_TYPE, false },
    { "ft_set_as_tuple", c_set_as_tuple, FT_ERR_TYPE, false },
    { "ft_list_append", c_list_append, FT_ERR_TYPE, false },
    { "ft_list_append(value)", c_list_append_v, FT_ERR_TYPE, true },
    { "ft_list_get", c_list_get, FT_ERR_TYPE, false },
    { "ft_list_set", c_list_set, FT_ERR_TYPE, false },
    { "ft_list_set(value)", c_list_set_v, FT_ERR_TYPE, true },
    { "ft_list_set_slice", c_list_set_slice, FT_ERR_TYPE, false },
    { "ft_list_extend_array", c_list_extend, FT_ERR_TYPE, false },
    { "ft_list_extend_array(item)", c_list_extend_v, FT_ERR_TYPE, true },
    { "ft_list_clear", c_list_clear, FT_ERR_TYPE, false },
    { "ft_list_insert", c_list_insert, FT_ERR_TYPE, false },
    { "ft_list_insert(value)", c_list_insert_v, FT_ERR_TYPE, true },
    { "ft_list_pop", c_list_pop, FT_ERR_TYPE, false },
    { "ft_list_reverse", c_list_reverse, FT_ERR_TYPE, false },
    { "ft_list_as_tuple", c_list_as_tuple, FT_ERR_TYPE, false },
    { "ft_list_slice", c_list_slice, FT_ERR_TYPE, false },
    { "ft_list_take_items", c_list_take, FT_ERR_TYPE, false },
    { "ft_dict_set", c_dict_set, FT_ERR_TYPE, false },
    { "ft_dict_set(key)", c_dict_set_k, FT_ERR_TYPE, false },
    { "ft_dict_get", c_dict_get, FT_ERR_TYPE, false },
    { "ft_dict_get(key)", c_dict_get_k, FT_ERR_TYPE, false },
    { "ft_dict_exchange", c_dict_exchange, FT_ERR_TYPE, false },
    { "ft_dict_del", c_dict_del, FT_ERR_TYPE, false },
    { "ft_dict_del(key)", c_dict_del_k, FT_ERR_TYPE, false },
    { "ft_dict_lookup", c_dict_lookup, FT_ERR_TYPE, false },
    { "ft_dict_lookup(key)", c_dict_lookup_k, FT_ERR_TYPE, false },
    { "ft_dict_next", c_dict_next, FT_ERR_TYPE, false },
    { "ft_dict_next_ref", c_dict_next_ref, FT_ERR_TYPE, false },
    { "ft_dict_prev_ref", c_dict_prev_ref, FT_ERR_TYPE, false },
    { "ft_dict_clear", c_dict_clear, FT_ERR_TYPE, false },
    { "ft_dict_pop", c_dict_pop, FT_ERR_TYPE, false },
    { "ft_dict_pop(key)", c_dict_pop_k, FT_ERR_TYPE, false },
    { "ft_dict_popitem", c_dict_popitem, FT_ERR_TYPE, false },
    { "ft_dict_setdefault", c_dict_setdefault, FT_ERR_TYPE, false },
    { "ft_dict_setdefault(key)", c_dict_setdefault_k, FT_ERR_TYPE, false },
    { "ft_dict_copy", c_dict_copy, FT_ERR_TYPE, false },
    { "ft_str_intern", c_str_intern, FT_ERR_TYPE, false },
    { "ft_str_utf8_borrow", c_str_borrow, FT_ERR_TYPE, false },
    { "ft_str_concat(a)", c_str_concat_l, FT_ERR_TYPE, false },
    { "ft_str_concat(b)", c_str_concat_r, FT_ERR_TYPE, false },
    { "ft_str_join(sep)", c_str_join_sep, FT_ERR_TYPE, false },
    { "ft_str_join(items)", c_str_join_items, FT_ERR_TYPE, false },
    { "ft_call", c_call, FT_ERR_TYPE, false },
    { "ft_call(args)", c_call_args, FT_ERR_TYPE, false },
    { "ft_call1", c_call1, FT_ERR_TYPE, false },
};

/* The wrong type for a row: a list where the hash-taking APIs need a
 * hashable key (unhashable), a str for the number APIs, a float
 * everywhere else. */
static ft_object *wrong_for(const bad_row *r, fixture *f, ft_object *flt)
{
    if (strstr(r->name, "(key)") || strcmp(r->name, "ft_hash") == 0)
        return f->list;
    if (strcmp(r->name, "ft_str_join(items)") == 0)
        return f->set;
    if (strncmp(r->name, "ft_float", 8) == 0 || strncmp(r->name, "ft_int", 6) == 0)
        return f->str;
    return flt;
}

static void run_row(const bad_row *r, fixture *f, ft_object *bad, const char *what)
{
    out_ = out2_ = NULL;
    bool failed = r->call(f, bad);
    ft_xdecref(out_);
    ft_xdecref(out2_);
    out_ = out2_ = NULL;
    if (!failed)
        fail_msg("%s with %s: no error value returned", r->name, what);
    if (ft_err_kind() != r->kind)
        fail_msg("%s with %s: %s (%s), expected %s", r->name, what,
                 ft_err_kind_name(ft_err_kind()), ft_err_message(),
                 ft_err_kind_name(r->kind));
    ft_err_clear();
}

static void test_every_api_refuses_null_and_wrong_types(void **state)
{
    (void)state;
    fixture f;
    assert_non_null(f.list = ft_list_new(1));
    assert_non_null(f.dict = ft_dict_new());
    assert_non_null(f.set = ft_set_new());
    assert_non_null(f.tuple = ft_tuple_new(0));
    assert_non_null(f.str = ft_str_from_utf8("sep", -1));
    assert_non_null(f.num = ft_int_from_i64(7));
    assert_non_null(f.fn = ft_cfunction_new("ret_self", ret_self, NULL));
    ft_object *flt = ft_float_from_double(2.5);
    assert_non_null(flt);
    size_t n = sizeof rows / sizeof rows[0];
    for (size_t i = 0; i < n; i++) {
        run_row(&rows[i], &f, NULL, "NULL");
        if (!rows[i].any_type)
            run_row(&rows[i], &f, wrong_for(&rows[i], &f, flt), "a wrong type");
    }
    /* the containers came through untouched */
    assert_int_equal(ft_len(f.list), 1);
    assert_int_equal(ft_len(f.dict), 0);
    assert_int_equal(ft_len(f.set), 0);
    print_message("%zu API rows refused NULL (and wrong types) [%s]\n", n, ft_flavor());
    ft_object *all[] = { f.list, f.dict, f.set, f.tuple, f.str, f.fn, flt };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        ft_decref(all[i]);
}

/* Queries that answer without an error, and the rest of the NULL cases. */
static void test_null_queries_and_out_pointers(void **state)
{
    (void)state;
    assert_false(ft_is_immortal(NULL));
    assert_string_equal(ft_type_name(NULL), "NULL");
    assert_false(ft_str_is_interned(NULL));
    assert_false(ft_err_occurred());
    /* out-pointers */
    ft_object *d = ft_dict_new(), *s = ft_set_new(), *k = ft_int_from_i64(1);
    assert_int_equal(ft_dict_next(d, NULL, NULL, NULL), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_dict_lookup(d, k, NULL), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_dict_pop(d, k, NULL), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_set_next(s, NULL, NULL), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    /* C functions and ext */
    assert_null(ft_cfunction_new(NULL, ret_self, NULL));
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    assert_null(ft_object_new(NULL, sizeof(ft_object)));
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    ft_object_free(NULL);
    ft_gc_track(NULL);
    ft_gc_untrack(NULL);
    ft_object_clear_weakrefs(NULL);
    assert_false(ft_object_finalize_from_dealloc(NULL));
    assert_null(ft_class_new(NULL, NULL));
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    ft_decref(d);
    ft_decref(s);
}

/* ---- NaN --------------------------------------------------------------------
 * A NaN equals nothing, itself included; containers find a key by
 * identity first (ft_equal(a, a) is 1), and a NaN hashes by identity (as
 * CPython 3.10+): the same NaN object is found again, a different NaN
 * object is a different key, and many NaN keys do not share one chain. */
static void test_nan_keys_behave_like_cpython(void **state)
{
    (void)state;
    ft_object *a = ft_float_from_double(NAN), *b = ft_float_from_double(NAN);
    assert_int_equal(ft_equal(a, a), 1);
    assert_int_equal(ft_equal(a, b), 0);
    assert_int_not_equal(ft_hash(a), ft_hash(b));   /* two live objects */
    assert_int_equal(ft_hash(a), ft_hash(a));       /* stable */
    ft_object *s = ft_set_new(), *d = ft_dict_new();
    assert_int_equal(ft_set_add(s, a), 1);
    assert_int_equal(ft_set_add(s, a), 0);          /* the same key */
    assert_int_equal(ft_set_add(s, b), 1);          /* a different key */
    assert_int_equal(ft_len(s), 2);
    assert_int_equal(ft_set_contains(s, a), 1);
    ft_object *c = ft_float_from_double(NAN);
    assert_int_equal(ft_set_contains(s, c), 0);
    assert_int_equal(ft_dict_set(d, a, ft_true()), 0);
    assert_int_equal(ft_dict_set(d, b, ft_false()), 0);
    assert_int_equal(ft_len(d), 2);
    ft_object *v = ft_dict_get(d, a);
    assert_ptr_equal(v, ft_true());
    assert_null(ft_dict_get(d, c));
    assert_int_equal(ft_err_kind(), FT_ERR_KEY);
    ft_err_clear();
    assert_int_equal(ft_set_discard(s, a), 1);
    assert_int_equal(ft_len(s), 1);
    /* other floats keep hashing by value: 1.0 and 1 are one key */
    ft_object *one = ft_float_from_double(1.0);
    assert_int_equal(ft_hash(one), ft_hash(ft_int_from_i64(1)));
    ft_object *all[] = { a, b, c, s, d, one };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        ft_decref(all[i]);
}

/* ---- Numbers and sizes ------------------------------------------------------ */

static void expect(ft_object *r, ft_error_kind kind)
{
    assert_null(r);
    ft_test_expect_error(kind);
}

static void test_int_add_never_wraps(void **state)
{
    (void)state;
    struct { int64_t a, b; } over[] = {
        { INT64_MIN, -1 }, { INT64_MAX, 1 }, { INT64_MIN, INT64_MIN },
        { INT64_MAX, INT64_MAX }, { -1, INT64_MIN },
    };
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        ft_object *a = ft_int_from_i64(over[i].a), *b = ft_int_from_i64(over[i].b);
        expect(ft_int_add(a, b), FT_ERR_OVERFLOW);
        ft_decref(a);
        ft_decref(b);
    }
    /* the edges that fit are exact */
    struct { int64_t a, b, sum; } fit[] = {
        { INT64_MAX, INT64_MIN, -1 }, { INT64_MIN, 0, INT64_MIN },
        { INT64_MAX - 1, 1, INT64_MAX }, { INT64_MIN + 1, -1, INT64_MIN },
    };
    for (size_t i = 0; i < sizeof fit / sizeof fit[0]; i++) {
        ft_object *a = ft_int_from_i64(fit[i].a), *b = ft_int_from_i64(fit[i].b);
        ft_object *r = ft_int_add(a, b);
        assert_non_null(r);
        assert_true(ft_int_as_i64(r) == fit[i].sum);
        ft_decref(r);
        ft_decref(a);
        ft_decref(b);
    }
    /* bools are ints */
    ft_object *m = ft_int_from_i64(INT64_MAX);
    expect(ft_int_add(ft_true(), m), FT_ERR_OVERFLOW);
    ft_decref(m);
}

static void test_huge_and_negative_sizes(void **state)
{
    (void)state;
    expect(ft_tuple_new(-1), FT_ERR_VALUE);
    expect(ft_tuple_new(SSIZE_MAX), FT_ERR_MEMORY);
    expect(ft_tuple_new(SSIZE_MAX / 2), FT_ERR_MEMORY);   /* n * 8 would wrap */
    expect(ft_tuple_new(SSIZE_MAX / 4), FT_ERR_MEMORY);
    expect(ft_tuple_new(SSIZE_MAX / 8), FT_ERR_MEMORY);   /* past PTRDIFF_MAX */
    /* (sizes the system allocator would be asked for are not tried: ASan
     * aborts on them instead of returning NULL) */
    expect(ft_list_new(-1), FT_ERR_VALUE);
    expect(ft_list_new(SSIZE_MAX), FT_ERR_MEMORY);
    expect(ft_list_new(SSIZE_MAX / 8), FT_ERR_MEMORY);
    expect(ft_str_from_utf8("x", -2), FT_ERR_VALUE);
    ft_object *l = ft_list_new(0);
    expect(ft_list_slice(l, 0, 1, -1), FT_ERR_VALUE);
    expect(ft_list_slice(l, 0, 1, SSIZE_MAX), FT_ERR_MEMORY);
    assert_int_equal(ft_list_extend_array(l, NULL, -1), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
    ft_err_clear();
    assert_int_equal(ft_len(l), 0);
    ft_decref(l);
}

/* ---- Keys ------------------------------------------------------------------ */

static void test_unhashable_keys_and_discard(void **state)
{
    (void)state;
    ft_object *s = ft_set_new(), *d = ft_dict_new(), *l = ft_list_new(0);
    ft_object *k = ft_int_from_i64(1000), *absent = ft_int_from_i64(2000);
    assert_int_equal(ft_set_add(s, k), 1);
    assert_int_equal(ft_dict_set(d, k, k), 0);
    ft_object *unhashable[] = { l, d, s };
    for (size_t i = 0; i < 3; i++) {
        ft_object *u = unhashable[i];
        assert_int_equal(ft_set_add(s, u), -1);
        assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
        ft_err_clear();
        assert_int_equal(ft_set_discard(s, u), -1);
        assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
        ft_err_clear();
        assert_int_equal(ft_dict_set(d, u, k), -1);
        assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
        ft_err_clear();
        assert_null(ft_dict_get(d, u));
        assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
        ft_err_clear();
        assert_int_equal(ft_hash(u), -1);
        assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
        ft_err_clear();
    }
    /* a tuple holding an unhashable item is unhashable too */
    ft_object *t = ft_tuple_new(1);
    ft_tuple_set_steal(t, 0, ft_newref(l));
    assert_int_equal(ft_set_add(s, t), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    /* discard of an absent key: 0, no error; on an empty set too */
    assert_int_equal(ft_set_discard(s, absent), 0);
    assert_false(ft_err_occurred());
    ft_object *empty = ft_set_new();
    assert_int_equal(ft_set_discard(empty, absent), 0);
    assert_int_equal(ft_set_clear(empty), 0);
    assert_int_equal(ft_set_discard(empty, absent), 0);   /* no table at all */
    assert_false(ft_err_occurred());
    /* discard on a non-set */
    assert_int_equal(ft_set_discard(d, k), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    ft_err_clear();
    /* nothing changed */
    assert_int_equal(ft_len(s), 1);
    assert_int_equal(ft_len(d), 1);
    assert_int_equal(ft_set_contains(s, k), 1);
    ft_object *all[] = { s, d, l, k, absent, t, empty };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        ft_decref(all[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_every_api_refuses_null_and_wrong_types),
        T(test_null_queries_and_out_pointers),
        T(test_nan_keys_behave_like_cpython),
        T(test_int_add_never_wraps),
        T(test_huge_and_negative_sizes),
        T(test_unhashable_keys_and_discard),
    };
    return ft_test_run(tests);
}
