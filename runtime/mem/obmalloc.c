/* obmalloc.c — arenas, pools and size classes (see obmalloc.h). */
#include <string.h>
#include <sys/mman.h>
#include <pthread.h>
#include "heap.h"

ft_arena_counters _ft_arena_counters;
const ft_pool_grace *_ft_pool_grace;
/* WAITING pools of every heap (invariant W summed): tells
 * _ft_obmalloc_await_pending whether there is anything to wait for. */
static _Atomic uint64_t xpools_waiting_all;

/* Validation at transitions (FT_DEBUG >= 3; see the end of this file). As
 * mimalloc checks a page at each of its transitions, the pool or arena
 * that changes state is checked on the spot: O(its blocks) for a pool,
 * paid once per fill or drain of it; O(1) plus its free-pool list for an
 * arena; both arena lists (arena_lists_valid, O(arenas)) when an arena is
 * mapped or unmapped. The whole heap (_ft_heap_validate) is checked only
 * where it is rare: at the end of a collection and when a heap set changes
 * hands (nogil/heap.c). Below FT_DEBUG 3 the calls compile to nothing
 * (ft_assert_expensive). */
/* unused: below FT_DEBUG 3 only the unevaluated ft_assert_expensive
 * names it (clang's -Wunneeded-internal-declaration). */
static bool pool_valid(ft_heap *h, ft_pool *pool) __attribute__((unused));
static bool arena_valid(ft_heap *h, ft_arena *a);
static bool arena_lists_valid(ft_heap *h);

/* Guards the radix tree's leaves and the arena-descriptor pool. Taken only
 * when an arena is mapped or unmapped. */
static pthread_mutex_t arena_lock = PTHREAD_MUTEX_INITIALIZER;

/* fork: held across fork() so that the child's copy is consistent; the
 * child re-initializes it (the forking thread is the child's only one). */
void _ft_obmalloc_fork_prepare(void) { pthread_mutex_lock(&arena_lock); }
void _ft_obmalloc_fork_parent(void) { pthread_mutex_unlock(&arena_lock); }
void _ft_obmalloc_fork_child(void) { pthread_mutex_init(&arena_lock, NULL); }

/* ---- Radix tree (the lookup is inline in obmalloc.h) ------------------- */

_Atomic(_Atomic uint8_t *) _ft_xradix_root[1u << FT_RADIX_ROOT_BITS];

static int radix_set(uintptr_t base, bool on)
{
    ft_assert_internal(_ft_mutex_is_held(&arena_lock));
    _Atomic(_Atomic uint8_t *) *slot = &_ft_xradix_root[_ft_radix_root_index(base)];
    _Atomic uint8_t *leaf = ft_atomic_load_relaxed(slot);
    if (!leaf) {
        size_t bytes = 1u << FT_RADIX_LEAF_BITS;
        void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            return -1;
        leaf = m;
        ft_atomic_store_release(slot, leaf);   /* zeroed leaf visible first */
    }
    /* relaxed: see _ft_obmalloc_owns; writers are serialized by
     * arena_lock and each arena has a byte of its own. */
    ft_atomic_store_relaxed(&leaf[_ft_radix_leaf_index(base)], on);
    return 0;
}

/* ---- Arena descriptors ---------------------------------------------------
 * Kept outside the arenas (as CPython's arena_object array): an arena's
 * own first slot holds its pool headers only. Carved from 64 KiB mappings; recycled. */
static ft_arena *descriptor_free;   /* arena_lock */

static ft_arena *descriptor_new(void)
{
    ft_assert_internal(_ft_mutex_is_held(&arena_lock));
    if (!descriptor_free) {
        size_t bytes = 64 * 1024;
        ft_arena *chunk = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (chunk == MAP_FAILED)
            return NULL;
        for (size_t i = 0; i < bytes / sizeof *chunk; i++) {
            chunk[i].next = descriptor_free;
            descriptor_free = &chunk[i];
        }
    }
    ft_arena *a = descriptor_free;
    descriptor_free = a->next;
    return a;
}

/* ---- Mapping arenas ------------------------------------------------------ */

static uintptr_t map_aligned(size_t size)
{
    size_t len = 2 * size;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    uintptr_t base = ((uintptr_t)p + size - 1) & ~(uintptr_t)(size - 1);
    size_t head = base - (uintptr_t)p, tail = len - head - size;
    if (head)
        munmap(p, head);
    if (tail)
        munmap((char *)base + size, tail);
    return base;
}

