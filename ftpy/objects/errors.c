/* objects/errors.c — the current exception of each thread (py_err_*).
 *
 * tstate->cur_exc holds the exception being raised (an instance; its
 * traceback lives in the instance). Raising a new exception while one is
 * being handled (tstate->exc_info) makes that one the new exception's
 * __context__, as CPython's _PyErr_SetObject does, cutting any cycle the
 * context chain would form.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../ftpy.h"
#include "typeobject.h"


/* Sets exc's __context__ from the exception being handled. */
static void set_context(py_tstate *ts, ft_object *exc)
{
    ft_object *handled = ts->exc_info;
    if (!handled || handled == exc || handled == ft_none() || !py_exc_check(exc) ||
        !py_exc_check(handled))
        return;
    /* Avoid a cycle: if exc is already in handled's context chain, cut the
     * chain just before it. */
    ft_object *o = handled;
    int steps = 0;
    while (o) {
        ft_object *ctx = py_as_exc(o)->context;
        if (!ctx)
            break;
        if (ctx == exc) {
            py_as_exc(o)->context = NULL;
            ft_decref(ctx);
            break;
        }
        o = ctx;
        if (++steps > 100000)   /* a pre-existing cycle: stop walking */
            break;
    }
    py_exc_set_context(exc, handled);
}

static void set_current(ft_object *exc_steal)
{
    py_tstate *ts = py_tstate_get();
    set_context(ts, exc_steal);
    ft_object *old = ts->cur_exc;
    ts->cur_exc = exc_steal;
    ft_xdecref(old);
}

void py_err_set_object(ft_object *exc)
{
    ft_object *inst = py_exc_normalize(exc);
    if (!inst)
        return;   /* TypeError already set */
    set_current(inst);
}

void py_err_setstr(py_type *type, const char *msg)
{
    ft_object *s = ft_str_from_utf8(msg, -1);
    if (!s) {
        /* invalid UTF-8 in a message: keep the bytes we can */
        ft_err_clear();
        s = ft_str_from_utf8("<message not valid UTF-8>", -1);
        if (!s) {
            py_err_nomemory();
            return;
        }
    }
    ft_object *args = ft_tuple_new(1);
    if (!args) {
        ft_decref(s);
        py_err_nomemory();
        return;
    }
    ft_tuple_set_steal(args, 0, s);
    ft_object *exc = py_exc_new(type, args);
    ft_decref(args);
    if (!exc) {
        py_err_nomemory();
        return;
    }
    set_current(exc);
}

static void vformat(py_type *type, const char *fmt, va_list ap)
{
    char buf[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n >= (int)sizeof buf) {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, ap2);
            py_err_setstr(type, big);
            free(big);
            va_end(ap2);
            return;
        }
    }
    va_end(ap2);
    py_err_setstr(type, n < 0 ? "" : buf);
}

ft_object *py_err_format(py_type *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vformat(type, fmt, ap);
    va_end(ap);
    return NULL;
}

int py_err_format_int(py_type *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vformat(type, fmt, ap);
    va_end(ap);
    return -1;
}

bool py_err_occurred(void)
{
    return py_tstate_get()->cur_exc != NULL;
}

ft_object *py_err_current_borrow(void)
{
    return py_tstate_get()->cur_exc;
}

ft_object *py_err_fetch(void)
{
    py_tstate *ts = py_tstate_get();
    ft_object *exc = ts->cur_exc;
    ts->cur_exc = NULL;
    return exc;
}

void py_err_restore(ft_object *exc)
{
    py_tstate *ts = py_tstate_get();
    ft_object *old = ts->cur_exc;
    ts->cur_exc = exc;
    ft_xdecref(old);
}

void py_err_clear(void)
{
    py_err_restore(NULL);
}

bool py_err_matches(py_type *type)
{
    ft_object *exc = py_tstate_get()->cur_exc;
    return exc && py_isinstance_exact_or_sub(exc, type);
}

