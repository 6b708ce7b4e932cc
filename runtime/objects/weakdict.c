/* weakdict.c — WeakValueDictionary and WeakKeyDictionary
 * (ftlab/weakref.h), after CPython's Lib/weakref.py.
 *
 * Both wrap an ordinary dict, `data`:
 *
 *   WeakValueDictionary   data: key -> weakref(value), the weakref keyed
 *                         (it records key, like CPython's KeyedRef)
 *   WeakKeyDictionary     data: weakref(key) -> value; weakrefs hash and
 *                         compare like their live referents, so a lookup
 *                         goes through a weakref to the key (the shared
 *                         basic one, ft_weakref_new without callback)
 *
 * Every entry's weakref has the same callback, `remove`: a C function
 * whose self is a weakref to the weak dict itself, so that the callbacks
 * never keep the dict alive (CPython's `selfref`). When a referent dies,
 * remove deletes its entry — in a WeakValueDictionary only if the key
 * still maps to that weakref (the value may have been replaced meanwhile).
 *
 * Concurrency (nogil). Every mutation — set, del, and remove — is one
 * critical section on `data` itself, inside which the dict operations
 * re-enter the section they already hold (CPython's _PyDict_DelItemIf
 * does the same in C). It must be data's section, not the weak dict's:
 * a section nested inside another is suspended whenever its thread waits
 * for a lock (mutex.c), so an outer section on the weak dict and an
 * inner one on data, which the readers contend for, would let a set slip
 * between remove's "look up, compare" and its "delete" — and remove would
 * delete the new, live entry. Reads (get, contains, len) are single dict
 * operations. data and remove never change after creation, except that
 * the collector may empty data (tp_clear). A value that leaves data in a
 * section is released after it: its dealloc may run anything, a callback
 * on this very dict included. (A stored key that leaves is released by
 * ft_dict_pop itself; the caller holds an equal key, usually that one.)
 * The atomicity holds while the key's hash and equality reach no
 * checkpoint (the runtime's own types never do): a thread parked there
 * gives up its sections, as it would anywhere.
 *
 * A weakref may be cleared before its entry is stored: between the
 * weakref's birth and the store, the collector may clear every weakref
 * to the referent, and remove then runs while the entry is not yet there.
 * Left alone, the dead entry would stay for good (its callback is spent).
 * So set looks at its new weakref after the store, in the same section:
 * dead, it takes the entry out again; alive, any later clear runs remove
 * after the section, and remove finds the entry. (The clear is ordered
 * before remove's section, which is ordered after or before ours; in the
 * "before" case our load sees the clear.)
 */
#include "internal/weakref.h"

