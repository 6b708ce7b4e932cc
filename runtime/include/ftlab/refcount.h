/* ftlab/refcount.h — reference counting fast paths (docs/architecture.md,
 * "Objects and reference counts").
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
 * program, except for sharded objects (below).
 *
 * Sharded objects (nogil flavors; nogil/shard.c). An object
 * that every thread uses at once (a function, a class, a module) would
 * serialise them on its count: every other thread's incref/decref is an
 * atomic read-modify-write of one cache line. ft_object_shard(o) spreads
 * o's count over the threads instead: each thread adds its increfs and
 * decrefs to its own counter for o (a TLS array indexed by o's shard
 * index, kept in ob_tid), with a plain add. The object cannot die while
 * sharded, because no thread sees the whole count; ft_object_unshard_all
 * (world stopped) adds every thread's counters back into the object and
 * frees those whose count was zero. A thread that exits adds its counters
 * to the objects' shared words first. Sharding is exact (no reference is
 * ever lost), unlike immortalisation; it costs nothing on the owner's
 * path (invariant O below) and one compare on the non-owner's, after the
 * immortal test.
 *
 * Thread ids. A thread is identified by its thread pointer (the TLS base,
 * %fs on x86-64), as CPython's _Py_ThreadId: free to read, unique among
 * live threads. A new thread may get the pointer of one that exited; it
 * then owns that thread's unmerged objects, which is safe because only one
 * live thread can ever hold a given pointer.
 *
 * Invariant O (nogil): an object whose ob_tid is a thread's id is mortal
 * and not sharded. Immortal objects are static with ob_tid 0
 * (FT_OBJECT_HEAD_INIT; nothing makes an object immortal later), a
 * sharded object's ob_tid is its small shard index, and the collector's
 * borrowed ob_tid (internal/gc.h) is a small index too. So the owner test
 * alone selects the owner's path of ft_incref/ft_decref: a load of ob_tid,
 * a compare with the thread pointer, then the plain add on ob_ref_local,
 * with no test of the local count (CPython 3.13 tests immortality first;
 * here that test moves to the non-owner's path, where None, small ints
 * and types land anyway because their ob_tid is 0).
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
    _Atomic uint64_t xfast, xatomic, ximmortal, xqueued, xmerged;
} _ft_rc_counters;
extern _Thread_local _ft_rc_counters _ft_rc_tls;
/* _FT_RC_COUNT(fast) bumps xfast: the argument names the ft_rc_stats
 * field the counter feeds. */
#if FT_RC_STATS
#  define _FT_RC_COUNT(field) ft_atomic_bump_single_writer(&_ft_rc_tls.x##field, 1)
#else
#  define _FT_RC_COUNT(field) ((void)0)
#endif

static ft_always_inline uintptr_t _ft_thread_id(void)
{
    return (uintptr_t)__builtin_thread_pointer();
}

#if FT_NOGIL
/* Is o owned by the calling thread, so that it may count on ob_ref_local
 * with plain stores? The test of every biased fast path. No owner reads
 * as 0 (merged objects, and every object in nogil-atomic), and a sharded
 * object's ob_tid holds a small index, never a thread pointer. Relaxed
 * is enough: a thread's own id is stored into ob_tid only by that thread
 * (or put back with the world stopped), so it reads its own id exactly,
 * and any other value, even a stale one, means "not mine". */
static ft_always_inline bool _ft_is_owned(ft_object *o)
{
    return ft_atomic_load_relaxed(&o->ob_tid) == _ft_thread_id();
}

/* Slow paths, nogil/brc.c. */
void _ft_merge_zero_local(ft_object *o);
void _ft_decref_shared(ft_object *o);

/* ---- Sharded counts (nogil/shard.c) ----------------------------
 * ob_ref_local == FT_SHARDED_LOCAL marks a sharded object; its ob_tid is
 * then its index in the shard table (never a thread pointer, so no thread
 * takes the owner's path for it), and its count is
 *   (ob_ref_shared >> 2) - FT_SHARD_BIAS + the sum over threads of
 *   their counters[index].
 * The bias keeps the shared word's count far above zero, so that a thread
 * that still read the old local count and counts on ob_ref_shared (the
 * non-owner path, exact in both states) can never see it reach zero. */
