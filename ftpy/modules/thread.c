/* modules/thread.c — the _thread module: Python threads on ftlab threads.
 *
 * Design notes
 *
 * Threads. start_new_thread starts an ftlab thread (ft_thread_start): it
 * begins attached, makes its ftpy thread state on first use, calls the
 * function, and before it returns releases everything it holds that is
 * Python's: its _local values, its attribute-lookup cache
 * (_py_types_thread_fini) and its thread state. The runtime then deletes
 * its own thread state. The thread's ident is its ftlab id (ft_thread_id:
 * 1 for the main thread, never reused while the runtime runs).
 *
 * Every started thread has a record in `threads` (a plain list under a
 * pthread mutex that is only ever held for a few instructions, so an
 * attached thread blocked on it never delays a stop-the-world):
 *   RUNNING    the Python function runs (or has not started yet)
 *   FINISHING  it returned; the thread drops its Python state
 *   DONE       nothing Python left; only the runtime's exit remains
 * ftlab handles must be joined to be freed: DONE threads are joined by the
 * next start_new_thread and at exit (py_thread_exit_wait). At exit a
 * thread still RUNNING (a daemon thread, or a bare _thread thread, which
 * CPython does not wait for either) makes ftpy skip the teardown: main.c
 * flushes and _exits, as CPython lets daemon threads die with the process.
 *
 * Join. threading.Thread.join waits on the "sentinel" lock
 * (_set_sentinel, as CPython 3.11): a lock the new thread takes at its
 * start and that this file releases once the thread is FINISHING, so a
 * joined thread never runs Python code again.
 *
 * Locks wait detached (FT_BEGIN/END_ALLOW_THREADS) on a pthread condition
 * in 50 ms slices; between slices the main thread checks for Ctrl-C
 * (py_check_signals raises KeyboardInterrupt on the main thread only).
 *
 * _local keeps one dict per thread in a runtime dict keyed by thread id
 * (l->dicts: it owns them). Every live _local is on a list (local_list, an
 * ft_mutex: holding it a thread may still block on a dict's lock, and an
 * ft_mutex waiter is detached); a thread at its end pops its entry from
 * each, and a dying _local unlinks itself first, so neither sees the other
 * half-gone. A dying _local releases every thread's dict with l->dicts.
 *
 * Reads without shared state. l->dicts has int keys, so each lookup takes
 * its per-object lock, and two threads reading their own attributes of one
 * local would contend on it. Each thread therefore keeps its own cache
 * (`local_cache`, a __thread array: nobody else ever touches it) of
 * (serial -> borrowed dict), direct-mapped by the local's serial. A serial
 * is a number no other _local ever gets (a global counter), so an entry
 * of a dead local never matches a new one made at the same address, and
 * entries need no cleanup when a local dies: they are only overwritten.
 * The borrowed dict stays valid while the entry can match, because only
 * these take a thread's dict out of l->dicts: the thread's own exit (it
 * empties its cache first), a dying local (its serial can no longer be
 * presented: the caller holds a reference to the local it reads), and
 * local_clear (the GC's, on an unreachable local: it gives the local a new
 * serial, so any later read misses), and a subclass's __init__ that fails
 * in the thread (the slow path empties the entry its own reads made). A
 * miss takes the locked path, which also runs a subclass's __init__ the
 * first time a thread uses the local, and fills the entry after that
 * succeeded. What remains shared on a read is the local's own reference
 * count (the eval loop's incref of `tls` in `tls.x`): the locals found in
 * module namespaces when the first thread starts are sharded for that
 * (vm/shared.c; they then live until exit), those made later are not, so
 * that they die when unused.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "../ftpy.h"
#include "../vm/vm.h"
#include "../vm/shared.h"
#include "../objects/typeobject.h"
#include "../objects/int.h"
#include "modules.h"

enum { SLICE_NS = 50 * 1000 * 1000 };       /* Ctrl-C latency of a wait   */
#define TIMEOUT_MAX_SECONDS 9223372036.0     /* CPython's PY_TIMEOUT_MAX/1e6 */

static double now_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ==== The lock core (Lock and RLock) ====================================== */

typedef struct lock_core {
    pthread_mutex_t mu;          /* guards locked and waiters              */
    pthread_cond_t cv;           /* CLOCK_MONOTONIC                        */
    bool locked;
    int waiters;
} lock_core;

static void core_init(lock_core *c)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, &a);
    pthread_condattr_destroy(&a);
    c->locked = false;
    c->waiters = 0;
}

static void core_destroy(lock_core *c)
{
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
}

static bool core_try(lock_core *c)
{
    bool got = false;
    pthread_mutex_lock(&c->mu);
    if (!c->locked)
        got = c->locked = true;
    pthread_mutex_unlock(&c->mu);
    return got;
}

/* Waits (detached) until the lock is free or `until` (monotonic seconds)
 * passes; takes it when free. Touches no runtime object. */
static bool core_wait_slice(lock_core *c, double until)
{
    struct timespec ts;
    ts.tv_sec = (time_t)until;
    ts.tv_nsec = (long)((until - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    bool got = false;
    pthread_mutex_lock(&c->mu);
    c->waiters++;
    while (c->locked)
        if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) == ETIMEDOUT)
            break;
    if (!c->locked)
        got = c->locked = true;
    c->waiters--;
    pthread_mutex_unlock(&c->mu);
    return got;
}

/* 1 acquired, 0 timed out / not free, -1 KeyboardInterrupt.
 * timeout < 0: forever. */
