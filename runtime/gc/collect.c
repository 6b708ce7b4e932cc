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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "internal/gc.h"
#include "internal/object.h"
#include "internal/weakref.h"

/* ---- The candidate array --------------------------------------------------- */

/* The capacity is always 1024 times a power of two, even when the caller
 * knows its count, for the sake of glibc's dynamic mmap threshold (a block
 * over it comes from a fresh mapping; freeing one raises the threshold to
 * its size). nogil's young gathers reserved their exact count, 572 KiB of
 * entries in deltablue --quick, which left the threshold between two
 * steps of the final full collection's doubling: its 512 KiB step came
 * from the heap, was written, and stayed resident when the 1 MiB step
 * moved to a fresh mapping, so nogil's peak RSS was 0.5 MB higher. With
 * gil's sizes (doubling from 1024) the steps land alike. A capacity over
 * the count costs no resident memory: only written entries touch pages. */
bool _ft_gc_work_reserve(ft_gc_work *w, size_t more)
{
    if (w->oom)
        return false;
    if (more <= w->cap - w->n)
        return true;
    if (more > SIZE_MAX / (2 * sizeof *w->e) - w->n) {   /* doubling would wrap */
        w->oom = true;
        return false;
    }
    size_t cap = w->cap ? 2 * w->cap : 1024;
    while (cap < w->n + more)
        cap *= 2;
    ft_gc_entry *e = realloc(w->e, cap * sizeof *e);
    if (!e) {
        w->oom = true;
        return false;
    }
    w->e = e;
    w->cap = cap;
    return true;
}

void _ft_gc_work_free(ft_gc_work *w)
{
    free(w->e);
    *w = (ft_gc_work){ 0 };
}

/* ---- Analysis ------------------------------------------------------------ */

/* The candidates [lo, lo + span) being analysed: references from outside
 * the range count as external (internal/gc.h, "Partitions"). */
typedef struct range {
    ft_gc_entry *e;
    size_t lo, span;
} range;

/* o's entry when o is a candidate of the range, else NULL. A non-candidate's
 * index is -1, which the unsigned difference turns into a huge one. */
static inline ft_gc_entry *in_range(const range *r, ft_object *o)
{
    size_t i = (size_t)_ft_gc_index(o);
    return i - r->lo < r->span ? &r->e[i] : NULL;
}

static int visit_decref(ft_object *o, void *arg)
{
    ft_gc_entry *e = in_range(arg, o);
    if (e)
        e->refs--;
    return 0;
}

typedef struct mark_stack {
    range r;
    size_t *slot;
    size_t n;
} mark_stack;

static void mark(mark_stack *s, ft_gc_entry *e)
{
    e->reachable = true;
    s->slot[s->n++] = (size_t)(e - s->r.e);   /* each entry at most once */
}

static int visit_reach(ft_object *o, void *arg)
{
    mark_stack *s = arg;
    ft_gc_entry *e = in_range(&s->r, o);
    if (e && !e->reachable)
        mark(s, e);
    return 0;
}

static void traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    ft_traverseproc t = o->ob_type->tp_traverse;
    if (t)
        t(o, visit, arg);
}

/* traverse, with a tuple's items walked here: `visit` is a constant at
 * every call site, so it is inlined into the loop. Tuples are most of what
 * a young collection sees (and every object of a tree of them), and the
 * indirect tp_traverse plus one indirect visit per item was a quarter of
 * all of ftbench bintrees' instructions. The subtract pass uses it; the
 * mark loop and the atomic-tuple decision walk tuples themselves. The same visits, in the same order, as tuple_traverse
 * (whose early stop on a non-zero result never happens: these visitors
 * return 0). */
static inline __attribute__((always_inline)) void
traverse_fast(ft_object *o, ft_visitproc visit, void *arg)
{
    if (o->ob_type == &ft_tuple_type) {
        ft_tuple_object *t = (ft_tuple_object *)o;
        for (ssize_t i = 0; i < t->size; i++)
            if (t->items[i])
                visit(t->items[i], arg);
        return;
    }
    traverse(o, visit, arg);
}

/* Step 2: gc_refs = the reference count + bias. */
static void count_refs(ft_gc_work *w, size_t lo, size_t hi, intptr_t bias)
{
    for (size_t i = lo; i < hi; i++)
        w->e[i].refs = _ft_refcount_total(w->e[i].op) + bias;
}

