/* objects/dict.c — the dict class over the runtime's dicts, its views
 * (keys, values, items) and their iterators.
 *
 * Every mutation is one runtime call that locks the dict (ft_dict_set,
 * ft_dict_pop, ft_dict_setdefault, ft_dict_popitem, ft_dict_clear ...).
 * Iteration goes through ft_dict_next_ref / ft_dict_prev_ref, which give
 * new references, so a __repr__, __eq__ or loop body that changes the
 * dict cannot pull an object from under us; iterators compare the size at
 * each step with the size at the start and raise RuntimeError "dictionary
 * changed size during iteration" (and keep raising it), as CPython does.
 *
 * The views hold the runtime dict (unboxed); the set operations of keys()
 * and items() build a set and run its *_update method, as CPython's
 * dictviews_and & co do.
 */
#include <string.h>
#include "containers.h"
#include "str.h"
#include "typeobject.h"

static ft_object *as_dict_or_null(ft_object *o)
{
    return o->ob_type == &ft_dict_type ? o : py_unbox_borrow(o, &ft_dict_type);
}

static ft_object *unbox(ft_object *self, const char *meth)
{
    ft_object *d = as_dict_or_null(self);
    if (!d)
        py_err_format(py_exc_TypeError, "descriptor '%s' for 'dict' objects doesn't "
                      "apply to a '%s' object", meth, py_type_name(self));
    return d;
}

static int set_item(ft_object *d, ft_object *k, ft_object *v)
{
    return ft_dict_set(d, k, v) < 0 ? py_err_from_ft_int() : 0;
}

ft_object *py_dict_getitem(ft_object *d, ft_object *key)
{
    ft_object *v;
    int rc = ft_dict_lookup(d, key, &v);
    if (rc > 0)
        return v;
    if (rc < 0)
        return py_err_from_ft();
    return py_err_set_key(key);
}

/* ---- update and merge -------------------------------------------------------------- */

/* d[k] = src[k] for each key of a runtime dict src. */
static int update_from_dict(ft_object *d, ft_object *src)
{
    ssize_t pos = 0;
    ft_object *k, *v;
    int rc = 0;
    while (rc == 0 && ft_dict_next_ref(src, &pos, &k, &v) == 1) {
        rc = set_item(d, k, v);
        ft_decref(k);
        ft_decref(v);
    }
    return rc;
}

/* d[k] = m[k] for k in m.keys(). */
static int update_from_mapping(ft_object *d, ft_object *m, ft_object *keys_meth)
{
    ft_object *keys = py_call0(keys_meth);
    ft_object *it = keys ? py_iter(keys) : NULL;
    ft_xdecref(keys);
    if (!it)
        return -1;
    ft_object *k;
    int rc = 0;
    while (rc == 0 && (k = py_iter_next(it))) {
        ft_object *v = py_getitem(m, k);
        rc = v ? set_item(d, k, v) : -1;
        ft_xdecref(v);
        ft_decref(k);
    }
    ft_decref(it);
    return rc == 0 && py_err_occurred() ? -1 : rc;
}

/* One (key, value) element of an update sequence. */
static int update_pair(ft_object *d, ft_object *item, ssize_t index)
{
    ft_object *t;
    if (item->ob_type == &ft_tuple_type) {
        t = ft_newref(item);
    } else {
        py_type *tp = py_type_of(item);
        if (!py_type_lookup_borrow(tp, PY_ID(__iter__)) &&
            !py_type_lookup_borrow(tp, PY_ID(__getitem__)))
            return py_err_format_int(py_exc_TypeError, "cannot convert dictionary "
                                     "update sequence element #%zd to a sequence", index);
        if (!(t = py_tuple_from_iterable(item)))
            return -1;
    }
    int rc;
    if (ft_len(t) != 2)
        rc = py_err_format_int(py_exc_ValueError, "dictionary update sequence element "
                               "#%zd has length %zd; 2 is required", index, ft_len(t));
    else
        rc = set_item(d, ft_tuple_get_borrow(t, 0), ft_tuple_get_borrow(t, 1));
    ft_decref(t);
    return rc;
}

