/* vm/vm.h — the virtual machine's objects and entry points (group 3).
 *
 * What lives here: functions (py_function), bound methods, cells,
 * generators, traceback entries, the evaluation loop and its helpers, and
 * the life cycle of the interpreter (py_init/py_fini/py_run_main in
 * ftpy.h).
 *
 * Calls. A function's tp_vcall binds the arguments into a new frame from
 * the thread's frame stack and runs py_eval_frame on it. The loop itself
 * calls Python functions without recursing in C: CALL pushes the callee's
 * frame and keeps going in the same C activation (as CPython 3.11), so the
 * C stack grows only when C code calls back into Python (dunder methods,
 * builtins taking callables). Every Python frame counts one level of the
 * recursion limit, as in CPython 3.11.
 *
 * Methods. LOAD_METHOD pushes [function, self] for a plain function found
 * on the class (a py_function, whose type's tp_descr_get is
 * py_function_descr_get), avoiding a bound method; otherwise it pushes
 * [attribute, NULL].
 *
 * Tracebacks. On an error each frame the exception passes through
 * prepends a traceback entry (code, line, instruction index, and the
 * frame's globals and builtins for NameError suggestions). There is no
 * frame object: tb_frame is None. RERAISE and a bare `raise` do not add
 * entries, so a re-raised exception keeps its original traceback.
 *
 * Generators. A generator owns its frame (py_frame inside the object).
 * Each generator keeps its own "exception being handled" (sys.exc_info
 * inside it); resuming swaps it with the caller's. As in CPython, an
 * empty one shows the caller's. FOR_ITER and SEND resume a generator's
 * frame inside the running loop (no C recursion): its YIELD_VALUE and
 * RETURN_VALUE go back to that instruction; other resumptions (next(),
 * send(), throw() from C) run it as an entry frame (py_gen_send_ex).
 */
#ifndef FTPY_VM_H
#define FTPY_VM_H

#include <signal.h>
#include "../ftpy.h"
#include "../objects/code.h"
#include "frame.h"

/* The item array of a runtime tuple. Tuples are immutable after they are
 * filled, so the VM reads them directly; this mirrors the runtime's
 * layout (runtime/objects/tuple.c: header, size, items) — keep in sync. */
typedef struct py_vm_tuple_layout {
    ft_object ob_base;
    ssize_t size;
    ft_object *items[];
} py_vm_tuple_layout;
static inline ft_object **py_vm_tuple_items(ft_object *t)
{
    return ((py_vm_tuple_layout *)t)->items;
}
static inline ssize_t py_vm_tuple_size(ft_object *t)
{
    return ((py_vm_tuple_layout *)t)->size;
}

/* ---- Counting objects that are usually immortal ------------------------
 * ft_incref/ft_decref of biased nogil test ownership first: an immortal
 * object (None, small ints, bools, static classes: owned by no thread)
 * pays that test, a branch out of line and then its own test, about 7
 * instructions where gil pays 4. At the loop's sites whose objects are
 * mostly immortal these test immortality first: 3 instructions for an
 * immortal, 3 more than ft_incref/ft_decref for a mortal one, so a site
 * gains once more than about 3 in 7 of its objects are immortal. The
 * sites: LOAD_CONST (None, small ints, bools), POP_TOP (a call
 * statement's None), STORE_FAST's old value (loop counters, indices,
 * None), the int operands of a comparison and an int index.
 * Not BINARY_OP's int operands: callgrind said that cost the float
 * programs more (the loop's code around it) than it saved the int ones.
 * Same counts in every flavor: immortal objects are skipped by every
 * operation anyway (ftlab/refcount.h); in gil the repeated test folds
 * away. FT_RC_STATS builds do not count the skipped operations as
 * "immortal". */
static ft_always_inline void py_incref_mostly_immortal(ft_object *o)
{
    if (!_ft_is_immortal_inline(o))
        ft_incref(o);
}
static ft_always_inline void py_decref_mostly_immortal(ft_object *o)
{
    if (!_ft_is_immortal_inline(o))
        ft_decref(o);
}

