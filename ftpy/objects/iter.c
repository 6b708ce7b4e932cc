/* objects/iter.c — iterators: over lists and tuples, the sequence
 * iterator (classes with __getitem__ only), the callable iterator
 * (iter(f, sentinel)), enumerate, zip, map, filter and reversed.
 *
 * Every iterator is a GC-tracked object whose tp_iter returns itself and
 * whose tp_iternext returns NULL without an exception when exhausted. An
 * exhausted iterator drops what it iterated over (as CPython's do), so
 * it stays exhausted and frees its source early.
 *
 * The list iterators read one item at a time by index (ft_list_get, no
 * lock in nogil): a list changed during iteration is seen as it is at each
 * step, as in CPython, and never crashes the iterator.
 */
#include <string.h>
#include "containers.h"
#include "int.h"
#include "str.h"
#include "typeobject.h"

ft_object *py_iter_self(ft_object *o)
{
    return ft_newref(o);
}

/* ---- One object and an index: list, reversed list, tuple, sequence --------------- */

typedef struct seq_iter {
    ft_object ob_base;
    ft_object *seq;              /* NULL once exhausted                    */
    ssize_t index;               /* the next index to read                 */
} seq_iter;

static seq_iter *as_seqiter(ft_object *o) { return (seq_iter *)o; }

static int seqiter_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    ft_object *s = as_seqiter(o)->seq;
    return s ? visit(s, arg) : 0;
}

static int seqiter_clear(ft_object *o)
{
    ft_object *s = as_seqiter(o)->seq;
    as_seqiter(o)->seq = NULL;
    ft_xdecref(s);
    return 0;
}

static void seqiter_dealloc(ft_object *o)
{
    seqiter_clear(o);
    ft_object_free(o);
}

static ft_object *seqiter_make(py_type *cls, ft_object *seq, ssize_t index)
{
    seq_iter *it = (seq_iter *)ft_object_new(&cls->ft, sizeof(seq_iter));
    if (!it)
        return py_err_from_ft();
    it->seq = ft_newref(seq);
    it->index = index;
    return &it->ob_base;
}

/* Ends the iteration: NULL without an exception. */
static ft_object *exhausted(ft_object *o)
{
    seqiter_clear(o);
    return NULL;
}

static ft_object *listiter_next(ft_object *o)
{
    seq_iter *it = as_seqiter(o);
    if (!it->seq)
        return NULL;
    if (it->index < ft_len(it->seq)) {
        ft_object *v = ft_list_get(it->seq, it->index);
        if (v) {
            it->index++;
            return v;
        }
        ft_err_clear();   /* the list shrank meanwhile */
    }
    return exhausted(o);
}

static ft_object *listreviter_next(ft_object *o)
{
    seq_iter *it = as_seqiter(o);
    if (!it->seq)
        return NULL;
    if (it->index >= 0 && it->index < ft_len(it->seq)) {
        ft_object *v = ft_list_get(it->seq, it->index);
        if (v) {
            it->index--;
            return v;
        }
        ft_err_clear();
    }
    return exhausted(o);
}

static ft_object *tupleiter_next(ft_object *o)
{
    seq_iter *it = as_seqiter(o);
    if (!it->seq)
        return NULL;
    if (it->index < ft_len(it->seq))
        return ft_newref(ft_tuple_get_borrow(it->seq, it->index++));
    return exhausted(o);
}

/* seq[index] until IndexError or StopIteration. */
static ft_object *seqiter_next(ft_object *o)
{
    seq_iter *it = as_seqiter(o);
    if (!it->seq)
        return NULL;
    ft_object *i = ft_int_from_i64(it->index);
    if (!i)
        return py_err_from_ft();
    ft_object *v = py_getitem(it->seq, i);
    ft_decref(i);
    if (v) {
        it->index++;
        return v;
    }
    if (py_err_matches(py_exc_IndexError) || py_err_matches(py_exc_StopIteration)) {
        py_err_clear();
        return exhausted(o);
    }
    return NULL;
}

