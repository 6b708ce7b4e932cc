/* compile/symtable.c — scopes (see symtable.h for the model).
 *
 * Pass 1 (the walk) mirrors CPython 3.11's symtable_visit_*: one block per
 * module/class/function/lambda/comprehension, each name recorded with
 * PY_DEF_* flags. Pass 2 (the analysis) mirrors analyze_block: the sets
 * `bound` (names bound in enclosing functions), `global` (names known to
 * be global) and `free` (names free in the nested blocks) flow down and
 * up the tree, and each name gets its PY_SCOPE_*.
 *
 * Sets of names are small open-addressing hash sets of interned str
 * pointers (names are interned, so pointer equality is name equality).
 */
#include <string.h>
#include "../ftpy.h"
#include "symtable.h"

/* ---- name sets ----------------------------------------------------------- */
#define TOMBSTONE ((ft_object *)1)

typedef struct nameset {
    ft_object **slots;   /* NULL empty, TOMBSTONE deleted                    */
    ssize_t cap, n, used;
} nameset;

static size_t ptr_hash(const void *p)
{
    uintptr_t x = (uintptr_t)p >> 4;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x ^ (x >> 29));
}

static void nameset_free(nameset *s)
{
    ft_free(s->slots);
    s->slots = NULL;
    s->cap = s->n = s->used = 0;
}

static bool nameset_contains(const nameset *s, ft_object *name)
{
    if (!s || !s->cap)
        return false;
    size_t mask = (size_t)s->cap - 1;
    for (size_t i = ptr_hash(name) & mask;; i = (i + 1) & mask) {
        ft_object *k = s->slots[i];
        if (!k)
            return false;
        if (k == name)
            return true;
    }
}

static int nameset_add(nameset *s, ft_object *name);

static int nameset_grow(nameset *s)
{
    ssize_t cap = s->cap ? s->cap * 2 : 16;
    while (cap < (s->n + 1) * 2)
        cap *= 2;
    ft_object **old = s->slots;
    ssize_t oldcap = s->cap;
    s->slots = ft_calloc((size_t)cap, sizeof(ft_object *));
    if (!s->slots) {
        s->slots = old;
        py_err_nomemory();
        return -1;
    }
    s->cap = cap;
    s->n = s->used = 0;
    for (ssize_t i = 0; i < oldcap; i++)
        if (old[i] && old[i] != TOMBSTONE)
            nameset_add(s, old[i]);
    ft_free(old);
    return 0;
}

static int nameset_add(nameset *s, ft_object *name)
{
    if ((s->used + 1) * 2 > s->cap && nameset_grow(s) < 0)
        return -1;
    size_t mask = (size_t)s->cap - 1;
    ssize_t tomb = -1;
    for (size_t i = ptr_hash(name) & mask;; i = (i + 1) & mask) {
        ft_object *k = s->slots[i];
        if (k == name)
            return 0;
        if (k == TOMBSTONE && tomb < 0)
            tomb = (ssize_t)i;
        if (!k) {
            if (tomb >= 0) {
                s->slots[tomb] = name;
            } else {
                s->slots[i] = name;
                s->used++;
            }
            s->n++;
            return 0;
        }
    }
}

static void nameset_remove(nameset *s, ft_object *name)
{
    if (!s->cap)
        return;
    size_t mask = (size_t)s->cap - 1;
    for (size_t i = ptr_hash(name) & mask;; i = (i + 1) & mask) {
        ft_object *k = s->slots[i];
        if (!k)
            return;
        if (k == name) {
            s->slots[i] = TOMBSTONE;
            s->n--;
            return;
        }
    }
}

static int nameset_union(nameset *dst, const nameset *src)
{
    if (!src)
        return 0;
    for (ssize_t i = 0; i < src->cap; i++)
        if (src->slots[i] && src->slots[i] != TOMBSTONE && nameset_add(dst, src->slots[i]) < 0)
            return -1;
    return 0;
}

/* ---- helpers --------------------------------------------------------------- */
ft_object *py_intern_cstr(const char *s)
{
    ft_object *str = ft_str_from_utf8(s, -1);
    if (!str)
        return py_err_from_ft();
    ft_object *r = ft_str_intern(str);
    ft_decref(str);
    return r ? r : py_err_from_ft();
}

ft_object *py_mangle(ft_object *private_name, ft_object *name)
{
    ssize_t n;
    const char *s = ft_str_utf8_borrow(name, &n);
    if (!private_name || n < 2 || s[0] != '_' || s[1] != '_')
        return ft_newref(name);
    /* Don't mangle __dunder__ names or dotted names (import a.__b). */
    if ((n >= 4 && s[n - 1] == '_' && s[n - 2] == '_') || memchr(s, '.', (size_t)n))
        return ft_newref(name);
    const char *p = ft_str_utf8_borrow(private_name, NULL);
    while (*p == '_')
        p++;
    if (!*p)
        return ft_newref(name);
    size_t pn = strlen(p);
    char *buf = ft_malloc(pn + (size_t)n + 2);
    if (!buf)
        return py_err_from_ft();
    buf[0] = '_';
    memcpy(buf + 1, p, pn);
    memcpy(buf + 1 + pn, s, (size_t)n + 1);
    ft_object *r = py_intern_cstr(buf);
    ft_free(buf);
    return r;
}

/* 1-based character offset of byte column col in the line at line_start. */
static int char_offset(const char *line, size_t linelen, int col)
{
    int chars = 0;
    for (int i = 0; i < col && (size_t)i < linelen; i++)
        if (((unsigned char)line[i] & 0xC0) != 0x80)
            chars++;
    if ((size_t)col > linelen)
        chars += col - (int)linelen;
    return chars + 1;
}

