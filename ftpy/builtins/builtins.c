/* builtins/builtins.c — the builtins module: the built-in classes, the
 * exception classes, the constants, and the built-in functions.
 *
 * The functions that need the VM (__build_class__, globals, locals, exec,
 * eval, compile, vars() without an argument) come from py_vm_builtin_defs;
 * the rest are here. Argument errors read as CPython's (py_bind_args,
 * py_check_nargs, and CPython's own texts for print, min/max, sum ...).
 *
 * print() builds one str (the arguments' str() joined with sep, plus end)
 * and writes it once when the file is one of ours, so lines printed by
 * several threads never interleave inside a line; for any other file it
 * calls write() once per piece, as CPython does.
 */
#include <string.h>
#include "../objects/containers.h"
#include "../objects/int.h"
#include "../objects/str.h"
#include "../objects/typeobject.h"
#include "../modules/modules.h"

static ft_object *builtins_dict;   /* borrowed from the module, while it lives */

ft_object *py_builtins_dict_borrow(void)
{
    return builtins_dict;
}

void py_builtins_forget(void)
{
    builtins_dict = NULL;
}

#define BUILTIN(name) \
    static ft_object *bi_##name(ft_object *self, ft_object *const *args, \
                                size_t nargs, ft_object *kwnames)
/* CPython's Argument Clinic functions: "divmod expected 2 arguments, got 1". */
#define ARGS(pyname, min, max)                                          \
    (void)self;                                                         \
    if (py_meth_clinic(NULL, pyname, nargs, kwnames, min, max) < 0)     \
        return NULL;
/* CPython's METH_O functions: "len() takes exactly one argument (0 given)". */
#define ARGS_O(pyname)                                                  \
    (void)self;                                                         \
    if (py_meth_onearg(NULL, pyname, nargs, kwnames) < 0)               \
        return NULL;

static const char *kwname(ft_object *kwnames, ssize_t i)
{
    return ft_str_utf8_borrow(ft_tuple_get_borrow(kwnames, i), NULL);
}

static ssize_t nkw(ft_object *kwnames)
{
    return kwnames ? ft_len(kwnames) : 0;
}

/* ---- print and input ----------------------------------------------------------------- */

/* sep / end: None (the default) or a str. */
static int str_or_none(ft_object *v, const char *what, ft_object **out)
{
    if (!v || v == ft_none())
        return 0;
    if (!py_str_check(v))
        return py_err_format_int(py_exc_TypeError, "%s must be None or a string, not %s",
                                 what, py_type_name(v));
    *out = py_str_unbox_borrow(v);
    return 0;
}

/* One joined str for a file of ours. */
static ft_object *print_joined(ft_object *const *args, size_t nargs, ft_object *sep,
                               ft_object *end)
{
    py_strbuf b;
    py_strbuf_init(&b);
    for (size_t i = 0; i < nargs; i++) {
        ft_object *s = py_str(args[i]);
        int rc = s && (i == 0 || py_strbuf_append_str(&b, sep) == 0) &&
                 py_strbuf_append_str(&b, s) == 0 ? 0 : -1;
        ft_xdecref(s);
        if (rc < 0) {
            py_strbuf_free(&b);
            return NULL;
        }
    }
    if (py_strbuf_append_str(&b, end) < 0) {
        py_strbuf_free(&b);
        return NULL;
    }
    return py_strbuf_finish(&b);
}

static int write_piece(ft_object *file, ft_object *s)
{
    ft_object *r = py_call_method(file, PY_ID(write), &s, 1);
    ft_xdecref(r);
    return r ? 0 : -1;
}

/* CPython's way for other files: write(str(a)), write(sep), ..., write(end). */
static int print_pieces(ft_object *file, ft_object *const *args, size_t nargs,
                        ft_object *sep, ft_object *end)
{
    for (size_t i = 0; i < nargs; i++) {
        if (i > 0 && write_piece(file, sep) < 0)
            return -1;
        ft_object *s = py_str(args[i]);
        int rc = s ? write_piece(file, s) : -1;
        ft_xdecref(s);
        if (rc < 0)
            return -1;
    }
    return write_piece(file, end);
}

