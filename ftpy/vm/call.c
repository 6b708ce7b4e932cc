/* vm/call.c — calling any object (ftpy.h "Calls").
 *
 * py_vcall is the one entry: the class's tp_vcall when it has one
 * (functions, methods, classes, built-ins, instances of classes with
 * __call__); else the runtime's tuple slot ft.tp_call (runtime objects
 * such as ft_cfunction), which takes no keywords; else a __call__ found
 * on the class; else TypeError "'int' object is not callable".
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "../objects/typeobject.h"

ft_object *py_vcall_check_result(ft_object *callable, ft_object *r)
{
    if (r) {
        if (py_unlikely(py_err_occurred())) {
            ft_decref(r);
            ft_object *exc = py_err_fetch();
            py_err_format(py_exc_SystemError, "%s returned a result with an exception set",
                          py_type_name(callable));
            ft_object *cur = py_err_current_borrow();
            if (cur && exc)
                py_exc_set_context(cur, exc);
            ft_xdecref(exc);
            return NULL;
        }
        return r;
    }
    if (py_unlikely(!py_err_occurred())) {
        if (ft_err_occurred())
            return py_err_from_ft();
        py_err_format(py_exc_SystemError, "%s returned NULL without setting an exception",
                      py_type_name(callable));
    }
    return NULL;
}

static ft_object *args_tuple(ft_object *const *args, size_t nargs)
{
    ft_object *t = ft_tuple_new((ssize_t)nargs);
    if (!t)
        return py_err_from_ft();
    for (size_t i = 0; i < nargs; i++) {
        ft_incref(args[i]);
        ft_tuple_set_steal(t, (ssize_t)i, args[i]);
    }
    return t;
}

ft_object *py_vcall_slow(ft_object *callable, ft_object *const *args,
                         size_t nargs, ft_object *kwnames)
{
    ft_callfunc call = callable->ob_type->tp_call;
    if (call) {
        if (kwnames && py_vm_tuple_size(kwnames) > 0)
            return py_err_format(py_exc_TypeError, "%s() takes no keyword arguments",
                                 py_type_name(callable));
        ft_object *t = args_tuple(args, nargs);
        if (!t)
            return NULL;
        ft_object *r = call(callable, t);
        ft_decref(t);
        if (!r)
            return py_err_from_ft();
        return r;
    }
    /* A class with __call__ whose slot was not filled in. */
    py_type *cls = py_type_of(callable);
    ft_object *m = py_type_lookup_borrow(cls, PY_ID(__call__));
    if (m) {
        size_t total = nargs + (kwnames ? (size_t)py_vm_tuple_size(kwnames) : 0);
        ft_object *small[8];
        ft_object **buf = total + 1 <= 8 ? small : malloc((total + 1) * sizeof *buf);
        if (!buf)
            return py_err_nomemory();
        buf[0] = callable;
        if (total)  /* args may be NULL when there are none */
            memcpy(buf + 1, args, total * sizeof *buf);
        ft_incref(m);
        ft_object *r = py_vcall(m, buf, nargs + 1, kwnames);
        ft_decref(m);
        if (buf != small)
            free(buf);
        return r;
    }
    return py_err_format(py_exc_TypeError, "'%s' object is not callable",
                         py_type_name(callable));
}

ft_object *py_vcall(ft_object *callable, ft_object *const *args, size_t nargs,
                    ft_object *kwnames)
{
    return py_vcall_inline(callable, args, nargs, kwnames);
}

ft_object *py_call_tuple(ft_object *callable, ft_object *args_t, ft_object *kwargs)
{
    ft_object *targs = args_t;
    if (!targs || targs->ob_type != &ft_tuple_type) {
        targs = args_t ? py_sequence_tuple(args_t) : ft_tuple_new(0);
        if (!targs)
            return py_err_occurred() ? NULL : py_err_from_ft();
    } else {
        ft_incref(targs);
    }
    size_t nargs = (size_t)py_vm_tuple_size(targs);
    ssize_t nkw = 0;
    if (kwargs && kwargs != ft_none()) {
        if (kwargs->ob_type != &ft_dict_type) {
            ft_decref(targs);
            return py_err_format(py_exc_TypeError, "argument after ** must be a dict");
        }
        nkw = ft_len(kwargs);
    }
    if (nkw == 0) {
        ft_object *r = py_vcall(callable, py_vm_tuple_items(targs), nargs, NULL);
        ft_decref(targs);
        return r;
    }
    ft_object *kwnames = ft_tuple_new(nkw);
    ft_object **buf = malloc((nargs + (size_t)nkw) * sizeof *buf);
    if (!kwnames || !buf) {
        ft_xdecref(kwnames);
        free(buf);
        ft_decref(targs);
        return py_err_nomemory();
    }
    memcpy(buf, py_vm_tuple_items(targs), nargs * sizeof *buf);
    /* Snapshot the pairs with references: the call may change the dict. */
    ssize_t pos = 0, i = 0;
    ft_object *k, *v;
    while (i < nkw && ft_dict_next(kwargs, &pos, &k, &v) > 0) {
        if (!py_isinstance_exact_or_sub(k, &py_str_class)) {
            for (ssize_t j = 0; j < i; j++)
                ft_decref(buf[nargs + (size_t)j]);
            ft_decref(kwnames);
            free(buf);
            ft_decref(targs);
            return py_err_format(py_exc_TypeError, "keywords must be strings");
        }
        ft_tuple_set_steal(kwnames, i, ft_newref(k));
        buf[nargs + (size_t)i] = ft_newref(v);
        i++;
    }
    ft_object *r;
    if (i != nkw) {
        r = py_err_format(py_exc_RuntimeError, "dictionary changed size during iteration");
    } else {
        r = py_vcall(callable, buf, nargs, kwnames);
    }
    for (ssize_t j = 0; j < i; j++)
        ft_decref(buf[nargs + (size_t)j]);
    ft_decref(kwnames);
    free(buf);
    ft_decref(targs);
    return r;
}

ft_object *py_call0(ft_object *callable)
{
    return py_vcall(callable, NULL, 0, NULL);
}

ft_object *py_call1(ft_object *callable, ft_object *a)
{
    return py_vcall(callable, &a, 1, NULL);
}

ft_object *py_call2(ft_object *callable, ft_object *a, ft_object *b)
{
    ft_object *args[2] = {a, b};
    return py_vcall(callable, args, 2, NULL);
}

ft_object *py_call_method(ft_object *o, ft_object *name, ft_object *const *args,
                          size_t nargs)
{
    ft_object *m = NULL;
    int r = py_lookup_method(o, name, &m);
    if (r < 0)
        return NULL;
    ft_object *res;
    if (r == 0) {
        res = py_vcall(m, args, nargs, NULL);
    } else {
        ft_object *small[8];
        ft_object **buf = nargs + 1 <= 8 ? small : malloc((nargs + 1) * sizeof *buf);
        if (!buf) {
            ft_decref(m);
            return py_err_nomemory();
        }
        buf[0] = o;
        if (nargs)
            memcpy(buf + 1, args, nargs * sizeof *buf);
        res = py_vcall(m, buf, nargs + 1, NULL);
        if (buf != small)
            free(buf);
    }
    ft_decref(m);
    return res;
}
