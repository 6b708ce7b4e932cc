/* shim/ftmalloc.c — libftmalloc.so: ftlab's nogil allocator (obmalloc with
 * per-thread heaps; docs/architecture.md, "The memory layers") exported as
 * the C allocator, so that any program can run on it.
 *
 * Use
 *
 *     LD_PRELOAD=build/release/shim/libftmalloc.so prog args...
 *
 * The library is built from runtime/mem/obmalloc.c, nogil/heap.c and this
 * file only: none of the rest of the runtime (and no ft_init) is needed.
 * It exports the malloc family and one symbol of its own, ftmalloc_owns(),
 * by which a program can tell that it runs on the shim. Everything else is
 * hidden, so a program that also links libftlab-nogil.so gets two separate
 * allocators that never share a symbol.
 *
 * What goes where
 *
 *     request                            served by
 *     ---------------------------------  --------------------------------
 *     1..512 bytes, alignment <= 16      obmalloc: the calling thread's
 *     (malloc(0) is a 1-byte request)    FT_HEAP_RAW heap (nogil/heap.c)
 *     513..8160 bytes, alignment <= 16   the same heap's medium classes
 *                                        (mem/obmalloc.h: 640, 768, ...,
 *                                        4096, 5440, 8160; shim only)
 *     over 8160 bytes, or alignment > 16 glibc: __libc_malloc, _calloc,
 *                                        _realloc, _memalign, ...
 *     free / realloc / usable size of p  obmalloc if _ft_obmalloc_owns(p)
 *                                        (an O(1) radix-tree lookup), else
 *                                        glibc
 *
 * A block freed by a thread other than its allocator goes on its pool's
 * remote list; the heaps of an exited thread are abandoned and adopted by
 * the next thread that allocates (mem/heap.h), so a program that creates
 * and ends threads does not grow without bound.
 *
 * Limits
 *   - glibc only: the large path calls glibc's exported __libc_* entry
 *     points, and malloc_usable_size of a large block asks libc.so.6.
 *   - Preload it (or link it first): nogil/heap.c keeps its thread-local
 *     pointer in initial-exec TLS, which a late dlopen may fail to place.
 *   - mallinfo, malloc_stats, malloc_trim and mallopt see only glibc's part.
 *   - realloc of a pooled block to another size class moves it (as mem.c's
 *     obmalloc backend does); glibc keeps large blocks in place.
 *   - fork: the shim has no lock of its own; nogil/heap.c holds its
 *     registry lock and obmalloc.c's arena lock across fork() and resets
 *     them in the child (tests/preload/fork_churn.c). Heap sets of the
 *     parent's other threads stay owned in the child; their memory is not
 *     reused there.
 */
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mem/heap.h"

#define FT_EXPORT __attribute__((visibility("default")))

/* glibc's allocator under the names it exports for exactly this use
 * (GLIBC_2.2.5): calls that reach them do not come back to us. */
extern void *__libc_malloc(size_t n);
extern void  __libc_free(void *p);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
extern void *__libc_valloc(size_t n);
extern void *__libc_pvalloc(size_t n);

/* The shim's own symbol: exported, declared here for -Wmissing-prototypes. */
FT_EXPORT int ftmalloc_owns(const void *p);

/* ---- Failing without the heap ------------------------------------------- */

