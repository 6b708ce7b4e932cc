/* test_weakref.c — weak references and weak dictionaries: get before and
 * after death, callbacks (once, with the weakref, never for a weakref
 * that died first, errors reported and cleared), the shared basic weakref
 * (also between racing threads), weak references to classes, types that
 * refuse weak references, the WeakValueDictionary cache of
 * docs/architecture.md, "Scenarios", WeakKeyDictionary, bad input (NULL,
 * unhashable keys), an entry whose weakref is cleared before it is
 * stored, out of memory, and the cycle collector's interface called
 * directly. */
#define FT_BUILD_CORE 1   /* white-box: internal/weakref.h, injection */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "ft_test.h"
#include "internal/weakref.h"
#include "mem/backend.h"

/* ft_decref of each argument, up to a NULL. */
static void release(ft_object *o, ...)
{
    va_list ap;
    va_start(ap, o);
    for (; o; o = va_arg(ap, ft_object *))
        ft_decref(o);
    va_end(ap);
}

static ft_type *new_class(void)
{
    ft_type *cls = ft_class_new("Heavy", NULL);
    assert_non_null(cls);
    return cls;
}

static ft_object *new_instance(ft_type *cls)
{
    ft_object *o = ft_instance_new(cls);
    assert_non_null(o);
    return o;
}

static bool is_arg(ft_object *o, void *arg) { return o == arg; }

static bool is_arg_never(ft_object *o, void *arg)
{
    (void)o;
    (void)arg;
    return false;
}

/* ---- Callbacks that record their calls ----------------------------------- */

/* self: a list; appends the call's argument (the weakref) to it. */
static ft_object *record(ft_object *self, ft_object *args)
{
    ft_object *wr = ft_tuple_get_borrow(args, 0);
    /* Every weakref to the referent is already cleared. */
    ft_object *got = ft_weakref_get(wr);
    if (!got || got != ft_none() || ft_list_append(self, wr) < 0)
        return NULL;
    return ft_none();
}

static ft_object *recorder(ft_object *calls)
{
    ft_object *cb = ft_cfunction_new("record", record, calls);
    assert_non_null(cb);
    return cb;
}

static ft_object *fail_on_purpose(ft_object *self, ft_object *args)
{
    (void)self;
    (void)args;
    ft_err_set(FT_ERR_VALUE, "callback failed on purpose");
    return NULL;
}

static ft_object *list_item(ft_object *l, ssize_t i)
{
    ft_object *v = ft_list_get(l, i);
    assert_non_null(v);
    ft_decref(v);   /* the list keeps it: borrowed */
    return v;
}

/* ---- Weak references ----------------------------------------------------- */

static void test_get_before_and_after_death(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *o = new_instance(cls);
    intptr_t before = ft_refcnt(o);
    ft_object *wr = ft_weakref_new(o, NULL);
    assert_non_null(wr);
    assert_int_equal(ft_refcnt(o), before);   /* not a reference */
    assert_int_equal(ft_weakref_count(o), 1);
    ft_object *got = ft_weakref_get(wr);
    assert_ptr_equal(got, o);
    assert_int_equal(ft_refcnt(o), before + 1);
    ft_decref(got);
    ft_decref(o);
    assert_ptr_equal(ft_weakref_get(wr), ft_none());
    assert_ptr_equal(ft_weakref_get(wr), ft_none());
    ft_decref(wr);
    ft_decref(&cls->ob_base);
}

static void test_weakref_dies_first(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("Point", (const char *const[]){ "x", NULL });
    ft_object *o = new_instance(cls), *calls = ft_list_new(0), *cb = recorder(calls);
    ft_object *a = ft_weakref_new(o, cb), *b = ft_weakref_new(o, NULL),
              *c = ft_weakref_new(o, cb);
    assert_int_equal(ft_weakref_count(o), 3);
    ft_decref(c);   /* newest: the head of the list */
    ft_decref(a);   /* oldest: the tail */
    assert_int_equal(ft_weakref_count(o), 1);
    ft_decref(o);   /* a's callback must not run: a is gone */
    assert_int_equal(ft_len(calls), 0);
    assert_ptr_equal(ft_weakref_get(b), ft_none());
    release(b, cb, calls, &cls->ob_base, NULL);
}

