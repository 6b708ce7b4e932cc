/* objects/set.c — set (the runtime's sets) and frozenset (ours), with
 * their shared algebra and iterator.
 *
 * A frozenset wraps a runtime set that is filled once at construction and
 * never changed afterwards, plus its hash (CPython's frozenset_hash:
 * shuffled entry hashes xor-ed, then the size and a final dispersion), so
 * every operation of either class works on a runtime set: inner(o).
 *
 * Results follow CPython: set | x is a set, frozenset | x a frozenset
 * (the left operand's kind; subclasses give their base class). The
 * in-place operators exist for set only; frozenset |= x rebinds.
 *
 * Operations that read another set take a snapshot (ft_set_as_tuple) and
 * work on it outside the lock; each add/discard is one locked runtime
 * call.
 */
#include "containers.h"
#include "str.h"
#include "typeobject.h"

typedef struct py_frozenset {
    ft_object ob_base;
    ft_object *set;              /* runtime set, never mutated once built  */
    int64_t hash;                /* -1: not computed yet                   */
} py_frozenset;

static py_frozenset *as_fs(ft_object *o) { return (py_frozenset *)o; }

/* The runtime set behind a set, frozenset or a subclass instance of
 * either; NULL (no exception) for anything else. */
static ft_object *inner(ft_object *o)
{
    if (o->ob_type == &ft_set_type)
        return o;
    if (o->ob_type == &py_frozenset_class.ft)
        return as_fs(o)->set;
    ft_object *b = py_unbox_borrow(o, &ft_set_type);
    if (b)
        return b;
    b = py_unbox_borrow(o, &py_frozenset_class.ft);
    return b ? as_fs(b)->set : NULL;
}

bool py_anyset_check(ft_object *o)
{
    return inner(o) != NULL;
}

static bool is_frozen(ft_object *o)
{
    return o->ob_type == &py_frozenset_class.ft ||
           (o->ob_type != &ft_set_type && py_unbox_borrow(o, &py_frozenset_class.ft));
}

static ft_object *new_set(void)
{
    ft_object *s = ft_set_new();
    return s ? s : py_err_from_ft();
}

static int add_key(ft_object *s, ft_object *k)
{
    return ft_set_add(s, k) < 0 ? py_err_from_ft_int() : 0;
}

static ft_object *snapshot(ft_object *s)
{
    ft_object *t = ft_set_as_tuple(s);
    return t ? t : py_err_from_ft();
}

/* A frozenset owning the runtime set s (stolen). */
static ft_object *frozen_steal(ft_object *s)
{
    if (!s)
        return NULL;
    py_frozenset *f = (py_frozenset *)ft_object_new(&py_frozenset_class.ft,
                                                    sizeof(py_frozenset));
    if (!f) {
        ft_decref(s);
        return py_err_from_ft();
    }
    f->set = s;
    f->hash = -1;
    return &f->ob_base;
}

/* ---- The algebra on runtime sets ------------------------------------------------ */

/* Adds each item of a tuple. */
static int add_tuple(ft_object *s, ft_object *t)
{
    for (ssize_t i = 0, n = ft_len(t); i < n; i++)
        if (add_key(s, ft_tuple_get_borrow(t, i)) < 0)
            return -1;
    return 0;
}

int py_set_update(ft_object *set, ft_object *iterable)
{
    ft_object *src = inner(iterable);
    if (src)
        return ft_set_merge(set, src) < 0 ? py_err_from_ft_int() : 0;
    if (iterable->ob_type == &ft_tuple_type)
        return add_tuple(set, iterable);
    ft_object *it = py_iter(iterable), *k;
    if (!it)
        return -1;
    int rc = 0;
    while (rc == 0 && (k = py_iter_next(it))) {
        rc = add_key(set, k);
        ft_decref(k);
    }
    ft_decref(it);
    return rc == 0 && py_err_occurred() ? -1 : rc;
}

