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
#include "../vm/shared.h"

/* ---- Inline attributes (typeobject.h) --------------------------------------- */

#define IV_TAG ((uintptr_t)1)
static ft_mutex attr_keys_lock = FT_MUTEX_INIT;

static inline bool slot_is_ivals(ft_object *p) { return ((uintptr_t)p & IV_TAG) != 0; }
static inline py_ivals *slot_ivals(ft_object *p) { return (py_ivals *)((uintptr_t)p & ~IV_TAG); }
static inline uint8_t *iv_order(py_ivals *iv) { return (uint8_t *)(iv->v + iv->cap); }

static size_t ivals_bytes(uint32_t cap)
{
    size_t n = sizeof(py_ivals) + cap * (sizeof(ft_object *) + 1);
    return (n + 7) & ~(size_t)7;
}

static py_attr_keys *keys_of(py_type *t)
{
    return py_type_is_heap(t) ? ((py_heaptype *)t)->attr_keys : NULL;
}

ft_object *py_instance_alloc(py_type *cls)
{
    py_attr_keys *k = keys_of(cls);
    uint32_t cap = 0;
    if (k) {
        cap = __atomic_load_n(&((py_heaptype *)cls)->ivals_cap, __ATOMIC_RELAXED);
        uint32_t n = __atomic_load_n(&k->n, __ATOMIC_ACQUIRE);
        if (n > cap)
            cap = n;
        if (cap > PY_ATTR_KEYS_MAX)
            cap = PY_ATTR_KEYS_MAX;
    }
    size_t base = (size_t)cls->ft.tp_basicsize;
    ft_object *o = ft_object_new(&cls->ft, cap ? base + ivals_bytes(cap) : base);
    if (!o)
        return py_err_from_ft();
    if (cap) {
        py_ivals *iv = (py_ivals *)((char *)o + base);
        iv->cap = cap;
        *(ft_object **)((char *)o + cls->tp_dictoffset) = (ft_object *)((uintptr_t)iv | IV_TAG);
    }
    return o;
}

/* The index of name in k (a new name is appended while there is room),
 * -1 when the table is full (or interning failed: the dict path reports
 * it). */
static int attr_keys_add(py_attr_keys *k, ft_object *name)
{
    if (__atomic_load_n(&k->n, __ATOMIC_ACQUIRE) >= PY_ATTR_KEYS_MAX)
        return -1;
    ft_object *key = ft_str_intern(name);
    if (!key) {
        ft_err_clear();
        return -1;
    }
    ft_mutex_lock(&attr_keys_lock);
    int i = _py_attr_keys_index(k, key);
    if (i < 0 && k->n < PY_ATTR_KEYS_MAX) {
        i = (int)k->n;
        k->names[i] = key;
        key = NULL;
        /* release: a reader that sees the count sees the name */
        __atomic_store_n(&k->n, k->n + 1, __ATOMIC_RELEASE);
    }
    ft_mutex_unlock(&attr_keys_lock);
    ft_xdecref(key);
    return i;
}

static void order_remove(py_ivals *iv, int idx)
{
    uint8_t *ord = iv_order(iv);
    for (uint32_t i = 0; i < iv->n; i++)
        if (ord[i] == idx) {
            memmove(ord + i, ord + i + 1, iv->n - i - 1);
            iv->n--;
            return;
        }
}

/* A new dict holding iv's attributes in insertion order (keys of k). */
static ft_object *ivals_to_dict(py_ivals *iv, py_attr_keys *k)
{
    ft_object *d = ft_dict_new();
    if (!d)
        return NULL;
    uint8_t *ord = iv_order(iv);
    for (uint32_t i = 0; i < iv->n; i++)
        if (ft_dict_set(d, k->names[ord[i]], iv->v[ord[i]]) < 0) {
            ft_decref(d);
            return NULL;
        }
    return d;
}

/* Empties slot i of iv, in o's critical section. Release: a lock-free
 * reader that sees the NULL (ivals_surely_missing) then sees whatever
 * replaced the values in the dict slot before it (a spill's dict). */
static inline void ivals_slot_clear(py_ivals *iv, uint32_t i)
{
    __atomic_store_n(&iv->v[i], NULL, __ATOMIC_RELEASE);
}

/* Drops iv's values (the caller made sure nobody reads them any more). */
static void ivals_clear(py_ivals *iv)
{
    iv->n = 0;
    for (uint32_t i = 0; i < iv->cap; i++) {
        ft_object *v = iv->v[i];
        ivals_slot_clear(iv, i);
        ft_xdecref(v);
    }
}