static void test_callbacks_once_after_all_cleared(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *o = new_instance(cls), *calls = ft_list_new(0), *cb = recorder(calls);
    ft_object *old = ft_weakref_new(o, cb), *plain = ft_weakref_new(o, ft_none()),
              *young = ft_weakref_new(o, cb);
    ft_err_set(FT_ERR_INDEX, "the caller's own error");
    ft_decref(o);
    /* The error of the code whose decref freed o survives the callbacks. */
    assert_int_equal(ft_err_kind(), FT_ERR_INDEX);
    assert_string_equal(ft_err_message(), "the caller's own error");
    ft_err_clear();
    assert_int_equal(ft_len(calls), 2);   /* `record` saw both cleared */
    assert_ptr_equal(list_item(calls, 0), young);   /* newest first */
    assert_ptr_equal(list_item(calls, 1), old);
    release(young, plain, old, calls, NULL);
    assert_int_equal(ft_refcnt(cb), 1);   /* the weakrefs released it */
    ft_decref(cb);
    ft_decref(&cls->ob_base);
}

/* Runs fn with stderr sent to a temporary file; returns what it wrote. */
static void capture_stderr(void (*fn)(void *), void *arg, char *out, size_t n)
{
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fileno(tmp), STDERR_FILENO);
    fn(arg);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(tmp);
    size_t len = fread(out, 1, n - 1, tmp);
    out[len] = '\0';
    fclose(tmp);
}

static void decref_it(void *o) { ft_decref(o); }

static void test_callback_error_reported_and_cleared(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *o = new_instance(cls), *calls = ft_list_new(0);
    ft_object *bad = ft_cfunction_new("fail", fail_on_purpose, NULL), *good = recorder(calls);
    ft_object *w1 = ft_weakref_new(o, good), *w2 = ft_weakref_new(o, bad);
    char out[1024];
    capture_stderr(decref_it, o, out, sizeof out);
    assert_false(ft_err_occurred());
    assert_non_null(strstr(out, "Exception ignored in weakref callback "
                                "<built-in function fail>"));
    assert_non_null(strstr(out, "ValueError: callback failed on purpose"));
    assert_int_equal(ft_len(calls), 1);   /* the next callback still ran */
    assert_ptr_equal(list_item(calls, 0), w1);
    release(w1, w2, bad, good, calls, &cls->ob_base, NULL);
}

static void expect_no_weakref(ft_object *o, const char *type_name)
{
    char msg[128];
    snprintf(msg, sizeof msg, "cannot create weak reference to '%s' object",
             type_name);
    assert_null(ft_weakref_new(o, NULL));
    assert_int_equal(ft_err_kind(), FT_ERR_TYPE);
    assert_string_equal(ft_err_message(), msg);
    ft_err_clear();
    assert_int_equal(ft_weakref_count(o), 0);
    ft_decref(o);
}

static void test_types_without_weak_references(void **state)
{
    (void)state;
    expect_no_weakref(ft_int_from_i64(1000000), "int");
    expect_no_weakref(ft_str_from_utf8("some text", -1), "str");
    expect_no_weakref(ft_tuple_new(0), "tuple");
    expect_no_weakref(ft_list_new(0), "list");
    expect_no_weakref(ft_dict_new(), "dict");
    expect_no_weakref(ft_none(), "NoneType");
    ft_type *cls = new_class();
    ft_object *o = new_instance(cls), *wr = ft_weakref_new(o, NULL);
    expect_no_weakref(ft_newref(wr), "weakref.ReferenceType");
    assert_null(ft_weakref_get(o));   /* not a weakref */
    ft_test_expect_error(FT_ERR_TYPE);
    release(wr, o, &cls->ob_base, NULL);
}

