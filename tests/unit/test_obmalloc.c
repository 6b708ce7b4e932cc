/* test_obmalloc.c — obmalloc's pools with free-list sharding (mem/obmalloc.h,
 * "Free-list sharding"): allocation pops `free`, the owner's frees push
 * `local_free`, other threads' frees go on `xremote`; a pool leaves the
 * usable list only when all three are empty and it cannot carve, and comes
 * back at the tail at its first free. Also invariants C and S under random
 * local and remote traffic, and the shim's medium size classes' mapping.
 *
 * Each test uses a private RAW heap of its own (no grace periods, nothing
 * else allocates from it), so pool states and counters are exact. */
#define FT_BUILD_CORE 1   /* white-box: mem/heap.h */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"
#include "mem/heap.h"

enum { BIG = 31 };   /* the 512-byte class: 31 blocks a pool */

static ft_heap *heap_new(void)
{
    ft_heap *h = malloc(sizeof *h);
    assert_non_null(h);
    _ft_heap_init(h, FT_HEAP_RAW);
    return h;
}

/* Every block freed: a collection returns every pool and arena. */
static void heap_done(ft_heap *h)
{
    assert_true(_ft_heap_validate(h));
    assert_int_equal(_ft_heap_collect(h), 0);
    assert_int_equal(ft_atomic_load_relaxed(&h->xarenas), 0);
    free(h);
}

static uint64_t pools_full(ft_heap *h, unsigned c)
{
    return ft_atomic_load_relaxed(&h->xclass[c].xpools_full);
}

/* A pool one block short of full serves alloc/free pairs without leaving
 * the usable list: the freed block waits on local_free and is taken back
 * when `free` runs dry, not by turning FULL and back. */
static void test_no_list_change_at_the_edge_of_full(void **state)
{
    (void)state;
    ft_heap *h = heap_new();
    const unsigned c = BIG;
    uint32_t cap = _ft_pool_capacity(_ft_class_size(c));
    void *b[64];
    for (uint32_t i = 0; i + 1 < cap; i++)
        assert_non_null(b[i] = _ft_heap_alloc_small(h, 512));
    ft_pool *pool = _ft_pool_of(b[0]);
    for (uint32_t i = 1; i + 1 < cap; i++)
        assert_ptr_equal(_ft_pool_of(b[i]), pool);
    for (int k = 0; k < 1000; k++) {
        void *x = _ft_heap_alloc_small(h, 512);
        assert_ptr_equal(_ft_pool_of(x), pool);
        assert_ptr_equal(h->usable[c], pool);          /* still the head */
        assert_int_equal(pool->state, FT_POOL_USED);
        _ft_heap_free_small(h, x);
        assert_ptr_equal(h->usable[c], pool);
    }
    assert_int_equal(pools_full(h, c), 0);
    assert_int_equal(pool->used, cap - 1);
    assert_true(_ft_heap_validate(h));
    for (uint32_t i = 0; i + 1 < cap; i++)
        _ft_heap_free_small(h, b[i]);
    heap_done(h);
}

/* Blocks freed by the owner are reused before another pool is carved,
 * and a pool goes FULL only when nothing is left; its first free brings it
 * back at the tail of the list, behind the pool now serving. */
static void test_local_frees_reused_full_pool_back_at_tail(void **state)
{
    (void)state;
    ft_heap *h = heap_new();
    const unsigned c = BIG;
    uint32_t cap = _ft_pool_capacity(_ft_class_size(c));
    void *b[64];
    for (uint32_t i = 0; i < cap; i++)
        assert_non_null(b[i] = _ft_heap_alloc_small(h, 500));
    ft_pool *a = _ft_pool_of(b[0]);
    for (uint32_t i = 0; i < cap; i += 2)               /* to local_free */
        _ft_heap_free_small(h, b[i]);
    for (uint32_t i = 0; i < cap; i += 2) {
        assert_non_null(b[i] = _ft_heap_alloc_small(h, 500));
        assert_ptr_equal(_ft_pool_of(b[i]), a);
    }
    assert_int_equal(ft_atomic_load_relaxed(&h->xclass[c].xpools_used), 1);
    assert_int_equal(pools_full(h, c), 0);
    /* Nothing left: the next allocation makes it FULL and carves pool B. */
    void *x = _ft_heap_alloc_small(h, 500);
    ft_pool *bp = _ft_pool_of(x);
    assert_ptr_not_equal(bp, a);
    assert_int_equal(a->state, FT_POOL_FULL);
    assert_int_equal(pools_full(h, c), 1);
    assert_ptr_equal(h->usable[c], bp);
    assert_true(_ft_heap_validate(h));
    /* A's first free: USED again, at the tail; B keeps serving. */
    _ft_heap_free_small(h, b[3]);
    assert_int_equal(a->state, FT_POOL_USED);
    assert_ptr_equal(h->usable[c], bp);
    assert_ptr_equal(h->usable_tail[c], a);
    void *y = _ft_heap_alloc_small(h, 500);
    assert_ptr_equal(_ft_pool_of(y), bp);
    assert_true(_ft_heap_validate(h));
    _ft_heap_free_small(h, x);
    _ft_heap_free_small(h, y);
    for (uint32_t i = 0; i < cap; i++)
        if (i != 3)
            _ft_heap_free_small(h, b[i]);
    heap_done(h);
}

