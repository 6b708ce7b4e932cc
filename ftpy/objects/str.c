/* str.c — the Python `str` class over the runtime's UTF-8 strs.
 *
 * Design notes (more in str.h)
 *   Every method borrows the UTF-8 bytes of its self (a "view": bytes,
 *   size, code-point length) and works on bytes where UTF-8 allows it:
 *   searching for a valid UTF-8 needle in valid UTF-8 text can only match
 *   at character boundaries (the encoding is self-synchronising), so
 *   find/count/split/replace are memmem loops; only indexes are converted
 *   between code points and byte offsets (free for ASCII text, a walk
 *   otherwise).
 *   Results are built in a py_strbuf and made with ft_str_from_utf8.
 *   Case mapping: ASCII inline; other code points through glibc's C.UTF-8
 *   locale (towupper_l/towlower_l, a private locale_t: the process locale
 *   is left alone) and the generated tables of mappings glibc does not
 *   give (multi-character results, title case, case folding).
 *   Character properties: generated range tables at the end of this file
 *   (CPython 3.11.2's unicodedata, Unicode 14.0). isidentifier on
 *   non-ASCII text approximates XID_Start/XID_Continue with the alphabetic
 *   and numeric tables.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include "objects/int.h"
#include "objects/str.h"

static locale_t utf8_locale;   /* C.UTF-8 for towupper_l and friends */

/* ---- UTF-8 helpers ---------------------------------------------------------- */

static inline int u8len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

int py_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Code points in s[0..n) of valid UTF-8: the bytes that are not
 * continuation bytes. */
static ssize_t u8count(const char *s, ssize_t n)
{
    ssize_t c = 0;
    for (ssize_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* ---- py_strbuf --------------------------------------------------------------- */

void py_strbuf_init(py_strbuf *b)
{
    b->data = b->small;
    b->len = 0;
    b->cap = sizeof b->small;
}

void py_strbuf_free(py_strbuf *b)
{
    if (b->data != b->small)
        free(b->data);
    py_strbuf_init(b);
}

static PY_NOINLINE int strbuf_grow(py_strbuf *b, size_t need)
{
    size_t cap = b->cap;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            py_err_nomemory();
            return -1;
        }
        cap *= 2;
    }
    char *p;
    if (b->data == b->small) {
        p = malloc(cap);
        if (p)
            memcpy(p, b->data, b->len);
    } else {
        p = realloc(b->data, cap);
    }
    if (!p) {
        py_err_nomemory();
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

int py_strbuf_append(py_strbuf *b, const char *s, size_t n)
{
    if (py_unlikely(b->len + n + 1 > b->cap) && strbuf_grow(b, b->len + n + 1) < 0)
        return -1;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
}

int py_strbuf_append_cstr(py_strbuf *b, const char *s)
{
    return py_strbuf_append(b, s, strlen(s));
}

int py_strbuf_putc(py_strbuf *b, uint32_t cp)
{
    if (py_unlikely(b->len + 5 > b->cap) && strbuf_grow(b, b->len + 5) < 0)
        return -1;
    if (cp < 0x80)
        b->data[b->len++] = (char)cp;
    else
        b->len += (size_t)py_utf8_encode(cp, b->data + b->len);
    return 0;
}

int py_strbuf_fill(py_strbuf *b, uint32_t cp, ssize_t count)
{
    if (count <= 0)
        return 0;
    char enc[4];
    int k = py_utf8_encode(cp, enc);
    if ((size_t)count > (SIZE_MAX - b->len - 1) / (size_t)k) {
        py_err_nomemory();
        return -1;
    }
    size_t need = b->len + (size_t)count * (size_t)k + 1;
    if (need > b->cap && strbuf_grow(b, need) < 0)
        return -1;
    if (k == 1) {
        memset(b->data + b->len, enc[0], (size_t)count);
        b->len += (size_t)count;
    } else {
        for (ssize_t i = 0; i < count; i++, b->len += (size_t)k)
            memcpy(b->data + b->len, enc, (size_t)k);
    }
    return 0;
}

int py_strbuf_append_str(py_strbuf *b, ft_object *s)
{
    ssize_t n;
    const char *p = ft_str_utf8_borrow(s, &n);
    if (!p) {
        py_err_from_ft();
        return -1;
    }
    return py_strbuf_append(b, p, (size_t)n);
}

static ft_object *mkstr(const char *s, ssize_t n)
{
    ft_object *r = ft_str_from_utf8(s, n);
    if (!r)
        py_err_from_ft();
    return r;
}

ft_object *py_strbuf_finish(py_strbuf *b)
{
    ft_object *r = mkstr(b->data, (ssize_t)b->len);
    py_strbuf_free(b);
    return r;
}

ft_object *py_str_from_cstr(const char *s)
{
    return mkstr(s, (ssize_t)strlen(s));
}

ft_object *py_str_from_char(uint32_t cp)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return py_err_format(py_exc_ValueError, "chr() arg not in range(0x110000)");
    char enc[4];
    return mkstr(enc, py_utf8_encode(cp, enc));
}

ft_object *py_str_from_format(const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return py_err_format(py_exc_ValueError, "py_str_from_format: bad format");
    if ((size_t)n < sizeof small)
        return mkstr(small, n);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return py_err_nomemory();
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ft_object *r = mkstr(big, n);
    free(big);
    return r;
}

/* ---- Views --------------------------------------------------------------------
 * A borrowed look at a str's bytes; valid while the str lives. */
typedef struct sv {
    const char *s;
    ssize_t n;                   /* bytes                                  */
    ssize_t len;                 /* code points                            */
} sv;

static inline void sv_of(ft_object *str, sv *v)
{
    v->s = ft_str_utf8_borrow(str, &v->n);
    v->len = ft_len(str);
}
static inline bool sv_ascii(const sv *v) { return v->n == v->len; }

/* The byte offset of code point index cp (clamped to 0..len). */
static ssize_t sv_offset(const sv *v, ssize_t cp)
{
    if (cp <= 0)
        return 0;
    if (cp >= v->len)
        return v->n;
    if (sv_ascii(v))
        return cp;
    const unsigned char *p = (const unsigned char *)v->s;
    ssize_t i;
    if (cp <= v->len / 2) {
        i = 0;
        for (ssize_t k = 0; k < cp; k++)
            i += u8len(p[i]);
    } else {
        i = v->n;
        for (ssize_t k = v->len; k > cp; k--) {
            do
                i--;
            while ((p[i] & 0xC0) == 0x80);
        }
    }
    return i;
}

/* The code-point index of byte offset b (a character boundary). */
static ssize_t sv_index(const sv *v, ssize_t b)
{
    if (sv_ascii(v))
        return b;
    if (b > v->n / 2)
        return v->len - u8count(v->s + b, v->n - b);
    return u8count(v->s, b);
}

static ft_object *sv_substr(const sv *v, ssize_t b0, ssize_t b1)
{
    if (b1 <= b0)
        return mkstr("", 0);
    return mkstr(v->s + b0, b1 - b0);
}

ssize_t py_str_length(ft_object *s) { return ft_len(s); }

uint32_t py_str_char_at(ft_object *s, ssize_t i)
{
    sv v;
    sv_of(s, &v);
    uint32_t cp;
    py_utf8_next(v.s + sv_offset(&v, i), &cp);
    return cp;
}

ft_object *py_str_getchar(ft_object *s, ssize_t i)
{
    sv v;
    sv_of(s, &v);
    if (i < 0)
        i += v.len;
    if (i < 0 || i >= v.len)
        return py_err_format(py_exc_IndexError, "string index out of range");
    ssize_t b = sv_offset(&v, i);
    return mkstr(v.s + b, u8len((unsigned char)v.s[b]));
}

ft_object *py_str_substr(ft_object *s, ssize_t start, ssize_t stop)
{
    sv v;
    sv_of(s, &v);
    if (start < 0)
        start = 0;
    if (stop > v.len)
        stop = v.len;
    if (start >= stop)
        return mkstr("", 0);
    if (start == 0 && stop == v.len)
        return ft_newref(s);
    return sv_substr(&v, sv_offset(&v, start), sv_offset(&v, stop));
}

/* ---- Character properties and case mapping (end of file) ------------------- */

enum { MAP_UPPER, MAP_LOWER, MAP_TITLE, MAP_FOLD };
static int case_map(uint32_t cp, int kind, uint32_t out[3]);
static bool uc_istitle(uint32_t cp);
static bool uc_isupper(uint32_t cp);
static bool uc_islower(uint32_t cp);
static bool uc_iscased(uint32_t cp);
static bool uc_case_ignorable(uint32_t cp);

/* ---- Argument helpers -------------------------------------------------------- */

static ft_object *descr_error(const char *name, ft_object *self)
{
    return py_err_format(py_exc_TypeError,
                         "descriptor '%s' for 'str' objects doesn't apply to a '%s' object",
                         name, py_type_name(self));
}

#define STR_SELF(name)                                                     \
    ft_object *self_str = py_str_unbox_borrow(self);                       \
    if (py_unlikely(!self_str))                                            \
        return descr_error(name, self);                                    \
    sv v;                                                                  \
    sv_of(self_str, &v)

/* A str argument ("must be str, not int"); 0 or -1. */
static int arg_str(ft_object *o, sv *out)
{
    ft_object *s = py_str_unbox_borrow(o);
    if (!s)
        return py_err_format_int(py_exc_TypeError, "must be str, not %s", py_type_name(o));
    sv_of(s, out);
    return 0;
}

/* CPython's argument-count messages for the three calling conventions of
 * str methods: no arguments, exactly one, and find-like (min..max). */
char *py_utf8_decimal_to_ascii(const char *s, size_t n, size_t *outn)
{
    char *out = ft_malloc(n + 1);
    if (!out) {
        py_err_nomemory();
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += (size_t)py_utf8_next(s + i, &cp);
        int d;
        if (cp < 0x80)
            out[k++] = (char)cp;
        else if (py_unicode_isspace(cp))
            out[k++] = ' ';
        else if ((d = py_unicode_decimal_value(cp)) >= 0)
            out[k++] = (char)('0' + d);
        else
            out[k++] = '?';
    }
    out[k] = '\0';
    *outn = k;
    return out;
}

int _py_meth_argerr(int kind, const char *cls, const char *name, size_t nargs,
                    ft_object *kwnames, size_t min, size_t max)
{
    /* the qualified name: "list.append" (methods), "len" (functions) */
    char q[160];
    bool bare = kind == PY_ARGK_VARARGS || kind == PY_ARGK_KW_BARE || !cls;
    snprintf(q, sizeof q, "%s%s%s", bare ? "" : cls, bare ? "" : ".", name);
    bool wrapper = kind == PY_ARGK_WRAPPER || kind == PY_ARGK_WRAPPER_UNPACK;
    if (py_has_kwargs(kwnames))
        return py_err_format_int(py_exc_TypeError, "%s%s() takes no keyword arguments",
                                 wrapper ? "wrapper " : "", wrapper ? name : q);
    switch (kind) {
    case PY_ARGK_WRAPPER:
        return py_err_format_int(py_exc_TypeError, "expected %zu argument%s, got %zu", min,
                                 min == 1 ? "" : "s", nargs);
    case PY_ARGK_WRAPPER_UNPACK:
        return py_check_nargs("", nargs, min, max);
    case PY_ARGK_NOARGS:
        return py_err_format_int(py_exc_TypeError, "%s() takes no arguments (%zu given)",
                                 q, nargs);
    case PY_ARGK_O:
        return py_err_format_int(py_exc_TypeError,
                                 "%s() takes exactly one argument (%zu given)", q, nargs);
    case PY_ARGK_CLINIC:
        return py_check_nargs(name, nargs, min, max);
    default:
        break;
    }
    if (nargs < min)
        return py_err_format_int(py_exc_TypeError, "%s() takes at least %zu argument%s "
                                 "(%zu given)", name, min, min == 1 ? "" : "s", nargs);
    if (nargs > max)
        return py_err_format_int(py_exc_TypeError, "%s() takes at most %zu argument%s "
                                 "(%zu given)", name, max, max == 1 ? "" : "s", nargs);
    return 0;
}

/* An int argument through __index__; 0 or -1. */
static int arg_ssize(ft_object *o, ssize_t *out)
{
    return py_index_ssize(o, out);
}

/* A slice index (start/end of find, count, ...): None leaves *out. */
static int arg_slice_index(ft_object *o, ssize_t *out)
{
    if (!o || o == ft_none())
        return 0;
    if (!py_long_check(o) && !py_type_lookup_borrow(py_type_of(o), PY_ID(__index__)))
        return py_err_format_int(py_exc_TypeError,
            "slice indices must be integers or None or have an __index__ method");
    if (py_index_ssize(o, out) < 0) {
        if (!py_err_matches(py_exc_OverflowError))
            return -1;
        /* CPython clamps huge slice indices. */
        py_err_clear();
        int neg = py_richcompare_bool(o, ft_int_from_i64(0), PY_LT);
        if (neg < 0)
            return -1;
        *out = neg ? -PTRDIFF_MAX : PTRDIFF_MAX;
    }
    return 0;
}

/* Resolves start/end (code points) as slice bounds on a length. */
static void adjust_indices(ssize_t *start, ssize_t *end, ssize_t len)
{
    if (*end > len)
        *end = len;
    else if (*end < 0) {
        *end += len;
        if (*end < 0)
            *end = 0;
    }
    if (*start < 0) {
        *start += len;
        if (*start < 0)
            *start = 0;
    }
}

/* Parses the optional (start, end) of find-like methods from args[first..]. */
static int parse_start_end(ft_object *const *args, size_t nargs, size_t first,
                           ssize_t *start, ssize_t *end)
{
    *start = 0;
    *end = PTRDIFF_MAX;
    if (nargs > first && arg_slice_index(args[first], start) < 0)
        return -1;
    if (nargs > first + 1 && arg_slice_index(args[first + 1], end) < 0)
        return -1;
    return 0;
}

/* ---- Byte-level search -------------------------------------------------------- */

static ssize_t bfind(const char *h, ssize_t hn, const char *n, ssize_t nn)
{
    if (nn == 0)
        return 0;
    if (nn > hn)
        return -1;
    const char *p = nn == 1 ? memchr(h, n[0], (size_t)hn) : memmem(h, (size_t)hn, n, (size_t)nn);
    return p ? p - h : -1;
}

static ssize_t brfind(const char *h, ssize_t hn, const char *n, ssize_t nn)
{
    if (nn == 0)
        return hn;
    if (nn > hn)
        return -1;
    if (nn == 1) {
        const char *p = memrchr(h, n[0], (size_t)hn);
        return p ? p - h : -1;
    }
    for (ssize_t i = hn - nn; i >= 0; i--) {
        const char *p = memrchr(h, n[0], (size_t)i + 1);
        if (!p)
            return -1;
        i = p - h;
        if (memcmp(p, n, (size_t)nn) == 0)
            return i;
    }
    return -1;
}

static ssize_t bcount(const char *h, ssize_t hn, const char *n, ssize_t nn, ssize_t max)
{
    ssize_t c = 0, i = 0;
    while (c < max) {
        ssize_t k = bfind(h + i, hn - i, n, nn);
        if (k < 0)
            break;
        c++;
        i += k + nn;
    }
    return c;
}

/* ---- The slots ------------------------------------------------------------------- */

static int64_t str_hash_slot(ft_object *o)
{
    ft_object *s = py_str_unbox_borrow(o);
    if (!s) {
        py_err_format(py_exc_TypeError, "unhashable type: '%s'", py_type_name(o));
        return -1;
    }
    return ft_hash(s);
}

static int sv_cmp(const sv *a, const sv *b)
{
    ssize_t m = a->n < b->n ? a->n : b->n;
    int c = memcmp(a->s, b->s, (size_t)m);
    if (c)
        return c;
    return a->n < b->n ? -1 : a->n > b->n;
}

static int str_eq_slot(ft_object *a, ft_object *b)
{
    ft_object *x = py_str_unbox_borrow(a), *y = py_str_unbox_borrow(b);
    if (!x || !y)
        return 0;
    if (x == y)
        return 1;
    sv va, vb;
    sv_of(x, &va);
    sv_of(y, &vb);
    return va.n == vb.n && memcmp(va.s, vb.s, (size_t)va.n) == 0;
}

static ssize_t str_len_slot(ft_object *o)
{
    ft_object *s = py_str_unbox_borrow(o);
    if (!s) {
        py_err_format(py_exc_TypeError, "object of type '%s' has no len()", py_type_name(o));
        return -1;
    }
    return ft_len(s);
}

static int str_bool_slot(ft_object *o)
{
    ft_object *s = py_str_unbox_borrow(o);
    return s && ft_len(s) > 0;
}

static ft_object *str_str_slot(ft_object *o)
{
    ft_object *s = py_str_unbox_borrow(o);
    if (!s)
        return py_err_format(py_exc_TypeError, "expected str, got %s", py_type_name(o));
    return ft_newref(s);
}

static ft_object *str_richcompare(ft_object *a, ft_object *b, int op)
{
    ft_object *x = py_str_unbox_borrow(a), *y = py_str_unbox_borrow(b);
    if (!x || !y)
        return py_notimplemented();
    sv va, vb;
    sv_of(x, &va);
    sv_of(y, &vb);
    bool r;
    if (op == PY_EQ || op == PY_NE) {
        bool eq = x == y || (va.n == vb.n && memcmp(va.s, vb.s, (size_t)va.n) == 0);
        r = op == PY_EQ ? eq : !eq;
    } else {
        int c = sv_cmp(&va, &vb);
        switch (op) {
        case PY_LT: r = c < 0; break;
        case PY_LE: r = c <= 0; break;
        case PY_GT: r = c > 0; break;
        default:    r = c >= 0; break;
        }
    }
    return py_bool_new(r);
}

ft_object *py_str_concat(ft_object *a, ft_object *b)
{
    ft_object *x = py_str_unbox_borrow(a), *y = py_str_unbox_borrow(b);
    if (!x || !y)
        return py_err_format(py_exc_TypeError, "can only concatenate str (not \"%s\") to str",
                             py_type_name(x ? b : a));
    sv va, vb;
    sv_of(x, &va);
    sv_of(y, &vb);
    if (vb.n == 0 && a == x)
        return ft_newref(x);
    if (va.n == 0 && b == y)
        return ft_newref(y);
    if (va.n > PTRDIFF_MAX - vb.n - 1)
        return py_err_nomemory();
    size_t n = (size_t)(va.n + vb.n);
    char small[256];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf)
        return py_err_nomemory();
    memcpy(buf, va.s, (size_t)va.n);
    memcpy(buf + va.n, vb.s, (size_t)vb.n);
    ft_object *r = mkstr(buf, (ssize_t)n);
    if (buf != small)
        free(buf);
    return r;
}

static ft_object *str_repeat(ft_object *s, ssize_t count)
{
    sv v;
    sv_of(s, &v);
    if (count <= 0 || v.n == 0)
        return mkstr("", 0);
    if (count == 1)
        return ft_newref(s);
    if (v.n > (PTRDIFF_MAX - 1) / count)
        return py_err_format(py_exc_OverflowError, "repeated string is too long");
    size_t total = (size_t)v.n * (size_t)count;
    char *buf = malloc(total + 1);
    if (!buf)
        return py_err_nomemory();
    memcpy(buf, v.s, (size_t)v.n);
    size_t done = (size_t)v.n;
    while (done < total) {   /* doubling copies */
        size_t k = done <= total - done ? done : total - done;
        memcpy(buf + done, buf, k);
        done += k;
    }
    ft_object *r = mkstr(buf, (ssize_t)total);
    free(buf);
    return r;
}

static bool has_index(ft_object *o)
{
    return py_long_check(o) || py_type_lookup_borrow(py_type_of(o), PY_ID(__index__));
}

/* Gives the other operand's own slot its turn first (CPython tries the
 * number slots of both operands before the sequence slots of str);
 * NULL-with-no-error when it did not apply. */
static ft_object *try_other(ft_object *other, ft_object *a, ft_object *b, int op)
{
    py_type *t = py_type_of(other);
    if (!t->tp_binop || t == &py_str_class || py_str_check(other))
        return NULL;
    ft_object *r = t->tp_binop(a, b, op);
    if (r && r == py_notimplemented()) {
        ft_decref(r);
        return NULL;
    }
    if (!r)
        return (ft_object *)-1;   /* error */
    return r;
}

static ft_object *str_binop(ft_object *a, ft_object *b, int op)
{
    int base = op & ~PY_OP_INPLACE;
    ft_object *x = py_str_unbox_borrow(a);
    if (base == PY_OP_ADD) {
        ft_object *y = py_str_unbox_borrow(b);
        if (x && y)
            return py_str_concat(x, y);
        if (!x)
            return py_notimplemented();
        ft_object *r = try_other(b, a, b, op);
        if (r == (ft_object *)-1)
            return NULL;
        if (r)
            return r;
        return py_err_format(py_exc_TypeError,
                             "can only concatenate str (not \"%s\") to str", py_type_name(b));
    }
    if (base == PY_OP_MUL) {
        ft_object *s = x ? x : py_str_unbox_borrow(b);
        ft_object *n = x ? b : a;
        if (x) {
            ft_object *r = try_other(b, a, b, op);
            if (r == (ft_object *)-1)
                return NULL;
            if (r)
                return r;
        }
        if (!has_index(n))
            return py_err_format(py_exc_TypeError,
                                 "can't multiply sequence by non-int of type '%s'",
                                 py_type_name(n));
        ssize_t count;
        if (py_index_ssize(n, &count) < 0) {
            if (py_err_matches(py_exc_OverflowError)) {
                py_err_clear();
                return py_err_format(py_exc_OverflowError,
                                     "cannot fit 'int' into an index-sized integer");
            }
            return NULL;
        }
        return str_repeat(s, count);
    }
    if (base == PY_OP_MOD && x)
        return py_str_mod_format(x, b);
    return py_notimplemented();
}

