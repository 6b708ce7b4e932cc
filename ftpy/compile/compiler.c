/* compile/compiler.c — AST -> code objects (compile/compile.h has the
 * instruction sequences; this file follows them).
 *
 * One compiler unit per code block (module, class body, function, lambda,
 * comprehension). A unit collects instructions whose jump arguments are
 * symbolic labels, the constants (de-duplicated by type and value), the
 * names, the fast locals in order of first use (parameters first), and a
 * stack of "frame blocks" (loops, try, with, handlers) that break,
 * continue and return unwind as CPython's compiler_unwind_fblock does.
 *
 * The assembler (end of file) resolves the labels to instruction indexes,
 * turns each unconditional jump into JUMP or JUMP_BACKWARD by direction,
 * computes the value stack's and the block stack's maximum depths by
 * following every path (a handler is entered with the depth recorded by
 * its SETUP_FINALLY plus the exception), and makes the code object.
 *
 * Ownership: everything a unit holds (lists, dicts, arrays) is released by
 * unit_free, and on an error the whole chain of open units is freed, so
 * no error path leaks.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../ftpy.h"
#include "../objects/code.h"
#include "../vm/opcode.h"
#include "compile.h"
#include "symtable.h"

#define CHECK(x) do { if ((x) < 0) return -1; } while (0)
#define MAX_BLOCKS 20            /* CPython's CO_MAXBLOCKS                  */
#define STACK_USE_GUIDELINE 30   /* displays above this are built stepwise */

enum unit_scope { U_MODULE, U_CLASS, U_FUNCTION, U_LAMBDA, U_COMPREHENSION };

enum fblock_type {
    FB_WHILE, FB_FOR, FB_TRY_EXCEPT, FB_FINALLY_TRY, FB_FINALLY_END, FB_WITH,
    FB_HANDLER_CLEANUP, FB_POP_VALUE, FB_EXCEPTION_HANDLER,
};

typedef struct fblock {
    int type;
    int l_start, l_exit;          /* loops: continue / break targets         */
    const void *datum;            /* FINALLY_TRY: the finally body (stmt);
                                     HANDLER_CLEANUP: the `as` name or NULL */
    int lineno;
} fblock;

typedef struct instr {
    int op;
    uint32_t arg;                 /* a label id for jumps until assembled    */
    int line;
} instr;

typedef struct loc { int lineno, col, end_lineno, end_col; } loc;

typedef struct unit {
    struct unit *parent;
    py_ste *ste;
    int scope;                    /* enum unit_scope                         */
    ft_object *name, *qualname;   /* owned                                   */
    ft_object *private_name;      /* the class name for mangling; borrowed   */
    ft_object *consts, *const_map;      /* list; dict key -> index          */
    ft_object *names, *name_map;        /* list; dict str -> index          */
    ft_object *varnames, *varname_map;
    ft_object *cellvars, *cell_map;     /* tuple; dict name -> C index      */
    ft_object *freevars, *free_map;     /* tuple; dict name -> C index      */
    instr *code;
    ssize_t ncode, capcode;
    ssize_t *labels;
    ssize_t nlabels, caplabels;
    fblock fb[MAX_BLOCKS];
    int nfb;
    int argcount, posonly, kwonly, flags, firstlineno;
    loc loc;                      /* of the node being compiled              */
} unit;

typedef struct compiler {
    py_symtable *st;
    unit *u;
    ft_object *filename;
    const char *filename_c;
    const char *src;
    size_t srclen;
    bool interactive;
    bool future_annotations;      /* from __future__ import annotations     */
    int future_lineno;            /* line of the last future statement      */
    int recursion, recursion_limit;
} compiler;

/* ---- errors ---------------------------------------------------------------- */
static int compile_error(compiler *c, const char *msg)
{
    loc l = c->u->loc;
    py_compile_syntax_error(c->filename_c, c->src, c->srclen, msg, l.lineno, l.col,
                            l.end_lineno, l.end_col);
    return -1;
}

static int compile_error_at(compiler *c, loc l, const char *msg)
{
    c->u->loc = l;
    return compile_error(c, msg);
}

#define LOC_OF(n) ((loc){ (n)->lineno, (n)->col_offset, (n)->end_lineno, (n)->end_col_offset })

static int enter_recursion(compiler *c)
{
    if (++c->recursion > c->recursion_limit) {
        py_err_setstr(py_exc_RecursionError,
                      "maximum recursion depth exceeded during compilation");
        return -1;
    }
    return 0;
}

/* ---- units ------------------------------------------------------------------- */
static void unit_free(unit *u)
{
    ft_xdecref(u->name);
    ft_xdecref(u->qualname);
    ft_xdecref(u->consts);
    ft_xdecref(u->const_map);
    ft_xdecref(u->names);
    ft_xdecref(u->name_map);
    ft_xdecref(u->varnames);
    ft_xdecref(u->varname_map);
    ft_xdecref(u->cellvars);
    ft_xdecref(u->cell_map);
    ft_xdecref(u->freevars);
    ft_xdecref(u->free_map);
    ft_free(u->code);
    ft_free(u->labels);
    ft_free(u);
}

static int strcmp_names(const void *a, const void *b)
{
    return strcmp(ft_str_utf8_borrow(*(ft_object *const *)a, NULL),
                  ft_str_utf8_borrow(*(ft_object *const *)b, NULL));
}

/* The names of ste with scope `scope` (or flag `flag`), sorted as CPython
 * sorts co_cellvars/co_freevars; `extra` (may be NULL) goes first. A
 * tuple, and the map name -> base + index. */
static int names_by_scope(py_ste *ste, int scope, int flag, ft_object *extra,
                          ssize_t base, ft_object **tuple_out, ft_object **map_out)
{
    ft_object **arr = ft_malloc(sizeof(ft_object *) * (size_t)(ste->nsyms + 1));
    if (!arr)
        return py_err_from_ft_int();
    ssize_t n = 0;
    for (ssize_t i = 0; i < ste->nsyms; i++) {
        py_symbol *s = &ste->syms[i];
        if ((s->scope == scope || (s->flags & flag)) && s->name != extra)
            arr[n++] = s->name;
    }
    qsort(arr, (size_t)n, sizeof(ft_object *), strcmp_names);
    ssize_t total = n + (extra ? 1 : 0);
    ft_object *t = ft_tuple_new(total);
    ft_object *map = ft_dict_new();
    int rc = -1;
    if (!t || !map)
        goto done;
    ssize_t k = 0;
    if (extra) {
        if (ft_tuple_set_steal(t, k++, ft_newref(extra)) < 0)
            goto done;
    }
    for (ssize_t i = 0; i < n; i++)
        if (ft_tuple_set_steal(t, k++, ft_newref(arr[i])) < 0)
            goto done;
    for (ssize_t i = 0; i < total; i++) {
        ft_object *idx = ft_int_from_i64(base + i);
        if (!idx)
            goto done;
        int r = ft_dict_set(map, ft_tuple_get_borrow(t, i), idx);
        ft_decref(idx);
        if (r < 0)
            goto done;
    }
    rc = 0;
done:
    ft_free(arr);
    if (rc < 0) {
        ft_xdecref(t);
        ft_xdecref(map);
        return py_err_from_ft_int();
    }
    *tuple_out = t;
    *map_out = map;
    return 0;
}

static int unit_add_varname(unit *u, ft_object *name, ssize_t *index);

/* Opens a unit for block ste named name (borrowed). */
static int enter_unit(compiler *c, py_ste *ste, ft_object *name, int scope,
                      ft_object *qualname, int firstlineno)
{
    unit *u = ft_calloc(1, sizeof(unit));
    if (!u)
        return py_err_from_ft_int();
    u->parent = c->u;
    c->u = u;                     /* freed with the chain from now on       */
    u->ste = ste;
    u->scope = scope;
    u->name = ft_newref(name);
    u->qualname = qualname ? ft_newref(qualname) : ft_newref(name);
    u->private_name = u->parent ? u->parent->private_name : NULL;
    u->firstlineno = firstlineno;
    u->loc = (loc){ firstlineno, 0, firstlineno, 0 };
    u->consts = ft_list_new(0);
    u->const_map = ft_dict_new();
    u->names = ft_list_new(0);
    u->name_map = ft_dict_new();
    u->varnames = ft_list_new(0);
    u->varname_map = ft_dict_new();
    if (!u->consts || !u->const_map || !u->names || !u->name_map || !u->varnames ||
        !u->varname_map)
        return py_err_from_ft_int();
    ft_object *class_cell = ste->needs_class_closure ? PY_ID(__class__) : NULL;
    CHECK(names_by_scope(ste, PY_SCOPE_CELL, 0, class_cell, 0, &u->cellvars, &u->cell_map));
    CHECK(names_by_scope(ste, PY_SCOPE_FREE, PY_DEF_FREE_CLASS, NULL,
                         ft_len(u->cellvars), &u->freevars, &u->free_map));
    for (ssize_t i = 0; i < ste->nparams; i++) {
        ssize_t idx;
        CHECK(unit_add_varname(u, ste->params[i], &idx));
    }
    return 0;
}

/* Closes the current unit (after assembling it). */
static void exit_unit(compiler *c)
{
    unit *u = c->u;
    c->u = u->parent;
    unit_free(u);
}

/* ---- instructions and labels --------------------------------------------------- */
static int emit(compiler *c, int op, uint32_t arg)
{
    unit *u = c->u;
    if (arg > PY_ARG_MAX)
        return compile_error(c, "too many constants, names or instructions");
    if (u->ncode == u->capcode) {
        ssize_t ncap = u->capcode ? u->capcode * 2 : 64;
        instr *p = ft_realloc(u->code, sizeof(instr) * (size_t)ncap);
        if (!p)
            return py_err_from_ft_int();
        u->code = p;
        u->capcode = ncap;
    }
    u->code[u->ncode++] = (instr){ op, arg, u->loc.lineno };
    return 0;
}

static int new_label(compiler *c)
{
    unit *u = c->u;
    if (u->nlabels == u->caplabels) {
        ssize_t ncap = u->caplabels ? u->caplabels * 2 : 32;
        ssize_t *p = ft_realloc(u->labels, sizeof(ssize_t) * (size_t)ncap);
        if (!p)
            return py_err_from_ft_int();
        u->labels = p;
        u->caplabels = ncap;
    }
    u->labels[u->nlabels] = -1;
    return (int)u->nlabels++;
}

static void use_label(compiler *c, int label)
{
    c->u->labels[label] = c->u->ncode;
}

#define NEW_LABEL(var) int var = new_label(c); if (var < 0) return -1

/* ---- constants ------------------------------------------------------------------ */
/* The key that tells constants apart: (type, value), with floats by their
 * bits (0.0 vs -0.0), tuples by their items' keys, code objects by
 * identity. NULL with an error. */
static ft_object *const_key(ft_object *o)
{
    ft_object *marker = ft_int_from_i64((int64_t)(intptr_t)o->ob_type);
    if (!marker)
        return NULL;
    ft_object *value;
    if (o->ob_type == &ft_float_type) {
        double d = ft_float_as_double(o);
        int64_t bits;
        memcpy(&bits, &d, sizeof bits);
        value = ft_int_from_i64(bits);
    } else if (o->ob_type == &ft_tuple_type) {
        ssize_t n = ft_len(o);
        value = ft_tuple_new(n);
        for (ssize_t i = 0; value && i < n; i++) {
            ft_object *k = const_key(ft_tuple_get_borrow(o, i));
            if (!k || ft_tuple_set_steal(value, i, k) < 0) {
                ft_decref(value);
                value = NULL;
            }
        }
    } else if (o->ob_type == &py_code_class.ft) {
        value = ft_int_from_i64((int64_t)(intptr_t)o);
    } else {
        value = ft_newref(o);
    }
    if (!value) {
        ft_decref(marker);
        return NULL;
    }
    ft_object *key = ft_tuple_new(2);
    if (!key) {
        ft_decref(marker);
        ft_decref(value);
        return NULL;
    }
    ft_tuple_set_steal(key, 0, marker);
    ft_tuple_set_steal(key, 1, value);
    return key;
}

/* Index of constant o (borrowed) in the unit's co_consts, added if new. */
static ssize_t add_const(compiler *c, ft_object *o)
{
    unit *u = c->u;
    ft_object *key = const_key(o);
    if (!key)
        return py_err_from_ft_int();
    ft_object *idx = NULL;
    int found = ft_dict_lookup(u->const_map, key, &idx);
    if (found < 0) {
        /* Unhashable in the runtime's eyes: keep it without sharing. */
        ft_err_clear();
        py_err_clear();
        ft_decref(key);
        key = NULL;
        found = 0;
    }
    if (found) {
        ssize_t i = (ssize_t)ft_int_as_i64(idx);
        ft_decref(idx);
        ft_decref(key);
        return i;
    }
    ssize_t i = ft_len(u->consts);
    if (ft_list_append(u->consts, o) < 0)
        goto fail;
    if (key) {
        idx = ft_int_from_i64(i);
        if (!idx || ft_dict_set(u->const_map, key, idx) < 0) {
            ft_xdecref(idx);
            goto fail;
        }
        ft_decref(idx);
        ft_decref(key);
    }
    return i;
fail:
    ft_xdecref(key);
    return py_err_from_ft_int();
}

static int emit_const(compiler *c, ft_object *o)
{
    ssize_t i = add_const(c, o);
    if (i < 0)
        return -1;
    return emit(c, OP_LOAD_CONST, (uint32_t)i);
}

static int emit_const_steal(compiler *c, ft_object *o)
{
    if (!o)
        return py_err_from_ft_int();
    int rc = emit_const(c, o);
    ft_decref(o);
    return rc;
}

static int emit_none(compiler *c) { return emit_const(c, ft_none()); }

/* ---- names ---------------------------------------------------------------------- */
/* Index of name in list/map (added if new). */
static int list_index(ft_object *list, ft_object *map, ft_object *name, ssize_t *index)
{
    ft_object *idx = NULL;
    int found = ft_dict_lookup(map, name, &idx);
    if (found < 0)
        return py_err_from_ft_int();
    if (found) {
        *index = (ssize_t)ft_int_as_i64(idx);
        ft_decref(idx);
        return 0;
    }
    ssize_t i = ft_len(list);
    idx = ft_int_from_i64(i);
    if (!idx || ft_list_append(list, name) < 0 || ft_dict_set(map, name, idx) < 0) {
        ft_xdecref(idx);
        return py_err_from_ft_int();
    }
    ft_decref(idx);
    *index = i;
    return 0;
}

static int unit_add_varname(unit *u, ft_object *name, ssize_t *index)
{
    return list_index(u->varnames, u->varname_map, name, index);
}

