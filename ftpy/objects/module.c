/* objects/module.c — module objects: a name and a namespace dict.
 *
 * A module's functions reference their globals (the module's dict) and
 * built-in functions reference the module itself, so modules live in
 * cycles that py_modules_fini breaks by emptying the dicts; the cycle
 * collector handles any that user code makes.
 */
#include <stddef.h>
#include <string.h>
#include "../ftpy.h"
#include "../modules/modules.h"
#include "../vm/shared.h"

typedef struct py_module {
    ft_object ob_base;
    ft_object *dict;             /* the namespace: a runtime dict         */
    void *xweaklist;             /* the runtime's weakref list head       */
} py_module;

static py_module *as_module(ft_object *o) { return (py_module *)o; }

static int module_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    if (as_module(o)->dict)
        return visit(as_module(o)->dict, arg);
    return 0;
}

static int module_clear(ft_object *o)
{
    ft_object *d = as_module(o)->dict;
    as_module(o)->dict = NULL;
    ft_xdecref(d);
    return 0;
}

static void module_dealloc(ft_object *o)
{
    ft_object_clear_weakrefs(o);
    module_clear(o);
    ft_object_free(o);
}

/* The module's __name__, borrowed from its dict, or NULL. */
static ft_object *module_name_borrow(ft_object *o)
{
    ft_object *name = NULL;
    if (!as_module(o)->dict || ft_dict_lookup(as_module(o)->dict, PY_ID(__name__), &name) <= 0) {
        ft_err_clear();
        return NULL;
    }
    ft_decref(name);   /* the dict keeps it alive */
    return py_str_check_exact(name) ? name : NULL;
}

static ft_object *module_repr(ft_object *o)
{
    ft_object *name = module_name_borrow(o);
    const char *n = name ? ft_str_utf8_borrow(name, NULL) : "?";
    ft_object *file = NULL;
    if (as_module(o)->dict && ft_dict_lookup(as_module(o)->dict, PY_ID(__file__), &file) > 0 &&
        py_str_check_exact(file)) {
        ft_object *r = py_str_from_format("<module '%s' from '%s'>", n,
                                          ft_str_utf8_borrow(file, NULL));
        ft_decref(file);
        return r;
    }
    ft_xdecref(file);
    ft_err_clear();
    return py_str_from_format("<module '%s' (built-in)>", n);
}

/* Attribute lookup: the namespace first, then the class (__dict__,
 * __class__, ...), as CPython's module_getattro. */
static ft_object *module_getattro(ft_object *o, ft_object *name)
{
    ft_object *v = NULL;
    int found = as_module(o)->dict ? ft_dict_lookup(as_module(o)->dict, name, &v) : 0;
    if (found < 0)
        return py_err_from_ft();
    if (found)
        return v;
    if (ft_equal(name, PY_ID(__dict__)) == 1)
        return ft_newref(as_module(o)->dict);
    ft_object *attr = py_type_lookup_borrow(py_type_of(o), name);
    if (attr) {
        py_type *at = py_type_of(attr);
        if (at->tp_descr_get)
            return at->tp_descr_get(attr, o, (ft_object *)py_type_of(o));
        return ft_newref(attr);
    }
    ft_object *mname = module_name_borrow(o);
    if (mname)
        return py_err_format(py_exc_AttributeError, "module '%s' has no attribute '%s'",
                             ft_str_utf8_borrow(mname, NULL), ft_str_utf8_borrow(name, NULL));
    return py_err_format(py_exc_AttributeError, "module has no attribute '%s'",
                         ft_str_utf8_borrow(name, NULL));
}

static int module_setattro(ft_object *o, ft_object *name, ft_object *v)
{
    ft_object *d = as_module(o)->dict;
    if (v)
        return ft_dict_set(d, name, v) < 0 ? py_err_from_ft_int() : 0;
    if (ft_dict_del(d, name) == 0)
        return 0;
    ft_err_clear();
    ft_object *mname = module_name_borrow(o);
    return py_err_format_int(py_exc_AttributeError, "module '%s' has no attribute '%s'",
                             mname ? ft_str_utf8_borrow(mname, NULL) : "?",
                             ft_str_utf8_borrow(name, NULL));
}

static ft_object *module_alloc(py_type *cls, ft_object *name);

static ft_object *module_new(py_type *cls, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    ft_object *a[2];
    if (py_bind_args("module", args, nargs, kwnames, "name,|,doc", a) < 0)
        return NULL;
    if (!py_str_check_exact(a[0]))
        return py_err_format(py_exc_TypeError, "module.__init__() argument 'name' must be str, not %s",
                             py_type_name(a[0]));
    ft_object *m = module_alloc(cls, a[0]);
    if (m && a[1] && ft_dict_set(as_module(m)->dict, PY_ID(__doc__), a[1]) < 0) {
        ft_decref(m);
        return py_err_from_ft();
    }
    return m;
}

py_type py_module_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "module",
        .tp_basicsize = sizeof(py_module),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE,
        .tp_dealloc = module_dealloc,
        .tp_traverse = module_traverse,
        .tp_clear = module_clear,
        .tp_repr = module_repr,
        .tp_weaklistoffset = offsetof(py_module, xweaklist),
    },
    .tp_getattro = module_getattro,
    .tp_setattro = module_setattro,
    .tp_new = module_new,
    .tp_dictoffset = offsetof(py_module, dict),
};

ft_object *py_module_new(ft_object *name)
{
    return module_alloc(&py_module_class, name);
}

/* A module of class cls (the module type or a subclass: instances of a
 * subclass are laid out by the class, the namespace slot first). */
static ft_object *module_alloc(py_type *cls, ft_object *name)
{
    ft_object *m = ft_object_new(&cls->ft, cls->ft.tp_basicsize);
    if (!m)
        return py_err_from_ft();
    ft_object *d = ft_dict_new();
    if (!d) {
        ft_decref(m);
        return py_err_from_ft();
    }
    as_module(m)->dict = d;
    if (ft_dict_set(d, PY_ID(__name__), name) < 0 ||
        ft_dict_set(d, PY_ID(__doc__), ft_none()) < 0) {
        ft_decref(m);
        return py_err_from_ft();
    }
    py_shared_new_module(m);   /* threads running: counts sharded */
    return m;
}

ft_object *py_module_dict_borrow(ft_object *module)
{
    return as_module(module)->dict;
}

int py_module_add(ft_object *module, const char *name, ft_object *value)
{
    ft_object *key = ft_str_from_utf8(name, -1);
    if (!key)
        return py_err_from_ft_int();
    ft_object *k = ft_str_intern(key);
    ft_decref(key);
    if (!k)
        return py_err_from_ft_int();
    int rc = ft_dict_set(as_module(module)->dict, k, value);
    ft_decref(k);
    if (rc == 0)
        py_shared_module_value(value);   /* threads running: sharded */
    return rc < 0 ? py_err_from_ft_int() : 0;
}

ft_object *py_module_from_def(const py_module_def *def)
{
    ft_object *name = ft_str_from_utf8(def->name, -1);
    if (!name)
        return py_err_from_ft();
    ft_object *m = py_module_new(name);
    ft_decref(name);
    if (!m)
        return NULL;
    for (const py_method_def *md = def->methods; md && md->name; md++) {
        ft_object *f = py_cfunction_new(md, m);
        int rc = f ? py_module_add(m, md->name, f) : -1;
        ft_xdecref(f);
        if (rc < 0) {
            ft_decref(m);
            return NULL;
        }
    }
    if (def->exec && def->exec(m) < 0) {
        ft_decref(m);
        return NULL;
    }
    return m;
}
