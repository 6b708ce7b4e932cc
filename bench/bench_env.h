/* bench_env.h — what every ftlab benchmark reports about where it ran,
 * and the few helpers and constants all of them share (clock, JSON
 * strings, the convoy sweep). The command line is cli.h's. */
#ifndef FTLAB_BENCH_ENV_H
#define FTLAB_BENCH_ENV_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#if defined(__clang__)
#  define FTBENCH_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#  define FTBENCH_COMPILER "gcc " __VERSION__
#else
#  define FTBENCH_COMPILER __VERSION__
#endif

/* The switch intervals, in microseconds, at which ftbench runs its mixed
 * workloads (the convoy effect) unless --switch-interval-us picks one, and
 * which ftbench-compare's convoy table reads back: one list, so the
 * driver and the report cannot sweep different points
 * (docs/architecture.md, "Benchmarks and papers"). */
enum { FTBENCH_CONVOY_INTERVALS = 3 };
extern const long ftbench_convoy_intervals_us[FTBENCH_CONVOY_INTERVALS];

/* The machine and the tree a run comes from. */
typedef struct ftbench_env {
    char cpu[128];       /* /proc/cpuinfo "model name", or "unknown"      */
    char kernel[256];    /* uname: system, release, machine               */
    char date[32];       /* UTC, ISO 8601, when read                      */
    char commit[64];     /* see ftbench_read_commit                       */
    long cores;          /* online processors                             */
} ftbench_env;

/* The source tree's commit at run time ("-dirty" when it has changes),
 * "unknown" outside a git checkout. Call before starting threads. */
void ftbench_read_commit(char *out, size_t len);

/* Everything above; runs git, so call it before starting threads. */
void ftbench_read_env(ftbench_env *e);

/* s as a JSON string literal, quotes and escapes included. */
void ftbench_json_string(FILE *f, const char *s);

/* "prog: message" on stderr, then exit(1): a run that cannot go on (a
 * failed self-check or system call). Usage errors are cli.h's (exit 2). */
__attribute__((format(printf, 2, 0), noreturn))
void ftbench_vfail(const char *prog, const char *fmt, va_list ap);
__attribute__((format(printf, 2, 3), noreturn))
void ftbench_fail(const char *prog, const char *fmt, ...);

/* The median of n values (v is not changed); NaN when n is 0. */
double ftbench_median(const double *v, int n);

/* CLOCK_MONOTONIC in nanoseconds: what every benchmark times with. */
static inline uint64_t ftbench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif /* FTLAB_BENCH_ENV_H */
