/* objects/range.c — range objects and their iterators.
 *
 * Two representations, as CPython's range/longrange iterators:
 *   small  start, stop, step fit int64 (every item then does too); the
 *          length is computed in 128 bits and kept in a uint64, so
 *          range(-2**63, 2**63 - 1) exists, though its len() overflows as
 *          in CPython past sys.maxsize. The fast paths (iteration, int
 *          indexing, membership) work on these C integers.
 *   big    a bound outside int64 (range(10**20)): start, stop, step and
 *          the length are also kept as int objects (b*), and every
 *          operation is done in Python int arithmetic; its iterator is a
 *          longrange_iterator over int objects.
 * Membership of an int is O(1); other objects (3.0 in range(5)) are
 * compared one by one.
 */
#include "containers.h"
#include "int.h"
#include "str.h"
#include "typeobject.h"

typedef struct py_range {
    ft_object ob_base;
    int64_t start, stop, step;   /* small ranges                           */
    uint64_t len;
    /* big ranges: all four set (new references); NULL for small ones */
    ft_object *bstart, *bstop, *bstep, *blen;
} py_range;

typedef struct longrange_iter {
    ft_object ob_base;
    ft_object *next, *step, *remaining;   /* ints                          */
} longrange_iter;



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

static void big_range_dealloc(ft_object *o)
{
    py_range *r = as_range(o);
    ft_xdecref(r->bstart);
    ft_xdecref(r->bstop);
    ft_xdecref(r->bstep);
    ft_xdecref(r->blen);
    ft_object_free(o);
}

/* ---- Int arithmetic for big ranges ------------------------------------------------ */

static ft_object *iadd(ft_object *a, ft_object *b) { return py_binary_op(a, b, PY_OP_ADD); }
static ft_object *isub(ft_object *a, ft_object *b) { return py_binary_op(a, b, PY_OP_SUB); }
static ft_object *imul(ft_object *a, ft_object *b) { return py_binary_op(a, b, PY_OP_MUL); }
static ft_object *ifloordiv(ft_object *a, ft_object *b)
{
    return py_binary_op(a, b, PY_OP_FLOORDIV);
}
/* a < b etc. on ints: 1/0, -1 on error. */
static int icmp(ft_object *a, ft_object *b, int op) { return py_richcompare_bool(a, b, op); }

static ft_object *int_zero(void) { return ft_int_from_i64(0); }
static ft_object *int_one(void) { return ft_int_from_i64(1); }

/* The bound `which` (0 start, 1 stop, 2 step, 3 len) as an int object. */
static ft_object *range_field(py_range *r, int which)
{
    if (r->blen) {
        ft_object *f = which == 0 ? r->bstart : which == 1 ? r->bstop
                     : which == 2 ? r->bstep : r->blen;
        return ft_newref(f);
    }
    switch (which) {
    case 0: return ft_int_from_i64(r->start);
    case 1: return ft_int_from_i64(r->stop);
    case 2: return ft_int_from_i64(r->step);
    default: return py_long_from_u64(r->len);
    }
}

/* CPython's compute_range_length on int objects: a new int or NULL. */
static ft_object *big_length(ft_object *start, ft_object *stop, ft_object *step)
{
    ft_object *zero = int_zero();
    int pos = icmp(step, zero, PY_GT);
    if (pos < 0)
        return NULL;
    ft_object *lo = pos ? start : stop, *hi = pos ? stop : start;
    int empty = icmp(lo, hi, PY_GE);
    if (empty)
        return empty < 0 ? NULL : zero;
    ft_object *astep = pos ? ft_newref(step) : py_unary_op(step, PY_UNARY_NEG);
    ft_object *one = int_one();
    ft_object *d = astep ? isub(hi, lo) : NULL;
    ft_object *d1 = d ? isub(d, one) : NULL;
    ft_object *q = d1 ? ifloordiv(d1, astep) : NULL;
    ft_object *n = q ? iadd(q, one) : NULL;
    ft_xdecref(astep);
    ft_xdecref(d);
    ft_xdecref(d1);
    ft_xdecref(q);
    return n;
}

