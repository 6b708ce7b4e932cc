/* weakref.c — weak references (ftlab/weakref.h; the layout and the
 * locking design are in internal/weakref.h).
 *
 * After CPython's Objects/weakrefobject.c (3.13, free-threaded build):
 * striped locks chosen by the referent's address, a conditional incref to
 * hand out the referent, and callbacks run after every weakref to the
 * dead referent has been cleared.
 *
 * Sharing, as CPython's weakref.ref(o): a weakref without callback and
 * without key (a "basic" one) is shared: ft_weakref_new(o, NULL) hands out
 * the live basic weakref to o when there is one. It is kept at the head of
 * o's list (others are linked after it), so that finding it is O(1):
 *
 *   o's list:  [basic]? -> newest with callback -> ... -> oldest
 *
 * A basic weakref whose count already reached zero (its dealloc waits for
 * the stripe) is not handed out; a new one goes in front of it. Two
 * threads that race to make the first basic weakref both allocate, the
 * second to take the stripe finds the first's and drops its own (never
 * linked), so the sharing holds under races too.
 */
#include <stdio.h>
#include "internal/weakref.h"

/* Prime, so that addresses (multiples of 16) spread over all stripes. */
enum { FT_WEAKREF_STRIPES = 127 };

static pthread_mutex_t stripes[FT_WEAKREF_STRIPES] = {
    [0 ... FT_WEAKREF_STRIPES - 1] = PTHREAD_MUTEX_INITIALIZER
};

static pthread_mutex_t *stripe_of(ft_object *o)
{
    return &stripes[(uintptr_t)o % FT_WEAKREF_STRIPES];
}

static ft_weakref *as_weakref(ft_object *o) { return (ft_weakref *)o; }

static ft_weakref *list_head(ft_object *o)
{
    return ft_atomic_load_relaxed(_ft_weaklist_of(o));   /* stripe held */
}

/* ---- The lists (the referent's stripe held) ------------------------------ */

/* wr has neither callback nor key: ft_weakref_new(o, NULL) shares it. */
static bool is_basic(ft_weakref *wr) { return !wr->callback && !wr->key; }

/* Links wr into o's list: a basic weakref at the head, any other one
 * right after a basic head (else at the head), so that the callbacks run
 * newest first and the basic one is found first. */
static void link_lock_held(ft_object *o, ft_weakref *wr)
{
    ft_weakref *head = list_head(o);
    ft_atomic_store_relaxed(&wr->xobject, o);
    if (head && !is_basic(wr) && is_basic(head)) {
        wr->prev = head;
        wr->next = head->next;
        if (head->next)
            head->next->prev = wr;
        head->next = wr;
        return;
    }
    wr->prev = NULL;
    wr->next = head;
    if (head)
        head->prev = wr;
    /* relaxed: readers that follow the list hold the stripe; the unlocked
     * reader (_ft_weakref_has_refs) only tests for NULL. */
    ft_atomic_store_relaxed(_ft_weaklist_of(o), wr);
}

/* A new reference to o's live basic weakref, or NULL. */
static ft_weakref *basic_lock_held(ft_object *o)
{
    ft_weakref *head = list_head(o);
    if (head && is_basic(head) && _ft_try_incref(&head->ob_base))
        return head;
    return NULL;
}

/* Unlinks wr from its referent's list; get() returns None from now on. */
static void clear_lock_held(ft_weakref *wr)
{
    ft_object *o = ft_atomic_load_relaxed(&wr->xobject);
    if (!o)
        return;
    if (wr->prev)
        wr->prev->next = wr->next;
    else   /* release: see _ft_weakref_has_refs */
        ft_atomic_store_release(_ft_weaklist_of(o), wr->next);
    if (wr->next)
        wr->next->prev = wr->prev;
    wr->prev = wr->next = NULL;
    ft_atomic_store_relaxed(&wr->xobject, NULL);
}

/* ---- Errors of callbacks ------------------------------------------------- */

/* The error state of the code whose decref freed the referent is kept
 * across the callbacks (_ft_err_fetch/_ft_err_restore, internal/common.h;
 * CPython saves the raised exception likewise). */

/* Like CPython's unraisable hook: print the callback's error, forget it. */
static void report_callback_error(ft_object *callback)
{
    ft_err_saved e;
    _ft_err_fetch(&e);
    ft_reprfunc repr = callback->ob_type->tp_repr;
    ft_object *r = repr ? repr(callback) : NULL;
    const char *name = r ? ft_str_utf8_borrow(r, NULL) : NULL;
    if (name)
        fprintf(stderr, "Exception ignored in weakref callback %s:\n", name);
    else
        fprintf(stderr, "Exception ignored in weakref callback <%s object "
                "at %p>:\n", ft_type_name(callback), (void *)callback);
    fprintf(stderr, "%s: %s\n", ft_err_kind_name(e.kind), e.message);
    ft_xdecref(r);
    ft_err_clear();
}

/* Takes a field that wr owns out of it, under its stripe: the collector
 * may clear wr (tp_clear) while another thread is about to use it. */
