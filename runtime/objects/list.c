/* list.c — mutable sequences.
 *
 * Layout:
 *
 *   ft_list_object                      ft_list_array (ft_malloc)
 *   +-----------+-------+---------+     +-----------+----------+-----+
 *   | header    | xsize | xitems -+---->| allocated | xslot[0] | ... |
 *   +-----------+-------+---------+     +-----------+----------+-----+
 *
 *   invariant: 0 <= xsize <= xitems->allocated; xslot[0, xsize) hold one
 *   reference each, xslot[xsize, allocated) are NULL; xitems is never
 *   NULL: NO_ITEMS, a static array of no slots, exactly when nothing is
 *   allocated (it is never freed: array_retire, array_free).
 *
 * The capacity lives in the array, not in the list (as CPython's
 * _PyListArray): a reader that loads xitems gets an array and its bound in
 * one load, so the lock-free ft_list_get checks an index against the
 * array it actually reads, whatever a concurrent resize does; and an
 * empty list's NO_ITEMS has a bound of 0, so that check is the only one
 * (no NULL test of the array, in every read and append).
 *
 * Concurrency contract (nogil; in gil the GIL serialises everything):
 *   - every mutation runs in a critical section on the list; ft_len reads
 *     xsize relaxed without the lock (a snapshot). ft_list_set,
 *     ft_list_append and the range edits (below) use elidable sections:
 *     the list's owner skips the
 *     lock until another thread first locks the list (ftlab/refcount.h,
 *     "Critical sections on objects", invariant E), so a list one thread
 *     fills and updates alone costs no lock;
 *   - ft_list_get reads without the lock (list_try_get, after
 *     CPython's list_get_item_ref): array, slot, _ft_try_incref, then a
 *     re-check that the slot and the list's array still hold what it
 *     loaded (not for an item the reader owns, or an immortal one: those
 *     cannot have died since they were the list's, ftlab/refcount.h,
 *     invariant F); after LOCKFREE_TRIES failures it takes the lock. An item it
 *     loads may die under it: object memory is type-stable for a grace
 *     period (internal/qsbr.h). A stored item is marked shared so that a
 *     non-owner's try-incref can succeed, except where the list looks
 *     private and the item's memory is type-stable
 *     (internal/object.h, _ft_object_mark_stored): a non-owner that
 *     meets such an item falls back to the lock and marks it there
 *     (_ft_object_mark_found), once;
 *   - a replaced array is freed with _ft_qsbr_free after the section ends,
 *     so a lock-free reader never sees it freed under its feet; unused
 *     slots are NULL, never garbage, so a reader whose array and size
 *     come from different moments reads NULL and retries;
 *   - a value that leaves the list is released after the section ends: its
 *     tp_dealloc may touch other containers (never this list's lock).
 * Growth is CPython's list_resize: n + n/8 + 6, rounded to a multiple of
 * 4, which gives amortised O(1) appends.
 */
#include <limits.h>
#include <stdint.h>
#include "internal/object.h"
#include "internal/qsbr.h"
#include "mem/freelist.h"

/* Lock-free reads that fail this often (the slot changed under us, the
 * item was dying) take the lock. */
enum { LOCKFREE_TRIES = 3 };

typedef struct ft_list_array {
    ssize_t allocated;              /* slots in xslot                     */
    _Atomic(ft_object *) xslot[];   /* written under the list's lock      */
} ft_list_array;

typedef struct ft_list_object {
    ft_object ob_base;
    _Atomic ssize_t xsize;                /* items in use                 */
    _Atomic(ft_list_array *) xitems;      /* NO_ITEMS: nothing allocated  */
} ft_list_object;

#define LIST_MAX_ITEMS \
    ((ssize_t)((SIZE_MAX / 2 - sizeof(ft_list_array)) / sizeof(ft_object *)))

static ft_list_object *as_list(ft_object *o) { return (ft_list_object *)o; }

/* The array of an empty list: read, never written, never freed. */
static ft_list_array no_items;
#define NO_ITEMS (&no_items)

static bool check_list(ft_object *o, const char *what)
{
    return _ft_check_type_inline(o, &ft_list_type, what);
}

static bool check_value(ft_object *v, const char *what)
{
    if (v)
        return true;
    ft_err_set(FT_ERR_TYPE, "%s: NULL value", what);
    return false;
}

/* ---- Arrays (caller holds the lock or owns the list alone) -------------- */

static size_t array_bytes(ssize_t allocated)
{
    return sizeof(ft_list_array) + (size_t)allocated * sizeof(ft_object *);
}

static ft_list_array *array_new(ssize_t allocated)
{
    if (allocated > LIST_MAX_ITEMS) {
        ft_err_set(FT_ERR_MEMORY, "list of %zd items", allocated);
        return NULL;
    }
    ft_list_array *a = ft_malloc(array_bytes(allocated));
    if (a)
        a->allocated = allocated;
    return a;   /* NULL: MemoryError set by ft_malloc */
}

