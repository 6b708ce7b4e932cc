/* objects/instance.c — instances of classes: allocation, the teardown of
 * heap-class instances (CPython's subtype_dealloc order), and the generic
 * attribute protocol (object.__getattribute__ / __setattr__).
 *
 * A heap class's instance carries, after its static base's fields, the
 * parts the heap classes on its tp_base chain added (typeobject.h): the
 * box, the __slots__ values of each heap class, the __dict__ and the weak
 * reference list. The static base's own fields are the static base's
 * business: its tp_traverse visits them (never the object's type), and
 * its tp_dealloc releases them and frees the memory.
 */
#include <stdlib.h>
#include <string.h>
#include "../ftpy.h"
#include "typeobject.h"

ft_object *py_instance_alloc(py_type *cls)
{
    ft_object *o = ft_object_new(&cls->ft, cls->ft.tp_basicsize);
    return o ? o : py_err_from_ft();
}

ft_object **py_instance_dictptr(ft_object *o)
{
    ft_type *t = o->ob_type;
    if (!(t->tp_flags & PY_TPFLAGS_PYTYPE))
        return NULL;
    ssize_t off = ((py_type *)t)->tp_dictoffset;
    return off ? (ft_object **)((char *)o + off) : NULL;
}

ft_object *py_instance_dict_borrow(ft_object *o, bool create)
{
    ft_object **p = py_instance_dictptr(o);
    if (!p)
        return NULL;
    ft_object *d;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    d = *p;
    FT_END_CRITICAL_SECTION();
    if (d || !create)
        return d;
    ft_object *made = ft_dict_new();
    if (!made)
        return py_err_from_ft();
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    d = *p;
    if (!d) {
        d = *p = made;
        made = NULL;
    }
    FT_END_CRITICAL_SECTION();
    ft_xdecref(made);   /* another thread made one first */
    return d;
}

/* ---- Heap-class instances ------------------------------------------------ */

static py_type *static_base_of(py_type *t)
{
    py_type *sb = ((py_heaptype *)t)->static_base;
    return sb ? sb : &py_object_type;
}

/* Does the dict slot belong to the heap part (not to the static base)? */
static bool heap_owns_dict(py_type *t)
{
    return t->tp_dictoffset && static_base_of(t)->tp_dictoffset != t->tp_dictoffset;
}

static bool heap_owns_box(py_type *t)
{
    return t->tp_boxoffset != 0;
}

int _py_instance_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    py_type *type = (py_type *)o->ob_type;
    int rc;
    for (py_type *t = type; t && py_type_is_heap(t); t = t->tp_base)
        for (ssize_t i = 0; i < t->tp_nslots; i++) {
            ft_object *v = *(ft_object **)((char *)o + t->tp_slotoffset +
                                           i * (ssize_t)sizeof(ft_object *));
            if (v && (rc = visit(v, arg)))
                return rc;
        }
    if (heap_owns_dict(type)) {
        ft_object *d = *(ft_object **)((char *)o + type->tp_dictoffset);
        if (d && (rc = visit(d, arg)))
            return rc;
    }
    if (heap_owns_box(type)) {
        ft_object *b = *(ft_object **)((char *)o + type->tp_boxoffset);
        if (b && (rc = visit(b, arg)))
            return rc;
    }
    py_type *sb = static_base_of(type);
    if (sb != &py_object_type && sb->ft.tp_traverse && (rc = sb->ft.tp_traverse(o, visit, arg)))
        return rc;
    return visit(&type->ft.ob_base, arg);
}

/* Drops the references of the heap parts (slots, heap dict, box), then
 * the static base's (its tp_clear). */
static void clear_heap_parts(ft_object *o)
{
    py_type *type = (py_type *)o->ob_type;
    for (py_type *t = type; t && py_type_is_heap(t); t = t->tp_base)
        for (ssize_t i = 0; i < t->tp_nslots; i++) {
            ft_object **p = (ft_object **)((char *)o + t->tp_slotoffset +
                                           i * (ssize_t)sizeof(ft_object *));
            ft_object *v = *p;
            *p = NULL;
            ft_xdecref(v);
        }
    if (heap_owns_dict(type)) {
        ft_object **p = (ft_object **)((char *)o + type->tp_dictoffset);
        ft_object *d = *p;
        *p = NULL;
        ft_xdecref(d);
    }
    if (heap_owns_box(type)) {
        ft_object **p = (ft_object **)((char *)o + type->tp_boxoffset);
        ft_object *b = *p;
        *p = NULL;
        ft_xdecref(b);
    }
}