static int core_acquire(lock_core *c, bool blocking, double timeout)
{
    if (core_try(c))
        return 1;
    if (!blocking)
        return 0;
    double deadline = timeout >= 0 ? now_monotonic() + timeout : 0;
    for (;;) {
        double now = now_monotonic();
        double until = now + SLICE_NS * 1e-9;
        if (timeout >= 0 && deadline < until)
            until = deadline;
        bool got;
        FT_BEGIN_ALLOW_THREADS
        got = core_wait_slice(c, until);
        FT_END_ALLOW_THREADS
        if (got)
            return 1;
        if (timeout >= 0 && now_monotonic() >= deadline)
            return 0;
        if (py_check_signals() < 0)
            return -1;
    }
}

/* false when it was not locked. */
static bool core_release(lock_core *c)
{
    pthread_mutex_lock(&c->mu);
    bool was = c->locked;
    c->locked = false;
    if (was && c->waiters)
        pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return was;
}

static bool core_locked(lock_core *c)
{
    pthread_mutex_lock(&c->mu);
    bool v = c->locked;
    pthread_mutex_unlock(&c->mu);
    return v;
}

/* acquire(blocking=True, timeout=-1)'s arguments, CPython's checks. */
static int timeout_arg(ft_object *o, double *out)
{
    if (o->ob_type == &ft_float_type) {
        *out = ft_float_as_double(o);
    } else if (py_long_check(o)) {
        int64_t v;
        if (py_long_as_i64(o, &v) < 0) {
            py_err_clear();
            return py_err_format_int(py_exc_OverflowError,
                                     "timestamp out of range for platform time_t");
        }
        *out = (double)v;
    } else {
        return py_err_format_int(py_exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer",
                                 py_type_name(o));
    }
    if (isnan(*out))
        return py_err_format_int(py_exc_ValueError, "Invalid value NaN (not a number)");
    return 0;
}

static int acquire_args(const char *fname, ft_object *const *args, size_t nargs,
                        ft_object *kwnames, bool *blocking, double *timeout)
{
    ft_object *a[2] = {NULL, NULL};
    if (py_bind_args(fname, args, nargs, kwnames, "|,blocking,timeout", a) < 0)
        return -1;
    *blocking = true;
    *timeout = -1;
    if (a[0]) {
        if (!py_long_check(a[0]))
            return py_err_format_int(py_exc_TypeError,
                                     "'%s' object cannot be interpreted as an integer",
                                     py_type_name(a[0]));
        int t = py_is_true(a[0]);
        if (t < 0)
            return -1;
        *blocking = t;
    }
    if (a[1] && timeout_arg(a[1], timeout) < 0)
        return -1;
    if (!*blocking && *timeout != -1)
        return py_err_format_int(py_exc_ValueError,
                                 "can't specify a timeout for a non-blocking call");
    if (*timeout < 0 && *timeout != -1)
        return py_err_format_int(py_exc_ValueError, "timeout value must be positive");
    if (*timeout > TIMEOUT_MAX_SECONDS)
        return py_err_format_int(py_exc_OverflowError, "timeout value is too large");
    return 0;
}

/* ==== Lock ================================================================ */

typedef struct lock_obj {
    ft_object ob_base;
    lock_core core;
} lock_obj;

extern py_type py_thread_lock_class, py_thread_rlock_class, py_thread_local_class;

static ft_object *lock_new_obj(void)
{
    ft_object *o = ft_object_new(&py_thread_lock_class.ft, sizeof(lock_obj));
    if (!o)
        return py_err_from_ft();
    core_init(&((lock_obj *)o)->core);
    return o;
}

static void lock_dealloc(ft_object *o)
{
    core_destroy(&((lock_obj *)o)->core);
    ft_object_free(o);
}

static ft_object *lock_repr(ft_object *o)
{
    return py_str_from_format("<%s _thread.lock object at %p>",
                              core_locked(&((lock_obj *)o)->core) ? "locked" : "unlocked",
                              (void *)o);
}

static ft_object *lock_acquire(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    bool blocking;
    double timeout;
    if (acquire_args("acquire", args, nargs, kwnames, &blocking, &timeout) < 0)
        return NULL;
    int r = core_acquire(&((lock_obj *)self)->core, blocking, timeout);
    return r < 0 ? NULL : ft_newref(ft_bool(r));
}

static ft_object *lock_enter(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("__enter__", kwnames) < 0 || py_check_nargs("__enter__", nargs, 0, 0) < 0)
        return NULL;
    int r = core_acquire(&((lock_obj *)self)->core, true, -1);
    return r < 0 ? NULL : ft_newref(ft_bool(r));
}

static ft_object *lock_release(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("release", kwnames) < 0 || py_check_nargs("release", nargs, 0, 0) < 0)
        return NULL;
    if (!core_release(&((lock_obj *)self)->core))
        return py_err_format(py_exc_RuntimeError, "release unlocked lock");
    return ft_none();
}

static ft_object *lock_exit(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)args; (void)nargs;
    if (py_no_kwargs("__exit__", kwnames) < 0)
        return NULL;
    if (!core_release(&((lock_obj *)self)->core))
        return py_err_format(py_exc_RuntimeError, "release unlocked lock");
    return ft_none();
}

static ft_object *lock_locked(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("locked", kwnames) < 0 || py_check_nargs("locked", nargs, 0, 0) < 0)
        return NULL;
    return ft_newref(ft_bool(core_locked(&((lock_obj *)self)->core)));
}

static ft_object *lock_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return py_err_format(py_exc_TypeError, "cannot create '%s' instances", cls->ft.tp_name);
}

