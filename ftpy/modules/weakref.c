/* modules/weakref.c — the _weakref module: ref (ReferenceType), proxy
 * (ProxyType, CallableProxyType), getweakrefcount, getweakrefs.
 *
 * Design notes
 *
 * The runtime's weak references (ftlab/weakref.h) are fixed-size objects
 * of one C type: Python cannot subclass them (WeakMethod, KeyedRef) nor
 * give them attributes, and the runtime reports a callback's error in its
 * own words. So a Python-level weak reference here is an object of its own
 * ("outer", struct wref) that holds a runtime weakref to the referent
 * ("inner"):
 *
 *   outer (ref / proxy) --inner--> runtime weakref ~~weak~~> referent
 *        ^                               |
 *        |                               | callback (only with a Python
 *        ~~weak~~ back <--- trampoline <-+  callback)
 *
 * The inner's callback is a trampoline object that holds the Python
 * callback and a runtime weakref `back` to the outer. When the referent
 * dies (refcount or collector), the runtime clears every inner weakref and
 * calls the trampolines, newest first; a trampoline gets its outer through
 * `back` — the runtime hands out a referent only while its count is above
 * zero (a conditional incref under its lock), which is exactly the guard
 * needed when the outer is dying in another thread at that moment — and
 * calls callback(outer). An outer that died first is never called back,
 * as in CPython. No strong cycle: the outer owns the inner, the inner the
 * trampoline, the trampoline only a weak reference to the outer. The
 * trampoline keeps the caller's Python exception state and prints a
 * callback's error as CPython does ("Exception ignored in: <function
 * ...>"), so that it never reaches the code whose decref freed the
 * referent.
 *
 * Hence outers themselves are weakly referenceable at the runtime level
 * (tp_weaklistoffset), though Python may not weakly reference a plain
 * ref or proxy (CPython's TypeError); subclasses of ref may.
 *
 * Registry. getweakrefs() must list the Python weakrefs to an object, and
 * CPython hands out the same basic ref (no callback, exact type) or basic
 * proxy for every ref(o) / proxy(o): both need the outers of a referent.
 * A global table maps the referent's address (never dereferenced) to the
 * `back` weakrefs of its outers; entries are added at birth and removed
 * when the outer dies. An entry whose referent died (and whose address a
 * new object may now have) is filtered out by asking its inner, which
 * never points anywhere again once cleared. The table's lock is a leaf:
 * no runtime allocation, decref or call is made while it is held.
 *
 * Classes of ftpy: heap classes are weakly referenceable (their weak list
 * lives in py_heaptype); static classes (int, list, ...) are not here,
 * unlike CPython, since struct py_type has no room for a list. Instances
 * of the built-in exception classes are refused as in CPython (ftpy's
 * exceptions carry a list for the Python-defined subclasses).
 *
 * Threads: an outer's fields are written before it is published and
 * dropped only by its tp_clear (the world stopped) or its dealloc; the
 * cached hash is idempotent (relaxed). Concurrent ref(o) calls may both
 * make a basic ref; each is correct, only the sharing is lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include "../ftpy.h"
#include "../objects/typeobject.h"
#include "../vm/vm.h"
#include "modules.h"

typedef struct wref {
    ft_object ob_base;
    ft_object *inner;            /* runtime weakref to the referent; NULL
                                    after tp_clear                         */
    ft_object *callback;         /* the Python callback or NULL            */
    ft_object *back;             /* runtime weakref to this outer (the
                                    registry holds another reference)      */
    const void *key;             /* the referent's address: registry key   */
    _Atomic int64_t xhash;       /* the referent's hash; -1: not known     */
    void *xweaklist;             /* the runtime's list head                */
} wref;

static inline wref *as_wref(ft_object *o) { return (wref *)o; }

extern py_type wref_class, proxy_class, cproxy_class;

static bool is_ref(ft_object *o) { return py_isinstance_exact_or_sub(o, &wref_class); }
static bool is_proxy(ft_object *o)
{
    return o->ob_type == &proxy_class.ft || o->ob_type == &cproxy_class.ft;
}

