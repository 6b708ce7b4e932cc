/* int.c — the int class: the runtime's 64-bit ints with overflow-checked
 * fast paths, GMP big ints past 64 bits (see int.h for the invariant).
 *
 * Every operation first tries the int64 path (__builtin_*_overflow); on
 * overflow, or when an operand is already big, it goes through mpz
 * arithmetic on read-only views of the operands (mpz_roinit_n over a
 * stack limb for runtime ints: no allocation) and normalizes the result
 * back to a runtime int when it fits.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gmp.h>
#include "int.h"
#include "str.h"
#include "typeobject.h"

_Static_assert(GMP_LIMB_BITS == 64, "one limb holds an int64 magnitude");

/* The runtime's int layout (runtime/internal/object.h, ft_int_object);
 * py_numbers_init checks the size so that a change there is caught. */
typedef struct rt_int { ft_object ob_base; int64_t value; } rt_int;
typedef struct bigint { ft_object ob_base; mpz_t z; } bigint;

int py_int_max_str_digits = 4300;

/* Past this many bits a result is refused with MemoryError instead of
 * letting GMP abort the process. */
#define BIG_MAX_BITS ((uint64_t)1 << 36)

static inline bool is_rt(ft_object *o)
{
    return o->ob_type == &ft_int_type || o->ob_type == &ft_bool_type;
}
static inline bool is_big(ft_object *o) { return o->ob_type == &py_bigint_ft_type; }
static inline int64_t rt_val(ft_object *o) { return ((rt_int *)o)->value; }
static inline mpz_srcptr big_z(ft_object *o) { return ((bigint *)o)->z; }

/* ---- GMP memory through ftlab ------------------------------------------- */

static PY_COLD void gmp_oom(void)
{
    fputs("ftpy: out of memory in a big-int operation\n", stderr);
    abort();
}
static void *gmp_alloc(size_t n)
{
    void *p = ft_malloc(n);
    if (!p)
        gmp_oom();
    return p;
}
static void *gmp_realloc(void *p, size_t old, size_t n)
{
    (void)old;
    void *q = ft_realloc(p, n);
    if (!q)
        gmp_oom();
    return q;
}
static void gmp_free(void *p, size_t n) { (void)n; ft_free(p); }

/* ---- views and normalization ----------------------------------------------- */

/* A read-only mpz over any int (runtime or big); lives on the stack. */
typedef struct zview { mpz_t z; mp_limb_t limb; } zview;

static mpz_srcptr zv(ft_object *o, zview *v)
{
    if (is_big(o))
        return big_z(o);
    int64_t i = rt_val(o);
    v->limb = i < 0 ? -(uint64_t)i : (uint64_t)i;
    return mpz_roinit_n(v->z, &v->limb, i < 0 ? -1 : i > 0 ? 1 : 0);
}

/* Takes over z (cleared or moved): a runtime int when it fits int64. */
static ft_object *from_mpz_steal(mpz_ptr z)
{
    if (mpz_fits_slong_p(z)) {
        long v = mpz_get_si(z);
        mpz_clear(z);
        ft_object *r = ft_int_from_i64(v);
        return r ? r : py_err_from_ft();
    }
    bigint *b = (bigint *)ft_object_new(&py_bigint_ft_type, sizeof *b);
    if (!b) {
        mpz_clear(z);
        return py_err_from_ft();
    }
    b->z[0] = z[0];          /* move the limbs: z is not used again */
    return &b->ob_base;
}

static ft_object *from_mpz_copy(mpz_srcptr z)
{
    mpz_t t;
    mpz_init_set(t, z);
    return from_mpz_steal(t);
}

static ft_object *new_i64(int64_t v)
{
    ft_object *r = ft_int_from_i64(v);
    return r ? r : py_err_from_ft();
}

void _py_long_get_mpz(ft_object *o, mpz_ptr out)
{
    zview v;
    mpz_set(out, zv(py_long_unbox_borrow(o), &v));
}

ft_object *_py_long_from_mpz(mpz_srcptr z)
{
    return from_mpz_copy(z);
}

ft_object *py_long_from_u64(uint64_t v)
{
    if (v <= INT64_MAX)
        return new_i64((int64_t)v);
    mpz_t z;
    mpz_init_set_ui(z, v);
    return from_mpz_steal(z);
}

/* ---- unboxing ------------------------------------------------------------------ */

/* The hidden value of an instance of a user subclass of int or float. */
static ft_object *box_slot_borrow(ft_object *o, py_type *base)
{
    ft_type *t = o->ob_type;
    if (!(t->tp_flags & PY_TPFLAGS_PYTYPE))
        return NULL;
    py_type *pt = (py_type *)t;
    if (pt->tp_boxoffset <= 0 || (pt != base && !py_type_is_subtype(pt, base)))
        return NULL;
    return *(ft_object **)((char *)o + pt->tp_boxoffset);
}

ft_object *py_long_unbox_borrow(ft_object *o)
{
    if (py_likely(is_rt(o) || is_big(o)))
        return o;
    ft_object *v = box_slot_borrow(o, &py_int_class);
    if (v && (is_rt(v) || is_big(v)))
        return v;
    return NULL;
}

bool py_long_check(ft_object *o) { return py_long_unbox_borrow(o) != NULL; }

int py_long_sign(ft_object *o)
{
    o = py_long_unbox_borrow(o);
    if (is_big(o))
        return mpz_sgn(big_z(o));
    int64_t v = rt_val(o);
    return (v > 0) - (v < 0);
}

/* An exact int (runtime int or big int, not a bool) for an int value. */
static ft_object *exact_int(ft_object *v)
{
    if (v->ob_type == &ft_bool_type)
        return ft_int_from_i64(rt_val(v));
    return ft_newref(v);
}

int py_long_as_i64(ft_object *o, int64_t *out)
{
    ft_object *v = py_long_unbox_borrow(o);
    if (!v)
        return py_err_format_int(py_exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer",
                                 py_type_name(o));
    if (is_big(v))
        return py_err_format_int(py_exc_OverflowError,
                                 "Python int too large to convert to C ssize_t");
    *out = rt_val(v);
    return 0;
}

/* ---- conversions to and from double ------------------------------------------ */

/* |z| rounded half-even to a double (z big); overflow: inf. */
static double mpz_to_double_abs(mpz_srcptr z)
{
    size_t bits = mpz_sizeinbase(z, 2);
    if (bits <= 63) {
        mpz_t a;
        mpz_init(a);
        mpz_abs(a, z);
        double d = (double)mpz_get_ui(a);
        mpz_clear(a);
        return d;
    }
    if (bits > DBL_MAX_EXP)
        return HUGE_VAL;
    /* The top 55 bits with a sticky bit below: the hardware's uint64 ->
     * double conversion then rounds exactly once, correctly. */
    size_t shift = bits - 55;
    mpz_t q;
    mpz_init(q);
    mpz_tdiv_q_2exp(q, z, shift);
    mpz_abs(q, q);
    uint64_t top = mpz_get_ui(q);
    mpz_clear(q);
    if (mpz_scan1(z, 0) < shift)
        top |= 1;
    return ldexp((double)top, (int)shift);
}

double _py_long_frexp(ft_object *o, int64_t *e)
{
    ft_object *v = py_long_unbox_borrow(o);
    if (!is_big(v)) {
        int ie;
        double m = frexp((double)rt_val(v), &ie);
        *e = ie;
        return m;
    }
    mpz_srcptr z = big_z(v);
    size_t bits = mpz_sizeinbase(z, 2);
    size_t shift = bits - 55;
    mpz_t q;
    mpz_init(q);
    mpz_tdiv_q_2exp(q, z, shift);
    mpz_abs(q, q);
    uint64_t top = mpz_get_ui(q);
    mpz_clear(q);
    if (mpz_scan1(z, 0) < shift)
        top |= 1;
    double m = ldexp((double)top, -55);   /* rounds once, into [0.5, 1] */
    *e = (int64_t)bits;
    if (m == 1.0) {
        m = 0.5;
        (*e)++;
    }
    return mpz_sgn(z) < 0 ? -m : m;
}

double py_long_as_double(ft_object *o)
{
    ft_object *v = py_long_unbox_borrow(o);
    if (!v) {
        py_err_format(py_exc_TypeError, "must be real number, not %s", py_type_name(o));
        return -1.0;
    }
    if (!is_big(v))
        return (double)rt_val(v);
    double d = mpz_to_double_abs(big_z(v));
    if (isinf(d)) {
        py_err_setstr(py_exc_OverflowError, "int too large to convert to float");
        return -1.0;
    }
    return mpz_sgn(big_z(v)) < 0 ? -d : d;
}

