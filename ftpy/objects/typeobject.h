/* objects/typeobject.h — classes, instances, descriptors, exceptions: what
 * the TYPES group (typeobject.c, protocol.c, descr.c, instance.c, super.c,
 * exceptions.c, errors.c, args.c, ident.c, singletons.c) gives the others.
 *
 * Design notes
 *
 * Static classes. Every built-in class is a static py_type (immortal)
 * readied by py_type_ready: its tp_dict gets one entry per tp_methods /
 * tp_getset item, plus a "slot wrapper" for every protocol slot the class
 * has (int.__add__, list.__len__, object.__repr__, dict.__setitem__,
 * Exception.__init__ ...), so that built-in dunders are callable from
 * Python (super().__init__(...), object.__repr__(x)). A slot left NULL is
 * inherited from tp_base. A class describing the runtime's own objects
 * (int -> ft_int_type, list -> ft_list_type, ...; see
 * py_register_ft_class) takes its missing ft-level slots (tp_repr,
 * tp_hash, tp_eq, tp_len) from that ft type rather than from object.
 *
 * Heap classes (class statement, type(name, bases, dict)) are py_heaptype
 * objects whose ob_type is their metaclass. Their instances are laid out
 *
 *   +--------+----------------------+-----+----------+--------+-----------+
 *   | header | static base's fields | box | __dict__ | weaklist | slots... |
 *   +--------+----------------------+-----+----------+--------+-----------+
 *
 * each part present only when needed (tp_boxoffset, tp_dictoffset,
 * ft.tp_weaklistoffset, tp_slotoffset). The static base's fields are
 * those of py_exception for exception subclasses, none otherwise.
 *
 * Boxed instances (subclasses of list, dict, set, frozenset, tuple, str,
 * int, float, bytes): the real runtime value sits at tp_boxoffset. The
 * TYPES group makes it: a boxable class's tp_new is only ever called with
 * cls == that class itself (typeobject.c calls it to build the box of a
 * subclass instance), and its tp_init and every slot reached through a
 * slot wrapper get the UNBOXED value as self (and as other operands).
 * Hence: mutable boxable classes (list, dict, set) must ignore their
 * arguments in tp_new and fill in tp_init, as CPython does; immutable ones
 * (tuple, str, int, float, frozenset, bytes) do everything in tp_new.
 * Methods from tp_methods get the boxed instance as self and call
 * py_unbox_borrow(self, &ft_list_type) (it also accepts the exact type).
 * Fast paths that copy a list/dict/... argument directly must test the
 * exact type (o->ob_type == &ft_list_type): a subclass may override
 * __iter__, __getitem__ ...
 *
 * Static classes with PY_TPFLAGS_BASETYPE and fields of their own (BaseException,
 * property, ...): subclass instances are torn down by instance.c, which
 * drops the heap parts and then calls the static class's tp_dealloc (so
 * it must free any instance of a subclass, releasing its fields, and call
 * ft_object_free); their tp_traverse must not visit the object's type
 * (instance.c does).
 *
 * Dunder slots of heap classes: when a class (or a class on its MRO)
 * defines __add__, __repr__, __eq__, ..., the slot gets a trampoline that
 * looks the dunder up and calls it; otherwise the C slot of the static
 * base is copied. Setting or deleting a dunder on a class later updates
 * the slots of the class and of its subclasses. ft.tp_hash / ft.tp_eq of
 * heap classes call __hash__ / __eq__ (the runtime's dicts and sets use
 * them): a Python exception raised there stays the current exception and
 * the caller's py_err_from_ft() keeps it.
 *
 * Attribute lookups go along the MRO through a per-thread cache keyed by
 * (tp_version, name); every change of a class dict gives the class and its
 * subclasses new versions.
 */
#ifndef FTPY_TYPEOBJECT_H
#define FTPY_TYPEOBJECT_H

#include "../ftpy.h"

/* ---- Life cycle ------------------------------------------------------------
 * py_types_init: identifiers, type, object, the singletons' classes, the
 * descriptor classes and every exception class (the other groups ready
 * their own classes in their init steps; a class nobody readied is
 * readied on its first attribute lookup). Called first by py_init.
 * py_types_fini: called last by py_fini; releases the dicts/MROs of every
 * readied static class, the identifiers and the preallocated MemoryError. */
