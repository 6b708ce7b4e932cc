/* int.c — 64-bit integers and bools. ints -5..256 are static and immortal
 * (like CPython's small-int cache), so the commonest numbers cost no
 * allocation and no refcount traffic. Past 64 bits: OverflowError. */
#include <inttypes.h>
#include "internal/object.h"
#include "mem/freelist.h"

static ft_int_object small_ints[FT_SMALL_INT_MAX - FT_SMALL_INT_MIN + 1];

void _ft_int_init_static(void);
void _ft_int_init_static(void)
{
    for (int64_t v = FT_SMALL_INT_MIN; v <= FT_SMALL_INT_MAX; v++) {
        ft_int_object *o = &small_ints[v - FT_SMALL_INT_MIN];
        _ft_object_init_static(&o->ob_base, &ft_int_type);
        o->value = v;
    }
}

/* Freed ints go on a free list (mem/freelist.h), as floats do: an
 * interpreter loop makes and drops one per arithmetic result. */
static void int_dealloc(ft_object *o)
{
    if (o->ob_type != &ft_int_type || !_ft_object_park(o, FT_FREELIST_INT))
        _ft_object_free(o);
}

static bool is_int(ft_object *o)
{
    return o->ob_type == &ft_int_type || o->ob_type == &ft_bool_type;
}

static int64_t int_hash(ft_object *o)
{
    int64_t v = ((ft_int_object *)o)->value;
    return v == -1 ? -2 : v;   /* -1 means "error" in hash slots */
}

int _ft_float_eq_i64(double x, int64_t i);   /* float.c: exact */

static int int_eq(ft_object *a, ft_object *b)
{
    if (is_int(b))
        return ((ft_int_object *)a)->value == ((ft_int_object *)b)->value;
    if (b->ob_type == &ft_float_type)
        return _ft_float_eq_i64(ft_float_as_double(b), ((ft_int_object *)a)->value);
    return 0;
}

ft_type ft_int_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "int", .tp_basicsize = sizeof(ft_int_object),
    .tp_dealloc = int_dealloc, .tp_hash = int_hash, .tp_eq = int_eq,
};

ft_type ft_bool_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "bool", .tp_basicsize = sizeof(ft_int_object),
    .tp_dealloc = int_dealloc, .tp_hash = int_hash, .tp_eq = int_eq,
};

ft_object *ft_int_from_i64(int64_t v)
{
    if (v >= FT_SMALL_INT_MIN && v <= FT_SMALL_INT_MAX)
        return &small_ints[v - FT_SMALL_INT_MIN].ob_base;   /* immortal */
    ft_int_object *o = (ft_int_object *)_ft_object_unpark(FT_FREELIST_INT, &ft_int_type);
    if (!o && !(o = (ft_int_object *)_ft_object_alloc(&ft_int_type, sizeof *o)))
        return NULL;   /* MemoryError */
    o->value = v;
    return &o->ob_base;
}

int64_t ft_int_as_i64(ft_object *o)
{
    if (!o || !is_int(o)) {
        ft_err_set(FT_ERR_TYPE, "an int is required, not '%s'",
                   o ? o->ob_type->tp_name : "NULL");
        return -1;
    }
    return ((ft_int_object *)o)->value;
}

ft_object *ft_int_add(ft_object *a, ft_object *b)
{
    int64_t x = ft_int_as_i64(a), y, sum;
    if (x == -1 && ft_err_occurred())
        return NULL;
    y = ft_int_as_i64(b);
    if (y == -1 && ft_err_occurred())
        return NULL;
    if (__builtin_add_overflow(x, y, &sum)) {
        ft_err_set(FT_ERR_OVERFLOW, "%" PRId64 " + %" PRId64
                   " does not fit in 64 bits", x, y);
        return NULL;
    }
    return ft_int_from_i64(sum);
}