static ft_object *length_hint(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args;
    if (py_meth_noargs(py_type_name(self), "__length_hint__", nargs, kwnames) < 0)
        return NULL;
    seq_iter *it = as_seqiter(self);
    ssize_t n = 0;
    if (it->seq && self->ob_type == &py_list_reviter_class.ft)
        n = it->index + 1 <= ft_len(it->seq) ? it->index + 1 : 0;
    else if (it->seq)
        n = ft_len(it->seq) - it->index;
    return ft_int_from_i64(n < 0 ? 0 : n);
}

static const py_method_def seqiter_methods[] = {
    { "__length_hint__", length_hint, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

#define ITER_CLASS(var, name, type, dealloc, traverse, clear, next, methods)   \
    py_type var = {                                                          \
        .ft = {                                                              \
            .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),                \
            .tp_name = name, .tp_basicsize = sizeof(type),                   \
            .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,                   \
            .tp_dealloc = dealloc, .tp_traverse = traverse,                  \
            .tp_clear = clear,                                               \
        },                                                                   \
        .tp_iter = py_iter_self, .tp_iternext = next,                        \
        .tp_methods = methods,                                               \
    }

ITER_CLASS(py_list_iter_class, "list_iterator", seq_iter, seqiter_dealloc,
           seqiter_traverse, seqiter_clear, listiter_next, seqiter_methods);
ITER_CLASS(py_list_reviter_class, "list_reverseiterator", seq_iter, seqiter_dealloc,
           seqiter_traverse, seqiter_clear, listreviter_next, seqiter_methods);
ITER_CLASS(py_tuple_iter_class, "tuple_iterator", seq_iter, seqiter_dealloc,
           seqiter_traverse, seqiter_clear, tupleiter_next, seqiter_methods);
ITER_CLASS(py_seqiter_class, "iterator", seq_iter, seqiter_dealloc,
           seqiter_traverse, seqiter_clear, seqiter_next, NULL);

ft_object *py_list_iter_new(ft_object *list)
{
    return seqiter_make(&py_list_iter_class, list, 0);
}

ft_object *py_list_reviter_new(ft_object *list)
{
    return seqiter_make(&py_list_reviter_class, list, ft_len(list) - 1);
}

ft_object *py_tuple_iter_new(ft_object *tuple)
{
    return seqiter_make(&py_tuple_iter_class, tuple, 0);
}

ft_object *py_seqiter_new(ft_object *seq)
{
    return seqiter_make(&py_seqiter_class, seq, 0);
}

/* ---- Two objects: the callable iterator, reversed, filter -------------------------- */

typedef struct pair_iter {
    ft_object ob_base;
    ft_object *a, *b;            /* NULL once exhausted                    */
    ssize_t index;               /* reversed: the next index               */
} pair_iter;

static pair_iter *as_pair(ft_object *o) { return (pair_iter *)o; }

static int pair_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    pair_iter *p = as_pair(o);
    int rc = p->a ? visit(p->a, arg) : 0;
    return rc ? rc : p->b ? visit(p->b, arg) : 0;
}

static int pair_clear(ft_object *o)
{
    pair_iter *p = as_pair(o);
    ft_object *a = p->a, *b = p->b;
    p->a = p->b = NULL;
    ft_xdecref(a);
    ft_xdecref(b);
    return 0;
}

static void pair_dealloc(ft_object *o)
{
    pair_clear(o);
    ft_object_free(o);
}

static ft_object *pair_make(py_type *cls, ft_object *a, ft_object *b, ssize_t index)
{
    pair_iter *p = (pair_iter *)ft_object_new(&cls->ft, sizeof(pair_iter));
    if (!p)
        return py_err_from_ft();
    p->a = ft_newref(a);
    p->b = b ? ft_newref(b) : NULL;
    p->index = index;
    return &p->ob_base;
}

static ft_object *pair_done(ft_object *o)
{
    pair_clear(o);
    return NULL;
}

/* a: the callable, b: the sentinel. */
static ft_object *calliter_next(ft_object *o)
{
    pair_iter *p = as_pair(o);
    if (!p->a)
        return NULL;
    ft_object *v = py_call0(p->a);
    if (!v) {
        if (py_err_matches(py_exc_StopIteration)) {
            py_err_clear();
            return pair_done(o);
        }
        return NULL;
    }
    int eq = py_richcompare_bool(v, p->b, PY_EQ);
    if (eq == 0)
        return v;
    ft_decref(v);
    return eq < 0 ? NULL : pair_done(o);
}

