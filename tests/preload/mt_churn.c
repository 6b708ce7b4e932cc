/* mt_churn.c — libftmalloc.so under several threads.
 *
 *     LD_PRELOAD=build/release/shim/libftmalloc.so mt_churn [seconds] [threads]
 *
 * Not linked to ftlab: a plain C program whose malloc is the shim (it
 * fails at once if ftmalloc_owns is missing or malloc is not the shim's).
 * First the C semantics one call at a time (malloc(0), realloc to 0,
 * overflow, bad alignments), then for `seconds` (default 1):
 *
 *   workers    allocate blocks of 1..12000 bytes (malloc, calloc, memalign,
 *              posix_memalign, aligned_alloc with alignments 16..4096),
 *              realloc them across the 512- and 8160-byte boundaries
 *              (small, medium and glibc blocks), free them, and
 *              hand some to another worker's queue to be freed there; now
 *              and then a burst of up to 3 MiB of one size class (small
 *              or medium), all
 *              freed by another worker (FULL pools, the delayed-free
 *              list, arenas mapped and returned);
 *   main       starts short-lived threads that exit with live blocks, and
 *              frees those blocks batches later, after newer threads have
 *              adopted the heaps the exited ones abandoned.
 *
 * Every block is filled with a tag byte and checked whole before it is
 * freed or moved (two owners of one block would overwrite each other's
 * tag), its alignment and malloc_usable_size >= the request are checked,
 * and ftmalloc_owns says whether the right allocator served it (obmalloc
 * for <= 8160 bytes at alignment <= 16, glibc otherwise). Workers that end
 * leave their blocks to main. A failed check prints and aborts.
 *
 * The run lasts `seconds` and until the workers took MIN_STEPS steps
 * together (a loaded machine takes over MIN_STEPS_SEEN in one second;
 * the floor is a tenth of that), but at most MAX_SECONDS: a run that did
 * not reach the floor fails with the count, rather than passing having
 * done almost nothing.
 *
 * The sizes, alignments and hand-overs come from one seed: FT_TEST_SEED
 * from the environment when set, else the clock. It is printed first, so
 * a failing run's log names the seed that replays its choices (not its
 * thread interleaving). This program does not link the test support, so
 * it reads the variable itself, as ft_test_seed does.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define SMALL_MAX  512         /* the small classes                      */
#define POOL_MAX   8160        /* the shim's medium classes end here      */
#define MAX_SIZE   12000
#define SLOTS      256      /* live blocks per worker                     */
#define QUEUE_CAP  8192     /* blocks in flight to one worker             */
#define BURST_BYTES (3u << 20) /* a burst spans up to 3 arenas            */
#define MAX_WORKERS 16
#define TRANSIENT_BLOCKS 200
#define TRANSIENT_KEEP  12  /* batches of exited threads kept alive       */
/* Worker steps in 1 s, 4 threads, on a loaded machine: 0.8-1.3 M measured. */
#define MIN_STEPS_SEEN 800000
#define MIN_STEPS (MIN_STEPS_SEEN / 10)
#define MAX_SECONDS 60.0

typedef struct blk {
    unsigned char *p;
    size_t n;               /* requested size                             */
    size_t align;           /* requested alignment, 0 for malloc's        */
    unsigned char tag;
} blk;

typedef struct queue {
    pthread_mutex_t lock;
    blk items[QUEUE_CAP];
    unsigned head, len;
} queue;

typedef struct worker {
    pthread_t thread;
    unsigned id;
    uint64_t rng;
    blk slots[SLOTS];
    queue inbox;
    uint64_t allocs, frees, sent, received, reallocs, aligned, bursts;
} worker;

static int (*ftmalloc_owns)(const void *);
static worker workers[MAX_WORKERS];
static unsigned nworkers = 4;
static double seconds = 1.0;
static atomic_bool stop;
/* Steps of every worker, added every 64 steps. relaxed: a count that main
 * only compares with the floor; a stale value only lengthens the run. */
static _Atomic uint64_t xsteps;

/* ---- Helpers ------------------------------------------------------------ */

