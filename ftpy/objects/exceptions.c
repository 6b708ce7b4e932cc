/* objects/exceptions.c — the built-in exception classes (CPython 3.11's
 * hierarchy) and their instances (py_exception, ftpy.h).
 *
 * Every class shares the py_exception layout: args, __traceback__,
 * __cause__, __context__, __suppress_context__, a __dict__ and a weak
 * reference list. The fields of particular classes (OSError.errno,
 * SyntaxError.lineno, StopIteration.value, ...) live in the instance
 * __dict__, set by the class's __init__; the classes hold None defaults
 * for them, so a subclass whose __init__ skips super().__init__ still
 * reads None, as CPython's member descriptors give.
 *
 * The classes are static py_types filled in from a table at start-up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../ftpy.h"
#include "typeobject.h"

py_type *py_exc_BaseException, *py_exc_SystemExit, *py_exc_KeyboardInterrupt,
    *py_exc_GeneratorExit, *py_exc_Exception, *py_exc_StopIteration,
    *py_exc_ArithmeticError, *py_exc_ZeroDivisionError, *py_exc_OverflowError,
    *py_exc_FloatingPointError, *py_exc_AssertionError, *py_exc_AttributeError,
    *py_exc_LookupError, *py_exc_IndexError, *py_exc_KeyError, *py_exc_NameError,
    *py_exc_UnboundLocalError, *py_exc_RuntimeError, *py_exc_RecursionError,
    *py_exc_NotImplementedError, *py_exc_TypeError, *py_exc_ValueError,
    *py_exc_UnicodeError, *py_exc_UnicodeDecodeError, *py_exc_UnicodeEncodeError,
    *py_exc_ImportError, *py_exc_ModuleNotFoundError, *py_exc_MemoryError,
    *py_exc_OSError, *py_exc_FileNotFoundError, *py_exc_FileExistsError,
    *py_exc_PermissionError, *py_exc_IsADirectoryError, *py_exc_NotADirectoryError,
    *py_exc_TimeoutError, *py_exc_ConnectionError, *py_exc_BrokenPipeError,
    *py_exc_ConnectionResetError, *py_exc_ConnectionRefusedError,
    *py_exc_InterruptedError, *py_exc_BlockingIOError, *py_exc_EOFError,
    *py_exc_SyntaxError, *py_exc_IndentationError, *py_exc_TabError,
    *py_exc_SystemError, *py_exc_BufferError, *py_exc_ReferenceError,
    *py_exc_StopAsyncIteration, *py_exc_Warning, *py_exc_UserWarning,
    *py_exc_DeprecationWarning, *py_exc_RuntimeWarning;

/* Classes beyond ftpy.h's list. */
py_type *py_exc_ChildProcessError, *py_exc_ConnectionAbortedError,
    *py_exc_ProcessLookupError, *py_exc_UnicodeTranslateError,
    *py_exc_PendingDeprecationWarning, *py_exc_SyntaxWarning, *py_exc_FutureWarning,
    *py_exc_ImportWarning, *py_exc_UnicodeWarning, *py_exc_BytesWarning,
    *py_exc_ResourceWarning, *py_exc_EncodingWarning;

static const char *utf8(ft_object *s)
{
    const char *u = s && s->ob_type == &ft_str_type ? ft_str_utf8_borrow(s, NULL) : NULL;
    return u ? u : "?";
}

/* ---- the instance --------------------------------------------------------------- */

static int exc_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    py_exception *e = py_as_exc(o);
    ft_object *refs[] = { e->dict, e->args, e->traceback, e->context, e->cause };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        if (refs[i]) {
            int rc = visit(refs[i], arg);
            if (rc)
                return rc;
        }
    return 0;
}

static int exc_clear(ft_object *o)
{
    py_exception *e = py_as_exc(o);
    ft_object *refs[] = { e->dict, e->args, e->traceback, e->context, e->cause };
    e->dict = e->args = e->traceback = e->context = e->cause = NULL;
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        ft_xdecref(refs[i]);
    return 0;
}

static void exc_dealloc(ft_object *o)
{
    ft_gc_untrack(o);
    ft_object_clear_weakrefs(o);
    exc_clear(o);
    ft_object_free(o);
}

static ft_object *make_args(ft_object *const *args, size_t nargs)
{
    ft_object *t = ft_tuple_new((ssize_t)nargs);
    if (!t)
        return py_err_from_ft();
    for (size_t i = 0; i < nargs; i++)
        ft_tuple_set_steal(t, (ssize_t)i, ft_newref(args[i]));
    return t;
}

static ft_object *exc_alloc(py_type *cls, ft_object *args_steal)
{
    if (!args_steal)
        return NULL;
    py_exception *e = (py_exception *)ft_object_new(&cls->ft, cls->ft.tp_basicsize);
    if (!e) {
        ft_decref(args_steal);
        return py_err_from_ft();
    }
    e->args = args_steal;
    if (!(e->dict = ft_dict_new())) {
        ft_decref(&e->ob_base);
        return py_err_from_ft();
    }
    return &e->ob_base;
}

/* BaseException.__new__: args are every positional argument. */
static ft_object *exc_new(py_type *cls, ft_object *const *args, size_t nargs,
                          ft_object *kwnames)
{
    (void)kwnames;
    return exc_alloc(cls, make_args(args, nargs));
}

static void set_args(ft_object *self, ft_object *const *args, size_t nargs)
{
    ft_object *t = make_args(args, nargs);
    if (!t)
        return;
    ft_object *old = py_as_exc(self)->args;
    py_as_exc(self)->args = t;
    ft_xdecref(old);
}

