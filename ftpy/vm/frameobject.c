/* vm/frameobject.c — frame objects and the machinery of sys.settrace.
 *
 * Design (see frameobject.h for the contract):
 *   - Each thread that traces or asks for frame objects has a
 *     trace_thread record (malloc'd, thread-local pointer): its trace
 *     function, a "running" counter (the trace function's own frames are
 *     never traced, as in CPython), and the list of frame objects attached
 *     to its running frames, oldest first. Frame activations are LIFO per
 *     thread, so the frame looked up is nearly always the last entry.
 *   - A frame object holds its own references to code, globals and
 *     builtins (never freed under it), a borrowed pointer to the frame
 *     while attached, and after detaching a snapshot (line, locals,
 *     caller). Only the thread running the frame follows the pointer.
 *   - Trace functions are strong references owned by the records. They
 *     are released when the thread calls settrace(None), or at the end
 *     of the interpreter: a small registry object put in sys's dict dies
 *     when py_modules_fini empties that dict, and drops every record's
 *     function then (records of finished threads included), so a program
 *     that never switches tracing off leaks nothing.
 *   - Events follow CPython 3.11 (sys.settrace's documentation and
 *     ceval.c's maybe_call_line_trace): 'call' when a frame starts or a
 *     generator resumes, with the global function, whose result (unless
 *     None) becomes f_trace; 'line' when the instruction about to run
 *     starts another line than the previous one run in that frame, or a
 *     jump went backwards; 'exception' when an exception passes through
 *     the frame; 'return' when it returns or yields (the value) or ends by
 *     an exception (None). A trace function that raises switches tracing
 *     off for its thread and its exception propagates in the frame.
 */
#include <stdlib.h>
#include <string.h>
#include "frameobject.h"
#include "vm.h"
#include "opcode.h"
#include "../modules/modules.h"
#include "../objects/typeobject.h"

__thread int _py_trace_active __attribute__((tls_model("initial-exec")));

typedef struct frameobj frameobj;

typedef struct trace_thread {
    ft_object *func;             /* the trace function (strong) or NULL   */
    int running;                 /* > 0 while a trace function runs       */
    frameobj **att;              /* attached frame objects (strong refs)  */
    int natt, capatt;
    struct trace_thread *next;   /* every record (registry)               */
} trace_thread;

struct frameobj {
    ft_object ob_base;
    py_frame *frame;             /* while attached; read by `owner` only  */
    uint64_t owner;              /* ft_thread_id() of the running thread  */
    ft_object *code, *globals, *builtins;   /* strong (globals may be NULL
                                    after a GC clear)                     */
    ft_object *locals;           /* snapshot after detaching, or NULL     */
    ft_object *back;             /* the caller's frame object, or NULL    */
    ft_object *trace;            /* f_trace, or NULL                      */
    int lineno;                  /* last known line (snapshot)            */
    int lasti;                   /* last known instruction index          */
    int prev_instr;              /* the instruction last traced: 'line'   */
    int last_seen;               /* the last instruction run, traced or not */
    int skip_line;               /* the line of a run of bookkeeping code  */
    bool back_known;             /* `back` was looked up                  */
    bool trace_lines;            /* f_trace_lines                         */
};

static __thread trace_thread *tls_rec;
static trace_thread *all_recs;               /* guarded by recs_lock */
static ft_mutex recs_lock = FT_MUTEX_INIT;
static bool registry_made;                   /* guarded by recs_lock */

static trace_thread *rec_get(void)
{
    trace_thread *t = tls_rec;
    if (py_likely(t != NULL))
        return t;
    t = calloc(1, sizeof *t);
    if (!t) {
        py_err_nomemory();
        return NULL;
    }
    ft_mutex_lock(&recs_lock);
    t->next = all_recs;
    all_recs = t;
    ft_mutex_unlock(&recs_lock);
    tls_rec = t;
    return t;
}

static void update_active(trace_thread *t)
{
    _py_trace_active = t->func != NULL && t->running == 0;
}

/* The class is readied on first use (interp.c's list is not ours). */
static int frameobject_ready(void)
{
    /* py_type_ready is thread-safe (typeobject.c, ready_mutex) */
    return py_type_ready(&py_frameobject_class);
}

/* ---- Attaching ------------------------------------------------------------- */

static bool is_module_code(const py_code *co)
{
    const char *n = ft_str_utf8_borrow(co->co_name, NULL);
    return n && strcmp(n, "<module>") == 0;
}

static int frame_line(py_frame *f)
{
    if (f->lasti < 0)
        return is_module_code(f->code) ? 0 : f->code->co_firstlineno;
    return py_code_line(f->code, f->lasti);
}

