/* float.c — boxed doubles, recycled through the FLOAT free list (one per
 * thread in nogil): a numeric loop that makes and drops floats mostly
 * skips the allocator, as in CPython. */
#include <math.h>
#include <string.h>
#include "internal/object.h"
#include "mem/freelist.h"

static void float_dealloc(ft_object *o)
{
    if (!_ft_object_park(o, FT_FREELIST_FLOAT))
        _ft_object_free(o);
}

static int64_t float_hash(ft_object *o)
{
    double v = ((ft_float_object *)o)->value;
    /* hash(1.0) == hash(1): an integral value hashes as the int would
     * (int.c: the value itself, -1 mapped to -2), over the whole int64
     * range [-2**63, 2**63) (both bounds are exact doubles). */
    if (v >= -9223372036854775808.0 && v < 9223372036854775808.0 &&
        v == (double)(int64_t)v) {
        int64_t i = (int64_t)v;
        return i == -1 ? -2 : i;
    }
    /* A NaN equals nothing, not even another NaN of the same bits: hashed
     * by its value, every NaN key of a dict or set would land in one probe
     * chain. As CPython 3.10+: by identity, like an object without __eq__
     * (a NaN key is still found by identity, as ft_equal checks a == b). */
    if (isnan(v))
        return (int64_t)((uintptr_t)o >> 4);
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int64_t h = (int64_t)(bits ^ (bits >> 29));
    return h == -1 ? -2 : h;
}

/* x == i exactly (not through (double)i, which rounds past 2**53): only
 * an integral x inside the int64 range can equal an int64. */
int _ft_float_eq_i64(double x, int64_t i);
int _ft_float_eq_i64(double x, int64_t i)
{
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0))
        return 0;   /* out of range, or a NaN */
    int64_t t = (int64_t)x;
    return (double)t == x && t == i;
}

static int float_eq(ft_object *a, ft_object *b)
{
    double x = ((ft_float_object *)a)->value;
    if (b->ob_type == &ft_float_type)
        return x == ((ft_float_object *)b)->value;
    if (b->ob_type == &ft_int_type || b->ob_type == &ft_bool_type)
        return _ft_float_eq_i64(x, ft_int_as_i64(b));
    /* another number type (an interpreter's big ints) knows how to
     * compare itself with a float */
    if (b->ob_type->tp_eq && b->ob_type->tp_eq != float_eq)
        return b->ob_type->tp_eq(b, a);
    return 0;
}

ft_type ft_float_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "float", .tp_basicsize = sizeof(ft_float_object),
    .tp_dealloc = float_dealloc, .tp_hash = float_hash, .tp_eq = float_eq,
};

ft_object *ft_float_from_double(double v)
{
    ft_float_object *o =
        (ft_float_object *)_ft_object_unpark(FT_FREELIST_FLOAT, &ft_float_type);
    if (!o && !(o = (ft_float_object *)_ft_object_alloc(&ft_float_type, sizeof *o)))
        return NULL;
    o->value = v;
    return &o->ob_base;
}

double ft_float_as_double(ft_object *o)
{
    if (o && o->ob_type == &ft_float_type)
        return ((ft_float_object *)o)->value;
    if (o && (o->ob_type == &ft_int_type || o->ob_type == &ft_bool_type))
        return (double)ft_int_as_i64(o);
    ft_err_set(FT_ERR_TYPE, "must be real number, not '%s'",
               o ? o->ob_type->tp_name : "NULL");
    return -1.0;
}