/* ---- Functions (objects/function.c) ------------------------------------- */
typedef struct py_function {
    ft_object ob_base;
    ft_object *code;             /* py_code                                */
    ft_object *globals;          /* dict                                   */
    ft_object *builtins;         /* dict                                   */
    ft_object *name, *qualname;  /* str                                    */
    ft_object *defaults;         /* tuple or NULL                          */
    ft_object *kwdefaults;       /* dict or NULL                           */
    ft_object *closure;          /* tuple of cells or NULL                 */
    ft_object *doc;              /* any, or NULL (None)                    */
    ft_object *module;           /* any, or NULL (None)                    */
    ft_object *dict;             /* __dict__ or NULL                       */
    ft_object *annotations;      /* dict or NULL                           */
    void *xweaklist;
} py_function;

extern py_type py_function_class, py_method_class, py_cell_class,
               py_generator_class, py_traceback_class;

static inline bool py_function_check(ft_object *o)
{
    return o->ob_type == &py_function_class.ft;
}
/* A function for code with globals; qualname from the code. New ref. */
ft_object *py_function_new(ft_object *code, ft_object *globals);
/* The tp_descr_get of functions (LOAD_METHOD compares with it). */
ft_object *py_function_descr_get(ft_object *func, ft_object *obj, ft_object *type);
/* The builtins dict for a globals dict: globals['__builtins__'] (a module
 * or a dict), else the builtins module's dict. Borrowed. */
ft_object *py_builtins_from_globals(ft_object *globals);

/* ---- Function frames (inline: the loop's CALL and calls from C) ---------- */
/* A frame on the thread's frame stack for a call of fn (a py_function
 * whose code is co), initialised as py_frame_init does except that the
 * frame takes over a reference to fn the caller owns (the value stack's
 * in CALL) and the locals are left for the caller to fill. NULL with
 * MemoryError (the caller still owns its reference then). */
static inline py_frame *py_frame_push_func(py_tstate *ts, py_function *fn, py_code *co)
{
    py_frame *nf = py_frame_alloc(ts, py_frame_size(co));
    if (py_unlikely(!nf))
        return NULL;
    int nlp = co->co_nlocals + co->co_ncells + co->co_nfrees;
    ft_incref(&co->ob_base);     /* func.__code__ may be reassigned */
    nf->code = co;
    nf->func = &fn->ob_base;
    nf->globals = fn->globals;
    nf->builtins = fn->builtins;
    nf->locals = NULL;
    nf->back = NULL;
    nf->gen = NULL;
    nf->blocks = (py_block *)(nf->localsplus + nlp + co->co_stacksize);
    nf->lasti = -1;
    nf->stacktop = 0;
    nf->nblocks = 0;
    nf->state = PY_FRAME_CREATED;
    nf->owns_refs = 0;
    nf->is_entry = 0;
    nf->throwflag = 0;
    nf->traced = 0;
    nf->on_chunk = 1;
    nf->nlocalsplus = nlp;
    return nf;
}

/* The end of a frame from py_frame_push_func whose value stack is empty
 * (it returned or raised): its locals, function and code references
 * dropped and its memory given back. */
static inline void py_frame_pop_func(py_tstate *ts, py_frame *f)
{
    ft_object **L = f->localsplus;
    for (int i = 0, n = f->nlocalsplus; i < n; i++) {
        ft_object *v = L[i];
        if (v) {
            L[i] = NULL;
            ft_decref(v);
        }
    }
    ft_object *func = f->func;
    f->func = NULL;
    ft_decref(&f->code->ob_base);
    ft_decref(func);
    py_frame_free(ts, f);
}

/* Bound methods. */
typedef struct py_method {
    ft_object ob_base;
    ft_object *func;
    ft_object *self;
    void *xweaklist;
} py_method;
ft_object *py_method_new(ft_object *func, ft_object *self);
static inline bool py_method_check(ft_object *o) { return o->ob_type == &py_method_class.ft; }

/* ---- Cells (objects/cell.c) ----------------------------------------------- */
typedef struct py_cell {
    ft_object ob_base;
    ft_object *ref;              /* contents or NULL (empty)               */
} py_cell;
ft_object *py_cell_new(ft_object *v /* NULL: empty */);
static inline ft_object *py_cell_get_borrow(ft_object *cell) { return ((py_cell *)cell)->ref; }
/* Replaces the contents (v may be NULL: empty); takes its own reference. */
void py_cell_set(ft_object *cell, ft_object *v);

