/* tools/traces.h — tracemalloc inside the runtime: the allocation hooks
 * and the trace table, between runtime/tools/tracemalloc.c and the two
 * table implementations, gil/traces.c and nogil/traces.c.
 *
 * The hooks (what mem.c and object.c call)
 *
 *   allocation paths of mem.c    _ft_trace_alloc_hook(p, requested)
 *   ft_free, before the release  _ft_trace_free_hook(p)
 *   a free deferred to a grace   _ft_trace_free_hook(p), at the logical
 *     period (_ft_qsbr_free)       free (_ft_mem_uncount): the memory
 *                                  waits, the trace does not
 *   ft_realloc, around the call  _ft_trace_realloc_begin / _end
 *   an object parked on a free   _ft_trace_park_hook(block)
 *     list (mem/freelist.c)
 *   an object unparked from a    _ft_trace_reuse_hook(block)
 *     free list (object.c)
 *
 * Each is an inline that reads one flag, relaxed, and calls out of line
 * only while tracing. Relaxed is enough: a thread that reads a stale
 * "off" just after start misses one allocation (as if it came before the
 * start); a stale "on" after stop cannot happen because stop clears the
 * flag and then stops the world, and every thread re-attaches through an
 * acquire that pairs with the restart's release (internal/tstate.h).
 * liburcu's call_rcu thread, the only non-runtime thread that frees,
 * never runs a hook: a deferred free was untraced by the thread that
 * freed it, and the grace period only returns the memory.
 *
 * A free must untrace the block *before* the allocator can hand it to
 * another thread, and an allocation trace it only after getting it: so
 * trace operations on one address are ordered by the allocator itself.
 *
 * The trace table: address -> ft_trace_node, one node per traced block;
 * the node points at its traceback, interned (one copy per distinct
 * traceback, as CPython's tracemalloc keeps them).
 *
 *   ft_trace_node (system malloc, never ft_malloc)
 *   +------+------+------+--------+----+
 *   | next | addr | size | parked | tb |---.
 *   +------+------+------+--------+----+   |  shared by every
 *                                          v  node with it
 *   ft_trace_tb  +------+------+---------+-----------------+
 *                | next | hash | nframes | frames[nframes] |
 *                +------+------+---------+-----------------+
 *
 * Tracebacks (tracemalloc.c, "Interned tracebacks") live in a chained
 * table under a mutex, fronted by a small per-thread cache, so a thread
 * that allocates again from the same place takes no lock and touches no
 * shared line. They are kept until tracing stops or clear_traces, as in
 * CPython, not reference-counted: a count would be one more contended
 * atomic per allocation and free, and their number is bounded by the
 * program's distinct allocation sites. At stop and clear, with the world
 * stopped, after the nodes that point at them left the table, they are
 * handed to _ft_traces_retire_tb, and every cache is invalidated by
 * bumping a generation number.
 *
 * A parked block (an object on a free list) was freed by the program, so
 * it no longer counts, in any flavor (the nogil lists are per thread: an
 * object freed by another thread than its allocator parks elsewhere).
 * Its trace is replaced by a *parked* node, which keeps only the size for
 * the block's reuse: counted nowhere, seen by no snapshot or lookup.
 *
 * Invariants
 *   a node is in the table  <=>  its block is allocated and was allocated
 *                                (or reused) while tracing
 *   traced current == sum of the sizes of the unparked nodes in the table
 *   a node is immutable once inserted; a retraced (or parked) block gets
 *   a new node
 *   a node's tb is in the traceback table (tracemalloc.c) as long as the
 *   node is in the trace table; a traceback is immutable
 *
 * Contract of the table (both files)
 *   insert, remove and lookup may run at once on any attached threads
 *   (nogil: a lock per shard of the table; the GIL serialises them in
 *   gil). A lookup reads the node it found under that protection, so a
 *   removed node is the remover's: retiring it frees it at once. for_each
 *   and drain run with the world stopped.
 */
#ifndef FTLAB_TOOLS_TRACES_H
#define FTLAB_TOOLS_TRACES_H

#include "../internal/common.h"
#include "../internal/flavor.h"   /* the table: gil/traces.c, nogil/traces.c */
#include <ftlab/tracemalloc.h>

/* An interned traceback (tracemalloc.c): immutable once published. */
typedef struct ft_trace_tb {
    struct ft_trace_tb *next;    /* chain of the traceback table        */
    uint64_t hash;               /* of nframes and frames               */
    uint32_t nframes;            /* >= 1                                */
    ft_frame frames[];           /* most recent first                   */
} ft_trace_tb;

typedef struct ft_trace_node {
    struct ft_trace_node *next;  /* the table's chain (the flavor's)       */
    uintptr_t addr;              /* the block                              */
    size_t size;                 /* requested bytes                        */
    bool parked;                 /* the block is on a free list: counts as
                                    nothing, only its size is kept         */
    const ft_trace_tb *tb;       /* interned, shared                       */
} ft_trace_node;

/* ---- The table (gil/traces.c, nogil/traces.c) -------------------------
 * _ft_traces_init, _node_new, _insert, _remove, _retire, _retire_tb,
 * _lookup, _for_each, _drain and _count are flavor hooks:
 * internal/flavor.h, "Traces". */

/* ---- Out-of-line halves of the hooks (tracemalloc.c) ------------------- */

/* True while tracemalloc traces. Relaxed everywhere: it publishes no
 * memory (the trace table publishes itself, see _ft_traces_init), and
 * a hook that sees it late only misses or adds one trace around a
 * start or stop. */
extern _Atomic bool _ft_xtracing;

void _ft_trace_alloc(void *p, size_t size);
void _ft_trace_free(void *p);
void _ft_trace_park(void *block);
void _ft_trace_reuse(void *block);
/* ft_fini, before the main thread leaves QSBR: stops tracing, forgets
 * the phase report and objgraph's growth baseline. */
void _ft_tracemalloc_fini(void);

static inline bool _ft_trace_on(void)
{
    return ft_unlikely(ft_atomic_load_relaxed(&_ft_xtracing));
}

static inline void *_ft_trace_alloc_hook(void *p, size_t size)
{
    if (_ft_trace_on() && p)
        _ft_trace_alloc(p, size);
    return p;
}

static inline void _ft_trace_free_hook(void *p)
{
    if (_ft_trace_on() && p)
        _ft_trace_free(p);
}

static inline void _ft_trace_park_hook(void *block)
{
    if (_ft_trace_on())
        _ft_trace_park(block);
}

static inline void _ft_trace_reuse_hook(void *block)
{
    if (_ft_trace_on())
        _ft_trace_reuse(block);
}

/* realloc: the old block is untraced before the call (after it, another
 * thread may already own the address) and its node kept; the end either
 * traces the new block or, when the call failed, puts the node back. */
ft_trace_node *_ft_trace_realloc_take(void *p);
void _ft_trace_realloc_done(ft_trace_node *old, void *p, void *q, size_t n);

static inline ft_trace_node *_ft_trace_realloc_begin(void *p)
{
    return _ft_trace_on() ? _ft_trace_realloc_take(p) : NULL;
}

static inline void _ft_trace_realloc_end(ft_trace_node *old, void *p, void *q,
                                         size_t n)
{
    if (old || (_ft_trace_on() && q))
        _ft_trace_realloc_done(old, p, q, n);
}

#endif /* FTLAB_TOOLS_TRACES_H */
