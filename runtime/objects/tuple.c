/* tuple.c — immutable sequences. Tuples of length 1..20 are recycled
 * through per-length free lists (per thread in nogil), and the empty tuple
 * is a static immortal singleton, as in CPython. A tuple is filled once,
 * right after ft_tuple_new, with ft_tuple_set_steal; after that it never
 * changes, so reading it needs no lock in any flavor. */
#include <stdint.h>
#include "internal/object.h"
#include "mem/freelist.h"

static ft_tuple_object empty_tuple;

static ft_tuple_object *as_tuple(ft_object *o) { return (ft_tuple_object *)o; }

static bool check_tuple(ft_object *o, const char *what)
{
    return _ft_check_type_inline(o, &ft_tuple_type, what);
}

static void tuple_dealloc(ft_object *o)
{
    ft_tuple_object *t = as_tuple(o);
    /* A dying tuple's size is fixed: read once, not again after every
     * decref (nogil's count store is atomic, which the compiler takes as
     * a write of any memory, so each item reloaded it). */
    ssize_t n = t->size;
    for (ssize_t i = 0; i < n; i++)
        ft_xdecref(t->items[i]);
    if (n > FT_FREELIST_TUPLE_MAX ||
        !_ft_object_park(o, FT_FREELIST_TUPLE1 + (int)n - 1))
        _ft_object_free(o);
}

static int tuple_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    ft_tuple_object *t = as_tuple(o);
    for (ssize_t i = 0; i < t->size; i++)
        if (t->items[i]) {
            int rc = visit(t->items[i], arg);
            if (rc)
                return rc;
        }
    return 0;
}

/* CPython's tuple hash (xxHash's round and mixing constants). */
static int64_t tuple_hash(ft_object *o)
{
    ft_tuple_object *t = as_tuple(o);
    const uint64_t p1 = 11400714785074694791ull, p2 = 14029467366897019727ull,
                   p5 = 2870177450012600261ull;
    uint64_t acc = p5;
    for (ssize_t i = 0; i < t->size; i++) {
        int64_t h = ft_hash(t->items[i]);
        if (h == -1)
            return -1;
        acc += (uint64_t)h * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
    }
    acc += (uint64_t)t->size ^ (p5 ^ 3527539ull);
    return acc == (uint64_t)-1 ? 1546275796 : (int64_t)acc;
}

static int tuple_eq(ft_object *a, ft_object *b)
{
    if (b->ob_type != &ft_tuple_type || as_tuple(a)->size != as_tuple(b)->size)
        return 0;
    for (ssize_t i = 0; i < as_tuple(a)->size; i++) {
        int eq = ft_equal(as_tuple(a)->items[i], as_tuple(b)->items[i]);
        if (eq != 1)
            return eq;
    }
    return 1;
}

static ssize_t tuple_len(ft_object *o) { return as_tuple(o)->size; }

static size_t tuple_sizeof(ft_object *o)
{
    return sizeof(ft_tuple_object) + (size_t)as_tuple(o)->size * sizeof(ft_object *);
}

ft_type ft_tuple_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "tuple", .tp_basicsize = sizeof(ft_tuple_object),
    .tp_itemsize = sizeof(ft_object *), .tp_flags = FT_TPFLAGS_GC,
    .tp_dealloc = tuple_dealloc, .tp_traverse = tuple_traverse,
    .tp_hash = tuple_hash, .tp_eq = tuple_eq, .tp_sizeof = tuple_sizeof,
    .tp_len = tuple_len,
};

void _ft_tuple_init_static(void);
void _ft_tuple_init_static(void)
{
    _ft_object_init_static(&empty_tuple.ob_base, &ft_tuple_type);
    empty_tuple.size = 0;
}

ft_object *ft_tuple_new(ssize_t n)
{
    if (n < 0) {
        ft_err_set(FT_ERR_VALUE, "ft_tuple_new: negative size %zd", n);
        return NULL;
    }
    if (n == 0)
        return &empty_tuple.ob_base;   /* immortal */
    if ((size_t)n > (SIZE_MAX - sizeof(ft_tuple_object)) / sizeof(ft_object *)) {
        ft_err_set(FT_ERR_MEMORY, "ft_tuple_new: %zd items", n);
        return NULL;
    }
    ft_tuple_object *t = NULL;
    if (n <= FT_FREELIST_TUPLE_MAX)
        t = (ft_tuple_object *)_ft_object_unpark(FT_FREELIST_TUPLE1 + (int)n - 1,
                                                 &ft_tuple_type);
    if (!t && !(t = (ft_tuple_object *)_ft_object_alloc(
                   &ft_tuple_type, sizeof *t + (size_t)n * sizeof(ft_object *))))
        return NULL;
    t->size = n;
    for (ssize_t i = 0; i < n; i++)
        t->items[i] = NULL;
    return &t->ob_base;
}

int ft_tuple_set_steal(ft_object *t, ssize_t i, ft_object *v)
{
    if (!check_tuple(t, "ft_tuple_set_steal")) {
        ft_xdecref(v);
        return -1;
    }
    ft_tuple_object *tt = as_tuple(t);
    if (i < 0 || i >= tt->size) {
        ft_xdecref(v);
        return ft_err_set(FT_ERR_INDEX, "tuple index %zd out of range", i);
    }
    ft_object *old = tt->items[i];
    tt->items[i] = v;
    ft_xdecref(old);
    return 0;
}

ft_object *ft_tuple_get_borrow(ft_object *t, ssize_t i)
{
    if (!check_tuple(t, "ft_tuple_get_borrow"))
        return NULL;
    if (i < 0 || i >= as_tuple(t)->size) {
        ft_err_set(FT_ERR_INDEX, "tuple index %zd out of range", i);
        return NULL;
    }
    return as_tuple(t)->items[i];
}
