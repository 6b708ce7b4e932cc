/* compile/ast.h — the abstract syntax tree: what the parser makes and the
 * compiler reads.
 *
 * The tree follows CPython 3.11's `ast` module (Parser/Python.asdl) node
 * for node and field for field, so that anyone who knows CPython's AST
 * knows this one. Differences, all deliberate:
 *   - no async/await/match nodes (the parser rejects that syntax with a
 *     SyntaxError), no type_comment fields, no complex constants;
 *   - identifiers (names, attributes, argument names, module names) are
 *     interned strs (ft_object *), constants are ftpy objects;
 *   - UnaryOp's `op` is enum py_unop from ftpy.h plus PY_UNARY_NOT, and
 *     BinOp/AugAssign's `op` is enum py_binop from ftpy.h directly.
 *
 * Memory: every node, sequence and array lives in a py_arena (a bump
 * allocator in big chunks). The arena also holds one reference to every
 * object stored in the tree (identifiers and constants); py_arena_free
 * releases the memory and those references at once. Nothing in the tree
 * is freed on its own; the compiler borrows the objects (and takes its
 * own references when it stores them in code objects).
 *
 * Locations: every stmt, expr, arg, keyword, alias, withitem and
 * excepthandler carries lineno, col_offset, end_lineno, end_col_offset
 * as CPython does: lines 1-based, columns 0-based byte offsets in the
 * UTF-8 source line; the end is exclusive.
 *
 * Sequences: {ssize_t n; T **items} (py_*_seq below). An empty sequence
 * has n == 0 and items possibly NULL. Entries are never NULL except where
 * a node says so (Dict.keys for `**d`, arguments.kw_defaults).
 *
 * Reading the node table: each line gives the kind, its fields and
 * meaning, in the manner of Lua's lopcodes.h.
 */
#ifndef FTPY_AST_H
#define FTPY_AST_H

#include <stdio.h>
#include "../ftpy.h"

/* ---- The arena ------------------------------------------------------------ */
typedef struct py_arena py_arena;
/* A new empty arena, or NULL with MemoryError. */
py_arena *py_arena_new(void);
/* Frees every block and releases every object the arena holds. NULL ok. */
void py_arena_free(py_arena *a);
/* n bytes (16-aligned, zeroed) from the arena, or NULL with MemoryError. */
void *py_arena_alloc(py_arena *a, size_t n);
/* Hands the arena the caller's reference to o (released by
 * py_arena_free). Returns o, or NULL (and releases o) with MemoryError;
 * NULL o gives NULL without touching the error. */
ft_object *py_arena_add_steal(py_arena *a, ft_object *o);

/* ---- Operators -------------------------------------------------------------- */
/* BoolOp */
enum py_boolop { PY_BOOL_AND, PY_BOOL_OR };
/* UnaryOp: PY_UNARY_NEG, PY_UNARY_POS, PY_UNARY_INVERT (ftpy.h), and: */
enum { PY_UNARY_NOT = 3 };
/* Compare: one per comparator. */
enum py_cmpop_kind {
    PY_CMP_EQ, PY_CMP_NOTEQ, PY_CMP_LT, PY_CMP_LTE, PY_CMP_GT, PY_CMP_GTE,
    PY_CMP_IS, PY_CMP_ISNOT, PY_CMP_IN, PY_CMP_NOTIN,
};
/* Name, Attribute, Subscript, Starred, List, Tuple */
enum py_expr_ctx { PY_LOAD, PY_STORE, PY_DEL };

/* ---- Sequences ---------------------------------------------------------------- */
typedef struct py_stmt py_stmt;
typedef struct py_expr py_expr;
typedef struct py_arg py_arg;
typedef struct py_keyword py_keyword;
typedef struct py_alias py_alias;
typedef struct py_withitem py_withitem;
typedef struct py_excepthandler py_excepthandler;
typedef struct py_comprehension py_comprehension;
typedef struct py_arguments py_arguments;

typedef struct { ssize_t n; py_stmt **items; } py_stmt_seq;
typedef struct { ssize_t n; py_expr **items; } py_expr_seq;
typedef struct { ssize_t n; py_arg **items; } py_arg_seq;
typedef struct { ssize_t n; py_keyword **items; } py_keyword_seq;
typedef struct { ssize_t n; py_alias **items; } py_alias_seq;
typedef struct { ssize_t n; py_withitem **items; } py_withitem_seq;
typedef struct { ssize_t n; py_excepthandler **items; } py_excepthandler_seq;
typedef struct { ssize_t n; py_comprehension **items; } py_comprehension_seq;
typedef struct { ssize_t n; ft_object **items; } py_ident_seq;  /* strs */

