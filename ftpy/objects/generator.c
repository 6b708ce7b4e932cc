/* objects/generator.c — generators (def with yield, generator expressions).
 *
 * A generator owns its frame: the py_frame lives at the end of the
 * generator object, allocated with it, so it survives between resumptions.
 * Resuming runs py_eval_frame on it, which returns at YIELD_VALUE (frame
 * state SUSPENDED, stack saved in the frame) or when the code returns or
 * raises (state COMPLETED, locals cleared).
 *
 * Sending: a suspended frame gets the sent value pushed on its stack (the
 * value of the yield expression) before it resumes; throw() sets the
 * current exception and resumes with throwflag, so the loop raises it at
 * the yield. While suspended inside `yield from` (the instruction before
 * the YIELD_VALUE is SEND), the sub-iterator is the frame's top of stack:
 * throw() and close() go to it first, as CPython's _gen_throw does.
 *
 * Each generator keeps the exception its own except blocks are handling
 * (exc_state); resuming swaps it with the thread's exc_info.
 *
 * Dying: an unfinished generator is closed by its finalizer (tp_finalize,
 * run once from dealloc or by the cycle collector), which throws
 * GeneratorExit in; errors are reported as unraisable.
 */
#include <stdio.h>
#include <string.h>
#include "../vm/vm.h"
#include "../vm/opcode.h"
#include "typeobject.h"

static py_gen *as_gen(ft_object *o) { return (py_gen *)o; }
static py_frame *gen_frame(py_gen *g) { return (py_frame *)g->frame_mem; }

/* The reference a generator resumed inside an except block takes to the
 * caller's exception (rare), out of line: inline, nogil's count (its
 * owner test, with a call on the sharded path) made py_gen_enter save
 * three registers on every resumption, ~8 instructions a call more
 * than gil's (callgrind, generators.py). */
static PY_NOINLINE ft_object *gen_share_exc(ft_object *exc)
{
    return ft_newref(exc);
}

void py_gen_enter(py_tstate *ts, ft_object *gen)
{
    py_gen *g = as_gen(gen);
    ft_object *caller_exc = ts->exc_info;
    ft_object *own = g->exc_state;
    /* No exception handled inside: the caller's shows through, as in
     * CPython's chain of exception states. */
    g->inherited = own == NULL;
    if (own == NULL && caller_exc != NULL)
        own = gen_share_exc(caller_exc);
    ts->exc_info = own;
    g->exc_state = caller_exc;
}

void py_gen_leave(py_tstate *ts, ft_object *gen, bool finished)
{
    py_gen *g = as_gen(gen);
    ft_object *own = ts->exc_info;
    ts->exc_info = g->exc_state;
    if (g->inherited && own == ts->exc_info) {
        /* still the caller's: nothing of the generator's own */
        ft_xdecref(own);
        own = NULL;
    }
    g->inherited = false;
    g->exc_state = finished ? NULL : own;
    if (finished)
        ft_xdecref(own);
}

void py_gen_stopiteration_error(void)
{
    if (!py_err_matches(py_exc_StopIteration))
        return;
    /* PEP 479 */
    ft_object *stop = py_err_fetch();
    py_err_setstr(py_exc_RuntimeError, "generator raised StopIteration");
    ft_object *rt = py_err_current_borrow();
    if (rt) {
        py_exc_set_cause(rt, stop);
        py_exc_set_context(rt, stop);
    }
    ft_decref(stop);
}

ft_object *py_gen_new_for_call(ft_object *func, ft_object *const *args,
                               size_t nargs, ft_object *kwnames)
{
    py_function *fn = (py_function *)func;
    py_code *co = py_as_code(fn->code);
    ft_object *o = ft_object_new(&py_generator_class.ft,
                                 sizeof(py_gen) + py_frame_size(co));
    if (!o)
        return py_err_from_ft();
    py_gen *g = as_gen(o);
    g->name = ft_newref(fn->name);
    g->qualname = ft_newref(fn->qualname);
    py_frame *f = gen_frame(g);
    py_frame_init(f, co, func, NULL, NULL, NULL);
    f->gen = o;
    g->ready = true;
    if (py_frame_bind_args(f, func, args, nargs, kwnames) < 0) {
        py_frame_clear(f);
        f->state = PY_FRAME_COMPLETED;
        ft_decref(o);
        return NULL;
    }
    return o;
}

