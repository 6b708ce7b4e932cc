/* compile/parser.c — tokens to the AST (ast.h): a recursive-descent parser
 * for Python 3.11's grammar (Grammar/python.gram), one function per rule,
 * named after the rule.
 *
 * The grammar is PEG; nearly all of it is LL(1) once a few rules are
 * parsed "expression first, then checked": an assignment's targets are
 * parsed as expressions and then validated as targets (CPython's invalid_*
 * rules give the messages), a call's keyword argument is recognized by
 * NAME '=', a parenthesized with-statement is tried first and re-parsed
 * as an expression when it is not one. Tokens are kept in an array
 * filled on demand, so looking ahead or backing up is moving `mark`.
 *
 * Errors: the first error wins and stops the parse. Each parse function
 * returns NULL (or false) once p->error is set; an error always has a
 * Python exception behind it. After a parser error the rest of the source
 * is tokenized, and a tokenizer error there replaces the parser's (as
 * CPython does: an unclosed bracket or unterminated string explains a
 * confusing "invalid syntax" better).
 *
 * Binary operator chains are loops; the rules that recurse on themselves
 * (unary operators, not, lambda, conditional expressions, brackets) count
 * depth and stop with MemoryError past PARSER_MAXDEPTH, as CPython's
 * parser does ("source too complex"); brackets stop at 200 levels in the
 * tokenizer.
 *
 * f-strings are split here (3.11 rules: the expression part is text
 * between braces, parsed by a sub-parser over "(" expr ")" whose node
 * locations are shifted back into the file).
 *
 * \N{NAME} escapes look the name up in unicode_names.h (generated from
 * CPython 3.11's unicodedata by gen_unicode_names.py: every character
 * name and alias of Unicode 14.0, ~1.2 MB of source, ~400 KB of tables);
 * a lookup is a linear scan of the encoded names (well under 1 ms).
 *
 * CPython's second, error-reporting pass (its invalid_* rules) is
 * approximated where the first error is found: e.g. an invalid target
 * is reported at its '=' before the rest of the statement is read, and
 * `x = 1` where an expression belongs (if/while conditions, displays)
 * gets the "Maybe you meant '=='" messages of invalid_named_expression.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"
#include "tokenizer.h"
#include "../objects/str.h"        /* py_bytes_from_buf */

#define PARSER_MAXDEPTH 6000

typedef struct parser {
    py_arena *arena;
    py_tokenizer tok;
    py_token *toks;              /* tokens read so far (ft_malloc)         */
    ssize_t fill, cap;
    ssize_t mark;                /* index of the next token               */
    py_token errtok;             /* returned once an error is set         */
    const char *filename;
    const char *src, *src_end;   /* the root source copy (for error lines) */
    bool error;                  /* an exception is set                   */
    int err_lineno;              /* the line the parser's error names     */
    bool keep_error;             /* no tokenizer error may replace it     */
    bool tok_failed;             /* ... and it came from the tokenizer    */
    bool generic;                /* ... and it is a plain "invalid syntax" */
    int depth;
    /* f-string sub-parser: node positions are shifted into the file */
    bool fstring;
    int line_shift, col_shift;
} parser;

/* A growable array of pointers in the arena (grown by doubling; the old
 * arrays stay in the arena, which is freed as a whole). */
typedef struct vec { void **items; ssize_t n, cap; } vec;

/* ---- Tokens ------------------------------------------------------------------ */

static py_token *peek_at(parser *p, ssize_t i)
{
    while (p->fill <= i) {
        if (p->error)
            return &p->errtok;
        if (p->fill > 0 && p->toks[p->fill - 1].type == PY_T_ENDMARKER)
            return &p->toks[p->fill - 1];
        if (p->fill == p->cap) {
            ssize_t cap = p->cap ? p->cap * 2 : 256;
            py_token *t = ft_realloc(p->toks, (size_t)cap * sizeof *t);
            if (!t) {
                py_err_nomemory();
                p->error = true;
                return &p->errtok;
            }
            p->toks = t;
            p->cap = cap;
        }
        if (py_tokenizer_next(&p->tok, &p->toks[p->fill]) < 0) {
            p->error = p->tok_failed = true;
            return &p->errtok;
        }
        p->fill++;
    }
    return &p->toks[i];
}

static py_token *peek(parser *p) { return peek_at(p, p->mark); }
static int ptype(parser *p) { return peek(p)->type; }
static int ptype_at(parser *p, ssize_t k) { return peek_at(p, p->mark + k)->type; }
static py_token *prev(parser *p) { return &p->toks[p->mark > 0 ? p->mark - 1 : 0]; }

static bool accept(parser *p, int type)
{
    if (ptype(p) != type)
        return false;
    p->mark++;
    return true;
}

/* ---- Errors ------------------------------------------------------------------- */

/* The text of line `lineno` of the root source, or NULL. */
static const char *source_line(parser *p, int lineno)
{
    const char *s = p->src;
    for (int n = 1; n < lineno && s < p->src_end; s++)
        if (*s == '\n')
            n++;
    return s < p->src_end ? s : NULL;
}

static void raise_at(parser *p, py_type *type, const char *line, int lineno,
                     int col, int end_lineno, int end_col, const char *fmt,
                     va_list ap)
{
    char msg[512];
    int n = 0;
    if (p->fstring && strncmp(fmt, "f-string", 8) != 0)
        n = snprintf(msg, sizeof msg, "f-string: ");
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    p->error = true;
    p->generic = false;
    p->err_lineno = lineno;
    py_tok_raise(type, p->filename, msg, line, lineno, col, end_lineno, end_col);
}

/* An error spanning tokens a..b (b may be a). */
/* CPython's INDENT and DEDENT tokens have no columns: an error there
 * names the tokenizer's position, without the usual +1, and no end. */
static bool layout_token(const py_token *t)
{
    return t->type == PY_T_INDENT || t->type == PY_T_DEDENT;
}

static void *err_tokens(parser *p, py_type *type, const py_token *a,
                        const py_token *b, const char *fmt, ...)
{
    if (p->error)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    int end_col = b->lineno == a->lineno ? b->end_col : a->col;
    if (layout_token(a))
        raise_at(p, type, a->line_start, a->lineno, a->col - 1, a->lineno, -2, fmt, ap);
    else
        raise_at(p, type, a->line_start, a->lineno, a->col, a->lineno, end_col, fmt, ap);
    va_end(ap);
    return NULL;
}

static void *err_tok(parser *p, const py_token *t, const char *fmt, ...)
{
    if (p->error)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    if (layout_token(t))
        raise_at(p, NULL, t->line_start, t->lineno, t->col - 1, t->lineno, -2, fmt, ap);
    else
        raise_at(p, NULL, t->line_start, t->lineno, t->col, t->end_lineno,
                 t->end_lineno == t->lineno ? t->end_col : t->col, fmt, ap);
    va_end(ap);
    return NULL;
}

/* An error at a span of node positions (file coordinates). */
static void *err_span(parser *p, int lineno, int col, int end_lineno,
                      int end_col, const char *fmt, ...)
{
    if (p->error)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    const char *line;
    if (p->fstring) {
        /* CPython reports f-string expression errors in the coordinates
         * of the "(expr)" text it parsed */
        if (lineno - p->line_shift == 1)
            col -= p->col_shift;
        if (end_lineno - p->line_shift == 1)
            end_col -= p->col_shift;
        lineno -= p->line_shift;
        end_lineno -= p->line_shift;
        line = p->tok.buf;
        for (int n = 1; n < lineno && *line; line++)
            if (*line == '\n')
                n++;
    } else {
        line = source_line(p, lineno);
    }
    raise_at(p, NULL, line, lineno, col, end_lineno,
             end_lineno == lineno ? end_col : col, fmt, ap);
    va_end(ap);
    return NULL;
}

#define err_node(p, e, ...) \
    err_span(p, (e)->lineno, (e)->col_offset, (e)->end_lineno, (e)->end_col_offset, __VA_ARGS__)

/* An error at explicit coordinates (col -1: none, as CPython's -1). */
static void *err_raw(parser *p, py_type *type, const char *line, int lineno, int col,
                     int end_lineno, int end_col, const char *fmt, ...)
{
    if (p->error)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    raise_at(p, type, line, lineno, col, end_lineno, end_col, fmt, ap);
    va_end(ap);
    return NULL;
}

/* Whether t is one of the tokens made at the end of the input (the
 * ENDMARKER and the DEDENTs before it). */
static bool at_eof_token(parser *p, const py_token *t)
{
    return t->type == PY_T_ENDMARKER ||
           (t->type == PY_T_DEDENT && t->start >= p->tok.end);
}

/* Where CPython's tokenizer stands at the end of the input: the last
 * line (the one holding the last byte; a final newline ends it) and the
 * byte length of its text without the newline. */
static void eof_position(parser *p, int *lineno, int *col, const char **line)
{
    const char *s = p->src, *e = p->src_end;
    int n = 1;
    const char *last = s;
    for (const char *q = s; q < e; q++) {
        if (*q == '\n' && q + 1 < e) {
            n++;
            last = q + 1;
        }
    }
    const char *end = e;
    if (end > last && end[-1] == '\n')
        end--;
    if (end > last && end[-1] == '\r')
        end--;
    *lineno = n;
    *col = (int)(end - last);
    *line = last;
}

static void *invalid_syntax(parser *p)
{
    py_token *t = peek(p);
    if (p->error)
        return NULL;
    if (t->type == PY_T_ENDMARKER && !p->fstring) {
        /* CPython's ENDMARKER has no column: offset 0 on the last line */
        int lineno, col;
        const char *line;
        eof_position(p, &lineno, &col, &line);
        err_raw(p, NULL, line, lineno, -1, lineno, -1, "invalid syntax");
        p->generic = true;
        return NULL;
    }
    if (t->type == PY_T_INDENT || t->type == PY_T_DEDENT) {
        /* CPython raises these last, with no look at the rest of the file */
        p->keep_error = true;
        return err_tokens(p, py_exc_IndentationError, t, t, t->type == PY_T_INDENT ?
                          "unexpected indent" : "unexpected unindent");
    }
    err_tok(p, t, "invalid syntax");
    p->generic = true;
    return NULL;
}

/* Undoes a failed look-ahead parse: the error is dropped and the mark
 * restored, unless the tokenizer failed (its error stands: false). */
static bool undo_attempt(parser *p, ssize_t m)
{
    if (p->error) {
        if (p->tok_failed)
            return false;
        py_err_clear();
        p->error = false;
    }
    p->mark = m;
    return true;
}

static bool expect(parser *p, int type)
{
    if (accept(p, type))
        return true;
    invalid_syntax(p);
    return false;
}

/* "expected ':'" for the headers of compound statements: CPython says it
 * for any token after for, with, try, else, finally and def headers
 * (forced tokens), and only before a NEWLINE after if, elif, while,
 * except and class headers. */
static bool expect_colon(parser *p, bool forced)
{
    if (accept(p, PY_T_COLON))
        return true;
    if (!p->error && (forced || ptype(p) == PY_T_NEWLINE))
        err_tok(p, peek(p), "expected ':'");
    else
        invalid_syntax(p);
    return false;
}

static bool enter(parser *p)
{
    if (++p->depth > PARSER_MAXDEPTH) {
        if (!p->error) {
            py_err_nomemory();
            p->error = true;
        }
        return false;
    }
    return true;
}

static void leave(parser *p) { p->depth--; }

/* ---- Nodes -------------------------------------------------------------------- */

static void *alloc(parser *p, size_t n)
{
    void *x = py_arena_alloc(p->arena, n);
    if (!x)
        p->error = true;
    return x;
}

static int vec_push(parser *p, vec *v, void *x)
{
    if (p->error)
        return -1;
    if (v->n == v->cap) {
        ssize_t cap = v->cap ? v->cap * 2 : 4;
        void **items = alloc(p, (size_t)cap * sizeof *items);
        if (!items)
            return -1;
        if (v->n)
            memcpy(items, v->items, (size_t)v->n * sizeof *items);
        v->items = items;
        v->cap = cap;
    }
    v->items[v->n++] = x;
    return 0;
}

#define SEQ(type, v) ((type){(v).n, (void *)(v).items})

/* File positions of a token's start and end (shifted in f-strings). */
static int tline(parser *p, int lineno) { return lineno + p->line_shift; }
static int tcol(parser *p, int lineno, int col)
{
    return col + (lineno == 1 ? p->col_shift : 0);
}

typedef struct loc { int lineno, col, end_lineno, end_col; } loc;

/* From token index start to the last consumed token. */
static loc span_from(parser *p, ssize_t start)
{
    py_token *a = &p->toks[start], *b = prev(p);
    return (loc){tline(p, a->lineno), tcol(p, a->lineno, a->col),
                 tline(p, b->end_lineno), tcol(p, b->end_lineno, b->end_col)};
}

#define SET_LOC(n, l) ((n)->lineno = (l).lineno, (n)->col_offset = (l).col, \
                       (n)->end_lineno = (l).end_lineno, (n)->end_col_offset = (l).end_col)
#define LOC_OF(n) ((loc){(n)->lineno, (n)->col_offset, (n)->end_lineno, (n)->end_col_offset})
/* From the start of node a to the end of node b. */
#define LOC_AB(a, b) ((loc){(a)->lineno, (a)->col_offset, (b)->end_lineno, (b)->end_col_offset})

static py_expr *new_expr(parser *p, int kind, loc l)
{
    py_expr *e = alloc(p, sizeof *e);
    if (!e)
        return NULL;
    e->kind = kind;
    SET_LOC(e, l);
    return e;
}

static py_stmt *new_stmt(parser *p, int kind, loc l)
{
    py_stmt *s = alloc(p, sizeof *s);
    if (!s)
        return NULL;
    s->kind = kind;
    SET_LOC(s, l);
    return s;
}

/* An interned str for n bytes of UTF-8, owned by the arena. */
static ft_object *new_ident(parser *p, const char *s, size_t n)
{
    if (p->error)
        return NULL;
    ft_object *str = ft_str_from_utf8(s, (ssize_t)n);
    if (!str) {
        py_err_from_ft();
        p->error = true;
        return NULL;
    }
    ft_object *in = ft_str_intern(str);
    ft_decref(str);
    if (!in || !py_arena_add_steal(p->arena, in)) {
        if (!in)
            py_err_from_ft();
        p->error = true;
        return NULL;
    }
    return in;
}

static ft_object *tok_ident(parser *p, const py_token *t)
{
    return new_ident(p, t->start, (size_t)(t->end - t->start));
}

/* Hands the arena a new reference (NULL: the error is already set). */
static ft_object *keep(parser *p, ft_object *o)
{
    if (!o) {
        if (!py_err_occurred())
            py_err_from_ft();
        p->error = true;
        return NULL;
    }
    if (!py_arena_add_steal(p->arena, o)) {
        p->error = true;
        return NULL;
    }
    return o;
}

static py_expr *new_constant(parser *p, ft_object *value, loc l)
{
    py_expr *e = new_expr(p, PY_E_Constant, l);
    if (e)
        e->v.Constant.value = value;
    return e;
}

/* ---- Targets ----------------------------------------------------------------------
 * Expressions parsed first become targets here: ctx is set to Store/Del
 * throughout, and anything that cannot be assigned to is reported with
 * CPython's noun for it (the node _PyPegen_get_invalid_target finds).
 */
enum target_kind { STAR_TARGETS, DEL_TARGETS, FOR_TARGETS };

static const py_expr *invalid_target(const py_expr *e, int kind)
{
    switch (e->kind) {
    case PY_E_Name: case PY_E_Attribute: case PY_E_Subscript:
        return NULL;
    case PY_E_Starred:
        if (kind == DEL_TARGETS)
            return e;
        return invalid_target(e->v.Starred.value, kind);
    case PY_E_List: case PY_E_Tuple:
        for (ssize_t i = 0; i < e->v.List.elts.n; i++) {
            const py_expr *bad = invalid_target(e->v.List.elts.items[i], kind);
            if (bad)
                return bad;
        }
        return NULL;
    case PY_E_Compare:
        /* "for x in y in z": blame what comes before the 'in' */
        if (kind == FOR_TARGETS && e->v.Compare.ops[0] == PY_CMP_IN)
            return invalid_target(e->v.Compare.left, kind);
        return e;
    default:
        return e;
    }
}

static void set_ctx(py_expr *e, int ctx)
{
    switch (e->kind) {
    case PY_E_Name: e->v.Name.ctx = ctx; break;
    case PY_E_Attribute: e->v.Attribute.ctx = ctx; break;
    case PY_E_Subscript: e->v.Subscript.ctx = ctx; break;
    case PY_E_Starred:
        e->v.Starred.ctx = ctx;
        set_ctx(e->v.Starred.value, ctx);
        break;
    case PY_E_List: case PY_E_Tuple:
        e->v.List.ctx = ctx;
        for (ssize_t i = 0; i < e->v.List.elts.n; i++)
            set_ctx(e->v.List.elts.items[i], ctx);
        break;
    default:
        break;
    }
}

