/* global_lock.c — the global interpreter lock (internal/global_lock.h).
 *
 * The lock both builds use: every thread of the gil build takes it, and
 * the nogil build does when FT_GIL=1. It lives here, among the shared
 * runtime files, and not in gil/ (the flavor folder), for that reason.
 * Taking and dropping happen inside _ft_attach/_ft_detach (thread.c);
 * nothing else calls these functions.
 */
#include <errno.h>
#include "internal/global_lock.h"
#include "internal/tstate.h"

static int cond_init_monotonic(pthread_cond_t *cond)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(cond, &attr);
    pthread_condattr_destroy(&attr);
    return rc;
}

int _ft_gil_init(ft_gil *gil, bool enabled, long interval_us)
{
    gil->enabled = enabled;
    gil->holder = NULL;
    atomic_init(&gil->xlocked, 0);
    atomic_init(&gil->xlast_holder, NULL);
    atomic_init(&gil->xswitch_number, 0);
    atomic_init(&gil->xinterval_us, interval_us);
    ft_gil_reset_stats();
    if (pthread_mutex_init(&gil->mutex, NULL) ||
        pthread_mutex_init(&gil->switch_mutex, NULL) ||
        cond_init_monotonic(&gil->cond) ||
        cond_init_monotonic(&gil->switch_cond))
        return ft_err_set(FT_ERR_RUNTIME, "cannot initialise the GIL's locks");
    return 0;
}

void _ft_gil_fini(ft_gil *gil)
{
    pthread_cond_destroy(&gil->switch_cond);
    pthread_cond_destroy(&gil->cond);
    pthread_mutex_destroy(&gil->switch_mutex);
    pthread_mutex_destroy(&gil->mutex);
}

/* Called with gil->mutex held by a waiter whose timed wait expired. */
static void request_drop(ft_gil *gil)
{
    if (gil->holder) {
        _ft_request(gil->holder, FT_REQ_GIL_DROP);
        ft_atomic_add_relaxed(&gil->stats.xdrop_requests, 1);
    }
}

/* Waits on gil->cond (mutex held) until the GIL is free. */
static void wait_until_free(ft_gil *gil)
{
    while (ft_atomic_load_relaxed(&gil->xlocked)) {
        uint64_t switches = ft_atomic_load_relaxed(&gil->xswitch_number);
        uint64_t interval_ns =
            (uint64_t)ft_atomic_load_relaxed(&gil->xinterval_us) * FT_NS_PER_US;
        struct timespec deadline = _ft_timespec_after_ns(interval_ns);
        int rc = pthread_cond_timedwait(&gil->cond, &gil->mutex, &deadline);
        /* Ask for a drop only if nobody got the GIL during our wait:
         * otherwise the new holder deserves its own full interval. */
        if (rc == ETIMEDOUT && ft_atomic_load_relaxed(&gil->xlocked) &&
            ft_atomic_load_relaxed(&gil->xswitch_number) == switches)
            request_drop(gil);
    }
}

static void count_acquisition(ft_gil *gil, ft_tstate *ts, bool waited,
                              uint64_t waited_ns)
{
    ft_atomic_add_relaxed(&gil->stats.xacquisitions, 1);
    ft_atomic_bump_single_writer(&ts->stats.xgil_acquisitions, 1);
    if (waited) {
        ft_atomic_add_relaxed(&gil->stats.xwait_ns, waited_ns);
        ft_atomic_bump_single_writer(&ts->stats.xgil_waits, 1);
        ft_atomic_bump_single_writer(&ts->stats.xgil_wait_ns, waited_ns);
    }
}