static const py_method_def lock_methods[] = {
    {"acquire", lock_acquire, 0},
    {"acquire_lock", lock_acquire, 0},
    {"release", lock_release, 0},
    {"release_lock", lock_release, 0},
    {"locked", lock_locked, 0},
    {"locked_lock", lock_locked, 0},
    {"__enter__", lock_enter, 0},
    {"__exit__", lock_exit, 0},
    {NULL, NULL, 0},
};

py_type py_thread_lock_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "_thread.lock",
        .tp_basicsize = sizeof(lock_obj),
        .tp_flags = PY_TPFLAGS_PYTYPE,
        .tp_dealloc = lock_dealloc,
        .tp_repr = lock_repr,
    },
    .tp_new = lock_tp_new,
    .tp_methods = lock_methods,
};

/* ==== RLock =============================================================== */

typedef struct rlock_obj {
    ft_object ob_base;
    lock_core core;
    uint64_t owner;              /* ft_thread_id of the holder, 0: none;
                                    only the holder writes its own id, so a
                                    relaxed read never sees ours by mistake */
    uint64_t count;              /* the holder's only                      */
} rlock_obj;

static uint64_t rl_owner(rlock_obj *r)
{
    return __atomic_load_n(&r->owner, __ATOMIC_RELAXED);
}
static void rl_set_owner(rlock_obj *r, uint64_t id)
{
    __atomic_store_n(&r->owner, id, __ATOMIC_RELAXED);
}

static ft_object *rlock_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    ft_object *o = ft_object_new(&cls->ft, sizeof(rlock_obj));
    if (!o)
        return py_err_from_ft();
    core_init(&((rlock_obj *)o)->core);
    return o;
}

static void rlock_dealloc(ft_object *o)
{
    core_destroy(&((rlock_obj *)o)->core);
    ft_object_free(o);
}

static ft_object *rlock_repr(ft_object *o)
{
    rlock_obj *r = (rlock_obj *)o;
    uint64_t owner = rl_owner(r);
    return py_str_from_format("<%s _thread.RLock object owner=%llu count=%llu at %p>",
                              owner ? "locked" : "unlocked", (unsigned long long)owner,
                              (unsigned long long)(owner ? r->count : 0), (void *)o);
}

static int rlock_do_acquire(rlock_obj *r, bool blocking, double timeout)
{
    uint64_t me = ft_thread_id();
    if (rl_owner(r) == me) {
        r->count++;
        return 1;
    }
    int got = core_acquire(&r->core, blocking, timeout);
    if (got == 1) {
        rl_set_owner(r, me);
        r->count = 1;
    }
    return got;
}

static ft_object *rlock_acquire(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    bool blocking;
    double timeout;
    if (acquire_args("acquire", args, nargs, kwnames, &blocking, &timeout) < 0)
        return NULL;
    int r = rlock_do_acquire((rlock_obj *)self, blocking, timeout);
    return r < 0 ? NULL : ft_newref(ft_bool(r));
}

static ft_object *rlock_enter(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("__enter__", kwnames) < 0 || py_check_nargs("__enter__", nargs, 0, 0) < 0)
        return NULL;
    int r = rlock_do_acquire((rlock_obj *)self, true, -1);
    return r < 0 ? NULL : ft_newref(ft_bool(r));
}

static ft_object *rlock_do_release(rlock_obj *r)
{
    if (rl_owner(r) != ft_thread_id() || r->count == 0)
        return py_err_format(py_exc_RuntimeError, "cannot release un-acquired lock");
    if (--r->count == 0) {
        rl_set_owner(r, 0);
        core_release(&r->core);
    }
    return ft_none();
}

static ft_object *rlock_release(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("release", kwnames) < 0 || py_check_nargs("release", nargs, 0, 0) < 0)
        return NULL;
    return rlock_do_release((rlock_obj *)self);
}

static ft_object *rlock_exit(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)args; (void)nargs;
    if (py_no_kwargs("__exit__", kwnames) < 0)
        return NULL;
    return rlock_do_release((rlock_obj *)self);
}

static ft_object *rlock_is_owned(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("_is_owned", kwnames) < 0 || py_check_nargs("_is_owned", nargs, 0, 0) < 0)
        return NULL;
    rlock_obj *r = (rlock_obj *)self;
    return ft_newref(ft_bool(rl_owner(r) == ft_thread_id() && r->count > 0));
}

/* Condition's helpers: release completely, giving (count, owner) back;
 * restore from that tuple. */
static ft_object *rlock_release_save(ft_object *self, ft_object *const *args, size_t nargs,
                                     ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("_release_save", kwnames) < 0 ||
        py_check_nargs("_release_save", nargs, 0, 0) < 0)
        return NULL;
    rlock_obj *r = (rlock_obj *)self;
    if (r->count == 0 || rl_owner(r) != ft_thread_id())
        return py_err_format(py_exc_RuntimeError, "cannot release un-acquired lock");
    ft_object *t = ft_tuple_new(2);
    ft_object *c = t ? ft_int_from_i64((int64_t)r->count) : NULL;
    ft_object *w = c ? ft_int_from_i64((int64_t)r->owner) : NULL;
    if (!w) {
        ft_xdecref(c);
        ft_xdecref(t);
        return py_err_from_ft();
    }
    ft_tuple_set_steal(t, 0, c);
    ft_tuple_set_steal(t, 1, w);
    r->count = 0;
    rl_set_owner(r, 0);
    core_release(&r->core);
    return t;
}

