/* mem.c — the front of the private heap: ft_malloc and friends, backend
 * selection, the obmalloc and system backends, per-thread accounting.
 *
 * Every call goes through one table (_ft_mem_current), chosen at ft_init
 * and fixed until ft_fini. The front counts live blocks and bytes in the
 * calling thread's heap set, so that ft_fini can report leaks for every
 * backend.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend.h"
#include "heap.h"
#include "internal/qsbr.h"
#include "../tools/traces.h"   /* tracemalloc hooks: one flag test each */

ft_allocator _ft_mem_current;
/* The default backend's small blocks skip the table, the ownership test
 * and the size query: one TLS load, the pool's fast path, two counters. */
static bool fast_obmalloc;   /* obmalloc, not wrapped, runtime running */
_Thread_local const void *_ft_mem_site;
bool _ft_mem_debug;

/* In debug mode, remember who called: the report names the site. */
#define RECORD_SITE() \
    (ft_unlikely(_ft_mem_debug) ? (void)(_ft_mem_site = __builtin_return_address(0)) \
                                : (void)0)

/* ---- The system allocator ----------------------------------------------- */

static void *sys_malloc(void *ctx, size_t n) { (void)ctx; return malloc(n ? n : 1); }
static void *sys_calloc(void *ctx, size_t c, size_t s)
{
    (void)ctx;
    return calloc(c ? c : 1, s ? s : 1);
}
static void *sys_realloc(void *ctx, void *p, size_t n) { (void)ctx; return realloc(p, n ? n : 1); }
static void sys_free(void *ctx, void *p) { (void)ctx; free(p); }
static size_t sys_usable(void *ctx, const void *p)
{
    (void)ctx;
    return malloc_usable_size((void *)p);
}

const ft_allocator _ft_system_allocator = {
    "malloc", sys_malloc, sys_calloc, sys_realloc, sys_free, sys_usable, NULL,
};

/* ---- obmalloc: pools up to 512 bytes, the system allocator above -------- */

static void *ob_malloc(void *ctx, size_t n)
{
    (void)ctx;
    if (n > FT_SMALL_MAX)
        return malloc(n);
    ft_heap_set *s = _ft_heaps_current();
    return s ? _ft_heap_alloc_small(&s->heaps[FT_HEAP_RAW], n) : NULL;
}

static void ob_free(void *ctx, void *p)
{
    (void)ctx;
    if (!_ft_obmalloc_owns(p)) {
        free(p);
        return;
    }
    ft_heap_set *s = _ft_heaps_peek();
    ft_heap *h = _ft_pool_of(p)->heap;
    _ft_heap_free_small(s ? &s->heaps[h->kind] : NULL, p);
}

static size_t ob_usable(void *ctx, const void *p)
{
    (void)ctx;
    return _ft_obmalloc_owns(p) ? _ft_obmalloc_usable_size(p)
                                : malloc_usable_size((void *)p);
}

static void *ob_calloc(void *ctx, size_t count, size_t size)
{
    size_t n = count * size;
    if (n > FT_SMALL_MAX)
        return calloc(count, size);   /* the system zeroes fresh pages free */
    void *p = ob_malloc(ctx, n);
    if (p)
        memset(p, 0, n);
    return p;
}

static void *ob_realloc(void *ctx, void *p, size_t n)
{
    if (!_ft_obmalloc_owns(p)) {
        if (n > FT_SMALL_MAX)
            return realloc(p, n);
        void *q = ob_malloc(ctx, n);   /* large to small: move into a pool */
        if (q) {
            size_t old = malloc_usable_size(p);
            memcpy(q, p, old < n ? old : n);
            free(p);
        }
        return q;
    }
    size_t bs = _ft_obmalloc_usable_size(p);
    if (n <= bs && _ft_size_class(n) == _ft_size_class(bs))
        return p;                      /* same size class: stay */
    void *q = ob_malloc(ctx, n);
    if (q) {
        memcpy(q, p, bs < n ? bs : n);
        ob_free(ctx, p);
    }
    return q;
}

const ft_allocator _ft_obmalloc_allocator = {
    "obmalloc", ob_malloc, ob_calloc, ob_realloc, ob_free, ob_usable, NULL,
};

/* ---- Selection ----------------------------------------------------------- */

static char current_name[32];

