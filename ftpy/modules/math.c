/* math.c — the math module (CPython 3.11's Modules/mathmodule.c):
 * libm for the real functions with CPython's error rules ("math domain
 * error" ValueError / "math range error" OverflowError), GMP for the
 * integer functions (factorial, gcd, lcm, comb, perm, isqrt), exact
 * logarithms of big ints through their bit length, and fsum with
 * Shewchuk's exact partial sums (CPython's msum).
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include <gmp.h>
#include "../objects/int.h"
#include "modules.h"

/* ---- helpers ------------------------------------------------------------------------ */

static ft_object *new_float(double v)
{
    ft_object *f = ft_float_from_double(v);
    return f ? f : py_err_from_ft();
}

static ft_object *domain_error(void)
{
    return py_err_format(py_exc_ValueError, "math domain error");
}

static ft_object *range_error(void)
{
    return py_err_format(py_exc_OverflowError, "math range error");
}

static int one_arg(const char *name, size_t nargs, ft_object *kwnames)
{
    if (py_no_kwargs(name, kwnames) < 0)
        return -1;
    if (nargs != 1)
        return py_err_format_int(py_exc_TypeError,
                                 "math.%s() takes exactly one argument (%zu given)", name, nargs);
    return 0;
}

static int n_args(const char *name, size_t nargs, ft_object *kwnames, size_t n)
{
    if (py_no_kwargs(name, kwnames) < 0)
        return -1;
    if (nargs != n)
        return py_err_format_int(py_exc_TypeError, "%s expected %zu arguments, got %zu",
                                 name, n, nargs);
    return 0;
}

static bool to_double(ft_object *o, double *out)
{
    bool err;
    *out = py_float_as_double_any(o, &err);
    return !err;
}

/* CPython's is_error: errno EDOM -> ValueError; ERANGE -> OverflowError
 * unless the result is tiny (underflow is not an error). Returns true
 * when an exception was set. */
static bool is_error(double r)
{
    if (errno == EDOM) {
        domain_error();
        return true;
    }
    if (errno == ERANGE) {
        if (fabs(r) < 1.5)
            return false;
        range_error();
        return true;
    }
    return false;
}

/* CPython's math_1: f(x) with NaN/inf results mapped to errors. */
static ft_object *math_1(ft_object *arg, double (*f)(double), bool can_overflow)
{
    double x;
    if (!to_double(arg, &x))
        return NULL;
    errno = 0;
    double r = f(x);
    if (isnan(r) && !isnan(x))
        return domain_error();
    if (isinf(r) && isfinite(x))
        return can_overflow ? range_error() : domain_error();
    if (isfinite(r) && errno && is_error(r))
        return NULL;
    return new_float(r);
}

/* CPython's math_2. */
static ft_object *math_2(ft_object *a, ft_object *b, double (*f)(double, double),
                         bool can_overflow)
{
    double x, y;
    if (!to_double(a, &x) || !to_double(b, &y))
        return NULL;
    errno = 0;
    double r = f(x, y);
    if (isnan(r))
        errno = !isnan(x) && !isnan(y) ? EDOM : 0;
    else if (isinf(r))
        errno = isfinite(x) && isfinite(y) ? (can_overflow ? ERANGE : EDOM) : 0;
    if (errno && is_error(r))
        return NULL;
    return new_float(r);
}

