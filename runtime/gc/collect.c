/* gc/collect.c — the cycle-detection core both builds share
 * (docs/architecture.md, "The cycle collector"; CPython's Python/gc.c and
 * gc_free_threading.c).
 *
 * Input: an array of candidates (ft_gc_work), gathered by the flavor from
 * its generation lists (gil) or heap walk (nogil). Nothing in here knows
 * where they came from.
 *
 *   1. enter     candidate i remembers i in a borrowed header word, so
 *                that a visit finds its entry in O(1) (_ft_gc_index)
 *   2. refs      gc_refs = reference count
 *   3. subtract  for every reference from one candidate to another,
 *                gc_refs of the target - 1; what stays > 0 is referenced
 *                from outside the candidates: a root
 *   4. mark      everything reachable from a root is reachable
 *   5. leave     the borrowed words are restored
 *   6. the rest is garbage: weak references cleared, finalizers run once
 *      (PEP 442), resurrected objects kept, tp_clear on the others
 *
 * Legacy finalizers (tp_del): garbage with one, and all garbage it
 * reaches, is uncollectable: it goes to the garbage list untouched —
 * except in ft_fini's last collection, where a legacy finalizer runs like
 * any other (nothing could ever free those objects afterwards).
 *
 * The collector holds a strong reference to every garbage object from the
 * end of the analysis on, so finalizers and tp_clear can never free an
 * object the collector is still going to look at.
 */
#include <stdio.h>
#include <stdlib.h>
#include "internal/gc.h"
#include "internal/object.h"
#include "internal/weakref.h"

/* ---- The candidate array --------------------------------------------------- */

void _ft_gc_work_add(ft_gc_work *w, ft_object *o)
{
    if (w->oom)
        return;
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 1024;
        ft_gc_entry *e = realloc(w->e, cap * sizeof *e);
        if (!e) {
            w->oom = true;
            return;
        }
        w->e = e;
        w->cap = cap;
    }
    w->e[w->n++] = (ft_gc_entry){ .op = o };
}

void _ft_gc_work_free(ft_gc_work *w)
{
    free(w->e);
    *w = (ft_gc_work){ 0 };
}

/* ---- Analysis ------------------------------------------------------------ */

static int visit_decref(ft_object *o, void *arg)
{
    ft_gc_work *w = arg;
    ssize_t i = _ft_gc_index(o);
    if (i >= 0)
        w->e[i].refs--;
    return 0;
}

typedef struct mark_stack {
    ft_gc_work *w;
    size_t *slot;
    size_t n;
} mark_stack;

static void mark(mark_stack *s, size_t i)
{
    s->w->e[i].reachable = true;
    s->slot[s->n++] = i;   /* each entry is pushed at most once */
}

static int visit_reach(ft_object *o, void *arg)
{
    mark_stack *s = arg;
    ssize_t i = _ft_gc_index(o);
    if (i >= 0 && !s->w->e[i].reachable)
        mark(s, (size_t)i);
    return 0;
}

static void traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    ft_traverseproc t = o->ob_type->tp_traverse;
    if (t)
        t(o, visit, arg);
}

/* Steps 2-4 with `bias` added to every count (-1 when the collector holds
 * a reference of its own). Returns false when memory ran out: then every
 * entry is marked reachable, which is always safe. */
static bool find_reachable(ft_gc_work *w, intptr_t bias)
{
    for (size_t i = 0; i < w->n; i++)
        w->e[i].refs = _ft_refcount_total(w->e[i].op) + bias;
    for (size_t i = 0; i < w->n; i++)
        traverse(w->e[i].op, visit_decref, w);
    mark_stack s = { w, malloc((w->n ? w->n : 1) * sizeof(size_t)), 0 };
    if (!s.slot) {
        for (size_t i = 0; i < w->n; i++)
            w->e[i].reachable = true;
        return false;
    }
    for (size_t i = 0; i < w->n; i++) {
        ft_assert(w->e[i].refs >= 0);   /* else a tp_traverse over-reports */
        if (w->e[i].refs > 0 && !w->e[i].reachable)
            mark(&s, i);
    }
    while (s.n > 0)
        traverse(w->e[s.slot[--s.n]].op, visit_reach, &s);
    free(s.slot);
    return true;
}

