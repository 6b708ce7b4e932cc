/* py.c — Python programs as ftbench workloads (kind "py"): the programs
 * of bench/py/ and its scaling snippets, or any Python file, run as a
 * child process under an ftpy flavor or any other interpreter.
 *
 *   py:NAME              bench/py/NAME.py (nbody, richards, ...)
 *   py:scaling:SNIPPET   one snippet of bench/py/scaling/scaling.py
 *                        (scaling.py --snippet SNIPPET)
 *   py:PATH              a file: PATH contains '/' or ends in ".py"
 *                        (papers keep their own programs); named
 *                        "py:" + PATH relative to the working directory
 *                        when it is below it, so two files of one
 *                        basename keep two names in the JSON
 *   py:suite, py:scaling, py:all   the programs, the snippets, both
 *
 * One run = one process: posix_spawn of
 *     INTERPRETER PROGRAM [fixed args] --threads N [--quick] [--validate]
 *                 [--py-arg ...]
 * with stdin on /dev/null and stdout and stderr in unlinked temporary
 * files (files, not pipes: nothing has to drain them while the child
 * runs, so the parent sleeps in wait4 and costs the measurement
 * nothing). The wall time runs from just before the spawn to wait4's
 * return (ftbench_now_ns); the CPU time (user + system) and the peak RSS
 * are wait4's rusage of that child alone. `--validate` is passed only to
 * the programs of bench/py, which know it (their smallest sizes); a
 * program given by path gets `--quick` instead.
 *
 * What the program prints: lines `metric NAME VALUE [UNIT]` are recorded
 * per run; every other line is its self-check text (shown with
 * --verbose, kept in the JSON's "check" so runs on different
 * interpreters can be compared, never parsed). A nonzero exit, a signal
 * or a malformed metric line fails the run: ftbench exits 1 and shows
 * the end of the program's stderr.
 *
 * Threads: every program of bench/py takes --threads N and replicates
 * its whole work in N threads (bench/py/harness.py; one thread is the
 * main thread), so a run does N units and N threads / 1 thread of
 * throughput is the scaling; the snippets do the same with their loop. A program given by path says
 * itself what N means; it counts as N units too.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "../bench_env.h"
#include "../ftbench.h"

extern char **environ;

#define PY_DIR FTBENCH_SOURCE_DIR "/bench/py"

/* ---- The registry ----------------------------------------------------------- */

#define PROG(n, d) { "py:" n, PY_DIR "/" n ".py", { NULL }, d }
#define SNIP(n, d)                                                           \
    { "py:scaling:" n, PY_DIR "/scaling/scaling.py", { "--snippet", n }, d }

static const ftb_pyprog builtin[] = {
    PROG("nbody", "n-body simulation, floats in lists (pyperformance)"),
    PROG("fannkuch", "permutations and list reversal"),
    PROG("spectral_norm", "eigenvalue by power iteration, nested calls"),
    PROG("float", "Point objects with float attributes, math"),
    PROG("richards", "the Richards OS-kernel simulation, classes"),
    PROG("nqueens", "generators, sets and permutations"),
    PROG("generators", "generator pipelines"),
    PROG("unpack_sequence", "tuple and list unpacking"),
    PROG("chaos", "the chaos game, splines, classes"),
    PROG("deltablue", "the DeltaBlue constraint solver"),
    PROG("go", "Go playouts, objects and lists"),
    PROG("raytrace", "a ray tracer, vector classes"),
    SNIP("pyfunction", "calls a shared module-level function"),
    SNIP("pymethod", "a method of a shared class, private instance"),
    SNIP("closure", "calls a closure shared by every thread"),
    SNIP("create_closure", "a new closure per iteration, shared code"),
    SNIP("generator", "a shared generator function"),
    SNIP("create_instance", "instances of shared classes"),
    SNIP("create_list", "new private lists and dicts"),
    SNIP("module_global", "reads a module global and a global tuple"),
    SNIP("str_const", "compares with a shared str constant"),
    SNIP("tuple_const", "compares with a shared tuple constant"),
    SNIP("list_append", "appends to a private list"),
    SNIP("thread_local", "reads a shared threading.local"),
};
enum { NBUILTIN = sizeof builtin / sizeof builtin[0], MAX_PATHS = 32 };

/* Programs named by path on this command line (copies: the names given
 * point into the caller's scratch buffer). */
static ftb_pyprog by_path[MAX_PATHS];
static char by_path_file[MAX_PATHS][1024], by_path_name[MAX_PATHS][1024 + 3];
static int nby_path;

