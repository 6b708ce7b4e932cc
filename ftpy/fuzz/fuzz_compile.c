/* fuzz/fuzz_compile.c — a libFuzzer target for the compiler and the VM.
 *
 * Each input is compiled as a module; when it compiles, it runs in a
 * fresh namespace under three limits: a recursion limit of 100, a time
 * limit (a 50 ms timer raises KeyboardInterrupt at the next eval-breaker
 * check, so `while 1: pass` ends) and libFuzzer's own memory limit
 * (-rss_limit_mb). open() and input() are taken out of the builtins so
 * that inputs cannot touch files or wait for stdin. Whatever happens must
 * end in a result or a Python exception: a crash, a sanitizer report or a
 * leak is a bug (ft_fini's report is checked at exit).
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include "../ftpy.h"
#include "../compile/compile.h"
#include "../vm/vm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long runs;

static void on_alarm(int sig)
{
    (void)sig;
    py_sigint_pending = 1;
}

static void arm_timer(long usec)
{
    /* Then every 10 ms: a program that catches KeyboardInterrupt and loops
     * again gets another one. */
    struct itimerval t = { .it_value = { .tv_sec = 0, .tv_usec = usec },
                           .it_interval = { .tv_sec = 0, .tv_usec = usec ? 10000 : 0 } };
    setitimer(ITIMER_REAL, &t, NULL);
}

static void drop_builtin(const char *name)
{
    ft_object *key = ft_str_from_utf8(name, -1);
    if (key && ft_dict_del(py_builtins_dict_borrow(), key) < 0)
        ft_err_clear();
    ft_xdecref(key);
}

/* Inputs may not import these: threads would outlive their input (and
 * its time limit), and os, socket and objgraph reach files, the network
 * and subprocesses. None in sys.modules makes the import fail, as in
 * CPython. */
static const char *const blocked_modules[] = {
    "_thread", "threading", "queue", "_socket", "socket", "os", "_os_py",
    "objgraph", "_objgraph", "memory_profiler", NULL,
};

static void block_modules(void)
{
    ft_object *modules = py_sys_modules_borrow();
    for (const char *const *n = blocked_modules; modules && *n; n++) {
        ft_object *key = ft_str_from_utf8(*n, -1);
        if (!key || ft_dict_set(modules, key, ft_none()) < 0)
            abort();
        ft_decref(key);
    }
}

static void at_exit(void)
{
    if (py_fini() != 0) {
        fprintf(stderr, "fuzz_compile: ft_fini found leaks\n");
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* The system allocator: LeakSanitizer scans malloc'd blocks, not
     * obmalloc's arenas, so only then can it follow the pointers that
     * objects hold and report real leaks alone. */
    py_config cfg = { .program_name = (*argv)[0], .argc = 0, .argv = *argv, .gil = -1,
                      .malloc = "malloc" };
    (void)argc;
    if (py_init(&cfg) != 0)
        abort();
    py_recursion_limit = 100;
    drop_builtin("open");
    drop_builtin("input");
    block_modules();
    signal(SIGALRM, on_alarm);
    atexit(at_exit);
    return 0;
}

static void run_code(ft_object *code)
{
    ft_object *globals = ft_dict_new();
    if (!globals || ft_dict_set(globals, PY_ID(__builtins__), py_builtins_dict_borrow()) < 0 ||
        ft_dict_set(globals, PY_ID(__name__), PY_ID(__main__)) < 0) {
        ft_xdecref(globals);
        ft_err_clear();
        return;
    }
    py_sigint_pending = 0;
    arm_timer(50000);
    ft_object *r = py_eval_code(code, globals, globals);
    arm_timer(0);
    py_sigint_pending = 0;
    ft_xdecref(r);
    py_err_clear();
    /* The namespace may hold cycles (functions reference their globals). */
    ft_object *keys = ft_list_new(0), *k;
    ssize_t pos = 0;
    while (keys && ft_dict_next(globals, &pos, &k, NULL) == 1)
        ft_list_append(keys, k);
    for (ssize_t i = 0, n = keys ? ft_len(keys) : 0; i < n; i++) {
        ft_object *key = ft_list_get(keys, i);
        if (key)
            ft_dict_del(globals, key);
        ft_xdecref(key);
    }
    ft_xdecref(keys);
    ft_decref(globals);
    py_err_clear();
    ft_err_clear();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Again for every input: one may have raised it (sys.setrecursionlimit)
     * for those that follow, and ASan's frames are large. */
    py_recursion_limit = 100;
    ft_object *code = py_compile((const char *)data, size, "<fuzz>", PY_PARSE_EXEC);
    if (code) {
        run_code(code);
        ft_decref(code);
    }
    py_err_clear();
    ft_err_clear();
    /* Cycles made by the input (classes, functions and their globals) die
     * here, before libFuzzer's leak check looks. */
    ft_gc_collect(-1);
    runs++;
    return 0;
}