/* The sub-iterator of a `yield from` the frame is suspended in, borrowed. */
static ft_object *gen_yf(py_gen *g)
{
    py_frame *f = gen_frame(g);
    if (f->state != PY_FRAME_SUSPENDED || f->lasti < 1 || f->stacktop < 1)
        return NULL;
    const uint32_t *code = f->code->co_code;
    if (py_instr_op(code[f->lasti]) != OP_YIELD_VALUE ||
        py_instr_op(code[f->lasti - 1]) != OP_SEND)
        return NULL;
    return py_frame_stack_base(f)[f->stacktop - 1];
}

/* Resumes the frame: 1 yielded, 0 returned, -1 error (*out set for 0/1).
 * exc: raise the current exception at the yield instead of sending. */
/* Always inline: the resumptions of a loop (gen_iternext: for loops and
 * sum() from C; next(); SEND's py_gen_send_ex) get it without a call.
 * gil inlined it there by itself; nogil's atomic builtins (the state's
 * claim and publication, the counts) made gcc price it as too big, and
 * the call cost spectral_norm's generator expressions ~35 instructions
 * a resumption more than gil's (callgrind). The rarer callers (send,
 * throw, close, the finalizer) call gen_send_ex, one out-of-line copy. */
static ft_always_inline int gen_send_ex_inline(py_gen *g, ft_object *arg, bool exc,
                                               ft_object **out)
{
    py_frame *f = gen_frame(g);
    *out = NULL;
    uint8_t state = py_frame_state(f);
    if (state == PY_FRAME_COMPLETED) {
        if (exc)
            return -1;           /* the thrown exception stays set */
        *out = ft_none();
        return 0;
    }
    if (!exc && state == PY_FRAME_CREATED && arg && arg != ft_none()) {
        py_err_setstr(py_exc_TypeError,
                      "can't send non-None value to a just-started generator");
        return -1;
    }
    /* One thread at a time: a second one (or a recursive resumption)
     * finds it running. */
    if (state == PY_FRAME_EXECUTING || !py_frame_claim(f, state)) {
        py_err_setstr(py_exc_ValueError, "generator already executing");
        return -1;
    }
    if (!exc) {
        if (state == PY_FRAME_SUSPENDED) {
            ft_object *v = arg ? arg : ft_none();   /* next(): None, immortal */
            py_incref_mostly_immortal(v);
            py_frame_stack_base(f)[f->stacktop++] = v;
        }
    } else {
        f->throwflag = 1;
    }
    py_tstate *ts = py_tstate_fast();
    py_gen_enter(ts, &g->ob_base);
    /* Keep the generator alive while it runs (its frame is inside it). */
    ft_incref(&g->ob_base);
    ft_object *r = py_eval_frame(f);
    int status;
    if (py_frame_state(f) == PY_FRAME_EXECUTING) {
        /* It yielded r (the loop leaves the state to us): publish. */
        py_gen_leave(ts, &g->ob_base, false);
        py_frame_set_state(f, PY_FRAME_SUSPENDED);
        *out = r;
        status = 1;
    } else {
        py_gen_leave(ts, &g->ob_base, true);
        if (r) {
            *out = r;
            status = 0;
        } else {
            py_gen_stopiteration_error();
            status = -1;
        }
    }
    ft_decref(&g->ob_base);
    return status;
}

static PY_NOINLINE int gen_send_ex(py_gen *g, ft_object *arg, bool exc, ft_object **out)
{
    return gen_send_ex_inline(g, arg, exc, out);
}