/* The start and length (without the newline) of line `lineno`. */
static const char *find_line(const char *src, size_t n, int lineno, size_t *len)
{
    if (!src || lineno < 1)
        return NULL;
    const char *p = src, *end = src + n;
    for (int l = 1; l < lineno; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *len = (size_t)((nl ? nl : end) - p);
    return p;
}

void py_compile_syntax_error(const char *filename, const char *src, size_t n,
                             const char *msg, int lineno, int col,
                             int end_lineno, int end_col)
{
    size_t len = 0, elen = 0;
    const char *line = find_line(src, n, lineno, &len);
    int offset = line ? char_offset(line, len, col) : col + 1;
    int end_offset = 0;
    if (end_lineno > 0 && end_col >= 0) {
        const char *eline = find_line(src, n, end_lineno, &elen);
        end_offset = eline ? char_offset(eline, elen, end_col) : end_col + 1;
    }
    char *text = NULL;
    if (line) {
        text = ft_malloc(len + 2);
        if (text) {
            memcpy(text, line, len);
            if (len && text[len - 1] == '\r')
                len--;
            text[len] = '\n';
            text[len + 1] = '\0';
        } else {
            ft_err_clear();
        }
    }
    py_err_syntax(py_exc_SyntaxError, msg, filename, lineno, offset, text,
                  end_lineno, end_offset);
    ft_free(text);
}

/* ---- blocks ------------------------------------------------------------------ */
static void ste_free(py_ste *ste)
{
    if (!ste)
        return;
    for (ssize_t i = 0; i < ste->nchildren; i++)
        ste_free(ste->children[i]);
    ft_free(ste->children);
    ft_free(ste->syms);
    ft_free(ste->index);
    ft_free(ste->params);
    ft_free(ste);
}

void py_symtable_free(py_symtable *st)
{
    if (!st)
        return;
    ste_free(st->top);
    ft_free(st->blocks);
    ft_free(st->stack);
    ft_xdecref(st->owned);
    ft_free(st);
}

/* Grows *arr (of elem-size items, *cap of them) to hold need items. */
static int grow(void **arr, ssize_t *cap, ssize_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    ssize_t ncap = *cap ? *cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    void *p = ft_realloc(*arr, (size_t)ncap * elem);
    if (!p) {
        py_err_nomemory();
        return -1;
    }
    *arr = p;
    *cap = ncap;
    return 0;
}

static int blocks_index_add(py_symtable *st, py_ste *ste)
{
    if ((st->nblocks + 1) * 2 > st->capblocks) {
        ssize_t ncap = st->capblocks ? st->capblocks * 2 : 64;
        py_ste **nb = ft_calloc((size_t)ncap, sizeof(py_ste *));
        if (!nb) {
            py_err_nomemory();
            return -1;
        }
        for (ssize_t i = 0; i < st->capblocks; i++) {
            py_ste *b = st->blocks[i];
            if (!b)
                continue;
            size_t j = ptr_hash(b->key) & (size_t)(ncap - 1);
            while (nb[j])
                j = (j + 1) & (size_t)(ncap - 1);
            nb[j] = b;
        }
        ft_free(st->blocks);
        st->blocks = nb;
        st->capblocks = ncap;
    }
    size_t j = ptr_hash(ste->key) & (size_t)(st->capblocks - 1);
    while (st->blocks[j])
        j = (j + 1) & (size_t)(st->capblocks - 1);
    st->blocks[j] = ste;
    st->nblocks++;
    return 0;
}

py_ste *py_symtable_lookup(py_symtable *st, const void *key)
{
    if (!st->capblocks)
        return NULL;
    size_t mask = (size_t)st->capblocks - 1;
    for (size_t j = ptr_hash(key) & mask; st->blocks[j]; j = (j + 1) & mask)
        if (st->blocks[j]->key == key)
            return st->blocks[j];
    return NULL;
}

static py_symbol *ste_find(py_ste *ste, ft_object *name)
{
    if (!ste->capindex)
        return NULL;
    size_t mask = (size_t)ste->capindex - 1;
    for (size_t j = ptr_hash(name) & mask; ste->index[j]; j = (j + 1) & mask)
        if (ste->syms[ste->index[j] - 1].name == name)
            return &ste->syms[ste->index[j] - 1];
    return NULL;
}

py_symbol *py_ste_symbol(py_ste *ste, ft_object *name)
{
    return ste_find(ste, name);
}

int py_ste_scope(py_ste *ste, ft_object *name)
{
    py_symbol *s = ste_find(ste, name);
    return s ? s->scope : PY_SCOPE_NONE;
}

static void ste_reindex(py_ste *ste)
{
    memset(ste->index, 0, sizeof(ssize_t) * (size_t)ste->capindex);
    size_t mask = (size_t)ste->capindex - 1;
    for (ssize_t i = 0; i < ste->nsyms; i++) {
        size_t j = ptr_hash(ste->syms[i].name) & mask;
        while (ste->index[j])
            j = (j + 1) & mask;
        ste->index[j] = i + 1;
    }
}

/* The symbol for name in ste, made (flags 0) if missing. */
static py_symbol *ste_get(py_ste *ste, ft_object *name)
{
    py_symbol *s = ste_find(ste, name);
    if (s)
        return s;
    if (grow((void **)&ste->syms, &ste->capsyms, ste->nsyms + 1, sizeof(py_symbol)) < 0)
        return NULL;
    bool rehash = false;
    if ((ste->nsyms + 1) * 2 > ste->capindex) {
        ssize_t ncap = ste->capindex ? ste->capindex * 2 : 16;
        ssize_t *ni = ft_malloc(sizeof(ssize_t) * (size_t)ncap);
        if (!ni) {
            py_err_nomemory();
            return NULL;
        }
        ft_free(ste->index);
        ste->index = ni;
        ste->capindex = ncap;
        rehash = true;
    }
    s = &ste->syms[ste->nsyms++];
    memset(s, 0, sizeof *s);
    s->name = name;
    if (rehash) {
        ste_reindex(ste);
    } else {
        size_t mask = (size_t)ste->capindex - 1;
        size_t j = ptr_hash(name) & mask;
        while (ste->index[j])
            j = (j + 1) & mask;
        ste->index[j] = ste->nsyms;
    }
    return s;
}

/* ---- the walk ------------------------------------------------------------------ */
typedef struct loc { int lineno, col, end_lineno, end_col; } loc;
#define LOC(n) ((loc){ (n)->lineno, (n)->col_offset, (n)->end_lineno, (n)->end_col_offset })

static int st_error_msg(py_symtable *st, loc l, const char *msg)
{
    py_compile_syntax_error(st->filename, st->src, st->srclen, msg, l.lineno,
                            l.col, l.end_lineno, l.end_col);
    return -1;
}

/* The message before + name + after. */
static int st_error(py_symtable *st, loc l, const char *before, ft_object *name,
                    const char *after)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s%s%s", before, ft_str_utf8_borrow(name, NULL), after);
    return st_error_msg(st, l, msg);
}

