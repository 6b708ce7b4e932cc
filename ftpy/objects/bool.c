/* bool.c — the bool class: a subclass of int whose only objects are the
 * runtime's True and False (ft_bool_type, laid out as ints 1 and 0). Only
 * repr and & | ^ between two bools differ from int; the rest is
 * inherited. bool cannot be subclassed (no PY_TPFLAGS_BASETYPE: the class
 * machinery says "type 'bool' is not an acceptable base type"). */
#include "int.h"
#include "str.h"

static ft_object *bool_repr(ft_object *o)
{
    ft_object *s = ft_str_from_utf8(o == ft_true() ? "True" : "False", -1);
    return s ? s : py_err_from_ft();
}

static ft_object *bool_binop(ft_object *a, ft_object *b, int op)
{
    int bare = op & ~PY_OP_INPLACE;
    if (a->ob_type == &ft_bool_type && b->ob_type == &ft_bool_type) {
        bool x = a == ft_true(), y = b == ft_true();
        switch (bare) {
        case PY_OP_AND: return ft_newref(ft_bool(x && y));
        case PY_OP_OR:  return ft_newref(ft_bool(x || y));
        case PY_OP_XOR: return ft_newref(ft_bool(x != y));
        default: break;
        }
    }
    return _py_int_binop(a, b, op);
}

static ft_object *bool_new(py_type *cls, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)cls;
    if (kwnames && ft_len(kwnames) > 0)
        return py_err_format(py_exc_TypeError, "bool() takes no keyword arguments");
    if (nargs > 1)
        return py_err_format(py_exc_TypeError, "bool expected at most 1 argument, got %zu",
                             nargs);
    if (nargs == 0)
        return ft_newref(ft_false());
    int t = py_is_true(args[0]);
    if (t < 0)
        return NULL;
    return ft_newref(ft_bool(t));
}

static int bool_bool(ft_object *o)
{
    return o == ft_true();
}

static ft_object *bool_format_m(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    if (py_meth_onearg("int", "__format__", nargs, kwnames) < 0)
        return NULL;
    if (!py_unbox_borrow(args[0], &ft_str_type))
        return py_err_format(py_exc_TypeError, "__format__() argument must be str, not %s",
                             py_type_name(args[0]));
    return py_format_long(self, args[0]);
}

static const py_method_def bool_methods[] = {
    { "__format__", bool_format_m, PY_METH_DEFAULT },
    { NULL, NULL, 0 }
};

static void bool_class_dealloc(ft_object *o) { ft_object_free(o); }

py_type py_bool_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "bool",
        .tp_basicsize = sizeof(ft_object),
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_INT,
        .tp_dealloc = bool_class_dealloc,
        .tp_repr = bool_repr,
    },
    .tp_binop = bool_binop,
    .tp_bool = bool_bool,
    .tp_new = bool_new,
    .tp_methods = bool_methods,
    .tp_base = &py_int_class,
};

int _py_bool_init(void)
{
    return py_type_ready(&py_bool_class);
}
