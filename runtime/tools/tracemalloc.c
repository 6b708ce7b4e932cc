/* tracemalloc.c — tracing the private heap (ftlab/tracemalloc.h): the
 * switch, the counters, the per-thread frame stack, and the out-of-line
 * halves of the allocation hooks (tools/traces.h).
 *
 * Counters. `xcurrent` is the sum of the sizes of the traced blocks (a
 * parked node counts zero: traces.h); it
 * moves with one relaxed atomic add per trace, by whichever thread
 * allocates or frees (a block freed by another thread than its allocator
 * is subtracted there). An allocation adds *before* it inserts the trace
 * and a free subtracts only after it removed it, so the sum never goes
 * below zero. `xpeak` follows with a CAS max: each value an add returns
 * is a value the sum really had, in the order of its modifications, so
 * the peak is exact even with threads racing.
 *
 * Tracebacks are interned (traces.h): a node points at the one copy of
 * its traceback. The table is a chained hash table under `tb_lock`, in
 * both flavors; in front of it each thread keeps a direct-mapped cache
 * of the tracebacks it used last, so the common case — allocating again
 * from a place it allocated from before — reads only its own memory. A
 * miss takes the lock (a new traceback, or one another thread made, or
 * a cache collision). Stop and clear drop every traceback with the world
 * stopped and bump `xtb_generation`; a thread's cache holds the
 * generation it was filled in and empties itself when that changed.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "traces.h"
#include "phases.h"
#include "typestats.h"
#include "../internal/gc.h"

_Atomic bool _ft_xtracing;         /* traces.h: the hooks' switch        */
static _Atomic int xnframes;        /* traceback limit of new traces     */
static _Atomic size_t xcurrent;     /* bytes traced now                  */
static _Atomic size_t xpeak;        /* highest xcurrent since reset      */
static _Atomic size_t xtb_bytes;    /* bytes of interned tracebacks      */

/* ---- The frame stack (one per thread) ------------------------------------ */

typedef struct stack_frame {
    ft_frame f;
    size_t phase;                   /* its report row + 1; 0: not a phase */
} stack_frame;

typedef struct frame_stack {
    int depth;                      /* pushes minus pops (may pass MAX)   */
    ft_frame base;                  /* set_site with nothing pushed       */
    ft_frame site;                  /* FT_MALLOC's call site, or NULL     */
    /* Bumped by every change of what capture() reads; the last interned
     * traceback (memo) stands while the version, the traceback limit and
     * the traceback generation are those it was taken with: a thread
     * allocating again from the same frames skips capture and hashing. */
    size_t version;
    const struct ft_trace_tb *memo;
    size_t memo_version, memo_generation;
    int memo_max;
    stack_frame frames[FT_TRACE_STACK_MAX];
} frame_stack;

static _Thread_local frame_stack stack;

void ft_trace_push(const char *filename, int lineno)
{
    if (stack.depth < FT_TRACE_STACK_MAX)
        stack.frames[stack.depth] = (stack_frame){ { filename, lineno }, 0 };
    stack.depth++;
    stack.version++;
}

void ft_trace_push_phase(const char *name, const char *filename, int lineno)
{
    int depth = stack.depth < FT_TRACE_STACK_MAX ? stack.depth : FT_TRACE_STACK_MAX;
    int phases = 0;
    for (int i = 0; i < depth; i++)
        phases += stack.frames[i].phase != 0;
    ft_trace_push(filename, lineno);
    if (stack.depth <= FT_TRACE_STACK_MAX && ft_tracemalloc_is_tracing())
        stack.frames[stack.depth - 1].phase =
            _ft_phase_begin(name ? name : filename, phases);
}

void ft_trace_pop(void)
{
    if (stack.depth == 0)
        return;
    stack.depth--;
    stack.version++;
    if (stack.depth < FT_TRACE_STACK_MAX && stack.frames[stack.depth].phase)
        _ft_phase_end(stack.frames[stack.depth].phase);
}

