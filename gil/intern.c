/* gil/intern.c — the intern table of the gil build: open addressing with
 * linear probing over borrowed pointers, guarded by the GIL (every caller
 * is attached, so no lock and no atomics).
 *
 *   slots[i] == NULL        empty: ends a probe
 *   slots[i] == TOMBSTONE   a removed string: probes continue past it
 *   otherwise               a live canonical string whose hash, masked,
 *                           starts the probe that reaches i
 *
 * Invariant: used (strings + tombstones) <= cap * 2/3, so a probe always
 * meets an empty slot. The array comes from ft_calloc, so that a failure
 * to grow it is a MemoryError that allocation-failure injection reaches
 * (the string is then not interned, the table unchanged); it is freed
 * whenever the last interned string dies, so ft_fini's leak report sees it
 * only beside a leaked interned string.
 */
#include <stdlib.h>
#include <string.h>
#include "internal/intern.h"

#define TOMBSTONE ((ft_str_object *)1)
enum { MIN_CAP = 64 };

static struct {
    ft_str_object **slots;
    size_t cap;       /* a power of two, or 0 with slots NULL */
    size_t live;      /* canonical strings                     */
    size_t used;      /* live + tombstones                     */
} table;

/* Forgets the table without freeing it: at ft_init a table left over
 * means an interned string leaked past the last ft_fini (which said so),
 * and the heap that held the table is gone. */
void _ft_intern_init(void)
{
    table.slots = NULL;
    table.cap = table.live = table.used = 0;
}

size_t _ft_intern_count(void) { return table.live; }

static bool same_value(ft_str_object *a, ft_str_object *b)
{
    return a->size == b->size && memcmp(a->data, b->data, (size_t)a->size) == 0;
}

/* The slot holding s's value, or the empty slot that ends its probe. */
static size_t probe(ft_str_object *s, uint64_t h)
{
    size_t mask = table.cap - 1, i = (size_t)h & mask;
    for (;; i = (i + 1) & mask) {
        ft_str_object *e = table.slots[i];
        if (!e || (e != TOMBSTONE && (uint64_t)_ft_str_hash(e) == h && same_value(e, s)))
            return i;
    }
}

/* Rebuilds into cap slots, dropping tombstones. */
static int rehash(size_t cap)
{
    ft_str_object **old = table.slots;
    size_t old_cap = table.cap;
    table.slots = ft_calloc(cap, sizeof *table.slots);
    if (!table.slots) {
        table.slots = old;
        return -1;   /* MemoryError set by ft_calloc */
    }
    table.cap = cap;
    table.used = table.live;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] && old[i] != TOMBSTONE)
            table.slots[probe(old[i], (uint64_t)_ft_str_hash(old[i]))] = old[i];
    ft_free(old);
    return 0;
}

/* Room for one more: grow when live strings fill it, else just sweep
 * the tombstones out. */
static int reserve_one(void)
{
    if ((table.used + 1) * 3 <= table.cap * 2)
        return 0;
    size_t cap = table.cap ? table.cap : MIN_CAP;
    while ((table.live + 1) * 3 > cap)
        cap *= 2;
    return rehash(cap);
}

ft_object *_ft_intern_get(ft_str_object *s)
{
    if (reserve_one() < 0)
        return NULL;
    uint64_t h = (uint64_t)_ft_str_hash(s);
    size_t i = probe(s, h);
    if (table.slots[i])   /* under the GIL a string in the table is alive */
        return ft_newref(&table.slots[i]->ob_base);
    table.slots[i] = s;
    table.live++;
    table.used++;
    ft_atomic_store_relaxed(&s->xstate, FT_STR_INTERNED);
    return ft_newref(&s->ob_base);
}

void _ft_intern_remove(ft_str_object *s)
{
    if (table.cap == 0)
        return;   /* a string leaked past an ft_fini: not in this table */
    size_t i = probe(s, (uint64_t)_ft_str_hash(s));
    if (table.slots[i] != s)
        return;   /* likewise */
    table.slots[i] = TOMBSTONE;
    if (--table.live == 0) {   /* nobody interns anything: give it all back */
        ft_free(table.slots);
        _ft_intern_init();
    }
}
