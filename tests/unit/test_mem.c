/* test_mem.c — the allocator: size classes, pool and arena life cycle,
 * alignment, realloc across 512 bytes, backends, cross-thread frees and
 * thread exit, statistics, object free lists, the heap walk.
 *
 * The tests run on whatever backend FT_MALLOC names (ctest runs them
 * under FT_MALLOC=debug too): each asserts what that backend promises,
 * asked from the API (ft_allocator_name). The pool and arena life cycle
 * are obmalloc's own and restart the runtime on it. Worker threads record
 * failures (ft_worker_check); the main thread asserts. */
#define FT_BUILD_CORE 1   /* white-box: mem/heap.h for walks and free lists */
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"
#include <pthread.h>
#include "internal/object.h"
#include "internal/qsbr.h"
#include "mem/heap.h"

/* obmalloc alone: usable sizes are its size classes, realloc within a
 * class stays in place. */
static bool plain_obmalloc(void) { return strcmp(ft_allocator_name(), "obmalloc") == 0; }
/* The debug wrapper: usable size is the size asked, realloc always moves. */
static bool debug_wrapped(void) { return strstr(ft_allocator_name(), ",debug") != NULL; }
/* obmalloc serves the small blocks, wrapped or not. */
static bool obmalloc_inside(void) { return strncmp(ft_allocator_name(), "obmalloc", 8) == 0; }

/* For the tests of obmalloc's own pools and arenas. */
static void use_obmalloc(void)
{
    if (plain_obmalloc())
        return;
    ft_test_fini_clean();
    ft_config cfg = FT_CONFIG_INIT;
    cfg.malloc = "obmalloc";
    assert_int_equal(ft_init(&cfg), 0);
}

static void test_size_classes(void **state)
{
    (void)state;
    bool plain = plain_obmalloc(), debug = debug_wrapped();
    for (size_t n = 1; n <= 512; n++) {
        void *p = ft_malloc(n);
        assert_non_null(p);
        if (plain)
            assert_int_equal(ft_malloc_usable_size(p), (n + 15) / 16 * 16);
        else if (debug)
            assert_int_equal(ft_malloc_usable_size(p), n);   /* no rounding */
        else
            assert_true(ft_malloc_usable_size(p) >= n);
        memset(p, 0xAB, n);
        ft_free(p);
    }
    void *a = ft_malloc(0), *b = ft_malloc(0);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);   /* malloc(0) gives unique pointers */
    ft_free(a);
    ft_free(b);
    void *big = ft_malloc(513);   /* the layer below */
    assert_non_null(big);
    assert_true(ft_malloc_usable_size(big) >= 513);
    ft_free(big);
}

static void check_alignment(void)
{
    void *p[64];
    for (size_t n = 1; n <= 4096; n += 37) {
        for (int i = 0; i < 64; i++) {
            p[i] = ft_malloc(n);
            assert_non_null(p[i]);
            assert_int_equal((uintptr_t)p[i] % 16, 0);
        }
        for (int i = 0; i < 64; i++)
            ft_free(p[i]);
    }
}

static void test_alignment_every_backend(void **state)
{
    (void)state;
    static const char *const backends[] = { "obmalloc", "mimalloc", "malloc" };
    for (size_t b = 0; b < 3; b++) {
        ft_test_fini_clean();
        ft_config cfg = FT_CONFIG_INIT;
        cfg.malloc = backends[b];
        assert_int_equal(ft_init(&cfg), 0);
        assert_string_equal(ft_allocator_name(), backends[b]);
        check_alignment();
        ft_mem_stats st = ft_test_mem_stats();
        assert_string_equal(st.allocator, backends[b]);
    }
}

