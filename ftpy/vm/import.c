/* vm/import.c — the import statement: built-in modules and .py files.
 *
 * Finding a module named "a.b":
 *   1. sys.modules["a.b"]                       already imported
 *   2. the built-in table (modules/registry.c)   top-level names only
 *      then the Python modules compiled in (vm/frozen.h, ftpy/Lib)
 *   3. for a top-level name, each folder of sys.path; for a submodule, the
 *      package's __path__: NAME.py, or NAME/__init__.py (a package)
 * A found file is compiled and run in a new module that is put in
 * sys.modules before its code runs (so circular imports see the partly
 * initialised module, as in CPython) and taken out again if the code
 * fails.
 *
 * Relative imports work inside packages (__package__ from the importing
 * module's globals). There is no import system beyond this: no finders,
 * no __pycache__, no zip files.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../ftpy.h"
#include "../compile/compile.h"
#include "../modules/modules.h"
#include "frozen.h"
#include "vm.h"

/* Threads: one re-entrant import lock serialises loading (a thread that
 * finds a module missing takes it, looks again, then loads), so no module
 * body runs twice and no thread sees a built-in module half made. While a
 * load is in progress anywhere (loading > 0), a thread that finds its
 * module in sys.modules also passes through the lock, so it never uses a
 * module whose body another thread is still running (circular imports in
 * one thread still see the partial module: the lock is re-entrant).
 * Waiters park detached (ft_mutex). As with Python 2's import lock, a
 * module body that waits for a thread which imports deadlocks. */
static ft_mutex import_mu = FT_MUTEX_INIT;
static uint64_t import_owner;    /* ft_thread_id; relaxed: only the owner
                                    ever finds its own id there           */
static int import_depth;         /* the owner's                           */
static int loading;              /* loads in progress (relaxed: a hint; the
                                    lock orders the module's contents)   */

static void import_lock(void)
{
    uint64_t me = ft_thread_id();
    if (__atomic_load_n(&import_owner, __ATOMIC_RELAXED) == me) {
        import_depth++;
        return;
    }
    ft_mutex_lock(&import_mu);
    __atomic_store_n(&import_owner, me, __ATOMIC_RELAXED);
    import_depth = 1;
}

static void import_unlock(void)
{
    if (--import_depth == 0) {
        __atomic_store_n(&import_owner, 0, __ATOMIC_RELAXED);
        ft_mutex_unlock(&import_mu);
    }
}

static ft_object *str_new(const char *s, ssize_t n)
{
    ft_object *o = ft_str_from_utf8(s, n);
    return o ? o : py_err_from_ft();
}

/* sys.modules[name] or NULL (no exception). */
static ft_object *loaded_module(ft_object *name)
{
    ft_object *modules = py_sys_modules_borrow(), *m = NULL;
    if (!modules) {
        py_err_clear();
        return NULL;
    }
    if (ft_dict_lookup(modules, name, &m) < 0)
        ft_err_clear();
    return m;
}

static int set_loaded(ft_object *name, ft_object *m)
{
    ft_object *modules = py_sys_modules_borrow();
    if (!modules)
        return -1;
    return ft_dict_set(modules, name, m) < 0 ? py_err_from_ft_int() : 0;
}

static void forget_loaded(ft_object *name)
{
    ft_object *modules = py_sys_modules_borrow();
    if (modules && ft_dict_del(modules, name) < 0)
        ft_err_clear();
}

static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 14, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, (cap *= 2) + 1);
            if (!bigger) {
                free(buf);
                buf = NULL;
            }
            buf = bigger;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *size = n;
    return buf;
}

/* Runs src as the code of a new module `name`: filename names it in code
 * objects and tracebacks, file (or NULL) becomes __file__, pkgdir (or
 * NULL) makes it a package with that __path__. */
