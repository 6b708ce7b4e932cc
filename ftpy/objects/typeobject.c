/* objects/typeobject.c — `type`, `object`, readying static classes, heap
 * classes (the class statement), C3 MRO, layouts, dunder slots.
 *
 * See typeobject.h for the design. Sections:
 *   1. the map from the runtime's ft types to classes
 *   2. versions, subclass lists, attribute lookup along the MRO (cached)
 *   3. slot wrappers (int.__add__, object.__init__, ...) and
 *      method-wrappers (their bound form)
 *   4. `object`
 *   5. py_type_ready
 *   6. heap classes: type.__new__, C3, layouts, __slots__
 *   7. dunder trampolines and slot updates
 *   8. `type`: call, attributes, repr, dealloc
 *   9. init / fini
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../ftpy.h"
#include "typeobject.h"
#include "../vm/vm.h"
#include "../vm/frame.h"
#include "../vm/opcode.h"
#include "../vm/shared.h"
#include "code.h"

ft_object *_py_str(const char *s)
{
    ft_object *r = ft_str_from_utf8(s, -1);
    return r ? r : py_err_from_ft();
}

int64_t _py_identity_hash(ft_object *o)
{
    int64_t h = (int64_t)((uintptr_t)o >> 4);
    return h == -1 ? -2 : h;
}

static const char *utf8(ft_object *s)
{
    const char *u = s && s->ob_type == &ft_str_type ? ft_str_utf8_borrow(s, NULL) : NULL;
    return u ? u : "?";
}

static py_heaptype *as_heap(py_type *t) { return (py_heaptype *)t; }

/* ==== 1. The class map ===================================================== */

#define MAX_FT_CLASSES 64
static struct { ft_type *ft; py_type *cls; } ft_map[MAX_FT_CLASSES];
static int ft_map_n;
static ft_mutex ft_map_lock = FT_MUTEX_INIT;
/* Generic classes made on the fly for unmapped runtime types. */
static py_type *generic_classes[MAX_FT_CLASSES];
static int generic_n;

/* A direct-mapped table in front of the map: a slot, once given an ft
 * type, keeps it (only its class may change, one atomic store), so a
 * reader that finds its ft type reads that type's class. */
#define FAST_MAP_BITS 7
static struct { ft_type *ft; py_type *cls; } fast_map[1 << FAST_MAP_BITS];

static size_t fast_slot(ft_type *t)
{
    return (size_t)(((uint64_t)(uintptr_t)t * UINT64_C(0x9E3779B97F4A7C15)) >>
                    (64 - FAST_MAP_BITS));
}

/* Under ft_map_lock. */
static void fast_map_put(ft_type *ft, py_type *cls)
{
    size_t i = fast_slot(ft);
    ft_type *cur = __atomic_load_n(&fast_map[i].ft, __ATOMIC_RELAXED);
    if (cur && cur != ft)
        return;   /* taken: ft stays on the slow path */
    __atomic_store_n(&fast_map[i].cls, cls, __ATOMIC_RELEASE);
    __atomic_store_n(&fast_map[i].ft, ft, __ATOMIC_RELEASE);
}

void py_register_ft_class(ft_type *ft, py_type *cls)
{
    ft_mutex_lock(&ft_map_lock);
    fast_map_put(ft, cls);
    for (int i = 0; i < ft_map_n; i++)
        if (ft_map[i].ft == ft) {
            ft_map[i].cls = cls;
            ft_mutex_unlock(&ft_map_lock);
            return;
        }
    if (ft_map_n < MAX_FT_CLASSES) {
        ft_map[ft_map_n].ft = ft;
        ft_map[ft_map_n].cls = cls;
        ft_map_n++;
    }
    ft_mutex_unlock(&ft_map_lock);
}

ft_type *py_class_ft_type(py_type *cls)
{
    for (int i = 0; i < ft_map_n; i++)
        if (ft_map[i].cls == cls)
            return ft_map[i].ft;
    return NULL;
}

static void generic_dealloc(ft_object *o) { (void)o; }

py_type *_py_class_of_ft(ft_type *t)
{
    size_t slot = fast_slot(t);
    if (py_likely(__atomic_load_n(&fast_map[slot].ft, __ATOMIC_ACQUIRE) == t))
        return __atomic_load_n(&fast_map[slot].cls, __ATOMIC_ACQUIRE);
    /* the common ones first, without the lock */
    if (t == &ft_int_type) return &py_int_class;
    if (t == &ft_str_type) return &py_str_class;
    if (t == &ft_float_type) return &py_float_class;
    if (t == &ft_bool_type) return &py_bool_class;
    if (t == &ft_none_type) return &py_none_class;
    if (t == &ft_tuple_type) return &py_tuple_class;
    if (t == &ft_list_type) return &py_list_class;
    if (t == &ft_dict_type) return &py_dict_class;
    if (t == &ft_set_type) return &py_set_class;
    int n = __atomic_load_n(&ft_map_n, __ATOMIC_ACQUIRE);
    for (int i = 0; i < n; i++)
        if (ft_map[i].ft == t)
            return ft_map[i].cls;
    /* An unmapped runtime type: a generic class named after it. */
    ft_mutex_lock(&ft_map_lock);
    py_type *cls = NULL;
    for (int i = 0; i < ft_map_n; i++)
        if (ft_map[i].ft == t)
            cls = ft_map[i].cls;
    if (!cls && generic_n < MAX_FT_CLASSES && ft_map_n < MAX_FT_CLASSES) {
        cls = calloc(1, sizeof *cls);
        if (cls) {
            ft_object head = FT_OBJECT_HEAD_INIT(&py_type_type.ft);
            cls->ft.ob_base = head;
            cls->ft.tp_name = t->tp_name;
            cls->ft.tp_basicsize = t->tp_basicsize;
            cls->ft.tp_flags = PY_TPFLAGS_PYTYPE;
            cls->ft.tp_dealloc = generic_dealloc;
            generic_classes[generic_n++] = cls;
            ft_map[ft_map_n].ft = t;
            ft_map[ft_map_n].cls = cls;
            fast_map_put(t, cls);
            __atomic_store_n(&ft_map_n, ft_map_n + 1, __ATOMIC_RELEASE);
        }
    }
    ft_mutex_unlock(&ft_map_lock);
    if (!cls)
        return &py_object_type;
    if (py_type_ready(cls) < 0)
        py_err_clear();
    return cls;
}

/* ==== 2. Versions, subclasses, lookup ====================================== */

static uint64_t next_version = 1;
static ft_mutex subclass_lock = FT_MUTEX_INIT;

static uint64_t new_version(void)
{
    return __atomic_fetch_add(&next_version, 1, __ATOMIC_RELAXED);
}

/* The class's dict changed: it and its subclasses get new versions. */
static void type_modified(py_type *t)
{
    __atomic_store_n(&t->tp_version, new_version(), __ATOMIC_RELEASE);
    if (!py_type_is_heap(t))
        return;
    ft_mutex_lock(&subclass_lock);
    py_heaptype *h = as_heap(t);
    ssize_t n = h->nsubclasses;
    py_heaptype *small[16], **subs = n <= 16 ? small : malloc((size_t)n * sizeof *subs);
    if (subs) {
        for (ssize_t i = 0; i < n; i++) {
            subs[i] = h->subclasses[i];
            ft_incref(&subs[i]->type.ft.ob_base);
        }
    }
    ft_mutex_unlock(&subclass_lock);
    if (!subs)
        return;
    for (ssize_t i = 0; i < n; i++) {
        type_modified(&subs[i]->type);
        ft_decref(&subs[i]->type.ft.ob_base);
    }
    if (subs != small)
        free(subs);
}

/* The subclasses of static classes (heap classes keep theirs in
 * py_heaptype): a side table, one entry per static base; borrowed, heap
 * subclasses are removed at dealloc. Under subclass_lock. */
typedef struct static_subs {
    py_type *base;
    py_type **subs;
    ssize_t n, cap;
} static_subs;
static static_subs *ssubs;
static ssize_t ssubs_n, ssubs_cap;

static static_subs *static_subs_of(py_type *base, bool create)
{
    for (ssize_t i = 0; i < ssubs_n; i++)
        if (ssubs[i].base == base)
            return &ssubs[i];
    if (!create)
        return NULL;
    if (ssubs_n == ssubs_cap) {
        ssize_t cap = ssubs_cap ? 2 * ssubs_cap : 64;
        static_subs *a = realloc(ssubs, (size_t)cap * sizeof *a);
        if (!a)
            return NULL;
        ssubs = a;
        ssubs_cap = cap;
    }
    static_subs *e = &ssubs[ssubs_n++];
    e->base = base;
    e->subs = NULL;
    e->n = e->cap = 0;
    return e;
}

static void static_add_subclass(py_type *base, py_type *sub)
{
    ft_mutex_lock(&subclass_lock);
    static_subs *e = static_subs_of(base, true);
    if (e && e->n == e->cap) {
        ssize_t cap = e->cap ? 2 * e->cap : 4;
        py_type **a = realloc(e->subs, (size_t)cap * sizeof *a);
        if (a) {
            e->subs = a;
            e->cap = cap;
        }
    }
    if (e && e->n < e->cap)
        e->subs[e->n++] = sub;   /* else only __subclasses__ misses it */
    ft_mutex_unlock(&subclass_lock);
}

static void static_remove_subclass(py_type *base, py_type *sub)
{
    ft_mutex_lock(&subclass_lock);
    static_subs *e = static_subs_of(base, false);
    for (ssize_t i = 0; e && i < e->n; i++)
        if (e->subs[i] == sub) {
            memmove(e->subs + i, e->subs + i + 1, (size_t)(e->n - i - 1) * sizeof *e->subs);
            e->n--;
            break;
        }
    ft_mutex_unlock(&subclass_lock);
}

static void static_subs_fini(void)
{
    for (ssize_t i = 0; i < ssubs_n; i++)
        free(ssubs[i].subs);
    free(ssubs);
    ssubs = NULL;
    ssubs_n = ssubs_cap = 0;
}

static void add_subclass(py_type *base, py_type *sub)
{
    if (!py_type_is_heap(base)) {
        static_add_subclass(base, sub);
        return;
    }
    py_heaptype *h = as_heap(base);
    ft_mutex_lock(&subclass_lock);
    if (h->nsubclasses == h->subclasses_cap) {
        ssize_t cap = h->subclasses_cap ? 2 * h->subclasses_cap : 4;
        py_heaptype **a = realloc(h->subclasses, (size_t)cap * sizeof *a);
        if (!a) {
            ft_mutex_unlock(&subclass_lock);
            return;   /* only slot propagation to it is lost */
        }
        h->subclasses = a;
        h->subclasses_cap = cap;
    }
    h->subclasses[h->nsubclasses++] = as_heap(sub);
    ft_mutex_unlock(&subclass_lock);
}

static void remove_subclass(py_type *base, py_type *sub)
{
    if (!py_type_is_heap(base)) {
        static_remove_subclass(base, sub);
        return;
    }
    py_heaptype *h = as_heap(base);
    ft_mutex_lock(&subclass_lock);
    for (ssize_t i = 0; i < h->nsubclasses; i++)
        if (h->subclasses[i] == as_heap(sub)) {
            h->subclasses[i] = h->subclasses[--h->nsubclasses];
            break;
        }
    ft_mutex_unlock(&subclass_lock);
}

static void remove_from_bases(py_type *t)
{
    ft_object *bases = t->tp_bases;
    if (!bases)
        return;
    for (ssize_t i = 0, n = ft_len(bases); i < n; i++)
        remove_subclass((py_type *)ft_tuple_get_borrow(bases, i), t);
}

bool py_type_is_subtype(py_type *a, py_type *b)
{
    if (a == b || b == &py_object_type)
        return true;
    ft_object *mro = a->tp_mro;
    if (mro) {
        ssize_t n = ft_len(mro);
        for (ssize_t i = 0; i < n; i++)
            if (ft_tuple_get_borrow(mro, i) == &b->ft.ob_base)
                return true;
        return false;
    }
    for (py_type *t = a; t; t = t->tp_base)
        if (t == b)
            return true;
    return false;
}

/* The per-thread lookup cache (typeobject.h). */
_Thread_local _py_lookup_entry _py_lookup_cache[PY_LOOKUP_CACHE_SIZE][PY_LOOKUP_WAYS]
    __attribute__((tls_model("initial-exec")));
typedef _py_lookup_entry lookup_entry;

static inline int tag_kidx(uint64_t tag) { return _py_tag_kidx(tag); }
static inline uint32_t tag_kn(uint64_t tag) { return _py_tag_kn(tag); }
static inline uint64_t make_tag(uint64_t version, int kidx, uint32_t kn)
{
    return version | (uint64_t)(kidx + 1) << 48 | (uint64_t)kn << 56;
}

static ft_object *dict_lookup_borrow(ft_object *dict, ft_object *name)
{
    ft_object *v = NULL;
    int rc = ft_dict_lookup(dict, name, &v);
    if (rc <= 0) {
        if (rc < 0)
            ft_err_clear();
        return NULL;
    }
    ft_decref(v);   /* the dict keeps it alive */
    return v;
}

static ft_object *lookup_uncached(py_type *t, ft_object *name)
{
    ft_object *mro = t->tp_mro;
    if (mro) {
        ssize_t n = ft_len(mro);
        for (ssize_t i = 0; i < n; i++) {
            py_type *k = (py_type *)ft_tuple_get_borrow(mro, i);
            if (k->tp_dict) {
                ft_object *v = dict_lookup_borrow(k->tp_dict, name);
                if (v)
                    return v;
            }
        }
        return NULL;
    }
    for (py_type *k = t; k; k = k->tp_base)
        if (k->tp_dict) {
            ft_object *v = dict_lookup_borrow(k->tp_dict, name);
            if (v)
                return v;
        }
    return NULL;
}

int _py_attr_keys_index(py_attr_keys *k, ft_object *name)
{
    uint32_t n = __atomic_load_n(&k->n, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n; i++)
        if (k->names[i] == name)
            return (int)i;
    return -1;
}

void _py_attr_keys_free(py_attr_keys *k)
{
    if (!k)
        return;
    for (uint32_t i = 0; i < k->n; i++)
        ft_decref(k->names[i]);
    free(k);
}

static void ready_forgotten(py_type *t)
{
    /* a static class its owner forgot to ready */
    ft_object *saved = py_err_fetch();
    if (py_type_ready(t) < 0)
        py_err_clear();
    py_err_restore(saved);
}

/* _py_attr_keys_index that also finds a name that is not interned (the
 * table holds interned strs): for filling the cache. */
static int attr_index_slow(py_attr_keys *k, ft_object *name)
{
    int i = _py_attr_keys_index(k, name);
    if (i >= 0 || name->ob_type != &ft_str_type || ft_str_is_interned(name))
        return i;
    uint32_t n = __atomic_load_n(&k->n, __ATOMIC_ACQUIRE);
    for (uint32_t j = 0; j < n; j++)
        if (ft_equal(k->names[j], name) == 1)
            return (int)j;
    return -1;
}

static py_attr_keys *attr_keys_of(py_type *t)
{
    return py_type_is_heap(t) ? as_heap(t)->attr_keys : NULL;
}

/* Set by _py_types_thread_fini: this thread's cache is released for good.
 * Python code can still run on the thread after that (a weakref callback
 * of an object whose count the runtime merges at thread exit, or a
 * __del__); its lookups then bypass the cache, since nobody would release
 * the names a refilled cache holds (they leaked: the leak report of
 * objects dying in another thread than their maker's). */
static _Thread_local bool lookup_cache_closed;

static lookup_entry *lookup_entry_for(py_type *t, ft_object *name)
{
    uint64_t version = __atomic_load_n(&t->tp_version, __ATOMIC_ACQUIRE);
    if (py_unlikely(!version)) {   /* not ready (or not yet published) */
        ready_forgotten(t);
        version = __atomic_load_n(&t->tp_version, __ATOMIC_ACQUIRE);
    }
    if (py_unlikely(!version || version > PY_TAG_VERSION_MASK ||
                    name->ob_type != &ft_str_type || lookup_cache_closed))
        return NULL;
    lookup_entry *e = _py_lookup_find(version, name);
    if (py_likely(e != NULL))
        return e;
    ft_object *v = lookup_uncached(t, name);
    if (__atomic_load_n(&t->tp_version, __ATOMIC_ACQUIRE) != version)
        return NULL;
    py_attr_keys *k = attr_keys_of(t);
    uint32_t kn = k ? __atomic_load_n(&k->n, __ATOMIC_ACQUIRE) : 0;
    e = _py_lookup_set(version, name);
    ft_object *old = e[1].name;   /* way 1's entry leaves, way 0's moves */
    e[1] = e[0];
    e->tag = make_tag(version, k ? attr_index_slow(k, name) : -1, kn);
    e->name = ft_newref(name);
    e->value = v;
    ft_xdecref(old);   /* a str: its dealloc runs no Python code */
    return e;
}

ft_object *py_type_lookup_borrow(py_type *t, ft_object *name)
{
    lookup_entry *e = lookup_entry_for(t, name);
    return e ? e->value : lookup_uncached(t, name);
}

ft_object *_py_type_lookup_attr_slow(py_type *t, ft_object *name, int *kidx)
{
    lookup_entry *e = lookup_entry_for(t, name);
    py_attr_keys *k = attr_keys_of(t);
    if (py_unlikely(!e)) {
        *kidx = k ? attr_index_slow(k, name) : -1;
        return lookup_uncached(t, name);
    }
    int i = tag_kidx(e->tag);
    if (i < 0 && k) {
        /* names may have been appended since */
        uint32_t n = __atomic_load_n(&k->n, __ATOMIC_ACQUIRE);
        if (n != tag_kn(e->tag)) {
            i = attr_index_slow(k, name);
            e->tag = make_tag(e->tag & PY_TAG_VERSION_MASK, i, n);
        }
    }
    *kidx = i;
    return e->value;
}

/* Clears this thread's cache, releasing the names it holds. */
static void lookup_cache_clear(void)
{
    for (size_t i = 0; i < PY_LOOKUP_CACHE_SIZE; i++)
        for (size_t w = 0; w < PY_LOOKUP_WAYS; w++) {
            lookup_entry *e = &_py_lookup_cache[i][w];
            ft_object *name = e->name;
            e->tag = 0;
            e->name = NULL;
            ft_xdecref(name);
        }
}

void _py_types_thread_fini(void)
{
    lookup_cache_clear();
    lookup_cache_closed = true;
}

/* ==== 3. Slot wrappers ====================================================== */

enum wrapper_kind {
    WK_REPR, WK_STR, WK_HASH, WK_CALL, WK_LEN, WK_GETATTRIBUTE, WK_SETATTR,
    WK_DELATTR, WK_RICHCMP, WK_BINOP, WK_RBINOP, WK_IBINOP, WK_UNARY, WK_BOOL,
    WK_GETITEM, WK_SETITEM, WK_DELITEM, WK_CONTAINS, WK_ITER, WK_NEXT, WK_GET,
    WK_SET, WK_DELETE, WK_INIT, WK_DEL,
};

typedef struct slot_wrapper {
    ft_object ob_base;
    py_type *cls;
    ft_object *name;
    int kind, op;
} slot_wrapper;

typedef struct method_wrapper {
    ft_object ob_base;
    slot_wrapper *w;
    ft_object *self;
} method_wrapper;

static int sw_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    slot_wrapper *w = (slot_wrapper *)o;
    int rc = 0;
    if (w->cls)
        rc = visit(&w->cls->ft.ob_base, arg);
    if (!rc && w->name)
        rc = visit(w->name, arg);
    return rc;
}

static int sw_clear(ft_object *o)
{
    slot_wrapper *w = (slot_wrapper *)o;
    py_type *cls = w->cls;
    ft_object *name = w->name;
    w->cls = NULL;
    w->name = NULL;
    if (cls)
        ft_decref(&cls->ft.ob_base);
    ft_xdecref(name);
    return 0;
}

static void gc_dealloc(ft_object *o)
{
    ft_gc_untrack(o);
    o->ob_type->tp_clear(o);
    ft_object_free(o);
}

ft_object *py_slot_wrapper_new(py_type *cls, ft_object *name, int kind, int op)
{
    slot_wrapper *w = (slot_wrapper *)ft_object_new(&py_slot_wrapper_class.ft,
                                                    sizeof(slot_wrapper));
    if (!w)
        return py_err_from_ft();
    w->cls = cls;
    ft_incref(&cls->ft.ob_base);
    w->name = ft_newref(name);
    w->kind = kind;
    w->op = op;
    return &w->ob_base;
}

