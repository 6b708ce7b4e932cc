/* compile/tokenizer.c — source text to tokens (design in tokenizer.h).
 *
 * The scanner reads bytes from a NUL-terminated copy of the source that
 * always ends with '\n', so looking one or two bytes ahead never runs off
 * the buffer; "end of input" is cur == end. Each physical line is checked
 * (UTF-8, no NUL) when the scanner first enters it.
 */
#include <stdio.h>
#include <string.h>
#include "tokenizer.h"

#define EOF_CHAR (-1)

static const char *const token_texts[] = {
#define PY_TOK_TEXT(name, text) text,
    PY_TOKEN_TYPES(PY_TOK_TEXT)
#undef PY_TOK_TEXT
};

const char *py_token_text(int type)
{
    return type >= 0 && type < PY_T__COUNT ? token_texts[type] : "";
}

/* ---- UTF-8 and character classes ------------------------------------------- */

int32_t py_utf8_decode(const char *s, size_t len, int *size)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0)
        return -1;
    if (u[0] < 0x80) {
        *size = 1;
        return u[0];
    }
    int n;
    int32_t c;
    if (u[0] >= 0xC2 && u[0] <= 0xDF) { n = 2; c = u[0] & 0x1F; }
    else if (u[0] >= 0xE0 && u[0] <= 0xEF) { n = 3; c = u[0] & 0x0F; }
    else if (u[0] >= 0xF0 && u[0] <= 0xF4) { n = 4; c = u[0] & 0x07; }
    else return -1;
    if ((size_t)n > len)
        return -1;
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (u[i] & 0x3F);
    }
    /* overlong forms, surrogates, past U+10FFFF */
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return -1;
    *size = n;
    return c;
}

/* Code points that are never part of an identifier: punctuation, symbols
 * and spaces of the common blocks. Without Unicode tables this is an
 * approximation of XID_Start/XID_Continue that accepts every letter of
 * the scripts in use and rejects the characters people actually mistype
 * (no-break spaces, typographic quotes, dashes, currency, math, emoji). */
static bool is_nonletter(int32_t c)
{
    if (c < 0x80)
        return true;
    if (c <= 0xBF)       /* Latin-1 punctuation, except ª µ º */
        return c != 0xAA && c != 0xB5 && c != 0xBA;
    if (c == 0xD7 || c == 0xF7)
        return true;
    if (c >= 0x2000 && c <= 0x2BFF)   /* punctuation .. arrows, math, shapes */
        return !(c == 0x203F || c == 0x2040 || c == 0x2054 ||
                 (c >= 0x2070 && c <= 0x209F) || (c >= 0x2100 && c <= 0x214F &&
                 c != 0x2118 && c != 0x212E) || (c >= 0x2160 && c <= 0x2188));
    if (c >= 0x2E00 && c <= 0x2E7F)   /* supplemental punctuation */
        return true;
    if (c >= 0x3000 && c <= 0x3004)   /* CJK spaces and marks */
        return true;
    if (c >= 0x3008 && c <= 0x3020)   /* CJK brackets */
        return true;
    if (c >= 0xD800 && c <= 0xF8FF)   /* surrogates, private use */
        return true;
    if (c >= 0xFE10 && c <= 0xFE6F && !(c >= 0xFE20 && c <= 0xFE2F) &&
        c != 0xFE33 && c != 0xFE34 && !(c >= 0xFE4D && c <= 0xFE4F))
        return true;
    if (c == 0xFEFF || (c >= 0xFFF0 && c <= 0xFFFF))
        return true;
    if (c >= 0xFF00 && c <= 0xFF0F)   /* fullwidth punctuation */
        return true;
    if (c >= 0xFF1A && c <= 0xFF20)
        return true;
    if (c >= 0x1F000 && c <= 0x1FAFF) /* emoji, symbols */
        return true;
    if (c >= 0xF0000)                 /* private use planes */
        return true;
    return false;
}

bool py_ident_start(int32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return !is_nonletter(c) && !(c >= 0x300 && c <= 0x36F);  /* combining */
}

