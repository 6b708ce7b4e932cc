/* func.c — the call protocol and C functions (ftlab/func.h).
 *
 * A C function never changes after ft_cfunction_new, except that the
 * collector may clear its `self` (tp_clear) when the function is garbage;
 * so calling it needs no lock in any flavor.
 */
#include <stdio.h>
#include "internal/object.h"

typedef struct ft_cfunction_object {
    ft_object ob_base;
    const char *name;        /* not owned: a literal (func.h)            */
    ft_cfunc fn;
    ft_object *self;         /* owned reference, or NULL                 */
} ft_cfunction_object;

static ft_cfunction_object *as_cfunction(ft_object *o)
{
    return (ft_cfunction_object *)o;
}

/* ---- The call protocol --------------------------------------------------- */

/* A NULL result must come with an error, or the caller cannot tell why. */
static ft_object *check_result(ft_object *callable, ft_object *result)
{
    if (!result && !ft_err_occurred())
        ft_err_set(FT_ERR_RUNTIME, "'%s' object returned NULL without "
                   "setting an error", ft_type_name(callable));
    return result;
}

ft_object *ft_call(ft_object *callable, ft_object *args)
{
    if (!callable || !callable->ob_type->tp_call) {
        ft_err_set(FT_ERR_TYPE, "'%s' object is not callable",
                   callable ? ft_type_name(callable) : "NULL");
        return NULL;
    }
    if (!_ft_check_type(args, &ft_tuple_type, "ft_call: arguments"))
        return NULL;
    return check_result(callable, callable->ob_type->tp_call(callable, args));
}

ft_object *ft_call1(ft_object *callable, ft_object *arg)
{
    if (!arg) {
        ft_err_set(FT_ERR_TYPE, "ft_call1: NULL argument");
        return NULL;
    }
    ft_object *args = ft_tuple_new(1);
    if (!args || ft_tuple_set_steal(args, 0, ft_newref(arg)) < 0) {
        ft_xdecref(args);
        return NULL;
    }
    ft_object *result = ft_call(callable, args);
    ft_decref(args);
    return result;
}

/* ---- C functions --------------------------------------------------------- */

static ft_object *cfunction_call(ft_object *o, ft_object *args)
{
    return as_cfunction(o)->fn(as_cfunction(o)->self, args);
}

static int cfunction_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    ft_object *self = as_cfunction(o)->self;
    return self ? visit(self, arg) : 0;
}

static int cfunction_clear(ft_object *o)
{
    ft_object *self = as_cfunction(o)->self;
    as_cfunction(o)->self = NULL;
    ft_xdecref(self);
    return 0;
}

static void cfunction_dealloc(ft_object *o)
{
    cfunction_clear(o);
    _ft_object_free(o);
}

static ft_object *cfunction_repr(ft_object *o)
{
    char buf[160];
    snprintf(buf, sizeof buf, "<built-in function %s>", as_cfunction(o)->name);
    return ft_str_from_utf8(buf, -1);
}

ft_type ft_cfunction_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "builtin_function_or_method",
    .tp_basicsize = sizeof(ft_cfunction_object), .tp_flags = FT_TPFLAGS_GC,
    .tp_dealloc = cfunction_dealloc, .tp_traverse = cfunction_traverse,
    .tp_clear = cfunction_clear, .tp_repr = cfunction_repr,
    .tp_call = cfunction_call,
};

ft_object *ft_cfunction_new(const char *name, ft_cfunc fn, ft_object *self)
{
    if (!name || !fn) {
        ft_err_set(FT_ERR_TYPE, "ft_cfunction_new: NULL name or function");
        return NULL;
    }
    ft_cfunction_object *f = (ft_cfunction_object *)
        _ft_object_alloc(&ft_cfunction_type, sizeof *f);
    if (!f)
        return NULL;
    f->name = name;
    f->fn = fn;
    f->self = self;
    ft_xincref(self);
    return &f->ob_base;
}