/* An instruction taking a co_names index (name borrowed, interned). */
static int emit_name(compiler *c, int op, ft_object *name)
{
    ssize_t i;
    CHECK(list_index(c->u->names, c->u->name_map, name, &i));
    return emit(c, op, (uint32_t)i);
}

/* Same, with the name mangled in a class (attributes). */
static int emit_attr(compiler *c, int op, ft_object *name)
{
    ft_object *m = py_mangle(c->u->private_name, name);
    if (!m)
        return -1;
    int rc = emit_name(c, op, m);
    ft_decref(m);
    return rc;
}

static int dict_index(ft_object *map, ft_object *name, ssize_t *out)
{
    ft_object *idx = NULL;
    int found = ft_dict_lookup(map, name, &idx);
    if (found <= 0) {
        if (found < 0)
            return py_err_from_ft_int();
        return 0;
    }
    *out = (ssize_t)ft_int_as_i64(idx);
    ft_decref(idx);
    return 1;
}

enum { CTX_LOAD = PY_LOAD, CTX_STORE = PY_STORE, CTX_DEL = PY_DEL };

static bool is_debug_name(ft_object *name)
{
    ssize_t n;
    const char *s = ft_str_utf8_borrow(name, &n);
    return n == 9 && memcmp(s, "__debug__", 9) == 0;
}

/* `__debug__` is a constant: binding or deleting it is a SyntaxError at
 * the current location (CPython's forbidden_name). */
static int forbidden_name(compiler *c, ft_object *name, int ctx)
{
    if (ctx == CTX_LOAD || !name || !is_debug_name(name))
        return 0;
    return compile_error(c, ctx == CTX_STORE ? "cannot assign to __debug__"
                                             : "cannot delete __debug__");
}

/* Loads, stores or deletes a variable (CPython's compiler_nameop). */
static int nameop(compiler *c, ft_object *name, int ctx)
{
    CHECK(forbidden_name(c, name, ctx));
    unit *u = c->u;
    ft_object *m = py_mangle(u->private_name, name);
    if (!m)
        return -1;
    int scope = py_ste_scope(u->ste, m);
    bool function = u->ste->kind == PY_BLOCK_FUNCTION;
    int rc = -1;
    ssize_t idx = 0;
    if (scope == PY_SCOPE_FREE || scope == PY_SCOPE_CELL) {
        int found = dict_index(scope == PY_SCOPE_CELL ? u->cell_map : u->free_map, m, &idx);
        if (found <= 0) {
            if (found == 0)
                py_err_format(py_exc_SystemError, "compiler: no cell for '%s'",
                              ft_str_utf8_borrow(m, NULL));
            goto done;
        }
        int op = ctx == CTX_LOAD ? (u->ste->kind == PY_BLOCK_CLASS ? OP_LOAD_CLASSDEREF
                                                                   : OP_LOAD_DEREF)
               : ctx == CTX_STORE ? OP_STORE_DEREF : OP_DELETE_DEREF;
        rc = emit(c, op, (uint32_t)idx);
    } else if (scope == PY_SCOPE_LOCAL && function) {
        if (unit_add_varname(u, m, &idx) < 0)
            goto done;
        int op = ctx == CTX_LOAD ? OP_LOAD_FAST : ctx == CTX_STORE ? OP_STORE_FAST
                                                                   : OP_DELETE_FAST;
        rc = emit(c, op, (uint32_t)idx);
    } else if (scope == PY_SCOPE_GLOBAL_EXPLICIT ||
               (scope == PY_SCOPE_GLOBAL_IMPLICIT && function)) {
        int op = ctx == CTX_LOAD ? OP_LOAD_GLOBAL : ctx == CTX_STORE ? OP_STORE_GLOBAL
                                                                     : OP_DELETE_GLOBAL;
        rc = emit_name(c, op, m);
    } else {
        int op = ctx == CTX_LOAD ? OP_LOAD_NAME : ctx == CTX_STORE ? OP_STORE_NAME
                                                                   : OP_DELETE_NAME;
        rc = emit_name(c, op, m);
    }
done:
    ft_decref(m);
    return rc;
}

/* ---- frame blocks -------------------------------------------------------------- */
static int push_fblock(compiler *c, int type, int l_start, int l_exit, const void *datum)
{
    unit *u = c->u;
    if (u->nfb >= MAX_BLOCKS)
        return compile_error(c, "too many statically nested blocks");
    u->fb[u->nfb++] = (fblock){ type, l_start, l_exit, datum, u->loc.lineno };
    return 0;
}

static void pop_fblock(compiler *c) { c->u->nfb--; }

static int visit_stmt(compiler *c, py_stmt *s);
static int visit_stmts(compiler *c, py_stmt_seq *seq);
static bool find_ann(py_stmt_seq *stmts);
static int visit_expr(compiler *c, py_expr *e);

static int store_none_and_delete(compiler *c, ft_object *name)
{
    CHECK(emit_none(c));
    CHECK(nameop(c, name, CTX_STORE));
    return nameop(c, name, CTX_DEL);
}

/* The code that leaves frame block fb (CPython's compiler_unwind_fblock).
 * keep: a value on TOS (a return value) stays there. */
static int unwind_fblock(compiler *c, fblock *fb, bool keep)
{
    switch (fb->type) {
    case FB_WHILE:
    case FB_EXCEPTION_HANDLER:
        return 0;
    case FB_FOR:
        if (keep)
            CHECK(emit(c, OP_SWAP, 2));
        return emit(c, OP_POP_TOP, 0);
    case FB_TRY_EXCEPT:
        return emit(c, OP_POP_BLOCK, 0);
    case FB_FINALLY_TRY: {
        CHECK(emit(c, OP_POP_BLOCK, 0));
        if (keep)
            CHECK(push_fblock(c, FB_POP_VALUE, -1, -1, NULL));
        CHECK(visit_stmts(c, (py_stmt_seq *)fb->datum));
        if (keep)
            pop_fblock(c);
        return 0;
    }
    case FB_FINALLY_END:
        if (keep)
            CHECK(emit(c, OP_SWAP, 2));
        CHECK(emit(c, OP_POP_TOP, 0));
        if (keep)
            CHECK(emit(c, OP_SWAP, 2));
        CHECK(emit(c, OP_POP_BLOCK, 0));
        return emit(c, OP_POP_EXCEPT, 0);
    case FB_WITH:
        /* __exit__ runs on the line of the with statement. */
        c->u->loc = LOC_OF((const py_stmt *)fb->datum);
        CHECK(emit(c, OP_POP_BLOCK, 0));
        if (keep)
            CHECK(emit(c, OP_SWAP, 2));
        return emit(c, OP_WITH_EXIT_NORMAL, 0);
    case FB_HANDLER_CLEANUP:
        if (fb->datum)
            CHECK(emit(c, OP_POP_BLOCK, 0));
        if (keep)
            CHECK(emit(c, OP_SWAP, 2));
        CHECK(emit(c, OP_POP_BLOCK, 0));
        CHECK(emit(c, OP_POP_EXCEPT, 0));
        if (fb->datum)
            CHECK(store_none_and_delete(c, (ft_object *)fb->datum));
        return 0;
    case FB_POP_VALUE:
        if (keep)
            CHECK(emit(c, OP_SWAP, 2));
        return emit(c, OP_POP_TOP, 0);
    }
    return 0;
}

/* Unwinds every frame block, innermost first, stopping at a loop when
 * loop_out is given (*loop_out: its index, or -1). */
static int unwind_fblock_stack(compiler *c, bool keep, int *loop_out)
{
    unit *u = c->u;
    if (u->nfb == 0) {
        if (loop_out)
            *loop_out = -1;
        return 0;
    }
    fblock *top = &u->fb[u->nfb - 1];
    if (loop_out && (top->type == FB_WHILE || top->type == FB_FOR)) {
        *loop_out = u->nfb - 1;
        return 0;
    }
    fblock copy = *top;
    u->nfb--;
    int rc = unwind_fblock(c, &copy, keep);
    if (rc == 0)
        rc = unwind_fblock_stack(c, keep, loop_out);
    u->fb[u->nfb++] = copy;
    return rc;
}

/* ---- expressions ------------------------------------------------------------------ */
static bool is_const(py_expr *e) { return e->kind == PY_E_Constant; }

static bool is_str_const(py_expr *e)
{
    return e->kind == PY_E_Constant && py_str_check_exact(e->v.Constant.value);
}

/* The truth of a constant known at compile time: 1, 0, or -1 (unknown). */
static int const_truth(py_expr *e)
{
    if (e->kind != PY_E_Constant)
        return -1;
    ft_object *v = e->v.Constant.value;
    if (v == ft_none() || v == ft_false())
        return 0;
    if (v == ft_true())
        return 1;
    if (v->ob_type == &ft_int_type)
        return ft_int_as_i64(v) != 0;
    if (v->ob_type == &ft_float_type)
        return ft_float_as_double(v) != 0.0;
    if (v->ob_type == &ft_str_type)
        return ft_len(v) != 0;
    return -1;
}

/* A folded constant for e (a new reference), or NULL (no error) when e is
 * not constant: literals, -literal, and tuples of those. */
static ft_object *fold_const(py_expr *e)
{
    if (e->kind == PY_E_Constant)
        return ft_newref(e->v.Constant.value);
    if (e->kind == PY_E_UnaryOp && e->v.UnaryOp.op == PY_UNARY_NEG &&
        e->v.UnaryOp.operand->kind == PY_E_Constant) {
        ft_object *v = e->v.UnaryOp.operand->v.Constant.value;
        if (v->ob_type == &ft_int_type) {
            int64_t i = ft_int_as_i64(v);
            if (i != INT64_MIN)
                return ft_int_from_i64(-i);
        } else if (v->ob_type == &ft_float_type) {
            return ft_float_from_double(-ft_float_as_double(v));
        }
        return NULL;
    }
    if (e->kind == PY_E_Tuple && e->v.Tuple.ctx == PY_LOAD) {
        ssize_t n = e->v.Tuple.elts.n;
        for (ssize_t i = 0; i < n; i++) {
            py_expr *x = e->v.Tuple.elts.items[i];
            if (x->kind != PY_E_Constant && x->kind != PY_E_UnaryOp && x->kind != PY_E_Tuple)
                return NULL;
        }
        ft_object *t = ft_tuple_new(n);
        if (!t) {
            ft_err_clear();
            return NULL;
        }
        for (ssize_t i = 0; i < n; i++) {
            ft_object *v = fold_const(e->v.Tuple.elts.items[i]);
            if (!v || ft_tuple_set_steal(t, i, v) < 0) {
                ft_decref(t);
                ft_err_clear();
                return NULL;
            }
        }
        return t;
    }
    return NULL;
}

static int visit_exprs(compiler *c, py_expr_seq *seq)
{
    for (ssize_t i = 0; i < seq->n; i++)
        CHECK(visit_expr(c, seq->items[i]));
    return 0;
}

static bool has_starred(py_expr_seq *seq)
{
    for (ssize_t i = 0; i < seq->n; i++)
        if (seq->items[i]->kind == PY_E_Starred)
            return true;
    return false;
}

/* Lists, tuples and sets (CPython's starunpack_helper). kind: PY_E_List,
 * PY_E_Tuple, PY_E_Set; pushed: values already on the stack that start
 * the sequence (class statement arguments). */
static int starunpack(compiler *c, py_expr_seq *elts, int kind, int pushed)
{
    ssize_t n = elts->n;
    bool starred = has_starred(elts);
    int build = kind == PY_E_Set ? OP_BUILD_SET : OP_BUILD_LIST;
    if (!starred && n + pushed <= STACK_USE_GUIDELINE) {
        CHECK(visit_exprs(c, elts));
        return emit(c, kind == PY_E_Tuple ? OP_BUILD_TUPLE : build, (uint32_t)(n + pushed));
    }
    /* Constant runs of a list or tuple: one LOAD_CONST of a tuple. */
    if (!starred && kind != PY_E_Set && pushed == 0 && n > 2) {
        bool all_const = true;
        for (ssize_t i = 0; i < n && all_const; i++)
            all_const = is_const(elts->items[i]);
        if (all_const) {
            ft_object *t = ft_tuple_new(n);
            if (!t)
                return py_err_from_ft_int();
            for (ssize_t i = 0; i < n; i++)
                ft_tuple_set_steal(t, i, ft_newref(elts->items[i]->v.Constant.value));
            if (kind == PY_E_Tuple)
                return emit_const_steal(c, t);
            CHECK(emit(c, OP_BUILD_LIST, 0));
            CHECK(emit_const_steal(c, t));
            return emit(c, OP_LIST_EXTEND, 1);
        }
    }
    /* Values before the first star go on the stack (unless too many). */
    ssize_t seen = 0;
    if (starred) {
        while (seen < n && elts->items[seen]->kind != PY_E_Starred &&
               seen + pushed < STACK_USE_GUIDELINE)
            CHECK(visit_expr(c, elts->items[seen++]));
    }
    CHECK(emit(c, build, (uint32_t)(seen + pushed)));
    for (ssize_t i = seen; i < n; i++) {
        py_expr *x = elts->items[i];
        if (x->kind == PY_E_Starred) {
            CHECK(visit_expr(c, x->v.Starred.value));
            CHECK(emit(c, kind == PY_E_Set ? OP_SET_UPDATE : OP_LIST_EXTEND, 1));
        } else {
            CHECK(visit_expr(c, x));
            CHECK(emit(c, kind == PY_E_Set ? OP_SET_ADD : OP_LIST_APPEND, 1));
        }
    }
    if (kind == PY_E_Tuple)
        CHECK(emit(c, OP_LIST_TO_TUPLE, 0));
    return 0;
}

static int compile_dict(compiler *c, py_expr *e)
{
    ssize_t n = e->v.Dict.values.n;
    bool unpack = false;
    for (ssize_t i = 0; i < n; i++)
        if (!e->v.Dict.keys.items[i])
            unpack = true;
    if (!unpack && n <= 16) {
        for (ssize_t i = 0; i < n; i++) {
            CHECK(visit_expr(c, e->v.Dict.keys.items[i]));
            CHECK(visit_expr(c, e->v.Dict.values.items[i]));
        }
        return emit(c, OP_BUILD_MAP, (uint32_t)n);
    }
    CHECK(emit(c, OP_BUILD_MAP, 0));
    for (ssize_t i = 0; i < n; i++) {
        py_expr *k = e->v.Dict.keys.items[i];
        if (!k) {
            CHECK(visit_expr(c, e->v.Dict.values.items[i]));
            CHECK(emit(c, OP_DICT_UPDATE, 1));
        } else {
            CHECK(visit_expr(c, k));
            CHECK(visit_expr(c, e->v.Dict.values.items[i]));
            CHECK(emit(c, OP_MAP_ADD, 1));
        }
    }
    return 0;
}

