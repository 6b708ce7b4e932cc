/* float.c — the float class over the runtime's floats (ft_float_type).
 *
 * repr is the shortest string that round-trips (as CPython's repr with
 * David Gay's dtoa): found with glibc's correctly rounded printf and
 * strtod. Arithmetic follows CPython's floatobject.c, including the sign
 * rules of // and % and the special cases of **. A negative base raised
 * to a non-integral power gives a complex number in CPython; ftpy has no
 * complex type and raises ValueError("negative number cannot be raised to
 * a fractional power") instead — Python 2's answer, the least surprising.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "int.h"
#include "str.h"

/* The runtime's float layout (ft_float_object). */
typedef struct rt_float { ft_object ob_base; double value; } rt_float;

static inline double fval(ft_object *o) { return ((rt_float *)o)->value; }

static ft_object *new_float(double v)
{
    ft_object *f = ft_float_from_double(v);
    return f ? f : py_err_from_ft();
}

/* The value of a float or of a float subclass instance; false when o is
 * neither. */
static bool float_unbox(ft_object *o, double *out)
{
    if (py_likely(o->ob_type == &ft_float_type)) {
        *out = fval(o);
        return true;
    }
    ft_type *t = o->ob_type;
    if (!(t->tp_flags & PY_TPFLAGS_PYTYPE))
        return false;
    py_type *pt = (py_type *)t;
    if (pt->tp_boxoffset <= 0 || !py_type_is_subtype(pt, &py_float_class))
        return false;
    ft_object *v = *(ft_object **)((char *)o + pt->tp_boxoffset);
    *out = v && v->ob_type == &ft_float_type ? fval(v) : 0.0;
    return true;
}

bool py_float_check(ft_object *o)
{
    double d;
    return float_unbox(o, &d);
}

double py_float_as_double_any(ft_object *o, bool *err)
{
    double d;
    *err = false;
    if (float_unbox(o, &d))
        return d;
    if (py_long_check(o)) {
        d = py_long_as_double(o);
        if (d == -1.0 && py_err_occurred())
            *err = true;
        return d;
    }
    py_type *t = py_type_of(o);
    ft_object *m = py_type_lookup_borrow(t, PY_ID(__float__));
    if (m) {
        ft_object *r = py_call1(m, o);
        if (!r) {
            *err = true;
            return -1.0;
        }
        if (!float_unbox(r, &d)) {
            py_err_format(py_exc_TypeError, "%s.__float__ returned non-float (type %s)",
                          t->ft.tp_name, py_type_name(r));
            ft_decref(r);
            *err = true;
            return -1.0;
        }
        ft_decref(r);
        return d;
    }
    if (py_type_lookup_borrow(t, PY_ID(__index__))) {
        ft_object *i = py_number_index(o);
        if (!i) {
            *err = true;
            return -1.0;
        }
        d = py_long_as_double(i);
        ft_decref(i);
        if (d == -1.0 && py_err_occurred())
            *err = true;
        return d;
    }
    py_err_format(py_exc_TypeError, "must be real number, not %s", t->ft.tp_name);
    *err = true;
    return -1.0;
}

/* ---- repr -------------------------------------------------------------------------- */

/* Does the k-significant-digit rendering of d read back as d? */
static bool round_trips(double d, int k, char *buf, size_t size)
{
    snprintf(buf, size, "%.*e", k - 1, d);
    return strtod(buf, NULL) == d;
}

/* Splits "d.ddddde[+-]xx" into its digits (trailing zeros dropped) and the
 * decimal point position (value = 0.DIGITS * 10**decpt). */
static int split_e(const char *s, char *digits, int *decpt)
{
    int n = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            digits[n++] = *s;
    int e = *s == 'e' ? atoi(s + 1) : 0;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = 0;
    *decpt = e + 1;
    return n;
}

/* Adds one unit in the last place to a digit string; false on carry out
 * of the first digit (then digits is "1" followed by zeros and decpt must
 * grow). */
static bool digits_increment(char *digits, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        if (digits[i] != '9') {
            digits[i]++;
            return true;
        }
        digits[i] = '0';
    }
    return false;
}

/* The shortest digits of d without printf, for the common values: those
 * whose shortest form has at most 15 significant digits and at most 22
 * decimals (0.1, 2.5, 1234.5678, 1e-07 ...). For k = 0, 1, ... the
 * integer m nearest d * 10**k (exact: m < 10**15 keeps the product's
 * error under 1/4) is a candidate; m / 10**k == d (a correctly rounded
 * division of exact doubles, as strtod of "m e-k") says it reads back as
 * d. At most one multiple of 10**-k lies in d's rounding interval when
 * m < 10**15 (the interval is narrower than the spacing), so the first k
 * that works gives the shortest and closest digits. 0: not found. */
static int shortest_digits_fast(double d, char *digits, int *decpt)
{
    static const double p10[23] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    if (!(d >= 1e-7 && d < 1e15))
        return 0;
    for (int k = 0; k <= 22; k++) {
        double x = d * p10[k];
        if (x >= 1e15)
            return 0;
        double m = nearbyint(x);
        if (m < 1.0 || m / p10[k] != d)
            continue;
        char tmp[24];
        int n = py_u64_to_digits((uint64_t)m, 10, false, tmp);
        int keep = n;
        while (keep > 1 && tmp[keep - 1] == '0')
            keep--;
        memcpy(digits, tmp, (size_t)keep);
        digits[keep] = '\0';
        *decpt = n - k;
        return keep;
    }
    return 0;
}