int _ft_mem_init(const char *spec)
{
    if (!spec || !*spec)
        spec = "obmalloc";
    char base[32];
    const char *comma = strchr(spec, ',');
    size_t len = comma ? (size_t)(comma - spec) : strlen(spec);
    bool debug = comma && strcmp(comma + 1, "debug") == 0;
    if (len >= sizeof base || (comma && !debug))
        return ft_err_set(FT_ERR_VALUE, "FT_MALLOC='%s': expected obmalloc, "
                          "mimalloc, malloc or debug, optionally followed by "
                          "',debug'", spec);
    memcpy(base, spec, len);
    base[len] = '\0';
    if (strcmp(base, "debug") == 0 && !comma) {
        strcpy(base, "obmalloc");
        debug = true;
    }
    const ft_allocator *chosen =
        strcmp(base, "obmalloc") == 0 ? &_ft_obmalloc_allocator :
        strcmp(base, "mimalloc") == 0 ? &_ft_mimalloc_allocator :
        strcmp(base, "malloc") == 0   ? &_ft_system_allocator : NULL;
    if (!chosen)
        return ft_err_set(FT_ERR_VALUE, "FT_MALLOC='%s': unknown allocator "
                          "'%s' (obmalloc, mimalloc, malloc, debug)", spec, base);
    if (chosen == &_ft_mimalloc_allocator && _ft_mimalloc_load() < 0)
        return -1;
    _ft_mem_current = debug ? *_ft_debug_allocator(chosen) : *chosen;
    _ft_mem_debug = debug;
    _ft_pool_grace = _ft_qsbr_pool_grace();
    fast_obmalloc = !debug && chosen == &_ft_obmalloc_allocator;
    snprintf(current_name, sizeof current_name, "%s%s", chosen->name,
             debug ? ",debug" : "");
    return 0;
}

const char *ft_allocator_name(void) { return current_name; }

/* ---- The front ----------------------------------------------------------- */

static void account_in(ft_heap_set *s, int64_t blocks, int64_t bytes)
{
    ft_atomic_bump_single_writer(&s->xlive_blocks, blocks);
    ft_atomic_bump_single_writer(&s->xlive_bytes, bytes);
}

static void account(int64_t blocks, int64_t bytes)
{
    ft_heap_set *s = _ft_heaps_current();
    if (s)
        account_in(s, blocks, bytes);
}


static inline void *small_alloc_fast(size_t n)
{
    ft_heap_set *s = _ft_heaps_current();
    if (ft_unlikely(!s))
        return NULL;
    void *p = _ft_heap_alloc_small(&s->heaps[FT_HEAP_RAW], n);
    if (ft_likely(p != NULL))
        account_in(s, 1, (int64_t)_ft_class_size(_ft_size_class(n)));
    return p;
}

static inline void small_free_fast(void *p)
{
    ft_pool *pool = _ft_pool_of(p);
    ft_heap_set *s = _ft_heaps_current();
    account_in(s, -1, -(int64_t)pool->block_size);
    _ft_heap_free_small(&s->heaps[pool->heap->kind], p);
}

static bool check_running(void)
{
    if (ft_likely(_ft_mem_current.malloc != NULL))
        return true;
    ft_err_set(FT_ERR_RUNTIME, "ft_malloc: the runtime is not running");
    return false;
}

static void *done(void *p, size_t n)
{
    if (ft_unlikely(!p)) {
        ft_err_set(FT_ERR_MEMORY, "cannot allocate %zu bytes", n);
        return NULL;
    }
    account(1, (int64_t)_ft_mem_current.usable_size(_ft_mem_current.ctx, p));
    return _ft_trace_alloc_hook(p, n);
}

/* ---- Allocation-failure injection (tests) --------------------------------
 * After `after` more allocations succeed, every allocation fails with
 * MemoryError until the reset. While armed, the obmalloc fast path is off
 * so that every allocation comes through here. For single-threaded tests:
 * arming and resetting are not synchronised with other threads. */
static _Atomic long xfail_countdown = -1;  /* -1: not armed */
static bool fast_before_injection;

void _ft_mem_fail_after(long after)
{
    if (ft_atomic_load_relaxed(&xfail_countdown) < 0)
        fast_before_injection = fast_obmalloc;
    fast_obmalloc = false;
    ft_atomic_store_relaxed(&xfail_countdown, after < 0 ? 0 : after);
}

void _ft_mem_fail_reset(void)
{
    if (ft_atomic_load_relaxed(&xfail_countdown) < 0)
        return;
    ft_atomic_store_relaxed(&xfail_countdown, -1);
    fast_obmalloc = fast_before_injection;
}