static int exc_init(ft_object *self, ft_object *const *args, size_t nargs,
                    ft_object *kwnames)
{
    if (kwnames && ft_len(kwnames) > 0)
        return py_err_format_int(py_exc_TypeError, "%s() takes no keyword arguments",
                                 py_type_name(self));
    set_args(self, args, nargs);
    return py_err_occurred() ? -1 : 0;
}

ft_object *py_exc_new(py_type *type, ft_object *args)
{
    ft_object *a = args ? ft_newref(args) : ft_tuple_new(0);
    if (!a)
        return py_err_from_ft();
    ft_object *e = exc_alloc(type, a);
    if (!e)
        return NULL;
    /* the class's own __init__ fills its fields (errno, value, ...) */
    py_initfunc init = type->tp_init;
    if (init && init != exc_init && !py_type_is_heap(type)) {
        ssize_t n = ft_len(args ? args : py_as_exc(e)->args);
        ft_object *small[8], **buf = n <= 8 ? small : malloc((size_t)n * sizeof *buf);
        if (!buf) {
            ft_decref(e);
            return py_err_nomemory();
        }
        for (ssize_t i = 0; i < n; i++)
            buf[i] = ft_tuple_get_borrow(py_as_exc(e)->args, i);
        int rc = init(e, buf, (size_t)n, NULL);
        if (buf != small)
            free(buf);
        if (rc < 0) {
            ft_decref(e);
            return NULL;
        }
    }
    return e;
}

ft_object *py_exc_call(py_type *type, ft_object *const *args, size_t nargs)
{
    return py_vcall(py_type_as_obj(type), args, nargs, NULL);
}

static ft_object *exc_str(ft_object *self)
{
    ft_object *args = py_as_exc(self)->args;
    ssize_t n = args ? ft_len(args) : 0;
    if (n == 0)
        return ft_str_from_utf8("", 0);
    if (n == 1)
        return py_str(ft_tuple_get_borrow(args, 0));
    return py_str(args);
}

static ft_object *exc_repr(ft_object *self)
{
    ft_object *args = py_as_exc(self)->args;
    const char *name = py_type_of(self)->ft.tp_name;
    const char *dot = strrchr(name, '.');
    if (dot)
        name = dot + 1;
    ft_object *r;
    if (args && ft_len(args) == 1)
        r = py_repr(ft_tuple_get_borrow(args, 0));
    else
        r = py_repr(args ? args : ft_tuple_new(0));
    if (!r)
        return NULL;
    ft_object *res = args && ft_len(args) == 1
                     ? py_str_from_format("%s(%s)", name, utf8(r))
                     : py_str_from_format("%s%s", name, utf8(r));
    ft_decref(r);
    return res;
}

/* -- attributes -- */

static ft_object *or_none(ft_object *o) { return ft_newref(o ? o : ft_none()); }

static ft_object *exc_get_args(ft_object *o)
{
    ft_object *a = py_as_exc(o)->args;
    return a ? ft_newref(a) : ft_tuple_new(0);
}

static int exc_set_args(ft_object *o, ft_object *v)
{
    if (!v)
        return py_err_format_int(py_exc_TypeError, "args may not be deleted");
    ft_object *t = py_sequence_tuple(v);
    if (!t)
        return -1;
    ft_object *old = py_as_exc(o)->args;
    py_as_exc(o)->args = t;
    ft_xdecref(old);
    return 0;
}

static void replace(ft_object **field, ft_object *v)
{
    ft_object *old = *field;
    *field = v && v != ft_none() ? ft_newref(v) : NULL;
    ft_xdecref(old);
}

static ft_object *exc_get_tb(ft_object *o) { return or_none(py_as_exc(o)->traceback); }
static int exc_set_tb(ft_object *o, ft_object *v)
{
    if (!v)
        return py_err_format_int(py_exc_TypeError, "__traceback__ may not be deleted");
    replace(&py_as_exc(o)->traceback, v);
    return 0;
}

static ft_object *exc_get_cause(ft_object *o) { return or_none(py_as_exc(o)->cause); }
static int exc_set_cause(ft_object *o, ft_object *v)
{
    if (!v)
        return py_err_format_int(py_exc_TypeError, "__cause__ may not be deleted");
    if (v != ft_none() && !py_exc_check(v))
        return py_err_format_int(py_exc_TypeError,
                                 "exception cause must be None or derive from BaseException");
    replace(&py_as_exc(o)->cause, v);
    py_as_exc(o)->suppress_context = true;
    return 0;
}

static ft_object *exc_get_context(ft_object *o) { return or_none(py_as_exc(o)->context); }
static int exc_set_context(ft_object *o, ft_object *v)
{
    if (!v)
        return py_err_format_int(py_exc_TypeError, "__context__ may not be deleted");
    if (v != ft_none() && !py_exc_check(v))
        return py_err_format_int(py_exc_TypeError,
                                 "exception context must be None or derive from BaseException");
    replace(&py_as_exc(o)->context, v);
    return 0;
}

static ft_object *exc_get_suppress(ft_object *o)
{
    return py_bool_new(py_as_exc(o)->suppress_context);
}
static int exc_set_suppress(ft_object *o, ft_object *v)
{
    if (!v)
        return py_err_format_int(py_exc_TypeError, "__suppress_context__ may not be deleted");
    int t = py_is_true(v);
    if (t < 0)
        return -1;
    py_as_exc(o)->suppress_context = t;
    return 0;
}

