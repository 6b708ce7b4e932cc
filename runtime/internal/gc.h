/* internal/gc.h — the cycle collector inside the runtime.
 *
 * Glossary
 *   tracked      an object of a GC type between its creation and its
 *                death (or until the collector untracks an atomic tuple);
 *                only tracked objects are examined
 *   candidate    a tracked object taking part in the collection running
 *                now (gil: in the generations collected; nogil: the young
 *                objects in a young collection, every tracked object that
 *                is not frozen in a full one)
 *   young        (nogil) tracked since the last collection: FT_GC_BIT_YOUNG,
 *                and logged; a young collection (generation 0 or 1)
 *                examines only these, and its survivors become old
 *   gc_refs      per candidate: its count minus the references it gets
 *                from other candidates; > 0 means referenced from outside
 *                (a root)
 *   unreachable  candidates no root reaches: the garbage
 *
 * Files
 *   runtime/gc/collect.c   the core: gc_refs, reachability, weak
 *                          references, finalizers, resurrection, tp_clear
 *                          — one algorithm for both builds
 *   runtime/gc/gc.c        the gc API, thresholds, statistics, callbacks,
 *                          the garbage list
 *   gil/gc.c               generations in lists through the pre-header
 *   nogil/gc.c             ob_gc_bits, the stop-the-world pause, young
 *                          objects from per-thread logs, all of them by
 *                          walking the allocator's GC heaps
 *
 * Where GC state lives
 *
 *   gil: a 16-byte pre-header in front of every object of a GC type
 *
 *     +-----------+-----------+------------------+---------
 *     | gc_next   | gc_prev   | ob_refcnt        | ob_type ...
 *     +-----------+-----------+------------------+---------
 *     ^ block     ^           ^ ft_object *
 *
 *     gc_next  the next object of the generation's circular list (a list
 *              head is an ft_gc_head too); 0 when untracked. While a
 *              collection runs, a candidate's gc_next holds
 *              (index << 1) | 1 instead: the odd value marks candidates.
 *     gc_prev  the previous object | FT_GC_PREV_* flag bits (pointers to
 *              16-byte aligned heads leave the low 4 bits free)
 *
 *   nogil: ob_gc_bits in the header (FT_GC_BIT_*). Objects are found by
 *     walking the blocks of the allocator's GC heap kind (mem/heap.h), so
 *     they need no links — except those obmalloc does not serve (over 512
 *     bytes, or another backend), which get the same 16-byte pre-header
 *     and sit on one of four locked lists, chosen by the allocating thread
 *     (FT_GC_BIT_HEAD says so, bit 6 says which list). Young objects are
 *     found through per-thread logs of the objects tracked and of the
 *     young ones untracked since the last collection, whose difference is
 *     the young set: for every address p over all logs
 *         #born(p) - #gone(p) = [p is a tracked young object]      (Y)
 *     (nogil/gc.c). While a
 *     collection runs (the world stopped), a candidate's ob_tid holds its
 *     index; the owner's id is saved and put back before the world
 *     restarts.
 *
 * The core never sees lists or heaps: the flavor hands it an array of
 * candidates (ft_gc_work) and the small accessors below.
 */
#ifndef FTLAB_INTERNAL_GC_H
#define FTLAB_INTERNAL_GC_H

#include "common.h"
#include "flavor.h"          /* the GC hooks of gil/gc.c and nogil/gc.c */
#include <ftlab/gc.h>
#include <ftlab/refcount.h>

typedef struct ft_gc_head {
    uintptr_t next;
    uintptr_t prev;
} ft_gc_head;

enum {
    FT_GC_PREV_FINALIZED   = 1 << 0,   /* tp_finalize ran (gil)           */
    FT_GC_PREV_UNREACHABLE = 1 << 1,   /* garbage of this collection      */
    FT_GC_PREV_FLAGS       = 3,
};

enum ft_gc_bits {
    FT_GC_BIT_TRACKED     = 1 << 0,
    FT_GC_BIT_FINALIZED   = 1 << 1,
    FT_GC_BIT_UNREACHABLE = 1 << 2,
    FT_GC_BIT_COLLECTING  = 1 << 3,    /* a candidate: ob_tid is its index */
    FT_GC_BIT_FROZEN      = 1 << 4,
    FT_GC_BIT_HEAD        = 1 << 5,    /* has a pre-header (not walkable)  */
    FT_GC_STRIPE_SHIFT    = 6,         /* bit 6: its outside-list stripe   */
    FT_GC_BIT_YOUNG       = 1 << 7,    /* tracked since the last collection
                                          and logged (nogil/gc.c, (Y))     */
};

static inline bool _ft_gc_is_gc_type(const ft_object *o)
{
    return (o->ob_type->tp_flags & FT_TPFLAGS_GC) != 0;
}