/* A new runtime set of the items of any iterable. */
static ft_object *set_of(ft_object *iterable)
{
    ft_object *src = inner(iterable);
    if (src) {
        ft_object *c = ft_set_copy(src);
        return c ? c : py_err_from_ft();
    }
    ft_object *s = new_set();
    if (s && py_set_update(s, iterable) < 0) {
        ft_decref(s);
        return NULL;
    }
    return s;
}

/* A runtime set for `other`: borrowed inner set when it is one, else a
 * new one (*owned set). */
static ft_object *as_rset(ft_object *other, ft_object **owned)
{
    *owned = NULL;
    ft_object *s = inner(other);
    if (s)
        return s;
    return *owned = set_of(other);
}

static ft_object *rset_intersection(ft_object *a, ft_object *other)
{
    ft_object *owned, *b = as_rset(other, &owned);
    if (!b)
        return NULL;
    ft_object *small = ft_len(a) <= ft_len(b) ? a : b, *big = small == a ? b : a;
    ft_object *r = new_set(), *t = r ? snapshot(small) : NULL;
    int rc = t ? 0 : -1;
    for (ssize_t i = 0; rc == 0 && i < ft_len(t); i++) {
        ft_object *k = ft_tuple_get_borrow(t, i);
        int in = ft_set_contains(big, k);
        rc = in < 0 ? py_err_from_ft_int() : in ? add_key(r, k) : 0;
    }
    ft_xdecref(t);
    ft_xdecref(owned);
    if (rc < 0) {
        ft_xdecref(r);
        return NULL;
    }
    return r;
}

/* Discards each key of other from s (CPython's
 * set_difference_update_internal). */
static int discard_all(ft_object *s, ft_object *other)
{
    ft_object *owned, *b = as_rset(other, &owned);
    ft_object *t = b ? snapshot(b) : NULL;
    int rc = t ? 0 : -1;
    for (ssize_t j = 0; rc == 0 && j < ft_len(t); j++)
        if (ft_set_discard(s, ft_tuple_get_borrow(t, j)) < 0)
            rc = py_err_from_ft_int();
    ft_xdecref(t);
    ft_xdecref(owned);
    return rc;
}

/* A copy of a with other's keys discarded. */
static ft_object *copy_and_difference(ft_object *a, ft_object *other)
{
    ft_object *r = ft_set_copy(a);
    if (!r)
        return py_err_from_ft();
    if (discard_all(r, other) < 0) {
        ft_decref(r);
        return NULL;
    }
    return r;
}

/* CPython's set_difference: the keys of a not in the set b, added in a's
 * order (or copy-and-discard when b is much smaller or no set). */
static ft_object *rset_difference(ft_object *a, ft_object *other)
{
    ft_object *b = inner(other);
    if (!b || (ft_len(a) >> 2) > ft_len(b))
        return copy_and_difference(a, other);
    ft_object *r = new_set(), *t = r ? snapshot(a) : NULL;
    int rc = t ? 0 : -1;
    for (ssize_t i = 0; rc == 0 && i < ft_len(t); i++) {
        ft_object *k = ft_tuple_get_borrow(t, i);
        int in = ft_set_contains(b, k);
        rc = in < 0 ? py_err_from_ft_int() : in ? 0 : add_key(r, k);
    }
    ft_xdecref(t);
    if (rc < 0) {
        ft_xdecref(r);
        return NULL;
    }
    return r;
}

/* CPython's set_symmetric_difference: a copy of other, then each key of
 * a toggled in it. */
static ft_object *rset_symdiff(ft_object *a, ft_object *other)
{
    ft_object *r = set_of(other);
    ft_object *t = r ? snapshot(a) : NULL;
    int rc = t ? 0 : -1;
    for (ssize_t i = 0; rc == 0 && i < ft_len(t); i++) {
        ft_object *k = ft_tuple_get_borrow(t, i);
        int gone = ft_set_discard(r, k);
        if (gone == 0)
            gone = ft_set_add(r, k) < 0 ? -1 : 0;
        rc = gone < 0 ? py_err_from_ft_int() : 0;
    }
    ft_xdecref(t);
    if (rc < 0) {
        ft_xdecref(r);
        return NULL;
    }
    return r;
}

