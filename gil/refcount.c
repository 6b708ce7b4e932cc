/* gil/refcount.c — the gil build counts references with plain arithmetic
 * under the GIL (ftlab/refcount.h): no per-thread refcount state, no merge
 * queues, nothing to merge when a thread exits. */
#include "internal/object.h"
#include "internal/tstate.h"

void _ft_refcount_thread_init(ft_tstate *ts) { (void)ts; }
void _ft_refcount_thread_exit(ft_tstate *ts) { (void)ts; }
void _ft_refcount_merge_pending(ft_tstate *ts) { (void)ts; }
void _ft_refcount_thread_retire(ft_tstate *ts) { (void)ts; }

void _ft_refcount_resurrect_start(ft_object *o) { o->ob_refcnt = 1; }
bool _ft_refcount_resurrect_end(ft_object *o) { return --o->ob_refcnt != 0; }

/* Under the GIL nobody frees an object while another thread looks at it;
 * only an object already dying (its count at zero, inside its tp_dealloc)
 * must not be taken again. */
bool _ft_try_incref(ft_object *o)
{
    if (!_ft_is_immortal_inline(o) && o->ob_refcnt == 0)
        return false;
    ft_incref(o);
    return true;
}

void _ft_object_set_shared(ft_object *o) { (void)o; }