static void write_str(const char *s)
{
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* obmalloc.c's assertions (FT_DEBUG >= 2) call this; the runtime's version
 * lives in runtime/error.c, which the shim does not link, and uses stdio,
 * which may allocate from the heap that just failed its check. */
_Noreturn void _ft_assert_fail(const char *expr, const char *file, int line,
                               const char *func)
{
    char num[16], *d = num + sizeof num;
    *--d = '\0';
    unsigned u = line > 0 ? (unsigned)line : 0;
    do {
        *--d = (char)('0' + u % 10);
    } while ((u /= 10) && d > num);
    write_str("libftmalloc (" FT_FLAVOR "): assertion failed: ");
    write_str(expr);
    write_str("\n  at ");
    write_str(file);
    write_str(":");
    write_str(d);
    write_str(" in ");
    write_str(func);
    write_str("()\n");
    abort();
}

/* ---- The two allocators ------------------------------------------------- */

static inline bool is_pow2(size_t a) { return a && !(a & (a - 1)); }

/* The fast paths (obmalloc.h, "Free-list sharding"): one thread-local
 * load (_ft_heaps_peek, inline from mem/heap.h), then a pop or a push on
 * a pool; no statistics (FT_SHIM). The shim's heaps are all RAW.
 * Anything else (no heap set yet on this thread, an empty free list,
 * ENOMEM) is class_alloc_slow's, a tail call: malloc saves no register
 * for a call it makes only off its fast path. */
static FT_NOINLINE void *class_alloc_slow(unsigned c)
{
    ft_heap_set *s = _ft_heaps_current();
    void *p = NULL;
    if (ft_likely(s != NULL))
        p = _ft_heap_alloc_class(&s->heaps[FT_HEAP_RAW], c);
    if (ft_unlikely(!p))
        errno = ENOMEM;
    return p;
}

static inline void *class_alloc(unsigned c)
{
    ft_heap_set *s = _ft_heaps_peek();
    void *p = s ? _ft_heap_pop(&s->heaps[FT_HEAP_RAW], c) : NULL;
    return ft_likely(p != NULL) ? p : class_alloc_slow(c);
}

/* As mem.c's ob_free: a thread that has no heap set yet (or has abandoned
 * it, in a late thread-exit destructor) frees through the remote path. */
static inline void small_free(void *p)
{
    ft_heap_set *s = _ft_heaps_peek();
    _ft_heap_free_small(s ? &s->heaps[FT_HEAP_RAW] : NULL, p);
}

/* Everything but 1..FT_SMALL_MAX bytes: malloc(0) is a 1-byte request. */
static FT_NOINLINE void *other_alloc(size_t n)
{
    if (n == 0)
        return class_alloc(0);
    return n <= FT_MEDIUM_MAX ? class_alloc(_ft_medium_class(n)) : __libc_malloc(n);
}

static inline void *alloc(size_t n)
{
    /* 1..FT_SMALL_MAX in one compare (0 wraps around to the other path),
     * and then the class is (n - 1) / 16 with no test for 0. */
    if (ft_likely(n - 1 < FT_SMALL_MAX))
        return class_alloc((unsigned)((n - 1) >> 4));
    return other_alloc(n);
}

/* The size class of a request the pools serve (1..FT_MEDIUM_MAX). */
static inline unsigned any_class(size_t n)
{
    return n <= FT_SMALL_MAX ? _ft_size_class(n) : _ft_medium_class(n);
}

static inline void dealloc(void *p)
{
    if (_ft_obmalloc_owns(p))
        small_free(p);
    else
        __libc_free(p);                 /* NULL included */
}

static void *alloc_aligned(size_t align, size_t n)
{
    /* Every obmalloc block is 16-byte aligned: pools are 16 KiB-aligned,
     * their blocks start 64 bytes in and block sizes are multiples of 16. */
    return align <= FT_ALIGNMENT ? alloc(n) : __libc_memalign(align, n);
}

/* ---- glibc's malloc_usable_size ------------------------------------------
 * We export malloc_usable_size, so glibc's cannot be called by name, and
 * glibc exports no __libc_ alias for it. Two ways out: keep a size header
 * on every large block, or ask libc.so.6 for its function. A header would
 * cost 16 bytes per block, need separate bookkeeping for memalign'd blocks
 * and misread any block glibc allocated for itself; asking libc once is
 * free after the first call. The handle of libc.so.6 (RTLD_NOLOAD: it is
 * loaded, we only look it up) finds glibc's definition whatever the load
 * order, where RTLD_NEXT would fail if the program linked us after libc.
 *
 * dlopen and dlsym may allocate: they then call our malloc or calloc,
 * which never call back here, so there is no recursion and no bootstrap
 * buffer is needed. The constructor resolves it at load time; the lazy
 * path covers a call from another library's constructor run before ours.
 * Racing resolvers store the same value. */
typedef size_t (*usable_fn)(void *);
static _Atomic(usable_fn) xlibc_usable_fn;

static usable_fn resolve_libc_usable(void)
{
    usable_fn fn = NULL;
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    if (libc) {
        fn = (usable_fn)dlsym(libc, "malloc_usable_size");
        dlclose(libc);                  /* drops our reference only */
    }
    if (!fn) {
        write_str("libftmalloc: cannot find glibc's malloc_usable_size\n");
        abort();
    }
    /* relaxed: the value is a code address; it publishes no data. */
    ft_atomic_store_relaxed(&xlibc_usable_fn, fn);
    return fn;
}

__attribute__((constructor)) static void ftmalloc_init(void)
{
    if (!ft_atomic_load_relaxed(&xlibc_usable_fn))
        resolve_libc_usable();
}

static size_t libc_usable_size(void *p)
{
    usable_fn fn = ft_atomic_load_relaxed(&xlibc_usable_fn);
    if (ft_unlikely(!fn))
        fn = resolve_libc_usable();
    return fn(p);
}

static size_t usable_size(void *p)
{
    if (!p)
        return 0;
    return _ft_obmalloc_owns(p) ? _ft_obmalloc_usable_size(p)
                                : libc_usable_size(p);
}

/* ---- realloc ------------------------------------------------------------ */

/* p holds `old` usable bytes; moves them into a fresh block of n bytes. */
static void *move(void *p, size_t old, size_t n)
{
    void *q = alloc(n);
    if (q) {
        memcpy(q, p, old < n ? old : n);
        dealloc(p);
    }
    return q;
}

/* glibc's semantics: realloc(NULL, n) is malloc(n); realloc(p, 0) frees p
 * and returns NULL; on failure p is left untouched. */
static void *realloc_impl(void *p, size_t n)
{
    if (!p)
        return alloc(n);
    if (n == 0) {
        dealloc(p);
        return NULL;
    }
    if (!_ft_obmalloc_owns(p))
        return n > FT_MEDIUM_MAX ? __libc_realloc(p, n)
                                 : move(p, libc_usable_size(p), n);
    size_t bs = _ft_obmalloc_usable_size(p);
    if (n <= bs && any_class(n) == any_class(bs))
        return p;                       /* same size class: stay */
    return move(p, bs, n);
}

/* ---- The exported C allocator ------------------------------------------- */

FT_EXPORT void *malloc(size_t n) { return alloc(n); }

FT_EXPORT void free(void *p) { dealloc(p); }

FT_EXPORT void *calloc(size_t count, size_t size)
{
    size_t n;
    if (__builtin_mul_overflow(count, size, &n)) {
        errno = ENOMEM;
        return NULL;
    }
    if (n > FT_MEDIUM_MAX)
        return __libc_calloc(n, 1);     /* glibc skips zeroing fresh pages */
    void *p = alloc(n);
    if (p)
        memset(p, 0, n);
    return p;
}

FT_EXPORT void *realloc(void *p, size_t n) { return realloc_impl(p, n); }

FT_EXPORT void *reallocarray(void *p, size_t count, size_t size)
{
    size_t n;
    if (__builtin_mul_overflow(count, size, &n)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc_impl(p, n);
}

FT_EXPORT int posix_memalign(void **out, size_t align, size_t n)
{
    if (!is_pow2(align) || align % sizeof(void *) != 0)
        return EINVAL;
    int saved = errno;                  /* the result says it, not errno */
    void *p = alloc_aligned(align, n);
    errno = saved;
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

/* C17 (and glibc from 2.38): an alignment that is not a power of two is
 * refused; the size need not be a multiple of it (DR 460). */
FT_EXPORT void *aligned_alloc(size_t align, size_t n)
{
    if (!is_pow2(align)) {
        errno = EINVAL;
        return NULL;
    }
    return alloc_aligned(align, n);
}

/* glibc's memalign takes any alignment (it rounds up to a power of two),
 * so everything above 16 is passed on unchecked. */
FT_EXPORT void *memalign(size_t align, size_t n)
{
    return alloc_aligned(align, n);
}

FT_EXPORT void *valloc(size_t n) { return __libc_valloc(n); }

FT_EXPORT void *pvalloc(size_t n) { return __libc_pvalloc(n); }

FT_EXPORT size_t malloc_usable_size(void *p) { return usable_size(p); }

FT_EXPORT int ftmalloc_owns(const void *p)
{
    return p != NULL && _ft_obmalloc_owns(p);
}
