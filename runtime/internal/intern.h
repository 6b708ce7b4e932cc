/* internal/intern.h — the str layout and the intern table between
 * runtime/objects/str.c and the two table implementations, gil/intern.c
 * and nogil/intern.c (docs/architecture.md, "The house": where the builds
 * differ, they differ by whole files behind one header).
 *
 * Glossary
 *   canonical   the one str per value that the intern table points at;
 *               ft_str_intern returns it
 *   mortal      interned strings are counted and die like any other: the
 *               table holds a *borrowed* pointer and str's tp_dealloc takes
 *               the string out (interning must not leak what nobody
 *               uses any more; docs/architecture.md, "Objects and
 *               reference counts")
 *
 * A str object (every flavor):
 *
 *   +-----------+--------+------+-------+--------+------------+----------+
 *   | ft_object | length | size | xhash | xstate | table node | data NUL |
 *   +-----------+--------+------+-------+--------+------------+----------+
 *                code     bytes  lazy    FT_STR_  two words,   UTF-8,
 *                points          hash    *        nogil only   inline
 *
 * Invariants
 *   size == strlen-in-bytes(data), data[size] == '\0', data valid UTF-8
 *   length == number of code points in data; length <= size
 *   xhash == FT_STR_HASH_UNSET or ft_str_hash(data); never -1
 *   xstate == FT_STR_INTERNED  <=>  the table points at this object (or
 *             did, until a thread replaced it while it was dying)
 *   everything but xhash and xstate is written once, before the string is
 *   published, and never again
 *
 * Concurrency contract of the table (nogil; in gil the GIL serialises it)
 *   _ft_intern_get and _ft_intern_remove may run at once in any threads,
 *   on the same or different values; the caller must be attached (an
 *   attached thread is a urcu-qsbr reader, internal/qsbr.h). A string found
 *   in the table may be dying: _ft_intern_get revives only what
 *   _ft_try_incref accepts and replaces what it refuses.
 */
#ifndef FTLAB_INTERNAL_INTERN_H
#define FTLAB_INTERNAL_INTERN_H

#include "object.h"

/* xhash before the first ft_hash: -1 is never a valid hash. */
#define FT_STR_HASH_UNSET ((int64_t)-1)

enum ft_str_state {
    FT_STR_PLAIN = 0,       /* not in the table                           */
    FT_STR_PUBLISHING = 1,  /* being offered to the table (nogil)         */
    FT_STR_INTERNED = 2,    /* in the table: tp_dealloc must remove it    */
};

/* Room for the table's link inside the string (struct cds_lfht_node in
 * nogil, two words; unused in gil). Opaque here so that str.c needs no
 * flavor test; nogil/intern.c checks that the real node fits. */
typedef struct ft_intern_node {
    void *opaque[2];
} ft_intern_node;

typedef struct ft_str_object {
    ft_object ob_base;
    ssize_t length;             /* code points                             */
    ssize_t size;               /* bytes of UTF-8, NUL excluded            */
    _Atomic int64_t xhash;      /* cached hash, relaxed (same value racing)*/
    _Atomic uint32_t xstate;    /* enum ft_str_state                       */
    ft_intern_node node;        /* the table's link (nogil)                */
    char data[];                /* size bytes + NUL                        */
} ft_str_object;

static inline ft_str_object *_ft_as_str(ft_object *o) { return (ft_str_object *)o; }

/* The string's hash, computed once (str.c). */
int64_t _ft_str_hash(ft_str_object *s);

/* The table itself — _ft_intern_init, _ft_intern_get, _ft_intern_remove,
 * _ft_intern_count — is a flavor hook: internal/flavor.h, "Intern"
 * (included through object.h). */

#endif /* FTLAB_INTERNAL_INTERN_H */
