/* ftpy.h — the interpreter's object model on top of the ftlab runtime.
 *
 * ftpy runs Python 3.11 programs on ftlab objects. Python ints, floats,
 * strs, tuples, lists, dicts and sets ARE the runtime's objects
 * (ft_int_type, ft_str_type, ...); what the interpreter adds (classes,
 * instances, functions, code, frames, generators, modules, exceptions,
 * big ints, ranges, slices, iterators) is built with the same ft_type
 * slots, reference counts, GC tracking and allocator.
 *
 * Glossary
 *   ft type     the runtime's type struct (ftlab/object.h): dealloc,
 *               traverse, clear, hash, eq, repr, len, call, weaklist.
 *   py type     a py_type: an ft_type followed by the Python protocol
 *               slots (attributes, numbers, sequences, iteration, new/init)
 *               and the class data (name, bases, MRO, dict). Every Python
 *               class is a py_type: built-ins are static py_types, user
 *               classes heap py_types (ob_type == &py_type_type).
 *   class of o  py_type_of(o): the Python class `type(o)`. For an object
 *               whose ft type is a py_type (flag PY_TPFLAGS_PYTYPE) it is
 *               that py_type; for the runtime's own objects a small map
 *               gives the py_type that describes them (ft_int_type -> int,
 *               ft_list_type -> list, ...), and ftpy's big-int ft type maps
 *               to int as well: one Python class, two representations.
 *   boxed base  a user subclass of list, dict, set, tuple, str, int or
 *               float: its instances are ordinary ftpy instances holding
 *               the real runtime object in a hidden slot (tp_boxoffset).
 *               The built-in methods unbox their self (py_unbox), so the
 *               runtime's containers keep their exact-type checks.
 *
 * Errors
 *   Python exceptions are objects (instances of BaseException's
 *   subclasses). Each thread has one "current exception" (py_err_*). A
 *   function returning a new reference returns NULL with it set; one
 *   returning int returns -1. The runtime reports its own errors through
 *   ft_err_* (kind + message): after a failed runtime call, ftpy calls
 *   py_err_from_ft(), which turns the runtime's error into the matching
 *   Python exception (FT_ERR_INDEX -> IndexError, ...) unless a Python
 *   exception is already set (a Python __eq__ that raised inside the
 *   runtime's dict lookup), in which case the runtime error is dropped.
 *
 * References: as in the runtime, every function returns a new reference
 * unless its name says _borrow; arguments are borrowed; nothing is
 * stolen unless the name says _steal.
 *
 * Threads: every function here may be called by any attached thread. The
 * per-thread interpreter state (py_tstate) is reached through
 * py_tstate_get(). In nogil, containers lock themselves (runtime critical
 * sections); ftpy's own mutable objects (instance dicts, type dicts,
 * module dicts) are runtime dicts, so they inherit that.
 *
 * Module map (one owner per file group; each group has its own header):
 *   objects/  typeobject.c (py_type, classes, C3 MRO, generic getattr,
 *             dunder trampolines), protocol.c (the abstract API below),
 *             descr.c, instance.c, exceptions.c, errors.c, args.c, int.c,
 *             float.c, str.c, bytes.c, format.c, list.c, tuple.c, dict.c,
 *             set.c, range.c, slice.c, iter.c, module.c, code.c,
 *             function.c, generator.c
 *   compile/  tokenizer.c, parser.c (-> ast.h), symtable.c, compiler.c
 *   vm/       eval.c (the dispatch loop), frame.c, call.c, traceback.c,
 *             import.c, opcode.h (the instruction set)
 *   builtins/ builtins.c (the builtins module)
 *   modules/  sys.c, math.c, time.c, ... (one file per built-in module)
 *   main.c    the command line and the REPL
 */
#ifndef FTPY_H
#define FTPY_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ftlab.h>

#define PY_NOINLINE __attribute__((noinline))
#define PY_COLD     __attribute__((cold, noinline))
#define py_likely(x)   __builtin_expect(!!(x), 1)
#define py_unlikely(x) __builtin_expect(!!(x), 0)

typedef struct py_type py_type;