ft_object *_py_unbox_any(ft_object *o)
{
    ft_type *t = o->ob_type;
    if (!(t->tp_flags & PY_TPFLAGS_HEAPCLASS))
        return o;
    py_type *pt = (py_type *)t;
    if (!pt->tp_boxoffset)
        return o;
    ft_object *v = *(ft_object **)((char *)o + pt->tp_boxoffset);
    return v ? v : o;
}

ft_object *py_unbox_borrow(ft_object *o, ft_type *want)
{
    if (o->ob_type == want)
        return o;
    ft_type *t = o->ob_type;
    if (!(t->tp_flags & PY_TPFLAGS_HEAPCLASS))
        return NULL;
    py_type *pt = (py_type *)t;
    if (!pt->tp_boxoffset || pt->tp_box != want)
        return NULL;
    return *(ft_object **)((char *)o + pt->tp_boxoffset);
}

/* The self a static class's slot sees: the box for classes other than
 * object (whose slots work on any object). */
static ft_object *slot_self(py_type *cls, ft_object *o)
{
    return cls == &py_object_type ? o : _py_unbox_any(o);
}

static int nargs_exact(size_t nargs, size_t want)
{
    if (nargs != want)
        return py_err_format_int(py_exc_TypeError, "expected %zu argument%s, got %zu",
                                 want, want == 1 ? "" : "s", nargs);
    return 0;
}

static ft_object *int_result(int rc)
{
    return rc < 0 ? NULL : py_bool_new(rc);
}

/* ft-level slot of cls for the (unboxed) object o. */
static ft_reprfunc repr_slot(py_type *cls, ft_object *o)
{
    return cls->ft.tp_repr ? cls->ft.tp_repr : o->ob_type->tp_repr;
}

static ft_object *call_repr_slot(py_type *cls, ft_object *o, bool str)
{
    if (str && cls->tp_str)
        return cls->tp_str(o);
    ft_reprfunc f = repr_slot(cls, o);
    if (!f)
        return py_repr(o);
    ft_object *r = f(o);
    return r ? r : (py_err_occurred() ? NULL : py_err_from_ft());
}

/* Calls the wrapped slot: args[0] is self. */
static ft_object *wrapper_call(slot_wrapper *w, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    py_type *cls = w->cls;
    const char *name = utf8(w->name);
    if (nargs < 1)
        return py_err_format(py_exc_TypeError, "descriptor '%s' of '%s' object needs an argument",
                             name, cls->ft.tp_name);
    ft_object *self = args[0];
    if (!py_isinstance_exact_or_sub(self, cls))
        return py_err_format(py_exc_TypeError,
                             "descriptor '%s' requires a '%s' object but received a '%s'",
                             name, cls->ft.tp_name, py_type_name(self));
    args++;
    nargs--;
    bool takes_kw = w->kind == WK_CALL || w->kind == WK_INIT;
    if (!takes_kw && kwnames && ft_len(kwnames) > 0)
        return py_err_format(py_exc_TypeError, "wrapper %s() takes no keyword arguments", name);
    ft_object *s = slot_self(cls, self);
    ft_object *r;
    switch (w->kind) {
    case WK_REPR:
        return nargs_exact(nargs, 0) < 0 ? NULL : call_repr_slot(cls, s, false);
    case WK_STR:
        return nargs_exact(nargs, 0) < 0 ? NULL : call_repr_slot(cls, s, true);
    case WK_HASH: {
        if (nargs_exact(nargs, 0) < 0)
            return NULL;
        ft_hashfunc h = cls->ft.tp_hash ? cls->ft.tp_hash : s->ob_type->tp_hash;
        if (!h)
            return py_err_format(py_exc_TypeError, "unhashable type: '%s'", py_type_name(self));
        int64_t v = h(s);
        if (v == -1 && (py_err_occurred() || ft_err_occurred()))
            return py_err_from_ft();
        return ft_int_from_i64(v);
    }
    case WK_CALL:
        if (cls->tp_vcall)
            return cls->tp_vcall(s, args, nargs, kwnames);
        return py_vcall(s, args, nargs, kwnames);
    case WK_LEN: {
        if (nargs_exact(nargs, 0) < 0)
            return NULL;
        ft_lenfunc f = cls->ft.tp_len ? cls->ft.tp_len : s->ob_type->tp_len;
        if (!f)
            return py_err_format(py_exc_TypeError, "object of type '%s' has no len()",
                                 py_type_name(self));
        ssize_t n = f(s);
        return n < 0 ? py_err_from_ft() : ft_int_from_i64(n);
    }
    case WK_GETATTRIBUTE:
        if (nargs_exact(nargs, 1) < 0)
            return NULL;
        if (args[0]->ob_type != &ft_str_type)
            return py_err_format(py_exc_TypeError, "attribute name must be string, not '%s'",
                                 py_type_name(args[0]));
        return cls->tp_getattro ? cls->tp_getattro(self, args[0])
                                : py_generic_getattr(self, args[0]);
    case WK_SETATTR:
    case WK_DELATTR: {
        size_t want = w->kind == WK_SETATTR ? 2 : 1;
        if (nargs_exact(nargs, want) < 0)
            return NULL;
        if (args[0]->ob_type != &ft_str_type)
            return py_err_format(py_exc_TypeError, "attribute name must be string, not '%s'",
                                 py_type_name(args[0]));
        if (py_is_type(self) && !(cls->ft.tp_flags & PY_TPFLAGS_TYPE))
            return py_err_format(py_exc_TypeError, "can't apply this %s to type object",
                                 w->kind == WK_SETATTR ? "__setattr__" : "__delattr__");
        int (*f)(ft_object *, ft_object *, ft_object *) =
            cls->tp_setattro ? cls->tp_setattro : py_generic_setattr;
        int rc = f(self, args[0], want == 2 ? args[1] : NULL);
        return rc < 0 ? NULL : ft_none();
    }
    case WK_RICHCMP:
        if (nargs_exact(nargs, 1) < 0)
            return NULL;
        if (!cls->tp_richcompare)
            return py_notimplemented();
        return cls->tp_richcompare(s, _py_unbox_any(args[0]), w->op);
    case WK_BINOP:
    case WK_RBINOP:
    case WK_IBINOP: {
        if (nargs_exact(nargs, 1) < 0)
            return NULL;
        if (!cls->tp_binop)
            return py_notimplemented();
        ft_object *other = cls == &py_object_type ? args[0] : _py_unbox_any(args[0]);
        if (w->kind == WK_BINOP)
            r = cls->tp_binop(s, other, w->op);
        else if (w->kind == WK_RBINOP)
            r = cls->tp_binop(other, s, w->op);
        else
            r = cls->tp_binop(s, other, w->op | PY_OP_INPLACE);
        if (r == s && s != self) {   /* in place on the box: give back self */
            ft_decref(r);
            r = ft_newref(self);
        }
        return r;
    }
    case WK_UNARY:
        if (nargs_exact(nargs, 0) < 0)
            return NULL;
        return cls->tp_unaryop ? cls->tp_unaryop(s, w->op) : py_notimplemented();
    case WK_BOOL:
        if (nargs_exact(nargs, 0) < 0)
            return NULL;
        return int_result(cls->tp_bool ? cls->tp_bool(s) : 1);
    case WK_GETITEM:
        if (nargs_exact(nargs, 1) < 0)
            return NULL;
        r = cls->tp_getitem(s, args[0]);
        if (!r && s != self && (cls->ft.tp_flags & PY_TPFLAGS_DICT) &&
            py_err_matches(py_exc_KeyError)) {
            /* dict subclasses: d[k] calls __missing__ (the box cannot) */
            ft_object *m = py_type_lookup_borrow(py_type_of(self), PY_ID(__missing__));
            if (m) {
                py_err_clear();
                ft_incref(m);
                r = _py_call_bound(m, self, args, 1, NULL);
                ft_decref(m);
            }
        }
        return r;
    case WK_SETITEM:
        if (nargs_exact(nargs, 2) < 0)
            return NULL;
        return cls->tp_setitem(s, args[0], args[1]) < 0 ? NULL : ft_none();
    case WK_DELITEM:
        if (nargs_exact(nargs, 1) < 0)
            return NULL;
        return cls->tp_setitem(s, args[0], NULL) < 0 ? NULL : ft_none();
    case WK_CONTAINS:
        if (nargs_exact(nargs, 1) < 0)
            return NULL;
        return int_result(cls->tp_contains(s, args[0]));
    case WK_ITER:
        if (nargs_exact(nargs, 0) < 0)
            return NULL;
        return cls->tp_iter(s);
    case WK_NEXT:
        if (nargs_exact(nargs, 0) < 0)
            return NULL;
        r = cls->tp_iternext(s);
        if (!r && !py_err_occurred())
            py_err_set_object(&py_exc_StopIteration->ft.ob_base);
        return r;
    case WK_GET: {
        if (nargs < 1 || nargs > 2)
            return py_err_format(py_exc_TypeError, "expected 1 or 2 arguments, got %zu", nargs);
        ft_object *obj = args[0] == ft_none() ? NULL : args[0];
        ft_object *type = nargs > 1 && args[1] != ft_none() ? args[1] : NULL;
        if (!obj && !type)
            return py_err_format(py_exc_TypeError, "__get__(None, None) is invalid");
        return cls->tp_descr_get(self, obj, type);
    }
    case WK_SET:
        if (nargs_exact(nargs, 2) < 0)
            return NULL;
        return cls->tp_descr_set(self, args[0], args[1]) < 0 ? NULL : ft_none();
    case WK_DELETE:
        if (nargs_exact(nargs, 1) < 0)
            return NULL;
        return cls->tp_descr_set(self, args[0], NULL) < 0 ? NULL : ft_none();
    case WK_INIT:
        return cls->tp_init(s, args, nargs, kwnames) < 0 ? NULL : ft_none();
    case WK_DEL:
        if (nargs_exact(nargs, 0) < 0)
            return NULL;
        cls->ft.tp_finalize(s);
        return py_err_occurred() ? NULL : ft_none();
    }
    return py_err_format(py_exc_SystemError, "bad slot wrapper");
}

static ft_object *sw_vcall(ft_object *o, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    return wrapper_call((slot_wrapper *)o, args, nargs, kwnames);
}


static ft_object *sw_get(ft_object *o, ft_object *obj, ft_object *type)
{
    (void)type;
    slot_wrapper *w = (slot_wrapper *)o;
    if (!obj)
        return ft_newref(o);
    if (!py_isinstance_exact_or_sub(obj, w->cls))
        return py_err_format(py_exc_TypeError,
                             "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                             utf8(w->name), w->cls->ft.tp_name, py_type_name(obj));
    method_wrapper *m = (method_wrapper *)ft_object_new(&py_method_wrapper_class.ft,
                                                        sizeof(method_wrapper));
    if (!m)
        return py_err_from_ft();
    m->w = w;
    ft_incref(o);
    m->self = ft_newref(obj);
    return &m->ob_base;
}

static ft_object *sw_repr(ft_object *o)
{
    slot_wrapper *w = (slot_wrapper *)o;
    return py_str_from_format("<slot wrapper '%s' of '%s' objects>", utf8(w->name),
                              w->cls ? w->cls->ft.tp_name : "?");
}

static ft_object *sw_get_name(ft_object *o) { return ft_newref(((slot_wrapper *)o)->name); }
static ft_object *sw_get_qualname(ft_object *o)
{
    slot_wrapper *w = (slot_wrapper *)o;
    return py_str_from_format("%s.%s", py_type_qualname_utf8(w->cls), utf8(w->name));
}
static ft_object *sw_get_objclass(ft_object *o)
{
    return ft_newref(&((slot_wrapper *)o)->cls->ft.ob_base);
}
static ft_object *get_none(ft_object *o) { (void)o; return ft_none(); }

static const py_getset_def sw_getset[] = {
    { "__name__", sw_get_name, NULL },
    { "__qualname__", sw_get_qualname, NULL },
    { "__objclass__", sw_get_objclass, NULL },
    { "__doc__", get_none, NULL },
    { NULL, NULL, NULL },
};

py_type py_slot_wrapper_class = {
    .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft), .tp_name = "wrapper_descriptor",
            .tp_basicsize = sizeof(slot_wrapper),
            .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC | PY_TPFLAGS_METHOD_DESCRIPTOR,
            .tp_dealloc = gc_dealloc, .tp_traverse = sw_traverse, .tp_clear = sw_clear,
            .tp_repr = sw_repr },
    .tp_descr_get = sw_get,
    .tp_vcall = sw_vcall,
    .tp_getset = sw_getset,
};

static int mw_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    method_wrapper *m = (method_wrapper *)o;
    int rc = 0;
    if (m->w)
        rc = visit(&m->w->ob_base, arg);
    if (!rc && m->self)
        rc = visit(m->self, arg);
    return rc;
}

static int mw_clear(ft_object *o)
{
    method_wrapper *m = (method_wrapper *)o;
    slot_wrapper *w = m->w;
    ft_object *self = m->self;
    m->w = NULL;
    m->self = NULL;
    if (w)
        ft_decref(&w->ob_base);
    ft_xdecref(self);
    return 0;
}

static ft_object *mw_vcall(ft_object *o, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    method_wrapper *m = (method_wrapper *)o;
    size_t total = nargs + (kwnames ? (size_t)ft_len(kwnames) : 0);
    ft_object *small[8], **buf = total + 1 <= 8 ? small : malloc((total + 1) * sizeof *buf);
    if (!buf)
        return py_err_nomemory();
    buf[0] = m->self;
    memcpy(buf + 1, args, total * sizeof *buf);
    ft_object *r = wrapper_call(m->w, buf, nargs + 1, kwnames);
    if (buf != small)
        free(buf);
    return r;
}

static ft_object *mw_repr(ft_object *o)
{
    method_wrapper *m = (method_wrapper *)o;
    return py_str_from_format("<method-wrapper '%s' of %s object at %p>", utf8(m->w->name),
                              py_type_name(m->self), (void *)m->self);
}

static ft_object *mw_get_name(ft_object *o) { return ft_newref(((method_wrapper *)o)->w->name); }
static ft_object *mw_get_self(ft_object *o) { return ft_newref(((method_wrapper *)o)->self); }

static const py_getset_def mw_getset[] = {
    { "__name__", mw_get_name, NULL },
    { "__self__", mw_get_self, NULL },
    { "__doc__", get_none, NULL },
    { NULL, NULL, NULL },
};

static ft_object *mw_richcompare(ft_object *a, ft_object *b, int op)
{
    if ((op != PY_EQ && op != PY_NE) || py_type_of(a) != &py_method_wrapper_class ||
        py_type_of(b) != &py_method_wrapper_class)
        return py_notimplemented();
    method_wrapper *x = (method_wrapper *)a, *y = (method_wrapper *)b;
    bool eq = x->w == y->w && x->self == y->self;
    return py_bool_new(op == PY_EQ ? eq : !eq);
}

py_type py_method_wrapper_class = {
    .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft), .tp_name = "method-wrapper",
            .tp_basicsize = sizeof(method_wrapper),
            .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC,
            .tp_dealloc = gc_dealloc, .tp_traverse = mw_traverse, .tp_clear = mw_clear,
            .tp_repr = mw_repr },
    .tp_vcall = mw_vcall,
    .tp_richcompare = mw_richcompare,
    .tp_getset = mw_getset,
};

/* ==== 4. object ============================================================== */

static ft_object *object_new(py_type *cls, ft_object *const *args, size_t nargs,
                             ft_object *kwnames);
static int object_init(ft_object *self, ft_object *const *args, size_t nargs,
                       ft_object *kwnames);

static bool excess_args(size_t nargs, ft_object *kwnames)
{
    return nargs > 0 || (kwnames && ft_len(kwnames) > 0);
}

static ft_object *object_new(py_type *cls, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)args;
    if (excess_args(nargs, kwnames)) {
        if (cls->tp_new != object_new)
            return py_err_format(py_exc_TypeError,
                                 "object.__new__() takes exactly one argument (the type to "
                                 "instantiate)");
        if (cls->tp_init == object_init)
            return py_err_format(py_exc_TypeError, "%s() takes no arguments", cls->ft.tp_name);
    }
    return py_instance_alloc(cls);
}

static int object_init(ft_object *self, ft_object *const *args, size_t nargs,
                       ft_object *kwnames)
{
    (void)args;
    if (excess_args(nargs, kwnames)) {
        py_type *t = py_type_of(self);
        if (t->tp_init != object_init)
            return py_err_format_int(py_exc_TypeError,
                                     "object.__init__() takes exactly one argument (the "
                                     "instance to initialize)");
        if (t->tp_new == object_new)
            return py_err_format_int(py_exc_TypeError, "%s() takes no arguments",
                                     t->ft.tp_name);
    }
    return 0;
}

static void object_dealloc(ft_object *o) { ft_object_free(o); }

static ft_object *object_repr(ft_object *o)
{
    py_type *t = py_type_of(o);
    ft_object *mod = py_type_module(t);
    if (!mod)
        return NULL;
    ft_object *r;
    const char *m = utf8(mod);
    if (mod->ob_type == &ft_str_type && strcmp(m, "builtins") != 0)
        r = py_str_from_format("<%s.%s object at %p>", m, py_type_qualname_utf8(t), (void *)o);
    else
        r = py_str_from_format("<%s object at %p>", t->ft.tp_name, (void *)o);
    ft_decref(mod);
    return r;
}

static ft_object *object_str(ft_object *o)
{
    return py_repr(o);
}

/* object's comparisons: == is identity, != inverts the class's ==. */
static ft_object *object_richcompare(ft_object *a, ft_object *b, int op)
{
    switch (op) {
    case PY_EQ:
        return a == b ? ft_newref(ft_true()) : py_notimplemented();
    case PY_NE: {
        py_type *t = py_type_of(a);
        if (t->tp_richcompare == object_richcompare)
            return a == b ? ft_newref(ft_false()) : py_notimplemented();
        ft_object *eq = NULL;
        ft_object *f = py_type_lookup_borrow(t, PY_ID(__eq__));
        if (f && py_type_is_heap(t)) {
            ft_incref(f);
            eq = _py_call_bound(f, a, &b, 1, NULL);
            ft_decref(f);
        } else {
            eq = t->tp_richcompare(a, b, PY_EQ);
        }
        if (!eq || py_is_notimplemented(eq))
            return eq;
        int truth = py_is_true(eq);
        ft_decref(eq);
        return truth < 0 ? NULL : py_bool_new(!truth);
    }
    default:
        return py_notimplemented();
    }
}

static ft_object *object_get_class(ft_object *o) { return py_type_new_ref(o); }

/* __class__ assignment between heap classes of the same layout. */
static int object_set_class(ft_object *o, ft_object *v)
{
    if (!v)
        return py_err_format_int(py_exc_TypeError, "can't delete __class__ attribute");
    if (!py_is_type(v))
        return py_err_format_int(py_exc_TypeError,
                                 "__class__ must be set to a class, not '%s' object",
                                 py_type_name(v));
    py_type *old = py_type_of(o), *nt = (py_type *)v;
    if (!py_type_is_heap(old) || !py_type_is_heap(nt))
        return py_err_format_int(py_exc_TypeError,
                                 "__class__ assignment only supported for mutable types or "
                                 "ModuleType subclasses");
    if (old->ft.tp_basicsize != nt->ft.tp_basicsize ||
        old->tp_dictoffset != nt->tp_dictoffset ||
        old->ft.tp_weaklistoffset != nt->ft.tp_weaklistoffset ||
        old->tp_boxoffset != nt->tp_boxoffset || old->tp_box != nt->tp_box ||
        as_heap(old)->static_base != as_heap(nt)->static_base ||
        (old->tp_nslots || nt->tp_nslots))
        return py_err_format_int(py_exc_TypeError,
                                 "__class__ assignment: '%s' object layout differs from '%s'",
                                 nt->ft.tp_name, old->ft.tp_name);
    /* the inline values are laid out by the old class's names */
    if (_py_instance_materialize_dict(o) < 0)
        return -1;
    ft_incref(v);
    o->ob_type = &nt->ft;
    ft_decref(&old->ft.ob_base);
    return 0;
}

static ft_object *object_format(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    if (py_no_kwargs("__format__", kwnames) < 0 || py_check_nargs("__format__", nargs, 1, 1) < 0)
        return NULL;
    ft_object *spec = args[0];
    if (spec->ob_type != &ft_str_type)
        return py_err_format(py_exc_TypeError, "__format__() argument must be str, not %s",
                             py_type_name(spec));
    if (ft_len(spec) > 0)
        return py_err_format(py_exc_TypeError, "unsupported format string passed to %s.__format__",
                             py_type_name(self));
    return py_str(self);
}