ft_object *py_long_from_double(double d)
{
    if (isinf(d))
        return py_err_format(py_exc_OverflowError, "cannot convert float infinity to integer");
    if (isnan(d))
        return py_err_format(py_exc_ValueError, "cannot convert float NaN to integer");
    double t = trunc(d);
    if (t >= -9223372036854775808.0 && t < 9223372036854775808.0)
        return new_i64((int64_t)t);
    mpz_t z;
    mpz_init_set_d(z, t);
    return from_mpz_steal(z);
}

int py_long_compare_double(ft_object *i, double d)
{
    if (isnan(d))
        return 2;
    i = py_long_unbox_borrow(i);
    if (!is_big(i)) {
        int64_t v = rt_val(i);
        if (v >= -(INT64_C(1) << 53) && v <= (INT64_C(1) << 53)) {
            double x = (double)v;
            return (x > d) - (x < d);
        }
    }
    zview zw;
    int c = mpz_cmp_d(zv(i, &zw), d);   /* exact, handles infinities */
    return (c > 0) - (c < 0);
}

/* ---- hashing ------------------------------------------------------------------- */

#define HASH_MODULUS ((uint64_t)0x1FFFFFFFFFFFFFFF)   /* 2**61 - 1 */

/* Does the runtime hash ints and floats as CPython does (then so do we,
 * for big ints too)? Decided once in py_numbers_init. */
static bool runtime_cpython_hash;

static int64_t big_hash_cpython(mpz_srcptr z)
{
    uint64_t h = mpz_tdiv_ui(z, HASH_MODULUS);     /* |z| mod P */
    int64_t r = mpz_sgn(z) < 0 ? -(int64_t)h : (int64_t)h;
    return r == -1 ? -2 : r;
}

static int64_t big_hash(mpz_srcptr z)
{
    if (!runtime_cpython_hash) {
        /* A big int equal to a float must hash like it: the runtime's dicts
         * compare 2**64 and 2.0**64 as the same key. */
        size_t bits = mpz_sizeinbase(z, 2);
        if (bits <= DBL_MAX_EXP && bits - mpz_scan1(z, 0) <= DBL_MANT_DIG) {
            double d = mpz_get_d(z);                     /* exact here */
            ft_object *f = ft_float_from_double(d);
            if (!f) {
                py_err_from_ft();
                return -1;
            }
            int64_t h = ft_float_type.tp_hash(f);
            ft_decref(f);
            return h;
        }
    }
    return big_hash_cpython(z);
}

static int64_t int_hash(ft_object *o)
{
    ft_object *v = py_long_unbox_borrow(o);
    if (!v) {
        py_err_format(py_exc_TypeError, "unhashable type: '%s'", py_type_name(o));
        return -1;
    }
    if (is_big(v))
        return big_hash(big_z(v));
    return ft_int_type.tp_hash(v);
}

/* ---- text ------------------------------------------------------------------------ */

static ft_object *digit_limit_error_out(void)
{
    return py_err_format(py_exc_ValueError,
                         "Exceeds the limit (%d digits) for integer string "
                         "conversion; use sys.set_int_max_str_digits() to "
                         "increase the limit", py_int_max_str_digits);
}

/* The digits of |v| in base 2..36 (lowercase), NUL-terminated, from
 * ft_malloc (ft_free it); *sign gets v's sign. Base 10 honours the digit
 * limit. NULL with an exception. */
char *_py_long_abs_digits(ft_object *v, int base, size_t *len, int *sign);
char *_py_long_abs_digits(ft_object *v, int base, size_t *len, int *sign)
{
    v = py_long_unbox_borrow(v);
    zview zw;
    mpz_srcptr z = zv(v, &zw);
    *sign = mpz_sgn(z);
    if (base == 10 && py_int_max_str_digits > 0 && is_big(v) &&
        mpz_sizeinbase(z, 10) > (size_t)py_int_max_str_digits + 1) {
        digit_limit_error_out();
        return NULL;
    }
    size_t cap = mpz_sizeinbase(z, base) + 2;
    char *buf = ft_malloc(cap);
    if (!buf) {
        py_err_from_ft();
        return NULL;
    }
    if (!is_big(v)) {
        /* No GMP call for the common case. */
        uint64_t m = zw.limb;
        char tmp[72];
        size_t n = 0;
        do {
            tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[m % (unsigned)base];
            m /= (unsigned)base;
        } while (m);
        for (size_t i = 0; i < n; i++)
            buf[i] = tmp[n - 1 - i];
        buf[n] = 0;
        *len = n;
        return buf;
    }
    mpz_t a;
    mpz_init(a);
    mpz_abs(a, z);
    mpz_get_str(buf, base, a);
    mpz_clear(a);
    *len = strlen(buf);
    if (base == 10 && py_int_max_str_digits > 0 && *len > (size_t)py_int_max_str_digits) {
        ft_free(buf);
        digit_limit_error_out();
        return NULL;
    }
    return buf;
}

static ft_object *str_from_buf(const char *s, size_t n)
{
    ft_object *r = ft_str_from_utf8(s, (ssize_t)n);
    return r ? r : py_err_from_ft();
}

int py_u64_to_digits(uint64_t u, int base, bool upper, char *out)
{
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[64];
    char *p = tmp + sizeof tmp;   /* digits are written backwards */
    if (base == 10) {
        /* two digits per division: str(int) is a hot path */
        static const char pairs[201] =
            "00010203040506070809101112131415161718192021222324252627282930313233343536"
            "37383940414243444546474849505152535455565758596061626364656667686970717273"
            "7475767778798081828384858687888990919293949596979899";
        while (u >= 100) {
            unsigned r = (unsigned)(u % 100);
            u /= 100;
            *--p = pairs[2 * r + 1];
            *--p = pairs[2 * r];
        }
        if (u >= 10) {
            *--p = pairs[2 * u + 1];
            *--p = pairs[2 * u];
        } else {
            *--p = (char)('0' + u);
        }
    } else {
        do {
            *--p = dig[u % (unsigned)base];
            u /= (unsigned)base;
        } while (u);
    }
    int n = (int)(tmp + sizeof tmp - p);
    memcpy(out, p, (size_t)n);
    out[n] = '\0';
    return n;
}

ft_object *py_long_to_decimal(ft_object *o)
{
    ft_object *v = py_long_unbox_borrow(o);
    if (!is_big(v)) {
        char buf[32];
        int64_t x = rt_val(v);
        int neg = x < 0;
        buf[0] = '-';
        int n = py_u64_to_digits(neg ? 0 - (uint64_t)x : (uint64_t)x, 10, false, buf + neg);
        return str_from_buf(buf, (size_t)(n + neg));
    }
    size_t len;
    int sign;
    char *digits = _py_long_abs_digits(v, 10, &len, &sign);
    if (!digits)
        return NULL;
    char *buf = ft_malloc(len + 2);
    if (!buf) {
        ft_free(digits);
        return py_err_from_ft();
    }
    size_t n = 0;
    if (sign < 0)
        buf[n++] = '-';
    memcpy(buf + n, digits, len);
    n += len;
    ft_free(digits);
    ft_object *r = str_from_buf(buf, n);
    ft_free(buf);
    return r;
}

static ft_object *int_repr(ft_object *o)
{
    ft_object *v = py_long_unbox_borrow(o);
    if (!v)
        return py_err_format(py_exc_TypeError, "descriptor '__repr__' requires an 'int' object");
    return py_long_to_decimal(v);
}

ft_object *py_long_to_base(ft_object *o, int base)
{
    size_t len;
    int sign;
    char *digits = _py_long_abs_digits(o, base, &len, &sign);
    if (!digits)
        return NULL;
    char *buf = ft_malloc(len + 4);
    if (!buf) {
        ft_free(digits);
        return py_err_from_ft();
    }
    size_t n = 0;
    if (sign < 0)
        buf[n++] = '-';
    buf[n++] = '0';
    buf[n++] = base == 2 ? 'b' : base == 8 ? 'o' : base == 16 ? 'x' : '?';
    memcpy(buf + n, digits, len);
    n += len;
    ft_free(digits);
    ft_object *r = str_from_buf(buf, n);
    ft_free(buf);
    return r;
}