void ft_trace_set_site(const char *filename, int lineno)
{
    if (stack.depth == 0)
        stack.base = (ft_frame){ filename, lineno };
    else if (stack.depth <= FT_TRACE_STACK_MAX)
        stack.frames[stack.depth - 1].f = (ft_frame){ filename, lineno };
    stack.version++;
}

void ft_trace_set_lineno(int lineno)
{
    if (stack.depth == 0)
        stack.base.lineno = lineno;
    else if (stack.depth <= FT_TRACE_STACK_MAX)
        stack.frames[stack.depth - 1].f.lineno = lineno;
    stack.version++;
}

/* The calling thread's traceback now, at most max frames (>= 1). */
static uint32_t capture(ft_frame *out, int max)
{
    int n = 0;
    if (stack.site.filename)
        out[n++] = stack.site;
    int top = stack.depth < FT_TRACE_STACK_MAX ? stack.depth : FT_TRACE_STACK_MAX;
    for (int i = top - 1; i >= 0 && n < max; i--)
        out[n++] = stack.frames[i].f;
    if (stack.base.filename && n < max)
        out[n++] = stack.base;
    if (n == 0)
        out[n++] = (ft_frame){ "<unknown>", 0 };
    return (uint32_t)n;
}

/* ---- Interned tracebacks ---------------------------------------------------- */

enum { TB_INIT_BUCKETS = 256, TB_CACHE = 64 };

static pthread_mutex_t tb_lock = PTHREAD_MUTEX_INITIALIZER;
static ft_trace_tb **tb_buckets;      /* under tb_lock; NULL before use    */
static size_t tb_nbuckets, tb_count;  /* under tb_lock; count <= 2 * nbuckets */

/* Bumped by stop and clear, with the world stopped, after which every
 * cached traceback is gone. Relaxed: a thread runs hooks attached, and
 * re-attaching after the stop acquires what the restart released
 * (internal/tstate.h), the bump included. */
static _Atomic size_t xtb_generation;

typedef struct tb_cache {
    size_t generation;                  /* of xtb_generation, when filled */
    const ft_trace_tb *slot[TB_CACHE];  /* by hash; NULL: empty           */
} tb_cache;

static _Thread_local tb_cache tbc;

/* fork: tb_lock held by another thread at fork() would stay held forever
 * in the child (the trace table's shards do the same, nogil/traces.c). */
static void tb_fork_prepare(void) { pthread_mutex_lock(&tb_lock); }
static void tb_fork_parent(void) { pthread_mutex_unlock(&tb_lock); }
static void tb_fork_child(void) { pthread_mutex_init(&tb_lock, NULL); }
static pthread_once_t tb_fork_once = PTHREAD_ONCE_INIT;

static void tb_fork_register(void)
{
    /* Without it a fork in the middle of an intern hangs the child's next
     * one: no worse than before, so a failure is not start's error. */
    (void)pthread_atfork(tb_fork_prepare, tb_fork_parent, tb_fork_child);
}