static ft_object *object_sizeof(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("__sizeof__", kwnames) < 0 || py_check_nargs("__sizeof__", nargs, 0, 0) < 0)
        return NULL;
    return ft_int_from_i64((int64_t)ft_sizeof(self));
}

/* Adds the keys of d (a dict) to the set s. */
static int merge_keys(ft_object *s, ft_object *d)
{
    ssize_t pos = 0;
    ft_object *k;
    while (ft_dict_next(d, &pos, &k, NULL) == 1)
        if (ft_set_add(s, k) < 0)
            return py_err_from_ft_int();
    return 0;
}

static int merge_class_dict(ft_object *s, py_type *t)
{
    ft_object *mro = t->tp_mro;
    ssize_t n = mro ? ft_len(mro) : 0;
    for (ssize_t i = 0; i < n; i++) {
        py_type *k = (py_type *)ft_tuple_get_borrow(mro, i);
        if (k->tp_dict && merge_keys(s, k->tp_dict) < 0)
            return -1;
    }
    return 0;
}

static ft_object *object_dir(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("__dir__", kwnames) < 0 || py_check_nargs("__dir__", nargs, 0, 0) < 0)
        return NULL;
    ft_object *s = ft_set_new();
    if (!s)
        return py_err_from_ft();
    ft_object *d = py_instance_dict_borrow(self, false);
    if ((d && merge_keys(s, d) < 0) || merge_class_dict(s, py_type_of(self)) < 0) {
        ft_decref(s);
        return NULL;
    }
    ft_object *l = py_sequence_list(s);
    ft_decref(s);
    return l;
}

static ft_object *object_init_subclass(ft_object *self, ft_object *const *args, size_t nargs,
                                       ft_object *kwnames)
{
    (void)self; (void)args;
    if (nargs > 0)
        return py_err_format(py_exc_TypeError,
                             "__init_subclass__() takes 0 positional arguments but %zu were given",
                             nargs);
    if (kwnames && ft_len(kwnames) > 0)
        return py_err_format(py_exc_TypeError,
                             "%s.__init_subclass__() takes no keyword arguments",
                             py_is_type(self) ? ((py_type *)self)->ft.tp_name : "object");
    return ft_none();
}

static ft_object *object_subclasshook(ft_object *self, ft_object *const *args, size_t nargs,
                                      ft_object *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return py_notimplemented();
}

static ft_object *object_reduce_ex(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return py_err_format(py_exc_TypeError, "cannot pickle '%s' object", py_type_name(self));
}

static const py_method_def object_methods[] = {
    { "__format__", object_format, PY_METH_DEFAULT },
    { "__sizeof__", object_sizeof, PY_METH_DEFAULT },
    { "__dir__", object_dir, PY_METH_DEFAULT },
    { "__init_subclass__", object_init_subclass, PY_METH_CLASS },
    { "__subclasshook__", object_subclasshook, PY_METH_CLASS },
    { "__reduce_ex__", object_reduce_ex, PY_METH_DEFAULT },
    { "__reduce__", object_reduce_ex, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

static const py_getset_def object_getset[] = {
    { "__class__", object_get_class, object_set_class },
    { NULL, NULL, NULL },
};

py_type py_object_type = {
    .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft), .tp_name = "object",
            .tp_basicsize = sizeof(ft_object),
            .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE,
            .tp_dealloc = object_dealloc, .tp_hash = _py_identity_hash,
            .tp_repr = object_repr },
    .tp_str = object_str,
    .tp_getattro = py_generic_getattr,
    .tp_setattro = py_generic_setattr,
    .tp_richcompare = object_richcompare,
    .tp_new = object_new,
    .tp_init = object_init,
    .tp_methods = object_methods,
    .tp_getset = object_getset,
};

/* ==== 5. py_type_ready ======================================================= */

/* Readying is thread-safe by one lock: static classes are readied
 * lazily (on first lookup, py_class_of, a module's init), so two threads
 * may ready the same class, or classes sharing a base, at once. Readying
 * runs under ready_mutex, re-entrant for its holder (readying a class
 * readies its bases and the classes of the descriptors it makes). The
 * READY flag, set first, is only the holder's guard against readying a
 * class twice; what tells other threads that a class is complete is its
 * version, stored last with release order (a ready class always has a
 * version != 0). py_type_ready's fast path loads it with acquire: a
 * thread that sees it sees every field readying wrote. A thread that sees
 * 0 takes the lock, and finds the class readied by the time it has it.
 * Readying allocates and may run the collector but no Python code; the
 * lock is an ft_mutex, so a waiter detaches and never delays a
 * stop-the-world. ready_list (for py_types_fini) is guarded by it. */
static ft_mutex ready_mutex = FT_MUTEX_INIT;
static _Atomic uint64_t xready_holder;  /* ft_thread_id of the holder, or 0 */
static unsigned ready_depth;            /* the holder's nesting             */

/* Static classes readied, for py_types_fini. */
static py_type **ready_list;
static size_t ready_n, ready_cap;

static void remember_ready(py_type *t)
{
    if (ready_n == ready_cap) {
        size_t cap = ready_cap ? 2 * ready_cap : 64;
        py_type **a = realloc(ready_list, cap * sizeof *a);
        if (!a)
            return;
        ready_list = a;
        ready_cap = cap;
    }
    ready_list[ready_n++] = t;
}

static py_type generic_alias_class, union_class;

/* One binary operator's dunders. */
static const struct { int op; const char *name, *rname, *iname; } binop_names[PY_OP__COUNT] = {
    { PY_OP_ADD, "__add__", "__radd__", "__iadd__" },
    { PY_OP_SUB, "__sub__", "__rsub__", "__isub__" },
    { PY_OP_MUL, "__mul__", "__rmul__", "__imul__" },
    { PY_OP_MATMUL, "__matmul__", "__rmatmul__", "__imatmul__" },
    { PY_OP_TRUEDIV, "__truediv__", "__rtruediv__", "__itruediv__" },
    { PY_OP_FLOORDIV, "__floordiv__", "__rfloordiv__", "__ifloordiv__" },
    { PY_OP_MOD, "__mod__", "__rmod__", "__imod__" },
    { PY_OP_POW, "__pow__", "__rpow__", "__ipow__" },
    { PY_OP_LSHIFT, "__lshift__", "__rlshift__", "__ilshift__" },
    { PY_OP_RSHIFT, "__rshift__", "__rrshift__", "__irshift__" },
    { PY_OP_AND, "__and__", "__rand__", "__iand__" },
    { PY_OP_OR, "__or__", "__ror__", "__ior__" },
    { PY_OP_XOR, "__xor__", "__rxor__", "__ixor__" },
};
static const char *const cmp_names[6] = { "__lt__", "__le__", "__eq__", "__ne__", "__gt__",
                                          "__ge__" };
static const char *const unary_names[3] = { "__neg__", "__pos__", "__invert__" };

/* Interned dunder names, made at init. */
static ft_object *binop_ids[PY_OP__COUNT][3];
static ft_object *cmp_ids[6];
static ft_object *unary_ids[3];

#define OPBIT(op) (1u << (op))
#define ARITH (OPBIT(PY_OP_ADD) | OPBIT(PY_OP_SUB) | OPBIT(PY_OP_MUL) | \
               OPBIT(PY_OP_TRUEDIV) | OPBIT(PY_OP_FLOORDIV) | OPBIT(PY_OP_MOD) | \
               OPBIT(PY_OP_POW))
#define BITS (OPBIT(PY_OP_LSHIFT) | OPBIT(PY_OP_RSHIFT) | OPBIT(PY_OP_AND) | \
              OPBIT(PY_OP_OR) | OPBIT(PY_OP_XOR))
#define SETOPS (OPBIT(PY_OP_SUB) | OPBIT(PY_OP_AND) | OPBIT(PY_OP_OR) | OPBIT(PY_OP_XOR))

/* Which operators a built-in class supports (forward+reflected mask,
 * in-place mask); other classes with tp_binop get every operator. */
static void binop_masks(py_type *t, uint32_t *fwd, uint32_t *inpl)
{
    *inpl = 0;
    if (t == &py_type_type || t == &union_class || t == &generic_alias_class)
        *fwd = OPBIT(PY_OP_OR);
    else if (t == &py_int_class || t == &py_bool_class)
        *fwd = ARITH | BITS;
    else if (t == &py_float_class)
        *fwd = ARITH;
    else if (t == &py_str_class || t == &py_bytes_class)
        *fwd = OPBIT(PY_OP_ADD) | OPBIT(PY_OP_MUL) | OPBIT(PY_OP_MOD);
    else if (t == &py_tuple_class)
        *fwd = OPBIT(PY_OP_ADD) | OPBIT(PY_OP_MUL);
    else if (t == &py_list_class) {
        *fwd = OPBIT(PY_OP_ADD) | OPBIT(PY_OP_MUL);
        *inpl = *fwd;
    } else if (t == &py_dict_class) {
        *fwd = OPBIT(PY_OP_OR);
        *inpl = *fwd;
    } else if (t == &py_set_class) {
        *fwd = SETOPS;
        *inpl = SETOPS;
    } else if (t == &py_frozenset_class)
        *fwd = SETOPS;
    else
        *fwd = ARITH | BITS | OPBIT(PY_OP_MATMUL);
}

static int dict_set_new(ft_object *dict, ft_object *key, ft_object *v_steal)
{
    if (!v_steal)
        return -1;
    ft_object *old = NULL;
    int rc = ft_dict_lookup(dict, key, &old);
    if (rc != 0) {
        ft_xdecref(old);
        ft_decref(v_steal);
        return rc < 0 ? py_err_from_ft_int() : 0;   /* keep an explicit entry */
    }
    rc = ft_dict_set(dict, key, v_steal);
    ft_decref(v_steal);
    return rc < 0 ? py_err_from_ft_int() : 0;
}

static int add_wrapper(py_type *t, ft_object *name, int kind, int op)
{
    return dict_set_new(t->tp_dict, name, py_slot_wrapper_new(t, name, kind, op));
}

static ft_object *tp_new_wrapper(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames);
static const py_method_def tp_new_def = { "__new__", tp_new_wrapper, PY_METH_DEFAULT };

/* Slot wrappers for the slots t defines itself (before inheriting). */
static int add_operators(py_type *t)
{
    int rc = 0;
#define W(cond, id, kind, op) \
    if (!rc && (cond)) rc = add_wrapper(t, PY_ID(id), kind, op)
    W(t->ft.tp_repr, __repr__, WK_REPR, 0);
    W(t->tp_str, __str__, WK_STR, 0);
    W(t->ft.tp_hash, __hash__, WK_HASH, 0);
    W(t->tp_vcall, __call__, WK_CALL, 0);
    W(t->ft.tp_len, __len__, WK_LEN, 0);
    W(t->tp_getattro, __getattribute__, WK_GETATTRIBUTE, 0);
    W(t->tp_setattro, __setattr__, WK_SETATTR, 0);
    W(t->tp_setattro, __delattr__, WK_DELATTR, 0);
    W(t->tp_bool, __bool__, WK_BOOL, 0);
    W(t->tp_getitem, __getitem__, WK_GETITEM, 0);
    W(t->tp_setitem, __setitem__, WK_SETITEM, 0);
    W(t->tp_setitem, __delitem__, WK_DELITEM, 0);
    W(t->tp_contains, __contains__, WK_CONTAINS, 0);
    W(t->tp_iter, __iter__, WK_ITER, 0);
    W(t->tp_iternext, __next__, WK_NEXT, 0);
    W(t->tp_descr_get, __get__, WK_GET, 0);
    W(t->tp_descr_set, __set__, WK_SET, 0);
    W(t->tp_descr_set, __delete__, WK_DELETE, 0);
    W(t->tp_init, __init__, WK_INIT, 0);
    W(t->ft.tp_finalize, __del__, WK_DEL, 0);
#undef W
    for (int i = 0; !rc && t->tp_richcompare && i < 6; i++)
        rc = add_wrapper(t, cmp_ids[i], WK_RICHCMP, i);
    for (int i = 0; !rc && t->tp_unaryop && i < 3; i++)
        if (t != &py_float_class || i != PY_UNARY_INVERT)
            rc = add_wrapper(t, unary_ids[i], WK_UNARY, i);
    if (!rc && t->tp_binop) {
        uint32_t fwd, inpl;
        binop_masks(t, &fwd, &inpl);
        for (int op = 0; !rc && op < PY_OP__COUNT; op++) {
            if (fwd & OPBIT(op)) {
                rc = add_wrapper(t, binop_ids[op][0], WK_BINOP, op);
                if (!rc)
                    rc = add_wrapper(t, binop_ids[op][1], WK_RBINOP, op);
            }
            if (!rc && (inpl & OPBIT(op)))
                rc = add_wrapper(t, binop_ids[op][2], WK_IBINOP, op);
        }
    }
    if (!rc && t->tp_new)
        rc = dict_set_new(t->tp_dict, PY_ID(__new__), py_cfunction_new(&tp_new_def, &t->ft.ob_base));
    return rc;
}

static int add_methods(py_type *t)
{
    for (const py_method_def *m = t->tp_methods; m && m->name; m++) {
        ft_object *name = _py_str(m->name);
        if (!name)
            return -1;
        ft_object *d = py_method_descr_new(t, m);
        int rc = d ? ft_dict_set(t->tp_dict, name, d) : -1;
        ft_decref(name);
        ft_xdecref(d);
        if (rc < 0)
            return d ? py_err_from_ft_int() : -1;
    }
    for (const py_getset_def *g = t->tp_getset; g && g->name; g++) {
        ft_object *name = _py_str(g->name);
        if (!name)
            return -1;
        ft_object *d = py_getset_descr_new(t, g);
        int rc = d ? ft_dict_set(t->tp_dict, name, d) : -1;
        ft_decref(name);
        ft_xdecref(d);
        if (rc < 0)
            return d ? py_err_from_ft_int() : -1;
    }
    return 0;
}

static void inherit_flags(py_type *t, py_type *base)
{
    t->ft.tp_flags |= base->ft.tp_flags &
                      (PY_TPFLAGS_EXC | PY_TPFLAGS_INT | PY_TPFLAGS_STR | PY_TPFLAGS_TUPLE |
                       PY_TPFLAGS_LIST | PY_TPFLAGS_DICT | PY_TPFLAGS_TYPE);
}

static int generic_ft_eq(ft_object *a, ft_object *b)
{
    return py_richcompare_bool(a, b, PY_EQ);
}

#define INHERIT(field) if (!t->field) t->field = base->field
static void inherit_slots(py_type *t, py_type *base, ft_type *fty)
{
    /* ft-level slots: a class of runtime objects takes them from its ft type */
    if (fty) {
        if (!t->ft.tp_repr) t->ft.tp_repr = fty->tp_repr;
        if (!t->ft.tp_len) t->ft.tp_len = fty->tp_len;
        if (!t->ft.tp_hash) t->ft.tp_hash = fty->tp_hash;
        if (!t->ft.tp_eq) t->ft.tp_eq = fty->tp_eq;
    }
    INHERIT(ft.tp_repr);
    if (!fty && !t->ft.tp_hash && !t->tp_richcompare)
        t->ft.tp_hash = base->ft.tp_hash;
    if (!fty && !t->ft.tp_eq && !t->tp_richcompare)
        t->ft.tp_eq = base->ft.tp_eq;
    if (!fty && !t->ft.tp_eq && t->tp_richcompare)
        t->ft.tp_eq = generic_ft_eq;
    INHERIT(ft.tp_len);
    INHERIT(tp_str);
    INHERIT(tp_getattro);
    INHERIT(tp_setattro);
    INHERIT(tp_binop);
    INHERIT(tp_richcompare);
    INHERIT(tp_unaryop);
    INHERIT(tp_bool);
    INHERIT(tp_getitem);
    INHERIT(tp_setitem);
    INHERIT(tp_contains);
    INHERIT(tp_iter);
    INHERIT(tp_iternext);
    INHERIT(tp_descr_get);
    INHERIT(tp_descr_set);
    /* a static class straight from object without tp_new cannot be
     * instantiated (CPython's Py_TPFLAGS_DISALLOW_INSTANTIATION) */
    if (!t->tp_new && base != &py_object_type)
        t->tp_new = base->tp_new;
    INHERIT(tp_init);
    INHERIT(tp_vcall);
    INHERIT(tp_dictoffset);
    INHERIT(ft.tp_weaklistoffset);
    if (!t->ft.tp_call && t->tp_vcall)
        t->ft.tp_call = _py_ft_call_adapter;
}
#undef INHERIT

static ft_object *mro_of_single(py_type *t, py_type *base)
{
    ssize_t nb = base && base->tp_mro ? ft_len(base->tp_mro) : 0;
    ft_object *mro = ft_tuple_new(nb + 1);
    if (!mro)
        return py_err_from_ft();
    ft_tuple_set_steal(mro, 0, ft_newref(&t->ft.ob_base));
    for (ssize_t i = 0; i < nb; i++)
        ft_tuple_set_steal(mro, i + 1, ft_newref(ft_tuple_get_borrow(base->tp_mro, i)));
    return mro;
}

static ft_object *type_mro_c3(py_type *t, ft_object *bases);

static int type_ready_locked(py_type *t);

int py_type_ready(py_type *t)
{
    /* acquire: pairs with the release store of the version that ends
     * type_ready_locked (see ready_mutex). */
    if (py_likely(__atomic_load_n(&t->tp_version, __ATOMIC_ACQUIRE) != 0))
        return 0;
    /* relaxed: only this thread ever stores its own id there, so reading
     * it back means we hold the lock; any other value means we do not. */
    uint64_t me = ft_thread_id();
    bool held = me != 0 && ft_atomic_load_relaxed(&xready_holder) == me;
    if (!held) {
        ft_mutex_lock(&ready_mutex);
        ft_atomic_store_relaxed(&xready_holder, me);
    }
    ready_depth++;
    /* READY without a version: the holder is readying t further up its
     * stack (or readying t failed once): as before, not again. */
    int rc = t->ft.tp_flags & PY_TPFLAGS_READY ? 0 : type_ready_locked(t);
    if (--ready_depth == 0) {
        ft_atomic_store_relaxed(&xready_holder, 0);
        ft_mutex_unlock(&ready_mutex);
    }
    return rc;
}

static int type_ready_locked(py_type *t)
{
    t->ft.tp_flags |= PY_TPFLAGS_READY | PY_TPFLAGS_PYTYPE;
    py_type *base = t->tp_base;
    if (!base && t != &py_object_type)
        base = t->tp_base = &py_object_type;
    if (base && py_type_ready(base) < 0)
        return -1;
    if (!t->tp_bases) {
        t->tp_bases = ft_tuple_new(base ? 1 : 0);
        if (!t->tp_bases)
            return py_err_from_ft_int();
        if (base)
            ft_tuple_set_steal(t->tp_bases, 0, ft_newref(&base->ft.ob_base));
    }
    for (ssize_t i = 0, n = ft_len(t->tp_bases); i < n; i++) {
        py_type *b = (py_type *)ft_tuple_get_borrow(t->tp_bases, i);
        if (py_type_ready(b) < 0)
            return -1;
        static_add_subclass(b, t);
    }
    if (!t->tp_dict && !(t->tp_dict = ft_dict_new()))
        return py_err_from_ft_int();
    remember_ready(t);
    if (!t->tp_mro) {
        t->tp_mro = ft_len(t->tp_bases) > 1 ? type_mro_c3(t, t->tp_bases)
                                            : mro_of_single(t, base);
        if (!t->tp_mro)
            return -1;
    }
    if (!t->tp_name_obj) {
        const char *dot = strrchr(t->ft.tp_name, '.');
        t->tp_name_obj = _py_str(dot ? dot + 1 : t->ft.tp_name);
        if (!t->tp_name_obj)
            return -1;
    }
    if (!t->tp_qualname)
        t->tp_qualname = ft_newref(t->tp_name_obj);
    if (base)
        inherit_flags(t, base);
    if (t == &py_type_type)
        t->ft.tp_flags |= PY_TPFLAGS_TYPE;
    ft_type *fty = py_class_ft_type(t);
    if (add_operators(t) < 0 || add_methods(t) < 0)
        return -1;
    if (base)
        inherit_slots(t, base, fty);
    if (!t->ft.tp_call && t->tp_vcall)
        t->ft.tp_call = _py_ft_call_adapter;
    /* An unhashable class says so: __hash__ = None. */
    ft_object *h = NULL;
    int rc = ft_dict_lookup(t->tp_dict, PY_ID(__hash__), &h);
    ft_xdecref(h);
    if (rc == 0 && !t->ft.tp_hash && ft_dict_set(t->tp_dict, PY_ID(__hash__), ft_none()) < 0)
        return py_err_from_ft_int();
    if (dict_set_new(t->tp_dict, PY_ID(__doc__), ft_newref(ft_none())) < 0)
        return -1;
    /* release: publishes the class (see ready_mutex) */
    __atomic_store_n(&t->tp_version, new_version(), __ATOMIC_RELEASE);
    return 0;
}

