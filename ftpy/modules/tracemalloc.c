/* modules/tracemalloc.c — the _tracemalloc module: the C half of
 * tracemalloc (ftpy/Lib/tracemalloc.py has Snapshot, Statistic, Filter...).
 *
 * The runtime does the tracing (ftlab/tracemalloc.h); ftpy feeds it one
 * trace frame per running Python frame (vm/frame.c py_frame_trace_push,
 * eval.c's trace_line keeps the frame's line). This module only switches
 * tracing and turns the runtime's records into CPython's raw forms:
 *
 *   frame      (filename, lineno)
 *   traceback  tuple of frames, most recent first (tracemalloc.Traceback
 *              reverses it, as CPython's does)
 *   trace      (domain, size, traceback, total_nframe); the runtime has
 *              one domain, 0
 *
 * Design notes
 *   - start() while not tracing also pushes a trace frame for every
 *     Python frame the calling thread is running (outermost first): the
 *     runtime's frame stack only grows as frames start, so without this
 *     the code that called start() would be "<unknown>":0. Frames other
 *     threads are running when tracing starts are not pushed (their new
 *     calls are): a difference from CPython, which walks frames lazily.
 *   - start() while tracing does nothing, as CPython 3.11 (the limit of
 *     the first start stays).
 *   - The limit may be 1..65535 as in CPython; the runtime keeps at most
 *     FT_TRACE_MAX_FRAMES frames per trace, so deeper limits are cut
 *     there. get_traceback_limit() reports what was asked for.
 *   - total_nframe: the runtime does not record how deep the stack was
 *     beyond the limit. A trace shorter than the runtime's limit is the
 *     whole stack (total_nframe exact); one that reached it gets None,
 *     CPython's "not available".
 *   - _get_traces() converts a snapshot (taken by the runtime in one
 *     stop-the-world moment) after the world restarted; filename strs
 *     and frame tuples are shared through a small table keyed by the
 *     runtime's (stable) filename pointer and line, as CPython shares
 *     its interned frames, so a big snapshot costs one tuple per trace
 *     and per distinct traceback.
 *   - Issue 17 (nogil): a block the program frees while other threads
 *     might still read it (a list/dict/set array replaced, an object that
 *     was stored in a container) goes back through a grace period
 *     (internal/qsbr.h: liburcu's call_rcu thread frees it later), and
 *     stays traced until then. The runtime has no public call that waits
 *     for those frees (_ft_qsbr_barrier is internal; ft_mem_collect only
 *     returns empty pools), so nothing here can settle them: in nogil,
 *     get_traced_memory() and snapshots may still count such blocks for
 *     a moment after they were freed.
 */
#include <stdlib.h>
#include "../ftpy.h"
#include "../vm/frame.h"
#include "modules.h"

/* CPython's MAX_NFRAME: the largest limit start() accepts. */
#define TM_MAX_NFRAME 65535

/* The limit the last start() asked for (CPython's max_nframe; 0: none
 * yet), read by get_traceback_limit from any thread: relaxed, a lone
 * value. */
static int tm_limit;

static int kept_frames(int nframe)
{
    return nframe < FT_TRACE_MAX_FRAMES ? nframe : FT_TRACE_MAX_FRAMES;
}

/* The limit asked for when the runtime's tracing is ours; the runtime's
 * own when someone else started it (-X tracemalloc, main.c); 1 before
 * any start, as CPython. */
static int get_limit(void)
{
    int mine = __atomic_load_n(&tm_limit, __ATOMIC_RELAXED);
    int kept = ft_tracemalloc_get_traceback_limit();
    if (mine > 0 && kept_frames(mine) == kept)
        return mine;
    return kept > 0 ? kept : 1;
}

/* ---- start / stop ---------------------------------------------------------- */

/* Pushes a trace frame for each running Python frame of this thread not
 * already pushed, outermost first (the runtime's stack order). */
static void push_running_frames(void)
{
    size_t n = 0;
    for (py_frame *f = py_frame_current(); f; f = f->back)
        n++;
    if (n == 0)
        return;
    py_frame **chain = malloc(n * sizeof *chain);   /* system memory: untraced */
    if (!chain)
        return;   /* the tracebacks of the running frames stay shorter */
    size_t i = 0;
    for (py_frame *f = py_frame_current(); f; f = f->back)
        chain[i++] = f;
    while (i > 0) {
        py_frame *f = chain[--i];
        if (!f->traced)
            py_frame_trace_push(f);
    }
    free(chain);
}

