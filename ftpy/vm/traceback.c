/* vm/traceback.c — traceback entries and printing uncaught exceptions.
 *
 * A traceback entry (class "traceback") records where an exception passed:
 * the code object, the line, the instruction index, and the frame's
 * globals and builtins (for "Did you mean" on NameError). ftpy has no
 * frame objects, so tb_frame is None. Entries chain from the outermost
 * frame (exc.__traceback__) to the innermost (tb_next), as in CPython.
 *
 * Printing follows CPython 3.11's pythonrun.c / traceback.c: chained
 * exceptions (cause, then context unless suppressed) first, the
 * "Traceback (most recent call last):" block with each source line (read
 * from the file, stripped; no ^^^ markers), repeated entries folded into
 * "[Previous line repeated N more times]", SyntaxError's own layout, the
 * "Type: message" line with the module prefix rule, and the suggestions
 * of Python/suggestions.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "../objects/typeobject.h"
#include "../modules/modules.h"

typedef struct py_tb {
    ft_object ob_base;
    ft_object *next;             /* py_tb or NULL                           */
    ft_object *code;
    ft_object *globals;          /* may be NULL                             */
    ft_object *builtins;         /* may be NULL                             */
    int lasti;
    int lineno;
} py_tb;

static py_tb *as_tb(ft_object *o) { return (py_tb *)o; }

static int tb_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    py_tb *t = as_tb(o);
    ft_object *refs[] = {t->next, t->code, t->globals, t->builtins};
    for (int i = 0; i < 4; i++)
        if (refs[i]) {
            int r = visit(refs[i], arg);
            if (r)
                return r;
        }
    return 0;
}

static int tb_clear(ft_object *o)
{
    py_tb *t = as_tb(o);
    ft_object *refs[] = {t->next, t->globals, t->builtins};
    t->next = t->globals = t->builtins = NULL;
    for (int i = 0; i < 3; i++)
        ft_xdecref(refs[i]);
    return 0;
}

static void tb_dealloc(ft_object *o)
{
    tb_clear(o);
    ft_object *code = as_tb(o)->code;
    as_tb(o)->code = NULL;
    ft_xdecref(code);
    ft_object_free(o);
}

static ft_object *tb_get_next(ft_object *o)
{
    ft_object *n = as_tb(o)->next;
    return ft_newref(n ? n : ft_none());
}
static ft_object *tb_get_lineno(ft_object *o) { return ft_int_from_i64(as_tb(o)->lineno); }
static ft_object *tb_get_lasti(ft_object *o) { return ft_int_from_i64(as_tb(o)->lasti * 2); }
static ft_object *tb_get_frame(ft_object *o) { (void)o; return ft_none(); }
static ft_object *tb_get_code(ft_object *o) { return ft_newref(as_tb(o)->code); }

static const py_getset_def tb_getset[] = {
    {"tb_next", tb_get_next, NULL},
    {"tb_lineno", tb_get_lineno, NULL},
    {"tb_lasti", tb_get_lasti, NULL},
    {"tb_frame", tb_get_frame, NULL},
    {"tb_code", tb_get_code, NULL},
    {NULL, NULL, NULL},
};

py_type py_traceback_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "traceback",
        .tp_basicsize = sizeof(py_tb),
        .tp_flags = FT_TPFLAGS_GC | PY_TPFLAGS_PYTYPE,
        .tp_dealloc = tb_dealloc,
        .tp_traverse = tb_traverse,
        .tp_clear = tb_clear,
    },
    .tp_getset = tb_getset,
};

int py_traceback_here(ft_object *exc, py_frame *f, int lasti)
{
    if (!exc || !py_exc_check(exc))
        return 0;
    ft_object *o = ft_object_new(&py_traceback_class.ft, sizeof(py_tb));
    if (!o) {
        ft_err_clear();
        return -1;
    }
    py_tb *t = as_tb(o);
    py_exception *e = py_as_exc(exc);
    t->next = e->traceback;          /* the reference moves */
    t->code = ft_newref(&f->code->ob_base);
    t->globals = f->globals ? ft_newref(f->globals) : NULL;
    t->builtins = f->builtins ? ft_newref(f->builtins) : NULL;
    t->lasti = lasti;
    t->lineno = lasti < 0 ? f->code->co_firstlineno : py_code_line(f->code, lasti);
    e->traceback = o;
    return 0;
}

