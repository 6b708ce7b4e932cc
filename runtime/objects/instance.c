/* instance.c — user classes and their instances (ft_class_new).
 *
 * A class is a heap type: a counted ft_type that every instance holds a
 * reference to. Instances keep their attributes either
 *
 *   in a __dict__   (slots == NULL): one pointer in the instance, a dict
 *                   made on the first ft_setattr, keyed by interned str;
 *   inline          (slots given, like __slots__): one pointer per slot,
 *                   no dict, no new attributes — the memory saving of
 *                   `Punto` with __slots__ (docs/architecture.md,
 *                   "Scenarios").
 *
 *   instance with a __dict__           instance with slots ('x', 'y')
 *   +--------+----------+--------+     +--------+----------+-----+-----+
 *   | header | weaklist | dict * |     | header | weaklist |  x  |  y  |
 *   +--------+----------+--------+     +--------+----------+-----+-----+
 *                            |
 *                            v  dict: index table + entries {hash, key, value}
 *
 * Every instance can be weakly referenced (like __weakref__): xweaklist
 * heads the list of its weak references (internal/weakref.h).
 *
 * Attribute reads and writes run in a critical section on the instance
 * (no-op in the gil build); a replaced value is released after it.
 */
#include <stdlib.h>
#include <string.h>
#include "internal/object.h"
#include "internal/weakref.h"

typedef struct ft_class {
    ft_type type;
    char *name;              /* owns type.tp_name                        */
    size_t nslots;
    char **slot_names;       /* NULL: instances have a __dict__          */
} ft_class;

typedef struct ft_instance {
    ft_object ob_base;
    _Atomic(ft_weakref *) xweaklist;  /* weakrefs to it; NULL: none    */
    ft_object *values[];     /* the slots, or values[0] = the __dict__   */
} ft_instance;

static void instance_dealloc(ft_object *o);

static ft_class *class_of(ft_object *o) { return (ft_class *)o->ob_type; }
static ft_instance *as_instance(ft_object *o) { return (ft_instance *)o; }

static bool is_instance(ft_object *o)
{
    return o && o->ob_type->tp_dealloc == instance_dealloc;
}

static size_t nvalues(ft_class *c) { return c->slot_names ? c->nslots : 1; }

/* ---- Instances ----------------------------------------------------------- */

static int instance_clear(ft_object *o)
{
    size_t n = nvalues(class_of(o));
    for (size_t i = 0; i < n; i++) {
        ft_object *v = as_instance(o)->values[i];
        as_instance(o)->values[i] = NULL;
        ft_xdecref(v);
    }
    return 0;
}

static void instance_dealloc(ft_object *o)
{
    /* CPython's subtype_dealloc order: the finalizer (which may resurrect
     * o), then the weak references, then the attributes. */
    if (_ft_object_finalize_from_dealloc(o))
        return;   /* resurrected by its finalizer */
    if (_ft_weakref_has_refs(o))
        _ft_weakref_clear_on_dealloc(o);
    instance_clear(o);
    _ft_object_free(o);   /* also releases the instance's class */
}

static int instance_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    size_t n = nvalues(class_of(o));
    for (size_t i = 0; i < n; i++) {
        ft_object *v = as_instance(o)->values[i];
        int rc = v ? visit(v, arg) : 0;
        if (rc)
            return rc;
    }
    return visit(&o->ob_type->ob_base, arg);
}

static int64_t identity_hash(ft_object *o) { return (int64_t)((uintptr_t)o >> 4); }

ft_object *ft_instance_new(ft_type *cls)
{
    if (!cls || cls->ob_base.ob_type != &ft_type_type ||
        cls->tp_dealloc != instance_dealloc) {
        ft_err_set(FT_ERR_TYPE, "ft_instance_new: not a class made by "
                   "ft_class_new");
        return NULL;
    }
    ft_object *o = _ft_object_alloc(cls, cls->tp_basicsize);
    if (!o)
        return NULL;
    ft_atomic_store_relaxed(&as_instance(o)->xweaklist, NULL);
    memset(as_instance(o)->values, 0, nvalues((ft_class *)cls) * sizeof(ft_object *));
    return o;
}

