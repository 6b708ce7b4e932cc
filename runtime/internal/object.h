/* internal/object.h — allocating and freeing objects, the built-in
 * object layouts, and start-up of the static objects. */
#ifndef FTLAB_INTERNAL_OBJECT_H
#define FTLAB_INTERNAL_OBJECT_H

#include "common.h"
#include "flavor.h"   /* refcount, shard and intern hooks of gil/, nogil/ */
#include <ftlab/refcount.h>
#include "gc.h"   /* _ft_gc_park_offset, _ft_gc_tracked (park, unpark) */
#include "../mem/freelist.h"
#include "../mem/heap.h"   /* _ft_heaps_objects: the free lists' set */
#include "../mem/obmalloc.h"   /* _ft_obmalloc_type_stable */
#include "../tools/traces.h"   /* park and reuse hooks */

/* ints and bools share a layout; small ints are static and immortal. */
typedef struct ft_int_object {
    ft_object ob_base;
    int64_t value;
} ft_int_object;

typedef struct ft_float_object {
    ft_object ob_base;
    double value;
} ft_float_object;

#define FT_SMALL_INT_MIN (-5)
#define FT_SMALL_INT_MAX 256

/* A tuple's layout (objects/tuple.c), shared with the collector's core
 * (gc/collect.c), which walks the items of tuples in place rather than
 * through tp_traverse: the hot loop of a young collection. Filled once
 * after ft_tuple_new (a NULL item is a slot not yet set), never changed
 * after that. */
typedef struct ft_tuple_object {
    ft_object ob_base;
    ssize_t size;
    ft_object *items[];
} ft_tuple_object;

/* A new object of type t and `size` bytes (header included): count 1,
 * owned by the calling thread (nogil), header initialised, the rest
 * uninitialised. GC types come from the GC heap kind so the collector can
 * walk them. NULL with MemoryError. */
ft_object *_ft_object_alloc(ft_type *t, size_t size);
/* Returns the memory of a dead object (called by tp_dealloc). */
void _ft_object_free(ft_object *o);
/* The same, but the block is reused only after a QSBR grace period: for
 * objects that lock-free readers may still be looking at (an interned
 * string still reachable from the intern table's readers). */
void _ft_object_free_after_grace(ft_object *o);
/* Object free lists: _ft_object_park and _ft_object_unpark, inline
 * below ("Free lists"). */
/* Makes a static object immortal with type t (start-up). */
void _ft_object_init_static(ft_object *o, ft_type *t);

/* object.c: the static objects and types, at every ft_init. */
void _ft_objects_init(void);
/* Live objects since start (every thread), for ft_fini's report. */
int64_t _ft_objects_live(void);

/* Optimistic readers take a reference with _ft_try_incref, which
 * refuses a dying object; a store where other threads can find o marks
 * it with _ft_object_set_shared. Both are flavor hooks (gil/refcount.c,
 * nogil/brc.c): internal/flavor.h, "Refcount". So is
 * _ft_shard_thread_exit (internal/flavor.h, "Shards"). */

/* _ft_object_set_shared with its test inline: once o is marked (the
 * usual case for keys and values stored again and again) or where no
 * mark applies (gil, immortal, sharded), nothing is called; biased
 * counting's mark, one CAS, is inline too (ftlab/refcount.h,
 * _ft_set_shared_inline). For the hot stores of the containers (list,
 * dict, set). */
static inline void _ft_object_mark_shared(ft_object *o)
{
    if (_ft_shared_mark_needed(o) && !_ft_set_shared_inline(o))
        _ft_object_set_shared(o);
}

/* Is v's block type-stable object memory (mem/obmalloc.h, T1-T3)? The
 * radix lookup of _ft_obmalloc_type_stable is some twenty instructions;
 * biased nogil records the answer in the header where it comes for free
 * (FT_OBJ_TYPE_STABLE, ftlab/object.h): an object made from the OBJECT
 * heap's pools, or from a parked block whose last object had the bit
 * (_ft_object_alloc in object.c, _ft_object_unpark below). A clear bit only
 * means "not known": the lookup decides. v must be alive (the caller
 * holds a reference), so the bit read is the one set when v was made. */
/* The header's answer alone (no lookup): true, type-stable; false, not
 * known. */
static inline bool _ft_object_type_stable_bit(ft_object *v)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    return (ft_atomic_load_relaxed(&v->ob_xflags) & FT_OBJ_TYPE_STABLE) != 0;
#else
    (void)v;
    return false;
#endif
}

static inline bool _ft_object_type_stable(ft_object *v)
{
    return _ft_object_type_stable_bit(v) || _ft_obmalloc_type_stable(v);
}

