/* freelist.c — object free lists (see freelist.h). */
#include "backend.h"
#include "heap.h"
#include "../tools/traces.h"

uint32_t _ft_freelist_limit(ft_freelist_kind kind)
{
    switch (kind) {
    case FT_FREELIST_FLOAT: return FT_FREELIST_FLOAT_MAX;
    case FT_FREELIST_INT: return FT_FREELIST_INT_MAX;
    case FT_FREELIST_LIST:  return FT_FREELIST_LIST_MAX;
    case FT_FREELIST_DICT:  return FT_FREELIST_DICT_MAX;
    default:                return FT_FREELIST_TUPLE_EACH_MAX;
    }
}

static ft_freelist *list_of(ft_freelist_kind kind)
{
    ft_heap_set *s = _ft_heaps_current();
    return s && (unsigned)kind < FT_FREELIST_KINDS ? &s->freelists.lists[kind]
                                                   : NULL;
}

void *_ft_freelist_pop(ft_freelist_kind kind)
{
    ft_freelist *fl = list_of(kind);
    if (!fl || !fl->head)
        return NULL;
    void *block = fl->head;
    fl->head = _ft_block_next(block);
    fl->count--;
    ft_atomic_store_relaxed(&fl->xcount, fl->count);
    return block;
}

bool _ft_freelist_push(ft_freelist_kind kind, void *block)
{
    ft_freelist *fl = list_of(kind);
    if (!fl || fl->count >= _ft_freelist_limit(kind))
        return false;
    _ft_block_set_next(block, fl->head);   /* atomic: obmalloc.h, T3 */
    fl->head = block;
    fl->count++;
    ft_atomic_store_relaxed(&fl->xcount, fl->count);
    _ft_trace_park_hook(block);   /* tracemalloc: freed, for the program */
    return true;
}

void _ft_freelists_clear(ft_freelists *fls)
{
    for (int k = 0; k < FT_FREELIST_KINDS; k++) {
        ft_freelist *fl = &fls->lists[k];
        while (fl->head) {
            void *block = fl->head;
            fl->head = _ft_block_next(block);
            /* parked: a dead object. nogil parks only blocks without the
             * collector's pre-header, so the object starts the block; the
             * gil build never defers a free and does not look at it. */
            _ft_mem_release_object(block, block);
        }
        fl->count = 0;
        ft_atomic_store_relaxed(&fl->xcount, 0);
    }
}
