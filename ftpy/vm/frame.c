/* vm/frame.c — frames, the per-thread frame stack, thread states, argument
 * binding, the recursion limit, super()'s arguments, locals().
 *
 * The frame stack is a list of chunks taken from the system allocator
 * (not the private heap: frames are not objects and the leak report
 * should not count a thread's reserve). A push bumps the chunk's top; a
 * pop moves it back. One spare chunk is kept so that a call loop at a
 * chunk boundary does not allocate and free on every call.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "../objects/typeobject.h"

int py_recursion_limit = 1000;

/* ---- Thread states ---------------------------------------------------------- */

enum { CHUNK_MIN = 64 * 1024 };

typedef py_frame_chunk frame_chunk;
typedef py_tstate_ext tstate_ext;

__thread tstate_ext *_py_cur_tstate __attribute__((tls_model("initial-exec")));
#define cur_tstate _py_cur_tstate
static pthread_mutex_t tstate_lock = PTHREAD_MUTEX_INITIALIZER;
static py_tstate *tstate_head;

static PY_NOINLINE py_tstate *tstate_create(void)
{
    tstate_ext *t = calloc(1, sizeof *t);
    if (!t) {
        fprintf(stderr, "ftpy: out of memory for a thread state\n");
        abort();
    }
    pthread_mutex_lock(&tstate_lock);
    t->ts.next = tstate_head;
    tstate_head = &t->ts;
    pthread_mutex_unlock(&tstate_lock);
    cur_tstate = t;
    return &t->ts;
}

py_tstate *py_tstate_get(void)
{
    return py_tstate_fast();
}

py_tstate *py_tstate_create(void)
{
    return tstate_create();
}

py_tstate *py_tstate_list_head(void) { return tstate_head; }

static void tstate_free(tstate_ext *t)
{
    py_tstate *ts = &t->ts;
    ft_object *a = ts->cur_exc, *b = ts->exc_info;
    ts->cur_exc = ts->exc_info = NULL;
    ft_xdecref(a);
    ft_xdecref(b);
    for (frame_chunk *c = t->chunk; c;) {
        frame_chunk *p = c->prev;
        free(c);
        c = p;
    }
    free(t->spare);
    free(t);
}

void py_tstate_delete_current(void)
{
    tstate_ext *t = cur_tstate;
    if (!t)
        return;
    pthread_mutex_lock(&tstate_lock);
    for (py_tstate **p = &tstate_head; *p; p = &(*p)->next)
        if (*p == &t->ts) {
            *p = t->ts.next;
            break;
        }
    pthread_mutex_unlock(&tstate_lock);
    /* Dropping the exceptions may run __del__, which needs the state:
     * take them out first, free the rest after. */
    ft_object *a = t->ts.cur_exc, *b = t->ts.exc_info;
    t->ts.cur_exc = t->ts.exc_info = NULL;
    ft_xdecref(a);
    ft_xdecref(b);
    cur_tstate = NULL;
    tstate_free(t);
}

/* Drops what every thread state holds (py_fini, after the threads ended). */
void py_tstate_fini_all(void)
{
    pthread_mutex_lock(&tstate_lock);
    py_tstate *ts = tstate_head;
    tstate_head = NULL;
    pthread_mutex_unlock(&tstate_lock);
    while (ts) {
        py_tstate *next = ts->next;
        tstate_ext *t = (tstate_ext *)ts;
        if (t == cur_tstate)
            cur_tstate = NULL;
        tstate_free(t);
        ts = next;
    }
}

/* ---- Recursion limit ---------------------------------------------------------- */

int py_enter_recursive_call(const char *where)
{
    py_tstate *ts = py_tstate_fast();
    if (py_unlikely(ts->recursion_depth >= py_recursion_limit)) {
        /* While the RecursionError is being made, allow a little more
         * depth (CPython's recursion_headroom); never more than 50. */
        if (!ts->recursion_headroom ||
            ts->recursion_depth >= py_recursion_limit + 50) {
            ts->recursion_headroom++;
            py_err_format(py_exc_RecursionError,
                          "maximum recursion depth exceeded%s", where ? where : "");
            ts->recursion_headroom--;
            return -1;
        }
    }
    ts->recursion_depth++;
    return 0;
}

