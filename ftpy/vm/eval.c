/* vm/eval.c — the evaluation loop.
 *
 * One loop for every flavor: computed gotos over a table built from
 * PY_OPCODES (TARGET/DISPATCH as CPython's ceval_macros.h). The registers
 * (instruction pointer, stack pointer, locals, constants) live in C
 * locals and are written back to the frame only when something may look
 * at them: a call (f->lasti for tracebacks and the caller's resume
 * point), a yield (the whole stack), an error.
 *
 * Calls of Python functions from CALL/CALL_KW do not recurse in C: the
 * callee's frame is pushed on the thread's frame stack and the loop
 * continues in it ("inline" frames, is_entry == 0); RETURN_VALUE pops
 * back to the caller. A frame given to py_eval_frame by C code (function
 * calls from C, generator resumption, exec) is an entry frame: returning
 * from it leaves the C function.
 *
 * Recursion: every frame start counts one level (CPython 3.11's
 * _Py_EnterRecursivePy) against py_recursion_limit; calls of other
 * callables from CALL count one level for the duration of the call with
 * " while calling a Python object", as CPython's C function calls do.
 * (Measured on CPython 3.11: `def f(): f()` reaches 999 frames under the
 * module's; a __repr__ calling repr(self) costs 3 levels per round.) The
 * C stack stays small: Python-to-Python calls do not recurse in C.
 *
 * The eval breaker (ft_checkpoint + the SIGINT flag) runs on every
 * JUMP_BACKWARD and at every function frame start (not when a generator
 * resumes: the loop driving it has its own backward jump).
 *
 * Exceptions: the error path adds a traceback entry for the frame and
 * unwinds the block stack: the innermost handler's stack depth is
 * restored, the exception pushed, and the loop jumps to the handler. With
 * no handler the frame is cleared and the error continues in the caller
 * (inline) or is returned to C (entry frame).
 *
 * Fast paths read the values of runtime ints and floats directly, with
 * exact type checks (ft_int_type excludes bool and big ints). An int or
 * float result is written into an operand whose only reference is the
 * value stack's (a temporary, _ft_refcount_is_one: nobody else can
 * see it, in any flavor) instead of allocating. Subscripts of exact
 * lists, tuples and dicts, `in` on exact sets and dicts, == / != of strs
 * and comparisons of ints and floats skip the protocol; a comparison
 * followed by POP_JUMP_IF_FALSE/TRUE jumps at once without pushing its
 * bool. Where the objects counted are mostly immortal (constants, a
 * discarded statement value, a local's old value, int compare and
 * arithmetic operands, indices) the count tests immortality first (vm.h,
 * py_decref_mostly_immortal): biased nogil would test ownership first
 * and branch out of line for them. A local read by the next instruction
 * alone (`self.x`, `self.x = v`, `a * b`, `if x:`, `i < n`, `x is None`,
 * `board[pos]`, `a, b = t`) counts nothing: the assembler pairs the
 * LOAD_FAST with it (opcode.h, "Pairs") and the pair uses the frame's
 * reference. Code objects are shared by threads and
 * their instructions never written (pairs are made before the code
 * object is): the one inline cache, LOAD_GLOBAL's, lives beside them
 * (objects/code.h, co_gcache: one entry per name, keyed on the versions
 * of the globals and builtins dicts, thread-safe as runtime/objects/
 * dict.c's "Version caches" say).
 *
 * Calls of Python functions bind positional arguments (and defaults)
 * straight from the value stack into the new frame, moving the stack's
 * references; a bound method is split into function and self first.
 * Generators driven by FOR_ITER or SEND (yield from) run inline too: the
 * generator's frame (inside the generator object) is pushed with `back`
 * = the caller; its YIELD_VALUE pushes the value onto the caller's stack
 * and its RETURN_VALUE ends the caller's FOR_ITER / SEND (both jump).
 * Generators resumed from C (next(), send(), throw()) run as entry
 * frames of their own py_eval_frame.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "opcode.h"
#include "../objects/typeobject.h"
#include "../modules/modules.h"
#include "frameobject.h"

volatile sig_atomic_t py_sigint_pending;

/* The runtime's int and float layouts (runtime/internal/object.h). */
typedef struct { ft_object ob_base; int64_t value; } vm_int;
typedef struct { ft_object ob_base; double value; } vm_float;
#define INT_VAL(o) (((vm_int *)(o))->value)
#define FLOAT_VAL(o) (((vm_float *)(o))->value)

/* Only the main thread (ftlab id 1) takes the interrupt, as CPython:
 * other threads leave the flag for it. */
int py_check_signals(void)
{
    if (!py_sigint_pending || ft_thread_id() != 1)
        return 0;
    py_sigint_pending = 0;
    ft_object *exc = py_exc_new(py_exc_KeyboardInterrupt, NULL);
    if (!exc)
        return -1;
    py_err_set_object(exc);
    ft_decref(exc);
    return -1;
}

/* ---- Error helpers (cold) --------------------------------------------------- */

static const char *u8(ft_object *s)
{
    const char *p = s ? ft_str_utf8_borrow(s, NULL) : NULL;
    if (!p) {
        ft_err_clear();
        return "?";
    }
    return p;
}

/* Sets the `name` attribute of the current NameError / AttributeError. */
static void set_exc_name(ft_object *name)
{
    ft_object *exc = py_err_current_borrow();
    if (!exc || !py_exc_check(exc) || !py_as_exc(exc)->dict)
        return;
    if (ft_dict_set(py_as_exc(exc)->dict, PY_ID(name), name) < 0)
        ft_err_clear();
}

static PY_COLD void name_error(ft_object *name)
{
    py_err_format(py_exc_NameError, "name '%s' is not defined", u8(name));
    set_exc_name(name);
}

static PY_COLD void unbound_local(ft_object *name)
{
    py_err_format(py_exc_UnboundLocalError,
                  "cannot access local variable '%s' where it is not associated "
                  "with a value", u8(name));
    set_exc_name(name);
}

static ft_object *cell_name(py_code *co, int i)
{
    if (i < co->co_ncells)
        return ft_tuple_get_borrow(co->co_cellvars, i);
    return ft_tuple_get_borrow(co->co_freevars, i - co->co_ncells);
}

static PY_COLD void unbound_deref(py_code *co, int i)
{
    ft_object *name = cell_name(co, i);
    if (i < co->co_ncells) {
        unbound_local(name);
    } else {
        py_err_format(py_exc_NameError,
                      "cannot access free variable '%s' where it is not associated "
                      "with a value in enclosing scope", u8(name));
        set_exc_name(name);
    }
}

/* A Python frame may start, or the RecursionError is raised (CPython's
 * _Py_CheckRecursiveCall with its 50 levels of headroom). */
static PY_COLD int recursion_error(py_tstate *ts, const char *where)
{
    if (ts->recursion_headroom && ts->recursion_depth < py_recursion_limit + 50)
        return 0;
    ts->recursion_headroom++;
    py_err_format(py_exc_RecursionError, "maximum recursion depth exceeded%s", where);
    ts->recursion_headroom--;
    return -1;
}

/* "__main__.f()" as CPython's _PyObject_FunctionStr. */
static ft_object *function_str(ft_object *func)
{
    ft_object *qualname = NULL, *module = NULL, *r = NULL;
    if (py_getattr_opt(func, PY_ID(__qualname__), &qualname) <= 0 ||
        !py_str_check_exact(qualname)) {
        py_err_clear();
        ft_xdecref(qualname);
        return py_str_from_format("%s object", py_type_name(func));
    }
    if (py_getattr_opt(func, PY_ID(__module__), &module) > 0 && py_str_check_exact(module) &&
        strcmp(u8(module), "builtins") != 0)
        r = py_str_from_format("%s.%s()", u8(module), u8(qualname));
    else
        r = py_str_from_format("%s()", u8(qualname));
    py_err_clear();
    ft_xdecref(module);
    ft_decref(qualname);
    return r;
}

static PY_COLD void format_kwargs_error(ft_object *func, ft_object *kwargs)
{
    /* After DICT_MERGE failed: rewrite the runtime's messages as CPython. */
    ft_object *pending = py_err_fetch();
    ft_object *fs = function_str(func);
    py_err_restore(pending);
    if (!fs)
        return;
    if (py_err_matches(py_exc_TypeError) && !py_unbox_borrow(kwargs, &ft_dict_type)) {
        ft_object *keys = NULL;
        int r = py_getattr_opt(kwargs, PY_ID(keys), &keys);
        ft_xdecref(keys);
        if (r == 0) {
            py_err_clear();
            py_err_format(py_exc_TypeError, "%s argument after ** must be a mapping, not %s",
                          u8(fs), py_type_name(kwargs));
        }
    } else if (py_err_matches(py_exc_KeyError)) {
        ft_object *exc = py_err_fetch();
        ft_object *args = py_as_exc(exc)->args;
        if (args && args->ob_type == &ft_tuple_type && ft_len(args) == 1) {
            ft_object *key = ft_tuple_get_borrow(args, 0);
            if (py_str_check_exact(key))
                py_err_format(py_exc_TypeError,
                              "%s got multiple values for keyword argument '%s'",
                              u8(fs), u8(key));
            else
                py_err_setstr(py_exc_TypeError, "keywords must be strings");
            ft_decref(exc);
        } else {
            py_err_restore(exc);
        }
    }
    ft_decref(fs);
}

/* d.update(m) for {**m} (merge == 0) and f(**m) (merge: KeyError(key) on
 * a repeated key, rewritten by the caller). 0 or -1. */
static int dict_merge(ft_object *d, ft_object *m, bool merge)
{
    ft_object *md = py_unbox_borrow(m, &ft_dict_type);
    if (md) {
        ft_object *items = ft_list_new(0);
        if (!items)
            return py_err_from_ft_int();
        /* Snapshot the pairs: m may be d, or change during hashing. */
        ssize_t pos = 0;
        ft_object *k, *v;
        while (ft_dict_next(md, &pos, &k, &v) > 0) {
            ft_object *pair = ft_tuple_new(2);
            if (!pair) {
                ft_decref(items);
                return py_err_from_ft_int();
            }
            ft_tuple_set_steal(pair, 0, ft_newref(k));
            ft_tuple_set_steal(pair, 1, ft_newref(v));
            int rc = ft_list_append(items, pair);
            ft_decref(pair);
            if (rc < 0) {
                ft_decref(items);
                return py_err_from_ft_int();
            }
        }
        ssize_t n = ft_len(items);
        int rc = 0;
        for (ssize_t i = 0; i < n && rc == 0; i++) {
            ft_object *pair = ft_list_get(items, i);
            ft_object *key = ft_tuple_get_borrow(pair, 0);
            if (merge) {
                if (!py_str_check_exact(key) && !py_isinstance_exact_or_sub(key, &py_str_class)) {
                    py_err_setstr(py_exc_TypeError, "keywords must be strings");
                    rc = -1;
                } else {
                    ft_object *old = NULL;
                    int r = ft_dict_lookup(d, key, &old);
                    if (r < 0) {
                        py_err_from_ft();
                        rc = -1;
                    } else if (r > 0) {
                        ft_decref(old);
                        py_err_set_key(key);
                        rc = -1;
                    }
                }
            }
            if (rc == 0 && ft_dict_set(d, key, ft_tuple_get_borrow(pair, 1)) < 0) {
                py_err_from_ft();
                rc = -1;
            }
            ft_decref(pair);
        }
        ft_decref(items);
        return rc;
    }
    /* A mapping: keys() then m[k]. */
    ft_object *keys_m = NULL;
    int r = py_getattr_opt(m, PY_ID(keys), &keys_m);
    if (r < 0)
        return -1;
    if (r == 0)
        return py_err_format_int(py_exc_TypeError, "'%s' object is not a mapping",
                                 py_type_name(m));
    ft_object *keys = py_call0(keys_m);
    ft_decref(keys_m);
    if (!keys)
        return -1;
    ft_object *it = py_iter(keys);
    ft_decref(keys);
    if (!it)
        return -1;
    ft_object *key;
    int rc = 0;
    while ((key = py_iter_next(it)) != NULL) {
        if (merge) {
            if (!py_isinstance_exact_or_sub(key, &py_str_class)) {
                py_err_setstr(py_exc_TypeError, "keywords must be strings");
                ft_decref(key);
                rc = -1;
                break;
            }
            ft_object *old = NULL;
            int lr = ft_dict_lookup(d, key, &old);
            if (lr != 0) {
                if (lr > 0) {
                    ft_decref(old);
                    py_err_set_key(key);
                } else {
                    py_err_from_ft();
                }
                ft_decref(key);
                rc = -1;
                break;
            }
        }
        ft_object *v = py_getitem(m, key);
        if (!v || ft_dict_set(d, key, v) < 0) {
            if (v)
                py_err_from_ft();
            ft_xdecref(v);
            ft_decref(key);
            rc = -1;
            break;
        }
        ft_decref(v);
        ft_decref(key);
    }
    ft_decref(it);
    if (rc == 0 && py_err_occurred())
        rc = -1;
    return rc;
}

