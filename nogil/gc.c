/* nogil/gc.c — the nogil build's collector: state in ob_gc_bits, objects
 * found by walking the allocator, one collection over everything in a
 * stop-the-world pause (CPython's Python/gc_free_threading.c).
 *
 * Finding tracked objects without a list every allocation locks:
 *   - objects obmalloc serves come from the GC heap kind of their thread's
 *     heap set; the pause walks every block of that kind in every set,
 *     those of exited threads included (_ft_heaps_visit);
 *   - the others (over 512 bytes, or FT_MALLOC=mimalloc/malloc/debug,
 *     whose heaps cannot be walked) carry a 16-byte pre-header and sit on
 *     one of STRIPES lists, each under its own lock. A thread links its
 *     objects into its own stripe (threads take stripes in turn, so two
 *     threads never share one until there are more than STRIPES), and the
 *     stripe is written in the object's ob_gc_bits, so that whoever frees
 *     it knows which lock to take. The locks are plain pthread mutexes:
 *     each is held only for a link or an unlink, never across a
 *     checkpoint, so a stopped thread never holds one.
 *
 * A collection:
 *
 *   stop the world
 *     merge every thread's queued refcounts (keeping the queued reference)
 *     gather, analyse (ob_tid borrowed, then restored), take the garbage,
 *     clear weak references to it
 *   start the world
 *     drop the merged references (may free objects), weakref callbacks,
 *     finalizers
 *   if a finalizer ran: stop the world, keep what it resurrected, start
 *   tp_clear the rest (world running)
 *
 * Allocation counts: each thread buffers the objects it tracked (minus
 * those it untracked, never below zero) in its state and adds them to the
 * global count every FLUSH objects (fewer for a small threshold); the
 * thread whose flush crosses threshold 0 asks itself to collect at its
 * next checkpoint. A collection zeroes every count, world stopped.
 */
#include <pthread.h>
#include <stdlib.h>
#include "internal/gc.h"
#include "internal/object.h"
#include "internal/tstate.h"
#include "mem/backend.h"
#include "mem/heap.h"

enum { FLUSH = 512, STRIPES = 4 };

typedef struct outside_list {
    pthread_mutex_t lock;
    ft_gc_head head;                       /* circular; lock             */
} outside_list;

static outside_list outside[STRIPES] = {
    [0 ... STRIPES - 1] = { .lock = PTHREAD_MUTEX_INITIALIZER },
};
static _Atomic unsigned xnext_stripe;      /* handed to threads in turn  */
static _Atomic int64_t xyoung_count;       /* flushed by every thread    */
static _Atomic int64_t xlong_lived_total;  /* survivors of the last one  */

/* ---- The outside lists ---------------------------------------------------- */

static ft_gc_head *next_of(ft_gc_head *h) { return (ft_gc_head *)h->next; }
static ft_gc_head *prev_of(ft_gc_head *h) { return (ft_gc_head *)h->prev; }
static ft_object *object_of(ft_gc_head *h) { return (ft_object *)(h + 1); }

static unsigned stripe_of(ft_object *o)
{
    return (unsigned)o->ob_gc_bits >> FT_GC_STRIPE_SHIFT;
}

/* The calling thread's stripe, taken on first use. */
static unsigned my_stripe(void)
{
    ft_tstate *ts = _ft_tstate_get();
    if (!ts)
        return 0;
    if (!ts->gc_stripe)   /* stored + 1: 0 means "none yet" */
        ts->gc_stripe = (uint8_t)(ft_atomic_add_relaxed(&xnext_stripe, 1) % STRIPES + 1);
    return ts->gc_stripe - 1u;
}

static void outside_link(ft_object *o)
{
    outside_list *l = &outside[stripe_of(o)];
    ft_gc_head *h = _ft_gc_head_of(o);
    pthread_mutex_lock(&l->lock);
    ft_gc_head *last = prev_of(&l->head);
    h->next = (uintptr_t)&l->head;
    h->prev = (uintptr_t)last;
    last->next = (uintptr_t)h;
    l->head.prev = (uintptr_t)h;
    pthread_mutex_unlock(&l->lock);
}

