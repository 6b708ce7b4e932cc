/* objects/descr.c — descriptors and built-in callables.
 *
 *   method_descriptor      list.append: tp_methods entries; calling it
 *                          with (self, args...) calls the C function;
 *                          getting it through an instance binds it
 *   classmethod_descriptor dict.fromkeys: binds to the class
 *   builtin_function_or_method  a C function with an optional bound self
 *                          (len, [].append)
 *   getset_descriptor      tp_getset entries (type.__name__)
 *   member_descriptor      one __slots__ entry of a heap class
 *   classmethod, staticmethod, property  the Python-level ones
 *   builtin_function_or_method (runtime)  the runtime's ft_cfunction
 *   weakref.ReferenceType  the runtime's weak references
 *
 * Every object that holds references is GC-tracked with traverse/clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../ftpy.h"
#include "typeobject.h"
#include "../vm/vm.h"
#include "../vm/shared.h"

#define HEAD(t) .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft), .tp_name = (t)

static void visit_or(int *rc, ft_object *o, ft_visitproc visit, void *arg)
{
    if (!*rc && o)
        *rc = visit(o, arg);
}

static void clear_ref(ft_object **p)
{
    ft_object *o = *p;
    *p = NULL;
    ft_xdecref(o);
}

/* A plain dealloc for GC objects whose tp_clear drops every reference. */
static void gc_dealloc(ft_object *o)
{
    ft_gc_untrack(o);
    o->ob_type->tp_clear(o);
    ft_object_free(o);
}

static const char *name_utf8(ft_object *s)
{
    const char *u = s ? ft_str_utf8_borrow(s, NULL) : NULL;
    return u ? u : "?";
}

/* ---- method_descriptor ------------------------------------------------------- */

typedef struct method_descr {
    ft_object ob_base;
    py_type *cls;
    const py_method_def *def;
    ft_object *name;
} method_descr;

static int descr_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    method_descr *d = (method_descr *)o;
    int rc = 0;
    visit_or(&rc, &d->cls->ft.ob_base, visit, arg);
    visit_or(&rc, d->name, visit, arg);
    return rc;
}

static int descr_clear(ft_object *o)
{
    method_descr *d = (method_descr *)o;
    py_type *cls = d->cls;
    d->cls = NULL;
    clear_ref(&d->name);
    if (cls)
        ft_decref(&cls->ft.ob_base);
    return 0;
}

static ft_object *descr_new_common(py_type *type, py_type *cls, const py_method_def *def)
{
    method_descr *d = (method_descr *)ft_object_new(&type->ft, sizeof(method_descr));
    if (!d)
        return py_err_from_ft();
    d->cls = cls;
    ft_incref(&cls->ft.ob_base);
    d->def = def;
    d->name = _py_str(def->name);
    if (!d->name) {
        ft_decref(&d->ob_base);
        return NULL;
    }
    return &d->ob_base;
}

ft_object *py_method_descr_new(py_type *cls, const py_method_def *def)
{
    if (def->flags & PY_METH_CLASS)
        return descr_new_common(&py_classmethod_descr_class, cls, def);
    if (def->flags & PY_METH_STATIC) {
        ft_object *f = py_cfunction_new(def, NULL);
        if (!f)
            return NULL;
        ft_object *sm = py_staticmethod_new(f);
        ft_decref(f);
        return sm;
    }
    return descr_new_common(&py_method_descr_class, cls, def);
}