/* ==== 6. Heap classes ======================================================== */

static ft_object *type_vcall(ft_object *callable, ft_object *const *args, size_t nargs,
                             ft_object *kwnames);
static ft_object *type_new(py_type *meta, ft_object *const *args, size_t nargs,
                           ft_object *kwnames);

/* C3 linearisation of t with these bases. */
static ft_object *type_mro_c3(py_type *t, ft_object *bases)
{
    ssize_t nb = ft_len(bases);
    /* to_merge: the MRO of each base, then the bases list */
    ssize_t nseq = nb + 1;
    ft_object **seqs = calloc((size_t)nseq, sizeof *seqs);
    ssize_t *pos = calloc((size_t)nseq, sizeof *pos);
    ft_object *result = ft_list_new(0);
    if (!seqs || !pos || !result) {
        free(seqs);
        free(pos);
        ft_xdecref(result);
        return py_err_nomemory();
    }
    for (ssize_t i = 0; i < nb; i++) {
        py_type *b = (py_type *)ft_tuple_get_borrow(bases, i);
        seqs[i] = b->tp_mro;
    }
    seqs[nb] = bases;
    if (ft_list_append(result, &t->ft.ob_base) < 0)
        goto fail_ft;
    for (;;) {
        bool empty = true;
        for (ssize_t i = 0; i < nseq; i++)
            if (seqs[i] && pos[i] < ft_len(seqs[i]))
                empty = false;
        if (empty)
            break;
        ft_object *cand = NULL;
        for (ssize_t i = 0; i < nseq && !cand; i++) {
            if (!seqs[i] || pos[i] >= ft_len(seqs[i]))
                continue;
            ft_object *c = ft_tuple_get_borrow(seqs[i], pos[i]);
            bool in_tail = false;
            for (ssize_t j = 0; j < nseq && !in_tail; j++) {
                if (!seqs[j])
                    continue;
                for (ssize_t k = pos[j] + 1; k < ft_len(seqs[j]); k++)
                    if (ft_tuple_get_borrow(seqs[j], k) == c) {
                        in_tail = true;
                        break;
                    }
            }
            if (!in_tail)
                cand = c;
        }
        if (!cand) {
            /* "Cannot create a consistent method resolution order (MRO) for
             * bases A, B": the heads that remain, without repeats */
            char buf[1024];
            size_t off = 0;
            buf[0] = 0;
            ft_object *seen[64];
            int nseen = 0;
            for (ssize_t i = 0; i < nseq; i++) {
                if (!seqs[i] || pos[i] >= ft_len(seqs[i]))
                    continue;
                ft_object *c = ft_tuple_get_borrow(seqs[i], pos[i]);
                bool dup = false;
                for (int j = 0; j < nseen; j++)
                    dup |= seen[j] == c;
                if (dup || nseen == 64)
                    continue;
                seen[nseen++] = c;
                int w = snprintf(buf + off, sizeof buf - off, "%s%s", off ? ", " : "",
                                 utf8(((py_type *)c)->tp_name_obj));
                if (w > 0 && off + (size_t)w < sizeof buf)
                    off += (size_t)w;
            }
            py_err_format(py_exc_TypeError,
                          "Cannot create a consistent method resolution\norder (MRO) for bases %s",
                          buf);
            goto fail;
        }
        if (ft_list_append(result, cand) < 0)
            goto fail_ft;
        for (ssize_t i = 0; i < nseq; i++)
            if (seqs[i] && pos[i] < ft_len(seqs[i]) && ft_tuple_get_borrow(seqs[i], pos[i]) == cand)
                pos[i]++;
    }
    free(seqs);
    free(pos);
    ft_object *tuple = py_sequence_tuple(result);
    ft_decref(result);
    return tuple;
fail_ft:
    py_err_from_ft();
fail:
    free(seqs);
    free(pos);
    ft_decref(result);
    return NULL;
}

/* The class whose instance layout t's instances extend (CPython's
 * solid_base): boxed classes count as their own layouts. */
static py_type *solid_base(py_type *t)
{
    if (t == &py_object_type)
        return t;
    if (py_type_is_heap(t)) {
        if (t->tp_nslots || (t->tp_base && t->tp_boxoffset != t->tp_base->tp_boxoffset))
            return t;
        return solid_base(t->tp_base);
    }
    if (py_class_ft_type(t) || t->ft.tp_basicsize > (t->tp_base ? t->tp_base->ft.tp_basicsize
                                                                : sizeof(ft_object)))
        return t;
    return t->tp_base ? solid_base(t->tp_base) : t;
}

static py_type *best_base(ft_object *bases)
{
    py_type *base = NULL, *winner = NULL;
    for (ssize_t i = 0, n = ft_len(bases); i < n; i++) {
        ft_object *b = ft_tuple_get_borrow(bases, i);
        if (!py_is_type(b))
            return (py_type *)py_err_format(py_exc_TypeError, "bases must be types");
        py_type *bt = (py_type *)b;
        if (!(bt->ft.tp_flags & PY_TPFLAGS_BASETYPE))
            return (py_type *)py_err_format(py_exc_TypeError, "type '%s' is not an acceptable base type",
                                 bt->ft.tp_name);
        py_type *cand = solid_base(bt);
        if (!winner) {
            winner = cand;
            base = bt;
        } else if (py_type_is_subtype(winner, cand)) {
            /* keep */
        } else if (py_type_is_subtype(cand, winner)) {
            winner = cand;
            base = bt;
        } else {
            return (py_type *)py_err_format(py_exc_TypeError,
                                            "multiple bases have instance lay-out conflict");
        }
    }
    return base;
}

py_type *py_type_calculate_meta(py_type *meta, ft_object *bases)
{
    py_type *winner = meta;
    for (ssize_t i = 0, n = ft_len(bases); i < n; i++) {
        py_type *t = py_type_of(ft_tuple_get_borrow(bases, i));
        if (py_type_is_subtype(winner, t))
            continue;
        if (py_type_is_subtype(t, winner)) {
            winner = t;
            continue;
        }
        return (py_type *)py_err_format(py_exc_TypeError,
                             "metaclass conflict: the metaclass of a derived class must be a "
                             "(non-strict) subclass of the metaclasses of all its bases");
    }
    return winner;
}

static bool is_identifier(const char *s)
{
    if (!*s)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (p != (const unsigned char *)s && *p >= '0' && *p <= '9') || *p >= 0x80))
            return false;
    return true;
}

/* __x -> _C__x for a private name (not a dunder). */
static ft_object *mangle(ft_object *cls_name, ft_object *name)
{
    ssize_t n;
    const char *s = ft_str_utf8_borrow(name, &n);
    if (n < 3 || s[0] != '_' || s[1] != '_' || (s[n - 1] == '_' && s[n - 2] == '_'))
        return ft_newref(name);
    const char *c = utf8(cls_name);
    while (*c == '_')
        c++;
    if (!*c)
        return ft_newref(name);
    return py_str_from_format("_%s%s", c, s);
}

static ft_object *intern(ft_object *s)
{
    ft_object *r = ft_str_intern(s);
    return r ? r : py_err_from_ft();
}

/* Parses __slots__: a new tuple of mangled interned names without
 * __dict__/__weakref__ (reported through the flags). */
static ft_object *parse_slots(ft_object *slots, ft_object *name, ft_object *dict,
                              bool *want_dict, bool *want_weak)
{
    ft_object *seq = slots->ob_type == &ft_str_type ? NULL : py_sequence_list(slots);
    if (!seq && slots->ob_type != &ft_str_type)
        return NULL;
    ssize_t n = seq ? ft_len(seq) : 1;
    ft_object *out = ft_list_new(0);
    if (!out) {
        ft_xdecref(seq);
        return py_err_from_ft();
    }
    for (ssize_t i = 0; i < n; i++) {
        ft_object *s = seq ? ft_list_get(seq, i) : ft_newref(slots);
        if (!s)
            goto fail_ft;
        if (s->ob_type != &ft_str_type) {
            py_err_format(py_exc_TypeError, "__slots__ items must be strings, not '%s'",
                          py_type_name(s));
            ft_decref(s);
            goto fail;
        }
        const char *u = utf8(s);
        if (!is_identifier(u)) {
            py_err_format(py_exc_TypeError, "__slots__ must be identifiers");
            ft_decref(s);
            goto fail;
        }
        if (strcmp(u, "__dict__") == 0 || strcmp(u, "__weakref__") == 0) {
            bool *flag = u[2] == 'd' ? want_dict : want_weak;
            if (*flag) {
                py_err_format(py_exc_TypeError, "%s slot disallowed: we already got one", u);
                ft_decref(s);
                goto fail;
            }
            *flag = true;
            ft_decref(s);
            continue;
        }
        ft_object *m = mangle(name, s);
        ft_decref(s);
        if (!m)
            goto fail;
        ft_object *in = intern(m);
        ft_decref(m);
        if (!in)
            goto fail;
        ft_object *existing = NULL;
        int rc = ft_dict_lookup(dict, in, &existing);
        ft_xdecref(existing);
        if (rc > 0) {
            py_err_format(py_exc_ValueError, "'%s' in __slots__ conflicts with class variable",
                          utf8(in));
            ft_decref(in);
            goto fail;
        }
        rc = ft_list_append(out, in);
        ft_decref(in);
        if (rc < 0)
            goto fail_ft;
    }
    ft_xdecref(seq);
    /* CPython sorts the slot names (code point order = UTF-8 byte order) */
    ft_object *t = py_sequence_tuple(out);
    ft_decref(out);
    if (t) {
        ssize_t m = ft_len(t);
        ft_object **items = malloc((size_t)(m ? m : 1) * sizeof *items);
        ft_object *sorted = items ? ft_tuple_new(m) : NULL;
        if (!sorted) {
            free(items);
            ft_decref(t);
            return py_err_nomemory();
        }
        for (ssize_t i = 0; i < m; i++) {
            ft_object *x = ft_tuple_get_borrow(t, i);
            ssize_t j = i;
            while (j > 0 && strcmp(utf8(items[j - 1]), utf8(x)) > 0) {
                items[j] = items[j - 1];
                j--;
            }
            items[j] = x;
        }
        for (ssize_t i = 0; i < m; i++)
            ft_tuple_set_steal(sorted, i, ft_newref(items[i]));
        free(items);
        ft_decref(t);
        t = sorted;
    }
    return t;
fail_ft:
    py_err_from_ft();
fail:
    ft_xdecref(seq);
    ft_decref(out);
    return NULL;
}

static ft_object *dict_get_borrow(ft_object *d, ft_object *k)
{
    return dict_lookup_borrow(d, k);
}

/* __dict__ / __weakref__ descriptors of heap classes that add them. */
static ft_object *heap_get_dict(ft_object *o)
{
    ft_object *d = py_instance_dict_borrow(o, true);
    if (!d)
        return py_err_occurred() ? NULL
                                 : py_err_format(py_exc_AttributeError,
                                                 "This object has no __dict__");
    return ft_newref(d);
}

static int heap_set_dict(ft_object *o, ft_object *v)
{
    ft_object **p = py_instance_dictptr(o);
    if (!p)
        return py_err_format_int(py_exc_AttributeError, "This object has no __dict__");
    if (!v)
        return py_err_format_int(py_exc_TypeError, "cannot delete __dict__");
    if (v->ob_type != &ft_dict_type)
        return py_err_format_int(py_exc_TypeError,
                                 "__dict__ must be set to a dictionary, not a '%s'",
                                 py_type_name(v));
    return _py_instance_set_dict(o, v);
}

static ft_object *heap_get_weakref(ft_object *o)
{
    (void)o;
    return ft_none();   /* the runtime keeps the list head private */
}

static const py_getset_def heap_dict_getset = { "__dict__", heap_get_dict, heap_set_dict };
static const py_getset_def heap_weakref_getset = { "__weakref__", heap_get_weakref, NULL };

static int set_dict_item(ft_object *dict, ft_object *k, ft_object *v_steal)
{
    if (!v_steal)
        return -1;
    int rc = ft_dict_set(dict, k, v_steal);
    ft_decref(v_steal);
    return rc < 0 ? py_err_from_ft_int() : 0;
}

static void type_dealloc(ft_object *o);
static int type_traverse(ft_object *o, ft_visitproc visit, void *arg);
static int type_clear(ft_object *o);

/* Calls __set_name__ on the class's attributes. */
static int set_names(py_type *t)
{
    ft_object *items = ft_list_new(0);
    if (!items)
        return py_err_from_ft_int();
    ssize_t pos = 0;
    ft_object *k, *v;
    while (ft_dict_next(t->tp_dict, &pos, &k, &v) == 1) {
        ft_object *pair = ft_tuple_new(2);
        if (!pair) {
            ft_decref(items);
            return py_err_from_ft_int();
        }
        ft_tuple_set_steal(pair, 0, ft_newref(k));
        ft_tuple_set_steal(pair, 1, ft_newref(v));
        int rc = ft_list_append(items, pair);
        ft_decref(pair);
        if (rc < 0) {
            ft_decref(items);
            return py_err_from_ft_int();
        }
    }
    ssize_t n = ft_len(items);
    for (ssize_t i = 0; i < n; i++) {
        ft_object *pair = ft_list_get(items, i);
        ft_object *key = ft_tuple_get_borrow(pair, 0), *val = ft_tuple_get_borrow(pair, 1);
        ft_object *f = py_type_lookup_borrow(py_type_of(val), PY_ID(__set_name__));
        if (f) {
            ft_incref(f);
            ft_object *args[2] = { &t->ft.ob_base, key };
            ft_object *r = _py_call_bound(f, val, args, 2, NULL);
            ft_decref(f);
            if (!r) {
                /* 3.11 wraps the error in a RuntimeError naming the attribute */
                ft_object *cause = py_err_fetch();
                py_err_format(py_exc_RuntimeError,
                              "Error calling __set_name__ on '%s' instance '%s' in '%s'",
                              py_type_name(val), utf8(key), t->ft.tp_name);
                ft_object *exc = py_err_current_borrow();
                if (exc && cause && py_exc_check(cause)) {
                    py_exc_set_cause(exc, cause);
                    py_exc_set_context(exc, cause);
                }
                ft_xdecref(cause);
                ft_decref(pair);
                ft_decref(items);
                return -1;
            }
            ft_decref(r);
        }
        ft_decref(pair);
    }
    ft_decref(items);
    return 0;
}

/* super(t, t).__init_subclass__(**kwargs) */
static int init_subclass(py_type *t, ft_object *kwargs)
{
    ft_object *mro = t->tp_mro;
    ft_object *f = NULL;
    for (ssize_t i = 1, n = ft_len(mro); i < n && !f; i++) {
        py_type *k = (py_type *)ft_tuple_get_borrow(mro, i);
        f = dict_get_borrow(k->tp_dict, PY_ID(__init_subclass__));
    }
    if (!f)
        return 0;
    ft_incref(f);
    ft_object *bound;
    py_type *ft = py_type_of(f);
    if (ft->tp_descr_get)
        bound = ft->tp_descr_get(f, NULL, &t->ft.ob_base);
    else
        bound = ft_newref(f);
    ft_decref(f);
    if (!bound)
        return -1;
    ft_object *empty = ft_tuple_new(0);
    ft_object *r = empty ? py_call_tuple(bound, empty, kwargs) : NULL;
    ft_xdecref(empty);
    ft_decref(bound);
    if (!r)
        return -1;
    ft_decref(r);
    return 0;
}

/* Wraps a plain function found under `name` in the namespace. */
static int wrap_implicit(ft_object *dict, ft_object *name, ft_object *(*wrap)(ft_object *),
                         py_type *already)
{
    ft_object *f = dict_get_borrow(dict, name);
    if (!f || py_type_of(f) == already || py_type_of(f) == &py_staticmethod_class ||
        py_type_of(f) == &py_classmethod_class)
        return 0;
    py_type *ft = py_type_of(f);
    if (!ft->tp_descr_get || ft->tp_descr_set || ft == &py_method_descr_class ||
        ft == &py_slot_wrapper_class || ft == &py_classmethod_descr_class)
        return 0;   /* only Python functions get wrapped */
    return set_dict_item(dict, name, wrap(f));
}

/* The type-creation core: meta(name, bases, dict, **kwargs). */
/* Appends an interned name to a table being built (no reader yet). */
static void keys_seed(py_attr_keys *k, ft_object *name)
{
    if (k->n >= PY_ATTR_KEYS_MAX || name->ob_type != &ft_str_type ||
        !ft_str_is_interned(name) || _py_attr_keys_index(k, name) >= 0)
        return;
    k->names[k->n++] = ft_newref(name);
}

/* The attribute table of a class whose instances carry the __dict__ slot
 * of a heap class (typeobject.h): seeded with the names of the base's
 * table, then those __init__ stores on its first argument (`self.x = ...`
 * compiles to LOAD_FAST 0; STORE_ATTR x), so that instances get room for
 * them from the start. */
static int init_attr_keys(py_type *t)
{
    py_heaptype *h = as_heap(t);
    py_type *sb = h->static_base ? h->static_base : &py_object_type;
    if (!t->tp_dictoffset || sb->tp_dictoffset == t->tp_dictoffset)
        return 0;
    py_attr_keys *k = calloc(1, sizeof *k);
    if (!k) {
        py_err_nomemory();
        return -1;
    }
    py_attr_keys *bk = t->tp_base && py_type_is_heap(t->tp_base)
                           ? as_heap(t->tp_base)->attr_keys : NULL;
    for (uint32_t i = 0; bk && i < __atomic_load_n(&bk->n, __ATOMIC_ACQUIRE); i++)
        keys_seed(k, bk->names[i]);
    ft_object *init = lookup_uncached(t, PY_ID(__init__));
    if (init && init->ob_type == &py_function_class.ft) {
        py_code *c = py_as_code(((py_function *)init)->code);
        ssize_t nnames = c->co_names ? ft_len(c->co_names) : 0;
        for (ssize_t i = 0; c->co_argcount > 0 && i + 1 < c->co_ncode; i++) {
            uint32_t a = c->co_code[i], b = c->co_code[i + 1];
            if (py_opcode_unpaired(py_instr_op(a)) == OP_LOAD_FAST && py_instr_arg(a) == 0 &&
                py_instr_op(b) == OP_STORE_ATTR && (ssize_t)py_instr_arg(b) < nnames)
                keys_seed(k, ft_tuple_get_borrow(c->co_names, py_instr_arg(b)));
        }
    }
    h->attr_keys = k;
    h->ivals_cap = k->n;
    return 0;
}

