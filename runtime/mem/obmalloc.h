/* mem/obmalloc.h — ftlab's small-object allocator: arenas, pools, size
 * classes, heaps.
 *
 * Layers (docs/architecture.md, "The memory layers"; CPython's
 * Objects/obmalloc.c head comment):
 *
 *     object free lists   float, tuple(n), list, dict   (mem/freelist.c)
 *     ------------------------------------------------------------------
 *     obmalloc            requests of 1..512 bytes       (this file)
 *     ------------------------------------------------------------------
 *     the layer below     requests over 512 bytes: the system allocator
 *     the OS              arenas: mmap / munmap
 *
 * Memory layout
 *
 *   arena: 1 MiB, 1 MiB-aligned, from mmap; 64 slots of 16 KiB
 *   +---------+--------+--------+-- ... --+--------+
 *   | headers | pool 1 | pool 2 |         | pool 63|
 *   +---------+--------+--------+-- ... --+--------+
 *    ^ slot 0: the 63 pools' headers (ft_pool, 64 B each; the header
 *      of pool i at base + 64 i), 4 KiB touched, the rest never
 *                ^ pools carved in order (ncarved); emptied pools go on
 *                  the arena's free-pool list and are re-carved for any
 *                  size class
 *
 *   pool: 16 KiB, one size class
 *   +-------------+-------+-------+-------+-----+-------+------+
 *   |   unused    | blk 0 | blk 1 | blk 2 | ... | blk n | tail |
 *   +-------------+-------+-------+-------+-----+-------+------+
 *    <-- 64 B --> <------ capacity * block_size ------>  lost to
 *                                                        quantization
 *   Blocks below `bump` have been carved; each is then live, on one of
 *   the pool's two local free lists, or on its remote list. Carving goes
 *   by up to 4 KiB of blocks at a time, when the free lists run dry.
 *
 *   Why the headers are apart from their pools: every free reads its
 *   block's pool header and every allocation the head pool's of its
 *   class. At the start of 16 KiB-aligned pools they would all fall in
 *   the same set of a cache indexed by the low address bits (one set of
 *   a 32 KiB 8-way L1, four of a 512 KiB 8-way L2): a program with a few
 *   dozen pools in use would miss on nearly every header. Side by side,
 *   63 headers are 63 consecutive lines (mimalloc keeps its page
 *   descriptors in the segment's head for the same reason). The first
 *   64 B of a pool stay unused, as when the header was there, so the
 *   pool's capacity and the statistics' header overhead are unchanged.
 *
 * Size classes: class c serves requests of 16c+1 .. 16(c+1) bytes with
 * blocks of 16(c+1) bytes, c = 0..31 (16-byte alignment, 512 at most).
 *
 * Heaps. A heap (ft_heap) owns arenas and, per size class, the list of its
 * pools that have a free block. Only the heap's owner thread allocates from
 * it and frees into its pools directly, without any atomic read-modify-
 * write. The gil build has one heap, its owner being "whoever holds the
 * GIL". The nogil build has one heap per thread and kind (see heap.h):
 *
 *     malloc by the owner      pop pool->free                (no atomics)
 *     free(p) by the owner     push on pool->local_free      (no atomics)
 *     free(p) by another one   push on pool->xremote (CAS);   the owner
 *                              collects the list when the pool runs dry
 *                              or, for a full pool, when notified
 *
 * Free-list sharding (mimalloc's page.c, alloc.c, free.c). Allocation pops
 * `free` only; a local free pushes `local_free` only. When `free` runs dry
 * the owner takes `local_free` whole, collects `xremote` on top, and only
 * then carves more blocks; only a pool with none of these left is FULL and
 * leaves the usable list, and a FULL pool comes back (at the *tail*, so the
 * pool at the head keeps serving) at its first free. So a pool changes list
 * only when it really becomes full or empty, not on every alloc/free pair
 * at the edge of full, and the fast paths are one pop and one push:
 *
 *     alloc   b = pool->free; if (!b) slow; pool->free = b->next; used++
 *     free    b->next = pool->local_free; pool->local_free = b;
 *             if (--used == 0 || state == FULL) slow
 *
 * Pool states
 *
 *     EMPTY ---carve---> USED ---last free block taken---> FULL
 *       ^                 |  ^                               |
 *       |            used == 0 '--- local free / remote collect'
 *       |                 |
 *       |   RAW heap, no grace hook (gil, libftmalloc), or the
 *       |   caller alone (_ft_pool_grace->alone): at once
 *       +-----------------+
 *       |                 | OBJECT / GC heap with a grace hook (nogil),
 *       |                 | other threads registered
 *       |                 v
 *       '-- its epoch -- WAITING --- re-carved for the same class at
 *           is safe                  once, when the class needs a pool
 *
 *   USED     on the heap's usable[class] list (invariant U); its free
 *            lists may be empty: the allocation slow path finds out
 *   FULL     on no list; free == local_free == NULL, no room to carve,
 *            xremote == DELAYED
 *   WAITING  on the heap's waiting[class] list, newest first; every block
 *            free; still counted as used by its arena
 *   EMPTY    on its arena's free-pool list, or never carved
 *
 * Type-stable object memory (nogil; after CPython's mimalloc pages with
 * a QSBR goal). ft_list_get and ft_dict_get read without the container's
 * lock (internal/qsbr.h): a reader may load an item pointer p just before
 * another thread removes the item and frees it, and then reads p's header
 * (ob_tid, ob_ref_local, ob_ref_shared) and may CAS ob_ref_shared. That is
 * harmless only if, until the reader's next quiescent state, p is still
 * mapped and, if reused, reused as an object header at the same address.
 * So, in the OBJECT and GC heaps of the nogil build:
 *   T1  a block of a pool is reused only for its pool's size class: the
 *       same addresses stay object headers (a free block keeps its dead
 *       object's counts: ob_ref_shared INIT or MERGED with zero, which
 *       every try-incref refuses; only the first word is the free link);
 *   T2  an emptied pool is not re-carved for another class, nor its arena
 *       unmapped, until a grace period has passed. It goes WAITING, tagged
 *       with the heap's current epoch; re-carving it for its own class is
 *       allowed at any time (T1 holds). The heap keeps at most one grace
 *       request in flight (_ft_pool_grace->defer, an rcu_head inside the
 *       heap): a request closes the current epoch, and when liburcu's
 *       call_rcu thread runs it after the grace period it publishes the
 *       closed epochs as safe (_ft_heap_grace_done). The owner, in its
 *       allocation slow path and in _ft_heap_collect, returns the WAITING
 *       pools of safe epochs to their arenas and requests the next grace
 *       period if pools wait in an open epoch. An abandoned heap is tended
 *       by whoever services or adopts it. When the caller is the only
 *       registered thread there is no other reader: an emptied pool goes
 *       back to its arena at once, and a request is over at once (no
 *       call_rcu, nothing for a barrier to wait for);
 *   T3  the link of a free block is read and written with relaxed atomics
 *       (_ft_block_next): it overlays ob_tid, which stale readers load
 *       atomically (plain moves on x86; no data race for TSan).
 * Re-carving for the same class keeps a program that frees and allocates
 * the same kinds of objects at its usual footprint: only memory that would
 * change size class waits for the grace period.
 * Objects outside such pools (over 512 bytes, other backends, the debug
 * wrapper, allocation-failure injection) get the same guarantee from
 * mem.c: _ft_mem_free_object frees them after a grace period when a
 * reader may have found them (_ft_qsbr_object_maybe_found).
 * _ft_heaps_collect waits for waiting pools (_ft_obmalloc_await_pending)
 * so that a collection, and ft_fini, still return every arena.
 *
 * Remote frees and FULL pools (after mimalloc's delayed free). A pool's
 * xremote word is a stack of blocks freed by other threads, or the tag
 * FT_REMOTE_DELAYED alone when the pool is FULL:
 *
 *   owner runs dry     CAS xremote 0 -> DELAYED: the pool is FULL; if the
 *                      CAS fails, blocks arrived: collect them instead
 *   freer, no tag      CAS-push the block on xremote; done
 *   freer, DELAYED     push the block on the *heap's* xdelayed stack; the
 *                      owner drains it in its allocation slow path
 *   owner frees into   CAS DELAYED -> 0, the pool is USED again
 *   a FULL pool
 *
 * A freer touches the pool only while its own block is still counted as
 * used, so the pool cannot be released (nor its arena unmapped) under it;
 * heaps are never freed, only recycled, so a push on a heap is always safe.
 * No read-modify-write is ever done by the owner on its fast paths.
 *
 * Invariants. At FT_DEBUG >= 3 (ft_assert_expensive) every pool and arena
 * is checked when it changes state — a pool at EMPTY -> USED, USED <->
 * FULL and when it empties (U, C), an arena when it gives or takes back
 * a pool (A, locally: its neighbours and its free-pool count), both
 * arena lists (A, E) when an arena is mapped or unmapped, and the whole
 * heap (_ft_heap_validate: U, C, S, A, E, W) at the end of _ft_heap_collect
 * and when a nogil heap set is adopted. Tests call _ft_heap_validate at
 * any level.
 *   U  pool on usable[c]   <=>  state USED and size class c
 *   C  for every pool (mimalloc's used - |thread_free| + |free| +
 *      |local_free| == capacity, with carving on demand):
 *          used + |free| + |local_free| == carved
 *      where carved = (bump - FT_POOL_HEADER) / block_size <= capacity
 *      and used = live blocks + |xremote| + its blocks on the heap's
 *      xdelayed stack (a block freed by another thread still counts as
 *      used until the owner collects it)
 *   S  statistics (not in the shim, which keeps none): per heap and class
 *      xallocs - xfrees == sum of `used` over its USED and FULL pools, and
 *      xpools_used / xpools_full == how many pools are USED / FULL
 *   A  arena on usable_arenas  <=>  nfreepools > 0; the list is sorted by
 *      nfreepools ascending (most allocated first), so new pools come from
 *      the fullest arena and lightly used arenas drain and return to the OS
 *   E  an arena with every pool free is unmapped at once, except one per
 *      heap kept for reuse (CPython's bpo-37257: no mmap/munmap churn at
 *      an arena boundary); _ft_heap_collect unmaps that one too
 *   K  the only USED pool of a size class is kept when it empties (no
 *      release and re-carve per alloc/free pair); _ft_heap_collect
 *      releases it
 *   W  a WAITING pool is on waiting[its class] only, not on its arena's
 *      free-pool list, and its arena counts it as used (so the arena stays
 *      mapped); xpools_waiting counts them; grace_epoch < xsafe_epoch
 *      means its grace period is over
 */
