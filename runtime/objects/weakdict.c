/* weakdict.c — WeakValueDictionary and WeakKeyDictionary
 * (ftlab/weakref.h), after CPython's Lib/weakref.py.
 *
 * Both wrap an ordinary dict, `data`:
 *
 *   WeakValueDictionary   data: key -> weakref(value), the weakref keyed
 *                         (it records key, like CPython's KeyedRef)
 *   WeakKeyDictionary     data: weakref(key) -> value; weakrefs hash and
 *                         compare like their live referents, so a lookup
 *                         goes through a temporary weakref to the key
 *
 * Every entry's weakref has the same callback, `remove`: a C function
 * whose self is a weakref to the weak dict itself, so that the callbacks
 * never keep the dict alive (CPython's `selfref`). When a referent dies,
 * remove deletes its entry — in a WeakValueDictionary only if the key
 * still maps to that weakref (the value may have been replaced meanwhile).
 *
 * Concurrency (nogil). Mutations — set, del, and remove — run in a
 * critical section on the weak dict, so that remove's "look up, compare,
 * delete" is not interleaved with a set of the same key. Reads (get,
 * contains, len) go straight to `data`, which locks itself, and to the
 * weakref, which takes its stripe. data and remove never change after
 * creation, except that the collector may empty data (tp_clear).
 */
#include "internal/weakref.h"

typedef struct ft_weakdict {
    ft_object ob_base;
    _Atomic(ft_weakref *) weaklist;   /* weakrefs to the dict (selfref)   */
    ft_object *data;                  /* the dict of entries              */
    ft_object *remove;                /* every entry's weakref callback   */
} ft_weakdict;

static ft_weakdict *as_weakdict(ft_object *o) { return (ft_weakdict *)o; }

static bool is_value_dict(ft_object *d)
{
    return d->ob_type == &ft_weakvaluedict_type;
}

static bool check_weakdict(ft_object *d, const char *what)
{
    if (d && (is_value_dict(d) || d->ob_type == &ft_weakkeydict_type))
        return true;
    ft_err_set(FT_ERR_TYPE, "%s: expected a weak dictionary, not '%s'", what,
               d ? ft_type_name(d) : "NULL");
    return false;
}

/* A KeyError from data means "absent": forget it, report 0. */
static int absent_or_error(void)
{
    if (ft_err_kind() != FT_ERR_KEY)
        return -1;
    ft_err_clear();
    return 0;
}

/* data[k] = v, or del data[k] when v is NULL, in the critical section on
 * d. The entry's old value is released after the section: its dealloc may
 * run anything, a callback on this very dict included. */
static int update(ft_object *d, ft_object *k, ft_object *v)
{
    ft_object *data = as_weakdict(d)->data, *old;
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(d)
    old = ft_dict_get(data, k);
    rc = !old && absent_or_error() < 0 ? -1
         : v ? ft_dict_set(data, k, v) : ft_dict_del(data, k);
    FT_END_CRITICAL_SECTION()
    ft_xdecref(old);
    return rc;
}

/* ---- remove: the entries' callback --------------------------------------- */

/* Under the critical section: deletes key if it still maps to wr. */
static int remove_if_same(ft_weakdict *wd, ft_object *key, ft_object *wr)
{
    ft_object *cur = ft_dict_get(wd->data, key);
    int rc = cur ? 0 : absent_or_error();
    if (cur == wr)
        rc = ft_dict_del(wd->data, key);
    ft_xdecref(cur);   /* not the last reference: wr is our argument */
    return rc;
}

/* Deletes the entry of the dead weakref wr. */
static int remove_entry(ft_object *d, ft_object *wr)
{
    if (!is_value_dict(d))
        return update(d, wr, NULL) < 0 ? absent_or_error() : 0;
    ft_object *key = _ft_weakref_key((ft_weakref *)wr);
    if (!key)
        return 0;   /* wr was cleared by the collector */
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(d)
    rc = remove_if_same(as_weakdict(d), key, wr);
    FT_END_CRITICAL_SECTION()
    ft_decref(key);
    return rc;
}

/* remove(wr): self is the weakref to the weak dict. */
static ft_object *remove_dead(ft_object *selfref, ft_object *args)
{
    ft_object *wr = ft_tuple_get_borrow(args, 0);
    if (!wr)
        return NULL;
    ft_object *d = _ft_weakref_referent((ft_weakref *)selfref);
    if (!d)
        return ft_none();   /* the dict died first: nothing to remove */
    int rc = remove_entry(d, wr);
    ft_decref(d);
    return rc < 0 ? NULL : ft_none();
}

/* ---- The types ----------------------------------------------------------- */

static int weakdict_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    ft_weakdict *wd = as_weakdict(o);
    int rc = wd->data ? visit(wd->data, arg) : 0;
    return rc || !wd->remove ? rc : visit(wd->remove, arg);
}

/* The collector breaking a cycle through an entry: empty data. */
static int weakdict_clear(ft_object *o)
{
    ft_object *data = as_weakdict(o)->data;
    return data ? data->ob_type->tp_clear(data) : 0;
}