int py_float_shortest_digits(double d, char *digits, int *decpt)
{
    int fast = shortest_digits_fast(d, digits, decpt);
    if (fast)
        return fast;
    char buf[40];
    /* Rounding to k digits round-trips for every k past the shortest
     * (the (k+1)-digit rounding is at least as close), so bisect. In the
     * fast path's range a miss means 16 or 17 digits: one test decides. */
    int lo = 1, hi = 17;
    if (d >= 1e-7 && d < 1e15)
        lo = round_trips(d, 16, buf, sizeof buf) ? 16 : 17, hi = lo;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (round_trips(d, mid, buf, sizeof buf))
            hi = mid;
        else
            lo = mid + 1;
    }
    snprintf(buf, sizeof buf, "%.*e", lo - 1, d);
    int n = split_e(buf, digits, decpt);
    /* At a power of two the gap below d is half the gap above: the nearest
     * shorter string may fall below the interval while the next one up
     * still rounds to d (Gay's shortest mode finds that one). */
    int mexp;
    if (lo > 1 && frexp(d, &mexp) == 0.5) {
        for (int k = lo - 1; k >= 1; k--) {
            char alt[40], dig[24];
            int dp;
            snprintf(alt, sizeof alt, "%.*e", k - 1, d);
            int an = 0;
            for (const char *s = alt; *s && *s != 'e'; s++)
                if (*s >= '0' && *s <= '9')
                    dig[an++] = *s;
            dp = atoi(strchr(alt, 'e') + 1) + 1;
            if (!digits_increment(dig, an)) {
                dig[0] = '1';
                dp++;
            }
            dig[an] = 0;
            snprintf(alt, sizeof alt, "0.%se%d", dig, dp);
            if (strtod(alt, NULL) != d)
                break;
            while (an > 1 && dig[an - 1] == '0')
                an--;
            dig[an] = 0;
            memcpy(digits, dig, (size_t)an + 1);
            n = an;
            *decpt = dp;
        }
    }
    return n;
}

/* Lays out digits/decpt as Python does: exponent form ("1e+16", "1.5e-05")
 * when the exponent is < -4 or >= sci_hi; otherwise fixed, with ".0"
 * appended to an integral value when add_dot_0. Returns the length. */
static int layout_digits(const char *digits, int n, int decpt, int sci_hi,
                         bool add_dot_0, char *out)
{
    int e = decpt - 1, len = 0;
    if (e < -4 || e >= sci_hi) {
        out[len++] = digits[0];
        if (n > 1) {
            out[len++] = '.';
            memcpy(out + len, digits + 1, (size_t)n - 1);
            len += n - 1;
        }
        len += sprintf(out + len, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    } else if (decpt <= 0) {
        out[len++] = '0';
        out[len++] = '.';
        for (int i = 0; i < -decpt; i++)
            out[len++] = '0';
        memcpy(out + len, digits, (size_t)n);
        len += n;
    } else if (decpt >= n) {
        memcpy(out + len, digits, (size_t)n);
        len += n;
        for (int i = n; i < decpt; i++)
            out[len++] = '0';
        if (add_dot_0) {
            out[len++] = '.';
            out[len++] = '0';
        }
    } else {
        memcpy(out + len, digits, (size_t)decpt);
        len += decpt;
        out[len++] = '.';
        memcpy(out + len, digits + decpt, (size_t)(n - decpt));
        len += n - decpt;
    }
    out[len] = 0;
    return len;
}

void py_float_repr_buf(double v, char *buf, size_t size)
{
    char tmp[64];
    if (isnan(v)) {
        snprintf(buf, size, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, size, v > 0 ? "inf" : "-inf");
        return;
    }
    int len = 0;
    if (signbit(v)) {
        tmp[len++] = '-';
        v = -v;
    }
    if (v == 0.0) {
        memcpy(tmp + len, "0.0", 4);
    } else {
        char digits[24];
        int decpt;
        int n = py_float_shortest_digits(v, digits, &decpt);
        len += layout_digits(digits, n, decpt, 16, true, tmp + len);
    }
    size_t k = strlen(tmp);
    if (k >= size)
        k = size - 1;
    memcpy(buf, tmp, k);
    buf[k] = '\0';
}

ft_object *_py_float_repr(ft_object *o)
{
    double d;
    if (!float_unbox(o, &d))
        return py_err_format(py_exc_TypeError, "descriptor '__repr__' requires a 'float' object");
    char buf[40];
    py_float_repr_buf(d, buf, sizeof buf);
    ft_object *s = ft_str_from_utf8(buf, -1);
    return s ? s : py_err_from_ft();
}

/* ---- formatting core -------------------------------------------------------------- */

int py_float_snprintf(char *buf, size_t size, char conv, bool alt, int prec, double v)
{
#define FORMAT(c) (alt ? snprintf(buf, size, "%#.*" c, prec, v) \
                       : snprintf(buf, size, "%.*" c, prec, v))
    switch (conv) {
    case 'e': return FORMAT("e");
    case 'E': return FORMAT("E");
    case 'f': return FORMAT("f");
    case 'F': return FORMAT("F");
    case 'g': return FORMAT("g");
    case 'G': return FORMAT("G");
    default: return -1;
    }
#undef FORMAT
}

