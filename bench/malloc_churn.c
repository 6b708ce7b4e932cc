/* malloc_churn.c — ftbench-malloc-churn: one plain C program, linked to no
 * part of ftlab, whose malloc is whatever the process loaded: glibc, or a
 * preloaded libftmalloc.so (ftlab's nogil allocator, shim/ftmalloc.c) or
 * libmimalloc.so. It compares the allocators as C programs meet them, with
 * none of ft_malloc's front (backend table, leak accounting) in the way
 * (papers/freelist-sharding). It also knows libjemalloc.so and
 * libtcmalloc(_minimal).so, the thread-caching allocators the paper
 * compares against.
 *
 *     LD_PRELOAD=build/release/shim/libftmalloc.so \
 *         ftbench-malloc-churn --scenario xfer --threads 2 --expect ftmalloc
 *
 * Scenarios (sizes: one fixed size, or "mixed" 1..512 bytes from a fixed
 * pseudo-random table, the same generator as bench/alloc.c):
 *
 *   churn   each of --threads threads keeps WINDOW live blocks and, per
 *           operation, frees a pseudo-randomly chosen one and allocates a
 *           new block of the next size in its place (larson's pattern
 *           without the migration: every free is local)
 *   xfer    --threads / 2 producer -> consumer pairs (xmalloc-test's
 *           pattern): each producer allocates, tags and passes blocks
 *           through a bounded single-producer single-consumer ring; its
 *           consumer checks and frees them, so every free is a free of
 *           another thread's block
 *   window  churn with a window of 4,096 live blocks of 16..512 bytes and
 *           20 M operations by default (one thread): random-size churn
 *           (issue 16's single-thread figure)
 *   larson  --threads / 2 pairs of threads (default 2 threads), each with
 *           a window of 1,000 live blocks of 8..1000 bytes, replaced at
 *           random as in churn; every 10,000 operations the two threads of
 *           a pair swap windows, so the blocks each one frees next were
 *           allocated by the other (larson's server simulation, where
 *           objects outlive the thread that made them)
 *
 * An operation (--ops counts them) is one block: one free and one malloc
 * in churn, window and larson, one malloc (producer) and its free
 * (consumer) in xfer.
 *
 * Self-checks, all fatal: every block carries a tag (its sequence number,
 * as bench/tag.h draws it) written when it is allocated and checked when
 * it is freed, by the other thread in xfer; the sum of the sequence numbers freed must equal the sum allocated;
 * and --expect names the allocator that must be serving malloc (a missed
 * LD_PRELOAD fails instead of timing glibc twice).
 *
 * Output: one JSON object on stdout (scenario, allocator, threads, size,
 * blocks, seconds, ns per block, Mops/s, CPU time / wall time of the
 * timed threads, peak RSS in KiB from getrusage).
 * ns per block is wall time / blocks, all threads together: inverse
 * throughput, not a per-thread latency.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "bench_env.h"
#include "cli.h"
#include "tag.h"

#define PROG "ftbench-malloc-churn"

enum {
    SIZE_TABLE = 4096,        /* sizes per pattern; a power of two         */
    WINDOW = 1024,            /* live blocks per churn thread              */
    RING_CAP = 1024,          /* ring slots; a power of two                */
    MAX_THREADS = 256,
    SPINS_BEFORE_YIELD = 64,  /* empty/full waits before a sched_yield     */
    MAX_SIZE = 512,           /* what libftmalloc serves from obmalloc     */
    WINDOW_BIG = 4096,        /* live blocks per window thread             */
    LARSON_WINDOW = 1000,     /* live blocks per larson thread             */
    LARSON_ROUND = 10000,     /* operations between two window swaps       */
    MAX_WINDOW = WINDOW_BIG,
};

typedef enum scenario { CHURN, XFER, WINDOW_SCEN, LARSON } scenario;
static const char *const scenario_names[] = { "churn", "xfer", "window", "larson" };