/* ---- Classes ------------------------------------------------------------- */

static void class_free_names(ft_class *c)
{
    for (size_t i = 0; c->slot_names && i < c->nslots; i++)
        ft_free(c->slot_names[i]);
    ft_free(c->slot_names);
    ft_free(c->name);
}

/* The dealloc of every type object: static types are immortal and never
 * get here; heap classes free their names. */
void _ft_type_dealloc(ft_object *o)
{
    ft_type *t = (ft_type *)o;
    if (!(t->tp_flags & FT_TPFLAGS_HEAPTYPE) || t->tp_dealloc != instance_dealloc)
        _ft_object_fatal(o, "deallocating a static type");
    if (_ft_weakref_has_refs(o))
        _ft_weakref_clear_on_dealloc(o);   /* classes are weakly referenceable */
    class_free_names((ft_class *)t);
    _ft_object_free(o);
}

/* The names live in ft_malloc memory, like the class itself: a failure
 * is a MemoryError that allocation-failure injection can reach, and a
 * class that outlives ft_fini is reported with everything it owns. */
static char *copy_name(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = ft_malloc(n);   /* MemoryError set on failure */
    if (d)
        memcpy(d, s, n);
    return d;
}

static int copy_slots(ft_class *c, const char *const *slots)
{
    while (slots[c->nslots])
        c->nslots++;
    if (!(c->slot_names = ft_calloc(c->nslots ? c->nslots : 1, sizeof(char *))))
        return -1;   /* MemoryError */
    for (size_t i = 0; i < c->nslots; i++) {
        for (size_t j = 0; j < i; j++)
            if (strcmp(slots[i], slots[j]) == 0)
                return ft_err_set(FT_ERR_VALUE, "slot '%s' given twice", slots[i]);
        if (!(c->slot_names[i] = copy_name(slots[i])))
            return -1;
    }
    return 0;
}

ft_type *ft_class_new(const char *name, const char *const *slots)
{
    if (!name || !*name) {
        ft_err_set(FT_ERR_VALUE, "ft_class_new: a class needs a name");
        return NULL;
    }
    ft_class *c = (ft_class *)_ft_object_alloc(&ft_type_type, sizeof *c);
    if (!c)
        return NULL;
    memset((char *)c + sizeof(ft_object), 0, sizeof *c - sizeof(ft_object));
    ft_type *t = &c->type;
    t->tp_flags = FT_TPFLAGS_HEAPTYPE | FT_TPFLAGS_GC;
    t->tp_dealloc = instance_dealloc;
    t->tp_traverse = instance_traverse;
    t->tp_clear = instance_clear;
    t->tp_hash = identity_hash;
    t->tp_weaklistoffset = offsetof(ft_instance, xweaklist);
    if (!(c->name = copy_name(name)) || (slots && copy_slots(c, slots) < 0)) {
        ft_decref(&t->ob_base);
        return NULL;
    }
    t->tp_name = c->name;
    t->tp_basicsize = sizeof(ft_instance) + nvalues(c) * sizeof(ft_object *);
    return t;
}

int ft_class_set_finalizer(ft_type *cls, void (*fn)(ft_object *self), bool legacy)
{
    if (!cls || cls->ob_base.ob_type != &ft_type_type ||
        cls->tp_dealloc != instance_dealloc)
        return ft_err_set(FT_ERR_TYPE, "ft_class_set_finalizer: not a class "
                          "made by ft_class_new");
    cls->tp_finalize = legacy ? NULL : fn;
    cls->tp_del = legacy ? fn : NULL;
    return 0;
}

/* ---- Attributes ------------------------------------------------------------ */

static int no_attribute(ft_object *o, const char *name)
{
    return ft_err_set(FT_ERR_ATTRIBUTE, "'%s' object has no attribute '%s'",
                      ft_type_name(o), name);
}

