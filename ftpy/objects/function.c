/* objects/function.c — Python functions and bound methods.
 *
 * A function is code + globals (+ builtins, defaults, closure ...). Calling
 * it (tp_vcall) binds the arguments into a frame from the thread's frame
 * stack and runs the loop; a generator function returns a new generator
 * instead. The loop's CALL has its own inline path for functions that
 * avoids recursing in C (vm/eval.c); this one serves calls from C.
 *
 * Functions are GC-tracked: a module's functions refer to the module's
 * globals, which refer to the functions.
 *
 * A bound method (py_method) pairs a function (or any callable) with the
 * object it was looked up on; calling it prepends that object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../vm/vm.h"
#include "typeobject.h"
#include "../vm/shared.h"

/* ---- Functions ------------------------------------------------------------ */

static py_function *as_func(ft_object *o) { return (py_function *)o; }

static int func_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    py_function *f = as_func(o);
    ft_object *refs[] = {f->code, f->globals, f->builtins, f->name, f->qualname,
                         f->defaults, f->kwdefaults, f->closure, f->doc,
                         f->module, f->dict, f->annotations};
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        if (refs[i]) {
            int r = visit(refs[i], arg);
            if (r)
                return r;
        }
    return 0;
}

static void clear_slot(ft_object **slot)
{
    ft_object *v = *slot;
    if (v) {
        *slot = NULL;
        ft_decref(v);
    }
}

static int func_clear(ft_object *o)
{
    py_function *f = as_func(o);
    /* code, globals, builtins, name and qualname stay: a cleared function
     * may still be called by a finalizer running in the same collection. */
    clear_slot(&f->defaults);
    clear_slot(&f->kwdefaults);
    clear_slot(&f->closure);
    clear_slot(&f->doc);
    clear_slot(&f->module);
    clear_slot(&f->dict);
    clear_slot(&f->annotations);
    return 0;
}

static void func_dealloc(ft_object *o)
{
    py_function *f = as_func(o);
    ft_object_clear_weakrefs(o);
    func_clear(o);
    clear_slot(&f->code);
    clear_slot(&f->globals);
    clear_slot(&f->builtins);
    clear_slot(&f->name);
    clear_slot(&f->qualname);
    ft_object_free(o);
}

static ft_object *func_repr(ft_object *o)
{
    const char *q = ft_str_utf8_borrow(as_func(o)->qualname, NULL);
    return py_str_from_format("<function %s at %p>", q ? q : "?", (void *)o);
}

static ft_object *func_vcall(ft_object *callable, ft_object *const *args,
                             size_t nargs, ft_object *kwnames)
{
    py_function *fn = as_func(callable);
    py_code *co = py_as_code(fn->code);
    if (co->co_flags & PY_CO_GENERATOR)
        return py_gen_new_for_call(callable, args, nargs, kwnames);
    py_tstate *ts = py_tstate_fast();
    ft_incref(callable);        /* the frame's reference */
    py_frame *f = py_frame_push_func(ts, fn, co);
    if (!f) {
        ft_decref(callable);
        return NULL;
    }
    ft_object **L = f->localsplus;
    int nlp = f->nlocalsplus;
    if (py_likely(!kwnames && nargs == (size_t)co->co_argcount &&
                  co->co_kwonlyargcount == 0 &&
                  !(co->co_flags & (PY_CO_VARARGS | PY_CO_VARKEYWORDS)))) {
        /* Exactly the positional arguments. */
        for (size_t i = 0; i < nargs; i++)
            L[i] = ft_newref(args[i]);
        for (int i = (int)nargs; i < nlp; i++)
            L[i] = NULL;
        if ((co->co_ncells || co->co_nfrees) && py_frame_init_cells(f, fn->closure) < 0)
            goto fail;
    } else {
        for (int i = 0; i < nlp; i++)
            L[i] = NULL;
        if (py_frame_bind_args(f, callable, args, nargs, kwnames) < 0)
            goto fail;
    }
    /* The loop clears the frame when it returns or raises. */
    ft_object *r = py_eval_frame(f);
    py_frame_pop_func(ts, f);
    return r;
fail:
    py_frame_clear(f);
    py_frame_pop_func(ts, f);
    return NULL;
}

/* The runtime's tuple calling convention (weakref callbacks, ft_call). */
static ft_object *func_ftcall(ft_object *callable, ft_object *args)
{
    return py_vcall(callable, py_vm_tuple_items(args), (size_t)py_vm_tuple_size(args),
                    NULL);
}

ft_object *py_function_descr_get(ft_object *func, ft_object *obj, ft_object *type)
{
    (void)type;
    if (!obj || obj == ft_none())
        return ft_newref(func);
    return py_method_new(func, obj);
}

