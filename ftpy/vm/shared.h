/* vm/shared.h — objects many threads use at once (nogil scaling).
 *
 * Functions, code objects, classes and modules are read by every thread
 * that calls or uses them; in nogil, an incref/decref pair from a thread
 * that does not own the object is an atomic operation on a shared cache
 * line, so N threads calling one function would serialise on its count.
 * When the first thread starts, ftpy shards the counts of those objects
 * (ftlab/refcount.h: every thread counts its references to them in its
 * own counters, exactly) and shards every such object made afterwards;
 * py_fini makes them ordinary again first (shared.c has the design).
 *
 * Everything here is a no-op in the gil build (the runtime has nothing to
 * shard there) and before the first thread starts.
 */
#ifndef FTPY_SHARED_H
#define FTPY_SHARED_H

#include "../ftpy.h"

/* Called by _thread.start_new_thread before it starts a thread (the
 * calling thread is attached; the new thread does not run yet). The
 * first call shards every function, class and module that exists. */
void py_shared_before_thread_start(void);

/* Is sharding on (a thread was started and py_shared_fini not run)? */
bool py_shared_enabled(void);

/* Has a second thread ever been started? Until then the thread running
 * py_main is the only one that runs Python code or touches ftpy's
 * objects (_thread.start_new_thread is the only way ftpy starts a thread;
 * the runtime's own helper threads never look inside ftpy's objects), so
 * ftpy's own per-object critical sections can be skipped: nothing can
 * race with them (instance.c, descr.c; old CPython made its GIL lazily
 * at the first thread start the same way). Set before the first thread
 * is created (pthread_create orders it before everything the new thread
 * does; the starting thread sees its own store) and never cleared, not
 * even by py_shared_fini (daemon threads may still run) nor with
 * FTPY_SHARED=0. A relaxed load: the only thread that can read false is
 * the one thread that ever ran, which would have written true itself.
 * This skips ftpy's locks only: the runtime's rules (its containers'
 * locks, shared marking) are the runtime's business. */
/* hidden: ftpy is one executable, so the flag is one pc-relative load,
 * not a GOT load and then the flag (the sources are built with -fPIC) */
extern _Atomic bool _py_xthreads_started __attribute__((visibility("hidden")));
static inline bool py_threads_started(void)
{
    return ft_atomic_load_relaxed(&_py_xthreads_started);
}

/* Creation hooks, each a no-op while sharding is off. A new function
 * (function.c; only top-level ones: a closure made in a loop would live
 * until exit), a new class (typeobject.c, once built), a new module and
 * its dict (module.c), a value a C module puts in its namespace
 * (py_module_add: built-in functions). */
void py_shared_new_function(ft_object *func);
void py_shared_new_class(ft_object *cls);
void py_shared_new_module(ft_object *module);
void py_shared_module_value(ft_object *value);

/* For objects made to be shared by threads and kept for long (a
 * threading.local): py_shared_kind(cls), at module initialisation, says
 * that instances of cls are such objects — the first thread start shards
 * those found in module namespaces — and py_shared_object(o) shards a
 * new one while sharding is on (call it when o is made). */
void py_shared_kind(py_type *cls);
void py_shared_object(ft_object *o);

/* Sharding off, every sharded object ordinary again (those nobody refers
 * to any more are freed). py_fini calls it first, before the modules are
 * emptied, so that everything then dies as it would without threads. */
void py_shared_fini(void);

#endif /* FTPY_SHARED_H */
