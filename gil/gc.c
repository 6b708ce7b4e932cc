/* gil/gc.c — the gil build's collector: three generations of tracked
 * objects in circular lists threaded through the pre-header
 * (internal/gc.h), CPython's thresholds and promotion rules, and the
 * driver that feeds one collection to the shared core.
 *
 *   gens[0] --> young objects, in allocation order
 *   gens[1] --> survivors of one collection
 *   gens[2] --> survivors of two or more
 *   permanent -> frozen objects (ft_gc_freeze), never examined
 *
 * Everything here runs with the GIL held: no locks, no atomics.
 */
#include <stdlib.h>
#include "internal/gc.h"
#include "internal/object.h"
#include "mem/backend.h"
#include "mem/heap.h"

typedef struct gc_generation {
    ft_gc_head head;     /* circular list of the generation's objects     */
    int count;           /* gen 0: tracked minus untracked since the last
                            collection; gen g > 0: collections of g - 1   */
} gc_generation;

static gc_generation gens[FT_GC_GENERATIONS];
static ft_gc_head permanent;
/* CPython's rule for full collections: objects that survived a
 * generation-1 collection since the last full one, against those that
 * survived the last full one. */
static ssize_t long_lived_pending, long_lived_total;

/* ---- Lists ---------------------------------------------------------------- */

static ft_gc_head *prev_of(ft_gc_head *h)
{
    return (ft_gc_head *)(h->prev & ~(uintptr_t)FT_GC_PREV_FLAGS);
}

static void set_prev(ft_gc_head *h, ft_gc_head *p)
{
    h->prev = (uintptr_t)p | (h->prev & FT_GC_PREV_FLAGS);
}

static ft_gc_head *next_of(ft_gc_head *h) { return (ft_gc_head *)h->next; }

static void list_init(ft_gc_head *list)
{
    list->next = list->prev = (uintptr_t)list;
}

static bool list_is_empty(ft_gc_head *list) { return next_of(list) == list; }

static void list_append(ft_gc_head *list, ft_gc_head *h)
{
    ft_gc_head *last = prev_of(list);
    h->next = (uintptr_t)list;
    set_prev(h, last);
    last->next = (uintptr_t)h;
    set_prev(list, h);
}

static void list_remove(ft_gc_head *h)
{
    ft_gc_head *p = prev_of(h), *n = next_of(h);
    p->next = (uintptr_t)n;
    set_prev(n, p);
    h->next = 0;
}

/* Moves every element of `from` to the end of `to`. */
static void list_merge(ft_gc_head *from, ft_gc_head *to)
{
    if (list_is_empty(from))
        return;
    ft_gc_head *first = next_of(from), *last = prev_of(from), *tail = prev_of(to);
    tail->next = (uintptr_t)first;
    set_prev(first, tail);
    last->next = (uintptr_t)to;
    set_prev(to, last);
    list_init(from);
}

static ssize_t list_size(ft_gc_head *list)
{
    ssize_t n = 0;
    for (ft_gc_head *h = next_of(list); h != list; h = next_of(h))
        n++;
    return n;
}

static ft_object *object_of(ft_gc_head *h) { return (ft_object *)(h + 1); }

/* FT_DEBUG >= 2: every link agrees with its neighbour, every element is a
 * live object of a GC type. Documents the list invariants. */
static void validate_list(ft_gc_head *list)
{
#if FT_DEBUG >= 2
    ft_gc_head *prev = list;
    for (ft_gc_head *h = next_of(list); h != list; prev = h, h = next_of(h)) {
        ft_assert(prev_of(h) == prev);
        ft_assert(!_ft_is_freed(object_of(h)) && _ft_gc_is_gc_type(object_of(h)));
    }
    ft_assert(prev_of(list) == prev);
#else
    (void)list;
#endif
}

/* ---- Allocation and tracking --------------------------------------------- */

ft_object *_ft_gc_alloc_object(size_t size)
{
    ft_gc_head *h = _ft_mem_alloc_object(FT_HEAP_GC, sizeof *h + size);
    if (!h)
        return NULL;
    h->next = h->prev = 0;
    return object_of(h);
}

void _ft_gc_free_object(ft_object *o)
{
    _ft_gc_untrack(o);
    _ft_mem_free_object(_ft_gc_head_of(o), o);
}

size_t _ft_gc_overhead(ft_object *o)
{
    (void)o;
    return sizeof(ft_gc_head);
}

/* o is new (allocated or unparked): whatever its head holds is stale. */
void _ft_gc_track(ft_object *o)
{
    ft_gc_head *h = _ft_gc_head_of(o);
    h->prev = 0;   /* not finalized */
    list_append(&gens[0].head, h);
    gens[0].count++;
    if (FT_GC_STRESS || (gens[0].count > _ft_gc.threshold[0] && _ft_gc.threshold[0]))
        _ft_gc_schedule();
}

