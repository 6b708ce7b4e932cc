/* ftlab/refcount.h — reference counting fast paths (DESIGN.md §5).
 *
 * Every object is freed the moment its count reaches zero. What a count
 * costs depends on the flavor:
 *
 *   gil           a plain add under the GIL
 *   nogil         biased: the owner thread adds to ob_ref_local with a
 *                 relaxed load and store (no read-modify-write); any other
 *                 thread adds atomically to ob_ref_shared. When the owner's
 *                 local count reaches zero, or a shared count would go
 *                 below zero, the slow paths in nogil/brc.c merge the two
 *   nogil-atomic  every operation an atomic add on ob_ref_shared: the
 *                 baseline biased counting is measured against
 *
 * Immortal objects are skipped by every operation in every flavor, so
 * shared singletons (None, small ints, types) cause no cache-line traffic.
 * Reported counts (ft_refcnt) are the same in all flavors for the same
 * program.
 *
 * Thread ids. A thread is identified by its thread pointer (the TLS base,
 * %fs on x86-64), as CPython's _Py_ThreadId: free to read, unique among
 * live threads. A new thread may get the pointer of one that exited; it
 * then owns that thread's unmerged objects, which is safe because only one
 * live thread can ever hold a given pointer.
 */
#ifndef FTLAB_REFCOUNT_H
#define FTLAB_REFCOUNT_H

#include <ftlab/atomic.h>
#include <ftlab/debug.h>
#include <ftlab/object.h>

/* Frees an object whose count reached zero (runtime/objects/object.c). */
void _ft_dealloc(ft_object *o);
/* Aborts with a report naming o's type (FT_DEBUG >= 1 checks). */
_Noreturn void _ft_object_fatal(ft_object *o, const char *what);

/* FT_DEBUG >= 1: freeing an object tags the low bit of its ob_type (the
 * allocator's free list overwrites only the first word), so a later use
 * can still name the type. A decref of an object whose count is already
 * zero, or of a freed object, stops the program with a report. */
#define FT_FREED_TAG ((uintptr_t)1)
static inline bool _ft_is_freed(const ft_object *o)
{
    return ((uintptr_t)o->ob_type & FT_FREED_TAG) != 0;
}
/* _FT_CHECK_LIVE runs before the decrement, while our reference still
 * keeps o alive: once it is dropped another thread may free o at once. */
#if FT_DEBUG >= 1
#  define _FT_CHECK_LIVE(o) \
    (ft_unlikely(_ft_is_freed(o)) ? _ft_object_fatal((o), "decref of a freed object") \
                                  : (void)0)
#  define _FT_CHECK_DECREF(o, ok) \
    (ft_unlikely(!(ok)) ? _ft_object_fatal((o), "decref below zero") : (void)0)
#else
#  define _FT_CHECK_LIVE(o) ((void)0)
#  define _FT_CHECK_DECREF(o, ok) ((void)0)
#endif

/* ---- Which path each operation took (FT_RC_STATS builds) ---------------
 * Biased counting pays off only if most operations are the owner's: these
 * counters say what fraction is, per workload (Choi et al. report it for
 * their client programs). Each thread counts in its own TLS block with
 * single-writer relaxed stores; ft_rc_get_stats sums the live threads and
 * those that exited. In other builds the macro is empty and the getter
 * reports zeros and returns false. */
typedef struct ft_rc_stats {
    uint64_t fast;       /* non-atomic: the owner (nogil) or under the GIL */
    uint64_t atomic;     /* an atomic operation: another thread's object,
                            or every operation in nogil-atomic            */
    uint64_t immortal;   /* skipped: an immortal object                   */
    uint64_t queued;     /* nogil: a decref handed to the owner's queue   */
    uint64_t merged;     /* nogil: local and shared counts merged         */
} ft_rc_stats;

bool ft_rc_get_stats(ft_rc_stats *out);   /* false: not an FT_RC_STATS build */
void ft_rc_reset_stats(void);

typedef struct _ft_rc_counters {
    _Atomic uint64_t fast, atomic, immortal, queued, merged;
} _ft_rc_counters;
extern _Thread_local _ft_rc_counters _ft_rc_tls;
#if FT_RC_STATS
#  define _FT_RC_COUNT(field) ft_atomic_bump_single_writer(&_ft_rc_tls.field, 1)
#else
#  define _FT_RC_COUNT(field) ((void)0)
#endif

static inline uintptr_t _ft_thread_id(void)
{
    return (uintptr_t)__builtin_thread_pointer();
}

#if FT_NOGIL
/* Slow paths, nogil/brc.c. */
void _ft_merge_zero_local(ft_object *o);
void _ft_decref_shared(ft_object *o);

static inline bool _ft_is_immortal_inline(ft_object *o)
{
    return ft_atomic_load_relaxed(&o->ob_ref_local) == FT_IMMORTAL_LOCAL;
}
#else
static inline bool _ft_is_immortal_inline(ft_object *o)
{
    return o->ob_refcnt >= FT_IMMORTAL_REFCNT;
}
#endif