static ft_object *tm_start(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("_tracemalloc.start", kwnames) < 0 ||
        py_check_nargs("start", nargs, 0, 1) < 0)
        return NULL;
    ssize_t nframe = 1;
    if (nargs == 1 && py_index_ssize(args[0], &nframe) < 0)
        return NULL;
    if (nframe < 1 || nframe > TM_MAX_NFRAME)
        return py_err_format(py_exc_ValueError,
                             "the number of frames must be in range [1; %d]", TM_MAX_NFRAME);
    if (ft_tracemalloc_is_tracing())
        return ft_none();
    __atomic_store_n(&tm_limit, (int)nframe, __ATOMIC_RELAXED);
    if (ft_tracemalloc_start(kept_frames((int)nframe)) < 0)
        return py_err_from_ft();
    push_running_frames();
    return ft_none();
}

/* A function of no arguments, with CPython's message for extra ones. */
static int no_args(const char *name, size_t nargs, ft_object *kwnames)
{
    if (py_no_kwargs(name, kwnames) < 0)
        return -1;
    if (nargs)
        return py_err_format_int(py_exc_TypeError, "%s() takes no arguments (%zu given)",
                                 name, nargs);
    return 0;
}

static ft_object *tm_stop(ft_object *self, ft_object *const *args, size_t nargs,
                          ft_object *kwnames)
{
    (void)self; (void)args;
    if (no_args("_tracemalloc.stop", nargs, kwnames) < 0)
        return NULL;
    ft_tracemalloc_stop();
    return ft_none();
}

static ft_object *tm_is_tracing(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self; (void)args;
    if (no_args("_tracemalloc.is_tracing", nargs, kwnames) < 0)
        return NULL;
    return ft_bool(ft_tracemalloc_is_tracing());
}

static ft_object *tm_clear_traces(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)self; (void)args;
    if (no_args("_tracemalloc.clear_traces", nargs, kwnames) < 0)
        return NULL;
    ft_tracemalloc_clear_traces();
    return ft_none();
}

/* ---- Counters -------------------------------------------------------------- */

static ft_object *pair_of_sizes(size_t a, size_t b)
{
    ft_object *t = ft_tuple_new(2);
    if (!t)
        return py_err_from_ft();
    if (ft_tuple_set_steal(t, 0, ft_int_from_i64((int64_t)a)) < 0 ||
        ft_tuple_set_steal(t, 1, ft_int_from_i64((int64_t)b)) < 0) {
        ft_decref(t);
        return py_err_from_ft();
    }
    return t;
}

static ft_object *tm_get_traced_memory(ft_object *self, ft_object *const *args,
                                       size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (no_args("_tracemalloc.get_traced_memory", nargs, kwnames) < 0)
        return NULL;
    size_t current = 0, peak = 0;
    if (ft_tracemalloc_is_tracing())
        ft_tracemalloc_get_traced_memory(&current, &peak);
    return pair_of_sizes(current, peak);
}

static ft_object *tm_reset_peak(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self; (void)args;
    if (no_args("_tracemalloc.reset_peak", nargs, kwnames) < 0)
        return NULL;
    if (ft_tracemalloc_is_tracing())
        ft_tracemalloc_reset_peak();
    return ft_none();
}

static ft_object *tm_get_tracemalloc_memory(ft_object *self, ft_object *const *args,
                                            size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (no_args("_tracemalloc.get_tracemalloc_memory", nargs, kwnames) < 0)
        return NULL;
    return ft_int_from_i64((int64_t)ft_tracemalloc_get_tracemalloc_memory());
}

static ft_object *tm_get_traceback_limit(ft_object *self, ft_object *const *args,
                                         size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (no_args("_tracemalloc.get_traceback_limit", nargs, kwnames) < 0)
        return NULL;
    return ft_int_from_i64(get_limit());
}

/* ---- Frames as Python objects ---------------------------------------------------
 * A table from (filename pointer, lineno) to a shared object: the
 * filename's str under lineno -1, the (filename, lineno) tuple under the
 * line. System memory, one per conversion; open addressing. */

typedef struct frame_slot {
    const char *filename;        /* NULL: empty                          */
    int lineno;
    ft_object *obj;              /* strong                               */
} frame_slot;

typedef struct frame_table {
    size_t cap, used;            /* cap: a power of two                  */
    frame_slot *slots;
} frame_table;

static size_t slot_hash(const char *filename, int lineno)
{
    uint64_t h = (uint64_t)(uintptr_t)filename * 0x9E3779B97F4A7C15u;
    h ^= (uint64_t)(uint32_t)lineno * 0xC2B2AE3D27D4EB4Fu;
    return (size_t)(h ^ (h >> 29));
}

