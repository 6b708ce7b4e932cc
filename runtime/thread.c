/* thread.c — thread states, attach/detach, the checkpoint, thread handles.
 *
 * See ftlab/thread.h for the state machine and internal/tstate.h for the
 * locks. The GIL (global_lock.c) and stop-the-world (stw.c) plug in here:
 * attaching takes the GIL (when enabled) and then wins the DETACHED ->
 * ATTACHED CAS, which a concurrent stop-the-world may have turned into
 * SUSPENDED.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal/gc.h"
#include "internal/tstate.h"
#include "mem/backend.h"
#include "internal/qsbr.h"
#include "internal/stw.h"

_Thread_local ft_tstate *_ft_tstate_current
    __attribute__((tls_model("initial-exec")));

struct ft_thread {
    pthread_t pthread;
    void (*fn)(void *);
    void *arg;
    ft_tstate *ts;          /* head_lock; NULL once the thread has exited */
    ft_thread_stats final;  /* head_lock; the counters it exited with     */
};

/* ---- Registry ----------------------------------------------------------- */

ft_tstate *_ft_tstate_new(bool external)
{
    ft_tstate *ts = calloc(1, sizeof *ts);
    if (!ts) {
        ft_err_set(FT_ERR_MEMORY, "cannot allocate a thread state");
        return NULL;
    }
    ts->external = external;
    ft_runtime *rt = &_ft_runtime;
    pthread_mutex_lock(&rt->head_lock);
    ts->id = rt->next_id++;
    atomic_init(&ts->xstate, _ft_stw_initial_state());
    ts->next = rt->threads;
    if (rt->threads)
        rt->threads->prev = ts;
    rt->threads = ts;
    pthread_mutex_unlock(&rt->head_lock);
    return ts;
}

void _ft_tstate_bind(ft_tstate *ts)
{
    ft_assert(_ft_tstate_current == NULL);
    _ft_tstate_current = ts;
    _ft_cs_top = &ts->critical_section;   /* ftlab/mutex.h's fast paths */
    _ft_refcount_thread_init(ts);
    _ft_rc_stats_thread_init(ts);
    _ft_qsbr_thread_init(ts);
    _ft_qsbr_offline(ts);   /* bound, not yet attached */
}

static void copy_stats(const ft_tstate *ts, ft_thread_stats *out)
{
    *out = (ft_thread_stats){
        .id = ts->id,
        .gil_acquisitions = ft_atomic_load_relaxed(&ts->stats.xgil_acquisitions),
        .gil_waits = ft_atomic_load_relaxed(&ts->stats.xgil_waits),
        .gil_wait_ns = ft_atomic_load_relaxed(&ts->stats.xgil_wait_ns),
        .checkpoint_slow = ft_atomic_load_relaxed(&ts->stats.xcheckpoint_slow),
        .stw_suspends = ft_atomic_load_relaxed(&ts->stats.xstw_suspends),
    };
}

static void unlink_locked(ft_runtime *rt, ft_tstate *ts)
{
    if (ts->prev)
        ts->prev->next = ts->next;
    else
        rt->threads = ts->next;
    if (ts->next)
        ts->next->prev = ts->prev;
}

void _ft_tstate_delete_current(void)
{
    ft_tstate *ts = _ft_tstate_current;
    ft_assert(_ft_is_attached(ts));
    ft_assert(ts->critical_section == 0);
    _ft_mem_clear_freelists();
    _ft_refcount_thread_exit(ts);   /* merges what it owns, attached */
    if (ts != _ft_runtime.main)
        _ft_mem_thread_exit();   /* the main thread's goes in ft_fini */
    _ft_detach(ts);
    _ft_qsbr_thread_exit(ts);

    ft_runtime *rt = &_ft_runtime;
    pthread_mutex_lock(&rt->head_lock);
    unlink_locked(rt, ts);
    _ft_rc_stats_thread_exit(ts);
    _ft_stw_forget(ts);
    if (ts->handle) {
        copy_stats(ts, &ts->handle->final);
        ts->handle->ts = NULL;
    }
    pthread_mutex_unlock(&rt->head_lock);
    _ft_tstate_current = NULL;
    _ft_cs_top = NULL;
    free(ts);
}

