/* nogil/traces.c — the trace table of the nogil builds: liburcu's
 * lock-free resizable hash table (urcu/rculfhash.h) on the urcu-qsbr
 * flavor the runtime already runs (internal/qsbr.h), keyed by block
 * address. As for the intern table (nogil/intern.c), every attached
 * thread is a reader between two checkpoints, so insert, lookup and
 * remove take no lock and no read-side marker.
 *
 * Who may call
 *   - attached threads (online readers): every allocation and free;
 *   - anyone else (a thread offline or not registered with QSBR, which
 *     the runtime's contract forbids but a shutdown path may do): the
 *     operation goes online (registering if needed) around itself, so
 *     it never walks the table unprotected.
 *
 * A removed node is freed after a grace period: a reader that found it
 * before the removal may still be reading it (and its traceback). Not
 * one call_rcu per node — call_rcu queues to liburcu's thread and may
 * wake it, which cost more than the rest of a traced free — but per
 * batch: each thread gathers what it retires (nodes, and the interned
 * tracebacks dropped at stop and clear) in a batch of BATCH blocks, and a
 * full batch goes to call_rcu once. Its callback frees the tracebacks
 * and, while tracing, keeps the nodes for reuse: the batch goes on a
 * shared stack (`xready`, at most READY_MAX batches), which a thread out
 * of nodes takes whole; fresh nodes come from malloc only until the first
 * grace periods have passed, and glibc no longer sees every node freed
 * on liburcu's thread and allocated again on another.
 * When a batch cannot be allocated, the block goes alone, through the
 * rcu_head in its own link (the old way, never lost).
 * Who flushes a batch that is not full:
 *   - _ft_traces_drain (stop, clear, ft_fini): the calling thread's, and
 *     it frees its spare nodes and the shared stack's;
 *   - a thread's exit: a pthread key destructor hands its batch over and
 *     frees its spares;
 *   - otherwise it waits for its thread's next retire: at most BATCH - 1
 *     blocks (and the spares) per live thread stay unfreed after tracing
 *     stopped, reachable, reused by the next start.
 * TSan cannot see the grace period inside liburcu; the reclaim callback
 * acquires the grace-period clock of internal/qsbr.h, which every
 * quiescent state, every reader_leave and every hand-over releases.
 */
#include <pthread.h>
#include <stdlib.h>
#include <urcu/urcu-qsbr.h>
#include <urcu/rculfhash.h>
#include "internal/qsbr.h"
#include "internal/tstate.h"
#include "tools/traces.h"

typedef struct nogil_link {
    struct cds_lfht_node node;
    struct rcu_head rcu;
} nogil_link;

_Static_assert(sizeof(nogil_link) <= sizeof(ft_trace_link) &&
               _Alignof(nogil_link) <= _Alignof(ft_trace_link),
               "ft_trace_link must hold a cds_lfht_node and an rcu_head");
/* The fallback reclaim frees the link's address: it must be the block's. */
_Static_assert(offsetof(ft_trace_node, link) == 0 && offsetof(ft_trace_tb, link) == 0,
               "the link must lead nodes and tracebacks");

enum { INIT_BUCKETS = 4096 };

/* Made once, by the first start; released: the table is complete. */
static _Atomic(struct cds_lfht *) xtable;
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;

static nogil_link *link_of(ft_trace_node *n) { return (nogil_link *)(void *)&n->link; }

static ft_trace_node *node_of(struct cds_lfht_node *ln)
{
    return (ft_trace_node *)(void *)((char *)ln - offsetof(ft_trace_node, link));
}

static unsigned long hash_addr(uintptr_t a)
{
    uint64_t h = (uint64_t)a >> 4;   /* blocks are 16-byte aligned */
    h ^= h >> 31;
    h *= 0x9e3779b97f4a7c15ull;
    return (unsigned long)(h ^ (h >> 29));
}

static int match(struct cds_lfht_node *ln, const void *key)
{
    /* acquire: pairs with the release in new_node (tracemalloc.c), so
     * what we read of the node next is the inserter's (for TSan, which
     * cannot see liburcu's rcu_dereference). */
    return ft_atomic_load_acquire(&node_of(ln)->xaddr) == (uintptr_t)key;
}

