/* nogil/qsbr.c — quiescent-state-based reclamation with liburcu's
 * urcu-qsbr flavor (see internal/qsbr.h for the mapping).
 *
 * Deferred frees go through call_rcu: each carries an rcu_head, allocated
 * from the system allocator (not ft_malloc, so that the bookkeeping does
 * not show in the program's live-block counts). liburcu's call_rcu thread
 * runs the callbacks; it is not an ftlab thread, so its ft_free of a block
 * from some thread's heap takes the remote-free path, which any thread may
 * take.
 */
#include <stdlib.h>
#include <urcu/urcu-qsbr.h>
#include "internal/qsbr.h"

typedef struct deferred_free {
    struct rcu_head head;
    void *block;
} deferred_free;

void _ft_qsbr_thread_init(ft_tstate *ts)
{
    urcu_qsbr_register_thread();       /* starts online */
    ts->qsbr_countdown = FT_QSBR_PERIOD;
}

void _ft_qsbr_thread_exit(ft_tstate *ts)
{
    (void)ts;
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
    urcu_qsbr_thread_offline();
}

void _ft_qsbr_quiescent(ft_tstate *ts)
{
    ts->qsbr_countdown = FT_QSBR_PERIOD;
    urcu_qsbr_quiescent_state();
}

/* Runs on liburcu's call_rcu thread after the grace period. */
static void ft_qsbr_reclaim(struct rcu_head *head)
{
    deferred_free *d = caa_container_of(head, deferred_free, head);
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
    urcu_qsbr_call_rcu(&d->head, ft_qsbr_reclaim);
}

void _ft_qsbr_barrier(void)
{
    /* Offline while we wait: the grace periods the pending callbacks need
     * would otherwise wait for us. */
    urcu_qsbr_thread_offline();
    urcu_qsbr_barrier();
    urcu_qsbr_thread_online();
}