static ssize_t slot_index(ft_class *c, const char *name)
{
    for (size_t i = 0; i < c->nslots; i++)
        if (strcmp(c->slot_names[i], name) == 0)
            return (ssize_t)i;
    return -1;
}

static bool check_args(ft_object *o, const char *name, const char *what)
{
    if (!is_instance(o)) {
        ft_err_set(FT_ERR_TYPE, "%s: '%s' objects have no settable attributes",
                   what, o ? ft_type_name(o) : "NULL");
        return false;
    }
    if (!name) {
        ft_err_set(FT_ERR_TYPE, "%s: attribute name is NULL", what);
        return false;
    }
    return true;
}

/* An interned str for an attribute name. */
static ft_object *name_key(const char *name)
{
    ft_object *s = ft_str_from_utf8(name, -1);
    if (!s)
        return NULL;
    ft_object *key = ft_str_intern(s);
    ft_decref(s);
    return key;
}

/* The instance's __dict__ (borrowed), made on first use. */
static ft_object *get_dict(ft_object *o, bool create)
{
    ft_object *d, *made = NULL;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    d = as_instance(o)->values[0];
    FT_END_CRITICAL_SECTION();
    if (d || !create)
        return d;
    if (!(made = ft_dict_new()))
        return NULL;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    d = as_instance(o)->values[0];
    if (!d) {
        d = as_instance(o)->values[0] = made;
        made = NULL;
    }
    FT_END_CRITICAL_SECTION();
    ft_xdecref(made);   /* another thread made one first */
    return d;
}

static int set_slot(ft_object *o, size_t i, ft_object *v)
{
    ft_object *old;
    ft_xincref(v);
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    old = as_instance(o)->values[i];
    as_instance(o)->values[i] = v;
    FT_END_CRITICAL_SECTION();
    ft_xdecref(old);   /* outside the section: may run a dealloc */
    return 0;
}

static int set_in_dict(ft_object *o, const char *name, ft_object *v)
{
    ft_object *d = get_dict(o, v != NULL), *key;
    if (!d)
        return v ? -1 : no_attribute(o, name);
    if (!(key = name_key(name)))
        return -1;
    int rc = v ? ft_dict_set(d, key, v) : ft_dict_del(d, key);
    ft_decref(key);
    if (rc < 0 && ft_err_kind() == FT_ERR_KEY)
        return no_attribute(o, name);
    return rc;
}

int ft_setattr(ft_object *o, const char *name, ft_object *v)
{
    if (!check_args(o, name, "ft_setattr"))
        return -1;
    ft_class *c = class_of(o);
    if (!c->slot_names)
        return set_in_dict(o, name, v);
    ssize_t i = slot_index(c, name);
    if (i < 0 || (!v && !as_instance(o)->values[i]))
        return no_attribute(o, name);
    return set_slot(o, (size_t)i, v);
}

ft_object *ft_getattr(ft_object *o, const char *name)
{
    if (!check_args(o, name, "ft_getattr"))
        return NULL;
    ft_class *c = class_of(o);
    if (c->slot_names) {
        ssize_t i = slot_index(c, name);
        ft_object *v = NULL;
        if (i >= 0) {
            FT_BEGIN_CRITICAL_SECTION_OBJ(o);
            v = as_instance(o)->values[i];
            ft_xincref(v);
            FT_END_CRITICAL_SECTION();
        }
        if (!v)
            no_attribute(o, name);
        return v;
    }
    if (strcmp(name, "__dict__") == 0) {   /* like obj.__dict__ */
        ft_object *dict = get_dict(o, true);
        ft_xincref(dict);
        return dict;
    }
    ft_object *d = get_dict(o, false), *key, *v;
    if (!d || !(key = name_key(name))) {
        if (!d)
            no_attribute(o, name);
        return NULL;
    }
    v = ft_dict_get(d, key);
    ft_decref(key);
    if (!v && ft_err_kind() == FT_ERR_KEY)
        no_attribute(o, name);
    return v;
}