static frameobj *find(trace_thread *t, py_frame *f)
{
    for (int i = t->natt; i-- > 0;)
        if (t->att[i]->frame == f)
            return t->att[i];
    return NULL;
}

/* f's frame object (borrowed: the record holds it), made if needed. */
static frameobj *attach(trace_thread *t, py_frame *f)
{
    frameobj *fo = find(t, f);
    if (fo)
        return fo;
    if (frameobject_ready() < 0)
        return NULL;
    if (t->natt == t->capatt) {
        int cap = t->capatt ? t->capatt * 2 : 16;
        frameobj **a = realloc(t->att, (size_t)cap * sizeof *a);
        if (!a) {
            py_err_nomemory();
            return NULL;
        }
        t->att = a;
        t->capatt = cap;
    }
    ft_object *o = ft_object_new(&py_frameobject_class.ft, sizeof(frameobj));
    if (!o) {
        py_err_from_ft();
        return NULL;
    }
    fo = (frameobj *)o;
    fo->frame = f;
    fo->owner = ft_thread_id();
    fo->code = ft_newref(&f->code->ob_base);
    fo->globals = f->globals ? ft_newref(f->globals) : NULL;
    fo->builtins = f->builtins ? ft_newref(f->builtins) : NULL;
    fo->lasti = f->lasti;
    fo->lineno = frame_line(f);
    fo->prev_instr = f->lasti;
    fo->last_seen = f->lasti;
    fo->trace_lines = true;
    t->att[t->natt++] = fo;
    f->traced |= PY_FRAME_TRACED_OBJ;
    return fo;
}

ft_object *py_frameobject_get(py_frame *f)
{
    trace_thread *t = rec_get();
    frameobj *fo = t ? attach(t, f) : NULL;
    return fo ? ft_newref(&fo->ob_base) : NULL;
}

/* The activation of f ends: its object keeps a snapshot if anyone else
 * holds it. The current exception, if any, is kept. */
static void detach(trace_thread *t, py_frame *f)
{
    f->traced &= (uint8_t)~PY_FRAME_TRACED_OBJ;
    if (!t)
        return;
    int i = t->natt;
    while (i-- > 0 && t->att[i]->frame != f)
        ;
    if (i < 0)
        return;
    frameobj *fo = t->att[i];
    memmove(&t->att[i], &t->att[i + 1], (size_t)(t->natt - i - 1) * sizeof *t->att);
    if (--t->natt == 0) {
        free(t->att);
        t->att = NULL;
        t->capatt = 0;
    }
    fo->lasti = f->lasti;
    fo->lineno = frame_line(f);
    if (_ft_refcount_total(&fo->ob_base) > 1) {
        ft_object *exc = py_err_fetch();
        if (!fo->locals) {
            fo->locals = py_frame_locals(f);
            if (!fo->locals)
                py_err_clear();
        }
        if (!fo->back_known) {
            fo->back_known = true;
            fo->back = f->back ? py_frameobject_get(f->back) : NULL;
            if (!fo->back)
                py_err_clear();
        }
        py_err_restore(exc);
    }
    fo->frame = NULL;
    ft_decref(&fo->ob_base);
}

/* ---- Calling the trace function ------------------------------------------ */

static void trace_off(trace_thread *t)
{
    ft_object *old = t->func;
    t->func = NULL;
    update_active(t);
    ft_xdecref(old);
}

/* Calls callback(frame, event, arg); its result (unless None) becomes
 * f_trace. On an error tracing stops for the thread and f_trace is
 * cleared (CPython's trace_trampoline). */
static int call_trace(trace_thread *t, frameobj *fo, ft_object *callback,
                      const char *event, ft_object *arg)
{
    ft_object *ev = ft_str_from_utf8(event, -1);
    if (!ev)
        return py_err_from_ft_int();
    ft_incref(callback);
    ft_incref(&fo->ob_base);
    ft_object *args[3] = { &fo->ob_base, ev, arg };
    t->running++;
    update_active(t);
    ft_object *r = py_vcall(callback, args, 3, NULL);
    t->running--;
    update_active(t);
    ft_decref(ev);
    ft_decref(callback);
    int rc = 0;
    if (!r) {
        trace_off(t);
        ft_object *old = fo->trace;
        fo->trace = NULL;
        ft_xdecref(old);
        rc = -1;
    } else if (r != ft_none()) {
        ft_object *old = fo->trace;
        fo->trace = r;
        ft_xdecref(old);
    } else {
        ft_decref(r);
    }
    ft_decref(&fo->ob_base);
    return rc;
}