static int cmp_emit(compiler *c, int op)
{
    switch (op) {
    case PY_CMP_EQ: return emit(c, OP_COMPARE_OP, PY_EQ);
    case PY_CMP_NOTEQ: return emit(c, OP_COMPARE_OP, PY_NE);
    case PY_CMP_LT: return emit(c, OP_COMPARE_OP, PY_LT);
    case PY_CMP_LTE: return emit(c, OP_COMPARE_OP, PY_LE);
    case PY_CMP_GT: return emit(c, OP_COMPARE_OP, PY_GT);
    case PY_CMP_GTE: return emit(c, OP_COMPARE_OP, PY_GE);
    case PY_CMP_IS: return emit(c, OP_IS_OP, 0);
    case PY_CMP_ISNOT: return emit(c, OP_IS_OP, 1);
    case PY_CMP_IN: return emit(c, OP_CONTAINS_OP, 0);
    case PY_CMP_NOTIN: return emit(c, OP_CONTAINS_OP, 1);
    }
    return compile_error(c, "unknown comparison");
}

static int compile_compare(compiler *c, py_expr *e)
{
    ssize_t n = e->v.Compare.comparators.n;
    CHECK(visit_expr(c, e->v.Compare.left));
    if (n == 1) {
        CHECK(visit_expr(c, e->v.Compare.comparators.items[0]));
        return cmp_emit(c, e->v.Compare.ops[0]);
    }
    NEW_LABEL(cleanup);
    NEW_LABEL(end);
    for (ssize_t i = 0; i < n - 1; i++) {
        CHECK(visit_expr(c, e->v.Compare.comparators.items[i]));
        CHECK(emit(c, OP_SWAP, 2));
        CHECK(emit(c, OP_COPY, 2));
        CHECK(cmp_emit(c, e->v.Compare.ops[i]));
        CHECK(emit(c, OP_JUMP_IF_FALSE_OR_POP, (uint32_t)cleanup));
    }
    CHECK(visit_expr(c, e->v.Compare.comparators.items[n - 1]));
    CHECK(cmp_emit(c, e->v.Compare.ops[n - 1]));
    CHECK(emit(c, OP_JUMP, (uint32_t)end));
    use_label(c, cleanup);
    CHECK(emit(c, OP_SWAP, 2));
    CHECK(emit(c, OP_POP_TOP, 0));
    use_label(c, end);
    return 0;
}

/* Jumps to label when the truth of e is cond (CPython's compiler_jump_if). */
static int jump_if(compiler *c, py_expr *e, int label, bool cond)
{
    CHECK(enter_recursion(c));
    int rc;
    int truth = const_truth(e);
    if (truth >= 0) {
        rc = (truth != 0) == cond ? emit(c, OP_JUMP, (uint32_t)label) : 0;
    } else if (e->kind == PY_E_UnaryOp && e->v.UnaryOp.op == PY_UNARY_NOT) {
        rc = jump_if(c, e->v.UnaryOp.operand, label, !cond);
    } else if (e->kind == PY_E_BoolOp) {
        bool is_or = e->v.BoolOp.op == PY_BOOL_OR;
        int next2 = label;
        rc = 0;
        if (cond != is_or) {
            next2 = new_label(c);
            if (next2 < 0)
                rc = -1;
        }
        ssize_t n = e->v.BoolOp.values.n;
        for (ssize_t i = 0; rc == 0 && i < n - 1; i++)
            rc = jump_if(c, e->v.BoolOp.values.items[i], next2, is_or);
        if (rc == 0)
            rc = jump_if(c, e->v.BoolOp.values.items[n - 1], label, cond);
        if (rc == 0 && next2 != label)
            use_label(c, next2);
    } else if (e->kind == PY_E_IfExp) {
        int next2 = new_label(c), end = new_label(c);
        rc = next2 < 0 || end < 0 ? -1 : 0;
        if (rc == 0)
            rc = jump_if(c, e->v.IfExp.test, next2, false);
        if (rc == 0)
            rc = jump_if(c, e->v.IfExp.body, label, cond);
        if (rc == 0)
            rc = emit(c, OP_JUMP, (uint32_t)end);
        if (rc == 0) {
            use_label(c, next2);
            rc = jump_if(c, e->v.IfExp.orelse, label, cond);
        }
        if (rc == 0)
            use_label(c, end);
    } else {
        rc = visit_expr(c, e);
        if (rc == 0)
            rc = emit(c, cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, (uint32_t)label);
    }
    c->recursion--;
    return rc;
}

static int compile_boolop(compiler *c, py_expr *e)
{
    NEW_LABEL(end);
    int op = e->v.BoolOp.op == PY_BOOL_AND ? OP_JUMP_IF_FALSE_OR_POP : OP_JUMP_IF_TRUE_OR_POP;
    ssize_t n = e->v.BoolOp.values.n;
    for (ssize_t i = 0; i < n - 1; i++) {
        CHECK(visit_expr(c, e->v.BoolOp.values.items[i]));
        CHECK(emit(c, op, (uint32_t)end));
    }
    CHECK(visit_expr(c, e->v.BoolOp.values.items[n - 1]));
    use_label(c, end);
    return 0;
}

/* a + b + c + ...: the left spine iteratively, so that a flat expression
 * of any length compiles without deep recursion. */
static int compile_binop(compiler *c, py_expr *e)
{
    ssize_t depth = 0;
    for (py_expr *p = e; p->kind == PY_E_BinOp; p = p->v.BinOp.left)
        depth++;
    py_expr **spine = ft_malloc(sizeof(py_expr *) * (size_t)depth);
    if (!spine)
        return py_err_from_ft_int();
    py_expr *p = e;
    for (ssize_t i = 0; i < depth; i++, p = p->v.BinOp.left)
        spine[i] = p;
    int rc = visit_expr(c, p);
    loc saved = c->u->loc;
    for (ssize_t i = depth - 1; rc == 0 && i >= 0; i--) {
        rc = visit_expr(c, spine[i]->v.BinOp.right);
        c->u->loc = LOC_OF(spine[i]);
        if (rc == 0)
            rc = emit(c, OP_BINARY_OP, (uint32_t)spine[i]->v.BinOp.op);
    }
    c->u->loc = saved;
    ft_free(spine);
    return rc;
}

static int compile_slice(compiler *c, py_expr *e)
{
    if (e->v.Slice.lower)
        CHECK(visit_expr(c, e->v.Slice.lower));
    else
        CHECK(emit_none(c));
    if (e->v.Slice.upper)
        CHECK(visit_expr(c, e->v.Slice.upper));
    else
        CHECK(emit_none(c));
    if (e->v.Slice.step) {
        CHECK(visit_expr(c, e->v.Slice.step));
        return emit(c, OP_BUILD_SLICE, 3);
    }
    return emit(c, OP_BUILD_SLICE, 2);
}

/* A kwnames tuple of the keywords [from, to) (all named). */
static int emit_kwnames(compiler *c, py_keyword_seq *kws)
{
    ft_object *t = ft_tuple_new(kws->n);
    if (!t)
        return py_err_from_ft_int();
    for (ssize_t i = 0; i < kws->n; i++)
        ft_tuple_set_steal(t, i, ft_newref(kws->items[i]->arg));
    return emit_const_steal(c, t);
}

static bool keywords_unpack(py_keyword_seq *kws)
{
    for (ssize_t i = 0; i < kws->n; i++)
        if (!kws->items[i]->arg)
            return true;
    return false;
}

static int validate_keywords(compiler *c, py_keyword_seq *kws)
{
    for (ssize_t i = 0; i < kws->n; i++) {
        ft_object *k = kws->items[i]->arg;
        if (!k)
            continue;
        CHECK(forbidden_name(c, k, CTX_STORE));
        for (ssize_t j = i + 1; j < kws->n; j++) {
            if (kws->items[j]->arg == k) {
                char msg[300];
                snprintf(msg, sizeof msg, "keyword argument repeated: %s",
                         ft_str_utf8_borrow(k, NULL));
                return compile_error_at(c, LOC_OF(kws->items[j]), msg);
            }
        }
    }
    return 0;
}

/* The kwargs dict of a CALL_EX (CPython's compiler_call_helper, the
 * keyword part). Leaves one dict on the stack. */
static int compile_kwargs_dict(compiler *c, py_keyword_seq *kws)
{
    bool have_dict = false;
    ssize_t run = 0;
    for (ssize_t i = 0; i < kws->n; i++) {
        py_keyword *kw = kws->items[i];
        if (kw->arg) {
            ft_object *k = kw->arg;
            CHECK(emit_const(c, k));
            CHECK(visit_expr(c, kw->value));
            run++;
            continue;
        }
        if (run) {
            CHECK(emit(c, OP_BUILD_MAP, (uint32_t)run));
            if (have_dict)
                CHECK(emit(c, OP_DICT_MERGE, 1));
            have_dict = true;
            run = 0;
        }
        if (!have_dict) {
            CHECK(emit(c, OP_BUILD_MAP, 0));
            have_dict = true;
        }
        CHECK(visit_expr(c, kw->value));
        CHECK(emit(c, OP_DICT_MERGE, 1));
    }
    if (run) {
        CHECK(emit(c, OP_BUILD_MAP, (uint32_t)run));
        if (have_dict)
            CHECK(emit(c, OP_DICT_MERGE, 1));
    }
    return 0;
}

/* The arguments of a call whose callable (and NULL/self) is on the stack;
 * pushed: arguments already on the stack (class statements). */
static int call_helper(compiler *c, int pushed, py_expr_seq *args, py_keyword_seq *kws,
                       bool has_null)
{
    CHECK(validate_keywords(c, kws));
    if (!has_starred(args) && !keywords_unpack(kws)) {
        if (!has_null) {
            /* Only class statements get here without the NULL slot. */
            return py_err_format_int(py_exc_SystemError, "compiler: call without NULL");
        }
        CHECK(visit_exprs(c, args));
        if (kws->n) {
            for (ssize_t i = 0; i < kws->n; i++)
                CHECK(visit_expr(c, kws->items[i]->value));
            CHECK(emit_kwnames(c, kws));
            return emit(c, OP_CALL_KW, (uint32_t)(pushed + args->n + kws->n));
        }
        return emit(c, OP_CALL, (uint32_t)(pushed + args->n));
    }
    /* CALL_EX: (f, args_tuple[, kwargs]) */
    CHECK(starunpack(c, args, PY_E_Tuple, pushed));
    if (kws->n) {
        CHECK(compile_kwargs_dict(c, kws));
        return emit(c, OP_CALL_EX, 1);
    }
    return emit(c, OP_CALL_EX, 0);
}

static int compile_call(compiler *c, py_expr *e)
{
    py_expr *f = e->v.Call.func;
    bool ex = has_starred(&e->v.Call.args) || keywords_unpack(&e->v.Call.keywords);
    if (f->kind == PY_E_Attribute && f->v.Attribute.ctx == PY_LOAD && !ex) {
        CHECK(visit_expr(c, f->v.Attribute.value));
        loc saved = c->u->loc;
        c->u->loc = LOC_OF(f);
        CHECK(emit_attr(c, OP_LOAD_METHOD, f->v.Attribute.attr));
        c->u->loc = saved;
        return call_helper(c, 0, &e->v.Call.args, &e->v.Call.keywords, true);
    }
    CHECK(visit_expr(c, f));
    if (ex)
        return call_helper(c, 0, &e->v.Call.args, &e->v.Call.keywords, false);
    CHECK(emit(c, OP_PUSH_NULL, 0));
    return call_helper(c, 0, &e->v.Call.args, &e->v.Call.keywords, true);
}

static int compile_formatted(compiler *c, py_expr *e)
{
    CHECK(visit_expr(c, e->v.FormattedValue.value));
    uint32_t flags = 0;
    switch (e->v.FormattedValue.conversion) {
    case 's': flags = 1; break;
    case 'r': flags = 2; break;
    case 'a': flags = 3; break;
    default: break;
    }
    if (e->v.FormattedValue.format_spec) {
        CHECK(visit_expr(c, e->v.FormattedValue.format_spec));
        flags |= 4;
    }
    return emit(c, OP_FORMAT_VALUE, flags);
}

static int compile_joined(compiler *c, py_expr *e)
{
    py_expr_seq *v = &e->v.JoinedStr.values;
    if (v->n == 0) {
        ft_object *empty = ft_str_from_utf8("", 0);
        return emit_const_steal(c, empty);
    }
    if (v->n == 1)
        return visit_expr(c, v->items[0]);
    if (v->n > STACK_USE_GUIDELINE) {
        /* Many parts: join them pairwise as strs (all parts are strs). */
        CHECK(visit_expr(c, v->items[0]));
        for (ssize_t i = 1; i < v->n; i++) {
            CHECK(visit_expr(c, v->items[i]));
            CHECK(emit(c, OP_BUILD_STRING, 2));
        }
        return 0;
    }
    CHECK(visit_exprs(c, v));
    return emit(c, OP_BUILD_STRING, (uint32_t)v->n);
}

/* ---- the assembler ---------------------------------------------------------------- */
/* Stack effect of an instruction; for jumps, `jump` selects the effect
 * when the jump is taken. */