static ft_list_array *items_of(ft_list_object *l)
{
    return ft_atomic_load_relaxed(&l->xitems);   /* under the lock */
}

/* A detached array, after the section (readers may still hold it);
 * NULL or NO_ITEMS: nothing to free. */
static void array_retire(ft_list_array *a)
{
    if (a != NO_ITEMS)
        _ft_qsbr_free(a);
}

/* An array nobody else can be reading (a dead or unpublished list's). */
static void array_free(ft_list_array *a)
{
    if (a != NO_ITEMS)
        ft_free(a);
}

static ssize_t size_of(ft_list_object *l)
{
    return ft_atomic_load_relaxed(&l->xsize);
}

/* CPython's growth pattern: 0, 4, 8, 16, 24, 32, 40, 52, 64, 76, ... */
static ssize_t grown_capacity(ssize_t newsize)
{
    size_t n = (size_t)newsize;
    return (ssize_t)((n + (n >> 3) + 6) & ~(size_t)3);
}

/* Makes room for one more item. Returns the replaced array through *old
 * (to be freed after the section), or -1 with MemoryError. Inline into
 * both appends' growth (as gil's compiler chose already; nogil's, which
 * prices each atomic store like a call, made it a call of its own on
 * every growth). */
static ft_always_inline int list_grow(ft_list_object *l, ft_list_array **old)
{
    ft_list_array *a = items_of(l);
    ssize_t n = size_of(l);
    if (n >= LIST_MAX_ITEMS)
        return ft_err_set(FT_ERR_MEMORY, "list of %zd items", n);
    ft_list_array *b = array_new(grown_capacity(n + 1));
    if (!b)
        return -1;
    for (ssize_t i = 0; i < n; i++)
        ft_atomic_store_relaxed(&b->xslot[i],
                                ft_atomic_load_relaxed(&a->xslot[i]));
    for (ssize_t i = n; i < b->allocated; i++)
        ft_atomic_store_relaxed(&b->xslot[i], NULL);   /* see the contract */
    /* release: a reader that loads the new pointer (acquire) sees the
     * copied items and b->allocated; without it, it could read garbage. */
    ft_atomic_store_release(&l->xitems, b);
    *old = a;
    return 0;
}

/* ---- Reading ------------------------------------------------------------- */

/* Python's index rule: negative i counts from the end. -1 when out of range. */
static ssize_t normalize_index(ssize_t i, ssize_t n)
{
    if (i < 0)
        i += n;
    return (i < 0 || i >= n) ? -1 : i;
}

static ft_object *item_at(ft_list_object *l, ssize_t i)
{
    return ft_atomic_load_relaxed(&items_of(l)->xslot[i]);
}

/* A new reference to item i (i >= 0), or NULL without an error when i is
 * past the end (the list may have changed since the caller looked). */
static ft_object *list_item_ref(ft_list_object *l, ssize_t i)
{
    ft_object *v = NULL;
    FT_BEGIN_CRITICAL_SECTION_OBJ(&l->ob_base)
    if (i < size_of(l)) {
        v = item_at(l, i);
        _ft_object_mark_found(v);
        ft_incref(v);
    }
    FT_END_CRITICAL_SECTION()
    return v;
}

/* One optimistic read of item i; NULL when it must be tried again. With
 * inline_only (ft_list_get's inline first try) the item is counted only by
 * the inline try-incref (_ft_try_incref_owner: the caller's own items and
 * immortal ones), and needs no re-check; an item it cannot decide
 * (another thread's, sharded, dying) sets *undecided and is left to the
 * full tries of list_get_slow. */
static ft_always_inline ft_object *list_try_get(ft_list_object *l, ssize_t i,
                                                bool inline_only, bool *undecided)
{
    /* acquire: pairs with append's release of xsize, so slots below n in
     * the array loaded next (or a newer one) are written. */
    ssize_t j = normalize_index(i, ft_atomic_load_acquire(&l->xsize));
    /* acquire: pairs with list_grow's release: the array's slots and
     * bound are visible. */
    ft_list_array *a = ft_atomic_load_acquire(&l->xitems);
    if (j < 0 || j >= a->allocated)
        return NULL;
    /* acquire: pairs with store_item's release: the item is initialised. */
    ft_object *v = ft_atomic_load_acquire(&a->xslot[j]);
    if (!v)
        return NULL;
    if (inline_only) {
        if (ft_unlikely(!_ft_try_incref_owner(v))) {
            *undecided = true;
            return NULL;
        }
        /* No re-check: v is ours or immortal, so nothing freed it since
         * it was this list's item (ftlab/refcount.h, invariant F). */
        return v;
    }
    if (!_ft_try_incref_inline(v))
        return NULL;
    /* acquire (both): ordered after the incref, so that if they still
     * hold what we loaded, v was the list's item j while we took our
     * reference. */
    if (ft_likely(ft_atomic_load_acquire(&a->xslot[j]) == v &&
                  ft_atomic_load_acquire(&l->xitems) == a))
        return v;
    ft_decref(v);
    return NULL;
}

