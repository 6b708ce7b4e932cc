/* objects/tuple.c — the tuple class over the runtime's tuples.
 *
 * Tuples never change after they are filled, so every read is direct.
 * The hash is the runtime's (CPython's xxHash-based tuple hash), so that
 * dicts and sets, which hash through the runtime, agree with hash().
 */
#include "containers.h"
#include "str.h"
#include "typeobject.h"


static ft_object *as_tuple_or_null(ft_object *o)
{
    return o->ob_type == &ft_tuple_type ? o : py_unbox_borrow(o, &ft_tuple_type);
}

static ft_object *unbox(ft_object *self, const char *meth)
{
    ft_object *t = as_tuple_or_null(self);
    if (!t)
        py_err_format(py_exc_TypeError, "descriptor '%s' for 'tuple' objects doesn't "
                      "apply to a '%s' object", meth, py_type_name(self));
    return t;
}

ft_object *py_tuple_pack(size_t n, ft_object *const *items)
{
    ft_object *t = ft_tuple_new((ssize_t)n);
    if (!t)
        return py_err_from_ft();
    for (size_t i = 0; i < n; i++)
        ft_tuple_set_steal(t, (ssize_t)i, ft_newref(items[i]));
    return t;
}

/* Items from a sized source when the length is known, else grown. */
ft_object *py_tuple_from_iterable(ft_object *iterable)
{
    if (iterable->ob_type == &ft_tuple_type)
        return ft_newref(iterable);
    ft_object *l = as_tuple_or_null(iterable);
    if (l)
        return ft_newref(l);
    if (iterable->ob_type == &ft_list_type || py_unbox_borrow(iterable, &ft_list_type)) {
        ft_object *src = py_unbox_borrow(iterable, &ft_list_type);
        ft_object *t = ft_list_as_tuple(src);
        return t ? t : py_err_from_ft();
    }
    /* CPython sizes the result by the iterable's length hint first, and a
     * length that does not fit (range(10**20)) is an OverflowError before
     * anything is made; iterating it instead would fill memory in one
     * call that no time limit interrupts. */
    if (iterable->ob_type == &py_range_class.ft && py_len(iterable) < 0)
        return NULL;
    ft_object *it = py_iter(iterable);
    if (!it)
        return NULL;
    ft_object *acc = ft_list_new(0);
    if (!acc) {
        ft_decref(it);
        return py_err_from_ft();
    }
    ft_object *v;
    while ((v = py_iter_next(it))) {
        int rc = ft_list_append(acc, v);
        ft_decref(v);
        if (rc < 0) {
            py_err_from_ft();
            break;
        }
    }
    ft_decref(it);
    ft_object *t = py_err_occurred() ? NULL : ft_list_as_tuple(acc);
    ft_decref(acc);
    if (!t && !py_err_occurred())
        py_err_from_ft();
    return t;
}

/* ---- Methods ------------------------------------------------------------------------ */

static ft_object *tuple_index(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    ft_object *t = unbox(self, "index");
    if (!t || py_meth_clinic("tuple", "index", nargs, kwnames, 1, 3) < 0)
        return NULL;
    ssize_t n = ft_len(t), start = 0, stop = n;
    if (nargs > 1 && py_index_ssize(args[1], &start) < 0)
        return NULL;
    if (nargs > 2 && py_index_ssize(args[2], &stop) < 0)
        return NULL;
    if (start < 0 && (start += n) < 0)
        start = 0;
    if (stop < 0 && (stop += n) < 0)
        stop = 0;
    for (ssize_t i = start; i < stop && i < n; i++) {
        int eq = py_richcompare_bool(ft_tuple_get_borrow(t, i), args[0], PY_EQ);
        if (eq < 0)
            return NULL;
        if (eq)
            return ft_int_from_i64(i);
    }
    return py_err_format(py_exc_ValueError, "tuple.index(x): x not in tuple");
}

