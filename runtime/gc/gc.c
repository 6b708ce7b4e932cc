/* gc/gc.c — the gc module: ft_gc_* (ftlab/gc.h), thresholds, scheduling
 * through the checkpoint, statistics and pause histograms, callbacks and
 * the garbage list. The collection itself is the flavor's
 * _ft_gc_collect_impl over the core in collect.c.
 *
 * Which lock guards what
 *   _ft_gc.xcollecting   one collection at a time in the process (CAS);
 *                        the collecting thread alone writes stats, the
 *                        garbage list and the histograms while it holds it
 *   threshold, enabled,  plain fields set by the program: in nogil they
 *   debug, callbacks     are read racily by allocating threads, which only
 *                        decide whether to ask for a collection; call the
 *                        setters from one thread, as in Python
 */
#include <stdio.h>
#include <stdlib.h>
#include "internal/gc.h"
#include "internal/object.h"
#include "internal/tstate.h"

ft_gc_state _ft_gc;

enum { MAX_CALLBACKS = 16 };

typedef struct gc_module {
    ft_gc_gen_stats gen[FT_GC_GENERATIONS];
    ft_gc_pause_stats pauses;
    struct { ft_gc_callback fn; void *ctx; } callbacks[MAX_CALLBACKS];
    int ncallbacks;
} gc_module;

static gc_module gc;

/* ---- Start-up and shut-down ------------------------------------------------ */

void _ft_gc_init(const int threshold[3])
{
    _ft_gc.enabled = true;
    _ft_gc.finalizing = false;
    for (int g = 0; g < FT_GC_GENERATIONS; g++)
        _ft_gc.threshold[g] = threshold[g];
    _ft_gc.debug = 0;
    _ft_gc.garbage = NULL;
    ft_atomic_store_relaxed(&_ft_gc.xcollecting, false);
    gc = (gc_module){ 0 };
    _ft_gc_flavor_init();
}

void _ft_gc_fini(void)
{
    /* As Py_Finalize: a last collection, so that cycles the program left
     * behind are freed rather than reported as leaks. The garbage list is
     * the program's; what it still holds is released with it. */
    _ft_gc.debug &= ~FT_GC_DEBUG_SAVEALL;
    _ft_gc.finalizing = true;
    ft_object *garbage = _ft_gc.garbage;
    _ft_gc.garbage = NULL;
    ft_xdecref(garbage);
    ft_gc_collect(-1);
    gc.ncallbacks = 0;
    _ft_gc.finalizing = false;
}

/* ---- Histograms ----------------------------------------------------------- */

/* Bucket b covers [lower(b), lower(b + 1)): 4 per power of two. */
static int bucket_of(uint64_t ns)
{
    if (ns < 4)
        return (int)ns;
    int p = 63 - __builtin_clzll(ns);          /* 2^p <= ns < 2^(p+1) */
    int sub = (int)((ns >> (p - 2)) & 3);      /* next two bits       */
    int b = 4 * (p - 1) + sub;
    return b < FT_GC_HIST_BUCKETS ? b : FT_GC_HIST_BUCKETS - 1;
}

static uint64_t bucket_upper(int b)
{
    if (b < 3)
        return (uint64_t)b + 1;
    int p = b / 4 + 1, sub = b % 4;
    return ((uint64_t)(4 + sub + 1)) << (p - 2);
}

static void record(ft_gc_histogram *h, uint64_t ns)
{
    h->count++;
    h->total_ns += ns;
    if (ns > h->max_ns)
        h->max_ns = ns;
    h->bucket[bucket_of(ns)]++;
}

uint64_t ft_gc_histogram_quantile(const ft_gc_histogram *h, double q)
{
    if (!h || h->count == 0)
        return 0;
    q = q < 0 ? 0 : q > 1 ? 1 : q;
    double want = q * (double)h->count;   /* the rank, rounded up, >= 1 */
    uint64_t rank = (uint64_t)want, seen = 0;
    if ((double)rank < want || rank == 0)
        rank++;
    for (int b = 0; b < FT_GC_HIST_BUCKETS; b++) {
        seen += h->bucket[b];
        if (seen >= rank) {
            uint64_t up = bucket_upper(b);
            return up < h->max_ns ? up : h->max_ns;
        }
    }
    return h->max_ns;
}