static int check_descr_self(method_descr *d, ft_object *self)
{
    if (!py_isinstance_exact_or_sub(self, d->cls))
        return py_err_format_int(py_exc_TypeError,
                                 "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                                 d->def->name, d->cls->ft.tp_name, py_type_name(self));
    return 0;
}

static ft_object *method_descr_vcall(ft_object *o, ft_object *const *args, size_t nargs,
                                     ft_object *kwnames)
{
    method_descr *d = (method_descr *)o;
    if (nargs < 1)
        return py_err_format(py_exc_TypeError,
                             "unbound method %s.%s() needs an argument",
                             d->cls->ft.tp_name, d->def->name);
    if (check_descr_self(d, args[0]) < 0)
        return NULL;
    return d->def->fn(args[0], args + 1, nargs - 1, kwnames);
}

static ft_object *method_descr_get(ft_object *o, ft_object *obj, ft_object *type)
{
    (void)type;
    method_descr *d = (method_descr *)o;
    if (!obj)
        return ft_newref(o);
    if (check_descr_self(d, obj) < 0)
        return NULL;
    return py_cfunction_new(d->def, obj);
}

static ft_object *method_descr_repr(ft_object *o)
{
    method_descr *d = (method_descr *)o;
    return py_str_from_format("<method '%s' of '%s' objects>", d->def->name,
                              d->cls->ft.tp_name);
}

static ft_object *descr_get_name(ft_object *o) { return ft_newref(((method_descr *)o)->name); }
static ft_object *descr_get_qualname(ft_object *o)
{
    method_descr *d = (method_descr *)o;
    return py_str_from_format("%s.%s", py_type_qualname_utf8(d->cls), d->def->name);
}
static ft_object *descr_get_objclass(ft_object *o)
{
    return ft_newref(&((method_descr *)o)->cls->ft.ob_base);
}
static ft_object *get_none_doc(ft_object *o) { (void)o; return ft_none(); }

static const py_getset_def method_descr_getset[] = {
    { "__name__", descr_get_name, NULL },
    { "__qualname__", descr_get_qualname, NULL },
    { "__objclass__", descr_get_objclass, NULL },
    { "__doc__", get_none_doc, NULL },
    { NULL, NULL, NULL },
};

py_type py_method_descr_class = {
    .ft = { HEAD("method_descriptor"), .tp_basicsize = sizeof(method_descr),
            .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC | PY_TPFLAGS_METHOD_DESCRIPTOR,
            .tp_dealloc = gc_dealloc, .tp_traverse = descr_traverse,
            .tp_clear = descr_clear, .tp_repr = method_descr_repr },
    .tp_descr_get = method_descr_get,
    .tp_vcall = method_descr_vcall,
    .tp_getset = method_descr_getset,
};

/* ---- classmethod_descriptor --------------------------------------------------- */

static ft_object *cm_descr_vcall(ft_object *o, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    method_descr *d = (method_descr *)o;
    if (nargs < 1)
        return py_err_format(py_exc_TypeError,
                             "descriptor '%s' of '%s' object needs an argument",
                             d->def->name, d->cls->ft.tp_name);
    if (!py_is_type(args[0]) || !py_type_is_subtype((py_type *)args[0], d->cls))
        return py_err_format(py_exc_TypeError,
                             "descriptor '%s' for type '%s' needs a subtype of '%s', not '%s'",
                             d->def->name, d->cls->ft.tp_name, d->cls->ft.tp_name,
                             py_type_name(args[0]));
    return d->def->fn(args[0], args + 1, nargs - 1, kwnames);
}

static ft_object *cm_descr_get(ft_object *o, ft_object *obj, ft_object *type)
{
    method_descr *d = (method_descr *)o;
    if (!type || type == ft_none())
        type = py_type_as_obj(py_type_of(obj));
    return py_cfunction_new(d->def, type);
}

static ft_object *cm_descr_repr(ft_object *o)
{
    method_descr *d = (method_descr *)o;
    return py_str_from_format("<method '%s' of '%s' objects>", d->def->name,
                              d->cls->ft.tp_name);
}

py_type py_classmethod_descr_class = {
    .ft = { HEAD("classmethod_descriptor"), .tp_basicsize = sizeof(method_descr),
            .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC,
            .tp_dealloc = gc_dealloc, .tp_traverse = descr_traverse,
            .tp_clear = descr_clear, .tp_repr = cm_descr_repr },
    .tp_descr_get = cm_descr_get,
    .tp_vcall = cm_descr_vcall,
    .tp_getset = method_descr_getset,
};

/* ---- builtin_function_or_method ---------------------------------------------- */

typedef struct cfunction {
    ft_object ob_base;
    const py_method_def *def;
    ft_object *self;
} cfunction;

static int cfunction_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    int rc = 0;
    visit_or(&rc, ((cfunction *)o)->self, visit, arg);
    return rc;
}

static int cfunction_clear(ft_object *o)
{
    clear_ref(&((cfunction *)o)->self);
    return 0;
}

ft_object *py_cfunction_new(const py_method_def *def, ft_object *self)
{
    cfunction *f = (cfunction *)ft_object_new(&py_cfunction_class.ft, sizeof(cfunction));
    if (!f)
        return py_err_from_ft();
    f->def = def;
    f->self = self;
    ft_xincref(self);
    return &f->ob_base;
}

ft_object *py_cfunction_self_borrow(ft_object *f) { return ((cfunction *)f)->self; }
const py_method_def *py_cfunction_def(ft_object *f) { return ((cfunction *)f)->def; }

static ft_object *cfunction_vcall(ft_object *o, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    cfunction *f = (cfunction *)o;
    return f->def->fn(f->self, args, nargs, kwnames);
}

static bool is_module_self(ft_object *self)
{
    return !self || py_type_of(self) == &py_module_class;
}

static ft_object *cfunction_repr(ft_object *o)
{
    cfunction *f = (cfunction *)o;
    if (is_module_self(f->self))
        return py_str_from_format("<built-in function %s>", f->def->name);
    if (py_is_type(f->self) && (f->def->flags & PY_METH_CLASS))
        return py_str_from_format("<built-in method %s of type object at %p>",
                                  f->def->name, (void *)f->self);
    return py_str_from_format("<built-in method %s of %s object at %p>", f->def->name,
                              py_type_name(f->self), (void *)f->self);
}

