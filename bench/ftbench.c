/* ftbench.c — the ftbench-<flavor> driver: command line, measurements,
 * progress and JSON (the schema is in ftbench.h).
 *
 *   ftbench-<flavor> list
 *   ftbench-<flavor> run [--workload LIST] [--threads LIST] [--mode M]
 *                        [--repeats N] [--warmup N] [--quick] [--validate]
 *                        [--malloc B] [--switch-interval-us N] [--json FILE]
 *                        [--cpu-threads LIST] [--client-delay-us N]
 *                        [--timer-slack-ns N] [--python PATH | --ftpy PATH]
 *                        [--py-arg ARG]... [--verbose]
 *
 * Every measurement of a C workload starts a fresh runtime, so the
 * allocator and the switch interval are those asked for and nothing of one
 * workload (heap shape, GC generations) leaks into the next; ft_fini must
 * then find no live object or block, which checks the workload's reference
 * counting. A py workload (workloads/py.c) is a child process per run
 * instead, under ftpy-<flavor> or the interpreter named; the same plan,
 * progress, repeats and JSON carry both.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include "bench_env.h"
#include "cli.h"
#include "ftbench.h"

#define PROG "ftbench"

enum { MAX_REPEATS = 1000, MAX_RESULTS = 512, MAX_COUNTS = 16 };

static const char *const kind_names[] = { "cpu", "io", "mixed" };

typedef enum mode { MODE_TOTAL, MODE_PER_THREAD } mode;
static const char *const mode_names[] = { "total", "per-thread" };
static const char *const malloc_names[] = { "obmalloc", "mimalloc", "malloc" };

static struct {
    bool selected[64];          /* by index in ftb_workloads              */
    int threads[MAX_COUNTS], nthreads;
    int cpu[MAX_COUNTS], ncpu;  /* mixed workloads: CPU threads beside    */
    mode mode;
    int repeats, warmup;
    ftb_size size;
    const char *malloc;         /* NULL: environment or default           */
    long interval_us;           /* 0: environment or default              */
    const char *json_path;
    bool tty;
    /* py workloads: the programs, in the order named, and how to run them */
    const ftb_pyprog *py[64];
    int npy;
    const char *python, *ftpy;  /* --python / --ftpy; NULL: ftpy-<flavor> */
    char *py_args[FTB_PY_MAX_ARGS];
    int npy_args;
    bool verbose;               /* show the programs' self-check text     */
} opt;

/* The interpreter of the py workloads, found once before the first run. */
static ftb_interp interp;

/* The command line: main() starts it at argv[2], after the command. */
static ftcli cli;

/* ---- Errors ---------------------------------------------------------------- */

void ftb_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (opt.tty)
        fputc('\n', stderr);
    ftbench_vfail(PROG "-" FT_FLAVOR, fmt, ap);
}

void ftb_fail_ft(const char *what)
{
    ftb_fail("%s failed: %s", what, ft_err_message());
}