/* Per scenario: live blocks per thread, mixed sizes lo..hi, default ops. */
static const struct { int window, lo, hi; long ops; } scen_params[] = {
    [CHURN] = { WINDOW, 1, MAX_SIZE, 2000000 },
    [XFER] = { 0, 1, MAX_SIZE, 2000000 },
    [WINDOW_SCEN] = { WINDOW_BIG, 16, MAX_SIZE, 20000000 },
    [LARSON] = { LARSON_WINDOW, 8, 1000, 10000000 },
};

static struct {
    scenario scen;
    int threads;
    int size;                 /* 0: mixed, the scenario's lo..hi           */
    long ops;                 /* blocks per thread (churn, window, larson)
                                 or per pair (xfer); 0: the default        */
    const char *expect;       /* allocator that must be loaded, or NULL    */
} opt = { .scen = CHURN, .threads = 0, .size = 0, .ops = 0 };

static uint16_t sizes[SIZE_TABLE];

/* Fatal: "ftbench-malloc-churn: <message>" on stderr, exit status 1. */
#define fail(...) ftbench_fail(PROG, __VA_ARGS__)

/* ---- Options --------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: " PROG " [--scenario churn|xfer|window|larson] [--threads N] "
               "[--size BYTES|mixed] [--ops N] [--expect ALLOCATOR]\n"
               "  --scenario   churn: N threads, each freeing and allocating in "
               "a window of %d\n"
               "               live blocks of 1..%d bytes; xfer: N/2 "
               "producer->consumer pairs;\n"
               "               window: churn with %d live blocks of 16..%d "
               "bytes; larson: N/2 pairs\n"
               "               swapping windows of %d blocks of 8..1000 bytes "
               "(default churn)\n"
               "  --threads N  threads (xfer, larson: even, at least 2; default "
               "1, xfer and larson 2)\n"
               "  --size       bytes per block (1..%d) or mixed (default mixed)\n"
               "  --ops N      blocks per thread (per pair in xfer); default "
               "2000000, window 20000000,\n"
               "               larson 10000000\n"
               "  --expect A   fail unless malloc is served by A: glibc, ftmalloc,\n"
               "               mimalloc, jemalloc or tcmalloc\n"
               "Prints one JSON object on stdout.\n",
            WINDOW, MAX_SIZE, WINDOW_BIG, MAX_SIZE, LARSON_WINDOW, MAX_SIZE);
}

static void parse_args(int argc, char **argv)
{
    ftcli c = ftcli_start(PROG, usage, argc, argv, 1);
    while (ftcli_next(&c)) {
        if (ftcli_option(&c, "--scenario"))
            opt.scen = (scenario)ftcli_choice(&c, scenario_names, 4);
        else if (ftcli_option(&c, "--threads"))
            opt.threads = (int)ftcli_long(&c, 1, MAX_THREADS);
        else if (ftcli_option(&c, "--size"))
            opt.size = strcmp(c.value, "mixed") == 0
                           ? 0 : (int)ftcli_long(&c, 1, MAX_SIZE);
        else if (ftcli_option(&c, "--ops"))
            opt.ops = ftcli_long(&c, 1000, 1000000000L);
        else if (ftcli_option(&c, "--expect"))
            opt.expect = c.value;
        else
            ftcli_unknown(&c);
    }
    bool pairs = opt.scen == XFER || opt.scen == LARSON;
    if (!opt.threads)
        opt.threads = pairs ? 2 : 1;
    if (!opt.ops)
        opt.ops = scen_params[opt.scen].ops;
    if (pairs && (opt.threads < 2 || opt.threads % 2))
        ftcli_error(&c, "%s wants an even --threads of at least 2, not %d",
                    scenario_names[opt.scen], opt.threads);
}

static void make_sizes(void)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    int lo = scen_params[opt.scen].lo, hi = scen_params[opt.scen].hi;
    for (int i = 0; i < SIZE_TABLE; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        sizes[i] = opt.size ? (uint16_t)opt.size
                            : (uint16_t)(lo + (int)((x >> 33) % (uint64_t)(hi - lo + 1)));
    }
}

static inline size_t size_of(uint64_t seq) { return sizes[seq & (SIZE_TABLE - 1)]; }

/* ---- Which allocator serves malloc --------------------------------------- */