#define MATH_FUNC1(name, cfunc, ovf)                                             \
    static ft_object *math_##name(ft_object *self, ft_object *const *args,       \
                                  size_t nargs, ft_object *kwnames)              \
    {                                                                            \
        (void)self;                                                              \
        if (one_arg(#name, nargs, kwnames) < 0)                                  \
            return NULL;                                                         \
        return math_1(args[0], cfunc, ovf);                                      \
    }

/* degrees/radians: a plain product, no range check (as CPython). */
static ft_object *math_degrees(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self;
    double x;
    if (one_arg("degrees", nargs, kwnames) < 0 || !to_double(args[0], &x))
        return NULL;
    return new_float(x * (180.0 / M_PI));
}

static ft_object *math_radians(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self;
    double x;
    if (one_arg("radians", nargs, kwnames) < 0 || !to_double(args[0], &x))
        return NULL;
    return new_float(x * (M_PI / 180.0));
}

MATH_FUNC1(sqrt, sqrt, false)
MATH_FUNC1(exp, exp, true)
MATH_FUNC1(exp2, exp2, true)
MATH_FUNC1(expm1, expm1, true)
MATH_FUNC1(log1p, log1p, false)
MATH_FUNC1(cbrt, cbrt, false)
MATH_FUNC1(sin, sin, false)
MATH_FUNC1(cos, cos, false)
MATH_FUNC1(tan, tan, false)
MATH_FUNC1(asin, asin, false)
MATH_FUNC1(acos, acos, false)
MATH_FUNC1(atan, atan, false)
MATH_FUNC1(sinh, sinh, true)
MATH_FUNC1(cosh, cosh, true)
MATH_FUNC1(tanh, tanh, false)
MATH_FUNC1(asinh, asinh, false)
MATH_FUNC1(acosh, acosh, false)
MATH_FUNC1(atanh, atanh, false)
MATH_FUNC1(fabs, fabs, false)
MATH_FUNC1(erf, erf, false)
MATH_FUNC1(erfc, erfc, false)

/* gamma and lgamma: CPython's own Lanczos approximation (N = 13,
 * g = 6.0246...), not libm's, so that results agree to the last bit. */
#define LANCZOS_N 13
static const double lanczos_g = 6.024680040776729583740234375;
static const double lanczos_g_minus_half = 5.524680040776729583740234375;
static const double lanczos_num_coeffs[LANCZOS_N] = {
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408
};
/* the denominator is x*(x+1)*...*(x+LANCZOS_N-2) */
static const double lanczos_den_coeffs[LANCZOS_N] = {
    0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0,
    13339535.0, 2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0};
#define NGAMMA_INTEGRAL 23
static const double gamma_integral[NGAMMA_INTEGRAL] = {
    1.0, 1.0, 2.0, 6.0, 24.0, 120.0, 720.0, 5040.0, 40320.0, 362880.0,
    3628800.0, 39916800.0, 479001600.0, 6227020800.0, 87178291200.0,
    1307674368000.0, 20922789888000.0, 355687428096000.0,
    6402373705728000.0, 121645100408832000.0, 2432902008176640000.0,
    51090942171709440000.0, 1124000727777607680000.0,
};
static const double m_pi = 3.141592653589793238462643383279502884197;
static const double m_logpi = 1.144729885849400174143427351353058711647;

static double lanczos_sum(double x)
{
    double num = 0.0, den = 0.0;
    if (x < 5.0) {
        for (int i = LANCZOS_N; --i >= 0;) {
            num = num * x + lanczos_num_coeffs[i];
            den = den * x + lanczos_den_coeffs[i];
        }
    } else {
        for (int i = 0; i < LANCZOS_N; i++) {
            num = num / x + lanczos_num_coeffs[i];
            den = den / x + lanczos_den_coeffs[i];
        }
    }
    return num / den;
}

/* sin(pi * x), exact at the integers and half-integers. */
static double m_sinpi(double x)
{
    double y = fmod(fabs(x), 2.0), r;
    int n = (int)round(2.0 * y);
    switch (n) {
    case 0: r = sin(m_pi * y); break;
    case 1: r = cos(m_pi * (y - 0.5)); break;
    case 2: r = sin(m_pi * (1.0 - y)); break;   /* not -sin(pi*(y-1)): +0.0 at y == 1 */
    case 3: r = -cos(m_pi * (y - 1.5)); break;
    default: r = sin(m_pi * (y - 2.0)); break;
    }
    return copysign(1.0, x) * r;
}

static double m_tgamma(double x)
{
    if (!isfinite(x)) {
        if (isnan(x) || x > 0.0)
            return x;
        errno = EDOM;
        return NAN;
    }
    if (x == 0.0) {
        errno = EDOM;
        return copysign(HUGE_VAL, x);
    }
    if (x == floor(x)) {
        if (x < 0.0) {
            errno = EDOM;
            return NAN;
        }
        if (x <= NGAMMA_INTEGRAL)
            return gamma_integral[(int)x - 1];
    }
    double absx = fabs(x), r, z, sqrtpow;
    if (absx < 1e-20) {
        r = 1.0 / x;
        if (isinf(r))
            errno = ERANGE;
        return r;
    }
    if (absx > 200.0) {
        if (x < 0.0)
            return 0.0 / m_sinpi(x);
        errno = ERANGE;
        return HUGE_VAL;
    }
    double y = absx + lanczos_g_minus_half;
    /* the error in y, for a correction factor */
    if (absx > lanczos_g_minus_half) {
        double q = y - absx;
        z = q - lanczos_g_minus_half;
    } else {
        double q = y - lanczos_g_minus_half;
        z = q - absx;
    }
    z = z * lanczos_g / y;
    if (x < 0.0) {
        r = -m_pi / m_sinpi(absx) / absx * exp(y) / lanczos_sum(absx);
        r -= z * r;
        if (absx < 140.0) {
            r /= pow(y, absx - 0.5);
        } else {
            sqrtpow = pow(y, absx / 2.0 - 0.25);
            r /= sqrtpow;
            r /= sqrtpow;
        }
    } else {
        r = lanczos_sum(absx) / exp(y);
        r += z * r;
        if (absx < 140.0) {
            r *= pow(y, absx - 0.5);
        } else {
            sqrtpow = pow(y, absx / 2.0 - 0.25);
            r *= sqrtpow;
            r *= sqrtpow;
        }
    }
    if (isinf(r))
        errno = ERANGE;
    return r;
}

static double m_lgamma(double x)
{
    if (!isfinite(x))
        return isnan(x) ? x : HUGE_VAL;
    if (x == floor(x) && x <= 2.0) {
        if (x <= 0.0) {
            errno = EDOM;
            return HUGE_VAL;
        }
        return 0.0;
    }
    double absx = fabs(x);
    if (absx < 1e-20)
        return -log(absx);
    double r = log(lanczos_sum(absx)) - lanczos_g;
    r += (absx - 0.5) * (log(absx + lanczos_g - 0.5) - 1);
    if (x < 0.0)
        r = m_logpi - log(fabs(m_sinpi(absx))) - log(absx) - r;
    if (isinf(r))
        errno = ERANGE;
    return r;
}

/* CPython's math_1 for gamma/lgamma (math_1a): errno decides. */
static ft_object *math_1a(ft_object *arg, double (*f)(double))
{
    double x;
    if (!to_double(arg, &x))
        return NULL;
    errno = 0;
    double r = f(x);
    if (errno && is_error(r))
        return NULL;
    return new_float(r);
}

static ft_object *math_gamma(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    if (one_arg("gamma", nargs, kwnames) < 0)
        return NULL;
    return math_1a(args[0], m_tgamma);
}

static ft_object *math_lgamma(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)self;
    if (one_arg("lgamma", nargs, kwnames) < 0)
        return NULL;
    return math_1a(args[0], m_lgamma);
}

/* ---- logarithms ------------------------------------------------------------------------ */

/* CPython's loghelper: exact for ints too big for a double (x = m * 2**e,
 * log x = log m + e log 2); floats through math_1. NULL on error, else
 * *out (a new float is not made). */
static bool loghelper(ft_object *arg, double (*func)(double), double *out)
{
    if (py_long_check(arg)) {
        if (py_long_sign(arg) <= 0) {
            domain_error();
            return false;
        }
        double x = py_long_as_double(arg);
        if (x == -1.0 && py_err_occurred()) {
            if (!py_err_matches(py_exc_OverflowError))
                return false;
            py_err_clear();
            int64_t e;
            double m = _py_long_frexp(arg, &e);
            *out = func(m) + func(2.0) * (double)e;
            return true;
        }
        *out = func(x);
        return true;
    }
    ft_object *r = math_1(arg, func, false);
    if (!r)
        return false;
    bool err;
    *out = py_float_as_double_any(r, &err);
    ft_decref(r);
    return true;
}

static ft_object *math_log(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("log", kwnames) < 0)
        return NULL;
    if (nargs < 1 || nargs > 2)
        return py_err_format(py_exc_TypeError, nargs < 1
                             ? "log expected at least 1 argument, got %zu"
                             : "log expected at most 2 arguments, got %zu", nargs);
    double num, den;
    if (!loghelper(args[0], log, &num))
        return NULL;
    if (nargs == 1)
        return new_float(num);
    if (!loghelper(args[1], log, &den))
        return NULL;
    if (den == 0.0)
        return py_err_format(py_exc_ZeroDivisionError, "float division by zero");
    return new_float(num / den);
}

