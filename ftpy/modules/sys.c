/* modules/sys.c — the sys module: the interpreter's own settings and the
 * runtime facts a Python program may ask for.
 *
 * The module object lives from py_modules_init to py_modules_fini;
 * sys.modules is the one table of imported modules (import.c).
 *
 * Reference counts (getrefcount): ftpy's call path holds arguments as
 * CPython 3.11's does: LOAD_FAST/LOAD_GLOBAL push a new reference on the
 * value stack, and a built-in gets a pointer into that stack as its args
 * array (no copy, no tuple); a Python function takes the stack's
 * references over as its locals. So ft_refcnt(o) of the argument is what
 * CPython's Py_REFCNT reports: `a = []; sys.getrefcount(a)` is 2 (the
 * local and the stack). ft_refcnt sums the biased local and shared counts
 * in nogil, so the number is the same in every flavor. Immortal objects
 * (None, small ints, one-character strs, C types) report a huge count.
 *
 * Sizes (getsizeof, getallocatedblocks, _debugmallocstats) are ftlab's
 * own: ft_sizeof is the object's true size in ftlab's layout (16-byte
 * header in gil, 32 in nogil, the collector's per-object overhead
 * included), so the numbers differ from CPython's and between flavors;
 * only relations between them mean something. A class written in Python
 * that defines __sizeof__ is asked, and the collector's overhead added,
 * as CPython adds its GC header.
 *
 * Named structures (version_info, float_info, int_info, flags) are heap
 * classes made here: tuple subclasses whose fields are properties reading
 * item i (a built-in function bound to the int i), with CPython's repr
 * "sys.version_info(major=3, ...)". sys.implementation is an instance of
 * a small SimpleNamespace class with the namespace(...) repr.
 */
#include <limits.h>
#include <stdint.h>
#include "../ftpy.h"
#include <float.h>
#include <string.h>
#include "../objects/containers.h"
#include "../objects/int.h"
#include "../objects/typeobject.h"
#include "../vm/vm.h"
#include "modules.h"

static ft_object *sys_module;     /* the module, while the interpreter runs */

ft_object *py_sys_get_borrow(const char *name)
{
    ft_object *key = sys_module ? ft_str_from_utf8(name, -1) : NULL;
    ft_object *v = NULL;
    int found = key ? ft_dict_lookup(py_module_dict_borrow(sys_module), key, &v) : 0;
    ft_xdecref(key);
    if (found <= 0) {
        ft_err_clear();
        return py_err_format(py_exc_RuntimeError, "lost sys.%s", name);
    }
    ft_decref(v);   /* sys's dict keeps it alive */
    return v;
}

ft_object *py_sys_modules_borrow(void)
{
    return sys_module ? py_sys_get_borrow("modules") : NULL;
}

/* ---- CPython's argument messages for METH_NOARGS / METH_O functions ---- */

static int sys_noargs(const char *qual, size_t nargs, ft_object *kwnames)
{
    if (kwnames && ft_len(kwnames) > 0)
        return py_err_format_int(py_exc_TypeError, "%s() takes no keyword arguments", qual);
    if (nargs != 0)
        return py_err_format_int(py_exc_TypeError, "%s() takes no arguments (%zu given)",
                                 qual, nargs);
    return 0;
}

static int sys_onearg(const char *qual, size_t nargs, ft_object *kwnames)
{
    if (kwnames && ft_len(kwnames) > 0)
        return py_err_format_int(py_exc_TypeError, "%s() takes no keyword arguments", qual);
    if (nargs != 1)
        return py_err_format_int(py_exc_TypeError,
                                 "%s() takes exactly one argument (%zu given)", qual, nargs);
    return 0;
}

static ft_object *sys_exit(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("exit", kwnames) < 0 || py_check_nargs("exit", nargs, 0, 1) < 0)
        return NULL;
    ft_object *t = ft_tuple_new((ssize_t)nargs);
    if (!t)
        return py_err_from_ft();
    if (nargs == 1 && ft_tuple_set_steal(t, 0, ft_newref(args[0])) < 0) {
        ft_decref(t);
        return py_err_from_ft();
    }
    ft_object *exc = py_exc_new(py_exc_SystemExit, t);
    ft_decref(t);
    if (exc) {
        py_err_set_object(exc);
        ft_decref(exc);
    }
    return NULL;
}

