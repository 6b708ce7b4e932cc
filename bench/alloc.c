/* alloc.c — ftbench-alloc-<flavor>: the allocator backends side by side
 * (docs/architecture.md, "The memory layers"; the allocator targets of
 * "Benchmarks and papers").
 *
 * For each backend (obmalloc, mimalloc, malloc) the runtime is started
 * with ft_config.malloc set, one scenario is measured, and ft_fini must
 * report no live block. Every call goes through ft_malloc/ft_free, so the
 * front's accounting is part of every backend's time alike.
 *
 *   1. single thread, one size pattern at a time (16 ... 512 bytes, and
 *      "mixed": sizes 1..512 from a fixed pseudo-random table)
 *        pairs       p = ft_malloc(n); touch one byte; ft_free(p)
 *        batch LIFO  allocate 1000 blocks, free them newest first
 *        batch FIFO  allocate 1000 blocks, free them oldest first
 *   2. producer -> consumer: --xfer-threads / 2 pairs (default one pair:
 *      the main thread allocates, a second thread frees what it receives
 *      through a bounded single-producer single-consumer ring; more pairs
 *      run the same, each on its own ring). In nogil these are remote
 *      frees (the pool's atomic remote-free list); in gil the threads take
 *      turns under the GIL, handing it over when a ring is full or empty.
 *
 * Each measurement is one warm-up run and R timed runs (median and min
 * reported, ns per alloc+free). Every run checks its own work: blocks
 * carry a tag (their sequence number) that is read back before the free,
 * by the other thread in scenario 2, so a broken allocator fails instead
 * of reporting a fast time; and each fresh runtime first passes a gate
 * for every size 0..512: no overlap and enough usable size (fatal), 16-byte
 * alignment (reported as a contract violation). A backend so slow that a
 * run would blow the time budget gets fewer operations per run, marked in
 * the tables, so the binary always ends.
 *
 * Timing: clock_gettime(CLOCK_MONOTONIC) around whole runs.
 */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <ftlab.h>
#include "bench_env.h"
#include "cli.h"
#include "report/targets.h"
#include "tag.h"

#define PROG "ftbench-alloc"

enum {
    N_BACKENDS = 3,
    MAX_REPEATS = 101,
    SIZE_TABLE = 4096,        /* sizes per pattern; a power of two        */
    BATCH = 1000,             /* blocks per batch round                   */
    RING_CAP = 1024,          /* ring slots; a power of two               */
    MAX_PAIRS = 64,           /* producer->consumer pairs (--xfer-threads) */
    CHECKPOINT_EVERY = 256,   /* blocks between checkpoints, scenario 2   */
    SPINS_BEFORE_YIELD = 64,  /* empty waits before a detached yield      */
};

static const char *const backends[N_BACKENDS] = { "obmalloc", "mimalloc", "malloc" };
enum { OB, MI, SYS };

/* ---- Options and environment ------------------------------------------- */

static struct {
    bool quick;
    int repeats;
    const char *json_path;
    long pairs_ops;           /* alloc+free pairs per single-thread run  */
    long xfer_ops;            /* blocks per pair per producer->consumer run */
    int xfer_threads;         /* producers + consumers (even, >= 2)      */
    bool xfer_only;           /* skip the single-thread scenarios        */
    uint64_t run_budget_ns;   /* longest a run may take (ops_per_run)    */
    bool tty;                 /* progress on stderr                      */
} opt = { .repeats = 7, .xfer_threads = 2 };

/* Fatal: "ftbench-alloc: <message>" on stderr, exit status 1. */
#define fail(...) ftbench_fail(PROG, __VA_ARGS__)

static void usage(FILE *f)
{
    fprintf(f, "usage: " PROG "-<flavor> [--quick] [--repeats N] [--json FILE]\n"
               "       [--xfer-threads N] [--xfer-only]\n"
               "  --quick       fewer operations and 3 repeats (about 10 s)\n"
               "  --repeats N   timed runs per measurement, after one warm-up "
               "(default 7)\n"
               "  --json FILE   write every sample and the environment\n"
               "  --xfer-threads N  producer->consumer threads, N/2 pairs "
               "(even, 2..%d; default 2)\n"
               "  --xfer-only   only the producer->consumer scenario\n",
            2 * MAX_PAIRS);
}

