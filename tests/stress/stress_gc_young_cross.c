/* stress_gc_young_cross.c — young collections analysed in parallel
 * (nogil/gc.c, "Parallel analysis") with cycles inside and across the
 * threads' young logs.
 *
 * WORKERS threads run with thresholds (300, 3, 0): only young collections
 * (generations 0 and 1) are scheduled, each at some thread's checkpoint
 * while the others park there and help; every worker also asks for one
 * of each now and then (ft_gc_collect(0), ft_gc_collect(1)). Every worker
 * makes
 *   - cycles of its own (instance <-> instance, instance -> list -> it):
 *     all of their objects are logged by one thread, so a young collection
 *     analyses them in one partition and can collect them;
 *   - cycles across a collection of its own: an instance it holds over
 *     one (it joins the middle), then ties to a new one and drops — a
 *     generation-1 collection puts the two in one partition (the middle
 *     is tagged with the log each object came from) and can collect them;
 *   - cycles across threads: it passes an instance through a mailbox to
 *     the next worker, which makes a second instance and closes the cycle
 *     a -> list -> b -> a. The two halves are logged by different threads
 *     (different partitions): a young collection may keep such a cycle
 *     alive (counted as referenced from outside), and only a full one is
 *     sure to find it.
 * Every instance has a finalizer. While the workers run, young collections
 * must have finalized some of the first kind; after they stop, one full
 * collection must leave every instance finalized exactly once and nothing
 * alive (no cycle lost, none collected twice). The run lasts RUN_MS
 * (FT_TEST_RUN_MS) and until MIN_MADE instances were made. Run under TSan
 * and ASan by `make test`.
 */
#include <stdlib.h>
#include "ft_test.h"

enum { RUN_MS = 400, MIN_MADE = 20000, WORKERS = 3 };

static _Atomic int xstop;
static _Atomic long xmade, xfinalized;
/* mailbox[i]: an instance (a strong reference) for worker i, or NULL. */
static _Atomic(ft_object *) xmailbox[WORKERS];
static ft_type *node_cls;
static const char *const slots[] = { "other", "items", NULL };

static void on_finalize(ft_object *self)
{
    (void)self;
    atomic_fetch_add(&xfinalized, 1);
}

static ft_object *node_new(void)
{
    ft_object *a = ft_instance_new(node_cls);
    ft_worker_check(a != NULL);
    if (a)
        atomic_fetch_add(&xmade, 1);
    return a;
}

/* a <-> b, a -> [b, a]: a cycle made and dropped by one thread. */
static void own_cycle(void)
{
    ft_object *a = node_new(), *b = node_new(), *l = ft_list_new(0);
    ft_worker_check(a && b && l && !ft_setattr(a, "other", b) &&
                    !ft_setattr(b, "other", a) && !ft_list_append(l, b) &&
                    !ft_list_append(l, a) && !ft_setattr(a, "items", l));
    ft_xdecref(l);
    ft_xdecref(b);
    ft_xdecref(a);
}

/* held <-> a new instance, both dropped; returns a new instance to hold
 * until the next call (over this thread's next collection, likely). */
static ft_object *straddle(ft_object *held)
{
    if (held) {
        ft_object *b = node_new();
        ft_worker_check(b && !ft_setattr(held, "other", b) && !ft_setattr(b, "other", held));
        ft_xdecref(b);
        ft_decref(held);
    }
    return node_new();
}

/* Closes a cycle with an instance another worker made: a -> l -> b -> a,
 * with l and b made here. */
static void close_cycle(ft_object *a)
{
    ft_object *b = node_new(), *l = ft_list_new(0);
    ft_worker_check(b && l && !ft_setattr(b, "other", a) &&
                    !ft_list_append(l, b) && !ft_setattr(a, "items", l));
    ft_xdecref(l);
    ft_xdecref(b);
}

static void worker(void *arg)
{
    int me = (int)(intptr_t)arg, next = (me + 1) % WORKERS;
    ft_object *held = NULL;
    for (unsigned n = 1; !atomic_load(&xstop); n++) {
        /* Besides the scheduled ones: a young collection from this
         * thread while the others make young objects of their own (one
         * collection at a time; a concurrent request returns 0). */
        if (n % 32 == 0)
            ft_worker_check(ft_gc_collect(n % 96 == 0 ? 1 : 0) >= 0);
        if (n % 8 == 0)
            held = straddle(held);
        for (int i = 0; i < 8; i++)
            own_cycle();
        /* acq_rel: the receiver sees the instance fully made; we see the
         * one we take fully made. */
        ft_object *mine = atomic_exchange(&xmailbox[me], NULL);
        if (mine) {
            close_cycle(mine);
            ft_decref(mine);
        }
        ft_object *gift = node_new();
        ft_object *old = gift ? atomic_exchange(&xmailbox[next], gift) : NULL;
        ft_xdecref(old);   /* the next worker was slow: it dies here */
        ft_checkpoint();
    }
    ft_xdecref(held);
}

static void test_young_parallel_cycles(void **state)
{
    (void)state;
    ft_gc_set_threshold(300, 3, 0);   /* young collections only */
    node_cls = ft_class_new("CrossNode", slots);
    assert_int_equal(ft_class_set_finalizer(node_cls, on_finalize, false), 0);
    ft_gc_collect(-1);
    int64_t base = ft_test_live_objects();
    ft_thread *t[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        assert_non_null(t[i] = ft_thread_start(worker, (void *)(intptr_t)i));
    unsigned run_ms = ft_test_run_ms(RUN_MS);
    uint64_t start = ft_test_now_ns(), min_made = FT_TEST_MIN_OPS(MIN_MADE);
    while (ft_test_keep_running(start, run_ms, (uint64_t)atomic_load(&xmade), min_made)) {
        FT_BEGIN_ALLOW_THREADS
        ft_test_sleep_ms(10);
        FT_END_ALLOW_THREADS
    }
    atomic_store(&xstop, 1);
    for (int i = 0; i < WORKERS; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    ft_test_assert_workers_ok();
    for (int i = 0; i < WORKERS; i++)
        ft_xdecref(atomic_exchange(&xmailbox[i], NULL));
    long young_finalized = atomic_load(&xfinalized);
    ft_gc_gen_stats st[FT_GC_GENERATIONS];
    ft_gc_get_stats(st);
    /* Young collections ran and collected cycles of one thread's (of
     * generation 1 too, most runs: not asserted, since on a busy machine
     * a stop may wait a time slice for a descheduled worker, and a short
     * run then has only a few collections). */
    assert_true(st[0].collections > 0);
    assert_true(young_finalized > 0);
    ft_gc_collect(-1);
    ft_test_assert_ops("instances", (uint64_t)atomic_load(&xmade), min_made);
    assert_int_equal(atomic_load(&xfinalized), atomic_load(&xmade));
    assert_int_equal(ft_test_live_objects(), base);
    print_message("[%s] %ld instances, %ld finalized by young collections "
                  "(%llu + %llu of them), the rest by one full collection\n",
                  ft_flavor(), atomic_load(&xmade), young_finalized,
                  (unsigned long long)st[0].collections,
                  (unsigned long long)st[1].collections);
    ft_gc_set_threshold(2000, 10, 10);
    ft_decref(&node_cls->ob_base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_young_parallel_cycles),
    };
    return ft_test_run(tests);
}