static void test_instances_grow_by_the_list_head(void **state)
{
    (void)state;
    ft_type *cls = ft_class_new("P", (const char *const[]){ "x", "y", NULL });
    ft_object *o = new_instance(cls);
    /* header, the weakref list head, two slots; under the GIL (and in
     * nogil when obmalloc's object pools do not serve it: another backend,
     * FT_MALLOC=debug) also the collector's 16-byte pre-header */
    bool pooled = FT_NOGIL && strcmp(ft_allocator_name(), "obmalloc") == 0;
    assert_int_equal(ft_sizeof(o), sizeof(ft_object) + 3 * sizeof(void *) +
                                   (pooled ? 0 : 16));
    ft_decref(o);
    ft_decref(&cls->ob_base);
}

static void test_hash_and_equality(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *o = new_instance(cls), *p = new_instance(cls);
    ft_object *calls = ft_list_new(0), *cb = recorder(calls);
    ft_object *a = ft_weakref_new(o, NULL), *b = ft_weakref_new(o, cb),
              *c = ft_weakref_new(p, NULL);
    assert_ptr_not_equal(a, b);   /* b has a callback: not the shared one */
    int64_t h = ft_hash(o);
    assert_int_equal(ft_hash(a), h);
    assert_int_equal(ft_hash(b), h);
    assert_int_equal(ft_equal(a, b), 1);   /* same live referent */
    assert_int_equal(ft_equal(a, c), 0);
    ft_decref(o);
    assert_int_equal(ft_hash(a), h);       /* kept from when it lived */
    assert_int_equal(ft_equal(a, b), 0);   /* dead: identity only */
    assert_int_equal(ft_equal(a, a), 1);
    ft_decref(p);
    assert_int_equal(ft_hash(c), -1);      /* never hashed while alive */
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_len(calls), 1);
    release(a, b, c, cb, calls, &cls->ob_base, NULL);
}

/* ---- Weak dictionaries ----------------------------------------------------- */

/* The weak-value cache (docs/architecture.md, "Scenarios"): 'key' in
 * cache is True, then False after del obj. */
static void test_weakvaluedict_cache(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *cache = ft_weakvaluedict_new(), *key = ft_test_str("key");
    ft_object *obj = new_instance(cls);
    intptr_t before = ft_refcnt(obj);
    assert_int_equal(ft_weakdict_set(cache, key, obj), 0);
    assert_int_equal(ft_refcnt(obj), before);   /* held weakly */
    assert_int_equal(ft_weakdict_contains(cache, key), 1);
    ft_object *got = ft_weakdict_get(cache, key);
    assert_ptr_equal(got, obj);
    ft_decref(got);
    assert_int_equal(ft_len(cache), 1);
    ft_decref(obj);   /* del obj */
    assert_int_equal(ft_weakdict_contains(cache, key), 0);
    assert_false(ft_err_occurred());
    assert_null(ft_weakdict_get(cache, key));
    ft_test_expect_error(FT_ERR_KEY);
    assert_int_equal(ft_len(cache), 0);
    release(key, cache, &cls->ob_base, NULL);
}

static void test_weakvaluedict_replaced_value(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *d = ft_weakvaluedict_new(), *key = ft_test_str("k");
    ft_object *a = new_instance(cls), *b = new_instance(cls);
    assert_int_equal(ft_weakdict_set(d, key, a), 0);
    assert_int_equal(ft_weakdict_set(d, key, b), 0);
    ft_decref(a);   /* its ref was replaced: the entry for b stays */
    assert_int_equal(ft_weakdict_contains(d, key), 1);
    assert_int_equal(ft_weakdict_del(d, key), 0);
    assert_int_equal(ft_weakdict_contains(d, key), 0);
    assert_int_equal(ft_weakdict_del(d, key), -1);
    ft_test_expect_error(FT_ERR_KEY);
    assert_int_equal(ft_weakdict_set(d, key, ft_none()), -1);   /* TypeError */
    ft_test_expect_error(FT_ERR_TYPE);
    release(b, key, d, &cls->ob_base, NULL);
}