static void count_arena(bool mapped)
{
    ft_arena_counters *c = &_ft_arena_counters;
    if (mapped) {
        ft_atomic_add_relaxed(&c->xallocated, 1);
        uint64_t now = ft_atomic_add_relaxed(&c->xcurrent, 1) + 1;
        uint64_t high = ft_atomic_load_relaxed(&c->xhighest);
        while (now > high && !ft_atomic_cas_relaxed(&c->xhighest, &high, now))
            ;
    } else {
        ft_atomic_add_relaxed(&c->xfreed, 1);
        atomic_fetch_sub_explicit(&c->xcurrent, 1, memory_order_relaxed);
    }
}

static ft_arena *arena_map(ft_heap *h)
{
    uintptr_t base = map_aligned(FT_ARENA_SIZE);
    if (!base)
        return NULL;
    pthread_mutex_lock(&arena_lock);
    ft_arena *a = descriptor_new();
    if (!a || radix_set(base, true) < 0) {
        if (a) {
            a->next = descriptor_free;
            descriptor_free = a;
        }
        pthread_mutex_unlock(&arena_lock);
        munmap((void *)base, FT_ARENA_SIZE);
        return NULL;
    }
    pthread_mutex_unlock(&arena_lock);
    *a = (ft_arena){ .base = base, .heap = h,
                     .nfreepools = FT_POOLS_PER_ARENA };
    count_arena(true);
    ft_atomic_bump_single_writer(&h->xarenas, 1);
    return a;
}

static void arena_unmap(ft_heap *h, ft_arena *a)
{
    uintptr_t base = a->base;
    pthread_mutex_lock(&arena_lock);
    radix_set(base, false);   /* clearing never allocates: cannot fail */
    a->next = descriptor_free;
    descriptor_free = a;
    pthread_mutex_unlock(&arena_lock);
    munmap((void *)base, FT_ARENA_SIZE);
    count_arena(false);
    ft_atomic_bump_single_writer(&h->xarenas, (uint64_t)-1);
}

/* ---- Arena lists (owner) ------------------------------------------------- */

static void arena_unlink(ft_arena **head, ft_arena *a)
{
    if (a->prev)
        a->prev->next = a->next;
    else
        *head = a->next;
    if (a->next)
        a->next->prev = a->prev;
    a->next = a->prev = NULL;
}

static void arena_push(ft_arena **head, ft_arena *a)
{
    a->prev = NULL;
    a->next = *head;
    if (*head)
        (*head)->prev = a;
    *head = a;
}

/* Invariant A: usable_arenas sorted by nfreepools, fewest first. */
static void arena_insert_sorted(ft_heap *h, ft_arena *a)
{
    ft_arena *prev = NULL, *cur = h->usable_arenas;
    while (cur && cur->nfreepools < a->nfreepools) {
        prev = cur;
        cur = cur->next;
    }
    a->prev = prev;
    a->next = cur;
    if (cur)
        cur->prev = a;
    if (prev)
        prev->next = a;
    else
        h->usable_arenas = a;
}

/* The header of a's i-th carved pool (0-based): pools take slots 1..63,
 * their headers slot 0 (mem/obmalloc.h, "Memory layout"). */
static ft_pool *arena_pool(const ft_arena *a, uint32_t i)
{
    return (ft_pool *)(a->base + (uintptr_t)(i + 1) * FT_POOL_HEADER);
}

/* A pool from the most allocated usable arena (or a new arena). */
static ft_pool *arena_take_pool(ft_heap *h)
{
    ft_arena *a = h->usable_arenas;
    if (!a) {
        _ft_heaps_before_new_arena();
        if (!(a = arena_map(h)))
            return NULL;
        h->empty_arenas++;
        arena_insert_sorted(h, a);
        ft_assert_expensive(arena_lists_valid(h));
    }
    ft_pool *pool;
    if (a->freepools) {
        pool = a->freepools;
        a->freepools = pool->next;
    } else {
        pool = arena_pool(a, a->ncarved++);
    }
    if (a->nfreepools == FT_POOLS_PER_ARENA)
        h->empty_arenas--;
    /* Still the fewest free pools: the head stays sorted. */
    if (--a->nfreepools == 0) {
        arena_unlink(&h->usable_arenas, a);
        arena_push(&h->full_arenas, a);
    }
    pool->arena = a;
    ft_assert_expensive(arena_valid(h, a));
    return pool;
}