/* ---- Calls ----------------------------------------------------------------
 * The calling convention of every Python-level call (CPython's vectorcall):
 * `args` holds nargs positional values followed by one value per keyword
 * name in `kwnames` (a tuple of str, or NULL when there are none). Borrowed
 * arguments; a new reference or NULL with an exception.
 */
typedef ft_object *(*py_vcallfunc)(ft_object *callable, ft_object *const *args,
                                   size_t nargs, ft_object *kwnames);
/* A built-in function or method: self is the bound object (or the module
 * for module functions), args as above. */
typedef ft_object *(*py_cfunc)(ft_object *self, ft_object *const *args,
                               size_t nargs, ft_object *kwnames);

typedef struct py_method_def {
    const char *name;
    py_cfunc fn;
    int flags;                   /* PY_METH_*                             */
} py_method_def;

enum py_meth_flags {
    PY_METH_DEFAULT = 0,         /* an instance method: self is the object */
    PY_METH_CLASS   = 1 << 0,    /* a classmethod: self is the class       */
    PY_METH_STATIC  = 1 << 1,    /* a staticmethod: self is NULL           */
};

typedef ft_object *(*py_getter)(ft_object *self);
typedef int (*py_setter)(ft_object *self, ft_object *value /* NULL: del */);
typedef struct py_getset_def {
    const char *name;
    py_getter get;
    py_setter set;               /* NULL: read-only                        */
} py_getset_def;

/* ---- Operators ------------------------------------------------------------
 * Binary operators, as BINARY_OP's argument (vm/opcode.h) and tp_binop's
 * `op`. PY_OP_INPLACE is or'ed in for augmented assignment (+=): the
 * protocol first tries the in-place slot (__iadd__), then the plain one.
 */
enum py_binop {
    PY_OP_ADD, PY_OP_SUB, PY_OP_MUL, PY_OP_MATMUL, PY_OP_TRUEDIV,
    PY_OP_FLOORDIV, PY_OP_MOD, PY_OP_POW, PY_OP_LSHIFT, PY_OP_RSHIFT,
    PY_OP_AND, PY_OP_OR, PY_OP_XOR,
    PY_OP__COUNT,
    PY_OP_INPLACE = 0x10,
};
enum py_unop { PY_UNARY_NEG, PY_UNARY_POS, PY_UNARY_INVERT };
enum py_cmpop { PY_LT, PY_LE, PY_EQ, PY_NE, PY_GT, PY_GE };

/* ---- Types ----------------------------------------------------------------
 * A py_type starts with the runtime's ft_type, so the runtime deallocates,
 * traverses, hashes and compares ftpy objects through its own slots; the
 * rest is the Python protocol. Slots left NULL are inherited from the base
 * when the type is readied (py_type_ready), then mean "not supported".
 *
 *   py_type
 *   +---------------------------+--------------------+--------------------+
 *   | ft_type (header, dealloc, | protocol slots     | class data: name,  |
 *   | traverse, hash, eq, repr, | getattr, binop,    | base, bases, mro,  |
 *   | len, call, weaklist off.) | iter, new, init... | dict, offsets      |
 *   +---------------------------+--------------------+--------------------+
 *
 * Slot conventions (all return a new reference or NULL/-1 with an
 * exception unless said otherwise):
 *   tp_binop(a, b, op)     a op b for op in enum py_binop (maybe with
 *                          PY_OP_INPLACE). Called for the left operand's
 *                          type and then the right's, each time with the
 *                          operands in their source order: the slot checks
 *                          which one is its own. Returns py_notimplemented()
 *                          (a new reference) when it does not apply.
 *   tp_richcompare(a,b,op) the same convention, op in enum py_cmpop.
 *   tp_unaryop(o, op)      -o, +o, ~o.
 *   tp_bool(o)             1, 0, or -1 with an exception.
 *   tp_getitem(o, key), tp_setitem(o, key, v)  v == NULL deletes.
 *   tp_contains(o, v)      1, 0, -1.
 *   tp_iter(o)             a new iterator.
 *   tp_iternext(o)         the next item; NULL WITHOUT an exception when
 *                          exhausted (StopIteration is never raised by the
 *                          slot), NULL with one on error.
 *   tp_getattro(o, name)   name is a str; AttributeError when missing.
 *   tp_setattro(o, name, v)  v == NULL deletes.
 *   tp_descr_get(d, obj, type)  obj NULL for access through the class.
 *   tp_descr_set(d, obj, v)     v == NULL deletes.
 *   tp_new(cls, args...)   vectorcall arguments; tp_init(self, args...)
 *                          returns 0 or -1.
 *   tp_vcall               the fast call of instances (functions, methods,
 *                          types, built-ins); objects without it but with
 *                          the ft slot tp_call are called with a tuple.
 *   tp_str                 str(o); NULL slot: tp_repr.
 *   ft.tp_repr             repr(o) (the runtime's slot).
 *   ft.tp_hash, ft.tp_eq   used by the runtime's dicts and sets; user
 *                          classes get trampolines to __hash__/__eq__.
 */
