/* rcstats.c — the refcount path counters of FT_RC_STATS builds
 * (ftlab/refcount.h).
 *
 * Every thread counts in its own TLS block (_ft_rc_tls), written only by
 * itself with relaxed single-writer stores, so counting costs one add and
 * no cache-line sharing. A runtime thread's block is reachable from its
 * state for the readers; when the thread leaves, its counts are folded
 * into `exited`. Both are guarded by the runtime's head_lock (the same
 * lock as the registry the threads are on). Threads ftlab does not know
 * (liburcu's call_rcu thread, which may release the last reference to
 * something) count in blocks nobody reads: their operations are missing
 * from the totals.
 */
#include "internal/tstate.h"

_Thread_local _ft_rc_counters _ft_rc_tls;

static ft_rc_stats exited;   /* head_lock */

static void add(ft_rc_stats *sum, const _ft_rc_counters *c)
{
    sum->fast += ft_atomic_load_relaxed(&c->xfast);
    sum->atomic += ft_atomic_load_relaxed(&c->xatomic);
    sum->immortal += ft_atomic_load_relaxed(&c->ximmortal);
    sum->queued += ft_atomic_load_relaxed(&c->xqueued);
    sum->merged += ft_atomic_load_relaxed(&c->xmerged);
}

static void zero(_ft_rc_counters *c)
{
    ft_atomic_store_relaxed(&c->xfast, 0);
    ft_atomic_store_relaxed(&c->xatomic, 0);
    ft_atomic_store_relaxed(&c->ximmortal, 0);
    ft_atomic_store_relaxed(&c->xqueued, 0);
    ft_atomic_store_relaxed(&c->xmerged, 0);
}

void _ft_rc_stats_thread_init(ft_tstate *ts)
{
    zero(&_ft_rc_tls);   /* a thread that ran before ft_init starts afresh */
    ts->rc_counters = &_ft_rc_tls;
}

/* head_lock held: ts is leaving the registry. */
void _ft_rc_stats_thread_exit(ft_tstate *ts)
{
    ft_assert_internal(_ft_mutex_is_held(&_ft_runtime.head_lock));
    add(&exited, ts->rc_counters);
}

bool ft_rc_get_stats(ft_rc_stats *out)
{
    *out = (ft_rc_stats){ 0 };
    if (!FT_RC_STATS)
        return false;
    ft_runtime *rt = &_ft_runtime;
    pthread_mutex_lock(&rt->head_lock);
    *out = exited;
    for (ft_tstate *t = rt->threads; t; t = t->next)
        add(out, t->rc_counters);
    pthread_mutex_unlock(&rt->head_lock);
    return true;
}

/* Zeroes the calling thread's counts and those of threads that left; the
 * other live threads' blocks belong to them (single writer), so call it
 * while no other thread runs — at the start of a measurement. */
void ft_rc_reset_stats(void)
{
    ft_runtime *rt = &_ft_runtime;
    pthread_mutex_lock(&rt->head_lock);
    exited = (ft_rc_stats){ 0 };
    pthread_mutex_unlock(&rt->head_lock);
    zero(&_ft_rc_tls);
}