void py_leave_recursive_call(void)
{
    py_tstate_fast()->recursion_depth--;
}

/* ---- Frame memory -------------------------------------------------------------- */

void py_frame_init(py_frame *f, py_code *c, ft_object *func,
                   ft_object *globals, ft_object *builtins, ft_object *locals)
{
    int nlp = c->co_nlocals + c->co_ncells + c->co_nfrees;
    f->func = func;
    if (func) {
        py_function *fn = (py_function *)func;
        ft_incref(func);
        ft_incref(&c->ob_base);  /* func.__code__ may be reassigned */
        f->code = c;
        f->globals = fn->globals;
        f->builtins = fn->builtins;
        f->owns_refs = 0;
    } else {
        ft_incref(&c->ob_base);
        ft_incref(globals);
        ft_incref(builtins);
        f->code = c;
        f->globals = globals;
        f->builtins = builtins;
        f->owns_refs = 1;
    }
    if (locals)
        ft_incref(locals);
    f->locals = locals;
    f->back = NULL;
    f->gen = NULL;
    f->nlocalsplus = nlp;
    f->blocks = (py_block *)(f->localsplus + nlp + c->co_stacksize);
    f->lasti = -1;
    f->stacktop = 0;
    f->nblocks = 0;
    f->state = PY_FRAME_CREATED;
    f->is_entry = 0;
    f->throwflag = 0;
    f->traced = 0;
    f->on_chunk = 0;
    memset(f->localsplus, 0, (size_t)nlp * sizeof(ft_object *));
}

static frame_chunk *chunk_new(tstate_ext *t, size_t need)
{
    frame_chunk *c = t->spare;
    if (c && c->size >= need) {
        t->spare = NULL;
    } else {
        size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;
        c = malloc(sizeof(frame_chunk) + size);
        if (!c) {
            py_err_nomemory();
            return NULL;
        }
        c->size = size;
    }
    c->top = 0;
    c->prev = t->chunk;
    t->chunk = c;
    return c;
}

py_frame *py_frame_alloc_slow(py_tstate *ts, size_t need)
{
    frame_chunk *ch = chunk_new((tstate_ext *)ts, need);
    if (!ch)
        return NULL;
    ch->top = need;
    return (py_frame *)ch->data;
}

void py_frame_free_chunk(py_tstate *ts)
{
    tstate_ext *t = (tstate_ext *)ts;
    frame_chunk *ch = t->chunk;
    t->chunk = ch->prev;
    free(t->spare);
    t->spare = ch;
}

py_frame *py_frame_push(py_code *c, ft_object *func, ft_object *globals,
                        ft_object *builtins, ft_object *locals)
{
    py_tstate *ts = py_tstate_fast();
    py_frame *f = py_frame_alloc(ts, py_frame_size(c));
    if (!f)
        return NULL;
    py_frame_init(f, c, func, globals, builtins, locals);
    f->on_chunk = 1;
    return f;
}

void py_frame_clear(py_frame *f)
{
    int n = f->nlocalsplus;
    for (int i = 0; i < n; i++) {
        ft_object *v = f->localsplus[i];
        if (v) {
            f->localsplus[i] = NULL;
            ft_decref(v);
        }
    }
    ft_object **stack = py_frame_stack_base(f);
    while (f->stacktop > 0) {
        ft_object *v = stack[--f->stacktop];
        ft_xdecref(v);
    }
    f->nblocks = 0;
    ft_object *locals = f->locals;
    f->locals = NULL;
    ft_xdecref(locals);
}

/* Drops the references to code/globals/builtins/func (last step). */
static void frame_drop_owner(py_frame *f)
{
    if (f->func) {
        ft_object *func = f->func;
        f->func = NULL;
        ft_decref(&f->code->ob_base);
        ft_decref(func);
    } else if (f->owns_refs) {
        f->owns_refs = 0;
        ft_decref(&f->code->ob_base);
        ft_decref(f->globals);
        ft_decref(f->builtins);
    }
}

