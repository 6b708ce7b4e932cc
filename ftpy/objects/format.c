/* format.c — format(value, spec): the format-spec mini-language of
 * int, bool, float and str (CPython's Python/formatter_unicode.c),
 *     [[fill]align][sign][z][#][0][width][grouping][.precision][type]
 * and py_format, which sends every other object to its __format__.
 *
 * A number is laid out as CPython does:
 *     <lpad> <sign> <prefix> <spad> <grouped digits> <rest> <rpad>
 * where rest is the decimal point, fraction, exponent or '%'. Zero
 * padding ('0' fill with '=' alignment) becomes leading zeros inside the
 * digit grouping ("00,001,234"). Widths count code points; the fill
 * character may be any code point (kept as UTF-8).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "int.h"

char *_py_long_abs_digits(ft_object *v, int base, size_t *len, int *sign);

typedef struct fspec {
    char fill[5];            /* UTF-8 of the fill character            */
    int fill_len;
    char align;              /* '<' '>' '^' '='                          */
    char sign;               /* 0 '+' '-' ' '                            */
    bool no_neg_0;           /* 'z'                                      */
    bool alt;                /* '#'                                      */
    ssize_t width;           /* -1: none                                 */
    char sep;                /* 0 ',' '_'                                */
    ssize_t precision;       /* -1: none                                 */
    char type;               /* 0: none                                  */
} fspec;

/* A growable byte buffer for the result. */
typedef struct sbuf { char *p; size_t n, cap; bool oom; } sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = ft_realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void sb_fill(sbuf *b, const fspec *f, ssize_t count)
{
    for (ssize_t i = 0; i < count; i++)
        sb_put(b, f->fill, (size_t)f->fill_len);
}

static ft_object *sb_finish(sbuf *b)
{
    if (b->oom) {
        ft_free(b->p);
        return py_err_nomemory();
    }
    ft_object *s = ft_str_from_utf8(b->p ? b->p : "", (ssize_t)b->n);
    ft_free(b->p);
    return s ? s : py_err_from_ft();
}