static ft_object *math_log2(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    double r;
    if (one_arg("log2", nargs, kwnames) < 0 || !loghelper(args[0], log2, &r))
        return NULL;
    return new_float(r);
}

static ft_object *math_log10(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    double r;
    if (one_arg("log10", nargs, kwnames) < 0 || !loghelper(args[0], log10, &r))
        return NULL;
    return new_float(r);
}

/* ---- two-argument functions ------------------------------------------------------------------ */

static ft_object *math_pow(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)self;
    if (n_args("pow", nargs, kwnames, 2) < 0)
        return NULL;
    double x, y, r;
    if (!to_double(args[0], &x) || !to_double(args[1], &y))
        return NULL;
    errno = 0;
    if (!isfinite(x) || !isfinite(y)) {
        if (isnan(x))
            r = y == 0.0 ? 1.0 : x;
        else if (isnan(y))
            r = x == 1.0 ? 1.0 : y;
        else if (isinf(x)) {
            bool odd_y = isfinite(y) && fmod(fabs(y), 2.0) == 1.0;
            if (y > 0.0)
                r = odd_y ? x : fabs(x);
            else if (y == 0.0)
                r = 1.0;
            else
                r = odd_y ? copysign(0.0, x) : 0.0;
        } else {
            if (fabs(x) == 1.0)
                r = 1.0;
            else if (y > 0.0 && fabs(x) > 1.0)
                r = y;
            else if (y < 0.0 && fabs(x) < 1.0)
                r = -y;
            else
                r = 0.0;
        }
    } else {
        r = pow(x, y);
        if (!isfinite(r)) {
            if (isnan(r))
                errno = EDOM;
            else
                errno = x == 0.0 ? EDOM : ERANGE;
        }
    }
    if (errno && is_error(r))
        return NULL;
    return new_float(r);
}