#ifndef FTLAB_MEM_OBMALLOC_H
#define FTLAB_MEM_OBMALLOC_H

#include <stddef.h>
#include <stdint.h>
#include "../internal/common.h"

#define FT_ARENA_BITS   20
#define FT_ARENA_SIZE   ((size_t)1 << FT_ARENA_BITS)   /* 1 MiB  */
#define FT_POOL_BITS    14
#define FT_POOL_SIZE    ((size_t)1 << FT_POOL_BITS)    /* 16 KiB */
/* Slot 0 of an arena holds the pool headers: 63 pools. */
#define FT_POOLS_PER_ARENA (FT_ARENA_SIZE / FT_POOL_SIZE - 1)
#define FT_ALIGNMENT    16
#define FT_NUM_CLASSES  32
#define FT_SMALL_MAX    (FT_NUM_CLASSES * FT_ALIGNMENT)  /* 512   */
#define FT_POOL_HEADER  64    /* a header slot; the unused head of a pool */

static inline unsigned _ft_size_class(size_t n)
{
    return n ? (unsigned)((n - 1) >> 4) : 0;
}

/* Medium size classes: libftmalloc only (FT_SHIM). The object allocator
 * keeps CPython's 512-byte split; the shim, which is the C program's
 * malloc, serves 513..FT_MEDIUM_MAX bytes from pools too, in classes 4 per
 * power of two (640, 768, 896, 1024, 1280, ..., 4096), then 5440 and 8160
 * (three and two blocks a pool), instead of glibc. They are ordinary
 * pools of one heap, so everything above holds for them as written.
 *
 *     class 32 + 4(e - 9) + i, i = 0..3:  (4 + i + 1) << (e - 2) bytes,
 *                                          serving 2^e < n <= that, e = 9..11
 *     class 44: 5440,  class 45: 8160 */