/* ---- The registry ------------------------------------------------------- */

typedef struct reg_node {
    struct reg_node *next;
    const void *key;             /* the referent's address                 */
    ft_object *back;             /* owned                                  */
} reg_node;

static ft_mutex reg_lock = FT_MUTEX_INIT;
static reg_node **reg_buckets;
static size_t reg_nbuckets, reg_count;

static size_t reg_slot(const void *key, size_t nb)
{
    uint64_t h = (uint64_t)(uintptr_t)key * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 32) & (nb - 1);
}

/* Lock held. Doubling fails quietly: the chains just grow longer. */
static void reg_grow(void)
{
    size_t nb = reg_nbuckets ? reg_nbuckets * 2 : 64;
    reg_node **nbk = calloc(nb, sizeof *nbk);
    if (!nbk)
        return;
    for (size_t i = 0; i < reg_nbuckets; i++)
        for (reg_node *n = reg_buckets[i], *next; n; n = next) {
            next = n->next;
            size_t s = reg_slot(n->key, nb);
            n->next = nbk[s];
            nbk[s] = n;
        }
    free(reg_buckets);
    reg_buckets = nbk;
    reg_nbuckets = nb;
}

/* Adds (key, back), taking a new reference to back. 0 or -1 (MemoryError). */
static int reg_add(const void *key, ft_object *back)
{
    reg_node *n = malloc(sizeof *n);
    if (!n) {
        py_err_nomemory();
        return -1;
    }
    n->key = key;
    n->back = ft_newref(back);
    ft_mutex_lock(&reg_lock);
    if (reg_count >= reg_nbuckets)
        reg_grow();
    if (!reg_nbuckets) {
        ft_mutex_unlock(&reg_lock);
        ft_decref(back);
        free(n);
        py_err_nomemory();
        return -1;
    }
    size_t s = reg_slot(key, reg_nbuckets);
    /* at the head: a chain lists the outers of one referent newest first */
    n->next = reg_buckets[s];
    reg_buckets[s] = n;
    reg_count++;
    ft_mutex_unlock(&reg_lock);
    return 0;
}

static void reg_remove(const void *key, ft_object *back)
{
    reg_node *found = NULL;
    ft_mutex_lock(&reg_lock);
    if (reg_nbuckets) {
        for (reg_node **p = &reg_buckets[reg_slot(key, reg_nbuckets)]; *p; p = &(*p)->next)
            if ((*p)->back == back) {
                found = *p;
                *p = found->next;
                reg_count--;
                break;
            }
    }
    ft_mutex_unlock(&reg_lock);
    if (found) {
        ft_decref(found->back);   /* outside the lock: may run a dealloc */
        free(found);
    }
}

/* New references to the `back` weakrefs registered under key, newest
 * first, in a malloc'ed array (*n items; NULL with *n == 0 when none).
 * -1 with MemoryError. */
static int reg_snapshot(const void *key, ft_object ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    ft_mutex_lock(&reg_lock);
    size_t cnt = 0;
    reg_node *chain = reg_nbuckets ? reg_buckets[reg_slot(key, reg_nbuckets)] : NULL;
    for (reg_node *x = chain; x; x = x->next)
        cnt += x->key == key;
    ft_object **a = cnt ? malloc(cnt * sizeof *a) : NULL;
    if (cnt && !a) {
        ft_mutex_unlock(&reg_lock);
        py_err_nomemory();
        return -1;
    }
    for (reg_node *x = chain; x; x = x->next)
        if (x->key == key)
            a[(*n)++] = ft_newref(x->back);
    ft_mutex_unlock(&reg_lock);
    *out = a;
    return 0;
}

/* The outer behind a registry entry, if it is alive and still refers to
 * o (a new reference), else NULL. */
