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
 *   reference each, xslot[xsize, allocated) are NULL; xitems == NULL
 *   exactly when nothing is allocated.
 *
 * The capacity lives in the array, not in the list (as CPython's
 * _PyListArray): a reader that loads xitems gets an array and its bound in
 * one load, so the lock-free ft_list_get checks an index against the
 * array it actually reads, whatever a concurrent resize does.
 *
 * Concurrency contract (nogil; in gil the GIL serialises everything):
 *   - every mutation runs in a critical section on the list; ft_len reads
 *     xsize relaxed without the lock (a snapshot);
 *   - ft_list_get reads without the lock (list_get_lockfree, after
 *     CPython's list_get_item_ref): array, slot, _ft_try_incref, then a
 *     re-check that the slot and the list's array still hold what it
 *     loaded; after LOCKFREE_TRIES failures it takes the lock. An item it
 *     loads may die under it: object memory is type-stable for a grace
 *     period (internal/qsbr.h), and every stored item is marked shared so
 *     that a non-owner's try-incref can succeed;
 *   - a replaced array is freed with _ft_qsbr_free after the section ends,
 *     so a lock-free reader never sees it freed under its feet; unused
 *     slots are NULL, never garbage, so a reader whose array and size
 *     come from different moments reads NULL and retries;
 *   - a value that leaves the list is released after the section ends: its
 *     tp_dealloc may touch other containers (never this list's lock).
 * Growth is CPython's list_resize: n + n/8 + 6, rounded to a multiple of
 * 4, which gives amortised O(1) appends.
 */
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
    _Atomic(ft_list_array *) xitems;      /* NULL: nothing allocated      */
} ft_list_object;

#define LIST_MAX_ITEMS \
    ((ssize_t)((SIZE_MAX / 2 - sizeof(ft_list_array)) / sizeof(ft_object *)))

static ft_list_object *as_list(ft_object *o) { return (ft_list_object *)o; }

static bool check_list(ft_object *o, const char *what)
{
    return _ft_check_type(o, &ft_list_type, what);
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
 * (to be freed after the section), or -1 with MemoryError. */
static int list_grow(ft_list_object *l, ft_list_array **old)
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
    if (i < size_of(l))
        v = ft_newref(item_at(l, i));
    FT_END_CRITICAL_SECTION()
    return v;
}

/* One optimistic read of item i; NULL when it must be tried again. */
static ft_object *list_try_get(ft_list_object *l, ssize_t i)
{
    /* acquire: pairs with append's release of xsize, so slots below n in
     * the array loaded next (or a newer one) are written. */
    ssize_t j = normalize_index(i, ft_atomic_load_acquire(&l->xsize));
    /* acquire: pairs with list_grow's release: the array's slots and
     * bound are visible. */
    ft_list_array *a = ft_atomic_load_acquire(&l->xitems);
    if (j < 0 || !a || j >= a->allocated)
        return NULL;
    /* acquire: pairs with store_item's release: the item is initialised. */
    ft_object *v = ft_atomic_load_acquire(&a->xslot[j]);
    if (!v || !_ft_try_incref(v))
        return NULL;
    /* acquire (both): ordered after the incref, so that if they still
     * hold what we loaded, v was the list's item j while we took our
     * reference. */
    if (ft_atomic_load_acquire(&a->xslot[j]) == v &&
        ft_atomic_load_acquire(&l->xitems) == a)
        return v;
    ft_decref(v);
    return NULL;
}

/* ft_list_get without the lock (see the contract); NULL: take the lock. */
static ft_object *list_get_lockfree(ft_list_object *l, ssize_t i)
{
    for (int t = 0; t < LOCKFREE_TRIES; t++) {
        ft_object *v = list_try_get(l, i);
        if (v) {
            _ft_lockfree_counts.hits++;
            return v;
        }
        _ft_lockfree_counts.retries++;
    }
    _ft_lockfree_counts.fallbacks++;
    return NULL;
}

ft_object *ft_list_get(ft_object *o, ssize_t i)
{
    if (!check_list(o, "ft_list_get"))
        return NULL;
    ft_list_object *l = as_list(o);
    ft_object *v = NULL;
    if (_ft_qsbr_lockfree_reads() && (v = list_get_lockfree(l, i)))
        return v;
    ssize_t n;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    n = size_of(l);
    ssize_t j = normalize_index(i, n);
    if (j >= 0)
        v = ft_newref(item_at(l, j));
    FT_END_CRITICAL_SECTION()
    if (!v)
        ft_err_set(FT_ERR_INDEX, "list index %zd out of range (len %zd)", i, n);
    return v;
}

/* ---- Writing ------------------------------------------------------------- */

/* Stores v (a reference the list now owns) in slot i under the lock. The
 * release store lets a future lock-free reader that loads the slot see v's
 * initialised contents. */
static void store_item(ft_list_object *l, ssize_t i, ft_object *v)
{
    ft_atomic_store_release(&items_of(l)->xslot[i], v);
}

int ft_list_append(ft_object *o, ft_object *v)
{
    if (!check_list(o, "ft_list_append") || !check_value(v, "ft_list_append"))
        return -1;
    ft_list_object *l = as_list(o);
    ft_list_array *old = NULL;
    int rc = 0;
    ft_incref(v);
    _ft_object_set_shared(v);
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    ssize_t n = size_of(l);
    ft_list_array *a = items_of(l);
    if (!a || n == a->allocated)
        rc = list_grow(l, &old);
    if (rc == 0) {
        store_item(l, n, v);
        /* release: a reader that sees the new size sees the item too. */
        ft_atomic_store_release(&l->xsize, n + 1);
    }
    FT_END_CRITICAL_SECTION()
    _ft_qsbr_free(old);
    if (rc != 0)
        ft_decref(v);
    return rc;
}

int ft_list_set(ft_object *o, ssize_t i, ft_object *v)
{
    if (!check_list(o, "ft_list_set") || !check_value(v, "ft_list_set"))
        return -1;
    ft_list_object *l = as_list(o);
    ft_object *old = NULL;
    ssize_t n;
    ft_incref(v);
    _ft_object_set_shared(v);
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    n = size_of(l);
    ssize_t j = normalize_index(i, n);
    if (j >= 0) {
        old = item_at(l, j);
        store_item(l, j, v);
    }
    FT_END_CRITICAL_SECTION()
    if (!old) {
        ft_decref(v);
        return ft_err_set(FT_ERR_INDEX, "list assignment index %zd out of "
                          "range (len %zd)", i, n);
    }
    ft_decref(old);   /* outside the lock: its dealloc may run anything */
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
    ft_atomic_store_relaxed(&l->xitems, NULL);
    return l;
}

ft_object *ft_list_new(ssize_t n)
{
    if (n < 0) {
        ft_err_set(FT_ERR_VALUE, "ft_list_new: negative size %zd", n);
        return NULL;
    }
    ft_list_array *a = NULL;
    if (n > 0 && !(a = array_new(n)))   /* exact size, as list([None] * n) */
        return NULL;
    ft_list_object *l = list_alloc();
    if (!l) {
        ft_free(a);
        return NULL;
    }
    for (ssize_t i = 0; i < n; i++)
        ft_atomic_store_relaxed(&a->xslot[i], ft_none());   /* immortal */
    ft_atomic_store_relaxed(&l->xitems, a);
    ft_atomic_store_relaxed(&l->xsize, n);
    return &l->ob_base;
}

/* Releases the items of an array detached from its list. */
static void release_items(ft_list_array *a, ssize_t n)
{
    for (ssize_t i = 0; i < n; i++)
        ft_decref(ft_atomic_load_relaxed(&a->xslot[i]));
}

static void list_dealloc(ft_object *o)
{
    ft_list_object *l = as_list(o);
    ft_list_array *a = items_of(l);
    if (a) {
        release_items(a, size_of(l));
        /* The list is dead: nobody can be reading its array any more. */
        ft_free(a);
    }
    if (!_ft_object_park(o, FT_FREELIST_LIST))
        _ft_object_free(o);
}

static int list_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    ft_list_object *l = as_list(o);
    ft_list_array *a = items_of(l);
    for (ssize_t i = 0; a && i < size_of(l); i++) {
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
    ft_atomic_store_release(&l->xitems, NULL);
    FT_END_CRITICAL_SECTION()
    if (a) {
        release_items(a, n);
        _ft_qsbr_free(a);   /* the list lives on: readers may hold a */
    }
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
    if (a)
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