static ft_object *cfunction_get_name(ft_object *o) { return _py_str(((cfunction *)o)->def->name); }

static ft_object *cfunction_get_qualname(ft_object *o)
{
    cfunction *f = (cfunction *)o;
    if (is_module_self(f->self))
        return _py_str(f->def->name);
    py_type *t = py_is_type(f->self) ? (py_type *)f->self : py_type_of(f->self);
    return py_str_from_format("%s.%s", py_type_qualname_utf8(t), f->def->name);
}

static ft_object *cfunction_get_self(ft_object *o)
{
    cfunction *f = (cfunction *)o;
    return ft_newref(f->self ? f->self : ft_none());
}

static ft_object *cfunction_get_module(ft_object *o)
{
    cfunction *f = (cfunction *)o;
    if (f->self && py_type_of(f->self) == &py_module_class) {
        ft_object *name = NULL;
        int rc = py_getattr_opt(f->self, PY_ID(__name__), &name);
        if (rc < 0)
            return NULL;
        if (rc > 0)
            return name;
    }
    return ft_none();
}

static const py_getset_def cfunction_getset[] = {
    { "__name__", cfunction_get_name, NULL },
    { "__qualname__", cfunction_get_qualname, NULL },
    { "__self__", cfunction_get_self, NULL },
    { "__module__", cfunction_get_module, NULL },
    { "__doc__", get_none_doc, NULL },
    { NULL, NULL, NULL },
};

static ft_object *cfunction_richcompare(ft_object *a, ft_object *b, int op)
{
    if ((op != PY_EQ && op != PY_NE) || py_type_of(a) != &py_cfunction_class ||
        py_type_of(b) != &py_cfunction_class)
        return py_notimplemented();
    cfunction *x = (cfunction *)a, *y = (cfunction *)b;
    bool eq = x->def == y->def && x->self == y->self;
    return py_bool_new(op == PY_EQ ? eq : !eq);
}

static int64_t cfunction_hash(ft_object *o)
{
    cfunction *f = (cfunction *)o;
    int64_t h = (int64_t)((uintptr_t)f->def >> 4);
    if (f->self) {
        int64_t hs = py_hash(f->self);
        if (hs == -1 && py_err_occurred()) {
            py_err_clear();
            hs = _py_identity_hash(f->self);
        }
        h ^= hs;
    }
    return h == -1 ? -2 : h;
}

py_type py_cfunction_class = {
    .ft = { HEAD("builtin_function_or_method"), .tp_basicsize = sizeof(cfunction),
            .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC,
            .tp_dealloc = gc_dealloc, .tp_traverse = cfunction_traverse,
            .tp_clear = cfunction_clear, .tp_repr = cfunction_repr,
            .tp_hash = cfunction_hash },
    .tp_vcall = cfunction_vcall,
    .tp_richcompare = cfunction_richcompare,
    .tp_getset = cfunction_getset,
};

/* ---- classmethod / staticmethod ---------------------------------------------- */

typedef struct wrapfunc {
    ft_object ob_base;
    ft_object *func;
    ft_object *dict;             /* __dict__ (functools.wraps copies into it) */
} wrapfunc;

static int wrapfunc_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    wrapfunc *w = (wrapfunc *)o;
    int rc = 0;
    visit_or(&rc, w->func, visit, arg);
    visit_or(&rc, w->dict, visit, arg);
    return rc;
}

static int wrapfunc_clear(ft_object *o)
{
    wrapfunc *w = (wrapfunc *)o;
    clear_ref(&w->func);
    clear_ref(&w->dict);
    return 0;
}

static void wrapfunc_dealloc(ft_object *o)
{
    ft_gc_untrack(o);
    ft_object_clear_weakrefs(o);
    wrapfunc_clear(o);
    ft_object_free(o);
}

static ft_object *wrapfunc_make(py_type *cls, ft_object *func)
{
    wrapfunc *w = (wrapfunc *)py_instance_alloc(cls);
    if (!w)
        return NULL;
    w->func = ft_newref(func);
    return &w->ob_base;
}

ft_object *py_classmethod_new(ft_object *callable)
{
    return wrapfunc_make(&py_classmethod_class, callable);
}

ft_object *py_staticmethod_new(ft_object *callable)
{
    return wrapfunc_make(&py_staticmethod_class, callable);
}

static int wrapfunc_init(ft_object *self, ft_object *const *args, size_t nargs,
                         ft_object *kwnames)
{
    const char *n = py_type_of(self)->ft.tp_name;
    if (py_no_kwargs(n, kwnames) < 0 || py_check_nargs(n, nargs, 1, 1) < 0)
        return -1;
    wrapfunc *w = (wrapfunc *)self;
    ft_object *old = w->func;
    w->func = ft_newref(args[0]);
    ft_xdecref(old);
    return 0;
}

