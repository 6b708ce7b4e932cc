/* objects/cell.c — cells: the shared boxes of closure variables.
 *
 * A cell holds one reference or nothing (an unbound variable). Cells are
 * GC-tracked: a function stored in its own closure variable (a recursive
 * inner function) is a cycle function -> closure tuple -> cell -> function.
 */
#include <stdio.h>
#include "../vm/vm.h"

static void cell_dealloc(ft_object *o)
{
    py_cell *c = (py_cell *)o;
    ft_object *v = c->ref;
    c->ref = NULL;
    ft_xdecref(v);
    ft_object_free(o);
}

static int cell_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    py_cell *c = (py_cell *)o;
    return c->ref ? visit(c->ref, arg) : 0;
}

static int cell_clear(ft_object *o)
{
    py_cell_set(o, NULL);
    return 0;
}

static ft_object *cell_repr(ft_object *o)
{
    py_cell *c = (py_cell *)o;
    if (!c->ref)
        return py_str_from_format("<cell at %p: empty>", (void *)o);
    return py_str_from_format("<cell at %p: %s object at %p>", (void *)o,
                              py_type_name(c->ref), (void *)c->ref);
}

static ft_object *cell_get_contents(ft_object *o)
{
    py_cell *c = (py_cell *)o;
    if (!c->ref)
        return py_err_format(py_exc_ValueError, "Cell is empty");
    return ft_newref(c->ref);
}

static int cell_set_contents(ft_object *o, ft_object *v)
{
    py_cell_set(o, v);
    return 0;
}

static ft_object *cell_richcompare(ft_object *a, ft_object *b, int op)
{
    if (a->ob_type != &py_cell_class.ft || b->ob_type != &py_cell_class.ft)
        return py_notimplemented();
    ft_object *x = ((py_cell *)a)->ref, *y = ((py_cell *)b)->ref;
    if (x && y)
        return py_richcompare(x, y, op);
    /* Empty cells sort before full ones, as CPython. */
    int cx = x != NULL, cy = y != NULL, r;
    switch (op) {
    case PY_LT: r = cx < cy; break;
    case PY_LE: r = cx <= cy; break;
    case PY_EQ: r = cx == cy; break;
    case PY_NE: r = cx != cy; break;
    case PY_GT: r = cx > cy; break;
    default:    r = cx >= cy; break;
    }
    return py_bool_new(r);
}

static const py_getset_def cell_getset[] = {
    {"cell_contents", cell_get_contents, cell_set_contents},
    {NULL, NULL, NULL},
};

py_type py_cell_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "cell",
        .tp_basicsize = sizeof(py_cell),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = cell_dealloc,
        .tp_traverse = cell_traverse,
        .tp_clear = cell_clear,
        .tp_repr = cell_repr,
    },
    .tp_richcompare = cell_richcompare,
    .tp_getset = cell_getset,
};

ft_object *py_cell_new(ft_object *v)
{
    ft_object *o = ft_object_new(&py_cell_class.ft, sizeof(py_cell));
    if (!o)
        return py_err_from_ft();
    if (v)
        ((py_cell *)o)->ref = ft_newref(v);
    return o;
}

void py_cell_set(ft_object *cell, ft_object *v)
{
    py_cell *c = (py_cell *)cell;
    ft_object *old = c->ref;
    c->ref = v ? ft_newref(v) : NULL;
    ft_xdecref(old);
}
