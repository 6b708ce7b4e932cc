/* internal/weakref.h — weak references inside the runtime: the layout,
 * the locking design, and what the cycle collector calls.
 *
 * Layout. A weakly referenceable type reserves one pointer in its
 * instances, at tp_weaklistoffset: the head of a doubly linked list of
 * the weakrefs to that instance (NULL: none), newest first.
 *
 *   referent                      ft_weakref           ft_weakref
 *   +--------+-----+----------+   +--------------+     +--------------+
 *   | header | ... | xweaklist+-->| next --------+---->| next = NULL  |
 *   +--------+-----+----------+   | prev = NULL  |<----+ prev         |
 *        ^                        | xobject      |     | xobject      |
 *        +------------------------+--------------+-----+              |
 *                                 +--------------+     +--------------+
 *
 *   invariant: wr is in o's list  <=>  wr->xobject == o. A cleared
 *   weakref has xobject == NULL, prev == next == NULL, and is never
 *   linked again. The newest basic weakref (no callback, no key: the
 *   one that ft_weakref_new(o, NULL) shares) is at the head; a weakref
 *   with a callback or a key is never linked in front of a basic one.
 *
 * Locking (after CPython 3.13t's weakrefobject.c, LOCK_WEAKREFS). The
 * lists are guarded by FT_WEAKREF_STRIPES striped locks; the stripe of a
 * list is chosen by its referent's address, and each weakref records the
 * stripe it was linked under (`lock`), so that it can unlink itself even
 * after it was cleared, without ever touching the referent.
 *
 *   field                         guarded by
 *   o's list head (xweaklist)     o's stripe; written under it, read
 *                                 unlocked (relaxed) only as a hint that
 *                                 the list is non-empty
 *   wr->xobject, prev, next       wr->lock (== the referent's stripe); the
 *                                 unlocked relaxed read of xobject is a
 *                                 fast path for "already cleared"
 *   wr->callback, wr->key         wr->lock: set at birth, taken out (set
 *                                 to NULL) once, by wr's tp_clear/dealloc
 *                                 or by the thread that runs the callback;
 *                                 read unlocked only by tp_traverse (the
 *                                 world stopped, or the GIL held)
 *   wr->xhash                     none: idempotent, relaxed
 *
 * The stripes are plain pthread mutexes and leaf locks: nothing that may
 * detach the thread, take another lock, allocate, or run a dealloc is
 * done while one is held (the collector's clear below is the exception,
 * with the world stopped). They must not detach: the stop-the-world
 * collector takes them while every other thread is parked, and a thread
 * cannot park while holding one, since it never reaches a checkpoint
 * inside. Both builds use the real locks: one code path, tested by TSan in
 * both, and an uncontended lock costs little next to the allocation a
 * weakref needs; in the gil build they are only ever taken by the GIL
 * holder.
 *
 * What may run concurrently: ft_weakref_get on any weakref, ft_weakref_new
 * and the death of other weakrefs to the same referent, and the death of
 * the referent itself. A referent whose count reached zero can no longer
 * be handed out: ft_weakref_get takes its reference with _ft_try_incref
 * under the stripe, which fails once the count is zero, and the referent's
 * dealloc clears the list under the same stripe before freeing it.
 * ft_weakref_new marks both the referent and the weakref "maybe shared"
 * (_ft_object_set_shared), so that a non-owner thread's _ft_try_incref
 * can succeed on them in the nogil build.
 */
#ifndef FTLAB_INTERNAL_WEAKREF_H
#define FTLAB_INTERNAL_WEAKREF_H

#include <pthread.h>
#include "object.h"

typedef struct ft_weakref ft_weakref;

struct ft_weakref {
    ft_object ob_base;
    _Atomic(ft_object *) xobject;  /* the referent; NULL once cleared     */
    ft_weakref *prev, *next;       /* neighbours in the referent's list;
                                      after clearing, `next` chains weakrefs
                                      whose callbacks are pending (owner)  */
    ft_object *callback;           /* owned; NULL: none                   */
    ft_object *key;                /* owned; the key of a WeakValueDictionary
                                      entry (CPython's KeyedRef), or NULL */
    pthread_mutex_t *lock;         /* the referent's stripe, fixed at birth */
    _Atomic int64_t xhash;         /* the referent's hash; -1: not known  */
};

/* The list head inside o (its type has tp_weaklistoffset != 0). */
static inline _Atomic(ft_weakref *) *_ft_weaklist_of(ft_object *o)
{
    return (_Atomic(ft_weakref *) *)((char *)o + o->ob_type->tp_weaklistoffset);
}

/* weakref.c, for the weak dictionaries: ft_weakref_new with a key (may
 * be NULL) stored in the weakref; and the referent as a new reference, or
 * NULL without an error once it died. */
ft_weakref *_ft_weakref_new_keyed(ft_object *o, ft_object *callback,
                                  ft_object *key);
ft_object *_ft_weakref_referent(ft_weakref *wr);
/* wr was cleared. Relaxed, unlocked: a cleared weakref stays cleared, so
 * true is final; false may be stale unless the caller's own
 * synchronisation orders it after a clear (weakdict.c). */
static inline bool _ft_weakref_is_dead(ft_weakref *wr)
{
    return ft_atomic_load_relaxed(&wr->xobject) == NULL;
}
/* wr's key as a new reference; NULL once wr was cleared by the collector. */
ft_object *_ft_weakref_key(ft_weakref *wr);

/* ---- For the cycle collector (runtime/gc/) and tp_dealloc --------------- */

typedef bool (*ft_gc_pred)(ft_object *o, void *arg);

/* o may have weak references (its list is non-empty). */
static inline bool _ft_weakref_has_refs(ft_object *o)
{
    /* acquire: pairs with the release in weakref.c's clear_lock_held. A
     * dying o's dealloc that finds the list empty skips the stripe and
     * frees o; the thread that emptied it (a weakref's own dealloc) read
     * o's header under the stripe just before, and without this pairing
     * nothing orders that read before the free (TSan saw it in the soak
     * run). Nobody can link a new weakref to a dying object (that needs a
     * reference to it); a stale non-NULL only sends the caller to the
     * stripe, where the list is read again. */
    return o->ob_type->tp_weaklistoffset != 0 &&
           ft_atomic_load_acquire(_ft_weaklist_of(o)) != NULL;
}

/* o is cyclic garbage: clear every weak reference to o WITHOUT calling
 * callbacks. Each cleared weakref that has a callback and is not itself
 * garbage (is_garbage(wr, arg) == false) is appended, with a new
 * reference, to `pending` (an ft list), in list order. 0, or -1 with
 * MemoryError: then the weakrefs already handled are cleared (and in
 * pending), the others are still linked to o, untouched — no list is ever
 * left half-unlinked. Called while the world is stopped in nogil;
 * is_garbage runs under o's stripe and must not take locks. */
int _ft_weakref_clear_for_gc(ft_object *o, ft_gc_pred is_garbage, void *arg,
                             ft_object *pending);
/* Calls each pending weakref's callback with the weakref as argument
 * (errors printed and cleared, the caller's error state kept), then
 * empties pending. World running. */
void _ft_weakref_run_callbacks(ft_object *pending);
/* tp_dealloc of a weakly referenceable type calls this first (when
 * _ft_weakref_has_refs(o)): clears every weakref to o, then runs the
 * callbacks of those still alive. o's count is zero. */
void _ft_weakref_clear_on_dealloc(ft_object *o);

#endif /* FTLAB_INTERNAL_WEAKREF_H */