int py_gen_send_ex(ft_object *gen, ft_object *v, ft_object **out)
{
    return gen_send_ex_inline(as_gen(gen), v, false, out);
}

/* A generator's return: StopIteration(value), or StopIteration() for None. */
static ft_object *raise_stop(ft_object *value)
{
    if (value == ft_none())
        py_err_set_stopiteration(NULL);
    else
        py_err_set_stopiteration(value);
    ft_decref(value);
    return NULL;
}

ft_object *py_gen_next(ft_object *gen)
{
    ft_object *r;
    int s = gen_send_ex_inline(as_gen(gen), NULL, false, &r);
    if (s == 1)
        return r;
    if (s == 0)
        return raise_stop(r);
    return NULL;
}

static ft_object *gen_iternext(ft_object *o)
{
    ft_object *r;
    int s = gen_send_ex_inline(as_gen(o), NULL, false, &r);
    if (s == 1)
        return r;
    if (s == 0)
        ft_decref(r);    /* exhausted: the slot raises nothing (ftpy.h) */
    return NULL;
}

static ft_object *gen_iter(ft_object *o) { return ft_newref(o); }

static ft_object *gen_send(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    if (py_no_kwargs("send", kwnames) < 0 || py_check_nargs("send", nargs, 1, 1) < 0)
        return NULL;
    ft_object *r;
    int s = gen_send_ex(as_gen(self), args[0], false, &r);
    if (s == 1)
        return r;
    if (s == 0)
        return raise_stop(r);
    return NULL;
}

/* Closes a sub-iterator: gen.close() or its close method. 0 or -1. */
static ft_object *gen_close_impl(py_gen *g);
static int close_iter(ft_object *yf)
{
    ft_object *r = NULL;
    if (py_gen_check(yf)) {
        r = gen_close_impl(as_gen(yf));
    } else {
        ft_object *meth = NULL;
        int found = py_getattr_opt(yf, PY_ID(close), &meth);
        if (found < 0)
            return -1;
        if (found == 0)
            return 0;
        r = py_call0(meth);
        ft_decref(meth);
    }
    if (!r)
        return -1;
    ft_decref(r);
    return 0;
}

/* After a delegated throw failed: leave the `yield from` (pop the
 * sub-iterator, continue after the SEND loop) with its result or error. */
static ft_object *gen_leave_yield_from(py_gen *g)
{
    py_frame *f = gen_frame(g);
    ft_object **stack = py_frame_stack_base(f);
    ft_object *yf = stack[--f->stacktop];
    ft_decref(yf);
    uint32_t send = f->code->co_code[f->lasti - 1];
    f->lasti = (int32_t)py_instr_arg(send) - 1;
    ft_object *r;
    int s;
    if (py_err_matches(py_exc_StopIteration)) {
        ft_object *stop = py_err_fetch();
        ft_object *val = py_stopiteration_value(stop);
        ft_decref(stop);
        if (!val)
            return NULL;
        s = gen_send_ex(g, val, false, &r);
        ft_decref(val);
    } else {
        s = gen_send_ex(g, NULL, true, &r);
    }
    if (s == 1)
        return r;
    if (s == 0)
        return raise_stop(r);
    return NULL;
}

/* Marks a suspended frame running while its `yield from` sub-iterator is
 * closed or thrown into, so that nothing resumes it meanwhile. false
 * with ValueError when it is running already (another thread). */
static bool hold_frame(py_frame *f)
{
    if (py_frame_claim(f, PY_FRAME_SUSPENDED))
        return true;
    py_err_setstr(py_exc_ValueError, "generator already executing");
    return false;
}

static void release_frame(py_frame *f)
{
    py_frame_set_state(f, PY_FRAME_SUSPENDED);
}