static ft_object *type_new_impl(py_type *meta, ft_object *name, ft_object *bases,
                                ft_object *ns, ft_object *kwargs)
{
    if (ft_len(bases) == 0) {
        ft_object *b = ft_tuple_new(1);
        if (!b)
            return py_err_from_ft();
        ft_tuple_set_steal(b, 0, ft_newref(&py_object_type.ft.ob_base));
        ft_object *r = type_new_impl(meta, name, b, ns, kwargs);
        ft_decref(b);
        return r;
    }
    for (ssize_t i = 0, n = ft_len(bases); i < n; i++)
        for (ssize_t j = i + 1; j < n; j++)
            if (ft_tuple_get_borrow(bases, i) == ft_tuple_get_borrow(bases, j)) {
                ft_object *b = ft_tuple_get_borrow(bases, i);
                return py_err_format(py_exc_TypeError, "duplicate base class %s",
                                     py_is_type(b) ? utf8(((py_type *)b)->tp_name_obj) : "?");
            }
    py_type *base = best_base(bases);
    if (!base)
        return NULL;
    ft_object *dict = ft_dict_new();
    if (!dict)
        return py_err_from_ft();
    {
        ssize_t pos = 0;
        ft_object *k, *v;
        while (ft_dict_next(ns, &pos, &k, &v) == 1) {
            if (k == PY_ID(__classcell__) ||
                (k->ob_type == &ft_str_type && strcmp(utf8(k), "__classcell__") == 0))
                continue;
            if (ft_dict_set(dict, k, v) < 0) {
                ft_decref(dict);
                return py_err_from_ft();
            }
        }
    }
    /* __slots__ */
    bool want_dict = false, want_weak = false;
    ft_object *slots = NULL;
    ft_object *slots_obj = dict_get_borrow(dict, PY_ID(__slots__));
    py_type *static_base = base;
    while (py_type_is_heap(static_base))
        static_base = static_base->tp_base;
    /* subclasses of the classes of runtime objects hold one in a box;
     * type's own subclasses (metaclasses) extend its layout instead */
    py_type *box_class = static_base != &py_object_type && static_base != &py_type_type &&
                         py_class_ft_type(static_base) ? static_base : NULL;
    if (slots_obj) {
        if (!(slots = parse_slots(slots_obj, name, dict, &want_dict, &want_weak))) {
            ft_decref(dict);
            return NULL;
        }
        if (ft_len(slots) > 0 && box_class &&
            (box_class == &py_int_class || box_class == &py_str_class ||
             box_class == &py_tuple_class || box_class == &py_bytes_class)) {
            py_err_format(py_exc_TypeError, "nonempty __slots__ not supported for subtype of '%s'",
                          box_class->ft.tp_name);
            goto fail_early;
        }
        if (want_dict && base->tp_dictoffset) {
            py_err_format(py_exc_TypeError, "__dict__ slot disallowed: we already got one");
            goto fail_early;
        }
        if (want_weak && base->ft.tp_weaklistoffset) {
            py_err_format(py_exc_TypeError, "__weakref__ slot disallowed: we already got one");
            goto fail_early;
        }
    } else {
        want_dict = want_weak = true;
    }
    /* a class whose other bases have a dict gets one too */
    for (ssize_t i = 0, n = ft_len(bases); i < n; i++) {
        py_type *b = (py_type *)ft_tuple_get_borrow(bases, i);
        if (b->tp_dictoffset && !slots_obj)
            want_dict = true;
        if (b->ft.tp_weaklistoffset && !slots_obj)
            want_weak = true;
    }

    py_heaptype *h = (py_heaptype *)ft_object_new(&meta->ft, meta->ft.tp_basicsize);
    if (!h) {
        py_err_from_ft();
        goto fail_early;
    }
    py_type *t = &h->type;
    size_t nlen;
    const char *cname = ft_str_utf8_borrow(name, (ssize_t *)&nlen);
    h->name_buf = malloc(nlen + 1);
    if (!h->name_buf) {
        ft_decref(&t->ft.ob_base);
        py_err_nomemory();
        goto fail_early;
    }
    memcpy(h->name_buf, cname, nlen + 1);
    t->ft.tp_name = h->name_buf;
    t->ft.tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_HEAPCLASS | PY_TPFLAGS_BASETYPE |
                     PY_TPFLAGS_READY | FT_TPFLAGS_HEAPTYPE | FT_TPFLAGS_GC;
    for (ssize_t i = 0, n = ft_len(bases); i < n; i++)
        inherit_flags(t, (py_type *)ft_tuple_get_borrow(bases, i));
    t->ft.tp_dealloc = _py_instance_dealloc;
    t->ft.tp_traverse = _py_instance_traverse;
    t->ft.tp_clear = _py_instance_clear;
    t->tp_base = base;
    ft_incref(&base->ft.ob_base);
    t->tp_bases = ft_newref(bases);
    t->tp_dict = dict;
    dict = NULL;
    h->slots = slots;
    slots = NULL;
    h->static_base = static_base;
    h->box_class = box_class;
    t->tp_name_obj = ft_newref(name);

    /* layout */
    size_t size = py_type_is_heap(base) ? base->ft.tp_basicsize
                  : box_class ? sizeof(ft_object) : base->ft.tp_basicsize;
    if (size < sizeof(ft_object))
        size = sizeof(ft_object);
    t->tp_boxoffset = base->tp_boxoffset;
    t->tp_box = box_class ? py_class_ft_type(box_class) : NULL;
    if (box_class && !t->tp_boxoffset) {
        t->tp_boxoffset = (ssize_t)size;
        size += sizeof(ft_object *);
    }
    t->tp_dictoffset = base->tp_dictoffset;
    t->ft.tp_weaklistoffset = base->ft.tp_weaklistoffset;
    ssize_t nslots = h->slots ? ft_len(h->slots) : 0;
    t->tp_slotoffset = (ssize_t)size;
    t->tp_nslots = nslots;
    size += (size_t)nslots * sizeof(ft_object *);
    bool added_dict = false, added_weak = false;
    if (want_dict && !t->tp_dictoffset) {
        t->tp_dictoffset = (ssize_t)size;
        size += sizeof(ft_object *);
        added_dict = true;
    }
    if (want_weak && !t->ft.tp_weaklistoffset) {
        t->ft.tp_weaklistoffset = (ssize_t)size;
        size += sizeof(void *);
        added_weak = true;
    }
    t->ft.tp_basicsize = size;

    /* names */
    ft_object *qn = dict_get_borrow(t->tp_dict, PY_ID(__qualname__));
    if (qn) {
        if (qn->ob_type != &ft_str_type) {
            py_err_format(py_exc_TypeError, "type __qualname__ must be a str, not %s",
                          py_type_name(qn));
            goto fail;
        }
        t->tp_qualname = ft_newref(qn);
        if (ft_dict_del(t->tp_dict, PY_ID(__qualname__)) < 0)
            goto fail_ft;
    } else {
        t->tp_qualname = ft_newref(name);
    }
    if (!dict_get_borrow(t->tp_dict, PY_ID(__module__))) {
        /* type(name, bases, dict): the calling code's module */
        py_frame *f = py_tstate_get()->frame;
        ft_object *g = f ? f->globals : NULL;
        ft_object *m = g && g->ob_type == &ft_dict_type ? dict_get_borrow(g, PY_ID(__name__))
                                                        : NULL;
        if (m && ft_dict_set(t->tp_dict, PY_ID(__module__), m) < 0)
            goto fail_ft;
    }
    if (!dict_get_borrow(t->tp_dict, PY_ID(__doc__)) &&
        ft_dict_set(t->tp_dict, PY_ID(__doc__), ft_none()) < 0)
        goto fail_ft;
    /* implicit staticmethod / classmethods */
    if (wrap_implicit(t->tp_dict, PY_ID(__new__), py_staticmethod_new, NULL) < 0 ||
        wrap_implicit(t->tp_dict, PY_ID(__init_subclass__), py_classmethod_new, NULL) < 0 ||
        wrap_implicit(t->tp_dict, PY_ID(__class_getitem__), py_classmethod_new, NULL) < 0)
        goto fail;
    /* __eq__ without __hash__: unhashable */
    if (dict_get_borrow(t->tp_dict, PY_ID(__eq__)) &&
        !dict_get_borrow(t->tp_dict, PY_ID(__hash__)) &&
        ft_dict_set(t->tp_dict, PY_ID(__hash__), ft_none()) < 0)
        goto fail_ft;
    /* member descriptors, __dict__, __weakref__ */
    for (ssize_t i = 0; i < nslots; i++) {
        ft_object *sn = ft_tuple_get_borrow(h->slots, i);
        if (set_dict_item(t->tp_dict, sn,
                          py_member_descr_new(t, sn, t->tp_slotoffset +
                                                         i * (ssize_t)sizeof(ft_object *))) < 0)
            goto fail;
    }
    if (added_dict &&
        set_dict_item(t->tp_dict, PY_ID(__dict__), py_getset_descr_new(t, &heap_dict_getset)) < 0)
        goto fail;
    if (added_weak &&
        set_dict_item(t->tp_dict, PY_ID(__weakref__),
                      py_getset_descr_new(t, &heap_weakref_getset)) < 0)
        goto fail;
    /* MRO */
    t->tp_mro = type_mro_c3(t, bases);
    if (!t->tp_mro)
        goto fail;
    t->tp_version = new_version();
    if (init_attr_keys(t) < 0)
        goto fail;
    _py_type_update_slots(t);
    for (ssize_t i = 0, n = ft_len(bases); i < n; i++)
        add_subclass((py_type *)ft_tuple_get_borrow(bases, i), t);
    /* the __class__ cell of the methods, before __set_name__ and
     * __init_subclass__ run (they may call methods using super()) */
    ft_object *cell = dict_get_borrow(ns, PY_ID(__classcell__));
    if (cell && cell->ob_type == &py_cell_class.ft && !py_cell_get_borrow(cell))
        py_cell_set(cell, &t->ft.ob_base);
    if (set_names(t) < 0 || init_subclass(t, kwargs) < 0) {
        ft_decref(&t->ft.ob_base);
        return NULL;
    }
    py_shared_new_class(&t->ft.ob_base);   /* threads running: counts sharded */
    return &t->ft.ob_base;
fail_ft:
    py_err_from_ft();
fail:
    ft_decref(&t->ft.ob_base);
    return NULL;
fail_early:
    ft_xdecref(dict);
    ft_xdecref(slots);
    return NULL;
}

ft_object *py_type_new_class(py_type *meta, ft_object *name, ft_object *bases,
                             ft_object *dict)
{
    return type_new_impl(meta, name, bases, dict, NULL);
}

/* ==== 7. Trampolines ========================================================= */

/* Looks `name` up on o's class and calls it as a method; *found = false
 * (and NULL, no exception) when the class has no such attribute. */
static ft_object *call_dunder(ft_object *o, ft_object *name, ft_object *const *args,
                              size_t nargs, bool *found)
{
    ft_object *f = py_type_lookup_borrow(py_type_of(o), name);
    if (found)
        *found = f != NULL;
    if (!f)
        return NULL;
    ft_incref(f);
    ft_object *r = _py_call_bound(f, o, args, nargs, NULL);
    ft_decref(f);
    return r;
}

static ft_object *call_dunder_req(ft_object *o, ft_object *name, ft_object *const *args,
                                  size_t nargs)
{
    bool found;
    ft_object *r = call_dunder(o, name, args, nargs, &found);
    if (!found)
        return py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%s'",
                             py_type_name(o), utf8(name));
    return r;
}

static ft_object *slot_repr(ft_object *o) { return call_dunder_req(o, PY_ID(__repr__), NULL, 0); }
static ft_object *slot_str(ft_object *o) { return call_dunder_req(o, PY_ID(__str__), NULL, 0); }

static int64_t slot_hash(ft_object *o)
{
    ft_object *f = py_type_lookup_borrow(py_type_of(o), PY_ID(__hash__));
    if (!f || f == ft_none()) {
        py_err_format(py_exc_TypeError, "unhashable type: '%s'", py_type_name(o));
        return -1;
    }
    ft_incref(f);
    ft_object *r = _py_call_bound(f, o, NULL, 0, NULL);
    ft_decref(f);
    if (!r)
        return -1;
    if (!py_long_check(r)) {
        ft_decref(r);
        py_err_format(py_exc_TypeError, "__hash__ method should return an integer");
        return -1;
    }
    int64_t v;
    if (py_long_as_i64(r, &v) < 0) {
        /* a big int: its own hash */
        py_err_clear();
        v = py_hash(r);
    }
    ft_decref(r);
    return v == -1 ? -2 : v;
}

static int slot_ft_eq(ft_object *a, ft_object *b)
{
    return py_richcompare_bool(a, b, PY_EQ);
}

static const int swapped_op[6] = { PY_GT, PY_GE, PY_EQ, PY_NE, PY_LT, PY_LE };
static ft_object *slot_richcompare(ft_object *a, ft_object *b, int op);

static ft_object *rc_call(ft_object *self, ft_object *other, int op)
{
    bool found;
    ft_object *r = call_dunder(self, cmp_ids[op], &other, 1, &found);
    if (!found)
        return py_notimplemented();
    return r;
}

static ft_object *slot_richcompare(ft_object *a, ft_object *b, int op)
{
    py_type *ta = py_type_of(a), *tb = py_type_of(b);
    bool a_own = ta->tp_richcompare == slot_richcompare;
    bool b_own = tb->tp_richcompare == slot_richcompare;
    bool b_done = false;
    ft_object *r;
    if (a_own && b_own && ta != tb && py_type_is_subtype(tb, ta)) {
        r = rc_call(b, a, swapped_op[op]);
        if (!r || !py_is_notimplemented(r))
            return r;
        b_done = true;
    }
    if (a_own) {
        r = rc_call(a, b, op);
        if (!r || !py_is_notimplemented(r))
            return r;
    }
    if (b_own && !b_done)
        return rc_call(b, a, swapped_op[op]);
    return py_notimplemented();
}

/* Does `name` on b's class differ from the one on a's class? */
static bool overrides(py_type *ta, py_type *tb, ft_object *name)
{
    ft_object *fb = py_type_lookup_borrow(tb, name);
    return fb && fb != py_type_lookup_borrow(ta, name);
}

static ft_object *slot_binop(ft_object *a, ft_object *b, int op);

static ft_object *binop_call(ft_object *self, ft_object *other, ft_object *name)
{
    ft_object *f = py_type_lookup_borrow(py_type_of(self), name);
    if (!f || f == ft_none())
        return py_notimplemented();
    ft_incref(f);
    ft_object *r = _py_call_bound(f, self, &other, 1, NULL);
    ft_decref(f);
    return r;
}

static ft_object *slot_binop(ft_object *a, ft_object *b, int op)
{
    int base = op & ~PY_OP_INPLACE;
    if (base < 0 || base >= PY_OP__COUNT)
        return py_notimplemented();
    if (op & PY_OP_INPLACE) {
        if (py_type_of(a)->tp_binop != slot_binop)
            return py_notimplemented();
        return binop_call(a, b, binop_ids[base][2]);
    }
    py_type *ta = py_type_of(a), *tb = py_type_of(b);
    bool do_other = ta != tb && tb->tp_binop == slot_binop;
    ft_object *r;
    if (ta->tp_binop == slot_binop) {
        if (do_other && py_type_is_subtype(tb, ta) && overrides(ta, tb, binop_ids[base][1])) {
            r = binop_call(b, a, binop_ids[base][1]);
            if (!r || !py_is_notimplemented(r))
                return r;
            do_other = false;
        }
        r = binop_call(a, b, binop_ids[base][0]);
        if (!r || !py_is_notimplemented(r) || ta == tb)
            return r;
        ft_decref(r);
    }
    if (do_other || (ta != tb && tb->tp_binop == slot_binop && ta->tp_binop != slot_binop))
        return binop_call(b, a, binop_ids[base][1]);
    return py_notimplemented();
}

static ft_object *slot_unaryop(ft_object *o, int op)
{
    if (op < 0 || op > 2)
        return py_notimplemented();
    bool found;
    ft_object *r = call_dunder(o, unary_ids[op], NULL, 0, &found);
    return found ? r : py_notimplemented();
}

static int slot_bool(ft_object *o)
{
    bool found;
    ft_object *r = call_dunder(o, PY_ID(__bool__), NULL, 0, &found);
    if (found) {
        if (!r)
            return -1;
        if (r->ob_type != &ft_bool_type) {
            py_err_format(py_exc_TypeError, "__bool__ should return bool, returned %s",
                          py_type_name(r));
            ft_decref(r);
            return -1;
        }
        int v = r == ft_true();
        ft_decref(r);
        return v;
    }
    r = call_dunder(o, PY_ID(__len__), NULL, 0, &found);
    if (!found)
        return 1;
    if (!r)
        return -1;
    ssize_t n;
    int rc = py_index_ssize(r, &n);
    ft_decref(r);
    if (rc < 0)
        return -1;
    if (n < 0) {
        py_err_format(py_exc_ValueError, "__len__() should return >= 0");
        return -1;
    }
    return n > 0;
}

static ssize_t slot_len(ft_object *o)
{
    ft_object *r = call_dunder_req(o, PY_ID(__len__), NULL, 0);
    if (!r)
        return -1;
    if (!py_long_check(r)) {
        py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      py_type_name(r));
        ft_decref(r);
        return -1;
    }
    ssize_t n;
    int rc = py_index_ssize(r, &n);
    ft_decref(r);
    if (rc < 0) {
        if (py_err_matches(py_exc_OverflowError)) {
            py_err_clear();
            py_err_format(py_exc_OverflowError, "cannot fit 'int' into an index-sized integer");
        }
        return -1;
    }
    if (n < 0) {
        py_err_format(py_exc_ValueError, "__len__() should return >= 0");
        return -1;
    }
    return n;
}

static ft_object *slot_getitem(ft_object *o, ft_object *key)
{
    return call_dunder_req(o, PY_ID(__getitem__), &key, 1);
}

static int slot_setitem(ft_object *o, ft_object *key, ft_object *v)
{
    ft_object *args[2] = { key, v };
    ft_object *r;
    bool found;
    if (v)
        r = call_dunder(o, PY_ID(__setitem__), args, 2, &found);
    else
        r = call_dunder(o, PY_ID(__delitem__), args, 1, &found);
    if (!found) {
        if (v)
            return py_err_format_int(py_exc_TypeError,
                                     "'%s' object does not support item assignment",
                                     py_type_name(o));
        return py_err_format_int(py_exc_TypeError, "'%s' object doesn't support item deletion",
                                 py_type_name(o));
    }
    if (!r)
        return -1;
    ft_decref(r);
    return 0;
}

static int slot_contains(ft_object *o, ft_object *v)
{
    ft_object *f = py_type_lookup_borrow(py_type_of(o), PY_ID(__contains__));
    if (f == ft_none())
        return py_err_format_int(py_exc_TypeError, "'%s' object is not a container",
                                 py_type_name(o));
    if (!f) {
        /* fall back on iteration */
        ft_object *it = py_iter(o);
        if (!it)
            return -1;
        ft_object *x;
        while ((x = py_iter_next(it))) {
            int eq = py_richcompare_bool(x, v, PY_EQ);
            ft_decref(x);
            if (eq != 0) {
                ft_decref(it);
                return eq;
            }
        }
        ft_decref(it);
        return py_err_occurred() ? -1 : 0;
    }
    ft_incref(f);
    ft_object *r = _py_call_bound(f, o, &v, 1, NULL);
    ft_decref(f);
    if (!r)
        return -1;
    int truth = py_is_true(r);
    ft_decref(r);
    return truth;
}

static ft_object *slot_iter(ft_object *o)
{
    ft_object *f = py_type_lookup_borrow(py_type_of(o), PY_ID(__iter__));
    if (f == ft_none())
        return py_err_format(py_exc_TypeError, "'%s' object is not iterable", py_type_name(o));
    if (!f) {
        if (py_type_lookup_borrow(py_type_of(o), PY_ID(__getitem__)))
            return py_iter(o);
        return py_err_format(py_exc_TypeError, "'%s' object is not iterable", py_type_name(o));
    }
    ft_incref(f);
    ft_object *r = _py_call_bound(f, o, NULL, 0, NULL);
    ft_decref(f);
    return r;
}

static ft_object *slot_iternext(ft_object *o)
{
    ft_object *r = call_dunder_req(o, PY_ID(__next__), NULL, 0);
    if (!r && py_err_matches(py_exc_StopIteration)) {
        /* the slot reports exhaustion without an exception, but a value
         * carried by StopIteration is lost (generators use their own slot) */
        py_err_clear();
    }
    return r;
}

static ft_object *slot_vcall(ft_object *o, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    ft_object *f = py_type_lookup_borrow(py_type_of(o), PY_ID(__call__));
    if (!f)
        return py_err_format(py_exc_TypeError, "'%s' object is not callable", py_type_name(o));
    ft_incref(f);
    ft_object *r = _py_call_bound(f, o, args, nargs, kwnames);
    ft_decref(f);
    return r;
}

static ft_object *slot_descr_get(ft_object *d, ft_object *obj, ft_object *type)
{
    ft_object *args[2] = { obj ? obj : ft_none(), type ? type : ft_none() };
    bool found;
    ft_object *r = call_dunder(d, PY_ID(__get__), args, 2, &found);
    return found ? r : ft_newref(d);
}

static int slot_descr_set(ft_object *d, ft_object *obj, ft_object *v)
{
    ft_object *args[2] = { obj, v };
    bool found;
    ft_object *r = v ? call_dunder(d, PY_ID(__set__), args, 2, &found)
                     : call_dunder(d, PY_ID(__delete__), args, 1, &found);
    if (!found)
        return py_err_format_int(py_exc_AttributeError, v ? "__set__" : "__delete__");
    if (!r)
        return -1;
    ft_decref(r);
    return 0;
}

