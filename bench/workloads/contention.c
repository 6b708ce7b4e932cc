/* contention.c — shared-object contention, the known PEP 703 pathologies:
 * every thread works on objects the main thread made (and so, in nogil,
 * owns), so every reference count change is a non-owner's atomic add on
 * one cache line, and every container access takes one per-object lock.
 * Each has a variant with immortal objects, which reference counting
 * skips in every flavor: what is left is the lock (or nothing), and a
 * private variant, the baseline that scales: every worker makes its own
 * object (so, in nogil, owns it and counts it without atomics) and does
 * the same operations on it.
 *
 * A unit is CONTENTION_OPS operations. Every worker also reports the CPU
 * time its thread used (metric "thread_cpu_s", summed over the workers):
 * on a machine where other programs take cores, threads that take turns
 * hide contention from the wall clock, but the CPU time a thread burns
 * stalled on a contended line still shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "../ftbench.h"

enum { CONTENTION_OPS = 10000, DICT_KEYS = 256 };

/* The `variant` of each workload below: whose object the workers use. */
enum { V_SHARED = 0, V_IMMORTAL = 1, V_PRIVATE = 2 };

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- (a) incref/decref of one shared object ------------------------------ */

typedef struct shared_obj {
    ft_object *obj;             /* NULL in the private variant            */
    intptr_t refcnt0;           /* its count before any run               */
} shared_obj;

static void *incref_setup(ftb_size size, int variant)
{
    (void)size;
    shared_obj *s = calloc(1, sizeof *s);
    if (!s)
        ftb_fail("out of memory");
    if (variant == V_PRIVATE)
        return s;
    s->obj = variant == V_IMMORTAL
                 ? ft_none()
                 : ftb_ok(ft_float_from_double(2.5), "ft_float_from_double");
    s->refcnt0 = ft_refcnt(s->obj);
    return s;
}

static void incref_loop(ft_object *o, long units)
{
    for (long u = 0; u < units; u++)
        for (int i = 0; i < CONTENTION_OPS; i++) {
            ft_incref(o);
            ft_decref(o);
            if (i % FTB_CHECK_EVERY == 0)
                ft_checkpoint();
        }
}

static void incref_body(ftb_worker *w)
{
    shared_obj *s = w->state;
    if (s->obj) {
        incref_loop(s->obj, w->units);
        return;
    }
    /* Private: this thread's own float, whose only reference is ours. */
    ft_object *o = ftb_ok(ft_float_from_double(2.5), "ft_float_from_double");
    incref_loop(o, w->units);
    if (ft_refcnt(o) != 1 || ft_float_as_double(o) != 2.5)
        ftb_worker_fail(w, "private float has count %lld and value %g, want 1 and 2.5",
                        (long long)ft_refcnt(o), ft_float_as_double(o));
    ft_decref(o);
}

static void incref_worker(ftb_worker *w)
{
    double c0 = thread_cpu_s();
    incref_body(w);
    w->extra = thread_cpu_s() - c0;
}

/* Every incref was undone: the count is where it started. */
static void incref_after(void *state, ftb_worker *w, int n)
{
    (void)n;
    shared_obj *s = state;
    if (!s->obj)
        return;   /* private: each worker checked its own */
    if (ft_refcnt(s->obj) != s->refcnt0)
        ftb_worker_fail(w, "shared object's count is %lld after the run, was %lld",
                        (long long)ft_refcnt(s->obj), (long long)s->refcnt0);
    if (ft_float_as_double(s->obj) != 2.5 && s->obj != ft_none())
        ftb_worker_fail(w, "shared float changed to %g", ft_float_as_double(s->obj));
}

static void shared_teardown(void *state)
{
    shared_obj *s = state;
    ft_xdecref(s->obj);
    free(s);
}

const ftb_workload ftb_shared_incref = {
    .name = "shared-incref", .kind = FTB_CPU, .unit = "s",
    .desc = "all threads incref+decref one float the main thread owns",
    .units = { 2000, 500, 5 }, .setup = incref_setup, .worker = incref_worker,
    .after_run = incref_after, .extra_name = "thread_cpu_s",
    .teardown = shared_teardown,
};