int py_float_format_abs(double v, char type, int precision, bool alt,
                        bool add_dot_0, char *buf, size_t size, bool *neg)
{
    bool upper = type == 'E' || type == 'F' || type == 'G';
    *neg = !isnan(v) && signbit(v);
    v = fabs(v);
    if (!isfinite(v))
        return snprintf(buf, size, "%s", isnan(v) ? (upper ? "NAN" : "nan")
                                                  : (upper ? "INF" : "inf"));
    if (type == 'r') {
        if (v == 0.0)
            return snprintf(buf, size, "0.0");
        char digits[24], tmp[64];
        int decpt;
        int n = py_float_shortest_digits(v, digits, &decpt);
        int len = layout_digits(digits, n, decpt, 16, add_dot_0, tmp);
        if (alt && !strchr(tmp, '.')) {
            /* '#' keeps a point: 1e+16 -> 1.e+16 */
            char *e = strchr(tmp, 'e');
            if (e) {
                memmove(e + 1, e, strlen(e) + 1);
                *e = '.';
                len++;
            }
        }
        return snprintf(buf, size, "%s", tmp);
    }
    if (precision < 0)
        precision = 6;
    char lower = (char)(type | 0x20);
    if (lower == 'e' || lower == 'f') {
        /* glibc's printf rounds correctly and lays out as Python does. */
        return py_float_snprintf(buf, size, type, alt, precision, v);
    }
    /* 'g' (and '' with a precision, add_dot_0): precision significant
     * digits; exponent form when the exponent is < -4 or >= precision
     * (>= precision - 1 for ''); trailing zeros dropped unless '#'. */
    if (precision == 0)
        precision = 1;
    if ((size_t)precision + 16 > size)
        return precision + 16;
    char *tmp = ft_malloc((size_t)precision + 16), *digits = ft_malloc((size_t)precision + 16);
    if (!tmp || !digits) {
        ft_free(tmp);
        ft_free(digits);
        return -1;
    }
    snprintf(tmp, (size_t)precision + 16, "%.*e", precision - 1, v);
    int n = 0;
    const char *c = tmp;
    for (; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9')
            digits[n++] = *c;
    int decpt = atoi(c + 1) + 1;
    if (!alt)
        while (n > 1 && digits[n - 1] == '0')
            n--;
    if (v == 0.0)
        decpt = 1;
    bool use_exp = decpt <= -4 || decpt > (add_dot_0 ? precision - 1 : precision);
    int len = 0;
    if (use_exp) {
        buf[len++] = digits[0];
        if (n > 1 || alt)
            buf[len++] = '.';
        memcpy(buf + len, digits + 1, (size_t)n - 1);
        len += n - 1;
        int e = decpt - 1;
        len += snprintf(buf + len, size - (size_t)len, "%c%c%02d", upper ? 'E' : 'e',
                        e < 0 ? '-' : '+', e < 0 ? -e : e);
    } else if (decpt <= 0) {
        buf[len++] = '0';
        buf[len++] = '.';
        for (int i = 0; i < -decpt; i++)
            buf[len++] = '0';
        memcpy(buf + len, digits, (size_t)n);
        len += n;
    } else if (decpt >= n) {
        memcpy(buf + len, digits, (size_t)n);
        len += n;
        for (int i = n; i < decpt; i++)
            buf[len++] = '0';
        if (alt)
            buf[len++] = '.';
        else if (add_dot_0) {
            buf[len++] = '.';
            buf[len++] = '0';
        }
    } else {
        memcpy(buf + len, digits, (size_t)decpt);
        len += decpt;
        buf[len++] = '.';
        memcpy(buf + len, digits + decpt, (size_t)(n - decpt));
        len += n - decpt;
    }
    buf[len] = 0;
    ft_free(tmp);
    ft_free(digits);
    return len;
}

/* ---- parsing ------------------------------------------------------------------------- */

static bool ci_equal(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((a[i] | 0x20) != b[i])
            return false;
    return true;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Parses a Python float literal (PEP 515 underscores, inf, nan) from
 * s[0:n]; false on bad syntax. */
static bool parse_float_text(const char *s, size_t n, double *out)
{
    const char *p = s, *end = s + n;
    while (p < end && is_space((unsigned char)*p))
        p++;
    while (end > p && is_space((unsigned char)end[-1]))
        end--;
    bool neg = false;
    if (p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    size_t len = (size_t)(end - p);
    if (ci_equal(p, len, "inf") || ci_equal(p, len, "infinity")) {
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    if (ci_equal(p, len, "nan")) {
        *out = neg ? -NAN : NAN;
        return true;
    }
    char stackbuf[128];
    char *clean = len + 2 <= sizeof stackbuf ? stackbuf : ft_malloc(len + 2);
    if (!clean)
        return false;
    size_t k = 0;
    bool ok = true;
    int ndig = 0;
    /* digits ['.' digits] [e [sign] digits], '_' only between digits */
    enum { INT, FRAC, EXP } part = INT;
    bool prev_digit = false, exp_digits = false, exp_sign_ok = false;
    for (const char *q = p; q < end && ok; q++) {
        char c = *q;
        if (c >= '0' && c <= '9') {
            clean[k++] = c;
            prev_digit = true;
            exp_sign_ok = false;
            if (part == EXP)
                exp_digits = true;
            else
                ndig++;
        } else if (c == '_') {
            ok = prev_digit && q + 1 < end && q[1] >= '0' && q[1] <= '9';
            prev_digit = false;
        } else if (c == '.' && part == INT) {
            part = FRAC;
            clean[k++] = c;
            prev_digit = false;
        } else if ((c == 'e' || c == 'E') && part != EXP && ndig > 0) {
            part = EXP;
            clean[k++] = 'e';
            prev_digit = false;
            exp_sign_ok = true;
        } else if ((c == '+' || c == '-') && exp_sign_ok) {
            clean[k++] = c;
            exp_sign_ok = false;
        } else {
            ok = false;
        }
    }
    if (ndig == 0 || (part == EXP && !exp_digits))
        ok = false;
    if (ok) {
        clean[k] = 0;
        double d = strtod(clean, NULL);
        *out = neg ? -d : d;
    }
    if (clean != stackbuf)
        ft_free(clean);
    return ok;
}

static ft_object *float_from_text(const char *s, size_t n, ft_object *orig)
{
    double d;
    if (orig && orig->ob_type == &ft_str_type && (size_t)ft_len(orig) != n) {
        /* non-ASCII text: Unicode digits and spaces count, as in CPython */
        size_t an;
        char *ascii = py_utf8_decimal_to_ascii(s, n, &an);
        if (!ascii)
            return NULL;
        /* one ASCII byte per character: this call takes the ASCII path */
        ft_object *r = float_from_text(ascii, an, orig);
        ft_free(ascii);
        return r;
    }
    if (parse_float_text(s, n, &d))
        return new_float(d);
    if (py_err_occurred())
        return NULL;
    ft_object *o = orig ? ft_newref(orig) : ft_str_from_utf8(s, (ssize_t)n);
    if (!o)
        return py_err_from_ft();
    ft_object *r = py_repr(o);
    ft_decref(o);
    if (!r)
        return NULL;
    py_err_format(py_exc_ValueError, "could not convert string to float: %s",
                  ft_str_utf8_borrow(r, NULL));
    ft_decref(r);
    return NULL;
}

ft_object *py_float_from_string(const char *s, size_t n)
{
    return float_from_text(s, n, NULL);
}

ft_object *py_number_float(ft_object *o)
{
    if (o->ob_type == &ft_float_type)
        return ft_newref(o);
    ft_object *iv = py_long_unbox_borrow(o);
    if (iv && iv == o) {
        double d = py_long_as_double(o);
        if (d == -1.0 && py_err_occurred())
            return NULL;
        return new_float(d);
    }
    py_type *t = py_type_of(o);
    if (py_type_lookup_borrow(t, PY_ID(__float__)) ||
        py_type_lookup_borrow(t, PY_ID(__index__))) {
        bool err;
        double d = py_float_as_double_any(o, &err);
        return err ? NULL : new_float(d);
    }
    ft_object *s = py_unbox_borrow(o, &ft_str_type);
    if (s) {
        ssize_t n;
        const char *u = ft_str_utf8_borrow(s, &n);
        return float_from_text(u, (size_t)n, s);
    }
    if (t == &py_bytes_class || py_type_is_subtype(t, &py_bytes_class) ||
        strcmp(t->ft.tp_name, "bytearray") == 0) {
        ft_object *enc = ft_str_from_utf8("latin-1", -1);
        ft_object *dec = enc ? py_getattr_str(o, "decode") : NULL;
        ft_object *str = dec ? py_call1(dec, enc) : NULL;
        ft_xdecref(dec);
        ft_xdecref(enc);
        if (!str)
            return py_err_occurred() ? NULL : py_err_from_ft();
        ssize_t n;
        const char *u = ft_str_utf8_borrow(str, &n);
        ft_object *r = float_from_text(u, (size_t)n, o);
        ft_decref(str);
        return r;
    }
    return py_err_format(py_exc_TypeError,
                         "float() argument must be a string or a real number, not '%s'",
                         t->ft.tp_name);
}

/* ---- hashing --------------------------------------------------------------------------- */

int64_t py_hash_double_cpython(double v)
{
    /* CPython's _Py_HashDouble: v as a fraction reduced mod 2**61 - 1. */
    const uint64_t P = ((uint64_t)1 << 61) - 1;
    if (!isfinite(v))
        return isinf(v) ? (v > 0 ? 314159 : -314159) : 0;
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0;
    while (m) {
        x = ((x << 28) & P) | x >> (61 - 28);
        m *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= P)
            x -= P;
    }
    e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
    x = ((x << e) & P) | x >> (61 - e);
    int64_t h = (int64_t)x * sign;
    return h == -1 ? -2 : h;
}

static int64_t float_hash(ft_object *o)
{
    double d;
    if (!float_unbox(o, &d)) {
        py_err_format(py_exc_TypeError, "unhashable type: '%s'", py_type_name(o));
        return -1;
    }
    /* The runtime's dicts hash floats with its own slot: agree with it. */
    if (o->ob_type == &ft_float_type)
        return ft_float_type.tp_hash(o);
    ft_object *f = ft_float_from_double(d);
    if (!f) {
        py_err_from_ft();
        return -1;
    }
    int64_t h = ft_float_type.tp_hash(f);
    ft_decref(f);
    return h;
}

static int float_eq(ft_object *a, ft_object *b)
{
    double x, y;
    if (!float_unbox(a, &x))
        return 0;
    if (float_unbox(b, &y))
        return x == y;
    if (py_long_check(b))
        return py_long_compare_double(b, x) == 0;
    return 0;
}

/* ---- arithmetic -------------------------------------------------------------------------- */

/* The double of a float or int operand: 1 ok, 0 not a number
 * (NotImplemented), -1 error (int too large). */
static int operand(ft_object *o, double *out)
{
    if (float_unbox(o, out))
        return 1;
    if (py_long_check(o)) {
        *out = py_long_as_double(o);
        if (*out == -1.0 && py_err_occurred())
            return -1;
        return 1;
    }
    return 0;
}

static ft_object *errno_error(int err)
{
    ft_object *args = ft_tuple_new(2);
    if (!args)
        return py_err_from_ft();
    ft_tuple_set_steal(args, 0, ft_int_from_i64(err));
    ft_object *msg = ft_str_from_utf8(strerror(err), -1);
    if (!msg) {
        ft_decref(args);
        return py_err_from_ft();
    }
    ft_tuple_set_steal(args, 1, msg);
    ft_object *exc = py_exc_new(err == ERANGE ? py_exc_OverflowError : py_exc_ValueError, args);
    ft_decref(args);
    if (!exc)
        return NULL;
    py_err_set_object(exc);
    ft_decref(exc);
    return NULL;
}

static bool is_odd_integer(double x)
{
    return fmod(fabs(x), 2.0) == 1.0;
}

static ft_object *float_pow(double iv, double iw)
{
    if (iw == 0.0)
        return new_float(1.0);
    if (isnan(iv))
        return new_float(iv);
    if (isnan(iw))
        return new_float(iv == 1.0 ? 1.0 : iw);
    if (isinf(iw)) {
        iv = fabs(iv);
        if (iv == 1.0)
            return new_float(1.0);
        if ((iw > 0.0) == (iv > 1.0))
            return new_float(fabs(iw));
        return new_float(0.0);
    }
    if (isinf(iv)) {
        bool odd = is_odd_integer(iw);
        if (iw > 0.0)
            return new_float(odd ? iv : fabs(iv));
        return new_float(odd ? copysign(0.0, iv) : 0.0);
    }
    if (iv == 0.0) {
        bool odd = is_odd_integer(iw);
        if (iw < 0.0)
            return py_err_format(py_exc_ZeroDivisionError,
                                 "0.0 cannot be raised to a negative power");
        return new_float(odd ? iv : 0.0);
    }
    bool negate = false;
    if (iv < 0.0) {
        if (iw != floor(iw))
            return py_err_format(py_exc_ValueError,
                                 "negative number cannot be raised to a fractional power");
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if (iv == 1.0)
        return new_float(negate ? -1.0 : 1.0);
    errno = 0;
    double ix = pow(iv, iw);
    if (errno == 0 && isinf(ix))
        errno = ERANGE;
    else if (errno == ERANGE && ix == 0.0)
        errno = 0;
    if (errno)
        return errno_error(errno);
    return new_float(negate ? -ix : ix);
}

/* CPython's float_divmod: floor quotient and modulo with Python's signs. */
static void float_divmod_values(double vx, double wx, double *fdiv, double *fmod_out)
{
    double mod = fmod(vx, wx);
    double div = (vx - mod) / wx;
    if (mod) {
        if ((wx < 0) != (mod < 0)) {
            mod += wx;
            div -= 1.0;
        }
    } else {
        mod = copysign(0.0, wx);
    }
    double floordiv;
    if (div) {
        floordiv = floor(div);
        if (div - floordiv > 0.5)
            floordiv += 1.0;
    } else {
        floordiv = copysign(0.0, vx / wx);
    }
    *fdiv = floordiv;
    *fmod_out = mod;
}

ft_object *_py_float_binop(ft_object *a, ft_object *b, int op)
{
    op &= ~PY_OP_INPLACE;
    double x, y;
    int ra = operand(a, &x);
    if (ra <= 0)
        return ra < 0 ? NULL : py_notimplemented();
    int rb = operand(b, &y);
    if (rb <= 0)
        return rb < 0 ? NULL : py_notimplemented();
    switch (op) {
    case PY_OP_ADD: return new_float(x + y);
    case PY_OP_SUB: return new_float(x - y);
    case PY_OP_MUL: return new_float(x * y);
    case PY_OP_TRUEDIV:
        if (y == 0.0)
            return py_err_format(py_exc_ZeroDivisionError, "float division by zero");
        return new_float(x / y);
    case PY_OP_FLOORDIV: {
        if (y == 0.0)
            return py_err_format(py_exc_ZeroDivisionError, "float floor division by zero");
        double q, m;
        float_divmod_values(x, y, &q, &m);
        return new_float(q);
    }
    case PY_OP_MOD: {
        if (y == 0.0)
            return py_err_format(py_exc_ZeroDivisionError, "float modulo");
        double m = fmod(x, y);
        if (m) {
            if ((y < 0) != (m < 0))
                m += y;
        } else {
            m = copysign(0.0, y);
        }
        return new_float(m);
    }
    case PY_OP_POW:
        return float_pow(x, y);
    default:
        return py_notimplemented();
    }
}

ft_object *_py_float_divmod(ft_object *a, ft_object *b)
{
    double x, y;
    int ra = operand(a, &x);
    if (ra <= 0)
        return ra < 0 ? NULL : py_notimplemented();
    int rb = operand(b, &y);
    if (rb <= 0)
        return rb < 0 ? NULL : py_notimplemented();
    if (y == 0.0)
        return py_err_format(py_exc_ZeroDivisionError, "float divmod()");
    double q, m;
    float_divmod_values(x, y, &q, &m);
    ft_object *t = ft_tuple_new(2);
    ft_object *fq = ft_float_from_double(q), *fm = ft_float_from_double(m);
    if (!t || !fq || !fm) {
        ft_xdecref(t);
        ft_xdecref(fq);
        ft_xdecref(fm);
        return py_err_from_ft();
    }
    ft_tuple_set_steal(t, 0, fq);
    ft_tuple_set_steal(t, 1, fm);
    return t;
}

static bool cmp_result(int c, int op)
{
    switch (op) {
    case PY_LT: return c < 0;
    case PY_LE: return c <= 0;
    case PY_EQ: return c == 0;
    case PY_NE: return c != 0;
    case PY_GT: return c > 0;
    default:    return c >= 0;
    }
}

static ft_object *float_richcompare(ft_object *a, ft_object *b, int op)
{
    double x, y;
    bool r;
    if (float_unbox(a, &x)) {
        if (float_unbox(b, &y)) {
            switch (op) {
            case PY_LT: r = x < y; break;
            case PY_LE: r = x <= y; break;
            case PY_EQ: r = x == y; break;
            case PY_NE: r = x != y; break;
            case PY_GT: r = x > y; break;
            default:    r = x >= y; break;
            }
            return ft_newref(ft_bool(r));
        }
        if (!py_long_check(b))
            return py_notimplemented();
        int c = py_long_compare_double(b, x);     /* int vs float */
        if (c == 2)
            return ft_newref(ft_bool(op == PY_NE));
        return ft_newref(ft_bool(cmp_result(-c, op)));
    }
    if (float_unbox(b, &y) && py_long_check(a)) {
        int c = py_long_compare_double(a, y);
        if (c == 2)
            return ft_newref(ft_bool(op == PY_NE));
        return ft_newref(ft_bool(cmp_result(c, op)));
    }
    return py_notimplemented();
}

static ft_object *float_unaryop(ft_object *o, int op)
{
    double x;
    if (!float_unbox(o, &x))
        return py_notimplemented();
    switch (op) {
    case PY_UNARY_NEG: return new_float(-x);
    case PY_UNARY_POS: return new_float(x);
    default: return py_notimplemented();
    }
}

static int float_bool(ft_object *o)
{
    double x;
    if (!float_unbox(o, &x))
        return py_err_format_int(py_exc_TypeError, "descriptor '__bool__' requires a 'float' object");
    return x != 0.0;
}

/* ---- the constructor ---------------------------------------------------------------------- */

static ft_object *float_new(py_type *cls, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    if (kwnames && ft_len(kwnames) > 0)
        return py_err_format(py_exc_TypeError, "float() takes no keyword arguments");
    if (nargs > 1)
        return py_err_format(py_exc_TypeError, "float expected at most 1 argument, got %zu",
                             nargs);
    ft_object *v = nargs ? py_number_float(args[0]) : new_float(0.0);
    if (!v || cls == &py_float_class)
        return v;
    ft_object *inst = _py_number_box_new(cls, v);
    ft_decref(v);
    return inst;
}

/* ---- methods -------------------------------------------------------------------------------- */

#define SELF_FLOAT(self, x)                                                         \
    double x;                                                                       \
    if (!float_unbox(self, &x))                                                     \
        return py_err_format(py_exc_TypeError, "descriptor requires a 'float' object " \
                             "but received a '%s'", py_type_name(self))

/* float's METH_NOARGS methods: "float.hex() takes no arguments (1 given)";
 * the slot wrappers (__int__, __float__, __abs__): "expected 0 arguments,
 * got 1". */
static int no_args(const char *name, size_t nargs, ft_object *kwnames)
{
    int kind = name[0] == '_' && (!strcmp(name, "__int__") || !strcmp(name, "__float__") ||
                                  !strcmp(name, "__abs__"))
                   ? PY_ARGK_WRAPPER : PY_ARGK_NOARGS;
    return py_meth_args(kind, "float", name, nargs, kwnames, 0, 0);
}

static ft_object *float_is_integer(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)args;
    if (no_args("is_integer", nargs, kwnames) < 0)
        return NULL;
    SELF_FLOAT(self, x);
    return ft_newref(ft_bool(isfinite(x) && floor(x) == x));
}

static ft_object *float_as_integer_ratio(ft_object *self, ft_object *const *args,
                                         size_t nargs, ft_object *kwnames)
{
    (void)args;
    if (no_args("as_integer_ratio", nargs, kwnames) < 0)
        return NULL;
    SELF_FLOAT(self, x);
    if (isinf(x))
        return py_err_format(py_exc_OverflowError, "cannot convert Infinity to integer ratio");
    if (isnan(x))
        return py_err_format(py_exc_ValueError, "cannot convert NaN to integer ratio");
    int e;
    double m = frexp(x, &e);
    for (int i = 0; i < 300 && m != floor(m); i++) {
        m *= 2.0;
        e--;
    }
    ft_object *num = py_long_from_double(m), *den = NULL, *sh = NULL;
    if (!num)
        return NULL;
    sh = ft_int_from_i64(e >= 0 ? e : -e);
    ft_object *one = ft_int_from_i64(1);
    if (e >= 0) {
        ft_object *t = _py_int_binop(num, sh, PY_OP_LSHIFT);
        ft_decref(num);
        num = t;
        den = one;
    } else {
        den = _py_int_binop(one, sh, PY_OP_LSHIFT);
    }
    ft_decref(sh);
    if (!num || !den) {
        ft_xdecref(num);
        ft_xdecref(den);
        return NULL;
    }
    ft_object *t = ft_tuple_new(2);
    if (!t) {
        ft_decref(num);
        ft_decref(den);
        return py_err_from_ft();
    }
    ft_tuple_set_steal(t, 0, num);
    ft_tuple_set_steal(t, 1, den);
    return t;
}

static ft_object *float_hex(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)args;
    if (no_args("hex", nargs, kwnames) < 0)
        return NULL;
    SELF_FLOAT(self, x);
    char buf[64];
    if (isnan(x) || isinf(x)) {
        py_float_repr_buf(x, buf, sizeof buf);
    } else if (x == 0.0) {
        snprintf(buf, sizeof buf, "%s0x0.0p+0", signbit(x) ? "-" : "");
    } else {
        int e;
        double m = frexp(fabs(x), &e);
        int shift = 1 - (DBL_MIN_EXP - e > 0 ? DBL_MIN_EXP - e : 0);
        m = ldexp(m, shift);
        e -= shift;
        char s[32];
        int si = 0;
        s[si++] = "0123456789abcdef"[(int)m];
        m -= (int)m;
        s[si++] = '.';
        for (int i = 0; i < (DBL_MANT_DIG - 1) / 4; i++) {
            m *= 16.0;
            s[si++] = "0123456789abcdef"[(int)m];
            m -= (int)m;
        }
        s[si] = 0;
        snprintf(buf, sizeof buf, "%s0x%sp%c%d", x < 0 ? "-" : "", s, e < 0 ? '-' : '+',
                 e < 0 ? -e : e);
    }
    ft_object *r = ft_str_from_utf8(buf, -1);
    return r ? r : py_err_from_ft();
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static ft_object *float_fromhex(ft_object *cls, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    if (py_meth_onearg("float", "fromhex", nargs, kwnames) < 0)
        return NULL;
    ft_object *s = py_unbox_borrow(args[0], &ft_str_type);
    if (!s)
        return py_err_format(py_exc_TypeError, "bad argument type for built-in operation");
    ssize_t n;
    const char *p = ft_str_utf8_borrow(s, &n), *end = p + n;
    while (p < end && is_space((unsigned char)*p))
        p++;
    while (end > p && is_space((unsigned char)end[-1]))
        end--;
    double d;
    const char *q = p;
    bool neg = false;
    if (q < end && (*q == '+' || *q == '-'))
        neg = *q++ == '-';
    size_t len = (size_t)(end - q);
    if (ci_equal(q, len, "inf") || ci_equal(q, len, "infinity")) {
        d = neg ? -INFINITY : INFINITY;
    } else if (ci_equal(q, len, "nan")) {
        d = NAN;
    } else {
        /* [0x] hex* [. hex*] [p [sign] dec+], at least one hex digit */
        char buf[512];
        size_t k = 0;
        if (end - q >= 2 && q[0] == '0' && (q[1] | 0x20) == 'x')
            q += 2;
        int nhex = 0;
        bool ok = true;
        if (len + 8 > sizeof buf)
            ok = false;
        if (ok) {
            k += (size_t)snprintf(buf, sizeof buf, "%s0x", neg ? "-" : "");
            while (q < end && is_hex(*q)) {
                buf[k++] = *q++;
                nhex++;
            }
            if (q < end && *q == '.') {
                buf[k++] = *q++;
                while (q < end && is_hex(*q)) {
                    buf[k++] = *q++;
                    nhex++;
                }
            }
            if (nhex == 0)
                ok = false;
            if (q < end && (*q | 0x20) == 'p') {
                buf[k++] = 'p';
                q++;
                if (q < end && (*q == '+' || *q == '-'))
                    buf[k++] = *q++;
                int nd = 0;
                while (q < end && *q >= '0' && *q <= '9') {
                    buf[k++] = *q++;
                    nd++;
                }
                if (nd == 0)
                    ok = false;
            }
            if (q != end)
                ok = false;
        }
        if (!ok)
            return py_err_format(py_exc_ValueError, "invalid hexadecimal floating-point string");
        buf[k] = 0;
        errno = 0;
        d = strtod(buf, NULL);
        if (isinf(d))
            return py_err_format(py_exc_OverflowError,
                                 "hexadecimal value too large to represent as a float");
    }
    ft_object *f = new_float(d);
    if (!f || cls == (ft_object *)&py_float_class)
        return f;
    ft_object *r = py_call1(cls, f);
    ft_decref(f);
    return r;
}

/* round(x, n) for n != None: CPython's double_round, correctly rounded
 * through glibc's printf (half-even on exact ties) and strtod. */
static ft_object *float_round_digits(double x, int64_t nd)
{
    const int64_t ndigits_max = (int64_t)((DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103);
    const int64_t ndigits_min = -(int64_t)((DBL_MAX_EXP + 1) * 0.30103);
    if (nd > ndigits_max || x == 0.0 || !isfinite(x))
        return new_float(x);
    if (nd < ndigits_min)
        return new_float(0.0 * x);
    double r;
    if (nd >= 0) {
        char buf[800];
        snprintf(buf, sizeof buf, "%.*f", (int)nd, x);
        r = strtod(buf, NULL);
    } else {
        char buf[64];
        snprintf(buf, sizeof buf, "%.25e", x);
        int e = atoi(strchr(buf, 'e') + 1);
        int64_t keep = e + 1 + nd;          /* significant digits kept */
        if (keep >= 1) {
            snprintf(buf, sizeof buf, "%.*e", (int)keep - 1, x);
            r = strtod(buf, NULL);
        } else if (keep < 0) {
            r = 0.0 * x;
        } else {
            /* Round to a multiple of 10**(e+1): up unless below half. */
            const char *d = buf + (buf[0] == '-');
            int lead = d[0] - '0';
            bool rest = false;
            for (const char *c = d + 2; *c && *c != 'e'; c++)
                rest |= *c != '0';
            bool up = lead > 5 || (lead == 5 && rest);
            char t[32];
            snprintf(t, sizeof t, "1e%d", e + 1);
            r = up ? copysign(strtod(t, NULL), x) : 0.0 * x;
        }
    }
    if (isinf(r))
        return py_err_format(py_exc_OverflowError, "rounded value too large to represent");
    return new_float(r);
}

static ft_object *float_round(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    if (py_meth_clinic("float", "__round__", nargs, kwnames, 0, 1) < 0)
        return NULL;
    ft_object *nd = nargs ? args[0] : NULL;
    SELF_FLOAT(self, x);
    if (!nd || nd == ft_none()) {
        double r = round(x);
        if (fabs(x - r) == 0.5)
            r = 2.0 * round(x / 2.0);
        return py_long_from_double(r);
    }
    ft_object *n = py_number_index(nd);
    if (!n)
        return NULL;
    int64_t v;
    if (py_long_as_i64(n, &v) < 0) {
        py_err_clear();
        v = py_long_sign(n) > 0 ? INT64_MAX : INT64_MIN;
    }
    ft_decref(n);
    return float_round_digits(x, v);
}

static ft_object *float_to_int_m(ft_object *self, size_t nargs, ft_object *kwnames,
                                 const char *name, double (*f)(double))
{
    if (no_args(name, nargs, kwnames) < 0)
        return NULL;
    SELF_FLOAT(self, x);
    return py_long_from_double(f(x));
}

static ft_object *float_trunc_m(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)args;
    return float_to_int_m(self, nargs, kwnames, "__trunc__", trunc);
}
static ft_object *float_int_m(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args;
    return float_to_int_m(self, nargs, kwnames, "__int__", trunc);
}
static ft_object *float_floor_m(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)args;
    return float_to_int_m(self, nargs, kwnames, "__floor__", floor);
}
static ft_object *float_ceil_m(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)args;
    return float_to_int_m(self, nargs, kwnames, "__ceil__", ceil);
}

static ft_object *float_self_named(ft_object *self, size_t nargs, ft_object *kwnames,
                                   const char *name)
{
    if (no_args(name, nargs, kwnames) < 0)
        return NULL;
    SELF_FLOAT(self, x);
    return self->ob_type == &ft_float_type ? ft_newref(self) : new_float(x);
}

static ft_object *float_self_m(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)args;
    return float_self_named(self, nargs, kwnames, "__float__");
}