static void parse_args(int argc, char **argv)
{
    bool repeats_set = false;
    ftcli c = ftcli_start(PROG "-" FT_FLAVOR, usage, argc, argv, 1);
    while (ftcli_next(&c)) {
        if (ftcli_flag(&c, "--quick")) {
            opt.quick = true;
        } else if (ftcli_option(&c, "--repeats")) {
            opt.repeats = (int)ftcli_long(&c, 1, MAX_REPEATS);
            repeats_set = true;
        } else if (ftcli_option(&c, "--json")) {
            opt.json_path = c.value;
        } else if (ftcli_option(&c, "--xfer-threads")) {
            opt.xfer_threads = (int)ftcli_long(&c, 2, 2 * MAX_PAIRS);
            if (opt.xfer_threads % 2)
                ftcli_error(&c, "--xfer-threads wants an even number (a producer "
                                "and a consumer per pair), not '%s'", c.value);
        } else if (ftcli_flag(&c, "--xfer-only")) {
            opt.xfer_only = true;
        } else {
            ftcli_unknown(&c);
        }
    }
    if (opt.quick && !repeats_set)
        opt.repeats = 3;
    opt.pairs_ops = opt.quick ? 200000 : 1000000;
    opt.xfer_ops = opt.quick ? 200000 : 1000000;
    opt.run_budget_ns = opt.quick ? 200000000 : 500000000;
    opt.tty = isatty(STDERR_FILENO);
}

/* ---- Size patterns --------------------------------------------------------
 * Every run reads its sizes from a table, fixed patterns included, so each
 * pattern costs the loop the same load. */

enum { P16, P32, P64, P128, P256, P512, MIXED, N_PATTERNS };
static const char *const pattern_names[N_PATTERNS] = {
    "16 B", "32 B", "64 B", "128 B", "256 B", "512 B", "mixed 1-512",
};
static uint16_t size_tables[N_PATTERNS][SIZE_TABLE];

static void make_size_tables(void)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int p = 0; p < N_PATTERNS; p++)
        for (int i = 0; i < SIZE_TABLE; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            size_tables[p][i] = p == MIXED ? (uint16_t)(1 + (x >> 33) % 512)
                                           : (uint16_t)(16u << p);
        }
}

static void *must_malloc(size_t n)
{
    void *p = ft_malloc(n);
    if (!p)
        fail("ft_malloc(%zu) with %s failed: %s", n, ft_allocator_name(),
             ft_err_message());
    return p;
}

/* What the gates found against the contract of ftlab/mem.h that does not
 * make the timings meaningless: reported, not fatal. Accumulated over
 * every runtime started with the backend (which blocks come out
 * misaligned depends on the heap's history). */
typedef struct contract_notes {
    uint64_t misaligned[(513 + 63) / 64];   /* sizes 0..512 seen misaligned */
} contract_notes;

static contract_notes notes[N_BACKENDS];

static void check_block(unsigned char *p, size_t n, contract_notes *cn)
{
    if (ft_malloc_usable_size(p) < n)
        fail("%s: block of %zu bytes at %p has a usable size of %zu",
             ft_allocator_name(), n, (void *)p, ft_malloc_usable_size(p));
    if ((uintptr_t)p % 16 != 0 && n <= 512)
        cn->misaligned[n / 64] |= 1ull << (n % 64);
}

/* The gate every fresh runtime passes before it is timed: each size
 * 0..512 plus some large ones, all live at once, with at least the usable
 * size asked for, and filled without overlapping (fatal otherwise); and
 * 16-byte aligned (noted in `cn`). */
static void validate_backend(contract_notes *cn)
{
    static const size_t large[] = { 513, 4096, 100000 };
    enum { N_SMALL = 513, N_ALL = N_SMALL + 3 };
    unsigned char *blk[N_ALL];
    size_t len[N_ALL];
    for (int i = 0; i < N_ALL; i++) {
        len[i] = i < N_SMALL ? (size_t)i : large[i - N_SMALL];
        blk[i] = must_malloc(len[i]);
        check_block(blk[i], len[i], cn);
        memset(blk[i], i & 0xff, len[i]);
    }
    for (int i = 0; i < N_ALL; i++) {
        for (size_t k = 0; k < len[i]; k++)
            if (blk[i][k] != (unsigned char)(i & 0xff))
                fail("%s: block of %zu bytes at %p overwritten at offset %zu "
                     "(overlapping blocks)", ft_allocator_name(), len[i],
                     (void *)blk[i], k);
        ft_free(blk[i]);
    }
}

/* ---- Scenario 1: single thread ----------------------------------------- */

/* One timed run: `ops` alloc+free pairs. Returns elapsed ns. */
static uint64_t run_pairs(const uint16_t *sizes, long ops)
{
    uint64_t sum = 0, want = 0;
    uint64_t t0 = ftbench_now_ns();
    for (long i = 0; i < ops; i++) {
        size_t n = sizes[i & (SIZE_TABLE - 1)];
        unsigned char *p = ft_malloc(n);
        p[0] = (unsigned char)i;
        /* Make the compiler read the byte back from memory. */
        __asm__ volatile("" ::: "memory");
        sum += p[0];
        ft_free(p);
    }
    uint64_t ns = ftbench_now_ns() - t0;
    for (long i = 0; i < ops; i++)
        want += (unsigned char)i;
    if (sum != want)
        fail("pairs with %s: wrong checksum (%llu, want %llu)",
             ft_allocator_name(), (unsigned long long)sum, (unsigned long long)want);
    return ns;
}