bool py_ident_continue(int32_t c)
{
    if (c < 0x80)
        return py_ident_start(c) || (c >= '0' && c <= '9');
    return !is_nonletter(c) || c == 0x00B7 || c == 0x203F || c == 0x2040;
}

/* Python's str.isprintable, approximated: control and format characters,
 * separators other than the ASCII space, surrogates and private use. */
static bool is_printable(int32_t c)
{
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0) || c == 0xAD)
        return false;
    if (c == 0x1680 || (c >= 0x2000 && c <= 0x200F) ||
        (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) ||
        c == 0x3000 || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB))
        return false;
    if ((c >= 0xD800 && c <= 0xF8FF) || c >= 0xF0000)
        return false;
    return true;
}

/* ---- Errors ---------------------------------------------------------------- */

/* Characters in line[0..col) (col in bytes), stopping at the line's end. */
static int char_offset(const char *line, int col)
{
    int n = 0;
    for (int i = 0; i < col; i++) {
        unsigned char b = (unsigned char)line[i];
        if (b == 0 && i >= 0)
            return n + (col - i);
        if ((b & 0xC0) != 0x80)
            n++;
    }
    return n;
}

int py_tok_raise(py_type *type, const char *filename, const char *msg,
                 const char *line, int lineno, int col, int end_lineno,
                 int end_col)
{
    char *text = NULL;
    int offset = col + 1, end_offset = end_col + 1;
    if (line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
        text = ft_malloc(len + 1);
        if (text) {
            memcpy(text, line, len);
            text[len] = '\0';
        }
        offset = char_offset(line, col) + 1;
        /* the end is on the same line in every caller that passes one */
        if (end_col >= 0 && end_lineno == lineno)
            end_offset = char_offset(line, end_col) + 1;
    }
    if (col < 0)
        offset = col + 1;
    if (end_col < 0)
        end_offset = end_col + 1;      /* -1 -> 0 (none), -2 -> -1 */
    py_err_syntax(type ? type : py_exc_SyntaxError, msg, filename, lineno,
                  offset, text, end_lineno, end_offset);
    ft_free(text);
    return -1;
}

/* An error at byte p of the current line (p may be past its start). */
static int tok_error_at(py_tokenizer *t, const char *p, const char *msg)
{
    t->tok_err = true;
    int col = (int)(p - t->line_start);
    return py_tok_raise(NULL, t->filename, msg, t->line_start, t->lineno,
                        col, t->lineno, col);
}

/* Most number errors point at the byte before the scanner's position. */
static int tok_error_before(py_tokenizer *t, const char *p, const char *msg)
{
    return tok_error_at(t, p > t->line_start ? p - 1 : p, msg);
}

static int tok_indent_error(py_tokenizer *t, py_type *type, const char *msg)
{
    t->tok_err = true;
    t->err_soft = true;
    const char *nl = strchr(t->line_start, '\n');
    int len = nl ? (int)(nl - t->line_start) : (int)strlen(t->line_start);
    if (type == py_exc_TabError)
        return py_tok_raise(type, t->filename, msg, t->line_start, t->lineno,
                            0, t->lineno, -1);
    return py_tok_raise(type, t->filename, msg, t->line_start, t->lineno,
                        len, t->lineno, -2);
}

/* ---- Lines ------------------------------------------------------------------- */

/* Validates the physical line starting at p: no NUL, valid UTF-8. */
static int check_line(py_tokenizer *t, const char *p)
{
    if (p < t->checked_to || p >= t->end)
        return 0;
    const char *q = p;
    while (q < t->end && *q != '\n') {
        unsigned char b = (unsigned char)*q;
        if (b == 0) {
            t->tok_err = true;
            return py_tok_raise(NULL, t->filename,
                                "source code cannot contain null bytes",
                                p, t->lineno, -1, t->lineno, -1);
        }
        if (b < 0x80) {
            q++;
            continue;
        }
        int size;
        if (py_utf8_decode(q, (size_t)(t->end - q), &size) < 0) {
            char msg[512];
            snprintf(msg, sizeof msg,
                     "Non-UTF-8 code starting with '\\x%02x' in file %s on "
                     "line %d, but no encoding declared; see "
                     "https://peps.python.org/pep-0263/ for details",
                     b, t->filename ? t->filename : "<string>", t->lineno);
            t->tok_err = true;
            py_err_syntax(py_exc_SyntaxError, msg, NULL, 0, 0, NULL, 0, 0);
            return -1;
        }
        q += size;
    }
    t->checked_to = q + 1;
    return 0;
}

