/* compile/ast.c — the AST's arena, the expression nouns of error
 * messages, and a dump in the format of CPython's ast.dump() (so that a
 * tree can be compared with CPython's text for text).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

/* ---- The arena ---------------------------------------------------------------
 * Chunks of at least ARENA_CHUNK bytes, zeroed when made (ft_calloc), are
 * handed out front to back; a request that does not fit the current chunk
 * starts a new one. The objects the tree refers to are kept in a growable
 * array and released together.
 */
#define ARENA_CHUNK (64 * 1024)

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} arena_chunk;

struct py_arena {
    arena_chunk *chunks;         /* newest first                          */
    ft_object **objects;         /* owned references                      */
    size_t nobjects, capobjects;
};

py_arena *py_arena_new(void)
{
    py_arena *a = ft_calloc(1, sizeof *a);
    if (!a)
        py_err_nomemory();
    return a;
}

void py_arena_free(py_arena *a)
{
    if (!a)
        return;
    for (arena_chunk *c = a->chunks, *next; c; c = next) {
        next = c->next;
        ft_free(c);
    }
    for (size_t i = 0; i < a->nobjects; i++)
        ft_decref(a->objects[i]);
    ft_free(a->objects);
    ft_free(a);
}

void *py_arena_alloc(py_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    arena_chunk *c = a->chunks;
    if (!c || c->size - c->used < n) {
        size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        c = ft_calloc(1, sizeof *c + size);
        if (!c) {
            py_err_nomemory();
            return NULL;
        }
        c->size = size;
        c->next = a->chunks;
        a->chunks = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

ft_object *py_arena_add_steal(py_arena *a, ft_object *o)
{
    if (!o)
        return NULL;
    if (a->nobjects == a->capobjects) {
        size_t cap = a->capobjects ? a->capobjects * 2 : 64;
        ft_object **objs = ft_realloc(a->objects, cap * sizeof *objs);
        if (!objs) {
            ft_decref(o);
            py_err_nomemory();
            return NULL;
        }
        a->objects = objs;
        a->capobjects = cap;
    }
    a->objects[a->nobjects++] = o;
    return o;
}

/* ---- Nouns for error messages (CPython's _PyPegen_get_expr_name) ------------ */

const char *py_expr_describe(const py_expr *e)
{
    switch (e->kind) {
    case PY_E_Attribute: return "attribute";
    case PY_E_Subscript: return "subscript";
    case PY_E_Starred: return "starred";
    case PY_E_Name: return "name";
    case PY_E_List: return "list";
    case PY_E_Tuple: return "tuple";
    case PY_E_Lambda: return "lambda";
    case PY_E_Call: return "function call";
    case PY_E_BoolOp: case PY_E_BinOp: case PY_E_UnaryOp: return "expression";
    case PY_E_GeneratorExp: return "generator expression";
    case PY_E_Yield: case PY_E_YieldFrom: return "yield expression";
    case PY_E_ListComp: return "list comprehension";
    case PY_E_SetComp: return "set comprehension";
    case PY_E_DictComp: return "dict comprehension";
    case PY_E_Dict: return "dict literal";
    case PY_E_Set: return "set display";
    case PY_E_JoinedStr: case PY_E_FormattedValue: return "f-string expression";
    case PY_E_Compare: return "comparison";
    case PY_E_IfExp: return "conditional expression";
    case PY_E_NamedExpr: return "named expression";
    case PY_E_Slice: return "slice";
    case PY_E_Constant: {
        ft_object *v = e->v.Constant.value;
        if (v == ft_none()) return "None";
        if (v == ft_true()) return "True";
        if (v == ft_false()) return "False";
        if (v == py_ellipsis()) return "ellipsis";
        return "literal";
    }
    }
    return "expression";
}

/* ---- Dump --------------------------------------------------------------------
 * The format of ast.dump(tree) in CPython 3.11: fields in ASDL order,
 * optional fields omitted when None, lists always shown, no locations.
 */
typedef struct dumper { FILE *f; int depth; bool locs; } dumper;

/* With locs: the four position attributes, as include_attributes=True;
 * `empty` when no field was written before them. */
#define DUMP_LOC(d, n, empty)                                                 \
    do {                                                                      \
        if ((d)->locs)                                                        \
            fprintf((d)->f, "%slineno=%d, col_offset=%d, end_lineno=%d, "     \
                    "end_col_offset=%d", (empty) ? "" : ", ", (n)->lineno,    \
                    (n)->col_offset, (n)->end_lineno, (n)->end_col_offset);   \
    } while (0)

/* Past this depth the dump writes "..." instead of recursing further. */
#define DUMP_MAXDEPTH 2000

static void dump_expr(dumper *d, const py_expr *e);
static void dump_stmt(dumper *d, const py_stmt *s);

static bool printable_cp(int32_t c)
{
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0) || c == 0xAD)
        return false;
    if (c == 0x1680 || (c >= 0x2000 && c <= 0x200F) ||
        (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) ||
        c == 0x3000 || c == 0xFEFF || (c >= 0xD800 && c <= 0xF8FF) ||
        (c & 0xFFFE) == 0xFFFE || c >= 0xF0000)
        return false;
    return true;
}

/* repr() of str (is_bytes false) or bytes content. */
static void dump_quoted(FILE *f, const unsigned char *s, size_t n, bool is_bytes)
{
    bool sq = memchr(s, '\'', n) != NULL, dq = memchr(s, '"', n) != NULL;
    char q = sq && !dq ? '"' : '\'';
    if (is_bytes)
        fputc('b', f);
    fputc(q, f);
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c == (unsigned char)q || c == '\\') { fprintf(f, "\\%c", c); i++; continue; }
        if (c == '\n') { fputs("\\n", f); i++; continue; }
        if (c == '\r') { fputs("\\r", f); i++; continue; }
        if (c == '\t') { fputs("\\t", f); i++; continue; }
        if (c < 0x20 || c == 0x7F || (is_bytes && c >= 0x80)) {
            fprintf(f, "\\x%02x", c);
            i++;
            continue;
        }
        if (c < 0x80) { fputc(c, f); i++; continue; }
        int32_t cp = 0;
        int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        for (int k = 1; k < len && i + (size_t)k < n; k++)
            cp = (cp << 6) | (s[i + k] & 0x3F);
        if (printable_cp(cp))
            fwrite(s + i, 1, (size_t)len, f);
        else if (cp <= 0xFF)
            fprintf(f, "\\x%02x", (unsigned)cp);
        else if (cp <= 0xFFFF)
            fprintf(f, "\\u%04x", (unsigned)cp);
        else
            fprintf(f, "\\U%08x", (unsigned)cp);
        i += (size_t)len;
    }
    fputc(q, f);
}