void _ft_gc_untrack(ft_object *o)
{
    ft_gc_head *h = _ft_gc_head_of(o);
    if (h->next == 0)
        return;
    list_remove(h);
    if (gens[0].count > 0)
        gens[0].count--;
}

/* ---- Collections ---------------------------------------------------------- */

int _ft_gc_due_generation(void)
{
    for (int g = FT_GC_GENERATIONS - 1; g >= 0; g--) {
        if (!_ft_gc.threshold[g] || gens[g].count <= _ft_gc.threshold[g])
            continue;
        if (g == FT_GC_GENERATIONS - 1 && long_lived_pending < long_lived_total / 4)
            continue;   /* a full collection would not pay yet */
        return g;
    }
    return FT_GC_STRESS ? 0 : -1;
}

static void gather(ft_gc_work *w, int gen)
{
    for (int g = 0; g <= gen; g++) {
        validate_list(&gens[g].head);
        for (ft_gc_head *h = next_of(&gens[g].head); h != &gens[g].head; h = next_of(h))
            _ft_gc_work_add(w, object_of(h));
    }
}

/* Survivors (and the garbage, which leaves the lists as it dies) move one
 * generation up; the counts follow CPython's gc_collect_main. */
static void promote(int gen, ssize_t survivors)
{
    int older = gen + 1 < FT_GC_GENERATIONS ? gen + 1 : gen;
    for (int g = 0; g <= gen; g++)
        if (g != older)
            list_merge(&gens[g].head, &gens[older].head);
    if (gen + 1 < FT_GC_GENERATIONS)
        gens[gen + 1].count++;
    for (int g = 0; g <= gen; g++)
        gens[g].count = 0;
    if (gen == FT_GC_GENERATIONS - 2) {
        long_lived_pending += survivors;
    } else if (gen == FT_GC_GENERATIONS - 1) {
        long_lived_total = survivors;
        long_lived_pending = 0;
    }
}

int _ft_gc_collect_impl(int gen, ft_gc_result *out)
{
    *out = (ft_gc_result){ .generation = gen };
    ft_gc_work w = { 0 };
    gather(&w, gen);
    if (w.oom) {
        _ft_gc_work_free(&w);
        promote(gen, 0);
        return 0;   /* no memory for the bookkeeping: nothing collected */
    }
    _ft_gc_analyse(&w);
    ft_gc_garbage_set g = { 0 }, legacy = { 0 };
    bool taken = _ft_gc_take_garbage(&w, &g, &legacy);
    size_t garbage = taken ? g.n + legacy.n : 0;
    promote(gen, (ssize_t)(w.n - w.untracked - garbage));
    _ft_gc_work_free(&w);
    if (!taken)
        return 0;
    out->unreachable = (ssize_t)garbage;
    out->uncollectable = _ft_gc_save_uncollectable(&legacy);
    ft_object *pending = _ft_gc_clear_weakrefs(&g);
    if (_ft_gc_finalize(&g, pending))
        _ft_gc_keep_resurrected(&g);
    out->collected = (ssize_t)_ft_gc_finish(&g);
    return 0;
}

/* ---- Enumeration, freezing, counts --------------------------------------- */

int _ft_gc_for_each(int gen, void (*fn)(ft_object *, void *), void *arg)
{
    int lo = gen < 0 ? 0 : gen, hi = gen < 0 ? FT_GC_GENERATIONS - 1 : gen;
    for (int g = lo; g <= hi; g++)
        for (ft_gc_head *h = next_of(&gens[g].head); h != &gens[g].head; h = next_of(h))
            fn(object_of(h), arg);
    return 0;
}

int _ft_gc_freeze_impl(bool freeze)
{
    if (freeze) {
        for (int g = 0; g < FT_GC_GENERATIONS; g++) {
            list_merge(&gens[g].head, &permanent);
            gens[g].count = 0;
        }
    } else {
        list_merge(&permanent, &gens[FT_GC_GENERATIONS - 1].head);
    }
    return 0;
}

ssize_t _ft_gc_frozen_count(void) { return list_size(&permanent); }

/* CPython 3.11's trigger, which reads no memory (internal/gc.h). */
void _ft_gc_set_mem_probe(int64_t (*probe)(void)) { (void)probe; }
int64_t _ft_gc_deferred_count(void) { return 0; }

/* Count 0 is compared with threshold 0 on every track: nothing derived. */
void _ft_gc_threshold_changed(void) {}

void _ft_gc_lose_logs(void) {}

void _ft_gc_counts(int out[3])
{
    for (int g = 0; g < FT_GC_GENERATIONS; g++)
        out[g] = gens[g].count;
}

void _ft_gc_flavor_init(void)
{
    for (int g = 0; g < FT_GC_GENERATIONS; g++) {
        list_init(&gens[g].head);
        gens[g].count = 0;
    }
    list_init(&permanent);
    long_lived_pending = long_lived_total = 0;
}
