/* objects/list.c — the list class over the runtime's lists.
 *
 * Every mutation is a single runtime call that locks the list
 * (ft_list_set_slice, ft_list_insert, ft_list_pop ...); reads take one
 * item at a time with a new reference (ft_list_get, lock-free in nogil) or
 * a snapshot (ft_list_as_tuple). Comparisons, key functions and reprs run
 * on those, never under the list's lock, so a Python __eq__ that mutates
 * the list cannot corrupt it (the results are then as unspecified as in
 * CPython, but memory-safe).
 *
 * sort is a stable merge sort (insertion sort below 16 items) over the
 * items taken out of the list (ft_list_take_items): during the sort the
 * list is empty, as in CPython, and a change made meanwhile is reported
 * as ValueError "list modified during sort". Keys that are all exact ints,
 * floats or strs are compared directly, without the rich-compare protocol.
 */
#include <string.h>
#include "containers.h"
#include "int.h"
#include "str.h"
#include "typeobject.h"

/* ---- Shared sequence helpers ------------------------------------------------------ */

int64_t py_hash_unhashable(ft_object *o)
{
    py_err_format(py_exc_TypeError, "unhashable type: '%s'", py_type_name(o));
    return -1;
}

int py_seq_index_key(ft_object *key, ssize_t *i)
{
    if (key->ob_type == &ft_int_type) {
        *i = (ssize_t)ft_int_as_i64(key);
        return 1;
    }
    ft_object *idx;
    if (py_long_check(key))
        idx = ft_newref(key);
    else if (py_type_lookup_borrow(py_type_of(key), PY_ID(__index__)))
        idx = py_number_index(key);
    else
        return 0;
    if (!idx)
        return -1;
    int64_t v;
    int rc = py_long_as_i64(idx, &v);
    ft_decref(idx);
    if (rc < 0) {
        if (py_err_matches(py_exc_OverflowError)) {
            py_err_clear();
            py_err_format(py_exc_IndexError, "cannot fit '%s' into an index-sized "
                          "integer", py_type_name(key));
        }
        return -1;
    }
    *i = (ssize_t)v;
    return 1;
}

ft_object **py_tuple_items(ft_object *t, ft_object **buf, ssize_t nbuf)
{
    ssize_t n = ft_len(t);
    ft_object **items = buf;
    if (n > nbuf && !(items = ft_malloc((size_t)n * sizeof *items))) {
        py_err_from_ft();
        return NULL;
    }
    for (ssize_t i = 0; i < n; i++)
        items[i] = ft_tuple_get_borrow(t, i);
    return items;
}

void py_items_free(ft_object **items, ft_object **buf)
{
    if (items != buf)
        ft_free(items);
}

/* CPython's list_richcompare / tuplerichcompare on two tuples. */
ft_object *py_tuple_items_richcompare(ft_object *a, ft_object *b, int op)
{
    ssize_t na = ft_len(a), nb = ft_len(b), i;
    if (na != nb && (op == PY_EQ || op == PY_NE))
        return ft_newref(ft_bool(op == PY_NE));
    for (i = 0; i < na && i < nb; i++) {
        int eq = py_richcompare_bool(ft_tuple_get_borrow(a, i),
                                     ft_tuple_get_borrow(b, i), PY_EQ);
        if (eq < 0)
            return NULL;
        if (!eq)
            break;
    }
    if (i >= na || i >= nb) {
        bool r;
        switch (op) {
        case PY_LT: r = na < nb; break;
        case PY_LE: r = na <= nb; break;
        case PY_EQ: r = na == nb; break;
        case PY_NE: r = na != nb; break;
        case PY_GT: r = na > nb; break;
        default:    r = na >= nb; break;
        }
        return ft_newref(ft_bool(r));
    }
    if (op == PY_EQ)
        return ft_newref(ft_false());
    if (op == PY_NE)
        return ft_newref(ft_true());
    return py_richcompare(ft_tuple_get_borrow(a, i), ft_tuple_get_borrow(b, i), op);
}

