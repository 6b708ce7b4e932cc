/* modules/os.c — the os module: processes, environment, files, entropy.
 *
 * Design notes
 *   CPython splits os into the C module posix and the Python module os;
 *   here the registered module is os itself (C), and its Python half
 *   lives in ftpy/Lib/_os_py.py (the environ mapping, stat_result,
 *   getenv) and ftpy/Lib/posixpath.py (os.path). The exec function
 *   imports both; they must not import os at their top level, since os
 *   is not in sys.modules until its exec returns.
 *
 *   os.environ is a copy of the process environment taken when os is
 *   first imported; assigning or deleting through it also calls
 *   putenv/unsetenv (the C functions _putenv/_unsetenv here), as CPython.
 *
 *   Paths are strs (os.PathLike objects through __fspath__); bytes paths
 *   are not supported. Errors are OSError subclasses from errno with the
 *   file name, in CPython's words ("[Errno 2] No such file or directory:
 *   'x'"). Blocking file-system calls detach the thread.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../ftpy.h"
#include "../objects/str.h"
#include "../objects/typeobject.h"
#include "modules.h"

extern char **environ;

/* ---- arguments ------------------------------------------------------------- */

/* The UTF-8 path inside a str or an os.PathLike: *keep receives the str
 * that owns it (release it after use). TypeError in CPython's words for
 * anything else ("remove: path should be string, bytes or os.PathLike,
 * not int"; with allow_none, listdir's longer wording). */
static const char *path_arg(const char *fname, ft_object *o, bool allow_none, ft_object **keep)
{
    *keep = NULL;
    ft_object *s = py_str_unbox_borrow(o);
    if (s) {
        *keep = ft_newref(s);
    } else {
        ft_object *fspath = NULL, *name = py_str_from_cstr("__fspath__");
        int rc = name ? py_lookup_special(o, name, &fspath) : -1;
        ft_xdecref(name);
        if (rc < 0)
            return NULL;
        if (rc > 0) {
            ft_object *r = py_call0(fspath);
            ft_decref(fspath);
            if (!r)
                return NULL;
            if (!py_str_unbox_borrow(r)) {
                py_err_format(py_exc_TypeError,
                              "expected %s.__fspath__() to return str or bytes, not %s",
                              py_type_name(o), py_type_name(r));
                ft_decref(r);
                return NULL;
            }
            *keep = ft_newref(py_str_unbox_borrow(r));
            ft_decref(r);
        }
    }
    if (!*keep) {
        if (allow_none)
            py_err_format(py_exc_TypeError,
                          "%s: path should be string, bytes, os.PathLike, integer or None, "
                          "not %s", fname, py_type_name(o));
        else
            py_err_format(py_exc_TypeError,
                          "%s: path should be string, bytes or os.PathLike, not %s", fname,
                          py_type_name(o));
        return NULL;
    }
    ssize_t n;
    const char *p = ft_str_utf8_borrow(*keep, &n);
    if (p && (ssize_t)strlen(p) != n) {
        ft_decref(*keep);
        *keep = NULL;
        py_err_format(py_exc_ValueError, "%s: embedded null character in path", fname);
        return NULL;
    }
    return p;
}

static int int_arg(ft_object *o, int64_t *out)
{
    if (!py_long_check(o))
        return py_err_format_int(py_exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer",
                                 py_type_name(o));
    return py_long_as_i64(o, out);
}

/* ---- processes ---------------------------------------------------------------- */

static ft_object *os_getpid(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_meth_noargs("posix", "getpid", nargs, kwnames) < 0)
        return NULL;
    return ft_int_from_i64(getpid());
}

static ft_object *os_getppid(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_meth_noargs("posix", "getppid", nargs, kwnames) < 0)
        return NULL;
    return ft_int_from_i64(getppid());
}

static ft_object *os_cpu_count(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_meth_noargs("posix", "cpu_count", nargs, kwnames) < 0)
        return NULL;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? ft_none() : ft_int_from_i64(n);
}

static ft_object *os_getloadavg(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_meth_noargs("posix", "getloadavg", nargs, kwnames) < 0)
        return NULL;
    double avg[3];
    if (getloadavg(avg, 3) != 3)
        return py_err_format(py_exc_OSError, "Load averages are unobtainable");
    ft_object *t = ft_tuple_new(3);
    if (!t)
        return py_err_from_ft();
    for (int i = 0; i < 3; i++)
        ft_tuple_set_steal(t, i, ft_float_from_double(avg[i]));
    return t;
}