static ft_object *float_conjugate_m(ft_object *self, ft_object *const *args, size_t nargs,
                                    ft_object *kwnames)
{
    (void)args;
    return float_self_named(self, nargs, kwnames, "conjugate");
}

static ft_object *float_abs_m(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args;
    if (no_args("__abs__", nargs, kwnames) < 0)
        return NULL;
    SELF_FLOAT(self, x);
    return new_float(fabs(x));
}

static ft_object *float_format_m(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    if (py_meth_onearg("float", "__format__", nargs, kwnames) < 0)
        return NULL;
    if (!py_unbox_borrow(args[0], &ft_str_type))
        return py_err_format(py_exc_TypeError, "__format__() argument must be str, not %s",
                             py_type_name(args[0]));
    SELF_FLOAT(self, x);
    (void)x;
    return py_format_float(self, args[0]);
}

static ft_object *float_divmod_m(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    if (py_meth_args(PY_ARGK_WRAPPER, "float", "__divmod__", nargs, kwnames, 1, 1) < 0)
        return NULL;
    return _py_float_divmod(self, args[0]);
}

static ft_object *float_rdivmod_m(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    if (py_meth_args(PY_ARGK_WRAPPER, "float", "__rdivmod__", nargs, kwnames, 1, 1) < 0)
        return NULL;
    return _py_float_divmod(args[0], self);
}