static void alloc_batch(unsigned char **blk, const uint16_t *sizes, uint64_t base)
{
    for (int j = 0; j < BATCH; j++) {
        size_t n = sizes[(base + (uint64_t)j) & (SIZE_TABLE - 1)];
        blk[j] = ft_malloc(n);
        ftbench_tag_write(blk[j], n, base + (uint64_t)j);
    }
}

static void free_one(unsigned char **blk, const uint16_t *sizes, uint64_t base,
                     int j)
{
    uint64_t v = base + (uint64_t)j;
    if (!ftbench_tag_ok(blk[j], sizes[v & (SIZE_TABLE - 1)], v))
        fail("batch with %s: block %d of a batch (%u bytes, %p) was overwritten",
             ft_allocator_name(), j, sizes[v & (SIZE_TABLE - 1)], (void *)blk[j]);
    ft_free(blk[j]);
}

/* One timed run of `ops` pairs in rounds of BATCH, freed LIFO or FIFO. */
static uint64_t run_batch(const uint16_t *sizes, long ops, bool lifo)
{
    static unsigned char *blk[BATCH];
    uint64_t t0 = ftbench_now_ns();
    for (uint64_t base = 0; base < (uint64_t)ops; base += BATCH) {
        alloc_batch(blk, sizes, base);
        if (lifo)
            for (int j = BATCH - 1; j >= 0; j--)
                free_one(blk, sizes, base, j);
        else
            for (int j = 0; j < BATCH; j++)
                free_one(blk, sizes, base, j);
    }
    return ftbench_now_ns() - t0;
}

/* ---- Scenario 2: producer -> consumer ------------------------------------
 *
 * The ring. The producer owns xtail, the consumer owns xhead; each only
 * reads the other's index, so no read-modify-write is needed:
 *
 *     slot:  [ freed | freed | in flight | in flight | empty | ... ]
 *                            ^ xhead                 ^ xtail
 *     empty: xhead == xtail          full: xtail - xhead == RING_CAP
 *
 * Invariant: 0 <= xtail - xhead <= RING_CAP; slot[i % RING_CAP] for
 * xhead <= i < xtail holds a live block tagged i. The slots themselves are
 * plain memory: each one is handed from one side to the other by the
 * release store of an index and the acquire load of it on the other side.
 */
typedef struct ring {
    _Alignas(64) _Atomic uint64_t xtail;  /* next index the producer fills */
    _Alignas(64) _Atomic uint64_t xhead;  /* next index the consumer takes */
    _Alignas(64) void *slot[RING_CAP];
} ring;

/* One pair. The main thread is pair 0's producer; the other producers
 * and every consumer are ft_threads. */
typedef struct xfer {
    ring *r;
    const uint16_t *sizes;
    uint64_t count;           /* blocks to pass                          */
    _Atomic int *xgo;         /* set by the main thread: start producing */
    uint64_t end_ns;          /* consumer: when the last block was freed  */
    uint64_t bad;             /* consumer: blocks with a wrong tag        */
    uint64_t sum;             /* consumer: sum of the blocks' first bytes */
} xfer;

/* Threads of a run that are up and waiting for xgo. */
static _Atomic int xready;

/* Waiting on the ring. The checkpoint lets a stop-the-world (and, when
 * asked, a GIL waiter) in. But a checkpoint hands the GIL over only once
 * the waiter's switch interval (5 ms by default) has run out, so with
 * checkpoints alone every turn of the gil flavor would cost that much
 * (measured: 16-40 us per block, all of it GIL waiting). A waiter that
 * keeps finding nothing to do therefore also detaches around a yield, as a
 * blocking queue would: under the GIL the other side runs at once. */
static void ring_wait(unsigned *spins)
{
    ft_checkpoint();
    if (++*spins % SPINS_BEFORE_YIELD == 0) {
        FT_BEGIN_ALLOW_THREADS
        sched_yield();
        FT_END_ALLOW_THREADS
    }
}

