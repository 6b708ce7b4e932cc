/* parking_lot.c — sleeping on an address (internal/parking_lot.h).
 *
 * Each bucket keeps a doubly linked FIFO of waiters. A waiter lives on the
 * stack of the thread that parks and sleeps on its own futex word, so
 * parking allocates nothing and cannot fail.
 *
 * Why `queued` and `xwoken` are separate: a waker removes the waiter from
 * the queue under the bucket lock (queued = false), then, after unlocking,
 * publishes the wake-up (xwoken = 1, release) and calls FUTEX_WAKE. A
 * waiter that times out re-takes the bucket lock: if it is still queued it
 * removes itself and reports a timeout; if not, a waker owns it and it must
 * wait for xwoken, else the waker would write to a dead stack frame.
 * After xwoken is set the waiter may return at once; the FUTEX_WAKE that
 * follows may then reach an address reused by someone else, which can only
 * cause a spurious wake-up, and every futex user tolerates those.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "internal/parking_lot.h"
#include "internal/tstate.h"

enum { FT_PARK_BUCKETS = 257 };

typedef struct ft_waiter {
    struct ft_waiter *next, *prev;
    const void *addr;
    bool queued;                 /* bucket lock                            */
    _Atomic uint32_t xwoken;     /* 0 asleep, 1 woken; futex word          */
} ft_waiter;

typedef struct ft_bucket {
    pthread_mutex_t mutex;
    ft_waiter *head, *tail;
} ft_bucket;

static ft_bucket buckets[FT_PARK_BUCKETS];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static void buckets_init(void)
{
    for (int i = 0; i < FT_PARK_BUCKETS; i++)
        pthread_mutex_init(&buckets[i].mutex, NULL);
}

static ft_bucket *bucket_of(const void *addr)
{
    pthread_once(&buckets_once, buckets_init);
    uintptr_t a = (uintptr_t)addr;
    return &buckets[(a ^ (a >> 9)) % FT_PARK_BUCKETS];
}

static void enqueue(ft_bucket *b, ft_waiter *w)
{
    w->next = NULL;
    w->prev = b->tail;
    if (b->tail)
        b->tail->next = w;
    else
        b->head = w;
    b->tail = w;
    w->queued = true;
}

static void dequeue(ft_bucket *b, ft_waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        b->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        b->tail = w->prev;
    w->queued = false;
}

static ft_waiter *find(ft_waiter *from, const void *addr)
{
    while (from && from->addr != addr)
        from = from->next;
    return from;
}

static bool value_equals(const void *addr, const void *expected, int size)
{
    if (size == 1)
        return ft_atomic_load_relaxed((_Atomic uint8_t *)addr) ==
               *(const uint8_t *)expected;
    return ft_atomic_load_relaxed((_Atomic uint32_t *)addr) ==
           *(const uint32_t *)expected;
}

