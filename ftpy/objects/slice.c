/* objects/slice.c — slice objects: slice(start, stop, step), resolved
 * against a length by py_slice_indices (CPython's PySlice_GetIndicesEx).
 *
 * A slice holds three arbitrary objects (None when absent) and is GC
 * tracked: a slice may hold a container that holds it. Unhashable, as in
 * Python 3.11.
 */
#include <stdint.h>
#include "containers.h"
#include "int.h"
#include "str.h"
#include "typeobject.h"

typedef struct py_slice {
    ft_object ob_base;
    ft_object *start, *stop, *step;   /* never NULL: None when absent   */
} py_slice;

static py_slice *as_slice(ft_object *o) { return (py_slice *)o; }

ft_object *py_slice_new(ft_object *start, ft_object *stop, ft_object *step)
{
    py_slice *s = (py_slice *)ft_object_new(&py_slice_class.ft, sizeof(py_slice));
    if (!s)
        return py_err_from_ft();
    s->start = ft_newref(start ? start : ft_none());
    s->stop = ft_newref(stop ? stop : ft_none());
    s->step = ft_newref(step ? step : ft_none());
    return &s->ob_base;
}

/* One bound as a clipped ssize_t (CPython's _PyEval_SliceIndex): ints
 * past the range clip to it. 0 / -1 with TypeError. */
static int slice_index(ft_object *v, ssize_t *out)
{
    if (v->ob_type == &ft_int_type) {
        *out = (ssize_t)ft_int_as_i64(v);
        return 0;
    }
    ft_object *i = py_long_check(v) ? ft_newref(v) : NULL;
    if (!i) {
        if (!py_type_lookup_borrow(py_type_of(v), PY_ID(__index__)))
            return py_err_format_int(py_exc_TypeError, "slice indices must be "
                                     "integers or None or have an __index__ method");
        if (!(i = py_number_index(v)))
            return -1;
    }
    int64_t x;
    if (py_long_as_i64(i, &x) < 0) {
        if (!py_err_matches(py_exc_OverflowError)) {
            ft_decref(i);
            return -1;
        }
        py_err_clear();
        x = py_long_sign(i) < 0 ? INT64_MIN : INT64_MAX;
    }
    ft_decref(i);
    *out = (ssize_t)x;
    return 0;
}

/* PySlice_Unpack of a slice's three parts: step first (ValueError for
 * 0), then the defaults. */
static int slice_unpack(ft_object *a, ft_object *b, ft_object *c,
                        ssize_t *start, ssize_t *stop, ssize_t *step)
{
    if (c == ft_none()) {
        *step = 1;
    } else {
        if (slice_index(c, step) < 0)
            return -1;
        if (*step == 0)
            return py_err_format_int(py_exc_ValueError, "slice step cannot be zero");
        if (*step < -SSIZE_MAX)
            *step = -SSIZE_MAX;   /* so that -step cannot overflow */
    }
    if (a == ft_none())
        *start = *step < 0 ? SSIZE_MAX : 0;
    else if (slice_index(a, start) < 0)
        return -1;
    if (b == ft_none())
        *stop = *step < 0 ? PY_SSIZE_MIN : SSIZE_MAX;
    else if (slice_index(b, stop) < 0)
        return -1;
    return 0;
}

/* PySlice_AdjustIndices. */
static ssize_t slice_adjust(ssize_t len, ssize_t *start, ssize_t *stop, ssize_t step)
{
    if (*start < 0) {
        *start += len;
        if (*start < 0)
            *start = step < 0 ? -1 : 0;
    } else if (*start >= len) {
        *start = step < 0 ? len - 1 : len;
    }
    if (*stop < 0) {
        *stop += len;
        if (*stop < 0)
            *stop = step < 0 ? -1 : 0;
    } else if (*stop >= len) {
        *stop = step < 0 ? len - 1 : len;
    }
    if (step < 0)
        return *stop < *start ? (*start - *stop - 1) / (-step) + 1 : 0;
    return *start < *stop ? (*stop - *start - 1) / step + 1 : 0;
}

int py_slice_indices(ft_object *slice, ssize_t len, ssize_t *start,
                     ssize_t *stop, ssize_t *step, ssize_t *slicelen)
{
    if (!py_slice_check(slice))
        return py_err_format_int(py_exc_TypeError, "expected a slice, not '%s'",
                                 py_type_name(slice));
    py_slice *s = as_slice(slice);
    if (slice_unpack(s->start, s->stop, s->step, start, stop, step) < 0)
        return -1;
    *slicelen = slice_adjust(len, start, stop, *step);
    return 0;
}

int py_slice_parts_indices(ft_object *a, ft_object *b, ft_object *c, ssize_t len,
                           ssize_t *start, ssize_t *stop, ssize_t *step,
                           ssize_t *slicelen)
{
    if (slice_unpack(a, b, c, start, stop, step) < 0)
        return -1;
    *slicelen = slice_adjust(len, start, stop, *step);
    return 0;
}

