/* objects/singletons.c — None's class, NotImplemented and Ellipsis.
 *
 * None is the runtime's own immortal object (ft_none(), ft type
 * ft_none_type), described to Python by py_none_class. NotImplemented and
 * Ellipsis are static immortal objects of ftpy's own classes. Calling
 * each class returns the singleton, as in CPython.
 */
#include "../ftpy.h"
#include "typeobject.h"

static ft_object *none_repr(ft_object *o) { (void)o; return ft_str_from_utf8("None", 4); }
static int none_bool(ft_object *o) { (void)o; return 0; }
static int64_t singleton_hash(ft_object *o) { return (int64_t)((uintptr_t)o >> 4); }
static void singleton_dealloc(ft_object *o) { (void)o; }

static ft_object *singleton_new(ft_object *value, py_type *cls, size_t nargs,
                                ft_object *kwnames)
{
    if (nargs || (kwnames && ft_len(kwnames) > 0))
        return py_err_format(py_exc_TypeError, "%s takes no arguments", cls->ft.tp_name);
    return ft_newref(value);
}

static ft_object *none_new(py_type *cls, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)args;
    return singleton_new(ft_none(), cls, nargs, kwnames);
}

py_type py_none_class = {
    .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
            .tp_name = "NoneType", .tp_basicsize = sizeof(ft_object),
            .tp_flags = PY_TPFLAGS_PYTYPE, .tp_dealloc = singleton_dealloc,
            .tp_repr = none_repr, .tp_hash = singleton_hash },
    .tp_bool = none_bool,
    .tp_new = none_new,
};

static ft_object *notimpl_repr(ft_object *o) { (void)o; return ft_str_from_utf8("NotImplemented", -1); }
static ft_object *ellipsis_repr(ft_object *o) { (void)o; return ft_str_from_utf8("Ellipsis", -1); }

static int notimpl_bool(ft_object *o)
{
    (void)o;
    /* 3.11 accepts it (a DeprecationWarning CPython prints; we do not). */
    return 1;
}

static ft_object *notimpl_new(py_type *cls, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args;
    return singleton_new(&py_notimplemented_object, cls, nargs, kwnames);
}

static ft_object *ellipsis_new(py_type *cls, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)args;
    return singleton_new(&py_ellipsis_object, cls, nargs, kwnames);
}

static ft_object *singleton_reduce(ft_object *self, ft_object *const *args,
                                   size_t nargs, ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return py_repr(self);
}

static const py_method_def singleton_methods[] = {
    { "__reduce__", singleton_reduce, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

py_type py_notimplemented_class = {
    .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
            .tp_name = "NotImplementedType", .tp_basicsize = sizeof(ft_object),
            .tp_flags = PY_TPFLAGS_PYTYPE, .tp_dealloc = singleton_dealloc,
            .tp_repr = notimpl_repr, .tp_hash = singleton_hash },
    .tp_bool = notimpl_bool,
    .tp_new = notimpl_new,
    .tp_methods = singleton_methods,
};

py_type py_ellipsis_class = {
    .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
            .tp_name = "ellipsis", .tp_basicsize = sizeof(ft_object),
            .tp_flags = PY_TPFLAGS_PYTYPE, .tp_dealloc = singleton_dealloc,
            .tp_repr = ellipsis_repr, .tp_hash = singleton_hash },
    .tp_new = ellipsis_new,
    .tp_methods = singleton_methods,
};

ft_object py_notimplemented_object = FT_OBJECT_HEAD_INIT(&py_notimplemented_class.ft);
ft_object py_ellipsis_object = FT_OBJECT_HEAD_INIT(&py_ellipsis_class.ft);

ft_object *py_notimplemented(void) { return &py_notimplemented_object; }
ft_object *py_ellipsis(void) { return &py_ellipsis_object; }
