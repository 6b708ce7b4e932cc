/* vm/build_class.c — the built-ins that need frames or the compiler:
 * __build_class__, globals, locals, vars, exec, eval, compile
 * (py_vm_builtin_defs; builtins/builtins.c puts them in the module).
 *
 * A class statement calls __build_class__(body_function, name, *bases,
 * **kwds): the metaclass is the most derived of the explicit one (or
 * type) and the bases' metaclasses; its __prepare__ makes the namespace;
 * the body function's code runs with that namespace as its locals (its
 * closure holds the cells of the enclosing function, and the body's own
 * __class__ cell is stored as __classcell__); the class is
 * meta(name, bases, ns, **kwds); the __class__ cell then gets the class,
 * which is what zero-argument super() reads.
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "../objects/typeobject.h"
#include "../compile/compile.h"
#include "../objects/str.h"

static py_frame *current_frame_or_error(const char *what)
{
    py_frame *f = py_frame_current();
    if (!f)
        py_err_format(py_exc_SystemError, "%s(): no current frame", what);
    return f;
}

/* PEP 560: bases with __mro_entries__ are replaced by what it returns. */
static ft_object *update_bases(ft_object *bases)
{
    ssize_t n = py_vm_tuple_size(bases);
    ft_object **items = py_vm_tuple_items(bases);
    ft_object *l = NULL;
    for (ssize_t i = 0; i < n; i++) {
        ft_object *b = items[i];
        ft_object *meth = NULL;
        if (py_is_type(b)) {
            if (l && ft_list_append(l, b) < 0)
                goto fail_ft;
            continue;
        }
        ft_object *name = ft_str_from_utf8("__mro_entries__", -1);
        if (!name)
            goto fail_ft;
        int r = py_getattr_opt(b, name, &meth);
        ft_decref(name);
        if (r < 0)
            goto fail;
        if (r == 0) {
            if (l && ft_list_append(l, b) < 0)
                goto fail_ft;
            continue;
        }
        ft_object *entries = py_call1(meth, bases);
        ft_decref(meth);
        if (!entries)
            goto fail;
        if (entries->ob_type != &ft_tuple_type) {
            ft_decref(entries);
            py_err_setstr(py_exc_TypeError, "__mro_entries__ must return a tuple");
            goto fail;
        }
        if (!l) {
            if (!(l = ft_list_new(0)))
                goto fail_ft;
            for (ssize_t j = 0; j < i; j++)
                if (ft_list_append(l, items[j]) < 0)
                    goto fail_ft;
        }
        for (ssize_t j = 0; j < py_vm_tuple_size(entries); j++)
            if (ft_list_append(l, py_vm_tuple_items(entries)[j]) < 0) {
                ft_decref(entries);
                goto fail_ft;
            }
        ft_decref(entries);
    }
    if (!l)
        return ft_newref(bases);
    ft_object *t = py_sequence_tuple(l);
    ft_decref(l);
    return t;
fail_ft:
    py_err_from_ft();
fail:
    ft_xdecref(l);
    return NULL;
}