/* After consuming a '\n': the next physical line starts at cur. */
static int next_line(py_tokenizer *t)
{
    t->lineno++;
    t->line_start = t->cur;
    return check_line(t, t->cur);
}

void py_tokenizer_init(py_tokenizer *t, const char *buf, size_t n,
                       const char *filename)
{
    memset(t, 0, sizeof *t);
    t->buf = t->cur = t->line_start = t->checked_to = buf;
    t->end = buf + n;
    t->lineno = 1;
    t->filename = filename;
    t->atbol = true;
    t->err_prefix = "";
}

/* ---- Token construction --------------------------------------------------------- */

static int make(py_tokenizer *t, py_token *tok, int type, const char *start,
                int lineno, const char *line_start)
{
    tok->type = type;
    tok->start = start;
    tok->end = t->cur;
    tok->lineno = lineno;
    tok->col = (int)(start - line_start);
    tok->line_start = line_start;
    tok->end_lineno = t->lineno;
    tok->end_col = (int)(t->cur - t->line_start);
    return 0;
}

static const struct { const char *word; int type; } keywords[] = {
    {"False", PY_T_FALSE}, {"None", PY_T_NONE}, {"True", PY_T_TRUE},
    {"and", PY_T_AND}, {"as", PY_T_AS}, {"assert", PY_T_ASSERT},
    {"async", PY_T_ASYNC}, {"await", PY_T_AWAIT}, {"break", PY_T_BREAK},
    {"class", PY_T_CLASS}, {"continue", PY_T_CONTINUE}, {"def", PY_T_DEF},
    {"del", PY_T_DEL}, {"elif", PY_T_ELIF}, {"else", PY_T_ELSE},
    {"except", PY_T_EXCEPT}, {"finally", PY_T_FINALLY}, {"for", PY_T_FOR},
    {"from", PY_T_FROM}, {"global", PY_T_GLOBAL}, {"if", PY_T_IF},
    {"import", PY_T_IMPORT}, {"in", PY_T_IN}, {"is", PY_T_IS},
    {"lambda", PY_T_LAMBDA}, {"nonlocal", PY_T_NONLOCAL}, {"not", PY_T_NOT},
    {"or", PY_T_OR}, {"pass", PY_T_PASS}, {"raise", PY_T_RAISE},
    {"return", PY_T_RETURN}, {"try", PY_T_TRY}, {"while", PY_T_WHILE},
    {"with", PY_T_WITH}, {"yield", PY_T_YIELD},
};

static int keyword_type(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, s, n) == 0)
            return keywords[i].type;
    return PY_T_NAME;
}

/* ---- Indentation ------------------------------------------------------------------ */

/* At the start of a line: measures the indentation and queues INDENT or
 * DEDENT tokens (pendin). Blank and comment lines are left alone. */
