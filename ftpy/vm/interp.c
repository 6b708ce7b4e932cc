/* vm/interp.c — the interpreter's life cycle: py_init, py_fini,
 * py_run_main (ftpy.h), and the VM group's own init.
 *
 * Start-up order (each group readies its classes; later groups use the
 * earlier ones): the runtime (ft_init), types/objects/exceptions (group
 * 4), numbers (5), strings (6), containers and io (7), code objects (2),
 * the VM's classes (3), then the builtins and sys modules (8).
 *
 * Shutdown runs it backwards after breaking the cycles that keep
 * everything alive: sys.modules and the module dicts are emptied (the
 * modules' functions refer to their globals), the current exception
 * state dropped, a full collection run; then each group releases what it
 * made, the thread states go, and ft_fini reports what was leaked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vm.h"
#include "../objects/typeobject.h"
#include "../objects/int.h"
#include "../objects/str.h"
#include "../objects/containers.h"
#include "../compile/compile.h"
#include "../modules/modules.h"
#include "shared.h"

int py_vm_init(void)
{
    py_type *classes[] = {&py_function_class, &py_method_class, &py_cell_class,
                          &py_generator_class, &py_traceback_class};
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (py_type_ready(classes[i]) < 0)
            return -1;
    return 0;
}

void py_vm_fini(void) {}

static void report_init_error(const char *step)
{
    if (py_err_occurred()) {
        ft_object *exc = py_err_fetch();
        fprintf(stderr, "ftpy: initialisation failed in %s:\n", step);
        py_err_print(exc);
        ft_decref(exc);
    } else if (ft_err_occurred()) {
        fprintf(stderr, "ftpy: initialisation failed in %s: %s: %s\n", step,
                ft_err_kind_name(ft_err_kind()), ft_err_message());
        ft_err_clear();
    } else {
        fprintf(stderr, "ftpy: initialisation failed in %s\n", step);
    }
}

static const py_config *init_cfg;
static int modules_init_step(void) { return py_modules_init(init_cfg); }

int py_init(const py_config *cfg)
{
    ft_config fc = FT_CONFIG_INIT;
    fc.gil = cfg ? cfg->gil : -1;
    fc.malloc = cfg ? cfg->malloc : NULL;
    if (ft_init(&fc) != 0) {
        fprintf(stderr, "ftpy: cannot start the runtime: %s: %s\n",
                ft_err_kind_name(ft_err_kind()), ft_err_message());
        ft_err_clear();
        return -1;
    }
    static const py_config empty_cfg = {.gil = -1};
    init_cfg = cfg ? cfg : &empty_cfg;
    struct { const char *name; int (*fn)(void); } steps[] = {
        {"py_types_init", py_types_init},
        {"py_numbers_init", py_numbers_init},
        {"py_str_init", py_str_init},
        {"py_containers_init", py_containers_init},
        {"py_code_types_init", py_code_types_init},
        {"py_vm_init", py_vm_init},
        {"py_modules_init", modules_init_step},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (steps[i].fn() < 0) {
            report_init_error(steps[i].name);
            return -1;
        }
    }
    return 0;
}

/* CPython's _PyModule_ClearDict on __main__, before the other modules go:
 * the program's objects die (and their finalizers run) while builtins and
 * sys still work. Values become None: first the _private names, then the
 * rest but __builtins__. */