static void arena_return_pool(ft_heap *h, ft_pool *pool)
{
    ft_arena *a = pool->arena;
    pool->state = FT_POOL_EMPTY;
    pool->next = a->freepools;
    a->freepools = pool;
    arena_unlink(a->nfreepools == 0 ? &h->full_arenas : &h->usable_arenas, a);
    if (++a->nfreepools == FT_POOLS_PER_ARENA) {
        /* Invariant E: one empty arena stays for reuse, so that a program
         * hovering at an arena boundary does not mmap/munmap every time. */
        if (h->empty_arenas >= 1) {
            arena_unmap(h, a);
            ft_assert_expensive(arena_lists_valid(h));
            return;
        }
        h->empty_arenas++;
    }
    arena_insert_sorted(h, a);
    ft_assert_expensive(arena_valid(h, a));
}

/* ---- Pools (owner) ------------------------------------------------------- */

static void list_push(ft_pool **head, ft_pool *pool)
{
    pool->prev = NULL;
    pool->next = *head;
    if (*head)
        (*head)->prev = pool;
    *head = pool;
}

static void list_remove(ft_pool **head, ft_pool *pool)
{
    if (pool->prev)
        pool->prev->next = pool->next;
    else
        *head = pool->next;
    if (pool->next)
        pool->next->prev = pool->prev;
    pool->next = pool->prev = NULL;
}

/* usable[c] keeps a tail too: a new pool goes to the head (allocation
 * takes it next), a pool that is no longer FULL to the tail (the head keeps
 * serving; by the time the list reaches it, it has gathered local frees). */
static void pool_link(ft_heap *h, ft_pool *pool)
{
    unsigned c = pool->size_class;
    list_push(&h->usable[c], pool);
    if (!h->usable_tail[c])
        h->usable_tail[c] = pool;
}

static void pool_link_tail(ft_heap *h, ft_pool *pool)
{
    unsigned c = pool->size_class;
    ft_pool *tail = h->usable_tail[c];
    pool->next = NULL;
    pool->prev = tail;
    if (tail)
        tail->next = pool;
    else
        h->usable[c] = pool;
    h->usable_tail[c] = pool;
}

static void pool_unlink(ft_heap *h, ft_pool *pool)
{
    unsigned c = pool->size_class;
    if (h->usable_tail[c] == pool)
        h->usable_tail[c] = pool->prev;
    list_remove(&h->usable[c], pool);
}

static void set_state(ft_heap *h, ft_pool *pool, uint8_t state)
{
    ft_class_counters *c = &h->xclass[pool->size_class];
    if (!FT_OBMALLOC_COUNTED) {   /* the shim: no statistics (invariant S) */
        pool->state = state;
        return;
    }
    if (pool->state == FT_POOL_USED)
        ft_atomic_bump_single_writer(&c->xpools_used, (uint64_t)-1);
    else if (pool->state == FT_POOL_FULL)
        ft_atomic_bump_single_writer(&c->xpools_full, (uint64_t)-1);
    if (state == FT_POOL_USED)
        ft_atomic_bump_single_writer(&c->xpools_used, 1);
    else if (state == FT_POOL_FULL)
        ft_atomic_bump_single_writer(&c->xpools_full, 1);
    pool->state = state;
}

/* Carves never-used blocks onto the (empty) free list, in address order:
 * up to EXTEND_BYTES of them, at least one, as far as the pool has room
 * (mimalloc's page extension: a pool's memory is touched as it is needed,
 * not all at once, and the batch makes carving rare). */
enum { EXTEND_BYTES = 4096 };

static bool pool_extend(ft_pool *pool)
{
    ft_assert_internal(pool->free == NULL);
    size_t bs = pool->block_size;
    size_t room = (FT_POOL_SIZE - pool->bump) / bs;
    if (room == 0)
        return false;
    size_t n = EXTEND_BYTES / bs;
    n = n == 0 ? 1 : n > room ? room : n;
    char *first = _ft_pool_blocks(pool) + pool->bump;
    for (size_t i = 0; i + 1 < n; i++)
        _ft_block_set_next((ft_block *)(first + i * bs), (ft_block *)(first + (i + 1) * bs));
    _ft_block_set_next((ft_block *)(first + (n - 1) * bs), NULL);
    pool->free = (ft_block *)first;
    pool->bump = (uint16_t)(pool->bump + n * bs);
    return true;
}

