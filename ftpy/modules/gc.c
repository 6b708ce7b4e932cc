/* modules/gc.c — the gc module: Python's face of the runtime's cycle
 * collector (ftlab/gc.h).
 *
 * Every function is a thin layer over ft_gc_*: the collector, its
 * generations (gil) or single heap walk (nogil), thresholds, statistics,
 * freezing and the garbage list all live in the runtime. What this file
 * adds is what only a Python module can do:
 *
 *   gc.callbacks   a list of Python callables, each called as
 *                  cb(phase, info) with phase "start" / "stop" and info a
 *                  dict {"generation", "collected", "uncollectable"}
 *                  around every collection, explicit or automatic. One C
 *                  callback (gc_on_collection) is registered with the
 *                  runtime while the module lives; it runs on the
 *                  collecting thread outside the pause (nogil: the world
 *                  runs), so Python code may run there.
 *   debug flags    the runtime knows STATS and SAVEALL; CPython's flags
 *                  are kept here. DEBUG_STATS prints CPython's lines
 *                  ("gc: collecting generation 2...") from the callback,
 *                  SAVEALL is passed down, DEBUG_COLLECTABLE prints each
 *                  collectable object: for that the collection runs with
 *                  the runtime's SAVEALL, and the callback clears (tp_clear,
 *                  what the collector would have done) and drops what was
 *                  saved only for printing. DEBUG_UNCOLLECTABLE is kept as
 *                  a flag: ftpy has no legacy (tp_del) finalizers, so no
 *                  object is ever uncollectable.
 *   shutdown       CPython runs one full collection with callbacks after
 *                  __main__ ends, when gc is enabled, and none later.
 *                  py_fini collects once after emptying __main__ (values
 *                  set to None), then again as it tears the modules down:
 *                  the first collection on the main thread with no Python
 *                  frame is taken as CPython's one (callbacks run if gc is
 *                  enabled), the later ones run none. (ftpy's comes after
 *                  __main__'s globals are None, CPython's before: a
 *                  callback using globals then fails, reported as
 *                  unraisable.)
 *
 * The module's state (the callbacks list, the flags) is one small runtime
 * object, kept in the module's dict under a dunder name so that it dies
 * when py_modules_fini empties that dict: its tp_dealloc unregisters the
 * C callback, resets the debug flags and empties gc.garbage while sys and
 * builtins still work, so nothing the program saved there is freed after
 * the interpreter's classes are gone (and nothing leaks). There is one
 * state per process; importing gc again (after del sys.modules['gc'])
 * shares it, as CPython's per-interpreter gcstate.
 *
 * Flavors: gil has three generations; nogil one (every collection
 * examines every tracked object): get_count/get_threshold/get_stats still
 * return three entries (nogil counts its collections in generation 2),
 * get_objects(g) returns every tracked object for any valid g.
 *
 * Threads: the functions read and set plain runtime fields, as the
 * runtime's contract says (set them from one thread, as in Python). The
 * state's fields other than the list are touched only by the collecting
 * thread (one collection at a time) or by gc.set_debug.
 */
#include <stdio.h>
#include "../ftpy.h"
#include "modules.h"

enum {
    DEBUG_STATS = 1,
    DEBUG_COLLECTABLE = 2,
    DEBUG_UNCOLLECTABLE = 4,
    DEBUG_SAVEALL = 32,
    DEBUG_LEAK = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL,
};

#define STATE_KEY "__gc_state__"

typedef struct gc_state {
    ft_object ob_base;
    ft_object *callbacks;      /* gc.callbacks (a list), strong            */
    int debug;                 /* CPython's DEBUG_* flags                   */
    bool shutdown_seen;        /* the collection after __main__ happened    */
    bool skip;                 /* the running collection: no callbacks      */
    bool forced_saveall;       /* SAVEALL set only to print collectables    */
    ssize_t garbage_mark;      /* len(gc.garbage) when that one started     */
} gc_state;

static gc_state *the_state;    /* while a gc module's dict holds it         */

static void gc_on_collection(ft_gc_phase phase, const ft_gc_info *info, void *ctx);