int  py_types_init(void);
void py_types_fini(void);
/* Every thread other than the one running py_fini calls this before it
 * ends (while still attached): it releases the references to attribute
 * names that the thread's lookup cache holds. */
void _py_types_thread_fini(void);

/* More ft_type.tp_flags bits (see enum py_type_flags in ftpy.h). */
enum {
    /* Calling an instance of this class with (self, args...) is the same
     * as calling what its tp_descr_get(o, self, type) returns with
     * (args...): Python functions and method descriptors. LOAD_METHOD
     * keeps such an attribute unbound (py_lookup_method). */
    PY_TPFLAGS_METHOD_DESCRIPTOR = 1u << 24,
};

/* Inline instance attributes (instance.c). A heap class that adds the
 * __dict__ slot shares one append-only table of attribute names among its
 * instances (CPython's shared keys); each instance keeps the values in an
 * array at the end of its own memory, at offset tp_basicsize:
 *
 *   +-----------------------------+-----------+-----------+-------------+
 *   | instance (tp_basicsize)     | cap, n    | v[cap]    | order[cap]  |
 *   +-----------------------------+-----------+-----------+-------------+
 *
 * v[i] is the value of the attribute attr_keys->names[i] (NULL: unset);
 * order lists the set indices in insertion order (what __dict__ shows).
 * The __dict__ slot holds the values' address tagged with bit 0 while the
 * instance uses them; the first need for a real dict (o.__dict__, vars,
 * a name past the table or the capacity, __class__ assignment) moves
 * them into a new dict and the slot holds that dict from then on. An
 * instance allocated without the region (slot NULL) gets a dict at its
 * first attribute. Reads and writes run in the instance's critical
 * section (skipped while no second thread was ever started,
 * vm/shared.h); "not there" is also answered without it, from atomic
 * loads of the slot and of v[i] (instance.c, ivals_surely_missing);
 * names are published with release order and never removed. */
enum { PY_ATTR_KEYS_MAX = 30 };
typedef struct py_attr_keys {
    uint32_t n;                              /* names published (atomic)  */
    ft_object *names[PY_ATTR_KEYS_MAX];      /* interned strs, owned      */
} py_attr_keys;
typedef struct py_ivals {
    uint32_t cap, n;                         /* slots; entries of order   */
    ft_object *v[];                          /* then uint8_t order[cap]   */
} py_ivals;

/* A heap class: the py_type plus what only heap classes have. */
typedef struct py_heaptype {
    py_type type;
    char *name_buf;              /* owns type.ft.tp_name                   */
    ft_object *slots;            /* tuple of this class's __slots__ names,
                                    or NULL                               */
    py_type *box_class;          /* boxed: the static class of the box
                                    (py_list_class ...), else NULL        */
    py_type *static_base;        /* the nearest static class on the tp_base
                                    chain (object, BaseException, list...) */
    struct py_heaptype **subclasses;  /* borrowed; removed at clear/dealloc */
    ssize_t nsubclasses, subclasses_cap;
    py_attr_keys *attr_keys;     /* inline attributes' names, or NULL      */
    uint32_t ivals_cap;          /* value slots new instances get (atomic) */
    void *xweaklist;             /* the runtime's weakref list head (heap
                                    classes only: static ones have none)  */
} py_heaptype;

static inline bool py_type_is_heap(const py_type *t)
{
    return (t->ft.tp_flags & PY_TPFLAGS_HEAPCLASS) != 0;
}

/* Maps a runtime ft type to the class describing its objects (group 5 maps
 * its big-int ft type to int). The first ft type registered for a class is
 * the one its missing ft slots come from. */
void py_register_ft_class(ft_type *ft, py_type *cls);
/* The runtime ft type registered first for cls, or NULL. */
ft_type *py_class_ft_type(py_type *cls);

/* ---- Classes ------------------------------------------------------------ */
/* The metaclass of a class statement with these bases (CPython's
 * _PyType_CalculateMetaclass): a borrowed class, or NULL with TypeError
 * "metaclass conflict: ...". */
py_type *py_type_calculate_meta(py_type *meta, ft_object *bases);
/* type(o) as a new reference. */
static inline ft_object *py_type_new_ref(ft_object *o)
{
    py_type *t = py_type_of(o);
    ft_incref(&t->ft.ob_base);
    return &t->ft.ob_base;
}
static inline ft_object *py_type_as_obj(py_type *t) { return &t->ft.ob_base; }
/* Sets / deletes a class attribute as `C.name = v` does, updating the
 * dunder slots (0 or -1). */