static bool injected_failure(void)
{
    long left = ft_atomic_load_relaxed(&xfail_countdown);
    if (ft_likely(left < 0))
        return false;
    if (left == 0)
        return true;
    ft_atomic_store_relaxed(&xfail_countdown, left - 1);
    return false;
}

bool _ft_mem_fail_injected(void) { return injected_failure(); }

static void *malloc_impl(size_t n)
{
    if (!check_running())
        return NULL;
    if (ft_unlikely(injected_failure()))
        return done(NULL, n);
    if (n > PTRDIFF_MAX)
        return done(NULL, n);
    return done(_ft_mem_current.malloc(_ft_mem_current.ctx, n), n);
}

void *ft_malloc(size_t n)
{
    RECORD_SITE();
    if (ft_likely(fast_obmalloc && n <= FT_SMALL_MAX)) {
        void *p = small_alloc_fast(n);
        if (ft_likely(p != NULL))
            return _ft_trace_alloc_hook(p, n);
    }
    return malloc_impl(n);
}

void *ft_calloc(size_t count, size_t size)
{
    RECORD_SITE();
    if (!check_running())
        return NULL;
    size_t n;
    if (__builtin_mul_overflow(count, size, &n) || n > PTRDIFF_MAX) {
        ft_err_set(FT_ERR_OVERFLOW, "ft_calloc(%zu, %zu): size overflows",
                   count, size);
        return NULL;
    }
    if (ft_unlikely(injected_failure()))
        return done(NULL, n);
    return done(_ft_mem_current.calloc(_ft_mem_current.ctx, count, size), n);
}

void ft_free(void *p)
{
    RECORD_SITE();
    _ft_trace_free_hook(p);
    if (ft_likely(fast_obmalloc) && _ft_obmalloc_owns(p)) {
        small_free_fast(p);
        return;
    }
    if (!p || !check_running())
        return;
    account(-1, -(int64_t)_ft_mem_current.usable_size(_ft_mem_current.ctx, p));
    _ft_mem_current.free(_ft_mem_current.ctx, p);
}

/* The two halves of a free deferred to a grace period (internal/qsbr.h):
 * the block stops counting at its logical free (live blocks and bytes,
 * tracemalloc), on the freeing thread, so every flavor reports the same
 * figures after the same frees; the release later only returns it. */
void _ft_mem_uncount(void *p)
{
    _ft_trace_free_hook(p);
    account(-1, -(int64_t)_ft_mem_current.usable_size(_ft_mem_current.ctx, p));
}

void _ft_mem_release_uncounted(void *p)
{
    _ft_mem_current.free(_ft_mem_current.ctx, p);
}

void *ft_realloc(void *p, size_t n)
{
    RECORD_SITE();
    if (!p)
        return malloc_impl(n);
    if (!check_running())
        return NULL;
    if (n > PTRDIFF_MAX || injected_failure()) {
        ft_err_set(FT_ERR_MEMORY, "cannot reallocate to %zu bytes", n);
        return NULL;   /* p is still valid, as with realloc */
    }
    size_t old = _ft_mem_current.usable_size(_ft_mem_current.ctx, p);
    ft_trace_node *traced = _ft_trace_realloc_begin(p);
    void *q = _ft_mem_current.realloc(_ft_mem_current.ctx, p, n);
    _ft_trace_realloc_end(traced, p, q, n);
    if (!q) {
        ft_err_set(FT_ERR_MEMORY, "cannot reallocate to %zu bytes", n);
        return NULL;   /* p is still valid, as with realloc */
    }
    account(0, (int64_t)_ft_mem_current.usable_size(_ft_mem_current.ctx, q) -
                   (int64_t)old);
    return q;
}

size_t ft_malloc_usable_size(const void *p)
{
    if (!p || !check_running())
        return 0;
    return _ft_mem_current.usable_size(_ft_mem_current.ctx, p);
}

/* The debug allocator's quarantine is freed memory held back from the
 * backend: a collection checks every block in it (a write after free is
 * reported here) and gives it back first, so that the backend's figures
 * afterwards show what the program still holds. */
void ft_mem_collect(void)
{
    if (_ft_mem_debug)
        _ft_debug_flush("ft_mem_collect");
    _ft_heaps_collect();
}

void _ft_mem_count_object(int64_t n)
{
    ft_heap_set *s = _ft_heaps_current();
    if (s)
        ft_atomic_bump_single_writer(&s->xlive_objects, n);
}

