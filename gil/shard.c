/* gil/shard.c — sharded reference counts in the gil build: nothing to
 * shard (every count is a plain add under the GIL), so no object is ever
 * sharded (ftlab/refcount.h; the nogil side is nogil/shard.c). */
#include "internal/object.h"

bool ft_object_shard(ft_object *o)
{
    (void)o;
    return false;
}

bool ft_object_is_sharded(ft_object *o)
{
    (void)o;
    return false;
}

void _ft_shard_thread_exit(void) {}

size_t ft_object_unshard_all(void) { return 0; }