int py_type_setattr(py_type *t, ft_object *name, ft_object *v);
/* A read-only view of a mapping (what C.__dict__ and vars(C) give). */
extern py_type py_mappingproxy_class;
ft_object *py_mappingproxy_new(ft_object *mapping);
/* The qualified name (__qualname__) as a UTF-8 string valid while t lives. */
const char *py_type_qualname_utf8(py_type *t);
/* A new reference to the class's __module__ str ("builtins" for static
 * classes without a dot in their name), NULL with an exception. */
ft_object *py_type_module(py_type *t);

/* ---- Instances (instance.c) --------------------------------------------- */
/* A new zero-filled instance of cls (cls->ft.tp_basicsize bytes, tracked
 * when cls is a GC type); its __dict__ is made on demand. NULL with
 * MemoryError. Boxed classes: the box is still empty. */
ft_object *py_instance_alloc(py_type *cls);
/* Address of o's __dict__ slot (NULL when its class has none). */
ft_object **py_instance_dictptr(ft_object *o);
/* o's __dict__, made on demand (borrowed), NULL (no exception) when o's
 * class has no __dict__, NULL with MemoryError. */
ft_object *py_instance_dict_borrow(ft_object *o, bool create);
/* Generic attribute access (object.__getattribute__ / __setattr__):
 * data descriptors of the class, then the instance __dict__, then other
 * class attributes. Usable as tp_getattro / tp_setattro of any class
 * with or without tp_dictoffset. */
ft_object *py_generic_getattr(ft_object *o, ft_object *name);
int py_generic_setattr(ft_object *o, ft_object *name, ft_object *v);
/* The same lookup without raising AttributeError: 1 found (*out new ref),
 * 0 missing (no exception), -1 error. */
int py_generic_getattr_opt(ft_object *o, ft_object *name, ft_object **out);
/* For LOAD_METHOD: 1 with *out the unbound function/method descriptor
 * found on the class (call it with o prepended), 0 with *out the
 * attribute itself (call it as is), -1 with an exception. */
int py_lookup_method(ft_object *o, ft_object *name, ft_object **out);
/* The special method `name` of o's class bound to o (lookup on the class
 * only, as CPython's _PyObject_LookupSpecial): 1 found (*out a new ref),
 * 0 missing, -1 error. */
int py_lookup_special(ft_object *o, ft_object *name, ft_object **out);
/* Calls type(o).name(o, args...) (class lookup only, no __getattr__).
 * NULL with AttributeError when missing. */
ft_object *py_call_special(ft_object *o, ft_object *name,
                           ft_object *const *args, size_t nargs);

/* next(it) as the builtin does it: the item, or NULL with StopIteration
 * set when exhausted — carrying the value of a generator's return or of
 * the StopIteration(value) a Python __next__ raised — or another
 * exception. (tp_iternext itself reports exhaustion without one.) */
ft_object *py_iter_next_raising(ft_object *it);

/* ---- Descriptors (descr.c) ---------------------------------------------- */
extern py_type py_classmethod_class, py_staticmethod_class, py_property_class,
               py_super_class, py_cfunction_class, py_method_descr_class,
               py_classmethod_descr_class, py_getset_descr_class,
               py_member_descr_class, py_slot_wrapper_class,
               py_method_wrapper_class, py_ellipsis_class, py_weakref_class,
               py_ft_cfunction_class, py_generic_ft_class;

ft_object *py_classmethod_new(ft_object *callable);
ft_object *py_staticmethod_new(ft_object *callable);
/* property(fget, fset, fdel, doc): any may be NULL (None). */
ft_object *py_property_new(ft_object *fget, ft_object *fset, ft_object *fdel,
                           ft_object *doc);
/* The descriptor put in cls's dict for a method / getset definition. */
ft_object *py_method_descr_new(py_type *cls, const py_method_def *def);
ft_object *py_getset_descr_new(py_type *cls, const py_getset_def *def);
/* A member descriptor for one __slots__ entry at `offset` in instances. */
ft_object *py_member_descr_new(py_type *cls, ft_object *name, ssize_t offset);
/* Its layout, here for py_generic_getattr's leaf (instance.c), which
 * reads a slot of an instance of cls itself without the call. */
