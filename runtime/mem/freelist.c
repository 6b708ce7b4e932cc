/* freelist.c — object free lists (see freelist.h). */
#include "backend.h"
#include "heap.h"
#include "../tools/traces.h"

static ft_freelist *list_in(ft_heap_set *s, ft_freelist_kind kind)
{
    return s && (unsigned)kind < FT_FREELIST_KINDS ? &s->freelists.lists[kind]
                                                   : NULL;
}

void *_ft_freelist_pop(ft_freelist_kind kind)
{
    ft_freelist *fl = list_in(_ft_heaps_current(), kind);
    return fl ? _ft_freelist_take(fl) : NULL;
}

bool _ft_freelist_push(ft_freelist_kind kind, void *block)
{
    ft_freelist *fl = list_in(_ft_heaps_current(), kind);
    if (!fl || !_ft_freelist_give(fl, kind, block))
        return false;
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