static py_ste *cur(py_symtable *st) { return st->stack[st->depth - 1]; }

/* Keeps a reference to a str the table made. */
static ft_object *own(py_symtable *st, ft_object *s)
{
    if (!s)
        return NULL;
    if (ft_list_append(st->owned, s) < 0) {
        ft_decref(s);
        return py_err_from_ft();
    }
    ft_decref(s);
    return s;
}

static ft_object *mangled(py_symtable *st, ft_object *name)
{
    ft_object *m = py_mangle(st->private_name, name);
    if (!m || m == name) {
        ft_xdecref(m);
        return m ? name : NULL;
    }
    return own(st, m);
}

static int enter_block(py_symtable *st, ft_object *name, int kind, const void *key,
                       int lineno, int col)
{
    py_ste *ste = ft_calloc(1, sizeof(py_ste));
    if (!ste) {
        py_err_nomemory();
        return -1;
    }
    ste->kind = kind;
    ste->name = name;
    ste->key = key;
    ste->lineno = lineno;
    ste->col = col;
    py_ste *parent = st->depth ? cur(st) : NULL;
    ste->parent = parent;
    if (parent) {
        ste->nested = parent->nested || parent->kind == PY_BLOCK_FUNCTION;
        ste->comp_iter_expr = parent->comp_iter_expr;
        if (grow((void **)&parent->children, &parent->capchildren,
                 parent->nchildren + 1, sizeof(py_ste *)) < 0) {
            ste_free(ste);
            return -1;
        }
        parent->children[parent->nchildren++] = ste;
    } else {
        st->top = ste;
    }
    if (blocks_index_add(st, ste) < 0)
        return -1;
    if (grow((void **)&st->stack, &st->capstack, st->depth + 1, sizeof(py_ste *)) < 0)
        return -1;
    st->stack[st->depth++] = ste;
    return 0;
}

static void exit_block(py_symtable *st) { st->depth--; }

/* Records name (mangled) in the current block with flag. */
static int add_def_in(py_symtable *st, py_ste *ste, ft_object *name, int flag, loc l)
{
    ft_object *m = mangled(st, name);
    if (!m)
        return -1;
    py_symbol *s = ste_get(ste, m);
    if (!s)
        return -1;
    if ((flag & PY_DEF_PARAM) && (s->flags & PY_DEF_PARAM))
        return st_error(st, l, "duplicate argument '", m, "' in function definition");
    s->flags |= flag;
    if (flag & PY_DEF_PARAM) {
        if (grow((void **)&ste->params, &ste->capparams, ste->nparams + 1,
                 sizeof(ft_object *)) < 0)
            return -1;
        ste->params[ste->nparams++] = m;
    }
    if (flag & PY_DEF_GLOBAL) {
        /* The module knows the name is global too (CPython's st_global). */
        py_symbol *g = ste_get(st->top, m);
        if (!g)
            return -1;
        g->flags |= flag;
    }
    return 0;
}

static int add_def(py_symtable *st, ft_object *name, int flag, loc l)
{
    return add_def_in(st, cur(st), name, flag, l);
}

static int visit_stmt(py_symtable *st, py_stmt *s);
static int visit_expr(py_symtable *st, py_expr *e);

static int visit_stmts(py_symtable *st, py_stmt_seq *seq)
{
    for (ssize_t i = 0; i < seq->n; i++)
        if (visit_stmt(st, seq->items[i]) < 0)
            return -1;
    return 0;
}

static int visit_exprs(py_symtable *st, py_expr_seq *seq)
{
    for (ssize_t i = 0; i < seq->n; i++)
        if (seq->items[i] && visit_expr(st, seq->items[i]) < 0)
            return -1;
    return 0;
}

static int visit_opt(py_symtable *st, py_expr *e)
{
    return e ? visit_expr(st, e) : 0;
}

static int enter_recursion(py_symtable *st, int lineno, int col)
{
    int limit = py_recursion_limit > 0 ? py_recursion_limit * 3 : 3000;
    if (++st->recursion > limit) {
        (void)lineno; (void)col;
        py_err_setstr(py_exc_RecursionError,
                      "maximum recursion depth exceeded during compilation");
        return -1;
    }
    return 0;
}

static int visit_params(py_symtable *st, py_arg_seq *args)
{
    for (ssize_t i = 0; i < args->n; i++)
        if (add_def(st, args->items[i]->arg, PY_DEF_PARAM, LOC(args->items[i])) < 0)
            return -1;
    return 0;
}

static int visit_arguments(py_symtable *st, py_arguments *a)
{
    if (visit_params(st, &a->posonlyargs) < 0 || visit_params(st, &a->args) < 0 ||
        visit_params(st, &a->kwonlyargs) < 0)
        return -1;
    if (a->vararg) {
        if (add_def(st, a->vararg->arg, PY_DEF_PARAM, LOC(a->vararg)) < 0)
            return -1;
        cur(st)->has_varargs = true;
    }
    if (a->kwarg) {
        if (add_def(st, a->kwarg->arg, PY_DEF_PARAM, LOC(a->kwarg)) < 0)
            return -1;
        cur(st)->has_varkw = true;
    }
    return 0;
}