typedef struct ft_weakdict {
    ft_object ob_base;
    _Atomic(ft_weakref *) xweaklist;  /* weakrefs to the dict (selfref)   */
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

/* wr was cleared (by the collector or its referent's death). Relaxed:
 * see the design note; the clear and this load are ordered by the
 * critical section on data that remove takes. */
static bool is_dead(ft_object *wr)
{
    return _ft_weakref_is_dead((ft_weakref *)wr);
}

/* data[k] = v in one section; `made` is the weakref set created for the
 * entry (the value's, or the key's), taken out again when it is already
 * dead. The replaced value and the undone entry come back through *drop. */
static int store_locked(ft_object *data, ft_object *k, ft_object *v,
                        ft_object *made, ft_object *drop[2])
{
    if (ft_dict_exchange(data, k, v, &drop[0]) < 0)
        return -1;
    if (!is_dead(made))
        return 0;
    return ft_dict_pop(data, k, &drop[1]) < 0 ? -1 : 0;
}

static int store(ft_object *d, ft_object *k, ft_object *v, ft_object *made)
{
    ft_object *data = as_weakdict(d)->data, *drop[2] = { NULL, NULL };
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(data)
    rc = store_locked(data, k, v, made, drop);
    FT_END_CRITICAL_SECTION()
    ft_xdecref(drop[0]);
    ft_xdecref(drop[1]);
    return rc;
}

/* del data[k]: 1 deleted, 0 absent (no error), -1 error. */
static int pop(ft_object *d, ft_object *k)
{
    ft_object *out = NULL;
    int rc = ft_dict_pop(as_weakdict(d)->data, k, &out);
    ft_xdecref(out);
    return rc;
}

/* ---- remove: the entries' callback --------------------------------------- */

/* In data's section: deletes key if it still maps to wr. */
static int remove_if_same_locked(ft_object *data, ft_object *key,
                                 ft_object *wr, ft_object *drop[2])
{
    int rc = ft_dict_lookup(data, key, &drop[0]);
    if (rc == 1 && drop[0] == wr)
        rc = ft_dict_pop(data, key, &drop[1]);
    return rc < 0 ? -1 : 0;
}

/* Deletes the entry of the dead weakref wr. */
static int remove_entry(ft_object *d, ft_object *wr)
{
    if (!is_value_dict(d))
        return pop(d, wr) < 0 ? -1 : 0;
    ft_object *key = _ft_weakref_key((ft_weakref *)wr);
    if (!key)
        return 0;   /* wr was cleared by the collector's tp_clear */
    ft_object *data = as_weakdict(d)->data, *drop[2] = { NULL, NULL };
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(data)
    rc = remove_if_same_locked(data, key, wr, drop);
    FT_END_CRITICAL_SECTION()
    ft_xdecref(drop[0]);   /* not the last reference: wr is our argument */
    ft_xdecref(drop[1]);
    ft_decref(key);
    return rc;
}

/* remove(wr): self is the weakref to the weak dict. */
static ft_object *remove_dead(ft_object *selfref, ft_object *args)
{
    ft_object *wr = ft_tuple_get_borrow(args, 0);
    if (!wr)
        return NULL;
    if (ft_type_of(wr) != &ft_weakref_type) {
        ft_err_set(FT_ERR_TYPE, "weak dictionary remove: expected a weakref, "
                   "not '%s'", ft_type_name(wr));
        return NULL;
    }
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
        .tp_weaklistoffset = offsetof(ft_weakdict, xweaklist),               \
    }

ft_type ft_weakvaluedict_type = WEAKDICT_TYPE("WeakValueDictionary");
ft_type ft_weakkeydict_type = WEAKDICT_TYPE("WeakKeyDictionary");

static ft_object *weakdict_new(ft_type *t, const char *remove_name)
{
    ft_weakdict *wd = (ft_weakdict *)_ft_object_alloc(t, sizeof *wd);
    if (!wd)
        return NULL;
    ft_atomic_store_relaxed(&wd->xweaklist, NULL);
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
 * `remove` as callback when the entry is to be stored). A key of a
 * WeakKeyDictionary is hashed now, while it is alive: an unhashable key is
 * a TypeError here, and the weakref keeps the hash after the key died. */
static ft_object *data_key(ft_object *d, ft_object *key, bool storing)
{
    if (is_value_dict(d))
        return ft_newref(key);
    ft_object *wr = ft_weakref_new(key, storing ? as_weakdict(d)->remove : NULL);
    if (wr && ft_hash(wr) == -1) {
        ft_decref(wr);
        return NULL;
    }
    return wr;
}

/* data's value for `value`: a keyed weakref to it, or value itself. */
static ft_object *data_value(ft_object *d, ft_object *key, ft_object *value)
{
    if (!is_value_dict(d))
        return ft_newref(value);
    return (ft_object *)_ft_weakref_new_keyed(value, as_weakdict(d)->remove, key);
}

static bool check_key(ft_object *key, const char *what)
{
    if (key)
        return true;
    ft_err_set(FT_ERR_TYPE, "%s: NULL key", what);
    return false;
}

int ft_weakdict_set(ft_object *d, ft_object *key, ft_object *value)
{
    if (!check_weakdict(d, "ft_weakdict_set") || !check_key(key, "ft_weakdict_set"))
        return -1;
    if (!value)
        return ft_err_set(FT_ERR_TYPE, "ft_weakdict_set: NULL value");
    /* A WeakValueDictionary's key is hashed before anything is made, so
     * that an unhashable key costs no weakref (the dict would refuse it). */
    if (is_value_dict(d) && ft_hash(key) == -1)
        return -1;
    ft_object *k = data_key(d, key, true), *v = k ? data_value(d, key, value) : NULL;
    int rc = v ? store(d, k, v, is_value_dict(d) ? v : k) : -1;
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
    if (!check_weakdict(d, "ft_weakdict_get") || !check_key(key, "ft_weakdict_get"))
        return NULL;
    ft_object *v = data_get(d, key);
    if (!v || !is_value_dict(d))
        return v;
    ft_object *o = _ft_weakref_referent((ft_weakref *)v);
    ft_decref(v);
    if (!o)   /* died; its remove has not run yet */
        ft_err_set(FT_ERR_KEY, "key of type '%s' not found", ft_type_name(key));
    return o;
}

/* CPython's WeakKeyDictionary.__contains__ answers False for a key that
 * cannot be weakly referenced (it cannot be in the dict); an unhashable
 * key is a TypeError in both dicts. */
int ft_weakdict_contains(ft_object *d, ft_object *key)
{
    if (!check_weakdict(d, "ft_weakdict_contains") ||
        !check_key(key, "ft_weakdict_contains"))
        return -1;
    if (!is_value_dict(d) && !key->ob_type->tp_weaklistoffset)
        return 0;
    ft_object *v = ft_weakdict_get(d, key);
    if (!v)
        return absent_or_error();
    ft_decref(v);
    return 1;
}

int ft_weakdict_del(ft_object *d, ft_object *key)
{
    if (!check_weakdict(d, "ft_weakdict_del") || !check_key(key, "ft_weakdict_del"))
        return -1;
    ft_object *k = data_key(d, key, false);
    if (!k)
        return -1;
    int rc = pop(d, k);
    ft_decref(k);
    if (rc == 0)
        return ft_err_set(FT_ERR_KEY, "key of type '%s' not found", ft_type_name(key));
    return rc < 0 ? -1 : 0;
}
