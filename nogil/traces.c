/* nogil/traces.c — the trace table of the nogil builds: gil/traces.c's
 * chained hash table, cut into SHARDS tables by address, each under its
 * own mutex. CPython's free-threaded tracemalloc keeps one lock for all
 * its tables; one per shard lets threads that trace at once take
 * different locks (a block's shard is a hash of its address, so two
 * threads meet on a lock about once in SHARDS operations).
 *
 * Why locks and not a lock-free table. This file was liburcu's lock-free
 * hash table (cds_lfht) until it measured 5.0x untraced against gil's
 * 2.6x: an insert was a CAS plus CDS_LFHT_ACCOUNTING's per-CPU add, a
 * removal a lookup through the split-ordered list, an atomic OR, a CAS
 * and the accounting add again, and a removed node could only be freed
 * after a grace period — which took per-thread batches, a call_rcu per
 * batch and a shared stack of reusable nodes. Under a lock an operation
 * costs an uncontended lock and unlock (two atomics), the walk is a
 * plain chain, and since lookups read a node only under its shard's
 * lock, a removed node is the remover's to free at once: no grace
 * period, no batches.
 *
 * The lock is a spin lock of one atomic flag, inline: taking it is one
 * exchange, leaving it one release store (no read-modify-write). Not
 * ft_mutex, whose slow path parks the thread and detaches it
 * (ftlab/mutex.h): that would suspend the caller's critical sections in
 * the middle of an allocation and let a stop-the-world (tracemalloc's
 * stop) run while a hook is half done. Not a pthread mutex either: its
 * lock and unlock calls cost 60 instructions and two read-modify-writes
 * per operation, a quarter of a traced allocation+free. A spin lock
 * fits because a section is a chain walk of a few nodes that never
 * blocks, allocates or reaches a safe point (a shard's rare doubling is
 * the longest: a calloc and a rehash); a waiter yields the CPU between
 * looks, so a holder preempted on the waiter's core gets to finish.
 *
 * Invariants (per shard, under its lock): nbuckets is a power of two,
 * count is the number of nodes, count <= 2 * nbuckets after an insert.
 * count is also read without the lock (_ft_traces_count): an atomic,
 * stored relaxed by the holder — a load and a store, not an atomic add.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include "tools/traces.h"

enum {
    SHARDS = 64,
    INIT_BUCKETS = 64,   /* per shard: 4096 in all, as gil's table */
    LINE = 64,           /* bytes in a cache line (x86-64, most arm64) */
};

/* Aligned to a line: two threads on two shards share no line. */
typedef struct shard {
    _Alignas(LINE) _Atomic bool xlocked;
    ft_trace_node **buckets;      /* under lock                         */
    size_t nbuckets;              /* under lock                         */
    _Atomic size_t xcount;        /* written under lock, read anywhere  */
} shard;

static shard shards[SHARDS];

/* Made once, by the first start; released: every shard is ready. */
static _Atomic bool xready;
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash_addr(uintptr_t a)
{
    return ((uint64_t)a >> 4) * 0x9e3779b97f4a7c15ull;   /* 16-byte aligned */
}

/* A multiplicative hash mixes upwards: its low bits depend only on the
 * address's low bits, so the shard takes the top 6 bits and a bucket the
 * bits from 20 up (as in gil/traces.c); the two stay independent up to
 * 2^38 buckets per shard. */
static shard *shard_of(uint64_t h)
{
    return &shards[h >> 58];
}

static size_t bucket(uint64_t h, size_t nb)
{
    return (size_t)(h >> 20) & (nb - 1);
}

static FT_NOINLINE void lock_wait(shard *s)
{
    /* Reads only, so that waiters do not take the line from the holder;
     * relaxed: the exchange that follows acquires. */
    while (ft_atomic_load_relaxed(&s->xlocked))
        sched_yield();
}

static inline void shard_lock(shard *s)
{
    /* acquire: pairs with shard_unlock's release, so the chains are as
     * the previous holder left them. */
    while (ft_unlikely(atomic_exchange_explicit(&s->xlocked, true, memory_order_acquire)))
        lock_wait(s);
}

static inline void shard_unlock(shard *s)
{
    /* release: our chain writes happen-before the next holder's reads. */
    ft_atomic_store_release(&s->xlocked, false);
}

/* fork: a shard lock held by another thread at fork() would stay held
 * forever in the child (as nogil/heap.c says of its locks). A holder is
 * in the middle of a short section, so taking them all waits briefly. */
static void fork_prepare(void)
{
    for (int i = 0; i < SHARDS; i++)
        shard_lock(&shards[i]);
}

static void fork_release(void)   /* in the parent and in the child */
{
    for (int i = 0; i < SHARDS; i++)
        shard_unlock(&shards[i]);
}

int _ft_traces_init(void)
{
    /* acquire: pairs with the release below. */
    if (ft_atomic_load_acquire(&xready))
        return 0;
    pthread_mutex_lock(&init_lock);
    bool ok = true;
    for (int i = 0; i < SHARDS && ok && !ft_atomic_load_relaxed(&xready); i++) {
        shard *s = &shards[i];
        if (s->buckets)
            continue;   /* made by an earlier call that ran out of memory */
        ok = (s->buckets = calloc(INIT_BUCKETS, sizeof *s->buckets)) != NULL;
        if (ok)
            s->nbuckets = INIT_BUCKETS;
    }
    if (ok && !ft_atomic_load_relaxed(&xready))
        ok = pthread_atfork(fork_prepare, fork_release, fork_release) == 0;
    if (ok)   /* release: the shards above happen-before any use */
        ft_atomic_store_release(&xready, true);
    pthread_mutex_unlock(&init_lock);
    return ok ? 0 : ft_err_set(FT_ERR_MEMORY, "tracemalloc: cannot allocate "
                               "the trace table");
}