/* Validates e as a target of kind and sets its ctx; false on error. */
static bool as_target(parser *p, py_expr *e, int kind)
{
    if (!e)
        return false;
    const py_expr *bad = invalid_target(e, kind);
    if (bad) {
        if (kind == DEL_TARGETS)
            err_node(p, bad, "cannot delete %s", py_expr_describe(bad));
        else
            err_node(p, bad, "cannot assign to %s", py_expr_describe(bad));
        return false;
    }
    set_ctx(e, kind == DEL_TARGETS ? PY_DEL : PY_STORE);
    return true;
}

/* ---- Forward declarations of the rules --------------------------------------------- */

static py_expr *expression(parser *p);
static py_expr *named_expression(parser *p);
static py_expr *star_expression(parser *p);
static py_expr *named_expression_ex(parser *p, bool eq_hint);
static bool named_eq_hint(parser *p, py_expr *last, ssize_t lstart, ssize_t eq);
static py_expr *star_expressions(parser *p);
static py_expr *star_named_expression(parser *p);
static py_expr *yield_expr(parser *p);
static py_expr *disjunction(parser *p);
static py_expr *bitwise_or(parser *p);
static py_expr *primary(parser *p);
static py_expr *atom(parser *p);
static py_expr *strings(parser *p);
static py_arguments *params(parser *p, bool lambda, int close);
static bool block(parser *p, py_stmt_seq *out, const char *what, int lineno);
static bool statement(parser *p, vec *out);
static bool comprehension_clauses(parser *p, py_comprehension_seq *out);

/* Can the current token start an expression? (for error messages) */
static bool starts_expression(int t)
{
    switch (t) {
    case PY_T_NAME: case PY_T_NUMBER: case PY_T_STRING: case PY_T_LPAR:
    case PY_T_LSQB: case PY_T_LBRACE: case PY_T_MINUS: case PY_T_PLUS:
    case PY_T_TILDE: case PY_T_NOT: case PY_T_LAMBDA: case PY_T_NONE:
    case PY_T_TRUE: case PY_T_FALSE: case PY_T_ELLIPSIS: case PY_T_AWAIT:
        return true;
    }
    return false;
}

/* An expression where none may follow: "invalid syntax" there, unless
 * parsing it (as CPython's error pass does) runs into a tokenizer error
 * such as the end of the file inside a bracket. */
static void *unexpected_expression(parser *p)
{
    if (p->error || !starts_expression(ptype(p)))
        return invalid_syntax(p);
    ssize_t m = p->mark;
    if (expression(p) || !p->tok_failed) {
        if (p->error)
            py_err_clear();
        p->error = false;
        p->mark = m;
        return invalid_syntax(p);
    }
    return NULL;
}

/* Inside brackets, two expressions in a row: "Perhaps you forgot a
 * comma?" spanning both (CPython's invalid_expression). */
static void *missing_comma(parser *p, py_expr *a)
{
    if (p->error)
        return NULL;
    if (!a || !starts_expression(ptype(p)) ||
        (a->kind == PY_E_Name && ptype(p) == PY_T_STRING) ||
        a->kind == PY_E_Lambda || a->kind == PY_E_IfExp ||
        a->kind == PY_E_NamedExpr || a->kind == PY_E_Starred)
        return unexpected_expression(p);
    ssize_t m = p->mark;
    py_expr *b = expression(p);
    if (!b) {
        if (p->tok_failed)
            return NULL;
        py_err_clear();
        p->error = false;
        p->mark = m;
        return invalid_syntax(p);
    }
    return err_span(p, a->lineno, a->col_offset, b->end_lineno, b->end_col_offset,
                    "invalid syntax. Perhaps you forgot a comma?");
}

/* ---- Numbers ---------------------------------------------------------------------- */

static py_expr *number(parser *p)
{
    py_token t = *peek(p);
    ssize_t start = p->mark++;
    size_t n = (size_t)(t.end - t.start);
    bool is_float = false;
    bool radix = n > 1 && t.start[0] == '0' && strchr("xXoObB", t.start[1]);
    for (size_t i = 0; i < n && !radix; i++)
        if (t.start[i] == '.' || t.start[i] == 'e' || t.start[i] == 'E')
            is_float = true;
    ft_object *v;
    if (is_float) {
        char buf[128], *big = NULL, *d = buf;
        if (n >= sizeof buf)
            d = big = ft_malloc(n + 1);
        if (!d) {
            p->error = true;
            return NULL;
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (t.start[i] != '_')
                d[k++] = t.start[i];
        d[k] = '\0';
        double x = strtod(d, NULL);
        ft_free(big);
        v = ft_float_from_double(x);
    } else {
        v = py_long_from_string(t.start, n, 0);
    }
    if (!keep(p, v))
        return NULL;
    return new_constant(p, v, span_from(p, start));
}

/* ---- String literals ----------------------------------------------------------------- */

typedef struct strbuf { char *s; size_t n, cap; } strbuf;

static int sb_add(parser *p, strbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *x = alloc(p, cap);
        if (!x)
            return -1;
        if (b->n)
            memcpy(x, b->s, b->n);
        b->s = x;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

static int sb_add_cp(parser *p, strbuf *b, uint32_t c)
{
    char u[4];
    size_t n;
    if (c < 0x80) { u[0] = (char)c; n = 1; }
    else if (c < 0x800) { u[0] = (char)(0xC0 | (c >> 6)); u[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12)); u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18)); u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F)); u[3] = (char)(0x80 | (c & 0x3F)); n = 4;
    }
    return sb_add(p, b, u, n);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes the escapes of s[0..n) into b (str or bytes rules). Errors
 * are reported at the token after the literal, as CPython does. */
/* ---- \N{NAME}: Unicode character names ------------------------------------------------ */
#include "unicode_names.h"

/* Reads the code point delta (or absolute value) of a names entry. */
static const unsigned char *uname_varint(const unsigned char *d, uint32_t *v)
{
    uint32_t r = 0;
    int shift = 0;
    for (;;) {
        unsigned char c = *d++;
        r |= (uint32_t)(c & 0x7F) << shift;
        if (!(c & 0x80))
            break;
        shift += 7;
    }
    *v = r;
    return d;
}

/* The length of an entry's word list (its final 0xFF included). */
static size_t uname_words_len(const unsigned char *d)
{
    const unsigned char *s = d;
    while (*d != 0xFF)
        d += *d >= 0xC0 ? 2 : 1;
    return (size_t)(d + 1 - s);
}

/* The id of word w (n bytes) in the lexicon, or -1. */
static int uname_word_id(const char *w, size_t n)
{
    size_t lo = 0, hi = UNAMES_NWORDS;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint32_t e = unames_words_sorted[mid];
        const char *x = unames_lexicon + (e >> 14);
        size_t xn = strlen(x);
        int c = memcmp(w, x, n < xn ? n : xn);
        if (c == 0)
            c = n < xn ? -1 : n > xn ? 1 : 0;
        if (c == 0)
            return (int)(e & 0x3FFF);
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

/* Longest jamo name of table (count entries) at the start of *s. */
static int hangul_jamo(const char **s, const char *end, const char *const *table, int count)
{
    int best = -1;
    size_t best_len = 0;
    for (int i = 0; i < count; i++) {
        size_t n = strlen(table[i]);
        if (n <= (size_t)(end - *s) && memcmp(*s, table[i], n) == 0 &&
            (best < 0 || n > best_len)) {
            best = i;
            best_len = n;
        }
    }
    *s += best_len;
    return best;
}

/* "HANGUL SYLLABLE <jamo>" (name after the prefix, upper case). */
static bool hangul_syllable(const char *s, const char *end, uint32_t *cp)
{
    static const char *const L[] = {
        "G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ",
        "C", "K", "T", "P", "H" };
    static const char *const V[] = {
        "A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO",
        "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I" };
    static const char *const T[] = {
        "", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT",
        "LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H" };
    int l = hangul_jamo(&s, end, L, 19);
    int v = hangul_jamo(&s, end, V, 21);
    int t = hangul_jamo(&s, end, T, 28);
    if (l < 0 || v < 0 || t < 0 || s != end)
        return false;
    *cp = 0xAC00 + (uint32_t)((l * 21 + v) * 28 + t);
    return true;
}

/* "PREFIX-XXXX" names computed from the code point. */
static bool uname_range(const char *name, size_t n, uint32_t *cp)
{
    for (size_t i = 0; i < sizeof unames_ranges / sizeof unames_ranges[0]; i++) {
        const char *pre = unames_ranges[i].prefix;
        size_t pn = strlen(pre);
        if (n <= pn || n > pn + 6 || memcmp(name, pre, pn) != 0 ||
            strcmp(pre, "CJK UNIFIED IDEOGRAPH-") == 0)
            continue;
        uint32_t v = 0;
        for (size_t k = pn; k < n; k++) {
            int h = hexval(name[k]);
            if (h < 0 || (name[k] >= 'a' && name[k] <= 'f'))
                return false;
            v = v * 16 + (uint32_t)h;
        }
        char canon[48];
        snprintf(canon, sizeof canon, "%s%04X", pre, (unsigned)v);
        if (strlen(canon) == n && memcmp(canon, name, n) == 0 &&
            v >= unames_ranges[i].first && v <= unames_ranges[i].last) {
            *cp = v;
            return true;
        }
    }
    return false;
}

/* "CJK UNIFIED IDEOGRAPH-" then 4 or 5 upper-case hex digits naming a
 * unified ideograph. */
static bool cjk_unified(const char *hex, size_t n, uint32_t *cp)
{
    if (n != 4 && n != 5)
        return false;
    uint32_t v = 0;
    for (size_t k = 0; k < n; k++) {
        int h = hexval(hex[k]);
        if (h < 0 || (hex[k] >= 'a' && hex[k] <= 'f'))
            return false;
        v = v * 16 + (uint32_t)h;
    }
    for (size_t i = 0; i < sizeof unames_ranges / sizeof unames_ranges[0]; i++) {
        if (strcmp(unames_ranges[i].prefix, "CJK UNIFIED IDEOGRAPH-") == 0 &&
            v >= unames_ranges[i].first && v <= unames_ranges[i].last) {
            *cp = v;
            return true;
        }
    }
    return false;
}

/* The code point named name (n bytes), as \N{name} finds it in CPython
 * 3.11: names and aliases of Unicode 14.0, case-insensitive (but not
 * the CJK unified ideographs and Hangul syllables, which are computed). */
static bool unicode_name_lookup(const char *name, size_t n, uint32_t *cp)
{
    char up[256];
    if (n == 0 || n >= sizeof up)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 0x80)
            return false;
        up[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    up[n] = '\0';
    /* computed names: case-sensitive, as CPython's _getcode */
    if (n > 22 && memcmp(name, "CJK UNIFIED IDEOGRAPH-", 22) == 0)
        return cjk_unified(name + 22, n - 22, cp);
    if (n > 16 && memcmp(name, "HANGUL SYLLABLE ", 16) == 0 &&
        hangul_syllable(name + 16, name + n, cp))
        return true;
    if (uname_range(up, n, cp))
        return true;
    /* the name as the table encodes it: word ids, then 0xFF */
    unsigned char key[2 * sizeof up];
    size_t kn = 0;
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && up[j] != ' ')
            j++;
        int id = uname_word_id(up + i, j - i);
        if (id < 0)
            return false;
        if (id < 0xC0) {
            key[kn++] = (unsigned char)id;
        } else {
            key[kn++] = (unsigned char)(0xC0 + (id >> 8));
            key[kn++] = (unsigned char)(id & 0xFF);
        }
        i = j + 1;
    }
    key[kn++] = 0xFF;
    uint32_t c = 0;
    const unsigned char *d = unames_names, *end = unames_names + sizeof unames_names;
    while (d < end) {
        uint32_t delta;
        d = uname_varint(d, &delta);
        c += delta;
        size_t len = uname_words_len(d);
        if (len == kn && memcmp(d, key, kn) == 0) {
            *cp = c;
            return true;
        }
        d += len;
    }
    d = unames_aliases;
    end = unames_aliases + sizeof unames_aliases;
    while (d < end) {
        d = uname_varint(d, &c);
        size_t len = uname_words_len(d);
        if (len == kn && memcmp(d, key, kn) == 0) {
            *cp = c;
            return true;
        }
        d += len;
    }
    return false;
}

static int decode_escapes(parser *p, strbuf *b, const char *s, size_t n,
                          bool is_bytes)
{
    const char *end = s + n;
    while (s < end) {
        const char *bs = memchr(s, '\\', (size_t)(end - s));
        if (!bs)
            return sb_add(p, b, s, (size_t)(end - s));
        if (sb_add(p, b, s, (size_t)(bs - s)) < 0)
            return -1;
        s = bs + 1;
        if (s >= end) {
            if (sb_add(p, b, "\\", 1) < 0)
                return -1;
            break;
        }
        char c = *s++;
        int pos = (int)(bs - (end - n));
        switch (c) {
        case '\n': break;
        case '\\': case '\'': case '"':
            if (sb_add(p, b, &c, 1) < 0) return -1;
            break;
        case 'a': if (sb_add(p, b, "\a", 1) < 0) return -1; break;
        case 'b': if (sb_add(p, b, "\b", 1) < 0) return -1; break;
        case 'f': if (sb_add(p, b, "\f", 1) < 0) return -1; break;
        case 'n': if (sb_add(p, b, "\n", 1) < 0) return -1; break;
        case 'r': if (sb_add(p, b, "\r", 1) < 0) return -1; break;
        case 't': if (sb_add(p, b, "\t", 1) < 0) return -1; break;
        case 'v': if (sb_add(p, b, "\v", 1) < 0) return -1; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            unsigned v = (unsigned)(c - '0');
            for (int k = 0; k < 2 && s < end && *s >= '0' && *s <= '7'; k++)
                v = v * 8 + (unsigned)(*s++ - '0');
            if (is_bytes) {
                char ch = (char)(v & 0xFF);
                if (sb_add(p, b, &ch, 1) < 0) return -1;
            } else if (sb_add_cp(p, b, v) < 0) {
                return -1;
            }
            break;
        }
        case 'x': case 'u': case 'U': {
            if (is_bytes && c != 'x') {
                char esc[2] = {'\\', c};
                if (sb_add(p, b, esc, 2) < 0) return -1;
                break;
            }
            int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            uint32_t v = 0;
            int k = 0;
            for (; k < digits && s < end && hexval(*s) >= 0; k++)
                v = v * 16 + (uint32_t)hexval(*s++);
            if (k < digits) {
                if (is_bytes)
                    return err_tok(p, peek(p), "(value error) invalid \\x escape at position %d", pos), -1;
                return err_tok(p, peek(p), "(unicode error) 'unicodeescape' codec can't decode "
                               "bytes in position %d-%d: truncated \\%c%s escape", pos,
                               pos + 1 + k, c, c == 'x' ? "XX" : c == 'u' ? "XXXX" : "XXXXXXXX"), -1;
            }
            if (is_bytes) {
                char ch = (char)v;
                if (sb_add(p, b, &ch, 1) < 0) return -1;
                break;
            }
            if (v > 0x10FFFF)
                return err_tok(p, peek(p), "(unicode error) 'unicodeescape' codec can't decode "
                               "bytes in position %d-%d: illegal Unicode character", pos,
                               pos + 1 + digits), -1;
            if (v >= 0xD800 && v <= 0xDFFF)
                return err_tok(p, peek(p), "(unicode error) lone surrogates (\\u%04x) are not "
                               "supported by ftpy", (unsigned)v), -1;
            if (sb_add_cp(p, b, v) < 0) return -1;
            break;
        }
        case 'N':
            if (!is_bytes) {
                /* CPython's unicode_decode_unicode_escape: the error's end
                 * is the '}' of an unknown name, the brace of an empty
                 * one, the end of the text when there is no '}' */
                const char *msg = "malformed \\N character escape";
                const char *q = s;
                if (q < end && *q == '{') {
                    const char *name = ++q;
                    while (q < end && *q != '}')
                        q++;
                    if (q < end && q > name) {
                        uint32_t cp;
                        q++;
                        if (unicode_name_lookup(name, (size_t)(q - 1 - name), &cp)) {
                            if (sb_add_cp(p, b, cp) < 0)
                                return -1;
                            s = q;
                            break;
                        }
                        msg = "unknown Unicode character name";
                    }
                }
                return err_tok(p, peek(p), "(unicode error) 'unicodeescape' codec can't "
                               "decode bytes in position %d-%d: %s", pos,
                               (int)(q - (end - n)) - 1, msg), -1;
            }
            __attribute__((fallthrough));      /* kept as is in bytes */
        default: {
            char esc[2] = {'\\', c};
            if (sb_add(p, b, esc, 2) < 0) return -1;
            break;
        }
        }
    }
    return 0;
}

