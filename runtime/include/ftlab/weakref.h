/* ftlab/weakref.h — weak references (like Python's weakref module).
 *
 * A weak reference names an object (its referent) without keeping it
 * alive. When the referent's count reaches zero, every weak reference to
 * it is cleared — ft_weakref_get returns None from then on — and then the
 * callbacks of the cleared weakrefs that are themselves still alive are
 * called, each with its weakref as the one argument (newest weakref
 * first, as CPython). A callback's error is printed to stderr ("Exception
 * ignored in weakref callback ...") and cleared; it never reaches the code
 * whose decref freed the referent, whose own error state is kept. A
 * weakref that dies before its referent never calls its callback.
 *
 * Only instances of types with tp_weaklistoffset != 0 can be weakly
 * referenced: instances of ft_class_new classes.
 * ints, strs, tuples, lists, dicts, None and weakrefs themselves cannot
 * (TypeError), as in CPython.
 *
 * Weakrefs hash like their referent (the hash is computed once, while the
 * referent lives, and kept) and compare equal when both referents are
 * alive and equal; a dead weakref is equal only to itself.
 *
 * Every function here may be called from any attached thread at any time
 * in every flavor; ftlab's internal weakref.h has the locking design.
 */
#ifndef FTLAB_WEAKREF_H
#define FTLAB_WEAKREF_H

#include <ftlab/object.h>

extern ft_type ft_weakref_type;

/* A new weak reference to o. callback (NULL or None: none) is any callable
 * (ftlab/func.h); the weakref keeps it alive. TypeError "cannot create
 * weak reference to 'int' object" for a type that does not support them. */
ft_object *ft_weakref_new(ft_object *o, ft_object *callback);
/* A new reference to the referent, or None once it died. TypeError for a
 * non-weakref. */
ft_object *ft_weakref_get(ft_object *ref);
/* The number of weak references to o (weakref.getweakrefcount): 0 for
 * objects that cannot be weakly referenced. */
ssize_t ft_weakref_count(ft_object *o);

#endif /* FTLAB_WEAKREF_H */