static void table_free(frame_table *t)
{
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].filename)
            ft_decref(t->slots[i].obj);
    free(t->slots);
    t->slots = NULL;
    t->cap = t->used = 0;
}

/* The slot for the key (empty when absent), or NULL without memory. */
static frame_slot *table_find(frame_table *t, const char *filename, int lineno)
{
    if ((t->used + 1) * 2 > t->cap) {   /* keep it at most half full */
        size_t cap = t->cap ? t->cap * 2 : 256;
        frame_slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return NULL;
        for (size_t i = 0; i < t->cap; i++) {
            frame_slot *s = &t->slots[i];
            if (!s->filename)
                continue;
            size_t j = slot_hash(s->filename, s->lineno) & (cap - 1);
            while (slots[j].filename)
                j = (j + 1) & (cap - 1);
            slots[j] = *s;
        }
        free(t->slots);
        t->slots = slots;
        t->cap = cap;
    }
    size_t j = slot_hash(filename, lineno) & (t->cap - 1);
    while (t->slots[j].filename &&
           (t->slots[j].filename != filename || t->slots[j].lineno != lineno))
        j = (j + 1) & (t->cap - 1);
    return &t->slots[j];
}

/* The cached object for the key, borrowed, or NULL with the slot to fill. */
static ft_object *table_get(frame_table *t, const char *filename, int lineno,
                            frame_slot **slot)
{
    *slot = table_find(t, filename, lineno);
    if (!*slot) {
        py_err_nomemory();
        return NULL;
    }
    return (*slot)->filename ? (*slot)->obj : NULL;
}

static void table_put(frame_table *t, frame_slot *slot, const char *filename,
                      int lineno, ft_object *obj)
{
    *slot = (frame_slot){ filename, lineno, obj };
    t->used++;
}

/* The filename's str, borrowed from the table. */
static ft_object *filename_str(frame_table *t, const char *filename)
{
    frame_slot *slot;
    ft_object *s = table_get(t, filename, -1, &slot);
    if (s || !slot)
        return s;
    s = ft_str_from_utf8(filename, -1);
    if (!s) {   /* not UTF-8: keep what can be shown */
        ft_err_clear();
        s = ft_str_from_utf8("<unknown>", -1);
        if (!s)
            return py_err_from_ft();
    }
    table_put(t, slot, filename, -1, s);
    return s;
}

/* (filename, lineno), borrowed from the table. */
static ft_object *frame_tuple(frame_table *t, const ft_frame *f)
{
    const char *filename = f->filename ? f->filename : "<unknown>";
    frame_slot *slot;
    ft_object *tup = table_get(t, filename, f->lineno, &slot);
    if (tup || !slot)
        return tup;
    ft_object *name = filename_str(t, filename);
    if (!name)
        return NULL;
    slot = table_find(t, filename, f->lineno);   /* the table may have grown */
    if (!slot)
        return py_err_nomemory();
    tup = ft_tuple_new(2);
    if (!tup)
        return py_err_from_ft();
    ft_incref(name);
    if (ft_tuple_set_steal(tup, 0, name) < 0 ||
        ft_tuple_set_steal(tup, 1, ft_int_from_i64(f->lineno)) < 0) {
        ft_decref(tup);
        return py_err_from_ft();
    }
    table_put(t, slot, filename, f->lineno, tup);
    return tup;
}

/* A tuple of frame tuples, most recent first. */
static ft_object *traceback_tuple(frame_table *t, const ft_traceback *tb)
{
    ft_object *tup = ft_tuple_new(tb->nframes);
    if (!tup)
        return py_err_from_ft();
    for (int i = 0; i < tb->nframes; i++) {
        ft_object *f = frame_tuple(t, &tb->frames[i]);
        if (!f) {
            ft_decref(tup);
            return NULL;
        }
        ft_incref(f);
        if (ft_tuple_set_steal(tup, i, f) < 0) {
            ft_decref(tup);
            return py_err_from_ft();
        }
    }
    return tup;
}

/* ---- Traces ---------------------------------------------------------------------- */

/* total_nframe: exact when the traceback is shorter than the runtime's
 * limit, unknown (None) when it reached it (see the notes at the top). */
static ft_object *total_nframe(const ft_traceback *tb, int kept_limit)
{
    if (tb->nframes < kept_limit)
        return ft_int_from_i64(tb->nframes);
    return ft_none();
}