/* A new object's header fields other than ob_type and ob_gc_bits (the
 * collector's, set by internal/gc.h): count 1, owned by the calling thread
 * (nogil), not yet shared. */
static inline void _ft_refcount_init(ft_object *o)
{
#if FT_NOGIL
    ft_atomic_store_relaxed(&o->ob_tid, FT_RC_ATOMIC ? 0 : _ft_thread_id());
    o->ob_flags = 0;
    o->ob_mutex = (ft_mutex)FT_MUTEX_INIT;
    ft_atomic_store_relaxed(&o->ob_ref_local, FT_RC_ATOMIC ? 0 : 1);
    ft_atomic_store_relaxed(&o->ob_ref_shared,
                            FT_RC_ATOMIC ? (intptr_t)1 << FT_REF_SHARED_SHIFT : 0);
#else
    o->ob_refcnt = 1;
#endif
}

/* The whole count (ft_refcnt): local + shared in nogil. */
static inline intptr_t _ft_refcount_total(ft_object *o)
{
#if FT_NOGIL
    intptr_t shared = ft_atomic_load_relaxed(&o->ob_ref_shared);
    return (intptr_t)ft_atomic_load_relaxed(&o->ob_ref_local) +
           (shared >> FT_REF_SHARED_SHIFT);
#else
    return o->ob_refcnt;
#endif
}

static inline void ft_incref(ft_object *o)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    uint32_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
    if (ft_unlikely(local == FT_IMMORTAL_LOCAL)) {
        _FT_RC_COUNT(immortal);
        return;
    }
    if (ft_likely(ft_atomic_load_relaxed(&o->ob_tid) == _ft_thread_id())) {
        _FT_RC_COUNT(fast);
        ft_atomic_store_relaxed(&o->ob_ref_local, local + 1);
    } else {
        _FT_RC_COUNT(atomic);
        /* relaxed: an incref publishes nothing; the reference it protects
         * was obtained through some synchronisation already. */
        ft_atomic_add_relaxed(&o->ob_ref_shared,
                              (intptr_t)1 << FT_REF_SHARED_SHIFT);
    }
#elif FT_NOGIL
    if (ft_unlikely(_ft_is_immortal_inline(o))) {
        _FT_RC_COUNT(immortal);
        return;
    }
    _FT_RC_COUNT(atomic);
    ft_atomic_add_relaxed(&o->ob_ref_shared, (intptr_t)1 << FT_REF_SHARED_SHIFT);
#else
    if (ft_unlikely(_ft_is_immortal_inline(o))) {
        _FT_RC_COUNT(immortal);
        return;
    }
    _FT_RC_COUNT(fast);
    o->ob_refcnt++;
#endif
}

static inline void ft_decref(ft_object *o)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    uint32_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
    if (ft_unlikely(local == FT_IMMORTAL_LOCAL)) {
        _FT_RC_COUNT(immortal);
        return;
    }
    _FT_CHECK_LIVE(o);
    if (ft_likely(ft_atomic_load_relaxed(&o->ob_tid) == _ft_thread_id())) {
        _FT_RC_COUNT(fast);
        _FT_CHECK_DECREF(o, local > 0);
        ft_atomic_store_relaxed(&o->ob_ref_local, local - 1);
        if (ft_unlikely(local == 1))
            _ft_merge_zero_local(o);
    } else {
        _FT_RC_COUNT(atomic);
        _ft_decref_shared(o);
    }
#elif FT_NOGIL
    if (ft_unlikely(_ft_is_immortal_inline(o))) {
        _FT_RC_COUNT(immortal);
        return;
    }
    _FT_RC_COUNT(atomic);
    _FT_CHECK_LIVE(o);
    /* acq_rel: the thread that drops the last reference must see every
     * other thread's writes to the object before it frees it (release on
     * each decref, acquire on the last). */
    intptr_t old = ft_atomic_sub_acq_rel(&o->ob_ref_shared,
                                         (intptr_t)1 << FT_REF_SHARED_SHIFT);
    _FT_CHECK_DECREF(o, (old >> FT_REF_SHARED_SHIFT) > 0);
    if (ft_unlikely((old >> FT_REF_SHARED_SHIFT) == 1))
        _ft_dealloc(o);
#else
    if (ft_unlikely(_ft_is_immortal_inline(o))) {
        _FT_RC_COUNT(immortal);
        return;
    }
    _FT_RC_COUNT(fast);
    _FT_CHECK_LIVE(o);
    _FT_CHECK_DECREF(o, o->ob_refcnt > 0);
    if (--o->ob_refcnt == 0)
        _ft_dealloc(o);
#endif
}

static inline void ft_xincref(ft_object *o)
{
    if (o)
        ft_incref(o);
}

static inline void ft_xdecref(ft_object *o)
{
    if (o)
        ft_decref(o);
}

/* Returns a new reference to o (for `return ft_newref(x);`). */
static inline ft_object *ft_newref(ft_object *o)
{
    ft_incref(o);
    return o;
}

#endif /* FTLAB_REFCOUNT_H */