/* Step 4's loop: pops entries off s and marks what they refer to. A
 * tuple's items are walked here with the stack in locals — visit_reach
 * writes it through a pointer, and since the slots and the count are both
 * size_t the compiler must store the count at every push. */
static void mark_loop(mark_stack *s)
{
    const range r = s->r;
    size_t *slot = s->slot, n = s->n;
    while (n > 0) {
        ft_object *o = r.e[slot[--n]].op;
        if (o->ob_type != &ft_tuple_type) {
            s->n = n;
            traverse(o, visit_reach, s);
            n = s->n;
            continue;
        }
        ft_tuple_object *t = (ft_tuple_object *)o;
        for (ssize_t k = 0; k < t->size; k++) {
            ft_gc_entry *e = t->items[k] ? in_range(&r, t->items[k]) : NULL;
            if (e && !e->reachable) {
                e->reachable = true;
                slot[n++] = (size_t)(e - r.e);   /* each entry at most once */
            }
        }
    }
    s->n = 0;
}

/* Steps 3-4, once every entry of [lo, hi) has its count. */
static bool subtract_and_mark(ft_gc_work *w, size_t lo, size_t hi)
{
    range r = { w->e, lo, hi - lo };
    for (size_t i = lo; i < hi; i++)
        traverse_fast(w->e[i].op, visit_decref, &r);
    mark_stack s = { r, malloc((hi > lo ? hi - lo : 1) * sizeof(size_t)), 0 };
    if (!s.slot) {
        for (size_t i = lo; i < hi; i++)
            w->e[i].reachable = true;
        return false;
    }
    for (size_t i = lo; i < hi; i++) {
        ft_assert(w->e[i].refs >= 0);   /* else a tp_traverse over-reports */
        if (w->e[i].refs > 0 && !w->e[i].reachable)
            mark(&s, &w->e[i]);
    }
    mark_loop(&s);
    free(s.slot);
    return true;
}

/* Steps 2-4 over the candidates [lo, hi) with `bias` added to every count
 * (-1 when the collector holds a reference of its own). Returns false
 * when memory ran out: then every entry of the range is marked reachable,
 * which is always safe. Reads the entries and headers of candidates
 * outside the range, writes only the range's entries. */
static bool find_reachable(ft_gc_work *w, size_t lo, size_t hi, intptr_t bias)
{
    count_refs(w, lo, hi, bias);
    return subtract_and_mark(w, lo, hi);
}

static void enter_range(ft_gc_work *w, size_t lo, size_t hi, bool collect)
{
    for (size_t i = lo; i < hi; i++) {
        w->e[i].saved = _ft_gc_enter(w->e[i].op, i, collect);
        w->e[i].reachable = w->e[i].untrack = false;
    }
}

void _ft_gc_enter_range(ft_gc_work *w, size_t lo, size_t hi)
{
    enter_range(w, lo, hi, true);
}

size_t _ft_gc_leave_range(ft_gc_work *w, size_t lo, size_t hi, bool young)
{
    for (size_t i = lo; i < hi; i++) {
        const ft_gc_entry *e = &w->e[i];
        _ft_gc_leave(e->op, e->saved, young && e->reachable && !e->untrack);
    }
    /* Only once every word of the range is back: gil's untrack relinks
     * the neighbours in a generation list, and a neighbour may be a
     * candidate of this range (in nogil the borrowed word is not a link,
     * and a range untracks only its own objects). The tuples untracked
     * here got no young bit above: nogil's untrack of a young object
     * would log it gone. */
    size_t untracked = 0;
    for (size_t i = lo; i < hi; i++)
        if (w->e[i].untrack) {
            _ft_gc_untrack(w->e[i].op);
            untracked++;
        }
    return untracked;
}

/* Atomic tuples. A tuple whose items can never be part of a cycle needs
 * no tracking (CPython's _PyTuple_MaybeUntrack): every item untracked —
 * once the tuple is filled: a slot still empty (NULL, which tp_traverse
 * skips) may yet receive a tracked object, and nothing would track the
 * tuple again. Decided in candidate order, as if untracking as it goes,
 * so that a tuple whose tuples were untracked before it goes too (a tree
 * of tuples goes in one pass when its nodes were made children first):
 * an item that is a candidate counts as untracked when it is an earlier
 * one of the range already decided so; one of another range counts as
 * tracked (conservative). Only candidates' headers change while ranges
 * are marked, so reading a non-candidate's is race-free. The items are
 * read in place (ft_tuple_object, internal/object.h), not through tp_traverse: the first
 * tracked or empty slot decides. */