/* The allocators this program knows, by the file that defines the
 * process's malloc (dladdr of the symbol the dynamic linker resolved). */
static const struct { const char *name, *file; } known[] = {
    { "ftmalloc", "libftmalloc.so" },
    { "mimalloc", "libmimalloc.so" },
    { "jemalloc", "libjemalloc.so" },
    { "tcmalloc", "libtcmalloc" },
    { "glibc", "libc.so" },
};

/* Which allocator serves malloc: the library that defines it, and for
 * libftmalloc and libmimalloc also their own word on a fresh 64-byte block
 * (ftmalloc_owns, mi_is_in_heap_region), so that a library that is loaded
 * but not in charge is caught. Anything unknown fails. */
static const char *detect_allocator(void)
{
    Dl_info info;
    void *sym = dlsym(RTLD_DEFAULT, "malloc");
    if (!sym || !dladdr(sym, &info) || !info.dli_fname)
        fail("cannot tell which library defines malloc");
    const char *base = strrchr(info.dli_fname, '/');
    base = base ? base + 1 : info.dli_fname;
    const char *name = NULL;
    for (size_t i = 0; i < sizeof known / sizeof known[0] && !name; i++)
        if (strncmp(base, known[i].file, strlen(known[i].file)) == 0)
            name = known[i].name;
    if (!name)
        fail("malloc comes from %s, an allocator this program does not know",
             info.dli_fname);
    int (*ft_owns)(const void *) =
        (int (*)(const void *))dlsym(RTLD_DEFAULT, "ftmalloc_owns");
    bool (*mi_owns)(const void *) =
        (bool (*)(const void *))dlsym(RTLD_DEFAULT, "mi_is_in_heap_region");
    void *p = malloc(64);
    if (!p)
        fail("malloc(64) failed");
    bool ok = strcmp(name, "ftmalloc") == 0   ? ft_owns && ft_owns(p)
              : strcmp(name, "mimalloc") == 0 ? mi_owns && mi_owns(p)
                                              : true;
    free(p);
    if (!ok)
        fail("malloc is defined by %s, but that allocator disowns its blocks",
             info.dli_fname);
    return name;
}

/* ---- Tags ------------------------------------------------------------------ */

static inline unsigned char *alloc_tagged(uint64_t v)
{
    size_t n = size_of(v);
    unsigned char *p = malloc(n);
    if (!p)
        fail("malloc(%zu) failed", n);
    ftbench_tag_write(p, n, v);
    return p;
}

/* Checks block p's tag against v (fatal), frees it, returns v. */
static inline uint64_t free_checked(unsigned char *p, uint64_t v)
{
    size_t n = size_of(v);
    if (!ftbench_tag_ok(p, n, v))
        fail("block %llu (%zu bytes at %p) was overwritten before its free",
             (unsigned long long)v, n, (void *)p);
    free(p);
    return v;
}

/* ---- Start line ------------------------------------------------------------ */

/* Every thread waits here until all are up; the main thread then takes
 * the start time, so thread creation is not timed. */
static pthread_barrier_t start_line;

static void wait_start(void)
{
    int rc = pthread_barrier_wait(&start_line);
    if (rc != 0 && rc != PTHREAD_BARRIER_SERIAL_THREAD)
        fail("pthread_barrier_wait: %d", rc);
}

/* ---- churn ----------------------------------------------------------------- */