/* ---- Attach and detach -------------------------------------------------- */

/* Parks while a stop-the-world holds this thread suspended. */
static void wait_while_suspended(ft_tstate *ts)
{
    const uint32_t suspended = FT_THREAD_SUSPENDED;
    while (ft_atomic_load_acquire(&ts->xstate) == FT_THREAD_SUSPENDED)
        _ft_park(&ts->xstate, &suspended, 4, -1, false);
}

void _ft_attach(ft_tstate *ts)
{
    ft_gil *gil = &_ft_runtime.gil;
    for (;;) {
        _ft_gil_take(gil, ts);
        int expected = FT_THREAD_DETACHED;
        /* acquire: pairs with the stopper's release when it restarts the
         * world, so whatever it changed while we were suspended is seen. */
        if (ft_atomic_cas_acquire(&ts->xstate, &expected, FT_THREAD_ATTACHED))
            break;
        ft_assert_internal(expected == FT_THREAD_SUSPENDED);
        _ft_gil_drop(gil, ts);
        wait_while_suspended(ts);
    }
    _ft_qsbr_online(ts);
    if (_ft_cs_needs_resume(ts))
        _ft_cs_resume(ts);
}

void _ft_detach(ft_tstate *ts)
{
    ft_assert(_ft_is_attached(ts));
    if (ts->critical_section)
        _ft_cs_suspend_all(ts);
    _ft_qsbr_offline(ts);
    /* release: a stopper that sees DETACHED (and suspends us) also sees
     * every write we made while attached. */
    ft_atomic_store_release(&ts->xstate, FT_THREAD_DETACHED);
    _ft_gil_drop(&_ft_runtime.gil, ts);
}

ft_tstate *ft_save_thread(void)
{
    ft_tstate *ts = _ft_tstate_current;
    if (ts)
        _ft_detach(ts);
    return ts;
}

void ft_restore_thread(ft_tstate *ts)
{
    if (!ts)
        return;
    ft_assert(ts == _ft_tstate_current);
    _ft_attach(ts);
}

/* ---- The checkpoint ----------------------------------------------------- */

static FT_NOINLINE void checkpoint_slow(ft_tstate *ts)
{
    ft_atomic_bump_single_writer(&ts->stats.xcheckpoint_slow, 1);
    uintptr_t bits = ft_atomic_load_relaxed(&ts->xeval_breaker);
    if (bits & FT_REQ_STOP) {
        _ft_request_clear(ts, FT_REQ_STOP);
        _ft_stw_suspend(ts);
    }
    if (bits & FT_REQ_RC_MERGE) {
        _ft_request_clear(ts, FT_REQ_RC_MERGE);
        _ft_refcount_merge_pending(ts);
    }
    if (bits & FT_REQ_GC) {
        _ft_request_clear(ts, FT_REQ_GC);
        _ft_gc_run_scheduled();
    }
    if (bits & FT_REQ_GIL_DROP) {
        /* Let the waiter in: the drop waits for the hand-over, the attach
         * queues us behind the new holder. The bit is cleared on retake. */
        _ft_detach(ts);
        _ft_attach(ts);
    }
}

void _ft_stw_dealloc_safepoint(void)
{
    ft_tstate *ts = _ft_tstate_current;
    if (!ts || !(ft_atomic_load_relaxed(&ts->xeval_breaker) & FT_REQ_STOP))
        return;
    /* A critical section would be suspended (its locks released) under a
     * caller that may rely on it until the dealloc returns. A stopper
     * freeing inside its own pause may find a stale request (set before
     * it detached, when another thread stopped the world): it must not
     * park for its own stop. */
    if (ts->critical_section || !_ft_is_attached(ts) || _ft_world_stopped_by_me())
        return;
    _ft_request_clear(ts, FT_REQ_STOP);
    _ft_stw_suspend(ts);
}

