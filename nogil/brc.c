/* nogil/brc.c — biased reference counting: the slow paths and the merge
 * queues (ftlab/refcount.h has the fast paths; after CPython's
 * Objects/object.c and Python/brc.c, PEP 703).
 *
 * Who changes what
 *   ob_ref_local   the owner only (relaxed load + store)
 *   ob_ref_shared  anyone, by CAS / atomic add
 *   ob_tid         set at allocation; cleared to 0 by whoever merges
 *
 * The three ways counts merge
 *   1. the owner's local count reaches zero: if the shared part is zero
 *      too the object dies at once; otherwise the shared word becomes
 *      MERGED and from then on holds the whole count;
 *   2. another thread's decref finds the shared part at zero (nothing
 *      queued, nothing merged): instead of going negative it marks the
 *      object QUEUED and hands its reference to the owner's merge queue;
 *      the owner merges at its next checkpoint (FT_REQ_RC_MERGE);
 *   3. the owner has exited: the queuing thread finds no owner in the
 *      buckets and merges itself.
 * A thread that exits merges every object it still owns (walking its own
 * heaps when obmalloc serves objects) and then its queue, so no live
 * object keeps the id of a dead thread. A thread may do both earlier,
 * with ft_thread_retire, before it tells a joiner it is done: objects
 * other threads drop after that die in the dropping thread at once
 * (case 3), not in the retired thread's exit after the joiner woke up.
 *
 * Only one thread ever merges an object at a time: the owner (at a
 * checkpoint or at exit, while it is still in its bucket), or, once the
 * owner has left its bucket, a thread that queues to it. explicit_merge
 * reads two words; two concurrent merges could each count the other's
 * half, so this rule is what keeps counts exact.
 *
 * Buckets. Threads are found by id in FT_BRC_BUCKETS buckets, each a mutex
 * and a list of thread states; the bucket's mutex guards its threads'
 * queues. A thread is in its bucket from _ft_refcount_thread_init until
 * _ft_refcount_thread_exit.
 *
 * Memory orders. Every CAS on ob_ref_shared is acq_rel: a decref releases
 * the writes its thread made to the object, and whichever thread then
 * frees the object has acquired all of them.
 */
#include <pthread.h>
#include <stdlib.h>
#include "internal/object.h"
#include "internal/tstate.h"
#include "mem/heap.h"

enum { FT_BRC_BUCKETS = 257 };

typedef struct brc_bucket {
    pthread_mutex_t lock;
    ft_tstate *threads;
} brc_bucket;

/* Initialised statically: a pthread_once and 257 pthread_mutex_init at
 * the first use cost every run ~10k instructions, and the once's test
 * was on every lookup. */
static brc_bucket buckets[FT_BRC_BUCKETS] = {
    [0 ... FT_BRC_BUCKETS - 1] = { .lock = PTHREAD_MUTEX_INITIALIZER },
};
/* Objects in all the queues: changed under the queue's bucket lock, read
 * without it by _ft_refcount_merge_queued_stopped, which with nothing
 * queued skips the 257 lock/unlock pairs of its walk (every collection
 * makes one; ft_fini's five cost 90k instructions that way). */
static _Atomic size_t xqueued;

static brc_bucket *bucket_of(uintptr_t tid)
{
    return &buckets[(tid >> 12) % FT_BRC_BUCKETS];
}

static ft_tstate *find_thread(brc_bucket *b, uintptr_t tid)
{
    ft_tstate *t = b->threads;
    while (t && t->brc.tid != tid)
        t = t->brc.bucket_next;
    return t;
}

/* Folds both counts, plus `extra`, into a MERGED shared word and returns
 * the total. The caller is the owner, or the owner is gone: nobody else
 * writes ob_ref_local, so one read of it is the value.
 *
 * Order matters: ob_tid and ob_ref_local are cleared *before* the CAS.
 * Once the MERGED word is published another thread may drop the last
 * reference and free the object at once; a store after the CAS could land
 * in a block already reused by a new object (seen as a leak in
 * stress_refcount: a new object's local count of 1 zeroed, its next decref
 * wrapping to the immortal value). */
static intptr_t explicit_merge(ft_object *o, intptr_t extra)
{
    _FT_RC_COUNT(merged);
    ft_atomic_store_relaxed(&o->ob_tid, 0);   /* queuers now see no owner */
    intptr_t local = (intptr_t)ft_atomic_load_relaxed(&o->ob_ref_local);
    ft_atomic_store_relaxed(&o->ob_ref_local, 0);
    intptr_t shared = ft_atomic_load_relaxed(&o->ob_ref_shared), total;
    do {
        total = (shared >> FT_REF_SHARED_SHIFT) + local + extra;
    } while (!ft_atomic_cas_acq_rel(&o->ob_ref_shared, &shared,
                                    (total << FT_REF_SHARED_SHIFT) | FT_REF_MERGED));
    return total;
}