static inline ft_gc_head *_ft_gc_head_of(ft_object *o)
{
    return (ft_gc_head *)o - 1;
}

/* ---- Flavor accessors: the only place the core sees a difference ------ */

#if FT_NOGIL
static inline bool _ft_gc_has_head(ft_object *o)
{
    return (o->ob_gc_bits & FT_GC_BIT_HEAD) != 0;
}
static inline bool _ft_gc_tracked(ft_object *o)
{
    return _ft_gc_is_gc_type(o) && (o->ob_gc_bits & FT_GC_BIT_TRACKED);
}
static inline bool _ft_gc_finalized(ft_object *o)
{
    return (o->ob_gc_bits & FT_GC_BIT_FINALIZED) != 0;
}
static inline void _ft_gc_set_finalized(ft_object *o)
{
    o->ob_gc_bits |= FT_GC_BIT_FINALIZED;
}
static inline bool _ft_gc_unreachable(ft_object *o)
{
    return _ft_gc_is_gc_type(o) && (o->ob_gc_bits & FT_GC_BIT_UNREACHABLE);
}
static inline void _ft_gc_set_unreachable(ft_object *o, bool on)
{
    o->ob_gc_bits = (uint8_t)(on ? o->ob_gc_bits | FT_GC_BIT_UNREACHABLE
                                 : o->ob_gc_bits & ~FT_GC_BIT_UNREACHABLE);
}
/* Makes o candidate number i; returns the word it borrowed. A candidate
 * of a collection (`collect`) is young no more (nogil/gc.c: a young
 * collection gives the bit back to its survivors): cleared here, where
 * the header is written anyway — in a young collection's parallel enter
 * step, not in a serial pass of its own over every candidate's header.
 * The resurrection check (_ft_gc_keep_resurrected) is no collection: a
 * finalizer may have tracked its objects again, young and logged. */
static inline uintptr_t _ft_gc_enter(ft_object *o, size_t i, bool collect)
{
    uint8_t off = collect ? FT_GC_BIT_YOUNG : 0;
    o->ob_gc_bits = (uint8_t)((o->ob_gc_bits | FT_GC_BIT_COLLECTING) & ~off);
    uintptr_t saved = ft_atomic_load_relaxed(&o->ob_tid);
    ft_atomic_store_relaxed(&o->ob_tid, (uintptr_t)i);
    return saved;
}
/* `young`: o survives a generation-0 collection analysed in partitions
 * and joins the middle (nogil/gc.c, keep_survivors), so it gets its young
 * bit back here, on the thread that leaves its partition and writes its
 * header anyway — not in a serial pass of the collector over every
 * survivor's header afterwards, which for a helper's partition fetched
 * each header line from the helper's cache and left it dirty in the
 * collector's for the helper to fetch back when it ran again. */
static inline void _ft_gc_leave(ft_object *o, uintptr_t saved, bool young)
{
    uint8_t bits = (uint8_t)(o->ob_gc_bits & ~FT_GC_BIT_COLLECTING);
    o->ob_gc_bits = (uint8_t)(bits | (young ? FT_GC_BIT_YOUNG : 0));
    ft_atomic_store_relaxed(&o->ob_tid, saved);
}
/* o's candidate index, or -1 when o is not a candidate. */
static inline ssize_t _ft_gc_index(ft_object *o)
{
    if (!_ft_gc_is_gc_type(o) || !(o->ob_gc_bits & FT_GC_BIT_COLLECTING))
        return -1;
    return (ssize_t)ft_atomic_load_relaxed(&o->ob_tid);
}
#else
static inline bool _ft_gc_has_head(ft_object *o) { return _ft_gc_is_gc_type(o); }
static inline bool _ft_gc_tracked(ft_object *o)
{
    return _ft_gc_is_gc_type(o) && !_ft_is_immortal_inline(o) &&
           _ft_gc_head_of(o)->next != 0;
}
static inline bool _ft_gc_finalized(ft_object *o)
{
    return (_ft_gc_head_of(o)->prev & FT_GC_PREV_FINALIZED) != 0;
}
static inline void _ft_gc_set_finalized(ft_object *o)
{
    _ft_gc_head_of(o)->prev |= FT_GC_PREV_FINALIZED;
}
static inline bool _ft_gc_unreachable(ft_object *o)
{
    return _ft_gc_tracked(o) &&
           (_ft_gc_head_of(o)->prev & FT_GC_PREV_UNREACHABLE) != 0;
}
static inline void _ft_gc_set_unreachable(ft_object *o, bool on)
{
    ft_gc_head *h = _ft_gc_head_of(o);
    h->prev = on ? h->prev | FT_GC_PREV_UNREACHABLE
                 : h->prev & ~(uintptr_t)FT_GC_PREV_UNREACHABLE;
}
static inline uintptr_t _ft_gc_enter(ft_object *o, size_t i, bool collect)
{
    (void)collect;   /* no young bit: gil's generations are lists */
    ft_gc_head *h = _ft_gc_head_of(o);
    uintptr_t saved = h->next;
    h->next = ((uintptr_t)i << 1) | 1;
    return saved;
}
static inline void _ft_gc_leave(ft_object *o, uintptr_t saved, bool young)
{
    (void)young;   /* gil's generations are lists: a survivor moves there */
    _ft_gc_head_of(o)->next = saved;
}
static inline ssize_t _ft_gc_index(ft_object *o)
{
    if (!_ft_gc_is_gc_type(o) || _ft_is_immortal_inline(o))
        return -1;
    uintptr_t next = _ft_gc_head_of(o)->next;
    return (next & 1) ? (ssize_t)(next >> 1) : -1;
}
#endif

