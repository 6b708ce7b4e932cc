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
#include <linux/membarrier.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
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

/* ---- Elided sections (ftlab/refcount.h, "Critical sections on objects") --
 * The registry lists the slot of every thread that may elide; a settler
 * scans it. Registration happens once per thread, before its first
 * elided section; a pthread key's destructor takes the slot out when the
 * thread exits (its TLS lives until after the destructors). The registry
 * lock is a leaf: nothing else is locked under it, and an elided section
 * never takes it, so a settler that spins under it for a section to end
 * cannot deadlock. */
_Thread_local _ft_cs_elide_slot _ft_cs_elide_tls __attribute__((tls_model("initial-exec")));

static pthread_mutex_t elide_lock = PTHREAD_MUTEX_INITIALIZER;
static _ft_cs_elide_slot *elide_head;   /* the registered slots (elide_lock) */
static pthread_once_t elide_once = PTHREAD_ONCE_INIT;
static pthread_key_t elide_key;
static bool elide_ok;                   /* written once, in elide_init */
static long elide_cmds;                 /* the kernel's membarrier commands */
/* The process is registered for expedited membarriers (elide_lock).
 * Registered on first need, not at start-up: with another thread running
 * (liburcu's call_rcu thread always is) the kernel makes registration
 * wait for a grace period, 10-15 ms measured here — it was most of
 * ftpy-nogil's start-up — and most programs never settle an object its
 * owner elided on. */
static bool fence_registered;

static long membarrier(int cmd)
{
    return syscall(__NR_membarrier, cmd, 0, 0);
}

static void elide_unregister(void *arg)
{
    _ft_cs_elide_slot *s = arg;
    pthread_mutex_lock(&elide_lock);
    if (s->prev)
        s->prev->next = s->next;
    else
        elide_head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    pthread_mutex_unlock(&elide_lock);
    s->registered = false;
    s->unavailable = true;   /* exiting: no more elided sections */
    /* relaxed: only this thread reads its slot's idle value; settlers
     * no longer find the slot in the registry. */
    ft_atomic_store_relaxed(&s->xobj, NULL);
}

/* A forked child has one thread, the caller of fork: the other threads'
 * slots (one may still name an object they were eliding on) go, and the
 * child registers for membarriers again on first need, in case the
 * kernel does not carry the registration over. */
static void elide_atfork_child(void)
{
    pthread_mutex_init(&elide_lock, NULL);
    _ft_cs_elide_slot *s = &_ft_cs_elide_tls;
    elide_head = s->registered ? s : NULL;
    if (elide_head)
        s->next = s->prev = NULL;
    fence_registered = false;
}

/* Threads elide only where the kernel has expedited membarriers (not an
 * old kernel, a sandbox, valgrind); otherwise every section locks as
 * before. */
static void elide_init(void)
{
    const long need = MEMBARRIER_CMD_PRIVATE_EXPEDITED |
                      MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
    elide_cmds = membarrier(MEMBARRIER_CMD_QUERY);
    elide_ok = elide_cmds > 0 && (elide_cmds & need) == need &&
               pthread_key_create(&elide_key, elide_unregister) == 0 &&
               pthread_atfork(NULL, NULL, elide_atfork_child) == 0;
}

/* elide_lock held: every running thread of the process executes a full
 * fence before this returns (refcount.h, "Critical sections on
 * objects"). Registering first, right before the first command, is as
 * good as at start-up: the command only needs the registration done
 * before it. Should registration fail, the global command (slower, no
 * registration) gives the same guarantee; without either, going on could
 * let two writers in at once. */
static void fence_all_threads(void)
{
    if (!fence_registered)
        fence_registered = membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
    if (fence_registered && membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0)
        return;
    if ((elide_cmds & MEMBARRIER_CMD_GLOBAL) && membarrier(MEMBARRIER_CMD_GLOBAL) == 0)
        return;
    fprintf(stderr, "ftlab: membarrier failed after threads elided locks\n");
    abort();
}

