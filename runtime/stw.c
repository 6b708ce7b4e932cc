/* stw.c — stop-the-world (ftlab/thread.h, internal/tstate.h).
 *
 * The protocol is CPython 3.13's (Python/pystate.c):
 *
 *   stopper                                  other threads
 *   -------                                  -------------
 *   lock stw.mutex (detached while waiting)
 *   head_lock: requested = 1,
 *     countdown = #threads - 1
 *   loop:                                    attached: sees FT_REQ_STOP at
 *     head_lock: CAS every DETACHED thread     a checkpoint, detaches as
 *       to SUSPENDED (countdown -= n),         SUSPENDED, head_lock:
 *       set FT_REQ_STOP on ATTACHED ones       countdown -= 1, 0 -> set
 *     countdown == 0? done                     stop_event; parks until
 *     wait stop_event, 1 ms                    DETACHED again, re-attaches
 *   ... world stopped ...                    detached: cannot attach: its
 *   head_lock: requested = 0, every            DETACHED -> ATTACHED CAS
 *     SUSPENDED -> DETACHED, unpark            fails; it parks
 *   unlock stw.mutex
 *
 * The stopper re-scans every millisecond because an attached thread may
 * detach (a blocking call) instead of reaching a checkpoint; it is then
 * parked on the next scan. In the gil flavor the stopper holds the GIL, so
 * every other thread is detached or waiting for the GIL: the first scan
 * suspends them all.
 *
 * Threads registered during a stop start SUSPENDED and are not counted;
 * threads leaving during one are subtracted (_ft_stw_forget).
 */
#include "internal/tstate.h"
#include "internal/qsbr.h"

void _ft_stw_init(ft_stw *stw)
{
    *stw = (ft_stw){ .mutex = FT_MUTEX_INIT };
    atomic_init(&stw->xrequester, NULL);
}

int _ft_stw_initial_state(void)
{
    return _ft_runtime.stw.requested ? FT_THREAD_SUSPENDED : FT_THREAD_DETACHED;
}

static void countdown_decrement(ft_stw *stw)
{
    ft_assert_internal(_ft_mutex_is_held(&_ft_runtime.head_lock));
    ft_assert_internal(stw->countdown > 0);
    if (--stw->countdown == 0)
        _ft_event_set(&stw->stop_event);
}

void _ft_stw_forget(ft_tstate *ts)
{
    ft_stw *stw = &_ft_runtime.stw;
    /* A SUSPENDED thread was already counted out when it was parked. */
    if (stw->requested && ft_atomic_load_relaxed(&ts->xstate) != FT_THREAD_SUSPENDED)
        countdown_decrement(stw);
}

void _ft_stw_suspend(ft_tstate *ts)
{
    ft_runtime *rt = &_ft_runtime;
    ft_stw *stw = &rt->stw;

    pthread_mutex_lock(&rt->head_lock);
    bool requested = stw->requested;
    pthread_mutex_unlock(&rt->head_lock);
    if (!requested)
        return;   /* a stale request: that stop ended without us */

    /* The stop cannot end while we are ATTACHED (we are in its countdown),
     * so `requested` still holds. Detach as SUSPENDED directly: a plain
     * DETACHED would let a second scan count us twice. */
    if (ts->critical_section)
        _ft_cs_suspend_all(ts);
    _ft_qsbr_offline(ts);
    ft_atomic_store_release(&ts->xstate, FT_THREAD_SUSPENDED);
    _ft_gil_drop(&rt->gil, ts);
    ft_atomic_bump_single_writer(&ts->stats.xstw_suspends, 1);

    pthread_mutex_lock(&rt->head_lock);
    stw->parked_attached++;
    countdown_decrement(stw);
    pthread_mutex_unlock(&rt->head_lock);

    _ft_attach(ts);   /* waits until the world restarts */
}

/* Returns true once every counted thread is parked. */
static bool park_detached_threads(ft_stw *stw, ft_tstate *me)
{
    ft_assert_internal(_ft_mutex_is_held(&_ft_runtime.head_lock));
    int parked = 0;
    for (ft_tstate *t = _ft_runtime.threads; t; t = t->next) {
        if (t == me)
            continue;
        int state = ft_atomic_load_relaxed(&t->xstate);
        if (state == FT_THREAD_DETACHED) {
            /* acquire: pairs with _ft_detach's release, so the stopper sees
             * what the thread wrote before it detached. */
            if (ft_atomic_cas_acquire(&t->xstate, &state, FT_THREAD_SUSPENDED))
                parked++;
        } else if (state == FT_THREAD_ATTACHED) {
            _ft_request(t, FT_REQ_STOP);
        }
    }
    stw->parked_detached += (uint64_t)parked;
    stw->countdown -= parked;
    ft_assert_internal(stw->countdown >= 0);
    return stw->countdown == 0;
}