#define MATH_FUNC2(name, cfunc, ovf)                                             \
    static ft_object *math_##name(ft_object *self, ft_object *const *args,       \
                                  size_t nargs, ft_object *kwnames)              \
    {                                                                            \
        (void)self;                                                              \
        if (n_args(#name, nargs, kwnames, 2) < 0)                                \
            return NULL;                                                         \
        return math_2(args[0], args[1], cfunc, ovf);                             \
    }

MATH_FUNC2(atan2, atan2, false)
MATH_FUNC2(copysign, copysign, false)
MATH_FUNC2(remainder, remainder, false)
MATH_FUNC2(nextafter, nextafter, false)

static ft_object *math_fmod(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    if (n_args("fmod", nargs, kwnames, 2) < 0)
        return NULL;
    double x, y;
    if (!to_double(args[0], &x) || !to_double(args[1], &y))
        return NULL;
    if (isinf(y) && isfinite(x))
        return new_float(x);
    double r = fmod(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y))
        return domain_error();
    return new_float(r);
}

static ft_object *math_ulp(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)self;
    if (one_arg("ulp", nargs, kwnames) < 0)
        return NULL;
    double x;
    if (!to_double(args[0], &x))
        return NULL;
    if (isnan(x))
        return new_float(x);
    x = fabs(x);
    if (isinf(x))
        return new_float(x);
    double x2 = nextafter(x, INFINITY);
    if (isinf(x2)) {
        x2 = nextafter(x, -INFINITY);
        return new_float(x - x2);
    }
    return new_float(x2 - x);
}

static ft_object *math_ldexp(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    if (n_args("ldexp", nargs, kwnames, 2) < 0)
        return NULL;
    double x;
    if (!to_double(args[0], &x))
        return NULL;
    if (!py_long_check(args[1]))
        return py_err_format(py_exc_TypeError, "Expected an int as second argument to ldexp.");
    int64_t e;
    if (py_long_as_i64(args[1], &e) < 0) {
        py_err_clear();
        e = py_long_sign(args[1]) > 0 ? INT64_MAX : INT64_MIN;
    }
    if (x == 0.0 || !isfinite(x))
        return new_float(x);
    if (e > INT32_MAX)
        return range_error();
    if (e < INT32_MIN)
        return new_float(copysign(0.0, x));
    errno = 0;
    double r = ldexp(x, (int)e);
    if (isinf(r))
        return range_error();
    return new_float(r);
}

/* ---- float decomposition and predicates ------------------------------------------------------- */

static ft_object *pair(ft_object *a, ft_object *b)
{
    if (!a || !b) {
        ft_xdecref(a);
        ft_xdecref(b);
        return NULL;
    }
    ft_object *t = ft_tuple_new(2);
    if (!t) {
        ft_decref(a);
        ft_decref(b);
        return py_err_from_ft();
    }
    ft_tuple_set_steal(t, 0, a);
    ft_tuple_set_steal(t, 1, b);
    return t;
}

static ft_object *math_modf(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    if (one_arg("modf", nargs, kwnames) < 0)
        return NULL;
    double x;
    if (!to_double(args[0], &x))
        return NULL;
    if (isinf(x))
        return pair(new_float(copysign(0.0, x)), new_float(x));
    double ip;
    double fp = modf(x, &ip);
    return pair(new_float(fp), new_float(ip));
}

static ft_object *math_frexp(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    if (one_arg("frexp", nargs, kwnames) < 0)
        return NULL;
    double x;
    if (!to_double(args[0], &x))
        return NULL;
    int e = 0;
    double m = (isnan(x) || isinf(x) || x == 0.0) ? x : frexp(x, &e);
    return pair(new_float(m), py_long_from_i64(e));
}

static ft_object *predicate(ft_object *arg, const char *name, size_t nargs,
                            ft_object *kwnames, int which)
{
    if (one_arg(name, nargs, kwnames) < 0)
        return NULL;
    double x;
    if (!to_double(arg, &x))
        return NULL;
    bool r = which == 0 ? isfinite(x) : which == 1 ? isinf(x) : isnan(x);
    return ft_newref(ft_bool(r));
}

static ft_object *math_isfinite(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self;
    return predicate(nargs ? args[0] : NULL, "isfinite", nargs, kwnames, 0);
}
static ft_object *math_isinf(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    return predicate(nargs ? args[0] : NULL, "isinf", nargs, kwnames, 1);
}
static ft_object *math_isnan(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    return predicate(nargs ? args[0] : NULL, "isnan", nargs, kwnames, 2);
}