static ft_object *wrapfunc_new(py_type *cls, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    wrapfunc *w = (wrapfunc *)py_instance_alloc(cls);
    if (!w)
        return NULL;
    w->func = ft_newref(ft_none());
    return &w->ob_base;
}

static ft_object *classmethod_get(ft_object *o, ft_object *obj, ft_object *type)
{
    wrapfunc *w = (wrapfunc *)o;
    if (!type || type == ft_none())
        type = py_type_as_obj(py_type_of(obj));
    py_type *ft = py_type_of(w->func);
    if (ft->tp_descr_get)   /* a function: bind it to the class (3.9+) */
        return ft->tp_descr_get(w->func, type, py_type_as_obj(py_type_of(type)));
    return py_method_new(w->func, type);
}

static ft_object *staticmethod_get(ft_object *o, ft_object *obj, ft_object *type)
{
    (void)obj; (void)type;
    return ft_newref(((wrapfunc *)o)->func);
}

static ft_object *staticmethod_vcall(ft_object *o, ft_object *const *args, size_t nargs,
                                     ft_object *kwnames)
{
    return py_vcall(((wrapfunc *)o)->func, args, nargs, kwnames);
}

static ft_object *wrapfunc_get_func(ft_object *o) { return ft_newref(((wrapfunc *)o)->func); }

static ft_object *wrapfunc_get_dict(ft_object *o)
{
    wrapfunc *w = (wrapfunc *)o;
    if (!w->dict && !(w->dict = ft_dict_new()))
        return py_err_from_ft();
    return ft_newref(w->dict);
}

/* __name__, __doc__, __qualname__, __module__ come from the wrapped
 * function, as functools.wraps-style copying (3.10) does. */
static ft_object *wrapfunc_getattro(ft_object *o, ft_object *name)
{
    wrapfunc *w = (wrapfunc *)o;
    ft_object *r = NULL;
    int rc = py_generic_getattr_opt(o, name, &r);
    if (rc != 0)
        return rc > 0 ? r : NULL;
    if (name == PY_ID(__name__) || name == PY_ID(__qualname__) || name == PY_ID(__doc__) ||
        name == PY_ID(__module__))
        return py_getattr(w->func, name);
    return py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%s'",
                         py_type_name(o), name_utf8(name));
}

static ft_object *wrapfunc_repr(ft_object *o)
{
    wrapfunc *w = (wrapfunc *)o;
    ft_object *fr = py_repr(w->func);
    if (!fr)
        return NULL;
    ft_object *r = py_str_from_format("<%s(%s)>", py_type_name(o), name_utf8(fr));
    ft_decref(fr);
    return r;
}

static const py_getset_def wrapfunc_getset[] = {
    { "__func__", wrapfunc_get_func, NULL },
    { "__wrapped__", wrapfunc_get_func, NULL },
    { "__dict__", wrapfunc_get_dict, NULL },
    { NULL, NULL, NULL },
};
py_type py_classmethod_class = {
    .ft = { HEAD("classmethod"), .tp_basicsize = sizeof(wrapfunc),
            .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC | PY_TPFLAGS_BASETYPE,
            .tp_dealloc = wrapfunc_dealloc, .tp_traverse = wrapfunc_traverse,
            .tp_clear = wrapfunc_clear, .tp_repr = wrapfunc_repr },
    .tp_descr_get = classmethod_get,
    .tp_getattro = wrapfunc_getattro,
    .tp_new = wrapfunc_new,
    .tp_init = wrapfunc_init,
    .tp_getset = wrapfunc_getset,
    .tp_dictoffset = offsetof(wrapfunc, dict),
};

py_type py_staticmethod_class = {
    .ft = { HEAD("staticmethod"), .tp_basicsize = sizeof(wrapfunc),
            .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC | PY_TPFLAGS_BASETYPE,
            .tp_dealloc = wrapfunc_dealloc, .tp_traverse = wrapfunc_traverse,
            .tp_clear = wrapfunc_clear, .tp_repr = wrapfunc_repr },
    .tp_descr_get = staticmethod_get,
    .tp_getattro = wrapfunc_getattro,
    .tp_vcall = staticmethod_vcall,
    .tp_new = wrapfunc_new,
    .tp_init = wrapfunc_init,
    .tp_getset = wrapfunc_getset,
    .tp_dictoffset = offsetof(wrapfunc, dict),
};

/* ---- property ---------------------------------------------------------------- */

typedef struct property {
    ft_object ob_base;
    ft_object *fget, *fset, *fdel, *doc, *name;
    ft_object *dict;
} property;

static int property_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    property *p = (property *)o;
    int rc = 0;
    visit_or(&rc, p->fget, visit, arg);
    visit_or(&rc, p->fset, visit, arg);
    visit_or(&rc, p->fdel, visit, arg);
    visit_or(&rc, p->doc, visit, arg);
    visit_or(&rc, p->name, visit, arg);
    visit_or(&rc, p->dict, visit, arg);
    return rc;
}