int py_trace_call(py_frame *f)
{
    trace_thread *t = tls_rec;
    if (!t || !t->func || t->running)
        return 0;
    frameobj *fo = attach(t, f);
    if (!fo)
        return -1;
    fo->prev_instr = fo->last_seen = f->lasti;
    fo->skip_line = 0;
    /* A generator resumed by throw() starts with the exception set. */
    ft_object *pending = py_err_fetch();
    int rc = call_trace(t, fo, t->func, "call", ft_none());
    if (rc < 0)
        ft_xdecref(pending);
    else
        py_err_restore(pending);
    /* A frame nobody traces nor holds runs untraced (full speed). */
    if (rc == 0 && !fo->trace && _ft_refcount_total(&fo->ob_base) == 1)
        detach(t, f);
    return rc;
}

/* ftpy's compiler gives some bookkeeping instructions the line of the
 * enclosing statement where CPython's have none or the body's (the
 * handler preamble of try/except, the jump closing a loop or a try
 * body): they are not seen by 'line' events, so that the events match
 * CPython's (no spurious `try:`/`for` line). */
static bool line_invisible(const py_code *co, int32_t idx, int32_t prev)
{
    int op = py_instr_op(co->co_code[idx]);
    int next = idx + 1 < co->co_ncode ? py_instr_op(co->co_code[idx + 1]) : -1;
    switch (op) {
    case OP_PUSH_EXC_INFO:
    case OP_POP_EXCEPT:
    case OP_RERAISE:
        return true;
    case OP_SETUP_FINALLY:
        return next == OP_PUSH_EXC_INFO;
    case OP_SWAP:
        return next == OP_POP_EXCEPT;
    case OP_JUMP_BACKWARD:
        /* closing a for loop: its target (FOR_ITER) shows the line */
        if (co->co_lines[py_instr_arg(co->co_code[idx])] != co->co_lines[idx])
            return false;
        return prev >= 0 && co->co_lines[idx] < co->co_lines[prev];
    case OP_POP_BLOCK:
        if (next == OP_WITH_EXIT_NORMAL)
            return false;       /* leaving a with: CPython shows its line */
        __attribute__((fallthrough));
    case OP_JUMP:
        return prev >= 0 && co->co_lines[idx] < co->co_lines[prev];
    default:
        return false;
    }
}

int py_trace_line(py_frame *f, int32_t idx)
{
    trace_thread *t = tls_rec;
    frameobj *fo = t ? find(t, f) : NULL;
    if (!fo)
        return 0;
    const py_code *co = f->code;
    int32_t prev = fo->prev_instr;
    if (idx < 0 || idx >= co->co_ncode)
        return 0;
    /* Bookkeeping, and what follows it on its line (the `except E as e`
     * cleanup), is invisible. */
    bool sequential = idx == fo->last_seen + 1;
    fo->last_seen = idx;
    if (line_invisible(co, idx, prev)) {
        int op = py_instr_op(co->co_code[idx]);
        if (op == OP_POP_EXCEPT || op == OP_POP_BLOCK || op == OP_JUMP)
            fo->skip_line = co->co_lines[idx];
        return 0;
    }
    if (sequential && fo->skip_line && co->co_lines[idx] == fo->skip_line)
        return 0;
    fo->skip_line = 0;
    fo->prev_instr = idx;
    if (!fo->trace || !fo->trace_lines || !_py_trace_active)
        return 0;
    int line = idx >= 0 && idx < co->co_ncode ? co->co_lines[idx] : 0;
    if (line <= 0)
        return 0;
    int lastline = prev >= 0 && prev < co->co_ncode ? co->co_lines[prev] : -1;
    /* (the loop of `yield from` jumps back to its SEND: not a new line) */
    bool backward = prev >= 0 && idx < prev && py_instr_op(co->co_code[prev]) != OP_SEND &&
                    py_instr_op(co->co_code[idx]) != OP_SEND;
    if (line == lastline && !backward)
        return 0;
    f->lasti = idx;
    return call_trace(t, fo, fo->trace, "line", ft_none());
}

int py_trace_exception(py_frame *f, int32_t idx)
{
    trace_thread *t = tls_rec;
    frameobj *fo = t ? find(t, f) : NULL;
    if (!fo || !fo->trace || !_py_trace_active)
        return 0;
    ft_object *exc = py_err_fetch();
    if (!exc)
        return 0;
    ft_object *tb = py_exc_check(exc) && py_as_exc(exc)->traceback
                        ? py_as_exc(exc)->traceback : ft_none();
    ft_object *arg = ft_tuple_new(3);
    if (!arg) {
        ft_decref(exc);
        return py_err_from_ft_int();
    }
    ft_tuple_set_steal(arg, 0, ft_newref(&py_type_of(exc)->ft.ob_base));
    ft_tuple_set_steal(arg, 1, ft_newref(exc));
    ft_tuple_set_steal(arg, 2, ft_newref(tb));
    f->lasti = idx;
    int rc = call_trace(t, fo, fo->trace, "exception", arg);
    ft_decref(arg);
    if (rc < 0)
        ft_decref(exc);         /* the trace function's error wins */
    else
        py_err_restore(exc);
    return rc;
}

