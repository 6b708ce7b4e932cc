/* freelist.c — object free lists (see freelist.h). */
#include "backend.h"
#include "heap.h"
#include "../tools/traces.h"

static ft_freelist *list_in(ft_heap_set *s, ft_freelist_kind kind)
{
    return s && (unsigned)kind < FT_FREELIST_KINDS ? &s->freelists.lists[kind]
                                                   : NULL;
}

static void *pop(ft_freelist *fl)
{
    if (!fl || !fl->head)
        return NULL;
    void *block = fl->head;
    fl->head = _ft_block_next(block);
    fl->count--;
    ft_atomic_store_relaxed(&fl->xcount, fl->count);
    return block;
}

static bool push(ft_freelist *fl, ft_freelist_kind kind, void *block)
{
    if (!fl || fl->count >= _ft_freelist_limit(kind))
        return false;
    _ft_block_set_next(block, fl->head);   /* atomic: obmalloc.h, T3 */
    fl->head = block;
    fl->count++;
    ft_atomic_store_relaxed(&fl->xcount, fl->count);
    _ft_trace_park_hook(block);   /* tracemalloc: freed, for the program */
    return true;
}

void *_ft_freelist_pop(ft_freelist_kind kind)
{
    return pop(list_in(_ft_heaps_current(), kind));
}

bool _ft_freelist_push(ft_freelist_kind kind, void *block)
{
    return push(list_in(_ft_heaps_current(), kind), kind, block);
}

/* Single writer: the set is the calling thread's (mem/heap.h). Peek, not
 * current: a thread without a set yet has empty free lists (pop misses,
 * push declines and the block is freed), and without the call that
 * creates a set these two need no stack frame. */
void *_ft_freelist_pop_object(ft_freelist_kind kind)
{
    ft_heap_set *s = _ft_heaps_peek();
    void *block = pop(list_in(s, kind));
    if (block)
        ft_atomic_bump_single_writer(&s->xlive_objects, 1);
    return block;
}

bool _ft_freelist_push_object(ft_freelist_kind kind, void *block)
{
    ft_heap_set *s = _ft_heaps_peek();
    if (!push(list_in(s, kind), kind, block))
        return false;
    ft_atomic_bump_single_writer(&s->xlive_objects, -1);
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
