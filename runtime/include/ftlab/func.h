/* ftlab/func.h — calling objects, and functions written in C.
 *
 * An object is callable when its type has a tp_call slot. Arguments are
 * always passed as a tuple (positional only, like METH_VARARGS); the
 * result is a new reference, or NULL with the calling thread's error set.
 * Weak-reference callbacks are called this way, and so will the planned
 * bytecode interpreter's functions be.
 *
 * A C function (ft_cfunction) binds a C entry point to an optional `self`
 * object, which it keeps alive: it is what builtin methods are in CPython
 * (PyCFunctionObject). Since it references `self`, it is a GC type.
 */
#ifndef FTLAB_FUNC_H
#define FTLAB_FUNC_H

#include <ftlab/object.h>

/* callable(*args): args must be a tuple (TypeError otherwise). TypeError
 * "'int' object is not callable" when the type has no tp_call. */
ft_object *ft_call(ft_object *callable, ft_object *args);
/* callable(arg): the same with a one-item tuple made for the call. */
ft_object *ft_call1(ft_object *callable, ft_object *arg);

/* The C signature of a function: self is the object given to
 * ft_cfunction_new (may be NULL), args the tuple of arguments. */
typedef ft_object *(*ft_cfunc)(ft_object *self, ft_object *args);

extern ft_type ft_cfunction_type;
/* A callable that calls fn(self, args). `name` (used in messages) must
 * outlive the function: a string literal. self may be NULL; otherwise the
 * function holds a reference to it. */
ft_object *ft_cfunction_new(const char *name, ft_cfunc fn, ft_object *self);

#endif /* FTLAB_FUNC_H */