static ft_object *str_slice(ft_object *s, ft_object *slice)
{
    sv v;
    sv_of(s, &v);
    ssize_t start, stop, step, n;
    if (py_slice_indices(slice, v.len, &start, &stop, &step, &n) < 0)
        return NULL;
    if (n <= 0)
        return mkstr("", 0);
    if (step == 1) {
        if (n == v.len)
            return ft_newref(s);
        ssize_t b0 = sv_offset(&v, start);
        ssize_t b1 = sv_ascii(&v) ? stop : b0;
        if (!sv_ascii(&v))
            for (ssize_t k = 0; k < n; k++)
                b1 += u8len((unsigned char)v.s[b1]);
        return sv_substr(&v, b0, b1);
    }
    py_strbuf b;
    py_strbuf_init(&b);
    if (sv_ascii(&v)) {
        for (ssize_t k = 0, i = start; k < n; k++, i += step)
            if (py_strbuf_append(&b, v.s + i, 1) < 0)
                goto fail;
        return py_strbuf_finish(&b);
    }
    /* Byte offset of every code point, then pick. */
    ssize_t *off = malloc(sizeof(ssize_t) * (size_t)(v.len + 1));
    if (!off) {
        py_strbuf_free(&b);
        return py_err_nomemory();
    }
    for (ssize_t i = 0, k = 0; k <= v.len; k++) {
        off[k] = i;
        if (k < v.len)
            i += u8len((unsigned char)v.s[i]);
    }
    for (ssize_t k = 0, i = start; k < n; k++, i += step)
        if (py_strbuf_append(&b, v.s + off[i], (size_t)(off[i + 1] - off[i])) < 0) {
            free(off);
            goto fail;
        }
    free(off);
    return py_strbuf_finish(&b);
fail:
    py_strbuf_free(&b);
    return NULL;
}

static ft_object *str_getitem(ft_object *o, ft_object *key)
{
    ft_object *s = py_str_unbox_borrow(o);
    if (!s)
        return py_err_format(py_exc_TypeError, "expected str");
    if (py_type_of(key) == &py_slice_class)
        return str_slice(s, key);
    if (!has_index(key))
        return py_err_format(py_exc_TypeError, "string indices must be integers, not '%s'",
                             py_type_name(key));
    ssize_t i;
    if (py_index_ssize(key, &i) < 0) {
        if (py_err_matches(py_exc_OverflowError)) {
            py_err_clear();
            return py_err_format(py_exc_IndexError,
                                 "cannot fit 'int' into an index-sized integer");
        }
        return NULL;
    }
    return py_str_getchar(s, i);
}

static int str_contains(ft_object *o, ft_object *v)
{
    ft_object *s = py_str_unbox_borrow(o);
    ft_object *sub = py_str_unbox_borrow(v);
    if (!sub)
        return py_err_format_int(py_exc_TypeError,
                                 "'in <string>' requires string as left operand, not %s",
                                 py_type_name(v));
    if (!s)
        return py_err_format_int(py_exc_TypeError, "expected str");
    sv a, b;
    sv_of(s, &a);
    sv_of(sub, &b);
    return bfind(a.s, a.n, b.s, b.n) >= 0;
}

/* ---- repr --------------------------------------------------------------------- */

static const char hexdigits[] = "0123456789abcdef";

/* Appends cp escaped as CPython's repr does; quote is the quote in use. */
static int repr_char(py_strbuf *b, uint32_t cp, char quote, bool ascii_only)
{
    char buf[12];
    if (cp < 0x80) {
        if (cp == (uint32_t)quote || cp == '\\') {
            buf[0] = '\\';
            buf[1] = (char)cp;
            return py_strbuf_append(b, buf, 2);
        }
        if (cp == '\t') return py_strbuf_append(b, "\\t", 2);
        if (cp == '\n') return py_strbuf_append(b, "\\n", 2);
        if (cp == '\r') return py_strbuf_append(b, "\\r", 2);
        if (cp < 0x20 || cp == 0x7F) {
            buf[0] = '\\'; buf[1] = 'x';
            buf[2] = hexdigits[cp >> 4]; buf[3] = hexdigits[cp & 15];
            return py_strbuf_append(b, buf, 4);
        }
        buf[0] = (char)cp;
        return py_strbuf_append(b, buf, 1);
    }
    if (!ascii_only && py_unicode_isprintable(cp))
        return py_strbuf_putc(b, cp);
    int n;
    if (cp <= 0xFF)
        n = snprintf(buf, sizeof buf, "\\x%02x", cp);
    else if (cp <= 0xFFFF)
        n = snprintf(buf, sizeof buf, "\\u%04x", cp);
    else
        n = snprintf(buf, sizeof buf, "\\U%08x", cp);
    return py_strbuf_append(b, buf, (size_t)n);
}

static ft_object *repr_impl(ft_object *o, bool ascii_only)
{
    ft_object *s = py_str_unbox_borrow(o);
    if (!s)
        return py_err_format(py_exc_TypeError, "expected str");
    sv v;
    sv_of(s, &v);
    bool sq = memchr(v.s, '\'', (size_t)v.n) != NULL;
    bool dq = memchr(v.s, '"', (size_t)v.n) != NULL;
    char quote = sq && !dq ? '"' : '\'';
    py_strbuf b;
    py_strbuf_init(&b);
    if (py_strbuf_append(&b, &quote, 1) < 0)
        goto fail;
    for (ssize_t i = 0; i < v.n;) {
        unsigned char c = (unsigned char)v.s[i];
        if (c >= 0x20 && c < 0x7F && c != '\\' && c != (unsigned char)quote) {
            /* a run of plain ASCII at once */
            ssize_t j = i + 1;
            while (j < v.n) {
                unsigned char d = (unsigned char)v.s[j];
                if (d < 0x20 || d >= 0x7F || d == '\\' || d == (unsigned char)quote)
                    break;
                j++;
            }
            if (py_strbuf_append(&b, v.s + i, (size_t)(j - i)) < 0)
                goto fail;
            i = j;
            continue;
        }
        uint32_t cp;
        i += py_utf8_next(v.s + i, &cp);
        if (repr_char(&b, cp, quote, ascii_only) < 0)
            goto fail;
    }
    if (py_strbuf_append(&b, &quote, 1) < 0)
        goto fail;
    return py_strbuf_finish(&b);
fail:
    py_strbuf_free(&b);
    return NULL;
}

ft_object *py_str_repr(ft_object *s) { return repr_impl(s, false); }
ft_object *py_str_ascii_repr(ft_object *s) { return repr_impl(s, true); }

/* ---- join ---------------------------------------------------------------------- */

ft_object *py_str_join(ft_object *sep, ft_object *iterable)
{
    ft_object *sep_s = py_str_unbox_borrow(sep);
    if (!sep_s)
        return descr_error("join", sep);
    sv vs;
    sv_of(sep_s, &vs);
    /* A tuple is joined in place, a list through a snapshot (one locked
     * copy; items read once), anything else is collected first. */
    ft_object *seq;
    if (iterable->ob_type == &ft_tuple_type) {
        seq = ft_newref(iterable);
    } else if (iterable->ob_type == &ft_list_type) {
        if (!(seq = ft_list_as_tuple(iterable)))
            return py_err_from_ft();
    } else {
        ft_object *it = py_iter(iterable);
        if (!it) {
            if (py_err_matches(py_exc_TypeError)) {
                py_err_clear();
                return py_err_format(py_exc_TypeError, "can only join an iterable");
            }
            return NULL;
        }
        seq = py_sequence_tuple(it);   /* iterates the iterator made once */
        ft_decref(it);
        if (!seq)
            return NULL;
    }
    ssize_t n = ft_len(seq);
    bool is_tuple = seq->ob_type == &ft_tuple_type;
    if (n == 1 && is_tuple) {
        ft_object *item = ft_tuple_get_borrow(seq, 0);
        if (item->ob_type == &ft_str_type) {
            ft_decref(seq);
            return ft_newref(item);
        }
    }
    (void)is_tuple;   /* seq is always a tuple here */
    /* two passes: check the items and size the result, then copy once */
    size_t total = n > 0 ? (size_t)vs.n * (size_t)(n - 1) : 0;
    for (ssize_t i = 0; i < n; i++) {
        ft_object *item = ft_tuple_get_borrow(seq, i);
        ft_object *s = py_str_unbox_borrow(item);
        if (!s) {
            py_err_format(py_exc_TypeError, "sequence item %zd: expected str instance, %s found",
                          i, py_type_name(item));
            ft_decref(seq);
            return NULL;
        }
        ssize_t sn;
        ft_str_utf8_borrow(s, &sn);
        total += (size_t)sn;
    }
    py_strbuf b;
    py_strbuf_init(&b);
    if (total + 1 > b.cap && strbuf_grow(&b, total + 1) < 0) {
        ft_decref(seq);
        py_strbuf_free(&b);
        return NULL;
    }
    char *out = b.data;
    for (ssize_t i = 0; i < n; i++) {
        if (i > 0 && vs.n) {
            memcpy(out, vs.s, (size_t)vs.n);
            out += vs.n;
        }
        ssize_t sn;
        const char *p = ft_str_utf8_borrow(py_str_unbox_borrow(ft_tuple_get_borrow(seq, i)),
                                           &sn);
        memcpy(out, p, (size_t)sn);
        out += sn;
    }
    b.len = total;
    ft_decref(seq);
    return py_strbuf_finish(&b);
}

static ft_object *str_join(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    if (py_meth_onearg("str", "join", nargs, kwnames) < 0)
        return NULL;
    return py_str_join(self, args[0]);
}

/* ---- Iterator ------------------------------------------------------------------- */

typedef struct str_iter {
    ft_object ob_base;
    ft_object *str;
    ssize_t pos;                 /* byte offset of the next character     */
} str_iter;

ft_object *py_str_iter_new(ft_object *s)
{
    ft_object *str = py_str_unbox_borrow(s);
    if (!str)
        return py_err_format(py_exc_TypeError, "expected str");
    str_iter *it = (str_iter *)ft_object_new(&py_str_iter_class.ft, sizeof(str_iter));
    if (!it)
        return py_err_from_ft();
    it->str = ft_newref(str);
    it->pos = 0;
    return &it->ob_base;
}

static ft_object *str_iter_slot(ft_object *s) { return py_str_iter_new(s); }

/* The iterator keeps its str until it dies and moves `pos` with relaxed
 * atomics: threads sharing one iterator (nogil) may see characters twice
 * or not at all, as in CPython, but never a freed str or a position
 * inside a character (every store is a boundary plus a character). */
static ft_object *str_iter_next(ft_object *o)
{
    str_iter *it = (str_iter *)o;
    ssize_t n;
    const char *p = ft_str_utf8_borrow(it->str, &n);
    ssize_t pos = __atomic_load_n(&it->pos, __ATOMIC_RELAXED);
    if (pos >= n)
        return NULL;
    int k = u8len((unsigned char)p[pos]);
    __atomic_store_n(&it->pos, pos + k, __ATOMIC_RELAXED);
    return mkstr(p + pos, k);
}

static ft_object *str_iter_self(ft_object *o) { return ft_newref(o); }

static void str_iter_dealloc(ft_object *o)
{
    str_iter *it = (str_iter *)o;
    ft_decref(it->str);
    ft_object_free(o);
}

static ft_object *str_iter_length_hint(ft_object *self, ft_object *const *args,
                                       size_t nargs, ft_object *kwnames)
{
    (void)args;
    if (py_meth_noargs(py_type_name(self), "__length_hint__", nargs, kwnames) < 0)
        return NULL;
    str_iter *it = (str_iter *)self;
    ssize_t n;
    const char *p = ft_str_utf8_borrow(it->str, &n);
    ssize_t pos = __atomic_load_n(&it->pos, __ATOMIC_RELAXED);
    return ft_int_from_i64(pos >= n ? 0 : u8count(p + pos, n - pos));
}

static const py_method_def str_iter_methods[] = {
    {"__length_hint__", str_iter_length_hint, PY_METH_DEFAULT},
    {NULL, NULL, 0},
};

py_type py_str_iter_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "str_iterator",
        .tp_basicsize = sizeof(str_iter),
        .tp_flags = PY_TPFLAGS_PYTYPE,
        .tp_dealloc = str_iter_dealloc,
    },
    .tp_iter = str_iter_self,
    .tp_iternext = str_iter_next,
    .tp_methods = str_iter_methods,
};

/* ---- Spans: (start, end) byte pairs collected before a list is built ---------- */

typedef struct spans {
    ssize_t *v;
    size_t n, cap;
    ssize_t small[32];
} spans;

static void spans_init(spans *s) { s->v = s->small; s->n = 0; s->cap = 32; }
static void spans_free(spans *s) { if (s->v != s->small) free(s->v); }

static int spans_add(spans *s, ssize_t a, ssize_t b)
{
    if (s->n + 2 > s->cap) {
        size_t cap = s->cap * 2;
        ssize_t *p = s->v == s->small ? malloc(cap * sizeof *p)
                                      : realloc(s->v, cap * sizeof *p);
        if (!p) {
            py_err_nomemory();
            return -1;
        }
        if (s->v == s->small)
            memcpy(p, s->small, sizeof s->small);
        s->v = p;
        s->cap = cap;
    }
    s->v[s->n++] = a;
    s->v[s->n++] = b;
    return 0;
}

/* The list of the spans' substrings of `whole` (its view v), in order or
 * reversed; a span covering all of v is whole itself. Frees the spans. */
static ft_object *spans_to_list(spans *s, ft_object *whole, const sv *v, bool reversed)
{
    ft_object *list = ft_list_new(0);
    if (!list) {
        spans_free(s);
        return py_err_from_ft();
    }
    size_t count = s->n / 2;
    for (size_t k = 0; k < count; k++) {
        size_t i = reversed ? count - 1 - k : k;
        ssize_t a = s->v[2 * i], b = s->v[2 * i + 1];
        ft_object *item = a == 0 && b == v->n ? ft_newref(whole) : sv_substr(v, a, b);
        if (!item)
            goto fail;
        int rc = ft_list_append(list, item);
        ft_decref(item);
        if (rc < 0) {
            py_err_from_ft();
            goto fail;
        }
    }
    spans_free(s);
    return list;
fail:
    spans_free(s);
    ft_decref(list);
    return NULL;
}

/* ---- find, index, count, startswith ----------------------------------------------- */

/* find/rfind/index/rindex: the code-point index or -1; -2 on error. */
static ssize_t find_common(const char *name, ft_object *self, ft_object *const *args,
                           size_t nargs, ft_object *kwnames, bool reverse)
{
    ft_object *s = py_str_unbox_borrow(self);
    if (!s) {
        descr_error(name, self);
        return -2;
    }
    if (py_meth_findargs("str", name, nargs, kwnames, 1, 3) < 0)
        return -2;
    sv v, sub;
    sv_of(s, &v);
    ssize_t start, end;
    if (arg_str(args[0], &sub) < 0 || parse_start_end(args, nargs, 1, &start, &end) < 0)
        return -2;
    adjust_indices(&start, &end, v.len);
    if (end - start < sub.len)
        return -1;
    ssize_t b0 = sv_offset(&v, start), b1 = sv_offset(&v, end);
    ssize_t k = reverse ? brfind(v.s + b0, b1 - b0, sub.s, sub.n)
                        : bfind(v.s + b0, b1 - b0, sub.s, sub.n);
    return k < 0 ? -1 : sv_index(&v, b0 + k);
}

static ft_object *find_result(ssize_t r, bool raise)
{
    if (r == -2)
        return NULL;
    if (r == -1 && raise)
        return py_err_format(py_exc_ValueError, "substring not found");
    return ft_int_from_i64(r);
}

#define FIND_METHOD(fn, name, reverse, raise)                                  \
    static ft_object *fn(ft_object *self, ft_object *const *args, size_t nargs, \
                         ft_object *kwnames)                                   \
    {                                                                          \
        return find_result(find_common(name, self, args, nargs, kwnames, reverse), raise); \
    }
FIND_METHOD(str_find, "find", false, false)
FIND_METHOD(str_rfind, "rfind", true, false)
FIND_METHOD(str_index, "index", false, true)
FIND_METHOD(str_rindex, "rindex", true, true)

static ft_object *str_count(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    STR_SELF("count");
    if (py_meth_findargs("str", "count", nargs, kwnames, 1, 3) < 0)
        return NULL;
    sv sub;
    ssize_t start, end;
    if (arg_str(args[0], &sub) < 0 || parse_start_end(args, nargs, 1, &start, &end) < 0)
        return NULL;
    adjust_indices(&start, &end, v.len);
    if (end - start < sub.len)
        return ft_int_from_i64(0);
    if (sub.n == 0)
        return ft_int_from_i64(end - start + 1);
    ssize_t b0 = sv_offset(&v, start), b1 = sv_offset(&v, end);
    return ft_int_from_i64(bcount(v.s + b0, b1 - b0, sub.s, sub.n, PTRDIFF_MAX));
}

/* Does v[start:end] start (or end) with sub? */
static bool tailmatch(const sv *v, const sv *sub, ssize_t start, ssize_t end, bool at_end)
{
    adjust_indices(&start, &end, v->len);
    if (end - start < sub->len)
        return false;
    ssize_t b0 = sv_offset(v, start), b1 = sv_offset(v, end);
    if (b1 - b0 < sub->n)
        return false;
    const char *p = at_end ? v->s + b1 - sub->n : v->s + b0;
    return memcmp(p, sub->s, (size_t)sub->n) == 0;
}

static ft_object *startswith_common(const char *name, ft_object *self,
                                    ft_object *const *args, size_t nargs,
                                    ft_object *kwnames, bool at_end)
{
    STR_SELF(name);
    if (py_meth_findargs("str", name, nargs, kwnames, 1, 3) < 0)
        return NULL;
    ssize_t start, end;
    if (parse_start_end(args, nargs, 1, &start, &end) < 0)
        return NULL;
    ft_object *arg = args[0];
    sv sub;
    if (arg->ob_type == &ft_tuple_type) {
        ssize_t n = ft_len(arg);
        for (ssize_t i = 0; i < n; i++) {
            ft_object *item = ft_tuple_get_borrow(arg, i);
            ft_object *is = py_str_unbox_borrow(item);
            if (!is)
                return py_err_format(py_exc_TypeError,
                                     "tuple for %s must only contain str, not %s", name,
                                     py_type_name(item));
            sv_of(is, &sub);
            if (tailmatch(&v, &sub, start, end, at_end))
                return py_bool_new(true);
        }
        return py_bool_new(false);
    }
    ft_object *as = py_str_unbox_borrow(arg);
    if (!as)
        return py_err_format(py_exc_TypeError,
                             "%s first arg must be str or a tuple of str, not %s", name,
                             py_type_name(arg));
    sv_of(as, &sub);
    return py_bool_new(tailmatch(&v, &sub, start, end, at_end));
}

static ft_object *str_startswith(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    return startswith_common("startswith", self, args, nargs, kwnames, false);
}

static ft_object *str_endswith(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    return startswith_common("endswith", self, args, nargs, kwnames, true);
}

/* ---- split, rsplit, splitlines, partition ------------------------------------------ */

/* The code point at byte i and whether it is white space; *k its length. */
static inline bool space_at(const char *s, ssize_t i, int *k)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *k = 1;
        return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    }
    uint32_t cp;
    *k = py_utf8_next(s + i, &cp);
    return py_unicode_isspace(cp);
}

/* The start of the character that ends at byte i (exclusive). */
static inline ssize_t prev_char(const char *s, ssize_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    return i;
}

static inline bool space_before(const char *s, ssize_t i, ssize_t *start)
{
    *start = prev_char(s, i);
    int k;
    return space_at(s, *start, &k);
}

/* sep: a str or None ("must be str or None, not int"); maxsplit. */
static int parse_split_args(const char *name, ft_object *const *args, size_t nargs,
                            ft_object *kwnames, ft_object **sep, ssize_t *maxsplit)
{
    ft_object *out[2] = { NULL, NULL };
    if (nargs <= 2 && !py_has_kwargs(kwnames)) {
        /* positional only (the common case): no binding needed */
        out[0] = nargs > 0 ? args[0] : NULL;
        out[1] = nargs > 1 ? args[1] : NULL;
    } else if (py_bind_args(name, args, nargs, kwnames, "|,sep,maxsplit", out) < 0) {
        return -1;
    }
    *sep = NULL;
    *maxsplit = -1;
    if (out[0] && out[0] != ft_none()) {
        *sep = py_str_unbox_borrow(out[0]);
        if (!*sep)
            return py_err_format_int(py_exc_TypeError, "must be str or None, not %s",
                                     py_type_name(out[0]));
    }
    if (out[1] && arg_ssize(out[1], maxsplit) < 0)
        return -1;
    if (*maxsplit < 0)
        *maxsplit = PTRDIFF_MAX;
    return 0;
}