static void outside_unlink(ft_object *o)
{
    outside_list *l = &outside[stripe_of(o)];
    ft_gc_head *h = _ft_gc_head_of(o);
    pthread_mutex_lock(&l->lock);
    prev_of(h)->next = h->next;
    next_of(h)->prev = h->prev;
    h->next = h->prev = 0;
    pthread_mutex_unlock(&l->lock);
}

/* World stopped: nobody links or unlinks. */
static void outside_for_each(void (*fn)(ft_object *, void *), void *arg)
{
    for (int s = 0; s < STRIPES; s++) {
        ft_gc_head *list = &outside[s].head;
        for (ft_gc_head *h = next_of(list), *n; h != list; h = n) {
            n = next_of(h);   /* fn may untrack h */
            fn(object_of(h), arg);
        }
    }
}

/* ---- Allocation and tracking --------------------------------------------- */

ft_object *_ft_gc_alloc_object(size_t size)
{
    ft_object *o = _ft_mem_alloc_object_pooled(FT_HEAP_GC, size);
    if (o) {
        o->ob_gc_bits = 0;
        return o;
    }
    ft_gc_head *h = _ft_mem_alloc_object(FT_HEAP_RAW, sizeof *h + size);
    if (!h)
        return NULL;
    h->next = h->prev = 0;
    o = object_of(h);
    o->ob_gc_bits = (uint8_t)(FT_GC_BIT_HEAD | my_stripe() << FT_GC_STRIPE_SHIFT);
    return o;
}

void _ft_gc_free_object(ft_object *o)
{
    _ft_gc_untrack(o);
    _ft_mem_free_object(_ft_gc_has_head(o) ? (void *)_ft_gc_head_of(o) : (void *)o, o);
}

size_t _ft_gc_overhead(ft_object *o)
{
    return _ft_gc_has_head(o) ? sizeof(ft_gc_head) : 0;
}

/* CPython's gc_should_collect: past threshold 0, and — so that a large
 * live heap does not make every collection re-examine it for a handful of
 * new objects (quadratic overall) — past a quarter of the objects that
 * survived the last collection, unless threshold 1 is 0 (tests that want
 * a collection per threshold-0 allocations). */
static bool should_collect(int64_t count)
{
    int t0 = _ft_gc.threshold[0];
    if (!t0 || count <= t0)
        return false;
    return count > ft_atomic_load_relaxed(&xlong_lived_total) / 4 ||
           _ft_gc.threshold[1] == 0;
}

static void count_flush(ft_tstate *ts)
{
    int64_t total = ft_atomic_add_relaxed(&xyoung_count, ts->gc_young) + ts->gc_young;
    ts->gc_young = 0;
    if (should_collect(total))
        _ft_gc_schedule();
}

/* World stopped: a collection starts every count again. */
static void reset_counts_stopped(void)
{
    ft_runtime *rt = &_ft_runtime;
    pthread_mutex_lock(&rt->head_lock);
    for (ft_tstate *t = rt->threads; t; t = t->next)
        t->gc_young = 0;
    pthread_mutex_unlock(&rt->head_lock);
    ft_atomic_store_relaxed(&xyoung_count, 0);
}

/* Small thresholds need a finer buffer to be honoured. */
static int flush_at(void)
{
    int t0 = _ft_gc.threshold[0];
    return t0 && t0 < 4 * FLUSH ? t0 / 4 + 1 : FLUSH;
}

void _ft_gc_track(ft_object *o)
{
    const uint8_t keep = FT_GC_BIT_HEAD | (STRIPES - 1) << FT_GC_STRIPE_SHIFT;
    o->ob_gc_bits = (uint8_t)((o->ob_gc_bits & keep) | FT_GC_BIT_TRACKED);
    if (_ft_gc_has_head(o))
        outside_link(o);
    ft_tstate *ts = _ft_tstate_get();
    if (ts && ++ts->gc_young >= flush_at())
        count_flush(ts);
    if (FT_GC_STRESS)
        _ft_gc_schedule();
}