void ftb_worker_fail(ftb_worker *w, const char *fmt, ...)
{
    if (w->error[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->error, sizeof w->error, fmt, ap);
    va_end(ap);
}

/* ---- Helpers shared with the workloads --------------------------------- */

ft_thread *ftb_thread_start(void (*fn)(void *), void *arg)
{
    ft_thread *t = ft_thread_start(fn, arg);
    if (!t)
        ftb_fail_ft("ft_thread_start");
    return t;
}

void ftb_thread_join(ft_thread *t)
{
    if (ft_thread_join(t) != 0)
        ftb_fail_ft("ft_thread_join");
}

void ftb_sleep_ns(uint64_t ns)
{
    struct timespec d = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
    FT_BEGIN_ALLOW_THREADS
    while (nanosleep(&d, &d) != 0 && errno == EINTR)
        ;
    FT_END_ALLOW_THREADS
}

/* ---- Options ------------------------------------------------------------------ */

/* "5000, 1000 and 100": the convoy sweep as the help says it. */
static void sweep_text(char *out, size_t len)
{
    size_t used = 0;
    for (int k = 0; k < FTBENCH_CONVOY_INTERVALS && used < len; k++)
        used += (size_t)snprintf(out + used, len - used, "%s%ld",
                                 k == 0 ? "" : k == FTBENCH_CONVOY_INTERVALS - 1
                                                   ? " and " : ", ",
                                 ftbench_convoy_intervals_us[k]);
}

static void usage(FILE *f)
{
    char sweep[64];
    sweep_text(sweep, sizeof sweep);
    fprintf(f,
        "usage: " PROG "-%s list\n"
        "       " PROG "-%s run [options]\n"
        "  --workload LIST        names, or all|cpu|io|mixed (the C workloads),\n"
        "                         or py:... (below), comma-separated (default all)\n"
        "  --threads LIST         worker threads, e.g. 1,2,4 (default 1,2); mixed\n"
        "                         workloads run alone and beside CPU-bound\n"
        "                         threads instead (--cpu-threads)\n"
        "  --mode total|per-thread  split a fixed total of work across the "
        "threads\n"
        "                         (default), or give every thread the same work\n"
        "  --repeats N            timed runs per measurement (default 5, "
        "--quick 3)\n"
        "  --warmup N             untimed runs first (default 1)\n"
        "  --quick                small sizes (CI, make bench)\n"
        "  --validate             one minimal run of each: only the self-checks\n"
        "  --malloc obmalloc|mimalloc|malloc   the allocator backend\n"
        "  --switch-interval-us N the GIL's switch interval; mixed workloads\n"
        "                         otherwise sweep %s\n"
        "  --cpu-threads LIST     mixed workloads: the CPU-bound threads beside\n"
        "                         the I/O pair (default 0,1,2)\n"
        "  --client-delay-us N    convoy: the client waits N us before each\n"
        "                         request (default %d; 0: back to back)\n"
        "  --timer-slack-ns N     Linux timer slack of every thread (default:\n"
        "                         the kernel's, 50000): how late a timed wait,\n"
        "                         such as the GIL's, may wake\n"
        "  --json FILE            every sample and the environment "
        "(schema ftbench/1)\n"
        "Python workloads (--workload py:NAME, py:PATH, py:suite, py:scaling,\n"
        "py:all; `list` names them): a child process per run, given --threads N,\n"
        "--quick (and --validate) and the --py-arg values:\n"
        "  --ftpy PATH            the ftpy to run them with (default: ftpy-%s\n"
        "                         of this build, ../ftpy/ beside ftbench)\n"
        "  --python PATH          any other interpreter instead, e.g. python3\n"
        "  --py-arg ARG           one more argument for every program "
        "(repeatable)\n"
        "  --verbose              show each run's self-check output\n",
        FT_FLAVOR, FT_FLAVOR, sweep, FTB_CLIENT_DELAY_US, FT_FLAVOR);
}

static int workload_index(const char *name)
{
    for (int i = 0; ftb_workloads[i]; i++)
        if (strcmp(ftb_workloads[i]->name, name) == 0)
            return i;
    return -1;
}

/* One "py:..." item of --workload: its programs, each once. */
static void select_py(const char *tok)
{
    const ftb_pyprog *found[64];
    int n = ftb_py_select(tok, found, 64);
    if (n < 0 && (strchr(tok + 3, '/') || strstr(tok + 3, ".py")))
        ftcli_error(&cli, "no Python program '%s': py:PATH wants a readable file",
                    tok + 3);
    if (n < 0)
        ftcli_error(&cli, "unknown workload '%s' (" PROG "-%s list shows them)",
                    tok, FT_FLAVOR);
    for (int k = 0; k < n; k++) {
        bool dup = false;
        for (int j = 0; j < opt.npy; j++)
            dup |= opt.py[j] == found[k];
        if (!dup && opt.npy == 64)
            ftcli_error(&cli, "too many Python workloads (at most 64)");
        if (!dup)
            opt.py[opt.npy++] = found[k];
    }
}

static void select_workloads(const char *list)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", list) >= (int)sizeof buf)
        ftcli_error(&cli, "--workload wants at most %zu characters", sizeof buf - 1);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (strncmp(tok, "py:", 3) == 0) {
            select_py(tok);
            continue;
        }
        int kind = -1;
        for (int k = 0; k < 3; k++)
            if (strcmp(tok, kind_names[k]) == 0)
                kind = k;
        bool all = strcmp(tok, "all") == 0;
        if (all || kind >= 0) {
            for (int i = 0; ftb_workloads[i]; i++)
                if (all || (int)ftb_workloads[i]->kind == kind)
                    opt.selected[i] = true;
            continue;
        }
        int i = workload_index(tok);
        if (i < 0)
            ftcli_error(&cli, "unknown workload '%s' (" PROG "-%s list shows them)",
                        tok, FT_FLAVOR);
        opt.selected[i] = true;
    }
}