/* ft_list_get under the list's lock: the gil build's only path. */
static ft_always_inline ft_object *list_get_locked(ft_list_object *l, ssize_t i)
{
    ft_object *v = NULL;
    ssize_t n;
    /* Counted here, not where the tries gave up: every locked read is
     * one (internal/qsbr.h), so a test sees any read that takes the
     * lock. */
    if (_ft_qsbr_lockfree_reads())
        _ft_lockfree_counts.fallbacks++;
    FT_BEGIN_CRITICAL_SECTION_OBJ(&l->ob_base)
    n = size_of(l);
    ssize_t j = normalize_index(i, n);
    if (j >= 0) {
        v = item_at(l, j);
        /* Lock-free tries failed, maybe for want of the mark (the
         * contract above): the next read of v need not come here. */
        _ft_object_mark_found(v);
        ft_incref(v);
    }
    FT_END_CRITICAL_SECTION()
    if (ft_likely(v))
        return v;
    ft_err_set(FT_ERR_INDEX, "list index %zd out of range (len %zd)", i, n);
    return NULL;
}

/* ft_list_get past its inline first try: the type check's failure, up
 * to `tries` more lock-free reads (see the contract), then the lock. Out
 * of line and reached by tail calls only, so that the first try (the
 * owner reading its own item: most reads) is a leaf with no stack frame:
 * nothing it holds must survive a call. */
static __attribute__((noinline)) ft_object *list_get_slow(ft_object *o,
                                                          ssize_t i, int tries)
{
    if (!check_list(o, "ft_list_get"))
        return NULL;
    ft_list_object *l = as_list(o);
    ft_object *v = NULL;
    if (_ft_qsbr_lockfree_reads()) {
        for (int t = 0; t < tries; t++) {
            if ((v = list_try_get(l, i, false, NULL))) {
                _ft_lockfree_hit();
                return v;
            }
            _ft_lockfree_counts.retries++;
        }
    }
    return list_get_locked(l, i);
}

ft_object *ft_list_get(ft_object *o, ssize_t i)
{
    if (!_ft_qsbr_lockfree_reads()) {
        if (!check_list(o, "ft_list_get"))
            return NULL;
        return list_get_locked(as_list(o), i);
    }
    if (ft_unlikely(!o || o->ob_type != &ft_list_type))
        return list_get_slow(o, i, LOCKFREE_TRIES);   /* says what is wrong */
    bool undecided = false;
    ft_object *v = list_try_get(as_list(o), i, true, &undecided);
    if (ft_likely(v)) {
        _ft_lockfree_hit();
        return v;
    }
    int tries = LOCKFREE_TRIES;
    if (!undecided) {   /* a real failed try: one of LOCKFREE_TRIES */
        _ft_lockfree_counts.retries++;
        tries--;
    }
    return list_get_slow(o, i, tries);
}

/* ---- Writing ------------------------------------------------------------- */

/* Stores v (a reference the list now owns) in slot i under the lock. The
 * release store lets a future lock-free reader that loads the slot see v's
 * initialised contents. */
static void store_item(ft_list_object *l, ssize_t i, ft_object *v)
{
    ft_atomic_store_release(&items_of(l)->xslot[i], v);
}

/* The append itself, in a section (elided, locked, or gil's): v counted
 * and marked already. Returns the replaced array through *old (freed
 * after the section), or -1 with MemoryError. */
static ft_always_inline int append_in_section(ft_list_object *l, ft_object *v,
                                              ft_list_array **old)
{
    ssize_t n = size_of(l);
    if (n == items_of(l)->allocated && list_grow(l, old) < 0)
        return -1;
    store_item(l, n, v);
    /* release: a reader that sees the new size sees the item too. */
    ft_atomic_store_release(&l->xsize, n + 1);
    return 0;
}

/* After an append's section: the replaced array and, on error, v. */
static ft_always_inline int append_finish(ft_object *v, int rc, ft_list_array *old)
{
    array_retire(old);
    if (rc != 0)
        ft_decref(v);
    return rc;
}

/* ft_list_append's section out of line, whichever way it begins: v
 * counted and marked already. */
static __attribute__((noinline)) int list_append_section(ft_list_object *l,
                                                         ft_object *v)
{
    ft_list_array *old = NULL;
    int rc;
    FT_BEGIN_ELIDABLE_SECTION_OBJ(&l->ob_base)   /* stores and ft_malloc only */
    rc = append_in_section(l, v, &old);
    FT_END_ELIDABLE_SECTION()
    return append_finish(v, rc, old);
}

/* An append that must grow the array (ft_malloc), inside the section
 * ft_list_append's leaf began (_ft_cs_try_begin_unlocked): it goes on
 * in that section and ends it, where ending it and beginning another in
 * list_append_section cost a second begin with its frame — one append
 * in five grows in go's short lists (0, 4, 8, 16 ...). */
