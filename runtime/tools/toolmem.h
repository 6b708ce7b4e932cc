/* tools/toolmem.h — where the tools' own buffers come from.
 *
 * Snapshots, statistics, object graphs and type censuses are the tools'
 * bookkeeping, not the program's memory: they come from the system
 * allocator, so they never show in ft_mem_get_stats, in ft_fini's leak
 * report, or in tracemalloc's own traces (a snapshot buffer traced while
 * the table is being copied would change what it copies). But they obey
 * the allocation-failure injection of the tests (mem/backend.h), one
 * step per call like ft_malloc, so that every failure path of the tools
 * runs under test. The trace nodes themselves (tracemalloc.c) stay on
 * plain malloc: a node that cannot be had leaves its block untraced.
 */
#ifndef FTLAB_TOOLS_TOOLMEM_H
#define FTLAB_TOOLS_TOOLMEM_H

#include <stdlib.h>
#include "../mem/backend.h"

static inline void *_ft_tool_malloc(size_t n)
{
    return _ft_mem_fail_injected() ? NULL : malloc(n);
}

static inline void *_ft_tool_calloc(size_t count, size_t size)
{
    return _ft_mem_fail_injected() ? NULL : calloc(count, size);
}

/* NULL (ptr untouched) on failure, as realloc. */
static inline void *_ft_tool_realloc(void *ptr, size_t n)
{
    return _ft_mem_fail_injected() ? NULL : realloc(ptr, n);
}

#endif /* FTLAB_TOOLS_TOOLMEM_H */