#ifdef FT_SHIM
#define FT_MEDIUM_CLASSES 14
#else
#define FT_MEDIUM_CLASSES 0
#endif
#define FT_MEDIUM_MAX   8160
#define FT_HEAP_CLASSES (FT_NUM_CLASSES + FT_MEDIUM_CLASSES)

/* n must be FT_SMALL_MAX + 1 .. FT_MEDIUM_MAX. */
static inline unsigned _ft_medium_class(size_t n)
{
    if (n > 4096)
        return n > 5440 ? FT_NUM_CLASSES + 13 : FT_NUM_CLASSES + 12;
    unsigned e = 63u - (unsigned)__builtin_clzll((unsigned long long)(n - 1));  /* 9..11 */
    unsigned i = (unsigned)((n - 1) >> (e - 2)) - 4;                           /* 0..3  */
    return FT_NUM_CLASSES + 4 * (e - 9) + i;
}

static inline size_t _ft_class_size(unsigned c)
{
    if (ft_likely(c < FT_NUM_CLASSES))
        return (size_t)(c + 1) << 4;
    unsigned k = c - FT_NUM_CLASSES;
    if (k >= 12)
        return k == 12 ? 5440 : 8160;
    return (size_t)(4 + k % 4 + 1) << (9 + k / 4 - 2);
}