/* A string token's parts: prefix flags and the text between the quotes. */
typedef struct strparts {
    bool bytes, raw, fstr, u;
    const char *body;
    size_t n;
    const py_token *tok;
} strparts;

static void split_string(const py_token *t, strparts *st)
{
    const char *s = t->start;
    memset(st, 0, sizeof *st);
    st->tok = t;
    for (; *s != '\'' && *s != '"'; s++) {
        switch (*s | 0x20) {
        case 'b': st->bytes = true; break;
        case 'r': st->raw = true; break;
        case 'f': st->fstr = true; break;
        case 'u': st->u = true; break;
        }
    }
    size_t q = (s[0] == s[1] && s[1] == s[2] && t->end - s >= 6) ? 3 : 1;
    st->body = s + q;
    st->n = (size_t)(t->end - s) - 2 * q;
}

/* -- f-strings -- */

typedef struct fparts {          /* JoinedStr values being built            */
    vec values;
    strbuf lit;                  /* pending literal text                    */
    bool has_lit;
} fparts;

static int flush_literal(parser *p, fparts *f, loc l)
{
    if (!f->has_lit)
        return 0;
    f->has_lit = false;
    if (f->lit.n == 0)
        return 0;
    ft_object *s = keep(p, ft_str_from_utf8(f->lit.s, (ssize_t)f->lit.n));
    f->lit.n = 0;
    if (!s)
        return -1;
    return vec_push(p, &f->values, new_constant(p, s, l));
}

static int add_literal(parser *p, fparts *f, const char *s, size_t n,
                       bool raw)
{
    f->has_lit = true;
    if (raw)
        return sb_add(p, &f->lit, s, n);
    return decode_escapes(p, &f->lit, s, n, false);
}

static int fstring_body(parser *p, fparts *f, const char **sp, const char *end,
                        bool raw, int level, loc l, const py_token *t);

/* The file position (line, byte column) of pointer x inside token t. */
static void pos_in_token(parser *p, const py_token *t, const char *x, int *line, int *col)
{
    int ln = t->lineno;
    const char *ls = t->line_start;
    for (const char *s = t->start; s < x; s++)
        if (*s == '\n') {
            ln++;
            ls = s + 1;
        }
    *line = tline(p, ln);
    *col = ln == t->lineno ? tcol(p, ln, (int)(x - ls)) : (int)(x - ls);
}

/* Parses the expression text [s, e) of an f-string replacement field with
 * a sub-parser over "(" text ")". */
static py_expr *fstring_expr(parser *p, const char *s, const char *e,
                             const py_token *t)
{
    const char *q = s;
    while (q < e && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\f'))
        q++;
    if (q == e) {
        if (*e == '!' || *e == ':' || *e == '=')
            return err_tok(p, peek(p), "f-string: expression required before '%c'", *e);
        return err_tok(p, peek(p), "f-string: empty expression not allowed");
    }
    size_t n = (size_t)(e - s);
    char *buf = alloc(p, n + 4);
    if (!buf)
        return NULL;
    buf[0] = '(';
    memcpy(buf + 1, s, n);
    buf[n + 1] = ')';
    buf[n + 2] = '\n';
    buf[n + 3] = '\0';

    parser sub;
    memset(&sub, 0, sizeof sub);
    sub.arena = p->arena;
    sub.filename = p->filename;
    sub.src = p->src;
    sub.src_end = p->src_end;
    sub.fstring = true;
    sub.depth = p->depth;
    sub.errtok = p->errtok;
    py_tokenizer_init(&sub.tok, buf, n + 3, p->filename);
    sub.tok.checked_to = buf + n + 3;      /* the text was checked already */
    int line, col;
    pos_in_token(p, t, s, &line, &col);
    sub.line_shift = line - 1;
    sub.col_shift = col - 1;

    py_expr *r = star_expressions(&sub);
    if (r && !sub.error) {
        while (accept(&sub, PY_T_NEWLINE))
            ;
        if (ptype(&sub) != PY_T_ENDMARKER)
            r = invalid_syntax(&sub);
    }
    if (sub.error) {
        r = NULL;
        p->error = true;
        p->tok_failed = sub.tok_failed;
    }
    ft_free(sub.toks);
    return r;
}

/* One replacement field; *sp is just past the '{'. */
static int fstring_field(parser *p, fparts *f, const char **sp, const char *end,
                         bool raw, int level, loc l, const py_token *t)
{
    const char *s = *sp, *expr_start = s;
    if (level >= 2)
        return err_tok(p, peek(p), "f-string: expressions nested too deeply"), -1;
    char stack[PY_TOK_MAXLEVEL];
    int depth = 0;
    char quote = 0;
    int qlen = 0;
    for (; s < end; s++) {
        char ch = *s;
        if (ch == '\\')
            return err_tok(p, peek(p), "f-string expression part cannot include a backslash"), -1;
        if (quote) {
            if (ch == quote && (qlen == 1 || (s + 2 < end && s[1] == quote && s[2] == quote))) {
                s += qlen - 1;
                quote = 0;
            }
            continue;
        }
        if (ch == '\'' || ch == '"') {
            quote = ch;
            qlen = (s + 2 < end && s[1] == ch && s[2] == ch) ? 3 : 1;
            s += qlen - 1;
            continue;
        }
        if (ch == '[' || ch == '(' || ch == '{') {
            if (depth >= PY_TOK_MAXLEVEL)
                return err_tok(p, peek(p), "f-string: too many nested parenthesis"), -1;
            stack[depth++] = ch;
            continue;
        }
        if (ch == '#')
            return err_tok(p, peek(p), "f-string expression part cannot include '#'"), -1;
        if (depth == 0 && (ch == '!' || ch == ':' || ch == '}' || ch == '=' ||
                           ch == '>' || ch == '<')) {
            if (s + 1 < end && s[1] == '=' && ch != ':' && ch != '}') {
                s++;
                continue;
            }
            if (ch == '>' || ch == '<')
                continue;
            break;
        }
        if (ch == ']' || ch == ')' || ch == '}') {
            if (depth == 0)
                return err_tok(p, peek(p), "f-string: unmatched '%c'", ch), -1;
            char open = stack[--depth];
            if (!((open == '(' && ch == ')') || (open == '[' && ch == ']') ||
                  (open == '{' && ch == '}')))
                return err_tok(p, peek(p), "f-string: closing parenthesis '%c' does not "
                               "match opening parenthesis '%c'", ch, open), -1;
        }
    }
    if (quote)
        return err_tok(p, peek(p), "f-string: unterminated string"), -1;
    if (depth)
        return err_tok(p, peek(p), "f-string: unmatched '%c'", stack[depth - 1]), -1;
    if (s >= end)
        return err_tok(p, peek(p), "f-string: expecting '}'"), -1;
    const char *expr_end = s;
    py_expr *value = fstring_expr(p, expr_start, expr_end, t);
    if (!value)
        return -1;
    int conversion = -1;
    py_expr *spec = NULL;
    if (*s == '=') {                          /* {x=}: the text, then repr */
        s++;
        while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\f' ||
                           *s == '\v' || *s == '\r'))
            s++;
        f->has_lit = true;
        if (sb_add(p, &f->lit, expr_start, (size_t)(s - expr_start)) < 0)
            return -1;
    }
    bool self_doc = s > expr_end;
    if (s < end && *s == '!') {
        s++;
        if (s >= end)
            return err_tok(p, peek(p), "f-string: expecting '}'"), -1;
        conversion = (unsigned char)*s++;
        if (conversion != 's' && conversion != 'r' && conversion != 'a')
            return err_tok(p, peek(p), "f-string: invalid conversion character: "
                           "expected 's', 'r', or 'a'"), -1;
    }
    if (s < end && *s == ':') {
        s++;
        fparts sf;
        memset(&sf, 0, sizeof sf);
        if (fstring_body(p, &sf, &s, end, raw, level + 1, l, t) < 0 ||
            flush_literal(p, &sf, l) < 0)
            return -1;
        spec = new_expr(p, PY_E_JoinedStr, l);
        if (!spec)
            return -1;
        spec->v.JoinedStr.values = SEQ(py_expr_seq, sf.values);
    }
    if (s >= end || *s != '}')
        return err_tok(p, peek(p), "f-string: expecting '}'"), -1;
    s++;
    if (self_doc && conversion == -1 && !spec)
        conversion = 'r';
    if (flush_literal(p, f, l) < 0)
        return -1;
    py_expr *fv = new_expr(p, PY_E_FormattedValue, l);
    if (!fv)
        return -1;
    fv->v.FormattedValue.value = value;
    fv->v.FormattedValue.conversion = conversion;
    fv->v.FormattedValue.format_spec = spec;
    *sp = s;
    return vec_push(p, &f->values, fv);
}

/* Literal text and fields up to end (level 0) or to the '}' that closes a
 * format spec (level > 0, *sp left on it). */
static int fstring_body(parser *p, fparts *f, const char **sp, const char *end,
                        bool raw, int level, loc l, const py_token *t)
{
    const char *s = *sp;
    while (s < end) {
        const char *lit = s;
        while (s < end && *s != '{' && *s != '}') {
            if (!raw && *s == '\\' && s + 1 < end) {
                s++;
                if (*s == '{' || *s == '}')
                    break;              /* "\{": the brace still counts */
                if (*s == 'N' && s + 1 < end && s[1] == '{') {
                    /* \N{NAME}: its braces are no field (CPython skips
                     * to the next '}') */
                    s += 2;
                    while (s < end && *s++ != '}') {
                    }
                    continue;
                }
            }
            s++;
        }
        if (add_literal(p, f, lit, (size_t)(s - lit), raw) < 0)
            return -1;
        if (s >= end)
            break;
        char ch = *s;
        if (level == 0 && s + 1 < end && s[1] == ch) {   /* {{ and }} */
            if (add_literal(p, f, s, 1, true) < 0)
                return -1;
            s += 2;
            continue;
        }
        if (ch == '}') {
            if (level == 0)
                return err_tok(p, peek(p), "f-string: single '}' is not allowed"), -1;
            break;
        }
        s++;
        if (fstring_field(p, f, &s, end, raw, level, l, t) < 0)
            return -1;
    }
    *sp = s;
    return 0;
}

/* strings: STRING+ — concatenated; a JoinedStr when any part is an
 * f-string, else a str or bytes Constant. */
static py_expr *strings(parser *p)
{
    ssize_t start = p->mark;
    while (ptype(p) == PY_T_STRING)
        p->mark++;
    if (p->error)
        return NULL;
    ssize_t end = p->mark;
    bool any_f = false, any_bytes = false, any_str = false, u = false;
    for (ssize_t i = start; i < end; i++) {
        strparts st;
        split_string(&p->toks[i], &st);
        any_f |= st.fstr;
        any_bytes |= st.bytes;
        any_str |= !st.bytes;
        if (i == start)
            u = st.u;
    }
    if (any_bytes && any_str)
        return err_tok(p, peek(p), "cannot mix bytes and nonbytes literals");
    loc l = span_from(p, start);
    if (!any_f) {
        strbuf b = {0};
        for (ssize_t i = start; i < end; i++) {
            strparts st;
            split_string(&p->toks[i], &st);
            if (st.bytes) {
                for (size_t k = 0; k < st.n; k++)
                    if ((unsigned char)st.body[k] >= 0x80)
                        return err_tok(p, &p->toks[i], "bytes can only contain ASCII "
                                       "literal characters");
            }
            int r = st.raw ? sb_add(p, &b, st.body, st.n)
                           : decode_escapes(p, &b, st.body, st.n, st.bytes);
            if (r < 0)
                return NULL;
        }
        ft_object *v = any_bytes ? py_bytes_from_buf(b.s ? b.s : "", b.n)
                                 : ft_str_from_utf8(b.s ? b.s : "", (ssize_t)b.n);
        if (!keep(p, v))
            return NULL;
        py_expr *c = new_constant(p, v, l);
        if (c)
            c->v.Constant.u_kind = u;
        return c;
    }
    fparts f;
    memset(&f, 0, sizeof f);
    for (ssize_t i = start; i < end; i++) {
        strparts st;
        split_string(&p->toks[i], &st);
        if (!st.fstr) {
            if (add_literal(p, &f, st.body, st.n, st.raw) < 0)
                return NULL;
            continue;
        }
        const char *s = st.body;
        py_token tk = p->toks[i];
        if (fstring_body(p, &f, &s, st.body + st.n, st.raw, 0, l, &tk) < 0)
            return NULL;
    }
    if (flush_literal(p, &f, l) < 0)
        return NULL;
    py_expr *e = new_expr(p, PY_E_JoinedStr, l);
    if (e)
        e->v.JoinedStr.values = SEQ(py_expr_seq, f.values);
    return e;
}

/* ---- Atoms ----------------------------------------------------------------------------- */

static py_expr *name_expr(parser *p)
{
    ssize_t start = p->mark;
    if (ptype(p) != PY_T_NAME)
        return invalid_syntax(p);
    ft_object *id = tok_ident(p, peek(p));
    p->mark++;
    py_expr *e = id ? new_expr(p, PY_E_Name, span_from(p, start)) : NULL;
    if (e) {
        e->v.Name.id = id;
        e->v.Name.ctx = PY_LOAD;
    }
    return e;
}

static py_expr *collection(parser *p, int kind, vec *elts, ssize_t start)
{
    py_expr *e = new_expr(p, kind, span_from(p, start));
    if (e) {
        e->v.List.elts = SEQ(py_expr_seq, *elts);
        e->v.List.ctx = PY_LOAD;
    }
    return e;
}

static py_expr *comprehension_node(parser *p, int kind, py_expr *elt,
                                   ssize_t start)
{
    py_comprehension_seq gens;
    if (elt->kind == PY_E_Starred)
        return err_node(p, elt, kind == PY_E_ListComp ? "iterable unpacking cannot be used in comprehension"
                        : "iterable unpacking cannot be used in comprehension");
    if (!comprehension_clauses(p, &gens))
        return NULL;
    int close = kind == PY_E_ListComp ? PY_T_RSQB : kind == PY_E_SetComp ? PY_T_RBRACE : PY_T_RPAR;
    if (!accept(p, close))
        return invalid_syntax(p);
    py_expr *e = new_expr(p, kind, span_from(p, start));
    if (e) {
        e->v.ListComp.elt = elt;
        e->v.ListComp.generators = gens;
    }
    return e;
}

/* Elements after the first up to the closing bracket: star_named_expressions. */
static bool rest_of_elements(parser *p, vec *elts, int close)
{
    while (accept(p, PY_T_COMMA)) {
        if (ptype(p) == close)
            break;
        py_expr *e = star_named_expression(p);
        if (!e || vec_push(p, elts, e) < 0)
            return false;
        if (ptype(p) != PY_T_COMMA && ptype(p) != close) {
            missing_comma(p, e);
            return false;
        }
    }
    if (!accept(p, close)) {
        if (elts->n)
            missing_comma(p, elts->items[elts->n - 1]);
        else
            invalid_syntax(p);
        return false;
    }
    return true;
}

/* '(' ... ')': tuple, group, generator expression, (yield). */
static py_expr *paren_atom(parser *p)
{
    ssize_t start = p->mark++;
    if (accept(p, PY_T_RPAR)) {
        vec none = {0};
        return collection(p, PY_E_Tuple, &none, start);
    }
    if (ptype(p) == PY_T_YIELD) {
        py_expr *y = yield_expr(p);
        if (y && !accept(p, PY_T_RPAR))
            return invalid_syntax(p);
        return y;
    }
    if (ptype(p) == PY_T_DOUBLESTAR) {
        /* CPython's invalid_group: '(' '**' expression ')' */
        py_token *dstar = peek(p);
        p->mark++;
        if (expression(p) && ptype(p) == PY_T_RPAR)
            return err_tok(p, dstar, "cannot use double starred expression here");
        if (!undo_attempt(p, start + 1))
            return NULL;
        return invalid_syntax(p);
    }
    py_expr *first = star_named_expression(p);
    if (!first)
        return NULL;
    if (ptype(p) == PY_T_FOR)
        return comprehension_node(p, PY_E_GeneratorExp, first, start);
    if (ptype(p) == PY_T_COMMA) {
        vec elts = {0};
        if (vec_push(p, &elts, first) < 0 || !rest_of_elements(p, &elts, PY_T_RPAR))
            return NULL;
        return collection(p, PY_E_Tuple, &elts, start);
    }
    if (!accept(p, PY_T_RPAR)) {
        if (ptype(p) == PY_T_COLONEQUAL)
            return err_node(p, first, "cannot use assignment expressions with %s",
                            py_expr_describe(first));
        return missing_comma(p, first);
    }
    if (first->kind == PY_E_Starred)
        return err_node(p, first, "cannot use starred expression here");
    return first;
}

