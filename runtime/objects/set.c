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
} ft_set_object;

enum { SET_MIN_SIZE = 8 };
static ft_object dummy_key;  /* never a real object: only its address  */
#define DUMMY (&dummy_key)

static ft_set_object *as_set(ft_object *o) { return (ft_set_object *)o; }

static bool check_set(ft_object *o, const char *what)
{
    return _ft_check_type(o, &ft_set_type, what);
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
        set_entry *e = &s->table[i];
        if (!e->key)
            return free_slot ? free_slot : e;
        if (e->key == DUMMY) {
            if (!free_slot)
                free_slot = e;
        } else if (e->key == key ||
                   (e->hash == h && (*err = ft_equal(e->key, key)) != 0)) {
            return *err < 0 ? NULL : e;
        }
        perturb >>= 5;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static int resize(ft_set_object *s, size_t min_used)
{
    size_t size = SET_MIN_SIZE;
    while (size * 3 < min_used * 5)   /* keep at most 60% full */
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
        if (!k || k == DUMMY)
            continue;
        size_t j = (size_t)old[i].hash & s->mask;
        uint64_t perturb = (uint64_t)old[i].hash;
        while (table[j].key) {
            perturb >>= 5;
            j = (j * 5 + 1 + perturb) & s->mask;
        }
        table[j] = old[i];
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
    s->mask = SET_MIN_SIZE - 1;
    if (!(s->table = ft_calloc(SET_MIN_SIZE, sizeof *s->table))) {
        s->mask = 0;
        ft_decref(&s->ob_base);
        return NULL;
    }
    return &s->ob_base;
}

/* 1: added, 0: already there, -1: error. Runs locked. */
static int add_locked(ft_set_object *s, ft_object *key, int64_t h)
{
    if ((size_t)(s->filled + 1) * 5 > (s->mask + 1) * 3 &&
        resize(s, (size_t)s->used + 1) < 0)
        return -1;
    int err;
    set_entry *e = lookup(s, key, h, &err);
    if (!e)
        return -1;   /* the table exists here: only an error gets NULL */
    if (e->key && e->key != DUMMY)
        return 0;
    if (!e->key)
        s->filled++;
    ft_incref(key);
    _ft_object_set_shared(key);
    e->key = key;
    e->hash = h;
    s->used++;
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
