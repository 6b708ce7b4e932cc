/* mem/freelist.h — object free lists (the third layer in
 * docs/architecture.md, "The memory layers").
 *
 * CPython keeps freed floats, tuples of each small length, lists and dicts
 * on free lists so that the next object of the same kind skips the
 * allocator. ftlab does the same, per heap set: one global set of lists in
 * the gil build (guarded by the GIL), one per thread in nogil (no locks, no
 * atomics). Each list is bounded; a push onto a full list fails and the
 * caller frees the block normally.
 *
 * The lists hold raw blocks of the object's size; the object layer (a
 * later issue) decides sizes and what to reset.
 */
#ifndef FTLAB_MEM_FREELIST_H
#define FTLAB_MEM_FREELIST_H

#include <stdint.h>
#include "obmalloc.h"   /* _ft_block_next, _ft_block_set_next */

/* Tuples of length 1..FT_FREELIST_TUPLE_MAX get one list per length. */
#define FT_FREELIST_TUPLE_MAX 20

typedef enum ft_freelist_kind {
    FT_FREELIST_FLOAT = 0,
    FT_FREELIST_INT,             /* ints outside the small-int range       */
    FT_FREELIST_LIST,
    FT_FREELIST_DICT,
    FT_FREELIST_TUPLE1,          /* ... TUPLE1 + (length - 1)             */
    FT_FREELIST_KINDS = FT_FREELIST_TUPLE1 + FT_FREELIST_TUPLE_MAX
} ft_freelist_kind;

/* Bounds, as in CPython (Include/internal/pycore_freelist_state.h). */
#define FT_FREELIST_FLOAT_MAX 100
/* ints: CPython 3.14 keeps one too (pycore_freelist_state.h, "ints"). */
#define FT_FREELIST_INT_MAX   100
#define FT_FREELIST_LIST_MAX  80
#define FT_FREELIST_DICT_MAX  80
#define FT_FREELIST_TUPLE_EACH_MAX 2000

typedef struct ft_freelist {
    void *head;                  /* blocks linked through their first word */
    uint32_t count;
    _Atomic uint32_t xcount;     /* count, for statistics readers          */
} ft_freelist;

typedef struct ft_freelists {
    ft_freelist lists[FT_FREELIST_KINDS];
} ft_freelists;

/* Do the objects parked on kind's list belong to a GC type? Lists,
 * dicts and tuples do, floats and ints do not: each kind serves exactly
 * one static type, whose dealloc is no other type's (the runtime copies
 * no slots between types). Inline, so that for the constant kind each
 * caller passes a float's or int's park and unpark test nothing of their
 * type's flags (internal/object.h asserts the two agree). */
static inline bool _ft_freelist_kind_gc(ft_freelist_kind kind)
{
    return kind >= FT_FREELIST_LIST;
}

/* The bound of a kind's list. A zeroed ft_freelists is ready to use.
 * Inline: callers pass a constant kind, and the switch folds to the
 * constant. */
static inline uint32_t _ft_freelist_limit(ft_freelist_kind kind)
{
    switch (kind) {
    case FT_FREELIST_FLOAT: return FT_FREELIST_FLOAT_MAX;
    case FT_FREELIST_INT:   return FT_FREELIST_INT_MAX;
    case FT_FREELIST_LIST:  return FT_FREELIST_LIST_MAX;
    case FT_FREELIST_DICT:  return FT_FREELIST_DICT_MAX;
    default:                return FT_FREELIST_TUPLE_EACH_MAX;
    }
}

/* One list's pop and push, inline: the object layer's park and unpark
 * (internal/object.h) run them on every dealloc and allocation of a
 * float, int, tuple, list or dict, always with a constant kind, so the
 * limit folds to a constant and neither takes a call. The list is the
 * calling thread's (nogil) or the GIL holder's (gil): one writer, plain
 * stores; xcount is for statistics readers only (relaxed: a count, it
 * orders nothing). */
static inline void *_ft_freelist_take(ft_freelist *fl)
{
    void *block = fl->head;
    if (!block)
        return NULL;
    fl->head = _ft_block_next(block);
    fl->count--;
    ft_atomic_store_relaxed(&fl->xcount, fl->count);
    return block;
}

/* false when the list is full (then the caller frees the block). */
static inline bool _ft_freelist_give(ft_freelist *fl, ft_freelist_kind kind,
                                     void *block)
{
    if (fl->count >= _ft_freelist_limit(kind))
        return false;
    _ft_block_set_next(block, fl->head);   /* atomic: obmalloc.h, T3 */
    fl->head = block;
    fl->count++;
    ft_atomic_store_relaxed(&fl->xcount, fl->count);
    return true;
}

/* A block from the calling thread's list, or NULL (then allocate). Out
 * of line, for tests and callers without an object; the object layer's
 * park and unpark (internal/object.h) also count the object. */
void *_ft_freelist_pop(ft_freelist_kind kind);
/* Keeps the block for reuse; false when the list is full (then free it). */
bool _ft_freelist_push(ft_freelist_kind kind, void *block);
/* Frees every block on the lists (thread exit, ft_fini). */
void _ft_freelists_clear(ft_freelists *fl);

#endif /* FTLAB_MEM_FREELIST_H */