int py_trace_leave(py_frame *f, ft_object *v, int32_t idx)
{
    trace_thread *t = tls_rec;
    frameobj *fo = t ? find(t, f) : NULL;
    int rc = 0;
    if (fo && idx >= 0)
        f->lasti = idx;         /* f_lineno of a frame object kept after */
    if (fo && fo->trace && _py_trace_active) {
        /* An exception leaving through a handler's cleanup (RERAISE):
         * the line is the last one traced, as CPython reports. */
        f->lasti = !v && fo->prev_instr >= 0 && idx >= 0 && idx < f->code->co_ncode &&
                           line_invisible(f->code, idx, fo->prev_instr)
                       ? fo->prev_instr : idx;
        if (v) {
            rc = call_trace(t, fo, fo->trace, "return", v);
        } else {
            ft_object *exc = py_err_fetch();
            rc = call_trace(t, fo, fo->trace, "return", ft_none());
            if (rc < 0)
                ft_xdecref(exc);
            else
                py_err_restore(exc);
        }
    }
    detach(t, f);
    return rc;
}

/* ---- settrace / gettrace, and the registry that frees at the end ---------- */

typedef struct { ft_object ob_base; } trace_registry;

/* Dies with sys's dict (py_modules_fini): every thread's trace function
 * goes. */
static void registry_dealloc(ft_object *o)
{
    ft_mutex_lock(&recs_lock);
    trace_thread *recs = all_recs;
    registry_made = false;
    ft_mutex_unlock(&recs_lock);
    for (trace_thread *t = recs; t; t = t->next) {
        ft_object *fn = t->func;
        t->func = NULL;
        if (t == tls_rec)
            update_active(t);
        ft_xdecref(fn);
    }
    ft_object_free(o);
}

static py_type trace_registry_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "trace_registry",
        .tp_basicsize = sizeof(trace_registry),
        .tp_flags = PY_TPFLAGS_PYTYPE,
        .tp_dealloc = registry_dealloc,
    },
};

/* Puts the registry in sys's dict once per interpreter (module: sys). */
static int registry_ensure(ft_object *module)
{
    ft_mutex_lock(&recs_lock);
    bool made = registry_made;
    registry_made = true;
    ft_mutex_unlock(&recs_lock);
    if (made)
        return 0;
    if (py_type_ready(&trace_registry_class) < 0)
        goto fail;
    ft_object *reg = ft_object_new(&trace_registry_class.ft, sizeof(trace_registry));
    if (!reg) {
        py_err_from_ft();
        goto fail;
    }
    int rc = py_module_add(module, "_ftpy_trace_registry", reg);
    ft_decref(reg);   /* on success sys's dict holds it; else it is gone */
    if (rc == 0)
        return 0;
fail:
    ft_mutex_lock(&recs_lock);
    registry_made = false;
    ft_mutex_unlock(&recs_lock);
    return -1;
}

int py_trace_set(ft_object *module, ft_object *func)
{
    if (func == ft_none())
        func = NULL;
    trace_thread *t = rec_get();
    if (!t)
        return -1;
    if (func && registry_ensure(module) < 0)
        return -1;
    ft_object *old = t->func;
    t->func = func ? ft_newref(func) : NULL;
    update_active(t);
    ft_xdecref(old);
    return 0;
}

ft_object *py_trace_get(void)
{
    trace_thread *t = tls_rec;
    return ft_newref(t && t->func ? t->func : ft_none());
}

/* ---- The frame type ------------------------------------------------------------ */

static inline frameobj *as_fo(ft_object *o) { return (frameobj *)o; }

/* Is fo's frame running on this thread (its memory may be read)? */
static bool live(frameobj *fo)
{
    return fo->frame != NULL && fo->owner == ft_thread_id();
}

static void frame_dealloc(ft_object *o)
{
    frameobj *fo = as_fo(o);
    ft_object *refs[] = { fo->code, fo->globals, fo->builtins, fo->locals, fo->back,
                          fo->trace };
    fo->code = fo->globals = fo->builtins = fo->locals = fo->back = fo->trace = NULL;
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        ft_xdecref(refs[i]);
    ft_object_free(o);
}