static void consumer(void *arg)
{
    xfer *x = arg;
    ring *r = x->r;
    uint64_t seen_tail = 0, sum = 0, bad = 0;
    unsigned spins = 0;
    /* relaxed: the count publishes nothing; the producer only starts its
     * clock after it, and the ring was set up before this thread started. */
    ft_atomic_add_relaxed(&xready, 1);
    for (uint64_t head = 0; head < x->count; head++) {
        /* acquire, pairs with the producer's release of xtail: makes the
         * slot and the tag written into the block visible. Without it we
         * could read a stale slot or free a block before its tag lands. */
        while (head == seen_tail &&
               (seen_tail = ft_atomic_load_acquire(&r->xtail)) == head)
            ring_wait(&spins);
        unsigned char *p = r->slot[head % RING_CAP];
        size_t n = x->sizes[head & (SIZE_TABLE - 1)];
        bad += !ftbench_tag_ok(p, n, head);
        sum += p[0];
        ft_free(p);
        /* release, pairs with the producer's acquire of xhead: our read of
         * the slot happens before the producer overwrites it. */
        ft_atomic_store_release(&r->xhead, head + 1);
        if (head % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1)
            ft_checkpoint();
    }
    x->end_ns = ftbench_now_ns();
    x->bad = bad;
    x->sum = sum;
}

static void produce(xfer *x)
{
    ring *r = x->r;
    uint64_t seen_head = 0;
    unsigned spins = 0;
    for (uint64_t i = 0; i < x->count; i++) {
        size_t n = x->sizes[i & (SIZE_TABLE - 1)];
        unsigned char *p = must_malloc(n);
        ftbench_tag_write(p, n, i);
        /* acquire, pairs with the consumer's release of xhead: the slot we
         * are about to overwrite has been read. */
        while (i - seen_head == RING_CAP &&
               i - (seen_head = ft_atomic_load_acquire(&r->xhead)) == RING_CAP)
            ring_wait(&spins);
        r->slot[i % RING_CAP] = p;
        /* release, pairs with the consumer's acquire of xtail: publishes
         * the slot and the tag in the block. */
        ft_atomic_store_release(&r->xtail, i + 1);
        if (i % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1)
            ft_checkpoint();
    }
}

/* Producers 1..pairs-1: up, then wait for the main thread's go. */
static void producer(void *arg)
{
    xfer *x = arg;
    unsigned spins = 0;
    ft_atomic_add_relaxed(&xready, 1);   /* relaxed: as in consumer() */
    /* relaxed: the go publishes nothing (the ring was set up before this
     * thread started); it only lines the producers up with the clock. */
    while (!ft_atomic_load_relaxed(x->xgo))
        ring_wait(&spins);
    produce(x);
}

static void start_or_fail(ft_thread **t, void (*fn)(void *), void *arg)
{
    *t = ft_thread_start(fn, arg);
    if (!*t)
        fail("ft_thread_start: %s", ft_err_message());
}

static void check_pair(const xfer *x, long ops)
{
    uint64_t want = 0;
    for (long i = 0; i < ops; i++)
        want += (unsigned char)i;
    if (x->bad || x->sum != want)
        fail("producer->consumer with %s: %llu of %ld blocks arrived with a "
             "wrong tag (checksum %llu, want %llu)", ft_allocator_name(),
             (unsigned long long)x->bad, ops, (unsigned long long)x->sum,
             (unsigned long long)want);
}

/* One timed run of opt.xfer_threads / 2 pairs, `ops` blocks each: from
 * the go (the main thread's first allocation) to the last consumer's last
 * free. */
static uint64_t run_xfer(const uint16_t *sizes, long ops)
{
    static ring rings[MAX_PAIRS];
    static xfer xs[MAX_PAIRS];
    static _Atomic int xgo;
    ft_thread *cons[MAX_PAIRS], *prod[MAX_PAIRS];
    int pairs = opt.xfer_threads / 2;
    /* relaxed: no other thread of this run exists yet; ft_thread_start
     * publishes everything written before it. */
    ft_atomic_store_relaxed(&xgo, 0);
    ft_atomic_store_relaxed(&xready, 0);
    for (int i = 0; i < pairs; i++) {
        ft_atomic_store_relaxed(&rings[i].xhead, 0);
        ft_atomic_store_relaxed(&rings[i].xtail, 0);
        xs[i] = (xfer){ .r = &rings[i], .sizes = sizes, .count = (uint64_t)ops,
                        .xgo = &xgo };
    }
    for (int i = 0; i < pairs; i++) {
        start_or_fail(&cons[i], consumer, &xs[i]);
        if (i > 0)
            start_or_fail(&prod[i], producer, &xs[i]);
    }
    unsigned spins = 0;
    while (ft_atomic_load_relaxed(&xready) < 2 * pairs - 1)
        ring_wait(&spins);
    uint64_t t0 = ftbench_now_ns(), end = 0;
    ft_atomic_store_relaxed(&xgo, 1);   /* relaxed: see producer() */
    produce(&xs[0]);
    for (int i = 0; i < pairs; i++) {
        if ((i > 0 && ft_thread_join(prod[i]) != 0) || ft_thread_join(cons[i]) != 0)
            fail("ft_thread_join: %s", ft_err_message());
        check_pair(&xs[i], ops);
        end = xs[i].end_ns > end ? xs[i].end_ns : end;
    }
    return end - t0;
}