static ft_object *sys_getrecursionlimit(ft_object *self, ft_object *const *args,
                                        size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (sys_noargs("sys.getrecursionlimit", nargs, kwnames) < 0)
        return NULL;
    return ft_int_from_i64(py_recursion_limit);
}

static ft_object *sys_setrecursionlimit(ft_object *self, ft_object *const *args,
                                        size_t nargs, ft_object *kwnames)
{
    (void)self;
    int64_t n;
    if (sys_onearg("sys.setrecursionlimit", nargs, kwnames) < 0)
        return NULL;
    if (!py_long_check(args[0]))
        return py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                             py_type_name(args[0]));
    if (py_long_as_i64(args[0], &n) < 0)
        return NULL;
    if (n < 1)
        return py_err_format(py_exc_ValueError, "recursion limit must be greater or equal than 1");
    if (n > INT_MAX)
        return py_err_format(py_exc_OverflowError, "Python int too large to convert to C int");
    py_recursion_limit = (int)n;
    return ft_none();
}

static ft_object *sys_intern(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    if (sys_onearg("sys.intern", nargs, kwnames) < 0)
        return NULL;
    if (!py_str_check_exact(args[0]))
        return py_err_format(py_exc_TypeError,
                             py_isinstance_exact_or_sub(args[0], &py_str_class)
                                 ? "can't intern %s" : "intern() argument must be str, not %s",
                             py_type_name(args[0]));
    ft_object *s = ft_str_intern(args[0]);
    return s ? s : py_err_from_ft();
}

static ft_object *sys_exc_info(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self; (void)args;
    if (sys_noargs("sys.exc_info", nargs, kwnames) < 0)
        return NULL;
    ft_object *exc = py_tstate_get()->exc_info;
    ft_object *t = ft_tuple_new(3);
    if (!t)
        return py_err_from_ft();
    ft_object *tb = exc && py_as_exc(exc)->traceback ? py_as_exc(exc)->traceback : ft_none();
    ft_tuple_set_steal(t, 0, ft_newref(exc ? (ft_object *)py_type_of(exc) : ft_none()));
    ft_tuple_set_steal(t, 1, ft_newref(exc ? exc : ft_none()));
    ft_tuple_set_steal(t, 2, ft_newref(tb));
    return t;
}

static ft_object *sys_is_gil_enabled(ft_object *self, ft_object *const *args,
                                     size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (sys_noargs("sys._is_gil_enabled", nargs, kwnames) < 0)
        return NULL;
    return ft_bool(ft_gil_is_enabled());
}

static ft_object *sys_getswitchinterval(ft_object *self, ft_object *const *args,
                                        size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (sys_noargs("sys.getswitchinterval", nargs, kwnames) < 0)
        return NULL;
    return ft_float_from_double((double)ft_get_switch_interval_us() / 1e6);
}

static ft_object *sys_setswitchinterval(ft_object *self, ft_object *const *args,
                                        size_t nargs, ft_object *kwnames)
{
    (void)self;
    if (sys_onearg("sys.setswitchinterval", nargs, kwnames) < 0)
        return NULL;
    double s;
    if (args[0]->ob_type == &ft_float_type)
        s = ft_float_as_double(args[0]);
    else if (py_long_check(args[0])) {
        int64_t v;
        if (py_long_as_i64(args[0], &v) < 0)
            return NULL;
        s = (double)v;
    } else
        return py_err_format(py_exc_TypeError, "must be real number, not %s",
                             py_type_name(args[0]));
    if (!(s > 0.0))
        return py_err_format(py_exc_ValueError, "switch interval must be strictly positive");
    /* CPython takes any positive interval; the runtime's GIL waits at
     * most FT_SWITCH_INTERVAL_MAX_US, which longer requests get. */
    double us = s * 1e6;
    us = us < 1.0 ? 1.0 : us > (double)FT_SWITCH_INTERVAL_MAX_US
                              ? (double)FT_SWITCH_INTERVAL_MAX_US : us;
    if (ft_set_switch_interval_us((long)us) < 0)
        return py_err_from_ft();
    return ft_none();
}

/* ---- Reference counts and sizes ------------------------------------------ */

static ft_object *sys_getrefcount(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)self;
    if (sys_onearg("sys.getrefcount", nargs, kwnames) < 0)
        return NULL;
    /* args[0] is the caller's value-stack slot: its reference is counted,
     * as in CPython (see the file's head). */
    return ft_int_from_i64((int64_t)ft_refcnt(args[0]));
}

