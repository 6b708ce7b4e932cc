/* set.c — mutable sets of hashable objects.
 *
 * An open-addressing table of (hash, key) entries with CPython's probe
 * sequence (perturbation on the full hash), kept at most 60% full counting
 * deleted slots. A deleted slot holds the DUMMY marker so that probe
 * chains stay intact; a resize drops the markers.
 *
 * Concurrency: every operation, reads included, runs in a critical section
 * on the set's own mutex (no-op in the gil build). Keys' hash and equality
 * run inside it; a key's release (which may run its tp_dealloc) happens
 * after the section ends. A replaced table is freed after a QSBR grace
 * period, ready for lock-free readers.
 */
#include <string.h>
#include "internal/object.h"
#include "internal/qsbr.h"

typedef struct set_entry {
    int64_t hash;
    ft_object *key;          /* NULL: empty; DUMMY: deleted */
} set_entry;

typedef struct ft_set_object {
    ft_object ob_base;
    ssize_t used;            /* live keys                               */
    ssize_t filled;          /* live keys + DUMMY slots                 */
    size_t mask;             /* table size - 1 (a power of two)         */
    set_entry *table;
    size_t finger;           /* where ft_set_pop looks first (a hint)   */
} ft_set_object;

enum { SET_MIN_SIZE = 8 };
static ft_object dummy_key;  /* never a real object: only its address  */
#define DUMMY (&dummy_key)

static ft_set_object *as_set(ft_object *o) { return (ft_set_object *)o; }

static bool check_set(ft_object *o, const char *what)
{
    return _ft_check_type_inline(o, &ft_set_type, what);
}

/* CPython's probe sequence (setobject.c): slot i and up to LINEAR_PROBES
 * neighbours after it (one cache line or two), then a perturbed jump.
 * Following it, and CPython's table sizes (see add_locked), gives sets
 * of small ints the same iteration order as CPython's. */
enum { LINEAR_PROBES = 9 };

static size_t probe_next(size_t i, size_t mask, uint64_t *perturb)
{
    *perturb >>= 5;
    return (i * 5 + 1 + *perturb) & mask;
}

/* The slot of key (hash h), or the first free slot on its probe chain. */
static set_entry *lookup(ft_set_object *s, ft_object *key, int64_t h, int *err)
{
    size_t mask = s->mask, i = (size_t)h & mask;
    uint64_t perturb = (uint64_t)h;
    set_entry *free_slot = NULL;
    *err = 0;
    if (!s->table)
        return NULL;   /* cleared by tp_clear: empty */
    for (;;) {
        size_t probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        for (set_entry *e = &s->table[i];; e++) {
            if (!e->key)
                return free_slot ? free_slot : e;
            if (e->key == DUMMY) {
                if (!free_slot)
                    free_slot = e;
            } else if (e->key == key ||
                       (e->hash == h && (*err = ft_equal(e->key, key)) != 0)) {
                return *err < 0 ? NULL : e;
            }
            if (probes-- == 0)
                break;
        }
        i = probe_next(i, mask, &perturb);
    }
}

/* Puts a key known to be absent into a table without dummies
 * (CPython's set_insert_clean). */
static void insert_clean(set_entry *table, size_t mask, ft_object *key, int64_t h)
{
    size_t i = (size_t)h & mask;
    uint64_t perturb = (uint64_t)h;
    for (;;) {
        size_t probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        for (set_entry *e = &table[i];; e++) {
            if (!e->key) {
                e->key = key;
                e->hash = h;
                return;
            }
            if (probes-- == 0)
                break;
        }
        i = probe_next(i, mask, &perturb);
    }
}

/* A new table of the smallest power of two above min_used (CPython's
 * set_table_resize), the live keys re-inserted in table order. */
static int resize(ft_set_object *s, size_t min_used)
{
    size_t size = SET_MIN_SIZE;
    while (size <= min_used)
        size <<= 1;
    set_entry *table = ft_calloc(size, sizeof *table);
    if (!table)
        return -1;
    set_entry *old = s->table;
    size_t old_size = s->mask + 1;
    s->table = table;
    s->mask = size - 1;
    s->filled = s->used;
    for (size_t i = 0; old && i < old_size; i++) {
        ft_object *k = old[i].key;
        if (k && k != DUMMY)
            insert_clean(table, s->mask, k, old[i].hash);
    }
    _ft_qsbr_free(old);
    return 0;
}

