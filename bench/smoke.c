/* smoke.c — ftbench-smoke-<flavor>: a first look at a flavor's threads,
 * in a few seconds and without options: starts CPU-bound threads and
 * prints what it measured (ftbench-<flavor> is the full harness).
 *
 *   1. fixed total work split over 1 and 2 threads: wall time, speed-up,
 *      GIL hand-overs and wait (median of REPEATS runs);
 *   2. the cost of a checkpoint with nothing requested;
 *   3. stop-the-world pause with two attached threads (median, max).
 *
 * Each work unit is checked (a sum whose value is known), so a broken
 * build cannot report a fast time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <ftlab.h>
#include "bench_env.h"
#include "cli.h"

#define PROG "ftbench-smoke-" FT_FLAVOR

enum { REPEATS = 5, TOTAL_UNITS = 4000, UNIT_LEN = 20000, STOPS = 50 };

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint64_t median(uint64_t *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_u64);
    return v[n / 2];
}

/* One unit of CPU work with a checkpoint per inner block, like an
 * interpreter's loop. Returns a checksum. */
static uint64_t work_unit(uint64_t seed)
{
    uint64_t x = seed, sum = 0;
    for (int i = 0; i < UNIT_LEN; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        sum += x >> 60;
        if ((i & 255) == 0)
            ft_checkpoint();
    }
    return sum;
}

typedef struct job {
    int units;
    uint64_t checksum;
} job;

static void run_job(void *arg)
{
    job *j = arg;
    for (int u = 0; u < j->units; u++)
        j->checksum += work_unit((uint64_t)u);
}

static uint64_t expected_checksum(int units)
{
    uint64_t sum = 0;
    for (int u = 0; u < units; u++)
        sum += work_unit((uint64_t)u);
    return sum;
}

/* Fixed total work over `threads` threads; returns wall ns. */
static uint64_t timed_split(int threads, uint64_t want_per_thread)
{
    job jobs[2] = { { TOTAL_UNITS / threads, 0 }, { TOTAL_UNITS / threads, 0 } };
    ft_thread *t[2];
    uint64_t t0 = ftbench_now_ns();
    for (int i = 0; i < threads; i++)
        if (!(t[i] = ft_thread_start(run_job, &jobs[i]))) {
            fprintf(stderr, "ftbench-smoke: %s\n", ft_err_message());
            exit(1);
        }
    for (int i = 0; i < threads; i++)
        ft_thread_join(t[i]);
    uint64_t ns = ftbench_now_ns() - t0;
    for (int i = 0; i < threads; i++)
        if (jobs[i].checksum != want_per_thread) {
            fprintf(stderr, "ftbench-smoke: wrong checksum\n");
            exit(1);
        }
    return ns;
}

static void bench_split(void)
{
    uint64_t base = 0;
    printf("%-13s %7s %10s %8s %10s %12s\n", "flavor", "threads",
           "median ms", "speedup", "handovers", "GIL wait ms");
    for (int threads = 1; threads <= 2; threads++) {
        uint64_t want = expected_checksum(TOTAL_UNITS / threads);
        uint64_t ns[REPEATS];
        ft_gil_stats gs;
        ft_gil_reset_stats();
        bool tty = isatty(STDERR_FILENO);
        for (int r = 0; r < REPEATS; r++) {
            if (tty)
                fprintf(stderr, "\r  %d thread(s): run %d/%d", threads, r + 1, REPEATS);
            ns[r] = timed_split(threads, want);
        }
        if (tty)
            fprintf(stderr, "\r%40s\r", "");
        ft_gil_get_stats(&gs);
        uint64_t med = median(ns, REPEATS);
        if (threads == 1)
            base = med;
        printf("%-13s %7d %10.1f %8.2f %10.1f %12.1f\n", ft_flavor(), threads,
               med / 1e6, (double)base / (double)med,
               (double)gs.handovers / REPEATS, gs.wait_ns / 1e6 / REPEATS);
    }
}

static void bench_checkpoint(void)
{
    enum { N = 20 * 1000 * 1000 };
    uint64_t ns[REPEATS];
    for (int r = 0; r < REPEATS; r++) {
        uint64_t t0 = ftbench_now_ns();
        for (int i = 0; i < N; i++)
            ft_checkpoint();
        ns[r] = ftbench_now_ns() - t0;
    }
    printf("checkpoint, nothing requested: %.2f ns (median of %d x %d)\n",
           (double)median(ns, REPEATS) / N, REPEATS, N);
}

/* Set by the main thread when the spinners may end. */
static _Atomic int xspin_stop;

static void spinner(void *arg)
{
    (void)arg;
    /* relaxed: the flag publishes nothing; the join orders the rest. */
    while (!ft_atomic_load_relaxed(&xspin_stop))
        ft_checkpoint();
}

static void bench_stw(void)
{
    ft_thread *t[2];
    /* relaxed: no spinner runs yet; ft_thread_start publishes it. */
    ft_atomic_store_relaxed(&xspin_stop, 0);
    for (int i = 0; i < 2; i++)
        t[i] = ft_thread_start(spinner, NULL);
    uint64_t ns[STOPS];
    for (int i = 0; i < STOPS; i++) {
        ft_stop_the_world();
        ft_start_the_world();
        ft_stw_stats st;
        ft_stw_get_stats(&st);
        ns[i] = st.last_ns;
        FT_BEGIN_ALLOW_THREADS
        struct timespec d = { 0, 2 * 1000 * 1000 };
        nanosleep(&d, NULL);
        FT_END_ALLOW_THREADS
    }
    ft_atomic_store_relaxed(&xspin_stop, 1);   /* relaxed: as in spinner() */
    for (int i = 0; i < 2; i++)
        ft_thread_join(t[i]);
    uint64_t max = 0;
    for (int i = 0; i < STOPS; i++)
        max = ns[i] > max ? ns[i] : max;
    printf("stop-the-world, 2 spinning threads: median %.1f us, max %.1f us "
           "(%d stops)\n", median(ns, STOPS) / 1e3, max / 1e3, STOPS);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: " PROG "\n"
               "  no options: splits CPU-bound work over 1 and 2 threads, then "
               "times a\n"
               "  checkpoint and a stop-the-world pause (a few seconds)\n");
}

int main(int argc, char **argv)
{
    ftcli c = ftcli_start(PROG, usage, argc, argv, 1);
    while (ftcli_next(&c))
        ftcli_unknown(&c);
    if (ft_init(NULL) != 0) {
        fprintf(stderr, "ftbench-smoke: ft_init: %s\n", ft_err_message());
        return 1;
    }
    printf("ftbench-smoke: flavor %s, GIL %s, switch interval %ld us\n",
           ft_flavor(), ft_gil_is_enabled() ? "on" : "off",
           ft_get_switch_interval_us());
    bench_split();
    bench_checkpoint();
    bench_stw();
    return ft_fini(NULL) == 0 ? 0 : 1;
}
