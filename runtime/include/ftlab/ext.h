/* ftlab/ext.h — defining object types outside the runtime.
 *
 * An interpreter (ftpy) or an extension defines its own types with the
 * slot table of ftlab/object.h and needs four things the runtime's own
 * types get from internal headers: allocating an object of its type (GC
 * tracked when the type says FT_TPFLAGS_GC), giving the memory back from
 * its tp_dealloc, running the type's finalizer once before death (PEP
 * 442, CPython's PyObject_CallFinalizerFromDealloc), and clearing the weak
 * references to a dying object (PyObject_ClearWeakRefs). A tp_dealloc
 * written with them reads like the runtime's instance_dealloc:
 *
 *     static void thing_dealloc(ft_object *o)
 *     {
 *         if (ft_object_finalize_from_dealloc(o))
 *             return;                       // resurrected by its finalizer
 *         ft_object_clear_weakrefs(o);
 *         thing_clear(o);                   // drop the references it holds
 *         ft_object_free(o);
 *     }
 */
#ifndef FTLAB_EXT_H
#define FTLAB_EXT_H

#include <stdbool.h>
#include <ftlab/object.h>

/* A new object of type t, `size` bytes with the header (at least
 * sizeof(ft_object)), zero-filled, count 1, tracked by the collector when
 * t has FT_TPFLAGS_GC; heap types (FT_TPFLAGS_HEAPTYPE) are kept alive by
 * their instances. NULL with MemoryError. */
ft_object *ft_object_new(ft_type *t, size_t size);
/* Gives back the memory of o from its type's tp_dealloc (untracks it,
 * releases a heap type). These five do nothing for NULL (false for
 * finalize): they run inside tp_dealloc, which cannot report an error. */
void ft_object_free(ft_object *o);
/* Runs t->tp_finalize (or tp_del) once, if o's type has one and it has
 * not run yet; true when the finalizer resurrected o (then return from
 * tp_dealloc at once). */
bool ft_object_finalize_from_dealloc(ft_object *o);
/* Clears every weak reference to o and runs their callbacks (o's type
 * has tp_weaklistoffset != 0; a no-op otherwise or when none exist). */
void ft_object_clear_weakrefs(ft_object *o);
/* Stops / starts tracking a GC object (an object being torn down, or one
 * built untracked and now complete). */
void ft_gc_untrack(ft_object *o);
void ft_gc_track(ft_object *o);

#endif /* FTLAB_EXT_H */