static py_expr *list_atom(parser *p)
{
    ssize_t start = p->mark++;
    vec elts = {0};
    if (accept(p, PY_T_RSQB))
        return collection(p, PY_E_List, &elts, start);
    py_expr *first = star_named_expression(p);
    if (!first)
        return NULL;
    if (ptype(p) == PY_T_FOR)
        return comprehension_node(p, PY_E_ListComp, first, start);
    if (vec_push(p, &elts, first) < 0)
        return NULL;
    if (ptype(p) != PY_T_COMMA && ptype(p) != PY_T_RSQB)
        return missing_comma(p, first);
    if (!rest_of_elements(p, &elts, PY_T_RSQB))
        return NULL;
    return collection(p, PY_E_List, &elts, start);
}

/* One dict item after the first: '**' bitwise_or | expression ':' expression. */
/* The value after "key:" in a dict display, with CPython's messages for
 * `{k: *v}` and `{k:}`. */
static py_expr *dict_value(parser *p)
{
    py_token *t = peek(p);
    if (t->type == PY_T_STAR) {
        ssize_t m = p->mark++;
        py_expr *v = bitwise_or(p);
        if (!v) {
            if (!p->generic)
                return NULL;
            undo_attempt(p, m);
            return invalid_syntax(p);
        }
        return err_tokens(p, NULL, t, prev(p),
                          "cannot use a starred expression in a dictionary value");
    }
    if (t->type == PY_T_RBRACE || t->type == PY_T_COMMA)
        return err_tok(p, prev(p), "expression expected after dictionary key and ':'");
    return expression(p);
}

static bool dict_item(parser *p, vec *keys, vec *values)
{
    if (accept(p, PY_T_DOUBLESTAR)) {
        py_expr *v = bitwise_or(p);
        return v && vec_push(p, keys, NULL) == 0 && vec_push(p, values, v) == 0;
    }
    py_expr *k = expression(p);
    if (!k)
        return false;
    if (!accept(p, PY_T_COLON)) {
        /* CPython's invalid_kvpair: at the key's last character */
        err_span(p, k->end_lineno, k->end_col_offset - 1, k->end_lineno, -1,
                 "':' expected after dictionary key");
        return false;
    }
    py_expr *v = dict_value(p);
    return v && vec_push(p, keys, k) == 0 && vec_push(p, values, v) == 0;
}

static py_expr *dict_rest(parser *p, vec *keys, vec *values, ssize_t start)
{
    while (accept(p, PY_T_COMMA)) {
        if (ptype(p) == PY_T_RBRACE)
            break;
        if (!dict_item(p, keys, values))
            return NULL;
        if (ptype(p) != PY_T_COMMA && ptype(p) != PY_T_RBRACE)
            return missing_comma(p, values->items[values->n - 1]);
    }
    if (!accept(p, PY_T_RBRACE))
        return invalid_syntax(p);
    py_expr *e = new_expr(p, PY_E_Dict, span_from(p, start));
    if (e) {
        e->v.Dict.keys = SEQ(py_expr_seq, *keys);
        e->v.Dict.values = SEQ(py_expr_seq, *values);
    }
    return e;
}

/* '{' ... '}': dict, set, dict or set comprehension. */
static py_expr *brace_atom(parser *p)
{
    ssize_t start = p->mark++;
    vec keys = {0}, values = {0};
    if (ptype(p) == PY_T_RBRACE)
        return dict_rest(p, &keys, &values, start);
    if (ptype(p) == PY_T_DOUBLESTAR) {
        py_token *dstar = peek(p);
        if (!dict_item(p, &keys, &values))
            return NULL;
        if (ptype(p) == PY_T_FOR) {
            /* CPython's invalid_dict_comprehension */
            py_comprehension_seq gens;
            if (!comprehension_clauses(p, &gens))
                return NULL;
            if (ptype(p) == PY_T_RBRACE)
                return err_tok(p, dstar, "dict unpacking cannot be used in dict comprehension");
            return invalid_syntax(p);
        }
        if (ptype(p) != PY_T_COMMA && ptype(p) != PY_T_RBRACE)
            return invalid_syntax(p);
        return dict_rest(p, &keys, &values, start);
    }
    py_expr *first = star_named_expression(p);
    if (!first)
        return NULL;
    if (ptype(p) == PY_T_COLON) {
        if (first->kind == PY_E_Starred)
            return invalid_syntax(p);           /* {*a: 1} */
        p->mark++;
        py_expr *v = dict_value(p);
        if (!v)
            return NULL;
        if (ptype(p) == PY_T_FOR) {
            py_comprehension_seq gens;
            if (!comprehension_clauses(p, &gens))
                return NULL;
            if (!accept(p, PY_T_RBRACE))
                return invalid_syntax(p);
            py_expr *e = new_expr(p, PY_E_DictComp, span_from(p, start));
            if (e) {
                e->v.DictComp.key = first;
                e->v.DictComp.value = v;
                e->v.DictComp.generators = gens;
            }
            return e;
        }
        if (vec_push(p, &keys, first) < 0 || vec_push(p, &values, v) < 0)
            return NULL;
        if (ptype(p) != PY_T_COMMA && ptype(p) != PY_T_RBRACE)
            return missing_comma(p, v);
        return dict_rest(p, &keys, &values, start);
    }
    if (ptype(p) == PY_T_FOR)
        return comprehension_node(p, PY_E_SetComp, first, start);
    vec elts = {0};
    if (vec_push(p, &elts, first) < 0)
        return NULL;
    if (ptype(p) != PY_T_COMMA && ptype(p) != PY_T_RBRACE)
        return missing_comma(p, first);
    if (!rest_of_elements(p, &elts, PY_T_RBRACE))
        return NULL;
    py_expr *e = new_expr(p, PY_E_Set, span_from(p, start));
    if (e)
        e->v.Set.elts = SEQ(py_expr_seq, elts);
    return e;
}

static py_expr *atom(parser *p)
{
    ssize_t start = p->mark;
    switch (ptype(p)) {
    case PY_T_NAME:
        return name_expr(p);
    case PY_T_TRUE: case PY_T_FALSE: case PY_T_NONE: case PY_T_ELLIPSIS: {
        int t = ptype(p);
        p->mark++;
        ft_object *v = t == PY_T_TRUE ? ft_true() : t == PY_T_FALSE ? ft_false()
                     : t == PY_T_NONE ? ft_none() : py_ellipsis();
        return new_constant(p, v, span_from(p, start));
    }
    case PY_T_NUMBER:
        return number(p);
    case PY_T_STRING:
        return strings(p);
    case PY_T_LPAR: case PY_T_LSQB: case PY_T_LBRACE: {
        if (!enter(p))
            return NULL;
        int t = ptype(p);
        py_expr *e = t == PY_T_LPAR ? paren_atom(p) : t == PY_T_LSQB ? list_atom(p)
                                                                     : brace_atom(p);
        leave(p);
        return e;
    }
    case PY_T_AWAIT: case PY_T_ASYNC:
        return err_tok(p, peek(p), "'%s' is not supported by ftpy",
                       py_token_text(ptype(p)));
    case PY_T_NOTEQUAL:
        return invalid_syntax(p);
    default:
        return invalid_syntax(p);
    }
}

/* ---- Calls, subscripts, attributes ------------------------------------------------------- */

/* arguments of a call (or of a class statement), after '('. */
static bool call_args(parser *p, ssize_t lpar, vec *args, vec *kws, bool in_class)
{
    bool seen_kw = false, seen_dstar = false;
    while (ptype(p) != PY_T_RPAR && !p->error) {
        ssize_t start = p->mark;
        if (accept(p, PY_T_STAR)) {
            py_expr *v = expression(p);
            if (!v)
                return false;
            py_expr *e = new_expr(p, PY_E_Starred, span_from(p, start));
            if (!e)
                return false;
            if (ptype(p) == PY_T_FOR) {
                /* CPython's invalid_comprehension */
                py_comprehension_seq gens;
                if (!comprehension_clauses(p, &gens))
                    return false;
                return err_node(p, e, "iterable unpacking cannot be used in comprehension"),
                       false;
            }
            e->v.Starred.value = v;
            e->v.Starred.ctx = PY_LOAD;
            if (seen_dstar)
                return err_tok(p, &p->toks[start], "iterable argument unpacking "
                               "follows keyword argument unpacking"), false;
            if (vec_push(p, args, e) < 0)
                return false;
        } else if (accept(p, PY_T_DOUBLESTAR)) {
            py_expr *v = expression(p);
            if (!v)
                return false;
            py_keyword *k = alloc(p, sizeof *k);
            if (!k)
                return false;
            k->value = v;
            SET_LOC(k, span_from(p, start));
            seen_dstar = true;
            if (vec_push(p, kws, k) < 0)
                return false;
        } else if (ptype(p) == PY_T_NAME && ptype_at(p, 1) == PY_T_EQUAL) {
            ft_object *name = tok_ident(p, peek(p));
            p->mark += 2;
            py_expr *v = expression(p);
            if (!name || !v)
                return false;
            if (ptype(p) == PY_T_FOR) {
                /* f(k=x for x in y): CPython's invalid_kwarg */
                py_comprehension_seq gens;
                if (!comprehension_clauses(p, &gens))
                    return false;
                return err_tokens(p, NULL, &p->toks[start], &p->toks[start + 1],
                                  "invalid syntax. Maybe you meant '==' or ':=' "
                                  "instead of '='?"), false;
            }
            py_keyword *k = alloc(p, sizeof *k);
            if (!k)
                return false;
            k->arg = name;
            k->value = v;
            SET_LOC(k, span_from(p, start));
            seen_kw = true;
            if (vec_push(p, kws, k) < 0)
                return false;
        } else {
            py_expr *e = named_expression_ex(p, false);
            if (!e)
                return false;
            if (ptype(p) == PY_T_FOR) {
                bool sole = args->n == 0 && kws->n == 0;
                ssize_t gstart = sole ? lpar : start, for_tok = p->mark;
                py_comprehension_seq gens;
                if (!comprehension_clauses(p, &gens))
                    return false;
                /* class C(x for x in y): no genexp there (a call's
                 * `f(genexp)` is a rule of its own in the grammar) */
                if (sole && in_class && ptype(p) == PY_T_RPAR) {
                    p->mark = for_tok;
                    return invalid_syntax(p), false;
                }
                if (!sole || ptype(p) != PY_T_RPAR) {
                    loc l = span_from(p, start);
                    return err_span(p, l.lineno, l.col, l.end_lineno, l.end_col,
                                    "Generator expression must be parenthesized"), false;
                }
                if (sole)
                    p->mark++;          /* the genexp's span takes the ')' */
                py_expr *g = new_expr(p, PY_E_GeneratorExp, span_from(p, gstart));
                if (sole)
                    p->mark--;
                if (!g)
                    return false;
                g->v.GeneratorExp.elt = e;
                g->v.GeneratorExp.generators = gens;
                e = g;
            }
            if (ptype(p) == PY_T_EQUAL) {
                py_token *eq = peek(p);
                if (e->kind == PY_E_Constant && (e->v.Constant.value == ft_true() ||
                    e->v.Constant.value == ft_false() || e->v.Constant.value == ft_none()))
                    return err_span(p, e->lineno, e->col_offset, tline(p, eq->end_lineno),
                                    tcol(p, eq->end_lineno, eq->end_col), "cannot assign to %s",
                                    py_expr_describe(e)), false;
                return err_span(p, e->lineno, e->col_offset, tline(p, eq->end_lineno),
                                tcol(p, eq->end_lineno, eq->end_col),
                                "expression cannot contain assignment, perhaps you "
                                "meant \"==\"?"), false;
            }
            /* CPython reports these at the last token it read */
            if (seen_dstar)
                return err_tok(p, peek(p), "positional argument follows keyword "
                               "argument unpacking"), false;
            if (seen_kw)
                return err_tok(p, peek(p), "positional argument follows keyword argument"), false;
            if (vec_push(p, args, e) < 0)
                return false;
        }
        if (!accept(p, PY_T_COMMA)) {
            if (ptype(p) != PY_T_RPAR) {
                py_expr *last = args->n ? args->items[args->n - 1] : NULL;
                if (kws->n && (!last || ((py_keyword *)kws->items[kws->n - 1])->lineno >= 0))
                    last = ((py_keyword *)kws->items[kws->n - 1])->value;
                missing_comma(p, last);
                return false;
            }
        }
    }
    return !p->error && accept(p, PY_T_RPAR);
}

/* slice: [expression] ':' [expression] [':' [expression]] | named_expression */
static py_expr *slice(parser *p)
{
    ssize_t start = p->mark;
    py_expr *lower = NULL, *upper = NULL, *step = NULL;
    if (ptype(p) != PY_T_COLON) {
        if (ptype(p) == PY_T_STAR) {
            py_expr *v;
            p->mark++;
            if (!(v = bitwise_or(p)))
                return NULL;
            py_expr *e = new_expr(p, PY_E_Starred, span_from(p, start));
            if (e) {
                e->v.Starred.value = v;
                e->v.Starred.ctx = PY_LOAD;
            }
            return e;
        }
        lower = named_expression(p);
        if (!lower || ptype(p) != PY_T_COLON)
            return lower;
        if (lower->kind == PY_E_NamedExpr)
            return invalid_syntax(p);
    }
    p->mark++;                                     /* ':' */
    int t = ptype(p);
    if (t != PY_T_COLON && t != PY_T_COMMA && t != PY_T_RSQB && !(upper = expression(p)))
        return NULL;
    if (accept(p, PY_T_COLON)) {
        t = ptype(p);
        if (t != PY_T_COMMA && t != PY_T_RSQB && !(step = expression(p)))
            return NULL;
    }
    py_expr *e = new_expr(p, PY_E_Slice, span_from(p, start));
    if (e) {
        e->v.Slice.lower = lower;
        e->v.Slice.upper = upper;
        e->v.Slice.step = step;
    }
    return e;
}

/* slices: slice !',' | ','.(slice | starred_expression)+ [','] */
static py_expr *slices(parser *p)
{
    ssize_t start = p->mark;
    py_expr *first = slice(p);
    if (!first)
        return NULL;
    if (ptype(p) != PY_T_COMMA) {
        if (first->kind == PY_E_Starred) {
            vec elts = {0};
            if (vec_push(p, &elts, first) < 0)
                return NULL;
            return collection(p, PY_E_Tuple, &elts, start);
        }
        return first;
    }
    vec elts = {0};
    if (vec_push(p, &elts, first) < 0)
        return NULL;
    while (accept(p, PY_T_COMMA)) {
        if (ptype(p) == PY_T_RSQB)
            break;
        py_expr *e = slice(p);
        if (!e || vec_push(p, &elts, e) < 0)
            return NULL;
    }
    return collection(p, PY_E_Tuple, &elts, start);
}

/* primary: atom followed by any number of .NAME, (args), [slices]. */
static py_expr *primary(parser *p)
{
    ssize_t start = p->mark;
    py_expr *e = atom(p);
    while (e && !p->error) {
        int t = ptype(p);
        if (t == PY_T_DOT) {
            p->mark++;
            if (ptype(p) != PY_T_NAME)
                return invalid_syntax(p);
            ft_object *attr = tok_ident(p, peek(p));
            p->mark++;
            py_expr *a = attr ? new_expr(p, PY_E_Attribute, span_from(p, start)) : NULL;
            if (!a)
                return NULL;
            a->v.Attribute.value = e;
            a->v.Attribute.attr = attr;
            a->v.Attribute.ctx = PY_LOAD;
            e = a;
        } else if (t == PY_T_LPAR) {
            ssize_t lpar = p->mark++;
            vec args = {0}, kws = {0};
            if (!enter(p))
                return NULL;
            bool ok = call_args(p, lpar, &args, &kws, false);
            leave(p);
            if (!ok)
                return p->error ? NULL : invalid_syntax(p);
            py_expr *c = new_expr(p, PY_E_Call, span_from(p, start));
            if (!c)
                return NULL;
            c->v.Call.func = e;
            c->v.Call.args = SEQ(py_expr_seq, args);
            c->v.Call.keywords = SEQ(py_keyword_seq, kws);
            e = c;
        } else if (t == PY_T_LSQB) {
            p->mark++;
            if (!enter(p))
                return NULL;
            py_expr *s = slices(p);
            leave(p);
            if (!s)
                return NULL;
            if (!accept(p, PY_T_RSQB))
                return missing_comma(p, s->kind == PY_E_Tuple ? NULL : s);
            py_expr *sub = new_expr(p, PY_E_Subscript, span_from(p, start));
            if (!sub)
                return NULL;
            sub->v.Subscript.value = e;
            sub->v.Subscript.slice = s;
            sub->v.Subscript.ctx = PY_LOAD;
            e = sub;
        } else {
            break;
        }
    }
    return p->error ? NULL : e;
}

/* ---- Operators ------------------------------------------------------------------------------ */

static py_expr *factor(parser *p);