static void state_dealloc(ft_object *o)
{
    gc_state *st = (gc_state *)o;
    if (the_state == st) {
        the_state = NULL;
        if (ft_gc_callback_remove(gc_on_collection, NULL) < 0)
            ft_err_clear();
        ft_gc_set_debug(0);
        /* What the program left in gc.garbage dies now, while the
         * interpreter can still run its finalizers' neighbours. */
        ft_object *g = ft_gc_garbage();
        if (g) {
            ft_list_clear(g);
            ft_decref(g);
        }
        ft_err_clear();
    }
    ft_xdecref(st->callbacks);
    ft_object_free(o);
}

static ft_type gc_state_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "gc_state",
    .tp_basicsize = sizeof(gc_state),
    .tp_dealloc = state_dealloc,
};

/* ---- Argument helpers (CPython's METH_NOARGS / METH_O messages) ----------- */

static int no_kwargs(const char *qual, ft_object *kwnames)
{
    if (kwnames && ft_len(kwnames) > 0)
        return py_err_format_int(py_exc_TypeError, "%s() takes no keyword arguments", qual);
    return 0;
}

static int noargs(const char *qual, size_t nargs, ft_object *kwnames)
{
    if (no_kwargs(qual, kwnames) < 0)
        return -1;
    if (nargs != 0)
        return py_err_format_int(py_exc_TypeError, "%s() takes no arguments (%zu given)",
                                 qual, nargs);
    return 0;
}

static int onearg(const char *qual, size_t nargs, ft_object *kwnames)
{
    if (no_kwargs(qual, kwnames) < 0)
        return -1;
    if (nargs != 1)
        return py_err_format_int(py_exc_TypeError,
                                 "%s() takes exactly one argument (%zu given)", qual, nargs);
    return 0;
}

/* A C int from an int-like argument ("'str' object cannot be interpreted
 * as an integer"); 0 or -1. */
static int as_int(ft_object *o, int *out)
{
    ssize_t v;
    if (py_index_ssize(o, &v) < 0)
        return -1;
    if (v < INT32_MIN || v > INT32_MAX)
        return py_err_format_int(py_exc_OverflowError,
                                 "Python int too large to convert to C int");
    *out = (int)v;
    return 0;
}

static ft_object *int3_tuple(const int v[3])
{
    ft_object *t = ft_tuple_new(3);
    if (!t)
        return py_err_from_ft();
    for (int i = 0; i < 3; i++) {
        ft_object *n = ft_int_from_i64(v[i]);
        if (!n || ft_tuple_set_steal(t, i, n) < 0) {
            ft_decref(t);
            return py_err_from_ft();
        }
    }
    return t;
}

/* d[key] = value (value released); 0 or -1. */
static int dict_set_steal(ft_object *d, const char *key, ft_object *value)
{
    ft_object *k = value ? ft_str_from_utf8(key, -1) : NULL;
    int rc = k ? ft_dict_set(d, k, value) : -1;
    ft_xdecref(k);
    ft_xdecref(value);
    return rc < 0 ? py_err_from_ft_int() : 0;
}

/* ---- The collection callback ----------------------------------------------- */

/* The count of tracked objects in generation g (-1: all), or -1. */
static ssize_t count_objects(int g)
{
    ft_object *l = ft_gc_get_objects(g);
    ssize_t n = l ? ft_len(l) : -1;
    ft_xdecref(l);
    ft_err_clear();
    return n;
}

/* CPython's DEBUG_STATS lines, at the start of a collection. */
static void print_start_stats(int generation)
{
    ssize_t n[3];
    for (int g = 0; g < 3; g++)   /* nogil: young, none, old */
        n[g] = count_objects(g);
    fflush(stdout);
    fprintf(stderr, "gc: collecting generation %d...\n", generation);
    fprintf(stderr, "gc: objects in each generation: %zd %zd %zd\n", n[0], n[1], n[2]);
    fprintf(stderr, "gc: objects in permanent generation: %zd\n", ft_gc_get_freeze_count());
}

/* DEBUG_COLLECTABLE: prints what the collection put in gc.garbage after
 * garbage_mark; when SAVEALL was set only for this, clears those objects
 * (the collector's tp_clear) and takes them out of the list again. */