ITER_CLASS(py_calliter_class, "callable_iterator", pair_iter, pair_dealloc,
           pair_traverse, pair_clear, calliter_next, NULL);

ft_object *py_calliter_new(ft_object *callable, ft_object *sentinel)
{
    return pair_make(&py_calliter_class, callable, sentinel, 0);
}

/* reversed over __len__ and __getitem__: a is the sequence. */
static ft_object *reversed_next(ft_object *o)
{
    pair_iter *p = as_pair(o);
    if (!p->a || p->index < 0)
        return pair_done(o);
    ft_object *i = ft_int_from_i64(p->index);
    if (!i)
        return py_err_from_ft();
    ft_object *v = py_getitem(p->a, i);
    ft_decref(i);
    if (v) {
        p->index--;
        return v;
    }
    if (py_err_matches(py_exc_IndexError) || py_err_matches(py_exc_StopIteration)) {
        py_err_clear();
        return pair_done(o);
    }
    return NULL;
}

static ft_object *reversed_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)cls;
    if (py_no_kwargs("reversed", kwnames) < 0 ||
        py_check_nargs("reversed", nargs, 1, 1) < 0)
        return NULL;
    ft_object *seq = args[0], *meth;
    int found = py_lookup_special(seq, PY_ID(__reversed__), &meth);
    if (found < 0)
        return NULL;
    if (found) {
        if (meth == ft_none()) {
            ft_decref(meth);
            return py_err_format(py_exc_TypeError, "'%s' object is not reversible",
                                 py_type_name(seq));
        }
        ft_object *r = py_call0(meth);
        ft_decref(meth);
        return r;
    }
    py_type *t = py_type_of(seq);
    if (py_isinstance_exact_or_sub(seq, &py_dict_class) ||
        !py_type_lookup_borrow(t, PY_ID(__getitem__)) ||
        !(py_type_lookup_borrow(t, PY_ID(__len__)) || t->ft.tp_len))
        return py_err_format(py_exc_TypeError, "'%s' object is not reversible",
                             py_type_name(seq));
    ssize_t n = py_len(seq);
    if (n < 0)
        return NULL;
    return pair_make(&py_reversed_class, seq, NULL, n - 1);
}

py_type py_reversed_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "reversed", .tp_basicsize = sizeof(pair_iter),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = pair_dealloc, .tp_traverse = pair_traverse,
        .tp_clear = pair_clear,
    },
    .tp_iter = py_iter_self, .tp_iternext = reversed_next,
    .tp_new = reversed_tp_new,
};

/* filter: a is the function (None: truth of the item), b the iterator. */
static ft_object *filter_next(ft_object *o)
{
    pair_iter *p = as_pair(o);
    if (!p->b)
        return NULL;
    for (;;) {
        ft_object *v = py_iter_next(p->b);
        if (!v)
            return py_err_occurred() ? NULL : pair_done(o);
        int ok;
        if (p->a == ft_none() || p->a == &py_bool_class.ft.ob_base) {
            ok = py_is_true(v);
        } else {
            ft_object *r = py_call1(p->a, v);
            ok = r ? py_is_true(r) : -1;
            ft_xdecref(r);
        }
        if (ok > 0)
            return v;
        ft_decref(v);
        if (ok < 0)
            return NULL;
    }
}

static ft_object *filter_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)cls;
    if (py_no_kwargs("filter", kwnames) < 0 ||
        py_check_nargs("filter", nargs, 2, 2) < 0)
        return NULL;
    ft_object *it = py_iter(args[1]);
    if (!it)
        return NULL;
    ft_object *r = pair_make(&py_filter_class, args[0], it, 0);
    ft_decref(it);
    return r;
}

py_type py_filter_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "filter", .tp_basicsize = sizeof(pair_iter),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = pair_dealloc, .tp_traverse = pair_traverse,
        .tp_clear = pair_clear,
    },
    .tp_iter = py_iter_self, .tp_iternext = filter_next,
    .tp_new = filter_tp_new,
};

