/* str.c — immutable Unicode strings stored as UTF-8, and interning.
 *
 * Layout and invariants: internal/intern.h. The empty string and the 256
 * one-character strings U+0000..U+00FF are static and immortal (like
 * CPython's latin-1 cache): ft_str_from_utf8 never allocates for them, so
 * they are canonical by construction and interning them is free.
 *
 * Hash: SipHash-1-3, as CPython since 3.11 — a keyed hash, so a program
 * fed chosen strings cannot force every key of a dict (or of the intern
 * table) into one bucket, and fast enough for short strings (one
 * compression round per 8 bytes). The key is drawn once per process; the
 * hash of a string is computed on first use and cached in xhash. In
 * nogil several threads may compute it at once and store it racily: they
 * store the same value, so a relaxed atomic store is all it needs.
 *
 * Interning is a table of borrowed pointers (gil/intern.c, nogil/intern.c):
 * interned strings stay mortal, and tp_dealloc takes them out.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include "internal/intern.h"

/* The 256 one-character strings need at most 2 bytes of UTF-8 + NUL. */
typedef struct ft_str_small {
    ft_str_object s;
    char bytes[3];
} ft_str_small;

static ft_str_small empty_str;
static ft_str_small latin1_strs[256];
static uint64_t sip_k0, sip_k1;

/* ---- UTF-8 --------------------------------------------------------------- */

/* Decodes one code point at p (n bytes left); returns its byte length, or
 * 0 when the sequence is invalid: truncated, a bad continuation byte, an
 * overlong form, a surrogate (U+D800..U+DFFF) or past U+10FFFF. */