/* ---- Output ---------------------------------------------------------------------- */

static const char *u8(ft_object *s)
{
    const char *p = s && py_str_check_exact(s) ? ft_str_utf8_borrow(s, NULL) : NULL;
    return p ? p : "?";
}

static void flush_py_stream(const char *name)
{
    ft_object *f = py_sys_get_borrow(name);
    if (f && f != ft_none()) {
        ft_object *r = py_call_method(f, PY_ID(flush), NULL, 0);
        ft_xdecref(r);
    }
    py_err_clear();
}

/* The stripped source line `lineno` of `filename`, printed indented by 4. */
static void print_source_line(FILE *out, const char *filename, int lineno)
{
    if (lineno <= 0 || !filename || filename[0] == '<')
        return;
    FILE *src = fopen(filename, "r");
    if (!src)
        return;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = 0;
    int cur = 0;
    while ((n = getline(&line, &cap, src)) >= 0)
        if (++cur == lineno)
            break;
    if (cur == lineno && n >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        const char *p = line;
        while (*p == ' ' || *p == '\t' || *p == '\f')
            p++;
        fprintf(out, "    %s\n", p);
    }
    free(line);
    fclose(src);
}

enum { TB_RECURSIVE_CUTOFF = 3, TB_LIMIT = 1000 };

static void print_repeated(FILE *out, long cnt)
{
    cnt -= TB_RECURSIVE_CUTOFF;
    fprintf(out, "  [Previous line repeated %ld more time%s]\n", cnt, cnt > 1 ? "s" : "");
}

static void print_tb(FILE *out, ft_object *tb)
{
    long depth = 0;
    for (ft_object *t = tb; t; t = as_tb(t)->next)
        depth++;
    while (tb && depth > TB_LIMIT) {
        depth--;
        tb = as_tb(tb)->next;
    }
    fputs("Traceback (most recent call last):\n", out);
    ft_object *last_file = NULL, *last_name = NULL;
    int last_line = -1;
    long cnt = 0;
    for (; tb; tb = as_tb(tb)->next) {
        py_tb *t = as_tb(tb);
        py_code *co = py_as_code(t->code);
        if (!last_file || co->co_filename != last_file || t->lineno != last_line ||
            co->co_name != last_name) {
            if (cnt > TB_RECURSIVE_CUTOFF)
                print_repeated(out, cnt);
            last_file = co->co_filename;
            last_line = t->lineno;
            last_name = co->co_name;
            cnt = 0;
        }
        cnt++;
        if (cnt <= TB_RECURSIVE_CUTOFF) {
            fprintf(out, "  File \"%s\", line %d, in %s\n", u8(co->co_filename), t->lineno,
                    u8(co->co_name));
            print_source_line(out, u8(co->co_filename), t->lineno);
        }
    }
    if (cnt > TB_RECURSIVE_CUTOFF)
        print_repeated(out, cnt);
}

/* ---- Suggestions (CPython's Python/suggestions.c) ------------------------------ */

enum { MAX_CANDIDATE_ITEMS = 750, MAX_STRING_SIZE = 40, MOVE_COST = 2, CASE_COST = 1 };

static int substitution_cost(char a, char b)
{
    if ((a & 31) != (b & 31))
        return MOVE_COST;
    if (a == b)
        return 0;
    if ('A' <= a && a <= 'Z')
        a += 'a' - 'A';
    if ('A' <= b && b <= 'Z')
        b += 'a' - 'A';
    return a == b ? CASE_COST : MOVE_COST;
}