/* ---- enumerate ------------------------------------------------------------------------ */

typedef struct enum_iter {
    ft_object ob_base;
    ft_object *it;               /* NULL once exhausted                    */
    ft_object *count;            /* the next count when not a small int    */
    int64_t n;                   /* the next count while count is NULL     */
} enum_iter;

static enum_iter *as_enum(ft_object *o) { return (enum_iter *)o; }

static int enum_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    enum_iter *e = as_enum(o);
    int rc = e->it ? visit(e->it, arg) : 0;
    return rc ? rc : e->count ? visit(e->count, arg) : 0;
}

static int enum_clear(ft_object *o)
{
    enum_iter *e = as_enum(o);
    ft_object *a = e->it, *b = e->count;
    e->it = e->count = NULL;
    ft_xdecref(a);
    ft_xdecref(b);
    return 0;
}

static void enum_dealloc(ft_object *o)
{
    enum_clear(o);
    ft_object_free(o);
}

/* The current count as an object; advances it. */
static ft_object *enum_take_count(enum_iter *e)
{
    if (!e->count && e->n < INT64_MAX)
        return ft_int_from_i64(e->n++);
    if (!e->count && !(e->count = ft_int_from_i64(e->n)))
        return py_err_from_ft();
    ft_object *one = ft_int_from_i64(1);
    ft_object *next = py_binary_op(e->count, one, PY_OP_ADD);
    if (!next)
        return NULL;
    ft_object *cur = e->count;
    e->count = next;
    return cur;
}

static ft_object *enum_next(ft_object *o)
{
    enum_iter *e = as_enum(o);
    if (!e->it)
        return NULL;
    ft_object *v = py_iter_next(e->it);
    if (!v) {
        if (!py_err_occurred())
            enum_clear(o);
        return NULL;
    }
    ft_object *c = enum_take_count(e);
    ft_object *t = c ? ft_tuple_new(2) : NULL;
    if (!t) {
        ft_xdecref(c);
        ft_decref(v);
        return py_err_occurred() ? NULL : py_err_from_ft();
    }
    ft_tuple_set_steal(t, 0, c);
    ft_tuple_set_steal(t, 1, v);
    return t;
}

static ft_object *enum_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)cls;
    ft_object *out[2];
    /* CPython's enumerate checks the arguments' number before their names */
    if (nargs == 0 && !py_has_kwargs(kwnames))
        return py_err_format(py_exc_TypeError, "enumerate() missing required argument "
                             "'iterable'");
    if (nargs + (size_t)(kwnames ? ft_len(kwnames) : 0) > 2)
        return py_err_format(py_exc_TypeError, "enumerate() takes at most 2 arguments "
                             "(%zu given)", nargs + (size_t)(kwnames ? ft_len(kwnames) : 0));
    for (ssize_t i = 0; kwnames && i < ft_len(kwnames); i++) {
        const char *k = ft_str_utf8_borrow(ft_tuple_get_borrow(kwnames, i), NULL);
        if (strcmp(k, "iterable") != 0 && strcmp(k, "start") != 0)
            return py_err_format(py_exc_TypeError, "'%s' is an invalid keyword argument "
                                 "for enumerate()", k);
    }
    if (!py_has_kwargs(kwnames)) {
        out[0] = args[0];   /* 1 or 2 positionals: checked above */
        out[1] = nargs > 1 ? args[1] : NULL;
    } else if (py_bind_args("enumerate", args, nargs, kwnames, "iterable,|,start", out) < 0) {
        return NULL;
    }
    ft_object *start = out[1];
    if (start && !py_long_check(start)) {
        if (!py_type_lookup_borrow(py_type_of(start), PY_ID(__index__)))
            return py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted "
                                 "as an integer", py_type_name(start));
    }
    ft_object *it = py_iter(out[0]);
    if (!it)
        return NULL;
    enum_iter *e = (enum_iter *)ft_object_new(&py_enumerate_class.ft, sizeof(enum_iter));
    if (!e) {
        ft_decref(it);
        return py_err_from_ft();
    }
    e->it = it;
    e->n = 0;
    if (start) {
        ft_object *s = py_number_index(start);
        int64_t v;
        if (!s) {
            ft_decref(&e->ob_base);
            return NULL;
        }
        if (s->ob_type == &ft_int_type && py_long_as_i64(s, &v) == 0) {
            e->n = v;
            ft_decref(s);
        } else {
            py_err_clear();
            e->count = s;
        }
    }
    return &e->ob_base;
}