#define PY_AST_LOCATION \
    int lineno, col_offset, end_lineno, end_col_offset

/* ---- Roots ---------------------------------------------------------------------- */
enum py_mod_kind {
    PY_M_Module,        /* body: statements of a file (exec mode)           */
    PY_M_Interactive,   /* body: one REPL input (single mode)               */
    PY_M_Expression,    /* expr: one expression (eval mode)                 */
};
typedef struct py_ast_mod {
    enum py_mod_kind kind;
    py_stmt_seq body;          /* Module, Interactive                       */
    py_expr *expr;             /* Expression                                */
} py_ast_mod;

/* ---- Statements ------------------------------------------------------------------ */
enum py_stmt_kind {
    PY_S_FunctionDef,  /* name args body decorator_list returns:
                          def name(args) -> returns: body. decorators in
                          source order (applied last to first); returns
                          is the annotation or NULL (the compiler may
                          ignore it). A docstring is body[0], an Expr of a
                          str Constant.                                    */
    PY_S_ClassDef,     /* name bases keywords body decorator_list:
                          class name(*bases, **keywords): body. bases may
                          contain Starred, keywords a NULL-arg (**) one.   */
    PY_S_Return,       /* value: return value (NULL: bare return)          */
    PY_S_Delete,       /* targets: del t1, t2 (Name/Attribute/Subscript/
                          Tuple/List, ctx Del)                             */
    PY_S_Assign,       /* targets value: t1 = t2 = value (targets in
                          source order, ctx Store; may be Tuple/List with
                          at most one Starred)                             */
    PY_S_AugAssign,    /* target op value: target op= value; target is a
                          Name/Attribute/Subscript (ctx Store), op an enum
                          py_binop WITHOUT PY_OP_INPLACE                   */
    PY_S_AnnAssign,    /* target annotation value simple: target: ann
                          [= value]; value may be NULL; simple is 1 for a
                          bare unparenthesized Name target                 */
    PY_S_For,          /* target iter body orelse: for target in iter:
                          body else: orelse                                */
    PY_S_While,        /* test body orelse                                  */
    PY_S_If,           /* test body orelse: elif is an If alone in orelse  */
    PY_S_With,         /* items body: with a as b, c: body               */
    PY_S_Raise,        /* exc cause: raise [exc [from cause]] (NULLs)      */
    PY_S_Try,          /* body handlers orelse finalbody                   */
    PY_S_Assert,       /* test msg: assert test[, msg] (msg may be NULL)   */
    PY_S_Import,       /* names: import a.b.c as d, e                      */
    PY_S_ImportFrom,   /* module names level: from ..module import names;
                          module NULL for `from . import x`; a single
                          alias named "*" for `import *`                   */
    PY_S_Global,       /* names (py_ident_seq)                             */
    PY_S_Nonlocal,     /* names (py_ident_seq)                             */
    PY_S_Expr,         /* value: an expression statement                   */
    PY_S_Pass,
    PY_S_Break,
    PY_S_Continue,
};

struct py_stmt {
    enum py_stmt_kind kind;
    PY_AST_LOCATION;
    union {
        struct {
            ft_object *name;
            py_arguments *args;
            py_stmt_seq body;
            py_expr_seq decorator_list;
            py_expr *returns;
        } FunctionDef;
        struct {
            ft_object *name;
            py_expr_seq bases;
            py_keyword_seq keywords;
            py_stmt_seq body;
            py_expr_seq decorator_list;
        } ClassDef;
        struct { py_expr *value; } Return;
        struct { py_expr_seq targets; } Delete;
        struct { py_expr_seq targets; py_expr *value; } Assign;
        struct { py_expr *target; int op; py_expr *value; } AugAssign;
        struct {
            py_expr *target, *annotation, *value;
            int simple;
        } AnnAssign;
        struct {
            py_expr *target, *iter;
            py_stmt_seq body, orelse;
        } For;
        struct { py_expr *test; py_stmt_seq body, orelse; } While;
        struct { py_expr *test; py_stmt_seq body, orelse; } If;
        struct { py_withitem_seq items; py_stmt_seq body; } With;
        struct { py_expr *exc, *cause; } Raise;
        struct {
            py_stmt_seq body;
            py_excepthandler_seq handlers;
            py_stmt_seq orelse, finalbody;
        } Try;
        struct { py_expr *test, *msg; } Assert;
        struct { py_alias_seq names; } Import;
        struct {
            ft_object *module;         /* dotted name, or NULL              */
            py_alias_seq names;
            int level;                 /* number of leading dots            */
        } ImportFrom;
        struct { py_ident_seq names; } Global;
        struct { py_ident_seq names; } Nonlocal;
        struct { py_expr *value; } Expr;
    } v;
};