static ft_object *os__exit(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)self;
    int64_t code;
    ft_object *a[1];
    if (py_bind_args("_exit", args, nargs, kwnames, "status", a) < 0 || int_arg(a[0], &code) < 0)
        return NULL;
    fflush(stdout);
    fflush(stderr);
    _exit((int)code);
}

static ft_object *os_strerror(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)self;
    int64_t code;
    if (py_meth_onearg(NULL, "strerror", nargs, kwnames) < 0 || int_arg(args[0], &code) < 0)
        return NULL;
    return py_str_from_cstr(strerror((int)code));
}

static ft_object *os_urandom(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    int64_t n;
    if (py_meth_onearg(NULL, "urandom", nargs, kwnames) < 0 || int_arg(args[0], &n) < 0)
        return NULL;
    if (n < 0)
        return py_err_format(py_exc_ValueError, "negative argument not allowed");
    char *buf = ft_malloc((size_t)n + 1);
    if (!buf)
        return py_err_nomemory();
    size_t got = 0;
    int err = 0;
    FT_BEGIN_ALLOW_THREADS
    while (got < (size_t)n) {
        ssize_t r = getrandom(buf + got, (size_t)n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        got += (size_t)r;
    }
    FT_END_ALLOW_THREADS
    ft_object *res = err ? py_err_from_errno(err, NULL) : py_bytes_from_buf(buf, (size_t)n);
    ft_free(buf);
    return res;
}

/* ---- environment ------------------------------------------------------------- */

/* A dict of the process environment (str -> str), skipping entries that
 * are not valid UTF-8. */
static ft_object *environ_dict(void)
{
    ft_object *d = ft_dict_new();
    if (!d)
        return py_err_from_ft();
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || eq == *e)
            continue;
        ft_object *k = ft_str_from_utf8(*e, eq - *e), *v = k ? ft_str_from_utf8(eq + 1, -1) : NULL;
        if (!k || !v) {
            ft_xdecref(k);
            ft_err_clear();
            continue;
        }
        /* the first definition wins, as in getenv() */
        ft_object *old = NULL;
        int rc = ft_dict_setdefault(d, k, v, &old);
        ft_xdecref(old);
        ft_decref(k);
        ft_decref(v);
        if (rc < 0) {
            ft_decref(d);
            return py_err_from_ft();
        }
    }
    return d;
}

/* The str argument of putenv/unsetenv: TypeError "str expected, not int". */
static const char *env_str(ft_object *o)
{
    ft_object *s = py_str_unbox_borrow(o);
    if (!s) {
        py_err_format(py_exc_TypeError, "str expected, not %s", py_type_name(o));
        return NULL;
    }
    ssize_t n;
    const char *p = ft_str_utf8_borrow(s, &n);
    if (p && (ssize_t)strlen(p) != n) {
        py_err_format(py_exc_ValueError, "embedded null byte");
        return NULL;
    }
    return p;
}

static ft_object *os_putenv(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    if (py_meth_clinic(NULL, "putenv", nargs, kwnames, 2, 2) < 0)
        return NULL;
    const char *k = env_str(args[0]), *v = k ? env_str(args[1]) : NULL;
    if (!v)
        return NULL;
    if (!*k || strchr(k, '='))
        return py_err_format(py_exc_ValueError, "illegal environment variable name");
    if (setenv(k, v, 1) < 0)
        return py_err_from_errno(errno, NULL);
    return ft_none();
}

static ft_object *os_unsetenv(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)self;
    if (py_meth_onearg(NULL, "unsetenv", nargs, kwnames) < 0)
        return NULL;
    const char *k = env_str(args[0]);
    if (!k)
        return NULL;
    if (!*k || strchr(k, '='))
        return py_err_format(py_exc_ValueError, "illegal environment variable name");
    if (unsetenv(k) < 0)
        return py_err_from_errno(errno, NULL);
    return ft_none();
}

/* ---- files ---------------------------------------------------------------------- */

static ft_object *os_getcwd(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_meth_noargs("posix", "getcwd", nargs, kwnames) < 0)
        return NULL;
    char buf[4096];
    if (!getcwd(buf, sizeof buf))
        return py_err_from_errno(errno, NULL);
    return py_str_from_cstr(buf);
}

