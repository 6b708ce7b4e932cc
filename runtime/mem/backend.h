/* mem/backend.h — the allocator interface every backend implements.
 *
 * One table of functions per backend, chosen once at ft_init (like
 * CPython's PyMemAllocatorEx). The debug allocator is a table that wraps
 * another table.
 */
#ifndef FTLAB_MEM_BACKEND_H
#define FTLAB_MEM_BACKEND_H

#include <stddef.h>
#include "../internal/common.h"

typedef struct ft_allocator {
    const char *name;
    void  *(*malloc)(void *ctx, size_t n);
    void  *(*calloc)(void *ctx, size_t count, size_t size);
    void  *(*realloc)(void *ctx, void *p, size_t n);
    void   (*free)(void *ctx, void *p);
    size_t (*usable_size)(void *ctx, const void *p);
    void *ctx;
} ft_allocator;

extern const ft_allocator _ft_obmalloc_allocator;
extern const ft_allocator _ft_mimalloc_allocator;
extern const ft_allocator _ft_system_allocator;
/* Loads libmimalloc (mimalloc_backend.c); -1 with RuntimeError if absent. */
int _ft_mimalloc_load(void);
/* Deletes the calling thread's mimalloc heap (a runtime thread leaving). */
void _ft_mimalloc_thread_exit(void);

/* mem.c: like ft_malloc/ft_free, but a small block comes from the heap of
 * `kind` (mem/heap.h) when obmalloc serves it, and the calling thread's
 * live-object count moves with it. For the object layer. */
void *_ft_mem_alloc_object(int kind, size_t n);
/* `block` is what _ft_mem_alloc_object returned; the object o lives in
 * it, at the start or after the collector's pre-header (internal/gc.h). */
void  _ft_mem_free_object(void *block, struct ft_object *o);
/* The same, but only from the pools of heap `kind`: NULL (no error) when
 * obmalloc does not serve this request, so that the caller can tell which
 * blocks a walk of that heap will find (nogil/gc.c). */
void *_ft_mem_alloc_object_pooled(int kind, size_t n);
/* Frees the block of a dead object o that no longer counts as one (a
 * parked block, or from _ft_mem_free_object): after a grace period when a
 * lock-free reader may still look at o and its memory is not type-stable
 * (internal/qsbr.h). */
void  _ft_mem_release_object(void *block, struct ft_object *o);
void  _ft_mem_count_object(int64_t n);   /* a block parked or unparked */
/* A free deferred to a grace period: uncount (and untrace) at the logical
 * free, release (no accounting) when the grace period is over. */
void  _ft_mem_uncount(void *p);
void  _ft_mem_release_uncounted(void *p);

/* Allocation-failure injection for tests (single-threaded use): after
 * `after` more successful allocations every one fails with MemoryError,
 * until the reset (ft_fini resets too). */
void _ft_mem_fail_after(long after);
void _ft_mem_fail_reset(void);
/* One allocation step of the injection for memory that is not the private
 * heap's (the tools' buffers from the system allocator): true when this
 * allocation must fail. */
bool _ft_mem_fail_injected(void);

/* The call site of the ft_malloc/ft_free call in progress (a return
 * address), recorded only while the debug allocator is in use. */
extern _Thread_local const void *_ft_mem_site;
extern bool _ft_mem_debug;

/* mem/debug.c: wraps `inner` (copied) and returns the wrapping table. */
const ft_allocator *_ft_debug_allocator(const ft_allocator *inner);
/* mem/debug.c: checks and really frees every quarantined block; `op`
 * ("ft_fini", "ft_mem_collect") names the caller in a report. */
void _ft_debug_flush(const char *op);

/* mem/mem.c: selects the backend from "obmalloc", "mimalloc,debug", ...;
 * -1 with ValueError for an unknown name. */
int  _ft_mem_init(const char *spec);
/* Empties the object free lists and the heaps; the runtime then reads the
 * leak counters (ft_mem_get_stats) for ft_fini's report. */
void _ft_mem_fini(void);
/* A runtime thread is leaving (thread.c): first its object free lists
 * are emptied, then (after its objects are merged) its heap abandoned. */
void _ft_mem_clear_freelists(void);
void _ft_mem_thread_exit(void);
extern ft_allocator _ft_mem_current;

#endif /* FTLAB_MEM_BACKEND_H */
