/* main.c — the ftpy command line, as a CPython user expects it:
 *
 *   ftpy-<flavor> [options] script.py [args]   run a file (sys.argv = [script, args])
 *   ftpy-<flavor> [options] -c CODE [args]     run CODE (sys.argv = ['-c', args])
 *   ftpy-<flavor> [options] - [args]           run standard input
 *   ftpy-<flavor> [options]                    the REPL on a terminal, else stdin
 *
 * Options: -V/--version, -h/--help, -X gil=0|1, -X tracemalloc[=N],
 * -X dis (print the bytecode instead of running), -u (unbuffered), and
 * CPython's -B -E -s -S -I -O -q accepted and ignored (no bytecode cache,
 * no site, asserts always on). Environment: PYTHON_GIL=0|1,
 * PYTHONMALLOC=pymalloc|mimalloc|malloc|debug|pymalloc_debug|malloc_debug,
 * PYTHONTRACEMALLOC=N, PYTHONPATH (after the script's folder in sys.path).
 *
 * Exit status: 0; 1 after an uncaught exception; SystemExit's code; 2 for
 * a bad command line or a script that cannot be opened (CPython's).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <editline/readline.h>
#include "ftpy.h"
#include "compile/compile.h"
#include "objects/code.h"
#include "vm/vm.h"
#include "modules/modules.h"

typedef struct options {
    const char *command;         /* -c CODE                               */
    const char *script;          /* a path, "-" for stdin, NULL: none     */
    bool dis;                    /* -X dis                                */
    bool unbuffered;             /* -u                                    */
    py_config cfg;
} options;

static void usage(FILE *f, const char *prog)
{
    fprintf(f,
        "usage: %s [option] ... [-c cmd | file | -] [arg] ...\n"
        "Options:\n"
        "  -c cmd   program passed in as string (terminates option list)\n"
        "  -h       print this help message and exit (also --help)\n"
        "  -u       unbuffered stdout and stderr\n"
        "  -V       print the Python version and the ftlab flavor, then exit\n"
        "  -X opt   gil=0|1, tracemalloc[=N], dis (print bytecode, don't run)\n"
        "  -B -E -I -O -q -s -S   accepted for CPython compatibility, ignored\n"
        "file       program read from script file\n"
        "-          program read from stdin (default; interactive mode if a tty)\n"
        "arg ...    arguments passed to program in sys.argv[1:]\n"
        "Environment: PYTHON_GIL, PYTHONMALLOC, PYTHONTRACEMALLOC, PYTHONPATH\n", prog);
}

/* PYTHONMALLOC's names, mapped to ftlab's backends (FT_MALLOC). */
static const char *map_malloc(const char *v)
{
    static const char *const map[][2] = {
        { "pymalloc", "obmalloc" }, { "mimalloc", "mimalloc" }, { "malloc", "malloc" },
        { "debug", "obmalloc,debug" }, { "pymalloc_debug", "obmalloc,debug" },
        { "mimalloc_debug", "mimalloc,debug" }, { "malloc_debug", "malloc,debug" },
        { "default", "obmalloc" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(v, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

static int parse_gil(const char *v, const char *what)
{
    if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)
        return v[0] - '0';
    fprintf(stderr, "Fatal Python error: config_read_gil: %s=%s: only 0 and 1 are "
            "supported\n", what, v);
    return -2;
}

static int parse_tracemalloc(const char *v, const char *what)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 0 || n > 65535) {
        fprintf(stderr, "%s: invalid number of frames: %s\n", what, v);
        return -1;
    }
    return (int)n;
}

static int parse_xoption(options *o, const char *x)
{
    if (strncmp(x, "gil=", 4) == 0)
        return (o->cfg.gil = parse_gil(x + 4, "-X gil")) == -2 ? -1 : 0;
    if (strcmp(x, "tracemalloc") == 0) {
        o->cfg.tracemalloc_frames = 1;
        return 0;
    }
    if (strncmp(x, "tracemalloc=", 12) == 0)
        return (o->cfg.tracemalloc_frames = parse_tracemalloc(x + 12, "-X tracemalloc")) < 0
                   ? -1 : 0;
    if (strcmp(x, "dis") == 0) {
        o->dis = true;
        return 0;
    }
    /* CPython ignores unknown -X options too (they are for implementations). */
    return 0;
}

static int read_environment(options *o)
{
    const char *v = getenv("PYTHON_GIL");
    if (v && *v && o->cfg.gil < 0 && (o->cfg.gil = parse_gil(v, "PYTHON_GIL")) == -2)
        return -1;
    v = getenv("PYTHONMALLOC");
    if (v && *v) {
        o->cfg.malloc = map_malloc(v);
        if (!o->cfg.malloc) {
            fprintf(stderr, "Fatal Python error: _PyMem_SetupAllocators: unknown "
                    "PYTHONMALLOC allocator: %s\n", v);
            return -1;
        }
    }
    v = getenv("PYTHONTRACEMALLOC");
    if (v && *v && o->cfg.tracemalloc_frames == 0 &&
        (o->cfg.tracemalloc_frames = parse_tracemalloc(v, "PYTHONTRACEMALLOC")) < 0)
        return -1;
    return 0;
}

/* Parses argv; returns -1 to exit with status 2, 1 to exit 0 (-V, -h). */
static int parse_args(options *o, int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("Python 3.11.0 (ftpy, %s build of ftlab)\n", ft_flavor());
            return 1;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout, argv[0]);
            return 1;
        }
        if (!strcmp(a, "--"))  {
            i++;
            break;
        }
        if (!strcmp(a, "-c") || !strcmp(a, "-X")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "Argument expected for the %s option\n", a);
                usage(stderr, argv[0]);
                return -1;
            }
            if (a[1] == 'c') {
                o->command = argv[i + 1];
                i += 1;   /* argv[i] becomes sys.argv[0] = "-c" */
                break;
            }
            if (parse_xoption(o, argv[++i]) < 0)
                return -1;
            continue;
        }
        if (!strcmp(a, "-u")) {
            o->unbuffered = true;
            continue;
        }
        if (strlen(a) == 2 && strchr("BEIOqsSd", a[1]))
            continue;
        fprintf(stderr, "Unknown option: %s\n", a);
        usage(stderr, argv[0]);
        return -1;
    }
    if (o->command) {
        o->cfg.argc = argc - i;
        o->cfg.argv = argv + i;
        argv[i] = "-c";
    } else if (i < argc) {
        o->script = argv[i];
        o->cfg.argc = argc - i;
        o->cfg.argv = argv + i;
    } else {
        o->cfg.argc = 0;
        o->cfg.argv = argv + argc;
    }
    return read_environment(o) < 0 ? -1 : 0;
}