static void test_weakkeydict(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *d = ft_weakkeydict_new(), *k1 = new_instance(cls),
              *k2 = new_instance(cls), *v = ft_test_str("metadata");
    intptr_t before = ft_refcnt(k1);
    assert_int_equal(ft_weakdict_set(d, k1, v), 0);
    assert_int_equal(ft_weakdict_set(d, k2, v), 0);
    assert_int_equal(ft_weakdict_set(d, k1, v), 0);   /* same key again */
    assert_int_equal(ft_refcnt(k1), before);
    assert_int_equal(ft_weakref_count(k1), 1);       /* the entry's only */
    assert_int_equal(ft_len(d), 2);
    ft_object *got = ft_weakdict_get(d, k1);
    assert_ptr_equal(got, v);
    ft_decref(got);
    ft_decref(k1);
    assert_int_equal(ft_len(d), 1);
    assert_int_equal(ft_weakdict_contains(d, k2), 1);
    ft_object *n = ft_int_from_i64(1000000);
    assert_int_equal(ft_weakdict_contains(d, n), 0);   /* not weakrefable */
    assert_false(ft_err_occurred());                   /* as CPython */
    ft_decref(n);
    assert_int_equal(ft_weakdict_del(d, k2), 0);
    assert_int_equal(ft_len(d), 0);
    release(k2, v, d, &cls->ob_base, NULL);
}

/* The dict dies before its entries' referents: their callbacks find it
 * gone and do nothing. */
static void test_weakdict_dies_first(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *vd = ft_weakvaluedict_new(), *kd = ft_weakkeydict_new();
    ft_object *o = new_instance(cls), *key = ft_test_str("k");
    assert_int_equal(ft_weakdict_set(vd, key, o), 0);
    assert_int_equal(ft_weakdict_set(kd, o, key), 0);
    assert_int_equal(ft_weakref_count(o), 2);
    ft_decref(vd);
    ft_decref(kd);
    assert_int_equal(ft_weakref_count(o), 0);   /* entries' weakrefs died */
    assert_null(ft_weakdict_get(o, key));      /* not a weak dict */
    ft_test_expect_error(FT_ERR_TYPE);
    ft_decref(o);
    assert_false(ft_err_occurred());
    ft_decref(key);
    ft_decref(&cls->ob_base);
}

/* ---- The shared basic weakref --------------------------------------------- */

/* ft_weakref_new(o, NULL) (or None) hands out one weakref, as CPython's
 * weakref.ref(o); one with a callback or a key is always new. */
static void test_basic_weakref_shared(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *o = new_instance(cls), *calls = ft_list_new(0), *cb = recorder(calls);
    ft_object *c1 = ft_weakref_new(o, cb);   /* before the basic one */
    ft_object *a = ft_weakref_new(o, NULL), *b = ft_weakref_new(o, ft_none());
    ft_object *c2 = ft_weakref_new(o, cb);
    ft_object *key = ft_test_str("key");
    ft_object *k = (ft_object *)_ft_weakref_new_keyed(o, NULL, key);
    assert_ptr_equal(a, b);
    assert_int_equal(ft_refcnt(a), 2);       /* b is a new reference to a */
    assert_ptr_not_equal(c1, c2);
    assert_ptr_not_equal(c1, a);
    assert_ptr_not_equal(k, a);              /* keyed: never shared */
    assert_int_equal(ft_weakref_count(o), 4);
    ft_decref(o);
    assert_int_equal(ft_len(calls), 2);      /* newest callback first */
    assert_ptr_equal(list_item(calls, 0), c2);
    assert_ptr_equal(list_item(calls, 1), c1);
    assert_ptr_equal(ft_weakref_get(a), ft_none());
    release(a, b, c1, c2, k, key, cb, calls, NULL);
    /* Once the basic weakref died, the next one is new, and shared again. */
    o = new_instance(cls);
    a = ft_weakref_new(o, NULL);
    ft_decref(a);
    b = ft_weakref_new(o, NULL);
    assert_ptr_equal(ft_weakref_new(o, NULL), b);
    assert_int_equal(ft_refcnt(b), 2);
    assert_int_equal(ft_weakref_count(o), 1);
    release(b, b, o, &cls->ob_base, NULL);
}