static void report_collectable(gc_state *st)
{
    ft_object *g = ft_gc_garbage();
    ft_object *all = g ? ft_list_as_tuple(g) : NULL;
    ssize_t n = all ? ft_len(all) : 0;
    ssize_t mark = st->garbage_mark < n ? st->garbage_mark : n;
    for (ssize_t i = mark; i < n; i++) {
        ft_object *o = ft_tuple_get_borrow(all, i);
        fprintf(stderr, "gc: collectable <%s %p>\n", py_type_name(o), (void *)o);
    }
    if (st->forced_saveall && n > mark) {
        for (ssize_t i = mark; i < n; i++) {
            ft_object *o = ft_tuple_get_borrow(all, i);
            if (o->ob_type->tp_clear)
                o->ob_type->tp_clear(o);
        }
        ft_list_set_slice(g, mark, n, NULL, 0);
    }
    ft_xdecref(all);   /* the cleared objects die here */
    ft_xdecref(g);
    ft_err_clear();
}

static ft_object *make_info(const ft_gc_info *info, bool stop)
{
    ft_object *d = ft_dict_new();
    if (!d)
        return py_err_from_ft();
    if (dict_set_steal(d, "generation", ft_int_from_i64(info->generation)) < 0 ||
        dict_set_steal(d, "collected", ft_int_from_i64(stop ? info->collected : 0)) < 0 ||
        dict_set_steal(d, "uncollectable",
                       ft_int_from_i64(stop ? info->uncollectable : 0)) < 0) {
        ft_decref(d);
        return NULL;
    }
    return d;
}

/* Calls every callable of gc.callbacks (a snapshot) with (phase, info);
 * an exception is reported as unraisable, as CPython does. */
static void run_python_callbacks(gc_state *st, const ft_gc_info *info, bool stop)
{
    ft_object *cbs = ft_list_as_tuple(st->callbacks);
    ssize_t n = cbs ? ft_len(cbs) : -1;
    if (n <= 0) {
        ft_xdecref(cbs);
        ft_err_clear();
        return;
    }
    ft_object *phase = ft_str_from_utf8(stop ? "stop" : "start", -1);
    ft_object *d = phase ? make_info(info, stop) : NULL;
    for (ssize_t i = 0; d && i < n; i++) {
        ft_object *cb = ft_tuple_get_borrow(cbs, i);
        ft_object *r = py_call2(cb, phase, d);
        if (r)
            ft_decref(r);
        else
            py_err_write_unraisable("gc callback", cb);
    }
    if (!d) {
        ft_err_clear();
        py_err_clear();
    }
    ft_xdecref(d);
    ft_xdecref(phase);
    ft_decref(cbs);
}

static void gc_on_collection(ft_gc_phase phase, const ft_gc_info *info, void *ctx)
{
    (void)ctx;
    gc_state *st = the_state;
    if (!st)
        return;
    ft_incref(&st->ob_base);   /* a callback could drop the module */
    ft_object *pending = py_err_fetch();
    bool stop = phase == FT_GC_STOP;
    if (!stop) {
        /* The main thread without a Python frame: __main__ has ended
         * and py_fini collects (an explicit gc.collect always has a
         * frame, automatic ones run at checkpoints inside frames). */
        py_tstate *ts = py_tstate_get();
        bool after_main = ft_thread_id() == 1 && ts && ts->frame == NULL;
        st->skip = after_main && (st->shutdown_seen || !ft_gc_isenabled());
        if (after_main)
            st->shutdown_seen = true;
        st->forced_saveall = false;
        if ((st->debug & DEBUG_COLLECTABLE) && !st->skip) {
            ft_object *g = ft_gc_garbage();
            st->garbage_mark = g ? ft_len(g) : 0;
            ft_xdecref(g);
            ft_err_clear();
            if (!(st->debug & DEBUG_SAVEALL)) {
                st->forced_saveall = true;
                ft_gc_set_debug(ft_gc_get_debug() | FT_GC_DEBUG_SAVEALL);
            }
        }
        if (st->debug & DEBUG_STATS)
            print_start_stats(info->generation);
    } else {
        if (st->forced_saveall)
            ft_gc_set_debug(ft_gc_get_debug() & ~FT_GC_DEBUG_SAVEALL);
        if ((st->debug & DEBUG_COLLECTABLE) && !st->skip)
            report_collectable(st);
        st->forced_saveall = false;
        if (st->debug & DEBUG_STATS) {
            fflush(stdout);
            fprintf(stderr, "gc: done, %zd unreachable, %zd uncollectable, %.4fs elapsed\n",
                    info->collected + info->uncollectable, info->uncollectable,
                    (double)info->pause_ns / 1e9);
        }
    }
    if (!st->skip)
        run_python_callbacks(st, info, stop);
    py_err_restore(pending);
    ft_decref(&st->ob_base);
}