/* The class of o's MRO whose dict defines name (borrowed), or NULL. */
static py_type *defining_class(py_type *t, ft_object *name)
{
    ft_object *mro = t->tp_mro;
    ssize_t n = mro ? ft_len(mro) : 0;
    for (ssize_t i = 0; i < n; i++) {
        py_type *c = (py_type *)ft_tuple_get_borrow(mro, i);
        ft_object *v = NULL;
        int found = c->tp_dict ? ft_dict_lookup(c->tp_dict, name, &v) : 0;
        ft_xdecref(v);
        if (found > 0)
            return c;
        ft_err_clear();
    }
    return NULL;
}

/* The size a Python-level __sizeof__ reports, plus the collector's
 * overhead for a GC object (CPython adds its GC header the same way);
 * -1 with an exception. */
static int64_t python_sizeof(ft_object *o, ft_object *name)
{
    ft_object *r = py_call_special(o, name, NULL, 0);
    if (!r)
        return -1;
    int64_t v;
    if (!py_long_check(r)) {
        ft_decref(r);
        return py_err_format_int(py_exc_TypeError, "an integer is required");
    }
    int rc = py_long_as_i64(r, &v);
    ft_decref(r);
    if (rc < 0)
        return -1;
    if (v < 0)
        return py_err_format_int(py_exc_ValueError, "__sizeof__() should return >= 0");
    ft_type *t = o->ob_type;
    size_t own = t->tp_sizeof ? t->tp_sizeof(o) : t->tp_basicsize;
    return v + (int64_t)(ft_sizeof(o) - own);
}

static ft_object *sys_getsizeof(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self;
    ft_object *a[2] = { NULL, NULL };
    if (nargs > 2)
        return py_err_format(py_exc_TypeError, "getsizeof() takes at most 2 arguments (%zu given)",
                             nargs);
    if (py_bind_args("getsizeof", args, nargs, kwnames, "object,|,default", a) < 0)
        return NULL;
    ft_object *o = a[0];
    ft_object *name = ft_str_from_utf8("__sizeof__", -1);
    if (!name)
        return py_err_from_ft();
    py_type *def = defining_class(py_type_of(o), name);
    int64_t size;
    if (!def) {
        size = py_err_format_int(py_exc_TypeError, "Type %s doesn't define __sizeof__",
                                 py_type_name(o));
    } else if (py_type_is_heap(def)) {
        size = python_sizeof(o, name);
    } else {
        /* A built-in: ftlab's true size; an instance of a user subclass of
         * list, dict, ... adds the runtime object it boxes. */
        size = (int64_t)ft_sizeof(o);
        py_type *t = py_type_of(o);
        ft_object *inner = t->tp_box ? py_unbox_borrow(o, t->tp_box) : NULL;
        if (inner && inner != o)
            size += (int64_t)ft_sizeof(inner);
    }
    ft_decref(name);
    if (size < 0) {
        if (a[1] && py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            return ft_newref(a[1]);
        }
        return NULL;
    }
    return ft_int_from_i64(size);
}

static ft_object *sys_getallocatedblocks(ft_object *self, ft_object *const *args,
                                         size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (sys_noargs("sys.getallocatedblocks", nargs, kwnames) < 0)
        return NULL;
    ft_mem_stats st;
    if (ft_mem_get_stats(&st) < 0)
        return py_err_from_ft();
    return ft_int_from_i64(st.live_blocks);
}

static ft_object *sys_debugmallocstats(ft_object *self, ft_object *const *args,
                                       size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (sys_noargs("sys._debugmallocstats", nargs, kwnames) < 0)
        return NULL;
    fflush(stdout);
    ft_mem_print_stats(stderr);
    fflush(stderr);
    return ft_none();
}

/* ---- Encodings, exceptions, hooks ------------------------------------------ */

static ft_object *sys_getdefaultencoding(ft_object *self, ft_object *const *args,
                                         size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (sys_noargs("sys.getdefaultencoding", nargs, kwnames) < 0)
        return NULL;
    ft_object *s = ft_str_from_utf8("utf-8", -1);
    return s ? s : py_err_from_ft();
}

static ft_object *sys_getfilesystemencoding(ft_object *self, ft_object *const *args,
                                            size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (sys_noargs("sys.getfilesystemencoding", nargs, kwnames) < 0)
        return NULL;
    ft_object *s = ft_str_from_utf8("utf-8", -1);
    return s ? s : py_err_from_ft();
}

