/* nogil/qsbr.c — quiescent-state-based reclamation with liburcu's
 * urcu-qsbr flavor (see internal/qsbr.h for the mapping).
 *
 * Deferred frees go through call_rcu: each carries an rcu_head, allocated
 * from the system allocator (not ft_malloc, so that the bookkeeping does
 * not show in the program's live-block counts). A deferred block stops
 * counting at the logical free, when the program lets go of it: the live
 * block and byte counts drop and its tracemalloc trace goes right away
 * (_ft_mem_uncount), so no figure depends on when the grace period ends.
 * liburcu's call_rcu thread runs the callbacks and only returns the
 * memory (_ft_mem_release_uncounted); it is not an ftlab thread, so its
 * free of a block from some thread's heap takes the remote-free path,
 * which any thread may take. Grace requests for emptied object pools
 * need no allocation: the rcu_head lives in the heap (one request in
 * flight per heap, mem/obmalloc.h, T2), and the callback only publishes
 * the safe epoch.
 * Deferred decrefs (below) go through call_rcu too, but are dropped by
 * attached threads.
 *
 * Alone, no wait. When the calling thread is the only one online — bound
 * to the runtime and attached — or none is (alone(): a single-threaded
 * program, a worker whose starter waits in ft_thread_join, every other
 * thread parked by a stop-the-world, ft_fini), no other thread can hold a
 * pointer it read without a reference, so a deferred free, a deferred
 * decref and an emptied pool's grace period take effect at once: memory
 * goes back as it does in the gil build (no block parked for the ~10 ms
 * liburcu's call_rcu thread sleeps before each batch, which on a program
 * that replaces arrays often is megabytes gone cold from the cache), and
 * nothing is left in flight for a barrier to wait for. An offline thread
 * counts as no reader for the same reason liburcu's grace periods skip it:
 * no pointer read without a reference is used across a detach (ft_list_get
 * and ft_dict_get take their reference before they return, and nothing
 * between a read and that reference detaches).
 *
 * Requests in flight. Every urcu_qsbr_call_rcu of the runtime (this file
 * and nogil/traces.c) is counted in `xcalls` (_ft_qsbr_call_begin) and
 * its callback uncounts itself as its last act (_ft_qsbr_call_end, a
 * release). _ft_qsbr_barrier reads the count with acquire and returns at
 * once when it is 0: then every request made before the barrier was
 * called has run its callback, and the acquire makes what the callbacks
 * did (blocks released, safe epochs published, decrefs queued) visible to
 * the caller, as urcu_qsbr_barrier would have. Otherwise it waits, which
 * costs at least liburcu's 10 ms.
 */
#include <stddef.h>
#include <stdlib.h>
#include <urcu/urcu-qsbr.h>
#include "internal/qsbr.h"
#include "mem/backend.h"

/* The grace period told to TSan (internal/qsbr.h): one clock. */
#if defined(__SANITIZE_THREAD__)
#  include <sanitizer/tsan_interface.h>
static char grace_clock;
void _ft_qsbr_tsan_release(void) { __tsan_release(&grace_clock); }
void _ft_qsbr_tsan_acquire(void) { __tsan_acquire(&grace_clock); }
#endif
#define GRACE_RELEASE() _ft_qsbr_tsan_release()
#define GRACE_ACQUIRE() _ft_qsbr_tsan_acquire()

/* A heap's grace_link holds the rcu_head of its request in flight. */
_Static_assert(sizeof(struct rcu_head) <= sizeof(((ft_heap *)0)->grace_link),
               "rcu_head does not fit in the heap's grace_link");

typedef struct deferred_free {
    struct rcu_head head;
    void *block;
} deferred_free;

/* Deferred frees handed to call_rcu and not yet released. */
static _Atomic size_t xfrees_pending;
/* Every call_rcu request of the runtime not yet run (above). */
static _Atomic size_t xcalls;
_Atomic uint64_t _ft_qsbr_xbarriers_waited;

void _ft_qsbr_call_begin(void)
{
    /* relaxed: sequenced before the call_rcu it counts, so a barrier the
     * request happens-before reads it (coherence); the callback's
     * decrement cannot come first, it runs after call_rcu. */
    atomic_fetch_add_explicit(&xcalls, 1, memory_order_relaxed);
}

void _ft_qsbr_call_end(void)
{
    /* release: a barrier that reads the count lower (acquire) sees
     * everything the callback did before this. */
    atomic_fetch_sub_explicit(&xcalls, 1, memory_order_release);
}

/* Threads online: bound to the runtime and attached (between
 * _ft_qsbr_online or _thread_init and _ft_qsbr_offline or _thread_exit),
 * the only ones that may read a container without its lock. A line of its
 * own: every attach and detach writes it, and every deferred free reads it. */
static _Alignas(64) _Atomic int xreaders;
static _Thread_local bool tls_reader;   /* the calling thread is counted */

