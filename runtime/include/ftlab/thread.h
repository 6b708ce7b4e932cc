/* ftlab/thread.h — threads, the checkpoint, the GIL, stop-the-world.
 *
 * Glossary
 *   registered  the runtime knows the thread: it has a thread state, made by
 *               ft_init (main thread), ft_thread_start, or
 *               ft_thread_register (a thread ftlab did not create).
 *   attached    the thread may touch runtime objects. In the gil flavor an
 *               attached thread holds the GIL; in nogil many are attached.
 *   detached    registered but outside the runtime, typically blocked in a
 *               system call between FT_BEGIN/END_ALLOW_THREADS. Detached
 *               threads never hold the GIL and are not waited for by a
 *               stop-the-world.
 *   suspended   detached and held back by a stop-the-world: the thread
 *               cannot attach again until the world restarts.
 *   checkpoint  ft_checkpoint(), the only place where a running thread gives
 *               anything up (docs/architecture.md, "Threads, the GIL and
 *               checkpoints"): the GIL when another thread asked for it,
 *               its place in a stop-the-world, refcount merges and
 *               scheduled collections.
 *
 * State machine of a registered thread (changes marked * are made by a
 * thread that stops the world, all others by the thread itself):
 *
 *          attach                     checkpoint during stop-the-world
 *   DETACHED -----> ATTACHED ------------------------------> SUSPENDED
 *      ^  \  <-----   |                                        |  ^
 *      |   \ detach   |                                        |  |
 *      |    `---------+---------------- * park detached --------|--'
 *      `------------------------------ * start the world -------'
 *
 * Concurrency contract
 *   - Runtime calls other than those listed here need an attached thread.
 *   - ft_thread_start, ft_thread_join, ft_checkpoint, ft_save_thread,
 *     ft_stop_the_world: attached callers only.
 *   - ft_thread_register: an unregistered thread; it returns attached.
 *   - ft_restore_thread: the thread that called ft_save_thread.
 *   - Statistics readers may run on any thread, at any time.
 */
#ifndef FTLAB_THREAD_H
#define FTLAB_THREAD_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ft_thread ft_thread;  /* a handle from ft_thread_start      */
typedef struct ft_tstate ft_tstate;  /* a thread's runtime state (opaque)  */

/* Starts a registered, attached thread running fn(arg); NULL with an error
 * (MemoryError, RuntimeError) when the thread cannot be created. */
ft_thread *ft_thread_start(void (*fn)(void *), void *arg);
/* Waits for the thread (detached while waiting) and frees the handle. */
int ft_thread_join(ft_thread *t);

/* Registers the calling thread, one ftlab did not create, and attaches it.
 * -1 with RuntimeError when already registered or the runtime is down. */
int ft_thread_register(void);
/* Unregisters the calling, attached thread registered by the call above. */
int ft_thread_unregister(void);

/* For a thread about to end whose embedder still has work to do before
 * the runtime's exit (ft_thread_start's fn returning, or
 * ft_thread_unregister), and that tells others "I am done" before then
 * (releasing a lock a joiner waits on): call it first, attached. It
 * settles now what the runtime's exit would: every biased count the
 * thread owns is merged and what other threads queued to it (objects
 * they dropped last) is released here (finalizers and weakref callbacks
 * may run, with the embedder's thread state still there); from then on
 * a thread that drops the last reference to one of its objects frees it
 * itself, at once, instead of queuing it to this thread until its exit.
 * So a joiner that wakes up sees those objects dead, as CPython's join
 * does. The thread may still run code afterwards (drop its state,
 * release a lock), but objects it makes then must stay its own until it
 * exits (nogil: nobody else may drop them while it still counts them
 * locally); its exit settles them. Once per thread; a no-op in the gil
 * build and for a thread already retired. */
void ft_thread_retire(void);

/* The calling thread's runtime id (1 for the main thread), 0 when the
 * thread is not registered. Ids are never reused within one ft_init. */
uint64_t ft_thread_id(void);

/* The eval breaker (see the glossary): a single relaxed load and a branch
 * when nothing was requested. */
void ft_checkpoint(void);

/* Detach around blocking calls. The pair must be used in the same scope;
 * inside it the thread must not touch runtime objects. On an unregistered
 * thread both are no-ops. */
ft_tstate *ft_save_thread(void);
void       ft_restore_thread(ft_tstate *ts);
#define FT_BEGIN_ALLOW_THREADS { ft_tstate *_ft_saved_ts = ft_save_thread();
#define FT_END_ALLOW_THREADS   ft_restore_thread(_ft_saved_ts); }

/* ---- The GIL ------------------------------------------------------------
 * A waiter that has not got the GIL after one switch interval asks the
 * holder to drop it; the holder drops at its next checkpoint and, when it
 * was asked, cannot take it again before another thread has (forced
 * switching, as in CPython's ceval_gil.c). */
bool ft_gil_is_enabled(void);
/* Bad values (< 1 or > FT_SWITCH_INTERVAL_MAX_US) leave the interval
 * unchanged, set a ValueError and return -1; 0 on success. */
#define FT_SWITCH_INTERVAL_MAX_US (10L * 1000 * 1000)
int  ft_set_switch_interval_us(long us);
long ft_get_switch_interval_us(void);

typedef struct ft_gil_stats {
    uint64_t acquisitions;   /* times any thread took the GIL             */
    uint64_t handovers;      /* ... and it went to another thread than
                                the last holder                           */
    uint64_t drop_requests;  /* waiters that timed out and asked the
                                holder to drop                            */
    uint64_t forced_waits;   /* droppers that waited for a handover       */
    uint64_t wait_ns;        /* total time threads spent waiting for it   */
} ft_gil_stats;
void ft_gil_get_stats(ft_gil_stats *out);
void ft_gil_reset_stats(void);

/* ---- Per-thread counters ----------------------------------------------- */
typedef struct ft_thread_stats {
    uint64_t id;
    uint64_t gil_acquisitions;  /* times this thread took the GIL          */
    uint64_t gil_waits;         /* ... of which it had to wait             */
    uint64_t gil_wait_ns;       /* time spent waiting for the GIL          */
    uint64_t checkpoint_slow;   /* checkpoints that found a request        */
    uint64_t stw_suspends;      /* times it parked for a stop-the-world    */
} ft_thread_stats;
/* t == NULL: the calling thread. A started thread's counters stay readable
 * after it returns, until ft_thread_join frees the handle. */
int ft_thread_get_stats(const ft_thread *t, ft_thread_stats *out);

/* ---- Stop-the-world -----------------------------------------------------
 * ft_stop_the_world returns once every other attached thread is parked at a
 * checkpoint and every detached one is marked suspended; the caller stays
 * attached and must not detach before ft_start_the_world. One stop at a
 * time: a second caller waits (detached) for the first to finish. */
int  ft_stop_the_world(void);
/* 0, or -1 with RuntimeError when the calling thread did not stop it. */
int  ft_start_the_world(void);

typedef struct ft_stw_stats {
    uint64_t stops;          /* completed stop-the-world pauses           */
    uint64_t total_ns;       /* time from request to world stopped        */
    uint64_t max_ns;
    uint64_t last_ns;
    uint64_t last_parked_attached;  /* threads that parked at a checkpoint */
    uint64_t last_parked_detached;  /* threads suspended while detached    */
} ft_stw_stats;
void ft_stw_get_stats(ft_stw_stats *out);

#endif /* FTLAB_THREAD_H */
