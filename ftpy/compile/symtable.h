/* compile/symtable.h — scopes: which block every name belongs to.
 *
 * The symbol table is a tree of blocks (one per module, class body,
 * function, lambda, comprehension and generator expression), built by one
 * walk over the AST and then analysed top-down as CPython's symtable.c
 * does (analyze_block/analyze_name/analyze_cells/update_symbols):
 *
 *   1. the walk records, per block, each name with flags (PY_DEF_*):
 *      assigned, parameter, imported, declared global/nonlocal, used;
 *   2. the analysis gives each name a scope (PY_SCOPE_*):
 *        LOCAL             bound in this block
 *        GLOBAL_EXPLICIT   `global x`
 *        GLOBAL_IMPLICIT   not bound in any enclosing function
 *        FREE              bound in an enclosing function (or nonlocal)
 *        CELL              local here and free in a nested block
 *      Class bodies don't enclose their methods: a name bound in a class
 *      is not visible as a free variable to the class's functions (they
 *      see the enclosing function's binding, or the global). A name free
 *      in a method and also bound in the class is marked PY_DEF_FREE_CLASS
 *      in the class: the class passes the outer cell through (it is in
 *      the class's co_freevars) while reading its own dict for the name.
 *      A method that uses `super` or `__class__` makes the class's
 *      implicit `__class__` cell (needs_class_closure).
 *
 * Comprehensions and generator expressions are function blocks of their
 * own whose one parameter is ".0" (the iterator of the first iterable,
 * which is evaluated in the enclosing block). An assignment expression
 * (:=) inside one binds in the nearest enclosing function or module.
 *
 * Names are interned strs, compared by pointer. Names that start with two
 * underscores inside a class are mangled (`__x` in class C -> `_C__x`)
 * before they are recorded, as the compiler does before looking them up.
 *
 * Memory: the table is plain C memory (ft_malloc) plus a list holding
 * the strs it made (mangled names, ".0"); py_symtable_free releases all.
 */
#ifndef FTPY_SYMTABLE_H
#define FTPY_SYMTABLE_H

#include "ast.h"

enum py_block_kind { PY_BLOCK_MODULE, PY_BLOCK_CLASS, PY_BLOCK_FUNCTION };

enum py_def_flags {
    PY_DEF_GLOBAL     = 1 << 0,   /* global statement                      */
    PY_DEF_LOCAL      = 1 << 1,   /* assigned in this block                */
    PY_DEF_PARAM      = 1 << 2,   /* a parameter                           */
    PY_DEF_NONLOCAL   = 1 << 3,   /* nonlocal statement                    */
    PY_DEF_USE        = 1 << 4,   /* read                                  */
    PY_DEF_FREE       = 1 << 5,   /* (unused: scopes say it)               */
    PY_DEF_FREE_CLASS = 1 << 6,   /* free in a method, bound in the class  */
    PY_DEF_IMPORT     = 1 << 7,   /* bound by an import                    */
    PY_DEF_COMP_ITER  = 1 << 8,   /* a comprehension's iteration variable  */
    PY_DEF_ANNOT      = 1 << 9,   /* annotated (`x: T`)                    */
    PY_DEF_BOUND = PY_DEF_LOCAL | PY_DEF_PARAM | PY_DEF_IMPORT,
};

enum py_scope {
    PY_SCOPE_NONE, PY_SCOPE_LOCAL, PY_SCOPE_GLOBAL_EXPLICIT,
    PY_SCOPE_GLOBAL_IMPLICIT, PY_SCOPE_FREE, PY_SCOPE_CELL,
};

/* Which comprehension a comprehension block is (0: not one). */
enum py_comp_kind { PY_COMP_NONE, PY_COMP_LIST, PY_COMP_SET, PY_COMP_DICT,
                    PY_COMP_GEN };

typedef struct py_symbol {
    ft_object *name;              /* interned, mangled; borrowed            */
    int flags;                    /* PY_DEF_*                               */
    int scope;                    /* PY_SCOPE_* after the analysis          */
    int lineno, col;              /* of the global/nonlocal declaration     */
    int end_lineno, end_col;
} py_symbol;

typedef struct py_ste py_ste;
struct py_ste {
    int kind;                     /* enum py_block_kind                     */
    ft_object *name;              /* "f", "C", "<lambda>", "<listcomp>",
                                     "top"; borrowed                       */
    const void *key;              /* the AST node (stmt/expr/mod)           */
    py_symbol *syms;              /* in order of first mention              */
    ssize_t nsyms, capsyms;
    ssize_t *index;               /* open addressing: slot -> syms index+1  */
    ssize_t capindex;
    ft_object **params;           /* parameters in order (varnames start)   */
    ssize_t nparams, capparams;
    py_ste **children;
    ssize_t nchildren, capchildren;
    py_ste *parent;
    int lineno, col;
    int comp_kind;                /* enum py_comp_kind                      */
    bool nested;                  /* inside a function (CO_NESTED)          */
    bool generator;               /* contains yield / yield from            */
    bool needs_class_closure;     /* class: has the __class__ cell          */
    bool has_varargs, has_varkw;
    bool comp_iter_target;        /* walking a comprehension's target       */
    int comp_iter_expr;           /* walking a comprehension's iterable (no
                                     := there); inherited by nested blocks */
    bool annotation;              /* an annotation block (below)           */
};

typedef struct py_symtable {
    py_ste *top;
    py_ste **blocks;              /* every block, hashed by key pointer     */
    ssize_t nblocks, capblocks;
    ft_object *owned;             /* list of the strs the table made        */
    ft_object *private_name;      /* the enclosing class name (walk only)   */
    py_ste **stack;               /* the walk's block stack                 */
    ssize_t depth, capstack;
    int recursion;                /* nesting of the walk                    */
    const char *filename;
    const char *src; size_t srclen;
    bool future_annotations;      /* from __future__ import annotations     */
} py_symtable;

/* Builds and analyses the table of a module tree; NULL with SyntaxError
 * (or MemoryError / RecursionError) set. src may be NULL (no error text).
 * Under `from __future__ import annotations` (future_annotations), each
 * annotation (each def's parameter and return annotations together) is
 * walked in a block of its own, never compiled, as CPython's
 * AnnotationBlock: yield, await and := are errors there. */
py_symtable *py_symtable_build(py_ast_mod *mod, const char *filename,
                               const char *src, size_t n, bool future_annotations);
void py_symtable_free(py_symtable *st);
/* The block made for node key (a FunctionDef/ClassDef stmt, a Lambda or
 * comprehension expr, the module): NULL if none. */
py_ste *py_symtable_lookup(py_symtable *st, const void *key);
/* The symbol of (mangled) name in block ste, or NULL. */
py_symbol *py_ste_symbol(py_ste *ste, ft_object *name);
/* Its scope (PY_SCOPE_NONE when absent). */
int py_ste_scope(py_ste *ste, ft_object *name);

/* `__x` inside class `private` -> `_private__x` (a new reference; name
 * itself when no mangling applies). NULL with MemoryError. */
ft_object *py_mangle(ft_object *private_name, ft_object *name);
/* A new interned str from C text, or NULL. */
ft_object *py_intern_cstr(const char *s);

/* Raises SyntaxError msg at (lineno, 0-based byte col .. end) of src,
 * with the line's text as CPython gives it. end_lineno 0: no end; end_col
 * -1: an end line but no end column. */
void py_compile_syntax_error(const char *filename, const char *src, size_t n,
                             const char *msg, int lineno, int col,
                             int end_lineno, int end_col);

#endif /* FTPY_SYMTABLE_H */