/* Is every key of a in b? 1, 0, -1. */
static int rset_subset(ft_object *a, ft_object *b)
{
    if (ft_len(a) > ft_len(b))
        return 0;
    ft_object *t = snapshot(a);
    if (!t)
        return -1;
    int ok = 1;
    for (ssize_t i = 0; ok == 1 && i < ft_len(t); i++)
        if ((ok = ft_set_contains(b, ft_tuple_get_borrow(t, i))) < 0)
            ok = py_err_from_ft_int();
    ft_decref(t);
    return ok;
}

/* Gives runtime set s the contents of r (stolen), as CPython's
 * set_swap_bodies. */
static int replace_contents(ft_object *s, ft_object *r)
{
    if (!r)
        return -1;
    int rc = ft_set_swap(s, r) < 0 ? py_err_from_ft_int() : 0;
    ft_decref(r);   /* now holds s's old keys */
    return rc;
}

/* CPython's set_symmetric_difference_update: each key of other (a set
 * made of it when it is none) toggled in s. */
static int symdiff_update(ft_object *s, ft_object *other)
{
    ft_object *owned, *b = as_rset(other, &owned);
    ft_object *t = b ? snapshot(b) : NULL;
    int rc = t ? 0 : -1;
    for (ssize_t i = 0; rc == 0 && i < ft_len(t); i++) {
        ft_object *k = ft_tuple_get_borrow(t, i);
        int gone = ft_set_discard(s, k);
        if (gone == 0)
            gone = ft_set_add(s, k) < 0 ? -1 : 0;
        rc = gone < 0 ? py_err_from_ft_int() : 0;
    }
    ft_xdecref(t);
    ft_xdecref(owned);
    return rc;
}

/* The result of an operation on self, as self's kind (set or frozenset). */
static ft_object *result_like(ft_object *self, ft_object *r)
{
    return r && is_frozen(self) ? frozen_steal(r) : r;
}

/* ---- Methods ------------------------------------------------------------------------ */

static ft_object *unbox(ft_object *self, const char *meth, bool mutable)
{
    ft_object *s = mutable ? (self->ob_type == &ft_set_type ? self
                              : py_unbox_borrow(self, &ft_set_type))
                           : inner(self);
    if (!s)
        py_err_format(py_exc_TypeError, "descriptor '%s' for '%s' objects doesn't "
                      "apply to a '%s' object", meth, mutable ? "set" : "frozenset",
                      py_type_name(self));
    return s;
}

/* The class whose method is called, for argument errors. */
static const char *set_cls_name(ft_object *self)
{
    return is_frozen(self) ? "frozenset" : "set";
}

#define METHOD(name) \
    static ft_object *set_##name(ft_object *self, ft_object *const *args, \
                                 size_t nargs, ft_object *kwnames)
/* kind: how CPython declares the method (NOARGS, O, KW_BARE), which
 * decides the words of its argument errors (str.h); the class named is
 * the one of self (set or frozenset). */
#define ARGS(kind, pyname, min, max, mutable)                           \
    ft_object *s = unbox(self, pyname, mutable);                        \
    if (!s || py_meth_args(PY_ARGK_##kind, set_cls_name(self), pyname,   \
                           nargs, kwnames, min, max) < 0)               \
        return NULL;

METHOD(add)
{
    ARGS(O, "add", 1, 1, true)
    return add_key(s, args[0]) < 0 ? NULL : ft_none();
}

METHOD(remove)
{
    ARGS(O, "remove", 1, 1, true)
    int rc = ft_set_discard(s, args[0]);
    if (rc < 0)
        return py_err_from_ft();
    return rc ? ft_none() : py_err_set_key(args[0]);
}

METHOD(discard)
{
    ARGS(O, "discard", 1, 1, true)
    return ft_set_discard(s, args[0]) < 0 ? py_err_from_ft() : ft_none();
}