static struct cds_lfht *table(void)
{
    /* acquire: pairs with the release in _ft_traces_init. */
    return ft_atomic_load_acquire(&xtable);
}

int _ft_traces_init(void)
{
    if (table())
        return 0;
    pthread_mutex_lock(&init_lock);
    if (!table()) {
        /* CDS_LFHT_ACCOUNTING costs a sched_getcpu and an atomic add per
         * insert and delete, but without it the table grows on every
         * chain of three an insert meets, and never shrinks: it grew to
         * millions of buckets, which every snapshot walks. */
        struct cds_lfht *t = cds_lfht_new_flavor(INIT_BUCKETS, INIT_BUCKETS, 0,
                                                 CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING,
                                                 &urcu_qsbr_flavor, NULL);
        ft_atomic_store_release(&xtable, t);
    }
    pthread_mutex_unlock(&init_lock);
    return table() ? 0 : ft_err_set(FT_ERR_MEMORY, "tracemalloc: cannot "
                                    "allocate the trace table");
}

/* ---- Being a reader ----------------------------------------------------- */

typedef enum reader_state { READER_ONLINE, READER_OFFLINE, READER_NONE } reader_state;

static reader_state reader_enter(void)
{
    /* An attached thread is online (internal/qsbr.h: attach and detach
     * are thread_online and thread_offline, and no hook runs in between
     * the two halves of either); asking liburcu costs a call and a
     * general-dynamic TLS access. */
    if (ft_likely(_ft_is_attached(_ft_tstate_current)) || urcu_qsbr_read_ongoing())
        return READER_ONLINE;
    if (_ft_tstate_current) {     /* registered with QSBR, but offline */
        urcu_qsbr_thread_online();
        return READER_OFFLINE;
    }
    urcu_qsbr_register_thread();  /* starts online */
    return READER_NONE;
}

static void reader_leave(reader_state s)
{
    if (s != READER_ONLINE)
        _ft_qsbr_tsan_release();   /* our reads end here, as at a QS */
    if (s == READER_OFFLINE)
        urcu_qsbr_thread_offline();
    else if (s == READER_NONE)
        urcu_qsbr_unregister_thread();
}

/* ---- Operations ---------------------------------------------------------- */

ft_trace_node *_ft_traces_insert(ft_trace_node *n)
{
    uintptr_t a = ft_atomic_load_relaxed(&n->xaddr);
    reader_state s = reader_enter();
    cds_lfht_node_init(&link_of(n)->node);
    struct cds_lfht_node *old = cds_lfht_add_replace(table(), hash_addr(a), match,
                                                     (const void *)a, &link_of(n)->node);
    reader_leave(s);
    return old ? node_of(old) : NULL;
}

/* The table's node for addr, or NULL; inside a reader section. */
static struct cds_lfht_node *find(struct cds_lfht *t, uintptr_t addr)
{
    struct cds_lfht_iter it;
    cds_lfht_lookup(t, hash_addr(addr), match, (const void *)addr, &it);
    return cds_lfht_iter_get_node(&it);
}

ft_trace_node *_ft_traces_remove(uintptr_t addr)
{
    struct cds_lfht *t = table();
    if (!t)
        return NULL;
    reader_state s = reader_enter();
    struct cds_lfht_node *ln = find(t, addr);
    /* -ENOENT: another remover (stop's drain) got it first. */
    if (ln && cds_lfht_del(t, ln) != 0)
        ln = NULL;
    reader_leave(s);
    return ln ? node_of(ln) : NULL;
}

/* ---- Retiring in batches, reusing nodes ----------------------------------- */

enum {
    BATCH = 253,        /* blocks per batch: a batch is 2 KiB          */
    READY_MAX = 4096,   /* batches kept for reuse: 1M nodes, 72 MiB     */
};

typedef struct retire_batch {
    struct rcu_head rcu;
    struct retire_batch *next;   /* on xready, or on a thread's spares   */
    unsigned n;
    /* System-malloc blocks; the low bit set marks a traceback (freed by
     * the reclaim), clear a node (kept for reuse). */
    void *blocks[BATCH];
} retire_batch;

/* Batches of nodes past their grace period, for any thread to reuse:
 * pushed by the reclaim (release), taken whole by an exchange (acquire),
 * so there is no pop to suffer ABA. xready_count bounds them. */
static _Atomic(retire_batch *) xready;
static _Atomic int xready_count;