/* Enters the block of an annotation under future annotations (key: a
 * node or field address no other block uses). */
static int enter_annotation_block(py_symtable *st, const void *key, int lineno, int col)
{
    ft_object *name = own(st, py_intern_cstr("_annotation"));
    if (!name || enter_block(st, name, PY_BLOCK_FUNCTION, key, lineno, col) < 0)
        return -1;
    cur(st)->annotation = true;
    return 0;
}

/* An annotated assignment's annotation. */
static int visit_annotation(py_symtable *st, py_expr **field)
{
    if (!st->future_annotations)
        return visit_expr(st, *field);
    if (enter_annotation_block(st, field, (*field)->lineno, (*field)->col_offset) < 0 ||
        visit_expr(st, *field) < 0)
        return -1;
    exit_block(st);
    return 0;
}

static int visit_param_annotations(py_symtable *st, py_arg_seq *args)
{
    for (ssize_t i = 0; i < args->n; i++)
        if (visit_opt(st, args->items[i]->annotation) < 0)
            return -1;
    return 0;
}

/* A def's parameter and return annotations, evaluated in the enclosing
 * block when the def runs (CPython's symtable_visit_annotations). */
static int visit_annotations(py_symtable *st, py_arguments *a, py_expr *returns,
                             py_stmt *def)
{
    if (st->future_annotations) {
        if (enter_annotation_block(st, a, def->lineno, def->col_offset) < 0)
            return -1;
        st->future_annotations = false;
        int rc = visit_annotations(st, a, returns, def);
        st->future_annotations = true;
        if (rc < 0)
            return -1;
        exit_block(st);
        return 0;
    }
    if (visit_param_annotations(st, &a->posonlyargs) < 0 ||
        visit_param_annotations(st, &a->args) < 0 ||
        (a->vararg && visit_opt(st, a->vararg->annotation) < 0) ||
        (a->kwarg && visit_opt(st, a->kwarg->annotation) < 0) ||
        visit_param_annotations(st, &a->kwonlyargs) < 0)
        return -1;
    return visit_opt(st, returns);
}

/* `global`/`nonlocal` names: the checks of CPython's symtable_visit_stmt. */
static int visit_directive(py_symtable *st, py_stmt *s, bool global)
{
    py_ident_seq *names = global ? &s->v.Global.names : &s->v.Nonlocal.names;
    const char *what = global ? "global" : "nonlocal";
    for (ssize_t i = 0; i < names->n; i++) {
        ft_object *m = mangled(st, names->items[i]);
        if (!m)
            return -1;
        py_symbol *sym = ste_find(cur(st), m);
        int cur_flags = sym ? sym->flags : 0;
        /* (an import before the declaration is allowed, as in CPython) */
        if (cur_flags & (PY_DEF_PARAM | PY_DEF_LOCAL | PY_DEF_USE | PY_DEF_ANNOT)) {
            char msg[512];
            const char *n = ft_str_utf8_borrow(m, NULL);
            if (cur_flags & PY_DEF_PARAM)
                snprintf(msg, sizeof msg, "name '%s' is parameter and %s", n, what);
            else if (cur_flags & PY_DEF_USE)
                snprintf(msg, sizeof msg, "name '%s' is used prior to %s declaration", n, what);
            else if (cur_flags & PY_DEF_ANNOT)
                snprintf(msg, sizeof msg, "annotated name '%s' can't be %s", n, what);
            else
                snprintf(msg, sizeof msg, "name '%s' is assigned to before %s declaration", n,
                         what);
            return st_error_msg(st, LOC(s), msg);
        }
        if (add_def(st, m, global ? PY_DEF_GLOBAL : PY_DEF_NONLOCAL, LOC(s)) < 0)
            return -1;
        sym = ste_find(cur(st), m);
        sym->lineno = s->lineno;
        sym->col = s->col_offset;
        sym->end_lineno = s->end_lineno;
        sym->end_col = s->end_col_offset;
        if ((sym->flags & PY_DEF_GLOBAL) && (sym->flags & PY_DEF_NONLOCAL))
            return st_error(st, LOC(s), "name '", m, "' is nonlocal and global");
    }
    return 0;
}

static int visit_alias(py_symtable *st, py_alias *a, bool from)
{
    ft_object *name = a->asname ? a->asname : a->name;
    ssize_t n;
    const char *s = ft_str_utf8_borrow(name, &n);
    if (from && n == 1 && s[0] == '*') {
        if (cur(st)->kind != PY_BLOCK_MODULE)
            return st_error_msg(st, LOC(a), "import * only allowed at module level");
        return 0;
    }
    const char *dot = a->asname ? NULL : memchr(s, '.', (size_t)n);
    if (dot) {
        char *buf = ft_malloc((size_t)(dot - s) + 1);
        if (!buf)
            return py_err_from_ft_int();
        memcpy(buf, s, (size_t)(dot - s));
        buf[dot - s] = '\0';
        ft_object *first = own(st, py_intern_cstr(buf));
        ft_free(buf);
        if (!first)
            return -1;
        name = first;
    }
    return add_def(st, name, PY_DEF_IMPORT, LOC(a));
}