static ft_object *sys_exception(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self; (void)args;
    if (sys_noargs("sys.exception", nargs, kwnames) < 0)
        return NULL;
    ft_object *exc = py_tstate_get()->exc_info;
    return ft_newref(exc ? exc : ft_none());
}

/* excepthook(type, value, traceback): prints value as the interpreter
 * prints an uncaught exception (its own traceback, cause and context). */
static ft_object *sys_excepthook(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("excepthook", kwnames) < 0)
        return NULL;
    if (nargs != 3)
        return py_err_format(py_exc_TypeError, "excepthook expected 3 arguments, got %zu",
                             nargs);
    ft_object *value = args[1];
    if (!py_exc_check(value)) {
        fflush(stdout);
        fprintf(stderr, "TypeError: print_exception(): Exception expected for value, "
                "%s found\n", py_type_name(value));
        return ft_none();
    }
    /* CPython uses the traceback argument when the exception has none. */
    if (!py_as_exc(value)->traceback && py_type_of(args[2]) == &py_traceback_class)
        py_exc_set_traceback(value, args[2]);
    py_err_print(value);
    return ft_none();
}

/* displayhook(o): what the REPL does with an expression statement's value:
 * nothing for None, else builtins._ = None, repr(o) written to
 * sys.stdout with a newline, builtins._ = o. */
static ft_object *sys_displayhook(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)self;
    if (sys_onearg("sys.displayhook", nargs, kwnames) < 0)
        return NULL;
    ft_object *o = args[0];
    if (o == ft_none())
        return ft_none();
    ft_object *b = py_builtins_dict_borrow();
    ft_object *under = ft_str_from_utf8("_", -1);
    if (!under)
        return py_err_from_ft();
    if (ft_dict_set(b, under, ft_none()) < 0) {
        ft_decref(under);
        return py_err_from_ft();
    }
    ft_object *out = py_sys_get_borrow("stdout");
    ft_object *text = out ? py_repr(o) : NULL;
    ft_object *line = NULL, *nl = NULL, *r = NULL;
    if (text && (nl = ft_str_from_utf8("\n", -1)) != NULL &&
        (line = py_str_concat(text, nl)) != NULL)
        r = py_call_method(out, PY_ID(write), &line, 1);
    ft_xdecref(text);
    ft_xdecref(nl);
    ft_xdecref(line);
    if (!r) {
        ft_decref(under);
        return py_err_occurred() ? NULL : py_err_from_ft();
    }
    ft_decref(r);
    int rc = ft_dict_set(b, under, o);
    ft_decref(under);
    return rc < 0 ? py_err_from_ft() : ft_none();
}

static ft_object *sys_get_int_max_str_digits(ft_object *self, ft_object *const *args,
                                             size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (sys_noargs("sys.get_int_max_str_digits", nargs, kwnames) < 0)
        return NULL;
    return ft_int_from_i64(py_int_max_str_digits);
}

static ft_object *sys_set_int_max_str_digits(ft_object *self, ft_object *const *args,
                                             size_t nargs, ft_object *kwnames)
{
    (void)self;
    ft_object *a[1] = { NULL };
    if (py_bind_args("set_int_max_str_digits", args, nargs, kwnames, "maxdigits", a) < 0)
        return NULL;
    ssize_t v;
    if (py_index_ssize(a[0], &v) < 0)
        return NULL;
    if (v != 0 && (v < 640 || v > INT_MAX))
        return py_err_format(py_exc_ValueError,
                             "maxdigits must be 0 or larger than %d", 640);
    py_int_max_str_digits = (int)v;
    return ft_none();
}

static const py_method_def sys_methods[] = {
    { "exit", sys_exit, 0 },
    { "getrecursionlimit", sys_getrecursionlimit, 0 },
    { "setrecursionlimit", sys_setrecursionlimit, 0 },
    { "intern", sys_intern, 0 },
    { "exc_info", sys_exc_info, 0 },
    { "_is_gil_enabled", sys_is_gil_enabled, 0 },
    { "getswitchinterval", sys_getswitchinterval, 0 },
    { "setswitchinterval", sys_setswitchinterval, 0 },
    { "getrefcount", sys_getrefcount, 0 },
    { "getsizeof", sys_getsizeof, 0 },
    { "getallocatedblocks", sys_getallocatedblocks, 0 },
    { "_debugmallocstats", sys_debugmallocstats, 0 },
    { "getdefaultencoding", sys_getdefaultencoding, 0 },
    { "getfilesystemencoding", sys_getfilesystemencoding, 0 },
    { "exception", sys_exception, 0 },
    { "excepthook", sys_excepthook, 0 },
    { "displayhook", sys_displayhook, 0 },
    { "get_int_max_str_digits", sys_get_int_max_str_digits, 0 },
    { "set_int_max_str_digits", sys_set_int_max_str_digits, 0 },
    { NULL, NULL, 0 },
};

