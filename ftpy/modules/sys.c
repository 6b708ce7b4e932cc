/* modules/sys.c — the sys module: the interpreter's own settings and the
 * runtime facts a Python program may ask for.
 *
 * The module object lives from py_modules_init to py_modules_fini;
 * sys.modules is the one table of imported modules (import.c).
 */
#include <limits.h>
#include <stdint.h>
#include "../ftpy.h"
#include "../objects/containers.h"
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
    if (py_no_kwargs("getrecursionlimit", kwnames) < 0 ||
        py_check_nargs("getrecursionlimit", nargs, 0, 0) < 0)
        return NULL;
    return ft_int_from_i64(py_recursion_limit);
}

static ft_object *sys_setrecursionlimit(ft_object *self, ft_object *const *args,
                                        size_t nargs, ft_object *kwnames)
{
    (void)self;
    int64_t n;
    if (py_no_kwargs("setrecursionlimit", kwnames) < 0 ||
        py_check_nargs("setrecursionlimit", nargs, 1, 1) < 0)
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
    if (py_no_kwargs("intern", kwnames) < 0 || py_check_nargs("intern", nargs, 1, 1) < 0)
        return NULL;
    if (!py_str_check_exact(args[0]))
        return py_err_format(py_exc_TypeError, "intern() argument must be str, not %s",
                             py_type_name(args[0]));
    ft_object *s = ft_str_intern(args[0]);
    return s ? s : py_err_from_ft();
}

static ft_object *sys_exc_info(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("exc_info", kwnames) < 0 || py_check_nargs("exc_info", nargs, 0, 0) < 0)
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
    if (py_no_kwargs("_is_gil_enabled", kwnames) < 0 ||
        py_check_nargs("_is_gil_enabled", nargs, 0, 0) < 0)
        return NULL;
    return ft_bool(ft_gil_is_enabled());
}

static ft_object *sys_getswitchinterval(ft_object *self, ft_object *const *args,
                                        size_t nargs, ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("getswitchinterval", kwnames) < 0 ||
        py_check_nargs("getswitchinterval", nargs, 0, 0) < 0)
        return NULL;
    return ft_float_from_double((double)ft_get_switch_interval_us() / 1e6);
}

static ft_object *sys_setswitchinterval(ft_object *self, ft_object *const *args,
                                        size_t nargs, ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("setswitchinterval", kwnames) < 0 ||
        py_check_nargs("setswitchinterval", nargs, 1, 1) < 0)
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
    long us = s * 1e6 < 1.0 ? 1 : (long)(s * 1e6);
    ft_set_switch_interval_us(us);
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

static ft_object *version_info(void)
{
    ft_object *t = ft_tuple_new(5);
    if (!t)
        return py_err_from_ft();
    ft_tuple_set_steal(t, 0, ft_int_from_i64(3));
    ft_tuple_set_steal(t, 1, ft_int_from_i64(11));
    ft_tuple_set_steal(t, 2, ft_int_from_i64(0));
    ft_tuple_set_steal(t, 3, ft_str_from_utf8("final", -1));
    ft_tuple_set_steal(t, 4, ft_int_from_i64(0));
    return t;
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
        add_steal(m, "platform", str_or_null("linux")) < 0 ||
        add_steal(m, "byteorder", str_or_null("little")) < 0 ||
        add_steal(m, "flavor", str_or_null(ft_flavor())) < 0 ||
        add_steal(m, "stdin", py_io_stdfile_new(0, "<stdin>", "r")) < 0 ||
        add_steal(m, "stdout", py_io_stdfile_new(1, "<stdout>", "w")) < 0 ||
        add_steal(m, "stderr", py_io_stdfile_new(2, "<stderr>", "w")) < 0)
        return -1;
    static const char *const std[] = { "stdin", "stdout", "stderr" };
    for (int i = 0; i < 3; i++) {
        char dunder[16];
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