void ft_gc_get_pause_stats(ft_gc_pause_stats *out) { *out = gc.pauses; }
void ft_gc_reset_pause_stats(void) { gc.pauses = (ft_gc_pause_stats){ 0 }; }

void ft_gc_get_stats(ft_gc_gen_stats out[FT_GC_GENERATIONS])
{
    for (int g = 0; g < FT_GC_GENERATIONS; g++)
        out[g] = gc.gen[g];
}

/* ---- Callbacks ----------------------------------------------------------- */

int ft_gc_callback_add(ft_gc_callback fn, void *ctx)
{
    if (!fn)
        return ft_err_set(FT_ERR_TYPE, "ft_gc_callback_add: NULL callback");
    if (gc.ncallbacks == MAX_CALLBACKS)
        return ft_err_set(FT_ERR_MEMORY, "ft_gc_callback_add: %d callbacks "
                          "already registered", MAX_CALLBACKS);
    gc.callbacks[gc.ncallbacks].fn = fn;
    gc.callbacks[gc.ncallbacks].ctx = ctx;
    gc.ncallbacks++;
    return 0;
}

int ft_gc_callback_remove(ft_gc_callback fn, void *ctx)
{
    for (int i = 0; i < gc.ncallbacks; i++)
        if (gc.callbacks[i].fn == fn && gc.callbacks[i].ctx == ctx) {
            for (int j = i + 1; j < gc.ncallbacks; j++)
                gc.callbacks[j - 1] = gc.callbacks[j];
            gc.ncallbacks--;
            return 0;
        }
    return ft_err_set(FT_ERR_VALUE, "ft_gc_callback_remove: not registered");
}

static void run_callbacks(ft_gc_phase phase, const ft_gc_info *info)
{
    for (int i = 0; i < gc.ncallbacks; i++)
        gc.callbacks[i].fn(phase, info, gc.callbacks[i].ctx);
}

/* ---- Collections ----------------------------------------------------------- */

static void report(const ft_gc_result *r, uint64_t pause_ns)
{
    ft_gc_gen_stats *s = &gc.gen[r->generation];
    s->collections++;
    s->collected += (uint64_t)r->collected;
    s->uncollectable += (uint64_t)r->uncollectable;
    record(&gc.pauses.pause, pause_ns);
    if (_ft_gc_has_stw_pause())
        record(&gc.pauses.stw, r->stw_ns);
    if (_ft_gc.debug & FT_GC_DEBUG_STATS)
        fprintf(stderr, "ftlab gc (%s): generation %d: %zd unreachable, "
                "%zd uncollectable, %.3f ms pause\n", FT_FLAVOR, r->generation,
                r->unreachable, r->uncollectable, (double)pause_ns / 1e6);
}

/* One collection of `gen`, holding xcollecting (the caller took it). The
 * caller's pending error survives the collection; -1 with the error set
 * when the collection could not run (the callbacks still see START and
 * STOP, in pairs). */
static ssize_t collect_locked(int gen)
{
    ft_gc_info info = { .generation = gen };
    run_callbacks(FT_GC_START, &info);
    ft_err_saved saved, failure;
    _ft_err_fetch(&saved);
    uint64_t t0 = _ft_monotonic_ns();
    ft_gc_result r;
    int rc = _ft_gc_collect_impl(gen, &r);
    uint64_t pause = _ft_monotonic_ns() - t0;
    if (rc < 0)
        _ft_err_fetch(&failure);
    else
        report(&r, pause);
    _ft_err_restore(&saved);
    info.collected = r.collected;
    info.uncollectable = r.uncollectable;
    info.pause_ns = pause;
    run_callbacks(FT_GC_STOP, &info);
    if (rc < 0) {
        _ft_err_restore(&failure);
        return -1;
    }
    return r.unreachable;
}