void py_frame_release(py_frame *f)
{
    py_frame_clear(f);
    frame_drop_owner(f);
    if (f->on_chunk)
        py_frame_free(py_tstate_fast(), f);
}

void py_frame_drop_owner(py_frame *f) { frame_drop_owner(f); }

/* ---- Argument binding (CPython 3.11's initialize_locals) --------------------- */

static const char *utf8(ft_object *s)
{
    const char *p = ft_str_utf8_borrow(s, NULL);
    return p ? p : "?";
}

static void too_many_positional(py_code *co, size_t given, ft_object *defaults,
                                ft_object **L, ft_object *qualname)
{
    ssize_t kwonly_given = 0;
    for (int i = co->co_argcount; i < co->co_argcount + co->co_kwonlyargcount; i++)
        if (L[i])
            kwonly_given++;
    ssize_t defcount = defaults ? ft_len(defaults) : 0;
    char sig[64], kwsig[96] = "";
    int plural;
    if (defcount) {
        plural = 1;
        snprintf(sig, sizeof sig, "from %zd to %d", co->co_argcount - defcount,
                 co->co_argcount);
    } else {
        plural = co->co_argcount != 1;
        snprintf(sig, sizeof sig, "%d", co->co_argcount);
    }
    if (kwonly_given)
        snprintf(kwsig, sizeof kwsig,
                 " positional argument%s (and %zd keyword-only argument%s)",
                 given != 1 ? "s" : "", kwonly_given, kwonly_given != 1 ? "s" : "");
    py_err_format(py_exc_TypeError, "%s() takes %s positional argument%s but %zu%s %s given",
                  utf8(qualname), sig, plural ? "s" : "", given, kwsig,
                  given == 1 && !kwonly_given ? "was" : "were");
}

static void missing_arguments(py_code *co, ssize_t missing, ssize_t defcount,
                              ft_object **L, ft_object *qualname)
{
    bool positional = defcount != -1;
    ssize_t start, end;
    if (positional) {
        start = 0;
        end = co->co_argcount - defcount;
    } else {
        start = co->co_argcount;
        end = start + co->co_kwonlyargcount;
    }
    /* "'a'", "'a' and 'b'", "'a', 'b', and 'c'" */
    size_t cap = 64, len = 0;
    char *names = malloc(cap);
    if (!names) {
        py_err_nomemory();
        return;
    }
    names[0] = '\0';
    ssize_t j = 0;
    for (ssize_t i = start; i < end; i++) {
        if (L[i])
            continue;
        const char *nm = utf8(ft_tuple_get_borrow(co->co_varnames, i));
        const char *sep = "";
        if (j > 0)
            sep = missing == 2 ? " and " : (j == missing - 1 ? ", and " : ", ");
        size_t add = strlen(sep) + strlen(nm) + 3;
        if (len + add >= cap) {
            while (len + add >= cap)
                cap *= 2;
            char *bigger = realloc(names, cap);
            if (!bigger) {
                free(names);
                py_err_nomemory();
                return;
            }
            names = bigger;
        }
        len += (size_t)sprintf(names + len, "%s'%s'", sep, nm);
        j++;
    }
    py_err_format(py_exc_TypeError, "%s() missing %zd required %s argument%s: %s",
                  utf8(qualname), missing, positional ? "positional" : "keyword-only",
                  missing == 1 ? "" : "s", names);
    free(names);
}

static bool name_eq(ft_object *a, ft_object *b)
{
    if (a == b)
        return true;
    int r = py_richcompare_bool(a, b, PY_EQ);
    if (r < 0) {
        py_err_clear();
        return false;
    }
    return r == 1;
}

/* "f() got some positional-only arguments passed as keyword arguments:
 * 'a, b'": true when raised. */