void _ft_gc_untrack(ft_object *o)
{
    if (!(o->ob_gc_bits & FT_GC_BIT_TRACKED))
        return;
    o->ob_gc_bits &= (uint8_t)~FT_GC_BIT_TRACKED;
    if (_ft_gc_has_head(o))
        outside_unlink(o);
    /* Like the gil build's count, this one does not go below zero: the
     * deaths a collection causes must not postpone the next one. */
    ft_tstate *ts = _ft_tstate_get();
    if (ts && ts->gc_young > 0)
        ts->gc_young--;
}

/* ---- Walking every tracked object (world stopped) ------------------------ */

typedef struct walk_ctx {
    void (*fn)(ft_object *, void *);
    void *arg;
    bool frozen;     /* visit frozen objects too */
} walk_ctx;

static void walk_one(ft_object *o, void *arg)
{
    walk_ctx *c = arg;
    uint8_t bits = o->ob_gc_bits;
    if ((bits & FT_GC_BIT_TRACKED) && (c->frozen || !(bits & FT_GC_BIT_FROZEN)))
        c->fn(o, c->arg);
}

static void walk_block(void *block, size_t size, void *arg)
{
    (void)size;
    walk_one(block, arg);
}

static void walk(void (*fn)(ft_object *, void *), void *arg, bool frozen)
{
    walk_ctx c = { fn, arg, frozen };
    _ft_heaps_visit(FT_HEAP_GC, walk_block, &c);
    outside_for_each(walk_one, &c);
}

/* ---- Collections ---------------------------------------------------------- */

/* The references merged out of the threads' queues, dropped once the world
 * runs again (a count reaching zero frees the object outside the pause). */
typedef struct merged_refs {
    ft_object **op;
    size_t n;
} merged_refs;

static void release_merged(merged_refs *m)
{
    for (size_t i = 0; i < m->n; i++)
        ft_decref(m->op[i]);
    free(m->op);
    *m = (merged_refs){ 0 };
}

/* Fails (error set) only when the caller may not stop the world: it is
 * detached, or stopped the world already. */
static int stop(merged_refs *m, uint64_t *t0)
{
    if (ft_stop_the_world() < 0)
        return -1;
    *t0 = _ft_monotonic_ns();
    m->op = _ft_refcount_merge_queued_stopped(&m->n);
    return 0;
}

static void start(merged_refs *m, uint64_t t0, ft_gc_result *out)
{
    out->stw_ns += _ft_monotonic_ns() - t0;
    ft_start_the_world();
    release_merged(m);
}

static void add_candidate(ft_object *o, void *arg) { _ft_gc_work_add(arg, o); }

/* FT_DEBUG >= 2, world stopped: the outside lists link both ways, and
 * every object on them or walked in a GC heap as tracked is a live object
 * of a GC type whose bits agree with where it was found. Documents the
 * invariants of this file. */
#if FT_DEBUG >= 2
static void check_tracked(ft_object *o, void *arg)
{
    (void)arg;
    ft_assert(!_ft_is_freed(o) && _ft_gc_is_gc_type(o));
    ft_assert(!(o->ob_gc_bits & (FT_GC_BIT_COLLECTING | FT_GC_BIT_UNREACHABLE)));
}
#endif

static void validate_stopped(void)
{
#if FT_DEBUG >= 2
    for (int s = 0; s < STRIPES; s++) {
        ft_gc_head *list = &outside[s].head, *prev = list;
        for (ft_gc_head *h = next_of(list); h != list; prev = h, h = next_of(h)) {
            ft_object *o = object_of(h);
            ft_assert(prev_of(h) == prev);
            ft_assert(_ft_gc_has_head(o) && (int)stripe_of(o) == s);
            ft_assert(o->ob_gc_bits & FT_GC_BIT_TRACKED);
        }
    }
    walk(check_tracked, NULL, true);
#endif
}