/* ---- Measurements ---------------------------------------------------------- */

typedef enum kind { PAIRS, BATCH_LIFO, BATCH_FIFO, XFER, N_KINDS } kind;
static const char *const kind_names[N_KINDS] = {
    "pairs", "batch-lifo", "batch-fifo", "producer-consumer",
};
static const char *const kind_titles[N_KINDS] = {
    "single thread: p = ft_malloc(n); touch one byte; ft_free(p)",
    "single thread: allocate 1000 blocks, free them LIFO (newest first)",
    "single thread: allocate 1000 blocks, free them FIFO (oldest first)",
    "producer->consumer pairs: producers allocate, consumers free (cross-thread frees)",
};

typedef struct measure {
    double warmup;                 /* ns per op                           */
    double samples[MAX_REPEATS];   /* ns per op, in run order             */
    double median, min;
    double gil_handovers;          /* per timed run                       */
    double cpu_per_wall;           /* process CPU time / wall time over the
                                      timed runs: how many threads really
                                      ran at once (busy machine: fewer)   */
    long ops;                      /* per run (fewer than the default when
                                      the backend was pathologically slow) */
    char allocator[40];            /* ft_allocator_name() while running   */
} measure;

static measure results[N_KINDS][N_PATTERNS][N_BACKENDS];
static bool flavor_gil;           /* the flavor runs with the GIL on      */
static const int xfer_patterns[] = { P64, MIXED };

static uint64_t run_once(kind k, const uint16_t *sizes, long ops)
{
    switch (k) {
    case PAIRS:      return run_pairs(sizes, ops);
    case BATCH_LIFO: return run_batch(sizes, ops, true);
    case BATCH_FIFO: return run_batch(sizes, ops, false);
    case XFER:       return run_xfer(sizes, ops);
    default:         fail("unknown scenario %d", (int)k);
    }
}

static void summarize(measure *m)
{
    m->median = ftbench_median(m->samples, opt.repeats);
    m->min = m->samples[0];
    for (int r = 1; r < opt.repeats; r++)
        m->min = m->samples[r] < m->min ? m->samples[r] : m->min;
}

static void start_runtime(const char *backend, contract_notes *cn)
{
    ft_config cfg = FT_CONFIG_INIT;
    cfg.malloc = backend;
    if (ft_init(&cfg) != 0)
        fail("ft_init with malloc=%s: %s", backend ? backend : "(default)",
             ft_err_message());
    validate_backend(cn);
}

static void stop_runtime(const char *backend, const char *what)
{
    ft_fini_report rep;
    if (ft_fini(&rep) != 0)
        fail("ft_fini after %s with %s: %s", what, backend, ft_err_message());
    if (rep.blocks != 0 || rep.threads != 0)
        fail("ft_fini after %s with %s reports %lld live blocks (%lld bytes) "
             "and %zu threads: the allocator leaked or lost count", what,
             backend, (long long)rep.blocks, (long long)rep.bytes, rep.threads);
}

/* Operations per run: the default, unless two probe runs of 1% of it
 * show that a run would take longer than run_budget_ns (a pathological
 * backend, not noise: the budget is 5-10 times a slow normal run): then
 * as many as fit the budget, so the binary still ends in bounded time and
 * reports the slow figure (marked). */
static long ops_per_run(kind k, int pat)
{
    long ops = k == XFER ? opt.xfer_ops : opt.pairs_ops;
    long probe = ops / 100;
    uint64_t a = run_once(k, size_tables[pat], probe);
    uint64_t b = run_once(k, size_tables[pat], probe);
    double ns_per_op = (double)(a < b ? a : b) / (double)probe;
    long fit = (long)((double)opt.run_budget_ns / ns_per_op) / BATCH * BATCH;
    return fit < ops ? (fit > BATCH ? fit : BATCH) : ops;
}

static void show_progress(const char *what, int b, int r)
{
    if (opt.tty)
        fprintf(stderr, "\r  %-32s %-9s run %d/%d   ", what, backends[b], r,
                opt.repeats);
}

