/* test_stw.c — stop-the-world parks attached threads at a checkpoint,
 * leaves detached threads running, and holds back a detached thread that
 * tries to attach until the world restarts. */
#include "ft_test.h"

typedef struct world {
    _Atomic long xcount[2];       /* attached counters                   */
    _Atomic long xdetached_count; /* counts while detached               */
    _Atomic int xreattach;        /* tells the detached thread to attach */
    _Atomic int xreattached;
    _Atomic int xstop;
} world;

typedef struct counter_arg {
    world *w;
    int index;
} counter_arg;

static void attached_counter(void *arg)
{
    counter_arg *a = arg;
    while (!atomic_load(&a->w->xstop)) {
        atomic_fetch_add(&a->w->xcount[a->index], 1);
        ft_checkpoint();
    }
}

static void detached_counter(void *arg)
{
    world *w = arg;
    FT_BEGIN_ALLOW_THREADS
    while (!atomic_load(&w->xreattach)) {
        atomic_fetch_add(&w->xdetached_count, 1);
        ft_test_sleep_ms(1);
    }
    FT_END_ALLOW_THREADS
    atomic_store(&w->xreattached, 1);
    while (!atomic_load(&w->xstop))
        ft_checkpoint();
}

/* Sleeps without leaving the runtime: the world stays stopped. */
static void sleep_attached(unsigned ms) { ft_test_sleep_ms(ms); }

static void sleep_detached(unsigned ms)
{
    FT_BEGIN_ALLOW_THREADS
    ft_test_sleep_ms(ms);
    FT_END_ALLOW_THREADS
}

static void test_stop_parks_attached_and_skips_detached(void **state)
{
    (void)state;
    world w = { 0 };
    counter_arg args[2] = { { &w, 0 }, { &w, 1 } };
    ft_thread *t[3];
    t[0] = ft_thread_start(attached_counter, &args[0]);
    t[1] = ft_thread_start(attached_counter, &args[1]);
    t[2] = ft_thread_start(detached_counter, &w);
    for (int i = 0; i < 3; i++)
        assert_non_null(t[i]);
    while (!atomic_load(&w.xcount[0]) || !atomic_load(&w.xcount[1]) ||
           !atomic_load(&w.xdetached_count))
        sleep_detached(5);

    assert_int_equal(ft_stop_the_world(), 0);
    long c0 = atomic_load(&w.xcount[0]), c1 = atomic_load(&w.xcount[1]);
    long d0 = atomic_load(&w.xdetached_count);
    sleep_attached(100);
    /* Attached threads are parked: their counters do not move. */
    assert_int_equal(atomic_load(&w.xcount[0]), c0);
    assert_int_equal(atomic_load(&w.xcount[1]), c1);
    /* The detached thread was left out: it kept running (given a core;
     * on a loaded machine wait a little longer for it). */
    for (int i = 0; i < 5000 && atomic_load(&w.xdetached_count) == d0; i++)
        sleep_attached(1);
    assert_true(atomic_load(&w.xdetached_count) > d0);

    /* ... but it cannot attach while the world is stopped. */
    atomic_store(&w.xreattach, 1);
    sleep_attached(100);
    assert_int_equal(atomic_load(&w.xreattached), 0);

    ft_stw_stats st;
    ft_stw_get_stats(&st);
    assert_int_equal(st.stops, 1);
    assert_int_equal(st.last_parked_attached + st.last_parked_detached, 3);
    if (!ft_gil_is_enabled()) {
        /* Free threading: both counters were running and parked at a
         * checkpoint. (Under a GIL they wait for the GIL, detached.) */
        assert_int_equal(st.last_parked_attached, 2);
    }
    ft_start_the_world();

    for (int i = 0; i < 5000 && !atomic_load(&w.xreattached); i++)
        sleep_detached(1);
    assert_int_equal(atomic_load(&w.xreattached), 1);
    /* Restarted, the counters move again (within seconds even on a
     * machine loaded by other programs). */
    for (int i = 0; i < 5000 && atomic_load(&w.xcount[0]) == c0 &&
                    atomic_load(&w.xcount[1]) == c1; i++)
        sleep_detached(1);
    assert_true(atomic_load(&w.xcount[0]) > c0 || atomic_load(&w.xcount[1]) > c1);

    atomic_store(&w.xstop, 1);
    for (int i = 0; i < 3; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
}

static void test_stop_misuse(void **state)
{
    (void)state;
    assert_int_equal(ft_start_the_world(), -1);   /* not stopped by us */
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    ft_err_clear();
    assert_int_equal(ft_stop_the_world(), 0);
    assert_int_equal(ft_stop_the_world(), -1);   /* no nesting */
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    ft_err_clear();
    assert_int_equal(ft_start_the_world(), 0);
    assert_false(ft_err_occurred());
}

typedef struct stopper {
    world *w;
    _Atomic long xstops;
} stopper;

static void repeated_stopper(void *arg)
{
    stopper *s = arg;
    for (int i = 0; i < 50; i++) {
        if (ft_stop_the_world() != 0) {
            ft_worker_fail("stop %d of 50: %s", i, ft_err_message());
            return;
        }
        atomic_fetch_add(&s->xstops, 1);
        ft_start_the_world();
        ft_checkpoint();
    }
}

/* Two threads stop the world over and over while a third counts: one stop
 * at a time, nobody deadlocks. */
static void test_concurrent_stoppers(void **state)
{
    (void)state;
    world w = { 0 };
    stopper s = { .w = &w };
    counter_arg a = { &w, 0 };
    ft_thread *counter = ft_thread_start(attached_counter, &a);
    ft_thread *s1 = ft_thread_start(repeated_stopper, &s);
    ft_thread *s2 = ft_thread_start(repeated_stopper, &s);
    assert_non_null(counter);
    assert_non_null(s1);
    assert_non_null(s2);
    assert_int_equal(ft_thread_join(s1), 0);
    assert_int_equal(ft_thread_join(s2), 0);
    atomic_store(&w.xstop, 1);
    assert_int_equal(ft_thread_join(counter), 0);
    ft_test_assert_workers_ok();
    assert_int_equal(atomic_load(&s.xstops), 100);
    ft_stw_stats st;
    ft_stw_get_stats(&st);
    assert_int_equal(st.stops, 100);
    assert_true(st.max_ns >= st.last_ns);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_stop_parks_attached_and_skips_detached),
        T(test_stop_misuse),
        T(test_concurrent_stoppers),
    };
    return ft_test_run(tests);
}