static int property_clear(ft_object *o)
{
    property *p = (property *)o;
    clear_ref(&p->fget);
    clear_ref(&p->fset);
    clear_ref(&p->fdel);
    clear_ref(&p->doc);
    clear_ref(&p->name);
    clear_ref(&p->dict);
    return 0;
}

static void property_dealloc(ft_object *o)
{
    ft_gc_untrack(o);
    ft_object_clear_weakrefs(o);
    property_clear(o);
    ft_object_free(o);
}

static ft_object *none_to_null(ft_object *o) { return o == ft_none() ? NULL : o; }

static void set_field(ft_object **field, ft_object *v)
{
    ft_object *old = *field;
    *field = v ? ft_newref(v) : NULL;
    ft_xdecref(old);
}

/* Fills a property; a missing doc is taken from fget.__doc__. */
static int property_fill(property *p, ft_object *fget, ft_object *fset, ft_object *fdel,
                         ft_object *doc)
{
    set_field(&p->fget, none_to_null(fget));
    set_field(&p->fset, none_to_null(fset));
    set_field(&p->fdel, none_to_null(fdel));
    set_field(&p->doc, none_to_null(doc));
    if (!p->doc && p->fget) {
        ft_object *d = NULL;
        int rc = py_getattr_opt(p->fget, PY_ID(__doc__), &d);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            if (d != ft_none())
                set_field(&p->doc, d);
            ft_decref(d);
        }
    }
    return 0;
}

ft_object *py_property_new(ft_object *fget, ft_object *fset, ft_object *fdel,
                           ft_object *doc)
{
    property *p = (property *)py_instance_alloc(&py_property_class);
    if (!p)
        return NULL;
    if (property_fill(p, fget, fset, fdel, doc) < 0) {
        ft_decref(&p->ob_base);
        return NULL;
    }
    return &p->ob_base;
}

static ft_object *property_new(py_type *cls, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return py_instance_alloc(cls);
}

static int property_init(ft_object *self, ft_object *const *args, size_t nargs,
                         ft_object *kwnames)
{
    ft_object *a[4];
    if (py_bind_args("property", args, nargs, kwnames, "|,fget,fset,fdel,doc", a) < 0)
        return -1;
    return property_fill((property *)self, a[0], a[1], a[2], a[3]);
}

static const char *qualname_of(ft_object *obj)
{
    return py_type_qualname_utf8(py_type_of(obj));
}

static ft_object *property_get(ft_object *o, ft_object *obj, ft_object *type)
{
    (void)type;
    property *p = (property *)o;
    if (!obj)
        return ft_newref(o);
    if (!p->fget) {
        if (p->name)
            return py_err_format(py_exc_AttributeError, "property '%s' of '%s' object has no getter",
                                 name_utf8(p->name), qualname_of(obj));
        return py_err_format(py_exc_AttributeError, "unreadable attribute");
    }
    return py_call1(p->fget, obj);
}

static int property_set(ft_object *o, ft_object *obj, ft_object *v)
{
    property *p = (property *)o;
    ft_object *f = v ? p->fset : p->fdel;
    if (!f) {
        const char *what = v ? "setter" : "deleter";
        if (p->name)
            return py_err_format_int(py_exc_AttributeError,
                                     "property '%s' of '%s' object has no %s",
                                     name_utf8(p->name), qualname_of(obj), what);
        return py_err_format_int(py_exc_AttributeError, "property of '%s' object has no %s",
                                 qualname_of(obj), what);
    }
    ft_object *r = v ? py_call2(f, obj, v) : py_call1(f, obj);
    if (!r)
        return -1;
    ft_decref(r);
    return 0;
}

/* property.getter/setter/deleter: a copy with one function replaced. */
static ft_object *property_copy(ft_object *self, ft_object *fget, ft_object *fset,
                                ft_object *fdel)
{
    property *p = (property *)self;
    py_type *cls = py_type_of(self);
    ft_object *args[4] = { fget ? fget : ft_none(), fset ? fset : ft_none(),
                           fdel ? fdel : ft_none(), p->doc ? p->doc : ft_none() };
    /* a doc that came from the old getter follows the new getter */
    ft_object *r = py_vcall(py_type_as_obj(cls), args, 4, NULL);
    if (r && p->name && py_isinstance_exact_or_sub(r, &py_property_class))
        set_field(&((property *)r)->name, p->name);
    return r;
}

static ft_object *property_getter(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    property *p = (property *)self;
    if (py_no_kwargs("getter", kwnames) < 0 || py_check_nargs("getter", nargs, 1, 1) < 0)
        return NULL;
    return property_copy(self, args[0], p->fset, p->fdel);
}

static ft_object *property_setter(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    property *p = (property *)self;
    if (py_no_kwargs("setter", kwnames) < 0 || py_check_nargs("setter", nargs, 1, 1) < 0)
        return NULL;
    return property_copy(self, p->fget, args[0], p->fdel);
}