/* A collection or a walk of the tracked objects needs a caller that may
 * stop the world (nogil) or holds the GIL (gil): attached, and not inside
 * a stop of its own. Checked here, before the flavors part ways, so that
 * both refuse the same calls with the same error. */
static int check_caller(const char *fn)
{
    ft_tstate *me = _ft_tstate_get();
    if (!_ft_is_attached(me))
        return ft_err_set(FT_ERR_RUNTIME, "%s: the calling thread is not attached", fn);
    if (ft_atomic_load_relaxed(&_ft_runtime.stw.xrequester) == me)
        return ft_err_set(FT_ERR_RUNTIME, "%s: the calling thread has stopped the world",
                          fn);
    return 0;
}

static bool try_begin(void)
{
    bool idle = false;
    /* acquire/release: the next collector sees the stats, garbage list
     * and generation lists this one left. */
    return ft_atomic_cas_acq_rel(&_ft_gc.xcollecting, &idle, true);
}

static void end(void) { ft_atomic_store_release(&_ft_gc.xcollecting, false); }

ssize_t ft_gc_collect(int generation)
{
    if (generation < -1 || generation >= FT_GC_GENERATIONS)
        return ft_err_set(FT_ERR_VALUE, "ft_gc_collect: invalid generation %d",
                          generation);
    if (check_caller("ft_gc_collect") < 0)
        return -1;
    if (!try_begin())
        return 0;   /* one is running (maybe our caller is a finalizer) */
    ssize_t n = collect_locked(generation < 0 ? FT_GC_GENERATIONS - 1 : generation);
    end();
    return n;
}

void _ft_gc_schedule(void)
{
    ft_tstate *ts = _ft_tstate_get();
    if (ts && _ft_gc.enabled)
        _ft_request(ts, FT_REQ_GC);
}

void _ft_gc_run_scheduled(void)
{

    if (!_ft_gc.enabled || !try_begin())
        return;
    int gen = _ft_gc_due_generation();
    if (gen >= 0 && collect_locked(gen) < 0)
        _ft_err_write_unraisable("automatic garbage collection", NULL);
    end();
}

/* ---- Switches and queries ----------------------------------------------- */

void ft_gc_enable(void) { _ft_gc.enabled = true; }
void ft_gc_disable(void) { _ft_gc.enabled = false; }
bool ft_gc_isenabled(void) { return _ft_gc.enabled; }
void ft_gc_set_debug(int flags) { _ft_gc.debug = flags; }
int ft_gc_get_debug(void) { return _ft_gc.debug; }
void ft_gc_get_count(int out[3]) { _ft_gc_counts(out); }

void ft_gc_set_threshold(int t0, int t1, int t2)
{
    _ft_gc.threshold[0] = t0 < 0 ? 0 : t0;
    _ft_gc.threshold[1] = t1 < 0 ? 0 : t1;
    _ft_gc.threshold[2] = t2 < 0 ? 0 : t2;
    _ft_gc_threshold_changed();
}

void ft_gc_get_threshold(int out[3])
{
    for (int g = 0; g < FT_GC_GENERATIONS; g++)
        out[g] = _ft_gc.threshold[g];
}

bool ft_gc_is_tracked(ft_object *o) { return o && _ft_gc_tracked(o); }

bool ft_gc_is_finalized(ft_object *o)
{
    return o && _ft_gc_is_gc_type(o) && !_ft_is_immortal_inline(o) &&
           _ft_gc_finalized(o);
}

int ft_gc_freeze(void)
{
    return check_caller("ft_gc_freeze") < 0 ? -1 : _ft_gc_freeze_impl(true);
}

int ft_gc_unfreeze(void)
{
    return check_caller("ft_gc_unfreeze") < 0 ? -1 : _ft_gc_freeze_impl(false);
}
ssize_t ft_gc_get_freeze_count(void)
{
    return check_caller("ft_gc_get_freeze_count") < 0 ? -1 : _ft_gc_frozen_count();
}