/* Does item o keep the tuple at index self tracked? */
static bool item_tracked(const range *r, size_t self, ft_object *o)
{
    if (!_ft_gc_tracked(o))
        return false;   /* most items: atoms, or tuples untracked before */
    ft_gc_entry *e = in_range(r, o);
    return !(e && (size_t)(e - r->e) < self && e->untrack);
}

/* An empty slot (NULL) keeps it tracked: see above. */
static bool is_atomic_tuple(const range *r, size_t i)
{
    ft_object *o = r->e[i].op;
    if (o->ob_type != &ft_tuple_type)
        return false;
    ft_tuple_object *t = (ft_tuple_object *)o;
    for (ssize_t k = 0; k < t->size; k++)
        if (!t->items[k] || item_tracked(r, i, t->items[k]))
            return false;
    return true;
}

bool _ft_gc_mark_range(ft_gc_work *w, size_t lo, size_t hi)
{
    find_reachable(w, lo, hi, 0);
    range r = { w->e, lo, hi - lo };
    bool legacy = false;
    for (size_t i = lo; i < hi; i++) {
        ft_gc_entry *e = &w->e[i];
        e->untrack = e->reachable && is_atomic_tuple(&r, i);
        legacy |= !e->reachable && e->op->ob_type->tp_del;
    }
    return legacy;
}

/* The serial analysis decides the same after leaving, when an item's own
 * tracked bit says all (candidate order: earlier tuples already
 * untracked), for fewer instructions per item. */
static bool is_atomic_tuple_serial(ft_object *o)
{
    ft_tuple_object *t = (ft_tuple_object *)o;
    for (ssize_t i = 0; i < t->size; i++)
        if (!t->items[i] || _ft_gc_tracked(t->items[i]))
            return false;
    return true;
}

static void untrack_atomic_serial(ft_gc_work *w)
{
    for (size_t i = 0; i < w->n; i++) {
        ft_object *o = w->e[i].op;
        if (w->e[i].reachable && o->ob_type == &ft_tuple_type &&
            is_atomic_tuple_serial(o)) {
            _ft_gc_untrack(o);
            w->untracked++;
        }
    }
}

static int visit_legacy(ft_object *o, void *arg)
{
    mark_stack *s = arg;
    ft_gc_entry *e = in_range(&s->r, o);
    if (e && !e->reachable && !e->legacy) {
        e->legacy = true;
        s->slot[s->n++] = (size_t)(e - s->r.e);
    }
    return 0;
}

/* Garbage with a legacy finalizer, and the garbage it reaches, is
 * uncollectable (CPython's move_legacy_finalizer_reachable); not in
 * ft_fini's last collection. */
void _ft_gc_mark_legacy(ft_gc_work *w)
{
    if (_ft_gc.finalizing)
        return;
    size_t first = 0;
    while (first < w->n && (w->e[first].reachable || !w->e[first].op->ob_type->tp_del))
        first++;
    if (first == w->n)
        return;   /* the usual case: no garbage has a legacy finalizer */
    mark_stack s = { { w->e, 0, w->n }, malloc((w->n ? w->n : 1) * sizeof(size_t)), 0 };
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
    /* enter_range and count_refs in one pass over the entries: each
     * reads and writes only entry i and its object. */
    for (size_t i = 0; i < w->n; i++) {
        ft_gc_entry *e = &w->e[i];
        e->saved = _ft_gc_enter(e->op, i, true);
        e->reachable = e->untrack = false;
        e->refs = _ft_refcount_total(e->op);
    }
    subtract_and_mark(w, 0, w->n);   /* mark_range, minus the untrack flags */
    _ft_gc_mark_legacy(w);
    for (size_t i = 0; i < w->n; i++)   /* leave_range: no flags to untrack */
        _ft_gc_leave(w->e[i].op, w->e[i].saved, false);
    untrack_atomic_serial(w);
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
    /* Most young collections find no garbage: then a second pass over
     * every entry would only read `reachable` again (nogil, 2 threads:
     * entries a helper wrote, each line fetched from its cache again). */
    for (size_t i = 0; ng + nl > 0 && i < w->n; i++)
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
    enter_range(&w, 0, w.n, false);   /* not a collection: young bits stay */
    if (w.oom)
        for (size_t i = 0; i < w.n; i++)
            w.e[i].reachable = true;   /* keep all: always safe */
    else
        find_reachable(&w, 0, w.n, -1);   /* our own reference is not a root */
    _ft_gc_leave_range(&w, 0, w.n, false);
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