static size_t utf8_len(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static int utf8_char_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static bool is_align(char c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

/* Digits at s[*pos..]: -1 with ValueError on overflow, else how many. */
static int get_integer(const char *s, size_t n, size_t *pos, ssize_t *out)
{
    ssize_t acc = 0;
    int nd = 0;
    for (; *pos < n && s[*pos] >= '0' && s[*pos] <= '9'; (*pos)++, nd++) {
        int d = s[*pos] - '0';
        if (acc > (SSIZE_MAX - d) / 10) {
            py_err_format(py_exc_ValueError, "Too many decimal digits in format string");
            return -1;
        }
        acc = acc * 10 + d;
    }
    *out = acc;
    return nd;
}

static int sep_type_error(char sep, char type)
{
    return py_err_format_int(py_exc_ValueError, "Cannot specify '%c' with '%c'.", sep, type);
}

static int parse_spec(ft_object *spec_obj, const char *s, size_t n, fspec *f,
                      char default_type, char default_align, ft_object *value)
{
    size_t pos = 0;
    bool fill_given = false, align_given = false;
    f->fill[0] = ' ';
    f->fill_len = 1;
    f->align = default_align;
    f->sign = 0;
    f->no_neg_0 = false;
    f->alt = false;
    f->width = -1;
    f->sep = 0;
    f->precision = -1;
    f->type = default_type;

    if (n > 0) {
        int cl = utf8_char_len((unsigned char)s[0]);
        if ((size_t)cl < n && is_align(s[cl])) {
            memcpy(f->fill, s, (size_t)cl);
            f->fill_len = cl;
            f->align = s[cl];
            fill_given = align_given = true;
            pos = (size_t)cl + 1;
        } else if (is_align(s[0])) {
            f->align = s[0];
            align_given = true;
            pos = 1;
        }
    }
    if (pos < n && (s[pos] == '+' || s[pos] == '-' || s[pos] == ' '))
        f->sign = s[pos++];
    if (pos < n && s[pos] == 'z') {
        f->no_neg_0 = true;
        pos++;
    }
    if (pos < n && s[pos] == '#') {
        f->alt = true;
        pos++;
    }
    if (!fill_given && pos < n && s[pos] == '0') {
        f->fill[0] = '0';
        f->fill_len = 1;
        if (!align_given && default_align == '>')
            f->align = '=';
        pos++;
    }
    int nd = get_integer(s, n, &pos, &f->width);
    if (nd < 0)
        return -1;
    if (nd == 0)
        f->width = -1;
    if (pos < n && s[pos] == ',') {
        f->sep = ',';
        pos++;
    }
    if (pos < n && s[pos] == '_') {
        if (f->sep)
            return py_err_format_int(py_exc_ValueError, "Cannot specify both ',' and '_'.");
        f->sep = '_';
        pos++;
    }
    if (pos < n && s[pos] == ',')
        return py_err_format_int(py_exc_ValueError, "Cannot specify both ',' and '_'.");
    if (pos < n && s[pos] == '.') {
        pos++;
        nd = get_integer(s, n, &pos, &f->precision);
        if (nd < 0)
            return -1;
        if (nd == 0)
            return py_err_format_int(py_exc_ValueError, "Format specifier missing precision");
    }
    if (n - pos > 1 || (n - pos == 1 && (unsigned char)s[pos] >= 0x80)) {
        return py_err_format_int(py_exc_ValueError,
                                 "Invalid format specifier '%s' for object of type '%s'",
                                 ft_str_utf8_borrow(spec_obj, NULL), py_type_name(value));
    }
    if (n - pos == 1)
        f->type = s[pos];
    if (f->sep) {
        switch (f->type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%':
        case 'F': case 0:
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (f->sep == '_')
                break;
            /* fall through */
        default:
            return sep_type_error(f->sep, f->type);
        }
    }
    return 0;
}

/* Inserts the separator every `group` digits from the right, padding with
 * leading zeros up to min_width characters (CPython's
 * _PyUnicode_InsertThousandsGrouping with a repeating group). */
static void put_grouped(sbuf *b, const char *digits, ssize_t nd, ssize_t min_width,
                        char sep, int group)
{
    if (!sep) {
        for (ssize_t i = nd; i < min_width; i++)
            sb_put(b, "0", 1);
        sb_put(b, digits, (size_t)nd);
        return;
    }
    /* Build right to left into a temporary, then copy reversed. */
    ssize_t cap = (nd > min_width ? nd : min_width) * 2 + 8;
    char *tmp = ft_malloc((size_t)cap);
    if (!tmp) {
        b->oom = true;
        return;
    }
    ssize_t k = 0, remaining = nd;
    bool first = true;
    for (;;) {
        ssize_t l = remaining > min_width ? remaining : min_width;
        if (l < 1)
            l = 1;
        if (l > group)
            l = group;
        ssize_t n_chars = remaining < l ? remaining : l;
        if (n_chars < 0)
            n_chars = 0;
        ssize_t n_zeros = l - n_chars;
        if (!first)
            tmp[k++] = sep;
        for (ssize_t i = 0; i < n_chars; i++)
            tmp[k++] = digits[remaining - 1 - i];
        for (ssize_t i = 0; i < n_zeros; i++)
            tmp[k++] = '0';
        first = false;
        remaining -= n_chars;
        min_width -= l;
        if (remaining <= 0 && min_width <= 0)
            break;
        min_width -= 1;
    }
    for (ssize_t i = 0; i < k / 2; i++) {
        char c = tmp[i];
        tmp[i] = tmp[k - 1 - i];
        tmp[k - 1 - i] = c;
    }
    sb_put(b, tmp, (size_t)k);
    ft_free(tmp);
}

static ssize_t grouped_len(ssize_t nd, ssize_t min_width, char sep, int group)
{
    if (!sep)
        return nd > min_width ? nd : min_width;
    ssize_t count = 0, remaining = nd;
    bool first = true;
    for (;;) {
        ssize_t l = remaining > min_width ? remaining : min_width;
        if (l < 1)
            l = 1;
        if (l > group)
            l = group;
        count += (first ? 0 : 1) + l;
        first = false;
        remaining -= remaining < l ? remaining : l;
        min_width -= l;
        if (remaining <= 0 && min_width <= 0)
            break;
        min_width -= 1;
    }
    return count;
}

/* Lays out sign, prefix, digits (grouped) and rest with padding. */
static ft_object *fill_number(const fspec *f, char sign, const char *prefix,
                              const char *digits, ssize_t nd, const char *rest,
                              size_t nrest_bytes, int group)
{
    ssize_t n_sign = sign ? 1 : 0, n_prefix = (ssize_t)strlen(prefix);
    ssize_t n_rest = (ssize_t)utf8_len(rest, nrest_bytes);
    ssize_t non_digit = n_sign + n_prefix + n_rest;
    ssize_t min_width = 0;
    if (f->fill_len == 1 && f->fill[0] == '0' && f->align == '=')
        min_width = f->width - non_digit;
    ssize_t n_grouped = nd == 0 ? 0 : grouped_len(nd, min_width, f->sep, group);
    ssize_t pad = f->width - (non_digit + n_grouped);
    ssize_t lpad = 0, spad = 0, rpad = 0;
    if (pad > 0) {
        switch (f->align) {
        case '<': rpad = pad; break;
        case '^': lpad = pad / 2; rpad = pad - lpad; break;
        case '=': spad = pad; break;
        default:  lpad = pad; break;
        }
    }
    sbuf b = { 0 };
    sb_fill(&b, f, lpad);
    if (sign)
        sb_put(&b, &sign, 1);
    sb_put(&b, prefix, (size_t)n_prefix);
    sb_fill(&b, f, spad);
    if (nd)
        put_grouped(&b, digits, nd, min_width, f->sep, group);
    sb_put(&b, rest, nrest_bytes);
    sb_fill(&b, f, rpad);
    return sb_finish(&b);
}

static char sign_char(const fspec *f, bool neg)
{
    if (neg)
        return '-';
    return f->sign == '+' ? '+' : f->sign == ' ' ? ' ' : 0;
}

static ft_object *unknown_code(char type, ft_object *value)
{
    if (type > 32 && type < 127)
        return py_err_format(py_exc_ValueError, "Unknown format code '%c' for object of type '%s'",
                             type, py_type_name(value));
    return py_err_format(py_exc_ValueError, "Unknown format code '\\x%x' for object of type '%s'",
                         (unsigned)(unsigned char)type, py_type_name(value));
}

/* ---- floats ---------------------------------------------------------------------- */

static ft_object *format_double(double v, const fspec *f, ft_object *value)
{
    char type = f->type;
    ssize_t precision = f->precision;
    bool add_dot_0 = false, pct = false;
    switch (type) {
    case 0:
        add_dot_0 = true;
        type = precision < 0 ? 'r' : 'g';
        break;
    case 'n':
        type = 'g';
        break;
    case '%':
        type = 'f';
        v *= 100;
        pct = true;
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        break;
    default:
        return unknown_code(type, value);
    }
    if (precision > 0x7fffffff)
        return py_err_format(py_exc_ValueError, "precision too big");
    size_t size = (size_t)(precision < 0 ? 6 : precision) + 400;
    char *buf = ft_malloc(size + 2);
    if (!buf)
        return py_err_from_ft();
    bool neg;
    int len = py_float_format_abs(v, type, (int)precision, f->alt, add_dot_0, buf, size, &neg);
    if (len < 0 || (size_t)len >= size) {
        ft_free(buf);
        return py_err_format(py_exc_ValueError, "precision too big");
    }
    if (pct) {
        buf[len++] = '%';
        buf[len] = 0;
    }
    if (neg && f->no_neg_0 && isfinite(v)) {
        /* 'z': a value that rounded to zero loses its sign. */
        bool nonzero = false;
        for (const char *c = buf; *c && *c != 'e' && *c != 'E'; c++)
            nonzero |= *c >= '1' && *c <= '9';
        if (!nonzero)
            neg = false;
    }
    int nd = 0;
    while (buf[nd] >= '0' && buf[nd] <= '9')
        nd++;
    ft_object *r = fill_number(f, sign_char(f, neg), "", buf, nd, buf + nd,
                               (size_t)(len - nd), 3);
    ft_free(buf);
    return r;
}

static const char *spec_utf8(ft_object *spec, ssize_t *n, ft_object **spec_str)
{
    if (!spec) {
        *n = 0;
        *spec_str = NULL;
        return "";
    }
    ft_object *s = py_unbox_borrow(spec, &ft_str_type);
    if (!s) {
        py_err_format(py_exc_TypeError, "format expects arg 2 to be string or None, not %s",
                      py_type_name(spec));
        return NULL;
    }
    *spec_str = s;
    return ft_str_utf8_borrow(s, n);
}

ft_object *py_format_float(ft_object *v, ft_object *spec)
{
    ssize_t n;
    ft_object *ss;
    const char *s = spec_utf8(spec, &n, &ss);
    if (!s)
        return NULL;
    if (n == 0)
        return py_str(v);
    fspec f;
    if (parse_spec(ss, s, (size_t)n, &f, 0, '>', v) < 0)
        return NULL;
    bool err;
    double d = py_float_as_double_any(v, &err);
    if (err)
        return NULL;
    return format_double(d, &f, v);
}

/* ---- ints ------------------------------------------------------------------------ */

ft_object *py_format_long(ft_object *v, ft_object *spec)
{
    ssize_t n;
    ft_object *ss;
    const char *s = spec_utf8(spec, &n, &ss);
    if (!s)
        return NULL;
    if (n == 0)
        return py_str(v);
    fspec f;
    if (parse_spec(ss, s, (size_t)n, &f, 'd', '>', v) < 0)
        return NULL;
    ft_object *iv = py_long_unbox_borrow(v);
    if (!iv)
        return py_err_format(py_exc_TypeError, "an int is required, not '%s'", py_type_name(v));
    int base = 10;
    switch (f.type) {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
        double d = py_long_as_double(iv);
        if (d == -1.0 && py_err_occurred())
            return NULL;
        return format_double(d, &f, v);
    }
    case 'b': base = 2; break;
    case 'o': base = 8; break;
    case 'x': case 'X': base = 16; break;
    case 'd': case 'n': case 'c': break;
    default:
        return unknown_code(f.type, v);
    }
    if (f.precision != -1)
        return py_err_format(py_exc_ValueError, "Precision not allowed in integer format specifier");
    if (f.no_neg_0)
        return py_err_format(py_exc_ValueError,
                             "Negative zero coercion (z) not allowed in integer format specifier");
    if (f.type == 'c') {
        if (f.sign)
            return py_err_format(py_exc_ValueError,
                                 "Sign not allowed with integer format specifier 'c'");
        if (f.alt)
            return py_err_format(py_exc_ValueError,
                                 "Alternate form (#) not allowed with integer format specifier 'c'");
        int64_t c;
        if (py_long_as_i64(iv, &c) < 0) {
            py_err_clear();
            return py_err_format(py_exc_OverflowError, "Python int too large to convert to C long");
        }
        if (c < 0 || c > 0x10ffff)
            return py_err_format(py_exc_OverflowError, "%%c arg not in range(0x110000)");
        char u[5];
        size_t ul;
        uint32_t cp = (uint32_t)c;
        if (cp < 0x80) {
            u[0] = (char)cp; ul = 1;
        } else if (cp < 0x800) {
            u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); ul = 2;
        } else if (cp < 0x10000) {
            if (cp >= 0xD800 && cp <= 0xDFFF)
                return py_err_format(py_exc_ValueError, "surrogates are not supported");
            u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (char)(0x80 | (cp & 0x3F)); ul = 3;
        } else {
            u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
            u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); ul = 4;
        }
        return fill_number(&f, 0, "", "", 0, u, ul, 3);
    }
    size_t nd;
    int sign;
    char *digits = _py_long_abs_digits(iv, base, &nd, &sign);
    if (!digits)
        return NULL;
    if (f.type == 'X')
        for (size_t i = 0; i < nd; i++)
            if (digits[i] >= 'a')
                digits[i] = (char)(digits[i] - 32);
    const char *prefix = "";
    if (f.alt) {
        switch (f.type) {
        case 'b': prefix = "0b"; break;
        case 'o': prefix = "0o"; break;
        case 'x': prefix = "0x"; break;
        case 'X': prefix = "0X"; break;
        default: break;
        }
    }
    ft_object *r = fill_number(&f, sign_char(&f, sign < 0), prefix, digits, (ssize_t)nd, "", 0,
                               base == 10 ? 3 : 4);
    ft_free(digits);
    return r;
}