static int visit_stmt_inner(py_symtable *st, py_stmt *s)
{
    switch (s->kind) {
    case PY_S_FunctionDef: {
        if (add_def(st, s->v.FunctionDef.name, PY_DEF_LOCAL, LOC(s)) < 0 ||
            visit_exprs(st, &s->v.FunctionDef.args->defaults) < 0 ||
            visit_exprs(st, &s->v.FunctionDef.args->kw_defaults) < 0 ||
            visit_annotations(st, s->v.FunctionDef.args, s->v.FunctionDef.returns, s) < 0 ||
            visit_exprs(st, &s->v.FunctionDef.decorator_list) < 0)
            return -1;
        if (enter_block(st, s->v.FunctionDef.name, PY_BLOCK_FUNCTION, s, s->lineno,
                        s->col_offset) < 0 ||
            visit_arguments(st, s->v.FunctionDef.args) < 0 ||
            visit_stmts(st, &s->v.FunctionDef.body) < 0)
            return -1;
        exit_block(st);
        return 0;
    }
    case PY_S_ClassDef: {
        if (add_def(st, s->v.ClassDef.name, PY_DEF_LOCAL, LOC(s)) < 0 ||
            visit_exprs(st, &s->v.ClassDef.bases) < 0)
            return -1;
        for (ssize_t i = 0; i < s->v.ClassDef.keywords.n; i++)
            if (visit_expr(st, s->v.ClassDef.keywords.items[i]->value) < 0)
                return -1;
        if (visit_exprs(st, &s->v.ClassDef.decorator_list) < 0)
            return -1;
        if (enter_block(st, s->v.ClassDef.name, PY_BLOCK_CLASS, s, s->lineno,
                        s->col_offset) < 0)
            return -1;
        ft_object *saved = st->private_name;
        st->private_name = s->v.ClassDef.name;
        int rc = visit_stmts(st, &s->v.ClassDef.body);
        st->private_name = saved;
        if (rc < 0)
            return -1;
        exit_block(st);
        return 0;
    }
    case PY_S_Return:
        return visit_opt(st, s->v.Return.value);
    case PY_S_Delete:
        return visit_exprs(st, &s->v.Delete.targets);
    case PY_S_Assign:
        if (visit_exprs(st, &s->v.Assign.targets) < 0)
            return -1;
        return visit_expr(st, s->v.Assign.value);
    case PY_S_AugAssign:
        if (visit_expr(st, s->v.AugAssign.target) < 0)
            return -1;
        return visit_expr(st, s->v.AugAssign.value);
    case PY_S_AnnAssign: {
        py_expr *t = s->v.AnnAssign.target;
        if (t->kind == PY_E_Name) {
            ft_object *m = mangled(st, t->v.Name.id);
            if (!m)
                return -1;
            py_symbol *sym = ste_find(cur(st), m);
            int fl = sym ? sym->flags : 0;
            if ((fl & (PY_DEF_GLOBAL | PY_DEF_NONLOCAL)) && cur(st) != st->top &&
                s->v.AnnAssign.simple)
                return st_error(st, LOC(s), "annotated name '", m, fl & PY_DEF_GLOBAL
                                ? "' can't be global" : "' can't be nonlocal");
            if (s->v.AnnAssign.simple || s->v.AnnAssign.value) {
                int fl2 = PY_DEF_LOCAL | (s->v.AnnAssign.simple ? PY_DEF_ANNOT : 0);
                if (add_def(st, t->v.Name.id, fl2, LOC(t)) < 0)
                    return -1;
            }
        } else if (visit_expr(st, t) < 0) {
            return -1;
        }
        /* The annotation is walked even where it is not evaluated (in
         * functions), as CPython does: its names and blocks exist. */
        if (visit_annotation(st, &s->v.AnnAssign.annotation) < 0)
            return -1;
        return visit_opt(st, s->v.AnnAssign.value);
    }
    case PY_S_For:
        if (visit_expr(st, s->v.For.target) < 0 || visit_expr(st, s->v.For.iter) < 0 ||
            visit_stmts(st, &s->v.For.body) < 0)
            return -1;
        return visit_stmts(st, &s->v.For.orelse);
    case PY_S_While:
        if (visit_expr(st, s->v.While.test) < 0 || visit_stmts(st, &s->v.While.body) < 0)
            return -1;
        return visit_stmts(st, &s->v.While.orelse);
    case PY_S_If:
        if (visit_expr(st, s->v.If.test) < 0 || visit_stmts(st, &s->v.If.body) < 0)
            return -1;
        return visit_stmts(st, &s->v.If.orelse);
    case PY_S_With:
        for (ssize_t i = 0; i < s->v.With.items.n; i++) {
            py_withitem *w = s->v.With.items.items[i];
            if (visit_expr(st, w->context_expr) < 0 || visit_opt(st, w->optional_vars) < 0)
                return -1;
        }
        return visit_stmts(st, &s->v.With.body);
    case PY_S_Raise:
        if (visit_opt(st, s->v.Raise.exc) < 0)
            return -1;
        return visit_opt(st, s->v.Raise.cause);
    case PY_S_Try:
        if (visit_stmts(st, &s->v.Try.body) < 0)
            return -1;
        for (ssize_t i = 0; i < s->v.Try.handlers.n; i++) {
            py_excepthandler *h = s->v.Try.handlers.items[i];
            if (visit_opt(st, h->type) < 0)
                return -1;
            if (h->name && add_def(st, h->name, PY_DEF_LOCAL, LOC(h)) < 0)
                return -1;
            if (visit_stmts(st, &h->body) < 0)
                return -1;
        }
        if (visit_stmts(st, &s->v.Try.orelse) < 0)
            return -1;
        return visit_stmts(st, &s->v.Try.finalbody);
    case PY_S_Assert:
        if (visit_expr(st, s->v.Assert.test) < 0)
            return -1;
        return visit_opt(st, s->v.Assert.msg);
    case PY_S_Import:
        for (ssize_t i = 0; i < s->v.Import.names.n; i++)
            if (visit_alias(st, s->v.Import.names.items[i], false) < 0)
                return -1;
        return 0;
    case PY_S_ImportFrom:
        for (ssize_t i = 0; i < s->v.ImportFrom.names.n; i++)
            if (visit_alias(st, s->v.ImportFrom.names.items[i], true) < 0)
                return -1;
        return 0;
    case PY_S_Global:
        return visit_directive(st, s, true);
    case PY_S_Nonlocal:
        return visit_directive(st, s, false);
    case PY_S_Expr:
        return visit_expr(st, s->v.Expr.value);
    case PY_S_Pass: case PY_S_Break: case PY_S_Continue:
        return 0;
    }
    return 0;
}