void *_ft_mem_alloc_object_pooled(int kind, size_t n)
{
    if (!ft_likely(fast_obmalloc && n <= FT_SMALL_MAX))
        return NULL;
    ft_heap_set *s = _ft_heaps_current();
    void *p = s ? _ft_heap_alloc_small(&s->heaps[kind], n) : NULL;
    if (!p)
        return NULL;   /* obmalloc sets no error: the caller falls back */
    account_in(s, 1, (int64_t)_ft_class_size(_ft_size_class(n)));
    /* _ft_mem_count_object(1) on the set we already hold: no second
     * lookup of the thread's heap set. */
    ft_atomic_bump_single_writer(&s->xlive_objects, 1);
    return _ft_trace_alloc_hook(p, n);
}

void *_ft_mem_alloc_object(int kind, size_t n)
{
    void *p = _ft_mem_alloc_object_pooled(kind, n);
    if (p)
        return p;
    if (!(p = malloc_impl(n)))
        return NULL;
    _ft_mem_count_object(1);
    return p;
}

_Static_assert(FT_HEAP_RAW == FT_OBMALLOC_RAW_KIND,
               "mem/obmalloc.h's FT_OBMALLOC_RAW_KIND is not FT_HEAP_RAW");

/* Is p's block type-stable object memory (mem/obmalloc.h, T1-T2)? */
static bool type_stable(const void *p)
{
    return _ft_obmalloc_type_stable(p);
}

void _ft_mem_release_object(void *block, ft_object *o)
{
    if (_ft_qsbr_object_maybe_found(o) && !type_stable(block))
        _ft_qsbr_free(block);   /* a lock-free reader may still look at o */
    else
        ft_free(block);
}

static FT_NOINLINE void free_object_slow(void *block, ft_object *o)
{
    _ft_mem_count_object(-1);
    _ft_mem_release_object(block, o);
}

/* An object's block that obmalloc owns. Type-stable is then its pool's
 * heap kind alone (mem/obmalloc.h, T1-T3): no second radix lookup, as
 * type_stable would make (the compiler merges no atomic loads), and the
 * shared word's test first, which settles the usual death (an object no
 * other thread ever counted or found) with one load. */
static inline void free_object_pooled(void *block, ft_object *o)
{
    ft_pool *pool = _ft_pool_of(block);
    int kind = pool->heap->kind;
    if (_ft_qsbr_object_maybe_found(o) && kind == FT_HEAP_RAW) {
        free_object_slow(block, o);
        return;
    }
    _ft_trace_free_hook(block);
    ft_heap_set *s = _ft_heaps_current();
    ft_atomic_bump_single_writer(&s->xlive_objects, -1);
    account_in(s, -1, -(int64_t)pool->block_size);
    _ft_heap_free_small(&s->heaps[kind], block);
}

void _ft_mem_free_object(void *block, ft_object *o)
{
    /* The common case with one lookup of the thread's heap set: a pooled
     * block that no lock-free reader can still be looking at is freed at
     * once — _ft_mem_count_object(-1) and ft_free's fast path together.
     * (fast_obmalloc is off under the debug wrapper: no site to record.) */
    if (ft_likely(fast_obmalloc) && _ft_obmalloc_owns(block))
        free_object_pooled(block, o);
    else
        free_object_slow(block, o);
}

void _ft_mem_clear_freelists(void)
{
    ft_heap_set *s = _ft_heaps_peek();
    if (s && _ft_heaps_per_thread())
        _ft_freelists_clear(&s->freelists);
}

void _ft_mem_thread_exit(void)
{
    _ft_mem_clear_freelists();
    _ft_mimalloc_thread_exit();   /* nothing unless it made a heap */
    _ft_heaps_thread_exit();
}

void _ft_mem_fini(void)
{
    ft_heap_set *s = _ft_heaps_peek();
    if (s)
        _ft_freelists_clear(&s->freelists);
    _ft_qsbr_barrier();      /* none left in flight after ft_fini's: no wait */
    if (_ft_mem_debug)
        _ft_debug_flush("ft_fini");   /* quarantined: checked, really freed */
    _ft_heaps_thread_exit();
    _ft_heaps_collect();   /* waits for waiting object pools too */
    _ft_pool_grace = NULL;
    _ft_mem_fail_reset();
    _ft_mem_current = (ft_allocator){ 0 };
    _ft_mem_debug = false;
    fast_obmalloc = false;
}