void _ft_merge_zero_local(ft_object *o)
{
    /* acquire: if nobody else ever touched the count, we still need what
     * other threads wrote before handing the object back to us. */
    intptr_t shared = ft_atomic_load_acquire(&o->ob_ref_shared);
    if (shared == 0) {
        _ft_dealloc(o);   /* never shared: the common case */
        return;
    }
    ft_atomic_store_relaxed(&o->ob_tid, 0);
    _FT_RC_COUNT(merged);
    intptr_t merged;
    do {
        merged = (shared & ~FT_REF_SHARED_MASK) | FT_REF_MERGED;
    } while (!ft_atomic_cas_acq_rel(&o->ob_ref_shared, &shared, merged));
    if (merged == FT_REF_MERGED)   /* a count of zero, merged */
        _ft_dealloc(o);
}

static bool queue_push(ft_tstate *owner, ft_object *o)
{
    if (owner->brc.len == owner->brc.cap) {
        size_t cap = owner->brc.cap ? 2 * owner->brc.cap : 64;
        ft_object **q = realloc(owner->brc.queue, cap * sizeof *q);
        if (!q)
            return false;
        owner->brc.queue = q;
        owner->brc.cap = cap;
    }
    owner->brc.queue[owner->brc.len++] = o;
    /* relaxed: a count the bucket lock already orders for the queue's
     * takers; the stopped-world reader is ordered by the stop (below). */
    ft_atomic_add_relaxed(&xqueued, 1);
    return true;
}

/* Merges one object whose queued reference we now drop. */
static void merge_queued(ft_object *o)
{
    if (explicit_merge(o, -1) == 0)
        _ft_dealloc(o);
}

/* The calling thread took a reference's worth of responsibility by
 * marking o QUEUED; give it to o's owner. */
static void queue_to_owner(ft_object *o)
{
    uintptr_t tid = ft_atomic_load_relaxed(&o->ob_tid);
    if (tid == 0) {
        /* The owner merged meanwhile: ob_ref_shared is the whole count. */
        ft_decref(o);
        return;
    }
    brc_bucket *b = bucket_of(tid);
    pthread_mutex_lock(&b->lock);
    ft_tstate *owner = find_thread(b, tid);
    if (!owner) {                      /* the owner exited: merge here */
        intptr_t total = explicit_merge(o, -1);
        pthread_mutex_unlock(&b->lock);
        if (total == 0)
            _ft_dealloc(o);
        return;
    }
    bool queued = queue_push(owner, o);
    if (queued)
        _ft_request(owner, FT_REQ_RC_MERGE);
    pthread_mutex_unlock(&b->lock);
    if (!queued) {
        /* No memory for the queue: merge with every thread stopped. */
        ft_stop_the_world();
        merge_queued(o);
        ft_start_the_world();
    }
}

void _ft_decref_shared(ft_object *o)
{
    intptr_t shared = ft_atomic_load_relaxed(&o->ob_ref_shared), next;
    bool queue;
    do {
        queue = shared == FT_REF_INIT || shared == FT_REF_MAYBE_WEAKREF;
        /* Going below zero with nothing queued: queue instead, keeping our
         * reference for the owner to drop when it merges. */
        next = queue ? FT_REF_QUEUED
                     : shared - ((intptr_t)1 << FT_REF_SHARED_SHIFT);
    } while (!ft_atomic_cas_acq_rel(&o->ob_ref_shared, &shared, next));
#if FT_DEBUG >= 1
    if ((shared & FT_REF_SHARED_MASK) == FT_REF_MERGED && (shared >> 2) <= 0)
        _ft_object_fatal(o, "decref below zero");
#endif
    if (queue) {
        _FT_RC_COUNT(queued);
        queue_to_owner(o);
    }
    else if (next == FT_REF_MERGED)
        _ft_dealloc(o);
}

/* ---- Per-thread state ---------------------------------------------------- */

void _ft_refcount_thread_init(ft_tstate *ts)
{
    _ft_shard_tls.closed = false;   /* counts in its own array again */
    ts->brc.tid = _ft_thread_id();
    brc_bucket *b = bucket_of(ts->brc.tid);
    pthread_mutex_lock(&b->lock);
    ts->brc.bucket_next = b->threads;
    b->threads = ts;
    pthread_mutex_unlock(&b->lock);
}

/* Takes the thread's queue (bucket lock held by the caller). */
static ft_object **take_queue(ft_tstate *ts, size_t *len)
{
    ft_object **q = ts->brc.queue;
    *len = ts->brc.len;
    ts->brc.queue = NULL;
    ts->brc.len = ts->brc.cap = 0;
    if (*len)
        ft_atomic_add_relaxed(&xqueued, (size_t)0 - *len);   /* as queue_push */
    return q;
}