/* ---- The functions ----------------------------------------------------------- */

static ft_object *gc_collect(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    ft_object *arg[1] = { NULL };
    if (nargs > 1)
        return py_err_format(py_exc_TypeError, "collect() takes at most 1 argument (%zu given)",
                             nargs);
    if (py_bind_args("collect", args, nargs, kwnames, "|,generation", arg) < 0)
        return NULL;
    int gen = 2;
    if (arg[0] && as_int(arg[0], &gen) < 0)
        return NULL;
    if (gen < 0 || gen > 2)
        return py_err_format(py_exc_ValueError, "invalid generation");
    ssize_t n = ft_gc_collect(gen);
    if (n < 0)
        return py_err_from_ft();
    return ft_int_from_i64(n);
}

static ft_object *gc_enable(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self; (void)args;
    if (noargs("gc.enable", nargs, kwnames) < 0)
        return NULL;
    ft_gc_enable();
    return ft_none();
}

static ft_object *gc_disable(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self; (void)args;
    if (noargs("gc.disable", nargs, kwnames) < 0)
        return NULL;
    ft_gc_disable();
    return ft_none();
}

static ft_object *gc_isenabled(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self; (void)args;
    if (noargs("gc.isenabled", nargs, kwnames) < 0)
        return NULL;
    return ft_bool(ft_gc_isenabled());
}

static ft_object *gc_get_count(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self; (void)args;
    if (noargs("gc.get_count", nargs, kwnames) < 0)
        return NULL;
    int c[3];
    ft_gc_get_count(c);
    return int3_tuple(c);
}

static ft_object *gc_get_threshold(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)self; (void)args;
    if (noargs("gc.get_threshold", nargs, kwnames) < 0)
        return NULL;
    int t[3];
    ft_gc_get_threshold(t);
    return int3_tuple(t);
}

/* set_threshold(threshold0[, threshold1[, threshold2]]): the ones not
 * given keep their values. */
static ft_object *gc_set_threshold(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)self;
    if (no_kwargs("set_threshold", kwnames) < 0)
        return NULL;
    if (nargs < 1)
        return py_err_format(py_exc_TypeError,
                             "set_threshold() takes at least 1 argument (0 given)");
    if (nargs > 3)
        return py_err_format(py_exc_TypeError,
                             "set_threshold() takes at most 3 arguments (%zu given)", nargs);
    int t[3];
    ft_gc_get_threshold(t);
    for (size_t i = 0; i < nargs; i++)
        if (as_int(args[i], &t[i]) < 0)
            return NULL;
    ft_gc_set_threshold(t[0], t[1], t[2]);
    return ft_none();
}

static ft_object *gc_get_debug(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self; (void)args;
    if (noargs("gc.get_debug", nargs, kwnames) < 0)
        return NULL;
    return ft_int_from_i64(the_state ? the_state->debug : 0);
}

static ft_object *gc_set_debug(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self;
    int flags = 0;
    if (onearg("gc.set_debug", nargs, kwnames) < 0 || as_int(args[0], &flags) < 0)
        return NULL;
    if (!the_state)
        return py_err_format(py_exc_RuntimeError, "gc: the module's state is gone");
    the_state->debug = flags;
    /* The runtime prints its own STATS line; ours are CPython's. */
    ft_gc_set_debug((flags & DEBUG_SAVEALL) ? FT_GC_DEBUG_SAVEALL : 0);
    return ft_none();
}

/* get_objects(generation=None): every tracked object, or generation's. */
static ft_object *gc_get_objects(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)self;
    ft_object *arg[1] = { NULL };
    if (nargs > 1)
        return py_err_format(py_exc_TypeError,
                             "get_objects() takes at most 1 argument (%zu given)", nargs);
    if (py_bind_args("get_objects", args, nargs, kwnames, "|,generation", arg) < 0)
        return NULL;
    ssize_t gen = -1;
    if (arg[0] && arg[0] != ft_none()) {
        if (!py_long_check(arg[0]))
            return py_err_format(py_exc_TypeError,
                                 "argument should be integer or None, not '%s'",
                                 py_type_name(arg[0]));
        if (py_index_ssize(arg[0], &gen) < 0)
            return NULL;
        if (gen >= FT_GC_GENERATIONS)
            return py_err_format(py_exc_ValueError,
                                 "generation parameter must be less than the number of "
                                 "available generations (%d)", FT_GC_GENERATIONS);
        if (gen < -1)
            return py_err_format(py_exc_ValueError, "generation parameter cannot be negative");
    }
    ft_object *l = ft_gc_get_objects((int)gen);
    return l ? l : py_err_from_ft();
}

