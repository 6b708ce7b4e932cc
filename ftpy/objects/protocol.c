/* objects/protocol.c — the abstract object API of ftpy.h: repr/str,
 * hashing, truth, comparisons, operators, attributes, items, iteration,
 * isinstance, __index__, with CPython 3.11's semantics and messages.
 *
 * Binary operators follow CPython's binary_op1: the left operand's slot,
 * except that a right operand whose class is a proper subclass with a
 * different slot goes first; a slot shared by both classes is called once
 * (it handles both sides: typeobject.c's trampolines do). Comparisons use
 * the same scheme, then fall back on identity for == and !=.
 *
 * Fast paths: 64-bit ints (+, -, *, comparisons) and str equality skip
 * the slot calls; everything else goes through the classes' slots.
 */
#include <stdlib.h>
#include <string.h>
#include "../ftpy.h"
#include "typeobject.h"
#include "containers.h"
#include "../vm/vm.h"

static const char *const binop_symbols[PY_OP__COUNT] = {
    "+", "-", "*", "@", "/", "//", "%", "**", "<<", ">>", "&", "|", "^",
};
static const char *const cmp_symbols[6] = { "<", "<=", "==", "!=", ">", ">=" };
static const char *const unary_symbols[3] = { "-", "+", "~" };

static bool is_int(ft_object *o) { return o->ob_type == &ft_int_type; }
static bool is_str(ft_object *o) { return o->ob_type == &ft_str_type; }

static int64_t int_value(ft_object *o)
{
    return ft_int_as_i64(o);
}

/* A str (exact or a subclass instance)? */
static bool str_check(ft_object *o)
{
    return is_str(o) || (py_type_of(o)->ft.tp_flags & PY_TPFLAGS_STR);
}

/* ---- repr / str / ascii ---------------------------------------------------- */

static ft_object *default_repr(ft_object *o)
{
    return py_str_from_format("<%s object at %p>", py_type_name(o), (void *)o);
}

static ft_object *check_string_result(ft_object *r, const char *what)
{
    if (!r) {
        if (!py_err_occurred())
            py_err_from_ft();
        return NULL;
    }
    if (!str_check(r)) {
        py_err_format(py_exc_TypeError, "%s returned non-string (type %s)", what,
                      py_type_name(r));
        ft_decref(r);
        return NULL;
    }
    return r;
}

ft_object *py_repr(ft_object *o)
{
    py_type *t = py_type_of(o);
    ft_reprfunc f = t->ft.tp_repr ? t->ft.tp_repr : o->ob_type->tp_repr;
    if (!f)
        return default_repr(o);
    if (py_enter_recursive_call(" while getting the repr of an object") < 0)
        return NULL;
    ft_object *r = f(o);
    py_leave_recursive_call();
    return check_string_result(r, "__repr__");
}

ft_object *py_str(ft_object *o)
{
    if (is_str(o))
        return ft_newref(o);
    py_type *t = py_type_of(o);
    if (!t->tp_str)
        return py_repr(o);
    if (py_enter_recursive_call(" while getting the str of an object") < 0)
        return NULL;
    ft_object *r = t->tp_str(o);
    py_leave_recursive_call();
    return check_string_result(r, "__str__");
}

/* Appends the UTF-8 of code point c, escaped when not ASCII. */
static size_t ascii_escape(unsigned c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    static const char hex[] = "0123456789abcdef";
    if (c <= 0xff) {
        out[0] = '\\'; out[1] = 'x';
        out[2] = hex[c >> 4]; out[3] = hex[c & 15];
        return 4;
    }
    if (c <= 0xffff) {
        out[0] = '\\'; out[1] = 'u';
        for (int i = 0; i < 4; i++)
            out[2 + i] = hex[(c >> (12 - 4 * i)) & 15];
        return 6;
    }
    out[0] = '\\'; out[1] = 'U';
    for (int i = 0; i < 8; i++)
        out[2 + i] = hex[(c >> (28 - 4 * i)) & 15];
    return 10;
}

