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

_Thread_local ft_lockfree_counts _ft_lockfree_counts;

void _ft_qsbr_thread_init(ft_tstate *ts)
{
    urcu_qsbr_register_thread();       /* starts online */
    ts->qsbr_countdown = FT_QSBR_PERIOD;
}

void _ft_qsbr_thread_exit(ft_tstate *ts)
{
    (void)ts;
    GRACE_RELEASE();
    urcu_qsbr_unregister_thread();
}

void _ft_qsbr_online(ft_tstate *ts)
{
    (void)ts;
    urcu_qsbr_thread_online();
}

void _ft_qsbr_offline(ft_tstate *ts)
{
    (void)ts;
    GRACE_RELEASE();
    urcu_qsbr_thread_offline();
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
}

void _ft_qsbr_free(void *p)
{
    if (!p)
        return;
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
}

/* Is the calling thread the only one registered? Then no other thread can
 * hold a pointer it read without a reference. Under head_lock: a thread
 * registered concurrently either is counted, or registered after our
 * caller's store (which happens-before our unlock) and so reads the new
 * value, never the one being released. */
static bool alone(void)
{
    ft_runtime *rt = &_ft_runtime;
    pthread_mutex_lock(&rt->head_lock);
    bool one = !rt->threads || !rt->threads->next;
    pthread_mutex_unlock(&rt->head_lock);
    return one;
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
}

static void defer_heap(ft_heap *h)
{
    GRACE_RELEASE();
    urcu_qsbr_call_rcu((struct rcu_head *)h->grace_link, ft_qsbr_heap_grace_done);
}

static const ft_pool_grace pool_grace = { defer_heap, _ft_qsbr_barrier };

const ft_pool_grace *_ft_qsbr_pool_grace(void) { return &pool_grace; }
