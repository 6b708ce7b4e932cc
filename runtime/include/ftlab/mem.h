/* ftlab/mem.h — the private heap (docs/architecture.md, "The memory layers").
 *
 * ft_malloc and friends allocate from the backend chosen at ft_init:
 *
 *   FT_MALLOC=obmalloc   (default) ftlab's pools for requests of up to 512
 *                        bytes, the system allocator above
 *   FT_MALLOC=mimalloc   mimalloc, one mi_heap_t per thread
 *   FT_MALLOC=malloc     the system allocator
 *   FT_MALLOC=debug      obmalloc wrapped in the debug allocator; any
 *   FT_MALLOC=X,debug    backend can be wrapped: guard bytes around every
 *                        block, freed memory poisoned, and a report naming
 *                        the address, the size and the allocation site for
 *                        an overrun, a double free, a free of a foreign
 *                        pointer or a write after free — then abort
 *
 * ft_config.malloc wins over the environment. Like PyMem_Malloc, these
 * need the runtime to be running; in the gil flavor the caller must be
 * attached (hold the GIL). Blocks are 16-byte aligned. ft_malloc(0)
 * returns a unique pointer. A failed allocation returns NULL with
 * MemoryError set.
 */
#ifndef FTLAB_MEM_H
#define FTLAB_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void *ft_malloc(size_t n);
void *ft_calloc(size_t count, size_t size);
void *ft_realloc(void *p, size_t n);
void  ft_free(void *p);
size_t ft_malloc_usable_size(const void *p);

/* "obmalloc", "mimalloc", "malloc", with ",debug" when wrapped. */
const char *ft_allocator_name(void);

/* ---- Statistics (like sys._debugmallocstats) ---------------------------
 * obmalloc's figures are per size class; the other backends fill only the
 * totals. Readable from any thread at any time: values from different
 * threads are each exact but not one snapshot while threads allocate. */
#define FT_MEM_CLASSES 32
typedef struct ft_mem_class_stats {
    uint32_t block_size;
    uint64_t pools_used;         /* pools with free blocks                */
    uint64_t pools_full;
    uint64_t blocks_in_use;      /* including frees not yet collected     */
    uint64_t blocks_free;        /* free blocks in used and full pools    */
    uint64_t bytes_quantization; /* pool bytes no block can use           */
    uint64_t allocs, frees;      /* since start                           */
} ft_mem_class_stats;

typedef struct ft_mem_stats {
    char allocator[32];
    ft_mem_class_stats classes[FT_MEM_CLASSES];
    uint64_t arenas_allocated, arenas_freed, arenas_current, arenas_highest;
    uint64_t heap_sets, heap_sets_abandoned;
    int64_t live_blocks;         /* every backend: allocated - freed      */
    int64_t live_bytes;          /* usable bytes of those blocks          */
    int64_t live_objects;        /* objects among those blocks            */
    uint64_t freelist_blocks;    /* blocks parked on object free lists    */
} ft_mem_stats;

int  ft_mem_get_stats(ft_mem_stats *out);
/* Prints the statistics as a table (like sys._debugmallocstats()). */
void ft_mem_print_stats(FILE *f);
/* Returns free memory of exited threads and of the calling thread's empty
 * pools to the OS now, instead of when the allocator next needs an arena. */
void ft_mem_collect(void);

#endif /* FTLAB_MEM_H */
