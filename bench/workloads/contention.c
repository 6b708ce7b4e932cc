/* contention.c — shared-object contention, the known PEP 703 pathologies:
 * every thread works on objects the main thread made (and so, in nogil,
 * owns), so every reference count change is a non-owner's atomic add on
 * one cache line, and every container access takes one per-object lock.
 * Each has a variant with immortal objects, which reference counting
 * skips in every flavor: what is left is the lock (or nothing).
 *
 * A unit is CONTENTION_OPS operations.
 */
#include <stdio.h>
#include <stdlib.h>
#include "../ftbench.h"

enum { CONTENTION_OPS = 10000, DICT_KEYS = 256 };

/* ---- (a) incref/decref of one shared object ------------------------------ */

typedef struct shared_obj {
    ft_object *obj;
    intptr_t refcnt0;           /* its count before any run               */
} shared_obj;

static void *incref_setup(ftb_size size, int immortal)
{
    (void)size;
    shared_obj *s = calloc(1, sizeof *s);
    if (!s)
        ftb_fail("out of memory");
    s->obj = immortal ? ft_none()
                      : ftb_ok(ft_float_from_double(2.5), "ft_float_from_double");
    s->refcnt0 = ft_refcnt(s->obj);
    return s;
}

static void incref_worker(ftb_worker *w)
{
    ft_object *o = ((shared_obj *)w->state)->obj;
    for (long u = 0; u < w->units; u++)
        for (int i = 0; i < CONTENTION_OPS; i++) {
            ft_incref(o);
            ft_decref(o);
            if (i % FTB_CHECK_EVERY == 0)
                ft_checkpoint();
        }
}

/* Every incref was undone: the count is where it started. */
static void incref_after(void *state, ftb_worker *w, int n)
{
    (void)n;
    shared_obj *s = state;
    if (ft_refcnt(s->obj) != s->refcnt0)
        ftb_worker_fail(w, "shared object's count is %lld after the run, was %lld",
                        (long long)ft_refcnt(s->obj), (long long)s->refcnt0);
    if (ft_float_as_double(s->obj) != 2.5 && s->obj != ft_none())
        ftb_worker_fail(w, "shared float changed to %g", ft_float_as_double(s->obj));
}

static void shared_teardown(void *state)
{
    shared_obj *s = state;
    ft_decref(s->obj);
    free(s);
}

const ftb_workload ftb_shared_incref = {
    .name = "shared-incref", .kind = FTB_CPU, .unit = "s",
    .desc = "all threads incref+decref one float the main thread owns",
    .units = { 2000, 500, 5 }, .setup = incref_setup, .worker = incref_worker,
    .after_run = incref_after, .teardown = shared_teardown,
};

const ftb_workload ftb_shared_incref_immortal = {
    .name = "shared-incref-immortal", .kind = FTB_CPU, .unit = "s",
    .desc = "the same on None (immortal: no count is touched)",
    .units = { 2000, 500, 5 }, .variant = 1, .setup = incref_setup,
    .worker = incref_worker, .after_run = incref_after,
    .teardown = shared_teardown,
};

/* ---- (b) one shared dict read by all ---------------------------------------
 * DICT_KEYS int keys (mortal: 1000 and up); values floats k + 0.5, or in the
 * immortal variant the small ints k % 200. Each worker makes its own key
 * objects, so only the dict and its values are shared. */
typedef struct shared_dict {
    ft_object *d;
    bool immortal;
} shared_dict;

static double dict_value(int k, bool immortal)
{
    return immortal ? k % 200 : k + 0.5;
}

static void *dict_setup(ftb_size size, int immortal)
{
    (void)size;
    shared_dict *s = calloc(1, sizeof *s);
    if (!s)
        ftb_fail("out of memory");
    s->immortal = immortal;
    s->d = ftb_ok(ft_dict_new(), "ft_dict_new");
    for (int k = 0; k < DICT_KEYS; k++) {
        ft_object *key = ftb_ok(ft_int_from_i64(1000 + k), "ft_int_from_i64");
        ft_object *v = immortal ? ft_int_from_i64(k % 200)
                                : ft_float_from_double(dict_value(k, false));
        ftb_ok_int(ft_dict_set(s->d, key, ftb_ok(v, "value")), "ft_dict_set");
        ft_decref(v);
        ft_decref(key);
    }
    return s;
}

static void dict_worker(ftb_worker *w)
{
    shared_dict *s = w->state;
    ft_object *keys[DICT_KEYS];
    for (int k = 0; k < DICT_KEYS; k++)
        keys[k] = ftb_ok(ft_int_from_i64(1000 + k), "ft_int_from_i64");
    for (long u = 0; u < w->units && !w->error[0]; u++)
        for (int i = 0; i < CONTENTION_OPS; i++) {
            int k = (i * 7 + w->index) % DICT_KEYS;
            ft_object *v = ftb_ok(ft_dict_get(s->d, keys[k]), "ft_dict_get");
            if (ft_float_as_double(v) != dict_value(k, s->immortal))
                ftb_worker_fail(w, "d[%d] is %g, want %g", 1000 + k,
                                ft_float_as_double(v), dict_value(k, s->immortal));
            ft_decref(v);
            if (i % FTB_CHECK_EVERY == 0)
                ft_checkpoint();
        }
    for (int k = 0; k < DICT_KEYS; k++)
        ft_decref(keys[k]);
}