static void test_bad_backend_is_refused(void **state)
{
    (void)state;
    ft_test_fini_clean();
    static const char *const bad[] = { "jemalloc", "obmalloc,fast", "", "debug,debug" };
    for (size_t i = 0; i < 4; i++) {
        ft_config cfg = FT_CONFIG_INIT;
        cfg.malloc = bad[i];
        int rc = ft_init(&cfg);
        if (bad[i][0] == '\0') {   /* empty: the default */
            assert_int_equal(rc, 0);
            ft_test_fini_clean();
            continue;
        }
        assert_int_equal(rc, -1);
        assert_int_equal(ft_err_kind(), FT_ERR_VALUE);
        assert_non_null(strstr(ft_err_message(), "FT_MALLOC"));
        ft_err_clear();
    }
    /* The environment's choice is kept for the tests that follow. */
    const char *env = getenv("FT_MALLOC");
    char *saved = env ? strdup(env) : NULL;
    setenv("FT_MALLOC", "nonsense", 1);
    assert_int_equal(ft_init(NULL), -1);
    if (saved)
        setenv("FT_MALLOC", saved, 1);
    else
        unsetenv("FT_MALLOC");
    free(saved);
    ft_err_clear();
    assert_int_equal(ft_init(NULL), 0);
}

static void test_errors(void **state)
{
    (void)state;
    assert_null(ft_calloc(SIZE_MAX / 2, 4));
    assert_int_equal(ft_err_kind(), FT_ERR_OVERFLOW);
    ft_err_clear();
    assert_null(ft_malloc(SIZE_MAX - 8));
    assert_int_equal(ft_err_kind(), FT_ERR_MEMORY);
    ft_err_clear();
    ft_free(NULL);   /* allowed */
    ft_test_fini_clean();
    assert_null(ft_malloc(16));   /* the runtime is down */
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    ft_err_clear();
}

static void test_calloc_and_realloc_across_512(void **state)
{
    (void)state;
    unsigned char *z = ft_calloc(100, 3);
    assert_non_null(z);
    for (int i = 0; i < 300; i++)
        assert_int_equal(z[i], 0);
    ft_free(z);

    unsigned char *p = ft_malloc(40);
    for (int i = 0; i < 40; i++)
        p[i] = (unsigned char)i;
    /* Same size class (33..48): obmalloc keeps the block where it is; the
     * debug wrapper always moves it (new guards, the old one quarantined). */
    unsigned char *p48 = ft_realloc(p, 48);
    assert_non_null(p48);
    if (plain_obmalloc())
        assert_ptr_equal(p48, p);
    else if (debug_wrapped())
        assert_ptr_not_equal(p48, p);
    p = p48;
    unsigned char *q = ft_realloc(p, 500);       /* small -> small class */
    unsigned char *r = ft_realloc(q, 5000);      /* small -> large      */
    assert_non_null(r);
    assert_false(_ft_obmalloc_owns(r));
    for (int i = 0; i < 40; i++)
        assert_int_equal(r[i], i);
    memset(r + 40, 7, 5000 - 40);
    unsigned char *s = ft_realloc(r, 100);       /* large -> small      */
    assert_true(_ft_obmalloc_owns(s) == obmalloc_inside());
    for (int i = 0; i < 40; i++)
        assert_int_equal(s[i], i);
    for (int i = 40; i < 100; i++)
        assert_int_equal(s[i], 7);
    unsigned char *t = ft_realloc(NULL, 10);     /* NULL: malloc */
    assert_non_null(t);
    ft_free(t);
    ft_free(s);
}