static void pool_init(ft_heap *h, ft_pool *pool, unsigned c)
{
    pool->free = NULL;
    pool->local_free = NULL;
    pool->used = 0;
    pool->size_class = (uint8_t)c;
    pool->block_size = (uint16_t)_ft_class_size(c);
    pool->bump = FT_POOL_HEADER;
    pool->heap = h;
    pool->state = FT_POOL_EMPTY;
    atomic_init(&pool->xremote, 0);
    pool_extend(pool);
    set_state(h, pool, FT_POOL_USED);
    pool_link(h, pool);
    ft_assert_expensive(pool_valid(h, pool));   /* EMPTY -> USED */
}

/* Moves the pool's remote frees onto its free list; returns how many.
 * Only for a pool that is not FULL (no DELAYED tag). */
static uint32_t pool_collect_remote(ft_heap *h, ft_pool *pool)
{
    if (!ft_atomic_load_relaxed(&pool->xremote))
        return 0;
    /* acquire: pairs with the freers' release CAS, so their writes to
     * b->next (and to the block before freeing it) are visible. */
    uintptr_t list = ft_atomic_exchange_acq_rel(&pool->xremote, 0);
    ft_assert_internal(!(list & FT_REMOTE_DELAYED));
    uint32_t n = 0;
    ft_block *b = (ft_block *)list, *last = NULL;
    for (; b; last = b, b = _ft_block_next(b))
        n++;
    if (last) {
        _ft_block_set_next(last, pool->free);
        pool->free = (ft_block *)list;
    }
    pool->used = (uint16_t)(pool->used - n);
    _ft_obmalloc_count(&h->xclass[pool->size_class].xfrees, n);
    return n;
}

/* Invariant T2: only object memory that lock-free readers may look at
 * waits, only while the runtime runs a grace-period hook, and only when
 * another thread could be such a reader. */
static bool pool_must_wait(ft_heap *h)
{
    return _ft_pool_grace && h->kind != FT_HEAP_RAW && !_ft_pool_grace->alone();
}

/* ---- Grace periods of emptied object pools (invariants T2, W; owner) --- */

/* Closes the current epoch and asks for a grace period that makes it safe
 * (at most one request in flight: the rcu_head lives in the heap). */
static void grace_request(ft_heap *h)
{
    h->grace_target = ++h->epoch;
    h->epoch_pools = 0;
    /* relaxed: set by the owner only; _ft_heap_grace_done's release store
     * of false is what the owner must not miss, and it reads with acquire. */
    ft_atomic_store_relaxed(&h->xgrace_busy, true);
    _ft_pool_grace->defer(h);
}

static bool grace_busy(ft_heap *h)
{
    /* acquire: pairs with _ft_heap_grace_done; grace_target is ours again. */
    return ft_atomic_load_acquire(&h->xgrace_busy);
}

void _ft_heap_grace_done(ft_heap *h)
{
    /* release (both): the owner that sees the new safe epoch (or the
     * request over) acquires everything up to the end of the grace period,
     * so none of its re-carving can be ordered before a reader's access. */
    ft_atomic_store_release(&h->xsafe_epoch, h->grace_target);
    ft_atomic_store_release(&h->xgrace_busy, false);
}

static void count_waiting(ft_heap *h, int64_t n)
{
    ft_atomic_bump_single_writer(&h->xpools_waiting, (uint64_t)n);
    ft_atomic_add_relaxed(&xpools_waiting_all, (uint64_t)n);
}

static void pool_wait(ft_heap *h, ft_pool *pool)
{
    pool->state = FT_POOL_WAITING;
    pool->grace_epoch = h->epoch;
    list_push(&h->waiting[pool->size_class], pool);
    count_waiting(h, 1);
    h->epoch_pools++;
    if (!grace_busy(h))
        grace_request(h);
}

/* Takes a WAITING pool off its list, to re-carve or to return. */
static ft_pool *pool_unwait(ft_heap *h, ft_pool *pool)
{
    list_remove(&h->waiting[pool->size_class], pool);
    count_waiting(h, -1);
    return pool;
}

static void return_safe_pools(ft_heap *h, uint64_t safe)
{
    for (unsigned c = 0; c < FT_HEAP_CLASSES; c++)
        for (ft_pool *pool = h->waiting[c], *next; pool; pool = next) {
            next = pool->next;
            if (pool->grace_epoch < safe)
                arena_return_pool(h, pool_unwait(h, pool));
        }
}

