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
 * A removed node is freed by call_rcu after a grace period: a reader
 * that found it before the removal may still be reading its frames.
 * TSan cannot see that ordering inside liburcu; the reclaim callback
 * acquires the grace-period clock of internal/qsbr.h, which every
 * quiescent state and every reader_leave releases.
 */
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
    if (ft_likely(urcu_qsbr_read_ongoing()))
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

/* Runs on liburcu's call_rcu thread after the grace period. */
static void ft_trace_node_reclaim(struct rcu_head *head)
{
    nogil_link *l = caa_container_of(head, nogil_link, rcu);
    ft_trace_node *n = node_of(&l->node);
    /* For TSan: every reader that may have found the node passed a
     * quiescent state (or left its reader section) since the removal. */
    _ft_qsbr_tsan_acquire();
    /* acquire: pairs with the release in _ft_traces_retire. */
    (void)ft_atomic_load_acquire(&n->xaddr);
    free(n);
}

void _ft_traces_retire(ft_trace_node *n)
{
    /* release: the remover's reads of the node (and, through the acquire
     * in match(), the inserter's writes) happen-before the free on the
     * call_rcu thread. The grace period orders them already, but TSan
     * cannot see it; readers that found the node before its removal are
     * ordered for TSan by the grace clock (internal/qsbr.h), which we
     * release into too. No lookup matches 0. */
    ft_atomic_store_release(&n->xaddr, 0);
    _ft_qsbr_tsan_release();
    reader_state s = reader_enter();   /* call_rcu wants an online caller */
    urcu_qsbr_call_rcu(&link_of(n)->rcu, ft_trace_node_reclaim);
    reader_leave(s);
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
}
