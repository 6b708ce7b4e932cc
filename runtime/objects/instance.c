/* instance.c — user classes and their instances (ft_class_new).
 *
 * A class is a heap type: a counted ft_type that every instance holds a
 * reference to. Instances keep their attributes
 *
 *   compact  (slots == NULL): the values inline, in the order of the
 *            class's shared keys (PEP 412 key-sharing, CPython 3.11's
 *            inline values); a real __dict__ only when it is asked for
 *            or the layout diverges;
 *   slots    (slots given, like __slots__): one pointer per slot, no
 *            dict, no new attributes — the memory saving of `Punto` with
 *            __slots__ (docs/architecture.md, "Scenarios").
 *
 *   compact instance, keys (x, y)             slots ('x', 'y')
 *   +--------+----------+-----+---+---+---+   +--------+----------+---+---+
 *   | header | weaklist | cap | x | y | - |   | header | weaklist | x | y |
 *   +--------+----------+-----+---+---+---+   +--------+----------+---+---+
 *     class: keys ["x", "y"] (append-only, at most MAX_KEYS)
 *
 * The shared keys. A class without slots owns keys[]: attribute names in
 * the order instances first set them, appended under the class's critical
 * section and never changed or removed while the class lives. xnkeys
 * publishes them (store-release after the name is written; readers
 * load-acquire it and read keys[0..n) with plain loads): a reader sees a
 * prefix of the table, every entry of it complete. The table is fixed in
 * size inside the class, so it is never reallocated and needs no grace
 * period; a name past MAX_KEYS (CPython's SHARED_KEYS_MAX_SIZE) is simply
 * not shared. The names are ft_malloc'd C strings, not str objects: a
 * class holds no object for them (the live-object counts of tests stay
 * what they were), and the interned str keys are made when a dict is.
 *
 * The inline values. An instance's values[] has a capacity fixed when it
 * is allocated: the class's key count then plus SPARE (one attribute
 * added later, e.g. a lazily cached one), FIRST_CAPACITY for a class that
 * has no key yet. values[i] holds the attribute named keys[i], NULL when
 * unset. The attributes' order (what a dict made from them shows) is the
 * order of their indexes; an assignment that would break that order — a
 * new attribute whose index is below one already set, as after `del a.x;
 * a.x = 1` or an instance that sets y before x — or one that does not fit
 * (no key, or an index past the capacity) materializes the dict first.
 *
 * Materialized. HAS_DICT in flags: values[0] is the __dict__ (keyed by
 * interned str), the other entries are NULL, and the instance uses the
 * dict as instances always did; it never goes back. tp_traverse, tp_clear
 * and dealloc walk values[] the same way in either state.
 *
 * Name lookups. ft_getattr/ft_setattr take C strings; the index of a name
 * comes from a per-class direct-mapped cache keyed by the name pointer
 * (an interned or literal name is the same pointer every call), checked
 * against keys[i] with one strcmp — a hint, so a reused buffer or a race
 * between two writers of one cache entry costs a scan, never a wrong
 * attribute — and a scan of the keys on a miss.
 *
 * Concurrency (nogil). Reads and writes of an instance's flags and
 * values[] run in a critical section on the instance (no-op in the gil
 * build); nothing allocates or frees inside one. Materializing snapshots
 * the values, builds the dict outside the section and installs it only if
 * the values are unchanged (else it starts over). A replaced value is
 * released after its section.
 *
 * Every instance can be weakly referenced (like __weakref__): xweaklist
 * heads the list of its weak references (internal/weakref.h).
 */
#include <stdlib.h>
#include <string.h>
#include "internal/object.h"
#include "internal/weakref.h"
#include "objects/instance.h"

enum {
    MAX_KEYS = 30,        /* shared keys per class (CPython's 30)          */
    FIRST_CAPACITY = 4,   /* values of an instance of a class with no keys */
    SPARE = 1,            /* values beyond the class's keys                */
    CACHE_SIZE = 32,      /* name-pointer cache entries per class          */
    NO_INDEX = 0xff,      /* an empty cache entry                          */
    HAS_DICT = 1,         /* compact instance: values[0] is the __dict__   */
};

