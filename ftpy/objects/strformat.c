/* strformat.c — printf-style `%` formatting and str.format / format_map.
 *
 * Design notes
 *   `%`: one pass over the format (UTF-8 bytes; every directive is ASCII),
 *   literal runs copied at once. The argument rules are CPython's
 *   (Objects/unicodeobject.c, PyUnicode_Format): a tuple gives the
 *   arguments; anything else is the single argument, and also the mapping
 *   for %(name)s when its type has __getitem__ (so '%s' % [1] works).
 *   After a %(name) lookup the positional arguments count as used up.
 *   Integers: 64-bit values are printed here; big ints through py_format
 *   (format.c) for their digits. Floats %e/%f/%g: glibc's printf, which
 *   rounds correctly like CPython's own dtoa; inf and nan are spelled by
 *   hand ("nan", never "-nan").
 *   str.format: CPython's MarkupIterator grammar — literal text with
 *   "{{" and "}}", fields "{name.attr[key]!conv:spec}" where the spec may
 *   itself hold fields (expanded once: "Max string recursion exceeded"
 *   beyond that); each value goes through py_format(value, spec).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "objects/int.h"
#include "objects/str.h"
#include "objects/typeobject.h"

/* ---- printf-style ---------------------------------------------------------- */

enum { F_LJUST = 1, F_SIGN = 2, F_BLANK = 4, F_ALT = 8, F_ZERO = 16 };

typedef struct fmt_state {
    ft_object *args;             /* the right operand                     */
    ft_object *dict;             /* mapping for %(name), or NULL          */
    ssize_t arglen, argidx;      /* CPython's convention: -1/-2 = single  */
    bool bytes_mode;             /* bytes % args: text is latin-1         */
} fmt_state;

/* The next positional argument, borrowed. */
static ft_object *next_arg(fmt_state *st)
{
    if (st->argidx < st->arglen) {
        ssize_t i = st->argidx++;
        if (st->arglen < 0)
            return st->args;
        return ft_tuple_get_borrow(st->args, i);
    }
    return py_err_format(py_exc_TypeError, "not enough arguments for format string");
}

/* Appends body (n bytes, len code points) padded to width; zeros go after
 * the first `signlen` bytes (sign and 0x prefix) when F_ZERO applies. */
static int put_padded(py_strbuf *b, const char *body, ssize_t n, ssize_t len,
                      ssize_t signlen, ssize_t width, int flags, bool zero_ok)
{
    ssize_t fill = width > len ? width - len : 0;
    if (fill == 0)
        return py_strbuf_append(b, body, (size_t)n);
    if (flags & F_LJUST)
        return py_strbuf_append(b, body, (size_t)n) < 0 ? -1 : py_strbuf_fill(b, ' ', fill);
    if ((flags & F_ZERO) && zero_ok)
        return py_strbuf_append(b, body, (size_t)signlen) < 0 ||
               py_strbuf_fill(b, '0', fill) < 0 ||
               py_strbuf_append(b, body + signlen, (size_t)(n - signlen)) < 0 ? -1 : 0;
    return py_strbuf_fill(b, ' ', fill) < 0 ? -1 : py_strbuf_append(b, body, (size_t)n);
}

/* %s %r %a: the text of v, cut to prec code points, padded. */
static int format_text(py_strbuf *b, ft_object *v, char conv, ssize_t width, ssize_t prec,
                       int flags)
{
    ft_object *s = conv == 's' ? py_str(v) : conv == 'r' ? py_repr(v) : py_ascii(v);
    if (!s)
        return -1;
    ft_object *str = py_str_unbox_borrow(s);
    if (!str) {
        ft_decref(s);
        return py_err_format_int(py_exc_TypeError, "__str__ returned non-string (type %s)",
                                 py_type_name(s));
    }
    ssize_t n, len = ft_len(str);
    const char *p = ft_str_utf8_borrow(str, &n);
    if (prec >= 0 && prec < len) {
        ssize_t cut = 0;
        for (ssize_t k = 0; k < prec; k++)
            cut += (p[cut] & 0x80) == 0 ? 1 : ((unsigned char)p[cut] < 0xE0 ? 2 :
                                              (unsigned char)p[cut] < 0xF0 ? 3 : 4);
        n = cut;
        len = prec;
    }
    int rc = put_padded(b, p, n, len, 0, width, flags, false);
    ft_decref(s);
    return rc;
}