bool _ft_cs_elide_register(void)
{
    _ft_cs_elide_slot *s = &_ft_cs_elide_tls;
    if (ft_atomic_load_relaxed(&s->xobj) != NULL)
        return false;   /* nested in an elided section */
    if (s->unavailable)
        return false;
    pthread_once(&elide_once, elide_init);
    if (!elide_ok || pthread_setspecific(elide_key, s) != 0) {
        s->unavailable = true;
        return false;
    }
    pthread_mutex_lock(&elide_lock);
    s->prev = NULL;
    s->next = elide_head;
    if (elide_head)
        elide_head->prev = s;
    elide_head = s;
    pthread_mutex_unlock(&elide_lock);
    s->registered = true;
    /* relaxed: the slot is idle; a settler that finds it in the registry
     * waits only for a slot holding its object. */
    ft_atomic_store_relaxed(&s->xobj, _FT_CS_IDLE);
    return true;
}

/* The begin's unusual flags (refcount.h, _ft_cs_try_elide): the owner's
 * first elision on o, or o settled or being settled. Out of line: the
 * usual begin is one test of the flags, and each elidable section's code
 * stays small. */
bool _ft_cs_elide_flags_slow(_Atomic uint16_t *flags, uint16_t f)
{
    if (!(f & (FT_OBJ_ELIDED | FT_OBJ_LOCKING)))
        /* the first elision: ordered against a settler's CAS */
        f = atomic_fetch_or_explicit(flags, FT_OBJ_ELIDED, memory_order_seq_cst);
    if (f & FT_OBJ_LOCKING) {   /* settled, or being settled: undo */
        ft_atomic_store_release(&_ft_cs_elide_tls.xobj, _FT_CS_IDLE);
        return false;
    }
    return true;
}

/* Waits until no registered thread is in an elided section on o (o's
 * LOCKING bit is set). Its sections are short and wait for nothing (see
 * refcount.h), so a yield loop ends soon. No other thread registered: no
 * fence and no wait — the caller cannot be in one itself, and a thread
 * that registers after we let go of the lock reads LOCKING (the lock
 * orders our CAS before its first elided section). A single-threaded
 * program's collector clearing the lists it elided on pays no system
 * call. */
static void wait_elided_sections(ft_object *o)
{
    _ft_cs_elide_slot *self = &_ft_cs_elide_tls;
    pthread_mutex_lock(&elide_lock);
    bool others = false;
    for (_ft_cs_elide_slot *s = elide_head; s && !others; s = s->next)
        others = s != self;
    if (others) {
        /* Every running thread fences: an owner whose slot store we could
         * still miss reads LOCKING after its fence (refcount.h). */
        fence_all_threads();
        for (_ft_cs_elide_slot *s = elide_head; s; s = s->next) {
            /* acquire: pairs with the release that cleared the slot, so
             * the section's writes are visible to our locked section. */
            while (ft_atomic_load_acquire(&s->xobj) == (void *)o)
                sched_yield();
        }
    }
    pthread_mutex_unlock(&elide_lock);
}

void _ft_cs_settle(ft_object *o, _Atomic uint16_t *flags)
{
    uint16_t v = ft_atomic_load_acquire(flags);
    for (;;) {
        if (v & FT_OBJ_SETTLED)
            return;   /* acquire above: see _ft_cs_settle_obj */
        if (v & FT_OBJ_LOCKING) {
            /* Another thread settles o and waits for its owner's elided
             * section: so do we, until it says SETTLED. */
            sched_yield();
            v = ft_atomic_load_acquire(flags);
            continue;
        }
        if (!(v & FT_OBJ_ELIDED)) {
            /* Never elided: done in one step. acq_rel: the owner's later
             * first elision (its atomic OR) reads LOCKING and locks. */
            if (ft_atomic_cas_acq_rel(flags, &v, v | FT_OBJ_LOCKING | FT_OBJ_SETTLED))
                return;
            continue;
        }
        if (ft_atomic_cas_acq_rel(flags, &v, v | FT_OBJ_LOCKING))
            break;
    }
    /* The owner has elided on o and may be in such a section now. With the
     * world stopped by us, every other thread is parked outside any. */
    if (!_ft_world_stopped_by_me())
        wait_elided_sections(o);
    /* release: the owner's last elided section's writes (which our
     * acquire of its slot saw) happen before every later settler's
     * lock. */
    atomic_fetch_or_explicit(flags, FT_OBJ_SETTLED, memory_order_release);
}