/* ---- The garbage list ---------------------------------------------------- */

static ft_object *garbage_list(void)
{
    if (!_ft_gc.garbage)
        _ft_gc.garbage = ft_list_new(0);
    return _ft_gc.garbage;
}

ft_object *ft_gc_garbage(void)
{
    ft_object *l = garbage_list();
    return l ? ft_newref(l) : NULL;
}

int _ft_gc_save_garbage(ft_object *o)
{
    ft_object *l = garbage_list();
    return l ? ft_list_append(l, o) : -1;
}

/* ---- Object lists ---------------------------------------------------------- */

typedef struct collect_ctx {
    ft_object *list;
    ft_object *target;   /* get_referrers: the object referred to */
    int status;          /* -1 once an append failed              */
} collect_ctx;

static void append_to(collect_ctx *c, ft_object *o)
{
    if (c->status == 0 && ft_list_append(c->list, o) < 0)
        c->status = -1;
}

static void add_object(ft_object *o, void *arg)
{
    collect_ctx *c = arg;
    if (o != c->list)
        append_to(c, o);
}

static int check_generation(int generation)
{
    if (generation < -1 || generation >= FT_GC_GENERATIONS)
        return ft_err_set(FT_ERR_VALUE, "invalid generation %d", generation);
    return 0;
}

/* Runs fn over the tracked objects into a new list; NULL on error. */
static ft_object *collect_objects(const char *api, int gen,
                                  void (*fn)(ft_object *, void *), ft_object *target)
{
    if (check_caller(api) < 0)
        return NULL;
    collect_ctx c = { ft_list_new(0), target, 0 };
    if (!c.list)
        return NULL;
    if (_ft_gc_for_each(gen, fn, &c) < 0 || c.status < 0) {
        ft_decref(c.list);
        return NULL;
    }
    return c.list;
}

ft_object *ft_gc_get_objects(int generation)
{
    if (check_generation(generation) < 0)
        return NULL;
    return collect_objects("ft_gc_get_objects", generation, add_object, NULL);
}

static int visit_is_target(ft_object *o, void *arg)
{
    return o == ((collect_ctx *)arg)->target;
}

static void add_if_referrer(ft_object *o, void *arg)
{
    collect_ctx *c = arg;
    ft_traverseproc t = o->ob_type->tp_traverse;
    if (o != c->list && t && t(o, visit_is_target, c))
        append_to(c, o);
}

ft_object *ft_gc_get_referrers(ft_object *o)
{
    if (!o) {
        ft_err_set(FT_ERR_TYPE, "ft_gc_get_referrers: NULL object");
        return NULL;
    }
    return collect_objects("ft_gc_get_referrers", -1, add_if_referrer, o);
}

static int visit_append(ft_object *o, void *arg)
{
    append_to(arg, o);
    return 0;
}

ft_object *ft_gc_get_referents(ft_object *o)
{
    if (!o) {
        ft_err_set(FT_ERR_TYPE, "ft_gc_get_referents: NULL object");
        return NULL;
    }
    /* tp_traverse reads o's items without o's lock, and another thread
     * could replace and free one between that read and our incref: the
     * walk runs with the world stopped, as CPython's free-threaded
     * gc.get_referents does. A caller that stopped it already keeps its
     * stop; a detached caller is refused, as by ft_gc_collect. */
    bool stop = !_ft_world_stopped_by_me();
    if (stop && check_caller("ft_gc_get_referents") < 0)
        return NULL;
    collect_ctx c = { ft_list_new(0), NULL, 0 };
    if (!c.list)
        return NULL;
    if (stop && ft_stop_the_world() < 0) {
        ft_decref(c.list);
        return NULL;
    }
    ft_traverseproc t = o->ob_type->tp_traverse;
    if (t && _ft_gc_is_gc_type(o))
        t(o, visit_append, &c);
    if (stop)
        ft_start_the_world();
    if (c.status < 0) {
        ft_decref(c.list);
        return NULL;
    }
    return c.list;
}