/* power: primary ['**' factor] */
static py_expr *power(parser *p)
{
    ssize_t start = p->mark;
    py_expr *left = primary(p);
    if (!left || ptype(p) != PY_T_DOUBLESTAR)
        return left;
    p->mark++;
    if (!enter(p))
        return NULL;
    py_expr *right = factor(p);
    leave(p);
    if (!right)
        return NULL;
    py_expr *e = new_expr(p, PY_E_BinOp, span_from(p, start));
    if (e) {
        e->v.BinOp.left = left;
        e->v.BinOp.op = PY_OP_POW;
        e->v.BinOp.right = right;
    }
    return e;
}

/* factor: ('+' | '-' | '~') factor | power */
static py_expr *factor(parser *p)
{
    int t = ptype(p);
    if (t != PY_T_PLUS && t != PY_T_MINUS && t != PY_T_TILDE)
        return power(p);
    ssize_t start = p->mark++;
    if (!enter(p))
        return NULL;
    py_expr *operand = factor(p);
    leave(p);
    if (!operand)
        return NULL;
    py_expr *e = new_expr(p, PY_E_UnaryOp, span_from(p, start));
    if (e) {
        e->v.UnaryOp.op = t == PY_T_PLUS ? PY_UNARY_POS : t == PY_T_MINUS ? PY_UNARY_NEG
                                                                        : PY_UNARY_INVERT;
        e->v.UnaryOp.operand = operand;
    }
    return e;
}

/* The binary operator levels, loosest last; each is a left-assoc loop. */
typedef py_expr *(*rule_fn)(parser *);

static int binop_of(int level, int t)
{
    switch (level) {
    case 0:                                              /* term */
        return t == PY_T_STAR ? PY_OP_MUL : t == PY_T_SLASH ? PY_OP_TRUEDIV :
               t == PY_T_DOUBLESLASH ? PY_OP_FLOORDIV : t == PY_T_PERCENT ? PY_OP_MOD :
               t == PY_T_AT ? PY_OP_MATMUL : -1;
    case 1: return t == PY_T_PLUS ? PY_OP_ADD : t == PY_T_MINUS ? PY_OP_SUB : -1;  /* sum */
    case 2: return t == PY_T_LEFTSHIFT ? PY_OP_LSHIFT : t == PY_T_RIGHTSHIFT ? PY_OP_RSHIFT : -1;
    case 3: return t == PY_T_AMPER ? PY_OP_AND : -1;     /* bitwise_and */
    case 4: return t == PY_T_CIRCUMFLEX ? PY_OP_XOR : -1;
    case 5: return t == PY_T_VBAR ? PY_OP_OR : -1;       /* bitwise_or */
    }
    return -1;
}

static py_expr *binary_level(parser *p, int level)
{
    ssize_t start = p->mark;
    py_expr *left = level == 0 ? factor(p) : binary_level(p, level - 1);
    int op;
    while (left && (op = binop_of(level, ptype(p))) >= 0) {
        p->mark++;
        py_expr *right = level == 0 ? factor(p) : binary_level(p, level - 1);
        if (!right)
            return NULL;
        py_expr *e = new_expr(p, PY_E_BinOp, span_from(p, start));
        if (!e)
            return NULL;
        e->v.BinOp.left = left;
        e->v.BinOp.op = op;
        e->v.BinOp.right = right;
        left = e;
    }
    return left;
}

static py_expr *bitwise_or(parser *p) { return binary_level(p, 5); }

/* The comparison operator at the current token (consumed), or -1. */
static int compare_op(parser *p)
{
    int t = ptype(p), op;
    switch (t) {
    case PY_T_EQEQUAL: op = PY_CMP_EQ; break;
    case PY_T_NOTEQUAL:
        if (peek(p)->start[0] == '<')
            return -1;                         /* "<>": invalid syntax */
        op = PY_CMP_NOTEQ;
        break;
    case PY_T_LESS: op = PY_CMP_LT; break;
    case PY_T_LESSEQUAL: op = PY_CMP_LTE; break;
    case PY_T_GREATER: op = PY_CMP_GT; break;
    case PY_T_GREATEREQUAL: op = PY_CMP_GTE; break;
    case PY_T_IN: op = PY_CMP_IN; break;
    case PY_T_IS:
        if (ptype_at(p, 1) == PY_T_NOT) {
            p->mark += 2;
            return PY_CMP_ISNOT;
        }
        op = PY_CMP_IS;
        break;
    case PY_T_NOT:
        if (ptype_at(p, 1) != PY_T_IN) {
            /* never valid: CPython names the token it wanted to be 'in' */
            p->mark++;
            invalid_syntax(p);
            return -1;
        }
        p->mark += 2;
        return PY_CMP_NOTIN;
    default:
        return -1;
    }
    p->mark++;
    return op;
}

static py_expr *comparison(parser *p)
{
    ssize_t start = p->mark;
    py_expr *left = bitwise_or(p);
    if (!left)
        return NULL;
    vec ops = {0}, comps = {0};
    int op;
    while ((op = compare_op(p)) >= 0) {
        py_expr *right = bitwise_or(p);
        if (!right || vec_push(p, &ops, (void *)(intptr_t)op) < 0 ||
            vec_push(p, &comps, right) < 0)
            return NULL;
    }
    if (p->error)
        return NULL;
    if (comps.n == 0)
        return left;
    py_expr *e = new_expr(p, PY_E_Compare, span_from(p, start));
    int *opv = alloc(p, (size_t)ops.n * sizeof *opv);
    if (!e || !opv)
        return NULL;
    for (ssize_t i = 0; i < ops.n; i++)
        opv[i] = (int)(intptr_t)ops.items[i];
    e->v.Compare.left = left;
    e->v.Compare.ops = opv;
    e->v.Compare.comparators = SEQ(py_expr_seq, comps);
    return e;
}

/* inversion: 'not' inversion | comparison */
static py_expr *inversion(parser *p)
{
    if (ptype(p) != PY_T_NOT)
        return comparison(p);
    ssize_t start = p->mark++;
    if (!enter(p))
        return NULL;
    py_expr *operand = inversion(p);
    leave(p);
    if (!operand)
        return NULL;
    py_expr *e = new_expr(p, PY_E_UnaryOp, span_from(p, start));
    if (e) {
        e->v.UnaryOp.op = PY_UNARY_NOT;
        e->v.UnaryOp.operand = operand;
    }
    return e;
}

/* conjunction / disjunction: one BoolOp node for a whole chain. */
static py_expr *bool_chain(parser *p, int kw, rule_fn sub, int op)
{
    ssize_t start = p->mark;
    py_expr *first = sub(p);
    if (!first || ptype(p) != kw)
        return first;
    vec values = {0};
    if (vec_push(p, &values, first) < 0)
        return NULL;
    while (accept(p, kw)) {
        py_expr *e = sub(p);
        if (!e || vec_push(p, &values, e) < 0)
            return NULL;
    }
    py_expr *e = new_expr(p, PY_E_BoolOp, span_from(p, start));
    if (e) {
        e->v.BoolOp.op = op;
        e->v.BoolOp.values = SEQ(py_expr_seq, values);
    }
    return e;
}

static py_expr *conjunction(parser *p) { return bool_chain(p, PY_T_AND, inversion, PY_BOOL_AND); }
static py_expr *disjunction(parser *p) { return bool_chain(p, PY_T_OR, conjunction, PY_BOOL_OR); }

/* lambdef: 'lambda' [lambda_params] ':' expression */
static py_expr *lambdef(parser *p)
{
    ssize_t start = p->mark++;
    py_arguments *args = params(p, true, PY_T_COLON);
    if (!args)
        return NULL;
    if (!accept(p, PY_T_COLON))
        return invalid_syntax(p);
    py_expr *body = expression(p);
    if (!body)
        return NULL;
    py_expr *e = new_expr(p, PY_E_Lambda, span_from(p, start));
    if (e) {
        e->v.Lambda.args = args;
        e->v.Lambda.body = body;
    }
    return e;
}

/* expression: disjunction ['if' disjunction 'else' expression] | lambdef */
static py_expr *expression(parser *p)
{
    if (!enter(p))
        return NULL;
    ssize_t start = p->mark;
    py_expr *r;
    if (ptype(p) == PY_T_LAMBDA) {
        r = lambdef(p);
    } else {
        r = disjunction(p);
        if (r && ptype(p) == PY_T_IF) {
            p->mark++;
            py_expr *test = disjunction(p);
            if (!test) {
                r = NULL;
            } else if (!accept(p, PY_T_ELSE)) {
                if (ptype(p) != PY_T_COLON && !p->error)
                    err_span(p, r->lineno, r->col_offset, test->end_lineno,
                             test->end_col_offset, "expected 'else' after 'if' expression");
                else
                    invalid_syntax(p);
                r = NULL;
            } else {
                py_expr *orelse = expression(p);
                py_expr *e = orelse ? new_expr(p, PY_E_IfExp, span_from(p, start)) : NULL;
                if (e) {
                    e->v.IfExp.test = test;
                    e->v.IfExp.body = r;
                    e->v.IfExp.orelse = orelse;
                }
                r = e;
            }
        }
    }
    leave(p);
    return p->error ? NULL : r;
}

/* named_expression: NAME ':=' expression | expression !':=' ; a '='
 * after the expression gets CPython's invalid_named_expression messages
 * (except in call arguments, which have their own). */
static py_expr *named_expression_ex(parser *p, bool eq_hint)
{
    ssize_t start = p->mark;
    py_expr *e = expression(p);
    if (e && eq_hint && ptype(p) == PY_T_EQUAL && named_eq_hint(p, e, start, p->mark))
        return NULL;
    if (!e || ptype(p) != PY_T_COLONEQUAL)
        return e;
    if (e->kind != PY_E_Name)
        return err_node(p, e, "cannot use assignment expressions with %s",
                        py_expr_describe(e));
    p->mark++;
    py_expr *value = expression(p);
    if (!value)
        return NULL;
    py_expr *n = new_expr(p, PY_E_NamedExpr, span_from(p, start));
    if (n) {
        e->v.Name.ctx = PY_STORE;
        n->v.NamedExpr.target = e;
        n->v.NamedExpr.value = value;
    }
    return n;
}

static py_expr *named_expression(parser *p) { return named_expression_ex(p, true); }

/* star_named_expression: '*' bitwise_or | named_expression */
static py_expr *star_named_expression(parser *p)
{
    if (ptype(p) != PY_T_STAR)
        return named_expression(p);
    ssize_t start = p->mark++;
    py_expr *v = bitwise_or(p);
    if (!v)
        return NULL;
    py_expr *e = new_expr(p, PY_E_Starred, span_from(p, start));
    if (e) {
        e->v.Starred.value = v;
        e->v.Starred.ctx = PY_LOAD;
    }
    return e;
}

/* star_expression: '*' bitwise_or | expression */
static py_expr *star_expression(parser *p)
{
    if (ptype(p) == PY_T_STAR)
        return star_named_expression(p);
    return expression(p);
}

/* Can the token follow a complete star_expressions list? */
static bool ends_expressions(int t)
{
    return !starts_expression(t) && t != PY_T_STAR && t != PY_T_YIELD;
}

/* star_expressions: star_expression (',' star_expression)* [','] */
static py_expr *star_expressions(parser *p)
{
    ssize_t start = p->mark;
    py_expr *first = star_expression(p);
    if (!first || ptype(p) != PY_T_COMMA)
        return first;
    vec elts = {0};
    if (vec_push(p, &elts, first) < 0)
        return NULL;
    while (accept(p, PY_T_COMMA)) {
        if (ends_expressions(ptype(p)))
            break;
        py_expr *e = star_expression(p);
        if (!e || vec_push(p, &elts, e) < 0)
            return NULL;
    }
    return collection(p, PY_E_Tuple, &elts, start);
}

/* expressions (no stars): for eval mode and others. */
static py_expr *expressions(parser *p)
{
    ssize_t start = p->mark;
    py_expr *first = expression(p);
    if (!first || ptype(p) != PY_T_COMMA)
        return first;
    vec elts = {0};
    if (vec_push(p, &elts, first) < 0)
        return NULL;
    while (accept(p, PY_T_COMMA)) {
        if (ends_expressions(ptype(p)))
            break;
        py_expr *e = expression(p);
        if (!e || vec_push(p, &elts, e) < 0)
            return NULL;
    }
    return collection(p, PY_E_Tuple, &elts, start);
}

/* yield_expr: 'yield' 'from' expression | 'yield' [star_expressions] */
static py_expr *yield_expr(parser *p)
{
    ssize_t start = p->mark++;
    if (accept(p, PY_T_FROM)) {
        py_expr *v = expression(p);
        py_expr *e = v ? new_expr(p, PY_E_YieldFrom, span_from(p, start)) : NULL;
        if (e)
            e->v.YieldFrom.value = v;
        return e;
    }
    py_expr *v = NULL;
    if (!ends_expressions(ptype(p)) && !(v = star_expressions(p)))
        return NULL;
    py_expr *e = new_expr(p, PY_E_Yield, span_from(p, start));
    if (e)
        e->v.Yield.value = v;
    return e;
}

/* ---- Targets of for, with, comprehensions ------------------------------------------------------ */

/* star_target: ['*'] target, parsed at the bitwise_or level so that a
 * following 'in' is not taken as a comparison. */
static py_expr *star_target(parser *p)
{
    if (ptype(p) != PY_T_STAR)
        return bitwise_or(p);
    ssize_t start = p->mark++;
    if (ptype(p) == PY_T_STAR)
        return invalid_syntax(p);
    py_expr *v = star_target(p);
    py_expr *e = v ? new_expr(p, PY_E_Starred, span_from(p, start)) : NULL;
    if (e) {
        e->v.Starred.value = v;
        e->v.Starred.ctx = PY_STORE;
    }
    return e;
}

/* star_targets: star_target (',' star_target)* [','] */
static py_expr *star_targets(parser *p, int kind)
{
    ssize_t start = p->mark;
    py_expr *first = star_target(p);
    if (!first)
        return NULL;
    if (ptype(p) != PY_T_COMMA)
        return as_target(p, first, kind) ? first : NULL;
    vec elts = {0};
    if (vec_push(p, &elts, first) < 0)
        return NULL;
    while (accept(p, PY_T_COMMA)) {
        int t = ptype(p);
        if (t == PY_T_IN || t == PY_T_EQUAL || t == PY_T_NEWLINE || t == PY_T_SEMI)
            break;
        py_expr *e = star_target(p);
        if (!e || vec_push(p, &elts, e) < 0)
            return NULL;
    }
    py_expr *t = collection(p, PY_E_Tuple, &elts, start);
    return as_target(p, t, kind) ? t : NULL;
}

/* for_if_clauses: ('for' star_targets 'in' disjunction ('if' disjunction)*)+ */
static bool comprehension_clauses(parser *p, py_comprehension_seq *out)
{
    vec gens = {0};
    while (ptype(p) == PY_T_FOR || ptype(p) == PY_T_ASYNC) {
        if (ptype(p) == PY_T_ASYNC)
            return err_tok(p, peek(p), "asynchronous comprehensions are not supported by ftpy"), false;
        p->mark++;
        py_comprehension *c = alloc(p, sizeof *c);
        if (!c || !(c->target = star_targets(p, FOR_TARGETS)))
            return false;
        if (!accept(p, PY_T_IN))
            return invalid_syntax(p), false;
        if (!(c->iter = disjunction(p)))
            return false;
        vec ifs = {0};
        while (accept(p, PY_T_IF)) {
            py_expr *cond = disjunction(p);
            if (!cond || vec_push(p, &ifs, cond) < 0)
                return false;
        }
        c->ifs = SEQ(py_expr_seq, ifs);
        if (vec_push(p, &gens, c) < 0)
            return false;
    }
    if (p->error)
        return false;
    *out = SEQ(py_comprehension_seq, gens);
    return true;
}

/* ---- Parameters ------------------------------------------------------------------------------------ */

/* NAME [':' expression] for def parameters (no annotation in lambdas). */
/* NAME [':' annotation]; *args may be annotated `*Ts` (star). */
static py_arg *param_ex(parser *p, bool lambda, bool star)
{
    ssize_t start = p->mark;
    if (ptype(p) != PY_T_NAME)
        return invalid_syntax(p);
    py_arg *a = alloc(p, sizeof *a);
    if (!a || !(a->arg = tok_ident(p, peek(p))))
        return NULL;
    p->mark++;
    if (!lambda && accept(p, PY_T_COLON)) {
        a->annotation = star && ptype(p) == PY_T_STAR ? star_expression(p) : expression(p);
        if (!a->annotation)
            return NULL;
    }
    SET_LOC(a, span_from(p, start));
    return a;
}

static py_arg *param(parser *p, bool lambda) { return param_ex(p, lambda, false); }

/* CPython's messages for parenthesized parameters: `def f((a, b))`,
 * `lambda (a): 0` ('(' NAME [annotation] {',' ...} [','] ')'). NULL when
 * the text has another shape (then it is plain invalid syntax). */