static ft_object *property_deleter(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    property *p = (property *)self;
    if (py_no_kwargs("deleter", kwnames) < 0 || py_check_nargs("deleter", nargs, 1, 1) < 0)
        return NULL;
    return property_copy(self, p->fget, p->fset, args[0]);
}

static ft_object *property_set_name(ft_object *self, ft_object *const *args, size_t nargs,
                                    ft_object *kwnames)
{
    if (py_no_kwargs("__set_name__", kwnames) < 0 ||
        py_check_nargs("__set_name__", nargs, 2, 2) < 0)
        return NULL;
    set_field(&((property *)self)->name, args[1]);
    return ft_none();
}

static const py_method_def property_methods[] = {
    { "getter", property_getter, PY_METH_DEFAULT },
    { "setter", property_setter, PY_METH_DEFAULT },
    { "deleter", property_deleter, PY_METH_DEFAULT },
    { "__set_name__", property_set_name, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

static ft_object *or_none(ft_object *o) { return ft_newref(o ? o : ft_none()); }
static ft_object *property_get_fget(ft_object *o) { return or_none(((property *)o)->fget); }
static ft_object *property_get_fset(ft_object *o) { return or_none(((property *)o)->fset); }
static ft_object *property_get_fdel(ft_object *o) { return or_none(((property *)o)->fdel); }
static ft_object *property_get_doc(ft_object *o) { return or_none(((property *)o)->doc); }
static int property_set_doc(ft_object *o, ft_object *v)
{
    set_field(&((property *)o)->doc, v);
    return 0;
}

static const py_getset_def property_getset[] = {
    { "fget", property_get_fget, NULL },
    { "fset", property_get_fset, NULL },
    { "fdel", property_get_fdel, NULL },
    { "__doc__", property_get_doc, property_set_doc },
    { NULL, NULL, NULL },
};

py_type py_property_class = {
    .ft = { HEAD("property"), .tp_basicsize = sizeof(property),
            .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC | PY_TPFLAGS_BASETYPE,
            .tp_dealloc = property_dealloc, .tp_traverse = property_traverse,
            .tp_clear = property_clear },
    .tp_descr_get = property_get,
    .tp_descr_set = property_set,
    .tp_new = property_new,
    .tp_init = property_init,
    .tp_methods = property_methods,
    .tp_getset = property_getset,
    .tp_dictoffset = offsetof(property, dict),
};

/* ---- getset_descriptor ------------------------------------------------------- */

typedef struct getset_descr {
    ft_object ob_base;
    py_type *cls;
    const py_getset_def *def;
    ft_object *name;
} getset_descr;

static int getset_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    getset_descr *d = (getset_descr *)o;
    int rc = 0;
    visit_or(&rc, &d->cls->ft.ob_base, visit, arg);
    visit_or(&rc, d->name, visit, arg);
    return rc;
}

static int getset_clear(ft_object *o)
{
    getset_descr *d = (getset_descr *)o;
    py_type *cls = d->cls;
    d->cls = NULL;
    clear_ref(&d->name);
    if (cls)
        ft_decref(&cls->ft.ob_base);
    return 0;
}

ft_object *py_getset_descr_new(py_type *cls, const py_getset_def *def)
{
    getset_descr *d = (getset_descr *)ft_object_new(&py_getset_descr_class.ft,
                                                    sizeof(getset_descr));
    if (!d)
        return py_err_from_ft();
    d->cls = cls;
    ft_incref(&cls->ft.ob_base);
    d->def = def;
    if (!(d->name = _py_str(def->name))) {
        ft_decref(&d->ob_base);
        return NULL;
    }
    return &d->ob_base;
}

static int getset_check(getset_descr *d, ft_object *obj)
{
    if (!py_isinstance_exact_or_sub(obj, d->cls))
        return py_err_format_int(py_exc_TypeError,
                                 "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                                 d->def->name, d->cls->ft.tp_name, py_type_name(obj));
    return 0;
}

static ft_object *getset_get(ft_object *o, ft_object *obj, ft_object *type)
{
    (void)type;
    getset_descr *d = (getset_descr *)o;
    if (!obj)
        return ft_newref(o);
    if (getset_check(d, obj) < 0)
        return NULL;
    if (!d->def->get)
        return py_err_format(py_exc_AttributeError, "attribute '%s' of '%s' objects is not readable",
                             d->def->name, d->cls->ft.tp_name);
    return d->def->get(obj);
}

static int getset_set(ft_object *o, ft_object *obj, ft_object *v)
{
    getset_descr *d = (getset_descr *)o;
    if (getset_check(d, obj) < 0)
        return -1;
    if (!d->def->set)
        return py_err_format_int(py_exc_AttributeError,
                                 "attribute '%s' of '%s' objects is not writable",
                                 d->def->name, d->cls->ft.tp_name);
    return d->def->set(obj, v);
}

static ft_object *getset_repr(ft_object *o)
{
    getset_descr *d = (getset_descr *)o;
    return py_str_from_format("<attribute '%s' of '%s' objects>", d->def->name,
                              d->cls->ft.tp_name);
}

static ft_object *gs_get_name(ft_object *o) { return ft_newref(((getset_descr *)o)->name); }
static ft_object *gs_get_objclass(ft_object *o)
{
    return ft_newref(&((getset_descr *)o)->cls->ft.ob_base);
}

static const py_getset_def getset_getset[] = {
    { "__name__", gs_get_name, NULL },
    { "__qualname__", gs_get_name, NULL },
    { "__objclass__", gs_get_objclass, NULL },
    { "__doc__", get_none_doc, NULL },
    { NULL, NULL, NULL },
};

py_type py_getset_descr_class = {
    .ft = { HEAD("getset_descriptor"), .tp_basicsize = sizeof(getset_descr),
            .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC,
            .tp_dealloc = gc_dealloc, .tp_traverse = getset_traverse,
            .tp_clear = getset_clear, .tp_repr = getset_repr },
    .tp_descr_get = getset_get,
    .tp_descr_set = getset_set,
    .tp_getset = getset_getset,
};

/* ---- member_descriptor (__slots__) -------------------------------------------- */

typedef py_member_descr member_descr;   /* typeobject.h */

static int member_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    member_descr *d = (member_descr *)o;
    int rc = 0;
    visit_or(&rc, d->cls ? &d->cls->ft.ob_base : NULL, visit, arg);
    visit_or(&rc, d->name, visit, arg);
    return rc;
}

static int member_clear(ft_object *o)
{
    member_descr *d = (member_descr *)o;
    py_type *cls = d->cls;
    d->cls = NULL;
    clear_ref(&d->name);
    if (cls)
        ft_decref(&cls->ft.ob_base);
    return 0;
}

ft_object *py_member_descr_new(py_type *cls, ft_object *name, ssize_t offset)
{
    member_descr *d = (member_descr *)ft_object_new(&py_member_descr_class.ft,
                                                    sizeof(member_descr));
    if (!d)
        return py_err_from_ft();
    /* The class holds its descriptors; a strong back reference would be a
     * cycle the collector breaks: fine, it is traversed. */
    d->cls = cls;
    ft_incref(&cls->ft.ob_base);
    d->name = ft_newref(name);
    d->offset = offset;
    return &d->ob_base;
}

static int member_check(member_descr *d, ft_object *obj)
{
    if (!d->cls || !py_isinstance_exact_or_sub(obj, d->cls))
        return py_err_format_int(py_exc_TypeError,
                                 "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                                 name_utf8(d->name), d->cls ? d->cls->ft.tp_name : "?",
                                 py_type_name(obj));
    return 0;
}

/* The slot's value (a new reference) or NULL, in obj's critical section:
 * once a second thread was started. Out of line, like member_swap_locked:
 * the section's frame and lock calls stay off the one-thread path, which
 * is most __slots__ reads (in gil the section is empty anyway). */
static PY_NOINLINE ft_object *member_read_locked(ft_object *obj, ft_object **slot)
{
    ft_object *v;
    FT_BEGIN_CRITICAL_SECTION_OBJ(obj);
    v = *slot;
    ft_xincref(v);
    FT_END_CRITICAL_SECTION();
    return v;
}

static ft_object *member_get(ft_object *o, ft_object *obj, ft_object *type)
{
    (void)type;
    member_descr *d = (member_descr *)o;
    if (!obj)
        return ft_newref(o);
    if (member_check(d, obj) < 0)
        return NULL;
    ft_object *v;
    ft_object **slot = (ft_object **)((char *)obj + d->offset);
    if (py_likely(!py_threads_started())) {
        v = *slot;   /* the only thread ever (vm/shared.h): nothing races */
        ft_xincref(v);
    } else {
        v = member_read_locked(obj, slot);
    }
    if (!v)
        return py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%s'",
                             py_type_name(obj), name_utf8(d->name));
    return v;
}