/* Adds name = value and releases value (NULL: an error already set). */
static int add_steal(ft_object *m, const char *name, ft_object *value)
{
    if (!value)
        return -1;
    int rc = py_module_add(m, name, value);
    ft_decref(value);
    return rc;
}

static ft_object *str_or_null(const char *s)
{
    ft_object *o = ft_str_from_utf8(s, -1);
    return o ? o : py_err_from_ft();
}

/* ---- Named structures and sys.implementation ------------------------------ */

/* A growing UTF-8 buffer for the reprs below. */
typedef struct strbuf { char *p; size_t n, cap; bool oom; } strbuf;

static void sb_add(strbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = ft_realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_adds(strbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

/* Appends "name=repr(value)"; -1 when repr failed. */
static int sb_add_field(strbuf *b, ft_object *name, ft_object *value)
{
    ft_object *r = py_repr(value);
    if (!r)
        return -1;
    ssize_t n;
    const char *u = ft_str_utf8_borrow(name, &n);
    sb_add(b, u ? u : "?", u ? (size_t)n : 1);
    sb_adds(b, "=");
    u = ft_str_utf8_borrow(r, &n);
    sb_add(b, u, (size_t)n);
    ft_decref(r);
    return 0;
}

static ft_object *sb_finish(strbuf *b)
{
    ft_object *s = b->oom ? NULL : ft_str_from_utf8(b->p ? b->p : "", (ssize_t)b->n);
    ft_free(b->p);
    if (b->oom)
        return py_err_nomemory();
    return s ? s : py_err_from_ft();
}

/* A field's getter: self is the field's index (an int), args[0] the
 * structure; a property over it is the field's descriptor. */
static ft_object *structseq_field(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    ft_object *t = nargs == 1 && !kwnames ? py_unbox_borrow(args[0], &ft_tuple_type) : NULL;
    if (!t)
        return py_err_format(py_exc_TypeError, "a named structure's field needs the structure");
    ft_object *v = ft_tuple_get_borrow(t, ft_int_as_i64(self));
    return v ? ft_newref(v) : py_err_from_ft();
}

static const py_method_def structseq_field_def = { "field", structseq_field, 0 };

/* "sys.version_info(major=3, minor=11, ...)": the class's __module__ and
 * name, then each field of __match_args__ with the item's repr. */
static ft_object *structseq_repr(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("__repr__", kwnames) < 0 || py_check_nargs("__repr__", nargs, 0, 0) < 0)
        return NULL;
    py_type *cls = py_type_of(self);
    ft_object *key = ft_str_from_utf8("__match_args__", -1);
    ft_object *fields = key ? py_type_lookup_borrow(cls, key) : NULL;
    ft_xdecref(key);
    ft_object *t = py_unbox_borrow(self, &ft_tuple_type);
    if (!fields || fields->ob_type != &ft_tuple_type || !t)
        return py_err_format(py_exc_TypeError, "not a named structure");
    strbuf b = { 0 };
    ft_object *mod = py_type_module(cls);
    if (!mod)
        return NULL;
    sb_adds(&b, ft_str_utf8_borrow(mod, NULL));
    ft_decref(mod);
    sb_adds(&b, ".");
    sb_adds(&b, ft_str_utf8_borrow(cls->tp_name_obj, NULL));
    sb_adds(&b, "(");
    ssize_t n = ft_len(fields), len = ft_len(t);
    for (ssize_t i = 0; i < n && i < len; i++) {
        if (i)
            sb_adds(&b, ", ");
        if (sb_add_field(&b, ft_tuple_get_borrow(fields, i), ft_tuple_get_borrow(t, i)) < 0) {
            ft_free(b.p);
            return NULL;
        }
    }
    sb_adds(&b, ")");
    return sb_finish(&b);
}

static const py_method_def structseq_repr_def = { "__repr__", structseq_repr, 0 };

/* d[key] = v, releasing v; 0 or -1. */
static int dict_put_steal(ft_object *d, const char *key, ft_object *v)
{
    ft_object *k = v ? ft_str_from_utf8(key, -1) : NULL;
    int rc = k ? ft_dict_set(d, k, v) : -1;
    ft_xdecref(k);
    ft_xdecref(v);
    return rc < 0 ? py_err_from_ft_int() : 0;
}

/* Sets cls.name to a method descriptor for def; 0 or -1. */
static int class_add_method(ft_object *cls, const py_method_def *def)
{
    ft_object *name = ft_str_from_utf8(def->name, -1);
    ft_object *d = name ? py_method_descr_new((py_type *)cls, def) : NULL;
    int rc = d ? py_type_setattr((py_type *)cls, name, d) : -1;
    ft_xdecref(d);
    ft_xdecref(name);
    return rc < 0 ? (py_err_occurred() ? -1 : py_err_from_ft_int()) : 0;
}

/* A class of module `module` deriving from base, with the entries already
 * in dict (taken over), and a __repr__ from repr_def. */
static ft_object *make_class(const char *module, const char *name, py_type *base,
                             ft_object *dict, const py_method_def *repr_def)
{
    ft_object *n = NULL, *bases = NULL, *cls = NULL;
    if (dict_put_steal(dict, "__module__", str_or_null(module)) < 0)
        goto done;
    n = ft_str_from_utf8(name, -1);
    bases = n ? ft_tuple_new(1) : NULL;
    if (!bases) {
        py_err_from_ft();
        goto done;
    }
    ft_tuple_set_steal(bases, 0, ft_newref(&base->ft.ob_base));
    cls = py_type_new_class(&py_type_type, n, bases, dict);
    if (cls && class_add_method(cls, repr_def) < 0) {
        ft_decref(cls);
        cls = NULL;
    }
done:
    ft_xdecref(n);
    ft_xdecref(bases);
    ft_decref(dict);
    return cls;
}

/* A named structure: an instance of a new tuple subclass sys.<name> with
 * one property per field; values is a tuple (taken over). */
static ft_object *structseq_new(const char *name, const char *const *fields,
                                ft_object *values)
{
    ssize_t n = 0;
    while (fields[n])
        n++;
    ft_object *dict = values ? ft_dict_new() : NULL;
    ft_object *match = dict ? ft_tuple_new(n) : NULL;
    if (!match) {
        ft_xdecref(dict);
        ft_xdecref(values);
        return py_err_from_ft();
    }
    for (ssize_t i = 0; i < n; i++)
        ft_tuple_set_steal(match, i, str_or_null(fields[i]));
    int rc = dict_put_steal(dict, "__match_args__", match);
    rc = rc < 0 ? rc : dict_put_steal(dict, "__slots__", ft_tuple_new(0));
    rc = rc < 0 ? rc : dict_put_steal(dict, "n_fields", ft_int_from_i64(n));
    rc = rc < 0 ? rc : dict_put_steal(dict, "n_sequence_fields", ft_int_from_i64(n));
    rc = rc < 0 ? rc : dict_put_steal(dict, "n_unnamed_fields", ft_int_from_i64(0));
    for (ssize_t i = 0; rc == 0 && i < n; i++) {
        ft_object *idx = ft_int_from_i64(i);
        ft_object *get = idx ? py_cfunction_new(&structseq_field_def, idx) : NULL;
        ft_object *prop = get ? py_property_new(get, NULL, NULL, NULL) : NULL;
        ft_xdecref(idx);
        ft_xdecref(get);
        rc = dict_put_steal(dict, fields[i], prop);
    }
    if (rc < 0) {
        ft_decref(dict);
        ft_decref(values);
        return NULL;
    }
    ft_object *cls = make_class("sys", name, &py_tuple_class, dict, &structseq_repr_def);
    ft_object *obj = cls ? py_call1(cls, values) : NULL;
    ft_xdecref(cls);
    ft_decref(values);
    return obj;
}

/* A tuple from printf-like codes: 'i' int64_t, 'd' double, 's' const char *,
 * 'b' bool (an int), 'B' bool (a bool). */
static ft_object *tuple_of(const char *codes, ...)
{
    va_list ap;
    ssize_t n = (ssize_t)strlen(codes);
    ft_object *t = ft_tuple_new(n);
    if (!t)
        return py_err_from_ft();
    va_start(ap, codes);
    for (ssize_t i = 0; i < n; i++) {
        ft_object *v;
        switch (codes[i]) {
        case 'i': v = ft_int_from_i64(va_arg(ap, int64_t)); break;
        case 'd': v = ft_float_from_double(va_arg(ap, double)); break;
        case 's': v = ft_str_from_utf8(va_arg(ap, const char *), -1); break;
        default:  v = ft_bool(va_arg(ap, int) != 0); break;
        }
        if (!v || ft_tuple_set_steal(t, i, v) < 0) {
            va_end(ap);
            ft_decref(t);
            return py_err_from_ft();
        }
    }
    va_end(ap);
    return t;
}

#define PY_VERSION_HEX ((3 << 24) | (11 << 16) | (0 << 8) | (0xF << 4) | 0)

static ft_object *version_info(void)
{
    static const char *const f[] = { "major", "minor", "micro", "releaselevel", "serial", NULL };
    return structseq_new("version_info", f, tuple_of("iiisi", (int64_t)3, (int64_t)11,
                                                     (int64_t)0, "final", (int64_t)0));
}

static ft_object *float_info(void)
{
    static const char *const f[] = { "max", "max_exp", "max_10_exp", "min", "min_exp",
                                      "min_10_exp", "dig", "mant_dig", "epsilon", "radix",
                                      "rounds", NULL };
    return structseq_new("float_info", f,
                         tuple_of("diidiiiidii", DBL_MAX, (int64_t)DBL_MAX_EXP,
                                  (int64_t)DBL_MAX_10_EXP, DBL_MIN, (int64_t)DBL_MIN_EXP,
                                  (int64_t)DBL_MIN_10_EXP, (int64_t)DBL_DIG,
                                  (int64_t)DBL_MANT_DIG, DBL_EPSILON, (int64_t)FLT_RADIX,
                                  (int64_t)FLT_ROUNDS));
}

/* ftpy's ints: 64-bit machine ints, then GMP numbers of 64-bit limbs. */
static ft_object *int_info(void)
{
    static const char *const f[] = { "bits_per_digit", "sizeof_digit",
                                      "default_max_str_digits",
                                      "str_digits_check_threshold", NULL };
    return structseq_new("int_info", f, tuple_of("iiii", (int64_t)64, (int64_t)8,
                                                 (int64_t)4300, (int64_t)640));
}

/* The command-line flags ftpy has: none of CPython's options, no site
 * module, no bytecode files, UTF-8 everywhere, random str hashes. */
static ft_object *flags(void)
{
    static const char *const f[] = { "debug", "inspect", "interactive", "optimize",
        "dont_write_bytecode", "no_user_site", "no_site", "ignore_environment", "verbose",
        "bytes_warning", "quiet", "hash_randomization", "isolated", "dev_mode",
        "utf8_mode", "warn_default_encoding", "safe_path", "int_max_str_digits", NULL };
    int64_t z = 0, one = 1;
    return structseq_new("flags", f, tuple_of("iiiiiiiiiiiiiBiiBi", z, z, z, z, one, z, one,
                                              z, z, z, z, one, z, 0, one, z, 0,
                                              (int64_t)-1));
}

/* types.SimpleNamespace's repr: namespace(a=1, b='x'), in insertion order. */
static ft_object *namespace_repr(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("__repr__", kwnames) < 0 || py_check_nargs("__repr__", nargs, 0, 0) < 0)
        return NULL;
    ft_object *d = py_instance_dict_borrow(self, false);
    strbuf b = { 0 };
    sb_adds(&b, "namespace(");
    ssize_t pos = 0;
    ft_object *k, *v;
    for (int i = 0; d && ft_dict_next_ref(d, &pos, &k, &v) == 1; i++) {
        if (i)
            sb_adds(&b, ", ");
        int rc = py_str_check_exact(k) ? sb_add_field(&b, k, v) : 0;
        ft_decref(k);
        ft_decref(v);
        if (rc < 0) {
            ft_free(b.p);
            return NULL;
        }
    }
    sb_adds(&b, ")");
    return sb_finish(&b);
}