/* Do keys of type t compare with each other without running code of the
 * program, allocating, or locking (int, bool and float: arithmetic; str:
 * bytes; each tp_eq handles the others of the four without a call out)?
 * A dict's or set's probe in an elided section compares two keys only
 * when both are (runtime/objects/dict.c, set.c). */
static inline bool _ft_eq_runs_no_code(const ft_type *t)
{
    return t == &ft_int_type || t == &ft_str_type || t == &ft_float_type ||
           t == &ft_bool_type;
}

/* Type-stable, for a v whose header bit is clear: a GC object without
 * the collector's pre-header came from the GC heap's pools (internal/gc.h,
 * _ft_gc_has_head; nogil parks only such blocks, for the same reason) —
 * two loads and a test, where the radix lookup is some twenty
 * instructions. GC objects never get the bit (_ft_object_alloc: the
 * collector's allocator does not say where its block came from, and
 * working it out there cost every GC allocation more than the lookups it
 * saved: raytrace +0.8M), so this is how a list, tuple or instance stored
 * into a private container skips the lookup. Anything else: the lookup. */
static inline bool _ft_object_type_stable_unmarked(ft_object *v)
{
    return (_ft_gc_is_gc_type(v) && !_ft_gc_has_head(v)) ||
           _ft_obmalloc_type_stable(v);
}

/* The bit for a new object's _ft_refcount_init_flags (object.c): pooled
 * says its block came from the OBJECT heap's pools; o_parked is the block
 * as one of the calling thread's free lists held it, or NULL. A parked
 * block's header stays as its dead object left it but for the first word,
 * which links the list (mem/freelist.h); nothing else writes the flags of
 * a dead object, so the bit of a block's last object still holds, as the
 * block never left its pool. Branch-free: one load and a mask. */
static inline uint16_t _ft_object_stable_flags(bool pooled, ft_object *o_parked)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    _Static_assert(offsetof(ft_object, ob_xflags) >= sizeof(void *),
                   "a free list's link would overwrite a parked object's flags");
    if (o_parked)
        return ft_atomic_load_relaxed(&o_parked->ob_xflags) & FT_OBJ_TYPE_STABLE;
    return pooled ? FT_OBJ_TYPE_STABLE : 0;
#else
    (void)pooled;
    (void)o_parked;
    return 0;
#endif
}

/* ---- Free lists ---------------------------------------------------------- */

/* A new object's header (_ft_object_alloc, _ft_object_unpark): count 1,
 * owned by the calling thread, type t; xflags: _ft_object_stable_flags. */
static inline void _ft_object_init_header(ft_object *o, ft_type *t,
                                          uint16_t xflags)
{
    _ft_refcount_init_flags(o, xflags);
    o->ob_type = t;
}

/* The same for a parked block (_ft_object_unpark): its dead object's
 * mutex is reused as it is, and with keep_flags its FT_OBJ_* bits
 * (ftlab/refcount.h, _ft_refcount_init_parked). */
static inline void _ft_object_init_header_parked(ft_object *o, ft_type *t,
                                                 uint16_t xflags, bool keep_flags)
{
    _ft_refcount_init_parked(o, xflags, keep_flags);
    o->ob_type = t;
}

/* FT_DEBUG >= 1: a use of a freed or parked object reports a freed object
 * (refcount.h). */
static inline void _ft_object_tag_freed(ft_object *o)
{
#if FT_DEBUG >= 1
    o->ob_type = (ft_type *)((uintptr_t)o->ob_type | FT_FREED_TAG);
#else
    (void)o;
#endif
}

/* A dying object leaves the collector's view before anything can run a
 * collection, if the collector still tracks it. Many dying GC objects no
 * longer are (a collection untracks the atomic tuples it keeps: nearly
 * every node of a tree of tuples that lived through one), so the test is
 * inline and the flavor's _ft_gc_untrack is called only for the others. */
static inline void _ft_object_untrack_dying(ft_object *o)
{
    if (_ft_gc_tracked(o))
        _ft_gc_untrack(o);
}

/* Object free lists (mem/freelist.h). park puts dead o's block on list
 * `kind` — o stops counting as an object (_ft_mem_count_object(-1)), the
 * block stays allocated — and returns false when the list is full or the
 * thread has no heap set yet (then free o). unpark makes a parked block
 * into a new object of type t with count 1, as _ft_object_alloc would
 * (counted: _ft_mem_count_object(1)), or returns NULL when the list is
 * empty (then allocate).
 *
 * Inline, with the list's pop and push: they run on every float, int,
 * small tuple, list and dict, and every caller (float.c, int.c, tuple.c,
 * list.c, dict.c) passes a constant kind — tuple.c's TUPLE1 + n - 1 a
 * bounded one — so the limit folds to a constant. Nothing here is slow:
 * the misses (no set, an empty or full list) are a return, and the
 * caller's allocation or free is the slow path.
 *
 * The set is the calling thread's and only it writes the lists and the
 * live-object count (mem/heap.h), so plain stores and a single-writer
 * bump suffice. Not _ft_heaps_current but _ft_heaps_objects (mem/heap.h),
 * never NULL: a nogil thread without a set yet finds the closed set's
 * empty and full lists (unpark misses, park declines and o is freed),
 * without the call that creates a set (neither needs a stack frame) and
 * without a test of the pointer. */