static ft_object *live_outer_of(ft_object *back, ft_object *o)
{
    ft_object *w = ft_weakref_get(back);
    if (!w || w == ft_none()) {
        ft_err_clear();
        return NULL;
    }
    ft_object *inner = as_wref(w)->inner;
    ft_object *r = inner ? ft_weakref_get(inner) : NULL;
    bool same = r == o;
    if (r)
        ft_decref(r);
    else
        ft_err_clear();
    if (!same) {
        ft_decref(w);
        return NULL;
    }
    return w;
}

/* A new list of the live outers of o, newest first. */
static ft_object *outers_of(ft_object *o)
{
    ft_object **backs;
    size_t n;
    if (reg_snapshot(o, &backs, &n) < 0)
        return NULL;
    ft_object *list = ft_list_new(0);
    for (size_t i = 0; i < n; i++) {
        ft_object *w = list ? live_outer_of(backs[i], o) : NULL;
        if (w) {
            if (ft_list_append(list, w) < 0) {
                ft_decref(list);
                list = NULL;
            }
            ft_decref(w);
        }
        ft_decref(backs[i]);
    }
    free(backs);
    return list ? list : py_err_from_ft();
}

/* ---- The trampoline: the inner weakref's callback ------------------------ */

typedef struct tramp {
    ft_object ob_base;
    ft_object *callback;         /* the Python callback                    */
    ft_object *back;             /* weak reference to the outer            */
} tramp;

static int tramp_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    tramp *t = (tramp *)o;
    int rc = t->callback ? visit(t->callback, arg) : 0;
    return rc || !t->back ? rc : visit(t->back, arg);
}

static int tramp_clear(ft_object *o)
{
    tramp *t = (tramp *)o;
    ft_object *c = t->callback, *b = t->back;
    t->callback = t->back = NULL;
    ft_xdecref(c);
    ft_xdecref(b);
    return 0;
}

static void tramp_dealloc(ft_object *o)
{
    ft_gc_untrack(o);
    tramp_clear(o);
    ft_object_free(o);
}

/* Called by the runtime with (inner,) once the referent died. */
static ft_object *tramp_call(ft_object *o, ft_object *args)
{
    (void)args;
    tramp *t = (tramp *)o;
    if (!t->callback || !t->back)
        return ft_none();
    ft_object *outer = ft_weakref_get(t->back);
    if (!outer) {
        ft_err_clear();
        return ft_none();
    }
    if (outer == ft_none())
        return outer;          /* the outer died first: no callback */
    ft_object *cb = ft_newref(t->callback);
    ft_object *saved = py_err_fetch();
    ft_object *r = py_call1(cb, outer);
    if (r)
        ft_decref(r);
    else
        py_err_write_unraisable("weakref callback", cb);
    py_err_restore(saved);
    ft_decref(cb);
    ft_decref(outer);
    return ft_none();
}

static ft_type tramp_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "weakref_callback", .tp_basicsize = sizeof(tramp),
    .tp_flags = FT_TPFLAGS_GC,
    .tp_dealloc = tramp_dealloc, .tp_traverse = tramp_traverse,
    .tp_clear = tramp_clear, .tp_call = tramp_call,
};

/* ---- Creating weak references -------------------------------------------- */

/* The referent of an outer (a new reference), or NULL (no exception) once
 * it died. */
static ft_object *referent_of(ft_object *self)
{
    ft_object *inner = as_wref(self)->inner;
    if (!inner)
        return NULL;
    ft_object *r = ft_weakref_get(inner);
    if (!r) {
        ft_err_clear();
        return NULL;
    }
    if (r == ft_none())
        return NULL;
    return r;
}

static int check_referenceable(ft_object *o)
{
    py_type *t = py_type_of(o);
    bool ok = o->ob_type->tp_weaklistoffset != 0;
    /* static classes share type's layout offset but have no list */
    if (py_is_type(o) && !py_type_is_heap((py_type *)o))
        ok = false;
    /* nor are instances of the built-in exception classes there */
    if ((t->ft.tp_flags & PY_TPFLAGS_EXC) && !py_type_is_heap(t))
        ok = false;
    /* CPython's plain refs and proxies are not weakly referenceable */
    if (t == &wref_class || t == &proxy_class || t == &cproxy_class)
        ok = false;
    if (!ok)
        return py_err_format_int(py_exc_TypeError, "cannot create weak reference to '%s' object",
                                 t->ft.tp_name);
    return 0;
}