static void parse_run_args(void)
{
    bool any = false, repeats_set = false;
    opt.threads[0] = 1, opt.threads[1] = 2, opt.nthreads = 2;
    opt.cpu[0] = 0, opt.cpu[1] = 1, opt.cpu[2] = 2, opt.ncpu = 3;
    opt.repeats = 5, opt.warmup = 1, opt.size = FTB_FULL;
    while (ftcli_next(&cli)) {
        if (ftcli_option(&cli, "--workload")) {
            select_workloads(cli.value), any = true;
        } else if (ftcli_option(&cli, "--threads")) {
            opt.nthreads = ftcli_list(&cli, 1, FTB_MAX_THREADS, opt.threads, MAX_COUNTS);
        } else if (ftcli_option(&cli, "--cpu-threads")) {
            opt.ncpu = ftcli_list(&cli, 0, FTB_MAX_THREADS, opt.cpu, MAX_COUNTS);
        } else if (ftcli_option(&cli, "--timer-slack-ns")) {
            /* Set here, on the main thread: every thread inherits it. */
            long ns = ftcli_long(&cli, 1, 1000000000);
            if (prctl(PR_SET_TIMERSLACK, (unsigned long)ns, 0, 0, 0) != 0)
                ftb_fail("prctl(PR_SET_TIMERSLACK): %s", strerror(errno));
        } else if (ftcli_option(&cli, "--client-delay-us")) {
            ftb_client_delay_us = ftcli_long(&cli, 0, 1000000);
        } else if (ftcli_option(&cli, "--mode")) {
            opt.mode = (mode)ftcli_choice(&cli, mode_names, 2);
        } else if (ftcli_option(&cli, "--repeats")) {
            opt.repeats = (int)ftcli_long(&cli, 1, MAX_REPEATS);
            repeats_set = true;
        } else if (ftcli_option(&cli, "--warmup")) {
            opt.warmup = (int)ftcli_long(&cli, 0, 100);
        } else if (ftcli_flag(&cli, "--quick")) {
            opt.size = opt.size == FTB_VALIDATE ? FTB_VALIDATE : FTB_QUICK;
        } else if (ftcli_flag(&cli, "--validate")) {
            opt.size = FTB_VALIDATE;
        } else if (ftcli_option(&cli, "--malloc")) {
            opt.malloc = malloc_names[ftcli_choice(&cli, malloc_names, 3)];
        } else if (ftcli_option(&cli, "--switch-interval-us")) {
            opt.interval_us = ftcli_long(&cli, 1, 10000000);
        } else if (ftcli_option(&cli, "--json")) {
            opt.json_path = cli.value;
        } else if (ftcli_option(&cli, "--python")) {
            opt.python = cli.value;
        } else if (ftcli_option(&cli, "--ftpy")) {
            opt.ftpy = cli.value;
        } else if (ftcli_option(&cli, "--py-arg")) {
            if (opt.npy_args == FTB_PY_MAX_ARGS)
                ftcli_error(&cli, "--py-arg at most %d times", FTB_PY_MAX_ARGS);
            opt.py_args[opt.npy_args++] = (char *)cli.value;
        } else if (ftcli_flag(&cli, "--verbose")) {
            opt.verbose = true;
        } else {
            ftcli_unknown(&cli);
        }
    }
    if (opt.python && opt.ftpy)
        ftcli_error(&cli, "--python and --ftpy both name the interpreter: give one");
    const char *ipath = opt.python ? opt.python : opt.ftpy;
    if (ipath && !ftb_py_which(ipath, interp.path, sizeof interp.path))
        ftcli_error(&cli, "%s: no interpreter '%s' (not an executable file, "
                    "nor a command in $PATH)", opt.python ? "--python" : "--ftpy", ipath);
    if (!any)
        select_workloads("all");
    if (opt.size == FTB_VALIDATE)
        opt.repeats = 1, opt.warmup = 0;
    else if (opt.size == FTB_QUICK && !repeats_set)
        opt.repeats = 3;
}

static void list_workloads(void)
{
    for (int i = 0; ftb_workloads[i]; i++)
        printf("%-28s %-5s %s\n", ftb_workloads[i]->name,
               kind_names[ftb_workloads[i]->kind], ftb_workloads[i]->desc);
    ftb_py_list();
}

/* ---- The plan: every measurement, in order ------------------------------ */

typedef struct result {
    const ftb_workload *wl;     /* NULL for a py workload                 */
    const ftb_pyprog *py;       /* NULL for a C workload                  */
    ftb_pyrun *runs;            /* py: every timed run (opt.repeats)      */
    char check[512];            /* py: the self-check text                */
    int threads;                /* workers; mixed: CPU threads beside     */
    long interval_us;           /* 0: the default of this invocation      */
    long work;                  /* units per run, all threads             */
    uint64_t samples[MAX_REPEATS];
    double median_ns;
    double gil_handovers, gc_collections;
    double extra[1 + FTB_MAX_MORE];   /* ftb_worker.extra, .more[]        */
    uint64_t gc_p50, gc_p99, gc_max;
    uint64_t gc_mean;           /* the pauses' mean: the histogram's
                                   quantiles are a bucket (19%) apart     */
    ft_rc_stats rc;             /* FT_RC_STATS builds: the timed runs' sum */
    bool has_rc;
    long interval_in_force;
} result;

