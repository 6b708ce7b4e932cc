/* set.c — mutable sets of hashable objects.
 *
 * An open-addressing table of (hash, key) entries with CPython's probe
 * sequence (perturbation on the full hash), kept at most 60% full counting
 * deleted slots. A deleted slot holds the DUMMY marker so that probe
 * chains stay intact; a resize drops the markers.
 *
 * Concurrency: every operation, reads included, runs in a critical section
 * on the set's own mutex (no-op in the gil build), but len(), a relaxed
 * load of the count. Keys' hash runs before it; a key's release (which
 * may run its tp_dealloc) happens after the section ends. A replaced
 * table is freed after a QSBR grace period, after the section.
 *
 * Add, contains and discard run in ELIDABLE sections (biased nogil: the
 * owner of a set no other thread has locked skips the lock,
 * ftlab/refcount.h, "Critical sections on objects"), as a dict's store
 * with a str key: the owner's hot loop of adds and membership tests on
 * its own sets (go's liberty and seen sets) pays no lock and unlock CAS,
 * and a set that another thread reaches is settled by that thread's first
 * section, after which the owner locks too (invariant E) — so the switch
 * needs no mark of the set. An elided section must run no code of the
 * program, so there the probe compares the key only with keys it may
 * compare without any (both of the built-in types whose equality is plain
 * arithmetic or bytes, _ft_eq_runs_no_code; keys equal by pointer need no
 * comparison at all): at any other candidate of the same hash it gives up
 * before writing anything (PROBE_LOCK) and the operation runs again in a
 * locked section, where that key's tp_eq may run anything. Whether the
 * section was elided is asked at that point (_ft_cs_in_elided_section),
 * so a locked section (another thread's, a settled set, gil) compares
 * every key at once and never runs twice. Neither the
 * key's reference (a sharded key's count may take the shard table's
 * lock) nor a replaced table's free happens in an elided section.
 *
 * No reader looks at a set's table without its lock, so a key needs no
 * shared mark (internal/object.h): a non-owner only ever counts a key
 * under the set's lock, with ft_incref, which needs none. Unmarked, a key
 * that dies is freed by its owner without the merge.
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
    /* Live keys. Written in the set's sections; read by len() without
     * one (relaxed: a snapshot, nothing is read through it). */
    _Atomic ssize_t xused;
    ssize_t filled;          /* live keys + DUMMY slots                 */
    size_t mask;             /* table size - 1 (a power of two)         */
    set_entry *table;
    size_t finger;           /* where ft_set_pop looks first (a hint)   */
} ft_set_object;

enum { SET_MIN_SIZE = 8 };
static ft_object dummy_key;  /* never a real object: only its address  */
#define DUMMY (&dummy_key)

static ft_set_object *as_set(ft_object *o) { return (ft_set_object *)o; }

/* The count, inside the set's section (or for len()). */
static ssize_t used_of(ft_set_object *s)
{
    return ft_atomic_load_relaxed(&s->xused);
}

/* Inside the set's section: writers are serialised by it. */
static void set_used(ft_set_object *s, ssize_t n)
{
    ft_atomic_store_relaxed(&s->xused, n);
}

/* What a probe found (lookup). */
typedef enum probe_status {
    PROBE_OK,            /* the slot returned: key's, or a free one      */
    PROBE_ERROR,         /* a comparison failed (its error is set)       */
    PROBE_LOCK = 2,      /* elided probe: a key it may not compare there */
} probe_status;

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

/* k == key for a candidate k of the same hash that is another object:
 * 1, 0, -1 with an error, or PROBE_LOCK in an elided section when the two
 * may not be compared there (_ft_eq_runs_no_code). Out of line: keys found
 * by pointer, the usual case, keep lookup's loop small. */
static FT_NOINLINE int compare_key(ft_object *k, ft_object *key)
{
    if (_ft_cs_in_elided_section() &&
        !(_ft_eq_runs_no_code(ft_type_of(k)) && _ft_eq_runs_no_code(ft_type_of(key))))
        return PROBE_LOCK;
    int eq = ft_equal(k, key);
    return eq < 0 ? -1 : eq != 0;
}