static uint64_t process_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void measure_one(kind k, int pat, int b)
{
    measure *m = &results[k][pat][b];
    char what[96];
    snprintf(what, sizeof what, "%s %s", kind_names[k], pattern_names[pat]);
    start_runtime(backends[b], &notes[b]);
    snprintf(m->allocator, sizeof m->allocator, "%s", ft_allocator_name());
    show_progress(what, b, 0);
    long ops = m->ops = ops_per_run(k, pat);
    /* ns per alloc+free: all pairs' blocks count (inverse throughput). */
    double blocks = (double)ops * (k == XFER ? opt.xfer_threads / 2 : 1);
    m->warmup = (double)run_once(k, size_tables[pat], ops) / blocks;
    ft_gil_stats gs;
    ft_gil_reset_stats();
    uint64_t cpu0 = process_cpu_ns(), wall0 = ftbench_now_ns();
    for (int r = 0; r < opt.repeats; r++) {
        show_progress(what, b, r + 1);
        m->samples[r] = (double)run_once(k, size_tables[pat], ops) / blocks;
    }
    m->cpu_per_wall = (double)(process_cpu_ns() - cpu0) /
                      (double)(ftbench_now_ns() - wall0);
    ft_gil_get_stats(&gs);
    m->gil_handovers = (double)gs.handovers / opt.repeats;
    stop_runtime(backends[b], what);
    summarize(m);
}

/* ---- Output ------------------------------------------------------------------ */

static bool reduced(const measure *m, kind k)
{
    return m->ops < (k == XFER ? opt.xfer_ops : opt.pairs_ops);
}

static void print_table(kind k, const int *pats, int npats)
{
    bool any_reduced = false;
    printf("\n%s\n", kind_titles[k]);
    printf("  ns per alloc+free: median of %d (min)\n", opt.repeats);
    printf("  %-12s %20s %20s %20s %8s %10s\n", "size", backends[OB],
           backends[MI], backends[SYS], "ob/mi", "malloc/ob");
    for (int i = 0; i < npats; i++) {
        measure *m = results[k][pats[i]];
        char cell[N_BACKENDS][48];
        for (int b = 0; b < N_BACKENDS; b++) {
            any_reduced |= reduced(&m[b], k);
            snprintf(cell[b], sizeof cell[b], "%.1f (%.1f)%s", m[b].median,
                     m[b].min, reduced(&m[b], k) ? "*" : "");
        }
        printf("  %-12s %20s %20s %20s %7.2fx %9.2fx\n", pattern_names[pats[i]],
               cell[OB], cell[MI], cell[SYS], m[OB].median / m[MI].median,
               m[SYS].median / m[OB].median);
    }
    if (any_reduced)
        printf("  * fewer operations per run: at the default count a run would "
               "have taken over %.1f s\n", (double)opt.run_budget_ns / 1e9);
}

/* "0-8, 24" for the sizes set in a note's bitmap; returns how many. */
static int misaligned_sizes(const contract_notes *cn, char *out, size_t len)
{
    int count = 0;
    size_t used = 0;
    out[0] = '\0';
    for (int n = 0; n <= 512; n++) {
        if (!(cn->misaligned[n / 64] >> (n % 64) & 1))
            continue;
        int end = n;
        while (end < 512 && cn->misaligned[(end + 1) / 64] >> ((end + 1) % 64) & 1)
            end++;
        count += end - n + 1;
        if (used < len && end > n)
            used += (size_t)snprintf(out + used, len - used, "%s%d-%d",
                                     used ? ", " : "", n, end);
        else if (used < len)
            used += (size_t)snprintf(out + used, len - used, "%s%d",
                                     used ? ", " : "", n);
        n = end;
    }
    return count;
}

static void print_contract_notes(void)
{
    printf("\ncontract checks (ftlab/mem.h: blocks are 16-byte aligned):\n");
    for (int b = 0; b < N_BACKENDS; b++) {
        char sizes[256];
        int count = misaligned_sizes(&notes[b], sizes, sizeof sizes);
        if (count)
            printf("  %-9s VIOLATED: blocks not 16-byte aligned for %d sizes "
                   "(bytes: %s)\n", backends[b], count, sizes);
        else
            printf("  %-9s ok\n", backends[b]);
    }
}

static void print_xfer_table(void)
{
    print_table(XFER, xfer_patterns, 2);
    printf("  (%d threads: %d producer->consumer pair%s; ns per block of all pairs)\n",
           opt.xfer_threads, opt.xfer_threads / 2, opt.xfer_threads > 2 ? "s" : "");
    if (flavor_gil)
        printf("  (GIL on: the threads alternate, they never run at once; GIL "
               "hand-overs per run: obmalloc %.0f, mimalloc %.0f, malloc %.0f)\n",
               results[XFER][MIXED][OB].gil_handovers,
               results[XFER][MIXED][MI].gil_handovers,
               results[XFER][MIXED][SYS].gil_handovers);
    else
        printf("  (GIL off: the threads run at once; frees are remote frees)\n");
}

/* Geometric mean and worst case of ratio num/den (medians) over the
 * single-thread scenarios. */
