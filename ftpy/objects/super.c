/* objects/super.c — super(type, obj), super(type) and the zero-argument
 * super() of methods (the __class__ cell and the first argument, found by
 * the VM: py_frame_super_args).
 *
 * An attribute looked up through super is searched in type(obj).__mro__
 * after `type`, and bound with __get__(obj, type(obj)) — or with obj None
 * when obj is the class itself (super(C, cls) in a classmethod).
 */
#include <string.h>
#include "../ftpy.h"
#include "typeobject.h"

typedef struct super_object {
    ft_object ob_base;
    py_type *type;          /* the class after which the search starts  */
    ft_object *obj;         /* the instance or class, or NULL (unbound) */
    py_type *obj_type;      /* obj's class, or obj when obj is a class  */
} super_object;

static int super_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    super_object *s = (super_object *)o;
    ft_object *refs[] = { s->type ? py_type_as_obj(s->type) : NULL, s->obj,
                          s->obj_type ? py_type_as_obj(s->obj_type) : NULL };
    for (int i = 0; i < 3; i++)
        if (refs[i]) {
            int rc = visit(refs[i], arg);
            if (rc)
                return rc;
        }
    return 0;
}

static int super_clear(ft_object *o)
{
    super_object *s = (super_object *)o;
    ft_object *refs[] = { s->type ? py_type_as_obj(s->type) : NULL, s->obj,
                          s->obj_type ? py_type_as_obj(s->obj_type) : NULL };
    s->type = NULL;
    s->obj = NULL;
    s->obj_type = NULL;
    for (int i = 0; i < 3; i++)
        ft_xdecref(refs[i]);
    return 0;
}

static void super_dealloc(ft_object *o)
{
    ft_gc_untrack(o);
    super_clear(o);
    ft_object_free(o);
}

static ft_object *super_new(py_type *cls, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return py_instance_alloc(cls);
}

/* The class obj is checked against: obj itself when it is a subclass of
 * type, else type(obj) (or obj.__class__ for proxies). */
static py_type *supercheck(py_type *type, ft_object *obj)
{
    if (py_is_type(obj) && py_type_is_subtype((py_type *)obj, type))
        return (py_type *)obj;
    if (py_isinstance_exact_or_sub(obj, type))
        return py_type_of(obj);
    ft_object *cls = NULL;
    int rc = py_getattr_opt(obj, PY_ID(__class__), &cls);
    if (rc < 0)
        return NULL;
    if (rc > 0) {
        if (py_is_type(cls) && cls != py_type_as_obj(py_type_of(obj)) &&
            py_type_is_subtype((py_type *)cls, type)) {
            ft_decref(cls);   /* the class stays alive through obj */
            return (py_type *)cls;
        }
        ft_decref(cls);
    }
    py_err_format(py_exc_TypeError, "super(type, obj): obj must be an instance or subtype of type");
    return NULL;
}

static int super_init(ft_object *self, ft_object *const *args, size_t nargs,
                      ft_object *kwnames)
{
    super_object *s = (super_object *)self;
    if (py_no_kwargs("super", kwnames) < 0 || py_check_nargs("super", nargs, 0, 2) < 0)
        return -1;
    ft_object *type = NULL, *obj = NULL;
    if (nargs == 0) {
        py_tstate *ts = py_tstate_get();
        if (!ts->frame)
            return py_err_format_int(py_exc_RuntimeError, "super(): no current frame");
        if (py_frame_super_args(ts->frame, &type, &obj) < 0)
            return -1;
    } else {
        type = ft_newref(args[0]);
        obj = nargs > 1 && args[1] != ft_none() ? ft_newref(args[1]) : NULL;
    }
    if (!py_is_type(type)) {
        py_err_format(py_exc_TypeError, "super() argument 1 must be a type, not %s",
                      py_type_name(type));
        ft_decref(type);
        ft_xdecref(obj);
        return -1;
    }
    py_type *obj_type = NULL;
    if (obj) {
        obj_type = supercheck((py_type *)type, obj);
        if (!obj_type) {
            ft_decref(type);
            ft_decref(obj);
            return -1;
        }
        ft_incref(py_type_as_obj(obj_type));
    }
    super_clear(self);
    s->type = (py_type *)type;
    s->obj = obj;
    s->obj_type = obj_type;
    return 0;
}