/* The slot of key (hash h), or the first free slot on its probe chain;
 * NULL (with *st PROBE_OK) when there is no table. In an elided section
 * key is compared only where compare_key may (PROBE_LOCK at any other
 * candidate, before any comparison ran). */
static set_entry *lookup(ft_set_object *s, ft_object *key, int64_t h,
                         probe_status *st)
{
    size_t mask = s->mask, i = (size_t)h & mask;
    uint64_t perturb = (uint64_t)h;
    set_entry *free_slot = NULL;
    *st = PROBE_OK;
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
            } else if (e->key == key) {
                return e;
            } else if (e->hash == h) {
                int eq = compare_key(e->key, key);
                if (eq) {
                    *st = eq == 1 ? PROBE_OK : eq < 0 ? PROBE_ERROR : PROBE_LOCK;
                    return eq == 1 ? e : NULL;
                }
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
 * set_table_resize), the live keys re-inserted in table order. In an
 * elided section the old table goes to *retired, for the caller to free
 * after the section (_ft_qsbr_free may wait for a grace period); else to
 * _ft_qsbr_free at once. */
static int resize(ft_set_object *s, size_t min_used, set_entry **retired)
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
    s->filled = used_of(s);
    for (size_t i = 0; old && i < old_size; i++) {
        ft_object *k = old[i].key;
        if (k && k != DUMMY)
            insert_clean(table, s->mask, k, old[i].hash);
    }
    if (retired && _ft_cs_in_elided_section()) {
        ft_assert(!*retired);   /* one resize per add */
        *retired = old;
    } else {
        _ft_qsbr_free(old);
    }
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
    set_used(s, 0);
    s->filled = 0;
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
    return used_of(as_set(o));
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
    set_used(s, 0);   /* not yet published: nobody else reads it */
    s->filled = 0;
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
    size_t used = (size_t)used_of(s);
    return used > 50000 ? used * 2 : used * 4;
}

/* The answers of add_locked (and OP_LOCK of every elidable operation). */
enum { ADD_ERROR = -1, ADD_PRESENT = 0, ADD_ADDED = 1, OP_LOCK = 2 };

/* 1: added, 0: already there, -1: error; in an elided section, OP_LOCK:
 * nothing the caller can see was written (a resize may have happened),
 * add again in a locked section. In an elided section a replaced table
 * goes to *retired (see resize; retired may be NULL only in a locked
 * one). Inline into ft_set_add's usual add (one call and its frame less
 * per add, in every flavor); add_locked is the one out-of-line copy for
 * the rest (sections out of line, retries, merges). */
static ft_always_inline int add_entry(ft_set_object *s, ft_object *key, int64_t h,
                                      set_entry **retired)
{
    /* no table (cleared), or one a failed resize left almost full: the
     * probe loops need a free slot */
    if ((!s->table || (size_t)s->filled + 1 >= s->mask) &&
        resize(s, grown_size(s), retired) < 0)
        return ADD_ERROR;
    probe_status st;
    set_entry *e = lookup(s, key, h, &st);
    if (st != PROBE_OK)
        return st == PROBE_LOCK ? OP_LOCK : ADD_ERROR;
    if (e->key && e->key != DUMMY)
        return ADD_PRESENT;
    /* The set's reference. _ft_incref_leaf declines only a sharded key,
     * whose count may need the shard table's lock: not in an elided
     * section. */
    if (ft_unlikely(!_ft_incref_leaf(key))) {
        if (_ft_cs_in_elided_section())
            return OP_LOCK;
        ft_incref(key);
    }
    bool fresh = !e->key;
    if (fresh)
        s->filled++;
    e->key = key;
    e->hash = h;
    set_used(s, used_of(s) + 1);
    if (fresh && (size_t)s->filled * 5 >= s->mask * 3 &&
        resize(s, grown_size(s), retired) < 0)
        ft_err_clear();   /* the key is in; the table just stays fuller */
    return ADD_ADDED;
}

static FT_NOINLINE int add_locked(ft_set_object *s, ft_object *key, int64_t h,
                                  set_entry **retired)
{
    return add_entry(s, key, h, retired);
}

/* ft_set_add past its elided section: the free of a replaced table, and
 * the add again under the lock (OP_LOCK). Out of line, as every retry
 * below: the usual add stays small in every flavor. */
