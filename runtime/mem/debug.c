/* debug.c — the debug allocator: FT_MALLOC=debug, FT_MALLOC=<backend>,debug.
 *
 * After CPython's PYTHONMALLOC=debug hooks (Objects/obmalloc.c:
 * _PyMem_DebugRawAlloc, _PyMem_DebugCheckAddress,
 * _PyObject_DebugDumpAddress). It wraps any backend table: a request for n
 * bytes takes n + 64 bytes from the inner backend, laid out as
 *
 *   inner block (16-byte aligned, from the wrapped backend)
 *   +-------+-------+--------+------+-------+-------+-------+-----------+-------+
 *   | magic | state | serial | size | alloc | free  | front | user data | tail  |
 *   |       |       |        |      | site  | site  | guard |  n bytes  | guard |
 *   +-------+-------+--------+------+-------+-------+-------+-----------+-------+
 *   0       4       8        16     24      32      40      48          48+n  64+n
 *   <------------------ dbg_header, 48 bytes --------------> ^ returned: 16-byte
 *                                                              aligned as well
 *   guards       8 and 16 bytes of 0xFD, never to be written
 *   user data    0xCD when fresh (0 from calloc): reading it unset gives
 *                values no program expects, instead of a lucky zero
 *   freed data   0xDD; the block then waits in the quarantine
 *
 * Checks. Every free and realloc checks, in this order: the magic (no
 * magic: a pointer this allocator never returned), the state (freed: a
 * double free), the front guard and then the header behind it (underrun;
 * the size must fit the inner block before it is used), the tail guard
 * (overrun). A freed block is poisoned and kept in a FIFO quarantine of
 * at most DBG_QUARANTINE_BLOCKS blocks and DBG_QUARANTINE_BYTES bytes;
 * when it leaves (pushed out by later frees, or emptied by _ft_debug_flush
 * at ft_fini and ft_mem_collect) its poison and guards must be intact,
 * else something wrote to it after the free. Only then does the inner
 * backend get it back. A fault prints a report naming the block, its
 * size, its serial number and the call sites, dumps the bytes around the
 * damage, and aborts.
 *
 * Sites are return addresses recorded by mem.c in _ft_mem_site (the caller
 * of ft_malloc, ft_free, ...), symbolized with dladdr.
 *
 * Concurrency. Any thread may allocate and free (the nogil flavor frees
 * from many threads). quarantine.lock guards the ring and its counters,
 * and the state and free_site of every block handed to the user: the
 * LIVE -> FREED transition happens under it, so two racing frees of one
 * block are reported as a double free rather than both succeeding. A new
 * block's header is written without the lock: nobody else can see the
 * block yet. Lock order: quarantine.lock, then whatever the inner backend
 * takes; the inner backend never calls back into this file.
 */
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend.h"

enum {
    DBG_ALIGNMENT = 16,            /* what ftlab/mem.h promises callers    */
    DBG_FRONT_GUARD = 8,
    DBG_TAIL_GUARD = 16,
    DBG_QUARANTINE_BLOCKS = 1024,
    DBG_DUMP_BEFORE = 16,          /* bytes shown around a damaged byte    */
    DBG_DUMP_AFTER = 32,
};
#define DBG_QUARANTINE_BYTES ((size_t)4 << 20)

#define DBG_FORBIDDEN 0xFD         /* guards                               */
#define DBG_CLEAN     0xCD         /* fresh memory                         */
#define DBG_DEAD      0xDD         /* freed memory                         */
#define DBG_MAGIC     0xF7AB0D5Bu

typedef enum dbg_state { DBG_LIVE = 0x11FE, DBG_FREED = 0xDEAD } dbg_state;

typedef struct dbg_header {
    /* DBG_MAGIC mixed with the header's own address, so that a copy of a
     * header elsewhere (inside user data, say) is not taken for one. */
    uint32_t magic;
    uint32_t state;                /* dbg_state; see Concurrency           */
    uint64_t serial;               /* 1 for the process's first block      */
    size_t size;                   /* bytes the caller asked for           */
    const void *alloc_site;        /* caller of ft_malloc/calloc/realloc   */
    const void *free_site;         /* caller of the ft_free; NULL if live  */
    uint8_t front[DBG_FRONT_GUARD];/* DBG_FORBIDDEN                        */
} dbg_header;
_Static_assert(sizeof(dbg_header) % DBG_ALIGNMENT == 0,
               "user data must stay 16-byte aligned");