BUILTIN(print)
{
    (void)self;
    ft_object *sep = NULL, *end = NULL, *file = NULL, *flush = NULL;
    for (ssize_t i = 0; i < nkw(kwnames); i++) {
        const char *k = kwname(kwnames, i);
        ft_object *v = args[nargs + (size_t)i];
        if (!strcmp(k, "sep")) sep = v;
        else if (!strcmp(k, "end")) end = v;
        else if (!strcmp(k, "file")) file = v;
        else if (!strcmp(k, "flush")) flush = v;
        else
            return py_err_format(py_exc_TypeError, "'%s' is an invalid keyword argument "
                                 "for print()", k);
    }
    ft_object *sep_s = NULL, *end_s = NULL;
    if (str_or_none(sep, "sep", &sep_s) < 0 || str_or_none(end, "end", &end_s) < 0)
        return NULL;
    if (!file || file == ft_none()) {
        file = py_sys_get_borrow("stdout");
        if (!file)
            return NULL;
        if (file == ft_none())
            return ft_none();
    }
    ft_object *dsep = sep_s ? ft_newref(sep_s) : ft_str_from_utf8(" ", 1);
    ft_object *dend = end_s ? ft_newref(end_s) : ft_str_from_utf8("\n", 1);
    int rc = -1;
    if (dsep && dend) {
        if (py_isinstance_exact_or_sub(file, &py_textio_class)) {
            ft_object *s = print_joined(args, nargs, dsep, dend);
            rc = s ? py_file_write_str(file, s) : -1;
            ft_xdecref(s);
        } else {
            rc = print_pieces(file, args, nargs, dsep, dend);
        }
    } else {
        py_err_from_ft();
    }
    ft_xdecref(dsep);
    ft_xdecref(dend);
    if (rc == 0 && flush) {
        int f = py_is_true(flush);
        if (f < 0 || (f && py_file_flush(file) < 0))
            rc = -1;
    }
    return rc < 0 ? NULL : ft_none();
}

BUILTIN(input)
{
    ARGS("input", 0, 1)
    ft_object *out = py_sys_get_borrow("stdout"), *in = py_sys_get_borrow("stdin");
    if (!out || !in)
        return NULL;
    if (nargs == 1) {
        ft_object *p = py_str(args[0]);
        int rc = p ? py_file_write_str(out, p) : -1;
        ft_xdecref(p);
        if (rc < 0)
            return NULL;
    }
    if (py_file_flush(out) < 0)
        py_err_clear();
    ft_object *name = ft_str_from_utf8("readline", -1);
    ft_object *line = name ? py_call_method(in, name, NULL, 0) : NULL;
    ft_xdecref(name);
    if (!line)
        return py_err_occurred() ? NULL : py_err_from_ft();
    ft_object *s = py_str_unbox_borrow(line);
    if (!s) {
        ft_decref(line);
        return py_err_format(py_exc_TypeError, "object.readline() returned non-string");
    }
    ssize_t n;
    const char *p = ft_str_utf8_borrow(s, &n);
    if (n == 0) {
        ft_decref(line);
        return py_err_format(py_exc_EOFError, "EOF when reading a line");
    }
    if (p[n - 1] != '\n') {
        ft_object *r = ft_newref(s);
        ft_decref(line);
        return r;
    }
    ft_object *r = ft_str_from_utf8(p, n - 1);
    ft_decref(line);
    return r ? r : py_err_from_ft();
}

BUILTIN(open)
{
    (void)self;
    return py_io_open(args, nargs, kwnames);
}

/* ---- Simple object functions --------------------------------------------------------- */

BUILTIN(len)
{
    ARGS_O("len")
    ssize_t n = py_len(args[0]);
    return n < 0 ? NULL : ft_int_from_i64(n);
}

BUILTIN(repr)
{
    ARGS_O("repr")
    return py_repr(args[0]);
}

BUILTIN(ascii)
{
    ARGS_O("ascii")
    return py_ascii(args[0]);
}

BUILTIN(hash)
{
    ARGS_O("hash")
    int64_t h = py_hash(args[0]);
    return h == -1 && py_err_occurred() ? NULL : ft_int_from_i64(h);
}

BUILTIN(id)
{
    ARGS_O("id")
    return py_long_from_u64((uint64_t)(uintptr_t)args[0]);
}

