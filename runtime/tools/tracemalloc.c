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
 */
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
static _Atomic size_t xoverhead;    /* bytes of live trace nodes         */

/* ---- The frame stack (one per thread) ------------------------------------ */

typedef struct stack_frame {
    ft_frame f;
    size_t phase;                   /* its report row + 1; 0: not a phase */
} stack_frame;

typedef struct frame_stack {
    int depth;                      /* pushes minus pops (may pass MAX)   */
    ft_frame base;                  /* set_site with nothing pushed       */
    ft_frame site;                  /* FT_MALLOC's call site, or NULL     */
    stack_frame frames[FT_TRACE_STACK_MAX];
} frame_stack;

static _Thread_local frame_stack stack;

void ft_trace_push(const char *filename, int lineno)
{
    if (stack.depth < FT_TRACE_STACK_MAX)
        stack.frames[stack.depth] = (stack_frame){ { filename, lineno }, 0 };
    stack.depth++;
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
    if (stack.depth < FT_TRACE_STACK_MAX && stack.frames[stack.depth].phase)
        _ft_phase_end(stack.frames[stack.depth].phase);
}

void ft_trace_set_site(const char *filename, int lineno)
{
    if (stack.depth == 0)
        stack.base = (ft_frame){ filename, lineno };
    else if (stack.depth <= FT_TRACE_STACK_MAX)
        stack.frames[stack.depth - 1].f = (ft_frame){ filename, lineno };
}

void ft_trace_set_lineno(int lineno)
{
    if (stack.depth == 0)
        stack.base.lineno = lineno;
    else if (stack.depth <= FT_TRACE_STACK_MAX)
        stack.frames[stack.depth - 1].f.lineno = lineno;
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

/* ---- Nodes and counters ---------------------------------------------------- */

static size_t node_bytes(uint32_t nframes)
{
    return sizeof(ft_trace_node) + nframes * sizeof(ft_frame);
}

/* A node for a block of `size` bytes allocated now, or NULL. */
static ft_trace_node *new_node(uintptr_t addr, size_t size)
{
    ft_frame frames[FT_TRACE_MAX_FRAMES];
    int max = ft_atomic_load_relaxed(&xnframes);
    uint32_t n = capture(frames, max > 0 ? max : 1);
    ft_trace_node *node = malloc(node_bytes(n));   /* never traced itself */
    if (!node)
        return NULL;
    node->size = size;
    node->parked = false;
    node->nframes = n;
    memcpy(node->frames, frames, n * sizeof *frames);
    /* release: the fields above happen-before any lookup that matches
     * the address (its acquire, in the table files). */
    ft_atomic_store_release(&node->xaddr, addr);
    ft_atomic_add_relaxed(&xoverhead, node_bytes(n));
    return node;
}

/* A copy of old for the block at addr (old's traceback and size), or
 * NULL. */
static ft_trace_node *copy_node(const ft_trace_node *old, uintptr_t addr, bool parked)
{
    ft_trace_node *n = malloc(node_bytes(old->nframes));
    if (!n)
        return NULL;
    memcpy(n, old, node_bytes(old->nframes));
    n->parked = parked;
    ft_atomic_store_release(&n->xaddr, addr);   /* as in new_node */
    ft_atomic_add_relaxed(&xoverhead, node_bytes(old->nframes));
    return n;
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
    ft_atomic_add_relaxed(&xoverhead, -node_bytes(n->nframes));
    _ft_traces_retire(n);
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
        p = (call);                                  \
        stack.site = saved;                          \
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
    ft_atomic_store_relaxed(&xnframes, nframes);
    stack.base = (ft_frame){ NULL, 0 };
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
    forget_traces();
}

void ft_tracemalloc_clear_traces(void)
{
    if (ft_tracemalloc_is_tracing())
        forget_traces();
}

void _ft_tracemalloc_fini(void)
{
    ft_tracemalloc_stop();
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
    return ft_atomic_load_relaxed(&xoverhead);
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
    c->n = (int)node->nframes < c->max ? (int)node->nframes : c->max;
    memcpy(c->out, node->frames, (size_t)c->n * sizeof(ft_frame));
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