/* Stores v (or deletes: v NULL) in the slot in obj's critical section
 * and returns what it held; leaves an empty slot empty. Out of line: see
 * member_read_locked. */
static PY_NOINLINE ft_object *member_swap_locked(ft_object *obj, ft_object **slot,
                                                 ft_object *v)
{
    ft_object *old;
    FT_BEGIN_CRITICAL_SECTION_OBJ(obj);
    old = *slot;
    if (v || old)
        *slot = v;
    FT_END_CRITICAL_SECTION();
    return old;
}

static int member_set(ft_object *o, ft_object *obj, ft_object *v)
{
    member_descr *d = (member_descr *)o;
    if (member_check(d, obj) < 0)
        return -1;
    ft_object *old;
    ft_xincref(v);
    ft_object **slot = (ft_object **)((char *)obj + d->offset);
    if (py_likely(!py_threads_started())) {
        old = *slot;   /* the only thread ever (vm/shared.h): nothing races */
        if (v || old)
            *slot = v;
    } else {
        old = member_swap_locked(obj, slot, v);
    }
    if (!v && !old)
        return py_err_format_int(py_exc_AttributeError, "'%s' object has no attribute '%s'",
                                 py_type_name(obj), name_utf8(d->name));
    ft_xdecref(old);
    return 0;
}