/* Is the calling thread the only reader (or is there none)? Then no other
 * thread can hold a pointer it read without a reference. The count is
 * read with a read-modify-write (acq_rel), so that it is ordered with the
 * readers' own read-modify-writes of it when they come online or leave:
 *   - a thread that comes online concurrently increments xreaders before
 *     it reads any container. If our RMW comes first, its increment reads
 *     ours (acquire) and so sees what our caller stored before (the new
 *     array, the item unlinked): it never loads what is being released.
 *     If its increment comes first, we count it and wait.
 *   - a thread that went offline decremented (release) after its last
 *     read: our acquire orders that read before the release.
 * No lock: this runs on every deferred free. A relaxed load comes first,
 * and only a count that looks alone is confirmed by the RMW: with other
 * threads online the freers do not write the count's cache line, and a
 * stale high count only makes the caller wait, which is always safe. (A
 * seq_cst fence and a load would do for the RMW on the hardware, but
 * ThreadSanitizer cannot model fences.) */
static bool alone(void)
{
    int limit = tls_reader ? 1 : 0;
    if (ft_atomic_load_relaxed(&xreaders) > limit)
        return false;
    return atomic_fetch_add_explicit(&xreaders, 0, memory_order_acq_rel) <= limit;
}

/* The calling thread starts or stops counting as a reader. */
static void reader_enter(void)
{
    ft_assert_internal(!tls_reader);
    /* acq_rel: before any read of a container (alone()). */
    atomic_fetch_add_explicit(&xreaders, 1, memory_order_acq_rel);
    tls_reader = true;
}

static void reader_leave(void)
{
    ft_assert_internal(tls_reader);
    tls_reader = false;
    /* release: our reads happen-before a free made by a thread that then
     * finds itself alone (acquire). */
    atomic_fetch_sub_explicit(&xreaders, 1, memory_order_release);
}

_Thread_local ft_lockfree_counts _ft_lockfree_counts;

void _ft_qsbr_thread_init(ft_tstate *ts)
{
    reader_enter();
    urcu_qsbr_register_thread();       /* starts online */
    ts->qsbr_countdown = FT_QSBR_PERIOD;
}

void _ft_qsbr_thread_exit(ft_tstate *ts)
{
    (void)ts;
    GRACE_RELEASE();
    urcu_qsbr_unregister_thread();
    /* _ft_tstate_delete_current detached first: already uncounted. */
    ft_assert_internal(!tls_reader);
}

void _ft_qsbr_online(ft_tstate *ts)
{
    (void)ts;
    reader_enter();
    urcu_qsbr_thread_online();
}

void _ft_qsbr_offline(ft_tstate *ts)
{
    (void)ts;
    GRACE_RELEASE();
    urcu_qsbr_thread_offline();
    reader_leave();
}

void _ft_qsbr_quiescent(ft_tstate *ts)
{
    ts->qsbr_countdown = FT_QSBR_PERIOD;
    GRACE_RELEASE();
    urcu_qsbr_quiescent_state();
    _ft_qsbr_decref_drain();
}

/* Runs on liburcu's call_rcu thread after the grace period. */
static void ft_qsbr_reclaim(struct rcu_head *head)
{
    deferred_free *d = caa_container_of(head, deferred_free, head);
    GRACE_ACQUIRE();
    _ft_mem_release_uncounted(d->block);
    free(d);
    /* release: whoever reads the count lower sees the block released. */
    atomic_fetch_sub_explicit(&xfrees_pending, 1, memory_order_release);
    _ft_qsbr_call_end();
}

void _ft_qsbr_free(void *p)
{
    if (!p)
        return;
    /* No reader to wait for: exactly ft_free, with its fast path (a pooled
     * block: one lookup of the heap set, no calls through the allocator
     * table). Uncounting and releasing in two steps, as a deferred free
     * must, cost ~120 instructions a block where ft_free costs ~30: one
     * thread's lists, dicts and sets replace arrays through here on
     * every growth (go: 17.8K calls, 1.5M instructions). */
    if (alone()) {
        ft_free(p);
        return;
    }
    /* The program freed p now: it stops counting now, in ft_mem_get_stats
     * and tracemalloc, as in the gil build; only the memory waits. */
    _ft_mem_uncount(p);
    deferred_free *d = malloc(sizeof *d);
    if (!d) {
        /* No memory to defer: wait for a grace period right here. */
        GRACE_RELEASE();
        urcu_qsbr_synchronize_rcu();
        GRACE_ACQUIRE();
        _ft_mem_release_uncounted(p);
        return;
    }
    d->block = p;
    /* relaxed: the reclaim, which takes it back, runs after call_rcu */
    atomic_fetch_add_explicit(&xfrees_pending, 1, memory_order_relaxed);
    _ft_qsbr_call_begin();
    GRACE_RELEASE();
    urcu_qsbr_call_rcu(&d->head, ft_qsbr_reclaim);
}

size_t _ft_qsbr_frees_pending(void)
{
    /* acquire: pairs with ft_qsbr_reclaim's release. */
    return atomic_load_explicit(&xfrees_pending, memory_order_acquire);
}