static ft_object *rlock_acquire_restore(ft_object *self, ft_object *const *args,
                                        size_t nargs, ft_object *kwnames)
{
    if (py_no_kwargs("_acquire_restore", kwnames) < 0 ||
        py_check_nargs("_acquire_restore", nargs, 1, 1) < 0)
        return NULL;
    ft_object *st = args[0];
    int64_t count, owner;
    if (st->ob_type != &ft_tuple_type || ft_len(st) != 2 ||
        py_long_as_i64(ft_tuple_get_borrow(st, 0), &count) < 0 ||
        py_long_as_i64(ft_tuple_get_borrow(st, 1), &owner) < 0) {
        if (!py_err_occurred())
            py_err_setstr(py_exc_TypeError, "_acquire_restore: bad state");
        return NULL;
    }
    rlock_obj *r = (rlock_obj *)self;
    if (core_acquire(&r->core, true, -1) < 0)
        return NULL;
    rl_set_owner(r, (uint64_t)owner);
    r->count = (uint64_t)count;
    return ft_none();
}

static const py_method_def rlock_methods[] = {
    {"acquire", rlock_acquire, 0},
    {"release", rlock_release, 0},
    {"_is_owned", rlock_is_owned, 0},
    {"_release_save", rlock_release_save, 0},
    {"_acquire_restore", rlock_acquire_restore, 0},
    {"__enter__", rlock_enter, 0},
    {"__exit__", rlock_exit, 0},
    {NULL, NULL, 0},
};

py_type py_thread_rlock_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "_thread.RLock",
        .tp_basicsize = sizeof(rlock_obj),
        .tp_flags = PY_TPFLAGS_PYTYPE,
        .tp_dealloc = rlock_dealloc,
        .tp_repr = rlock_repr,
    },
    .tp_new = rlock_tp_new,
    .tp_methods = rlock_methods,
};

/* ==== _local ============================================================== */

typedef struct local_obj {
    ft_object ob_base;
    ft_object *dicts;            /* dict: thread id -> that thread's dict  */
    ft_object *args, *kwargs;    /* for __init__ in each new thread        */
    struct local_obj *prev, *next;   /* local_list, under local_mu         */
    bool linked;
    uint64_t serial;             /* unique, never 0; atomic (local_clear)  */
} local_obj;

static ft_mutex local_mu = FT_MUTEX_INIT;
static local_obj *local_list;

/* ---- The calling thread's cache of its own dicts (see the notes) ---- */

enum { LOCAL_CACHE_SIZE = 32 };              /* a power of two             */

typedef struct local_cache_entry {
    uint64_t serial;             /* 0: empty                               */
    ft_object *dict;             /* borrowed: the local's dicts own it     */
} local_cache_entry;

static __thread local_cache_entry local_cache[LOCAL_CACHE_SIZE];
static uint64_t local_serial_next = 1;

static uint64_t local_new_serial(void)
{
    /* relaxed: only uniqueness matters, no other memory is published */
    return __atomic_fetch_add(&local_serial_next, 1, __ATOMIC_RELAXED);
}

static uint64_t local_serial(local_obj *l)
{
    /* relaxed: it changes only in local_clear, on a local no other thread
     * can reach; atomic so that a sanitizer sees no plain race either */
    return __atomic_load_n(&l->serial, __ATOMIC_RELAXED);
}

static local_cache_entry *local_cache_slot(uint64_t serial)
{
    return &local_cache[serial & (LOCAL_CACHE_SIZE - 1)];
}

static void local_unlink(local_obj *l)
{
    ft_mutex_lock(&local_mu);
    if (l->linked) {
        if (l->prev)
            l->prev->next = l->next;
        else
            local_list = l->next;
        if (l->next)
            l->next->prev = l->prev;
        l->linked = false;
    }
    ft_mutex_unlock(&local_mu);
}

static ft_object *local_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    bool has_args = nargs > 0 || (kwnames && ft_len(kwnames) > 0);
    if (has_args) {
        ft_object *init = py_type_lookup_borrow(cls, PY_ID(__init__));
        ft_object *oinit = py_type_lookup_borrow(&py_object_type, PY_ID(__init__));
        if (init == oinit)
            return py_err_format(py_exc_TypeError,
                                 "Initialization arguments are not supported");
    }
    ft_object *o = py_instance_alloc(cls);
    if (!o)
        return NULL;
    local_obj *l = (local_obj *)o;
    size_t nkw = kwnames ? (size_t)ft_len(kwnames) : 0;
    l->dicts = ft_dict_new();
    l->args = ft_tuple_new((ssize_t)nargs);
    l->kwargs = nkw ? ft_dict_new() : NULL;
    if (!l->dicts || !l->args || (nkw && !l->kwargs))
        goto fail;
    for (size_t i = 0; i < nargs; i++)
        ft_tuple_set_steal(l->args, (ssize_t)i, ft_newref(args[i]));
    for (size_t i = 0; i < nkw; i++)
        if (ft_dict_set(l->kwargs, ft_tuple_get_borrow(kwnames, (ssize_t)i),
                        args[nargs + i]) < 0)
            goto fail;
    /* The creating thread's dict now: type() runs __init__ in it. */
    ft_object *key = ft_int_from_i64((int64_t)ft_thread_id());
    ft_object *d = key ? ft_dict_new() : NULL;
    int rc = d ? ft_dict_set(l->dicts, key, d) : -1;
    ft_xdecref(d);
    ft_xdecref(key);
    if (rc < 0)
        goto fail;
    /* set before the object is published to any other thread */
    __atomic_store_n(&l->serial, local_new_serial(), __ATOMIC_RELAXED);
    ft_mutex_lock(&local_mu);
    l->next = local_list;
    l->prev = NULL;
    if (local_list)
        local_list->prev = l;
    local_list = l;
    l->linked = true;
    ft_mutex_unlock(&local_mu);
    /* Not sharded here (py_shared_object): a sharded object cannot die
     * before exit, and a local made while threads run is often a
     * per-request or per-instance one. The module-level ones that exist
     * at the first thread start are (py_shared_kind, thread_exec). */
    return o;