#  define FT_SHARDED_LOCAL (UINT32_MAX - 1)
#  define FT_SHARD_BIAS ((intptr_t)1 << 40)
typedef struct _ft_shard_block {
    intptr_t *counts;                  /* this thread's counter per index  */
    size_t len;                        /* entries in counts                */
    struct _ft_shard_block *next, *prev;   /* every thread's block (shard.c
                                              lock), once it has counts  */
    bool closed;                       /* folded at thread exit: count on
                                          ob_ref_shared from then on     */
} _ft_shard_block;
extern _Thread_local _ft_shard_block _ft_shard_tls
    __attribute__((tls_model("initial-exec")));
/* An index past this thread's array (grows it), or an object whose index
 * is not yet visible to us (counts on ob_ref_shared). */
void _ft_shard_add_slow(ft_object *o, intptr_t delta);
/* _ft_shard_add out of line, for the inline incref and decref: a sharded
 * object is rare, and its inline add doubled the size of every count
 * site (ftpy's loop: 36.5 -> 33.8 KB in nogil without it, which is what
 * keeps the hot handlers inside the instruction cache). */
void _ft_shard_add_out(ft_object *o, intptr_t delta);
/* Single writer: the counter is this thread's own, a plain add. */
static inline void _ft_shard_add(ft_object *o, intptr_t delta)
{
    uintptr_t i = ft_atomic_load_relaxed(&o->ob_tid);
    if (ft_likely(i < _ft_shard_tls.len))
        _ft_shard_tls.counts[i] += delta;
    else
        _ft_shard_add_slow(o, delta);
}

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
 * (nogil), not yet shared; its FT_OBJ_* flags are xflags (nogil: 0 or
 * FT_OBJ_TYPE_STABLE, internal/object.h; ignored in gil). */
static inline void _ft_refcount_init_flags(ft_object *o, uint16_t xflags)
{
#if FT_NOGIL
    ft_atomic_store_relaxed(&o->ob_tid, FT_RC_ATOMIC ? 0 : _ft_thread_id());
    ft_atomic_store_relaxed(&o->ob_xflags, xflags);
    o->ob_mutex = (ft_mutex)FT_MUTEX_INIT;
    ft_atomic_store_relaxed(&o->ob_ref_local, FT_RC_ATOMIC ? 0 : 1);
    ft_atomic_store_relaxed(&o->ob_ref_shared,
                            FT_RC_ATOMIC ? (intptr_t)1 << FT_REF_SHARED_SHIFT : 0);
#else
    (void)xflags;
    o->ob_refcnt = 1;
#endif
}

static inline void _ft_refcount_init(ft_object *o)
{
    _ft_refcount_init_flags(o, 0);
}

/* _ft_refcount_init_flags for a parked block (internal/object.h,
 * _ft_object_unpark): a dead object of a free list, whose ob_mutex is
 * left as its death left it — unlocked, with no waiter's mark. A thread
 * that holds an object's lock, or waits for it, holds a reference, so the
 * count cannot reach zero before its unlock (which clears the waiters'
 * mark with the last of them); nothing writes a dead object's mutex, and
 * the free list's link covers only ob_tid. One store less on every float,
 * int, tuple, list and dict taken from a free list; _ft_refcount_check_dead
 * asserts it where the block is parked. keep_flags (a constant at each
 * caller): the dead object's FT_OBJ_* bits stay too and xflags is
 * ignored, for blocks whose bits are right as they are (the caller says
 * why). */
static inline void _ft_refcount_init_parked(ft_object *o, uint16_t xflags,
                                            bool keep_flags)
{
#if FT_NOGIL
    ft_atomic_store_relaxed(&o->ob_tid, FT_RC_ATOMIC ? 0 : _ft_thread_id());
    if (!keep_flags)
        ft_atomic_store_relaxed(&o->ob_xflags, xflags);
    ft_atomic_store_relaxed(&o->ob_ref_local, FT_RC_ATOMIC ? 0 : 1);
    ft_atomic_store_relaxed(&o->ob_ref_shared,
                            FT_RC_ATOMIC ? (intptr_t)1 << FT_REF_SHARED_SHIFT : 0);
#else
    (void)keep_flags;
    _ft_refcount_init_flags(o, xflags);
#endif
}

/* What _ft_refcount_init_parked relies on, checked as a dead object is
 * parked (FT_DEBUG >= 1): its mutex neither held nor waited for. */