/* Is o one of the n objects of `skip`? */
static bool is_one_of(ft_object *o, ft_object *const *skip, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (skip[i] == o)
            return true;
    return false;
}

/* get_referrers(*objs): the tracked objects referring to any of objs,
 * each once. The runtime's list for one object leaves itself out; with
 * several, the lists being merged are left out too. */
static ft_object *gc_get_referrers(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)self;
    if (no_kwargs("get_referrers", kwnames) < 0)
        return NULL;
    if (nargs == 1) {
        ft_object *l = ft_gc_get_referrers(args[0]);
        return l ? l : py_err_from_ft();
    }
    ft_object *result = ft_list_new(0), *seen = ft_set_new();
    if (!result || !seen)
        goto fail;
    for (size_t i = 0; i < nargs; i++) {
        /* l stays alive until its items are merged: its address must
         * not be reused by what the loop allocates. */
        ft_object *l = ft_gc_get_referrers(args[i]);
        ft_object *items = l ? ft_list_as_tuple(l) : NULL;
        if (!items) {
            ft_xdecref(l);
            goto fail;
        }
        ssize_t n = ft_len(items);
        for (ssize_t k = 0; k < n; k++) {
            ft_object *o = ft_tuple_get_borrow(items, k);
            ft_object *skip[] = { result, seen, items, l };
            if (is_one_of(o, skip, 4))
                continue;
            ft_object *id = ft_int_from_i64((int64_t)(intptr_t)o);
            int added = id ? ft_set_add(seen, id) : -1;
            ft_xdecref(id);
            if (added < 0 || (added == 1 && ft_list_append(result, o) < 0)) {
                ft_decref(items);
                ft_decref(l);
                goto fail;
            }
        }
        ft_decref(items);
        ft_decref(l);
    }
    ft_decref(seen);
    return result;
fail:
    ft_xdecref(result);
    ft_xdecref(seen);
    return py_err_from_ft();
}

/* get_referents(*objs): what each object's traversal visits, in order. */
static ft_object *gc_get_referents(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)self;
    if (no_kwargs("get_referents", kwnames) < 0)
        return NULL;
    ft_object *result = ft_list_new(0);
    if (!result)
        return py_err_from_ft();
    for (size_t i = 0; i < nargs; i++) {
        ft_object *l = ft_gc_get_referents(args[i]);
        ft_object *items = l ? ft_list_as_tuple(l) : NULL;
        ft_xdecref(l);
        ssize_t n = items ? ft_len(items) : -1;
        for (ssize_t k = 0; k < n; k++)
            if (ft_list_append(result, ft_tuple_get_borrow(items, k)) < 0)
                n = -1;
        ft_xdecref(items);
        if (n < 0) {
            ft_decref(result);
            return py_err_from_ft();
        }
    }
    return result;
}

static ft_object *gc_is_tracked(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self;
    if (onearg("gc.is_tracked", nargs, kwnames) < 0)
        return NULL;
    return ft_bool(ft_gc_is_tracked(args[0]));
}

static ft_object *gc_is_finalized(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)self;
    if (onearg("gc.is_finalized", nargs, kwnames) < 0)
        return NULL;
    return ft_bool(ft_gc_is_finalized(args[0]));
}

static ft_object *gc_freeze(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self; (void)args;
    if (noargs("gc.freeze", nargs, kwnames) < 0)
        return NULL;
    if (ft_gc_freeze() < 0)
        return py_err_from_ft();
    return ft_none();
}

static ft_object *gc_unfreeze(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)self; (void)args;
    if (noargs("gc.unfreeze", nargs, kwnames) < 0)
        return NULL;
    if (ft_gc_unfreeze() < 0)
        return py_err_from_ft();
    return ft_none();
}

static ft_object *gc_get_freeze_count(ft_object *self, ft_object *const *args, size_t nargs,
                                      ft_object *kwnames)
{
    (void)self; (void)args;
    if (noargs("gc.get_freeze_count", nargs, kwnames) < 0)
        return NULL;
    ssize_t n = ft_gc_get_freeze_count();
    if (n < 0)
        return py_err_from_ft();
    return ft_int_from_i64(n);
}

