/* object.c — what every object shares: allocation, deallocation, the
 * reference-count queries, the generic hash/equality protocol, and the
 * static immortal objects (types, None, True, False). */
#include <stdio.h>
#include <stdlib.h>
#include "internal/gc.h"
#include "internal/object.h"
#include "internal/qsbr.h"
#include "internal/stw.h"
#include "internal/tstate.h"
#include "mem/backend.h"
#include "mem/freelist.h"
#include "mem/heap.h"
#include "tools/traces.h"

/* ---- Allocation ---------------------------------------------------------- */

/* A non-GC object's block: from the OBJECT heap's pools when they serve
 * it (*pooled: type-stable memory), else _ft_mem_alloc_object's fallback
 * (whose own try of the pools fails again at once, or serves a block we
 * then merely do not know to be stable). */
static void *alloc_plain(size_t size, bool *pooled)
{
    void *p = _ft_mem_alloc_object_pooled(FT_HEAP_OBJECT, size);
    *pooled = p != NULL;
    return ft_likely(p) ? p : _ft_mem_alloc_object(FT_HEAP_OBJECT, size);
}

ft_object *_ft_object_alloc(ft_type *t, size_t size)
{
    ft_assert(size >= sizeof(ft_object));
    bool gc = (t->tp_flags & FT_TPFLAGS_GC) != 0;
    /* The collector's allocator does not say where its block came from:
     * "not known" (internal/object.h, _ft_object_type_stable). */
    bool pooled = false;
    ft_object *o = gc ? _ft_gc_alloc_object(size) : alloc_plain(size, &pooled);
    if (!o)
        return NULL;   /* MemoryError set by the allocator */
    _ft_object_init_header(o, t, _ft_object_stable_flags(pooled, NULL));
    if (gc)
        _ft_gc_track(o);
    if (t->tp_flags & FT_TPFLAGS_HEAPTYPE)
        ft_incref(&t->ob_base);   /* instances keep their class alive */
    return o;
}

void _ft_object_free(ft_object *o)
{
    ft_type *t = o->ob_type;
    _ft_object_tag_freed(o);
    if (t->tp_flags & FT_TPFLAGS_GC)
        _ft_gc_free_object(o);
    else
        _ft_mem_free_object(o, o);
    if (t->tp_flags & FT_TPFLAGS_HEAPTYPE)
        ft_decref(&t->ob_base);
}

void _ft_object_free_after_grace(ft_object *o)
{
    ft_type *t = o->ob_type;
    ft_assert(!(t->tp_flags & FT_TPFLAGS_GC));
    _ft_mem_count_object(-1);   /* dead now; its block lives a little longer */
    _ft_qsbr_free(o);
    if (t->tp_flags & FT_TPFLAGS_HEAPTYPE)
        ft_decref(&t->ob_base);
}

void ft_decref_later(ft_object *o)
{
    ft_assert(_ft_is_attached(_ft_tstate_get()));
    _ft_qsbr_decref_later(o);
}

void ft_decref_later_flush(void)
{
    ft_assert(_ft_is_attached(_ft_tstate_get()));
    _ft_qsbr_decref_flush();
}

/* The trashcan (CPython's Py_TRASHCAN_BEGIN/END). Freeing a chain of
 * containers — a list inside a list a million deep — runs tp_dealloc
 * inside tp_dealloc once per level and would overflow the C stack. Past
 * TRASHCAN_DEPTH nested deallocations a dying object is parked on the
 * thread's trash stack instead, and the outermost _ft_dealloc frees what
 * is parked one object at a time, each at depth 1. The stack is a plain
 * array of the thread's own (nothing in the dead object's header is
 * reused: in nogil an optimistic reader may still look at its counts).
 * Initial-exec TLS: the runtime is never dlopen'ed, and this is on every
 * deallocation.
 *
 * Safe points in a chain (internal/stw.h). One outermost _ft_dealloc may
 * free thousands of objects (a tree, a large list) with no checkpoint, and
 * in nogil a thread that asks for a stop-the-world waits for all of that.
 * So (nogil) as every DEALLOC_SAFEPOINT_EVERY-th object of one chain
 * begins to be freed (counted from the outermost call: a decref that
 * frees a few objects never stops), a pending stop request is answered.
 * The state then:
 *   - that object is dead and untracked (dealloc_safepoint), its memory
 *     and its references untouched;
 *   - the objects whose tp_dealloc is still running (the callers up the C
 *     stack) were untracked before it began (dealloc_now), so no
 *     collection examines them, and the references they still hold keep
 *     their children alive and counted, as any other reference;
 *   - the objects parked on the trash stack were untracked when parked
 *     (trash_park), and hold their references as the callers do;
 *   - the thread holds no critical section (checked by the safe point).
 * The stopper may run a collection meanwhile, as a finalizer run by a
 * dealloc may: callers of ft_decref already allow for any code to run. */