/* repr() of a float: the shortest digits that round-trip, laid out as
 * Python's float_repr_style 'short' does. */
static void dump_float(FILE *f, double v)
{
    if (isinf(v)) { fputs(v > 0 ? "inf" : "-inf", f); return; }
    if (isnan(v)) { fputs("nan", f); return; }
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    /* buf is d.ddde[+-]XX: split mantissa digits and exponent */
    char digits[32];
    int nd = 0;
    const char *p = buf;
    bool neg = *p == '-';
    if (neg) p++;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    int exp = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (neg) fputc('-', f);
    if (exp < -4 || exp >= 16) {
        fputc(digits[0], f);
        if (nd > 1) { fputc('.', f); fwrite(digits + 1, 1, (size_t)nd - 1, f); }
        fprintf(f, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    } else if (exp < 0) {
        fputs("0.", f);
        for (int i = 0; i < -exp - 1; i++) fputc('0', f);
        fwrite(digits, 1, (size_t)nd, f);
    } else {
        for (int i = 0; i <= exp; i++) fputc(i < nd ? digits[i] : '0', f);
        fputc('.', f);
        if (nd > exp + 1) fwrite(digits + exp + 1, 1, (size_t)(nd - exp - 1), f);
        else fputc('0', f);
    }
}

static void dump_constant(dumper *d, ft_object *v)
{
    FILE *f = d->f;
    if (v == ft_none()) { fputs("None", f); return; }
    if (v == ft_true()) { fputs("True", f); return; }
    if (v == ft_false()) { fputs("False", f); return; }
    if (v == py_ellipsis()) { fputs("Ellipsis", f); return; }
    if (v->ob_type == &ft_int_type) { fprintf(f, "%" PRId64, ft_int_as_i64(v)); return; }
    if (v->ob_type == &ft_float_type) { dump_float(f, ft_float_as_double(v)); return; }
    if (v->ob_type == &ft_str_type) {
        ssize_t n;
        const char *s = ft_str_utf8_borrow(v, &n);
        dump_quoted(f, (const unsigned char *)s, (size_t)n, false);
        return;
    }
    ft_object *r = py_repr(v);       /* bytes, big ints */
    if (!r) { py_err_clear(); fputs("<?>", f); return; }
    fputs(ft_str_utf8_borrow(r, NULL), f);
    ft_decref(r);
}

static void dump_ident(dumper *d, ft_object *s)
{
    ssize_t n;
    const char *u = ft_str_utf8_borrow(s, &n);
    dump_quoted(d->f, (const unsigned char *)u, (size_t)n, false);
}

static void dump_ctx(dumper *d, int ctx)
{
    fputs(ctx == PY_STORE ? "Store()" : ctx == PY_DEL ? "Del()" : "Load()", d->f);
}

static void dump_exprs(dumper *d, py_expr_seq s)
{
    fputc('[', d->f);
    for (ssize_t i = 0; i < s.n; i++) {
        if (i) fputs(", ", d->f);
        if (s.items[i]) dump_expr(d, s.items[i]);
        else fputs("None", d->f);
    }
    fputc(']', d->f);
}

static void dump_stmts(dumper *d, py_stmt_seq s)
{
    fputc('[', d->f);
    for (ssize_t i = 0; i < s.n; i++) {
        if (i) fputs(", ", d->f);
        dump_stmt(d, s.items[i]);
    }
    fputc(']', d->f);
}

static const char *binop_name(int op)
{
    static const char *const names[] = {"Add", "Sub", "Mult", "MatMult", "Div",
        "FloorDiv", "Mod", "Pow", "LShift", "RShift", "BitAnd", "BitOr", "BitXor"};
    op &= ~PY_OP_INPLACE;
    return op >= 0 && op < PY_OP__COUNT ? names[op] : "?";
}

static const char *unop_name(int op)
{
    switch (op) {
    case PY_UNARY_NEG: return "USub";
    case PY_UNARY_POS: return "UAdd";
    case PY_UNARY_INVERT: return "Invert";
    case PY_UNARY_NOT: return "Not";
    }
    return "?";
}

static const char *cmpop_name(int op)
{
    static const char *const names[] = {"Eq", "NotEq", "Lt", "LtE", "Gt", "GtE",
                                        "Is", "IsNot", "In", "NotIn"};
    return op >= 0 && op <= PY_CMP_NOTIN ? names[op] : "?";
}

static void dump_arg(dumper *d, const py_arg *a)
{
    fputs("arg(arg=", d->f);
    dump_ident(d, a->arg);
    if (a->annotation) {
        fputs(", annotation=", d->f);
        dump_expr(d, a->annotation);
    }
    DUMP_LOC(d, a, false);
    fputc(')', d->f);
}

static void dump_args(dumper *d, py_arg_seq s)
{
    fputc('[', d->f);
    for (ssize_t i = 0; i < s.n; i++) {
        if (i) fputs(", ", d->f);
        dump_arg(d, s.items[i]);
    }
    fputc(']', d->f);
}

static void dump_arguments(dumper *d, const py_arguments *a)
{
    fputs("arguments(posonlyargs=", d->f);
    dump_args(d, a->posonlyargs);
    fputs(", args=", d->f);
    dump_args(d, a->args);
    if (a->vararg) { fputs(", vararg=", d->f); dump_arg(d, a->vararg); }
    fputs(", kwonlyargs=", d->f);
    dump_args(d, a->kwonlyargs);
    fputs(", kw_defaults=", d->f);
    dump_exprs(d, a->kw_defaults);
    if (a->kwarg) { fputs(", kwarg=", d->f); dump_arg(d, a->kwarg); }
    fputs(", defaults=", d->f);
    dump_exprs(d, a->defaults);
    fputc(')', d->f);
}

static void dump_keywords(dumper *d, py_keyword_seq s)
{
    fputc('[', d->f);
    for (ssize_t i = 0; i < s.n; i++) {
        if (i) fputs(", ", d->f);
        fputs("keyword(", d->f);
        if (s.items[i]->arg) {
            fputs("arg=", d->f);
            dump_ident(d, s.items[i]->arg);
            fputs(", ", d->f);
        }
        fputs("value=", d->f);
        dump_expr(d, s.items[i]->value);
        DUMP_LOC(d, s.items[i], false);
        fputc(')', d->f);
    }
    fputc(']', d->f);
}

static void dump_comprehensions(dumper *d, py_comprehension_seq s)
{
    fputc('[', d->f);
    for (ssize_t i = 0; i < s.n; i++) {
        if (i) fputs(", ", d->f);
        fputs("comprehension(target=", d->f);
        dump_expr(d, s.items[i]->target);
        fputs(", iter=", d->f);
        dump_expr(d, s.items[i]->iter);
        fputs(", ifs=", d->f);
        dump_exprs(d, s.items[i]->ifs);
        fprintf(d->f, ", is_async=%d)", s.items[i]->is_async);
    }
    fputc(']', d->f);
}

static void dump_alias(dumper *d, py_alias_seq s)
{
    fputc('[', d->f);
    for (ssize_t i = 0; i < s.n; i++) {
        if (i) fputs(", ", d->f);
        fputs("alias(name=", d->f);
        dump_ident(d, s.items[i]->name);
        if (s.items[i]->asname) {
            fputs(", asname=", d->f);
            dump_ident(d, s.items[i]->asname);
        }
        DUMP_LOC(d, s.items[i], false);
        fputc(')', d->f);
    }
    fputc(']', d->f);
}

static void dump_idents(dumper *d, py_ident_seq s)
{
    fputc('[', d->f);
    for (ssize_t i = 0; i < s.n; i++) {
        if (i) fputs(", ", d->f);
        dump_ident(d, s.items[i]);
    }
    fputc(']', d->f);
}

/* "Name(" then fields: each field printed as ", key=" after the first */
#define FIELD(first, key) fputs((first) ? key "=" : ", " key "=", d->f)

static void dump_comp(dumper *d, const char *name, const py_expr *elt,
                      py_comprehension_seq gens)
{
    fprintf(d->f, "%s(elt=", name);
    dump_expr(d, elt);
    fputs(", generators=", d->f);
    dump_comprehensions(d, gens);
}

static void dump_expr_inner(dumper *d, const py_expr *e);

static void dump_expr(dumper *d, const py_expr *e)
{
    if (d->depth >= DUMP_MAXDEPTH) {
        fputs("...", d->f);
        return;
    }
    d->depth++;
    dump_expr_inner(d, e);
    d->depth--;
}

static void dump_expr_inner(dumper *d, const py_expr *e)
{
    FILE *f = d->f;
    switch (e->kind) {
    case PY_E_BoolOp:
        fprintf(f, "BoolOp(op=%s(), values=", e->v.BoolOp.op == PY_BOOL_AND ? "And" : "Or");
        dump_exprs(d, e->v.BoolOp.values);
        break;
    case PY_E_NamedExpr:
        fputs("NamedExpr(target=", f);
        dump_expr(d, e->v.NamedExpr.target);
        fputs(", value=", f);
        dump_expr(d, e->v.NamedExpr.value);
        break;
    case PY_E_BinOp:
        fputs("BinOp(left=", f);
        dump_expr(d, e->v.BinOp.left);
        fprintf(f, ", op=%s(), right=", binop_name(e->v.BinOp.op));
        dump_expr(d, e->v.BinOp.right);
        break;
    case PY_E_UnaryOp:
        fprintf(f, "UnaryOp(op=%s(), operand=", unop_name(e->v.UnaryOp.op));
        dump_expr(d, e->v.UnaryOp.operand);
        break;
    case PY_E_Lambda:
        fputs("Lambda(args=", f);
        dump_arguments(d, e->v.Lambda.args);
        fputs(", body=", f);
        dump_expr(d, e->v.Lambda.body);
        break;
    case PY_E_IfExp:
        fputs("IfExp(test=", f);
        dump_expr(d, e->v.IfExp.test);
        fputs(", body=", f);
        dump_expr(d, e->v.IfExp.body);
        fputs(", orelse=", f);
        dump_expr(d, e->v.IfExp.orelse);
        break;
    case PY_E_Dict:
        fputs("Dict(keys=", f);
        dump_exprs(d, e->v.Dict.keys);
        fputs(", values=", f);
        dump_exprs(d, e->v.Dict.values);
        break;
    case PY_E_Set:
        fputs("Set(elts=", f);
        dump_exprs(d, e->v.Set.elts);
        break;
    case PY_E_ListComp:
        dump_comp(d, "ListComp", e->v.ListComp.elt, e->v.ListComp.generators);
        break;
    case PY_E_SetComp:
        dump_comp(d, "SetComp", e->v.SetComp.elt, e->v.SetComp.generators);
        break;
    case PY_E_GeneratorExp:
        dump_comp(d, "GeneratorExp", e->v.GeneratorExp.elt, e->v.GeneratorExp.generators);
        break;
    case PY_E_DictComp:
        fputs("DictComp(key=", f);
        dump_expr(d, e->v.DictComp.key);
        fputs(", value=", f);
        dump_expr(d, e->v.DictComp.value);
        fputs(", generators=", f);
        dump_comprehensions(d, e->v.DictComp.generators);
        break;
    case PY_E_Yield:
        fputs("Yield(", f);
        if (e->v.Yield.value) { fputs("value=", f); dump_expr(d, e->v.Yield.value); }
        break;
    case PY_E_YieldFrom:
        fputs("YieldFrom(value=", f);
        dump_expr(d, e->v.YieldFrom.value);
        break;
    case PY_E_Compare:
        fputs("Compare(left=", f);
        dump_expr(d, e->v.Compare.left);
        fputs(", ops=[", f);
        for (ssize_t i = 0; i < e->v.Compare.comparators.n; i++)
            fprintf(f, "%s%s()", i ? ", " : "", cmpop_name(e->v.Compare.ops[i]));
        fputs("], comparators=", f);
        dump_exprs(d, e->v.Compare.comparators);
        break;
    case PY_E_Call:
        fputs("Call(func=", f);
        dump_expr(d, e->v.Call.func);
        fputs(", args=", f);
        dump_exprs(d, e->v.Call.args);
        fputs(", keywords=", f);
        dump_keywords(d, e->v.Call.keywords);
        break;
    case PY_E_FormattedValue:
        fputs("FormattedValue(value=", f);
        dump_expr(d, e->v.FormattedValue.value);
        fprintf(f, ", conversion=%d", e->v.FormattedValue.conversion);
        if (e->v.FormattedValue.format_spec) {
            fputs(", format_spec=", f);
            dump_expr(d, e->v.FormattedValue.format_spec);
        }
        break;
    case PY_E_JoinedStr:
        fputs("JoinedStr(values=", f);
        dump_exprs(d, e->v.JoinedStr.values);
        break;
    case PY_E_Constant:
        fputs("Constant(value=", f);
        dump_constant(d, e->v.Constant.value);
        if (e->v.Constant.u_kind)
            fputs(", kind='u'", f);
        break;
    case PY_E_Attribute:
        fputs("Attribute(value=", f);
        dump_expr(d, e->v.Attribute.value);
        fputs(", attr=", f);
        dump_ident(d, e->v.Attribute.attr);
        fputs(", ctx=", f);
        dump_ctx(d, e->v.Attribute.ctx);
        break;
    case PY_E_Subscript:
        fputs("Subscript(value=", f);
        dump_expr(d, e->v.Subscript.value);
        fputs(", slice=", f);
        dump_expr(d, e->v.Subscript.slice);
        fputs(", ctx=", f);
        dump_ctx(d, e->v.Subscript.ctx);
        break;
    case PY_E_Starred:
        fputs("Starred(value=", f);
        dump_expr(d, e->v.Starred.value);
        fputs(", ctx=", f);
        dump_ctx(d, e->v.Starred.ctx);
        break;
    case PY_E_Name:
        fputs("Name(id=", f);
        dump_ident(d, e->v.Name.id);
        fputs(", ctx=", f);
        dump_ctx(d, e->v.Name.ctx);
        break;
    case PY_E_List:
    case PY_E_Tuple:
        fputs(e->kind == PY_E_List ? "List(elts=" : "Tuple(elts=", f);
        dump_exprs(d, e->v.List.elts);
        fputs(", ctx=", f);
        dump_ctx(d, e->v.List.ctx);
        break;
    case PY_E_Slice: {
        bool first = true;
        fputs("Slice(", f);
        if (e->v.Slice.lower) { FIELD(first, "lower"); first = false; dump_expr(d, e->v.Slice.lower); }
        if (e->v.Slice.upper) { FIELD(first, "upper"); first = false; dump_expr(d, e->v.Slice.upper); }
        if (e->v.Slice.step) { FIELD(first, "step"); dump_expr(d, e->v.Slice.step); }
        break;
    }
    }
    DUMP_LOC(d, e, (e->kind == PY_E_Yield && !e->v.Yield.value) ||
             (e->kind == PY_E_Slice && !e->v.Slice.lower && !e->v.Slice.upper &&
              !e->v.Slice.step));
    fputc(')', f);
}

static void dump_handlers(dumper *d, py_excepthandler_seq s)
{
    fputc('[', d->f);
    for (ssize_t i = 0; i < s.n; i++) {
        const py_excepthandler *h = s.items[i];
        if (i) fputs(", ", d->f);
        fputs("ExceptHandler(", d->f);
        if (h->type) { fputs("type=", d->f); dump_expr(d, h->type); fputs(", ", d->f); }
        if (h->name) { fputs("name=", d->f); dump_ident(d, h->name); fputs(", ", d->f); }
        fputs("body=", d->f);
        dump_stmts(d, h->body);
        DUMP_LOC(d, h, false);
        fputc(')', d->f);
    }
    fputc(']', d->f);
}

static void dump_stmt(dumper *d, const py_stmt *s)
{
    FILE *f = d->f;
    switch (s->kind) {
    case PY_S_FunctionDef:
        fputs("FunctionDef(name=", f);
        dump_ident(d, s->v.FunctionDef.name);
        fputs(", args=", f);
        dump_arguments(d, s->v.FunctionDef.args);
        fputs(", body=", f);
        dump_stmts(d, s->v.FunctionDef.body);
        fputs(", decorator_list=", f);
        dump_exprs(d, s->v.FunctionDef.decorator_list);
        if (s->v.FunctionDef.returns) {
            fputs(", returns=", f);
            dump_expr(d, s->v.FunctionDef.returns);
        }
        break;
    case PY_S_ClassDef:
        fputs("ClassDef(name=", f);
        dump_ident(d, s->v.ClassDef.name);
        fputs(", bases=", f);
        dump_exprs(d, s->v.ClassDef.bases);
        fputs(", keywords=", f);
        dump_keywords(d, s->v.ClassDef.keywords);
        fputs(", body=", f);
        dump_stmts(d, s->v.ClassDef.body);
        fputs(", decorator_list=", f);
        dump_exprs(d, s->v.ClassDef.decorator_list);
        break;
    case PY_S_Return:
        fputs("Return(", f);
        if (s->v.Return.value) { fputs("value=", f); dump_expr(d, s->v.Return.value); }
        break;
    case PY_S_Delete:
        fputs("Delete(targets=", f);
        dump_exprs(d, s->v.Delete.targets);
        break;
    case PY_S_Assign:
        fputs("Assign(targets=", f);
        dump_exprs(d, s->v.Assign.targets);
        fputs(", value=", f);
        dump_expr(d, s->v.Assign.value);
        break;
    case PY_S_AugAssign:
        fputs("AugAssign(target=", f);
        dump_expr(d, s->v.AugAssign.target);
        fprintf(f, ", op=%s(), value=", binop_name(s->v.AugAssign.op));
        dump_expr(d, s->v.AugAssign.value);
        break;
    case PY_S_AnnAssign:
        fputs("AnnAssign(target=", f);
        dump_expr(d, s->v.AnnAssign.target);
        fputs(", annotation=", f);
        dump_expr(d, s->v.AnnAssign.annotation);
        if (s->v.AnnAssign.value) { fputs(", value=", f); dump_expr(d, s->v.AnnAssign.value); }
        fprintf(f, ", simple=%d", s->v.AnnAssign.simple);
        break;
    case PY_S_For:
        fputs("For(target=", f);
        dump_expr(d, s->v.For.target);
        fputs(", iter=", f);
        dump_expr(d, s->v.For.iter);
        fputs(", body=", f);
        dump_stmts(d, s->v.For.body);
        fputs(", orelse=", f);
        dump_stmts(d, s->v.For.orelse);
        break;
    case PY_S_While:
    case PY_S_If:
        fputs(s->kind == PY_S_If ? "If(test=" : "While(test=", f);
        dump_expr(d, s->v.If.test);
        fputs(", body=", f);
        dump_stmts(d, s->v.If.body);
        fputs(", orelse=", f);
        dump_stmts(d, s->v.If.orelse);
        break;
    case PY_S_With:
        fputs("With(items=[", f);
        for (ssize_t i = 0; i < s->v.With.items.n; i++) {
            const py_withitem *w = s->v.With.items.items[i];
            fputs(i ? ", withitem(context_expr=" : "withitem(context_expr=", f);
            dump_expr(d, w->context_expr);
            if (w->optional_vars) { fputs(", optional_vars=", f); dump_expr(d, w->optional_vars); }
            fputc(')', f);
        }
        fputs("], body=", f);
        dump_stmts(d, s->v.With.body);
        break;
    case PY_S_Raise: {
        bool first = true;
        fputs("Raise(", f);
        if (s->v.Raise.exc) { FIELD(first, "exc"); first = false; dump_expr(d, s->v.Raise.exc); }
        if (s->v.Raise.cause) { FIELD(first, "cause"); dump_expr(d, s->v.Raise.cause); }
        break;
    }
    case PY_S_Try:
        fputs("Try(body=", f);
        dump_stmts(d, s->v.Try.body);
        fputs(", handlers=", f);
        dump_handlers(d, s->v.Try.handlers);
        fputs(", orelse=", f);
        dump_stmts(d, s->v.Try.orelse);
        fputs(", finalbody=", f);
        dump_stmts(d, s->v.Try.finalbody);
        break;
    case PY_S_Assert:
        fputs("Assert(test=", f);
        dump_expr(d, s->v.Assert.test);
        if (s->v.Assert.msg) { fputs(", msg=", f); dump_expr(d, s->v.Assert.msg); }
        break;
    case PY_S_Import:
        fputs("Import(names=", f);
        dump_alias(d, s->v.Import.names);
        break;
    case PY_S_ImportFrom:
        fputs("ImportFrom(", f);
        if (s->v.ImportFrom.module) {
            fputs("module=", f);
            dump_ident(d, s->v.ImportFrom.module);
            fputs(", ", f);
        }
        fputs("names=", f);
        dump_alias(d, s->v.ImportFrom.names);
        fprintf(f, ", level=%d", s->v.ImportFrom.level);
        break;
    case PY_S_Global:
    case PY_S_Nonlocal:
        fputs(s->kind == PY_S_Global ? "Global(names=" : "Nonlocal(names=", f);
        dump_idents(d, s->v.Global.names);
        break;
    case PY_S_Expr:
        fputs("Expr(value=", f);
        dump_expr(d, s->v.Expr.value);
        break;
    case PY_S_Pass: fputs("Pass(", f); break;
    case PY_S_Break: fputs("Break(", f); break;
    case PY_S_Continue: fputs("Continue(", f); break;
    }
    DUMP_LOC(d, s, s->kind == PY_S_Pass || s->kind == PY_S_Break ||
             s->kind == PY_S_Continue || (s->kind == PY_S_Return && !s->v.Return.value) ||
             (s->kind == PY_S_Raise && !s->v.Raise.exc && !s->v.Raise.cause));
    fputc(')', f);
}

void py_ast_dump_expr(const py_expr *e, FILE *f)
{
    dumper d = {f, 0, false};
    dump_expr(&d, e);
}

void py_ast_dump_stmt(const py_stmt *s, FILE *f)
{
    dumper d = {f, 0, false};
    dump_stmt(&d, s);
}

void py_ast_dump(const py_ast_mod *m, FILE *f)
{
    py_ast_dump_ex(m, f, false);
}

void py_ast_dump_ex(const py_ast_mod *m, FILE *f, bool locations)
{
    dumper d = {f, 0, locations};
    switch (m->kind) {
    case PY_M_Module:
        fputs("Module(body=", f);
        dump_stmts(&d, m->body);
        fputs(", type_ignores=[])", f);
        break;
    case PY_M_Interactive:
        fputs("Interactive(body=", f);
        dump_stmts(&d, m->body);
        fputc(')', f);
        break;
    case PY_M_Expression:
        fputs("Expression(body=", f);
        dump_expr(&d, m->expr);
        fputc(')', f);
        break;
    }
}

/* ---- Unparsing (annotations under `from __future__ import annotations`) ----
 * CPython's Python/ast_unparse.c, rule for rule: each expression is written
 * at a precedence level and parenthesized when the context binds tighter.
 */
enum {
    PR_TUPLE, PR_TEST, PR_OR, PR_AND, PR_NOT, PR_CMP, PR_EXPR, PR_BOR = PR_EXPR,
    PR_BXOR, PR_BAND, PR_SHIFT, PR_ARITH, PR_TERM, PR_FACTOR, PR_POWER, PR_AWAIT,
    PR_ATOM,
};
#define UNPARSE_MAXDEPTH 2000

typedef struct unparser {
    char *buf;
    size_t n, cap;
    int depth;
    bool failed;                 /* an exception is set                   */
} unparser;

static void up_write(unparser *u, const char *s, size_t n)
{
    if (u->failed)
        return;
    if (u->n + n + 1 > u->cap) {
        size_t cap = u->cap ? u->cap : 64;
        while (cap < u->n + n + 1)
            cap *= 2;
        char *b = ft_realloc(u->buf, cap);
        if (!b) {
            py_err_nomemory();
            u->failed = true;
            return;
        }
        u->buf = b;
        u->cap = cap;
    }
    memcpy(u->buf + u->n, s, n);
    u->n += n;
}

static void up_str(unparser *u, const char *s) { up_write(u, s, strlen(s)); }
static void up_if(unparser *u, bool cond, const char *s) { if (cond) up_str(u, s); }

static void up_obj(unparser *u, ft_object *str)
{
    ssize_t n;
    const char *s = ft_str_utf8_borrow(str, &n);
    up_write(u, s, (size_t)n);
}

static void up_expr(unparser *u, const py_expr *e, int level);

/* repr(), with infinities written as 1e309 so that the text evaluates
 * back to them (CPython's append_repr). */
static void up_repr(unparser *u, ft_object *o)
{
    if (u->failed)
        return;
    if (o->ob_type == &ft_float_type && isinf(ft_float_as_double(o))) {
        up_str(u, ft_float_as_double(o) > 0 ? "1e309" : "-1e309");
        return;
    }
    ft_object *r = py_repr(o);
    if (!r) {
        u->failed = true;
        return;
    }
    up_obj(u, r);
    ft_decref(r);
}

static void up_arg(unparser *u, const py_arg *a)
{
    up_obj(u, a->arg);
    if (a->annotation) {
        up_str(u, ": ");
        up_expr(u, a->annotation, PR_TEST);
    }
}

static void up_args(unparser *u, const py_arguments *a)
{
    bool first = true;
    ssize_t npos = a->posonlyargs.n, nargs = a->args.n, ndef = a->defaults.n;
    for (ssize_t i = 0; i < npos + nargs; i++) {
        if (!first)
            up_str(u, ", ");
        first = false;
        up_arg(u, i < npos ? a->posonlyargs.items[i] : a->args.items[i - npos]);
        ssize_t di = i - npos - nargs + ndef;
        if (di >= 0) {
            up_str(u, "=");
            up_expr(u, a->defaults.items[di], PR_TEST);
        }
        if (npos && i + 1 == npos)
            up_str(u, ", /");
    }
    if (a->vararg || a->kwonlyargs.n) {
        if (!first)
            up_str(u, ", ");
        first = false;
        up_str(u, "*");
        if (a->vararg)
            up_arg(u, a->vararg);
    }
    for (ssize_t i = 0; i < a->kwonlyargs.n; i++) {
        if (!first)
            up_str(u, ", ");
        first = false;
        up_arg(u, a->kwonlyargs.items[i]);
        py_expr *d = i < a->kw_defaults.n ? a->kw_defaults.items[i] : NULL;
        if (d) {
            up_str(u, "=");
            up_expr(u, d, PR_TEST);
        }
    }
    if (a->kwarg) {
        if (!first)
            up_str(u, ", ");
        up_str(u, "**");
        up_arg(u, a->kwarg);
    }
}

static void up_comprehensions(unparser *u, const py_comprehension_seq *gens)
{
    for (ssize_t i = 0; i < gens->n; i++) {
        const py_comprehension *g = gens->items[i];
        up_str(u, g->is_async ? " async for " : " for ");
        up_expr(u, g->target, PR_TUPLE);
        up_str(u, " in ");
        up_expr(u, g->iter, PR_TEST + 1);
        for (ssize_t k = 0; k < g->ifs.n; k++) {
            up_str(u, " if ");
            up_expr(u, g->ifs.items[k], PR_TEST + 1);
        }
    }
}

static void up_seq(unparser *u, const py_expr_seq *s, int level)
{
    for (ssize_t i = 0; i < s->n; i++) {
        up_if(u, i > 0, ", ");
        up_expr(u, s->items[i], level);
    }
}

static void up_fstring_element(unparser *u, const py_expr *e, bool is_spec);

/* The text of an f-string's parts (braces of literal parts doubled). */
static void up_fstring_body(unparser *u, const py_expr_seq *values, bool is_spec)
{
    for (ssize_t i = 0; i < values->n; i++)
        up_fstring_element(u, values->items[i], is_spec);
}

static void up_joinedstr(unparser *u, const py_expr *e, bool is_spec)
{
    if (is_spec) {
        up_fstring_body(u, &e->v.JoinedStr.values, true);
        return;
    }
    unparser body = {0};
    body.depth = u->depth;
    up_fstring_body(&body, &e->v.JoinedStr.values, false);
    if (body.failed) {
        ft_free(body.buf);
        u->failed = true;
        return;
    }
    ft_object *s = ft_str_from_utf8(body.n ? body.buf : "", (ssize_t)body.n);
    ft_free(body.buf);
    if (!s) {
        py_err_from_ft();
        u->failed = true;
        return;
    }
    up_str(u, "f");
    up_repr(u, s);
    ft_decref(s);
}

static void up_formatted(unparser *u, const py_expr *e)
{
    unparser val = {0};
    val.depth = u->depth;
    up_expr(&val, e->v.FormattedValue.value, PR_TEST + 1);
    if (val.failed) {
        ft_free(val.buf);
        u->failed = true;
        return;
    }
    /* an expression that starts with a brace is set off by a space */
    up_str(u, val.n && val.buf[0] == '{' ? "{ " : "{");
    up_write(u, val.buf ? val.buf : "", val.n);
    ft_free(val.buf);
    int conv = e->v.FormattedValue.conversion;
    if (conv == 'a' || conv == 'r' || conv == 's') {
        char c[3] = { '!', (char)conv, '\0' };
        up_str(u, c);
    }
    if (e->v.FormattedValue.format_spec) {
        up_str(u, ":");
        up_fstring_element(u, e->v.FormattedValue.format_spec, true);
    }
    up_str(u, "}");
}

static void up_fstring_element(unparser *u, const py_expr *e, bool is_spec)
{
    switch (e->kind) {
    case PY_E_Constant: {
        ssize_t n;
        const char *s = ft_str_utf8_borrow(e->v.Constant.value, &n);
        for (ssize_t i = 0; i < n; i++) {
            if (s[i] == '{' || s[i] == '}')
                up_write(u, s + i, 1);
            up_write(u, s + i, 1);
        }
        break;
    }
    case PY_E_JoinedStr:
        up_joinedstr(u, e, is_spec);
        break;
    case PY_E_FormattedValue:
        up_formatted(u, e);
        break;
    default:
        if (!u->failed)
            py_err_setstr(py_exc_SystemError, "unknown expression kind inside f-string");
        u->failed = true;
        break;
    }
}

static const char *const up_binops[] = {
    " + ", " - ", " * ", " @ ", " / ", " // ", " % ", " ** ", " << ", " >> ", " & ",
    " | ", " ^ ",
};
static const int up_binop_pr[] = {
    PR_ARITH, PR_ARITH, PR_TERM, PR_TERM, PR_TERM, PR_TERM, PR_TERM, PR_POWER,
    PR_SHIFT, PR_SHIFT, PR_BAND, PR_BOR, PR_BXOR,
};
static const char *const up_cmpops[] = {
    " == ", " != ", " < ", " <= ", " > ", " >= ", " is ", " is not ", " in ", " not in ",
};

static void up_expr_inner(unparser *u, const py_expr *e, int level)
{
    switch (e->kind) {
    case PY_E_BoolOp: {
        bool and = e->v.BoolOp.op == PY_BOOL_AND;
        int pr = and ? PR_AND : PR_OR;
        up_if(u, level > pr, "(");
        for (ssize_t i = 0; i < e->v.BoolOp.values.n; i++) {
            up_if(u, i > 0, and ? " and " : " or ");
            up_expr(u, e->v.BoolOp.values.items[i], pr + 1);
        }
        up_if(u, level > pr, ")");
        break;
    }
    case PY_E_BinOp: {
        int op = e->v.BinOp.op;
        int pr = up_binop_pr[op];
        bool rassoc = op == PY_OP_POW;
        up_if(u, level > pr, "(");
        up_expr(u, e->v.BinOp.left, pr + rassoc);
        up_str(u, up_binops[op]);
        up_expr(u, e->v.BinOp.right, pr + !rassoc);
        up_if(u, level > pr, ")");
        break;
    }
    case PY_E_UnaryOp: {
        int op = e->v.UnaryOp.op;
        int pr = op == PY_UNARY_NOT ? PR_NOT : PR_FACTOR;
        up_if(u, level > pr, "(");
        up_str(u, op == PY_UNARY_NOT ? "not " : op == PY_UNARY_INVERT ? "~"
                  : op == PY_UNARY_POS ? "+" : "-");
        up_expr(u, e->v.UnaryOp.operand, pr);
        up_if(u, level > pr, ")");
        break;
    }
    case PY_E_Lambda: {
        const py_arguments *a = e->v.Lambda.args;
        up_if(u, level > PR_TEST, "(");
        up_str(u, a->args.n + a->posonlyargs.n ? "lambda " : "lambda");
        up_args(u, a);
        up_str(u, ": ");
        up_expr(u, e->v.Lambda.body, PR_TEST);
        up_if(u, level > PR_TEST, ")");
        break;
    }
    case PY_E_IfExp:
        up_if(u, level > PR_TEST, "(");
        up_expr(u, e->v.IfExp.body, PR_TEST + 1);
        up_str(u, " if ");
        up_expr(u, e->v.IfExp.test, PR_TEST + 1);
        up_str(u, " else ");
        up_expr(u, e->v.IfExp.orelse, PR_TEST);
        up_if(u, level > PR_TEST, ")");
        break;
    case PY_E_Dict:
        up_str(u, "{");
        for (ssize_t i = 0; i < e->v.Dict.values.n; i++) {
            up_if(u, i > 0, ", ");
            py_expr *k = e->v.Dict.keys.items[i];
            if (k) {
                up_expr(u, k, PR_TEST);
                up_str(u, ": ");
                up_expr(u, e->v.Dict.values.items[i], PR_TEST);
            } else {
                up_str(u, "**");
                up_expr(u, e->v.Dict.values.items[i], PR_EXPR);
            }
        }
        up_str(u, "}");
        break;
    case PY_E_Set:
        up_str(u, "{");
        up_seq(u, &e->v.Set.elts, PR_TEST);
        up_str(u, "}");
        break;
    case PY_E_GeneratorExp:
        up_str(u, "(");
        up_expr(u, e->v.GeneratorExp.elt, PR_TEST);
        up_comprehensions(u, &e->v.GeneratorExp.generators);
        up_str(u, ")");
        break;
    case PY_E_ListComp:
        up_str(u, "[");
        up_expr(u, e->v.ListComp.elt, PR_TEST);
        up_comprehensions(u, &e->v.ListComp.generators);
        up_str(u, "]");
        break;
    case PY_E_SetComp:
        up_str(u, "{");
        up_expr(u, e->v.SetComp.elt, PR_TEST);
        up_comprehensions(u, &e->v.SetComp.generators);
        up_str(u, "}");
        break;
    case PY_E_DictComp:
        up_str(u, "{");
        up_expr(u, e->v.DictComp.key, PR_TEST);
        up_str(u, ": ");
        up_expr(u, e->v.DictComp.value, PR_TEST);
        up_comprehensions(u, &e->v.DictComp.generators);
        up_str(u, "}");
        break;
    case PY_E_Yield:
        if (!e->v.Yield.value) {
            up_str(u, "(yield)");
            break;
        }
        up_str(u, "(yield ");
        up_expr(u, e->v.Yield.value, PR_TEST);
        up_str(u, ")");
        break;
    case PY_E_YieldFrom:
        up_str(u, "(yield from ");
        up_expr(u, e->v.YieldFrom.value, PR_TEST);
        up_str(u, ")");
        break;
    case PY_E_Compare:
        up_if(u, level > PR_CMP, "(");
        up_expr(u, e->v.Compare.left, PR_CMP + 1);
        for (ssize_t i = 0; i < e->v.Compare.comparators.n; i++) {
            up_str(u, up_cmpops[e->v.Compare.ops[i]]);
            up_expr(u, e->v.Compare.comparators.items[i], PR_CMP + 1);
        }
        up_if(u, level > PR_CMP, ")");
        break;
    case PY_E_Call: {
        up_expr(u, e->v.Call.func, PR_ATOM);
        const py_expr_seq *args = &e->v.Call.args;
        const py_keyword_seq *kws = &e->v.Call.keywords;
        if (args->n == 1 && kws->n == 0 && args->items[0]->kind == PY_E_GeneratorExp) {
            up_expr(u, args->items[0], PR_TEST);     /* f(x for x in y) */
            break;
        }
        up_str(u, "(");
        up_seq(u, args, PR_TEST);
        for (ssize_t i = 0; i < kws->n; i++) {
            up_if(u, args->n + i > 0, ", ");
            if (kws->items[i]->arg) {
                up_obj(u, kws->items[i]->arg);
                up_str(u, "=");
            } else {
                up_str(u, "**");
            }
            up_expr(u, kws->items[i]->value, PR_TEST);
        }
        up_str(u, ")");
        break;
    }
    case PY_E_Constant:
        if (e->v.Constant.value == py_ellipsis()) {
            up_str(u, "...");
            break;
        }
        up_if(u, e->v.Constant.u_kind, "u");
        up_repr(u, e->v.Constant.value);
        break;
    case PY_E_JoinedStr:
        up_joinedstr(u, e, false);
        break;
    case PY_E_FormattedValue:
        up_formatted(u, e);
        break;
    case PY_E_Attribute: {
        const py_expr *v = e->v.Attribute.value;
        up_expr(u, v, PR_ATOM);
        /* 1 .real: an int needs the space */
        bool is_int = v->kind == PY_E_Constant && v->v.Constant.value != ft_true() &&
                      v->v.Constant.value != ft_false() &&
                      py_long_check(v->v.Constant.value);
        up_str(u, is_int ? " ." : ".");
        up_obj(u, e->v.Attribute.attr);
        break;
    }
    case PY_E_Subscript:
        up_expr(u, e->v.Subscript.value, PR_ATOM);
        up_str(u, "[");
        up_expr(u, e->v.Subscript.slice, PR_TUPLE);
        up_str(u, "]");
        break;
    case PY_E_Starred:
        up_str(u, "*");
        up_expr(u, e->v.Starred.value, PR_EXPR);
        break;
    case PY_E_Slice:
        if (e->v.Slice.lower)
            up_expr(u, e->v.Slice.lower, PR_TEST);
        up_str(u, ":");
        if (e->v.Slice.upper)
            up_expr(u, e->v.Slice.upper, PR_TEST);
        if (e->v.Slice.step) {
            up_str(u, ":");
            up_expr(u, e->v.Slice.step, PR_TEST);
        }
        break;
    case PY_E_Name:
        up_obj(u, e->v.Name.id);
        break;
    case PY_E_List:
        up_str(u, "[");
        up_seq(u, &e->v.List.elts, PR_TEST);
        up_str(u, "]");
        break;
    case PY_E_Tuple: {
        ssize_t n = e->v.Tuple.elts.n;
        if (n == 0) {
            up_str(u, "()");
            break;
        }
        up_if(u, level > PR_TUPLE, "(");
        up_seq(u, &e->v.Tuple.elts, PR_TEST);
        up_if(u, n == 1, ",");
        up_if(u, level > PR_TUPLE, ")");
        break;
    }
    case PY_E_NamedExpr:
        up_if(u, level > PR_TUPLE, "(");
        up_expr(u, e->v.NamedExpr.target, PR_ATOM);
        up_str(u, " := ");
        up_expr(u, e->v.NamedExpr.value, PR_ATOM);
        up_if(u, level > PR_TUPLE, ")");
        break;
    }
}

static void up_expr(unparser *u, const py_expr *e, int level)
{
    if (u->failed)
        return;
    if (++u->depth > UNPARSE_MAXDEPTH) {
        py_err_setstr(py_exc_RecursionError,
                      "maximum recursion depth exceeded during compilation");
        u->failed = true;
        return;
    }
    up_expr_inner(u, e, level);
    u->depth--;
}

ft_object *py_expr_unparse(const py_expr *e)
{
    unparser u = {0};
    up_expr(&u, e, PR_TEST);
    ft_object *s = NULL;
    if (!u.failed) {
        s = ft_str_from_utf8(u.n ? u.buf : "", (ssize_t)u.n);
        if (!s)
            py_err_from_ft();
    }
    ft_free(u.buf);
    return s;
}
