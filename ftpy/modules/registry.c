/* modules/registry.c — the built-in modules, and the start and end of the
 * module world (builtins, sys, sys.modules).
 *
 * Shutdown order matters because clearing a namespace runs __del__
 * methods that may still use globals and builtins: __main__ is emptied
 * first, then the other imported modules, then sys, and builtins last (as
 * CPython's finalize_modules does).
 */
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "../ftpy.h"
#include "modules.h"

const py_module_def *const py_builtin_modules[] = {
    &py_builtins_module_def,
    &py_sys_module_def,
    &py_math_module_def,
    &py_time_module_def,
    &py_thread_module_def,
    &py_gc_module_def,
    &py_weakref_module_def,
    &py_tracemalloc_module_def,
    &py_random_module_def,
    &py_os_module_def,
    &py_socket_module_def,
    &py_objgraph_module_def,
    NULL,
};

static ft_object *builtins_module, *sys_module_ref;

static int list_append_str(ft_object *list, const char *s)
{
    ft_object *o = ft_str_from_utf8(s, -1);
    int rc = o ? ft_list_append(list, o) : -1;
    ft_xdecref(o);
    return rc < 0 ? py_err_from_ft_int() : 0;
}

/* sys.path[0]: the folder of the script ("" for -c, stdin and the REPL:
 * the current directory, as CPython). */
static int set_script_dir(const py_config *cfg, ft_object *path)
{
    const char *script = cfg->argc > 0 ? cfg->argv[0] : "";
    if (!script[0] || !strcmp(script, "-c") || !strcmp(script, "-"))
        return list_append_str(path, "");
    char resolved[PATH_MAX];
    if (!realpath(script, resolved))
        return list_append_str(path, "");
    return list_append_str(path, dirname(resolved));
}

/* sys.path: the script's folder, then PYTHONPATH's entries (':'-separated,
 * empty ones skipped), as CPython without site-packages. */
static int set_path(const py_config *cfg, ft_object *path)
{
    if (set_script_dir(cfg, path) < 0)
        return -1;
    const char *env = getenv("PYTHONPATH");
    while (env && *env) {
        const char *colon = strchr(env, ':');
        size_t n = colon ? (size_t)(colon - env) : strlen(env);
        if (n > 0) {
            char dir[PATH_MAX];
            snprintf(dir, sizeof dir, "%.*s", (int)n, env);
            if (list_append_str(path, dir) < 0)
                return -1;
        }
        env = colon ? colon + 1 : NULL;
    }
    return 0;
}

static int set_argv(const py_config *cfg, ft_object *argv)
{
    if (cfg->argc == 0)
        return list_append_str(argv, "");
    for (int i = 0; i < cfg->argc; i++)
        if (list_append_str(argv, cfg->argv[i]) < 0)
            return -1;
    return 0;
}

static int register_module(ft_object *modules, const char *name, ft_object *m)
{
    ft_object *key = ft_str_from_utf8(name, -1);
    int rc = key ? ft_dict_set(modules, key, m) : -1;
    ft_xdecref(key);
    return rc < 0 ? py_err_from_ft_int() : 0;
}

int py_modules_init(const py_config *cfg)
{
    if (py_type_ready(&py_module_class) < 0)
        return -1;
    builtins_module = py_module_from_def(&py_builtins_module_def);
    if (!builtins_module)
        return -1;
    sys_module_ref = py_module_from_def(&py_sys_module_def);
    if (!sys_module_ref)
        return -1;
    _py_sys_set_module(sys_module_ref);
    ft_object *modules = py_sys_modules_borrow();
    if (!modules || register_module(modules, "builtins", builtins_module) < 0 ||
        register_module(modules, "sys", sys_module_ref) < 0)
        return -1;
    for (const py_method_def *d = py_site_exit_defs; d->name; d++) {
        ft_object *f = py_cfunction_new(d, sys_module_ref);
        int rc = f ? py_module_add(builtins_module, d->name, f) : -1;
        ft_xdecref(f);
        if (rc < 0)
            return -1;
    }
    ft_object *path = py_sys_get_borrow("path"), *argv = py_sys_get_borrow("argv");
    if (!path || !argv || set_path(cfg, path) < 0 || set_argv(cfg, argv) < 0)
        return -1;
    ft_object *exe = ft_str_from_utf8(cfg->program_name ? cfg->program_name : "", -1);
    int rc = exe ? py_module_add(sys_module_ref, "executable", exe) : -1;
    ft_xdecref(exe);
    return rc;
}

/* Deletes every entry of d (borrowed), releasing the values one by one. */
static void clear_dict(ft_object *d)
{
    ft_object *keys = ft_list_new(0), *k;
    ssize_t pos = 0;
    while (keys && ft_dict_next(d, &pos, &k, NULL) == 1)
        if (ft_list_append(keys, k) < 0)
            break;
    ssize_t n = keys ? ft_len(keys) : 0;
    for (ssize_t i = 0; i < n; i++) {
        ft_object *key = ft_list_get(keys, i);
        if (key && ft_dict_del(d, key) < 0)
            ft_err_clear();
        ft_xdecref(key);
    }
    ft_xdecref(keys);
    ft_err_clear();
    py_err_clear();
}

static void clear_module(ft_object *m)
{
    if (py_type_of(m) == &py_module_class && py_module_dict_borrow(m))
        clear_dict(py_module_dict_borrow(m));
}

/* Takes sys.modules[name] out, returning the module (new reference). */
static ft_object *take_module(ft_object *modules, const char *name)
{
    ft_object *key = ft_str_from_utf8(name, -1), *m = NULL;
    if (key && ft_dict_lookup(modules, key, &m) > 0)
        ft_dict_del(modules, key);
    ft_xdecref(key);
    ft_err_clear();
    return m;
}

void py_modules_fini(void)
{
    if (!sys_module_ref)
        return;
    ft_object *modules = py_sys_modules_borrow();
    py_err_clear();
    if (modules) {
        ft_object *main = take_module(modules, "__main__");
        if (main) {
            clear_module(main);
            ft_decref(main);
        }
        ft_object *sys = take_module(modules, "sys"), *b = take_module(modules, "builtins");
        ft_object *rest = ft_list_new(0), *v;
        ssize_t pos = 0;
        while (rest && ft_dict_next(modules, &pos, NULL, &v) == 1)
            ft_list_append(rest, v);
        clear_dict(modules);
        for (ssize_t i = 0, n = rest ? ft_len(rest) : 0; i < n; i++) {
            ft_object *m = ft_list_get(rest, i);
            if (m)
                clear_module(m);
            ft_xdecref(m);
        }
        ft_xdecref(rest);
        ft_xdecref(sys);
        ft_xdecref(b);
    }
    /* Cycles among the emptied modules' objects die now, while sys and
     * builtins still work for their __del__ methods. */
    ft_gc_collect(-1);
    py_err_clear();
    _py_sys_set_module(NULL);
    clear_module(sys_module_ref);
    clear_module(builtins_module);
    ft_decref(sys_module_ref);
    ft_decref(builtins_module);
    sys_module_ref = builtins_module = NULL;
    ft_err_clear();
}