static bool has_slot(ft_object *o, ft_object *name)
{
    return py_type_lookup_borrow(py_type_of(o), name) != NULL;
}

/* The integer behind v for %d (any real number) or %x %o (__index__):
 * a new reference to an int, or NULL with TypeError. */
static ft_object *int_arg(ft_object *v, char conv)
{
    if (py_long_check(v))
        return ft_newref(v);
    bool ok = conv == 'd' || conv == 'i' || conv == 'u'
        ? v->ob_type == &ft_float_type || has_slot(v, PY_ID(__index__)) ||
          has_slot(v, PY_ID(__int__)) || has_slot(v, PY_ID(__float__))
        : has_slot(v, PY_ID(__index__));
    if (!ok) {
        if (conv == 'd' || conv == 'i' || conv == 'u')
            return py_err_format(py_exc_TypeError, "%%%c format: a real number is required, not %s",
                                 conv, py_type_name(v));
        return py_err_format(py_exc_TypeError, "%%%c format: an integer is required, not %s",
                             conv, py_type_name(v));
    }
    ft_object *r = py_call1((ft_object *)&py_int_class, v);
    if (r && !py_long_check(r)) {
        ft_decref(r);
        return py_err_format(py_exc_TypeError, "an integer is required");
    }
    return r;
}

/* The digits of |v| in base 10/16/8 (upper for 'X') into a strbuf;
 * *neg gets the sign. */
static int int_digits(ft_object *v, char conv, py_strbuf *digits, bool *neg)
{
    int64_t x;
    if (py_long_as_i64(v, &x) == 0) {
        uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
        *neg = x < 0;
        char tmp[72];
        int n = py_u64_to_digits(u, conv == 'x' || conv == 'X' ? 16 : conv == 'o' ? 8 : 10,
                                 conv == 'X', tmp);
        return py_strbuf_append(digits, tmp, (size_t)n);
    }
    if (!py_err_matches(py_exc_OverflowError))
        return -1;
    py_err_clear();
    const char *spec = conv == 'x' ? "x" : conv == 'X' ? "X" : conv == 'o' ? "o" : "d";
    ft_object *specobj = py_str_from_cstr(spec);
    if (!specobj)
        return -1;
    ft_object *s = py_format(v, specobj);
    ft_decref(specobj);
    if (!s)
        return -1;
    ssize_t n;
    const char *p = ft_str_utf8_borrow(s, &n);
    if (!p) {
        ft_decref(s);
        return py_err_from_ft_int();
    }
    *neg = n > 0 && p[0] == '-';
    int rc = py_strbuf_append(digits, p + *neg, (size_t)(n - *neg));
    ft_decref(s);
    return rc;
}

static int format_int(py_strbuf *b, ft_object *v, char conv, ssize_t width, ssize_t prec,
                      int flags)
{
    ft_object *iv = int_arg(v, conv);
    if (!iv)
        return -1;
    py_strbuf body, digits;
    py_strbuf_init(&body);
    py_strbuf_init(&digits);
    bool neg = false;
    int rc = int_digits(iv, conv, &digits, &neg);
    ft_decref(iv);
    if (rc < 0)
        goto done;
    if (neg)
        rc = py_strbuf_append(&body, "-", 1);
    else if (flags & F_SIGN)
        rc = py_strbuf_append(&body, "+", 1);
    else if (flags & F_BLANK)
        rc = py_strbuf_append(&body, " ", 1);
    if (rc == 0 && (flags & F_ALT) && conv != 'd' && conv != 'i' && conv != 'u')
        rc = py_strbuf_append(&body, conv == 'x' ? "0x" : conv == 'X' ? "0X" : "0o", 2);
    ssize_t signlen = (ssize_t)body.len;
    if (rc == 0 && prec > (ssize_t)digits.len)
        rc = py_strbuf_fill(&body, '0', prec - (ssize_t)digits.len);
    if (rc == 0)
        rc = py_strbuf_append(&body, digits.data, digits.len);
    if (rc == 0)
        rc = put_padded(b, body.data, (ssize_t)body.len, (ssize_t)body.len, signlen, width,
                        flags, true);
done:
    py_strbuf_free(&body);
    py_strbuf_free(&digits);
    return rc;
}