static FT_NOINLINE int add_finish(ft_object *set, ft_object *key, int64_t h,
                                  int rc, set_entry *retired)
{
    _ft_qsbr_free(retired);
    if (rc == OP_LOCK) {
        FT_BEGIN_CRITICAL_SECTION_OBJ(set);
        rc = add_locked(as_set(set), key, h, NULL);
        FT_END_CRITICAL_SECTION();
    }
    return rc < 0 ? -1 : rc;
}

/* OP_LOCK and a retired table come only from an elided section, which
 * only the set's owner runs (and it still is: nothing since could take
 * the set from it). The owner test, constant false where nothing is ever
 * elided (gil, nogil-atomic), drops the retry paths from those builds. */
static ft_always_inline bool elided_gave_up(ft_object *set, bool gave_up)
{
    return ft_unlikely(gave_up && _ft_owned_by_caller(set));
}

/* The API's usual operations (add, contains, discard) split their
 * section as ft_list_set does (ftlab/refcount.h,
 * _ft_cs_try_begin_unlocked): the owner's usual elision, and every
 * section in gil, begins inline without a call; whatever needs one
 * first (registering, a first elision, a settled set, the lock) goes to
 * the whole elidable section out of line, and so do the full type
 * check's cases (a NULL, a subtype, a wrong type). Not for a leaf here
 * (the probe calls lookup): so that the usual operation's frame holds
 * no ft_critical_section and no locked path's registers — in go's
 * liberty and seen sets nogil's add and contains cost 31 and 25
 * instructions over gil's, of which the elision itself is some 12. The
 * section's rules are the elided one's (above). */

/* ft_set_add's section, whichever way it begins. */
static FT_NOINLINE int add_section(ft_object *set, ft_object *key, int64_t h)
{
    set_entry *retired = NULL;
    int rc;
    FT_BEGIN_ELIDABLE_SECTION_OBJ(set)
    rc = add_locked(as_set(set), key, h, &retired);
    FT_END_ELIDABLE_SECTION()
    if (elided_gave_up(set, rc == OP_LOCK || retired))
        return add_finish(set, key, h, rc, retired);
    return rc;
}

static FT_NOINLINE int add_full(ft_object *set, ft_object *key)
{
    if (!check_set(set, "ft_set_add") || !key)
        return key ? -1 : ft_err_set(FT_ERR_TYPE, "ft_set_add: NULL key");
    int64_t h = ft_hash(key);
    if (h == -1)
        return -1;   /* unhashable: TypeError */
    return add_section(set, key, h);
}

int ft_set_add(ft_object *set, ft_object *key)
{
    if (ft_unlikely(!set || set->ob_type != &ft_set_type || !key))
        return add_full(set, key);
    int64_t h = ft_hash(key);
    if (h == -1)
        return -1;   /* unhashable: TypeError */
    if (!_ft_cs_try_begin_unlocked(set, _ft_owned_by_caller(set)))
        return add_section(set, key, h);
    set_entry *retired = NULL;
    int rc = add_entry(as_set(set), key, h, &retired);
    _ft_cs_end_unlocked();
    if (elided_gave_up(set, rc == OP_LOCK || retired))   /* most adds: neither */
        return add_finish(set, key, h, rc, retired);
    return rc;   /* ADD_ERROR is -1 */
}

/* 1 when key is in s, 0 when not, -1 with an error, OP_LOCK (elided
 * only): look again in a locked section. */
static int contains_locked(ft_set_object *s, ft_object *key, int64_t h)
{
    probe_status st;
    set_entry *e = lookup(s, key, h, &st);
    if (st != PROBE_OK)
        return st == PROBE_LOCK ? OP_LOCK : -1;
    return e && e->key && e->key != DUMMY;
}

static FT_NOINLINE int contains_locked_section(ft_object *set, ft_object *key,
                                               int64_t h)
{
    int found;
    FT_BEGIN_CRITICAL_SECTION_OBJ(set);
    found = contains_locked(as_set(set), key, h);
    FT_END_CRITICAL_SECTION();
    return found;
}

