/* modules/objgraph.c — the _objgraph module: the object walk objgraph.py
 * is built on.
 *
 * objgraph (ftpy/Lib/objgraph.py) needs the collector's view of the heap:
 * every tracked object, what an object refers to, who refers to it, a
 * full collection, and Graphviz to render a .dot file. They come straight
 * from the runtime (ftlab/gc.h, ftlab/objgraph.h), not from the gc module,
 * so objgraph does not depend on it:
 *
 *   get_objects()          every tracked object (a new list)
 *   get_referents(*objs)   what the objects refer to (tp_traverse)
 *   get_referrers(*objs)   the tracked objects referring to any of them
 *   collect()              a full collection; the unreachable count
 *   render(dot, out)       dot -T<ext of out> -o out dot (RuntimeError
 *                          when Graphviz is missing or fails)
 *   have_program(name)     is an executable `name` on $PATH?
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../ftpy.h"
#include "modules.h"

static ft_object *og_get_objects(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("get_objects", kwnames) < 0 ||
        py_check_nargs("get_objects", nargs, 0, 0) < 0)
        return NULL;
    ft_object *l = ft_gc_get_objects(-1);
    return l ? l : py_err_from_ft();
}

/* The union over args of fn(arg), in order. */
static ft_object *gather(const char *name, ft_object *(*fn)(ft_object *),
                         ft_object *const *args, size_t nargs, ft_object *kwnames)
{
    if (py_no_kwargs(name, kwnames) < 0)
        return NULL;
    ft_object *out = ft_list_new(0);
    if (!out)
        return py_err_from_ft();
    for (size_t i = 0; i < nargs; i++) {
        ft_object *part = fn(args[i]);
        if (!part) {
            ft_decref(out);
            return py_err_from_ft();
        }
        ssize_t n = ft_len(part);
        for (ssize_t j = 0; j < n; j++) {
            ft_object *o = ft_list_get(part, j);
            int rc = o ? ft_list_append(out, o) : -1;
            ft_xdecref(o);
            if (rc < 0) {
                ft_decref(part);
                ft_decref(out);
                return py_err_from_ft();
            }
        }
        ft_decref(part);
    }
    return out;
}

static ft_object *og_get_referents(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)self;
    return gather("get_referents", ft_gc_get_referents, args, nargs, kwnames);
}

static ft_object *og_get_referrers(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)self;
    return gather("get_referrers", ft_gc_get_referrers, args, nargs, kwnames);
}

static ft_object *og_collect(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self; (void)args;
    if (py_no_kwargs("collect", kwnames) < 0 || py_check_nargs("collect", nargs, 0, 0) < 0)
        return NULL;
    ssize_t n = ft_gc_collect(-1);
    if (n < 0)
        return py_err_from_ft();
    return ft_int_from_i64(n);
}

static const char *str_arg(const char *fname, ft_object *o)
{
    if (!py_str_check_exact(o)) {
        py_err_format(py_exc_TypeError, "%s() argument must be str, not %s", fname,
                      py_type_name(o));
        return NULL;
    }
    const char *s = ft_str_utf8_borrow(o, NULL);
    if (!s)
        py_err_from_ft();
    return s;
}

static ft_object *og_render(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("render", kwnames) < 0 || py_check_nargs("render", nargs, 2, 2) < 0)
        return NULL;
    const char *dot = str_arg("render", args[0]);
    const char *out = dot ? str_arg("render", args[1]) : NULL;
    if (!out)
        return NULL;
    if (ft_objgraph_render(dot, out) < 0)
        return py_err_from_ft();
    return ft_none();
}

static ft_object *og_have_program(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("have_program", kwnames) < 0 ||
        py_check_nargs("have_program", nargs, 1, 1) < 0)
        return NULL;
    const char *name = str_arg("have_program", args[0]);
    if (!name)
        return NULL;
    const char *path = getenv("PATH");
    bool found = false;
    while (path && *path && !found) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        char buf[4096];
        if (n > 0 && n + strlen(name) + 2 < sizeof buf) {
            snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, name);
            found = access(buf, X_OK) == 0;
        }
        path = colon ? colon + 1 : NULL;
    }
    return ft_bool(found);
}

static const py_method_def objgraph_methods[] = {
    { "get_objects", og_get_objects, 0 },
    { "get_referents", og_get_referents, 0 },
    { "get_referrers", og_get_referrers, 0 },
    { "collect", og_collect, 0 },
    { "render", og_render, 0 },
    { "have_program", og_have_program, 0 },
    { NULL, NULL, 0 },
};

const py_module_def py_objgraph_module_def = { "_objgraph", NULL, objgraph_methods };