BUILTIN(callable)
{
    ARGS_O("callable")
    py_type *t = py_type_of(args[0]);
    bool c = t->tp_vcall || t->ft.tp_call || py_type_lookup_borrow(t, PY_ID(__call__));
    return ft_newref(ft_bool(c));
}

BUILTIN(abs)
{
    ARGS_O("abs")
    return py_number_absolute(args[0]);
}

BUILTIN(divmod)
{
    ARGS("divmod", 2, 2)
    return py_number_divmod(args[0], args[1]);
}

BUILTIN(pow)
{
    (void)self;
    ft_object *a[3];
    if (py_bind_args("pow", args, nargs, kwnames, "base,exp,|,mod", a) < 0)
        return NULL;
    return py_number_pow3(a[0], a[1], a[2]);
}

BUILTIN(round)
{
    (void)self;
    ft_object *a[2];
    if (py_bind_args("round", args, nargs, kwnames, "number,|,ndigits", a) < 0)
        return NULL;
    ft_object *meth = py_type_lookup_borrow(py_type_of(a[0]), PY_ID(__round__));
    if (!meth)
        return py_err_format(py_exc_TypeError, "type %s doesn't define __round__ method",
                             py_type_name(a[0]));
    size_t n = a[1] && a[1] != ft_none() ? 1 : 0;
    return py_call_special(a[0], PY_ID(__round__), a + 1, n);
}

static ft_object *to_base(ft_object *const *args, size_t nargs, ft_object *kwnames,
                          const char *name, int base)
{
    if (py_meth_onearg(NULL, name, nargs, kwnames) < 0)
        return NULL;
    ft_object *i = py_number_index(args[0]);
    if (!i)
        return NULL;
    ft_object *r = py_long_to_base(i, base);
    ft_decref(i);
    return r;
}

BUILTIN(hex) { (void)self; return to_base(args, nargs, kwnames, "hex", 16); }
BUILTIN(oct) { (void)self; return to_base(args, nargs, kwnames, "oct", 8); }
BUILTIN(bin) { (void)self; return to_base(args, nargs, kwnames, "bin", 2); }

BUILTIN(ord)
{
    ARGS_O("ord")
    ft_object *o = args[0];
    ft_object *s = py_str_unbox_borrow(o);
    if (s) {
        ssize_t n = py_str_length(s);
        if (n != 1)
            return py_err_format(py_exc_TypeError, "ord() expected a character, but "
                                 "string of length %zd found", n);
        return ft_int_from_i64(py_str_char_at(s, 0));
    }
    ft_object *bytes = py_bytes_like_ref(o);   /* bytes, bytearray */
    if (bytes) {
        ssize_t n;
        const char *p = py_bytes_data(bytes, &n);
        int c = p && n == 1 ? (unsigned char)p[0] : -1;
        ft_decref(bytes);
        if (!p)
            return NULL;
        if (n != 1)
            return py_err_format(py_exc_TypeError, "ord() expected a character, but "
                                 "string of length %zd found", n);
        return ft_int_from_i64(c);
    }
    if (py_err_occurred())
        return NULL;
    return py_err_format(py_exc_TypeError, "ord() expected string of length 1, but %s "
                         "found", py_type_name(o));
}

BUILTIN(chr)
{
    ARGS_O("chr")
    if (!py_long_check(args[0]) &&
        !py_type_lookup_borrow(py_type_of(args[0]), PY_ID(__index__)))
        return py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an "
                             "integer", py_type_name(args[0]));
    ft_object *i = py_number_index(args[0]);
    if (!i)
        return NULL;
    int64_t v;
    int rc = py_long_as_i64(i, &v);
    ft_decref(i);
    if (rc < 0) {
        if (!py_err_matches(py_exc_OverflowError))
            return NULL;
        py_err_clear();
        return py_err_format(py_exc_OverflowError, "Python int too large to convert to "
                             "C int");
    }
    if (v < 0 || v > 0x10FFFF)
        return py_err_format(py_exc_ValueError, "chr() arg not in range(0x110000)");
    return py_str_from_char((uint32_t)v);
}