fail:
    if (!py_err_occurred())
        py_err_from_ft();
    ft_decref(o);
    return NULL;
}

static int local_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    local_obj *l = (local_obj *)o;
    int rc = 0;
    if (l->dicts)
        rc = visit(l->dicts, arg);
    if (!rc && l->args)
        rc = visit(l->args, arg);
    if (!rc && l->kwargs)
        rc = visit(l->kwargs, arg);
    return rc;
}

static int local_clear(ft_object *o)
{
    local_obj *l = (local_obj *)o;
    ft_object *a = l->args, *k = l->kwargs, *d = l->dicts;
    l->args = l->kwargs = NULL;
    /* the dicts go: no thread's cache entry may match this local again */
    __atomic_store_n(&l->serial, local_new_serial(), __ATOMIC_RELAXED);
    ft_xdecref(a);
    ft_xdecref(k);
    if (d) {
        /* empty it rather than dropping it: a thread ending now may still
         * find this local on the list */
        ft_dict_clear(d);
        ft_err_clear();
    }
    return 0;
}

static void local_dealloc(ft_object *o)
{
    local_obj *l = (local_obj *)o;
    local_unlink(l);
    local_clear(o);
    ft_object *d = l->dicts;
    l->dicts = NULL;
    ft_xdecref(d);
    ft_object_free(o);
}

/* The calling thread's dict of l (borrowed: l->dicts keeps it), made and
 * __init__'ed on first use in this thread. Takes l->dicts' lock. */
static ft_object *local_dict_slow(local_obj *l)
{
    if (!l->dicts)
        return py_err_format(py_exc_RuntimeError, "_thread._local is being destroyed");
    ft_object *key = ft_int_from_i64((int64_t)ft_thread_id());
    if (!key)
        return py_err_from_ft();
    ft_object *d = NULL;
    int rc = ft_dict_lookup(l->dicts, key, &d);
    if (rc > 0) {
        ft_decref(key);
        ft_decref(d);            /* l->dicts keeps it */
        return d;
    }
    if (rc < 0 || !(d = ft_dict_new()) || ft_dict_set(l->dicts, key, d) < 0) {
        ft_xdecref(d);
        ft_decref(key);
        return py_err_from_ft();
    }
    ft_decref(key);
    ft_decref(d);
    /* A subclass's __init__ runs again in every thread (not in the one
     * that made the object: type() calls it there). */
    py_type *cls = py_type_of(&l->ob_base);
    ft_object *init = py_type_lookup_borrow(cls, PY_ID(__init__));
    ft_object *oinit = py_type_lookup_borrow(&py_object_type, PY_ID(__init__));
    if (init && init != oinit && l->args) {
        ft_object *meth = py_getattr(&l->ob_base, PY_ID(__init__));
        ft_object *r = meth ? py_call_tuple(meth, l->args, l->kwargs) : NULL;
        ft_xdecref(meth);
        if (!r) {
            /* the dict goes, and so does the cache entry that __init__'s
             * own reads of the local may have made for it */
            local_cache_entry *e = local_cache_slot(local_serial(l));
            if (e->serial == local_serial(l))
                e->serial = 0;
            ft_object *k2 = ft_int_from_i64((int64_t)ft_thread_id());
            if (k2 && ft_dict_del(l->dicts, k2) < 0)
                ft_err_clear();
            ft_xdecref(k2);
            return NULL;
        }
        ft_decref(r);
    }
    return d;
}

/* The calling thread's dict of l, a new reference: from this thread's
 * cache when it has it (no shared state read but l's serial), else from
 * the locked path, whose result then fills the cache. The new reference is
 * cheap: the thread made the dict, so its count is the thread's own. */
static ft_object *local_dict(local_obj *l)
{
    uint64_t serial = local_serial(l);
    local_cache_entry *e = local_cache_slot(serial);
    if (e->serial == serial)
        return ft_newref(e->dict);
    ft_object *d = local_dict_slow(l);
    if (!d)
        return NULL;
    /* the serial read before any __init__ ran: if local_clear renewed it
     * meanwhile, this entry can never match again */
    e->serial = serial;
    e->dict = d;
    return ft_newref(d);
}

/* Every attribute read asks: the length test first keeps it cheap. */
static bool is_dunder_dict(ft_object *name)
{
    if (name == PY_ID(__dict__))
        return true;
    ssize_t n = 0;
    const char *s = py_str_check_exact(name) ? ft_str_utf8_borrow(name, &n) : NULL;
    return s && n == 8 && memcmp(s, "__dict__", 8) == 0;
}

/* o.name with d, the calling thread's dict of o */
static ft_object *local_getattr_in(ft_object *o, ft_object *d, ft_object *name)
{
    if (is_dunder_dict(name))
        return ft_newref(d);
    py_type *cls = py_type_of(o);
    ft_object *attr = py_type_lookup_borrow(cls, name);
    if (attr)
        ft_incref(attr);
    py_type *at = attr ? py_type_of(attr) : NULL;
    if (attr && at->tp_descr_get && at->tp_descr_set) {
        ft_object *r = at->tp_descr_get(attr, o, py_type_as_obj(cls));
        ft_decref(attr);
        return r;
    }
    ft_object *v = NULL;
    int rc = ft_dict_lookup(d, name, &v);
    if (rc != 0) {
        ft_xdecref(attr);
        return rc > 0 ? v : py_err_from_ft();
    }
    if (attr) {
        if (!at->tp_descr_get)
            return attr;
        ft_object *r = at->tp_descr_get(attr, o, py_type_as_obj(cls));
        ft_decref(attr);
        return r;
    }
    /* a class __getattr__ (user subclasses) */
    ft_object *ga = py_type_lookup_borrow(cls, PY_ID(__getattr__));
    if (ga) {
        ft_object *args[2] = {o, name};
        ft_incref(ga);
        ft_object *r = py_vcall(ga, args, 2, NULL);
        ft_decref(ga);
        return r;
    }
    return py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%s'",
                         py_type_name(o), ft_str_utf8_borrow(name, NULL));
}

