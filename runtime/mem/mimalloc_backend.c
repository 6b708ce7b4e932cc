/* mimalloc_backend.c — FT_MALLOC=mimalloc: one mi_heap_t per thread.
 *
 * Each thread allocates from its own mimalloc heap (mi_heap_new on first
 * use); mi_free frees a block of any heap from any thread. When a thread
 * ends, mi_heap_delete hands its live blocks to the default heap, so
 * nothing is lost. The nogil collector does not walk mimalloc heaps (it
 * could not see the abandoned segments of exited threads without
 * CPython's patched mimalloc): GC objects from this backend sit on the
 * collector's own lists (nogil/gc.c).
 *
 * Why dlopen: Debian's libmimalloc.so is built to *override* malloc and
 * free. Linked normally it would silently replace the system allocator of
 * the whole process, so FT_MALLOC=malloc would measure mimalloc. Loaded
 * with RTLD_LOCAL its malloc/free stay out of the global symbol scope and
 * only the mi_* functions looked up here are used.
 */
#include <dlfcn.h>
#include <pthread.h>
#include "backend.h"

typedef struct mi_heap_s mi_heap_t;

static struct {
    mi_heap_t *(*heap_new)(void);
    void (*heap_delete)(mi_heap_t *);
    void *(*heap_malloc)(mi_heap_t *, size_t);
    void *(*heap_calloc)(mi_heap_t *, size_t, size_t);
    void *(*heap_realloc)(mi_heap_t *, void *, size_t);
    void (*free)(void *);
    size_t (*usable_size)(const void *);
} mi;

static _Thread_local mi_heap_t *tls_heap;
static pthread_key_t heap_key;

static void heap_release(void *heap)
{
    if (heap)
        mi.heap_delete(heap);
    tls_heap = NULL;
}

static const char *load_error;

static void load(void)
{
    void *lib = dlopen(FT_MIMALLOC_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        load_error = dlerror();
        return;
    }
    void **slots[] = { (void **)&mi.heap_new, (void **)&mi.heap_delete,
                       (void **)&mi.heap_malloc, (void **)&mi.heap_calloc,
                       (void **)&mi.heap_realloc, (void **)&mi.free,
                       (void **)&mi.usable_size };
    const char *names[] = { "mi_heap_new", "mi_heap_delete", "mi_heap_malloc",
                            "mi_heap_calloc", "mi_heap_realloc", "mi_free",
                            "mi_usable_size" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!(*slots[i] = dlsym(lib, names[i]))) {
            load_error = "a mi_* function is missing";
            return;
        }
    pthread_key_create(&heap_key, heap_release);
}

int _ft_mimalloc_load(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load);
    if (!mi.usable_size)
        return ft_err_set(FT_ERR_RUNTIME, "FT_MALLOC=mimalloc: cannot load %s: %s",
                          FT_MIMALLOC_LIBRARY, load_error ? load_error : "?");
    return 0;
}

/* A runtime thread leaving (mem.c): delete its heap now, while mimalloc's
 * own per-thread state still exists. Left to the pthread-key destructor,
 * the deletion could run after mimalloc's thread-exit cleanup, whose
 * destructor order is unspecified (it crashed in mi_heap_delete). */
void _ft_mimalloc_thread_exit(void)
{
    mi_heap_t *h = tls_heap;
    if (!h)
        return;
    pthread_setspecific(heap_key, NULL);
    tls_heap = NULL;
    mi.heap_delete(h);
}

static mi_heap_t *my_heap(void)
{
    if (ft_likely(tls_heap != NULL))
        return tls_heap;
    tls_heap = mi.heap_new();
    if (tls_heap)
        pthread_setspecific(heap_key, tls_heap);
    return tls_heap;
}

/* mimalloc aligns blocks of under 16 bytes (and of odd word counts) to 8
 * only; ftlab promises 16. A request rounded up to a multiple of 16 lands
 * in a bin of an even number of words, whose blocks are 16-aligned. */
static size_t round16(size_t n) { return n ? (n + 15) & ~(size_t)15 : 16; }

static void *mi_malloc_(void *ctx, size_t n)
{
    (void)ctx;
    mi_heap_t *h = my_heap();
    return h ? mi.heap_malloc(h, round16(n)) : NULL;
}

static void *mi_calloc_(void *ctx, size_t count, size_t size)
{
    (void)ctx;
    mi_heap_t *h = my_heap();   /* the front checked count * size */
    return h ? mi.heap_calloc(h, 1, round16(count * size)) : NULL;
}

static void *mi_realloc_(void *ctx, void *p, size_t n)
{
    (void)ctx;
    mi_heap_t *h = my_heap();
    return h ? mi.heap_realloc(h, p, round16(n)) : NULL;
}

static void mi_free_(void *ctx, void *p) { (void)ctx; mi.free(p); }
static size_t mi_usable_(void *ctx, const void *p) { (void)ctx; return mi.usable_size(p); }

const ft_allocator _ft_mimalloc_allocator = {
    "mimalloc", mi_malloc_, mi_calloc_, mi_realloc_, mi_free_, mi_usable_, NULL,
};