ft_object *py_items_repr(ft_object *t, const char *open, const char *close,
                         bool one_comma)
{
    py_strbuf b;
    py_strbuf_init(&b);
    ssize_t n = ft_len(t);
    int rc = py_strbuf_append_cstr(&b, open);
    bool entered = false;
    if (rc == 0 && n > 0)
        entered = (rc = py_enter_recursive_call(" while getting the repr of an "
                                                "object")) == 0;
    for (ssize_t i = 0; rc == 0 && i < n; i++) {
        ft_object *r = py_repr(ft_tuple_get_borrow(t, i));
        if (!r || (i > 0 && py_strbuf_append(&b, ", ", 2) < 0) ||
            py_strbuf_append_str(&b, r) < 0)
            rc = -1;
        ft_xdecref(r);
    }
    if (entered)
        py_leave_recursive_call();
    if (rc == 0 && one_comma && n == 1)
        rc = py_strbuf_append(&b, ",", 1);
    if (rc == 0)
        rc = py_strbuf_append_cstr(&b, close);
    if (rc < 0) {
        py_strbuf_free(&b);
        return NULL;
    }
    return py_strbuf_finish(&b);
}

/* ---- repr recursion guard ------------------------------------------------------------ */

enum { REPR_STACK = 64 };
static _Thread_local ft_object *repr_stack[REPR_STACK];
static _Thread_local int repr_depth;

int py_repr_enter(ft_object *o)
{
    int n = repr_depth < REPR_STACK ? repr_depth : REPR_STACK;
    for (int i = 0; i < n; i++)
        if (repr_stack[i] == o)
            return 1;
    if (repr_depth < REPR_STACK)
        repr_stack[repr_depth] = o;
    repr_depth++;   /* deeper than the stack: recursion is caught by depth */
    return 0;
}

void py_repr_leave(ft_object *o)
{
    (void)o;
    if (repr_depth > 0)
        repr_depth--;
}

/* ---- Helpers ----------------------------------------------------------------------- */

/* self as a runtime list, or NULL with TypeError. */
static ft_object *unbox(ft_object *self, const char *meth)
{
    if (py_likely(self->ob_type == &ft_list_type))
        return self;
    ft_object *l = py_unbox_borrow(self, &ft_list_type);
    if (!l)
        py_err_format(py_exc_TypeError, "descriptor '%s' for 'list' objects doesn't "
                      "apply to a '%s' object", meth, py_type_name(self));
    return l;
}

static ft_object *as_list_or_null(ft_object *o)
{
    return o->ob_type == &ft_list_type ? o : py_unbox_borrow(o, &ft_list_type);
}

/* Item i, a new reference, or NULL (no exception) past the end: the list
 * may shrink between the length check and the read. */
static ft_object *item_or_null(ft_object *l, ssize_t i)
{
    if (i >= ft_len(l))
        return NULL;
    ft_object *v = ft_list_get(l, i);
    if (!v)
        ft_err_clear();
    return v;
}

static ft_object *snapshot(ft_object *l)
{
    ft_object *t = ft_list_as_tuple(l);
    return t ? t : py_err_from_ft();
}

/* Stores the items of tuple t at [lo, hi) of l: 0 / -1. */
static int set_slice_from_tuple(ft_object *l, ssize_t lo, ssize_t hi, ft_object *t)
{
    ft_object *buf[16];
    ft_object **items = py_tuple_items(t, buf, 16);
    if (!items)
        return -1;
    int rc = ft_list_set_slice(l, lo, hi, items, ft_len(t));
    py_items_free(items, buf);
    return rc < 0 ? py_err_from_ft_int() : 0;
}


int py_list_extend(ft_object *list, ft_object *iterable)
{
    ft_object *src = as_list_or_null(iterable);
    ft_object *t = src ? snapshot(src)
                 : iterable->ob_type == &ft_tuple_type ? ft_newref(iterable)
                 : py_tuple_from_iterable(iterable);
    if (!t)
        return -1;
    int rc = set_slice_from_tuple(list, SSIZE_MAX, SSIZE_MAX, t);
    ft_decref(t);
    return rc;
}