/* Fills whole pools of one class and empties them again. */
static void test_pool_life_cycle(void **state)
{
    (void)state;
    use_obmalloc();
    const unsigned c = 9;                           /* 160-byte blocks */
    const size_t per_pool = (16384 - 64) / 160;     /* 102             */
    ft_mem_stats before = ft_test_mem_stats();
    size_t n = 3 * per_pool;
    void **blocks = malloc(n * sizeof *blocks);
    for (size_t i = 0; i < n; i++)
        assert_non_null(blocks[i] = ft_malloc(150));
    ft_mem_stats full = ft_test_mem_stats();
    assert_int_equal(full.classes[c].blocks_in_use - before.classes[c].blocks_in_use, n);
    assert_true(full.classes[c].pools_full >= before.classes[c].pools_full + 2);
    assert_int_equal(full.classes[c].block_size, 160);
    assert_int_equal(full.classes[c].bytes_quantization,
                     (full.classes[c].pools_used + full.classes[c].pools_full) *
                     (16384 - 64 - per_pool * 160));
    for (size_t i = 0; i < n; i++)
        ft_free(blocks[i]);
    free(blocks);
    ft_mem_stats after = ft_test_mem_stats();
    assert_int_equal(after.classes[c].blocks_in_use, before.classes[c].blocks_in_use);
    assert_int_equal(after.classes[c].pools_full, before.classes[c].pools_full);
    /* Emptied pools went back to their arenas, but for one kept for the
     * next allocation of the class (invariant K) ... */
    assert_true(after.classes[c].pools_used <= before.classes[c].pools_used + 1);
    assert_true(_ft_heap_validate(&_ft_heaps_current()->heaps[FT_HEAP_RAW]));
    /* ... which a collection releases. */
    ft_mem_collect();
    assert_true(ft_test_mem_stats().classes[c].pools_used <= before.classes[c].pools_used);
}

/* Three arenas' worth of 512-byte blocks: arenas are mapped, and once
 * every block is freed they go back to the OS. */
static void test_arena_returned_when_empty(void **state)
{
    (void)state;
    use_obmalloc();
    ft_mem_stats before = ft_test_mem_stats();
    size_t n = 3 * 1024 * 1024 / 512;
    void **blocks = malloc(n * sizeof *blocks);
    for (size_t i = 0; i < n; i++)
        assert_non_null(blocks[i] = ft_malloc(512));
    ft_mem_stats peak = ft_test_mem_stats();
    assert_true(peak.arenas_current >= before.arenas_current + 3);
    assert_true(peak.arenas_highest >= peak.arenas_current);
    for (size_t i = 0; i < n; i++)
        ft_free(blocks[i]);
    free(blocks);
    /* Emptied arenas went back to the OS at once, but for one kept for
     * reuse (invariant E) and the one holding the class's last pool, kept
     * empty for the next allocation (invariant K) ... */
    ft_mem_stats after = ft_test_mem_stats();
    assert_true(after.arenas_freed >= before.arenas_freed + 1);
    assert_true(after.arenas_current <= before.arenas_current + 2);
    assert_true(_ft_heap_validate(&_ft_heaps_current()->heaps[FT_HEAP_RAW]));
    /* ... which a collection returns too. */
    ft_mem_collect();
    assert_true(ft_test_mem_stats().arenas_current <= before.arenas_current);
}

/* ---- Threads ------------------------------------------------------------ */

enum { HANDED = 20000 };

typedef struct handoff {
    void **blocks;
    size_t n;
} handoff;

static void allocate_blocks(void *arg)
{
    handoff *h = arg;
    for (size_t i = 0; i < h->n; i++) {
        h->blocks[i] = ft_malloc(1 + i % 512);
        if (!ft_worker_check(h->blocks[i] != NULL))
            abort();   /* the rest of the test would only crash */
        memset(h->blocks[i], (int)i, 1 + i % 512);
        if (i % 256 == 0)
            ft_checkpoint();
    }
}

static void free_blocks(void *arg)
{
    handoff *h = arg;
    for (size_t i = 0; i < h->n; i++) {
        unsigned char *b = h->blocks[i];
        if (b[i % 512] != (unsigned char)i)   /* content intact */
            ft_worker_fail("block %zu: byte %zu is %d, expected %d", i, i % 512,
                           b[i % 512], (unsigned char)i);
        ft_free(b);
        if (i % 256 == 0)
            ft_checkpoint();
    }
}

static void run_one(void (*fn)(void *), void *arg)
{
    ft_thread *t = ft_thread_start(fn, arg);
    assert_non_null(t);
    assert_int_equal(ft_thread_join(t), 0);
    ft_test_assert_workers_ok();
}

