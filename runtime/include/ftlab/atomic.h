/* ftlab/atomic.h — C11 atomics with the memory order in the name.
 *
 * Every shared field that more than one thread touches is declared
 * _Atomic and carries an `x` prefix (`xstate`, `xeval_breaker`; a global
 * puts it after the namespace: `_ft_xtracing`). The object header's
 * ob_tid, ob_ref_local and ob_ref_shared keep CPython's names. A shared
 * field is read and written only through these macros, so that each
 * access says which order it needs. The rule for callers:
 *
 *   - `_relaxed` when the value alone matters (counters, hints, a flag
 *     whose readers re-check under a lock);
 *   - `_acquire` / `_release` in pairs when the value publishes other
 *     memory: the comment at the call site names the pair and what a
 *     reader would see without it;
 *   - `_seq_cst` only where a store must be ordered before a later load
 *     of a different location (Dekker-style), with a comment.
 *
 * These are thin macros, not functions: they take any _Atomic lvalue.
 */
#ifndef FTLAB_ATOMIC_H
#define FTLAB_ATOMIC_H

#include <stdatomic.h>

#define ft_atomic_load_relaxed(p) atomic_load_explicit((p), memory_order_relaxed)
#define ft_atomic_load_acquire(p) atomic_load_explicit((p), memory_order_acquire)
#define ft_atomic_load_seq_cst(p) atomic_load_explicit((p), memory_order_seq_cst)

#define ft_atomic_store_relaxed(p, v) \
    atomic_store_explicit((p), (v), memory_order_relaxed)
#define ft_atomic_store_release(p, v) \
    atomic_store_explicit((p), (v), memory_order_release)
#define ft_atomic_store_seq_cst(p, v) \
    atomic_store_explicit((p), (v), memory_order_seq_cst)

#define ft_atomic_add_relaxed(p, v) \
    atomic_fetch_add_explicit((p), (v), memory_order_relaxed)
#define ft_atomic_add_acq_rel(p, v) \
    atomic_fetch_add_explicit((p), (v), memory_order_acq_rel)
#define ft_atomic_sub_acq_rel(p, v) \
    atomic_fetch_sub_explicit((p), (v), memory_order_acq_rel)
#define ft_atomic_or_relaxed(p, v) \
    atomic_fetch_or_explicit((p), (v), memory_order_relaxed)
#define ft_atomic_and_relaxed(p, v) \
    atomic_fetch_and_explicit((p), (v), memory_order_relaxed)

#define ft_atomic_exchange_acq_rel(p, v) \
    atomic_exchange_explicit((p), (v), memory_order_acq_rel)

/* Compare-and-swap: on failure `*expected` receives the current value.
 * The failure order is always relaxed: a failed CAS publishes nothing. */
#define ft_atomic_cas_acquire(p, expected, desired)                          \
    atomic_compare_exchange_strong_explicit((p), (expected), (desired),      \
                                            memory_order_acquire,            \
                                            memory_order_relaxed)
#define ft_atomic_cas_release(p, expected, desired)                          \
    atomic_compare_exchange_strong_explicit((p), (expected), (desired),      \
                                            memory_order_release,            \
                                            memory_order_relaxed)
#define ft_atomic_cas_acq_rel(p, expected, desired)                          \
    atomic_compare_exchange_strong_explicit((p), (expected), (desired),      \
                                            memory_order_acq_rel,            \
                                            memory_order_relaxed)
#define ft_atomic_cas_relaxed(p, expected, desired)                          \
    atomic_compare_exchange_strong_explicit((p), (expected), (desired),      \
                                            memory_order_relaxed,            \
                                            memory_order_relaxed)

#define ft_atomic_fence_seq_cst() atomic_thread_fence(memory_order_seq_cst)

/* A counter with one writer and any number of readers: the writer may use
 * a plain load+store (no read-modify-write), readers load relaxed. */
#define ft_atomic_bump_single_writer(p, v) \
    ft_atomic_store_relaxed((p), ft_atomic_load_relaxed(p) + (v))

#endif /* FTLAB_ATOMIC_H */