#define DBG_OVERHEAD (sizeof(dbg_header) + DBG_TAIL_GUARD)

/* The wrapped backend and the table that wraps it: written by
 * _ft_debug_allocator while no other thread uses the allocator. */
static struct {
    ft_allocator inner;
    ft_allocator table;            /* static: ft_init keeps a copy         */
    char name[32];                 /* "obmalloc,debug"                     */
} dbg;

static _Atomic uint64_t xserial;   /* relaxed: only uniqueness matters     */

/* Freed blocks on their way back to the inner backend, oldest at head. */
static struct {
    pthread_mutex_t lock;
    dbg_header *ring[DBG_QUARANTINE_BLOCKS];
    size_t head, count;
    size_t bytes;                  /* inner bytes of the blocks held       */
} quarantine = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* ---- Layout -------------------------------------------------------------- */

static uint32_t magic_of(const dbg_header *h)
{
    return DBG_MAGIC ^ (uint32_t)((uintptr_t)h >> 4);
}

static uint8_t *user_of(const dbg_header *h) { return (uint8_t *)(h + 1); }
static uint8_t *tail_of(const dbg_header *h) { return user_of(h) + h->size; }

/* The header of p, if p is a pointer this allocator returned; else NULL.
 * It reads in front of a pointer that may be anything (a stack address,
 * the middle of a block): ASan would stop at its redzones there before the
 * report could say what is wrong, so this read is not instrumented. */
__attribute__((no_sanitize_address, noinline))
static dbg_header *header_of(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    if (a % DBG_ALIGNMENT != 0 || a < sizeof(dbg_header))
        return NULL;
    dbg_header *h = (dbg_header *)(a - sizeof(dbg_header));
    return h->magic == magic_of(h) ? h : NULL;
}

/* First byte of [p, p + n) that is not v, or NULL. */
static const uint8_t *first_not(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return p + i;
    return NULL;
}

/* ---- Reports ------------------------------------------------------------- */

typedef enum dbg_fault_kind {
    DBG_OVERRUN, DBG_UNDERRUN, DBG_DOUBLE_FREE, DBG_FOREIGN, DBG_AFTER_FREE,
} dbg_fault_kind;

static const char *const fault_names[] = {
    [DBG_OVERRUN] = "buffer overrun",
    [DBG_UNDERRUN] = "buffer underrun",
    [DBG_DOUBLE_FREE] = "double free",
    [DBG_FOREIGN] = "free of a pointer not allocated by ftlab's allocator",
    [DBG_AFTER_FREE] = "write after free",
};

typedef struct dbg_fault {
    dbg_fault_kind kind;
    const void *ptr;               /* the pointer the caller passed        */
    const dbg_header *h;           /* its header; NULL if DBG_FOREIGN      */
    const uint8_t *bad;            /* first damaged byte; NULL if none     */
    const char *op;                /* "ft_free", "ft_realloc", "ft_fini"   */
    const void *site;              /* the caller of op; NULL if none       */
} dbg_fault;

/* "fn+0x1c (libfoo.so) [0x7f...]". dladdr names exported functions only;
 * a static one shows as object+offset, which addr2line takes. A site is a
 * return address: the call is the instruction just before it. */
static void print_site(const char *label, const void *site)
{
    Dl_info info;
    if (!site || !dladdr(site, &info) || !info.dli_fname) {
        fprintf(stderr, "  %-24s [%p]\n", label, site);
        return;
    }
    /* glibc names the main program "" */
    const char *obj = *info.dli_fname ? info.dli_fname : program_invocation_name;
    if (info.dli_sname)
        fprintf(stderr, "  %-24s %s+%#" PRIxPTR " (%s) [%p]\n", label,
                info.dli_sname, (uintptr_t)site - (uintptr_t)info.dli_saddr,
                obj, site);
    else
        fprintf(stderr, "  %-24s %s+%#" PRIxPTR " [%p]\n", label, obj,
                (uintptr_t)site - (uintptr_t)info.dli_fbase, site);
}

static void print_headline(const dbg_fault *f)
{
    if (!f->h) {
        fprintf(stderr, "ftlab debug allocator: %s: %p passed to %s [%s]\n",
                fault_names[f->kind], f->ptr, f->op, dbg.name);
        return;
    }
    fprintf(stderr, "ftlab debug allocator: %s: block %p of %zu bytes, "
            "serial %" PRIu64 " [%s]\n", fault_names[f->kind], f->ptr,
            f->h->size, f->h->serial, dbg.name);
}

