/* nogil/gc.c — the nogil build's collector: state in ob_gc_bits, young
 * objects found through per-thread logs, old ones by walking the
 * allocator, every collection in a stop-the-world pause (after CPython's
 * Python/gc_free_threading.c, plus the young generation it lacks).
 *
 * Finding tracked objects without a list every allocation locks:
 *   - objects obmalloc serves come from the GC heap kind of their thread's
 *     heap set; a full collection walks every block of that kind in every
 *     set, those of exited threads included (_ft_heaps_visit);
 *   - the others (over 512 bytes, or FT_MALLOC=mimalloc/malloc/debug,
 *     whose heaps cannot be walked) carry a 16-byte pre-header and sit on
 *     one of STRIPES lists, each under its own lock. A thread links its
 *     objects into its own stripe (threads take stripes in turn, so two
 *     threads never share one until there are more than STRIPES), and the
 *     stripe is written in the object's ob_gc_bits, so that whoever frees
 *     it knows which lock to take. The locks are plain pthread mutexes:
 *     each is held only for a link or an unlink, never across a
 *     checkpoint, so a stopped thread never holds one.
 *
 * Generations, as in the gil build. An object tracked since the last
 * collection is in generation 0; one that has survived one generation-0
 * collection since the last collection of generation 1 or 2 is in
 * generation 1 (the *middle*); both carry FT_GC_BIT_YOUNG. Every other
 * tracked object is *old* (generation 2). A generation-0 collection
 * examines generation 0 only — references from the middle and old
 * objects count as external, as in the gil build — and its survivors
 * join the middle; a generation-1 collection examines generations 0 and
 * 1 and its survivors become old; a full one (generation 2) examines
 * everything not frozen and leaves nothing young. Without the middle a
 * garbage cycle that a generation-0 survivor closes waits for a full
 * collection, which the long-lived rule may hold back for the whole run
 * (deltablue: 14k such objects, 1.4x gil's peak memory).
 *
 * Young logs. The young objects are found without walking the heap and
 * without a link in the object: each thread appends to a log of its own
 *     born  every object it tracks (it becomes young), and
 *     gone  every young object it untracks (dying, parked, or untracked),
 * plain arrays written by their thread alone and read by the collector
 * with the world stopped. An entry of `born` may name a block that has
 * died since — freed, reused, its pool even re-carved after a grace
 * period — so the collector never reads an address from the logs before
 * it has cancelled it against `gone`: for every address p, over the logs
 * of all threads (those of exited threads too: a log outlives its thread
 * and is adopted by the next one),
 *
 *   (Y)  #middle(p) + #born(p) - #gone(p) = 1   if p is a tracked young
 *                                               (or middle) object
 *                                           = 0   otherwise
 *
 * where `middle` is the collector's set of the middle objects' addresses
 * (each address at most once), changed only with the world stopped: in a
 * generation-0 collection's pause every gone entry at an address of the
 * set takes that address out (the middle object there died or was
 * untracked) and the survivors go in, while the born and gone logs are
 * emptied; a generation-1 or full collection empties it. So an entry of
 * `middle` at p is older than every entry of `born` at p, and cancelling
 * `gone` against `middle` first, then against `born`, leaves each live
 * object in the log it belongs to. (Track of a young object appends once,
 * its untrack once; a block reused for a new object starts a new pair at
 * the same address.) So the young set is a multiset difference, computed
 * with a hash of what the middle did not take of `gone`, in time
 * proportional to the entries and the survivors — never to the middle
 * (a generation-1 collection alone goes through it) nor to the heap. A
 * thread compacts its own log (cancels its own pairs) whenever it
 * doubles, so a program that allocates and frees without collections
 * (gc.disable()) keeps only its live young objects logged; at an address
 * the set holds it keeps one gone entry, which the collector needs if the
 * middle object there died (it reads the set between pauses).
 *
 * Lost logs. When an append to `gone` fails (no memory), or a log stays
 * over LOG_LIMIT entries after compaction, (Y) can no longer be kept:
 * xlogs_lost is set, and the next collection is a full one whatever was
 * asked, which drops every log unread, clears every young bit (all of its
 * survivors are old) and so re-establishes (Y) with empty logs. Each
 * thread stops logging at its next slow append (log_append_slow), not at
 * once: the flag is read there, off the path of every track and untrack,
 * and the room a log had left is bounded by its compaction point. A
 * failed append to `born` only makes that object old at once (never
 * young, never logged), which keeps (Y).
 *
 * A collection:
 *
 *   stop the world
 *     merge every thread's queued refcounts (keeping the queued reference)
 *     gather: generation 0 — born minus what the middle leaves of gone,
 *       generation 1 — the middle and born, minus gone; full — the heap
 *       walk, the logs dropped
 *     analyse (ob_tid borrowed, then restored; the candidates lose their
 *       young bit as they enter — a generation-0 collection gives it
 *       back to its survivors, which become the middle) — a young
 *       collection in parallel, below —, take the garbage, clear weak
 *       references to it
 *   start the world
 *     drop the merged references (may free objects), weakref callbacks,
 *     finalizers
 *   if a finalizer ran: stop the world, keep what it resurrected, start
 *   tp_clear the rest (world running)
 *
 * Parallel analysis. The threads parked at a checkpoint while the world
 * is stopped would only wait; a young collection puts them to work
 * (internal/stw.h). The young set is gathered log by log, and each log's
 * young objects are one partition (a range of the candidate array;
 * exited threads' logs are partitions like the others). The gather
 * shares out what is per log too: each log's own born/gone pairs are
 * cancelled (cancel_pairs_stopped) once the middle has taken its gone
 * entries, and when nothing is left to cancel across logs — an object
 * made by one thread and dropped by another — each generation-0 range
 * is copied and entered by one participant (fill_ranges); only the
 * middle's removals, and what crosses logs, stay serial. In generation 1
 * a log's partition also holds the middle objects that survived among
 * its young ones (the middle set tags each with its log), so that what
 * one thread built before and after a generation-0 collection is still
 * analysed whole. The analysis
 * runs in three steps (internal/gc.h, "Partitions"): enter, mark, leave;
 * in each the collector and the helpers claim partitions (an atomic flag
 * each; a thread its own log's first, whose objects it made and likely
 * has in cache), and _ft_stw_run_parallel's return is the barrier
 * between two steps. Between mark and leave the collector alone marks what legacy
 * finalizers reach. Invariants:
 *   (P1) a step writes only its partition's entries and headers (the
 *        COLLECTING bit and ob_tid in enter and leave, the TRACKED bit of
 *        its own atomic tuples in leave — and, for one with a pre-header,
 *        its outside list, under the list's lock), and the claim counter;
 *   (P2) mark reads other partitions' headers, written only in enter and
 *        leave, so never at the same time;
 *   (P3) references from other partitions count as external: a cycle
 *        across threads' logs survives (it is old afterwards) and a full
 *        collection finds it; a cycle inside one thread's log is found as
 *        before. Garbage is closed under references (what it refers to in
 *        another partition is a root there), so the garbage sets of the
 *        partitions need no merging beyond taking them in order.
 * Only attached threads parked at a checkpoint help; detached ones never
 * run collector code. With one partition, or nobody parked to help (a
 * single thread, always), the analysis is the serial one over the whole
 * array, exact as before; nothing is posted and nobody is woken. Full
 * collections stay serial: their candidates come from a heap walk, in no
 * thread's order.
 *
 * Counts, as in the gil build (gil/gc.c) so that get_count/get_threshold
 * mean the same: count 0 is tracked minus untracked objects since the
 * last collection, count 1 the young collections since the last of
 * generation 1 or 2, count 2 the generation-1 collections since the last
 * full one, and a full collection waits, besides its threshold, until the
 * objects that became old since the last full one exceed a quarter of
 * those it left (CPython's long-lived rule; a generation-1 collection
 * adds its survivors, which become old). Each thread
 * buffers its count 0 (never below zero) in its log and adds it to the
 * global one every FLUSH objects (fewer for a small threshold: a budget
 * in its log, counted down by each track and sized at each flush); the
 * thread whose flush crosses threshold 0 asks itself to collect at its
 * next checkpoint, where _ft_gc_due_generation picks the generation.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal/gc.h"
#include "internal/object.h"
#include "internal/stw.h"
#include "internal/tstate.h"
#include "mem/backend.h"
#include "mem/heap.h"

/* STRIPES is 2: ob_gc_bits has one bit for the stripe (bit 6), the other
 * holds FT_GC_BIT_YOUNG. */
enum { FLUSH = 512, STRIPES = 2 };
/* A log compacts itself when it reaches twice its size after the last
 * compaction (at least LOG_COMPACT_MIN entries); past LOG_LIMIT entries
 * after one, the logs are lost (a full collection rebuilds them). */
enum { LOG_COMPACT_MIN = 4096, LOG_LIMIT = 1 << 20, LOG_SHRINK = 1 << 16 };

typedef struct outside_list {
    pthread_mutex_t lock;
    ft_gc_head head;                       /* circular; lock             */
} outside_list;

static outside_list outside[STRIPES] = {
    [0 ... STRIPES - 1] = { .lock = PTHREAD_MUTEX_INITIALIZER },
};
static _Atomic unsigned xnext_stripe;      /* handed to threads in turn  */
static _Atomic int64_t xyoung_count;       /* count 0, flushed by threads */
/* Counts 1 and 2 (index 0 unused): written by the collector, read by
 * ft_gc_get_count on any thread. */
static _Atomic int xgen_count[FT_GC_GENERATIONS];
/* CPython's long-lived rule. Only the collector (holding _ft_gc's
 * xcollecting) writes them; the trigger (gate_open) also reads the total
 * on any thread whose flush crosses threshold 0, hence atomic (relaxed:
 * a stale total only moves one decision by one flush). */
static ssize_t long_lived_pending;
static _Atomic int64_t xlong_lived_total;

/* ---- The outside lists ---------------------------------------------------- */

static ft_gc_head *next_of(ft_gc_head *h) { return (ft_gc_head *)h->next; }
static ft_gc_head *prev_of(ft_gc_head *h) { return (ft_gc_head *)h->prev; }
static ft_object *object_of(ft_gc_head *h) { return (ft_object *)(h + 1); }

static unsigned stripe_of(ft_object *o)
{
    return ((unsigned)o->ob_gc_bits >> FT_GC_STRIPE_SHIFT) & (STRIPES - 1);
}

/* The calling thread's stripe, taken on first use. */
static unsigned my_stripe(void)
{
    ft_tstate *ts = _ft_tstate_get();
    if (!ts)
        return 0;
    if (!ts->gc_stripe)   /* stored + 1: 0 means "none yet" */
        ts->gc_stripe = (uint8_t)(ft_atomic_add_relaxed(&xnext_stripe, 1) % STRIPES + 1);
    return ts->gc_stripe - 1u;
}

/* Out of line: most tracked objects have no pre-header, and inlined
 * these made _ft_gc_track and _ft_gc_untrack save registers on every
 * call. */
static FT_NOINLINE void outside_link(ft_object *o)
{
    outside_list *l = &outside[stripe_of(o)];
    ft_gc_head *h = _ft_gc_head_of(o);
    pthread_mutex_lock(&l->lock);
    ft_gc_head *last = prev_of(&l->head);
    h->next = (uintptr_t)&l->head;
    h->prev = (uintptr_t)last;
    last->next = (uintptr_t)h;
    l->head.prev = (uintptr_t)h;
    pthread_mutex_unlock(&l->lock);
}

static FT_NOINLINE void outside_unlink(ft_object *o)
{
    outside_list *l = &outside[stripe_of(o)];
    ft_gc_head *h = _ft_gc_head_of(o);
    pthread_mutex_lock(&l->lock);
    prev_of(h)->next = h->next;
    next_of(h)->prev = h->prev;
    h->next = h->prev = 0;
    pthread_mutex_unlock(&l->lock);
}