/* In o's critical section (or with no second thread ever started,
 * py_threads_started): the slot *dp (tagged iv) becomes a dict holding
 * the same attributes. 0 or -1 (runtime error set). */
static int spill_locked(ft_object *o, ft_object **dp, py_ivals *iv)
{
    ft_object *d = ivals_to_dict(iv, keys_of(py_type_of(o)));
    if (!d)
        return -1;
    /* relaxed: the slots' release clears below publish it to lock-free
     * readers (ivals_surely_missing) */
    __atomic_store_n(dp, d, __ATOMIC_RELAXED);
    /* the dict holds its own references: none of these is the last */
    iv->n = 0;
    for (uint32_t i = 0; i < iv->cap; i++) {
        ft_object *v = iv->v[i];
        ivals_slot_clear(iv, i);
        if (v)
            ft_decref(v);
    }
    return 0;
}

int _py_instance_materialize_dict(ft_object *o)
{
    ft_object **dp = py_instance_dictptr(o);
    if (!dp)
        return 0;
    int rc = 0;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    ft_object *cur = *dp;
    if (slot_is_ivals(cur))
        rc = spill_locked(o, dp, slot_ivals(cur));
    FT_END_CRITICAL_SECTION();
    return rc < 0 ? py_err_from_ft_int() : 0;
}

static inline ft_object **dictptr(ft_object *o)
{
    ft_type *t = o->ob_type;
    if (!(t->tp_flags & PY_TPFLAGS_PYTYPE))
        return NULL;
    ssize_t off = ((py_type *)t)->tp_dictoffset;
    return off ? (ft_object **)((char *)o + off) : NULL;
}

ft_object **py_instance_dictptr(ft_object *o)
{
    return dictptr(o);
}

ft_object *py_instance_dict_borrow(ft_object *o, bool create)
{
    ft_object **p = py_instance_dictptr(o);
    if (!p)
        return NULL;
    if (_py_instance_materialize_dict(o) < 0)
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
        d = made;
        __atomic_store_n(p, made, __ATOMIC_RELAXED);   /* see ivals_surely_missing */
        made = NULL;
    }
    FT_END_CRITICAL_SECTION();
    ft_xdecref(made);   /* another thread made one first */
    return d;
}