/* One path argument, a system call on it: f(path) < 0 raises with the
 * path as the file name. */
static ft_object *path_call(const char *fname, const char *spec, ft_object *const *args,
                            size_t nargs, ft_object *kwnames, int (*call)(const char *, int),
                            int mode_default)
{
    ft_object *a[3] = { 0 };
    if (py_bind_args(fname, args, nargs, kwnames, spec, a) < 0)
        return NULL;
    if (a[2] && a[2] != ft_none())
        return py_err_format(py_exc_NotImplementedError, "dir_fd unavailable on this platform");
    int64_t mode = mode_default;
    if (a[1] && int_arg(a[1], &mode) < 0)
        return NULL;
    ft_object *keep;
    const char *p = path_arg(fname, a[0], false, &keep);
    if (!p)
        return NULL;
    int rc, err = 0;
    FT_BEGIN_ALLOW_THREADS
    rc = call(p, (int)mode);
    if (rc < 0)
        err = errno;
    FT_END_ALLOW_THREADS
    ft_object *res = rc < 0 ? py_err_from_errno(err, p) : ft_none();
    ft_decref(keep);
    return res;
}

static int do_unlink(const char *p, int mode) { (void)mode; return unlink(p); }
static int do_rmdir(const char *p, int mode) { (void)mode; return rmdir(p); }
static int do_mkdir(const char *p, int mode) { return mkdir(p, (mode_t)mode); }
static int do_chdir(const char *p, int mode) { (void)mode; return chdir(p); }

static ft_object *os_remove(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    return path_call("remove", "path,|,*,_unused,dir_fd", args, nargs, kwnames, do_unlink, 0);
}

static ft_object *os_unlink(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    return path_call("unlink", "path,|,*,_unused,dir_fd", args, nargs, kwnames, do_unlink, 0);
}

static ft_object *os_rmdir(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)self;
    return path_call("rmdir", "path,|,*,_unused,dir_fd", args, nargs, kwnames, do_rmdir, 0);
}

static ft_object *os_mkdir(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)self;
    return path_call("mkdir", "path,|,mode,*,dir_fd", args, nargs, kwnames, do_mkdir, 0777);
}

static ft_object *os_chdir(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)self;
    return path_call("chdir", "path,|,*,_unused,_unused2", args, nargs, kwnames, do_chdir, 0);
}

static ft_object *os_rename(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    ft_object *a[4];
    if (py_bind_args("rename", args, nargs, kwnames, "src,dst,|,*,src_dir_fd,dst_dir_fd", a) < 0)
        return NULL;
    ft_object *k1, *k2 = NULL;
    const char *src = path_arg("rename", a[0], false, &k1);
    const char *dst = src ? path_arg("rename", a[1], false, &k2) : NULL;
    ft_object *res = NULL;
    if (dst) {
        int rc, err = 0;
        FT_BEGIN_ALLOW_THREADS
        rc = rename(src, dst);
        if (rc < 0)
            err = errno;
        FT_END_ALLOW_THREADS
        if (rc == 0) {
            res = ft_none();
        } else {
            /* OSError(errno, strerror, src, None, dst): both names shown */
            ft_object *items[5] = { ft_int_from_i64(err), py_str_from_cstr(strerror(err)),
                                    ft_newref(a[0]), ft_none(), ft_newref(a[1]) };
            if (items[0] && items[1]) {
                ft_object *exc = py_exc_call(py_exc_OSError, items, 5);
                if (exc) {
                    py_err_set_object(exc);
                    ft_decref(exc);
                }
            }
            for (int i = 0; i < 5; i++)
                ft_xdecref(items[i]);
        }
    }
    ft_xdecref(k1);
    ft_xdecref(k2);
    return res;
}

static int list_append_name(ft_object *list, const char *name)
{
    ft_object *s = ft_str_from_utf8(name, -1);
    int rc = s ? ft_list_append(list, s) : -1;
    ft_xdecref(s);
    return rc < 0 ? py_err_from_ft_int() : 0;
}