static inline void _ft_refcount_check_dead(ft_object *o)
{
#if FT_NOGIL && FT_DEBUG >= 1
    if (ft_atomic_load_relaxed(&o->ob_mutex.xbits) != 0)
        _ft_object_fatal(o, "parking an object whose mutex is in use");
#else
    (void)o;
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

/* Is o's count exactly 1 — for a caller that holds a reference, is that
 * reference the only one? ftpy's binary_op writes an int or float result
 * into such an operand (a temporary nobody else can see). Biased nogil:
 * local count 1 and a shared word of 0: two loads, a subtract and an OR
 * that sets the flags for the branch, where _ft_refcount_total's sum (two
 * loads, a shift, an add, then the compare) takes one more (callgrind,
 * raytrace: -0.36M instructions in nogil). A shared word holding only
 * flag bits, or a local count that another thread's decref balanced on
 * the shared word (a negative shared count), reads as "not one": a reuse
 * missed, never a wrong one. Relaxed loads, as _ft_refcount_total's: the
 * caller's reference keeps the count at 1 or more, and a count of exactly
 * 1 that is the caller's cannot change under it. gil and nogil-atomic:
 * the whole count. */
static ft_always_inline bool _ft_refcount_is_one(ft_object *o)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    uintptr_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
    uintptr_t shared = (uintptr_t)ft_atomic_load_relaxed(&o->ob_ref_shared);
    return ((local - 1) | shared) == 0;
#else
    return _ft_refcount_total(o) == 1;
#endif
}

#if FT_NOGIL
/* The unlikely branch of both nogil flavors: immortal (nothing to do) or
 * sharded (this thread's counter). Counted as "fast": no atomic. */
static inline void _ft_incref_special(ft_object *o, uint32_t local)
{
    if (local == FT_IMMORTAL_LOCAL) {
        _FT_RC_COUNT(immortal);
        return;
    }
    _FT_RC_COUNT(fast);
    _ft_shard_add_out(o, 1);
}
static inline void _ft_decref_special(ft_object *o, uint32_t local)
{
    if (local == FT_IMMORTAL_LOCAL) {
        _FT_RC_COUNT(immortal);
        return;
    }
    _FT_RC_COUNT(fast);
    _FT_CHECK_LIVE(o);
    _ft_shard_add_out(o, -1);   /* never the last: unshard frees the dead */
}
#endif

/* Does storing o where other threads can find it still need
 * _ft_object_set_shared (internal/object.h, _ft_object_mark_shared)?
 * The mark never goes away, so a relaxed read that sees it is final; a
 * read that misses it only costs the call, which re-checks. gil: never
 * (nothing to mark). Biased: o's shared word is still untouched (INIT)
 * and o is neither immortal nor sharded. All-atomic: the flag is unset. */
static inline bool _ft_shared_mark_needed(ft_object *o)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    return ft_atomic_load_relaxed(&o->ob_ref_local) < FT_SHARDED_LOCAL &&
           ft_atomic_load_relaxed(&o->ob_ref_shared) == FT_REF_INIT;
#elif FT_NOGIL
    return !(ft_atomic_load_relaxed(&o->ob_ref_shared) & FT_REF_MAYBE_WEAKREF);
#else
    (void)o;
    return false;
#endif
}

/* _ft_is_owned in every flavor: false in gil and in nogil-atomic (no
 * owner). For a caller that needs one object's owner test for several
 * things (runtime/objects/list.c: the store's mark, then the section):
 * the owner is loaded once, where each relaxed load would be made again
 * (the compiler merges no atomic loads). The answer stays right while
 * the caller neither passes a checkpoint nor parks: only the calling
 * thread, or a collector that stopped the world, takes an object from
 * its owner (invariant F below). */
static ft_always_inline bool _ft_owned_by_caller(ft_object *o)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    return _ft_is_owned(o);
#else
    (void)o;
    return false;
#endif
}

/* _ft_container_private_hint (below) with its owner test made by the
 * caller: owned is _ft_owned_by_caller(c). */
static inline bool _ft_container_private_given(ft_object *c, bool owned)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    return owned && ft_atomic_load_relaxed(&c->ob_ref_shared) == FT_REF_INIT;
#else
    (void)c, (void)owned;
    return false;
#endif
}

/* Is container c, as far as its header tells, the calling thread's
 * alone: owned by it (biased counting) with its shared word untouched —
 * never counted by another thread, never marked shared, so never stored
 * where others find it? A HINT, not a proof: a program may hand c's
 * pointer to another thread by other means (a thread's argument, a C
 * global), and nothing in c records that. Use it only to skip work whose
 * absence a non-owner survives (internal/object.h,
 * _ft_object_mark_stored), never to skip a lock. False in gil and in
 * nogil-atomic (no owner). */