/* The double behind v for %e %f %g: 0 or -1 with TypeError. */
static int float_arg(ft_object *v, double *out)
{
    if (v->ob_type == &ft_float_type) {
        *out = ft_float_as_double(v);
        return 0;
    }
    if (!py_long_check(v) && !has_slot(v, PY_ID(__float__)) && !has_slot(v, PY_ID(__index__)))
        return py_err_format_int(py_exc_TypeError, "must be real number, not %s",
                                 py_type_name(v));
    ft_object *f = py_call1((ft_object *)&py_float_class, v);
    if (!f)
        return -1;
    ft_object *fv = f->ob_type == &ft_float_type ? f : py_unbox_borrow(f, &ft_float_type);
    if (!fv) {
        ft_decref(f);
        return py_err_format_int(py_exc_TypeError, "must be real number, not %s",
                                 py_type_name(v));
    }
    *out = ft_float_as_double(fv);
    ft_decref(f);
    return 0;
}

static int format_float(py_strbuf *b, ft_object *v, char conv, ssize_t width, ssize_t prec,
                        int flags)
{
    double x = 0.0;
    if (float_arg(v, &x) < 0)
        return -1;
    if (prec < 0)
        prec = 6;
    py_strbuf body;
    py_strbuf_init(&body);
    int rc = 0;
    bool neg = signbit(x) && !isnan(x);
    if (neg)
        rc = py_strbuf_append(&body, "-", 1);
    else if (flags & F_SIGN)
        rc = py_strbuf_append(&body, "+", 1);
    else if (flags & F_BLANK)
        rc = py_strbuf_append(&body, " ", 1);
    ssize_t signlen = (ssize_t)body.len;
    bool upper = conv == 'E' || conv == 'F' || conv == 'G';
    if (rc == 0 && !isfinite(x)) {
        rc = py_strbuf_append_cstr(&body, isnan(x) ? (upper ? "NAN" : "nan")
                                                   : (upper ? "INF" : "inf"));
    } else if (rc == 0) {
        bool alt = (flags & F_ALT) != 0;
        double ax = fabs(x);
        char small[128];
        int n = py_float_snprintf(small, sizeof small, conv, alt, (int)prec, ax);
        if (n < (int)sizeof small) {
            rc = py_strbuf_append(&body, small, (size_t)n);
        } else {
            char *big = malloc((size_t)n + 1);
            if (!big) {
                py_err_nomemory();
                rc = -1;
            } else {
                py_float_snprintf(big, (size_t)n + 1, conv, alt, (int)prec, ax);
                rc = py_strbuf_append(&body, big, (size_t)n);
                free(big);
            }
        }
    }
    if (rc == 0)
        rc = put_padded(b, body.data, (ssize_t)body.len, (ssize_t)body.len, signlen, width,
                        flags, true);
    py_strbuf_free(&body);
    return rc;
}

static int format_char(py_strbuf *b, ft_object *v, ssize_t width, int flags)
{
    uint32_t cp;
    ft_object *s = py_str_unbox_borrow(v);
    if (s) {
        if (ft_len(s) != 1)
            return py_err_format_int(py_exc_TypeError, "%%c requires int or char");
        py_utf8_next(ft_str_utf8_borrow(s, NULL), &cp);
    } else if (py_long_check(v)) {
        int64_t x;
        if (py_long_as_i64(v, &x) < 0 || x < 0 || x > 0x10FFFF) {
            py_err_clear();
            return py_err_format_int(py_exc_OverflowError, "%%c arg not in range(0x110000)");
        }
        cp = (uint32_t)x;
    } else {
        return py_err_format_int(py_exc_TypeError, "%%c requires int or char");
    }
    char enc[4];
    int n = py_utf8_encode(cp, enc);
    return put_padded(b, enc, n, 1, 0, width, flags, false);
}

/* bytes % args runs this engine on the format decoded as latin-1 (one
 * character per byte) and encodes the result back: bytes arguments are
 * spliced in as latin-1 text. */