static bool ready(void)
{
    return ft_atomic_load_acquire(&xready);   /* as in _ft_traces_init */
}

/* ---- One shard, under its lock ------------------------------------------ */

/* Doubles the bucket array; stays as it is when memory is short. */
static void grow(shard *s)
{
    size_t nb = s->nbuckets * 2;
    ft_trace_node **nbk = calloc(nb, sizeof *nbk);
    if (!nbk)
        return;
    for (size_t i = 0; i < s->nbuckets; i++) {
        for (ft_trace_node *n = s->buckets[i], *next; n; n = next) {
            next = n->next;
            size_t b = bucket(hash_addr(n->addr), nb);
            n->next = nbk[b];
            nbk[b] = n;
        }
    }
    free(s->buckets);
    s->buckets = nbk;
    s->nbuckets = nb;
}

/* The link that points at addr's node, or at the chain's end. */
static ft_trace_node **find(shard *s, uint64_t h, uintptr_t addr)
{
    ft_trace_node **pp = &s->buckets[bucket(h, s->nbuckets)];
    while (*pp && (*pp)->addr != addr)
        pp = &(*pp)->next;
    return pp;
}

static void set_count(shard *s, size_t n)
{
    /* relaxed: a statistic; the lock orders the writers. */
    ft_atomic_store_relaxed(&s->xcount, n);
}

/* ---- Operations ------------------------------------------------------------ */

ft_trace_node *_ft_traces_insert(ft_trace_node *n)
{
    /* A hook reaches here because it saw _ft_xtracing, which is relaxed
     * and orders nothing: only this acquire makes the shards that
     * _ft_traces_init built visible. A thread that sees the flag before
     * the table hands n back, and the caller retires it like a replaced
     * node: the block stays untraced, as if allocated before the start. */
    if (ft_unlikely(!ready()))
        return n;
    uint64_t h = hash_addr(n->addr);
    shard *s = shard_of(h);
    shard_lock(s);
    ft_trace_node **pp = find(s, h, n->addr), *old = *pp;
    n->next = old ? old->next : NULL;
    *pp = n;
    if (!old) {
        size_t c = ft_atomic_load_relaxed(&s->xcount) + 1;
        set_count(s, c);
        if (c > 2 * s->nbuckets)
            grow(s);
    }
    shard_unlock(s);
    return old;
}

ft_trace_node *_ft_traces_remove(uintptr_t addr)
{
    if (!ready())
        return NULL;
    uint64_t h = hash_addr(addr);
    shard *s = shard_of(h);
    shard_lock(s);
    ft_trace_node **pp = find(s, h, addr), *n = *pp;
    if (n) {
        *pp = n->next;
        set_count(s, ft_atomic_load_relaxed(&s->xcount) - 1);
    }
    shard_unlock(s);
    return n;
}

/* Nobody can be reading a removed node: lookups read under the lock. */
void _ft_traces_retire(ft_trace_node *n) { free(n); }

/* Nor a dropped traceback: stop and clear drop them after the drain,
 * once no node in the table points at one (tracemalloc.c). */
void _ft_traces_retire_tb(ft_trace_tb *tb) { free(tb); }

ft_trace_node *_ft_traces_node_new(void) { return malloc(sizeof(ft_trace_node)); }

size_t _ft_traces_count(void)
{
    if (!ready())
        return 0;
    size_t c = 0;
    for (int i = 0; i < SHARDS; i++)
        c += ft_atomic_load_relaxed(&shards[i].xcount);
    return c;
}

bool _ft_traces_lookup(uintptr_t addr, void (*fn)(const ft_trace_node *, void *),
                       void *arg)
{
    if (!ready())
        return false;
    uint64_t h = hash_addr(addr);
    shard *s = shard_of(h);
    shard_lock(s);
    ft_trace_node *n = *find(s, h, addr);
    if (n)
        fn(n, arg);   /* under the lock: n cannot be retired meanwhile */
    shard_unlock(s);
    return n != NULL;
}

/* The world is stopped, but a thread that is not attached (a shutdown
 * path) may still be inside an operation: each shard is walked under
 * its lock. */
void _ft_traces_for_each(void (*fn)(const ft_trace_node *, void *), void *arg)
{
    if (!ready())
        return;
    for (int i = 0; i < SHARDS; i++) {
        shard *s = &shards[i];
        shard_lock(s);
        for (size_t b = 0; b < s->nbuckets; b++)
            for (ft_trace_node *n = s->buckets[b]; n; n = n->next)
                fn(n, arg);
        shard_unlock(s);
    }
}

void _ft_traces_drain(void (*fn)(ft_trace_node *, void *), void *arg)
{
    if (!ready())
        return;
    for (int i = 0; i < SHARDS; i++) {
        shard *s = &shards[i];
        shard_lock(s);
        for (size_t b = 0; b < s->nbuckets; b++) {
            ft_trace_node *n = s->buckets[b];
            s->buckets[b] = NULL;
            for (ft_trace_node *next; n; n = next) {
                next = n->next;
                fn(n, arg);
            }
        }
        set_count(s, 0);
        shard_unlock(s);
    }
}
