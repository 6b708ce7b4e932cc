/* internal/qsbr.h — safe memory reclamation for lock-free readers.
 *
 * nogil containers let readers look at their backing arrays without the
 * container's lock (ft_list_get, ft_dict_get). A writer that replaces an
 * array must not free the old one while a reader may still be looking at
 * it: it hands it to _ft_qsbr_free, which frees it after a grace period —
 * once every attached thread has passed a quiescent state. This is
 * quiescent-state-based reclamation with liburcu's urcu-qsbr flavor:
 *
 *   runtime event                urcu-qsbr
 *   thread binds / unbinds       register / unregister
 *   attach / detach              thread_online / thread_offline
 *   ft_checkpoint (every         quiescent_state
 *     FT_QSBR_PERIOD calls)
 *   _ft_qsbr_free(p)             call_rcu: freed by liburcu's call_rcu
 *                                thread after the grace period
 *   ft_fini                      barrier: every pending free done
 *                                (none to wait for: no wait)
 *
 * A thread alone (the only one registered) frees at once: no other
 * thread can be reading (nogil/qsbr.c, "Alone, no wait").
 * A detached thread is offline, so a thread blocked in a system call
 * never delays reclamation. Readers need no read-side marker: between two
 * checkpoints an attached thread is inside one long read-side section.
 * The contract for readers: a pointer loaded from a container must not be
 * used across a checkpoint or a detach.
 *
 * What a grace period protects (nogil)
 *   arrays     a list's item array, a dict's keys table, a set's table:
 *              replaced under the container's lock, freed with
 *              _ft_qsbr_free (list.c, dict.c, set.c)
 *   objects    an item a reader loaded may be freed by the time it tries
 *              to take a reference (_ft_try_incref), so object memory is
 *              type-stable for a grace period: emptied pools of the
 *              OBJECT and GC heaps wait before being re-carved for another
 *              size class (mem/obmalloc.h, T1-T3; one grace request per
 *              heap at a time, _ft_qsbr_pool_grace), and an object outside
 *              them that a reader may have found is freed with
 *              _ft_qsbr_free (mem.c, _ft_qsbr_object_maybe_found)
 *   strings    an interned string leaving the intern table
 *   references an object taken out of a structure whose readers keep
 *              borrowed pointers (ftpy's class attribute caches):
 *              _ft_qsbr_decref_later keeps it alive for a grace period
 *
 * Lock-free readers (ft_list_get, ft_dict_get with a str key) load the
 * array, then a slot, take a reference with _ft_try_incref and re-check
 * that the slot (and the array) still hold what they loaded; after a few
 * failed tries they take the container's lock. They never use a pointer
 * loaded from a container across a checkpoint or a detach.
 *
 * The gil build has no lock-free readers: _ft_qsbr_free frees at once and
 * the rest does nothing (gil/qsbr.c).
 */
#ifndef FTLAB_INTERNAL_QSBR_H
#define FTLAB_INTERNAL_QSBR_H

#include "tstate.h"
#include "flavor.h"   /* the QSBR hooks of gil/qsbr.c and nogil/qsbr.c */
#include "../mem/obmalloc.h"

/* How many checkpoints between two reported quiescent states: a report
 * costs two full fences in liburcu; 1024 checkpoints are microseconds. */
#define FT_QSBR_PERIOD 1024

/* The hooks — a thread's reader life (_ft_qsbr_thread_init, _exit,
 * _online, _offline, _quiescent), deferred frees (_ft_qsbr_free,
 * _frees_pending, _barrier), deferred references (_ft_qsbr_decref_later,
 * _drain, _flush) and the pool grace period (_ft_qsbr_pool_grace) — are
 * declared in internal/flavor.h, "QSBR". */

/* Do ft_list_get and ft_dict_get read without the container's lock? */
static inline bool _ft_qsbr_lockfree_reads(void) { return FT_NOGIL; }