typedef struct ft_class {
    ft_type type;
    char *name;              /* owns type.tp_name                        */
    size_t nslots;
    char **slot_names;       /* NULL: compact instances                  */
    _Atomic(uint32_t) xnkeys;       /* keys[0..xnkeys) are published     */
    char *keys[MAX_KEYS];           /* the shared keys (no slots only)   */
    _Atomic(uint8_t) xcache[CACHE_SIZE];   /* name pointer -> index hint */
} ft_class;

/* What every instance starts with; the attribute area follows. */
typedef struct ft_instance {
    ft_object ob_base;
    _Atomic(ft_weakref *) xweaklist;  /* weakrefs to it; NULL: none    */
} ft_instance;

typedef struct slots_instance {
    ft_instance base;
    ft_object *slots[];
} slots_instance;

typedef struct compact_instance {
    ft_instance base;
    uint32_t capacity;       /* entries of values[]; fixed               */
    uint32_t flags;          /* HAS_DICT; in the instance's section      */
    ft_object *values[];
} compact_instance;

static void instance_dealloc(ft_object *o);

static ft_class *class_of(ft_object *o) { return (ft_class *)o->ob_type; }
static compact_instance *as_compact(ft_object *o) { return (compact_instance *)o; }

static bool is_instance(ft_object *o)
{
    return o && o->ob_type->tp_dealloc == instance_dealloc;
}

static bool is_compact(ft_object *o) { return class_of(o)->slot_names == NULL; }

/* The attribute area and its length, for either layout. */
static ft_object **attrs_of(ft_object *o, size_t *n)
{
    if (is_compact(o)) {
        *n = as_compact(o)->capacity;
        return as_compact(o)->values;
    }
    *n = class_of(o)->nslots;
    return ((slots_instance *)o)->slots;
}

/* ---- Instances ----------------------------------------------------------- */