BUILTIN(format)
{
    ARGS("format", 1, 2)
    if (nargs == 2 && !py_str_check(args[1]))
        return py_err_format(py_exc_TypeError, "format() argument 2 must be str, not %s",
                             py_type_name(args[1]));
    return py_format(args[0], nargs == 2 ? args[1] : NULL);
}

BUILTIN(isinstance)
{
    ARGS("isinstance", 2, 2)
    int r = py_isinstance(args[0], args[1]);
    return r < 0 ? NULL : ft_newref(ft_bool(r));
}

BUILTIN(issubclass)
{
    ARGS("issubclass", 2, 2)
    int r = py_issubclass(args[0], args[1]);
    return r < 0 ? NULL : ft_newref(ft_bool(r));
}

/* ---- Attributes ---------------------------------------------------------------------- */

static int name_arg(const char *fname, ft_object *name)
{
    if (py_str_check(name))
        return 0;
    (void)fname;
    return py_err_format_int(py_exc_TypeError, "attribute name must be string, not '%s'",
                             py_type_name(name));
}

BUILTIN(getattr)
{
    ARGS("getattr", 2, 3)
    if (name_arg("getattr", args[1]) < 0)
        return NULL;
    ft_object *name = py_str_unbox_borrow(args[1]);
    if (nargs == 2)
        return py_getattr(args[0], name);
    ft_object *v;
    int found = py_getattr_opt(args[0], name, &v);
    if (found < 0)
        return NULL;
    return found ? v : ft_newref(args[2]);
}

BUILTIN(hasattr)
{
    ARGS("hasattr", 2, 2)
    if (name_arg("hasattr", args[1]) < 0)
        return NULL;
    ft_object *v;
    int found = py_getattr_opt(args[0], py_str_unbox_borrow(args[1]), &v);
    if (found < 0)
        return NULL;
    ft_xdecref(v);
    return ft_newref(ft_bool(found));
}

BUILTIN(setattr)
{
    ARGS("setattr", 3, 3)
    if (name_arg("setattr", args[1]) < 0)
        return NULL;
    return py_setattr(args[0], py_str_unbox_borrow(args[1]), args[2]) < 0 ? NULL
                                                                          : ft_none();
}

BUILTIN(delattr)
{
    ARGS("delattr", 2, 2)
    if (name_arg("delattr", args[1]) < 0)
        return NULL;
    return py_setattr(args[0], py_str_unbox_borrow(args[1]), NULL) < 0 ? NULL
                                                                       : ft_none();
}

/* The VM's definition of a builtin (globals, locals, vars ...). */
static const py_method_def *vm_def(const char *name)
{
    for (const py_method_def *d = py_vm_builtin_defs; d->name; d++)
        if (!strcmp(d->name, name))
            return d;
    return NULL;
}

BUILTIN(vars)
{
    if (nargs == 0 && nkw(kwnames) == 0) {
        const py_method_def *d = vm_def("vars");
        if (!d)
            d = vm_def("locals");
        if (!d)
            return py_err_format(py_exc_RuntimeError, "vars(): no locals");
        return d->fn(self, args, nargs, kwnames);
    }
    ARGS("vars", 1, 1)
    ft_object *v;
    int found = py_getattr_opt(args[0], PY_ID(__dict__), &v);
    if (found < 0)
        return NULL;
    if (!found)
        return py_err_format(py_exc_TypeError, "vars() argument must have __dict__ "
                             "attribute");
    return v;
}

BUILTIN(dir)
{
    ARGS("dir", 0, 1)
    ft_object *names;
    if (nargs == 0) {
        const py_method_def *d = vm_def("locals");
        ft_object *loc = d ? d->fn(self, NULL, 0, NULL) : NULL;
        if (!loc)
            return d ? NULL : py_err_format(py_exc_RuntimeError, "dir(): no locals");
        names = py_list_from_iterable(loc);
        ft_decref(loc);
    } else {
        ft_object *r = py_call_special(args[0], PY_ID(__dir__), NULL, 0);
        if (!r)
            return NULL;
        names = py_list_from_iterable(r);
        ft_decref(r);
    }
    if (names && py_list_sort(names, NULL, false) < 0) {
        ft_decref(names);
        return NULL;
    }
    return names;
}

