/* ftbench.h — the driver of ftbench-<flavor> and the workloads it runs.
 *
 * Glossary
 *   workload     a named, self-checking piece of work (bench/workloads/),
 *                of kind cpu, io or mixed.
 *   unit         one piece of a workload's work: a tree built and freed,
 *                1000 n-body steps, one echo request... A run does `work`
 *                units in all.
 *   run          one timed execution: start the workers, each does its
 *                share of the units, join them. Every run checks its own
 *                result; a wrong one stops the program (exit 1), so a
 *                broken build fails instead of reporting a fast time.
 *   measurement  one workload at one thread count (and, for mixed
 *                workloads, one switch interval and CPU-thread count):
 *                a fresh runtime (ft_init with the --malloc and
 *                --switch-interval-us overrides), warm-up runs, timed runs,
 *                ft_fini, which must find no live object or block.
 *   mode         total: `work` units are split across the threads (the
 *                time shows speed-up); per-thread: every thread does
 *                `work` units (the time shows how well the flavor scales).
 *
 * The JSON file (--json FILE), schema "ftbench/1", read by the compare step:
 *
 *   {"schema": "ftbench/1",
 *    "env": {"flavor": "gil"|"nogil"|"nogil-atomic",
 *            "allocator": "obmalloc"|"mimalloc"|"malloc" (as running),
 *            "switch_interval_us": N (the default of this invocation),
 *            "gil": true|false (the GIL is on),
 *            "commit": "git describe --dirty", "compiler": "...",
 *            "cpu_model": "...", "cores": N, "kernel": "...",
 *            "date": "YYYY-MM-DDTHH:MM:SSZ",
 *            "ft_debug": 0..3, "gc_stress": bool, "rc_stats": bool (the
 *            build's toggles),
 *            "quick": bool, "validate": bool, "repeats": N, "warmup": N,
 *            "client_delay_us": N (convoy's client, --client-delay-us),
 *            "timer_slack_ns": N (every thread's, --timer-slack-ns)},
 *    "results": [
 *      {"workload": "bintrees", "kind": "cpu"|"io"|"mixed",
 *       "threads": N (workers; for mixed workloads the CPU-bound threads
 *                     beside the I/O pair, 0 = alone),
 *       "mode": "total"|"per-thread",
 *       "switch_interval_us": N (in force for this measurement),
 *       "unit": "s" (value = seconds per run, lower is better) or
 *               "req/s" (value = requests per second, higher is better),
 *       "work": N (units of work per run, all threads together),
 *       "samples_ns": [every timed run's wall time, in run order],
 *       "value_median": the median run in `unit`,
 *       "metrics": {"throughput": units per second at the median run,
 *                   "gil_handovers": per run, "gc_collections": per run,
 *                   "gc_pause_p50_ns", "gc_pause_p99_ns", "gc_pause_max_ns",
 *                   "gc_pause_mean_ns" (over the timed runs, when any
 *                   collection ran; the quantiles are histogram buckets,
 *                   19% apart, the mean is exact),
 *                   in FT_RC_STATS builds (env.rc_stats) the refcount
 *                   operations of one run by the path they took, the sum
 *                   over the timed runs divided by their number:
 *                   "rc_fast" (owner / under the GIL), "rc_atomic",
 *                   "rc_immortal" (skipped), "rc_queued" (decrefs handed
 *                   to the owner), "rc_merged" (ftlab/refcount.h; the
 *                   operations of liburcu's call_rcu thread are not
 *                   counted),
 *                   and workload-specific numbers (convoy:
 *                   "cpu_floats_per_s", what the CPU threads beside the
 *                   echo pair got done; "server_gil_waits_per_req" and
 *                   "server_gil_wait_us_per_req", how often and how
 *                   long per request the echo server waited for the
 *                   GIL)}}]}
 *
 * A mixed workload's client stops after a time budget when it is slow
 * (under a GIL beside CPU threads); its samples are then the time the
 * whole `work` would have taken at the measured rate.
 *
 * Adding a workload: write a `ftb_workload` in bench/workloads/, list it
 * in ftb_workloads (workloads/registry.c), make every unit check itself.
 * Adding a Python workload: a program in bench/py/ that takes
 * harness.py's command line and checks its result, and a line in
 * workloads/py.c's table (any other file runs as py:PATH).
 */