/* ---- Expressions -------------------------------------------------------------- */
enum py_expr_kind {
    PY_E_BoolOp,       /* op values: a and b and c -> one node, values
                          [a, b, c], op enum py_boolop                     */
    PY_E_NamedExpr,    /* target value: target := value (target a Name,
                          ctx Store)                                       */
    PY_E_BinOp,        /* left op right: op an enum py_binop               */
    PY_E_UnaryOp,      /* op operand: op an enum py_unop or PY_UNARY_NOT   */
    PY_E_Lambda,       /* args body                                         */
    PY_E_IfExp,        /* test body orelse: body if test else orelse       */
    PY_E_Dict,         /* keys values: {k: v, **d}; keys[i] NULL for **d   */
    PY_E_Set,          /* elts: {a, *b}                                     */
    PY_E_ListComp,     /* elt generators                                    */
    PY_E_SetComp,      /* elt generators                                    */
    PY_E_DictComp,     /* key value generators                              */
    PY_E_GeneratorExp, /* elt generators                                    */
    PY_E_Yield,        /* value: yield [value] (NULL)                      */
    PY_E_YieldFrom,    /* value: yield from value                          */
    PY_E_Compare,      /* left ops comparators: a < b == c -> left a, ops
                          [LT, EQ] (enum py_cmpop_kind, comparators.n
                          entries), comparators [b, c]                     */
    PY_E_Call,         /* func args keywords: args may hold Starred (*a);
                          keywords hold arg NULL for **k                   */
    PY_E_FormattedValue, /* value conversion format_spec: {value!r:spec}
                          conversion -1 (none), 's', 'r' or 'a';
                          format_spec a JoinedStr or NULL. {x=} becomes
                          the Constant "x=" followed by a FormattedValue
                          with conversion 'r' (when no conversion or spec
                          is given), as CPython                            */
    PY_E_JoinedStr,    /* values: an f-string: Constant strs and
                          FormattedValues, in order                        */
    PY_E_Constant,     /* value: None, True, False, Ellipsis, int (runtime
                          int or big int), float, str, bytes               */
    PY_E_Attribute,    /* value attr ctx: value.attr (attr interned str)   */
    PY_E_Subscript,    /* value slice ctx: value[slice]; slice may be a
                          Slice or a Tuple containing Slices              */
    PY_E_Starred,      /* value ctx: *value                                */
    PY_E_Name,         /* id ctx: id an interned str                       */
    PY_E_List,         /* elts ctx                                          */
    PY_E_Tuple,        /* elts ctx                                          */
    PY_E_Slice,        /* lower upper step: a:b:c, each may be NULL        */
};

struct py_expr {
    enum py_expr_kind kind;
    PY_AST_LOCATION;
    union {
        struct { int op; py_expr_seq values; } BoolOp;
        struct { py_expr *target, *value; } NamedExpr;
        struct { py_expr *left; int op; py_expr *right; } BinOp;
        struct { int op; py_expr *operand; } UnaryOp;
        struct { py_arguments *args; py_expr *body; } Lambda;
        struct { py_expr *test, *body, *orelse; } IfExp;
        struct { py_expr_seq keys, values; } Dict;
        struct { py_expr_seq elts; } Set;
        struct { py_expr *elt; py_comprehension_seq generators; } ListComp;
        struct { py_expr *elt; py_comprehension_seq generators; } SetComp;
        struct {
            py_expr *key, *value;
            py_comprehension_seq generators;
        } DictComp;
        struct { py_expr *elt; py_comprehension_seq generators; } GeneratorExp;
        struct { py_expr *value; } Yield;
        struct { py_expr *value; } YieldFrom;
        struct {
            py_expr *left;
            int *ops;                  /* comparators.n entries            */
            py_expr_seq comparators;
        } Compare;
        struct {
            py_expr *func;
            py_expr_seq args;
            py_keyword_seq keywords;
        } Call;
        struct {
            py_expr *value;
            int conversion;
            py_expr *format_spec;
        } FormattedValue;
        struct { py_expr_seq values; } JoinedStr;
        struct {
            ft_object *value;
            bool u_kind;               /* a str whose first part is u'..'  */
        } Constant;
        struct { py_expr *value; ft_object *attr; int ctx; } Attribute;
        struct { py_expr *value, *slice; int ctx; } Subscript;
        struct { py_expr *value; int ctx; } Starred;
        struct { ft_object *id; int ctx; } Name;
        struct { py_expr_seq elts; int ctx; } List;
        struct { py_expr_seq elts; int ctx; } Tuple;
        struct { py_expr *lower, *upper, *step; } Slice;
    } v;
};