BUILTIN(import)
{
    (void)self;
    ft_object *a[5];
    if (py_bind_args("__import__", args, nargs, kwnames,
                     "name,|,globals,locals,fromlist,level", a) < 0)
        return NULL;
    ssize_t level = 0;
    if (a[4] && py_index_ssize(a[4], &level) < 0)
        return NULL;
    if (!py_str_check(a[0]))
        return py_err_format(py_exc_TypeError, "__import__() argument 1 must be str, not "
                             "%s", py_type_name(a[0]));
    ft_object *globals = a[1] && a[1] != ft_none() ? a[1] : NULL;
    ft_object *fromlist = a[3] && a[3] != ft_none() ? a[3] : NULL;
    return py_import(py_str_unbox_borrow(a[0]), globals, fromlist, (int)level);
}

/* ---- Iteration --------------------------------------------------------------------- */

BUILTIN(iter)
{
    ARGS("iter", 1, 2)
    if (nargs == 1)
        return py_iter(args[0]);
    py_type *t = py_type_of(args[0]);
    if (!t->tp_vcall && !t->ft.tp_call && !py_type_lookup_borrow(t, PY_ID(__call__)))
        return py_err_format(py_exc_TypeError, "iter(v, w): v must be callable");
    return py_calliter_new(args[0], args[1]);
}

BUILTIN(next)
{
    ARGS("next", 1, 2)
    if (!py_type_of(args[0])->tp_iternext)
        return py_err_format(py_exc_TypeError, "'%s' object is not an iterator",
                             py_type_name(args[0]));
    if (nargs == 1)   /* StopIteration carries a generator's return value */
        return py_iter_next_raising(args[0]);
    ft_object *v = py_iter_next(args[0]);
    if (v || !py_err_occurred())
        return v ? v : ft_newref(args[1]);
    if (!py_err_matches(py_exc_StopIteration))
        return NULL;
    py_err_clear();
    return ft_newref(args[1]);
}

/* any / all: stop at the first item whose truth is `stop_on`. */
static ft_object *any_all(ft_object *iterable, int stop_on)
{
    ft_object *it = py_iter(iterable), *v;
    if (!it)
        return NULL;
    while ((v = py_iter_next(it))) {
        int t = py_is_true(v);
        ft_decref(v);
        if (t < 0 || t == stop_on) {
            ft_decref(it);
            return t < 0 ? NULL : ft_newref(ft_bool(stop_on));
        }
    }
    ft_decref(it);
    return py_err_occurred() ? NULL : ft_newref(ft_bool(!stop_on));
}

BUILTIN(any)
{
    ARGS_O("any")
    return any_all(args[0], 1);
}

BUILTIN(all)
{
    ARGS_O("all")
    return any_all(args[0], 0);
}

BUILTIN(sorted)
{
    (void)self;
    /* CPython: the one positional first, then list(iterable), then
     * list.sort(**kwargs) (whose name its keyword errors carry) */
    if (nargs != 1)
        return py_err_format(py_exc_TypeError, "sorted expected 1 argument, got %zu", nargs);
    ft_object *l = py_list_from_iterable(args[0]);
    if (!l)
        return NULL;
    ft_object *a[2];
    int rev = 0;
    if (py_bind_args("sort", args + 1, 0, kwnames, "*,|,key,reverse", a) < 0 ||
        (a[1] && (rev = py_is_true(a[1])) < 0) || py_list_sort(l, a[0], rev) < 0) {
        ft_decref(l);
        return NULL;
    }
    return l;
}