/* World stopped: nobody links or unlinks. */
static void outside_for_each(void (*fn)(ft_object *, void *), void *arg)
{
    for (int s = 0; s < STRIPES; s++) {
        ft_gc_head *list = &outside[s].head;
        for (ft_gc_head *h = next_of(list), *n; h != list; h = n) {
            n = next_of(h);   /* fn may untrack h */
            fn(object_of(h), arg);
        }
    }
}

/* ---- Young logs ---------------------------------------------------------- */

/* An array of addresses. LOG_PAD null entries lie before p[0] (an empty
 * log's p points past log_none's), so that log_gone's window always has
 * entries to read, and a track or untrack never tests how many there
 * are. The owner appends up to `lim` without looking further: log_limits
 * keeps lim <= cap, and the two logs' lims together below compact_at, so
 * one compare says there is room and no compaction is due. */
enum { LOG_PAD = 8 };

typedef struct ptr_log {
    ft_object **p;
    size_t n, lim, cap;
} ptr_log;

static ft_object *log_none[LOG_PAD];   /* stays null: never written through
                                          (lim = cap = 0, and no object is
                                          at address 0 for a cancel)      */

typedef struct young_log {
    ptr_log born, gone;          /* the owner appends; the collector reads
                                    and empties them, world stopped       */
    /* The owner's count 0 (see "Counts"): tracks left before it adds it
     * to the global one, and the budget it had then (batch - budget is
     * the count not yet added). In the log, not in the thread state: the
     * track that decrements it has the log at hand already, and a thread
     * state would be a second thread-local to load on every track and
     * untrack. World stopped, the collector resets budget to batch. */
    int32_t budget, batch;
    size_t compact_at;           /* born.n + gone.n that compacts (owner) */
    struct addr_slot *cslot;     /* log_compact's hash, kept from one
                                    compaction to the next; every slot zero
                                    between two (owner)                   */
    size_t cslots;               /* its slots (0: none)                   */
    uint32_t *cused;             /* after them, in the same allocation:
                                    the slots a compaction filled (owner) */
    struct young_log *all_next;  /* registry, never unlinked (log_lock)   */
    bool in_use;                 /* a live thread's (log_lock)            */
    uint8_t tag;                 /* which middle entries are this log's
                                    (mid_set); set when made (log_lock)   */
} young_log;

/* A thread without a log points at log_off rather than NULL: its arrays
 * are log_none's padding with no room (n = lim = cap = 0) and its budget
 * and batch 0, so a track or untrack finds no room and takes its slow
 * path, which sees log_off (my_log) and attaches a log, without a test of
 * the pointer on the usual path. Never written: every write to a log is
 * behind a room test (an append, the budget's flush) or a cancel, which
 * finds nothing in the padding. */
static young_log log_off = {
    .born = { .p = log_none + LOG_PAD },
    .gone = { .p = log_none + LOG_PAD },
};

/* Initial-exec TLS: the runtime is never dlopen'ed, and this is on every
 * track and on every untrack of a young object. Never NULL (log_off). */
static _Thread_local young_log *tls_log __attribute__((tls_model("initial-exec"))) = &log_off;

/* The calling thread's log, NULL when it has none. */
static young_log *my_log(void)
{
    young_log *l = tls_log;
    return l == &log_off ? NULL : l;
}
/* Guards the registry and in_use. Held only to adopt, create or release
 * a log (never across a checkpoint) and by the collector to go through
 * the registry; the owner's appends take no lock. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static young_log *all_logs;
static pthread_key_t log_key;
static pthread_once_t log_once = PTHREAD_ONCE_INIT;
/* (Y) does not hold: the next collection is full. Relaxed: set by any
 * thread, read and cleared by the collector with the world stopped (the
 * stop orders it). */
static _Atomic bool xlogs_lost;
/* Each slot holds an address | the tag of the log among whose young
 * objects it survived (young_log.tag), in the four low bits that 16-byte
 * alignment leaves free: a generation-1 collection puts every middle
 * object back with the rest of its thread's objects, in one partition
 * (gather_gen1_by_tag). Logs past the fifteenth share the last tag, and a
 * partition of theirs mixes threads — sound, as any partition is
 * (internal/gc.h, "Partitions"). The hash ignores the tag (addr_hash
 * shifts the low bits out). */
enum { MID_TAGS = 16, MID_TAG_MASK = MID_TAGS - 1 };

static inline ft_object *mid_obj(uintptr_t v)
{
    return (ft_object *)(v & ~(uintptr_t)MID_TAG_MASK);
}
static inline unsigned mid_tag(uintptr_t v) { return (unsigned)(v & MID_TAG_MASK); }

/* The middle (generation 1): the addresses of the objects that survived
 * a generation-0 collection since the last collection of generation 1 or
 * 2, and of the dead among them until the next collection cancels them
 * against `gone` — a set (each address once: they were distinct live
 * objects when they joined). Open addressing, linear probing, 0 for an
 * empty slot, at most 3/4 full. Changed only by the collector with the
 * world stopped; between two pauses any attached thread may read it
 * (log_compact), the stop and the start ordering those reads. Each
 * entry carries its log's tag (above). */
typedef struct mid_set {
    uintptr_t *slot;         /* 0: empty */
    size_t mask;     /* slots - 1 (0: no table) */
    size_t n;
    size_t n_tag[MID_TAGS];  /* of n, the entries of each tag */
    unsigned shift;  /* 64 - log2(slots) */
} mid_set;
static mid_set middle;

/* pthread key destructor: the log stays in the registry, full, for the
 * collector and for the next thread to adopt. Its count not yet added
 * goes to the global one (no collection is asked for: the thread is
 * leaving), and the next owner starts as a new thread does, with a budget
 * of 0 (its first track flushes). Under log_lock, as the collector resets
 * the budgets (reset_counts_stopped): a leaving thread is detached, so a
 * stopped world does not keep it from running this. */
static void log_release(void *arg)
{
    young_log *l = arg;
    pthread_mutex_lock(&log_lock);
    ft_atomic_add_relaxed(&xyoung_count, (int64_t)(l->batch - l->budget));
    l->batch = l->budget = 0;
    l->in_use = false;
    pthread_mutex_unlock(&log_lock);
    if (tls_log == l)
        tls_log = &log_off;
}

/* fork: a log_lock held by another thread at fork() would stay held in
 * the child. */
static void log_fork_prepare(void) { pthread_mutex_lock(&log_lock); }
static void log_fork_parent(void) { pthread_mutex_unlock(&log_lock); }
static void mem_fork_child(void);
static void log_fork_child(void)
{
    pthread_mutex_init(&log_lock, NULL);
    mem_fork_child();
}

static void log_once_init(void)
{
    pthread_key_create(&log_key, log_release);
    pthread_atfork(log_fork_prepare, log_fork_parent, log_fork_child);
}

/* The calling thread's log: adopts a released one, else makes one. NULL
 * when no memory is left. */
static FT_NOINLINE young_log *log_attach(void)
{
    pthread_once(&log_once, log_once_init);
    pthread_mutex_lock(&log_lock);
    young_log *l = all_logs;
    while (l && l->in_use)
        l = l->all_next;
    if (!l && (l = calloc(1, sizeof *l))) {
        static unsigned made;   /* log_lock */
        l->born.p = l->gone.p = log_none + LOG_PAD;
        l->compact_at = LOG_COMPACT_MIN;   /* lims 0: the first append
                                              sizes them (log_append_slow) */
        l->tag = (uint8_t)(made < MID_TAG_MASK ? made : MID_TAG_MASK);
        made++;
        l->all_next = all_logs;
        all_logs = l;
    }
    if (l)
        l->in_use = true;
    pthread_mutex_unlock(&log_lock);
    if (!l)
        return NULL;
    tls_log = l;
    pthread_setspecific(log_key, l);
    return l;
}

static bool log_push(ptr_log *a, ft_object *o)
{
    if (ft_unlikely(a->n == a->cap)) {
        size_t cap = a->cap ? 2 * a->cap : 256;
        ft_object **block = a->cap ? a->p - LOG_PAD : NULL;
        ft_object **p = realloc(block, (LOG_PAD + cap) * sizeof *p);
        if (!p)
            return false;
        if (!block)
            memset(p, 0, LOG_PAD * sizeof *p);
        a->p = p + LOG_PAD;
        a->cap = cap;
    }
    a->p[a->n++] = o;
    return true;
}

/* Empties a log (no room until log_limits); a large array goes back to
 * the system. */
static void log_clear(ptr_log *a)
{
    a->n = a->lim = 0;
    if (a->cap > LOG_SHRINK) {
        free(a->p - LOG_PAD);
        *a = (ptr_log){ .p = log_none + LOG_PAD };
    }
}

/* The owner's room to append without log_append_slow: each lim within its
 * array, and the two together one short of compact_at, so that the append
 * that reaches compact_at is a slow one, which compacts. gone gets at most
 * half of what is left, born the rest: whichever side runs out first comes
 * back here with the room left, so a compaction period costs a few slow
 * appends more (one per halving), not one per append. Cancels in log_gone
 * lower born.n and leave its lim: the sum stays bounded. */
static void log_limits(young_log *l)
{
    size_t total = l->born.n + l->gone.n;
    size_t room = l->compact_at > total + 1 ? l->compact_at - total - 1 : 0;
    size_t g = l->gone.cap - l->gone.n;
    if (g > room / 2)
        g = room / 2;
    size_t b = l->born.cap - l->born.n;
    if (b > room - g)
        b = room - g;
    l->gone.lim = l->gone.n + g;
    l->born.lim = l->born.n + b;
}

static void lose_logs(young_log *l)
{
    ft_atomic_store_relaxed(&xlogs_lost, true);
    if (l) {
        log_clear(&l->born);
        log_clear(&l->gone);
    }
}

/* A multiset of addresses: open addressing, linear probing. `mark` is
 * log_compact's. */
typedef struct addr_slot {
    ft_object *key;
    uint32_t count, mark;
} addr_slot;

typedef struct addr_set {
    addr_slot *slot;
    size_t mask;
    unsigned shift;
} addr_set;

static bool addr_set_init(addr_set *s, size_t n)
{
    unsigned bits = 4;
    while (((size_t)1 << bits) < 2 * n)
        bits++;
    s->slot = calloc((size_t)1 << bits, sizeof *s->slot);
    s->mask = ((size_t)1 << bits) - 1;
    s->shift = 64 - bits;
    return s->slot != NULL;
}

/* Fibonacci hashing of the 16-byte-aligned address into 2^(64 - shift)
 * slots. */