static ft_object *split_common(const char *name, ft_object *self, ft_object *const *args,
                               size_t nargs, ft_object *kwnames, bool reverse)
{
    STR_SELF(name);
    ft_object *sep;
    ssize_t maxsplit;
    if (parse_split_args(name, args, nargs, kwnames, &sep, &maxsplit) < 0)
        return NULL;
    spans sp;
    spans_init(&sp);
    const char *s = v.s;
    ssize_t n = v.n;
    int k;
    if (!sep && !reverse) {
        ssize_t i = 0;
        while (maxsplit-- > 0) {
            while (i < n && space_at(s, i, &k))
                i += k;
            if (i == n)
                break;
            ssize_t j = i;
            while (i < n && !space_at(s, i, &k))
                i += k;
            if (spans_add(&sp, j, i) < 0)
                goto fail;
        }
        if (i < n) {
            while (i < n && space_at(s, i, &k))
                i += k;
            if (i != n && spans_add(&sp, i, n) < 0)
                goto fail;
        }
        return spans_to_list(&sp, self_str, &v, false);
    }
    if (!sep) {
        ssize_t i = n, p;
        while (maxsplit-- > 0) {
            while (i > 0 && space_before(s, i, &p))
                i = p;
            if (i == 0)
                break;
            ssize_t j = i;
            while (i > 0 && !space_before(s, i, &p))
                i = p;
            if (spans_add(&sp, i, j) < 0)
                goto fail;
        }
        if (i > 0) {
            while (i > 0 && space_before(s, i, &p))
                i = p;
            if (i != 0 && spans_add(&sp, 0, i) < 0)
                goto fail;
        }
        return spans_to_list(&sp, self_str, &v, true);
    }
    sv vs;
    sv_of(sep, &vs);
    if (vs.n == 0) {
        spans_free(&sp);
        return py_err_format(py_exc_ValueError, "empty separator");
    }
    if (!reverse) {
        ssize_t i = 0;
        while (maxsplit-- > 0) {
            ssize_t f = bfind(s + i, n - i, vs.s, vs.n);
            if (f < 0)
                break;
            if (spans_add(&sp, i, i + f) < 0)
                goto fail;
            i += f + vs.n;
        }
        if (spans_add(&sp, i, n) < 0)
            goto fail;
        return spans_to_list(&sp, self_str, &v, false);
    }
    ssize_t j = n;
    while (maxsplit-- > 0) {
        ssize_t f = brfind(s, j, vs.s, vs.n);
        if (f < 0)
            break;
        if (spans_add(&sp, f + vs.n, j) < 0)
            goto fail;
        j = f;
    }
    if (spans_add(&sp, 0, j) < 0)
        goto fail;
    return spans_to_list(&sp, self_str, &v, true);
fail:
    spans_free(&sp);
    return NULL;
}

static ft_object *str_split(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    return split_common("split", self, args, nargs, kwnames, false);
}

static ft_object *str_rsplit(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    return split_common("rsplit", self, args, nargs, kwnames, true);
}

/* Length of the line break at byte i, 0 when there is none. */
static int linebreak_at(const char *s, ssize_t n, ssize_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1C && c <= 0x1E))
        return 1;
    if (c == '\r')
        return i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85)
        return 2;
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9))
        return 3;
    return 0;
}

static ft_object *str_splitlines(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    STR_SELF("splitlines");
    ft_object *out[1] = { NULL };
    if (py_bind_args("splitlines", args, nargs, kwnames, "|,keepends", out) < 0)
        return NULL;
    int keep = 0;
    if (out[0] && (keep = py_is_true(out[0])) < 0)
        return NULL;
    spans sp;
    spans_init(&sp);
    ssize_t i = 0, n = v.n;
    while (i < n) {
        ssize_t j = i;
        int brk = 0;
        while (j < n && !(brk = linebreak_at(v.s, n, j)))
            j++;
        ssize_t eol = j + brk;
        if (spans_add(&sp, i, keep ? eol : j) < 0) {
            spans_free(&sp);
            return NULL;
        }
        i = eol;
    }
    return spans_to_list(&sp, self_str, &v, false);
}

static ft_object *partition_common(const char *name, ft_object *self, ft_object *const *args,
                                   size_t nargs, ft_object *kwnames, bool reverse)
{
    STR_SELF(name);
    if (py_meth_onearg("str", name, nargs, kwnames) < 0)
        return NULL;
    sv sep;
    if (arg_str(args[0], &sep) < 0)
        return NULL;
    if (sep.n == 0)
        return py_err_format(py_exc_ValueError, "empty separator");
    ssize_t f = reverse ? brfind(v.s, v.n, sep.s, sep.n) : bfind(v.s, v.n, sep.s, sep.n);
    ft_object *t = ft_tuple_new(3);
    if (!t)
        return py_err_from_ft();
    ft_object *a, *b, *c;
    if (f < 0) {
        ft_object *e = mkstr("", 0);
        a = reverse ? e : ft_newref(self_str);
        b = ft_newref(e);
        c = reverse ? ft_newref(self_str) : ft_newref(e);
    } else {
        a = sv_substr(&v, 0, f);
        b = ft_newref(py_str_unbox_borrow(args[0]));
        c = sv_substr(&v, f + sep.n, v.n);
    }
    ft_tuple_set_steal(t, 0, a);
    ft_tuple_set_steal(t, 1, b);
    ft_tuple_set_steal(t, 2, c);
    return t;
}

static ft_object *str_partition(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    return partition_common("partition", self, args, nargs, kwnames, false);
}

static ft_object *str_rpartition(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    return partition_common("rpartition", self, args, nargs, kwnames, true);
}

/* ---- strip ------------------------------------------------------------------------- */

enum { STRIP_LEFT = 1, STRIP_RIGHT = 2, STRIP_BOTH = 3 };

/* The set of characters to strip: ASCII in a table, others in a list. */
typedef struct charset {
    bool ascii[128];
    const sv *chars;             /* NULL: white space                     */
    bool all_ascii;
} charset;

static bool charset_has(const charset *cs, uint32_t cp)
{
    if (!cs->chars)
        return py_unicode_isspace(cp);
    if (cp < 0x80)
        return cs->ascii[cp];
    if (cs->all_ascii)
        return false;
    for (ssize_t i = 0; i < cs->chars->n;) {
        uint32_t c;
        i += py_utf8_next(cs->chars->s + i, &c);
        if (c == cp)
            return true;
    }
    return false;
}

static ft_object *strip_common(const char *name, ft_object *self, ft_object *const *args,
                               size_t nargs, ft_object *kwnames, int where)
{
    STR_SELF(name);
    if (py_meth_clinic("str", name, nargs, kwnames, 0, 1) < 0)
        return NULL;
    charset cs;
    sv chars;
    cs.chars = NULL;
    if (nargs == 1 && args[0] != ft_none()) {
        ft_object *c = py_str_unbox_borrow(args[0]);
        if (!c)
            return py_err_format(py_exc_TypeError, "%s arg must be None or str", name);
        sv_of(c, &chars);
        cs.chars = &chars;
        cs.all_ascii = sv_ascii(&chars);
        memset(cs.ascii, 0, sizeof cs.ascii);
        for (ssize_t i = 0; i < chars.n; i++)
            if ((unsigned char)chars.s[i] < 0x80)
                cs.ascii[(unsigned char)chars.s[i]] = true;
    }
    ssize_t i = 0, j = v.n;
    if (where & STRIP_LEFT) {
        while (i < j) {
            uint32_t cp;
            int k = py_utf8_next(v.s + i, &cp);
            if (!charset_has(&cs, cp))
                break;
            i += k;
        }
    }
    if (where & STRIP_RIGHT) {
        while (j > i) {
            ssize_t p = prev_char(v.s, j);
            uint32_t cp;
            py_utf8_next(v.s + p, &cp);
            if (!charset_has(&cs, cp))
                break;
            j = p;
        }
    }
    if (i == 0 && j == v.n)
        return ft_newref(self_str);
    return sv_substr(&v, i, j);
}

#define STRIP_METHOD(fn, name, where)                                          \
    static ft_object *fn(ft_object *self, ft_object *const *args, size_t nargs, \
                         ft_object *kwnames)                                   \
    {                                                                          \
        return strip_common(name, self, args, nargs, kwnames, where);          \
    }
STRIP_METHOD(str_strip, "strip", STRIP_BOTH)
STRIP_METHOD(str_lstrip, "lstrip", STRIP_LEFT)
STRIP_METHOD(str_rstrip, "rstrip", STRIP_RIGHT)

static ft_object *str_removeprefix(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    STR_SELF("removeprefix");
    if (py_meth_onearg("str", "removeprefix", nargs, kwnames) < 0)
        return NULL;
    ft_object *p = py_str_unbox_borrow(args[0]);
    if (!p)
        return py_err_format(py_exc_TypeError, "removeprefix() argument must be str, not %s",
                             py_type_name(args[0]));
    sv pv;
    sv_of(p, &pv);
    if (pv.n > 0 && pv.n <= v.n && memcmp(v.s, pv.s, (size_t)pv.n) == 0)
        return sv_substr(&v, pv.n, v.n);
    return ft_newref(self_str);
}

static ft_object *str_removesuffix(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    STR_SELF("removesuffix");
    if (py_meth_onearg("str", "removesuffix", nargs, kwnames) < 0)
        return NULL;
    ft_object *p = py_str_unbox_borrow(args[0]);
    if (!p)
        return py_err_format(py_exc_TypeError, "removesuffix() argument must be str, not %s",
                             py_type_name(args[0]));
    sv pv;
    sv_of(p, &pv);
    if (pv.n > 0 && pv.n <= v.n && memcmp(v.s + v.n - pv.n, pv.s, (size_t)pv.n) == 0)
        return sv_substr(&v, 0, v.n - pv.n);
    return ft_newref(self_str);
}

/* ---- replace ------------------------------------------------------------------------ */

static ft_object *str_replace(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    STR_SELF("replace");
    if (py_meth_clinic("str", "replace", nargs, kwnames, 2, 3) < 0)
        return NULL;
    ft_object *o = py_str_unbox_borrow(args[0]), *w = py_str_unbox_borrow(args[1]);
    if (!o || !w)
        return py_err_format(py_exc_TypeError, "replace() argument %d must be str, not %s",
                             o ? 2 : 1, py_type_name(o ? args[1] : args[0]));
    ssize_t count = -1;
    if (nargs == 3 && arg_ssize(args[2], &count) < 0)
        return NULL;
    if (count < 0)
        count = PTRDIFF_MAX;
    sv ov, nv;
    sv_of(o, &ov);
    sv_of(w, &nv);
    if (count == 0 || (ov.n == 0 && nv.n == 0) || ov.len > v.len)
        return ft_newref(self_str);
    py_strbuf b;
    py_strbuf_init(&b);
    if (ov.n == 0) {
        /* new before every character and at the end */
        ssize_t i = 0;
        for (ssize_t done = 0; done < count && i <= v.n; done++) {
            if (py_strbuf_append(&b, nv.s, (size_t)nv.n) < 0)
                goto fail;
            if (i == v.n) {
                i++;
                break;
            }
            int k = u8len((unsigned char)v.s[i]);
            if (py_strbuf_append(&b, v.s + i, (size_t)k) < 0)
                goto fail;
            i += k;
        }
        if (i < v.n && py_strbuf_append(&b, v.s + i, (size_t)(v.n - i)) < 0)
            goto fail;
        return py_strbuf_finish(&b);
    }
    ssize_t i = 0, done = 0;
    while (done < count) {
        ssize_t f = bfind(v.s + i, v.n - i, ov.s, ov.n);
        if (f < 0)
            break;
        if (py_strbuf_append(&b, v.s + i, (size_t)f) < 0 ||
            py_strbuf_append(&b, nv.s, (size_t)nv.n) < 0)
            goto fail;
        i += f + ov.n;
        done++;
    }
    if (done == 0) {
        py_strbuf_free(&b);
        return ft_newref(self_str);
    }
    if (py_strbuf_append(&b, v.s + i, (size_t)(v.n - i)) < 0)
        goto fail;
    return py_strbuf_finish(&b);
fail:
    py_strbuf_free(&b);
    return NULL;
}

/* ---- Padding ------------------------------------------------------------------------ */

static int parse_fill(const char *name, ft_object *const *args, size_t nargs,
                      ft_object *kwnames, ssize_t *width, uint32_t *fill)
{
    if (py_meth_clinic("str", name, nargs, kwnames, 1, 2) < 0)
        return -1;
    if (arg_ssize(args[0], width) < 0)
        return -1;
    *fill = ' ';
    if (nargs == 2) {
        ft_object *f = py_str_unbox_borrow(args[1]);
        if (!f)
            return py_err_format_int(py_exc_TypeError,
                                     "The fill character must be a unicode character, not %s",
                                     py_type_name(args[1]));
        if (ft_len(f) != 1)
            return py_err_format_int(py_exc_TypeError,
                                     "The fill character must be exactly one character long");
        py_utf8_next(ft_str_utf8_borrow(f, NULL), fill);
    }
    return 0;
}

static ft_object *pad(ft_object *s, const sv *v, ssize_t left, ssize_t right, uint32_t fill)
{
    if (left <= 0 && right <= 0)
        return ft_newref(s);
    py_strbuf b;
    py_strbuf_init(&b);
    if (py_strbuf_fill(&b, fill, left) < 0 || py_strbuf_append(&b, v->s, (size_t)v->n) < 0 ||
        py_strbuf_fill(&b, fill, right) < 0) {
        py_strbuf_free(&b);
        return NULL;
    }
    return py_strbuf_finish(&b);
}

static ft_object *str_center(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    STR_SELF("center");
    ssize_t width;
    uint32_t fill;
    if (parse_fill("center", args, nargs, kwnames, &width, &fill) < 0)
        return NULL;
    if (width <= v.len)
        return ft_newref(self_str);
    ssize_t marg = width - v.len;
    ssize_t left = marg / 2 + (marg & width & 1);
    return pad(self_str, &v, left, marg - left, fill);
}

static ft_object *str_ljust(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    STR_SELF("ljust");
    ssize_t width;
    uint32_t fill;
    if (parse_fill("ljust", args, nargs, kwnames, &width, &fill) < 0)
        return NULL;
    return pad(self_str, &v, 0, width - v.len, fill);
}

static ft_object *str_rjust(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    STR_SELF("rjust");
    ssize_t width;
    uint32_t fill;
    if (parse_fill("rjust", args, nargs, kwnames, &width, &fill) < 0)
        return NULL;
    return pad(self_str, &v, width - v.len, 0, fill);
}

static ft_object *str_zfill(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    STR_SELF("zfill");
    if (py_meth_onearg("str", "zfill", nargs, kwnames) < 0)
        return NULL;
    ssize_t width;
    if (arg_ssize(args[0], &width) < 0)
        return NULL;
    if (width <= v.len)
        return ft_newref(self_str);
    py_strbuf b;
    py_strbuf_init(&b);
    ssize_t skip = v.n > 0 && (v.s[0] == '+' || v.s[0] == '-');
    if (py_strbuf_append(&b, v.s, (size_t)skip) < 0 ||
        py_strbuf_fill(&b, '0', width - v.len) < 0 ||
        py_strbuf_append(&b, v.s + skip, (size_t)(v.n - skip)) < 0) {
        py_strbuf_free(&b);
        return NULL;
    }
    return py_strbuf_finish(&b);
}

static ft_object *str_expandtabs(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    STR_SELF("expandtabs");
    ft_object *out[1] = { NULL };
    if (py_bind_args("expandtabs", args, nargs, kwnames, "|,tabsize", out) < 0)
        return NULL;
    ssize_t tabsize = 8;
    if (out[0] && arg_ssize(out[0], &tabsize) < 0)
        return NULL;
    if (!memchr(v.s, '\t', (size_t)v.n))
        return ft_newref(self_str);
    py_strbuf b;
    py_strbuf_init(&b);
    ssize_t col = 0;
    for (ssize_t i = 0; i < v.n;) {
        unsigned char c = (unsigned char)v.s[i];
        int k = u8len(c);
        int rc;
        if (c == '\t') {
            if (tabsize > 0) {
                ssize_t incr = tabsize - col % tabsize;
                col += incr;
                rc = py_strbuf_fill(&b, ' ', incr);
            } else {
                rc = 0;
            }
        } else {
            col = c == '\n' || c == '\r' ? 0 : col + 1;
            rc = py_strbuf_append(&b, v.s + i, (size_t)k);
        }
        if (rc < 0) {
            py_strbuf_free(&b);
            return NULL;
        }
        i += k;
    }
    return py_strbuf_finish(&b);
}

/* ---- Case ---------------------------------------------------------------------------- */

static int put_mapped(py_strbuf *b, uint32_t cp, int kind)
{
    uint32_t out[3];
    int n = case_map(cp, kind, out);
    for (int i = 0; i < n; i++)
        if (py_strbuf_putc(b, out[i]) < 0)
            return -1;
    return 0;
}

/* Final sigma (Unicode 3.13 Final_Sigma): a capital sigma lowercases to
 * 'ς' when a cased letter precedes it and none follows (ignoring
 * case-ignorable characters); v.s[i] is the sigma, k its length. */
static uint32_t lower_sigma(const sv *v, ssize_t i, int k)
{
    ssize_t j = i;
    bool before = false;
    while (j > 0) {
        j = prev_char(v->s, j);
        uint32_t c;
        py_utf8_next(v->s + j, &c);
        if (uc_case_ignorable(c))
            continue;
        before = uc_iscased(c);
        break;
    }
    if (!before)
        return 0x3C3;
    for (j = i + k; j < v->n;) {
        uint32_t c;
        j += py_utf8_next(v->s + j, &c);
        if (uc_case_ignorable(c))
            continue;
        return uc_iscased(c) ? 0x3C3 : 0x3C2;
    }
    return 0x3C2;
}

static int put_lower(py_strbuf *b, const sv *v, ssize_t i, uint32_t cp, int k)
{
    if (cp == 0x3A3)
        return py_strbuf_putc(b, lower_sigma(v, i, k));
    return put_mapped(b, cp, MAP_LOWER);
}

enum { CASE_UPPER, CASE_LOWER, CASE_FOLD, CASE_SWAP, CASE_TITLE, CASE_CAPITALIZE };

static ft_object *case_convert(ft_object *self, const char *name, ft_object *const *args,
                               size_t nargs, ft_object *kwnames, int how)
{
    (void)args;
    STR_SELF(name);
    if (py_meth_noargs("str", name, nargs, kwnames) < 0)
        return NULL;
    py_strbuf b;
    py_strbuf_init(&b);
    if (sv_ascii(&v) && how <= CASE_SWAP) {
        /* ASCII: byte at a time (casefold is lower for ASCII) */
        if (b.cap < (size_t)v.n + 1 && strbuf_grow(&b, (size_t)v.n + 1) < 0)
            return NULL;
        for (ssize_t i = 0; i < v.n; i++) {
            unsigned char c = (unsigned char)v.s[i];
            bool up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
            if ((how == CASE_UPPER || how == CASE_SWAP) && lo)
                c -= 32;
            else if (how != CASE_UPPER && up)
                c += 32;
            b.data[i] = (char)c;
        }
        b.len = (size_t)v.n;
        return py_strbuf_finish(&b);
    }
    bool prev_cased = false, first = true;
    for (ssize_t i = 0; i < v.n;) {
        uint32_t cp;
        int k = py_utf8_next(v.s + i, &cp);
        int rc;
        switch (how) {
        case CASE_UPPER: rc = put_mapped(&b, cp, MAP_UPPER); break;
        case CASE_LOWER: rc = put_lower(&b, &v, i, cp, k); break;
        case CASE_FOLD:  rc = put_mapped(&b, cp, MAP_FOLD); break;
        case CASE_SWAP:
            if (uc_isupper(cp))
                rc = put_lower(&b, &v, i, cp, k);
            else if (uc_islower(cp))
                rc = put_mapped(&b, cp, MAP_UPPER);
            else
                rc = py_strbuf_putc(&b, cp);
            break;
        case CASE_TITLE:
            rc = prev_cased ? put_lower(&b, &v, i, cp, k) : put_mapped(&b, cp, MAP_TITLE);
            prev_cased = uc_iscased(cp);
            break;
        default: /* capitalize */
            rc = first ? put_mapped(&b, cp, MAP_TITLE) : put_lower(&b, &v, i, cp, k);
            break;
        }
        if (rc < 0) {
            py_strbuf_free(&b);
            return NULL;
        }
        first = false;
        i += k;
    }
    return py_strbuf_finish(&b);
}

#define CASE_METHOD(fn, name, how)                                             \
    static ft_object *fn(ft_object *self, ft_object *const *args, size_t nargs, \
                         ft_object *kwnames)                                   \
    {                                                                          \
        return case_convert(self, name, args, nargs, kwnames, how);            \
    }
CASE_METHOD(str_upper, "upper", CASE_UPPER)
CASE_METHOD(str_lower, "lower", CASE_LOWER)
CASE_METHOD(str_casefold, "casefold", CASE_FOLD)
CASE_METHOD(str_swapcase, "swapcase", CASE_SWAP)
CASE_METHOD(str_title, "title", CASE_TITLE)
CASE_METHOD(str_capitalize, "capitalize", CASE_CAPITALIZE)

/* ---- Predicates ----------------------------------------------------------------------- */

enum { IS_DIGIT, IS_DECIMAL, IS_NUMERIC, IS_ALPHA, IS_ALNUM, IS_SPACE, IS_PRINTABLE,
       IS_ASCII, IS_UPPER, IS_LOWER, IS_TITLE, IS_IDENTIFIER };

static bool char_is(int what, uint32_t cp)
{
    switch (what) {
    case IS_DIGIT:     return py_unicode_isdigit(cp);
    case IS_DECIMAL:   return py_unicode_isdecimal(cp);
    case IS_NUMERIC:   return py_unicode_isnumeric(cp);
    case IS_ALPHA:     return py_unicode_isalpha(cp);
    case IS_ALNUM:     return py_unicode_isalpha(cp) || py_unicode_isdecimal(cp) ||
                              py_unicode_isdigit(cp) || py_unicode_isnumeric(cp);
    case IS_SPACE:     return py_unicode_isspace(cp);
    case IS_PRINTABLE: return py_unicode_isprintable(cp);
    default:           return cp < 0x80;
    }
}

static bool id_start(uint32_t cp)
{
    if (cp < 0x80)
        return cp == '_' || py_unicode_isalpha(cp);
    return py_unicode_isalpha(cp) || (py_unicode_isnumeric(cp) && !py_unicode_isdigit(cp)
                                      && iswalpha_l((wint_t)cp, utf8_locale));
}