static ft_object *float_pow_m(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    if (py_meth_args(PY_ARGK_WRAPPER_UNPACK, "float", "__pow__", nargs, kwnames, 1, 2) < 0)
        return NULL;
    if (nargs == 2 && args[1] != ft_none())
        return py_err_format(py_exc_TypeError,
                             "pow() 3rd argument not allowed unless all arguments are integers");
    return _py_float_binop(self, args[0], PY_OP_POW);
}

static ft_object *float_rpow_m(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    if (py_meth_args(PY_ARGK_WRAPPER_UNPACK, "float", "__rpow__", nargs, kwnames, 1, 2) < 0)
        return NULL;
    if (nargs == 2 && args[1] != ft_none())
        return py_err_format(py_exc_TypeError,
                             "pow() 3rd argument not allowed unless all arguments are integers");
    return _py_float_binop(args[0], self, PY_OP_POW);
}

static const py_method_def float_methods[] = {
    { "is_integer", float_is_integer, PY_METH_DEFAULT },
    { "as_integer_ratio", float_as_integer_ratio, PY_METH_DEFAULT },
    { "hex", float_hex, PY_METH_DEFAULT },
    { "fromhex", float_fromhex, PY_METH_CLASS },
    { "conjugate", float_conjugate_m, PY_METH_DEFAULT },
    { "__float__", float_self_m, PY_METH_DEFAULT },
    { "__int__", float_int_m, PY_METH_DEFAULT },
    { "__trunc__", float_trunc_m, PY_METH_DEFAULT },
    { "__floor__", float_floor_m, PY_METH_DEFAULT },
    { "__ceil__", float_ceil_m, PY_METH_DEFAULT },
    { "__round__", float_round, PY_METH_DEFAULT },
    { "__format__", float_format_m, PY_METH_DEFAULT },
    { "__divmod__", float_divmod_m, PY_METH_DEFAULT },
    { "__rdivmod__", float_rdivmod_m, PY_METH_DEFAULT },
    { "__pow__", float_pow_m, PY_METH_DEFAULT },
    { "__rpow__", float_rpow_m, PY_METH_DEFAULT },
    { "__abs__", float_abs_m, PY_METH_DEFAULT },
    { NULL, NULL, 0 }
};