py_type py_enumerate_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "enumerate", .tp_basicsize = sizeof(enum_iter),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = enum_dealloc, .tp_traverse = enum_traverse,
        .tp_clear = enum_clear,
    },
    .tp_iter = py_iter_self, .tp_iternext = enum_next,
    .tp_new = enum_tp_new,
};

/* ---- zip and map: a function (map) and a tuple of iterators ------------------------- */

typedef struct multi_iter {
    ft_object ob_base;
    ft_object *func;             /* map's function; NULL for zip           */
    ft_object *iters;            /* tuple of iterators; NULL once exhausted */
    bool strict;                 /* zip(strict=True)                       */
} multi_iter;

static multi_iter *as_multi(ft_object *o) { return (multi_iter *)o; }

static int multi_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    multi_iter *m = as_multi(o);
    int rc = m->func ? visit(m->func, arg) : 0;
    return rc ? rc : m->iters ? visit(m->iters, arg) : 0;
}

static int multi_clear(ft_object *o)
{
    multi_iter *m = as_multi(o);
    ft_object *a = m->func, *b = m->iters;
    m->func = m->iters = NULL;
    ft_xdecref(a);
    ft_xdecref(b);
    return 0;
}

static void multi_dealloc(ft_object *o)
{
    multi_clear(o);
    ft_object_free(o);
}

/* A tuple of iter(x) for each of args[0, n). */
static ft_object *iter_tuple(ft_object *const *args, size_t n)
{
    ft_object *t = ft_tuple_new((ssize_t)n);
    if (!t)
        return py_err_from_ft();
    for (size_t i = 0; i < n; i++) {
        ft_object *it = py_iter(args[i]);
        if (!it) {
            ft_decref(t);   /* the unset slots are NULL */
            return NULL;
        }
        ft_tuple_set_steal(t, (ssize_t)i, it);
    }
    return t;
}

static ft_object *multi_make(py_type *cls, ft_object *func, ft_object *const *args,
                             size_t n, bool strict)
{
    ft_object *iters = iter_tuple(args, n);
    if (!iters)
        return NULL;
    multi_iter *m = (multi_iter *)ft_object_new(&cls->ft, sizeof(multi_iter));
    if (!m) {
        ft_decref(iters);
        return py_err_from_ft();
    }
    m->func = func ? ft_newref(func) : NULL;
    m->iters = iters;
    m->strict = strict;
    return &m->ob_base;
}

/* zip(strict=True) found iterator i exhausted: the others must be too. */
static ft_object *zip_strict_check(multi_iter *m, ssize_t i)
{
    ssize_t n = ft_len(m->iters);
    if (i > 0)
        return py_err_format(py_exc_ValueError, "zip() argument %zd is shorter than "
                             "argument%s%zd", i + 1, i == 1 ? " " : "s 1-", i);
    for (ssize_t j = 1; j < n; j++) {
        ft_object *v = py_iter_next(ft_tuple_get_borrow(m->iters, j));
        if (v) {
            ft_decref(v);
            return py_err_format(py_exc_ValueError, "zip() argument %zd is longer than "
                                 "argument%s%zd", j + 1, j == 1 ? " " : "s 1-", j);
        }
        if (py_err_occurred())
            return NULL;
    }
    return NULL;
}

/* One item from each iterator into a new tuple; NULL when one ran out. */
static ft_object *multi_collect(ft_object *o)
{
    multi_iter *m = as_multi(o);
    if (!m->iters)
        return NULL;
    ssize_t n = ft_len(m->iters);
    if (n == 0)
        return multi_clear(o), NULL;
    ft_object *t = ft_tuple_new(n);
    if (!t)
        return py_err_from_ft();
    for (ssize_t i = 0; i < n; i++) {
        ft_object *v = py_iter_next(ft_tuple_get_borrow(m->iters, i));
        if (!v) {
            ft_decref(t);
            if (!py_err_occurred() && m->strict)
                zip_strict_check(m, i);
            if (!py_err_occurred())
                multi_clear(o);
            return NULL;
        }
        ft_tuple_set_steal(t, i, v);
    }
    return t;
}