static ft_object *os_listdir(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    ft_object *a[1] = { 0 };
    if (py_bind_args("listdir", args, nargs, kwnames, "|,path", a) < 0)
        return NULL;
    ft_object *keep = NULL;
    const char *p = ".";
    if (a[0] && a[0] != ft_none() && !(p = path_arg("listdir", a[0], true, &keep)))
        return NULL;
    DIR *d;
    int err = 0;
    FT_BEGIN_ALLOW_THREADS
    d = opendir(p);
    if (!d)
        err = errno;
    FT_END_ALLOW_THREADS
    if (!d) {
        py_err_from_errno(err, p);
        ft_xdecref(keep);
        return NULL;
    }
    ft_object *list = ft_list_new(0);
    if (!list)
        py_err_from_ft();
    struct dirent *e;
    while (list && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (list_append_name(list, e->d_name) < 0) {
            ft_decref(list);
            list = NULL;
        }
    }
    closedir(d);
    ft_xdecref(keep);
    return list;
}

/* os.stat(path): an os.stat_result (the class _os_py made, found in the
 * module: self) from struct stat. */
static ft_object *os_stat(ft_object *self, ft_object *const *args, size_t nargs,
                          ft_object *kwnames)
{
    ft_object *a[3];
    if (py_bind_args("stat", args, nargs, kwnames, "path,*,|,dir_fd,follow_symlinks", a) < 0)
        return NULL;
    ft_object *keep;
    const char *p = path_arg("stat", a[0], false, &keep);
    if (!p)
        return NULL;
    int follow = a[2] ? py_is_true(a[2]) : 1;
    if (follow < 0) {
        ft_decref(keep);
        return NULL;
    }
    struct stat st;
    int rc, err = 0;
    FT_BEGIN_ALLOW_THREADS
    rc = follow ? stat(p, &st) : lstat(p, &st);
    if (rc < 0)
        err = errno;
    FT_END_ALLOW_THREADS
    if (rc < 0) {
        py_err_from_errno(err, p);
        ft_decref(keep);
        return NULL;
    }
    ft_decref(keep);
    ft_object *t = ft_tuple_new(13);
    if (!t)
        return py_err_from_ft();
    int64_t ints[7] = { st.st_mode, (int64_t)st.st_ino, (int64_t)st.st_dev, (int64_t)st.st_nlink,
                        st.st_uid, st.st_gid, st.st_size };
    for (int i = 0; i < 7; i++)
        ft_tuple_set_steal(t, i, ft_int_from_i64(ints[i]));
    const struct timespec *ts[3] = { &st.st_atim, &st.st_mtim, &st.st_ctim };
    for (int i = 0; i < 3; i++) {
        ft_tuple_set_steal(t, 7 + i, ft_float_from_double((double)ts[i]->tv_sec +
                                                          (double)ts[i]->tv_nsec * 1e-9));
        ft_tuple_set_steal(t, 10 + i, ft_int_from_i64((int64_t)ts[i]->tv_sec * 1000000000 +
                                                      ts[i]->tv_nsec));
    }
    for (int i = 0; i < 13; i++)
        if (!ft_tuple_get_borrow(t, i)) {
            ft_decref(t);
            return py_err_from_ft();
        }
    ft_object *cls = py_getattr_str(self, "stat_result");
    ft_object *r = cls ? py_call1(cls, t) : NULL;
    ft_xdecref(cls);
    ft_decref(t);
    return r;
}

static ft_object *os_fspath(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    ft_object *a[1];
    if (py_bind_args("fspath", args, nargs, kwnames, "path", a) < 0)
        return NULL;
    if (py_str_unbox_borrow(a[0]) || py_bytes_check(a[0]))
        return ft_newref(a[0]);
    ft_object *fspath = NULL, *name = py_str_from_cstr("__fspath__");
    int rc = name ? py_lookup_special(a[0], name, &fspath) : -1;
    ft_xdecref(name);
    if (rc < 0)
        return NULL;
    if (rc == 0)
        return py_err_format(py_exc_TypeError,
                             "expected str, bytes or os.PathLike object, not %s",
                             py_type_name(a[0]));
    ft_object *r = py_call0(fspath);
    ft_decref(fspath);
    if (r && !py_str_unbox_borrow(r) && !py_bytes_check(r)) {
        py_err_format(py_exc_TypeError, "expected %s.__fspath__() to return str or bytes, not %s",
                      py_type_name(a[0]), py_type_name(r));
        ft_decref(r);
        r = NULL;
    }
    return r;
}