static inline bool _ft_container_private_hint(ft_object *c)
{
    return _ft_container_private_given(c, _ft_owned_by_caller(c));
}

/* The mark itself, inline where it is one CAS (biased counting: INIT to
 * MAYBE_WEAKREF, exactly _ft_object_set_shared's biased case in
 * nogil/brc.c, which says why release); false where the caller must call
 * _ft_object_set_shared (all-atomic counts; gil never gets here). Only
 * after _ft_shared_mark_needed said yes: o is neither immortal nor
 * sharded, and a failed CAS means another thread marked or counted o
 * first, which is as good. */
static inline bool _ft_set_shared_inline(ft_object *o)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    intptr_t init = FT_REF_INIT;
    ft_atomic_cas_release(&o->ob_ref_shared, &init, FT_REF_MAYBE_WEAKREF);
    return true;
#else
    (void)o;
    return false;
#endif
}

/* Invariant F (biased nogil): while o's ob_tid reads as the calling
 * thread's id, only the calling thread can free o. Another thread frees
 * an object only once its counts are merged (ob_tid 0: _ft_decref_shared
 * deallocates MERGED objects only), and ob_tid goes from an id to 0 only
 * in that thread (its merges at a checkpoint, at its last decref, at its
 * exit) or with the world stopped (nogil/brc.c, nogil/shard.c); a thread
 * that exits merges every object it owns first, so an id reused by a new
 * thread names no object of the old one; and a free block's ob_tid (the
 * free list's link, mem/obmalloc.h T3) is a block address, never a
 * thread pointer. Hence a lock-free reader that loads pointer v from a
 * container's slot, then finds v owned by itself with a local count
 * above zero (_ft_try_incref_owner), counts the object that was in the
 * slot: if it had died since, its death — our own act, made after the
 * write that took it out of the slot (the decref that let us free it
 * synchronised with that writer: an acq_rel CAS on ob_ref_shared, or the
 * merge queue's lock) — would precede the read, which then could not
 * see the pointer again unless it was stored anew, alive. So
 * ft_list_get's owner read (runtime/objects/list.c, list_try_get) needs
 * no re-check of the slot, as long as no checkpoint, decref or
 * allocation of the reader's runs between the slot load and the
 * incref. Immortal objects are static and never freed: none either.
 * For the same reason a reader that only looks at such an object (a
 * dict's lock-free lookup comparing a str key of its own,
 * runtime/objects/dict.c, match_str_key) needs no reference at all while
 * none of its own checkpoints, decrefs or allocations runs: only it could
 * free the object (_ft_owned_alive). */

/* F's test without the count: o, loaded from a container's slot, is the
 * calling thread's and alive (local count above zero; a dying o is ours
 * to be freeing, never a slot's). False where there is no owner (gil,
 * nogil-atomic): the caller takes a reference instead. */
static inline bool _ft_owned_alive(ft_object *o)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    return _ft_is_owned(o) && ft_atomic_load_relaxed(&o->ob_ref_local) != 0;
#else
    (void)o;
    return false;
#endif
}

/* The common cases of _ft_try_incref, inline (internal/object.h,
 * _ft_try_incref_inline): true with a reference taken when o is owned by
 * the calling thread and alive (nogil: local count 1.. below the sharded
 * mark; gil: any live count) or, in biased nogil, immortal; false when
 * the full function must decide (another owner, sharded, all-atomic
 * counts, or a dying o — which it refuses again). The owner's local
 * count is its own to read and write, exactly as in ft_incref. */
static inline bool _ft_try_incref_owner(ft_object *o)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    /* Owned means mortal and unsharded (invariant O above), so only a
     * dying o (local 0) is left to refuse. A stale pointer's block reads
     * as ours only if it was reused for an object of ours: then this
     * counts that object, and the caller's re-check drops it again
     * (where F above does not rule the stale pointer out). */
    if (ft_likely(_ft_is_owned(o))) {
        uint32_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
        if (ft_likely(local != 0)) {
            _FT_RC_COUNT(fast);
            ft_atomic_store_relaxed(&o->ob_ref_local, local + 1);
            return true;
        }
        return false;
    }
    /* Immortal (None, small ints, ...: any thread's items): nothing to
     * count, as the first test of _ft_try_incref. */
    return ft_atomic_load_relaxed(&o->ob_ref_local) == FT_IMMORTAL_LOCAL;
#elif FT_NOGIL
    (void)o;
    return false;