static int64_t live_blocks(void) { return ft_test_mem_stats().live_blocks; }

/* Blocks allocated by one thread and freed by another, while the first is
 * still alive (nogil: the remote-free path). */
static void test_cross_thread_free(void **state)
{
    (void)state;
    int64_t base = live_blocks();
    handoff h = { malloc(HANDED * sizeof(void *)), HANDED };
    ft_thread *owner = ft_thread_start(allocate_blocks, &h);
    assert_int_equal(ft_thread_join(owner), 0);
    assert_int_equal(live_blocks() - base, HANDED);
    run_one(free_blocks, &h);
    ft_mem_collect();
    assert_int_equal(live_blocks(), base);
    uint64_t total_in_use = 0;
    ft_mem_stats st = ft_test_mem_stats();
    for (int c = 0; c < FT_MEM_CLASSES; c++)
        total_in_use += st.classes[c].blocks_in_use;
    /* Only blocks that existed before the test may still be in use (the
     * collection emptied the debug wrapper's quarantine too); other
     * backends have no per-class figures. */
    if (obmalloc_inside())
        assert_true(total_in_use < 1000);
    else
        assert_int_equal(total_in_use, 0);
    free(h.blocks);
}

enum { RING = 1024, PRODUCED = 200000 };

/* A single-producer single-consumer ring. */
typedef struct ring {
    void *slot[RING];
    _Atomic size_t xhead, xtail;   /* xhead: next to write; xtail: next to read */
    _Atomic int xstop;
    long freed;
} ring;

/* Waiting without holding the GIL, so that the other side runs at once
 * instead of after a switch interval. */
static void yield_outside(void)
{
    FT_BEGIN_ALLOW_THREADS
    sched_yield();
    FT_END_ALLOW_THREADS
}

static void consumer(void *arg)
{
    ring *r = arg;
    for (;;) {
        size_t tail = atomic_load(&r->xtail);
        if (tail == atomic_load(&r->xhead)) {
            if (atomic_load(&r->xstop) && tail == atomic_load(&r->xhead))
                return;
            yield_outside();
            continue;
        }
        ft_free(r->slot[tail % RING]);
        r->freed++;
        atomic_store(&r->xtail, tail + 1);
        if (tail % 256 == 0)
            ft_checkpoint();
    }
}

/* Frees racing the owner's allocations in the same pools: exercises full
 * pools receiving remote frees (the delayed path). */
static void test_producer_consumer(void **state)
{
    (void)state;
    int64_t base = live_blocks();
    ring *r = calloc(1, sizeof *r);
    ft_thread *t = ft_thread_start(consumer, r);
    for (size_t i = 0; i < PRODUCED; i++) {
        void *b = ft_malloc(16 + i % 100);
        assert_non_null(b);
        while (i - atomic_load(&r->xtail) >= RING)
            yield_outside();
        r->slot[i % RING] = b;
        atomic_store(&r->xhead, i + 1);
        if (i % 256 == 0)
            ft_checkpoint();
    }
    atomic_store(&r->xstop, 1);
    assert_int_equal(ft_thread_join(t), 0);
    assert_int_equal(r->freed, PRODUCED);
    free(r);
    ft_mem_collect();
    assert_int_equal(live_blocks(), base);
    assert_true(_ft_heap_validate(&_ft_heaps_current()->heaps[FT_HEAP_RAW]));
}

/* A thread exits with live blocks: its heap set is abandoned, the blocks
 * stay valid, are freed later by the main thread, and the memory comes
 * back (nogil); a new thread adopts the abandoned set. */