/* The calling thread's batches. keyed: batch_key holds &tn, so that the
 * thread's exit hands them over (thread_exit). */
typedef struct thread_nodes {
    retire_batch *retired;       /* being filled, or NULL               */
    retire_batch *spare;         /* nodes to reuse: a chain, each n > 0 */
    bool keyed;
} thread_nodes;

static _Thread_local thread_nodes tn;
static pthread_key_t batch_key;
static pthread_once_t batch_once = PTHREAD_ONCE_INIT;
static bool batch_key_ok;

static uintptr_t tag_of(void *block) { return (uintptr_t)block & 1u; }

static void free_block(void *block)
{
    free((void *)((uintptr_t)block & ~(uintptr_t)1));
}

/* Frees a batch and every block in it. */
static void free_batch(retire_batch *b)
{
    for (unsigned i = 0; i < b->n; i++)
        free_block(b->blocks[i]);
    free(b);
}

/* Runs on liburcu's call_rcu thread after the grace period. */
static void batch_reclaim(struct rcu_head *head)
{
    retire_batch *b = caa_container_of(head, retire_batch, rcu);
    /* For TSan: every reader that may have found a block passed a
     * quiescent state (or left its reader section) since its removal,
     * and the retiring thread released before the hand-over. */
    _ft_qsbr_tsan_acquire();
    unsigned nodes = 0;
    for (unsigned i = 0; i < b->n; i++) {
        if (tag_of(b->blocks[i]))
            free_block(b->blocks[i]);
        else
            b->blocks[nodes++] = b->blocks[i];
    }
    b->n = nodes;
    /* Kept while tracing, and while fewer than READY_MAX are. */
    bool keep = nodes && _ft_trace_on();
    if (keep && ft_atomic_add_relaxed(&xready_count, 1) >= READY_MAX) {
        ft_atomic_add_relaxed(&xready_count, -1);
        keep = false;
    }
    if (!keep) {
        free_batch(b);
        _ft_qsbr_call_end();   /* last: a barrier may skip from now on */
        return;
    }
    /* release: the reuser's exchange acquires our history, the grace
     * clock included, before it writes the node. */
    retire_batch *top = ft_atomic_load_relaxed(&xready);
    do {
        b->next = top;
    } while (!atomic_compare_exchange_weak_explicit(&xready, &top, b, memory_order_release,
                                                    memory_order_relaxed));
    _ft_qsbr_call_end();
}

static void call_rcu_online(struct rcu_head *head, void (*fn)(struct rcu_head *))
{
    /* The grace clock: our reads of the blocks, and (through the acquire
     * in match()) their inserters' writes, happen-before the callback. */
    _ft_qsbr_tsan_release();
    reader_state s = reader_enter();   /* call_rcu wants an online caller */
    _ft_qsbr_call_begin();   /* counted: the barrier waits for it */
    urcu_qsbr_call_rcu(head, fn);
    reader_leave(s);
}

static void batch_hand_over(retire_batch *b)
{
    if (b->n == 0)
        free(b);
    else
        call_rcu_online(&b->rcu, batch_reclaim);
}

/* Frees a chain of spare batches (taken off xready, so counted there). */
static void free_spares(retire_batch *b)
{
    for (retire_batch *next; b; b = next) {
        next = b->next;
        ft_atomic_add_relaxed(&xready_count, -1);
        free_batch(b);
    }
}

/* Destructor of batch_key: the exiting thread's batches. */
static void thread_exit(void *arg)
{
    thread_nodes *t = arg;
    retire_batch *r = t->retired, *sp = t->spare;
    *t = (thread_nodes){ NULL, NULL, false };
    if (r)
        batch_hand_over(r);
    free_spares(sp);
}

static void make_batch_key(void)
{
    batch_key_ok = pthread_key_create(&batch_key, thread_exit) == 0;
}

/* Can the calling thread keep batches? Only once its exit will see them
 * (else they would be lost with it): then blocks go one by one. */
static bool keyed(void)
{
    if (ft_likely(tn.keyed))
        return true;
    pthread_once(&batch_once, make_batch_key);
    tn.keyed = batch_key_ok && pthread_setspecific(batch_key, &tn) == 0;
    return tn.keyed;
}