#else
    /* unsigned: 0 (dying) wraps above the bound, as immortal counts are */
    if ((uintptr_t)o->ob_refcnt - 1 < (uintptr_t)FT_IMMORTAL_REFCNT - 1) {
        _FT_RC_COUNT(fast);
        o->ob_refcnt++;
        return true;
    }
    return false;
#endif
}

/* ft_incref where it needs no call: true with the reference taken —
 * always in gil, and in the nogil flavors for any object but a sharded
 * one — false, nothing done, for a sharded object, whose counter may
 * need _ft_shard_add_slow. For callers whose usual case must stay a leaf
 * (runtime/objects/list.c, ft_list_set): they take the full path out of
 * line on false. ft_incref is this and the sharded add. */
static ft_always_inline bool _ft_incref_leaf(ft_object *o)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    /* The owner test first: it alone selects the owner's path (O above). */
    if (ft_likely(_ft_is_owned(o))) {
        _FT_RC_COUNT(fast);
        uint32_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
        ft_atomic_store_relaxed(&o->ob_ref_local, local + 1);
        return true;
    }
    /* Immortal objects (never owned) are tested first here, as they are
     * the usual non-owner case of one thread's program (None, small ints,
     * types): one compare and a branch out. */
    uint32_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
    if (local == FT_IMMORTAL_LOCAL) {
        _FT_RC_COUNT(immortal);
        return true;
    }
    if (ft_unlikely(local == FT_SHARDED_LOCAL))
        return false;
    _FT_RC_COUNT(atomic);
    /* relaxed: an incref publishes nothing; the reference it protects
     * was obtained through some synchronisation already. */
    ft_atomic_add_relaxed(&o->ob_ref_shared, (intptr_t)1 << FT_REF_SHARED_SHIFT);
    return true;
#elif FT_NOGIL
    uint32_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
    if (ft_unlikely(local >= FT_SHARDED_LOCAL)) {
        if (local != FT_IMMORTAL_LOCAL)
            return false;
        _FT_RC_COUNT(immortal);
        return true;
    }
    _FT_RC_COUNT(atomic);
    ft_atomic_add_relaxed(&o->ob_ref_shared, (intptr_t)1 << FT_REF_SHARED_SHIFT);
    return true;
#else
    if (ft_unlikely(_ft_is_immortal_inline(o))) {
        _FT_RC_COUNT(immortal);
        return true;
    }
    _FT_RC_COUNT(fast);
    o->ob_refcnt++;
    return true;
#endif
}

static ft_always_inline void ft_incref(ft_object *o)
{
#if FT_NOGIL
    if (ft_unlikely(!_ft_incref_leaf(o)))
        _ft_incref_special(o, FT_SHARDED_LOCAL);   /* sharded */
#else
    (void)_ft_incref_leaf(o);
#endif
}

/* Why the owner's death test and the immortal test stay inline (biased
 * nogil). gcc prices each atomic builtin like a call when it decides
 * what to inline, so this body makes a small caller look big: a C
 * program's helper that gets, reads and drops one item (the nbody
 * workload's getf/setf) is inlined in gil and called in nogil. Moving
 * everything but the owner's add into one out-of-line call (tried in
 * issue 16 round 7: a plain owner load, one call site for death, immortal,
 * sharded and shared) inlines those helpers again, but the call then
 * costs every death and every immortal decref ~10 instructions: under
 * callgrind, nbody -3.8% but tuple-churn +3.1%, listsort +0.6%, and
 * ftpy's richards +1.7%, nbody +2.1% (None, True, small ints; floats
 * dying per store). Only the sharded path, rare, could move out. */