static void clear_main_module(void)
{
    ft_object *mods = py_sys_modules_borrow();
    ft_object *m = NULL;
    if (!mods || mods->ob_type != &ft_dict_type ||
        ft_dict_lookup(mods, PY_ID(__main__), &m) <= 0) {
        ft_err_clear();
        py_err_clear();
        return;
    }
    ft_object *d = py_module_dict_borrow(m);
    ft_object *keys = d && d->ob_type == &ft_dict_type ? ft_list_new(0) : NULL;
    ssize_t pos = 0;
    ft_object *k;
    while (keys && ft_dict_next(d, &pos, &k, NULL) > 0)
        if (ft_list_append(keys, k) < 0)
            break;
    ssize_t n = keys ? ft_len(keys) : 0;
    for (int pass = 0; pass < 2; pass++) {
        for (ssize_t i = 0; i < n; i++) {
            ft_object *key = ft_list_get(keys, i);
            if (!key)
                break;
            const char *s = py_str_check_exact(key) ? ft_str_utf8_borrow(key, NULL) : NULL;
            bool clear = s && (pass == 0 ? (s[0] == '_' && s[1] != '_')
                                         : strcmp(s, "__builtins__") != 0);
            ft_object *v = NULL;
            if (clear && ft_dict_lookup(d, key, &v) > 0 && v != ft_none()) {
                if (ft_dict_set(d, key, ft_none()) < 0)
                    ft_err_clear();
                py_err_clear();
            }
            ft_xdecref(v);
            ft_decref(key);
        }
    }
    ft_xdecref(keys);
    ft_decref(m);
    ft_err_clear();
    py_err_clear();
}

int64_t py_fini(void)
{
    py_shared_fini();   /* sharded counts made whole first (vm/shared.h) */
    py_tstate *ts = py_tstate_get();
    py_err_clear();
    ft_object *handled = ts->exc_info;
    ts->exc_info = NULL;
    ft_xdecref(handled);

    clear_main_module();
    ft_gc_collect(-1);
    py_err_clear();
    py_modules_fini();
    py_err_clear();
    ft_gc_collect(-1);
    py_err_clear();

    py_vm_fini();
    py_containers_fini();
    py_str_fini();
    py_numbers_fini();
    ft_gc_collect(-1);
    py_err_clear();
    py_types_fini();
    py_tstate_fini_all();

    ft_fini_report report;
    memset(&report, 0, sizeof report);
    if (ft_fini(&report) != 0) {
        fprintf(stderr, "ftpy: ft_fini failed: %s\n", ft_err_message());
        ft_err_clear();
        return -1;
    }
    if (report.objects != 0 || report.blocks != 0) {
        fprintf(stderr,
                "ftpy: leak report: %lld objects, %lld blocks (%lld bytes) still allocated\n",
                (long long)report.objects, (long long)report.blocks,
                (long long)report.bytes);
    }
    return report.objects;
}

/* ---- Running __main__ ------------------------------------------------------------ */

/* CPython shows the script's path made absolute by joining the working
 * directory (no normalisation: "/tmp/./x.py"). */
static char *absolute_filename(const char *filename)
{
    if (!filename || filename[0] == '/' || filename[0] == '<')
        return NULL;
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    size_t n = strlen(cwd) + strlen(filename) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", cwd, filename);
    return p;
}

/* The exit status for an uncaught SystemExit (CPython's
 * _Py_HandleSystemExit), printing a non-int code to stderr. */
static int system_exit_status(ft_object *exc)
{
    ft_object *code = py_getattr_str(exc, "code");
    if (!code) {
        py_err_clear();
        ft_object *args = py_as_exc(exc)->args;
        if (args && args->ob_type == &ft_tuple_type && ft_len(args) > 0)
            code = ft_newref(ft_tuple_get_borrow(args, 0));
    }
    int status = 0;
    if (!code || code == ft_none()) {
        status = 0;
    } else if (py_long_check(code)) {
        int64_t v;
        if (py_long_as_i64(code, &v) < 0) {
            py_err_clear();
            v = -1;
        }
        status = (int)v;
    } else {
        ft_object *s = py_str(code);
        ft_object *out = py_sys_get_borrow("stderr");
        if (s && out && out != ft_none()) {
            ft_object *r = py_call_method(out, PY_ID(write), &s, 1);
            ft_xdecref(r);
            ft_object *nl = ft_str_from_utf8("\n", 1);
            r = nl ? py_call_method(out, PY_ID(write), &nl, 1) : NULL;
            ft_xdecref(r);
            ft_xdecref(nl);
            r = py_call_method(out, PY_ID(flush), NULL, 0);
            ft_xdecref(r);
        } else if (s) {
            fprintf(stderr, "%s\n", ft_str_utf8_borrow(s, NULL));
        }
        ft_xdecref(s);
        py_err_clear();
        status = 1;
    }
    ft_xdecref(code);
    return status;
}