static __attribute__((noinline)) int list_append_grow(ft_list_object *l,
                                                      ft_object *v)
{
    ft_list_array *old = NULL;
    int rc = append_in_section(l, v, &old);
    _ft_cs_end_unlocked();
    return append_finish(v, rc, old);
}

/* ft_list_append past its leaf's tests (as list_set_full). */
static __attribute__((noinline)) int list_append_full(ft_object *o, ft_object *v)
{
    if (!check_list(o, "ft_list_append") || !check_value(v, "ft_list_append"))
        return -1;
    ft_incref(v);
    _ft_object_mark_stored(o, v);
    return list_append_section(as_list(o), v);
}

/* As ft_list_set: the usual append (room in the array, the section
 * without a lock) is a leaf with no call at all; the rest goes out of
 * line by tail calls. An append that must grow goes on in the section
 * begun here, out of line (list_append_grow). */
int ft_list_append(ft_object *o, ft_object *v)
{
    if (ft_unlikely(!o || o->ob_type != &ft_list_type || !v))
        return list_append_full(o, v);
    if (ft_unlikely(!_ft_incref_leaf(v)))
        return list_append_full(o, v);   /* nothing done yet */
    bool mine = _ft_owned_by_caller(o);   /* for the mark and the section */
    _ft_object_mark_stored_given(o, v, mine);
    ft_list_object *l = as_list(o);
    if (!_ft_cs_try_begin_unlocked(o, mine))
        return list_append_section(l, v);
    ssize_t n = size_of(l);
    ft_list_array *a = items_of(l);
    if (ft_unlikely(n == a->allocated))
        return list_append_grow(l, v);
    store_item(l, n, v);
    /* release: a reader that sees the new size sees the item too. */
    ft_atomic_store_release(&l->xsize, n + 1);
    _ft_cs_end_unlocked();
    return 0;
}

/* ft_list_set's ends past the store (both out of line, below). */
static __attribute__((noinline)) int list_set_out_of_range(ssize_t i, ssize_t n,
                                                           ft_object *v)
{
    ft_decref(v);
    return ft_err_set(FT_ERR_INDEX, "list assignment index %zd out of "
                      "range (len %zd)", i, n);
}

/* ft_list_set's section out of line, whichever way it begins (elided
 * after registering or a first elision, or locked): v counted and marked
 * already. */
static __attribute__((noinline)) int list_set_section(ft_list_object *l, ssize_t i,
                                                      ft_object *v)
{
    ft_object *old = NULL;
    ssize_t n;
    FT_BEGIN_ELIDABLE_SECTION_OBJ(&l->ob_base)   /* loads and a store only */
    n = size_of(l);
    ssize_t j = normalize_index(i, n);
    if (j >= 0) {
        old = item_at(l, j);
        store_item(l, j, v);
    }
    FT_END_ELIDABLE_SECTION()
    if (!old)
        return list_set_out_of_range(i, n, v);
    ft_decref(old);   /* outside the lock: its dealloc may run anything */
    return 0;
}

/* ft_list_set past its leaf's tests: anything but an exact list and a
 * value (the full type check says what is wrong, or accepts o), or a
 * sharded v (ft_incref's call). */
static __attribute__((noinline)) int list_set_full(ft_object *o, ssize_t i,
                                                   ft_object *v)
{
    if (!check_list(o, "ft_list_set") || !check_value(v, "ft_list_set"))
        return -1;
    ft_incref(v);
    _ft_object_mark_stored(o, v);
    return list_set_section(as_list(o), i, v);
}

/* The usual store is a leaf: every case that needs a call before the
 * store (the type check's report, a sharded v's counter, registering or
 * locking for the section) leaves by a tail call to list_set_full or
 * list_set_section, and only a dying old item's release calls out
 * after it. So it saves no registers and builds no frame, where the
 * section's ft_critical_section on the stack and the values live across
 * its lock call made one for every store when all was one function. The
 * section itself is split as ftlab/refcount.h, _ft_cs_try_begin_unlocked
 * says: in gil and in the owner's usual elision it runs here. */
int ft_list_set(ft_object *o, ssize_t i, ft_object *v)
{
    if (ft_unlikely(!o || o->ob_type != &ft_list_type || !v))
        return list_set_full(o, i, v);
    if (ft_unlikely(!_ft_incref_leaf(v)))
        return list_set_full(o, i, v);   /* nothing done yet */
    bool mine = _ft_owned_by_caller(o);   /* for the mark and the section */
    _ft_object_mark_stored_given(o, v, mine);
    ft_list_object *l = as_list(o);
    if (!_ft_cs_try_begin_unlocked(o, mine))
        return list_set_section(l, i, v);
    ft_object *old = NULL;
    ssize_t n = size_of(l);
    ssize_t j = normalize_index(i, n);
    if (j >= 0) {
        old = item_at(l, j);
        store_item(l, j, v);
    }
    _ft_cs_end_unlocked();
    if (ft_unlikely(!old))
        return list_set_out_of_range(i, n, v);
    ft_decref(old);   /* after the section: its dealloc may run anything */
    return 0;
}