typedef ft_object *(*py_binopfunc)(ft_object *a, ft_object *b, int op);
typedef ft_object *(*py_unopfunc)(ft_object *o, int op);
typedef ft_object *(*py_unaryfunc)(ft_object *o);
typedef ft_object *(*py_binaryfunc)(ft_object *a, ft_object *b);
typedef int (*py_objobjproc)(ft_object *a, ft_object *b);
typedef int (*py_objobjargproc)(ft_object *o, ft_object *key, ft_object *v);
typedef ft_object *(*py_descrgetfunc)(ft_object *d, ft_object *obj, ft_object *type);
typedef ft_object *(*py_newfunc)(py_type *cls, ft_object *const *args,
                                 size_t nargs, ft_object *kwnames);
typedef int (*py_initfunc)(ft_object *self, ft_object *const *args,
                           size_t nargs, ft_object *kwnames);

enum py_type_flags {
    /* ft_type.tp_flags bits ftpy adds (the runtime uses bits 0..1). */
    PY_TPFLAGS_PYTYPE    = 1u << 8,   /* this ft_type is a whole py_type   */
    PY_TPFLAGS_BASETYPE  = 1u << 9,   /* may be subclassed                 */
    PY_TPFLAGS_READY     = 1u << 10,  /* py_type_ready ran                 */
    PY_TPFLAGS_HEAPCLASS = 1u << 11,  /* made by a class statement/type()  */
    PY_TPFLAGS_EXC       = 1u << 12,  /* BaseException or a subclass       */
    PY_TPFLAGS_INT       = 1u << 13,  /* fast subclass checks, as CPython's */
    PY_TPFLAGS_STR       = 1u << 14,  /* Py_TPFLAGS_*_SUBCLASS bits        */
    PY_TPFLAGS_TUPLE     = 1u << 15,
    PY_TPFLAGS_LIST      = 1u << 16,
    PY_TPFLAGS_DICT      = 1u << 17,
    PY_TPFLAGS_TYPE      = 1u << 18,
};

struct py_type {
    ft_type ft;                       /* first: the runtime's type          */

    /* -- protocol slots (NULL: inherit, then unsupported) -- */
    ft_reprfunc tp_str;
    ft_object *(*tp_getattro)(ft_object *o, ft_object *name);
    int (*tp_setattro)(ft_object *o, ft_object *name, ft_object *v);
    py_binopfunc tp_binop;
    py_binopfunc tp_richcompare;
    py_unopfunc tp_unaryop;
    ft_inquiry tp_bool;
    py_binaryfunc tp_getitem;
    py_objobjargproc tp_setitem;
    py_objobjproc tp_contains;
    py_unaryfunc tp_iter;
    py_unaryfunc tp_iternext;
    py_descrgetfunc tp_descr_get;
    py_objobjargproc tp_descr_set;
    py_newfunc tp_new;
    py_initfunc tp_init;
    py_vcallfunc tp_vcall;

    /* -- static definitions, turned into tp_dict entries by py_type_ready -- */
    const py_method_def *tp_methods;  /* NULL-name terminated               */
    const py_getset_def *tp_getset;   /* NULL-name terminated               */