static uint64_t tb_hash(const ft_frame *f, uint32_t n)
{
    uint64_t h = n;
    for (uint32_t i = 0; i < n; i++) {
        h = (h ^ (uint64_t)(uintptr_t)f[i].filename) * 0x9e3779b97f4a7c15ull;
        h = (h ^ (uint64_t)(uint32_t)f[i].lineno) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    return h;
}

/* Frames are equal by filename pointer and line: a traceback names its
 * files by pointer (ftlab/tracemalloc.h), and two pointers to equal
 * strings only make two tracebacks that statistics group as one. */
static bool tb_equal(const ft_trace_tb *tb, uint64_t h, const ft_frame *f, uint32_t n)
{
    if (tb->hash != h || tb->nframes != n)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (tb->frames[i].filename != f[i].filename || tb->frames[i].lineno != f[i].lineno)
            return false;
    return true;
}

static size_t tb_bytes(uint32_t nframes)
{
    return sizeof(ft_trace_tb) + nframes * sizeof(ft_frame);
}

static size_t tb_bucket(uint64_t h, size_t nb)
{
    return (size_t)(h ^ (h >> 29)) & (nb - 1);
}

/* Doubles the buckets under tb_lock; stays as it is when memory is short
 * (chains only get longer). */
static void tb_grow(size_t nb)
{
    ft_trace_tb **nbk = calloc(nb, sizeof *nbk);
    if (!nbk)
        return;
    for (size_t i = 0; i < tb_nbuckets; i++) {
        for (ft_trace_tb *tb = tb_buckets[i], *next; tb; tb = next) {
            next = tb->next;
            size_t b = tb_bucket(tb->hash, nb);
            tb->next = nbk[b];
            nbk[b] = tb;
        }
    }
    free(tb_buckets);
    tb_buckets = nbk;
    tb_nbuckets = nb;
}

/* The table's copy of f[0..n), made if needed; NULL when out of memory. */
static const ft_trace_tb *tb_intern_locked(const ft_frame *f, uint32_t n, uint64_t h)
{
    if (!tb_buckets || tb_count >= 2 * tb_nbuckets)
        tb_grow(tb_buckets ? 2 * tb_nbuckets : TB_INIT_BUCKETS);
    if (!tb_buckets)
        return NULL;
    ft_trace_tb **head = &tb_buckets[tb_bucket(h, tb_nbuckets)];
    for (ft_trace_tb *tb = *head; tb; tb = tb->next)
        if (tb_equal(tb, h, f, n))
            return tb;
    ft_trace_tb *tb = malloc(tb_bytes(n));   /* never traced itself */
    if (!tb)
        return NULL;
    tb->hash = h;
    tb->nframes = n;
    memcpy(tb->frames, f, n * sizeof *f);
    tb->next = *head;
    *head = tb;
    tb_count++;
    ft_atomic_add_relaxed(&xtb_bytes, tb_bytes(n));
    return tb;
}

/* The interned copy of f[0..n), or NULL (out of memory). The pointer
 * stays valid while the node that gets it is in the trace table. */
static const ft_trace_tb *tb_intern(const ft_frame *f, uint32_t n, size_t gen)
{
    uint64_t h = tb_hash(f, n);
    if (ft_unlikely(tbc.generation != gen)) {
        memset(tbc.slot, 0, sizeof tbc.slot);
        tbc.generation = gen;
    }
    const ft_trace_tb **slot = &tbc.slot[tb_bucket(h, TB_CACHE)];
    const ft_trace_tb *tb = *slot;
    if (ft_likely(tb && tb_equal(tb, h, f, n)))
        return tb;
    pthread_mutex_lock(&tb_lock);
    tb = tb_intern_locked(f, n, h);
    pthread_mutex_unlock(&tb_lock);
    if (tb)
        *slot = tb;
    return tb;
}

/* With the world stopped (stop, clear), after the drain: every traceback
 * goes (_ft_traces_retire_tb frees it). No node in the table points at
 * one any more, and a lookup reads a node's traceback only while the
 * node is in the table (traces.h). */
static void tb_drop_all(void)
{
    ft_atomic_add_relaxed(&xtb_generation, (size_t)1);
    pthread_mutex_lock(&tb_lock);
    for (size_t i = 0; i < tb_nbuckets; i++) {
        for (ft_trace_tb *tb = tb_buckets[i], *next; tb; tb = next) {
            next = tb->next;
            ft_atomic_add_relaxed(&xtb_bytes, -tb_bytes(tb->nframes));
            _ft_traces_retire_tb(tb);
        }
        tb_buckets[i] = NULL;
    }
    tb_count = 0;
    pthread_mutex_unlock(&tb_lock);
}

/* ---- Nodes and counters ---------------------------------------------------- */

/* A traced allocation takes a node and its free gives one back. From the
 * system allocator that was about 200 of the ~430 instructions a traced
 * allocation+free cost (glibc's per-thread cache keeps 7 blocks of a
 * size, so a burst of frees spills to its shared bins, which take atomics
 * once a process has threads). So each thread keeps up to NODE_CACHE
 * freed nodes, chained through their `next`, and allocates from them
 * first. Reusing one at once is safe in both flavors: a node leaves the
 * table before it is retired, and nothing reads it outside the table's
 * protection (traces.h). The cache goes back to the system at the
 * thread's exit (a pthread key's destructor), at stop for the thread
 * that stops, and at ft_fini; a thread without a key (out of keys)
 * caches nothing, else its nodes would be lost with it. */
enum { NODE_CACHE = 1024 };   /* 48 KiB of nodes per thread at most */

typedef struct node_cache {
    ft_trace_node *head;
    unsigned n;
    bool keyed;                   /* nc_key holds &nc: the exit frees it */
} node_cache;

static _Thread_local node_cache nc;
static pthread_key_t nc_key;
static pthread_once_t nc_once = PTHREAD_ONCE_INIT;
static bool nc_key_ok;

static void nc_release(node_cache *c)
{
    for (ft_trace_node *n = c->head, *next; n; n = next) {
        next = n->next;
        _ft_traces_retire(n);
    }
    c->head = NULL;
    c->n = 0;
}

static void nc_thread_exit(void *arg)
{
    node_cache *c = arg;
    nc_release(c);
    c->keyed = false;   /* a later destructor that frees asks again */
}

static void nc_make_key(void)
{
    nc_key_ok = pthread_key_create(&nc_key, nc_thread_exit) == 0;
}

static FT_NOINLINE bool nc_make_keyed(void)
{
    pthread_once(&nc_once, nc_make_key);
    nc.keyed = nc_key_ok && pthread_setspecific(nc_key, &nc) == 0;
    return nc.keyed;
}

static ft_trace_node *node_alloc(void)
{
    ft_trace_node *n = nc.head;
    if (ft_likely(n)) {
        nc.head = n->next;
        nc.n--;
        return n;
    }
    return _ft_traces_node_new();   /* never traced itself */
}

static void node_free(ft_trace_node *n)
{
    if (ft_likely(nc.n < NODE_CACHE) && (ft_likely(nc.keyed) || nc_make_keyed())) {
        n->next = nc.head;
        nc.head = n;
        nc.n++;
    } else {
        _ft_traces_retire(n);
    }
}

/* A node for the block at addr with traceback tb, or NULL. */
static ft_trace_node *make_node(uintptr_t addr, size_t size, bool parked,
                                const ft_trace_tb *tb)
{
    ft_trace_node *node = node_alloc();
    if (!node)
        return NULL;
    node->size = size;
    node->parked = parked;
    node->tb = tb;
    node->addr = addr;   /* published by the table's insert */
    return node;
}

/* The calling thread's traceback now, interned; NULL when out of memory. */
static const ft_trace_tb *current_tb(void)
{
    int max = ft_atomic_load_relaxed(&xnframes);
    max = max > 0 ? max : 1;
    size_t gen = ft_atomic_load_relaxed(&xtb_generation);
    if (stack.memo && stack.memo_version == stack.version && stack.memo_max == max &&
        stack.memo_generation == gen)
        return stack.memo;
    ft_frame frames[FT_TRACE_MAX_FRAMES];
    uint32_t n = capture(frames, max);
    const ft_trace_tb *tb = tb_intern(frames, n, gen);
    if (tb) {
        stack.memo = tb;
        stack.memo_version = stack.version;
        stack.memo_max = max;
        stack.memo_generation = gen;
    }
    return tb;
}

/* A node for a block of `size` bytes allocated now, or NULL. */
static ft_trace_node *new_node(uintptr_t addr, size_t size)
{
    const ft_trace_tb *tb = current_tb();
    return tb ? make_node(addr, size, false, tb) : NULL;
}

/* A copy of old for the block at addr (old's traceback and size), or
 * NULL. */
static ft_trace_node *copy_node(const ft_trace_node *old, uintptr_t addr, bool parked)
{
    return make_node(addr, old->size, parked, old->tb);
}

/* What a node adds to the traced sum. */
static size_t counted(const ft_trace_node *n)
{
    return n->parked ? 0 : n->size;
}

static void raise_peak(size_t now)
{
    size_t peak = ft_atomic_load_relaxed(&xpeak);
    while (now > peak && !ft_atomic_cas_relaxed(&xpeak, &peak, now))
        ;
}

static void retire(ft_trace_node *n)
{
    ft_atomic_add_relaxed(&xcurrent, -counted(n));
    node_free(n);
}

static void insert(ft_trace_node *n)
{
    size_t c = counted(n);
    if (c)
        raise_peak(ft_atomic_add_relaxed(&xcurrent, c) + c);
    ft_trace_node *stale = _ft_traces_insert(n);
    if (stale)
        retire(stale);
}

/* ---- The hooks' slow halves ------------------------------------------------ */

void _ft_trace_alloc(void *p, size_t size)
{
    ft_trace_node *n = new_node((uintptr_t)p, size);
    if (n)
        insert(n);   /* out of memory: the block stays untraced */
}

void _ft_trace_free(void *p)
{
    ft_trace_node *n = _ft_traces_remove((uintptr_t)p);
    if (n)
        retire(n);
}

/* The program freed the object in block; the free list keeps the block.
 * Out of memory for the parked node: the block is reused untraced, like
 * one parked before tracing started. */
void _ft_trace_park(void *block)
{
    ft_trace_node *old = _ft_traces_remove((uintptr_t)block);
    if (!old)
        return;   /* allocated before tracing started */
    ft_trace_node *n = copy_node(old, (uintptr_t)block, true);
    retire(old);
    if (n)
        insert(n);
}

void _ft_trace_reuse(void *block)
{
    ft_trace_node *old = _ft_traces_remove((uintptr_t)block);
    if (!old)
        return;   /* allocated (or parked) before tracing started */
    ft_trace_node *n = new_node((uintptr_t)block, old->size);
    retire(old);
    if (n)
        insert(n);
}

ft_trace_node *_ft_trace_realloc_take(void *p)
{
    return _ft_traces_remove((uintptr_t)p);
}

void _ft_trace_realloc_done(ft_trace_node *old, void *p, void *q, size_t n)
{
    ft_trace_node *fresh = q ? new_node((uintptr_t)q, n) : NULL;
    if (!q && old)   /* failed: p keeps its size and traceback */
        fresh = copy_node(old, (uintptr_t)p, false);
    if (old)
        retire(old);
    if (fresh)
        insert(fresh);
}

/* ---- Allocation with a site ------------------------------------------------ */

#define WITH_SITE(file, line, call)                  \
    do {                                             \
        ft_frame saved = stack.site;                 \
        stack.site = (ft_frame){ (file), (line) };   \
        stack.version++;                             \
        p = (call);                                  \
        stack.site = saved;                          \
        stack.version++;                             \
    } while (0)

void *ft_malloc_at(size_t n, const char *filename, int lineno)
{
    void *p;
    WITH_SITE(filename, lineno, ft_malloc(n));
    return p;
}

void *ft_calloc_at(size_t count, size_t size, const char *filename, int lineno)
{
    void *p;
    WITH_SITE(filename, lineno, ft_calloc(count, size));
    return p;
}

void *ft_realloc_at(void *q, size_t n, const char *filename, int lineno)
{
    void *p;
    WITH_SITE(filename, lineno, ft_realloc(q, n));
    return p;
}

/* ---- Switching ----------------------------------------------------------------- */

static void drop_node(ft_trace_node *n, void *arg)
{
    (void)arg;
    retire(n);
}

/* With the world stopped: no hook of a runtime thread is half done. */
static void forget_traces(void)
{
    bool stopped = ft_stop_the_world() == 0;
    _ft_traces_drain(drop_node, NULL);
    tb_drop_all();   /* last: no node in the table points at one now */
    ft_atomic_store_relaxed(&xpeak, ft_atomic_load_relaxed(&xcurrent));
    if (stopped)
        ft_start_the_world();
    else
        ft_err_clear();   /* we already hold the world stopped */
}

int ft_tracemalloc_start(int nframes)
{
    if (nframes < 1 || nframes > FT_TRACE_MAX_FRAMES)
        return ft_err_set(FT_ERR_VALUE, "ft_tracemalloc_start: nframes must be "
                          "1..%d, not %d", FT_TRACE_MAX_FRAMES, nframes);
    if (_ft_traces_init() < 0)
        return -1;
    pthread_once(&tb_fork_once, tb_fork_register);
    ft_atomic_store_relaxed(&xnframes, nframes);
    stack.base = (ft_frame){ NULL, 0 };
    stack.version++;
    if (!ft_tracemalloc_is_tracing()) {
        ft_phase_report_clear();
        ft_atomic_store_relaxed(&xpeak, ft_atomic_load_relaxed(&xcurrent));
        ft_atomic_store_relaxed(&_ft_xtracing, true);
    }
    return 0;
}

void ft_tracemalloc_stop(void)
{
    if (!ft_tracemalloc_is_tracing())
        return;
    ft_atomic_store_relaxed(&_ft_xtracing, false);
    stack.base = (ft_frame){ NULL, 0 };
    stack.version++;
    forget_traces();
    nc_release(&nc);   /* the drain's nodes among them */
}

void ft_tracemalloc_clear_traces(void)
{
    if (ft_tracemalloc_is_tracing())
        forget_traces();
}

void _ft_tracemalloc_fini(void)
{
    ft_tracemalloc_stop();
    nc_release(&nc);   /* a retire after a stop refills it */
    ft_phase_report_clear();
    _ft_typestats_fini();
}

bool ft_tracemalloc_is_tracing(void)
{
    return ft_atomic_load_relaxed(&_ft_xtracing);
}

int ft_tracemalloc_get_traceback_limit(void)
{
    return ft_atomic_load_relaxed(&xnframes);
}

void ft_tracemalloc_get_traced_memory(size_t *current, size_t *peak)
{
    bool on = ft_tracemalloc_is_tracing();
    size_t c = on ? ft_atomic_load_relaxed(&xcurrent) : 0;
    size_t p = on ? ft_atomic_load_relaxed(&xpeak) : 0;
    if (current)
        *current = c;
    if (peak)
        *peak = p > c ? p : c;   /* a reader may see the add before the CAS */
}

void ft_tracemalloc_reset_peak(void)
{
    ft_atomic_store_relaxed(&xpeak, ft_atomic_load_relaxed(&xcurrent));
}

size_t ft_tracemalloc_get_tracemalloc_memory(void)
{
    /* Nodes are counted by the table (traces.h, _ft_traces_count). */
    return _ft_traces_count() * sizeof(ft_trace_node) + ft_atomic_load_relaxed(&xtb_bytes);
}

/* ---- Object tracebacks --------------------------------------------------------- */

typedef struct copy_ctx {
    ft_frame *out;
    int max, n;
} copy_ctx;

static void copy_frames(const ft_trace_node *node, void *arg)
{
    copy_ctx *c = arg;
    if (node->parked)
        return;   /* a free-listed block: no object's */
    const ft_trace_tb *tb = node->tb;
    c->n = (int)tb->nframes < c->max ? (int)tb->nframes : c->max;
    memcpy(c->out, tb->frames, (size_t)c->n * sizeof(ft_frame));
}

int ft_tracemalloc_get_object_traceback(ft_object *o, ft_frame *frames, int max)
{
    if (!o || !frames || max < 1 || !ft_tracemalloc_is_tracing())
        return 0;
    size_t head = _ft_gc_is_gc_type(o) ? _ft_gc_overhead(o) : 0;
    copy_ctx c = { frames, max, 0 };
    _ft_traces_lookup((uintptr_t)o - head, copy_frames, &c);
    return c.n;
}
