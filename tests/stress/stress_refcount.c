/* stress_refcount.c — references cross threads in every way at once, for
 * a bounded time: threads take and drop references to objects that other
 * threads own, hand their own references over through mailboxes (so the
 * receiver drops a reference it never took: the queued path in nogil),
 * and exit while others still hold their objects (owner exit), while new
 * threads take their place. At the end every object has been freed exactly
 * once: the live-object count returns to where it started, and ASan sees
 * no use after free. Each generation runs RUN_MS / GENERATIONS
 * (FT_TEST_RUN_MS) and until its workers did MIN_OPS / GENERATIONS
 * operations (a loaded release build does over 5,000,000 in 1.2 s; the
 * floor is a twelfth of that, divided by the sanitizers' slowdown); seeds
 * come from ft_test_seed (FT_TEST_SEED replays a run). Run under TSan and
 * ASan by `make test`.
 */
#include <stdlib.h>
#include "ft_mailbox.h"
#include "ft_test.h"

enum { WORKERS = 4, SLOTS = 64, MAILBOX = 128, RUN_MS = 1200, GENERATIONS = 4,
       MIN_OPS = 400000 };

/* Shared slots: each holds one reference to an object (or NULL). */
typedef struct slot {
    ft_mutex lock;
    ft_object *obj;
} slot;

static slot slots[SLOTS];
static ft_test_mailbox boxes[WORKERS];   /* references handed over */
static _Atomic int xstop;
static _Atomic long xcreated, xhanded, xborrowed;
static _Atomic uint64_t xops;   /* rounds of every worker */

/* Returns a new reference to the slot's object, or NULL. */
static ft_object *slot_get(slot *s)
{
    ft_object *o;
    ft_mutex_lock(&s->lock);
    o = s->obj;
    ft_xincref(o);
    ft_mutex_unlock(&s->lock);
    return o;
}

/* Stores a reference (stolen) and drops the one it replaces. */
static void slot_set(slot *s, ft_object *o)
{
    ft_object *old;
    ft_mutex_lock(&s->lock);
    old = s->obj;
    s->obj = o;
    ft_mutex_unlock(&s->lock);
    ft_xdecref(old);
}

static void drain(int me)
{
    void *got[FT_TEST_MAILBOX_MAX];
    int n = ft_test_mailbox_take_all(&boxes[me], got);
    for (int i = 0; i < n; i++)
        ft_decref(got[i]);   /* a reference this thread never took */
}

static ft_object *make(unsigned *seed)
{
    atomic_fetch_add(&xcreated, 1);
    if (rand_r(seed) % 2)
        return ft_float_from_double((double)rand_r(seed));
    return ft_int_from_i64(1000 + (int64_t)rand_r(seed));
}

typedef struct worker_arg {
    int id;
    unsigned seed;
} worker_arg;

static void worker(void *arg)
{
    worker_arg *w = arg;
    for (long round = 0; !atomic_load(&xstop); round++) {
        switch (rand_r(&w->seed) % 4) {
        case 0:   /* publish a new object of ours */
            slot_set(&slots[rand_r(&w->seed) % SLOTS], make(&w->seed));
            break;
        case 1: { /* borrow someone's object for a while */
            ft_object *o = slot_get(&slots[rand_r(&w->seed) % SLOTS]);
            if (o) {
                for (int i = 0; i < 8; i++) {
                    ft_incref(o);
                    ft_decref(o);
                }
                ft_decref(o);
                atomic_fetch_add(&xborrowed, 1);
            }
            break;
        }
        case 2: { /* hand a reference to another thread */
            ft_object *o = slot_get(&slots[rand_r(&w->seed) % SLOTS]);
            if (o && !ft_test_mailbox_post(&boxes[rand_r(&w->seed) % WORKERS], o))
                ft_decref(o);
            else if (o)
                atomic_fetch_add(&xhanded, 1);
            break;
        }
        default:
            drain(w->id);
        }
        /* relaxed: a count, read while the main thread waits (any value
         * will do) and after the joins (which order it). */
        atomic_fetch_add_explicit(&xops, 1, memory_order_relaxed);
        if (round % 32 == 0)
            ft_checkpoint();
    }
    /* Exit owning objects that others still reference. */
}

static void test_references_across_threads(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    for (int i = 0; i < SLOTS; i++)
        slots[i] = (slot){ .lock = FT_MUTEX_INIT };
    for (int i = 0; i < WORKERS; i++)
        ft_test_mailbox_init(&boxes[i], MAILBOX);
    worker_arg args[WORKERS];
    uint64_t seed = ft_test_seed();
    unsigned gen_ms = ft_test_run_ms(RUN_MS) / GENERATIONS;
    uint64_t min_ops = FT_TEST_MIN_OPS(MIN_OPS);
    for (int g = 0; g < GENERATIONS; g++) {
        atomic_store(&xstop, 0);
        ft_thread *t[WORKERS];
        for (int i = 0; i < WORKERS; i++) {
            args[i] = (worker_arg){ i, (unsigned)(seed + g * 131u + i * 7u) };
            assert_non_null(t[i] = ft_thread_start(worker, &args[i]));
        }
        uint64_t start = ft_test_now_ns();
        FT_BEGIN_ALLOW_THREADS
        while (ft_test_keep_running(start, gen_ms, atomic_load(&xops),
                                    min_ops * (uint64_t)(g + 1) / GENERATIONS))
            ft_test_sleep_ms(5);
        atomic_store(&xstop, 1);
        FT_END_ALLOW_THREADS
        for (int i = 0; i < WORKERS; i++)
            assert_int_equal(ft_thread_join(t[i]), 0);
    }
    for (int i = 0; i < WORKERS; i++)
        drain(i);
    for (int i = 0; i < SLOTS; i++)
        slot_set(&slots[i], NULL);
    ft_checkpoint();   /* merges anything queued to the main thread */
    print_message("[%s] %llu operations: %ld objects created, %ld handed over, "
                  "%ld borrowed\n", ft_flavor(), (unsigned long long)atomic_load(&xops),
                  atomic_load(&xcreated), atomic_load(&xhanded), atomic_load(&xborrowed));
    ft_test_assert_ops("operations", atomic_load(&xops), min_ops);
    assert_true(atomic_load(&xcreated) > 0 && atomic_load(&xhanded) > 0 &&
                atomic_load(&xborrowed) > 0);
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_references_across_threads),
    };
    return ft_test_run(tests);
}
