/* objects/args.c — binding the vectorcall arguments of built-ins to their
 * parameters (py_bind_args, ftpy.h), with the messages of CPython 3.11's
 * _PyArg_UnpackKeywords (Argument Clinic), and two small checks.
 *
 * The spec is parsed at each call: it is short, and the parse is cheaper
 * than the hashing a cache would need.
 */
#include <string.h>
#include "../ftpy.h"
#include "typeobject.h"

#define MAX_PARAMS 32

typedef struct param_spec {
    const char *name[MAX_PARAMS];
    size_t len[MAX_PARAMS];
    int n;          /* parameters                               */
    int posonly;    /* the first posonly are positional-only     */
    int maxpos;     /* parameters that may be given by position  */
    int minpos;     /* required parameters before the optional   */
    int minkw;      /* required keyword-only parameters          */
    bool optional_kwonly[MAX_PARAMS];
} param_spec;

static int parse_spec(const char *spec, param_spec *p)
{
    memset(p, 0, sizeof *p);
    bool optional = false, kwonly = false;
    int required = 0;
    const char *s = spec;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 1 && *s == '/')
            p->posonly = p->n;
        else if (n == 1 && *s == '|')
            optional = true;
        else if (n == 1 && *s == '*')
            kwonly = true;
        else if (n > 0) {
            if (p->n == MAX_PARAMS)
                return py_err_format_int(py_exc_SystemError, "too many parameters in '%s'", spec);
            p->name[p->n] = s;
            p->len[p->n] = n;
            if (!kwonly) {
                p->maxpos++;
                if (!optional)
                    required++;
            } else if (!optional) {
                p->minkw++;
            } else {
                p->optional_kwonly[p->n] = true;
            }
            p->n++;
        }
        s += n;
        if (*s == ',')
            s++;
    }
    p->minpos = required;
    return 0;
}

static bool name_is(const param_spec *p, int i, ft_object *kw)
{
    ssize_t n;
    const char *s = ft_str_utf8_borrow(kw, &n);
    return s && (size_t)n == p->len[i] && memcmp(s, p->name[i], p->len[i]) == 0;
}

/* The keyword argument named like parameter i, or NULL. */
static ft_object *find_keyword(const param_spec *p, int i, ft_object *const *args,
                               size_t nargs, ft_object *kwnames, ssize_t nkw)
{
    for (ssize_t k = 0; k < nkw; k++)
        if (name_is(p, i, ft_tuple_get_borrow(kwnames, k)))
            return args[nargs + (size_t)k];
    return NULL;
}

static int unexpected_keyword(const param_spec *p, const char *fname,
                              ft_object *kwnames, ssize_t nkw)
{
    for (ssize_t k = 0; k < nkw; k++) {
        ft_object *kw = ft_tuple_get_borrow(kwnames, k);
        bool known = false;
        for (int i = p->posonly; i < p->n && !known; i++)
            known = name_is(p, i, kw);
        if (!known)
            return py_err_format_int(py_exc_TypeError,
                                     "'%s' is an invalid keyword argument for %s()",
                                     ft_str_utf8_borrow(kw, NULL), fname);
    }
    return py_err_format_int(py_exc_TypeError, "invalid keyword argument for %s()", fname);
}

int py_bind_args(const char *fname, ft_object *const *args, size_t nargs,
                 ft_object *kwnames, const char *spec, ft_object **out)
{
    param_spec p;
    if (parse_spec(spec, &p) < 0)
        return -1;
    ssize_t nkw = kwnames ? ft_len(kwnames) : 0;
    int maxargs = p.n;
    int minposonly = p.posonly < p.minpos ? p.posonly : p.minpos;
    int reqlimit = p.minkw ? p.maxpos + p.minkw : p.minpos;
    for (int i = 0; i < p.n; i++)
        out[i] = NULL;

    if ((ssize_t)nargs + nkw > maxargs)
        return py_err_format_int(py_exc_TypeError,
                                 "%s() takes at most %d %sargument%s (%zd given)",
                                 fname, maxargs, nargs == 0 ? "keyword " : "",
                                 maxargs == 1 ? "" : "s", (ssize_t)nargs + nkw);
    if (nargs > (size_t)p.maxpos) {
        if (p.maxpos == 0)
            return py_err_format_int(py_exc_TypeError, "%s() takes no positional arguments",
                                     fname);
        return py_err_format_int(py_exc_TypeError,
                                 "%s() takes %s %d positional argument%s (%zu given)",
                                 fname, p.minpos < p.maxpos ? "at most" : "exactly",
                                 p.maxpos, p.maxpos == 1 ? "" : "s", nargs);
    }
    if (nargs < (size_t)minposonly)
        return py_err_format_int(py_exc_TypeError,
                                 "%s() takes %s %d positional argument%s (%zu given)",
                                 fname, minposonly < p.maxpos ? "at least" : "exactly",
                                 minposonly, minposonly == 1 ? "" : "s", nargs);
    for (size_t i = 0; i < nargs; i++)
        out[i] = args[i];
    ssize_t left = nkw;
    int start = (int)nargs > p.posonly ? (int)nargs : p.posonly;
    for (int i = start; i < maxargs; i++) {
        ft_object *cur = NULL;
        if (left)
            cur = find_keyword(&p, i, args, nargs, kwnames, nkw);
        else if (i >= reqlimit)
            break;
        out[i] = cur;
        if (cur)
            left--;
        else if (i < p.minpos || (p.maxpos <= i && i < reqlimit && !p.optional_kwonly[i]))
            return py_err_format_int(py_exc_TypeError,
                                     "%s() missing required argument '%.*s' (pos %d)",
                                     fname, (int)p.len[i], p.name[i], i + 1);
    }
    if (left > 0) {
        for (int i = p.posonly; i < (int)nargs; i++)
            if (find_keyword(&p, i, args, nargs, kwnames, nkw))
                return py_err_format_int(py_exc_TypeError,
                                         "argument for %s() given by name ('%.*s') and "
                                         "position (%d)", fname, (int)p.len[i], p.name[i],
                                         i + 1);
        return unexpected_keyword(&p, fname, kwnames, nkw);
    }
    return 0;
}

int py_no_kwargs(const char *fname, ft_object *kwnames)
{
    if (kwnames && ft_len(kwnames) > 0)
        return py_err_format_int(py_exc_TypeError, "%s() takes no keyword arguments", fname);
    return 0;
}

int py_check_nargs(const char *fname, size_t nargs, size_t min, size_t max)
{
    if (nargs < min)
        return py_err_format_int(py_exc_TypeError, "%s expected %s%zu argument%s, got %zu",
                                 fname, min == max ? "" : "at least ", min,
                                 min == 1 ? "" : "s", nargs);
    if (nargs > max)
        return py_err_format_int(py_exc_TypeError, "%s expected %s%zu argument%s, got %zu",
                                 fname, min == max ? "" : "at most ", max,
                                 max == 1 ? "" : "s", nargs);
    return 0;
}