ft_object *py_ascii(ft_object *o)
{
    ft_object *r = py_repr(o);
    if (!r)
        return NULL;
    ssize_t n;
    const unsigned char *s = (const unsigned char *)ft_str_utf8_borrow(_py_unbox_any(r), &n);
    if (!s) {
        ft_decref(r);
        return py_err_from_ft();
    }
    bool plain = true;
    for (ssize_t i = 0; i < n && plain; i++)
        plain = s[i] < 0x80;
    if (plain)
        return r;
    char *buf = malloc((size_t)n * 10 + 1);
    if (!buf) {
        ft_decref(r);
        return py_err_nomemory();
    }
    size_t len = 0;
    for (ssize_t i = 0; i < n;) {
        unsigned c = s[i];
        int extra = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
        if (extra)
            c &= 0x3f >> extra;
        for (int k = 1; k <= extra && i + k < n; k++)
            c = (c << 6) | (s[i + k] & 0x3f);
        i += 1 + extra;
        len += ascii_escape(c, buf + len);
    }
    ft_decref(r);
    ft_object *res = ft_str_from_utf8(buf, (ssize_t)len);
    free(buf);
    return res ? res : py_err_from_ft();
}

/* ---- hash / truth ------------------------------------------------------------ */

int64_t py_hash(ft_object *o)
{
    ft_hashfunc h = o->ob_type->tp_hash;
    if (!h) {
        py_err_format(py_exc_TypeError, "unhashable type: '%s'", py_type_name(o));
        return -1;
    }
    int64_t v = h(o);
    if (v == -1 && (py_err_occurred() || ft_err_occurred())) {
        py_err_from_ft();
        return -1;
    }
    return v;
}

int py_is_true(ft_object *o)
{
    if (o == ft_true())
        return 1;
    if (o == ft_false() || o == ft_none())
        return 0;
    ft_type *ot = o->ob_type;
    if (ot == &ft_int_type)
        return int_value(o) != 0;
    if (ot == &ft_float_type)
        return ft_float_as_double(o) != 0.0;
    if (ot == &ft_str_type || ot == &ft_list_type || ot == &ft_tuple_type ||
        ot == &ft_dict_type || ot == &ft_set_type)
        return ft_len(o) != 0;
    py_type *t = py_type_of(o);
    if (t->tp_bool) {
        int r = t->tp_bool(o);
        if (r < 0 && !py_err_occurred())
            py_err_from_ft();
        return r;
    }
    ft_lenfunc len = t->ft.tp_len ? t->ft.tp_len : ot->tp_len;
    if (len) {
        ssize_t n = len(o);
        if (n < 0) {
            py_err_from_ft();
            return -1;
        }
        return n != 0;
    }
    return 1;
}

/* ---- comparisons -------------------------------------------------------------- */

static int cmp_i64(int64_t x, int64_t y, int op)
{
    switch (op) {
    case PY_LT: return x < y;
    case PY_LE: return x <= y;
    case PY_EQ: return x == y;
    case PY_NE: return x != y;
    case PY_GT: return x > y;
    default:    return x >= y;
    }
}

static ft_object *do_richcompare(ft_object *a, ft_object *b, int op)
{
    py_type *ta = py_type_of(a), *tb = py_type_of(b);
    py_binopfunc fa = ta->tp_richcompare, fb = tb->tp_richcompare;
    bool checked_reverse = false;
    ft_object *r;
    if (ta != tb && fb && fb != fa && py_type_is_subtype(tb, ta)) {
        checked_reverse = true;
        r = fb(a, b, op);
        if (!r || !py_is_notimplemented(r))
            return r;
        ft_decref(r);
    }
    if (fa) {
        r = fa(a, b, op);
        if (!r || !py_is_notimplemented(r))
            return r;
        ft_decref(r);
    }
    if (!checked_reverse && fb && fb != fa) {
        r = fb(a, b, op);
        if (!r || !py_is_notimplemented(r))
            return r;
        ft_decref(r);
    }
    if (op == PY_EQ)
        return py_bool_new(a == b);
    if (op == PY_NE)
        return py_bool_new(a != b);
    return py_err_format(py_exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                         cmp_symbols[op], ta->ft.tp_name, tb->ft.tp_name);
}

