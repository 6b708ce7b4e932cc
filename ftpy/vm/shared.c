/* vm/shared.c — sharding the counts of the objects every thread uses
 * (shared.h; the runtime's side is ftlab/refcount.h and
 * nogil/shard.c).
 *
 * The problem. Calling f() from two threads increfs and decrefs f (the
 * call), its code (the frame), the constants it loads, the globals it
 * finds (more functions, classes, modules), the classes of the instances
 * it makes. In nogil every such operation by a thread that does not own
 * the object is an atomic add on the object's shared count: the two
 * threads bounce those cache lines and run slower together than one
 * alone.
 *
 * The scheme, and why. CPython 3.13 made these objects immortal when the
 * first thread started (code constants always), leaking them at exit;
 * 3.14 defers their counts: the interpreter pushes tagged, uncounted
 * references on its stacks and the collector scans the stacks. Deferred
 * counting touches every stack operation of the loop (vm/eval.c), and
 * immortality loses the counts for good: ftpy must exit with no leak, and
 * a count cannot be rebuilt at exit from the heap alone (C code holds
 * references too). So ftpy shards them instead (the runtime's
 * ft_object_shard): every thread counts its own references to a sharded
 * object in a private counter, with a plain add, and the real count is
 * the sum, taken when the world is stopped. Nothing is lost; the object
 * just cannot die until it is unsharded. py_fini unshards everything
 * first (py_shared_fini), and from then on the program's objects die the
 * way they would have without threads.
 *
 * What is sharded. When the first thread starts (py_shared_before_thread_
 * start, the caller then being the only thread): every function (with
 * its code object, the code's constants, names and nested code objects,
 * its name strings, defaults, closure cells, globals and builtins dicts),
 * every user class (its dict and the dict's values, MRO, bases, names),
 * every module (its dict; the functions, classes, built-in functions,
 * and the immutable constants -- strs, numbers, bytes, tuples of those --
 * in it) and the method tables of the built-in classes found in
 * modules. Afterwards, while sharding is on: every new top-level function
 * (closures made in a loop would otherwise live until exit: they are
 * rarely shared, and a closure a thread makes is that thread's own, its
 * counts already cheap), class and module, and what C modules add to
 * their namespace. Objects another thread owns are left alone (the
 * runtime refuses them). Ordinary data (lists, dicts, instances held in
 * globals) is not sharded: it may be garbage soon, and sharded objects
 * are roots for the collector.
 *
 * Cost. A sharded object lives until py_fini even when nothing refers to
 * it any more: a program that makes classes in a loop while threads run
 * keeps them (CPython 3.13 keeps them too, as immortals).
 *
 * Every flavor runs this code; in the gil build ft_object_shard refuses
 * everything, so nothing changes there.
 *
 * Research switches (environment): FTPY_SHARED=0 never shards (to
 * measure the contention it removes); FTPY_SHARD_DEBUG=1 reports how many
 * objects the first thread start sharded and, in an FT_RC_STATS build,
 * the refcount operations by path (fast / atomic / ...) between thread
 * starts, i.e. per run of a bench/py/scaling snippet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shared.h"
#include "vm.h"
#include "../objects/code.h"
#include "../objects/typeobject.h"

/* Written by the thread that starts threads and by py_fini; read by
 * creation hooks on any thread. relaxed: a hook that misses the switch
 * just leaves one new object unsharded. */
static _Atomic bool xenabled;
static bool off;   /* FTPY_SHARED=0: never (the starting thread only) */

bool py_shared_enabled(void) { return ft_atomic_load_relaxed(&xenabled); }

/* shared.h: set once, before the first thread start, never cleared. */
_Atomic bool _py_xthreads_started;

/* Objects sharded (FTPY_SHARD_DEBUG prints it at the first thread start).
 * Creation hooks shard on any thread: relaxed, a tally nobody orders by. */
static _Atomic size_t xnsharded;

/* Shards o if it can be; false when o is NULL or was sharded already (a
 * walk need not descend again), true otherwise (even when the runtime
 * refused o: its parts may still be ours). */
static bool shard(ft_object *o)
{
    if (!o || ft_object_is_sharded(o))
        return false;
    if (ft_object_shard(o))
        ft_atomic_add_relaxed(&xnsharded, 1);
    return true;
}