METHOD(pop)
{
    (void)args;
    ARGS(NOARGS, "pop", 0, 0, true)
    ft_object *k = ft_set_pop(s);
    if (k)
        return k;
    ft_err_clear();
    return py_err_format(py_exc_KeyError, "pop from an empty set");
}

METHOD(clear)
{
    (void)args;
    ARGS(NOARGS, "clear", 0, 0, true)
    return ft_set_clear(s) < 0 ? py_err_from_ft() : ft_none();
}

METHOD(copy)
{
    (void)args;
    ARGS(NOARGS, "copy", 0, 0, false)
    if (self->ob_type == &py_frozenset_class.ft)
        return ft_newref(self);
    ft_object *c = ft_set_copy(s);
    return result_like(self, c ? c : py_err_from_ft());
}

METHOD(update)
{
    ARGS(KW_BARE, "update", 0, SIZE_MAX, true)
    for (size_t i = 0; i < nargs; i++)
        if (py_set_update(s, args[i]) < 0)
            return NULL;
    return ft_none();
}

METHOD(union)
{
    ARGS(KW_BARE, "union", 0, SIZE_MAX, false)
    ft_object *r = ft_set_copy(s);
    if (!r)
        return py_err_from_ft();
    for (size_t i = 0; i < nargs; i++) {
        if (py_set_update(r, args[i]) < 0) {
            ft_decref(r);
            return NULL;
        }
    }
    return result_like(self, r);
}

typedef ft_object *(*rset_op)(ft_object *a, ft_object *b);

/* a op args[0] op args[1] ... as a new runtime set. */
static ft_object *fold(ft_object *s, ft_object *const *args, size_t nargs, rset_op op)
{
    ft_object *r = ft_set_copy(s);
    if (!r)
        return py_err_from_ft();
    for (size_t i = 0; r && i < nargs; i++) {
        ft_object *next = op(r, args[i]);
        ft_decref(r);
        r = next;
    }
    return r;
}

METHOD(intersection)
{
    ARGS(KW_BARE, "intersection", 0, SIZE_MAX, false)
    return result_like(self, fold(s, args, nargs, rset_intersection));
}

METHOD(difference)
{
    ARGS(KW_BARE, "difference", 0, SIZE_MAX, false)
    ft_object *r = ft_set_copy(s);
    if (!r)
        return py_err_from_ft();
    for (size_t i = 0; i < nargs; i++) {
        if (discard_all(r, args[i]) < 0) {
            ft_decref(r);
            return NULL;
        }
    }
    return result_like(self, r);
}

METHOD(symmetric_difference)
{
    ARGS(O, "symmetric_difference", 1, 1, false)
    return result_like(self, rset_symdiff(s, args[0]));
}

METHOD(intersection_update)
{
    ARGS(KW_BARE, "intersection_update", 0, SIZE_MAX, true)
    return replace_contents(s, fold(s, args, nargs, rset_intersection)) < 0
         ? NULL : ft_none();
}

METHOD(difference_update)
{
    ARGS(KW_BARE, "difference_update", 0, SIZE_MAX, true)
    for (size_t i = 0; i < nargs; i++)
        if (discard_all(s, args[i]) < 0)
            return NULL;
    return ft_none();
}

METHOD(symmetric_difference_update)
{
    ARGS(O, "symmetric_difference_update", 1, 1, true)
    return symdiff_update(s, args[0]) < 0 ? NULL : ft_none();
}

METHOD(issubset)
{
    ARGS(O, "issubset", 1, 1, false)
    ft_object *owned, *b = as_rset(args[0], &owned);
    int r = b ? rset_subset(s, b) : -1;
    ft_xdecref(owned);
    return r < 0 ? NULL : ft_newref(ft_bool(r));
}

METHOD(issuperset)
{
    ARGS(O, "issuperset", 1, 1, false)
    ft_object *owned, *b = as_rset(args[0], &owned);
    int r = b ? rset_subset(b, s) : -1;
    ft_xdecref(owned);
    return r < 0 ? NULL : ft_newref(ft_bool(r));
}