/* When a thread passed the start line and when it ended, and the CPU
 * time it used in between. The run's time is from the first start to the
 * last end: the main thread's own clock could start late (descheduled
 * after the barrier) and miss the work. CPU time / wall time says how
 * many threads really ran at once: on a busy machine a producer and its
 * consumer may share one core and take turns, a different regime. */
typedef struct span {
    uint64_t t0, t1, cpu0, cpu1;
} span;

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void span_start(span *s)
{
    s->cpu0 = thread_cpu_ns();
    s->t0 = ftbench_now_ns();
}

static void span_end(span *s)
{
    s->t1 = ftbench_now_ns();
    s->cpu1 = thread_cpu_ns();
}

/* A window of live blocks and their sequence numbers. In larson the two
 * threads of a pair swap their windows between rounds. */
typedef struct window {
    unsigned char *slot[MAX_WINDOW];
    uint64_t seq[MAX_WINDOW];
} window;

typedef struct churn_arg {
    pthread_t tid;
    uint64_t base;            /* first sequence number of this thread      */
    uint64_t sum;             /* sequence numbers freed                    */
    window *win;              /* this thread's window now                  */
    struct churn_arg *peer;   /* larson: the other thread of the pair      */
    pthread_barrier_t *swap;  /* larson: the pair's barrier                */
    span time;
} churn_arg;

static void pair_wait(pthread_barrier_t *b)
{
    int rc = pthread_barrier_wait(b);
    if (rc != 0 && rc != PTHREAD_BARRIER_SERIAL_THREAD)
        fail("pthread_barrier_wait: %d", rc);
}

/* churn, window and larson: replace random blocks of the window; larson
 * swaps windows with the peer every LARSON_ROUND operations. Each thread
 * frees what is in its window at the end (in larson, blocks the peer may
 * have allocated). */
static void *churn_thread(void *argp)
{
    churn_arg *a = argp;
    unsigned w = (unsigned)scen_params[opt.scen].window;
    uint64_t rng = a->base | 1, sum = 0, v = a->base;
    window *win = a->win;
    for (unsigned i = 0; i < w; i++, v++) {
        win->slot[i] = alloc_tagged(v);
        win->seq[i] = v;
    }
    long round = a->peer ? LARSON_ROUND : opt.ops;
    wait_start();
    span_start(&a->time);
    for (long k = 0; k < opt.ops; k++, v++) {
        if (k && k % round == 0) {
            /* Both threads are between rounds: read the peer's window,
             * and only when both have read, publish ours (the barriers
             * order the plain accesses). */
            pair_wait(a->swap);
            win = a->peer->win;
            pair_wait(a->swap);
            a->win = win;
        }
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        unsigned i = (unsigned)(rng % w);
        sum += free_checked(win->slot[i], win->seq[i]);
        win->slot[i] = alloc_tagged(v);
        win->seq[i] = v;
    }
    span_end(&a->time);
    for (unsigned i = 0; i < w; i++)
        sum += free_checked(win->slot[i], win->seq[i]);
    a->sum = sum;
    return NULL;
}

/* ---- xfer: the ring, as in bench/alloc.c ------------------------------------
 *
 * The producer owns xtail, the consumer owns xhead; each only reads the
 * other's index. Invariant: 0 <= xtail - xhead <= RING_CAP, and slot[i %
 * RING_CAP] for xhead <= i < xtail holds a live block tagged base + i. A
 * slot is handed from one side to the other by the release store of an
 * index and the acquire load of it on the other side. */
typedef struct ring {
    _Alignas(64) _Atomic uint64_t xtail;  /* next index the producer fills */
    _Alignas(64) _Atomic uint64_t xhead;  /* next index the consumer takes */
    _Alignas(64) unsigned char *slot[RING_CAP];
    pthread_t producer, consumer;
    uint64_t base;                        /* tag of index 0                */
    uint64_t sum;                         /* consumer: tags freed          */
    span ptime, ctime;                    /* producer's, consumer's        */
} ring;