static ft_object *take_field(ft_weakref *wr, ft_object **field)
{
    pthread_mutex_lock(wr->lock);
    ft_object *v = *field;
    *field = NULL;
    pthread_mutex_unlock(wr->lock);
    return v;
}

/* Calls wr's callback once (taking it out of wr) with wr as argument. The
 * caller holds a reference to wr, which is cleared. */
static void run_callback(ft_weakref *wr)
{
    ft_object *callback = take_field(wr, &wr->callback);
    if (!callback)
        return;   /* the collector cleared wr meanwhile */
    ft_object *result = ft_call1(callback, &wr->ob_base);
    if (result)
        ft_decref(result);
    else
        report_callback_error(callback);
    ft_decref(callback);
}

/* ---- The weakref type ---------------------------------------------------- */

/* A new reference to the referent, or NULL once it is dead or dying. */
ft_object *_ft_weakref_referent(ft_weakref *wr)
{
    /* relaxed: a cleared weakref stays cleared; the answer is re-read
     * under the stripe before it is trusted. */
    if (!ft_atomic_load_relaxed(&wr->xobject))
        return NULL;
    pthread_mutex_lock(wr->lock);
    ft_object *o = ft_atomic_load_relaxed(&wr->xobject);
    if (o && !_ft_try_incref(o))
        o = NULL;   /* its count reached zero: its dealloc waits for us */
    pthread_mutex_unlock(wr->lock);
    return o;
}

/* Unlinks wr (if still linked) and drops what it owns. */
static int weakref_clear(ft_object *self)
{
    ft_weakref *wr = as_weakref(self);
    pthread_mutex_lock(wr->lock);
    clear_lock_held(wr);
    ft_object *callback = wr->callback, *key = wr->key;
    wr->callback = wr->key = NULL;
    pthread_mutex_unlock(wr->lock);
    ft_xdecref(callback);   /* outside the stripe: may run a dealloc */
    ft_xdecref(key);
    return 0;
}

static void weakref_dealloc(ft_object *self)
{
    weakref_clear(self);
    _ft_object_free(self);
}

/* Never the referent: a weak reference is not a reference. */
static int weakref_traverse(ft_object *self, ft_visitproc visit, void *arg)
{
    ft_weakref *wr = as_weakref(self);
    int rc = wr->callback ? visit(wr->callback, arg) : 0;
    return rc || !wr->key ? rc : visit(wr->key, arg);
}

static int64_t weakref_hash(ft_object *self)
{
    ft_weakref *wr = as_weakref(self);
    int64_t h = ft_atomic_load_relaxed(&wr->xhash);
    if (h != -1)
        return h;
    ft_object *o = _ft_weakref_referent(wr);
    if (!o)
        return ft_err_set(FT_ERR_TYPE, "weak object has gone away");
    h = ft_hash(o);
    ft_decref(o);
    /* relaxed: every thread that computes it stores the same value. */
    if (h != -1)
        ft_atomic_store_relaxed(&wr->xhash, h);
    return h;
}

/* Live referents compare; a dead weakref equals only itself. */
static int weakref_eq(ft_object *a, ft_object *b)
{
    if (b->ob_type != &ft_weakref_type)
        return 0;
    ft_object *x = _ft_weakref_referent(as_weakref(a));
    ft_object *y = _ft_weakref_referent(as_weakref(b));
    int eq = (x && y) ? ft_equal(x, y) : a == b;
    ft_xdecref(x);
    ft_xdecref(y);
    return eq;
}

ft_object *_ft_weakref_key(ft_weakref *wr)
{
    pthread_mutex_lock(wr->lock);
    ft_object *key = wr->key;
    ft_xincref(key);
    pthread_mutex_unlock(wr->lock);
    return key;
}

ft_type ft_weakref_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "weakref.ReferenceType", .tp_basicsize = sizeof(ft_weakref),
    .tp_flags = FT_TPFLAGS_GC,
    .tp_dealloc = weakref_dealloc, .tp_traverse = weakref_traverse,
    .tp_clear = weakref_clear, .tp_hash = weakref_hash, .tp_eq = weakref_eq,
};

/* o can be weakly referenced: its type has a list, and o is not a static
 * type (those outlive the runtime: their lists would outlive the weakrefs
 * that ft_fini frees). TypeError otherwise. */
static bool check_referenceable(ft_object *o)
{
    if (o && o->ob_type->tp_weaklistoffset &&
        (o->ob_type != &ft_type_type ||
         (((ft_type *)o)->tp_flags & FT_TPFLAGS_HEAPTYPE)))
        return true;
    ft_err_set(FT_ERR_TYPE, "cannot create weak reference to '%s' object",
               o ? ft_type_name(o) : "NULL");
    return false;
}

/* A weakref to o not yet linked (xobject NULL: its dealloc touches no
 * list), with its owned fields set. */
static ft_weakref *weakref_alloc(ft_object *o, ft_object *callback, ft_object *key)
{
    ft_weakref *wr = (ft_weakref *)_ft_object_alloc(&ft_weakref_type, sizeof *wr);
    if (!wr)
        return NULL;
    ft_atomic_store_relaxed(&wr->xobject, NULL);
    wr->prev = wr->next = NULL;
    wr->callback = callback;
    ft_xincref(callback);
    wr->key = key;
    ft_xincref(key);
    wr->lock = stripe_of(o);
    ft_atomic_store_relaxed(&wr->xhash, -1);
    _ft_object_set_shared(&wr->ob_base);
    return wr;
}