ft_object *py_richcompare(ft_object *a, ft_object *b, int op)
{
    if (op < PY_LT || op > PY_GE)
        return py_err_format(py_exc_SystemError, "bad comparison operator %d", op);
    if (is_int(a) && is_int(b))
        return py_bool_new(cmp_i64(int_value(a), int_value(b), op));
    ft_type *at = a->ob_type;
    if (at == b->ob_type) {
        if (at == &ft_float_type) {
            double x = ft_float_as_double(a), y = ft_float_as_double(b);
            bool c;
            switch (op) {
            case PY_LT: c = x < y; break;
            case PY_LE: c = x <= y; break;
            case PY_EQ: c = x == y; break;
            case PY_NE: c = x != y; break;
            case PY_GT: c = x > y; break;
            default:    c = x >= y; break;
            }
            return py_bool_new(c);
        }
        if (at == &ft_str_type) {
            if (op == PY_EQ || op == PY_NE) {
                int eq = ft_equal(a, b);
                if (eq >= 0)
                    return py_bool_new(op == PY_EQ ? eq : !eq);
                ft_err_clear();
            }
            /* a str's ordering never recurses */
            py_binopfunc f = py_str_class.tp_richcompare;
            if (f)
                return f(a, b, op);
        }
    }
    if (py_enter_recursive_call(" in comparison") < 0)
        return NULL;
    ft_object *r = do_richcompare(a, b, op);
    py_leave_recursive_call();
    return r;
}

int py_richcompare_bool(ft_object *a, ft_object *b, int op)
{
    if (a == b) {
        if (op == PY_EQ)
            return 1;
        if (op == PY_NE)
            return 0;
    }
    if (is_int(a) && is_int(b))
        return cmp_i64(int_value(a), int_value(b), op);
    ft_object *r = py_richcompare(a, b, op);
    if (!r)
        return -1;
    int truth = r == ft_true() ? 1 : r == ft_false() ? 0 : py_is_true(r);
    ft_decref(r);
    return truth;
}

/* ---- operators ------------------------------------------------------------------ */

static ft_object *binary_op1(ft_object *a, ft_object *b, int op)
{
    py_type *ta = py_type_of(a), *tb = py_type_of(b);
    py_binopfunc fa = ta->tp_binop, fb = ta != tb ? tb->tp_binop : NULL;
    if (fb == fa)
        fb = NULL;
    ft_object *r;
    if (fa) {
        if (fb && py_type_is_subtype(tb, ta)) {
            r = fb(a, b, op);
            if (!r || !py_is_notimplemented(r))
                return r;
            ft_decref(r);
            fb = NULL;
        }
        r = fa(a, b, op);
        if (!r || !py_is_notimplemented(r))
            return r;
        ft_decref(r);
    }
    if (fb)
        return fb(a, b, op);
    return py_notimplemented();
}

/* 64-bit int arithmetic without the slot call; NULL: not handled. */
static ft_object *int_fast(ft_object *a, ft_object *b, int op)
{
    int64_t x = int_value(a), y = int_value(b), r;
    switch (op) {
    case PY_OP_ADD:
        if (__builtin_add_overflow(x, y, &r))
            return NULL;
        break;
    case PY_OP_SUB:
        if (__builtin_sub_overflow(x, y, &r))
            return NULL;
        break;
    case PY_OP_MUL:
        if (__builtin_mul_overflow(x, y, &r))
            return NULL;
        break;
    case PY_OP_AND: r = x & y; break;
    case PY_OP_OR:  r = x | y; break;
    case PY_OP_XOR: r = x ^ y; break;
    default:
        return NULL;
    }
    ft_object *o = ft_int_from_i64(r);
    return o ? o : py_err_from_ft();
}

ft_object *py_binary_op(ft_object *a, ft_object *b, int op)
{
    int base = op & ~PY_OP_INPLACE;
    if (base < 0 || base >= PY_OP__COUNT)
        return py_err_format(py_exc_SystemError, "bad binary operator %d", op);
    if (is_int(a) && is_int(b)) {
        ft_object *r = int_fast(a, b, base);
        if (r || py_err_occurred())
            return r;
    }
    ft_object *r;
    if (op & PY_OP_INPLACE) {
        py_binopfunc f = py_type_of(a)->tp_binop;
        if (f) {
            r = f(a, b, op);
            if (!r || !py_is_notimplemented(r))
                return r;
            ft_decref(r);
        }
    }
    r = binary_op1(a, b, base);
    if (!r || !py_is_notimplemented(r))
        return r;
    ft_decref(r);
    const char *inpl = op & PY_OP_INPLACE ? "=" : "";
    if (base == PY_OP_POW)
        return py_err_format(py_exc_TypeError,
                             "unsupported operand type(s) for **%s or pow(): '%s' and '%s'",
                             inpl, py_type_name(a), py_type_name(b));
    return py_err_format(py_exc_TypeError, "unsupported operand type(s) for %s%s: '%s' and '%s'",
                         binop_symbols[base], inpl, py_type_name(a), py_type_name(b));
}