/* Every FT_QSBR_PERIOD-th checkpoint (nogil): the quiescent state, then
 * the breaker's test. Out of line, so that the usual checkpoint makes no
 * call before its test and keeps ts in a scratch register (the call in
 * the middle cost a callee-saved register's push and pop on every
 * checkpoint: 4 instructions, 1.3% of nogil's countdown workload). */
static FT_NOINLINE void checkpoint_quiescent(ft_tstate *ts)
{
    _ft_qsbr_quiescent(ts);
    if (ft_atomic_load_relaxed(&ts->xeval_breaker) != 0)
        checkpoint_slow(ts);
}

void ft_checkpoint(void)
{
    ft_tstate *ts = _ft_tstate_current;
    ft_assert(_ft_is_attached(ts));
    if (ft_unlikely(_ft_qsbr_tick_due(ts))) {
        checkpoint_quiescent(ts);
        return;
    }
    if (ft_unlikely(ft_atomic_load_relaxed(&ts->xeval_breaker) != 0))
        checkpoint_slow(ts);
}

void ft_thread_retire(void)
{
    ft_tstate *ts = _ft_tstate_current;
    ft_assert(_ft_is_attached(ts));
    _ft_refcount_thread_retire(ts);
}

uint64_t ft_thread_id(void)
{
    return _ft_tstate_current ? _ft_tstate_current->id : 0;
}

/* ---- Threads ftlab starts ----------------------------------------------- */

static void *thread_main(void *arg)
{
    ft_thread *t = arg;
    ft_tstate *ts;
    pthread_mutex_lock(&_ft_runtime.head_lock);
    ts = t->ts;
    pthread_mutex_unlock(&_ft_runtime.head_lock);
    _ft_tstate_bind(ts);
    _ft_attach(ts);
    t->fn(t->arg);
    _ft_tstate_delete_current();
    return NULL;
}

/* A build with FT_NO_OBJECT_LOCKS (a research toggle: nogil's critical
 * sections compiled out, to measure what they cost one thread) is unsafe
 * with two threads touching objects at once. It allows one started thread
 * at a time, beside the main thread waiting in ft_thread_join (how a
 * benchmark runs its single worker), and no registered ones. */
static atomic_int threads_unjoined;

static int single_thread_build(const char *what, bool registering)
{
    if (!FT_NO_OBJECT_LOCKS)
        return 0;
    /* Relaxed: a count of calls made by the one thread that starts and
     * joins them; the refusal is a guard against misuse, not a lock. */
    if (registering || atomic_load_explicit(&threads_unjoined, memory_order_relaxed) > 0)
        return ft_err_set(FT_ERR_RUNTIME, "%s: this build has FT_NO_OBJECT_LOCKS "
                          "(no per-object locks): one thread at a time", what);
    atomic_fetch_add_explicit(&threads_unjoined, 1, memory_order_relaxed);
    return 0;
}