int _py_instance_clear(ft_object *o)
{
    clear_heap_parts(o);
    py_type *sb = static_base_of((py_type *)o->ob_type);
    if (sb != &py_object_type && sb->ft.tp_clear)
        sb->ft.tp_clear(o);
    return 0;
}

void _py_instance_dealloc(ft_object *o)
{
    py_type *type = (py_type *)o->ob_type;
    /* CPython's subtype_dealloc order: the finalizer (__del__, which may
     * resurrect o), then the weak references, then the attributes. */
    if (type->ft.tp_finalize && ft_object_finalize_from_dealloc(o))
        return;
    ft_gc_untrack(o);
    if (type->ft.tp_weaklistoffset)
        ft_object_clear_weakrefs(o);
    clear_heap_parts(o);
    py_type *sb = static_base_of(type);
    if (sb != &py_object_type && sb->ft.tp_dealloc)
        sb->ft.tp_dealloc(o);   /* releases its fields and frees o */
    else
        ft_object_free(o);      /* also releases the class */
}

/* ---- Calling a found class attribute as a method -------------------------- */

ft_object *_py_call_bound(ft_object *attr, ft_object *self, ft_object *const *args,
                          size_t nargs, ft_object *kwnames)
{
    py_type *at = py_type_of(attr);
    if (at->ft.tp_flags & PY_TPFLAGS_METHOD_DESCRIPTOR) {
        size_t total = nargs + (kwnames ? (size_t)ft_len(kwnames) : 0);
        ft_object *small[8], **buf = total + 1 <= 8 ? small : malloc((total + 1) * sizeof *buf);
        if (!buf)
            return py_err_nomemory();
        buf[0] = self;
        if (total)
            memcpy(buf + 1, args, total * sizeof *buf);
        ft_object *r = py_vcall(attr, buf, nargs + 1, kwnames);
        if (buf != small)
            free(buf);
        return r;
    }
    if (at->tp_descr_get) {
        ft_object *bound = at->tp_descr_get(attr, self, py_type_as_obj(py_type_of(self)));
        if (!bound)
            return NULL;
        ft_object *r = py_vcall(bound, args, nargs, kwnames);
        ft_decref(bound);
        return r;
    }
    return py_vcall(attr, args, nargs, kwnames);
}

/* ---- Generic attributes ------------------------------------------------------ */

static const char *name_utf8(ft_object *name)
{
    const char *s = name->ob_type == &ft_str_type ? ft_str_utf8_borrow(name, NULL) : NULL;
    return s ? s : "?";
}

/* AttributeError with .name and .obj, as CPython 3.10+ sets them. */
static void no_attribute(ft_object *o, ft_object *name)
{
    py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%s'",
                  py_type_name(o), name_utf8(name));
    ft_object *exc = py_err_current_borrow();
    if (exc && py_exc_check(exc) && py_as_exc(exc)->dict) {
        if (ft_dict_set(py_as_exc(exc)->dict, PY_ID(name), name) < 0 ||
            ft_dict_set(py_as_exc(exc)->dict, PY_ID(obj), o) < 0)
            ft_err_clear();
    }
}

/* 1 found (*out), 0 missing (no exception when suppress), -1 error. */
static int generic_getattr(ft_object *o, ft_object *name, ft_object **out, bool suppress)
{
    if (name->ob_type != &ft_str_type) {
        py_err_format(py_exc_TypeError, "attribute name must be string, not '%s'",
                      py_type_name(name));
        return -1;
    }
    py_type *tp = py_type_of(o);
    ft_object *descr = py_type_lookup_borrow(tp, name);
    py_descrgetfunc get = NULL;
    if (descr) {
        ft_incref(descr);
        py_type *dt = py_type_of(descr);
        get = dt->tp_descr_get;
        if (get && dt->tp_descr_set) {
            *out = get(descr, o, py_type_as_obj(tp));
            ft_decref(descr);
            goto called;
        }
    }
    ft_object **dp = py_instance_dictptr(o);
    if (dp) {
        ft_object *d;
        FT_BEGIN_CRITICAL_SECTION_OBJ(o);
        d = *dp;
        ft_xincref(d);
        FT_END_CRITICAL_SECTION();
        if (d) {
            ft_object *v = NULL;
            int rc = ft_dict_lookup(d, name, &v);
            ft_decref(d);
            if (rc != 0) {
                ft_xdecref(descr);
                if (rc < 0) {
                    py_err_from_ft();
                    return -1;
                }
                *out = v;
                return 1;
            }
        }
    }
    if (get) {
        *out = get(descr, o, py_type_as_obj(tp));
        ft_decref(descr);
        goto called;
    }
    if (descr) {
        *out = descr;
        return 1;
    }
    if (!suppress)
        no_attribute(o, name);
    return suppress ? 0 : -1;
called:
    if (*out)
        return 1;
    if (suppress && py_err_matches(py_exc_AttributeError)) {
        py_err_clear();
        return 0;
    }
    return -1;
}

