/* bench_env.h — what every ftlab benchmark reports about where it ran,
 * and the few helpers all of them share (clock, JSON strings). */
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

/* "prog: message" on stderr, then exit(1). */
__attribute__((format(printf, 2, 0), noreturn))
void ftbench_vfail(const char *prog, const char *fmt, va_list ap);

/* The median of n > 0 values (v is not changed). */
double ftbench_median(const double *v, int n);

/* CLOCK_MONOTONIC in nanoseconds: what every benchmark times with. */
static inline uint64_t ftbench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif /* FTLAB_BENCH_ENV_H */