static ft_object *local_getattro(ft_object *o, ft_object *name)
{
    if (!py_str_check_exact(name))
        return py_err_format(py_exc_TypeError, "attribute name must be string, not '%s'",
                             py_type_name(name));
    ft_object *d = local_dict((local_obj *)o);
    if (!d)
        return NULL;
    ft_object *r = local_getattr_in(o, d, name);
    ft_decref(d);
    return r;
}

/* o.name = v (del when v is NULL) with d, the calling thread's dict of o */
static int local_setattr_in(ft_object *o, ft_object *d, ft_object *name, ft_object *v)
{
    py_type *cls = py_type_of(o);
    ft_object *attr = py_type_lookup_borrow(cls, name);
    if (attr && py_type_of(attr)->tp_descr_set) {
        ft_incref(attr);
        int r = py_type_of(attr)->tp_descr_set(attr, o, v);
        ft_decref(attr);
        return r;
    }
    if (v)
        return ft_dict_set(d, name, v) < 0 ? py_err_from_ft_int() : 0;
    int rc = ft_dict_del(d, name);
    if (rc < 0) {
        ft_err_clear();
        return py_err_format_int(py_exc_AttributeError, "'%s' object has no attribute '%s'",
                                 py_type_name(o), ft_str_utf8_borrow(name, NULL));
    }
    return 0;
}

static int local_setattro(ft_object *o, ft_object *name, ft_object *v)
{
    local_obj *l = (local_obj *)o;
    if (!py_str_check_exact(name))
        return py_err_format_int(py_exc_TypeError, "attribute name must be string, not '%s'",
                                 py_type_name(name));
    if (is_dunder_dict(name))
        return py_err_format_int(py_exc_AttributeError,
                                 "'%s' object attribute '__dict__' is read-only",
                                 py_type_name(o));
    ft_object *d = local_dict(l);
    if (!d)
        return -1;
    int r = local_setattr_in(o, d, name, v);
    ft_decref(d);
    return r;
}

py_type py_thread_local_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "_thread._local",
        .tp_basicsize = sizeof(local_obj),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE,
        .tp_dealloc = local_dealloc,
        .tp_traverse = local_traverse,
        .tp_clear = local_clear,
    },
    .tp_getattro = local_getattro,
    .tp_setattro = local_setattro,
    .tp_new = local_tp_new,
};

/* At a thread's end: its dict in every live _local goes. The values are
 * released after local_mu is let go (their __del__ may make locals). */
static void locals_thread_exit(void)
{
    ft_object *key = ft_int_from_i64((int64_t)ft_thread_id());
    ft_object *dead = ft_list_new(0);
    if (!key || !dead) {
        ft_xdecref(key);
        ft_xdecref(dead);
        ft_err_clear();
        return;
    }
    /* first, so that no read (a __del__ run below) finds a dict popped */
    memset(local_cache, 0, sizeof local_cache);
    ft_mutex_lock(&local_mu);
    for (local_obj *l = local_list; l; l = l->next) {
        ft_object *v = NULL;
        if (l->dicts && ft_dict_pop(l->dicts, key, &v) > 0) {
            if (ft_list_append(dead, v) < 0)
                ft_err_clear();
            ft_decref(v);   /* dead holds it (or, failing that, it goes now) */
        }
        ft_err_clear();
    }
    ft_mutex_unlock(&local_mu);
    ft_decref(dead);
    ft_decref(key);
    if (py_err_occurred())
        py_err_write_unraisable("thread-local cleanup", NULL);
}

/* ==== Threads ============================================================= */

enum { T_RUNNING, T_FINISHING, T_DONE };

typedef struct thread_rec {
    struct thread_rec *next;
    ft_thread *handle;           /* NULL until start_new_thread has read the
                                    id: nobody reaps it before            */
    int state;
    ft_object *func, *args, *kwargs;   /* the new thread's               */
} thread_rec;

static pthread_mutex_t threads_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t threads_cv = PTHREAD_COND_INITIALIZER;
static thread_rec *threads;
static int threads_alive;        /* RUNNING + FINISHING                    */

/* The sentinel of the calling thread (threading's join), or NULL. */
static __thread ft_object *thread_sentinel;

static void set_state(thread_rec *r, int state)
{
    pthread_mutex_lock(&threads_mu);
    r->state = state;
    if (state == T_DONE)
        threads_alive--;
    pthread_cond_broadcast(&threads_cv);
    pthread_mutex_unlock(&threads_mu);
}

static void report_thread_error(ft_object *func)
{
    ft_object *exc = py_err_fetch();
    if (!exc || py_isinstance_exact_or_sub(exc, py_exc_SystemExit)) {
        ft_xdecref(exc);
        return;
    }
    ft_object *r = py_repr(func);
    if (!r)
        py_err_clear();
    ft_object *out = py_sys_get_borrow("stdout");
    if (out && out != ft_none()) {
        ft_object *x = py_call_method(out, PY_ID(flush), NULL, 0);
        ft_xdecref(x);
    }
    py_err_clear();
    fflush(stdout);
    fprintf(stderr, "Exception ignored in thread started by: %s\n",
            r ? ft_str_utf8_borrow(r, NULL) : "<function>");
    ft_xdecref(r);
    py_err_print(exc);
    ft_decref(exc);
    py_err_clear();
}