/* ---- Creation and destruction ------------------------------------------ */

static ft_list_object *list_alloc(void)
{
    ft_list_object *l =
        (ft_list_object *)_ft_object_unpark(FT_FREELIST_LIST, &ft_list_type);
    if (!l && !(l = (ft_list_object *)_ft_object_alloc(&ft_list_type, sizeof *l)))
        return NULL;
    ft_atomic_store_relaxed(&l->xsize, 0);
    ft_atomic_store_relaxed(&l->xitems, NO_ITEMS);
    return l;
}

ft_object *ft_list_new(ssize_t n)
{
    if (n < 0) {
        ft_err_set(FT_ERR_VALUE, "ft_list_new: negative size %zd", n);
        return NULL;
    }
    ft_list_array *a = NO_ITEMS;
    if (n > 0 && !(a = array_new(n)))   /* exact size, as list([None] * n) */
        return NULL;
    ft_list_object *l = list_alloc();
    if (!l) {
        array_free(a);
        return NULL;
    }
    for (ssize_t i = 0; i < n; i++)
        ft_atomic_store_relaxed(&a->xslot[i], ft_none());   /* immortal */
    ft_atomic_store_relaxed(&l->xitems, a);
    ft_atomic_store_relaxed(&l->xsize, n);
    return &l->ob_base;
}

/* Releases the items of an array detached from its list. Inline in
 * every flavor (gil's compiler inlined it into list_dealloc, nogil's
 * called it). */
static ft_always_inline void release_items(ft_list_array *a, ssize_t n)
{
    for (ssize_t i = 0; i < n; i++)
        ft_decref(ft_atomic_load_relaxed(&a->xslot[i]));
}

static void list_dealloc(ft_object *o)
{
    ft_list_object *l = as_list(o);
    ft_list_array *a = items_of(l);
    release_items(a, size_of(l));
    /* The list is dead: nobody can be reading its array any more. */
    array_free(a);
    if (!_ft_object_park(o, FT_FREELIST_LIST))
        _ft_object_free(o);
}

static int list_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    ft_list_object *l = as_list(o);
    ft_list_array *a = items_of(l);
    for (ssize_t i = 0; i < size_of(l); i++) {
        int rc = visit(ft_atomic_load_relaxed(&a->xslot[i]), arg);
        if (rc)
            return rc;
    }
    return 0;
}

/* Empties the list (the collector breaking a cycle): detach the array
 * under the lock, release the items outside it. */
static int list_clear(ft_object *o)
{
    ft_list_object *l = as_list(o);
    ft_list_array *a;
    ssize_t n;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    a = items_of(l);
    n = size_of(l);
    ft_atomic_store_relaxed(&l->xsize, 0);
    ft_atomic_store_release(&l->xitems, NO_ITEMS);
    FT_END_CRITICAL_SECTION()
    release_items(a, n);
    array_retire(a);   /* the list lives on: readers may hold a */
    return 0;
}

static ssize_t list_len(ft_object *o)
{
    /* relaxed: len() is a snapshot; nothing else is read through it. */
    return ft_atomic_load_relaxed(&as_list(o)->xsize);
}

static size_t list_sizeof(ft_object *o)
{
    size_t n = sizeof(ft_list_object);
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    ft_list_array *a = items_of(as_list(o));
    if (a != NO_ITEMS)
        n += array_bytes(a->allocated);
    FT_END_CRITICAL_SECTION()
    return n;
}

/* Element-wise equality. Each item is taken as a reference under the lock
 * and compared outside it: comparing may run code that touches either
 * list, so no lock is held across ft_equal. */
static int list_eq(ft_object *a, ft_object *b)
{
    if (b->ob_type != &ft_list_type || list_len(a) != list_len(b))
        return 0;
    for (ssize_t i = 0;; i++) {
        ft_object *x = list_item_ref(as_list(a), i);
        ft_object *y = list_item_ref(as_list(b), i);
        int eq = (x && y) ? ft_equal(x, y) : (x == y);   /* both ended: 1 */
        ft_xdecref(x);
        ft_xdecref(y);
        if (eq != 1 || !x)
            return eq;
    }
}

ft_type ft_list_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "list", .tp_basicsize = sizeof(ft_list_object),
    .tp_flags = FT_TPFLAGS_GC,
    .tp_dealloc = list_dealloc, .tp_traverse = list_traverse,
    .tp_clear = list_clear, .tp_eq = list_eq, .tp_sizeof = list_sizeof,
    .tp_len = list_len,
    /* no tp_hash: lists are unhashable */
};