static bool posonly_as_keyword(py_code *co, ft_object *kwnames, ft_object *qualname)
{
    char buf[512];
    size_t len = 0;
    buf[0] = '\0';
    ssize_t nkw = ft_len(kwnames);
    int found = 0;
    for (int k = 0; k < co->co_posonlyargcount; k++) {
        ft_object *pname = ft_tuple_get_borrow(co->co_varnames, k);
        for (ssize_t k2 = 0; k2 < nkw; k2++) {
            ft_object *kw = ft_tuple_get_borrow(kwnames, k2);
            if (name_eq(kw, pname)) {
                len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
                                        found ? ", " : "", utf8(kw));
                if (len >= sizeof buf)
                    len = sizeof buf - 1;
                found++;
            }
        }
    }
    if (!found)
        return false;
    py_err_format(py_exc_TypeError,
                  "%s() got some positional-only arguments passed as keyword "
                  "arguments: '%s'", utf8(qualname), buf);
    return true;
}

int py_frame_init_cells(py_frame *f, ft_object *closure)
{
    py_code *co = f->code;
    ft_object **C = f->localsplus + co->co_nlocals;
    for (int i = 0; i < co->co_ncells; i++) {
        ft_object *v = NULL;
        if (co->co_cell2arg && co->co_cell2arg[i] >= 0) {
            int a = co->co_cell2arg[i];
            v = f->localsplus[a];     /* moved into the cell */
            f->localsplus[a] = NULL;
        }
        ft_object *cell = py_cell_new(v);
        ft_xdecref(v);
        if (!cell)
            return -1;
        C[i] = cell;
    }
    for (int i = 0; i < co->co_nfrees; i++) {
        ft_object *cell = closure ? ft_tuple_get_borrow(closure, i) : NULL;
        if (!cell) {
            py_err_format(py_exc_SystemError, "%s: closure is missing free variable cells",
                          utf8(co->co_name));
            return -1;
        }
        ft_incref(cell);
        C[co->co_ncells + i] = cell;
    }
    return 0;
}