static ft_always_inline void ft_decref(ft_object *o)
{
#if FT_NOGIL && !FT_RC_ATOMIC
    /* The owner test first: it alone selects the owner's path (O above). */
    if (ft_likely(_ft_is_owned(o))) {
        _FT_RC_COUNT(fast);
        _FT_CHECK_LIVE(o);
        uint32_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
        _FT_CHECK_DECREF(o, local > 0);
        ft_atomic_store_relaxed(&o->ob_ref_local, local - 1);
        if (ft_unlikely(local == 1)) {
            /* The usual death: nobody else ever counted o. acquire: as in
             * _ft_merge_zero_local, which decides every other case. */
            if (ft_atomic_load_acquire(&o->ob_ref_shared) == 0)
                _ft_dealloc(o);
            else
                _ft_merge_zero_local(o);
        }
        return;
    }
    uint32_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
    if (local == FT_IMMORTAL_LOCAL) {   /* first, as in ft_incref */
        _FT_RC_COUNT(immortal);
        return;
    }
    if (ft_unlikely(local == FT_SHARDED_LOCAL)) {
        _ft_decref_special(o, local);
        return;
    }
    _FT_RC_COUNT(atomic);
    _FT_CHECK_LIVE(o);
    _ft_decref_shared(o);
#elif FT_NOGIL
    uint32_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
    if (ft_unlikely(local >= FT_SHARDED_LOCAL)) {
        _ft_decref_special(o, local);
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

static ft_always_inline void ft_xincref(ft_object *o)
{
    if (o)
        ft_incref(o);
}

static ft_always_inline void ft_xdecref(ft_object *o)
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

/* ---- Critical sections on objects (biased nogil) -------------------------
 * An object's owner may skip the lock of a short section on it while no
 * other thread has ever locked it — CPython's _Py_IsOwnedByCurrentThread
 * fast paths, for sections. The containers' hottest writes (ft_list_set,
 * ft_list_append, a dict store with a str key) run in such ELIDABLE
 * sections (FT_BEGIN_ELIDABLE_SECTION_OBJ, ftlab/object.h): one thread
 * filling and updating its own list or dict pays no lock CAS and no
 * unlock CAS.
 *
 * How an object stops being private. Any thread can reach any object
 * whose pointer it is given (a container, a thread's argument, a C
 * global): no mark records that. So the test is made where it matters,
 * by the thread that would lock: before its first section on an object it
 * does not own, a thread SETTLES it (mutex.c, _ft_cs_settle), and every
 * section on an object goes through the macros of ftlab/object.h, which
 * do that. Settling sets FT_OBJ_LOCKING (the owner locks from then on)
 * and then FT_OBJ_SETTLED once no elided section that began before can
 * still be running; until SETTLED nobody but the owner may lock.
 *
 * Invariant E (biased nogil): while a thread other than o's owner holds
 * o's lock, or has settled o, no elided section on o is running, and none
 * begins; so an elided section excludes every locked one, as a lock
 * would. Lock-free readers (ft_list_get) need no exclusion: they already
 * run beside locked writers, whose stores an elided section makes alike.
 *
 * Why it holds (Dekker, with an asymmetric fence):
 *   owner, elided begin        settler
 *   slot := o (relaxed)        LOCKING into ob_xflags (a CAS)
 *   compiler fence             membarrier(PRIVATE_EXPEDITED)
 *   flags := ob_xflags         wait while any thread's slot == o
 *   LOCKING? undo, lock        SETTLED into ob_xflags (release)
 * The membarrier makes every running thread execute a full fence, so
 * either the owner's slot store is visible to the settler's scan (it
 * waits for the section to end: slot := idle, release) or the owner's
 * load comes after the fence and sees LOCKING. That costs the owner no
 * fence at all, and the settler one system call — only if the owner ever
 * elided on o: the owner's FIRST elision on o sets FT_OBJ_ELIDED with an
 * atomic OR, ordered against the settler's CAS, and an object never
 * elided settles with one CAS. Elided sections must not detach, park,
 * checkpoint, lock anything or run arbitrary code (a settler spins until
 * they end); the list writes that use one only store and may ft_malloc,
 * a dict store also compares str keys (runtime/objects/dict.c).
 * A collector that stopped the world settles at once: every other thread
 * stopped outside any elided section.
 * Threads whose kernel lacks the expedited membarrier never elide. */
/* o's FT_OBJ_ELIDED / LOCKING / SETTLED bits (tests, debugging); 0 where
 * sections are never elided (gil, nogil-atomic, FT_NO_OBJECT_LOCKS). */
static inline unsigned _ft_object_elide_state(ft_object *o)
{
#if FT_NOGIL && !FT_RC_ATOMIC && !FT_NO_OBJECT_LOCKS
    return ft_atomic_load_acquire(&o->ob_xflags) &
           (FT_OBJ_ELIDED | FT_OBJ_LOCKING | FT_OBJ_SETTLED);
#else
    (void)o;
    return 0;
#endif
}

/* mutex.c; flags is o's ob_xflags (a field of the nogil header only). */
void _ft_cs_settle(ft_object *o, _Atomic uint16_t *flags);
/* mutex.c: the owner's elided begin past its usual flags (below); flags
 * is o's ob_xflags, f what the begin loaded from it. */
bool _ft_cs_elide_flags_slow(_Atomic uint16_t *flags, uint16_t f);
#if FT_NOGIL && !FT_RC_ATOMIC && !FT_NO_OBJECT_LOCKS

/* Before locking o: settle it first if it is not ours and not yet
 * settled. acquire: pairs with the settler's release of SETTLED (the
 * writes of the owner's last elided section are visible to us). */
static ft_always_inline void _ft_cs_settle_obj(ft_object *o)
{
    if (ft_unlikely(!(ft_atomic_load_acquire(&o->ob_xflags) & FT_OBJ_SETTLED)) &&
        !_ft_is_owned(o))
        _ft_cs_settle(o, &o->ob_xflags);
}

static ft_always_inline void _ft_cs_begin_obj(ft_critical_section *c, ft_object *o)
{
    _ft_cs_settle_obj(o);
    _ft_cs_begin(c, &o->ob_mutex);
}

static inline void _ft_cs_begin_obj2(ft_critical_section *c, ft_object *a,
                                     ft_object *b)
{
    _ft_cs_settle_obj(a);
    _ft_cs_settle_obj(b);
    _ft_cs_begin2(c, &a->ob_mutex, &b->ob_mutex);
}

/* The owner's elided begin (see above); false: lock instead. It writes
 * nothing into the section's ft_critical_section: whether the section
 * was elided stays in a local of FT_BEGIN_ELIDABLE_SECTION_OBJ, which
 * the compiler keeps in a register, where a field of the section (whose
 * address the locked path publishes, and which any store of the section
 * might alias) is stored at the begin and loaded again at the end. */
static ft_always_inline bool _ft_cs_try_elide(ft_object *o)
{
    /* The slot is named, never reached through a pointer to it: GCC's
     * UBSan (the asan preset) reported such a pointer as null in a
     * static executable (ftpy) where the same code in a unit test did
     * not. Idle (ftlab/mutex.h) means registered and not nested: one
     * compare; a thread not yet registered registers in the slow call. */
    if (!_ft_is_owned(o))
        return false;
    if (ft_unlikely(ft_atomic_load_relaxed(&_ft_cs_elide_tls.xobj) != _FT_CS_IDLE) &&
        !_ft_cs_elide_register())
        return false;   /* nested in an elided section, or unavailable */
    ft_atomic_store_relaxed(&_ft_cs_elide_tls.xobj, o);
    /* The owner's half of the fence pair above: only the compiler must
     * keep the slot store before the flags load. One load of the flags,
     * after the slot store, and one test: the owner's usual elision
     * finds ELIDED without LOCKING; anything else (its first elision, a
     * settled object, whose slot store is undone before a lock CAS that
     * dwarfs it) is decided out of line. */
    atomic_signal_fence(memory_order_seq_cst);
    uint16_t f = ft_atomic_load_relaxed(&o->ob_xflags);
    if (ft_unlikely((f & (FT_OBJ_ELIDED | FT_OBJ_LOCKING)) != FT_OBJ_ELIDED))
        return _ft_cs_elide_flags_slow(&o->ob_xflags, f);
    return true;
}

/* _ft_cs_try_elide without its calls, for _ft_cs_try_begin_unlocked
 * (below), with the owner test made by the caller (owned is
 * _ft_owned_by_caller(o)): true in the owner's usual elision (its slot idle, o ELIDED
 * and not LOCKING); false, with the slot as it was, in every other case
 * (not the owner, nested, not yet registered, the first elision, a
 * settled object), which the caller's full elidable section decides. */
static ft_always_inline bool _ft_cs_try_elide_leaf(ft_object *o, bool owned)
{
    if (!owned || ft_atomic_load_relaxed(&_ft_cs_elide_tls.xobj) != _FT_CS_IDLE)
        return false;
    ft_atomic_store_relaxed(&_ft_cs_elide_tls.xobj, o);
    atomic_signal_fence(memory_order_seq_cst);   /* as in _ft_cs_try_elide */
    uint16_t f = ft_atomic_load_relaxed(&o->ob_xflags);
    if (ft_likely((f & (FT_OBJ_ELIDED | FT_OBJ_LOCKING)) == FT_OBJ_ELIDED))
        return true;
    /* Undone as _ft_cs_elide_flags_slow undoes a settled object's
     * begin: release, as every clear of the slot (a settler that saw it
     * set waits for this store). */
    ft_atomic_store_release(&_ft_cs_elide_tls.xobj, _FT_CS_IDLE);
    return false;
}

/* elided: what _ft_cs_try_elide returned at the begin; c is used only
 * where it did not elide (a locked section). */
static ft_always_inline bool _ft_cs_begin_elidable(ft_critical_section *c, ft_object *o)
{
    if (ft_likely(_ft_cs_try_elide(o)))
        return true;
    _ft_cs_begin_obj(c, o);
    return false;
}

static ft_always_inline void _ft_cs_end_elidable(ft_critical_section *c, bool elided)
{
    if (ft_likely(elided)) {
        /* release: the section's writes happen before the settler that
         * sees the slot clear (acquire). */
        ft_atomic_store_release(&_ft_cs_elide_tls.xobj, _FT_CS_IDLE);
        return;
    }
    _ft_cs_end(c, false);
}
#endif

/* An elidable section split in two, for a caller whose usual case must
 * stay a leaf without a stack frame (runtime/objects/list.c,
 * ft_list_set): _ft_cs_try_begin_unlocked(o, owned) begins the section
 * without a lock and without a call where it can — always in gil (the GIL is the
 * section), the owner's usual elision in biased nogil
 * (_ft_cs_try_elide_leaf) — and returns true; false (nogil-atomic,
 * FT_NO_OBJECT_LOCKS, or any biased case that needs a call) means
 * nothing began: the caller runs the same section out of line under
 * FT_BEGIN_ELIDABLE_SECTION_OBJ, which registers, elides or locks. The
 * section's rules are those of elided sections above. owned is
 * _ft_owned_by_caller(o), which the caller has for its store's mark
 * already (internal/object.h, _ft_object_mark_stored_given): the elision
 * needs the same test, and reusing it spares a load and a compare.
 * _ft_cs_end_unlocked ends a section begun so. */
static ft_always_inline bool _ft_cs_try_begin_unlocked(ft_object *o, bool owned)
{
#if FT_NOGIL && !FT_RC_ATOMIC && !FT_NO_OBJECT_LOCKS
    return _ft_cs_try_elide_leaf(o, owned);
#else
    (void)o, (void)owned;
    return !FT_NOGIL;
#endif
}

static ft_always_inline void _ft_cs_end_unlocked(void)
{
#if FT_NOGIL && !FT_RC_ATOMIC && !FT_NO_OBJECT_LOCKS
    /* release: as in _ft_cs_end_elidable */
    ft_atomic_store_release(&_ft_cs_elide_tls.xobj, _FT_CS_IDLE);
#endif
}

/* ---- Releasing after a grace period (internal/qsbr.h) -------------------
 * ft_decref_later(o): drops the caller's reference to o once every thread
 * that may have read a pointer to o without taking a reference has passed
 * a checkpoint or detached (a QSBR grace period). For a value just taken
 * out of a structure whose readers keep borrowed pointers until their
 * next checkpoint (ftpy's class attribute caches): such a reader may
 * still take a reference to o, or use it, in the meantime. The drop runs
 * later on some attached thread at a checkpoint (where o's dealloc may
 * run anything), in ft_decref_later_flush, or in ft_fini. At once in the
 * gil build, and when the caller is the only registered thread. NULL is
 * allowed. The caller must be attached.
 * ft_decref_later_flush: waits for the grace periods of every reference
 * handed in so far (and of those their drops hand in) and drops them
 * (attached caller; it is offline while it waits). */
void ft_decref_later(ft_object *o);
void ft_decref_later_flush(void);

/* ---- Sharding (see the top of this file; nogil/shard.c) ------
 * ft_object_shard(o): spreads o's count over the threads. The caller
 * must be attached and must be o's owner, or o must have no owner (its
 * counts merged: nogil-atomic, or an object another thread made and then
 * exited) — otherwise, and for immortal or already sharded objects, or
 * where sharding does not apply (the gil build, where counts are plain
 * adds under the GIL), it returns false and o is left as it was. Other
 * threads may use o during the call. A sharded object lives at least
 * until the next ft_object_unshard_all: shard only long-lived objects.
 * ft_object_unshard_all: stops the world, makes every sharded object
 * ordinary again with its exact count (counts merged: every later
 * operation is atomic), frees those whose count is zero; returns how
 * many objects were sharded. ft_fini calls it too. */
bool ft_object_shard(ft_object *o);
bool ft_object_is_sharded(ft_object *o);
size_t ft_object_unshard_all(void);

#endif /* FTLAB_REFCOUNT_H */