static void record_stop(ft_stw *stw)
{
    uint64_t ns = _ft_monotonic_ns() - stw->started_ns;
    ft_atomic_store_relaxed(&stw->stats.xstops,
                            ft_atomic_load_relaxed(&stw->stats.xstops) + 1);
    ft_atomic_store_relaxed(&stw->stats.xtotal_ns,
                            ft_atomic_load_relaxed(&stw->stats.xtotal_ns) + ns);
    if (ns > ft_atomic_load_relaxed(&stw->stats.xmax_ns))
        ft_atomic_store_relaxed(&stw->stats.xmax_ns, ns);
    ft_atomic_store_relaxed(&stw->stats.xlast_ns, ns);
    ft_atomic_store_relaxed(&stw->stats.xlast_parked_attached, stw->parked_attached);
    ft_atomic_store_relaxed(&stw->stats.xlast_parked_detached, stw->parked_detached);
}

int ft_stop_the_world(void)
{
    ft_runtime *rt = &_ft_runtime;
    ft_stw *stw = &rt->stw;
    ft_tstate *me = _ft_tstate_current;
    if (!_ft_is_attached(me))
        return ft_err_set(FT_ERR_RUNTIME, "ft_stop_the_world: the calling "
                                          "thread is not attached");
    if (ft_atomic_load_relaxed(&stw->xrequester) == me)
        return ft_err_set(FT_ERR_RUNTIME, "ft_stop_the_world: this thread "
                                          "has already stopped the world");

    ft_mutex_lock(&stw->mutex);   /* parks detached if another stop runs */
    stw->started_ns = _ft_monotonic_ns();
    ft_atomic_store_relaxed(&stw->xrequester, me);
    ft_atomic_store_relaxed(&stw->stop_event.xv, 0);   /* nobody waits on it now */

    pthread_mutex_lock(&rt->head_lock);
    stw->requested = true;
    stw->parked_attached = stw->parked_detached = 0;
    stw->countdown = 0;
    for (ft_tstate *t = rt->threads; t; t = t->next)
        stw->countdown += t != me;
    for (;;) {
        bool all = park_detached_threads(stw, me);
        pthread_mutex_unlock(&rt->head_lock);
        if (all || _ft_event_wait(&stw->stop_event, (int64_t)FT_NS_PER_MS, false))
            break;
        pthread_mutex_lock(&rt->head_lock);
    }
    record_stop(stw);
    return 0;
}

int ft_start_the_world(void)
{
    ft_runtime *rt = &_ft_runtime;
    ft_stw *stw = &rt->stw;
    ft_tstate *me = _ft_tstate_current;
    if (!me || ft_atomic_load_relaxed(&stw->xrequester) != me)
        return ft_err_set(FT_ERR_RUNTIME, "ft_start_the_world: this thread "
                                          "did not stop the world");
    pthread_mutex_lock(&rt->head_lock);
    stw->requested = false;
    for (ft_tstate *t = rt->threads; t; t = t->next) {
        if (ft_atomic_load_relaxed(&t->xstate) == FT_THREAD_SUSPENDED) {
            /* release: pairs with the acquire CAS in _ft_attach. */
            ft_atomic_store_release(&t->xstate, FT_THREAD_DETACHED);
            _ft_unpark_all(&t->xstate);
        }
    }
    pthread_mutex_unlock(&rt->head_lock);
    ft_atomic_store_relaxed(&stw->xrequester, NULL);
    ft_mutex_unlock(&stw->mutex);
    return 0;
}

bool _ft_world_stopped_by_me(void)
{
    ft_tstate *me = _ft_tstate_current;
    return me && ft_atomic_load_relaxed(&_ft_runtime.stw.xrequester) == me;
}

bool _ft_only_thread(void)
{
    ft_runtime *rt = &_ft_runtime;
    pthread_mutex_lock(&rt->head_lock);
    bool alone = !rt->threads ||
                 (rt->threads->next == NULL && rt->threads == _ft_tstate_current);
    pthread_mutex_unlock(&rt->head_lock);
    return alone;
}

void ft_stw_get_stats(ft_stw_stats *out)
{
    ft_stw *stw = &_ft_runtime.stw;
    *out = (ft_stw_stats){
        .stops = ft_atomic_load_relaxed(&stw->stats.xstops),
        .total_ns = ft_atomic_load_relaxed(&stw->stats.xtotal_ns),
        .max_ns = ft_atomic_load_relaxed(&stw->stats.xmax_ns),
        .last_ns = ft_atomic_load_relaxed(&stw->stats.xlast_ns),
        .last_parked_attached = ft_atomic_load_relaxed(&stw->stats.xlast_parked_attached),
        .last_parked_detached = ft_atomic_load_relaxed(&stw->stats.xlast_parked_detached),
    };
}