static int visit_stmt(py_symtable *st, py_stmt *s)
{
    if (enter_recursion(st, s->lineno, s->col_offset) < 0)
        return -1;
    int rc = visit_stmt_inner(st, s);
    st->recursion--;
    return rc;
}

static const char *comp_noun(int kind)
{
    switch (kind) {
    case PY_COMP_LIST: return "list comprehension";
    case PY_COMP_SET: return "set comprehension";
    case PY_COMP_DICT: return "dict comprehension";
    default: return "generator expression";
    }
}

static const char *const comp_names[] = { "", "<listcomp>", "<setcomp>",
                                          "<dictcomp>", "<genexpr>" };

static int visit_comprehension(py_symtable *st, py_expr *e, int kind,
                               py_comprehension_seq *gens, py_expr *elt, py_expr *value)
{
    py_comprehension *outer = gens->items[0];
    /* The first iterable is evaluated in the enclosing scope. */
    cur(st)->comp_iter_expr++;
    int irc = visit_expr(st, outer->iter);
    cur(st)->comp_iter_expr--;
    if (irc < 0)
        return -1;
    ft_object *name = own(st, py_intern_cstr(comp_names[kind]));
    if (!name || enter_block(st, name, PY_BLOCK_FUNCTION, e, e->lineno, e->col_offset) < 0)
        return -1;
    py_ste *ste = cur(st);
    ste->comp_kind = kind;
    if (kind == PY_COMP_GEN)
        ste->generator = true;
    ft_object *dot0 = own(st, py_intern_cstr(".0"));
    if (!dot0 || add_def(st, dot0, PY_DEF_PARAM, LOC(e)) < 0)
        return -1;
    for (ssize_t i = 0; i < gens->n; i++) {
        py_comprehension *g = gens->items[i];
        ste->comp_iter_target = true;
        int rc = visit_expr(st, g->target);
        ste->comp_iter_target = false;
        if (rc < 0)
            return -1;
        if (i > 0) {
            ste->comp_iter_expr++;
            rc = visit_expr(st, g->iter);
            ste->comp_iter_expr--;
            if (rc < 0)
                return -1;
        }
        if (visit_exprs(st, &g->ifs) < 0)
            return -1;
    }
    if (visit_opt(st, elt) < 0 || visit_opt(st, value) < 0)
        return -1;
    exit_block(st);
    return 0;
}

/* `target := value` inside comprehensions binds in the nearest function
 * or module (CPython's symtable_extend_namedexpr_scope). */
static int extend_namedexpr_scope(py_symtable *st, py_expr *target)
{
    ft_object *name = target->v.Name.id;
    for (ssize_t i = st->depth - 1; i >= 0; i--) {
        py_ste *ste = st->stack[i];
        if (ste->comp_kind) {
            py_symbol *sym = ste_find(ste, name);
            if (sym && (sym->flags & PY_DEF_COMP_ITER))
                return st_error(st, LOC(target), "assignment expression cannot rebind "
                                "comprehension iteration variable '", name, "'");
            continue;
        }
        if (ste->kind == PY_BLOCK_FUNCTION) {
            py_symbol *sym = ste_find(ste, name);
            int fl = sym && (sym->flags & PY_DEF_GLOBAL) ? PY_DEF_GLOBAL : PY_DEF_NONLOCAL;
            if (add_def(st, name, fl, LOC(target)) < 0)
                return -1;
            return add_def_in(st, ste, name, PY_DEF_LOCAL, LOC(target));
        }
        if (ste->kind == PY_BLOCK_MODULE) {
            if (add_def(st, name, PY_DEF_GLOBAL, LOC(target)) < 0)
                return -1;
            return add_def_in(st, ste, name, PY_DEF_GLOBAL, LOC(target));
        }
        return st_error_msg(st, LOC(target), "assignment expression within a comprehension "
                            "cannot be used in a class body");
    }
    return 0;
}