static int update_from_pairs(ft_object *d, ft_object *iterable)
{
    ft_object *it = py_iter(iterable);
    if (!it)
        return -1;
    ft_object *item;
    int rc = 0;
    for (ssize_t i = 0; rc == 0 && (item = py_iter_next(it)); i++) {
        rc = update_pair(d, item, i);
        ft_decref(item);
    }
    ft_decref(it);
    return rc == 0 && py_err_occurred() ? -1 : rc;
}

int py_dict_update(ft_object *d, ft_object *other, bool pairs)
{
    if (other->ob_type == &ft_dict_type)
        return update_from_dict(d, other);
    ft_object *keys;
    int found = py_getattr_opt(other, PY_ID(keys), &keys);
    if (found < 0)
        return -1;
    if (found) {
        int rc = update_from_mapping(d, other, keys);
        ft_decref(keys);
        return rc;
    }
    if (!pairs)
        return py_err_format_int(py_exc_TypeError, "'%s' object is not a mapping",
                                 py_type_name(other));
    return update_from_pairs(d, other);
}

/* Adds one keyword (key, value) for f(**m), refusing repeats. */
static int merge_one(ft_object *d, ft_object *k, ft_object *v, const char *fname)
{
    if (!py_str_check(k))
        return py_err_format_int(py_exc_TypeError, "%s%skeywords must be strings",
                                 fname ? fname : "", fname ? "() " : "");
    ft_object *old;
    int rc = ft_dict_setdefault(d, k, v, &old);
    if (rc < 0)
        return py_err_from_ft_int();
    ft_decref(old);
    if (rc == 0)
        return py_err_format_int(py_exc_TypeError, "%s%sgot multiple values for keyword "
                                 "argument '%s'", fname ? fname : "", fname ? "() " : "",
                                 ft_str_utf8_borrow(py_str_unbox_borrow(k), NULL));
    return 0;
}

int py_dict_merge_kwargs(ft_object *d, ft_object *other, const char *fname)
{
    ft_object *src = as_dict_or_null(other);
    if (src && other->ob_type == &ft_dict_type) {
        ssize_t pos = 0;
        ft_object *k, *v;
        int rc = 0;
        while (rc == 0 && ft_dict_next_ref(src, &pos, &k, &v) == 1) {
            rc = merge_one(d, k, v, fname);
            ft_decref(k);
            ft_decref(v);
        }
        return rc;
    }
    ft_object *keys_meth;
    int found = py_getattr_opt(other, PY_ID(keys), &keys_meth);
    if (found <= 0)
        return found < 0 ? -1 : py_err_format_int(py_exc_TypeError, "%s%sargument after "
                                                  "** must be a mapping, not %s",
                                                  fname ? fname : "", fname ? "() " : "",
                                                  py_type_name(other));
    ft_object *keys = py_call0(keys_meth);
    ft_decref(keys_meth);
    ft_object *it = keys ? py_iter(keys) : NULL;
    ft_xdecref(keys);
    if (!it)
        return -1;
    ft_object *k;
    int rc = 0;
    while (rc == 0 && (k = py_iter_next(it))) {
        ft_object *v = py_getitem(other, k);
        rc = v ? merge_one(d, k, v, fname) : -1;
        ft_xdecref(v);
        ft_decref(k);
    }
    ft_decref(it);
    return rc == 0 && py_err_occurred() ? -1 : rc;
}

/* ---- Iterators ------------------------------------------------------------------------ */

enum dict_kind { DK_KEYS, DK_VALUES, DK_ITEMS };

typedef struct dict_iter {
    ft_object ob_base;
    ft_object *dict;             /* runtime dict; NULL once exhausted       */
    ssize_t pos;
    ssize_t len;                 /* size at the start; -1 after a change   */
    int kind;                    /* enum dict_kind                         */
    bool reverse;
} dict_iter;

static dict_iter *as_diter(ft_object *o) { return (dict_iter *)o; }

static int diter_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    return as_diter(o)->dict ? visit(as_diter(o)->dict, arg) : 0;
}

static int diter_clear(ft_object *o)
{
    ft_object *d = as_diter(o)->dict;
    as_diter(o)->dict = NULL;
    ft_xdecref(d);
    return 0;
}