/* l.extend(iterable) for [*x] and f(*x). 0 or -1. */
static int list_extend(ft_object *l, ft_object *iterable)
{
    py_type *t = py_type_of(iterable);
    ft_object *it = py_iter(iterable);
    if (!it) {
        if (py_err_matches(py_exc_TypeError) && !t->tp_iter && !t->tp_getitem) {
            py_err_clear();
            py_err_format(py_exc_TypeError, "Value after * must be an iterable, not %s",
                          py_type_name(iterable));
        }
        return -1;
    }
    ft_object *v;
    int rc = 0;
    while ((v = py_iter_next(it)) != NULL) {
        if (ft_list_append(l, v) < 0) {
            py_err_from_ft();
            ft_decref(v);
            rc = -1;
            break;
        }
        ft_decref(v);
    }
    ft_decref(it);
    if (rc == 0 && py_err_occurred())
        rc = -1;
    return rc;
}

/* Is the LIST_EXTEND before `next` building the arguments of f(*x)?
 * The compiler's shape: the list becomes a tuple (LIST_TO_TUPLE) and
 * CALL_EX follows, possibly after the ** mapping (BUILD_MAP). */
static bool extend_in_call(const uint32_t *next)
{
    for (int i = 0; i < 10000; i++, next++) {
        int op = py_instr_op(*next);
        if (op == OP_LIST_TO_TUPLE) {
            int after = py_instr_op(next[1]);
            return after == OP_CALL_EX || after == OP_BUILD_MAP;
        }
        if (op == OP_RETURN_VALUE || op == OP_CALL_EX)
            return false;
    }
    return false;
}

/* "__main__.f() argument after * must be an iterable, not int". */
static PY_COLD void star_arg_error(ft_object *func, ft_object *iterable)
{
    if (!py_err_matches(py_exc_TypeError))
        return;
    py_type *t = py_type_of(iterable);
    if (t->tp_iter || t->tp_getitem)
        return;
    py_err_clear();
    ft_object *fs = function_str(func);
    if (!fs)
        return;
    py_err_format(py_exc_TypeError, "%s argument after * must be an iterable, not %s",
                  u8(fs), py_type_name(iterable));
    ft_decref(fs);
}

static int set_update(ft_object *s, ft_object *iterable)
{
    ft_object *it = py_iter(iterable);
    if (!it)
        return -1;
    ft_object *v;
    int rc = 0;
    while ((v = py_iter_next(it)) != NULL) {
        if (ft_set_add(s, v) < 0) {
            py_err_from_ft();
            ft_decref(v);
            rc = -1;
            break;
        }
        ft_decref(v);
    }
    ft_decref(it);
    if (rc == 0 && py_err_occurred())
        rc = -1;
    return rc;
}

static PY_COLD void unpack_not_iterable(ft_object *v)
{
    py_err_format(py_exc_TypeError, "cannot unpack non-iterable %s object", py_type_name(v));
}

static bool unpack_iterable_check(ft_object *v)
{
    py_type *t = py_type_of(v);
    if (!t->tp_iter && !t->tp_getitem) {
        unpack_not_iterable(v);
        return false;
    }
    return true;
}

/* UNPACK_SEQUENCE's general case: writes n new references into out[0..n)
 * in sequence order. 0 or -1. */
static int unpack_iterable(ft_object *seq, int n, ft_object **out)
{
    if (!unpack_iterable_check(seq))
        return -1;
    ft_object *it = py_iter(seq);
    if (!it)
        return -1;
    int i;
    for (i = 0; i < n; i++) {
        ft_object *v = py_iter_next(it);
        if (!v) {
            if (!py_err_occurred())
                py_err_format(py_exc_ValueError,
                              "not enough values to unpack (expected %d, got %d)", n, i);
            goto fail;
        }
        out[i] = v;
    }
    ft_object *extra = py_iter_next(it);
    if (extra) {
        ft_decref(extra);
        py_err_format(py_exc_ValueError, "too many values to unpack (expected %d)", n);
        goto fail;
    }
    if (py_err_occurred())
        goto fail;
    ft_decref(it);
    return 0;
fail:
    while (i > 0)
        ft_decref(out[--i]);
    ft_decref(it);
    return -1;
}

/* UNPACK_EX: the items of seq as a tuple (a snapshot of a list), checked
 * for length. */
static ft_object *unpack_ex_tuple(ft_object *seq, int before, int after)
{
    ft_object *t;
    if (seq->ob_type == &ft_tuple_type) {
        t = ft_newref(seq);
    } else if (seq->ob_type == &ft_list_type) {
        t = ft_list_as_tuple(seq);
        if (!t)
            return py_err_from_ft();
    } else {
        if (!unpack_iterable_check(seq))
            return NULL;
        t = py_sequence_tuple(seq);
        if (!t)
            return NULL;
    }
    ssize_t n = py_vm_tuple_size(t);
    if (n < before + after) {
        py_err_format(py_exc_ValueError,
                      "not enough values to unpack (expected at least %d, got %zd)",
                      before + after, n);
        ft_decref(t);
        return NULL;
    }
    return t;
}

static ft_object *build_string(ft_object **items, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        ssize_t len;
        if (!ft_str_utf8_borrow(items[i], &len))
            return py_err_from_ft();
        total += (size_t)len;
    }
    char small[256];
    char *buf = total < sizeof small ? small : malloc(total + 1);
    if (!buf)
        return py_err_nomemory();
    size_t pos = 0;
    for (int i = 0; i < n; i++) {
        ssize_t len;
        const char *p = ft_str_utf8_borrow(items[i], &len);
        memcpy(buf + pos, p, (size_t)len);
        pos += (size_t)len;
    }
    ft_object *r = ft_str_from_utf8(buf, (ssize_t)total);
    if (buf != small)
        free(buf);
    return r ? r : py_err_from_ft();
}

static ft_object *format_value(ft_object *v, int conv, ft_object *spec)
{
    ft_object *conv_v = NULL;
    switch (conv) {
    case 1: conv_v = py_str(v); break;
    case 2: conv_v = py_repr(v); break;
    case 3: conv_v = py_ascii(v); break;
    default: break;
    }
    if (conv && !conv_v)
        return NULL;
    ft_object *x = conv_v ? conv_v : v;
    ft_object *r;
    if (py_str_check_exact(x) && (!spec || ft_len(spec) == 0))
        r = ft_newref(x);
    else
        r = py_format(x, spec);
    ft_xdecref(conv_v);
    return r;
}

/* Is exc matched by an except clause of cls (a class or a tuple)? 1, 0,
 * -1 (TypeError for something that is not an exception class). */
static int exc_matches(ft_object *exc, ft_object *cls)
{
    if (cls->ob_type == &ft_tuple_type) {
        ssize_t n = py_vm_tuple_size(cls);
        ft_object **items = py_vm_tuple_items(cls);
        for (ssize_t i = 0; i < n; i++)
            if (!py_exc_class_check(items[i]))
                goto bad;
        for (ssize_t i = 0; i < n; i++)
            if (py_isinstance_exact_or_sub(exc, (py_type *)items[i]))
                return 1;
        return 0;
    }
    if (!py_exc_class_check(cls))
        goto bad;
    return py_isinstance_exact_or_sub(exc, (py_type *)cls);
bad:
    py_err_setstr(py_exc_TypeError,
                  "catching classes that do not inherit from BaseException is not allowed");
    return -1;
}

/* The raise statement. Returns 1 when it re-raised exc_info (no new
 * traceback entry), -1 otherwise (the exception is set). */
static int do_raise(py_tstate *ts, ft_object *exc, ft_object *cause)
{
    if (!exc) {
        ft_object *cur = ts->exc_info;
        if (!cur || cur == ft_none()) {
            py_err_setstr(py_exc_RuntimeError, "No active exception to reraise");
            return -1;
        }
        py_err_restore(ft_newref(cur));
        return 1;
    }
    ft_object *inst;
    if (py_is_type(exc)) {
        if (!py_exc_class_check(exc)) {
            py_err_setstr(py_exc_TypeError, "exceptions must derive from BaseException");
            return -1;
        }
        inst = py_call0(exc);
        if (!inst)
            return -1;
        if (!py_exc_check(inst)) {
            py_err_format(py_exc_TypeError,
                          "calling %s should have returned an instance of BaseException, "
                          "not %s", ((py_type *)exc)->ft.tp_name, py_type_name(inst));
            ft_decref(inst);
            return -1;
        }
    } else if (py_exc_check(exc)) {
        inst = ft_newref(exc);
    } else {
        py_err_setstr(py_exc_TypeError, "exceptions must derive from BaseException");
        return -1;
    }
    if (cause) {
        ft_object *c;
        if (cause == ft_none()) {
            c = NULL;
        } else if (py_is_type(cause) && py_exc_class_check(cause)) {
            c = py_call0(cause);
            if (!c) {
                ft_decref(inst);
                return -1;
            }
            if (!py_exc_check(c)) {
                py_err_format(py_exc_TypeError,
                              "calling %s should have returned an instance of "
                              "BaseException, not %s", ((py_type *)cause)->ft.tp_name,
                              py_type_name(c));
                ft_decref(c);
                ft_decref(inst);
                return -1;
            }
        } else if (py_exc_check(cause)) {
            c = ft_newref(cause);
        } else {
            ft_decref(inst);
            py_err_setstr(py_exc_TypeError, "exception causes must derive from BaseException");
            return -1;
        }
        py_exc_set_cause(inst, c);
        ft_xdecref(c);
    }
    py_err_set_object(inst);
    ft_decref(inst);
    return -1;
}

static int import_star(ft_object *locals, ft_object *m)
{
    ft_object *all = NULL;
    int r = py_getattr_opt(m, PY_ID(__all__), &all);
    if (r < 0)
        return -1;
    bool skip_private = false;
    if (r == 0) {
        ft_object *d = NULL;
        r = py_getattr_opt(m, PY_ID(__dict__), &d);
        if (r <= 0) {
            if (r == 0)
                py_err_setstr(py_exc_ImportError,
                              "from-import-* object has no __dict__ and no __all__");
            return -1;
        }
        all = py_sequence_list(d);   /* the keys */
        ft_decref(d);
        if (!all)
            return -1;
        skip_private = true;
    }
    ft_object *it = py_iter(all);
    ft_decref(all);
    if (!it)
        return -1;
    ft_object *name;
    int rc = 0;
    while ((name = py_iter_next(it)) != NULL) {
        if (skip_private && py_str_check_exact(name) && u8(name)[0] == '_') {
            ft_decref(name);
            continue;
        }
        ft_object *v = py_getattr(m, name);
        if (!v) {
            ft_decref(name);
            rc = -1;
            break;
        }
        int sr = locals->ob_type == &ft_dict_type
                     ? (ft_dict_set(locals, name, v) < 0 ? py_err_from_ft_int() : 0)
                     : py_setitem(locals, name, v);
        ft_decref(v);
        ft_decref(name);
        if (sr < 0) {
            rc = -1;
            break;
        }
    }
    ft_decref(it);
    if (rc == 0 && py_err_occurred())
        rc = -1;
    return rc;
}

static ft_object *import_from(ft_object *m, ft_object *name)
{
    ft_object *v = NULL;
    int r = py_getattr_opt(m, name, &v);
    if (r > 0)
        return v;
    if (r < 0)
        return NULL;
    /* A submodule imported as a side effect may be only in sys.modules. */
    ft_object *pkgname = NULL;
    r = py_getattr_opt(m, PY_ID(__name__), &pkgname);
    if (r < 0)
        return NULL;
    if (r > 0 && py_str_check_exact(pkgname)) {
        ft_object *full = py_str_from_format("%s.%s", u8(pkgname), u8(name));
        ft_object *mods = py_sys_modules_borrow();
        if (full && mods && mods->ob_type == &ft_dict_type &&
            ft_dict_lookup(mods, full, &v) > 0) {
            ft_decref(full);
            ft_decref(pkgname);
            return v;
        }
        ft_err_clear();
        ft_xdecref(full);
    }
    ft_object *file = NULL;
    if (py_getattr_opt(m, PY_ID(__file__), &file) < 0)
        py_err_clear();
    bool has_file = file && py_str_check_exact(file);
    const char *where = has_file ? u8(file) : "unknown location";
    bool has_name = pkgname && py_str_check_exact(pkgname);
    py_err_format(py_exc_ImportError, "cannot import name '%s' from '%s' (%s)", u8(name),
                  has_name ? u8(pkgname) : "<unknown module name>", where);
    /* ImportError.name / .path, as PyErr_SetImportError. */
    ft_object *exc = py_err_current_borrow();
    ft_object *path_key = ft_str_from_utf8("path", 4);
    if (exc && py_exc_check(exc) && py_as_exc(exc)->dict && path_key) {
        ft_dict_set(py_as_exc(exc)->dict, PY_ID(name), has_name ? pkgname : ft_none());
        ft_dict_set(py_as_exc(exc)->dict, path_key, has_file ? file : ft_none());
    }
    ft_err_clear();
    ft_xdecref(path_key);
    ft_xdecref(file);
    ft_xdecref(pkgname);
    return NULL;
}

static int print_expr(ft_object *v)
{
    ft_object *hook = py_sys_get_borrow("displayhook");
    if (hook) {
        ft_object *r = py_call1(hook, v);
        if (!r)
            return -1;
        ft_decref(r);
        return 0;
    }
    py_err_clear();
    if (v == ft_none())
        return 0;
    ft_object *builtins = py_builtins_dict_borrow();
    ft_object *underscore = ft_str_from_utf8("_", 1);
    if (!underscore)
        return py_err_from_ft_int();
    ft_dict_set(builtins, underscore, ft_none());
    ft_object *out = py_sys_get_borrow("stdout");
    ft_object *rep = out ? py_repr(v) : NULL;
    int rc = -1;
    if (rep) {
        ft_object *r = py_call_method(out, PY_ID(write), &rep, 1);
        if (r) {
            ft_decref(r);
            ft_object *nl = ft_str_from_utf8("\n", 1);
            r = nl ? py_call_method(out, PY_ID(write), &nl, 1) : NULL;
            ft_xdecref(nl);
            if (r) {
                ft_decref(r);
                rc = 0;
            }
        }
        ft_decref(rep);
    }
    if (rc == 0 && ft_dict_set(builtins, underscore, v) < 0)
        rc = py_err_from_ft_int();
    ft_decref(underscore);
    return rc;
}

