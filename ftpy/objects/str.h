/* str.h — group STRINGS: the Python `str` and `bytes` classes.
 *
 * Design notes
 *   str    Python strs ARE the runtime's strs (ft_str_type: immutable
 *          UTF-8, code-point length, cached SipHash). py_str_class is the
 *          py_type describing them (typeobject.c maps ft_str_type to it).
 *          Indexing is by code point: when size == length the text is
 *          ASCII and a code point is a byte (the fast path); otherwise
 *          the UTF-8 is walked. Comparing UTF-8 bytes with memcmp gives
 *          code-point order, so comparisons never decode. New strs are
 *          built in a py_strbuf (a growable byte buffer) and made with
 *          ft_str_from_utf8, which also returns the immortal singletons
 *          for "" and one Latin-1 character.
 *   subclasses of str are boxed instances (ftpy.h): every method and slot
 *          unboxes its self with py_unbox_borrow(self, &ft_str_type).
 *   Unicode character properties (isalpha, isprintable, isdecimal, ...)
 *          come from range tables generated from CPython 3.11's
 *          unicodedata (Unicode 14.0) at the end of str.c; simple case
 *          mappings come from glibc's C.UTF-8 locale (towupper_l,
 *          Unicode 14.0 in glibc 2.36) plus generated tables for the
 *          mappings that differ (multi-character results: 'ß'.upper() is
 *          'SS'; title case; case folding).
 *   strformat.c  printf-style `%` (str.__mod__) and str.format /
 *          format_map; every field goes through py_format (format.c).
 *   bytes  an ftpy type of its own (py_bytes_object: size, cached hash,
 *          data + NUL). Its hash is SipHash-1-3 under this file's own
 *          key (equal bytes hash equal; bytes never equal strs).
 *          bytes % args runs strformat.c's engine in latin-1 mode.
 *   bytearray  a mutable buffer (see below), in bytes.c.
 */
#ifndef FTPY_OBJECTS_STR_H
#define FTPY_OBJECTS_STR_H

#include <stdint.h>
#include "ftpy.h"

/* Readies str, bytes and their iterator classes (py_init); releases what
 * py_str_init made (py_fini). 0 or -1. */
int  py_str_init(void);
void py_str_fini(void);
/* bytes.c's part of py_str_init. */
int  py_bytes_init(void);

/* ---- str ------------------------------------------------------------------ */
extern py_type py_str_iter_class;

/* Is o a str or an instance of a str subclass? */
static inline bool py_str_check(ft_object *o)
{
    return o->ob_type == &ft_str_type || py_unbox_borrow(o, &ft_str_type) != NULL;
}
/* The runtime str inside o (o itself for an exact str), borrowed, or NULL
 * (no exception) when o is no str. */
static inline ft_object *py_str_unbox_borrow(ft_object *o)
{
    return o->ob_type == &ft_str_type ? o : py_unbox_borrow(o, &ft_str_type);
}

/* sep.join(iterable): TypeError "sequence item 1: expected str instance,
 * int found" / "can only join an iterable". */
ft_object *py_str_join(ft_object *sep, ft_object *iterable);
/* repr(s) exactly as CPython (quote choice, escapes). */
ft_object *py_str_repr(ft_object *s);
/* ascii(s): the repr with every non-ASCII character escaped. */
ft_object *py_str_ascii_repr(ft_object *s);
/* A new iterator over the characters of s. */
ft_object *py_str_iter_new(ft_object *s);
/* Code points of s (a str). */
ssize_t py_str_length(ft_object *s);
/* The code point at index i (0 <= i < length), no checks. */
uint32_t py_str_char_at(ft_object *s, ssize_t i);
/* s[i] with a negative i from the end: a new one-character str, or NULL
 * with IndexError "string index out of range". */
ft_object *py_str_getchar(ft_object *s, ssize_t i);
/* s[start:stop] in code points (clamped to the string). */
ft_object *py_str_substr(ft_object *s, ssize_t start, ssize_t stop);
/* A one-character str for code point cp (ValueError past U+10FFFF or for
 * a surrogate: "chr() arg not in range(0x110000)"). */
ft_object *py_str_from_char(uint32_t cp);
/* UTF-8 text with a C string: a new str (ft_str_from_utf8 + exception). */
ft_object *py_str_from_cstr(const char *s);

/* CPython's argument-count errors for built-in functions and methods.
 * CPython words them by how the callee is declared; `cls` is the class
 * that defines the method, or NULL for a module function (len, abs ...):
 *   py_meth_noargs    METH_NOARGS  "str.upper() takes no arguments (1 given)"
 *   py_meth_onearg    METH_O       "list.append() takes exactly one argument
 *                                   (0 given)", "len() takes exactly one ..."
 *   py_meth_findargs  METH_VARARGS "find() takes at least 1 argument (0 given)"
 *   py_meth_clinic    Argument Clinic, positional only: "pop expected at
 *                                   most 1 argument, got 2"
 * Keywords are refused by all of them: "list.append() takes no keyword
 * arguments" (py_meth_varargs_nokw uses the bare name: "union() takes no
 * keyword arguments", as CPython's METH_VARARGS methods do).
 * The checks are inline (they cost two compares on the fast path); the
 * messages are built out of line. 0 or -1. */