static int indentation(py_tokenizer *t)
{
    int col = 0, altcol = 0;
    const char *p = t->cur;
    for (;; p++) {
        if (*p == ' ')
            col++, altcol++;
        else if (*p == '\t')
            col = (col / 8 + 1) * 8, altcol++;
        else if (*p == '\014')
            col = altcol = 0;
        else
            break;
    }
    if (*p == '#' || *p == '\n' || p >= t->end || t->level > 0)
        return 0;
    if (*p == '\\' && p[1] == '\n')
        return 0;
    if (col == t->indstack[t->indent]) {
        if (altcol != t->altindstack[t->indent])
            return tok_indent_error(t, py_exc_TabError,
                "inconsistent use of tabs and spaces in indentation");
    } else if (col > t->indstack[t->indent]) {
        if (t->indent + 1 >= PY_TOK_MAXINDENT)
            return tok_indent_error(t, py_exc_IndentationError,
                                    "too many levels of indentation");
        if (altcol <= t->altindstack[t->indent])
            return tok_indent_error(t, py_exc_TabError,
                "inconsistent use of tabs and spaces in indentation");
        t->pendin++;
        t->indent++;
        t->indstack[t->indent] = col;
        t->altindstack[t->indent] = altcol;
    } else {
        while (t->indent > 0 && col < t->indstack[t->indent]) {
            t->pendin--;
            t->indent--;
        }
        if (col != t->indstack[t->indent])
            return tok_indent_error(t, py_exc_IndentationError,
                "unindent does not match any outer indentation level");
        if (altcol != t->altindstack[t->indent])
            return tok_indent_error(t, py_exc_TabError,
                "inconsistent use of tabs and spaces in indentation");
    }
    return 0;
}