static int stack_effect(int op, uint32_t arg, bool jump)
{
    switch (op) {
    case OP_NOP: case OP_SWAP: case OP_DELETE_FAST: case OP_DELETE_DEREF:
    case OP_DELETE_NAME: case OP_DELETE_GLOBAL: case OP_LOAD_ATTR:
    case OP_UNARY_OP: case OP_UNARY_NOT: case OP_LIST_TO_TUPLE:
    case OP_JUMP: case OP_JUMP_BACKWARD: case OP_GET_ITER:
    case OP_YIELD_VALUE: case OP_GET_YIELD_FROM_ITER: case OP_POP_BLOCK:
    case OP_CHECK_EXC_MATCH: case OP_SETUP_ANNOTATIONS:
        return 0;
    case OP_POP_TOP: case OP_STORE_FAST: case OP_STORE_DEREF: case OP_STORE_NAME:
    case OP_STORE_GLOBAL: case OP_DELETE_ATTR: case OP_BINARY_OP: case OP_COMPARE_OP:
    case OP_IS_OP: case OP_CONTAINS_OP: case OP_BINARY_SUBSCR: case OP_LIST_APPEND:
    case OP_SET_ADD: case OP_LIST_EXTEND: case OP_SET_UPDATE: case OP_DICT_UPDATE:
    case OP_DICT_MERGE: case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE:
    case OP_POP_JUMP_IF_NONE: case OP_POP_JUMP_IF_NOT_NONE: case OP_RETURN_VALUE:
    case OP_POP_EXCEPT: case OP_RERAISE: case OP_WITH_EXIT_NORMAL:
    case OP_IMPORT_NAME: case OP_IMPORT_STAR: case OP_PRINT_EXPR:
        return -1;
    case OP_PUSH_NULL: case OP_COPY: case OP_LOAD_CONST: case OP_LOAD_FAST:
    case OP_LOAD_FAST__LOAD_ATTR: case OP_LOAD_FAST__STORE_ATTR:
    case OP_LOAD_FAST__BINARY_OP: case OP_LOAD_FAST__POP_JUMP_IF_FALSE:
    case OP_LOAD_FAST__POP_JUMP_IF_TRUE: case OP_LOAD_FAST__POP_JUMP_IF_NONE:
    case OP_LOAD_FAST__POP_JUMP_IF_NOT_NONE: case OP_LOAD_FAST__LOAD_FAST__BINARY_OP:
    case OP_LOAD_FAST__LOAD_CONST__BINARY_OP: case OP_LOAD_CONST__BINARY_OP:
    case OP_LOAD_FAST__LOAD_FAST__COMPARE: case OP_LOAD_FAST__LOAD_CONST__COMPARE:
    case OP_LOAD_FAST__BINARY_SUBSCR: case OP_LOAD_FAST__LOAD_FAST__BINARY_SUBSCR:
    case OP_LOAD_FAST__LOAD_CONST__BINARY_SUBSCR: case OP_LOAD_FAST__UNPACK_SEQUENCE:
    case OP_LOAD_FAST__LOAD_FAST__STORE_ATTR:
    case OP_COPY__COPY__BINARY_SUBSCR:
    case OP_LOAD_DEREF: case OP_LOAD_CLOSURE: case OP_LOAD_CLASSDEREF:
    case OP_LOAD_NAME: case OP_LOAD_GLOBAL: case OP_LOAD_METHOD:
    case OP_LOAD_BUILD_CLASS: case OP_LOAD_ASSERTION_ERROR: case OP_PUSH_EXC_INFO:
    case OP_BEFORE_WITH: case OP_WITH_EXCEPT_START: case OP_IMPORT_FROM:
    case OP_GET_LEN:
        return 1;
    case OP_STORE_ATTR: case OP_DELETE_SUBSCR: case OP_MAP_ADD:
        return -2;
    case OP_STORE_SUBSCR:
        return -3;
    case OP_BUILD_SLICE: case OP_BUILD_SLICE__BINARY_SUBSCR:
    case OP_BUILD_SLICE__STORE_SUBSCR: case OP_BUILD_TUPLE: case OP_BUILD_LIST: case OP_BUILD_SET:
    case OP_BUILD_STRING:
        return 1 - (int)arg;
    case OP_BUILD_MAP:
        return 1 - 2 * (int)arg;
    case OP_BUILD_CONST_KEY_MAP:
        return -(int)arg;
    case OP_UNPACK_SEQUENCE:
        return (int)arg - 1;
    case OP_UNPACK_EX:
        return (int)(arg & 0xff) + (int)(arg >> 8);
    case OP_FORMAT_VALUE:
        return arg & 4 ? -1 : 0;
    case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP:
        return jump ? 0 : -1;
    case OP_FOR_ITER:
        return jump ? -1 : 1;
    case OP_SEND:
        return jump ? -1 : 0;
    case OP_CALL:
        return -(int)arg - 1;
    case OP_CALL_KW:
        return -(int)arg - 2;
    case OP_CALL_EX:
        return -1 - (int)arg;
    case OP_MAKE_FUNCTION:
        return -(!!(arg & 1) + !!(arg & 2) + !!(arg & 4) + !!(arg & 8));
    case OP_SETUP_FINALLY:
        return jump ? 1 : 0;
    case OP_RAISE_VARARGS:
        return -(int)arg;
    default:
        return 0;
    }
}

static bool is_terminator(int op)
{
    return op == OP_RETURN_VALUE || op == OP_RERAISE || op == OP_RAISE_VARARGS ||
           op == OP_JUMP || op == OP_JUMP_BACKWARD;
}

typedef struct depth_state { int stack, blocks; } depth_state;

/* Follows every path from instruction 0: the deepest value stack and
 * block stack. -1 with SystemError on an inconsistency (a compiler bug). */
static int compute_depths(compiler *c, uint32_t *code, ssize_t n, int *maxstack, int *maxblocks)
{
    depth_state *seen = ft_malloc(sizeof(depth_state) * (size_t)(n + 1));
    ssize_t *work = ft_malloc(sizeof(ssize_t) * (size_t)(n + 1));
    if (!seen || !work) {
        ft_free(seen);
        ft_free(work);
        return py_err_from_ft_int();
    }
    for (ssize_t i = 0; i <= n; i++)
        seen[i].stack = -1;
    ssize_t nwork = 0;
    int ms = 0, mb = 0, rc = 0;
    seen[0] = (depth_state){ 0, 0 };
    work[nwork++] = 0;
#define VISIT(target, st, bl) do {                                           \
        ssize_t t_ = (target);                                               \
        if (t_ < 0 || t_ > n || (st) < 0 || (bl) < 0) { rc = -1; goto done; } \
        if (seen[t_].stack < 0) {                                            \
            seen[t_] = (depth_state){ (st), (bl) };                          \
            work[nwork++] = t_;                                              \
        } else if (seen[t_].stack != (st) || seen[t_].blocks != (bl)) {      \
            rc = -1; goto done;                                              \
        }                                                                    \
    } while (0)
    while (nwork) {
        ssize_t i = work[--nwork];
        int st = seen[i].stack, bl = seen[i].blocks;
        for (;;) {
            int op = py_instr_op(code[i]);
            uint32_t arg = py_instr_arg(code[i]);
            if (py_opcode_is_jump[op]) {
                int jst = st + stack_effect(op, arg, true);
                if (jst > ms) ms = jst;
                VISIT(arg, jst, bl);
            }
            st += stack_effect(op, arg, false);
            if (st > ms) ms = st;
            if (op == OP_SETUP_FINALLY)
                bl++;
            else if (op == OP_POP_BLOCK)
                bl--;
            if (bl > mb) mb = bl;
            if (is_terminator(op))
                break;
            /* Falling off the end of the code is a compiler bug. */
            if (++i >= n) {
                rc = -1;
                goto done;
            }
            if (seen[i].stack >= 0) {
                VISIT(i, st, bl);
                break;
            }
            if (st < 0 || bl < 0) {
                rc = -1;
                goto done;
            }
            seen[i] = (depth_state){ st, bl };
        }
    }
#undef VISIT
done:
    ft_free(seen);
    ft_free(work);
    if (rc < 0) {
        py_err_format(py_exc_SystemError, "compiler: inconsistent stack depth in %s",
                      ft_str_utf8_borrow(c->u->name, NULL));
        return -1;
    }
    *maxstack = ms;
    *maxblocks = mb;
    return 0;
}

/* The assembler's last pass (opcode.h, "Pairs"): a LOAD_FAST followed
 * by an instruction that only looks at the value for its own duration
 * becomes the pair, a LOAD_CONST followed by BINARY_OP too, a
 * BUILD_SLICE followed by BINARY_SUBSCR or STORE_SUBSCR, and a
 * LOAD_FAST before a LOAD_FAST or LOAD_CONST and a BINARY_OP, a
 * comparison (COMPARE_OP, IS_OP, CONTAINS_OP) or a BINARY_SUBSCR the
 * triple, COPY 2; COPY 2; BINARY_SUBSCR its triple (the next iteration makes the pair after it: the loop goes forward,
 * so code[i + 1] is still unpaired when code[i] looks at it). After the
 * depths: a pair's effect is its first half's, and the halves after
 * the first stay where they were. */
static void pair_instructions(uint32_t *code, ssize_t n)
{
    for (ssize_t i = 0; i + 1 < n; i++) {
        int op = py_instr_op(code[i]), next = py_instr_op(code[i + 1]);
        if (op == OP_LOAD_CONST) {
            if (next == OP_BINARY_OP)
                code[i] = py_instr(OP_LOAD_CONST__BINARY_OP, py_instr_arg(code[i]));
            continue;
        }
        if (op == OP_COPY) {
            if (py_instr_arg(code[i]) == 2 && next == OP_COPY &&
                py_instr_arg(code[i + 1]) == 2 && i + 2 < n &&
                py_instr_op(code[i + 2]) == OP_BINARY_SUBSCR)
                code[i] = py_instr(OP_COPY__COPY__BINARY_SUBSCR, 2);
            continue;
        }
        if (op == OP_BUILD_SLICE) {
            if (next == OP_BINARY_SUBSCR || next == OP_STORE_SUBSCR)
                code[i] = py_instr(next == OP_BINARY_SUBSCR ? OP_BUILD_SLICE__BINARY_SUBSCR
                                                            : OP_BUILD_SLICE__STORE_SUBSCR,
                                   py_instr_arg(code[i]));
            continue;
        }
        if (op != OP_LOAD_FAST)
            continue;
        if (i + 2 < n && (next == OP_LOAD_FAST || next == OP_LOAD_CONST)) {
            bool fast = next == OP_LOAD_FAST;
            int triple;
            switch (py_instr_op(code[i + 2])) {
            case OP_BINARY_OP:
                triple = fast ? OP_LOAD_FAST__LOAD_FAST__BINARY_OP
                              : OP_LOAD_FAST__LOAD_CONST__BINARY_OP;
                break;
            case OP_COMPARE_OP:
            case OP_IS_OP:
            case OP_CONTAINS_OP:
                triple = fast ? OP_LOAD_FAST__LOAD_FAST__COMPARE
                              : OP_LOAD_FAST__LOAD_CONST__COMPARE;
                break;
            case OP_BINARY_SUBSCR:
                triple = fast ? OP_LOAD_FAST__LOAD_FAST__BINARY_SUBSCR
                              : OP_LOAD_FAST__LOAD_CONST__BINARY_SUBSCR;
                break;
            case OP_STORE_ATTR:
                triple = fast ? OP_LOAD_FAST__LOAD_FAST__STORE_ATTR : -1;
                break;
            default:
                triple = -1;
                break;
            }
            if (triple >= 0) {
                code[i] = py_instr(triple, py_instr_arg(code[i]));
                continue;
            }
        }
        int pair;
        switch (next) {
        case OP_LOAD_ATTR:  pair = OP_LOAD_FAST__LOAD_ATTR; break;
        case OP_STORE_ATTR: pair = OP_LOAD_FAST__STORE_ATTR; break;
        case OP_BINARY_OP:  pair = OP_LOAD_FAST__BINARY_OP; break;
        case OP_BINARY_SUBSCR: pair = OP_LOAD_FAST__BINARY_SUBSCR; break;
        case OP_UNPACK_SEQUENCE: pair = OP_LOAD_FAST__UNPACK_SEQUENCE; break;
        case OP_POP_JUMP_IF_FALSE: pair = OP_LOAD_FAST__POP_JUMP_IF_FALSE; break;
        case OP_POP_JUMP_IF_TRUE:  pair = OP_LOAD_FAST__POP_JUMP_IF_TRUE; break;
        case OP_POP_JUMP_IF_NONE:  pair = OP_LOAD_FAST__POP_JUMP_IF_NONE; break;
        case OP_POP_JUMP_IF_NOT_NONE: pair = OP_LOAD_FAST__POP_JUMP_IF_NOT_NONE; break;
        default: continue;
        }
        code[i] = py_instr(pair, py_instr_arg(code[i]));
    }
}

static ft_object *list_to_tuple(ft_object *list)
{
    ssize_t n = ft_len(list);
    ft_object *t = ft_tuple_new(n);
    if (!t)
        return py_err_from_ft();
    for (ssize_t i = 0; i < n; i++) {
        ft_object *v = ft_list_get(list, i);
        if (!v || ft_tuple_set_steal(t, i, v) < 0) {
            ft_decref(t);
            return py_err_from_ft();
        }
    }
    return t;
}

/* Makes the code object of the current unit. */
static ft_object *assemble(compiler *c)
{
    unit *u = c->u;
    ssize_t n = u->ncode;
    uint32_t *code = ft_malloc(sizeof(uint32_t) * (size_t)(n ? n : 1));
    int32_t *lines = ft_malloc(sizeof(int32_t) * (size_t)(n ? n : 1));
    ft_object *consts = NULL, *names = NULL, *varnames = NULL, *result = NULL;
    if (!code || !lines) {
        py_err_from_ft();
        goto done;
    }
    for (ssize_t i = 0; i < n; i++) {
        instr *in = &u->code[i];
        uint32_t arg = in->arg;
        int op = in->op;
        if (py_opcode_is_jump[op]) {
            ssize_t target = u->labels[arg];
            if (target < 0) {
                py_err_format(py_exc_SystemError, "compiler: unplaced label");
                goto done;
            }
            arg = (uint32_t)target;
            if (op == OP_JUMP || op == OP_JUMP_BACKWARD)
                op = target <= i ? OP_JUMP_BACKWARD : OP_JUMP;
        }
        code[i] = py_instr(op, arg);
        lines[i] = in->line;
    }
    int maxstack, maxblocks;
    if (compute_depths(c, code, n, &maxstack, &maxblocks) < 0)
        goto done;
    pair_instructions(code, n);
    consts = list_to_tuple(u->consts);
    names = consts ? list_to_tuple(u->names) : NULL;
    varnames = names ? list_to_tuple(u->varnames) : NULL;
    if (!varnames)
        goto done;
    int flags = 0;
    py_ste *ste = u->ste;
    if (ste->kind == PY_BLOCK_FUNCTION) {
        flags |= PY_CO_OPTIMIZED | PY_CO_NEWLOCALS;
        if (ste->nested)
            flags |= PY_CO_NESTED;
        if (ste->generator)
            flags |= PY_CO_GENERATOR;
        if (ste->has_varargs)
            flags |= PY_CO_VARARGS;
        if (ste->has_varkw)
            flags |= PY_CO_VARKEYWORDS;
    }
    if (ft_len(u->cellvars) == 0 && ft_len(u->freevars) == 0)
        flags |= PY_CO_NOFREE;
    flags |= u->flags;
    if (c->future_annotations)
        flags |= PY_CO_FUTURE_ANNOTATIONS;
    py_code_spec spec = {
        .code = code, .lines = lines, .ncode = n,
        .consts = consts, .names = names, .varnames = varnames,
        .cellvars = u->cellvars, .freevars = u->freevars,
        .name = u->name, .qualname = u->qualname, .filename = c->filename,
        .argcount = u->argcount, .posonlyargcount = u->posonly,
        .kwonlyargcount = u->kwonly, .stacksize = maxstack, .maxblocks = maxblocks,
        .flags = flags, .firstlineno = u->firstlineno,
    };
    result = py_code_new(&spec);
done:
    ft_free(code);
    ft_free(lines);
    ft_xdecref(consts);
    ft_xdecref(names);
    ft_xdecref(varnames);
    return result;
}