/* ---- Helper nodes ----------------------------------------------------------------- */
/* for target in iter if ifs[0] if ifs[1] ... (is_async always 0) */
struct py_comprehension {
    py_expr *target, *iter;
    py_expr_seq ifs;
    int is_async;
};

/* except type as name: body (type, name may be NULL) */
struct py_excepthandler {
    PY_AST_LOCATION;
    py_expr *type;
    ft_object *name;
    py_stmt_seq body;
};

/* def f(posonlyargs, /, args, *vararg, kwonlyargs, **kwarg):
 * defaults are for the LAST defaults.n of posonlyargs+args;
 * kw_defaults has kwonlyargs.n entries, NULL where there is none.
 * vararg and kwarg are NULL when absent. */
struct py_arguments {
    py_arg_seq posonlyargs, args;
    py_arg *vararg;
    py_arg_seq kwonlyargs;
    py_expr_seq kw_defaults;
    py_arg *kwarg;
    py_expr_seq defaults;
};

/* one parameter: name and annotation (NULL) */
struct py_arg {
    PY_AST_LOCATION;
    ft_object *arg;
    py_expr *annotation;
};

/* name=value in a call or class statement; arg NULL for **value */
struct py_keyword {
    PY_AST_LOCATION;
    ft_object *arg;
    py_expr *value;
};

/* import name as asname: name dotted ("a.b.c"), asname NULL if none */
struct py_alias {
    PY_AST_LOCATION;
    ft_object *name;
    ft_object *asname;
};

/* with context_expr as optional_vars (NULL when no `as`; ctx Store) */
struct py_withitem {
    py_expr *context_expr;
    py_expr *optional_vars;
};

/* ---- Parsing ---------------------------------------------------------------------- */
enum py_parse_mode { PY_PARSE_EXEC, PY_PARSE_EVAL, PY_PARSE_SINGLE };
/* Or'ed into the mode when the source text came from a str (compile(),
 * exec(), eval() of a str): it is UTF-8 already, so a coding declaration
 * in it is ignored, as CPython does for str sources. */
enum { PY_PARSE_STR_SOURCE = 0x100 };
/* Or'ed into the mode of py_compile (compile.h): compile as if the source
 * began with `from __future__ import annotations` (what compile(), exec()
 * and eval() inherit from a calling code object that has
 * PY_CO_FUTURE_ANNOTATIONS, unless dont_inherit). py_parse ignores it. */
enum { PY_PARSE_FUTURE_ANNOTATIONS = 0x200 };

/* Parses n bytes of UTF-8 source (a leading BOM is skipped). Returns the
 * Module (EXEC), Expression (EVAL) or Interactive (SINGLE) root, allocated
 * in a; or NULL with SyntaxError/IndentationError/TabError set through
 * py_err_syntax (filename, line, 1-based column as CPython reports them),
 * MemoryError or RecursionError. The first error stops the parse. */
py_ast_mod *py_parse(py_arena *a, const char *src, size_t n,
                     const char *filename, int mode);

/* The noun CPython uses for an expression in "cannot assign to %s"
 * messages: "literal", "function call", "attribute", "comparison",
 * "lambda", "True", "None", "f-string expression", ... */
const char *py_expr_describe(const py_expr *e);

/* The source text of e as CPython's unparser writes it for annotations
 * under `from __future__ import annotations` (a new str), or NULL with
 * an exception (MemoryError, RecursionError past 2000 levels). */
ft_object *py_expr_unparse(const py_expr *e);

/* Writes the tree like ast.dump(tree) (no locations) to f: for debugging. */
void py_ast_dump(const py_ast_mod *m, FILE *f);
/* With locations: like ast.dump(tree, include_attributes=True). */
void py_ast_dump_ex(const py_ast_mod *m, FILE *f, bool locations);
/* One expression/statement, the same format. */
void py_ast_dump_expr(const py_expr *e, FILE *f);
void py_ast_dump_stmt(const py_stmt *s, FILE *f);

#endif /* FTPY_AST_H */