ft_object *py_unary_op(ft_object *o, int op)
{
    if (op < 0 || op > 2)
        return py_err_format(py_exc_SystemError, "bad unary operator %d", op);
    if (is_int(o)) {
        int64_t v = int_value(o);
        if (op == PY_UNARY_POS)
            return ft_newref(o);
        if (op == PY_UNARY_INVERT)
            return ft_int_from_i64(~v);
        if (v != INT64_MIN)
            return ft_int_from_i64(-v);
    }
    py_unopfunc f = py_type_of(o)->tp_unaryop;
    if (f) {
        ft_object *r = f(o, op);
        if (!r || !py_is_notimplemented(r))
            return r;
        ft_decref(r);
    }
    return py_err_format(py_exc_TypeError, "bad operand type for unary %s: '%s'",
                         unary_symbols[op], py_type_name(o));
}

/* ---- attributes -------------------------------------------------------------- */

static int check_name(ft_object *name)
{
    if (!str_check(name))
        return py_err_format_int(py_exc_TypeError, "attribute name must be string, not '%s'",
                                 py_type_name(name));
    return 0;
}

/* py_getattr and py_setattr live in instance.c, next to the generic
 * attribute code they call. */

static ft_object *interned(const char *name)
{
    ft_object *s = ft_str_from_utf8(name, -1);
    if (!s)
        return py_err_from_ft();
    ft_object *r = ft_str_intern(s);
    ft_decref(s);
    return r ? r : py_err_from_ft();
}

ft_object *py_getattr_str(ft_object *o, const char *name)
{
    ft_object *n = interned(name);
    if (!n)
        return NULL;
    ft_object *r = py_getattr(o, n);
    ft_decref(n);
    return r;
}

int py_getattr_opt(ft_object *o, ft_object *name, ft_object **out)
{
    *out = NULL;
    if (check_name(name) < 0)
        return -1;
    name = _py_unbox_any(name);
    py_type *t = py_type_of(o);
    if (!t->tp_getattro || t->tp_getattro == py_generic_getattr)
        return py_generic_getattr_opt(o, name, out);
    ft_object *r = t->tp_getattro(o, name);
    if (r) {
        *out = r;
        return 1;
    }
    if (py_err_matches(py_exc_AttributeError)) {
        py_err_clear();
        return 0;
    }
    return -1;
}

/* ---- items ------------------------------------------------------------------------ */

ft_object *py_getitem(ft_object *o, ft_object *key)
{
    py_type *t = py_type_of(o);
    if (t->tp_getitem)
        return t->tp_getitem(o, key);
    if (py_is_type(o)) {
        ft_object *f = NULL;
        int rc = py_getattr_opt(o, PY_ID(__class_getitem__), &f);
        if (rc < 0)
            return NULL;
        if (rc > 0) {
            ft_object *r = py_call1(f, key);
            ft_decref(f);
            return r;
        }
        py_type *c = (py_type *)o;
        if (c == &py_list_class || c == &py_dict_class || c == &py_tuple_class ||
            c == &py_set_class || c == &py_frozenset_class || c == &py_type_type)
            return _py_generic_alias_new(o, key);
        return py_err_format(py_exc_TypeError, "type '%s' is not subscriptable",
                             py_type_qualname_utf8((py_type *)o));
    }
    return py_err_format(py_exc_TypeError, "'%s' object is not subscriptable", py_type_name(o));
}

int py_setitem(ft_object *o, ft_object *key, ft_object *v)
{
    py_type *t = py_type_of(o);
    if (t->tp_setitem)
        return t->tp_setitem(o, key, v);
    if (v)
        return py_err_format_int(py_exc_TypeError, "'%s' object does not support item assignment",
                                 py_type_name(o));
    return py_err_format_int(py_exc_TypeError, "'%s' object doesn't support item deletion",
                             py_type_name(o));
}

int py_contains(ft_object *container, ft_object *v)
{
    py_type *t = py_type_of(container);
    if (t->tp_contains) {
        int r = t->tp_contains(container, v);
        if (r < 0 && !py_err_occurred())
            py_err_from_ft();
        return r;
    }
    if (!t->tp_iter && !t->tp_getitem)
        return py_err_format_int(py_exc_TypeError, "argument of type '%s' is not iterable",
                                 py_type_name(container));
    ft_object *it = py_iter(container);
    if (!it)
        return -1;
    ft_object *x;
    int found = 0;
    while ((x = py_iter_next(it))) {
        found = py_richcompare_bool(x, v, PY_EQ);
        ft_decref(x);
        if (found != 0)
            break;
    }
    ft_decref(it);
    if (found == 0 && py_err_occurred())
        return -1;
    return found;
}