/* What f->bad should hold, and the name of the part it lies in. */
static const char *part_of(const dbg_fault *f, int *expected)
{
    const dbg_header *h = f->h;
    *expected = DBG_FORBIDDEN;
    if (f->bad < h->front) {
        *expected = -1;
        return f->bad == (const uint8_t *)&h->size    ? "size in the block header"
             : f->bad == (const uint8_t *)&h->state   ? "state in the block header"
                                                      : "block header";
    }
    if (f->bad < user_of(h))
        return "guard before the block";
    if (f->bad >= tail_of(h))
        return "guard after the block";
    *expected = f->kind == DBG_AFTER_FREE ? DBG_DEAD : -1;
    return "block data";
}

static void print_damage(const dbg_fault *f)
{
    int expected;
    const char *part = part_of(f, &expected);
    ptrdiff_t off = (intptr_t)f->bad - (intptr_t)user_of(f->h);
    fprintf(stderr, "  the %s was written: byte %+td (%p) is 0x%02x",
            part, off, (const void *)f->bad, *f->bad);
    if (expected >= 0)
        fprintf(stderr, ", expected 0x%02x", expected);
    fputc('\n', stderr);
    if (f->kind == DBG_AFTER_FREE)
        fprintf(stderr, "  the block was freed, then written while it waited "
                "in the quarantine\n");
}

/* Prints [lo, hi), 16 bytes to a line, the damaged byte in brackets. */
static void dump_bytes(const uint8_t *lo, const uint8_t *hi, const uint8_t *bad)
{
    for (const uint8_t *line = lo; line < hi; line += 16) {
        fprintf(stderr, "    %p:", (const void *)line);
        for (const uint8_t *b = line; b < line + 16 && b < hi; b++) {
            if (b == bad)
                fprintf(stderr, " [%02x]", *b);
            else
                fprintf(stderr, " %02x", *b);
        }
        fputc('\n', stderr);
    }
}

/* The bytes around the damage, like _PyObject_DebugDumpAddress, kept
 * inside the inner block. The size field is trusted only if the damage
 * lies after the front guard: an underrun may have overwritten it. */
static void dump_around(const dbg_fault *f)
{
    const dbg_header *h = f->h;
    uintptr_t lo = (uintptr_t)h;
    uintptr_t hi = f->bad >= user_of(h) ? (uintptr_t)tail_of(h) + DBG_TAIL_GUARD
                                       : (uintptr_t)user_of(h) + DBG_TAIL_GUARD;
    uintptr_t from = ((uintptr_t)f->bad & ~(uintptr_t)15) - DBG_DUMP_BEFORE;
    uintptr_t to = ((uintptr_t)f->bad & ~(uintptr_t)15) + DBG_DUMP_AFTER;
    fprintf(stderr, "  bytes around it (the header is the 48 bytes before "
            "the block; guards are 0x%02x):\n", DBG_FORBIDDEN);
    dump_bytes((const uint8_t *)(from < lo ? lo : from),
               (const uint8_t *)(to > hi ? hi : to), f->bad);
}

static void print_sites(const dbg_fault *f)
{
    char label[64];
    if (f->h) {
        print_site("allocated at", f->h->alloc_site);
        if (f->h->state == DBG_FREED)
            print_site(f->kind == DBG_DOUBLE_FREE ? "first freed at" : "freed at",
                       f->h->free_site);
    }
    if (f->kind == DBG_AFTER_FREE)
        snprintf(label, sizeof label, "found by %s%s", f->op,
                 f->site ? " at" : "");
    else
        snprintf(label, sizeof label, "%s called%s at", f->op,
                 f->kind == DBG_DOUBLE_FREE ? " again" : "");
    print_site(label, f->site);
}

FT_COLD _Noreturn static void report(const dbg_fault *f)
{
    print_headline(f);
    if (f->kind == DBG_FOREIGN)
        fprintf(stderr, "  no block of this allocator starts there: a pointer "
                "into a block, to the stack, or from another allocator\n");
    if (f->kind == DBG_DOUBLE_FREE)
        fprintf(stderr, "  the block was already freed (it waits in the "
                "quarantine, poisoned with 0x%02x)\n", DBG_DEAD);
    if (f->bad) {
        print_damage(f);
        dump_around(f);
    }
    print_sites(f);
    fprintf(stderr, "ftlab debug allocator: aborting\n");
    abort();
}

/* ---- Checks ---------------------------------------------------------------- */