/* ---- Generators (objects/generator.c) ------------------------------------- */
typedef struct py_gen {
    ft_object ob_base;
    ft_object *name, *qualname;
    ft_object *exc_state;        /* exception handled inside, or NULL; while
                                    the frame runs: the caller's exc_info   */
    void *xweaklist;
    bool ready;                  /* the frame is initialised               */
    bool inherited;              /* running with the caller's exc_info     */
    _Alignas(16) char frame_mem[];
} py_gen;
static inline py_frame *py_gen_frame(ft_object *gen)
{
    return (py_frame *)((py_gen *)gen)->frame_mem;
}
/* Resuming gen's frame: its exception state becomes the thread's (the
 * caller's is kept in the generator meanwhile); leaving it (a yield, or
 * the end when finished) swaps back. */
void py_gen_enter(py_tstate *ts, ft_object *gen);
void py_gen_leave(py_tstate *ts, ft_object *gen, bool finished);
/* A StopIteration leaving a generator's frame becomes RuntimeError
 * "generator raised StopIteration" (PEP 479); other errors stay. */
void py_gen_stopiteration_error(void);

/* A new generator running func's code; frame bound by the caller via
 * py_frame_bind_args on py_gen_frame(). */
ft_object *py_gen_new_for_call(ft_object *func, ft_object *const *args,
                               size_t nargs, ft_object *kwnames);
static inline bool py_gen_check(ft_object *o) { return o->ob_type == &py_generator_class.ft; }
/* next(gen) as CPython's gen.__next__(): the next value, or NULL with
 * StopIteration(return value) (StopIteration() for None) or the error.
 * builtins.next() should use it for generators: the tp_iternext slot
 * cannot report a return value (ftpy.h: it raises no StopIteration). */
ft_object *py_gen_next(ft_object *gen);
/* gen.send(v) without the StopIteration: 1 yielded (*out), 0 returned
 * (*out = the return value), -1 error. v NULL: next(). */
int py_gen_send_ex(ft_object *gen, ft_object *v, ft_object **out);

/* ---- Calls (vm/call.c) -------------------------------------------------------- */
/* py_vcall's parts: the slow dispatch (no tp_vcall) and the check of a
 * result against the error indicator (a result with an exception set, or
 * NULL without one, is a SystemError). */
ft_object *py_vcall_slow(ft_object *callable, ft_object *const *args,
                         size_t nargs, ft_object *kwnames);
ft_object *py_vcall_check_result(ft_object *callable, ft_object *r);
/* py_vcall, inline for the loop. */
static inline ft_object *py_vcall_inline(ft_object *callable, ft_object *const *args,
                                         size_t nargs, ft_object *kwnames)
{
    if (kwnames && py_vm_tuple_size(kwnames) == 0)
        kwnames = NULL;
    py_vcallfunc fn = py_type_of(callable)->tp_vcall;
    ft_object *r = py_likely(fn != NULL) ? fn(callable, args, nargs, kwnames)
                                         : py_vcall_slow(callable, args, nargs, kwnames);
    bool pending = py_tstate_fast()->cur_exc != NULL;
    if (py_likely(r != NULL ? !pending : pending))
        return r;
    return py_vcall_check_result(callable, r);
}

/* ---- Tracebacks (vm/traceback.c) ---------------------------------------- */
/* Prepends an entry for frame f at instruction index lasti to exc's
 * traceback. 0 or -1. */
int py_traceback_here(ft_object *exc, py_frame *f, int lasti);
/* exc.__traceback__ entries as attributes read: next, lineno. */

/* ---- The loop (vm/eval.c) ------------------------------------------------- */
/* Runs f until it returns, raises or (generator) yields. The frame is
 * cleared when it returns or raises, not released. */
ft_object *py_eval_frame(py_frame *f);
/* exec/eval/import: runs a code object (no arguments) with globals
 * and locals (NULL: globals). New reference or NULL. */
ft_object *py_eval_code(ft_object *code, ft_object *globals, ft_object *locals);
/* The same with a closure (class bodies from __build_class__). */
ft_object *py_eval_code_ex(ft_object *code, ft_object *globals,
                           ft_object *locals, ft_object *closure);

/* Set by main.c's SIGINT handler; the loop raises KeyboardInterrupt. */
extern volatile sig_atomic_t py_sigint_pending;
/* Signals: raises KeyboardInterrupt if one is pending. 0 or -1. */
int py_check_signals(void);

/* ---- Group life cycle ------------------------------------------------------- */
int  py_vm_init(void);           /* readies the VM's classes                */
void py_vm_fini(void);

#endif /* FTPY_VM_H */