/* get_stats(): one dict per generation, as CPython. */
static ft_object *gc_get_stats(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self; (void)args;
    if (noargs("gc.get_stats", nargs, kwnames) < 0)
        return NULL;
    ft_gc_gen_stats s[FT_GC_GENERATIONS];
    ft_gc_get_stats(s);
    ft_object *l = ft_list_new(0);
    if (!l)
        return py_err_from_ft();
    for (int g = 0; g < FT_GC_GENERATIONS; g++) {
        ft_object *d = ft_dict_new();
        if (!d || dict_set_steal(d, "collections", ft_int_from_i64((int64_t)s[g].collections)) < 0 ||
            dict_set_steal(d, "collected", ft_int_from_i64((int64_t)s[g].collected)) < 0 ||
            dict_set_steal(d, "uncollectable",
                           ft_int_from_i64((int64_t)s[g].uncollectable)) < 0 ||
            ft_list_append(l, d) < 0) {
            ft_xdecref(d);
            ft_decref(l);
            return py_err_occurred() ? NULL : py_err_from_ft();
        }
        ft_decref(d);
    }
    return l;
}

static const py_method_def gc_methods[] = {
    { "collect", gc_collect, 0 },
    { "enable", gc_enable, 0 },
    { "disable", gc_disable, 0 },
    { "isenabled", gc_isenabled, 0 },
    { "get_count", gc_get_count, 0 },
    { "get_threshold", gc_get_threshold, 0 },
    { "set_threshold", gc_set_threshold, 0 },
    { "get_debug", gc_get_debug, 0 },
    { "set_debug", gc_set_debug, 0 },
    { "get_objects", gc_get_objects, 0 },
    { "get_referrers", gc_get_referrers, 0 },
    { "get_referents", gc_get_referents, 0 },
    { "is_tracked", gc_is_tracked, 0 },
    { "is_finalized", gc_is_finalized, 0 },
    { "freeze", gc_freeze, 0 },
    { "unfreeze", gc_unfreeze, 0 },
    { "get_freeze_count", gc_get_freeze_count, 0 },
    { "get_stats", gc_get_stats, 0 },
    { NULL, NULL, 0 },
};

/* The one state: made by the first import, shared by later ones. */
static gc_state *state_get_or_make(void)
{
    if (the_state) {
        ft_incref(&the_state->ob_base);
        return the_state;
    }
    ft_object *cbs = ft_list_new(0);
    gc_state *st = cbs ? (gc_state *)ft_object_new(&gc_state_type, sizeof(gc_state)) : NULL;
    if (!st) {
        ft_xdecref(cbs);
        py_err_from_ft();
        return NULL;
    }
    st->callbacks = cbs;
    /* Registered once per state: a state left from an earlier py_init
     * would have removed it in its dealloc. */
    if (ft_gc_callback_add(gc_on_collection, NULL) < 0) {
        ft_decref(&st->ob_base);
        py_err_from_ft();
        return NULL;
    }
    the_state = st;
    return st;
}

static int add_int(ft_object *m, const char *name, int v)
{
    ft_object *o = ft_int_from_i64(v);
    int rc = o ? py_module_add(m, name, o) : -1;
    ft_xdecref(o);
    return rc;
}

static int gc_exec(ft_object *m)
{
    gc_state *st = state_get_or_make();
    if (!st)
        return -1;
    int rc = py_module_add(m, STATE_KEY, &st->ob_base);
    ft_decref(&st->ob_base);
    if (rc < 0 || py_module_add(m, "callbacks", st->callbacks) < 0)
        return -1;
    ft_object *garbage = ft_gc_garbage();
    if (!garbage)
        return py_err_from_ft_int();
    rc = py_module_add(m, "garbage", garbage);
    ft_decref(garbage);
    if (rc < 0 || add_int(m, "DEBUG_STATS", DEBUG_STATS) < 0 ||
        add_int(m, "DEBUG_COLLECTABLE", DEBUG_COLLECTABLE) < 0 ||
        add_int(m, "DEBUG_UNCOLLECTABLE", DEBUG_UNCOLLECTABLE) < 0 ||
        add_int(m, "DEBUG_SAVEALL", DEBUG_SAVEALL) < 0 ||
        add_int(m, "DEBUG_LEAK", DEBUG_LEAK) < 0)
        return -1;
    return 0;
}

const py_module_def py_gc_module_def = { "gc", gc_exec, gc_methods };