static int utf8_decode(const unsigned char *p, ssize_t n, uint32_t *cp)
{
    static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    unsigned char c = p[0];
    int len = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3
            : c < 0xF5 ? 4 : 0;   /* 0x80..0xC1: continuation or overlong */
    if (len == 0 || len > n)
        return 0;
    uint32_t v = len == 1 ? c : c & (0x7Fu >> len);
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if (v < min_cp[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Code points in s[0..n), or -1 (ValueError set) for invalid UTF-8. */
static ssize_t utf8_count(const char *s, ssize_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    ssize_t length = 0;
    for (ssize_t i = 0; i < n; length++) {
        uint32_t cp;
        /* ASCII, the common case: eight bytes at a time while no byte has
         * its high bit set (memcpy: s need not be aligned). */
        while (n - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, sizeof w);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
            length += 8;
        }
        if (i >= n)
            break;
        if (p[i] < 0x80) {      /* ASCII: no decode */
            i++;
            continue;
        }
        int k = utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            ft_err_set(FT_ERR_VALUE, "invalid UTF-8 at byte %zd", i);
            return -1;
        }
        i += k;
    }
    return length;
}

/* ---- SipHash-1-3 (Aumasson and Bernstein; CPython's Python/pyhash.c) ---- */

#define ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static inline void sip_round(uint64_t v[4])
{
    v[0] += v[1]; v[1] = ROTL64(v[1], 13); v[1] ^= v[0]; v[0] = ROTL64(v[0], 32);
    v[2] += v[3]; v[3] = ROTL64(v[3], 16); v[3] ^= v[2];
    v[0] += v[3]; v[3] = ROTL64(v[3], 21); v[3] ^= v[0];
    v[2] += v[1]; v[1] = ROTL64(v[1], 17); v[1] ^= v[2]; v[2] = ROTL64(v[2], 32);
}

static uint64_t siphash13(const unsigned char *p, size_t n)
{
    uint64_t v[4] = { sip_k0 ^ 0x736f6d6570736575ull, sip_k1 ^ 0x646f72616e646f6dull,
                      sip_k0 ^ 0x6c7967656e657261ull, sip_k1 ^ 0x7465646279746573ull };
    uint64_t b = (uint64_t)n << 56, m;
    for (; n >= 8; n -= 8, p += 8) {
        memcpy(&m, p, 8);   /* little-endian hosts only (x86-64, aarch64) */
        v[3] ^= m;
        sip_round(v);
        v[0] ^= m;
    }
    for (size_t i = 0; i < n; i++)
        b |= (uint64_t)p[i] << (8 * i);
    v[3] ^= b;
    sip_round(v);
    v[0] ^= b;
    v[2] ^= 0xff;
    sip_round(v);
    sip_round(v);
    sip_round(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* Once per process: strings hashed under one key must never meet a
 * string hashed under another, and immortal strings cache their hash. */
static void sip_seed(void)
{
    if (sip_k0 | sip_k1)
        return;
    uint64_t k[2] = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };
    if (getrandom(k, sizeof k, GRND_NONBLOCK) != (ssize_t)sizeof k)
        fprintf(stderr, "ftlab: getrandom failed; str hashes use a fixed key\n");
    sip_k0 = k[0];
    sip_k1 = k[1] | 1;   /* never both zero: zero means "not seeded" */
}

int64_t _ft_str_hash(ft_str_object *s)
{
    int64_t h = ft_atomic_load_relaxed(&s->xhash);
    if (h != FT_STR_HASH_UNSET)
        return h;
    h = (int64_t)siphash13((const unsigned char *)s->data, (size_t)s->size);
    if (h == -1)
        h = -2;   /* -1 means "error" in hash slots */
    ft_atomic_store_relaxed(&s->xhash, h);
    return h;
}

/* ---- The type -------------------------------------------------------------- */

static bool is_str(ft_object *o) { return o && o->ob_type == &ft_str_type; }

static int type_error(const char *what, ft_object *o)
{
    return ft_err_set(FT_ERR_TYPE, "%s: expected a str, not '%s'", what,
                      o ? o->ob_type->tp_name : "NULL");
}

static void str_dealloc(ft_object *o)
{
    ft_str_object *s = _ft_as_str(o);
    if (ft_atomic_load_relaxed(&s->xstate) != FT_STR_INTERNED) {
        _ft_object_free(o);
        return;
    }
    /* Readers of the table may still be matching against our bytes. */
    _ft_intern_remove(s);
    _ft_object_free_after_grace(o);
}

static int64_t str_hash(ft_object *o) { return _ft_str_hash(_ft_as_str(o)); }

static int str_eq(ft_object *a, ft_object *b)
{
    if (!is_str(b))
        return 0;
    ft_str_object *x = _ft_as_str(a), *y = _ft_as_str(b);
    if (x->size != y->size)
        return 0;
    int64_t hx = ft_atomic_load_relaxed(&x->xhash), hy = ft_atomic_load_relaxed(&y->xhash);
    if (hx != FT_STR_HASH_UNSET && hy != FT_STR_HASH_UNSET && hx != hy)
        return 0;   /* both cached and different: no need to compare bytes */
    return memcmp(x->data, y->data, (size_t)x->size) == 0;
}

static ssize_t str_len(ft_object *o) { return _ft_as_str(o)->length; }

static size_t str_sizeof(ft_object *o)
{
    return offsetof(ft_str_object, data) + (size_t)_ft_as_str(o)->size + 1;
}

ft_type ft_str_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "str", .tp_basicsize = offsetof(ft_str_object, data) + 1,
    .tp_itemsize = 1, .tp_dealloc = str_dealloc, .tp_hash = str_hash,
    .tp_eq = str_eq, .tp_sizeof = str_sizeof, .tp_len = str_len,
};

/* ---- Creation -------------------------------------------------------------- */

static void init_fields(ft_str_object *s, const char *bytes, ssize_t size,
                        ssize_t length)
{
    s->length = length;
    s->size = size;
    ft_atomic_store_relaxed(&s->xhash, FT_STR_HASH_UNSET);
    ft_atomic_store_relaxed(&s->xstate, FT_STR_PLAIN);
    memset(&s->node, 0, sizeof s->node);
    if (bytes != s->data)   /* a join writes the bytes in place first */
        memcpy(s->data, bytes, (size_t)size);
    s->data[size] = '\0';
}

static void init_static(ft_str_small *o, const char *bytes, ssize_t size)
{
    _ft_object_init_static(&o->s.ob_base, &ft_str_type);
    init_fields(&o->s, bytes, size, size ? 1 : 0);
}

void _ft_str_init_static(void);
void _ft_str_init_static(void)
{
    sip_seed();
    init_static(&empty_str, "", 0);
    for (unsigned cp = 0; cp < 256; cp++) {
        char b[2] = { (char)cp, 0 };
        if (cp >= 0x80) {
            b[0] = (char)(0xC0 | (cp >> 6));
            b[1] = (char)(0x80 | (cp & 0x3F));
        }
        init_static(&latin1_strs[cp], b, cp < 0x80 ? 1 : 2);
    }
    _ft_intern_init();
}

/* The immortal string for s[0..n) (length code points), or NULL. */
static ft_object *static_str(const char *s, ssize_t n, ssize_t length)
{
    if (length == 0)
        return &empty_str.s.ob_base;
    uint32_t cp;
    if (length != 1 || utf8_decode((const unsigned char *)s, n, &cp) == 0 || cp > 0xFF)
        return NULL;
    return &latin1_strs[cp].s.ob_base;
}

ft_object *ft_str_from_utf8(const char *s, ssize_t n)
{
    if (!s) {
        ft_err_set(FT_ERR_TYPE, "ft_str_from_utf8: NULL string");
        return NULL;
    }
    if (n < -1) {
        ft_err_set(FT_ERR_VALUE, "ft_str_from_utf8: negative size %zd", n);
        return NULL;
    }
    if (n == -1)
        n = (ssize_t)strlen(s);
    ssize_t length = utf8_count(s, n);
    if (length < 0)
        return NULL;
    ft_object *o = static_str(s, n, length);
    if (o)
        return o;   /* immortal */
    if ((size_t)n > SIZE_MAX / 2) {
        ft_err_set(FT_ERR_MEMORY, "ft_str_from_utf8: %zd bytes", n);
        return NULL;
    }
    o = _ft_object_alloc(&ft_str_type, offsetof(ft_str_object, data) + (size_t)n + 1);
    if (o)
        init_fields(_ft_as_str(o), s, n, length);
    return o;
}

/* ---- Concatenation and joins ---------------------------------------------
 * One allocation of the summed size, whatever the number of parts: a
 * failure leaves nothing behind. Sizes add up in size_t with a check, so a
 * sum past what the allocator can give is a MemoryError, never a wrapped
 * small block. */

/* parts[0, n) joined by sep (NULL: nothing between); all strs. */
static ft_object *str_join_parts(ft_object *const *parts, ssize_t n, ft_object *sep)
{
    size_t size = 0, sep_size = sep ? (size_t)_ft_as_str(sep)->size : 0;
    ssize_t length = 0;
    for (ssize_t i = 0; i < n; i++) {
        size_t add = (size_t)_ft_as_str(parts[i])->size + (i ? sep_size : 0);
        if (add > (size_t)PTRDIFF_MAX / 2 - size) {
            ft_err_set(FT_ERR_MEMORY, "str of more than %zu bytes", size);
            return NULL;
        }
        size += add;
        length += _ft_as_str(parts[i])->length + (i && sep ? _ft_as_str(sep)->length : 0);
    }
    char small[8];   /* "" or one code point: the immortal strings */
    ft_object *o = length <= 1 ? NULL
        : _ft_object_alloc(&ft_str_type, offsetof(ft_str_object, data) + size + 1);
    if (length > 1 && !o)
        return NULL;   /* MemoryError */
    char *p = o ? _ft_as_str(o)->data : small;
    for (ssize_t i = 0; i < n; i++) {
        if (i && sep_size) {
            memcpy(p, _ft_as_str(sep)->data, sep_size);
            p += sep_size;
        }
        memcpy(p, _ft_as_str(parts[i])->data, (size_t)_ft_as_str(parts[i])->size);
        p += _ft_as_str(parts[i])->size;
    }
    if (!o)
        return ft_str_from_utf8(small, (ssize_t)size);
    ft_str_object *r = _ft_as_str(o);
    init_fields(r, r->data, (ssize_t)size, length);   /* the bytes are in place */
    return o;
}

ft_object *ft_str_concat(ft_object *a, ft_object *b)
{
    if (!is_str(a) || !is_str(b)) {
        type_error("ft_str_concat", is_str(a) ? b : a);
        return NULL;
    }
    ft_object *parts[2] = { a, b };
    return str_join_parts(parts, 2, NULL);
}

/* The items of a tuple of strs, joined; TypeError names the first non-str. */
static ft_object *join_tuple(ft_object *sep, ft_object *t)
{
    ssize_t n = ft_len(t);
    ft_object **parts = n ? ft_malloc((size_t)n * sizeof *parts) : NULL;
    if (n && !parts)
        return NULL;
    ft_object *r = NULL;
    for (ssize_t i = 0; i < n; i++) {
        parts[i] = ft_tuple_get_borrow(t, i);
        if (!is_str(parts[i])) {
            ft_err_set(FT_ERR_TYPE, "ft_str_join: item %zd: expected a str, "
                       "not '%s'", i, ft_type_name(parts[i]));
            goto done;
        }
    }
    r = str_join_parts(parts, n, sep);
done:
    ft_free(parts);
    return r;
}

ft_object *ft_str_join(ft_object *sep, ft_object *items)
{
    if (!is_str(sep)) {
        type_error("ft_str_join", sep);
        return NULL;
    }
    if (items && ft_type_of(items) == &ft_tuple_type)
        return join_tuple(sep, items);
    if (!items || ft_type_of(items) != &ft_list_type) {
        ft_err_set(FT_ERR_TYPE, "ft_str_join: expected a tuple or list, not '%s'",
                   ft_type_name(items));
        return NULL;
    }
    ft_object *t = ft_list_as_tuple(items);   /* a snapshot: the list may change */
    if (!t)
        return NULL;
    ft_object *r = join_tuple(sep, t);
    ft_decref(t);
    return r;
}

ft_object *ft_str_intern(ft_object *s)
{
    if (!is_str(s)) {
        type_error("ft_str_intern", s);
        return NULL;
    }
    /* Immortal strings are the only ones ever made for their value. And a
     * live string marked interned is the canonical one: a string is only
     * replaced in the table once it is dying, and the caller holds s. */
    if (ft_is_immortal(s) ||
        ft_atomic_load_relaxed(&_ft_as_str(s)->xstate) == FT_STR_INTERNED)
        return ft_newref(s);
    return _ft_intern_get(_ft_as_str(s));
}

const char *ft_str_utf8_borrow(ft_object *s, ssize_t *size)
{
    if (!is_str(s)) {
        type_error("ft_str_utf8_borrow", s);
        return NULL;
    }
    if (size)
        *size = _ft_as_str(s)->size;
    return _ft_as_str(s)->data;
}

bool ft_str_is_interned(ft_object *s)
{
    return is_str(s) && (ft_is_immortal(s) ||
           ft_atomic_load_relaxed(&_ft_as_str(s)->xstate) == FT_STR_INTERNED);
}