static void test_thread_exit_with_live_blocks(void **state)
{
    (void)state;
    ft_mem_stats before = ft_test_mem_stats();
    handoff h = { malloc(HANDED * sizeof(void *)), HANDED };
    run_one(allocate_blocks, &h);
    ft_mem_stats mid = ft_test_mem_stats();
    if (_ft_heaps_per_thread())
        assert_true(mid.heap_sets_abandoned >= 1);
    free_blocks(&h);   /* the main thread frees the exited thread's blocks */
    ft_test_assert_workers_ok();
    ft_mem_collect();
    ft_mem_stats after = ft_test_mem_stats();
    assert_int_equal(after.live_blocks, before.live_blocks);
    assert_true(after.arenas_current <= before.arenas_current + 1);
    /* Another thread adopts the abandoned set instead of making a new one. */
    h.n = 10;
    run_one(allocate_blocks, &h);
    assert_int_equal(ft_test_mem_stats().heap_sets, after.heap_sets);
    free_blocks(&h);
    ft_test_assert_workers_ok();
    free(h.blocks);
}

/* ---- Leak report ---------------------------------------------------------- */

static void test_fini_reports_leaks(void **state)
{
    (void)state;
    void *leaked[3];
    for (int i = 0; i < 3; i++)
        leaked[i] = ft_malloc(100);   /* 112-byte blocks in obmalloc */
    int64_t usable = (int64_t)ft_malloc_usable_size(leaked[0]);
    if (plain_obmalloc())
        assert_int_equal(usable, 112);
    ft_fini_report r;
    assert_int_equal(ft_fini(&r), 0);
    assert_int_equal(r.blocks, 3);
    assert_int_equal(r.bytes, 3 * usable);
    /* Give them back so later tests start clean. */
    assert_int_equal(ft_init(NULL), 0);
    for (int i = 0; i < 3; i++)
        ft_free(leaked[i]);
    assert_int_equal(ft_fini(&r), 0);
    assert_int_equal(r.blocks, -3);   /* freed this time, allocated before */
    assert_int_equal(ft_init(NULL), 0);
}

/* ---- Statistics printout -------------------------------------------------- */

static void test_print_stats(void **state)
{
    (void)state;
    void *p = ft_malloc(24);
    ft_test_capture c;
    ft_mem_print_stats(ft_test_capture_open(&c));
    char *text = ft_test_capture_close(&c);
    assert_non_null(strstr(text, "Small block threshold = 512, in 32 size classes"));
    assert_non_null(strstr(text, "# arenas allocated total"));
    assert_non_null(strstr(text, "# bytes lost to quantization"));
    char head[64];
    snprintf(head, sizeof head, "Allocator %s.", ft_allocator_name());
    assert_non_null(strstr(text, head));
    if (plain_obmalloc())
        assert_non_null(strstr(text, "    1     32"));   /* our block's class */
    free(text);
    ft_free(p);
}

/* ---- Object free lists ------------------------------------------------------ */

static void test_freelist_bounded_lifo(void **state)
{
    (void)state;
    uint32_t limit = _ft_freelist_limit(FT_FREELIST_FLOAT);
    assert_int_equal(limit, FT_FREELIST_FLOAT_MAX);
    void *blocks[FT_FREELIST_FLOAT_MAX + 1];
    for (uint32_t i = 0; i <= limit; i++)
        blocks[i] = ft_malloc(32);
    for (uint32_t i = 0; i < limit; i++)
        assert_true(_ft_freelist_push(FT_FREELIST_FLOAT, blocks[i]));
    assert_false(_ft_freelist_push(FT_FREELIST_FLOAT, blocks[limit]));   /* full */
    assert_int_equal(ft_test_mem_stats().freelist_blocks, limit);
    assert_ptr_equal(_ft_freelist_pop(FT_FREELIST_FLOAT), blocks[limit - 1]);
    assert_ptr_equal(_ft_freelist_pop(FT_FREELIST_FLOAT), blocks[limit - 2]);
    assert_null(_ft_freelist_pop(FT_FREELIST_DICT));
    ft_free(blocks[limit]);
    ft_free(blocks[limit - 1]);
    ft_free(blocks[limit - 2]);
    /* The rest stay parked; ft_fini (teardown) frees them: no leak. */
}

