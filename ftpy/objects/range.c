/* objects/range.c — range objects and their iterator.
 *
 * Bounds are int64 (a bound outside raises OverflowError); the length is
 * computed in 128 bits, so range(-2**63, 2**63 - 1) exists, though its
 * len() overflows as in CPython past sys.maxsize. Membership of an int is
 * O(1); other objects (3.0 in range(5)) are compared one by one.
 */
#include "containers.h"
#include "int.h"
#include "str.h"
#include "typeobject.h"

typedef struct py_range {
    ft_object ob_base;
    int64_t start, stop, step;
    uint64_t len;
} py_range;

typedef struct range_iter {
    ft_object ob_base;
    int64_t next, step;
    uint64_t remaining;
} range_iter;

static py_range *as_range(ft_object *o) { return (py_range *)o; }

static uint64_t range_length(int64_t start, int64_t stop, int64_t step)
{
    __int128 lo = start, hi = stop, st = step;
    if (st > 0)
        return lo < hi ? (uint64_t)((hi - lo - 1) / st + 1) : 0;
    return lo > hi ? (uint64_t)((lo - hi - 1) / (-st) + 1) : 0;
}

ft_object *py_range_new(int64_t start, int64_t stop, int64_t step)
{
    py_range *r = (py_range *)ft_object_new(&py_range_class.ft, sizeof(py_range));
    if (!r)
        return py_err_from_ft();
    r->start = start;
    r->stop = stop;
    r->step = step;
    r->len = range_length(start, stop, step);
    return &r->ob_base;
}

static void range_dealloc(ft_object *o)
{
    ft_object_free(o);
}

/* An argument of range(): an int or __index__, int64 only. */
static int range_arg(ft_object *o, int64_t *out)
{
    if (o->ob_type == &ft_int_type) {
        *out = ft_int_as_i64(o);
        return 0;
    }
    ft_object *i = py_number_index(o);
    if (!i)
        return -1;
    int rc = py_long_as_i64(i, out);
    ft_decref(i);
    return rc;
}

static ft_object *range_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)cls;
    if (py_no_kwargs("range", kwnames) < 0)
        return NULL;
    if (nargs == 0)
        return py_err_format(py_exc_TypeError, "range expected at least 1 argument, "
                             "got 0");
    if (py_check_nargs("range", nargs, 1, 3) < 0)
        return NULL;
    int64_t start = 0, stop, step = 1;
    if (nargs == 1) {
        if (range_arg(args[0], &stop) < 0)
            return NULL;
    } else if (range_arg(args[0], &start) < 0 || range_arg(args[1], &stop) < 0 ||
               (nargs == 3 && range_arg(args[2], &step) < 0)) {
        return NULL;
    }
    if (step == 0)
        return py_err_format(py_exc_ValueError, "range() arg 3 must not be zero");
    return py_range_new(start, stop, step);
}

static ft_object *range_repr(ft_object *o)
{
    py_range *r = as_range(o);
    if (r->step == 1)
        return py_str_from_format("range(%lld, %lld)", (long long)r->start,
                                   (long long)r->stop);
    return py_str_from_format("range(%lld, %lld, %lld)", (long long)r->start,
                              (long long)r->stop, (long long)r->step);
}

static ssize_t range_len(ft_object *o)
{
    uint64_t n = as_range(o)->len;
    if (n > (uint64_t)SSIZE_MAX) {
        py_err_format(py_exc_OverflowError, "Python int too large to convert to C "
                      "ssize_t");
        return -1;
    }
    return (ssize_t)n;
}

static int range_bool(ft_object *o)
{
    return as_range(o)->len > 0;
}

/* The item at index i (0 <= i < len). */
static int64_t range_at(py_range *r, uint64_t i)
{
    return (int64_t)((uint64_t)r->start + i * (uint64_t)r->step);
}

/* Is the int v an item? Its index in *index when it is. */
static bool range_has(py_range *r, int64_t v, uint64_t *index)
{
    __int128 d = (__int128)v - r->start;
    if (r->len == 0 || d % r->step != 0)
        return false;
    __int128 q = d / r->step;
    if (q < 0 || (unsigned __int128)q >= r->len)
        return false;
    *index = (uint64_t)q;
    return true;
}

/* An exact int key's value: 1 with *v, 0 for another object, -1 error.
 * A big int is never an item (it lies outside int64). */