static ft_object *builtin_build_class(ft_object *self, ft_object *const *args, size_t nargs,
                                      ft_object *kwnames)
{
    (void)self;
    if (nargs < 2)
        return py_err_format(py_exc_TypeError, "__build_class__: not enough arguments");
    ft_object *func = args[0], *name = args[1];
    if (!py_function_check(func))
        return py_err_format(py_exc_TypeError, "__build_class__: func must be a function");
    if (!py_isinstance_exact_or_sub(name, &py_str_class))
        return py_err_format(py_exc_TypeError, "__build_class__: name is not a string");

    ft_object *orig_bases = ft_tuple_new((ssize_t)nargs - 2);
    if (!orig_bases)
        return py_err_from_ft();
    for (size_t i = 2; i < nargs; i++)
        ft_tuple_set_steal(orig_bases, (ssize_t)i - 2, ft_newref(args[i]));

    /* Keywords: metaclass=... is ours, the rest go to the metaclass. */
    ft_object *meta = NULL, *kwnames_rest = NULL;
    ft_object **kwvals = NULL;
    ssize_t nkw = kwnames ? py_vm_tuple_size(kwnames) : 0, nrest = 0;
    ft_object *bases = NULL, *ns = NULL, *cls = NULL, *cell = NULL;
    if (nkw) {
        /* kwvals: [name, bases, ns, values...] then the names. */
        kwvals = malloc((2 * (size_t)nkw + 3) * sizeof *kwvals);
        kwnames_rest = ft_tuple_new(nkw);   /* shrunk below by copying */
        if (!kwvals || !kwnames_rest) {
            py_err_nomemory();
            goto done;
        }
        ft_object **names_tmp = kwvals + 3 + nkw;   /* second half */
        for (ssize_t i = 0; i < nkw; i++) {
            ft_object *k = py_vm_tuple_items(kwnames)[i];
            ft_object *v = args[nargs + (size_t)i];
            if (py_richcompare_bool(k, PY_ID(metaclass), PY_EQ) == 1) {
                meta = v;
                continue;
            }
            names_tmp[nrest] = k;
            kwvals[3 + nrest] = v;
            nrest++;
        }
        py_err_clear();
        ft_decref(kwnames_rest);
        kwnames_rest = NULL;
        if (nrest) {
            kwnames_rest = ft_tuple_new(nrest);
            if (!kwnames_rest) {
                py_err_from_ft();
                goto done;
            }
            for (ssize_t i = 0; i < nrest; i++)
                ft_tuple_set_steal(kwnames_rest, i, ft_newref(names_tmp[i]));
        }
    }

    bases = update_bases(orig_bases);
    if (!bases)
        goto done;
    bool isclass;
    if (meta) {
        isclass = py_is_type(meta);
        ft_incref(meta);
    } else {
        meta = py_vm_tuple_size(bases) > 0 ? py_type_new_ref(py_vm_tuple_items(bases)[0])
                                           : ft_newref(py_type_as_obj(&py_type_type));
        isclass = true;
    }
    if (isclass) {
        py_type *winner = py_type_calculate_meta((py_type *)meta, bases);
        if (!winner) {
            ft_decref(meta);
            meta = NULL;
            goto done;
        }
        ft_object *w = py_type_as_obj(winner);
        ft_incref(w);
        ft_decref(meta);
        meta = w;
    }
    /* The namespace: meta.__prepare__(name, bases, **kwds), or {}. */
    {
        ft_object *prep = NULL;
        int r = py_getattr_opt(meta, PY_ID(__prepare__), &prep);
        if (r < 0)
            goto done_meta;
        if (r == 0) {
            ns = ft_dict_new();
            if (!ns) {
                py_err_from_ft();
                goto done_meta;
            }
        } else {
            kwvals = kwvals ? kwvals : malloc(3 * sizeof *kwvals);
            if (!kwvals) {
                ft_decref(prep);
                py_err_nomemory();
                goto done_meta;
            }
            kwvals[1] = name;
            kwvals[2] = bases;
            ns = py_vcall(prep, kwvals + 1, 2, kwnames_rest);
            ft_decref(prep);
            if (!ns)
                goto done_meta;
        }
        py_type *nst = py_type_of(ns);
        if (ns->ob_type != &ft_dict_type && !nst->tp_getitem) {
            if (isclass)
                py_err_format(py_exc_TypeError,
                              "%s.__prepare__() must return a mapping, not %s",
                              ((py_type *)meta)->ft.tp_name, py_type_name(ns));
            else
                py_err_format(py_exc_TypeError,
                              "<metaclass>.__prepare__() must return a mapping, not %s",
                              py_type_name(ns));
            goto done_meta;
        }
    }
    /* The body. */
    {
        py_function *fn = (py_function *)func;
        ft_object *r = py_eval_code_ex(fn->code, fn->globals, ns, fn->closure);
        if (!r)
            goto done_meta;
        ft_decref(r);
    }
    if (bases != orig_bases) {
        ft_object *key = ft_str_from_utf8("__orig_bases__", -1);
        int r = key ? py_setitem(ns, key, orig_bases) : -1;
        ft_xdecref(key);
        if (r < 0)
            goto done_meta;
    }
    {
        /* __classcell__ is taken out of the namespace by type.__new__;
         * remember the cell to fill it in afterwards. */
        ft_object *v = NULL;
        if (ns->ob_type == &ft_dict_type) {
            if (ft_dict_lookup(ns, PY_ID(__classcell__), &v) > 0)
                cell = v;
            ft_err_clear();
        } else {
            cell = py_getitem(ns, PY_ID(__classcell__));
            if (!cell)
                py_err_clear();
        }
        if (cell && cell->ob_type != &py_cell_class.ft) {
            py_err_format(py_exc_TypeError, "__classcell__ must be a nonlocal cell, not %s",
                          py_type_name(cell));
            goto done_meta;
        }
    }
    {
        size_t total = 3 + (size_t)nrest;
        if (!kwvals && !(kwvals = malloc(3 * sizeof *kwvals))) {
            py_err_nomemory();
            goto done_meta;
        }
        kwvals[0] = name;
        kwvals[1] = bases;
        kwvals[2] = ns;
        (void)total;
        cls = py_vcall(meta, kwvals, 3, kwnames_rest);
    }
    if (cls && cell && py_is_type(cls)) {
        ft_object *cur = py_cell_get_borrow(cell);
        if (!cur) {
            py_cell_set(cell, cls);
        } else if (cur != cls) {
            ft_object *r1 = py_repr(cur), *r2 = py_repr(name), *r3 = py_repr(cls);
            if (r1 && r2 && r3)
                py_err_format(py_exc_TypeError, "__class__ set to %s defining %s as %s",
                              ft_str_utf8_borrow(r1, NULL), ft_str_utf8_borrow(r2, NULL),
                              ft_str_utf8_borrow(r3, NULL));
            ft_xdecref(r1);
            ft_xdecref(r2);
            ft_xdecref(r3);
            ft_decref(cls);
            cls = NULL;
        }
    }
done_meta:
    ft_xdecref(meta);
done:
    ft_xdecref(cell);
    ft_xdecref(ns);
    ft_xdecref(bases);
    ft_decref(orig_bases);
    ft_xdecref(kwnames_rest);
    free(kwvals);
    return cls;
}

