/* vm/dis.c — a listing of a code object, in the manner of CPython's dis.dis:
 *
 *   Disassembly of <code object f at 0x..., file "x.py", line 1>:
 *     2           0 LOAD_FAST                0 (x)
 *                 1 LOAD_CONST               1 (1)
 *                 2 BINARY_OP                0 (+)
 *     3     >>    3 RETURN_VALUE
 *
 * Columns: the source line (where it changes), ">>" on jump targets, the
 * instruction index, the name, the argument and what it refers to. Nested
 * code objects (constants) follow their parent, as dis.dis does.
 */
#include <stdio.h>
#include <string.h>
#include "../ftpy.h"
#include "../objects/code.h"
#include "opcode.h"

/* Whether each instruction uses its argument (from the one list). */
static const unsigned char opcode_has_arg[OP__COUNT] = {
#define DIS_HAS_ARG(name, has_arg, is_jump) [OP_##name] = has_arg,
    PY_OPCODES(DIS_HAS_ARG)
#undef DIS_HAS_ARG
};

static const char *const binop_names[PY_OP__COUNT] = {
    "+", "-", "*", "@", "/", "//", "%", "**", "<<", ">>", "&", "|", "^",
};
static const char *const cmp_names[] = { "<", "<=", "==", "!=", ">", ">=" };
static const char *const unop_names[] = { "-", "+", "~" };
static const char *const conv_names[] = { "", "!s", "!r", "!a" };

/* Prints repr(o) (at most ~60 bytes of it), never failing. */
static void print_repr(FILE *f, ft_object *o)
{
    ft_object *r = py_repr(o);
    const char *s = r ? ft_str_utf8_borrow(r, NULL) : NULL;
    if (!s) {
        py_err_clear();
        ft_err_clear();
        fprintf(f, "<%s object>", ft_type_name(o));
    } else if (strlen(s) > 60) {
        fprintf(f, "%.57s...", s);
    } else {
        fputs(s, f);
    }
    ft_xdecref(r);
}

static void print_str_item(FILE *f, ft_object *tuple, ssize_t i)
{
    if (tuple && i >= 0 && i < ft_len(tuple))
        fputs(ft_str_utf8_borrow(ft_tuple_get_borrow(tuple, i), NULL), f);
    else
        fputs("?", f);
}

static void print_cell_name(FILE *f, const py_code *c, uint32_t arg)
{
    if ((int)arg < c->co_ncells)
        print_str_item(f, c->co_cellvars, arg);
    else
        print_str_item(f, c->co_freevars, (ssize_t)arg - c->co_ncells);
}

/* What the argument of instruction w refers to, in parentheses. */
static void print_arg_meaning(FILE *f, const py_code *c, uint32_t w)
{
    int op = py_instr_op(w);
    uint32_t arg = py_instr_arg(w);
    if (py_opcode_is_jump[op]) {
        fprintf(f, "(to %u)", arg);
        return;
    }
    switch (py_opcode_unpaired(op)) {
    case OP_LOAD_CONST:
        fputc('(', f);
        if ((ssize_t)arg < ft_len(c->co_consts))
            print_repr(f, ft_tuple_get_borrow(c->co_consts, arg));
        fputc(')', f);
        break;
    case OP_LOAD_NAME: case OP_STORE_NAME: case OP_DELETE_NAME:
    case OP_LOAD_GLOBAL: case OP_STORE_GLOBAL: case OP_DELETE_GLOBAL:
    case OP_LOAD_ATTR: case OP_LOAD_METHOD: case OP_STORE_ATTR:
    case OP_DELETE_ATTR: case OP_IMPORT_NAME: case OP_IMPORT_FROM:
        fputc('(', f);
        print_str_item(f, c->co_names, arg);
        fputc(')', f);
        break;
    case OP_LOAD_FAST: case OP_STORE_FAST: case OP_DELETE_FAST:
        fputc('(', f);
        print_str_item(f, c->co_varnames, arg);
        fputc(')', f);
        break;
    case OP_LOAD_DEREF: case OP_STORE_DEREF: case OP_DELETE_DEREF:
    case OP_LOAD_CLOSURE: case OP_LOAD_CLASSDEREF:
        fputc('(', f);
        print_cell_name(f, c, arg);
        fputc(')', f);
        break;
    case OP_BINARY_OP:
        if ((arg & ~(uint32_t)PY_OP_INPLACE) < PY_OP__COUNT)
            fprintf(f, "(%s%s)", binop_names[arg & ~(uint32_t)PY_OP_INPLACE],
                    arg & PY_OP_INPLACE ? "=" : "");
        break;
    case OP_COMPARE_OP:
        if (arg < 6)
            fprintf(f, "(%s)", cmp_names[arg]);
        break;
    case OP_UNARY_OP:
        if (arg < 3)
            fprintf(f, "(%s)", unop_names[arg]);
        break;
    case OP_IS_OP:
        fputs(arg ? "(is not)" : "(is)", f);
        break;
    case OP_CONTAINS_OP:
        fputs(arg ? "(not in)" : "(in)", f);
        break;
    case OP_FORMAT_VALUE:
        fprintf(f, "(%s%s)", conv_names[arg & 3], arg & 4 ? ", with format" : "");
        break;
    case OP_UNPACK_EX:
        fprintf(f, "(%u before, %u after)", arg & 0xff, arg >> 8);
        break;
    default:
        break;
    }
}

static void disassemble_one(const py_code *c, FILE *f)
{
    ssize_t n = c->co_ncode;
    /* Mark jump targets first (a byte map, freed at the end). */
    unsigned char *target = ft_calloc((size_t)n + 1, 1);
    for (ssize_t i = 0; target && i < n; i++) {
        uint32_t w = c->co_code[i];
        int op = py_instr_op(w);
        if (op < OP__COUNT && py_opcode_is_jump[op] && py_instr_arg(w) <= (uint32_t)n)
            target[py_instr_arg(w)] = 1;
    }
    int last_line = -1;
    for (ssize_t i = 0; i < n; i++) {
        uint32_t w = c->co_code[i];
        int op = py_instr_op(w);
        int line = py_code_line(c, i);
        if (line != last_line && line > 0) {
            if (i > 0)
                fputc('\n', f);
            fprintf(f, "%4d", line);
            last_line = line;
        } else {
            fputs("    ", f);
        }
        fprintf(f, "    %s %6zd ", target && target[i] ? ">>" : "  ", i);
        if (op >= OP__COUNT) {
            fprintf(f, "<%d> %u\n", op, py_instr_arg(w));
            continue;
        }
        if (!opcode_has_arg[op]) {
            fprintf(f, "%s\n", py_opcode_names[op]);
            continue;
        }
        fprintf(f, "%-24s %5u ", py_opcode_names[op], py_instr_arg(w));
        print_arg_meaning(f, c, w);
        fputc('\n', f);
    }
    ft_free(target);
}

void py_code_disassemble(const py_code *c, FILE *f)
{
    ft_object *r = py_repr((ft_object *)c);
    if (r) {
        fprintf(f, "Disassembly of %s:\n", ft_str_utf8_borrow(r, NULL));
        ft_decref(r);
    } else {
        py_err_clear();
        fprintf(f, "Disassembly of <code object>:\n");
    }
    disassemble_one(c, f);
    ssize_t nconsts = ft_len(c->co_consts);
    for (ssize_t i = 0; i < nconsts; i++) {
        ft_object *k = ft_tuple_get_borrow(c->co_consts, i);
        if (k->ob_type == &py_code_class.ft) {
            fputc('\n', f);
            py_code_disassemble(py_as_code(k), f);
        }
    }
}