METHOD(isdisjoint)
{
    ARGS(O, "isdisjoint", 1, 1, false)
    ft_object *r = rset_intersection(s, args[0]);
    if (!r)
        return NULL;
    bool empty = ft_len(r) == 0;
    ft_decref(r);
    return ft_newref(ft_bool(empty));
}

static const py_method_def set_methods[] = {
    { "add", set_add, PY_METH_DEFAULT },
    { "remove", set_remove, PY_METH_DEFAULT },
    { "discard", set_discard, PY_METH_DEFAULT },
    { "pop", set_pop, PY_METH_DEFAULT },
    { "clear", set_clear, PY_METH_DEFAULT },
    { "copy", set_copy, PY_METH_DEFAULT },
    { "update", set_update, PY_METH_DEFAULT },
    { "union", set_union, PY_METH_DEFAULT },
    { "intersection", set_intersection, PY_METH_DEFAULT },
    { "difference", set_difference, PY_METH_DEFAULT },
    { "symmetric_difference", set_symmetric_difference, PY_METH_DEFAULT },
    { "intersection_update", set_intersection_update, PY_METH_DEFAULT },
    { "difference_update", set_difference_update, PY_METH_DEFAULT },
    { "symmetric_difference_update", set_symmetric_difference_update, PY_METH_DEFAULT },
    { "issubset", set_issubset, PY_METH_DEFAULT },
    { "issuperset", set_issuperset, PY_METH_DEFAULT },
    { "isdisjoint", set_isdisjoint, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

static const py_method_def frozenset_methods[] = {
    { "copy", set_copy, PY_METH_DEFAULT },
    { "union", set_union, PY_METH_DEFAULT },
    { "intersection", set_intersection, PY_METH_DEFAULT },
    { "difference", set_difference, PY_METH_DEFAULT },
    { "symmetric_difference", set_symmetric_difference, PY_METH_DEFAULT },
    { "issubset", set_issubset, PY_METH_DEFAULT },
    { "issuperset", set_issuperset, PY_METH_DEFAULT },
    { "isdisjoint", set_isdisjoint, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

/* ---- The iterator ------------------------------------------------------------------- */

typedef struct set_iter {
    ft_object ob_base;
    ft_object *set;              /* runtime set; NULL once exhausted        */
    ssize_t pos, len;            /* len: size at the start, -1 after a change */
} set_iter;

static set_iter *as_siter(ft_object *o) { return (set_iter *)o; }

static int siter_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    return as_siter(o)->set ? visit(as_siter(o)->set, arg) : 0;
}

static int siter_clear(ft_object *o)
{
    ft_object *s = as_siter(o)->set;
    as_siter(o)->set = NULL;
    ft_xdecref(s);
    return 0;
}

static void siter_dealloc(ft_object *o)
{
    siter_clear(o);
    ft_object_free(o);
}

static ft_object *siter_next(ft_object *o)
{
    set_iter *it = as_siter(o);
    if (!it->set)
        return NULL;
    if (ft_len(it->set) != it->len) {
        it->len = -1;
        return py_err_format(py_exc_RuntimeError, "Set changed size during iteration");
    }
    ft_object *k;
    if (ft_set_next(it->set, &it->pos, &k) == 1)
        return k;
    siter_clear(o);
    return NULL;
}

py_type py_set_iter_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "set_iterator", .tp_basicsize = sizeof(set_iter),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = siter_dealloc, .tp_traverse = siter_traverse,
        .tp_clear = siter_clear,
    },
    .tp_iter = py_iter_self, .tp_iternext = siter_next,
};

static ft_object *set_tp_iter(ft_object *o)
{
    set_iter *it = (set_iter *)ft_object_new(&py_set_iter_class.ft, sizeof(set_iter));
    if (!it)
        return py_err_from_ft();
    it->set = ft_newref(inner(o));
    it->pos = 0;
    it->len = ft_len(it->set);
    return &it->ob_base;
}

/* ---- Slots -------------------------------------------------------------------------- */

static ft_object *set_repr(ft_object *o)
{
    ft_object *s = inner(o);
    const char *name = py_type_name(o);
    bool plain = o->ob_type == &ft_set_type;
    if (ft_len(s) == 0)
        return py_str_from_format("%s()", name);
    int in = py_repr_enter(o);
    if (in != 0)
        return in < 0 ? NULL : py_str_from_format("%s(...)", name);
    ft_object *t = snapshot(s), *r = NULL;
    if (t) {
        ft_object *body = py_items_repr(t, "{", "}", false);
        if (body && plain)
            r = ft_newref(body);
        else if (body)
            r = py_str_from_format("%s(%s)", name, ft_str_utf8_borrow(body, NULL));
        ft_xdecref(body);
        ft_decref(t);
    }
    py_repr_leave(o);
    return r;
}

static ssize_t set_len(ft_object *o)
{
    ft_object *s = inner(o);
    return s ? ft_len(s) : 0;
}

static int set_contains(ft_object *o, ft_object *k)
{
    int rc = ft_set_contains(inner(o), k);
    return rc < 0 ? py_err_from_ft_int() : rc;
}

static ft_object *set_richcompare(ft_object *a, ft_object *b, int op)
{
    ft_object *sa = inner(a), *sb = inner(b);
    if (!sa || !sb)
        return py_notimplemented();
    ssize_t na = ft_len(sa), nb = ft_len(sb);
    int r;
    switch (op) {
    case PY_EQ: r = na == nb ? rset_subset(sa, sb) : 0; break;
    case PY_NE: r = na == nb ? rset_subset(sa, sb) : 0; r = r < 0 ? r : !r; break;
    case PY_LE: r = rset_subset(sa, sb); break;
    case PY_LT: r = na < nb ? rset_subset(sa, sb) : 0; break;
    case PY_GE: r = rset_subset(sb, sa); break;
    default:    r = na > nb ? rset_subset(sb, sa) : 0; break;
    }
    return r < 0 ? NULL : ft_newref(ft_bool(r));
}

static ft_object *set_binop(ft_object *a, ft_object *b, int op)
{
    ft_object *sa = inner(a), *sb = inner(b);
    if (!sa || !sb)
        return py_notimplemented();
    bool inplace = (op & PY_OP_INPLACE) && !is_frozen(a);
    ft_object *r;
    switch (op & ~PY_OP_INPLACE) {
    case PY_OP_OR:
        if (inplace)
            return py_set_update(sa, sb) < 0 ? NULL : ft_newref(a);
        r = ft_set_copy(sa);
        if (!r)
            return py_err_from_ft();
        if (py_set_update(r, sb) < 0) {
            ft_decref(r);
            return NULL;
        }
        break;
    case PY_OP_AND: r = rset_intersection(sa, sb); break;
    case PY_OP_SUB:
        if (inplace)
            return discard_all(sa, sb) < 0 ? NULL : ft_newref(a);
        r = rset_difference(sa, sb);
        break;
    case PY_OP_XOR:
        if (inplace)
            return symdiff_update(sa, sb) < 0 ? NULL : ft_newref(a);
        r = rset_symdiff(sa, sb);
        break;
    default:
        return py_notimplemented();
    }
    if (inplace)
        return replace_contents(sa, r) < 0 ? NULL : ft_newref(a);
    return result_like(a, r);
}

static ft_object *set_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)cls; (void)args; (void)nargs; (void)kwnames;   /* filled by __init__ */
    return new_set();
}