int py_frame_bind_args(py_frame *f, ft_object *func, ft_object *const *args,
                       size_t nargs, ft_object *kwnames)
{
    py_function *fn = (py_function *)func;
    py_code *co = f->code;
    ft_object **L = f->localsplus;
    size_t argcount = (size_t)co->co_argcount;
    size_t total_args = argcount + (size_t)co->co_kwonlyargcount;
    ft_object *kwdict = NULL;
    size_t i, n;

    if (py_likely(!kwnames && nargs == argcount && !(co->co_flags &
                   (PY_CO_VARARGS | PY_CO_VARKEYWORDS)))) {
        /* The common case: exactly the positional arguments. */
        for (i = 0; i < nargs; i++) {
            ft_incref(args[i]);
            L[i] = args[i];
        }
        if (co->co_kwonlyargcount == 0)
            goto cells;
        n = nargs;
        goto kwonly_defaults;
    }

    if (co->co_flags & PY_CO_VARKEYWORDS) {
        kwdict = ft_dict_new();
        if (!kwdict)
            return py_err_from_ft_int();
        size_t idx = total_args + ((co->co_flags & PY_CO_VARARGS) ? 1 : 0);
        L[idx] = kwdict;
    }
    n = nargs > argcount ? argcount : nargs;
    for (i = 0; i < n; i++) {
        ft_incref(args[i]);
        L[i] = args[i];
    }
    if (co->co_flags & PY_CO_VARARGS) {
        ssize_t extra = nargs > n ? (ssize_t)(nargs - n) : 0;
        ft_object *u = ft_tuple_new(extra);
        if (!u)
            return py_err_from_ft_int();
        for (ssize_t k = 0; k < extra; k++) {
            ft_incref(args[n + (size_t)k]);
            ft_tuple_set_steal(u, k, args[n + (size_t)k]);
        }
        L[total_args] = u;
    }
    if (kwnames) {
        ssize_t nkw = ft_len(kwnames);
        for (ssize_t k = 0; k < nkw; k++) {
            ft_object *kw = ft_tuple_get_borrow(kwnames, k);
            ft_object *value = args[nargs + (size_t)k];
            if (!py_str_check_exact(kw) && !py_isinstance_exact_or_sub(kw, &py_str_class)) {
                py_err_format(py_exc_TypeError, "%s() keywords must be strings",
                              utf8(fn->qualname));
                return -1;
            }
            size_t j;
            for (j = (size_t)co->co_posonlyargcount; j < total_args; j++)
                if (ft_tuple_get_borrow(co->co_varnames, (ssize_t)j) == kw)
                    goto kw_found;
            for (j = (size_t)co->co_posonlyargcount; j < total_args; j++)
                if (name_eq(ft_tuple_get_borrow(co->co_varnames, (ssize_t)j), kw))
                    goto kw_found;
            if (!kwdict) {
                if (co->co_posonlyargcount && posonly_as_keyword(co, kwnames, fn->qualname))
                    return -1;
                py_err_format(py_exc_TypeError,
                              "%s() got an unexpected keyword argument '%s'",
                              utf8(fn->qualname), utf8(kw));
                return -1;
            }
            if (ft_dict_set(kwdict, kw, value) < 0)
                return py_err_from_ft_int();
            continue;
        kw_found:
            if (L[j]) {
                py_err_format(py_exc_TypeError, "%s() got multiple values for argument '%s'",
                              utf8(fn->qualname), utf8(kw));
                return -1;
            }
            ft_incref(value);
            L[j] = value;
        }
    }
    if (nargs > argcount && !(co->co_flags & PY_CO_VARARGS)) {
        too_many_positional(co, nargs, fn->defaults, L, fn->qualname);
        return -1;
    }
    if (nargs < argcount) {
        ssize_t defcount = fn->defaults ? ft_len(fn->defaults) : 0;
        ssize_t m = (ssize_t)argcount - defcount;
        ssize_t missing = 0;
        for (ssize_t k = (ssize_t)nargs; k < m; k++)
            if (!L[k])
                missing++;
        if (missing) {
            missing_arguments(co, missing, defcount, L, fn->qualname);
            return -1;
        }
        ssize_t k = (ssize_t)n > m ? (ssize_t)n - m : 0;
        for (; k < defcount; k++) {
            if (!L[m + k]) {
                ft_object *def = ft_tuple_get_borrow(fn->defaults, k);
                ft_incref(def);
                L[m + k] = def;
            }
        }
    }
kwonly_defaults:
    if (co->co_kwonlyargcount > 0) {
        ssize_t missing = 0;
        for (i = argcount; i < total_args; i++) {
            if (L[i])
                continue;
            ft_object *varname = ft_tuple_get_borrow(co->co_varnames, (ssize_t)i);
            if (fn->kwdefaults) {
                ft_object *def = NULL;
                int r = ft_dict_lookup(fn->kwdefaults, varname, &def);
                if (r < 0)
                    return py_err_from_ft_int();
                if (r > 0) {
                    L[i] = def;
                    continue;
                }
            }
            missing++;
        }
        if (missing) {
            missing_arguments(co, missing, -1, L, fn->qualname);
            return -1;
        }
    }
cells:
    if (co->co_ncells || co->co_nfrees)
        return py_frame_init_cells(f, fn->closure);
    return 0;
}

/* ---- Introspection ---------------------------------------------------------- */

int py_frame_lineno(const py_frame *f)
{
    if (f->lasti < 0)
        return f->code->co_firstlineno;
    return py_code_line(f->code, f->lasti);
}

py_frame *py_frame_current(void)
{
    return py_tstate_fast()->frame;
}