ssize_t py_len(ft_object *o)
{
    py_type *t = py_type_of(o);
    ft_lenfunc f = t->ft.tp_len ? t->ft.tp_len : o->ob_type->tp_len;
    if (!f)
        return py_err_format_int(py_exc_TypeError, "object of type '%s' has no len()",
                                 py_type_name(o));
    ssize_t n = f(o);
    if (n < 0) {
        py_err_from_ft();
        return -1;
    }
    return n;
}

/* ---- iteration ---------------------------------------------------------------------- */

ft_object *py_iter(ft_object *o)
{
    py_type *t = py_type_of(o);
    if (t->tp_iter) {
        ft_object *it = t->tp_iter(o);
        if (!it)
            return NULL;
        if (!py_type_of(it)->tp_iternext) {
            py_err_format(py_exc_TypeError, "iter() returned non-iterator of type '%s'",
                          py_type_name(it));
            ft_decref(it);
            return NULL;
        }
        return it;
    }
    if (t->tp_getitem && !(t->ft.tp_flags & PY_TPFLAGS_DICT))
        return py_seqiter_new(o);
    return py_err_format(py_exc_TypeError, "'%s' object is not iterable", py_type_name(o));
}

ft_object *py_iter_next(ft_object *it)
{
    py_type *t = py_type_of(it);
    if (!t->tp_iternext)
        return py_err_format(py_exc_TypeError, "'%s' object is not an iterator", py_type_name(it));
    return t->tp_iternext(it);
}

ft_object *py_iter_next_raising(ft_object *it)
{
    py_type *t = py_type_of(it);
    if (!t->tp_iternext)
        return py_err_format(py_exc_TypeError, "'%s' object is not an iterator", py_type_name(it));
    if (py_gen_check(it))
        return py_gen_next(it);   /* StopIteration carries the return value */
    if (py_type_is_heap(t)) {
        /* a Python __next__: its StopIteration(value) reaches the caller */
        ft_object *f = py_type_lookup_borrow(t, PY_ID(__next__));
        if (f && py_type_of(f) != &py_slot_wrapper_class) {
            ft_incref(f);
            ft_object *r = _py_call_bound(f, it, NULL, 0, NULL);
            ft_decref(f);
            return r;
        }
    }
    ft_object *r = t->tp_iternext(it);
    if (!r && !py_err_occurred())
        py_err_set_stopiteration(NULL);
    return r;
}

ft_object *py_sequence_list(ft_object *iterable)
{
    ft_object *l = ft_list_new(0);
    if (!l)
        return py_err_from_ft();
    if (iterable->ob_type == &ft_tuple_type) {
        for (ssize_t i = 0, n = ft_len(iterable); i < n; i++)
            if (ft_list_append(l, ft_tuple_get_borrow(iterable, i)) < 0) {
                ft_decref(l);
                return py_err_from_ft();
            }
        return l;
    }
    ft_object *it = py_iter(iterable);
    if (!it) {
        ft_decref(l);
        return NULL;
    }
    ft_object *x;
    while ((x = py_iter_next(it))) {
        int rc = ft_list_append(l, x);
        ft_decref(x);
        if (rc < 0) {
            py_err_from_ft();
            break;
        }
    }
    ft_decref(it);
    if (py_err_occurred()) {
        ft_decref(l);
        return NULL;
    }
    return l;
}

ft_object *py_sequence_tuple(ft_object *iterable)
{
    if (iterable->ob_type == &ft_tuple_type)
        return ft_newref(iterable);
    ft_object *l = iterable->ob_type == &ft_list_type ? ft_newref(iterable)
                                                      : py_sequence_list(iterable);
    if (!l)
        return NULL;
    ssize_t n = ft_len(l);
    ft_object *t = ft_tuple_new(n);
    if (!t) {
        ft_decref(l);
        return py_err_from_ft();
    }
    for (ssize_t i = 0; i < n; i++) {
        ft_object *v = ft_list_get(l, i);
        if (!v) {
            /* the list shrank under us (another thread): fill with None */
            ft_err_clear();
            v = ft_none();
        }
        ft_tuple_set_steal(t, i, v);
    }
    ft_decref(l);
    return t;
}

/* ---- isinstance / issubclass ------------------------------------------------------ */