ft_object *py_err_nomemory(void)
{
    ft_object *exc = py_memory_error_instance;
    ft_err_clear();
    if (!exc) {
        fprintf(stderr, "ftpy: out of memory before MemoryError exists\n");
        abort();
    }
    /* The shared instance: forget what an earlier raise attached. */
    py_exc_set_traceback(exc, NULL);
    py_exc_set_context(exc, NULL);
    py_exc_set_cause(exc, NULL);
    py_as_exc(exc)->suppress_context = false;
    py_err_restore(ft_newref(exc));
    return NULL;
}

ft_object *py_err_from_ft(void)
{
    if (py_err_occurred()) {
        ft_err_clear();
        return NULL;
    }
    ft_error_kind kind = ft_err_kind();
    if (kind == FT_ERR_MEMORY) {
        ft_err_clear();
        return py_err_nomemory();
    }
    py_type *type;
    switch (kind) {
    case FT_ERR_TYPE:      type = py_exc_TypeError; break;
    case FT_ERR_INDEX:     type = py_exc_IndexError; break;
    case FT_ERR_KEY:       type = py_exc_KeyError; break;
    case FT_ERR_OVERFLOW:  type = py_exc_OverflowError; break;
    case FT_ERR_VALUE:     type = py_exc_ValueError; break;
    case FT_ERR_RUNTIME:   type = py_exc_RuntimeError; break;
    case FT_ERR_ATTRIBUTE: type = py_exc_AttributeError; break;
    case FT_ERR_NONE:
        py_err_setstr(py_exc_SystemError, "error return without exception set");
        return NULL;
    default:               type = py_exc_SystemError; break;
    }
    /* Copy the message: creating the exception may run runtime code that
     * overwrites the runtime's error state. */
    const char *m = ft_err_message();
    size_t n = strlen(m);
    char small[256], *msg = n < sizeof small ? small : malloc(n + 1);
    if (!msg) {
        ft_err_clear();
        return py_err_nomemory();
    }
    memcpy(msg, m, n + 1);
    ft_err_clear();
    py_err_setstr(type, msg);
    if (msg != small)
        free(msg);
    return NULL;
}

ft_object *py_err_set_key(ft_object *key)
{
    ft_object *args = ft_tuple_new(1);
    if (!args)
        return py_err_from_ft();
    ft_tuple_set_steal(args, 0, ft_newref(key));
    ft_object *exc = py_exc_new(py_exc_KeyError, args);
    ft_decref(args);
    if (exc)
        set_current(exc);
    return NULL;
}

void py_err_set_stopiteration(ft_object *value)
{
    ft_object *args = ft_tuple_new(value ? 1 : 0);
    if (!args) {
        py_err_from_ft();
        return;
    }
    if (value)
        ft_tuple_set_steal(args, 0, ft_newref(value));
    ft_object *exc = py_exc_new(py_exc_StopIteration, args);
    ft_decref(args);
    if (exc)
        set_current(exc);
}

ft_object *py_err_from_errno(int errnum, const char *filename)
{
    ft_object *items[3];
    size_t n = 2;
    items[0] = ft_int_from_i64(errnum);
    items[1] = ft_str_from_utf8(strerror(errnum), -1);
    items[2] = NULL;
    if (filename) {
        items[2] = ft_str_from_utf8(filename, -1);
        n = 3;
    }
    if (!items[0] || !items[1] || (filename && !items[2])) {
        for (int i = 0; i < 3; i++)
            ft_xdecref(items[i]);
        return py_err_from_ft();
    }
    ft_object *exc = py_exc_call(py_exc_OSError, items, n);
    for (size_t i = 0; i < n; i++)
        ft_decref(items[i]);
    if (exc)
        set_current(exc);
    return NULL;
}

void py_err_write_unraisable(const char *where, ft_object *obj)
{
    ft_object *exc = py_err_fetch();
    if (!exc)
        return;
    ft_object *r = obj ? py_repr(obj) : NULL;
    if (!r)
        py_err_clear();
    const char *what = r ? ft_str_utf8_borrow(r, NULL) : where;
    fflush(stdout);
    fprintf(stderr, "Exception ignored in: %s\n", what ? what : "<unknown>");
    ft_xdecref(r);
    py_err_print(exc);
    ft_decref(exc);
    py_err_clear();
}