static uint64_t next_rand(uint64_t *s)
{
    /* xorshift64*: per-thread, no locks, good enough to pick sizes. */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool expect_small(size_t n, size_t align)
{
    return n <= POOL_MAX && align <= 16;
}

/* A fresh block: alignment, usable size, allocator; then tag it whole. */
static void check_new(blk *b)
{
    check_or_fail(b->p != NULL, "allocation of %zu bytes (align %zu) failed",
          b->n, b->align);
    size_t align = b->align ? b->align : 16;
    check_or_fail(((uintptr_t)b->p & (align - 1)) == 0, "%p not %zu-aligned",
          (void *)b->p, align);
    size_t usable = malloc_usable_size(b->p);
    check_or_fail(usable >= b->n, "usable size %zu < requested %zu", usable, b->n);
    bool small = ftmalloc_owns(b->p) != 0;
    check_or_fail(small == expect_small(b->n, b->align),
          "%zu bytes at align %zu served by %s", b->n, b->align,
          small ? "obmalloc" : "glibc");
    memset(b->p, b->tag, b->n);
}

/* The first `n` bytes still carry the tag. */
static void check_tag(const blk *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check_or_fail(b->p[i] == b->tag,
              "block %p (%zu bytes): byte %zu is %#x, tag %#x",
              (void *)b->p, b->n, i, b->p[i], b->tag);
}

static void release(blk *b)
{
    check_tag(b, b->n);
    free(b->p);
    b->p = NULL;
}

static size_t random_size(uint64_t *rng)
{
    /* Half small, half anywhere in 1..12000: every path stays busy. */
    uint64_t r = next_rand(rng);
    return (r & 1) ? 1 + (r >> 8) % SMALL_MAX : 1 + (r >> 8) % MAX_SIZE;
}

static unsigned char random_tag(uint64_t *rng)
{
    return (unsigned char)(1 + next_rand(rng) % 255);
}

/* ---- Queues: blocks handed to another thread ---------------------------- */

static bool queue_push(queue *q, blk b)
{
    pthread_mutex_lock(&q->lock);
    bool ok = q->len < QUEUE_CAP;
    if (ok)
        q->items[(q->head + q->len++) % QUEUE_CAP] = b;
    pthread_mutex_unlock(&q->lock);
    return ok;
}

/* Frees everything in q; returns how many. */
static uint64_t queue_drain(queue *q)
{
    blk taken[64];
    uint64_t total = 0;
    for (;;) {
        unsigned n = 0;
        pthread_mutex_lock(&q->lock);
        while (q->len && n < 64) {
            taken[n++] = q->items[q->head];
            q->head = (q->head + 1) % QUEUE_CAP;
            q->len--;
        }
        pthread_mutex_unlock(&q->lock);
        if (!n)
            return total;
        for (unsigned i = 0; i < n; i++)
            release(&taken[i]);
        total += n;
    }
}

/* ---- Workers ------------------------------------------------------------ */

static void do_alloc(worker *w, blk *b)
{
    *b = (blk){ .n = random_size(&w->rng), .tag = random_tag(&w->rng) };
    uint64_t how = next_rand(&w->rng) % 4;
    if (how == 0) {
        b->p = calloc(1, b->n);
        check_or_fail(b->p != NULL, "calloc(1, %zu) failed", b->n);
        for (size_t i = 0; i < b->n; i++)
            check_or_fail(b->p[i] == 0, "calloc'd block %p: byte %zu is %#x",
                  (void *)b->p, i, b->p[i]);
    } else {
        b->p = malloc(b->n);
    }
    check_new(b);
    w->allocs++;
}

static void do_aligned(worker *w, blk *b)
{
    size_t align = (size_t)16 << (next_rand(&w->rng) % 9);   /* 16..4096 */
    *b = (blk){ .n = random_size(&w->rng), .align = align,
                .tag = random_tag(&w->rng) };
    switch (next_rand(&w->rng) % 3) {
    case 0:
        b->p = memalign(align, b->n);
        break;
    case 1: {
        void *p = NULL;
        int rc = posix_memalign(&p, align, b->n);
        check_or_fail(rc == 0, "posix_memalign(%zu, %zu) = %d", align, b->n, rc);
        b->p = p;
        break;
    }
    default:
        b->p = aligned_alloc(align, b->n);
        break;
    }
    check_new(b);
    w->aligned++;
}

/* Across a boundary: from small, medium or glibc to one of the other two
 * ranges, content kept. */
static void do_realloc(worker *w, blk *b)
{
    static const size_t lo[3] = { 1, SMALL_MAX + 1, POOL_MAX + 1 },
                        hi[3] = { SMALL_MAX, POOL_MAX, MAX_SIZE };
    size_t old = b->n;
    unsigned from = old <= SMALL_MAX ? 0 : old <= POOL_MAX ? 1 : 2;
    unsigned to = (from + 1 + (unsigned)(next_rand(&w->rng) % 2)) % 3;
    size_t n = lo[to] + next_rand(&w->rng) % (hi[to] - lo[to] + 1);
    check_tag(b, old);
    unsigned char *q = realloc(b->p, n);
    check_or_fail(q != NULL, "realloc(%p, %zu) failed", (void *)b->p, n);
    b->p = q;
    b->n = n;
    b->align = 0;
    check_tag(b, old < n ? old : n);
    b->tag = random_tag(&w->rng);
    check_new(b);
    w->reallocs++;
}

static void do_send(worker *w, blk *b)
{
    unsigned hop = 0;
    if (nworkers > 1)
        hop = 1 + (unsigned)(next_rand(&w->rng) % (nworkers - 1));
    worker *to = &workers[(w->id + hop) % nworkers];
    if (to != w && queue_push(&to->inbox, *b)) {
        b->p = NULL;
        w->sent++;
    } else {
        release(b);
        w->frees++;
    }
}

/* Many blocks of one size class, all freed by another thread: pools fill
 * up (FULL, so the frees take the heap's delayed list), new arenas are
 * mapped, and they empty and return to the OS once the other side is
 * done. */
static void do_burst(worker *w)
{
    unsigned hop = 1 + (unsigned)(next_rand(&w->rng) % (nworkers - 1));
    worker *to = &workers[(w->id + hop) % nworkers];
    size_t n = 1 + next_rand(&w->rng) % POOL_MAX;
    size_t count = BURST_BYTES / n;
    if (count > QUEUE_CAP / 2)
        count = QUEUE_CAP / 2;
    for (size_t i = 0; i < count; i++) {
        blk b = { .n = n, .tag = random_tag(&w->rng) };
        b.p = malloc(n);
        check_new(&b);
        w->allocs++;
        if (queue_push(&to->inbox, b)) {
            w->sent++;
        } else {
            release(&b);
            w->frees++;
        }
    }
    w->bursts++;
}

static void step(worker *w)
{
    if (nworkers > 1 && next_rand(&w->rng) % 4096 == 0) {
        do_burst(w);
        return;
    }
    blk *b = &w->slots[next_rand(&w->rng) % SLOTS];
    unsigned op = (unsigned)(next_rand(&w->rng) % 100);
    if (!b->p) {
        if (op < 90)
            do_alloc(w, b);
        else
            do_aligned(w, b);
    } else if (op < 35) {
        release(b);
        w->frees++;
    } else if (op < 60) {
        do_send(w, b);
    } else if (op < 92) {
        do_realloc(w, b);
    } else {
        release(b);
        w->frees++;
        do_aligned(w, b);
    }
}

/* Returns with live blocks in w->slots: main frees them after the join. */
static void *worker_main(void *arg)
{
    worker *w = arg;
    for (uint64_t i = 0; !atomic_load_explicit(&stop, memory_order_relaxed);
         i++) {
        step(w);
        if ((i & 63) == 0) {
            w->received += queue_drain(&w->inbox);
            atomic_fetch_add_explicit(&xsteps, 64, memory_order_relaxed);
        }
    }
    w->received += queue_drain(&w->inbox);
    return NULL;
}

/* ---- Transient threads: exit with live blocks --------------------------- */

typedef struct batch {
    blk blocks[TRANSIENT_BLOCKS];
    uint64_t seed;
} batch;

static void *transient_main(void *arg)
{
    batch *t = arg;
    for (unsigned i = 0; i < TRANSIENT_BLOCKS; i++) {
        blk *b = &t->blocks[i];
        *b = (blk){ .n = random_size(&t->seed), .tag = random_tag(&t->seed) };
        b->p = malloc(b->n);
        check_new(b);
        if (i % 4 != 3)
            continue;
        blk *old = &t->blocks[i - next_rand(&t->seed) % 4];
        if (old->p)                    /* some freed by their own thread */
            release(old);
    }
    return t;
}

static void batch_free(batch *t)
{
    for (unsigned i = 0; i < TRANSIENT_BLOCKS; i++)
        if (t->blocks[i].p)
            release(&t->blocks[i]);
    free(t);
}

/* Whether the run goes on: before the deadline, or short of MIN_STEPS and
 * before the cap. */
static bool keep_running(double deadline)
{
    double t = now_s();
    return t < deadline ||
           (atomic_load_explicit(&xsteps, memory_order_relaxed) < MIN_STEPS &&
            t < deadline + MAX_SECONDS);
}

/* Until the run ends: start threads, keep their live blocks for a while,
 * free them from main after newer threads have come and gone. Rounds of
 * three threads and of one alternate, so that abandoned heap sets pile up
 * and wait: the workers then service them before mapping new arenas. */
static uint64_t run_transients(double deadline, uint64_t *seed)
{
    batch *kept[TRANSIENT_KEEP] = { 0 };
    uint64_t n = 0;
    for (unsigned round = 0; keep_running(deadline); round++) {
        unsigned par = round % 2 ? 1 : 3;
        pthread_t th[3];
        batch *t[3];
        for (unsigned i = 0; i < par; i++) {
            t[i] = calloc(1, sizeof *t[i]);
            check_or_fail(t[i] != NULL, "calloc(batch) failed");
            t[i]->seed = next_rand(seed) | 1;
            check_or_fail(pthread_create(&th[i], NULL, transient_main, t[i]) == 0,
                  "pthread_create");
        }
        for (unsigned i = 0; i < par; i++, n++) {
            void *ret;
            check_or_fail(pthread_join(th[i], &ret) == 0 && ret == t[i],
                  "pthread_join");
            unsigned k = (unsigned)(n % TRANSIENT_KEEP);
            if (kept[k])
                batch_free(kept[k]);
            kept[k] = t[i];
        }
    }
    for (unsigned k = 0; k < TRANSIENT_KEEP; k++)
        if (kept[k])
            batch_free(kept[k]);
    return n;
}

/* ---- C semantics, one call at a time ------------------------------------ */

static void check_on_shim(void)
{
    ftmalloc_owns = (int (*)(const void *))dlsym(RTLD_DEFAULT, "ftmalloc_owns");
    check_or_fail(ftmalloc_owns != NULL,
          "ftmalloc_owns not found: run with LD_PRELOAD=.../libftmalloc.so");
    Dl_info info;
    void *m = dlsym(RTLD_DEFAULT, "malloc");
    check_or_fail(m && dladdr(m, &info) && info.dli_fname &&
          strstr(info.dli_fname, "libftmalloc"),
          "malloc resolves to %s, not libftmalloc.so",
          m && info.dli_fname ? info.dli_fname : "nothing");
}

static void check_semantics(void)
{
    volatile size_t huge = SIZE_MAX, half = SIZE_MAX / 2 + 1;
    long page = sysconf(_SC_PAGESIZE);

    void *z = malloc(0);
    check_or_fail(z && ftmalloc_owns(z), "malloc(0) = %p", z);
    void *z2 = malloc(0);
    check_or_fail(z2 && z2 != z, "malloc(0) twice gave %p and %p", z, z2);
    free(z2);
    check_or_fail(realloc(z, 0) == NULL, "realloc(p, 0) must free and return NULL");
    free(NULL);
    check_or_fail(malloc_usable_size(NULL) == 0, "malloc_usable_size(NULL)");

    char *r = realloc(NULL, 100);
    check_or_fail(r && ftmalloc_owns(r), "realloc(NULL, 100) = %p", (void *)r);
    memset(r, 'x', 100);
    uintptr_t before = (uintptr_t)r;
    r = realloc(r, 110);                          /* same 112-byte class */
    check_or_fail((uintptr_t)r == before, "realloc within a size class moved it");
    errno = 0;
    check_or_fail(reallocarray(r, half, 2) == NULL && errno == ENOMEM,
          "reallocarray overflow");
    check_or_fail(r[99] == 'x', "reallocarray overflow touched the block");
    r = reallocarray(r, 300, 2);                  /* 600: medium, 640 */
    check_or_fail(r && ftmalloc_owns(r) && r[99] == 'x' &&
          malloc_usable_size(r) == 640, "reallocarray(300, 2) to a medium class");
    memset(r, 'y', 600);
    before = (uintptr_t)r;
    r = realloc(r, 640);                          /* same medium class */
    check_or_fail((uintptr_t)r == before, "realloc within a medium class moved it");
    r = realloc(r, 641);                          /* the next: 768 */
    check_or_fail(r && ftmalloc_owns(r) && malloc_usable_size(r) == 768 &&
          r[0] == 'y' && r[599] == 'y', "realloc(641) to the 768-byte class");
    r = reallocarray(r, 5000, 2);                 /* 10000: glibc */
    check_or_fail(r && !ftmalloc_owns(r) && r[599] == 'y' &&
          malloc_usable_size(r) >= 10000, "reallocarray(5000, 2) to glibc");
    r = realloc(r, 8160);                         /* back to the last class */
    check_or_fail(r && ftmalloc_owns(r) && malloc_usable_size(r) == 8160 &&
          r[599] == 'y', "realloc(8160) from glibc");
    free(r);
    /* The medium boundaries: every class's usable size, and 8161 to glibc. */
    static const size_t medium[] = { 513, 640, 641, 1024, 1025, 2048, 3000, 4096,
                                     4097, 5440, 5441, 8160 };
    static const size_t medium_usable[] = { 640, 640, 768, 1024, 1280, 2048,
                                            3072, 4096, 5440, 5440, 8160, 8160 };
    for (size_t i = 0; i < sizeof medium / sizeof medium[0]; i++) {
        char *m = malloc(medium[i]);
        check_or_fail(m && ftmalloc_owns(m) && ((uintptr_t)m & 15) == 0 &&
              malloc_usable_size(m) == medium_usable[i],
              "malloc(%zu): usable %zu, want %zu", medium[i],
              m ? malloc_usable_size(m) : 0, medium_usable[i]);
        memset(m, 'm', medium_usable[i]);     /* all of it is ours to use */
        free(m);
    }
    char *l = malloc(POOL_MAX + 1);
    check_or_fail(l && !ftmalloc_owns(l), "malloc(8161) to glibc");
    free(l);
    /* calloc of a recycled medium block is zeroed; past 8160 it is glibc's. */
    char *dirty = malloc(8000);
    check_or_fail(dirty != NULL, "malloc(8000)");
    memset(dirty, 0xab, 8000);
    free(dirty);
    char *zero = calloc(1000, 8);
    check_or_fail(zero && ftmalloc_owns(zero), "calloc(1000, 8) = %p", (void *)zero);
    for (size_t i = 0; i < 8000; i++)
        check_or_fail(zero[i] == 0, "calloc(1000, 8): byte %zu is %#x", i,
              (unsigned)(unsigned char)zero[i]);
    free(zero);
    zero = calloc(2, 4097);
    check_or_fail(zero && !ftmalloc_owns(zero) && zero[8193] == 0, "calloc(2, 4097)");
    free(zero);
    errno = 0;
    check_or_fail(calloc(half / 4000, 8000) == NULL && errno == ENOMEM,
          "calloc overflow with a medium element size");
    void *mp = NULL;
    check_or_fail(posix_memalign(&mp, 16, 3000) == 0 && ftmalloc_owns(mp) &&
          ((uintptr_t)mp & 15) == 0 && malloc_usable_size(mp) == 3072,
          "posix_memalign(16, 3000)");
    free(mp);
    mp = aligned_alloc(32, 1000);
    check_or_fail(mp && ((uintptr_t)mp & 31) == 0 && malloc_usable_size(mp) >= 1000,
          "aligned_alloc(32, 1000)");
    free(mp);
    mp = memalign(16, 5000);
    check_or_fail(mp && ftmalloc_owns(mp) && malloc_usable_size(mp) == 5440,
          "memalign(16, 5000)");
    free(mp);

    errno = 0;
    check_or_fail(calloc(half, 2) == NULL && errno == ENOMEM, "calloc overflow");
    errno = 0;
    check_or_fail(malloc(huge) == NULL && errno == ENOMEM, "malloc(SIZE_MAX)");

    void *p = (void *)&p;
    check_or_fail(posix_memalign(&p, 24, 8) == EINVAL && p == (void *)&p,
          "posix_memalign(24)");
    check_or_fail(posix_memalign(&p, 4, 8) == EINVAL,
          "posix_memalign(4): below sizeof(void *)");
    check_or_fail(posix_memalign(&p, 0, 8) == EINVAL, "posix_memalign(0)");
    check_or_fail(posix_memalign(&p, 8, 8) == 0 && ftmalloc_owns(p),
          "posix_memalign(8, 8)");
    free(p);
    errno = 0;
    check_or_fail(aligned_alloc(24, 48) == NULL && errno == EINVAL,
          "aligned_alloc(24)");
    void *a = aligned_alloc(64, 64);
    check_or_fail(a && ((uintptr_t)a & 63) == 0 && !ftmalloc_owns(a),
          "aligned_alloc(64, 64)");
    free(a);

    void *v = valloc(100);
    check_or_fail(v && ((uintptr_t)v & (uintptr_t)(page - 1)) == 0, "valloc");
    free(v);
    void *pv = pvalloc(100);
    check_or_fail(pv && ((uintptr_t)pv & (uintptr_t)(page - 1)) == 0 &&
          malloc_usable_size(pv) >= (size_t)page, "pvalloc");
    free(pv);
    void *big = malloc(1 << 20);
    check_or_fail(big && !ftmalloc_owns(big) && malloc_usable_size(big) >= (1 << 20),
          "malloc(1 MiB)");
    free(big);
}

/* ---- Main --------------------------------------------------------------- */

/* FT_TEST_SEED when set (to replay a failure), else the clock; printed
 * either way. */
static uint64_t churn_seed(void)
{
    const char *s = getenv("FT_TEST_SEED");
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t seed = s && *s ? strtoull(s, NULL, 0)
                            : (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    printf("mt_churn: seed: FT_TEST_SEED=%" PRIu64 "%s\n", seed,
           s && *s ? " (from the environment)" : "");
    fflush(stdout);
    return seed;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        seconds = atof(argv[1]);
    if (argc > 2)
        nworkers = (unsigned)atoi(argv[2]);
    check_or_fail(seconds > 0 && nworkers >= 1 && nworkers <= MAX_WORKERS,
          "usage: mt_churn [seconds] [threads 1..%d]", MAX_WORKERS);
    check_on_shim();
    check_semantics();

    /* Mixed with a constant: xorshift stays at 0 from a zero state. */
    uint64_t seed = churn_seed() ^ 0x9E3779B97F4A7C15ull;
    double t0 = now_s();
    for (unsigned i = 0; i < nworkers; i++) {
        worker *w = &workers[i];
        w->id = i;
        w->rng = next_rand(&seed) | 1;
        pthread_mutex_init(&w->inbox.lock, NULL);
    }
    for (unsigned i = 0; i < nworkers; i++)
        check_or_fail(pthread_create(&workers[i].thread, NULL, worker_main,
                             &workers[i]) == 0, "pthread_create");
    uint64_t transients = run_transients(t0 + seconds, &seed);
    atomic_store(&stop, true);
    for (unsigned i = 0; i < nworkers; i++)
        check_or_fail(pthread_join(workers[i].thread, NULL) == 0, "pthread_join");

    /* The workers have exited: their blocks and those still queued to
     * them are freed by main, into heaps nobody owns any more. */
    uint64_t allocs = 0, frees = 0, sent = 0, received = 0;
    uint64_t reallocs = 0, aligned = 0, bursts = 0;
    uint64_t left = 0;
    for (unsigned i = 0; i < nworkers; i++) {
        worker *w = &workers[i];
        received += queue_drain(&w->inbox);
        for (unsigned s = 0; s < SLOTS; s++)
            if (w->slots[s].p) {
                release(&w->slots[s]);
                left++;
            }
        allocs += w->allocs + w->aligned;
        frees += w->frees;
        sent += w->sent;
        received += w->received;
        reallocs += w->reallocs;
        aligned += w->aligned;
        bursts += w->bursts;
    }
    check_or_fail(sent == received, "%" PRIu64 " blocks sent, %" PRIu64 " received",
          sent, received);
    uint64_t done = atomic_load_explicit(&xsteps, memory_order_relaxed);
    check_or_fail(done >= MIN_STEPS, "only %" PRIu64 " of the %d steps required "
          "ran in %.0f s", done, MIN_STEPS, now_s() - t0);
    printf("mt_churn: ok: %u threads, %.2f s: %" PRIu64 " steps, %" PRIu64
           " allocs (%" PRIu64
           " aligned), %" PRIu64 " reallocs, %" PRIu64 " local frees, %" PRIu64
           " handed to another thread (%" PRIu64 " bursts), %" PRIu64
           " transient threads, %" PRIu64 " left at exit freed by main\n",
           nworkers, now_s() - t0, done, allocs, aligned, reallocs, frees, sent,
           bursts, transients, left);
    return 0;
}
