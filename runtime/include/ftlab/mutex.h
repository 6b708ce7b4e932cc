/* ftlab/mutex.h — the 1-byte mutex and critical sections.
 *
 * ft_mutex is one byte so that it fits in every object header (PEP 703's
 * ob_mutex). Two bits:
 *
 *     bit 0  LOCKED      somebody holds it
 *     bit 1  HAS_PARKED  at least one thread sleeps in the parking lot on it
 *
 * Fast paths are a single compare-and-swap, inline. The slow paths (in
 * mutex.c) spin briefly, then park the thread on the mutex's address in a
 * parking lot (parking_lot.c, a hash of addresses to wait queues, as in
 * WebKit and CPython), so a waiter sleeps instead of spinning forever. A
 * registered thread detaches while it sleeps: a thread blocked on a mutex
 * never holds the GIL and never delays a stop-the-world.
 *
 * Critical sections (PEP 703) lock the mutex of the object(s) a container
 * operation touches. They nest; when the thread detaches (blocking call,
 * checkpoint, parking on another mutex) every section it holds is
 * suspended — its mutexes released — and the innermost one is re-locked
 * when the thread attaches again. That rule is what makes per-object locks
 * deadlock-free against each other and against stop-the-world: a thread
 * waiting for a lock holds none.
 *
 * In the gil flavor the GIL already serialises attached threads, so the
 * critical-section macros compile to plain blocks; ft_mutex itself works in
 * every flavor. A research build with FT_NO_OBJECT_LOCKS (ftlab/config.h)
 * compiles them to plain blocks in nogil too, to measure what they cost one
 * thread (papers/pep703-overhead); every section the runtime takes is on an
 * object, and without them two threads sharing a container race.
 */
#ifndef FTLAB_MUTEX_H
#define FTLAB_MUTEX_H

#include <stdbool.h>
#include <stdint.h>
#include <ftlab/atomic.h>
#include <ftlab/config.h>

typedef struct ft_mutex {
    _Atomic uint8_t xbits;   /* FT_MUTEX_LOCKED | FT_MUTEX_HAS_PARKED */
} ft_mutex;

#define FT_MUTEX_INIT { 0 }
enum { FT_MUTEX_LOCKED = 1, FT_MUTEX_HAS_PARKED = 2 };

void _ft_mutex_lock_slow(ft_mutex *m);
void _ft_mutex_unlock_slow(ft_mutex *m);

static inline bool ft_mutex_trylock(ft_mutex *m)
{
    uint8_t expected = 0;
    /* acquire: what the previous holder wrote before its release-unlock is
     * visible inside our section. */
    return ft_atomic_cas_acquire(&m->xbits, &expected, FT_MUTEX_LOCKED);
}

static inline void ft_mutex_lock(ft_mutex *m)
{
    if (!ft_mutex_trylock(m))
        _ft_mutex_lock_slow(m);
}

static inline void ft_mutex_unlock(ft_mutex *m)
{
    uint8_t expected = FT_MUTEX_LOCKED;
    /* release: publishes the section's writes to the next holder. A parked
     * waiter makes the CAS fail; the slow path wakes one. */
    if (!ft_atomic_cas_release(&m->xbits, &expected, 0))
        _ft_mutex_unlock_slow(m);
}

static inline bool ft_mutex_is_locked(ft_mutex *m)
{
    return (ft_atomic_load_relaxed(&m->xbits) & FT_MUTEX_LOCKED) != 0;
}

/* One entry of the thread's stack of critical sections; lives on the C
 * stack between BEGIN and END. m1 < m2 by address when both are set; a NULL
 * m1 means "nothing to unlock" (the mutex was already held by the
 * enclosing section, or the section is being (re)acquired). */
typedef struct ft_critical_section {
    uintptr_t prev;   /* the enclosing section, tagged (see mutex.c)     */
    ft_mutex *m1;
    ft_mutex *m2;
} ft_critical_section;

void _ft_cs_begin(ft_critical_section *c, ft_mutex *m);
void _ft_cs_begin2(ft_critical_section *c, ft_mutex *a, ft_mutex *b);
void _ft_cs_end(ft_critical_section *c);

#if FT_NOGIL && !FT_NO_OBJECT_LOCKS
#  define FT_BEGIN_CRITICAL_SECTION(m) \
    { ft_critical_section _ft_cs; _ft_cs_begin(&_ft_cs, (m));
#  define FT_BEGIN_CRITICAL_SECTION2(a, b) \
    { ft_critical_section _ft_cs; _ft_cs_begin2(&_ft_cs, (a), (b));
#  define FT_END_CRITICAL_SECTION() _ft_cs_end(&_ft_cs); }
#else
#  define FT_BEGIN_CRITICAL_SECTION(m) { (void)(m);
#  define FT_BEGIN_CRITICAL_SECTION2(a, b) { (void)(a); (void)(b);
#  define FT_END_CRITICAL_SECTION() }
#endif

#endif /* FTLAB_MUTEX_H */