/* An existing basic ref (exact class cls, no callback) to o, or NULL. */
static ft_object *find_basic(ft_object *o, py_type *cls)
{
    ft_object **backs;
    size_t n;
    if (reg_snapshot(o, &backs, &n) < 0) {
        py_err_clear();
        return NULL;
    }
    ft_object *found = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!found) {
            ft_object *w = live_outer_of(backs[i], o);
            if (w && w->ob_type == &cls->ft && !as_wref(w)->callback)
                found = w;
            else
                ft_xdecref(w);
        }
        ft_decref(backs[i]);
    }
    free(backs);
    return found;
}

/* Fills a freshly allocated outer: the inner weakref (with a trampoline
 * when there is a callback), the back weakref, the registry entry. */
static int wref_fill(ft_object *self, ft_object *o, ft_object *callback)
{
    wref *w = as_wref(self);
    ft_atomic_store_relaxed(&w->xhash, -1);
    w->key = o;
    ft_object *tr = NULL;
    if (callback) {
        tr = ft_object_new(&tramp_type, sizeof(tramp));
        if (!tr)
            return py_err_from_ft_int();
        ((tramp *)tr)->callback = ft_newref(callback);
    }
    w->back = ft_weakref_new(self, NULL);
    if (!w->back) {
        ft_xdecref(tr);
        return py_err_from_ft_int();
    }
    if (tr)
        ((tramp *)tr)->back = ft_newref(w->back);
    w->inner = ft_weakref_new(o, tr);
    ft_xdecref(tr);
    if (!w->inner) {
        ft_err_clear();
        return py_err_format_int(py_exc_TypeError, "cannot create weak reference to '%s' object",
                                 py_type_name(o));
    }
    w->callback = callback ? ft_newref(callback) : NULL;
    return reg_add(o, w->back);
}

/* A new weak reference of class cls to o (callback may be NULL/None);
 * reuses the basic one when share. */
static ft_object *wref_make(py_type *cls, ft_object *o, ft_object *callback, bool share)
{
    if (callback == ft_none())
        callback = NULL;
    if (check_referenceable(o) < 0)
        return NULL;
    if (share && !callback) {
        ft_object *old = find_basic(o, cls);
        if (old)
            return old;
    }
    ft_object *self = py_instance_alloc(cls);
    if (!self)
        return NULL;
    if (wref_fill(self, o, callback) < 0) {
        ft_decref(self);
        return NULL;
    }
    return self;
}

/* ---- Life cycle of outers ------------------------------------------------ */

static int wref_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    wref *w = as_wref(o);
    int rc;
    if (w->inner && (rc = visit(w->inner, arg)))
        return rc;
    if (w->callback && (rc = visit(w->callback, arg)))
        return rc;
    return w->back ? visit(w->back, arg) : 0;
}

/* Breaks cycles through the callback; dropping the inner weakref also
 * unlinks it, so that a collected ref calls nothing back (CPython). */
static int wref_clear(ft_object *o)
{
    wref *w = as_wref(o);
    ft_object *inner = w->inner, *cb = w->callback;
    w->inner = w->callback = NULL;
    ft_xdecref(inner);
    ft_xdecref(cb);
    return 0;
}

/* Also the teardown of subclass instances (instance.c has already dropped
 * their heap parts and weak references). */
static void wref_dealloc(ft_object *o)
{
    wref *w = as_wref(o);
    ft_gc_untrack(o);
    ft_object_clear_weakrefs(o);
    if (w->back) {
        reg_remove(w->key, w->back);
        ft_object *b = w->back;
        w->back = NULL;
        ft_decref(b);
    }
    wref_clear(o);
    ft_object_free(o);
}