    /* -- class data -- */
    py_type *tp_base;                 /* the solid base (NULL: object)      */
    ft_object *tp_bases;              /* tuple of classes                   */
    ft_object *tp_mro;                /* tuple, C3 order, self first        */
    ft_object *tp_dict;               /* dict: the class namespace          */
    ft_object *tp_name_obj;           /* __name__ (str)                     */
    ft_object *tp_qualname;           /* __qualname__ (str)                 */
    ft_object *tp_module;             /* __module__ (str) or NULL           */
    ft_type *tp_box;                  /* boxed base: the runtime type of
                                         the hidden value, else NULL        */
    ssize_t tp_dictoffset;            /* instance __dict__ slot; 0: none    */
    ssize_t tp_boxoffset;             /* hidden boxed value; 0: none        */
    ssize_t tp_nslots;                /* __slots__ values after the base    */
    ssize_t tp_slotoffset;            /* offset of the first __slots__ value */
    uint64_t tp_version;              /* bumped on every class attribute
                                         change: the key of attribute caches */
};

/* The metaclass `type`, `object`, and the classes of the runtime's objects. */
extern py_type py_type_type, py_object_type, py_none_class, py_bool_class,
               py_int_class, py_float_class, py_str_class, py_bytes_class,
               py_tuple_class, py_list_class, py_dict_class, py_set_class,
               py_frozenset_class, py_notimplemented_class;

/* The class of a runtime type that is not itself a py_type (objects/
 * typeobject.c keeps the map). Never NULL after py_types_init: an unmapped
 * runtime type gets a generic class on the fly. */
py_type *_py_class_of_ft(ft_type *t);

static inline py_type *py_type_of(ft_object *o)
{
    ft_type *t = o->ob_type;
    if (py_likely(t->tp_flags & PY_TPFLAGS_PYTYPE))
        return (py_type *)t;
    return _py_class_of_ft(t);
}
static inline const char *py_type_name(ft_object *o) { return py_type_of(o)->ft.tp_name; }
static inline bool py_is_type(ft_object *o) { return py_type_of(o)->ft.tp_flags & PY_TPFLAGS_TYPE; }

/* Readies a static type: fills tp_dict from tp_methods/tp_getset, bases,
 * MRO, inherited slots. 0 or -1. */
int py_type_ready(py_type *t);
/* issubclass(a, b) through the MRO; isinstance(o, cls) (no __instancecheck__). */
bool py_type_is_subtype(py_type *a, py_type *b);
static inline bool py_isinstance_exact_or_sub(ft_object *o, py_type *cls)
{
    py_type *t = py_type_of(o);
    return t == cls || py_type_is_subtype(t, cls);
}
/* The attribute `name` (a str) found along the MRO, borrowed, or NULL
 * (no exception). */
ft_object *py_type_lookup_borrow(py_type *t, ft_object *name);
/* type(name, bases, dict): a new heap class (the class statement). */
ft_object *py_type_new_class(py_type *meta, ft_object *name, ft_object *bases,
                             ft_object *dict);
/* The value boxed inside an instance of a user subclass of `want` (list,
 * dict, ...), borrowed; o itself when o is exactly a `want` object; NULL
 * (no exception) otherwise. */
ft_object *py_unbox_borrow(ft_object *o, ft_type *want);

/* ---- Singletons and identifiers -------------------------------------------- */
ft_object *py_notimplemented(void);   /* a new (immortal) reference        */
ft_object *py_ellipsis(void);
static inline ft_object *py_none_new(void) { return ft_none(); }
static inline ft_object *py_bool_new(bool v) { return ft_bool(v); }

/* Interned strs made once at start-up and released by py_fini:
 *   PY_ID(__init__) is a borrowed reference to the str "__init__".
 * objects/ident.c defines the table from the list in ident.h. */
#include "ident.h"