enum { SHARE_THREADS = 4, SHARE_ROUNDS = 200 };

typedef struct share_arg {
    ft_object *o;
    ft_object *got[SHARE_ROUNDS];
} share_arg;

static _Atomic int xshare_go;

static void share_worker(void *p)
{
    share_arg *a = p;
    while (!atomic_load(&xshare_go))
        ft_checkpoint();
    for (int i = 0; i < SHARE_ROUNDS; i++)
        ft_worker_check((a->got[i] = ft_weakref_new(a->o, NULL)) != NULL);
}

/* Threads racing to make the first basic weakref still share one. */
static void test_basic_weakref_shared_between_threads(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *o = new_instance(cls);
    static share_arg args[SHARE_THREADS];
    ft_thread *t[SHARE_THREADS];
    atomic_store(&xshare_go, 0);
    for (int i = 0; i < SHARE_THREADS; i++) {
        args[i].o = o;
        assert_non_null(t[i] = ft_thread_start(share_worker, &args[i]));
    }
    atomic_store(&xshare_go, 1);
    for (int i = 0; i < SHARE_THREADS; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    ft_test_assert_workers_ok();
    ft_object *first = args[0].got[0];
    assert_int_equal(ft_weakref_count(o), 1);
    assert_int_equal(ft_refcnt(first), SHARE_THREADS * SHARE_ROUNDS);
    for (int i = 0; i < SHARE_THREADS; i++)
        for (int r = 0; r < SHARE_ROUNDS; r++) {
            assert_ptr_equal(args[i].got[r], first);
            ft_decref(args[i].got[r]);
        }
    release(o, &cls->ob_base, NULL);
}

/* ---- Weak references to classes -------------------------------------------- */

/* A class can be weakly referenced (CPython's types can); it dies when
 * its last reference goes (its instances hold one each), and then its
 * weakrefs are cleared and their callbacks run once. The static types
 * cannot: they outlive the runtime. */
static void test_class_weakref(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *c = &cls->ob_base, *calls = ft_list_new(0), *cb = recorder(calls);
    ft_object *wr = ft_weakref_new(c, cb), *basic = ft_weakref_new(c, NULL);
    assert_non_null(wr);
    assert_ptr_equal(ft_weakref_new(c, NULL), basic);   /* shared */
    ft_decref(basic);
    assert_int_equal(ft_weakref_count(c), 2);
    ft_object *o = new_instance(cls), *got = ft_weakref_get(wr);
    assert_ptr_equal(got, c);
    ft_decref(got);
    ft_decref(c);   /* the instance still holds the class */
    assert_int_equal(ft_gc_collect(-1), 0);
    got = ft_weakref_get(basic);
    assert_ptr_equal(got, c);
    ft_decref(got);
    assert_int_equal(ft_len(calls), 0);
    ft_decref(o);   /* the last reference to the class */
    assert_ptr_equal(ft_weakref_get(wr), ft_none());
    assert_ptr_equal(ft_weakref_get(basic), ft_none());
    assert_int_equal(ft_len(calls), 1);
    assert_ptr_equal(list_item(calls, 0), wr);
    ft_gc_collect(-1);
    assert_int_equal(ft_len(calls), 1);   /* once */
    release(wr, basic, cb, calls, NULL);
}

/* A WeakKeyDictionary of classes (per-class metadata), and a class that
 * dies in a garbage cycle of its instances. */
static void test_class_in_weakkeydict_and_cycle(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *kd = ft_weakkeydict_new(), *meta = ft_test_str("metadata");
    assert_int_equal(ft_weakdict_set(kd, &cls->ob_base, meta), 0);
    assert_int_equal(ft_weakdict_contains(kd, &cls->ob_base), 1);
    ft_object *a = new_instance(cls), *b = new_instance(cls);
    assert_int_equal(ft_setattr(a, "peer", b), 0);
    assert_int_equal(ft_setattr(b, "peer", a), 0);
    ft_decref(&cls->ob_base);
    ft_decref(a);
    ft_decref(b);
    assert_int_equal(ft_len(kd), 1);   /* the cycle holds the class */
    assert_true(ft_gc_collect(-1) >= 2);
    assert_int_equal(ft_len(kd), 0);   /* the class died with its instances */
    release(meta, kd, NULL);
}

static void test_static_types_refuse_weakrefs(void **state)
{
    (void)state;
    assert_null(ft_weakref_new(&ft_int_type.ob_base, NULL));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_weakref_new(&ft_type_type.ob_base, NULL));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_weakref_count(&ft_int_type.ob_base), 0);
}

