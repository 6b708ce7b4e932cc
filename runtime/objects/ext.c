/* ext.c — the type-definition API of ftlab/ext.h, over the internal
 * allocation, finalization and weakref paths the runtime's own types use. */
#include <string.h>
#include <ftlab/ext.h>
#include "internal/object.h"
#include "internal/gc.h"
#include "internal/weakref.h"

ft_object *ft_object_new(ft_type *t, size_t size)
{
    if (!t || size < sizeof(ft_object)) {
        ft_err_set(FT_ERR_VALUE, "ft_object_new: bad type or size");
        return NULL;
    }
    ft_object *o = _ft_object_alloc(t, size);
    if (o)
        memset((char *)o + sizeof(ft_object), 0, size - sizeof(ft_object));
    return o;
}

/* NULL is refused quietly, as free(NULL) is: these run inside tp_dealloc
 * and tp_dealloc has no way to report an error. */
void ft_object_free(ft_object *o)
{
    if (o)
        _ft_object_free(o);
}

bool ft_object_finalize_from_dealloc(ft_object *o)
{
    return o && _ft_object_finalize_from_dealloc(o);
}

void ft_object_clear_weakrefs(ft_object *o)
{
    if (o && _ft_weakref_has_refs(o))
        _ft_weakref_clear_on_dealloc(o);
}

void ft_gc_untrack(ft_object *o)
{
    if (o && _ft_gc_is_gc_type(o) && _ft_gc_tracked(o))
        _ft_gc_untrack(o);
}

void ft_gc_track(ft_object *o)
{
    if (o && _ft_gc_is_gc_type(o) && !_ft_gc_tracked(o))
        _ft_gc_track(o);
}