static void enter_all(ft_gc_work *w)
{
    for (size_t i = 0; i < w->n; i++) {
        w->e[i].saved = _ft_gc_enter(w->e[i].op, i);
        w->e[i].reachable = false;
    }
}

static void leave_all(ft_gc_work *w)
{
    for (size_t i = 0; i < w->n; i++)
        _ft_gc_leave(w->e[i].op, w->e[i].saved);
}

static int visit_is_tracked(ft_object *o, void *arg)
{
    (void)arg;
    return _ft_gc_tracked(o);
}

/* A tuple whose items can never be part of a cycle needs no tracking
 * (CPython's _PyTuple_MaybeUntrack). */
static bool is_atomic_tuple(ft_object *o)
{
    return o->ob_type == &ft_tuple_type &&
           ft_tuple_type.tp_traverse(o, visit_is_tracked, NULL) == 0;
}

static void untrack_atomic_tuples(ft_gc_work *w)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->e[i].reachable && is_atomic_tuple(w->e[i].op)) {
            _ft_gc_untrack(w->e[i].op);
            w->untracked++;
        }
}

static int visit_legacy(ft_object *o, void *arg)
{
    mark_stack *s = arg;
    ssize_t i = _ft_gc_index(o);
    if (i >= 0 && !s->w->e[i].reachable && !s->w->e[i].legacy) {
        s->w->e[i].legacy = true;
        s->slot[s->n++] = (size_t)i;
    }
    return 0;
}

/* Garbage with a legacy finalizer, and the garbage it reaches, is
 * uncollectable (CPython's move_legacy_finalizer_reachable). */
static void mark_legacy(ft_gc_work *w)
{
    mark_stack s = { w, malloc((w->n ? w->n : 1) * sizeof(size_t)), 0 };
    if (!s.slot) {
        for (size_t i = 0; i < w->n; i++)
            w->e[i].reachable = true;   /* no memory: collect nothing */
        return;
    }
    for (size_t i = 0; i < w->n; i++)
        if (!w->e[i].reachable && !w->e[i].legacy && w->e[i].op->ob_type->tp_del) {
            w->e[i].legacy = true;
            s.slot[s.n++] = i;
        }
    while (s.n > 0)
        traverse(w->e[s.slot[--s.n]].op, visit_legacy, &s);
    free(s.slot);
}

void _ft_gc_analyse(ft_gc_work *w)
{
    enter_all(w);
    if (find_reachable(w, 0) && !_ft_gc.finalizing)
        mark_legacy(w);
    leave_all(w);
    untrack_atomic_tuples(w);
}

/* ---- Garbage ------------------------------------------------------------- */

static bool set_alloc(ft_gc_garbage_set *g, size_t n)
{
    g->n = 0;
    g->op = n ? malloc(n * sizeof *g->op) : NULL;
    return g->op || n == 0;
}

static void set_add(ft_gc_garbage_set *g, ft_object *o)
{
    ft_incref(o);
    _ft_gc_set_unreachable(o, true);
    g->op[g->n++] = o;
}

bool _ft_gc_take_garbage(ft_gc_work *w, ft_gc_garbage_set *g,
                         ft_gc_garbage_set *legacy)
{
    size_t ng = 0, nl = 0;
    for (size_t i = 0; i < w->n; i++)
        if (!w->e[i].reachable)
            *(w->e[i].legacy ? &nl : &ng) += 1;
    if (!set_alloc(g, ng) || !set_alloc(legacy, nl)) {
        free(g->op);
        *g = *legacy = (ft_gc_garbage_set){ 0 };
        return false;
    }
    for (size_t i = 0; i < w->n; i++)
        if (!w->e[i].reachable)
            set_add(w->e[i].legacy ? legacy : g, w->e[i].op);
    return true;
}