/* repr(s)[:200], as CPython's "%.200R". */
static ft_object *repr_200(ft_object *s)
{
    ft_object *r = py_repr(s);
    if (!r)
        return NULL;
    ssize_t n;
    const char *u = ft_str_utf8_borrow(r, &n);
    ssize_t cps = 0, i = 0;
    for (; i < n; i++) {
        if (((unsigned char)u[i] & 0xC0) != 0x80) {
            if (cps == 200)
                break;
            cps++;
        }
    }
    if (i == n)
        return r;
    ft_object *t = ft_str_from_utf8(u, i);
    ft_decref(r);
    return t ? t : py_err_from_ft();
}

static ft_object *invalid_literal(int base, ft_object *orig)
{
    ft_object *rep = repr_200(orig);
    if (!rep)
        return NULL;
    py_err_format(py_exc_ValueError, "invalid literal for int() with base %d: %s",
                  base, ft_str_utf8_borrow(rep, NULL));
    ft_decref(rep);
    return NULL;
}

static int digit_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Parses s[0:n] as int(s, base); orig (a str or bytes) is named in the
 * error message, or made from s when NULL. */
static ft_object *parse_int(const char *s, size_t n, int base, ft_object *orig)
{
    if (orig && orig->ob_type == &ft_str_type && (size_t)ft_len(orig) != n) {
        /* non-ASCII text: Unicode digits and spaces count, as in CPython */
        size_t an;
        char *ascii = py_utf8_decimal_to_ascii(s, n, &an);
        if (!ascii)
            return NULL;
        ft_object *r = parse_int(ascii, an, base, orig);
        ft_free(ascii);
        return r;
    }
    const char *p = s, *end = s + n;
    int obase = base;
    while (p < end && is_space((unsigned char)*p))
        p++;
    while (end > p && is_space((unsigned char)end[-1]))
        end--;
    bool neg = false;
    if (p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    bool after_prefix = false, zeros_only_base0 = false;
    if (end - p >= 2 && p[0] == '0') {
        char c = (char)(p[1] | 0x20);
        int pb = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
        if (pb && (base == 0 || base == pb)) {
            base = pb;
            p += 2;
            after_prefix = true;
        }
    }
    if (base == 0) {
        base = 10;
        zeros_only_base0 = p < end && *p == '0';
    }
    /* Digits with single '_' between them (one may follow the prefix). */
    size_t cap = (size_t)(end - p) + 1;
    char stackbuf[128];
    char *clean = cap <= sizeof stackbuf ? stackbuf : ft_malloc(cap);
    if (!clean)
        return py_err_from_ft();
    size_t nd = 0;
    bool ok = true, prev_us = false, any_digit = false;
    for (const char *q = p; q < end && ok; q++) {
        if (*q == '_') {
            /* single '_' between digits, or right after a base prefix */
            if (prev_us || (!any_digit && !after_prefix))
                ok = false;
            prev_us = true;
            continue;
        }
        if (digit_value((unsigned char)*q) >= base) {
            ok = false;
            break;
        }
        if (zeros_only_base0 && *q != '0')
            ok = false;
        clean[nd++] = *q;
        prev_us = false;
        any_digit = true;
    }
    if (prev_us || nd == 0)
        ok = false;
    ft_object *res = NULL;
    if (!ok) {
        ft_object *o = orig ? ft_newref(orig) : ft_str_from_utf8(s, (ssize_t)n);
        if (!o)
            res = py_err_from_ft();
        else {
            invalid_literal(obase, o);
            ft_decref(o);
        }
        goto out;
    }
    clean[nd] = 0;
    if ((base & (base - 1)) != 0 && py_int_max_str_digits > 0 &&
        nd > (size_t)py_int_max_str_digits) {
        py_err_format(py_exc_ValueError,
                      "Exceeds the limit (%d digits) for integer string conversion: "
                      "value has %zu digits; use sys.set_int_max_str_digits() to "
                      "increase the limit", py_int_max_str_digits, nd);
        goto out;
    }
    /* Fast path: accumulate in 64 bits while it cannot overflow. */
    uint64_t acc = 0;
    size_t i = 0;
    for (; i < nd; i++) {
        uint64_t d = (uint64_t)digit_value((unsigned char)clean[i]);
        if (acc > (UINT64_MAX - d) / (uint64_t)base)
            break;
        acc = acc * (uint64_t)base + d;
    }
    if (i == nd && acc <= (uint64_t)INT64_MAX) {
        res = new_i64(neg ? -(int64_t)acc : (int64_t)acc);
        goto out;
    }
    mpz_t z;
    mpz_init(z);
    mpz_set_str(z, clean, base);
    if (neg)
        mpz_neg(z, z);
    res = from_mpz_steal(z);
out:
    if (clean != stackbuf)
        ft_free(clean);
    return res;
}

ft_object *py_long_from_string(const char *s, size_t n, int base)
{
    if ((base != 0 && base < 2) || base > 36)
        return py_err_format(py_exc_ValueError, "int() base must be >= 2 and <= 36, or 0");
    return parse_int(s, n, base, NULL);
}

/* ---- arithmetic ------------------------------------------------------------------ */

static ft_object *zero_div(void)
{
    return py_err_format(py_exc_ZeroDivisionError, "integer division or modulo by zero");
}

static ft_object *too_big(void)
{
    return py_err_nomemory();
}

/* Correctly rounded a / b for ints (CPython's long_true_divide). */
static ft_object *big_true_divide(mpz_srcptr a, mpz_srcptr b)
{
    if (mpz_sgn(b) == 0)
        return py_err_format(py_exc_ZeroDivisionError, "division by zero");
    bool negate = (mpz_sgn(a) < 0) != (mpz_sgn(b) < 0);
    if (mpz_sgn(a) == 0)
        return ft_float_from_double(negate ? -0.0 : 0.0);
    mpz_t A, B, x, r;
    mpz_inits(A, B, x, r, NULL);
    mpz_abs(A, a);
    mpz_abs(B, b);
    int64_t diff = (int64_t)mpz_sizeinbase(A, 2) - (int64_t)mpz_sizeinbase(B, 2);
    double result;
    bool overflow = false;
    if (diff > DBL_MAX_EXP) {
        overflow = true;
    } else if (diff < DBL_MIN_EXP - DBL_MANT_DIG - 1) {
        result = 0.0;
    } else {
        int64_t shift = (diff > DBL_MIN_EXP ? diff : DBL_MIN_EXP) - DBL_MANT_DIG - 2;
        bool inexact = false;
        if (shift <= 0) {
            mpz_mul_2exp(x, A, (mp_bitcnt_t)-shift);
        } else {
            mpz_tdiv_q_2exp(x, A, (mp_bitcnt_t)shift);
            inexact = mpz_scan1(A, 0) < (mp_bitcnt_t)shift;
        }
        mpz_tdiv_qr(x, r, x, B);
        if (mpz_sgn(r) != 0)
            inexact = true;
        uint64_t q = mpz_get_ui(x);   /* at most DBL_MANT_DIG + 3 bits */
        int qbits = q ? 64 - __builtin_clzll(q) : 0;
        int64_t lim = DBL_MIN_EXP - shift;
        int extra = (int)((qbits > lim ? qbits : lim) - DBL_MANT_DIG);
        uint64_t mask = (uint64_t)1 << (extra - 1);
        uint64_t low = q | (uint64_t)inexact;   /* bit 2*mask: ties to even */
        if ((low & mask) && (low & (3 * mask - 1)))
            q += mask;
        q &= ~(2 * mask - 1);
        result = ldexp((double)q, (int)shift);
        if (isinf(result))
            overflow = true;
    }
    mpz_clears(A, B, x, r, NULL);
    if (overflow)
        return py_err_format(py_exc_OverflowError,
                             "integer division result too large for a float");
    ft_object *f = ft_float_from_double(negate ? -result : result);
    return f ? f : py_err_from_ft();
}

static ft_object *float_pow_fallback(ft_object *a, ft_object *b)
{
    /* int ** negative int is float ** float (CPython's long_pow). */
    double x = py_long_as_double(a);
    if (x == -1.0 && py_err_occurred())
        return NULL;
    double y = py_long_as_double(b);
    if (y == -1.0 && py_err_occurred())
        return NULL;
    ft_object *fx = ft_float_from_double(x), *fy = ft_float_from_double(y);
    ft_object *r = NULL;
    if (fx && fy)
        r = _py_float_binop(fx, fy, PY_OP_POW);
    else
        py_err_from_ft();
    ft_xdecref(fx);
    ft_xdecref(fy);
    return r;
}

static ft_object *big_pow(mpz_srcptr a, mpz_srcptr b)
{
    if (mpz_cmpabs_ui(a, 1) <= 0) {
        /* 0, 1, -1: any exponent. */
        if (mpz_sgn(a) == 0)
            return new_i64(mpz_sgn(b) == 0 ? 1 : 0);
        if (mpz_sgn(a) > 0)
            return new_i64(1);
        return new_i64(mpz_odd_p(b) ? -1 : 1);
    }
    if (!mpz_fits_ulong_p(b))
        return too_big();
    unsigned long e = mpz_get_ui(b);
    if ((uint64_t)mpz_sizeinbase(a, 2) * e > BIG_MAX_BITS)
        return too_big();
    mpz_t r;
    mpz_init(r);
    mpz_pow_ui(r, a, e);
    return from_mpz_steal(r);
}

static ft_object *big_binop(ft_object *x, ft_object *y, int op)
{
    zview va, vb;
    mpz_srcptr a = zv(x, &va), b = zv(y, &vb);
    mpz_t r;
    switch (op) {
    case PY_OP_ADD: mpz_init(r); mpz_add(r, a, b); break;
    case PY_OP_SUB: mpz_init(r); mpz_sub(r, a, b); break;
    case PY_OP_MUL:
        if ((uint64_t)mpz_sizeinbase(a, 2) + mpz_sizeinbase(b, 2) > BIG_MAX_BITS)
            return too_big();
        mpz_init(r); mpz_mul(r, a, b); break;
    case PY_OP_FLOORDIV:
        if (mpz_sgn(b) == 0)
            return zero_div();
        mpz_init(r); mpz_fdiv_q(r, a, b); break;
    case PY_OP_MOD:
        if (mpz_sgn(b) == 0)
            return py_err_format(py_exc_ZeroDivisionError, "integer modulo by zero");
        mpz_init(r); mpz_fdiv_r(r, a, b); break;
    case PY_OP_TRUEDIV:
        return big_true_divide(a, b);
    case PY_OP_POW:
        if (mpz_sgn(b) < 0)
            return float_pow_fallback(x, y);
        return big_pow(a, b);
    case PY_OP_LSHIFT:
        if (mpz_sgn(b) < 0)
            return py_err_format(py_exc_ValueError, "negative shift count");
        if (mpz_sgn(a) == 0)
            return new_i64(0);
        if (!mpz_fits_ulong_p(b) ||
            mpz_get_ui(b) > BIG_MAX_BITS - mpz_sizeinbase(a, 2)) {
            /* CPython: MemoryError, or OverflowError once the count of
             * 30-bit digits does not fit a Py_ssize_t. */
            mpz_t q;
            mpz_init(q);
            mpz_fdiv_q_ui(q, b, 30);
            bool fits = mpz_fits_slong_p(q);
            mpz_clear(q);
            if (!fits)
                return py_err_format(py_exc_OverflowError, "too many digits in integer");
            return too_big();
        }
        mpz_init(r); mpz_mul_2exp(r, a, mpz_get_ui(b)); break;
    case PY_OP_RSHIFT:
        if (mpz_sgn(b) < 0)
            return py_err_format(py_exc_ValueError, "negative shift count");
        if (!mpz_fits_ulong_p(b) || mpz_get_ui(b) >= mpz_sizeinbase(a, 2))
            return new_i64(mpz_sgn(a) < 0 ? -1 : 0);
        mpz_init(r); mpz_fdiv_q_2exp(r, a, mpz_get_ui(b)); break;
    case PY_OP_AND: mpz_init(r); mpz_and(r, a, b); break;
    case PY_OP_OR:  mpz_init(r); mpz_ior(r, a, b); break;
    case PY_OP_XOR: mpz_init(r); mpz_xor(r, a, b); break;
    default:
        return py_notimplemented();
    }
    return from_mpz_steal(r);
}

/* a op b on int64s; NULL without an exception when the result needs the
 * big path. */
static ft_object *small_binop(int64_t a, int64_t b, int op, bool *big)
{
    int64_t r;
    switch (op) {
    case PY_OP_ADD:
        if (__builtin_add_overflow(a, b, &r)) break;
        return new_i64(r);
    case PY_OP_SUB:
        if (__builtin_sub_overflow(a, b, &r)) break;
        return new_i64(r);
    case PY_OP_MUL:
        if (__builtin_mul_overflow(a, b, &r)) break;
        return new_i64(r);
    case PY_OP_FLOORDIV:
    case PY_OP_MOD: {
        if (b == 0)
            return op == PY_OP_MOD ? py_err_format(py_exc_ZeroDivisionError,
                                                   "integer modulo by zero")
                                   : zero_div();
        if (b == -1) {
            if (op == PY_OP_MOD)
                return new_i64(0);
            if (a == INT64_MIN)
                break;                          /* 2**63: the big path */
            return new_i64(-a);
        }
        int64_t q = a / b, m = a % b;
        if (m != 0 && ((m ^ b) < 0)) {
            q--;
            m += b;
        }
        return new_i64(op == PY_OP_MOD ? m : q);
    }
    case PY_OP_TRUEDIV: {
        if (b == 0)
            return py_err_format(py_exc_ZeroDivisionError, "division by zero");
        const int64_t lim = INT64_C(1) << DBL_MANT_DIG;
        if (a >= -lim && a <= lim && b >= -lim && b <= lim) {
            ft_object *f = ft_float_from_double((double)a / (double)b);
            return f ? f : py_err_from_ft();
        }
        break;
    }
    case PY_OP_POW: {
        if (b < 0)
            break;
        int64_t base = a, res = 1;
        uint64_t e = (uint64_t)b;
        bool ovf = false;
        while (e) {
            if ((e & 1) && __builtin_mul_overflow(res, base, &res)) { ovf = true; break; }
            e >>= 1;
            if (e && __builtin_mul_overflow(base, base, &base)) { ovf = true; break; }
        }
        if (ovf)
            break;
        return new_i64(res);
    }
    case PY_OP_LSHIFT:
        if (b < 0)
            return py_err_format(py_exc_ValueError, "negative shift count");
        if (a == 0)
            return new_i64(0);
        if (b < 63 && !__builtin_mul_overflow(a, INT64_C(1) << b, &r))
            return new_i64(r);
        break;
    case PY_OP_RSHIFT:
        if (b < 0)
            return py_err_format(py_exc_ValueError, "negative shift count");
        return new_i64(b >= 64 ? (a < 0 ? -1 : 0) : a >> b);
    case PY_OP_AND: return new_i64(a & b);
    case PY_OP_OR:  return new_i64(a | b);
    case PY_OP_XOR: return new_i64(a ^ b);
    default:
        return py_notimplemented();
    }
    *big = true;
    return NULL;
}

ft_object *_py_int_binop(ft_object *a, ft_object *b, int op)
{
    op &= ~PY_OP_INPLACE;
    if (py_likely(is_rt(a) && is_rt(b))) {
        bool big = false;
        ft_object *r = small_binop(rt_val(a), rt_val(b), op, &big);
        if (!big)
            return r;
        return big_binop(a, b, op);
    }
    ft_object *x = py_long_unbox_borrow(a), *y = py_long_unbox_borrow(b);
    if (!x || !y)
        return py_notimplemented();
    if (is_rt(x) && is_rt(y)) {
        bool big = false;
        ft_object *r = small_binop(rt_val(x), rt_val(y), op, &big);
        if (!big)
            return r;
    }
    return big_binop(x, y, op);
}

/* pow(a, b, m) for ints (CPython's long_pow with a modulus). */
static ft_object *int_pow_mod(ft_object *a, ft_object *b, ft_object *m)
{
    zview va, vb, vm;
    mpz_srcptr za = zv(a, &va), zb = zv(b, &vb), zm = zv(m, &vm);
    if (mpz_sgn(zm) == 0)
        return py_err_format(py_exc_ValueError, "pow() 3rd argument cannot be 0");
    mpz_t base, mod, r, e;
    mpz_inits(base, mod, r, e, NULL);
    mpz_abs(mod, zm);
    mpz_set(base, za);
    mpz_abs(e, zb);
    ft_object *res = NULL;
    if (mpz_sgn(zb) < 0) {
        if (!mpz_invert(base, base, mod)) {
            py_err_format(py_exc_ValueError, "base is not invertible for the given modulus");
            goto out;
        }
    }
    mpz_powm(r, base, e, mod);            /* in [0, |m|) */
    if (mpz_sgn(zm) < 0 && mpz_sgn(r) != 0)
        mpz_add(r, r, zm);                 /* the sign of the modulus */
    res = from_mpz_copy(r);
out:
    mpz_clears(base, mod, r, e, NULL);
    return res;
}

static int int_compare(ft_object *x, ft_object *y)
{
    if (is_rt(x) && is_rt(y)) {
        int64_t a = rt_val(x), b = rt_val(y);
        return (a > b) - (a < b);
    }
    zview va, vb;
    int c = mpz_cmp(zv(x, &va), zv(y, &vb));
    return (c > 0) - (c < 0);
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

static ft_object *int_richcompare(ft_object *a, ft_object *b, int op)
{
    ft_object *x = py_long_unbox_borrow(a), *y = py_long_unbox_borrow(b);
    if (!x || !y)
        return py_notimplemented();
    return ft_newref(ft_bool(cmp_result(int_compare(x, y), op)));
}

static int int_eq(ft_object *a, ft_object *b)
{
    ft_object *x = py_long_unbox_borrow(a);
    if (!x)
        return 0;
    ft_object *y = py_long_unbox_borrow(b);
    if (y)
        return int_compare(x, y) == 0;
    if (py_float_check(b)) {
        bool err = false;
        double d = py_float_as_double_any(b, &err);
        return !err && py_long_compare_double(x, d) == 0;
    }
    return 0;
}

static ft_object *int_neg(ft_object *x)
{
    if (is_rt(x) && rt_val(x) != INT64_MIN)
        return new_i64(-rt_val(x));
    zview v;
    mpz_t r;
    mpz_init(r);
    mpz_neg(r, zv(x, &v));
    return from_mpz_steal(r);
}

static ft_object *int_unaryop(ft_object *o, int op)
{
    ft_object *x = py_long_unbox_borrow(o);
    if (!x)
        return py_notimplemented();
    switch (op) {
    case PY_UNARY_NEG:
        return int_neg(x);
    case PY_UNARY_POS:
        return exact_int(x);
    case PY_UNARY_INVERT:
        if (is_rt(x))
            return new_i64(~rt_val(x));
        mpz_t r;
        mpz_init(r);
        mpz_com(r, big_z(x));
        return from_mpz_steal(r);
    }
    return py_notimplemented();
}

static ft_object *call_dunder(ft_object *o, ft_object *name, bool *found);

static int int_bool(ft_object *o)
{
    ft_object *x = py_long_unbox_borrow(o);
    if (!x)
        return py_err_format_int(py_exc_TypeError, "descriptor '__bool__' requires an 'int' object");
    return is_big(x) ? 1 : rt_val(x) != 0;
}

static ft_object *int_abs(ft_object *x)
{
    return py_long_sign(x) < 0 ? int_neg(x) : exact_int(x);
}

static ft_object *int_abs_m(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)args;
    if (py_meth_args(PY_ARGK_WRAPPER, "int", "__abs__", nargs, kwnames, 0, 0) < 0)
        return NULL;
    ft_object *x = py_long_unbox_borrow(self);
    if (!x)
        return py_err_format(py_exc_TypeError, "descriptor '__abs__' requires an 'int' object");
    return int_abs(x);
}

ft_object *py_number_absolute(ft_object *o)
{
    ft_object *x = py_long_unbox_borrow(o);
    if (x && (is_rt(o) || is_big(o)))
        return int_abs(x);
    if (o->ob_type == &ft_float_type) {
        bool err;
        double d = py_float_as_double_any(o, &err);
        ft_object *f = ft_float_from_double(fabs(d));
        return f ? f : py_err_from_ft();
    }
    bool found;
    ft_object *r = call_dunder(o, PY_ID(__abs__), &found);
    if (!found)
        return py_err_format(py_exc_TypeError, "bad operand type for abs(): '%s'",
                             py_type_name(o));
    return r;
}

/* ---- calling dunders of other objects -------------------------------------------- */

/* type(o).name(o), or NULL with *found false (no exception) when the type
 * has no such attribute. */
static ft_object *call_dunder(ft_object *o, ft_object *name, bool *found)
{
    ft_object *m = py_type_lookup_borrow(py_type_of(o), name);
    *found = m != NULL;
    if (!m)
        return NULL;
    return py_call1(m, o);
}

ft_object *py_number_index(ft_object *o)
{
    ft_object *v = py_long_unbox_borrow(o);
    if (v)
        return exact_int(v);
    bool found;
    ft_object *r = call_dunder(o, PY_ID(__index__), &found);
    if (!found)
        return py_err_format(py_exc_TypeError,
                             "'%s' object cannot be interpreted as an integer",
                             py_type_name(o));
    if (!r)
        return NULL;
    v = py_long_unbox_borrow(r);
    if (!v) {
        py_err_format(py_exc_TypeError, "__index__ returned non-int (type %s)",
                      py_type_name(r));
        ft_decref(r);
        return NULL;
    }
    ft_object *e = exact_int(v);
    ft_decref(r);
    return e;
}

/* The text of a bytes or bytearray object for int()/float() (those
 * types are group STRINGS'): o.decode('latin-1'), or NULL without an
 * exception when o is not bytes-like. */
static ft_object *bytes_as_str(ft_object *o)
{
    py_type *t = py_type_of(o);
    if (t != &py_bytes_class && !py_type_is_subtype(t, &py_bytes_class) &&
        strcmp(t->ft.tp_name, "bytearray") != 0)
        return NULL;
    ft_object *enc = ft_str_from_utf8("latin-1", -1);
    if (!enc)
        return py_err_from_ft();
    ft_object *dec = py_getattr_str(o, "decode");
    ft_object *s = dec ? py_call1(dec, enc) : NULL;
    ft_xdecref(dec);
    ft_decref(enc);
    return s;
}

ft_object *py_number_long(ft_object *o)
{
    ft_object *v = py_long_unbox_borrow(o);
    if (v && (is_rt(o) || is_big(o)))
        return exact_int(v);
    if (py_float_check(o)) {
        bool err = false;
        double d = py_float_as_double_any(o, &err);
        return err ? NULL : py_long_from_double(d);
    }
    bool found;
    ft_object *r = call_dunder(o, PY_ID(__int__), &found);
    if (found) {
        if (!r)
            return NULL;
        v = py_long_unbox_borrow(r);
        if (!v) {
            py_err_format(py_exc_TypeError, "__int__ returned non-int (type %s)",
                          py_type_name(r));
            ft_decref(r);
            return NULL;
        }
        ft_object *e = exact_int(v);
        ft_decref(r);
        return e;
    }
    if (py_type_lookup_borrow(py_type_of(o), PY_ID(__index__)))
        return py_number_index(o);
    r = call_dunder(o, PY_ID(__trunc__), &found);
    if (found) {
        if (!r)
            return NULL;
        v = py_long_unbox_borrow(r);
        if (v) {
            ft_object *e = exact_int(v);
            ft_decref(r);
            return e;
        }
        if (!py_type_lookup_borrow(py_type_of(r), PY_ID(__index__))) {
            py_err_format(py_exc_TypeError, "__trunc__ returned non-Integral (type %s)",
                          py_type_name(r));
            ft_decref(r);
            return NULL;
        }
        ft_object *e = py_number_index(r);
        ft_decref(r);
        return e;
    }
    ft_object *s = py_unbox_borrow(o, &ft_str_type);
    if (s) {
        ssize_t n;
        const char *u = ft_str_utf8_borrow(s, &n);
        return parse_int(u, (size_t)n, 10, s);
    }
    s = bytes_as_str(o);
    if (s) {
        ssize_t n;
        const char *u = ft_str_utf8_borrow(s, &n);
        ft_object *res = parse_int(u, (size_t)n, 10, o);
        ft_decref(s);
        return res;
    }
    if (py_err_occurred())
        return NULL;
    return py_err_format(py_exc_TypeError,
                         "int() argument must be a string, a bytes-like object "
                         "or a real number, not '%s'", py_type_name(o));
}

/* ---- the constructor ---------------------------------------------------------------- */

ft_object *_py_number_box_new(py_type *cls, ft_object *value)
{
    if (cls->tp_boxoffset <= 0)
        return py_err_format(py_exc_TypeError, "%s.__new__(%s): cannot box the value",
                             cls->tp_base ? cls->tp_base->ft.tp_name : "?", cls->ft.tp_name);
    ft_object *inst = py_object_type.tp_new(cls, NULL, 0, NULL);
    if (!inst)
        return NULL;
    ft_object **slot = (ft_object **)((char *)inst + cls->tp_boxoffset);
    ft_object *old = *slot;
    *slot = ft_newref(value);
    ft_xdecref(old);
    return inst;
}

static ssize_t kw_count(ft_object *kwnames)
{
    return kwnames ? ft_len(kwnames) : 0;
}

static ft_object *int_new(py_type *cls, ft_object *const *args, size_t nargs,
                          ft_object *kwnames)
{
    ssize_t nkw = kw_count(kwnames);
    if (nargs + (size_t)nkw > 2)
        return py_err_format(py_exc_TypeError, "int() takes at most 2 arguments (%zu given)",
                             nargs + (size_t)nkw);
    ft_object *x = nargs >= 1 ? args[0] : NULL, *obase = nargs >= 2 ? args[1] : NULL;
    for (ssize_t i = 0; i < nkw; i++) {
        const char *k = ft_str_utf8_borrow(ft_tuple_get_borrow(kwnames, i), NULL);
        if (strcmp(k, "base") != 0)
            return py_err_format(py_exc_TypeError,
                                 "'%s' is an invalid keyword argument for int()", k);
        if (obase)
            return py_err_format(py_exc_TypeError,
                                 "argument for int() given by name ('base') and position (2)");
        obase = args[nargs + (size_t)i];
    }
    ft_object *value;
    if (!x) {
        if (obase)
            return py_err_format(py_exc_TypeError, "int() missing string argument");
        value = new_i64(0);
    } else if (!obase) {
        value = py_number_long(x);
    } else {
        int64_t base;
        ft_object *bi = py_number_index(obase);
        if (!bi)
            return NULL;
        if (is_big(bi))
            base = 99;
        else
            base = rt_val(bi);
        ft_decref(bi);
        if ((base != 0 && base < 2) || base > 36)
            return py_err_format(py_exc_ValueError, "int() base must be >= 2 and <= 36, or 0");
        ft_object *s = py_unbox_borrow(x, &ft_str_type);
        if (s) {
            ssize_t n;
            const char *u = ft_str_utf8_borrow(s, &n);
            value = parse_int(u, (size_t)n, (int)base, s);
        } else if ((s = bytes_as_str(x)) != NULL) {
            ssize_t n;
            const char *u = ft_str_utf8_borrow(s, &n);
            value = parse_int(u, (size_t)n, (int)base, x);
            ft_decref(s);
        } else {
            if (py_err_occurred())
                return NULL;
            return py_err_format(py_exc_TypeError,
                                 "int() can't convert non-string with explicit base");
        }
    }
    if (!value || cls == &py_int_class)
        return value;
    ft_object *inst = _py_number_box_new(cls, value);
    ft_decref(value);
    return inst;
}

/* ---- methods ------------------------------------------------------------------------ */

#define SELF_INT(self, v)                                                        \
    ft_object *v = py_long_unbox_borrow(self);                                  \
    if (!v)                                                                      \
        return py_err_format(py_exc_TypeError, "descriptor requires an 'int' object " \
                             "but received a '%s'", py_type_name(self))

/* int's METH_NOARGS methods: "int.bit_length() takes no arguments (1 given)". */
static int no_args(const char *name, size_t nargs, ft_object *kwnames)
{
    return py_meth_noargs("int", name, nargs, kwnames);
}

static ft_object *int_bit_length(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)args;
    if (no_args("bit_length", nargs, kwnames) < 0)
        return NULL;
    SELF_INT(self, v);
    if (is_big(v))
        return new_i64((int64_t)mpz_sizeinbase(big_z(v), 2));
    int64_t x = rt_val(v);
    uint64_t m = x < 0 ? -(uint64_t)x : (uint64_t)x;
    return new_i64(m ? 64 - __builtin_clzll(m) : 0);
}