enum py_argkind { PY_ARGK_NOARGS, PY_ARGK_O, PY_ARGK_VARARGS, PY_ARGK_CLINIC,
                  PY_ARGK_KW_BARE,
                  /* slot wrappers (int.__int__, int.__divmod__):
                   * "expected 1 argument, got 0", "wrapper __int__() takes
                   * no keyword arguments"; WRAPPER_UNPACK for the ternary
                   * ones (__pow__): " expected at least 1 argument, got 0" */
                  PY_ARGK_WRAPPER, PY_ARGK_WRAPPER_UNPACK };
int _py_meth_argerr(int kind, const char *cls, const char *name, size_t nargs,
                    ft_object *kwnames, size_t min, size_t max);
static inline bool py_has_kwargs(ft_object *kwnames)
{
    return kwnames && ft_len(kwnames) > 0;
}
static inline int py_meth_noargs(const char *cls, const char *name, size_t nargs,
                                 ft_object *kwnames)
{
    if (py_likely(nargs == 0 && !py_has_kwargs(kwnames)))
        return 0;
    return _py_meth_argerr(PY_ARGK_NOARGS, cls, name, nargs, kwnames, 0, 0);
}
static inline int py_meth_onearg(const char *cls, const char *name, size_t nargs,
                                 ft_object *kwnames)
{
    if (py_likely(nargs == 1 && !py_has_kwargs(kwnames)))
        return 0;
    return _py_meth_argerr(PY_ARGK_O, cls, name, nargs, kwnames, 1, 1);
}
static inline int py_meth_findargs(const char *cls, const char *name, size_t nargs,
                                   ft_object *kwnames, size_t min, size_t max)
{
    if (py_likely(nargs >= min && nargs <= max && !py_has_kwargs(kwnames)))
        return 0;
    return _py_meth_argerr(PY_ARGK_VARARGS, cls, name, nargs, kwnames, min, max);
}
static inline int py_meth_clinic(const char *cls, const char *name, size_t nargs,
                                 ft_object *kwnames, size_t min, size_t max)
{
    if (py_likely(nargs >= min && nargs <= max && !py_has_kwargs(kwnames)))
        return 0;
    return _py_meth_argerr(PY_ARGK_CLINIC, cls, name, nargs, kwnames, min, max);
}
/* Any of the kinds above (kind: PY_ARGK_*), for method tables that use
 * one macro for all their methods. */
static inline int py_meth_args(int kind, const char *cls, const char *name, size_t nargs,
                               ft_object *kwnames, size_t min, size_t max)
{
    if (py_likely(nargs >= min && nargs <= max && !py_has_kwargs(kwnames)))
        return 0;
    return _py_meth_argerr(kind, cls, name, nargs, kwnames, min, max);
}
/* METH_VARARGS methods that take any number of positionals (set.union):
 * only keywords are refused, by bare name. */
static inline int py_meth_varargs_nokw(const char *name, ft_object *kwnames)
{
    if (py_likely(!py_has_kwargs(kwnames)))
        return 0;
    return _py_meth_argerr(PY_ARGK_KW_BARE, NULL, name, 0, kwnames, 0, SIZE_MAX);
}

/* Unicode character properties as CPython's str methods see them. */
bool py_unicode_isprintable(uint32_t cp);
bool py_unicode_isspace(uint32_t cp);
bool py_unicode_isalpha(uint32_t cp);
bool py_unicode_isdecimal(uint32_t cp);
bool py_unicode_isdigit(uint32_t cp);
bool py_unicode_isnumeric(uint32_t cp);
/* The decimal value of a decimal digit (Unicode Nd), or -1. */
int  py_unicode_decimal_value(uint32_t cp);

/* CPython's _PyUnicode_TransformDecimalAndSpaceToASCII for int() and
 * float() of a str: a NUL-terminated ft_malloc'd ASCII copy of the valid
 * UTF-8 s[0..n) with Unicode whitespace as ' ', decimal digits (Nd) as
 * their ASCII digit and every other non-ASCII character as '?'; its
 * length in *outn. NULL with MemoryError. */
char *py_utf8_decimal_to_ascii(const char *s, size_t n, size_t *outn);

/* Decodes one code point at p (n > 0 bytes of VALID UTF-8 left); returns
 * its byte length. */
static inline int py_utf8_next(const char *p, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)p;
    if (u[0] < 0x80) { *cp = u[0]; return 1; }
    if (u[0] < 0xE0) { *cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu); return 2; }
    if (u[0] < 0xF0) {
        *cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
        return 3;
    }
    *cp = ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6)
        | (u[3] & 0x3Fu);
    return 4;
}
/* Encodes cp as UTF-8 into out (4 bytes of room); returns the length. */
int py_utf8_encode(uint32_t cp, char *out);

