/* ftlab/object.h — objects, their header, and types.
 *
 * Every ftlab object starts with a header whose layout is the one place
 * where the two builds differ in memory (docs/architecture.md, "Objects
 * and reference counts"):
 *
 *   gil (16 bytes)
 *   +----------------------------+----------------------------+
 *   | ob_refcnt (intptr_t)       | ob_type                    |
 *   +----------------------------+----------------------------+
 *   0                            8                           16
 *
 *   nogil, nogil-atomic (32 bytes)
 *   +----------------------------+--------+--+--+------------+
 *   | ob_tid (uintptr_t)         |ob_xflags|mx|gc|ob_ref_local|
 *   +----------------------------+--------+--+--+------------+
 *   | ob_ref_shared (intptr_t)   | ob_type                    |
 *   +----------------------------+----------------------------+
 *   0            8   10 11 12   16                           32
 *
 *   ob_tid         the owning thread: the thread that created the object,
 *                  identified by its thread pointer (like _Py_ThreadId);
 *                  0 once the counts are merged
 *   ob_xflags      FT_OBJ_* bits; atomic: the elision bits below are
 *                  set by several threads (ftlab/refcount.h, "Critical
 *                  sections on objects")
 *   ob_mutex (mx)  the per-object lock of critical sections (ftlab/mutex.h)
 *   ob_gc_bits     the cycle collector's state (a later layer)
 *   ob_ref_local   references held by the owner: changed by the owner only,
 *                  with plain (relaxed) loads and stores; UINT32_MAX marks
 *                  an immortal object
 *   ob_ref_shared  references held by every other thread, atomically, in
 *                  the high bits; the low two bits are a state:
 *
 *        bits 1..0  state          meaning
 *        00         FT_REF_INIT    nothing special
 *        01         MAYBE_WEAKREF  a weak reference may exist (later layer)
 *        10         QUEUED         queued to the owner for a merge
 *        11         MERGED         counts merged: ob_ref_shared is the count
 *
 *   The reference count is ob_ref_local + (ob_ref_shared >> 2). The shared
 *   part may be negative (another thread released a reference the owner
 *   took); when it would go below zero with nothing queued, the releasing
 *   thread queues the object to its owner, who merges both counts at its
 *   next checkpoint (biased reference counting, Choi et al., PACT 2018;
 *   PEP 703). nogil-atomic keeps the same header but counts every
 *   reference in ob_ref_shared with an atomic add: the unbiased baseline.
 *
 * Immortal objects (None, True, False, small ints, the empty tuple and
 * string, one-character strings, C-defined types) are never counted and
 * never freed, in every flavor.
 */
#ifndef FTLAB_OBJECT_H
#define FTLAB_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <ftlab/config.h>
#include <ftlab/mutex.h>

typedef struct ft_object ft_object;
typedef struct ft_type ft_type;

#if FT_NOGIL
struct ft_object {
    _Atomic uintptr_t ob_tid;
    _Atomic uint16_t ob_xflags;
    ft_mutex ob_mutex;
    uint8_t ob_gc_bits;
    _Atomic uint32_t ob_ref_local;
    _Atomic intptr_t ob_ref_shared;
    ft_type *ob_type;
};
#  define FT_IMMORTAL_LOCAL UINT32_MAX
#  define FT_OBJECT_HEAD_INIT(type)                                        \
    { .ob_tid = 0, .ob_xflags = FT_OBJ_IMMORTAL, .ob_mutex = FT_MUTEX_INIT, \
      .ob_gc_bits = 0, .ob_ref_local = FT_IMMORTAL_LOCAL,                  \
      .ob_ref_shared = 0, .ob_type = (type) }
#else
struct ft_object {
    intptr_t ob_refcnt;
    ft_type *ob_type;
};
/* Immortal: a count no program reaches, with room for stray increments. */
#  define FT_IMMORTAL_REFCNT ((intptr_t)1 << 62)
#  define FT_OBJECT_HEAD_INIT(type) { .ob_refcnt = FT_IMMORTAL_REFCNT, .ob_type = (type) }
#endif