static ft_object *zip_next(ft_object *o)
{
    return multi_collect(o);
}

static ft_object *map_next(ft_object *o)
{
    multi_iter *m = as_multi(o);
    ft_object *func = m->func ? ft_newref(m->func) : NULL;
    ft_object *t = multi_collect(o);
    if (!t) {
        ft_xdecref(func);
        return NULL;
    }
    ft_object *buf[8];
    ft_object **items = py_tuple_items(t, buf, 8);
    ft_object *r = items ? py_vcall(func, items, (size_t)ft_len(t), NULL) : NULL;
    if (items)
        py_items_free(items, buf);
    ft_decref(t);
    ft_decref(func);
    return r;
}

static ft_object *zip_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)cls;
    bool strict = false;
    ssize_t nkw = kwnames ? ft_len(kwnames) : 0;
    if (nkw > 1)
        return py_err_format(py_exc_TypeError, "zip() takes at most 1 keyword argument "
                             "(%zd given)", nkw);
    for (ssize_t i = 0; i < nkw; i++) {
        ft_object *k = ft_tuple_get_borrow(kwnames, i);
        const char *name = ft_str_utf8_borrow(k, NULL);
        if (!name || strcmp(name, "strict") != 0)
            return py_err_format(py_exc_TypeError, "'%s' is an invalid keyword argument "
                                 "for zip()", name ? name : "?");
        int t = py_is_true(args[nargs + (size_t)i]);
        if (t < 0)
            return NULL;
        strict = t;
    }
    return multi_make(&py_zip_class, NULL, args, nargs, strict);
}

static ft_object *map_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)cls;
    if (py_no_kwargs("map", kwnames) < 0)
        return NULL;
    if (nargs < 2)
        return py_err_format(py_exc_TypeError, "map() must have at least two arguments.");
    return multi_make(&py_map_class, args[0], args + 1, nargs - 1, false);
}

py_type py_zip_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "zip", .tp_basicsize = sizeof(multi_iter),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = multi_dealloc, .tp_traverse = multi_traverse,
        .tp_clear = multi_clear,
    },
    .tp_iter = py_iter_self, .tp_iternext = zip_next,
    .tp_new = zip_tp_new,
};

py_type py_map_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "map", .tp_basicsize = sizeof(multi_iter),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = multi_dealloc, .tp_traverse = multi_traverse,
        .tp_clear = multi_clear,
    },
    .tp_iter = py_iter_self, .tp_iternext = map_next,
    .tp_new = map_tp_new,
};

/* ---- Life cycle of the group ----------------------------------------------------------- */

int py_containers_init(void)
{
    /* frozenset is boxable: its subclasses hold a frozenset in their box */
    py_register_ft_class(&py_frozenset_class.ft, &py_frozenset_class);
    py_type *classes[] = {
        &py_list_class, &py_tuple_class, &py_dict_class, &py_set_class,
        &py_frozenset_class, &py_slice_class, &py_range_class, &py_range_iter_class,
        &py_longrange_iter_class,
        &py_list_iter_class, &py_list_reviter_class, &py_tuple_iter_class,
        &py_seqiter_class, &py_calliter_class, &py_set_iter_class,
        &py_dict_keyiter_class, &py_dict_valueiter_class, &py_dict_itemiter_class,
        &py_dict_revkeyiter_class, &py_dict_revvalueiter_class, &py_dict_revitemiter_class,
        &py_dict_keys_class, &py_dict_values_class, &py_dict_items_class,
        &py_enumerate_class, &py_zip_class, &py_map_class, &py_filter_class,
        &py_reversed_class, &py_textio_class, &py_bufreader_class,
        &py_bufwriter_class, &py_bufrandom_class,
    };
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
        if (py_type_ready(classes[i]) < 0)
            return -1;
    return py_io_init();
}

void py_containers_fini(void)
{
    py_io_fini();
    py_builtins_forget();
}