static void merge_all(ft_object **q, size_t len)
{
    for (size_t i = 0; i < len; i++)
        merge_queued(q[i]);
    free(q);
}

void _ft_refcount_merge_pending(ft_tstate *ts)
{
    brc_bucket *b = bucket_of(ts->brc.tid);
    size_t len;
    pthread_mutex_lock(&b->lock);
    ft_object **q = take_queue(ts, &len);
    pthread_mutex_unlock(&b->lock);
    merge_all(q, len);
}

ft_object **_ft_refcount_merge_queued_stopped(size_t *n)
{
    ft_object **all = NULL;
    size_t len = 0, cap = 0;
    /* relaxed: every thread that could have queued is stopped or
     * detached, and the stop ordered its queue_push before this load
     * (coherence: we read that count or a later one). A detached thread
     * queues nothing (it touches no object), so 0 means every queue is
     * empty and stays so until the world restarts. */
    if (ft_atomic_load_relaxed(&xqueued) == 0) {
        *n = 0;
        return NULL;
    }
    for (int b = 0; b < FT_BRC_BUCKETS; b++) {
        pthread_mutex_lock(&buckets[b].lock);
        for (ft_tstate *t = buckets[b].threads; t; t = t->brc.bucket_next) {
            if (len + t->brc.len > cap) {
                size_t want = 2 * (len + t->brc.len);
                ft_object **grown = realloc(all, want * sizeof *grown);
                if (!grown)
                    continue;   /* this queue stays for its owner */
                all = grown;
                cap = want;
            }
            size_t qlen;
            ft_object **q = take_queue(t, &qlen);
            for (size_t i = 0; i < qlen; i++) {
                explicit_merge(q[i], 0);   /* the queued reference is ours */
                all[len++] = q[i];
            }
            free(q);
        }
        pthread_mutex_unlock(&buckets[b].lock);
    }
    *n = len;
    return all;
}

/* Merges an object of the exiting (or retiring) thread's heap that it
 * still owns; that thread is the caller, with the world stopped. */
static void merge_if_mine(void *block, size_t size, void *arg)
{
    (void)size;
    (void)arg;
    ft_object *o = block;
    if (_ft_is_owned(o) && !_ft_is_immortal_inline(o))
        explicit_merge(o, 0);   /* alive: someone holds a reference */
}

static bool has_objects(ft_heap_set *s)
{
    return ft_atomic_load_relaxed(&s->heaps[FT_HEAP_OBJECT].xarenas) ||
           ft_atomic_load_relaxed(&s->heaps[FT_HEAP_GC].xarenas);
}

/* Step 1 below: merges the objects of our heaps that we still own. */
static void merge_own_heaps(void)
{
    ft_heap_set *s = _ft_heaps_peek();
    if (!FT_RC_ATOMIC && s && _ft_heaps_per_thread() && has_objects(s) &&
        ft_stop_the_world() == 0) {
        _ft_heap_visit(&s->heaps[FT_HEAP_OBJECT], merge_if_mine, NULL);
        _ft_heap_visit(&s->heaps[FT_HEAP_GC], merge_if_mine, NULL);
        ft_start_the_world();
    }
}

/* Steps 1 and 2 below; once. */
void _ft_refcount_thread_retire(ft_tstate *ts)
{
    if (ts->brc.retired)
        return;
    ts->brc.retired = true;
    merge_own_heaps();
    brc_bucket *b = bucket_of(ts->brc.tid);
    size_t len;
    pthread_mutex_lock(&b->lock);
    ft_tstate **link = &b->threads;
    while (*link != ts)
        link = &(*link)->brc.bucket_next;
    *link = ts->brc.bucket_next;
    ft_object **q = take_queue(ts, &len);
    pthread_mutex_unlock(&b->lock);
    merge_all(q, len);
}

void _ft_refcount_thread_exit(ft_tstate *ts)
{
    if (ts->brc.retired) {
        /* ft_thread_retire settled everything up to then; objects made
         * since (code that ran after it) still carry our id: merge them,
         * world stopped as in step 1 (a thread that drops one and finds
         * no owner merges it itself, never while the world is stopped). */
        merge_own_heaps();
        _ft_shard_thread_exit();
        return;
    }
    /* 1. Merge every object we still own, while we are still in our
     *    bucket: a thread that drops one of them meanwhile queues it to us
     *    rather than merging it itself. (Two merges of one object at once
     *    could each read the other's half of the count.) Objects in our
     *    own heaps are ours to walk, with the world stopped: other threads
     *    free blocks of our heaps at any time, and the walk must not read
     *    a header while its block is being freed. Objects from other
     *    backends keep our id and are merged by whoever queues them (case
     *    3 above).
     * 2. Leave the bucket (from now on, queuers merge themselves), then
     *    merge what was queued to us.
     * (Both in _ft_refcount_thread_retire.) */
    _ft_refcount_thread_retire(ts);
    /* 3. Our sharded counters (shard.c), last: the merges above may free
     *    objects that refer to sharded ones. */
    _ft_shard_thread_exit();
}