/* ---- functions, classes, comprehensions ------------------------------------------ */
/* The __qualname__ of a new unit called name inside the current unit
 * (CPython's compiler_set_qualname). A new reference. */
static ft_object *make_qualname(compiler *c, ft_object *name, bool check_global)
{
    unit *p = c->u;
    if (p->scope == U_MODULE)
        return ft_newref(name);
    if (check_global) {
        ft_object *m = py_mangle(p->private_name, name);
        if (!m)
            return NULL;
        int scope = py_ste_scope(p->ste, m);
        ft_decref(m);
        if (scope == PY_SCOPE_GLOBAL_EXPLICIT)
            return ft_newref(name);
    }
    const char *base = ft_str_utf8_borrow(p->qualname, NULL);
    const char *sep = p->scope == U_FUNCTION || p->scope == U_LAMBDA ? ".<locals>." : ".";
    return py_str_from_format("%s%s%s", base, sep, ft_str_utf8_borrow(name, NULL));
}

/* Pushes the function for code (closure cells first) and MAKE_FUNCTION. */
static int make_closure(compiler *c, ft_object *codeobj, uint32_t flags)
{
    py_code *co = py_as_code(codeobj);
    ssize_t nfree = ft_len(co->co_freevars);
    if (nfree) {
        unit *u = c->u;
        for (ssize_t i = 0; i < nfree; i++) {
            ft_object *name = ft_tuple_get_borrow(co->co_freevars, i);
            ssize_t idx;
            bool cell = (name == PY_ID(__class__) && u->ste->needs_class_closure) ||
                        py_ste_scope(u->ste, name) == PY_SCOPE_CELL;
            int found = dict_index(cell ? u->cell_map : u->free_map, name, &idx);
            if (found <= 0) {
                if (found == 0)
                    py_err_format(py_exc_SystemError, "compiler: lookup of free '%s' in %s",
                                  ft_str_utf8_borrow(name, NULL),
                                  ft_str_utf8_borrow(u->name, NULL));
                return -1;
            }
            CHECK(emit(c, OP_LOAD_CLOSURE, (uint32_t)idx));
        }
        CHECK(emit(c, OP_BUILD_TUPLE, (uint32_t)nfree));
        flags |= 8;
    }
    CHECK(emit_const(c, codeobj));
    return emit(c, OP_MAKE_FUNCTION, flags);
}

/* Defaults and keyword-only defaults: the MAKE_FUNCTION flags. */
static int compile_defaults(compiler *c, py_arguments *a, uint32_t *flags)
{
    *flags = 0;
    if (a->defaults.n) {
        CHECK(visit_exprs(c, &a->defaults));
        CHECK(emit(c, OP_BUILD_TUPLE, (uint32_t)a->defaults.n));
        *flags |= 1;
    }
    ssize_t nkw = 0;
    for (ssize_t i = 0; i < a->kwonlyargs.n; i++) {
        py_expr *d = i < a->kw_defaults.n ? a->kw_defaults.items[i] : NULL;
        if (!d)
            continue;
        ft_object *m = py_mangle(c->u->private_name, a->kwonlyargs.items[i]->arg);
        if (!m)
            return -1;
        CHECK(emit_const_steal(c, m));
        CHECK(visit_expr(c, d));
        nkw++;
    }
    if (nkw) {
        CHECK(emit(c, OP_BUILD_MAP, (uint32_t)nkw));
        *flags |= 2;
    }
    return 0;
}

/* A parameter named __debug__ (CPython's compiler_check_debug_args). */
static int check_debug_args(compiler *c, py_arguments *a)
{
    py_arg_seq *seqs[3] = { &a->posonlyargs, &a->args, &a->kwonlyargs };
    for (int k = 0; k < 3; k++)
        for (ssize_t i = 0; i < seqs[k]->n; i++)
            CHECK(forbidden_name(c, seqs[k]->items[i]->arg, CTX_STORE));
    if (a->vararg)
        CHECK(forbidden_name(c, a->vararg->arg, CTX_STORE));
    if (a->kwarg)
        CHECK(forbidden_name(c, a->kwarg->arg, CTX_STORE));
    return 0;
}

/* An annotation's value: evaluated, or its source text under `from
 * __future__ import annotations` (CPython's annexpr). */
static int visit_annotation(compiler *c, py_expr *ann)
{
    if (c->future_annotations)
        return emit_const_steal(c, py_expr_unparse(ann));
    return visit_expr(c, ann);
}

/* One `name: annotation` pair of a def: pushes the mangled name and the
 * evaluated annotation (nothing when there is none). */
static int push_argannotation(compiler *c, ft_object *name, py_expr *ann, uint32_t *n)
{
    if (!ann)
        return 0;
    ft_object *m = py_mangle(c->u->private_name, name);
    if (!m)
        return -1;
    CHECK(emit_const_steal(c, m));
    if (ann->kind == PY_E_Starred && !c->future_annotations) {
        /* *args: *Ts is [value] = [*Ts] (PEP 646, as CPython 3.11) */
        CHECK(visit_expr(c, ann->v.Starred.value));
        CHECK(emit(c, OP_UNPACK_SEQUENCE, 1));
    } else {
        CHECK(visit_annotation(c, ann));
    }
    (*n)++;
    return 0;
}

static int push_argannotations(compiler *c, py_arg_seq *args, uint32_t *n)
{
    for (ssize_t i = 0; i < args->n; i++)
        CHECK(push_argannotation(c, args->items[i]->arg, args->items[i]->annotation, n));
    return 0;
}

/* The function's __annotations__ dict, in CPython 3.11's order (args,
 * then positional-only, *args, keyword-only, **kwargs, return): adds
 * MAKE_FUNCTION flag 4 when there is at least one annotation. */
static int compile_annotations(compiler *c, py_arguments *a, py_expr *returns,
                               uint32_t *flags)
{
    uint32_t n = 0;
    CHECK(push_argannotations(c, &a->args, &n));
    CHECK(push_argannotations(c, &a->posonlyargs, &n));
    if (a->vararg)
        CHECK(push_argannotation(c, a->vararg->arg, a->vararg->annotation, &n));
    CHECK(push_argannotations(c, &a->kwonlyargs, &n));
    if (a->kwarg)
        CHECK(push_argannotation(c, a->kwarg->arg, a->kwarg->annotation, &n));
    if (returns) {
        ft_object *ret = py_intern_cstr("return");
        if (!ret)
            return -1;
        int rc = push_argannotation(c, ret, returns, &n);
        ft_decref(ret);
        CHECK(rc);
    }
    if (n) {
        CHECK(emit(c, OP_BUILD_MAP, n));
        *flags |= 4;
    }
    return 0;
}

static py_ste *block_of(compiler *c, const void *key)
{
    py_ste *ste = py_symtable_lookup(c->st, key);
    if (!ste)
        py_err_format(py_exc_SystemError, "compiler: no symbol table block");
    return ste;
}

static void set_arg_counts(unit *u, py_arguments *a)
{
    u->argcount = (int)(a->posonlyargs.n + a->args.n);
    u->posonly = (int)a->posonlyargs.n;
    u->kwonly = (int)a->kwonlyargs.n;
}

static bool has_docstring(py_stmt_seq *body)
{
    return body->n > 0 && body->items[0]->kind == PY_S_Expr &&
           is_str_const(body->items[0]->v.Expr.value);
}

static int compile_function(compiler *c, py_stmt *s)
{
    py_expr_seq *decos = &s->v.FunctionDef.decorator_list;
    py_arguments *a = s->v.FunctionDef.args;
    CHECK(check_debug_args(c, a));
    for (ssize_t i = 0; i < decos->n; i++) {
        CHECK(visit_expr(c, decos->items[i]));
        CHECK(emit(c, OP_PUSH_NULL, 0));
    }
    uint32_t flags;
    CHECK(compile_defaults(c, a, &flags));
    CHECK(compile_annotations(c, a, s->v.FunctionDef.returns, &flags));
    py_ste *ste = block_of(c, s);
    if (!ste)
        return -1;
    ft_object *qualname = make_qualname(c, s->v.FunctionDef.name, true);
    if (!qualname)
        return -1;
    int firstline = s->lineno;
    if (decos->n)
        firstline = decos->items[0]->lineno;
    int rc = enter_unit(c, ste, s->v.FunctionDef.name, U_FUNCTION, qualname, firstline);
    ft_decref(qualname);
    CHECK(rc);
    unit *u = c->u;
    set_arg_counts(u, a);
    py_stmt_seq *body = &s->v.FunctionDef.body;
    ssize_t start = 0;
    if (has_docstring(body)) {
        CHECK(add_const(c, body->items[0]->v.Expr.value->v.Constant.value));
        u->flags |= PY_CO_HAS_DOCSTRING;
        start = 1;
    }
    for (ssize_t i = start; i < body->n; i++)
        CHECK(visit_stmt(c, body->items[i]));
    CHECK(emit_none(c));
    CHECK(emit(c, OP_RETURN_VALUE, 0));
    ft_object *co = assemble(c);
    if (!co)
        return -1;
    exit_unit(c);
    c->u->loc = LOC_OF(s);
    rc = make_closure(c, co, flags);
    ft_decref(co);
    CHECK(rc);
    for (ssize_t i = 0; i < decos->n; i++)
        CHECK(emit(c, OP_CALL, 1));
    return nameop(c, s->v.FunctionDef.name, CTX_STORE);
}

static int compile_lambda(compiler *c, py_expr *e)
{
    py_arguments *a = e->v.Lambda.args;
    CHECK(check_debug_args(c, a));
    uint32_t flags;
    CHECK(compile_defaults(c, a, &flags));
    py_ste *ste = block_of(c, e);
    if (!ste)
        return -1;
    ft_object *name = ste->name;
    ft_object *qualname = make_qualname(c, name, false);
    if (!qualname)
        return -1;
    int rc = enter_unit(c, ste, name, U_LAMBDA, qualname, e->lineno);
    ft_decref(qualname);
    CHECK(rc);
    set_arg_counts(c->u, a);
    CHECK(visit_expr(c, e->v.Lambda.body));
    if (ste->generator) {
        CHECK(emit(c, OP_POP_TOP, 0));
        CHECK(emit_none(c));
    }
    CHECK(emit(c, OP_RETURN_VALUE, 0));
    ft_object *co = assemble(c);
    if (!co)
        return -1;
    exit_unit(c);
    rc = make_closure(c, co, flags);
    ft_decref(co);
    return rc;
}

static int assign_target(compiler *c, py_expr *t);

/* One `for` clause of a comprehension and everything inside it
 * (CPython's compiler_sync_comprehension_generator). */
static int comprehension_generator(compiler *c, py_comprehension_seq *gens, ssize_t gi,
                                   int depth, py_expr *elt, py_expr *val, int kind)
{
    CHECK(enter_recursion(c));
    py_comprehension *g = gens->items[gi];
    NEW_LABEL(start);
    NEW_LABEL(if_cleanup);
    NEW_LABEL(anchor);
    if (gi == 0) {
        CHECK(emit(c, OP_LOAD_FAST, 0));     /* .0, the iterator argument */
    } else {
        CHECK(visit_expr(c, g->iter));
        CHECK(emit(c, OP_GET_ITER, 0));
    }
    use_label(c, start);
    CHECK(emit(c, OP_FOR_ITER, (uint32_t)anchor));
    depth++;
    CHECK(assign_target(c, g->target));
    for (ssize_t i = 0; i < g->ifs.n; i++)
        CHECK(jump_if(c, g->ifs.items[i], if_cleanup, false));
    if (gi + 1 < gens->n) {
        CHECK(comprehension_generator(c, gens, gi + 1, depth, elt, val, kind));
    } else {
        switch (kind) {
        case PY_COMP_GEN:
            CHECK(visit_expr(c, elt));
            CHECK(emit(c, OP_YIELD_VALUE, 0));
            CHECK(emit(c, OP_POP_TOP, 0));
            break;
        case PY_COMP_LIST:
            CHECK(visit_expr(c, elt));
            CHECK(emit(c, OP_LIST_APPEND, (uint32_t)depth + 1));
            break;
        case PY_COMP_SET:
            CHECK(visit_expr(c, elt));
            CHECK(emit(c, OP_SET_ADD, (uint32_t)depth + 1));
            break;
        default:
            CHECK(visit_expr(c, elt));
            CHECK(visit_expr(c, val));
            CHECK(emit(c, OP_MAP_ADD, (uint32_t)depth + 1));
            break;
        }
    }
    use_label(c, if_cleanup);
    CHECK(emit(c, OP_JUMP, (uint32_t)start));
    use_label(c, anchor);
    c->recursion--;
    return 0;
}

static int compile_comprehension(compiler *c, py_expr *e, int kind,
                                 py_comprehension_seq *gens, py_expr *elt, py_expr *val)
{
    py_ste *ste = block_of(c, e);
    if (!ste)
        return -1;
    ft_object *qualname = make_qualname(c, ste->name, false);
    if (!qualname)
        return -1;
    int rc = enter_unit(c, ste, ste->name, U_COMPREHENSION, qualname, e->lineno);
    ft_decref(qualname);
    CHECK(rc);
    c->u->argcount = 1;
    c->u->loc = LOC_OF(e);
    if (kind == PY_COMP_LIST)
        CHECK(emit(c, OP_BUILD_LIST, 0));
    else if (kind == PY_COMP_SET)
        CHECK(emit(c, OP_BUILD_SET, 0));
    else if (kind == PY_COMP_DICT)
        CHECK(emit(c, OP_BUILD_MAP, 0));
    CHECK(comprehension_generator(c, gens, 0, 0, elt, val, kind));
    if (kind == PY_COMP_GEN)
        CHECK(emit_none(c));
    CHECK(emit(c, OP_RETURN_VALUE, 0));
    ft_object *co = assemble(c);
    if (!co)
        return -1;
    exit_unit(c);
    rc = make_closure(c, co, 0);
    ft_decref(co);
    CHECK(rc);
    CHECK(emit(c, OP_PUSH_NULL, 0));
    CHECK(visit_expr(c, gens->items[0]->iter));
    c->u->loc = LOC_OF(e);
    CHECK(emit(c, OP_GET_ITER, 0));
    return emit(c, OP_CALL, 1);
}

