/* objects/containers.h — group CONTAINERS: list, tuple, dict, set,
 * frozenset, range, slice, the iterators, the builtins module, open().
 *
 * Design notes
 *
 * Representation. list, tuple, dict and set objects ARE the runtime's
 * (ft_list_type, ft_tuple_type, ft_dict_type, ft_set_type); py_list_class
 * and friends are the py_types describing them. frozenset, range, slice,
 * the views and every iterator are ftpy types of their own, defined here.
 * A frozenset wraps a runtime set that nobody mutates after construction,
 * plus a cached hash (CPython's frozenset hash algorithm).
 *
 * Boxed subclasses (ftpy.h, typeobject.h): every method and slot unboxes
 * its self (and its other operands) with py_unbox_borrow, so a user
 * subclass of list behaves as a list.
 *
 * Threads (nogil). Every mutation is one runtime call that locks the
 * container (ftlab/object.h: ft_list_set_slice, ft_dict_pop, ...). Nothing
 * that may run Python code (__eq__, __hash__ of user keys aside, which the
 * runtime calls under its own rules, key functions, __repr__) runs while
 * a container lock is held: comparisons, sort, repr, index, count and the
 * set algebra work on snapshots (ft_list_as_tuple, ft_set_as_tuple) or on
 * items read one at a time with new references. Iterators tolerate
 * concurrent mutation: list iterators re-read the length each step, dict
 * and set iterators check the size (RuntimeError "dictionary changed size
 * during iteration").
 *
 * range holds int64 bounds (fast paths) or, past int64, int objects
 * (range.c: "big" ranges and their longrange_iterator).
 *
 * io (builtins/io.c): text and binary files over a file descriptor with
 * our own buffer; every blocking read/write runs detached
 * (FT_BEGIN_ALLOW_THREADS) on a copy of the bytes, never touching objects.
 * io.UnsupportedOperation is approximated by a class deriving from OSError
 * and ValueError ("not readable" / "not writable").
 */
#ifndef FTPY_CONTAINERS_H
#define FTPY_CONTAINERS_H

#include <limits.h>
#include "../ftpy.h"

/* Readies every class of this group (py_init calls it after py_types_init)
 * and releases what it made (py_fini). 0 or -1. */
int  py_containers_init(void);
void py_containers_fini(void);

/* ---- Classes ----------------------------------------------------------------- */
extern py_type py_range_class, py_enumerate_class, py_zip_class, py_map_class,
               py_filter_class, py_reversed_class;
extern py_type py_list_iter_class, py_list_reviter_class, py_tuple_iter_class,
               py_range_iter_class, py_longrange_iter_class, py_seqiter_class, py_calliter_class,
               py_set_iter_class, py_dict_keyiter_class, py_dict_valueiter_class,
               py_dict_itemiter_class, py_dict_revkeyiter_class,
               py_dict_revvalueiter_class, py_dict_revitemiter_class, py_dict_keys_class, py_dict_values_class,
               py_dict_items_class;
extern py_type py_textio_class, py_bufreader_class, py_bufwriter_class,
               py_bufrandom_class;

static inline bool py_list_check(ft_object *o)
{
    return o->ob_type == &ft_list_type || py_unbox_borrow(o, &ft_list_type);
}
static inline bool py_tuple_check(ft_object *o)
{
    return o->ob_type == &ft_tuple_type || py_unbox_borrow(o, &ft_tuple_type);
}
static inline bool py_dict_check(ft_object *o)
{
    return o->ob_type == &ft_dict_type || py_unbox_borrow(o, &ft_dict_type);
}
static inline bool py_slice_check(ft_object *o)
{
    return o->ob_type == &py_slice_class.ft;
}
/* set or frozenset (or a subclass of either). */
bool py_anyset_check(ft_object *o);

/* ---- Helpers shared by the sequence types (list.c) -------------------------------- */
#define PY_SSIZE_MIN (-SSIZE_MAX - 1)
/* The tp_hash of unhashable classes: TypeError "unhashable type: 'list'". */
int64_t py_hash_unhashable(ft_object *o);
/* A subscript key as an index: 1 with *i (an int or an object with
 * __index__; IndexError "cannot fit 'int' into an index-sized integer"
 * past ssize_t), 0 when key is neither (no exception), -1 on error. */
int py_seq_index_key(ft_object *key, ssize_t *i);
/* The items of a tuple as a C array of borrowed references: buf when n
 * fits in nbuf, else a new ft_malloc'd array (free with py_items_free).
 * NULL with MemoryError. */