#define TRASHCAN_DEPTH 50
/* trash.nest packs the nesting depth (bits 0-15: TRASHCAN_DEPTH, more
 * only when trash_park fails) and, nogil, the objects the outermost call
 * has begun to free (bits 16-31, wrapping harmlessly: 2^16 is a multiple
 * of DEALLOC_SAFEPOINT_EVERY), so that counting costs no load or store of
 * its own on this path of every deallocation. */
enum {
    DEALLOC_SAFEPOINT_EVERY = 64,   /* ~1-2 us of tuple frees */
    NEST_DEPTH_ONE = 1,
    NEST_DEPTH_MASK = 0xffff,
    NEST_CHAIN_ONE = 1 << 16,
    NEST_SAFEPOINT_MASK = (DEALLOC_SAFEPOINT_EVERY - 1) * NEST_CHAIN_ONE,
};
typedef struct trashcan {
    uint32_t nest;
    size_t len, cap;
    ft_object **items;
} trashcan;
static _Thread_local trashcan trash __attribute__((tls_model("initial-exec")));

/* Parks o for later; false when the stack cannot grow (then free now). */
static bool trash_park(ft_object *o)
{
    if (trash.len == trash.cap) {
        size_t cap = trash.cap ? trash.cap * 2 : 256;
        ft_object **items = realloc(trash.items, cap * sizeof *items);
        if (!items)
            return false;
        trash.items = items;
        trash.cap = cap;
    }
    /* Untracked now (CPython's trashcan deposits only untracked objects):
     * with its count of zero, a collection run before it is freed (by a
     * finalizer, or while this thread waits at a safe point) would take
     * it for garbage. What it still refers to stays alive and counted. */
    _ft_object_untrack_dying(o);
    trash.items[trash.len++] = o;
    return true;
}

static void dealloc_now(ft_object *o)
{
    /* A collection that runs inside tp_dealloc (a finalizer or a weakref
     * callback may allocate, a safe point may park for one) must not find
     * o: with a count of zero it would look like garbage and be freed
     * twice. */
    _ft_object_untrack_dying(o);
    o->ob_type->tp_dealloc(o);
}

/* The safe point, before o's own tp_dealloc: o is dead with a count of
 * zero, so it is untracked first (dealloc_now's untrack is then a no-op),
 * and what it refers to is still alive and counted. */
static FT_NOINLINE void dealloc_safepoint(ft_object *o)
{
    _ft_object_untrack_dying(o);
    _ft_stw_dealloc_safepoint();
}

void _ft_dealloc(ft_object *o)
{
#if FT_DEBUG >= 1
    if (_ft_is_freed(o))
        _ft_object_fatal(o, "deallocating an object that was already freed");
#endif
    uint32_t nest = trash.nest;
    if (ft_unlikely((nest & NEST_DEPTH_MASK) >= TRASHCAN_DEPTH) && trash_park(o))
        return;
    bool counted = _ft_stw_has_dealloc_safepoints();
    nest += counted ? NEST_DEPTH_ONE + NEST_CHAIN_ONE : NEST_DEPTH_ONE;
    trash.nest = nest;
    if (counted && ft_unlikely((nest & NEST_SAFEPOINT_MASK) == 0))
        dealloc_safepoint(o);
    dealloc_now(o);
    if ((trash.nest & NEST_DEPTH_MASK) == 1) {
        while (trash.len > 0)
            dealloc_now(trash.items[--trash.len]);
        if (trash.items) {   /* a deep teardown is over: nothing stays per thread */
            free(trash.items);
            trash.items = NULL;
            trash.cap = 0;
        }
        trash.nest = 0;      /* depth 0; the chain is over */
    } else {
        trash.nest -= NEST_DEPTH_ONE;
    }
}

bool _ft_object_finalize_from_dealloc(ft_object *o)
{
    ft_type *t = o->ob_type;
    ft_destructor fin = t->tp_finalize ? t->tp_finalize : t->tp_del;
    if (!fin || !(t->tp_flags & FT_TPFLAGS_GC) || _ft_gc_finalized(o))
        return false;
    ft_err_saved saved;
    _ft_err_fetch(&saved);
    _ft_refcount_resurrect_start(o);
    _ft_gc_track(o);           /* alive again while the finalizer runs */
    _ft_gc_set_finalized(o);   /* after track, which starts flags afresh */
    fin(o);
    _ft_err_write_unraisable("a finalizer", o);
    _ft_err_restore(&saved);
    if (_ft_refcount_resurrect_end(o))
        return true;           /* resurrected: stays tracked */
    _ft_gc_untrack(o);
    return false;
}