ft_object *py_list_from_iterable(ft_object *iterable)
{
    ft_object *l = ft_list_new(0);
    if (!l)
        return py_err_from_ft();
    if (iterable && py_list_extend(l, iterable) < 0) {
        ft_decref(l);
        return NULL;
    }
    return l;
}


/* ---- Sorting -------------------------------------------------------------------- */

typedef struct sort_item {
    ft_object *key, *value;
} sort_item;

enum sort_kind { SORT_GENERIC, SORT_INT, SORT_FLOAT, SORT_STR };

static enum sort_kind sort_kind_of(sort_item *a, ssize_t n)
{
    if (n == 0)
        return SORT_GENERIC;
    ft_type *t = a[0].key->ob_type;
    for (ssize_t i = 1; i < n; i++)
        if (a[i].key->ob_type != t)
            return SORT_GENERIC;
    return t == &ft_int_type ? SORT_INT : t == &ft_float_type ? SORT_FLOAT
         : t == &ft_str_type ? SORT_STR : SORT_GENERIC;
}

static int str_lt(ft_object *a, ft_object *b)
{
    ssize_t na, nb;
    const char *sa = ft_str_utf8_borrow(a, &na), *sb = ft_str_utf8_borrow(b, &nb);
    int c = memcmp(sa, sb, (size_t)(na < nb ? na : nb));
    return c < 0 || (c == 0 && na < nb);
}

/* a < b: 1, 0, -1 with an exception. */
static int sort_lt(enum sort_kind kind, ft_object *a, ft_object *b)
{
    switch (kind) {
    case SORT_INT:   return ft_int_as_i64(a) < ft_int_as_i64(b);
    case SORT_FLOAT: return ft_float_as_double(a) < ft_float_as_double(b);
    case SORT_STR:   return str_lt(a, b);
    default:         return py_richcompare_bool(a, b, PY_LT);
    }
}