/* Returns the pools of safe epochs to their arenas (once per new safe
 * epoch); asks for a grace period if pools wait in the open epoch and no
 * request is in flight. */
static void tend_waiting(ft_heap *h)
{
    if (!ft_atomic_load_relaxed(&h->xpools_waiting))
        return;
    /* acquire: pairs with _ft_heap_grace_done's release. */
    uint64_t safe = ft_atomic_load_acquire(&h->xsafe_epoch);
    if (safe != h->safe_seen) {
        return_safe_pools(h, safe);
        h->safe_seen = safe;
    }
    /* No hook (ft_fini is over): nothing new waits, nothing to request. */
    if (h->epoch_pools && _ft_pool_grace && !grace_busy(h))
        grace_request(h);
}

static void pool_release(ft_heap *h, ft_pool *pool)
{
    ft_assert_expensive(pool_valid(h, pool));   /* every block free */
    ft_assert_internal(pool->used == 0);
    pool_unlink(h, pool);
    set_state(h, pool, FT_POOL_EMPTY);
    if (pool_must_wait(h))
        pool_wait(h, pool);   /* USED -> WAITING */
    else
        arena_return_pool(h, pool);   /* USED -> EMPTY */
}

bool _ft_obmalloc_await_pending(void)
{
    /* relaxed: a count, read to decide whether to wait at all; the wait
     * itself (the barrier) orders everything that matters. */
    if (!_ft_pool_grace || !ft_atomic_load_relaxed(&xpools_waiting_all))
        return false;
    _ft_pool_grace->barrier();
    return true;
}

/* The usable pool's free list is empty: refills it from local_free and
 * xremote, else by carving; true if that worked. Otherwise the pool is
 * really full: it goes FULL, off the usable list (mimalloc's
 * _mi_page_free_collect, then page extension, then the full queue). */
static bool pool_refill(ft_heap *h, ft_pool *pool)
{
    ft_assert_internal(pool->free == NULL);
    pool->free = pool->local_free;
    pool->local_free = NULL;
    pool_collect_remote(h, pool);
    if (pool->free || pool_extend(pool))
        return true;
    uintptr_t expected = 0;
    /* relaxed: the tag only redirects freers; it publishes no data. */
    if (!ft_atomic_cas_relaxed(&pool->xremote, &expected, FT_REMOTE_DELAYED)) {
        pool_collect_remote(h, pool);   /* a block arrived meanwhile */
        return true;
    }
    pool_unlink(h, pool);
    set_state(h, pool, FT_POOL_FULL);
    ft_assert_expensive(pool_valid(h, pool));   /* USED -> FULL */
    return false;
}

/* ---- Allocation ---------------------------------------------------------- */

static void drain_delayed(ft_heap *h);

void *_ft_heap_alloc_slow(ft_heap *h, unsigned c)
{
    if (ft_atomic_load_relaxed(&h->xdelayed))
        drain_delayed(h);
    tend_waiting(h);
    ft_pool *pool;
    /* The head pool first; pools that turn out really full leave. */
    while ((pool = h->usable[c]) != NULL && !pool->free && !pool_refill(h, pool))
        ;
    if (!pool) {
        /* A waiting pool of the class first: re-carving it is safe (T1). */
        pool = h->waiting[c] ? pool_unwait(h, h->waiting[c]) : arena_take_pool(h);
        if (!pool)
            return NULL;
        pool_init(h, pool, c);
    }
    ft_block *b = pool->free;
    pool->free = _ft_block_next(b);
    pool->used++;
    _ft_obmalloc_count(&h->xclass[c].xallocs, 1);
    return b;
}

/* ---- Free ---------------------------------------------------------------- */

/* The block went back to a FULL pool or emptied it. */
void _ft_heap_free_slow(ft_heap *h, ft_pool *pool)
{
    if (pool->state == FT_POOL_FULL) {
        uintptr_t tag = FT_REMOTE_DELAYED;
        /* From now on remote freers push on the pool again. */
        if (!ft_atomic_cas_relaxed(&pool->xremote, &tag, 0))
            ft_assert_internal(false && "FULL pool without its DELAYED tag");
        set_state(h, pool, FT_POOL_USED);
        pool_link_tail(h, pool);
        ft_assert_expensive(pool_valid(h, pool));   /* FULL -> USED */
    }
    /* The only usable pool of its class stays, empty, for the next
     * allocation: alloc/free pairs must not release and re-carve a pool
     * each time. _ft_heap_collect releases it. */
    if (pool->used == 0 && (pool->prev || pool->next))
        pool_release(h, pool);
}

