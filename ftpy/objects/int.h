/* objects/int.h — numbers: int (two representations), bool, float,
 * format(), shared by int.c, float.c, bool.c, format.c and modules/math.c.
 *
 * Design
 *   One Python class `int`, two representations:
 *     - the runtime's 64-bit ints (ft_int_type; -5..256 immortal), and
 *     - big ints (py_bigint_ft_type): an mpz_t from libgmp.
 *   INVARIANT: a value that fits int64 is always a runtime int; a big int
 *   only holds values outside that range. Every operation normalizes its
 *   result (py_long_from_mpz), so equality between the two kinds never
 *   needs to look at both: a runtime int never equals a big int.
 *   bool objects are the runtime's True/False (ft_bool_type, same layout
 *   as ft_int_type); they behave as ints 0/1 everywhere.
 *   Subclasses of int/float are boxed (ftpy.h): their instances hold the
 *   real number at tp_boxoffset; py_long_unbox_borrow finds it.
 *
 *   GMP allocates through ftlab's heap (mp_set_memory_functions in
 *   py_numbers_init), so tracemalloc and the leak report see big ints.
 *
 *   Hashes: runtime ints and floats are hashed by the runtime's own slots
 *   (its dicts use them); the Python-level hash agrees with them. Big ints
 *   equal to a float hash like that float, so mixed keys find each other.
 */
#ifndef FTPY_OBJECTS_INT_H
#define FTPY_OBJECTS_INT_H

#include "../ftpy.h"

/* Called by py_init after the type system is up / by py_fini. */
int  py_numbers_init(void);
void py_numbers_fini(void);

/* The ft type of big ints (class int, via py_register_ft_class). */
extern ft_type py_bigint_ft_type;

/* sys.set_int_max_str_digits / get_int_max_str_digits (0: no limit). */
extern int py_int_max_str_digits;

/* ---- ints ----------------------------------------------------------------- */
static inline ft_object *py_long_from_i64(int64_t v) { return ft_int_from_i64(v); }
ft_object *py_long_from_u64(uint64_t v);
/* int(d): truncates; OverflowError for inf, ValueError for nan. */
ft_object *py_long_from_double(double d);
/* float(o) for an int o: -1.0 with OverflowError "int too large to convert
 * to float" (check py_err_occurred). */
double py_long_as_double(ft_object *o);
/* The int value inside o (runtime int, bool, big int, or the boxed value of
 * an int subclass instance), borrowed; NULL (no exception) for a non-int. */
ft_object *py_long_unbox_borrow(ft_object *o);
/* Sign of an int (-1, 0, 1); o must be an int (any representation). */
int py_long_sign(ft_object *o);
/* operator.index(o): an exact int (new reference), via __index__;
 * TypeError "'T' object cannot be interpreted as an integer". */
ft_object *py_number_index(ft_object *o);
/* int(o) / float(o) with one argument, as the constructors do. */
ft_object *py_number_long(ft_object *o);
ft_object *py_number_float(ft_object *o);
/* bin()/oct()/hex() of an int (base 2, 8, 16): "0b101", "-0x1f". */
ft_object *py_long_to_base(ft_object *o, int base);
/* The digits of u in base 2..16 (upper: 'A'-'F') into out (65 bytes of
 * room), NUL-terminated; returns their number. */
int py_u64_to_digits(uint64_t u, int base, bool upper, char *out);
/* str(int) in decimal (honours the 4300-digit limit). */
ft_object *py_long_to_decimal(ft_object *o);
/* divmod(a, b) and pow(a, b, m) as the builtins do them (m may be None or
 * NULL): ints and floats directly, other objects through __divmod__ /
 * __rdivmod__ / __pow__. */
ft_object *py_number_divmod(ft_object *a, ft_object *b);
ft_object *py_number_pow3(ft_object *a, ft_object *b, ft_object *m);
/* o (an int) as m * 2**e with m in [0.5, 1) correctly rounded (for
 * logarithms of ints too big for a double); o > 0. */
double _py_long_frexp(ft_object *o, int64_t *e);
/* abs(o): ints and floats directly, others through __abs__. */
ft_object *py_number_absolute(ft_object *o);
/* Exact comparison of an int with a double (as CPython's
 * float_richcompare): -1, 0, 1, or 2 when d is a NaN. */
int py_long_compare_double(ft_object *i, double d);

/* ---- floats --------------------------------------------------------------- */
static inline bool py_float_check_exact(ft_object *o) { return o->ob_type == &ft_float_type; }
/* o is a float or a float subclass instance. */
bool py_float_check(ft_object *o);
/* The value of a float, int, or an object with __float__ / __index__
 * (TypeError "must be real number, not 'T'"); *err set true on error. */
double py_float_as_double_any(ft_object *o, bool *err);
/* float(text) for a str's UTF-8 (whitespace, '_' separators, inf/nan);
 * ValueError "could not convert string to float: '...'". */
ft_object *py_float_from_string(const char *s, size_t n);
/* CPython's hash of a double (_Py_HashDouble, without the NaN case). */
int64_t py_hash_double_cpython(double v);
/* The digits of d in shortest round-trip ('r') form: digits "123" and the
 * decimal exponent: value = 0.123e(decpt)  i.e. 1.23 * 10**(decpt-1).
 * d finite and > 0. Returns the number of digits. */
int py_float_shortest_digits(double d, char *digits, int *decpt);
/* Python's float formatting core for format() and %-formatting: type is
 * one of 'e' 'E' 'f' 'F' 'g' 'G' 'r' (repr), precision < 0: default;
 * alt: the '#' flag; add_dot_0: '' presentation (keep a ".0"). Writes
 * the unsigned magnitude of |v| ("inf", "nan" too) into buf and returns
 * its length; *neg set for a negative value (not for NaN). */
int py_float_format_abs(double v, char type, int precision, bool alt,
                        bool add_dot_0, char *buf, size_t size, bool *neg);

/* ---- format() ------------------------------------------------------------- */
/* The format-spec mini-language for ints (any representation), floats
 * and strs, as int.__format__ / float.__format__ / str.__format__ do. */
ft_object *py_format_long(ft_object *v, ft_object *spec);
ft_object *py_format_float(ft_object *v, ft_object *spec);
ft_object *py_format_str(ft_object *v, ft_object *spec);

/* ---- internal to the numbers group ------------------------------------------ */
/* The method tables of bool (bool.c) borrow int's binop. */
ft_object *_py_int_binop(ft_object *a, ft_object *b, int op);
ft_object *_py_float_binop(ft_object *a, ft_object *b, int op);
ft_object *_py_float_divmod(ft_object *a, ft_object *b);
/* The float class's repr slot (also the default str). */
ft_object *_py_float_repr(ft_object *o);
/* Creates an instance of a user subclass `cls` of int/float holding
 * value (borrowed). */
ft_object *_py_number_box_new(py_type *cls, ft_object *value);
int  _py_float_init(void);
int  _py_bool_init(void);

#ifdef __GNU_MP__
/* For files that include <gmp.h> first (modules/math.c): an int's value
 * into an initialized mpz, and a normalized int from an mpz (copied). */
void _py_long_get_mpz(ft_object *o, mpz_ptr out);
ft_object *_py_long_from_mpz(mpz_srcptr z);
#endif

#endif /* FTPY_OBJECTS_INT_H */