void _ft_gil_take(ft_gil *gil, ft_tstate *ts)
{
    if (!gil->enabled)
        return;
    uint64_t t0 = _ft_monotonic_ns();
    pthread_mutex_lock(&gil->mutex);
    bool waited = ft_atomic_load_relaxed(&gil->xlocked) != 0;
    wait_until_free(gil);

    /* switch_mutex orders the last_holder change with a forced-switch
     * waiter's check in _ft_gil_drop: without it the waiter could test
     * last_holder, miss our signal, and sleep forever. */
    pthread_mutex_lock(&gil->switch_mutex);
    ft_atomic_store_relaxed(&gil->xlocked, 1);
    gil->holder = ts;
    if (ft_atomic_load_relaxed(&gil->xlast_holder) != ts) {
        ft_atomic_store_relaxed(&gil->xlast_holder, ts);
        ft_atomic_add_relaxed(&gil->xswitch_number, 1);
        ft_atomic_add_relaxed(&gil->stats.xhandovers, 1);
    }
    pthread_cond_signal(&gil->switch_cond);
    pthread_mutex_unlock(&gil->switch_mutex);

    /* A drop request aimed at our previous tenure is stale now. */
    _ft_request_clear(ts, FT_REQ_GIL_DROP);
    ts->holds_gil = true;
    pthread_mutex_unlock(&gil->mutex);
    count_acquisition(gil, ts, waited, _ft_monotonic_ns() - t0);
}

void _ft_gil_drop(ft_gil *gil, ft_tstate *ts)
{
    if (!gil->enabled)
        return;
    ft_assert_internal(ts->holds_gil);
    pthread_mutex_lock(&gil->mutex);
    ft_atomic_store_relaxed(&gil->xlocked, 0);
    gil->holder = NULL;
    ts->holds_gil = false;
    pthread_cond_signal(&gil->cond);
    pthread_mutex_unlock(&gil->mutex);

    /* Forced switching: we were asked to drop, so a waiter exists; do not
     * race it for the GIL. Waiters never give up, so this ends. */
    if (ft_atomic_load_relaxed(&ts->xeval_breaker) & FT_REQ_GIL_DROP) {
        pthread_mutex_lock(&gil->switch_mutex);
        if (ft_atomic_load_relaxed(&gil->xlast_holder) == ts)
            ft_atomic_add_relaxed(&gil->stats.xforced_waits, 1);
        while (ft_atomic_load_relaxed(&gil->xlast_holder) == ts)
            pthread_cond_wait(&gil->switch_cond, &gil->switch_mutex);
        pthread_mutex_unlock(&gil->switch_mutex);
    }
}

/* ---- Public: switch interval and statistics ---------------------------- */

bool ft_gil_is_enabled(void)
{
    return ft_atomic_load_relaxed(&_ft_runtime.xinitialized) &&
           _ft_runtime.gil.enabled;
}

int ft_set_switch_interval_us(long us)
{
    if (us < 1 || us > FT_SWITCH_INTERVAL_MAX_US) {
        ft_err_set(FT_ERR_VALUE, "switch interval %ld us is out of range (1 to %ld)",
                   us, (long)FT_SWITCH_INTERVAL_MAX_US);
        return -1;
    }
    ft_atomic_store_relaxed(&_ft_runtime.gil.xinterval_us, us);
    return 0;
}

long ft_get_switch_interval_us(void)
{
    return ft_atomic_load_relaxed(&_ft_runtime.gil.xinterval_us);
}

void ft_gil_get_stats(ft_gil_stats *out)
{
    ft_gil *gil = &_ft_runtime.gil;
    *out = (ft_gil_stats){
        .acquisitions = ft_atomic_load_relaxed(&gil->stats.xacquisitions),
        .handovers = ft_atomic_load_relaxed(&gil->stats.xhandovers),
        .drop_requests = ft_atomic_load_relaxed(&gil->stats.xdrop_requests),
        .forced_waits = ft_atomic_load_relaxed(&gil->stats.xforced_waits),
        .wait_ns = ft_atomic_load_relaxed(&gil->stats.xwait_ns),
    };
}

void ft_gil_reset_stats(void)
{
    ft_gil *gil = &_ft_runtime.gil;
    ft_atomic_store_relaxed(&gil->stats.xacquisitions, 0);
    ft_atomic_store_relaxed(&gil->stats.xhandovers, 0);
    ft_atomic_store_relaxed(&gil->stats.xdrop_requests, 0);
    ft_atomic_store_relaxed(&gil->stats.xforced_waits, 0);
    ft_atomic_store_relaxed(&gil->stats.xwait_ns, 0);
}