void _ft_heap_free_remote(ft_pool *pool, ft_block *b)
{
    uintptr_t old = ft_atomic_load_relaxed(&pool->xremote);
    while (!(old & FT_REMOTE_DELAYED)) {
        _ft_block_set_next(b, (ft_block *)old);
        /* release: the owner's acquire exchange sees b's link and whatever
         * the program wrote into the block before freeing it. */
        if (ft_atomic_cas_release(&pool->xremote, &old, (uintptr_t)b))
            return;
    }
    /* FULL pool: hand the block to the heap (which outlives every pool). */
    ft_heap *h = pool->heap;
    ft_block *head = ft_atomic_load_relaxed(&h->xdelayed);
    do {
        _ft_block_set_next(b, head);
    } while (!ft_atomic_cas_release(&h->xdelayed, &head, b));
}

static void drain_delayed(ft_heap *h)
{
    /* acquire: pairs with the freers' release pushes. */
    ft_block *b = ft_atomic_exchange_acq_rel(&h->xdelayed, NULL);
    while (b) {
        ft_block *next = _ft_block_next(b);
        ft_assert_internal(_ft_pool_of(b)->heap == h);
        _ft_heap_free_local(h, _ft_pool_of(b), b);
        b = next;
    }
}

/* ---- Whole-heap operations ---------------------------------------------- */

void _ft_heap_init(ft_heap *h, int kind)
{
    memset(h, 0, sizeof *h);
    h->kind = kind;
}

static bool pool_in_use(const ft_pool *pool)
{
    return pool->state == FT_POOL_USED || pool->state == FT_POOL_FULL;
}

/* Calls fn on every carved pool that is USED or FULL; fn must not release
 * pools (the walk would lose its arena). */
static void for_each_pool(ft_heap *h, void (*fn)(ft_heap *, ft_pool *, void *),
                          void *arg)
{
    ft_arena *lists[2] = { h->usable_arenas, h->full_arenas };
    for (int l = 0; l < 2; l++)
        for (ft_arena *a = lists[l]; a; a = a->next)
            for (uint32_t i = 0; i < a->ncarved; i++) {
                ft_pool *pool = arena_pool(a, i);
                if (pool_in_use(pool))
                    fn(h, pool, arg);
            }
}

static void collect_pool(ft_heap *h, ft_pool *pool, void *arg)
{
    uint64_t *live = arg;
    if (pool->state == FT_POOL_USED)
        pool_collect_remote(h, pool);
    *live += pool->used;
}

uint64_t _ft_heap_collect(ft_heap *h)
{
    drain_delayed(h);
    tend_waiting(h);
    uint64_t live = 0;
    for_each_pool(h, collect_pool, &live);
    /* Empty pools (emptied by remote frees, or kept as the last of their
     * class) are USED pools with nothing in use. */
    for (unsigned c = 0; c < FT_HEAP_CLASSES; c++)
        for (ft_pool *pool = h->usable[c], *next; pool; pool = next) {
            next = pool->next;
            if (pool->used == 0)
                pool_release(h, pool);
        }
    /* ... and the arena kept for reuse goes back to the OS too. */
    for (ft_arena *a = h->usable_arenas, *next; a; a = next) {
        next = a->next;
        if (a->nfreepools == FT_POOLS_PER_ARENA) {
            arena_unlink(&h->usable_arenas, a);
            h->empty_arenas--;
            arena_unmap(h, a);
        }
    }
    ft_assert_expensive(_ft_heap_validate(h));
    return live;
}

typedef struct visit_ctx {
    ft_pool_visitor visit;
    void *arg;
} visit_ctx;

/* The live blocks of a pool as a bitmap: the carved ones, less those on
 * the free lists. After the remote frees are collected (and drain_delayed
 * for FULL pools), `used` counts exactly the live blocks (invariant C),
 * so a pool with none costs nothing and a pool with no free block needs
 * no list walk. ft_fini's collections walk the GC heap five times, over
 * pools mostly emptied by then: a test of every carved block, free or
 * not, and a byte map cleared per pool cost ~28 instructions per live
 * block. */