/* Does a collection stop the world (nogil), so that ft_gc_result.stw_ns
 * holds its pause? gc.c feeds the stop-the-world histogram only then; in
 * gil it stays empty. */
static inline bool _ft_gc_has_stw_pause(void) { return FT_NOGIL; }

/* Where an object of type t starts in a block parked on a free list:
 * after the pre-header in gil, where every GC object has one; nogil parks
 * only blocks without one. */
static inline size_t _ft_gc_park_offset(const ft_type *t)
{
    return !FT_NOGIL && (t->tp_flags & FT_TPFLAGS_GC) ? sizeof(ft_gc_head) : 0;
}

/* ---- The core (runtime/gc/collect.c) ------------------------------------ */

typedef struct ft_gc_entry {
    ft_object *op;
    intptr_t refs;          /* gc_refs while analysing                    */
    uintptr_t saved;        /* the word _ft_gc_enter borrowed             */
    bool reachable;         /* from a root: survives                      */
    bool untrack;           /* an atomic tuple that survives: untracked
                               when the analysis leaves it               */
    bool legacy;            /* garbage a legacy finalizer reaches         */
} ft_gc_entry;

/* The candidates of one collection; the array comes from the system
 * allocator (the collector's bookkeeping is not the program's memory). */
typedef struct ft_gc_work {
    ft_gc_entry *e;
    size_t n, cap;
    size_t untracked;       /* atomic tuples the analysis untracked       */
    bool oom;               /* an append failed: the collection is off    */
} ft_gc_work;

/* Room for `more` entries past n in one allocation (a gather that knows
 * its count need not double its way there; the capacity is still a power
 * of two times 1024, collect.c says why); false, with oom set, when
 * there is no memory (or oom was set before). */
bool _ft_gc_work_reserve(ft_gc_work *w, size_t more);
/* Appends o; out of memory, sets oom and drops it (and every append after
 * it). Inline: a gather appends every candidate. */
static inline void _ft_gc_work_add(ft_gc_work *w, ft_object *o)
{
    if (ft_unlikely(w->n == w->cap) && !_ft_gc_work_reserve(w, 1))
        return;
    w->e[w->n++] = (ft_gc_entry){ .op = o };
}
void _ft_gc_work_free(ft_gc_work *w);

/* Phase 1, with every candidate where the flavor keeps it (world stopped
 * in nogil): computes gc_refs and reachability, marks what legacy
 * finalizers reach, restores every borrowed word (the young bits stay
 * cleared: _ft_gc_enter), then untracks atomic tuples. Out of memory,
 * everything counts as reachable. */
void _ft_gc_analyse(ft_gc_work *w);

/* Partitions. _ft_gc_analyse gives what, over the whole array,
 *     enter_range; mark_range; mark_legacy; leave_range
 * gives (it decides the atomic tuples after leaving, which costs fewer
 * instructions when nothing runs beside it), and the three range steps may instead run on disjoint ranges that
 * cover the array, in parallel (nogil/gc.c, inside the pause), provided
 * every range has finished one step before any starts the next:
 *   enter  writes its range's entries and headers (bits, borrowed word);
 *   mark   reads every candidate's header, the headers of non-candidates
 *          (which nobody writes in a pause) and its range's entries, and
 *          writes only its range's entries: gc_refs, reachability, which
 *          reachable tuples are atomic (to untrack); returns whether its
 *          range holds garbage with a legacy finalizer (tp_del), without
 *          which mark_legacy has nothing to do;
 *   leave  writes its range's headers again and untracks its atomic
 *          tuples; returns how many. With `young` (nogil, generation 0)
 *          it also gives every survivor — reachable, not untracked —
 *          its young bit back (_ft_gc_leave).
 * mark_range counts every reference from outside its range — other
 * ranges included — as external: sound, since that only makes more
 * roots; the garbage found is closed under references (what garbage
 * refers to in another range is a root there, so alive), and a cycle
 * across ranges survives, for a later collection that sees it whole. */
