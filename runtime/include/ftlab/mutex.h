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
#include <ftlab/debug.h>

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

/* The calling thread's stack of sections: points at its ft_tstate's
 * `critical_section` word (the innermost section, tagged) from bind to
 * delete (thread.c), NULL on a thread the runtime does not know. Only its
 * own thread reads or writes through it (plain accesses). A pointer to
 * the word rather than the word itself, so that the stack stays in the
 * thread state, where detach, stop-the-world and thread exit look at it.
 * Initial-exec: one %fs-relative load, no __tls_get_addr, also from
 * programs and ftpy (the library is never dlopen'ed). */
extern _Thread_local uintptr_t *_ft_cs_top __attribute__((tls_model("initial-exec")));
/* Tag bit on the stack word and on ft_critical_section.prev: the section
 * (and every one below it) is suspended (mutex.c). */
#define FT_CS_INACTIVE ((uintptr_t)1)

/* Slow paths (mutex.c): the mutex was taken (by another thread, or by an
 * enclosing section of ours), two mutexes, a suspended section below. */
void _ft_cs_begin_slow(ft_critical_section *c, ft_mutex *m);
void _ft_cs_begin2(ft_critical_section *c, ft_mutex *a, ft_mutex *b);
void _ft_cs_resume_current(void);

/* Fast paths, inline (CPython's _PyCriticalSection_BeginMutex and
 * PyMutex_LockFast): an uncontended begin is one CAS and a push, an end
 * one CAS and a pop — no call, no thread-state lookup beyond _ft_cs_top.
 * The unlock stays a compare-and-swap rather than a plain release store:
 * a waiter sets HAS_PARKED with a CAS while we hold the lock, and a load
 * followed by a store of 0 could erase a bit set in between, leaving the
 * waiter asleep forever; on x86-64 the locked CAS costs what a locked
 * exchange would. The slow paths keep every rule of mutex.c (re-entry on
 * the innermost section's mutex, push before waiting so that parking
 * suspends the sections below, resume on the way out). */
static inline void _ft_cs_begin(ft_critical_section *c, ft_mutex *m)
{
    uint8_t expected = 0;
    /* acquire: see ft_mutex_trylock. */
    if (ft_likely(ft_atomic_cas_acquire(&m->xbits, &expected, FT_MUTEX_LOCKED))) {
        uintptr_t *top = _ft_cs_top;
        ft_assert(top != NULL);   /* a section needs a registered thread */
        c->m1 = m;
        c->m2 = NULL;
        c->prev = *top;   /* the innermost section is active: see mutex.c */
        *top = (uintptr_t)c;
        return;
    }
    _ft_cs_begin_slow(c, m);
}

/* pair: the section began with FT_BEGIN_CRITICAL_SECTION2 (a constant
 * of the macros). A one-mutex section never has an m2 at its end (only
 * _ft_cs_begin2 sets one), so its end does not load and test it. */
static inline void _ft_cs_end(ft_critical_section *c, bool pair)
{
    if (c->m1 == NULL)
        return;   /* re-entry: nothing was locked or pushed */
    if (pair && c->m2)
        ft_mutex_unlock(c->m2);
    ft_assert_internal((*_ft_cs_top & ~FT_CS_INACTIVE) == (uintptr_t)c);
    ft_mutex_unlock(c->m1);
    uintptr_t prev = c->prev;
    *_ft_cs_top = prev;
    /* The enclosing section was suspended while we ran (we parked or
     * detached inside ours): lock its mutexes again. */
    if (ft_unlikely(prev & FT_CS_INACTIVE))
        _ft_cs_resume_current();
}

/* Elided sections (ftlab/refcount.h, "Critical sections on objects"):
 * each thread's slot says which object, if any, it is in an elided section
 * on. Only its thread writes xobj (relaxed when set: the settler's
 * membarrier orders it; release when cleared: the section's writes happen
 * before a settler that sees it clear); settlers read every registered
 * slot (acquire). A thread registers its slot in mutex.c's registry before
 * its first elided section, and leaves it when it exits.
 * xobj holds one of three things:
 *   NULL           not registered (yet, or any more: exited, or elision
 *                  unavailable): the thread never elides
 *   _FT_CS_IDLE    registered and in no elided section: it may elide
 *   an object      in an elided section on it (nothing else may nest)
 * so that the begin's one compare with _FT_CS_IDLE tells both "may this
 * thread elide" and "not nested"; TLS starts zeroed, hence NULL for "not
 * registered". No object lives at address 1, so a settler waiting while
 * a slot holds its object never waits on an idle slot. */
#define _FT_CS_IDLE ((void *)1)
typedef struct _ft_cs_elide_slot {
    _Atomic(void *) xobj;       /* NULL, _FT_CS_IDLE or the object (above)   */
    bool registered;            /* in the registry (mutex.c's lock)         */
    bool unavailable;           /* registration failed: never elide         */
    struct _ft_cs_elide_slot *next, *prev;   /* registry (mutex.c's lock)   */
} _ft_cs_elide_slot;
extern _Thread_local _ft_cs_elide_slot _ft_cs_elide_tls
    __attribute__((tls_model("initial-exec")));
/* The begin's slow path, for a slot that is not idle: false when the
 * thread is in an elided section already or elision is unavailable (no
 * expedited membarrier in this kernel, or the thread is exiting);
 * otherwise registers the slot (idle from then on) and returns true. */
bool _ft_cs_elide_register(void);
/* Is the calling thread in an elided section now (tests, assertions)? */
static inline bool _ft_cs_in_elided_section(void)
{
    void *x = ft_atomic_load_relaxed(&_ft_cs_elide_tls.xobj);
    return x != NULL && x != _FT_CS_IDLE;
}

#if FT_NOGIL && !FT_NO_OBJECT_LOCKS
#  define FT_BEGIN_CRITICAL_SECTION(m) \
    { ft_critical_section _ft_cs; enum { _ft_cs_pair = 0 }; \
      _ft_cs_begin(&_ft_cs, (m));
#  define FT_BEGIN_CRITICAL_SECTION2(a, b) \
    { ft_critical_section _ft_cs; enum { _ft_cs_pair = 1 }; \
      _ft_cs_begin2(&_ft_cs, (a), (b));
#  define FT_END_CRITICAL_SECTION() _ft_cs_end(&_ft_cs, _ft_cs_pair); }
#else
#  define FT_BEGIN_CRITICAL_SECTION(m) { (void)(m);
#  define FT_BEGIN_CRITICAL_SECTION2(a, b) { (void)(a); (void)(b);
#  define FT_END_CRITICAL_SECTION() }
#endif

#endif /* FTLAB_MUTEX_H */