static void visit_pool(ft_heap *h, ft_pool *pool, void *arg)
{
    visit_ctx *v = arg;
    if (pool->state == FT_POOL_USED)
        pool_collect_remote(h, pool);
    if (pool->used == 0)
        return;
    ft_pool_live p;
    p.first = _ft_pool_blocks(pool) + FT_POOL_HEADER;
    p.size = pool->block_size;
    p.count = pool->used;
    size_t carved = (pool->bump - FT_POOL_HEADER) / p.size;
    p.words = (carved + 63) / 64;
    for (size_t w = 0; w < p.words; w++)
        p.live[w] = ~(uint64_t)0;
    if (carved % 64)
        p.live[p.words - 1] = ((uint64_t)1 << (carved % 64)) - 1;
    if (pool->used != carved) {
        ft_block *lists[2] = { pool->free, pool->local_free };
        for (int l = 0; l < 2; l++)
            for (ft_block *b = lists[l]; b; b = _ft_block_next(b)) {
                size_t i = (size_t)((char *)b - p.first) / p.size;
                p.live[i / 64] &= ~((uint64_t)1 << (i % 64));
            }
    }
    v->visit(&p, v->arg);
}

void _ft_heap_visit_pools(ft_heap *h, ft_pool_visitor visit, void *arg)
{
    drain_delayed(h);
    visit_ctx v = { visit, arg };
    for_each_pool(h, visit_pool, &v);
}

typedef struct block_ctx {
    ft_block_visitor visit;
    void *arg;
} block_ctx;

static void visit_blocks(const ft_pool_live *p, void *arg)
{
    block_ctx *c = arg;
    for (size_t w = 0; w < p->words; w++)
        for (uint64_t m = p->live[w]; m; m &= m - 1)
            c->visit(p->first + (w * 64 + (size_t)__builtin_ctzll(m)) * p->size,
                     p->size, c->arg);
}

void _ft_heap_visit(ft_heap *h, ft_block_visitor visit, void *arg)
{
    block_ctx c = { visit, arg };
    _ft_heap_visit_pools(h, visit_blocks, &c);
}

/* ---- Validation ---------------------------------------------------------- */

static size_t list_length(ft_block *b, ft_pool *pool, bool *ok)
{
    size_t n = 0;
    uintptr_t blocks = (uintptr_t)_ft_pool_blocks(pool);
    for (; b; b = _ft_block_next(b), n++)
        if (_ft_pool_of(b) != pool || n > _ft_pool_capacity(pool->block_size) ||
            (uintptr_t)b - blocks < FT_POOL_HEADER ||
            ((uintptr_t)b - blocks - FT_POOL_HEADER) % pool->block_size ||
            (uintptr_t)b - blocks >= pool->bump) {
            *ok = false;
            return n;
        }
    return n;
}

static void validate_pool(ft_heap *h, ft_pool *pool, void *arg)
{
    bool *ok = arg;
    if (pool->block_size != _ft_class_size(pool->size_class) ||
        pool->bump > FT_POOL_SIZE || pool->bump < FT_POOL_HEADER ||
        pool->arena == NULL) {
        *ok = false;
        return;
    }
    size_t carved = (pool->bump - FT_POOL_HEADER) / pool->block_size;
    size_t nfree = list_length(pool->free, pool, ok) +
                   list_length(pool->local_free, pool, ok);
    /* invariant C: used + |free| + |local_free| == carved <= capacity */
    if (pool->heap != h || pool->used + nfree != carved ||
        carved > _ft_pool_capacity(pool->block_size))
        *ok = false;
    uintptr_t remote = ft_atomic_load_relaxed(&pool->xremote);
    if (pool->state == FT_POOL_FULL &&
        (pool->free || pool->local_free || remote != FT_REMOTE_DELAYED ||
         FT_POOL_SIZE - pool->bump >= pool->block_size))
        *ok = false;
}

/* Invariant S, per class: the counters agree with the pools. */
typedef struct class_tally {
    uint64_t used[FT_HEAP_CLASSES], pools_used[FT_HEAP_CLASSES],
             pools_full[FT_HEAP_CLASSES];
} class_tally;

static void tally_pool(ft_heap *h, ft_pool *pool, void *arg)
{
    (void)h;
    class_tally *t = arg;
    t->used[pool->size_class] += pool->used;
    if (pool->state == FT_POOL_USED)
        t->pools_used[pool->size_class]++;
    else
        t->pools_full[pool->size_class]++;
}

