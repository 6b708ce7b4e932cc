/* internal/parking_lot.h — sleeping on an address.
 *
 * A parking lot maps addresses to queues of sleeping threads (after
 * WebKit's WTF::ParkingLot and CPython's Python/parking_lot.c). It lets a
 * one-byte lock, a thread's state word or an event sleep without carrying
 * a condition variable of its own.
 *
 * Buckets: a fixed table of FT_PARK_BUCKETS buckets, each a pthread mutex
 * and a FIFO of waiters; an address hashes to one bucket. A waiter is a
 * struct on the sleeping thread's stack with a futex word.
 *
 * Contract
 *   _ft_park(addr, expected, ...) sleeps only if `*addr` still equals
 *   `expected` once the bucket is locked. Wakers change `*addr` before
 *   they unpark, so a waker and a parker serialise on the bucket lock and
 *   no wake-up is lost.
 *   Wake-ups may be spurious (FT_PARK_OK does not mean the condition
 *   holds): callers re-check in a loop.
 */
#ifndef FTLAB_INTERNAL_PARKING_LOT_H
#define FTLAB_INTERNAL_PARKING_LOT_H

#include "common.h"

typedef enum ft_park_result {
    FT_PARK_OK = 0,       /* unparked by another thread                    */
    FT_PARK_AGAIN = 1,    /* *addr != expected: did not sleep               */
    FT_PARK_TIMEOUT = 2,  /* the timeout expired                            */
} ft_park_result;

/* Compares `size` (1 or 4) bytes at addr with *expected; sleeps up to
 * timeout_ns (-1: forever). With `detach`, an attached caller detaches
 * while asleep and attaches again before returning. */
ft_park_result _ft_park(const void *addr, const void *expected, int size,
                        int64_t timeout_ns, bool detach);

/* Wakes one thread parked on addr. Before waking, and with the bucket
 * locked, calls on_unpark(arg, woke_one, more_waiting) so the caller can
 * update *addr atomically with respect to new parkers. */
void _ft_unpark_one(const void *addr,
                    void (*on_unpark)(void *arg, bool woke_one, bool more),
                    void *arg);

/* Wakes every thread parked on addr. */
void _ft_unpark_all(const void *addr);

/* ---- Event: a one-shot flag a thread can wait on with a timeout. ------ */
typedef struct ft_event {
    _Atomic uint8_t xv;   /* 0 unset, 1 set, 2 unset with waiters */
} ft_event;

void _ft_event_set(ft_event *e);
/* true once the event is set (acquire: what the setter wrote before
 * _ft_event_set is visible); never sleeps, for a waiter that spins a
 * little before it calls _ft_event_wait. */
static inline bool _ft_event_is_set(ft_event *e)
{
    return ft_atomic_load_acquire(&e->xv) == 1;
}
/* true once the event is set; false when timeout_ns (-1: forever) passed. */
bool _ft_event_wait(ft_event *e, int64_t timeout_ns, bool detach);

#endif /* FTLAB_INTERNAL_PARKING_LOT_H */