static void weakdict_dealloc(ft_object *o)
{
    ft_weakdict *wd = as_weakdict(o);
    if (_ft_weakref_has_refs(o))
        _ft_weakref_clear_on_dealloc(o);   /* selfref: remove does nothing */
    ft_xdecref(wd->data);
    ft_xdecref(wd->remove);
    _ft_object_free(o);
}

static ssize_t weakdict_len(ft_object *o)
{
    return ft_len(as_weakdict(o)->data);
}

#define WEAKDICT_TYPE(name)                                                  \
    {                                                                        \
        .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),                       \
        .tp_name = name, .tp_basicsize = sizeof(ft_weakdict),                \
        .tp_flags = FT_TPFLAGS_GC, .tp_dealloc = weakdict_dealloc,           \
        .tp_traverse = weakdict_traverse, .tp_clear = weakdict_clear,        \
        .tp_len = weakdict_len,                                              \
        .tp_weaklistoffset = offsetof(ft_weakdict, weaklist),                \
    }

ft_type ft_weakvaluedict_type = WEAKDICT_TYPE("WeakValueDictionary");
ft_type ft_weakkeydict_type = WEAKDICT_TYPE("WeakKeyDictionary");

static ft_object *weakdict_new(ft_type *t, const char *remove_name)
{
    ft_weakdict *wd = (ft_weakdict *)_ft_object_alloc(t, sizeof *wd);
    if (!wd)
        return NULL;
    ft_atomic_store_relaxed(&wd->weaklist, NULL);
    wd->remove = NULL;
    ft_object *selfref = NULL;
    if (!(wd->data = ft_dict_new()) ||
        !(selfref = ft_weakref_new(&wd->ob_base, NULL)) ||
        !(wd->remove = ft_cfunction_new(remove_name, remove_dead, selfref))) {
        ft_xdecref(selfref);
        ft_decref(&wd->ob_base);
        return NULL;
    }
    ft_decref(selfref);   /* remove holds it */
    return &wd->ob_base;
}

ft_object *ft_weakvaluedict_new(void)
{
    return weakdict_new(&ft_weakvaluedict_type, "WeakValueDictionary.remove");
}

ft_object *ft_weakkeydict_new(void)
{
    return weakdict_new(&ft_weakkeydict_type, "WeakKeyDictionary.remove");
}

/* ---- Operations ---------------------------------------------------------- */

/* data's key for `key`: key itself, or a weakref to it (WeakKeyDictionary;
 * `remove` as callback when the entry is to be stored). */
static ft_object *data_key(ft_object *d, ft_object *key, bool storing)
{
    if (is_value_dict(d))
        return ft_newref(key);
    return ft_weakref_new(key, storing ? as_weakdict(d)->remove : NULL);
}

/* data's value for `value`: a keyed weakref to it, or value itself. */
static ft_object *data_value(ft_object *d, ft_object *key, ft_object *value)
{
    if (!is_value_dict(d))
        return ft_newref(value);
    return (ft_object *)_ft_weakref_new_keyed(value, as_weakdict(d)->remove, key);
}

int ft_weakdict_set(ft_object *d, ft_object *key, ft_object *value)
{
    if (!check_weakdict(d, "ft_weakdict_set"))
        return -1;
    if (!key || !value)
        return ft_err_set(FT_ERR_TYPE, "ft_weakdict_set: NULL key or value");
    ft_object *k = data_key(d, key, true), *v = k ? data_value(d, key, value) : NULL;
    int rc = v ? update(d, k, v) : -1;
    ft_xdecref(k);
    ft_xdecref(v);
    return rc;
}

/* data[key] as a new reference, or NULL (KeyError when absent). */
static ft_object *data_get(ft_object *d, ft_object *key)
{
    ft_object *k = data_key(d, key, false);
    if (!k)
        return NULL;
    ft_object *v = ft_dict_get(as_weakdict(d)->data, k);
    ft_decref(k);
    return v;
}

ft_object *ft_weakdict_get(ft_object *d, ft_object *key)
{
    if (!check_weakdict(d, "ft_weakdict_get"))
        return NULL;
    if (!key) {
        ft_err_set(FT_ERR_TYPE, "ft_weakdict_get: NULL key");
        return NULL;
    }
    ft_object *v = data_get(d, key);
    if (!v || !is_value_dict(d))
        return v;
    ft_object *o = _ft_weakref_referent((ft_weakref *)v);
    ft_decref(v);
    if (!o)   /* died; its remove has not run yet */
        ft_err_set(FT_ERR_KEY, "key of type '%s' not found", ft_type_name(key));
    return o;
}

int ft_weakdict_contains(ft_object *d, ft_object *key)
{
    ft_object *v = ft_weakdict_get(d, key);
    if (!v)
        return absent_or_error();
    ft_decref(v);
    return 1;
}

int ft_weakdict_del(ft_object *d, ft_object *key)
{
    if (!check_weakdict(d, "ft_weakdict_del"))
        return -1;
    if (!key)
        return ft_err_set(FT_ERR_TYPE, "ft_weakdict_del: NULL key");
    ft_object *k = data_key(d, key, false);
    if (!k)
        return -1;
    int rc = update(d, k, NULL);
    ft_decref(k);
    return rc;
}