ft_object *py_frame_locals(py_frame *f)
{
    if (f->locals)
        return ft_newref(f->locals);
    py_code *co = f->code;
    ft_object *d = ft_dict_new();
    if (!d)
        return py_err_from_ft();
    for (int i = 0; i < co->co_nlocals; i++) {
        ft_object *v = f->localsplus[i];
        if (v && ft_dict_set(d, ft_tuple_get_borrow(co->co_varnames, i), v) < 0)
            goto fail;
    }
    for (int i = 0; i < co->co_ncells + co->co_nfrees; i++) {
        ft_object *cell = f->localsplus[co->co_nlocals + i];
        ft_object *v = cell ? py_cell_get_borrow(cell) : NULL;
        if (!v)
            continue;
        ft_object *name = i < co->co_ncells
                              ? ft_tuple_get_borrow(co->co_cellvars, i)
                              : ft_tuple_get_borrow(co->co_freevars, i - co->co_ncells);
        if (ft_dict_set(d, name, v) < 0)
            goto fail;
    }
    return d;
fail:
    ft_decref(d);
    return py_err_from_ft();
}

int py_frame_super_args(py_frame *f, ft_object **type, ft_object **obj)
{
    if (!f) {
        py_err_setstr(py_exc_RuntimeError, "super(): no current frame");
        return -1;
    }
    py_code *co = f->code;
    if (co->co_argcount == 0) {
        py_err_setstr(py_exc_RuntimeError, "super(): no arguments");
        return -1;
    }
    ft_object *first = f->localsplus[0];
    if (!first && co->co_cell2arg) {
        for (int i = 0; i < co->co_ncells; i++) {
            if (co->co_cell2arg[i] == 0) {
                ft_object *cell = f->localsplus[co->co_nlocals + i];
                first = cell ? py_cell_get_borrow(cell) : NULL;
                break;
            }
        }
    }
    if (!first) {
        py_err_setstr(py_exc_RuntimeError, "super(): arg[0] deleted");
        return -1;
    }
    ssize_t nfree = co->co_nfrees;
    for (ssize_t i = 0; i < nfree; i++) {
        ft_object *name = ft_tuple_get_borrow(co->co_freevars, i);
        if (!name_eq(name, PY_ID(__class__)))
            continue;
        ft_object *cell = f->localsplus[co->co_nlocals + co->co_ncells + i];
        ft_object *cls = cell ? py_cell_get_borrow(cell) : NULL;
        if (!cls) {
            py_err_setstr(py_exc_RuntimeError, "super(): empty __class__ cell");
            return -1;
        }
        if (!py_is_type(cls)) {
            py_err_format(py_exc_RuntimeError, "super(): __class__ is not a type (%s)",
                          py_type_name(cls));
            return -1;
        }
        *type = ft_newref(cls);
        *obj = ft_newref(first);
        return 0;
    }
    py_err_setstr(py_exc_RuntimeError, "super(): __class__ cell not found");
    return -1;
}

/* ---- tracemalloc frames --------------------------------------------------------
 * The trace stack keeps filename pointers for as long as traces refer to
 * them, longer than a code object may live: each distinct filename is
 * copied once into a list that lives until the process ends. */
typedef struct fname_entry {
    struct fname_entry *next;
    char name[];
} fname_entry;
static fname_entry *fnames;
static pthread_mutex_t fname_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *stable_filename(ft_object *s)
{
    const char *p = ft_str_utf8_borrow(s, NULL);
    if (!p)
        return "<unknown>";
    pthread_mutex_lock(&fname_lock);
    fname_entry *e;
    for (e = fnames; e; e = e->next)
        if (strcmp(e->name, p) == 0)
            break;
    if (!e) {
        size_t n = strlen(p);
        e = malloc(sizeof *e + n + 1);
        if (e) {
            memcpy(e->name, p, n + 1);
            e->next = fnames;
            fnames = e;
        }
    }
    pthread_mutex_unlock(&fname_lock);
    return e ? e->name : "<unknown>";
}

void py_frame_trace_push(py_frame *f)
{
    if (py_likely(!ft_tracemalloc_is_tracing()))
        return;
    ft_trace_push(stable_filename(f->code->co_filename), py_frame_lineno(f));
    f->traced = 1;
}

void py_frame_trace_pop(py_frame *f)
{
    if (f->traced) {
        f->traced = 0;
        ft_trace_pop();
    }
}