static void diter_dealloc(ft_object *o)
{
    diter_clear(o);
    ft_object_free(o);
}

static ft_object *diter_next(ft_object *o)
{
    dict_iter *it = as_diter(o);
    if (!it->dict)
        return NULL;
    if (ft_len(it->dict) != it->len) {
        it->len = -1;   /* sticky: every later call raises too */
        return py_err_format(py_exc_RuntimeError, "dictionary changed size during "
                             "iteration");
    }
    ft_object *k = NULL, *v = NULL;
    ft_object **kp = it->kind != DK_VALUES ? &k : NULL;
    ft_object **vp = it->kind != DK_KEYS ? &v : NULL;
    int found = it->reverse ? ft_dict_prev_ref(it->dict, &it->pos, kp, vp)
                            : ft_dict_next_ref(it->dict, &it->pos, kp, vp);
    if (found <= 0) {
        diter_clear(o);
        return found < 0 ? py_err_from_ft() : NULL;
    }
    if (it->kind == DK_KEYS)
        return k;
    if (it->kind == DK_VALUES)
        return v;
    ft_object *t = ft_tuple_new(2);
    if (!t) {
        ft_decref(k);
        ft_decref(v);
        return py_err_from_ft();
    }
    ft_tuple_set_steal(t, 0, k);
    ft_tuple_set_steal(t, 1, v);
    return t;
}

static ft_object *diter_length_hint(ft_object *self, ft_object *const *args,
                                    size_t nargs, ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    dict_iter *it = as_diter(self);
    return ft_int_from_i64(it->dict && it->len >= 0 ? ft_len(it->dict) : 0);
}

static const py_method_def diter_methods[] = {
    { "__length_hint__", diter_length_hint, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

#define DICT_ITER_CLASS(var, name)                                           \
    py_type var = {                                                          \
        .ft = {                                                              \
            .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),                \
            .tp_name = name, .tp_basicsize = sizeof(dict_iter),              \
            .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,                   \
            .tp_dealloc = diter_dealloc, .tp_traverse = diter_traverse,      \
            .tp_clear = diter_clear,                                         \
        },                                                                   \
        .tp_iter = py_iter_self, .tp_iternext = diter_next,                  \
        .tp_methods = diter_methods,                                         \
    }

DICT_ITER_CLASS(py_dict_keyiter_class, "dict_keyiterator");
DICT_ITER_CLASS(py_dict_valueiter_class, "dict_valueiterator");
DICT_ITER_CLASS(py_dict_itemiter_class, "dict_itemiterator");
DICT_ITER_CLASS(py_dict_revkeyiter_class, "dict_reversekeyiterator");
DICT_ITER_CLASS(py_dict_revvalueiter_class, "dict_reversevalueiterator");
DICT_ITER_CLASS(py_dict_revitemiter_class, "dict_reverseitemiterator");

static ft_object *dict_iter_new(ft_object *d, int kind, bool reverse)
{
    static py_type *const fwd[] = { &py_dict_keyiter_class, &py_dict_valueiter_class,
                                    &py_dict_itemiter_class };
    static py_type *const rev[] = { &py_dict_revkeyiter_class, &py_dict_revvalueiter_class,
                                    &py_dict_revitemiter_class };
    py_type *cls = reverse ? rev[kind] : fwd[kind];
    dict_iter *it = (dict_iter *)ft_object_new(&cls->ft, sizeof(dict_iter));
    if (!it)
        return py_err_from_ft();
    it->dict = ft_newref(d);
    it->pos = reverse ? SSIZE_MAX : 0;
    it->len = ft_len(d);
    it->kind = kind;
    it->reverse = reverse;
    return &it->ob_base;
}

/* ---- Views -------------------------------------------------------------------------------- */

typedef struct dict_view {
    ft_object ob_base;
    ft_object *dict;             /* the runtime dict                       */
} dict_view;

static dict_view *as_view(ft_object *o) { return (dict_view *)o; }

static int view_kind(ft_object *o)
{
    ft_type *t = o->ob_type;
    return t == &py_dict_keys_class.ft ? DK_KEYS
         : t == &py_dict_values_class.ft ? DK_VALUES
         : t == &py_dict_items_class.ft ? DK_ITEMS : -1;
}

static int view_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    return as_view(o)->dict ? visit(as_view(o)->dict, arg) : 0;
}