/* _ft_gc_enter_range also clears the candidates' young bits (nogil):
 * the collection's candidates are young no more (_ft_gc_enter). */
void _ft_gc_enter_range(ft_gc_work *w, size_t lo, size_t hi);
bool _ft_gc_mark_range(ft_gc_work *w, size_t lo, size_t hi);
size_t _ft_gc_leave_range(ft_gc_work *w, size_t lo, size_t hi, bool young);
/* Serial, between mark and leave (needs the indices); a no-op in
 * ft_fini's last collection. */
void _ft_gc_mark_legacy(ft_gc_work *w);

/* Garbage, with a strong reference held by the collector on each object
 * from the moment the analysis ends, so that nothing dies under it. */
typedef struct ft_gc_garbage_set {
    ft_object **op;
    size_t n;
} ft_gc_garbage_set;

/* Splits the unreachable entries of w into collectable garbage and the
 * legacy-uncollectable, taking a reference to each and flagging it
 * unreachable. false (nothing taken) when memory ran out. */
bool _ft_gc_take_garbage(ft_gc_work *w, ft_gc_garbage_set *g,
                         ft_gc_garbage_set *legacy);
/* Moves the uncollectable to the garbage list; returns how many. */
ssize_t _ft_gc_save_uncollectable(ft_gc_garbage_set *legacy);
/* Phase 2 (world stopped in nogil): clears weak references to garbage;
 * returns the weakrefs whose callbacks must run (a list) or NULL. */
ft_object *_ft_gc_clear_weakrefs(ft_gc_garbage_set *g);
/* Phase 3 (world running): runs those callbacks, then each finalizer not
 * yet run; true if one ran — then the flavor calls
 * _ft_gc_keep_resurrected (world stopped again in nogil). */
bool _ft_gc_finalize(ft_gc_garbage_set *g, ft_object *pending);
/* What a finalizer made reachable again leaves the set (and survives). */
void _ft_gc_keep_resurrected(ft_gc_garbage_set *g);
/* tp_clear on the rest (or, with SAVEALL, the garbage list), then the
 * collector's references go and reference counting frees the garbage.
 * Returns how many were cleared. */
size_t _ft_gc_finish(ft_gc_garbage_set *g);

/* ---- Flavor files (gil/gc.c, nogil/gc.c) -------------------------------
 * Their hooks (_ft_gc_alloc_object ... _ft_gc_flavor_init) are declared
 * in internal/flavor.h, "GC". */

/* What one collection (_ft_gc_collect_impl) reports; stats are filled by
 * the caller (gc.c). */
typedef struct ft_gc_result {
    int generation;          /* the generation actually collected        */
    ssize_t unreachable, collected, uncollectable;
    uint64_t stw_ns;         /* time with the world stopped, where a
                                collection stops it (_ft_gc_has_stw_pause) */
} ft_gc_result;

/* gc.c: state shared with the flavor files. */
typedef struct ft_gc_state {
    bool enabled;
    bool finalizing;             /* ft_fini's last collection runs         */
    int threshold[3];
    int debug;
    _Atomic bool xcollecting;    /* one collection at a time (CAS)          */
    ft_object *garbage;          /* gc.garbage, a list made on first use    */
} ft_gc_state;
extern ft_gc_state _ft_gc;

/* An allocation of a tracked object crossed threshold 0: ask the calling
 * thread to collect at its next checkpoint. */
void _ft_gc_schedule(void);
/* At a checkpoint with FT_REQ_GC (thread.c). */
void _ft_gc_run_scheduled(void);
/* ft_init / ft_fini. fini runs a last full collection (as Py_Finalize
 * does) so that cycles the program left are not reported as leaks. */
void _ft_gc_init(const int threshold[3]);
void _ft_gc_fini(void);
/* Tests: the memory nogil's trigger compares (nogil/gc.c, "The trigger"),
 * in bytes, -1 when unknown; NULL puts back the process's resident set.
 * gil's trigger reads no memory: a no-op there. */
void _ft_gc_set_mem_probe(int64_t (*probe)(void));
/* Tests: count 0 that nogil's trigger deferred since the last collection
 * (0 in gil). With ft_gc_get_count's count 0 it is every object tracked
 * since then (the untracked taken off). */
int64_t _ft_gc_deferred_count(void);
/* Tests: the young logs lost, as when another thread's append failed for
 * want of memory (nogil/gc.c, "Lost logs"): the next collection is a
 * full one. A no-op in gil, which keeps no logs. */
void _ft_gc_lose_logs(void);
/* Appends o to gc.garbage; -1 with MemoryError. */
int _ft_gc_save_garbage(ft_object *o);

#endif /* FTLAB_INTERNAL_GC_H */