static int int_key(ft_object *k, int64_t *v, bool *big)
{
    *big = false;
    if (!py_long_check(k))
        return 0;
    if (py_long_as_i64(k, v) < 0) {
        if (!py_err_matches(py_exc_OverflowError))
            return -1;
        py_err_clear();
        *big = true;
    }
    return 1;
}

/* Scans for x by equality: the first index, -1 when absent, -2 error;
 * *count gets the number of equal items when count is not NULL. */
static int64_t range_scan(py_range *r, ft_object *x, int64_t *count)
{
    int64_t first = -1;
    for (uint64_t i = 0; i < r->len; i++) {
        ft_object *item = ft_int_from_i64(range_at(r, i));
        if (!item)
            return py_err_from_ft(), -2;
        int eq = py_richcompare_bool(item, x, PY_EQ);
        ft_decref(item);
        if (eq < 0)
            return -2;
        if (eq && first < 0)
            first = (int64_t)i;
        if (eq && !count)
            return first;
        if (count)
            *count += eq;
    }
    return first;
}

static int range_contains(ft_object *o, ft_object *k)
{
    int64_t v;
    bool big;
    uint64_t idx;
    int ik = int_key(k, &v, &big);
    if (ik < 0)
        return -1;
    if (ik)
        return !big && range_has(as_range(o), v, &idx);
    int64_t i = range_scan(as_range(o), k, NULL);
    return i == -2 ? -1 : i >= 0;
}

static ft_object *range_index(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    if (py_meth_onearg("range", "index", nargs, kwnames) < 0)
        return NULL;
    int64_t v;
    bool big;
    uint64_t idx;
    int ik = int_key(args[0], &v, &big);
    if (ik < 0)
        return NULL;
    if (ik && !big && range_has(as_range(self), v, &idx))
        return ft_int_from_i64((int64_t)idx);
    if (!ik) {
        int64_t i = range_scan(as_range(self), args[0], NULL);
        if (i == -2)
            return NULL;
        if (i >= 0)
            return ft_int_from_i64(i);
    }
    ft_object *r = py_repr(args[0]);
    if (!r)
        return NULL;
    py_err_format(py_exc_ValueError, "%s is not in range", ft_str_utf8_borrow(r, NULL));
    ft_decref(r);
    return NULL;
}

static ft_object *range_count(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    if (py_meth_onearg("range", "count", nargs, kwnames) < 0)
        return NULL;
    int64_t v, n = 0;
    bool big;
    uint64_t idx;
    int ik = int_key(args[0], &v, &big);
    if (ik < 0)
        return NULL;
    if (ik)
        return ft_int_from_i64(!big && range_has(as_range(self), v, &idx));
    if (range_scan(as_range(self), args[0], &n) == -2)
        return NULL;
    return ft_int_from_i64(n);
}

static bool fits_i64(__int128 v)
{
    return v >= INT64_MIN && v <= INT64_MAX;
}

static ft_object *range_getitem(ft_object *o, ft_object *key)
{
    py_range *r = as_range(o);
    ssize_t i;
    int k = py_seq_index_key(key, &i);
    if (k < 0)
        return NULL;
    if (k) {
        __int128 j = i < 0 ? (__int128)i + r->len : i;
        if (j < 0 || j >= (__int128)r->len)
            return py_err_format(py_exc_IndexError, "range object index out of range");
        return ft_int_from_i64(range_at(r, (uint64_t)j));
    }
    if (!py_slice_check(key))
        return py_err_format(py_exc_TypeError, "range indices must be integers or "
                             "slices, not %s", py_type_name(key));
    ssize_t len = range_len(o), start, stop, step, n;
    if (len < 0 || py_slice_indices(key, len, &start, &stop, &step, &n) < 0)
        return NULL;
    __int128 nstart = (__int128)r->start + (__int128)start * r->step;
    __int128 nstop = (__int128)r->start + (__int128)stop * r->step;
    __int128 nstep = (__int128)step * r->step;
    if (!fits_i64(nstart) || !fits_i64(nstop) || !fits_i64(nstep))
        return py_err_format(py_exc_OverflowError, "Python int too large to convert to "
                             "C ssize_t");
    return py_range_new((int64_t)nstart, (int64_t)nstop, (int64_t)nstep);
}

/* Equal as sequences: the same items in the same order. */
static int range_same(py_range *a, py_range *b)
{
    if (a->len != b->len)
        return 0;
    if (a->len == 0)
        return 1;
    if (a->start != b->start)
        return 0;
    return a->len == 1 || a->step == b->step;
}