/* ---- py_strbuf: a growable UTF-8 buffer for building strs -------------------
 * py_strbuf b; py_strbuf_init(&b); append...; return py_strbuf_finish(&b);
 * On an append failure (MemoryError set) the buffer stays valid and must
 * still be finished or freed. */
typedef struct py_strbuf {
    char *data;
    size_t len, cap;
    char small[128];             /* no allocation for short results        */
} py_strbuf;
void py_strbuf_init(py_strbuf *b);
int  py_strbuf_append(py_strbuf *b, const char *s, size_t n);     /* 0 / -1 */
int  py_strbuf_append_cstr(py_strbuf *b, const char *s);
int  py_strbuf_putc(py_strbuf *b, uint32_t cp);                   /* UTF-8  */
int  py_strbuf_fill(py_strbuf *b, uint32_t cp, ssize_t count);
/* Appends the str s (a str object). */
int  py_strbuf_append_str(py_strbuf *b, ft_object *s);
/* The str made of the buffer (the buffer is freed): new ref or NULL. */
ft_object *py_strbuf_finish(py_strbuf *b);
void py_strbuf_free(py_strbuf *b);

/* ---- strformat.c ------------------------------------------------------------- */
/* fmt % args (fmt a str): printf-style formatting. */
ft_object *py_str_mod_format(ft_object *fmt, ft_object *args);
/* fmt % args for bytes (fmt a bytes object): %b/%s take bytes-like
 * objects, %r/%a give ascii(), %c an int < 256 or one byte. */
ft_object *py_bytes_mod_format(ft_object *fmt, ft_object *args);
/* fmt.format(*args, **kwargs): args borrowed (nargs of them), kwargs a
 * dict or any mapping (format_map), or NULL. */
ft_object *py_str_format_vector(ft_object *fmt, ft_object *const *args,
                                size_t nargs, ft_object *kwargs);

/* ---- bytes ------------------------------------------------------------------ */
typedef struct py_bytes_object {
    ft_object ob_base;
    ssize_t size;
    int64_t hash;                /* -1: not computed yet                   */
    char data[];                 /* size bytes + NUL                       */
} py_bytes_object;
extern py_type py_bytes_iter_class;

/* A new bytes object copying s[0..n) (b'' literals). */
ft_object *py_bytes_from_buf(const char *s, size_t n);
/* The bytes of b (bytes or a bytes subclass instance) and their number;
 * NULL with TypeError for anything else (a bytearray too: see
 * py_bytes_like_ref). */
const char *py_bytes_data(ft_object *b, ssize_t *size);
static inline bool py_bytes_check_exact(ft_object *o)
{
    return o->ob_type == &py_bytes_class.ft;
}
static inline bool py_bytes_check(ft_object *o)
{
    return py_bytes_check_exact(o) || py_isinstance_exact_or_sub(o, &py_bytes_class);
}
/* ---- bytearray ----------------------------------------------------------------
 * A mutable byte buffer (bytes.c). Every access to data/size of a
 * bytearray that may be shared runs inside a critical section on the
 * object (FT_BEGIN_CRITICAL_SECTION_OBJ), and no Python code runs inside
 * one: its methods work on snapshots (bytes copies) of self and of
 * bytearray arguments, then store the result. The bytes methods run for
 * bytearray through the same snapshots, their bytes results made into
 * bytearrays. */
typedef struct py_bytearray_object {
    ft_object ob_base;
    ssize_t size;
    ssize_t alloc;               /* capacity of data, without the NUL     */
    char *data;                  /* alloc + 1 bytes (ft_malloc), or NULL  */
} py_bytearray_object;
extern py_type py_bytearray_class, py_bytearray_iter_class;
static inline bool py_bytearray_check(ft_object *o)
{
    return o->ob_type == &py_bytearray_class.ft ||
           py_isinstance_exact_or_sub(o, &py_bytearray_class);
}
/* A new bytearray copying s[0..n). */
ft_object *py_bytearray_from_buf(const char *s, size_t n);
/* A bytes object with the current contents of ba (a bytearray or a
 * bytearray subclass instance). */
ft_object *py_bytearray_snapshot(ft_object *ba);

/* A bytes object with the contents of o when o is bytes-like (bytes, a
 * bytes subclass instance: its value; a bytearray: a snapshot), as a
 * new reference; NULL WITHOUT an exception for anything else, NULL with
 * one when the copy failed (check py_err_occurred). */
ft_object *py_bytes_like_ref(ft_object *o);

/* s.encode(encoding, errors) with C strings (NULL: utf-8 / strict). */
ft_object *py_str_encode(ft_object *s, const char *encoding, const char *errors);
/* bytes.decode: data[0..n) decoded (NULL: utf-8 / strict). */
ft_object *py_bytes_decode(const char *data, ssize_t n, const char *encoding,
                           const char *errors);

#endif /* FTPY_OBJECTS_STR_H */
