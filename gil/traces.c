/* gil/traces.c — the trace table of the gil build: a chained hash table
 * keyed by block address, guarded by the GIL like the rest of the heap
 * (every allocation and free runs attached, and attached threads take
 * turns). A lock-free table would only add cost where one thread runs at
 * a time. Nodes and buckets come from the system allocator; a removed
 * node (or a traceback dropped at stop and clear) can be freed at once:
 * nobody else is looking.
 *
 * Invariant: nbuckets is a power of two (or 0 before init), count is
 * the number of nodes, count <= 2 * nbuckets after every insert.
 */
#include <stdlib.h>
#include "tools/traces.h"

static ft_trace_node **buckets;
static size_t nbuckets, count;

enum { INIT_BUCKETS = 4096 };

static size_t bucket(uintptr_t a, size_t nb)
{
    uint64_t h = ((uint64_t)a >> 4) * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 20) & (nb - 1);
}

int _ft_traces_init(void)
{
    if (buckets)
        return 0;
    buckets = calloc(INIT_BUCKETS, sizeof *buckets);
    if (!buckets)
        return ft_err_set(FT_ERR_MEMORY, "tracemalloc: cannot allocate the "
                          "trace table");
    nbuckets = INIT_BUCKETS;
    return 0;
}

/* Doubles the bucket array; stays as it is when memory is short. */
static void grow(void)
{
    size_t nb = nbuckets * 2;
    ft_trace_node **nbk = calloc(nb, sizeof *nbk);
    if (!nbk)
        return;
    for (size_t i = 0; i < nbuckets; i++) {
        for (ft_trace_node *n = buckets[i], *next; n; n = next) {
            next = n->next;
            size_t b = bucket(n->addr, nb);
            n->next = nbk[b];
            nbk[b] = n;
        }
    }
    free(buckets);
    buckets = nbk;
    nbuckets = nb;
}

/* The link that points at addr's node, or at the chain's end. */
static ft_trace_node **find(uintptr_t addr)
{
    ft_trace_node **pp = &buckets[bucket(addr, nbuckets)];
    while (*pp && (*pp)->addr != addr)
        pp = &(*pp)->next;
    return pp;
}

ft_trace_node *_ft_traces_insert(ft_trace_node *n)
{
    ft_trace_node **pp = find(n->addr);
    ft_trace_node *old = *pp;
    n->next = old ? old->next : NULL;
    *pp = n;
    if (!old && ++count > 2 * nbuckets)
        grow();
    return old;
}

ft_trace_node *_ft_traces_remove(uintptr_t addr)
{
    if (!buckets)
        return NULL;
    ft_trace_node **pp = find(addr), *n = *pp;
    if (n) {
        *pp = n->next;
        count--;
    }
    return n;
}

void _ft_traces_retire(ft_trace_node *n) { free(n); }

void _ft_traces_retire_tb(ft_trace_tb *tb) { free(tb); }

ft_trace_node *_ft_traces_node_new(void) { return malloc(sizeof(ft_trace_node)); }

size_t _ft_traces_count(void) { return count; }

bool _ft_traces_lookup(uintptr_t addr, void (*fn)(const ft_trace_node *, void *),
                       void *arg)
{
    ft_trace_node *n = buckets ? *find(addr) : NULL;
    if (n)
        fn(n, arg);
    return n != NULL;
}

void _ft_traces_for_each(void (*fn)(const ft_trace_node *, void *), void *arg)
{
    for (size_t i = 0; i < nbuckets; i++)
        for (ft_trace_node *n = buckets[i]; n; n = n->next)
            fn(n, arg);
}

void _ft_traces_drain(void (*fn)(ft_trace_node *, void *), void *arg)
{
    for (size_t i = 0; i < nbuckets; i++) {
        ft_trace_node *n = buckets[i];
        buckets[i] = NULL;
        for (ft_trace_node *next; n; n = next) {
            next = n->next;
            fn(n, arg);
        }
    }
    count = 0;
}