/* A free block: its first word links it (invariant T3: relaxed atomics,
 * because a stale lock-free reader may load the same word as ob_tid). */
typedef struct ft_block { _Atomic(struct ft_block *) xnext; } ft_block;
typedef struct ft_heap ft_heap;
typedef struct ft_arena ft_arena;

static inline ft_block *_ft_block_next(ft_block *b)
{
    return ft_atomic_load_relaxed(&b->xnext);
}

static inline void _ft_block_set_next(ft_block *b, ft_block *next)
{
    ft_atomic_store_relaxed(&b->xnext, next);
}

enum ft_pool_state { FT_POOL_EMPTY = 0, FT_POOL_USED = 1, FT_POOL_FULL = 2,
                     FT_POOL_WAITING = 3 };

typedef struct ft_pool {
    union {
        ft_block *free;          /* allocation pops here (owner)          */
        uint64_t grace_epoch;    /* WAITING: the heap epoch it emptied in */
    };
    ft_block *local_free;        /* the owner's frees push here           */
    uint16_t used;               /* live blocks + blocks on xremote       */
    uint16_t block_size;
    uint16_t bump;               /* offset of the first never-carved block*/
    uint8_t size_class;
    uint8_t state;               /* ft_pool_state (owner)                 */
    struct ft_pool *next, *prev; /* usable[class] or waiting[class] list  */
    ft_arena *arena;
    ft_heap *heap;               /* owner; fixed while any block is live  */
    _Atomic uintptr_t xremote;   /* remote-freed blocks | DELAYED tag     */
} ft_pool;
#define FT_REMOTE_DELAYED ((uintptr_t)1)
_Static_assert(sizeof(ft_pool) <= FT_POOL_HEADER, "pool header too large");
_Static_assert(FT_POOL_HEADER == 64 && FT_ARENA_SIZE / FT_POOL_SIZE * FT_POOL_HEADER <= FT_POOL_SIZE,
               "an arena's pool headers must fit its slot 0, one cache line each");
_Static_assert(FT_POOL_SIZE <= UINT16_MAX + 1 - FT_ALIGNMENT, "bump must fit 16 bits");

/* Blocks of size class c that fit in a pool. */
static inline uint32_t _ft_pool_capacity(size_t block_size)
{
    return (uint32_t)((FT_POOL_SIZE - FT_POOL_HEADER) / block_size);
}

/* The statistics counters (invariant S): libftmalloc (FT_SHIM) keeps
 * none, so its fast paths do no bookkeeping beyond the pool's own. */
#ifdef FT_SHIM
#define FT_OBMALLOC_COUNTED 0
#else
#define FT_OBMALLOC_COUNTED 1
#endif
#define _ft_obmalloc_count(p, v) \
    do { if (FT_OBMALLOC_COUNTED) ft_atomic_bump_single_writer((p), (v)); } while (0)

