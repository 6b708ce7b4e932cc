/* test_gil.c — the GIL: serialisation, hand-overs per switch interval,
 * FT_GIL=1 in nogil, FT_BEGIN/END_ALLOW_THREADS.
 *
 * Two checks depend on the scheduler giving the waiting thread a core
 * (ctest runs this file alone, RUN_SERIAL, but other programs may load
 * the machine): each gets a second attempt, every failed attempt is
 * printed with the figures that failed it, and a second failure fails the
 * test. One retry absorbs a burst of load; a GIL that hands over late
 * every time does not get through.
 */
#include <stdio.h>
#include <string.h>
#include "ft_test.h"

/* Attempts of a scheduler-dependent check: a failure is logged, the
 * second one fails the test. */
enum { ATTEMPTS = 2 };

/* What runtime/global_lock.c guarantees: a waiter asks for the GIL after one
 * interval without a switch; the holder drops at its next checkpoint
 * (microseconds away here) and, asked to drop, waits until the waiter has
 * taken it (forced switching). So hand-overs never come faster than one
 * per interval, a thread asked to drop never takes the GIL back first
 * (both asserted whatever the load), and each hand-over costs one
 * interval plus what the scheduler adds: the waiter's wake-up when its
 * timed wait ends, the holder's way to its checkpoint, the waiter's
 * wake-up on the holder's signal. That is tens of microseconds on an idle
 * machine, but measured on this 2-core machine loaded by other builds
 * (load 7-19) it was 2.5-9 ms per hand-over in most runs, up to 21 ms,
 * at intervals of 1, 2 and 5 ms alike: a scheduler's latency, not a
 * fraction of the interval. So the floor is one hand-over per interval
 * plus HANDOVER_SLACK_NS: at 5 ms a sixth of one per interval, where the
 * old flat floor asked a tenth; at 1 ms a twenty-sixth, which is what a
 * loaded machine gives (6-30% measured; the old floor of a tenth held
 * only thanks to five tries). The old check that 80% of the drop requests
 * end in a hand-over is gone: a holder preempted for over an interval
 * gets the same request twice (44-74% measured under load), and what it
 * meant to catch, a holder that does not let go, the acquisitions check
 * catches exactly. */
#define HANDOVER_SLACK_NS 25e6

/* Acquisitions that are not hand-overs (the last holder taking the GIL
 * again): the main thread's re-attachments around the joins, once the
 * workers are gone (1-2 measured). A holder retaking the GIL it was asked
 * to drop would add one per interval. */
enum { ACQUISITIONS_NOT_HANDED = 4 };

typedef struct contest {
    _Atomic int xinside;      /* CPU threads inside the runtime right now */
    _Atomic int xmax_inside;
    _Atomic int xstop;
    _Atomic long xiterations[2];
} contest;

typedef struct worker_arg {
    contest *c;
    int index;
} worker_arg;

static void note_inside(contest *c)
{
    int n = atomic_fetch_add(&c->xinside, 1) + 1;
    int max = atomic_load(&c->xmax_inside);
    while (n > max && !atomic_compare_exchange_weak(&c->xmax_inside, &max, n))
        ;
}

/* CPU-bound: work between checkpoints, never blocking. */
static void cpu_worker(void *arg)
{
    worker_arg *w = arg;
    contest *c = w->c;
    while (!atomic_load_explicit(&c->xstop, memory_order_relaxed)) {
        note_inside(c);
        for (volatile int spin = 0; spin < 2000; spin++)
            ;
        atomic_fetch_sub(&c->xinside, 1);
        atomic_fetch_add_explicit(&c->xiterations[w->index], 1, memory_order_relaxed);
        ft_checkpoint();
    }
}

/* Runs two CPU workers for about `ms` (the main thread detached) and
 * returns the wall time in ns. */
static uint64_t run_two_workers(contest *c, unsigned ms, ft_thread_stats st[2])
{
    worker_arg args[2] = { { c, 0 }, { c, 1 } };
    ft_thread *t[2];
    for (int i = 0; i < 2; i++) {
        t[i] = ft_thread_start(cpu_worker, &args[i]);
        assert_non_null(t[i]);
    }
    uint64_t t0 = ft_test_now_ns();
    FT_BEGIN_ALLOW_THREADS
    ft_test_sleep_ms(ms);
    atomic_store(&c->xstop, 1);
    FT_END_ALLOW_THREADS
    uint64_t elapsed = ft_test_now_ns() - t0;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ft_thread_get_stats(t[i], &st[i]), 0);
        assert_int_equal(ft_thread_join(t[i]), 0);
    }
    return elapsed;
}

static void test_gil_serialises_cpu_threads(void **state)
{
    (void)state;
    contest c = { 0 };
    ft_thread_stats st[2];
    run_two_workers(&c, 300, st);
    assert_true(c.xiterations[0] > 0 && c.xiterations[1] > 0);
    if (ft_test_serialised())
        assert_int_equal(atomic_load(&c.xmax_inside), 1);
}

static void test_nogil_runs_threads_at_once(void **state)
{
    (void)state;
    if (ft_test_serialised())
        skip();   /* the GIL build: see the test above */
    /* Both threads inside at once must happen on a 2-core machine within
     * 200 ms unless other programs hold both cores all that time. */
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        contest c = { 0 };
        ft_thread_stats st[2];
        run_two_workers(&c, 200, st);
        if (atomic_load(&c.xmax_inside) == 2)
            return;
        print_message("[%s] attempt %d of %d failed: never two threads inside at "
                      "once (%ld and %ld iterations)\n", ft_flavor(), attempt,
                      ATTEMPTS, atomic_load(&c.xiterations[0]),
                      atomic_load(&c.xiterations[1]));
    }
    fail_msg("two attached threads were never inside the runtime at once, "
             "in %d attempts", ATTEMPTS);
}