typedef struct py_member_descr {
    ft_object ob_base;
    py_type *cls;        /* the class whose instances have the slot;
                            NULL once cleared                            */
    ft_object *name;
    ssize_t offset;      /* of the slot in those instances               */
} py_member_descr;
/* The self of a built-in function object (borrowed, may be NULL) and its
 * definition. */
ft_object *py_cfunction_self_borrow(ft_object *f);
const py_method_def *py_cfunction_def(ft_object *f);
/* Is o an instance of a class with PY_TPFLAGS_METHOD_DESCRIPTOR? */
static inline bool py_is_method_descriptor(ft_object *o)
{
    return (py_type_of(o)->ft.tp_flags & PY_TPFLAGS_METHOD_DESCRIPTOR) != 0;
}

/* A slot wrapper: the descriptor that exposes protocol slot `kind` of the
 * static class `cls` under a dunder name (typeobject.c builds them in
 * py_type_ready). */
ft_object *py_slot_wrapper_new(py_type *cls, ft_object *name, int kind, int op);

/* ---- Singletons (singletons.c) ------------------------------------------ */
extern ft_object py_notimplemented_object, py_ellipsis_object;
static inline bool py_is_notimplemented(ft_object *o) { return o == &py_notimplemented_object; }

/* ---- Exceptions (exceptions.c) ------------------------------------------ */
/* Every built-in exception class (for the builtins module), in hierarchy
 * order, terminated by a NULL name; filled by py_types_init. */
typedef struct py_exc_entry { const char *name; py_type *type; } py_exc_entry;
extern const py_exc_entry *py_exc_table;
/* Classes beyond ftpy.h's list. */
extern py_type *py_exc_ChildProcessError, *py_exc_ConnectionAbortedError,
    *py_exc_ProcessLookupError, *py_exc_UnicodeTranslateError,
    *py_exc_PendingDeprecationWarning, *py_exc_SyntaxWarning, *py_exc_FutureWarning,
    *py_exc_ImportWarning, *py_exc_UnicodeWarning, *py_exc_BytesWarning,
    *py_exc_ResourceWarning, *py_exc_EncodingWarning;
/* Is o an exception instance / class? */
static inline bool py_exc_check(ft_object *o)
{
    return (py_type_of(o)->ft.tp_flags & PY_TPFLAGS_EXC) != 0;
}
static inline bool py_exc_class_check(ft_object *o)
{
    return py_is_type(o) &&
           (((py_type *)o)->ft.tp_flags & PY_TPFLAGS_EXC) != 0;
}
/* The raise statement's normalisation: exc is an exception instance or
 * class; a new instance reference, or NULL with TypeError "exceptions must
 * derive from BaseException". */
ft_object *py_exc_normalize(ft_object *exc);
/* exc.__traceback__ = tb (NULL or None: none); steals nothing. */
void py_exc_set_traceback(ft_object *exc, ft_object *tb);
/* exc.__cause__ = cause (NULL: None) and __suppress_context__ = True. */
void py_exc_set_cause(ft_object *exc, ft_object *cause);
void py_exc_set_context(ft_object *exc, ft_object *context);
/* A new exception instance: type(*args) through the class's tp_new and
 * tp_init (user subclasses' __init__ runs). NULL with an exception. */
ft_object *py_exc_call(py_type *type, ft_object *const *args, size_t nargs);
/* Raises KeyError(key) (its str is repr(key)). Returns NULL. */
ft_object *py_err_set_key(ft_object *key);
/* Raises StopIteration(value) (value NULL: no args). */
void py_err_set_stopiteration(ft_object *value);
/* OSError from errno (the matching subclass: FileNotFoundError ...), with
 * the filename if not NULL. Returns NULL. */
ft_object *py_err_from_errno(int errnum, const char *filename);