static void flush_stdout(void)
{
    ft_object *out = py_sys_get_borrow("stdout");
    if (out && out != ft_none()) {
        ft_object *r = py_call_method(out, PY_ID(flush), NULL, 0);
        ft_xdecref(r);
    }
    py_err_clear();
    fflush(stdout);
}

static int handle_uncaught(void)
{
    ft_object *exc = py_err_fetch();
    if (!exc)
        return 1;
    int status;
    if (py_isinstance_exact_or_sub(exc, py_exc_SystemExit)) {
        flush_stdout();
        status = system_exit_status(exc);
    } else {
        flush_stdout();
        py_err_print(exc);
        status = py_isinstance_exact_or_sub(exc, py_exc_KeyboardInterrupt) ? 130 : 1;
    }
    ft_decref(exc);
    return status;
}

/* Calls sys.modules[module].func() when that module was imported; an
 * error is printed and cleared (it never changes the exit status). */
static void call_exit_hook(const char *module, const char *func)
{
    ft_object *mods = py_sys_modules_borrow(), *m = NULL;
    ft_object *key = mods ? ft_str_from_utf8(module, -1) : NULL;
    int found = key ? ft_dict_lookup(mods, key, &m) : 0;
    ft_xdecref(key);
    ft_err_clear();
    py_err_clear();
    if (found <= 0)
        return;
    ft_object *f = py_getattr_str(m, func);
    ft_object *r = f ? py_call0(f) : NULL;
    if (!r) {
        ft_object *exc = py_err_fetch();
        if (exc && !py_isinstance_exact_or_sub(exc, py_exc_AttributeError))
            py_err_print(exc);
        ft_xdecref(exc);
    }
    ft_xdecref(r);
    ft_xdecref(f);
    ft_decref(m);
}

void py_run_exit_hooks(void)
{
    /* CPython's order: wait for the non-daemon threads, then atexit. */
    call_exit_hook("threading", "_shutdown");
    call_exit_hook("atexit", "_run_exitfuncs");
    flush_stdout();
}

int py_run_main(const char *source, size_t size, const char *filename)
{
    char *abs = absolute_filename(filename);
    const char *fname = abs ? abs : (filename ? filename : "<string>");
    ft_object *code = py_compile(source, size, fname, PY_PARSE_EXEC);
    if (!code) {
        free(abs);
        return handle_uncaught();
    }
    int status = 0;
    ft_object *name = ft_str_from_utf8("__main__", -1);
    ft_object *m = name ? py_module_new(name) : NULL;
    ft_object *file = m ? ft_str_from_utf8(fname, -1) : NULL;
    ft_object *builtins_mod = NULL;
    ft_object *mods = py_sys_modules_borrow();
    if (mods && mods->ob_type == &ft_dict_type) {
        ft_object *bname = ft_str_from_utf8("builtins", -1);
        if (bname && ft_dict_lookup(mods, bname, &builtins_mod) <= 0)
            builtins_mod = NULL;
        ft_xdecref(bname);
    }
    ft_err_clear();
    if (!file || py_module_add(m, "__file__", file) < 0 ||
        py_module_add(m, "__builtins__",
                      builtins_mod ? builtins_mod : py_builtins_dict_borrow()) < 0 ||
        (mods && ft_dict_set(mods, name, m) < 0)) {
        if (!py_err_occurred())
            py_err_from_ft();
        status = handle_uncaught();
    } else {
        ft_object *d = py_module_dict_borrow(m);
        ft_object *r = py_eval_code(code, d, d);
        if (r)
            ft_decref(r);
        else
            status = handle_uncaught();
        flush_stdout();
        py_run_exit_hooks();
    }
    ft_xdecref(builtins_mod);
    ft_xdecref(file);
    ft_xdecref(m);
    ft_xdecref(name);
    ft_decref(code);
    free(abs);
    return status;
}