/* ---- globals / locals / vars ------------------------------------------------------ */

static ft_object *builtin_globals(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)self;
    (void)args;
    if (py_no_kwargs("globals", kwnames) < 0 || py_check_nargs("globals", nargs, 0, 0) < 0)
        return NULL;
    py_frame *f = current_frame_or_error("globals");
    return f ? ft_newref(f->globals) : NULL;
}

static ft_object *builtin_locals(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)self;
    (void)args;
    if (py_no_kwargs("locals", kwnames) < 0 || py_check_nargs("locals", nargs, 0, 0) < 0)
        return NULL;
    py_frame *f = current_frame_or_error("locals");
    return f ? py_frame_locals(f) : NULL;
}

static ft_object *builtin_vars(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("vars", kwnames) < 0 || py_check_nargs("vars", nargs, 0, 1) < 0)
        return NULL;
    if (nargs == 0) {
        py_frame *f = current_frame_or_error("vars");
        return f ? py_frame_locals(f) : NULL;
    }
    ft_object *d = NULL;
    int r = py_getattr_opt(args[0], PY_ID(__dict__), &d);
    if (r == 0)
        return py_err_format(py_exc_TypeError, "vars() argument must have __dict__ attribute");
    return r > 0 ? d : NULL;
}

/* ---- exec / eval / compile ---------------------------------------------------------- */

/* The source text of str/bytes arguments: UTF-8, valid while `o` lives. */
static const char *source_text(ft_object *o, ssize_t *n, const char *fname, const char *what)
{
    if (py_isinstance_exact_or_sub(o, &py_str_class)) {
        ft_object *s = py_unbox_borrow(o, &ft_str_type);
        const char *p = ft_str_utf8_borrow(s ? s : o, n);
        if (p && (ssize_t)strlen(p) != *n) {
            py_err_setstr(py_exc_ValueError, "source code string cannot contain null bytes");
            return NULL;
        }
        return p;
    }
    if (py_isinstance_exact_or_sub(o, &py_bytes_class)) {
        const char *p = py_bytes_data(o, n);
        if (p && (ssize_t)strlen(p) != *n) {
            py_err_setstr(py_exc_ValueError, "source code string cannot contain null bytes");
            return NULL;
        }
        return p;
    }
    py_err_format(py_exc_TypeError, "%s() arg 1 must be a %s object", fname, what);
    return NULL;
}

static int mode_of(const char *m)
{
    if (strcmp(m, "exec") == 0)
        return PY_PARSE_EXEC;
    if (strcmp(m, "eval") == 0)
        return PY_PARSE_EVAL;
    if (strcmp(m, "single") == 0)
        return PY_PARSE_SINGLE;
    return -1;
}

static ft_object *builtin_compile(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)self;
    ft_object *a[7];
    if (py_bind_args("compile", args, nargs, kwnames,
                     "source,filename,mode,|,flags,dont_inherit,optimize,*,_feature_version",
                     a) < 0)
        return NULL;
    if (a[0]->ob_type == &py_code_class.ft)
        return ft_newref(a[0]);
    if (!py_isinstance_exact_or_sub(a[1], &py_str_class))
        return py_err_format(py_exc_TypeError,
                             "compile() argument 'filename' must be str, not %s",
                             py_type_name(a[1]));
    if (!py_isinstance_exact_or_sub(a[2], &py_str_class))
        return py_err_format(py_exc_TypeError, "compile() argument 'mode' must be str, not %s",
                             py_type_name(a[2]));
    int mode = mode_of(ft_str_utf8_borrow(a[2], NULL));
    if (mode < 0)
        return py_err_format(py_exc_ValueError,
                             "compile() mode must be 'exec', 'eval' or 'single'");
    ssize_t n;
    const char *src = source_text(a[0], &n, "compile", "string, bytes or AST");
    if (!src)
        return NULL;
    return py_compile(src, (size_t)n, ft_str_utf8_borrow(a[1], NULL), mode);
}

