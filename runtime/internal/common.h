/* internal/common.h — what every runtime source file includes.
 *
 * Internal headers are for the runtime's own files: they refuse to be
 * included from a program (the layouts here change without notice).
 */
#ifndef FTLAB_INTERNAL_COMMON_H
#define FTLAB_INTERNAL_COMMON_H

#if !defined(FT_BUILD_CORE)
#  error "internal header: only the ftlab runtime itself may include it"
#endif

#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <ftlab.h>

#define FT_NOINLINE __attribute__((noinline))
#define FT_COLD     __attribute__((cold, noinline))

#define FT_NS_PER_US 1000ull
#define FT_NS_PER_MS 1000000ull
#define FT_NS_PER_S  1000000000ull

static inline uint64_t _ft_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * FT_NS_PER_S + (uint64_t)ts.tv_nsec;
}

static inline struct timespec _ft_timespec_after_ns(uint64_t ns)
{
    uint64_t t = _ft_monotonic_ns() + ns;
    return (struct timespec){ .tv_sec = (time_t)(t / FT_NS_PER_S),
                              .tv_nsec = (long)(t % FT_NS_PER_S) };
}

/* ---- Preconditions, for assertions --------------------------------------
 * Comments such as "head_lock held" or "the world is stopped" are
 * asserted with these (ft_assert_internal: FT_DEBUG >= 2, never under
 * TSan's FT_DEBUG=1, where the probe's lock and unlock would hide races). */

/* Is m locked by some thread? A pthread mutex cannot tell by whom: this
 * catches a caller that forgot the lock, not one that relies on another
 * thread's. m is left as it was. */
static inline bool _ft_mutex_is_held(pthread_mutex_t *m)
{
    if (pthread_mutex_trylock(m) != 0)
        return true;
    pthread_mutex_unlock(m);
    return false;
}
/* stw.c: did the calling thread stop the world (and not restart it)? */
bool _ft_world_stopped_by_me(void);
/* stw.c: is the calling thread the only registered one, or is no thread
 * registered (ft_fini's last steps)? Takes head_lock: not with it held. */
bool _ft_only_thread(void);

/* error.c: the calling thread's error set aside while code that must not
 * see it runs (a finalizer, a weakref callback, a whole collection), and
 * put back afterwards. */
typedef struct ft_err_saved {
    ft_error_kind kind;
    char message[512];
} ft_err_saved;
void _ft_err_fetch(ft_err_saved *saved);            /* saves, then clears */
void _ft_err_restore(const ft_err_saved *saved);
/* An error raised where nobody can receive it (a finalizer, a callback):
 * printed like CPython's "Exception ignored in ...", then cleared. Does
 * nothing when no error is set. */
void _ft_err_write_unraisable(const char *where, ft_object *o);

#endif /* FTLAB_INTERNAL_COMMON_H */