static inline ft_freelist *_ft_object_freelist(ft_heap_set *s, int kind)
{
    ft_assert((unsigned)kind < FT_FREELIST_KINDS);
    return &s->freelists.lists[kind];
}

static inline bool _ft_object_park(ft_object *o, int kind)
{
    ft_type *t = o->ob_type;
    bool gc = _ft_freelist_kind_gc((ft_freelist_kind)kind);   /* a constant */
    ft_assert(gc == ((t->tp_flags & FT_TPFLAGS_GC) != 0));
    size_t offset = gc ? _ft_gc_park_offset(t) : 0;
    /* The block must start where a parked block of t starts: gil parks
     * every GC object with its pre-header, nogil only blocks without one
     * (a pre-header means outside obmalloc's pools). The accessor, not
     * _ft_gc_overhead: that is a call into the flavor's gc.c, on every
     * park of a tuple, list or dict; this folds to false in gil and to
     * one bit test in nogil. */
    if (gc && _ft_gc_has_head(o) != (offset != 0))
        return false;
    ft_heap_set *s = _ft_heaps_objects();
    _ft_refcount_check_dead(o);
    if (gc)   /* first: the push overwrites the block's first word */
        _ft_object_untrack_dying(o);
    char *block = (char *)o - offset;
    if (!_ft_freelist_give(_ft_object_freelist(s, kind), (ft_freelist_kind)kind,
                           block))
        return false;
    ft_atomic_bump_single_writer(&s->xlive_objects, -1);
    _ft_trace_park_hook(block);   /* tracemalloc: freed, for the program */
    _ft_object_tag_freed(o);
    return true;
}

static inline ft_object *_ft_object_unpark(int kind, ft_type *t)
{
    ft_heap_set *s = _ft_heaps_objects();
    char *block = (char *)_ft_freelist_take(_ft_object_freelist(s, kind));
    if (!block)
        return NULL;
    ft_atomic_bump_single_writer(&s->xlive_objects, 1);
    bool gc = _ft_freelist_kind_gc((ft_freelist_kind)kind);   /* a constant */
    ft_object *o = (ft_object *)(block + (gc ? _ft_gc_park_offset(t) : 0));
    _ft_trace_reuse_hook(block);   /* tracemalloc: the new owner's traceback */
    /* A float's or int's block keeps its dead object's FT_OBJ_* bits:
     * TYPE_STABLE is still right (the block never left its pool), and
     * nothing locks a float or an int, so no section bit is set; were
     * one set (a program's own section on one), it would only make the
     * new object's owner lock where it could elide. The flags' load,
     * mask and store go from every float and int made (nogil). A GC
     * kind's object (a list, a dict) may well have been locked by
     * another thread: its new life starts with the stable bit alone. */
    uint16_t xflags = gc ? _ft_object_stable_flags(false, o) : 0;
    _ft_object_init_header_parked(o, t, xflags, !gc);
    ft_assert(gc == ((t->tp_flags & FT_TPFLAGS_GC) != 0));
    if (gc)
        _ft_gc_track(o);
    return o;
}

/* Storing v into container c (a list item, a dict value):
 * _ft_object_mark_shared(v), unless
 * the mark would buy nothing yet. The mark has two jobs: it lets a
 * non-owner's lock-free try-incref count v (nogil/brc.c refuses an
 * untouched shared word), and it tells the free path that a lock-free
 * reader may still hold a pointer to v after it died (mem.c,
 * _ft_qsbr_object_maybe_found), so that memory outside the type-stable
 * pools waits for a grace period. Skipped when both hold:
 *   - c looks private (ftlab/refcount.h, _ft_container_private_hint:
 *     owned by the caller, shared word untouched). Only a hint: nothing
 *     below depends on it being right. It keeps the mark where it pays,
 *     on stores into containers other threads already reach;
 *   - v lies in type-stable object memory (mem/obmalloc.h, T1-T3), where
 *     a stale reader's try-incref is safe marked or not: the block holds
 *     an object or a free block, whose words refuse the count
 *     (_ft_object_type_stable: usually one bit of v's header).
 * What an unmarked item costs a non-owner that does reach it: its
 * lock-free try-incref fails, it falls back to the container's lock, and
 * there it marks v (_ft_object_mark_found), so that its later reads are
 * lock-free again. The mark is thus made when another thread first reads
 * v, not on every store by the owner: nbody's floats, stored into lists
 * their thread alone uses, are never marked, and their owner frees them
 * without the merge CAS (nogil/brc.c, _ft_merge_zero_local). */