int _ft_gc_collect_impl(int gen, ft_gc_result *out)
{
    (void)gen;   /* one generation: every collection is a full one */
    *out = (ft_gc_result){ .generation = FT_GC_GENERATIONS - 1 };
    merged_refs m = { 0 };
    uint64_t t0;
    if (stop(&m, &t0) < 0)
        return -1;
    reset_counts_stopped();
    validate_stopped();
    ft_gc_work w = { 0 };
    walk(add_candidate, &w, false);
    ft_gc_garbage_set g = { 0 }, legacy = { 0 };
    bool taken = false;
    if (!w.oom) {
        _ft_gc_analyse(&w);
        taken = _ft_gc_take_garbage(&w, &g, &legacy);
    }
    size_t garbage = taken ? g.n + legacy.n : 0;
    ft_atomic_store_relaxed(&xlong_lived_total,
                            (int64_t)(w.n - w.untracked - garbage));
    _ft_gc_work_free(&w);
    ft_object *pending = taken ? _ft_gc_clear_weakrefs(&g) : NULL;
    start(&m, t0, out);
    if (!taken)
        return 0;
    out->unreachable = (ssize_t)(g.n + legacy.n);
    out->uncollectable = _ft_gc_save_uncollectable(&legacy);
    if (_ft_gc_finalize(&g, pending)) {
        /* The first stop succeeded and finalizers return attached, so this
         * one cannot fail; if it did, freeing what they resurrected would
         * be a use-after-free. */
        int stopped = stop(&m, &t0);
        ft_assert(stopped == 0);
        (void)stopped;
        _ft_gc_keep_resurrected(&g);
        start(&m, t0, out);
    }
    out->collected = (ssize_t)_ft_gc_finish(&g);
    return 0;
}

int _ft_gc_due_generation(void)
{
    if (FT_GC_STRESS || should_collect(ft_atomic_load_relaxed(&xyoung_count)))
        return FT_GC_GENERATIONS - 1;
    return -1;
}

/* ---- Enumeration, freezing, counts --------------------------------------- */

int _ft_gc_for_each(int gen, void (*fn)(ft_object *, void *), void *arg)
{
    (void)gen;
    if (ft_stop_the_world() < 0)
        return -1;
    walk(fn, arg, false);
    ft_start_the_world();
    return 0;
}

static void set_frozen(ft_object *o, void *arg)
{
    bool freeze = *(bool *)arg;
    o->ob_gc_bits = (uint8_t)(freeze ? o->ob_gc_bits | FT_GC_BIT_FROZEN
                                     : o->ob_gc_bits & ~FT_GC_BIT_FROZEN);
}

int _ft_gc_freeze_impl(bool freeze)
{
    if (ft_stop_the_world() < 0)
        return -1;
    walk(set_frozen, &freeze, true);
    ft_start_the_world();
    return 0;
}

static void count_frozen(ft_object *o, void *arg)
{
    if (o->ob_gc_bits & FT_GC_BIT_FROZEN)
        ++*(ssize_t *)arg;
}

ssize_t _ft_gc_frozen_count(void)
{
    ssize_t n = 0;
    if (ft_stop_the_world() < 0)
        return -1;
    walk(count_frozen, &n, true);
    ft_start_the_world();
    return n;
}

void _ft_gc_counts(int out[3])
{
    int64_t n = ft_atomic_load_relaxed(&xyoung_count);
    ft_tstate *ts = _ft_tstate_get();
    out[0] = (int)(n + (ts ? ts->gc_young : 0));
    out[1] = out[2] = 0;
}

void _ft_gc_flavor_init(void)
{
    for (int s = 0; s < STRIPES; s++)
        outside[s].head.next = outside[s].head.prev = (uintptr_t)&outside[s].head;
    ft_atomic_store_relaxed(&xyoung_count, 0);
    ft_atomic_store_relaxed(&xlong_lived_total, 0);
}