/* LOAD_NAME / LOAD_CLASSDEREF's lookup in a locals mapping: 1, 0, -1. */
static int mapping_lookup(ft_object *m, ft_object *name, ft_object **out)
{
    if (m->ob_type == &ft_dict_type) {
        int r = ft_dict_lookup(m, name, out);
        if (r < 0)
            py_err_from_ft();
        return r;
    }
    ft_object *v = py_getitem(m, name);
    if (v) {
        *out = v;
        return 1;
    }
    if (py_err_matches(py_exc_KeyError)) {
        py_err_clear();
        return 0;
    }
    return -1;
}

static int dict_lookup(ft_object *d, ft_object *name, ft_object **out)
{
    if (py_likely(d->ob_type == &ft_dict_type)) {
        int r = ft_dict_lookup(d, name, out);
        if (py_unlikely(r < 0))
            py_err_from_ft();
        return r;
    }
    return mapping_lookup(d, name, out);
}

/* STORE_NAME and friends on a mapping: 0 or -1. */
static int mapping_store(ft_object *m, ft_object *name, ft_object *v)
{
    if (m->ob_type == &ft_dict_type)
        return ft_dict_set(m, name, v) < 0 ? py_err_from_ft_int() : 0;
    return py_setitem(m, name, v);
}

/* Deletes name from m; NameError when absent. 0 or -1. */
static int mapping_delete(ft_object *m, ft_object *name)
{
    if (m->ob_type == &ft_dict_type) {
        ft_object *old = NULL;
        int r = ft_dict_lookup(m, name, &old);
        if (r < 0)
            return py_err_from_ft_int();
        if (r == 0) {
            name_error(name);
            return -1;
        }
        ft_decref(old);
        return ft_dict_del(m, name) < 0 ? py_err_from_ft_int() : 0;
    }
    if (py_setitem(m, name, NULL) < 0) {
        if (py_err_matches(py_exc_KeyError)) {
            py_err_clear();
            name_error(name);
        }
        return -1;
    }
    return 0;
}

static ft_object *make_function(ft_object *code, ft_object *globals, int flags,
                                ft_object *defaults, ft_object *kwdefaults,
                                ft_object *annotations, ft_object *closure)
{
    ft_object *fo = py_function_new(code, globals);
    if (!fo)
        return NULL;
    py_function *fn = (py_function *)fo;
    (void)flags;
    if (defaults && defaults != ft_none())
        fn->defaults = ft_newref(defaults);
    if (kwdefaults && kwdefaults != ft_none())
        fn->kwdefaults = ft_newref(kwdefaults);
    if (annotations && annotations != ft_none())
        fn->annotations = ft_newref(annotations);
    if (closure && closure != ft_none())
        fn->closure = ft_newref(closure);
    return fo;
}

/* Calls a special method looked up on the class, bound (with/exit). */
static ft_object *lookup_special_or_error(ft_object *mgr, ft_object *name, const char *extra)
{
    ft_object *m = NULL;
    int r = py_lookup_special(mgr, name, &m);
    if (r > 0)
        return m;
    if (r == 0)
        py_err_format(py_exc_TypeError,
                      "'%s' object does not support the context manager protocol%s",
                      py_type_name(mgr), extra);
    return NULL;
}

/* SEND for objects other than generators: 1 with *out yielded, 0 with
 * *out the result (StopIteration), -1 error. */
static int send_other(ft_object *it, ft_object *v, ft_object **out)
{
    ft_object *r;
    if (v == ft_none()) {
        py_type *t = py_type_of(it);
        if (py_type_is_heap(t)) {
            /* A class's __next__: its StopIteration carries the result,
             * which the tp_iternext slot would drop. */
            r = py_call_special(it, PY_ID(__next__), NULL, 0);
            if (r) {
                *out = r;
                return 1;
            }
            goto check_stop;
        }
        if (t->tp_iternext) {
            r = t->tp_iternext(it);
            if (r) {
                *out = r;
                return 1;
            }
            if (py_err_occurred())
                goto check_stop;
            *out = ft_none();
            return 0;
        }
    }
    r = py_call_method(it, PY_ID(send), &v, 1);
    if (r) {
        *out = r;
        return 1;
    }
check_stop:
    if (py_err_matches(py_exc_StopIteration)) {
        ft_object *stop = py_err_fetch();
        ft_object *val = py_stopiteration_value(stop);
        ft_decref(stop);
        if (!val)
            return -1;
        *out = val;
        return 0;
    }
    return -1;
}

/* The singletons, read once (ft_none() and friends are calls). */
static ft_object *vm_none, *vm_true, *vm_false;

static PY_COLD ft_object *vm_singletons_init(void)
{
    vm_true = ft_true();
    vm_false = ft_false();
    __atomic_store_n(&vm_none, ft_none(), __ATOMIC_RELEASE);
    return vm_none;
}

/* None, after which vm_true and vm_false are set too. */
static inline ft_object *vm_singletons(void)
{
    ft_object *none = __atomic_load_n(&vm_none, __ATOMIC_ACQUIRE);
    return py_likely(none != NULL) ? none : vm_singletons_init();
}

/* ---- BINARY_OP ------------------------------------------------------------------ */

/* Drops an operand's reference, if the stack held one: a pair's right
 * operand (LOAD_FAST__BINARY_OP, LOAD_CONST__BINARY_OP) and both of a
 * triple's are the local's or the constant's, borrowed. */
static ft_always_inline void drop_b(ft_object *b, bool b_owned)
{
    if (b_owned)
        ft_decref(b);
}

/* drop_b for an exact int operand: mostly a small int, immortal, which
 * biased nogil's owner-first decref would send down its longer path
 * (vm.h, py_decref_mostly_immortal); the same code as drop_b in gil. */
static ft_always_inline void drop_int(ft_object *o, bool owned)
{
    if (owned)
        py_decref_mostly_immortal(o);
}

/* a op b (oparg: BINARY_OP's) with the int and float fast paths, for
 * BINARY_OP (a_owned, b_owned: the stack's references), the pairs
 * (b borrowed from a local or the constants) and the triples (a too;
 * always inline, so each site gets its own copy with the flags folded).
 * The result, a new reference, and the owned operands' references
 * dropped; or NULL with the error set and b's dropped, a's left to the
 * stack's unwinding. An operand whose only reference is the stack's
 * takes an int or float result in place: never a borrowed one, whose
 * count of 1 is the local's or the constant's. */
static ft_always_inline ft_object *binary_op(ft_object *a, ft_object *b, uint32_t oparg,
                                         bool a_owned, bool b_owned)
{
    ft_object *r;
    double dz;
    uint32_t op = oparg & ~(uint32_t)PY_OP_INPLACE;
    if (a->ob_type == &ft_int_type && b->ob_type == &ft_int_type) {
        int64_t x = INT_VAL(a), y = INT_VAL(b), z;
        switch (op) {
        case PY_OP_ADD:
            if (!__builtin_add_overflow(x, y, &z))
                goto int_result;
            break;
        case PY_OP_SUB:
            if (!__builtin_sub_overflow(x, y, &z))
                goto int_result;
            break;
        case PY_OP_MUL:
            if (!__builtin_mul_overflow(x, y, &z))
                goto int_result;
            break;
        case PY_OP_FLOORDIV:
            if (y != 0 && !(x == INT64_MIN && y == -1)) {
                z = x / y;
                if ((x % y != 0) && ((x < 0) != (y < 0)))
                    z--;
                goto int_result;
            }
            break;
        case PY_OP_MOD:
            if (y != 0 && !(x == INT64_MIN && y == -1)) {
                z = x % y;
                if (z != 0 && ((z < 0) != (y < 0)))
                    z += y;
                goto int_result;
            }
            break;
        case PY_OP_TRUEDIV:
            /* Both exact as doubles: one correctly rounded division,
             * as CPython's long_true_divide. */
            if (y != 0 && x <= (1LL << 53) && x >= -(1LL << 53) &&
                y <= (1LL << 53) && y >= -(1LL << 53)) {
                dz = (double)x / (double)y;
                goto float_new;
            }
            break;
        case PY_OP_POW:
            if (y >= 0 && y < 64) {
                int64_t base = x, acc = 1;
                uint64_t e = (uint64_t)y;
                bool ovf = false;
                while (e) {
                    if ((e & 1) && __builtin_mul_overflow(acc, base, &acc)) {
                        ovf = true;
                        break;
                    }
                    e >>= 1;
                    if (e && __builtin_mul_overflow(base, base, &base)) {
                        ovf = true;
                        break;
                    }
                }
                if (!ovf) {
                    z = acc;
                    goto int_result;
                }
            }
            break;
        case PY_OP_AND: z = x & y; goto int_result;
        case PY_OP_OR:  z = x | y; goto int_result;
        case PY_OP_XOR: z = x ^ y; goto int_result;
        case PY_OP_RSHIFT:
            if (y >= 0) {
                z = y >= 64 ? (x < 0 ? -1 : 0) : x >> y;
                goto int_result;
            }
            break;
        case PY_OP_LSHIFT:
            if (y >= 0 && y < 63 &&
                (int64_t)((uint64_t)x << y) >> y == x) {   /* no bits lost */
                z = (int64_t)((uint64_t)x << y);
                goto int_result;
            }
            break;
        default:
            break;
        }
        goto binop_slow;
    int_result:
        /* A temporary operand nobody else sees takes the result
         * (small ints are shared: they come from the cache). */
        if (z >= -5 && z <= 256) {
            r = ft_int_from_i64(z);
        } else if (a_owned && _ft_refcount_is_one(a)) {
            INT_VAL(a) = z;
            drop_int(b, b_owned);
            return a;
        } else if (b_owned && _ft_refcount_is_one(b)) {
            INT_VAL(b) = z;
            drop_int(a, a_owned);
            return b;
        } else {
            r = ft_int_from_i64(z);
        }
        if (!r) {
            py_err_from_ft();
            drop_b(b, b_owned);
            return NULL;
        }
        drop_int(a, a_owned);
        drop_int(b, b_owned);
        return r;
    }
    {
        double x, y, z;
        if (a->ob_type == &ft_float_type) {
            x = FLOAT_VAL(a);
            if (b->ob_type == &ft_float_type)
                y = FLOAT_VAL(b);
            else if (b->ob_type == &ft_int_type)
                y = (double)INT_VAL(b);
            else
                goto binop_slow;
        } else if (b->ob_type == &ft_float_type && a->ob_type == &ft_int_type) {
            x = (double)INT_VAL(a);
            y = FLOAT_VAL(b);
        } else {
            goto binop_slow;
        }
        switch (op) {
        case PY_OP_ADD: z = x + y; break;
        case PY_OP_SUB: z = x - y; break;
        case PY_OP_MUL: z = x * y; break;
        case PY_OP_TRUEDIV:
            if (y == 0.0)
                goto binop_slow;
            z = x / y;
            break;
        case PY_OP_POW:
            /* The plain case of float_pow: a positive finite base and
             * a finite result (else: errors, complex results). */
            if (!(x > 0.0 && x <= DBL_MAX && y >= -DBL_MAX && y <= DBL_MAX))
                goto binop_slow;
            z = pow(x, y);
            if (!(z >= -DBL_MAX && z <= DBL_MAX))
                goto binop_slow;
            break;
        default:
            goto binop_slow;
        }
        /* A temporary float operand takes the result. */
        if (a_owned && a->ob_type == &ft_float_type && _ft_refcount_is_one(a)) {
            FLOAT_VAL(a) = z;
            drop_b(b, b_owned);
            return a;
        }
        if (b_owned && b->ob_type == &ft_float_type && _ft_refcount_is_one(b)) {
            FLOAT_VAL(b) = z;
            drop_b(a, a_owned);
            return b;
        }
        dz = z;
    }
    float_new:
    r = ft_float_from_double(dz);
    if (!r) {
        py_err_from_ft();
        drop_b(b, b_owned);
        return NULL;
    }
    goto binop_done;
    binop_slow:
    r = py_binary_op(a, b, (int)oparg);
    if (!r) {
        drop_b(b, b_owned);
        return NULL;
    }
    binop_done:
    drop_b(a, a_owned);
    drop_b(b, b_owned);
    return r;
}


/* ---- Comparisons and subscripts ------------------------------------------------ */

/* a op b (op: COMPARE_OP's) where no protocol is needed: exact ints,
 * floats, and == / != of strs. 0 or 1; 2: none of these (the caller
 * calls py_richcompare); -1 with the error set. Counts nothing: shared
 * by COMPARE_OP (the stack's operands) and the comparison triples
 * (borrowed ones). */