typedef struct ratio_stats {
    double geomean, worst;
    int worst_kind, worst_pat, n;
} ratio_stats;

static ratio_stats single_thread_ratio(int num, int den, bool higher_is_worse)
{
    ratio_stats s = { .worst = higher_is_worse ? 0 : 1e300 };
    double logsum = 0;
    for (int k = PAIRS; k <= BATCH_FIFO; k++)
        for (int p = 0; p < N_PATTERNS; p++) {
            double q = results[k][p][num].median / results[k][p][den].median;
            logsum += log(q);
            s.n++;
            if (higher_is_worse ? q > s.worst : q < s.worst) {
                s.worst = q;
                s.worst_kind = k;
                s.worst_pat = p;
            }
        }
    s.geomean = exp(logsum / s.n);
    return s;
}

/* The targets of bench/report/targets.h judged here, in targets_met order. */
static const ftbench_target_id target_ids[3] = {
    FTBENCH_T_OBMALLOC_VS_MIMALLOC, FTBENCH_T_OBMALLOC_VS_GLIBC, FTBENCH_T_CROSS_THREAD,
};
static bool targets_met[3];

/* Judges targets_met[i] on s's geomean and prints its line, named
 * "<subject> <bound> <object>" ("obmalloc <= 1.2x mimalloc, ..."). */
static void target_line(int i, const char *subject, const char *object, ratio_stats s)
{
    const ftbench_target *t = ftbench_target_get(target_ids[i]);
    char bound[32], name[96];
    snprintf(name, sizeof name, "%s %s %s", subject,
             ftbench_target_bound(t, true, bound, sizeof bound), object);
    targets_met[i] = ftbench_target_met(t, s.geomean);
    printf("  %-52s geomean %.2fx over %d scenarios, worst %.2fx (%s %s): %s\n",
           name, s.geomean, s.n, s.worst, kind_names[s.worst_kind],
           pattern_names[s.worst_pat], targets_met[i] ? "met" : "NOT MET");
}