/* ---- Internal to the TYPES group's files (objects/) ------------------------ */
int  _py_ident_init(void);
void _py_ident_fini(void);
int  _py_exceptions_init(void);
void _py_exceptions_fini(void);
extern ft_object *py_memory_error_instance;
/* A new str / NULL with an exception (UTF-8 C string). */
ft_object *_py_str(const char *s);
/* The slot-update machinery for heap classes (typeobject.c). */
void _py_type_update_slots(py_type *t);
/* Instance memory management of heap classes (instance.c). */
void _py_instance_dealloc(ft_object *o);
int  _py_instance_traverse(ft_object *o, ft_visitproc visit, void *arg);
int  _py_instance_clear(ft_object *o);
/* The per-thread cache of MRO lookups keyed by (version, name). An entry
 * holds a reference to the name, so that no other str can take a cached
 * name's address (_py_types_thread_fini releases a thread's cache).
 * Versions are never reused, so an entry also describes one class: it
 * keeps the index of the name in that class's attr_keys (an index, once
 * found, never changes; "absent" holds while the table has kn names).
 * tag = version | (kidx + 1) << 48 | kn << 56.
 *
 * Thread safety (nogil). The cache is the thread's own, so its entries
 * need no atomics; what other threads change is the class: its version
 * and its dict. The contract:
 *   - A hit BORROWS: value is the class dict's reference, and a lookup
 *     (py_type_lookup_borrow, _py_type_lookup_attr, a miss through
 *     lookup_uncached too) returns it without taking one (no try-incref).
 *     The caller must use it, or take its own reference (a plain
 *     ft_incref is enough), before its next checkpoint or detach, i.e.
 *     before it runs Python code or blocks.
 *   - Writers keep that safe (typeobject.c, type_dict_store): they take
 *     the old value out of the dict with its reference, then publish a
 *     new version (release), and drop the old value only after a QSBR
 *     grace period (ft_decref_later): every thread that may have read it
 *     borrowed has passed a checkpoint by then. A thread that loads the
 *     new version (acquire) misses and reads the dict again.
 *   - A fill reads the version (acquire), looks the name up, and caches
 *     only when the version is still the same: a value read around a
 *     concurrent store is never cached under the version that follows it.
 * So a value a reader gets is always one the class held at some moment
 * during the lookup, alive until the reader's next checkpoint. */
/* Two ways per set: a direct-mapped cache indexed by the name's address
 * let two hot (version, name) pairs evict each other on every lookup
 * whenever they hashed to one slot, which depends on where the build's
 * static names and the program's classes happen to land (raytrace's gil
 * run went from 154 to 50,617 misses, +1.5% of its instructions, between
 * two builds that differed elsewhere). A fill goes to way 0 and moves
 * way 0's entry to way 1, so the two of a colliding pair both stay. */
enum { PY_LOOKUP_CACHE_BITS = 10, PY_LOOKUP_CACHE_SIZE = 1 << PY_LOOKUP_CACHE_BITS,
       PY_LOOKUP_WAYS = 2 };
#define PY_TAG_VERSION_MASK ((UINT64_C(1) << 48) - 1)
typedef struct _py_lookup_entry {
    uint64_t tag;
    ft_object *name;    /* a strong reference                          */
    ft_object *value;   /* borrowed from the class dict (see above);
                           NULL: absent                               */
} _py_lookup_entry;
/* initial-exec: ftpy is one executable, so the cache is at a fixed offset
 * from the thread pointer (as _py_cur_tstate, vm/frame.h). The default
 * model of -fPIC code is general-dynamic: a __tls_get_addr call that the
 * linker rewrites into that offset, but only after the compiler planned
 * every user for the call, so a lookup's caller saved and restored
 * callee-saved registers around a call that no longer exists (five
 * pushes and five pops per attribute read in py_generic_getattr). */
extern _Thread_local _py_lookup_entry
    _py_lookup_cache[PY_LOOKUP_CACHE_SIZE][PY_LOOKUP_WAYS]
    __attribute__((tls_model("initial-exec")));
static inline int _py_tag_kidx(uint64_t tag) { return (int)((tag >> 48) & 0xff) - 1; }
static inline uint32_t _py_tag_kn(uint64_t tag) { return (uint32_t)(tag >> 56); }
/* The set of (version, name): its PY_LOOKUP_WAYS entries. */
static inline _py_lookup_entry *_py_lookup_set(uint64_t version, ft_object *name)
{
    /* multiplicative hashing of both keys: neighbouring versions and names
     * must not collide systematically */
    uint64_t h = version * UINT64_C(0x9E3779B97F4A7C15) ^
                 (uint64_t)(uintptr_t)name * UINT64_C(0xC2B2AE3D27D4EB4F);
    return _py_lookup_cache[h >> (64 - PY_LOOKUP_CACHE_BITS)];
}
static inline bool _py_lookup_entry_is(const _py_lookup_entry *e, uint64_t version,
                                       ft_object *name)
{
    return e->name == name && (e->tag & PY_TAG_VERSION_MASK) == version;
}
/* The entry of (version, name), or NULL when neither way holds it. */
static inline _py_lookup_entry *_py_lookup_find(uint64_t version, ft_object *name)
{
    _py_lookup_entry *set = _py_lookup_set(version, name);
    if (_py_lookup_entry_is(&set[0], version, name))
        return &set[0];
    if (_py_lookup_entry_is(&set[1], version, name))
        return &set[1];
    return NULL;
}
ft_object *_py_type_lookup_attr_slow(py_type *t, ft_object *name, int *kidx);
/* The cache entry that answers for (t, name), or NULL on a miss; with no
 * call. An unready class has version 0, which no entry has. */
