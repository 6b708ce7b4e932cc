/* internal/tstate.h — thread states, the runtime registry, stop-the-world.
 *
 * See ftlab/thread.h for the glossary and the state machine. This header
 * holds the layouts.
 *
 * Locks and what they guard (lock order: top to bottom)
 *   stw.mutex (ft_mutex)      one stop-the-world at a time
 *   runtime.head_lock         the registry list, next_id, stw.requested,
 *                             stw.countdown, every thread's `handle` link
 *   gil.mutex, switch_mutex   see global_lock.h
 *   parking-lot bucket locks  leaf locks
 *
 * A thread's `xstate` moves DETACHED -> ATTACHED only by the thread itself
 * (CAS, so that it cannot race with a stopper's DETACHED -> SUSPENDED), and
 * SUSPENDED -> DETACHED only by the stopper, under head_lock.
 */
#ifndef FTLAB_INTERNAL_TSTATE_H
#define FTLAB_INTERNAL_TSTATE_H

#include <pthread.h>
#include "common.h"
#include "flavor.h"   /* per-thread refcount hooks, _ft_flavor_resolve_gil */
#include "global_lock.h"
#include "parking_lot.h"

enum ft_thread_state {
    FT_THREAD_DETACHED = 0,
    FT_THREAD_ATTACHED = 1,
    FT_THREAD_SUSPENDED = 2,
};

/* Request bits of the eval breaker. Set by other threads with a relaxed
 * atomic OR (the request itself carries no data; whatever it is about is
 * re-read under the owning lock by the handler), cleared by the owner. */
enum ft_request {
    FT_REQ_GIL_DROP = 1u << 0,  /* a waiter wants the GIL                 */
    FT_REQ_STOP     = 1u << 1,  /* park for a stop-the-world              */
    FT_REQ_RC_MERGE = 1u << 2,  /* objects queued for a refcount merge    */
    FT_REQ_GC       = 1u << 3,  /* a collection is due (internal/gc.h)    */
};

struct ft_tstate {
    _Atomic uintptr_t xeval_breaker; /* ft_request bits; hot, first field  */
    _Atomic int xstate;              /* ft_thread_state                    */
    uint64_t id;
    ft_tstate *prev, *next;          /* registry list (head_lock)          */
    ft_thread *handle;               /* started by ft_thread_start, or NULL */
    uintptr_t critical_section;      /* innermost section, tagged; owner
                                        only (also through _ft_cs_top)    */
    bool holds_gil;                  /* owner only; for assertions         */
    uint32_t qsbr_countdown;         /* checkpoints to the next quiescent
                                        state (internal/qsbr.h; owner)    */
    bool external;                   /* registered by ft_thread_register   */
    _ft_rc_counters *rc_counters;    /* its FT_RC_STATS block (rcstats.c)  */
    uint8_t gc_stripe;               /* nogil/gc.c: its outside-list
                                        stripe + 1, 0 before first use    */
    struct {                         /* single writer: the owner           */
        _Atomic uint64_t xgil_acquisitions, xgil_waits, xgil_wait_ns,
                         xcheckpoint_slow, xstw_suspends;
    } stats;
    struct {                         /* biased refcounting (nogil/brc.c;   */
        uintptr_t tid;               /* unused by the gil build)           */
        ft_tstate *bucket_next;      /* its BRC bucket's lock guards these */
        struct ft_object **queue;    /* objects to merge at a checkpoint   */
        size_t len, cap;
        bool retired;                /* left its bucket (ft_thread_retire;
                                        owner only)                       */
    } brc;
};

typedef struct ft_stw {
    ft_mutex mutex;                  /* held from stop to start            */
    bool requested;                  /* head_lock                          */
    int countdown;                   /* threads still to park (head_lock)  */
    ft_event stop_event;             /* set when countdown reaches 0       */
    _Atomic(ft_tstate *) xrequester; /* read relaxed to refuse nesting     */
    uint64_t started_ns;
    uint64_t parked_attached, parked_detached;   /* head_lock            */
    struct {
        _Atomic uint64_t xstops, xtotal_ns, xmax_ns, xlast_ns,
                         xlast_parked_attached, xlast_parked_detached;
    } stats;
} ft_stw;