static ft_object *exec_source_module(ft_object *name, const char *src, size_t size,
                                     const char *filename, const char *file,
                                     const char *pkgdir)
{
    ft_object *code = py_compile(src, size, filename, PY_PARSE_EXEC);
    if (!code)
        return NULL;
    ft_object *m = py_module_new(name);
    int rc = m ? 0 : -1;
    if (rc == 0 && file) {
        ft_object *f = str_new(file, -1);
        rc = f ? py_module_add(m, "__file__", f) : -1;
        ft_xdecref(f);
    }
    if (rc == 0)
        rc = py_module_add(m, "__builtins__", py_builtins_dict_borrow());
    if (rc == 0 && pkgdir) {
        ft_object *dir = str_new(pkgdir, -1), *list = dir ? ft_list_new(0) : NULL;
        rc = list && ft_list_append(list, dir) == 0 ? py_module_add(m, "__path__", list) : -1;
        if (rc == 0)
            rc = py_module_add(m, "__package__", name);
        ft_xdecref(dir);
        ft_xdecref(list);
    }
    if (rc < 0 || set_loaded(name, m) < 0) {
        ft_xdecref(m);
        ft_decref(code);
        return NULL;
    }
    ft_object *d = py_module_dict_borrow(m);
    ft_object *r = py_eval_code(code, d, d);
    ft_decref(code);
    if (!r) {
        forget_loaded(name);
        ft_decref(m);
        return NULL;
    }
    ft_decref(r);
    ft_decref(m);
    /* What the module's code left in sys.modules is the module, as in
     * CPython (a module may replace itself). */
    m = loaded_module(name);
    return m ? m : py_err_format(py_exc_ImportError, "loaded module %s not found in sys.modules",
                                 ft_str_utf8_borrow(name, NULL));
}

/* Runs the file at path as module `name` (a package when pkgdir != NULL). */
static ft_object *exec_file_module(ft_object *name, const char *path, const char *pkgdir)
{
    size_t size;
    char *src = read_file(path, &size);
    if (!src)
        return py_err_format(py_exc_ImportError, "cannot read '%s'", path);
    ft_object *m = exec_source_module(name, src, size, path, path, pkgdir);
    free(src);
    return m;
}

/* A module of ftpy/Lib compiled into the interpreter (vm/frozen.h), or
 * NULL without an exception when there is none by that name. */
static ft_object *import_frozen(ft_object *name)
{
    const char *n = ft_str_utf8_borrow(name, NULL);
    for (const py_frozen_module *fm = py_frozen_modules; fm->name; fm++) {
        if (strcmp(fm->name, n) != 0)
            continue;
        char filename[128];
        snprintf(filename, sizeof filename, "<frozen %s>", fm->name);
        return exec_source_module(name, fm->source, fm->size, filename, NULL, NULL);
    }
    return NULL;
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Writes dir/name into buf; false when it does not fit (a path that long
 * names no module we could open). */
static bool join_path(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir[0] ? dir : ".", name);
    return n >= 0 && (size_t)n < size;
}

/* Runs dir/base/__init__.py (a package) or dir/base.py as `fullname` if
 * one exists: 1 found (*out), 0 not, -1 error. */
static int find_in_dir(ft_object *fullname, const char *base, const char *dir, ft_object **out)
{
    char pkg[PATH_MAX], path[PATH_MAX], file[NAME_MAX + 1];
    if (join_path(pkg, sizeof pkg, dir, base) && join_path(path, sizeof path, pkg, "__init__.py") &&
        is_file(path)) {
        *out = exec_file_module(fullname, path, pkg);
        return *out ? 1 : -1;
    }
    int n = snprintf(file, sizeof file, "%s.py", base);
    if (n > 0 && (size_t)n < sizeof file && join_path(path, sizeof path, dir, file) &&
        is_file(path)) {
        *out = exec_file_module(fullname, path, NULL);
        return *out ? 1 : -1;
    }
    return 0;
}

/* Looks for `base` (the last name component) in the folders of `dirs` (a
 * list of str); runs it as `fullname`. 1 found (*out), 0 not, -1 error. */