static bool id_continue(uint32_t cp)
{
    if (cp < 0x80)
        return cp == '_' || py_unicode_isalpha(cp) || (cp >= '0' && cp <= '9');
    /* letters, digits and the combining marks glibc counts as alphabetic */
    return id_start(cp) || py_unicode_isdecimal(cp) || cp == 0xB7 ||
           (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F) ||
           (iswalpha_l((wint_t)cp, utf8_locale) && py_unicode_isprintable(cp));
}

static ft_object *predicate(ft_object *self, const char *name, size_t nargs,
                            ft_object *kwnames, int what)
{
    STR_SELF(name);
    if (py_meth_noargs("str", name, nargs, kwnames) < 0)
        return NULL;
    if (what == IS_ASCII)
        return py_bool_new(sv_ascii(&v));
    if (v.n == 0)
        return py_bool_new(what == IS_PRINTABLE);
    if (what == IS_UPPER || what == IS_LOWER || what == IS_TITLE) {
        bool cased = false, prev_cased = false;
        for (ssize_t i = 0; i < v.n;) {
            uint32_t cp;
            i += py_utf8_next(v.s + i, &cp);
            bool up = uc_isupper(cp), lo = uc_islower(cp), ti = uc_istitle(cp);
            if (what == IS_UPPER) {
                if (lo || ti)
                    return py_bool_new(false);
                cased |= up;
            } else if (what == IS_LOWER) {
                if (up || ti)
                    return py_bool_new(false);
                cased |= lo;
            } else if (up || ti) {
                if (prev_cased)
                    return py_bool_new(false);
                prev_cased = cased = true;
            } else if (lo) {
                if (!prev_cased)
                    return py_bool_new(false);
                prev_cased = cased = true;
            } else {
                prev_cased = false;
            }
        }
        return py_bool_new(cased);
    }
    if (what == IS_IDENTIFIER) {
        for (ssize_t i = 0; i < v.n;) {
            uint32_t cp;
            ssize_t at = i;
            i += py_utf8_next(v.s + i, &cp);
            if (at == 0 ? !id_start(cp) : !id_continue(cp))
                return py_bool_new(false);
        }
        return py_bool_new(true);
    }
    for (ssize_t i = 0; i < v.n;) {
        uint32_t cp;
        i += py_utf8_next(v.s + i, &cp);
        if (!char_is(what, cp))
            return py_bool_new(false);
    }
    return py_bool_new(true);
}

#define PRED_METHOD(fn, name, what)                                            \
    static ft_object *fn(ft_object *self, ft_object *const *args, size_t nargs, \
                         ft_object *kwnames)                                   \
    {                                                                          \
        (void)args;                                                            \
        return predicate(self, name, nargs, kwnames, what);                    \
    }
PRED_METHOD(str_isdigit, "isdigit", IS_DIGIT)
PRED_METHOD(str_isdecimal, "isdecimal", IS_DECIMAL)
PRED_METHOD(str_isnumeric, "isnumeric", IS_NUMERIC)
PRED_METHOD(str_isalpha, "isalpha", IS_ALPHA)
PRED_METHOD(str_isalnum, "isalnum", IS_ALNUM)
PRED_METHOD(str_isspace, "isspace", IS_SPACE)
PRED_METHOD(str_isprintable, "isprintable", IS_PRINTABLE)
PRED_METHOD(str_isascii, "isascii", IS_ASCII)
PRED_METHOD(str_isupper, "isupper", IS_UPPER)
PRED_METHOD(str_islower, "islower", IS_LOWER)
PRED_METHOD(str_istitle, "istitle", IS_TITLE)
PRED_METHOD(str_isidentifier, "isidentifier", IS_IDENTIFIER)

/* ---- encode, format ------------------------------------------------------------------- */

static int opt_cstr_arg(const char *fname, const char *pname, ft_object *o, const char **out)
{
    if (!o)
        return 0;
    ft_object *s = py_str_unbox_borrow(o);
    if (!s)
        return py_err_format_int(py_exc_TypeError, "%s() argument '%s' must be str, not %s",
                                 fname, pname, py_type_name(o));
    *out = ft_str_utf8_borrow(s, NULL);
    return 0;
}

static ft_object *str_encode(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    STR_SELF("encode");
    (void)v;
    ft_object *out[2] = { NULL, NULL };
    if (py_bind_args("encode", args, nargs, kwnames, "|,encoding,errors", out) < 0)
        return NULL;
    const char *enc = NULL, *errs = NULL;
    if (opt_cstr_arg("encode", "encoding", out[0], &enc) < 0 ||
        opt_cstr_arg("encode", "errors", out[1], &errs) < 0)
        return NULL;
    return py_str_encode(self_str, enc, errs);
}

static ft_object *str_format(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    STR_SELF("format");
    (void)v;
    ft_object *kw = NULL;
    if (kwnames && ft_len(kwnames) > 0) {
        kw = ft_dict_new();
        if (!kw)
            return py_err_from_ft();
        ssize_t nk = ft_len(kwnames);
        for (ssize_t i = 0; i < nk; i++)
            if (ft_dict_set(kw, ft_tuple_get_borrow(kwnames, i), args[nargs + (size_t)i]) < 0) {
                ft_decref(kw);
                return py_err_from_ft();
            }
    }
    ft_object *r = py_str_format_vector(self_str, args, nargs, kw);
    ft_xdecref(kw);
    return r;
}

static ft_object *str_format_map(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    STR_SELF("format_map");
    (void)v;
    if (py_meth_onearg("str", "format_map", nargs, kwnames) < 0)
        return NULL;
    return py_str_format_vector(self_str, NULL, 0, args[0]);
}

/* ---- maketrans, translate -------------------------------------------------------------- */

static ft_object *str_maketrans(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self;
    if (py_meth_clinic("str", "maketrans", nargs, kwnames, 1, 3) < 0)
        return NULL;
    ft_object *d = ft_dict_new();
    if (!d)
        return py_err_from_ft();
    if (nargs == 1) {
        ft_object *x = args[0];
        if (x->ob_type != &ft_dict_type && !py_unbox_borrow(x, &ft_dict_type)) {
            ft_decref(d);
            return py_err_format(py_exc_TypeError,
                                 "if you give only one argument to maketrans it must be a dict");
        }
        x = x->ob_type == &ft_dict_type ? x : py_unbox_borrow(x, &ft_dict_type);
        ssize_t pos = 0;
        ft_object *k, *val;
        while (ft_dict_next(x, &pos, &k, &val) == 1) {
            ft_object *key;
            ft_object *ks = py_str_unbox_borrow(k);
            if (ks) {
                if (ft_len(ks) != 1) {
                    ft_decref(d);
                    return py_err_format(py_exc_ValueError,
                                         "string keys in translate table must be of length 1");
                }
                key = ft_int_from_i64(py_str_char_at(ks, 0));
            } else if (py_long_check(k)) {
                key = ft_newref(k);
            } else {
                ft_decref(d);
                return py_err_format(py_exc_TypeError,
                                     "keys in translate table must be strings or integers");
            }
            int rc = key ? ft_dict_set(d, key, val) : -1;
            ft_xdecref(key);
            if (rc < 0) {
                ft_decref(d);
                return py_err_from_ft();
            }
        }
        return d;
    }
    sv x, y;
    ft_object *xs = py_str_unbox_borrow(args[0]), *ys = py_str_unbox_borrow(args[1]);
    /* CPython's order: y and z are typed by Argument Clinic, x after */
    ft_object *zs0 = nargs == 3 ? py_str_unbox_borrow(args[2]) : NULL;
    if (!ys || (nargs == 3 && !zs0)) {
        ft_decref(d);
        return py_err_format(py_exc_TypeError, "maketrans() argument %d must be str, not %s",
                             ys ? 3 : 2, py_type_name(ys ? args[2] : args[1]));
    }
    if (!xs) {
        ft_decref(d);
        return py_err_format(py_exc_TypeError, "first maketrans argument must be a string "
                             "if there is a second argument");
    }
    sv_of(xs, &x);
    sv_of(ys, &y);
    if (x.len != y.len) {
        ft_decref(d);
        return py_err_format(py_exc_ValueError,
                             "the first two maketrans arguments must have equal length");
    }
    for (ssize_t i = 0, j = 0; i < x.n;) {
        uint32_t a, b;
        i += py_utf8_next(x.s + i, &a);
        j += py_utf8_next(y.s + j, &b);
        ft_object *ka = ft_int_from_i64(a), *kb = ft_int_from_i64(b);
        int rc = ka && kb ? ft_dict_set(d, ka, kb) : -1;
        ft_xdecref(ka);
        ft_xdecref(kb);
        if (rc < 0) {
            ft_decref(d);
            return py_err_from_ft();
        }
    }
    if (nargs == 3) {
        ft_object *zs = py_str_unbox_borrow(args[2]);
        if (!zs) {
            ft_decref(d);
            return py_err_format(py_exc_TypeError, "maketrans() argument 3 must be str, not %s",
                                 py_type_name(args[2]));
        }
        sv z;
        sv_of(zs, &z);
        for (ssize_t i = 0; i < z.n;) {
            uint32_t a;
            i += py_utf8_next(z.s + i, &a);
            ft_object *ka = ft_int_from_i64(a);
            int rc = ka ? ft_dict_set(d, ka, ft_none()) : -1;
            ft_xdecref(ka);
            if (rc < 0) {
                ft_decref(d);
                return py_err_from_ft();
            }
        }
    }
    return d;
}

static ft_object *str_translate(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    STR_SELF("translate");
    if (py_meth_onearg("str", "translate", nargs, kwnames) < 0)
        return NULL;
    ft_object *table = args[0];
    py_strbuf b;
    py_strbuf_init(&b);
    for (ssize_t i = 0; i < v.n;) {
        uint32_t cp;
        int k = py_utf8_next(v.s + i, &cp);
        ft_object *key = ft_int_from_i64(cp);
        if (!key)
            goto fail_ft;
        ft_object *r = py_getitem(table, key);
        ft_decref(key);
        int rc = 0;
        if (!r) {
            if (!py_err_matches(py_exc_LookupError))
                goto fail;
            py_err_clear();
            rc = py_strbuf_append(&b, v.s + i, (size_t)k);
        } else if (r == ft_none()) {
            /* deleted */
        } else if (py_long_check(r)) {
            int64_t c;
            if (py_long_as_i64(r, &c) < 0 || c < 0 || c > 0x10FFFF) {
                ft_decref(r);
                if (!py_err_occurred() || py_err_matches(py_exc_OverflowError)) {
                    py_err_clear();
                    py_err_format(py_exc_ValueError,
                                  "character mapping must be in range(0x110000)");
                }
                goto fail;
            }
            rc = py_strbuf_putc(&b, (uint32_t)c);
        } else if (py_str_check(r)) {
            rc = py_strbuf_append_str(&b, py_str_unbox_borrow(r));
        } else {
            ft_decref(r);
            py_err_format(py_exc_TypeError, "character mapping must return integer, None or str");
            goto fail;
        }
        ft_xdecref(r);
        if (rc < 0)
            goto fail;
        i += k;
    }
    return py_strbuf_finish(&b);
fail_ft:
    py_err_from_ft();
fail:
    py_strbuf_free(&b);
    return NULL;
}

/* ---- Construction ------------------------------------------------------------------------ */

/* Only ever called with cls == str: typeobject.c boxes the result for
 * subclasses. */
static ft_object *str_new(py_type *cls, ft_object *const *args, size_t nargs,
                          ft_object *kwnames)
{
    (void)cls;
    ft_object *out[3] = { NULL, NULL, NULL };
    if (nargs == 1 && !py_has_kwargs(kwnames)) {
        /* str(x): the hot case, without binding; exact numbers directly */
        ft_object *o = args[0];
        if (o->ob_type == &ft_str_type)
            return ft_newref(o);
        if (o->ob_type == &ft_int_type)
            return py_long_to_decimal(o);
        if (o->ob_type == &ft_float_type)
            return _py_float_repr(o);
        out[0] = o;
    } else if (py_bind_args("str", args, nargs, kwnames, "|,object,encoding,errors",
                            out) < 0) {
        return NULL;
    }
    ft_object *value;
    if (!out[0]) {
        value = mkstr("", 0);
    } else if (!out[1] && !out[2]) {
        value = py_str(out[0]);
    } else {
        const char *enc = NULL, *errs = NULL;
        if (opt_cstr_arg("str", "encoding", out[1], &enc) < 0 ||
            opt_cstr_arg("str", "errors", out[2], &errs) < 0)
            return NULL;
        if (py_str_check(out[0]))
            return py_err_format(py_exc_TypeError, "decoding str is not supported");
        ft_object *bytes = py_bytes_like_ref(out[0]);
        if (!bytes)
            return py_err_occurred() ? NULL
                   : py_err_format(py_exc_TypeError,
                                   "decoding to str: need a bytes-like object, %s found",
                                   py_type_name(out[0]));
        ssize_t n;
        const char *data = py_bytes_data(bytes, &n);
        value = py_bytes_decode(data, n, enc, errs);
        ft_decref(bytes);
    }
    /* str(x) may give a str subclass instance: str() itself is exact */
    ft_object *exact = value ? py_str_unbox_borrow(value) : NULL;
    if (exact && exact != value) {
        exact = ft_newref(exact);
        ft_decref(value);
        value = exact;
    }
    return value;
}

static ft_object *str_repr_slot(ft_object *o) { return py_str_repr(o); }

static ft_object *str_format_method(ft_object *self, ft_object *const *args, size_t nargs,
                                    ft_object *kwnames)
{
    STR_SELF("__format__");
    (void)v;
    if (py_meth_onearg("str", "__format__", nargs, kwnames) < 0)
        return NULL;
    if (!py_str_check(args[0]))
        return py_err_format(py_exc_TypeError, "__format__() argument must be str, not %s",
                             py_type_name(args[0]));
    /* an exact str: py_format formats it itself (format.c) */
    return py_format(self_str, args[0]);
}

static ft_object *str_getnewargs(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)args;
    STR_SELF("__getnewargs__");
    (void)v;
    if (py_meth_noargs("str", "__getnewargs__", nargs, kwnames) < 0)
        return NULL;
    ft_object *t = ft_tuple_new(1);
    if (!t)
        return py_err_from_ft();
    ft_tuple_set_steal(t, 0, ft_newref(self_str));
    return t;
}

static ft_object *str_sizeof(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)args;
    STR_SELF("__sizeof__");
    (void)v;
    if (py_meth_noargs("str", "__sizeof__", nargs, kwnames) < 0)
        return NULL;
    return ft_int_from_i64((int64_t)ft_sizeof(self_str));
}

static const py_method_def str_methods[] = {
    {"capitalize", str_capitalize, PY_METH_DEFAULT},
    {"casefold", str_casefold, PY_METH_DEFAULT},
    {"center", str_center, PY_METH_DEFAULT},
    {"count", str_count, PY_METH_DEFAULT},
    {"encode", str_encode, PY_METH_DEFAULT},
    {"endswith", str_endswith, PY_METH_DEFAULT},
    {"expandtabs", str_expandtabs, PY_METH_DEFAULT},
    {"find", str_find, PY_METH_DEFAULT},
    {"format", str_format, PY_METH_DEFAULT},
    {"format_map", str_format_map, PY_METH_DEFAULT},
    {"index", str_index, PY_METH_DEFAULT},
    {"isalnum", str_isalnum, PY_METH_DEFAULT},
    {"isalpha", str_isalpha, PY_METH_DEFAULT},
    {"isascii", str_isascii, PY_METH_DEFAULT},
    {"isdecimal", str_isdecimal, PY_METH_DEFAULT},
    {"isdigit", str_isdigit, PY_METH_DEFAULT},
    {"isidentifier", str_isidentifier, PY_METH_DEFAULT},
    {"islower", str_islower, PY_METH_DEFAULT},
    {"isnumeric", str_isnumeric, PY_METH_DEFAULT},
    {"isprintable", str_isprintable, PY_METH_DEFAULT},
    {"isspace", str_isspace, PY_METH_DEFAULT},
    {"istitle", str_istitle, PY_METH_DEFAULT},
    {"isupper", str_isupper, PY_METH_DEFAULT},
    {"join", str_join, PY_METH_DEFAULT},
    {"ljust", str_ljust, PY_METH_DEFAULT},
    {"lower", str_lower, PY_METH_DEFAULT},
    {"lstrip", str_lstrip, PY_METH_DEFAULT},
    {"maketrans", str_maketrans, PY_METH_STATIC},
    {"partition", str_partition, PY_METH_DEFAULT},
    {"removeprefix", str_removeprefix, PY_METH_DEFAULT},
    {"removesuffix", str_removesuffix, PY_METH_DEFAULT},
    {"replace", str_replace, PY_METH_DEFAULT},
    {"rfind", str_rfind, PY_METH_DEFAULT},
    {"rindex", str_rindex, PY_METH_DEFAULT},
    {"rjust", str_rjust, PY_METH_DEFAULT},
    {"rpartition", str_rpartition, PY_METH_DEFAULT},
    {"rsplit", str_rsplit, PY_METH_DEFAULT},
    {"rstrip", str_rstrip, PY_METH_DEFAULT},
    {"split", str_split, PY_METH_DEFAULT},
    {"splitlines", str_splitlines, PY_METH_DEFAULT},
    {"startswith", str_startswith, PY_METH_DEFAULT},
    {"strip", str_strip, PY_METH_DEFAULT},
    {"swapcase", str_swapcase, PY_METH_DEFAULT},
    {"title", str_title, PY_METH_DEFAULT},
    {"translate", str_translate, PY_METH_DEFAULT},
    {"upper", str_upper, PY_METH_DEFAULT},
    {"zfill", str_zfill, PY_METH_DEFAULT},
    {"__format__", str_format_method, PY_METH_DEFAULT},
    {"__getnewargs__", str_getnewargs, PY_METH_DEFAULT},
    {"__sizeof__", str_sizeof, PY_METH_DEFAULT},
    {NULL, NULL, 0},
};

py_type py_str_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "str",
        .tp_basicsize = sizeof(ft_object),
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE | PY_TPFLAGS_STR,
        .tp_hash = str_hash_slot,
        .tp_eq = str_eq_slot,
        .tp_repr = str_repr_slot,
        .tp_len = str_len_slot,
    },
    .tp_str = str_str_slot,
    .tp_binop = str_binop,
    .tp_richcompare = str_richcompare,
    .tp_bool = str_bool_slot,
    .tp_getitem = str_getitem,
    .tp_contains = str_contains,
    .tp_iter = str_iter_slot,
    .tp_new = str_new,
    .tp_methods = str_methods,
    .tp_box = &ft_str_type,
};

/* ---- Life cycle ----------------------------------------------------------------------------- */

int py_str_init(void)
{
    if (!utf8_locale) {
        utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
        if (!utf8_locale)
            utf8_locale = newlocale(LC_CTYPE_MASK, "C.utf8", (locale_t)0);
        if (!utf8_locale) {
            /* Without it non-ASCII case mapping is the identity. */
            utf8_locale = newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
        }
    }
    if (py_type_ready(&py_str_class) < 0 || py_type_ready(&py_str_iter_class) < 0)
        return -1;
    return py_bytes_init();
}

void py_str_fini(void)
{
    if (utf8_locale) {
        freelocale(utf8_locale);
        utf8_locale = (locale_t)0;
    }
}

/* ---- Character properties and case mapping ------------------------------------------
 * The tables after this section are generated from CPython 3.11.2's
 * unicodedata (Unicode 14.0) for code points >= 0x80: sorted, disjoint
 * [first, last] ranges of printable, alphabetic, decimal, digit and
 * numeric characters, and the case mappings that differ from glibc's
 * simple towupper/towlower (C.UTF-8, Unicode 14.0): the full mappings
 * with several code points (SpecialCasing.txt), title case and case
 * folding (CaseFolding.txt, C+F).
 */
typedef struct uc_special {
    uint32_t cp;
    uint32_t out[3];             /* 0-terminated when shorter              */
} uc_special;