struct ft_arena {
    uintptr_t base;              /* FT_ARENA_SIZE-aligned                 */
    ft_heap *heap;
    ft_pool *freepools;          /* emptied pools, linked through ->next  */
    uint32_t nfreepools;         /* emptied + never carved                */
    uint32_t ncarved;
    ft_arena *next, *prev;       /* heap's usable_arenas or full_arenas   */
};

/* Counters of one heap: written by the owner only (relaxed), read by
 * anyone. A remote free is counted when the owner collects it. */
typedef struct ft_class_counters {
    _Atomic uint64_t xallocs, xfrees, xpools_used, xpools_full;
} ft_class_counters;

struct ft_heap {
    ft_pool *usable[FT_HEAP_CLASSES];  /* allocation takes the head       */
    ft_pool *usable_tail[FT_HEAP_CLASSES]; /* pools no longer FULL join here*/
    ft_arena *usable_arenas;     /* sorted, see invariant A               */
    ft_arena *full_arenas;       /* no free pool left                     */
    _Atomic(ft_block *) xdelayed;/* blocks freed into FULL pools          */
    ft_class_counters xclass[FT_HEAP_CLASSES];
    _Atomic uint64_t xarenas;    /* arenas owned now                      */
    uint32_t empty_arenas;       /* arenas with every pool free (<= 1)    */
    int kind;                    /* ft_heap_kind (heap.h)                 */
    /* Grace periods of emptied pools (T2, invariant W). */
    ft_pool *waiting[FT_HEAP_CLASSES]; /* WAITING pools, newest first      */
    _Atomic uint64_t xpools_waiting;  /* how many (owner writes)           */
    uint64_t epoch;              /* tag of pools emptied now (owner)      */
    uint64_t epoch_pools;        /* pools tagged with it (owner)          */
    uint64_t safe_seen;          /* xsafe_epoch when last tended (owner)  */
    uint64_t grace_target;       /* epoch the request in flight makes safe*/
    _Atomic uint64_t xsafe_epoch;/* epochs below are past a grace period  */
    _Atomic bool xgrace_busy;    /* a request is in flight                */
    void *grace_link[2];         /* its rcu_head (nogil/qsbr.c)           */
};

/* Before it maps a new arena, the allocation slow path calls the flavor
 * hook _ft_heaps_before_new_arena (internal/flavor.h, "Heap"): nogil
 * first reclaims memory of exited threads, gil has nothing to reclaim. */

/* The grace period of emptied OBJECT and GC pools (invariant T2). NULL
 * (the gil build, libftmalloc, outside ft_init..ft_fini): pools go back
 * to their arena at once. mem.c sets it from _ft_qsbr_pool_grace() at
 * ft_init, before any other thread runs, and clears it at ft_fini. */
typedef struct ft_pool_grace {
    /* Starts a grace period for heap h (its grace_link holds the request);
     * when it is over, _ft_heap_grace_done(h) must run, on any thread. */
    void (*defer)(ft_heap *h);
    /* Waits until every request made so far has run its _ft_heap_grace_done. */
    void (*barrier)(void);
    /* Is the caller the only thread that may read object memory? Then an
     * emptied pool needs no grace period: it goes back to its arena at
     * once, as with no hook (a single-threaded program, ft_fini). */
    bool (*alone)(void);
} ft_pool_grace;
extern const ft_pool_grace *_ft_pool_grace;

/* h's grace request is over: the epochs it closed are safe (any thread;
 * heaps are never freed). */
void _ft_heap_grace_done(ft_heap *h);
/* If any pool is WAITING, waits for the grace requests in flight and
 * returns true: a collection of every heap then returns the pools whose
 * epoch is safe and requests a grace period for the rest
 * (_ft_heaps_collect). */
bool _ft_obmalloc_await_pending(void);

/* pthread_atfork handlers for obmalloc's arena_lock (registered by the
 * heap file, which takes its own lock first: registry_lock -> arena_lock). */