static ft_object *member_repr(ft_object *o)
{
    member_descr *d = (member_descr *)o;
    return py_str_from_format("<member '%s' of '%s' objects>", name_utf8(d->name),
                              d->cls ? d->cls->ft.tp_name : "?");
}

static ft_object *md_get_name(ft_object *o) { return ft_newref(((member_descr *)o)->name); }
static ft_object *md_get_objclass(ft_object *o)
{
    member_descr *d = (member_descr *)o;
    return ft_newref(d->cls ? &d->cls->ft.ob_base : ft_none());
}

static const py_getset_def member_getset[] = {
    { "__name__", md_get_name, NULL },
    { "__objclass__", md_get_objclass, NULL },
    { "__doc__", get_none_doc, NULL },
    { NULL, NULL, NULL },
};

py_type py_member_descr_class = {
    .ft = { HEAD("member_descriptor"), .tp_basicsize = sizeof(member_descr),
            .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC,
            .tp_dealloc = gc_dealloc, .tp_traverse = member_traverse,
            .tp_clear = member_clear, .tp_repr = member_repr },
    .tp_descr_get = member_get,
    .tp_descr_set = member_set,
    .tp_getset = member_getset,
};

/* ---- the runtime's ft_cfunction ------------------------------------------------ */

static ft_object *ftcfunc_vcall(ft_object *o, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    if (kwnames && ft_len(kwnames) > 0)
        return py_err_format(py_exc_TypeError, "%s() takes no keyword arguments",
                             "builtin_function_or_method");
    ft_object *t = ft_tuple_new((ssize_t)nargs);
    if (!t)
        return py_err_from_ft();
    for (size_t i = 0; i < nargs; i++)
        ft_tuple_set_steal(t, (ssize_t)i, ft_newref(args[i]));
    ft_object *r = ft_call(o, t);
    ft_decref(t);
    return r ? r : py_err_from_ft();
}

py_type py_ft_cfunction_class = {
    .ft = { HEAD("builtin_function_or_method"), .tp_basicsize = sizeof(ft_object),
            .tp_flags = PY_TPFLAGS_PYTYPE },
    .tp_vcall = ftcfunc_vcall,
};

/* ---- weakref.ReferenceType (the runtime's weak references) ----------------------- */

static ft_object *weakref_new(py_type *cls, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)cls;
    if (py_no_kwargs("weakref.ReferenceType", kwnames) < 0 ||
        py_check_nargs("__new__", nargs, 1, 2) < 0)
        return NULL;
    ft_object *cb = nargs > 1 && args[1] != ft_none() ? args[1] : NULL;
    ft_object *r = ft_weakref_new(args[0], cb);
    if (!r) {
        ft_err_clear();
        return py_err_format(py_exc_TypeError, "cannot create weak reference to '%s' object",
                             py_type_name(args[0]));
    }
    return r;
}

static ft_object *weakref_vcall(ft_object *o, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("weakref", kwnames) < 0 || py_check_nargs("weakref", nargs, 0, 0) < 0)
        return NULL;
    ft_object *r = ft_weakref_get(o);
    return r ? r : py_err_from_ft();
}

static ft_object *weakref_repr(ft_object *o)
{
    ft_object *r = ft_weakref_get(o);
    if (!r)
        return py_err_from_ft();
    ft_object *s;
    if (r == ft_none())
        s = py_str_from_format("<weakref at %p; dead>", (void *)o);
    else
        s = py_str_from_format("<weakref at %p; to '%s' at %p>", (void *)o, py_type_name(r),
                               (void *)r);
    ft_decref(r);
    return s;
}

static ft_object *weakref_richcompare(ft_object *a, ft_object *b, int op)
{
    if ((op != PY_EQ && op != PY_NE) || a->ob_type != &ft_weakref_type ||
        b->ob_type != &ft_weakref_type)
        return py_notimplemented();
    int eq = ft_equal(a, b);
    if (eq < 0)
        return py_err_from_ft();
    return py_bool_new(op == PY_EQ ? eq : !eq);
}

py_type py_weakref_class = {
    .ft = { HEAD("weakref.ReferenceType"), .tp_basicsize = sizeof(ft_object),
            .tp_flags = PY_TPFLAGS_PYTYPE, .tp_repr = weakref_repr },
    .tp_new = weakref_new,
    .tp_vcall = weakref_vcall,
    .tp_richcompare = weakref_richcompare,
};