static void *parenthesized_params(parser *p, bool lambda)
{
    ssize_t m = p->mark;
    py_token *open = peek(p);
    p->mark++;
    int n = 0;
    while (ptype(p) == PY_T_NAME) {
        p->mark++;
        n++;
        if (!lambda && accept(p, PY_T_COLON)) {
            if (!expression(p)) {
                if (!undo_attempt(p, m))
                    return NULL;
                return invalid_syntax(p);
            }
        }
        if (!accept(p, PY_T_COMMA))
            break;
    }
    if (n == 0 || ptype(p) != PY_T_RPAR) {
        p->mark = m;
        return invalid_syntax(p);
    }
    return err_tokens(p, NULL, open, peek(p), lambda
                      ? "Lambda expression parameters cannot be parenthesized"
                      : "Function parameters cannot be parenthesized");
}

/* The parameter list of a def (close ')') or a lambda (close ':'), with
 * CPython's invalid_parameters / invalid_lambda_parameters messages. */
static py_arguments *params(parser *p, bool lambda, int close)
{
    py_arguments *args = alloc(p, sizeof *args);
    vec pos = {0}, kwonly = {0}, kwdefaults = {0}, defaults = {0};
    bool star = false, slash = false;
    /* what came last: for "non-default argument follows default argument",
     * which CPython reports only right after defaults (or right after a '/'
     * that follows defaults) when no '/' comes before them */
    enum { P_NONE, P_PLAIN, P_DEFAULT, P_SLASH_AFTER_DEFAULT, P_SLASH } prev = P_NONE;
    if (!args)
        return NULL;
    while (ptype(p) != close && !p->error) {
        py_token t = *peek(p);
        if (accept(p, PY_T_SLASH)) {
            if (slash)
                return err_tok(p, &t, "/ may appear only once");
            if (star)
                return err_tok(p, &t, "/ must be ahead of *");
            if (pos.n == 0) {
                if (ptype(p) == PY_T_COMMA)
                    return err_tok(p, &t, "at least one argument must precede /");
                p->mark--;
                return invalid_syntax(p);
            }
            if (ptype(p) == PY_T_STAR)
                return err_tok(p, peek(p), "expected comma between / and *");
            slash = true;
            prev = prev == P_DEFAULT ? P_SLASH_AFTER_DEFAULT : P_SLASH;
            args->posonlyargs = SEQ(py_arg_seq, pos);
            pos = (vec){0};
        } else if (accept(p, PY_T_STAR)) {
            if (star)
                return err_tok(p, &t, "* argument may appear only once");
            star = true;
            if (ptype(p) == PY_T_COMMA || ptype(p) == close) {
                int after = ptype(p) == PY_T_COMMA ? ptype_at(p, 1) : close;
                if (after == close || after == PY_T_DOUBLESTAR) {
                    /* a def names the '*', a lambda the last token read */
                    py_token *at = &t;
                    if (lambda)
                        at = ptype(p) == PY_T_COMMA ? peek_at(p, p->mark + 1) : peek(p);
                    return err_tok(p, at, "named arguments must follow bare *");
                }
            } else if (!(args->vararg = param_ex(p, lambda, true))) {
                return NULL;
            }
            if (args->vararg && ptype(p) == PY_T_EQUAL)
                return err_tok(p, peek(p), "var-positional argument cannot have default value");
        } else if (accept(p, PY_T_DOUBLESTAR)) {
            if (!(args->kwarg = param(p, lambda)))
                return NULL;
            if (ptype(p) == PY_T_EQUAL)
                return err_tok(p, peek(p), "var-keyword argument cannot have default value");
            accept(p, PY_T_COMMA);
            if (ptype(p) != close) {
                if (ptype(p) == PY_T_NAME || ptype(p) == PY_T_STAR || ptype(p) == PY_T_DOUBLESTAR)
                    return err_tok(p, peek(p), "arguments cannot follow var-keyword argument");
                return invalid_syntax(p);
            }
            break;
        } else if (ptype(p) == PY_T_LPAR && !star && !slash && defaults.n == 0) {
            return parenthesized_params(p, lambda);
        } else {
            py_arg *a = param(p, lambda);
            if (!a)
                return NULL;
            py_expr *def = NULL;
            if (ptype(p) == PY_T_EQUAL) {
                py_token *eq = peek(p);
                p->mark++;
                if (ptype(p) == PY_T_RPAR || ptype(p) == PY_T_COMMA)
                    return err_tok(p, eq, "expected default value expression");
                if (!(def = expression(p)))
                    return NULL;
            }
            if (star) {
                if (vec_push(p, &kwonly, a) < 0 || vec_push(p, &kwdefaults, def) < 0)
                    return NULL;
            } else {
                if (def) {
                    if (vec_push(p, &defaults, def) < 0)
                        return NULL;
                } else if (defaults.n > 0) {
                    if ((prev == P_DEFAULT && !slash) || prev == P_SLASH_AFTER_DEFAULT)
                        return err_tok(p, &t, "non-default argument follows default argument");
                    return invalid_syntax(p);
                }
                if (vec_push(p, &pos, a) < 0)
                    return NULL;
            }
            prev = def ? P_DEFAULT : P_PLAIN;
            if (!lambda && ptype(p) != PY_T_COMMA && ptype(p) != close &&
                starts_expression(ptype(p)) && (def || a->annotation))
                return missing_comma(p, def ? def : a->annotation);
        }
        if (!accept(p, PY_T_COMMA) && ptype(p) != close)
            return invalid_syntax(p);
    }
    if (p->error)
        return NULL;
    args->args = SEQ(py_arg_seq, pos);
    args->kwonlyargs = SEQ(py_arg_seq, kwonly);
    args->kw_defaults = SEQ(py_expr_seq, kwdefaults);
    args->defaults = SEQ(py_expr_seq, defaults);
    return args;
}

/* ---- Simple statements ---------------------------------------------------------------------------- */

static int augassign_op(int t)
{
    switch (t) {
    case PY_T_PLUSEQUAL: return PY_OP_ADD;
    case PY_T_MINEQUAL: return PY_OP_SUB;
    case PY_T_STAREQUAL: return PY_OP_MUL;
    case PY_T_ATEQUAL: return PY_OP_MATMUL;
    case PY_T_SLASHEQUAL: return PY_OP_TRUEDIV;
    case PY_T_PERCENTEQUAL: return PY_OP_MOD;
    case PY_T_AMPEREQUAL: return PY_OP_AND;
    case PY_T_VBAREQUAL: return PY_OP_OR;
    case PY_T_CIRCUMFLEXEQUAL: return PY_OP_XOR;
    case PY_T_LEFTSHIFTEQUAL: return PY_OP_LSHIFT;
    case PY_T_RIGHTSHIFTEQUAL: return PY_OP_RSHIFT;
    case PY_T_DOUBLESTAREQUAL: return PY_OP_POW;
    case PY_T_DOUBLESLASHEQUAL: return PY_OP_FLOORDIV;
    }
    return -1;
}

/* The right-hand side of an assignment: yield_expr | star_expressions */
static py_expr *assignment_value(parser *p)
{
    if (ptype(p) == PY_T_YIELD)
        return yield_expr(p);
    return star_expressions(p);
}

/* Whether the token at index i starts one of the forms CPython's
 * invalid_named_expression excludes with !(list|tuple|genexp|'True'|
 * 'None'|'False'). -1: a tokenizer error is set. */
static int starts_display(parser *p, ssize_t i)
{
    int t = p->toks[i].type;
    if (t == PY_T_TRUE || t == PY_T_FALSE || t == PY_T_NONE)
        return 1;
    if (t != PY_T_LSQB && t != PY_T_LPAR)
        return 0;
    ssize_t m = p->mark;
    p->mark = i;
    py_expr *a = atom(p);
    int r = a && (a->kind == PY_E_List || (t == PY_T_LPAR && (a->kind == PY_E_Tuple ||
                                                           a->kind == PY_E_GeneratorExp)));
    return undo_attempt(p, m) ? r : -1;
}

/* CPython's invalid_named_expression (alternatives 2 and 3) for the
 * expression `last` (first token at index lstart) right before the '='
 * at index eq: when `last` is a NAME, or a bitwise_or that does not start
 * like a list, tuple, genexp, True, None or False, and a bitwise_or
 * follows the '=' (not followed by '=' or ':='), the error suggests '=='.
 * True when the error was raised (or a tokenizer error is set). */