ft_thread *ft_thread_start(void (*fn)(void *), void *arg)
{
    if (!_ft_is_attached(_ft_tstate_current)) {
        ft_err_set(FT_ERR_RUNTIME, "ft_thread_start: the calling thread is "
                                   "not attached to a running ftlab runtime");
        return NULL;
    }
    if (!fn) {
        ft_err_set(FT_ERR_VALUE, "ft_thread_start: fn is NULL");
        return NULL;
    }
    if (single_thread_build("ft_thread_start", false) < 0)
        return NULL;
    /* ft_calloc, not calloc: allocation-failure injection reaches it
     * (test_oom), and a handle never joined shows in ft_fini's report. */
    ft_thread *t = ft_calloc(1, sizeof *t);
    if (!t)
        return NULL;   /* MemoryError set by ft_calloc */
    t->fn = fn;
    t->arg = arg;
    /* Registered before it runs, so a stop-the-world that begins now
     * counts it (or starts it suspended) rather than missing it. */
    ft_tstate *ts = _ft_tstate_new(false);
    if (!ts) {
        ft_free(t);
        return NULL;
    }
    pthread_mutex_lock(&_ft_runtime.head_lock);
    ts->handle = t;
    t->ts = ts;
    pthread_mutex_unlock(&_ft_runtime.head_lock);

    int rc = pthread_create(&t->pthread, NULL, thread_main, t);
    if (rc != 0) {
        ft_runtime *rt = &_ft_runtime;
        pthread_mutex_lock(&rt->head_lock);
        unlink_locked(rt, ts);
        _ft_stw_forget(ts);
        pthread_mutex_unlock(&rt->head_lock);
        free(ts);
        ft_free(t);
        if (FT_NO_OBJECT_LOCKS)
            atomic_fetch_sub_explicit(&threads_unjoined, 1, memory_order_relaxed);
        ft_err_set(rc == EAGAIN ? FT_ERR_MEMORY : FT_ERR_RUNTIME,
                   "cannot start a thread: %s", strerror(rc));
        return NULL;
    }
    return t;
}

int ft_thread_join(ft_thread *t)
{
    if (!t)
        return ft_err_set(FT_ERR_VALUE, "ft_thread_join: NULL thread");
    if (_ft_tstate_current && _ft_tstate_current->handle == t)
        return ft_err_set(FT_ERR_RUNTIME, "a thread cannot join itself");
    int rc;
    FT_BEGIN_ALLOW_THREADS
    rc = pthread_join(t->pthread, NULL);
    FT_END_ALLOW_THREADS
    if (rc != 0)
        return ft_err_set(FT_ERR_RUNTIME, "cannot join a thread: %s",
                          strerror(rc));
    if (FT_NO_OBJECT_LOCKS)
        atomic_fetch_sub_explicit(&threads_unjoined, 1, memory_order_relaxed);
    ft_free(t);
    return 0;
}

/* ---- Threads ftlab did not create --------------------------------------- */

int ft_thread_register(void)
{
    if (!ft_is_initialized())
        return ft_err_set(FT_ERR_RUNTIME,
                          "ft_thread_register: the runtime is not running");
    if (_ft_tstate_current)
        return ft_err_set(FT_ERR_RUNTIME,
                          "ft_thread_register: thread already registered");
    if (single_thread_build("ft_thread_register", true) < 0)
        return -1;
    ft_tstate *ts = _ft_tstate_new(true);
    if (!ts)
        return -1;
    _ft_tstate_bind(ts);
    _ft_attach(ts);
    return 0;
}

int ft_thread_unregister(void)
{
    ft_tstate *ts = _ft_tstate_current;
    if (!ts || !ts->external)
        return ft_err_set(FT_ERR_RUNTIME, "ft_thread_unregister: the calling "
                          "thread was not registered with ft_thread_register");
    if (!_ft_is_attached(ts))
        return ft_err_set(FT_ERR_RUNTIME, "ft_thread_unregister: the calling "
                          "thread is detached (inside ALLOW_THREADS?)");
    _ft_tstate_delete_current();
    return 0;
}

/* ---- Statistics --------------------------------------------------------- */

int ft_thread_get_stats(const ft_thread *t, ft_thread_stats *out)
{
    if (!out)
        return ft_err_set(FT_ERR_VALUE, "ft_thread_get_stats: out is NULL");
    if (!t) {
        if (!_ft_tstate_current)
            return ft_err_set(FT_ERR_RUNTIME, "the calling thread is not "
                                              "registered");
        copy_stats(_ft_tstate_current, out);
        return 0;
    }
    pthread_mutex_lock(&_ft_runtime.head_lock);
    if (t->ts)
        copy_stats(t->ts, out);
    else
        *out = t->final;
    pthread_mutex_unlock(&_ft_runtime.head_lock);
    return 0;
}