static void shard_code(ft_object *code);

/* A code constant: strs, numbers, bytes, tuples of constants, code. */
static void shard_const(ft_object *o)
{
    if (!o)
        return;
    if (o->ob_type == &py_code_class.ft) {
        shard_code(o);
    } else if (o->ob_type == &ft_tuple_type) {
        if (!shard(o))
            return;
        for (ssize_t i = 0, n = ft_len(o); i < n; i++)
            shard_const(ft_tuple_get_borrow(o, i));
    } else {
        shard(o);
    }
}

/* A tuple of strs (names) or constants. */
static void shard_tuple_items(ft_object *t)
{
    if (t && t->ob_type == &ft_tuple_type && shard(t))
        for (ssize_t i = 0, n = ft_len(t); i < n; i++)
            shard_const(ft_tuple_get_borrow(t, i));
}

static void shard_code(ft_object *code)
{
    if (!shard(code))
        return;
    py_code *c = py_as_code(code);
    shard_tuple_items(c->co_consts);
    shard_tuple_items(c->co_names);
    shard_tuple_items(c->co_varnames);
    shard_tuple_items(c->co_cellvars);
    shard_tuple_items(c->co_freevars);
    shard(c->co_name);
    shard(c->co_qualname);
    shard(c->co_filename);
}

/* A function and what a call or a MAKE_FUNCTION of its code touches. */
static void shard_function(ft_object *o)
{
    if (!shard(o))
        return;
    py_function *f = (py_function *)o;
    shard_code(f->code);
    shard(f->globals);
    shard(f->builtins);
    shard(f->name);
    shard(f->qualname);
    shard(f->module);
    shard(f->doc);
    shard_tuple_items(f->defaults);
    shard(f->kwdefaults);
    if (f->closure && f->closure->ob_type == &ft_tuple_type && shard(f->closure))
        for (ssize_t i = 0, n = ft_len(f->closure); i < n; i++)
            shard(ft_tuple_get_borrow(f->closure, i));   /* the cells */
}

static bool is_class(ft_object *o) { return py_is_type(o); }
static bool is_module(ft_object *o) { return py_isinstance_exact_or_sub(o, &py_module_class); }

/* Classes whose instances are shared by design (py_shared_kind). Written
 * at start-up (module initialisation, one thread), read afterwards. */
enum { MAX_KINDS = 8 };
static py_type *kinds[MAX_KINDS];
static int nkinds;

static bool is_shared_kind(ft_type *t)
{
    for (int i = 0; i < nkinds; i++)
        if (t == &kinds[i]->ft)
            return true;
    return false;
}

/* A value found in a class's or a module's namespace. */
static void shard_value(ft_object *v);

static void shard_dict_values(ft_object *d)
{
    if (!d || d->ob_type != &ft_dict_type)
        return;
    ssize_t pos = 0;
    ft_object *k, *v;
    while (ft_dict_next(d, &pos, &k, &v) == 1) {
        shard(k);
        shard_value(v);
    }
}

static void shard_class(ft_object *o)
{
    py_type *t = (py_type *)o;
    if (!(t->ft.tp_flags & PY_TPFLAGS_HEAPCLASS)) {
        /* A built-in class (immortal): its methods, found by every
         * instance's attribute lookups. Its dict is the start-up
         * thread's; the runtime refuses it otherwise. */
        if (shard(t->tp_dict))
            shard_dict_values(t->tp_dict);
        return;
    }
    if (!shard(o))
        return;
    shard(t->tp_name_obj);
    shard(t->tp_qualname);
    shard(t->tp_module);
    shard(t->tp_bases);
    shard(t->tp_mro);
    if (shard(t->tp_dict))
        shard_dict_values(t->tp_dict);
}

/* Walks the namespace even when m or its dict is sharded already (as
 * another module's value, as a function's globals): the walk of the
 * first thread start reaches each module once. */
static void shard_module(ft_object *m)
{
    shard(m);
    ft_object *d = py_module_dict_borrow(m);
    shard(d);
    shard_dict_values(d);
}

