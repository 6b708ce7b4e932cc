/* internal/stw.h — work shared out inside a stop-the-world pause
 * (runtime/stw.c; the stop itself is ftlab/thread.h's ft_stop_the_world).
 *
 * While the world is stopped, the threads that parked at a checkpoint
 * (attached when the stop came) have nothing to do. The stopper may hand
 * them a job: _ft_stw_run_parallel(fn, arg) runs fn(arg) on the stopper
 * and on every such thread that wakes in time, and returns once every
 * one of them has returned from fn. Threads that were detached (blocked
 * in a system call, waiting to attach) never run a job: they may hold
 * anything.
 *
 * fn must therefore
 *   - share its work out itself (an atomic counter of pieces to claim):
 *     how many threads join is not known, the stopper may do it all;
 *   - touch no thread state of the thread it runs on (it may run on a
 *     suspended thread), allocate only with the system allocator, take
 *     only leaf locks no thread holds across a checkpoint (so no stopped
 *     thread holds one), never stop or start the world, never run Python
 *     or C code of the program (no decref that may free, no finalizer);
 *   - treat the return of _ft_stw_run_parallel as the only barrier: what
 *     every participant wrote in fn happens-before it returns.
 */
#ifndef FTLAB_INTERNAL_STW_H
#define FTLAB_INTERNAL_STW_H

#include "common.h"

/* How many parked threads may help with a job in the current stop (the
 * caller stopped the world); 0 when it is alone. */
int _ft_stw_helpers(void);

/* The caller stopped the world: runs fn(arg) on it and on the parked
 * threads that join; returns when all of them are done. */
void _ft_stw_run_parallel(void (*fn)(void *), void *arg);

/* A safe point inside a long chain of deallocations (objects/object.c's
 * _ft_dealloc calls it every DEALLOC_SAFEPOINT_EVERY objects of one
 * chain): if another thread asked the world to stop, park here as at a
 * checkpoint, and answer nothing else (no collection, no merge, no GIL
 * drop: those wait for the next real checkpoint). A thread freeing a large structure (a tree of
 * 8,191 tuples takes ~150 us) would otherwise keep every other thread
 * waiting at the stop that long. It parks only when it holds no critical
 * section (so no lock is released under the dealloc's caller) and is
 * attached; see object.c for why the chain's state is safe to be seen by
 * a collection. */
void _ft_stw_dealloc_safepoint(void);
/* Whether deallocation chains have safe points at all: gil: no (a stop
 * request never reaches a thread that holds the GIL, so the chain would
 * count for nothing) / nogil: yes. */
static inline bool _ft_stw_has_dealloc_safepoints(void) { return FT_NOGIL; }

#endif /* FTLAB_INTERNAL_STW_H */