static ft_object *exc_get_dict(ft_object *o)
{
    py_exception *e = py_as_exc(o);
    if (!e->dict && !(e->dict = ft_dict_new()))
        return py_err_from_ft();
    return ft_newref(e->dict);
}
static int exc_set_dict(ft_object *o, ft_object *v)
{
    if (!v || v->ob_type != &ft_dict_type)
        return py_err_format_int(py_exc_TypeError, "__dict__ must be a dictionary");
    replace(&py_as_exc(o)->dict, v);
    return 0;
}

void py_exc_set_traceback(ft_object *exc, ft_object *tb) { replace(&py_as_exc(exc)->traceback, tb); }
void py_exc_set_context(ft_object *exc, ft_object *ctx) { replace(&py_as_exc(exc)->context, ctx); }
void py_exc_set_cause(ft_object *exc, ft_object *cause)
{
    replace(&py_as_exc(exc)->cause, cause);
    py_as_exc(exc)->suppress_context = true;
}

static const py_getset_def exc_getset[] = {
    { "args", exc_get_args, exc_set_args },
    { "__traceback__", exc_get_tb, exc_set_tb },
    { "__cause__", exc_get_cause, exc_set_cause },
    { "__context__", exc_get_context, exc_set_context },
    { "__suppress_context__", exc_get_suppress, exc_set_suppress },
    { "__dict__", exc_get_dict, exc_set_dict },
    { NULL, NULL, NULL },
};

static ft_object *exc_with_traceback(ft_object *self, ft_object *const *args, size_t nargs,
                                     ft_object *kwnames)
{
    if (py_no_kwargs("with_traceback", kwnames) < 0 ||
        py_check_nargs("with_traceback", nargs, 1, 1) < 0)
        return NULL;
    replace(&py_as_exc(self)->traceback, args[0]);
    return ft_newref(self);
}

static ft_object *exc_add_note(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    if (py_no_kwargs("add_note", kwnames) < 0 || py_check_nargs("add_note", nargs, 1, 1) < 0)
        return NULL;
    if (!(py_type_of(args[0])->ft.tp_flags & PY_TPFLAGS_STR) && args[0]->ob_type != &ft_str_type)
        return py_err_format(py_exc_TypeError, "note must be a str, not '%s'",
                             py_type_name(args[0]));
    ft_object *key = _py_str("__notes__");
    if (!key)
        return NULL;
    ft_object *notes = NULL;
    int rc = py_getattr_opt(self, key, &notes);
    if (rc < 0) {
        ft_decref(key);
        return NULL;
    }
    if (rc == 0) {
        if (!(notes = ft_list_new(0)) || py_setattr(self, key, notes) < 0) {
            ft_xdecref(notes);
            ft_decref(key);
            return notes ? NULL : py_err_from_ft();
        }
    }
    ft_decref(key);
    if (notes->ob_type != &ft_list_type) {
        ft_decref(notes);
        return py_err_format(py_exc_TypeError, "Cannot add note: __notes__ is not a list");
    }
    rc = ft_list_append(notes, args[0]);
    ft_decref(notes);
    return rc < 0 ? py_err_from_ft() : ft_none();
}

static ft_object *exc_reduce(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    ft_object *t = ft_tuple_new(2);
    if (!t)
        return py_err_from_ft();
    ft_tuple_set_steal(t, 0, py_type_new_ref(self));
    ft_tuple_set_steal(t, 1, exc_get_args(self));
    return t;
}