/* ---- Deferred decrefs --------------------------------------------------
 * _ft_qsbr_decref_later(o): o's reference is dropped after a grace period.
 * The callback cannot drop it itself: it runs on liburcu's call_rcu
 * thread, which is not an ftlab thread, and the last decref runs o's
 * dealloc (a finalizer, weakref callbacks: the embedder's code). So the
 * callback only moves the request to `xready`, a lock-free stack, and
 * attached threads drop the references there at their next quiescent
 * state (every FT_QSBR_PERIOD checkpoints: a checkpoint may run anything,
 * as the collector already does there) or in _ft_qsbr_decref_flush.
 * `xpending` counts requests not yet dropped, for the flush. */
typedef struct deferred_decref {
    struct rcu_head head;
    ft_object *obj;
    struct deferred_decref *next;   /* on `xready` */
} deferred_decref;

static _Atomic(deferred_decref *) xready;
static _Atomic size_t xpending;

/* Runs on liburcu's call_rcu thread after the grace period. */
static void decref_ready(struct rcu_head *head)
{
    deferred_decref *d = caa_container_of(head, deferred_decref, head);
    GRACE_ACQUIRE();
    /* release: the thread that pops d sees d->obj and d->next. */
    deferred_decref *top = ft_atomic_load_relaxed(&xready);
    do {
        d->next = top;
    } while (!atomic_compare_exchange_weak_explicit(&xready, &top, d, memory_order_release,
                                                    memory_order_relaxed));
    _ft_qsbr_call_end();
}

void _ft_qsbr_decref_later(ft_object *o)
{
    if (!o)
        return;
    bool solo = alone();
    deferred_decref *d = solo ? NULL : malloc(sizeof *d);
    if (!d) {
        /* Alone (the common single-threaded case keeps the exact moment
         * of death), or no memory to defer: wait right here. */
        if (!solo) {
            GRACE_RELEASE();
            urcu_qsbr_synchronize_rcu();   /* goes offline while it waits */
            GRACE_ACQUIRE();
        }
        ft_decref(o);
        return;
    }
    d->obj = o;
    /* relaxed: a count for the flush, which orders through the barrier */
    atomic_fetch_add_explicit(&xpending, 1, memory_order_relaxed);
    _ft_qsbr_call_begin();
    GRACE_RELEASE();
    urcu_qsbr_call_rcu(&d->head, decref_ready);
}

void _ft_qsbr_decref_drain(void)
{
    if (!ft_atomic_load_relaxed(&xready))
        return;
    /* acquire: pairs with decref_ready's release push. */
    deferred_decref *d = atomic_exchange_explicit(&xready, NULL, memory_order_acquire);
    while (d) {
        deferred_decref *next = d->next;
        ft_object *o = d->obj;
        free(d);
        atomic_fetch_sub_explicit(&xpending, 1, memory_order_relaxed);
        ft_decref(o);   /* may run anything, even another drain */
        d = next;
    }
}

void _ft_qsbr_decref_flush(void)
{
    /* A decref may hand in more (a finalizer that replaces a class
     * attribute): until none is left. */
    while (atomic_load_explicit(&xpending, memory_order_relaxed) != 0) {
        _ft_qsbr_barrier();
        _ft_qsbr_decref_drain();
    }
}

void _ft_qsbr_barrier(void)
{
    /* acquire: pairs with every callback's _ft_qsbr_call_end; 0 means
     * each request made before this call has run, and we see its work. */
    if (atomic_load_explicit(&xcalls, memory_order_acquire) == 0)
        return;
    /* relaxed: a count for tests. */
    ft_atomic_add_relaxed(&_ft_qsbr_xbarriers_waited, 1);
    /* Offline while we wait: the grace periods the pending callbacks need
     * would otherwise wait for us. A thread without a thread state (ft_fini
     * after its last one is gone) is offline already. */
    bool online = urcu_qsbr_read_ongoing();
    if (online) {
        GRACE_RELEASE();
        urcu_qsbr_thread_offline();
    }
    urcu_qsbr_barrier();
    if (online)
        urcu_qsbr_thread_online();
}

/* ---- Object pools (mem/obmalloc.h, invariant T2) ------------------------ */

/* Runs on liburcu's call_rcu thread after the grace period. */
static void ft_qsbr_heap_grace_done(struct rcu_head *head)
{
    GRACE_ACQUIRE();
    _ft_heap_grace_done((ft_heap *)((char *)head - offsetof(ft_heap, grace_link)));
    _ft_qsbr_call_end();
}

static void defer_heap(ft_heap *h)
{
    if (alone()) {   /* no reader: the grace period is over already */
        _ft_heap_grace_done(h);
        return;
    }
    _ft_qsbr_call_begin();
    GRACE_RELEASE();
    urcu_qsbr_call_rcu((struct rcu_head *)h->grace_link, ft_qsbr_heap_grace_done);
}

static const ft_pool_grace pool_grace = { defer_heap, _ft_qsbr_barrier, alone };

const ft_pool_grace *_ft_qsbr_pool_grace(void) { return &pool_grace; }