static char *read_stream(FILE *f, size_t *size)
{
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, (cap *= 2) + 1);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    if (buf)
        buf[n] = '\0';
    *size = n;
    return buf;
}

/* sys.stdout and sys.stderr, then C's (the daemon-thread exit). */
static void flush_std_files(void)
{
    const char *names[] = {"stdout", "stderr"};
    for (int i = 0; i < 2; i++) {
        ft_object *f = py_sys_get_borrow(names[i]);
        if (f && f != ft_none()) {
            ft_object *r = py_call_method(f, PY_ID(flush), NULL, 0);
            ft_xdecref(r);
        }
        py_err_clear();
    }
    fflush(stdout);
    fflush(stderr);
}

static void on_sigint(int sig)
{
    (void)sig;
    py_sigint_pending = 1;
}

static int disassemble(const char *src, size_t size, const char *filename)
{
    ft_object *code = py_compile(src, size, filename, PY_PARSE_EXEC);
    if (!code) {
        ft_object *exc = py_err_fetch();
        py_err_print(exc);
        ft_xdecref(exc);
        return 1;
    }
    py_code_disassemble(py_as_code(code), stdout);
    ft_decref(code);
    return 0;
}

/* ---- The REPL --------------------------------------------------------------
 * Lines are gathered until they form a complete statement: the compiler
 * is asked, and an error that only more input can fix (an unclosed
 * bracket or triple-quoted string, a block header without its body) means
 * "read another line". A compound statement ends at an empty line.
 */
static bool needs_more_input(const char *msg)
{
    static const char *const partial[] = {
        "was never closed", "unterminated triple-quoted string",
        "expected an indented block", "unexpected EOF", "incomplete input",
    };
    for (size_t i = 0; i < sizeof partial / sizeof partial[0]; i++)
        if (strstr(msg, partial[i]))
            return true;
    return false;
}

/* The message of the pending SyntaxError (into buf), and whether it is one. */
static bool syntax_error_message(char *buf, size_t size)
{
    buf[0] = '\0';
    if (!py_err_matches(py_exc_SyntaxError))
        return false;
    ft_object *exc = py_err_current_borrow(), *msg = NULL;
    if (py_getattr_opt(exc, PY_ID(args), &msg) > 0 && msg->ob_type == &ft_tuple_type &&
        ft_len(msg) > 0) {
        ft_object *m0 = ft_tuple_get_borrow(msg, 0);
        if (py_str_check_exact(m0))
            snprintf(buf, size, "%s", ft_str_utf8_borrow(m0, NULL));
    }
    ft_xdecref(msg);
    return true;
}

static void repl_run(ft_object *globals, const char *src)
{
    ft_object *code = py_compile(src, strlen(src), "<stdin>", PY_PARSE_SINGLE);
    ft_object *r = code ? py_eval_code(code, globals, globals) : NULL;
    ft_xdecref(code);
    ft_xdecref(r);
    if (!r) {
        ft_object *exc = py_err_fetch();
        if (exc && py_isinstance_exact_or_sub(exc, py_exc_SystemExit)) {
            py_err_restore(exc);
            return;
        }
        py_err_print(exc);
        ft_xdecref(exc);
    }
}

