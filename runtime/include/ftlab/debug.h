/* ftlab/debug.h — assertion levels (FT_DEBUG; docs/architecture.md, "Tests
 * and checks").
 *
 *   FT_DEBUG 0   no checks
 *   FT_DEBUG 1   ft_assert: cheap API-contract checks (wrong thread state,
 *                misuse a caller can make)
 *   FT_DEBUG 2   ft_assert_internal: the runtime's own invariants; the
 *                GC lists are walked once per collection (gil/gc.c,
 *                nogil/gc.c)
 *   FT_DEBUG 3   ft_assert_expensive: the heap validators (mem/obmalloc.c)
 *                at every pool and arena transition (O(n) checks)
 *
 * A failed assertion prints the expression, the place and the flavor, then
 * aborts: a research runtime should stop at the first broken invariant
 * rather than measure a corrupted heap.
 */
#ifndef FTLAB_DEBUG_H
#define FTLAB_DEBUG_H

#include <ftlab/config.h>

_Noreturn void _ft_assert_fail(const char *expr, const char *file, int line,
                               const char *func);

#define _FT_ASSERT_ALWAYS(e) \
    ((e) ? (void)0 : _ft_assert_fail(#e, __FILE__, __LINE__, __func__))
#define _FT_ASSERT_NEVER(e) ((void)sizeof(!(e)))

#if FT_DEBUG >= 1
#  define ft_assert(e) _FT_ASSERT_ALWAYS(e)
#else
#  define ft_assert(e) _FT_ASSERT_NEVER(e)
#endif
#if FT_DEBUG >= 2
#  define ft_assert_internal(e) _FT_ASSERT_ALWAYS(e)
#else
#  define ft_assert_internal(e) _FT_ASSERT_NEVER(e)
#endif
#if FT_DEBUG >= 3
#  define ft_assert_expensive(e) _FT_ASSERT_ALWAYS(e)
#else
#  define ft_assert_expensive(e) _FT_ASSERT_NEVER(e)
#endif

#define ft_likely(x)   __builtin_expect(!!(x), 1)
#define ft_unlikely(x) __builtin_expect(!!(x), 0)
/* For the few fast paths that every object operation takes (the refcount
 * inlines): gcc weighs nogil's biased decref as too big to inline into a
 * large caller such as ftpy's eval loop and calls an out-of-line copy
 * instead, which costs more than the body. */
#define ft_always_inline inline __attribute__((always_inline))

#endif /* FTLAB_DEBUG_H */