static ft_object *float_get_real(ft_object *self)
{
    double x;
    if (!float_unbox(self, &x))
        return py_err_format(py_exc_TypeError, "a float is required");
    return self->ob_type == &ft_float_type ? ft_newref(self) : new_float(x);
}
static ft_object *float_get_imag(ft_object *self) { (void)self; return new_float(0.0); }

static const py_getset_def float_getset[] = {
    { "real", float_get_real, NULL },
    { "imag", float_get_imag, NULL },
    { NULL, NULL, NULL }
};

static void float_class_dealloc(ft_object *o) { ft_object_free(o); }

py_type py_float_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "float",
        .tp_basicsize = sizeof(ft_object),
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE,
        .tp_dealloc = float_class_dealloc,
        .tp_hash = float_hash,
        .tp_eq = float_eq,
        .tp_repr = _py_float_repr,
    },
    .tp_binop = _py_float_binop,
    .tp_richcompare = float_richcompare,
    .tp_unaryop = float_unaryop,
    .tp_bool = float_bool,
    .tp_new = float_new,
    .tp_methods = float_methods,
    .tp_getset = float_getset,
    .tp_box = &ft_float_type,
};

int _py_float_init(void)
{
    if (ft_float_type.tp_basicsize != sizeof(rt_float))
        return -1;
    return py_type_ready(&py_float_class);
}