/* Park and unpark (internal/object.h), inline in the objects' dealloc
 * and constructors: a dead float's block goes on the float list until it
 * holds FT_FREELIST_FLOAT_MAX blocks (the rest are freed), stops counting
 * as an object, and the next float takes the last block parked (LIFO)
 * and counts again. */
static void test_freelist_park_unpark_objects(void **state)
{
    (void)state;
    enum { N = FT_FREELIST_FLOAT_MAX + 5 };
    ft_freelist *fl = &_ft_heaps_current()->freelists.lists[FT_FREELIST_FLOAT];
    uint32_t room = FT_FREELIST_FLOAT_MAX - fl->count;
    assert_true(room > 0);
    int64_t live = ft_test_live_objects();
    ft_object *f[N];
    for (int i = 0; i < N; i++) {
        f[i] = ft_float_from_double(i + 0.5);   /* not a small int: a new object */
        assert_non_null(f[i]);
    }
    assert_int_equal(ft_test_live_objects(), live + N);
    uintptr_t last_parked = (uintptr_t)f[room - 1];
    for (int i = 0; i < N; i++)
        ft_decref(f[i]);
    assert_int_equal(fl->count, FT_FREELIST_FLOAT_MAX);   /* full, bounded */
    assert_int_equal(ft_test_live_objects(), live);
    ft_object *g = ft_float_from_double(2.25);
    assert_int_equal((uintptr_t)g, last_parked);
    assert_int_equal(fl->count, FT_FREELIST_FLOAT_MAX - 1);
    assert_int_equal(ft_test_live_objects(), live + 1);
    assert_true(ft_float_as_double(g) == 2.25);
    ft_decref(g);
    assert_int_equal(ft_test_live_objects(), live);
}

typedef struct fl_probe {
    void *popped;
    void *pushed;
} fl_probe;

static void freelist_other_thread(void *arg)
{
    fl_probe *p = arg;
    p->popped = _ft_freelist_pop(FT_FREELIST_LIST);
    p->pushed = ft_malloc(56);
    ft_worker_check(p->pushed && _ft_freelist_push(FT_FREELIST_LIST, p->pushed));
    /* Exit with a block parked: the thread's exit must free it. */
}

static void test_freelist_per_thread(void **state)
{
    (void)state;
    int64_t base = live_blocks();
    void *mine = ft_malloc(56);
    assert_true(_ft_freelist_push(FT_FREELIST_LIST, mine));
    fl_probe p = { 0 };
    run_one(freelist_other_thread, &p);
    if (_ft_heaps_per_thread()) {
        assert_null(p.popped);   /* nogil: another thread's list is private */
        assert_ptr_equal(_ft_freelist_pop(FT_FREELIST_LIST), mine);
        ft_free(mine);
        /* The exit freed its block, maybe after a grace period: a parked
         * block is a dead object that a lock-free reader may still see. */
        _ft_qsbr_barrier();
        assert_int_equal(live_blocks(), base);
    } else {
        assert_ptr_equal(p.popped, mine);        /* gil: one shared list */
        ft_free(mine);
        assert_ptr_equal(_ft_freelist_pop(FT_FREELIST_LIST), p.pushed);
        ft_free(p.pushed);
    }
}

/* The set park and unpark use (mem/heap.h, _ft_heaps_objects) is never
 * NULL: before a thread has a heap set, and after it abandoned it, it is
 * a closed set whose lists refuse every block and hold none (nogil). A
 * raw thread, unknown to the runtime, as libftmalloc's callers are. */