static void shard_value(ft_object *v)
{
    ft_type *t = v->ob_type;
    if (t == &py_function_class.ft)
        shard_function(v);
    else if (is_class(v))
        shard_class(v);
    else if (is_module(v))
        shard(v);   /* its own namespace when the walk reaches it */
    else if (t == &ft_tuple_type || t == &ft_float_type || t == &ft_int_type ||
             t == &py_bytes_class.ft)
        shard_const(v);   /* immutable: a constant kept in a global */
    else if (is_shared_kind(t))
        shard(v);         /* a threading.local, ... */
    else if (t == &ft_str_type || t == &py_cfunction_class.ft ||
             t == &py_method_descr_class.ft || t == &py_classmethod_descr_class.ft ||
             t == &py_getset_descr_class.ft || t == &py_member_descr_class.ft ||
             t == &py_slot_wrapper_class.ft || t == &py_classmethod_class.ft ||
             t == &py_staticmethod_class.ft || t == &py_property_class.ft ||
             t == &py_ft_cfunction_class.ft)
        shard(v);   /* descriptors: their functions are in the walk */
}

/* The first thread is about to start: every tracked function, class and
 * module (code objects, untracked, through their functions). */
static void shard_existing(void)
{
    ft_object *all = ft_gc_get_objects(-1);
    if (!all) {
        ft_err_clear();
        return;
    }
    for (ssize_t i = 0, n = ft_len(all); i < n; i++) {
        ft_object *o = ft_list_get(all, i);
        if (!o)
            break;
        if (o->ob_type == &py_function_class.ft)
            shard_function(o);
        else if (is_class(o))
            shard_class(o);
        else if (is_module(o))
            shard_module(o);
        ft_decref(o);
    }
    ft_err_clear();
    ft_decref(all);
}

/* FTPY_SHARD_DEBUG=1 in an FT_RC_STATS build: at every thread start, the
 * refcount operations since the previous one, by path (a scaling
 * snippet's run is what happened between its thread starts). */
static void debug_rc_stats(void)
{
    ft_rc_stats st;
    if (!getenv("FTPY_SHARD_DEBUG") || !ft_rc_get_stats(&st))
        return;
    fprintf(stderr, "rc: fast %llu atomic %llu immortal %llu queued %llu merged %llu\n",
            (unsigned long long)st.fast, (unsigned long long)st.atomic,
            (unsigned long long)st.immortal, (unsigned long long)st.queued,
            (unsigned long long)st.merged);
    ft_rc_reset_stats();
}

void py_shared_before_thread_start(void)
{
    /* before any early return: FTPY_SHARED=0 still starts threads */
    ft_atomic_store_relaxed(&_py_xthreads_started, true);
    debug_rc_stats();
    if (py_shared_enabled() || off)
        return;
    const char *env = getenv("FTPY_SHARED");
    if (env && strcmp(env, "0") == 0) {
        off = true;   /* research toggle: measure without sharding */
        return;
    }
    ft_atomic_store_relaxed(&xenabled, true);
    shard_existing();
    if (getenv("FTPY_SHARD_DEBUG"))
        fprintf(stderr, "shard: %zu objects at the first thread start\n",
                ft_atomic_load_relaxed(&xnsharded));
}

void py_shared_new_function(ft_object *func)
{
    if (!py_shared_enabled())
        return;
    py_function *f = (py_function *)func;
    if (!(py_as_code(f->code)->co_flags & PY_CO_NESTED))
        shard_function(func);
}

void py_shared_new_class(ft_object *cls)
{
    if (py_shared_enabled())
        shard_class(cls);
}

void py_shared_new_module(ft_object *module)
{
    if (py_shared_enabled()) {
        shard(module);
        shard(py_module_dict_borrow(module));
    }
}

void py_shared_module_value(ft_object *value)
{
    if (py_shared_enabled() && value)
        shard_value(value);
}

void py_shared_kind(py_type *cls)
{
    if (nkinds < MAX_KINDS && !is_shared_kind(&cls->ft))
        kinds[nkinds++] = cls;
}

void py_shared_object(ft_object *o)
{
    if (py_shared_enabled() && o)
        shard(o);
}

void py_shared_fini(void)
{
    ft_atomic_store_relaxed(&xenabled, false);
    ft_object_unshard_all();
}
