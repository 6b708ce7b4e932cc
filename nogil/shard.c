/* nogil/shard.c — sharded reference counts (ftlab/refcount.h, nogil
 * flavors; the gil build, whose counts are plain adds under the GIL, has
 * nothing to shard: gil/shard.c).
 *
 * Why. A function, class or module that N threads use at once gets an
 * incref and a decref from each of them for every call, instance or
 * attribute read. In nogil only the owner counts without an atomic; the
 * others add to ob_ref_shared, one cache line that bounces between the
 * cores, and two threads calling one function run slower than one.
 * CPython 3.13 made such objects immortal when the first thread started
 * (and leaked them); 3.14 defers their counts through tagged stack
 * references. Sharding keeps every reference counted, exactly, but in
 * per-thread counters: a sharded object's count is
 *
 *     (ob_ref_shared >> 2) - FT_SHARD_BIAS  +  sum over threads of
 *                                               counts[index] of that thread
 *
 * where index (kept in ob_tid) is the object's slot in the shard table.
 * A thread adds to its own counter with a plain add (single writer); the
 * sum is only ever taken with the world stopped (ft_object_unshard_all)
 * or when a thread exits (it adds its counters into ob_ref_shared,
 * atomically, and forgets them). While sharded, an object never dies:
 * nobody sees its whole count. Unsharding frees those whose count was 0.
 *
 * Sharding an object that others may be using. The caller owns o (or o
 * has no owner). Other threads only ever add to ob_ref_shared (the
 * non-owner path), which stays part of the count in both states, so the
 * steps are: (1) CAS the owner's local count and a large bias into
 * ob_ref_shared, state MERGED; (2) ob_tid = index; (3) ob_ref_local =
 * SHARDED. Between (1) and (3) the owner's count is in both words (only
 * this thread reads ob_ref_local, and it is busy here); a thread that
 * still reads the old local count or the old ob_tid counts on
 * ob_ref_shared, where the bias keeps the count far from zero: no
 * non-owner decref can queue the object or free it (brc.c's triggers are
 * a shared count of zero). A thread that reads SHARDED before it can see
 * the index (ob_tid not yet an index it knows) counts on ob_ref_shared
 * too. An object queued to its owner (state QUEUED) is not sharded: the
 * owner's merge would overwrite both words.
 *
 * Locks. `lock` (a pthread mutex, never held across a checkpoint) guards
 * the table and the list of per-thread blocks; `xpublished` (the number of
 * table slots in use) is also read without it, by the slow add path.
 * Unsharding stops the world first, then takes the lock: every other
 * thread is parked at a checkpoint, so none is inside an add, and their
 * blocks can be read and freed.
 */
#include <pthread.h>
#include <stdlib.h>
#include "internal/object.h"
#include "internal/tstate.h"

_Thread_local _ft_shard_block _ft_shard_tls __attribute__((tls_model("initial-exec")));

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static ft_object **table;              /* lock; NULL: a slot given up     */
static size_t table_cap;               /* lock                             */
static _Atomic size_t xpublished;      /* slots in use (written under lock) */
static _ft_shard_block *blocks;        /* lock: blocks with counts         */

static void block_link(_ft_shard_block *b)
{
    b->prev = NULL;
    b->next = blocks;
    if (blocks)
        blocks->prev = b;
    blocks = b;
}

static void block_unlink(_ft_shard_block *b)
{
    if (b->prev)
        b->prev->next = b->next;
    else
        blocks = b->next;
    if (b->next)
        b->next->prev = b->prev;
    b->next = b->prev = NULL;
}

/* Makes this thread's array cover index i. false: out of memory. */
static bool grow(size_t i)
{
    _ft_shard_block *b = &_ft_shard_tls;
    size_t want = b->len ? 2 * b->len : 64;
    while (want <= i)
        want *= 2;
    intptr_t *c = realloc(b->counts, want * sizeof *c);
    if (!c)
        return false;
    for (size_t k = b->len; k < want; k++)
        c[k] = 0;
    bool first = b->counts == NULL;
    b->counts = c;
    b->len = want;
    if (first) {
        pthread_mutex_lock(&lock);
        block_link(b);
        pthread_mutex_unlock(&lock);
    }
    return true;
}

FT_NOINLINE void _ft_shard_add_out(ft_object *o, intptr_t delta)
{
    _ft_shard_add(o, delta);
}

void _ft_shard_add_slow(ft_object *o, intptr_t delta)
{
    uintptr_t i = ft_atomic_load_relaxed(&o->ob_tid);
    /* acquire: pairs with the release that published slot i, so that a
     * later fold or unshard (under the lock) finds table[i] set. */
    size_t known = ft_atomic_load_acquire(&xpublished);
    if (i < known && !_ft_shard_tls.closed && grow((size_t)i)) {
        _ft_shard_tls.counts[i] += delta;
        return;
    }
    /* Not an index we know yet (ob_tid is still the owner's id), a thread
     * that has folded its counters already (its last decrefs, in
     * _ft_tstate_delete_current), or no memory: the shared word is part of
     * the count in both states.
     * relaxed: a count change publishes nothing. */
    ft_atomic_add_relaxed(&o->ob_ref_shared, delta * ((intptr_t)1 << FT_REF_SHARED_SHIFT));
}