static ft_object *super_getattro(ft_object *self, ft_object *name)
{
    super_object *s = (super_object *)self;
    py_type *start = s->obj_type;
    if (!start || name == PY_ID(__class__) ||
        (name->ob_type == &ft_str_type && strcmp(ft_str_utf8_borrow(name, NULL), "__class__") == 0))
        return py_generic_getattr(self, name);
    ft_object *mro = start->tp_mro;
    ssize_t n = mro ? ft_len(mro) : 0, i = 0;
    while (i < n && ft_tuple_get_borrow(mro, i) != py_type_as_obj(s->type))
        i++;
    for (i++; i < n; i++) {
        py_type *k = (py_type *)ft_tuple_get_borrow(mro, i);
        if (!k->tp_dict)
            continue;
        ft_object *res = NULL;
        int rc = ft_dict_lookup(k->tp_dict, name, &res);
        if (rc < 0)
            return py_err_from_ft();
        if (rc == 0)
            continue;
        py_descrgetfunc get = py_type_of(res)->tp_descr_get;
        if (!get)
            return res;
        ft_object *obj = s->obj == py_type_as_obj(start) ? NULL : s->obj;
        ft_object *r = get(res, obj, py_type_as_obj(start));
        ft_decref(res);
        return r;
    }
    return py_generic_getattr(self, name);
}

static ft_object *super_descr_get(ft_object *self, ft_object *obj, ft_object *type)
{
    (void)type;
    super_object *s = (super_object *)self;
    if (!obj || s->obj)
        return ft_newref(self);
    ft_object *args[2] = { py_type_as_obj(s->type), obj };
    return py_vcall(py_type_as_obj(py_type_of(self)), args, 2, NULL);
}

static ft_object *super_repr(ft_object *self)
{
    super_object *s = (super_object *)self;
    const char *tn = s->type ? py_type_qualname_utf8(s->type) : "NULL";
    if (s->obj_type)
        return py_str_from_format("<super: <class '%s'>, <%s object>>", tn,
                                  py_type_qualname_utf8(s->obj_type));
    return py_str_from_format("<super: <class '%s'>, NULL>", tn);
}

static ft_object *or_none(ft_object *o) { return ft_newref(o ? o : ft_none()); }
static ft_object *super_get_thisclass(ft_object *o)
{
    super_object *s = (super_object *)o;
    return or_none(s->type ? py_type_as_obj(s->type) : NULL);
}
static ft_object *super_get_self(ft_object *o) { return or_none(((super_object *)o)->obj); }
static ft_object *super_get_self_class(ft_object *o)
{
    super_object *s = (super_object *)o;
    return or_none(s->obj_type ? py_type_as_obj(s->obj_type) : NULL);
}

static const py_getset_def super_getset[] = {
    { "__thisclass__", super_get_thisclass, NULL },
    { "__self__", super_get_self, NULL },
    { "__self_class__", super_get_self_class, NULL },
    { NULL, NULL, NULL },
};

py_type py_super_class = {
    .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft), .tp_name = "super",
            .tp_basicsize = sizeof(super_object),
            .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE | FT_TPFLAGS_GC,
            .tp_dealloc = super_dealloc, .tp_traverse = super_traverse,
            .tp_clear = super_clear, .tp_repr = super_repr },
    .tp_getattro = super_getattro,
    .tp_descr_get = super_descr_get,
    .tp_new = super_new,
    .tp_init = super_init,
    .tp_getset = super_getset,
};