/* ---- ReferenceType -------------------------------------------------------- */

static ft_object *wref_new(py_type *cls, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    if (py_no_kwargs("ref", kwnames) < 0 || py_check_nargs("__new__", nargs, 1, 2) < 0)
        return NULL;
    return wref_make(cls, args[0], nargs > 1 ? args[1] : NULL, cls == &wref_class);
}

static int wref_init(ft_object *self, ft_object *const *args, size_t nargs,
                     ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("ref", kwnames) < 0 || py_check_nargs("__init__", nargs, 1, 2) < 0)
        return -1;
    return 0;
}

static ft_object *wref_vcall(ft_object *o, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("weakref", kwnames) < 0 || py_check_nargs("weakref", nargs, 0, 0) < 0)
        return NULL;
    ft_object *r = referent_of(o);
    return r ? r : ft_none();
}

static ft_object *wref_repr(ft_object *o)
{
    ft_object *r = referent_of(o);
    if (!r)
        return py_str_from_format("<weakref at %p; dead>", (void *)o);
    ft_object *name = NULL;
    if (py_getattr_opt(r, PY_ID(__name__), &name) < 0) {
        ft_decref(r);
        return NULL;
    }
    ft_object *s;
    if (name && name->ob_type == &ft_str_type)
        s = py_str_from_format("<weakref at %p; to '%s' at %p (%s)>", (void *)o,
                               py_type_name(r), (void *)r, ft_str_utf8_borrow(name, NULL));
    else
        s = py_str_from_format("<weakref at %p; to '%s' at %p>", (void *)o, py_type_name(r),
                               (void *)r);
    ft_xdecref(name);
    ft_decref(r);
    return s;
}

static int64_t wref_hash(ft_object *o)
{
    wref *w = as_wref(o);
    /* relaxed: every thread that computes it stores the same value */
    int64_t h = ft_atomic_load_relaxed(&w->xhash);
    if (h != -1)
        return h;
    ft_object *r = referent_of(o);
    if (!r) {
        py_err_setstr(py_exc_TypeError, "weak object has gone away");
        return -1;
    }
    h = py_hash(r);
    ft_decref(r);
    if (h != -1)
        ft_atomic_store_relaxed(&w->xhash, h);
    return h;
}

/* Live referents compare; otherwise a ref equals only itself. */
static int wref_eq(ft_object *a, ft_object *b)
{
    if (!is_ref(a) || !is_ref(b))
        return 0;
    if (a == b)
        return 1;
    ft_object *x = referent_of(a), *y = referent_of(b);
    int eq = x && y ? py_richcompare_bool(x, y, PY_EQ) : 0;
    ft_xdecref(x);
    ft_xdecref(y);
    return eq;
}

static ft_object *wref_richcompare(ft_object *a, ft_object *b, int op)
{
    if ((op != PY_EQ && op != PY_NE) || !is_ref(a) || !is_ref(b))
        return py_notimplemented();
    ft_object *x = referent_of(a), *y = referent_of(b);
    ft_object *res;
    if (x && y) {
        res = py_richcompare(x, y, op);
    } else {
        bool same = a == b;
        res = py_bool_new(op == PY_EQ ? same : !same);
    }
    ft_xdecref(x);
    ft_xdecref(y);
    return res;
}

/* __callback__: None once the referent died (CPython drops it then). */
static ft_object *wref_get_callback(ft_object *o)
{
    ft_object *r = referent_of(o);
    if (!r || !as_wref(o)->callback) {
        ft_xdecref(r);
        return ft_none();
    }
    ft_decref(r);
    return ft_newref(as_wref(o)->callback);
}

static const py_getset_def wref_getset[] = {
    {"__callback__", wref_get_callback, NULL},
    {NULL, NULL, NULL},
};

#define HEAD(t) .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft), .tp_name = (t)