static int view_clear(ft_object *o)
{
    ft_object *d = as_view(o)->dict;
    as_view(o)->dict = NULL;
    ft_xdecref(d);
    return 0;
}

static void view_dealloc(ft_object *o)
{
    view_clear(o);
    ft_object_free(o);
}

static ft_object *view_new(py_type *cls, ft_object *d)
{
    dict_view *v = (dict_view *)ft_object_new(&cls->ft, sizeof(dict_view));
    if (!v)
        return py_err_from_ft();
    v->dict = ft_newref(d);
    return &v->ob_base;
}

static ssize_t view_len(ft_object *o)
{
    return as_view(o)->dict ? ft_len(as_view(o)->dict) : 0;
}

static ft_object *view_iter(ft_object *o)
{
    return dict_iter_new(as_view(o)->dict, view_kind(o), false);
}

static ft_object *view_reversed(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return dict_iter_new(as_view(self)->dict, view_kind(self), true);
}

static ft_object *view_repr(ft_object *o)
{
    static const char *const names[] = { "dict_keys", "dict_values", "dict_items" };
    int in = py_repr_enter(o);
    if (in != 0)
        return in < 0 ? NULL : ft_str_from_utf8("...", 3);
    ft_object *l = py_list_from_iterable(o);
    ft_object *lr = l ? py_repr(l) : NULL;
    ft_object *r = lr ? py_str_from_format("%s(%s)", names[view_kind(o)],
                                           ft_str_utf8_borrow(lr, NULL)) : NULL;
    ft_xdecref(l);
    ft_xdecref(lr);
    py_repr_leave(o);
    return r;
}

static int keys_contains(ft_object *o, ft_object *k)
{
    ft_object *v;
    int rc = ft_dict_lookup(as_view(o)->dict, k, &v);
    if (rc < 0)
        return py_err_from_ft_int();
    ft_xdecref(v);
    return rc;
}

static int items_contains(ft_object *o, ft_object *item)
{
    if (item->ob_type != &ft_tuple_type || ft_len(item) != 2)
        return 0;
    ft_object *v;
    int rc = ft_dict_lookup(as_view(o)->dict, ft_tuple_get_borrow(item, 0), &v);
    if (rc <= 0)
        return rc < 0 ? py_err_from_ft_int() : 0;
    rc = py_richcompare_bool(v, ft_tuple_get_borrow(item, 1), PY_EQ);
    ft_decref(v);
    return rc;
}

static int values_contains(ft_object *o, ft_object *x)
{
    ssize_t pos = 0;
    ft_object *v;
    while (ft_dict_next_ref(as_view(o)->dict, &pos, NULL, &v) == 1) {
        int eq = py_richcompare_bool(v, x, PY_EQ);
        ft_decref(v);
        if (eq)
            return eq;
    }
    return 0;
}

static bool is_setlike(ft_object *o)
{
    int k = view_kind(o);
    return k == DK_KEYS || k == DK_ITEMS || py_anyset_check(o);
}

/* Is every item of a in b? 1, 0, -1. */
static int all_contained_in(ft_object *a, ft_object *b)
{
    ft_object *it = py_iter(a);
    if (!it)
        return -1;
    ft_object *x;
    int ok = 1;
    while (ok == 1 && (x = py_iter_next(it))) {
        ok = py_contains(b, x);
        ft_decref(x);
    }
    ft_decref(it);
    return ok >= 0 && py_err_occurred() ? -1 : ok;
}

static ft_object *view_richcompare(ft_object *a, ft_object *b, int op)
{
    if (!is_setlike(a) || !is_setlike(b))
        return py_notimplemented();
    ssize_t na = py_len(a), nb = na < 0 ? -1 : py_len(b);
    if (nb < 0)
        return NULL;
    int r;
    switch (op) {
    case PY_EQ: case PY_NE:
        r = na == nb ? all_contained_in(a, b) : 0;
        if (r >= 0 && op == PY_NE)
            r = !r;
        break;
    case PY_LT: r = na < nb ? all_contained_in(a, b) : 0; break;
    case PY_LE: r = na <= nb ? all_contained_in(a, b) : 0; break;
    case PY_GT: r = na > nb ? all_contained_in(b, a) : 0; break;
    default:    r = na >= nb ? all_contained_in(b, a) : 0; break;
    }
    return r < 0 ? NULL : ft_newref(ft_bool(r));
}