static ft_object *slot_getattro(ft_object *o, ft_object *name)
{
    py_type *t = py_type_of(o);
    ft_object *ga = py_type_lookup_borrow(t, PY_ID(__getattribute__));
    ft_object *r;
    bool generic = !ga || (py_type_of(ga) == &py_slot_wrapper_class &&
                           ((slot_wrapper *)ga)->cls->tp_getattro == py_generic_getattr);
    ft_object *hook = py_type_lookup_borrow(t, PY_ID(__getattr__));
    if (generic) {
        if (hook) {
            int rc = py_generic_getattr_opt(o, name, &r);
            if (rc > 0)
                return r;
            if (rc < 0)
                return NULL;
        } else {
            return py_generic_getattr(o, name);
        }
    } else {
        ft_incref(ga);
        r = _py_call_bound(ga, o, &name, 1, NULL);
        ft_decref(ga);
        if (r || !hook || !py_err_matches(py_exc_AttributeError))
            return r;
        py_err_clear();
    }
    ft_incref(hook);
    r = _py_call_bound(hook, o, &name, 1, NULL);
    ft_decref(hook);
    return r;
}

static int slot_setattro(ft_object *o, ft_object *name, ft_object *v)
{
    ft_object *args[2] = { name, v };
    ft_object *r = v ? call_dunder_req(o, PY_ID(__setattr__), args, 2)
                     : call_dunder_req(o, PY_ID(__delattr__), args, 1);
    if (!r)
        return -1;
    ft_decref(r);
    return 0;
}

static ft_object *slot_new(py_type *cls, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    ft_object *f = py_type_lookup_borrow(cls, PY_ID(__new__));
    if (!f)
        return py_err_format(py_exc_TypeError, "cannot create '%s' instances", cls->ft.tp_name);
    ft_incref(f);
    ft_object *fn;
    py_type *ftp = py_type_of(f);
    if (ftp->tp_descr_get)
        fn = ftp->tp_descr_get(f, NULL, &cls->ft.ob_base);
    else
        fn = ft_newref(f);
    ft_decref(f);
    if (!fn)
        return NULL;
    size_t total = nargs + (kwnames ? (size_t)ft_len(kwnames) : 0);
    ft_object *small[8], **buf = total + 1 <= 8 ? small : malloc((total + 1) * sizeof *buf);
    if (!buf) {
        ft_decref(fn);
        return py_err_nomemory();
    }
    buf[0] = &cls->ft.ob_base;
    memcpy(buf + 1, args, total * sizeof *buf);
    ft_object *r = py_vcall(fn, buf, nargs + 1, kwnames);
    if (buf != small)
        free(buf);
    ft_decref(fn);
    return r;
}

static int slot_init(ft_object *self, ft_object *const *args, size_t nargs,
                     ft_object *kwnames)
{
    ft_object *f = py_type_lookup_borrow(py_type_of(self), PY_ID(__init__));
    if (!f)
        return 0;
    ft_incref(f);
    ft_object *r = _py_call_bound(f, self, args, nargs, kwnames);
    ft_decref(f);
    if (!r)
        return -1;
    if (r != ft_none()) {
        py_err_format(py_exc_TypeError, "__init__() should return None, not '%s'",
                      py_type_name(r));
        ft_decref(r);
        return -1;
    }
    ft_decref(r);
    return 0;
}

static void slot_finalize(ft_object *o)
{
    ft_object *saved = py_err_fetch();
    ft_object *f = py_type_lookup_borrow(py_type_of(o), PY_ID(__del__));
    if (f) {
        ft_incref(f);
        ft_object *r = _py_call_bound(f, o, NULL, 0, NULL);
        if (r)
            ft_decref(r);
        else
            py_err_write_unraisable("__del__", f);
        ft_decref(f);
    }
    py_err_restore(saved);
}

/* Boxed classes: tp_new builds the box with the box class's own tp_new. */
static ft_object *box_new(py_type *cls, ft_object *const *args, size_t nargs,
                          ft_object *kwnames)
{
    py_type *k = as_heap(cls)->box_class;
    ft_object *val = k->tp_new(k, args, nargs, kwnames);
    if (!val)
        return NULL;
    ft_object *inst = py_instance_alloc(cls);
    if (!inst) {
        ft_decref(val);
        return NULL;
    }
    *(ft_object **)((char *)inst + cls->tp_boxoffset) = val;
    return inst;
}

static int box_init(ft_object *self, ft_object *const *args, size_t nargs,
                    ft_object *kwnames)
{
    py_type *t = py_type_of(self);
    py_type *k = as_heap(t)->box_class;
    return k->tp_init(_py_unbox_any(self), args, nargs, kwnames);
}

/* The __new__ found in a static class's dict: T.__new__(cls, ...). */
static ft_object *tp_new_wrapper(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    py_type *t = (py_type *)self;
    if (nargs < 1)
        return py_err_format(py_exc_TypeError, "%s.__new__(): not enough arguments",
                             t->ft.tp_name);
    ft_object *c = args[0];
    if (!py_is_type(c))
        return py_err_format(py_exc_TypeError, "%s.__new__(X): X is not a type object (%s)",
                             t->ft.tp_name, py_type_name(c));
    py_type *cls = (py_type *)c;
    if (!py_type_is_subtype(cls, t))
        return py_err_format(py_exc_TypeError, "%s.__new__(%s): %s is not a subtype of %s",
                             t->ft.tp_name, cls->ft.tp_name, cls->ft.tp_name, t->ft.tp_name);
    /* the most derived static base of cls must use this tp_new */
    py_type *sb = cls;
    while (py_type_is_heap(sb))
        sb = sb->tp_base;
    if (sb->tp_new != t->tp_new)
        return py_err_format(py_exc_TypeError, "%s.__new__(%s) is not safe, use %s.__new__()",
                                 t->ft.tp_name, cls->ft.tp_name, sb->ft.tp_name);
    if (py_type_is_heap(cls) && as_heap(cls)->box_class && t != &py_object_type) {
        py_type *k = as_heap(cls)->box_class;
        ft_object *val = k->tp_new(k, args + 1, nargs - 1, kwnames);
        if (!val)
            return NULL;
        ft_object *inst = py_instance_alloc(cls);
        if (!inst) {
            ft_decref(val);
            return NULL;
        }
        *(ft_object **)((char *)inst + cls->tp_boxoffset) = val;
        return inst;
    }
    return t->tp_new(cls, args + 1, nargs - 1, kwnames);
}

/* The slot families: which dunders decide each slot. */
enum family {
    F_REPR, F_STR, F_HASH, F_RICHCMP, F_BINOP, F_UNARY, F_BOOL, F_LEN, F_GETITEM,
    F_SETITEM, F_CONTAINS, F_ITER, F_NEXT, F_CALL, F_GET, F_SET, F_GETATTR, F_SETATTR,
    F_NEW, F_INIT, F_DEL, F__COUNT
};

static bool family_has(enum family f, ft_object *dict)
{
    ft_object *names[40];
    int n = 0;
    switch (f) {
    case F_REPR: names[n++] = PY_ID(__repr__); break;
    case F_STR: names[n++] = PY_ID(__str__); break;
    case F_HASH: names[n++] = PY_ID(__hash__); break;
    case F_RICHCMP: for (int i = 0; i < 6; i++) names[n++] = cmp_ids[i]; break;
    case F_BINOP:
        for (int i = 0; i < PY_OP__COUNT; i++)
            for (int j = 0; j < 3; j++)
                if (n < 40) names[n++] = binop_ids[i][j];
        break;
    case F_UNARY: for (int i = 0; i < 3; i++) names[n++] = unary_ids[i]; break;
    case F_BOOL: names[n++] = PY_ID(__bool__); names[n++] = PY_ID(__len__); break;
    case F_LEN: names[n++] = PY_ID(__len__); break;
    case F_GETITEM: names[n++] = PY_ID(__getitem__); break;
    case F_SETITEM: names[n++] = PY_ID(__setitem__); names[n++] = PY_ID(__delitem__); break;
    case F_CONTAINS: names[n++] = PY_ID(__contains__); break;
    case F_ITER: names[n++] = PY_ID(__iter__); break;
    case F_NEXT: names[n++] = PY_ID(__next__); break;
    case F_CALL: names[n++] = PY_ID(__call__); break;
    case F_GET: names[n++] = PY_ID(__get__); break;
    case F_SET: names[n++] = PY_ID(__set__); names[n++] = PY_ID(__delete__); break;
    case F_GETATTR: names[n++] = PY_ID(__getattribute__); names[n++] = PY_ID(__getattr__); break;
    case F_SETATTR: names[n++] = PY_ID(__setattr__); names[n++] = PY_ID(__delattr__); break;
    case F_NEW: names[n++] = PY_ID(__new__); break;
    case F_INIT: names[n++] = PY_ID(__init__); break;
    case F_DEL: names[n++] = PY_ID(__del__); break;
    default: break;
    }
    for (int i = 0; i < n; i++)
        if (dict_get_borrow(dict, names[i]))
            return true;
    return false;
}

/* The first class on t's MRO defining one of the family's dunders. */
static py_type *family_provider(py_type *t, enum family f)
{
    ft_object *mro = t->tp_mro;
    for (ssize_t i = 0, n = mro ? ft_len(mro) : 0; i < n; i++) {
        py_type *k = (py_type *)ft_tuple_get_borrow(mro, i);
        if (k->tp_dict && family_has(f, k->tp_dict))
            return k;
    }
    return NULL;
}

void _py_type_update_slots(py_type *t)
{
    py_heaptype *h = as_heap(t);
    bool boxed = h->box_class != NULL;
    py_type *sb = h->static_base ? h->static_base : &py_object_type;
    for (int f = 0; f < F__COUNT; f++) {
        py_type *k = family_provider(t, (enum family)f);
        /* a trampoline: a heap class defines it, or a boxed class gets it
         * from its box class (the slot wrapper unboxes) */
        bool tramp = k && (py_type_is_heap(k) || (boxed && k != &py_object_type));
        py_type *src = k && !py_type_is_heap(k) ? k : sb;
        switch ((enum family)f) {
        case F_REPR: t->ft.tp_repr = tramp ? slot_repr : src->ft.tp_repr; break;
        case F_STR: t->tp_str = tramp ? slot_str : src->tp_str; break;
        case F_HASH: {
            ft_object *hv = py_type_lookup_borrow(t, PY_ID(__hash__));
            if (hv == ft_none())
                t->ft.tp_hash = NULL;
            else
                t->ft.tp_hash = tramp ? slot_hash : src->ft.tp_hash;
            break;
        }
        case F_RICHCMP:
            t->tp_richcompare = tramp ? slot_richcompare : src->tp_richcompare;
            t->ft.tp_eq = tramp ? slot_ft_eq : src->ft.tp_eq;
            break;
        case F_BINOP: t->tp_binop = tramp ? slot_binop : src->tp_binop; break;
        case F_UNARY: t->tp_unaryop = tramp ? slot_unaryop : src->tp_unaryop; break;
        case F_BOOL: t->tp_bool = tramp ? slot_bool : src->tp_bool; break;
        case F_LEN: t->ft.tp_len = tramp ? slot_len : src->ft.tp_len; break;
        case F_GETITEM: t->tp_getitem = tramp ? slot_getitem : src->tp_getitem; break;
        case F_SETITEM: t->tp_setitem = tramp ? slot_setitem : src->tp_setitem; break;
        case F_CONTAINS: t->tp_contains = tramp ? slot_contains : src->tp_contains; break;
        case F_ITER: t->tp_iter = tramp ? slot_iter : src->tp_iter; break;
        case F_NEXT: t->tp_iternext = tramp ? slot_iternext : src->tp_iternext; break;
        case F_CALL: t->tp_vcall = tramp ? slot_vcall : src->tp_vcall; break;
        case F_GET: t->tp_descr_get = tramp ? slot_descr_get : src->tp_descr_get; break;
        case F_SET: t->tp_descr_set = tramp ? slot_descr_set : src->tp_descr_set; break;
        case F_GETATTR:
            t->tp_getattro = k && py_type_is_heap(k) ? slot_getattro : src->tp_getattro;
            break;
        case F_SETATTR:
            t->tp_setattro = k && py_type_is_heap(k) ? slot_setattro : src->tp_setattro;
            break;
        case F_NEW:
            if (k && py_type_is_heap(k))
                t->tp_new = slot_new;
            else
                t->tp_new = boxed ? box_new : src->tp_new;
            break;
        case F_INIT:
            if (k && py_type_is_heap(k))
                t->tp_init = slot_init;
            else if (boxed && h->box_class->tp_init && h->box_class->tp_init != object_init)
                t->tp_init = box_init;
            else
                t->tp_init = src->tp_init ? src->tp_init : object_init;
            break;
        case F_DEL:
            t->ft.tp_finalize = k && py_type_is_heap(k) ? slot_finalize : NULL;
            break;
        default:
            break;
        }
    }
    if (!t->tp_getattro)
        t->tp_getattro = py_generic_getattr;
    if (!t->tp_setattro)
        t->tp_setattro = py_generic_setattr;
    if (!t->tp_new)
        t->tp_new = object_new;
    if (!t->tp_init)
        t->tp_init = object_init;
    t->ft.tp_call = t->tp_vcall ? _py_ft_call_adapter : NULL;
}

static void update_slots_recursive(py_type *t)
{
    if (!py_type_is_heap(t))
        return;
    _py_type_update_slots(t);
    py_heaptype *h = as_heap(t);
    ft_mutex_lock(&subclass_lock);
    ssize_t n = h->nsubclasses;
    py_heaptype **subs = n ? malloc((size_t)n * sizeof *subs) : NULL;
    for (ssize_t i = 0; subs && i < n; i++) {
        subs[i] = h->subclasses[i];
        ft_incref(&subs[i]->type.ft.ob_base);
    }
    ft_mutex_unlock(&subclass_lock);
    for (ssize_t i = 0; subs && i < n; i++) {
        update_slots_recursive(&subs[i]->type);
        ft_decref(&subs[i]->type.ft.ob_base);
    }
    free(subs);
}

static bool is_dunder(ft_object *name)
{
    ssize_t n;
    const char *s = ft_str_utf8_borrow(name, &n);
    return s && n > 4 && s[0] == '_' && s[1] == '_' && s[n - 1] == '_' && s[n - 2] == '_';
}

ft_object *_py_ft_call_adapter(ft_object *callable, ft_object *args)
{
    py_type *t = py_type_of(callable);
    ssize_t n = ft_len(args);
    ft_object *small[8], **buf = n <= 8 ? small : malloc((size_t)n * sizeof *buf);
    if (!buf) {
        ft_err_set(FT_ERR_MEMORY, "out of memory");
        return NULL;
    }
    for (ssize_t i = 0; i < n; i++)
        buf[i] = ft_tuple_get_borrow(args, i);
    ft_object *r = t->tp_vcall ? t->tp_vcall(callable, buf, (size_t)n, NULL)
                               : py_err_format(py_exc_TypeError, "'%s' object is not callable",
                                               py_type_name(callable));
    if (buf != small)
        free(buf);
    if (!r) {
        /* Only the runtime calls this slot (weakref callbacks): report the
         * Python exception the way CPython reports a callback's. */
        py_err_write_unraisable(NULL, callable);
        return ft_none();
    }
    return r;
}

/* ==== 8. type ================================================================ */

static ft_object *type_vcall(ft_object *callable, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    py_type *t = (py_type *)callable;
    if (t == &py_type_type && nargs == 1 && (!kwnames || ft_len(kwnames) == 0))
        return py_type_new_ref(args[0]);
    if (!t->tp_new)
        return py_err_format(py_exc_TypeError, "cannot create '%s' instances", t->ft.tp_name);
    ft_object *obj = t->tp_new(t, args, nargs, kwnames);
    if (!obj)
        return NULL;
    py_type *ot = py_type_of(obj);
    if (!py_type_is_subtype(ot, t))
        return obj;
    if (ot->tp_init && ot->tp_init(obj, args, nargs, kwnames) < 0) {
        ft_decref(obj);
        return NULL;
    }
    return obj;
}

/* type.__new__(meta, name, bases, dict, **kwds) */
static ft_object *type_new(py_type *meta, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    ssize_t nkw = kwnames ? ft_len(kwnames) : 0;
    if (meta == &py_type_type && nargs == 1 && nkw == 0)
        return py_type_new_ref(args[0]);
    if (nargs != 3)
        return py_err_format(py_exc_TypeError, "type() takes 1 or 3 arguments");
    if (args[0]->ob_type != &ft_str_type)
        return py_err_format(py_exc_TypeError,
                             "type.__new__() argument 1 must be str, not %s",
                             py_type_name(args[0]));
    if (args[1]->ob_type != &ft_tuple_type)
        return py_err_format(py_exc_TypeError,
                             "type.__new__() argument 2 must be tuple, not %s",
                             py_type_name(args[1]));
    if (args[2]->ob_type != &ft_dict_type)
        return py_err_format(py_exc_TypeError,
                             "type.__new__() argument 3 must be dict, not %s",
                             py_type_name(args[2]));
    py_type *winner = py_type_calculate_meta(meta, args[1]);
    if (!winner)
        return NULL;
    if (winner != meta && winner->tp_new != type_new)
        return py_vcall(&winner->ft.ob_base, args, nargs, kwnames);
    ft_object *kwargs = NULL;
    if (nkw) {
        if (!(kwargs = ft_dict_new()))
            return py_err_from_ft();
        for (ssize_t i = 0; i < nkw; i++)
            if (ft_dict_set(kwargs, ft_tuple_get_borrow(kwnames, i), args[nargs + (size_t)i]) < 0) {
                ft_decref(kwargs);
                return py_err_from_ft();
            }
    }
    ft_object *r = type_new_impl(winner, args[0], args[1], args[2], kwargs);
    ft_xdecref(kwargs);
    return r;
}

static int type_init(ft_object *self, ft_object *const *args, size_t nargs,
                     ft_object *kwnames)
{
    (void)self; (void)args; (void)kwnames;
    if (nargs != 1 && nargs != 3)
        return py_err_format_int(py_exc_TypeError, "type.__init__() takes 1 or 3 arguments");
    return 0;
}

static ft_object *type_repr(ft_object *o)
{
    py_type *t = (py_type *)o;
    ft_object *mod = py_type_module(t);
    if (!mod) {
        py_err_clear();
        return py_str_from_format("<class '%s'>", t->ft.tp_name);
    }
    ft_object *r;
    if (mod->ob_type == &ft_str_type && strcmp(utf8(mod), "builtins") != 0)
        r = py_str_from_format("<class '%s.%s'>", utf8(mod), py_type_qualname_utf8(t));
    else
        r = py_str_from_format("<class '%s'>", py_type_qualname_utf8(t));
    ft_decref(mod);
    return r;
}

const char *py_type_qualname_utf8(py_type *t)
{
    if (py_type_is_heap(t) && t->tp_qualname)
        return utf8(t->tp_qualname);
    const char *dot = strrchr(t->ft.tp_name, '.');
    return dot ? dot + 1 : t->ft.tp_name;
}

ft_object *py_type_module(py_type *t)
{
    if (py_type_is_heap(t)) {
        ft_object *m = t->tp_dict ? dict_get_borrow(t->tp_dict, PY_ID(__module__)) : NULL;
        if (m)
            return ft_newref(m);
        return _py_str("builtins");
    }
    const char *dot = strrchr(t->ft.tp_name, '.');
    if (dot)
        return ft_str_from_utf8(t->ft.tp_name, dot - t->ft.tp_name);
    return _py_str("builtins");
}

/* type's attribute lookup: the metaclass's data descriptors, then the
 * class's MRO (binding with __get__(None, cls)), then the metaclass's
 * other attributes. */
static int type_getattr_impl(ft_object *o, ft_object *name, ft_object **out, bool suppress)
{
    py_type *t = (py_type *)o;
    py_type *meta = py_type_of(o);
    ft_object *meta_attr = py_type_lookup_borrow(meta, name);
    py_descrgetfunc meta_get = NULL;
    if (meta_attr) {
        ft_incref(meta_attr);
        py_type *mt = py_type_of(meta_attr);
        meta_get = mt->tp_descr_get;
        if (meta_get && mt->tp_descr_set) {
            *out = meta_get(meta_attr, o, &meta->ft.ob_base);
            ft_decref(meta_attr);
            goto done;
        }
    }
    ft_object *attr = py_type_lookup_borrow(t, name);
    if (attr) {
        ft_incref(attr);
        py_descrgetfunc get = py_type_of(attr)->tp_descr_get;
        ft_xdecref(meta_attr);
        if (get) {
            *out = get(attr, NULL, o);
            ft_decref(attr);
        } else {
            *out = attr;
        }
        goto done;
    }
    if (meta_get) {
        *out = meta_get(meta_attr, o, &meta->ft.ob_base);
        ft_decref(meta_attr);
        goto done;
    }
    if (meta_attr) {
        *out = meta_attr;
        return 1;
    }
    if (suppress)
        return 0;
    py_err_format(py_exc_AttributeError, "type object '%s' has no attribute '%s'",
                  py_type_qualname_utf8(t), utf8(name));
    return -1;
done:
    if (*out)
        return 1;
    if (suppress && py_err_matches(py_exc_AttributeError)) {
        py_err_clear();
        return 0;
    }
    return -1;
}