static int visit_expr_inner(py_symtable *st, py_expr *e)
{
    switch (e->kind) {
    case PY_E_BoolOp:
        return visit_exprs(st, &e->v.BoolOp.values);
    case PY_E_NamedExpr:
        if (cur(st)->annotation)
            return st_error_msg(st, LOC(e), "'named expression' can not be used within "
                                "an annotation");
        if (cur(st)->comp_iter_expr > 0)
            return st_error_msg(st, LOC(e), "assignment expression cannot be used in a "
                                "comprehension iterable expression");
        if (visit_expr(st, e->v.NamedExpr.value) < 0)
            return -1;
        if (cur(st)->comp_kind)
            return extend_namedexpr_scope(st, e->v.NamedExpr.target);
        return visit_expr(st, e->v.NamedExpr.target);
    case PY_E_BinOp: {
        /* The left spine iteratively: flat chains of any length. */
        ssize_t depth = 0;
        py_expr *p = e;
        for (; p->kind == PY_E_BinOp; p = p->v.BinOp.left)
            depth++;
        py_expr **spine = ft_malloc(sizeof(py_expr *) * (size_t)depth);
        if (!spine)
            return py_err_from_ft_int();
        p = e;
        for (ssize_t i = 0; i < depth; i++, p = p->v.BinOp.left)
            spine[i] = p;
        int rc = visit_expr(st, p);
        for (ssize_t i = depth - 1; rc == 0 && i >= 0; i--)
            rc = visit_expr(st, spine[i]->v.BinOp.right);
        ft_free(spine);
        return rc;
    }
    case PY_E_UnaryOp:
        return visit_expr(st, e->v.UnaryOp.operand);
    case PY_E_Lambda: {
        if (visit_exprs(st, &e->v.Lambda.args->defaults) < 0 ||
            visit_exprs(st, &e->v.Lambda.args->kw_defaults) < 0)
            return -1;
        ft_object *name = own(st, py_intern_cstr("<lambda>"));
        if (!name || enter_block(st, name, PY_BLOCK_FUNCTION, e, e->lineno, e->col_offset) < 0 ||
            visit_arguments(st, e->v.Lambda.args) < 0 || visit_expr(st, e->v.Lambda.body) < 0)
            return -1;
        exit_block(st);
        return 0;
    }
    case PY_E_IfExp:
        if (visit_expr(st, e->v.IfExp.test) < 0 || visit_expr(st, e->v.IfExp.body) < 0)
            return -1;
        return visit_expr(st, e->v.IfExp.orelse);
    case PY_E_Dict:
        if (visit_exprs(st, &e->v.Dict.keys) < 0)
            return -1;
        return visit_exprs(st, &e->v.Dict.values);
    case PY_E_Set:
        return visit_exprs(st, &e->v.Set.elts);
    case PY_E_ListComp:
        return visit_comprehension(st, e, PY_COMP_LIST, &e->v.ListComp.generators,
                                   e->v.ListComp.elt, NULL);
    case PY_E_SetComp:
        return visit_comprehension(st, e, PY_COMP_SET, &e->v.SetComp.generators,
                                   e->v.SetComp.elt, NULL);
    case PY_E_DictComp:
        return visit_comprehension(st, e, PY_COMP_DICT, &e->v.DictComp.generators,
                                   e->v.DictComp.key, e->v.DictComp.value);
    case PY_E_GeneratorExp:
        return visit_comprehension(st, e, PY_COMP_GEN, &e->v.GeneratorExp.generators,
                                   e->v.GeneratorExp.elt, NULL);
    case PY_E_Yield:
    case PY_E_YieldFrom:
        if (cur(st)->annotation)
            return st_error_msg(st, LOC(e), "'yield expression' can not be used within "
                                "an annotation");
        if (cur(st)->comp_kind) {
            char msg[80];
            snprintf(msg, sizeof msg, "'yield' inside %s", comp_noun(cur(st)->comp_kind));
            return st_error_msg(st, LOC(e), msg);
        }
        cur(st)->generator = true;
        return visit_opt(st, e->kind == PY_E_Yield ? e->v.Yield.value : e->v.YieldFrom.value);
    case PY_E_Compare:
        if (visit_expr(st, e->v.Compare.left) < 0)
            return -1;
        return visit_exprs(st, &e->v.Compare.comparators);
    case PY_E_Call:
        if (visit_expr(st, e->v.Call.func) < 0 || visit_exprs(st, &e->v.Call.args) < 0)
            return -1;
        for (ssize_t i = 0; i < e->v.Call.keywords.n; i++)
            if (visit_expr(st, e->v.Call.keywords.items[i]->value) < 0)
                return -1;
        return 0;
    case PY_E_FormattedValue:
        if (visit_expr(st, e->v.FormattedValue.value) < 0)
            return -1;
        return visit_opt(st, e->v.FormattedValue.format_spec);
    case PY_E_JoinedStr:
        return visit_exprs(st, &e->v.JoinedStr.values);
    case PY_E_Constant:
        return 0;
    case PY_E_Attribute:
        return visit_expr(st, e->v.Attribute.value);
    case PY_E_Subscript:
        if (visit_expr(st, e->v.Subscript.value) < 0)
            return -1;
        return visit_expr(st, e->v.Subscript.slice);
    case PY_E_Starred:
        return visit_expr(st, e->v.Starred.value);
    case PY_E_Name: {
        int flag = e->v.Name.ctx == PY_LOAD ? PY_DEF_USE : PY_DEF_LOCAL;
        if (flag == PY_DEF_LOCAL && cur(st)->comp_iter_target)
            flag |= PY_DEF_COMP_ITER;
        if (add_def(st, e->v.Name.id, flag, LOC(e)) < 0)
            return -1;
        /* super() needs the class cell: a method naming `super` uses it. */
        if (e->v.Name.ctx == PY_LOAD && cur(st)->kind == PY_BLOCK_FUNCTION) {
            ssize_t n;
            const char *s = ft_str_utf8_borrow(e->v.Name.id, &n);
            if (n == 5 && memcmp(s, "super", 5) == 0 &&
                add_def(st, PY_ID(__class__), PY_DEF_USE, LOC(e)) < 0)
                return -1;
        }
        return 0;
    }
    case PY_E_List:
        return visit_exprs(st, &e->v.List.elts);
    case PY_E_Tuple:
        return visit_exprs(st, &e->v.Tuple.elts);
    case PY_E_Slice:
        if (visit_opt(st, e->v.Slice.lower) < 0 || visit_opt(st, e->v.Slice.upper) < 0)
            return -1;
        return visit_opt(st, e->v.Slice.step);
    }
    return 0;
}

static int visit_expr(py_symtable *st, py_expr *e)
{
    if (enter_recursion(st, e->lineno, e->col_offset) < 0)
        return -1;
    int rc = visit_expr_inner(st, e);
    st->recursion--;
    return rc;
}