py_type wref_class = {
    .ft = { HEAD("weakref.ReferenceType"), .tp_basicsize = sizeof(wref),
            .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE | FT_TPFLAGS_GC,
            .tp_dealloc = wref_dealloc, .tp_traverse = wref_traverse,
            .tp_clear = wref_clear, .tp_repr = wref_repr, .tp_hash = wref_hash,
            .tp_eq = wref_eq, .tp_weaklistoffset = offsetof(wref, xweaklist) },
    .tp_new = wref_new,
    .tp_init = wref_init,
    .tp_vcall = wref_vcall,
    .tp_richcompare = wref_richcompare,
    .tp_getset = wref_getset,
};

/* ---- Proxies ---------------------------------------------------------------- */

/* The referent of proxy p (a new reference), or NULL with ReferenceError. */
static ft_object *proxy_target(ft_object *p)
{
    ft_object *r = referent_of(p);
    if (!r)
        py_err_setstr(py_exc_ReferenceError, "weakly-referenced object no longer exists");
    return r;
}

/* o itself or, for a proxy, its referent: a new reference or NULL. */
static ft_object *unwrap(ft_object *o)
{
    return is_proxy(o) ? proxy_target(o) : ft_newref(o);
}

static ft_object *proxy_repr(ft_object *o)
{
    /* CPython 3.11's words: a dead proxy shows its referent as None */
    ft_object *r = referent_of(o);
    ft_object *s = py_str_from_format("<weakproxy at %p to %s at %p>", (void *)o,
                                      r ? py_type_name(r) : "NoneType",
                                      r ? (void *)r : (void *)ft_none());
    ft_xdecref(r);
    return s;
}

#define PROXY_UNARY(fname, expr)                                         \
    static ft_object *fname(ft_object *p)                                \
    {                                                                    \
        ft_object *o = proxy_target(p);                                  \
        if (!o)                                                          \
            return NULL;                                                 \
        ft_object *res = (expr);                                         \
        ft_decref(o);                                                    \
        return res;                                                      \
    }
PROXY_UNARY(proxy_str, py_str(o))
PROXY_UNARY(proxy_iter, py_iter(o))

static ft_object *proxy_iternext(ft_object *p)
{
    ft_object *o = proxy_target(p);
    if (!o)
        return NULL;
    ft_object *res;
    if (!py_type_of(o)->tp_iternext)
        res = py_err_format(py_exc_TypeError,
                            "Weakref proxy referenced a non-iterator '%s' object",
                            py_type_name(o));
    else
        res = py_iter_next(o);
    ft_decref(o);
    return res;
}

static ft_object *proxy_getattro(ft_object *p, ft_object *name)
{
    ft_object *o = proxy_target(p);
    if (!o)
        return NULL;
    ft_object *res = py_getattr(o, name);
    ft_decref(o);
    return res;
}

static int proxy_setattro(ft_object *p, ft_object *name, ft_object *v)
{
    ft_object *o = proxy_target(p);
    if (!o)
        return -1;
    int rc = py_setattr(o, name, v);
    ft_decref(o);
    return rc;
}

/* Both operands unwrapped, then the whole protocol again on the referents. */
static ft_object *proxy_binop(ft_object *a, ft_object *b, int op)
{
    ft_object *x = unwrap(a);
    if (!x)
        return NULL;
    ft_object *y = unwrap(b);
    if (!y) {
        ft_decref(x);
        return NULL;
    }
    ft_object *res = py_binary_op(x, y, op);
    ft_decref(x);
    ft_decref(y);
    return res;
}

static ft_object *proxy_richcompare(ft_object *a, ft_object *b, int op)
{
    ft_object *x = unwrap(a);
    if (!x)
        return NULL;
    ft_object *y = unwrap(b);
    if (!y) {
        ft_decref(x);
        return NULL;
    }
    ft_object *res = py_richcompare(x, y, op);
    ft_decref(x);
    ft_decref(y);
    return res;
}

static ft_object *proxy_unaryop(ft_object *p, int op)
{
    ft_object *o = proxy_target(p);
    if (!o)
        return NULL;
    ft_object *res = py_unary_op(o, op);
    ft_decref(o);
    return res;
}