static ft_object *type_getattro(ft_object *o, ft_object *name)
{
    ft_object *r = NULL;
    return type_getattr_impl(o, name, &r, false) > 0 ? r : NULL;
}

/* Stores v under key in t's dict (v NULL: removes key), as every change
 * of a class attribute after the class is made must (see the lookup
 * cache's contract, typeobject.h):
 *   1. the store (or removal) takes the dict's reference to the old value
 *      for us, in the dict's critical section (ft_dict_exchange/_pop);
 *   2. then the new version (type_modified, a release store): from then
 *      on no thread's cache hits an entry made under the old version.
 *      Not before the store: a thread that missed between a bump and the
 *      store would read the old value from the dict, find the version
 *      unchanged and cache it under the new version, for good;
 *   3. then the old value's reference goes after a grace period
 *      (ft_decref_later): a thread that found it before 1-2, in its cache
 *      or in the dict, holds it borrowed until its next checkpoint and may
 *      still use it or take a reference to it.
 * 1 done, 0 key missing (removal; no exception), -1 with a runtime error. */
static int type_dict_store(py_type *t, ft_object *key, ft_object *v)
{
    ft_object *old = NULL;
    int rc = v ? (ft_dict_exchange(t->tp_dict, key, v, &old) < 0 ? -1 : 1)
               : ft_dict_pop(t->tp_dict, key, &old);
    if (rc <= 0)
        return rc;
    type_modified(t);
    ft_decref_later(old);
    return 1;
}

int py_type_setattr(py_type *t, ft_object *name, ft_object *v)
{
    if (!py_type_is_heap(t))
        return py_err_format_int(py_exc_TypeError,
                                 "cannot set '%s' attribute of immutable type '%s'",
                                 utf8(name), t->ft.tp_name);
    /* data descriptors of the metaclass (__name__, __qualname__, __doc__...) */
    py_type *meta = py_type_of(&t->ft.ob_base);
    ft_object *ma = py_type_lookup_borrow(meta, name);
    if (ma && py_type_of(ma)->tp_descr_set) {
        ft_incref(ma);
        int rc = py_type_of(ma)->tp_descr_set(ma, &t->ft.ob_base, v);
        ft_decref(ma);
        return rc;
    }
    ft_object *key = ft_str_intern(name);
    if (!key)
        return py_err_from_ft_int();
    int rc = type_dict_store(t, key, v);
    if (rc == 0) {
        ft_decref(key);
        return py_err_format_int(py_exc_AttributeError,
                                 "type object '%s' has no attribute '%s'",
                                 py_type_qualname_utf8(t), utf8(name));
    }
    if (rc < 0) {
        ft_decref(key);
        return py_err_from_ft_int();
    }
    if (is_dunder(key))
        update_slots_recursive(t);
    ft_decref(key);
    return 0;
}

static int type_setattro(ft_object *o, ft_object *name, ft_object *v)
{
    if (name->ob_type != &ft_str_type)
        return py_err_format_int(py_exc_TypeError, "attribute name must be string, not '%s'",
                                 py_type_name(name));
    return py_type_setattr((py_type *)o, name, v);
}

static int type_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    py_type *t = (py_type *)o;
    if (!py_type_is_heap(t))
        return 0;
    ft_object *refs[] = { t->tp_dict, t->tp_mro, t->tp_bases,
                          t->tp_base ? &t->tp_base->ft.ob_base : NULL, t->tp_name_obj,
                          t->tp_qualname, t->tp_module, as_heap(t)->slots };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        if (refs[i]) {
            int rc = visit(refs[i], arg);
            if (rc)
                return rc;
        }
    return 0;
}

/* Breaks cycles through the class: its namespace's contents and its MRO
 * (which contains itself). Layout data and bases stay for the instances
 * still being torn down. */
static int type_clear(ft_object *o)
{
    py_type *t = (py_type *)o;
    if (!py_type_is_heap(t))
        return 0;
    type_modified(t);
    ft_object *empty = ft_dict_new();
    if (empty) {
        ft_object *old = t->tp_dict;
        t->tp_dict = empty;
        ft_xdecref(old);
    }
    ft_object *mro = t->tp_mro;
    t->tp_mro = NULL;
    ft_xdecref(mro);
    return 0;
}

static void type_dealloc(ft_object *o)
{
    py_type *t = (py_type *)o;
    py_heaptype *h = as_heap(t);
    ft_gc_untrack(o);
    ft_object_clear_weakrefs(o);
    remove_from_bases(t);
    ft_object *refs[] = { t->tp_dict, t->tp_mro, t->tp_bases,
                          t->tp_base ? &t->tp_base->ft.ob_base : NULL, t->tp_name_obj,
                          t->tp_qualname, t->tp_module, h->slots };
    t->tp_dict = t->tp_mro = t->tp_bases = t->tp_name_obj = t->tp_qualname = NULL;
    t->tp_module = h->slots = NULL;
    t->tp_base = NULL;
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        ft_xdecref(refs[i]);
    free(h->subclasses);
    h->subclasses = NULL;
    _py_attr_keys_free(h->attr_keys);
    h->attr_keys = NULL;
    char *name = h->name_buf;
    h->name_buf = NULL;
    t->ft.tp_name = "<dead class>";
    free(name);
    ft_object_free(o);
}

/* -- type's attributes -- */

static ft_object *type_get_name(ft_object *o)
{
    py_type *t = (py_type *)o;
    if (t->tp_name_obj)
        return ft_newref(t->tp_name_obj);
    const char *dot = strrchr(t->ft.tp_name, '.');
    return _py_str(dot ? dot + 1 : t->ft.tp_name);
}

static int type_set_name(ft_object *o, ft_object *v)
{
    py_type *t = (py_type *)o;
    if (!py_type_is_heap(t))
        return py_err_format_int(py_exc_TypeError,
                                 "cannot set '__name__' attribute of immutable type '%s'",
                                 t->ft.tp_name);
    if (!v)
        return py_err_format_int(py_exc_TypeError, "cannot delete '__name__' attribute of "
                                 "immutable type '%s'", t->ft.tp_name);
    if (v->ob_type != &ft_str_type)
        return py_err_format_int(py_exc_TypeError, "can only assign string to %s.__name__, not '%s'",
                                 t->ft.tp_name, py_type_name(v));
    ssize_t n;
    const char *s = ft_str_utf8_borrow(v, &n);
    if ((ssize_t)strlen(s) != n)
        return py_err_format_int(py_exc_ValueError, "type name must not contain null characters");
    char *buf = malloc((size_t)n + 1);
    if (!buf) {
        py_err_nomemory();
        return -1;
    }
    memcpy(buf, s, (size_t)n + 1);
    py_heaptype *h = as_heap(t);
    char *old = h->name_buf;
    h->name_buf = buf;
    t->ft.tp_name = buf;
    free(old);
    ft_object *oldn = t->tp_name_obj;
    t->tp_name_obj = ft_newref(v);
    ft_xdecref(oldn);
    return 0;
}

static ft_object *type_get_qualname(ft_object *o)
{
    py_type *t = (py_type *)o;
    if (py_type_is_heap(t) && t->tp_qualname)
        return ft_newref(t->tp_qualname);
    return type_get_name(o);
}

static int type_set_qualname(ft_object *o, ft_object *v)
{
    py_type *t = (py_type *)o;
    if (!py_type_is_heap(t))
        return py_err_format_int(py_exc_TypeError,
                                 "cannot set '__qualname__' attribute of immutable type '%s'",
                                 t->ft.tp_name);
    if (!v || v->ob_type != &ft_str_type)
        return py_err_format_int(py_exc_TypeError,
                                 "can only assign string to %s.__qualname__, not '%s'",
                                 t->ft.tp_name, v ? py_type_name(v) : "NoneType");
    ft_object *old = t->tp_qualname;
    t->tp_qualname = ft_newref(v);
    ft_xdecref(old);
    return 0;
}

static ft_object *type_get_module(ft_object *o) { return py_type_module((py_type *)o); }

static int type_set_module(ft_object *o, ft_object *v)
{
    py_type *t = (py_type *)o;
    if (!py_type_is_heap(t))
        return py_err_format_int(py_exc_TypeError,
                                 "cannot set '__module__' attribute of immutable type '%s'",
                                 t->ft.tp_name);
    if (!v)
        return py_err_format_int(py_exc_TypeError, "cannot delete '__module__' attribute");
    return type_dict_store(t, PY_ID(__module__), v) < 0 ? py_err_from_ft_int() : 0;
}

static ft_object *type_get_bases(ft_object *o)
{
    py_type *t = (py_type *)o;
    if (t->tp_bases)
        return ft_newref(t->tp_bases);
    ft_object *r = ft_tuple_new(0);
    return r ? r : py_err_from_ft();
}

/* Item i of a list only this function's caller holds (it keeps it alive). */
static ft_object *list_borrow(ft_object *l, ssize_t i)
{
    ft_object *v = ft_list_get(l, i);
    ft_decref(v);
    return v;
}

/* t and every heap class below it (new references), t first. */
static int collect_subtree(py_type *t, ft_object *out)
{
    if (ft_list_append(out, &t->ft.ob_base) < 0)
        return py_err_from_ft_int();
    for (ssize_t i = 0; i < ft_len(out); i++) {
        py_heaptype *h = as_heap((py_type *)list_borrow(out, i));
        ft_mutex_lock(&subclass_lock);
        ssize_t n = h->nsubclasses;
        py_heaptype **subs = n ? malloc((size_t)n * sizeof *subs) : NULL;
        for (ssize_t j = 0; subs && j < n; j++) {
            subs[j] = h->subclasses[j];
            ft_incref(&subs[j]->type.ft.ob_base);
        }
        ft_mutex_unlock(&subclass_lock);
        if (n && !subs) {
            py_err_nomemory();
            return -1;
        }
        int rc = 0;
        for (ssize_t j = 0; j < n; j++) {
            if (rc == 0 && ft_list_append(out, &subs[j]->type.ft.ob_base) < 0)
                rc = py_err_from_ft_int();
            ft_decref(&subs[j]->type.ft.ob_base);
        }
        free(subs);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* C.__bases__ = (...): the same instance layout, no cycle; the MROs of
 * C and of its subclasses are recomputed (all or nothing). */
static int type_set_bases(ft_object *o, ft_object *v)
{
    py_type *t = (py_type *)o;
    if (!py_type_is_heap(t))
        return py_err_format_int(py_exc_TypeError,
                                 "cannot set '__bases__' attribute of immutable type '%s'",
                                 t->ft.tp_name);
    if (!v)
        return py_err_format_int(py_exc_TypeError, "cannot delete '__bases__' attribute of "
                                 "immutable type '%s'", t->ft.tp_name);
    if (v->ob_type != &ft_tuple_type)
        return py_err_format_int(py_exc_TypeError,
                                 "can only assign tuple to %s.__bases__, not %s",
                                 t->ft.tp_name, py_type_name(v));
    ssize_t nb = ft_len(v);
    if (nb == 0)
        return py_err_format_int(py_exc_TypeError,
                                 "can only assign non-empty tuple to %s.__bases__, not ()",
                                 t->ft.tp_name);
    for (ssize_t i = 0; i < nb; i++) {
        ft_object *b = ft_tuple_get_borrow(v, i);
        if (!py_is_type(b))
            return py_err_format_int(py_exc_TypeError,
                                     "%s.__bases__ must be tuple of classes, not '%s'",
                                     t->ft.tp_name, py_type_name(b));
        if (py_type_is_subtype((py_type *)b, t))
            return py_err_format_int(py_exc_TypeError,
                                     "a __bases__ item causes an inheritance cycle");
    }
    py_type *nbase = best_base(v);
    if (!nbase)
        return -1;
    py_type *obase = t->tp_base;
    py_type *nst = py_type_is_heap(nbase) ? as_heap(nbase)->static_base : nbase;
    py_type *ost = py_type_is_heap(obase) ? as_heap(obase)->static_base : obase;
    if ((nst ? nst : &py_object_type) != (ost ? ost : &py_object_type))
        return py_err_format_int(py_exc_TypeError,
                                 "__bases__ assignment: '%s' deallocator differs from '%s'",
                                 nbase->ft.tp_name, obase->ft.tp_name);
    py_type *nsb = solid_base(nbase), *osb = solid_base(obase);
    if (nsb != osb || nbase->tp_dictoffset != obase->tp_dictoffset ||
        nbase->ft.tp_weaklistoffset != obase->ft.tp_weaklistoffset ||
        nbase->ft.tp_basicsize != obase->ft.tp_basicsize ||
        nbase->tp_boxoffset != obase->tp_boxoffset)
        return py_err_format_int(py_exc_TypeError,
                                 "__bases__ assignment: '%s' object layout differs from '%s'",
                                 nbase->ft.tp_name, obase->ft.tp_name);
    ft_object *tree = ft_list_new(0);
    if (!tree)
        return py_err_from_ft_int();
    if (collect_subtree(t, tree) < 0) {
        ft_decref(tree);
        return -1;
    }
    /* the new MROs, parents first (C3 reads the bases' MROs); the old
     * ones come back if one fails */
    ft_object *old_bases = t->tp_bases;
    t->tp_bases = v;
    ssize_t n = ft_len(tree);
    ft_object **olds = calloc((size_t)n, sizeof *olds);
    int rc = olds ? 0 : -1;
    if (!olds)
        py_err_nomemory();
    ssize_t done = 0;
    for (; rc == 0 && done < n; done++) {
        py_type *k = (py_type *)list_borrow(tree, done);
        ft_object *mro = type_mro_c3(k, k->tp_bases);
        if (!mro) {
            rc = -1;
            break;
        }
        olds[done] = k->tp_mro;
        k->tp_mro = mro;
    }
    t->tp_bases = old_bases;
    if (rc < 0) {
        for (ssize_t i = 0; olds && i < done; i++) {
            py_type *k = (py_type *)list_borrow(tree, i);
            ft_object *mro = k->tp_mro;
            k->tp_mro = olds[i];
            ft_decref(mro);
        }
        free(olds);
        ft_decref(tree);
        return -1;
    }
    for (ssize_t i = 0; i < n; i++)
        ft_decref_later(olds[i]);   /* lookups may still walk them */
    free(olds);
    ft_decref(tree);
    remove_from_bases(t);
    t->tp_bases = ft_newref(v);
    t->tp_base = (py_type *)ft_newref(&nbase->ft.ob_base);
    for (ssize_t i = 0; i < nb; i++)
        add_subclass((py_type *)ft_tuple_get_borrow(v, i), t);
    type_modified(t);
    update_slots_recursive(t);
    ft_decref(old_bases);
    ft_decref(&obase->ft.ob_base);
    return 0;
}

static ft_object *type_get_base(ft_object *o)
{
    py_type *t = (py_type *)o;
    return ft_newref(t->tp_base ? &t->tp_base->ft.ob_base : ft_none());
}

static ft_object *type_get_mro(ft_object *o)
{
    py_type *t = (py_type *)o;
    return ft_newref(t->tp_mro ? t->tp_mro : ft_none());
}

/* __dict__: a read-only view of the class namespace (mappingproxy). */
typedef struct mappingproxy {
    ft_object ob_base;
    ft_object *mapping;
} mappingproxy;

static int mp_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    ft_object *m = ((mappingproxy *)o)->mapping;
    return m ? visit(m, arg) : 0;
}

static int mp_clear(ft_object *o)
{
    ft_object *m = ((mappingproxy *)o)->mapping;
    ((mappingproxy *)o)->mapping = NULL;
    ft_xdecref(m);
    return 0;
}

static ft_object *mp_map(ft_object *o)
{
    ft_object *m = ((mappingproxy *)o)->mapping;
    return m ? m : ft_none();
}

static ft_object *mp_getitem(ft_object *o, ft_object *k) { return py_getitem(mp_map(o), k); }
static int mp_contains(ft_object *o, ft_object *k) { return py_contains(mp_map(o), k); }
static ft_object *mp_iter(ft_object *o) { return py_iter(mp_map(o)); }
static ssize_t mp_len(ft_object *o) { return py_len(mp_map(o)); }

static ft_object *mp_repr(ft_object *o)
{
    ft_object *r = py_repr(mp_map(o));
    if (!r)
        return NULL;
    ft_object *s = py_str_from_format("mappingproxy(%s)", utf8(r));
    ft_decref(r);
    return s;
}

static ft_object *mp_richcompare(ft_object *a, ft_object *b, int op)
{
    if (py_type_of(a) != &py_mappingproxy_class)
        return py_notimplemented();
    return py_richcompare(mp_map(a), b, op);
}

/* keys(), values(), items(), get(), copy(): the mapping's own methods */
#define MP_FORWARD(fn, pyname)                                                   \
    static ft_object *fn(ft_object *self, ft_object *const *args, size_t nargs, \
                         ft_object *kwnames)                                     \
    {                                                                            \
        if (py_no_kwargs(pyname, kwnames) < 0)                                   \
            return NULL;                                                         \
        ft_object *name = _py_str(pyname);                                       \
        if (!name)                                                               \
            return NULL;                                                         \
        ft_object *r = py_call_method(mp_map(self), name, args, nargs);          \
        ft_decref(name);                                                         \
        return r;                                                                \
    }
MP_FORWARD(mp_keys, "keys")
MP_FORWARD(mp_values, "values")
MP_FORWARD(mp_items, "items")
MP_FORWARD(mp_get, "get")
MP_FORWARD(mp_copy, "copy")
#undef MP_FORWARD

static const py_method_def mp_methods[] = {
    { "keys", mp_keys, PY_METH_DEFAULT },
    { "values", mp_values, PY_METH_DEFAULT },
    { "items", mp_items, PY_METH_DEFAULT },
    { "get", mp_get, PY_METH_DEFAULT },
    { "copy", mp_copy, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

py_type py_mappingproxy_class = {
    .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft), .tp_name = "mappingproxy",
            .tp_basicsize = sizeof(mappingproxy), .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC,
            .tp_dealloc = gc_dealloc, .tp_traverse = mp_traverse, .tp_clear = mp_clear,
            .tp_repr = mp_repr, .tp_len = mp_len },
    .tp_getitem = mp_getitem,
    .tp_contains = mp_contains,
    .tp_iter = mp_iter,
    .tp_richcompare = mp_richcompare,
    .tp_methods = mp_methods,
};

ft_object *py_mappingproxy_new(ft_object *mapping)
{
    mappingproxy *p = (mappingproxy *)ft_object_new(&py_mappingproxy_class.ft,
                                                    sizeof(mappingproxy));
    if (!p)
        return py_err_from_ft();
    p->mapping = ft_newref(mapping);
    return &p->ob_base;
}

static ft_object *type_get_dict(ft_object *o)
{
    py_type *t = (py_type *)o;
    if (!t->tp_dict)
        return py_err_format(py_exc_AttributeError, "type object has no __dict__");
    return py_mappingproxy_new(t->tp_dict);
}

static ft_object *type_get_doc(ft_object *o)
{
    py_type *t = (py_type *)o;
    ft_object *d = t->tp_dict ? dict_get_borrow(t->tp_dict, PY_ID(__doc__)) : NULL;
    if (!d)
        return ft_none();
    py_descrgetfunc get = py_type_of(d)->tp_descr_get;
    if (get)
        return get(d, NULL, o);
    return ft_newref(d);
}

static int type_set_doc(ft_object *o, ft_object *v)
{
    py_type *t = (py_type *)o;
    if (!py_type_is_heap(t))
        return py_err_format_int(py_exc_TypeError,
                                 "cannot set '__doc__' attribute of immutable type '%s'",
                                 t->ft.tp_name);
    return type_dict_store(t, PY_ID(__doc__), v ? v : ft_none()) < 0 ? py_err_from_ft_int() : 0;
}

static ft_object *type_get_basicsize(ft_object *o)
{
    return ft_int_from_i64((int64_t)((py_type *)o)->ft.tp_basicsize);
}

static ft_object *type_get_flags(ft_object *o)
{
    return ft_int_from_i64((int64_t)((py_type *)o)->ft.tp_flags);
}

static const py_getset_def type_getset[] = {
    { "__name__", type_get_name, type_set_name },
    { "__qualname__", type_get_qualname, type_set_qualname },
    { "__module__", type_get_module, type_set_module },
    { "__bases__", type_get_bases, type_set_bases },
    { "__base__", type_get_base, NULL },
    { "__mro__", type_get_mro, NULL },
    { "__dict__", type_get_dict, NULL },
    { "__doc__", type_get_doc, type_set_doc },
    { "__basicsize__", type_get_basicsize, NULL },
    { "__flags__", type_get_flags, NULL },
    { NULL, NULL, NULL },
};

static ft_object *type_mro_method(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("mro", kwnames) < 0 || py_check_nargs("mro", nargs, 0, 0) < 0)
        return NULL;
    py_type *t = (py_type *)self;
    ft_object *mro = t->tp_mro ? ft_newref(t->tp_mro) : type_mro_c3(t, t->tp_bases);
    if (!mro)
        return NULL;
    ft_object *l = py_sequence_list(mro);
    ft_decref(mro);
    return l;
}

