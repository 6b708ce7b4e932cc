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
 *     head_lock: CAS every DETACHED thread     a checkpoint or a dealloc
 *       to SUSPENDED (countdown -= n),         safe point, detaches as
 *       set FT_REQ_STOP on ATTACHED ones       SUSPENDED, head_lock:
 *     countdown == 0? done                     countdown -= 1, 0 -> set
 *     wait stop_event, 1 ms (the first         stop_event; parks until
 *       time: watch it 50 us, then wait)       DETACHED again, re-attaches
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
 *
 * Jobs inside the pause (internal/stw.h). A thread parked at a checkpoint
 * does not sleep on its state word at once: until the world restarts it
 * waits on job.xseq and runs the jobs the stopper posts
 * (_ft_stw_run_parallel), then attaches as before. One job at a time:
 *
 *   stopper                                 parked attached thread
 *   fn, arg = ...                           seq = xseq (acquire)
 *   xjob = OPEN            (release)        state != SUSPENDED? attach
 *   xseq += 1, unpark xseq                  CAS xjob OPEN|n -> OPEN|n+1
 *   fn(arg)                                   (acquire: sees fn, arg)
 *   xjob &= ~OPEN          (acq_rel)          fn(arg)
 *   wait xjob == 0         (acquire)          xjob -= 1 (release)
 *   return                                  spin a little on xseq, park
 *
 * so every write of every participant's fn happens-before the return,
 * and fn/arg are never rewritten while a helper may read them (they are
 * written only while xjob is 0: closed, nobody inside). ft_start_the_world
 * bumps xseq after setting the states DETACHED, which wakes the helpers
 * to attach (the parking lot's contract: the word changes before the
 * unpark, so no wake-up is lost). Detached threads park in _ft_attach and
 * never see a job. A stop without parked attached threads posts nothing:
 * the stopper calls fn itself.
 */
#include <sched.h>
#include "internal/tstate.h"
#include "internal/qsbr.h"
#include "internal/stw.h"

enum {
    JOB_OPEN = 1u << 31,   /* xjob: a job is posted; low bits: helpers in fn */
};
/* A helper watches xseq this long (yielding the CPU) before it parks: the
 * steps of one collection follow each other within microseconds, a young
 * collection's pause lasts about a hundred, and a futex wake-up costs
 * tens — which would delay both the next step and the restart. */
#define HELP_SPIN_NS (200 * FT_NS_PER_US)
/* The stopper watches the stop event this long (yielding the CPU) before
 * it sleeps on it: an attached thread reaches a checkpoint or a dealloc
 * safe point within microseconds (object.c), and waking the stopper from
 * a futex would cost about as much again, on every stop. */
#define STOP_SPIN_NS (50 * FT_NS_PER_US)

static struct {
    void (*fn)(void *);          /* written by the stopper while xjob == 0 */
    void *arg;
    _Atomic uint32_t xjob;       /* JOB_OPEN | helpers inside fn           */
    _Atomic uint32_t xseq;       /* bumped per post and per restart        */
} job;

/* A helper enters the open job; false when none is open. */
static bool job_join(void)
{
    uint32_t v = ft_atomic_load_relaxed(&job.xjob);
    while (v & JOB_OPEN) {
        /* acquire: pairs with the stopper's release store of JOB_OPEN, so
         * fn and arg are the posted ones. */
        if (ft_atomic_cas_acquire(&job.xjob, &v, v + 1))
            return true;
    }
    return false;
}

/* A parked attached thread, until the world restarts: runs posted jobs.
 * It is SUSPENDED (counted parked) all along; a job touches no thread
 * state. */
static void help_until_restart(ft_tstate *ts)
{
    uint32_t done = 0;
    bool ran = false;
    for (;;) {
        /* acquire: a restart's DETACHED store comes before its bump. */
        uint32_t seq = ft_atomic_load_acquire(&job.xseq);
        if (ft_atomic_load_acquire(&ts->xstate) != FT_THREAD_SUSPENDED)
            return;
        if ((!ran || seq != done) && job_join()) {
            job.fn(job.arg);
            /* release: what fn wrote happens-before the stopper's return. */
            ft_atomic_sub_acq_rel(&job.xjob, 1);
            done = seq;
            ran = true;
            continue;
        }
        uint64_t until = _ft_monotonic_ns() + HELP_SPIN_NS;
        while (ft_atomic_load_relaxed(&job.xseq) == seq && _ft_monotonic_ns() < until)
            sched_yield();
        if (ft_atomic_load_relaxed(&job.xseq) == seq)
            _ft_park(&job.xseq, &seq, 4, -1, false);
    }
}

int _ft_stw_helpers(void)
{
    ft_runtime *rt = &_ft_runtime;
    ft_assert(_ft_world_stopped_by_me());
    pthread_mutex_lock(&rt->head_lock);
    int n = (int)rt->stw.parked_attached;
    pthread_mutex_unlock(&rt->head_lock);
    return n;
}

void _ft_stw_run_parallel(void (*fn)(void *), void *arg)
{
    ft_assert(_ft_world_stopped_by_me());
    if (_ft_stw_helpers() == 0) {
        fn(arg);
        return;
    }
    job.fn = fn;
    job.arg = arg;
    ft_atomic_store_release(&job.xjob, JOB_OPEN);
    /* release: a helper that reads the new xseq (acquire) sees OPEN. */
    ft_atomic_add_acq_rel(&job.xseq, 1);
    _ft_unpark_all(&job.xseq);
    fn(arg);
    /* acq_rel: closes the job; no helper joins after this. */
    atomic_fetch_and_explicit(&job.xjob, ~(uint32_t)JOB_OPEN, memory_order_acq_rel);
    /* acquire: pairs with each helper's release decrement. A helper in fn
     * has claimed a piece of the work and is finishing it. */
    while (ft_atomic_load_acquire(&job.xjob) != 0)
        sched_yield();
}

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

    help_until_restart(ts);
    _ft_attach(ts);
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

/* true when the threads still to park all did within STOP_SPIN_NS. */
static bool spin_for_stop(ft_event *stop_event)
{
    uint64_t until = _ft_monotonic_ns() + STOP_SPIN_NS;
    do {
        if (_ft_event_is_set(stop_event))
            return true;
        sched_yield();
    } while (_ft_monotonic_ns() < until);
    return false;
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
    for (bool first = true;; first = false) {
        bool all = park_detached_threads(stw, me);
        pthread_mutex_unlock(&rt->head_lock);
        if (all || (first && spin_for_stop(&stw->stop_event)) ||
            _ft_event_wait(&stw->stop_event, (int64_t)FT_NS_PER_MS, false))
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
    bool suspended = false;
    for (ft_tstate *t = rt->threads; t; t = t->next) {
        if (ft_atomic_load_relaxed(&t->xstate) == FT_THREAD_SUSPENDED) {
            /* release: pairs with the acquire CAS in _ft_attach. */
            ft_atomic_store_release(&t->xstate, FT_THREAD_DETACHED);
            _ft_unpark_all(&t->xstate);
            suspended = true;
        }
    }
    /* Any suspended thread may wait in help_until_restart, even one this
     * stop parked as detached: a helper that had yet to notice the last
     * restart when this stop suspended it again. */
    if (suspended) {
        /* release, after the DETACHED stores: a helper that reads the new
         * xseq (acquire) sees its state changed. */
        ft_atomic_add_acq_rel(&job.xseq, 1);
        _ft_unpark_all(&job.xseq);
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