/* ---- The abstract object API (objects/protocol.c) -------------------------- */
ft_object *py_repr(ft_object *o);
ft_object *py_str(ft_object *o);
ft_object *py_ascii(ft_object *o);
int64_t    py_hash(ft_object *o);                 /* -1: error            */
int        py_is_true(ft_object *o);              /* 1, 0, -1             */
ft_object *py_richcompare(ft_object *a, ft_object *b, int op);
int        py_richcompare_bool(ft_object *a, ft_object *b, int op);  /* 1,0,-1;
                                                     identity implies EQ  */
ft_object *py_binary_op(ft_object *a, ft_object *b, int op);
ft_object *py_unary_op(ft_object *o, int op);
ft_object *py_getattr(ft_object *o, ft_object *name);
ft_object *py_getattr_str(ft_object *o, const char *name);
/* 1 found (*out set), 0 missing (AttributeError swallowed), -1 error. */
int        py_getattr_opt(ft_object *o, ft_object *name, ft_object **out);
int        py_setattr(ft_object *o, ft_object *name, ft_object *v);  /* v NULL: del */
ft_object *py_getitem(ft_object *o, ft_object *key);
int        py_setitem(ft_object *o, ft_object *key, ft_object *v);   /* v NULL: del */
int        py_contains(ft_object *container, ft_object *v);          /* 1,0,-1 */
ssize_t    py_len(ft_object *o);                                     /* -1: error */
ft_object *py_iter(ft_object *o);
/* Next item, or NULL: exhausted when !py_err_occurred(), else an error. */
ft_object *py_iter_next(ft_object *it);
/* A new list of the items of any iterable. */
ft_object *py_sequence_list(ft_object *iterable);
/* A new tuple of the items of any iterable (o itself when a tuple). */
ft_object *py_sequence_tuple(ft_object *iterable);
/* isinstance/issubclass with tuples of classes; 1, 0, -1. */
int        py_isinstance(ft_object *o, ft_object *cls);
int        py_issubclass(ft_object *a, ft_object *cls);
/* The int index of o (__index__): 0 with *out, or -1 (TypeError,
 * OverflowError past ssize_t). */
int        py_index_ssize(ft_object *o, ssize_t *out);
/* format(o, spec) (objects/format.c): spec may be NULL or a str. */
ft_object *py_format(ft_object *o, ft_object *spec);

/* ---- Numbers, strings, slices: helpers other modules call ------------------ */
/* int from text (objects/int.c): digits with optional sign and '_'
 * separators, base 2..36 or 0 (prefix decides, as int(s, 0)); a big int
 * when it does not fit 64 bits. ValueError "invalid literal for int()
 * with base 10: 'x'" on bad text. */
ft_object *py_long_from_string(const char *s, size_t n, int base);
/* Is o an int (runtime int, big int, bool, or an int subclass)? */
bool py_long_check(ft_object *o);
/* o's value when it fits: 0, or -1 with OverflowError ("Python int too
 * large to convert to C ssize_t") / TypeError for a non-int. */
int  py_long_as_i64(ft_object *o, int64_t *out);
/* A float's repr, the shortest string that round-trips ("0.1", "1e+16",
 * "inf", "nan", "-0.0"), into buf (at least 32 bytes). */
void py_float_repr_buf(double v, char *buf, size_t size);
/* snprintf of v with the C conversion "%[#].*<conv>" (conv one of eEfFgG),
 * each spelled as a literal format so the compiler checks it; -1 for any
 * other conv. */