static int set_tp_init(ft_object *self, ft_object *const *args, size_t nargs,
                       ft_object *kwnames)
{
    ft_object *s = self->ob_type == &ft_set_type ? self
                 : py_unbox_borrow(self, &ft_set_type);
    if (!s)
        return py_err_format_int(py_exc_TypeError, "expected a set");
    if (py_no_kwargs("set", kwnames) < 0 || py_check_nargs("set", nargs, 0, 1) < 0)
        return -1;
    if (ft_len(s) && ft_set_clear(s) < 0)
        return py_err_from_ft_int();
    return nargs ? py_set_update(s, args[0]) : 0;
}

py_type py_set_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "set",
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE,
        .tp_hash = py_hash_unhashable, .tp_repr = set_repr, .tp_len = set_len,
    },
    .tp_binop = set_binop,
    .tp_richcompare = set_richcompare,
    .tp_contains = set_contains,
    .tp_iter = set_tp_iter,
    .tp_new = set_tp_new,
    .tp_init = set_tp_init,
    .tp_methods = set_methods,
};

/* ---- frozenset ---------------------------------------------------------------------- */

ft_object *py_frozenset_new(ft_object *iterable)
{
    if (iterable && iterable->ob_type == &py_frozenset_class.ft)
        return ft_newref(iterable);
    return frozen_steal(iterable ? set_of(iterable) : new_set());
}