static ft_object *int_bit_count(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)args;
    if (no_args("bit_count", nargs, kwnames) < 0)
        return NULL;
    SELF_INT(self, v);
    if (is_big(v)) {
        mpz_t a;
        mpz_init(a);
        mpz_abs(a, big_z(v));
        int64_t c = (int64_t)mpz_popcount(a);
        mpz_clear(a);
        return new_i64(c);
    }
    int64_t x = rt_val(v);
    uint64_t m = x < 0 ? -(uint64_t)x : (uint64_t)x;
    return new_i64(__builtin_popcountll(m));
}

/* The methods that return the int itself (as an exact int); kind and
 * name only decide the words of argument errors. */
#define SELF_EXACT(fn, kind, pyname)                                             \
    static ft_object *fn(ft_object *self, ft_object *const *args, size_t nargs,  \
                         ft_object *kwnames)                                     \
    {                                                                            \
        (void)args;                                                              \
        if (py_meth_args(kind, "int", pyname, nargs, kwnames, 0, 0) < 0)         \
            return NULL;                                                         \
        SELF_INT(self, v);                                                       \
        return exact_int(v);                                                     \
    }
SELF_EXACT(int_conjugate_m, PY_ARGK_NOARGS, "conjugate")
SELF_EXACT(int_trunc_m, PY_ARGK_NOARGS, "__trunc__")
SELF_EXACT(int_floor_m, PY_ARGK_NOARGS, "__floor__")
SELF_EXACT(int_ceil_m, PY_ARGK_NOARGS, "__ceil__")
SELF_EXACT(int_index_m, PY_ARGK_WRAPPER, "__index__")
SELF_EXACT(int_int_m, PY_ARGK_WRAPPER, "__int__")