/* ---- The class ------------------------------------------------------------------ */

static int slice_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    py_slice *s = as_slice(o);
    int rc = 0;
    if (s->start && (rc = visit(s->start, arg)))
        return rc;
    if (s->stop && (rc = visit(s->stop, arg)))
        return rc;
    return s->step ? visit(s->step, arg) : 0;
}

static int slice_clear(ft_object *o)
{
    py_slice *s = as_slice(o);
    ft_object *a = s->start, *b = s->stop, *c = s->step;
    s->start = s->stop = s->step = NULL;
    ft_xdecref(a);
    ft_xdecref(b);
    ft_xdecref(c);
    return 0;
}

static void slice_dealloc(ft_object *o)
{
    slice_clear(o);
    ft_object_free(o);
}

static ft_object *slice_repr(ft_object *o)
{
    py_slice *s = as_slice(o);
    ft_object *r[3] = { py_repr(s->start), NULL, NULL };
    if (r[0])
        r[1] = py_repr(s->stop);
    if (r[1])
        r[2] = py_repr(s->step);
    ft_object *res = NULL;
    if (r[2])
        res = py_str_from_format("slice(%s, %s, %s)", ft_str_utf8_borrow(r[0], NULL),
                                 ft_str_utf8_borrow(r[1], NULL),
                                 ft_str_utf8_borrow(r[2], NULL));
    for (int i = 0; i < 3; i++)
        ft_xdecref(r[i]);
    return res;
}

static ft_object *slice_as_tuple(py_slice *s)
{
    ft_object *items[3] = { s->start, s->stop, s->step };
    return py_tuple_pack(3, items);
}

static ft_object *slice_richcompare(ft_object *a, ft_object *b, int op)
{
    if (!py_slice_check(a) || !py_slice_check(b))
        return py_notimplemented();
    ft_object *ta = slice_as_tuple(as_slice(a));
    ft_object *tb = ta ? slice_as_tuple(as_slice(b)) : NULL;
    ft_object *r = tb ? py_richcompare(ta, tb, op) : NULL;
    ft_xdecref(ta);
    ft_xdecref(tb);
    return r;
}

static ft_object *slice_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)cls;
    if (py_no_kwargs("slice", kwnames) < 0)
        return NULL;
    if (nargs == 0)
        return py_err_format(py_exc_TypeError, "slice expected at least 1 argument, got 0");
    if (py_check_nargs("slice", nargs, 1, 3) < 0)
        return NULL;
    if (nargs == 1)
        return py_slice_new(NULL, args[0], NULL);
    return py_slice_new(args[0], args[1], nargs == 3 ? args[2] : NULL);
}

static ft_object *slice_indices_meth(ft_object *self, ft_object *const *args,
                                     size_t nargs, ft_object *kwnames)
{
    if (py_meth_onearg("slice", "indices", nargs, kwnames) < 0)
        return NULL;
    ssize_t len, start, stop, step, n;
    if (py_index_ssize(args[0], &len) < 0)
        return NULL;
    if (len < 0)
        return py_err_format(py_exc_ValueError, "length should not be negative");
    py_slice *s = as_slice(self);
    if (slice_unpack(s->start, s->stop, s->step, &start, &stop, &step) < 0)
        return NULL;
    (void)n;
    slice_adjust(len, &start, &stop, step);
    ft_object *items[3] = { ft_int_from_i64(start), ft_int_from_i64(stop),
                            ft_int_from_i64(step) };
    ft_object *t = items[0] && items[1] && items[2] ? py_tuple_pack(3, items) : NULL;
    for (int i = 0; i < 3; i++)
        ft_xdecref(items[i]);
    return t ? t : (py_err_occurred() ? NULL : py_err_from_ft());
}

static ft_object *slice_get_start(ft_object *o) { return ft_newref(as_slice(o)->start); }
static ft_object *slice_get_stop(ft_object *o) { return ft_newref(as_slice(o)->stop); }
static ft_object *slice_get_step(ft_object *o) { return ft_newref(as_slice(o)->step); }

static const py_method_def slice_methods[] = {
    { "indices", slice_indices_meth, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

static const py_getset_def slice_getset[] = {
    { "start", slice_get_start, NULL },
    { "stop", slice_get_stop, NULL },
    { "step", slice_get_step, NULL },
    { NULL, NULL, NULL },
};

py_type py_slice_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "slice", .tp_basicsize = sizeof(py_slice),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = slice_dealloc, .tp_traverse = slice_traverse,
        .tp_clear = slice_clear, .tp_repr = slice_repr,
    },
    .tp_richcompare = slice_richcompare,
    .tp_new = slice_tp_new,
    .tp_methods = slice_methods,
    .tp_getset = slice_getset,
};