typedef struct ft_runtime {
    _Atomic bool xinitialized;
    pthread_mutex_t head_lock;
    ft_tstate *threads;              /* registry list head (head_lock)     */
    ft_tstate *main;                 /* the thread that called ft_init     */
    uint64_t next_id;                /* head_lock                          */
    ft_config config;                /* resolved: no "unset" fields left   */
    int64_t mem_baseline_blocks;     /* live ft_malloc blocks at ft_init   */
    int64_t mem_baseline_bytes;
    int64_t mem_baseline_objects;
    ft_gil gil;
    ft_stw stw;
} ft_runtime;

extern ft_runtime _ft_runtime;
extern _Thread_local ft_tstate *_ft_tstate_current
    __attribute__((tls_model("initial-exec")));

static inline ft_tstate *_ft_tstate_get(void) { return _ft_tstate_current; }

/* thread.c */
ft_tstate *_ft_tstate_new(bool external);   /* registered, not yet bound  */
void _ft_tstate_bind(ft_tstate *ts);        /* makes it the current one   */
void _ft_tstate_delete_current(void);       /* detaches, unregisters     */
void _ft_attach(ft_tstate *ts);
void _ft_detach(ft_tstate *ts);
static inline bool _ft_is_attached(ft_tstate *ts)
{
    return ts && ft_atomic_load_relaxed(&ts->xstate) == FT_THREAD_ATTACHED;
}
static inline void _ft_request(ft_tstate *ts, uintptr_t bits)
{
    ft_atomic_or_relaxed(&ts->xeval_breaker, bits);
}
static inline void _ft_request_clear(ft_tstate *ts, uintptr_t bits)
{
    ft_atomic_and_relaxed(&ts->xeval_breaker, ~bits);
}

/* stw.c */
void _ft_stw_init(ft_stw *stw);
/* The state a thread registered now starts in (head_lock held). */
int  _ft_stw_initial_state(void);
/* At a checkpoint with FT_REQ_STOP: park until the world restarts. */
void _ft_stw_suspend(ft_tstate *ts);
/* A thread leaving the registry (head_lock held): stop waiting for it. */
void _ft_stw_forget(ft_tstate *ts);

/* mutex.c: critical sections across detach/attach */
void _ft_cs_suspend_all(ft_tstate *ts);
void _ft_cs_resume(ft_tstate *ts);
static inline bool _ft_cs_needs_resume(ft_tstate *ts);

/* FT_CS_INACTIVE, the tag bit on ft_tstate.critical_section and
 * ft_critical_section.prev, is in ftlab/mutex.h (the inline fast paths
 * test it). */
static inline bool _ft_cs_needs_resume(ft_tstate *ts)
{
    return (ts->critical_section & FT_CS_INACTIVE) != 0;
}

/* Per-thread refcount state (_ft_refcount_thread_init, _exit, _retire,
 * _merge_pending) is a flavor hook: internal/flavor.h, "Refcount".
 *
 * Between nogil files only (nogil/brc.c for nogil/gc.c), world stopped:
 * merges every object queued to any thread, keeping the queued
 * reference; returns them (a malloc'ed array, or NULL when there is none
 * or no memory — then counts stay conservative) for the caller to
 * release once the world runs again. */
struct ft_object **_ft_refcount_merge_queued_stopped(size_t *n);

/* rcstats.c: a thread's refcount path counters become readable at bind
 * and are folded into the totals when it leaves (head_lock held). */
void _ft_rc_stats_thread_init(ft_tstate *ts);
void _ft_rc_stats_thread_exit(ft_tstate *ts);

/* What the flavor decides at start-up, _ft_flavor_resolve_gil: a flavor
 * hook (internal/flavor.h, "Flavor"). */

#endif /* FTLAB_INTERNAL_TSTATE_H */