/* Reserves a slot for o; SIZE_MAX when out of memory. */
static size_t slot_take(ft_object *o)
{
    pthread_mutex_lock(&lock);
    size_t i = ft_atomic_load_relaxed(&xpublished);
    if (i == table_cap) {
        size_t cap = table_cap ? 2 * table_cap : 256;
        ft_object **t = realloc(table, cap * sizeof *t);
        if (!t) {
            pthread_mutex_unlock(&lock);
            return SIZE_MAX;
        }
        table = t;
        table_cap = cap;
    }
    table[i] = o;
    /* release: see _ft_shard_add_slow */
    ft_atomic_store_release(&xpublished, i + 1);
    pthread_mutex_unlock(&lock);
    return i;
}

static void slot_give_up(size_t i)
{
    pthread_mutex_lock(&lock);
    table[i] = NULL;
    pthread_mutex_unlock(&lock);
}

bool ft_object_shard(ft_object *o)
{
    uint32_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
    if (local >= FT_SHARDED_LOCAL)
        return false;                  /* immortal, or sharded already   */
    if (!_ft_is_owned(o) && ft_atomic_load_relaxed(&o->ob_tid) != 0)
        return false;                  /* another thread's local count    */
    intptr_t shared = ft_atomic_load_relaxed(&o->ob_ref_shared);
    if ((shared & FT_REF_SHARED_MASK) == FT_REF_QUEUED)
        return false;
    size_t i = slot_take(o);
    if (i == SIZE_MAX)
        return false;
    for (;;) {
        if ((shared & FT_REF_SHARED_MASK) == FT_REF_QUEUED) {
            slot_give_up(i);
            return false;
        }
        intptr_t count = (shared >> FT_REF_SHARED_SHIFT) + (intptr_t)local + FT_SHARD_BIAS;
        /* acq_rel, as every CAS of ob_ref_shared (brc.c) */
        if (ft_atomic_cas_acq_rel(&o->ob_ref_shared, &shared,
                                  (count << FT_REF_SHARED_SHIFT) | FT_REF_MERGED))
            break;
    }
    /* relaxed: a thread that reads SHARDED before this index counts on
     * ob_ref_shared (_ft_shard_add_slow), which is exact. */
    ft_atomic_store_relaxed(&o->ob_tid, (uintptr_t)i);
    ft_atomic_store_relaxed(&o->ob_ref_local, FT_SHARDED_LOCAL);
    return true;
}

bool ft_object_is_sharded(ft_object *o)
{
    return ft_atomic_load_relaxed(&o->ob_ref_local) == FT_SHARDED_LOCAL;
}

void _ft_shard_thread_exit(void)
{
    _ft_shard_block *b = &_ft_shard_tls;
    b->closed = true;   /* what this thread still counts goes to the objects */
    if (!b->counts)
        return;
    pthread_mutex_lock(&lock);
    size_t n = ft_atomic_load_relaxed(&xpublished);
    for (size_t i = 0; i < b->len && i < n; i++) {
        if (b->counts[i] && table[i])
            /* relaxed: as any non-owner count change */
            ft_atomic_add_relaxed(&table[i]->ob_ref_shared,
                                  b->counts[i] * ((intptr_t)1 << FT_REF_SHARED_SHIFT));
    }
    block_unlink(b);
    pthread_mutex_unlock(&lock);
    free(b->counts);
    b->counts = NULL;
    b->len = 0;
}

size_t ft_object_unshard_all(void)
{
    if (ft_atomic_load_acquire(&xpublished) == 0)
        return 0;
    if (ft_stop_the_world() != 0)
        return 0;
    pthread_mutex_lock(&lock);
    size_t n = ft_atomic_load_relaxed(&xpublished);
    intptr_t *total = malloc(n * sizeof *total);
    ft_object **dead = malloc(n * sizeof *dead);
    size_t ndead = 0, nsharded = 0;
    if (!total || !dead) {
        pthread_mutex_unlock(&lock);
        ft_start_the_world();
        free(total);
        free(dead);
        return 0;   /* they stay sharded (ft_fini will report them) */
    }
    for (size_t i = 0; i < n; i++) {
        ft_object *o = table[i];
        total[i] = o ? (ft_atomic_load_relaxed(&o->ob_ref_shared) >> FT_REF_SHARED_SHIFT) -
                       FT_SHARD_BIAS
                     : 0;
    }
    while (blocks) {
        _ft_shard_block *b = blocks;
        for (size_t i = 0; i < b->len && i < n; i++)
            total[i] += b->counts[i];
        block_unlink(b);
        free(b->counts);   /* the thread is parked: its block is ours */
        b->counts = NULL;
        b->len = 0;
    }
    for (size_t i = 0; i < n; i++) {
        ft_object *o = table[i];
        if (!o)
            continue;
        nsharded++;
        if (total[i] < 0)
            _ft_object_fatal(o, "sharded count below zero");
        ft_atomic_store_relaxed(&o->ob_tid, 0);
        ft_atomic_store_relaxed(&o->ob_ref_local, 0);
        ft_atomic_store_relaxed(&o->ob_ref_shared,
                                (total[i] << FT_REF_SHARED_SHIFT) | FT_REF_MERGED);
        if (total[i] == 0)
            dead[ndead++] = o;
    }
    ft_atomic_store_release(&xpublished, 0);
    pthread_mutex_unlock(&lock);
    ft_start_the_world();
    /* Every object is ordinary again before any dies: a dealloc's decrefs
     * of the others are plain merged decrefs. */
    for (size_t i = 0; i < ndead; i++)
        _ft_dealloc(dead[i]);
    free(total);
    free(dead);
    return nsharded;
}