int py_float_snprintf(char *buf, size_t size, char conv, bool alt, int prec, double v);
/* A new str from printf-style arguments (objects/str.c). */
ft_object *py_str_from_format(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* str concatenation and the UTF-8 view of a str. */
ft_object *py_str_concat(ft_object *a, ft_object *b);
static inline bool py_str_check_exact(ft_object *o) { return o->ob_type == &ft_str_type; }
/* slice objects (objects/slice.c). */
extern py_type py_slice_class;
ft_object *py_slice_new(ft_object *start, ft_object *stop, ft_object *step);
/* Resolves a slice against a sequence of length len, as
 * PySlice_GetIndicesEx: 0 with the four outputs, -1 (TypeError/ValueError
 * "slice step cannot be zero"). */
int py_slice_indices(ft_object *slice, ssize_t len, ssize_t *start,
                     ssize_t *stop, ssize_t *step, ssize_t *slicelen);
/* The same for the parts a slice would hold (None where absent), for
 * the loop's slices that are never built (vm/eval.c, BUILD_SLICE pairs). */
int py_slice_parts_indices(ft_object *a, ft_object *b, ft_object *c, ssize_t len,
                           ssize_t *start, ssize_t *stop, ssize_t *step,
                           ssize_t *slicelen);
/* l[a:b:c] and l[a:b:c] = v (v NULL: del) for an exact list l, with the
 * slice's parts instead of a slice object (objects/list.c); as the list
 * class's subscripts with slice(a, b, c). */
ft_object *py_list_get_slice_parts(ft_object *l, ft_object *a, ft_object *b,
                                   ft_object *c);
int py_list_set_slice_parts(ft_object *l, ft_object *a, ft_object *b, ft_object *c,
                            ft_object *v);

/* ---- Calls (vm/call.c) ------------------------------------------------------ */
ft_object *py_vcall(ft_object *callable, ft_object *const *args, size_t nargs,
                    ft_object *kwnames);
ft_object *py_call_tuple(ft_object *callable, ft_object *args_tuple,
                         ft_object *kwargs_dict /* or NULL */);
ft_object *py_call0(ft_object *callable);
ft_object *py_call1(ft_object *callable, ft_object *a);
ft_object *py_call2(ft_object *callable, ft_object *a, ft_object *b);
/* o.name(*args): looks the method up without making a bound method. */
ft_object *py_call_method(ft_object *o, ft_object *name, ft_object *const *args,
                          size_t nargs);
/* Binds vectorcall arguments to a built-in's parameters (objects/args.c).
 * spec lists the parameter names, comma-separated, with three markers as
 * names of their own: "/" ends the positional-only ones, "|" starts the
 * optional ones, "*" starts the keyword-only ones. Example, sorted():
 *     "iterable,/,|,*,key,reverse"
 * out[i] receives a borrowed reference, or NULL when an optional one is
 * absent. TypeError in CPython's words ("sorted() takes ... positional
 * arguments but ... were given", "... got an unexpected keyword argument
 * 'x'", "... missing required argument 'x' (pos 1)"). 0 or -1. */
int py_bind_args(const char *fname, ft_object *const *args, size_t nargs,
                 ft_object *kwnames, const char *spec, ft_object **out);
/* For a built-in that takes no keywords: TypeError "f() takes no keyword
 * arguments" when kwnames has any; 0 or -1. */
int py_no_kwargs(const char *fname, ft_object *kwnames);
/* TypeError unless min <= nargs <= max: "f expected at most 2 arguments,
 * got 3" / "f expected at least 1 argument, got 0". */
int py_check_nargs(const char *fname, size_t nargs, size_t min, size_t max);

/* A built-in function object (objects/descr.c): calls def->fn(self, ...).
 * self may be NULL; the function holds a reference to it. */
ft_object *py_cfunction_new(const py_method_def *def, ft_object *self);

/* ---- Exceptions (objects/errors.c, objects/exceptions.c) -------------------
 * The exception classes, in CPython's hierarchy. Their instances are
 * py_exception objects (objects/exceptions.h): args, traceback, cause,
 * context, suppress_context, a __dict__; user subclasses add their own.
 */
extern py_type *py_exc_BaseException, *py_exc_SystemExit,
    *py_exc_KeyboardInterrupt, *py_exc_GeneratorExit, *py_exc_Exception,
    *py_exc_StopIteration, *py_exc_ArithmeticError, *py_exc_ZeroDivisionError,
    *py_exc_OverflowError, *py_exc_FloatingPointError, *py_exc_AssertionError,
    *py_exc_AttributeError, *py_exc_LookupError, *py_exc_IndexError,
    *py_exc_KeyError, *py_exc_NameError, *py_exc_UnboundLocalError,
    *py_exc_RuntimeError, *py_exc_RecursionError, *py_exc_NotImplementedError,
    *py_exc_TypeError, *py_exc_ValueError, *py_exc_UnicodeError,
    *py_exc_UnicodeDecodeError, *py_exc_UnicodeEncodeError,
    *py_exc_ImportError, *py_exc_ModuleNotFoundError, *py_exc_MemoryError,
    *py_exc_OSError, *py_exc_FileNotFoundError, *py_exc_FileExistsError,
    *py_exc_PermissionError, *py_exc_IsADirectoryError,
    *py_exc_NotADirectoryError, *py_exc_TimeoutError,
    *py_exc_ConnectionError, *py_exc_BrokenPipeError,
    *py_exc_ConnectionResetError, *py_exc_ConnectionRefusedError,
    *py_exc_InterruptedError, *py_exc_BlockingIOError, *py_exc_EOFError,
    *py_exc_SyntaxError, *py_exc_IndentationError, *py_exc_TabError,
    *py_exc_SystemError, *py_exc_BufferError, *py_exc_ReferenceError,
    *py_exc_StopAsyncIteration, *py_exc_Warning, *py_exc_UserWarning,
    *py_exc_DeprecationWarning, *py_exc_RuntimeWarning;

/* Sets the current exception to a new instance of type with message msg
 * (a one-item args tuple). Always returns NULL / -1 via the _null/_int
 * forms so that call sites can `return py_err_format(...)`. */
void       py_err_setstr(py_type *type, const char *msg);
ft_object *py_err_format(py_type *type, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));         /* returns NULL          */
int        py_err_format_int(py_type *type, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));         /* returns -1            */
/* Raises exc (an exception instance or class), steals nothing. */
void       py_err_set_object(ft_object *exc);
bool       py_err_occurred(void);
/* The current exception, borrowed, or NULL. */
ft_object *py_err_current_borrow(void);
/* Takes the current exception out (new reference, or NULL): cleared. */
ft_object *py_err_fetch(void);
/* Puts exc back as the current exception (steals it; NULL: clears). */
void       py_err_restore(ft_object *exc);
void       py_err_clear(void);
/* Is the current exception an instance of type (or a subclass)? */
bool       py_err_matches(py_type *type);
/* MemoryError (preallocated: raising it allocates nothing). */
ft_object *py_err_nomemory(void);
/* After a runtime call failed: keep a pending Python exception, or turn
 * the runtime's ft_err into one. Clears ft_err. Returns NULL. */