static ft_object *int_float_m(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args;
    if (py_meth_args(PY_ARGK_WRAPPER, "int", "__float__", nargs, kwnames, 0, 0) < 0)
        return NULL;
    double d = py_long_as_double(self);
    if (d == -1.0 && py_err_occurred())
        return NULL;
    ft_object *f = ft_float_from_double(d);
    return f ? f : py_err_from_ft();
}

static ft_object *int_as_integer_ratio(ft_object *self, ft_object *const *args,
                                       size_t nargs, ft_object *kwnames)
{
    (void)args;
    if (no_args("as_integer_ratio", nargs, kwnames) < 0)
        return NULL;
    SELF_INT(self, v);
    ft_object *t = ft_tuple_new(2);
    if (!t)
        return py_err_from_ft();
    ft_tuple_set_steal(t, 0, exact_int(v));
    ft_tuple_set_steal(t, 1, ft_int_from_i64(1));
    return t;
}

static ft_object *int_round(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    if (py_meth_clinic("int", "__round__", nargs, kwnames, 0, 1) < 0)
        return NULL;
    ft_object *nd = nargs ? args[0] : NULL;
    SELF_INT(self, v);
    if (!nd || nd == ft_none())
        return exact_int(v);
    ft_object *n = py_number_index(nd);
    if (!n)
        return NULL;
    int sn = py_long_sign(n);
    if (sn >= 0) {
        ft_decref(n);
        return exact_int(v);
    }
    /* Round half to even to a multiple of 10**-n. */
    zview vz;
    mpz_srcptr z = zv(v, &vz);
    size_t ndig = mpz_sizeinbase(z, 10);
    if (is_big(n) || -(uint64_t)rt_val(n) > ndig + 1) {
        ft_decref(n);
        return new_i64(0);
    }
    unsigned long k = (unsigned long)-(uint64_t)rt_val(n);
    ft_decref(n);
    mpz_t p, q, r, twice;
    mpz_inits(p, q, r, twice, NULL);
    mpz_ui_pow_ui(p, 10, k);
    mpz_fdiv_qr(q, r, z, p);
    mpz_mul_2exp(twice, r, 1);
    int c = mpz_cmp(twice, p);
    if (c > 0 || (c == 0 && mpz_odd_p(q)))
        mpz_add_ui(q, q, 1);
    mpz_mul(q, q, p);
    ft_object *res = from_mpz_copy(q);
    mpz_clears(p, q, r, twice, NULL);
    return res;
}

