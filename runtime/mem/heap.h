/* mem/heap.h — which heap a thread allocates from: heap sets.
 *
 * A heap set is one ft_heap per kind plus the object free lists (and the
 * thread's live-block counters). The flavors differ only here:
 *
 *   gil     one heap set for the process, used by whichever thread holds
 *           the GIL (gil/heap.c);
 *   nogil   one heap set per thread, found through thread-local storage
 *           (nogil/heap.c). A thread that exits *abandons* its set: the
 *           set is collected and put on the abandoned list with whatever
 *           blocks are still live. Abandoned sets are
 *             - adopted whole by the next thread that needs a heap set, so
 *               pool->heap never changes under a remote freer, and
 *             - serviced by live threads before they map a new arena:
 *               remote frees collected, empty pools and arenas returned.
 *           Nothing is leaked: every set stays on the registry list, and
 *           statistics and heap walks include abandoned sets.
 *
 * Heap kinds keep blocks that a later walk must find apart from the rest:
 * the nogil cycle collector visits every live block of the GC kind,
 * including blocks of exited threads, with _ft_heaps_visit. Blocks that
 * obmalloc does not serve (over 512 bytes, FT_MALLOC=mimalloc or malloc,
 * the debug wrapper) cannot be walked — Debian's mimalloc cannot visit the
 * abandoned segments of exited threads, which CPython patches its copy to
 * do — so the collector links those objects on striped lists of its own
 * (nogil/gc.c).
 */
#ifndef FTLAB_MEM_HEAP_H
#define FTLAB_MEM_HEAP_H

#include "obmalloc.h"
#include "freelist.h"

typedef enum ft_heap_kind {
    FT_HEAP_RAW = 0,     /* ft_malloc: anything not an object            */
    FT_HEAP_OBJECT,      /* objects the cycle collector does not track   */
    FT_HEAP_GC,          /* objects it tracks: walked by the collector   */
    FT_HEAP_KINDS
} ft_heap_kind;

typedef struct ft_heap_set {
    ft_heap heaps[FT_HEAP_KINDS];
    ft_freelists freelists;
    /* Live blocks and bytes allocated minus freed *by this thread* (a
     * block freed by another thread counts there): only sums over all
     * sets mean anything. Single writer, read by statistics. */
    _Atomic int64_t xlive_blocks, xlive_bytes, xlive_objects;
    struct ft_heap_set *all_next;       /* registry (heap.c's lock)      */
    struct ft_heap_set *abandoned_next; /* abandoned list (same lock)    */
    bool abandoned;
} ft_heap_set;

/* Does every thread have its own heap set (and object free lists)? */
static inline bool _ft_heaps_per_thread(void) { return FT_NOGIL; }

/* The calling thread's set (_ft_heaps_current, created or adopted on
 * first use, NULL only when no memory is left for one) and its set if it
 * has one (_ft_heaps_peek, never creates: free must not allocate). They
 * run on every allocation and free, so they are inline accessors here,
 * not calls into gil/heap.c or nogil/heap.c: nogil's is one initial-exec
 * thread-local load and a test, gil's the address of the one set.
 * flavor.h, included below, declares them again among the heap hooks;
 * these definitions come first, so those declarations keep their
 * internal linkage (C17 6.2.2p4). */
#if FT_NOGIL
extern _Thread_local ft_heap_set *_ft_heaps_tls_set
    __attribute__((tls_model("initial-exec")));
/* Out of line: the first use on a thread (nogil/heap.c). */
ft_heap_set *_ft_heaps_attach(void);

static inline ft_heap_set *_ft_heaps_current(void)
{
    ft_heap_set *s = _ft_heaps_tls_set;
    return __builtin_expect(s != NULL, 1) ? s : _ft_heaps_attach();
}

static inline ft_heap_set *_ft_heaps_peek(void) { return _ft_heaps_tls_set; }

/* The set whose object free lists the calling thread parks in and takes
 * from (internal/object.h, _ft_object_park and _ft_object_unpark): its own
 * set, or, before it has one and after it abandoned it, a static CLOSED
 * set, whose every list is empty and full (count UINT32_MAX), so that a
 * take finds nothing and a give is refused, and nothing ever writes it.
 * Never NULL: park and unpark, on every float, int, tuple, list and dict,
 * need no test of the pointer (gil's is the one set, a constant). Set
 * with _ft_heaps_tls_set (nogil/heap.c: attach, abandon). */
extern _Thread_local ft_heap_set *_ft_heaps_tls_objects
    __attribute__((tls_model("initial-exec")));
static inline ft_heap_set *_ft_heaps_objects(void) { return _ft_heaps_tls_objects; }
#else
extern ft_heap_set _ft_heaps_the_set;   /* gil/heap.c */

static inline ft_heap_set *_ft_heaps_current(void) { return &_ft_heaps_the_set; }
static inline ft_heap_set *_ft_heaps_peek(void) { return &_ft_heaps_the_set; }
static inline ft_heap_set *_ft_heaps_objects(void) { return &_ft_heaps_the_set; }
#endif

/* The other hooks that find, walk and abandon heap sets (_thread_exit,
 * _before_new_arena, _collect, _for_each, _visit; gil/heap.c,
 * nogil/heap.c) are declared in internal/flavor.h, "Heap". It is
 * included here, after the types it takes, rather than at the top:
 * flavor.h includes this header for them. */
#include "../internal/flavor.h"

#endif /* FTLAB_MEM_HEAP_H */