static bool named_eq_hint(parser *p, py_expr *last, ssize_t lstart, ssize_t eq)
{
    bool name = p->toks[lstart].type == PY_T_NAME && lstart + 1 == eq;
    ssize_t m = p->mark;
    if (!name) {
        int d = starts_display(p, lstart);
        if (d != 0)
            return d < 0;
        p->mark = lstart;
        py_expr *a = bitwise_or(p);
        if (!a || p->mark != eq)
            return !undo_attempt(p, m);
    }
    p->mark = eq + 1;
    py_expr *b = bitwise_or(p);
    if (!b) {
        /* CPython's bitwise_or backtracks to its longest valid prefix;
         * errors other than the plain one are its second pass's too */
        if (!p->generic)
            return true;
        undo_attempt(p, eq + 1);
        while (ptype(p) == PY_T_MINUS || ptype(p) == PY_T_PLUS || ptype(p) == PY_T_TILDE)
            p->mark++;
        b = atom(p);
        if (!b)
            return p->generic ? !undo_attempt(p, m) : true;
    } else if (ptype(p) == PY_T_EQUAL || ptype(p) == PY_T_COLONEQUAL) {
        return !undo_attempt(p, m);
    }
    p->mark = m;
    if (name)
        err_span(p, last->lineno, last->col_offset, b->end_lineno, b->end_col_offset,
                 "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    else
        err_node(p, last, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                 py_expr_describe(last));
    return true;
}

/* The same as CPython's invalid_assignment reaches it for the first
 * target of an assignment: the whole target, or the last item of an
 * unparenthesized tuple (the one right before the '='). */
static bool maybe_equal_hint(parser *p, py_expr *t, ssize_t tstart, ssize_t eq)
{
    py_expr *last = t;
    ssize_t lstart = tstart;
    if (t->kind == PY_E_Tuple) {
        int depth = 0;
        for (ssize_t i = tstart; i < eq; i++) {
            int k = p->toks[i].type;
            if (k == PY_T_LPAR || k == PY_T_LSQB || k == PY_T_LBRACE)
                depth++;
            else if (k == PY_T_RPAR || k == PY_T_RSQB || k == PY_T_RBRACE)
                depth--;
            else if (k == PY_T_COMMA && depth == 0)
                lstart = i + 1;
        }
        if (lstart != tstart) {
            if (lstart == eq || !t->v.Tuple.elts.n)
                return false;              /* a trailing comma before '=' */
            last = t->v.Tuple.elts.items[t->v.Tuple.elts.n - 1];
        }
    }
    return named_eq_hint(p, last, lstart, eq);
}

/* Checks the target t (its first token at index tstart) of the '=' at
 * index eq, as soon as the '=' is seen, with CPython's messages. */
static bool check_assign_target(parser *p, py_expr *t, ssize_t tstart, ssize_t eq,
                                bool first)
{
    if ((t->kind == PY_E_Yield || t->kind == PY_E_YieldFrom) &&
        p->toks[tstart].type == PY_T_YIELD) {
        err_node(p, t, "assignment to yield expression not possible");
        return false;
    }
    const py_expr *bad = invalid_target(t, STAR_TARGETS);
    if (!bad) {
        set_ctx(t, PY_STORE);
        return true;
    }
    if (first && maybe_equal_hint(p, t, tstart, eq))
        return false;
    err_node(p, bad, "cannot assign to %s", py_expr_describe(bad));
    return false;
}

static py_stmt *ann_assign(parser *p, py_expr *target, ssize_t start, bool parenthesized)
{
    /* CPython's messages for bad targets need an annotation after ':' */
    if (!starts_expression(ptype_at(p, 1)) && target->kind != PY_E_Name &&
        target->kind != PY_E_Attribute && target->kind != PY_E_Subscript)
        return invalid_syntax(p);
    if (target->kind == PY_E_Tuple && !parenthesized && target->v.Tuple.elts.n)
        return err_node(p, target->v.Tuple.elts.items[0],
                        "only single target (not tuple) can be annotated");
    if (target->kind == PY_E_Tuple || target->kind == PY_E_List)
        return err_node(p, target, "only single target (not %s) can be annotated",
                        target->kind == PY_E_Tuple ? "tuple" : "list");
    if (target->kind != PY_E_Name && target->kind != PY_E_Attribute &&
        target->kind != PY_E_Subscript)
        return err_node(p, target, "illegal target for annotation");
    p->mark++;                                   /* ':' */
    py_expr *ann = expression(p), *value = NULL;
    if (!ann)
        return NULL;
    if (accept(p, PY_T_EQUAL) && !(value = assignment_value(p)))
        return NULL;
    set_ctx(target, PY_STORE);
    py_stmt *s = new_stmt(p, PY_S_AnnAssign, span_from(p, start));
    if (s) {
        s->v.AnnAssign.target = target;
        s->v.AnnAssign.annotation = ann;
        s->v.AnnAssign.value = value;
        s->v.AnnAssign.simple = target->kind == PY_E_Name && !parenthesized;
    }
    return s;
}

/* Legacy "print x": CPython's hint, spanning the name and what follows. */
static void *legacy_print(parser *p, py_expr *e)
{
    const char *id = ft_str_utf8_borrow(e->v.Name.id, NULL);
    ssize_t m = p->mark;
    py_expr *rest = star_expressions(p);
    if (!rest) {
        if (p->tok_failed)
            return NULL;
        py_err_clear();
        p->error = false;
        p->mark = m;
        return invalid_syntax(p);
    }
    return err_span(p, e->lineno, e->col_offset, rest->end_lineno, rest->end_col_offset,
                    "Missing parentheses in call to '%s'. Did you mean %s(...)?", id, id);
}

/* expression statements and assignments */
static py_stmt *expr_stmt(parser *p)
{
    ssize_t start = p->mark;
    py_expr *e = assignment_value(p);
    if (!e)
        return NULL;
    int t = ptype(p);
    if (t == PY_T_COLON)
        return ann_assign(p, e, start, p->toks[start].type == PY_T_LPAR);
    int op = augassign_op(t);
    if (op >= 0) {
        if (e->kind != PY_E_Name && e->kind != PY_E_Attribute && e->kind != PY_E_Subscript)
            return err_node(p, e, "'%s' is an illegal expression for augmented assignment",
                            py_expr_describe(e));
        p->mark++;
        py_expr *value = assignment_value(p);
        if (!value)
            return NULL;
        set_ctx(e, PY_STORE);
        py_stmt *s = new_stmt(p, PY_S_AugAssign, span_from(p, start));
        if (s) {
            s->v.AugAssign.target = e;
            s->v.AugAssign.op = op;
            s->v.AugAssign.value = value;
        }
        return s;
    }
    if (t != PY_T_EQUAL) {
        if (t == PY_T_COLONEQUAL && e->kind != PY_E_Name)
            return err_node(p, e, "cannot use assignment expressions with %s",
                            py_expr_describe(e));
        if (e->kind == PY_E_Name && starts_expression(t)) {
            const char *id = ft_str_utf8_borrow(e->v.Name.id, NULL);
            if (strcmp(id, "print") == 0 || strcmp(id, "exec") == 0)
                return legacy_print(p, e);
        }
        py_stmt *s = new_stmt(p, PY_S_Expr, span_from(p, start));
        if (s)
            s->v.Expr.value = e;
        return s;
    }
    vec targets = {0};
    ssize_t tstart = start;
    while (ptype(p) == PY_T_EQUAL) {
        /* each target is checked at its '=', before what follows */
        if (!check_assign_target(p, e, tstart, p->mark, targets.n == 0))
            return NULL;
        p->mark++;
        tstart = p->mark;
        if (vec_push(p, &targets, e) < 0 || !(e = assignment_value(p)))
            return NULL;
    }
    py_stmt *s = new_stmt(p, PY_S_Assign, span_from(p, start));
    if (s) {
        s->v.Assign.targets = SEQ(py_expr_seq, targets);
        s->v.Assign.value = e;
    }
    return s;
}

/* dotted_name: NAME ('.' NAME)* as one str */
static ft_object *dotted_name(parser *p)
{
    if (ptype(p) != PY_T_NAME)
        return invalid_syntax(p);
    const char *s = peek(p)->start, *e = peek(p)->end;
    bool simple = true;
    p->mark++;
    while (ptype(p) == PY_T_DOT) {
        p->mark++;
        if (ptype(p) != PY_T_NAME)
            return invalid_syntax(p);
        if (peek(p)->start != prev(p)->end || prev(p)->start != e)
            simple = false;
        e = peek(p)->end;
        p->mark++;
    }
    if (simple)
        return new_ident(p, s, (size_t)(e - s));
    /* spaces around the dots: rebuild the name */
    strbuf b = {0};
    for (const char *q = s; q < e; q++)
        if (*q != ' ' && *q != '\t' && *q != '\\' && *q != '\n' && *q != '\f')
            if (sb_add(p, &b, q, 1) < 0)
                return NULL;
    return new_ident(p, b.s, b.n);
}

static py_alias *alias(parser *p, bool dotted)
{
    ssize_t start = p->mark;
    py_alias *a = alloc(p, sizeof *a);
    if (!a)
        return NULL;
    if (dotted)
        a->name = dotted_name(p);
    else if (ptype(p) == PY_T_NAME)
        a->name = tok_ident(p, peek(p)), p->mark++;
    else
        return invalid_syntax(p);
    if (!a->name)
        return NULL;
    if (accept(p, PY_T_AS)) {
        if (ptype(p) != PY_T_NAME)
            return invalid_syntax(p);
        if (!(a->asname = tok_ident(p, peek(p))))
            return NULL;
        p->mark++;
    }
    SET_LOC(a, span_from(p, start));
    return a;
}

static py_stmt *import_name(parser *p)
{
    ssize_t start = p->mark++;
    vec names = {0};
    do {
        py_alias *a = alias(p, true);
        if (!a || vec_push(p, &names, a) < 0)
            return NULL;
    } while (accept(p, PY_T_COMMA));
    py_stmt *s = new_stmt(p, PY_S_Import, span_from(p, start));
    if (s)
        s->v.Import.names = SEQ(py_alias_seq, names);
    return s;
}

static py_stmt *import_from(parser *p)
{
    ssize_t start = p->mark++;
    int level = 0;
    ft_object *module = NULL;
    for (;;) {
        if (accept(p, PY_T_DOT))
            level++;
        else if (accept(p, PY_T_ELLIPSIS))
            level += 3;
        else
            break;
    }
    if (ptype(p) != PY_T_IMPORT || level == 0) {
        if (!(module = dotted_name(p)))
            return NULL;
    }
    if (!accept(p, PY_T_IMPORT))
        return invalid_syntax(p);
    vec names = {0};
    if (ptype(p) == PY_T_STAR) {
        ssize_t st = p->mark++;
        py_alias *a = alloc(p, sizeof *a);
        if (!a || !(a->name = new_ident(p, "*", 1)))
            return NULL;
        SET_LOC(a, span_from(p, st));
        if (vec_push(p, &names, a) < 0)
            return NULL;
    } else if (accept(p, PY_T_LPAR)) {
        do {
            if (ptype(p) == PY_T_RPAR && names.n)
                break;
            py_alias *a = alias(p, false);
            if (!a || vec_push(p, &names, a) < 0)
                return NULL;
        } while (accept(p, PY_T_COMMA));
        if (!accept(p, PY_T_RPAR))
            return invalid_syntax(p);
    } else {
        do {
            if (names.n && (ptype(p) == PY_T_NEWLINE || ptype(p) == PY_T_SEMI))
                return err_tok(p, peek(p), "trailing comma not allowed without "
                               "surrounding parentheses");
            py_alias *a = alias(p, false);
            if (!a || vec_push(p, &names, a) < 0)
                return NULL;
        } while (accept(p, PY_T_COMMA));
    }
    py_stmt *s = new_stmt(p, PY_S_ImportFrom, span_from(p, start));
    if (s) {
        s->v.ImportFrom.module = module;
        s->v.ImportFrom.names = SEQ(py_alias_seq, names);
        s->v.ImportFrom.level = level;
    }
    return s;
}

static py_stmt *global_stmt(parser *p, int kind)
{
    ssize_t start = p->mark++;
    vec names = {0};
    do {
        if (ptype(p) != PY_T_NAME)
            return invalid_syntax(p);
        ft_object *n = tok_ident(p, peek(p));
        p->mark++;
        if (!n || vec_push(p, &names, n) < 0)
            return NULL;
    } while (accept(p, PY_T_COMMA));
    py_stmt *s = new_stmt(p, kind, span_from(p, start));
    if (s)
        s->v.Global.names = SEQ(py_ident_seq, names);
    return s;
}

static py_stmt *del_stmt(parser *p)
{
    ssize_t start = p->mark++;
    vec targets = {0};
    do {
        int t = ptype(p);
        if (targets.n && (t == PY_T_NEWLINE || t == PY_T_SEMI))
            break;
        py_expr *e = star_target(p);
        if (!e || !as_target(p, e, DEL_TARGETS) || vec_push(p, &targets, e) < 0)
            return NULL;
    } while (accept(p, PY_T_COMMA));
    py_stmt *s = new_stmt(p, PY_S_Delete, span_from(p, start));
    if (s)
        s->v.Delete.targets = SEQ(py_expr_seq, targets);
    return s;
}

/* return / raise / assert / pass / break / continue */
static py_stmt *keyword_stmt(parser *p)
{
    ssize_t start = p->mark;
    int t = ptype(p);
    p->mark++;
    py_expr *a = NULL, *b = NULL;
    switch (t) {
    case PY_T_RETURN:
        if (!ends_expressions(ptype(p)) && !(a = star_expressions(p)))
            return NULL;
        break;
    case PY_T_RAISE:
        if (!ends_expressions(ptype(p))) {
            if (!(a = expression(p)))
                return NULL;
            if (accept(p, PY_T_FROM) && !(b = expression(p)))
                return NULL;
        }
        break;
    case PY_T_ASSERT:
        if (!(a = expression(p)))
            return NULL;
        if (accept(p, PY_T_COMMA) && !(b = expression(p)))
            return NULL;
        break;
    }
    int kind = t == PY_T_RETURN ? PY_S_Return : t == PY_T_RAISE ? PY_S_Raise :
               t == PY_T_ASSERT ? PY_S_Assert : t == PY_T_PASS ? PY_S_Pass :
               t == PY_T_BREAK ? PY_S_Break : PY_S_Continue;
    py_stmt *s = new_stmt(p, kind, span_from(p, start));
    if (!s)
        return NULL;
    if (kind == PY_S_Return)
        s->v.Return.value = a;
    else if (kind == PY_S_Raise)
        s->v.Raise.exc = a, s->v.Raise.cause = b;
    else if (kind == PY_S_Assert)
        s->v.Assert.test = a, s->v.Assert.msg = b;
    return s;
}

static py_stmt *simple_stmt(parser *p)
{
    switch (ptype(p)) {
    case PY_T_RETURN: case PY_T_RAISE: case PY_T_ASSERT: case PY_T_PASS:
    case PY_T_BREAK: case PY_T_CONTINUE:
        return keyword_stmt(p);
    case PY_T_IMPORT: return import_name(p);
    case PY_T_FROM: return import_from(p);
    case PY_T_GLOBAL: return global_stmt(p, PY_S_Global);
    case PY_T_NONLOCAL: return global_stmt(p, PY_S_Nonlocal);
    case PY_T_DEL: return del_stmt(p);
    default: return expr_stmt(p);
    }
}

/* simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static bool simple_stmts(parser *p, vec *out)
{
    for (;;) {
        py_stmt *s = simple_stmt(p);
        if (!s || vec_push(p, out, s) < 0)
            return false;
        if (accept(p, PY_T_NEWLINE))
            return true;
        if (!accept(p, PY_T_SEMI)) {
            unexpected_expression(p);
            return false;
        }
        if (accept(p, PY_T_NEWLINE))
            return true;
    }
}

/* ---- Compound statements -------------------------------------------------------------------------- */

/* block: NEWLINE INDENT statements DEDENT | simple_stmts */
static bool block(parser *p, py_stmt_seq *out, const char *what, int lineno)
{
    vec body = {0};
    if (accept(p, PY_T_NEWLINE)) {
        if (!accept(p, PY_T_INDENT)) {
            if (p->error)
                return false;
            py_token *t = peek(p);
            char msg[160];
            snprintf(msg, sizeof msg, "expected an indented block after %s on line %d",
                     what, lineno);
            if (at_eof_token(p, t) && !p->fstring) {
                /* CPython names its position at the end of the input */
                int eline, ecol;
                const char *line;
                eof_position(p, &eline, &ecol, &line);
                err_raw(p, py_exc_IndentationError, line, eline, ecol, eline, -2, "%s", msg);
            } else {
                err_tokens(p, py_exc_IndentationError, t, t, "%s", msg);
            }
            return false;
        }
        while (!accept(p, PY_T_DEDENT)) {
            if (p->error || !statement(p, &body))
                return false;
        }
    } else if (!simple_stmts(p, &body)) {
        return false;
    }
    *out = SEQ(py_stmt_seq, body);
    return true;
}

/* A compound statement ends where its last block does: at the last token
 * read that is not layout (a trailing ';' included, as CPython). */
static void end_at_last(parser *p, py_stmt *s)
{
    ssize_t i = p->mark - 1;
    while (i > 0 && (p->toks[i].type == PY_T_NEWLINE || p->toks[i].type == PY_T_INDENT ||
                     p->toks[i].type == PY_T_DEDENT))
        i--;
    s->end_lineno = tline(p, p->toks[i].end_lineno);
    s->end_col_offset = tcol(p, p->toks[i].end_lineno, p->toks[i].end_col);
}

static int cur_line(parser *p) { return tline(p, peek(p)->lineno); }

/* if_stmt / elif_stmt: the elif chain becomes nested Ifs in orelse */
static py_stmt *if_stmt(parser *p, const char *what)
{
    ssize_t start = p->mark;
    int line = cur_line(p);
    p->mark++;
    py_expr *test = named_expression(p);
    if (!test || !expect_colon(p, false))
        return NULL;
    py_stmt *s = new_stmt(p, PY_S_If, span_from(p, start));
    if (!s || !block(p, &s->v.If.body, what, line))
        return NULL;
    s->v.If.test = test;
    end_at_last(p, s);
    if (ptype(p) == PY_T_ELIF) {
        py_stmt *e = if_stmt(p, "'elif' statement");
        vec orelse = {0};
        if (!e || vec_push(p, &orelse, e) < 0)
            return NULL;
        s->v.If.orelse = SEQ(py_stmt_seq, orelse);
        s->end_lineno = e->end_lineno;
        s->end_col_offset = e->end_col_offset;
    } else if (ptype(p) == PY_T_ELSE) {
        int eline = cur_line(p);
        p->mark++;
        if (!expect_colon(p, true) || !block(p, &s->v.If.orelse, "'else' statement", eline))
            return NULL;
        end_at_last(p, s);
    }
    return p->error ? NULL : s;
}

/* An optional else block (while, for, try). */
static bool else_block(parser *p, py_stmt *s, py_stmt_seq *orelse)
{
    if (ptype(p) != PY_T_ELSE)
        return !p->error;
    int line = cur_line(p);
    p->mark++;
    if (!expect_colon(p, true) || !block(p, orelse, "'else' statement", line))
        return false;
    end_at_last(p, s);
    return true;
}

static py_stmt *while_stmt(parser *p)
{
    ssize_t start = p->mark;
    int line = cur_line(p);
    p->mark++;
    py_expr *test = named_expression(p);
    if (!test || !expect_colon(p, false))
        return NULL;
    py_stmt *s = new_stmt(p, PY_S_While, span_from(p, start));
    if (!s || !block(p, &s->v.While.body, "'while' statement", line))
        return NULL;
    s->v.While.test = test;
    end_at_last(p, s);
    return else_block(p, s, &s->v.While.orelse) ? s : NULL;
}

static py_stmt *for_stmt(parser *p)
{
    ssize_t start = p->mark;
    int line = cur_line(p);
    p->mark++;
    py_expr *target = star_targets(p, FOR_TARGETS);
    if (!target)
        return NULL;
    if (!accept(p, PY_T_IN))
        return invalid_syntax(p);
    py_expr *iter = star_expressions(p);
    if (!iter || !expect_colon(p, true))
        return NULL;
    py_stmt *s = new_stmt(p, PY_S_For, span_from(p, start));
    if (!s || !block(p, &s->v.For.body, "'for' statement", line))
        return NULL;
    s->v.For.target = target;
    s->v.For.iter = iter;
    end_at_last(p, s);
    return else_block(p, s, &s->v.For.orelse) ? s : NULL;
}

/* with_item: expression ['as' star_target] */
static py_withitem *with_item(parser *p, bool in_parens)
{
    py_withitem *w = alloc(p, sizeof *w);
    if (!w || !(w->context_expr = expression(p)))
        return NULL;
    if (accept(p, PY_T_AS)) {
        ssize_t m = p->mark;
        py_expr *t = star_target(p);
        int next = ptype(p);
        if (t && (next == PY_T_COMMA || next == PY_T_COLON || next == PY_T_RPAR ||
                  (next == PY_T_NEWLINE && !in_parens))) {
            /* (a NEWLINE: with_stmt says "expected ':'") */
            if (!as_target(p, t, STAR_TARGETS))
                return NULL;
            w->optional_vars = t;
            return w;
        }
        /* CPython's invalid_with_item: `as` and an expression that cannot
         * be a target, followed by ',', ')' or ':' */
        if (!undo_attempt(p, m))
            return NULL;
        py_expr *a = expression(p);
        next = ptype(p);
        if (a && (next == PY_T_COMMA || next == PY_T_COLON || next == PY_T_RPAR)) {
            const py_expr *bad = invalid_target(a, STAR_TARGETS);
            if (bad)
                return err_node(p, bad, "cannot assign to %s", py_expr_describe(bad));
        }
        if (p->error && !p->generic)
            return NULL;
        if (!undo_attempt(p, m))
            return NULL;
        t = star_target(p);
        if (!t)
            return NULL;
        return invalid_syntax(p);
    }
    return w;
}

/* '(' ','.with_item+ [','] ')' ':' — tried first; false (no error) when
 * the parenthesis turns out to belong to an expression. */
static bool with_items_parenthesized(parser *p, vec *items)
{
    ssize_t m = p->mark;
    p->mark++;
    do {
        if (ptype(p) == PY_T_RPAR && items->n)
            break;
        py_withitem *w = with_item(p, true);
        if (!w || vec_push(p, items, w) < 0)
            break;
    } while (accept(p, PY_T_COMMA));
    if (!p->error && accept(p, PY_T_RPAR)) {
        /* a NEWLINE: with_stmt says "expected ':'" */
        if (ptype(p) == PY_T_COLON || ptype(p) == PY_T_NEWLINE)
            return true;
        for (ssize_t i = 0; i < items->n; i++)
            if (((py_withitem *)items->items[i])->optional_vars) {
                invalid_syntax(p);      /* `as` inside: no expression */
                return false;
            }
    }
    if (p->error && (p->tok_failed || !p->generic))
        return false;               /* CPython's invalid_with_item, ...    */
    if (p->error)
        py_err_clear();
    p->error = false;
    p->mark = m;
    *items = (vec){0};
    return false;
}

static py_stmt *with_stmt(parser *p)
{
    ssize_t start = p->mark;
    int line = cur_line(p);
    p->mark++;
    vec items = {0};
    if (ptype(p) != PY_T_LPAR || !with_items_parenthesized(p, &items)) {
        if (p->error)
            return NULL;
        do {
            py_withitem *w = with_item(p, false);
            if (!w || vec_push(p, &items, w) < 0)
                return NULL;
        } while (accept(p, PY_T_COMMA));
    }
    if (!expect_colon(p, true))
        return NULL;
    py_stmt *s = new_stmt(p, PY_S_With, span_from(p, start));
    if (!s || !block(p, &s->v.With.body, "'with' statement", line))
        return NULL;
    s->v.With.items = SEQ(py_withitem_seq, items);
    end_at_last(p, s);
    return s;
}

static py_excepthandler *except_block(parser *p)
{
    ssize_t start = p->mark;
    int line = cur_line(p);
    p->mark++;
    py_excepthandler *h = alloc(p, sizeof *h);
    if (!h)
        return NULL;
    if (ptype(p) == PY_T_STAR)
        return err_tok(p, peek(p), "except* is not supported by ftpy");
    if (ptype(p) != PY_T_COLON) {
        if (!(h->type = expression(p)))
            return NULL;
        if (ptype(p) == PY_T_COMMA) {
            ssize_t m = p->mark;
            p->mark = start + 1;
            py_expr *t = expressions(p);
            if (!t)
                return NULL;
            (void)m;
            return err_node(p, t, "multiple exception types must be parenthesized");
        }
        if (accept(p, PY_T_AS)) {
            if (ptype(p) != PY_T_NAME)
                return invalid_syntax(p);
            if (!(h->name = tok_ident(p, peek(p))))
                return NULL;
            p->mark++;
        }
    }
    if (!expect_colon(p, false))
        return NULL;
    loc l = span_from(p, start);
    if (!block(p, &h->body, "'except' statement", line))
        return NULL;
    SET_LOC(h, l);
    ssize_t i = p->mark - 1;
    while (i > 0 && (p->toks[i].type == PY_T_NEWLINE || p->toks[i].type == PY_T_INDENT ||
                     p->toks[i].type == PY_T_DEDENT))
        i--;
    h->end_lineno = tline(p, p->toks[i].end_lineno);
    h->end_col_offset = tcol(p, p->toks[i].end_lineno, p->toks[i].end_col);
    return h;
}

static py_stmt *try_stmt(parser *p)
{
    ssize_t start = p->mark;
    int line = cur_line(p);
    p->mark++;
    if (!expect_colon(p, true))
        return NULL;
    py_stmt *s = new_stmt(p, PY_S_Try, span_from(p, start));
    if (!s || !block(p, &s->v.Try.body, "'try' statement", line))
        return NULL;
    end_at_last(p, s);
    vec handlers = {0};
    while (ptype(p) == PY_T_EXCEPT) {
        py_excepthandler *h = except_block(p);
        if (!h || vec_push(p, &handlers, h) < 0)
            return NULL;
        s->end_lineno = h->end_lineno;
        s->end_col_offset = h->end_col_offset;
    }
    s->v.Try.handlers = SEQ(py_excepthandler_seq, handlers);
    if (handlers.n && !else_block(p, s, &s->v.Try.orelse))
        return NULL;
    if (ptype(p) == PY_T_FINALLY) {
        int fline = cur_line(p);
        p->mark++;
        if (!expect_colon(p, true) || !block(p, &s->v.Try.finalbody, "'finally' statement", fline))
            return NULL;
        end_at_last(p, s);
    } else if (!handlers.n && !p->error) {
        py_token *t = peek(p);
        if (t->type != PY_T_ENDMARKER)
            return err_tok(p, t, "expected 'except' or 'finally' block");
        /* at a dedent CPython names the end of the block's last line */
        ssize_t i = p->mark - 1;
        while (i > 0 && p->toks[i].type != PY_T_NEWLINE)
            i--;
        t = &p->toks[i];
        p->error = true;
        p->err_lineno = t->lineno;
        py_tok_raise(NULL, p->filename, "expected 'except' or 'finally' block",
                     t->line_start, t->lineno, t->col, t->lineno, -2);
        return NULL;
    }
    return p->error ? NULL : s;
}

/* decorators, then def or class */
static py_stmt *function_def(parser *p, py_expr_seq decorators)
{
    ssize_t start = p->mark;
    int line = cur_line(p);
    p->mark++;
    if (ptype(p) != PY_T_NAME)
        return invalid_syntax(p);
    ft_object *name = tok_ident(p, peek(p));
    p->mark++;
    if (!name)
        return NULL;
    if (!accept(p, PY_T_LPAR))
        return err_tok(p, peek(p), "expected '('");
    if (!enter(p))
        return NULL;
    py_arguments *args = params(p, false, PY_T_RPAR);
    leave(p);
    if (!args || !expect(p, PY_T_RPAR))
        return NULL;
    py_expr *returns = NULL;
    if (accept(p, PY_T_RARROW) && !(returns = expression(p)))
        return NULL;
    if (!expect_colon(p, true))
        return NULL;
    py_stmt *s = new_stmt(p, PY_S_FunctionDef, span_from(p, start));
    if (!s || !block(p, &s->v.FunctionDef.body, "function definition", line))
        return NULL;
    s->v.FunctionDef.name = name;
    s->v.FunctionDef.args = args;
    s->v.FunctionDef.returns = returns;
    s->v.FunctionDef.decorator_list = decorators;
    end_at_last(p, s);
    return s;
}

static py_stmt *class_def(parser *p, py_expr_seq decorators)
{
    ssize_t start = p->mark;
    int line = cur_line(p);
    p->mark++;
    if (ptype(p) != PY_T_NAME)
        return invalid_syntax(p);
    ft_object *name = tok_ident(p, peek(p));
    p->mark++;
    vec bases = {0}, kws = {0};
    if (ptype(p) == PY_T_LPAR) {
        ssize_t lpar = p->mark++;
        if (!call_args(p, lpar, &bases, &kws, true)) {
            if (!p->error)
                invalid_syntax(p);
            return NULL;
        }
    }
    if (!name || !expect_colon(p, false))
        return NULL;
    py_stmt *s = new_stmt(p, PY_S_ClassDef, span_from(p, start));
    if (!s || !block(p, &s->v.ClassDef.body, "class definition", line))
        return NULL;
    s->v.ClassDef.name = name;
    s->v.ClassDef.bases = SEQ(py_expr_seq, bases);
    s->v.ClassDef.keywords = SEQ(py_keyword_seq, kws);
    s->v.ClassDef.decorator_list = decorators;
    end_at_last(p, s);
    return s;
}

static py_stmt *decorated(parser *p)
{
    vec decos = {0};
    while (accept(p, PY_T_AT)) {
        py_expr *d = named_expression(p);
        if (!d || vec_push(p, &decos, d) < 0)
            return NULL;
        if (!expect(p, PY_T_NEWLINE))
            return NULL;
    }
    py_expr_seq seq = SEQ(py_expr_seq, decos);
    if (ptype(p) == PY_T_DEF)
        return function_def(p, seq);
    if (ptype(p) == PY_T_CLASS)
        return class_def(p, seq);
    if (ptype(p) == PY_T_ASYNC)
        return err_tok(p, peek(p), "'async' is not supported by ftpy");
    return invalid_syntax(p);
}

/* The soft keyword 'match' starting a match statement: the logical line
 * ends with ':' and an indented block follows. */
static bool is_match_stmt(parser *p)
{
    py_token *t = peek(p);
    if (t->type != PY_T_NAME || t->end - t->start != 5 || memcmp(t->start, "match", 5) != 0)
        return false;
    int next = ptype_at(p, 1);
    if (next == PY_T_EQUAL || next == PY_T_DOT || next == PY_T_COLON ||
        next == PY_T_NEWLINE || augassign_op(next) >= 0 || next == PY_T_COMMA)
        return false;
    for (ssize_t k = 1; !p->error; k++) {
        int tt = ptype_at(p, k);
        if (tt == PY_T_NEWLINE)
            return ptype_at(p, k - 1) == PY_T_COLON && ptype_at(p, k + 1) == PY_T_INDENT;
        if (tt == PY_T_ENDMARKER)
            return false;
    }
    return false;
}

/* statement: compound_stmt | simple_stmts */
static bool statement(parser *p, vec *out)
{
    py_stmt *s;
    switch (ptype(p)) {
    case PY_T_DEF: s = function_def(p, (py_expr_seq){0}); break;
    case PY_T_CLASS: s = class_def(p, (py_expr_seq){0}); break;
    case PY_T_AT: s = decorated(p); break;
    case PY_T_IF: s = if_stmt(p, "'if' statement"); break;
    case PY_T_WHILE: s = while_stmt(p); break;
    case PY_T_FOR: s = for_stmt(p); break;
    case PY_T_TRY: s = try_stmt(p); break;
    case PY_T_WITH: s = with_stmt(p); break;
    case PY_T_ASYNC:
        err_tok(p, peek(p), "'async' is not supported by ftpy");
        return false;
    case PY_T_INDENT:
        invalid_syntax(p);
        return false;
    case PY_T_NAME:
        if (is_match_stmt(p)) {
            err_tok(p, peek(p), "the match statement is not supported by ftpy");
            return false;
        }
        return !p->error && simple_stmts(p, out);
    default:
        return simple_stmts(p, out);
    }
    return s && vec_push(p, out, s) == 0;
}

/* ---- Entry points ----------------------------------------------------------------------------------- */

static py_ast_mod *new_mod(parser *p, int kind)
{
    py_ast_mod *m = alloc(p, sizeof *m);
    if (m)
        m->kind = kind;
    return m;
}

/* file: [statements] ENDMARKER */
static py_ast_mod *file_rule(parser *p)
{
    vec body = {0};
    while (!accept(p, PY_T_ENDMARKER)) {
        if (p->error || !statement(p, &body))
            return NULL;
    }
    py_ast_mod *m = new_mod(p, PY_M_Module);
    if (m)
        m->body = SEQ(py_stmt_seq, body);
    return m;
}

/* eval: expressions NEWLINE* ENDMARKER */
static py_ast_mod *eval_rule(parser *p)
{
    while (accept(p, PY_T_NEWLINE))
        ;
    if (ptype(p) == PY_T_INDENT)
        return invalid_syntax(p);
    py_expr *e = expressions(p);
    if (!e)
        return NULL;
    while (accept(p, PY_T_NEWLINE))
        ;
    if (!accept(p, PY_T_ENDMARKER))
        return invalid_syntax(p);
    py_ast_mod *m = new_mod(p, PY_M_Expression);
    if (m)
        m->expr = e;
    return m;
}

/* single: one statement (simple or compound) or nothing */
static py_ast_mod *single_rule(parser *p)
{
    vec body = {0};
    while (accept(p, PY_T_NEWLINE))
        ;
    if (ptype(p) != PY_T_ENDMARKER && !statement(p, &body))
        return NULL;
    while (accept(p, PY_T_NEWLINE))
        ;
    if (!p->error && ptype(p) != PY_T_ENDMARKER)
        return err_tok(p, peek(p), "multiple statements found while compiling a single statement");
    if (p->error)
        return NULL;
    py_ast_mod *m = new_mod(p, PY_M_Interactive);
    if (m)
        m->body = SEQ(py_stmt_seq, body);
    return m;
}

/* The private copy: BOM skipped, CRLF and CR made LF, a final newline. */
static char *source_copy(const char *src, size_t n, size_t *out_n)
{
    if (n >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        src += 3, n -= 3;
    char *buf = ft_malloc(n + 2);
    if (!buf) {
        py_err_nomemory();
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (src[i] == '\r') {
            buf[k++] = '\n';
            if (i + 1 < n && src[i + 1] == '\n')
                i++;
        } else {
            buf[k++] = src[i];
        }
    }
    if (k == 0 || buf[k - 1] != '\n')
        buf[k++] = '\n';
    buf[k] = '\0';
    *out_n = k;
    return buf;
}

/* ---- Source encoding (PEP 263) ----------------------------------------------------
 * A "coding:" comment on line 1 or 2 names the source's encoding. ftpy
 * reads UTF-8 (and its aliases, and ASCII) and Latin-1, which it
 * converts to UTF-8; any other encoding is a SyntaxError.
 */
enum { ENC_UTF8, ENC_LATIN1, ENC_ERROR };

/* The encoding named in the comment line [s, e), or -1 when none. */
static int coding_of_line(const char *s, const char *e, char *name, size_t size)
{
    const char *q = s;
    while (q < e && (*q == ' ' || *q == '\t' || *q == '\f'))
        q++;
    if (q >= e || *q != '#')
        return -1;
    for (; q + 7 <= e; q++) {
        if (memcmp(q, "coding", 6) != 0 || (q[6] != ':' && q[6] != '='))
            continue;
        const char *n = q + 7;
        while (n < e && (*n == ' ' || *n == '\t'))
            n++;
        size_t k = 0;
        while (n < e && k + 1 < size && (*n == '-' || *n == '_' || *n == '.' ||
               (*n >= '0' && *n <= '9') || ((*n | 0x20) >= 'a' && (*n | 0x20) <= 'z')))
            name[k++] = *n++;
        name[k] = '\0';
        if (k == 0)
            continue;
        /* normalized as CPython's get_normal_name */
        char norm[64];
        size_t i;
        for (i = 0; i < sizeof norm - 1 && name[i]; i++)
            norm[i] = name[i] == '_' ? '-' : (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] | 0x20 : name[i]);
        norm[i] = '\0';
        if (!strcmp(norm, "utf-8") || !strncmp(norm, "utf-8-", 6) || !strcmp(norm, "utf8") ||
            !strcmp(norm, "ascii") || !strcmp(norm, "us-ascii"))
            return ENC_UTF8;
        static const char *const latin1[] = {"latin-1", "iso-8859-1", "iso-latin-1", "latin1",
                                             "iso8859-1", "l1", "8859", "cp819", "latin"};
        for (size_t j = 0; j < sizeof latin1 / sizeof latin1[0]; j++)
            if (!strcmp(norm, latin1[j]))
                return ENC_LATIN1;
        if (!strncmp(norm, "latin-1-", 8) || !strncmp(norm, "iso-8859-1-", 11) ||
            !strncmp(norm, "iso-latin-1-", 12))
            return ENC_LATIN1;
        return ENC_ERROR;
    }
    return -1;
}

/* The declared encoding of src (ENC_UTF8 when none); name gets it. */
static int source_encoding(const char *src, size_t n, char *name, size_t size)
{
    const char *end = src + n, *s = src;
    name[0] = '\0';
    for (int line = 0; line < 2 && s < end; line++) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e)
            e = end;
        int enc = coding_of_line(s, e, name, size);
        if (enc >= 0)
            return enc;
        /* the second line counts only after a blank or comment line */
        const char *q = s;
        while (q < e && (*q == ' ' || *q == '\t' || *q == '\f' || *q == '\r'))
            q++;
        if (q < e && *q != '#')
            break;
        s = e + 1;
    }
    return ENC_UTF8;
}