ft_object *py_generic_getattr(ft_object *o, ft_object *name)
{
    ft_object *r = NULL;
    return generic_getattr(o, name, &r, false) > 0 ? r : NULL;
}

int py_generic_getattr_opt(ft_object *o, ft_object *name, ft_object **out)
{
    *out = NULL;
    return generic_getattr(o, name, out, true);
}

int py_generic_setattr(ft_object *o, ft_object *name, ft_object *v)
{
    if (name->ob_type != &ft_str_type)
        return py_err_format_int(py_exc_TypeError, "attribute name must be string, not '%s'",
                                 py_type_name(name));
    py_type *tp = py_type_of(o);
    ft_object *descr = py_type_lookup_borrow(tp, name);
    if (descr) {
        py_type *dt = py_type_of(descr);
        if (dt->tp_descr_set) {
            ft_incref(descr);
            int rc = dt->tp_descr_set(descr, o, v);
            ft_decref(descr);
            return rc;
        }
    }
    ft_object **dp = py_instance_dictptr(o);
    if (!dp) {
        if (descr)
            return py_err_format_int(py_exc_AttributeError,
                                     "'%s' object attribute '%s' is read-only",
                                     py_type_name(o), name_utf8(name));
        no_attribute(o, name);
        return -1;
    }
    ft_object *d = py_instance_dict_borrow(o, v != NULL);
    if (!d) {
        if (py_err_occurred())
            return -1;
        no_attribute(o, name);
        return -1;
    }
    int rc;
    if (v) {
        ft_object *key = name;
        if (!ft_str_is_interned(name)) {
            key = ft_str_intern(name);
            if (!key)
                return py_err_from_ft_int();
        } else {
            ft_incref(key);
        }
        rc = ft_dict_set(d, key, v);
        ft_decref(key);
        return rc < 0 ? py_err_from_ft_int() : 0;
    }
    rc = ft_dict_del(d, name);
    if (rc < 0) {
        if (ft_err_kind() == FT_ERR_KEY && !py_err_occurred()) {
            ft_err_clear();
            no_attribute(o, name);
            return -1;
        }
        return py_err_from_ft_int();
    }
    return 0;
}

/* ---- Method lookup for LOAD_METHOD and special methods ----------------------- */

int py_lookup_method(ft_object *o, ft_object *name, ft_object **out)
{
    py_type *tp = py_type_of(o);
    *out = NULL;
    if (tp->tp_getattro != py_generic_getattr) {
        *out = py_getattr(o, name);
        return *out ? 0 : -1;
    }
    ft_object *descr = py_type_lookup_borrow(tp, name);
    if (!descr || !py_is_method_descriptor(descr)) {
        int rc = generic_getattr(o, name, out, false);
        return rc > 0 ? 0 : -1;
    }
    /* an instance attribute shadows the method */
    ft_object *d = py_instance_dict_borrow(o, false);
    if (d) {
        ft_object *v = NULL;
        int rc = ft_dict_lookup(d, name, &v);
        if (rc < 0) {
            py_err_from_ft();
            return -1;
        }
        if (rc > 0) {
            *out = v;
            return 0;
        }
    }
    *out = ft_newref(descr);
    return 1;
}

int py_lookup_special(ft_object *o, ft_object *name, ft_object **out)
{
    *out = NULL;
    py_type *tp = py_type_of(o);
    ft_object *descr = py_type_lookup_borrow(tp, name);
    if (!descr)
        return 0;
    py_descrgetfunc get = py_type_of(descr)->tp_descr_get;
    if (!get) {
        *out = ft_newref(descr);
        return 1;
    }
    ft_incref(descr);
    *out = get(descr, o, py_type_as_obj(tp));
    ft_decref(descr);
    return *out ? 1 : -1;
}

ft_object *py_call_special(ft_object *o, ft_object *name, ft_object *const *args,
                           size_t nargs)
{
    ft_object *descr = py_type_lookup_borrow(py_type_of(o), name);
    if (!descr)
        return py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%s'",
                             py_type_name(o), name_utf8(name));
    ft_incref(descr);
    ft_object *r = _py_call_bound(descr, o, args, nargs, NULL);
    ft_decref(descr);
    return r;
}