/* Critical sections on objects (ftlab/mutex.h): lock o's own mutex in
 * nogil; in the gil build the GIL already serialises attached threads.
 * Biased nogil: a thread's first section on an object another thread owns
 * first settles it, and the owner may run an ELIDABLE section (a short
 * one that never detaches) on its own object without the lock while no
 * other thread has locked it (ftlab/refcount.h, "Critical sections on
 * objects"). Every section on an object must use these macros, never the
 * raw ones on &o->ob_mutex. */
#if FT_NOGIL && !FT_RC_ATOMIC && !FT_NO_OBJECT_LOCKS
#  define FT_BEGIN_CRITICAL_SECTION_OBJ(o) \
    { ft_critical_section _ft_cs; enum { _ft_cs_pair = 0 }; \
      _ft_cs_begin_obj(&_ft_cs, (o));
#  define FT_BEGIN_CRITICAL_SECTION2_OBJ(a, b) \
    { ft_critical_section _ft_cs; enum { _ft_cs_pair = 1 }; \
      _ft_cs_begin_obj2(&_ft_cs, (a), (b));
#  define FT_BEGIN_ELIDABLE_SECTION_OBJ(o) \
    { ft_critical_section _ft_cs; \
      const bool _ft_cs_elided = _ft_cs_begin_elidable(&_ft_cs, (o));
#  define FT_END_ELIDABLE_SECTION() _ft_cs_end_elidable(&_ft_cs, _ft_cs_elided); }
#elif FT_NOGIL
#  define FT_BEGIN_CRITICAL_SECTION_OBJ(o) FT_BEGIN_CRITICAL_SECTION(&(o)->ob_mutex)
#  define FT_BEGIN_CRITICAL_SECTION2_OBJ(a, b) \
    FT_BEGIN_CRITICAL_SECTION2(&(a)->ob_mutex, &(b)->ob_mutex)
#  define FT_BEGIN_ELIDABLE_SECTION_OBJ(o) FT_BEGIN_CRITICAL_SECTION_OBJ(o)
#  define FT_END_ELIDABLE_SECTION() FT_END_CRITICAL_SECTION()
#else
#  define FT_BEGIN_CRITICAL_SECTION_OBJ(o) { (void)(o);
#  define FT_BEGIN_CRITICAL_SECTION2_OBJ(a, b) { (void)(a); (void)(b);
#  define FT_BEGIN_ELIDABLE_SECTION_OBJ(o) { (void)(o);
#  define FT_END_ELIDABLE_SECTION() }
#endif

_Static_assert(sizeof(ft_object) == (FT_NOGIL ? 32 : 16),
               "the object header is 16 bytes (gil) or 32 bytes (nogil)");

enum ft_obj_flags {
    FT_OBJ_IMMORTAL = 1u << 0,   /* never counted, never freed            */
    /* Elided sections (ftlab/refcount.h, "Critical sections on objects"),
     * biased nogil only; each is set once and never cleared: */
    FT_OBJ_ELIDED   = 1u << 1,   /* the owner ran a section without lock  */
    FT_OBJ_LOCKING  = 1u << 2,   /* the owner locks too from now on       */
    FT_OBJ_SETTLED  = 1u << 3,   /* no elided section is in flight: any
                                    thread may lock                      */
    /* Biased nogil only: o's block is known to lie in type-stable object
     * memory (internal/object.h, _ft_object_type_stable). Set when o is
     * made, before anyone else can see it, and never changed: a block
     * keeps its pool while its object lives. Clear means "not known",
     * never "not type-stable". */
    FT_OBJ_TYPE_STABLE = 1u << 4,
};

/* ob_ref_shared layout */
#define FT_REF_SHARED_SHIFT 2
#define FT_REF_SHARED_MASK  ((intptr_t)3)
enum { FT_REF_INIT = 0, FT_REF_MAYBE_WEAKREF = 1, FT_REF_QUEUED = 2,
       FT_REF_MERGED = 3 };

/* ---- Types ---------------------------------------------------------------
 * A type is an object with a slot table. C-defined types are static and
 * immortal — define one as
 *     ft_type my_type = { .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type), ... };
 * — user classes (a later layer) are heap types. Slots left NULL get the
 * default or mean "not supported" (hash: unhashable).
 */
typedef void (*ft_destructor)(ft_object *o);
typedef int (*ft_visitproc)(ft_object *o, void *arg);
typedef int (*ft_traverseproc)(ft_object *o, ft_visitproc visit, void *arg);
typedef int (*ft_inquiry)(ft_object *o);
typedef int64_t (*ft_hashfunc)(ft_object *o);      /* -1: error set        */
typedef int (*ft_eqfunc)(ft_object *a, ft_object *b);  /* 1, 0, -1: error  */
typedef ft_object *(*ft_reprfunc)(ft_object *o);
typedef size_t (*ft_sizeoffunc)(ft_object *o);
typedef ssize_t (*ft_lenfunc)(ft_object *o);
/* Calls `callable` with a tuple of arguments: a new reference, or NULL
 * with the error set (ftlab/func.h). */
typedef ft_object *(*ft_callfunc)(ft_object *callable, ft_object *args);

enum ft_type_flags {
    FT_TPFLAGS_GC = 1u << 0,        /* tracked by the cycle collector     */
    FT_TPFLAGS_HEAPTYPE = 1u << 1,  /* created at run time, counted       */
};

struct ft_type {
    ft_object ob_base;
    const char *tp_name;
    size_t tp_basicsize;            /* a fixed-size instance, header incl. */
    size_t tp_itemsize;             /* + this per item (variable size)    */
    uint32_t tp_flags;
    ft_destructor tp_dealloc;       /* frees the object (required)        */
    ft_traverseproc tp_traverse;    /* visits references (GC types)       */
    ft_inquiry tp_clear;            /* drops references (GC types)        */
    ft_destructor tp_finalize;      /* runs once before death (PEP 442)   */
    ft_destructor tp_del;           /* legacy finalizer (pre-3.4 __del__):
                                       in a garbage cycle, uncollectable  */
    ft_hashfunc tp_hash;
    ft_eqfunc tp_eq;
    ft_reprfunc tp_repr;
    ft_sizeoffunc tp_sizeof;        /* NULL: tp_basicsize                 */
    ft_lenfunc tp_len;              /* NULL: no len()                     */
    ssize_t tp_weaklistoffset;      /* weakref list in instances; 0: none */
    ft_callfunc tp_call;            /* NULL: not callable                 */
    void *tp_weaklist;              /* weakrefs to this type itself (heap
                                       classes); the runtime's, leave NULL */
};

extern ft_type ft_type_type, ft_none_type, ft_bool_type, ft_int_type,
               ft_float_type, ft_tuple_type;

static inline ft_type *ft_type_of(const ft_object *o) { return o->ob_type; }
const char *ft_type_name(const ft_object *o);   /* "NULL" for NULL */

/* ---- Reference counts (inline fast paths in ftlab/refcount.h) ---------- */
intptr_t ft_refcnt(ft_object *o);   /* like sys.getrefcount(o) - 1;
                                       -1 with TypeError for NULL         */
bool ft_is_immortal(ft_object *o);  /* false for NULL                      */
size_t ft_sizeof(ft_object *o);     /* like sys.getsizeof(o); 0 with
                                       TypeError for NULL                 */

/* ---- Singletons and numbers -------------------------------------------- */
ft_object *ft_none(void);           /* immortal: no reference to release   */
ft_object *ft_true(void);
ft_object *ft_false(void);
ft_object *ft_bool(bool v);

/* ints are 64-bit; -5..256 are immortal and shared */
ft_object *ft_int_from_i64(int64_t v);
/* -1 with TypeError when o is not an int (check ft_err_occurred). */
int64_t ft_int_as_i64(ft_object *o);
/* a + b, OverflowError past 64 bits */
ft_object *ft_int_add(ft_object *a, ft_object *b);

/* Floats hash as CPython's: an integral value as the int; a NaN by
 * identity (CPython 3.10+): a NaN equals nothing, so a container finds a
 * NaN key only as the same object, and distinct NaN keys spread out
 * instead of sharing one probe chain. */
ft_object *ft_float_from_double(double v);
/* -1.0 with TypeError when o is neither a float nor an int. */
double ft_float_as_double(ft_object *o);

/* Tuples: ft_tuple_new(n) gives n empty slots (the empty tuple is an
 * immortal singleton); fill each once with ft_tuple_set_steal, which takes
 * over the caller's reference (and releases it on error). */
ft_object *ft_tuple_new(ssize_t n);
int ft_tuple_set_steal(ft_object *t, ssize_t i, ft_object *v);
ft_object *ft_tuple_get_borrow(ft_object *t, ssize_t i);

/* len(o) for sized objects; -1 with TypeError otherwise. */
ssize_t ft_len(ft_object *o);

/* Generic protocol: hash and equality through the type slots. NULL is a
 * TypeError for both (as an unhashable object is for ft_hash); ft_equal
 * is 1 for the same object before any slot runs (as CPython's containers:
 * a NaN key finds itself). */
int64_t ft_hash(ft_object *o);                  /* -1: TypeError (unhashable) */
int ft_equal(ft_object *a, ft_object *b);       /* 1, 0, or -1 with an error */

/* ---- Classes and instances (runtime/objects/instance.c) ------------------
 * ft_class_new(name, NULL): instances take any attribute, kept inline
 * with names shared by the class (PEP 412) until a __dict__ is asked for
 * or they stop fitting; ft_class_new(name, (const char *[]){"x", "y",
 * NULL}): in those slots only. The class is a counted object (release it
 * with ft_decref; its instances keep it alive). ft_setattr(o, name, NULL)
 * deletes. A missing attribute is an AttributeError. ft_getattr(o,
 * "__dict__") gives the instance's dict (made from its inline values if
 * needed, same order), as obj.__dict__ does. */
ft_type *ft_class_new(const char *name, const char *const *slots);
ft_object *ft_instance_new(ft_type *cls);
int ft_setattr(ft_object *o, const char *name, ft_object *v);
ft_object *ft_getattr(ft_object *o, const char *name);

/* ---- Sets (runtime/objects/set.c) ----------------------------------------
 * Keys must be hashable (TypeError otherwise). add: 1 added, 0 already
 * present; contains: 1 or 0; discard: 1 removed, 0 absent; -1 on error. */
extern ft_type ft_set_type;
ft_object *ft_set_new(void);
int ft_set_add(ft_object *set, ft_object *key);
int ft_set_contains(ft_object *set, ft_object *key);
int ft_set_discard(ft_object *set, ft_object *key);

/* ---- Lists and dicts (runtime/objects/list.c, dict.c) -------------------
 * Containers steal nothing: append and set take their own reference to
 * what they store; getters return a new reference. In nogil every
 * mutation and read locks the container (a critical section); a value
 * that leaves a container is released after the lock is dropped. */
extern ft_type ft_list_type, ft_dict_type;

/* n items, each None; ValueError for n < 0. */
ft_object *ft_list_new(ssize_t n);
int ft_list_append(ft_object *l, ft_object *v);
/* Negative i counts from the end, as in Python; IndexError out of range. */
ft_object *ft_list_get(ft_object *l, ssize_t i);
int ft_list_set(ft_object *l, ssize_t i, ft_object *v);

/* Insertion-ordered hash tables; keys must be hashable (TypeError). */
ft_object *ft_dict_new(void);
int ft_dict_set(ft_object *d, ft_object *k, ft_object *v);
/* A new reference, or NULL with KeyError when k is missing. */
ft_object *ft_dict_get(ft_object *d, ft_object *k);
/* ft_dict_set that hands the replaced value to the caller: *old gets the
 * reference d held (NULL when k was new), taken in the same critical
 * section as the store. */
int ft_dict_exchange(ft_object *d, ft_object *k, ft_object *v, ft_object **old);
int ft_dict_del(ft_object *d, ft_object *k);
/* Like ft_dict_get without the KeyError: 1 with *out a new reference,
 * 0 (*out NULL) when k is missing, -1 when hashing or comparing failed. */
int ft_dict_lookup(ft_object *d, ft_object *k, ft_object **out);
/* A cache of one key's lookup in d1, then d2 (Python's LOAD_GLOBAL:
 * globals, then builtins), checked against the dicts' versions: every
 * mutation of a dict gives it a new version, unique over all dicts and
 * all time. All zero is empty. The caller owns the entry (one per name
 * of a code object); threads may use one entry at once (runtime/objects/
 * dict.c, "Version caches"). */
typedef struct ft_dict_cache2 {
    _Atomic uint64_t xseq;          /* odd while a thread fills it      */
    _Atomic uint64_t xv1, xv2;      /* d1's version; d2's (0: found in d1) */
    _Atomic(ft_object *) xvalue;    /* borrowed: the dicts hold it      */
} ft_dict_cache2;
/* ft_dict_lookup of k in d1, then in d2 when absent there, answered from
 * *c while neither dict changed since c was filled (then without probing
 * either), else looked up and c refilled. 1 with *out a new reference,
 * 0 (*out NULL) missing from both, -1 error (TypeError when d1 or d2 is
 * not an exact dict). */
int ft_dict_lookup2_cached(ft_object *d1, ft_object *d2, ft_object *k,
                           ft_dict_cache2 *c, ft_object **out);
/* Iteration in insertion order: start with *pos = 0; returns 1 with
 * borrowed key and value (either out-pointer may be NULL), 0 at the end,
 * -1 with TypeError when d is not a dict (ValueError for a NULL pos).
 * *pos is an entry's insertion number, kept across resizes. With other
 * threads writing d, each call is atomic, and an iteration yields every
 * key that is in d for the whole iteration exactly once, in insertion
 * order; a key added or removed meanwhile is yielded at most once per
 * insertion, or not at all (tests/stress/stress_dict_iter.c). The
 * borrowed references are only as alive as something else keeps them:
 * with writers, hold references to the keys and values yourself or use
 * ft_dict_next_ref. */
int ft_dict_next(ft_object *d, ssize_t *pos, ft_object **key_borrow,
                 ft_object **value_borrow);

/* ---- Lists: Python's list operations (runtime/objects/list.c) -----------
 * For ftpy's list methods. Indices are resolved under the list's lock, so
 * a concurrent change cannot make them point outside the list: ranges are
 * clamped to [0, len]. Item arrays are borrowed unless a name says _steal.
 * 0 / a new reference on success; -1 / NULL with an error. */
/* Replaces items [lo, hi) (clamped, hi >= lo) with items[0, n): slice
 * assignment, del l[lo:hi] (n == 0), insertion (lo == hi). */
int ft_list_set_slice(ft_object *l, ssize_t lo, ssize_t hi,
                      ft_object *const *items, ssize_t n);
/* Appends items[0, n) (extend; the array may come from l itself). */
int ft_list_extend_array(ft_object *l, ft_object *const *items, ssize_t n);
int ft_list_clear(ft_object *l);
/* list.insert: negative i counts from the end; then clamped to [0, len]. */
int ft_list_insert(ft_object *l, ssize_t i, ft_object *v);
/* Removes and returns item i (negative from the end); IndexError "pop
 * from empty list" / "pop index out of range". */
ft_object *ft_list_pop(ft_object *l, ssize_t i);
int ft_list_reverse(ft_object *l);
/* A tuple of the items, taken in one critical section (a snapshot for
 * repr, comparisons, iteration over a list that may change). */
ft_object *ft_list_as_tuple(ft_object *l);
/* A new list of the items start, start + step, ... (count of them; step
 * != 0), resolved by the caller against len(l); indices past the end of
 * a list that has shrunk since are skipped. */
ft_object *ft_list_slice(ft_object *l, ssize_t start, ssize_t step, ssize_t count);
/* list.sort's pair: take_items empties l and gives its items (ft_malloc'd
 * array, the references are the caller's); put_items_steal puts items
 * back as l's contents, taking the references and freeing the array.
 * put returns 1 when l was not empty (it was modified in between: what
 * was added is dropped, CPython's "list modified during sort"), 0 when it
 * was, -1 on error (the items released). */
int ft_list_take_items(ft_object *l, ft_object ***items, ssize_t *n);
int ft_list_put_items_steal(ft_object *l, ft_object **items, ssize_t n);

/* ---- Dicts: Python's dict operations (runtime/objects/dict.c) ------------
 * For ftpy's dict methods; each runs in one critical section on the dict.
 * Iteration returns new references (safe while the dict changes). */
int ft_dict_clear(ft_object *d);
/* Removes k: 1 with *out its value (a new reference), 0 when missing (no
 * error), -1 when hashing or comparing failed. */
int ft_dict_pop(ft_object *d, ft_object *k, ft_object **out);
/* Removes the last inserted item: 1 with new references in *key and
 * *value, 0 when d is empty (no error), -1 for a non-dict. */
int ft_dict_popitem(ft_object *d, ft_object **key, ft_object **value);
/* dict.setdefault: *out gets d[k] (a new reference), inserting dflt
 * first when k is missing. 1 inserted, 0 found, -1 error. */
int ft_dict_setdefault(ft_object *d, ft_object *k, ft_object *dflt,
                       ft_object **out);
/* A shallow copy, made in one critical section. */
ft_object *ft_dict_copy(ft_object *d);
/* Like ft_dict_next (the same guarantee), with new references (either
 * out-pointer may be NULL). Start with *pos = 0. Out-pointers that a
 * function needs (ft_dict_lookup's out, ...) are a ValueError when NULL. */
int ft_dict_next_ref(ft_object *d, ssize_t *pos, ft_object **key,
                     ft_object **value);
/* The same from the last item backwards: start with *pos = SSIZE_MAX. */
int ft_dict_prev_ref(ft_object *d, ssize_t *pos, ft_object **key,
                     ft_object **value);

/* ---- Sets: Python's set operations (runtime/objects/set.c) ---------------
 * Each runs in one critical section on the set. */
/* Iteration in table order: start with *pos = 0; 1 with *key a new
 * reference, 0 at the end, -1 for a non-set. */
int ft_set_next(ft_object *set, ssize_t *pos, ft_object **key);
/* Removes and returns an arbitrary key; KeyError "pop from an empty set". */
ft_object *ft_set_pop(ft_object *set);
int ft_set_clear(ft_object *set);
ft_object *ft_set_copy(ft_object *set);
/* set |= other for two sets, as CPython's set_merge (one resize up front,
 * other's table order kept): 0 / -1. */
int ft_set_merge(ft_object *set, ft_object *other);
/* Exchanges the contents of two sets (CPython's set_swap_bodies: the
 * in-place operators build the result aside, then swap it in). */
int ft_set_swap(ft_object *a, ft_object *b);
/* A tuple of the keys (a snapshot). */
ft_object *ft_set_as_tuple(ft_object *set);

/* ---- Strings (runtime/objects/str.c) ------------------------------------
 * Immutable, stored as UTF-8. The empty string and every one-character
 * string U+0000..U+00FF are immortal singletons. ft_len counts code
 * points; ft_hash is SipHash-1-3, cached. */
extern ft_type ft_str_type;
/* A new str from n bytes of UTF-8 (-1: up to the NUL). ValueError for
 * invalid UTF-8 (overlong forms, surrogates, past U+10FFFF, truncated),
 * TypeError for NULL. */
ft_object *ft_str_from_utf8(const char *s, ssize_t n);
/* a + b, a new str; TypeError unless both are strs, MemoryError when the
 * sum does not fit (never a wrapped size). */
ft_object *ft_str_concat(ft_object *a, ft_object *b);
/* sep.join(items): items a tuple or a list (a snapshot is joined) of
 * strs; TypeError for another container or a non-str item. */
ft_object *ft_str_join(ft_object *sep, ft_object *items);
/* Like sys.intern: a new reference to the one canonical str equal to s
 * (s itself if it becomes canonical); s is not stolen. Interned strings
 * stay mortal. TypeError for a non-str. */
ft_object *ft_str_intern(ft_object *s);
/* The NUL-terminated UTF-8 bytes of s, valid while s lives; *size (may be
 * NULL) gets their number. NULL with TypeError for a non-str. */
const char *ft_str_utf8_borrow(ft_object *s, ssize_t *size);
/* s is the canonical string for its value (interned or immortal). */
bool ft_str_is_interned(ft_object *s);

#endif /* FTLAB_OBJECT_H */