static ft_object *latin1_str(const char *p, ssize_t n)
{
    py_strbuf b;
    py_strbuf_init(&b);
    for (ssize_t i = 0; i < n; i++)
        if (py_strbuf_putc(&b, (unsigned char)p[i]) < 0) {
            py_strbuf_free(&b);
            return NULL;
        }
    return py_strbuf_finish(&b);
}

/* The bytes of v for %s / %b (bytes or __bytes__) as a latin-1 str. */
static ft_object *bytes_text(ft_object *v)
{
    ft_object *owned = py_bytes_like_ref(v);   /* bytes, bytearray */
    if (!owned && py_err_occurred())
        return NULL;
    if (owned) {
        v = owned;
    } else {
        ft_object *m;
        int found = py_lookup_special(v, PY_ID(__bytes__), &m);
        if (found < 0)
            return NULL;
        if (found) {
            owned = py_call0(m);
            ft_decref(m);
            if (!owned)
                return NULL;
        }
        if (!owned || !py_unbox_borrow(owned, &py_bytes_class.ft)) {
            ft_xdecref(owned);
            return py_err_format(py_exc_TypeError,
                                 "%%b requires a bytes-like object, or an object that "
                                 "implements __bytes__, not '%s'", py_type_name(v));
        }
        v = owned;
    }
    ssize_t n;
    const char *p = py_bytes_data(v, &n);
    ft_object *r = p ? latin1_str(p, n) : NULL;
    ft_xdecref(owned);
    return r;
}

static int format_bytes_text(py_strbuf *b, ft_object *v, ssize_t width, ssize_t prec,
                             int flags)
{
    ft_object *s = bytes_text(v);
    if (!s)
        return -1;
    int rc = format_text(b, s, 's', width, prec, flags);
    ft_decref(s);
    return rc;
}

static int format_bytes_char(py_strbuf *b, ft_object *v, ssize_t width, int flags)
{
    uint32_t c;
    ssize_t n;
    const char *p;
    if (py_long_check(v)) {
        int64_t x;
        if (py_long_as_i64(v, &x) < 0 || x < 0 || x > 255) {
            py_err_clear();
            return py_err_format_int(py_exc_OverflowError, "%%c arg not in range(256)");
        }
        c = (uint32_t)x;
    } else if (py_unbox_borrow(v, &py_bytes_class.ft) && (p = py_bytes_data(v, &n)) && n == 1) {
        c = (unsigned char)p[0];
    } else if (py_bytearray_check(v) && ft_len(v) == 1) {
        ft_object *one = py_bytearray_snapshot(v);
        if (!one)
            return -1;
        c = (unsigned char)py_bytes_data(one, NULL)[0];
        ft_decref(one);
    } else {
        return py_err_format_int(py_exc_TypeError,
                                 "%%c requires an integer in range(256) or a single byte");
    }
    char enc[4];
    int k = py_utf8_encode(c, enc);
    return put_padded(b, enc, k, 1, 0, width, flags, false);
}

/* A '*' width or precision: the next argument, an int. */
static int star_arg(fmt_state *st, ssize_t *out)
{
    ft_object *a = next_arg(st);
    if (!a)
        return -1;
    if (!py_long_check(a))
        return py_err_format_int(py_exc_TypeError, "* wants int");
    int64_t x;
    if (py_long_as_i64(a, &x) < 0 || x > PTRDIFF_MAX / 2 || x < -(PTRDIFF_MAX / 2)) {
        py_err_clear();
        return py_err_format_int(py_exc_ValueError, "width too big");
    }
    *out = (ssize_t)x;
    return 0;
}

/* Character index of byte offset i in s (for error messages). */
static ssize_t char_index(const char *s, ssize_t i)
{
    ssize_t c = 0;
    for (ssize_t k = 0; k < i; k++)
        c += ((unsigned char)s[k] & 0xC0) != 0x80;
    return c;
}