static int instance_clear(ft_object *o)
{
    size_t n;
    ft_object **a = attrs_of(o, &n);
    /* Cleared, a compact instance is an empty inline one (its dict goes
     * too). Outside a section: the collector's world is stopped, and a
     * dealloc has the only reference. */
    if (is_compact(o))
        as_compact(o)->flags = 0;
    for (size_t i = 0; i < n; i++) {
        ft_object *v = a[i];
        a[i] = NULL;
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
    size_t n;
    ft_object **a = attrs_of(o, &n);
    for (size_t i = 0; i < n; i++) {
        int rc = a[i] ? visit(a[i], arg) : 0;
        if (rc)
            return rc;
    }
    return visit(&o->ob_type->ob_base, arg);
}

/* Like sys.getsizeof: the object with its inline values, not a __dict__
 * (a separate object, as in CPython). */
static size_t compact_sizeof(ft_object *o)
{
    return sizeof(compact_instance) + as_compact(o)->capacity * sizeof(ft_object *);
}

static int64_t identity_hash(ft_object *o) { return (int64_t)((uintptr_t)o >> 4); }

/* The capacity of a new instance: from the keys its class knows now. */
static uint32_t new_capacity(ft_class *c)
{
    /* Relaxed: any recent count gives a valid capacity. */
    uint32_t n = ft_atomic_load_relaxed(&c->xnkeys);
    uint32_t cap = n ? n + SPARE : FIRST_CAPACITY;
    return cap < MAX_KEYS ? cap : MAX_KEYS;
}

ft_object *ft_instance_new(ft_type *cls)
{
    if (!cls || cls->ob_base.ob_type != &ft_type_type ||
        cls->tp_dealloc != instance_dealloc) {
        ft_err_set(FT_ERR_TYPE, "ft_instance_new: not a class made by "
                   "ft_class_new");
        return NULL;
    }
    ft_class *c = (ft_class *)cls;
    if (c->slot_names) {
        ft_object *o = _ft_object_alloc(cls, cls->tp_basicsize);
        if (!o)
            return NULL;
        ft_atomic_store_relaxed(&((ft_instance *)o)->xweaklist, NULL);
        memset(((slots_instance *)o)->slots, 0, c->nslots * sizeof(ft_object *));
        return o;
    }
    uint32_t cap = new_capacity(c);
    ft_object *o = _ft_object_alloc(cls, sizeof(compact_instance) +
                                         cap * sizeof(ft_object *));
    if (!o)
        return NULL;
    ft_atomic_store_relaxed(&((ft_instance *)o)->xweaklist, NULL);
    as_compact(o)->capacity = cap;
    as_compact(o)->flags = 0;
    memset(as_compact(o)->values, 0, cap * sizeof(ft_object *));
    return o;
}

/* ---- Classes ------------------------------------------------------------- */

static void class_free_names(ft_class *c)
{
    /* Dealloc: no other thread can see the class any more. */
    uint32_t n = ft_atomic_load_relaxed(&c->xnkeys);
    for (uint32_t i = 0; !c->slot_names && i < n; i++)
        ft_free(c->keys[i]);
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
    /* Not yet visible to another thread: relaxed stores. */
    for (size_t i = 0; i < CACHE_SIZE; i++)
        ft_atomic_store_relaxed(&c->xcache[i], (uint8_t)NO_INDEX);
    ft_atomic_store_relaxed(&c->xnkeys, 0);
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
    if (c->slot_names) {
        t->tp_basicsize = sizeof(slots_instance) + c->nslots * sizeof(ft_object *);
    } else {
        t->tp_basicsize = sizeof(compact_instance);   /* plus the values */
        t->tp_sizeof = compact_sizeof;
    }
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

/* ---- Names --------------------------------------------------------------- */

static size_t cache_slot(const char *name)
{
    uintptr_t p = (uintptr_t)name;
    return (size_t)((p >> 3) ^ (p >> 11)) % CACHE_SIZE;
}

/* The index of name among the slots or the shared keys; -1: none. */
static ssize_t name_index(ft_class *c, const char *name)
{
    char *const *names = c->slot_names ? c->slot_names : c->keys;
    /* Acquire: pairs with add_key's release, so keys[0..n) are written. */
    size_t n = c->slot_names ? c->nslots : ft_atomic_load_acquire(&c->xnkeys);
    _Atomic(uint8_t) *hint = &c->xcache[cache_slot(name)];
    /* Relaxed: a hint, checked against the (published) name below. */
    size_t i = ft_atomic_load_relaxed(hint);
    if (i < n && strcmp(names[i], name) == 0)
        return (ssize_t)i;
    for (i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            if (i < NO_INDEX)   /* relaxed: any reader checks the name */
                ft_atomic_store_relaxed(hint, (uint8_t)i);
            return (ssize_t)i;
        }
    }
    return -1;
}

/* Appends name to c's shared keys: its index, -1 with MemoryError, or -2
 * when the table is full (the name is not shared). */
static ssize_t add_key(ft_class *c, const char *name)
{
    char *copy = copy_name(name);
    if (!copy)
        return -1;
    ssize_t i;
    FT_BEGIN_CRITICAL_SECTION_OBJ(&c->type.ob_base);
    i = name_index(c, name);   /* another thread may have added it */
    /* Relaxed: writers are serialized by the section. */
    uint32_t n = ft_atomic_load_relaxed(&c->xnkeys);
    if (i < 0 && n < MAX_KEYS) {
        c->keys[n] = copy;
        copy = NULL;
        /* Release: the name is written before a reader can count it. */
        ft_atomic_store_release(&c->xnkeys, n + 1);
        i = (ssize_t)n;
    } else if (i < 0) {
        i = -2;
    }
    FT_END_CRITICAL_SECTION();
    ft_free(copy);   /* already there, or no room */
    return i;
}

static int no_attribute(ft_object *o, const char *name)
{
    return ft_err_set(FT_ERR_ATTRIBUTE, "'%s' object has no attribute '%s'",
                      ft_type_name(o), name);
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

/* ---- Slots --------------------------------------------------------------- */

static int set_slot(ft_object *o, size_t i, ft_object *v, const char *name)
{
    ft_object *old, **slots = ((slots_instance *)o)->slots;
    ft_xincref(v);
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    old = slots[i];
    if (v || old)   /* deleting an unset slot changes nothing */
        slots[i] = v;
    FT_END_CRITICAL_SECTION();
    if (!v && !old)
        return no_attribute(o, name);
    ft_xdecref(old);   /* outside the section: may run a dealloc */
    return 0;
}

static ft_object *get_slot(ft_object *o, const char *name)
{
    ssize_t i = name_index(class_of(o), name);
    ft_object *v = NULL;
    if (i >= 0) {
        FT_BEGIN_CRITICAL_SECTION_OBJ(o);
        v = ((slots_instance *)o)->slots[i];
        ft_xincref(v);
        FT_END_CRITICAL_SECTION();
    }
    if (!v)
        no_attribute(o, name);
    return v;
}

/* ---- Compact instances: the dict ----------------------------------------- */

/* The __dict__ (a new reference) if o has one; NULL otherwise. */
static ft_object *dict_if_any(ft_object *o)
{
    ft_object *d = NULL;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    if (as_compact(o)->flags & HAS_DICT) {
        d = as_compact(o)->values[0];
        ft_incref(d);
    }
    FT_END_CRITICAL_SECTION();
    return d;
}

/* A dict of the values in snap[0..n), keyed by the shared keys. */
static ft_object *dict_of(ft_class *c, ft_object *const *snap, size_t n)
{
    ft_object *d = ft_dict_new();
    for (size_t i = 0; d && i < n; i++) {
        if (!snap[i])
            continue;
        /* keys[i] is published: values[i] was set after its key was. */
        ft_object *key = name_key(c->keys[i]);
        int rc = key ? ft_dict_set(d, key, snap[i]) : -1;
        ft_xdecref(key);
        if (rc < 0) {
            ft_decref(d);
            d = NULL;
        }
    }
    return d;   /* NULL: MemoryError */
}

/* The __dict__ of o (a new reference), made from its values if it has
 * none yet; NULL with MemoryError. */
static ft_object *materialize(ft_object *o)
{
    compact_instance *ci = as_compact(o);
    ft_object *snap[MAX_KEYS], *d;
    size_t n = ci->capacity;   /* fixed at allocation */
    for (;;) {
        if ((d = dict_if_any(o)))
            return d;
        FT_BEGIN_CRITICAL_SECTION_OBJ(o);
        for (size_t i = 0; i < n; i++) {
            snap[i] = ci->values[i];
            ft_xincref(snap[i]);
        }
        FT_END_CRITICAL_SECTION();
        ft_object *made = dict_of(class_of(o), snap, n);
        ft_object *moved[MAX_KEYS] = { NULL };
        bool installed = false;
        if (made) {
            FT_BEGIN_CRITICAL_SECTION_OBJ(o);
            bool same = !(ci->flags & HAS_DICT);
            for (size_t i = 0; same && i < n; i++)
                same = ci->values[i] == snap[i];
            if (same) {
                memcpy(moved, ci->values, n * sizeof(ft_object *));
                memset(ci->values, 0, n * sizeof(ft_object *));
                ci->values[0] = made;
                ft_incref(made);   /* the instance's and ours */
                ci->flags |= HAS_DICT;
                installed = true;
            }
            FT_END_CRITICAL_SECTION();
        }
        for (size_t i = 0; i < n; i++) {   /* outside: may run deallocs */
            ft_xdecref(snap[i]);
            ft_xdecref(moved[i]);
        }
        if (installed || !made)
            return installed ? made : NULL;
        ft_decref(made);   /* the values changed meanwhile: again */
    }
}

static int set_in_dict(ft_object *o, ft_object *d, const char *name, ft_object *v)
{
    ft_object *key = name_key(name);
    int rc = !key ? -1 : v ? ft_dict_set(d, key, v) : ft_dict_del(d, key);
    ft_xdecref(key);
    ft_decref(d);
    if (rc < 0 && ft_err_kind() == FT_ERR_KEY)
        return no_attribute(o, name);
    return rc;
}

static ft_object *get_in_dict(ft_object *o, ft_object *d, const char *name)
{
    ft_object *key = name_key(name), *v = NULL;
    int found = key ? ft_dict_lookup(d, key, &v) : -1;
    ft_xdecref(key);
    ft_decref(d);
    if (found == 0)
        no_attribute(o, name);
    return v;
}

/* ---- Compact instances: the values --------------------------------------- */

enum store_result { STORED, NOT_INLINE, MISSING };

/* values[i] = v (NULL: delete) if o is inline and the order allows it;
 * *old gets the replaced value. In the instance's section. */
static enum store_result store_inline(ft_object *o, size_t i, ft_object *v,
                                      ft_object **old)
{
    compact_instance *ci = as_compact(o);
    enum store_result r = STORED;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    if ((ci->flags & HAS_DICT) || i >= ci->capacity) {
        r = (ci->flags & HAS_DICT) || v ? NOT_INLINE : MISSING;
    } else if (!v) {
        *old = ci->values[i];
        ci->values[i] = NULL;
        r = *old ? STORED : MISSING;
    } else if (ci->values[i]) {
        *old = ci->values[i];   /* overwrite: the order stays */
        ci->values[i] = v;
    } else {
        /* A new attribute goes last: no value may follow its index. */
        for (size_t j = i + 1; j < ci->capacity && r == STORED; j++)
            if (ci->values[j])
                r = NOT_INLINE;
        if (r == STORED)
            ci->values[i] = v;
    }
    FT_END_CRITICAL_SECTION();
    return r;
}

static bool has_dict(ft_object *o)
{
    bool r;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    r = (as_compact(o)->flags & HAS_DICT) != 0;
    FT_END_CRITICAL_SECTION();
    return r;
}

static int compact_set(ft_object *o, const char *name, ft_object *v)
{
    ft_class *c = class_of(o);
    ssize_t i = name_index(c, name);
    /* A new name joins the shared keys only from an inline instance: one
     * that already has a dict does not grow its class's instances. */
    if (i < 0 && v && !has_dict(o) && (i = add_key(c, name)) == -1)
        return -1;   /* MemoryError */
    if (i >= 0) {
        ft_object *old = NULL;
        ft_xincref(v);
        enum store_result r = store_inline(o, (size_t)i, v, &old);
        if (r == STORED) {
            ft_xdecref(old);   /* outside the section: may run a dealloc */
            return 0;
        }
        ft_xdecref(v);
        if (r == MISSING)
            return no_attribute(o, name);
    }
    /* No key, no room, or out of order: the instance needs its dict. A
     * delete of a name with no key needs none (nothing to delete). */
    ft_object *d = v ? materialize(o) : dict_if_any(o);
    if (!d)
        return v ? -1 : no_attribute(o, name);
    return set_in_dict(o, d, name, v);
}

static ft_object *compact_get(ft_object *o, const char *name)
{
    ssize_t i = name_index(class_of(o), name);
    compact_instance *ci = as_compact(o);
    ft_object *v = NULL, *d = NULL;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    if (ci->flags & HAS_DICT) {
        d = ci->values[0];
        ft_incref(d);
    } else if (i >= 0 && (size_t)i < ci->capacity) {
        v = ci->values[i];
        ft_xincref(v);
    }
    FT_END_CRITICAL_SECTION();
    if (d)
        return get_in_dict(o, d, name);
    if (!v)
        no_attribute(o, name);
    return v;
}

/* ---- Attributes ------------------------------------------------------------ */

int ft_setattr(ft_object *o, const char *name, ft_object *v)
{
    if (!check_args(o, name, "ft_setattr"))
        return -1;
    if (is_compact(o))
        return compact_set(o, name, v);
    ssize_t i = name_index(class_of(o), name);
    if (i < 0)
        return no_attribute(o, name);
    return set_slot(o, (size_t)i, v, name);
}

ft_object *ft_getattr(ft_object *o, const char *name)
{
    if (!check_args(o, name, "ft_getattr"))
        return NULL;
    if (!is_compact(o))
        return get_slot(o, name);
    if (strcmp(name, "__dict__") == 0)   /* like obj.__dict__ */
        return materialize(o);
    return compact_get(o, name);
}

/* ---- For the object-graph tools (objects/instance.h) ---------------------- */

ft_object *_ft_instance_dict_peek(ft_object *o)
{
    return is_instance(o) && is_compact(o) ? dict_if_any(o) : NULL;
}

const char *_ft_instance_attr_name(ft_object *o, ft_object *v)
{
    if (!is_instance(o) || !v)
        return NULL;
    ft_class *c = class_of(o);
    const char *name = NULL;
    size_t n;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    ft_object **a = attrs_of(o, &n);
    bool inline_values = !is_compact(o) || !(as_compact(o)->flags & HAS_DICT);
    for (size_t i = 0; inline_values && !name && i < n; i++)
        if (a[i] == v)   /* a set value's name is published */
            name = c->slot_names ? c->slot_names[i] : c->keys[i];
    FT_END_CRITICAL_SECTION();
    return name;
}