/* ---- Python's list operations (ftpy) -------------------------------------
 * Range edits (insert, pop, slice assignment, del, extend, clear) all go
 * through one locked primitive, list_replace_locked, which follows the
 * contract above: the new items are increfed and marked shared before the
 * section; inside it the array is either edited in place (shifting with
 * atomic stores, vacated slots set to NULL so that a lock-free reader
 * retries) or replaced by a new one published with a release store; after
 * the section the replaced array goes to _ft_qsbr_free and the items that
 * left the list are released. The edits' sections (list_replace,
 * insert, pop, reverse, and sort's take and put) are elidable, as
 * ft_list_append's: inside they only load, store and ft_malloc, so the
 * owner of a list no other thread has locked edits it without the lock
 * and unlock CAS (ftlab/refcount.h, "Critical sections on objects").
 * Snapshots (ft_list_as_tuple, ft_list_slice) take their references
 * under the lock (a sharded item's count may take the shard table's
 * lock: not in an elided section); comparisons and other calls that may
 * run Python code always happen on snapshots, outside the lock. */

enum { EDIT_INLINE = 8 };

/* What a locked edit leaves for after the section. */
typedef struct list_edit {
    ft_list_array *old;          /* replaced array: _ft_qsbr_free       */
    ft_object **removed;         /* items that left the list: released  */
    ssize_t nremoved;
    ft_object *inline_buf[EDIT_INLINE];
} list_edit;

static void edit_init(list_edit *e)
{
    e->old = NULL;
    e->removed = NULL;
    e->nremoved = 0;
}

/* After the section: free the old array, release what left the list.
 * Inline, as gil's compiler chose (nogil's called it once per edit). */
static ft_always_inline void edit_finish(list_edit *e)
{
    array_retire(e->old);
    for (ssize_t i = 0; i < e->nremoved; i++)
        ft_decref(e->removed[i]);
    if (e->removed != e->inline_buf)
        ft_free(e->removed);
}

static ssize_t clamp_index(ssize_t i, ssize_t lo, ssize_t hi)
{
    return i < lo ? lo : i > hi ? hi : i;
}

/* Takes a reference to each of items[0, n) for storing in list o. */
static void incref_items(ft_object *o, ft_object *const *items, ssize_t n)
{
    for (ssize_t i = 0; i < n; i++) {
        ft_incref(items[i]);
        _ft_object_mark_stored(o, items[i]);
    }
}

static void decref_items(ft_object *const *items, ssize_t n)
{
    for (ssize_t i = 0; i < n; i++)
        ft_decref(items[i]);
}

/* Does an edit to newsize items need a new array? Growth past the
 * capacity, or shrinking below half of it (CPython's list_resize rule). */
static bool needs_new_array(ft_list_array *a, ssize_t newsize)
{
    ssize_t cap = a->allocated;
    return newsize > cap || (newsize < cap / 2);
}

/* Copies slots [from, from + n) of a into b at `to` (b is not published). */
static void copy_slots(ft_list_array *b, ssize_t to, ft_list_array *a,
                       ssize_t from, ssize_t n)
{
    for (ssize_t i = 0; i < n; i++)
        ft_atomic_store_relaxed(&b->xslot[to + i],
                                ft_atomic_load_relaxed(&a->xslot[from + i]));
}

/* Builds the edited contents in a new array and publishes it. */
static int replace_into_new(ft_list_object *l, ssize_t lo, ssize_t hi,
                            ft_object *const *items, ssize_t n,
                            ssize_t newsize, list_edit *e)
{
    ft_list_array *a = items_of(l), *b = NO_ITEMS;
    ssize_t size = size_of(l);
    if (newsize > 0 && !(b = array_new(grown_capacity(newsize))))
        return -1;
    if (b != NO_ITEMS) {
        copy_slots(b, 0, a, 0, lo);
        for (ssize_t i = 0; i < n; i++)
            ft_atomic_store_relaxed(&b->xslot[lo + i], items[i]);
        copy_slots(b, lo + n, a, hi, size - hi);
        for (ssize_t i = newsize; i < b->allocated; i++)
            ft_atomic_store_relaxed(&b->xslot[i], NULL);
    }
    /* release: a reader that loads b sees its slots (as in list_grow). A
     * reader that still holds a checks its slots against xitems again. */
    ft_atomic_store_release(&l->xitems, b);
    ft_atomic_store_release(&l->xsize, newsize);
    e->old = a;
    return 0;
}

/* Edits the array in place (it has room and is not too big). */
static void replace_in_place(ft_list_object *l, ssize_t lo, ssize_t hi,
                             ft_object *const *items, ssize_t n,
                             ssize_t newsize)
{
    ft_list_array *a = items_of(l);
    ssize_t size = size_of(l), d = n - (hi - lo);
    if (d > 0) {           /* open a gap: move the tail right, last first */
        for (ssize_t i = size - 1; i >= hi; i--)
            store_item(l, i + d, ft_atomic_load_relaxed(&a->xslot[i]));
    } else if (d < 0) {    /* close the gap: move the tail left, first first */
        for (ssize_t i = hi; i < size; i++)
            store_item(l, i + d, ft_atomic_load_relaxed(&a->xslot[i]));
        /* unused slots are NULL (see the contract) */
        for (ssize_t i = newsize; i < size; i++)
            ft_atomic_store_relaxed(&a->xslot[i], NULL);
    }
    for (ssize_t i = 0; i < n; i++)
        store_item(l, lo + i, items[i]);
    /* release: a reader that sees the new size sees the moved items. */
    ft_atomic_store_release(&l->xsize, newsize);
}