/* Generated: begin */
static const uint32_t uc_printable[][2] = {  /* 699 ranges */
    {0xa1,0xac},{0xae,0x377},{0x37a,0x37f},{0x384,0x38a},{0x38c,0x38c},{0x38e,0x3a1},
    {0x3a3,0x52f},{0x531,0x556},{0x559,0x58a},{0x58d,0x58f},{0x591,0x5c7},{0x5d0,0x5ea},
    {0x5ef,0x5f4},{0x606,0x61b},{0x61d,0x6dc},{0x6de,0x70d},{0x710,0x74a},{0x74d,0x7b1},
    {0x7c0,0x7fa},{0x7fd,0x82d},{0x830,0x83e},{0x840,0x85b},{0x85e,0x85e},{0x860,0x86a},
    {0x870,0x88e},{0x898,0x8e1},{0x8e3,0x983},{0x985,0x98c},{0x98f,0x990},{0x993,0x9a8},
    {0x9aa,0x9b0},{0x9b2,0x9b2},{0x9b6,0x9b9},{0x9bc,0x9c4},{0x9c7,0x9c8},{0x9cb,0x9ce},
    {0x9d7,0x9d7},{0x9dc,0x9dd},{0x9df,0x9e3},{0x9e6,0x9fe},{0xa01,0xa03},{0xa05,0xa0a},
    {0xa0f,0xa10},{0xa13,0xa28},{0xa2a,0xa30},{0xa32,0xa33},{0xa35,0xa36},{0xa38,0xa39},
    {0xa3c,0xa3c},{0xa3e,0xa42},{0xa47,0xa48},{0xa4b,0xa4d},{0xa51,0xa51},{0xa59,0xa5c},
    {0xa5e,0xa5e},{0xa66,0xa76},{0xa81,0xa83},{0xa85,0xa8d},{0xa8f,0xa91},{0xa93,0xaa8},
    {0xaaa,0xab0},{0xab2,0xab3},{0xab5,0xab9},{0xabc,0xac5},{0xac7,0xac9},{0xacb,0xacd},
    {0xad0,0xad0},{0xae0,0xae3},{0xae6,0xaf1},{0xaf9,0xaff},{0xb01,0xb03},{0xb05,0xb0c},
    {0xb0f,0xb10},{0xb13,0xb28},{0xb2a,0xb30},{0xb32,0xb33},{0xb35,0xb39},{0xb3c,0xb44},
    {0xb47,0xb48},{0xb4b,0xb4d},{0xb55,0xb57},{0xb5c,0xb5d},{0xb5f,0xb63},{0xb66,0xb77},
    {0xb82,0xb83},{0xb85,0xb8a},{0xb8e,0xb90},{0xb92,0xb95},{0xb99,0xb9a},{0xb9c,0xb9c},
    {0xb9e,0xb9f},{0xba3,0xba4},{0xba8,0xbaa},{0xbae,0xbb9},{0xbbe,0xbc2},{0xbc6,0xbc8},
    {0xbca,0xbcd},{0xbd0,0xbd0},{0xbd7,0xbd7},{0xbe6,0xbfa},{0xc00,0xc0c},{0xc0e,0xc10},
    {0xc12,0xc28},{0xc2a,0xc39},{0xc3c,0xc44},{0xc46,0xc48},{0xc4a,0xc4d},{0xc55,0xc56},
    {0xc58,0xc5a},{0xc5d,0xc5d},{0xc60,0xc63},{0xc66,0xc6f},{0xc77,0xc8c},{0xc8e,0xc90},
    {0xc92,0xca8},{0xcaa,0xcb3},{0xcb5,0xcb9},{0xcbc,0xcc4},{0xcc6,0xcc8},{0xcca,0xccd},
    {0xcd5,0xcd6},{0xcdd,0xcde},{0xce0,0xce3},{0xce6,0xcef},{0xcf1,0xcf2},{0xd00,0xd0c},
    {0xd0e,0xd10},{0xd12,0xd44},{0xd46,0xd48},{0xd4a,0xd4f},{0xd54,0xd63},{0xd66,0xd7f},
    {0xd81,0xd83},{0xd85,0xd96},{0xd9a,0xdb1},{0xdb3,0xdbb},{0xdbd,0xdbd},{0xdc0,0xdc6},
    {0xdca,0xdca},{0xdcf,0xdd4},{0xdd6,0xdd6},{0xdd8,0xddf},{0xde6,0xdef},{0xdf2,0xdf4},
    {0xe01,0xe3a},{0xe3f,0xe5b},{0xe81,0xe82},{0xe84,0xe84},{0xe86,0xe8a},{0xe8c,0xea3},
    {0xea5,0xea5},{0xea7,0xebd},{0xec0,0xec4},{0xec6,0xec6},{0xec8,0xecd},{0xed0,0xed9},
    {0xedc,0xedf},{0xf00,0xf47},{0xf49,0xf6c},{0xf71,0xf97},{0xf99,0xfbc},{0xfbe,0xfcc},
    {0xfce,0xfda},{0x1000,0x10c5},{0x10c7,0x10c7},{0x10cd,0x10cd},{0x10d0,0x1248},{0x124a,0x124d},
    {0x1250,0x1256},{0x1258,0x1258},{0x125a,0x125d},{0x1260,0x1288},{0x128a,0x128d},{0x1290,0x12b0},
    {0x12b2,0x12b5},{0x12b8,0x12be},{0x12c0,0x12c0},{0x12c2,0x12c5},{0x12c8,0x12d6},{0x12d8,0x1310},
    {0x1312,0x1315},{0x1318,0x135a},{0x135d,0x137c},{0x1380,0x1399},{0x13a0,0x13f5},{0x13f8,0x13fd},
    {0x1400,0x167f},{0x1681,0x169c},{0x16a0,0x16f8},{0x1700,0x1715},{0x171f,0x1736},{0x1740,0x1753},
    {0x1760,0x176c},{0x176e,0x1770},{0x1772,0x1773},{0x1780,0x17dd},{0x17e0,0x17e9},{0x17f0,0x17f9},
    {0x1800,0x180d},{0x180f,0x1819},{0x1820,0x1878},{0x1880,0x18aa},{0x18b0,0x18f5},{0x1900,0x191e},
    {0x1920,0x192b},{0x1930,0x193b},{0x1940,0x1940},{0x1944,0x196d},{0x1970,0x1974},{0x1980,0x19ab},
    {0x19b0,0x19c9},{0x19d0,0x19da},{0x19de,0x1a1b},{0x1a1e,0x1a5e},{0x1a60,0x1a7c},{0x1a7f,0x1a89},
    {0x1a90,0x1a99},{0x1aa0,0x1aad},{0x1ab0,0x1ace},{0x1b00,0x1b4c},{0x1b50,0x1b7e},{0x1b80,0x1bf3},
    {0x1bfc,0x1c37},{0x1c3b,0x1c49},{0x1c4d,0x1c88},{0x1c90,0x1cba},{0x1cbd,0x1cc7},{0x1cd0,0x1cfa},
    {0x1d00,0x1f15},{0x1f18,0x1f1d},{0x1f20,0x1f45},{0x1f48,0x1f4d},{0x1f50,0x1f57},{0x1f59,0x1f59},
    {0x1f5b,0x1f5b},{0x1f5d,0x1f5d},{0x1f5f,0x1f7d},{0x1f80,0x1fb4},{0x1fb6,0x1fc4},{0x1fc6,0x1fd3},
    {0x1fd6,0x1fdb},{0x1fdd,0x1fef},{0x1ff2,0x1ff4},{0x1ff6,0x1ffe},{0x2010,0x2027},{0x2030,0x205e},
    {0x2070,0x2071},{0x2074,0x208e},{0x2090,0x209c},{0x20a0,0x20c0},{0x20d0,0x20f0},{0x2100,0x218b},
    {0x2190,0x2426},{0x2440,0x244a},{0x2460,0x2b73},{0x2b76,0x2b95},{0x2b97,0x2cf3},{0x2cf9,0x2d25},
    {0x2d27,0x2d27},{0x2d2d,0x2d2d},{0x2d30,0x2d67},{0x2d6f,0x2d70},{0x2d7f,0x2d96},{0x2da0,0x2da6},
    {0x2da8,0x2dae},{0x2db0,0x2db6},{0x2db8,0x2dbe},{0x2dc0,0x2dc6},{0x2dc8,0x2dce},{0x2dd0,0x2dd6},
    {0x2dd8,0x2dde},{0x2de0,0x2e5d},{0x2e80,0x2e99},{0x2e9b,0x2ef3},{0x2f00,0x2fd5},{0x2ff0,0x2ffb},
    {0x3001,0x303f},{0x3041,0x3096},{0x3099,0x30ff},{0x3105,0x312f},{0x3131,0x318e},{0x3190,0x31e3},
    {0x31f0,0x321e},{0x3220,0xa48c},{0xa490,0xa4c6},{0xa4d0,0xa62b},{0xa640,0xa6f7},{0xa700,0xa7ca},
    {0xa7d0,0xa7d1},{0xa7d3,0xa7d3},{0xa7d5,0xa7d9},{0xa7f2,0xa82c},{0xa830,0xa839},{0xa840,0xa877},
    {0xa880,0xa8c5},{0xa8ce,0xa8d9},{0xa8e0,0xa953},{0xa95f,0xa97c},{0xa980,0xa9cd},{0xa9cf,0xa9d9},
    {0xa9de,0xa9fe},{0xaa00,0xaa36},{0xaa40,0xaa4d},{0xaa50,0xaa59},{0xaa5c,0xaac2},{0xaadb,0xaaf6},
    {0xab01,0xab06},{0xab09,0xab0e},{0xab11,0xab16},{0xab20,0xab26},{0xab28,0xab2e},{0xab30,0xab6b},
    {0xab70,0xabed},{0xabf0,0xabf9},{0xac00,0xd7a3},{0xd7b0,0xd7c6},{0xd7cb,0xd7fb},{0xf900,0xfa6d},
    {0xfa70,0xfad9},{0xfb00,0xfb06},{0xfb13,0xfb17},{0xfb1d,0xfb36},{0xfb38,0xfb3c},{0xfb3e,0xfb3e},
    {0xfb40,0xfb41},{0xfb43,0xfb44},{0xfb46,0xfbc2},{0xfbd3,0xfd8f},{0xfd92,0xfdc7},{0xfdcf,0xfdcf},
    {0xfdf0,0xfe19},{0xfe20,0xfe52},{0xfe54,0xfe66},{0xfe68,0xfe6b},{0xfe70,0xfe74},{0xfe76,0xfefc},
    {0xff01,0xffbe},{0xffc2,0xffc7},{0xffca,0xffcf},{0xffd2,0xffd7},{0xffda,0xffdc},{0xffe0,0xffe6},
    {0xffe8,0xffee},{0xfffc,0xfffd},{0x10000,0x1000b},{0x1000d,0x10026},{0x10028,0x1003a},{0x1003c,0x1003d},
    {0x1003f,0x1004d},{0x10050,0x1005d},{0x10080,0x100fa},{0x10100,0x10102},{0x10107,0x10133},{0x10137,0x1018e},
    {0x10190,0x1019c},{0x101a0,0x101a0},{0x101d0,0x101fd},{0x10280,0x1029c},{0x102a0,0x102d0},{0x102e0,0x102fb},
    {0x10300,0x10323},{0x1032d,0x1034a},{0x10350,0x1037a},{0x10380,0x1039d},{0x1039f,0x103c3},{0x103c8,0x103d5},
    {0x10400,0x1049d},{0x104a0,0x104a9},{0x104b0,0x104d3},{0x104d8,0x104fb},{0x10500,0x10527},{0x10530,0x10563},
    {0x1056f,0x1057a},{0x1057c,0x1058a},{0x1058c,0x10592},{0x10594,0x10595},{0x10597,0x105a1},{0x105a3,0x105b1},
    {0x105b3,0x105b9},{0x105bb,0x105bc},{0x10600,0x10736},{0x10740,0x10755},{0x10760,0x10767},{0x10780,0x10785},
    {0x10787,0x107b0},{0x107b2,0x107ba},{0x10800,0x10805},{0x10808,0x10808},{0x1080a,0x10835},{0x10837,0x10838},
    {0x1083c,0x1083c},{0x1083f,0x10855},{0x10857,0x1089e},{0x108a7,0x108af},{0x108e0,0x108f2},{0x108f4,0x108f5},
    {0x108fb,0x1091b},{0x1091f,0x10939},{0x1093f,0x1093f},{0x10980,0x109b7},{0x109bc,0x109cf},{0x109d2,0x10a03},
    {0x10a05,0x10a06},{0x10a0c,0x10a13},{0x10a15,0x10a17},{0x10a19,0x10a35},{0x10a38,0x10a3a},{0x10a3f,0x10a48},
    {0x10a50,0x10a58},{0x10a60,0x10a9f},{0x10ac0,0x10ae6},{0x10aeb,0x10af6},{0x10b00,0x10b35},{0x10b39,0x10b55},
    {0x10b58,0x10b72},{0x10b78,0x10b91},{0x10b99,0x10b9c},{0x10ba9,0x10baf},{0x10c00,0x10c48},{0x10c80,0x10cb2},
    {0x10cc0,0x10cf2},{0x10cfa,0x10d27},{0x10d30,0x10d39},{0x10e60,0x10e7e},{0x10e80,0x10ea9},{0x10eab,0x10ead},
    {0x10eb0,0x10eb1},{0x10f00,0x10f27},{0x10f30,0x10f59},{0x10f70,0x10f89},{0x10fb0,0x10fcb},{0x10fe0,0x10ff6},
    {0x11000,0x1104d},{0x11052,0x11075},{0x1107f,0x110bc},{0x110be,0x110c2},{0x110d0,0x110e8},{0x110f0,0x110f9},
    {0x11100,0x11134},{0x11136,0x11147},{0x11150,0x11176},{0x11180,0x111df},{0x111e1,0x111f4},{0x11200,0x11211},
    {0x11213,0x1123e},{0x11280,0x11286},{0x11288,0x11288},{0x1128a,0x1128d},{0x1128f,0x1129d},{0x1129f,0x112a9},
    {0x112b0,0x112ea},{0x112f0,0x112f9},{0x11300,0x11303},{0x11305,0x1130c},{0x1130f,0x11310},{0x11313,0x11328},
    {0x1132a,0x11330},{0x11332,0x11333},{0x11335,0x11339},{0x1133b,0x11344},{0x11347,0x11348},{0x1134b,0x1134d},
    {0x11350,0x11350},{0x11357,0x11357},{0x1135d,0x11363},{0x11366,0x1136c},{0x11370,0x11374},{0x11400,0x1145b},
    {0x1145d,0x11461},{0x11480,0x114c7},{0x114d0,0x114d9},{0x11580,0x115b5},{0x115b8,0x115dd},{0x11600,0x11644},
    {0x11650,0x11659},{0x11660,0x1166c},{0x11680,0x116b9},{0x116c0,0x116c9},{0x11700,0x1171a},{0x1171d,0x1172b},
    {0x11730,0x11746},{0x11800,0x1183b},{0x118a0,0x118f2},{0x118ff,0x11906},{0x11909,0x11909},{0x1190c,0x11913},
    {0x11915,0x11916},{0x11918,0x11935},{0x11937,0x11938},{0x1193b,0x11946},{0x11950,0x11959},{0x119a0,0x119a7},
    {0x119aa,0x119d7},{0x119da,0x119e4},{0x11a00,0x11a47},{0x11a50,0x11aa2},{0x11ab0,0x11af8},{0x11c00,0x11c08},
    {0x11c0a,0x11c36},{0x11c38,0x11c45},{0x11c50,0x11c6c},{0x11c70,0x11c8f},{0x11c92,0x11ca7},{0x11ca9,0x11cb6},
    {0x11d00,0x11d06},{0x11d08,0x11d09},{0x11d0b,0x11d36},{0x11d3a,0x11d3a},{0x11d3c,0x11d3d},{0x11d3f,0x11d47},
    {0x11d50,0x11d59},{0x11d60,0x11d65},{0x11d67,0x11d68},{0x11d6a,0x11d8e},{0x11d90,0x11d91},{0x11d93,0x11d98},
    {0x11da0,0x11da9},{0x11ee0,0x11ef8},{0x11fb0,0x11fb0},{0x11fc0,0x11ff1},{0x11fff,0x12399},{0x12400,0x1246e},
    {0x12470,0x12474},{0x12480,0x12543},{0x12f90,0x12ff2},{0x13000,0x1342e},{0x14400,0x14646},{0x16800,0x16a38},
    {0x16a40,0x16a5e},{0x16a60,0x16a69},{0x16a6e,0x16abe},{0x16ac0,0x16ac9},{0x16ad0,0x16aed},{0x16af0,0x16af5},
    {0x16b00,0x16b45},{0x16b50,0x16b59},{0x16b5b,0x16b61},{0x16b63,0x16b77},{0x16b7d,0x16b8f},{0x16e40,0x16e9a},
    {0x16f00,0x16f4a},{0x16f4f,0x16f87},{0x16f8f,0x16f9f},{0x16fe0,0x16fe4},{0x16ff0,0x16ff1},{0x17000,0x187f7},
    {0x18800,0x18cd5},{0x18d00,0x18d08},{0x1aff0,0x1aff3},{0x1aff5,0x1affb},{0x1affd,0x1affe},{0x1b000,0x1b122},
    {0x1b150,0x1b152},{0x1b164,0x1b167},{0x1b170,0x1b2fb},{0x1bc00,0x1bc6a},{0x1bc70,0x1bc7c},{0x1bc80,0x1bc88},
    {0x1bc90,0x1bc99},{0x1bc9c,0x1bc9f},{0x1cf00,0x1cf2d},{0x1cf30,0x1cf46},{0x1cf50,0x1cfc3},{0x1d000,0x1d0f5},
    {0x1d100,0x1d126},{0x1d129,0x1d172},{0x1d17b,0x1d1ea},{0x1d200,0x1d245},{0x1d2e0,0x1d2f3},{0x1d300,0x1d356},
    {0x1d360,0x1d378},{0x1d400,0x1d454},{0x1d456,0x1d49c},{0x1d49e,0x1d49f},{0x1d4a2,0x1d4a2},{0x1d4a5,0x1d4a6},
    {0x1d4a9,0x1d4ac},{0x1d4ae,0x1d4b9},{0x1d4bb,0x1d4bb},{0x1d4bd,0x1d4c3},{0x1d4c5,0x1d505},{0x1d507,0x1d50a},
    {0x1d50d,0x1d514},{0x1d516,0x1d51c},{0x1d51e,0x1d539},{0x1d53b,0x1d53e},{0x1d540,0x1d544},{0x1d546,0x1d546},
    {0x1d54a,0x1d550},{0x1d552,0x1d6a5},{0x1d6a8,0x1d7cb},{0x1d7ce,0x1da8b},{0x1da9b,0x1da9f},{0x1daa1,0x1daaf},
    {0x1df00,0x1df1e},{0x1e000,0x1e006},{0x1e008,0x1e018},{0x1e01b,0x1e021},{0x1e023,0x1e024},{0x1e026,0x1e02a},
    {0x1e100,0x1e12c},{0x1e130,0x1e13d},{0x1e140,0x1e149},{0x1e14e,0x1e14f},{0x1e290,0x1e2ae},{0x1e2c0,0x1e2f9},
    {0x1e2ff,0x1e2ff},{0x1e7e0,0x1e7e6},{0x1e7e8,0x1e7eb},{0x1e7ed,0x1e7ee},{0x1e7f0,0x1e7fe},{0x1e800,0x1e8c4},
    {0x1e8c7,0x1e8d6},{0x1e900,0x1e94b},{0x1e950,0x1e959},{0x1e95e,0x1e95f},{0x1ec71,0x1ecb4},{0x1ed01,0x1ed3d},
    {0x1ee00,0x1ee03},{0x1ee05,0x1ee1f},{0x1ee21,0x1ee22},{0x1ee24,0x1ee24},{0x1ee27,0x1ee27},{0x1ee29,0x1ee32},
    {0x1ee34,0x1ee37},{0x1ee39,0x1ee39},{0x1ee3b,0x1ee3b},{0x1ee42,0x1ee42},{0x1ee47,0x1ee47},{0x1ee49,0x1ee49},
    {0x1ee4b,0x1ee4b},{0x1ee4d,0x1ee4f},{0x1ee51,0x1ee52},{0x1ee54,0x1ee54},{0x1ee57,0x1ee57},{0x1ee59,0x1ee59},
    {0x1ee5b,0x1ee5b},{0x1ee5d,0x1ee5d},{0x1ee5f,0x1ee5f},{0x1ee61,0x1ee62},{0x1ee64,0x1ee64},{0x1ee67,0x1ee6a},
    {0x1ee6c,0x1ee72},{0x1ee74,0x1ee77},{0x1ee79,0x1ee7c},{0x1ee7e,0x1ee7e},{0x1ee80,0x1ee89},{0x1ee8b,0x1ee9b},
    {0x1eea1,0x1eea3},{0x1eea5,0x1eea9},{0x1eeab,0x1eebb},{0x1eef0,0x1eef1},{0x1f000,0x1f02b},{0x1f030,0x1f093},
    {0x1f0a0,0x1f0ae},{0x1f0b1,0x1f0bf},{0x1f0c1,0x1f0cf},{0x1f0d1,0x1f0f5},{0x1f100,0x1f1ad},{0x1f1e6,0x1f202},
    {0x1f210,0x1f23b},{0x1f240,0x1f248},{0x1f250,0x1f251},{0x1f260,0x1f265},{0x1f300,0x1f6d7},{0x1f6dd,0x1f6ec},
    {0x1f6f0,0x1f6fc},{0x1f700,0x1f773},{0x1f780,0x1f7d8},{0x1f7e0,0x1f7eb},{0x1f7f0,0x1f7f0},{0x1f800,0x1f80b},
    {0x1f810,0x1f847},{0x1f850,0x1f859},{0x1f860,0x1f887},{0x1f890,0x1f8ad},{0x1f8b0,0x1f8b1},{0x1f900,0x1fa53},
    {0x1fa60,0x1fa6d},{0x1fa70,0x1fa74},{0x1fa78,0x1fa7c},{0x1fa80,0x1fa86},{0x1fa90,0x1faac},{0x1fab0,0x1faba},
    {0x1fac0,0x1fac5},{0x1fad0,0x1fad9},{0x1fae0,0x1fae7},{0x1faf0,0x1faf6},{0x1fb00,0x1fb92},{0x1fb94,0x1fbca},
    {0x1fbf0,0x1fbf9},{0x20000,0x2a6df},{0x2a700,0x2b738},{0x2b740,0x2b81d},{0x2b820,0x2cea1},{0x2ceb0,0x2ebe0},
    {0x2f800,0x2fa1d},{0x30000,0x3134a},{0xe0100,0xe01ef},
};
static const uint32_t uc_alpha[][2] = {  /* 646 ranges */
    {0xaa,0xaa},{0xb5,0xb5},{0xba,0xba},{0xc0,0xd6},{0xd8,0xf6},{0xf8,0x2c1},
    {0x2c6,0x2d1},{0x2e0,0x2e4},{0x2ec,0x2ec},{0x2ee,0x2ee},{0x370,0x374},{0x376,0x377},
    {0x37a,0x37d},{0x37f,0x37f},{0x386,0x386},{0x388,0x38a},{0x38c,0x38c},{0x38e,0x3a1},
    {0x3a3,0x3f5},{0x3f7,0x481},{0x48a,0x52f},{0x531,0x556},{0x559,0x559},{0x560,0x588},
    {0x5d0,0x5ea},{0x5ef,0x5f2},{0x620,0x64a},{0x66e,0x66f},{0x671,0x6d3},{0x6d5,0x6d5},
    {0x6e5,0x6e6},{0x6ee,0x6ef},{0x6fa,0x6fc},{0x6ff,0x6ff},{0x710,0x710},{0x712,0x72f},
    {0x74d,0x7a5},{0x7b1,0x7b1},{0x7ca,0x7ea},{0x7f4,0x7f5},{0x7fa,0x7fa},{0x800,0x815},
    {0x81a,0x81a},{0x824,0x824},{0x828,0x828},{0x840,0x858},{0x860,0x86a},{0x870,0x887},
    {0x889,0x88e},{0x8a0,0x8c9},{0x904,0x939},{0x93d,0x93d},{0x950,0x950},{0x958,0x961},
    {0x971,0x980},{0x985,0x98c},{0x98f,0x990},{0x993,0x9a8},{0x9aa,0x9b0},{0x9b2,0x9b2},
    {0x9b6,0x9b9},{0x9bd,0x9bd},{0x9ce,0x9ce},{0x9dc,0x9dd},{0x9df,0x9e1},{0x9f0,0x9f1},
    {0x9fc,0x9fc},{0xa05,0xa0a},{0xa0f,0xa10},{0xa13,0xa28},{0xa2a,0xa30},{0xa32,0xa33},
    {0xa35,0xa36},{0xa38,0xa39},{0xa59,0xa5c},{0xa5e,0xa5e},{0xa72,0xa74},{0xa85,0xa8d},
    {0xa8f,0xa91},{0xa93,0xaa8},{0xaaa,0xab0},{0xab2,0xab3},{0xab5,0xab9},{0xabd,0xabd},
    {0xad0,0xad0},{0xae0,0xae1},{0xaf9,0xaf9},{0xb05,0xb0c},{0xb0f,0xb10},{0xb13,0xb28},
    {0xb2a,0xb30},{0xb32,0xb33},{0xb35,0xb39},{0xb3d,0xb3d},{0xb5c,0xb5d},{0xb5f,0xb61},
    {0xb71,0xb71},{0xb83,0xb83},{0xb85,0xb8a},{0xb8e,0xb90},{0xb92,0xb95},{0xb99,0xb9a},
    {0xb9c,0xb9c},{0xb9e,0xb9f},{0xba3,0xba4},{0xba8,0xbaa},{0xbae,0xbb9},{0xbd0,0xbd0},
    {0xc05,0xc0c},{0xc0e,0xc10},{0xc12,0xc28},{0xc2a,0xc39},{0xc3d,0xc3d},{0xc58,0xc5a},
    {0xc5d,0xc5d},{0xc60,0xc61},{0xc80,0xc80},{0xc85,0xc8c},{0xc8e,0xc90},{0xc92,0xca8},
    {0xcaa,0xcb3},{0xcb5,0xcb9},{0xcbd,0xcbd},{0xcdd,0xcde},{0xce0,0xce1},{0xcf1,0xcf2},
    {0xd04,0xd0c},{0xd0e,0xd10},{0xd12,0xd3a},{0xd3d,0xd3d},{0xd4e,0xd4e},{0xd54,0xd56},
    {0xd5f,0xd61},{0xd7a,0xd7f},{0xd85,0xd96},{0xd9a,0xdb1},{0xdb3,0xdbb},{0xdbd,0xdbd},
    {0xdc0,0xdc6},{0xe01,0xe30},{0xe32,0xe33},{0xe40,0xe46},{0xe81,0xe82},{0xe84,0xe84},
    {0xe86,0xe8a},{0xe8c,0xea3},{0xea5,0xea5},{0xea7,0xeb0},{0xeb2,0xeb3},{0xebd,0xebd},
    {0xec0,0xec4},{0xec6,0xec6},{0xedc,0xedf},{0xf00,0xf00},{0xf40,0xf47},{0xf49,0xf6c},
    {0xf88,0xf8c},{0x1000,0x102a},{0x103f,0x103f},{0x1050,0x1055},{0x105a,0x105d},{0x1061,0x1061},
    {0x1065,0x1066},{0x106e,0x1070},{0x1075,0x1081},{0x108e,0x108e},{0x10a0,0x10c5},{0x10c7,0x10c7},
    {0x10cd,0x10cd},{0x10d0,0x10fa},{0x10fc,0x1248},{0x124a,0x124d},{0x1250,0x1256},{0x1258,0x1258},
    {0x125a,0x125d},{0x1260,0x1288},{0x128a,0x128d},{0x1290,0x12b0},{0x12b2,0x12b5},{0x12b8,0x12be},
    {0x12c0,0x12c0},{0x12c2,0x12c5},{0x12c8,0x12d6},{0x12d8,0x1310},{0x1312,0x1315},{0x1318,0x135a},
    {0x1380,0x138f},{0x13a0,0x13f5},{0x13f8,0x13fd},{0x1401,0x166c},{0x166f,0x167f},{0x1681,0x169a},
    {0x16a0,0x16ea},{0x16f1,0x16f8},{0x1700,0x1711},{0x171f,0x1731},{0x1740,0x1751},{0x1760,0x176c},
    {0x176e,0x1770},{0x1780,0x17b3},{0x17d7,0x17d7},{0x17dc,0x17dc},{0x1820,0x1878},{0x1880,0x1884},
    {0x1887,0x18a8},{0x18aa,0x18aa},{0x18b0,0x18f5},{0x1900,0x191e},{0x1950,0x196d},{0x1970,0x1974},
    {0x1980,0x19ab},{0x19b0,0x19c9},{0x1a00,0x1a16},{0x1a20,0x1a54},{0x1aa7,0x1aa7},{0x1b05,0x1b33},
    {0x1b45,0x1b4c},{0x1b83,0x1ba0},{0x1bae,0x1baf},{0x1bba,0x1be5},{0x1c00,0x1c23},{0x1c4d,0x1c4f},
    {0x1c5a,0x1c7d},{0x1c80,0x1c88},{0x1c90,0x1cba},{0x1cbd,0x1cbf},{0x1ce9,0x1cec},{0x1cee,0x1cf3},
    {0x1cf5,0x1cf6},{0x1cfa,0x1cfa},{0x1d00,0x1dbf},{0x1e00,0x1f15},{0x1f18,0x1f1d},{0x1f20,0x1f45},
    {0x1f48,0x1f4d},{0x1f50,0x1f57},{0x1f59,0x1f59},{0x1f5b,0x1f5b},{0x1f5d,0x1f5d},{0x1f5f,0x1f7d},
    {0x1f80,0x1fb4},{0x1fb6,0x1fbc},{0x1fbe,0x1fbe},{0x1fc2,0x1fc4},{0x1fc6,0x1fcc},{0x1fd0,0x1fd3},
    {0x1fd6,0x1fdb},{0x1fe0,0x1fec},{0x1ff2,0x1ff4},{0x1ff6,0x1ffc},{0x2071,0x2071},{0x207f,0x207f},
    {0x2090,0x209c},{0x2102,0x2102},{0x2107,0x2107},{0x210a,0x2113},{0x2115,0x2115},{0x2119,0x211d},
    {0x2124,0x2124},{0x2126,0x2126},{0x2128,0x2128},{0x212a,0x212d},{0x212f,0x2139},{0x213c,0x213f},
    {0x2145,0x2149},{0x214e,0x214e},{0x2183,0x2184},{0x2c00,0x2ce4},{0x2ceb,0x2cee},{0x2cf2,0x2cf3},
    {0x2d00,0x2d25},{0x2d27,0x2d27},{0x2d2d,0x2d2d},{0x2d30,0x2d67},{0x2d6f,0x2d6f},{0x2d80,0x2d96},
    {0x2da0,0x2da6},{0x2da8,0x2dae},{0x2db0,0x2db6},{0x2db8,0x2dbe},{0x2dc0,0x2dc6},{0x2dc8,0x2dce},
    {0x2dd0,0x2dd6},{0x2dd8,0x2dde},{0x2e2f,0x2e2f},{0x3005,0x3006},{0x3031,0x3035},{0x303b,0x303c},
    {0x3041,0x3096},{0x309d,0x309f},{0x30a1,0x30fa},{0x30fc,0x30ff},{0x3105,0x312f},{0x3131,0x318e},
    {0x31a0,0x31bf},{0x31f0,0x31ff},{0x3400,0x4dbf},{0x4e00,0xa48c},{0xa4d0,0xa4fd},{0xa500,0xa60c},
    {0xa610,0xa61f},{0xa62a,0xa62b},{0xa640,0xa66e},{0xa67f,0xa69d},{0xa6a0,0xa6e5},{0xa717,0xa71f},
    {0xa722,0xa788},{0xa78b,0xa7ca},{0xa7d0,0xa7d1},{0xa7d3,0xa7d3},{0xa7d5,0xa7d9},{0xa7f2,0xa801},
    {0xa803,0xa805},{0xa807,0xa80a},{0xa80c,0xa822},{0xa840,0xa873},{0xa882,0xa8b3},{0xa8f2,0xa8f7},
    {0xa8fb,0xa8fb},{0xa8fd,0xa8fe},{0xa90a,0xa925},{0xa930,0xa946},{0xa960,0xa97c},{0xa984,0xa9b2},
    {0xa9cf,0xa9cf},{0xa9e0,0xa9e4},{0xa9e6,0xa9ef},{0xa9fa,0xa9fe},{0xaa00,0xaa28},{0xaa40,0xaa42},
    {0xaa44,0xaa4b},{0xaa60,0xaa76},{0xaa7a,0xaa7a},{0xaa7e,0xaaaf},{0xaab1,0xaab1},{0xaab5,0xaab6},
    {0xaab9,0xaabd},{0xaac0,0xaac0},{0xaac2,0xaac2},{0xaadb,0xaadd},{0xaae0,0xaaea},{0xaaf2,0xaaf4},
    {0xab01,0xab06},{0xab09,0xab0e},{0xab11,0xab16},{0xab20,0xab26},{0xab28,0xab2e},{0xab30,0xab5a},
    {0xab5c,0xab69},{0xab70,0xabe2},{0xac00,0xd7a3},{0xd7b0,0xd7c6},{0xd7cb,0xd7fb},{0xf900,0xfa6d},
    {0xfa70,0xfad9},{0xfb00,0xfb06},{0xfb13,0xfb17},{0xfb1d,0xfb1d},{0xfb1f,0xfb28},{0xfb2a,0xfb36},
    {0xfb38,0xfb3c},{0xfb3e,0xfb3e},{0xfb40,0xfb41},{0xfb43,0xfb44},{0xfb46,0xfbb1},{0xfbd3,0xfd3d},
    {0xfd50,0xfd8f},{0xfd92,0xfdc7},{0xfdf0,0xfdfb},{0xfe70,0xfe74},{0xfe76,0xfefc},{0xff21,0xff3a},
    {0xff41,0xff5a},{0xff66,0xffbe},{0xffc2,0xffc7},{0xffca,0xffcf},{0xffd2,0xffd7},{0xffda,0xffdc},
    {0x10000,0x1000b},{0x1000d,0x10026},{0x10028,0x1003a},{0x1003c,0x1003d},{0x1003f,0x1004d},{0x10050,0x1005d},
    {0x10080,0x100fa},{0x10280,0x1029c},{0x102a0,0x102d0},{0x10300,0x1031f},{0x1032d,0x10340},{0x10342,0x10349},
    {0x10350,0x10375},{0x10380,0x1039d},{0x103a0,0x103c3},{0x103c8,0x103cf},{0x10400,0x1049d},{0x104b0,0x104d3},
    {0x104d8,0x104fb},{0x10500,0x10527},{0x10530,0x10563},{0x10570,0x1057a},{0x1057c,0x1058a},{0x1058c,0x10592},
    {0x10594,0x10595},{0x10597,0x105a1},{0x105a3,0x105b1},{0x105b3,0x105b9},{0x105bb,0x105bc},{0x10600,0x10736},
    {0x10740,0x10755},{0x10760,0x10767},{0x10780,0x10785},{0x10787,0x107b0},{0x107b2,0x107ba},{0x10800,0x10805},
    {0x10808,0x10808},{0x1080a,0x10835},{0x10837,0x10838},{0x1083c,0x1083c},{0x1083f,0x10855},{0x10860,0x10876},
    {0x10880,0x1089e},{0x108e0,0x108f2},{0x108f4,0x108f5},{0x10900,0x10915},{0x10920,0x10939},{0x10980,0x109b7},
    {0x109be,0x109bf},{0x10a00,0x10a00},{0x10a10,0x10a13},{0x10a15,0x10a17},{0x10a19,0x10a35},{0x10a60,0x10a7c},
    {0x10a80,0x10a9c},{0x10ac0,0x10ac7},{0x10ac9,0x10ae4},{0x10b00,0x10b35},{0x10b40,0x10b55},{0x10b60,0x10b72},
    {0x10b80,0x10b91},{0x10c00,0x10c48},{0x10c80,0x10cb2},{0x10cc0,0x10cf2},{0x10d00,0x10d23},{0x10e80,0x10ea9},
    {0x10eb0,0x10eb1},{0x10f00,0x10f1c},{0x10f27,0x10f27},{0x10f30,0x10f45},{0x10f70,0x10f81},{0x10fb0,0x10fc4},
    {0x10fe0,0x10ff6},{0x11003,0x11037},{0x11071,0x11072},{0x11075,0x11075},{0x11083,0x110af},{0x110d0,0x110e8},
    {0x11103,0x11126},{0x11144,0x11144},{0x11147,0x11147},{0x11150,0x11172},{0x11176,0x11176},{0x11183,0x111b2},
    {0x111c1,0x111c4},{0x111da,0x111da},{0x111dc,0x111dc},{0x11200,0x11211},{0x11213,0x1122b},{0x11280,0x11286},
    {0x11288,0x11288},{0x1128a,0x1128d},{0x1128f,0x1129d},{0x1129f,0x112a8},{0x112b0,0x112de},{0x11305,0x1130c},
    {0x1130f,0x11310},{0x11313,0x11328},{0x1132a,0x11330},{0x11332,0x11333},{0x11335,0x11339},{0x1133d,0x1133d},
    {0x11350,0x11350},{0x1135d,0x11361},{0x11400,0x11434},{0x11447,0x1144a},{0x1145f,0x11461},{0x11480,0x114af},
    {0x114c4,0x114c5},{0x114c7,0x114c7},{0x11580,0x115ae},{0x115d8,0x115db},{0x11600,0x1162f},{0x11644,0x11644},
    {0x11680,0x116aa},{0x116b8,0x116b8},{0x11700,0x1171a},{0x11740,0x11746},{0x11800,0x1182b},{0x118a0,0x118df},
    {0x118ff,0x11906},{0x11909,0x11909},{0x1190c,0x11913},{0x11915,0x11916},{0x11918,0x1192f},{0x1193f,0x1193f},
    {0x11941,0x11941},{0x119a0,0x119a7},{0x119aa,0x119d0},{0x119e1,0x119e1},{0x119e3,0x119e3},{0x11a00,0x11a00},
    {0x11a0b,0x11a32},{0x11a3a,0x11a3a},{0x11a50,0x11a50},{0x11a5c,0x11a89},{0x11a9d,0x11a9d},{0x11ab0,0x11af8},
    {0x11c00,0x11c08},{0x11c0a,0x11c2e},{0x11c40,0x11c40},{0x11c72,0x11c8f},{0x11d00,0x11d06},{0x11d08,0x11d09},
    {0x11d0b,0x11d30},{0x11d46,0x11d46},{0x11d60,0x11d65},{0x11d67,0x11d68},{0x11d6a,0x11d89},{0x11d98,0x11d98},
    {0x11ee0,0x11ef2},{0x11fb0,0x11fb0},{0x12000,0x12399},{0x12480,0x12543},{0x12f90,0x12ff0},{0x13000,0x1342e},
    {0x14400,0x14646},{0x16800,0x16a38},{0x16a40,0x16a5e},{0x16a70,0x16abe},{0x16ad0,0x16aed},{0x16b00,0x16b2f},
    {0x16b40,0x16b43},{0x16b63,0x16b77},{0x16b7d,0x16b8f},{0x16e40,0x16e7f},{0x16f00,0x16f4a},{0x16f50,0x16f50},
    {0x16f93,0x16f9f},{0x16fe0,0x16fe1},{0x16fe3,0x16fe3},{0x17000,0x187f7},{0x18800,0x18cd5},{0x18d00,0x18d08},
    {0x1aff0,0x1aff3},{0x1aff5,0x1affb},{0x1affd,0x1affe},{0x1b000,0x1b122},{0x1b150,0x1b152},{0x1b164,0x1b167},
    {0x1b170,0x1b2fb},{0x1bc00,0x1bc6a},{0x1bc70,0x1bc7c},{0x1bc80,0x1bc88},{0x1bc90,0x1bc99},{0x1d400,0x1d454},
    {0x1d456,0x1d49c},{0x1d49e,0x1d49f},{0x1d4a2,0x1d4a2},{0x1d4a5,0x1d4a6},{0x1d4a9,0x1d4ac},{0x1d4ae,0x1d4b9},
    {0x1d4bb,0x1d4bb},{0x1d4bd,0x1d4c3},{0x1d4c5,0x1d505},{0x1d507,0x1d50a},{0x1d50d,0x1d514},{0x1d516,0x1d51c},
    {0x1d51e,0x1d539},{0x1d53b,0x1d53e},{0x1d540,0x1d544},{0x1d546,0x1d546},{0x1d54a,0x1d550},{0x1d552,0x1d6a5},
    {0x1d6a8,0x1d6c0},{0x1d6c2,0x1d6da},{0x1d6dc,0x1d6fa},{0x1d6fc,0x1d714},{0x1d716,0x1d734},{0x1d736,0x1d74e},
    {0x1d750,0x1d76e},{0x1d770,0x1d788},{0x1d78a,0x1d7a8},{0x1d7aa,0x1d7c2},{0x1d7c4,0x1d7cb},{0x1df00,0x1df1e},
    {0x1e100,0x1e12c},{0x1e137,0x1e13d},{0x1e14e,0x1e14e},{0x1e290,0x1e2ad},{0x1e2c0,0x1e2eb},{0x1e7e0,0x1e7e6},
    {0x1e7e8,0x1e7eb},{0x1e7ed,0x1e7ee},{0x1e7f0,0x1e7fe},{0x1e800,0x1e8c4},{0x1e900,0x1e943},{0x1e94b,0x1e94b},
    {0x1ee00,0x1ee03},{0x1ee05,0x1ee1f},{0x1ee21,0x1ee22},{0x1ee24,0x1ee24},{0x1ee27,0x1ee27},{0x1ee29,0x1ee32},
    {0x1ee34,0x1ee37},{0x1ee39,0x1ee39},{0x1ee3b,0x1ee3b},{0x1ee42,0x1ee42},{0x1ee47,0x1ee47},{0x1ee49,0x1ee49},
    {0x1ee4b,0x1ee4b},{0x1ee4d,0x1ee4f},{0x1ee51,0x1ee52},{0x1ee54,0x1ee54},{0x1ee57,0x1ee57},{0x1ee59,0x1ee59},
    {0x1ee5b,0x1ee5b},{0x1ee5d,0x1ee5d},{0x1ee5f,0x1ee5f},{0x1ee61,0x1ee62},{0x1ee64,0x1ee64},{0x1ee67,0x1ee6a},
    {0x1ee6c,0x1ee72},{0x1ee74,0x1ee77},{0x1ee79,0x1ee7c},{0x1ee7e,0x1ee7e},{0x1ee80,0x1ee89},{0x1ee8b,0x1ee9b},
    {0x1eea1,0x1eea3},{0x1eea5,0x1eea9},{0x1eeab,0x1eebb},{0x20000,0x2a6df},{0x2a700,0x2b738},{0x2b740,0x2b81d},
    {0x2b820,0x2cea1},{0x2ceb0,0x2ebe0},{0x2f800,0x2fa1d},{0x30000,0x3134a},
};
static const uint32_t uc_decimal[][2] = {  /* 61 ranges */
    {0x660,0x669},{0x6f0,0x6f9},{0x7c0,0x7c9},{0x966,0x96f},{0x9e6,0x9ef},{0xa66,0xa6f},
    {0xae6,0xaef},{0xb66,0xb6f},{0xbe6,0xbef},{0xc66,0xc6f},{0xce6,0xcef},{0xd66,0xd6f},
    {0xde6,0xdef},{0xe50,0xe59},{0xed0,0xed9},{0xf20,0xf29},{0x1040,0x1049},{0x1090,0x1099},
    {0x17e0,0x17e9},{0x1810,0x1819},{0x1946,0x194f},{0x19d0,0x19d9},{0x1a80,0x1a89},{0x1a90,0x1a99},
    {0x1b50,0x1b59},{0x1bb0,0x1bb9},{0x1c40,0x1c49},{0x1c50,0x1c59},{0xa620,0xa629},{0xa8d0,0xa8d9},
    {0xa900,0xa909},{0xa9d0,0xa9d9},{0xa9f0,0xa9f9},{0xaa50,0xaa59},{0xabf0,0xabf9},{0xff10,0xff19},
    {0x104a0,0x104a9},{0x10d30,0x10d39},{0x11066,0x1106f},{0x110f0,0x110f9},{0x11136,0x1113f},{0x111d0,0x111d9},
    {0x112f0,0x112f9},{0x11450,0x11459},{0x114d0,0x114d9},{0x11650,0x11659},{0x116c0,0x116c9},{0x11730,0x11739},
    {0x118e0,0x118e9},{0x11950,0x11959},{0x11c50,0x11c59},{0x11d50,0x11d59},{0x11da0,0x11da9},{0x16a60,0x16a69},
    {0x16ac0,0x16ac9},{0x16b50,0x16b59},{0x1d7ce,0x1d7ff},{0x1e140,0x1e149},{0x1e2f0,0x1e2f9},{0x1e950,0x1e959},
    {0x1fbf0,0x1fbf9},
};
static const uint32_t uc_digit[][2] = {  /* 80 ranges */
    {0xb2,0xb3},{0xb9,0xb9},{0x660,0x669},{0x6f0,0x6f9},{0x7c0,0x7c9},{0x966,0x96f},
    {0x9e6,0x9ef},{0xa66,0xa6f},{0xae6,0xaef},{0xb66,0xb6f},{0xbe6,0xbef},{0xc66,0xc6f},
    {0xce6,0xcef},{0xd66,0xd6f},{0xde6,0xdef},{0xe50,0xe59},{0xed0,0xed9},{0xf20,0xf29},
    {0x1040,0x1049},{0x1090,0x1099},{0x1369,0x1371},{0x17e0,0x17e9},{0x1810,0x1819},{0x1946,0x194f},
    {0x19d0,0x19da},{0x1a80,0x1a89},{0x1a90,0x1a99},{0x1b50,0x1b59},{0x1bb0,0x1bb9},{0x1c40,0x1c49},
    {0x1c50,0x1c59},{0x2070,0x2070},{0x2074,0x2079},{0x2080,0x2089},{0x2460,0x2468},{0x2474,0x247c},
    {0x2488,0x2490},{0x24ea,0x24ea},{0x24f5,0x24fd},{0x24ff,0x24ff},{0x2776,0x277e},{0x2780,0x2788},
    {0x278a,0x2792},{0xa620,0xa629},{0xa8d0,0xa8d9},{0xa900,0xa909},{0xa9d0,0xa9d9},{0xa9f0,0xa9f9},
    {0xaa50,0xaa59},{0xabf0,0xabf9},{0xff10,0xff19},{0x104a0,0x104a9},{0x10a40,0x10a43},{0x10d30,0x10d39},
    {0x10e60,0x10e68},{0x11052,0x1105a},{0x11066,0x1106f},{0x110f0,0x110f9},{0x11136,0x1113f},{0x111d0,0x111d9},
    {0x112f0,0x112f9},{0x11450,0x11459},{0x114d0,0x114d9},{0x11650,0x11659},{0x116c0,0x116c9},{0x11730,0x11739},
    {0x118e0,0x118e9},{0x11950,0x11959},{0x11c50,0x11c59},{0x11d50,0x11d59},{0x11da0,0x11da9},{0x16a60,0x16a69},
    {0x16ac0,0x16ac9},{0x16b50,0x16b59},{0x1d7ce,0x1d7ff},{0x1e140,0x1e149},{0x1e2f0,0x1e2f9},{0x1e950,0x1e959},
    {0x1f100,0x1f10a},{0x1fbf0,0x1fbf9},
};
static const uint32_t uc_numeric[][2] = {  /* 205 ranges */
    {0xb2,0xb3},{0xb9,0xb9},{0xbc,0xbe},{0x660,0x669},{0x6f0,0x6f9},{0x7c0,0x7c9},
    {0x966,0x96f},{0x9e6,0x9ef},{0x9f4,0x9f9},{0xa66,0xa6f},{0xae6,0xaef},{0xb66,0xb6f},
    {0xb72,0xb77},{0xbe6,0xbf2},{0xc66,0xc6f},{0xc78,0xc7e},{0xce6,0xcef},{0xd58,0xd5e},
    {0xd66,0xd78},{0xde6,0xdef},{0xe50,0xe59},{0xed0,0xed9},{0xf20,0xf33},{0x1040,0x1049},
    {0x1090,0x1099},{0x1369,0x137c},{0x16ee,0x16f0},{0x17e0,0x17e9},{0x17f0,0x17f9},{0x1810,0x1819},
    {0x1946,0x194f},{0x19d0,0x19da},{0x1a80,0x1a89},{0x1a90,0x1a99},{0x1b50,0x1b59},{0x1bb0,0x1bb9},
    {0x1c40,0x1c49},{0x1c50,0x1c59},{0x2070,0x2070},{0x2074,0x2079},{0x2080,0x2089},{0x2150,0x2182},
    {0x2185,0x2189},{0x2460,0x249b},{0x24ea,0x24ff},{0x2776,0x2793},{0x2cfd,0x2cfd},{0x3007,0x3007},
    {0x3021,0x3029},{0x3038,0x303a},{0x3192,0x3195},{0x3220,0x3229},{0x3248,0x324f},{0x3251,0x325f},
    {0x3280,0x3289},{0x32b1,0x32bf},{0x3405,0x3405},{0x3483,0x3483},{0x382a,0x382a},{0x3b4d,0x3b4d},
    {0x4e00,0x4e00},{0x4e03,0x4e03},{0x4e07,0x4e07},{0x4e09,0x4e09},{0x4e5d,0x4e5d},{0x4e8c,0x4e8c},
    {0x4e94,0x4e94},{0x4e96,0x4e96},{0x4ebf,0x4ec0},{0x4edf,0x4edf},{0x4ee8,0x4ee8},{0x4f0d,0x4f0d},
    {0x4f70,0x4f70},{0x5104,0x5104},{0x5146,0x5146},{0x5169,0x5169},{0x516b,0x516b},{0x516d,0x516d},
    {0x5341,0x5341},{0x5343,0x5345},{0x534c,0x534c},{0x53c1,0x53c4},{0x56db,0x56db},{0x58f1,0x58f1},
    {0x58f9,0x58f9},{0x5e7a,0x5e7a},{0x5efe,0x5eff},{0x5f0c,0x5f0e},{0x5f10,0x5f10},{0x62fe,0x62fe},
    {0x634c,0x634c},{0x67d2,0x67d2},{0x6f06,0x6f06},{0x7396,0x7396},{0x767e,0x767e},{0x8086,0x8086},
    {0x842c,0x842c},{0x8cae,0x8cae},{0x8cb3,0x8cb3},{0x8d30,0x8d30},{0x9621,0x9621},{0x9646,0x9646},
    {0x964c,0x964c},{0x9678,0x9678},{0x96f6,0x96f6},{0xa620,0xa629},{0xa6e6,0xa6ef},{0xa830,0xa835},
    {0xa8d0,0xa8d9},{0xa900,0xa909},{0xa9d0,0xa9d9},{0xa9f0,0xa9f9},{0xaa50,0xaa59},{0xabf0,0xabf9},
    {0xf96b,0xf96b},{0xf973,0xf973},{0xf978,0xf978},{0xf9b2,0xf9b2},{0xf9d1,0xf9d1},{0xf9d3,0xf9d3},
    {0xf9fd,0xf9fd},{0xff10,0xff19},{0x10107,0x10133},{0x10140,0x10178},{0x1018a,0x1018b},{0x102e1,0x102fb},
    {0x10320,0x10323},{0x10341,0x10341},{0x1034a,0x1034a},{0x103d1,0x103d5},{0x104a0,0x104a9},{0x10858,0x1085f},
    {0x10879,0x1087f},{0x108a7,0x108af},{0x108fb,0x108ff},{0x10916,0x1091b},{0x109bc,0x109bd},{0x109c0,0x109cf},
    {0x109d2,0x109ff},{0x10a40,0x10a48},{0x10a7d,0x10a7e},{0x10a9d,0x10a9f},{0x10aeb,0x10aef},{0x10b58,0x10b5f},
    {0x10b78,0x10b7f},{0x10ba9,0x10baf},{0x10cfa,0x10cff},{0x10d30,0x10d39},{0x10e60,0x10e7e},{0x10f1d,0x10f26},
    {0x10f51,0x10f54},{0x10fc5,0x10fcb},{0x11052,0x1106f},{0x110f0,0x110f9},{0x11136,0x1113f},{0x111d0,0x111d9},
    {0x111e1,0x111f4},{0x112f0,0x112f9},{0x11450,0x11459},{0x114d0,0x114d9},{0x11650,0x11659},{0x116c0,0x116c9},
    {0x11730,0x1173b},{0x118e0,0x118f2},{0x11950,0x11959},{0x11c50,0x11c6c},{0x11d50,0x11d59},{0x11da0,0x11da9},
    {0x11fc0,0x11fd4},{0x12400,0x1246e},{0x16a60,0x16a69},{0x16ac0,0x16ac9},{0x16b50,0x16b59},{0x16b5b,0x16b61},
    {0x16e80,0x16e96},{0x1d2e0,0x1d2f3},{0x1d360,0x1d378},{0x1d7ce,0x1d7ff},{0x1e140,0x1e149},{0x1e2f0,0x1e2f9},
    {0x1e8c7,0x1e8cf},{0x1e950,0x1e959},{0x1ec71,0x1ecab},{0x1ecad,0x1ecaf},{0x1ecb1,0x1ecb4},{0x1ed01,0x1ed2d},
    {0x1ed2f,0x1ed3d},{0x1f100,0x1f10c},{0x1fbf0,0x1fbf9},{0x20001,0x20001},{0x20064,0x20064},{0x200e2,0x200e2},
    {0x20121,0x20121},{0x2092a,0x2092a},{0x20983,0x20983},{0x2098c,0x2098c},{0x2099c,0x2099c},{0x20aea,0x20aea},
    {0x20afd,0x20afd},{0x20b19,0x20b19},{0x22390,0x22390},{0x22998,0x22998},{0x23b1b,0x23b1b},{0x2626d,0x2626d},
    {0x2f890,0x2f890},
};
static const uc_special uc_upper_special[] = {  /* 102 */
    {0xdf,{0x53,0x53,0x0}},{0x149,{0x2bc,0x4e,0x0}},{0x1f0,{0x4a,0x30c,0x0}},{0x390,{0x399,0x308,0x301}},
    {0x3b0,{0x3a5,0x308,0x301}},{0x587,{0x535,0x552,0x0}},{0x1e96,{0x48,0x331,0x0}},{0x1e97,{0x54,0x308,0x0}},
    {0x1e98,{0x57,0x30a,0x0}},{0x1e99,{0x59,0x30a,0x0}},{0x1e9a,{0x41,0x2be,0x0}},{0x1f50,{0x3a5,0x313,0x0}},
    {0x1f52,{0x3a5,0x313,0x300}},{0x1f54,{0x3a5,0x313,0x301}},{0x1f56,{0x3a5,0x313,0x342}},{0x1f80,{0x1f08,0x399,0x0}},
    {0x1f81,{0x1f09,0x399,0x0}},{0x1f82,{0x1f0a,0x399,0x0}},{0x1f83,{0x1f0b,0x399,0x0}},{0x1f84,{0x1f0c,0x399,0x0}},
    {0x1f85,{0x1f0d,0x399,0x0}},{0x1f86,{0x1f0e,0x399,0x0}},{0x1f87,{0x1f0f,0x399,0x0}},{0x1f88,{0x1f08,0x399,0x0}},
    {0x1f89,{0x1f09,0x399,0x0}},{0x1f8a,{0x1f0a,0x399,0x0}},{0x1f8b,{0x1f0b,0x399,0x0}},{0x1f8c,{0x1f0c,0x399,0x0}},
    {0x1f8d,{0x1f0d,0x399,0x0}},{0x1f8e,{0x1f0e,0x399,0x0}},{0x1f8f,{0x1f0f,0x399,0x0}},{0x1f90,{0x1f28,0x399,0x0}},
    {0x1f91,{0x1f29,0x399,0x0}},{0x1f92,{0x1f2a,0x399,0x0}},{0x1f93,{0x1f2b,0x399,0x0}},{0x1f94,{0x1f2c,0x399,0x0}},
    {0x1f95,{0x1f2d,0x399,0x0}},{0x1f96,{0x1f2e,0x399,0x0}},{0x1f97,{0x1f2f,0x399,0x0}},{0x1f98,{0x1f28,0x399,0x0}},
    {0x1f99,{0x1f29,0x399,0x0}},{0x1f9a,{0x1f2a,0x399,0x0}},{0x1f9b,{0x1f2b,0x399,0x0}},{0x1f9c,{0x1f2c,0x399,0x0}},
    {0x1f9d,{0x1f2d,0x399,0x0}},{0x1f9e,{0x1f2e,0x399,0x0}},{0x1f9f,{0x1f2f,0x399,0x0}},{0x1fa0,{0x1f68,0x399,0x0}},
    {0x1fa1,{0x1f69,0x399,0x0}},{0x1fa2,{0x1f6a,0x399,0x0}},{0x1fa3,{0x1f6b,0x399,0x0}},{0x1fa4,{0x1f6c,0x399,0x0}},
    {0x1fa5,{0x1f6d,0x399,0x0}},{0x1fa6,{0x1f6e,0x399,0x0}},{0x1fa7,{0x1f6f,0x399,0x0}},{0x1fa8,{0x1f68,0x399,0x0}},
    {0x1fa9,{0x1f69,0x399,0x0}},{0x1faa,{0x1f6a,0x399,0x0}},{0x1fab,{0x1f6b,0x399,0x0}},{0x1fac,{0x1f6c,0x399,0x0}},
    {0x1fad,{0x1f6d,0x399,0x0}},{0x1fae,{0x1f6e,0x399,0x0}},{0x1faf,{0x1f6f,0x399,0x0}},{0x1fb2,{0x1fba,0x399,0x0}},
    {0x1fb3,{0x391,0x399,0x0}},{0x1fb4,{0x386,0x399,0x0}},{0x1fb6,{0x391,0x342,0x0}},{0x1fb7,{0x391,0x342,0x399}},
    {0x1fbc,{0x391,0x399,0x0}},{0x1fc2,{0x1fca,0x399,0x0}},{0x1fc3,{0x397,0x399,0x0}},{0x1fc4,{0x389,0x399,0x0}},
    {0x1fc6,{0x397,0x342,0x0}},{0x1fc7,{0x397,0x342,0x399}},{0x1fcc,{0x397,0x399,0x0}},{0x1fd2,{0x399,0x308,0x300}},
    {0x1fd3,{0x399,0x308,0x301}},{0x1fd6,{0x399,0x342,0x0}},{0x1fd7,{0x399,0x308,0x342}},{0x1fe2,{0x3a5,0x308,0x300}},
    {0x1fe3,{0x3a5,0x308,0x301}},{0x1fe4,{0x3a1,0x313,0x0}},{0x1fe6,{0x3a5,0x342,0x0}},{0x1fe7,{0x3a5,0x308,0x342}},
    {0x1ff2,{0x1ffa,0x399,0x0}},{0x1ff3,{0x3a9,0x399,0x0}},{0x1ff4,{0x38f,0x399,0x0}},{0x1ff6,{0x3a9,0x342,0x0}},
    {0x1ff7,{0x3a9,0x342,0x399}},{0x1ffc,{0x3a9,0x399,0x0}},{0xfb00,{0x46,0x46,0x0}},{0xfb01,{0x46,0x49,0x0}},
    {0xfb02,{0x46,0x4c,0x0}},{0xfb03,{0x46,0x46,0x49}},{0xfb04,{0x46,0x46,0x4c}},{0xfb05,{0x53,0x54,0x0}},
    {0xfb06,{0x53,0x54,0x0}},{0xfb13,{0x544,0x546,0x0}},{0xfb14,{0x544,0x535,0x0}},{0xfb15,{0x544,0x53b,0x0}},
    {0xfb16,{0x54e,0x546,0x0}},{0xfb17,{0x544,0x53d,0x0}},
};
static const uc_special uc_lower_special[] = {  /* 1 */
    {0x130,{0x69,0x307,0x0}},
};
static const uc_special uc_title_special[] = {  /* 106 */
    {0xdf,{0x53,0x73,0x0}},{0x149,{0x2bc,0x4e,0x0}},{0x1c4,{0x1c5,0x0,0x0}},{0x1c5,{0x1c5,0x0,0x0}},
    {0x1c6,{0x1c5,0x0,0x0}},{0x1c7,{0x1c8,0x0,0x0}},{0x1c8,{0x1c8,0x0,0x0}},{0x1c9,{0x1c8,0x0,0x0}},
    {0x1ca,{0x1cb,0x0,0x0}},{0x1cb,{0x1cb,0x0,0x0}},{0x1cc,{0x1cb,0x0,0x0}},{0x1f0,{0x4a,0x30c,0x0}},
    {0x1f1,{0x1f2,0x0,0x0}},{0x1f2,{0x1f2,0x0,0x0}},{0x1f3,{0x1f2,0x0,0x0}},{0x390,{0x399,0x308,0x301}},
    {0x3b0,{0x3a5,0x308,0x301}},{0x587,{0x535,0x582,0x0}},{0x10d0,{0x10d0,0x0,0x0}},{0x10d1,{0x10d1,0x0,0x0}},
    {0x10d2,{0x10d2,0x0,0x0}},{0x10d3,{0x10d3,0x0,0x0}},{0x10d4,{0x10d4,0x0,0x0}},{0x10d5,{0x10d5,0x0,0x0}},
    {0x10d6,{0x10d6,0x0,0x0}},{0x10d7,{0x10d7,0x0,0x0}},{0x10d8,{0x10d8,0x0,0x0}},{0x10d9,{0x10d9,0x0,0x0}},
    {0x10da,{0x10da,0x0,0x0}},{0x10db,{0x10db,0x0,0x0}},{0x10dc,{0x10dc,0x0,0x0}},{0x10dd,{0x10dd,0x0,0x0}},
    {0x10de,{0x10de,0x0,0x0}},{0x10df,{0x10df,0x0,0x0}},{0x10e0,{0x10e0,0x0,0x0}},{0x10e1,{0x10e1,0x0,0x0}},
    {0x10e2,{0x10e2,0x0,0x0}},{0x10e3,{0x10e3,0x0,0x0}},{0x10e4,{0x10e4,0x0,0x0}},{0x10e5,{0x10e5,0x0,0x0}},
    {0x10e6,{0x10e6,0x0,0x0}},{0x10e7,{0x10e7,0x0,0x0}},{0x10e8,{0x10e8,0x0,0x0}},{0x10e9,{0x10e9,0x0,0x0}},
    {0x10ea,{0x10ea,0x0,0x0}},{0x10eb,{0x10eb,0x0,0x0}},{0x10ec,{0x10ec,0x0,0x0}},{0x10ed,{0x10ed,0x0,0x0}},
    {0x10ee,{0x10ee,0x0,0x0}},{0x10ef,{0x10ef,0x0,0x0}},{0x10f0,{0x10f0,0x0,0x0}},{0x10f1,{0x10f1,0x0,0x0}},
    {0x10f2,{0x10f2,0x0,0x0}},{0x10f3,{0x10f3,0x0,0x0}},{0x10f4,{0x10f4,0x0,0x0}},{0x10f5,{0x10f5,0x0,0x0}},
    {0x10f6,{0x10f6,0x0,0x0}},{0x10f7,{0x10f7,0x0,0x0}},{0x10f8,{0x10f8,0x0,0x0}},{0x10f9,{0x10f9,0x0,0x0}},
    {0x10fa,{0x10fa,0x0,0x0}},{0x10fd,{0x10fd,0x0,0x0}},{0x10fe,{0x10fe,0x0,0x0}},{0x10ff,{0x10ff,0x0,0x0}},
    {0x1e96,{0x48,0x331,0x0}},{0x1e97,{0x54,0x308,0x0}},{0x1e98,{0x57,0x30a,0x0}},{0x1e99,{0x59,0x30a,0x0}},
    {0x1e9a,{0x41,0x2be,0x0}},{0x1f50,{0x3a5,0x313,0x0}},{0x1f52,{0x3a5,0x313,0x300}},{0x1f54,{0x3a5,0x313,0x301}},
    {0x1f56,{0x3a5,0x313,0x342}},{0x1fb2,{0x1fba,0x345,0x0}},{0x1fb4,{0x386,0x345,0x0}},{0x1fb6,{0x391,0x342,0x0}},
    {0x1fb7,{0x391,0x342,0x345}},{0x1fc2,{0x1fca,0x345,0x0}},{0x1fc4,{0x389,0x345,0x0}},{0x1fc6,{0x397,0x342,0x0}},
    {0x1fc7,{0x397,0x342,0x345}},{0x1fd2,{0x399,0x308,0x300}},{0x1fd3,{0x399,0x308,0x301}},{0x1fd6,{0x399,0x342,0x0}},
    {0x1fd7,{0x399,0x308,0x342}},{0x1fe2,{0x3a5,0x308,0x300}},{0x1fe3,{0x3a5,0x308,0x301}},{0x1fe4,{0x3a1,0x313,0x0}},
    {0x1fe6,{0x3a5,0x342,0x0}},{0x1fe7,{0x3a5,0x308,0x342}},{0x1ff2,{0x1ffa,0x345,0x0}},{0x1ff4,{0x38f,0x345,0x0}},
    {0x1ff6,{0x3a9,0x342,0x0}},{0x1ff7,{0x3a9,0x342,0x345}},{0xfb00,{0x46,0x66,0x0}},{0xfb01,{0x46,0x69,0x0}},
    {0xfb02,{0x46,0x6c,0x0}},{0xfb03,{0x46,0x66,0x69}},{0xfb04,{0x46,0x66,0x6c}},{0xfb05,{0x53,0x74,0x0}},
    {0xfb06,{0x53,0x74,0x0}},{0xfb13,{0x544,0x576,0x0}},{0xfb14,{0x544,0x565,0x0}},{0xfb15,{0x544,0x56b,0x0}},
    {0xfb16,{0x54e,0x576,0x0}},{0xfb17,{0x544,0x56d,0x0}},
};
static const uc_special uc_fold_special[] = {  /* 298 */
    {0xb5,{0x3bc,0x0,0x0}},{0xdf,{0x73,0x73,0x0}},{0x130,{0x69,0x307,0x0}},{0x149,{0x2bc,0x6e,0x0}},
    {0x17f,{0x73,0x0,0x0}},{0x1f0,{0x6a,0x30c,0x0}},{0x345,{0x3b9,0x0,0x0}},{0x390,{0x3b9,0x308,0x301}},
    {0x3b0,{0x3c5,0x308,0x301}},{0x3c2,{0x3c3,0x0,0x0}},{0x3d0,{0x3b2,0x0,0x0}},{0x3d1,{0x3b8,0x0,0x0}},
    {0x3d5,{0x3c6,0x0,0x0}},{0x3d6,{0x3c0,0x0,0x0}},{0x3f0,{0x3ba,0x0,0x0}},{0x3f1,{0x3c1,0x0,0x0}},
    {0x3f5,{0x3b5,0x0,0x0}},{0x587,{0x565,0x582,0x0}},{0x13a0,{0x13a0,0x0,0x0}},{0x13a1,{0x13a1,0x0,0x0}},
    {0x13a2,{0x13a2,0x0,0x0}},{0x13a3,{0x13a3,0x0,0x0}},{0x13a4,{0x13a4,0x0,0x0}},{0x13a5,{0x13a5,0x0,0x0}},
    {0x13a6,{0x13a6,0x0,0x0}},{0x13a7,{0x13a7,0x0,0x0}},{0x13a8,{0x13a8,0x0,0x0}},{0x13a9,{0x13a9,0x0,0x0}},
    {0x13aa,{0x13aa,0x0,0x0}},{0x13ab,{0x13ab,0x0,0x0}},{0x13ac,{0x13ac,0x0,0x0}},{0x13ad,{0x13ad,0x0,0x0}},
    {0x13ae,{0x13ae,0x0,0x0}},{0x13af,{0x13af,0x0,0x0}},{0x13b0,{0x13b0,0x0,0x0}},{0x13b1,{0x13b1,0x0,0x0}},
    {0x13b2,{0x13b2,0x0,0x0}},{0x13b3,{0x13b3,0x0,0x0}},{0x13b4,{0x13b4,0x0,0x0}},{0x13b5,{0x13b5,0x0,0x0}},
    {0x13b6,{0x13b6,0x0,0x0}},{0x13b7,{0x13b7,0x0,0x0}},{0x13b8,{0x13b8,0x0,0x0}},{0x13b9,{0x13b9,0x0,0x0}},
    {0x13ba,{0x13ba,0x0,0x0}},{0x13bb,{0x13bb,0x0,0x0}},{0x13bc,{0x13bc,0x0,0x0}},{0x13bd,{0x13bd,0x0,0x0}},
    {0x13be,{0x13be,0x0,0x0}},{0x13bf,{0x13bf,0x0,0x0}},{0x13c0,{0x13c0,0x0,0x0}},{0x13c1,{0x13c1,0x0,0x0}},
    {0x13c2,{0x13c2,0x0,0x0}},{0x13c3,{0x13c3,0x0,0x0}},{0x13c4,{0x13c4,0x0,0x0}},{0x13c5,{0x13c5,0x0,0x0}},
    {0x13c6,{0x13c6,0x0,0x0}},{0x13c7,{0x13c7,0x0,0x0}},{0x13c8,{0x13c8,0x0,0x0}},{0x13c9,{0x13c9,0x0,0x0}},
    {0x13ca,{0x13ca,0x0,0x0}},{0x13cb,{0x13cb,0x0,0x0}},{0x13cc,{0x13cc,0x0,0x0}},{0x13cd,{0x13cd,0x0,0x0}},
    {0x13ce,{0x13ce,0x0,0x0}},{0x13cf,{0x13cf,0x0,0x0}},{0x13d0,{0x13d0,0x0,0x0}},{0x13d1,{0x13d1,0x0,0x0}},
    {0x13d2,{0x13d2,0x0,0x0}},{0x13d3,{0x13d3,0x0,0x0}},{0x13d4,{0x13d4,0x0,0x0}},{0x13d5,{0x13d5,0x0,0x0}},
    {0x13d6,{0x13d6,0x0,0x0}},{0x13d7,{0x13d7,0x0,0x0}},{0x13d8,{0x13d8,0x0,0x0}},{0x13d9,{0x13d9,0x0,0x0}},
    {0x13da,{0x13da,0x0,0x0}},{0x13db,{0x13db,0x0,0x0}},{0x13dc,{0x13dc,0x0,0x0}},{0x13dd,{0x13dd,0x0,0x0}},
    {0x13de,{0x13de,0x0,0x0}},{0x13df,{0x13df,0x0,0x0}},{0x13e0,{0x13e0,0x0,0x0}},{0x13e1,{0x13e1,0x0,0x0}},
    {0x13e2,{0x13e2,0x0,0x0}},{0x13e3,{0x13e3,0x0,0x0}},{0x13e4,{0x13e4,0x0,0x0}},{0x13e5,{0x13e5,0x0,0x0}},
    {0x13e6,{0x13e6,0x0,0x0}},{0x13e7,{0x13e7,0x0,0x0}},{0x13e8,{0x13e8,0x0,0x0}},{0x13e9,{0x13e9,0x0,0x0}},
    {0x13ea,{0x13ea,0x0,0x0}},{0x13eb,{0x13eb,0x0,0x0}},{0x13ec,{0x13ec,0x0,0x0}},{0x13ed,{0x13ed,0x0,0x0}},
    {0x13ee,{0x13ee,0x0,0x0}},{0x13ef,{0x13ef,0x0,0x0}},{0x13f0,{0x13f0,0x0,0x0}},{0x13f1,{0x13f1,0x0,0x0}},
    {0x13f2,{0x13f2,0x0,0x0}},{0x13f3,{0x13f3,0x0,0x0}},{0x13f4,{0x13f4,0x0,0x0}},{0x13f5,{0x13f5,0x0,0x0}},
    {0x13f8,{0x13f0,0x0,0x0}},{0x13f9,{0x13f1,0x0,0x0}},{0x13fa,{0x13f2,0x0,0x0}},{0x13fb,{0x13f3,0x0,0x0}},
    {0x13fc,{0x13f4,0x0,0x0}},{0x13fd,{0x13f5,0x0,0x0}},{0x1c80,{0x432,0x0,0x0}},{0x1c81,{0x434,0x0,0x0}},
    {0x1c82,{0x43e,0x0,0x0}},{0x1c83,{0x441,0x0,0x0}},{0x1c84,{0x442,0x0,0x0}},{0x1c85,{0x442,0x0,0x0}},
    {0x1c86,{0x44a,0x0,0x0}},{0x1c87,{0x463,0x0,0x0}},{0x1c88,{0xa64b,0x0,0x0}},{0x1e96,{0x68,0x331,0x0}},
    {0x1e97,{0x74,0x308,0x0}},{0x1e98,{0x77,0x30a,0x0}},{0x1e99,{0x79,0x30a,0x0}},{0x1e9a,{0x61,0x2be,0x0}},
    {0x1e9b,{0x1e61,0x0,0x0}},{0x1e9e,{0x73,0x73,0x0}},{0x1f50,{0x3c5,0x313,0x0}},{0x1f52,{0x3c5,0x313,0x300}},
    {0x1f54,{0x3c5,0x313,0x301}},{0x1f56,{0x3c5,0x313,0x342}},{0x1f80,{0x1f00,0x3b9,0x0}},{0x1f81,{0x1f01,0x3b9,0x0}},
    {0x1f82,{0x1f02,0x3b9,0x0}},{0x1f83,{0x1f03,0x3b9,0x0}},{0x1f84,{0x1f04,0x3b9,0x0}},{0x1f85,{0x1f05,0x3b9,0x0}},
    {0x1f86,{0x1f06,0x3b9,0x0}},{0x1f87,{0x1f07,0x3b9,0x0}},{0x1f88,{0x1f00,0x3b9,0x0}},{0x1f89,{0x1f01,0x3b9,0x0}},
    {0x1f8a,{0x1f02,0x3b9,0x0}},{0x1f8b,{0x1f03,0x3b9,0x0}},{0x1f8c,{0x1f04,0x3b9,0x0}},{0x1f8d,{0x1f05,0x3b9,0x0}},
    {0x1f8e,{0x1f06,0x3b9,0x0}},{0x1f8f,{0x1f07,0x3b9,0x0}},{0x1f90,{0x1f20,0x3b9,0x0}},{0x1f91,{0x1f21,0x3b9,0x0}},
    {0x1f92,{0x1f22,0x3b9,0x0}},{0x1f93,{0x1f23,0x3b9,0x0}},{0x1f94,{0x1f24,0x3b9,0x0}},{0x1f95,{0x1f25,0x3b9,0x0}},
    {0x1f96,{0x1f26,0x3b9,0x0}},{0x1f97,{0x1f27,0x3b9,0x0}},{0x1f98,{0x1f20,0x3b9,0x0}},{0x1f99,{0x1f21,0x3b9,0x0}},
    {0x1f9a,{0x1f22,0x3b9,0x0}},{0x1f9b,{0x1f23,0x3b9,0x0}},{0x1f9c,{0x1f24,0x3b9,0x0}},{0x1f9d,{0x1f25,0x3b9,0x0}},
    {0x1f9e,{0x1f26,0x3b9,0x0}},{0x1f9f,{0x1f27,0x3b9,0x0}},{0x1fa0,{0x1f60,0x3b9,0x0}},{0x1fa1,{0x1f61,0x3b9,0x0}},
    {0x1fa2,{0x1f62,0x3b9,0x0}},{0x1fa3,{0x1f63,0x3b9,0x0}},{0x1fa4,{0x1f64,0x3b9,0x0}},{0x1fa5,{0x1f65,0x3b9,0x0}},
    {0x1fa6,{0x1f66,0x3b9,0x0}},{0x1fa7,{0x1f67,0x3b9,0x0}},{0x1fa8,{0x1f60,0x3b9,0x0}},{0x1fa9,{0x1f61,0x3b9,0x0}},
    {0x1faa,{0x1f62,0x3b9,0x0}},{0x1fab,{0x1f63,0x3b9,0x0}},{0x1fac,{0x1f64,0x3b9,0x0}},{0x1fad,{0x1f65,0x3b9,0x0}},
    {0x1fae,{0x1f66,0x3b9,0x0}},{0x1faf,{0x1f67,0x3b9,0x0}},{0x1fb2,{0x1f70,0x3b9,0x0}},{0x1fb3,{0x3b1,0x3b9,0x0}},
    {0x1fb4,{0x3ac,0x3b9,0x0}},{0x1fb6,{0x3b1,0x342,0x0}},{0x1fb7,{0x3b1,0x342,0x3b9}},{0x1fbc,{0x3b1,0x3b9,0x0}},
    {0x1fbe,{0x3b9,0x0,0x0}},{0x1fc2,{0x1f74,0x3b9,0x0}},{0x1fc3,{0x3b7,0x3b9,0x0}},{0x1fc4,{0x3ae,0x3b9,0x0}},
    {0x1fc6,{0x3b7,0x342,0x0}},{0x1fc7,{0x3b7,0x342,0x3b9}},{0x1fcc,{0x3b7,0x3b9,0x0}},{0x1fd2,{0x3b9,0x308,0x300}},
    {0x1fd3,{0x3b9,0x308,0x301}},{0x1fd6,{0x3b9,0x342,0x0}},{0x1fd7,{0x3b9,0x308,0x342}},{0x1fe2,{0x3c5,0x308,0x300}},
    {0x1fe3,{0x3c5,0x308,0x301}},{0x1fe4,{0x3c1,0x313,0x0}},{0x1fe6,{0x3c5,0x342,0x0}},{0x1fe7,{0x3c5,0x308,0x342}},
    {0x1ff2,{0x1f7c,0x3b9,0x0}},{0x1ff3,{0x3c9,0x3b9,0x0}},{0x1ff4,{0x3ce,0x3b9,0x0}},{0x1ff6,{0x3c9,0x342,0x0}},
    {0x1ff7,{0x3c9,0x342,0x3b9}},{0x1ffc,{0x3c9,0x3b9,0x0}},{0xab70,{0x13a0,0x0,0x0}},{0xab71,{0x13a1,0x0,0x0}},
    {0xab72,{0x13a2,0x0,0x0}},{0xab73,{0x13a3,0x0,0x0}},{0xab74,{0x13a4,0x0,0x0}},{0xab75,{0x13a5,0x0,0x0}},
    {0xab76,{0x13a6,0x0,0x0}},{0xab77,{0x13a7,0x0,0x0}},{0xab78,{0x13a8,0x0,0x0}},{0xab79,{0x13a9,0x0,0x0}},
    {0xab7a,{0x13aa,0x0,0x0}},{0xab7b,{0x13ab,0x0,0x0}},{0xab7c,{0x13ac,0x0,0x0}},{0xab7d,{0x13ad,0x0,0x0}},
    {0xab7e,{0x13ae,0x0,0x0}},{0xab7f,{0x13af,0x0,0x0}},{0xab80,{0x13b0,0x0,0x0}},{0xab81,{0x13b1,0x0,0x0}},
    {0xab82,{0x13b2,0x0,0x0}},{0xab83,{0x13b3,0x0,0x0}},{0xab84,{0x13b4,0x0,0x0}},{0xab85,{0x13b5,0x0,0x0}},
    {0xab86,{0x13b6,0x0,0x0}},{0xab87,{0x13b7,0x0,0x0}},{0xab88,{0x13b8,0x0,0x0}},{0xab89,{0x13b9,0x0,0x0}},
    {0xab8a,{0x13ba,0x0,0x0}},{0xab8b,{0x13bb,0x0,0x0}},{0xab8c,{0x13bc,0x0,0x0}},{0xab8d,{0x13bd,0x0,0x0}},
    {0xab8e,{0x13be,0x0,0x0}},{0xab8f,{0x13bf,0x0,0x0}},{0xab90,{0x13c0,0x0,0x0}},{0xab91,{0x13c1,0x0,0x0}},
    {0xab92,{0x13c2,0x0,0x0}},{0xab93,{0x13c3,0x0,0x0}},{0xab94,{0x13c4,0x0,0x0}},{0xab95,{0x13c5,0x0,0x0}},
    {0xab96,{0x13c6,0x0,0x0}},{0xab97,{0x13c7,0x0,0x0}},{0xab98,{0x13c8,0x0,0x0}},{0xab99,{0x13c9,0x0,0x0}},
    {0xab9a,{0x13ca,0x0,0x0}},{0xab9b,{0x13cb,0x0,0x0}},{0xab9c,{0x13cc,0x0,0x0}},{0xab9d,{0x13cd,0x0,0x0}},
    {0xab9e,{0x13ce,0x0,0x0}},{0xab9f,{0x13cf,0x0,0x0}},{0xaba0,{0x13d0,0x0,0x0}},{0xaba1,{0x13d1,0x0,0x0}},
    {0xaba2,{0x13d2,0x0,0x0}},{0xaba3,{0x13d3,0x0,0x0}},{0xaba4,{0x13d4,0x0,0x0}},{0xaba5,{0x13d5,0x0,0x0}},
    {0xaba6,{0x13d6,0x0,0x0}},{0xaba7,{0x13d7,0x0,0x0}},{0xaba8,{0x13d8,0x0,0x0}},{0xaba9,{0x13d9,0x0,0x0}},
    {0xabaa,{0x13da,0x0,0x0}},{0xabab,{0x13db,0x0,0x0}},{0xabac,{0x13dc,0x0,0x0}},{0xabad,{0x13dd,0x0,0x0}},
    {0xabae,{0x13de,0x0,0x0}},{0xabaf,{0x13df,0x0,0x0}},{0xabb0,{0x13e0,0x0,0x0}},{0xabb1,{0x13e1,0x0,0x0}},
    {0xabb2,{0x13e2,0x0,0x0}},{0xabb3,{0x13e3,0x0,0x0}},{0xabb4,{0x13e4,0x0,0x0}},{0xabb5,{0x13e5,0x0,0x0}},
    {0xabb6,{0x13e6,0x0,0x0}},{0xabb7,{0x13e7,0x0,0x0}},{0xabb8,{0x13e8,0x0,0x0}},{0xabb9,{0x13e9,0x0,0x0}},
    {0xabba,{0x13ea,0x0,0x0}},{0xabbb,{0x13eb,0x0,0x0}},{0xabbc,{0x13ec,0x0,0x0}},{0xabbd,{0x13ed,0x0,0x0}},
    {0xabbe,{0x13ee,0x0,0x0}},{0xabbf,{0x13ef,0x0,0x0}},{0xfb00,{0x66,0x66,0x0}},{0xfb01,{0x66,0x69,0x0}},
    {0xfb02,{0x66,0x6c,0x0}},{0xfb03,{0x66,0x66,0x69}},{0xfb04,{0x66,0x66,0x6c}},{0xfb05,{0x73,0x74,0x0}},
    {0xfb06,{0x73,0x74,0x0}},{0xfb13,{0x574,0x576,0x0}},{0xfb14,{0x574,0x565,0x0}},{0xfb15,{0x574,0x56b,0x0}},
    {0xfb16,{0x57e,0x576,0x0}},{0xfb17,{0x574,0x56d,0x0}},
};
/* Generated: end */