static inline _py_lookup_entry *_py_type_lookup_attr_entry(py_type *t, ft_object *name)
{
    uint64_t version = __atomic_load_n(&t->tp_version, __ATOMIC_ACQUIRE);
    _py_lookup_entry *e = _py_lookup_find(version, name);
    if (py_likely(e != NULL)) {
        int i = _py_tag_kidx(e->tag);
        if (i >= 0 || !(t->ft.tp_flags & PY_TPFLAGS_HEAPCLASS))
            return e;
        py_attr_keys *k = ((py_heaptype *)t)->attr_keys;
        if (!k || __atomic_load_n(&k->n, __ATOMIC_ACQUIRE) == _py_tag_kn(e->tag))
            return e;
    }
    return NULL;
}
/* _py_type_lookup_attr's cache hit alone: true with the class attribute
 * (*value, borrowed, NULL: none) and the index (*kidx), false on a miss
 * (nothing stored). For a caller whose usual case must stay a leaf
 * (instance.c, py_generic_getattr): it handles the miss by a tail call. */
static inline bool _py_type_lookup_attr_hit(py_type *t, ft_object *name, ft_object **value,
                                            int *kidx)
{
    _py_lookup_entry *e = _py_type_lookup_attr_entry(t, name);
    if (py_unlikely(e == NULL))
        return false;
    *kidx = _py_tag_kidx(e->tag);
    *value = e->value;
    return true;
}
/* py_type_lookup_borrow that also gives the index of name in t's
 * attr_keys (-1: none; always -1 for classes without the table). The hit
 * path inline. */
static inline ft_object *_py_type_lookup_attr(py_type *t, ft_object *name, int *kidx)
{
    _py_lookup_entry *e = _py_type_lookup_attr_entry(t, name);
    if (py_unlikely(e == NULL))
        return _py_type_lookup_attr_slow(t, name, kidx);
    *kidx = _py_tag_kidx(e->tag);
    return e->value;
}
/* The index of the interned name in k, -1 if absent (lock-free). */
int _py_attr_keys_index(py_attr_keys *k, ft_object *name);
/* Releases a class's attr_keys (type_dealloc). */
void _py_attr_keys_free(py_attr_keys *k);
/* Moves o's inline attributes into a real __dict__ (no-op without them);
 * 0 or -1 (MemoryError). */
int _py_instance_materialize_dict(ft_object *o);
/* o.__dict__ = dict (a dict; o's class has the slot). 0. */
int _py_instance_set_dict(ft_object *o, ft_object *dict);
/* Identity hash (object.__hash__). */
int64_t _py_identity_hash(ft_object *o);
/* Calls a found class attribute as a method of self: functions and
 * method descriptors directly with self prepended, others bound through
 * __get__ first. */
ft_object *_py_call_bound(ft_object *attr, ft_object *self, ft_object *const *args,
                          size_t nargs, ft_object *kwnames);
/* ft.tp_call for classes with tp_vcall: unpacks the tuple. */
ft_object *_py_ft_call_adapter(ft_object *callable, ft_object *args);
/* The unboxed value of a boxed instance, or o itself. Borrowed. */
ft_object *_py_unbox_any(ft_object *o);
/* int | None: the classes of a union (borrowed tuple), NULL for others. */
ft_object *_py_union_args_borrow(ft_object *o);
/* list[int]: a types.GenericAlias of origin with args (a tuple or one item). */
ft_object *_py_generic_alias_new(ft_object *origin, ft_object *args);
/* Readies int, bool, float, str, bytes, tuple, list, dict, set and
 * frozenset (idempotent; unused by py_init, whose steps ready them). */
int _py_ready_all_builtin_classes(void);

#endif /* FTPY_TYPEOBJECT_H */