/* The calling thread's batch with room for one more, or NULL (no memory,
 * or no key: the caller retires its block alone). */
static retire_batch *take_batch(void)
{
    retire_batch *b = tn.retired;
    if (ft_likely(b && b->n < BATCH))
        return b;
    tn.retired = NULL;
    if (b)
        batch_hand_over(b);   /* full */
    if (!keyed() || !(b = malloc(sizeof *b)))
        return NULL;
    b->n = 0;
    tn.retired = b;
    return b;
}

/* The fallback: one block through its own link's rcu_head. */
static void block_reclaim(struct rcu_head *head)
{
    _ft_qsbr_tsan_acquire();
    free(caa_container_of(head, nogil_link, rcu));
    _ft_qsbr_call_end();
}

static void retire_block(void *block, bool traceback)
{
    retire_batch *b = take_batch();
    if (ft_likely(b))
        b->blocks[b->n++] = (void *)((uintptr_t)block | traceback);
    else   /* the link leads the block (checked above) */
        call_rcu_online(&((nogil_link *)block)->rcu, block_reclaim);
}

void _ft_traces_retire(ft_trace_node *n)
{
    /* release: the remover's reads of the node happen-before its reuse or
     * free; for TSan, which cannot see the grace period (the grace clock
     * covers the other readers). No lookup matches 0. */
    ft_atomic_store_release(&n->xaddr, 0);
    _ft_qsbr_tsan_release();
    retire_block(n, false);
}

void _ft_traces_retire_tb(ft_trace_tb *tb)
{
    _ft_qsbr_tsan_release();
    retire_block(tb, true);
}

ft_trace_node *_ft_traces_node_new(void)
{
    retire_batch *b = tn.spare;
    if (!b && ft_atomic_load_relaxed(&xready) && keyed()) {
        /* acquire: pairs with the reclaim's release push. */
        b = tn.spare = atomic_exchange_explicit(&xready, NULL, memory_order_acquire);
    }
    if (!b)
        return malloc(sizeof(ft_trace_node));
    void *node = b->blocks[--b->n];
    if (b->n == 0) {   /* empty: its container becomes our next batch */
        tn.spare = b->next;
        ft_atomic_add_relaxed(&xready_count, -1);
        if (!tn.retired)
            tn.retired = b;
        else
            free(b);
    }
    return node;
}

/* With the world stopped (drain): the caller's batch goes to a grace
 * period, its spares and the shared ones back to the system. */
static void flush_batches(void)
{
    retire_batch *r = tn.retired, *sp = tn.spare;
    tn.retired = tn.spare = NULL;
    if (r)
        batch_hand_over(r);
    free_spares(sp);
    /* acquire: as in _ft_traces_node_new */
    free_spares(atomic_exchange_explicit(&xready, NULL, memory_order_acquire));
}

bool _ft_traces_lookup(uintptr_t addr, void (*fn)(const ft_trace_node *, void *),
                       void *arg)
{
    struct cds_lfht *t = table();
    if (!t)
        return false;
    reader_state s = reader_enter();
    struct cds_lfht_node *ln = find(t, addr);
    if (ln)
        fn(node_of(ln), arg);
    reader_leave(s);
    return ln != NULL;
}

/* One pass over the table in a reader section: shows every node to visit,
 * or (take given) unlinks every node and hands it to take. */
static void walk(void (*visit)(const ft_trace_node *, void *),
                 void (*take)(ft_trace_node *, void *), void *arg)
{
    struct cds_lfht *t = table();
    if (!t)
        return;
    reader_state s = reader_enter();
    struct cds_lfht_iter it;
    struct cds_lfht_node *ln;
    cds_lfht_for_each(t, &it, ln) {
        ft_trace_node *n = node_of(ln);
        if (take) {
            if (cds_lfht_del(t, ln) == 0)   /* 0: this pass unlinked it */
                take(n, arg);
        } else {
            (void)ft_atomic_load_acquire(&n->xaddr);   /* as in match() */
            visit(n, arg);
        }
    }
    reader_leave(s);
}

void _ft_traces_for_each(void (*fn)(const ft_trace_node *, void *), void *arg)
{
    walk(fn, NULL, arg);
}

void _ft_traces_drain(void (*fn)(ft_trace_node *, void *), void *arg)
{
    walk(NULL, fn, arg);
    flush_batches();
}