static bool uc_in(const uint32_t (*t)[2], size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < t[mid][0])
            hi = mid;
        else if (cp > t[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

static const uc_special *uc_find(const uc_special *t, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < t[mid].cp)
            hi = mid;
        else if (cp > t[mid].cp)
            lo = mid + 1;
        else
            return &t[mid];
    }
    return NULL;
}

#define UC_N(t) (sizeof(t) / sizeof((t)[0]))
static const size_t uc_printable_n = UC_N(uc_printable), uc_alpha_n = UC_N(uc_alpha),
    uc_decimal_n = UC_N(uc_decimal), uc_digit_n = UC_N(uc_digit),
    uc_numeric_n = UC_N(uc_numeric), uc_upper_special_n = UC_N(uc_upper_special),
    uc_lower_special_n = UC_N(uc_lower_special), uc_title_special_n = UC_N(uc_title_special),
    uc_fold_special_n = UC_N(uc_fold_special);


bool py_unicode_isspace(uint32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
}

bool py_unicode_isprintable(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 0x20 && cp < 0x7F;
    return uc_in(uc_printable, uc_printable_n, cp);
}

bool py_unicode_isalpha(uint32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    return uc_in(uc_alpha, uc_alpha_n, cp);
}

bool py_unicode_isdecimal(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return uc_in(uc_decimal, uc_decimal_n, cp);
}