ft_object *py_builtins_from_globals(ft_object *globals)
{
    ft_object *b = NULL;
    if (globals && globals->ob_type == &ft_dict_type &&
        ft_dict_lookup(globals, PY_ID(__builtins__), &b) > 0) {
        ft_object *d = b;
        if (py_isinstance_exact_or_sub(b, &py_module_class))
            d = py_module_dict_borrow(b);
        ft_decref(b);   /* still referenced by globals */
        if (d && d->ob_type == &ft_dict_type)
            return d;
    }
    ft_err_clear();
    return py_builtins_dict_borrow();
}

ft_object *py_function_new(ft_object *code, ft_object *globals)
{
    py_code *co = py_as_code(code);
    ft_object *o = ft_object_new(&py_function_class.ft, sizeof(py_function));
    if (!o)
        return py_err_from_ft();
    py_function *f = as_func(o);
    f->code = ft_newref(code);
    f->globals = ft_newref(globals);
    f->builtins = ft_newref(py_builtins_from_globals(globals));
    f->name = ft_newref(co->co_name);
    f->qualname = ft_newref(co->co_qualname ? co->co_qualname : co->co_name);
    if ((co->co_flags & PY_CO_HAS_DOCSTRING) && ft_len(co->co_consts) > 0)
        f->doc = ft_newref(ft_tuple_get_borrow(co->co_consts, 0));
    ft_object *mod = NULL;
    int r = ft_dict_lookup(globals, PY_ID(__name__), &mod);
    if (r < 0) {
        ft_decref(o);
        return py_err_from_ft();
    }
    f->module = mod;   /* new reference or NULL */
    py_shared_new_function(o);   /* threads running: counts sharded */
    return o;
}

/* -- attributes -- */

static ft_object *or_none(ft_object *v) { return ft_newref(v ? v : ft_none()); }

static ft_object *func_get_name(ft_object *o) { return ft_newref(as_func(o)->name); }
static int func_set_name(ft_object *o, ft_object *v)
{
    if (!v || !py_isinstance_exact_or_sub(v, &py_str_class))
        return py_err_format_int(py_exc_TypeError, "__name__ must be set to a string object");
    ft_object *old = as_func(o)->name;
    as_func(o)->name = ft_newref(v);
    ft_decref(old);
    return 0;
}
static ft_object *func_get_qualname(ft_object *o) { return ft_newref(as_func(o)->qualname); }
static int func_set_qualname(ft_object *o, ft_object *v)
{
    if (!v || !py_isinstance_exact_or_sub(v, &py_str_class))
        return py_err_format_int(py_exc_TypeError,
                                 "__qualname__ must be set to a string object");
    ft_object *old = as_func(o)->qualname;
    as_func(o)->qualname = ft_newref(v);
    ft_decref(old);
    return 0;
}

static int set_slot(ft_object **slot, ft_object *v)
{
    ft_object *old = *slot;
    *slot = v && v != ft_none() ? ft_newref(v) : NULL;
    ft_xdecref(old);
    return 0;
}

static ft_object *func_get_doc(ft_object *o) { return or_none(as_func(o)->doc); }
static int func_set_doc(ft_object *o, ft_object *v) { return set_slot(&as_func(o)->doc, v); }
static ft_object *func_get_module(ft_object *o) { return or_none(as_func(o)->module); }
static int func_set_module(ft_object *o, ft_object *v) { return set_slot(&as_func(o)->module, v); }

static ft_object *func_get_defaults(ft_object *o) { return or_none(as_func(o)->defaults); }
static int func_set_defaults(ft_object *o, ft_object *v)
{
    if (v && v != ft_none() && v->ob_type != &ft_tuple_type)
        return py_err_format_int(py_exc_TypeError,
                                 "__defaults__ must be set to a tuple object");
    return set_slot(&as_func(o)->defaults, v);
}
static ft_object *func_get_kwdefaults(ft_object *o) { return or_none(as_func(o)->kwdefaults); }
static int func_set_kwdefaults(ft_object *o, ft_object *v)
{
    if (v && v != ft_none() && v->ob_type != &ft_dict_type)
        return py_err_format_int(py_exc_TypeError,
                                 "__kwdefaults__ must be set to a dict object");
    return set_slot(&as_func(o)->kwdefaults, v);
}

