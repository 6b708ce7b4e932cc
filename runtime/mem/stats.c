/* stats.c — allocator statistics (ftlab/mem.h), like
 * sys._debugmallocstats(): per size class, then arenas, then totals. */
#include <string.h>
#include "backend.h"
#include "heap.h"

static uint64_t class_capacity(unsigned c)
{
    return (FT_POOL_SIZE - FT_POOL_HEADER) / _ft_class_size(c);
}

static void add_set(ft_heap_set *s, void *arg)
{
    ft_mem_stats *st = arg;
    st->heap_sets++;
    st->heap_sets_abandoned += s->abandoned;
    st->live_blocks += ft_atomic_load_relaxed(&s->xlive_blocks);
    st->live_bytes += ft_atomic_load_relaxed(&s->xlive_bytes);
    st->live_objects += ft_atomic_load_relaxed(&s->xlive_objects);
    for (int k = 0; k < FT_FREELIST_KINDS; k++)
        st->freelist_blocks += ft_atomic_load_relaxed(&s->freelists.lists[k].xcount);
    for (int k = 0; k < FT_HEAP_KINDS; k++)
        for (unsigned c = 0; c < FT_NUM_CLASSES; c++) {
            ft_class_counters *cc = &s->heaps[k].xclass[c];
            ft_mem_class_stats *out = &st->classes[c];
            out->pools_used += ft_atomic_load_relaxed(&cc->xpools_used);
            out->pools_full += ft_atomic_load_relaxed(&cc->xpools_full);
            out->allocs += ft_atomic_load_relaxed(&cc->xallocs);
            out->frees += ft_atomic_load_relaxed(&cc->xfrees);
        }
}

int ft_mem_get_stats(ft_mem_stats *out)
{
    if (!out)
        return ft_err_set(FT_ERR_VALUE, "ft_mem_get_stats: out is NULL");
    memset(out, 0, sizeof *out);
    snprintf(out->allocator, sizeof out->allocator, "%s", ft_allocator_name());
    _ft_heaps_for_each(add_set, out);
    for (unsigned c = 0; c < FT_NUM_CLASSES; c++) {
        ft_mem_class_stats *cs = &out->classes[c];
        uint64_t pools = cs->pools_used + cs->pools_full;
        uint64_t cap = class_capacity(c);
        cs->block_size = (uint32_t)_ft_class_size(c);
        cs->blocks_in_use = cs->allocs - cs->frees;
        cs->blocks_free = pools * cap - cs->blocks_in_use;
        cs->bytes_quantization =
            pools * (FT_POOL_SIZE - FT_POOL_HEADER - cap * _ft_class_size(c));
    }
    ft_arena_counters *a = &_ft_arena_counters;
    out->arenas_allocated = ft_atomic_load_relaxed(&a->xallocated);
    out->arenas_freed = ft_atomic_load_relaxed(&a->xfreed);
    out->arenas_current = ft_atomic_load_relaxed(&a->xcurrent);
    out->arenas_highest = ft_atomic_load_relaxed(&a->xhighest);
    return 0;
}

void ft_mem_print_stats(FILE *f)
{
    ft_mem_stats st;
    ft_mem_get_stats(&st);
    fprintf(f, "Allocator %s. Small block threshold = %d, in %d size classes.\n\n",
            st.allocator, FT_SMALL_MAX, FT_NUM_CLASSES);
    fprintf(f, "class   size   num pools   blocks in use  avail blocks   quantization\n"
               "-----   ----   ---------   -------------  ------------   ------------\n");
    uint64_t pools = 0, in_use_bytes = 0, free_bytes = 0, quant = 0;
    for (unsigned c = 0; c < FT_NUM_CLASSES; c++) {
        ft_mem_class_stats *cs = &st.classes[c];
        uint64_t n = cs->pools_used + cs->pools_full;
        if (!n)
            continue;
        fprintf(f, "%5u %6u %11llu %15llu %13llu %14llu\n", c, cs->block_size,
                (unsigned long long)n, (unsigned long long)cs->blocks_in_use,
                (unsigned long long)cs->blocks_free,
                (unsigned long long)cs->bytes_quantization);
        pools += n;
        in_use_bytes += cs->blocks_in_use * cs->block_size;
        free_bytes += cs->blocks_free * cs->block_size;
        quant += cs->bytes_quantization;
    }
    uint64_t mapped = st.arenas_current * FT_ARENA_SIZE;
    uint64_t pool_bytes = pools * FT_POOL_SIZE;
    fprintf(f, "\n# arenas allocated total           = %14llu\n"
               "# arenas reclaimed                 = %14llu\n"
               "# arenas highest at the same time  = %14llu\n"
               "# arenas allocated current         = %14llu\n"
               "%llu arenas * %zu bytes/arena       = %14llu\n\n"
               "# bytes in allocated blocks        = %14llu\n"
               "# bytes in available blocks        = %14llu\n"
               "%llu unused pools * %zu bytes       = %14llu\n"
               "# bytes lost to pool headers       = %14llu\n"
               "# bytes lost to quantization       = %14llu\n\n"
               "# heap sets (abandoned)            = %10llu (%llu)\n"
               "# live blocks, all backends        = %14lld\n"
               "# live bytes, all backends         = %14lld\n"
               "# blocks on object free lists      = %14llu\n",
            (unsigned long long)st.arenas_allocated,
            (unsigned long long)st.arenas_freed,
            (unsigned long long)st.arenas_highest,
            (unsigned long long)st.arenas_current,
            (unsigned long long)st.arenas_current, FT_ARENA_SIZE,
            (unsigned long long)mapped,
            (unsigned long long)in_use_bytes, (unsigned long long)free_bytes,
            (unsigned long long)(mapped - pool_bytes) / FT_POOL_SIZE, FT_POOL_SIZE,
            (unsigned long long)(mapped - pool_bytes),
            (unsigned long long)pools * FT_POOL_HEADER, (unsigned long long)quant,
            (unsigned long long)st.heap_sets,
            (unsigned long long)st.heap_sets_abandoned,
            (long long)st.live_blocks, (long long)st.live_bytes,
            (unsigned long long)st.freelist_blocks);
}