static bool is_snippet(const ftb_pyprog *p)
{
    return strncmp(p->name, "py:scaling:", 11) == 0;
}

static bool is_builtin(const ftb_pyprog *p)
{
    return p >= builtin && p < builtin + NBUILTIN;
}

/* A program's name: "py:" and its path, relative to the working
 * directory when it is below it ("/cwd/papers/gil-convoy/echo.py" and
 * "./papers/gil-convoy/echo.py" -> "py:papers/gil-convoy/echo.py"). The
 * folders stay in the name: programs of one basename in two folders are
 * two workloads of the JSON, not one (ftbench-compare and the reports
 * match runs by name), and the name given back to --workload runs the
 * same program. */
static void path_name(const char *path, char *out, size_t len)
{
    char cwd[PATH_MAX];
    const char *rel = path;
    size_t n;
    if (path[0] == '/' && getcwd(cwd, sizeof cwd) && (n = strlen(cwd)) > 1 &&
        strncmp(path, cwd, n) == 0 && path[n] == '/')
        rel = path + n + 1;
    while (strncmp(rel, "./", 2) == 0)
        rel += 2;
    snprintf(out, len, "py:%s", rel);
}

static const ftb_pyprog *add_path(const char *path)
{
    for (int i = 0; i < nby_path; i++)
        if (strcmp(by_path[i].path, path) == 0)
            return &by_path[i];
    if (nby_path == MAX_PATHS || access(path, R_OK) != 0 ||
        strlen(path) >= sizeof by_path_file[0])
        return NULL;
    ftb_pyprog *p = &by_path[nby_path];
    path_name(path, by_path_name[nby_path], sizeof by_path_name[0]);
    strcpy(by_path_file[nby_path], path);
    *p = (ftb_pyprog){ by_path_name[nby_path], by_path_file[nby_path], { NULL },
                       "a program named by path" };
    nby_path++;
    return p;
}

int ftb_py_select(const char *spec, const ftb_pyprog **out, int max)
{
    const char *s = spec + 3;               /* after "py:" */
    bool suite = strcmp(s, "suite") == 0, scaling = strcmp(s, "scaling") == 0;
    int n = 0;
    if (suite || scaling || strcmp(s, "all") == 0) {
        for (int i = 0; i < NBUILTIN && n < max; i++)
            if ((!suite || !is_snippet(&builtin[i])) &&
                (!scaling || is_snippet(&builtin[i])))
                out[n++] = &builtin[i];
        return n;
    }
    if (strchr(s, '/') || (strlen(s) > 3 && strcmp(s + strlen(s) - 3, ".py") == 0)) {
        const ftb_pyprog *p = add_path(s);
        if (!p)
            return -1;
        out[0] = p;
        return 1;
    }
    for (int i = 0; i < NBUILTIN; i++)
        if (strcmp(builtin[i].name, spec) == 0) {
            out[0] = &builtin[i];
            return 1;
        }
    return -1;
}

void ftb_py_list(void)
{
    for (int i = 0; i < NBUILTIN; i++)
        printf("%-28s %-5s %s\n", builtin[i].name, "py", builtin[i].desc);
    printf("%-28s %-5s %s\n", "py:PATH", "py",
           "any Python file (PATH has a '/' or ends in .py)");
    printf("  (py:suite = the programs, py:scaling = the snippets, py:all = both;\n"
           "   every one replicates its work in --threads N threads)\n");
}

/* ---- The interpreter ------------------------------------------------------- */

bool ftb_py_which(const char *name, char *out, size_t len)
{
    if (strchr(name, '/')) {
        int k = snprintf(out, len, "%s", name);
        return k > 0 && (size_t)k < len && access(out, X_OK) == 0;
    }
    const char *path = getenv("PATH");
    char dirs[8192];
    snprintf(dirs, sizeof dirs, "%s", path ? path : "/usr/bin:/bin");
    for (char *save, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        int k = snprintf(out, len, "%s/%s", d, name);
        if (k > 0 && (size_t)k < len && access(out, X_OK) == 0)
            return true;
    }
    return false;
}

/* The ftpy of this flavor beside the build tree's ftbench
 * (build/release/bench/ftbench-gil -> build/release/ftpy/ftpy-gil), or
 * beside the ftbench binary itself (an installed bin/). */