/* exec/eval's globals and locals: checks, defaults from the calling
 * frame, and __builtins__. New references in *g and *l. */
static int resolve_namespaces(const char *fname, ft_object *globals, ft_object *locals,
                              ft_object **g, ft_object **l)
{
    if (globals == ft_none())
        globals = NULL;
    if (locals == ft_none())
        locals = NULL;
    if (globals && globals->ob_type != &ft_dict_type) {
        if (strcmp(fname, "exec") == 0)
            return py_err_format_int(py_exc_TypeError, "exec() globals must be a dict, not %s",
                                     py_type_name(globals));
        return py_err_format_int(py_exc_TypeError, "globals must be a real dict; try eval(expr, {}, mapping)");
    }
    if (locals && locals->ob_type != &ft_dict_type &&
        !py_type_of(locals)->tp_getitem)
        return py_err_format_int(py_exc_TypeError, "locals must be a mapping");
    if (!globals) {
        py_frame *f = current_frame_or_error(fname);
        if (!f)
            return -1;
        globals = f->globals;
        if (!locals) {
            *l = py_frame_locals(f);
            if (!*l)
                return -1;
            *g = ft_newref(globals);
            goto builtins;
        }
    }
    *g = ft_newref(globals);
    *l = ft_newref(locals ? locals : globals);
builtins: {
        ft_object *b = NULL;
        int r = ft_dict_lookup(*g, PY_ID(__builtins__), &b);
        if (r > 0) {
            ft_decref(b);
        } else if (r == 0) {
            if (ft_dict_set(*g, PY_ID(__builtins__), py_builtins_dict_borrow()) < 0)
                r = -1;
        }
        if (r < 0) {
            ft_decref(*g);
            ft_decref(*l);
            return py_err_from_ft_int();
        }
    }
    return 0;
}

static ft_object *exec_or_eval(const char *fname, int mode, ft_object *const *args,
                               size_t nargs, ft_object *kwnames)
{
    ft_object *a[4];
    if (py_bind_args(fname, args, nargs, kwnames, "source,|,globals,locals,/,*,closure", a) < 0)
        return NULL;
    /* py_bind_args marks optional ones after "|": globals and locals are
     * optional positional-only here. */
    ft_object *g = NULL, *l = NULL;
    if (resolve_namespaces(fname, a[1], a[2], &g, &l) < 0)
        return NULL;
    ft_object *code;
    if (a[0]->ob_type == &py_code_class.ft) {
        code = ft_newref(a[0]);
    } else {
        ssize_t n;
        const char *src = source_text(a[0], &n, fname,
                                      mode == PY_PARSE_EVAL ? "string, bytes or code"
                                                            : "string, bytes or code");
        if (!src) {
            if (py_err_matches(py_exc_TypeError)) {
                py_err_clear();
                py_err_format(py_exc_TypeError, "%s() arg 1 must be a string, bytes or code object",
                              fname);
            }
            ft_decref(g);
            ft_decref(l);
            return NULL;
        }
        if (mode == PY_PARSE_EVAL)
            while (*src == ' ' || *src == '\t') {
                src++;
                n--;
            }
        code = py_compile(src, (size_t)n, "<string>", mode);
    }
    ft_object *r = code ? py_eval_code(code, g, l) : NULL;
    ft_xdecref(code);
    ft_decref(g);
    ft_decref(l);
    if (r && mode == PY_PARSE_EXEC) {
        ft_decref(r);
        r = ft_none();
    }
    return r;
}

static ft_object *builtin_exec(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self;
    return exec_or_eval("exec", PY_PARSE_EXEC, args, nargs, kwnames);
}

static ft_object *builtin_eval(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self;
    return exec_or_eval("eval", PY_PARSE_EVAL, args, nargs, kwnames);
}

const py_method_def py_vm_builtin_defs[] = {
    {"__build_class__", builtin_build_class, PY_METH_DEFAULT},
    {"globals", builtin_globals, PY_METH_DEFAULT},
    {"locals", builtin_locals, PY_METH_DEFAULT},
    {"vars", builtin_vars, PY_METH_DEFAULT},
    {"exec", builtin_exec, PY_METH_DEFAULT},
    {"eval", builtin_eval, PY_METH_DEFAULT},
    {"compile", builtin_compile, PY_METH_DEFAULT},
    {NULL, NULL, 0},
};