static void thread_main(void *arg)
{
    thread_rec *rec = arg;
    (void)py_tstate_get();
    ft_object *r = py_call_tuple(rec->func, rec->args, rec->kwargs);
    if (r)
        ft_decref(r);
    else
        report_thread_error(rec->func);
    ft_object *f = rec->func, *a = rec->args, *k = rec->kwargs;
    rec->func = rec->args = rec->kwargs = NULL;
    ft_decref(f);
    ft_decref(a);
    ft_xdecref(k);
    if (py_err_occurred())
        py_err_write_unraisable("thread cleanup", NULL);

    set_state(rec, T_FINISHING);
    /* Its _local values go before a joiner wakes up (CPython clears the
     * thread state before it releases the sentinel). */
    locals_thread_exit();
    /* Objects other threads dropped last die before a joiner wakes up. */
    ft_thread_retire();
    ft_object *s = thread_sentinel;
    thread_sentinel = NULL;
    if (s) {
        lock_obj *lk = (lock_obj *)s;
        core_release(&lk->core);
        ft_decref(s);
    }
    _py_types_thread_fini();
    py_tstate_delete_current();
    set_state(rec, T_DONE);
}

/* Joins the ftlab handles of DONE threads (their ends are near: only the
 * runtime's part is left). `all` at exit. Called attached. */
static void reap_done(void)
{
    thread_rec *done = NULL;
    pthread_mutex_lock(&threads_mu);
    for (thread_rec **p = &threads; *p;) {
        thread_rec *r = *p;
        if (r->state == T_DONE && r->handle) {
            *p = r->next;
            r->next = done;
            done = r;
        } else {
            p = &r->next;
        }
    }
    pthread_mutex_unlock(&threads_mu);
    while (done) {
        thread_rec *n = done->next;
        if (ft_thread_join(done->handle) < 0)
            ft_err_clear();
        free(done);
        done = n;
    }
}

int py_thread_exit_wait(void)
{
    FT_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&threads_mu);
    for (;;) {
        bool finishing = false;
        for (thread_rec *r = threads; r; r = r->next)
            if (r->state == T_FINISHING || (r->state == T_DONE && !r->handle))
                finishing = true;
        if (!finishing)
            break;
        pthread_cond_wait(&threads_cv, &threads_mu);
    }
    pthread_mutex_unlock(&threads_mu);
    FT_END_ALLOW_THREADS
    reap_done();
    pthread_mutex_lock(&threads_mu);
    int running = 0;
    for (thread_rec *r = threads; r; r = r->next)
        running++;
    pthread_mutex_unlock(&threads_mu);
    return running;
}

static bool is_callable(ft_object *o)
{
    py_type *t = py_type_of(o);
    return t->tp_vcall || t->ft.tp_call || py_type_lookup_borrow(t, PY_ID(__call__));
}

static ft_object *thread_start_new_thread(ft_object *self, ft_object *const *args,
                                          size_t nargs, ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("start_new_thread", kwnames) < 0 ||
        py_check_nargs("start_new_thread", nargs, 2, 3) < 0)
        return NULL;
    ft_object *func = args[0], *fargs = args[1], *fkw = nargs > 2 ? args[2] : NULL;
    if (!is_callable(func))
        return py_err_format(py_exc_TypeError, "first arg must be callable");
    if (fargs->ob_type != &ft_tuple_type && !py_isinstance_exact_or_sub(fargs, &py_tuple_class))
        return py_err_format(py_exc_TypeError, "2nd arg must be a tuple");
    if (fkw && fkw->ob_type != &ft_dict_type && !py_isinstance_exact_or_sub(fkw, &py_dict_class))
        return py_err_format(py_exc_TypeError, "optional 3rd arg must be a dictionary");
    reap_done();
    thread_rec *rec = calloc(1, sizeof *rec);
    if (!rec)
        return py_err_nomemory();
    rec->func = ft_newref(func);
    rec->args = py_sequence_tuple(fargs);
    rec->kwargs = NULL;
    if (rec->args && fkw) {
        ft_object *d = py_unbox_borrow(fkw, &ft_dict_type);
        rec->kwargs = d ? ft_dict_copy(d) : NULL;
        if (!rec->kwargs && !py_err_occurred())
            py_err_from_ft();
    }
    if (!rec->args || (fkw && !rec->kwargs)) {
        ft_decref(rec->func);
        ft_xdecref(rec->args);
        free(rec);
        return NULL;
    }
    rec->state = T_RUNNING;
    pthread_mutex_lock(&threads_mu);
    rec->next = threads;
    threads = rec;
    threads_alive++;
    pthread_mutex_unlock(&threads_mu);

    py_shared_before_thread_start();
    ft_thread *h = ft_thread_start(thread_main, rec);
    if (!h) {
        ft_err_clear();
        pthread_mutex_lock(&threads_mu);
        for (thread_rec **p = &threads; *p; p = &(*p)->next)
            if (*p == rec) {
                *p = rec->next;
                break;
            }
        threads_alive--;
        pthread_mutex_unlock(&threads_mu);
        ft_decref(rec->func);
        ft_decref(rec->args);
        ft_xdecref(rec->kwargs);
        free(rec);
        return py_err_format(py_exc_RuntimeError, "can't start new thread");
    }
    ft_thread_stats st;
    ft_thread_get_stats(h, &st);
    pthread_mutex_lock(&threads_mu);
    rec->handle = h;
    pthread_cond_broadcast(&threads_cv);
    pthread_mutex_unlock(&threads_mu);
    return py_long_from_u64(st.id);
}