static const py_method_def namespace_repr_def = { "__repr__", namespace_repr, 0 };

/* sys.implementation: name, cache_tag (None: ftpy writes no bytecode),
 * version, hexversion, and ftlab's flavor. */
static ft_object *implementation(ft_object *version)
{
    if (!version)
        return NULL;
    ft_object *dict = ft_dict_new();
    if (!dict)
        return py_err_from_ft();
    ft_object *cls = make_class("types", "SimpleNamespace", &py_object_type, dict,
                                &namespace_repr_def);
    ft_object *ns = cls ? py_call0(cls) : NULL;
    ft_xdecref(cls);
    if (!ns)
        return NULL;
    struct { const char *name; ft_object *v; } attrs[] = {
        { "name", str_or_null("ftpy") },
        { "cache_tag", ft_none() },
        { "version", ft_newref(version) },
        { "hexversion", ft_int_from_i64(PY_VERSION_HEX) },
        { "flavor", str_or_null(ft_flavor()) },
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        ft_object *name = rc == 0 && attrs[i].v ? ft_str_from_utf8(attrs[i].name, -1) : NULL;
        if (!name || py_setattr(ns, name, attrs[i].v) < 0)
            rc = -1;
        ft_xdecref(name);
        ft_xdecref(attrs[i].v);
    }
    if (rc < 0) {
        ft_decref(ns);
        return py_err_occurred() ? NULL : py_err_from_ft();
    }
    return ns;
}