/* ---- strs ------------------------------------------------------------------------ */

ft_object *py_format_str(ft_object *v, ft_object *spec)
{
    ft_object *str = py_unbox_borrow(v, &ft_str_type);
    if (!str)
        return py_err_format(py_exc_TypeError, "a str is required, not '%s'", py_type_name(v));
    ssize_t n;
    ft_object *ss;
    const char *s = spec_utf8(spec, &n, &ss);
    if (!s)
        return NULL;
    if (n == 0)
        return py_str(v);
    fspec f;
    if (parse_spec(ss, s, (size_t)n, &f, 's', '<', v) < 0)
        return NULL;
    if (f.type != 's')
        return unknown_code(f.type, v);
    if (f.sign)
        return py_err_format(py_exc_ValueError, "Sign not allowed in string format specifier");
    if (f.no_neg_0)
        return py_err_format(py_exc_ValueError,
                             "Negative zero coercion (z) not allowed in string format specifier");
    if (f.alt)
        return py_err_format(py_exc_ValueError,
                             "Alternate form (#) not allowed in string format specifier");
    if (f.align == '=')
        return py_err_format(py_exc_ValueError,
                             "'=' alignment not allowed in string format specifier");
    ssize_t nb;
    const char *u = ft_str_utf8_borrow(str, &nb);
    ssize_t len = (ssize_t)utf8_len(u, (size_t)nb);
    if ((f.width < 0 || f.width <= len) && (f.precision < 0 || f.precision >= len))
        return ft_newref(str);
    if (f.precision >= 0 && len > f.precision) {
        /* keep the first `precision` code points */
        ssize_t cps = 0, i = 0;
        for (; i < nb; i++) {
            if (((unsigned char)u[i] & 0xC0) != 0x80) {
                if (cps == f.precision)
                    break;
                cps++;
            }
        }
        nb = i;
        len = f.precision;
    }
    ssize_t pad = f.width > len ? f.width - len : 0, lpad = 0, rpad = 0;
    if (f.align == '>')
        lpad = pad;
    else if (f.align == '^') {
        lpad = pad / 2;
        rpad = pad - lpad;
    } else
        rpad = pad;
    sbuf b = { 0 };
    sb_fill(&b, &f, lpad);
    sb_put(&b, u, (size_t)nb);
    sb_fill(&b, &f, rpad);
    return sb_finish(&b);
}