static inline size_t addr_hash(const ft_object *p, unsigned shift)
{
    return (size_t)((((uint64_t)(uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull) >> shift);
}

static addr_slot *addr_find(addr_set *s, ft_object *p)
{
    size_t i = addr_hash(p, s->shift);
    while (s->slot[i].key && s->slot[i].key != p)
        i = (i + 1) & s->mask;
    return &s->slot[i];
}

static void addr_add(addr_set *s, ft_object *p)
{
    addr_slot *e = addr_find(s, p);
    e->key = p;
    e->count++;
}

/* The collector's set of gone addresses (logged_young), kept from one
 * collection to the next (only the collector uses it, one collection at a
 * time): a set the size of a young collection's is over the system
 * allocator's mmap threshold, and a fresh mapping per collection costs a
 * page fault per page. Shrinks back when a collection needed an unusually
 * large one. A slot belongs to the current collection only when its
 * `mark` is dead_epoch, so that starting a collection's set costs no
 * clearing (it was a memset of 32 to 64 bytes per gone entry, every
 * collection); the table is cleared only when made and when the epoch
 * wraps. */
static addr_slot *dead_cache;
static size_t dead_cache_slots;
static uint32_t dead_epoch;

static bool dead_set_init(addr_set *s, size_t n)
{
    unsigned bits = 4;
    while (((size_t)1 << bits) < 2 * n)
        bits++;
    size_t slots = (size_t)1 << bits;
    if (slots > dead_cache_slots || dead_cache_slots > 4 * slots + (1u << 16)) {
        free(dead_cache);
        dead_cache_slots = 0;
        if (!(dead_cache = calloc(slots, sizeof *dead_cache)))
            return false;
        dead_cache_slots = slots;
    }
    if (++dead_epoch == 0) {   /* wrapped: stale marks could match again */
        memset(dead_cache, 0, dead_cache_slots * sizeof *dead_cache);
        dead_epoch = 1;
    }
    s->slot = dead_cache;
    s->mask = slots - 1;
    s->shift = 64 - bits;
    return true;
}

/* addr_find in the dead set: a slot of another epoch is empty. */
static inline addr_slot *dead_find(addr_set *s, ft_object *p)
{
    size_t i = addr_hash(p, s->shift);
    while (s->slot[i].mark == dead_epoch && s->slot[i].key != p)
        i = (i + 1) & s->mask;
    return &s->slot[i];
}

static void dead_add(addr_set *s, ft_object *p)
{
    addr_slot *e = dead_find(s, p);
    if (e->mark != dead_epoch)
        *e = (addr_slot){ .key = p, .count = 0, .mark = dead_epoch };
    e->count++;
}

/* Takes one p out; false when there is none. */
static bool dead_take(addr_set *s, ft_object *p)
{
    addr_slot *e = dead_find(s, p);
    if (e->mark != dead_epoch || e->count == 0)
        return false;
    e->count--;
    return true;
}

/* The same for a set made by addr_set_init. */
static bool addr_take(addr_set *s, ft_object *p)
{
    addr_slot *e = addr_find(s, p);
    if (!e->key || e->count == 0)
        return false;
    e->count--;
    return true;
}

/* ---- The middle set ------------------------------------------------------- */

/* Above this many slots an emptied middle gives its table back. */
enum { MID_KEEP_SLOTS = 1 << 15 };

/* A loop of middle-set probes over many addresses (the gather's removals,
 * keep_survivors' additions) asks for the slot of the address AHEAD
 * entries on: a probe lands on a random slot of a table that outgrows
 * the caches (bintrees: tens of thousands of entries), and those misses
 * were a third of the collector's own instructions' time in the pause
 * (perf, bintrees 1 thread). A hint only: the slot may move before it is
 * read (a removal shifts entries back), which costs a miss, nothing else.
 * Always inline: to gcc a prefetch has no side effect, so a function whose
 * only effect is one is "pure", and a call to it that is not inlined
 * first is deleted as dead code (seen with a second helper of this kind:
 * its loops had no prefetch at all until it was always_inline). */
enum { MID_PREFETCH_AHEAD = 8 };

static ft_always_inline void mid_prefetch(const uintptr_t *slot, unsigned shift, const ft_object *p)
{
    /* The address in integers: slot is NULL while the middle has no
     * table (keep_survivors with nothing to keep), and indexing a null
     * pointer is undefined even where a prefetch, which never faults,
     * would do no harm (UBSan in the gcstress preset). */
    uintptr_t at = (uintptr_t)slot + addr_hash(p, shift) * sizeof *slot;
    __builtin_prefetch((const void *)at, 1);
}

/* Whether p is in the middle. Any attached thread between pauses, or the
 * collector with the world stopped. */
static bool mid_has(const ft_object *p)
{
    if (!middle.n)
        return false;
    for (size_t i = addr_hash(p, middle.shift);; i = (i + 1) & middle.mask) {
        if (mid_obj(middle.slot[i]) == p)
            return true;
        if (!middle.slot[i])
            return false;
    }
}

/* v: an address | its tag. */
static void mid_put(uintptr_t *slot, size_t mask, unsigned shift, uintptr_t v)
{
    size_t i = addr_hash(mid_obj(v), shift);
    while (slot[i])
        i = (i + 1) & mask;
    slot[i] = v;
}

/* World stopped: room for `more` additions at most 3/4 full, the table
 * grown once to fit them all; false when there is no memory for it. */
static bool mid_reserve_stopped(size_t more)
{
    size_t slots = middle.slot ? middle.mask + 1 : 0;
    if (4 * (middle.n + more) <= 3 * slots)
        return true;
    unsigned bits = slots ? 64 - middle.shift + 1 : 10;
    while (((size_t)3 << bits) < 4 * (middle.n + more))
        bits++;
    size_t grown = (size_t)1 << bits;
    uintptr_t *t = calloc(grown, sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < slots; i++)
        if (middle.slot[i])
            mid_put(t, grown - 1, 64 - bits, middle.slot[i]);
    free(middle.slot);
    middle.slot = t;
    middle.mask = grown - 1;
    middle.shift = 64 - bits;
    return true;
}

/* World stopped: p (not in the set) added with `tag`; false when there
 * is no memory to grow the table. */
static bool mid_add_stopped(ft_object *p, unsigned tag)
{
    if (!mid_reserve_stopped(1))
        return false;
    mid_put(middle.slot, middle.mask, middle.shift, (uintptr_t)p | tag);
    middle.n++;
    middle.n_tag[tag]++;
    return true;
}

/* World stopped: p taken out of the set; false when it was not in it.
 * Deletion by backward shift (no tombstones): every entry after the hole,
 * up to the next empty slot, whose home slot does not lie cyclically in
 * (hole, its slot] moves into the hole. */
static bool mid_remove_stopped(const ft_object *p)
{
    if (!middle.n)
        return false;
    size_t i = addr_hash(p, middle.shift);
    while (mid_obj(middle.slot[i]) != p) {
        if (!middle.slot[i])
            return false;
        i = (i + 1) & middle.mask;
    }
    middle.n_tag[mid_tag(middle.slot[i])]--;
    for (size_t j = (i + 1) & middle.mask; middle.slot[j]; j = (j + 1) & middle.mask) {
        size_t home = addr_hash(mid_obj(middle.slot[j]), middle.shift);
        if (((j - home) & middle.mask) >= ((j - i) & middle.mask)) {
            middle.slot[i] = middle.slot[j];
            i = j;
        }
    }
    middle.slot[i] = 0;
    middle.n--;
    return true;
}

/* World stopped: the middle emptied (a large table freed). */
static void mid_clear_stopped(void)
{
    if (middle.slot && middle.mask + 1 > MID_KEEP_SLOTS) {
        free(middle.slot);
        middle = (mid_set){ 0 };
    } else if (middle.n) {
        memset(middle.slot, 0, (middle.mask + 1) * sizeof *middle.slot);
        middle.n = 0;
        memset(middle.n_tag, 0, sizeof middle.n_tag);
    }
}

/* Above this many slots a compaction's hash does not outlive the next
 * collection (logs_reset_stopped). */
enum { COMPACT_KEEP_SLOTS = 1 << 14 };

/* log_compact's hash: a multiset of addresses at most 2/3 full (a
 * compaction's probes mostly hit), `mark` as below. The log keeps its
 * table, all zero, from one compaction to the next: a fresh one per
 * compaction was a calloc and a memset of 32 to 48 bytes per hashed
 * entry, a third of what a compaction cost (tuple-churn: 41M of 132M
 * instructions). It is remade when too small, or when much larger than
 * this compaction needs, so that one large compaction does not leave a
 * table that every later compaction would have to clear. Only the first
 * 2^bits slots are used; the compaction zeroes them again (compact_by_gone
 * as it reads them, compact_clear otherwise). */
static bool compact_set_init(young_log *l, addr_set *s, size_t n)
{
    unsigned bits = 4;
    while (((size_t)1 << bits) * 2 < 3 * n)
        bits++;
    size_t slots = (size_t)1 << bits;
    if (slots > l->cslots || l->cslots > 4 * slots + COMPACT_KEEP_SLOTS) {
        free(l->cslot);
        l->cslots = 0;
        /* The slots, then room for an index of every slot (cused). */
        size_t bytes = slots * (sizeof *l->cslot + sizeof *l->cused);
        if (!(l->cslot = calloc(1, bytes)))
            return false;
        l->cslots = slots;
        l->cused = (uint32_t *)(l->cslot + slots);
    }
    s->slot = l->cslot;
    s->mask = slots - 1;
    s->shift = 64 - bits;
    return true;
}

/* The slots a compaction used, zero again (when compact_by_gone did not). */
static void compact_clear(addr_set *s)
{
    memset(s->slot, 0, (s->mask + 1) * sizeof *s->slot);
}

/* An address's slot in log_compact's hash: `count` entries of the hashed
 * side (still to cancel, when gone is hashed); `mark` bit 0 set once the
 * middle was looked up, bit 1 when the middle holds the address (one gone
 * entry there is reserved), the rest (when born is hashed) the pairs
 * cancelled there. */
enum { MARK_LOOKED = 1, MARK_MIDDLE = 2, MARK_PAIR = 4 };

static bool compact_reserved(addr_slot *e, bool reserve)
{
    if (!reserve)
        return false;
    if (!(e->mark & MARK_LOOKED))
        e->mark |= MARK_LOOKED | (mid_has(e->key) ? MARK_MIDDLE : 0);
    return e->mark & MARK_MIDDLE;
}

/* Gone hashed, born probing: each cancelled pair takes one from its
 * slot's count, and gone is rebuilt from what the counts leave (no
 * probes; gone's order does not matter), which zeroes the table. The
 * rebuild goes through the slots the hashing filled, listed in l->cused
 * as it fills them, not through the whole table: at most 2/3 full and
 * rounded up to a power of two, the table has 1.5 to 3 slots per entry,
 * and scanning it was a third of a compaction's instructions. The middle
 * is looked up only where a pair would take an address's last gone
 * entry. */
static void compact_by_gone(young_log *l, addr_set *s, bool reserve)
{
    ptr_log *gone = &l->gone, *born = &l->born;
    uint32_t *used = l->cused;   /* < 2^23 slots (LOG_LIMIT): 32 bits do */
    size_t nused = 0;
    for (size_t i = 0; i < gone->n; i++) {
        addr_slot *e = addr_find(s, gone->p[i]);
        if (!e->key) {
            e->key = gone->p[i];
            used[nused++] = (uint32_t)(e - s->slot);
        }
        e->count++;
    }
    size_t kept = 0;
    for (size_t i = 0; i < born->n; i++) {
        ft_object *p = born->p[i];
        addr_slot *e = addr_find(s, p);
        if (e->count > 1 || (e->count == 1 && !compact_reserved(e, reserve)))
            e->count--;
        else
            born->p[kept++] = p;
    }
    born->n = kept;
    size_t n = 0;
    for (size_t k = 0; k < nused; k++) {
        addr_slot *e = &s->slot[used[k]];
        for (uint32_t c = 0; c < e->count; c++)
            gone->p[n++] = e->key;
        *e = (addr_slot){ 0 };
    }
    gone->n = n;
}

/* Born hashed, gone probing (born keeps its order: the newest last, for
 * log_gone's window): the pairs cancelled at an address are counted in
 * its mark, then born drops that many of its entries there. A probing
 * gone entry is the reserved one when it comes first at its address. */
static void compact_by_born(young_log *l, addr_set *s, bool reserve)
{
    ptr_log *gone = &l->gone, *born = &l->born;
    for (size_t i = 0; i < born->n; i++)
        addr_add(s, born->p[i]);
    size_t kept = 0;
    for (size_t i = 0; i < gone->n; i++) {
        ft_object *p = gone->p[i];
        addr_slot *e = addr_find(s, p);
        if (!e->key || (!(e->mark & MARK_LOOKED) && compact_reserved(e, reserve)) ||
            e->mark / MARK_PAIR >= e->count)
            gone->p[kept++] = p;
        else
            e->mark += MARK_PAIR;
    }
    gone->n = kept;
    kept = 0;
    for (size_t i = 0; i < born->n; i++) {
        addr_slot *e = addr_find(s, born->p[i]);
        if (e->mark >= MARK_PAIR)
            e->mark -= MARK_PAIR;
        else
            born->p[kept++] = born->p[i];
    }
    born->n = kept;
    compact_clear(s);
}

/* Cancels l's own born/gone pairs; reads no object. Entries at one
 * address are interchangeable, so what (Y) needs is counts — except, with
 * `reserve`, at an address the middle holds: when the middle object there
 * is dead, some log must still hold a gone entry at it for the collector
 * to cancel it with (it cancels the middle first), so a log keeps one
 * gone entry at such an address, while a born entry cancelled with any of
 * the others leaves the difference born minus gone as it was. Without it
 * (the collector, once the middle has taken its gone entries) every pair
 * cancels, and the middle is not read. The smaller side is hashed (born
 * when the middle's objects die: their gone entries have no born partner;
 * either in a steady churn), the other probes it. Run by the owner, or
 * with the world stopped by whichever participant claimed l. */
static void cancel_pairs(young_log *l, bool reserve)
{
    bool by_gone = l->gone.n < l->born.n;
    addr_set s;
    if (l->gone.n && l->born.n &&
        compact_set_init(l, &s, by_gone ? l->gone.n : l->born.n)) {
        if (by_gone)
            compact_by_gone(l, &s, reserve);
        else
            compact_by_born(l, &s, reserve);
    }
}

/* The owner's compaction, between pauses: its pairs cancelled, keeping a
 * gone entry where the middle holds the address (cancel_pairs); the logs
 * lost if it stays too long. */
static void log_compact(young_log *l)
{
    cancel_pairs(l, middle.n != 0);
    size_t n = l->born.n + l->gone.n;
    if (n > LOG_LIMIT)
        lose_logs(l);
    l->compact_at = n * 2 > LOG_COMPACT_MIN ? n * 2 : LOG_COMPACT_MIN;
}

/* log_append's slow path: an array to grow, a compaction due, or the
 * logs lost. A compaction after the push cancels pairs inside the log,
 * which leaves (Y) as it was. Lost logs are noticed here, not on every
 * track and untrack: lose_logs leaves its own log no room, so its thread
 * comes here at once, and every other thread within the room it had,
 * which compact_at bounds. What they log in between is harmless — the
 * next collection is full and drops every log unread (gather_full) —
 * and what they mark young is made old by its walk. */
static FT_NOINLINE bool log_append_slow(young_log *l, bool born, ft_object *o)
{
    if (ft_atomic_load_relaxed(&xlogs_lost)) {
        lose_logs(l);   /* this log too, if it still held entries */
        return false;
    }
    if (!log_push(born ? &l->born : &l->gone, o)) {
        if (!born)
            lose_logs(l);
        return false;
    }
    if (l->born.n + l->gone.n >= l->compact_at)
        log_compact(l);
    if (!ft_atomic_load_relaxed(&xlogs_lost))   /* log_compact may lose them */
        log_limits(l);
    return true;
}

/* Appends o to l's born or gone log; false when it could not. The fast
 * path is a compare and a store (log_limits). */
static inline bool log_append(young_log *l, bool born, ft_object *o)
{
    ptr_log *a = born ? &l->born : &l->gone;
    if (ft_likely(a->n < a->lim)) {
        a->p[a->n++] = o;
        return true;
    }
    return log_append_slow(l, born, o);
}

/* Cancels a young o untracked against l's born log (the calling
 * thread's); false when o is not among its last entries. (Y) counts born
 * minus gone per address, so taking one of o's born entries out of this
 * thread's own log is the same as logging o gone — and most young objects
 * die on the thread that made them within its last few allocations
 * (temporaries, a call's frame), so the log neither grows nor needs
 * compacting for them. Reads no object; the order of a log does not
 * matter (a multiset). */
static inline bool log_cancel(young_log *l, ft_object *o)
{
    enum { CANCEL_WINDOW = 8 };
    _Static_assert((int)CANCEL_WINDOW <= (int)LOG_PAD, "the window reads the padding");
    /* In locals: the stores through top could alias b, and the loop
     * reloaded b->p and b->n on every compare. The window is always
     * full (LOG_PAD): a loop of constant count, which the compiler
     * unrolls into CANCEL_WINDOW compares. The newest entry first, and
     * on its own: it is the usual hit (an object dying before the next
     * is tracked), and its cancel moves nothing. */
    ptr_log *b = &l->born;
    size_t n = b->n;
    /* Eight, not four: raytrace's objects often outlive four more
     * tracks, and each one that misses costs a gone entry and its share
     * of a compaction (callgrind, raytrace: -1.0M of 1049M instructions;
     * float and generators -0.1M; go +0.05M of 475M, its misses paying
     * four compares more). */
    ft_object **top = b->p + n;
    if (top[-1] == o) {
        b->n = n - 1;
        return true;
    }
    for (size_t k = 2; k <= CANCEL_WINDOW; k++) {
        if (top[-(ptrdiff_t)k] == o) {
            top[-(ptrdiff_t)k] = top[-1];
            b->n = n - 1;
            return true;
        }
    }
    return false;
}

/* Logs a young o untracked in l, the calling thread's log. */
static void log_gone(young_log *l, ft_object *o)
{
    if (!log_cancel(l, o))
        log_append(l, false, o);
}

/* World stopped (or at start-up): every thread's log emptied, and the
 * middle too unless keep_middle (a generation-0 collection keeps it: its
 * survivors join it). */
static void logs_reset_stopped(bool keep_middle)
{
    if (!keep_middle)
        mid_clear_stopped();
    pthread_mutex_lock(&log_lock);
    for (young_log *l = all_logs; l; l = l->all_next) {
        log_clear(&l->born);
        log_clear(&l->gone);
        l->compact_at = LOG_COMPACT_MIN;
        if (l->cslots > COMPACT_KEEP_SLOTS) {   /* the logs start small again */
            free(l->cslot);
            l->cslot = NULL;
            l->cused = NULL;
            l->cslots = 0;
        }
        log_limits(l);
    }
    ft_atomic_store_relaxed(&xlogs_lost, false);
    pthread_mutex_unlock(&log_lock);
}

/* ---- Allocation and tracking --------------------------------------------- */

/* A GC object comes from the GC heap's pools, or, outside them, with a
 * pre-header (FT_GC_BIT_HEAD). _ft_object_type_stable_unmarked
 * (internal/object.h) relies on exactly that split (no pre-header: a pool
 * block, type-stable): a third way to allocate here must change it too. */
ft_object *_ft_gc_alloc_object(size_t size)
{
    ft_object *o = _ft_mem_alloc_object_pooled(FT_HEAP_GC, size);
    if (o) {
        o->ob_gc_bits = 0;
        return o;
    }
    ft_gc_head *h = _ft_mem_alloc_object(FT_HEAP_RAW, sizeof *h + size);
    if (!h)
        return NULL;
    h->next = h->prev = 0;
    o = object_of(h);
    o->ob_gc_bits = (uint8_t)(FT_GC_BIT_HEAD | my_stripe() << FT_GC_STRIPE_SHIFT);
    return o;
}

static void free_gc_block(ft_object *o)
{
    _ft_mem_free_object(_ft_gc_has_head(o) ? (void *)_ft_gc_head_of(o) : (void *)o, o);
}

static FT_NOINLINE void free_tracked(ft_object *o)
{
    _ft_gc_untrack(o);
    free_gc_block(o);
}

void _ft_gc_free_object(ft_object *o)
{
    /* Nearly always untracked already (_ft_dealloc untracks the dying,
     * _ft_object_untrack_dying): the bit tested here (o's type is a GC
     * type, so the bit alone says it), and the usual free a tail call
     * with no frame, not a call of _ft_gc_untrack to find that out. */
    if (ft_unlikely(o->ob_gc_bits & FT_GC_BIT_TRACKED)) {
        free_tracked(o);
        return;
    }
    free_gc_block(o);
}

size_t _ft_gc_overhead(ft_object *o)
{
    return _ft_gc_has_head(o) ? sizeof(ft_gc_head) : 0;
}

/* ---- The trigger ------------------------------------------------------------
 *
 * CPython 3.14t's (Python/gc_free_threading.c, gc_should_collect and
 * gc_should_collect_mem_usage), with FT_GC_DEFER on (the default):
 *
 *   count 0 > threshold 0, and then
 *     threshold 1 == 0                       collect (tests rely on
 *                                            immediate collections)
 *     count 0 < long_lived_total / 4         no (the long-lived rule, here
 *                                            on every generation-0 decision)
 *     deferred > 40 x threshold 0            collect
 *     memory - last_mem > max(last_mem / 10, 128 KiB)
 *                                            collect
 *     otherwise                              defer: count 0 moves into
 *                                            `deferred`, so the question
 *                                            comes again after another
 *                                            threshold-0 tracks
 *
 * where last_mem is the memory after the last collection and `deferred`
 * the young objects deferred since then (both reset by any collection).
 * A young collection stops the world for every thread, and in a program
 * whose young objects mostly die by reference counting (bintrees: trees
 * of tuples built and dropped) it finds nothing: the gate lets the memory
 * say whether garbage is piling up, and the 40x escape bounds what a
 * cycle holding no memory (a file, a lock) may wait — about as many
 * container objects as CPython 3.11 allocated between full collections.
 * With FT_GC_DEFER=0 (ft_config.gc_defer = 0) the rule is CPython 3.11's,
 * as in the gil build: count 0 > threshold 0 alone.
 *
 * One condition is ftlab's own: the gate (long-lived rule and memory)
 * holds only while the last collection found no garbage. 3.14t has no
 * young generation, so its pause is the whole heap's however long it
 * waits; ours is the young set's, and grows with every deferral. Where
 * collections do find cycles, they come at threshold 0 as in 3.11, with
 * 3.11's short pauses and memory (ftbench-gc-nogil --churn-only: with the
 * gate alone, 200 young collections of p50 0.2 ms became 3 of 18 ms over
 * its 250k live objects, peak RSS 35 -> 46 MiB); where they find nothing
 * (trees built and dropped, objects dying by reference counting), the
 * gate defers. The first collection runs at the threshold.
 *
 * "Memory" is the process's resident set, as CPython reads it, from
 * /proc/self/statm through one descriptor kept open (a pread of one line:
 * ~3 us, against ~60 us to fopen and scan /proc/self/status; it is read
 * once per threshold-0 tracks at most). Why the resident set and not
 * what the allocator counts: it covers every backend (FT_MALLOC=obmalloc,
 * mimalloc, malloc, debug) and the blocks obmalloc hands to the system
 * allocator (large item arrays), and, unlike the bytes in use, it does not
 * fall each time the program drops a structure: freed pools and blocks
 * stay resident until an arena is wholly empty, so a program that builds
 * and frees the same amount keeps the gate shut while one that leaks
 * cycles opens it. Where it cannot be read the gate is open (CPython's
 * choice: collect as 3.11 did).
 *
 * Two threads may decide at once; the deferral moves count 0 with one
 * atomic exchange and adds what it took to `deferred` (each count is
 * taken by exactly one exchange: none lost, none doubled; a reader in
 * between may see it in neither, which only delays one decision). */
static _Atomic int64_t xdeferred;     /* count 0 deferred since the last
                                         collection                        */
static _Atomic int64_t xlast_mem;     /* bytes after the last collection   */
static _Atomic int xmem_fd = -1;      /* /proc/self/statm, opened on first
                                         use; -2: cannot be read           */
static bool defer_on;                 /* ft_config.gc_defer, at ft_init    */
/* Did the last collection find garbage? Written by the collector after
 * each collection, read by any thread's trigger (relaxed: a stale answer
 * moves one decision by one flush). */
static _Atomic bool xfound_garbage = true;
static long page_size;                /* statm counts pages; at ft_init    */

/* The resident set in bytes, -1 when it cannot be read. */
static int64_t resident_bytes(void)
{
    int fd = ft_atomic_load_relaxed(&xmem_fd);
    if (fd == -2)
        return -1;
    if (fd == -1) {
        int mine = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
        int want = mine >= 0 ? mine : -2;
        /* relaxed: the descriptor is the whole message. A thread that
         * lost the race closes its own. */
        if (ft_atomic_cas_relaxed(&xmem_fd, &fd, want))
            fd = want;
        else if (mine >= 0)
            close(mine);
        if (fd < 0)
            return -1;
    }
    char buf[96];   /* "size resident shared text lib data dt\n", in pages */
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    const char *p = strchr(buf, ' ');
    if (!p)
        return -1;
    char *end;
    long long pages = strtoll(p + 1, &end, 10);
    return end == p + 1 || pages < 0 ? -1 : (int64_t)pages * page_size;
}

/* fork: /proc/self was resolved when the descriptor was opened, so the
 * child's would read its parent's memory. */
static void mem_fork_child(void)
{
    int fd = ft_atomic_load_relaxed(&xmem_fd);
    if (fd >= 0)
        close(fd);
    ft_atomic_store_relaxed(&xmem_fd, -1);
}

static int64_t (*mem_probe)(void) = resident_bytes;

void _ft_gc_set_mem_probe(int64_t (*probe)(void))
{
    mem_probe = probe ? probe : resident_bytes;
}

int64_t _ft_gc_deferred_count(void) { return ft_atomic_load_relaxed(&xdeferred); }

/* The gate: past threshold 0 and the long-lived rule, is a collection
 * due? If not, defers (above). */
static bool gate_open(int t0)
{
    if (ft_atomic_load_relaxed(&xdeferred) > 40 * (int64_t)t0)
        return true;
    int64_t mem = mem_probe();
    if (mem < 0)
        return true;
    int64_t last = ft_atomic_load_relaxed(&xlast_mem);
    int64_t need = last / 10 > 128 * 1024 ? last / 10 : 128 * 1024;
    if (mem - last > need)
        return true;
    /* acq_rel where relaxed would do: ftlab/atomic.h offers no relaxed
     * exchange, and this runs once per threshold-0 tracks. */
    int64_t moved = ft_atomic_exchange_acq_rel(&xyoung_count, 0);
    ft_atomic_add_relaxed(&xdeferred, moved);
    return false;
}

/* Does the gate (above) hold generation 0 back, or is 3.11's rule in
 * force: switched off, threshold 1 == 0, or the last collection found
 * garbage? */
static bool gate_holds(void)
{
    return defer_on && _ft_gc.threshold[1] != 0 &&
           !ft_atomic_load_relaxed(&xfound_garbage);
}

/* Scheduling: past threshold 0 (and through the gate, above), ask for a
 * collection; which generation is decided at the checkpoint
 * (_ft_gc_due_generation). */
static bool should_collect(int64_t count)
{
    int t0 = _ft_gc.threshold[0];
    if (!t0 || count <= t0 || !_ft_gc.enabled)
        return false;
    if (!gate_holds())
        return true;
    if (count < ft_atomic_load_relaxed(&xlong_lived_total) / 4)
        return false;
    return gate_open(t0);
}

/* After a collection, on the collecting thread: the gate starts again
 * from the memory the collection left, and holds only if it found no
 * garbage. */
static void gate_reset(bool found_garbage)
{
    ft_atomic_store_relaxed(&xlast_mem, defer_on ? mem_probe() : 0);
    ft_atomic_store_relaxed(&xfound_garbage, found_garbage);
}

/* How many tracks a thread buffers before it adds its count to the
 * global one: small thresholds need a finer buffer to be honoured. */
static int flush_at(void)
{
    int t0 = _ft_gc.threshold[0];
    return t0 && t0 < 4 * FLUSH ? t0 / 4 + 1 : FLUSH;
}

/* Adds the thread's count (kept in its log) to the global one and gives
 * it a new budget. The budget is taken from the threshold here, not on
 * every track (that was six instructions per tracked object); a threshold
 * lowered by another thread reaches this one at its next flush, at most
 * FLUSH tracks later, the calling thread's at once
 * (_ft_gc_threshold_changed). */
static FT_NOINLINE void count_flush(young_log *l)
{
    int32_t pending = l->batch - l->budget;
    int64_t total = ft_atomic_add_relaxed(&xyoung_count, pending) + pending;
    l->batch = l->budget = flush_at();
    if (should_collect(total))
        _ft_gc_schedule();
}

/* A track on a thread without a log (no memory for one): counted
 * straight into the global count, which the untracks of such a thread
 * leave alone (the count only errs high, and only out of memory). */
static void count_unlogged(void)
{
    if (should_collect(ft_atomic_add_relaxed(&xyoung_count, 1) + 1))
        _ft_gc_schedule();
}

void _ft_gc_lose_logs(void)
{
    lose_logs(NULL);   /* the calling thread's log finds out on its own */
}

void _ft_gc_threshold_changed(void)
{
    if (my_log())
        count_flush(my_log());
}

/* World stopped: a collection starts count 0 again. */
static void reset_counts_stopped(void)
{
    pthread_mutex_lock(&log_lock);
    for (young_log *l = all_logs; l; l = l->all_next)
        l->budget = l->batch;
    pthread_mutex_unlock(&log_lock);
    ft_atomic_store_relaxed(&xyoung_count, 0);
    ft_atomic_store_relaxed(&xdeferred, 0);
}

/* Track and untrack. The usual case — the thread has its log, with room,
 * and the object has no pre-header — is inline in _ft_gc_track and
 * _ft_gc_untrack and calls nothing but its tail; everything else (the
 * first track of a thread, a log to grow or compact, an object on an
 * outside list, lost logs) takes the slow paths below, which do the
 * whole job. A call in the middle of the usual path made it save and
 * restore registers on every track. */
static const uint8_t TRACK_KEEP = FT_GC_BIT_HEAD | (STRIPES - 1) << FT_GC_STRIPE_SHIFT;

static FT_NOINLINE void track_slow(ft_object *o)
{
    uint8_t bits = (uint8_t)((o->ob_gc_bits & TRACK_KEEP) | FT_GC_BIT_TRACKED);
    young_log *l = my_log();
    if (!l)
        l = log_attach();
    /* Not logged (no memory, or the logs lost): old from the start,
     * which keeps (Y). */
    if (l && log_append(l, true, o))
        bits |= FT_GC_BIT_YOUNG;
    o->ob_gc_bits = bits;
    if (bits & FT_GC_BIT_HEAD)
        outside_link(o);
    if (!l)
        count_unlogged();
    else if (--l->budget <= 0)   /* a new log's is 0: flushes at once */
        count_flush(l);
    if (FT_GC_STRESS)
        _ft_gc_schedule();
}

void _ft_gc_track(ft_object *o)
{
    young_log *l = tls_log;   /* log_off: no room */
    uint8_t bits = o->ob_gc_bits;
    if (ft_unlikely((bits & FT_GC_BIT_HEAD) || l->born.n >= l->born.lim)) {
        track_slow(o);
        return;
    }
    l->born.p[l->born.n++] = o;
    /* Without a pre-header nothing in the bits is kept: the stripe bit
     * means something only with one. */
    o->ob_gc_bits = FT_GC_BIT_TRACKED | FT_GC_BIT_YOUNG;
    if (--l->budget <= 0)
        count_flush(l);
    if (FT_GC_STRESS)
        _ft_gc_schedule();
}

/* bits: o's, tracked; o's already cleared. */
static FT_NOINLINE void untrack_slow(ft_object *o, uint8_t bits)
{
    young_log *l = my_log();
    if (bits & FT_GC_BIT_YOUNG) {   /* (Y): its born entry is cancelled */
        if (!l && !(l = log_attach()))
            lose_logs(NULL);
        else
            log_gone(l, o);
    }
    if (bits & FT_GC_BIT_HEAD)
        outside_unlink(o);
    if (l && l->budget < l->batch)
        l->budget++;
}

void _ft_gc_untrack(ft_object *o)
{
    uint8_t bits = o->ob_gc_bits;
    if (!(bits & FT_GC_BIT_TRACKED))
        return;
    o->ob_gc_bits = (uint8_t)(bits & ~(FT_GC_BIT_TRACKED | FT_GC_BIT_YOUNG));
    young_log *l = tls_log;   /* log_off: no room, nothing to cancel */
    /* One test for the old objects without a pre-header (the most
     * untracked after a collection), then which of the two. */
    if (bits & (FT_GC_BIT_YOUNG | FT_GC_BIT_HEAD)) {
        if (ft_unlikely(bits & FT_GC_BIT_HEAD)) {
            untrack_slow(o, bits);
            return;
        }
        /* (Y): its born entry is cancelled, else it is logged gone; the
         * slow append in untrack_slow, as a tail call. */
        if (!log_cancel(l, o)) {
            ptr_log *g = &l->gone;
            if (ft_unlikely(g->n >= g->lim)) {
                untrack_slow(o, bits);
                return;
            }
            g->p[g->n++] = o;
        }
    }
    /* Like the gil build's count, this one does not go below zero: the
     * deaths a collection causes must not postpone the next one. */
    if (l->budget < l->batch)
        l->budget++;
}

/* ---- Walking every tracked object (world stopped) ------------------------ */

typedef struct walk_ctx {
    void (*fn)(ft_object *, void *);
    void *arg;
    bool frozen;     /* visit frozen objects too */
} walk_ctx;

static void walk_one(ft_object *o, void *arg)
{
    walk_ctx *c = arg;
    uint8_t bits = o->ob_gc_bits;
    if ((bits & FT_GC_BIT_TRACKED) && (c->frozen || !(bits & FT_GC_BIT_FROZEN)))
        c->fn(o, c->arg);
}

static void walk_block(void *block, size_t size, void *arg)
{
    (void)size;
    walk_one(block, arg);
}

static void walk(void (*fn)(ft_object *, void *), void *arg, bool frozen)
{
    walk_ctx c = { fn, arg, frozen };
    _ft_heaps_visit(FT_HEAP_GC, walk_block, &c);
    outside_for_each(walk_one, &c);
}

/* ---- Stopping the world ---------------------------------------------------- */

/* The references merged out of the threads' queues, dropped once the world
 * runs again (a count reaching zero frees the object outside the pause). */
typedef struct merged_refs {
    ft_object **op;
    size_t n;
} merged_refs;

static void release_merged(merged_refs *m)
{
    for (size_t i = 0; i < m->n; i++)
        ft_decref(m->op[i]);
    free(m->op);
    *m = (merged_refs){ 0 };
}

/* Fails (error set) only when the caller may not stop the world: it is
 * detached, or stopped the world already. */
static int stop(merged_refs *m, uint64_t *t0)
{
    if (ft_stop_the_world() < 0)
        return -1;
    *t0 = _ft_monotonic_ns();
    m->op = _ft_refcount_merge_queued_stopped(&m->n);
    return 0;
}

static void start(merged_refs *m, uint64_t t0, ft_gc_result *out)
{
    out->stw_ns += _ft_monotonic_ns() - t0;
    ft_start_the_world();
    release_merged(m);
}

/* ---- Work shared out in the pause ------------------------------------------ */

/* A job of n pieces for the collector and the threads parked at a
 * checkpoint (internal/stw.h): each participant runs the pieces of its
 * own thread's log first (their objects and entries are likely in its
 * cache: it made them), then claims whatever is left, until no piece is
 * unclaimed. Used by the gather (a log per piece) and by the parallel
 * analysis (a range per piece). */
typedef struct pieces {
    size_t n;
    young_log *const *log;   /* piece k's log, the first pick of its
                                thread (NULL: nobody's)                  */
    _Atomic bool *xtaken;    /* per piece: claimed in this run          */
    void (*run)(struct pieces *, size_t k);
} pieces;

/* Claims piece k for the caller; false when another participant has it.
 * acq_rel where relaxed would do (only the claim matters: the return of
 * _ft_stw_run_parallel is the barrier that publishes what the pieces
 * wrote), as ftlab/atomic.h offers no relaxed exchange. */
static bool claim(pieces *job, size_t k)
{
    return !ft_atomic_load_relaxed(&job->xtaken[k]) &&
           !ft_atomic_exchange_acq_rel(&job->xtaken[k], true);
}

static void pieces_run(void *arg)
{
    pieces *job = arg;
    young_log *mine = my_log();
    for (size_t k = 0; mine && k < job->n; k++)
        if (job->log[k] == mine && claim(job, k))
            job->run(job, k);
    for (size_t k = 0; k < job->n; k++)
        if (claim(job, k))
            job->run(job, k);
}

/* World stopped: runs every piece once, on whoever joins; returns when
 * all are done. */
static void pieces_share(pieces *job)
{
    for (size_t k = 0; k < job->n; k++)   /* no participant runs now */
        ft_atomic_store_relaxed(&job->xtaken[k], false);
    _ft_stw_run_parallel(pieces_run, job);
}

/* ---- Gathering the candidates (world stopped) ---------------------------- */

/* Full: every tracked object not frozen; each is old from now on. */
static void add_candidate_full(ft_object *o, void *arg)
{
    o->ob_gc_bits &= (uint8_t)~FT_GC_BIT_YOUNG;
    _ft_gc_work_add(arg, o);
}

/* add_candidate_full for the blocks of one GC pool, as walk would call it
 * (tracked, not frozen), without a call per block: a full collection
 * visits every live GC block, and walk's two calls through pointers per
 * block cost more than the rest of the gather. Room for the whole pool is
 * reserved at once; without it (oom set) the young bits are still
 * cleared, as add_candidate_full does. */
static void gather_pool(const ft_pool_live *p, void *arg)
{
    ft_gc_work *w = arg;
    if (!_ft_gc_work_reserve(w, p->count)) {
        for (size_t k = 0; k < p->words; k++)
            for (uint64_t m = p->live[k]; m; m &= m - 1) {
                ft_object *o = (ft_object *)(p->first +
                                             (k * 64 + (size_t)__builtin_ctzll(m)) * p->size);
                if ((o->ob_gc_bits & (FT_GC_BIT_TRACKED | FT_GC_BIT_FROZEN)) == FT_GC_BIT_TRACKED)
                    o->ob_gc_bits &= (uint8_t)~FT_GC_BIT_YOUNG;
            }
        return;
    }
    /* In locals: stores through the entries could alias w. */
    ft_gc_entry *e = w->e + w->n;
    char *first = p->first;
    size_t size = p->size;
    for (size_t k = 0; k < p->words; k++)
        for (uint64_t m = p->live[k]; m; m &= m - 1) {
            ft_object *o = (ft_object *)(first + (k * 64 + (size_t)__builtin_ctzll(m)) * size);
            uint8_t bits = o->ob_gc_bits;
            if ((bits & (FT_GC_BIT_TRACKED | FT_GC_BIT_FROZEN)) != FT_GC_BIT_TRACKED)
                continue;
            o->ob_gc_bits = (uint8_t)(bits & ~FT_GC_BIT_YOUNG);
            *e++ = (ft_gc_entry){ .op = o };
        }
    w->n = (size_t)(e - w->e);
}

/* World stopped: every set's GC heap, exited threads' too. */
static void gather_set(ft_heap_set *s, void *arg)
{
    _ft_heap_visit_pools(&s->heaps[FT_HEAP_GC], gather_pool, arg);
}

/* The logs are dropped unread and every young bit is cleared by the walk:
 * (Y) holds again, with empty logs, whatever the logs held (lost or not). */
static void gather_full(ft_gc_work *w)
{
    _ft_heaps_for_each(gather_set, w);
    walk_ctx c = { add_candidate_full, w, false };
    outside_for_each(walk_one, &c);
    logs_reset_stopped(false);
}

/* The candidates' partitions: range k is [bound[k], bound[k + 1]), one
 * per log that had young objects, the middle's first (see "Parallel
 * analysis"). */
typedef struct partitions {
    size_t *bound;
    young_log **log;         /* range k holds log[k]'s young objects
                                (NULL: the middle's)                    */
    _Atomic bool *xtaken;    /* per range: claimed (pieces), for the
                                parallel steps                          */
    size_t n;                /* ranges; bound has n + 1 entries */
    bool entered;            /* the gather entered every candidate
                                (fill_ranges): analyse skips its enter  */
} partitions;

static void parts_free(partitions *parts)
{
    free(parts->bound);
    free(parts->log);
    free((void *)parts->xtaken);
    *parts = (partitions){ 0 };
}

/* Room for the partitions of up to `most` ranges; false (and no
 * partitions: bound NULL) without memory. */
static bool parts_alloc(partitions *parts, size_t most)
{
    parts->bound = malloc((most + 1) * sizeof *parts->bound);
    parts->log = malloc(most * sizeof *parts->log);
    parts->xtaken = malloc(most * sizeof *parts->xtaken);
    if (parts->bound && parts->log && parts->xtaken) {
        parts->bound[0] = 0;
        return true;
    }
    parts_free(parts);
    return false;
}

/* What logged_young gathers. */
typedef enum young_set {
    YOUNG_GEN0,          /* generation 0: born minus what gone leaves  */
    YOUNG_GEN1,          /* generations 0 and 1: the middle ones too   */
} young_set;

/* Generation 1 in partitions (logged_young, consuming, the middle's
 * dead entries already taken out, room reserved for all): for each tag,
 * the middle objects of that tag, then the young objects of its log (of
 * its logs, for the shared last tag), as one range — so that a structure
 * one thread built partly before a generation-0 collection (in the
 * middle since) and partly after (in its log) is analysed whole, as
 * generation 0 analyses each log whole; only what threads share spans
 * ranges (invariant (P3)). Each range starts with room for its tag's
 * middle entries (mid_set.n_tag), filled by one pass over the middle's
 * slots at the end: no sort, no copy. */
static void gather_gen1_by_tag(ft_gc_work *w, partitions *parts, addr_set *dead,
                               size_t ngone)
{
    size_t at[MID_TAGS];
    for (unsigned t = 0; t < MID_TAGS; t++) {
        young_log *first = NULL;
        at[t] = w->n;
        w->n += middle.n_tag[t];
        for (young_log *l = all_logs; l; l = l->all_next) {
            if (l->tag != t)
                continue;
            first = first ? first : l;
            for (size_t i = 0; i < l->born.n; i++)
                if (!ngone || !dead_take(dead, l->born.p[i]))   /* 0: no probe */
                    w->e[w->n++] = (ft_gc_entry){ .op = l->born.p[i] };
        }
        if (w->n > parts->bound[parts->n]) {   /* at most one range per log */
            parts->log[parts->n] = first;
            parts->bound[++parts->n] = w->n;
        }
    }
    for (size_t i = 0; middle.n && i <= middle.mask; i++)
        if (middle.slot[i])
            w->e[at[mid_tag(middle.slot[i])]++] = (ft_gc_entry){ .op = mid_obj(middle.slot[i]) };
}

/* World stopped, log_lock held, consuming: each gone entry at an address
 * the middle holds takes the address out — the middle's entry there is
 * the older one, (Y) — and the logs keep the others, which can then
 * cancel only born entries. */
static void middle_take_gone(void)
{
    for (young_log *l = all_logs; middle.n && l; l = l->all_next) {
        size_t kept = 0;   /* an empty middle would keep all */
        for (size_t i = 0; i < l->gone.n; i++) {
            /* The table stays where it is: removals never resize it. */
            if (i + MID_PREFETCH_AHEAD < l->gone.n)
                mid_prefetch(middle.slot, middle.shift, l->gone.p[i + MID_PREFETCH_AHEAD]);
            if (!mid_remove_stopped(l->gone.p[i]))
                l->gone.p[kept++] = l->gone.p[i];
        }
        l->gone.n = kept;
    }
}

static void cancel_piece(pieces *job, size_t k) { cancel_pairs(job->log[k], false); }

/* World stopped, log_lock held, after middle_take_gone: each log's own
 * born/gone pairs cancelled, so that the rest of the gather hashes only
 * what crosses logs (an object one thread made and another dropped),
 * usually nothing, and probes no born entry when nothing is left. Two
 * logs or more to do and a parked thread to help: the logs are shared
 * out among the participants; else (or without memory for the job) the
 * collector does them in turn. */
static void cancel_pairs_stopped(void)
{
    size_t n = 0;
    for (young_log *l = all_logs; l; l = l->all_next)
        n += l->born.n && l->gone.n;
    young_log **log = NULL;
    _Atomic bool *taken = NULL;
    if (n >= 2 && _ft_stw_helpers() > 0) {
        log = malloc(n * sizeof *log);
        taken = malloc(n * sizeof *taken);
    }
    if (log && taken) {
        size_t k = 0;
        for (young_log *l = all_logs; l; l = l->all_next)
            if (l->born.n && l->gone.n)
                log[k++] = l;
        pieces job = { .n = n, .log = log, .xtaken = taken, .run = cancel_piece };
        pieces_share(&job);
    } else {
        for (young_log *l = all_logs; n && l; l = l->all_next)
            cancel_pairs(l, false);   /* a log without pairs: nothing */
    }
    free(log);
    free((void *)taken);
}

/* What every object a young gather finds must be, before it enters the
 * analysis: tracked, young, not frozen (FT_DEBUG >= 2 checks). */
static inline bool young_candidate(const ft_object *o)
{
    return (o->ob_gc_bits & (FT_GC_BIT_TRACKED | FT_GC_BIT_YOUNG | FT_GC_BIT_FROZEN)) ==
           (FT_GC_BIT_TRACKED | FT_GC_BIT_YOUNG);
}

/* The gather's parallel copy: range k gets log k's born entries, and
 * its candidates enter the analysis (_ft_gc_enter_range) while they are
 * in the participant's cache — the enter step the analysis would
 * otherwise run over the same ranges (analyse). */
typedef struct fill_job {
    pieces job;              /* first: fill_range gets &job              */
    ft_gc_work *w;
    const partitions *parts;
} fill_job;

static void fill_range(pieces *job, size_t k)
{
    const fill_job *f = (const fill_job *)job;
    size_t lo = f->parts->bound[k], hi = f->parts->bound[k + 1];
    ft_object *const *born = f->parts->log[k]->born.p;
    ft_gc_entry *e = f->w->e;
    for (size_t i = lo; i < hi; i++) {
        ft_object *o = born[i - lo];
        ft_assert_internal(young_candidate(o));
        e[i] = (ft_gc_entry){ .op = o };
    }
    _ft_gc_enter_range(f->w, lo, hi);
}

/* World stopped, log_lock held, a generation-0 gather with no gone entry
 * left (every log's pairs cancelled, nothing crossing logs): when two
 * logs or more hold young objects and a parked thread can help, their
 * ranges are filled in parallel and entered (fill_range), and true is
 * returned; else false, and nothing is done. w has room for every born
 * entry; parts has room for a range per log. */
static bool fill_ranges(ft_gc_work *w, partitions *parts)
{
    size_t n = 0, at = w->n;
    for (young_log *l = all_logs; l; l = l->all_next)
        n += l->born.n != 0;
    if (n < 2 || _ft_stw_helpers() == 0)
        return false;
    parts->n = 0;
    for (young_log *l = all_logs; l; l = l->all_next)
        if (l->born.n) {
            parts->log[parts->n] = l;
            at += l->born.n;
            parts->bound[++parts->n] = at;
        }
    fill_job f = { .job = { .n = n, .log = parts->log, .xtaken = parts->xtaken,
                            .run = fill_range },
                   .w = w, .parts = parts };
    pieces_share(&f.job);
    w->n = at;
    parts->entered = true;
    return true;
}

/* Invariant (Y) read into w: the tracked objects of generation 0 — or of
 * 0 and 1 — those of one log after the other (the middle's first); each
 * log's become a range of *parts when parts is not NULL (else, or without
 * memory for it, parts->n stays 0). Reads no object; false when memory
 * ran out.
 *
 * With `consume` (a collection, which empties the thread logs after): a
 * gone entry at an address the middle holds cancels the middle's entry
 * there — the older one, (Y) — by taking the address out of the set, so
 * the middle keeps only its live objects; the other gone entries are
 * compacted in place and cancel born entries, first each log's own
 * (cancel_pairs_stopped, in parallel when there is help), then what is
 * left of them across logs through a hash. That is O(born + gone): a
 * generation-0 collection never goes through the middle, and the hash
 * holds only the gone entries no log could cancel itself (usually none:
 * then the ranges are filled in parallel, fill_ranges). Without it (checks,
 * gc.get_objects) nothing changes: every gone entry goes into the hash,
 * which cancels the middle's entries first. */
static bool logged_young(ft_gc_work *w, partitions *parts, young_set set, bool consume)
{
    pthread_mutex_lock(&log_lock);
    if (consume) {
        middle_take_gone();
        cancel_pairs_stopped();
    }
    size_t ngone = 0, nborn = 0, nlogs = 1;   /* the middle is a range too */
    for (young_log *l = all_logs; l; l = l->all_next, nlogs++) {
        nborn += l->born.n;
        ngone += l->gone.n;
    }
    if (parts)
        parts_alloc(parts, nlogs);
    addr_set dead;
    bool ok = _ft_gc_work_reserve(w, nborn + (set == YOUNG_GEN1 ? middle.n : 0));
    if (ok && consume && set == YOUNG_GEN0 && !ngone && parts && parts->bound &&
        fill_ranges(w, parts)) {
        pthread_mutex_unlock(&log_lock);
        return true;
    }
    ok = ok && dead_set_init(&dead, ngone);
    if (ok) {
        for (young_log *l = all_logs; l; l = l->all_next)
            for (size_t i = 0; i < l->gone.n; i++)
                dead_add(&dead, l->gone.p[i]);
        /* The middle's live entries: generation 1 adds them; without
         * consume they also take their gone entries out of `dead` first.
         * A consuming generation-0 gather never goes through it. */
        bool by_tag = set == YOUNG_GEN1 && consume && parts && parts->bound;
        if (by_tag)
            gather_gen1_by_tag(w, parts, &dead, ngone);
        bool walk_middle = !by_tag && middle.n && (set == YOUNG_GEN1 || !consume);
        for (size_t i = 0; walk_middle && i <= middle.mask && !w->oom; i++) {
            ft_object *m = mid_obj(middle.slot[i]);
            if (!m || (!consume && dead_take(&dead, m)))
                continue;
            if (set == YOUNG_GEN1)
                _ft_gc_work_add(w, m);
        }
        /* Generation 0's partitions are its logs' young objects; a
         * generation-1 gather that could not sort the middle by tag
         * records none (one range: see _ft_gc_collect_impl). */
        bool record = parts && parts->bound && set == YOUNG_GEN0;
        for (young_log *l = all_logs; !by_tag && l && !w->oom; l = l->all_next) {
            for (size_t i = 0; i < l->born.n; i++)
                if (!ngone || !dead_take(&dead, l->born.p[i]))   /* 0: no probe */
                    _ft_gc_work_add(w, l->born.p[i]);
            if (record && w->n > parts->bound[parts->n]) {
                parts->log[parts->n] = l;
                parts->bound[++parts->n] = w->n;
            }
        }
        ok = !w->oom;
    }
    pthread_mutex_unlock(&log_lock);
    if (!ok)
        _ft_gc_work_free(w);
    return ok;
}

/* Generation 0 (or 0 and 1): the logged objects and their partitions;
 * the thread logs emptied, the middle kept for a generation-0 collection
 * (its survivors join it: keep_survivors) and emptied for a generation-1
 * one. false (nothing gathered) when the logs are lost or memory ran out:
 * the caller collects everything instead. On success the candidates
 * still carry their young bit, which the analysis's enter step clears
 * (_ft_gc_enter): that step writes every candidate's header anyway, in
 * parallel when the analysis is, where a loop here was a serial pass
 * over every header of the pause (bintrees, 2 threads: 15 ms of ~70 ms
 * of gathering per run) — unless the gather's parallel copy entered
 * them already (fill_ranges, parts->entered). The analysis always
 * follows a successful gather (w->oom is false), so no candidate keeps
 * the bit while the logs that held it are emptied. */
static bool gather_young(ft_gc_work *w, partitions *parts, int gen)
{
    young_set set = gen == 0 ? YOUNG_GEN0 : YOUNG_GEN1;
    if (ft_atomic_load_relaxed(&xlogs_lost) || !logged_young(w, parts, set, true))
        return false;
    for (size_t i = 0; !(parts && parts->entered) && i < w->n; i++)   /* FT_DEBUG >= 2 */
        ft_assert_internal(young_candidate(w->e[i].op));
    logs_reset_stopped(set == YOUNG_GEN0);
    return true;
}

/* The middle tag of the candidates of range k of a generation-0
 * collection: its log's (logged_young records a range per log); the
 * shared last tag without ranges (no memory for them), which only makes
 * a later generation-1 partition mixed. */
static unsigned range_tag(const partitions *parts, size_t k)
{
    return parts->bound && parts->log[k] ? parts->log[k]->tag : MID_TAG_MASK;
}

/* After a generation-0 collection: its survivors — reachable and still
 * tracked, at most `most` — are young again and join the middle, tagged
 * with their log's tag, range by range (the ranges cover the candidates:
 * one range [0, n) without them). One the middle cannot take (no
 * memory) stays old, which keeps (Y). `bits_given`: the parallel leave
 * step gave them their young bit already (analyse), and untracked
 * exactly the entries flagged `untrack`, so that the survivors are known
 * from the entries alone and no header is read or written here. */
static void keep_survivors(const ft_gc_work *w, const partitions *parts, size_t most,
                           bool bits_given)
{
    size_t ranges = parts->bound ? parts->n : 1;
    bool room = mid_reserve_stopped(most);
    ft_assert(room || !bits_given);   /* analyse reserved room for all */
    for (size_t k = 0; k < ranges; k++) {
        size_t lo = parts->bound ? parts->bound[k] : 0;
        size_t hi = parts->bound ? parts->bound[k + 1] : w->n;
        unsigned tag = range_tag(parts, k);
        if (!room) {   /* one by one, as memory allows */
            for (size_t i = lo; i < hi; i++) {
                ft_object *o = w->e[i].op;
                if (w->e[i].reachable && (o->ob_gc_bits & FT_GC_BIT_TRACKED) &&
                    mid_add_stopped(o, tag))
                    o->ob_gc_bits |= FT_GC_BIT_YOUNG;
            }
            continue;
        }
        /* The table has room for all: no growth check per survivor. In
         * locals: the count is a size_t like the slots, and a store to it
         * could alias them. */
        uintptr_t *slot = middle.slot;
        size_t mask = middle.mask, added = 0;
        unsigned shift = middle.shift;
        for (size_t i = lo; bits_given && i < hi; i++) {
            if (i + MID_PREFETCH_AHEAD < hi)
                mid_prefetch(slot, shift, w->e[i + MID_PREFETCH_AHEAD].op);
            if (w->e[i].reachable && !w->e[i].untrack) {
                mid_put(slot, mask, shift, (uintptr_t)w->e[i].op | tag);
                added++;
            }
        }
        for (size_t i = lo; !bits_given && i < hi; i++) {
            if (i + MID_PREFETCH_AHEAD < hi)
                mid_prefetch(slot, shift, w->e[i + MID_PREFETCH_AHEAD].op);
            ft_object *o = w->e[i].op;
            if (w->e[i].reachable && (o->ob_gc_bits & FT_GC_BIT_TRACKED)) {
                mid_put(slot, mask, shift, (uintptr_t)o | tag);
                o->ob_gc_bits |= FT_GC_BIT_YOUNG;
                added++;
            }
        }
        ft_assert(added <= most);
        most -= added;
        middle.n_tag[tag] += added;
        middle.n += added;
    }
}

/* FT_DEBUG >= 2, world stopped: the outside lists link both ways, and
 * every object on them or walked in a GC heap as tracked is a live object
 * of a GC type whose bits agree with where it was found; the objects with
 * a young bit are as many as the logs say (invariant (Y)). Documents the
 * invariants of this file. */
#if FT_DEBUG >= 2
static void check_tracked(ft_object *o, void *arg)
{
    ft_assert(!_ft_is_freed(o) && _ft_gc_is_gc_type(o));
    ft_assert(!(o->ob_gc_bits & (FT_GC_BIT_COLLECTING | FT_GC_BIT_UNREACHABLE)));
    ft_assert(!((o->ob_gc_bits & FT_GC_BIT_YOUNG) && (o->ob_gc_bits & FT_GC_BIT_FROZEN)));
    if (o->ob_gc_bits & FT_GC_BIT_YOUNG)
        ++*(size_t *)arg;
}

static size_t logged_young_stopped(void)
{
    ft_gc_work w = { 0 };
    if (ft_atomic_load_relaxed(&xlogs_lost) || !logged_young(&w, NULL, YOUNG_GEN1, false))
        return SIZE_MAX;
    size_t n = w.n;
    _ft_gc_work_free(&w);
    return n;
}
#endif

static void validate_stopped(void)
{
#if FT_DEBUG >= 2
    for (int s = 0; s < STRIPES; s++) {
        ft_gc_head *list = &outside[s].head, *prev = list;
        for (ft_gc_head *h = next_of(list); h != list; prev = h, h = next_of(h)) {
            ft_object *o = object_of(h);
            ft_assert(prev_of(h) == prev);
            ft_assert(_ft_gc_has_head(o) && (int)stripe_of(o) == s);
            ft_assert(o->ob_gc_bits & FT_GC_BIT_TRACKED);
        }
    }
    size_t per_tag[MID_TAGS] = { 0 }, in_middle = 0;
    for (size_t i = 0; middle.n && i <= middle.mask; i++)
        if (middle.slot[i]) {
            per_tag[mid_tag(middle.slot[i])]++;
            in_middle++;
        }
    ft_assert(in_middle == middle.n);
    for (unsigned t = 0; t < MID_TAGS; t++)
        ft_assert(per_tag[t] == middle.n_tag[t]);
    size_t young = 0;
    walk(check_tracked, &young, true);
    size_t logged = logged_young_stopped();
    ft_assert(logged == SIZE_MAX || logged == young);
#endif
}

/* ---- Parallel analysis (world stopped) ------------------------------------ */

/* One step of the analysis over the ranges (range k is piece k, its
 * log's thread's first pick). */
typedef struct par_step {
    pieces job;              /* first: run_range gets &job              */
    ft_gc_work *w;
    const partitions *parts;
    void (*step)(struct par_step *, size_t, size_t);
    _Atomic size_t xuntracked;   /* atomic tuples the leave step untracked */
    _Atomic bool xlegacy;    /* the mark step found garbage with tp_del */
    bool young;              /* leave gives survivors their young bit */
} par_step;

static void enter_step(par_step *p, size_t lo, size_t hi) { _ft_gc_enter_range(p->w, lo, hi); }
static void mark_step(par_step *p, size_t lo, size_t hi)
{
    if (_ft_gc_mark_range(p->w, lo, hi))
        ft_atomic_store_relaxed(&p->xlegacy, true);
}
static void leave_step(par_step *p, size_t lo, size_t hi)
{
    ft_atomic_add_relaxed(&p->xuntracked, _ft_gc_leave_range(p->w, lo, hi, p->young));
}

static void run_range(pieces *job, size_t k)
{
    par_step *p = (par_step *)job;
    p->step(p, p->parts->bound[k], p->parts->bound[k + 1]);
}

static void run_step(par_step *p, void (*step)(par_step *, size_t, size_t))
{
    p->step = step;
    pieces_share(&p->job);
}

/* _ft_gc_analyse over the partitions when there are several and a parked
 * thread to share them with; otherwise (one thread, one log, a full
 * collection) the whole array as one range, as exact as before. The
 * enter step is skipped when the gather did it (fill_ranges). With
 * `gen0`, a generation-0 collection, whose survivors join the middle: if
 * the analysis is parallel and the middle has room for every candidate,
 * the leave step gives the survivors their young bit back, each range
 * on the thread that left it (_ft_gc_leave), and analyse returns true;
 * keep_survivors then only puts them in the set. */
static bool analyse(ft_gc_work *w, const partitions *parts, bool gen0)
{
    if (parts->n < 2 || _ft_stw_helpers() == 0) {
        ft_assert(!parts->entered);   /* fill_ranges needs both */
        _ft_gc_analyse(w);
        return false;
    }
    /* Room for all, survivors or not: keep_survivors adds without a
     * check, and no young bit is given that the middle cannot take. */
    bool young = gen0 && mid_reserve_stopped(w->n);
    par_step p = { .job = { .n = parts->n, .log = parts->log, .xtaken = parts->xtaken,
                            .run = run_range },
                   .w = w, .parts = parts, .xuntracked = 0, .xlegacy = false,
                   .young = young };
    if (!parts->entered)
        run_step(&p, enter_step);
    run_step(&p, mark_step);
    /* relaxed: run_step's return is the barrier. Without such garbage
     * mark_legacy would only scan every entry to find none, serially. */
    if (ft_atomic_load_relaxed(&p.xlegacy))
        _ft_gc_mark_legacy(w);
    run_step(&p, leave_step);
    w->untracked += ft_atomic_load_relaxed(&p.xuntracked);
    return young;
}

/* ---- Collections ------------------------------------------------------------ */

/* After a collection of generations 0..gen, as gil/gc.c's promote: the
 * next generation's count goes up, the collected ones start again, and
 * the long-lived rule learns how many objects became old. */
static void promote(int gen, ssize_t survivors)
{
    if (gen + 1 < FT_GC_GENERATIONS)
        ft_atomic_add_relaxed(&xgen_count[gen + 1], 1);
    for (int g = 1; g <= gen; g++)
        ft_atomic_store_relaxed(&xgen_count[g], 0);
    if (gen == FT_GC_GENERATIONS - 2) {
        long_lived_pending += survivors;
    } else if (gen == FT_GC_GENERATIONS - 1) {
        ft_atomic_store_relaxed(&xlong_lived_total, (int64_t)survivors);
        long_lived_pending = 0;
    }
}

int _ft_gc_collect_impl(int gen, ft_gc_result *out)
{
    *out = (ft_gc_result){ .generation = gen };
    merged_refs m = { 0 };
    uint64_t t0;
    if (stop(&m, &t0) < 0)
        return -1;
    reset_counts_stopped();
    validate_stopped();
    ft_gc_work w = { 0 };
    partitions parts = { 0 };
    /* Generation 0 always records its partitions (keep_survivors tags the
     * middle from them); generation 1 sorts the middle into partitions
     * only for a parked thread to help analyse them. */
    partitions *want = gen == 0 || _ft_stw_helpers() > 0 ? &parts : NULL;
    if (gen < FT_GC_GENERATIONS - 1 && !gather_young(&w, want, gen))
        gen = FT_GC_GENERATIONS - 1;   /* logs lost or no memory: a full one */
    /* A full collection is one range (a heap walk's order is no
     * thread's); a failed young gather may have left ranges behind. */
    if (gen == FT_GC_GENERATIONS - 1) {
        gather_full(&w);
        parts.n = 0;
    }
    out->generation = gen;
    ft_gc_garbage_set g = { 0 }, legacy = { 0 };
    bool taken = false;
    if (!w.oom) {
        bool bits_given = analyse(&w, &parts, gen == 0);
        taken = _ft_gc_take_garbage(&w, &g, &legacy);
        if (gen == 0)   /* every candidate not untracked nor garbage */
            keep_survivors(&w, &parts, w.n - w.untracked - (taken ? g.n + legacy.n : 0),
                           bits_given);
    }
    parts_free(&parts);
    size_t garbage = taken ? g.n + legacy.n : 0;
    promote(gen, (ssize_t)(w.n - w.untracked - garbage));
    _ft_gc_work_free(&w);
    ft_object *pending = taken ? _ft_gc_clear_weakrefs(&g) : NULL;
    start(&m, t0, out);
    if (!taken) {
        gate_reset(false);
        return 0;
    }
    out->unreachable = (ssize_t)(g.n + legacy.n);
    out->uncollectable = _ft_gc_save_uncollectable(&legacy);
    if (_ft_gc_finalize(&g, pending)) {
        /* The first stop succeeded and finalizers return attached, so this
         * one cannot fail; if it did, freeing what they resurrected would
         * be a use-after-free. */
        int stopped = stop(&m, &t0);
        ft_assert(stopped == 0);
        (void)stopped;
        _ft_gc_keep_resurrected(&g);
        start(&m, t0, out);
    }
    out->collected = (ssize_t)_ft_gc_finish(&g);
    gate_reset(out->unreachable != 0);
    return 0;
}

/* gil/gc.c's rule, over the same counts — with the long-lived rule on
 * generation 0 too when the trigger defers (should_collect). The gate's
 * memory is not read again here: the flush that asked has just read it,
 * and a deferral by another thread since shows as count 0 back under the
 * threshold. */
int _ft_gc_due_generation(void)
{
    int count[FT_GC_GENERATIONS];
    count[0] = (int)ft_atomic_load_relaxed(&xyoung_count);
    for (int g = 1; g < FT_GC_GENERATIONS; g++)
        count[g] = ft_atomic_load_relaxed(&xgen_count[g]);
    int64_t long_lived_total = ft_atomic_load_relaxed(&xlong_lived_total);
    for (int g = FT_GC_GENERATIONS - 1; g >= 0; g--) {
        if (!_ft_gc.threshold[g] || count[g] <= _ft_gc.threshold[g])
            continue;
        if (g == FT_GC_GENERATIONS - 1 && long_lived_pending < long_lived_total / 4)
            continue;   /* a full collection would not pay yet */
        if (g == 0 && gate_holds() && count[0] < long_lived_total / 4)
            continue;
        return g;
    }
    return FT_GC_STRESS ? 0 : -1;
}

/* ---- Enumeration, freezing, counts --------------------------------------- */

typedef struct gen_filter {
    void (*fn)(ft_object *, void *);
    void *arg;
    int gen;
    addr_set mid;            /* the live middle entries (gen 0 or 1)    */
} gen_filter;

/* Generation 0 is the young objects outside the middle, 1 the middle,
 * 2 the old ones. */
static void visit_generation(ft_object *o, void *arg)
{
    gen_filter *f = arg;
    int g = FT_GC_GENERATIONS - 1;
    if (o->ob_gc_bits & FT_GC_BIT_YOUNG)
        g = f->mid.slot && addr_find(&f->mid, o)->count ? 1 : 0;
    if (f->gen < 0 || f->gen == g)
        f->fn(o, f->arg);
}

/* World stopped: f->mid gets the middle entries still alive (the middle
 * minus gone, invariant (Y)); false when memory ran out. With the logs
 * lost nothing is known to be in the middle: every young object counts
 * as generation 0. */
static bool middle_live_set(gen_filter *f)
{
    if (ft_atomic_load_relaxed(&xlogs_lost))
        return true;
    pthread_mutex_lock(&log_lock);
    size_t ngone = 0;
    for (young_log *l = all_logs; l; l = l->all_next)
        ngone += l->gone.n;
    addr_set dead;
    bool ok = addr_set_init(&dead, ngone) && addr_set_init(&f->mid, middle.n);
    if (ok) {
        for (young_log *l = all_logs; l; l = l->all_next)
            for (size_t i = 0; i < l->gone.n; i++)
                addr_add(&dead, l->gone.p[i]);
        for (size_t i = 0; middle.n && i <= middle.mask; i++)
            if (middle.slot[i] && !addr_take(&dead, mid_obj(middle.slot[i])))
                addr_add(&f->mid, mid_obj(middle.slot[i]));
    }
    free(dead.slot);
    pthread_mutex_unlock(&log_lock);
    return ok;
}

int _ft_gc_for_each(int gen, void (*fn)(ft_object *, void *), void *arg)
{
    if (ft_stop_the_world() < 0)
        return -1;
    gen_filter f = { fn, arg, gen, { 0 } };
    if ((gen == 0 || gen == 1) && !middle_live_set(&f)) {
        free(f.mid.slot);
        ft_start_the_world();
        return ft_err_set(FT_ERR_MEMORY, "gc: no memory to tell generation 0 from 1");
    }
    walk(visit_generation, &f, false);
    free(f.mid.slot);
    ft_start_the_world();
    return 0;
}

/* Frozen objects are neither young nor old; frozen ones thawed are old. */
static void set_frozen(ft_object *o, void *arg)
{
    bool freeze = *(bool *)arg;
    o->ob_gc_bits = (uint8_t)(freeze ? (o->ob_gc_bits | FT_GC_BIT_FROZEN) & ~FT_GC_BIT_YOUNG
                                     : o->ob_gc_bits & ~FT_GC_BIT_FROZEN);
}

int _ft_gc_freeze_impl(bool freeze)
{
    if (ft_stop_the_world() < 0)
        return -1;
    walk(set_frozen, &freeze, true);
    if (freeze) {   /* as gil/gc.c: nothing young is left, counts restart */
        logs_reset_stopped(false);
        reset_counts_stopped();
        for (int g = 1; g < FT_GC_GENERATIONS; g++)
            ft_atomic_store_relaxed(&xgen_count[g], 0);
    }
    ft_start_the_world();
    return 0;
}

static void count_frozen(ft_object *o, void *arg)
{
    if (o->ob_gc_bits & FT_GC_BIT_FROZEN)
        ++*(ssize_t *)arg;
}

ssize_t _ft_gc_frozen_count(void)
{
    ssize_t n = 0;
    if (ft_stop_the_world() < 0)
        return -1;
    walk(count_frozen, &n, true);
    ft_start_the_world();
    return n;
}

void _ft_gc_counts(int out[3])
{
    int64_t n = ft_atomic_load_relaxed(&xyoung_count);
    young_log *l = my_log();
    out[0] = (int)(n + (l ? l->batch - l->budget : 0));
    for (int g = 1; g < FT_GC_GENERATIONS; g++)
        out[g] = ft_atomic_load_relaxed(&xgen_count[g]);
}

void _ft_gc_flavor_init(void)
{
    for (int s = 0; s < STRIPES; s++)
        outside[s].head.next = outside[s].head.prev = (uintptr_t)&outside[s].head;
    ft_atomic_store_relaxed(&xyoung_count, 0);
    for (int g = 0; g < FT_GC_GENERATIONS; g++)
        ft_atomic_store_relaxed(&xgen_count[g], 0);
    long_lived_pending = 0;
    ft_atomic_store_relaxed(&xlong_lived_total, 0);
    ft_atomic_store_relaxed(&xdeferred, 0);
    defer_on = _ft_runtime.config.gc_defer != 0;
    page_size = sysconf(_SC_PAGESIZE);
    /* The fork handlers before the first reading opens the descriptor
     * (mem_fork_child), not at the first log: a fork in between would
     * leave the child reading its parent's memory. */
    pthread_once(&log_once, log_once_init);
    gate_reset(true);   /* the first collection runs at the threshold */
    logs_reset_stopped(false);   /* no other thread runs yet */
}
