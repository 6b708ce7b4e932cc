/* internal/object.h — allocating and freeing objects, the built-in
 * object layouts, and start-up of the static objects. */
#ifndef FTLAB_INTERNAL_OBJECT_H
#define FTLAB_INTERNAL_OBJECT_H

#include "common.h"
#include <ftlab/refcount.h>

/* ints and bools share a layout; small ints are static and immortal. */
typedef struct ft_int_object {
    ft_object ob_base;
    int64_t value;
} ft_int_object;

typedef struct ft_float_object {
    ft_object ob_base;
    double value;
} ft_float_object;

#define FT_SMALL_INT_MIN (-5)
#define FT_SMALL_INT_MAX 256

/* A new object of type t and `size` bytes (header included): count 1,
 * owned by the calling thread (nogil), header initialised, the rest
 * uninitialised. GC types come from the GC heap kind so the collector can
 * walk them. NULL with MemoryError. */
ft_object *_ft_object_alloc(ft_type *t, size_t size);
/* Returns the memory of a dead object (called by tp_dealloc). */
void _ft_object_free(ft_object *o);
/* The same, but the block is reused only after a QSBR grace period: for
 * objects that lock-free readers may still be looking at (an interned
 * string still reachable from the intern table's readers). */
void _ft_object_free_after_grace(ft_object *o);
/* Object free lists (mem/freelist.h): park puts dead o's block on list
 * `kind` — o stops counting as an object, the block stays allocated —
 * and returns false when the list is full (then free o). unpark makes a
 * parked block into a new object of type t with count 1, as
 * _ft_object_alloc would, or returns NULL when the list is empty. */
bool _ft_object_park(ft_object *o, int kind);
ft_object *_ft_object_unpark(int kind, ft_type *t);
/* Makes a static object immortal with type t (start-up). */
void _ft_object_init_static(ft_object *o, ft_type *t);

/* object.c: the static objects and types, at every ft_init. */
void _ft_objects_init(void);
/* Live objects since start (every thread), for ft_fini's report. */
int64_t _ft_objects_live(void);

/* Optimistic readers (nogil/brc.c; gil/refcount.c). A thread that found o
 * without holding a reference — in a container read without its lock, in
 * the intern table — may take one only if o is not already dying:
 * _ft_try_incref returns false when o's count has reached zero (then o
 * must be treated as absent). In nogil it succeeds for a non-owner only
 * once o is marked "maybe shared" (_ft_object_set_shared, done when o is
 * stored where other threads can find it), because a non-owner cannot
 * read the owner's local count. The gil build always succeeds. */
bool _ft_try_incref(ft_object *o);
void _ft_object_set_shared(ft_object *o);

/* shard.c: an exiting thread adds its sharded counters (ftlab/
 * refcount.h) into the objects' shared words; nothing in the gil build. */
void _ft_shard_thread_exit(void);

/* A dying object (count zero) whose type has a finalizer not yet run:
 * runs it with o temporarily alive again, as CPython's
 * PyObject_CallFinalizerFromDealloc. Returns true if the finalizer
 * resurrected o (stored a new reference somewhere): then the caller must
 * not free it. The current error, if any, is kept across the call. */
bool _ft_object_finalize_from_dealloc(ft_object *o);
/* Refcount side of resurrection (gil/refcount.c, nogil/brc.c): start gives
 * a dead object a count of one, owned by the calling thread; end drops it
 * and returns true if references remain. */
void _ft_refcount_resurrect_start(ft_object *o);
bool _ft_refcount_resurrect_end(ft_object *o);

/* true if o is an object of exactly type t; otherwise false with
 * "<what>: expected a <t>, not '<o's type>'" (TypeError). */
bool _ft_check_type(ft_object *o, ft_type *t, const char *what);

/* instance.c: the dealloc of type objects (heap classes only; static
 * types are immortal). */
void _ft_type_dealloc(ft_object *o);

/* _ft_object_fatal (declared in ftlab/refcount.h) aborts with a report
 * naming the object's type (FT_DEBUG checks). */

#endif /* FTLAB_INTERNAL_OBJECT_H */