/* The header of p, or a report: p was never returned by this allocator. */
static dbg_header *checked_header(const void *p, const char *op, const void *site)
{
    dbg_header *h = header_of(p);
    if (ft_unlikely(!h))
        report(&(dbg_fault){ .kind = DBG_FOREIGN, .ptr = p, .op = op,
                             .site = site });
    return h;
}

/* Does the size field fit the inner block? Checked before the size is
 * used to find the tail: a wild write into the header must not send the
 * checks (or the dump) past the end of the block. */
static bool size_fits(const dbg_header *h)
{
    size_t room = dbg.inner.usable_size(dbg.inner.ctx, h);
    return room >= DBG_OVERHEAD && h->size <= room - DBG_OVERHEAD;
}

/* The first damaged byte of a live block's header and front guard, or
 * NULL. The guard comes first: an underrun reaches it before the header. */
static const uint8_t *damaged_front(const dbg_header *h)
{
    const uint8_t *bad = first_not(h->front, DBG_FRONT_GUARD, DBG_FORBIDDEN);
    if (!bad && h->state != DBG_LIVE)
        bad = (const uint8_t *)&h->state;
    if (!bad && !size_fits(h))
        bad = (const uint8_t *)&h->size;
    return bad;
}

/* Reports unless h is live with both guards intact. Caller holds
 * quarantine.lock, so the state cannot change under the check. */
static void check_live(const dbg_header *h, const char *op, const void *site)
{
    ft_assert_internal(_ft_mutex_is_held(&quarantine.lock));
    dbg_fault f = { .ptr = user_of(h), .h = h, .op = op, .site = site };
    if (h->state == DBG_FREED) {
        f.kind = DBG_DOUBLE_FREE;
    } else if ((f.bad = damaged_front(h))) {
        f.kind = DBG_UNDERRUN;
    } else if ((f.bad = first_not(tail_of(h), DBG_TAIL_GUARD, DBG_FORBIDDEN))) {
        f.kind = DBG_OVERRUN;
    } else {
        return;
    }
    report(&f);
}

/* The first byte of a quarantined block that differs from what its free
 * left, or NULL. */
static const uint8_t *damaged_since_free(const dbg_header *h)
{
    const uint8_t *bad = NULL;
    if (h->magic != magic_of(h) || h->state != DBG_FREED)
        bad = (const uint8_t *)h;
    else if (!size_fits(h))
        bad = (const uint8_t *)&h->size;
    if (!bad)
        bad = first_not(h->front, DBG_FRONT_GUARD, DBG_FORBIDDEN);
    if (!bad)
        bad = first_not(user_of(h), h->size, DBG_DEAD);
    if (!bad)
        bad = first_not(tail_of(h), DBG_TAIL_GUARD, DBG_FORBIDDEN);
    return bad;
}

/* Reports unless the quarantined block h is exactly as its free left it.
 * Caller holds quarantine.lock. */
static void check_quarantined(const dbg_header *h, const char *op,
                              const void *site)
{
    const uint8_t *bad = damaged_since_free(h);
    if (ft_unlikely(bad))
        report(&(dbg_fault){ .kind = DBG_AFTER_FREE, .ptr = user_of(h), .h = h,
                             .bad = bad, .op = op, .site = site });
}

/* ---- Quarantine ------------------------------------------------------------ */

/* Checks the oldest block and gives it back to the inner backend. From
 * here on a stale pointer to it is beyond these checks: the backend links
 * the block into a free list over the magic, or hands it out again. That
 * is what the quarantine delays. Caller holds quarantine.lock. */
static void quarantine_evict(const char *op, const void *site)
{
    ft_assert_internal(_ft_mutex_is_held(&quarantine.lock));
    dbg_header *h = quarantine.ring[quarantine.head];
    quarantine.head = (quarantine.head + 1) % DBG_QUARANTINE_BLOCKS;
    quarantine.count--;
    check_quarantined(h, op, site);
    quarantine.bytes -= h->size + DBG_OVERHEAD;
    dbg.inner.free(dbg.inner.ctx, h);
}

/* A block larger than the byte bound still enters, alone. Caller holds
 * quarantine.lock. */
static void quarantine_push(dbg_header *h, const char *op, const void *site)
{
    ft_assert_internal(_ft_mutex_is_held(&quarantine.lock));
    size_t bytes = h->size + DBG_OVERHEAD;
    while (quarantine.count == DBG_QUARANTINE_BLOCKS ||
           (quarantine.count > 0 &&
            quarantine.bytes + bytes > DBG_QUARANTINE_BYTES))
        quarantine_evict(op, site);
    size_t tail = (quarantine.head + quarantine.count) % DBG_QUARANTINE_BLOCKS;
    quarantine.ring[tail] = h;
    quarantine.count++;
    quarantine.bytes += bytes;
}