bool py_unicode_isdigit(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return uc_in(uc_digit, uc_digit_n, cp);
}

bool py_unicode_isnumeric(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return uc_in(uc_numeric, uc_numeric_n, cp);
}

int py_unicode_decimal_value(uint32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return (int)(cp - '0');
    if (cp < 0x80 || !uc_in(uc_decimal, uc_decimal_n, cp))
        return -1;
    /* Every Unicode Nd run is made of whole blocks of ten starting at 0. */
    size_t lo = 0, hi = uc_decimal_n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < uc_decimal[mid][0])
            hi = mid;
        else if (cp > uc_decimal[mid][1])
            lo = mid + 1;
        else
            return (int)((cp - uc_decimal[mid][0]) % 10);
    }
    return -1;
}

/* Greek capitals with prosgegrammeni are title case (Lt) in Unicode but
 * glibc maps them to themselves. */
static bool greek_title(uint32_t cp)
{
    return (cp >= 0x1F88 && cp <= 0x1F8F) || (cp >= 0x1F98 && cp <= 0x1F9F)
        || (cp >= 0x1FA8 && cp <= 0x1FAF) || cp == 0x1FBC || cp == 0x1FCC
        || cp == 0x1FFC;
}

static uint32_t simple_upper(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
    return (uint32_t)towupper_l((wint_t)cp, utf8_locale);
}