static ft_object *range_richcompare(ft_object *a, ft_object *b, int op)
{
    if (a->ob_type != &py_range_class.ft || b->ob_type != &py_range_class.ft ||
        (op != PY_EQ && op != PY_NE))
        return py_notimplemented();
    int eq = range_same(as_range(a), as_range(b));
    return ft_newref(ft_bool(op == PY_EQ ? eq : !eq));
}

static int64_t range_hash(ft_object *o)
{
    py_range *r = as_range(o);
    ft_object *t = ft_tuple_new(3);
    if (!t)
        return py_err_from_ft(), -1;
    ft_tuple_set_steal(t, 0, ft_int_from_i64((int64_t)r->len));
    ft_tuple_set_steal(t, 1, r->len ? ft_int_from_i64(r->start) : ft_none());
    ft_tuple_set_steal(t, 2, r->len > 1 ? ft_int_from_i64(r->step) : ft_none());
    int64_t h = ft_hash(t);
    ft_decref(t);
    return h;
}

static int range_eq(ft_object *a, ft_object *b)
{
    if (a->ob_type != &py_range_class.ft || b->ob_type != &py_range_class.ft)
        return 0;
    return range_same(as_range(a), as_range(b));
}

/* ---- The iterator ------------------------------------------------------------- */

static ft_object *range_iter_make(int64_t first, int64_t step, uint64_t n)
{
    range_iter *it = (range_iter *)ft_object_new(&py_range_iter_class.ft,
                                                 sizeof(range_iter));
    if (!it)
        return py_err_from_ft();
    it->next = first;
    it->step = step;
    it->remaining = n;
    return &it->ob_base;
}

static ft_object *range_tp_iter(ft_object *o)
{
    py_range *r = as_range(o);
    return range_iter_make(r->start, r->step, r->len);
}

static ft_object *range_reversed(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    py_range *r = as_range(self);
    int64_t last = r->len ? range_at(r, r->len - 1) : 0;
    return range_iter_make(last, (int64_t)(0 - (uint64_t)r->step), r->len);
}

static ft_object *riter_next(ft_object *o)
{
    range_iter *it = (range_iter *)o;
    if (it->remaining == 0)
        return NULL;
    int64_t v = it->next;
    it->next = (int64_t)((uint64_t)v + (uint64_t)it->step);   /* may wrap past the end */
    it->remaining--;
    ft_object *r = ft_int_from_i64(v);
    return r ? r : py_err_from_ft();
}

static ft_object *riter_length_hint(ft_object *self, ft_object *const *args,
                                    size_t nargs, ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    uint64_t n = ((range_iter *)self)->remaining;
    return ft_int_from_i64(n > INT64_MAX ? INT64_MAX : (int64_t)n);
}

static const py_method_def riter_methods[] = {
    { "__length_hint__", riter_length_hint, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

py_type py_range_iter_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "range_iterator", .tp_basicsize = sizeof(range_iter),
        .tp_flags = PY_TPFLAGS_PYTYPE,
        .tp_dealloc = range_dealloc,
    },
    .tp_iter = py_iter_self, .tp_iternext = riter_next,
    .tp_methods = riter_methods,
};

/* ---- The class ------------------------------------------------------------------ */

static ft_object *range_get_start(ft_object *o) { return ft_int_from_i64(as_range(o)->start); }
static ft_object *range_get_stop(ft_object *o) { return ft_int_from_i64(as_range(o)->stop); }
static ft_object *range_get_step(ft_object *o) { return ft_int_from_i64(as_range(o)->step); }

static const py_getset_def range_getset[] = {
    { "start", range_get_start, NULL },
    { "stop", range_get_stop, NULL },
    { "step", range_get_step, NULL },
    { NULL, NULL, NULL },
};

static const py_method_def range_methods[] = {
    { "index", range_index, PY_METH_DEFAULT },
    { "count", range_count, PY_METH_DEFAULT },
    { "__reversed__", range_reversed, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

py_type py_range_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "range", .tp_basicsize = sizeof(py_range),
        .tp_flags = PY_TPFLAGS_PYTYPE,
        .tp_dealloc = range_dealloc, .tp_hash = range_hash, .tp_eq = range_eq,
        .tp_repr = range_repr, .tp_len = range_len,
    },
    .tp_richcompare = range_richcompare,
    .tp_bool = range_bool,
    .tp_getitem = range_getitem,
    .tp_contains = range_contains,
    .tp_iter = range_tp_iter,
    .tp_new = range_tp_new,
    .tp_methods = range_methods,
    .tp_getset = range_getset,
};