ft_object **py_tuple_items(ft_object *t, ft_object **buf, ssize_t nbuf);
void py_items_free(ft_object **items, ft_object **buf);
/* Lexicographic comparison of two tuples (list and tuple richcompare):
 * a new bool, or NULL. */
ft_object *py_tuple_items_richcompare(ft_object *a, ft_object *b, int op);
/* "[1, 2]" / "(1,)" style repr of a tuple's items between open and close
 * (a 1-tuple gets the trailing comma when one_comma). */
ft_object *py_items_repr(ft_object *t, const char *open, const char *close,
                         bool one_comma);

/* ---- Lists --------------------------------------------------------------------- */
/* list(iterable): a new list. */
ft_object *py_list_from_iterable(ft_object *iterable);
/* list.extend(iterable) (LIST_EXTEND); list is a runtime list. 0 / -1. */
int py_list_extend(ft_object *list, ft_object *iterable);
/* list.sort(key=key, reverse=reverse) on a runtime list; key may be NULL
 * or None. 0 / -1. */
int py_list_sort(ft_object *list, ft_object *key, bool reverse);
/* A new iterator over a runtime list. */
ft_object *py_list_iter_new(ft_object *list);

/* ---- Tuples -------------------------------------------------------------------- */
/* tuple(iterable). */
ft_object *py_tuple_from_iterable(ft_object *iterable);
/* A tuple of n borrowed items. */
ft_object *py_tuple_pack(size_t n, ft_object *const *items);

/* ---- Dicts --------------------------------------------------------------------- */
/* d.update(other) (DICT_UPDATE): a mapping (dict, or keys() + __getitem__)
 * or, when pairs is true, also an iterable of pairs. d a runtime dict. */
int py_dict_update(ft_object *d, ft_object *other, bool pairs);
/* f(**m) (DICT_MERGE): like update from a mapping, but TypeError
 * "f() got multiple values for keyword argument 'x'" on a repeated key
 * (fname may be NULL: "keywords must be ..." / "got multiple values for
 * keyword argument 'x'"). */
int py_dict_merge_kwargs(ft_object *d, ft_object *other, const char *fname);
/* d[key] for a runtime dict with KeyError(key). New reference. */
ft_object *py_dict_getitem(ft_object *d, ft_object *key);

/* ---- Sets ---------------------------------------------------------------------- */
/* set.update(iterable) on a runtime set. 0 / -1. */
int py_set_update(ft_object *set, ft_object *iterable);
/* frozenset(iterable) (iterable may be NULL: empty). */
ft_object *py_frozenset_new(ft_object *iterable);

/* ---- Range and iterators ------------------------------------------------------- */
ft_object *py_range_new(int64_t start, int64_t stop, int64_t step);
/* tp_iter of iterators: a new reference to o itself. */
ft_object *py_iter_self(ft_object *o);
ft_object *py_list_reviter_new(ft_object *list);
ft_object *py_tuple_iter_new(ft_object *tuple);
/* iter(seq) for a class with __getitem__ only. */
ft_object *py_seqiter_new(ft_object *seq);
/* iter(callable, sentinel). */
ft_object *py_calliter_new(ft_object *callable, ft_object *sentinel);

/* ---- repr of containers ----------------------------------------------------------
 * Recursion guard for repr (CPython's Py_ReprEnter): 1 when o's repr is
 * already in progress on this thread ("[...]"), 0 when entered (call
 * py_repr_leave), -1 on error. */
int  py_repr_enter(ft_object *o);
void py_repr_leave(ft_object *o);

/* builtins.c: forgets the builtins dict (py_containers_fini). */
void py_builtins_forget(void);

/* ---- io (builtins/io.c) ------------------------------------------------------------ */
/* Makes / releases io.UnsupportedOperation (py_containers_init/fini). */
int  py_io_init(void);
void py_io_fini(void);
/* sys.stdin / sys.stdout / sys.stderr: a text file over fd (mode "r" or
 * "w"); stdout is line buffered on a terminal, block buffered otherwise;
 * stderr is flushed after every write. */
ft_object *py_io_stdfile_new(int fd, const char *name, const char *mode);
/* open(file, mode, ...) as the builtin. */
ft_object *py_io_open(ft_object *const *args, size_t nargs, ft_object *kwnames);
/* file.write(s) for print(): through our own file objects directly,
 * through a write() method otherwise. 0 / -1. */
int py_file_write_str(ft_object *file, ft_object *s);
/* file.flush(): 0 / -1. */
int py_file_flush(ft_object *file);
/* Flushes sys.stdout and sys.stderr if they are our file objects (for
 * the end of the program); errors are ignored. */
void py_io_flush_std(void);

#endif /* FTPY_CONTAINERS_H */