/* min() and max(): op is PY_LT or PY_GT. */
static ft_object *min_max(ft_object *const *args, size_t nargs, ft_object *kwnames,
                          int op, const char *name)
{
    ft_object *key = NULL, *dflt = NULL;
    for (ssize_t i = 0; i < nkw(kwnames); i++) {
        const char *k = kwname(kwnames, i);
        if (!strcmp(k, "key"))
            key = args[nargs + (size_t)i];
        else if (!strcmp(k, "default"))
            dflt = args[nargs + (size_t)i];
        else
            return py_err_format(py_exc_TypeError, "'%s' is an invalid keyword argument "
                                 "for %s()", k, name);
    }
    if (key == ft_none())
        key = NULL;
    if (nargs == 0)
        return py_err_format(py_exc_TypeError, "%s expected at least 1 argument, got 0",
                             name);
    if (nargs > 1 && dflt)
        return py_err_format(py_exc_TypeError, "Cannot specify a default for %s() with "
                             "multiple positional arguments", name);
    /* min(a, b, ...) walks the arguments, min(iterable) an iterator */
    ft_object *it = nargs == 1 ? py_iter(args[0]) : NULL;
    if (nargs == 1 && !it)
        return NULL;
    ft_object *best = NULL, *bestkey = NULL, *v;
    size_t next_arg = 0;
    while ((v = it ? py_iter_next(it)
                   : next_arg < nargs ? ft_newref(args[next_arg++]) : NULL)) {
        ft_object *kv = key ? py_call1(key, v) : ft_newref(v);
        int better = 1;
        if (kv && best)
            better = py_richcompare_bool(kv, bestkey, op);
        if (!kv || better < 0) {
            ft_xdecref(kv);
            ft_decref(v);
            break;
        }
        if (better) {
            ft_xdecref(best);
            ft_xdecref(bestkey);
            best = v;
            bestkey = kv;
        } else {
            ft_decref(v);
            ft_decref(kv);
        }
    }
    ft_xdecref(it);
    ft_xdecref(bestkey);
    if (py_err_occurred()) {
        ft_xdecref(best);
        return NULL;
    }
    if (best)
        return best;
    if (dflt)
        return ft_newref(dflt);
    return py_err_format(py_exc_ValueError, "%s() arg is an empty sequence", name);
}

BUILTIN(min)
{
    (void)self;
    return min_max(args, nargs, kwnames, PY_LT, "min");
}

BUILTIN(max)
{
    (void)self;
    return min_max(args, nargs, kwnames, PY_GT, "max");
}

/* sum's fast path over exact ints: returns the next item it could not
 * add (or NULL at the end / on error), with the total in *acc. */
static ft_object *sum_ints(ft_object *it, int64_t *acc)
{
    ft_object *v;
    while ((v = py_iter_next(it))) {
        int64_t x, sum;
        if (v->ob_type != &ft_int_type || py_long_as_i64(v, &x) < 0 ||
            __builtin_add_overflow(*acc, x, &sum))
            return v;   /* *acc still holds the total before v */
        *acc = sum;
        ft_decref(v);
    }
    return NULL;
}

BUILTIN(sum)
{
    (void)self;
    ft_object *a[2];
    if (py_bind_args("sum", args, nargs, kwnames, "iterable,/,|,start", a) < 0)
        return NULL;
    ft_object *start = a[1];
    if (start && py_str_check(start))
        return py_err_format(py_exc_TypeError, "sum() can't sum strings [use ''.join(seq) "
                             "instead]");
    if (start && py_bytes_check(start))
        return py_err_format(py_exc_TypeError, "sum() can't sum bytes [use b''.join(seq) "
                             "instead]");
    ft_object *it = py_iter(a[0]);
    if (!it)
        return NULL;
    ft_object *total;
    int64_t acc = 0;
    if (!start || (start->ob_type == &ft_int_type && py_long_as_i64(start, &acc) == 0)) {
        ft_object *v = sum_ints(it, &acc);
        total = ft_int_from_i64(acc);
        if (!v) {
            ft_decref(it);
            if (py_err_occurred()) {
                ft_xdecref(total);
                return NULL;
            }
            return total ? total : py_err_from_ft();
        }
        ft_object *t = total ? py_binary_op(total, v, PY_OP_ADD) : NULL;
        ft_xdecref(total);
        ft_decref(v);
        total = t;
    } else {
        total = ft_newref(start);
    }
    ft_object *v;
    if (total && total->ob_type == &ft_float_type) {
        /* CPython's float fast path: add exact floats and small ints as
         * doubles, box the total once */
        double f = ft_float_as_double(total);
        int64_t x;
        while ((v = py_iter_next(it))) {
            if (v->ob_type == &ft_float_type) {
                f += ft_float_as_double(v);
            } else if (v->ob_type == &ft_int_type || v->ob_type == &ft_bool_type) {
                f += (double)ft_int_as_i64(v);
            } else if (py_long_check(v) && py_long_as_i64(v, &x) == 0) {
                f += (double)x;
            } else {
                if (py_err_occurred())
                    py_err_clear();   /* a big int: added below as an object */
                break;
            }
            ft_decref(v);
        }
        if (!v && py_err_occurred()) {
            ft_decref(total);
            ft_decref(it);
            return NULL;
        }
        ft_decref(total);
        total = ft_float_from_double(f);
        if (!total) {
            ft_xdecref(v);
            ft_decref(it);
            return py_err_from_ft();
        }
        if (v) {
            ft_object *t = py_binary_op(total, v, PY_OP_ADD);
            ft_decref(v);
            ft_decref(total);
            total = t;
        }
    }
    while (total && (v = py_iter_next(it))) {
        ft_object *t = py_binary_op(total, v, PY_OP_ADD);
        ft_decref(v);
        ft_decref(total);
        total = t;
    }
    ft_decref(it);
    if (total && py_err_occurred()) {
        ft_decref(total);
        return NULL;
    }
    return total;
}