static ft_object *int_format_m(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    if (py_meth_onearg("int", "__format__", nargs, kwnames) < 0)
        return NULL;
    if (!py_unbox_borrow(args[0], &ft_str_type))
        return py_err_format(py_exc_TypeError, "__format__() argument must be str, not %s",
                             py_type_name(args[0]));
    SELF_INT(self, v);
    (void)v;
    return py_format_long(self, args[0]);
}

static ft_object *int_divmod_values(ft_object *x, ft_object *y)
{
    ft_object *q = _py_int_binop(x, y, PY_OP_FLOORDIV);
    if (!q)
        return NULL;
    ft_object *m = _py_int_binop(x, y, PY_OP_MOD);
    if (!m) {
        ft_decref(q);
        return NULL;
    }
    ft_object *t = ft_tuple_new(2);
    if (!t) {
        ft_decref(q);
        ft_decref(m);
        return py_err_from_ft();
    }
    ft_tuple_set_steal(t, 0, q);
    ft_tuple_set_steal(t, 1, m);
    return t;
}

static ft_object *int_divmod_m(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    if (py_meth_args(PY_ARGK_WRAPPER, "int", "__divmod__", nargs, kwnames, 1, 1) < 0)
        return NULL;
    if (!py_long_check(args[0]))
        return py_notimplemented();
    return int_divmod_values(self, args[0]);
}