static ft_object *type_subclasses(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("__subclasses__", kwnames) < 0 ||
        py_check_nargs("__subclasses__", nargs, 0, 0) < 0)
        return NULL;
    py_type *t = (py_type *)self;
    ft_object *l = ft_list_new(0);
    if (!l)
        return py_err_from_ft();
    int rc = 0;
    ft_mutex_lock(&subclass_lock);
    if (py_type_is_heap(t)) {
        py_heaptype *h = as_heap(t);
        for (ssize_t i = 0; i < h->nsubclasses && rc == 0; i++)
            rc = ft_list_append(l, &h->subclasses[i]->type.ft.ob_base);
    } else {
        static_subs *e = static_subs_of(t, false);
        for (ssize_t i = 0; e && i < e->n && rc == 0; i++)
            rc = ft_list_append(l, &e->subs[i]->ft.ob_base);
    }
    ft_mutex_unlock(&subclass_lock);
    if (rc < 0) {
        ft_decref(l);
        return py_err_from_ft();
    }
    return l;
}

static ft_object *type_instancecheck(ft_object *self, ft_object *const *args, size_t nargs,
                                     ft_object *kwnames)
{
    if (py_no_kwargs("__instancecheck__", kwnames) < 0 ||
        py_check_nargs("__instancecheck__", nargs, 1, 1) < 0)
        return NULL;
    return py_bool_new(py_isinstance_exact_or_sub(args[0], (py_type *)self));
}

static ft_object *type_subclasscheck(ft_object *self, ft_object *const *args, size_t nargs,
                                     ft_object *kwnames)
{
    if (py_no_kwargs("__subclasscheck__", kwnames) < 0 ||
        py_check_nargs("__subclasscheck__", nargs, 1, 1) < 0)
        return NULL;
    if (!py_is_type(args[0]))
        return py_err_format(py_exc_TypeError, "issubclass() arg 1 must be a class");
    return py_bool_new(py_type_is_subtype((py_type *)args[0], (py_type *)self));
}

static ft_object *type_prepare(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    ft_object *d = ft_dict_new();
    return d ? d : py_err_from_ft();
}

static ft_object *type_dir(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("__dir__", kwnames) < 0 || py_check_nargs("__dir__", nargs, 0, 0) < 0)
        return NULL;
    ft_object *s = ft_set_new();
    if (!s)
        return py_err_from_ft();
    if (merge_class_dict(s, (py_type *)self) < 0) {
        ft_decref(s);
        return NULL;
    }
    ft_object *l = py_sequence_list(s);
    ft_decref(s);
    return l;
}

static ft_object *type_sizeof(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return ft_int_from_i64(py_type_is_heap((py_type *)self) ? (int64_t)sizeof(py_heaptype)
                                                            : (int64_t)sizeof(py_type));
}

static const py_method_def type_methods[] = {
    { "mro", type_mro_method, PY_METH_DEFAULT },
    { "__subclasses__", type_subclasses, PY_METH_DEFAULT },
    { "__instancecheck__", type_instancecheck, PY_METH_DEFAULT },
    { "__subclasscheck__", type_subclasscheck, PY_METH_DEFAULT },
    { "__prepare__", type_prepare, PY_METH_CLASS },
    { "__dir__", type_dir, PY_METH_DEFAULT },
    { "__sizeof__", type_sizeof, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

/* ---- list[int] and int | None (types.GenericAlias, types.UnionType) ----
 * Enough for annotations and isinstance: the origin and arguments, repr,
 * equality, calling an alias, and isinstance/issubclass with a union. */

typedef struct alias_object {
    ft_object ob_base;
    ft_object *origin;           /* GenericAlias: the class; union: NULL */
    ft_object *args;             /* tuple                                */
} alias_object;

static int alias_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    alias_object *a = (alias_object *)o;
    int rc = a->origin ? visit(a->origin, arg) : 0;
    if (!rc && a->args)
        rc = visit(a->args, arg);
    return rc;
}

static int alias_clear(ft_object *o)
{
    alias_object *a = (alias_object *)o;
    ft_object *x = a->origin, *y = a->args;
    a->origin = a->args = NULL;
    ft_xdecref(x);
    ft_xdecref(y);
    return 0;
}

static ft_object *alias_make(py_type *cls, ft_object *origin, ft_object *args_steal)
{
    if (!args_steal)
        return NULL;
    alias_object *a = (alias_object *)ft_object_new(&cls->ft, sizeof(alias_object));
    if (!a) {
        ft_decref(args_steal);
        return py_err_from_ft();
    }
    a->origin = origin ? ft_newref(origin) : NULL;
    a->args = args_steal;
    return &a->ob_base;
}

/* How an annotation item prints: classes by (module.)qualname, None and
 * ... by name, anything else by repr. */
static ft_object *annotation_repr(ft_object *o)
{
    if (o == ft_none() || o == py_type_as_obj(&py_none_class))
        return _py_str("None");
    if (o == &py_ellipsis_object)
        return _py_str("...");
    if (py_is_type(o) && !py_type_of(o)->tp_getitem) {
        py_type *t = (py_type *)o;
        ft_object *mod = py_type_module(t);
        if (!mod)
            return NULL;
        ft_object *r = strcmp(utf8(mod), "builtins") == 0
                       ? _py_str(py_type_qualname_utf8(t))
                       : py_str_from_format("%s.%s", utf8(mod), py_type_qualname_utf8(t));
        ft_decref(mod);
        return r;
    }
    return py_repr(o);
}

/* Joins the annotation reprs of args with sep into buf (a list of strs). */
static ft_object *join_args(ft_object *args, const char *sep, const char *open,
                            const char *close, ft_object *head)
{
    ft_object *acc = head ? ft_newref(head) : _py_str("");
    if (!acc)
        return NULL;
    for (ssize_t i = 0, n = ft_len(args); i < n; i++) {
        ft_object *r = annotation_repr(ft_tuple_get_borrow(args, i));
        if (!r) {
            ft_decref(acc);
            return NULL;
        }
        ft_object *next = py_str_from_format("%s%s%s", utf8(acc),
                                             i == 0 ? open : sep, utf8(r));
        ft_decref(r);
        ft_decref(acc);
        if (!next)
            return NULL;
        acc = next;
    }
    ft_object *r = py_str_from_format("%s%s", utf8(acc), close);
    ft_decref(acc);
    return r;
}

static ft_object *alias_repr(ft_object *o)
{
    alias_object *a = (alias_object *)o;
    if (!a->origin)
        return join_args(a->args, " | ", "", "", NULL);
    ft_object *head = annotation_repr(a->origin);
    if (!head)
        return NULL;
    ft_object *r = ft_len(a->args) == 0 ? py_str_from_format("%s[()]", utf8(head))
                                        : join_args(a->args, ", ", "[", "]", head);
    ft_decref(head);
    return r;
}

static ft_object *alias_vcall(ft_object *o, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    alias_object *a = (alias_object *)o;
    if (!a->origin)
        return py_err_format(py_exc_TypeError, "'types.UnionType' object is not callable");
    return py_vcall(a->origin, args, nargs, kwnames);
}

static ft_object *alias_getattro(ft_object *o, ft_object *name)
{
    alias_object *a = (alias_object *)o;
    const char *n = utf8(name);
    if (strcmp(n, "__origin__") == 0 && a->origin)
        return ft_newref(a->origin);
    if (strcmp(n, "__args__") == 0)
        return ft_newref(a->args);
    if (strcmp(n, "__parameters__") == 0)
        return ft_tuple_new(0);
    ft_object *r = NULL;
    int rc = py_generic_getattr_opt(o, name, &r);
    if (rc != 0)
        return rc > 0 ? r : NULL;
    if (a->origin && !is_dunder(name))
        return py_getattr(a->origin, name);
    return py_err_format(py_exc_AttributeError, "'%s' object has no attribute '%s'",
                         py_type_name(o), n);
}

static ft_object *alias_richcompare(ft_object *x, ft_object *y, int op)
{
    if ((op != PY_EQ && op != PY_NE) || py_type_of(x) != py_type_of(y) ||
        (py_type_of(x) != &generic_alias_class && py_type_of(x) != &union_class))
        return py_notimplemented();
    alias_object *a = (alias_object *)x, *b = (alias_object *)y;
    int eq = a->origin == b->origin;
    if (eq && a->origin)
        eq = py_richcompare_bool(a->args, b->args, PY_EQ);
    else if (eq) {
        /* unions compare as sets of classes */
        eq = ft_len(a->args) == ft_len(b->args);
        for (ssize_t i = 0, n = ft_len(a->args); eq > 0 && i < n; i++) {
            int in = 0;
            for (ssize_t j = 0; in == 0 && j < n; j++)
                in = py_richcompare_bool(ft_tuple_get_borrow(a->args, i),
                                         ft_tuple_get_borrow(b->args, j), PY_EQ);
            eq = in;
        }
    }
    if (eq < 0)
        return NULL;
    return py_bool_new(op == PY_EQ ? eq : !eq);
}

static int64_t alias_hash(ft_object *o)
{
    alias_object *a = (alias_object *)o;
    int64_t h = 0;
    if (!a->origin) {
        /* order-independent, as union equality */
        for (ssize_t i = 0, n = ft_len(a->args); i < n; i++) {
            int64_t x = py_hash(ft_tuple_get_borrow(a->args, i));
            if (x == -1)
                return -1;
            h ^= x;
        }
    } else if ((h = py_hash(a->args)) == -1) {
        return -1;
    }
    h ^= a->origin ? _py_identity_hash(a->origin) : 0x5a5a;
    return h == -1 ? -2 : h;
}

/* Can x take part in a union (a class, None, an alias or a union)? */
static bool unionable(ft_object *x)
{
    py_type *t = py_type_of(x);
    return x == ft_none() || py_is_type(x) || t == &generic_alias_class || t == &union_class;
}

static int union_add(ft_object *list, ft_object *x)
{
    if (py_type_of(x) == &union_class) {
        ft_object *args = ((alias_object *)x)->args;
        for (ssize_t i = 0, n = ft_len(args); i < n; i++)
            if (union_add(list, ft_tuple_get_borrow(args, i)) < 0)
                return -1;
        return 0;
    }
    if (x == ft_none())
        x = py_type_as_obj(&py_none_class);
    for (ssize_t i = 0, n = ft_len(list); i < n; i++) {
        ft_object *y = ft_list_get(list, i);
        int eq = y ? py_richcompare_bool(x, y, PY_EQ) : -1;
        ft_xdecref(y);
        if (eq != 0)
            return eq < 0 ? -1 : 0;
    }
    return ft_list_append(list, x) < 0 ? py_err_from_ft_int() : 0;
}

static ft_object *union_or(ft_object *a, ft_object *b, int op)
{
    if ((op & ~PY_OP_INPLACE) != PY_OP_OR || !unionable(a) || !unionable(b))
        return py_notimplemented();
    ft_object *list = ft_list_new(0);
    if (!list)
        return py_err_from_ft();
    if (union_add(list, a) < 0 || union_add(list, b) < 0) {
        ft_decref(list);
        return NULL;
    }
    ft_object *args = py_sequence_tuple(list);
    ft_decref(list);
    if (args && ft_len(args) == 1) {
        ft_object *only = ft_newref(ft_tuple_get_borrow(args, 0));
        ft_decref(args);
        return only;
    }
    return alias_make(&union_class, NULL, args);
}

static ft_object *type_binop(ft_object *a, ft_object *b, int op)
{
    return union_or(a, b, op);
}

/* The classes of a union (borrowed tuple) or NULL. */
ft_object *_py_union_args_borrow(ft_object *o)
{
    return py_type_of(o) == &union_class ? ((alias_object *)o)->args : NULL;
}

/* cls[args] for the built-in generic classes. */
ft_object *_py_generic_alias_new(ft_object *origin, ft_object *args)
{
    ft_object *t = args->ob_type == &ft_tuple_type ? ft_newref(args) : ft_tuple_new(1);
    if (!t)
        return py_err_from_ft();
    if (args->ob_type != &ft_tuple_type)
        ft_tuple_set_steal(t, 0, ft_newref(args));
    return alias_make(&generic_alias_class, origin, t);
}

static ft_object *alias_getitem(ft_object *o, ft_object *key)
{
    alias_object *a = (alias_object *)o;
    if (!a->origin)
        return py_err_format(py_exc_TypeError, "'types.UnionType' object is not subscriptable");
    return _py_generic_alias_new(a->origin, key);
}

static py_type generic_alias_class = {
    .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft), .tp_name = "types.GenericAlias",
            .tp_basicsize = sizeof(alias_object), .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC,
            .tp_dealloc = gc_dealloc, .tp_traverse = alias_traverse, .tp_clear = alias_clear,
            .tp_repr = alias_repr, .tp_hash = alias_hash },
    .tp_getattro = alias_getattro,
    .tp_richcompare = alias_richcompare,
    .tp_binop = union_or,
    .tp_getitem = alias_getitem,
    .tp_vcall = alias_vcall,
};

static py_type union_class = {
    .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft), .tp_name = "types.UnionType",
            .tp_basicsize = sizeof(alias_object), .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC,
            .tp_dealloc = gc_dealloc, .tp_traverse = alias_traverse, .tp_clear = alias_clear,
            .tp_repr = alias_repr, .tp_hash = alias_hash },
    .tp_getattro = alias_getattro,
    .tp_richcompare = alias_richcompare,
    .tp_binop = union_or,
    .tp_getitem = alias_getitem,
};

py_type py_type_type = {
    .ft = { .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft), .tp_name = "type",
            .tp_basicsize = sizeof(py_heaptype),
            .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE | PY_TPFLAGS_TYPE |
                        FT_TPFLAGS_GC,
            .tp_dealloc = type_dealloc, .tp_traverse = type_traverse,
            .tp_clear = type_clear, .tp_hash = _py_identity_hash, .tp_repr = type_repr,
            /* heap classes only: _weakref refuses static classes */
            .tp_weaklistoffset = offsetof(py_heaptype, xweaklist) },
    .tp_getattro = type_getattro,
    .tp_setattro = type_setattro,
    .tp_new = type_new,
    .tp_init = type_init,
    .tp_vcall = type_vcall,
    .tp_binop = type_binop,
    .tp_methods = type_methods,
    .tp_getset = type_getset,
    .tp_dictoffset = offsetof(py_type, tp_dict),
};

/* ==== 9. Init / fini ========================================================= */

static int make_ids(void)
{
    for (int i = 0; i < PY_OP__COUNT; i++) {
        const char *n[3] = { binop_names[i].name, binop_names[i].rname, binop_names[i].iname };
        for (int j = 0; j < 3; j++) {
            ft_object *s = _py_str(n[j]);
            if (!s)
                return -1;
            binop_ids[i][j] = intern(s);
            ft_decref(s);
            if (!binop_ids[i][j])
                return -1;
        }
    }
    for (int i = 0; i < 6; i++) {
        ft_object *s = _py_str(cmp_names[i]);
        if (!s || !(cmp_ids[i] = intern(s))) {
            ft_xdecref(s);
            return -1;
        }
        ft_decref(s);
    }
    for (int i = 0; i < 3; i++) {
        ft_object *s = _py_str(unary_names[i]);
        if (!s || !(unary_ids[i] = intern(s))) {
            ft_xdecref(s);
            return -1;
        }
        ft_decref(s);
    }
    return 0;
}

static void free_ids(void)
{
    for (int i = 0; i < PY_OP__COUNT; i++)
        for (int j = 0; j < 3; j++) {
            ft_xdecref(binop_ids[i][j]);
            binop_ids[i][j] = NULL;
        }
    for (int i = 0; i < 6; i++) {
        ft_xdecref(cmp_ids[i]);
        cmp_ids[i] = NULL;
    }
    for (int i = 0; i < 3; i++) {
        ft_xdecref(unary_ids[i]);
        unary_ids[i] = NULL;
    }
}

extern py_type py_super_class;

int py_types_init(void)
{
    if (_py_ident_init() < 0 || make_ids() < 0)
        return -1;
    py_register_ft_class(&ft_int_type, &py_int_class);
    py_register_ft_class(&ft_bool_type, &py_bool_class);
    py_register_ft_class(&ft_float_type, &py_float_class);
    py_register_ft_class(&ft_str_type, &py_str_class);
    py_register_ft_class(&ft_tuple_type, &py_tuple_class);
    py_register_ft_class(&ft_list_type, &py_list_class);
    py_register_ft_class(&ft_dict_type, &py_dict_class);
    py_register_ft_class(&ft_set_type, &py_set_class);
    py_register_ft_class(&ft_none_type, &py_none_class);
    py_register_ft_class(&ft_cfunction_type, &py_ft_cfunction_class);
    py_register_ft_class(&ft_weakref_type, &py_weakref_class);
    py_register_ft_class(&ft_type_type, &py_type_type);
    py_type *mine[] = {
        &py_object_type, &py_type_type, &py_none_class, &py_notimplemented_class,
        &py_ellipsis_class, &py_method_descr_class, &py_classmethod_descr_class,
        &py_cfunction_class, &py_classmethod_class, &py_staticmethod_class,
        &py_property_class, &py_getset_descr_class, &py_member_descr_class,
        &py_slot_wrapper_class, &py_method_wrapper_class, &py_ft_cfunction_class,
        &py_weakref_class, &py_super_class, &generic_alias_class, &union_class,
        &py_mappingproxy_class,
    };
    for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
        if (py_type_ready(mine[i]) < 0)
            return -1;
    if (_py_exceptions_init() < 0)
        return -1;
    return 0;
}

/* Readies the other groups' classes of runtime objects (idempotent; their
 * owners ready them in their own init steps). */
int _py_ready_all_builtin_classes(void)
{
    py_type *theirs[] = {
        &py_int_class, &py_bool_class, &py_float_class, &py_str_class, &py_bytes_class,
        &py_tuple_class, &py_list_class, &py_dict_class, &py_set_class, &py_frozenset_class,
    };
    for (size_t i = 0; i < sizeof theirs / sizeof theirs[0]; i++)
        if (py_type_ready(theirs[i]) < 0)
            return -1;
    return 0;
}

void py_types_fini(void)
{
    lookup_cache_clear();
    _py_exceptions_fini();
    /* static classes: drop what py_type_ready made (newest first) */
    for (size_t i = ready_n; i-- > 0;) {
        py_type *t = ready_list[i];
        ft_object *d = t->tp_dict;
        t->tp_dict = NULL;
        ft_xdecref(d);
    }
    for (size_t i = ready_n; i-- > 0;) {
        py_type *t = ready_list[i];
        ft_object *refs[] = { t->tp_mro, t->tp_bases, t->tp_name_obj, t->tp_qualname,
                              t->tp_module };
        t->tp_mro = t->tp_bases = t->tp_name_obj = t->tp_qualname = t->tp_module = NULL;
        t->ft.tp_flags &= ~(uint32_t)PY_TPFLAGS_READY;
        t->tp_version = 0;   /* unpublished: a new py_init readies it again */
        for (size_t j = 0; j < sizeof refs / sizeof refs[0]; j++)
            ft_xdecref(refs[j]);
    }
    free(ready_list);
    ready_list = NULL;
    ready_n = ready_cap = 0;
    for (int i = 0; i < generic_n; i++)
        free(generic_classes[i]);
    generic_n = 0;
    ft_map_n = 0;
    memset(fast_map, 0, sizeof fast_map);
    static_subs_fini();
    free_ids();
    _py_ident_fini();
}