static ft_object *math_isclose(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self;
    ft_object *a[4] = { NULL, NULL, NULL, NULL };
    if (py_bind_args("isclose", args, nargs, kwnames, "a,b,|,*,rel_tol,abs_tol", a) < 0)
        return NULL;
    double x, y, rel = 1e-9, abst = 0.0;
    if (!to_double(a[0], &x) || !to_double(a[1], &y))
        return NULL;
    if ((a[2] && !to_double(a[2], &rel)) || (a[3] && !to_double(a[3], &abst)))
        return NULL;
    if (rel < 0.0 || abst < 0.0)
        return py_err_format(py_exc_ValueError, "tolerances must be non-negative");
    if (x == y)
        return ft_newref(ft_true());
    if (isinf(x) || isinf(y))
        return ft_newref(ft_false());
    double diff = fabs(y - x);
    bool r = ((diff <= fabs(rel * y)) || (diff <= fabs(rel * x))) || (diff <= abst);
    return ft_newref(ft_bool(r));
}

/* ---- floor, ceil, trunc ------------------------------------------------------------------------ */

static ft_object *round_to_int(ft_object *arg, const char *dunder, double (*f)(double))
{
    if (py_float_check_exact(arg)) {
        bool err;
        double x = py_float_as_double_any(arg, &err);
        return py_long_from_double(f(x));
    }
    ft_object *v = py_long_unbox_borrow(arg);
    if (v && v == arg && arg->ob_type != &ft_bool_type)
        return ft_newref(arg);
    /* The rare path: the name is made per call (not in ident.h). */
    ft_object *name = ft_str_from_utf8(dunder, -1);
    if (!name)
        return py_err_from_ft();
    ft_object *m = py_type_lookup_borrow(py_type_of(arg), name);
    ft_decref(name);
    if (m)
        return py_call1(m, arg);
    if (f == trunc)
        return py_err_format(py_exc_TypeError, "type %s doesn't define __trunc__ method",
                             py_type_name(arg));
    double x;
    if (!to_double(arg, &x))
        return NULL;
    return py_long_from_double(f(x));
}

static ft_object *math_floor(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    if (one_arg("floor", nargs, kwnames) < 0)
        return NULL;
    return round_to_int(args[0], "__floor__", floor);
}

static ft_object *math_ceil(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    if (one_arg("ceil", nargs, kwnames) < 0)
        return NULL;
    return round_to_int(args[0], "__ceil__", ceil);
}

static ft_object *math_trunc(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    if (one_arg("trunc", nargs, kwnames) < 0)
        return NULL;
    return round_to_int(args[0], "__trunc__", trunc);
}

/* ---- integer functions (GMP) ------------------------------------------------------------------ */

/* The mpz value of an int-like argument (via __index__); false on error. */
static bool get_mpz(ft_object *o, mpz_t out)
{
    ft_object *v = py_number_index(o);
    if (!v)
        return false;
    _py_long_get_mpz(v, out);
    ft_decref(v);
    return true;
}

static ft_object *from_mpz(mpz_srcptr z)
{
    return _py_long_from_mpz(z);
}

static ft_object *math_factorial(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)self;
    if (one_arg("factorial", nargs, kwnames) < 0)
        return NULL;
    ft_object *v = py_number_index(args[0]);
    if (!v)
        return NULL;
    int64_t n;
    int rc = py_long_as_i64(v, &n);
    int sign = py_long_sign(v);
    ft_decref(v);
    if (sign < 0)
        return py_err_format(py_exc_ValueError, "factorial() not defined for negative values");
    if (rc < 0) {
        py_err_clear();
        return py_err_format(py_exc_OverflowError,
                             "factorial() argument should not exceed %ld", (long)INT64_MAX);
    }
    if (n > 100000000)
        return py_err_nomemory();
    mpz_t r;
    mpz_init(r);
    mpz_fac_ui(r, (unsigned long)n);
    ft_object *res = from_mpz(r);
    mpz_clear(r);
    return res;
}

static ft_object *gcd_lcm(ft_object *const *args, size_t nargs, ft_object *kwnames,
                          const char *name, bool lcm)
{
    if (py_no_kwargs(name, kwnames) < 0)
        return NULL;
    mpz_t acc, x;
    mpz_init_set_ui(acc, lcm ? 1 : 0);
    mpz_init(x);
    ft_object *res = NULL;
    for (size_t i = 0; i < nargs; i++) {
        if (!get_mpz(args[i], x))
            goto out;
        if (lcm)
            mpz_lcm(acc, acc, x);
        else
            mpz_gcd(acc, acc, x);
    }
    if (nargs == 1)
        mpz_abs(acc, acc);
    res = from_mpz(acc);
out:
    mpz_clears(acc, x, NULL);
    return res;
}

static ft_object *math_gcd(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)self;
    return gcd_lcm(args, nargs, kwnames, "gcd", false);
}

static ft_object *math_lcm(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)self;
    return gcd_lcm(args, nargs, kwnames, "lcm", true);
}

static ft_object *math_isqrt(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    if (one_arg("isqrt", nargs, kwnames) < 0)
        return NULL;
    mpz_t n;
    mpz_init(n);
    ft_object *res = NULL;
    if (get_mpz(args[0], n)) {
        if (mpz_sgn(n) < 0) {
            py_err_format(py_exc_ValueError, "isqrt() argument must be nonnegative");
        } else {
            mpz_sqrt(n, n);
            res = from_mpz(n);
        }
    }
    mpz_clear(n);
    return res;
}