static int compile_class(compiler *c, py_stmt *s)
{
    py_expr_seq *decos = &s->v.ClassDef.decorator_list;
    for (ssize_t i = 0; i < decos->n; i++) {
        CHECK(visit_expr(c, decos->items[i]));
        CHECK(emit(c, OP_PUSH_NULL, 0));
    }
    c->u->loc = LOC_OF(s);
    CHECK(emit(c, OP_LOAD_BUILD_CLASS, 0));
    py_ste *ste = block_of(c, s);
    if (!ste)
        return -1;
    ft_object *name = s->v.ClassDef.name;
    ft_object *qualname = make_qualname(c, name, true);
    if (!qualname)
        return -1;
    int firstline = decos->n ? decos->items[0]->lineno : s->lineno;
    int rc = enter_unit(c, ste, name, U_CLASS, qualname, firstline);
    ft_decref(qualname);
    CHECK(rc);
    unit *u = c->u;
    u->private_name = name;
    u->loc = LOC_OF(s);
    CHECK(emit_name(c, OP_LOAD_NAME, PY_ID(__name__)));
    CHECK(emit_name(c, OP_STORE_NAME, PY_ID(__module__)));
    CHECK(emit_const(c, u->qualname));
    CHECK(emit_name(c, OP_STORE_NAME, PY_ID(__qualname__)));
    py_stmt_seq *body = &s->v.ClassDef.body;
    ssize_t start = 0;
    if (find_ann(body))
        CHECK(emit(c, OP_SETUP_ANNOTATIONS, 0));
    if (has_docstring(body)) {
        u->loc = LOC_OF(body->items[0]);
        CHECK(emit_const(c, body->items[0]->v.Expr.value->v.Constant.value));
        CHECK(emit_name(c, OP_STORE_NAME, PY_ID(__doc__)));
        start = 1;
    }
    for (ssize_t i = start; i < body->n; i++)
        CHECK(visit_stmt(c, body->items[i]));
    if (ste->needs_class_closure) {
        CHECK(emit(c, OP_LOAD_CLOSURE, 0));
        CHECK(emit_name(c, OP_STORE_NAME, PY_ID(__classcell__)));
    }
    CHECK(emit_none(c));
    CHECK(emit(c, OP_RETURN_VALUE, 0));
    ft_object *co = assemble(c);
    if (!co)
        return -1;
    exit_unit(c);
    c->u->loc = LOC_OF(s);
    py_expr_seq *bases = &s->v.ClassDef.bases;
    py_keyword_seq *kws = &s->v.ClassDef.keywords;
    bool ex = has_starred(bases) || keywords_unpack(kws);
    if (!ex)
        rc = emit(c, OP_PUSH_NULL, 0);
    if (rc == 0)
        rc = make_closure(c, co, 0);
    ft_decref(co);
    CHECK(rc);
    CHECK(emit_const(c, name));
    CHECK(call_helper(c, 2, bases, kws, !ex));
    for (ssize_t i = 0; i < decos->n; i++)
        CHECK(emit(c, OP_CALL, 1));
    return nameop(c, name, CTX_STORE);
}

/* ---- assignment targets ------------------------------------------------------------ */
static int unpack_helper(compiler *c, py_expr_seq *elts)
{
    ssize_t n = elts->n, star = -1;
    for (ssize_t i = 0; i < n; i++) {
        if (elts->items[i]->kind != PY_E_Starred)
            continue;
        if (star >= 0)
            return compile_error(c, "multiple starred expressions in assignment");
        star = i;
    }
    if (star < 0)
        return emit(c, OP_UNPACK_SEQUENCE, (uint32_t)n);
    ssize_t after = n - star - 1;
    if (star >= 256 || after >= (1 << 16))
        return compile_error(c, "too many expressions in star-unpacking assignment");
    return emit(c, OP_UNPACK_EX, (uint32_t)star | (uint32_t)after << 8);
}

/* Stores TOS into target t (ctx Store). */
static int assign_target(compiler *c, py_expr *t)
{
    CHECK(enter_recursion(c));
    loc saved = c->u->loc;
    c->u->loc = LOC_OF(t);
    int rc = 0;
    switch (t->kind) {
    case PY_E_Name:
        rc = nameop(c, t->v.Name.id, CTX_STORE);
        break;
    case PY_E_Attribute:
        rc = forbidden_name(c, t->v.Attribute.attr, CTX_STORE);
        if (rc == 0)
            rc = visit_expr(c, t->v.Attribute.value);
        c->u->loc = LOC_OF(t);
        if (rc == 0)
            rc = emit_attr(c, OP_STORE_ATTR, t->v.Attribute.attr);
        break;
    case PY_E_Subscript:
        rc = visit_expr(c, t->v.Subscript.value);
        if (rc == 0)
            rc = visit_expr(c, t->v.Subscript.slice);
        c->u->loc = LOC_OF(t);
        if (rc == 0)
            rc = emit(c, OP_STORE_SUBSCR, 0);
        break;
    case PY_E_Tuple:
    case PY_E_List: {
        py_expr_seq *elts = t->kind == PY_E_Tuple ? &t->v.Tuple.elts : &t->v.List.elts;
        rc = unpack_helper(c, elts);
        for (ssize_t i = 0; rc == 0 && i < elts->n; i++) {
            py_expr *x = elts->items[i];
            rc = assign_target(c, x->kind == PY_E_Starred ? x->v.Starred.value : x);
        }
        break;
    }
    case PY_E_Starred:
        rc = compile_error(c, "starred assignment target must be in a list or tuple");
        break;
    default: {
        char msg[200];
        snprintf(msg, sizeof msg, "cannot assign to %s", py_expr_describe(t));
        rc = compile_error(c, msg);
        break;
    }
    }
    c->u->loc = saved;
    c->recursion--;
    return rc;
}

static int delete_target(compiler *c, py_expr *t)
{
    CHECK(enter_recursion(c));
    c->u->loc = LOC_OF(t);
    int rc = 0;
    switch (t->kind) {
    case PY_E_Name:
        rc = nameop(c, t->v.Name.id, CTX_DEL);
        break;
    case PY_E_Attribute:
        rc = visit_expr(c, t->v.Attribute.value);
        c->u->loc = LOC_OF(t);
        if (rc == 0)
            rc = emit_attr(c, OP_DELETE_ATTR, t->v.Attribute.attr);
        break;
    case PY_E_Subscript:
        rc = visit_expr(c, t->v.Subscript.value);
        if (rc == 0)
            rc = visit_expr(c, t->v.Subscript.slice);
        c->u->loc = LOC_OF(t);
        if (rc == 0)
            rc = emit(c, OP_DELETE_SUBSCR, 0);
        break;
    case PY_E_Tuple:
    case PY_E_List: {
        py_expr_seq *elts = t->kind == PY_E_Tuple ? &t->v.Tuple.elts : &t->v.List.elts;
        for (ssize_t i = 0; rc == 0 && i < elts->n; i++)
            rc = delete_target(c, elts->items[i]);
        break;
    }
    default: {
        char msg[200];
        snprintf(msg, sizeof msg, "cannot delete %s", py_expr_describe(t));
        rc = compile_error(c, msg);
        break;
    }
    }
    c->recursion--;
    return rc;
}

static int compile_augassign(compiler *c, py_stmt *s)
{
    py_expr *t = s->v.AugAssign.target;
    uint32_t op = (uint32_t)s->v.AugAssign.op | PY_OP_INPLACE;
    switch (t->kind) {
    case PY_E_Name:
        c->u->loc = LOC_OF(t);
        CHECK(forbidden_name(c, t->v.Name.id, CTX_STORE));
        CHECK(nameop(c, t->v.Name.id, CTX_LOAD));
        CHECK(visit_expr(c, s->v.AugAssign.value));
        c->u->loc = LOC_OF(s);
        CHECK(emit(c, OP_BINARY_OP, op));
        return nameop(c, t->v.Name.id, CTX_STORE);
    case PY_E_Attribute:
        CHECK(visit_expr(c, t->v.Attribute.value));
        c->u->loc = LOC_OF(t);
        CHECK(emit(c, OP_COPY, 1));
        CHECK(emit_attr(c, OP_LOAD_ATTR, t->v.Attribute.attr));
        CHECK(visit_expr(c, s->v.AugAssign.value));
        c->u->loc = LOC_OF(s);
        CHECK(emit(c, OP_BINARY_OP, op));
        CHECK(emit(c, OP_SWAP, 2));
        return emit_attr(c, OP_STORE_ATTR, t->v.Attribute.attr);
    case PY_E_Subscript:
        CHECK(visit_expr(c, t->v.Subscript.value));
        CHECK(visit_expr(c, t->v.Subscript.slice));
        c->u->loc = LOC_OF(t);
        CHECK(emit(c, OP_COPY, 2));
        CHECK(emit(c, OP_COPY, 2));
        CHECK(emit(c, OP_BINARY_SUBSCR, 0));
        CHECK(visit_expr(c, s->v.AugAssign.value));
        c->u->loc = LOC_OF(s);
        CHECK(emit(c, OP_BINARY_OP, op));
        CHECK(emit(c, OP_SWAP, 3));
        CHECK(emit(c, OP_SWAP, 2));
        return emit(c, OP_STORE_SUBSCR, 0);
    default: {
        char msg[200];
        snprintf(msg, sizeof msg, "'%s' is an illegal expression for augmented assignment",
                 py_expr_describe(t));
        return compile_error_at(c, LOC_OF(t), msg);
    }
    }
}

/* ---- the expression dispatcher ------------------------------------------------------ */
static bool in_function(compiler *c)
{
    return c->u->ste->kind == PY_BLOCK_FUNCTION;
}

static int visit_expr_inner(compiler *c, py_expr *e)
{
    switch (e->kind) {
    case PY_E_BoolOp:
        return compile_boolop(c, e);
    case PY_E_NamedExpr:
        CHECK(visit_expr(c, e->v.NamedExpr.value));
        CHECK(emit(c, OP_COPY, 1));
        return assign_target(c, e->v.NamedExpr.target);
    case PY_E_BinOp:
        return compile_binop(c, e);
    case PY_E_UnaryOp: {
        ft_object *k = fold_const(e);
        if (k)
            return emit_const_steal(c, k);
        CHECK(visit_expr(c, e->v.UnaryOp.operand));
        if (e->v.UnaryOp.op == PY_UNARY_NOT)
            return emit(c, OP_UNARY_NOT, 0);
        return emit(c, OP_UNARY_OP, (uint32_t)e->v.UnaryOp.op);
    }
    case PY_E_Lambda:
        return compile_lambda(c, e);
    case PY_E_IfExp: {
        NEW_LABEL(orelse);
        NEW_LABEL(end);
        CHECK(jump_if(c, e->v.IfExp.test, orelse, false));
        CHECK(visit_expr(c, e->v.IfExp.body));
        CHECK(emit(c, OP_JUMP, (uint32_t)end));
        use_label(c, orelse);
        CHECK(visit_expr(c, e->v.IfExp.orelse));
        use_label(c, end);
        return 0;
    }
    case PY_E_Dict:
        return compile_dict(c, e);
    case PY_E_Set:
        return starunpack(c, &e->v.Set.elts, PY_E_Set, 0);
    case PY_E_ListComp:
        return compile_comprehension(c, e, PY_COMP_LIST, &e->v.ListComp.generators,
                                     e->v.ListComp.elt, NULL);
    case PY_E_SetComp:
        return compile_comprehension(c, e, PY_COMP_SET, &e->v.SetComp.generators,
                                     e->v.SetComp.elt, NULL);
    case PY_E_DictComp:
        return compile_comprehension(c, e, PY_COMP_DICT, &e->v.DictComp.generators,
                                     e->v.DictComp.key, e->v.DictComp.value);
    case PY_E_GeneratorExp:
        return compile_comprehension(c, e, PY_COMP_GEN, &e->v.GeneratorExp.generators,
                                     e->v.GeneratorExp.elt, NULL);
    case PY_E_Yield:
        if (!in_function(c))
            return compile_error(c, "'yield' outside function");
        if (e->v.Yield.value)
            CHECK(visit_expr(c, e->v.Yield.value));
        else
            CHECK(emit_none(c));
        return emit(c, OP_YIELD_VALUE, 0);
    case PY_E_YieldFrom: {
        if (!in_function(c))
            return compile_error(c, "'yield' outside function");
        NEW_LABEL(send);
        NEW_LABEL(end);
        CHECK(visit_expr(c, e->v.YieldFrom.value));
        CHECK(emit(c, OP_GET_YIELD_FROM_ITER, 0));
        CHECK(emit_none(c));
        use_label(c, send);
        CHECK(emit(c, OP_SEND, (uint32_t)end));
        CHECK(emit(c, OP_YIELD_VALUE, 0));
        CHECK(emit(c, OP_JUMP, (uint32_t)send));
        use_label(c, end);
        return 0;
    }
    case PY_E_Compare:
        return compile_compare(c, e);
    case PY_E_Call:
        return compile_call(c, e);
    case PY_E_FormattedValue:
        return compile_formatted(c, e);
    case PY_E_JoinedStr:
        return compile_joined(c, e);
    case PY_E_Constant:
        return emit_const(c, e->v.Constant.value);
    case PY_E_Attribute:
        if (e->v.Attribute.ctx != PY_LOAD)
            return compile_error(c, "compiler: attribute outside an assignment");
        CHECK(visit_expr(c, e->v.Attribute.value));
        c->u->loc = LOC_OF(e);
        return emit_attr(c, OP_LOAD_ATTR, e->v.Attribute.attr);
    case PY_E_Subscript:
        CHECK(visit_expr(c, e->v.Subscript.value));
        CHECK(visit_expr(c, e->v.Subscript.slice));
        c->u->loc = LOC_OF(e);
        return emit(c, OP_BINARY_SUBSCR, 0);
    case PY_E_Starred:
        return compile_error(c, "can't use starred expression here");
    case PY_E_Name:
        if (is_debug_name(e->v.Name.id))
            return emit_const(c, ft_true());
        return nameop(c, e->v.Name.id, CTX_LOAD);
    case PY_E_List:
        return starunpack(c, &e->v.List.elts, PY_E_List, 0);
    case PY_E_Tuple: {
        ft_object *k = fold_const(e);
        if (k)
            return emit_const_steal(c, k);
        return starunpack(c, &e->v.Tuple.elts, PY_E_Tuple, 0);
    }
    case PY_E_Slice:
        return compile_slice(c, e);
    }
    return compile_error(c, "compiler: unknown expression");
}

static int visit_expr(compiler *c, py_expr *e)
{
    CHECK(enter_recursion(c));
    loc saved = c->u->loc;
    c->u->loc = LOC_OF(e);
    int rc = visit_expr_inner(c, e);
    c->u->loc = saved;
    c->recursion--;
    return rc;
}

