/* stress_gc.c — the collector while threads run, for a bounded time.
 *
 * Two builders make cycles of instances (with finalizers), lists and dicts,
 * hand half of them through a shared list so that objects die on other
 * threads than their owners (biased counts queued and merged), and run
 * checkpoints so that the scheduled collections (threshold 200) happen on
 * whichever thread crosses it. A third thread calls ft_gc_collect in a
 * loop, young and full collections in turn; short-lived threads make cycles and exit, leaving objects owned
 * by a dead thread for the collector to find. At the end every finalizer
 * has run exactly once per finalizable object created and nothing is
 * left alive. The run lasts RUN_MS (FT_TEST_RUN_MS) and until MIN_MADE
 * finalizable objects were made and EPHEMERAL threads came and went (a
 * loaded release build makes over 100,000 in 500 ms; the floor is a
 * fifth of the slowest flavor's, divided by the sanitizers' slowdown).
 * Workers record failures with ft_worker_check; the main thread asserts.
 * Run under TSan and ASan by `make test`.
 */
#include <stdlib.h>
#include "ft_test.h"

enum { RUN_MS = 500, MIN_MADE = 20000, BUILDERS = 2, EPHEMERAL = 4 };

static _Atomic int xstop;
static _Atomic long xmade, xfinalized;
static ft_type *node_cls;
static const char *const slots[] = { "other", "items", NULL };

static void on_finalize(ft_object *self)
{
    (void)self;
    atomic_fetch_add(&xfinalized, 1);
}

/* a <-> b, a -> list -> dict -> a: one cycle of five objects. */
static ft_object *make_cycle(void)
{
    ft_object *a = ft_instance_new(node_cls), *b = ft_instance_new(node_cls);
    ft_object *l = ft_list_new(0), *d = ft_dict_new();
    ft_object *k = ft_int_from_i64(4242);
    ft_worker_check(a && b && l && d && k && !ft_setattr(a, "other", b) &&
                    !ft_setattr(b, "other", a) && !ft_setattr(a, "items", l) &&
                    !ft_list_append(l, d) && !ft_dict_set(d, k, a));
    atomic_fetch_add(&xmade, 2);
    ft_xdecref(b);
    ft_xdecref(l);
    ft_xdecref(d);
    ft_xdecref(k);
    return a;
}

static void builder(void *arg)
{
    ft_object *shared = arg;
    for (long i = 0; !atomic_load(&xstop); i++) {
        ft_object *a = make_cycle();
        if (i % 2 && a)
            ft_worker_check(ft_list_append(shared, a) == 0);
        ft_xdecref(a);
        if (i % 2 == 0 && ft_len(shared) > 0) {
            /* take one another thread may have made: it dies here */
            ft_worker_check(ft_list_set(shared, 0, ft_none()) == 0);
        }
        ft_checkpoint();
    }
}

static void collector(void *arg)
{
    (void)arg;
    /* Young (0, 1) and full (-1) in turn: the young ones gather from the
     * threads' logs while objects die on other threads than their makers. */
    static const int gens[] = { 0, -1, 1, 0 };
    for (unsigned n = 0; !atomic_load(&xstop); n++) {
        ft_worker_check(ft_gc_collect(gens[n % 4]) >= 0);
        for (int i = 0; i < 100; i++)
            ft_checkpoint();
    }
}

static void ephemeral(void *arg)
{
    (void)arg;
    for (int i = 0; i < 50; i++)
        ft_decref(make_cycle());   /* garbage owned by a thread about to exit */
}

static void test_collect_while_running(void **state)
{
    (void)state;
    ft_gc_set_threshold(200, 10, 10);
    node_cls = ft_class_new("StressNode", slots);
    assert_int_equal(ft_class_set_finalizer(node_cls, on_finalize, false), 0);
    int64_t base = ft_test_live_objects();
    ft_object *shared = ft_list_new(0);
    ft_thread *t[BUILDERS + 1];
    for (int i = 0; i < BUILDERS; i++)
        assert_non_null(t[i] = ft_thread_start(builder, shared));
    assert_non_null(t[BUILDERS] = ft_thread_start(collector, NULL));
    /* An ephemeral thread every run_ms / EPHEMERAL; the main thread sleeps
     * detached, or (gil) it would keep the GIL from the builders. */
    unsigned run_ms = ft_test_run_ms(RUN_MS);
    uint64_t start = ft_test_now_ns(), min_made = FT_TEST_MIN_OPS(MIN_MADE);
    int ephemerals = 0;
    while (ephemerals < EPHEMERAL ||
           ft_test_keep_running(start, run_ms, (uint64_t)atomic_load(&xmade), min_made)) {
        ft_thread *e = ft_thread_start(ephemeral, NULL);
        assert_non_null(e);
        assert_int_equal(ft_thread_join(e), 0);
        ephemerals++;
        FT_BEGIN_ALLOW_THREADS
        ft_test_sleep_ms(run_ms / EPHEMERAL);
        FT_END_ALLOW_THREADS
    }
    atomic_store(&xstop, 1);
    for (int i = 0; i <= BUILDERS; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    ft_test_assert_workers_ok();
    ft_decref(shared);
    ft_gc_collect(-1);
    ft_test_assert_ops("finalizable objects", (uint64_t)atomic_load(&xmade), min_made);
    assert_int_equal(atomic_load(&xfinalized), atomic_load(&xmade));
    assert_int_equal(ft_test_live_objects(), base);
    ft_gc_gen_stats st[FT_GC_GENERATIONS];
    ft_gc_get_stats(st);
    ft_gc_pause_stats ps;
    ft_gc_get_pause_stats(&ps);
    print_message("[%s] %ld objects with finalizers made, %d ephemeral threads; "
                  "collections: %llu %llu %llu; pause p50 %.3f ms, max %.3f ms; "
                  "stop-the-world p50 %.3f ms\n",
                  ft_flavor(), atomic_load(&xmade), ephemerals,
                  (unsigned long long)st[0].collections,
                  (unsigned long long)st[1].collections,
                  (unsigned long long)st[2].collections,
                  ft_gc_histogram_quantile(&ps.pause, 0.5) / 1e6,
                  ps.pause.max_ns / 1e6,
                  ft_gc_histogram_quantile(&ps.stw, 0.5) / 1e6);
    ft_decref(&node_cls->ob_base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_collect_while_running),
    };
    return ft_test_run(tests);
}