static void *closed_set_probe(void *arg)
{
    (void)arg;
    bool ok = true;
    int kinds[] = { FT_FREELIST_FLOAT, FT_FREELIST_LIST, FT_FREELIST_TUPLE1 + 3 };
    if (_ft_heaps_per_thread()) {
        ft_heap_set *closed = _ft_heaps_objects();
        ok &= closed != NULL && _ft_heaps_peek() == NULL;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            ft_freelist *fl = &closed->freelists.lists[kinds[i]];
            ok &= _ft_freelist_take(fl) == NULL;
            char block[64];
            ok &= !_ft_freelist_give(fl, (ft_freelist_kind)kinds[i], block);
            ok &= fl->head == NULL;
        }
        ft_heap_set *mine = _ft_heaps_current();
        ok &= mine != NULL && _ft_heaps_objects() == mine;
        _ft_heaps_thread_exit();
        ok &= _ft_heaps_peek() == NULL && _ft_heaps_objects() == closed;
    } else {
        ok &= _ft_heaps_objects() == _ft_heaps_peek();   /* gil: the one set */
    }
    return ok ? arg : NULL;
}

static void test_freelist_set_never_null(void **state)
{
    (void)state;
    static int token;
    pthread_t t;
    void *ok = NULL;
    assert_int_equal(pthread_create(&t, NULL, closed_set_probe, &token), 0);
    assert_int_equal(pthread_join(t, &ok), 0);
    assert_ptr_equal(ok, &token);
}

/* Unpark writes less of the header than an allocation
 * (_ft_refcount_init_parked): a float's block keeps its bits, a list's
 * starts with the stable bit alone — a list another thread locked comes
 * back from the free list elidable again. */
static void append_from_other_thread(void *arg)
{
    ft_worker_check(ft_list_append(arg, ft_none()) == 0);   /* settles it */
}

static void test_unpark_header(void **state)
{
    (void)state;
    ft_object *f = ft_float_from_double(3.5);
    bool stable = _ft_object_type_stable_bit(f);
    uintptr_t block = (uintptr_t)f;
    ft_decref(f);
    f = ft_float_from_double(4.5);
    assert_int_equal((uintptr_t)f, block);   /* the same block, unparked */
    assert_int_equal(_ft_object_type_stable_bit(f), stable);
    assert_int_equal(ft_refcnt(f), 1);
    ft_decref(f);

    ft_freelist *fl = &_ft_heaps_current()->freelists.lists[FT_FREELIST_LIST];
    assert_true(fl->count < FT_FREELIST_LIST_MAX);   /* room: l is parked */
    ft_object *l = ft_list_new(0);
    run_one(append_from_other_thread, l);
    if (_ft_heaps_per_thread() && !FT_RC_ATOMIC && !FT_NO_OBJECT_LOCKS)
        assert_true(_ft_object_elide_state(l) & FT_OBJ_SETTLED);
    block = (uintptr_t)l;
    ft_decref(l);
    l = ft_list_new(0);
    /* nogil parks only blocks without the collector's pre-header: those
     * obmalloc's pools serve (not the debug wrapper's). */
    if (plain_obmalloc() || !_ft_heaps_per_thread())
        assert_int_equal((uintptr_t)l, block);
    assert_int_equal(_ft_object_elide_state(l), 0);
    assert_int_equal(ft_refcnt(l), 1);
    assert_int_equal(ft_len(l), 0);
    assert_int_equal(ft_list_append(l, ft_none()), 0);
    ft_decref(l);
}

/* ---- The heap walk (for the nogil collector) ------------------------------- */

static void count_block(void *block, size_t size, void *arg)
{
    (void)block;
    size_t *n = arg;
    n[0]++;
    n[1] += size;
}

typedef struct gc_blocks {
    void *b[300];
} gc_blocks;

static void alloc_gc_blocks(void *arg)
{
    gc_blocks *g = arg;
    ft_heap *h = &_ft_heaps_current()->heaps[FT_HEAP_GC];
    for (int i = 0; i < 300; i++)
        if (!ft_worker_check((g->b[i] = _ft_heap_alloc_small(h, 48)) != NULL))
            abort();   /* the walk below would only crash */
}