static int proxy_bool(ft_object *p)
{
    ft_object *o = proxy_target(p);
    if (!o)
        return -1;
    int rc = py_is_true(o);
    ft_decref(o);
    return rc;
}

static ssize_t proxy_len(ft_object *p)
{
    ft_object *o = proxy_target(p);
    if (!o)
        return -1;
    ssize_t n = py_len(o);
    ft_decref(o);
    return n;
}

static ft_object *proxy_getitem(ft_object *p, ft_object *key)
{
    ft_object *o = proxy_target(p);
    if (!o)
        return NULL;
    ft_object *res = py_getitem(o, key);
    ft_decref(o);
    return res;
}

static int proxy_setitem(ft_object *p, ft_object *key, ft_object *v)
{
    ft_object *o = proxy_target(p);
    if (!o)
        return -1;
    int rc = py_setitem(o, key, v);
    ft_decref(o);
    return rc;
}

static int proxy_contains(ft_object *p, ft_object *v)
{
    ft_object *o = proxy_target(p);
    if (!o)
        return -1;
    int rc = py_contains(o, v);
    ft_decref(o);
    return rc;
}

static ft_object *proxy_vcall(ft_object *p, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    ft_object *o = proxy_target(p);
    if (!o)
        return NULL;
    ft_object *res = py_vcall(o, args, nargs, kwnames);
    ft_decref(o);
    return res;
}

static ft_object *proxy_no_new(py_type *cls, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return py_err_format(py_exc_TypeError, "cannot create '%s' instances", cls->ft.tp_name);
}

#define PROXY_FT(name)                                                          \
    .ft = { HEAD(name), .tp_basicsize = sizeof(wref),                           \
            .tp_flags = PY_TPFLAGS_PYTYPE | FT_TPFLAGS_GC,                      \
            .tp_dealloc = wref_dealloc, .tp_traverse = wref_traverse,           \
            .tp_clear = wref_clear, .tp_repr = proxy_repr, .tp_len = proxy_len, \
            .tp_weaklistoffset = offsetof(wref, xweaklist) },                   \
    .tp_new = proxy_no_new, .tp_str = proxy_str,                                \
    .tp_getattro = proxy_getattro, .tp_setattro = proxy_setattro,               \
    .tp_binop = proxy_binop, .tp_richcompare = proxy_richcompare,               \
    .tp_unaryop = proxy_unaryop, .tp_bool = proxy_bool,                         \
    .tp_getitem = proxy_getitem, .tp_setitem = proxy_setitem,                   \
    .tp_contains = proxy_contains, .tp_iter = proxy_iter,                       \
    .tp_iternext = proxy_iternext

py_type proxy_class = { PROXY_FT("weakref.ProxyType") };
py_type cproxy_class = { PROXY_FT("weakref.CallableProxyType"), .tp_vcall = proxy_vcall };

static bool is_callable(ft_object *o)
{
    py_type *t = py_type_of(o);
    return t->tp_vcall || t->ft.tp_call || py_type_lookup_borrow(t, PY_ID(__call__));
}

/* ---- Module functions -------------------------------------------------------- */

static ft_object *m_proxy(ft_object *self, ft_object *const *args, size_t nargs,
                          ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("_weakref.proxy", kwnames) < 0 || py_check_nargs("proxy", nargs, 1, 2) < 0)
        return NULL;
    py_type *cls = is_callable(args[0]) ? &cproxy_class : &proxy_class;
    return wref_make(cls, args[0], nargs > 1 ? args[1] : NULL, true);
}

/* CPython's METH_O functions' words. */
static int check_one_arg(const char *name, size_t nargs, ft_object *kwnames)
{
    char full[64];
    snprintf(full, sizeof full, "_weakref.%s", name);
    if (py_no_kwargs(full, kwnames) < 0)
        return -1;
    if (nargs != 1)
        return py_err_format_int(py_exc_TypeError, "%s() takes exactly one argument (%zu given)",
                                 full, nargs);
    return 0;
}