/* A range from int objects (borrowed): small when they fit int64. */
static ft_object *range_from_objects(ft_object *start, ft_object *stop, ft_object *step)
{
    int64_t a, b, c;
    if (py_long_as_i64(start, &a) == 0 && py_long_as_i64(stop, &b) == 0 &&
        py_long_as_i64(step, &c) == 0)
        return py_range_new(a, b, c);
    if (!py_err_matches(py_exc_OverflowError))
        return NULL;
    py_err_clear();
    ft_object *len = big_length(start, stop, step);
    if (!len)
        return NULL;
    py_range *r = (py_range *)ft_object_new(&py_range_class.ft, sizeof(py_range));
    if (!r) {
        ft_decref(len);
        return py_err_from_ft();
    }
    r->bstart = ft_newref(start);
    r->bstop = ft_newref(stop);
    r->bstep = ft_newref(step);
    r->blen = len;
    return &r->ob_base;
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
    /* the common case first: exact small ints */
    int64_t v[3] = { 0, 0, 1 };
    size_t k = 0;
    for (; k < nargs && args[k]->ob_type == &ft_int_type; k++)
        v[nargs == 1 ? 1 : k] = ft_int_as_i64(args[k]);
    if (k == nargs) {
        if (v[2] == 0)
            return py_err_format(py_exc_ValueError, "range() arg 3 must not be zero");
        return py_range_new(v[0], v[1], v[2]);
    }
    ft_object *o[3] = { NULL, NULL, NULL };
    ft_object *r = NULL;
    for (k = 0; k < nargs; k++)
        if (!(o[k] = py_number_index(args[k])))
            goto done;
    ft_object *start = nargs == 1 ? NULL : o[0], *stop = nargs == 1 ? o[0] : o[1];
    ft_object *step = nargs == 3 ? o[2] : NULL;
    ft_object *zero = int_zero(), *one = int_one();
    if (step && py_long_sign(step) == 0) {
        py_err_format(py_exc_ValueError, "range() arg 3 must not be zero");
        goto done;
    }
    r = range_from_objects(start ? start : zero, stop, step ? step : one);
done:
    for (k = 0; k < 3; k++)
        ft_xdecref(o[k]);
    return r;
}

static ft_object *big_range_repr(py_range *r)
{
    ft_object *a = py_repr(r->bstart), *b = a ? py_repr(r->bstop) : NULL;
    ft_object *c = NULL, *out = NULL;
    int one = b ? py_long_sign(r->bstep) > 0 && icmp(r->bstep, ft_int_from_i64(1), PY_EQ) : -1;
    if (one == 0)
        c = py_repr(r->bstep);
    if (one == 1)
        out = py_str_from_format("range(%s, %s)", ft_str_utf8_borrow(a, NULL),
                                 ft_str_utf8_borrow(b, NULL));
    else if (c)
        out = py_str_from_format("range(%s, %s, %s)", ft_str_utf8_borrow(a, NULL),
                                 ft_str_utf8_borrow(b, NULL), ft_str_utf8_borrow(c, NULL));
    ft_xdecref(a);
    ft_xdecref(b);
    ft_xdecref(c);
    return out;
}

static ft_object *range_repr(ft_object *o)
{
    py_range *r = as_range(o);
    if (r->blen)
        return big_range_repr(r);
    if (r->step == 1)
        return py_str_from_format("range(%lld, %lld)", (long long)r->start,
                                   (long long)r->stop);
    return py_str_from_format("range(%lld, %lld, %lld)", (long long)r->start,
                              (long long)r->stop, (long long)r->step);
}