static void dict_after(void *state, ftb_worker *w, int n)
{
    (void)n;
    shared_dict *s = state;
    if (ft_len(s->d) != DICT_KEYS || ft_refcnt(s->d) != 1)
        ftb_worker_fail(w, "shared dict has %zd keys and count %lld, want %d and 1",
                        ft_len(s->d), (long long)ft_refcnt(s->d), DICT_KEYS);
}

static void dict_teardown(void *state)
{
    shared_dict *s = state;
    ft_decref(s->d);
    free(s);
}

const ftb_workload ftb_shared_dict = {
    .name = "shared-dict", .kind = FTB_CPU, .unit = "s",
    .desc = "all threads read one dict of 256 floats (values checked)",
    .units = { 300, 75, 2 }, .setup = dict_setup, .worker = dict_worker,
    .after_run = dict_after, .teardown = dict_teardown,
};

const ftb_workload ftb_shared_dict_immortal = {
    .name = "shared-dict-immortal", .kind = FTB_CPU, .unit = "s",
    .desc = "the same dict holding small ints (immortal values)",
    .units = { 300, 75, 2 }, .variant = 1, .setup = dict_setup,
    .worker = dict_worker,
    .after_run = dict_after, .teardown = dict_teardown,
};

/* ---- (c) one shared instance attribute written by all ---------------------
 * obj.x = v from every thread, each with its own value (a float index +
 * 0.5, or the small int index in the immortal variant); every 64th write
 * reads x back, which must hold some thread's value. */
typedef struct shared_attr {
    ft_type *cls;
    ft_object *obj;
    bool immortal;
} shared_attr;

static void *attr_setup(ftb_size size, int immortal)
{
    (void)size;
    shared_attr *s = calloc(1, sizeof *s);
    if (!s)
        ftb_fail("out of memory");
    s->immortal = immortal;
    s->cls = ft_class_new("Shared", NULL);
    if (!s->cls)
        ftb_fail_ft("ft_class_new");
    s->obj = ftb_ok(ft_instance_new(s->cls), "ft_instance_new");
    ftb_ok_int(ft_setattr(s->obj, "x", ft_none()), "ft_setattr");
    return s;
}

/* x holds a value some worker of this run writes (or None before any). */
static bool attr_valid(ft_object *x, int nthreads, bool immortal)
{
    if (x == ft_none())
        return true;
    double v = ft_float_as_double(x);
    for (int i = 0; i < nthreads; i++)
        if (v == (immortal ? i : i + 0.5))
            return true;
    return false;
}

static void attr_worker(ftb_worker *w)
{
    shared_attr *s = w->state;
    ft_object *mine = s->immortal ? ft_int_from_i64(w->index)
                                  : ft_float_from_double(w->index + 0.5);
    ftb_ok(mine, "value");
    for (long u = 0; u < w->units && !w->error[0]; u++)
        for (int i = 0; i < CONTENTION_OPS; i++) {
            ftb_ok_int(ft_setattr(s->obj, "x", mine), "ft_setattr");
            if (i % FTB_CHECK_EVERY)
                continue;
            ft_object *x = ftb_ok(ft_getattr(s->obj, "x"), "ft_getattr");
            if (!attr_valid(x, w->nthreads, s->immortal))
                ftb_worker_fail(w, "obj.x is %g, which no thread wrote",
                                ft_float_as_double(x));
            ft_decref(x);
            ft_checkpoint();
        }
    ft_decref(mine);
}

static void attr_after(void *state, ftb_worker *w, int n)
{
    shared_attr *s = state;
    ft_object *x = ftb_ok(ft_getattr(s->obj, "x"), "ft_getattr");
    if (!attr_valid(x, n, s->immortal) || x == ft_none())
        ftb_worker_fail(w, "obj.x is %g after the run, which no thread wrote",
                        ft_float_as_double(x));
    /* The instance holds the last writer's value: its count is 1 + ours. */
    if (!s->immortal && ft_refcnt(x) != 2)
        ftb_worker_fail(w, "obj.x has count %lld after the run, want 2",
                        (long long)ft_refcnt(x));
    ft_decref(x);
    ftb_ok_int(ft_setattr(s->obj, "x", ft_none()), "ft_setattr");
}

static void attr_teardown(void *state)
{
    shared_attr *s = state;
    ft_decref(s->obj);
    ft_decref((ft_object *)s->cls);
    free(s);
}

const ftb_workload ftb_shared_attr = {
    .name = "shared-attr", .kind = FTB_CPU, .unit = "s",
    .desc = "all threads write one instance's attribute (floats; read back)",
    .units = { 300, 75, 2 }, .setup = attr_setup, .worker = attr_worker,
    .after_run = attr_after, .teardown = attr_teardown,
};

const ftb_workload ftb_shared_attr_immortal = {
    .name = "shared-attr-immortal", .kind = FTB_CPU, .unit = "s",
    .desc = "the same attribute written with small ints (immortal values)",
    .units = { 300, 75, 2 }, .variant = 1, .setup = attr_setup,
    .worker = attr_worker,
    .after_run = attr_after, .teardown = attr_teardown,
};