/* (0, size, traceback, total_nframe); tb_cache shares equal tracebacks. */
static ft_object *trace_tuple(frame_table *t, ft_object *tb_cache, const ft_trace *tr,
                              int kept_limit)
{
    ft_object *tb = traceback_tuple(t, &tr->traceback);
    if (!tb)
        return NULL;
    ft_object *shared = NULL;
    int found = ft_dict_lookup(tb_cache, tb, &shared);
    if (found < 0 || (found == 0 && ft_dict_set(tb_cache, tb, tb) < 0)) {
        ft_decref(tb);
        return py_err_from_ft();
    }
    if (found) {
        ft_decref(tb);
        tb = shared;
    }
    ft_object *out = ft_tuple_new(4);
    if (!out) {
        ft_decref(tb);
        return py_err_from_ft();
    }
    if (ft_tuple_set_steal(out, 0, ft_int_from_i64(0)) < 0 ||
        ft_tuple_set_steal(out, 1, ft_int_from_i64((int64_t)tr->size)) < 0 ||
        ft_tuple_set_steal(out, 2, tb) < 0 ||
        ft_tuple_set_steal(out, 3, total_nframe(&tr->traceback, kept_limit)) < 0) {
        ft_decref(out);
        return py_err_from_ft();
    }
    return out;
}

static ft_object *snapshot_to_list(const ft_snapshot *snap)
{
    int kept_limit = ft_snapshot_traceback_limit(snap);
    frame_table table = { 0, 0, NULL };
    ft_object *cache = ft_dict_new();
    ft_object *list = cache ? ft_list_new(0) : NULL;
    if (!list) {
        ft_xdecref(cache);
        return py_err_from_ft();
    }
    size_t n = ft_snapshot_count(snap);
    for (size_t i = 0; i < n; i++) {
        ft_object *tr = trace_tuple(&table, cache, ft_snapshot_trace(snap, i), kept_limit);
        if (!tr || ft_list_append(list, tr) < 0) {
            if (tr)
                py_err_from_ft();
            ft_xdecref(tr);
            ft_decref(list);
            list = NULL;
            break;
        }
        ft_decref(tr);
    }
    ft_decref(cache);
    table_free(&table);
    return list;
}

/* _get_traces(): a list of (domain, size, traceback, total_nframe), [] when
 * not tracing. */
static ft_object *tm_get_traces(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self; (void)args;
    if (no_args("_tracemalloc._get_traces", nargs, kwnames) < 0)
        return NULL;
    if (!ft_tracemalloc_is_tracing())
        return ft_list_new(0);
    ft_snapshot *snap = ft_tracemalloc_take_snapshot();
    if (!snap) {
        if (!ft_tracemalloc_is_tracing()) {   /* stopped meanwhile */
            ft_err_clear();
            return ft_list_new(0);
        }
        return py_err_from_ft();
    }
    ft_object *list = snapshot_to_list(snap);
    ft_snapshot_free(snap);
    return list;
}

/* _get_object_traceback(obj): the frames tuple (most recent first) of the
 * block holding obj, or None. */
static ft_object *tm_get_object_traceback(ft_object *self, ft_object *const *args,
                                          size_t nargs, ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("_get_object_traceback", kwnames) < 0 ||
        py_check_nargs("_get_object_traceback", nargs, 1, 1) < 0)
        return NULL;
    ft_frame frames[FT_TRACE_MAX_FRAMES];
    int n = ft_tracemalloc_get_object_traceback(args[0], frames, FT_TRACE_MAX_FRAMES);
    if (n <= 0)
        return ft_none();
    frame_table table = { 0, 0, NULL };
    ft_traceback tb = { n, frames };
    ft_object *tup = traceback_tuple(&table, &tb);
    table_free(&table);
    return tup;
}

static const py_method_def tracemalloc_methods[] = {
    { "start", tm_start, 0 },
    { "stop", tm_stop, 0 },
    { "is_tracing", tm_is_tracing, 0 },
    { "clear_traces", tm_clear_traces, 0 },
    { "get_traced_memory", tm_get_traced_memory, 0 },
    { "reset_peak", tm_reset_peak, 0 },
    { "get_tracemalloc_memory", tm_get_tracemalloc_memory, 0 },
    { "get_traceback_limit", tm_get_traceback_limit, 0 },
    { "_get_traces", tm_get_traces, 0 },
    { "_get_object_traceback", tm_get_object_traceback, 0 },
    { NULL, NULL, 0 },
};

const py_module_def py_tracemalloc_module_def = { "_tracemalloc", NULL, tracemalloc_methods };
