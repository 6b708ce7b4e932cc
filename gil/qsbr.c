/* gil/qsbr.c — the gil build has no lock-free readers (the GIL serialises
 * every attached thread), so memory is freed at once and there is no
 * grace period to track. */
#include "internal/qsbr.h"

_Thread_local ft_lockfree_counts _ft_lockfree_counts;

void _ft_qsbr_thread_init(ft_tstate *ts) { (void)ts; }
void _ft_qsbr_thread_exit(ft_tstate *ts) { (void)ts; }
void _ft_qsbr_online(ft_tstate *ts) { (void)ts; }
void _ft_qsbr_offline(ft_tstate *ts) { (void)ts; }
void _ft_qsbr_quiescent(ft_tstate *ts) { (void)ts; }
void _ft_qsbr_free(void *p) { ft_free(p); }
void _ft_qsbr_barrier(void) {}
size_t _ft_qsbr_frees_pending(void) { return 0; }
void _ft_qsbr_decref_later(ft_object *o) { ft_xdecref(o); }
void _ft_qsbr_decref_drain(void) {}
void _ft_qsbr_decref_flush(void) {}
const ft_pool_grace *_ft_qsbr_pool_grace(void) { return NULL; }