/* throw with an exception instance already made (exc, borrowed). */
static ft_object *gen_throw_exc(py_gen *g, ft_object *exc, bool close_on_genexit)
{
    ft_object *yf = gen_yf(g);
    py_frame *f = gen_frame(g);
    if (yf) {
        ft_incref(yf);
        ft_object *ret = NULL;
        if (close_on_genexit && py_isinstance_exact_or_sub(exc, py_exc_GeneratorExit)) {
            if (!hold_frame(f)) {
                ft_decref(yf);
                return NULL;
            }
            int err = close_iter(yf);
            release_frame(f);
            ft_decref(yf);
            if (err < 0) {
                ft_object *r;
                int s = gen_send_ex(g, NULL, true, &r);
                if (s == 1)
                    return r;
                if (s == 0)
                    return raise_stop(r);
                return NULL;
            }
            goto throw_here;
        }
        if (py_gen_check(yf)) {
            if (!hold_frame(f)) {
                ft_decref(yf);
                return NULL;
            }
            ret = gen_throw_exc(as_gen(yf), exc, close_on_genexit);
            release_frame(f);
        } else {
            ft_object *meth = NULL;
            int found = py_getattr_opt(yf, PY_ID(throw), &meth);
            if (found < 0) {
                ft_decref(yf);
                return NULL;
            }
            if (found == 0) {
                ft_decref(yf);
                goto throw_here;
            }
            if (!hold_frame(f)) {
                ft_decref(meth);
                ft_decref(yf);
                return NULL;
            }
            ft_object *tb = py_as_exc(exc)->traceback;
            ft_object *targs[3] = {py_type_as_obj(py_type_of(exc)), exc,
                                   tb ? tb : ft_none()};
            ret = py_vcall(meth, targs, 3, NULL);
            release_frame(f);
            ft_decref(meth);
        }
        ft_decref(yf);
        if (!ret)
            return gen_leave_yield_from(g);
        return ret;
    }
throw_here:
    py_err_restore(ft_newref(exc));
    ft_object *r;
    int s = gen_send_ex(g, NULL, true, &r);
    if (s == 1)
        return r;
    if (s == 0)
        return raise_stop(r);
    return NULL;
}

static ft_object *gen_throw(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    if (py_no_kwargs("throw", kwnames) < 0 || py_check_nargs("throw", nargs, 1, 3) < 0)
        return NULL;
    ft_object *typ = args[0];
    ft_object *val = nargs > 1 ? args[1] : ft_none();
    ft_object *tb = nargs > 2 ? args[2] : ft_none();
    if (tb != ft_none() && tb->ob_type != &py_traceback_class.ft)
        return py_err_format(py_exc_TypeError,
                             "throw() third argument must be a traceback object");
    ft_object *exc;
    if (py_exc_class_check(typ)) {
        if (val != ft_none() && py_isinstance_exact_or_sub(val, (py_type *)typ)) {
            exc = ft_newref(val);
        } else if (val == ft_none()) {
            exc = py_exc_call((py_type *)typ, NULL, 0);
        } else if (val->ob_type == &ft_tuple_type) {
            exc = py_exc_call((py_type *)typ, py_vm_tuple_items(val),
                              (size_t)py_vm_tuple_size(val));
        } else {
            exc = py_exc_call((py_type *)typ, &val, 1);
        }
        if (!exc)
            return NULL;
        if (!py_exc_check(exc)) {
            py_err_format(py_exc_TypeError,
                          "calling %s should have returned an instance of "
                          "BaseException, not %s", ((py_type *)typ)->ft.tp_name,
                          py_type_name(exc));
            ft_decref(exc);
            return NULL;
        }
    } else if (py_exc_check(typ)) {
        if (val != ft_none())
            return py_err_format(py_exc_TypeError,
                                 "instance exception may not have a separate value");
        exc = ft_newref(typ);
    } else {
        return py_err_format(py_exc_TypeError,
                             "exceptions must be classes or instances deriving from "
                             "BaseException, not %s", py_type_name(typ));
    }
    if (tb != ft_none())
        py_exc_set_traceback(exc, tb);
    ft_object *r = gen_throw_exc(as_gen(self), exc, true);
    ft_decref(exc);
    return r;
}