/* ---- Random traffic with remote frees: invariants C and S --------------- */

enum { SLOTS = 2048, OPS = 200000, BATCH = 256 };

typedef struct remote {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    void *batch[BATCH];
    int n;          /* blocks waiting in batch; -1: stop */
} remote;

/* Another thread: frees every batch handed over (the remote path). */
static void *remote_freer(void *arg)
{
    remote *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        while (r->n == 0)
            pthread_cond_wait(&r->cond, &r->lock);
        if (r->n < 0) {
            pthread_mutex_unlock(&r->lock);
            return NULL;
        }
        for (int i = 0; i < r->n; i++)
            _ft_heap_free_small(NULL, r->batch[i]);
        r->n = 0;
        pthread_cond_broadcast(&r->cond);
        pthread_mutex_unlock(&r->lock);
    }
}

static void hand_over(remote *r, void **blocks, int n)
{
    pthread_mutex_lock(&r->lock);
    while (r->n != 0)
        pthread_cond_wait(&r->cond, &r->lock);
    memcpy(r->batch, blocks, (size_t)n * sizeof *blocks);
    r->n = n;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

static void wait_drained(remote *r)
{
    pthread_mutex_lock(&r->lock);
    while (r->n > 0)
        pthread_cond_wait(&r->cond, &r->lock);
    pthread_mutex_unlock(&r->lock);
}

static void test_invariants_under_random_traffic(void **state)
{
    (void)state;
    ft_heap *h = heap_new();
    uint64_t rng = ft_test_seed() | 1;
    void **slot = calloc(SLOTS, sizeof *slot);
    size_t *size = calloc(SLOTS, sizeof *size);
    assert_true(slot && size);
    remote r = { .n = 0 };
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.cond, NULL);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, remote_freer, &r), 0);
    void *out[BATCH];
    int nout = 0;
    for (long k = 0; k < OPS; k++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        unsigned i = (unsigned)(rng % SLOTS);
        if (slot[i]) {
            unsigned char *p = slot[i];
            assert_int_equal(p[0], (unsigned char)size[i]);   /* not reused */
            assert_int_equal(p[size[i] - 1], (unsigned char)i);
            if ((rng >> 40) % 8 == 0) {                /* an eighth: remote */
                out[nout++] = p;
                if (nout == BATCH) {
                    hand_over(&r, out, nout);
                    nout = 0;
                }
            } else {
                _ft_heap_free_small(h, p);
            }
            slot[i] = NULL;
        } else {
            /* Mostly large classes, so that pools fill and empty. */
            size_t n = (rng >> 20) % 4 ? 256 + (rng >> 24) % 257 : 2 + (rng >> 24) % 511;
            unsigned char *p = _ft_heap_alloc_small(h, n);
            assert_non_null(p);
            p[0] = (unsigned char)n;
            p[n - 1] = (unsigned char)i;
            slot[i] = p;
            size[i] = n;
        }
        if (k % 20000 == 0) {
            wait_drained(&r);
            assert_true(_ft_heap_validate(h));
        }
    }
    hand_over(&r, out, nout);
    wait_drained(&r);
    assert_true(_ft_heap_validate(h));
    for (unsigned i = 0; i < SLOTS; i++)
        if (slot[i])
            _ft_heap_free_small(h, slot[i]);
    pthread_mutex_lock(&r.lock);
    while (r.n != 0)
        pthread_cond_wait(&r.cond, &r.lock);
    r.n = -1;
    pthread_cond_broadcast(&r.cond);
    pthread_mutex_unlock(&r.lock);
    assert_int_equal(pthread_join(t, NULL), 0);
    pthread_mutex_destroy(&r.lock);
    pthread_cond_destroy(&r.cond);
    free(slot);
    free(size);
    heap_done(h);
}

/* Pool headers sit side by side in their arena's slot 0, one cache line
 * each, apart from the blocks (mem/obmalloc.h, "Memory layout": at the
 * head of 16 KiB-aligned pools they would all share a few cache sets).
 * _ft_pool_of and _ft_pool_blocks are each other's inverse, and every
 * pool of the arena is used, none carved over the headers. */