static ft_object *thread_allocate_lock(ft_object *self, ft_object *const *args,
                                       size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("allocate_lock", kwnames) < 0 ||
        py_check_nargs("allocate_lock", nargs, 0, 0) < 0)
        return NULL;
    return lock_new_obj();
}

static ft_object *thread_get_ident(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("get_ident", kwnames) < 0 || py_check_nargs("get_ident", nargs, 0, 0) < 0)
        return NULL;
    return py_long_from_u64(ft_thread_id());
}

static ft_object *thread_get_native_id(ft_object *self, ft_object *const *args,
                                       size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("get_native_id", kwnames) < 0 ||
        py_check_nargs("get_native_id", nargs, 0, 0) < 0)
        return NULL;
    return ft_int_from_i64((int64_t)syscall(SYS_gettid));
}

static ft_object *thread_count(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("_count", kwnames) < 0 || py_check_nargs("_count", nargs, 0, 0) < 0)
        return NULL;
    pthread_mutex_lock(&threads_mu);
    int n = threads_alive;
    pthread_mutex_unlock(&threads_mu);
    return ft_int_from_i64(n);
}

static ft_object *thread_stack_size(ft_object *self, ft_object *const *args, size_t nargs,
                                    ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("stack_size", kwnames) < 0 || py_check_nargs("stack_size", nargs, 0, 1) < 0)
        return NULL;
    if (nargs == 1) {
        int64_t v;
        if (!py_long_check(args[0]))
            return py_err_format(py_exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer",
                                 py_type_name(args[0]));
        if (py_long_as_i64(args[0], &v) < 0)
            return NULL;
        if (v < 0)
            return py_err_format(py_exc_ValueError, "size must be 0 or a positive value");
        if (v != 0 && v < 32768)
            return py_err_format(py_exc_ValueError, "size not valid: %lld bytes", (long long)v);
        if (v != 0)
            return py_err_format(py_exc_RuntimeError, "setting stack size not supported");
    }
    return ft_int_from_i64(0);
}

/* threading's join: a lock the calling thread holds until its end. */
static ft_object *thread_set_sentinel(ft_object *self, ft_object *const *args,
                                      size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("_set_sentinel", kwnames) < 0 ||
        py_check_nargs("_set_sentinel", nargs, 0, 0) < 0)
        return NULL;
    ft_object *l = lock_new_obj();
    if (!l)
        return NULL;
    ft_object *old = thread_sentinel;
    thread_sentinel = ft_newref(l);
    ft_xdecref(old);
    return l;
}

static ft_object *thread_exit(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("exit", kwnames) < 0 || py_check_nargs("exit", nargs, 0, 0) < 0)
        return NULL;
    py_err_set_object((ft_object *)py_exc_SystemExit);
    return NULL;
}

static ft_object *thread_interrupt_main(ft_object *self, ft_object *const *args,
                                        size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("interrupt_main", kwnames) < 0 ||
        py_check_nargs("interrupt_main", nargs, 0, 0) < 0)
        return NULL;
    py_sigint_pending = 1;
    return ft_none();
}

/* threading.excepthook's traceback printer (ftpy has no traceback
 * module): prints exc as an uncaught exception is printed. */
static ft_object *thread_print_exception(ft_object *self, ft_object *const *args,
                                         size_t nargs, ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("_print_exception", kwnames) < 0 ||
        py_check_nargs("_print_exception", nargs, 1, 1) < 0)
        return NULL;
    if (args[0] != ft_none())
        py_err_print(args[0]);
    return ft_none();
}

static const py_method_def thread_methods[] = {
    {"start_new_thread", thread_start_new_thread, 0},
    {"start_new", thread_start_new_thread, 0},
    {"allocate_lock", thread_allocate_lock, 0},
    {"allocate", thread_allocate_lock, 0},
    {"get_ident", thread_get_ident, 0},
    {"get_native_id", thread_get_native_id, 0},
    {"_count", thread_count, 0},
    {"stack_size", thread_stack_size, 0},
    {"_set_sentinel", thread_set_sentinel, 0},
    {"exit", thread_exit, 0},
    {"exit_thread", thread_exit, 0},
    {"interrupt_main", thread_interrupt_main, 0},
    {"_print_exception", thread_print_exception, 0},
    {NULL, NULL, 0},
};

static int thread_exec(ft_object *m)
{
    py_type *classes[] = {&py_thread_lock_class, &py_thread_rlock_class,
                          &py_thread_local_class};
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (py_type_ready(classes[i]) < 0)
            return -1;
    py_shared_kind(&py_thread_local_class);
    ft_object *tmax = ft_float_from_double(TIMEOUT_MAX_SECONDS);
    if (!tmax)
        return py_err_from_ft_int();
    int rc = py_module_add(m, "LockType", py_type_as_obj(&py_thread_lock_class)) < 0 ||
             py_module_add(m, "lock", py_type_as_obj(&py_thread_lock_class)) < 0 ||
             py_module_add(m, "RLock", py_type_as_obj(&py_thread_rlock_class)) < 0 ||
             py_module_add(m, "_local", py_type_as_obj(&py_thread_local_class)) < 0 ||
             py_module_add(m, "error", py_type_as_obj(py_exc_RuntimeError)) < 0 ||
             py_module_add(m, "TIMEOUT_MAX", tmax) < 0 ? -1 : 0;
    ft_decref(tmax);
    return rc;
}

const py_module_def py_thread_module_def = { "_thread", thread_exec, thread_methods };