static bool default_ftpy(char *out, size_t len)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return false;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return false;
    *slash = '\0';
    static const char *const where[] = { "/../ftpy", "" };
    for (int i = 0; i < 2; i++) {
        int k = snprintf(out, len, "%s%s/ftpy-%s", self, where[i], FT_FLAVOR);
        if (k > 0 && (size_t)k < len && access(out, X_OK) == 0)
            return true;
    }
    return false;
}

/* Reads all of fd (from its start) into a NUL-terminated malloc'd string,
 * at most cap bytes. */
static char *read_all(int fd, size_t cap)
{
    char *buf = malloc(cap + 1);
    size_t used = 0;
    if (!buf)
        ftb_fail("out of memory");
    if (lseek(fd, 0, SEEK_SET) == 0) {
        ssize_t k;
        while (used < cap && (k = read(fd, buf + used, cap - used)) > 0)
            used += (size_t)k;
    }
    buf[used] = '\0';
    return buf;
}

/* An unlinked temporary file, for a child's stdout or stderr. */
static int temp_fd(void)
{
    char name[] = "/tmp/ftbench-py-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0)
        ftb_fail("mkstemp: %s", strerror(errno));
    unlink(name);
    return fd;
}

typedef struct child {
    int status;
    struct rusage ru;
    uint64_t wall_ns;
    char *out, *err;
} child;

/* Runs argv to its end: stdin /dev/null, stdout and stderr captured. */
static void run_child(char *const argv[], child *c)
{
    int out = temp_fd(), err = temp_fd();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out, 1);
    posix_spawn_file_actions_adddup2(&fa, err, 2);
    pid_t pid;
    uint64_t t0 = ftbench_now_ns();
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        ftb_fail("cannot start %s: %s", argv[0], strerror(rc));
    while (wait4(pid, &c->status, 0, &c->ru) < 0)
        if (errno != EINTR)
            ftb_fail("wait4: %s", strerror(errno));
    c->wall_ns = ftbench_now_ns() - t0;
    c->out = read_all(out, 1 << 20);
    c->err = read_all(err, 1 << 16);
    close(out);
    close(err);
}

static void child_free(child *c)
{
    free(c->out);
    free(c->err);
}