static void test_heap_walk_includes_exited_threads(void **state)
{
    (void)state;
    gc_blocks g;
    run_one(alloc_gc_blocks, &g);
    size_t n[2] = { 0, 0 };
    _ft_heaps_visit(FT_HEAP_GC, count_block, n);   /* only this thread runs */
    assert_int_equal(n[0], 300);
    assert_int_equal(n[1], 300 * 48);
    ft_heap *mine = &_ft_heaps_current()->heaps[FT_HEAP_GC];
    for (int i = 0; i < 150; i++)
        _ft_heap_free_small(mine, g.b[i]);
    n[0] = n[1] = 0;
    _ft_heaps_visit(FT_HEAP_GC, count_block, n);
    assert_int_equal(n[0], 150);
    for (int i = 150; i < 300; i++)
        _ft_heap_free_small(mine, g.b[i]);
    ft_mem_collect();
    n[0] = 0;
    _ft_heaps_visit(FT_HEAP_GC, count_block, n);
    assert_int_equal(n[0], 0);
}

/* _ft_heap_visit_pools: each pool's bitmap holds exactly its live blocks
 * (count of them), with blocks freed locally and by another thread (on
 * the pool's remote list until the walk collects it) left out. The heap
 * also holds whatever the runtime made: only our blocks are checked. */
enum { POOL_WALK_N = 200 };

typedef struct pool_walk {
    void *b[POOL_WALK_N];
    int seen[POOL_WALK_N];
    bool bad_count;
} pool_walk;

static void note_pool(const ft_pool_live *p, void *arg)
{
    pool_walk *w = arg;
    size_t bits = 0;
    for (size_t k = 0; k < p->words; k++)
        for (uint64_t m = p->live[k]; m; m &= m - 1, bits++) {
            char *block = p->first + (k * 64 + (size_t)__builtin_ctzll(m)) * p->size;
            for (int i = 0; i < POOL_WALK_N; i++)
                if (w->b[i] == block)
                    w->seen[i]++;
        }
    if (bits != p->count || bits == 0)
        w->bad_count = true;
}

static void free_remote_thirds(void *arg)
{
    pool_walk *w = arg;
    ft_heap *mine = &_ft_heaps_current()->heaps[FT_HEAP_GC];
    for (int i = 1; i < POOL_WALK_N; i += 3)
        _ft_heap_free_small(mine, w->b[i]);   /* nogil: the remote path */
}

static void test_heap_visit_pools_bitmap(void **state)
{
    (void)state;
    pool_walk w = { 0 };
    ft_heap *h = &_ft_heaps_current()->heaps[FT_HEAP_GC];
    for (int i = 0; i < POOL_WALK_N; i++)
        assert_non_null(w.b[i] = _ft_heap_alloc_small(h, 48));
    for (int i = 0; i < POOL_WALK_N; i += 3)
        _ft_heap_free_small(h, w.b[i]);
    run_one(free_remote_thirds, &w);
    _ft_heap_visit_pools(h, note_pool, &w);
    assert_false(w.bad_count);
    for (int i = 0; i < POOL_WALK_N; i++)
        assert_int_equal(w.seen[i], i % 3 == 2 ? 1 : 0);
    for (int i = 2; i < POOL_WALK_N; i += 3)
        _ft_heap_free_small(h, w.b[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_size_classes),
        T(test_alignment_every_backend),
        T(test_bad_backend_is_refused),
        T(test_errors),
        T(test_calloc_and_realloc_across_512),
        T(test_pool_life_cycle),
        T(test_arena_returned_when_empty),
        T(test_cross_thread_free),
        T(test_producer_consumer),
        T(test_thread_exit_with_live_blocks),
        T(test_fini_reports_leaks),
        T(test_print_stats),
        T(test_freelist_bounded_lifo),
        T(test_freelist_per_thread),
        T(test_freelist_set_never_null),
        T(test_unpark_header),
        T(test_freelist_park_unpark_objects),
        T(test_heap_walk_includes_exited_threads),
        T(test_heap_visit_pools_bitmap),
    };
    return ft_test_run(tests);
}