const ftb_workload ftb_shared_incref_immortal = {
    .name = "shared-incref-immortal", .kind = FTB_CPU, .unit = "s",
    .desc = "the same on None (immortal: no count is touched)",
    .units = { 2000, 500, 5 }, .variant = V_IMMORTAL, .setup = incref_setup,
    .worker = incref_worker, .after_run = incref_after,
    .extra_name = "thread_cpu_s",
    .teardown = shared_teardown,
};

const ftb_workload ftb_private_incref = {
    .name = "private-incref", .kind = FTB_CPU, .unit = "s",
    .desc = "the same, each thread on its own float (owner, no sharing)",
    .units = { 2000, 500, 5 }, .variant = V_PRIVATE, .setup = incref_setup,
    .worker = incref_worker, .after_run = incref_after,
    .extra_name = "thread_cpu_s",
    .teardown = shared_teardown,
};

/* ---- (b) one shared dict read by all ---------------------------------------
 * DICT_KEYS keys, the one-character strings U+0000..U+00FF: immortal, so
 * every lookup takes the lock-free str path (as CPython's does for its
 * usually interned str keys) and matches by pointer without touching a
 * key's count. Values: floats k + 0.5, or in the immortal variant the
 * small ints k % 200. So what the variants differ in is only whose values
 * the readers take a reference to: the main thread's (shared), nobody's
 * (immortal), or the reader's own (private: each worker builds its own
 * dict of floats). */
typedef struct shared_dict {
    ft_object *d;               /* NULL in the private variant            */
    bool immortal;
} shared_dict;

static double dict_value(int k, bool immortal)
{
    return immortal ? k % 200 : k + 0.5;
}

/* The one-character string of code point k < 256 (immortal, static). */
static ft_object *dict_key(int k)
{
    char utf8[3] = { (char)k, 0, 0 };
    if (k >= 0x80) {
        utf8[0] = (char)(0xC0 | (k >> 6));
        utf8[1] = (char)(0x80 | (k & 0x3F));
    }
    return ftb_ok(ft_str_from_utf8(utf8, k >= 0x80 ? 2 : 1), "ft_str_from_utf8");
}

static ft_object *dict_build(bool immortal)
{
    ft_object *d = ftb_ok(ft_dict_new(), "ft_dict_new");
    for (int k = 0; k < DICT_KEYS; k++) {
        ft_object *key = dict_key(k);
        ft_object *v = immortal ? ft_int_from_i64(k % 200)
                                : ft_float_from_double(dict_value(k, false));
        ftb_ok_int(ft_dict_set(d, key, ftb_ok(v, "value")), "ft_dict_set");
        ft_decref(v);
        ft_decref(key);
    }
    return d;
}

static void *dict_setup(ftb_size size, int variant)
{
    (void)size;
    shared_dict *s = calloc(1, sizeof *s);
    if (!s)
        ftb_fail("out of memory");
    s->immortal = variant == V_IMMORTAL;
    if (variant != V_PRIVATE)
        s->d = dict_build(s->immortal);
    return s;
}

static void dict_reads(ftb_worker *w, ft_object *d, ft_object *const *keys,
                       bool immortal)
{
    for (long u = 0; u < w->units && !w->error[0]; u++)
        for (int i = 0; i < CONTENTION_OPS; i++) {
            int k = (i * 7 + w->index) % DICT_KEYS;
            ft_object *v = ftb_ok(ft_dict_get(d, keys[k]), "ft_dict_get");
            if (ft_float_as_double(v) != dict_value(k, immortal))
                ftb_worker_fail(w, "d[U+%04X] is %g, want %g", (unsigned)k,
                                ft_float_as_double(v), dict_value(k, immortal));
            ft_decref(v);
            if (i % FTB_CHECK_EVERY == 0)
                ft_checkpoint();
        }
}