/* One directive starting after '%' at s[*pos]; advances *pos. */
static int format_directive(py_strbuf *b, fmt_state *st, const char *s, ssize_t n,
                            ssize_t *pos)
{
    ssize_t i = *pos;
    ft_object *keyed = NULL;     /* value found by %(name), owned         */
    int rc = -1;
    if (i < n && s[i] == '(') {
        if (!st->dict)
            return py_err_format_int(py_exc_TypeError, "format requires a mapping");
        ssize_t depth = 1, k0 = ++i;
        while (i < n && depth > 0) {
            if (s[i] == '(')
                depth++;
            else if (s[i] == ')')
                depth--;
            i++;
        }
        if (depth > 0)
            return py_err_format_int(py_exc_ValueError, "incomplete format key");
        ft_object *key;
        if (st->bytes_mode) {
            /* the key's characters are latin-1: back to bytes */
            ft_object *ks = ft_str_from_utf8(s + k0, i - 1 - k0);
            key = ks ? py_str_encode(ks, "latin-1", NULL) : NULL;
            ft_xdecref(ks);
            if (!key)
                return py_err_occurred() ? -1 : py_err_from_ft_int();
        } else if (!(key = ft_str_from_utf8(s + k0, i - 1 - k0))) {
            return py_err_from_ft_int();
        }
        keyed = py_getitem(st->dict, key);
        ft_decref(key);
        if (!keyed)
            return -1;
        st->arglen = -1;         /* positional arguments are used up */
        st->argidx = 0;
    }
    int flags = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '-') flags |= F_LJUST;
        else if (c == '+') flags |= F_SIGN;
        else if (c == ' ') flags |= F_BLANK;
        else if (c == '#') flags |= F_ALT;
        else if (c == '0') flags |= F_ZERO;
        else break;
    }
    ssize_t width = -1, prec = -1;
    if (i < n && s[i] == '*') {
        if (star_arg(st, &width) < 0)
            goto out;
        if (width < 0) {
            flags |= F_LJUST;
            width = -width;
        }
        i++;
    } else {
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            width = (width < 0 ? 0 : width) * 10 + (s[i++] - '0');
            if (width > PTRDIFF_MAX / 20) {
                py_err_format(py_exc_ValueError, "width too big");
                goto out;
            }
        }
    }
    if (i < n && s[i] == '.') {
        i++;
        prec = 0;
        if (i < n && s[i] == '*') {
            if (star_arg(st, &prec) < 0)
                goto out;
            if (prec < 0)
                prec = 0;
            i++;
        } else {
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                prec = prec * 10 + (s[i++] - '0');
                if (prec > PTRDIFF_MAX / 20) {
                    py_err_format(py_exc_ValueError, "precision too big");
                    goto out;
                }
            }
        }
    }
    while (i < n && (s[i] == 'h' || s[i] == 'l' || s[i] == 'L'))
        i++;
    if (i >= n) {
        py_err_format(py_exc_ValueError, "incomplete format");
        goto out;
    }
    char conv = s[i++];
    if (conv == '%') {
        rc = py_strbuf_append(b, "%", 1);
        goto out;
    }
    ft_object *v = keyed;
    if (!v && !(v = next_arg(st)))
        goto out;
    if (st->bytes_mode && (conv == 's' || conv == 'b')) {
        rc = format_bytes_text(b, v, width, prec, flags);
        goto out;
    }
    if (st->bytes_mode && conv == 'c') {
        rc = format_bytes_char(b, v, width, flags);
        goto out;
    }
    switch (conv) {
    case 's': case 'r': case 'a':
        rc = format_text(b, v, st->bytes_mode ? 'a' : conv, width, prec, flags);
        break;
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
        rc = format_int(b, v, conv, width, prec, flags);
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        rc = format_float(b, v, conv, width, prec, flags);
        break;
    case 'c':
        rc = format_char(b, v, width, flags);
        break;
    default: {
        uint32_t cp;
        py_utf8_next(s + i - 1, &cp);
        if (cp >= 0x20 && cp < 0x7F)
            py_err_format(py_exc_ValueError,
                          "unsupported format character '%c' (0x%x) at index %zd",
                          (char)cp, cp, char_index(s, i - 1));
        else
            py_err_format(py_exc_ValueError,
                          "unsupported format character '?' (0x%x) at index %zd", cp,
                          char_index(s, i - 1));
        break;
    }
    }
out:
    ft_xdecref(keyed);
    *pos = i;
    return rc;
}

