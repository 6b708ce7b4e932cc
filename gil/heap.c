/* gil/heap.c — one heap set for the process, guarded by the GIL (see
 * mem/heap.h). Every free is local: there is no other heap to free into. */
#include "mem/heap.h"

/* Read by the inline accessors of mem/heap.h. */
ft_heap_set _ft_heaps_the_set = {
    .heaps = { [FT_HEAP_RAW] = { .kind = FT_HEAP_RAW },
               [FT_HEAP_OBJECT] = { .kind = FT_HEAP_OBJECT },
               [FT_HEAP_GC] = { .kind = FT_HEAP_GC } },
};

void _ft_heaps_thread_exit(void) {}
void _ft_heaps_before_new_arena(void) {}

void _ft_heaps_collect(void)
{
    for (int k = 0; k < FT_HEAP_KINDS; k++)
        _ft_heap_collect(&_ft_heaps_the_set.heaps[k]);
}

void _ft_heaps_for_each(void (*fn)(ft_heap_set *, void *), void *arg)
{
    fn(&_ft_heaps_the_set, arg);
}

void _ft_heaps_visit(ft_heap_kind kind, ft_block_visitor visit, void *arg)
{
    _ft_heap_visit(&_ft_heaps_the_set.heaps[kind], visit, arg);
}
