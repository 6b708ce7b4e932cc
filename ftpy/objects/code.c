/* objects/code.c — code objects (objects/code.h): the compiler's output.
 *
 * A code object owns copies of its instruction and line arrays and one
 * reference to each of its tuples and strings. It never changes after
 * py_code_new, and its constants are only strs, numbers, bytes, None,
 * Ellipsis, tuples of those and other code objects, so it can't be part
 * of a reference cycle: it is not tracked by the cycle collector.
 */
#include <stdio.h>
#include <string.h>
#include "../ftpy.h"
#include "../compile/compile.h"
#include "code.h"
#include "../vm/opcode.h"

static void code_dealloc(ft_object *o)
{
    py_code *c = py_as_code(o);
    ft_free(c->co_code);
    ft_free(c->co_lines);
    ft_free(c->co_cell2arg);
    ft_free(c->co_gcache);
    ft_xdecref(c->co_consts);
    ft_xdecref(c->co_names);
    ft_xdecref(c->co_varnames);
    ft_xdecref(c->co_cellvars);
    ft_xdecref(c->co_freevars);
    ft_xdecref(c->co_name);
    ft_xdecref(c->co_qualname);
    ft_xdecref(c->co_filename);
    ft_object_free(o);
}

static const char *str_or(ft_object *s, const char *dflt)
{
    const char *u = s ? ft_str_utf8_borrow(s, NULL) : NULL;
    return u ? u : dflt;
}

static ft_object *code_repr(ft_object *o)
{
    py_code *c = py_as_code(o);
    return py_str_from_format("<code object %s at %p, file \"%s\", line %d>",
                              str_or(c->co_name, "?"), (void *)o,
                              str_or(c->co_filename, "???"), c->co_firstlineno);
}

/* ---- attributes -------------------------------------------------------- */
#define CODE_OBJ_GETTER(field)                                     \
    static ft_object *code_get_##field(ft_object *o)               \
    {                                                              \
        return ft_newref(py_as_code(o)->field);                    \
    }
#define CODE_INT_GETTER(field)                                     \
    static ft_object *code_get_##field(ft_object *o)               \
    {                                                              \
        ft_object *r = ft_int_from_i64(py_as_code(o)->field);      \
        return r ? r : py_err_from_ft();                           \
    }
CODE_OBJ_GETTER(co_name)
CODE_OBJ_GETTER(co_qualname)
CODE_OBJ_GETTER(co_filename)
CODE_OBJ_GETTER(co_varnames)
CODE_OBJ_GETTER(co_cellvars)
CODE_OBJ_GETTER(co_freevars)
CODE_OBJ_GETTER(co_consts)
CODE_OBJ_GETTER(co_names)
CODE_INT_GETTER(co_firstlineno)
CODE_INT_GETTER(co_argcount)
CODE_INT_GETTER(co_posonlyargcount)
CODE_INT_GETTER(co_kwonlyargcount)
CODE_INT_GETTER(co_nlocals)
CODE_INT_GETTER(co_flags)
CODE_INT_GETTER(co_stacksize)

static const py_getset_def code_getset[] = {
    {"co_name", code_get_co_name, NULL},
    {"co_qualname", code_get_co_qualname, NULL},
    {"co_filename", code_get_co_filename, NULL},
    {"co_firstlineno", code_get_co_firstlineno, NULL},
    {"co_argcount", code_get_co_argcount, NULL},
    {"co_posonlyargcount", code_get_co_posonlyargcount, NULL},
    {"co_kwonlyargcount", code_get_co_kwonlyargcount, NULL},
    {"co_nlocals", code_get_co_nlocals, NULL},
    {"co_varnames", code_get_co_varnames, NULL},
    {"co_cellvars", code_get_co_cellvars, NULL},
    {"co_freevars", code_get_co_freevars, NULL},
    {"co_consts", code_get_co_consts, NULL},
    {"co_names", code_get_co_names, NULL},
    {"co_flags", code_get_co_flags, NULL},
    {"co_stacksize", code_get_co_stacksize, NULL},
    {NULL, NULL, NULL},
};

py_type py_code_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "code",
        .tp_basicsize = sizeof(py_code),
        .tp_flags = PY_TPFLAGS_PYTYPE,
        .tp_dealloc = code_dealloc,
        .tp_repr = code_repr,
    },
    .tp_getset = code_getset,
};

