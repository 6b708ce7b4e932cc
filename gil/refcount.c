/* gil/refcount.c — the gil build counts references with plain arithmetic
 * under the GIL (ftlab/refcount.h): no per-thread refcount state, no merge
 * queues, nothing to merge when a thread exits. */
#include "internal/tstate.h"

void _ft_refcount_thread_init(ft_tstate *ts) { (void)ts; }
void _ft_refcount_thread_exit(ft_tstate *ts) { (void)ts; }
void _ft_refcount_merge_pending(ft_tstate *ts) { (void)ts; }