ft_object *py_err_from_ft(void);
static inline int py_err_from_ft_int(void) { py_err_from_ft(); return -1; }
/* Prints exc with its traceback to stderr as CPython does (vm/traceback.c). */
void       py_err_print(ft_object *exc);
/* "Exception ignored in: <where>" + traceback, then clears (__del__ and
 * weakref callbacks). */
void       py_err_write_unraisable(const char *where, ft_object *obj);

/* Exception instances (every class with PY_TPFLAGS_EXC). Fields of
 * particular classes (SyntaxError.lineno, StopIteration.value,
 * SystemExit.code, OSError.errno, ...) live in the __dict__, set by the
 * class's __init__ from args as CPython does. */
typedef struct py_exception {
    ft_object ob_base;
    ft_object *dict;             /* __dict__, never NULL after creation    */
    ft_object *args;             /* tuple                                  */
    ft_object *traceback;        /* vm/traceback.c object or NULL          */
    ft_object *context;          /* __context__ or NULL                    */
    ft_object *cause;            /* __cause__ or NULL                      */
    bool suppress_context;       /* __suppress_context__                   */
    void *xweaklist;             /* the runtime's weakref list head        */
} py_exception;
static inline py_exception *py_as_exc(ft_object *o) { return (py_exception *)o; }
/* A new instance of exception class `type` with args (a tuple, borrowed;
 * NULL: ()). */
ft_object *py_exc_new(py_type *type, ft_object *args);
/* Raises SyntaxError (or IndentationError/TabError) with CPython's fields:
 * msg, filename, lineno, offset (1-based column), text (the source line,
 * may be NULL), end_lineno, end_offset (0: unknown). */
void py_err_syntax(py_type *type, const char *msg, const char *filename,
                   int lineno, int offset, const char *text,
                   int end_lineno, int end_offset);
