/* mutex.c — ft_mutex slow paths and critical sections (ftlab/mutex.h).
 *
 * Critical-section stack. ft_tstate.critical_section points at the
 * innermost section; each section's `prev` points at the one it nests in.
 * Both carry the FT_CS_INACTIVE tag when the section they point at is
 * suspended. Invariants:
 *   - a section's mutexes are locked iff it is active and m1 != NULL;
 *   - suspension runs from the innermost section outwards and stops at the
 *     first one already inactive, so the active sections always form a
 *     prefix of the stack (innermost first);
 *   - on attach only the innermost section is re-locked; the others are
 *     re-locked one at a time as the sections above them end.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include "internal/parking_lot.h"
#include "internal/tstate.h"

/* How often a contended lock yields the CPU before it parks. Long enough
 * for a short critical section on another core to end, short enough that
 * a waiter behind a preempted holder goes to sleep quickly. */
enum { FT_MUTEX_SPINS = 40 };

void _ft_mutex_lock_slow(ft_mutex *m)
{
    uint8_t v = ft_atomic_load_relaxed(&m->xbits);
    int spins = 0;
    for (;;) {
        if (!(v & FT_MUTEX_LOCKED)) {
            /* acquire: pairs with the release in unlock / on_unpark. */
            if (ft_atomic_cas_acquire(&m->xbits, &v, v | FT_MUTEX_LOCKED))
                return;
            continue;
        }
        if (!(v & FT_MUTEX_HAS_PARKED)) {
            if (spins++ < FT_MUTEX_SPINS) {
                sched_yield();
                v = ft_atomic_load_relaxed(&m->xbits);
                continue;
            }
            if (!ft_atomic_cas_relaxed(&m->xbits, &v, v | FT_MUTEX_HAS_PARKED))
                continue;
            v |= FT_MUTEX_HAS_PARKED;
        }
        /* Sleeps only if the bits are still LOCKED|HAS_PARKED, so the
         * unlocker, which clears them under the bucket lock, cannot miss
         * us. Detached while asleep (see mutex.h). */
        _ft_park(&m->xbits, &v, 1, -1, true);
        v = ft_atomic_load_relaxed(&m->xbits);
    }
}

static void on_unpark(void *arg, bool woke_one, bool more)
{
    (void)woke_one;
    ft_mutex *m = arg;
    /* release: the woken thread (and any later locker) sees our section's
     * writes. HAS_PARKED stays set while others sleep, so the next unlock
     * takes this path again. */
    ft_atomic_store_release(&m->xbits, more ? FT_MUTEX_HAS_PARKED : 0);
}

void _ft_mutex_unlock_slow(ft_mutex *m)
{
    if (!(ft_atomic_load_relaxed(&m->xbits) & FT_MUTEX_LOCKED)) {
        fprintf(stderr, "ftlab (%s): ft_mutex_unlock of an unlocked mutex %p\n",
                FT_FLAVOR, (void *)m);
        abort();
    }
    _ft_unpark_one(&m->xbits, on_unpark, m);
}

/* ---- Critical sections ------------------------------------------------- */

/* See ftlab/mutex.h; set by _ft_tstate_bind, cleared at delete. */
_Thread_local uintptr_t *_ft_cs_top __attribute__((tls_model("initial-exec")));

static ft_critical_section *untag(uintptr_t p)
{
    return (ft_critical_section *)(p & ~FT_CS_INACTIVE);
}

static ft_tstate *cs_tstate(void)
{
    ft_tstate *ts = _ft_tstate_get();
    ft_assert(_ft_is_attached(ts));
    ft_assert_internal(_ft_cs_top == &ts->critical_section);
    return ts;
}

static void push(ft_tstate *ts, ft_critical_section *c, ft_mutex *m1,
                 ft_mutex *m2)
{
    c->m1 = m1;
    c->m2 = m2;
    c->prev = ts->critical_section;
    ts->critical_section = (uintptr_t)c;
}

static bool held_by_innermost(ft_tstate *ts, ft_mutex *m)
{
    ft_critical_section *top = untag(ts->critical_section);
    return top && (top->m1 == m || top->m2 == m);
}

/* The inline _ft_cs_begin's CAS failed: `m` is held, by another thread or
 * by our own innermost section. */
void _ft_cs_begin_slow(ft_critical_section *c, ft_mutex *m)
{
    ft_tstate *ts = cs_tstate();
    if (ft_mutex_trylock(m)) {   /* released since the inline attempt */
        push(ts, c, m, NULL);
        return;
    }
    if (held_by_innermost(ts, m)) {
        /* Re-entry on the same object: nothing to lock, nothing to pop. */
        c->m1 = c->m2 = NULL;
        c->prev = 0;
        return;
    }
    /* Pushed with no mutex, so that a detach while we wait for `m`
     * suspends the sections below without touching this one. */
    push(ts, c, NULL, NULL);
    ft_mutex_lock(m);
    c->m1 = m;
}

void _ft_cs_begin2(ft_critical_section *c, ft_mutex *a, ft_mutex *b)
{
    if (a == b) {
        _ft_cs_begin(c, a);
        return;
    }
    /* Always lock in address order: two threads locking the same pair
     * cannot each hold one and wait for the other. */
    ft_mutex *m1 = a < b ? a : b, *m2 = a < b ? b : a;
    ft_tstate *ts = cs_tstate();
    bool have_m1 = ft_mutex_trylock(m1);
    if (have_m1 && ft_mutex_trylock(m2)) {
        push(ts, c, m1, m2);
        return;
    }
    push(ts, c, NULL, NULL);
    if (!have_m1)
        ft_mutex_lock(m1);
    ft_mutex_lock(m2);
    c->m1 = m1;
    c->m2 = m2;
}

/* The inline _ft_cs_end popped into a suspended section. */
void _ft_cs_resume_current(void)
{
    _ft_cs_resume(_ft_tstate_get());
}

void _ft_cs_suspend_all(ft_tstate *ts)
{
    uintptr_t *link = &ts->critical_section;
    while (*link && !(*link & FT_CS_INACTIVE)) {
        ft_critical_section *c = untag(*link);
        if (c->m1) {
            ft_mutex_unlock(c->m1);
            if (c->m2)
                ft_mutex_unlock(c->m2);
        }
        *link |= FT_CS_INACTIVE;
        link = &c->prev;
    }
}

void _ft_cs_resume(ft_tstate *ts)
{
    ft_critical_section *c = untag(ts->critical_section);
    ft_mutex *m1 = c->m1, *m2 = c->m2;
    /* Cleared while we (re)lock: if locking parks and detaches us, the
     * nested suspend/resume must not unlock what we do not hold yet. */
    c->m1 = c->m2 = NULL;
    if (m1)
        ft_mutex_lock(m1);
    if (m2)
        ft_mutex_lock(m2);
    c->m1 = m1;
    c->m2 = m2;
    ts->critical_section &= ~FT_CS_INACTIVE;
}