/* Might a lock-free reader still hold a pointer to o, an object that just
 * died? In nogil, yes once o was marked shared (_ft_object_set_shared,
 * done for every key a dict keeps, and by a store of a list item or dict
 * value unless o lies in type-stable memory and the container looks
 * private — then by the first other thread that finds o: internal/object.h,
 * _ft_object_mark_stored): its shared word never goes
 * back to FT_REF_INIT (nogil-atomic keeps the MAYBE_WEAKREF mark). Never
 * in gil. */
static inline bool _ft_qsbr_object_maybe_found(ft_object *o)
{
#if FT_NOGIL
    return ft_atomic_load_relaxed(&o->ob_ref_shared) != FT_REF_INIT;
#else
    (void)o;
    return false;
#endif
}

/* The runtime's call_rcu requests in flight (nogil/qsbr.c, "Requests in
 * flight"): _ft_qsbr_call_begin just before each urcu_qsbr_call_rcu,
 * _ft_qsbr_call_end as the last act of its callback; _ft_qsbr_barrier
 * waits only while some are in flight. nogil only (gil has no call_rcu). */
void _ft_qsbr_call_begin(void);
void _ft_qsbr_call_end(void);

/* How many times _ft_qsbr_barrier really waited (tests: a barrier with
 * nothing in flight must not; ft_fini needs at most one). 0 in gil. */
#if FT_NOGIL
extern _Atomic uint64_t _ft_qsbr_xbarriers_waited;
#endif
static inline uint64_t _ft_qsbr_barriers_waited(void)
{
#if FT_NOGIL
    return ft_atomic_load_relaxed(&_ft_qsbr_xbarriers_waited);
#else
    return 0;
#endif
}

/* Lock-free reads of the calling thread (tests and benchmarks): how many
 * returned without the lock (hits), how many tries failed and were tried
 * again (the container or the item changed under the reader), and how
 * many reads fell back to the lock.
 *
 * hits is counted only in statistics builds (FT_RC_STATS: the asan
 * preset; _ft_lockfree_hits_counted): a hit is the usual read — every
 * ft_list_get and every name a dict gives up in nogil — and its count,
 * a TLS add, was two of the read's thirty-odd instructions, the whole
 * of ft_list_get's extra over the gil build. retries and fallbacks are
 * counted in every build: they lie on the slow paths. A list's read
 * counts its fallback in the locked read itself (list.c,
 * list_get_locked), whichever way it got there, so that "no fallback"
 * means "no lock" and a test can see a read take the lock in any
 * build. */
typedef struct ft_lockfree_counts {
    uint64_t hits, retries, fallbacks;
} ft_lockfree_counts;
extern _Thread_local ft_lockfree_counts _ft_lockfree_counts;

/* Is hits counted in this build? */
static inline bool _ft_lockfree_hits_counted(void) { return FT_RC_STATS; }

/* A read returned without the lock. */
static ft_always_inline void _ft_lockfree_hit(void)
{
    if (_ft_lockfree_hits_counted())
        _ft_lockfree_counts.hits++;
}

/* What the grace period orders, told to ThreadSanitizer, which cannot see
 * inside liburcu (not instrumented). Every quiescent state, every going
 * offline or unregistering, and every call_rcu releases the calling
 * thread's history into one clock; every callback run after a grace
 * period acquires it. A callback runs only after each reader passed a
 * quiescent state, so this orders exactly what the grace period orders:
 * a reader's accesses before its quiescent state happen-before whatever
 * the callback does (free the block). No-ops without TSan. Defined in
 * nogil/qsbr.c. */
#if defined(__SANITIZE_THREAD__)
void _ft_qsbr_tsan_release(void);
void _ft_qsbr_tsan_acquire(void);
#else
static inline void _ft_qsbr_tsan_release(void) {}
static inline void _ft_qsbr_tsan_acquire(void) {}
#endif

/* Called by every checkpoint: counts down to the next quiescent state;
 * true when it is due (the caller reports it: _ft_qsbr_quiescent). */
static inline bool _ft_qsbr_tick_due(ft_tstate *ts)
{
#if FT_NOGIL
    return --ts->qsbr_countdown == 0;
#else
    (void)ts;
    return false;
#endif
}

#endif /* FTLAB_INTERNAL_QSBR_H */