/* getweakrefs(o): the basic ref and the basic proxy first, then the
 * others newest first (CPython's list order). */
static ft_object *m_getweakrefs(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self;
    if (check_one_arg("getweakrefs", nargs, kwnames) < 0)
        return NULL;
    ft_object *all = outers_of(args[0]);
    if (!all)
        return NULL;
    ft_object *res = ft_list_new(0);
    ssize_t n = ft_len(all);
    for (int pass = 0; res && pass < 3; pass++)
        for (ssize_t i = 0; i < n; i++) {
            ft_object *w = ft_list_get(all, i);
            bool basic = !as_wref(w)->callback;
            int kind = basic && w->ob_type == &wref_class.ft ? 0
                     : basic && is_proxy(w) ? 1 : 2;
            if (kind == pass && ft_list_append(res, w) < 0) {
                ft_decref(res);
                res = NULL;
            }
            ft_decref(w);
            if (!res)
                break;
        }
    ft_decref(all);
    return res ? res : py_err_from_ft();
}

static ft_object *m_getweakrefcount(ft_object *self, ft_object *const *args, size_t nargs,
                                    ft_object *kwnames)
{
    (void)self;
    if (check_one_arg("getweakrefcount", nargs, kwnames) < 0)
        return NULL;
    ft_object *all = outers_of(args[0]);
    if (!all)
        return NULL;
    ssize_t n = ft_len(all);
    ft_decref(all);
    return ft_int_from_i64(n);
}

/* _remove_dead_weakref(dict, key): del dict[key] if its value is a dead
 * weak reference (WeakValueDictionary's callback). The look-up and the
 * deletion form one critical section on the dict, so that a live value
 * stored under key meanwhile by another thread is never removed; the
 * references taken are dropped after it (no dealloc inside). */
static ft_object *m_remove_dead(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("_remove_dead_weakref", kwnames) < 0 ||
        py_check_nargs("_remove_dead_weakref", nargs, 2, 2) < 0)
        return NULL;
    ft_object *d = args[0], *key = args[1];
    if (d->ob_type != &ft_dict_type)
        return py_err_format(py_exc_TypeError, "_remove_dead_weakref() argument 1 must be "
                             "dict, not %s", py_type_name(d));
    ft_object *v = NULL, *r = NULL;
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(d);
    rc = ft_dict_lookup(d, key, &v);
    if (rc > 0 && is_ref(v) && !(r = referent_of(v)))
        rc = ft_dict_del(d, key);
    FT_END_CRITICAL_SECTION();
    ft_xdecref(v);
    ft_xdecref(r);
    if (rc < 0) {
        py_err_from_ft();
        if (!py_err_matches(py_exc_KeyError))
            return NULL;
        py_err_clear();
    }
    return ft_none();
}

static const py_method_def weakref_methods[] = {
    {"proxy", m_proxy, PY_METH_DEFAULT},
    {"getweakrefs", m_getweakrefs, PY_METH_DEFAULT},
    {"getweakrefcount", m_getweakrefcount, PY_METH_DEFAULT},
    {"_remove_dead_weakref", m_remove_dead, PY_METH_DEFAULT},
    {NULL, NULL, 0},
};

static int weakref_exec(ft_object *m)
{
    if (py_type_ready(&wref_class) < 0 || py_type_ready(&proxy_class) < 0 ||
        py_type_ready(&cproxy_class) < 0)
        return -1;
    ft_object *ref = py_type_as_obj(&wref_class);
    if (py_module_add(m, "ref", ref) < 0 || py_module_add(m, "ReferenceType", ref) < 0 ||
        py_module_add(m, "ProxyType", py_type_as_obj(&proxy_class)) < 0 ||
        py_module_add(m, "CallableProxyType", py_type_as_obj(&cproxy_class)) < 0)
        return -1;
    return 0;
}

const py_module_def py_weakref_module_def = { "_weakref", weakref_exec, weakref_methods };