/* Replaces items [lo, hi) (clamped to the list) with items[0, n), whose
 * references the list now owns. Runs locked; what must be freed or
 * released after the section is left in *e. -1 with MemoryError (the
 * list unchanged, the references not taken). */
static int list_replace_locked(ft_list_object *l, ssize_t lo, ssize_t hi,
                               ft_object *const *items, ssize_t n,
                               list_edit *e)
{
    ssize_t size = size_of(l);
    lo = clamp_index(lo, 0, size);
    hi = clamp_index(hi, lo, size);
    ssize_t nrem = hi - lo;
    if (n - nrem > LIST_MAX_ITEMS - size)
        return ft_err_set(FT_ERR_MEMORY, "list of %zd items", size + n - nrem);
    ssize_t newsize = size - nrem + n;
    ft_object **removed = e->inline_buf;
    if (nrem > EDIT_INLINE && !(removed = ft_malloc((size_t)nrem * sizeof *removed)))
        return -1;
    ft_list_array *a = items_of(l);
    for (ssize_t i = 0; i < nrem; i++)
        removed[i] = ft_atomic_load_relaxed(&a->xslot[lo + i]);
    if (needs_new_array(a, newsize)) {
        if (replace_into_new(l, lo, hi, items, n, newsize, e) < 0) {
            if (removed != e->inline_buf)
                ft_free(removed);
            return -1;
        }
    } else {
        replace_in_place(l, lo, hi, items, n, newsize);
    }
    e->removed = removed;
    e->nremoved = nrem;
    return 0;
}

/* The public range edit: items are borrowed; -1 leaves the list as it was. */
static int list_replace(ft_object *o, ssize_t lo, ssize_t hi,
                        ft_object *const *items, ssize_t n)
{
    list_edit e;
    edit_init(&e);
    int rc;
    incref_items(o, items, n);
    FT_BEGIN_ELIDABLE_SECTION_OBJ(o)   /* see "Range edits" */
    rc = list_replace_locked(as_list(o), lo, hi, items, n, &e);
    FT_END_ELIDABLE_SECTION()
    if (rc < 0)
        decref_items(items, n);
    edit_finish(&e);
    return rc;
}

static bool check_items(ft_object *const *items, ssize_t n, const char *what)
{
    if (n < 0 || (n > 0 && !items))
        return ft_err_set(FT_ERR_VALUE, "%s: bad item array", what), false;
    for (ssize_t i = 0; i < n; i++)
        if (!check_value(items[i], what))
            return false;
    return true;
}

int ft_list_set_slice(ft_object *o, ssize_t lo, ssize_t hi,
                      ft_object *const *items, ssize_t n)
{
    if (!check_list(o, "ft_list_set_slice") ||
        !check_items(items, n, "ft_list_set_slice"))
        return -1;
    return list_replace(o, lo, hi, items, n);
}

int ft_list_extend_array(ft_object *o, ft_object *const *items, ssize_t n)
{
    if (!check_list(o, "ft_list_extend_array") ||
        !check_items(items, n, "ft_list_extend_array"))
        return -1;
    /* [SSIZE_MAX, SSIZE_MAX) clamps to the end as the list is under the lock */
    return list_replace(o, SSIZE_MAX, SSIZE_MAX, items, n);
}

int ft_list_clear(ft_object *o)
{
    if (!check_list(o, "ft_list_clear"))
        return -1;
    return list_replace(o, 0, SSIZE_MAX, NULL, 0);
}

int ft_list_insert(ft_object *o, ssize_t i, ft_object *v)
{
    if (!check_list(o, "ft_list_insert") || !check_value(v, "ft_list_insert"))
        return -1;
    list_edit e;
    edit_init(&e);
    int rc;
    incref_items(o, &v, 1);
    FT_BEGIN_ELIDABLE_SECTION_OBJ(o)   /* see "Range edits" */
    ssize_t n = size_of(as_list(o));
    /* list.insert's rule: negative counts from the end, then clamp */
    ssize_t j = clamp_index(i < 0 ? i + n : i, 0, n);
    rc = list_replace_locked(as_list(o), j, j, &v, 1, &e);
    FT_END_ELIDABLE_SECTION()
    if (rc < 0)
        ft_decref(v);
    edit_finish(&e);
    return rc;
}

ft_object *ft_list_pop(ft_object *o, ssize_t i)
{
    if (!check_list(o, "ft_list_pop"))
        return NULL;
    list_edit e;
    edit_init(&e);
    ft_object *v = NULL;
    ssize_t n;
    int rc = 0;
    FT_BEGIN_ELIDABLE_SECTION_OBJ(o)   /* see "Range edits" */
    n = size_of(as_list(o));
    ssize_t j = normalize_index(i, n);
    if (j >= 0 && (rc = list_replace_locked(as_list(o), j, j + 1, NULL, 0, &e)) == 0) {
        v = e.removed[0];   /* the caller's reference now */
        e.nremoved = 0;
    }
    FT_END_ELIDABLE_SECTION()
    edit_finish(&e);
    if (!v && rc == 0)
        ft_err_set(FT_ERR_INDEX, n == 0 ? "pop from empty list"
                                        : "pop index out of range");
    return v;
}