/* ---- The module ------------------------------------------------------------------------ */

static const py_method_def builtin_methods[] = {
    { "print", bi_print, PY_METH_DEFAULT },
    { "input", bi_input, PY_METH_DEFAULT },
    { "open", bi_open, PY_METH_DEFAULT },
    { "len", bi_len, PY_METH_DEFAULT },
    { "repr", bi_repr, PY_METH_DEFAULT },
    { "ascii", bi_ascii, PY_METH_DEFAULT },
    { "hash", bi_hash, PY_METH_DEFAULT },
    { "id", bi_id, PY_METH_DEFAULT },
    { "callable", bi_callable, PY_METH_DEFAULT },
    { "abs", bi_abs, PY_METH_DEFAULT },
    { "divmod", bi_divmod, PY_METH_DEFAULT },
    { "pow", bi_pow, PY_METH_DEFAULT },
    { "round", bi_round, PY_METH_DEFAULT },
    { "hex", bi_hex, PY_METH_DEFAULT },
    { "oct", bi_oct, PY_METH_DEFAULT },
    { "bin", bi_bin, PY_METH_DEFAULT },
    { "ord", bi_ord, PY_METH_DEFAULT },
    { "chr", bi_chr, PY_METH_DEFAULT },
    { "format", bi_format, PY_METH_DEFAULT },
    { "isinstance", bi_isinstance, PY_METH_DEFAULT },
    { "issubclass", bi_issubclass, PY_METH_DEFAULT },
    { "getattr", bi_getattr, PY_METH_DEFAULT },
    { "hasattr", bi_hasattr, PY_METH_DEFAULT },
    { "setattr", bi_setattr, PY_METH_DEFAULT },
    { "delattr", bi_delattr, PY_METH_DEFAULT },
    { "dir", bi_dir, PY_METH_DEFAULT },
    { "__import__", bi_import, PY_METH_DEFAULT },
    { "iter", bi_iter, PY_METH_DEFAULT },
    { "next", bi_next, PY_METH_DEFAULT },
    { "any", bi_any, PY_METH_DEFAULT },
    { "all", bi_all, PY_METH_DEFAULT },
    { "sorted", bi_sorted, PY_METH_DEFAULT },
    { "min", bi_min, PY_METH_DEFAULT },
    { "max", bi_max, PY_METH_DEFAULT },
    { "sum", bi_sum, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

static const struct { const char *name; py_type *cls; } builtin_classes[] = {
    { "object", &py_object_type }, { "type", &py_type_type },
    { "int", &py_int_class }, { "bool", &py_bool_class },
    { "float", &py_float_class }, { "str", &py_str_class },
    { "bytes", &py_bytes_class }, { "bytearray", &py_bytearray_class },
    { "list", &py_list_class },
    { "tuple", &py_tuple_class }, { "dict", &py_dict_class },
    { "set", &py_set_class }, { "frozenset", &py_frozenset_class },
    { "range", &py_range_class }, { "slice", &py_slice_class },
    { "enumerate", &py_enumerate_class }, { "zip", &py_zip_class },
    { "map", &py_map_class }, { "filter", &py_filter_class },
    { "reversed", &py_reversed_class }, { "super", &py_super_class },
    { "property", &py_property_class }, { "classmethod", &py_classmethod_class },
    { "staticmethod", &py_staticmethod_class },
};

static py_type **const builtin_exceptions[] = {
    &py_exc_BaseException, &py_exc_SystemExit, &py_exc_KeyboardInterrupt,
    &py_exc_GeneratorExit, &py_exc_Exception, &py_exc_StopIteration,
    &py_exc_ArithmeticError, &py_exc_ZeroDivisionError, &py_exc_OverflowError,
    &py_exc_FloatingPointError, &py_exc_AssertionError, &py_exc_AttributeError,
    &py_exc_LookupError, &py_exc_IndexError, &py_exc_KeyError, &py_exc_NameError,
    &py_exc_UnboundLocalError, &py_exc_RuntimeError, &py_exc_RecursionError,
    &py_exc_NotImplementedError, &py_exc_TypeError, &py_exc_ValueError,
    &py_exc_UnicodeError, &py_exc_UnicodeDecodeError, &py_exc_UnicodeEncodeError,
    &py_exc_ImportError, &py_exc_ModuleNotFoundError, &py_exc_MemoryError,
    &py_exc_OSError, &py_exc_FileNotFoundError, &py_exc_FileExistsError,
    &py_exc_PermissionError, &py_exc_IsADirectoryError, &py_exc_NotADirectoryError,
    &py_exc_TimeoutError, &py_exc_ConnectionError, &py_exc_BrokenPipeError,
    &py_exc_ConnectionResetError, &py_exc_ConnectionRefusedError,
    &py_exc_InterruptedError, &py_exc_BlockingIOError, &py_exc_EOFError,
    &py_exc_SyntaxError, &py_exc_IndentationError, &py_exc_TabError,
    &py_exc_SystemError, &py_exc_BufferError, &py_exc_ReferenceError,
    &py_exc_StopAsyncIteration, &py_exc_Warning, &py_exc_UserWarning,
    &py_exc_DeprecationWarning, &py_exc_RuntimeWarning,
};

static int add_function(ft_object *m, const py_method_def *def)
{
    ft_object *f = py_cfunction_new(def, m);
    if (!f)
        return -1;
    int rc = py_module_add(m, def->name, f);
    ft_decref(f);
    return rc;
}

static int add_steal(ft_object *m, const char *name, ft_object *v)
{
    if (!v)
        return py_err_occurred() ? -1 : py_err_from_ft_int();
    int rc = py_module_add(m, name, v);
    ft_decref(v);
    return rc;
}

static int builtins_exec(ft_object *m)
{
    builtins_dict = py_module_dict_borrow(m);
    for (size_t i = 0; i < sizeof builtin_classes / sizeof *builtin_classes; i++)
        if (py_module_add(m, builtin_classes[i].name,
                          &builtin_classes[i].cls->ft.ob_base) < 0)
            return -1;
    for (size_t i = 0; i < sizeof builtin_exceptions / sizeof *builtin_exceptions; i++) {
        py_type *e = *builtin_exceptions[i];
        if (e && py_module_add(m, e->ft.tp_name, &e->ft.ob_base) < 0)
            return -1;
    }
    if (py_module_add(m, "EnvironmentError", &py_exc_OSError->ft.ob_base) < 0 ||
        py_module_add(m, "IOError", &py_exc_OSError->ft.ob_base) < 0 ||
        py_module_add(m, "None", ft_none()) < 0 ||
        py_module_add(m, "True", ft_true()) < 0 ||
        py_module_add(m, "False", ft_false()) < 0 ||
        py_module_add(m, "__debug__", ft_true()) < 0 ||
        add_steal(m, "Ellipsis", py_ellipsis()) < 0 ||
        add_steal(m, "NotImplemented", py_notimplemented()) < 0)
        return -1;
    for (const py_method_def *d = py_vm_builtin_defs; d->name; d++)
        if (strcmp(d->name, "vars") != 0 && add_function(m, d) < 0)
            return -1;
    /* ours last: vars(obj) (it defers to the VM's for no argument) */
    static const py_method_def vars_def = { "vars", bi_vars, PY_METH_DEFAULT };
    return add_function(m, &vars_def);
}

const py_module_def py_builtins_module_def = { "builtins", builtins_exec,
                                               builtin_methods };