/* The `%` engine over UTF-8 text s[0..n): the result str, or NULL. */
static ft_object *mod_format(const char *s, ssize_t n, ft_object *args, bool bytes_mode)
{
    fmt_state st = { .args = args, .dict = NULL, .bytes_mode = bytes_mode };
    ft_object *tuple = args->ob_type == &ft_tuple_type ? args : py_unbox_borrow(args, &ft_tuple_type);
    if (tuple) {
        st.args = tuple;
        st.arglen = ft_len(tuple);
        st.argidx = 0;
    } else {
        st.arglen = -1;
        st.argidx = -2;
    }
    if (!tuple && !py_str_check(args) && !py_unbox_borrow(args, &py_bytes_class.ft) &&
        (py_type_of(args)->tp_getitem || args->ob_type == &ft_dict_type))
        st.dict = args;
    py_strbuf b;
    py_strbuf_init(&b);
    ssize_t i = 0;
    while (i < n) {
        const char *pct = memchr(s + i, '%', (size_t)(n - i));
        ssize_t j = pct ? pct - s : n;
        if (j > i && py_strbuf_append(&b, s + i, (size_t)(j - i)) < 0)
            goto fail;
        if (!pct)
            break;
        i = j + 1;
        if (format_directive(&b, &st, s, n, &i) < 0)
            goto fail;
    }
    if (st.argidx < st.arglen && !st.dict) {
        py_err_format(py_exc_TypeError, bytes_mode
                      ? "not all arguments converted during bytes formatting"
                      : "not all arguments converted during string formatting");
        goto fail;
    }
    return py_strbuf_finish(&b);
fail:
    py_strbuf_free(&b);
    return NULL;
}

ft_object *py_str_mod_format(ft_object *fmt, ft_object *args)
{
    ft_object *f = py_str_unbox_borrow(fmt);
    if (!f)
        return py_err_format(py_exc_TypeError, "expected str");
    ssize_t n;
    const char *s = ft_str_utf8_borrow(f, &n);
    return mod_format(s, n, args, false);
}

ft_object *py_bytes_mod_format(ft_object *fmt, ft_object *args)
{
    ssize_t n;
    const char *p = py_bytes_data(fmt, &n);
    if (!p)
        return NULL;
    ft_object *text = latin1_str(p, n);
    if (!text)
        return NULL;
    ssize_t tn;
    const char *t = ft_str_utf8_borrow(text, &tn);
    ft_object *r = mod_format(t, tn, args, true);
    ft_decref(text);
    if (!r)
        return NULL;
    /* every character is < 256 except from %a/%r (ASCII) and numbers */
    ft_object *bytes = py_str_encode(r, "latin-1", NULL);
    ft_decref(r);
    return bytes;
}

/* ---- str.format ------------------------------------------------------------------- */

typedef struct fmt_ctx {
    ft_object *const *args;
    size_t nargs;
    ft_object *kwargs;           /* mapping or NULL                          */
    ssize_t auto_idx;            /* next automatic index; -1: manual used    */
    bool manual;                 /* a manual index was used                  */
} fmt_ctx;

static int vformat(py_strbuf *out, fmt_ctx *ctx, const char *s, ssize_t n, int depth);