/* One run of two contending workers at `interval_us`; returns whether
 * the figures came out as the GIL guarantees, else why not in why. */
static bool handovers_as_expected(unsigned interval_us, char *why, size_t size)
{
    ft_set_switch_interval_us(interval_us);
    ft_gil_reset_stats();
    contest c = { 0 };
    ft_thread_stats st[2];
    uint64_t elapsed = run_two_workers(&c, 400, st);
    ft_gil_stats gs;
    ft_gil_get_stats(&gs);

    double expected = (double)elapsed / (interval_us * 1000.0);
    double least = (double)elapsed / (interval_us * 1000.0 + HANDOVER_SLACK_NS);
    print_message("[%s] interval %u us: %llu hand-overs in %.0f ms (%.0f "
                  "intervals, %.0f ms each; floor %.0f), %llu acquisitions, "
                  "%llu drop requests, %llu forced waits\n", ft_flavor(),
                  interval_us, (unsigned long long)gs.handovers, elapsed / 1e6,
                  expected, gs.handovers ? elapsed / 1e6 / gs.handovers : 0.0,
                  least, (unsigned long long)gs.acquisitions,
                  (unsigned long long)gs.drop_requests,
                  (unsigned long long)gs.forced_waits);
    /* Whatever the load: a waiter cannot get in faster than one interval,
     * and (forced switching) a thread asked to drop never takes the GIL
     * back before the waiter had it: every acquisition but the threads'
     * first ones and the main thread's return is a hand-over. */
    assert_true(gs.handovers <= expected * 1.5 + 8);
    assert_true(gs.acquisitions <= gs.handovers + ACQUISITIONS_NOT_HANDED);
    /* The rest needs the waiter to get a core when its interval ends:
     * hand-overs at most HANDOVER_SLACK_NS apart beyond the interval, at
     * least one drop request, and neither thread starving. */
    why[0] = '\0';
    if (gs.handovers < least)
        snprintf(why, size, "%llu hand-overs, under the %.0f of one per interval "
                 "plus %.0f ms", (unsigned long long)gs.handovers, least,
                 HANDOVER_SLACK_NS / 1e6);
    else if (gs.drop_requests == 0)
        snprintf(why, size, "no drop request");
    for (int i = 0; i < 2 && !why[0]; i++)
        if (st[i].gil_waits == 0 || st[i].gil_wait_ns == 0 ||
            c.xiterations[i] * 10 <= c.xiterations[1 - i])
            snprintf(why, size, "thread %d starved: %llu waits, %ld iterations "
                     "against %ld", i, (unsigned long long)st[i].gil_waits,
                     atomic_load(&c.xiterations[i]), atomic_load(&c.xiterations[1 - i]));
    return !why[0];
}

static void check_handovers(unsigned interval_us)
{
    char why[256];
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        if (handovers_as_expected(interval_us, why, sizeof why))
            return;
        print_message("[%s] interval %u us: attempt %d of %d failed: %s\n",
                      ft_flavor(), interval_us, attempt, ATTEMPTS, why);
    }
    fail_msg("interval %u us: the GIL was not handed over as it guarantees in "
             "%d attempts; the last: %s", interval_us, ATTEMPTS, why);
}

static void test_gil_hands_over_once_per_interval(void **state)
{
    (void)state;
    if (!ft_test_serialised()) {
        /* No GIL: nothing is taken, nothing handed over. */
        ft_gil_reset_stats();
        contest c = { 0 };
        ft_thread_stats st[2];
        run_two_workers(&c, 100, st);
        ft_gil_stats gs;
        ft_gil_get_stats(&gs);
        assert_int_equal(gs.acquisitions, 0);
        assert_int_equal(gs.handovers, 0);
        assert_int_equal(st[0].gil_wait_ns, 0);
        return;
    }
    check_handovers(5000);
    check_handovers(1000);
}

/* FT_GIL=1 / ft_config.gil=1 re-enables the GIL in every flavor. */
static void test_gil_forced_on(void **state)
{
    (void)state;
    ft_test_fini_clean();
    ft_config cfg = FT_CONFIG_INIT;
    cfg.gil = 1;
    cfg.switch_interval_us = 2000;
    assert_int_equal(ft_init(&cfg), 0);
    assert_true(ft_gil_is_enabled());
    contest c = { 0 };
    ft_thread_stats st[2];
    run_two_workers(&c, 200, st);
    assert_int_equal(atomic_load(&c.xmax_inside), 1);
    check_handovers(2000);
}

typedef struct allow {
    _Atomic int xran;
} allow;

static void set_ran(void *arg)
{
    allow *a = arg;
    atomic_store(&a->xran, 1);   /* no checkpoint: it only runs if attached */
}

static void test_allow_threads_lets_another_run(void **state)
{
    (void)state;
    allow a = { 0 };
    ft_thread *t = ft_thread_start(set_ran, &a);
    assert_non_null(t);
    int ran;
    FT_BEGIN_ALLOW_THREADS
    /* Blocking "I/O" without the GIL: the other thread must get in. */
    for (int i = 0; i < 5000 && !atomic_load(&a.xran); i++)
        ft_test_sleep_ms(1);
    ran = atomic_load(&a.xran);
    FT_END_ALLOW_THREADS
    assert_int_equal(ran, 1);
    assert_int_equal(ft_thread_join(t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_gil_serialises_cpu_threads),
        T(test_nogil_runs_threads_at_once),
        T(test_gil_hands_over_once_per_interval),
        T(test_gil_forced_on),
        T(test_allow_threads_lets_another_run),
    };
    return ft_test_run(tests);
}