static uint32_t simple_lower(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    return (uint32_t)towlower_l((wint_t)cp, utf8_locale);
}

static bool uc_istitle(uint32_t cp)
{
    if (cp < 0x80)
        return false;
    if (greek_title(cp))
        return true;
    return simple_upper(cp) != cp && simple_lower(cp) != cp;
}

static bool uc_isupper(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    return iswupper_l((wint_t)cp, utf8_locale) && !uc_istitle(cp);
}

static bool uc_islower(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    return iswlower_l((wint_t)cp, utf8_locale) && !uc_istitle(cp);
}

static bool uc_iscased(uint32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    return uc_isupper(cp) || uc_islower(cp) || uc_istitle(cp);
}

/* Characters that do not break a cased run (the final sigma rule). */
static bool uc_case_ignorable(uint32_t cp)
{
    return cp == '\'' || cp == '.' || cp == ':' || cp == '^' || cp == '`'
        || cp == 0xAD || cp == 0xB7 || cp == 0x2019 || (cp >= 0x300 && cp <= 0x36F);
}

/* Full case mapping of cp into out (1..3 code points); returns the count. */
static int case_map(uint32_t cp, int kind, uint32_t out[3])
{
    const uc_special *sp = NULL;
    switch (kind) {
    case MAP_UPPER: sp = uc_find(uc_upper_special, uc_upper_special_n, cp); break;
    case MAP_LOWER: sp = uc_find(uc_lower_special, uc_lower_special_n, cp); break;
    case MAP_TITLE: sp = uc_find(uc_title_special, uc_title_special_n, cp); break;
    default:        sp = uc_find(uc_fold_special, uc_fold_special_n, cp); break;
    }
    if (sp) {
        int n = 0;
        while (n < 3 && sp->out[n])
            out[n] = sp->out[n], n++;
        return n;
    }
    out[0] = kind == MAP_UPPER || kind == MAP_TITLE ? simple_upper(cp) : simple_lower(cp);
    return 1;
}

