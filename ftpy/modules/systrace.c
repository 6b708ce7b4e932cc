/* modules/systrace.c — sys.settrace, sys.gettrace and sys._getframe.
 *
 * The functions sys.c adds to the sys module (py_sys_trace_defs). The
 * machinery (per-thread trace functions, frame objects, the loop's
 * hooks) lives in vm/frameobject.c; these are the argument checks, with
 * CPython 3.11's messages. `self` is the sys module.
 */
#include "../ftpy.h"
#include "../vm/frameobject.h"
#include "modules.h"

static ft_object *sys_settrace(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    if (py_no_kwargs("sys.settrace", kwnames) < 0)
        return NULL;
    if (nargs != 1)
        return py_err_format(py_exc_TypeError,
                             "sys.settrace() takes exactly one argument (%zu given)", nargs);
    if (py_trace_set(self, args[0]) < 0)
        return NULL;
    return ft_none();
}

static ft_object *sys_gettrace(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("sys.gettrace", kwnames) < 0)
        return NULL;
    if (nargs != 0)
        return py_err_format(py_exc_TypeError,
                             "sys.gettrace() takes no arguments (%zu given)", nargs);
    return py_trace_get();
}

/* sys._getframe(depth=0, /): the caller's frame object, depth levels up;
 * a negative depth is 0, as in CPython. */
static ft_object *sys_getframe(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("sys._getframe", kwnames) < 0 ||
        py_check_nargs("_getframe", nargs, 0, 1) < 0)
        return NULL;
    int64_t depth = 0;
    if (nargs == 1) {
        if (!py_long_check(args[0]))
            return py_err_format(py_exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer",
                                 py_type_name(args[0]));
        if (py_long_as_i64(args[0], &depth) < 0) {
            /* a huge int: deeper than any stack */
            if (!py_err_matches(py_exc_OverflowError))
                return NULL;
            py_err_clear();
            depth = INT64_MAX;
        }
    }
    py_frame *f = py_tstate_get()->frame;
    while (depth > 0 && f) {
        f = f->back;
        depth--;
    }
    if (!f)
        return py_err_format(py_exc_ValueError, "call stack is not deep enough");
    return py_frameobject_get(f);
}

const py_method_def py_sys_trace_defs[] = {
    { "settrace", sys_settrace, 0 },
    { "gettrace", sys_gettrace, 0 },
    { "_getframe", sys_getframe, 0 },
    { NULL, NULL, 0 },
};