/* Latin-1 bytes as UTF-8 (ft_malloc'd). */
static char *latin1_to_utf8(const char *src, size_t n, size_t *out_n)
{
    char *buf = ft_malloc(2 * n + 1);
    if (!buf) {
        py_err_nomemory();
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c < 0x80) {
            buf[k++] = (char)c;
        } else {
            buf[k++] = (char)(0xC0 | (c >> 6));
            buf[k++] = (char)(0x80 | (c & 0x3F));
        }
    }
    *out_n = k;
    return buf;
}

/* After a parser error: a tokenizer error further on explains it better
 * (CPython's _PyPegen_tokenize_full_source_to_check_for_errors); an
 * unclosed bracket only when the parser read past its line. */
static void tokenize_rest(parser *p)
{
    if (p->tok_failed || p->keep_error || !py_err_matches(py_exc_SyntaxError))
        return;
    ft_object *exc = py_err_fetch();
    py_token t;
    for (;;) {
        if (py_tokenizer_next(&p->tok, &t) < 0) {
            /* an unclosed bracket explains only an error on a later line;
             * the errors CPython's tokenizer leaves to the parser
             * (indentation, continuation) replace nothing else */
            py_tokenizer *k = &p->tok;
            int last_line = p->fill ? p->toks[p->fill - 1].lineno : 0;
            if (k->err_soft || k->eof_unclosed) {
                py_err_clear();
                if (k->level > 0 && last_line > k->parenlinenostack[k->level - 1]) {
                    py_tokenizer_raise_unclosed(k);
                    ft_decref(exc);
                    return;
                }
                break;
            }
            ft_decref(exc);
            return;
        }
        if (t.type == PY_T_ENDMARKER)
            break;
    }
    py_err_restore(exc);
}

py_ast_mod *py_parse(py_arena *a, const char *src, size_t n,
                     const char *filename, int mode)
{
    size_t len;
    char encname[64];
    bool str_source = mode & PY_PARSE_STR_SOURCE;
    mode &= ~(PY_PARSE_STR_SOURCE | PY_PARSE_FUTURE_ANNOTATIONS);
    int enc = str_source ? ENC_UTF8 : source_encoding(src, n, encname, sizeof encname);
    bool bom = n >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0;
    if (enc != ENC_UTF8) {
        char msg[128];
        if (bom)
            snprintf(msg, sizeof msg, "encoding problem: %s with BOM", encname);
        else if (enc == ENC_ERROR)
            snprintf(msg, sizeof msg, "encoding '%s' is not supported by ftpy "
                     "(only UTF-8 and Latin-1)", encname);
        if (bom || enc == ENC_ERROR) {
            py_err_syntax(py_exc_SyntaxError, msg, filename, 0, -1, NULL, 0, 0);
            return NULL;
        }
    }
    char *converted = NULL;
    if (enc == ENC_LATIN1) {
        if (!(converted = latin1_to_utf8(src, n, &n)))
            return NULL;
        src = converted;
    }
    char *buf = source_copy(src, n, &len);
    ft_free(converted);
    if (!buf)
        return NULL;
    parser p;
    memset(&p, 0, sizeof p);
    p.arena = a;
    p.filename = filename;
    p.src = buf;
    p.src_end = buf + len;
    p.errtok.type = PY_T_ERRORTOKEN;
    p.errtok.start = p.errtok.end = p.errtok.line_start = "";
    p.errtok.lineno = p.errtok.end_lineno = 1;
    py_tokenizer_init(&p.tok, buf, len, filename);
    py_ast_mod *m = mode == PY_PARSE_EVAL ? eval_rule(&p)
                  : mode == PY_PARSE_SINGLE ? single_rule(&p) : file_rule(&p);
    if (p.error || !m) {
        m = NULL;
        if (!py_err_occurred())
            py_err_syntax(py_exc_SyntaxError, "invalid syntax", filename, 0, 0, NULL, 0, 0);
        tokenize_rest(&p);
    }
    ft_free(p.toks);
    ft_free(buf);
    return m;
}