void _ft_obmalloc_fork_prepare(void);
void _ft_obmalloc_fork_parent(void);
void _ft_obmalloc_fork_child(void);

/* The header of a block's pool: O(1), from the address alone. The arena
 * is the address masked to 1 MiB, the pool's slot i the next 6 bits, and
 * its header lies at arena + 64 i (the memory layout above). */
static inline ft_pool *_ft_pool_of(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    uintptr_t slot_bits = (FT_ARENA_SIZE / FT_POOL_SIZE - 1) << 6;   /* 0xFC0 */
    return (ft_pool *)((a & ~(uintptr_t)(FT_ARENA_SIZE - 1)) |
                       ((a >> (FT_POOL_BITS - 6)) & slot_bits));
}

/* The first byte of pool's 16 KiB (where its blocks are; the inverse of
 * _ft_pool_of). */
static inline char *_ft_pool_blocks(const ft_pool *pool)
{
    uintptr_t h = (uintptr_t)pool;
    return (char *)((h & ~(uintptr_t)(FT_ARENA_SIZE - 1)) |
                    ((h & (FT_ARENA_SIZE - 1)) >> 6 << FT_POOL_BITS));
}

/* ---- Radix tree: which 1 MiB regions are arenas -------------------------
 *
 *   47-bit address:  | root: 14 bits | leaf: 13 bits | arena offset: 20 |
 *
 * The root is a static array of leaf pointers; a leaf is a byte map of
 * 2^13 arenas (8 KiB: a byte, not a bit, an arena spares every free the
 * bit's shift, mask and test), mapped on first use and never unmapped
 * (obmalloc.c). */
#define FT_RADIX_ADDR_BITS 47
#define FT_RADIX_ROOT_BITS 14
#define FT_RADIX_LEAF_BITS (FT_RADIX_ADDR_BITS - FT_RADIX_ROOT_BITS - FT_ARENA_BITS)
extern _Atomic(_Atomic uint8_t *) _ft_xradix_root[1u << FT_RADIX_ROOT_BITS];

static inline unsigned _ft_radix_root_index(uintptr_t a)
{
    return (unsigned)(a >> (FT_RADIX_ADDR_BITS - FT_RADIX_ROOT_BITS));
}

static inline unsigned _ft_radix_leaf_index(uintptr_t a)
{
    return (unsigned)(a >> FT_ARENA_BITS) & ((1u << FT_RADIX_LEAF_BITS) - 1);
}

/* Is p inside an arena that obmalloc mapped? O(1), safe on any pointer,
 * from any thread. */
static inline bool _ft_obmalloc_owns(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    if (a >> FT_RADIX_ADDR_BITS)
        return false;
    /* acquire: pairs with the release that published the leaf. */
    _Atomic uint8_t *leaf = ft_atomic_load_acquire(&_ft_xradix_root[_ft_radix_root_index(a)]);
    if (!leaf)
        return false;
    unsigned i = _ft_radix_leaf_index(a);
    /* relaxed: a block reaches a caller only through whatever handed it
     * over, which happens after its arena's bit was set. */
    return ft_atomic_load_relaxed(&leaf[i]) != 0;
}

/* Is p inside a block of type-stable object memory (T1-T2 above)? Only
 * blocks of the OBJECT and GC heaps are: the RAW heap (where the debug
 * wrapper and allocation-failure injection put objects) and every other
 * backend reuse memory for anything at once. Any address inside the
 * block will do: a block never crosses its pool. FT_OBMALLOC_RAW_KIND
 * is heap.h's FT_HEAP_RAW, which includes this header (mem.c asserts that
 * the two agree). */
#define FT_OBMALLOC_RAW_KIND 0
static inline bool _ft_obmalloc_type_stable(const void *p)
{
    return _ft_obmalloc_owns(p) && _ft_pool_of(p)->heap->kind != FT_OBMALLOC_RAW_KIND;
}

void  _ft_heap_init(ft_heap *h, int kind);

/* Slow paths (obmalloc.c). Never inlined: libftmalloc's link-time
 * optimization once pulled _ft_heap_alloc_slow into malloc, whose fast
 * path then saved and restored six registers on every call. */