static int call_check(ft_object *checker, ft_object *arg)
{
    ft_object *r = py_call1(checker, arg);
    if (!r)
        return -1;
    int truth = py_is_true(r);
    ft_decref(r);
    return truth;
}

int py_isinstance(ft_object *o, ft_object *cls)
{
    if (py_is_type(cls)) {
        py_type *ct = (py_type *)cls;
        if (py_type_of(o) == ct)
            return 1;
        if (py_type_of(cls) != &py_type_type) {
            /* a metaclass may define __instancecheck__ */
            ft_object *f = NULL;
            int rc = py_lookup_special(cls, PY_ID(__instancecheck__), &f);
            if (rc < 0)
                return -1;
            if (rc > 0) {
                int r = call_check(f, o);
                ft_decref(f);
                return r;
            }
        }
        return py_isinstance_exact_or_sub(o, ct);
    }
    ft_object *u = _py_union_args_borrow(cls);
    if (u)
        return py_isinstance(o, u);
    if (cls->ob_type == &ft_tuple_type) {
        if (py_enter_recursive_call(" in __instancecheck__") < 0)
            return -1;
        int r = 0;
        for (ssize_t i = 0, n = ft_len(cls); i < n && r == 0; i++)
            r = py_isinstance(o, ft_tuple_get_borrow(cls, i));
        py_leave_recursive_call();
        return r;
    }
    ft_object *f = NULL;
    int rc = py_lookup_special(cls, PY_ID(__instancecheck__), &f);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return py_err_format_int(py_exc_TypeError,
                                 "isinstance() arg 2 must be a type, a tuple of types, or a union");
    int r = call_check(f, o);
    ft_decref(f);
    return r;
}

int py_issubclass(ft_object *a, ft_object *cls)
{
    if (py_is_type(cls) && py_type_of(cls) == &py_type_type) {
        if (!py_is_type(a))
            return py_err_format_int(py_exc_TypeError, "issubclass() arg 1 must be a class");
        return py_type_is_subtype((py_type *)a, (py_type *)cls);
    }
    ft_object *u = _py_union_args_borrow(cls);
    if (u)
        return py_issubclass(a, u);
    if (cls->ob_type == &ft_tuple_type) {
        if (py_enter_recursive_call(" in __subclasscheck__") < 0)
            return -1;
        int r = 0;
        for (ssize_t i = 0, n = ft_len(cls); i < n && r == 0; i++)
            r = py_issubclass(a, ft_tuple_get_borrow(cls, i));
        py_leave_recursive_call();
        return r;
    }
    ft_object *f = NULL;
    int rc = py_lookup_special(cls, PY_ID(__subclasscheck__), &f);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return py_err_format_int(py_exc_TypeError,
                                 "issubclass() arg 2 must be a class, a tuple of classes, or a union");
    if (!py_is_type(a)) {
        ft_decref(f);
        return py_err_format_int(py_exc_TypeError, "issubclass() arg 1 must be a class");
    }
    int r = call_check(f, a);
    ft_decref(f);
    return r;
}

/* ---- __index__ ------------------------------------------------------------------ */

static int long_to_ssize(ft_object *v, ssize_t *out)
{
    int64_t x;
    if (py_long_as_i64(v, &x) < 0) {
        if (py_err_matches(py_exc_OverflowError)) {
            py_err_clear();
            return py_err_format_int(py_exc_OverflowError,
                                     "cannot fit 'int' into an index-sized integer");
        }
        return -1;
    }
    *out = (ssize_t)x;
    return 0;
}

int py_index_ssize(ft_object *o, ssize_t *out)
{
    if (is_int(o)) {
        *out = (ssize_t)int_value(o);
        return 0;
    }
    if (py_long_check(o))
        return long_to_ssize(_py_unbox_any(o), out);
    ft_object *f = py_type_lookup_borrow(py_type_of(o), PY_ID(__index__));
    if (!f)
        return py_err_format_int(py_exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer",
                                 py_type_name(o));
    ft_incref(f);
    ft_object *r = _py_call_bound(f, o, NULL, 0, NULL);
    ft_decref(f);
    if (!r)
        return -1;
    if (!py_long_check(r)) {
        py_err_format(py_exc_TypeError, "__index__ returned non-int (type %s)", py_type_name(r));
        ft_decref(r);
        return -1;
    }
    int rc = long_to_ssize(_py_unbox_any(r), out);
    ft_decref(r);
    return rc;
}