static const py_method_def exc_methods[] = {
    { "with_traceback", exc_with_traceback, PY_METH_DEFAULT },
    { "add_note", exc_add_note, PY_METH_DEFAULT },
    { "__reduce__", exc_reduce, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

/* ---- helpers for fields in the instance dict ----------------------------------- */

static int set_field(ft_object *self, const char *name, ft_object *v)
{
    ft_object *k = _py_str(name);
    if (!k)
        return -1;
    ft_object *key = ft_str_intern(k);
    ft_decref(k);
    if (!key)
        return py_err_from_ft_int();
    int rc = ft_dict_set(py_as_exc(self)->dict, key, v ? v : ft_none());
    ft_decref(key);
    return rc < 0 ? py_err_from_ft_int() : 0;
}

/* A field's value (new reference; None when missing). */
static ft_object *get_field(ft_object *self, const char *name)
{
    ft_object *r = py_getattr_str(self, name);
    if (!r) {
        py_err_clear();
        return ft_none();
    }
    return r;
}

/* keyword arguments given by name: the value of `name`, or NULL */
static ft_object *kwarg(ft_object *const *args, size_t nargs, ft_object *kwnames,
                        const char *name)
{
    for (ssize_t i = 0, n = kwnames ? ft_len(kwnames) : 0; i < n; i++)
        if (strcmp(utf8(ft_tuple_get_borrow(kwnames, i)), name) == 0)
            return args[nargs + (size_t)i];
    return NULL;
}

static int only_kwargs(const char *cls, ft_object *kwnames, const char *const *allowed)
{
    for (ssize_t i = 0, n = kwnames ? ft_len(kwnames) : 0; i < n; i++) {
        const char *k = utf8(ft_tuple_get_borrow(kwnames, i));
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, k) == 0;
        if (!ok)
            return py_err_format_int(py_exc_TypeError,
                                     "%s() got an unexpected keyword argument '%s'", cls, k);
    }
    return 0;
}

/* ---- particular classes ---------------------------------------------------------- */

static int stopiteration_init(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    if (exc_init(self, args, nargs, kwnames) < 0)
        return -1;
    return set_field(self, "value", nargs ? args[0] : ft_none());
}

ft_object *py_stopiteration_value(ft_object *exc)
{
    return get_field(exc, "value");
}

static int systemexit_init(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    if (exc_init(self, args, nargs, kwnames) < 0)
        return -1;
    ft_object *code = nargs == 0 ? ft_none() : nargs == 1 ? args[0] : py_as_exc(self)->args;
    return set_field(self, "code", code);
}

static int keyed_init(ft_object *self, ft_object *const *args, size_t nargs,
                      ft_object *kwnames, const char *cls, const char *const *allowed)
{
    if (only_kwargs(cls, kwnames, allowed) < 0)
        return -1;
    set_args(self, args, nargs);
    if (py_err_occurred())
        return -1;
    for (const char *const *a = allowed; *a; a++) {
        ft_object *v = kwarg(args, nargs, kwnames, *a);
        if (set_field(self, *a, v) < 0)
            return -1;
    }
    return 0;
}

static int nameerror_init(ft_object *self, ft_object *const *args, size_t nargs,
                          ft_object *kwnames)
{
    static const char *const allowed[] = { "name", NULL };
    return keyed_init(self, args, nargs, kwnames, "NameError", allowed);
}

static int attributeerror_init(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    static const char *const allowed[] = { "name", "obj", NULL };
    return keyed_init(self, args, nargs, kwnames, "AttributeError", allowed);
}

static int importerror_init(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    static const char *const allowed[] = { "name", "path", NULL };
    if (keyed_init(self, args, nargs, kwnames, "ImportError", allowed) < 0)
        return -1;
    return set_field(self, "msg", nargs == 1 ? args[0] : ft_none());
}

static ft_object *importerror_str(ft_object *self)
{
    ft_object *msg = get_field(self, "msg");
    if (msg != ft_none()) {
        ft_object *r = py_str(msg);
        ft_decref(msg);
        return r;
    }
    return exc_str(self);
}

static ft_object *keyerror_str(ft_object *self)
{
    ft_object *args = py_as_exc(self)->args;
    if (args && ft_len(args) == 1)
        return py_repr(ft_tuple_get_borrow(args, 0));
    return exc_str(self);
}

/* OSError(errno, strerror[, filename[, winerror[, filename2]]]) */
static py_type *errno_subclass(int e)
{
    switch (e) {
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case EALREADY: case EINPROGRESS: return py_exc_BlockingIOError;
    case ECHILD: return py_exc_ChildProcessError;
    case EPIPE: case ESHUTDOWN: return py_exc_BrokenPipeError;
    case ECONNABORTED: return py_exc_ConnectionAbortedError;
    case ECONNREFUSED: return py_exc_ConnectionRefusedError;
    case ECONNRESET: return py_exc_ConnectionResetError;
    case EEXIST: return py_exc_FileExistsError;
    case ENOENT: return py_exc_FileNotFoundError;
    case EISDIR: return py_exc_IsADirectoryError;
    case ENOTDIR: return py_exc_NotADirectoryError;
    case EINTR: return py_exc_InterruptedError;
    case EACCES: case EPERM: return py_exc_PermissionError;
    case ESRCH: return py_exc_ProcessLookupError;
    case ETIMEDOUT: return py_exc_TimeoutError;
    default: return NULL;
    }
}

static ft_object *oserror_new(py_type *cls, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    if (cls == py_exc_OSError && nargs >= 2 && nargs <= 5 && args[0]->ob_type == &ft_int_type) {
        py_type *sub = errno_subclass((int)ft_int_as_i64(args[0]));
        if (sub)
            cls = sub;
    }
    return exc_new(cls, args, nargs, kwnames);
}

static int oserror_init(ft_object *self, ft_object *const *args, size_t nargs,
                        ft_object *kwnames)
{
    if (kwnames && ft_len(kwnames) > 0)
        return py_err_format_int(py_exc_TypeError, "%s() takes no keyword arguments",
                                 py_type_name(self));
    set_args(self, args, nargs);
    if (py_err_occurred())
        return -1;
    if (nargs >= 2 && nargs <= 5) {
        if (set_field(self, "errno", args[0]) < 0 || set_field(self, "strerror", args[1]) < 0)
            return -1;
        if (nargs >= 3) {
            if (set_field(self, "filename", args[2]) < 0)
                return -1;
            if (nargs >= 5 && set_field(self, "filename2", args[4]) < 0)
                return -1;
            /* args keeps (errno, strerror) only, as CPython */
            set_args(self, args, 2);
        }
    }
    return 0;
}

static ft_object *oserror_str(ft_object *self)
{
    ft_object *en = get_field(self, "errno"), *se = get_field(self, "strerror");
    ft_object *fn = get_field(self, "filename"), *fn2 = get_field(self, "filename2");
    ft_object *r = NULL;
    if (fn != ft_none()) {
        ft_object *e = py_str(en), *s = e ? py_str(se) : NULL, *f = s ? py_repr(fn) : NULL;
        ft_object *f2 = f && fn2 != ft_none() ? py_repr(fn2) : NULL;
        if (f && (fn2 == ft_none() || f2))
            r = f2 ? py_str_from_format("[Errno %s] %s: %s -> %s", utf8(e), utf8(s), utf8(f),
                                        utf8(f2))
                   : py_str_from_format("[Errno %s] %s: %s", utf8(e), utf8(s), utf8(f));
        ft_xdecref(e);
        ft_xdecref(s);
        ft_xdecref(f);
        ft_xdecref(f2);
    } else if (en != ft_none() && se != ft_none()) {
        ft_object *e = py_str(en), *s = e ? py_str(se) : NULL;
        if (s)
            r = py_str_from_format("[Errno %s] %s", utf8(e), utf8(s));
        ft_xdecref(e);
        ft_xdecref(s);
    } else {
        r = exc_str(self);
    }
    ft_decref(en);
    ft_decref(se);
    ft_decref(fn);
    ft_decref(fn2);
    return r;
}

/* SyntaxError(msg, (filename, lineno, offset, text[, end_lineno, end_offset])) */
static int syntaxerror_init(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    if (exc_init(self, args, nargs, kwnames) < 0)
        return -1;
    if (nargs >= 1 && set_field(self, "msg", args[0]) < 0)
        return -1;
    if (nargs == 2) {
        ft_object *info = py_sequence_tuple(args[1]);
        if (!info)
            return -1;
        ssize_t n = ft_len(info);
        if (n != 4 && n != 6) {
            ft_decref(info);
            return py_err_format_int(py_exc_IndexError, "tuple index out of range");
        }
        static const char *const names[] = { "filename", "lineno", "offset", "text",
                                             "end_lineno", "end_offset" };
        for (ssize_t i = 0; i < n; i++)
            if (set_field(self, names[i], ft_tuple_get_borrow(info, i)) < 0) {
                ft_decref(info);
                return -1;
            }
        ft_decref(info);
    }
    return 0;
}

static ft_object *syntaxerror_str(ft_object *self)
{
    ft_object *msg = get_field(self, "msg"), *fn = get_field(self, "filename");
    ft_object *ln = get_field(self, "lineno");
    ft_object *m = py_str(msg), *r = NULL;
    if (m) {
        const char *file = fn->ob_type == &ft_str_type ? utf8(fn) : NULL;
        if (file) {
            const char *slash = strrchr(file, '/');
            if (slash)
                file = slash + 1;
        }
        bool have_line = ln->ob_type == &ft_int_type;
        if (file && have_line)
            r = py_str_from_format("%s (%s, line %lld)", utf8(m), file,
                                   (long long)ft_int_as_i64(ln));
        else if (file)
            r = py_str_from_format("%s (%s)", utf8(m), file);
        else if (have_line)
            r = py_str_from_format("%s (line %lld)", utf8(m), (long long)ft_int_as_i64(ln));
        else
            r = ft_newref(m);
        ft_decref(m);
    }
    ft_decref(msg);
    ft_decref(fn);
    ft_decref(ln);
    return r;
}

void py_err_syntax(py_type *type, const char *msg, const char *filename, int lineno,
                   int offset, const char *text, int end_lineno, int end_offset)
{
    ft_object *m = _py_str(msg ? msg : "invalid syntax");
    ft_object *f = filename ? _py_str(filename) : ft_none();
    ft_object *t = text ? ft_str_from_utf8(text, -1) : ft_none();
    if (!t) {
        ft_err_clear();
        t = ft_none();
    }
    ft_object *info = ft_tuple_new(6);
    if (!m || !f || !info) {
        ft_xdecref(m);
        ft_xdecref(f);
        ft_decref(t);
        ft_xdecref(info);
        if (!py_err_occurred())
            py_err_from_ft();
        return;
    }
    ft_tuple_set_steal(info, 0, f);
    ft_tuple_set_steal(info, 1, ft_int_from_i64(lineno));
    ft_tuple_set_steal(info, 2, ft_int_from_i64(offset));
    ft_tuple_set_steal(info, 3, t);
    ft_tuple_set_steal(info, 4, end_lineno ? ft_int_from_i64(end_lineno) : ft_none());
    ft_tuple_set_steal(info, 5, end_offset ? ft_int_from_i64(end_offset) : ft_none());
    ft_object *args[2] = { m, info };
    ft_object *a = make_args(args, 2);
    ft_decref(m);
    ft_decref(info);
    if (!a)
        return;
    ft_object *e = py_exc_new(type ? type : py_exc_SyntaxError, a);
    ft_decref(a);
    if (e) {
        py_err_set_object(e);
        ft_decref(e);
    }
}

/* UnicodeDecodeError(encoding, object, start, end, reason) and the
 * encode/translate forms. */
static int unicode_init(ft_object *self, ft_object *const *args, size_t nargs,
                        ft_object *kwnames)
{
    if (exc_init(self, args, nargs, kwnames) < 0)
        return -1;
    static const char *const names[] = { "encoding", "object", "start", "end", "reason" };
    if (nargs == 5)
        for (int i = 0; i < 5; i++)
            if (set_field(self, names[i], args[i]) < 0)
                return -1;
    return 0;
}

static ft_object *unicode_str(ft_object *self, bool decode)
{
    ft_object *args = py_as_exc(self)->args;
    if (!args || ft_len(args) != 5)
        return exc_str(self);
    ft_object *enc = get_field(self, "encoding"), *obj = get_field(self, "object");
    ft_object *st = get_field(self, "start"), *en = get_field(self, "end");
    ft_object *reason = get_field(self, "reason");
    ft_object *r = NULL;
    int64_t start = st->ob_type == &ft_int_type ? ft_int_as_i64(st) : 0;
    int64_t end = en->ob_type == &ft_int_type ? ft_int_as_i64(en) : 0;
    if (end == start + 1) {
        ft_object *item = py_getitem(obj, st);
        if (item) {
            if (decode) {
                int64_t b = item->ob_type == &ft_int_type ? ft_int_as_i64(item) : 0;
                r = py_str_from_format("'%s' codec can't decode byte 0x%02x in position %lld: %s",
                                       utf8(enc), (unsigned)(b & 0xff), (long long)start,
                                       utf8(reason));
            } else {
                const unsigned char *s = (const unsigned char *)utf8(item);
                unsigned c = s[0];
                int extra = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
                if (extra)
                    c &= 0x3f >> extra;
                for (int k = 1; k <= extra && s[k]; k++)
                    c = (c << 6) | (s[k] & 0x3f);
                char ch[16];
                if (c < 0x100)
                    snprintf(ch, sizeof ch, "\\x%02x", c);
                else if (c < 0x10000)
                    snprintf(ch, sizeof ch, "\\u%04x", c);
                else
                    snprintf(ch, sizeof ch, "\\U%08x", c);
                r = py_str_from_format("'%s' codec can't encode character '%s' in position %lld: %s",
                                       utf8(enc), ch, (long long)start, utf8(reason));
            }
            ft_decref(item);
        }
    } else {
        r = py_str_from_format("'%s' codec can't %s %s in position %lld-%lld: %s", utf8(enc),
                               decode ? "decode" : "encode", decode ? "bytes" : "characters",
                               (long long)start, (long long)(end - 1), utf8(reason));
    }
    ft_decref(enc);
    ft_decref(obj);
    ft_decref(st);
    ft_decref(en);
    ft_decref(reason);
    return r;
}

static ft_object *unicodedecode_str(ft_object *self) { return unicode_str(self, true); }
static ft_object *unicodeencode_str(ft_object *self) { return unicode_str(self, false); }

/* ---- the table -------------------------------------------------------------------- */

typedef struct exc_spec {
    py_type **slot;
    const char *name;
    int base;                    /* index in the table, -1: object       */
    py_newfunc new_;
    py_initfunc init;
    ft_reprfunc str;
    const char *const *fields;   /* None defaults in the class dict       */
} exc_spec;

static const char *const f_value[] = { "value", NULL };
static const char *const f_code[] = { "code", NULL };
static const char *const f_name[] = { "name", NULL };
static const char *const f_attr[] = { "name", "obj", NULL };
static const char *const f_import[] = { "msg", "name", "path", NULL };
static const char *const f_os[] = { "errno", "strerror", "filename", "filename2",
                                    "characters_written", NULL };
static const char *const f_syntax[] = { "msg", "filename", "lineno", "offset", "text",
                                        "end_lineno", "end_offset", "print_file_and_line", NULL };
static const char *const f_unicode[] = { "encoding", "object", "start", "end", "reason", NULL };

enum {
    E_BASE, E_SYSEXIT, E_KBINT, E_GENEXIT, E_EXC, E_STOPITER, E_STOPASYNC, E_ARITH,
    E_ZERODIV, E_OVERFLOW, E_FLOAT, E_ASSERT, E_ATTR, E_BUFFER, E_EOF, E_IMPORT,
    E_MODNOTFOUND, E_LOOKUP, E_INDEX, E_KEY, E_MEMORY, E_NAME, E_UNBOUND, E_OS,
    E_BLOCKING, E_CHILD, E_CONN, E_BROKENPIPE, E_CONNABORT, E_CONNREFUSED, E_CONNRESET,
    E_FILEEXISTS, E_FILENOTFOUND, E_INTERRUPTED, E_ISADIR, E_NOTADIR, E_PERMISSION,
    E_PROCLOOKUP, E_TIMEOUT, E_REFERENCE, E_RUNTIME, E_NOTIMPL, E_RECURSION, E_SYNTAX,
    E_INDENT, E_TAB, E_SYSTEM, E_TYPE, E_VALUE, E_UNICODE, E_UDECODE, E_UENCODE,
    E_UTRANSLATE, E_WARNING, E_USERW, E_DEPRW, E_PENDDEPRW, E_SYNTAXW, E_RUNTIMEW,
    E_FUTUREW, E_IMPORTW, E_UNICODEW, E_BYTESW, E_RESOURCEW, E_ENCODINGW, E__COUNT
};

static const exc_spec specs[E__COUNT] = {
    [E_BASE] = { &py_exc_BaseException, "BaseException", -1, exc_new, exc_init, exc_str, NULL },
    [E_SYSEXIT] = { &py_exc_SystemExit, "SystemExit", E_BASE, NULL, systemexit_init, NULL, f_code },
    [E_KBINT] = { &py_exc_KeyboardInterrupt, "KeyboardInterrupt", E_BASE, NULL, NULL, NULL, NULL },
    [E_GENEXIT] = { &py_exc_GeneratorExit, "GeneratorExit", E_BASE, NULL, NULL, NULL, NULL },
    [E_EXC] = { &py_exc_Exception, "Exception", E_BASE, NULL, NULL, NULL, NULL },
    [E_STOPITER] = { &py_exc_StopIteration, "StopIteration", E_EXC, NULL, stopiteration_init,
                     NULL, f_value },
    [E_STOPASYNC] = { &py_exc_StopAsyncIteration, "StopAsyncIteration", E_EXC, NULL, NULL, NULL,
                      NULL },
    [E_ARITH] = { &py_exc_ArithmeticError, "ArithmeticError", E_EXC, NULL, NULL, NULL, NULL },
    [E_ZERODIV] = { &py_exc_ZeroDivisionError, "ZeroDivisionError", E_ARITH, NULL, NULL, NULL,
                    NULL },
    [E_OVERFLOW] = { &py_exc_OverflowError, "OverflowError", E_ARITH, NULL, NULL, NULL, NULL },
    [E_FLOAT] = { &py_exc_FloatingPointError, "FloatingPointError", E_ARITH, NULL, NULL, NULL,
                  NULL },
    [E_ASSERT] = { &py_exc_AssertionError, "AssertionError", E_EXC, NULL, NULL, NULL, NULL },
    [E_ATTR] = { &py_exc_AttributeError, "AttributeError", E_EXC, NULL, attributeerror_init,
                 NULL, f_attr },
    [E_BUFFER] = { &py_exc_BufferError, "BufferError", E_EXC, NULL, NULL, NULL, NULL },
    [E_EOF] = { &py_exc_EOFError, "EOFError", E_EXC, NULL, NULL, NULL, NULL },
    [E_IMPORT] = { &py_exc_ImportError, "ImportError", E_EXC, NULL, importerror_init,
                   importerror_str, f_import },
    [E_MODNOTFOUND] = { &py_exc_ModuleNotFoundError, "ModuleNotFoundError", E_IMPORT, NULL,
                        NULL, NULL, NULL },
    [E_LOOKUP] = { &py_exc_LookupError, "LookupError", E_EXC, NULL, NULL, NULL, NULL },
    [E_INDEX] = { &py_exc_IndexError, "IndexError", E_LOOKUP, NULL, NULL, NULL, NULL },
    [E_KEY] = { &py_exc_KeyError, "KeyError", E_LOOKUP, NULL, NULL, keyerror_str, NULL },
    [E_MEMORY] = { &py_exc_MemoryError, "MemoryError", E_EXC, NULL, NULL, NULL, NULL },
    [E_NAME] = { &py_exc_NameError, "NameError", E_EXC, NULL, nameerror_init, NULL, f_name },
    [E_UNBOUND] = { &py_exc_UnboundLocalError, "UnboundLocalError", E_NAME, NULL, NULL, NULL,
                    NULL },
    [E_OS] = { &py_exc_OSError, "OSError", E_EXC, oserror_new, oserror_init, oserror_str, f_os },
    [E_BLOCKING] = { &py_exc_BlockingIOError, "BlockingIOError", E_OS, NULL, NULL, NULL, NULL },
    [E_CHILD] = { &py_exc_ChildProcessError, "ChildProcessError", E_OS, NULL, NULL, NULL, NULL },
    [E_CONN] = { &py_exc_ConnectionError, "ConnectionError", E_OS, NULL, NULL, NULL, NULL },
    [E_BROKENPIPE] = { &py_exc_BrokenPipeError, "BrokenPipeError", E_CONN, NULL, NULL, NULL,
                       NULL },
    [E_CONNABORT] = { &py_exc_ConnectionAbortedError, "ConnectionAbortedError", E_CONN, NULL,
                      NULL, NULL, NULL },
    [E_CONNREFUSED] = { &py_exc_ConnectionRefusedError, "ConnectionRefusedError", E_CONN, NULL,
                        NULL, NULL, NULL },
    [E_CONNRESET] = { &py_exc_ConnectionResetError, "ConnectionResetError", E_CONN, NULL, NULL,
                      NULL, NULL },
    [E_FILEEXISTS] = { &py_exc_FileExistsError, "FileExistsError", E_OS, NULL, NULL, NULL, NULL },
    [E_FILENOTFOUND] = { &py_exc_FileNotFoundError, "FileNotFoundError", E_OS, NULL, NULL, NULL,
                         NULL },
    [E_INTERRUPTED] = { &py_exc_InterruptedError, "InterruptedError", E_OS, NULL, NULL, NULL,
                        NULL },
    [E_ISADIR] = { &py_exc_IsADirectoryError, "IsADirectoryError", E_OS, NULL, NULL, NULL, NULL },
    [E_NOTADIR] = { &py_exc_NotADirectoryError, "NotADirectoryError", E_OS, NULL, NULL, NULL,
                    NULL },
    [E_PERMISSION] = { &py_exc_PermissionError, "PermissionError", E_OS, NULL, NULL, NULL, NULL },
    [E_PROCLOOKUP] = { &py_exc_ProcessLookupError, "ProcessLookupError", E_OS, NULL, NULL, NULL,
                       NULL },
    [E_TIMEOUT] = { &py_exc_TimeoutError, "TimeoutError", E_OS, NULL, NULL, NULL, NULL },
    [E_REFERENCE] = { &py_exc_ReferenceError, "ReferenceError", E_EXC, NULL, NULL, NULL, NULL },
    [E_RUNTIME] = { &py_exc_RuntimeError, "RuntimeError", E_EXC, NULL, NULL, NULL, NULL },
    [E_NOTIMPL] = { &py_exc_NotImplementedError, "NotImplementedError", E_RUNTIME, NULL, NULL,
                    NULL, NULL },
    [E_RECURSION] = { &py_exc_RecursionError, "RecursionError", E_RUNTIME, NULL, NULL, NULL,
                      NULL },
    [E_SYNTAX] = { &py_exc_SyntaxError, "SyntaxError", E_EXC, NULL, syntaxerror_init,
                   syntaxerror_str, f_syntax },
    [E_INDENT] = { &py_exc_IndentationError, "IndentationError", E_SYNTAX, NULL, NULL, NULL,
                   NULL },
    [E_TAB] = { &py_exc_TabError, "TabError", E_INDENT, NULL, NULL, NULL, NULL },
    [E_SYSTEM] = { &py_exc_SystemError, "SystemError", E_EXC, NULL, NULL, NULL, NULL },
    [E_TYPE] = { &py_exc_TypeError, "TypeError", E_EXC, NULL, NULL, NULL, NULL },
    [E_VALUE] = { &py_exc_ValueError, "ValueError", E_EXC, NULL, NULL, NULL, NULL },
    [E_UNICODE] = { &py_exc_UnicodeError, "UnicodeError", E_VALUE, NULL, NULL, NULL, NULL },
    [E_UDECODE] = { &py_exc_UnicodeDecodeError, "UnicodeDecodeError", E_UNICODE, NULL,
                    unicode_init, unicodedecode_str, f_unicode },
    [E_UENCODE] = { &py_exc_UnicodeEncodeError, "UnicodeEncodeError", E_UNICODE, NULL,
                    unicode_init, unicodeencode_str, f_unicode },
    [E_UTRANSLATE] = { &py_exc_UnicodeTranslateError, "UnicodeTranslateError", E_UNICODE, NULL,
                       NULL, NULL, NULL },
    [E_WARNING] = { &py_exc_Warning, "Warning", E_EXC, NULL, NULL, NULL, NULL },
    [E_USERW] = { &py_exc_UserWarning, "UserWarning", E_WARNING, NULL, NULL, NULL, NULL },
    [E_DEPRW] = { &py_exc_DeprecationWarning, "DeprecationWarning", E_WARNING, NULL, NULL, NULL,
                  NULL },
    [E_PENDDEPRW] = { &py_exc_PendingDeprecationWarning, "PendingDeprecationWarning", E_WARNING,
                      NULL, NULL, NULL, NULL },
    [E_SYNTAXW] = { &py_exc_SyntaxWarning, "SyntaxWarning", E_WARNING, NULL, NULL, NULL, NULL },
    [E_RUNTIMEW] = { &py_exc_RuntimeWarning, "RuntimeWarning", E_WARNING, NULL, NULL, NULL,
                     NULL },
    [E_FUTUREW] = { &py_exc_FutureWarning, "FutureWarning", E_WARNING, NULL, NULL, NULL, NULL },
    [E_IMPORTW] = { &py_exc_ImportWarning, "ImportWarning", E_WARNING, NULL, NULL, NULL, NULL },
    [E_UNICODEW] = { &py_exc_UnicodeWarning, "UnicodeWarning", E_WARNING, NULL, NULL, NULL,
                     NULL },
    [E_BYTESW] = { &py_exc_BytesWarning, "BytesWarning", E_WARNING, NULL, NULL, NULL, NULL },
    [E_RESOURCEW] = { &py_exc_ResourceWarning, "ResourceWarning", E_WARNING, NULL, NULL, NULL,
                      NULL },
    [E_ENCODINGW] = { &py_exc_EncodingWarning, "EncodingWarning", E_WARNING, NULL, NULL, NULL,
                      NULL },
};

static py_type exc_storage[E__COUNT] = {
    [0 ... E__COUNT - 1] = { .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft) } },
};