static void test_pool_headers_apart_from_blocks(void **state)
{
    (void)state;
    ft_heap *h = heap_new();
    const unsigned c = BIG;
    uint32_t cap = _ft_pool_capacity(_ft_class_size(c));
    size_t n = (size_t)cap * FT_POOLS_PER_ARENA;
    char **b = malloc(n * sizeof *b);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++)
        assert_non_null(b[i] = _ft_heap_alloc_small(h, 512));
    assert_int_equal(ft_atomic_load_relaxed(&h->xarenas), 1);   /* 63 pools */
    uintptr_t arena = (uintptr_t)b[0] & ~(uintptr_t)(FT_ARENA_SIZE - 1);
    for (size_t i = 0; i < n; i++) {
        ft_pool *pool = _ft_pool_of(b[i]);
        uintptr_t hdr = (uintptr_t)pool, blocks = (uintptr_t)_ft_pool_blocks(pool);
        assert_int_equal(hdr & ~(uintptr_t)(FT_ARENA_SIZE - 1), arena);
        assert_int_equal(hdr % 64, 0);                   /* a line of its own */
        assert_true(hdr - arena >= FT_POOL_HEADER && hdr - arena < FT_POOL_SIZE);
        assert_int_equal(blocks % FT_POOL_SIZE, 0);
        assert_true(blocks - arena >= FT_POOL_SIZE);     /* not slot 0 */
        assert_int_equal((blocks - arena) / FT_POOL_SIZE, (hdr - arena) / FT_POOL_HEADER);
        assert_true((uintptr_t)b[i] >= blocks + FT_POOL_HEADER &&
                    (uintptr_t)b[i] + 512 <= blocks + FT_POOL_SIZE);
        assert_ptr_equal(_ft_pool_of((char *)blocks + FT_POOL_SIZE - 1), pool);
        assert_int_equal(pool->block_size, 512);
        /* Pools are carved in order, each filled before the next. */
        assert_ptr_equal(pool, _ft_pool_of(b[i / cap * cap]));
        if (i % cap == 0 && i > 0)
            assert_ptr_equal((char *)pool - FT_POOL_HEADER, (char *)_ft_pool_of(b[i - 1]));
    }
    assert_true(_ft_heap_validate(h));
    for (size_t i = 0; i < n; i++)
        _ft_heap_free_small(h, b[i]);
    free(b);
    heap_done(h);
}

/* The shim's medium classes (FT_SHIM; the mapping is the same header code
 * in every build): each request gets the smallest class that holds it,
 * 16-byte multiples, at least one block a pool, 4 classes per power of
 * two up to 4096. */
static void test_medium_class_mapping(void **state)
{
    (void)state;
    unsigned prev = FT_NUM_CLASSES;
    for (size_t n = FT_SMALL_MAX + 1; n <= FT_MEDIUM_MAX; n++) {
        unsigned c = _ft_medium_class(n);
        size_t bs = _ft_class_size(c);
        assert_true(c >= FT_NUM_CLASSES && c < FT_NUM_CLASSES + 14);
        assert_true(c == prev || c == prev + 1);
        prev = c;
        assert_true(bs >= n);
        assert_true(c == FT_NUM_CLASSES ? n > FT_SMALL_MAX : _ft_class_size(c - 1) < n);
        assert_int_equal(bs % FT_ALIGNMENT, 0);
        assert_true(_ft_pool_capacity(bs) >= 1);
    }
    assert_int_equal(prev, FT_NUM_CLASSES + 13);
    assert_int_equal(_ft_class_size(FT_NUM_CLASSES), 640);
    assert_int_equal(_ft_class_size(FT_NUM_CLASSES + 3), 1024);
    assert_int_equal(_ft_class_size(FT_NUM_CLASSES + 11), 4096);
    assert_int_equal(_ft_pool_capacity(_ft_class_size(FT_NUM_CLASSES + 12)), 3);
    assert_int_equal(_ft_pool_capacity(FT_MEDIUM_MAX), 2);
    /* The small classes are CPython's, unchanged. */
    for (unsigned c = 0; c < FT_NUM_CLASSES; c++)
        assert_int_equal(_ft_class_size(c), 16 * (c + 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_no_list_change_at_the_edge_of_full),
        T(test_local_frees_reused_full_pool_back_at_tail),
        T(test_invariants_under_random_traffic),
        T(test_pool_headers_apart_from_blocks),
        T(test_medium_class_mapping),
    };
    return ft_test_run(tests);
}