/* ---- statements ------------------------------------------------------------------- */
static int visit_stmts(compiler *c, py_stmt_seq *seq)
{
    for (ssize_t i = 0; i < seq->n; i++)
        CHECK(visit_stmt(c, seq->items[i]));
    return 0;
}

static int compile_if(compiler *c, py_stmt *s)
{
    NEW_LABEL(end);
    int next = end;
    if (s->v.If.orelse.n) {
        next = new_label(c);
        if (next < 0)
            return -1;
    }
    CHECK(jump_if(c, s->v.If.test, next, false));
    CHECK(visit_stmts(c, &s->v.If.body));
    if (s->v.If.orelse.n) {
        CHECK(emit(c, OP_JUMP, (uint32_t)end));
        use_label(c, next);
        CHECK(visit_stmts(c, &s->v.If.orelse));
    }
    use_label(c, end);
    return 0;
}

static int compile_while(compiler *c, py_stmt *s)
{
    NEW_LABEL(top);
    NEW_LABEL(exit);
    NEW_LABEL(end);
    use_label(c, top);
    CHECK(push_fblock(c, FB_WHILE, top, end, NULL));
    if (const_truth(s->v.While.test) != 1)
        CHECK(jump_if(c, s->v.While.test, exit, false));
    CHECK(visit_stmts(c, &s->v.While.body));
    c->u->loc = LOC_OF(s);
    CHECK(emit(c, OP_JUMP, (uint32_t)top));
    pop_fblock(c);
    use_label(c, exit);
    CHECK(visit_stmts(c, &s->v.While.orelse));
    use_label(c, end);
    return 0;
}

static int compile_for(compiler *c, py_stmt *s)
{
    NEW_LABEL(top);
    NEW_LABEL(exit);
    NEW_LABEL(end);
    CHECK(visit_expr(c, s->v.For.iter));
    c->u->loc = LOC_OF(s);
    CHECK(emit(c, OP_GET_ITER, 0));
    use_label(c, top);
    CHECK(push_fblock(c, FB_FOR, top, end, NULL));
    CHECK(emit(c, OP_FOR_ITER, (uint32_t)exit));
    CHECK(assign_target(c, s->v.For.target));
    CHECK(visit_stmts(c, &s->v.For.body));
    c->u->loc = LOC_OF(s);
    CHECK(emit(c, OP_JUMP, (uint32_t)top));
    pop_fblock(c);
    use_label(c, exit);
    CHECK(visit_stmts(c, &s->v.For.orelse));
    use_label(c, end);
    return 0;
}

static int compile_return(compiler *c, py_stmt *s)
{
    if (!in_function(c) || c->u->scope == U_COMPREHENSION)
        return compile_error(c, "'return' outside function");
    py_expr *v = s->v.Return.value;
    bool keep = v && !is_const(v);
    if (keep)
        CHECK(visit_expr(c, v));
    c->u->loc = LOC_OF(s);
    CHECK(unwind_fblock_stack(c, keep, NULL));
    c->u->loc = LOC_OF(s);
    if (!v)
        CHECK(emit_none(c));
    else if (!keep)
        CHECK(visit_expr(c, v));
    return emit(c, OP_RETURN_VALUE, 0);
}

static int compile_break_continue(compiler *c, py_stmt *s, bool is_break)
{
    int loop;
    CHECK(unwind_fblock_stack(c, false, &loop));
    c->u->loc = LOC_OF(s);
    if (loop < 0)
        return compile_error(c, is_break ? "'break' outside loop"
                                         : "'continue' not properly in loop");
    fblock *fb = &c->u->fb[loop];
    if (is_break) {
        fblock copy = *fb;
        CHECK(unwind_fblock(c, &copy, false));
        return emit(c, OP_JUMP, (uint32_t)copy.l_exit);
    }
    return emit(c, OP_JUMP, (uint32_t)fb->l_start);
}

/* The shared cleanup of a handler: restore exc_info, re-raise. */
static int emit_cleanup(compiler *c, int label)
{
    use_label(c, label);
    CHECK(emit(c, OP_SWAP, 2));
    CHECK(emit(c, OP_POP_EXCEPT, 0));
    return emit(c, OP_RERAISE, 0);
}

static int compile_try_except(compiler *c, py_stmt *s)
{
    NEW_LABEL(handler);
    NEW_LABEL(cleanup);
    NEW_LABEL(end);
    CHECK(emit(c, OP_SETUP_FINALLY, (uint32_t)handler));
    CHECK(push_fblock(c, FB_TRY_EXCEPT, -1, -1, NULL));
    CHECK(visit_stmts(c, &s->v.Try.body));
    pop_fblock(c);
    c->u->loc = LOC_OF(s);
    CHECK(emit(c, OP_POP_BLOCK, 0));
    CHECK(visit_stmts(c, &s->v.Try.orelse));
    CHECK(emit(c, OP_JUMP, (uint32_t)end));
    use_label(c, handler);
    CHECK(emit(c, OP_SETUP_FINALLY, (uint32_t)cleanup));
    CHECK(emit(c, OP_PUSH_EXC_INFO, 0));
    CHECK(push_fblock(c, FB_EXCEPTION_HANDLER, -1, -1, NULL));
    py_excepthandler_seq *hs = &s->v.Try.handlers;
    for (ssize_t i = 0; i < hs->n; i++) {
        py_excepthandler *h = hs->items[i];
        c->u->loc = LOC_OF(h);
        if (!h->type && i < hs->n - 1)
            return compile_error(c, "default 'except:' must be last");
        NEW_LABEL(next);
        if (h->type) {
            CHECK(visit_expr(c, h->type));
            CHECK(emit(c, OP_CHECK_EXC_MATCH, 0));
            CHECK(emit(c, OP_POP_JUMP_IF_FALSE, (uint32_t)next));
        }
        if (h->name) {
            NEW_LABEL(cleanup_name);
            CHECK(nameop(c, h->name, CTX_STORE));
            CHECK(emit(c, OP_SETUP_FINALLY, (uint32_t)cleanup_name));
            CHECK(push_fblock(c, FB_HANDLER_CLEANUP, -1, -1, h->name));
            CHECK(visit_stmts(c, &h->body));
            pop_fblock(c);
            c->u->loc = LOC_OF(h);
            CHECK(emit(c, OP_POP_BLOCK, 0));
            CHECK(emit(c, OP_POP_BLOCK, 0));
            CHECK(emit(c, OP_POP_EXCEPT, 0));
            CHECK(store_none_and_delete(c, h->name));
            CHECK(emit(c, OP_JUMP, (uint32_t)end));
            use_label(c, cleanup_name);
            CHECK(store_none_and_delete(c, h->name));
            CHECK(emit(c, OP_RERAISE, 0));
        } else {
            CHECK(emit(c, OP_POP_TOP, 0));
            CHECK(push_fblock(c, FB_HANDLER_CLEANUP, -1, -1, NULL));
            CHECK(visit_stmts(c, &h->body));
            pop_fblock(c);
            c->u->loc = LOC_OF(h);
            CHECK(emit(c, OP_POP_BLOCK, 0));
            CHECK(emit(c, OP_POP_EXCEPT, 0));
            CHECK(emit(c, OP_JUMP, (uint32_t)end));
        }
        use_label(c, next);
    }
    pop_fblock(c);
    c->u->loc = LOC_OF(s);
    CHECK(emit(c, OP_RERAISE, 0));
    CHECK(emit_cleanup(c, cleanup));
    use_label(c, end);
    return 0;
}

static int compile_try(compiler *c, py_stmt *s)
{
    if (!s->v.Try.finalbody.n)
        return compile_try_except(c, s);
    NEW_LABEL(final);
    NEW_LABEL(cleanup);
    NEW_LABEL(end);
    CHECK(emit(c, OP_SETUP_FINALLY, (uint32_t)final));
    CHECK(push_fblock(c, FB_FINALLY_TRY, -1, -1, &s->v.Try.finalbody));
    if (s->v.Try.handlers.n)
        CHECK(compile_try_except(c, s));
    else
        CHECK(visit_stmts(c, &s->v.Try.body));
    pop_fblock(c);
    CHECK(emit(c, OP_POP_BLOCK, 0));
    CHECK(visit_stmts(c, &s->v.Try.finalbody));
    CHECK(emit(c, OP_JUMP, (uint32_t)end));
    use_label(c, final);
    CHECK(emit(c, OP_SETUP_FINALLY, (uint32_t)cleanup));
    CHECK(emit(c, OP_PUSH_EXC_INFO, 0));
    CHECK(push_fblock(c, FB_FINALLY_END, -1, -1, NULL));
    CHECK(visit_stmts(c, &s->v.Try.finalbody));
    pop_fblock(c);
    CHECK(emit(c, OP_RERAISE, 0));
    CHECK(emit_cleanup(c, cleanup));
    use_label(c, end);
    return 0;
}

static int compile_with(compiler *c, py_stmt *s, ssize_t pos)
{
    py_withitem *item = s->v.With.items.items[pos];
    NEW_LABEL(handler);
    NEW_LABEL(cleanup);
    NEW_LABEL(suppress);
    NEW_LABEL(end);
    CHECK(visit_expr(c, item->context_expr));
    c->u->loc = LOC_OF(s);
    CHECK(emit(c, OP_BEFORE_WITH, 0));
    if (item->optional_vars)
        CHECK(assign_target(c, item->optional_vars));
    else
        CHECK(emit(c, OP_POP_TOP, 0));
    CHECK(emit(c, OP_SETUP_FINALLY, (uint32_t)handler));
    CHECK(push_fblock(c, FB_WITH, -1, -1, s));
    if (pos + 1 < s->v.With.items.n)
        CHECK(compile_with(c, s, pos + 1));
    else
        CHECK(visit_stmts(c, &s->v.With.body));
    pop_fblock(c);
    c->u->loc = LOC_OF(s);
    CHECK(emit(c, OP_POP_BLOCK, 0));
    CHECK(emit(c, OP_WITH_EXIT_NORMAL, 0));
    CHECK(emit(c, OP_JUMP, (uint32_t)end));
    use_label(c, handler);
    CHECK(emit(c, OP_SETUP_FINALLY, (uint32_t)cleanup));
    CHECK(emit(c, OP_PUSH_EXC_INFO, 0));
    CHECK(emit(c, OP_WITH_EXCEPT_START, 0));
    CHECK(emit(c, OP_POP_JUMP_IF_TRUE, (uint32_t)suppress));
    CHECK(emit(c, OP_RERAISE, 0));
    use_label(c, suppress);
    CHECK(emit(c, OP_POP_BLOCK, 0));
    CHECK(emit(c, OP_POP_TOP, 0));
    CHECK(emit(c, OP_POP_EXCEPT, 0));
    CHECK(emit(c, OP_POP_TOP, 0));
    CHECK(emit(c, OP_JUMP, (uint32_t)end));
    CHECK(emit_cleanup(c, cleanup));
    use_label(c, end);
    return 0;
}

static int compile_assert(compiler *c, py_stmt *s)
{
    NEW_LABEL(end);
    CHECK(jump_if(c, s->v.Assert.test, end, true));
    c->u->loc = LOC_OF(s);
    CHECK(emit(c, OP_LOAD_ASSERTION_ERROR, 0));
    if (s->v.Assert.msg) {
        CHECK(emit(c, OP_PUSH_NULL, 0));
        CHECK(visit_expr(c, s->v.Assert.msg));
        CHECK(emit(c, OP_CALL, 1));
    }
    CHECK(emit(c, OP_RAISE_VARARGS, 1));
    use_label(c, end);
    return 0;
}

static int emit_int_const(compiler *c, int64_t v)
{
    return emit_const_steal(c, ft_int_from_i64(v));
}

/* The part of s (n bytes) from `from` to the next dot (or the end). */
static ft_object *name_part(const char *s, ssize_t from, ssize_t to)
{
    char buf[256];
    char *p = (size_t)(to - from) < sizeof buf ? buf : ft_malloc((size_t)(to - from) + 1);
    if (!p)
        return py_err_from_ft();
    memcpy(p, s + from, (size_t)(to - from));
    p[to - from] = '\0';
    ft_object *r = py_intern_cstr(p);
    if (p != buf)
        ft_free(p);
    return r;
}

/* The names an import binds may not be __debug__ (reported at the
 * statement, as CPython). */
static int check_import_names(compiler *c, py_alias_seq *names)
{
    for (ssize_t i = 0; i < names->n; i++) {
        py_alias *a = names->items[i];
        ft_object *bound = a->asname ? a->asname : a->name;
        ssize_t n;
        const char *s = ft_str_utf8_borrow(bound, &n);
        if (strncmp(s, "__debug__", 9) == 0 && (n == 9 || s[9] == '.'))
            return compile_error(c, "cannot assign to __debug__");
    }
    return 0;
}

static int compile_import(compiler *c, py_stmt *s)
{
    CHECK(check_import_names(c, &s->v.Import.names));
    for (ssize_t i = 0; i < s->v.Import.names.n; i++) {
        py_alias *a = s->v.Import.names.items[i];
        c->u->loc = LOC_OF(a);
        CHECK(emit_int_const(c, 0));
        CHECK(emit_none(c));
        CHECK(emit_name(c, OP_IMPORT_NAME, a->name));
        ssize_t n;
        const char *name = ft_str_utf8_borrow(a->name, &n);
        const char *dot = memchr(name, '.', (size_t)n);
        if (a->asname) {
            /* import a.b.c as d: walk down to c. */
            ssize_t pos = dot ? dot - name + 1 : n;
            while (pos < n) {
                const char *next = memchr(name + pos, '.', (size_t)(n - pos));
                ssize_t end = next ? next - name : n;
                ft_object *part = name_part(name, pos, end);
                if (!part)
                    return -1;
                int rc = emit_name(c, OP_IMPORT_FROM, part);
                ft_decref(part);
                CHECK(rc);
                CHECK(emit(c, OP_SWAP, 2));
                CHECK(emit(c, OP_POP_TOP, 0));
                pos = end + 1;
            }
            CHECK(nameop(c, a->asname, CTX_STORE));
        } else if (dot) {
            ft_object *first = name_part(name, 0, dot - name);
            if (!first)
                return -1;
            int rc = nameop(c, first, CTX_STORE);
            ft_decref(first);
            CHECK(rc);
        } else {
            CHECK(nameop(c, a->name, CTX_STORE));
        }
    }
    return 0;
}

static const char *const future_features[] = {
    "nested_scopes", "generators", "division", "absolute_import", "with_statement",
    "print_function", "unicode_literals", "generator_stop",
    "annotations", NULL,
};