/* ft_set_contains's section, whichever way it begins. */
static FT_NOINLINE int contains_section(ft_object *set, ft_object *key, int64_t h)
{
    int found;
    FT_BEGIN_ELIDABLE_SECTION_OBJ(set)
    found = contains_locked(as_set(set), key, h);
    FT_END_ELIDABLE_SECTION()
    if (elided_gave_up(set, found == OP_LOCK))
        return contains_locked_section(set, key, h);
    return found;
}

static FT_NOINLINE int contains_full(ft_object *set, ft_object *key)
{
    if (!check_set(set, "ft_set_contains") || !key)
        return key ? -1 : ft_err_set(FT_ERR_TYPE, "ft_set_contains: NULL key");
    int64_t h = ft_hash(key);
    if (h == -1)
        return -1;
    return contains_section(set, key, h);
}

int ft_set_contains(ft_object *set, ft_object *key)
{
    if (ft_unlikely(!set || set->ob_type != &ft_set_type || !key))
        return contains_full(set, key);
    int64_t h = ft_hash(key);
    if (h == -1)
        return -1;
    if (!_ft_cs_try_begin_unlocked(set, _ft_owned_by_caller(set)))
        return contains_section(set, key, h);
    int found = contains_locked(as_set(set), key, h);
    _ft_cs_end_unlocked();
    if (elided_gave_up(set, found == OP_LOCK))
        return contains_locked_section(set, key, h);
    return found;
}

/* Takes key out of s: 1 with the set's reference in *removed, 0 when
 * absent, -1 with an error, OP_LOCK (elided only): nothing was written,
 * discard again in a locked section. */
static int discard_locked(ft_set_object *s, ft_object *key, int64_t h,
                          ft_object **removed)
{
    probe_status st;
    set_entry *e = lookup(s, key, h, &st);
    if (st != PROBE_OK)
        return st == PROBE_LOCK ? OP_LOCK : -1;
    if (!e || !e->key || e->key == DUMMY)
        return 0;
    *removed = e->key;
    e->key = DUMMY;
    set_used(s, used_of(s) - 1);
    return 1;
}

static FT_NOINLINE int discard_locked_section(ft_object *set, ft_object *key,
                                              int64_t h, ft_object **removed)
{
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(set);
    rc = discard_locked(as_set(set), key, h, removed);
    FT_END_CRITICAL_SECTION();
    return rc;
}

/* ft_set_discard's section, whichever way it begins; the removed key's
 * reference is left in *removed for after it. */
static FT_NOINLINE int discard_section(ft_object *set, ft_object *key, int64_t h,
                                       ft_object **removed)
{
    int rc;
    FT_BEGIN_ELIDABLE_SECTION_OBJ(set)
    rc = discard_locked(as_set(set), key, h, removed);
    FT_END_ELIDABLE_SECTION()
    if (elided_gave_up(set, rc == OP_LOCK))
        rc = discard_locked_section(set, key, h, removed);
    return rc;
}

static FT_NOINLINE int discard_full(ft_object *set, ft_object *key)
{
    if (!check_set(set, "ft_set_discard") || !key)
        return key ? -1 : ft_err_set(FT_ERR_TYPE, "ft_set_discard: NULL key");
    int64_t h = ft_hash(key);
    if (h == -1)
        return -1;
    ft_object *removed = NULL;
    int rc = discard_section(set, key, h, &removed);
    ft_xdecref(removed);   /* outside the section: may run a dealloc */
    return rc;
}