static result *results;
static int nresults;

static void plan_add(const ftb_workload *wl, int threads, long interval_us)
{
    if (nresults == MAX_RESULTS)
        ftcli_error(&cli, "too many measurements (at most %d)", MAX_RESULTS);
    result *r = &results[nresults++];
    r->wl = wl, r->threads = threads, r->interval_us = interval_us;
    long units = wl->units[opt.size];
    r->work = wl->kind == FTB_MIXED || opt.mode == MODE_TOTAL ? units
                                                              : units * threads;
    /* Total mode: at least one unit per thread. */
    if (r->work < threads)
        r->work = threads;
}

/* A py workload: per-thread work, one unit per thread (py.c). */
static void plan_add_py(const ftb_pyprog *p, int threads)
{
    if (nresults == MAX_RESULTS)
        ftcli_error(&cli, "too many measurements (at most %d)", MAX_RESULTS);
    result *r = &results[nresults++];
    r->py = p, r->threads = threads, r->work = threads;
}

static void make_plan(void)
{
    results = calloc(MAX_RESULTS, sizeof *results);
    if (!results)
        ftb_fail("out of memory");
    for (int i = 0; ftb_workloads[i]; i++) {
        const ftb_workload *wl = ftb_workloads[i];
        if (!opt.selected[i])
            continue;
        if (wl->kind != FTB_MIXED) {
            for (int t = 0; t < opt.nthreads; t++)
                plan_add(wl, opt.threads[t], opt.interval_us);
            continue;
        }
        for (int k = 0; k < FTBENCH_CONVOY_INTERVALS; k++) {
            if (opt.interval_us && k > 0)
                break;
            for (int c = 0; c < opt.ncpu; c++)
                plan_add(wl, opt.cpu[c], opt.interval_us ? opt.interval_us
                                                         : ftbench_convoy_intervals_us[k]);
        }
    }
    for (int i = 0; i < opt.npy; i++)
        for (int t = 0; t < opt.nthreads; t++)
            plan_add_py(opt.py[i], opt.threads[t]);
}

/* ---- Progress ------------------------------------------------------------------ */

static struct {
    int runs_done, runs_total;
    uint64_t start_ns;
} progress;

static void describe(const result *r, char *out, size_t len)
{
    if (r->py)
        snprintf(out, len, "%s threads=%d %s", r->py->name, r->threads, interp.kind);
    else if (r->wl->kind == FTB_MIXED)
        snprintf(out, len, "%s cpu=%d interval=%ldus", r->wl->name, r->threads,
                 r->interval_in_force);
    else
        snprintf(out, len, "%s threads=%d %s", r->wl->name, r->threads,
                 mode_names[opt.mode]);
}

static void progress_live(const result *r, int run, int runs)
{
    if (!opt.tty)
        return;
    char what[96], eta[32] = "";
    describe(r, what, sizeof what);
    if (progress.runs_done > 0) {
        double per = (double)(ftbench_now_ns() - progress.start_ns) /
                     progress.runs_done / 1e9;
        int left = (int)(per * (progress.runs_total - progress.runs_done) + 0.5);
        snprintf(eta, sizeof eta, "ETA %d:%02d", left / 60, left % 60);
    }
    fprintf(stderr, "\r\033[K[%d/%d] %s run %d/%d %s", (int)(r - results) + 1,
            nresults, what, run, runs, eta);
}

static void progress_done(const result *r)
{
    char what[96];
    describe(r, what, sizeof what);
    const char *unit = r->py ? "s" : r->wl->unit;
    double v = strcmp(unit, "s") == 0 ? r->median_ns / 1e9
                                      : r->work / (r->median_ns / 1e9);
    fprintf(stderr, "%s" PROG "-%s: [%d/%d] %-40s median %10.4g %-5s (%d runs)\n",
            opt.tty ? "\r\033[K" : "", FT_FLAVOR, (int)(r - results) + 1,
            nresults, what, v, unit, opt.repeats);
}

/* ---- One run ------------------------------------------------------------------- */

/* The workload of the run in progress: workers read it, the main thread
 * sets it before starting them (ft_thread_start orders the two). */
static const ftb_workload *running;

static void worker_main(void *arg)
{
    running->worker(arg);
}

/* Runs `r` once with fresh workers; checks every worker's result; returns
 * the run's time (the workers' own, when they time themselves). */