/* Does the first line of buf end with ':' (a block header such as "def
 * f():"), so that the statement goes on until an empty line? */
static bool opens_block(const char *buf)
{
    const char *nl = strchr(buf, '\n');
    size_t n = nl ? (size_t)(nl - buf) : strlen(buf);
    while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        n--;
    return n > 0 && buf[n - 1] == ':';
}

/* One statement from the terminal, or NULL at end of input. */
static char *repl_read_statement(void)
{
    char *buf = NULL;
    size_t len = 0;
    for (;;) {
        char *line = readline(buf ? "... " : ">>> ");
        if (!line) {
            if (buf)
                return buf;
            putchar('\n');
            return NULL;
        }
        if (*line)
            add_history(line);
        size_t n = strlen(line);
        char *bigger = realloc(buf, len + n + 2);
        if (!bigger) {
            free(line);
            free(buf);
            return NULL;
        }
        buf = bigger;
        memcpy(buf + len, line, n);
        len += n;
        buf[len++] = '\n';
        buf[len] = '\0';
        bool blank = n == 0;
        free(line);
        if (blank && len > 1)
            return buf;      /* an empty line ends a compound statement */
        ft_object *code = py_compile(buf, len, "<stdin>", PY_PARSE_SINGLE);
        char msg[256];
        bool more = !code && syntax_error_message(msg, sizeof msg) && needs_more_input(msg);
        ft_xdecref(code);
        py_err_clear();
        if (!more && !opens_block(buf))
            return buf;
    }
}

static int run_repl(void)
{
    printf("Python 3.11.0 (ftpy, %s build of ftlab)\n"
           "Ctrl-D (end of input) or exit() leaves; Ctrl-C interrupts.\n",
           ft_flavor());
    ft_object *name = ft_str_from_utf8("__main__", -1);
    ft_object *main = name ? py_module_new(name) : NULL;
    ft_xdecref(name);
    if (!main)
        return 1;
    ft_object *globals = py_module_dict_borrow(main);
    py_module_add(main, "__builtins__", py_builtins_dict_borrow());
    int status = 0;
    for (;;) {
        char *src = repl_read_statement();
        if (!src)
            break;
        repl_run(globals, src);
        free(src);
        if (py_err_matches(py_exc_SystemExit)) {
            py_err_clear();
            break;
        }
        if (py_sigint_pending) {
            py_sigint_pending = 0;
            fputs("\nKeyboardInterrupt\n", stderr);
        }
    }
    py_run_exit_hooks();
    ft_decref(main);
    return status;
}

/* Loads the program's text; 2 with CPython's message when it cannot. */
static int load_source(const options *o, char **src, size_t *size, const char **filename)
{
    if (o->command) {
        *src = strdup(o->command);
        *size = strlen(o->command);
        *filename = "<string>";
        return *src ? 0 : 2;
    }
    if (!o->script || !strcmp(o->script, "-")) {
        *src = read_stream(stdin, size);
        *filename = "<stdin>";
        return *src ? 0 : 2;
    }
    FILE *f = fopen(o->script, "rb");
    if (!f) {
        fprintf(stderr, "%s: can't open file '%s': [Errno %d] %s\n",
                o->cfg.program_name, o->script, errno, strerror(errno));
        return 2;
    }
    *src = read_stream(f, size);
    fclose(f);
    *filename = o->script;
    return *src ? 0 : 2;
}

int main(int argc, char **argv)
{
    options o = { .cfg = { .program_name = argv[0], .gil = -1 } };
    int rc = parse_args(&o, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (o.unbuffered) {
        setenv("PYTHONUNBUFFERED", "1", 1);   /* read by the std file objects */
        setvbuf(stdout, NULL, _IONBF, 0);
        setvbuf(stderr, NULL, _IONBF, 0);
    }
    bool interactive = !o.command && !o.script && isatty(STDIN_FILENO);
    char *src = NULL;
    size_t size = 0;
    const char *filename = "<stdin>";
    if (!interactive && (rc = load_source(&o, &src, &size, &filename)) != 0)
        return rc;
    if (py_init(&o.cfg) != 0) {
        free(src);
        return 1;
    }
    signal(SIGINT, on_sigint);
    if (o.cfg.tracemalloc_frames > 0 && ft_tracemalloc_start(o.cfg.tracemalloc_frames) < 0) {
        fprintf(stderr, "ftpy: tracemalloc: %s\n", ft_err_message());
        ft_err_clear();
    }
    int status;
    if (o.dis)
        status = disassemble(src ? src : "", size, filename);
    else if (interactive)
        status = run_repl();
    else
        status = py_run_main(src, size, filename);
    free(src);
    if (py_thread_exit_wait() > 0) {
        /* Daemon threads still run Python code: tearing the interpreter
         * down under them is unsafe, so they die with the process, as in
         * CPython. What they printed so far is flushed; no leak report. */
        flush_std_files();
        _exit(status);
    }
    if (py_fini() != 0 && status == 0)
        status = 1;
    return status;
}