/* The dict still has its keys and no reference but its holder's. */
static void dict_check(ftb_worker *w, ft_object *d)
{
    if (ft_len(d) != DICT_KEYS || ft_refcnt(d) != 1)
        ftb_worker_fail(w, "dict has %zd keys and count %lld, want %d and 1",
                        ft_len(d), (long long)ft_refcnt(d), DICT_KEYS);
}

static void dict_body(ftb_worker *w)
{
    shared_dict *s = w->state;
    ft_object *keys[DICT_KEYS];
    for (int k = 0; k < DICT_KEYS; k++)
        keys[k] = dict_key(k);
    ft_object *d = s->d ? s->d : dict_build(false);
    dict_reads(w, d, keys, s->immortal);
    if (!s->d) {
        dict_check(w, d);
        ft_decref(d);
    }
    for (int k = 0; k < DICT_KEYS; k++)
        ft_decref(keys[k]);
}

static void dict_worker(ftb_worker *w)
{
    double c0 = thread_cpu_s();
    dict_body(w);
    w->extra = thread_cpu_s() - c0;
}

static void dict_after(void *state, ftb_worker *w, int n)
{
    (void)n;
    shared_dict *s = state;
    if (s->d)
        dict_check(w, s->d);
}

static void dict_teardown(void *state)
{
    shared_dict *s = state;
    ft_xdecref(s->d);
    free(s);
}

const ftb_workload ftb_shared_dict = {
    .name = "shared-dict", .kind = FTB_CPU, .unit = "s",
    .desc = "all threads read one dict of 256 floats (1-char str keys; checked)",
    .units = { 300, 75, 2 }, .setup = dict_setup, .worker = dict_worker,
    .after_run = dict_after, .extra_name = "thread_cpu_s",
    .teardown = dict_teardown,
};

const ftb_workload ftb_shared_dict_immortal = {
    .name = "shared-dict-immortal", .kind = FTB_CPU, .unit = "s",
    .desc = "the same dict holding small ints (immortal values)",
    .units = { 300, 75, 2 }, .variant = V_IMMORTAL, .setup = dict_setup,
    .worker = dict_worker,
    .after_run = dict_after, .extra_name = "thread_cpu_s",
    .teardown = dict_teardown,
};

const ftb_workload ftb_private_dict = {
    .name = "private-dict", .kind = FTB_CPU, .unit = "s",
    .desc = "the same reads, each thread on its own dict of floats",
    .units = { 300, 75, 2 }, .variant = V_PRIVATE, .setup = dict_setup,
    .worker = dict_worker,
    .after_run = dict_after, .extra_name = "thread_cpu_s",
    .teardown = dict_teardown,
};

/* ---- (c) one shared instance attribute written by all ---------------------
 * obj.x = v from every thread, each with its own value (a float index +
 * 0.5, or the small int index in the immortal variant); every 64th write
 * reads x back, which must hold some thread's value. In the private
 * variant each worker writes its float into its own instance of the same
 * class, and the read-back must be exactly its value. x is a slot (like
 * CPython's inline instance values): a write is one critical section on
 * the instance and the value's incref, with no name interned per call. */
typedef struct shared_attr {
    ft_type *cls;
    ft_object *obj;             /* NULL in the private variant            */
    bool immortal;
} shared_attr;

static void *attr_setup(ftb_size size, int variant)
{
    (void)size;
    shared_attr *s = calloc(1, sizeof *s);
    if (!s)
        ftb_fail("out of memory");
    s->immortal = variant == V_IMMORTAL;
    static const char *const slots[] = { "x", NULL };
    s->cls = ft_class_new("Shared", slots);
    if (!s->cls)
        ftb_fail_ft("ft_class_new");
    if (variant == V_PRIVATE)
        return s;
    s->obj = ftb_ok(ft_instance_new(s->cls), "ft_instance_new");
    ftb_ok_int(ft_setattr(s->obj, "x", ft_none()), "ft_setattr");
    return s;
}

