/* nogil/qsbr.c — quiescent-state-based reclamation with liburcu's
 * urcu-qsbr flavor (see internal/qsbr.h for the mapping).
 *
 * Deferred frees go through call_rcu: each carries an rcu_head, allocated
 * from the system allocator (not ft_malloc, so that the bookkeeping does
 * not show in the program's live-block counts). liburcu's call_rcu thread
 * runs the callbacks; it is not an ftlab thread, so its ft_free of a block
 * from some thread's heap takes the remote-free path, which any thread may
 * take. Grace requests for emptied object pools need no allocation: the
 * rcu_head lives in the heap (one request in flight per heap,
 * mem/obmalloc.h, T2), and the callback only publishes the safe epoch.
 */
#include <stddef.h>
#include <stdlib.h>
#include <urcu/urcu-qsbr.h>
#include "internal/qsbr.h"

/* TSan cannot see inside liburcu, so it sees no order between a reader's
 * accesses and the callback that runs after the grace period (nor between
 * a call_rcu and its callback). We tell it: every quiescent state, every
 * going offline and every call_rcu releases the thread's history into
 * grace_clock; every callback acquires it. A callback runs only after
 * each reader passed a quiescent state, so this orders exactly what the
 * grace period orders. No-ops without TSan. */
#if defined(__SANITIZE_THREAD__)
#  include <sanitizer/tsan_interface.h>
#  define GRACE_RELEASE() __tsan_release(&grace_clock)
#  define GRACE_ACQUIRE() __tsan_acquire(&grace_clock)
static char grace_clock;
#else
#  define GRACE_RELEASE() ((void)0)
#  define GRACE_ACQUIRE() ((void)0)
#endif

/* A heap's grace_link holds the rcu_head of its request in flight. */
_Static_assert(sizeof(struct rcu_head) <= sizeof(((ft_heap *)0)->grace_link),
               "rcu_head does not fit in the heap's grace_link");

typedef struct deferred_free {
    struct rcu_head head;
    void *block;
} deferred_free;

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
}

/* Runs on liburcu's call_rcu thread after the grace period. */
static void ft_qsbr_reclaim(struct rcu_head *head)
{
    deferred_free *d = caa_container_of(head, deferred_free, head);
    GRACE_ACQUIRE();
    ft_free(d->block);
    free(d);
}

void _ft_qsbr_free(void *p)
{
    if (!p)
        return;
    deferred_free *d = malloc(sizeof *d);
    if (!d) {
        /* No memory to defer: wait for a grace period right here. */
        urcu_qsbr_synchronize_rcu();
        ft_free(p);
        return;
    }
    d->block = p;
    GRACE_RELEASE();
    urcu_qsbr_call_rcu(&d->head, ft_qsbr_reclaim);
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