/* "exit status 1" / "signal 11 (Segmentation fault)"; empty when fine. */
static void status_text(int status, char *out, size_t len)
{
    out[0] = '\0';
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        snprintf(out, len, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(out, len, "signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
}

/* The last `max` bytes of s, from a line start when possible. */
static const char *tail_of(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return s;
    const char *t = s + n - max, *nl = strchr(t, '\n');
    return nl && nl[1] ? nl + 1 : t;
}

/* "ftpy-gil" from "3.11.0 (ftpy on ftlab, gil build)", else "cpython"
 * for CPython, else the implementation's name. */
static void interp_kind(const char *impl, const char *version, char *out, size_t len)
{
    const char *f = strstr(version, "(ftpy on ftlab, ");
    char flavor[16];
    if (strcmp(impl, "ftpy") == 0 && f &&
        sscanf(f, "(ftpy on ftlab, %15[a-z-] build)", flavor) == 1)
        snprintf(out, len, "ftpy-%s", flavor);
    else
        snprintf(out, len, "%s", impl[0] ? impl : "unknown");
}

void ftb_py_interp(ftb_interp *it, const char *python, const char *ftpy)
{
    if (python || ftpy) {
        if (!ftb_py_which(python ? python : ftpy, it->path, sizeof it->path))
            ftb_fail("no interpreter '%s'", python ? python : ftpy);
    } else if (!default_ftpy(it->path, sizeof it->path)) {
        ftb_fail("no ftpy-%s beside this ftbench (looked in ../ftpy/ and ./): "
                 "build target ftpy-%s, or name an interpreter with --ftpy or "
                 "--python", FT_FLAVOR, FT_FLAVOR);
    }
    snprintf(it->given, sizeof it->given, "%s", python ? python : ftpy ? ftpy : it->path);
    char *argv[] = { it->path, "-c",
                     "import sys; print(sys.implementation.name); "
                     "print(sys.executable); print(sys.version)", NULL };
    child c;
    run_child(argv, &c);
    char bad[64];
    status_text(c.status, bad, sizeof bad);
    if (bad[0])
        ftb_fail("the interpreter %s does not answer `-c 'import sys; "
                 "print(sys.version)'` (%s):\n%s", it->path, bad, tail_of(c.err, 2000));
    char impl[32] = "", exe[PATH_MAX] = "";
    char *nl = strchr(c.out, '\n'), *nl2 = nl ? strchr(nl + 1, '\n') : NULL;
    if (nl2) {
        *nl = *nl2 = '\0';
        snprintf(impl, sizeof impl, "%s", c.out);
        snprintf(exe, sizeof exe, "%s", nl + 1);
        snprintf(it->version, sizeof it->version, "%s", nl2 + 1);
    }
    it->version[strcspn(it->version, "\n")] = '\0';   /* sys.version's first line */
    interp_kind(impl, it->version, it->kind, sizeof it->kind);
    child_free(&c);
    /* Spawn the interpreter itself, not what was named: `python3` may be a
     * wrapper (a pyenv shim is a shell script that costs more start-up
     * than the interpreter) and a symbolic link says nothing. */
    char real[PATH_MAX];
    if (exe[0] == '/' && access(exe, X_OK) == 0)
        snprintf(it->path, sizeof it->path, "%s", exe);
    if (realpath(it->path, real) && strlen(real) < sizeof it->path)
        strcpy(it->path, real);
}

/* ---- One run ------------------------------------------------------------------ */

/* Records `metric NAME VALUE [UNIT]` lines into r; the others, up to
 * check_len bytes, into check. Returns false on a malformed metric line
 * (its text in bad). */
static bool parse_output(char *out, ftb_pyrun *r, char *check, size_t check_len,
                         char *bad, size_t bad_len)
{
    size_t used = 0;
    check[0] = '\0';
    r->nmetrics = 0;
    for (char *save, *line = strtok_r(out, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "metric ", 7) != 0) {
            if (used < check_len)
                used += (size_t)snprintf(check + used, check_len - used, "%s%s",
                                         used ? "\n" : "", line);
            continue;
        }
        ftb_pymetric m = { .unit = "" };
        char end[2];
        int k = sscanf(line + 7, "%47s %lf %15s %1s", m.name, &m.value, m.unit, end);
        if (k < 2 || k > 3 || r->nmetrics == FTB_PY_MAX_METRICS) {
            snprintf(bad, bad_len, "%s", line);
            return false;
        }
        r->metric[r->nmetrics++] = m;
    }
    return true;
}

int ftb_py_argv(const ftb_interp *it, const ftb_pyprog *p, int threads,
                ftb_size size, char *const *extra, int nextra, char *nbuf,
                char **argv)
{
    int n = 0;
    argv[n++] = (char *)it->path;
    argv[n++] = (char *)p->path;
    for (int i = 0; i < 2 && p->args[i]; i++)
        argv[n++] = (char *)p->args[i];
    argv[n++] = "--threads";
    sprintf(nbuf, "%d", threads);
    argv[n++] = nbuf;
    if (size == FTB_QUICK || (size == FTB_VALIDATE && !is_builtin(p)))
        argv[n++] = "--quick";
    else if (size == FTB_VALIDATE)
        argv[n++] = "--validate";
    for (int i = 0; i < nextra; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    return n;
}

void ftb_py_run(const ftb_interp *it, const ftb_pyprog *p, int threads,
                ftb_size size, char *const *extra, int nextra, bool verbose,
                ftb_pyrun *r, char *check, size_t check_len)
{
    char nbuf[16], *argv[8 + FTB_PY_MAX_ARGS];
    ftb_py_argv(it, p, threads, size, extra, nextra, nbuf, argv);
    child c;
    run_child(argv, &c);
    char bad[200] = "", why[64];
    status_text(c.status, why, sizeof why);
    if (why[0])
        ftb_fail("%s threads=%d under %s (%s): FAILED with %s; its stdout ends:\n%s\n"
                 "its stderr ends:\n%s", p->name, threads, it->kind, p->path, why,
                 tail_of(c.out, 1000), tail_of(c.err, 3000));
    r->wall_ns = c.wall_ns;
    r->cpu_ns = (uint64_t)(c.ru.ru_utime.tv_sec + c.ru.ru_stime.tv_sec) * 1000000000ull +
                (uint64_t)(c.ru.ru_utime.tv_usec + c.ru.ru_stime.tv_usec) * 1000ull;
    r->max_rss_kb = c.ru.ru_maxrss;
    if (!parse_output(c.out, r, check, check_len, bad, sizeof bad))
        ftb_fail("%s threads=%d under %s: a malformed metric line (want `metric "
                 "NAME VALUE [UNIT]`, at most %d): '%s'", p->name, threads,
                 it->kind, FTB_PY_MAX_METRICS, bad);
    if (verbose && check[0])
        fprintf(stderr, "%s\n", check);
    child_free(&c);
}