FT_NOINLINE void *_ft_heap_alloc_slow(ft_heap *h, unsigned c);
FT_NOINLINE void  _ft_heap_free_slow(ft_heap *h, ft_pool *pool);
FT_NOINLINE void  _ft_heap_free_remote(ft_pool *pool, ft_block *b);

/* The allocation fast path alone (the heap's owner): pops the head
 * usable pool's free list, or returns NULL when it is empty or there is
 * no pool, leaving that to _ft_heap_alloc_slow. libftmalloc calls the
 * slow path itself, from a function of its own that malloc tail-calls,
 * so that malloc's fast path saves no registers. */
static inline void *_ft_heap_pop(ft_heap *h, unsigned c)
{
    ft_pool *pool = h->usable[c];
    ft_block *b;
    if (ft_unlikely(!pool || !(b = pool->free)))
        return NULL;
    pool->free = _ft_block_next(b);
    pool->used++;
    _ft_obmalloc_count(&h->xclass[c].xallocs, 1);
    return b;
}

/* Allocation by the heap's owner; n must be 1..FT_SMALL_MAX. */
static inline void *_ft_heap_alloc_class(ft_heap *h, unsigned c)
{
    void *b = _ft_heap_pop(h, c);
    return ft_likely(b != NULL) ? b : _ft_heap_alloc_slow(h, c);
}

static inline void *_ft_heap_alloc_small(ft_heap *h, size_t n)
{
    return _ft_heap_alloc_class(h, _ft_size_class(n));
}

static inline void _ft_heap_free_local(ft_heap *h, ft_pool *pool, ft_block *b)
{
    _ft_block_set_next(b, pool->local_free);
    pool->local_free = b;
    _ft_obmalloc_count(&h->xclass[pool->size_class].xfrees, 1);
    if (ft_unlikely(--pool->used == 0 || pool->state == FT_POOL_FULL))
        _ft_heap_free_slow(h, pool);
}

/* Frees a block of any heap; `me` is the caller's heap of that kind (or
 * NULL): a block of another heap takes the remote path. */
static inline void _ft_heap_free_small(ft_heap *me, void *p)
{
    ft_pool *pool = _ft_pool_of(p);
    if (ft_likely(pool->heap == me))
        _ft_heap_free_local(me, pool, p);
    else
        _ft_heap_free_remote(pool, p);
}
/* Usable size of an obmalloc block. */
static inline size_t _ft_obmalloc_usable_size(const void *p)
{
    return _ft_pool_of(p)->block_size;
}
/* Collects remote frees, releases empty pools and arenas. Owner only.
 * Returns the number of live blocks left. */
uint64_t _ft_heap_collect(ft_heap *h);
/* Visits every live block of h (owner, or the world stopped). */
typedef void (*ft_block_visitor)(void *block, size_t block_size, void *arg);
void _ft_heap_visit(ft_heap *h, ft_block_visitor visit, void *arg);
/* The same a pool at a time, for walks that want no call per block (the
 * nogil collector's full gather): block i of a pool lies at
 * first + i * size and is live when bit i % 64 of live[i / 64] is set,
 * i < 64 * words; count bits are set. Only pools with a live block are
 * visited. */
typedef struct ft_pool_live {
    char *first;
    size_t size, words, count;
    uint64_t live[(FT_POOL_SIZE / FT_ALIGNMENT + 63) / 64];
} ft_pool_live;
typedef void (*ft_pool_visitor)(const ft_pool_live *pool, void *arg);
void _ft_heap_visit_pools(ft_heap *h, ft_pool_visitor visit, void *arg);
/* Checks invariants U, C, A, E and W of every pool and arena of h (owner,
 * or an abandoned heap's popper): FT_DEBUG >= 3 calls it at the end of
 * _ft_heap_collect and when a nogil heap set is adopted; tests call it at
 * any level. */
bool _ft_heap_validate(ft_heap *h);

/* Process-wide arena counters (relaxed atomics). */
typedef struct ft_arena_counters {
    _Atomic uint64_t xallocated, xfreed, xcurrent, xhighest;
} ft_arena_counters;
extern ft_arena_counters _ft_arena_counters;

#endif /* FTLAB_MEM_OBMALLOC_H */