/* The functions other files define for sys (systrace.c). */
static int add_functions(ft_object *m, const py_method_def *defs)
{
    for (const py_method_def *d = defs; d->name; d++) {
        ft_object *f = py_cfunction_new(d, m);
        int rc = f ? py_module_add(m, d->name, f) : -1;
        ft_xdecref(f);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int sys_exec(ft_object *m)
{
    sys_module = m;   /* py_sys_get_borrow below reads the module being made */
    if (add_functions(m, py_sys_trace_defs) < 0)
        return -1;
    char version[128];
    snprintf(version, sizeof version, "3.11.0 (ftpy on ftlab, %s build)", ft_flavor());
    ft_object *modules = ft_dict_new();
    if (add_steal(m, "modules", modules ? modules : py_err_from_ft()) < 0 ||
        add_steal(m, "path", ft_list_new(0)) < 0 ||
        add_steal(m, "argv", ft_list_new(0)) < 0 ||
        add_steal(m, "maxsize", ft_int_from_i64(INT64_MAX)) < 0 ||
        add_steal(m, "maxunicode", ft_int_from_i64(0x10FFFF)) < 0 ||
        add_steal(m, "version", str_or_null(version)) < 0 ||
        add_steal(m, "version_info", version_info()) < 0 ||
        add_steal(m, "hexversion", ft_int_from_i64(PY_VERSION_HEX)) < 0 ||
        add_steal(m, "api_version", ft_int_from_i64(1013)) < 0 ||
        add_steal(m, "float_info", float_info()) < 0 ||
        add_steal(m, "int_info", int_info()) < 0 ||
        add_steal(m, "flags", flags()) < 0 ||
        add_steal(m, "implementation", implementation(py_sys_get_borrow("version_info"))) < 0 ||
        add_steal(m, "platform", str_or_null("linux")) < 0 ||
        add_steal(m, "byteorder", str_or_null("little")) < 0 ||
        add_steal(m, "flavor", str_or_null(ft_flavor())) < 0 ||
        add_steal(m, "stdin", py_io_stdfile_new(0, "<stdin>", "r")) < 0 ||
        add_steal(m, "stdout", py_io_stdfile_new(1, "<stdout>", "w")) < 0 ||
        add_steal(m, "stderr", py_io_stdfile_new(2, "<stderr>", "w")) < 0)
        return -1;
    static const char *const std[] = { "stdin", "stdout", "stderr", "excepthook",
                                       "displayhook" };
    for (int i = 0; i < 5; i++) {
        char dunder[24];
        snprintf(dunder, sizeof dunder, "__%s__", std[i]);
        if (py_module_add(m, dunder, py_sys_get_borrow(std[i])) < 0)
            return -1;
    }
    return 0;
}

const py_module_def py_sys_module_def = { "sys", sys_exec, sys_methods };

/* exit() and quit(), which CPython's site module puts in builtins: both
 * raise SystemExit like sys.exit. */
const py_method_def py_site_exit_defs[] = {
    { "exit", sys_exit, 0 },
    { "quit", sys_exit, 0 },
    { NULL, NULL, 0 },
};

void _py_sys_set_module(ft_object *m) { sys_module = m; }