static size_t levenshtein(const char *a, size_t a_size, const char *b, size_t b_size,
                          size_t max_cost, size_t *buffer)
{
    if (a == b)
        return 0;
    while (a_size && b_size && a[0] == b[0]) {
        a++; a_size--;
        b++; b_size--;
    }
    while (a_size && b_size && a[a_size - 1] == b[b_size - 1]) {
        a_size--;
        b_size--;
    }
    if (a_size == 0 || b_size == 0)
        return (a_size + b_size) * MOVE_COST;
    if (a_size > MAX_STRING_SIZE || b_size > MAX_STRING_SIZE)
        return max_cost + 1;
    if (b_size < a_size) {
        const char *t = a; a = b; b = t;
        size_t ts = a_size; a_size = b_size; b_size = ts;
    }
    if ((b_size - a_size) * MOVE_COST > max_cost)
        return max_cost + 1;
    size_t tmp = MOVE_COST;
    for (size_t i = 0; i < a_size; i++) {
        buffer[i] = tmp;
        tmp += MOVE_COST;
    }
    size_t result = 0;
    for (size_t b_index = 0; b_index < b_size; b_index++) {
        char code = b[b_index];
        size_t distance = result = b_index * MOVE_COST;
        size_t minimum = SIZE_MAX;
        for (size_t index = 0; index < a_size; index++) {
            size_t substitute = distance + (size_t)substitution_cost(code, a[index]);
            distance = buffer[index];
            size_t insert_delete = (result < distance ? result : distance) + MOVE_COST;
            result = insert_delete < substitute ? insert_delete : substitute;
            buffer[index] = result;
            if (result < minimum)
                minimum = result;
        }
        if (minimum > max_cost)
            return max_cost + 1;
    }
    return result;
}

/* The best candidate of list `dir` for name, borrowed from dir, or NULL. */
static ft_object *calculate_suggestions(ft_object *dir, ft_object *name)
{
    ssize_t n = ft_len(dir);
    if (n < 0 || n >= MAX_CANDIDATE_ITEMS) {
        ft_err_clear();
        return NULL;
    }
    ssize_t name_size;
    const char *name_str = ft_str_utf8_borrow(name, &name_size);
    if (!name_str)
        return NULL;
    size_t buffer[MAX_STRING_SIZE];
    ft_object *suggestion = NULL;
    size_t suggestion_distance = SIZE_MAX;
    for (ssize_t i = 0; i < n; i++) {
        ft_object *item = ft_list_get(dir, i);
        if (!item)
            break;
        ssize_t item_size;
        const char *item_str = py_str_check_exact(item) ? ft_str_utf8_borrow(item, &item_size)
                                                        : NULL;
        ft_decref(item);   /* dir keeps it alive */
        if (!item_str)
            continue;
        if (item_size == name_size && memcmp(item_str, name_str, (size_t)name_size) == 0)
            continue;
        size_t max_distance = (size_t)(name_size + item_size + 3) * MOVE_COST / 6;
        if (suggestion_distance - 1 < max_distance)
            max_distance = suggestion_distance - 1;
        size_t d = levenshtein(name_str, (size_t)name_size, item_str, (size_t)item_size,
                               max_distance, buffer);
        if (d > max_distance)
            continue;
        if (!suggestion || d < suggestion_distance) {
            suggestion = item;
            suggestion_distance = d;
        }
    }
    ft_err_clear();
    return suggestion;
}

static ft_object *exc_dict_get(ft_object *exc, ft_object *key)
{
    ft_object *d = py_as_exc(exc)->dict, *v = NULL;
    if (d && d->ob_type == &ft_dict_type && ft_dict_lookup(d, key, &v) > 0)
        return v;
    ft_err_clear();
    return NULL;
}

static ft_object *keys_list(ft_object *d)
{
    ft_object *l = ft_list_new(0);
    if (!l)
        return NULL;
    ssize_t pos = 0;
    ft_object *k;
    while (ft_dict_next(d, &pos, &k, NULL) > 0)
        if (ft_list_append(l, k) < 0)
            break;
    return l;
}