static const py_method_def os_methods[] = {
    { "getpid", os_getpid, 0 },          { "getppid", os_getppid, 0 },
    { "cpu_count", os_cpu_count, 0 },    { "getloadavg", os_getloadavg, 0 },
    { "_exit", os__exit, 0 },            { "strerror", os_strerror, 0 },
    { "urandom", os_urandom, 0 },        { "putenv", os_putenv, 0 },
    { "unsetenv", os_unsetenv, 0 },      { "getcwd", os_getcwd, 0 },
    { "remove", os_remove, 0 },          { "unlink", os_unlink, 0 },
    { "rmdir", os_rmdir, 0 },            { "mkdir", os_mkdir, 0 },
    { "chdir", os_chdir, 0 },            { "rename", os_rename, 0 },
    { "listdir", os_listdir, 0 },        { "stat", os_stat, 0 },
    { "fspath", os_fspath, 0 },
    { NULL, NULL, 0 },
};

/* ---- module ---------------------------------------------------------------------- */

static int add_steal(ft_object *m, const char *name, ft_object *v)
{
    if (!v)
        return -1;
    int rc = py_module_add(m, name, v);
    ft_decref(v);
    return rc;
}

static ft_object *import_name(const char *name)
{
    ft_object *n = py_str_from_cstr(name);
    if (!n)
        return NULL;
    ft_object *m = py_import(n, NULL, NULL, 0);
    ft_decref(n);
    return m;
}

/* The Python halves: environ from _os_py._Environ, stat_result, getenv,
 * and os.path = posixpath (also sys.modules['os.path']). */
static int add_python_parts(ft_object *m)
{
    ft_object *helper = import_name("_os_py");
    if (!helper)
        return -1;
    int rc = -1;
    ft_object *env_cls = py_getattr_str(helper, "_Environ");
    ft_object *data = env_cls ? environ_dict() : NULL;
    ft_object *env = data ? py_call1(env_cls, data) : NULL;
    ft_object *getenv_fn = env ? py_getattr_str(helper, "getenv") : NULL;
    ft_object *sr = getenv_fn ? py_getattr_str(helper, "stat_result") : NULL;
    ft_object *path = sr ? import_name("posixpath") : NULL;
    ft_object *mods = path ? py_sys_modules_borrow() : NULL;
    ft_object *key = mods ? py_str_from_cstr("os.path") : NULL;
    if (key && py_module_add(m, "environ", env) == 0 && py_module_add(m, "getenv", getenv_fn) == 0 &&
        py_module_add(m, "stat_result", sr) == 0 && py_module_add(m, "path", path) == 0 &&
        py_setitem(mods, key, path) == 0)
        rc = 0;
    ft_xdecref(key);
    ft_xdecref(path);
    ft_xdecref(sr);
    ft_xdecref(getenv_fn);
    ft_xdecref(env);
    ft_xdecref(data);
    ft_xdecref(env_cls);
    ft_decref(helper);
    return rc;
}

static int os_exec(ft_object *m)
{
    if (add_steal(m, "name", py_str_from_cstr("posix")) < 0 ||
        add_steal(m, "sep", py_str_from_cstr("/")) < 0 ||
        add_steal(m, "altsep", ft_none()) < 0 ||
        add_steal(m, "linesep", py_str_from_cstr("\n")) < 0 ||
        add_steal(m, "curdir", py_str_from_cstr(".")) < 0 ||
        add_steal(m, "pardir", py_str_from_cstr("..")) < 0 ||
        add_steal(m, "extsep", py_str_from_cstr(".")) < 0 ||
        add_steal(m, "pathsep", py_str_from_cstr(":")) < 0 ||
        add_steal(m, "devnull", py_str_from_cstr("/dev/null")) < 0 ||
        add_steal(m, "error", ft_newref(py_type_as_obj(py_exc_OSError))) < 0 ||
        add_steal(m, "F_OK", ft_int_from_i64(F_OK)) < 0 ||
        add_steal(m, "R_OK", ft_int_from_i64(R_OK)) < 0 ||
        add_steal(m, "W_OK", ft_int_from_i64(W_OK)) < 0 ||
        add_steal(m, "X_OK", ft_int_from_i64(X_OK)) < 0)
        return -1;
    return add_python_parts(m);
}

const py_module_def py_os_module_def = { "os", os_exec, os_methods };