static ft_object *int_rdivmod_m(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    if (py_meth_args(PY_ARGK_WRAPPER, "int", "__rdivmod__", nargs, kwnames, 1, 1) < 0)
        return NULL;
    if (!py_long_check(args[0]))
        return py_notimplemented();
    return int_divmod_values(args[0], self);
}

static ft_object *int_pow_m(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    if (py_meth_args(PY_ARGK_WRAPPER_UNPACK, "int", "__pow__", nargs, kwnames, 1, 2) < 0)
        return NULL;
    if (nargs == 2 && args[1] != ft_none()) {
        ft_object *x = py_long_unbox_borrow(self), *y = py_long_unbox_borrow(args[0]),
                  *m = py_long_unbox_borrow(args[1]);
        if (!x || !y || !m)
            return py_notimplemented();
        return int_pow_mod(x, y, m);
    }
    return _py_int_binop(self, args[0], PY_OP_POW);
}

static ft_object *int_rpow_m(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    if (py_meth_args(PY_ARGK_WRAPPER_UNPACK, "int", "__rpow__", nargs, kwnames, 1, 2) < 0)
        return NULL;
    if (nargs == 2 && args[1] != ft_none()) {
        ft_object *x = py_long_unbox_borrow(args[0]), *y = py_long_unbox_borrow(self),
                  *m = py_long_unbox_borrow(args[1]);
        if (!x || !y || !m)
            return py_notimplemented();
        return int_pow_mod(x, y, m);
    }
    return _py_int_binop(args[0], self, PY_OP_POW);
}

static ft_object *int_sizeof_m(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)args;
    if (no_args("__sizeof__", nargs, kwnames) < 0)
        return NULL;
    SELF_INT(self, v);
    if (is_big(v))
        return new_i64((int64_t)(sizeof(bigint) + mpz_size(big_z(v)) * sizeof(mp_limb_t)));
    return new_i64((int64_t)sizeof(rt_int));
}

/* ---- to_bytes / from_bytes ------------------------------------------------------------ */

/* byteorder argument: 1 little, 0 big, -1 error. */
static int parse_byteorder(ft_object *o, const char *fname)
{
    if (!o)
        return 0;
    ft_object *s = py_unbox_borrow(o, &ft_str_type);
    if (!s)
        return py_err_format_int(py_exc_TypeError,
                                 "%s() argument 'byteorder' must be str, not %s", fname,
                                 py_type_name(o));
    const char *u = ft_str_utf8_borrow(s, NULL);
    if (strcmp(u, "little") == 0)
        return 1;
    if (strcmp(u, "big") == 0)
        return 0;
    return py_err_format_int(py_exc_ValueError, "byteorder must be either 'little' or 'big'");
}

static ft_object *make_bytes(const unsigned char *p, size_t n)
{
    return py_bytes_from_buf((const char *)p, n);
}

static ft_object *int_to_bytes(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    ft_object *a[3] = { NULL, NULL, NULL };
    if (py_bind_args("to_bytes", args, nargs, kwnames, "|,length,byteorder,*,signed", a) < 0)
        return NULL;
    SELF_INT(self, v);
    ssize_t length = 1;
    if (a[0] && py_index_ssize(a[0], &length) < 0)
        return NULL;
    if (length < 0)
        return py_err_format(py_exc_ValueError, "length argument must be non-negative");
    int little = parse_byteorder(a[1], "to_bytes");
    if (little < 0)
        return NULL;
    int is_signed = a[2] ? py_is_true(a[2]) : 0;
    if (is_signed < 0)
        return NULL;
    zview vz;
    mpz_srcptr z = zv(v, &vz);
    if (!is_signed && mpz_sgn(z) < 0)
        return py_err_format(py_exc_OverflowError, "can't convert negative int to unsigned");
    /* Two's complement in length bytes: z mod 256**length, with a range
     * check first. */
    size_t bits = mpz_sgn(z) == 0 ? 0 : mpz_sizeinbase(z, 2);
    bool fits;
    if (!is_signed) {
        fits = bits <= (size_t)length * 8;
    } else if (mpz_sgn(z) >= 0) {
        fits = bits < (size_t)length * 8 || (bits == 0);
    } else {
        /* -2**(8L-1) <= z */
        mpz_t t;
        mpz_init(t);
        mpz_add_ui(t, z, 1);
        size_t tb = mpz_sgn(t) == 0 ? 0 : mpz_sizeinbase(t, 2);
        fits = length > 0 && tb < (size_t)length * 8;
        mpz_clear(t);
    }
    if (!fits)
        return py_err_format(py_exc_OverflowError, "int too big to convert");
    unsigned char *buf = ft_malloc((size_t)length + 1);
    if (!buf)
        return py_err_from_ft();
    mpz_t t;
    mpz_init(t);
    mpz_fdiv_r_2exp(t, z, (mp_bitcnt_t)length * 8);    /* non-negative */
    memset(buf, 0, (size_t)length);
    size_t cnt = 0;
    if (mpz_sgn(t) != 0)
        mpz_export(buf, &cnt, -1, 1, 0, 0, t);          /* little-endian bytes */
    mpz_clear(t);
    if (!little) {
        for (ssize_t i = 0, j = length - 1; i < j; i++, j--) {
            unsigned char c = buf[i];
            buf[i] = buf[j];
            buf[j] = c;
        }
    }
    ft_object *r = make_bytes(buf, (size_t)length);
    ft_free(buf);
    return r;
}

static ft_object *int_from_bytes(ft_object *cls, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    ft_object *a[3] = { NULL, NULL, NULL };
    if (py_bind_args("from_bytes", args, nargs, kwnames, "bytes,|,byteorder,*,signed", a) < 0)
        return NULL;
    int little = parse_byteorder(a[1], "from_bytes");
    if (little < 0)
        return NULL;
    int is_signed = a[2] ? py_is_true(a[2]) : 0;
    if (is_signed < 0)
        return NULL;
    /* CPython takes bytes(x) of anything but an int (PyObject_Bytes) */
    ft_object *bo = py_bytes_like_ref(a[0]);
    if (bo || py_err_occurred())
        ;
    else if (py_long_check(a[0]))
        return py_err_format(py_exc_TypeError, "cannot convert '%s' object to bytes",
                             py_type_name(a[0]));
    else
        bo = py_call1((ft_object *)&py_bytes_class, a[0]);
    if (!bo)
        return NULL;
    ssize_t n;
    const char *data = py_bytes_data(bo, &n);
    unsigned char *buf = data ? ft_malloc((size_t)n + 1) : NULL;
    if (!buf) {
        ft_decref(bo);
        return data ? py_err_nomemory() : NULL;
    }
    memcpy(buf, data, (size_t)n);
    ft_decref(bo);
    mpz_t z;
    mpz_init(z);
    if (n)
        mpz_import(z, (size_t)n, little ? -1 : 1, 1, 0, 0, buf);
    if (is_signed && n && (buf[little ? n - 1 : 0] & 0x80)) {
        mpz_t p;
        mpz_init(p);
        mpz_setbit(p, (mp_bitcnt_t)n * 8);
        mpz_sub(z, z, p);
        mpz_clear(p);
    }
    ft_free(buf);
    ft_object *v = from_mpz_steal(z);
    if (!v || cls == (ft_object *)&py_int_class)
        return v;
    ft_object *r = py_call1(cls, v);
    ft_decref(v);
    return r;
}