/* A new reference to the suggested name, or NULL. */
static ft_object *offer_suggestions(ft_object *exc)
{
    ft_object *name = exc_dict_get(exc, PY_ID(name));
    if (!name)
        return NULL;
    ft_object *result = NULL;
    if (!py_str_check_exact(name))
        goto done;
    if (py_isinstance_exact_or_sub(exc, py_exc_AttributeError)) {
        ft_object *obj = exc_dict_get(exc, PY_ID(obj));
        if (!obj)
            goto done;
        ft_object *dirf = NULL;
        ft_object *bd = py_builtins_dict_borrow();
        ft_object *key = ft_str_from_utf8("dir", 3);
        if (bd && key && ft_dict_lookup(bd, key, &dirf) > 0) {
            ft_object *dir = py_call1(dirf, obj);
            ft_decref(dirf);
            if (dir && dir->ob_type == &ft_list_type) {
                ft_object *s = calculate_suggestions(dir, name);
                result = s ? ft_newref(s) : NULL;
            }
            ft_xdecref(dir);
        }
        ft_xdecref(key);
        ft_decref(obj);
    } else if (py_isinstance_exact_or_sub(exc, py_exc_NameError)) {
        ft_object *tb = py_as_exc(exc)->traceback;
        if (!tb || tb->ob_type != &py_traceback_class.ft)
            goto done;
        while (as_tb(tb)->next)
            tb = as_tb(tb)->next;
        py_tb *t = as_tb(tb);
        ft_object *varnames = py_as_code(t->code)->co_varnames;
        ft_object *dir = py_sequence_list(varnames);
        ft_object *s = dir ? calculate_suggestions(dir, name) : NULL;
        if (s)
            result = ft_newref(s);
        ft_xdecref(dir);
        ft_object *scopes[2] = {t->globals, t->builtins};
        for (int i = 0; i < 2 && !result; i++) {
            if (!scopes[i] || scopes[i]->ob_type != &ft_dict_type)
                continue;
            dir = keys_list(scopes[i]);
            s = dir ? calculate_suggestions(dir, name) : NULL;
            if (s)
                result = ft_newref(s);
            ft_xdecref(dir);
        }
    }
done:
    ft_decref(name);
    py_err_clear();
    ft_err_clear();
    return result;
}

/* ---- One exception ----------------------------------------------------------------- */

static void print_type_name(FILE *out, py_type *t)
{
    ft_object *mod = py_type_module(t);
    if (!mod) {
        py_err_clear();
        fputs("<unknown>.", out);
    } else {
        const char *m = u8(mod);
        if (strcmp(m, "builtins") != 0 && strcmp(m, "__main__") != 0)
            fprintf(out, "%s.", m);
        ft_decref(mod);
    }
    const char *q = py_type_qualname_utf8(t);
    fputs(q ? q : "<unknown>", out);
}

/* SyntaxError's "  File ..., line N" + text + caret (pythonrun.c's
 * print_error_text). Returns the message to print, new reference, or NULL
 * when exc has not the fields. */
static ft_object *attr_or_null(ft_object *o, const char *name)
{
    ft_object *v = py_getattr_str(o, name);
    if (!v)
        py_err_clear();
    return v;
}

static ssize_t attr_int(ft_object *o, const char *name, ssize_t dflt)
{
    ft_object *v = attr_or_null(o, name);
    ssize_t r = dflt;
    if (v && v != ft_none()) {
        int64_t x;
        if (py_long_as_i64(v, &x) == 0)
            r = (ssize_t)x;
        else
            py_err_clear();
    }
    ft_xdecref(v);
    return r;
}

static void print_error_text(FILE *out, ssize_t offset, ssize_t end_offset, const char *text)
{
    size_t caret_repetitions = (end_offset > 0 && end_offset > offset)
                                   ? (size_t)(end_offset - offset) : 1;
    offset--;
    while (*text == ' ' || *text == '\t' || *text == '\f') {
        text++;
        offset--;
    }
    ssize_t len = (ssize_t)strlen(text);
    if (len > 0 && text[len - 1] == '\n')
        len--;
    if (offset > len)
        offset = len;
    for (;;) {
        const char *nl = strchr(text, '\n');
        if (!nl)
            break;
        ssize_t inl = nl - text;
        if (inl >= offset)
            break;
        inl += 1;
        text += inl;
        len -= inl;
        offset -= inl;
    }
    fputs("    ", out);
    fputs(text, out);
    if (text[len] != '\n')
        fputs("\n", out);
    if (offset < 0)
        return;
    fputs("    ", out);
    while (--offset >= 0)
        fputc(' ', out);
    for (size_t i = 0; i < caret_repetitions; i++)
        fputc('^', out);
    fputc('\n', out);
}