static inline void _ft_object_mark_stored(ft_object *c, ft_object *v)
{
    /* The skip first, on the header bit alone: it decides the owner's
     * stores of its own new objects (nbody's floats, listsort's ints)
     * with two tests, and needs no test of v's mark: an immortal or
     * sharded v needs none, a marked one no second. The bit before the
     * container: static objects (None, small ints) have no bit and go
     * straight to the mark's test, which they fail. */
    if (_ft_object_type_stable_bit(v) && _ft_container_private_hint(c))
        return;
    if (!_ft_shared_mark_needed(v))
        return;
    if (_ft_container_private_hint(c) && _ft_object_type_stable_unmarked(v))
        return;   /* type-stable without the bit: a GC object (above) */
    if (!_ft_set_shared_inline(v))
        _ft_object_set_shared(v);
}

/* _ft_object_mark_stored for a caller that has tested c's owner already
 * (c_owned is _ft_owned_by_caller(c), ftlab/refcount.h) and needs the
 * answer again for its section (runtime/objects/list.c: ft_list_set,
 * ft_list_append): the same tests, with the owner's load made once. The
 * plain form above stays lazy, for callers that need no owner test
 * afterwards: it loads c's owner only when v's bit or mark asks. */
static ft_always_inline void _ft_object_mark_stored_given(ft_object *c, ft_object *v,
                                                          bool c_owned)
{
    if (_ft_object_type_stable_bit(v) && _ft_container_private_given(c, c_owned))
        return;
    if (!_ft_shared_mark_needed(v))
        return;
    if (_ft_container_private_given(c, c_owned) && _ft_object_type_stable_unmarked(v))
        return;
    if (!_ft_set_shared_inline(v))
        _ft_object_set_shared(v);
}

/* A reader under a container's lock found v there: mark it, as the store
 * may not have (_ft_object_mark_stored). The container's reference keeps
 * v alive while the lock is held, so the mark cannot race v's death.
 * Not when v is the reader's own and unmarked (the same test as a
 * private container's, ftlab/refcount.h): its owner's lock-free reads
 * count it without the mark (_ft_try_incref_owner), and its memory is
 * type-stable, or the store would have marked it; so a dict's owner that
 * looks up its own values under the lock (keys that are not exact str)
 * pays no CAS, and frees them later without the merge. */
static inline void _ft_object_mark_found(ft_object *v)
{
    if (_ft_shared_mark_needed(v) && !_ft_container_private_hint(v) &&
        !_ft_set_shared_inline(v))
        _ft_object_set_shared(v);
}

/* _ft_try_incref with its owner's case inline (ftlab/refcount.h,
 * _ft_try_incref_owner): the optimistic reads of lists and dicts mostly
 * find objects of the reading thread. */
static inline bool _ft_try_incref_inline(ft_object *o)
{
    return _ft_try_incref_owner(o) || _ft_try_incref(o);
}

/* A dying object (count zero) whose type has a finalizer not yet run:
 * runs it with o temporarily alive again, as CPython's
 * PyObject_CallFinalizerFromDealloc. Returns true if the finalizer
 * resurrected o (stored a new reference somewhere): then the caller must
 * not free it. The current error, if any, is kept across the call. */
bool _ft_object_finalize_from_dealloc(ft_object *o);
/* Its refcount side, _ft_refcount_resurrect_start / _end, is a flavor
 * hook: internal/flavor.h, "Refcount". */

/* true if o is an object of exactly type t; otherwise false with
 * "<what>: expected a <t>, not '<o's type>'" (TypeError). */
bool _ft_check_type(ft_object *o, ft_type *t, const char *what);

/* _ft_check_type with its passing case inline: the containers' entry
 * points check their argument on every call, and a call out of line for
 * a compare that almost always passes showed in their profiles. */
static inline bool _ft_check_type_inline(ft_object *o, ft_type *t, const char *what)
{
    return ft_likely(o && o->ob_type == t) || _ft_check_type(o, t, what);
}

/* instance.c: the dealloc of type objects (heap classes only; static
 * types are immortal). */
void _ft_type_dealloc(ft_object *o);

/* _ft_object_fatal (declared in ftlab/refcount.h) aborts with a report
 * naming the object's type (FT_DEBUG checks). */

#endif /* FTLAB_INTERNAL_OBJECT_H */