int ft_set_discard(ft_object *set, ft_object *key)
{
    if (ft_unlikely(!set || set->ob_type != &ft_set_type || !key))
        return discard_full(set, key);
    int64_t h = ft_hash(key);
    if (h == -1)
        return -1;
    ft_object *removed = NULL;
    int rc;
    if (_ft_cs_try_begin_unlocked(set, _ft_owned_by_caller(set))) {
        rc = discard_locked(as_set(set), key, h, &removed);
        _ft_cs_end_unlocked();
        if (elided_gave_up(set, rc == OP_LOCK))
            rc = discard_locked_section(set, key, h, &removed);
    } else {
        rc = discard_section(set, key, h, &removed);
    }
    ft_xdecref(removed);   /* outside the section: may run a dealloc */
    return rc;
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

/* One step of iteration from *pos: 1 with a new reference in *key, 0 at
 * the end; in an elided section, OP_LOCK for a sharded key
 * (_ft_incref_leaf), with nothing changed: step again in a locked
 * section. */
static int next_locked(ft_set_object *s, ssize_t *pos, ft_object **key)
{
    size_t i = *pos < 0 ? 0 : (size_t)*pos;
    for (; s->table && i <= s->mask; i++) {
        if (live_key(&s->table[i])) {
            ft_object *k = s->table[i].key;
            if (ft_unlikely(!_ft_incref_leaf(k))) {
                if (_ft_cs_in_elided_section())
                    return OP_LOCK;
                ft_incref(k);
            }
            *key = k;
            *pos = (ssize_t)i + 1;
            return 1;
        }
    }
    *pos = (ssize_t)i;
    return 0;
}

int ft_set_next(ft_object *set, ssize_t *pos, ft_object **key)
{
    if (!pos || !key)
        return ft_err_set(FT_ERR_VALUE, "ft_set_next: NULL out-pointer");
    *key = NULL;
    if (!check_set(set, "ft_set_next"))
        return -1;
    int found;
    FT_BEGIN_ELIDABLE_SECTION_OBJ(set)
    found = next_locked(as_set(set), pos, key);
    FT_END_ELIDABLE_SECTION()
    if (elided_gave_up(set, found == OP_LOCK)) {
        FT_BEGIN_CRITICAL_SECTION_OBJ(set);
        found = next_locked(as_set(set), pos, key);
        FT_END_CRITICAL_SECTION();
    }
    return found;
}

ft_object *ft_set_pop(ft_object *set)
{
    if (!check_set(set, "ft_set_pop"))
        return NULL;
    ft_object *key = NULL;
    FT_BEGIN_CRITICAL_SECTION_OBJ(set);
    ft_set_object *s = as_set(set);
    if (used_of(s) > 0) {
        /* the finger keeps repeated pops from rescanning the same
         * deleted slots (CPython's set_pop does the same) */
        size_t i = s->finger & s->mask;
        while (!live_key(&s->table[i]))
            i = (i + 1) & s->mask;
        key = s->table[i].key;
        s->table[i].key = DUMMY;
        set_used(s, used_of(s) - 1);
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
    set_used(s, 0);
    s->filled = 0;
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
    if (s->table && used_of(s) > 0) {
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
            snap->used = used_of(s);
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
        resize(s, (size_t)(used_of(s) + o->used) * 2, NULL) < 0)
        return -1;
    size_t osize = o->mask + 1;
    if (s->filled == 0 && s->mask == o->mask && o->filled == o->used) {
        for (size_t i = 0; i < osize; i++)
            if (live_key(&o->table[i])) {
                s->table[i] = o->table[i];
                ft_incref(o->table[i].key);
            }
        s->filled = o->used;
        set_used(s, o->used);
        return 0;
    }
    if (s->filled == 0) {
        for (size_t i = 0; i < osize; i++)
            if (live_key(&o->table[i])) {
                ft_incref(o->table[i].key);
                insert_clean(s->table, s->mask, o->table[i].key, o->table[i].hash);
            }
        s->filled = o->used;
        set_used(s, o->used);
        return 0;
    }
    for (size_t i = 0; i < osize; i++)
        if (live_key(&o->table[i]) &&
            add_locked(s, o->table[i].key, o->table[i].hash, NULL) < 0)
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
    ft_set_object *x = as_set(a), *y = as_set(b);
    ssize_t t_used = used_of(x), t_filled = x->filled;
    size_t t_mask = x->mask, t_finger = x->finger;
    set_entry *t_table = x->table;
    set_used(x, used_of(y));
    x->filled = y->filled;
    x->mask = y->mask;
    x->table = y->table;
    x->finger = y->finger;
    set_used(y, t_used);
    y->filled = t_filled;
    y->mask = t_mask;
    y->table = t_table;
    y->finger = t_finger;
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
    t = ft_tuple_new(used_of(s));
    ssize_t k = 0;
    for (size_t i = 0; t && s->table && i <= s->mask; i++)
        if (live_key(&s->table[i]))
            ft_tuple_set_steal(t, k++, ft_newref(s->table[i].key));
    FT_END_CRITICAL_SECTION();
    return t;
}