/* Drops the collector's references; objects may die here. */
static void set_release(ft_gc_garbage_set *g)
{
    for (size_t i = 0; i < g->n; i++)
        _ft_gc_set_unreachable(g->op[i], false);
    for (size_t i = 0; i < g->n; i++)
        ft_decref(g->op[i]);
    free(g->op);
    *g = (ft_gc_garbage_set){ 0 };
}

ssize_t _ft_gc_save_uncollectable(ft_gc_garbage_set *legacy)
{
    ssize_t n = (ssize_t)legacy->n;
    for (size_t i = 0; i < legacy->n; i++)
        if (_ft_gc_save_garbage(legacy->op[i]) < 0)
            _ft_err_write_unraisable("saving uncollectable garbage", legacy->op[i]);
    set_release(legacy);
    return n;
}

static bool is_garbage(ft_object *o, void *arg)
{
    (void)arg;
    return _ft_gc_unreachable(o);
}

ft_object *_ft_gc_clear_weakrefs(ft_gc_garbage_set *g)
{
    ft_object *pending = NULL;
    for (size_t i = 0; i < g->n; i++) {
        ft_object *o = g->op[i];
        if (!o->ob_type->tp_weaklistoffset || !_ft_weakref_has_refs(o))
            continue;
        if (!pending && !(pending = ft_list_new(0))) {
            /* No memory for the callbacks' list: leave the weakrefs
             * linked; the referents' tp_dealloc clears them (and runs
             * the callbacks) when tp_clear frees them. */
            _ft_err_write_unraisable("clearing weak references", o);
            return NULL;
        }
        if (_ft_weakref_clear_for_gc(o, is_garbage, NULL, pending) < 0)
            _ft_err_write_unraisable("clearing weak references", o);
    }
    return pending;
}

bool _ft_gc_finalize(ft_gc_garbage_set *g, ft_object *pending)
{
    if (pending) {
        _ft_weakref_run_callbacks(pending);
        ft_decref(pending);
    }
    bool ran = false;
    for (size_t i = 0; i < g->n; i++) {
        ft_object *o = g->op[i];
        ft_destructor fin = o->ob_type->tp_finalize;
        if (!fin && _ft_gc.finalizing)
            fin = o->ob_type->tp_del;
        if (!fin || _ft_gc_finalized(o))
            continue;
        _ft_gc_set_finalized(o);
        fin(o);
        if (ft_err_occurred())
            _ft_err_write_unraisable("a finalizer", o);
        ran = true;
    }
    return ran;
}

void _ft_gc_keep_resurrected(ft_gc_garbage_set *g)
{
    ft_gc_work w = { 0 };
    for (size_t i = 0; i < g->n; i++)
        _ft_gc_work_add(&w, g->op[i]);
    enter_all(&w);
    if (w.oom)
        for (size_t i = 0; i < w.n; i++)
            w.e[i].reachable = true;   /* keep all: always safe */
    else
        find_reachable(&w, -1);   /* our own reference is not a root */
    leave_all(&w);
    size_t kept = 0;
    for (size_t i = 0; i < g->n; i++) {
        ft_object *o = g->op[i];
        bool resurrected = w.oom ? true : w.e[i].reachable;
        if (resurrected) {
            _ft_gc_set_unreachable(o, false);
            ft_decref(o);
        } else {
            g->op[kept++] = o;
        }
    }
    g->n = kept;
    _ft_gc_work_free(&w);
}

size_t _ft_gc_finish(ft_gc_garbage_set *g)
{
    size_t n = g->n;
    bool save_all = (_ft_gc.debug & FT_GC_DEBUG_SAVEALL) != 0;
    for (size_t i = 0; i < g->n; i++) {
        ft_object *o = g->op[i];
        if (save_all) {
            if (_ft_gc_save_garbage(o) < 0)
                _ft_err_write_unraisable("saving garbage", o);
        } else if (o->ob_type->tp_clear) {
            o->ob_type->tp_clear(o);
        }
    }
    set_release(g);
    return n;
}