/* ---- Bad input --------------------------------------------------------------- */

static void test_weakref_null_arguments(void **state)
{
    (void)state;
    assert_null(ft_weakref_new(NULL, NULL));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_weakref_get(NULL));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_weakref_count(NULL), -1);
    ft_test_expect_error(FT_ERR_TYPE);
}

/* NULL anywhere, or something that is not a weak dict: TypeError. */
static void expect_null_args_refused(ft_object *d, ft_object *key, ft_object *value)
{
    assert_int_equal(ft_weakdict_set(NULL, key, value), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_weakdict_set(key, key, value), -1);   /* not a weak dict */
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_weakdict_set(d, NULL, value), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_weakdict_set(d, key, NULL), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_weakdict_get(NULL, key));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_weakdict_get(d, NULL));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_weakdict_del(NULL, key), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_weakdict_del(d, NULL), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_weakdict_contains(NULL, key), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_weakdict_contains(d, NULL), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_len(d), 0);
}

/* Every operation with `key` fails with TypeError and leaves d empty. */
static void expect_key_refused(ft_object *d, ft_object *key, ft_object *value)
{
    assert_int_equal(ft_weakdict_set(d, key, value), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_weakdict_get(d, key));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_weakdict_del(d, key), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_len(d), 0);
}

static void test_weakdict_bad_input(void **state)
{
    (void)state;
    ft_type *cls = new_class(), *unhashable_cls = ft_class_new("Unhashable", NULL);
    assert_non_null(unhashable_cls);
    unhashable_cls->tp_hash = NULL;   /* like a class with __eq__ only */
    ft_object *vd = ft_weakvaluedict_new(), *kd = ft_weakkeydict_new();
    ft_object *o = new_instance(cls), *u = new_instance(unhashable_cls);
    ft_object *list = ft_list_new(0), *n = ft_int_from_i64(1000000);
    expect_null_args_refused(vd, n, o);
    expect_null_args_refused(kd, o, n);
    /* unhashable keys */
    expect_key_refused(vd, list, o);
    assert_int_equal(ft_weakdict_contains(vd, list), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    expect_key_refused(kd, u, n);
    assert_int_equal(ft_weakdict_contains(kd, u), -1);
    ft_test_expect_error(FT_ERR_TYPE);
    assert_int_equal(ft_weakref_count(u), 0);   /* no weakref left behind */
    assert_int_equal(ft_weakref_count(o), 0);
    /* a key that cannot be weakly referenced: refused, but never "in" */
    expect_key_refused(kd, n, o);
    assert_int_equal(ft_weakdict_contains(kd, n), 0);
    assert_false(ft_err_occurred());
    /* values: anything weakly referenceable, an unhashable one too */
    assert_int_equal(ft_weakdict_set(vd, n, u), 0);
    assert_int_equal(ft_weakdict_contains(vd, n), 1);
    ft_decref(u);
    assert_int_equal(ft_len(vd), 0);
    release(o, list, n, vd, kd, &unhashable_cls->ob_base, &cls->ob_base, NULL);
}

/* ---- A weakref cleared before its entry is stored ---------------------------- */

/* The key's hash clears every weakref to `clear_target` the way the
 * collector does (and queues their callbacks): called inside
 * ft_weakdict_set after the entry's weakref was made, before it is
 * stored — the window that another thread's collection can hit. */
static ft_object *clear_target, *clear_pending;

static int64_t clearing_hash(ft_object *key)
{
    if (clear_target && _ft_weakref_clear_for_gc(clear_target, is_arg_never,
                                                 NULL, clear_pending) < 0)
        return -1;
    return (int64_t)((uintptr_t)key >> 4);
}

static void test_weakvaluedict_entry_cleared_before_stored(void **state)
{
    (void)state;
    ft_type *cls = new_class(), *key_cls = ft_class_new("Key", NULL);
    assert_non_null(key_cls);
    key_cls->tp_hash = clearing_hash;
    ft_object *vd = ft_weakvaluedict_new(), *key = new_instance(key_cls);
    ft_object *o = new_instance(cls);
    assert_non_null(clear_pending = ft_list_new(0));
    clear_target = o;
    assert_int_equal(ft_weakdict_set(vd, key, o), 0);
    clear_target = NULL;
    assert_int_equal(ft_len(clear_pending), 1);   /* the entry's weakref */
    _ft_weakref_run_callbacks(clear_pending);      /* remove: nothing there */
    /* The dead weakref was taken out again: no entry that nothing removes. */
    assert_int_equal(ft_len(vd), 0);
    assert_int_equal(ft_weakdict_contains(vd, key), 0);
    assert_int_equal(ft_weakdict_set(vd, key, o), 0);   /* a live one stays */
    assert_int_equal(ft_len(vd), 1);
    ft_decref(o);
    assert_int_equal(ft_len(vd), 0);
    release(clear_pending, key, vd, &key_cls->ob_base, &cls->ob_base, NULL);
    clear_pending = NULL;
}

/* ---- Out of memory --------------------------------------------------------- */

/* Fails the n-th allocation of fn, for every n until fn succeeds; each
 * failure must be a clean MemoryError that leaves no object behind. */
static void fail_each_step(ft_object *(*fn)(void *), void *arg)
{
    int64_t live = ft_test_live_objects();
    for (long n = 0;; n++) {
        _ft_mem_fail_after(n);
        ft_object *r = fn(arg);
        _ft_mem_fail_reset();
        if (r) {
            ft_decref(r);
            break;
        }
        ft_test_expect_error(FT_ERR_MEMORY);
        assert_int_equal(ft_test_live_objects(), live);
        assert_true(n < 100);
    }
}

static ft_object *make_weakref(void *o) { return ft_weakref_new(o, NULL); }
static ft_object *make_vdict(void *arg) { (void)arg; return ft_weakvaluedict_new(); }
static ft_object *make_kdict(void *arg) { (void)arg; return ft_weakkeydict_new(); }

typedef struct set_args { ft_object *d, *k, *v; } set_args;

static ft_object *set_entry(void *p)
{
    set_args *a = p;
    return ft_weakdict_set(a->d, a->k, a->v) == 0 ? ft_newref(ft_none()) : NULL;
}

static void test_out_of_memory(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *o = new_instance(cls), *key = ft_test_str("a key");
    fail_each_step(make_weakref, o);
    assert_int_equal(ft_weakref_count(o), 0);
    fail_each_step(make_vdict, NULL);
    fail_each_step(make_kdict, NULL);
    set_args va = { ft_weakvaluedict_new(), key, o }, ka = { ft_weakkeydict_new(), o, key };
    fail_each_step(set_entry, &va);
    fail_each_step(set_entry, &ka);
    assert_int_equal(ft_weakref_count(o), 2);
    ft_decref(o);
    assert_int_equal(ft_len(va.d), 0);
    assert_int_equal(ft_len(ka.d), 0);
    release(va.d, ka.d, key, &cls->ob_base, NULL);
}

/* ---- The cycle collector's interface --------------------------------------- */


static void test_clear_for_gc_then_callbacks(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *o = new_instance(cls), *calls = ft_list_new(0), *cb = recorder(calls);
    ft_object *live = ft_weakref_new(o, cb), *plain = ft_weakref_new(o, NULL),
              *garbage = ft_weakref_new(o, cb), *pending = ft_list_new(0);
    assert_true(_ft_weakref_has_refs(o));
    assert_int_equal(_ft_weakref_clear_for_gc(o, is_arg, garbage, pending), 0);
    assert_false(_ft_weakref_has_refs(o));
    assert_int_equal(ft_weakref_count(o), 0);
    assert_ptr_equal(ft_weakref_get(live), ft_none());
    assert_ptr_equal(ft_weakref_get(plain), ft_none());
    assert_ptr_equal(ft_weakref_get(garbage), ft_none());
    assert_int_equal(ft_len(calls), 0);        /* not yet */
    assert_int_equal(ft_len(pending), 1);      /* only the live one */
    assert_ptr_equal(list_item(pending, 0), live);
    assert_int_equal(ft_refcnt(live), 2);
    ft_err_set(FT_ERR_INDEX, "kept");
    _ft_weakref_run_callbacks(pending);
    ft_test_expect_error(FT_ERR_INDEX);
    assert_int_equal(ft_len(pending), 0);
    assert_int_equal(ft_len(calls), 1);
    assert_ptr_equal(list_item(calls, 0), live);
    ft_decref(o);                               /* nothing left to call */
    assert_int_equal(ft_len(calls), 1);
    _ft_weakref_run_callbacks(pending);         /* empty: nothing */
    release(live, plain, garbage, pending, calls, cb, &cls->ob_base, NULL);
}

static void test_clear_for_gc_out_of_memory(void **state)
{
    (void)state;
    ft_type *cls = new_class();
    ft_object *o = new_instance(cls), *calls = ft_list_new(0), *cb = recorder(calls);
    ft_object *a = ft_weakref_new(o, cb), *b = ft_weakref_new(o, cb),
              *pending = ft_list_new(0);
    _ft_mem_fail_after(0);   /* the first append cannot grow pending */
    int rc = _ft_weakref_clear_for_gc(o, is_arg, NULL, pending);
    _ft_mem_fail_reset();
    assert_int_equal(rc, -1);
    ft_test_expect_error(FT_ERR_MEMORY);
    assert_int_equal(ft_weakref_count(o), 2);   /* nothing half-unlinked */
    assert_int_equal(ft_len(pending), 0);
    assert_int_equal(_ft_weakref_clear_for_gc(o, is_arg, NULL, pending), 0);
    assert_int_equal(ft_len(pending), 2);
    assert_ptr_equal(list_item(pending, 0), b);  /* list order: newest first */
    _ft_weakref_run_callbacks(pending);
    assert_int_equal(ft_len(calls), 2);
    release(o, a, b, pending, calls, cb, &cls->ob_base, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_get_before_and_after_death),
        T(test_weakref_dies_first),
        T(test_callbacks_once_after_all_cleared),
        T(test_callback_error_reported_and_cleared),
        T(test_types_without_weak_references),
        T(test_instances_grow_by_the_list_head),
        T(test_hash_and_equality),
        T(test_weakvaluedict_cache),
        T(test_weakvaluedict_replaced_value),
        T(test_weakkeydict),
        T(test_weakdict_dies_first),
        T(test_basic_weakref_shared),
        T(test_basic_weakref_shared_between_threads),
        T(test_class_weakref),
        T(test_class_in_weakkeydict_and_cycle),
        T(test_static_types_refuse_weakrefs),
        T(test_weakref_null_arguments),
        T(test_weakdict_bad_input),
        T(test_weakvaluedict_entry_cleared_before_stored),
        T(test_out_of_memory),
        T(test_clear_for_gc_then_callbacks),
        T(test_clear_for_gc_out_of_memory),
    };
    return ft_test_run(tests);
}