static ft_object *gen_close_impl(py_gen *g)
{
    py_frame *f = gen_frame(g);
    ft_object *yf = gen_yf(g);
    int err = 0;
    if (yf) {
        ft_incref(yf);
        if (!hold_frame(f)) {
            ft_decref(yf);
            return NULL;
        }
        err = close_iter(yf);
        release_frame(f);
        ft_decref(yf);
    }
    if (f->state == PY_FRAME_CREATED) {
        /* Nothing ran: no handler can see the GeneratorExit. */
        if (err == 0) {
            py_frame_clear(f);
            f->state = PY_FRAME_COMPLETED;
            return ft_none();
        }
    }
    if (err == 0) {
        /* GeneratorExit() with no arguments, as PyErr_SetNone. */
        ft_object *ge = py_exc_new(py_exc_GeneratorExit, NULL);
        if (!ge)
            return NULL;
        py_err_restore(ge);
    }
    ft_object *r;
    int s = gen_send_ex(g, NULL, true, &r);
    if (s >= 0) {
        ft_decref(r);
        if (s == 1) {
            py_err_setstr(py_exc_RuntimeError, "generator ignored GeneratorExit");
            return NULL;
        }
        return ft_none();
    }
    if (py_err_matches(py_exc_StopIteration) || py_err_matches(py_exc_GeneratorExit)) {
        py_err_clear();
        return ft_none();
    }
    return NULL;
}

static ft_object *gen_close(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)args;
    if (py_no_kwargs("close", kwnames) < 0 || py_check_nargs("close", nargs, 0, 0) < 0)
        return NULL;
    return gen_close_impl(as_gen(self));
}

static void gen_finalize(ft_object *o)
{
    py_gen *g = as_gen(o);
    py_frame *f = gen_frame(g);
    if (!g->ready || f->state == PY_FRAME_COMPLETED || f->state == PY_FRAME_CREATED)
        return;
    ft_object *saved = py_err_fetch();
    ft_object *r = gen_close_impl(g);
    if (r)
        ft_decref(r);
    else
        py_err_write_unraisable(NULL, o);
    py_err_restore(saved);
}

static int gen_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    py_gen *g = as_gen(o);
    int r;
#define VISIT(x) do { if ((x) && (r = visit((x), arg)) != 0) return r; } while (0)
    VISIT(g->name);
    VISIT(g->qualname);
    VISIT(g->exc_state);
    if (!g->ready)
        return 0;
    py_frame *f = gen_frame(g);
    VISIT(f->func);
    if (f->func || f->owns_refs)
        VISIT(&f->code->ob_base);
    if (f->owns_refs) {
        VISIT(f->globals);
        VISIT(f->builtins);
    }
    VISIT(f->locals);
    /* A running frame's locals and stack change under the collector's
     * feet; they are roots of the running thread anyway. */
    if (f->state == PY_FRAME_EXECUTING)
        return 0;
    for (int i = 0; i < f->nlocalsplus; i++)
        VISIT(f->localsplus[i]);
    if (f->state == PY_FRAME_SUSPENDED) {
        ft_object **stack = py_frame_stack_base(f);
        for (int i = 0; i < f->stacktop; i++)
            VISIT(stack[i]);
    }
#undef VISIT
    return 0;
}

static int gen_clear(ft_object *o)
{
    py_gen *g = as_gen(o);
    /* While the frame runs, exc_state is the caller's (py_gen_enter). */
    if (g->ready && gen_frame(g)->state == PY_FRAME_EXECUTING)
        return 0;
    ft_object *es = g->exc_state;
    g->exc_state = NULL;
    ft_xdecref(es);
    if (!g->ready)
        return 0;
    py_frame *f = gen_frame(g);
    py_frame_clear(f);
    f->state = PY_FRAME_COMPLETED;
    return 0;
}