static void futex_wait(_Atomic uint32_t *word, int64_t timeout_ns)
{
    struct timespec rel, *relp = NULL;
    if (timeout_ns >= 0) {
        rel.tv_sec = (time_t)(timeout_ns / (int64_t)FT_NS_PER_S);
        rel.tv_nsec = (long)(timeout_ns % (int64_t)FT_NS_PER_S);
        relp = &rel;
    }
    /* EAGAIN (already woken), EINTR and ETIMEDOUT all mean "look again". */
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, 0, relp, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *word)
{
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void wake(ft_waiter *w)
{
    /* release: whatever the waker did before unparking (for a mutex, the
     * unlock) happens-before the woken thread's return from _ft_park. */
    ft_atomic_store_release(&w->xwoken, 1);
    futex_wake(&w->xwoken);
}

static ft_park_result sleep_until_woken(ft_bucket *b, ft_waiter *w,
                                        int64_t timeout_ns)
{
    uint64_t deadline = timeout_ns < 0 ? 0 : _ft_monotonic_ns() + (uint64_t)timeout_ns;
    while (!ft_atomic_load_acquire(&w->xwoken)) {
        if (timeout_ns < 0) {
            futex_wait(&w->xwoken, -1);
            continue;
        }
        int64_t left = (int64_t)(deadline - _ft_monotonic_ns());
        if (left > 0) {
            futex_wait(&w->xwoken, left);
            continue;
        }
        pthread_mutex_lock(&b->mutex);
        bool still_queued = w->queued;
        if (still_queued)
            dequeue(b, w);
        pthread_mutex_unlock(&b->mutex);
        if (still_queued)
            return FT_PARK_TIMEOUT;
        timeout_ns = -1;   /* a waker owns us: wait for its wake-up */
    }
    return FT_PARK_OK;
}

ft_park_result _ft_park(const void *addr, const void *expected, int size,
                        int64_t timeout_ns, bool detach)
{
    ft_bucket *b = bucket_of(addr);
    ft_waiter w = { .addr = addr };
    atomic_init(&w.xwoken, 0);

    pthread_mutex_lock(&b->mutex);
    if (!value_equals(addr, expected, size)) {
        pthread_mutex_unlock(&b->mutex);
        return FT_PARK_AGAIN;
    }
    enqueue(b, &w);
    pthread_mutex_unlock(&b->mutex);

    ft_tstate *ts = detach ? _ft_tstate_get() : NULL;
    bool was_attached = _ft_is_attached(ts);
    if (was_attached)
        _ft_detach(ts);
    ft_park_result r = sleep_until_woken(b, &w, timeout_ns);
    if (was_attached)
        _ft_attach(ts);
    return r;
}

void _ft_unpark_one(const void *addr,
                    void (*on_unpark)(void *arg, bool woke_one, bool more),
                    void *arg)
{
    ft_bucket *b = bucket_of(addr);
    pthread_mutex_lock(&b->mutex);
    ft_waiter *w = find(b->head, addr);
    if (w)
        dequeue(b, w);
    bool more = w && find(b->head, addr) != NULL;
    if (on_unpark)
        on_unpark(arg, w != NULL, more);
    pthread_mutex_unlock(&b->mutex);
    if (w)
        wake(w);
}

void _ft_unpark_all(const void *addr)
{
    ft_bucket *b = bucket_of(addr);
    ft_waiter *woken = NULL;

    pthread_mutex_lock(&b->mutex);
    for (ft_waiter *w = find(b->head, addr), *next; w; w = next) {
        next = find(w->next, addr);
        dequeue(b, w);
        w->next = woken;   /* reuse the link: the waiter is off the queue */
        woken = w;
    }
    pthread_mutex_unlock(&b->mutex);

    while (woken) {
        ft_waiter *next = woken->next;   /* read before the waiter may go */
        wake(woken);
        woken = next;
    }
}

/* ---- Events ------------------------------------------------------------ */

enum { EV_UNSET = 0, EV_SET = 1, EV_UNSET_WAITERS = 2 };   /* EV_SET: _ft_event_is_set */

void _ft_event_set(ft_event *e)
{
    /* acq_rel: the setter's writes are visible to whoever sees EV_SET. */
    if (ft_atomic_exchange_acq_rel(&e->xv, EV_SET) == EV_UNSET_WAITERS)
        _ft_unpark_all(&e->xv);
}

bool _ft_event_wait(ft_event *e, int64_t timeout_ns, bool detach)
{
    uint64_t deadline = timeout_ns < 0 ? 0 : _ft_monotonic_ns() + (uint64_t)timeout_ns;
    for (;;) {
        uint8_t v = ft_atomic_load_acquire(&e->xv);
        if (v == EV_SET)
            return true;
        if (v == EV_UNSET && !ft_atomic_cas_relaxed(&e->xv, &v, EV_UNSET_WAITERS))
            continue;
        int64_t left = -1;
        if (timeout_ns >= 0) {
            left = (int64_t)(deadline - _ft_monotonic_ns());
            if (left <= 0)
                return ft_atomic_load_acquire(&e->xv) == EV_SET;
        }
        const uint8_t expected = EV_UNSET_WAITERS;
        _ft_park(&e->xv, &expected, 1, left, detach);
    }
}