static int frame_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    frameobj *fo = as_fo(o);
    ft_object *refs[] = { fo->code, fo->globals, fo->builtins, fo->locals, fo->back,
                          fo->trace };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        if (refs[i]) {
            int r = visit(refs[i], arg);
            if (r)
                return r;
        }
    }
    return 0;
}

/* Breaks cycles (a snapshot of locals holding the frame itself, globals
 * holding a frame object); the code stays for repr and f_code. */
static int frame_clear(ft_object *o)
{
    frameobj *fo = as_fo(o);
    ft_object *refs[] = { fo->globals, fo->builtins, fo->locals, fo->back, fo->trace };
    fo->globals = fo->builtins = fo->locals = fo->back = fo->trace = NULL;
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        ft_xdecref(refs[i]);
    return 0;
}

static int fo_lineno(frameobj *fo)
{
    return live(fo) ? frame_line(fo->frame) : fo->lineno;
}

static ft_object *frame_repr(ft_object *o)
{
    frameobj *fo = as_fo(o);
    py_code *co = py_as_code(fo->code);
    return py_str_from_format("<frame at %p, file '%s', line %d, code %s>", (void *)o,
                              ft_str_utf8_borrow(co->co_filename, NULL), fo_lineno(fo),
                              ft_str_utf8_borrow(co->co_name, NULL));
}

static ft_object *or_none(ft_object *v) { return ft_newref(v ? v : ft_none()); }

static ft_object *get_f_code(ft_object *o) { return ft_newref(as_fo(o)->code); }
static ft_object *get_f_globals(ft_object *o) { return or_none(as_fo(o)->globals); }
static ft_object *get_f_builtins(ft_object *o) { return or_none(as_fo(o)->builtins); }
static ft_object *get_f_trace(ft_object *o) { return or_none(as_fo(o)->trace); }

static ft_object *get_f_lineno(ft_object *o)
{
    return ft_int_from_i64(fo_lineno(as_fo(o)));
}

static ft_object *get_f_lasti(ft_object *o)
{
    frameobj *fo = as_fo(o);
    int lasti = live(fo) ? fo->frame->lasti : fo->lasti;
    return ft_int_from_i64(lasti < 0 ? -1 : (int64_t)lasti * 2);
}

static ft_object *get_f_locals(ft_object *o)
{
    frameobj *fo = as_fo(o);
    if (live(fo))
        return py_frame_locals(fo->frame);
    if (!fo->locals) {
        fo->locals = ft_dict_new();
        if (!fo->locals)
            return py_err_from_ft();
    }
    return ft_newref(fo->locals);
}

static ft_object *get_f_back(ft_object *o)
{
    frameobj *fo = as_fo(o);
    if (!fo->back_known && live(fo)) {
        py_frame *b = fo->frame->back;
        ft_object *bo = b ? py_frameobject_get(b) : NULL;
        if (b && !bo)
            return NULL;
        fo->back = bo;
        fo->back_known = true;
    }
    return or_none(fo->back);
}

static int set_f_trace(ft_object *o, ft_object *v)
{
    frameobj *fo = as_fo(o);
    ft_object *old = fo->trace;
    fo->trace = v && v != ft_none() ? ft_newref(v) : NULL;
    ft_xdecref(old);
    return 0;
}

static ft_object *get_f_trace_lines(ft_object *o) { return py_bool_new(as_fo(o)->trace_lines); }

static int set_f_trace_lines(ft_object *o, ft_object *v)
{
    if (!v || v->ob_type != &ft_bool_type)
        return py_err_format_int(py_exc_TypeError, "attribute value type must be bool");
    as_fo(o)->trace_lines = v == ft_bool(true);
    return 0;
}

static const py_getset_def frame_getset[] = {
    {"f_code", get_f_code, NULL},
    {"f_globals", get_f_globals, NULL},
    {"f_builtins", get_f_builtins, NULL},
    {"f_locals", get_f_locals, NULL},
    {"f_lineno", get_f_lineno, NULL},
    {"f_lasti", get_f_lasti, NULL},
    {"f_back", get_f_back, NULL},
    {"f_trace", get_f_trace, set_f_trace},
    {"f_trace_lines", get_f_trace_lines, set_f_trace_lines},
    {NULL, NULL, NULL},
};

py_type py_frameobject_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "frame",
        .tp_basicsize = sizeof(frameobj),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = frame_dealloc,
        .tp_traverse = frame_traverse,
        .tp_clear = frame_clear,
        .tp_repr = frame_repr,
    },
    .tp_getset = frame_getset,
};
