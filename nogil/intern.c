/* nogil/intern.c — the intern table of the nogil builds: liburcu's
 * lock-free resizable hash table (urcu/rculfhash.h) on the urcu-qsbr
 * flavor the runtime already runs (internal/qsbr.h): every attached thread
 * is a reader between two checkpoints, so lookups take no lock and no
 * read-side marker.
 *
 * The node lives inside the string (ft_str_object.node) and the table
 * holds no reference, so interned strings stay mortal. Three races shape
 * the code:
 *
 *   1. A string found in the table may be dying: its count reached zero
 *      and its tp_dealloc has not yet taken it out. _ft_try_incref refuses
 *      it; the looker then replaces it with its own string
 *      (cds_lfht_replace), and the dying one's cds_lfht_del finds its node
 *      already removed (-ENOENT) and does nothing.
 *   2. Two threads intern different strings of one value: both miss, both
 *      cds_lfht_add_unique; one wins and the other uses the winner.
 *   3. Two threads intern the *same* object at once: a node must never be
 *      added twice, so a thread first claims the object (xstate PLAIN ->
 *      PUBLISHING by CAS); the loser looks again until the claim resolves.
 *   4. A node is visible from inside cds_lfht_add_unique/replace, but its
 *      string becomes INTERNED only after the call returns: a looker that
 *      finds it in between waits for that store (found()), so that no
 *      caller holds a canonical string that ft_str_is_interned denies.
 *
 * Freed strings: tp_dealloc removes the node and frees the string with
 * _ft_object_free_after_grace, because readers that found the node before
 * the removal may still be comparing its bytes.
 *
 * The table lives as long as the process (liburcu's memory, not
 * ft_malloc's): ft_fini leaves it empty when every string died, and the
 * next ft_init reuses it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <urcu/urcu-qsbr.h>
#include <urcu/rculfhash.h>
#include "internal/intern.h"

_Static_assert(sizeof(struct cds_lfht_node) <= sizeof(ft_intern_node) &&
               _Alignof(struct cds_lfht_node) <= _Alignof(ft_intern_node),
               "ft_intern_node must hold a cds_lfht_node");

enum { INIT_BUCKETS = 1024 };

static struct cds_lfht *table;
static _Atomic size_t xlive;   /* canonical strings in the table */

static struct cds_lfht_node *node_of(ft_str_object *s)
{
    return (struct cds_lfht_node *)(void *)&s->node;
}

static ft_str_object *str_of(struct cds_lfht_node *n)
{
    return (ft_str_object *)(void *)((char *)n - offsetof(ft_str_object, node));
}

void _ft_intern_init(void)
{
    if (!table)
        table = cds_lfht_new_flavor(INIT_BUCKETS, INIT_BUCKETS, 0,
                                    CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING,
                                    &urcu_qsbr_flavor, NULL);
}

size_t _ft_intern_count(void) { return ft_atomic_load_relaxed(&xlive); }

/* The table's match function: same bytes (the table compared hashes). */
static int match(struct cds_lfht_node *n, const void *key)
{
    ft_str_object *cand = str_of(n);
    const ft_str_object *s = key;
    /* acquire: pairs with the release in claim(). liburcu's
     * rcu_dereference already orders the candidate's bytes before this
     * read, but TSan cannot see inside liburcu; without this it would
     * report the creator's writes racing with our memcmp. */
    (void)ft_atomic_load_acquire(&cand->xstate);
    return cand->size == s->size && memcmp(cand->data, s->data, (size_t)s->size) == 0;
}

/* Claims s for insertion. Returns PLAIN when we may add s's node;
 * INTERNED when s is already canonical; PUBLISHING while another thread
 * holds the claim. */
static uint32_t claim(ft_str_object *s)
{
    uint32_t state = FT_STR_PLAIN;
    /* Before the node is visible: a non-owner must be able to try-incref. */
    _ft_object_set_shared(&s->ob_base);
    /* release: s's bytes happen-before any match() that reads the state
     * (see match); acquire on failure so INTERNED implies s is in place. */
    if (ft_atomic_cas_acq_rel(&s->xstate, &state, FT_STR_PUBLISHING))
        return FT_STR_PLAIN;
    return state;
}

static ft_object *inserted(ft_str_object *s)
{
    /* release: keeps the pairing of match() with claim() for a reader
     * that sees this later value. */
    ft_atomic_store_release(&s->xstate, FT_STR_INTERNED);
    return ft_newref(&s->ob_base);
}

/* w was found in the table and we hold a reference: see race 4. The
 * publisher's store is a few instructions away with no checkpoint
 * between (a stop-the-world cannot park it there), so the wait is short. */
static ft_object *found(ft_str_object *w)
{
    /* acquire: pairs with the release in inserted(). A visible node never
     * goes back to PLAIN: unclaim() runs only when the add or the replace
     * failed, i.e. for a node that never became visible. */
    while (ft_atomic_load_acquire(&w->xstate) == FT_STR_PUBLISHING)
        caa_cpu_relax();
    return &w->ob_base;
}

static void unclaim(ft_str_object *s)
{
    ft_atomic_store_release(&s->xstate, FT_STR_PLAIN);
}

/* Nothing live of s's value was found: add s. NULL means look again
 * (the winner of a race was dying, or another thread holds s's claim). */
static ft_object *try_add(ft_str_object *s, unsigned long h)
{
    uint32_t state = claim(s);
    if (state != FT_STR_PLAIN)
        return state == FT_STR_INTERNED ? ft_newref(&s->ob_base) : NULL;
    struct cds_lfht_node *won = cds_lfht_add_unique(table, h, match, s, node_of(s));
    if (won == node_of(s)) {
        ft_atomic_add_relaxed(&xlive, 1);
        return inserted(s);
    }
    unclaim(s);
    ft_str_object *w = str_of(won);
    return _ft_try_incref(&w->ob_base) ? found(w) : NULL;
}

/* The canonical string at it is dying: put s in its place. */
static ft_object *try_replace(ft_str_object *s, unsigned long h,
                              struct cds_lfht_iter *it)
{
    uint32_t state = claim(s);
    if (state != FT_STR_PLAIN)
        return state == FT_STR_INTERNED ? ft_newref(&s->ob_base) : NULL;
    if (cds_lfht_replace(table, it, h, match, s, node_of(s)) == 0)
        return inserted(s);   /* the count moves from the dying one to s */
    unclaim(s);               /* removed meanwhile: look again */
    return NULL;
}

ft_object *_ft_intern_get(ft_str_object *s)
{
    if (!table) {
        ft_err_set(FT_ERR_MEMORY, "ft_str_intern: no intern table");
        return NULL;
    }
    unsigned long h = (unsigned long)_ft_str_hash(s);
    for (;;) {
        struct cds_lfht_iter it;
        cds_lfht_lookup(table, h, match, s, &it);
        struct cds_lfht_node *n = cds_lfht_iter_get_node(&it);
        ft_object *r;
        if (!n)
            r = try_add(s, h);
        else if (_ft_try_incref(&str_of(n)->ob_base))
            r = found(str_of(n));
        else
            r = try_replace(s, h, &it);
        if (r)
            return r;
        caa_cpu_relax();   /* a race resolves within a few instructions */
    }
}

void _ft_intern_remove(ft_str_object *s)
{
    /* -ENOENT: a looker already replaced us (race 1): nothing to undo. */
    if (cds_lfht_del(table, node_of(s)) == 0)
        ft_atomic_add_relaxed(&xlive, (size_t)-1);
}