static uint64_t run_once(result *r, void *state, double extra[1 + FTB_MAX_MORE])
{
    static ftb_worker ws[FTB_MAX_THREADS];
    static ft_thread *handles[FTB_MAX_THREADS];
    int n = r->wl->kind == FTB_MIXED ? 1 : r->threads;
    running = r->wl;
    for (int i = 0; i < n; i++) {
        ws[i] = (ftb_worker){ .index = i, .nthreads = n, .state = state };
        ws[i].cpu_threads = r->wl->kind == FTB_MIXED ? r->threads : 0;
        ws[i].units = opt.mode == MODE_TOTAL || r->wl->kind == FTB_MIXED
                          ? r->work / n + (i < r->work % n)
                          : r->work / n;
    }
    uint64_t t0 = ftbench_now_ns();
    for (int i = 0; i < n; i++)
        handles[i] = ftb_thread_start(worker_main, &ws[i]);
    for (int i = 0; i < n; i++)
        ftb_thread_join(handles[i]);
    uint64_t ns = ftbench_now_ns() - t0, own = 0;
    if (r->wl->after_run)
        r->wl->after_run(state, ws, n);
    memset(extra, 0, (1 + FTB_MAX_MORE) * sizeof *extra);
    for (int i = 0; i < n; i++) {
        if (ws[i].error[0]) {
            char what[96];
            describe(r, what, sizeof what);
            ftb_fail("%s: worker %d: self-check FAILED: %s", what, i, ws[i].error);
        }
        own = ws[i].timed_ns > own ? ws[i].timed_ns : own;
        extra[0] += ws[i].extra;
        for (int m = 0; m < FTB_MAX_MORE; m++)
            extra[1 + m] += ws[i].more[m];
    }
    return own ? own : ns;
}

/* ---- One measurement ------------------------------------------------------- */

static double median_of(const uint64_t *v, int n)
{
    double d[MAX_REPEATS];
    for (int i = 0; i < n; i++)
        d[i] = (double)v[i];
    return ftbench_median(d, n);
}

static void start_runtime(long interval_us)
{
    ft_config cfg = FT_CONFIG_INIT;
    cfg.malloc = opt.malloc;
    cfg.switch_interval_us = interval_us;
    if (ft_init(&cfg) != 0)
        ftb_fail("ft_init: %s", ft_err_message());
}

static void stop_runtime(const char *what)
{
    ft_fini_report rep;
    if (ft_fini(&rep) != 0)
        ftb_fail("ft_fini after %s: %s", what, ft_err_message());
    if (rep.objects != 0 || rep.blocks != 0 || rep.threads != 0)
        ftb_fail("ft_fini after %s: %lld objects, %lld blocks (%lld bytes) and "
                 "%zu threads still alive: the workload or the runtime leaks",
                 what, (long long)rep.objects, (long long)rep.blocks,
                 (long long)rep.bytes, rep.threads);
}

static uint64_t gc_collections(void)
{
    ft_gc_gen_stats st[FT_GC_GENERATIONS];
    ft_gc_get_stats(st);
    uint64_t n = 0;
    for (int g = 0; g < FT_GC_GENERATIONS; g++)
        n += st[g].collections;
    return n;
}

static void measure(result *r)
{
    start_runtime(r->interval_us);
    r->interval_in_force = ft_get_switch_interval_us();
    void *state = r->wl->setup ? r->wl->setup(opt.size, r->wl->variant) : NULL;
    int runs = opt.warmup + opt.repeats;
    double extra[1 + FTB_MAX_MORE], extra_sum[1 + FTB_MAX_MORE] = { 0 };
    uint64_t gc0 = 0;
    ft_gil_stats gs;
    for (int k = 0; k < runs; k++) {
        if (k == opt.warmup) {
            ft_gil_reset_stats();
            ft_gc_reset_pause_stats();
            gc0 = gc_collections();
            ft_rc_reset_stats();
        }
        progress_live(r, k + 1, runs);
        uint64_t ns = run_once(r, state, extra);
        progress.runs_done++;
        if (k >= opt.warmup) {
            r->samples[k - opt.warmup] = ns;
            for (int m = 0; m < 1 + FTB_MAX_MORE; m++)
                extra_sum[m] += extra[m];
        }
    }
    /* Before teardown: what the workload's timed runs did, not its cleanup. */
    r->has_rc = ft_rc_get_stats(&r->rc);
    ft_gil_get_stats(&gs);
    ft_gc_pause_stats ps;
    ft_gc_get_pause_stats(&ps);
    r->gc_collections = (double)(gc_collections() - gc0) / opt.repeats;
    r->gil_handovers = (double)gs.handovers / opt.repeats;
    r->gc_p50 = ft_gc_histogram_quantile(&ps.pause, 0.5);
    r->gc_p99 = ft_gc_histogram_quantile(&ps.pause, 0.99);
    r->gc_max = ps.pause.max_ns;
    r->gc_mean = ps.pause.count ? ps.pause.total_ns / ps.pause.count : 0;
    for (int m = 0; m < 1 + FTB_MAX_MORE; m++)
        r->extra[m] = extra_sum[m] / opt.repeats;
    if (r->wl->teardown)
        r->wl->teardown(state);
    stop_runtime(r->wl->name);
    r->median_ns = median_of(r->samples, opt.repeats);
    progress_done(r);
}

