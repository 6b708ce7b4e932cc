/* internal/global_lock.h — the global interpreter lock, the one lock both
 * builds use: the gil build always, the nogil build under FT_GIL=1. It is
 * shared runtime code (runtime/global_lock.c), not part of the gil/
 * flavor folder; its functions keep the _ft_gil_ prefix.
 *
 * The design is CPython's "new GIL" (ceval_gil.c, Antoine Pitrou 2009):
 *
 *   - the GIL is a flag `xlocked` guarded by `mutex`; waiters sleep on
 *     `cond` with a timeout of one switch interval;
 *   - a waiter whose wait timed out while no hand-over happened
 *     (xswitch_number unchanged) sets FT_REQ_GIL_DROP in the holder's eval
 *     breaker; the holder sees it at its next checkpoint and drops;
 *   - forced switching: a holder that dropped *because it was asked* waits
 *     on `switch_cond` until another thread has taken the GIL, so that it
 *     cannot win the race to retake it (the convoy fix of bpo-7946 is not
 *     here; this is the 3.2+ behaviour whose convoy effect papers/ shows).
 *
 * Lock order: mutex, then switch_mutex (take); drop never holds both.
 * Who writes what
 *   xlocked, holder                under mutex
 *   xlast_holder, xswitch_number   under mutex and switch_mutex (both held)
 *   stats                          relaxed atomics; any thread may read them
 *
 * One ft_gil exists in both flavors: the gil build always enables it, the
 * nogil build only under FT_GIL=1 (docs/architecture.md, "Threads, the GIL
 * and checkpoints"), so the same binary can separate the cost of the
 * machinery from the cost of contention.
 */
#ifndef FTLAB_INTERNAL_GLOBAL_LOCK_H
#define FTLAB_INTERNAL_GLOBAL_LOCK_H

#include <pthread.h>
#include "common.h"

typedef struct ft_gil {
    bool enabled;                 /* fixed between ft_init and ft_fini   */
    pthread_mutex_t mutex;
    pthread_cond_t cond;          /* signalled when the GIL is dropped   */
    pthread_mutex_t switch_mutex;
    pthread_cond_t switch_cond;   /* signalled when a thread takes it    */
    _Atomic int xlocked;
    ft_tstate *holder;            /* who to ask for a drop (under mutex) */
    _Atomic(ft_tstate *) xlast_holder;
    _Atomic uint64_t xswitch_number;  /* counts hand-overs              */
    _Atomic long xinterval_us;
    struct {
        _Atomic uint64_t xacquisitions, xhandovers, xdrop_requests,
                         xforced_waits, xwait_ns;
    } stats;
} ft_gil;

int  _ft_gil_init(ft_gil *gil, bool enabled, long interval_us);
void _ft_gil_fini(ft_gil *gil);
/* Blocks until the calling thread holds the GIL. No-op when disabled. */
void _ft_gil_take(ft_gil *gil, ft_tstate *ts);
/* Releases it; with a pending drop request, waits for a hand-over. */
void _ft_gil_drop(ft_gil *gil, ft_tstate *ts);

#endif /* FTLAB_INTERNAL_GLOBAL_LOCK_H */