static int find_in_dirs(ft_object *fullname, const char *base, ft_object *dirs, ft_object **out)
{
    ssize_t n = ft_len(dirs);
    for (ssize_t i = 0; i < n; i++) {
        ft_object *dir = ft_list_get(dirs, i);
        if (!dir)
            return py_err_from_ft_int();
        int rc = py_str_check_exact(dir)
                     ? find_in_dir(fullname, base, ft_str_utf8_borrow(dir, NULL), out) : 0;
        ft_decref(dir);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static ft_object *import_builtin(ft_object *name)
{
    const char *n = ft_str_utf8_borrow(name, NULL);
    for (const py_module_def *const *d = py_builtin_modules; *d; d++) {
        if (strcmp((*d)->name, n) != 0)
            continue;
        ft_object *m = py_module_from_def(*d);
        if (m && set_loaded(name, m) < 0) {
            ft_decref(m);
            return NULL;
        }
        return m;
    }
    return NULL;
}

/* ModuleNotFoundError("No module named 'x'") with its name attribute. */
static ft_object *not_found(ft_object *name, const char *why)
{
    ft_object *msg = py_str_from_format("No module named '%s'%s",
                                        ft_str_utf8_borrow(name, NULL), why);
    ft_object *args = msg ? ft_tuple_new(1) : NULL;
    if (!args) {
        ft_xdecref(msg);
        return py_err_from_ft();
    }
    ft_tuple_set_steal(args, 0, msg);
    ft_object *exc = py_exc_new(py_exc_ModuleNotFoundError, args);
    ft_decref(args);
    if (!exc)
        return NULL;
    if (ft_dict_set(py_as_exc(exc)->dict, PY_ID(name), name) < 0)
        ft_err_clear();
    py_err_set_object(exc);
    ft_decref(exc);
    return NULL;
}

static ft_object *import_top(ft_object *fullname, const char *base)
{
    ft_object *m = import_builtin(fullname);
    if (m || py_err_occurred())
        return m;
    m = import_frozen(fullname);
    if (m || py_err_occurred())
        return m;
    ft_object *path = py_sys_get_borrow("path");
    if (!path)
        return NULL;
    if (path->ob_type != &ft_list_type)
        return py_err_format(py_exc_ImportError, "sys.path must be a list of directory names");
    int rc = find_in_dirs(fullname, base, path, &m);
    return rc > 0 ? m : rc < 0 ? NULL : not_found(fullname, "");
}

/* Imports a submodule: found on the parent's __path__, then bound as an
 * attribute of the parent (import a.b makes a.b reachable). */
static ft_object *import_sub(ft_object *fullname, ft_object *parent, const char *base)
{
    ft_object *ppath = NULL;
    int found = py_getattr_opt(parent, PY_ID(__path__), &ppath);
    if (found < 0)
        return NULL;
    if (!found || ppath->ob_type != &ft_list_type) {
        ft_xdecref(ppath);
        const char *full = ft_str_utf8_borrow(fullname, NULL);
        char why[512];
        snprintf(why, sizeof why, "; '%.*s' is not a package",
                 (int)(strrchr(full, '.') - full), full);
        return not_found(fullname, why);
    }
    ft_object *m = NULL;
    int rc = find_in_dirs(fullname, base, ppath, &m);
    ft_decref(ppath);
    if (rc <= 0)
        return rc < 0 ? NULL : not_found(fullname, "");
    ft_object *attr = str_new(base, -1);
    int set = attr ? py_setattr(parent, attr, m) : -1;
    ft_xdecref(attr);
    if (set < 0) {
        ft_decref(m);
        return NULL;
    }
    return m;
}

/* Imports every module of the dotted name; returns the top-level one and,
 * in *leaf, the last (both new references). */
static ft_object *import_dotted(const char *name, ft_object **leaf)
{
    ft_object *top = NULL, *parent = NULL;
    const char *p = name;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t full_len = dot ? (size_t)(dot - name) : strlen(name);
        ft_object *fullname = str_new(name, (ssize_t)full_len);
        char base[256];
        snprintf(base, sizeof base, "%.*s", (int)(dot ? dot - p : (ptrdiff_t)strlen(p)), p);
        ft_object *m = NULL;
        if (fullname) {
            m = loaded_module(fullname);
            if (m && __atomic_load_n(&loading, __ATOMIC_RELAXED) > 0) {
                import_lock();      /* wait for a load in progress */
                import_unlock();
            }
            if (!m) {
                import_lock();
                m = loaded_module(fullname);
                if (!m) {
                    __atomic_fetch_add(&loading, 1, __ATOMIC_RELAXED);
                    m = parent ? import_sub(fullname, parent, base)
                               : import_top(fullname, base);
                    __atomic_fetch_sub(&loading, 1, __ATOMIC_RELAXED);
                }
                import_unlock();
            }
            if (m == ft_none()) {
                /* As CPython: None in sys.modules blocks the import. */
                ft_decref(m);
                m = py_err_format(py_exc_ModuleNotFoundError,
                                  "import of %s halted; None in sys.modules",
                                  ft_str_utf8_borrow(fullname, NULL));
            }
            ft_decref(fullname);
        }
        if (!m) {
            ft_xdecref(top);
            ft_xdecref(parent);
            return NULL;
        }
        if (!top)
            top = ft_newref(m);
        ft_xdecref(parent);
        parent = m;
        if (!dot)
            break;
        p = dot + 1;
    }
    *leaf = parent;
    return top;
}

/* The absolute name for a relative import of `name` at `level` from a
 * module whose globals are given. */
static ft_object *resolve_relative(ft_object *name, ft_object *globals, int level)
{
    ft_object *pkg = NULL;
    if (globals && ft_dict_lookup(globals, PY_ID(__package__), &pkg) < 0)
        return py_err_from_ft();
    if (!pkg || !py_str_check_exact(pkg) || ft_len(pkg) == 0) {
        ft_xdecref(pkg);
        return py_err_format(py_exc_ImportError,
                             "attempted relative import with no known parent package");
    }
    const char *base = ft_str_utf8_borrow(pkg, NULL);
    size_t len = strlen(base);
    for (int i = 1; i < level; i++) {
        const char *dot = memrchr(base, '.', len);
        if (!dot) {
            ft_decref(pkg);
            return py_err_format(py_exc_ImportError,
                                 "attempted relative import beyond top-level package");
        }
        len = (size_t)(dot - base);
    }
    const char *rest = ft_str_utf8_borrow(name, NULL);
    ft_object *r = rest[0] ? py_str_from_format("%.*s.%s", (int)len, base, rest)
                           : str_new(base, (ssize_t)len);
    ft_decref(pkg);
    return r;
}

ft_object *py_import(ft_object *name, ft_object *globals, ft_object *fromlist, int level)
{
    if (!py_str_check_exact(name))
        return py_err_format(py_exc_TypeError, "module name must be str, not %s",
                             py_type_name(name));
    if (level < 0)
        return py_err_format(py_exc_ValueError, "level must be >= 0");
    ft_object *absname = level > 0 ? resolve_relative(name, globals, level) : ft_newref(name);
    if (!absname)
        return NULL;
    if (ft_len(absname) == 0) {
        ft_decref(absname);
        return py_err_format(py_exc_ValueError, "Empty module name");
    }
    ft_object *leaf = NULL;
    ft_object *top = import_dotted(ft_str_utf8_borrow(absname, NULL), &leaf);
    ft_decref(absname);
    if (!top)
        return NULL;
    bool want_leaf = level > 0 || (fromlist && fromlist != ft_none() && py_is_true(fromlist) == 1);
    if (want_leaf) {
        ft_decref(top);
        return leaf;
    }
    ft_decref(leaf);
    return top;
}
