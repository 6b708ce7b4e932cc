/* ftlab/weakref.h — weak references and weak dictionaries (like Python's
 * weakref module).
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
 * referenced: instances of ft_class_new classes, the classes themselves
 * (cleared when the class dies) and the weak dictionaries. ints, strs,
 * tuples, lists, dicts, None and weakrefs themselves cannot (TypeError),
 * as in CPython; nor can the static types (ft_int_type, ...), which
 * outlive the runtime, unlike CPython.
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

/* A weak reference to o (a new reference). callback (NULL or None: none)
 * is any callable (ftlab/func.h); the weakref keeps it alive. Without a
 * callback the weakref is shared, as CPython's weakref.ref(o): while o has
 * a live weakref without callback, every ft_weakref_new(o, NULL) returns
 * that one. With a callback it is always a new one. TypeError "cannot
 * create weak reference to 'int' object" for a type that does not support
 * them (and for NULL). */
ft_object *ft_weakref_new(ft_object *o, ft_object *callback);
/* A new reference to the referent, or None once it died. TypeError for a
 * non-weakref. */
ft_object *ft_weakref_get(ft_object *ref);
/* The number of weak references to o (weakref.getweakrefcount): 0 for
 * objects that cannot be weakly referenced; -1 with TypeError for NULL. */
ssize_t ft_weakref_count(ft_object *o);

/* ---- Weak dictionaries ---------------------------------------------------
 * WeakValueDictionary: values are held weakly; an entry disappears when
 * its value dies (only if the key still maps to that value). Keys are
 * ordinary hashable objects, held strongly.
 * WeakKeyDictionary: keys are held weakly (and must be hashable and
 * weakly referenceable); an entry disappears when its key dies. Lookups
 * use the equality and hash of the live keys.
 *
 * get: a new reference, or NULL with KeyError (also for an entry whose
 * referent died and is about to go). contains: 1, 0, or -1 with an error
 * (a WeakKeyDictionary contains no key that cannot be weakly referenced:
 * 0, as CPython). set/del: 0, or -1 with an error (del: KeyError when
 * absent). An unhashable key is a TypeError, a NULL argument or a
 * non-weak-dictionary d too. ft_len
 * gives the number of entries. Both are GC types. */
extern ft_type ft_weakvaluedict_type, ft_weakkeydict_type;
ft_object *ft_weakvaluedict_new(void);
ft_object *ft_weakkeydict_new(void);
int ft_weakdict_set(ft_object *d, ft_object *key, ft_object *value);
ft_object *ft_weakdict_get(ft_object *d, ft_object *key);
int ft_weakdict_del(ft_object *d, ft_object *key);
int ft_weakdict_contains(ft_object *d, ft_object *key);

#endif /* FTLAB_WEAKREF_H */