#ifndef FTBENCH_H
#define FTBENCH_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <ftlab.h>

enum { FTB_MAX_THREADS = 64, FTB_MAX_METRICS = 8, FTB_MAX_MORE = 2 };

typedef enum ftb_kind { FTB_CPU, FTB_IO, FTB_MIXED } ftb_kind;   /* + "py" */
typedef enum ftb_size { FTB_FULL, FTB_QUICK, FTB_VALIDATE, FTB_NSIZES } ftb_size;

/* What one worker thread of a run is given and reports back. */
typedef struct ftb_worker {
    int index;               /* 0 .. nthreads-1                           */
    int nthreads;
    long units;              /* units this worker does in this run        */
    void *state;             /* the workload's, from setup                */
    int cpu_threads;         /* mixed workloads: CPU threads beside       */
    uint64_t timed_ns;       /* when set, the run's time instead of the
                                driver's wall clock (mixed workloads time
                                the I/O loop only); the longest counts    */
    double extra;            /* a workload-specific number (extra_name)   */
    double more[FTB_MAX_MORE];  /* more of them (more_names)              */
    char error[200];         /* a failed self-check (ftb_worker_fail)     */
} ftb_worker;

typedef struct ftb_workload {
    const char *name;
    ftb_kind kind;
    const char *desc;        /* one line, for `list`                      */
    const char *unit;        /* "s" or "req/s"                            */
    long units[FTB_NSIZES];  /* work per run: full, --quick, --validate   */
    int variant;             /* passed to setup: one setup, several
                                workloads (e.g. mortal vs immortal)       */
    /* Called once per measurement, on the main thread after ft_init:
     * shared objects, files, sockets. Exits with ftb_fail on failure. */
    void *(*setup)(ftb_size size, int variant);
    /* One worker's share of a run: w->units units, checking each. */
    void (*worker)(ftb_worker *w);
    /* After every run, on the main thread, with the run's workers (an
     * array): checks that need all of them done (e.g. a shared object's
     * count is back where it was); failures go to ftb_worker_fail(w). */
    void (*after_run)(void *state, ftb_worker *w, int nthreads);
    void (*teardown)(void *state);
    const char *extra_name;  /* metric name of ftb_worker.extra (summed
                                over workers, averaged over runs), or NULL */
    const char *more_names[FTB_MAX_MORE];   /* the same for ftb_worker.more */
} ftb_workload;

extern const ftb_workload *const ftb_workloads[];   /* NULL-terminated */

/* ---- Python workloads (workloads/py.c) ---------------------------------
 *
 * Kind "py": a Python program run as a child process, one process per
 * run, under an ftpy flavor (default: ftpy-<flavor> beside this build's
 * ftbench) or any interpreter (--python). py.c's head comment says how a
 * run is spawned, timed and checked, and what the program may print.
 *
 * In the JSON a py measurement is an ftbench/1 result whose workload is
 * "py:NAME", kind "py", mode "per-thread", unit "s", work = threads (the
 * programs replicate their work per thread, so speed-up = N t1 / tN),
 * switch_interval_us 0, and, beside samples_ns (the wall times):
 *   "program": the file, "argv": [the arguments after the program],
 *   "check": the program's stdout without its metric lines (the last
 *            run's self-check text, equal across interpreters),
 *   "runs": [{"wall_ns", "cpu_ns" (user + system), "max_rss_kb" (peak
 *             RSS), "metrics": {NAME: VALUE}} per timed run],
 *   "metric_units": {NAME: UNIT} for metrics printed with a unit,
 *   "metrics": {"throughput", "cpu_ns" and "max_rss_kb" (medians over the
 *               timed runs), and every program metric's median}.
 * env gains "interpreter": {"kind": "ftpy-<flavor>"|"cpython"|..., "path"
 * (what runs: the interpreter's sys.executable), "given" (as named),
 * "version": sys.version's first line}. */
enum { FTB_PY_MAX_METRICS = 16, FTB_PY_MAX_ARGS = 16 };

typedef struct ftb_pyprog {
    const char *name;        /* "py:nbody", as `list` and the JSON say     */
    const char *path;        /* the program file                           */
    const char *args[2];     /* fixed arguments first (a snippet's name)   */
    const char *desc;
} ftb_pyprog;