static void flush(const char *op)
{
    pthread_mutex_lock(&quarantine.lock);
    while (quarantine.count > 0)
        quarantine_evict(op, NULL);
    pthread_mutex_unlock(&quarantine.lock);
}

void _ft_debug_flush(const char *op) { flush(op); }

/* ---- The table -------------------------------------------------------------- */

static dbg_header *new_block(size_t n, bool zeroed)
{
    if (n > SIZE_MAX - DBG_OVERHEAD)
        return NULL;
    const ft_allocator *in = &dbg.inner;
    dbg_header *h = zeroed ? in->calloc(in->ctx, 1, n + DBG_OVERHEAD)
                           : in->malloc(in->ctx, n + DBG_OVERHEAD);
    if (!h)
        return NULL;
    ft_assert_internal((uintptr_t)h % DBG_ALIGNMENT == 0);
    *h = (dbg_header){
        .magic = magic_of(h), .state = DBG_LIVE, .size = n,
        .serial = ft_atomic_add_relaxed(&xserial, 1) + 1,
        .alloc_site = _ft_mem_site,
    };
    memset(h->front, DBG_FORBIDDEN, DBG_FRONT_GUARD);
    memset(tail_of(h), DBG_FORBIDDEN, DBG_TAIL_GUARD);
    return h;
}

static void *debug_malloc(void *ctx, size_t n)
{
    (void)ctx;
    dbg_header *h = new_block(n, false);
    if (!h)
        return NULL;
    memset(user_of(h), DBG_CLEAN, n);
    return user_of(h);
}

static void *debug_calloc(void *ctx, size_t count, size_t size)
{
    (void)ctx;
    size_t n;
    if (__builtin_mul_overflow(count, size, &n))
        return NULL;
    dbg_header *h = new_block(n, true);
    return h ? user_of(h) : NULL;
}

/* Checks h, poisons it and parks it in the quarantine. */
static void free_block(dbg_header *h, const char *op, const void *site)
{
    pthread_mutex_lock(&quarantine.lock);
    check_live(h, op, site);
    h->state = DBG_FREED;
    h->free_site = site;
    memset(user_of(h), DBG_DEAD, h->size);
    quarantine_push(h, op, site);
    pthread_mutex_unlock(&quarantine.lock);
}

static void debug_free(void *ctx, void *p)
{
    (void)ctx;
    if (!p)
        return;
    const void *site = _ft_mem_site;
    free_block(checked_header(p, "ft_free", site), "ft_free", site);
}

/* Always moves, so that the guards are rewritten around the new size and
 * a stale pointer to the old block lands in the quarantine. */
static void *debug_realloc(void *ctx, void *p, size_t n)
{
    if (!p)
        return debug_malloc(ctx, n);
    const void *site = _ft_mem_site;
    dbg_header *old = checked_header(p, "ft_realloc", site);
    pthread_mutex_lock(&quarantine.lock);
    check_live(old, "ft_realloc", site);   /* before anything is allocated */
    pthread_mutex_unlock(&quarantine.lock);
    void *q = debug_malloc(ctx, n);
    if (!q)
        return NULL;                       /* p stays valid, as realloc's  */
    memcpy(q, p, old->size < n ? old->size : n);
    free_block(old, "ft_realloc", site);
    return q;
}

/* The requested size, like CPython's debug hooks: a caller that relies on
 * the backend's rounding is relying on something the API does not promise.
 * 0 for a foreign pointer: the ft_free or ft_realloc that follows (mem.c
 * asks the size first) reports it. */
static size_t debug_usable_size(void *ctx, const void *p)
{
    (void)ctx;
    const dbg_header *h = header_of(p);
    return h ? h->size : 0;
}

const ft_allocator *_ft_debug_allocator(const ft_allocator *inner)
{
    flush("ft_init");   /* blocks of an earlier run belong to its backend */
    dbg.inner = *inner;
    snprintf(dbg.name, sizeof dbg.name, "%s,debug", inner->name);
    dbg.table = (ft_allocator){
        .name = dbg.name, .malloc = debug_malloc, .calloc = debug_calloc,
        .realloc = debug_realloc, .free = debug_free,
        .usable_size = debug_usable_size, .ctx = NULL,
    };
    return &dbg.table;
}