static ft_object *tuple_count(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    ft_object *t = unbox(self, "count");
    if (!t || py_meth_onearg("tuple", "count", nargs, kwnames) < 0)
        return NULL;
    int64_t c = 0;
    for (ssize_t i = 0, n = ft_len(t); i < n; i++) {
        int eq = py_richcompare_bool(ft_tuple_get_borrow(t, i), args[0], PY_EQ);
        if (eq < 0)
            return NULL;
        c += eq;
    }
    return ft_int_from_i64(c);
}

static ft_object *tuple_getnewargs(ft_object *self, ft_object *const *args,
                                   size_t nargs, ft_object *kwnames)
{
    (void)args;
    ft_object *t = unbox(self, "__getnewargs__");
    if (!t || py_meth_noargs("tuple", "__getnewargs__", nargs, kwnames) < 0)
        return NULL;
    return py_tuple_pack(1, &t);
}

static const py_method_def tuple_methods[] = {
    { "index", tuple_index, PY_METH_DEFAULT },
    { "count", tuple_count, PY_METH_DEFAULT },
    { "__getnewargs__", tuple_getnewargs, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

/* ---- Slots ----------------------------------------------------------------------------- */

static ft_object *tuple_repr(ft_object *o)
{
    ft_object *t = as_tuple_or_null(o);
    if (!t)
        return py_err_format(py_exc_TypeError, "expected a tuple");
    if (ft_len(t) == 0)
        return ft_str_from_utf8("()", 2);
    int in = py_repr_enter(t);
    if (in != 0)
        return in < 0 ? NULL : ft_str_from_utf8("(...)", 5);
    ft_object *r = py_items_repr(t, "(", ")", true);
    py_repr_leave(t);
    return r;
}

static ssize_t tuple_len(ft_object *o)
{
    ft_object *t = as_tuple_or_null(o);
    return ft_len(t ? t : o);
}

static int64_t tuple_hash(ft_object *o)
{
    ft_object *t = as_tuple_or_null(o);
    int64_t h = ft_hash(t ? t : o);
    if (h == -1)
        py_err_from_ft();
    return h;
}

static int tuple_eq(ft_object *a, ft_object *b)
{
    ft_object *ta = as_tuple_or_null(a), *tb = as_tuple_or_null(b);
    if (!ta || !tb)
        return 0;
    return ft_equal(ta, tb);
}

static ft_object *tuple_richcompare(ft_object *a, ft_object *b, int op)
{
    ft_object *ta = as_tuple_or_null(a), *tb = as_tuple_or_null(b);
    if (!ta || !tb)
        return py_notimplemented();
    return py_tuple_items_richcompare(ta, tb, op);
}

/* A tuple of items [start, start + step * n). */
static ft_object *tuple_slice(ft_object *t, ssize_t start, ssize_t step, ssize_t n)
{
    if (step == 1 && start == 0 && n == ft_len(t))
        return ft_newref(t);
    ft_object *r = ft_tuple_new(n);
    if (!r)
        return py_err_from_ft();
    for (ssize_t i = 0; i < n; i++)
        ft_tuple_set_steal(r, i, ft_newref(ft_tuple_get_borrow(t, start + i * step)));
    return r;
}

static ft_object *tuple_getitem(ft_object *o, ft_object *key)
{
    ft_object *t = as_tuple_or_null(o);
    ssize_t i, n = ft_len(t);
    int k = py_seq_index_key(key, &i);
    if (k < 0)
        return NULL;
    if (k) {
        if (i < 0)
            i += n;
        if (i < 0 || i >= n)
            return py_err_format(py_exc_IndexError, "tuple index out of range");
        return ft_newref(ft_tuple_get_borrow(t, i));
    }
    if (py_slice_check(key)) {
        ssize_t start, stop, step, len;
        if (py_slice_indices(key, n, &start, &stop, &step, &len) < 0)
            return NULL;
        return tuple_slice(t, start, step, len);
    }
    return py_err_format(py_exc_TypeError, "tuple indices must be integers or slices, "
                         "not %s", py_type_name(key));
}

static int tuple_contains(ft_object *o, ft_object *v)
{
    ft_object *t = as_tuple_or_null(o);
    for (ssize_t i = 0, n = ft_len(t); i < n; i++) {
        int eq = py_richcompare_bool(ft_tuple_get_borrow(t, i), v, PY_EQ);
        if (eq)
            return eq;
    }
    return 0;
}

/* Concatenation of n tuples' items (each repeated `times`). */
static ft_object *tuple_concat_repeat(ft_object *a, ft_object *b, ssize_t times)
{
    ssize_t na = ft_len(a), nb = b ? ft_len(b) : 0;
    if (times < 0)
        times = 0;
    if (na + nb > 0 && times > SSIZE_MAX / 16 / (na + nb))
        return py_err_nomemory();
    ft_object *r = ft_tuple_new((na + nb) * times);
    if (!r)
        return py_err_from_ft();
    ssize_t k = 0;
    for (ssize_t rep = 0; rep < times; rep++) {
        for (ssize_t i = 0; i < na; i++)
            ft_tuple_set_steal(r, k++, ft_newref(ft_tuple_get_borrow(a, i)));
        for (ssize_t i = 0; i < nb; i++)
            ft_tuple_set_steal(r, k++, ft_newref(ft_tuple_get_borrow(b, i)));
    }
    return r;
}

static ft_object *tuple_binop(ft_object *a, ft_object *b, int op)
{
    ft_object *ta = as_tuple_or_null(a);
    switch (op & ~PY_OP_INPLACE) {
    case PY_OP_ADD: {
        if (!ta)
            return py_notimplemented();
        ft_object *tb = as_tuple_or_null(b);
        if (!tb) {
            if (py_type_is_heap(py_type_of(b)))
                return py_notimplemented();
            return py_err_format(py_exc_TypeError, "can only concatenate tuple (not "
                                 "\"%s\") to tuple", py_type_name(b));
        }
        if (ft_len(tb) == 0 && a->ob_type == &ft_tuple_type)
            return ft_newref(ta);
        if (ft_len(ta) == 0 && b->ob_type == &ft_tuple_type)
            return ft_newref(tb);
        return tuple_concat_repeat(ta, tb, 1);
    }
    case PY_OP_MUL: {
        ft_object *t = ta ? ta : as_tuple_or_null(b), *other = ta ? b : a;
        if (!t)
            return py_notimplemented();
        if (!py_long_check(other) &&
            !py_type_lookup_borrow(py_type_of(other), PY_ID(__index__))) {
            if (py_type_is_heap(py_type_of(other)))
                return py_notimplemented();
            return py_err_format(py_exc_TypeError, "can't multiply sequence by non-int "
                                 "of type '%s'", py_type_name(other));
        }
        ssize_t n;
        if (py_index_ssize(other, &n) < 0)
            return NULL;
        if (n == 1 && (ta ? a : b)->ob_type == &ft_tuple_type)
            return ft_newref(t);
        return tuple_concat_repeat(t, NULL, n);
    }
    default:
        return py_notimplemented();
    }
}

static ft_object *tuple_iter(ft_object *o)
{
    return py_tuple_iter_new(as_tuple_or_null(o));
}

static ft_object *tuple_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)cls;
    if (py_no_kwargs("tuple", kwnames) < 0 || py_check_nargs("tuple", nargs, 0, 1) < 0)
        return NULL;
    if (nargs == 0)
        return ft_tuple_new(0);
    return py_tuple_from_iterable(args[0]);
}

/* Immutable: the arguments went to __new__; object.__init__'s check is
 * not wanted here (tuple subclasses pass anything). */
static int tuple_tp_init(ft_object *self, ft_object *const *args, size_t nargs,
                         ft_object *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return 0;
}

py_type py_tuple_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "tuple",
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE | PY_TPFLAGS_TUPLE,
        .tp_hash = tuple_hash, .tp_eq = tuple_eq, .tp_repr = tuple_repr,
        .tp_len = tuple_len,
    },
    .tp_binop = tuple_binop,
    .tp_richcompare = tuple_richcompare,
    .tp_getitem = tuple_getitem,
    .tp_contains = tuple_contains,
    .tp_iter = tuple_iter,
    .tp_new = tuple_tp_new,
    .tp_init = tuple_tp_init,
    .tp_methods = tuple_methods,
};
