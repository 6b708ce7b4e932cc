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
 *
 * A detached thread is offline, so a thread blocked in a system call
 * never delays reclamation. Readers need no read-side marker: between two
 * checkpoints an attached thread is inside one long read-side section.
 * The contract for readers: a pointer loaded from a container must not be
 * used across a checkpoint or a detach.
 *
 * The gil build has no lock-free readers: _ft_qsbr_free frees at once and
 * the rest does nothing (gil/qsbr.c).
 */
#ifndef FTLAB_INTERNAL_QSBR_H
#define FTLAB_INTERNAL_QSBR_H

#include "tstate.h"

/* How many checkpoints between two reported quiescent states: a report
 * costs two full fences in liburcu; 1024 checkpoints are microseconds. */
#define FT_QSBR_PERIOD 1024

void _ft_qsbr_thread_init(ft_tstate *ts);
void _ft_qsbr_thread_exit(ft_tstate *ts);
void _ft_qsbr_online(ft_tstate *ts);
void _ft_qsbr_offline(ft_tstate *ts);
void _ft_qsbr_quiescent(ft_tstate *ts);
/* ft_free(p) after a grace period (at once in the gil build). */
void _ft_qsbr_free(void *p);
/* Waits until every pending _ft_qsbr_free has run (caller attached). */
void _ft_qsbr_barrier(void);

/* Called by every checkpoint: counts down to the next quiescent state. */
static inline void _ft_qsbr_tick(ft_tstate *ts)
{
#if FT_NOGIL
    if (ft_unlikely(--ts->qsbr_countdown == 0))
        _ft_qsbr_quiescent(ts);
#else
    (void)ts;
#endif
}

#endif /* FTLAB_INTERNAL_QSBR_H */