_Noreturn void _ft_object_fatal(ft_object *o, const char *what)
{
    fprintf(stderr, "ftlab (%s): %s: object %p of type %s\n", FT_FLAVOR, what,
            (void *)o,
            ((ft_type *)((uintptr_t)o->ob_type & ~FT_FREED_TAG))->tp_name);
    fflush(stderr);
    abort();
}

void _ft_object_init_static(ft_object *o, ft_type *t)
{
    ft_object fresh = FT_OBJECT_HEAD_INIT(t);
    *o = fresh;
}

int64_t _ft_objects_live(void)
{
    ft_mem_stats st;
    ft_mem_get_stats(&st);
    return st.live_objects;
}

/* ---- Queries ------------------------------------------------------------- */

bool ft_is_immortal(ft_object *o) { return o && _ft_is_immortal_inline(o); }

intptr_t ft_refcnt(ft_object *o)
{
    if (!o)
        return ft_err_set(FT_ERR_TYPE, "ft_refcnt: NULL object");
    return _ft_refcount_total(o);
}

size_t ft_sizeof(ft_object *o)
{
    if (!o) {
        ft_err_set(FT_ERR_TYPE, "ft_sizeof: NULL object");
        return 0;
    }
    ft_type *t = o->ob_type;
    size_t gc = (t->tp_flags & FT_TPFLAGS_GC) ? _ft_gc_overhead(o) : 0;
    return gc + (t->tp_sizeof ? t->tp_sizeof(o) : t->tp_basicsize);
}

const char *ft_type_name(const ft_object *o) { return o ? o->ob_type->tp_name : "NULL"; }

bool _ft_check_type(ft_object *o, ft_type *t, const char *what)
{
    if (o && o->ob_type == t)
        return true;
    ft_err_set(FT_ERR_TYPE, "%s: expected a %s, not '%s'", what, t->tp_name,
               o ? o->ob_type->tp_name : "NULL");
    return false;
}

int64_t ft_hash(ft_object *o)
{
    if (!o)
        return ft_err_set(FT_ERR_TYPE, "ft_hash: NULL object");
    ft_hashfunc h = o->ob_type->tp_hash;
    if (!h)
        return ft_err_set(FT_ERR_TYPE, "unhashable type: '%s'",
                          o->ob_type->tp_name);
    return h(o);
}

int ft_equal(ft_object *a, ft_object *b)
{
    if (!a || !b)
        return ft_err_set(FT_ERR_TYPE, "ft_equal: NULL object");
    if (a == b)
        return 1;
    ft_eqfunc eq = a->ob_type->tp_eq;
    if (eq)
        return eq(a, b);
    eq = b->ob_type->tp_eq;
    return eq ? eq(b, a) : 0;
}

/* ---- Static types and singletons ---------------------------------------- */

static void static_dealloc(ft_object *o)
{
    _ft_object_fatal(o, "deallocating an immortal object");
}

static int64_t identity_hash(ft_object *o)
{
    return (int64_t)((uintptr_t)o >> 4);
}

ft_type ft_type_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "type", .tp_basicsize = sizeof(ft_type),
    .tp_dealloc = _ft_type_dealloc, .tp_hash = identity_hash,
    .tp_weaklistoffset = offsetof(ft_type, tp_weaklist),   /* heap classes */
};

ft_type ft_none_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "NoneType", .tp_basicsize = sizeof(ft_object),
    .tp_dealloc = static_dealloc, .tp_hash = identity_hash,
};

static ft_object none_object;
static ft_int_object true_object, false_object;

ft_object *ft_none(void) { return &none_object; }
ft_object *ft_true(void) { return &true_object.ob_base; }
ft_object *ft_false(void) { return &false_object.ob_base; }
ft_object *ft_bool(bool v) { return v ? ft_true() : ft_false(); }

void _ft_int_init_static(void);     /* int.c   */
void _ft_tuple_init_static(void);   /* tuple.c */
void _ft_str_init_static(void);     /* str.c   */

void _ft_objects_init(void)
{
    _ft_object_init_static(&none_object, &ft_none_type);
    _ft_object_init_static(&true_object.ob_base, &ft_bool_type);
    _ft_object_init_static(&false_object.ob_base, &ft_bool_type);
    true_object.value = 1;
    false_object.value = 0;
    _ft_int_init_static();
    _ft_tuple_init_static();
    _ft_str_init_static();
}

ssize_t ft_len(ft_object *o)
{
    if (o && o->ob_type->tp_len)
        return o->ob_type->tp_len(o);
    ft_err_set(FT_ERR_TYPE, "object of type '%s' has no len()",
               o ? o->ob_type->tp_name : "NULL");
    return -1;
}