static ssize_t range_len(ft_object *o)
{
    if (as_range(o)->blen) {
        int64_t n;
        return py_long_as_i64(as_range(o)->blen, &n) < 0 ? -1 : (ssize_t)n;
    }
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
    if (as_range(o)->blen)
        return py_long_sign(as_range(o)->blen) != 0;
    return as_range(o)->len > 0;
}

/* Big ranges: is the int v an item? 1 with its index (a new int) in
 * *index when index is not NULL, 0 when not, -1 on error. */
static int big_range_has(py_range *r, ft_object *v, ft_object **index)
{
    ft_object *start = range_field(r, 0), *stop = range_field(r, 1);
    ft_object *step = range_field(r, 2);
    int pos = py_long_sign(step) > 0;
    /* start <= v < stop, or stop < v <= start */
    int in = pos ? icmp(start, v, PY_LE) : icmp(v, start, PY_LE);
    if (in == 1)
        in = pos ? icmp(v, stop, PY_LT) : icmp(stop, v, PY_LT);
    ft_object *d = NULL, *q = NULL;
    if (in == 1) {
        ft_object *m = NULL;
        d = isub(v, start);
        m = d ? py_binary_op(d, step, PY_OP_MOD) : NULL;
        in = m ? py_long_sign(m) == 0 : -1;
        ft_xdecref(m);
        if (in == 1 && index && !(q = ifloordiv(d, step)))
            in = -1;
    }
    ft_xdecref(d);
    ft_decref(start);
    ft_decref(stop);
    ft_decref(step);
    if (index)
        *index = in == 1 ? q : NULL;
    else
        ft_xdecref(q);
    return in;
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
    if (r->blen) {
        /* big: through the iterator (a scan that ends is a short one) */
        ft_object *it = py_iter(&r->ob_base), *item;
        if (!it)
            return -2;
        for (int64_t i = 0; (item = py_iter_next(it)); i++) {
            int eq = py_richcompare_bool(item, x, PY_EQ);
            ft_decref(item);
            if (eq < 0) {
                ft_decref(it);
                return -2;
            }
            if (eq && first < 0)
                first = i;
            if (eq && !count)
                break;
            if (count)
                *count += eq;
        }
        ft_decref(it);
        return py_err_occurred() ? -2 : first;
    }
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
    if (as_range(o)->blen && py_long_check(k)) {
        ft_object *v = py_number_index(k);
        int in = v ? big_range_has(as_range(o), v, NULL) : -1;
        ft_xdecref(v);
        return in;
    }
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
    if (as_range(self)->blen && py_long_check(args[0])) {
        ft_object *v = py_number_index(args[0]), *idx = NULL;
        int in = v ? big_range_has(as_range(self), v, &idx) : -1;
        ft_xdecref(v);
        if (in != 0)
            return in < 0 ? NULL : idx;
        ft_object *rp = py_repr(args[0]);
        if (rp)
            py_err_format(py_exc_ValueError, "%s is not in range", ft_str_utf8_borrow(rp, NULL));
        ft_xdecref(rp);
        return NULL;
    }
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
    if (as_range(self)->blen && py_long_check(args[0])) {
        ft_object *v = py_number_index(args[0]);
        int in = v ? big_range_has(as_range(self), v, NULL) : -1;
        ft_xdecref(v);
        return in < 0 ? NULL : ft_int_from_i64(in);
    }
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

/* r[i] for an int i of any size (CPython's compute_range_item). */
static ft_object *big_range_item(py_range *r, ft_object *key)
{
    ft_object *i = py_number_index(key);
    if (!i)
        return NULL;
    ft_object *len = range_field(r, 3), *res = NULL;
    if (py_long_sign(i) < 0) {
        ft_object *j = iadd(i, len);
        ft_decref(i);
        i = j;
    }
    int ok = i ? py_long_sign(i) >= 0 : -1;
    if (ok == 1)
        ok = icmp(i, len, PY_LT);
    if (ok == 0)
        py_err_format(py_exc_IndexError, "range object index out of range");
    if (ok == 1) {
        ft_object *start = range_field(r, 0), *step = range_field(r, 2);
        ft_object *off = imul(i, step);
        res = off ? iadd(start, off) : NULL;
        ft_xdecref(off);
        ft_decref(start);
        ft_decref(step);
    }
    ft_xdecref(i);
    ft_decref(len);
    return res;
}

/* One bound of a slice against a length of any size (CPython's
 * _PySlice_GetLongIndices): dflt when None; negatives count from the
 * end; clamped to [lower, upper]. New int or NULL. */
static ft_object *slice_bound(ft_object *v, ft_object *dflt, ft_object *len,
                              ft_object *lower, ft_object *upper)
{
    if (!v || v == ft_none())
        return ft_newref(dflt);
    ft_object *x = py_number_index(v);
    if (!x) {
        if (py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            py_err_format(py_exc_TypeError, "slice indices must be integers or None or "
                          "have an __index__ method");
        }
        return NULL;
    }
    if (py_long_sign(x) < 0) {
        ft_object *y = iadd(x, len);
        ft_decref(x);
        if (!(x = y))
            return NULL;
        int lo = icmp(x, lower, PY_LT);
        if (lo) {
            ft_decref(x);
            return lo < 0 ? NULL : ft_newref(lower);
        }
    } else {
        int hi = icmp(x, upper, PY_GT);
        if (hi) {
            ft_decref(x);
            return hi < 0 ? NULL : ft_newref(upper);
        }
    }
    return x;
}

static ft_object *slice_part(ft_object *slice, const char *name)
{
    return py_getattr_str(slice, name);
}

/* r[slice] for big ranges (or slices with big bounds). */
static ft_object *big_range_slice(py_range *r, ft_object *key)
{
    ft_object *sstart = slice_part(key, "start"), *sstop = slice_part(key, "stop");
    ft_object *sstep = slice_part(key, "step");
    ft_object *len = range_field(r, 3), *zero = int_zero(), *one = int_one();
    ft_object *step = NULL, *lower = NULL, *upper = NULL, *a = NULL, *b = NULL;
    ft_object *res = NULL;
    if (!sstart || !sstop || !sstep)
        goto done;
    if (sstep == ft_none()) {
        step = ft_newref(one);
    } else if (!(step = py_number_index(sstep))) {
        goto done;
    } else if (py_long_sign(step) == 0) {
        py_err_format(py_exc_ValueError, "slice step cannot be zero");
        goto done;
    }
    bool neg = py_long_sign(step) < 0;
    lower = neg ? ft_int_from_i64(-1) : ft_newref(zero);
    upper = neg ? iadd(len, lower) : ft_newref(len);
    if (!upper)
        goto done;
    a = slice_bound(sstart, neg ? upper : lower, len, lower, upper);
    b = a ? slice_bound(sstop, neg ? lower : upper, len, lower, upper) : NULL;
    if (!b)
        goto done;
    {
        ft_object *rstart = range_field(r, 0), *rstep = range_field(r, 2);
        ft_object *o1 = imul(a, rstep), *o2 = o1 ? imul(b, rstep) : NULL;
        ft_object *nstart = o2 ? iadd(rstart, o1) : NULL;
        ft_object *nstop = nstart ? iadd(rstart, o2) : NULL;
        ft_object *nstep = nstop ? imul(rstep, step) : NULL;
        if (nstep)
            res = range_from_objects(nstart, nstop, nstep);
        ft_xdecref(o1);
        ft_xdecref(o2);
        ft_xdecref(nstart);
        ft_xdecref(nstop);
        ft_xdecref(nstep);
        ft_decref(rstart);
        ft_decref(rstep);
    }
done:
    ft_xdecref(sstart);
    ft_xdecref(sstop);
    ft_xdecref(sstep);
    ft_xdecref(step);
    ft_xdecref(lower);
    ft_xdecref(upper);
    ft_xdecref(a);
    ft_xdecref(b);
    ft_decref(len);
    return res;
}

static ft_object *range_getitem(ft_object *o, ft_object *key)
{
    py_range *r = as_range(o);
    if (!r->blen && key->ob_type == &ft_int_type) {
        int64_t i = ft_int_as_i64(key);
        __int128 j = i < 0 ? (__int128)i + r->len : i;
        if (j < 0 || j >= (__int128)r->len)
            return py_err_format(py_exc_IndexError, "range object index out of range");
        return ft_int_from_i64(range_at(r, (uint64_t)j));
    }
    if (py_long_check(key) || (!py_slice_check(key) &&
                               py_type_lookup_borrow(py_type_of(key), PY_ID(__index__))))
        return big_range_item(r, key);
    if (!py_slice_check(key))
        return py_err_format(py_exc_TypeError, "range indices must be integers or "
                             "slices, not %s", py_type_name(key));
    if (!r->blen && r->len <= (uint64_t)SSIZE_MAX) {
        ssize_t len = (ssize_t)r->len, start, stop, step, n;
        if (py_slice_indices(key, len, &start, &stop, &step, &n) < 0)
            return NULL;
        __int128 nstart = (__int128)r->start + (__int128)start * r->step;
        __int128 nstop = (__int128)r->start + (__int128)stop * r->step;
        __int128 nstep = (__int128)step * r->step;
        if (fits_i64(nstart) && fits_i64(nstop) && fits_i64(nstep))
            return py_range_new((int64_t)nstart, (int64_t)nstop, (int64_t)nstep);
    }
    return big_range_slice(r, key);
}

/* Big ranges: equal when (len, start if any, step if several) match;
 * 1, 0, -1. */
static int big_range_same(py_range *a, py_range *b)
{
    ft_object *fa[3], *fb[3];
    for (int i = 0; i < 3; i++) {
        fa[i] = range_field(a, i == 0 ? 3 : i == 1 ? 0 : 2);
        fb[i] = range_field(b, i == 0 ? 3 : i == 1 ? 0 : 2);
    }
    int eq = icmp(fa[0], fb[0], PY_EQ);
    if (eq == 1 && py_long_sign(fa[0]) != 0) {
        eq = icmp(fa[1], fb[1], PY_EQ);
        if (eq == 1) {
            ft_object *one = int_one();
            int single = icmp(fa[0], one, PY_EQ);
            eq = single != 0 ? single : icmp(fa[2], fb[2], PY_EQ);
        }
    }
    for (int i = 0; i < 3; i++) {
        ft_decref(fa[i]);
        ft_decref(fb[i]);
    }
    return eq;
}

/* Equal as sequences: the same items in the same order. */
static int range_same(py_range *a, py_range *b)
{
    if (a->blen || b->blen)
        return big_range_same(a, b);
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
    if (eq < 0)
        return NULL;
    return ft_newref(ft_bool(op == PY_EQ ? eq : !eq));
}

static int64_t range_hash(ft_object *o)
{
    py_range *r = as_range(o);
    ft_object *t = ft_tuple_new(3);
    if (!t)
        return py_err_from_ft(), -1;
    ft_object *len = range_field(r, 3), *one = int_one();
    int empty = py_long_sign(len) == 0, single = icmp(len, one, PY_EQ);
    ft_tuple_set_steal(t, 0, len);
    ft_tuple_set_steal(t, 1, !empty ? range_field(r, 0) : ft_none());
    ft_tuple_set_steal(t, 2, !empty && single == 0 ? range_field(r, 2) : ft_none());
    int64_t h = py_hash(t);
    ft_decref(t);
    return h;
}

static int range_eq(ft_object *a, ft_object *b)
{
    if (a->ob_type != &py_range_class.ft || b->ob_type != &py_range_class.ft)
        return 0;
    return range_same(as_range(a), as_range(b)) == 1;
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

static ft_object *longrange_iter_make(ft_object *first_steal, ft_object *step_steal,
                                      ft_object *len_steal)
{
    longrange_iter *it = NULL;
    if (first_steal && step_steal && len_steal)
        it = (longrange_iter *)ft_object_new(&py_longrange_iter_class.ft,
                                             sizeof(longrange_iter));
    if (!it) {
        ft_xdecref(first_steal);
        ft_xdecref(step_steal);
        ft_xdecref(len_steal);
        return py_err_occurred() ? NULL : py_err_from_ft();
    }
    it->next = first_steal;
    it->step = step_steal;
    it->remaining = len_steal;
    return &it->ob_base;
}

static ft_object *range_tp_iter(ft_object *o)
{
    py_range *r = as_range(o);
    if (r->blen)
        return longrange_iter_make(range_field(r, 0), range_field(r, 2), range_field(r, 3));
    return range_iter_make(r->start, r->step, r->len);
}

static ft_object *range_reversed(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)args;
    if (py_meth_noargs("range", "__reversed__", nargs, kwnames) < 0)
        return NULL;
    py_range *r = as_range(self);
    if (r->blen) {
        /* last = start + (len - 1) * step, going by -step */
        ft_object *len = range_field(r, 3), *one = int_one(), *start = range_field(r, 0);
        ft_object *step = range_field(r, 2);
        ft_object *n1 = isub(len, one), *off = n1 ? imul(n1, step) : NULL;
        ft_object *last = off ? iadd(start, off) : NULL;
        ft_xdecref(n1);
        ft_xdecref(off);
        ft_decref(start);
        ft_object *nstep = py_unary_op(step, PY_UNARY_NEG);
        ft_decref(step);
        return longrange_iter_make(last, nstep, len);
    }
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
    (void)args;
    if (py_meth_noargs("range_iterator", "__length_hint__", nargs, kwnames) < 0)
        return NULL;
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

/* The iterator of big ranges: its state is int objects. Shared between
 * threads it is not atomic (neither is CPython's). */
static ft_object *lriter_next(ft_object *o)
{
    longrange_iter *it = (longrange_iter *)o;
    if (py_long_sign(it->remaining) == 0)
        return NULL;
    ft_object *one = int_one();
    ft_object *rem = isub(it->remaining, one);
    ft_object *nx = rem ? iadd(it->next, it->step) : NULL;
    if (!nx) {
        ft_xdecref(rem);
        return NULL;
    }
    ft_object *v = it->next;
    it->next = nx;
    ft_decref(it->remaining);
    it->remaining = rem;
    return v;
}

static void lriter_dealloc(ft_object *o)
{
    longrange_iter *it = (longrange_iter *)o;
    ft_decref(it->next);
    ft_decref(it->step);
    ft_decref(it->remaining);
    ft_object_free(o);
}

static ft_object *lriter_length_hint(ft_object *self, ft_object *const *args,
                                     size_t nargs, ft_object *kwnames)
{
    (void)args;
    if (py_meth_noargs("longrange_iterator", "__length_hint__", nargs, kwnames) < 0)
        return NULL;
    return ft_newref(((longrange_iter *)self)->remaining);
}

static const py_method_def lriter_methods[] = {
    { "__length_hint__", lriter_length_hint, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

py_type py_longrange_iter_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "longrange_iterator", .tp_basicsize = sizeof(longrange_iter),
        .tp_flags = PY_TPFLAGS_PYTYPE,
        .tp_dealloc = lriter_dealloc,
    },
    .tp_iter = py_iter_self, .tp_iternext = lriter_next,
    .tp_methods = lriter_methods,
};

/* ---- The class ------------------------------------------------------------------ */

static ft_object *range_get_start(ft_object *o) { return range_field(as_range(o), 0); }
static ft_object *range_get_stop(ft_object *o) { return range_field(as_range(o), 1); }
static ft_object *range_get_step(ft_object *o) { return range_field(as_range(o), 2); }

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
        .tp_dealloc = big_range_dealloc, .tp_hash = range_hash, .tp_eq = range_eq,
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