/* ---- The type ------------------------------------------------------------ */

static int set_clear(ft_object *o)
{
    ft_set_object *s = as_set(o);
    set_entry *table = s->table;
    size_t size = s->mask + 1;
    s->table = NULL;   /* empty; the next add makes a new table */
    s->mask = 0;
    s->used = s->filled = 0;
    for (size_t i = 0; table && i < size; i++)
        if (table[i].key && table[i].key != DUMMY)
            ft_decref(table[i].key);
    ft_free(table);
    return 0;
}

static void set_dealloc(ft_object *o)
{
    set_clear(o);
    _ft_object_free(o);
}

static int set_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    ft_set_object *s = as_set(o);
    for (size_t i = 0; s->table && i <= s->mask; i++) {
        ft_object *k = s->table[i].key;
        if (k && k != DUMMY) {
            int rc = visit(k, arg);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static ssize_t set_len(ft_object *o)
{
    ssize_t n;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    n = as_set(o)->used;
    FT_END_CRITICAL_SECTION();
    return n;
}

static size_t set_sizeof(ft_object *o)
{
    ft_set_object *s = as_set(o);
    return sizeof *s + (s->table ? (s->mask + 1) * sizeof(set_entry) : 0);
}

ft_type ft_set_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "set", .tp_basicsize = sizeof(ft_set_object),
    .tp_flags = FT_TPFLAGS_GC, .tp_dealloc = set_dealloc,
    .tp_traverse = set_traverse, .tp_clear = set_clear,
    .tp_sizeof = set_sizeof, .tp_len = set_len,
};

/* ---- The API --------------------------------------------------------------- */

ft_object *ft_set_new(void)
{
    ft_set_object *s = (ft_set_object *)_ft_object_alloc(&ft_set_type, sizeof *s);
    if (!s)
        return NULL;
    s->used = s->filled = 0;
    s->finger = 0;
    s->mask = SET_MIN_SIZE - 1;
    if (!(s->table = ft_calloc(SET_MIN_SIZE, sizeof *s->table))) {
        s->mask = 0;
        ft_decref(&s->ob_base);
        return NULL;
    }
    return &s->ob_base;
}

/* CPython's growth: after an insert into an empty slot leaves the table
 * 60% full (dummies included), a table for 4x the live keys (2x past
 * 50,000). */
static size_t grown_size(ft_set_object *s)
{
    size_t used = (size_t)s->used;
    return used > 50000 ? used * 2 : used * 4;
}

/* 1: added, 0: already there, -1: error. Runs locked. */
static int add_locked(ft_set_object *s, ft_object *key, int64_t h)
{
    /* no table (cleared), or one a failed resize left almost full: the
     * probe loops need a free slot */
    if ((!s->table || (size_t)s->filled + 1 >= s->mask) && resize(s, grown_size(s)) < 0)
        return -1;
    int err;
    set_entry *e = lookup(s, key, h, &err);
    if (!e)
        return -1;   /* the table exists here: only an error gets NULL */
    if (e->key && e->key != DUMMY)
        return 0;
    bool fresh = !e->key;
    if (fresh)
        s->filled++;
    ft_incref(key);
    _ft_object_mark_shared(key);
    e->key = key;
    e->hash = h;
    s->used++;
    if (fresh && (size_t)s->filled * 5 >= s->mask * 3 && resize(s, grown_size(s)) < 0)
        ft_err_clear();   /* the key is in; the table just stays fuller */
    return 1;
}

int ft_set_add(ft_object *set, ft_object *key)
{
    if (!check_set(set, "ft_set_add") || !key)
        return key ? -1 : ft_err_set(FT_ERR_TYPE, "ft_set_add: NULL key");
    int64_t h = ft_hash(key);
    if (h == -1)
        return -1;   /* unhashable: TypeError */
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(set);
    rc = add_locked(as_set(set), key, h);
    FT_END_CRITICAL_SECTION();
    return rc < 0 ? -1 : rc;
}

int ft_set_contains(ft_object *set, ft_object *key)
{
    if (!check_set(set, "ft_set_contains") || !key)
        return key ? -1 : ft_err_set(FT_ERR_TYPE, "ft_set_contains: NULL key");
    int64_t h = ft_hash(key);
    if (h == -1)
        return -1;
    int found, err;
    FT_BEGIN_CRITICAL_SECTION_OBJ(set);
    set_entry *e = lookup(as_set(set), key, h, &err);
    found = err < 0 ? -1 : (e && e->key && e->key != DUMMY);
    FT_END_CRITICAL_SECTION();
    return found;
}

int ft_set_discard(ft_object *set, ft_object *key)
{
    if (!check_set(set, "ft_set_discard") || !key)
        return key ? -1 : ft_err_set(FT_ERR_TYPE, "ft_set_discard: NULL key");
    int64_t h = ft_hash(key);
    if (h == -1)
        return -1;
    ft_object *removed = NULL;
    int err;
    FT_BEGIN_CRITICAL_SECTION_OBJ(set);
    set_entry *e = lookup(as_set(set), key, h, &err);
    if (e && e->key && e->key != DUMMY) {
        removed = e->key;
        e->key = DUMMY;
        as_set(set)->used--;
    }
    FT_END_CRITICAL_SECTION();
    if (err < 0)
        return -1;
    ft_xdecref(removed);   /* outside the section: may run a dealloc */
    return removed != NULL;
}

/* ---- Python's set operations (ftpy) ---------------------------------------
 * Iteration, pop, clear, copy and snapshots, each in one critical section
 * on the set. Keys that leave the set are released after the section (or
 * handed to the caller); a detached table is freed with _ft_qsbr_free, as
 * resize does. Iteration returns new references, so a Python iterator
 * survives mutation between two calls (it checks the size itself: "Set
 * changed size during iteration"). */

static bool live_key(const set_entry *e)
{
    return e->key && e->key != DUMMY;
}

int ft_set_next(ft_object *set, ssize_t *pos, ft_object **key)
{
    if (!pos || !key)
        return ft_err_set(FT_ERR_VALUE, "ft_set_next: NULL out-pointer");
    *key = NULL;
    if (!check_set(set, "ft_set_next"))
        return -1;
    int found = 0;
    FT_BEGIN_CRITICAL_SECTION_OBJ(set);
    ft_set_object *s = as_set(set);
    size_t i = *pos < 0 ? 0 : (size_t)*pos;
    for (; s->table && !found && i <= s->mask; i++) {
        if (live_key(&s->table[i])) {
            *key = ft_newref(s->table[i].key);
            found = 1;
        }
    }
    *pos = (ssize_t)i;
    FT_END_CRITICAL_SECTION();
    return found;
}

ft_object *ft_set_pop(ft_object *set)
{
    if (!check_set(set, "ft_set_pop"))
        return NULL;
    ft_object *key = NULL;
    FT_BEGIN_CRITICAL_SECTION_OBJ(set);
    ft_set_object *s = as_set(set);
    if (s->used > 0) {
        /* the finger keeps repeated pops from rescanning the same
         * deleted slots (CPython's set_pop does the same) */
        size_t i = s->finger & s->mask;
        while (!live_key(&s->table[i]))
            i = (i + 1) & s->mask;
        key = s->table[i].key;
        s->table[i].key = DUMMY;
        s->used--;
        s->finger = i + 1;
    }
    FT_END_CRITICAL_SECTION();
    if (!key)
        ft_err_set(FT_ERR_KEY, "pop from an empty set");
    return key;   /* the set's reference, now the caller's */
}

int ft_set_clear(ft_object *set)
{
    if (!check_set(set, "ft_set_clear"))
        return -1;
    set_entry *table;
    size_t size;
    FT_BEGIN_CRITICAL_SECTION_OBJ(set);
    ft_set_object *s = as_set(set);
    table = s->table;
    size = s->mask + 1;
    s->table = NULL;   /* empty; the next add makes a new table */
    s->mask = 0;
    s->used = s->filled = 0;
    FT_END_CRITICAL_SECTION();
    for (size_t i = 0; table && i < size; i++)
        if (live_key(&table[i]))
            ft_decref(table[i].key);
    _ft_qsbr_free(table);
    return 0;
}

/* A copy of a set's table taken under its lock: the live keys hold a
 * reference each, dummies stay DUMMY, so that a merge sees the table as
 * it was (slot order included) without holding the source's lock. */
typedef struct set_snapshot {
    set_entry *table;            /* ft_malloc'd, mask + 1 entries; NULL: empty */
    size_t mask;
    ssize_t used, filled;
} set_snapshot;

static int snapshot_take(ft_set_object *s, set_snapshot *snap)
{
    int rc = 0;
    snap->table = NULL;
    snap->mask = 0;
    snap->used = snap->filled = 0;
    FT_BEGIN_CRITICAL_SECTION_OBJ(&s->ob_base);
    if (s->table && s->used > 0) {
        size_t size = s->mask + 1;
        snap->table = ft_malloc(size * sizeof(set_entry));
        if (!snap->table) {
            rc = -1;
        } else {
            memcpy(snap->table, s->table, size * sizeof(set_entry));
            for (size_t i = 0; i < size; i++)
                if (live_key(&snap->table[i]))
                    ft_incref(snap->table[i].key);
            snap->mask = s->mask;
            snap->used = s->used;
            snap->filled = s->filled;
        }
    }
    FT_END_CRITICAL_SECTION();
    return rc;
}

static void snapshot_release(set_snapshot *snap)
{
    for (size_t i = 0; snap->table && i <= snap->mask; i++)
        if (live_key(&snap->table[i]))
            ft_decref(snap->table[i].key);
    ft_free(snap->table);
}

/* CPython's set_merge (runs locked on s): one resize up front, then a
 * straight copy when s is empty and the tables match, clean inserts when
 * s is empty, ordinary adds otherwise. */
static int merge_locked(ft_set_object *s, set_snapshot *o)
{
    if (o->used == 0)
        return 0;
    if ((!s->table || (size_t)(s->filled + o->used) * 5 >= s->mask * 3) &&
        resize(s, (size_t)(s->used + o->used) * 2) < 0)
        return -1;
    size_t osize = o->mask + 1;
    if (s->filled == 0 && s->mask == o->mask && o->filled == o->used) {
        for (size_t i = 0; i < osize; i++)
            if (live_key(&o->table[i])) {
                s->table[i] = o->table[i];
                ft_incref(o->table[i].key);   /* already shared: stored in o */
            }
        s->filled = s->used = o->used;
        return 0;
    }
    if (s->filled == 0) {
        for (size_t i = 0; i < osize; i++)
            if (live_key(&o->table[i])) {
                ft_incref(o->table[i].key);
                insert_clean(s->table, s->mask, o->table[i].key, o->table[i].hash);
            }
        s->filled = s->used = o->used;
        return 0;
    }
    for (size_t i = 0; i < osize; i++)
        if (live_key(&o->table[i]) &&
            add_locked(s, o->table[i].key, o->table[i].hash) < 0)
            return -1;
    return 0;
}

int ft_set_merge(ft_object *set, ft_object *other)
{
    if (!check_set(set, "ft_set_merge") || !check_set(other, "ft_set_merge"))
        return -1;
    if (set == other)
        return 0;
    set_snapshot snap;
    if (snapshot_take(as_set(other), &snap) < 0)
        return -1;
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(set);
    rc = merge_locked(as_set(set), &snap);
    FT_END_CRITICAL_SECTION();
    snapshot_release(&snap);
    return rc;
}

int ft_set_swap(ft_object *a, ft_object *b)
{
    if (!check_set(a, "ft_set_swap") || !check_set(b, "ft_set_swap"))
        return -1;
    if (a == b)
        return 0;
    FT_BEGIN_CRITICAL_SECTION2_OBJ(a, b);
    ft_set_object *x = as_set(a), *y = as_set(b), t = *x;
    x->used = y->used;
    x->filled = y->filled;
    x->mask = y->mask;
    x->table = y->table;
    x->finger = y->finger;
    y->used = t.used;
    y->filled = t.filled;
    y->mask = t.mask;
    y->table = t.table;
    y->finger = t.finger;
    FT_END_CRITICAL_SECTION();
    return 0;
}

ft_object *ft_set_copy(ft_object *set)
{
    if (!check_set(set, "ft_set_copy"))
        return NULL;
    ft_object *r = ft_set_new();
    if (r && ft_set_merge(r, set) < 0) {
        ft_decref(r);
        return NULL;
    }
    return r;
}

ft_object *ft_set_as_tuple(ft_object *set)
{
    if (!check_set(set, "ft_set_as_tuple"))
        return NULL;
    ft_object *t;
    FT_BEGIN_CRITICAL_SECTION_OBJ(set);
    ft_set_object *s = as_set(set);
    t = ft_tuple_new(s->used);
    ssize_t k = 0;
    for (size_t i = 0; t && s->table && i <= s->mask; i++)
        if (live_key(&s->table[i]))
            ft_tuple_set_steal(t, k++, ft_newref(s->table[i].key));
    FT_END_CRITICAL_SECTION();
    return t;
}