typedef struct ftb_pymetric {
    char name[48];
    char unit[16];           /* "" when the line gave none                 */
    double value;
} ftb_pymetric;

/* One run of a program: the child's wall time (spawn to exit), its CPU
 * time and peak RSS (wait4's rusage) and the metric lines it printed. */
typedef struct ftb_pyrun {
    uint64_t wall_ns, cpu_ns;
    long max_rss_kb;
    int nmetrics;
    ftb_pymetric metric[FTB_PY_MAX_METRICS];
} ftb_pyrun;

/* The interpreter every py run of an invocation uses. */
typedef struct ftb_interp {
    char given[4096];        /* as named: --python's or --ftpy's value     */
    char path[4096];         /* what runs: its sys.executable, resolved    */
    char kind[32];           /* "ftpy-gil", "cpython", ...                 */
    char version[256];       /* sys.version, first line                    */
} ftb_interp;

/* The programs `spec` ("py:..." as py.c's head comment lists) names, at
 * most max, into out; -1 when it names none (an unknown name or an
 * unreadable file). */
int ftb_py_select(const char *spec, const ftb_pyprog **out, int max);
/* The `list` lines of the py workloads. */
void ftb_py_list(void);
/* Whether `name` is an executable: a path as given, a bare name looked up
 * in $PATH (as a shell would); the path found into out. */
bool ftb_py_which(const char *name, char *out, size_t len);
/* Finds the interpreter (python or ftpy when given, else this flavor's
 * ftpy) and asks it for sys.version; exits 1 when it cannot. */
void ftb_py_interp(ftb_interp *it, const char *python, const char *ftpy);
/* The argv of one run (interpreter, program, arguments, NULL) into argv
 * (room for 8 + FTB_PY_MAX_ARGS), the thread count's digits in nbuf (16
 * bytes); returns the count. The other strings are the caller's or
 * static. */
int ftb_py_argv(const ftb_interp *it, const ftb_pyprog *p, int threads,
                ftb_size size, char *const *extra, int nextra, char *nbuf,
                char **argv);
/* One run of p in `threads` threads at `size`, with the extra arguments
 * (--py-arg); the self-check text into check (shown when verbose). A
 * failed run exits 1 with the program's stderr. */
void ftb_py_run(const ftb_interp *it, const ftb_pyprog *p, int threads,
                ftb_size size, char *const *extra, int nextra, bool verbose,
                ftb_pyrun *r, char *check, size_t check_len);

/* A failed self-check in a worker: records the message; the driver
 * reports it with the workload and run, and exits 1. */
__attribute__((format(printf, 2, 3)))
void ftb_worker_fail(ftb_worker *w, const char *fmt, ...);
/* Unrecoverable (setup, a system call): message on stderr, exit 1. */
__attribute__((format(printf, 1, 2), noreturn))
void ftb_fail(const char *fmt, ...);
/* A runtime call returned NULL or -1: exit 1 with the runtime's error. */
__attribute__((noreturn)) void ftb_fail_ft(const char *what);

/* Checked allocation helpers for workloads: exit on a runtime error. */
static inline ft_object *ftb_ok(ft_object *o, const char *what)
{
    if (!o)
        ftb_fail_ft(what);
    return o;
}
static inline void ftb_ok_int(int rc, const char *what)
{
    if (rc < 0)
        ftb_fail_ft(what);
}

/* Starts fn(arg) on a new registered thread / joins it; exit on error. */
ft_thread *ftb_thread_start(void (*fn)(void *), void *arg);
void ftb_thread_join(ft_thread *t);

/* A detached nanosleep (FT_BEGIN/END_ALLOW_THREADS around it). */
void ftb_sleep_ns(uint64_t ns);

/* The 64-bit LCG every workload draws its deterministic data from. */
static inline uint64_t ftb_rand(uint64_t *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return *x >> 17;
}

/* How often workers call ft_checkpoint: once per this many object
 * operations, about a microsecond of work (an interpreter checks its eval
 * breaker far more often; this keeps GIL hand-over latency well under a
 * switch interval without measuring the checkpoint itself). */
enum { FTB_CHECK_EVERY = 64 };

/* convoy: what its outside client waits before each request, in
 * microseconds (--client-delay-us; workloads/io.c says why it waits). */
enum { FTB_CLIENT_DELAY_US = 200 };
extern long ftb_client_delay_us;

#endif /* FTBENCH_H */