/* ---- the analysis ----------------------------------------------------------------- */
static int analyze_name(py_symtable *st, py_ste *ste, py_symbol *sym, nameset *bound,
                        nameset *local, nameset *free, nameset *global)
{
    ft_object *name = sym->name;
    loc l = { sym->lineno, sym->col, sym->end_lineno, sym->end_col };
    if (sym->flags & PY_DEF_GLOBAL) {
        if (sym->flags & PY_DEF_NONLOCAL)
            return st_error(st, l, "name '", name, "' is nonlocal and global");
        sym->scope = PY_SCOPE_GLOBAL_EXPLICIT;
        if (nameset_add(global, name) < 0)
            return -1;
        if (bound)
            nameset_remove(bound, name);
        return 0;
    }
    if (sym->flags & PY_DEF_NONLOCAL) {
        if (!bound)
            return st_error_msg(st, l, "nonlocal declaration not allowed at module level");
        if (!nameset_contains(bound, name))
            return st_error(st, l, "no binding for nonlocal '", name, "' found");
        sym->scope = PY_SCOPE_FREE;
        return nameset_add(free, name);
    }
    if (sym->flags & PY_DEF_BOUND) {
        sym->scope = PY_SCOPE_LOCAL;
        if (nameset_add(local, name) < 0)
            return -1;
        nameset_remove(global, name);
        return 0;
    }
    if (bound && nameset_contains(bound, name)) {
        sym->scope = PY_SCOPE_FREE;
        return nameset_add(free, name);
    }
    sym->scope = PY_SCOPE_GLOBAL_IMPLICIT;
    (void)ste;
    return 0;
}

static int analyze_block(py_symtable *st, py_ste *ste, nameset *bound, nameset *free,
                         nameset *global);

static int analyze_child(py_symtable *st, py_ste *child, nameset *newbound,
                         nameset *newglobal, nameset *child_free)
{
    nameset tb = {0}, tg = {0};
    int rc = -1;
    if (nameset_union(&tb, newbound) < 0 || nameset_union(&tg, newglobal) < 0)
        goto done;
    rc = analyze_block(st, child, &tb, child_free, &tg);
done:
    nameset_free(&tb);
    nameset_free(&tg);
    return rc;
}

static int analyze_block(py_symtable *st, py_ste *ste, nameset *bound, nameset *free,
                         nameset *global)
{
    nameset local = {0}, newbound = {0}, newglobal = {0}, newfree = {0};
    int rc = -1;
    bool is_class = ste->kind == PY_BLOCK_CLASS;
    if (is_class) {
        /* Class names are invisible to nested functions: pass down what
         * the enclosing blocks know, before this block's names. */
        if (nameset_union(&newglobal, global) < 0 ||
            (bound && nameset_union(&newbound, bound) < 0))
            goto done;
    }
    for (ssize_t i = 0; i < ste->nsyms; i++)
        if (analyze_name(st, ste, &ste->syms[i], bound, &local, free, global) < 0)
            goto done;
    if (!is_class) {
        if (ste->kind == PY_BLOCK_FUNCTION && nameset_union(&newbound, &local) < 0)
            goto done;
        if (bound && nameset_union(&newbound, bound) < 0)
            goto done;
        if (nameset_union(&newglobal, global) < 0)
            goto done;
    } else if (nameset_add(&newbound, PY_ID(__class__)) < 0) {
        goto done;
    }
    for (ssize_t i = 0; i < ste->nchildren; i++)
        if (analyze_child(st, ste->children[i], &newbound, &newglobal, &newfree) < 0)
            goto done;
    if (ste->kind == PY_BLOCK_FUNCTION) {
        /* Locals that nested blocks use become cells. */
        for (ssize_t i = 0; i < ste->nsyms; i++) {
            py_symbol *s = &ste->syms[i];
            if (s->scope == PY_SCOPE_LOCAL && nameset_contains(&newfree, s->name)) {
                s->scope = PY_SCOPE_CELL;
                nameset_remove(&newfree, s->name);
            }
        }
    } else if (is_class && nameset_contains(&newfree, PY_ID(__class__))) {
        ste->needs_class_closure = true;
        nameset_remove(&newfree, PY_ID(__class__));
    }
    /* Free names of nested blocks pass through this one. */
    for (ssize_t i = 0; i < newfree.cap; i++) {
        ft_object *name = newfree.slots[i];
        if (!name || name == TOMBSTONE)
            continue;
        py_symbol *s = ste_find(ste, name);
        if (s) {
            if (is_class && (s->flags & (PY_DEF_BOUND | PY_DEF_GLOBAL)))
                s->flags |= PY_DEF_FREE_CLASS;
            continue;
        }
        if (bound && !nameset_contains(bound, name))
            continue;
        s = ste_get(ste, name);
        if (!s)
            goto done;
        s->scope = PY_SCOPE_FREE;
    }
    if (nameset_union(free, &newfree) < 0)
        goto done;
    rc = 0;
done:
    nameset_free(&local);
    nameset_free(&newbound);
    nameset_free(&newglobal);
    nameset_free(&newfree);
    return rc;
}

py_symtable *py_symtable_build(py_ast_mod *mod, const char *filename,
                               const char *src, size_t n, bool future_annotations)
{
    py_symtable *st = ft_calloc(1, sizeof(py_symtable));
    if (!st) {
        py_err_nomemory();
        return NULL;
    }
    st->filename = filename;
    st->future_annotations = future_annotations;
    st->src = src;
    st->srclen = n;
    st->owned = ft_list_new(0);
    ft_object *top = st->owned ? own(st, py_intern_cstr("top")) : NULL;
    if (!top || enter_block(st, top, PY_BLOCK_MODULE, mod, 0, 0) < 0)
        goto fail;
    if (mod->kind == PY_M_Expression) {
        if (visit_expr(st, mod->expr) < 0)
            goto fail;
    } else if (visit_stmts(st, &mod->body) < 0) {
        goto fail;
    }
    nameset free = {0}, global = {0};
    int rc = analyze_block(st, st->top, NULL, &free, &global);
    nameset_free(&free);
    nameset_free(&global);
    if (rc < 0)
        goto fail;
    return st;
fail:
    if (!py_err_occurred())
        py_err_from_ft();
    py_symtable_free(st);
    return NULL;
}