/* keys() & | - ^ other: set(first) then its *_update(second). */
static ft_object *view_binop(ft_object *a, ft_object *b, int op)
{
    static const char *const meth[] = {
        [PY_OP_AND] = "intersection_update", [PY_OP_OR] = "update",
        [PY_OP_SUB] = "difference_update", [PY_OP_XOR] = "symmetric_difference_update",
    };
    op &= ~PY_OP_INPLACE;
    if (op != PY_OP_AND && op != PY_OP_OR && op != PY_OP_SUB && op != PY_OP_XOR)
        return py_notimplemented();
    int ka = view_kind(a);
    bool a_view = ka == DK_KEYS || ka == DK_ITEMS;
    ft_object *first = a, *second = b;
    if (!a_view && op != PY_OP_SUB) {   /* commutative: start from the view */
        first = b;
        second = a;
    }
    ft_object *set = ft_set_new();
    if (!set)
        return py_err_from_ft();
    ft_object *name = ft_str_from_utf8(meth[op], -1);
    ft_object *r = NULL;
    if (name && py_set_update(set, first) == 0)
        r = py_call_method(set, name, &second, 1);
    ft_xdecref(name);
    if (!r) {
        ft_decref(set);
        return py_err_occurred() ? NULL : py_err_from_ft();
    }
    ft_decref(r);
    return set;
}

static ft_object *view_isdisjoint(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    if (py_meth_onearg(py_type_name(self), "isdisjoint", nargs, kwnames) < 0)
        return NULL;
    ft_object *it = py_iter(args[0]);
    if (!it)
        return NULL;
    ft_object *x;
    int in = 0;
    while (!in && (x = py_iter_next(it))) {
        in = py_contains(self, x);
        ft_decref(x);
    }
    ft_decref(it);
    if (in < 0 || py_err_occurred())
        return NULL;
    return ft_newref(ft_bool(!in));
}

static ft_object *view_get_mapping(ft_object *o)
{
    return ft_newref(as_view(o)->dict);
}