/* A py workload: warm-up and timed runs, each a fresh process (py.c). */
static void measure_py(result *r)
{
    r->runs = calloc((size_t)opt.repeats, sizeof *r->runs);
    if (!r->runs)
        ftb_fail("out of memory");
    int runs = opt.warmup + opt.repeats;
    for (int k = 0; k < runs; k++) {
        ftb_pyrun warm, *into = k < opt.warmup ? &warm : &r->runs[k - opt.warmup];
        progress_live(r, k + 1, runs);
        ftb_py_run(&interp, r->py, r->threads, opt.size, opt.py_args, opt.npy_args,
                   opt.verbose, into, r->check, sizeof r->check);
        progress.runs_done++;
        if (k >= opt.warmup)
            r->samples[k - opt.warmup] = into->wall_ns;
    }
    r->median_ns = median_of(r->samples, opt.repeats);
    progress_done(r);
}

/* ---- JSON ---------------------------------------------------------------------- */

static void json_kv_str(FILE *f, const char *k, const char *v, const char *sep)
{
    fprintf(f, "\"%s\": ", k);
    ftbench_json_string(f, v);
    fputs(sep, f);
}

static void json_env(FILE *f, const ftbench_env *e, const char *allocator,
                     long interval_us, bool gil)
{
    fprintf(f, "  \"env\": {");
    json_kv_str(f, "flavor", ft_flavor(), ", ");
    json_kv_str(f, "allocator", allocator, ", ");
    fprintf(f, "\"switch_interval_us\": %ld, \"gil\": %s,\n    ", interval_us,
            gil ? "true" : "false");
    json_kv_str(f, "commit", e->commit, ", ");
    json_kv_str(f, "compiler", FTBENCH_COMPILER, ",\n    ");
    json_kv_str(f, "cpu_model", e->cpu, ", ");
    fprintf(f, "\"cores\": %ld, ", e->cores);
    json_kv_str(f, "kernel", e->kernel, ",\n    ");
    json_kv_str(f, "date", e->date, ", ");
    fprintf(f, "\"ft_debug\": %d, \"gc_stress\": %s, \"rc_stats\": %s,\n    ",
            FT_DEBUG, FT_GC_STRESS ? "true" : "false", FT_RC_STATS ? "true" : "false");
    fprintf(f, "\"quick\": %s, \"validate\": %s, \"repeats\": %d, \"warmup\": %d,\n"
               "    \"client_delay_us\": %ld, \"timer_slack_ns\": %d",
            opt.size == FTB_QUICK ? "true" : "false",
            opt.size == FTB_VALIDATE ? "true" : "false", opt.repeats, opt.warmup,
            ftb_client_delay_us, prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    if (opt.npy) {
        fprintf(f, ",\n    \"interpreter\": {");
        json_kv_str(f, "kind", interp.kind, ", ");
        json_kv_str(f, "path", interp.path, ", ");
        json_kv_str(f, "given", interp.given, ",\n      ");
        json_kv_str(f, "version", interp.version, "}");
    }
    fprintf(f, "},\n");
}

/* FT_RC_STATS builds: the refcount operations of one run, by path (the
 * timed runs' sum divided by their number). */
static void json_rc(FILE *f, const ft_rc_stats *rc)
{
    double n = opt.repeats;
    fprintf(f, ",\n       \"rc_fast\": %.1f, \"rc_atomic\": %.1f, \"rc_immortal\": %.1f, "
               "\"rc_queued\": %.1f, \"rc_merged\": %.1f",
            (double)rc->fast / n, (double)rc->atomic / n, (double)rc->immortal / n,
            (double)rc->queued / n, (double)rc->merged / n);
}

static void json_result(FILE *f, const result *r, bool last)
{
    double secs = r->median_ns / 1e9;
    bool rate = strcmp(r->wl->unit, "s") != 0;
    fprintf(f, "    {\"workload\": \"%s\", \"kind\": \"%s\", \"threads\": %d, "
               "\"mode\": \"%s\", \"switch_interval_us\": %ld,\n"
               "     \"unit\": \"%s\", \"work\": %ld, \"samples_ns\": [",
            r->wl->name, kind_names[r->wl->kind], r->threads,
            mode_names[r->wl->kind == FTB_MIXED ? MODE_TOTAL : opt.mode],
            r->interval_in_force, r->wl->unit, r->work);
    for (int i = 0; i < opt.repeats; i++)
        fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)r->samples[i]);
    fprintf(f, "],\n     \"value_median\": %.9g,\n     \"metrics\": {"
               "\"throughput\": %.6g, \"gil_handovers\": %.1f, "
               "\"gc_collections\": %.1f",
            rate ? r->work / secs : secs, r->work / secs, r->gil_handovers,
            r->gc_collections);
    if (r->gc_max)
        fprintf(f, ", \"gc_pause_p50_ns\": %llu, \"gc_pause_p99_ns\": %llu, "
                   "\"gc_pause_max_ns\": %llu, \"gc_pause_mean_ns\": %llu",
                (unsigned long long)r->gc_p50, (unsigned long long)r->gc_p99,
                (unsigned long long)r->gc_max, (unsigned long long)r->gc_mean);
    if (r->has_rc)
        json_rc(f, &r->rc);
    if (r->wl->extra_name)
        fprintf(f, ", \"%s\": %.6g", r->wl->extra_name, r->extra[0]);
    for (int m = 0; m < FTB_MAX_MORE; m++)
        if (r->wl->more_names[m])
            fprintf(f, ", \"%s\": %.6g", r->wl->more_names[m], r->extra[1 + m]);
    fprintf(f, "}}%s\n", last ? "" : ",");
}