static void gen_dealloc(ft_object *o)
{
    if (ft_object_finalize_from_dealloc(o))
        return;
    ft_object_clear_weakrefs(o);
    py_gen *g = as_gen(o);
    if (g->ready) {
        py_frame *f = gen_frame(g);
        py_frame_clear(f);
        f->state = PY_FRAME_COMPLETED;
        py_frame_drop_owner(f);
        g->ready = false;
    }
    ft_object *a = g->name, *b = g->qualname, *c = g->exc_state;
    g->name = g->qualname = g->exc_state = NULL;
    ft_xdecref(a);
    ft_xdecref(b);
    ft_xdecref(c);
    ft_object_free(o);
}

static ft_object *gen_repr(ft_object *o)
{
    const char *q = ft_str_utf8_borrow(as_gen(o)->qualname, NULL);
    return py_str_from_format("<generator object %s at %p>", q ? q : "?", (void *)o);
}

/* -- attributes -- */
static ft_object *gen_get_name(ft_object *o) { return ft_newref(as_gen(o)->name); }
static ft_object *gen_get_qualname(ft_object *o) { return ft_newref(as_gen(o)->qualname); }
static int gen_set_str(ft_object **slot, ft_object *v, const char *what)
{
    if (!v || !py_isinstance_exact_or_sub(v, &py_str_class))
        return py_err_format_int(py_exc_TypeError, "%s must be set to a string object", what);
    ft_object *old = *slot;
    *slot = ft_newref(v);
    ft_decref(old);
    return 0;
}
static int gen_set_name(ft_object *o, ft_object *v)
{
    return gen_set_str(&as_gen(o)->name, v, "__name__");
}
static int gen_set_qualname(ft_object *o, ft_object *v)
{
    return gen_set_str(&as_gen(o)->qualname, v, "__qualname__");
}
static ft_object *gen_get_running(ft_object *o)
{
    return py_bool_new(gen_frame(as_gen(o))->state == PY_FRAME_EXECUTING);
}
static ft_object *gen_get_suspended(ft_object *o)
{
    return py_bool_new(gen_frame(as_gen(o))->state == PY_FRAME_SUSPENDED);
}
static ft_object *gen_get_code(ft_object *o)
{
    return ft_newref(&gen_frame(as_gen(o))->code->ob_base);
}
/* ftpy has no frame objects: gi_frame is None (see vm/vm.h). */
static ft_object *gen_get_frame(ft_object *o) { (void)o; return ft_none(); }
static ft_object *gen_get_yieldfrom(ft_object *o)
{
    ft_object *yf = gen_yf(as_gen(o));
    return ft_newref(yf ? yf : ft_none());
}

static const py_getset_def gen_getset[] = {
    {"__name__", gen_get_name, gen_set_name},
    {"__qualname__", gen_get_qualname, gen_set_qualname},
    {"gi_running", gen_get_running, NULL},
    {"gi_suspended", gen_get_suspended, NULL},
    {"gi_code", gen_get_code, NULL},
    {"gi_frame", gen_get_frame, NULL},
    {"gi_yieldfrom", gen_get_yieldfrom, NULL},
    {NULL, NULL, NULL},
};

static const py_method_def gen_methods[] = {
    {"send", gen_send, PY_METH_DEFAULT},
    {"throw", gen_throw, PY_METH_DEFAULT},
    {"close", gen_close, PY_METH_DEFAULT},
    {NULL, NULL, 0},
};

py_type py_generator_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "generator",
        .tp_basicsize = sizeof(py_gen),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = gen_dealloc,
        .tp_traverse = gen_traverse,
        .tp_clear = gen_clear,
        .tp_finalize = gen_finalize,
        .tp_repr = gen_repr,
        .tp_weaklistoffset = offsetof(py_gen, xweaklist),
    },
    .tp_iter = gen_iter,
    .tp_iternext = gen_iternext,
    .tp_methods = gen_methods,
    .tp_getset = gen_getset,
};