static void print_summary(void)
{
    printf("\ntargets (bench/report/targets.h), from the medians above:\n");
    target_line(0, "obmalloc", "mimalloc, single thread:",
                single_thread_ratio(OB, MI, true));
    target_line(1, "obmalloc", "faster than glibc, single thread:",
                single_thread_ratio(SYS, OB, false));
    const ftbench_target *cross = ftbench_target_get(target_ids[2]);
    double r64 = results[XFER][P64][SYS].median / results[XFER][P64][OB].median;
    double rmix = results[XFER][MIXED][SYS].median / results[XFER][MIXED][OB].median;
    targets_met[2] = ftbench_target_met(cross, r64) && ftbench_target_met(cross, rmix);
    printf("  %-52s tags all checked; malloc/obmalloc %.2fx (64 B), %.2fx "
           "(mixed)%s: %s\n", "cross-thread frees correct, faster than glibc:",
           r64, rmix, flavor_gil ? " [GIL on: alternating]" : "",
           targets_met[2] ? "met" : "NOT MET");
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_env(FILE *f, const ftbench_env *e, bool gil)
{
    fprintf(f, "  \"environment\": {\n    \"flavor\": ");
    ftbench_json_string(f, ft_flavor());
    fprintf(f, ",\n    \"gil\": %s,\n    \"commit\": ", gil ? "true" : "false");
    ftbench_json_string(f, e->commit);
    fprintf(f, ",\n    \"compiler\": ");
    ftbench_json_string(f, FTBENCH_COMPILER);
    fprintf(f, ",\n    \"cpu\": ");
    ftbench_json_string(f, e->cpu);
    fprintf(f, ",\n    \"cores\": %ld,\n    \"kernel\": ", e->cores);
    ftbench_json_string(f, e->kernel);
    fprintf(f, ",\n    \"date\": ");
    ftbench_json_string(f, e->date);
    fprintf(f, ",\n    \"quick\": %s,\n    \"repeats\": %d,\n"
               "    \"pairs_ops_per_run\": %ld,\n    \"xfer_ops_per_run\": %ld,\n"
               "    \"xfer_threads\": %d,\n    \"xfer_only\": %s\n  },\n",
            opt.quick ? "true" : "false", opt.repeats, opt.pairs_ops, opt.xfer_ops,
            opt.xfer_threads, opt.xfer_only ? "true" : "false");
}

static void json_measure(FILE *f, kind k, int pat, int b, bool first)
{
    const measure *m = &results[k][pat][b];
    fprintf(f, "%s    {\"scenario\": \"%s\", \"pattern\": \"%s\", "
               "\"allocator\": \"%s\", \"threads\": %d, \"unit\": \"ns/op\",\n"
               "     \"warmup\": %.3f, \"median\": %.3f, \"min\": %.3f, "
               "\"gil_handovers_per_run\": %.1f, \"cpu_per_wall\": %.2f, "
               "\"ops_per_run\": %ld,\n     \"samples\": [",
            first ? "" : ",\n", kind_names[k], pattern_names[pat], m->allocator,
            k == XFER ? opt.xfer_threads : 1, m->warmup, m->median, m->min,
            m->gil_handovers, m->cpu_per_wall, m->ops);
    for (int r = 0; r < opt.repeats; r++)
        fprintf(f, "%s%.3f", r ? ", " : "", m->samples[r]);
    fprintf(f, "]}");
}

static void write_json(const ftbench_env *e, bool gil)
{
    FILE *f = fopen(opt.json_path, "w");
    if (!f)
        fail("cannot write %s: %s", opt.json_path, strerror(errno));
    fprintf(f, "{\n  \"benchmark\": \"" PROG "\",\n");
    json_env(f, e, gil);
    fprintf(f, "  \"results\": [\n");
    bool first = true;
    for (int k = PAIRS; k < N_KINDS; k++)
        for (int p = 0; p < N_PATTERNS; p++) {
            if (k == XFER && p != xfer_patterns[0] && p != xfer_patterns[1])
                continue;
            if (k != XFER && opt.xfer_only)
                continue;
            for (int b = 0; b < N_BACKENDS; b++, first = false)
                json_measure(f, (kind)k, p, b, first);
        }
    fprintf(f, "\n  ],\n  \"misaligned_sizes\": {");
    for (int b = 0; b < N_BACKENDS; b++) {
        char sizes[256];
        misaligned_sizes(&notes[b], sizes, sizeof sizes);
        fprintf(f, "%s\"%s\": \"%s\"", b ? ", " : "", backends[b], sizes);
    }
    /* --xfer-only measured none of the single-thread targets: null. */
    fprintf(f, "},\n  \"targets\": {");
    for (int i = 0; i < 3; i++)
        fprintf(f, "%s\"%s\": %s", i ? ", " : "", ftbench_target_get(target_ids[i])->key,
                opt.xfer_only ? "null" : targets_met[i] ? "true" : "false");
    fprintf(f, "}\n}\n");
    if (fclose(f) != 0)
        fail("cannot write %s: %s", opt.json_path, strerror(errno));
}

/* ---- Main ------------------------------------------------------------------- */

static void run_all(void)
{
    for (int k = PAIRS; k <= BATCH_FIFO && !opt.xfer_only; k++)
        for (int p = 0; p < N_PATTERNS; p++)
            for (int b = 0; b < N_BACKENDS; b++)
                measure_one((kind)k, p, b);
    for (int i = 0; i < 2; i++)
        for (int b = 0; b < N_BACKENDS; b++)
            measure_one(XFER, xfer_patterns[i], b);
    if (opt.tty)
        fprintf(stderr, "\r%70s\r", "");
}

/* The flavor's GIL setting, read from a runtime that is up for a moment. */
static bool flavor_has_gil(long *interval_us)
{
    contract_notes cn = { { 0 } };
    start_runtime(NULL, &cn);
    bool gil = ft_gil_is_enabled();
    *interval_us = ft_get_switch_interval_us();
    stop_runtime("default", "start-up");
    return gil;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    make_size_tables();
    ftbench_env e;
    ftbench_read_env(&e);
    long interval_us;
    flavor_gil = flavor_has_gil(&interval_us);
    printf(PROG ": flavor %s, GIL %s (switch interval %ld us), commit %s\n",
           ft_flavor(), flavor_gil ? "on" : "off", interval_us, e.commit);
    printf("  %s; %ld cores; %s; %s\n  %ld pairs per single-thread run%s, %ld "
           "blocks per producer->consumer pair and run (%d threads), 1 warm-up "
           "+ %d timed runs\n",
           e.cpu, e.cores, e.kernel, FTBENCH_COMPILER, opt.pairs_ops,
           opt.xfer_only ? " (skipped: --xfer-only)" : "", opt.xfer_ops,
           opt.xfer_threads, opt.repeats);
    fflush(stdout);
    uint64_t t0 = ftbench_now_ns();
    run_all();
    static const int all[] = { P16, P32, P64, P128, P256, P512, MIXED };
    for (int k = PAIRS; k <= BATCH_FIFO && !opt.xfer_only; k++)
        print_table((kind)k, all, N_PATTERNS);
    print_xfer_table();
    print_contract_notes();
    if (!opt.xfer_only)
        print_summary();
    printf("\ntotal %.1f s\n", (double)(ftbench_now_ns() - t0) / 1e9);
    if (opt.json_path)
        write_json(&e, flavor_gil);
    return 0;
}