/* StopIteration(value): value of a StopIteration instance (None if none). */
ft_object *py_stopiteration_value(ft_object *exc);

/* ---- The per-thread interpreter state (vm/frame.h has the frame) ----------- */
typedef struct py_frame py_frame;
typedef struct py_tstate {
    ft_object *cur_exc;          /* the exception being raised, or NULL     */
    ft_object *exc_info;         /* the exception being handled (sys.exc_info,
                                    bare raise, __context__), or NULL       */
    py_frame *frame;             /* the innermost Python frame              */
    int recursion_depth;         /* Python calls + C recursion guards       */
    int recursion_headroom;      /* extra depth while raising RecursionError */
    struct py_tstate *next;      /* all thread states (interp.c)            */
} py_tstate;

py_tstate *py_tstate_get(void);
/* RecursionError past sys.getrecursionlimit(): C code that recurses on
 * user data (repr of nested lists, the parser, the compiler) brackets the
 * recursion with these. 0 or -1. */
int  py_enter_recursive_call(const char *where);
void py_leave_recursive_call(void);
extern int py_recursion_limit;   /* default 1000 */

/* ---- Modules (objects/module.c, vm/import.c) -------------------------------- */
extern py_type py_module_class;
typedef struct py_module_def {
    const char *name;
    /* Fills the module's dict; 0 or -1. */
    int (*exec)(ft_object *module);
    const py_method_def *methods;
} py_module_def;
ft_object *py_module_new(ft_object *name);
ft_object *py_module_dict_borrow(ft_object *module);
/* Adds value under name to module's dict; 0 or -1. Does not steal. */
int py_module_add(ft_object *module, const char *name, ft_object *value);
/* The table of built-in modules (modules/registry.c): NULL-terminated. */
extern const py_module_def *const py_builtin_modules[];
/* The builtins module's dict (builtins/builtins.c), borrowed. */
ft_object *py_builtins_dict_borrow(void);
/* sys.modules, borrowed. */
ft_object *py_sys_modules_borrow(void);

/* ---- What the VM gives other modules (vm/) ----------------------------------- */
/* Built-ins that need frames or the compiler: __build_class__, globals,
 * locals, exec, eval, compile, and vars() without an argument.
 * NULL-name terminated; builtins/builtins.c puts them in the module. */
extern const py_method_def py_vm_builtin_defs[];
/* The two arguments of a zero-argument super() called in frame f: the
 * __class__ cell's class and the frame's first argument. 0 or -1
 * (RuntimeError "super(): no arguments" / "super(): __class__ cell not
 * found"). New references. */
int py_frame_super_args(py_frame *f, ft_object **type, ft_object **obj);
/* import (vm/import.c): __import__(name, globals, None, fromlist, level). */
ft_object *py_import(ft_object *name, ft_object *globals, ft_object *fromlist,
                     int level);

/* ---- Interpreter life cycle (vm/interp.c) ------------------------------------ */
typedef struct py_config {
    const char *program_name;    /* argv[0] of ftpy                          */
    int argc;  char **argv;      /* sys.argv                                 */
    int tracemalloc_frames;      /* -X tracemalloc=N; 0: off                 */
    int gil;                     /* -X gil: -1 default, 0, 1                 */
    const char *malloc;          /* PYTHONMALLOC mapped to ftlab's name      */
} py_config;
/* ft_init + every type and module readied. 0 or -1 (message on stderr). */
int  py_init(const py_config *cfg);
/* Releases everything ftpy made, then ft_fini; returns the leaked object
 * count from the runtime's report (0 when clean). */
int64_t py_fini(void);
/* Compiles and runs source as __main__ (filename for messages). Returns
 * the process exit status: 0, 1 after printing an uncaught exception, or
 * SystemExit's code. */
int  py_run_main(const char *source, size_t size, const char *filename);
/* What runs after __main__ ends (py_run_main and the REPL call it):
 * threading._shutdown() (joins the non-daemon threads), then
 * atexit._run_exitfuncs(), each only if that module was imported. */
void py_run_exit_hooks(void);

#endif /* FTPY_H */