static ft_object *print_syntax_error_location(FILE *out, ft_object *exc)
{
    ft_object *msg = attr_or_null(exc, "msg");
    if (!msg)
        return NULL;
    ft_object *filename = attr_or_null(exc, "filename");
    ssize_t lineno = attr_int(exc, "lineno", 0);
    ssize_t offset = attr_int(exc, "offset", -1);
    ssize_t end_lineno = attr_int(exc, "end_lineno", lineno);
    ssize_t end_offset = attr_int(exc, "end_offset", -1);
    ft_object *text = attr_or_null(exc, "text");
    fprintf(out, "  File \"%s\", line %zd\n",
            filename && py_str_check_exact(filename) ? u8(filename) : "<string>", lineno);
    if (text && py_str_check_exact(text)) {
        ssize_t line_size;
        const char *error_line = ft_str_utf8_borrow(text, &line_size);
        if (end_lineno > lineno)
            end_offset = error_line ? line_size : -1;
        if (error_line && end_offset > line_size + 1)
            end_offset = line_size + 1;
        if (error_line)
            print_error_text(out, offset, end_offset, error_line);
    }
    ft_xdecref(filename);
    ft_xdecref(text);
    return msg;
}

static void print_one(FILE *out, ft_object *exc)
{
    if (!py_exc_check(exc)) {
        ft_object *r = py_repr(exc);
        fprintf(out, "TypeError: print_exception(): Exception expected for value, %s found\n",
                py_type_name(exc));
        ft_xdecref(r);
        py_err_clear();
        return;
    }
    ft_object *tb = py_as_exc(exc)->traceback;
    if (tb && tb->ob_type == &py_traceback_class.ft)
        print_tb(out, tb);
    py_type *t = py_type_of(exc);
    ft_object *value = ft_newref(exc);
    if (py_isinstance_exact_or_sub(exc, py_exc_SyntaxError)) {
        ft_object *msg = print_syntax_error_location(out, exc);
        if (msg) {
            ft_decref(value);
            value = msg;
        }
    }
    print_type_name(out, t);
    ft_object *s = py_str(value);
    if (!s) {
        py_err_clear();
        fputs(": <exception str() failed>", out);
    } else {
        ssize_t n = 0;
        const char *p = py_str_check_exact(s) ? ft_str_utf8_borrow(s, &n) : NULL;
        if (p && n > 0) {
            fputs(": ", out);
            fwrite(p, 1, (size_t)n, out);
        }
        ft_decref(s);
    }
    ft_decref(value);
    ft_object *sugg = offer_suggestions(exc);
    if (sugg) {
        fprintf(out, ". Did you mean: '%s'?", u8(sugg));
        ft_decref(sugg);
    }
    fputc('\n', out);
}

/* ---- Chains ------------------------------------------------------------------------ */

typedef struct seen_set {
    ft_object **items;
    size_t n, cap;
} seen_set;

static bool seen_has(seen_set *s, ft_object *o)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i] == o)
            return true;
    return false;
}

static void seen_add(seen_set *s, ft_object *o)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        ft_object **p = realloc(s->items, cap * sizeof *p);
        if (!p)
            return;
        s->items = p;
        s->cap = cap;
    }
    s->items[s->n++] = o;
}

static void print_recursive(FILE *out, ft_object *exc, seen_set *seen, int depth)
{
    seen_add(seen, exc);
    if (py_exc_check(exc) && depth < 100) {
        py_exception *e = py_as_exc(exc);
        if (e->cause && e->cause != ft_none()) {
            if (!seen_has(seen, e->cause)) {
                print_recursive(out, e->cause, seen, depth + 1);
                fputs("\nThe above exception was the direct cause of the following "
                      "exception:\n\n", out);
            }
        } else if (!e->suppress_context && e->context && e->context != ft_none()) {
            if (!seen_has(seen, e->context)) {
                print_recursive(out, e->context, seen, depth + 1);
                fputs("\nDuring handling of the above exception, another exception "
                      "occurred:\n\n", out);
            }
        }
    }
    print_one(out, exc);
}

void py_err_print(ft_object *exc)
{
    if (!exc)
        return;
    ft_incref(exc);
    ft_object *pending = py_err_fetch();   /* printing runs Python code */
    flush_py_stream("stdout");
    flush_py_stream("stderr");
    seen_set seen = {NULL, 0, 0};
    print_recursive(stderr, exc, &seen, 0);
    free(seen.items);
    fflush(stderr);
    py_err_clear();
    py_err_restore(pending);
    ft_decref(exc);
}

/* py_err_write_unraisable lives in objects/errors.c (group 4) and prints
 * through py_err_print. */