static uint64_t shuffle_bits(uint64_t h)
{
    return ((h ^ 89869747ULL) ^ (h << 16)) * 3644798167ULL;
}

/* CPython's frozenset_hash, over the keys' hashes. */
static int64_t frozenset_hash(ft_object *o)
{
    ft_object *fo = o->ob_type == &py_frozenset_class.ft ? o
                  : py_unbox_borrow(o, &py_frozenset_class.ft);
    py_frozenset *f = as_fs(fo);
    if (f->hash != -1)
        return f->hash;
    ft_object *t = snapshot(f->set);
    if (!t)
        return -1;
    uint64_t h = 0;
    for (ssize_t i = 0; i < ft_len(t); i++) {
        int64_t kh = ft_hash(ft_tuple_get_borrow(t, i));
        if (kh == -1) {
            ft_decref(t);
            py_err_from_ft();
            return -1;
        }
        h ^= shuffle_bits((uint64_t)kh);
    }
    h ^= ((uint64_t)ft_len(t) + 1) * 1927868237ULL;
    h ^= (h >> 11) ^ (h >> 25);
    h = h * 69069U + 907133923ULL;
    if (h == (uint64_t)-1)
        h = 590923713ULL;
    ft_decref(t);
    f->hash = (int64_t)h;   /* racing threads store the same value */
    return f->hash;
}

/* The runtime-level equality (dict and set keys): 1, 0, -1. */
static int frozenset_eq(ft_object *a, ft_object *b)
{
    ft_object *sa = inner(a), *sb = inner(b);
    if (!sa || !sb || ft_len(sa) != ft_len(sb))
        return 0;
    return rset_subset(sa, sb);
}

static int frozenset_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    return as_fs(o)->set ? visit(as_fs(o)->set, arg) : 0;
}

static int frozenset_clear(ft_object *o)
{
    ft_object *s = as_fs(o)->set;
    as_fs(o)->set = NULL;
    ft_xdecref(s);
    return 0;
}

static void frozenset_dealloc(ft_object *o)
{
    frozenset_clear(o);
    ft_object_free(o);
}

static ft_object *frozenset_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)cls;
    if (py_no_kwargs("frozenset", kwnames) < 0 ||
        py_check_nargs("frozenset", nargs, 0, 1) < 0)
        return NULL;
    return py_frozenset_new(nargs ? args[0] : NULL);
}

static int frozenset_tp_init(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;   /* done by __new__ */
    return 0;
}

py_type py_frozenset_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "frozenset", .tp_basicsize = sizeof(py_frozenset),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE,
        .tp_dealloc = frozenset_dealloc, .tp_traverse = frozenset_traverse,
        .tp_clear = frozenset_clear, .tp_hash = frozenset_hash,
        .tp_eq = frozenset_eq, .tp_repr = set_repr, .tp_len = set_len,
    },
    .tp_binop = set_binop,
    .tp_richcompare = set_richcompare,
    .tp_contains = set_contains,
    .tp_iter = set_tp_iter,
    .tp_new = frozenset_tp_new,
    .tp_init = frozenset_tp_init,
    .tp_methods = frozenset_methods,
};
