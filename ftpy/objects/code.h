/* objects/code.h — code objects: what the compiler makes and the VM runs.
 *
 * A code object is immutable once made; in nogil it may be run by many
 * threads at once, so nothing in it is written after py_code_new (the
 * constants are made immortal when a second thread starts: a later issue)
 * — except co_gcache, LOAD_GLOBAL's cache: one ft_dict_cache2 per name
 * (indexed like co_names), written by any thread running the code with
 * the discipline of runtime/objects/dict.c's "Version caches" (a seqlock
 * per entry, versions unique over all dicts: an entry filled for one
 * globals dict never answers for another). NULL when the code has no
 * LOAD_GLOBAL. It holds no references.
 *
 * Fast locals layout of a frame running the code (vm/frame.h):
 *
 *   L[0 .. co_nlocals)                      co_varnames: arguments first,
 *                                           in order: positional (incl.
 *                                           positional-only), keyword-only,
 *                                           *args, **kwargs, then others
 *   C[0 .. co_ncells)                       cells of co_cellvars
 *   C[co_ncells .. co_ncells + co_nfrees)   cells of co_freevars (from
 *                                           the function's closure)
 *
 * A cellvar that is also an argument (co_cell2arg[i] >= 0) starts with
 * the argument's value; the VM copies it in when the frame starts.
 *
 * Line table: co_lines[i] is the source line of instruction i (1-based;
 * 0 for instructions with no line). Tracebacks and tracemalloc use it.
 */
#ifndef FTPY_CODE_H
#define FTPY_CODE_H

#include "../ftpy.h"

enum py_code_flags {
    PY_CO_OPTIMIZED   = 1 << 0,   /* fast locals (functions)               */
    PY_CO_NEWLOCALS   = 1 << 1,
    PY_CO_VARARGS     = 1 << 2,   /* has *args                             */
    PY_CO_VARKEYWORDS = 1 << 3,   /* has **kwargs                          */
    PY_CO_NESTED      = 1 << 4,
    PY_CO_GENERATOR   = 1 << 5,   /* calling makes a generator             */
    PY_CO_NOFREE      = 1 << 6,
    PY_CO_HAS_DOCSTRING = 1 << 7, /* co_consts[0] is the docstring        */
};

typedef struct py_code {
    ft_object ob_base;
    uint32_t *co_code;           /* co_ncode instructions (vm/opcode.h)    */
    int32_t *co_lines;           /* line of each instruction               */
    int32_t *co_cell2arg;        /* co_ncells entries: arg index or -1;
                                    NULL when no cell is an argument       */
    ft_dict_cache2 *co_gcache;   /* LOAD_GLOBAL's cache, len(co_names)
                                    entries, or NULL (see above)           */
    ssize_t co_ncode;
    ft_object *co_consts;        /* tuple                                  */
    ft_object *co_names;         /* tuple of interned str                  */
    ft_object *co_varnames;      /* tuple of str: the fast locals          */
    ft_object *co_cellvars;      /* tuple of str                           */
    ft_object *co_freevars;      /* tuple of str                           */
    ft_object *co_name;          /* str: "f", "<module>", "<lambda>",
                                    "<listcomp>", "<genexpr>", ...          */
    ft_object *co_qualname;      /* str: "C.f.<locals>.g"                   */
    ft_object *co_filename;      /* str                                    */
    int co_argcount;             /* positional, incl. positional-only      */
    int co_posonlyargcount;
    int co_kwonlyargcount;
    int co_nlocals;              /* == len(co_varnames)                    */
    int co_ncells, co_nfrees;
    int co_stacksize;            /* the value stack's maximum depth        */
    int co_maxblocks;            /* the block stack's maximum depth        */
    int co_flags;                /* enum py_code_flags                     */
    int co_firstlineno;
} py_code;

extern py_type py_code_class;

/* The fields a compiler fills in; py_code_new copies the arrays and takes
 * new references to the objects. */
typedef struct py_code_spec {
    const uint32_t *code; const int32_t *lines; ssize_t ncode;
    ft_object *consts, *names, *varnames, *cellvars, *freevars;
    ft_object *name, *qualname, *filename;
    int argcount, posonlyargcount, kwonlyargcount;
    int stacksize, maxblocks, flags, firstlineno;
} py_code_spec;

ft_object *py_code_new(const py_code_spec *spec);
static inline py_code *py_as_code(ft_object *o) { return (py_code *)o; }
/* The line of instruction index i (0: unknown). */
int py_code_line(const py_code *c, ssize_t i);
/* Writes a readable listing (like dis.dis) to f, nested codes included. */
void py_code_disassemble(const py_code *c, FILE *f);

#endif /* FTPY_CODE_H */