static py_exc_entry exc_entries[E__COUNT + 1];
const py_exc_entry *py_exc_table = exc_entries;

ft_object *py_memory_error_instance;

int _py_exceptions_init(void)
{
    for (int i = 0; i < E__COUNT; i++) {
        const exc_spec *s = &specs[i];
        py_type *t = &exc_storage[i];
        ft_object head = FT_OBJECT_HEAD_INIT(&py_type_type.ft);
        memset(t, 0, sizeof *t);
        t->ft.ob_base = head;
        t->ft.tp_name = s->name;
        t->ft.tp_basicsize = sizeof(py_exception);
        t->ft.tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE | PY_TPFLAGS_EXC | FT_TPFLAGS_GC;
        t->ft.tp_dealloc = exc_dealloc;
        t->ft.tp_traverse = exc_traverse;
        t->ft.tp_clear = exc_clear;
        t->ft.tp_weaklistoffset = offsetof(py_exception, xweaklist);
        t->tp_dictoffset = offsetof(py_exception, dict);
        t->tp_base = s->base >= 0 ? &exc_storage[s->base] : NULL;
        t->tp_new = s->new_;
        t->tp_init = s->init;
        t->tp_str = s->str;
        if (i == E_BASE) {
            t->ft.tp_repr = exc_repr;
            t->tp_methods = exc_methods;
            t->tp_getset = exc_getset;
        }
        *s->slot = t;
        exc_entries[i].name = s->name;
        exc_entries[i].type = t;
    }
    for (int i = 0; i < E__COUNT; i++) {
        if (py_type_ready(&exc_storage[i]) < 0)
            return -1;
        for (const char *const *f = specs[i].fields; f && *f; f++) {
            ft_object *k = _py_str(*f);
            if (!k)
                return -1;
            ft_object *key = ft_str_intern(k);
            ft_decref(k);
            int rc = key ? ft_dict_set(exc_storage[i].tp_dict, key, ft_none()) : -1;
            ft_xdecref(key);
            if (rc < 0)
                return py_err_from_ft_int();
        }
    }
    py_memory_error_instance = exc_alloc(py_exc_MemoryError, ft_tuple_new(0));
    return py_memory_error_instance ? 0 : -1;
}

void _py_exceptions_fini(void)
{
    ft_object *m = py_memory_error_instance;
    py_memory_error_instance = NULL;
    ft_xdecref(m);
}

/* ---- raising ------------------------------------------------------------------------ */

ft_object *py_exc_normalize(ft_object *exc)
{
    if (py_exc_check(exc))
        return ft_newref(exc);
    if (py_exc_class_check(exc)) {
        ft_object *inst = py_vcall(exc, NULL, 0, NULL);
        if (!inst)
            return NULL;
        if (!py_exc_check(inst)) {
            py_err_format(py_exc_TypeError,
                          "calling %s should have returned an instance of BaseException, not %s",
                          py_type_qualname_utf8((py_type *)exc), py_type_name(inst));
            ft_decref(inst);
            return NULL;
        }
        return inst;
    }
    return py_err_format(py_exc_TypeError, "exceptions must derive from BaseException");
}