int ft_list_reverse(ft_object *o)
{
    if (!check_list(o, "ft_list_reverse"))
        return -1;
    FT_BEGIN_ELIDABLE_SECTION_OBJ(o)   /* see "Range edits" */
    ft_list_object *l = as_list(o);
    ft_list_array *a = items_of(l);
    for (ssize_t i = 0, j = size_of(l) - 1; i < j; i++, j--) {
        ft_object *x = ft_atomic_load_relaxed(&a->xslot[i]);
        store_item(l, i, ft_atomic_load_relaxed(&a->xslot[j]));
        store_item(l, j, x);
    }
    FT_END_ELIDABLE_SECTION()
    return 0;
}

ft_object *ft_list_as_tuple(ft_object *o)
{
    if (!check_list(o, "ft_list_as_tuple"))
        return NULL;
    ft_object *t = NULL;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    ft_list_object *l = as_list(o);
    ssize_t n = size_of(l);
    t = ft_tuple_new(n);
    for (ssize_t i = 0; t && i < n; i++)
        ft_tuple_set_steal(t, i, ft_newref(item_at(l, i)));
    FT_END_CRITICAL_SECTION()
    return t;
}

ft_object *ft_list_slice(ft_object *o, ssize_t start, ssize_t step,
                         ssize_t count)
{
    if (!check_list(o, "ft_list_slice"))
        return NULL;
    if (step == 0 || count < 0) {
        ft_err_set(FT_ERR_VALUE, "ft_list_slice: step 0 or negative count");
        return NULL;
    }
    ft_list_object *r = list_alloc();
    if (!r)
        return NULL;
    ft_list_array *b = NO_ITEMS;
    int rc = 0;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    ft_list_object *l = as_list(o);
    ssize_t n = size_of(l), k = 0;
    if (count > 0 && !(b = array_new(count))) {
        rc = -1;
        b = NO_ITEMS;
    }
    for (ssize_t i = 0; i < count && b != NO_ITEMS; i++) {
        ssize_t j = start + i * step;
        if (j >= 0 && j < n)   /* the list may have shrunk since */
            ft_atomic_store_relaxed(&b->xslot[k++], ft_newref(item_at(l, j)));
    }
    for (ssize_t i = k; i < count && b != NO_ITEMS; i++)
        ft_atomic_store_relaxed(&b->xslot[i], NULL);
    ft_atomic_store_relaxed(&r->xitems, b);
    ft_atomic_store_relaxed(&r->xsize, k);
    FT_END_CRITICAL_SECTION()
    if (rc < 0) {
        ft_decref(&r->ob_base);
        return NULL;
    }
    return &r->ob_base;
}

int ft_list_take_items(ft_object *o, ft_object ***items, ssize_t *n)
{
    *items = NULL;
    *n = 0;
    if (!check_list(o, "ft_list_take_items"))
        return -1;
    ft_list_array *a = NULL;
    int rc = 0;
    FT_BEGIN_ELIDABLE_SECTION_OBJ(o)   /* see "Range edits" */
    ft_list_object *l = as_list(o);
    ssize_t size = size_of(l);
    ft_object **out = size ? ft_malloc((size_t)size * sizeof *out) : NULL;
    if (size && !out) {
        rc = -1;
    } else {
        a = items_of(l);
        for (ssize_t i = 0; i < size; i++)
            out[i] = ft_atomic_load_relaxed(&a->xslot[i]);
        ft_atomic_store_relaxed(&l->xsize, 0);
        ft_atomic_store_release(&l->xitems, NO_ITEMS);
        *items = out;
        *n = size;
    }
    FT_END_ELIDABLE_SECTION()
    array_retire(a);   /* readers may still hold the detached array */
    return rc;
}

int ft_list_put_items_steal(ft_object *o, ft_object **items, ssize_t n)
{
    if (!check_list(o, "ft_list_put_items_steal")) {
        decref_items(items, n);
        ft_free(items);
        return -1;
    }
    list_edit e;
    edit_init(&e);
    int rc;
    for (ssize_t i = 0; i < n; i++)
        _ft_object_mark_stored(o, items[i]);   /* the references are stolen */
    FT_BEGIN_ELIDABLE_SECTION_OBJ(o)   /* see "Range edits" */
    ssize_t before = size_of(as_list(o));
    rc = list_replace_locked(as_list(o), 0, SSIZE_MAX, items, n, &e);
    if (rc == 0)
        rc = before != 0;
    FT_END_ELIDABLE_SECTION()
    if (rc < 0)
        decref_items(items, n);
    ft_free(items);
    edit_finish(&e);
    return rc;
}