/* Sets __dict__ (heap classes' __dict__ setter). */
int _py_instance_set_dict(ft_object *o, ft_object *dict)
{
    ft_object **p = py_instance_dictptr(o);
    ft_object *old;
    ft_incref(dict);
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    old = *p;
    /* relaxed: ivals_clear's release clears publish it (a reader that sees
     * an emptied slot sees the dict) */
    __atomic_store_n(p, dict, __ATOMIC_RELAXED);
    FT_END_CRITICAL_SECTION();
    if (slot_is_ivals(old))
        ivals_clear(slot_ivals(old));   /* unreachable from the slot now */
    else
        ft_xdecref(old);
    return 0;
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
        if (slot_is_ivals(d)) {
            py_ivals *iv = slot_ivals(d);
            for (uint32_t i = 0; i < iv->cap; i++)
                if (iv->v[i] && (rc = visit(iv->v[i], arg)))
                    return rc;
        } else if (d && (rc = visit(d, arg))) {
            return rc;
        }
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
        if (slot_is_ivals(d)) {
            ivals_clear(slot_ivals(d));   /* the slot keeps the (empty) values */
        } else {
            __atomic_store_n(p, NULL, __ATOMIC_RELAXED);   /* see ivals_surely_missing */
            ft_xdecref(d);
        }
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

/* Is `name` (kidx: its index in the class's attr_keys, -1 none, as
 * _py_type_lookup_attr found it) certainly not an instance attribute of
 * o? Answered without o's critical section: every method call
 * (py_lookup_method) and every class attribute read through an instance
 * asks, and in nogil the section costs two atomic read-modify-writes.
 * false means "maybe there": the caller takes the locked path.
 *
 * Why the answer is right while other threads write o (they do so in o's
 * critical section, instance_attr_store, spill_locked,
 * _py_instance_set_dict, clear_heap_parts):
 *   - the dict slot only goes from inline values to a dict or NULL, never
 *     back (__class__ assignment spills first, typeobject.c), and iv
 *     lives inside o, which the caller holds: a tagged iv we load stays
 *     readable, and iv->cap never changes after py_instance_alloc;
 *   - NULL: no values and no dict at that moment — missing then;
 *   - values and kidx < 0 (or beyond cap): the values only hold names of
 *     the class's keys below cap, and name was not among the keys when
 *     kidx was computed, while the slot already held these values (it
 *     still does, and never returns to values) — missing at that moment,
 *     exactly what the locked path answers with the same kidx;
 *   - values with an empty slot kidx: empty either because the attribute
 *     is not set (missing), or because a spill/set_dict moved the values
 *     into a dict and cleared the slots. The clears are release stores
 *     made after the dict slot changed, and the slot load is acquire, so
 *     if the dict slot still holds the same values when loaded again,
 *     the empty slot we saw was no spill's: missing at the slot load.
 * A value found is never used here (no reference is taken without the
 * lock: that needs the runtime's try-incref and shared marking); the
 * locked path reads it. gil: the same loads, no atomic instructions. */
static inline bool ivals_surely_missing(ft_object **dp, int kidx)
{
    /* acquire: the slot load below stays after this one (it depends on
     * it anyway); a plain mov on x86-64 */
    ft_object *cur = __atomic_load_n(dp, __ATOMIC_ACQUIRE);
    if (!cur)
        return true;
    if (!slot_is_ivals(cur))
        return false;
    py_ivals *iv = slot_ivals(cur);
    if (kidx < 0 || (uint32_t)kidx >= iv->cap)
        return true;
    /* acquire: pairs with ivals_slot_clear's release */
    if (__atomic_load_n(&iv->v[kidx], __ATOMIC_ACQUIRE))
        return false;
    return __atomic_load_n(dp, __ATOMIC_RELAXED) == cur;
}

/* Reads the dict slot: the value at kidx (*v) or the dict (*d), each a
 * new reference, or neither. In o's critical section, or without it
 * while no second thread was ever started (py_threads_started). */
static inline void attr_read(ft_object **dp, int kidx, ft_object **v, ft_object **d)
{
    ft_object *cur = *dp;
    if (slot_is_ivals(cur)) {
        py_ivals *iv = slot_ivals(cur);
        if (kidx >= 0 && (uint32_t)kidx < iv->cap) {
            *v = iv->v[kidx];
            ft_xincref(*v);
        }
    } else if (cur) {
        *d = cur;
        ft_incref(cur);
    }
}

/* instance_attr_get past its inline fast path: a dict, or a second
 * thread was started. */
static PY_NOINLINE int instance_attr_get_slow(ft_object *o, ft_object **dp, ft_object *name,
                                              int kidx, ft_object **out)
{
    ft_object *v = NULL, *d = NULL;
    if (py_likely(!py_threads_started())) {
        attr_read(dp, kidx, &v, &d);   /* the only thread: nothing races */
    } else if (ivals_surely_missing(dp, kidx)) {
        return 0;
    } else {
        FT_BEGIN_CRITICAL_SECTION_OBJ(o);
        attr_read(dp, kidx, &v, &d);
        FT_END_CRITICAL_SECTION();
    }
    if (v) {
        *out = v;
        return 1;
    }
    if (!d)
        return 0;
    int rc = ft_dict_lookup(d, name, &v);
    ft_decref(d);
    if (rc < 0) {
        py_err_from_ft();
        return -1;
    }
    *out = v;
    return rc;
}

/* The instance's own attribute `name` (kidx: its index in the class's
 * attr_keys): 1 found (*out a new reference), 0 missing, -1 error.
 * Inline values while no second thread was ever started are the usual
 * case and are read here, inlined into the attribute getters: a call
 * with nogil's longer reference counting inside saves and restores
 * registers that the caller's own frame already has (that call was a
 * good part of nogil's extra instructions per attribute read). */
static ft_always_inline int instance_attr_get(ft_object *o, ft_object **dp, ft_object *name,
                                              int kidx, ft_object **out)
{
    if (py_likely(!py_threads_started())) {
        /* the only thread: nothing races (a plain load of the slot only
         * here: with threads it races with a spill's store) */
        ft_object *cur = *dp;
        if (slot_is_ivals(cur)) {
            py_ivals *iv = slot_ivals(cur);
            ft_object *v;
            if (kidx < 0 || (uint32_t)kidx >= iv->cap || !(v = iv->v[kidx]))
                return 0;
            *out = ft_newref(v);
            return 1;
        }
    }
    return instance_attr_get_slow(o, dp, name, kidx, out);
}

/* instance_attr_store's write, in o's critical section or without it
 * while no second thread was ever started (py_threads_started): 1 done,
 * 0 not values (or just spilled), 2 deleting what is not there, -1
 * runtime error. *old: the replaced value, for the caller to release;
 * *cap: the values' room. */
static inline int attr_write(ft_object *o, ft_object **dp, int kidx, ft_object *v,
                             ft_object **old, uint32_t *cap)
{
    ft_object *cur = *dp;
    if (!slot_is_ivals(cur))
        return 0;
    py_ivals *iv = slot_ivals(cur);
    *cap = iv->cap;
    if (kidx < 0 || (uint32_t)kidx >= iv->cap)
        return v ? (spill_locked(o, dp, iv) < 0 ? -1 : 0)
                 : 2;   /* deleting what is not there */
    ft_object *prev = iv->v[kidx];
    if (v) {
        ft_incref(v);
        /* relaxed: lock-free readers only test it for NULL
         * (ivals_surely_missing); the value is read locked */
        __atomic_store_n(&iv->v[kidx], v, __ATOMIC_RELAXED);
        if (!prev)
            iv_order(iv)[iv->n++] = (uint8_t)kidx;
    } else if (prev) {
        ivals_slot_clear(iv, (uint32_t)kidx);
        order_remove(iv, kidx);
    } else {
        return 2;
    }
    *old = prev;
    return 1;
}

/* attr_write in o's critical section, once a second thread was started.
 * Out of line: the section's frame and lock calls stay off the
 * one-thread path (in gil the section is empty anyway). */
static PY_NOINLINE int attr_write_locked(ft_object *o, ft_object **dp, int kidx,
                                         ft_object *v, ft_object **old, uint32_t *cap)
{
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    rc = attr_write(o, dp, kidx, v, old, cap);
    FT_END_CRITICAL_SECTION();
    return rc;
}

/* Stores (v) or deletes (v NULL) the instance attribute in the inline
 * values: 1 done, 0 not there (the dict path goes on: the instance has a
 * dict or none yet, or just moved its values into one), -1 error. */
static int instance_attr_store(ft_object *o, py_type *tp, ft_object **dp, ft_object *name,
                               int kidx, ft_object *v)
{
    if (!slot_is_ivals(__atomic_load_n(dp, __ATOMIC_RELAXED)))
        return 0;   /* modes only go from values to dict: re-checked below */
    py_attr_keys *k = ((py_heaptype *)tp)->attr_keys;
    if (kidx < 0 && v)
        kidx = attr_keys_add(k, name);
    ft_object *old = NULL;
    uint32_t cap = 0;
    int rc;
    if (py_likely(!py_threads_started())) {
        rc = attr_write(o, dp, kidx, v, &old, &cap);   /* the only thread */
        if (py_likely(rc == 1)) {   /* stored: the usual case, kept short */
            ft_xdecref(old);
            return 1;
        }
    } else {
        rc = attr_write_locked(o, dp, kidx, v, &old, &cap);
    }
    ft_xdecref(old);   /* outside the section: a __del__ may run anything */
    if (rc == 0 && v && kidx >= 0 && (uint32_t)kidx >= cap) {
        /* later instances get room for it */
        py_heaptype *h = (py_heaptype *)tp;
        uint32_t want = (uint32_t)kidx + 1;
        if (__atomic_load_n(&h->ivals_cap, __ATOMIC_RELAXED) < want)
            __atomic_store_n(&h->ivals_cap, want, __ATOMIC_RELAXED);
    }
    if (rc == 2) {
        no_attribute(o, name);
        return -1;
    }
    if (rc < 0)
        py_err_from_ft();
    return rc;
}

/* generic_getattr once the class was asked: descr is what it holds for
 * name (borrowed, NULL: nothing), kidx name's index in its attr_keys. */
static ft_always_inline int generic_getattr_found(ft_object *o, ft_object *name, py_type *tp,
                                                  ft_object *descr, int kidx,
                                                  ft_object **out, bool suppress)
{
    py_descrgetfunc get = NULL;
    if (descr) {
        py_type *dt = py_type_of(descr);
        get = dt->tp_descr_get;
        if (dt == &py_member_descr_class) {
            /* __slots__: runs no Python code, needs no reference */
            *out = get(descr, o, py_type_as_obj(tp));
            goto called;
        }
        if (get && dt->tp_descr_set) {
            ft_incref(descr);
            *out = get(descr, o, py_type_as_obj(tp));
            ft_decref(descr);
            goto called;
        }
    }
    ft_object **dp = dictptr(o);
    if (dp) {
        int rc = instance_attr_get(o, dp, name, kidx, out);
        if (rc)
            return rc;
    }
    if (get) {
        ft_incref(descr);
        *out = get(descr, o, py_type_as_obj(tp));
        ft_decref(descr);
        goto called;
    }
    if (descr) {
        *out = ft_newref(descr);
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

/* 1 found (*out), 0 missing (no exception when suppress), -1 error.
 * Always inlined: gcc inlines it on its own in gil but not in nogil,
 * whose reference counting makes it look bigger, and the extra call
 * layer cost nogil ~10 instructions per attribute read. */
static ft_always_inline int generic_getattr(ft_object *o, ft_object *name, ft_object **out,
                                            bool suppress)
{
    if (py_unlikely(name->ob_type != &ft_str_type)) {
        py_err_format(py_exc_TypeError, "attribute name must be string, not '%s'",
                      py_type_name(name));
        return -1;
    }
    py_type *tp = py_type_of(o);
    int kidx;
    ft_object *descr = _py_type_lookup_attr(tp, name, &kidx);
    return generic_getattr_found(o, name, tp, descr, kidx, out, suppress);
}

/* py_generic_getattr past its leaf: the whole protocol, or the part after
 * the class lookup the leaf made. Out of line, reached by tail calls. */
static PY_NOINLINE ft_object *getattr_slow(ft_object *o, ft_object *name)
{
    ft_object *r = NULL;
    return generic_getattr(o, name, &r, false) > 0 ? r : NULL;
}

static PY_NOINLINE ft_object *getattr_found_slow(ft_object *o, ft_object *name,
                                                 ft_object *descr, int kidx)
{
    ft_object *r = NULL;
    return generic_getattr_found(o, name, py_type_of(o), descr, kidx, &r, false) > 0 ? r
                                                                                  : NULL;
}

/* LOAD_ATTR's usual read, an instance's own attribute held in its inline
 * values while no second thread was ever started, as a leaf: the class
 * cache's hit, the value's count (_ft_incref_leaf) and nothing else, so
 * no call and no frame; everything else leaves by a tail call, with what
 * the class lookup found. With the whole protocol inline, every read
 * saved and restored callee-saved registers for the calls of the rare
 * paths (14 instructions in gil), and nogil's longer reference counting
 * needed one register and a move more (17 + 2): of nogil's extra
 * instructions per read (~5.4 under callgrind, richards), the reference
 * count's own were under one, the rest that frame. */
ft_object *py_generic_getattr(ft_object *o, ft_object *name)
{
    /* classes as py_type_of finds them, without its call: a runtime
     * type's class (not a py_type itself) is looked up out of line */
    ft_type *t = o->ob_type;
    if (py_unlikely(name->ob_type != &ft_str_type) ||
        py_unlikely(!(t->tp_flags & PY_TPFLAGS_PYTYPE)))
        return getattr_slow(o, name);
    py_type *tp = (py_type *)t;
    ft_object *descr;
    int kidx;
    if (py_unlikely(!_py_type_lookup_attr_hit(tp, name, &descr, &kidx)))
        return getattr_slow(o, name);
    if (descr) {
        ft_type *dt = descr->ob_type;
        /* a __slots__ value of an instance of the slot's own class (so o
         * has the slot: member_get's check), as member_get reads it while
         * no second thread was ever started */
        if (dt == &py_member_descr_class.ft) {
            py_member_descr *m = (py_member_descr *)descr;
            ft_object *v;
            if (py_likely(m->cls == tp) && py_likely(!py_threads_started()) &&
                (v = *(ft_object **)((char *)o + m->offset)) && py_likely(_ft_incref_leaf(v)))
                return v;
            return getattr_found_slow(o, name, descr, kidx);
        }
        /* any other data descriptor (one with a setter: properties among
         * them) comes before the instance's values */
        if (!(dt->tp_flags & PY_TPFLAGS_PYTYPE) || ((py_type *)dt)->tp_descr_set)
            return getattr_found_slow(o, name, descr, kidx);
    }
    ssize_t off = tp->tp_dictoffset;   /* dictptr(o), its class known */
    ft_object **dp = off ? (ft_object **)((char *)o + off) : NULL;
    if (py_likely(dp != NULL) && py_likely(!py_threads_started())) {
        /* the only thread: nothing races (as instance_attr_get) */
        ft_object *cur = *dp;
        if (slot_is_ivals(cur)) {
            py_ivals *iv = slot_ivals(cur);
            ft_object *v;
            if (kidx >= 0 && (uint32_t)kidx < iv->cap && (v = iv->v[kidx]) &&
                py_likely(_ft_incref_leaf(v)))
                return v;
        }
    }
    return getattr_found_slow(o, name, descr, kidx);
}

int py_generic_getattr_opt(ft_object *o, ft_object *name, ft_object **out)
{
    *out = NULL;
    return generic_getattr(o, name, out, true);
}

static inline int generic_setattr(ft_object *o, ft_object *name, ft_object *v)
{
    if (py_unlikely(name->ob_type != &ft_str_type))
        return py_err_format_int(py_exc_TypeError, "attribute name must be string, not '%s'",
                                 py_type_name(name));
    py_type *tp = py_type_of(o);
    int kidx;
    ft_object *descr = _py_type_lookup_attr(tp, name, &kidx);
    if (descr) {
        py_type *dt = py_type_of(descr);
        if (dt == &py_member_descr_class)
            return dt->tp_descr_set(descr, o, v);   /* __slots__: no Python code */
        if (dt->tp_descr_set) {
            ft_incref(descr);
            int rc = dt->tp_descr_set(descr, o, v);
            ft_decref(descr);
            return rc;
        }
    }
    ft_object **dp = dictptr(o);
    if (!dp) {
        if (descr)
            return py_err_format_int(py_exc_AttributeError,
                                     "'%s' object attribute '%s' is read-only",
                                     py_type_name(o), name_utf8(name));
        no_attribute(o, name);
        return -1;
    }
    int rc = instance_attr_store(o, tp, dp, name, kidx, v);
    if (rc)
        return rc < 0 ? -1 : 0;
    ft_object *d = py_instance_dict_borrow(o, v != NULL);
    if (!d) {
        if (py_err_occurred())
            return -1;
        no_attribute(o, name);
        return -1;
    }
    if (v) {
        ft_object *key = name;
        if (!ft_str_is_interned(name)) {
            key = ft_str_intern(name);
            if (!key)
                return py_err_from_ft_int();
        } else {
            ft_incref(key);
        }
        /* the dict keeps d alive for the call: only the slot's reference */
        ft_incref(d);
        rc = ft_dict_set(d, key, v);
        ft_decref(d);
        ft_decref(key);
        return rc < 0 ? py_err_from_ft_int() : 0;
    }
    ft_incref(d);
    rc = ft_dict_del(d, name);
    ft_decref(d);
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

/* ---- py_getattr / py_setattr (ftpy.h) ------------------------------------------ */

/* A str subclass name as its str, or NULL with TypeError. */
static ft_object *attr_name(ft_object *name)
{
    if (py_type_of(name)->ft.tp_flags & PY_TPFLAGS_STR)
        return _py_unbox_any(name);
    py_err_format(py_exc_TypeError, "attribute name must be string, not '%s'",
                  py_type_name(name));
    return NULL;
}

ft_object *py_getattr(ft_object *o, ft_object *name)
{
    if (py_unlikely(name->ob_type != &ft_str_type) && !(name = attr_name(name)))
        return NULL;
    py_type *t = py_type_of(o);
    if (py_likely(t->tp_getattro == py_generic_getattr)) {
        ft_object *r = NULL;
        return generic_getattr(o, name, &r, false) > 0 ? r : NULL;
    }
    return t->tp_getattro ? t->tp_getattro(o, name) : py_generic_getattr(o, name);
}

int py_setattr(ft_object *o, ft_object *name, ft_object *v)
{
    if (py_unlikely(name->ob_type != &ft_str_type) && !(name = attr_name(name)))
        return -1;
    py_type *t = py_type_of(o);
    if (py_likely(t->tp_setattro == py_generic_setattr))
        return generic_setattr(o, name, v);
    if (t->tp_setattro)
        return t->tp_setattro(o, name, v);
    return py_err_format_int(py_exc_AttributeError, "'%s' object has no attribute '%s'",
                             py_type_name(o), name_utf8(name));
}

int py_generic_setattr(ft_object *o, ft_object *name, ft_object *v)
{
    return generic_setattr(o, name, v);
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
    int kidx;
    ft_object *descr = _py_type_lookup_attr(tp, name, &kidx);
    if (!descr || !py_is_method_descriptor(descr)) {
        int rc = generic_getattr(o, name, out, false);
        return rc > 0 ? 0 : -1;
    }
    /* an instance attribute shadows the method */
    ft_object **dp = dictptr(o);
    if (dp) {
        int rc = instance_attr_get(o, dp, name, kidx, out);
        if (rc)
            return rc < 0 ? -1 : 0;
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