static void wait_turn(unsigned *spins)
{
    if (++*spins % SPINS_BEFORE_YIELD == 0)
        sched_yield();
}

static void *producer_thread(void *argp)
{
    ring *r = argp;
    uint64_t seen_head = 0;
    unsigned spins = 0;
    wait_start();
    span_start(&r->ptime);
    for (uint64_t i = 0; i < (uint64_t)opt.ops; i++) {
        unsigned char *p = alloc_tagged(r->base + i);
        /* acquire, pairs with the consumer's release of xhead: the slot we
         * are about to overwrite has been read. */
        while (i - seen_head == RING_CAP &&
               i - (seen_head = atomic_load_explicit(&r->xhead, memory_order_acquire))
                   == RING_CAP)
            wait_turn(&spins);
        r->slot[i % RING_CAP] = p;
        /* release, pairs with the consumer's acquire of xtail: publishes the
         * slot and the tag written into the block. Without it the consumer
         * could read a stale slot or a block before its tag lands. */
        atomic_store_explicit(&r->xtail, i + 1, memory_order_release);
    }
    span_end(&r->ptime);
    return NULL;
}

static void *consumer_thread(void *argp)
{
    ring *r = argp;
    uint64_t seen_tail = 0, sum = 0;
    unsigned spins = 0;
    wait_start();
    span_start(&r->ctime);
    for (uint64_t head = 0; head < (uint64_t)opt.ops; head++) {
        /* acquire, pairs with the producer's release of xtail. */
        while (head == seen_tail &&
               (seen_tail = atomic_load_explicit(&r->xtail, memory_order_acquire))
                   == head)
            wait_turn(&spins);
        sum += free_checked(r->slot[head % RING_CAP], r->base + head);
        /* release, pairs with the producer's acquire of xhead: our read of
         * the slot happens before the producer overwrites it. */
        atomic_store_explicit(&r->xhead, head + 1, memory_order_release);
    }
    span_end(&r->ctime);
    r->sum = sum;
    return NULL;
}

/* ---- Runs ------------------------------------------------------------------ */

static void start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    int rc = pthread_create(t, NULL, fn, arg);
    if (rc != 0)
        fail("pthread_create: %s", strerror(rc));
}

static void join(pthread_t t)
{
    int rc = pthread_join(t, NULL);
    if (rc != 0)
        fail("pthread_join: %s", strerror(rc));
}

/* The sum of base .. base + n - 1. */
static uint64_t seq_sum(uint64_t base, uint64_t n)
{
    return n * base + n * (n - 1) / 2;
}

/* Folds span s into the run's [*t0, *t1] and CPU sum. */
static void add_span(const span *s, uint64_t *t0, uint64_t *t1, uint64_t *cpu)
{
    *t0 = s->t0 < *t0 ? s->t0 : *t0;
    *t1 = s->t1 > *t1 ? s->t1 : *t1;
    *cpu += s->cpu1 - s->cpu0;
}

/* Runs the scenario; returns elapsed ns, sets *blocks and *cpu (the
 * threads' CPU time while timed). */