/* ---- JSON of a py workload (ftbench.h, "Python workloads") ------------- */

/* The median over the timed runs of one program metric (the runs that
 * printed it). */
static double py_metric_median(const result *r, const char *name)
{
    double v[MAX_REPEATS];
    int n = 0;
    for (int k = 0; k < opt.repeats; k++)
        for (int m = 0; m < r->runs[k].nmetrics; m++)
            if (strcmp(r->runs[k].metric[m].name, name) == 0)
                v[n++] = r->runs[k].metric[m].value;
    return ftbench_median(v, n);
}

/* Every metric name any timed run printed, once, in first-seen order;
 * returns how many (their units beside). */
static int py_metric_names(const result *r, const ftb_pymetric **out, int max)
{
    int n = 0;
    for (int k = 0; k < opt.repeats; k++)
        for (int m = 0; m < r->runs[k].nmetrics; m++) {
            const ftb_pymetric *x = &r->runs[k].metric[m];
            bool seen = false;
            for (int j = 0; j < n; j++)
                seen |= strcmp(out[j]->name, x->name) == 0;
            if (!seen && n < max)
                out[n++] = x;
        }
    return n;
}

static void json_py_runs(FILE *f, const result *r)
{
    fprintf(f, "     \"runs\": [");
    for (int k = 0; k < opt.repeats; k++) {
        const ftb_pyrun *x = &r->runs[k];
        fprintf(f, "%s\n       {\"wall_ns\": %llu, \"cpu_ns\": %llu, "
                   "\"max_rss_kb\": %ld, \"metrics\": {", k ? "," : "",
                (unsigned long long)x->wall_ns, (unsigned long long)x->cpu_ns,
                x->max_rss_kb);
        for (int m = 0; m < x->nmetrics; m++) {
            fprintf(f, "%s", m ? ", " : "");
            ftbench_json_string(f, x->metric[m].name);
            fprintf(f, ": %.9g", x->metric[m].value);
        }
        fprintf(f, "}}");
    }
    fprintf(f, "],\n");
}

static void json_py_result(FILE *f, const result *r, bool last)
{
    double cpu[MAX_REPEATS], rss[MAX_REPEATS];
    for (int k = 0; k < opt.repeats; k++)
        cpu[k] = (double)r->runs[k].cpu_ns, rss[k] = (double)r->runs[k].max_rss_kb;
    fprintf(f, "    {\"workload\": ");
    ftbench_json_string(f, r->py->name);
    fprintf(f, ", \"kind\": \"py\", \"threads\": %d, \"mode\": \"per-thread\", "
               "\"switch_interval_us\": 0,\n     \"unit\": \"s\", \"work\": %ld, "
               "\"program\": ", r->threads, r->work);
    ftbench_json_string(f, r->py->path);
    char nbuf[16], *argv[8 + FTB_PY_MAX_ARGS];
    int argc = ftb_py_argv(&interp, r->py, r->threads, opt.size, opt.py_args,
                           opt.npy_args, nbuf, argv);
    fprintf(f, ",\n     \"argv\": [");
    for (int i = 2; i < argc; i++) {
        fprintf(f, "%s", i > 2 ? ", " : "");
        ftbench_json_string(f, argv[i]);
    }
    fprintf(f, "],\n     \"check\": ");
    ftbench_json_string(f, r->check);
    fprintf(f, ",\n     \"samples_ns\": [");
    for (int i = 0; i < opt.repeats; i++)
        fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)r->samples[i]);
    fprintf(f, "],\n");
    json_py_runs(f, r);
    const ftb_pymetric *names[FTB_PY_MAX_METRICS];
    int n = py_metric_names(r, names, FTB_PY_MAX_METRICS), units = 0;
    fprintf(f, "     \"metric_units\": {");
    for (int j = 0; j < n; j++)
        if (names[j]->unit[0]) {
            fprintf(f, "%s", units++ ? ", " : "");
            ftbench_json_string(f, names[j]->name);
            fprintf(f, ": ");
            ftbench_json_string(f, names[j]->unit);
        }
    fprintf(f, "},\n     \"value_median\": %.9g,\n     \"metrics\": {"
               "\"throughput\": %.6g, \"cpu_ns\": %.9g, \"max_rss_kb\": %.9g",
            r->median_ns / 1e9, r->work / (r->median_ns / 1e9),
            ftbench_median(cpu, opt.repeats), ftbench_median(rss, opt.repeats));
    for (int j = 0; j < n; j++) {
        fprintf(f, ", ");
        ftbench_json_string(f, names[j]->name);
        fprintf(f, ": %.9g", py_metric_median(r, names[j]->name));
    }
    fprintf(f, "}}%s\n", last ? "" : ",");
}