/* comb and perm: n, k non-negative; k > n gives 0. */
static ft_object *comb_perm(ft_object *const *args, size_t nargs, ft_object *kwnames,
                            const char *name, bool perm)
{
    if (py_no_kwargs(name, kwnames) < 0)
        return NULL;
    if (perm && (nargs < 1 || nargs > 2))
        return py_err_format(py_exc_TypeError, nargs < 1
                             ? "perm expected at least 1 argument, got %zu"
                             : "perm expected at most 2 arguments, got %zu", nargs);
    if (!perm && nargs != 2)
        return py_err_format(py_exc_TypeError, "comb expected 2 arguments, got %zu", nargs);
    mpz_t n, k, r;
    mpz_inits(n, k, r, NULL);
    ft_object *res = NULL;
    if (!get_mpz(args[0], n))
        goto out;
    if (nargs == 2 && args[1] != ft_none()) {
        if (!get_mpz(args[1], k))
            goto out;
    } else {
        mpz_set(k, n);
    }
    if (mpz_sgn(n) < 0) {
        py_err_format(py_exc_ValueError, "n must be a non-negative integer");
        goto out;
    }
    if (mpz_sgn(k) < 0) {
        py_err_format(py_exc_ValueError, "k must be a non-negative integer");
        goto out;
    }
    if (mpz_cmp(k, n) > 0) {
        res = py_long_from_i64(0);
        goto out;
    }
    if (!perm) {
        /* comb(n, k) == comb(n, n - k): use the smaller. */
        mpz_sub(r, n, k);
        if (mpz_cmp(r, k) < 0)
            mpz_set(k, r);
    }
    if (!mpz_fits_ulong_p(k) || mpz_get_ui(k) > 100000000) {
        res = py_err_nomemory();
        goto out;
    }
    if (perm) {
        /* n * (n-1) * ... * (n-k+1) */
        unsigned long kk = mpz_get_ui(k);
        mpz_set_ui(r, 1);
        mpz_t f;
        mpz_init_set(f, n);
        for (unsigned long i = 0; i < kk; i++) {
            mpz_mul(r, r, f);
            mpz_sub_ui(f, f, 1);
        }
        mpz_clear(f);
    } else {
        mpz_bin_ui(r, n, mpz_get_ui(k));
    }
    res = from_mpz(r);
out:
    mpz_clears(n, k, r, NULL);
    return res;
}

static ft_object *math_comb(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    return comb_perm(args, nargs, kwnames, "comb", false);
}

static ft_object *math_perm(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    return comb_perm(args, nargs, kwnames, "perm", true);
}

/* ---- sums, products, norms ------------------------------------------------------------------------ */

/* fsum: Shewchuk's exact partials, with CPython's handling of specials
 * and of the final rounding (msum). */
static ft_object *math_fsum(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    if (one_arg("fsum", nargs, kwnames) < 0)
        return NULL;
    ft_object *it = py_iter(args[0]);
    if (!it)
        return NULL;
    double stack_p[32], *p = stack_p, special_sum = 0.0, inf_sum = 0.0;
    size_t n = 0, cap = 32;
    ft_object *res = NULL;
    for (;;) {
        ft_object *item = py_iter_next(it);
        if (!item) {
            if (py_err_occurred())
                goto out;
            break;
        }
        double x;
        bool ok = to_double(item, &x);
        ft_decref(item);
        if (!ok)
            goto out;
        double xsave = x;
        size_t i = 0;
        for (size_t j = 0; j < n; j++) {
            double y = p[j];
            if (fabs(x) < fabs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0)
                p[i++] = lo;
            x = hi;
        }
        n = i;
        if (x != 0.0) {
            if (!isfinite(x)) {
                /* a nonfinite x could arise either as a result of
                 * intermediate overflow, or as a result of a nan or inf in
                 * the summands */
                if (isfinite(xsave)) {
                    py_err_format(py_exc_OverflowError, "intermediate overflow in fsum");
                    goto out;
                }
                if (isinf(xsave))
                    inf_sum += xsave;
                special_sum += xsave;
                n = 0;
            } else {
                if (n + 1 > cap) {
                    size_t ncap = cap * 2;
                    double *np = ft_malloc(ncap * sizeof *np);
                    if (!np) {
                        py_err_from_ft();
                        goto out;
                    }
                    memcpy(np, p, n * sizeof *np);
                    if (p != stack_p)
                        ft_free(p);
                    p = np;
                    cap = ncap;
                }
                p[n++] = x;
            }
        }
    }
    if (special_sum != 0.0) {
        if (isnan(inf_sum))
            py_err_format(py_exc_ValueError, "-inf + inf in fsum");
        else
            res = new_float(special_sum);
        goto out;
    }
    double hi = 0.0;
    if (n > 0) {
        hi = p[--n];
        double lo = 0.0;
        /* sum_exact(p[:n]) = hi + lo exactly, |lo| <= ulp(hi)/2 */
        while (n > 0) {
            double x = hi;
            double y = p[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0)
                break;
        }
        /* Make half-even rounding work across multiple partials. */
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr)
                hi = x;
        }
    }
    res = new_float(hi);
