/* tools/ptrmap.h — a small map from object pointers to indexes, for the
 * object-graph walks (objgraph.c, typestats.c).
 *
 * Open addressing with linear probing, no removal; memory from the
 * system allocator, so that a walk never allocates from the private heap
 * it is looking at. Invariant: 2 * n <= cap, cap a power of two (or 0);
 * a NULL key marks an empty slot.
 */
#ifndef FTLAB_TOOLS_PTRMAP_H
#define FTLAB_TOOLS_PTRMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "toolmem.h"

typedef struct ft_ptrmap {
    const void **keys;
    size_t *values;
    size_t n, cap;
} ft_ptrmap;

static inline size_t _ft_ptrmap_slot(const ft_ptrmap *m, const void *k)
{
    uint64_t h = ((uint64_t)(uintptr_t)k >> 4) * 0x9e3779b97f4a7c15ull;
    size_t i = (size_t)(h >> 17) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != k)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* The value of k, or false when absent. */
static inline bool _ft_ptrmap_get(const ft_ptrmap *m, const void *k, size_t *v)
{
    if (!m->cap)
        return false;
    size_t i = _ft_ptrmap_slot(m, k);
    if (!m->keys[i])
        return false;
    *v = m->values[i];
    return true;
}

static inline bool _ft_ptrmap_grow(ft_ptrmap *m)
{
    ft_ptrmap bigger = { NULL, NULL, 0, m->cap ? m->cap * 2 : 64 };
    bigger.keys = _ft_tool_calloc(bigger.cap, sizeof *bigger.keys);
    bigger.values = _ft_tool_malloc(bigger.cap * sizeof *bigger.values);
    if (!bigger.keys || !bigger.values) {
        free(bigger.keys);
        free(bigger.values);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i]) {
            size_t j = _ft_ptrmap_slot(&bigger, m->keys[i]);
            bigger.keys[j] = m->keys[i];
            bigger.values[j] = m->values[i];
        }
    }
    bigger.n = m->n;
    free(m->keys);
    free(m->values);
    *m = bigger;
    return true;
}

/* Sets k to v; false when out of memory. */
static inline bool _ft_ptrmap_put(ft_ptrmap *m, const void *k, size_t v)
{
    if (2 * (m->n + 1) > m->cap && !_ft_ptrmap_grow(m))
        return false;
    size_t i = _ft_ptrmap_slot(m, k);
    m->n += m->keys[i] == NULL;
    m->keys[i] = k;
    m->values[i] = v;
    return true;
}

static inline void _ft_ptrmap_free(ft_ptrmap *m)
{
    free(m->keys);
    free(m->values);
    *m = (ft_ptrmap){ 0 };
}

#endif /* FTLAB_TOOLS_PTRMAP_H */