/* ---- format() ------------------------------------------------------------------------ */

ft_object *py_format(ft_object *o, ft_object *spec)
{
    ft_type *t = o->ob_type;
    if (spec && !py_unbox_borrow(spec, &ft_str_type))
        return py_err_format(py_exc_TypeError, "format() argument 2 must be str, not %s",
                             py_type_name(spec));
    if (t == &ft_int_type || t == &ft_bool_type || t == &py_bigint_ft_type) {
        if (!spec && t != &ft_bool_type)
            return py_long_to_decimal(o);
        return py_format_long(o, spec);
    }
    if (t == &ft_float_type)
        return py_format_float(o, spec);
    if (t == &ft_str_type)
        return spec ? py_format_str(o, spec) : ft_newref(o);
    ft_object *m = py_type_lookup_borrow(py_type_of(o), PY_ID(__format__));
    if (!m)
        return py_err_format(py_exc_TypeError, "Type %s doesn't define __format__",
                             py_type_name(o));
    ft_object *empty = NULL;
    if (!spec) {
        empty = ft_str_from_utf8("", 0);
        if (!empty)
            return py_err_from_ft();
    }
    ft_object *r = py_call2(m, o, spec ? spec : empty);
    ft_xdecref(empty);
    if (r && !py_unbox_borrow(r, &ft_str_type)) {
        py_err_format(py_exc_TypeError, "__format__ must return a str, not %s", py_type_name(r));
        ft_decref(r);
        return NULL;
    }
    return r;
}