static ft_object *func_get_code(ft_object *o) { return ft_newref(as_func(o)->code); }
static int func_set_code(ft_object *o, ft_object *v)
{
    if (!v || v->ob_type != &py_code_class.ft)
        return py_err_format_int(py_exc_TypeError, "__code__ must be set to a code object");
    py_function *f = as_func(o);
    ssize_t nfree = py_as_code(v)->co_nfrees;
    ssize_t nclosure = f->closure ? ft_len(f->closure) : 0;
    if (nfree != nclosure) {
        const char *n = ft_str_utf8_borrow(f->name, NULL);
        return py_err_format_int(py_exc_ValueError,
                                 "%s() requires a code object with %zd free vars, not %zd",
                                 n ? n : "?", nclosure, nfree);
    }
    ft_object *old = f->code;
    f->code = ft_newref(v);
    ft_decref(old);
    return 0;
}
static ft_object *func_get_globals(ft_object *o) { return ft_newref(as_func(o)->globals); }
static ft_object *func_get_builtins(ft_object *o) { return ft_newref(as_func(o)->builtins); }
static ft_object *func_get_closure(ft_object *o) { return or_none(as_func(o)->closure); }

static ft_object *func_get_dict(ft_object *o)
{
    py_function *f = as_func(o);
    if (!f->dict && !(f->dict = ft_dict_new()))
        return py_err_from_ft();
    return ft_newref(f->dict);
}
static int func_set_dict(ft_object *o, ft_object *v)
{
    if (!v)
        return py_err_format_int(py_exc_TypeError, "cannot delete __dict__");
    if (v->ob_type != &ft_dict_type)
        return py_err_format_int(py_exc_TypeError,
                                 "__dict__ must be set to a dictionary, not a '%s'",
                                 py_type_name(v));
    return set_slot(&as_func(o)->dict, v);
}
static ft_object *func_get_annotations(ft_object *o)
{
    py_function *f = as_func(o);
    if (!f->annotations && !(f->annotations = ft_dict_new()))
        return py_err_from_ft();
    return ft_newref(f->annotations);
}
static int func_set_annotations(ft_object *o, ft_object *v)
{
    if (v && v != ft_none() && v->ob_type != &ft_dict_type)
        return py_err_format_int(py_exc_TypeError,
                                 "__annotations__ must be set to a dict object");
    return set_slot(&as_func(o)->annotations, v);
}

static const py_getset_def func_getset[] = {
    {"__name__", func_get_name, func_set_name},
    {"__qualname__", func_get_qualname, func_set_qualname},
    {"__doc__", func_get_doc, func_set_doc},
    {"__module__", func_get_module, func_set_module},
    {"__defaults__", func_get_defaults, func_set_defaults},
    {"__kwdefaults__", func_get_kwdefaults, func_set_kwdefaults},
    {"__code__", func_get_code, func_set_code},
    {"__globals__", func_get_globals, NULL},
    {"__builtins__", func_get_builtins, NULL},
    {"__closure__", func_get_closure, NULL},
    {"__dict__", func_get_dict, func_set_dict},
    {"__annotations__", func_get_annotations, func_set_annotations},
    {NULL, NULL, NULL},
};

py_type py_function_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "function",
        .tp_basicsize = sizeof(py_function),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE | PY_TPFLAGS_METHOD_DESCRIPTOR,
        .tp_dealloc = func_dealloc,
        .tp_traverse = func_traverse,
        .tp_clear = func_clear,
        .tp_repr = func_repr,
        .tp_weaklistoffset = offsetof(py_function, xweaklist),
        .tp_call = func_ftcall,
    },
    .tp_descr_get = py_function_descr_get,
    .tp_vcall = func_vcall,
    .tp_getset = func_getset,
    .tp_dictoffset = offsetof(py_function, dict),
};

/* ---- Bound methods ------------------------------------------------------------ */

static py_method *as_meth(ft_object *o) { return (py_method *)o; }

ft_object *py_method_new(ft_object *func, ft_object *self)
{
    ft_object *o = ft_object_new(&py_method_class.ft, sizeof(py_method));
    if (!o)
        return py_err_from_ft();
    as_meth(o)->func = ft_newref(func);
    as_meth(o)->self = ft_newref(self);
    return o;
}

static int meth_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    py_method *m = as_meth(o);
    int r = m->func ? visit(m->func, arg) : 0;
    if (!r && m->self)
        r = visit(m->self, arg);
    return r;
}

static int meth_clear(ft_object *o)
{
    clear_slot(&as_meth(o)->func);
    clear_slot(&as_meth(o)->self);
    return 0;
}

static void meth_dealloc(ft_object *o)
{
    ft_object_clear_weakrefs(o);
    meth_clear(o);
    ft_object_free(o);
}