static bool counters_valid(ft_heap *h)
{
    if (!FT_OBMALLOC_COUNTED)
        return true;
    class_tally t;
    memset(&t, 0, sizeof t);
    for_each_pool(h, tally_pool, &t);
    for (unsigned c = 0; c < FT_HEAP_CLASSES; c++) {
        ft_class_counters *cc = &h->xclass[c];
        uint64_t in_use = ft_atomic_load_relaxed(&cc->xallocs) -
                          ft_atomic_load_relaxed(&cc->xfrees);
        if (in_use != t.used[c] ||
            ft_atomic_load_relaxed(&cc->xpools_used) != t.pools_used[c] ||
            ft_atomic_load_relaxed(&cc->xpools_full) != t.pools_full[c])
            return false;
    }
    return true;
}

/* The pool that just changed state (its owner). A pool that left use
 * (EMPTY, WAITING) has no live block and is on no usable list. */
static bool pool_valid(ft_heap *h, ft_pool *pool)
{
    bool ok = true;
    if (pool->state == FT_POOL_USED || pool->state == FT_POOL_FULL)
        validate_pool(h, pool, &ok);
    else
        ok = pool->used == 0 && h->usable[pool->size_class] != pool;
    return ok;
}

/* Invariant A at one arena, in O(1) plus its free-pool list: it belongs
 * to h, its free pools are counted right, and it sits in order among its
 * neighbours on the list its count puts it on. */
static bool arena_valid(ft_heap *h, ft_arena *a)
{
    if (a->heap != h || a->ncarved > FT_POOLS_PER_ARENA ||
        a->nfreepools > FT_POOLS_PER_ARENA)
        return false;
    uint32_t listed = 0;
    for (ft_pool *p = a->freepools; p; p = p->next)
        if (++listed > FT_POOLS_PER_ARENA || p->arena != a || p->state != FT_POOL_EMPTY)
            return false;
    if (a->nfreepools != listed + (FT_POOLS_PER_ARENA - a->ncarved))
        return false;
    ft_arena *head = a->nfreepools ? h->usable_arenas : h->full_arenas;
    if (!a->prev && head != a)
        return false;
    if (a->nfreepools == 0)
        return (!a->prev || a->prev->nfreepools == 0) &&
               (!a->next || a->next->nfreepools == 0);
    return (!a->prev || a->prev->nfreepools <= a->nfreepools) &&
           (!a->next || a->next->nfreepools >= a->nfreepools);
}

/* Invariants A and E over both arena lists: O(arenas). */
static bool arena_lists_valid(ft_heap *h)
{
    uint32_t prev = 0, empty = 0;
    for (ft_arena *a = h->usable_arenas; a; a = a->next) {
        if (a->nfreepools == 0 || a->nfreepools < prev || !arena_valid(h, a))
            return false;
        prev = a->nfreepools;
        empty += a->nfreepools == FT_POOLS_PER_ARENA;
    }
    for (ft_arena *a = h->full_arenas; a; a = a->next)
        if (a->nfreepools != 0 || !arena_valid(h, a))
            return false;
    return empty == h->empty_arenas && empty <= 1;
}

bool _ft_heap_validate(ft_heap *h)
{
    bool ok = arena_lists_valid(h);                         /* A, E */
    uint64_t usable = 0, used_pools = 0;
    for (unsigned c = 0; c < FT_HEAP_CLASSES; c++) {
        ft_pool *last = NULL;
        for (ft_pool *p = h->usable[c]; p; last = p, p = p->next, usable++)   /* U */
            if (p->size_class != c || p->state != FT_POOL_USED || p->heap != h ||
                p->prev != last)
                ok = false;
        if (h->usable_tail[c] != last)
            ok = false;
        used_pools += FT_OBMALLOC_COUNTED ? ft_atomic_load_relaxed(&h->xclass[c].xpools_used) : 0;
    }
    /* U's other direction: every USED pool is on its list. */
    if (FT_OBMALLOC_COUNTED && usable != used_pools)
        ok = false;
    if (!counters_valid(h))                                 /* S */
        ok = false;
    uint64_t waiting = 0;                                   /* invariant W */
    for (unsigned c = 0; c < FT_HEAP_CLASSES; c++)
        for (ft_pool *p = h->waiting[c]; p; p = p->next, waiting++)
            if (p->size_class != c || p->state != FT_POOL_WAITING ||
                p->grace_epoch > h->epoch)
                ok = false;
    if (waiting != ft_atomic_load_relaxed(&h->xpools_waiting))
        ok = false;
    for_each_pool(h, validate_pool, &ok);
    return ok;
}