/* ---- Resurrection by a finalizer (internal/object.h) --------------------- */

void _ft_refcount_resurrect_start(ft_object *o)
{
    /* Nobody else holds a reference: a plain restart as a new object. */
    _ft_refcount_init(o);
}

bool _ft_refcount_resurrect_end(ft_object *o)
{
    if (FT_RC_ATOMIC) {
        intptr_t old = ft_atomic_sub_acq_rel(&o->ob_ref_shared,
                                             (intptr_t)1 << FT_REF_SHARED_SHIFT);
        return (old >> FT_REF_SHARED_SHIFT) != 1;
    }
    /* The finalizer ran on this thread, which owns o again. Untouched by
     * anyone else: dead again at once, as CPython's _PyObject_ResurrectEnd. */
    if (ft_atomic_load_relaxed(&o->ob_ref_local) == 1 &&
        ft_atomic_load_acquire(&o->ob_ref_shared) == FT_REF_INIT) {
        ft_atomic_store_relaxed(&o->ob_ref_local, 0);
        return false;
    }
    return explicit_merge(o, -1) != 0;
}

/* ---- Optimistic readers (internal/object.h) ------------------------------ */

void _ft_object_set_shared(ft_object *o)
{
    /* release (both ways): a lock-free reader holding a stale pointer to
     * the block's previous object may try-incref o; a CAS of its that
     * succeeds reads this value or a later read-modify-write of it, so it
     * sees o initialised. */
    if (FT_RC_ATOMIC) {
        /* No owner count to hide: the flag alone marks o as findable. */
        if (!(ft_atomic_load_relaxed(&o->ob_ref_shared) & FT_REF_MAYBE_WEAKREF))
            atomic_fetch_or_explicit(&o->ob_ref_shared, FT_REF_MAYBE_WEAKREF,
                                     memory_order_release);
        return;
    }
    /* Only from the untouched state: any other state already lets a
     * non-owner see a count it can safely add to. A plain load first: a
     * CAS takes the cache line even when it fails, and the objects stored
     * most often (shared keys and constants, sharded or immortal ones) are
     * read by every thread. The state never goes back to INIT, so a stale
     * non-INIT read is still right; immortal and sharded objects (whose
     * local word says so) never need the mark. */
    if (ft_atomic_load_relaxed(&o->ob_ref_local) >= FT_SHARDED_LOCAL ||
        ft_atomic_load_relaxed(&o->ob_ref_shared) != FT_REF_INIT)
        return;
    intptr_t init = FT_REF_INIT;
    ft_atomic_cas_release(&o->ob_ref_shared, &init, FT_REF_MAYBE_WEAKREF);
}

/* Shared words a non-owner must not add to. Biased: INIT (the owner's
 * count is unseen) and MERGED with zero (dying). All-atomic: not marked
 * by _ft_object_set_shared (a stale pointer's new object, maybe not yet
 * initialised for us) or a count of zero (dying). */
static bool try_incref_refuses(intptr_t shared)
{
    if (FT_RC_ATOMIC)
        return !(shared & FT_REF_MAYBE_WEAKREF) || (shared >> FT_REF_SHARED_SHIFT) <= 0;
    return shared == FT_REF_INIT || shared == FT_REF_MERGED;
}

bool _ft_try_incref(ft_object *o)
{
    uint32_t local = ft_atomic_load_relaxed(&o->ob_ref_local);
    if (local == FT_IMMORTAL_LOCAL)
        return true;
    if (local == FT_SHARDED_LOCAL) {   /* never dying while sharded */
        _ft_shard_add(o, 1);
        return true;
    }
    if (_ft_is_owned(o)) {
        if (local == 0)
            return false;          /* the owner is freeing it */
        ft_atomic_store_relaxed(&o->ob_ref_local, local + 1);
        return true;
    }
    intptr_t shared = ft_atomic_load_relaxed(&o->ob_ref_shared);
    for (;;) {
        if (try_incref_refuses(shared))
            return false;
        if (ft_atomic_cas_acq_rel(&o->ob_ref_shared, &shared,
                                  shared + ((intptr_t)1 << FT_REF_SHARED_SHIFT)))
            return true;
    }
}