static void write_json(const ftbench_env *e, const char *allocator,
                       long interval_us, bool gil)
{
    FILE *f = fopen(opt.json_path, "w");
    if (!f)
        ftb_fail("cannot write %s: %s", opt.json_path, strerror(errno));
    fprintf(f, "{\"schema\": \"ftbench/1\",\n");
    json_env(f, e, allocator, interval_us, gil);
    fprintf(f, "  \"results\": [\n");
    for (int i = 0; i < nresults; i++) {
        if (results[i].py)
            json_py_result(f, &results[i], i == nresults - 1);
        else
            json_result(f, &results[i], i == nresults - 1);
    }
    fprintf(f, "  ]}\n");
    if (fclose(f) != 0)
        ftb_fail("cannot write %s: %s", opt.json_path, strerror(errno));
}

/* ---- Main ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    opt.tty = isatty(STDERR_FILENO);
    cli = ftcli_start(PROG "-" FT_FLAVOR, usage, argc, argv, 2);
    if (argc < 2 || ftcli_is_help(argv[1])) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "list") == 0) {
        if (argc > 2)
            ftcli_error(&cli, "list takes no options");
        list_workloads();
        return 0;
    }
    if (strcmp(argv[1], "run") != 0)
        ftcli_error(&cli, "unknown command '%s' (list or run)", argv[1]);
    parse_run_args();
    make_plan();
    ftbench_env e;
    ftbench_read_env(&e);
    if (opt.npy)
        ftb_py_interp(&interp, opt.python, opt.ftpy);

    /* The environment as a measurement will see it. */
    start_runtime(opt.interval_us);
    char allocator[40];
    snprintf(allocator, sizeof allocator, "%s", ft_allocator_name());
    long interval_us = ft_get_switch_interval_us();
    bool gil = ft_gil_is_enabled();
    stop_runtime("start-up");

    printf(PROG "-%s: GIL %s, switch interval %ld us, allocator %s, commit %s\n"
           "  %s; %ld cores; %s; %s\n  %d measurements, %d warm-up + %d timed "
           "runs each%s\n", ft_flavor(), gil ? "on" : "off", interval_us,
           allocator, e.commit, e.cpu, e.cores, e.kernel, FTBENCH_COMPILER,
           nresults, opt.warmup, opt.repeats,
           opt.size == FTB_VALIDATE ? " (validate: minimal sizes)"
           : opt.size == FTB_QUICK ? " (quick sizes)" : "");
    if (opt.npy)
        printf("  Python workloads under %s (%s): %s\n", interp.kind, interp.path,
               interp.version);
    if (FT_DEBUG || FT_GC_STRESS || FT_RC_STATS)
        printf("  WARNING: built with FT_DEBUG=%d, FT_GC_STRESS=%d, FT_RC_STATS=%d: "
               "the times measure the checks, not the runtime\n", FT_DEBUG,
               FT_GC_STRESS, FT_RC_STATS);
    fflush(stdout);
    progress.runs_total = nresults * (opt.warmup + opt.repeats);
    progress.start_ns = ftbench_now_ns();
    for (int i = 0; i < nresults; i++) {
        if (results[i].py)
            measure_py(&results[i]);
        else
            measure(&results[i]);
    }
    printf("  all %d measurements checked their results; %.1f s\n", nresults,
           (double)(ftbench_now_ns() - progress.start_ns) / 1e9);
    if (opt.json_path)
        write_json(&e, allocator, interval_us, gil);
    return 0;
}