int py_code_types_init(void)
{
    return py_type_ready(&py_code_class);
}

/* ---- construction ------------------------------------------------------- */
static void *copy_array(const void *src, size_t n, size_t size)
{
    void *p = ft_malloc(n ? n * size : 1);
    if (p && n)
        memcpy(p, src, n * size);
    return p;
}

/* co_cell2arg: for each cellvar, the index of the argument of the same
 * name, or -1; NULL when no cellvar is an argument. 0 or -1. */
static int code_cell2arg(py_code *c)
{
    ssize_t nargs = c->co_argcount + c->co_kwonlyargcount +
                    !!(c->co_flags & PY_CO_VARARGS) +
                    !!(c->co_flags & PY_CO_VARKEYWORDS);
    int32_t *map = NULL;
    for (ssize_t i = 0; i < c->co_ncells; i++) {
        ft_object *cell = ft_tuple_get_borrow(c->co_cellvars, i);
        for (ssize_t j = 0; j < nargs; j++) {
            if (ft_equal(cell, ft_tuple_get_borrow(c->co_varnames, j)) != 1)
                continue;
            if (!map) {
                map = ft_malloc(sizeof(int32_t) * (size_t)c->co_ncells);
                if (!map)
                    return py_err_from_ft_int();
                for (ssize_t k = 0; k < c->co_ncells; k++)
                    map[k] = -1;
            }
            map[i] = (int32_t)j;
            break;
        }
    }
    ft_err_clear();
    c->co_cell2arg = map;
    return 0;
}

/* co_gcache: zeroed (empty) entries, one per name, when an instruction
 * is a LOAD_GLOBAL. 0 or -1 (MemoryError). */
static int code_gcache(py_code *c)
{
    ssize_t nnames = ft_len(c->co_names);
    bool any = false;
    for (ssize_t i = 0; i < c->co_ncode && !any; i++)
        any = py_instr_op(c->co_code[i]) == OP_LOAD_GLOBAL;
    if (!any || nnames <= 0)
        return 0;
    c->co_gcache = ft_calloc((size_t)nnames, sizeof(ft_dict_cache2));
    return c->co_gcache ? 0 : py_err_from_ft_int();
}

ft_object *py_code_new(const py_code_spec *s)
{
    ft_object *o = ft_object_new(&py_code_class.ft, sizeof(py_code));
    if (!o)
        return py_err_from_ft();
    py_code *c = py_as_code(o);
    c->co_ncode = s->ncode;
    c->co_cell2arg = NULL;
    c->co_gcache = NULL;
    c->co_code = copy_array(s->code, (size_t)s->ncode, sizeof(uint32_t));
    c->co_lines = copy_array(s->lines, (size_t)s->ncode, sizeof(int32_t));
    c->co_consts = ft_newref(s->consts);
    c->co_names = ft_newref(s->names);
    c->co_varnames = ft_newref(s->varnames);
    c->co_cellvars = ft_newref(s->cellvars);
    c->co_freevars = ft_newref(s->freevars);
    c->co_name = ft_newref(s->name);
    c->co_qualname = ft_newref(s->qualname ? s->qualname : s->name);
    c->co_filename = ft_newref(s->filename);
    c->co_argcount = s->argcount;
    c->co_posonlyargcount = s->posonlyargcount;
    c->co_kwonlyargcount = s->kwonlyargcount;
    c->co_nlocals = (int)ft_len(s->varnames);
    c->co_ncells = (int)ft_len(s->cellvars);
    c->co_nfrees = (int)ft_len(s->freevars);
    c->co_stacksize = s->stacksize;
    c->co_maxblocks = s->maxblocks;
    c->co_flags = s->flags;
    c->co_firstlineno = s->firstlineno;
    if (!c->co_code || !c->co_lines || code_cell2arg(c) < 0 || code_gcache(c) < 0) {
        ft_decref(o);
        return py_err_from_ft();
    }
    return o;
}

int py_code_line(const py_code *c, ssize_t i)
{
    if (i < 0 || i >= c->co_ncode)
        return 0;
    return c->co_lines[i];
}