static int insertion_sort(enum sort_kind kind, sort_item *a, ssize_t n)
{
    for (ssize_t i = 1; i < n; i++) {
        sort_item x = a[i];
        ssize_t j = i;
        while (j > 0) {
            int r = sort_lt(kind, x.key, a[j - 1].key);
            if (r < 0) {
                a[j] = x;   /* keep a permutation of the items */
                return -1;
            }
            if (!r)
                break;
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
    return 0;
}

/* Stable: an item of the right half goes first only when strictly less. */
static int merge_sort(enum sort_kind kind, sort_item *a, sort_item *tmp, ssize_t n)
{
    if (n <= 16)
        return insertion_sort(kind, a, n);
    ssize_t h = n / 2;
    if (merge_sort(kind, a, tmp, h) < 0 || merge_sort(kind, a + h, tmp, n - h) < 0)
        return -1;
    int r = sort_lt(kind, a[h].key, a[h - 1].key);
    if (r <= 0)
        return r;   /* already in order, or an error */
    memcpy(tmp, a, (size_t)h * sizeof *a);
    ssize_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        r = sort_lt(kind, a[j].key, tmp[i].key);
        if (r < 0) {   /* put the rest of the left half back: a permutation */
            memcpy(a + k, tmp + i, (size_t)(h - i) * sizeof *a);
            return -1;
        }
        a[k++] = r ? a[j++] : tmp[i++];
    }
    while (i < h)
        a[k++] = tmp[i++];
    return 0;
}

static void reverse_items(sort_item *a, ssize_t n)
{
    for (ssize_t i = 0, j = n - 1; i < j; i++, j--) {
        sort_item t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* Computes the keys (or uses the values), sorts, keeps the result in a. */
static int sort_items(sort_item *a, ssize_t n, ft_object *key, bool reverse)
{
    ssize_t nkeys = 0;
    int rc = 0;
    for (; key && nkeys < n; nkeys++) {
        if (!(a[nkeys].key = py_call1(key, a[nkeys].value))) {
            rc = -1;
            break;
        }
    }
    sort_item *tmp = NULL;
    if (rc == 0 && n > 16 && !(tmp = ft_malloc((size_t)(n / 2 + 1) * sizeof *tmp))) {
        py_err_from_ft();
        rc = -1;
    }
    if (rc == 0) {
        if (reverse)   /* reverse, sort, reverse: stable for equal keys */
            reverse_items(a, n);
        rc = merge_sort(sort_kind_of(a, n), a, tmp, n);
        if (reverse)
            reverse_items(a, n);
    }
    ft_free(tmp);
    for (ssize_t i = 0; key && i < nkeys; i++)
        ft_decref(a[i].key);
    return rc;
}

int py_list_sort(ft_object *list, ft_object *key, bool reverse)
{
    if (key == ft_none())
        key = NULL;
    ft_object **items;
    ssize_t n;
    if (ft_list_take_items(list, &items, &n) < 0)
        return py_err_from_ft_int();
    sort_item *a = n ? ft_malloc((size_t)n * sizeof *a) : NULL;
    int rc = 0;
    if (n && !a) {
        py_err_from_ft();
        rc = -1;
    } else {
        for (ssize_t i = 0; i < n; i++)
            a[i] = (sort_item){ items[i], items[i] };
        rc = sort_items(a, n, key, reverse);
        for (ssize_t i = 0; i < n; i++)
            items[i] = a[i].value;
        ft_free(a);
    }
    int put = ft_list_put_items_steal(list, items, n);
    if (put < 0)
        return rc < 0 ? -1 : py_err_from_ft_int();
    if (put == 1 && rc == 0)
        return py_err_format_int(py_exc_ValueError, "list modified during sort");
    return rc;
}

/* ---- Methods ---------------------------------------------------------------------------- */

#define METHOD(name) \
    static ft_object *list_##name(ft_object *self, ft_object *const *args, \
                                  size_t nargs, ft_object *kwnames)
/* kind: how CPython declares the method (NOARGS, O, CLINIC), which
 * decides the words of its argument errors (str.h). */
#define ARGS(kind, pyname, min, max)                                    \
    ft_object *l = unbox(self, pyname);                                 \
    if (!l || py_meth_args(PY_ARGK_##kind, "list", pyname, nargs, kwnames, \
                           min, max) < 0)                               \
        return NULL;

METHOD(append)
{
    ARGS(O, "append", 1, 1)
    return ft_list_append(l, args[0]) < 0 ? py_err_from_ft() : ft_none();
}

METHOD(extend)
{
    ARGS(O, "extend", 1, 1)
    return py_list_extend(l, args[0]) < 0 ? NULL : ft_none();
}

METHOD(insert)
{
    ARGS(CLINIC, "insert", 2, 2)
    ssize_t i;
    if (py_index_ssize(args[0], &i) < 0)
        return NULL;
    return ft_list_insert(l, i, args[1]) < 0 ? py_err_from_ft() : ft_none();
}

METHOD(pop)
{
    ARGS(CLINIC, "pop", 0, 1)
    ssize_t i = -1;
    if (nargs == 1 && py_index_ssize(args[0], &i) < 0)
        return NULL;
    ft_object *v = ft_list_pop(l, i);
    return v ? v : py_err_from_ft();
}

/* The first index in [start, stop) whose item equals v, -1 when none,
 * -2 on error. */
static ssize_t find_item(ft_object *l, ft_object *v, ssize_t start, ssize_t stop)
{
    for (ssize_t i = start; i < stop; i++) {
        ft_object *x = item_or_null(l, i);
        if (!x)
            break;
        int eq = py_richcompare_bool(x, v, PY_EQ);
        ft_decref(x);
        if (eq < 0)
            return -2;
        if (eq)
            return i;
    }
    return -1;
}

METHOD(remove)
{
    ARGS(O, "remove", 1, 1)
    ssize_t i = find_item(l, args[0], 0, SSIZE_MAX);
    if (i == -2)
        return NULL;
    if (i == -1)
        return py_err_format(py_exc_ValueError, "list.remove(x): x not in list");
    return ft_list_set_slice(l, i, i + 1, NULL, 0) < 0 ? py_err_from_ft() : ft_none();
}

/* Resolves an optional start/stop argument of index() against len. */
static int bound_arg(ft_object *const *args, size_t nargs, size_t at, ssize_t len,
                     ssize_t dflt, ssize_t *out)
{
    *out = dflt;
    if (nargs <= at)
        return 0;
    if (py_index_ssize(args[at], out) < 0)
        return -1;
    if (*out < 0 && (*out += len) < 0)
        *out = 0;
    return 0;
}

METHOD(index)
{
    ARGS(CLINIC, "index", 1, 3)
    ssize_t len = ft_len(l), start, stop;
    if (bound_arg(args, nargs, 1, len, 0, &start) < 0 ||
        bound_arg(args, nargs, 2, len, SSIZE_MAX, &stop) < 0)
        return NULL;
    ssize_t i = find_item(l, args[0], start, stop);
    if (i == -2)
        return NULL;
    if (i >= 0)
        return ft_int_from_i64(i);
    ft_object *r = py_repr(args[0]);
    if (!r)
        return NULL;
    py_err_format(py_exc_ValueError, "%s is not in list", ft_str_utf8_borrow(r, NULL));
    ft_decref(r);
    return NULL;
}

METHOD(count)
{
    ARGS(O, "count", 1, 1)
    int64_t n = 0;
    for (ssize_t i = 0;; i++) {
        ft_object *x = item_or_null(l, i);
        if (!x)
            break;
        int eq = py_richcompare_bool(x, args[0], PY_EQ);
        ft_decref(x);
        if (eq < 0)
            return NULL;
        n += eq;
    }
    return ft_int_from_i64(n);
}

METHOD(clear)
{
    (void)args;
    ARGS(NOARGS, "clear", 0, 0)
    return ft_list_clear(l) < 0 ? py_err_from_ft() : ft_none();
}

METHOD(copy)
{
    (void)args;
    ARGS(NOARGS, "copy", 0, 0)
    ft_object *r = ft_list_slice(l, 0, 1, ft_len(l));
    return r ? r : py_err_from_ft();
}

METHOD(reverse)
{
    (void)args;
    ARGS(NOARGS, "reverse", 0, 0)
    return ft_list_reverse(l) < 0 ? py_err_from_ft() : ft_none();
}

static ft_object *list_sort(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    ft_object *l = unbox(self, "sort"), *out[2] = { NULL, NULL };
    if (!l || ((nargs || py_has_kwargs(kwnames)) &&
               py_bind_args("sort", args, nargs, kwnames, "*,|,key,reverse", out) < 0))
        return NULL;
    int rev = 0;
    if (out[1] && (rev = py_is_true(out[1])) < 0)
        return NULL;
    return py_list_sort(l, out[0], rev) < 0 ? NULL : ft_none();
}


METHOD(reversed)
{
    (void)args;
    ARGS(NOARGS, "__reversed__", 0, 0)
    return py_list_reviter_new(l);
}

static const py_method_def list_methods[] = {
    { "append", list_append, PY_METH_DEFAULT },
    { "extend", list_extend, PY_METH_DEFAULT },
    { "insert", list_insert, PY_METH_DEFAULT },
    { "pop", list_pop, PY_METH_DEFAULT },
    { "remove", list_remove, PY_METH_DEFAULT },
    { "index", list_index, PY_METH_DEFAULT },
    { "count", list_count, PY_METH_DEFAULT },
    { "clear", list_clear, PY_METH_DEFAULT },
    { "copy", list_copy, PY_METH_DEFAULT },
    { "reverse", list_reverse, PY_METH_DEFAULT },
    { "sort", list_sort, PY_METH_DEFAULT },
    { "__reversed__", list_reversed, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

/* ---- Slots --------------------------------------------------------------------------- */

static ft_object *list_repr(ft_object *o)
{
    ft_object *l = as_list_or_null(o);
    if (!l)
        return py_err_format(py_exc_TypeError, "expected a list");
    if (ft_len(l) == 0)
        return ft_str_from_utf8("[]", 2);
    int in = py_repr_enter(l);
    if (in != 0)
        return in < 0 ? NULL : ft_str_from_utf8("[...]", 5);
    ft_object *t = snapshot(l);
    ft_object *r = t ? py_items_repr(t, "[", "]", false) : NULL;
    ft_xdecref(t);
    py_repr_leave(l);
    return r;
}

static ssize_t list_len(ft_object *o)
{
    ft_object *l = as_list_or_null(o);
    return l ? ft_len(l) : ft_len(o);
}

static ft_object *list_richcompare(ft_object *a, ft_object *b, int op)
{
    ft_object *la = as_list_or_null(a), *lb = as_list_or_null(b);
    if (!la || !lb)
        return py_notimplemented();
    if ((op == PY_EQ || op == PY_NE) && ft_len(la) != ft_len(lb))
        return ft_newref(ft_bool(op == PY_NE));
    ft_object *ta = snapshot(la), *tb = ta ? snapshot(lb) : NULL;
    ft_object *r = tb ? py_tuple_items_richcompare(ta, tb, op) : NULL;
    ft_xdecref(ta);
    ft_xdecref(tb);
    return r;
}

/* Can o be a repeat count (an int or has __index__)? */
static bool is_index_like(ft_object *o)
{
    return py_long_check(o) || py_type_lookup_borrow(py_type_of(o), PY_ID(__index__));
}

/* A new list of the items of t repeated n times. */
static ft_object *repeat_tuple(ft_object *t, ssize_t n)
{
    ssize_t len = ft_len(t);
    if (n < 0 || len == 0)
        n = 0;
    if (len && n > SSIZE_MAX / len / 8)
        return py_err_nomemory();
    /* The whole array at once, as CPython: an impossible size is a
     * MemoryError now, not after filling the machine's memory. */
    ft_object *r = ft_list_new(len * n);
    if (!r)
        return py_err_from_ft();
    ft_object *buf[16];
    ft_object **items = len ? py_tuple_items(t, buf, 16) : buf;
    for (ssize_t i = 0, k = 0; items && i < n; i++) {
        for (ssize_t j = 0; j < len; j++, k++) {
            if (ft_list_set(r, k, items[j]) < 0) {
                py_err_from_ft();
                py_items_free(items, buf);
                ft_decref(r);
                return NULL;
            }
        }
    }
    if (!items) {
        ft_decref(r);
        return NULL;
    }
    py_items_free(items, buf);
    return r;
}

static ft_object *list_repeat(ft_object *l, ft_object *count)
{
    ssize_t n;
    if (py_index_ssize(count, &n) < 0)
        return NULL;
    ft_object *t = snapshot(l);
    ft_object *r = t ? repeat_tuple(t, n) : NULL;
    ft_xdecref(t);
    return r;
}

static ft_object *seq_mul_error(ft_object *other)
{
    return py_err_format(py_exc_TypeError, "can't multiply sequence by non-int of "
                         "type '%s'", py_type_name(other));
}

static ft_object *list_concat(ft_object *la, ft_object *b)
{
    ft_object *lb = as_list_or_null(b);
    if (!lb) {
        if (py_type_is_heap(py_type_of(b)))
            return py_notimplemented();   /* b.__radd__ may apply */
        return py_err_format(py_exc_TypeError, "can only concatenate list (not \"%s\") "
                             "to list", py_type_name(b));
    }
    ft_object *r = ft_list_slice(la, 0, 1, ft_len(la));
    if (!r)
        return py_err_from_ft();
    if (py_list_extend(r, lb) < 0) {
        ft_decref(r);
        return NULL;
    }
    return r;
}

static ft_object *list_binop(ft_object *a, ft_object *b, int op)
{
    bool inplace = op & PY_OP_INPLACE;
    ft_object *la = as_list_or_null(a);
    switch (op & ~PY_OP_INPLACE) {
    case PY_OP_ADD:
        if (!la)
            return py_notimplemented();
        if (!inplace)
            return list_concat(la, b);
        if (py_list_extend(la, b) < 0)
            return NULL;
        return ft_newref(a);
    case PY_OP_MUL: {
        ft_object *lb = la ? NULL : as_list_or_null(b);
        ft_object *l = la ? la : lb, *other = la ? b : a;
        if (!l)
            return py_notimplemented();
        if (!is_index_like(other))
            return py_type_is_heap(py_type_of(other)) ? py_notimplemented()
                                                      : seq_mul_error(other);
        ft_object *r = list_repeat(l, other);
        if (!r || !inplace || !la)
            return r;
        ft_object *t = snapshot(r);
        ft_decref(r);
        int rc = t ? set_slice_from_tuple(la, 0, SSIZE_MAX, t) : -1;
        ft_xdecref(t);
        return rc < 0 ? NULL : ft_newref(a);
    }
    default:
        return py_notimplemented();
    }
}

static ft_object *list_getitem(ft_object *o, ft_object *key)
{
    ft_object *l = as_list_or_null(o);
    ssize_t i;
    int k = py_seq_index_key(key, &i);
    if (k < 0)
        return NULL;
    if (k) {
        ft_object *v = ft_list_get(l, i);
        if (!v) {
            ft_err_clear();
            return py_err_format(py_exc_IndexError, "list index out of range");
        }
        return v;
    }
    if (py_slice_check(key)) {
        ssize_t start, stop, step, n;
        if (py_slice_indices(key, ft_len(l), &start, &stop, &step, &n) < 0)
            return NULL;
        ft_object *r = ft_list_slice(l, start, step, n);
        return r ? r : py_err_from_ft();
    }
    return py_err_format(py_exc_TypeError, "list indices must be integers or slices, "
                         "not %s", py_type_name(key));
}

ft_object *py_list_get_slice_parts(ft_object *l, ft_object *a, ft_object *b,
                                   ft_object *c)
{
    ssize_t start, stop, step, n;
    if (py_slice_parts_indices(a, b, c, ft_len(l), &start, &stop, &step, &n) < 0)
        return NULL;
    ft_object *r = ft_list_slice(l, start, step, n);
    return r ? r : py_err_from_ft();
}

static int del_extended(ft_object *l, ssize_t start, ssize_t step, ssize_t n)
{
    /* delete from the highest index down, so lower indices stay valid */
    for (ssize_t k = 0; k < n; k++) {
        ssize_t j = step > 0 ? n - 1 - k : k;
        ssize_t idx = start + j * step;
        if (ft_list_set_slice(l, idx, idx + 1, NULL, 0) < 0)
            return py_err_from_ft_int();
    }
    return 0;
}

/* l[start:stop:step] = v (n items; v NULL: del), the indices resolved. */
static int assign_range(ft_object *l, ssize_t start, ssize_t stop, ssize_t step,
                        ssize_t n, ft_object *v)
{
    if (!v) {
        if (step == 1)
            return ft_list_set_slice(l, start, stop < start ? start : stop, NULL, 0) < 0
                 ? py_err_from_ft_int() : 0;
        return del_extended(l, start, step, n);
    }
    ft_object *src = as_list_or_null(v), *t;
    if (src)
        t = snapshot(src);
    else if (v->ob_type == &ft_tuple_type)
        t = ft_newref(v);
    else if (!py_type_lookup_borrow(py_type_of(v), PY_ID(__iter__)) &&
             !py_type_lookup_borrow(py_type_of(v), PY_ID(__getitem__)))
        return py_err_format_int(py_exc_TypeError, step == 1 ? "can only assign an "
                                 "iterable" : "must assign iterable to extended slice");
    else
        t = py_tuple_from_iterable(v);
    if (!t)
        return -1;
    int rc = 0;
    if (step == 1) {
        rc = set_slice_from_tuple(l, start, stop < start ? start : stop, t);
    } else if (ft_len(t) != n) {
        rc = py_err_format_int(py_exc_ValueError, "attempt to assign sequence of size "
                               "%zd to extended slice of size %zd", ft_len(t), n);
    } else {
        for (ssize_t k = 0; rc == 0 && k < n; k++)
            if (ft_list_set(l, start + k * step, ft_tuple_get_borrow(t, k)) < 0)
                rc = py_err_from_ft_int();
    }
    ft_decref(t);
    return rc;
}

static int assign_slice(ft_object *l, ft_object *key, ft_object *v)
{
    ssize_t start, stop, step, n;
    if (py_slice_indices(key, ft_len(l), &start, &stop, &step, &n) < 0)
        return -1;
    return assign_range(l, start, stop, step, n, v);
}

int py_list_set_slice_parts(ft_object *l, ft_object *a, ft_object *b, ft_object *c,
                            ft_object *v)
{
    ssize_t start, stop, step, n;
    if (py_slice_parts_indices(a, b, c, ft_len(l), &start, &stop, &step, &n) < 0)
        return -1;
    return assign_range(l, start, stop, step, n, v);
}

static int list_setitem(ft_object *o, ft_object *key, ft_object *v)
{
    ft_object *l = as_list_or_null(o);
    ssize_t i;
    int k = py_seq_index_key(key, &i);
    if (k < 0)
        return -1;
    if (k) {
        int rc;
        if (v) {
            rc = ft_list_set(l, i, v);
        } else {
            ssize_t n = ft_len(l);
            ssize_t j = i < 0 ? i + n : i;
            rc = (j < 0 || j >= n) ? -1 : ft_list_set_slice(l, j, j + 1, NULL, 0);
        }
        if (rc < 0) {
            ft_err_clear();
            return py_err_format_int(py_exc_IndexError, "list assignment index out of "
                                     "range");
        }
        return 0;
    }
    if (py_slice_check(key))
        return assign_slice(l, key, v);
    return py_err_format_int(py_exc_TypeError, "list indices must be integers or "
                             "slices, not %s", py_type_name(key));
}

static int list_contains(ft_object *o, ft_object *v)
{
    ssize_t i = find_item(as_list_or_null(o), v, 0, SSIZE_MAX);
    return i == -2 ? -1 : i >= 0;
}

static ft_object *list_iter(ft_object *o)
{
    return py_list_iter_new(as_list_or_null(o));
}

static ft_object *list_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)cls; (void)args; (void)nargs; (void)kwnames;   /* filled by __init__ */
    ft_object *l = ft_list_new(0);
    return l ? l : py_err_from_ft();
}

static int list_tp_init(ft_object *self, ft_object *const *args, size_t nargs,
                        ft_object *kwnames)
{
    ft_object *l = as_list_or_null(self);
    if (!l)
        return py_err_format_int(py_exc_TypeError, "expected a list");
    if (py_no_kwargs("list", kwnames) < 0 || py_check_nargs("list", nargs, 0, 1) < 0)
        return -1;
    if (ft_len(l) && ft_list_clear(l) < 0)
        return py_err_from_ft_int();
    return nargs ? py_list_extend(l, args[0]) : 0;
}

py_type py_list_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "list",
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE | PY_TPFLAGS_LIST,
        .tp_hash = py_hash_unhashable, .tp_repr = list_repr, .tp_len = list_len,
    },
    .tp_binop = list_binop,
    .tp_richcompare = list_richcompare,
    .tp_getitem = list_getitem,
    .tp_setitem = list_setitem,
    .tp_contains = list_contains,
    .tp_iter = list_iter,
    .tp_new = list_tp_new,
    .tp_init = list_tp_init,
    .tp_methods = list_methods,
};