static bool is_future_import(py_stmt *s)
{
    /* CPython's future.c matches the module name alone, at any level */
    return s->kind == PY_S_ImportFrom && s->v.ImportFrom.module &&
           strcmp(ft_str_utf8_borrow(s->v.ImportFrom.module, NULL), "__future__") == 0;
}

/* Reports a future statement's error at its start (col: 0-based), with
 * no end column (CPython's PyErr_SyntaxLocationObject). */
static int future_error(compiler *c, py_stmt *s, int col, const char *msg)
{
    py_compile_syntax_error(c->filename_c, c->src, c->srclen, msg, s->lineno, col,
                            s->lineno, -1);
    return -1;
}

/* The future statements at the start of a module (after the docstring):
 * their features and their last line (CPython's future_parse). */
static int future_parse(compiler *c, py_ast_mod *mod)
{
    if (mod->kind == PY_M_Expression || mod->body.n == 0)
        return 0;
    py_stmt_seq *body = &mod->body;
    bool done = false;
    int prev_line = 0;
    for (ssize_t i = has_docstring(body) ? 1 : 0; i < body->n; i++) {
        py_stmt *s = body->items[i];
        if (done && s->lineno > prev_line)
            return 0;
        prev_line = s->lineno;
        if (!is_future_import(s)) {
            done = true;
            continue;
        }
        if (done)
            return future_error(c, s, s->col_offset - 1, "from __future__ imports "
                                "must occur at the beginning of the file");
        py_alias_seq *names = &s->v.ImportFrom.names;
        for (ssize_t k = 0; k < names->n; k++) {
            const char *f = ft_str_utf8_borrow(names->items[k]->name, NULL);
            bool known = false;
            for (const char *const *p = future_features; *p; p++)
                known = known || strcmp(*p, f) == 0;
            if (strcmp(f, "braces") == 0)
                return future_error(c, s, s->col_offset, "not a chance");
            if (!known) {
                char msg[300];
                snprintf(msg, sizeof msg, "future feature %.200s is not defined", f);
                return future_error(c, s, s->col_offset, msg);
            }
            if (strcmp(f, "annotations") == 0)
                c->future_annotations = true;
        }
        c->future_lineno = s->lineno;
    }
    return 0;
}

static int compile_import_from(compiler *c, py_stmt *s)
{
    py_alias_seq *names = &s->v.ImportFrom.names;
    ft_object *module = s->v.ImportFrom.module;
    if (is_future_import(s)) {
        /* future_parse checked the features; they change nothing at run
         * time (no __future__ module is imported, see compile.h) */
        if (s->lineno > c->future_lineno)
            return compile_error(c, "from __future__ imports must occur at the "
                                 "beginning of the file");
        return 0;
    }
    CHECK(check_import_names(c, names));
    ft_object *fromlist = ft_tuple_new(names->n);
    if (!fromlist)
        return py_err_from_ft_int();
    for (ssize_t i = 0; i < names->n; i++)
        ft_tuple_set_steal(fromlist, i, ft_newref(names->items[i]->name));
    CHECK(emit_int_const(c, s->v.ImportFrom.level));
    CHECK(emit_const_steal(c, fromlist));
    if (module) {
        CHECK(emit_name(c, OP_IMPORT_NAME, module));
    } else {
        ft_object *empty = py_intern_cstr("");
        if (!empty)
            return -1;
        int rc = emit_name(c, OP_IMPORT_NAME, empty);
        ft_decref(empty);
        CHECK(rc);
    }
    if (names->n == 1 && strcmp(ft_str_utf8_borrow(names->items[0]->name, NULL), "*") == 0)
        return emit(c, OP_IMPORT_STAR, 0);
    for (ssize_t i = 0; i < names->n; i++) {
        py_alias *a = names->items[i];
        c->u->loc = LOC_OF(a);
        CHECK(emit_name(c, OP_IMPORT_FROM, a->name));
        CHECK(nameop(c, a->asname ? a->asname : a->name, CTX_STORE));
    }
    return emit(c, OP_POP_TOP, 0);
}

static int compile_raise(compiler *c, py_stmt *s)
{
    uint32_t n = 0;
    if (s->v.Raise.exc) {
        CHECK(visit_expr(c, s->v.Raise.exc));
        n++;
        if (s->v.Raise.cause) {
            CHECK(visit_expr(c, s->v.Raise.cause));
            n++;
        }
    }
    c->u->loc = LOC_OF(s);
    return emit(c, OP_RAISE_VARARGS, n);
}

static int compile_assign(compiler *c, py_stmt *s)
{
    py_expr_seq *targets = &s->v.Assign.targets;
    CHECK(visit_expr(c, s->v.Assign.value));
    for (ssize_t i = 0; i < targets->n; i++) {
        if (i < targets->n - 1)
            CHECK(emit(c, OP_COPY, 1));
        CHECK(assign_target(c, targets->items[i]));
    }
    return 0;
}

static int compile_expr_stmt(compiler *c, py_stmt *s)
{
    py_expr *v = s->v.Expr.value;
    if (c->interactive && c->u->scope == U_MODULE) {
        CHECK(visit_expr(c, v));
        c->u->loc = LOC_OF(s);
        return emit(c, OP_PRINT_EXPR, 0);
    }
    if (is_const(v))
        return 0;               /* docstrings, `...`: no code, as CPython */
    CHECK(visit_expr(c, v));
    c->u->loc = LOC_OF(s);
    return emit(c, OP_POP_TOP, 0);
}

/* ---- annotated assignments ----------------------------------------------------------- */
/* Whether statements (not counting nested defs and classes) contain an
 * annotated assignment: the block then starts with SETUP_ANNOTATIONS
 * (CPython's find_ann). */
static bool find_ann(py_stmt_seq *stmts)
{
    for (ssize_t i = 0; i < stmts->n; i++) {
        py_stmt *st = stmts->items[i];
        switch (st->kind) {
        case PY_S_AnnAssign:
            return true;
        case PY_S_For:
            if (find_ann(&st->v.For.body) || find_ann(&st->v.For.orelse))
                return true;
            break;
        case PY_S_While:
            if (find_ann(&st->v.While.body) || find_ann(&st->v.While.orelse))
                return true;
            break;
        case PY_S_If:
            if (find_ann(&st->v.If.body) || find_ann(&st->v.If.orelse))
                return true;
            break;
        case PY_S_With:
            if (find_ann(&st->v.With.body))
                return true;
            break;
        case PY_S_Try:
            for (ssize_t j = 0; j < st->v.Try.handlers.n; j++)
                if (find_ann(&st->v.Try.handlers.items[j]->body))
                    return true;
            if (find_ann(&st->v.Try.body) || find_ann(&st->v.Try.finalbody) ||
                find_ann(&st->v.Try.orelse))
                return true;
            break;
        default:
            break;
        }
    }
    return false;
}

/* Evaluates e for its side effects only (CPython's check_ann_expr). */
static int eval_and_pop(compiler *c, py_expr *e)
{
    CHECK(visit_expr(c, e));
    return emit(c, OP_POP_TOP, 0);
}

/* The subscript of an annotated `a[i]: T` target without a value: each
 * part evaluated and dropped (CPython's check_ann_subscr). */
static int eval_ann_subscript(compiler *c, py_expr *e)
{
    switch (e->kind) {
    case PY_E_Slice:
        if (e->v.Slice.lower)
            CHECK(eval_and_pop(c, e->v.Slice.lower));
        if (e->v.Slice.upper)
            CHECK(eval_and_pop(c, e->v.Slice.upper));
        if (e->v.Slice.step)
            CHECK(eval_and_pop(c, e->v.Slice.step));
        return 0;
    case PY_E_Tuple:
        for (ssize_t i = 0; i < e->v.Tuple.elts.n; i++)
            CHECK(eval_ann_subscript(c, e->v.Tuple.elts.items[i]));
        return 0;
    default:
        return eval_and_pop(c, e);
    }
}

/* target: annotation [= value] (CPython 3.11's compiler_annassign): the
 * assignment first; then, in a module or class body, a simple name's
 * annotation goes to __annotations__[mangled name] and any other
 * target's annotation is evaluated and dropped. Inside functions the
 * annotation is never evaluated; a target without a value still
 * evaluates its object (and subscript). */
static int compile_annassign(compiler *c, py_stmt *s)
{
    py_expr *t = s->v.AnnAssign.target;
    py_expr *value = s->v.AnnAssign.value;
    bool evaluated = c->u->scope == U_MODULE || c->u->scope == U_CLASS;
    if (value) {
        CHECK(visit_expr(c, value));
        CHECK(assign_target(c, t));
    }
    c->u->loc = LOC_OF(s);
    switch (t->kind) {
    case PY_E_Name:
        CHECK(forbidden_name(c, t->v.Name.id, CTX_STORE));
        if (s->v.AnnAssign.simple && evaluated) {
            CHECK(visit_annotation(c, s->v.AnnAssign.annotation));
            CHECK(emit_name(c, OP_LOAD_NAME, PY_ID(__annotations__)));
            ft_object *m = py_mangle(c->u->private_name, t->v.Name.id);
            if (!m)
                return -1;
            CHECK(emit_const_steal(c, m));
            CHECK(emit(c, OP_STORE_SUBSCR, 0));
            return 0;
        }
        break;
    case PY_E_Attribute:
        CHECK(forbidden_name(c, t->v.Attribute.attr, CTX_STORE));
        if (!value)
            CHECK(eval_and_pop(c, t->v.Attribute.value));
        break;
    case PY_E_Subscript:
        if (!value) {
            CHECK(eval_and_pop(c, t->v.Subscript.value));
            CHECK(eval_ann_subscript(c, t->v.Subscript.slice));
        }
        break;
    default:
        return py_err_format_int(py_exc_SystemError,
                                 "invalid node type for annotated assignment");
    }
    if (!s->v.AnnAssign.simple && evaluated && !c->future_annotations)
        CHECK(eval_and_pop(c, s->v.AnnAssign.annotation));
    return 0;
}

static int visit_stmt_inner(compiler *c, py_stmt *s)
{
    switch (s->kind) {
    case PY_S_FunctionDef:
        return compile_function(c, s);
    case PY_S_ClassDef:
        return compile_class(c, s);
    case PY_S_Return:
        return compile_return(c, s);
    case PY_S_Delete:
        for (ssize_t i = 0; i < s->v.Delete.targets.n; i++)
            CHECK(delete_target(c, s->v.Delete.targets.items[i]));
        return 0;
    case PY_S_Assign:
        return compile_assign(c, s);
    case PY_S_AugAssign:
        return compile_augassign(c, s);
    case PY_S_AnnAssign:
        return compile_annassign(c, s);
    case PY_S_For:
        return compile_for(c, s);
    case PY_S_While:
        return compile_while(c, s);
    case PY_S_If:
        return compile_if(c, s);
    case PY_S_With:
        return compile_with(c, s, 0);
    case PY_S_Raise:
        return compile_raise(c, s);
    case PY_S_Try:
        return compile_try(c, s);
    case PY_S_Assert:
        return compile_assert(c, s);
    case PY_S_Import:
        return compile_import(c, s);
    case PY_S_ImportFrom:
        return compile_import_from(c, s);
    case PY_S_Global:
    case PY_S_Nonlocal:
        return 0;
    case PY_S_Expr:
        return compile_expr_stmt(c, s);
    case PY_S_Pass:
        return 0;
    case PY_S_Break:
        return compile_break_continue(c, s, true);
    case PY_S_Continue:
        return compile_break_continue(c, s, false);
    }
    return compile_error(c, "compiler: unknown statement");
}

static int visit_stmt(compiler *c, py_stmt *s)
{
    CHECK(enter_recursion(c));
    c->u->loc = LOC_OF(s);
    int rc = visit_stmt_inner(c, s);
    c->recursion--;
    return rc;
}

/* ---- entry points -------------------------------------------------------------------- */
static ft_object *compile_module(compiler *c, py_ast_mod *mod)
{
    ft_object *name = py_intern_cstr("<module>");
    if (!name)
        return NULL;
    int rc = enter_unit(c, c->st->top, name, U_MODULE, NULL, 1);
    ft_decref(name);
    if (rc < 0)
        return NULL;
    if (mod->kind == PY_M_Expression) {
        if (visit_expr(c, mod->expr) < 0)
            return NULL;
    } else {
        py_stmt_seq *body = &mod->body;
        ssize_t start = 0;
        if (find_ann(body) && emit(c, OP_SETUP_ANNOTATIONS, 0) < 0)
            return NULL;
        if (mod->kind == PY_M_Module && has_docstring(body)) {
            c->u->loc = LOC_OF(body->items[0]);
            if (emit_const(c, body->items[0]->v.Expr.value->v.Constant.value) < 0 ||
                emit_name(c, OP_STORE_NAME, PY_ID(__doc__)) < 0)
                return NULL;
            start = 1;
        }
        for (ssize_t i = start; i < body->n; i++)
            if (visit_stmt(c, body->items[i]) < 0)
                return NULL;
        if (emit_none(c) < 0)
            return NULL;
    }
    if (emit(c, OP_RETURN_VALUE, 0) < 0)
        return NULL;
    return assemble(c);
}

static ft_object *compile_ast(py_ast_mod *mod, const char *src, size_t n,
                              const char *filename, bool future_annotations)
{
    compiler c = {0};
    c.future_annotations = future_annotations;
    c.filename_c = filename ? filename : "<unknown>";
    c.src = src;
    c.srclen = n;
    c.interactive = mod->kind == PY_M_Interactive;
    c.recursion_limit = py_recursion_limit > 0 ? py_recursion_limit * 3 : 3000;
    c.filename = ft_str_from_utf8(c.filename_c, -1);
    if (!c.filename)
        return py_err_from_ft();
    c.st = future_parse(&c, mod) < 0 ? NULL
         : py_symtable_build(mod, c.filename_c, src, n, c.future_annotations);
    ft_object *co = c.st ? compile_module(&c, mod) : NULL;
    while (c.u)
        exit_unit(&c);
    py_symtable_free(c.st);
    ft_decref(c.filename);
    if (!co && !py_err_occurred())
        py_err_from_ft();
    return co;
}

ft_object *py_compile_ast(py_ast_mod *mod, const char *src, size_t n, const char *filename)
{
    return compile_ast(mod, src, n, filename, false);
}

ft_object *py_compile(const char *src, size_t n, const char *filename, int mode)
{
    py_arena *arena = py_arena_new();
    if (!arena)
        return NULL;
    py_ast_mod *mod = py_parse(arena, src, n, filename, mode);
    ft_object *co = mod ? compile_ast(mod, src, n, filename,
                                      mode & PY_PARSE_FUTURE_ANNOTATIONS) : NULL;
    py_arena_free(arena);
    return co;
}