/* x holds a value some worker of this run writes (or None before any);
 * for a private instance, exactly `mine`. */
static bool attr_valid(ft_object *x, ft_object *mine, int nthreads, bool immortal)
{
    if (mine)
        return x == mine;
    if (x == ft_none())
        return true;
    double v = ft_float_as_double(x);
    for (int i = 0; i < nthreads; i++)
        if (v == (immortal ? i : i + 0.5))
            return true;
    return false;
}

static void attr_writes(ftb_worker *w, ft_object *obj, ft_object *v, bool private)
{
    shared_attr *s = w->state;
    for (long u = 0; u < w->units && !w->error[0]; u++)
        for (int i = 0; i < CONTENTION_OPS; i++) {
            ftb_ok_int(ft_setattr(obj, "x", v), "ft_setattr");
            if (i % FTB_CHECK_EVERY)
                continue;
            ft_object *x = ftb_ok(ft_getattr(obj, "x"), "ft_getattr");
            if (!attr_valid(x, private ? v : NULL, w->nthreads, s->immortal))
                ftb_worker_fail(w, "obj.x is %g, which no thread wrote",
                                ft_float_as_double(x));
            ft_decref(x);
            ft_checkpoint();
        }
}

static void attr_body(ftb_worker *w)
{
    shared_attr *s = w->state;
    ft_object *mine = s->immortal ? ft_int_from_i64(w->index)
                                  : ft_float_from_double(w->index + 0.5);
    ftb_ok(mine, "value");
    if (s->obj) {
        attr_writes(w, s->obj, mine, false);
        ft_decref(mine);
        return;
    }
    ft_object *own = ftb_ok(ft_instance_new(s->cls), "ft_instance_new");
    attr_writes(w, own, mine, true);
    /* Our reference and the instance's; then ours alone. */
    intptr_t held = ft_refcnt(mine);
    ft_decref(own);
    if (held != 2 || ft_refcnt(mine) != 1)
        ftb_worker_fail(w, "private value has count %lld, then %lld; want 2, then 1",
                        (long long)held, (long long)ft_refcnt(mine));
    ft_decref(mine);
}

static void attr_worker(ftb_worker *w)
{
    double c0 = thread_cpu_s();
    attr_body(w);
    w->extra = thread_cpu_s() - c0;
}

static void attr_after(void *state, ftb_worker *w, int n)
{
    shared_attr *s = state;
    if (!s->obj)
        return;   /* private: each worker checked its own */
    ft_object *x = ftb_ok(ft_getattr(s->obj, "x"), "ft_getattr");
    if (!attr_valid(x, NULL, n, s->immortal) || x == ft_none())
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
    ft_xdecref(s->obj);
    ft_decref((ft_object *)s->cls);
    free(s);
}

const ftb_workload ftb_shared_attr = {
    .name = "shared-attr", .kind = FTB_CPU, .unit = "s",
    .desc = "all threads write one instance's attribute (floats; read back)",
    .units = { 300, 75, 2 }, .setup = attr_setup, .worker = attr_worker,
    .after_run = attr_after, .extra_name = "thread_cpu_s",
    .teardown = attr_teardown,
};

const ftb_workload ftb_shared_attr_immortal = {
    .name = "shared-attr-immortal", .kind = FTB_CPU, .unit = "s",
    .desc = "the same attribute written with small ints (immortal values)",
    .units = { 300, 75, 2 }, .variant = V_IMMORTAL, .setup = attr_setup,
    .worker = attr_worker,
    .after_run = attr_after, .extra_name = "thread_cpu_s",
    .teardown = attr_teardown,
};

const ftb_workload ftb_private_attr = {
    .name = "private-attr", .kind = FTB_CPU, .unit = "s",
    .desc = "the same writes, each thread on its own instance (floats)",
    .units = { 300, 75, 2 }, .variant = V_PRIVATE, .setup = attr_setup,
    .worker = attr_worker,
    .after_run = attr_after, .extra_name = "thread_cpu_s",
    .teardown = attr_teardown,
};