/* ---- Numbers ------------------------------------------------------------------------ */

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_xdigit(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static bool ident_byte(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
           c == '_' || c >= 128;
}

/* After a number: a letter right behind it is an error ("1abc"), except
 * the keywords that can follow a number in valid code ("1if x else y"). */
static int end_of_number(py_tokenizer *t, const char *kind)
{
    const char *p = t->cur;
    static const char *const ok[] = {"and", "else", "for", "if", "in", "is",
                                     "or", "not"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strncmp(p, ok[i], strlen(ok[i])) == 0)
            return 0;
    if (ident_byte((unsigned char)*p)) {
        char msg[64];
        snprintf(msg, sizeof msg, "invalid %s literal", kind);
        return tok_error_at(t, p > t->line_start ? p - 1 : p, msg);
    }
    return 0;
}

/* Digits with single underscores between them; cur is on a digit. */
static int decimal_tail(py_tokenizer *t)
{
    for (;;) {
        while (is_digit(*t->cur))
            t->cur++;
        if (*t->cur != '_')
            return 0;
        t->cur++;
        if (!is_digit(*t->cur))
            return tok_error_before(t, t->cur, "invalid decimal literal");
    }
}

/* 0x, 0o, 0b literals: cur is just past the prefix letter. */
static int radix_number(py_tokenizer *t, int radix)
{
    const char *kind = radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary";
    char msg[64];
    do {
        if (*t->cur == '_')
            t->cur++;
        int c = (unsigned char)*t->cur;
        bool ok = radix == 16 ? is_xdigit(c) : radix == 8 ? (c >= '0' && c <= '7')
                                                          : (c == '0' || c == '1');
        if (!ok) {
            if (radix != 16 && is_digit(c)) {
                snprintf(msg, sizeof msg, "invalid digit '%c' in %s literal", c, kind);
                return tok_error_at(t, t->cur, msg);
            }
            snprintf(msg, sizeof msg, "invalid %s literal", kind);
            return tok_error_before(t, t->cur, msg);
        }
        for (;;) {
            c = (unsigned char)*t->cur;
            ok = radix == 16 ? is_xdigit(c) : radix == 8 ? (c >= '0' && c <= '7')
                                                         : (c == '0' || c == '1');
            if (!ok)
                break;
            t->cur++;
        }
    } while (*t->cur == '_');
    int c = (unsigned char)*t->cur;
    if (radix != 16 && is_digit(c)) {
        snprintf(msg, sizeof msg, "invalid digit '%c' in %s literal", c, kind);
        return tok_error_at(t, t->cur, msg);
    }
    return end_of_number(t, kind);
}

static int imaginary(py_tokenizer *t, const char *start)
{
    (void)start;
    return tok_error_at(t, start, "complex numbers are not supported by ftpy");
}

/* The fraction and exponent of a decimal number; cur is past the digits. */
static int fraction_exponent(py_tokenizer *t, const char *start, bool seen_dot)
{
    if (!seen_dot && *t->cur == '.') {
        t->cur++;
        seen_dot = true;
    }
    if (seen_dot && is_digit(*t->cur) && decimal_tail(t) < 0)
        return -1;
    if (*t->cur == 'e' || *t->cur == 'E') {
        const char *e = t->cur++;
        if (*t->cur == '+' || *t->cur == '-') {
            t->cur++;
            if (!is_digit(*t->cur))
                return tok_error_before(t, t->cur, "invalid decimal literal");
        } else if (!is_digit(*t->cur)) {
            t->cur = e;                  /* "1else": the e is not ours */
            return end_of_number(t, "decimal");
        }
        if (decimal_tail(t) < 0)
            return -1;
    }
    if (*t->cur == 'j' || *t->cur == 'J')
        return imaginary(t, start);
    return end_of_number(t, "decimal");
}

static int number(py_tokenizer *t, const char *start)
{
    if (*start == '.')                      /* ".5": cur is past the dot */
        return fraction_exponent(t, start, true);
    if (*start != '0') {
        if (decimal_tail(t) < 0)
            return -1;
        return fraction_exponent(t, start, false);
    }
    t->cur = start + 1;
    int c = *t->cur;
    if (c == 'x' || c == 'X' || c == 'o' || c == 'O' || c == 'b' || c == 'B') {
        t->cur++;
        return radix_number(t, c == 'x' || c == 'X' ? 16 : c == 'o' || c == 'O' ? 8 : 2);
    }
    bool nonzero = false;
    for (;;) {                            /* zeros, maybe with underscores */
        if (*t->cur == '_') {
            t->cur++;
            if (!is_digit(*t->cur))
                return tok_error_before(t, t->cur, "invalid decimal literal");
        }
        if (*t->cur != '0')
            break;
        t->cur++;
    }
    const char *zeros_end = t->cur;
    if (is_digit(*t->cur)) {
        nonzero = true;
        if (decimal_tail(t) < 0)
            return -1;
    }
    c = *t->cur;
    if (c == '.' || c == 'e' || c == 'E')
        return fraction_exponent(t, start, false);
    if (c == 'j' || c == 'J')
        return imaginary(t, start);
    if (nonzero) {
        t->tok_err = true;
        return py_tok_raise(NULL, t->filename,
            "leading zeros in decimal integer literals are not permitted; "
            "use an 0o prefix for octal integers", t->line_start, t->lineno,
            (int)(start - t->line_start), t->lineno,
            (int)(zeros_end - t->line_start));
    }
    return end_of_number(t, "decimal");
}

/* ---- Strings ---------------------------------------------------------------------------- */

/* Is [s, s+n) a string prefix (r, u, b, f and their valid pairs)? */
static bool string_prefix(const char *s, size_t n)
{
    bool r = false, u = false, b = false, f = false;
    for (size_t i = 0; i < n; i++) {
        switch (s[i] | 0x20) {
        case 'r': if (r) return false; r = true; break;
        case 'u': if (u) return false; u = true; break;
        case 'b': if (b) return false; b = true; break;
        case 'f': if (f) return false; f = true; break;
        default: return false;
        }
    }
    if (u && (r || b || f))
        return false;
    return !(b && f);
}

/* cur is on the opening quote; scans to past the closing one. */
static int string(py_tokenizer *t, const char *start)
{
    int lineno = t->lineno;
    const char *line_start = t->line_start;
    char q = *t->cur;
    bool triple = t->cur[1] == q && t->cur[2] == q;
    t->cur += triple ? 3 : 1;
    for (;;) {
        if (t->cur >= t->end || (!triple && *t->cur == '\n')) {
            char msg[96];
            snprintf(msg, sizeof msg,
                     triple ? "unterminated triple-quoted string literal (detected at line %d)"
                            : "unterminated string literal (detected at line %d)",
                     t->cur >= t->end ? t->lineno - 1 : t->lineno);
            t->tok_err = true;
            int col = (int)(start - line_start);
            return py_tok_raise(NULL, t->filename, msg, line_start, lineno,
                                col, lineno, col);
        }
        char c = *t->cur++;
        if (c == '\n') {
            if (next_line(t) < 0)
                return -1;
        } else if (c == q) {
            if (!triple)
                return 0;
            if (t->cur[0] == q && t->cur[1] == q) {
                t->cur += 2;
                return 0;
            }
        } else if (c == '\\') {
            if (*t->cur == '\n') {
                t->cur++;
                if (next_line(t) < 0)
                    return -1;
            } else if (t->cur < t->end) {
                t->cur++;
            }
        }
    }
}

/* ---- Identifiers --------------------------------------------------------------------------- */

static int identifier(py_tokenizer *t, const char *start)
{
    bool ascii = true;
    while (ident_byte((unsigned char)*t->cur)) {
        if ((unsigned char)*t->cur >= 128)
            ascii = false;
        t->cur++;
    }
    if (ascii)
        return 0;
    for (const char *p = start; p < t->cur;) {
        int size;
        int32_t c = py_utf8_decode(p, (size_t)(t->end - p), &size);
        if (c < 0)
            return tok_error_at(t, p, "invalid character");
        bool ok = p == start ? py_ident_start(c) : py_ident_continue(c);
        if (!ok) {
            char msg[64];
            if (is_printable(c))
                snprintf(msg, sizeof msg, "invalid character '%.*s' (U+%04X)",
                         size, p, (unsigned)c);
            else
                snprintf(msg, sizeof msg, "invalid non-printable character U+%04X",
                         (unsigned)c);
            return tok_error_at(t, p, msg);
        }
        p += size;
    }
    return 0;
}

/* ---- Operators ------------------------------------------------------------------------------- */

static int three_char(const char *p)
{
    switch (p[0]) {
    case '<': if (p[1] == '<' && p[2] == '=') return PY_T_LEFTSHIFTEQUAL; break;
    case '>': if (p[1] == '>' && p[2] == '=') return PY_T_RIGHTSHIFTEQUAL; break;
    case '*': if (p[1] == '*' && p[2] == '=') return PY_T_DOUBLESTAREQUAL; break;
    case '/': if (p[1] == '/' && p[2] == '=') return PY_T_DOUBLESLASHEQUAL; break;
    case '.': if (p[1] == '.' && p[2] == '.') return PY_T_ELLIPSIS; break;
    }
    return -1;
}

static const struct { char a, b; int type; } two_chars[] = {
    {'=', '=', PY_T_EQEQUAL}, {'!', '=', PY_T_NOTEQUAL},
    {'<', '=', PY_T_LESSEQUAL}, {'<', '<', PY_T_LEFTSHIFT},
    {'<', '>', PY_T_NOTEQUAL},          /* rejected by the parser */
    {'>', '=', PY_T_GREATEREQUAL}, {'>', '>', PY_T_RIGHTSHIFT},
    {'*', '*', PY_T_DOUBLESTAR}, {'*', '=', PY_T_STAREQUAL},
    {'/', '/', PY_T_DOUBLESLASH}, {'/', '=', PY_T_SLASHEQUAL},
    {'+', '=', PY_T_PLUSEQUAL}, {'-', '=', PY_T_MINEQUAL},
    {'-', '>', PY_T_RARROW}, {'%', '=', PY_T_PERCENTEQUAL},
    {'&', '=', PY_T_AMPEREQUAL}, {'|', '=', PY_T_VBAREQUAL},
    {'^', '=', PY_T_CIRCUMFLEXEQUAL}, {'@', '=', PY_T_ATEQUAL},
    {':', '=', PY_T_COLONEQUAL},
};

static int two_char(char a, char b)
{
    for (size_t i = 0; i < sizeof two_chars / sizeof two_chars[0]; i++)
        if (two_chars[i].a == a && two_chars[i].b == b)
            return two_chars[i].type;
    return -1;
}

static int one_char(char c)
{
    switch (c) {
    case '(': return PY_T_LPAR;   case ')': return PY_T_RPAR;
    case '[': return PY_T_LSQB;   case ']': return PY_T_RSQB;
    case '{': return PY_T_LBRACE; case '}': return PY_T_RBRACE;
    case ':': return PY_T_COLON;  case ',': return PY_T_COMMA;
    case ';': return PY_T_SEMI;   case '+': return PY_T_PLUS;
    case '-': return PY_T_MINUS;  case '*': return PY_T_STAR;
    case '/': return PY_T_SLASH;  case '|': return PY_T_VBAR;
    case '&': return PY_T_AMPER;  case '<': return PY_T_LESS;
    case '>': return PY_T_GREATER; case '=': return PY_T_EQUAL;
    case '.': return PY_T_DOT;    case '%': return PY_T_PERCENT;
    case '~': return PY_T_TILDE;  case '^': return PY_T_CIRCUMFLEX;
    case '@': return PY_T_AT;
    }
    return -1;
}

/* Brackets: the stack gives "'(' was never closed" and mismatch errors. */
static int open_bracket(py_tokenizer *t, const char *p)
{
    if (t->level >= PY_TOK_MAXLEVEL)
        return tok_error_at(t, p, "too many nested parentheses");
    t->parenstack[t->level] = *p;
    t->parenlinenostack[t->level] = t->lineno;
    t->parencolstack[t->level] = (int)(p - t->line_start);
    t->level++;
    return 0;
}

static int close_bracket(py_tokenizer *t, const char *p)
{
    char msg[128];
    if (t->level == 0) {
        snprintf(msg, sizeof msg, "unmatched '%c'", *p);
        return tok_error_at(t, p, msg);
    }
    t->level--;
    char open = t->parenstack[t->level];
    if ((open == '(' && *p == ')') || (open == '[' && *p == ']') ||
        (open == '{' && *p == '}'))
        return 0;
    if (t->parenlinenostack[t->level] != t->lineno)
        snprintf(msg, sizeof msg, "closing parenthesis '%c' does not match "
                 "opening parenthesis '%c' on line %d", *p, open,
                 t->parenlinenostack[t->level]);
    else
        snprintf(msg, sizeof msg, "closing parenthesis '%c' does not match "
                 "opening parenthesis '%c'", *p, open);
    return tok_error_at(t, p, msg);
}

/* ---- The scanner ---------------------------------------------------------------------------- */

int py_tokenizer_raise_unclosed(py_tokenizer *t)
{
    char msg[64];
    int i = t->level - 1;
    snprintf(msg, sizeof msg, "'%c' was never closed", t->parenstack[i]);
    t->eof_unclosed = true;
    /* find the bracket's line to quote it */
    const char *line = t->buf;
    for (int n = 1; n < t->parenlinenostack[i] && line < t->end; line++)
        if (*line == '\n')
            n++;
    t->tok_err = true;
    return py_tok_raise(NULL, t->filename, msg, line, t->parenlinenostack[i],
                        t->parencolstack[i], t->parenlinenostack[i], -1);
}

static int at_end(py_tokenizer *t, py_token *tok)
{
    if (t->level > 0)
        return py_tokenizer_raise_unclosed(t);
    const char *p = t->cur;
    if (t->indent > 0) {
        t->indent--;
        return make(t, tok, PY_T_DEDENT, p, t->lineno, t->line_start);
    }
    t->done = true;
    return make(t, tok, PY_T_ENDMARKER, p, t->lineno, t->line_start);
}

int py_tokenizer_next(py_tokenizer *t, py_token *tok)
{
    if (t->tok_err)
        return -1;
    if (t->cur == t->buf && check_line(t, t->cur) < 0)
        return -1;
    for (;;) {
        bool blank = false;
        if (t->atbol) {
            t->atbol = false;
            if (indentation(t) < 0)
                return -1;
            const char *p = t->cur;
            while (*p == ' ' || *p == '\t' || *p == '\014')
                p++;
            blank = *p == '#' || *p == '\n' || p >= t->end;
        }
        while (*t->cur == ' ' || *t->cur == '\t' || *t->cur == '\014')
            t->cur++;
        if (t->pendin != 0) {
            int type = t->pendin > 0 ? PY_T_INDENT : PY_T_DEDENT;
            t->pendin += t->pendin > 0 ? -1 : 1;
            return make(t, tok, type, t->cur, t->lineno, t->line_start);
        }
        if (*t->cur == '#')
            while (t->cur < t->end && *t->cur != '\n')
                t->cur++;
        if (t->cur >= t->end)
            return at_end(t, tok);
        const char *start = t->cur;
        int lineno = t->lineno;
        const char *line_start = t->line_start;
        unsigned char c = (unsigned char)*t->cur;
        if (c == '\n') {
            t->cur++;
            bool emit = !blank && t->level == 0;
            if (emit) {
                make(t, tok, PY_T_NEWLINE, start, lineno, line_start);
                /* as CPython's, the token leaves the '\n' out */
                tok->end = start;
                tok->end_lineno = lineno;
                tok->end_col = tok->col;
            }
            if (next_line(t) < 0)
                return -1;
            t->atbol = true;
            if (emit)
                return 0;
            continue;
        }
        if (c == '\\') {
            if (t->cur[1] != '\n') {
                t->tok_err = t->err_soft = true;
                return py_tok_raise(NULL, t->filename,
                    "unexpected character after line continuation character",
                    t->line_start, t->lineno, (int)(t->cur - t->line_start) + 1,
                    t->lineno, -1);
            }
            if (t->cur + 2 >= t->end) {
                t->tok_err = t->err_soft = true;
                return py_tok_raise(NULL, t->filename,
                    "unexpected EOF while parsing", t->line_start, t->lineno,
                    (int)(t->cur - t->line_start) + 1, t->lineno, -2);
            }
            t->cur += 2;
            if (next_line(t) < 0)
                return -1;
            continue;
        }
        if (ident_byte(c) && !is_digit(c)) {
            t->cur++;
            if (identifier(t, start) < 0)
                return -1;
            size_t n = (size_t)(t->cur - start);
            if ((*t->cur == '\'' || *t->cur == '"') && n <= 2 &&
                string_prefix(start, n)) {
                if (string(t, start) < 0)
                    return -1;
                return make(t, tok, PY_T_STRING, start, lineno, line_start);
            }
            return make(t, tok, keyword_type(start, n), start, lineno, line_start);
        }
        if (is_digit(c) || (c == '.' && is_digit(t->cur[1]))) {
            t->cur++;
            if (number(t, start) < 0)
                return -1;
            return make(t, tok, PY_T_NUMBER, start, lineno, line_start);
        }
        if (c == '\'' || c == '"') {
            if (string(t, start) < 0)
                return -1;
            return make(t, tok, PY_T_STRING, start, lineno, line_start);
        }
        int type = three_char(t->cur);
        if (type >= 0) {
            t->cur += 3;
            return make(t, tok, type, start, lineno, line_start);
        }
        type = two_char(c, t->cur[1]);
        if (type >= 0) {
            t->cur += 2;
            return make(t, tok, type, start, lineno, line_start);
        }
        type = one_char((char)c);
        if (type >= 0) {
            if ((c == '(' || c == '[' || c == '{') && open_bracket(t, start) < 0)
                return -1;
            if ((c == ')' || c == ']' || c == '}') && close_bracket(t, start) < 0)
                return -1;
            t->cur++;
            return make(t, tok, type, start, lineno, line_start);
        }
        if (c < 0x20 || c == 0x7F) {
            char msg[64];
            snprintf(msg, sizeof msg, "invalid non-printable character U+%04X", c);
            return tok_error_at(t, start, msg);
        }
        t->cur++;                          /* '$', '?', '`', '!' */
        return make(t, tok, PY_T_ERRORTOKEN, start, lineno, line_start);
    }
}