static ft_object *meth_repr(ft_object *o)
{
    py_method *m = as_meth(o);
    if (!m->func || !m->self)
        return py_str_from_format("<method at %p>", (void *)o);
    ft_object *name = NULL;
    int r = py_getattr_opt(m->func, PY_ID(__qualname__), &name);
    if (r == 0)
        r = py_getattr_opt(m->func, PY_ID(__name__), &name);
    if (r < 0)
        return NULL;
    ft_object *srepr = py_repr(m->self);
    if (!srepr) {
        ft_xdecref(name);
        return NULL;
    }
    const char *n = name && py_isinstance_exact_or_sub(name, &py_str_class)
                        ? ft_str_utf8_borrow(name, NULL) : "?";
    ft_object *res = py_str_from_format("<bound method %s of %s>", n ? n : "?",
                                        ft_str_utf8_borrow(srepr, NULL));
    ft_xdecref(name);
    ft_decref(srepr);
    return res;
}

static ft_object *meth_vcall(ft_object *callable, ft_object *const *args,
                             size_t nargs, ft_object *kwnames)
{
    py_method *m = as_meth(callable);
    size_t total = nargs + (kwnames ? (size_t)py_vm_tuple_size(kwnames) : 0);
    ft_object *small[8];
    ft_object **buf = small;
    if (total + 1 > sizeof small / sizeof small[0]) {
        buf = malloc((total + 1) * sizeof(ft_object *));
        if (!buf)
            return py_err_nomemory();
    }
    buf[0] = m->self;
    if (total)      /* args may be NULL when there are none */
        memcpy(buf + 1, args, total * sizeof(ft_object *));
    /* Keep func and self alive even if the method dies during the call. */
    ft_object *func = ft_newref(m->func), *self = ft_newref(m->self);
    ft_object *r = py_vcall(func, buf, nargs + 1, kwnames);
    ft_decref(func);
    ft_decref(self);
    if (buf != small)
        free(buf);
    return r;
}

static ft_object *meth_ftcall(ft_object *callable, ft_object *args)
{
    return meth_vcall(callable, py_vm_tuple_items(args), (size_t)py_vm_tuple_size(args),
                      NULL);
}

static int64_t meth_hash(ft_object *o)
{
    py_method *m = as_meth(o);
    int64_t y = py_hash(m->func);
    if (y == -1)
        return -1;
    int64_t x = (int64_t)((uintptr_t)m->self >> 4 | (uintptr_t)m->self << 60);
    int64_t h = x ^ y;
    return h == -1 ? -2 : h;
}

static int meth_eq(ft_object *a, ft_object *b)
{
    if (a->ob_type != &py_method_class.ft || b->ob_type != &py_method_class.ft)
        return 0;
    py_method *x = as_meth(a), *y = as_meth(b);
    if (x->self != y->self)
        return 0;
    return py_richcompare_bool(x->func, y->func, PY_EQ);
}

static ft_object *meth_richcompare(ft_object *a, ft_object *b, int op)
{
    if ((op != PY_EQ && op != PY_NE) || a->ob_type != &py_method_class.ft ||
        b->ob_type != &py_method_class.ft)
        return py_notimplemented();
    int r = meth_eq(a, b);
    if (r < 0)
        return NULL;
    return py_bool_new(op == PY_EQ ? r : !r);
}

/* Attributes the method does not have itself come from the function
 * (__name__, __doc__, __qualname__, __module__ ...). */
static ft_object *meth_getattro(ft_object *o, ft_object *name)
{
    ft_object *v = NULL;
    int r = py_generic_getattr_opt(o, name, &v);
    if (r != 0)
        return r > 0 ? v : NULL;
    return py_getattr(as_meth(o)->func, name);
}

static ft_object *meth_get_func(ft_object *o) { return ft_newref(as_meth(o)->func); }
static ft_object *meth_get_self(ft_object *o) { return ft_newref(as_meth(o)->self); }
static ft_object *meth_get_doc(ft_object *o)
{
    return py_getattr(as_meth(o)->func, PY_ID(__doc__));
}

static const py_getset_def meth_getset[] = {
    {"__func__", meth_get_func, NULL},
    {"__self__", meth_get_self, NULL},
    {"__doc__", meth_get_doc, NULL},
    {NULL, NULL, NULL},
};

py_type py_method_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "method",
        .tp_basicsize = sizeof(py_method),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = meth_dealloc,
        .tp_traverse = meth_traverse,
        .tp_clear = meth_clear,
        .tp_repr = meth_repr,
        .tp_hash = meth_hash,
        .tp_eq = meth_eq,
        .tp_weaklistoffset = offsetof(py_method, xweaklist),
        .tp_call = meth_ftcall,
    },
    .tp_getattro = meth_getattro,
    .tp_richcompare = meth_richcompare,
    .tp_vcall = meth_vcall,
    .tp_getset = meth_getset,
};