static ft_always_inline int compare_fast(ft_object *a, ft_object *b, uint32_t op)
{
    if (a->ob_type == &ft_int_type && b->ob_type == &ft_int_type) {
        int64_t x = INT_VAL(a), y = INT_VAL(b);
        switch (op) {
        case PY_LT: return x < y;
        case PY_LE: return x <= y;
        case PY_EQ: return x == y;
        case PY_NE: return x != y;
        case PY_GT: return x > y;
        default:    return x >= y;
        }
    }
    if (a->ob_type == &ft_float_type && b->ob_type == &ft_float_type) {
        double x = FLOAT_VAL(a), y = FLOAT_VAL(b);
        switch (op) {
        case PY_LT: return x < y;
        case PY_LE: return x <= y;
        case PY_EQ: return x == y;
        case PY_NE: return x != y;
        case PY_GT: return x > y;
        default:    return x >= y;
        }
    }
    if ((op == PY_EQ || op == PY_NE) && a->ob_type == &ft_str_type &&
        b->ob_type == &ft_str_type) {
        int c = a == b ? 1 : ft_equal(a, b);
        if (c < 0) {
            py_err_from_ft();
            return -1;
        }
        return c ^ (op == PY_NE);
    }
    return 2;
}

/* `v in container`: 1, 0, or -1 with the error set; counts nothing. */
static inline int contains_op(ft_object *container, ft_object *v)
{
    int r;
    if (container->ob_type == &ft_set_type && v->ob_type != &ft_set_type) {
        /* (a set key is looked up as a frozenset: set.__contains__) */
        r = ft_set_contains(container, v);
        if (r < 0)
            py_err_from_ft();
    } else if (container->ob_type == &ft_dict_type) {
        ft_object *found = NULL;
        r = ft_dict_lookup(container, v, &found);
        if (r < 0)
            py_err_from_ft();
        ft_xdecref(found);
    } else {
        r = py_contains(container, v);
    }
    return r;
}

/* o[k] with the fast paths of exact lists and tuples indexed by an exact
 * int and of exact dicts (a subclass may define __getitem__): a new
 * reference, or NULL with the error set. Counts nothing of o and k. */
static ft_always_inline ft_object *subscr_get(ft_object *o, ft_object *k)
{
    ft_object *r;
    if (k->ob_type == &ft_int_type) {
        if (o->ob_type == &ft_list_type) {
            /* ft_list_get counts negative indices from the end as
             * Python does; out of range, the slow path raises. */
            r = ft_list_get(o, (ssize_t)INT_VAL(k));
            if (py_likely(r != NULL))
                return r;
            ft_err_clear();
        } else if (o->ob_type == &ft_tuple_type) {
            int64_t i = INT_VAL(k);
            ssize_t n = py_vm_tuple_size(o);
            if (i < 0)
                i += n;
            if (i >= 0 && i < n)
                return ft_newref(py_vm_tuple_items(o)[i]);
        }
    } else if (o->ob_type == &ft_dict_type) {
        int rc = ft_dict_lookup(o, k, &r);
        if (rc > 0)
            return r;
        if (rc < 0)
            py_err_from_ft();
        else
            py_err_set_key(k);
        return NULL;
    }
    return py_getitem(o, k);
}

/* ---- Inline calls --------------------------------------------------------------- */

/* Fills nf's locals from the value stack's arguments args[0, total)
 * (nargs positional, then the values named by kwnames), taking over
 * their references in every case. The common shapes (positional only,
 * missing ones from the defaults) are done here; the rest by
 * py_frame_bind_args. 0, or -1 with the exception set. */
static inline int bind_call_args(py_frame *nf, py_function *fn, py_code *co,
                                 ft_object **args, size_t nargs, size_t total,
                                 ft_object *kwnames)
{
    ft_object **L = nf->localsplus;
    size_t argcount = (size_t)co->co_argcount;
    int nlp = nf->nlocalsplus;
    if (py_likely(!kwnames && nargs <= argcount && co->co_kwonlyargcount == 0 &&
                  !(co->co_flags & (PY_CO_VARARGS | PY_CO_VARKEYWORDS)))) {
        size_t ndef = 0;
        if (nargs < argcount) {
            ft_object *defs = fn->defaults;
            ndef = defs ? (size_t)py_vm_tuple_size(defs) : 0;
            if (nargs + ndef < argcount)
                goto general;   /* missing arguments: the TypeError */
        }
        /* The stack's references move into the frame (a loop: a few
         * words, not worth a call of memcpy). */
        for (size_t i = 0; i < nargs; i++)
            L[i] = args[i];
        if (nargs < argcount) {
            /* defaults[k] is for argument argcount - ndef + k */
            ft_object **defs = py_vm_tuple_items(fn->defaults);
            size_t first = argcount - ndef;
            for (size_t i = nargs; i < argcount; i++)
                L[i] = ft_newref(defs[i - first]);
        }
        for (int i = (int)argcount; i < nlp; i++)
            L[i] = NULL;
        if (co->co_ncells || co->co_nfrees)
            return py_frame_init_cells(nf, fn->closure);
        return 0;
    }
general:
    for (int i = 0; i < nlp; i++)
        L[i] = NULL;
    int r = py_frame_bind_args(nf, &fn->ob_base, args, nargs, kwnames);
    for (size_t i = 0; i < total; i++)
        ft_decref(args[i]);
    return r;
}

/* ---- Reference counts on rare paths --------------------------------------- */

/* The rare instructions count references through these calls instead of
 * the inline ft_incref/ft_decref: imports, class bodies, deletes, with,
 * raise and except, star-args and **kwargs, f-strings, set and dict
 * displays, MAKE_FUNCTION, LOAD_NAME and their kin (the handlers that use
 * rare_*). nogil's inline counts are large (owner test, then the immortal
 * and sharded tests and the shard counter on the other path): inlined at
 * every site they took 22 KB of the loop's 43 KB (gil: 11 of 31), and
 * the rare handlers between the hot ones spread those over more of the
 * instruction cache, where they evicted each other and the functions the
 * loop calls (cachegrind, spectral_norm: 14 times gil's I1 misses). Out
 * of line the loop is 36 KB in nogil, 27 in gil. The hot handlers keep
 * the inline counts; a handler that turns hot belongs back with them. */
static PY_NOINLINE void rare_incref(ft_object *o) { ft_incref(o); }
static PY_NOINLINE void rare_decref(ft_object *o) { ft_decref(o); }
static PY_NOINLINE void rare_xdecref(ft_object *o) { ft_xdecref(o); }
static inline ft_object *rare_newref(ft_object *o)
{
    rare_incref(o);
    return o;
}

/* ---- The loop ---------------------------------------------------------------- */

#define TARGET(op) TARGET_##op:
#define DISPATCH()                                                             \
    do {                                                                       \
        word = *next_instr++;                                                  \
        oparg = word >> 8;                                                     \
        goto *dispatch[word & 0xff];                                           \
    } while (0)
#define JUMPTO(x) (next_instr = first_instr + (x))
#define INSTR_INDEX() ((int32_t)(next_instr - first_instr - 1))
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define SECOND() (sp[-2])
#define SET_TOP(v) (sp[-1] = (v))
#define PEEK(n) (sp[-(ptrdiff_t)(n)])

#define LOAD_FRAME()                                                           \
    do {                                                                       \
        co = f->code;                                                          \
        first_instr = co->co_code;                                             \
        L = f->localsplus;                                                     \
        stack_base = L + f->nlocalsplus;                                       \
        sp = stack_base + f->stacktop;                                         \
        next_instr = first_instr + f->lasti + 1;                               \
        consts = py_vm_tuple_items(co->co_consts);                             \
        names = py_vm_tuple_items(co->co_names);                               \
        dispatch = f->traced ? traced_table : op_table;                        \
    } while (0)

/* Before anything that may run other frames or look at this one. */
#define SAVE_LASTI() (f->lasti = INSTR_INDEX())

#define EVAL_BREAKER()                                                         \
    do {                                                                       \
        ft_checkpoint();                                                       \
        if (py_unlikely(py_sigint_pending) && py_check_signals() < 0)          \
            goto error;                                                        \
    } while (0)

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"

ft_object *py_eval_frame(py_frame *f)
{
    static const void *const op_table[256] = {
        [0 ... 255] = &&unknown_opcode,
#define PY_OP_LABEL(name, has_arg, is_jump) [OP_##name] = &&TARGET_##name,
        PY_OPCODES(PY_OP_LABEL)
#undef PY_OP_LABEL
    };
    static const void *const traced_table[256] = {
        [0 ... 255] = &&trace_line,
    };
    /* What trace_line runs: a pair's first half alone, so that its
     * second half gets its own trace_line (its line event, f_lineno). */
    static const void *const unpaired_table[256] = {
        [0 ... 255] = &&unknown_opcode,
#define PY_OP_LABEL(name, has_arg, is_jump) [OP_##name] = &&TARGET_##name,
        PY_OPCODES(PY_OP_LABEL)
#undef PY_OP_LABEL
        [OP_LOAD_FAST__LOAD_ATTR] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__STORE_ATTR] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__BINARY_OP] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__POP_JUMP_IF_FALSE] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__POP_JUMP_IF_TRUE] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__POP_JUMP_IF_NONE] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__POP_JUMP_IF_NOT_NONE] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__LOAD_FAST__BINARY_OP] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__LOAD_CONST__BINARY_OP] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__LOAD_FAST__COMPARE] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__LOAD_CONST__COMPARE] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__BINARY_SUBSCR] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__LOAD_FAST__BINARY_SUBSCR] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__LOAD_CONST__BINARY_SUBSCR] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__UNPACK_SEQUENCE] = &&TARGET_LOAD_FAST,
        [OP_LOAD_FAST__LOAD_FAST__STORE_ATTR] = &&TARGET_LOAD_FAST,
        [OP_COPY__COPY__BINARY_SUBSCR] = &&TARGET_COPY,
        [OP_LOAD_CONST__BINARY_OP] = &&TARGET_LOAD_CONST,
        [OP_BUILD_SLICE__BINARY_SUBSCR] = &&TARGET_BUILD_SLICE,
        [OP_BUILD_SLICE__STORE_SUBSCR] = &&TARGET_BUILD_SLICE,
    };

    py_tstate *ts = py_tstate_fast();
    ft_object *const None = vm_singletons();
    ft_object *const True = vm_true, *const False = vm_false;
    py_code *co;
    const uint32_t *first_instr, *next_instr;
    ft_object **L, **stack_base, **sp, **consts, **names;
    const void *const *dispatch;
    uint32_t word;
    size_t oparg;           /* word >> 8, widened once at dispatch */
    ft_object *lhs, *rhs;   /* a borrowed operand's pair or triple */
    uint32_t binop_arg;
    int cmp_c;              /* a comparison's result, for compare_result */
    bool subscr_owned;      /* borrowed_subscr: the container is TOS's */
    bool unpack_owned;      /* unpack_sequence: the sequence was popped */
    int trace_lastline = -1;

    f->is_entry = 1;
    f->back = ts->frame;
    ts->frame = f;

start_frame:
    if (py_unlikely(ts->recursion_depth >= py_recursion_limit) &&
        recursion_error(ts, "") < 0)
        goto frame_failed;
    ts->recursion_depth++;
    py_frame_set_state(f, PY_FRAME_EXECUTING);
    if (py_unlikely(ft_tracemalloc_is_tracing()))
        py_frame_trace_push(f);
    LOAD_FRAME();
    /* sys.settrace: the 'call' event; a frame that gets a frame object
     * runs with the traced table (its 'line' events). */
    if (py_unlikely(_py_trace_active)) {
        if (py_trace_call(f) < 0)
            goto exception_unwind;
        dispatch = f->traced ? traced_table : op_table;
    }
    if (py_unlikely(f->throwflag)) {
        f->throwflag = 0;
        goto error;
    }
    /* Function starts run the eval breaker (recursion has no backward
     * jump); a generator's resumption need not: its consumer loops. */
    if (!f->gen)
        EVAL_BREAKER();
    DISPATCH();