out:
    if (p != stack_p)
        ft_free(p);
    ft_decref(it);
    return res;
}

static ft_object *math_prod(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    ft_object *a[2] = { NULL, NULL };
    if (py_bind_args("prod", args, nargs, kwnames, "iterable,/,|,*,start", a) < 0)
        return NULL;
    ft_object *it = py_iter(a[0]);
    if (!it)
        return NULL;
    ft_object *acc = a[1] ? ft_newref(a[1]) : py_long_from_i64(1);
    for (;;) {
        ft_object *item = py_iter_next(it);
        if (!item) {
            if (py_err_occurred()) {
                ft_decref(acc);
                acc = NULL;
            }
            break;
        }
        ft_object *t = py_binary_op(acc, item, PY_OP_MUL);
        ft_decref(item);
        ft_decref(acc);
        acc = t;
        if (!acc)
            break;
    }
    ft_decref(it);
    return acc;
}

/* CPython's vector_norm: lossless power-of-two scaling, exact squares
 * (fma), compensated summation from 1.0, and a differential correction
 * of the square root — almost always correctly rounded. */
typedef struct dl { double hi, lo; } dl;

static dl dl_mul(double x, double y)
{
    double z = x * y;
    return (dl){ z, fma(x, y, -z) };
}

static dl dl_fast_sum(double a, double b)
{
    double x = a + b;
    double z = x - a;
    return (dl){ x, b - z };
}

static double vector_norm(double *vec, size_t n, double max, bool found_nan)
{
    if (isinf(max))
        return max;
    if (found_nan)
        return NAN;
    if (max == 0.0 || n <= 1)
        return max;
    int max_e;
    frexp(max, &max_e);
    if (max_e < -1023) {
        for (size_t i = 0; i < n; i++)
            vec[i] /= DBL_MIN;          /* subnormals to normals */
        return DBL_MIN * vector_norm(vec, n, max / DBL_MIN, found_nan);
    }
    double scale = ldexp(1.0, -max_e), csum = 1.0, frac1 = 0.0, frac2 = 0.0;
    dl pr, sm;
    for (size_t i = 0; i < n; i++) {
        double x = vec[i] * scale;
        pr = dl_mul(x, x);
        sm = dl_fast_sum(csum, pr.hi);
        csum = sm.hi;
        frac1 += pr.lo;
        frac2 += sm.lo;
    }
    double h = sqrt(csum - 1.0 + (frac1 + frac2));
    pr = dl_mul(-h, h);
    sm = dl_fast_sum(csum, pr.hi);
    csum = sm.hi;
    frac1 += pr.lo;
    frac2 += sm.lo;
    double x = csum - 1.0 + (frac1 + frac2);
    h += x / (2.0 * h);
    return h / scale;
}

static ft_object *math_hypot(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("hypot", kwnames) < 0)
        return NULL;
    double stack_v[16], *v = nargs <= 16 ? stack_v : ft_malloc(nargs * sizeof(double));
    if (!v)
        return py_err_from_ft();
    double max = 0.0;
    bool found_nan = false;
    for (size_t i = 0; i < nargs; i++) {
        double x;
        if (!to_double(args[i], &x)) {
            if (v != stack_v)
                ft_free(v);
            return NULL;
        }
        x = fabs(x);
        v[i] = x;
        found_nan |= isnan(x);
        if (x > max)
            max = x;
    }
    double r = vector_norm(v, nargs, max, found_nan);
    if (v != stack_v)
        ft_free(v);
    return new_float(r);
}

static ft_object *math_dist(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)self;
    if (n_args("dist", nargs, kwnames, 2) < 0)
        return NULL;
    ft_object *p = py_sequence_tuple(args[0]);
    if (!p)
        return NULL;
    ft_object *q = py_sequence_tuple(args[1]);
    if (!q) {
        ft_decref(p);
        return NULL;
    }
    ssize_t n = ft_len(p);
    ft_object *res = NULL;
    double *v = NULL;
    if (n != ft_len(q)) {
        py_err_format(py_exc_ValueError, "both points must have the same number of dimensions");
        goto out;
    }
    v = ft_malloc((size_t)(n ? n : 1) * sizeof(double));
    if (!v) {
        py_err_from_ft();
        goto out;
    }
    double max = 0.0;
    bool found_nan = false;
    for (ssize_t i = 0; i < n; i++) {
        double a, b;
        if (!to_double(ft_tuple_get_borrow(p, i), &a) ||
            !to_double(ft_tuple_get_borrow(q, i), &b))
            goto out;
        double x = fabs(a - b);
        v[i] = x;
        found_nan |= isnan(x);
        if (x > max)
            max = x;
    }
    res = new_float(vector_norm(v, (size_t)n, max, found_nan));