static const py_method_def int_methods[] = {
    { "bit_length", int_bit_length, PY_METH_DEFAULT },
    { "bit_count", int_bit_count, PY_METH_DEFAULT },
    { "to_bytes", int_to_bytes, PY_METH_DEFAULT },
    { "from_bytes", int_from_bytes, PY_METH_CLASS },
    { "conjugate", int_conjugate_m, PY_METH_DEFAULT },
    { "as_integer_ratio", int_as_integer_ratio, PY_METH_DEFAULT },
    { "__index__", int_index_m, PY_METH_DEFAULT },
    { "__int__", int_int_m, PY_METH_DEFAULT },
    { "__trunc__", int_trunc_m, PY_METH_DEFAULT },
    { "__floor__", int_floor_m, PY_METH_DEFAULT },
    { "__ceil__", int_ceil_m, PY_METH_DEFAULT },
    { "__float__", int_float_m, PY_METH_DEFAULT },
    { "__round__", int_round, PY_METH_DEFAULT },
    { "__format__", int_format_m, PY_METH_DEFAULT },
    { "__divmod__", int_divmod_m, PY_METH_DEFAULT },
    { "__rdivmod__", int_rdivmod_m, PY_METH_DEFAULT },
    { "__pow__", int_pow_m, PY_METH_DEFAULT },
    { "__rpow__", int_rpow_m, PY_METH_DEFAULT },
    { "__sizeof__", int_sizeof_m, PY_METH_DEFAULT },
    { "__abs__", int_abs_m, PY_METH_DEFAULT },
    { NULL, NULL, 0 }
};

static ft_object *int_get_self(ft_object *self)
{
    ft_object *v = py_long_unbox_borrow(self);
    return v ? exact_int(v) : py_err_format(py_exc_TypeError, "an int is required");
}
static ft_object *int_get_zero(ft_object *self) { (void)self; return ft_int_from_i64(0); }
static ft_object *int_get_one(ft_object *self) { (void)self; return ft_int_from_i64(1); }

static const py_getset_def int_getset[] = {
    { "real", int_get_self, NULL },
    { "imag", int_get_zero, NULL },
    { "numerator", int_get_self, NULL },
    { "denominator", int_get_one, NULL },
    { NULL, NULL, NULL }
};

/* ---- types ------------------------------------------------------------------------------ */

static void bigint_dealloc(ft_object *o)
{
    mpz_clear(((bigint *)o)->z);
    ft_object_free(o);
}

static size_t bigint_sizeof(ft_object *o)
{
    return sizeof(bigint) + mpz_size(big_z(o)) * sizeof(mp_limb_t);
}

ft_type py_bigint_ft_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "int",
    .tp_basicsize = sizeof(bigint),
    .tp_dealloc = bigint_dealloc,
    .tp_hash = int_hash,
    .tp_eq = int_eq,
    .tp_repr = int_repr,
    .tp_sizeof = bigint_sizeof,
};

static void int_class_dealloc(ft_object *o)
{
    /* No object has exactly this ft type: ints are ft_int_type or big. */
    ft_object_free(o);
}

py_type py_int_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "int",
        .tp_basicsize = sizeof(ft_object),
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE | PY_TPFLAGS_INT,
        .tp_dealloc = int_class_dealloc,
        .tp_hash = int_hash,
        .tp_eq = int_eq,
        .tp_repr = int_repr,
    },
    .tp_binop = _py_int_binop,
    .tp_richcompare = int_richcompare,
    .tp_unaryop = int_unaryop,
    .tp_bool = int_bool,
    .tp_new = int_new,
    .tp_methods = int_methods,
    .tp_getset = int_getset,
    .tp_box = &ft_int_type,
};

/* ---- module-level helpers for the builtins --------------------------------------------------- */

static ft_object *notimpl(void)
{
    ft_object *ni = py_notimplemented();   /* immortal: the count is moot */
    ft_decref(ni);
    return ni;
}

static ft_object *binary_dunder(ft_object *a, ft_object *b, ft_object *name,
                                ft_object *rname)
{
    ft_object *m = py_type_lookup_borrow(py_type_of(a), name);
    if (m) {
        ft_object *r = py_call2(m, a, b);
        if (!r)
            return NULL;
        if (r != notimpl())
            return r;
        ft_decref(r);
    }
    if (py_type_of(b) != py_type_of(a)) {
        m = py_type_lookup_borrow(py_type_of(b), rname);
        if (m) {
            ft_object *r = py_call2(m, b, a);
            if (!r)
                return NULL;
            if (r != notimpl())
                return r;
            ft_decref(r);
        }
    }
    return NULL;   /* no exception: unsupported */
}

ft_object *py_number_divmod(ft_object *a, ft_object *b)
{
    ft_object *x = py_long_unbox_borrow(a), *y = py_long_unbox_borrow(b);
    if (x && y && is_rt(a) && is_rt(b))
        return int_divmod_values(x, y);
    bool na = is_rt(a) || is_big(a) || a->ob_type == &ft_float_type;
    bool nb = is_rt(b) || is_big(b) || b->ob_type == &ft_float_type;
    if (na && nb)
        return x && y ? int_divmod_values(x, y) : _py_float_divmod(a, b);
    ft_object *r = binary_dunder(a, b, PY_ID(__divmod__), PY_ID(__rdivmod__));
    if (r || py_err_occurred())
        return r;
    return py_err_format(py_exc_TypeError,
                         "unsupported operand type(s) for divmod(): '%s' and '%s'",
                         py_type_name(a), py_type_name(b));
}

ft_object *py_number_pow3(ft_object *a, ft_object *b, ft_object *m)
{
    if (!m || m == ft_none())
        return py_binary_op(a, b, PY_OP_POW);
    ft_object *x = py_long_unbox_borrow(a), *y = py_long_unbox_borrow(b),
              *z = py_long_unbox_borrow(m);
    if (x && y && z)
        return int_pow_mod(x, y, z);
    bool num_a = x || py_float_check(a), num_b = y || py_float_check(b),
         num_m = z || py_float_check(m);
    if (num_a && num_b && num_m)
        return py_err_format(py_exc_TypeError,
                             "pow() 3rd argument not allowed unless all arguments are integers");
    ft_object *meth = py_type_lookup_borrow(py_type_of(a), PY_ID(__pow__));
    if (meth && !num_a) {
        ft_object *args[3] = { a, b, m };
        ft_object *r = py_vcall(meth, args, 3, NULL);
        if (!r || r != notimpl())
            return r;
        ft_decref(r);
    }
    return py_err_format(py_exc_TypeError,
                         "unsupported operand type(s) for ** or pow(): '%s', '%s', '%s'",
                         py_type_name(a), py_type_name(b), py_type_name(m));
}

/* ---- life cycle ------------------------------------------------------------------------------ */

int py_numbers_init(void)
{
    if (ft_int_type.tp_basicsize != sizeof(rt_int)) {
        fprintf(stderr, "ftpy: the runtime's int layout changed (int.c)\n");
        return -1;
    }
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
    /* Does the runtime hash numbers as CPython does? hash(0.5) and
     * hash(2**62) tell. */
    ft_object *half = ft_float_from_double(0.5);
    ft_object *big = ft_int_from_i64(INT64_C(1) << 62);
    if (!half || !big) {
        ft_xdecref(half);
        ft_xdecref(big);
        return -1;
    }
    runtime_cpython_hash = ft_float_type.tp_hash(half) == INT64_C(1152921504606846976) &&
                           ft_int_type.tp_hash(big) == 2;
    ft_decref(half);
    ft_decref(big);
    if (py_type_ready(&py_int_class) < 0)
        return -1;
    py_register_ft_class(&py_bigint_ft_type, &py_int_class);
    if (_py_bool_init() < 0 || _py_float_init() < 0)
        return -1;
    return 0;
}

void py_numbers_fini(void)
{
    /* GMP keeps allocating through ftlab: big ints released by the
     * collections and class teardown that follow in py_fini must go back
     * to the heap they came from. Nothing calls GMP after ft_fini (a new
     * py_init sets the functions again). */
}