ft_weakref *_ft_weakref_new_keyed(ft_object *o, ft_object *callback,
                                  ft_object *key)
{
    if (!check_referenceable(o))
        return NULL;
    if (callback == ft_none())
        callback = NULL;
    bool basic = !callback && !key;
    ft_weakref *wr = NULL;
    if (basic && _ft_weakref_has_refs(o)) {
        pthread_mutex_lock(stripe_of(o));
        wr = basic_lock_held(o);
        pthread_mutex_unlock(stripe_of(o));
        if (wr)
            return wr;
    }
    ft_weakref *made = weakref_alloc(o, callback, key);
    if (!made)
        return NULL;
    _ft_object_set_shared(o);
    pthread_mutex_lock(made->lock);
    wr = basic ? basic_lock_held(o) : NULL;   /* made by a racing thread */
    if (!wr)
        link_lock_held(o, wr = made);
    pthread_mutex_unlock(made->lock);
    if (wr != made)
        ft_decref(&made->ob_base);   /* never linked: nothing to unlink */
    return wr;
}

ft_object *ft_weakref_new(ft_object *o, ft_object *callback)
{
    return (ft_object *)_ft_weakref_new_keyed(o, callback, NULL);
}

ft_object *ft_weakref_get(ft_object *ref)
{
    if (!_ft_check_type(ref, &ft_weakref_type, "ft_weakref_get"))
        return NULL;
    ft_object *o = _ft_weakref_referent(as_weakref(ref));
    return o ? o : ft_none();
}

ssize_t ft_weakref_count(ft_object *o)
{
    if (!o)
        return ft_err_set(FT_ERR_TYPE, "ft_weakref_count: NULL object");
    if (!o->ob_type->tp_weaklistoffset)
        return 0;
    ssize_t n = 0;
    pthread_mutex_lock(stripe_of(o));
    for (ft_weakref *wr = list_head(o); wr; wr = wr->next)
        n++;
    pthread_mutex_unlock(stripe_of(o));
    return n;
}

/* ---- Death of the referent ----------------------------------------------- */

/* Clears the newest weakref to o. Returns it, with a new reference, if
 * its callback must run (it has one and is not dying itself: a dying
 * weakref waits for the stripe to unlink itself and drops its callback).
 * *more: weakrefs are left. */
static ft_weakref *clear_head(ft_object *o, bool *more)
{
    ft_weakref *wr;
    pthread_mutex_lock(stripe_of(o));
    wr = list_head(o);
    if (wr) {
        clear_lock_held(wr);
        if (!wr->callback || !_ft_try_incref(&wr->ob_base))
            wr = NULL;
    }
    *more = list_head(o) != NULL;
    pthread_mutex_unlock(stripe_of(o));
    return wr;
}

void _ft_weakref_clear_on_dealloc(ft_object *o)
{
    /* First clear them all, so that every callback sees every weakref to
     * o dead; the ones to call are chained through `next`, in order. */
    ft_weakref *todo = NULL, **tail = &todo;
    for (bool more = true; more;) {
        ft_weakref *wr = clear_head(o, &more);
        if (wr) {
            *tail = wr;
            tail = &wr->next;
        }
    }
    if (!todo)
        return;
    ft_err_saved e;
    _ft_err_fetch(&e);
    while (todo) {
        ft_weakref *wr = todo;
        todo = wr->next;
        wr->next = NULL;
        run_callback(wr);
        ft_decref(&wr->ob_base);
    }
    _ft_err_restore(&e);
}

/* ---- The cycle collector's interface ------------------------------------- */

int _ft_weakref_clear_for_gc(ft_object *o, ft_gc_pred is_garbage, void *arg,
                             ft_object *pending)
{
    int rc = 0;
    /* The world is stopped: nobody contends for the stripe, and the
     * append below (allocation, the private list's uncontended lock)
     * cannot wait for a parked thread. Each weakref is queued before it
     * is cleared, so a failed append leaves it (and the rest) linked. */
    pthread_mutex_lock(stripe_of(o));
    for (ft_weakref *wr; rc == 0 && (wr = list_head(o));) {
        if (wr->callback && !is_garbage(&wr->ob_base, arg))
            rc = ft_list_append(pending, &wr->ob_base);
        if (rc == 0)
            clear_lock_held(wr);
    }
    pthread_mutex_unlock(stripe_of(o));
    return rc;
}

void _ft_weakref_run_callbacks(ft_object *pending)
{
    ft_err_saved e;
    _ft_err_fetch(&e);
    ssize_t n = ft_len(pending);
    for (ssize_t i = 0; i < n; i++) {
        ft_object *wr = ft_list_get(pending, i);
        run_callback(as_weakref(wr));
        ft_decref(wr);
    }
    ft_list_type.tp_clear(pending);
    _ft_err_restore(&e);
}