trace_line: {
        int32_t idx = INSTR_INDEX();
        int line = idx >= 0 ? co->co_lines[idx] : 0;
        if ((f->traced & 1) && line && line != trace_lastline) {
            trace_lastline = line;
            ft_trace_set_lineno(line);
        }
        /* A frame with a frame object: its f_lineno is kept current, and
         * sys.settrace's 'line' events. */
        if (f->traced & PY_FRAME_TRACED_OBJ) {
            f->lasti = idx;
            if (_py_trace_active && py_trace_line(f, idx) < 0)
                goto error;
        }
        goto *unpaired_table[word & 0xff];
    }

    TARGET(NOP) { DISPATCH(); }

    TARGET(POP_TOP) {
        ft_object *v = POP();
        /* mostly a call statement's None (vm.h, py_decref_mostly_immortal) */
        if (v)
            py_decref_mostly_immortal(v);
        DISPATCH();
    }

    TARGET(PUSH_NULL) {
        PUSH(NULL);
        DISPATCH();
    }

    TARGET(COPY) {
        ft_object *v = PEEK(oparg);
        ft_xincref(v);
        PUSH(v);
        DISPATCH();
    }

    TARGET(SWAP) {
        ft_object *t = TOP();
        SET_TOP(PEEK(oparg));
        PEEK(oparg) = t;
        DISPATCH();
    }

    TARGET(LOAD_CONST) {
        ft_object *v = consts[oparg];
        py_incref_mostly_immortal(v);   /* None, small ints, ... (vm.h) */
        PUSH(v);
        DISPATCH();
    }

    TARGET(LOAD_FAST) {
        ft_object *v = L[oparg];
        if (py_unlikely(!v)) {
            unbound_local(ft_tuple_get_borrow(co->co_varnames, oparg));
            goto error;
        }
        ft_incref(v);
        PUSH(v);
        DISPATCH();
    }

    /* Pairs (opcode.h): the local is used borrowed. Its slot keeps it
     * alive while the second half runs, whatever code that runs (a
     * property, __setattr__, __add__, the __del__ of a replaced
     * attribute): only this frame's own instructions store into its
     * locals (no STORE_FAST runs inside one instruction, and a running
     * frame is never cleared: generators refuse, tp_clear skips it), so
     * the object cannot lose the slot's reference before the pair ends.
     * The unbound check comes before the skip, so its error
     * (unbound_fast: oparg is still the LOAD_FAST's) is the LOAD_FAST's;
     * an error in the second half is the second instruction's, as
     * next_instr points past it. */
    unbound_fast:
        unbound_local(ft_tuple_get_borrow(co->co_varnames, oparg));
        goto error;

    TARGET(LOAD_FAST__LOAD_ATTR) {
        ft_object *o = L[oparg];
        if (py_unlikely(!o))
            goto unbound_fast;
        ft_object *name = names[*next_instr++ >> 8];
        py_type *t = py_type_of(o);
        ft_object *v = t->tp_getattro ? t->tp_getattro(o, name) : py_generic_getattr(o, name);
        if (!v)
            goto error;
        PUSH(v);
        DISPATCH();
    }

    TARGET(LOAD_FAST__STORE_ATTR) {
        ft_object *o = L[oparg];
        if (py_unlikely(!o))
            goto unbound_fast;
        ft_object *name = names[*next_instr++ >> 8];
        ft_object *v = POP();
        py_type *t = py_type_of(o);
        int r = t->tp_setattro ? t->tp_setattro(o, name, v) : py_setattr(o, name, v);
        ft_decref(v);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    /* `self.x = x` (opcode.h, triples): the value is borrowed as well,
     * its local keeping it alive while the store runs (the pairs' rule
     * above); the attribute takes its own reference, so nothing is
     * counted here. In nogil the incref and decref this saves cost ~15
     * instructions, ~10 in gil. An unbound second local is its
     * LOAD_FAST's error, as in the other triples. */
    TARGET(LOAD_FAST__LOAD_FAST__STORE_ATTR) {
        ft_object *v = L[oparg];
        if (py_unlikely(!v))
            goto unbound_fast;
        uint32_t second = *next_instr++ >> 8;
        ft_object *o = L[second];
        if (py_unlikely(!o)) {
            oparg = second;
            goto unbound_fast;
        }
        ft_object *name = names[*next_instr++ >> 8];
        py_type *t = py_type_of(o);
        int r = t->tp_setattro ? t->tp_setattro(o, name, v) : py_setattr(o, name, v);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    /* The pairs and triples that end in BINARY_OP share two copies of
     * binary_op (each copy is about 2 KB of the loop: one per shape
     * keeps the hot handlers inside the instruction cache): the pairs
     * jump to borrowed_rhs with rhs set, the triples to borrowed_both
     * with lhs and rhs. Either way next_instr points past the
     * BINARY_OP, whose oparg binop_arg is. */
    TARGET(LOAD_FAST__BINARY_OP) {
        rhs = L[oparg];
        if (py_unlikely(!rhs))
            goto unbound_fast;
        goto borrowed_rhs;
    }

    /* The constant borrowed from the code object, which the frame holds. */
    TARGET(LOAD_CONST__BINARY_OP) {
        rhs = consts[oparg];
    borrowed_rhs:
        binop_arg = *next_instr++ >> 8;
        ft_object *r = binary_op(TOP(), rhs, binop_arg, true, false);
        if (!r)
            goto error;
        SET_TOP(r);
        DISPATCH();
    }

    /* Triples (opcode.h): both operands borrowed, nothing counted but
     * the result. An unbound second local is its LOAD_FAST's error:
     * next_instr then points past that instruction alone. */
    TARGET(LOAD_FAST__LOAD_FAST__BINARY_OP) {
        lhs = L[oparg];
        if (py_unlikely(!lhs))
            goto unbound_fast;
        uint32_t second = *next_instr++ >> 8;
        rhs = L[second];
        if (py_unlikely(!rhs)) {
            oparg = second;
            goto unbound_fast;
        }
        goto borrowed_both;
    }

    TARGET(LOAD_FAST__LOAD_CONST__BINARY_OP) {
        lhs = L[oparg];
        if (py_unlikely(!lhs))
            goto unbound_fast;
        rhs = consts[*next_instr++ >> 8];
    borrowed_both:
        binop_arg = *next_instr++ >> 8;
        ft_object *r = binary_op(lhs, rhs, binop_arg, false, false);
        if (!r)
            goto error;
        PUSH(r);
        DISPATCH();
    }

    /* Comparison triples (opcode.h): both operands borrowed, the third
     * instruction (COMPARE_OP, IS_OP or CONTAINS_OP) read here; nothing
     * is counted but a rich comparison's result, and a conditional jump
     * after it is taken at once (compare_result). */
    TARGET(LOAD_FAST__LOAD_FAST__COMPARE) {
        lhs = L[oparg];
        if (py_unlikely(!lhs))
            goto unbound_fast;
        uint32_t second = *next_instr++ >> 8;
        rhs = L[second];
        if (py_unlikely(!rhs)) {
            oparg = second;
            goto unbound_fast;
        }
        goto borrowed_compare;
    }

    TARGET(LOAD_FAST__LOAD_CONST__COMPARE) {
        lhs = L[oparg];
        if (py_unlikely(!lhs))
            goto unbound_fast;
        rhs = consts[*next_instr++ >> 8];
    borrowed_compare: {
            uint32_t w = *next_instr++;
            uint32_t arg = w >> 8;
            int op = py_instr_op(w);
            if (op == OP_IS_OP) {
                cmp_c = (lhs == rhs) ^ (arg != 0);
            } else if (op == OP_CONTAINS_OP) {
                int r = contains_op(rhs, lhs);
                if (r < 0)
                    goto error;
                cmp_c = r ^ (int)arg;
            } else {
                cmp_c = compare_fast(lhs, rhs, arg);
                if (cmp_c == 2) {
                    ft_object *r = py_richcompare(lhs, rhs, (int)arg);
                    if (!r)
                        goto error;
                    PUSH(r);
                    DISPATCH();
                }
                if (cmp_c < 0)
                    goto error;
            }
            goto compare_result;
        }
    }

    /* Subscript pairs and triples: the key (the pair) or both container
     * and key (the triples) borrowed; the result is the only count. */
    TARGET(LOAD_FAST__BINARY_SUBSCR) {
        rhs = L[oparg];
        if (py_unlikely(!rhs))
            goto unbound_fast;
        lhs = TOP();
        subscr_owned = true;
        goto borrowed_subscr;
    }

    TARGET(LOAD_FAST__LOAD_FAST__BINARY_SUBSCR) {
        lhs = L[oparg];
        if (py_unlikely(!lhs))
            goto unbound_fast;
        uint32_t second = *next_instr++ >> 8;
        rhs = L[second];
        if (py_unlikely(!rhs)) {
            oparg = second;
            goto unbound_fast;
        }
        subscr_owned = false;
        goto borrowed_subscr;
    }

    /* The augmented subscript's read: o and k stay on the stack, which
     * keeps them alive; the two copies are not made. */
    TARGET(COPY__COPY__BINARY_SUBSCR) {
        lhs = SECOND();
        rhs = TOP();
        next_instr++;   /* the second COPY */
        subscr_owned = false;
        goto borrowed_subscr;
    }

    TARGET(LOAD_FAST__LOAD_CONST__BINARY_SUBSCR) {
        lhs = L[oparg];
        if (py_unlikely(!lhs))
            goto unbound_fast;
        rhs = consts[*next_instr++ >> 8];
        subscr_owned = false;
    borrowed_subscr: {
            next_instr++;   /* the BINARY_SUBSCR */
            ft_object *r = subscr_get(lhs, rhs);
            if (!r)
                goto error;   /* an owned container stays for the unwinding */
            if (subscr_owned) {
                ft_decref(lhs);
                SET_TOP(r);
            } else {
                PUSH(r);
            }
            DISPATCH();
        }
    }

    /* The jumps as POP_JUMP_IF_* below, with nothing to count. */
    TARGET(LOAD_FAST__POP_JUMP_IF_FALSE) {
        ft_object *v = L[oparg];
        if (py_unlikely(!v))
            goto unbound_fast;
        uint32_t target = *next_instr++ >> 8;
        if (v == False || v == None) {
            JUMPTO(target);
        } else if (v->ob_type == &ft_int_type) {
            if (INT_VAL(v) == 0)
                JUMPTO(target);
        } else if (v != True) {
            int r = py_is_true(v);
            if (r < 0)
                goto error;
            if (r == 0)
                JUMPTO(target);
        }
        DISPATCH();
    }

    TARGET(LOAD_FAST__POP_JUMP_IF_TRUE) {
        ft_object *v = L[oparg];
        if (py_unlikely(!v))
            goto unbound_fast;
        uint32_t target = *next_instr++ >> 8;
        if (v == True) {
            JUMPTO(target);
        } else if (v->ob_type == &ft_int_type) {
            if (INT_VAL(v) != 0)
                JUMPTO(target);
        } else if (v != False && v != None) {
            int r = py_is_true(v);
            if (r < 0)
                goto error;
            if (r > 0)
                JUMPTO(target);
        }
        DISPATCH();
    }

    TARGET(LOAD_FAST__POP_JUMP_IF_NONE) {
        ft_object *v = L[oparg];
        if (py_unlikely(!v))
            goto unbound_fast;
        uint32_t target = *next_instr++ >> 8;
        if (v == None)
            JUMPTO(target);
        DISPATCH();
    }

    TARGET(LOAD_FAST__POP_JUMP_IF_NOT_NONE) {
        ft_object *v = L[oparg];
        if (py_unlikely(!v))
            goto unbound_fast;
        uint32_t target = *next_instr++ >> 8;
        if (v != None)
            JUMPTO(target);
        DISPATCH();
    }

    TARGET(STORE_FAST) {
        ft_object *old = L[oparg];
        L[oparg] = POP();
        if (old)
            py_decref_mostly_immortal(old);
        DISPATCH();
    }

    TARGET(DELETE_FAST) {
        ft_object *old = L[oparg];
        if (py_unlikely(!old)) {
            unbound_local(ft_tuple_get_borrow(co->co_varnames, oparg));
            goto error;
        }
        L[oparg] = NULL;
        rare_decref(old);
        DISPATCH();
    }

    TARGET(LOAD_DEREF) {
        ft_object *cell = L[co->co_nlocals + oparg];
        ft_object *v = py_cell_get_borrow(cell);
        if (py_unlikely(!v)) {
            unbound_deref(co, (int)oparg);
            goto error;
        }
        ft_incref(v);
        PUSH(v);
        DISPATCH();
    }

    TARGET(STORE_DEREF) {
        ft_object *cell = L[co->co_nlocals + oparg];
        ft_object *v = POP();
        ft_object *old = ((py_cell *)cell)->ref;
        ((py_cell *)cell)->ref = v;
        ft_xdecref(old);
        DISPATCH();
    }

    TARGET(DELETE_DEREF) {
        ft_object *cell = L[co->co_nlocals + oparg];
        ft_object *old = ((py_cell *)cell)->ref;
        if (!old) {
            unbound_deref(co, (int)oparg);
            goto error;
        }
        ((py_cell *)cell)->ref = NULL;
        rare_decref(old);
        DISPATCH();
    }

    TARGET(LOAD_CLOSURE) {
        ft_object *cell = L[co->co_nlocals + oparg];
        ft_incref(cell);
        PUSH(cell);
        DISPATCH();
    }

    TARGET(LOAD_CLASSDEREF) {
        ft_object *name = cell_name(co, (int)oparg);
        ft_object *v = NULL;
        if (f->locals) {
            int r = mapping_lookup(f->locals, name, &v);
            if (r < 0)
                goto error;
        }
        if (!v) {
            v = py_cell_get_borrow(L[co->co_nlocals + oparg]);
            if (!v) {
                unbound_deref(co, (int)oparg);
                goto error;
            }
            rare_incref(v);
        }
        PUSH(v);
        DISPATCH();
    }

    TARGET(LOAD_NAME) {
        ft_object *name = names[oparg];
        ft_object *v = NULL;
        if (!f->locals) {
            py_err_format(py_exc_SystemError, "no locals when loading '%s'", u8(name));
            goto error;
        }
        int r = mapping_lookup(f->locals, name, &v);
        if (r == 0)
            r = dict_lookup(f->globals, name, &v);
        if (r == 0)
            r = dict_lookup(f->builtins, name, &v);
        if (py_unlikely(r <= 0)) {
            if (r == 0)
                name_error(name);
            goto error;
        }
        PUSH(v);
        DISPATCH();
    }

    TARGET(STORE_NAME) {
        ft_object *name = names[oparg];
        ft_object *v = POP();
        if (!f->locals) {
            rare_decref(v);
            py_err_format(py_exc_SystemError, "no locals found when storing '%s'", u8(name));
            goto error;
        }
        int r = mapping_store(f->locals, name, v);
        rare_decref(v);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    TARGET(DELETE_NAME) {
        ft_object *name = names[oparg];
        if (!f->locals) {
            py_err_format(py_exc_SystemError, "no locals when deleting '%s'", u8(name));
            goto error;
        }
        if (mapping_delete(f->locals, name) < 0)
            goto error;
        DISPATCH();
    }

    TARGET(LOAD_GLOBAL) {
        ft_object *name = names[oparg];
        ft_object *v = NULL;
        int r;
        if (py_likely(f->globals->ob_type == &ft_dict_type &&
                      f->builtins->ob_type == &ft_dict_type)) {
            /* co_gcache is set: the code has this LOAD_GLOBAL */
            r = ft_dict_lookup2_cached(f->globals, f->builtins, name,
                                       &co->co_gcache[oparg], &v);
            if (py_unlikely(r < 0))
                py_err_from_ft();
        } else {
            r = dict_lookup(f->globals, name, &v);
            if (r == 0)
                r = dict_lookup(f->builtins, name, &v);
        }
        if (py_unlikely(r <= 0)) {
            if (r == 0)
                name_error(name);
            goto error;
        }
        PUSH(v);
        DISPATCH();
    }

    TARGET(STORE_GLOBAL) {
        ft_object *v = POP();
        int r = mapping_store(f->globals, names[oparg], v);
        rare_decref(v);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    TARGET(DELETE_GLOBAL) {
        if (mapping_delete(f->globals, names[oparg]) < 0)
            goto error;
        DISPATCH();
    }

    TARGET(LOAD_ATTR) {
        ft_object *o = TOP();
        /* Names are exact strs: the class's slot directly (py_getattr's
         * first case). */
        py_type *t = py_type_of(o);
        ft_object *v = t->tp_getattro ? t->tp_getattro(o, names[oparg])
                                      : py_generic_getattr(o, names[oparg]);
        if (!v)
            goto error;
        SET_TOP(v);
        ft_decref(o);
        DISPATCH();
    }

    TARGET(LOAD_METHOD) {
        ft_object *o = TOP();
        ft_object *m = NULL;
        int r = py_lookup_method(o, names[oparg], &m);
        if (r < 0)
            goto error;
        SET_TOP(m);
        if (r > 0) {
            PUSH(o);            /* the object's reference moves to self */
        } else {
            ft_decref(o);
            PUSH(NULL);
        }
        DISPATCH();
    }

    TARGET(STORE_ATTR) {
        ft_object *o = POP();
        ft_object *v = POP();
        py_type *t = py_type_of(o);
        int r = t->tp_setattro ? t->tp_setattro(o, names[oparg], v)
                               : py_setattr(o, names[oparg], v);
        ft_decref(v);
        ft_decref(o);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    TARGET(DELETE_ATTR) {
        ft_object *o = POP();
        int r = py_setattr(o, names[oparg], NULL);
        rare_decref(o);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    TARGET(LOAD_BUILD_CLASS) {
        ft_object *v = NULL;
        int r = dict_lookup(f->builtins, PY_ID(__build_class__), &v);
        if (r <= 0) {
            if (r == 0)
                py_err_setstr(py_exc_NameError, "__build_class__ not found");
            goto error;
        }
        PUSH(v);
        DISPATCH();
    }

    TARGET(LOAD_ASSERTION_ERROR) {
        ft_object *v = py_type_as_obj(py_exc_AssertionError);
        rare_incref(v);
        PUSH(v);
        DISPATCH();
    }

    TARGET(BINARY_OP) {
        ft_object *b = POP();
        ft_object *r = binary_op(TOP(), b, oparg, true, true);
        if (!r)
            goto error;
        SET_TOP(r);
        DISPATCH();
    }

    TARGET(UNARY_OP) {
        ft_object *v = TOP();
        ft_object *r;
        if (oparg == PY_UNARY_NEG && v->ob_type == &ft_int_type && INT_VAL(v) != INT64_MIN)
            r = ft_int_from_i64(-INT_VAL(v));
        else
            r = py_unary_op(v, (int)oparg);
        if (!r)
            goto error;
        SET_TOP(r);
        ft_decref(v);
        DISPATCH();
    }

    TARGET(UNARY_NOT) {
        ft_object *v = TOP();
        int r = v == True ? 1 : v == False || v == None ? 0 : py_is_true(v);
        if (r < 0)
            goto error;
        SET_TOP(r ? False : True);
        ft_decref(v);
        DISPATCH();
    }

    TARGET(COMPARE_OP) {
        ft_object *b = POP();
        ft_object *a = TOP();
        cmp_c = compare_fast(a, b, oparg);
        if (cmp_c == 2) {
            ft_object *r = py_richcompare(a, b, (int)oparg);
            if (!r) {
                ft_decref(b);
                goto error;
            }
            ft_decref(a);
            ft_decref(b);
            SET_TOP(r);
            DISPATCH();
        }
        if (cmp_c < 0) {
            ft_decref(b);
            goto error;
        }
        if (a->ob_type == &ft_int_type) {
            /* mostly small ints, immortal (vm.h, py_decref_mostly_immortal) */
            py_decref_mostly_immortal(a);
            py_decref_mostly_immortal(b);
        } else {
            ft_decref(a);
            ft_decref(b);
        }
        (void)POP();
        goto compare_result;
    }

    /* A comparison's result cmp_c, its operands off the stack: a
     * conditional jump on it takes it at once (the usual `if a < b:` /
     * `while` shape), with no bool on the stack. */
    compare_result: {
        uint32_t nw = *next_instr;
        if ((nw & 0xff) == OP_POP_JUMP_IF_FALSE) {
            next_instr++;
            if (!cmp_c)
                JUMPTO(nw >> 8);
            DISPATCH();
        }
        if ((nw & 0xff) == OP_POP_JUMP_IF_TRUE) {
            next_instr++;
            if (cmp_c)
                JUMPTO(nw >> 8);
            DISPATCH();
        }
        PUSH(cmp_c ? True : False);
        DISPATCH();
    }

    TARGET(IS_OP) {
        ft_object *b = POP();
        ft_object *a = TOP();
        bool r = (a == b) ^ (oparg != 0);
        ft_decref(a);
        ft_decref(b);
        SET_TOP(r ? True : False);
        DISPATCH();
    }

    TARGET(CONTAINS_OP) {
        ft_object *b = POP();
        ft_object *a = TOP();
        int r = contains_op(b, a);
        ft_decref(b);
        if (r < 0)
            goto error;
        ft_decref(a);
        SET_TOP((r ^ (int)oparg) ? True : False);
        DISPATCH();
    }

    TARGET(BINARY_SUBSCR) {
        ft_object *k = POP();
        ft_object *o = TOP();
        ft_object *r = subscr_get(o, k);
        if (k->ob_type == &ft_int_type)
            py_decref_mostly_immortal(k);   /* an index: mostly a small int (vm.h) */
        else
            ft_decref(k);
        if (!r)
            goto error;
        ft_decref(o);
        SET_TOP(r);
        DISPATCH();
    }

    TARGET(STORE_SUBSCR) {
        ft_object *k = POP();
        ft_object *o = POP();
        ft_object *v = POP();
        int r;
        if (o->ob_type == &ft_list_type && k->ob_type == &ft_int_type) {
            /* As BINARY_SUBSCR: out of range, the slow path raises. */
            r = ft_list_set(o, (ssize_t)INT_VAL(k), v);
            if (py_likely(r == 0))
                goto store_done;
            ft_err_clear();
            r = py_setitem(o, k, v);
        } else if (o->ob_type == &ft_dict_type) {
            r = ft_dict_set(o, k, v);
            if (r < 0)
                py_err_from_ft();
        } else {
            r = py_setitem(o, k, v);
        }
    store_done:
        ft_decref(k);
        ft_decref(o);
        ft_decref(v);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    TARGET(DELETE_SUBSCR) {
        ft_object *k = POP();
        ft_object *o = POP();
        int r = py_setitem(o, k, NULL);
        rare_decref(k);
        rare_decref(o);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    TARGET(BUILD_SLICE) {
        ft_object *step = oparg == 3 ? POP() : NULL;
        ft_object *stop = POP();
        ft_object *start = TOP();
        ft_object *s = py_slice_new(start, stop, step ? step : None);
        ft_xdecref(step);
        ft_decref(stop);
        if (!s)
            goto error;
        ft_decref(start);
        SET_TOP(s);
        DISPATCH();
    }

    /* The slice pairs (opcode.h): for an exact list, its subscript with
     * the slice's parts, which stay on the stack until it is done (they
     * are mostly small ints and None: vm.h); anything else builds the
     * slice, and the subscript runs alone next. An error is the
     * subscript's: next_instr points past it. */
    TARGET(BUILD_SLICE__BINARY_SUBSCR) {
        ft_object *o = PEEK(oparg + 1);
        if (o->ob_type != &ft_list_type)
            goto TARGET_BUILD_SLICE;
        ft_object *r = py_list_get_slice_parts(o, PEEK(oparg), PEEK(oparg - 1),
                                               oparg == 3 ? TOP() : None);
        next_instr++;
        for (uint32_t i = 0; i < oparg; i++)
            py_decref_mostly_immortal(POP());
        ft_decref(o);
        if (!r) {
            (void)POP();
            goto error;
        }
        SET_TOP(r);
        DISPATCH();
    }

    TARGET(BUILD_SLICE__STORE_SUBSCR) {
        ft_object *o = PEEK(oparg + 1);
        if (o->ob_type != &ft_list_type)
            goto TARGET_BUILD_SLICE;
        int rc = py_list_set_slice_parts(o, PEEK(oparg), PEEK(oparg - 1),
                                         oparg == 3 ? TOP() : None, PEEK(oparg + 2));
        next_instr++;
        for (uint32_t i = 0; i < oparg; i++)
            py_decref_mostly_immortal(POP());
        ft_decref(POP());   /* o */
        ft_decref(POP());   /* the value */
        if (rc < 0)
            goto error;
        DISPATCH();
    }

    TARGET(BUILD_TUPLE) {
        ft_object *t = ft_tuple_new((ssize_t)oparg);
        if (!t) {
            py_err_from_ft();
            goto error;
        }
        sp -= oparg;
        /* A new tuple's items are NULL: the references move in. */
        ft_object **items = py_vm_tuple_items(t);
        for (uint32_t i = 0; i < oparg; i++)
            items[i] = sp[i];
        PUSH(t);
        DISPATCH();
    }

    TARGET(BUILD_LIST) {
        ft_object *l = ft_list_new(0);
        if (!l) {
            py_err_from_ft();
            goto error;
        }
        sp -= oparg;
        int rc = 0;
        for (uint32_t i = 0; i < oparg; i++) {
            if (rc == 0 && ft_list_append(l, sp[i]) < 0)
                rc = -1;
            ft_decref(sp[i]);
        }
        if (rc < 0) {
            ft_decref(l);
            py_err_from_ft();
            goto error;
        }
        PUSH(l);
        DISPATCH();
    }

    TARGET(BUILD_SET) {
        ft_object *s = ft_set_new();
        if (!s) {
            py_err_from_ft();
            goto error;
        }
        sp -= oparg;
        int rc = 0;
        for (uint32_t i = 0; i < oparg; i++) {
            if (rc == 0 && ft_set_add(s, sp[i]) < 0)
                rc = -1;
            rare_decref(sp[i]);
        }
        if (rc < 0) {
            rare_decref(s);
            py_err_from_ft();
            goto error;
        }
        PUSH(s);
        DISPATCH();
    }

    TARGET(BUILD_MAP) {
        ft_object *d = ft_dict_new();
        if (!d) {
            py_err_from_ft();
            goto error;
        }
        sp -= 2 * oparg;
        int rc = 0;
        for (uint32_t i = 0; i < oparg; i++) {
            if (rc == 0 && ft_dict_set(d, sp[2 * i], sp[2 * i + 1]) < 0)
                rc = -1;
            ft_decref(sp[2 * i]);
            ft_decref(sp[2 * i + 1]);
        }
        if (rc < 0) {
            ft_decref(d);
            py_err_from_ft();
            goto error;
        }
        PUSH(d);
        DISPATCH();
    }

    TARGET(BUILD_CONST_KEY_MAP) {
        ft_object *keys = POP();
        ft_object *d = ft_dict_new();
        if (!d) {
            rare_decref(keys);
            py_err_from_ft();
            goto error;
        }
        sp -= oparg;
        int rc = 0;
        ft_object **k = py_vm_tuple_items(keys);
        for (uint32_t i = 0; i < oparg; i++) {
            if (rc == 0 && ft_dict_set(d, k[i], sp[i]) < 0)
                rc = -1;
            rare_decref(sp[i]);
        }
        rare_decref(keys);
        if (rc < 0) {
            rare_decref(d);
            py_err_from_ft();
            goto error;
        }
        PUSH(d);
        DISPATCH();
    }

    TARGET(BUILD_STRING) {
        ft_object *s = build_string(sp - oparg, (int)oparg);
        for (uint32_t i = 0; i < oparg; i++) {
            ft_object *v = POP();
            rare_decref(v);
        }
        if (!s)
            goto error;
        PUSH(s);
        DISPATCH();
    }

    TARGET(LIST_APPEND) {
        ft_object *v = POP();
        int r = ft_list_append(PEEK(oparg), v);
        ft_decref(v);
        if (r < 0) {
            py_err_from_ft();
            goto error;
        }
        DISPATCH();
    }

    TARGET(SET_ADD) {
        ft_object *v = POP();
        int r = ft_set_add(PEEK(oparg), v);
        rare_decref(v);
        if (r < 0) {
            py_err_from_ft();
            goto error;
        }
        DISPATCH();
    }

    TARGET(MAP_ADD) {
        ft_object *v = POP();
        ft_object *k = POP();
        int r = ft_dict_set(PEEK(oparg), k, v);
        rare_decref(k);
        rare_decref(v);
        if (r < 0) {
            py_err_from_ft();
            goto error;
        }
        DISPATCH();
    }

    TARGET(LIST_EXTEND) {
        ft_object *it = POP();
        int r = list_extend(PEEK(oparg), it);
        if (r < 0) {
            if (extend_in_call(next_instr))
                star_arg_error(PEEK(oparg + 1), it);
            rare_decref(it);
            goto error;
        }
        rare_decref(it);
        DISPATCH();
    }

    TARGET(SET_UPDATE) {
        ft_object *it = POP();
        int r = set_update(PEEK(oparg), it);
        rare_decref(it);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    TARGET(DICT_UPDATE) {
        ft_object *m = POP();
        int r = dict_merge(PEEK(oparg), m, false);
        rare_decref(m);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    TARGET(DICT_MERGE) {
        ft_object *m = POP();
        int r = dict_merge(PEEK(oparg), m, true);
        if (r < 0) {
            format_kwargs_error(PEEK(oparg + 2), m);
            rare_decref(m);
            goto error;
        }
        rare_decref(m);
        DISPATCH();
    }

    TARGET(LIST_TO_TUPLE) {
        ft_object *l = TOP();
        ft_object *t = py_sequence_tuple(l);
        if (!t)
            goto error;
        SET_TOP(t);
        ft_decref(l);
        DISPATCH();
    }

    TARGET(UNPACK_SEQUENCE) {
        lhs = POP();
        unpack_owned = true;
        goto unpack_sequence;
    }

    /* The pair: the local's sequence borrowed (its slot keeps it). */
    TARGET(LOAD_FAST__UNPACK_SEQUENCE) {
        lhs = L[oparg];
        if (py_unlikely(!lhs))
            goto unbound_fast;
        oparg = *next_instr++ >> 8;
        unpack_owned = false;
    unpack_sequence: {
        ft_object *seq = lhs;
        int n = (int)oparg;
        if (seq->ob_type == &ft_tuple_type && py_vm_tuple_size(seq) == n) {
            ft_object **items = py_vm_tuple_items(seq);
            for (int i = n - 1; i >= 0; i--) {
                ft_incref(items[i]);
                PUSH(items[i]);
            }
        } else if (seq->ob_type == &ft_list_type && ft_len(seq) == n) {
            int i;
            for (i = 0; i < n; i++) {
                sp[n - 1 - i] = ft_list_get(seq, i);
                if (!sp[n - 1 - i])
                    break;
            }
            if (i < n) {
                while (i > 0) {
                    i--;
                    ft_decref(sp[n - 1 - i]);
                }
                if (unpack_owned)
                    ft_decref(seq);
                py_err_from_ft();
                goto error;
            }
            sp += n;
        } else {
            /* The values go straight to their stack slots, last on the
             * bottom, then get reversed in place. */
            if (unpack_iterable(seq, n, sp) < 0) {
                if (unpack_owned)
                    ft_decref(seq);
                goto error;
            }
            for (int i = 0, j = n - 1; i < j; i++, j--) {
                ft_object *t = sp[i];
                sp[i] = sp[j];
                sp[j] = t;
            }
            sp += n;
        }
        if (unpack_owned)
            ft_decref(seq);
        DISPATCH();
    }
    }

    TARGET(UNPACK_EX) {
        int before = (int)(oparg & 0xff), after = (int)(oparg >> 8);
        ft_object *seq = POP();
        ft_object *t = unpack_ex_tuple(seq, before, after);
        rare_decref(seq);
        if (!t)
            goto error;
        ssize_t n = py_vm_tuple_size(t);
        ft_object **items = py_vm_tuple_items(t);
        ft_object *mid = ft_list_new(0);
        if (!mid || ft_list_extend_array(mid, items + before, n - before - after) < 0) {
            rare_xdecref(mid);
            rare_decref(t);
            py_err_from_ft();
            goto error;
        }
        for (ssize_t i = n - 1; i >= n - after; i--)
            PUSH(rare_newref(items[i]));
        PUSH(mid);
        for (ssize_t i = before - 1; i >= 0; i--)
            PUSH(rare_newref(items[i]));
        rare_decref(t);
        DISPATCH();
    }

    TARGET(FORMAT_VALUE) {
        ft_object *spec = (oparg & 4) ? POP() : NULL;
        ft_object *v = TOP();
        ft_object *r = format_value(v, (int)(oparg & 3), spec);
        rare_xdecref(spec);
        if (!r)
            goto error;
        SET_TOP(r);
        rare_decref(v);
        DISPATCH();
    }

    TARGET(JUMP) {
        JUMPTO(oparg);
        DISPATCH();
    }

    TARGET(JUMP_BACKWARD) {
        EVAL_BREAKER();     /* first: an error here is this instruction's */
        JUMPTO(oparg);
        DISPATCH();
    }

    TARGET(POP_JUMP_IF_FALSE) {
        ft_object *v = POP();
        if (v == False || v == None) {
            JUMPTO(oparg);
        } else if (v->ob_type == &ft_int_type) {
            if (INT_VAL(v) == 0)
                JUMPTO(oparg);
            ft_decref(v);
        } else if (v != True) {
            int r = py_is_true(v);
            ft_decref(v);
            if (r < 0)
                goto error;
            if (r == 0)
                JUMPTO(oparg);
        }
        DISPATCH();
    }

    TARGET(POP_JUMP_IF_TRUE) {
        ft_object *v = POP();
        if (v == True) {
            JUMPTO(oparg);
        } else if (v->ob_type == &ft_int_type) {
            if (INT_VAL(v) != 0)
                JUMPTO(oparg);
            ft_decref(v);
        } else if (v != False && v != None) {
            int r = py_is_true(v);
            ft_decref(v);
            if (r < 0)
                goto error;
            if (r > 0)
                JUMPTO(oparg);
        }
        DISPATCH();
    }

    TARGET(POP_JUMP_IF_NONE) {
        ft_object *v = POP();
        if (v == None)
            JUMPTO(oparg);
        else
            ft_decref(v);
        DISPATCH();
    }

    TARGET(POP_JUMP_IF_NOT_NONE) {
        ft_object *v = POP();
        if (v != None) {
            ft_decref(v);
            JUMPTO(oparg);
        }
        DISPATCH();
    }

    TARGET(JUMP_IF_FALSE_OR_POP) {
        ft_object *v = TOP();
        /* True, False and None are immortal: popped without a count */
        bool counted = v != True && v != False && v != None;
        int r = !counted ? v == True : py_is_true(v);
        if (r < 0)
            goto error;
        if (r == 0) {
            JUMPTO(oparg);
        } else {
            (void)POP();
            if (counted)
                ft_decref(v);
        }
        DISPATCH();
    }

    TARGET(JUMP_IF_TRUE_OR_POP) {
        ft_object *v = TOP();
        /* True, False and None are immortal: popped without a count */
        bool counted = v != True && v != False && v != None;
        int r = !counted ? v == True : py_is_true(v);
        if (r < 0)
            goto error;
        if (r > 0) {
            JUMPTO(oparg);
        } else {
            (void)POP();
            if (counted)
                ft_decref(v);
        }
        DISPATCH();
    }

    TARGET(GET_ITER) {
        ft_object *o = TOP();
        ft_object *it = py_iter(o);
        if (!it)
            goto error;
        SET_TOP(it);
        ft_decref(o);
        DISPATCH();
    }

    TARGET(FOR_ITER) {
        ft_object *it = TOP();
        if (it->ob_type == &py_generator_class.ft) {
            /* Resume the generator's frame in this loop (no C call). */
            py_frame *gf = py_gen_frame(it);
            uint8_t st = py_frame_state(gf);
            if ((st == PY_FRAME_SUSPENDED || st == PY_FRAME_CREATED) &&
                py_frame_claim(gf, st)) {
                /* the value of the yield expression (None: immortal) */
                if (st == PY_FRAME_SUSPENDED)
                    py_frame_stack_base(gf)[gf->stacktop++] = None;
                goto resume_gen;
            }
            /* running (ValueError) or finished: the slot says so */
        }
        py_unaryfunc next = py_type_of(it)->tp_iternext;
        ft_object *v = py_likely(next != NULL) ? next(it) : py_iter_next(it);
        if (py_likely(v != NULL)) {
            PUSH(v);
            DISPATCH();
        }
        if (ts->cur_exc)
            goto error;
        (void)POP();
        ft_decref(it);
        JUMPTO(oparg);
        DISPATCH();
    }

    /* -- calls -- */
    {
        size_t nargs;
        ft_object *kwnames;
        ft_object **args, *callable, *res;

    TARGET(CALL)
        kwnames = NULL;
        nargs = oparg;
        goto do_call;

    TARGET(CALL_KW)
        kwnames = POP();
        nargs = oparg - (size_t)py_vm_tuple_size(kwnames);
        goto do_call;

    do_call: {
            size_t total = oparg;   /* positional + keyword values */
            args = sp - total;
            ft_object **callslot = args - 2;
            callable = args[-2];
            bool has_self = args[-1] != NULL;
            if (!has_self && py_method_check(callable)) {
                /* A bound method: call its function with self first, as
                 * if LOAD_METHOD had found it (no tuple, no recursion). */
                py_method *m = (py_method *)callable;
                args[-1] = ft_newref(m->self);
                callslot[0] = ft_newref(m->func);
                ft_decref(callable);
                callable = callslot[0];
                has_self = true;
            }
            if (has_self) {
                args--;
                nargs++;
                total++;
            }
            SAVE_LASTI();
            if (py_function_check(callable) &&
                !(py_as_code(((py_function *)callable)->code)->co_flags & PY_CO_GENERATOR)) {
                /* A Python function: continue in its frame. */
                py_function *fn = (py_function *)callable;
                py_code *fco = py_as_code(fn->code);
                py_frame *nf = py_frame_push_func(ts, fn, fco);
                if (!nf)
                    goto call_fail;
                /* The frame now holds the callable's reference. */
                int r = bind_call_args(nf, fn, fco, args, nargs, total, kwnames);
                ft_xdecref(kwnames);
                sp = callslot;
                if (py_unlikely(r < 0)) {
                    py_frame_release(nf);
                    goto error;
                }
                f->stacktop = (int32_t)(sp - stack_base);
                nf->back = f;
                f = nf;
                ts->frame = f;
                goto start_frame;
            }
            /* Any other callable (a generator function only makes its
             * generator: no level). */
            int extra = !py_function_check(callable);
            if (extra && py_unlikely(ts->recursion_depth >= py_recursion_limit) &&
                recursion_error(ts, " while calling a Python object") < 0)
                goto call_fail;
            ts->recursion_depth += extra;
            res = py_vcall_inline(callable, args, nargs, kwnames);
            ts->recursion_depth -= extra;
            for (size_t i = 0; i < total; i++)
                ft_decref(args[i]);
            ft_xdecref(kwnames);
            sp = callslot;
            ft_decref(callable);
            if (!res)
                goto error;
            PUSH(res);
            DISPATCH();

        call_fail:
            for (size_t i = 0; i < total; i++)
                ft_decref(args[i]);
            ft_xdecref(kwnames);
            sp = callslot;
            ft_decref(callable);
            goto error;
        }
    }

    TARGET(CALL_EX) {
        ft_object *kwargs = (oparg & 1) ? POP() : NULL;
        ft_object *cargs = POP();
        ft_object *func = TOP();
        SAVE_LASTI();
        ft_object *res = NULL;
        ft_object *tup = cargs->ob_type == &ft_tuple_type ? rare_newref(cargs)
                                                           : py_sequence_tuple(cargs);
        if (tup) {
            /* Functions count their own frame; others one level. */
            int extra = !py_function_check(func);
            if (extra && py_unlikely(ts->recursion_depth >= py_recursion_limit) &&
                recursion_error(ts, " while calling a Python object") < 0) {
                res = NULL;
            } else {
                ts->recursion_depth += extra;
                res = py_call_tuple(func, tup, kwargs);
                ts->recursion_depth -= extra;
            }
            rare_decref(tup);
        }
        rare_decref(cargs);
        rare_xdecref(kwargs);
        if (!res)
            goto error;
        SET_TOP(res);
        rare_decref(func);
        DISPATCH();
    }

    TARGET(MAKE_FUNCTION) {
        ft_object *code = POP();
        ft_object *closure = (oparg & 8) ? POP() : NULL;
        ft_object *annotations = (oparg & 4) ? POP() : NULL;
        ft_object *kwdefaults = (oparg & 2) ? POP() : NULL;
        ft_object *defaults = (oparg & 1) ? POP() : NULL;
        ft_object *fn = make_function(code, f->globals, (int)oparg, defaults, kwdefaults,
                                      annotations, closure);
        rare_decref(code);
        rare_xdecref(closure);
        rare_xdecref(annotations);
        rare_xdecref(kwdefaults);
        rare_xdecref(defaults);
        if (!fn)
            goto error;
        PUSH(fn);
        DISPATCH();
    }

    TARGET(RETURN_VALUE) {
        ft_object *retval = POP();
        if (py_unlikely(f->traced & PY_FRAME_TRACED_OBJ) &&
            py_trace_leave(f, retval, INSTR_INDEX()) < 0) {
            ft_decref(retval);
            goto error;
        }
        while (sp > stack_base) {
            ft_object *v = POP();
            ft_xdecref(v);
        }
        f->stacktop = 0;
        f->state = PY_FRAME_COMPLETED;
        if (py_unlikely(f->traced))
            py_frame_trace_pop(f);
        ts->recursion_depth--;
        ts->frame = f->back;
        if (f->is_entry) {
            py_frame_clear(f);
            return retval;
        }
        if (py_unlikely(f->gen != NULL)) {
            /* A generator resumed by FOR_ITER (the result is dropped) or
             * SEND (the result replaces the iterator): both jump. */
            py_frame_clear(f);
            py_gen_leave(ts, f->gen, true);
            f = f->back;
            LOAD_FRAME();
            uint32_t w = first_instr[f->lasti];
            ft_object *it = POP();
            ft_decref(it);
            if (py_instr_op(w) == OP_SEND)
                PUSH(retval);
            else
                ft_decref(retval);
            JUMPTO(py_instr_arg(w));
            DISPATCH();
        }
        /* An inline frame: a function's, on the thread's chunks, without
         * a locals mapping or blocks left. */
        py_frame *done = f;
        f = f->back;
        py_frame_pop_func(ts, done);
        LOAD_FRAME();
        PUSH(retval);
        DISPATCH();
    }

    TARGET(YIELD_VALUE) {
        ft_object *v = POP();
        if (py_unlikely(f->traced & PY_FRAME_TRACED_OBJ) &&
            py_trace_leave(f, v, INSTR_INDEX()) < 0) {
            ft_decref(v);
            goto error;
        }
        f->stacktop = (int32_t)(sp - stack_base);
        f->lasti = INSTR_INDEX();
        if (py_unlikely(f->traced))
            py_frame_trace_pop(f);
        ts->recursion_depth--;
        ts->frame = f->back;
        /* The frame stays EXECUTING (claimed) until the generator's
         * bookkeeping is done; then SUSPENDED lets anyone resume it. */
        if (f->is_entry)
            return v;           /* py_gen_send_ex publishes SUSPENDED */
        /* Resumed by the caller's FOR_ITER or SEND: v is what that
         * instruction pushes. */
        py_gen_leave(ts, f->gen, false);
        py_frame_set_state(f, PY_FRAME_SUSPENDED);
        f = f->back;
        LOAD_FRAME();
        PUSH(v);
        DISPATCH();
    }

    /* FOR_ITER / SEND: it (TOS) is a generator whose frame can start or
     * resume (the sent value already on its stack): run it inline. */
    resume_gen: {
        py_frame *gf = py_gen_frame(TOP());
        SAVE_LASTI();
        f->stacktop = (int32_t)(sp - stack_base);
        py_gen_enter(ts, gf->gen);
        gf->back = f;
        gf->is_entry = 0;
        f = gf;
        ts->frame = f;
        goto start_frame;
    }

    TARGET(GET_YIELD_FROM_ITER) {
        ft_object *o = TOP();
        if (!py_gen_check(o)) {
            ft_object *it = py_iter(o);
            if (!it)
                goto error;
            SET_TOP(it);
            ft_decref(o);
        }
        DISPATCH();
    }

    TARGET(SEND) {
        ft_object *v = POP();
        ft_object *it = TOP();
        ft_object *out = NULL;
        int r;
        if (py_gen_check(it)) {
            py_frame *gf = py_gen_frame(it);
            uint8_t st = py_frame_state(gf);
            if ((st == PY_FRAME_SUSPENDED || (st == PY_FRAME_CREATED && v == None)) &&
                py_frame_claim(gf, st)) {
                if (st == PY_FRAME_SUSPENDED)
                    py_frame_stack_base(gf)[gf->stacktop++] = v;
                else
                    ft_decref(v);
                goto resume_gen;
            }
        }
        SAVE_LASTI();
        if (py_gen_check(it))
            r = py_gen_send_ex(it, v, &out);
        else
            r = send_other(it, v, &out);
        ft_decref(v);
        if (r < 0)
            goto error;
        if (r == 0) {
            (void)POP();
            ft_decref(it);
            PUSH(out);
            JUMPTO(oparg);
            DISPATCH();
        }
        PUSH(out);
        DISPATCH();
    }

    /* -- exceptions -- */
    TARGET(SETUP_FINALLY) {
        py_block *b = &f->blocks[f->nblocks++];
        b->handler = (int32_t)oparg;
        b->level = (int32_t)(sp - stack_base);
        DISPATCH();
    }

    TARGET(POP_BLOCK) {
        f->nblocks--;
        DISPATCH();
    }

    TARGET(PUSH_EXC_INFO) {
        ft_object *exc = TOP();
        ft_object *prev = ts->exc_info ? ts->exc_info : None;
        ts->exc_info = rare_newref(exc);
        SET_TOP(prev);
        PUSH(exc);
        DISPATCH();
    }

    TARGET(POP_EXCEPT) {
        ft_object *prev = POP();
        ft_object *old = ts->exc_info;
        ts->exc_info = prev == None ? NULL : prev;
        rare_xdecref(old);
        DISPATCH();
    }

    TARGET(CHECK_EXC_MATCH) {
        ft_object *cls = POP();
        int r = exc_matches(TOP(), cls);
        rare_decref(cls);
        if (r < 0)
            goto error;
        PUSH(r ? True : False);
        DISPATCH();
    }

    TARGET(RERAISE) {
        ft_object *exc = POP();
        py_err_restore(exc);
        goto exception_unwind;
    }

    TARGET(RAISE_VARARGS) {
        ft_object *cause = oparg >= 2 ? POP() : NULL;
        ft_object *exc = oparg >= 1 ? POP() : NULL;
        SAVE_LASTI();
        int r = do_raise(ts, exc, cause);
        rare_xdecref(exc);
        rare_xdecref(cause);
        if (r > 0)
            goto exception_unwind;
        goto error;
    }

    TARGET(BEFORE_WITH) {
        ft_object *mgr = TOP();
        ft_object *enter = lookup_special_or_error(mgr, PY_ID(__enter__), "");
        if (!enter)
            goto error;
        ft_object *exit = lookup_special_or_error(mgr, PY_ID(__exit__),
                                                  " (missed __exit__ method)");
        if (!exit) {
            rare_decref(enter);
            goto error;
        }
        SET_TOP(exit);
        rare_decref(mgr);
        SAVE_LASTI();
        ft_object *res = py_call0(enter);
        rare_decref(enter);
        if (!res)
            goto error;
        PUSH(res);
        DISPATCH();
    }

    TARGET(WITH_EXIT_NORMAL) {
        ft_object *exit = POP();
        ft_object *nones[3] = {None, None, None};
        SAVE_LASTI();
        ft_object *r = py_vcall(exit, nones, 3, NULL);
        rare_decref(exit);
        if (!r)
            goto error;
        rare_decref(r);
        DISPATCH();
    }

    TARGET(WITH_EXCEPT_START) {
        ft_object *exc = TOP();
        ft_object *exit = PEEK(3);
        ft_object *tb = py_exc_check(exc) && py_as_exc(exc)->traceback
                            ? py_as_exc(exc)->traceback : None;
        ft_object *cargs[3] = {py_type_as_obj(py_type_of(exc)), exc, tb};
        SAVE_LASTI();
        ft_object *r = py_vcall(exit, cargs, 3, NULL);
        if (!r)
            goto error;
        PUSH(r);
        DISPATCH();
    }

    /* -- modules and misc -- */
    TARGET(IMPORT_NAME) {
        ft_object *fromlist = POP();
        ft_object *level = TOP();
        int64_t lv = level->ob_type == &ft_int_type ? INT_VAL(level) : 0;
        SAVE_LASTI();
        ft_object *m = py_import(names[oparg], f->globals, fromlist, (int)lv);
        rare_decref(fromlist);
        if (!m)
            goto error;
        SET_TOP(m);
        rare_decref(level);
        DISPATCH();
    }

    TARGET(IMPORT_FROM) {
        ft_object *v = import_from(TOP(), names[oparg]);
        if (!v)
            goto error;
        PUSH(v);
        DISPATCH();
    }

    TARGET(IMPORT_STAR) {
        ft_object *m = POP();
        if (!f->locals) {
            rare_decref(m);
            py_err_setstr(py_exc_SystemError, "no locals found during 'import *'");
            goto error;
        }
        int r = import_star(f->locals, m);
        rare_decref(m);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    TARGET(SETUP_ANNOTATIONS) {
        if (!f->locals) {
            py_err_setstr(py_exc_SystemError, "no locals found when setting up annotations");
            goto error;
        }
        ft_object *v = NULL;
        int r = mapping_lookup(f->locals, PY_ID(__annotations__), &v);
        if (r < 0)
            goto error;
        if (r == 0) {
            ft_object *d = ft_dict_new();
            if (!d) {
                py_err_from_ft();
                goto error;
            }
            r = mapping_store(f->locals, PY_ID(__annotations__), d);
            rare_decref(d);
            if (r < 0)
                goto error;
        } else {
            rare_decref(v);
        }
        DISPATCH();
    }

    TARGET(PRINT_EXPR) {
        ft_object *v = POP();
        SAVE_LASTI();
        int r = print_expr(v);
        rare_decref(v);
        if (r < 0)
            goto error;
        DISPATCH();
    }

    TARGET(GET_LEN) {
        ssize_t n = py_len(TOP());
        if (n < 0)
            goto error;
        ft_object *v = ft_int_from_i64(n);
        if (!v) {
            py_err_from_ft();
            goto error;
        }
        PUSH(v);
        DISPATCH();
    }

unknown_opcode:
    py_err_format(py_exc_SystemError, "unknown opcode %u", word & 0xff);
    goto error;

error:
    /* Every path here has an exception set. */
    if (py_unlikely(!py_err_occurred()))
        py_err_setstr(py_exc_SystemError, "error return without exception set");
    {
        ft_object *exc = py_err_current_borrow();
        if (exc && py_traceback_here(exc, f, INSTR_INDEX()) < 0) {
            /* Out of memory for the entry: keep the exception. */
        }
        /* sys.settrace's 'exception' event (its error replaces exc). */
        if (py_unlikely(f->traced & PY_FRAME_TRACED_OBJ))
            (void)py_trace_exception(f, INSTR_INDEX());
    }
exception_unwind:
    while (f->nblocks > 0) {
        py_block *b = &f->blocks[--f->nblocks];
        ft_object **level = stack_base + b->level;
        while (sp > level) {
            ft_object *v = POP();
            ft_xdecref(v);
        }
        ft_object *exc = py_err_fetch();
        PUSH(exc);
        JUMPTO(b->handler);
        DISPATCH();
    }
    /* No handler: the frame ends with the exception. */
    while (sp > stack_base) {
        ft_object *v = POP();
        ft_xdecref(v);
    }
    f->stacktop = 0;
    f->state = PY_FRAME_COMPLETED;
    if (py_unlikely(f->traced & PY_FRAME_TRACED_OBJ))
        (void)py_trace_leave(f, NULL, INSTR_INDEX());   /* 'return' None */
    py_frame_trace_pop(f);
    ts->recursion_depth--;
    py_frame_clear(f);
    ts->frame = f->back;
    if (f->is_entry)
        return NULL;
    if (f->gen) {
        /* An inline generator: the error continues in its caller. */
        py_gen_leave(ts, f->gen, true);
        py_gen_stopiteration_error();
        f = f->back;
        LOAD_FRAME();
        goto error;
    }
    {
        py_frame *done = f;
        f = f->back;
        py_frame_release(done);
        LOAD_FRAME();
        goto error;
    }

frame_failed:
    /* The frame could not start (recursion limit): no traceback entry,
     * no depth to give back for it. */
    f->state = PY_FRAME_COMPLETED;
    py_frame_clear(f);
    ts->frame = f->back;
    if (f->is_entry)
        return NULL;
    if (f->gen) {
        py_gen_leave(ts, f->gen, true);
        f = f->back;
        LOAD_FRAME();
        goto error;
    }
    {
        py_frame *done = f;
        f = f->back;
        py_frame_release(done);
        LOAD_FRAME();
        goto error;
    }
}

#pragma GCC diagnostic pop

/* ---- Running code objects ------------------------------------------------------ */

ft_object *py_eval_code_ex(ft_object *code, ft_object *globals, ft_object *locals,
                           ft_object *closure)
{
    if (!code || code->ob_type != &py_code_class.ft)
        return py_err_format(py_exc_TypeError, "expected a code object");
    if (!globals || globals->ob_type != &ft_dict_type)
        return py_err_format(py_exc_TypeError, "globals must be a dict");
    py_code *co = py_as_code(code);
    ft_object *builtins = py_builtins_from_globals(globals);
    py_frame *f = py_frame_push(co, NULL, globals, builtins, locals ? locals : globals);
    if (!f)
        return NULL;
    if ((co->co_ncells || co->co_nfrees) && py_frame_init_cells(f, closure) < 0) {
        py_frame_release(f);
        return NULL;
    }
    ft_object *r = py_eval_frame(f);
    py_frame_release(f);
    return r;
}

ft_object *py_eval_code(ft_object *code, ft_object *globals, ft_object *locals)
{
    return py_eval_code_ex(code, globals, locals, NULL);
}