static bool all_digits(const char *s, ssize_t n)
{
    if (n == 0)
        return false;
    for (ssize_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static ssize_t parse_index(const char *s, ssize_t n)
{
    ssize_t v = 0;
    for (ssize_t i = 0; i < n; i++) {
        if (v > (PTRDIFF_MAX - 9) / 10)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* The object named by the first part of a field name (s[0..n)). */
static ft_object *field_first(fmt_ctx *ctx, const char *s, ssize_t n)
{
    if (n == 0 || all_digits(s, n)) {
        ssize_t idx;
        if (n == 0) {
            if (ctx->manual)
                return py_err_format(py_exc_ValueError,
                    "cannot switch from manual field specification to automatic field numbering");
            idx = ctx->auto_idx++;
        } else {
            if (ctx->auto_idx > 0)
                return py_err_format(py_exc_ValueError,
                    "cannot switch from automatic field numbering to manual field specification");
            ctx->manual = true;
            idx = parse_index(s, n);
            if (idx < 0)
                return py_err_format(py_exc_ValueError, "Too many decimal digits in format string");
        }
        if ((size_t)idx >= ctx->nargs)
            return py_err_format(py_exc_IndexError,
                                 "Replacement index %zd out of range for positional args tuple",
                                 idx);
        return ft_newref(ctx->args[idx]);
    }
    ft_object *key = ft_str_from_utf8(s, n);
    if (!key)
        return py_err_from_ft();
    if (!ctx->kwargs) {
        py_err_set_key(key);
        ft_decref(key);
        return NULL;
    }
    ft_object *v = py_getitem(ctx->kwargs, key);
    ft_decref(key);
    return v;
}

/* Resolves a whole field name: first part, then .attr and [key] parts. */
static ft_object *field_value(fmt_ctx *ctx, const char *s, ssize_t n)
{
    ssize_t i = 0;
    while (i < n && s[i] != '.' && s[i] != '[')
        i++;
    ft_object *obj = field_first(ctx, s, i);
    if (!obj)
        return NULL;
    while (i < n) {
        ft_object *next;
        if (s[i] == '.') {
            ssize_t k0 = ++i;
            while (i < n && s[i] != '.' && s[i] != '[')
                i++;
            if (i == k0) {
                ft_decref(obj);
                return py_err_format(py_exc_ValueError, "Empty attribute in format string");
            }
            ft_object *name = ft_str_from_utf8(s + k0, i - k0);
            if (!name) {
                ft_decref(obj);
                return py_err_from_ft();
            }
            next = py_getattr(obj, name);
            ft_decref(name);
        } else if (s[i] == '[') {
            ssize_t k0 = ++i;
            while (i < n && s[i] != ']')
                i++;
            if (i >= n) {
                ft_decref(obj);
                return py_err_format(py_exc_ValueError, "Missing ']' in format string");
            }
            if (i == k0) {
                ft_decref(obj);
                return py_err_format(py_exc_ValueError, "Empty attribute in format string");
            }
            ft_object *key = all_digits(s + k0, i - k0)
                ? ft_int_from_i64(parse_index(s + k0, i - k0))
                : ft_str_from_utf8(s + k0, i - k0);
            i++;   /* past ']' */
            if (!key) {
                ft_decref(obj);
                return py_err_from_ft();
            }
            next = py_getitem(obj, key);
            ft_decref(key);
            if (next && i < n && s[i] != '.' && s[i] != '[') {
                ft_decref(next);
                next = py_err_format(py_exc_ValueError,
                                     "Only '.' or '[' may follow ']' in format field specifier");
            }
        } else {
            ft_decref(obj);
            return py_err_format(py_exc_ValueError,
                                 "Only '.' or '[' may follow ']' in format field specifier");
        }
        ft_decref(obj);
        if (!next)
            return NULL;
        obj = next;
    }
    return obj;
}

/* One replacement field: its text between the braces is s[0..n). */
static int format_field(py_strbuf *out, fmt_ctx *ctx, const char *s, ssize_t n, int depth,
                        bool spec_has_fields)
{
    /* the field name ends at ':' or '!' outside brackets */
    ssize_t i = 0;
    while (i < n) {
        if (s[i] == '[') {
            while (i < n && s[i] != ']')
                i++;
            if (i < n)
                i++;
            continue;
        }
        if (s[i] == ':' || s[i] == '!')
            break;
        if (s[i] == '{')
            return py_err_format_int(py_exc_ValueError, "unexpected '{' in field name");
        i++;
    }
    ssize_t name_end = i;
    char conv = 0;
    if (i < n && s[i] == '!') {
        if (i + 1 >= n)
            return py_err_format_int(py_exc_ValueError,
                                     "end of string while looking for conversion specifier");
        conv = s[i + 1];
        i += 2;
        if (i < n && s[i] != ':')
            return py_err_format_int(py_exc_ValueError, "expected ':' after conversion specifier");
    }
    const char *spec = i < n ? s + i + 1 : s + n;
    ssize_t spec_n = i < n ? n - i - 1 : 0;

    ft_object *v = field_value(ctx, s, name_end);
    if (!v)
        return -1;
    if (conv) {
        ft_object *c;
        switch (conv) {
        case 'r': c = py_repr(v); break;
        case 's': c = py_str(v); break;
        case 'a': c = py_ascii(v); break;
        default: {
            uint32_t cp;
            py_utf8_next(s + name_end + 1, &cp);
            char enc[5] = { 0 };
            py_utf8_encode(cp, enc);
            ft_decref(v);
            return py_err_format_int(py_exc_ValueError, "Unknown conversion specifier %s", enc);
        }
        }
        ft_decref(v);
        if (!c)
            return -1;
        v = c;
    }
    /* the common case: "{}" of a str */
    if (spec_n == 0 && v->ob_type == &ft_str_type) {
        int rc = py_strbuf_append_str(out, v);
        ft_decref(v);
        return rc;
    }
    ft_object *specobj;
    if (spec_has_fields) {
        py_strbuf sb;
        py_strbuf_init(&sb);
        if (vformat(&sb, ctx, spec, spec_n, depth - 1) < 0) {
            py_strbuf_free(&sb);
            ft_decref(v);
            return -1;
        }
        specobj = py_strbuf_finish(&sb);
    } else {
        specobj = ft_str_from_utf8(spec, spec_n);
        if (!specobj)
            py_err_from_ft();
    }
    if (!specobj) {
        ft_decref(v);
        return -1;
    }
    ft_object *r = py_format(v, specobj);
    ft_decref(specobj);
    ft_decref(v);
    if (!r)
        return -1;
    ft_object *rs = py_str_unbox_borrow(r);
    int rc = rs ? py_strbuf_append_str(out, rs)
                : py_err_format_int(py_exc_TypeError, "__format__ must return a str, not %s",
                                    py_type_name(r));
    ft_decref(r);
    return rc;
}

static int vformat(py_strbuf *out, fmt_ctx *ctx, const char *s, ssize_t n, int depth)
{
    if (depth <= 0)
        return py_err_format_int(py_exc_ValueError, "Max string recursion exceeded");
    ssize_t i = 0;
    while (i < n) {
        /* literal text up to the next brace */
        ssize_t j = i;
        while (j < n && s[j] != '{' && s[j] != '}')
            j++;
        if (j > i && py_strbuf_append(out, s + i, (size_t)(j - i)) < 0)
            return -1;
        if (j >= n)
            break;
        char c = s[j];
        if (j + 1 < n && s[j + 1] == c) {   /* "{{" or "}}" */
            if (py_strbuf_append(out, &c, 1) < 0)
                return -1;
            i = j + 2;
            continue;
        }
        if (c == '}')
            return py_err_format_int(py_exc_ValueError, "Single '}' encountered in format string");
        if (j + 1 >= n)
            return py_err_format_int(py_exc_ValueError, "Single '{' encountered in format string");
        /* a field: find its matching '}' as CPython's MarkupIterator does:
         * brackets of the field name are skipped whole, '!' takes the next
         * character as the conversion, braces after ':' nest */
        ssize_t k = j + 1, count = 1;
        bool in_spec = false, nested = false;
        while (k < n) {
            char d = s[k];
            if (!in_spec) {
                if (d == '[') {
                    while (k < n && s[k] != ']')
                        k++;
                    if (k < n)
                        k++;
                    continue;
                }
                if (d == '!' || d == ':') {
                    in_spec = true;
                    k += d == '!' ? 2 : 1;
                    continue;
                }
            }
            if (d == '{') {
                nested = true;
                count++;
            } else if (d == '}' && --count == 0) {
                break;
            }
            k++;
        }
        if (k >= n)
            return py_err_format_int(py_exc_ValueError,
                                     in_spec ? "unmatched '{' in format spec"
                                             : "expected '}' before end of string");
        if (format_field(out, ctx, s + j + 1, k - j - 1, depth, nested) < 0)
            return -1;
        i = k + 1;
    }
    return 0;
}

ft_object *py_str_format_vector(ft_object *fmt, ft_object *const *args, size_t nargs,
                                ft_object *kwargs)
{
    ft_object *f = py_str_unbox_borrow(fmt);
    if (!f)
        return py_err_format(py_exc_TypeError, "expected str");
    ssize_t n;
    const char *s = ft_str_utf8_borrow(f, &n);
    fmt_ctx ctx = { .args = args, .nargs = nargs, .kwargs = kwargs };
    py_strbuf b;
    py_strbuf_init(&b);
    if (vformat(&b, &ctx, s, n, 2) < 0) {
        py_strbuf_free(&b);
        return NULL;
    }
    return py_strbuf_finish(&b);
}