static uint64_t run(uint64_t *blocks, uint64_t *cpu)
{
    bool churns = opt.scen != XFER;
    int n = churns ? opt.threads : opt.threads / 2;
    uint64_t w = (uint64_t)scen_params[opt.scen].window;
    uint64_t stride = (uint64_t)opt.ops + MAX_WINDOW, got = 0, want = 0;
    if (pthread_barrier_init(&start_line, NULL, (unsigned)(opt.threads + 1)) != 0)
        fail("pthread_barrier_init failed");
    churn_arg *ca = calloc((size_t)n, sizeof *ca);
    window *wins = calloc((size_t)n, sizeof *wins);
    pthread_barrier_t *swaps = calloc((size_t)n, sizeof *swaps);
    ring *rg = aligned_alloc(64, sizeof(ring) * (size_t)n);
    if (!ca || !wins || !swaps || !rg)
        fail("out of memory for %d threads", opt.threads);
    if (opt.scen == LARSON)
        for (int i = 0; i < n; i += 2) {
            if (pthread_barrier_init(&swaps[i], NULL, 2) != 0)
                fail("pthread_barrier_init failed");
            ca[i].peer = &ca[i + 1];
            ca[i + 1].peer = &ca[i];
            ca[i].swap = ca[i + 1].swap = &swaps[i];
        }
    for (int i = 0; i < n; i++) {
        uint64_t base = (uint64_t)i * stride;
        if (churns) {
            ca[i].base = base;
            ca[i].win = &wins[i];
        }
    }
    for (int i = 0; i < n; i++) {
        uint64_t base = (uint64_t)i * stride;
        if (churns) {
            start(&ca[i].tid, churn_thread, &ca[i]);
        } else {
            memset(&rg[i], 0, sizeof rg[i]);
            /* No other thread runs on this ring yet; pthread_create publishes. */
            atomic_init(&rg[i].xtail, 0);
            atomic_init(&rg[i].xhead, 0);
            rg[i].base = base;
            start(&rg[i].consumer, consumer_thread, &rg[i]);
            start(&rg[i].producer, producer_thread, &rg[i]);
        }
    }
    wait_start();
    uint64_t t0 = UINT64_MAX, t1 = 0;
    *cpu = 0;
    for (int i = 0; i < n; i++) {
        uint64_t base = (uint64_t)i * stride;
        if (churns) {
            join(ca[i].tid);
            add_span(&ca[i].time, &t0, &t1, cpu);
            got += ca[i].sum;
            want += seq_sum(base, (uint64_t)opt.ops + w);
        } else {
            join(rg[i].producer);
            join(rg[i].consumer);
            add_span(&rg[i].ptime, &t0, &t1, cpu);
            add_span(&rg[i].ctime, &t0, &t1, cpu);
            got += rg[i].sum;
            want += seq_sum(base, (uint64_t)opt.ops);
        }
    }
    uint64_t ns = t1 - t0;
    if (got != want)
        fail("%s: the tags freed sum to %llu, the tags allocated to %llu",
             scenario_names[opt.scen], (unsigned long long)got,
             (unsigned long long)want);
    if (opt.scen == LARSON)
        for (int i = 0; i < n; i += 2)
            pthread_barrier_destroy(&swaps[i]);
    free(ca);
    free(wins);
    free(swaps);
    free(rg);
    pthread_barrier_destroy(&start_line);
    *blocks = (uint64_t)opt.ops * (uint64_t)n;
    return ns;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    make_sizes();
    const char *alloc = detect_allocator();
    if (opt.expect && strcmp(opt.expect, alloc) != 0)
        fail("malloc is served by %s, not by %s as --expect says", alloc,
             opt.expect);
    uint64_t blocks, cpu;
    uint64_t ns = run(&blocks, &cpu);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    char size[16];
    if (opt.size)
        snprintf(size, sizeof size, "%d B", opt.size);
    else
        snprintf(size, sizeof size, "mixed %d-%d", scen_params[opt.scen].lo,
                 scen_params[opt.scen].hi);
    printf("{\"benchmark\": \"" PROG "\", \"scenario\": \"%s\", \"allocator\": \"%s\", "
           "\"threads\": %d, \"size\": \"%s\", \"blocks\": %llu, \"seconds\": %.6f, "
           "\"ns_per_block\": %.3f, \"mops\": %.3f, \"cpu_per_wall\": %.2f, "
           "\"peak_rss_kib\": %ld, \"check\": \"ok\"}\n",
           scenario_names[opt.scen], alloc, opt.threads, size,
           (unsigned long long)blocks, (double)ns / 1e9,
           (double)ns / (double)blocks, (double)blocks * 1e3 / (double)ns,
           (double)cpu / (double)ns, ru.ru_maxrss);
    return 0;
}