static const py_method_def setview_methods[] = {
    { "__reversed__", view_reversed, PY_METH_DEFAULT },
    { "isdisjoint", view_isdisjoint, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

static const py_method_def values_methods[] = {
    { "__reversed__", view_reversed, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

static const py_getset_def view_getset[] = {
    { "mapping", view_get_mapping, NULL },
    { NULL, NULL, NULL },
};

#define VIEW_CLASS(var, name, contains, binop, cmp, methods)                 \
    py_type var = {                                                          \
        .ft = {                                                              \
            .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),                \
            .tp_name = name, .tp_basicsize = sizeof(dict_view),              \
            .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,                   \
            .tp_dealloc = view_dealloc, .tp_traverse = view_traverse,        \
            .tp_clear = view_clear, .tp_repr = view_repr,                    \
            .tp_len = view_len, .tp_hash = py_hash_unhashable,               \
        },                                                                   \
        .tp_contains = contains, .tp_iter = view_iter, .tp_binop = binop,    \
        .tp_richcompare = cmp, .tp_methods = methods,                        \
        .tp_getset = view_getset,                                            \
    }

VIEW_CLASS(py_dict_keys_class, "dict_keys", keys_contains, view_binop,
           view_richcompare, setview_methods);
VIEW_CLASS(py_dict_items_class, "dict_items", items_contains, view_binop,
           view_richcompare, setview_methods);
VIEW_CLASS(py_dict_values_class, "dict_values", values_contains, NULL, NULL,
           values_methods);

/* ---- Methods -------------------------------------------------------------------------------- */

#define METHOD(name) \
    static ft_object *dict_##name(ft_object *self, ft_object *const *args, \
                                  size_t nargs, ft_object *kwnames)
/* kind: how CPython declares the method (NOARGS, O, CLINIC), which
 * decides the words of its argument errors (str.h). */
#define ARGS(kind, pyname, min, max)                                    \
    ft_object *d = unbox(self, pyname);                                 \
    if (!d || py_meth_args(PY_ARGK_##kind, "dict", pyname, nargs, kwnames, \
                           min, max) < 0)                               \
        return NULL;

METHOD(keys)
{
    (void)args;
    ARGS(NOARGS, "keys", 0, 0)
    return view_new(&py_dict_keys_class, d);
}

METHOD(values)
{
    (void)args;
    ARGS(NOARGS, "values", 0, 0)
    return view_new(&py_dict_values_class, d);
}

METHOD(items)
{
    (void)args;
    ARGS(NOARGS, "items", 0, 0)
    return view_new(&py_dict_items_class, d);
}

METHOD(get)
{
    ARGS(CLINIC, "get", 1, 2)
    ft_object *v;
    int rc = ft_dict_lookup(d, args[0], &v);
    if (rc < 0)
        return py_err_from_ft();
    return rc ? v : ft_newref(nargs == 2 ? args[1] : ft_none());
}

METHOD(setdefault)
{
    ARGS(CLINIC, "setdefault", 1, 2)
    ft_object *v;
    if (ft_dict_setdefault(d, args[0], nargs == 2 ? args[1] : ft_none(), &v) < 0)
        return py_err_from_ft();
    return v;
}

METHOD(pop)
{
    ARGS(CLINIC, "pop", 1, 2)
    ft_object *v;
    int rc = ft_dict_pop(d, args[0], &v);
    if (rc < 0)
        return py_err_from_ft();
    if (rc)
        return v;
    if (nargs == 2)
        return ft_newref(args[1]);
    return py_err_set_key(args[0]);
}

METHOD(popitem)
{
    (void)args;
    ARGS(NOARGS, "popitem", 0, 0)
    ft_object *k, *v;
    int rc = ft_dict_popitem(d, &k, &v);
    if (rc < 0)
        return py_err_from_ft();
    if (rc == 0)
        return py_err_format(py_exc_KeyError, "popitem(): dictionary is empty");
    ft_object *t = ft_tuple_new(2);
    if (!t) {
        ft_decref(k);
        ft_decref(v);
        return py_err_from_ft();
    }
    ft_tuple_set_steal(t, 0, k);
    ft_tuple_set_steal(t, 1, v);
    return t;
}

/* update(other=(), /, **kwargs): the keywords follow the positional. */
static int update_args(ft_object *d, const char *fname, ft_object *const *args,
                       size_t nargs, ft_object *kwnames)
{
    if (py_check_nargs(fname, nargs, 0, 1) < 0)
        return -1;
    if (nargs == 1 && py_dict_update(d, args[0], true) < 0)
        return -1;
    ssize_t nkw = kwnames ? ft_len(kwnames) : 0;
    for (ssize_t i = 0; i < nkw; i++)
        if (set_item(d, ft_tuple_get_borrow(kwnames, i), args[nargs + (size_t)i]) < 0)
            return -1;
    return 0;
}

static ft_object *dict_update(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    ft_object *d = unbox(self, "update");
    if (!d || update_args(d, "update", args, nargs, kwnames) < 0)
        return NULL;
    return ft_none();
}

METHOD(copy)
{
    (void)args;
    ARGS(NOARGS, "copy", 0, 0)
    ft_object *r = ft_dict_copy(d);
    return r ? r : py_err_from_ft();
}

METHOD(clear)
{
    (void)args;
    ARGS(NOARGS, "clear", 0, 0)
    return ft_dict_clear(d) < 0 ? py_err_from_ft() : ft_none();
}

METHOD(reversed)
{
    (void)args;
    ARGS(NOARGS, "__reversed__", 0, 0)
    return dict_iter_new(d, DK_KEYS, true);
}

/* dict.fromkeys(iterable, value=None): self is the class. */
static ft_object *dict_fromkeys(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    if (py_meth_clinic("dict", "fromkeys", nargs, kwnames, 1, 2) < 0)
        return NULL;
    ft_object *value = nargs == 2 ? args[1] : ft_none();
    ft_object *r = py_call0(self);
    if (!r)
        return NULL;
    ft_object *rd = r->ob_type == &ft_dict_type ? r : NULL;
    ft_object *it = py_iter(args[0]), *k;
    int rc = it ? 0 : -1;
    while (rc == 0 && (k = py_iter_next(it))) {
        rc = rd ? set_item(rd, k, value) : py_setitem(r, k, value);
        ft_decref(k);
    }
    ft_xdecref(it);
    if (rc < 0 || py_err_occurred()) {
        ft_decref(r);
        return NULL;
    }
    return r;
}

static const py_method_def dict_methods[] = {
    { "keys", dict_keys, PY_METH_DEFAULT },
    { "values", dict_values, PY_METH_DEFAULT },
    { "items", dict_items, PY_METH_DEFAULT },
    { "get", dict_get, PY_METH_DEFAULT },
    { "setdefault", dict_setdefault, PY_METH_DEFAULT },
    { "pop", dict_pop, PY_METH_DEFAULT },
    { "popitem", dict_popitem, PY_METH_DEFAULT },
    { "update", dict_update, PY_METH_DEFAULT },
    { "copy", dict_copy, PY_METH_DEFAULT },
    { "clear", dict_clear, PY_METH_DEFAULT },
    { "fromkeys", dict_fromkeys, PY_METH_CLASS },
    { "__reversed__", dict_reversed, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

/* ---- Slots ------------------------------------------------------------------------------------ */

static int repr_pair(py_strbuf *b, ft_object *k, ft_object *v, bool first)
{
    ft_object *kr = py_repr(k);
    ft_object *vr = kr ? py_repr(v) : NULL;
    int rc = vr && (first || py_strbuf_append(b, ", ", 2) == 0) &&
             py_strbuf_append_str(b, kr) == 0 && py_strbuf_append(b, ": ", 2) == 0 &&
             py_strbuf_append_str(b, vr) == 0 ? 0 : -1;
    ft_xdecref(kr);
    ft_xdecref(vr);
    return rc;
}

static ft_object *dict_repr(ft_object *o)
{
    ft_object *d = as_dict_or_null(o);
    if (!d)
        return py_err_format(py_exc_TypeError, "expected a dict");
    if (ft_len(d) == 0)
        return ft_str_from_utf8("{}", 2);
    int in = py_repr_enter(d);
    if (in != 0)
        return in < 0 ? NULL : ft_str_from_utf8("{...}", 5);
    py_strbuf b;
    py_strbuf_init(&b);
    int rc = py_enter_recursive_call(" while getting the repr of an object");
    bool entered = rc == 0;
    if (rc == 0)
        rc = py_strbuf_append(&b, "{", 1);
    ssize_t pos = 0;
    ft_object *k, *v;
    for (bool first = true; rc == 0 && ft_dict_next_ref(d, &pos, &k, &v) == 1;
         first = false) {
        rc = repr_pair(&b, k, v, first);
        ft_decref(k);
        ft_decref(v);
    }
    if (entered)
        py_leave_recursive_call();
    py_repr_leave(d);
    if (rc < 0 || py_strbuf_append(&b, "}", 1) < 0) {
        py_strbuf_free(&b);
        return NULL;
    }
    return py_strbuf_finish(&b);
}

static ssize_t dict_len(ft_object *o)
{
    ft_object *d = as_dict_or_null(o);
    return ft_len(d ? d : o);
}

/* a == b for two runtime dicts: 1, 0, -1. */
static int dict_equal(ft_object *a, ft_object *b)
{
    if (a == b)
        return 1;
    if (ft_len(a) != ft_len(b))
        return 0;
    ssize_t pos = 0;
    ft_object *k, *v;
    int eq = 1;
    while (eq == 1 && ft_dict_next_ref(a, &pos, &k, &v) == 1) {
        ft_object *bv;
        int found = ft_dict_lookup(b, k, &bv);
        if (found < 0)
            eq = py_err_from_ft_int();
        else if (!found)
            eq = 0;
        else {
            eq = py_richcompare_bool(v, bv, PY_EQ);
            ft_decref(bv);
        }
        ft_decref(k);
        ft_decref(v);
    }
    return eq;
}

static ft_object *dict_richcompare(ft_object *a, ft_object *b, int op)
{
    ft_object *da = as_dict_or_null(a), *db = as_dict_or_null(b);
    if (!da || !db || (op != PY_EQ && op != PY_NE))
        return py_notimplemented();
    int eq = dict_equal(da, db);
    if (eq < 0)
        return NULL;
    return ft_newref(ft_bool(op == PY_EQ ? eq : !eq));
}

static ft_object *dict_binop(ft_object *a, ft_object *b, int op)
{
    if ((op & ~PY_OP_INPLACE) != PY_OP_OR)
        return py_notimplemented();
    ft_object *da = as_dict_or_null(a), *db = as_dict_or_null(b);
    if (op & PY_OP_INPLACE) {   /* |= takes any mapping or pairs */
        if (!da)
            return py_notimplemented();
        return py_dict_update(da, b, true) < 0 ? NULL : ft_newref(a);
    }
    if (!da || !db)
        return py_notimplemented();
    ft_object *r = ft_dict_copy(da);
    if (!r)
        return py_err_from_ft();
    if (update_from_dict(r, db) < 0) {
        ft_decref(r);
        return NULL;
    }
    return r;
}

/* d[key]; for a subclass instance o, type(o).__missing__(o, key) when
 * the key is missing. */
static ft_object *dict_getitem(ft_object *o, ft_object *key)
{
    ft_object *d = as_dict_or_null(o), *v;
    int rc = ft_dict_lookup(d, key, &v);
    if (rc > 0)
        return v;
    if (rc < 0)
        return py_err_from_ft();
    if (o != d) {
        ft_object *missing = py_type_lookup_borrow(py_type_of(o), PY_ID(__missing__));
        if (missing) {
            ft_object *args[2] = { o, key };
            return py_vcall(missing, args, 2, NULL);
        }
    }
    return py_err_set_key(key);
}

static int dict_setitem(ft_object *o, ft_object *key, ft_object *v)
{
    ft_object *d = as_dict_or_null(o);
    if (v)
        return set_item(d, key, v);
    ft_object *old;
    int rc = ft_dict_pop(d, key, &old);
    if (rc < 0)
        return py_err_from_ft_int();
    if (rc == 0) {
        py_err_set_key(key);
        return -1;
    }
    ft_decref(old);
    return 0;
}

static int dict_contains(ft_object *o, ft_object *key)
{
    ft_object *v;
    int rc = ft_dict_lookup(as_dict_or_null(o), key, &v);
    if (rc < 0)
        return py_err_from_ft_int();
    ft_xdecref(v);
    return rc;
}

static ft_object *dict_tp_iter(ft_object *o)
{
    return dict_iter_new(as_dict_or_null(o), DK_KEYS, false);
}

static ft_object *dict_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)cls; (void)args; (void)nargs; (void)kwnames;   /* filled by __init__ */
    ft_object *d = ft_dict_new();
    return d ? d : py_err_from_ft();
}

static int dict_tp_init(ft_object *self, ft_object *const *args, size_t nargs,
                        ft_object *kwnames)
{
    ft_object *d = as_dict_or_null(self);
    if (!d)
        return py_err_format_int(py_exc_TypeError, "expected a dict");
    if (nargs > 1)
        return py_err_format_int(py_exc_TypeError, "dict expected at most 1 argument, "
                                 "got %zu", nargs);
    return update_args(d, "dict", args, nargs, kwnames);
}

py_type py_dict_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "dict",
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE | PY_TPFLAGS_DICT,
        .tp_hash = py_hash_unhashable, .tp_repr = dict_repr, .tp_len = dict_len,
    },
    .tp_binop = dict_binop,
    .tp_richcompare = dict_richcompare,
    .tp_getitem = dict_getitem,
    .tp_setitem = dict_setitem,
    .tp_contains = dict_contains,
    .tp_iter = dict_tp_iter,
    .tp_new = dict_tp_new,
    .tp_init = dict_tp_init,
    .tp_methods = dict_methods,
};