out:
    ft_free(v);
    ft_decref(p);
    ft_decref(q);
    return res;
}

/* ---- the module ------------------------------------------------------------------------------ */

static const py_method_def math_methods[] = {
    { "sqrt", math_sqrt, PY_METH_DEFAULT },
    { "exp", math_exp, PY_METH_DEFAULT },
    { "exp2", math_exp2, PY_METH_DEFAULT },
    { "expm1", math_expm1, PY_METH_DEFAULT },
    { "log", math_log, PY_METH_DEFAULT },
    { "log2", math_log2, PY_METH_DEFAULT },
    { "log10", math_log10, PY_METH_DEFAULT },
    { "log1p", math_log1p, PY_METH_DEFAULT },
    { "cbrt", math_cbrt, PY_METH_DEFAULT },
    { "pow", math_pow, PY_METH_DEFAULT },
    { "sin", math_sin, PY_METH_DEFAULT },
    { "cos", math_cos, PY_METH_DEFAULT },
    { "tan", math_tan, PY_METH_DEFAULT },
    { "asin", math_asin, PY_METH_DEFAULT },
    { "acos", math_acos, PY_METH_DEFAULT },
    { "atan", math_atan, PY_METH_DEFAULT },
    { "atan2", math_atan2, PY_METH_DEFAULT },
    { "sinh", math_sinh, PY_METH_DEFAULT },
    { "cosh", math_cosh, PY_METH_DEFAULT },
    { "tanh", math_tanh, PY_METH_DEFAULT },
    { "asinh", math_asinh, PY_METH_DEFAULT },
    { "acosh", math_acosh, PY_METH_DEFAULT },
    { "atanh", math_atanh, PY_METH_DEFAULT },
    { "floor", math_floor, PY_METH_DEFAULT },
    { "ceil", math_ceil, PY_METH_DEFAULT },
    { "trunc", math_trunc, PY_METH_DEFAULT },
    { "fabs", math_fabs, PY_METH_DEFAULT },
    { "fmod", math_fmod, PY_METH_DEFAULT },
    { "remainder", math_remainder, PY_METH_DEFAULT },
    { "hypot", math_hypot, PY_METH_DEFAULT },
    { "dist", math_dist, PY_METH_DEFAULT },
    { "isclose", math_isclose, PY_METH_DEFAULT },
    { "isfinite", math_isfinite, PY_METH_DEFAULT },
    { "isinf", math_isinf, PY_METH_DEFAULT },
    { "isnan", math_isnan, PY_METH_DEFAULT },
    { "factorial", math_factorial, PY_METH_DEFAULT },
    { "gcd", math_gcd, PY_METH_DEFAULT },
    { "lcm", math_lcm, PY_METH_DEFAULT },
    { "comb", math_comb, PY_METH_DEFAULT },
    { "perm", math_perm, PY_METH_DEFAULT },
    { "isqrt", math_isqrt, PY_METH_DEFAULT },
    { "copysign", math_copysign, PY_METH_DEFAULT },
    { "degrees", math_degrees, PY_METH_DEFAULT },
    { "radians", math_radians, PY_METH_DEFAULT },
    { "modf", math_modf, PY_METH_DEFAULT },
    { "frexp", math_frexp, PY_METH_DEFAULT },
    { "ldexp", math_ldexp, PY_METH_DEFAULT },
    { "fsum", math_fsum, PY_METH_DEFAULT },
    { "prod", math_prod, PY_METH_DEFAULT },
    { "erf", math_erf, PY_METH_DEFAULT },
    { "erfc", math_erfc, PY_METH_DEFAULT },
    { "gamma", math_gamma, PY_METH_DEFAULT },
    { "lgamma", math_lgamma, PY_METH_DEFAULT },
    { "nextafter", math_nextafter, PY_METH_DEFAULT },
    { "ulp", math_ulp, PY_METH_DEFAULT },
    { NULL, NULL, 0 }
};

static int add_float(ft_object *module, const char *name, double v)
{
    ft_object *f = ft_float_from_double(v);
    if (!f)
        return py_err_from_ft_int();
    int rc = py_module_add(module, name, f);
    ft_decref(f);
    return rc;
}

static int math_exec(ft_object *module)
{
    if (add_float(module, "pi", M_PI) < 0 || add_float(module, "e", M_E) < 0 ||
        add_float(module, "tau", 2.0 * M_PI) < 0 || add_float(module, "inf", INFINITY) < 0 ||
        add_float(module, "nan", NAN) < 0)
        return -1;
    return 0;
}

const py_module_def py_math_module_def = {
    .name = "math",
    .exec = math_exec,
    .methods = math_methods,
};
