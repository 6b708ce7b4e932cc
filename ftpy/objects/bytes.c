/* bytes.c — the Python `bytes` class and the str <-> bytes codecs.
 *
 * Design notes
 *   A bytes object is a py_bytes_object (str.h): size, a lazily computed
 *   hash, the bytes and a NUL (so data can be handed to C as a string).
 *   Its hash is SipHash-1-3 under a key of this file drawn at start-up;
 *   equal bytes hash equal within a process, the empty bytes hash to 0
 *   (as CPython). Subclasses of bytes are boxed instances (typeobject.h):
 *   methods unbox their self with py_unbox_borrow(self, &py_bytes_class.ft).
 *   Codecs: utf-8, ascii and latin-1 with the error handlers strict,
 *   ignore, replace, backslashreplace (and xmlcharrefreplace to encode).
 *   The UnicodeEncodeError / UnicodeDecodeError raised are made as
 *   CPython's codecs make them: (encoding, object, start, end, reason),
 *   the strict error covering the whole run of bad characters / the
 *   maximal invalid UTF-8 prefix.
 *   bytearray (at the end) reuses the bytes methods on snapshots.
 *   Not implemented: memoryview.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "objects/containers.h"
#include "objects/str.h"
#include "objects/typeobject.h"

static uint64_t sip_k0, sip_k1;

static ft_object *ba_unbox(ft_object *o);
static ft_object *snap_arg(ft_object *a);
static ft_object *call_snapped(py_cfunc fn, ft_object *self, ft_object *const *args,
                               size_t nargs, ft_object *kwnames);

/* ---- Allocation ------------------------------------------------------------ */

static py_bytes_object *as_bytes(ft_object *o) { return (py_bytes_object *)o; }

/* A new bytes object of n bytes, uninitialised except the NUL. */
static ft_object *bytes_alloc(ssize_t n)
{
    if (n < 0 || (size_t)n > SIZE_MAX / 2)
        return py_err_nomemory();
    ft_object *o = ft_object_new(&py_bytes_class.ft,
                                 offsetof(py_bytes_object, data) + (size_t)n + 1);
    if (!o)
        return py_err_from_ft();
    as_bytes(o)->size = n;
    as_bytes(o)->hash = -1;
    as_bytes(o)->data[n] = '\0';
    return o;
}

ft_object *py_bytes_from_buf(const char *s, size_t n)
{
    ft_object *o = bytes_alloc((ssize_t)n);
    if (o && n)
        memcpy(as_bytes(o)->data, s, n);
    return o;
}

/* The bytes object inside o (o itself, or the box of a subclass). */
static ft_object *bytes_unbox(ft_object *o)
{
    if (o->ob_type == &py_bytes_class.ft)
        return o;
    return py_unbox_borrow(o, &py_bytes_class.ft);
}

const char *py_bytes_data(ft_object *b, ssize_t *size)
{
    ft_object *o = bytes_unbox(b);
    if (!o) {
        py_err_format(py_exc_TypeError, "a bytes-like object is required, not '%s'",
                      py_type_name(b));
        return NULL;
    }
    if (size)
        *size = as_bytes(o)->size;
    return as_bytes(o)->data;
}

/* A bytes-like argument: 1 with the view, 0 when o is none. */
static int buf_of(ft_object *o, const char **p, ssize_t *n)
{
    ft_object *b = bytes_unbox(o);
    if (!b)
        return 0;
    *p = as_bytes(b)->data;
    *n = as_bytes(b)->size;
    return 1;
}

static void bytes_dealloc(ft_object *o) { ft_object_free(o); }

static size_t bytes_sizeof(ft_object *o)
{
    return offsetof(py_bytes_object, data) + (size_t)as_bytes(o)->size + 1;
}

/* ---- Codecs --------------------------------------------------------------------- */

enum { ENC_UTF8, ENC_ASCII, ENC_LATIN1 };
enum { ERR_STRICT, ERR_IGNORE, ERR_REPLACE, ERR_BACKSLASH, ERR_XMLREF, ERR_UNKNOWN };

static const char *const enc_names[] = { "utf-8", "ascii", "latin-1" };

/* Normalises as CPython's encodings.normalize_encoding + aliases. */
static int lookup_encoding(const char *name)
{
    if (!name)
        return ENC_UTF8;
    char buf[32];
    size_t i = 0;
    for (; name[i] && i < sizeof buf - 1; i++) {
        char c = name[i];
        buf[i] = c == '-' || c == ' ' ? '_' : (c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
    }
    if (name[i]) {
        py_err_format(py_exc_LookupError, "unknown encoding: %s", name);
        return -1;
    }
    buf[i] = 0;
    static const char *const utf8[] = { "utf_8", "utf8", "u8", "utf", "cp65001", NULL };
    static const char *const ascii[] = { "ascii", "us_ascii", "646", "us", "ansi_x3.4_1968",
                                         "iso646_us", "cp367", NULL };
    static const char *const latin1[] = { "latin_1", "latin1", "iso_8859_1", "iso8859_1",
                                          "8859", "cp819", "l1", "latin", "iso_ir_100",
                                          "iso_8859_1:1987", NULL };
    const char *const *tables[] = { utf8, ascii, latin1 };
    for (int t = 0; t < 3; t++)
        for (const char *const *a = tables[t]; *a; a++)
            if (strcmp(buf, *a) == 0)
                return t;
    py_err_format(py_exc_LookupError, "unknown encoding: %s", name);
    return -1;
}

static int lookup_errors(const char *errors)
{
    if (!errors || strcmp(errors, "strict") == 0)
        return ERR_STRICT;
    if (strcmp(errors, "ignore") == 0)
        return ERR_IGNORE;
    if (strcmp(errors, "replace") == 0)
        return ERR_REPLACE;
    if (strcmp(errors, "backslashreplace") == 0)
        return ERR_BACKSLASH;
    if (strcmp(errors, "xmlcharrefreplace") == 0)
        return ERR_XMLREF;
    return ERR_UNKNOWN;
}

static int unknown_handler(const char *errors)
{
    return py_err_format_int(py_exc_LookupError, "unknown error handler name '%s'", errors);
}

/* Raises type(encoding, object, start, end, reason), as CPython's codecs
 * do: exceptions.c gives it the fields and CPython's message. */
static int raise_unicode_error(py_type *type, const char *encoding, ft_object *obj,
                               ssize_t start, ssize_t end, const char *reason)
{
    ft_object *args[5] = { py_str_from_cstr(encoding), ft_newref(obj), ft_int_from_i64(start),
                           ft_int_from_i64(end), py_str_from_cstr(reason) };
    ft_object *exc = NULL;
    if (args[0] && args[2] && args[3] && args[4])
        exc = py_exc_call(type, args, 5);
    else if (!py_err_occurred())
        py_err_from_ft();
    for (int i = 0; i < 5; i++)
        ft_xdecref(args[i]);
    if (exc) {
        py_err_set_object(exc);
        ft_decref(exc);
    }
    return -1;
}

/* The \xNN / \uNNNN / \UNNNNNNNN spelling of cp. */
static int escape_cp(uint32_t cp, char *out)
{
    if (cp <= 0xFF)
        return sprintf(out, "\\x%02x", cp);
    if (cp <= 0xFFFF)
        return sprintf(out, "\\u%04x", cp);
    return sprintf(out, "\\U%08x", cp);
}

ft_object *py_str_encode(ft_object *s, const char *encoding, const char *errors)
{
    ft_object *str = py_str_unbox_borrow(s);
    if (!str)
        return py_err_format(py_exc_TypeError, "expected str");
    int enc = lookup_encoding(encoding);
    if (enc < 0)
        return NULL;
    ssize_t n;
    const char *p = ft_str_utf8_borrow(str, &n);
    if (enc == ENC_UTF8 || n == ft_len(str))
        return py_bytes_from_buf(p, (size_t)n);   /* UTF-8, or ASCII text */
    uint32_t limit = enc == ENC_ASCII ? 0x80 : 0x100;
    int err = lookup_errors(errors);
    py_strbuf b;
    py_strbuf_init(&b);
    ssize_t pos = 0;   /* code-point position */
    for (ssize_t i = 0; i < n; pos++) {
        uint32_t cp;
        int k = py_utf8_next(p + i, &cp);
        if (cp < limit) {
            char c = (char)cp;
            if (py_strbuf_append(&b, &c, 1) < 0)
                goto fail;
            i += k;
            continue;
        }
        if (err == ERR_STRICT || err == ERR_UNKNOWN) {
            if (err == ERR_UNKNOWN) {
                unknown_handler(errors);
                goto fail;
            }
            /* the run of characters that cannot be encoded */
            ssize_t end = pos + 1, j = i + k;
            while (j < n) {
                uint32_t c2;
                int k2 = py_utf8_next(p + j, &c2);
                if (c2 < limit)
                    break;
                j += k2;
                end++;
            }
            const char *reason = enc == ENC_ASCII ? "ordinal not in range(128)"
                                                  : "ordinal not in range(256)";
            raise_unicode_error(py_exc_UnicodeEncodeError, enc_names[enc], str, pos, end,
                                reason);
            goto fail;
        }
        char esc[16];
        int rc = 0;
        if (err == ERR_REPLACE)
            rc = py_strbuf_append(&b, "?", 1);
        else if (err == ERR_BACKSLASH)
            rc = py_strbuf_append(&b, esc, (size_t)escape_cp(cp, esc));
        else if (err == ERR_XMLREF)
            rc = py_strbuf_append(&b, esc, (size_t)sprintf(esc, "&#%u;", cp));
        if (rc < 0)
            goto fail;
        i += k;
    }
    ft_object *r = py_bytes_from_buf(b.data, b.len);
    py_strbuf_free(&b);
    return r;
fail:
    py_strbuf_free(&b);
    return NULL;
}

/* One UTF-8 sequence at p (n > 0 bytes left): its length (> 0) with *cp,
 * or -k for an error covering k bytes (CPython's maximal invalid prefix)
 * with *reason. */
static int utf8_step(const unsigned char *p, ssize_t n, uint32_t *cp, const char **reason)
{
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xC2 || c > 0xF4) {
        *reason = "invalid start byte";
        return -1;
    }
    int need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    unsigned lo = 0x80, hi = 0xBF;
    if (c == 0xE0) lo = 0xA0;
    else if (c == 0xED) hi = 0x9F;
    else if (c == 0xF0) lo = 0x90;
    else if (c == 0xF4) hi = 0x8F;
    uint32_t v = c & (0x7Fu >> need);
    for (int k = 1; k < need; k++) {
        if (k >= n) {
            *reason = "unexpected end of data";
            return -k;
        }
        unsigned d = p[k];
        if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF)) {
            *reason = "invalid continuation byte";
            return -k;
        }
        v = (v << 6) | (d & 0x3F);
    }
    *cp = v;
    return need;
}

static int decode_error(int enc, const char *data, ssize_t n, ssize_t start, ssize_t end,
                        const char *reason)
{
    ft_object *obj = py_bytes_from_buf(data, (size_t)n);
    if (!obj)
        return -1;
    raise_unicode_error(py_exc_UnicodeDecodeError, enc_names[enc], obj, start, end, reason);
    ft_decref(obj);
    return -1;
}

ft_object *py_bytes_decode(const char *data, ssize_t n, const char *encoding,
                           const char *errors)
{
    int enc = lookup_encoding(encoding);
    if (enc < 0)
        return NULL;
    const unsigned char *p = (const unsigned char *)data;
    /* ASCII data decodes to itself under all three codecs */
    ssize_t i = 0;
    while (i < n && p[i] < 0x80)
        i++;
    if (i == n) {
        ft_object *r = ft_str_from_utf8(data, n);
        return r ? r : py_err_from_ft();
    }
    int err = lookup_errors(errors);
    py_strbuf b;
    py_strbuf_init(&b);
    if (py_strbuf_append(&b, data, (size_t)i) < 0)
        goto fail;
    while (i < n) {
        uint32_t cp = p[i];
        int k = 1;
        const char *reason = NULL;
        if (enc == ENC_UTF8) {
            k = utf8_step(p + i, n - i, &cp, &reason);
        } else if (enc == ENC_ASCII && cp >= 0x80) {
            k = -1;
            reason = "ordinal not in range(128)";
        }
        if (k > 0) {
            if (enc == ENC_UTF8 ? py_strbuf_append(&b, data + i, (size_t)k) < 0
                                : py_strbuf_putc(&b, cp) < 0)
                goto fail;
            i += k;
            continue;
        }
        ssize_t end = i - k;
        int rc = 0;
        switch (err) {
        case ERR_STRICT:
        case ERR_XMLREF:   /* CPython: not usable for decoding */
            decode_error(enc, data, n, i, end, reason);
            goto fail;
        case ERR_UNKNOWN:
            unknown_handler(errors);
            goto fail;
        case ERR_IGNORE:
            break;
        case ERR_REPLACE:
            rc = py_strbuf_putc(&b, 0xFFFD);
            break;
        default:
            for (ssize_t j = i; j < end && rc == 0; j++) {
                char esc[8];
                rc = py_strbuf_append(&b, esc, (size_t)sprintf(esc, "\\x%02x", p[j]));
            }
            break;
        }
        if (rc < 0)
            goto fail;
        i = end;
    }
    return py_strbuf_finish(&b);
fail:
    py_strbuf_free(&b);
    return NULL;
}

/* ---- Hash, compare, repr ---------------------------------------------------------- */

#define ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static inline void sip_round(uint64_t v[4])
{
    v[0] += v[1]; v[1] = ROTL64(v[1], 13); v[1] ^= v[0]; v[0] = ROTL64(v[0], 32);
    v[2] += v[3]; v[3] = ROTL64(v[3], 16); v[3] ^= v[2];
    v[0] += v[3]; v[3] = ROTL64(v[3], 21); v[3] ^= v[0];
    v[2] += v[1]; v[1] = ROTL64(v[1], 17); v[1] ^= v[2]; v[2] = ROTL64(v[2], 32);
}

/* SipHash-1-3 (as CPython's Python/pyhash.c). */
static uint64_t siphash13(const unsigned char *p, size_t n)
{
    uint64_t v[4] = { sip_k0 ^ 0x736f6d6570736575ull, sip_k1 ^ 0x646f72616e646f6dull,
                      sip_k0 ^ 0x6c7967656e657261ull, sip_k1 ^ 0x7465646279746573ull };
    uint64_t b = (uint64_t)n << 56, m;
    for (; n >= 8; n -= 8, p += 8) {
        memcpy(&m, p, 8);
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

static int64_t bytes_hash(ft_object *o)
{
    ft_object *b = bytes_unbox(o);
    if (!b) {
        py_err_format(py_exc_TypeError, "unhashable type: '%s'", py_type_name(o));
        return -1;
    }
    py_bytes_object *x = as_bytes(b);
    /* Bytes are immutable: racing threads store the same value. */
    int64_t h = __atomic_load_n(&x->hash, __ATOMIC_RELAXED);
    if (h != -1)
        return h;
    h = x->size == 0 ? 0 : (int64_t)siphash13((const unsigned char *)x->data, (size_t)x->size);
    if (h == -1)
        h = -2;
    __atomic_store_n(&x->hash, h, __ATOMIC_RELAXED);
    return h;
}

static int bytes_eq(ft_object *a, ft_object *b)
{
    ft_object *x = bytes_unbox(a), *y = bytes_unbox(b);
    if (!x || !y)
        return 0;
    return as_bytes(x)->size == as_bytes(y)->size &&
           memcmp(as_bytes(x)->data, as_bytes(y)->data, (size_t)as_bytes(x)->size) == 0;
}

static ft_object *bytes_richcompare(ft_object *a, ft_object *b, int op)
{
    ft_object *x = bytes_unbox(a), *y = bytes_unbox(b);
    if (!x || !y)
        return py_notimplemented();
    ssize_t nx = as_bytes(x)->size, ny = as_bytes(y)->size;
    int c = memcmp(as_bytes(x)->data, as_bytes(y)->data, (size_t)(nx < ny ? nx : ny));
    if (c == 0)
        c = nx < ny ? -1 : nx > ny;
    bool r;
    switch (op) {
    case PY_LT: r = c < 0; break;
    case PY_LE: r = c <= 0; break;
    case PY_EQ: r = c == 0; break;
    case PY_NE: r = c != 0; break;
    case PY_GT: r = c > 0; break;
    default:    r = c >= 0; break;
    }
    return py_bool_new(r);
}

static ft_object *bytes_repr(ft_object *o)
{
    ft_object *bo = bytes_unbox(o);
    if (!bo)
        return py_err_format(py_exc_TypeError, "expected bytes");
    const unsigned char *p = (const unsigned char *)as_bytes(bo)->data;
    ssize_t n = as_bytes(bo)->size;
    bool sq = memchr(p, '\'', (size_t)n) != NULL, dq = memchr(p, '"', (size_t)n) != NULL;
    char quote = sq && !dq ? '"' : '\'';
    py_strbuf b;
    py_strbuf_init(&b);
    char head[2] = { 'b', quote };
    if (py_strbuf_append(&b, head, 2) < 0)
        goto fail;
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        char esc[5];
        int k;
        if (c == (unsigned char)quote || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            k = 2;
        } else if (c == '\t') {
            memcpy(esc, "\\t", 2), k = 2;
        } else if (c == '\n') {
            memcpy(esc, "\\n", 2), k = 2;
        } else if (c == '\r') {
            memcpy(esc, "\\r", 2), k = 2;
        } else if (c < 0x20 || c >= 0x7F) {
            k = sprintf(esc, "\\x%02x", c);
        } else {
            esc[0] = (char)c;
            k = 1;
        }
        if (py_strbuf_append(&b, esc, (size_t)k) < 0)
            goto fail;
    }
    if (py_strbuf_append(&b, &quote, 1) < 0)
        goto fail;
    return py_strbuf_finish(&b);
fail:
    py_strbuf_free(&b);
    return NULL;
}

static ssize_t bytes_len(ft_object *o)
{
    ft_object *b = bytes_unbox(o);
    if (!b) {
        py_err_format(py_exc_TypeError, "expected bytes");
        return -1;
    }
    return as_bytes(b)->size;
}

static int bytes_bool(ft_object *o)
{
    ft_object *b = bytes_unbox(o);
    return b && as_bytes(b)->size > 0;
}

/* ---- Sequence operations ------------------------------------------------------------- */

static ft_object *bytes_concat2(const char *a, ssize_t na, const char *b, ssize_t nb)
{
    if (na > PTRDIFF_MAX - nb - 64)
        return py_err_nomemory();
    ft_object *r = bytes_alloc(na + nb);
    if (r) {
        memcpy(as_bytes(r)->data, a, (size_t)na);
        memcpy(as_bytes(r)->data + na, b, (size_t)nb);
    }
    return r;
}

static ft_object *bytes_repeat(ft_object *b, ssize_t count)
{
    ssize_t n = as_bytes(b)->size;
    if (count <= 0 || n == 0)
        return bytes_alloc(0);
    if (count == 1 && b->ob_type == &py_bytes_class.ft)
        return ft_newref(b);
    if (n > (PTRDIFF_MAX - 64) / count)
        return py_err_nomemory();
    ft_object *r = bytes_alloc(n * count);
    if (!r)
        return NULL;
    char *d = as_bytes(r)->data;
    size_t total = (size_t)(n * count), done = (size_t)n;
    memcpy(d, as_bytes(b)->data, (size_t)n);
    while (done < total) {
        size_t k = done <= total - done ? done : total - done;
        memcpy(d + done, d, k);
        done += k;
    }
    return r;
}

static bool has_index(ft_object *o)
{
    return py_long_check(o) || py_type_lookup_borrow(py_type_of(o), PY_ID(__index__));
}

/* The other operand's own slot first, as in str.c; NULL: did not apply;
 * (ft_object *)-1: error. */
static ft_object *try_other(ft_object *other, ft_object *a, ft_object *b, int op)
{
    py_type *t = py_type_of(other);
    if (!t->tp_binop || bytes_unbox(other) || py_str_check(other) ||
        t == &py_int_class || t == &py_float_class || t == &py_bool_class)
        return NULL;
    ft_object *r = t->tp_binop(a, b, op);
    if (!r)
        return (ft_object *)-1;
    if (py_is_notimplemented(r)) {
        ft_decref(r);
        return NULL;
    }
    return r;
}

static ft_object *bytes_binop(ft_object *a, ft_object *b, int op)
{
    int base = op & ~PY_OP_INPLACE;
    ft_object *x = bytes_unbox(a), *y = bytes_unbox(b);
    if (base == PY_OP_ADD) {
        if (x && y)
            return bytes_concat2(as_bytes(x)->data, as_bytes(x)->size, as_bytes(y)->data,
                                 as_bytes(y)->size);
        if (!x)
            return py_notimplemented();
        if (ba_unbox(b)) {
            /* bytes + bytearray is bytes */
            ft_object *yb = py_bytearray_snapshot(b);
            ft_object *r = yb ? bytes_concat2(as_bytes(x)->data, as_bytes(x)->size,
                                              as_bytes(yb)->data, as_bytes(yb)->size) : NULL;
            ft_xdecref(yb);
            return r;
        }
        ft_object *r = try_other(b, a, b, op);
        if (r == (ft_object *)-1)
            return NULL;
        if (r)
            return r;
        return py_err_format(py_exc_TypeError, "can't concat %s to bytes", py_type_name(b));
    }
    if (base == PY_OP_MUL) {
        ft_object *s = x ? x : y;
        ft_object *n = x ? b : a;
        if (x) {
            ft_object *r = try_other(b, a, b, op);
            if (r == (ft_object *)-1)
                return NULL;
            if (r)
                return r;
        }
        if (!has_index(n))
            return py_err_format(py_exc_TypeError,
                                 "can't multiply sequence by non-int of type '%s'",
                                 py_type_name(n));
        ssize_t count;
        if (py_index_ssize(n, &count) < 0)
            return NULL;
        return bytes_repeat(s, count);
    }
    if (base == PY_OP_MOD && x)
        return py_bytes_mod_format(x, b);
    return py_notimplemented();
}

static ft_object *bytes_getitem(ft_object *o, ft_object *key)
{
    ft_object *bo = bytes_unbox(o);
    if (!bo)
        return py_err_format(py_exc_TypeError, "expected bytes");
    py_bytes_object *b = as_bytes(bo);
    if (py_type_of(key) == &py_slice_class) {
        ssize_t start, stop, step, n;
        if (py_slice_indices(key, b->size, &start, &stop, &step, &n) < 0)
            return NULL;
        if (step == 1) {
            if (n == b->size && bo->ob_type == &py_bytes_class.ft)
                return ft_newref(bo);
            return py_bytes_from_buf(b->data + start, (size_t)(n > 0 ? n : 0));
        }
        ft_object *r = bytes_alloc(n > 0 ? n : 0);
        if (!r)
            return NULL;
        for (ssize_t k = 0, i = start; k < n; k++, i += step)
            as_bytes(r)->data[k] = b->data[i];
        return r;
    }
    if (!has_index(key))
        return py_err_format(py_exc_TypeError, "byte indices must be integers or slices, not %s",
                             py_type_name(key));
    ssize_t i;
    if (py_index_ssize(key, &i) < 0)
        return NULL;
    if (i < 0)
        i += b->size;
    if (i < 0 || i >= b->size)
        return py_err_format(py_exc_IndexError, "index out of range");
    return ft_int_from_i64((unsigned char)b->data[i]);
}

/* A byte value argument (0..255) through __index__; 0 or -1. */
static int byte_value(ft_object *o, int *out, const char *range_msg)
{
    ssize_t v;
    if (py_index_ssize(o, &v) < 0) {
        if (!py_err_matches(py_exc_OverflowError))
            return -1;
        py_err_clear();
        v = -1;
    }
    if (v < 0 || v > 255)
        return py_err_format_int(py_exc_ValueError, "%s", range_msg);
    *out = (int)v;
    return 0;
}

static int bytes_contains(ft_object *o, ft_object *v)
{
    ft_object *bo = bytes_unbox(o);
    if (!bo)
        return py_err_format_int(py_exc_TypeError, "expected bytes");
    py_bytes_object *b = as_bytes(bo);
    if (ba_unbox(v)) {
        ft_object *w = py_bytearray_snapshot(v);
        int r = w ? bytes_contains(o, w) : -1;
        ft_xdecref(w);
        return r;
    }
    const char *p = NULL;
    ssize_t n;
    if (buf_of(v, &p, &n)) {
        if (n == 0)
            return 1;
        return memmem(b->data, (size_t)b->size, p, (size_t)n) != NULL;
    }
    if (has_index(v)) {
        int c = 0;
        if (byte_value(v, &c, "byte must be in range(0, 256)") < 0)
            return -1;
        return memchr(b->data, c, (size_t)b->size) != NULL;
    }
    return py_err_format_int(py_exc_TypeError, "a bytes-like object is required, not '%s'",
                             py_type_name(v));
}

/* ---- Iterator ---------------------------------------------------------------------- */

typedef struct bytes_iter {
    ft_object ob_base;
    ft_object *bytes;
    ssize_t pos;
} bytes_iter;

static ft_object *bytes_iter_new(ft_object *o)
{
    ft_object *bo = bytes_unbox(o);
    if (!bo)
        return py_err_format(py_exc_TypeError, "expected bytes");
    bytes_iter *it = (bytes_iter *)ft_object_new(&py_bytes_iter_class.ft, sizeof(bytes_iter));
    if (!it)
        return py_err_from_ft();
    it->bytes = ft_newref(bo);
    it->pos = 0;
    return &it->ob_base;
}

/* As str's iterator: the bytes stay until the iterator dies, `pos`
 * moves with relaxed atomics (threads sharing one iterator are safe). */
static ft_object *bytes_iter_next(ft_object *o)
{
    bytes_iter *it = (bytes_iter *)o;
    py_bytes_object *b = as_bytes(it->bytes);
    ssize_t pos = __atomic_fetch_add(&it->pos, 1, __ATOMIC_RELAXED);
    if (pos >= b->size) {
        __atomic_store_n(&it->pos, b->size, __ATOMIC_RELAXED);
        return NULL;
    }
    return ft_int_from_i64((unsigned char)b->data[pos]);
}

static ft_object *bytes_iter_self(ft_object *o) { return ft_newref(o); }

static void bytes_iter_dealloc(ft_object *o)
{
    ft_decref(((bytes_iter *)o)->bytes);
    ft_object_free(o);
}

static ft_object *bytes_iter_length_hint(ft_object *self, ft_object *const *args,
                                         size_t nargs, ft_object *kwnames)
{
    (void)args;
    if (py_meth_noargs(py_type_name(self), "__length_hint__", nargs, kwnames) < 0)
        return NULL;
    bytes_iter *it = (bytes_iter *)self;
    ssize_t left = as_bytes(it->bytes)->size - __atomic_load_n(&it->pos, __ATOMIC_RELAXED);
    return ft_int_from_i64(left > 0 ? left : 0);
}

static const py_method_def bytes_iter_methods[] = {
    {"__length_hint__", bytes_iter_length_hint, PY_METH_DEFAULT},
    {NULL, NULL, 0},
};

py_type py_bytes_iter_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "bytes_iterator",
        .tp_basicsize = sizeof(bytes_iter),
        .tp_flags = PY_TPFLAGS_PYTYPE,
        .tp_dealloc = bytes_iter_dealloc,
    },
    .tp_iter = bytes_iter_self,
    .tp_iternext = bytes_iter_next,
    .tp_methods = bytes_iter_methods,
};

/* ---- Methods ------------------------------------------------------------------------- */

static ft_object *descr_error(const char *name, ft_object *self)
{
    return py_err_format(py_exc_TypeError,
                         "descriptor '%s' for 'bytes' objects doesn't apply to a '%s' object",
                         name, py_type_name(self));
}

#define BYTES_SELF(name)                                                   \
    ft_object *self_b = bytes_unbox(self);                                 \
    if (py_unlikely(!self_b))                                              \
        return descr_error(name, self);                                    \
    const char *s = as_bytes(self_b)->data;                                \
    ssize_t n = as_bytes(self_b)->size

static inline bool bspace(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* A bytes argument ("a bytes-like object is required, not 'str'"). */
static int arg_buf(ft_object *o, const char **p, ssize_t *n)
{
    if (buf_of(o, p, n))
        return 0;
    return py_err_format_int(py_exc_TypeError, "a bytes-like object is required, not '%s'",
                             py_type_name(o));
}

/* The needle of find/count/index: bytes or an int (one byte). */
static int arg_needle(ft_object *o, const char **p, ssize_t *n, char *one)
{
    if (buf_of(o, p, n))
        return 0;
    if (has_index(o)) {
        int c = 0;
        if (byte_value(o, &c, "byte must be in range(0, 256)") < 0)
            return -1;
        *one = (char)c;
        *p = one;
        *n = 1;
        return 0;
    }
    return py_err_format_int(py_exc_TypeError,
                             "argument should be integer or bytes-like object, not '%s'",
                             py_type_name(o));
}

static int slice_index(ft_object *o, ssize_t *out)
{
    if (!o || o == ft_none())
        return 0;
    if (!has_index(o))
        return py_err_format_int(py_exc_TypeError,
            "slice indices must be integers or None or have an __index__ method");
    if (py_index_ssize(o, out) < 0) {
        if (!py_err_matches(py_exc_OverflowError))
            return -1;
        py_err_clear();
        int neg = py_richcompare_bool(o, ft_int_from_i64(0), PY_LT);
        if (neg < 0)
            return -1;
        *out = neg ? -PTRDIFF_MAX : PTRDIFF_MAX;
    }
    return 0;
}

static int start_end(ft_object *const *args, size_t nargs, ssize_t len, ssize_t *start,
                     ssize_t *end)
{
    *start = 0;
    *end = PTRDIFF_MAX;
    if ((nargs > 1 && slice_index(args[1], start) < 0) ||
        (nargs > 2 && slice_index(args[2], end) < 0))
        return -1;
    if (*end > len)
        *end = len;
    else if (*end < 0 && (*end += len) < 0)
        *end = 0;
    if (*start < 0 && (*start += len) < 0)
        *start = 0;
    return 0;
}

static ssize_t mem_rfind(const char *h, ssize_t hn, const char *nd, ssize_t nn)
{
    if (nn == 0)
        return hn;
    for (ssize_t i = hn - nn; i >= 0; i--)
        if (h[i] == nd[0] && memcmp(h + i, nd, (size_t)nn) == 0)
            return i;
    return -1;
}

static ssize_t mem_find(const char *h, ssize_t hn, const char *nd, ssize_t nn)
{
    if (nn == 0)
        return 0;
    if (nn > hn)
        return -1;
    const char *p = memmem(h, (size_t)hn, nd, (size_t)nn);
    return p ? p - h : -1;
}

/* find/rfind/index/rindex: the index, -1, or -2 on error. */
static ssize_t find_common(const char *name, ft_object *self, ft_object *const *args,
                           size_t nargs, ft_object *kwnames, bool reverse)
{
    ft_object *self_b = bytes_unbox(self);
    if (!self_b) {
        descr_error(name, self);
        return -2;
    }
    if (py_meth_findargs("bytes", name, nargs, kwnames, 1, 3) < 0)
        return -2;
    const char *s = as_bytes(self_b)->data, *p = NULL;
    ssize_t n = as_bytes(self_b)->size, pn = 0, start, end;
    char one;
    if (arg_needle(args[0], &p, &pn, &one) < 0 || start_end(args, nargs, n, &start, &end) < 0)
        return -2;
    if (end - start < pn)
        return -1;
    ssize_t k = reverse ? mem_rfind(s + start, end - start, p, pn)
                        : mem_find(s + start, end - start, p, pn);
    return k < 0 ? -1 : start + k;
}

static ft_object *find_result(ssize_t r, bool raise)
{
    if (r == -2)
        return NULL;
    if (r == -1 && raise)
        return py_err_format(py_exc_ValueError, "subsection not found");
    return ft_int_from_i64(r);
}

#define FIND_METHOD(fn, name, reverse, raise)                                  \
    static ft_object *fn(ft_object *self, ft_object *const *args, size_t nargs, \
                         ft_object *kwnames)                                   \
    {                                                                          \
        return find_result(find_common(name, self, args, nargs, kwnames, reverse), raise); \
    }
FIND_METHOD(bytes_find, "find", false, false)
FIND_METHOD(bytes_rfind, "rfind", true, false)
FIND_METHOD(bytes_index, "index", false, true)
FIND_METHOD(bytes_rindex, "rindex", true, true)

static ft_object *bytes_count(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    BYTES_SELF("count");
    if (py_meth_findargs("bytes", "count", nargs, kwnames, 1, 3) < 0)
        return NULL;
    const char *p = NULL;
    ssize_t pn = 0, start, end;
    char one;
    if (arg_needle(args[0], &p, &pn, &one) < 0 || start_end(args, nargs, n, &start, &end) < 0)
        return NULL;
    if (end - start < pn)
        return ft_int_from_i64(0);
    if (pn == 0)
        return ft_int_from_i64(end - start + 1);
    ssize_t c = 0;
    for (ssize_t i = start;;) {
        ssize_t k = mem_find(s + i, end - i, p, pn);
        if (k < 0)
            break;
        c++;
        i += k + pn;
    }
    return ft_int_from_i64(c);
}

static ft_object *startswith_common(const char *name, ft_object *self, ft_object *const *args,
                                    size_t nargs, ft_object *kwnames, bool at_end)
{
    BYTES_SELF(name);
    if (py_meth_findargs("bytes", name, nargs, kwnames, 1, 3) < 0)
        return NULL;
    ssize_t start, end;
    if (start_end(args, nargs, n, &start, &end) < 0)
        return NULL;
    ft_object *arg = args[0];
    ssize_t count = arg->ob_type == &ft_tuple_type ? ft_len(arg) : -1;
    for (ssize_t i = 0; i < (count < 0 ? 1 : count); i++) {
        ft_object *item = count < 0 ? arg : ft_tuple_get_borrow(arg, i);
        const char *p = NULL;
        ssize_t pn = 0;
        if (!buf_of(item, &p, &pn)) {
            if (count < 0)
                return py_err_format(py_exc_TypeError,
                                     "%s first arg must be bytes or a tuple of bytes, not %s",
                                     name, py_type_name(item));
            return py_err_format(py_exc_TypeError,
                                 "a bytes-like object is required, not '%s'",
                                 py_type_name(item));
        }
        if (end - start >= pn &&
            memcmp(at_end ? s + end - pn : s + start, p, (size_t)pn) == 0)
            return py_bool_new(true);
    }
    return py_bool_new(false);
}

static ft_object *bytes_startswith(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    return startswith_common("startswith", self, args, nargs, kwnames, false);
}

static ft_object *bytes_endswith(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    return startswith_common("endswith", self, args, nargs, kwnames, true);
}

static int list_add_bytes(ft_object *list, const char *p, ssize_t n)
{
    ft_object *b = py_bytes_from_buf(p, (size_t)n);
    if (!b)
        return -1;
    int rc = ft_list_append(list, b);
    ft_decref(b);
    return rc < 0 ? py_err_from_ft_int() : 0;
}

/* Reverses a list in place (rsplit collects from the end). */
static int list_reverse(ft_object *list)
{
    ssize_t n = ft_len(list);
    for (ssize_t i = 0, j = n - 1; i < j; i++, j--) {
        ft_object *a = ft_list_get(list, i), *b = ft_list_get(list, j);
        int rc = a && b ? (ft_list_set(list, i, b) < 0 || ft_list_set(list, j, a) < 0) : 1;
        ft_xdecref(a);
        ft_xdecref(b);
        if (rc)
            return py_err_from_ft_int();
    }
    return 0;
}

static ft_object *split_common(const char *name, ft_object *self, ft_object *const *args,
                               size_t nargs, ft_object *kwnames, bool reverse)
{
    BYTES_SELF(name);
    ft_object *out[2] = { NULL, NULL };
    if (py_bind_args(name, args, nargs, kwnames, "|,sep,maxsplit", out) < 0)
        return NULL;
    ssize_t maxsplit = -1;
    if (out[1] && py_index_ssize(out[1], &maxsplit) < 0)
        return NULL;
    if (maxsplit < 0)
        maxsplit = PTRDIFF_MAX;
    const char *sep = NULL;
    ssize_t sn = 0;
    if (out[0] && out[0] != ft_none()) {
        if (arg_buf(out[0], &sep, &sn) < 0)
            return NULL;
        if (sn == 0)
            return py_err_format(py_exc_ValueError, "empty separator");
    }
    ft_object *list = ft_list_new(0);
    if (!list)
        return py_err_from_ft();
    if (!sep) {
        if (!reverse) {
            ssize_t i = 0;
            while (maxsplit-- > 0) {
                while (i < n && bspace((unsigned char)s[i]))
                    i++;
                if (i == n)
                    break;
                ssize_t j = i;
                while (i < n && !bspace((unsigned char)s[i]))
                    i++;
                if (list_add_bytes(list, s + j, i - j) < 0)
                    goto fail;
            }
            while (i < n && bspace((unsigned char)s[i]))
                i++;
            if (i < n && list_add_bytes(list, s + i, n - i) < 0)
                goto fail;
        } else {
            ssize_t i = n;
            while (maxsplit-- > 0) {
                while (i > 0 && bspace((unsigned char)s[i - 1]))
                    i--;
                if (i == 0)
                    break;
                ssize_t j = i;
                while (i > 0 && !bspace((unsigned char)s[i - 1]))
                    i--;
                if (list_add_bytes(list, s + i, j - i) < 0)
                    goto fail;
            }
            while (i > 0 && bspace((unsigned char)s[i - 1]))
                i--;
            if (i > 0 && list_add_bytes(list, s, i) < 0)
                goto fail;
            if (list_reverse(list) < 0)
                goto fail;
        }
        return list;
    }
    if (!reverse) {
        ssize_t i = 0;
        while (maxsplit-- > 0) {
            ssize_t k = mem_find(s + i, n - i, sep, sn);
            if (k < 0)
                break;
            if (list_add_bytes(list, s + i, k) < 0)
                goto fail;
            i += k + sn;
        }
        if (list_add_bytes(list, s + i, n - i) < 0)
            goto fail;
    } else {
        ssize_t j = n;
        while (maxsplit-- > 0) {
            ssize_t k = mem_rfind(s, j, sep, sn);
            if (k < 0)
                break;
            if (list_add_bytes(list, s + k + sn, j - k - sn) < 0)
                goto fail;
            j = k;
        }
        if (list_add_bytes(list, s, j) < 0 || list_reverse(list) < 0)
            goto fail;
    }
    return list;
fail:
    ft_decref(list);
    return NULL;
}

static ft_object *bytes_split(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    return split_common("split", self, args, nargs, kwnames, false);
}

static ft_object *bytes_rsplit(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    return split_common("rsplit", self, args, nargs, kwnames, true);
}

enum { STRIP_LEFT = 1, STRIP_RIGHT = 2 };

static ft_object *strip_common(const char *name, ft_object *self, ft_object *const *args,
                               size_t nargs, ft_object *kwnames, int where)
{
    BYTES_SELF(name);
    if (py_meth_clinic("bytes", name, nargs, kwnames, 0, 1) < 0)
        return NULL;
    bool set[256];
    const char *chars = NULL;
    ssize_t cn = 0;
    if (nargs == 1 && args[0] != ft_none() && arg_buf(args[0], &chars, &cn) < 0)
        return NULL;
    for (int c = 0; c < 256; c++)
        set[c] = chars ? false : bspace((unsigned char)c);
    for (ssize_t i = 0; i < cn; i++)
        set[(unsigned char)chars[i]] = true;
    ssize_t i = 0, j = n;
    if (where & STRIP_LEFT)
        while (i < j && set[(unsigned char)s[i]])
            i++;
    if (where & STRIP_RIGHT)
        while (j > i && set[(unsigned char)s[j - 1]])
            j--;
    if (i == 0 && j == n && self_b == self)
        return ft_newref(self_b);
    return py_bytes_from_buf(s + i, (size_t)(j - i));
}

#define STRIP_METHOD(fn, name, where)                                          \
    static ft_object *fn(ft_object *self, ft_object *const *args, size_t nargs, \
                         ft_object *kwnames)                                   \
    {                                                                          \
        return strip_common(name, self, args, nargs, kwnames, where);          \
    }
STRIP_METHOD(bytes_strip, "strip", STRIP_LEFT | STRIP_RIGHT)
STRIP_METHOD(bytes_lstrip, "lstrip", STRIP_LEFT)
STRIP_METHOD(bytes_rstrip, "rstrip", STRIP_RIGHT)

static ft_object *bytes_replace(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    BYTES_SELF("replace");
    if (py_meth_clinic("bytes", "replace", nargs, kwnames, 2, 3) < 0)
        return NULL;
    const char *o = NULL, *w = NULL;
    ssize_t on = 0, wn = 0, count = -1;
    if (arg_buf(args[0], &o, &on) < 0 || arg_buf(args[1], &w, &wn) < 0)
        return NULL;
    if (nargs == 3 && py_index_ssize(args[2], &count) < 0)
        return NULL;
    if (count < 0)
        count = PTRDIFF_MAX;
    py_strbuf b;   /* a byte buffer here: the result is not a str */
    py_strbuf_init(&b);
    ssize_t i = 0, done = 0;
    if (on == 0) {
        for (; done < count && i <= n; done++) {
            if (py_strbuf_append(&b, w, (size_t)wn) < 0)
                goto fail;
            if (i == n) {
                i++;
                break;
            }
            if (py_strbuf_append(&b, s + i, 1) < 0)
                goto fail;
            i++;
        }
    } else {
        while (done < count) {
            ssize_t k = mem_find(s + i, n - i, o, on);
            if (k < 0)
                break;
            if (py_strbuf_append(&b, s + i, (size_t)k) < 0 ||
                py_strbuf_append(&b, w, (size_t)wn) < 0)
                goto fail;
            i += k + on;
            done++;
        }
    }
    if (i < n && py_strbuf_append(&b, s + i, (size_t)(n - i)) < 0)
        goto fail;
    ft_object *r = py_bytes_from_buf(b.data, b.len);
    py_strbuf_free(&b);
    return r;
fail:
    py_strbuf_free(&b);
    return NULL;
}

static ft_object *partition_common(const char *name, ft_object *self, ft_object *const *args,
                                   size_t nargs, ft_object *kwnames, bool reverse)
{
    BYTES_SELF(name);
    if (py_meth_onearg("bytes", name, nargs, kwnames) < 0)
        return NULL;
    const char *p = NULL;
    ssize_t pn = 0;
    if (arg_buf(args[0], &p, &pn) < 0)
        return NULL;
    if (pn == 0)
        return py_err_format(py_exc_ValueError, "empty separator");
    ssize_t k = reverse ? mem_rfind(s, n, p, pn) : mem_find(s, n, p, pn);
    ft_object *t = ft_tuple_new(3);
    if (!t)
        return py_err_from_ft();
    ft_object *parts[3];
    if (k < 0) {
        parts[reverse ? 2 : 0] = py_bytes_from_buf(s, (size_t)n);
        parts[1] = bytes_alloc(0);
        parts[reverse ? 0 : 2] = bytes_alloc(0);
    } else {
        parts[0] = py_bytes_from_buf(s, (size_t)k);
        parts[1] = py_bytes_from_buf(p, (size_t)pn);
        parts[2] = py_bytes_from_buf(s + k + pn, (size_t)(n - k - pn));
    }
    for (int i = 0; i < 3; i++) {
        if (!parts[i]) {
            for (int j = i + 1; j < 3; j++)
                ft_xdecref(parts[j]);
            ft_decref(t);
            return NULL;
        }
        ft_tuple_set_steal(t, i, parts[i]);
    }
    return t;
}

static ft_object *bytes_partition(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    return partition_common("partition", self, args, nargs, kwnames, false);
}

static ft_object *bytes_rpartition(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    return partition_common("rpartition", self, args, nargs, kwnames, true);
}

static ft_object *bytes_join(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    BYTES_SELF("join");
    if (py_meth_onearg("bytes", "join", nargs, kwnames) < 0)
        return NULL;
    ft_object *it = py_iter(args[0]);
    if (!it) {
        if (py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            return py_err_format(py_exc_TypeError, "can only join an iterable");
        }
        return NULL;
    }
    ft_object *seq0 = py_sequence_tuple(it);
    ft_decref(it);
    /* bytearray items as bytes snapshots */
    ft_object *seq = seq0 ? snap_arg(seq0) : NULL;
    ft_xdecref(seq0);
    if (!seq)
        return NULL;
    py_strbuf b;
    py_strbuf_init(&b);
    ssize_t count = ft_len(seq);
    for (ssize_t i = 0; i < count; i++) {
        ft_object *item = ft_tuple_get_borrow(seq, i);
        const char *p = NULL;
        ssize_t pn = 0;
        if (!buf_of(item, &p, &pn)) {
            py_err_format(py_exc_TypeError,
                          "sequence item %zd: expected a bytes-like object, %s found", i,
                          py_type_name(item));
            goto fail;
        }
        if ((i > 0 && py_strbuf_append(&b, s, (size_t)n) < 0) ||
            py_strbuf_append(&b, p, (size_t)pn) < 0)
            goto fail;
    }
    ft_decref(seq);
    ft_object *r = py_bytes_from_buf(b.data, b.len);
    py_strbuf_free(&b);
    return r;
fail:
    ft_decref(seq);
    py_strbuf_free(&b);
    return NULL;
}

static ft_object *case_common(const char *name, ft_object *self, size_t nargs,
                              ft_object *kwnames, bool upper)
{
    BYTES_SELF(name);
    if (py_meth_noargs("bytes", name, nargs, kwnames) < 0)
        return NULL;
    ft_object *r = bytes_alloc(n);
    if (!r)
        return NULL;
    char *d = as_bytes(r)->data;
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (upper && c >= 'a' && c <= 'z')
            c -= 32;
        else if (!upper && c >= 'A' && c <= 'Z')
            c += 32;
        d[i] = (char)c;
    }
    return r;
}

static ft_object *bytes_upper(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args;
    return case_common("upper", self, nargs, kwnames, true);
}

static ft_object *bytes_lower(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args;
    return case_common("lower", self, nargs, kwnames, false);
}

enum { B_DIGIT, B_ALPHA, B_ALNUM, B_SPACE, B_UPPER, B_LOWER, B_ASCII };

static bool byte_is(int what, unsigned char c)
{
    bool d = c >= '0' && c <= '9', up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
    switch (what) {
    case B_DIGIT: return d;
    case B_ALPHA: return up || lo;
    case B_ALNUM: return d || up || lo;
    case B_SPACE: return bspace(c);
    default:      return c < 0x80;
    }
}

static ft_object *bytes_predicate(const char *name, ft_object *self, size_t nargs,
                                  ft_object *kwnames, int what)
{
    BYTES_SELF(name);
    if (py_meth_noargs("bytes", name, nargs, kwnames) < 0)
        return NULL;
    if (what == B_UPPER || what == B_LOWER) {
        bool cased = false;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            bool up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
            if (what == B_UPPER ? lo : up)
                return py_bool_new(false);
            cased |= what == B_UPPER ? up : lo;
        }
        return py_bool_new(cased);
    }
    if (n == 0)
        return py_bool_new(what == B_ASCII);
    for (ssize_t i = 0; i < n; i++)
        if (!byte_is(what, (unsigned char)s[i]))
            return py_bool_new(false);
    return py_bool_new(true);
}

#define BPRED(fn, name, what)                                                  \
    static ft_object *fn(ft_object *self, ft_object *const *args, size_t nargs, \
                         ft_object *kwnames)                                   \
    {                                                                          \
        (void)args;                                                            \
        return bytes_predicate(name, self, nargs, kwnames, what);              \
    }
BPRED(bytes_isdigit, "isdigit", B_DIGIT)
BPRED(bytes_isalpha, "isalpha", B_ALPHA)
BPRED(bytes_isalnum, "isalnum", B_ALNUM)
BPRED(bytes_isspace, "isspace", B_SPACE)
BPRED(bytes_isupper, "isupper", B_UPPER)
BPRED(bytes_islower, "islower", B_LOWER)
BPRED(bytes_isascii, "isascii", B_ASCII)

static int opt_cstr(const char *fname, const char *pname, ft_object *o, const char **out)
{
    if (!o)
        return 0;
    ft_object *s = py_str_unbox_borrow(o);
    if (!s)
        return py_err_format_int(py_exc_TypeError, "%s() argument '%s' must be str, not %s",
                                 fname, pname, py_type_name(o));
    *out = ft_str_utf8_borrow(s, NULL);
    return 0;
}

static ft_object *bytes_decode(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    BYTES_SELF("decode");
    ft_object *out[2] = { NULL, NULL };
    if (py_bind_args("decode", args, nargs, kwnames, "|,encoding,errors", out) < 0)
        return NULL;
    const char *enc = NULL, *errs = NULL;
    if (opt_cstr("decode", "encoding", out[0], &enc) < 0 ||
        opt_cstr("decode", "errors", out[1], &errs) < 0)
        return NULL;
    return py_bytes_decode(s, n, enc, errs);
}

static ft_object *bytes_hex(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    BYTES_SELF("hex");
    ft_object *out[2] = { NULL, NULL };
    if (py_bind_args("hex", args, nargs, kwnames, "|,sep,bytes_per_sep", out) < 0)
        return NULL;
    const char *sep = NULL;
    ssize_t sepn = 0, per = 1;
    if (out[0]) {
        ft_object *ss = py_str_unbox_borrow(out[0]);
        if (ss) {
            sep = ft_str_utf8_borrow(ss, &sepn);
            if (ft_len(ss) != 1)
                return py_err_format(py_exc_ValueError, "sep must be length 1.");
        } else if (buf_of(out[0], &sep, &sepn)) {
            if (sepn != 1)
                return py_err_format(py_exc_ValueError, "sep must be length 1.");
        } else {
            /* CPython measures sep before checking its type */
            ssize_t len = py_len(out[0]);
            if (len < 0)
                return NULL;
            if (len != 1)
                return py_err_format(py_exc_ValueError, "sep must be length 1.");
            return py_err_format(py_exc_TypeError, "sep must be str or bytes.");
        }
    }
    if (out[1] && py_index_ssize(out[1], &per) < 0)
        return NULL;
    static const char hx[] = "0123456789abcdef";
    py_strbuf b;
    py_strbuf_init(&b);
    ssize_t aper = per < 0 ? -per : per;
    for (ssize_t i = 0; i < n; i++) {
        /* separators are counted from the right for a positive count */
        if (sep && i > 0 && aper > 0 &&
            (per > 0 ? (n - i) % aper == 0 : i % aper == 0) &&
            py_strbuf_append(&b, sep, (size_t)sepn) < 0)
            goto fail;
        char two[2] = { hx[(unsigned char)s[i] >> 4], hx[(unsigned char)s[i] & 15] };
        if (py_strbuf_append(&b, two, 2) < 0)
            goto fail;
    }
    return py_strbuf_finish(&b);
fail:
    py_strbuf_free(&b);
    return NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static ft_object *bytes_fromhex(ft_object *cls, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    if (py_meth_onearg("bytes", "fromhex", nargs, kwnames) < 0)
        return NULL;
    ft_object *str = py_str_unbox_borrow(args[0]);
    if (!str)
        return py_err_format(py_exc_TypeError, "fromhex() argument must be str, not %s",
                             py_type_name(args[0]));
    ssize_t n;
    const char *s = ft_str_utf8_borrow(str, &n);
    py_strbuf b;
    py_strbuf_init(&b);
    for (ssize_t i = 0; i < n;) {
        if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
            i++;
            continue;
        }
        int hi = hexval(s[i]);
        int lo = i + 1 < n ? hexval(s[i + 1]) : -1;
        if (hi < 0 || lo < 0) {
            ssize_t at = hi < 0 ? i : i + 1;
            py_strbuf_free(&b);
            /* positions count characters */
            ssize_t cpos = 0;
            for (ssize_t k = 0; k < at; k++)
                cpos += ((unsigned char)s[k] & 0xC0) != 0x80;
            return py_err_format(py_exc_ValueError,
                                 "non-hexadecimal number found in fromhex() arg at position %zd",
                                 cpos);
        }
        char c = (char)(hi * 16 + lo);
        if (py_strbuf_append(&b, &c, 1) < 0) {
            py_strbuf_free(&b);
            return NULL;
        }
        i += 2;
    }
    ft_object *r = py_bytes_from_buf(b.data, b.len);
    py_strbuf_free(&b);
    if (r && cls && cls != (ft_object *)&py_bytes_class) {
        /* a subclass: cls(bytes) */
        ft_object *sub = py_call1(cls, r);
        ft_decref(r);
        return sub;
    }
    return r;
}

static ft_object *bytes_getnewargs(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)args;
    BYTES_SELF("__getnewargs__");
    if (py_meth_noargs("bytes", "__getnewargs__", nargs, kwnames) < 0)
        return NULL;
    ft_object *t = ft_tuple_new(1);
    ft_object *copy = t ? py_bytes_from_buf(s, (size_t)n) : NULL;
    if (!copy) {
        ft_xdecref(t);
        return t ? NULL : py_err_from_ft();
    }
    ft_tuple_set_steal(t, 0, copy);
    return t;
}

/* splitlines, padding, prefixes, translate, more case conversions:
 * ASCII-only rules (b"\r\n", b"\r", b"\n" end lines). */
static ft_object *bytes_splitlines(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    BYTES_SELF("splitlines");
    ft_object *out[1] = { NULL };
    if (py_bind_args("splitlines", args, nargs, kwnames, "|,keepends", out) < 0)
        return NULL;
    int keep = 0;
    if (out[0] && (keep = py_is_true(out[0])) < 0)
        return NULL;
    ft_object *list = ft_list_new(0);
    if (!list)
        return py_err_from_ft();
    for (ssize_t i = 0; i < n;) {
        ssize_t j = i;
        while (j < n && s[j] != '\n' && s[j] != '\r')
            j++;
        ssize_t eol = j;
        if (j < n)
            eol += s[j] == '\r' && j + 1 < n && s[j + 1] == '\n' ? 2 : 1;
        if (list_add_bytes(list, s + i, (keep ? eol : j) - i) < 0) {
            ft_decref(list);
            return NULL;
        }
        i = eol;
    }
    return list;
}

/* width and an optional one-byte fill for center/ljust/rjust. */
static int pad_args(const char *name, ft_object *const *args, size_t nargs, ft_object *kwnames,
                    ssize_t *width, char *fill)
{
    if (py_meth_clinic("bytes", name, nargs, kwnames, 1, 2) < 0 ||
        py_index_ssize(args[0], width) < 0)
        return -1;
    *fill = ' ';
    if (nargs == 2) {
        const char *p;
        ssize_t pn;
        if (!buf_of(args[1], &p, &pn) || pn != 1)
            return py_err_format_int(py_exc_TypeError,
                                     "%s() argument 2 must be a byte string of length 1, not %s",
                                     name, py_type_name(args[1]));
        *fill = p[0];
    }
    return 0;
}

static ft_object *bytes_pad(ft_object *self_b, ssize_t left, ssize_t right, char fill)
{
    py_bytes_object *b = as_bytes(self_b);
    if (left < 0)
        left = 0;
    if (right < 0)
        right = 0;
    if (left == 0 && right == 0 && self_b->ob_type == &py_bytes_class.ft)
        return ft_newref(self_b);
    ft_object *r = bytes_alloc(b->size + left + right);
    if (!r)
        return NULL;
    memset(as_bytes(r)->data, fill, (size_t)left);
    memcpy(as_bytes(r)->data + left, b->data, (size_t)b->size);
    memset(as_bytes(r)->data + left + b->size, fill, (size_t)right);
    return r;
}

static ft_object *bytes_center(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    BYTES_SELF("center");
    (void)s;
    ssize_t width;
    char fill;
    if (pad_args("center", args, nargs, kwnames, &width, &fill) < 0)
        return NULL;
    ssize_t marg = width > n ? width - n : 0;
    ssize_t left = marg / 2 + (marg & width & 1);
    return bytes_pad(self_b, left, marg - left, fill);
}

static ft_object *bytes_ljust(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    BYTES_SELF("ljust");
    (void)s;
    ssize_t width;
    char fill;
    if (pad_args("ljust", args, nargs, kwnames, &width, &fill) < 0)
        return NULL;
    return bytes_pad(self_b, 0, width - n, fill);
}

static ft_object *bytes_rjust(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    BYTES_SELF("rjust");
    (void)s;
    ssize_t width;
    char fill;
    if (pad_args("rjust", args, nargs, kwnames, &width, &fill) < 0)
        return NULL;
    return bytes_pad(self_b, width - n, 0, fill);
}

static ft_object *bytes_zfill(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    BYTES_SELF("zfill");
    ssize_t width;
    if (py_meth_onearg("bytes", "zfill", nargs, kwnames) < 0 ||
        py_index_ssize(args[0], &width) < 0)
        return NULL;
    if (width <= n)
        return bytes_pad(self_b, 0, 0, ' ');
    ft_object *r = bytes_pad(self_b, width - n, 0, '0');
    if (r && n > 0 && (s[0] == '+' || s[0] == '-')) {
        as_bytes(r)->data[0] = s[0];
        as_bytes(r)->data[width - n] = '0';
    }
    return r;
}

static ft_object *affix_common(const char *name, ft_object *self, ft_object *const *args,
                               size_t nargs, ft_object *kwnames, bool suffix)
{
    BYTES_SELF(name);
    if (py_meth_onearg("bytes", name, nargs, kwnames) < 0)
        return NULL;
    const char *p = NULL;
    ssize_t pn = 0;
    if (arg_buf(args[0], &p, &pn) < 0)
        return NULL;
    if (pn > 0 && pn <= n && memcmp(suffix ? s + n - pn : s, p, (size_t)pn) == 0)
        return py_bytes_from_buf(suffix ? s : s + pn, (size_t)(n - pn));
    return bytes_pad(self_b, 0, 0, ' ');
}

static ft_object *bytes_removeprefix(ft_object *self, ft_object *const *args, size_t nargs,
                                     ft_object *kwnames)
{
    return affix_common("removeprefix", self, args, nargs, kwnames, false);
}

static ft_object *bytes_removesuffix(ft_object *self, ft_object *const *args, size_t nargs,
                                     ft_object *kwnames)
{
    return affix_common("removesuffix", self, args, nargs, kwnames, true);
}

/* translate(table, /, delete=b''): table is None or 256 bytes. */
static ft_object *bytes_translate(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    BYTES_SELF("translate");
    ft_object *out[2] = { NULL, NULL };
    if (py_bind_args("translate", args, nargs, kwnames, "table,/,|,delete", out) < 0)
        return NULL;
    const char *table = NULL, *del = NULL;
    ssize_t tn = 0, dn = 0;
    if (out[0] != ft_none()) {
        if (arg_buf(out[0], &table, &tn) < 0)
            return NULL;
        if (tn != 256)
            return py_err_format(py_exc_ValueError,
                                 "translation table must be 256 characters long");
    }
    if (out[1] && arg_buf(out[1], &del, &dn) < 0)
        return NULL;
    bool drop[256] = { false };
    for (ssize_t i = 0; i < dn; i++)
        drop[(unsigned char)del[i]] = true;
    ft_object *r = bytes_alloc(n);
    if (!r)
        return NULL;
    ssize_t k = 0;
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!drop[c])
            as_bytes(r)->data[k++] = table ? table[c] : (char)c;
    }
    as_bytes(r)->size = k;
    as_bytes(r)->data[k] = '\0';
    return r;
}

static ft_object *bytes_maketrans(ft_object *cls, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)cls;
    if (py_meth_clinic("bytes", "maketrans", nargs, kwnames, 2, 2) < 0)
        return NULL;
    const char *a = NULL, *b = NULL;
    ssize_t an = 0, bn = 0;
    if (arg_buf(args[0], &a, &an) < 0 || arg_buf(args[1], &b, &bn) < 0)
        return NULL;
    if (an != bn)
        return py_err_format(py_exc_ValueError, "maketrans arguments must have same length");
    ft_object *r = bytes_alloc(256);
    if (!r)
        return NULL;
    for (int i = 0; i < 256; i++)
        as_bytes(r)->data[i] = (char)i;
    for (ssize_t i = 0; i < an; i++)
        as_bytes(r)->data[(unsigned char)a[i]] = b[i];
    return r;
}

enum { BC_CAPITALIZE, BC_SWAPCASE, BC_TITLE };

static ft_object *bytes_case2(const char *name, ft_object *self, size_t nargs,
                              ft_object *kwnames, int how)
{
    BYTES_SELF(name);
    if (py_meth_noargs("bytes", name, nargs, kwnames) < 0)
        return NULL;
    ft_object *r = bytes_alloc(n);
    if (!r)
        return NULL;
    bool prev_cased = false;
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
        bool to_upper = how == BC_SWAPCASE ? lo : how == BC_CAPITALIZE ? i == 0 : !prev_cased;
        if (to_upper && lo)
            c -= 32;
        else if (!to_upper && up && (how != BC_SWAPCASE || up))
            c += 32;
        prev_cased = up || lo;
        as_bytes(r)->data[i] = (char)c;
    }
    return r;
}

static ft_object *bytes_capitalize(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    (void)args;
    return bytes_case2("capitalize", self, nargs, kwnames, BC_CAPITALIZE);
}

static ft_object *bytes_swapcase(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    (void)args;
    return bytes_case2("swapcase", self, nargs, kwnames, BC_SWAPCASE);
}

static ft_object *bytes_title(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args;
    return bytes_case2("title", self, nargs, kwnames, BC_TITLE);
}

static ft_object *bytes_istitle(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)args;
    BYTES_SELF("istitle");
    if (py_meth_noargs("bytes", "istitle", nargs, kwnames) < 0)
        return NULL;
    /* uppercase only after an uncased byte, lowercase only after a cased one */
    bool prev_cased = false, cased = false;
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
        if ((up && prev_cased) || (lo && !prev_cased))
            return py_bool_new(false);
        cased |= up;
        prev_cased = up || lo;
    }
    return py_bool_new(cased);
}

static ft_object *bytes_expandtabs(ft_object *self, ft_object *const *args, size_t nargs,
                                   ft_object *kwnames)
{
    BYTES_SELF("expandtabs");
    ft_object *out[1] = { NULL };
    if (py_bind_args("expandtabs", args, nargs, kwnames, "|,tabsize", out) < 0)
        return NULL;
    ssize_t tab = 8;
    if (out[0] && py_index_ssize(out[0], &tab) < 0)
        return NULL;
    py_strbuf b;   /* bytes, not text */
    py_strbuf_init(&b);
    ssize_t col = 0;
    for (ssize_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\t') {
            if (tab > 0) {
                ssize_t k = tab - col % tab;
                col += k;
                for (; k > 0; k--)
                    if (py_strbuf_append(&b, " ", 1) < 0)
                        goto fail;
            }
            continue;
        }
        if (py_strbuf_append(&b, &c, 1) < 0)
            goto fail;
        col = c == '\n' || c == '\r' ? 0 : col + 1;
    }
    ft_object *r = py_bytes_from_buf(b.data, b.len);
    py_strbuf_free(&b);
    return r;
fail:
    py_strbuf_free(&b);
    return NULL;
}

/* The methods that take bytes-like arguments see bytearray arguments as
 * bytes snapshots (call_snapped). */
#define BSNAP(fn)                                                                  \
    static ft_object *fn##_s(ft_object *self, ft_object *const *args, size_t nargs, \
                             ft_object *kwnames)                                   \
    {                                                                              \
        return call_snapped(fn, self, args, nargs, kwnames);                       \
    }
BSNAP(bytes_center)
BSNAP(bytes_count)
BSNAP(bytes_endswith)
BSNAP(bytes_find)
BSNAP(bytes_hex)
BSNAP(bytes_index)
BSNAP(bytes_ljust)
BSNAP(bytes_lstrip)
BSNAP(bytes_maketrans)
BSNAP(bytes_partition)
BSNAP(bytes_removeprefix)
BSNAP(bytes_removesuffix)
BSNAP(bytes_replace)
BSNAP(bytes_rfind)
BSNAP(bytes_rindex)
BSNAP(bytes_rjust)
BSNAP(bytes_rpartition)
BSNAP(bytes_rsplit)
BSNAP(bytes_rstrip)
BSNAP(bytes_split)
BSNAP(bytes_startswith)
BSNAP(bytes_strip)
BSNAP(bytes_translate)

static const py_method_def bytes_methods[] = {
    {"capitalize", bytes_capitalize, PY_METH_DEFAULT},
    {"center", bytes_center_s, PY_METH_DEFAULT},
    {"count", bytes_count_s, PY_METH_DEFAULT},
    {"decode", bytes_decode, PY_METH_DEFAULT},
    {"endswith", bytes_endswith_s, PY_METH_DEFAULT},
    {"expandtabs", bytes_expandtabs, PY_METH_DEFAULT},
    {"find", bytes_find_s, PY_METH_DEFAULT},
    {"fromhex", bytes_fromhex, PY_METH_CLASS},
    {"hex", bytes_hex_s, PY_METH_DEFAULT},
    {"index", bytes_index_s, PY_METH_DEFAULT},
    {"isalnum", bytes_isalnum, PY_METH_DEFAULT},
    {"isalpha", bytes_isalpha, PY_METH_DEFAULT},
    {"isascii", bytes_isascii, PY_METH_DEFAULT},
    {"isdigit", bytes_isdigit, PY_METH_DEFAULT},
    {"islower", bytes_islower, PY_METH_DEFAULT},
    {"isspace", bytes_isspace, PY_METH_DEFAULT},
    {"istitle", bytes_istitle, PY_METH_DEFAULT},
    {"isupper", bytes_isupper, PY_METH_DEFAULT},
    {"join", bytes_join, PY_METH_DEFAULT},
    {"ljust", bytes_ljust_s, PY_METH_DEFAULT},
    {"lower", bytes_lower, PY_METH_DEFAULT},
    {"lstrip", bytes_lstrip_s, PY_METH_DEFAULT},
    {"maketrans", bytes_maketrans_s, PY_METH_STATIC},
    {"partition", bytes_partition_s, PY_METH_DEFAULT},
    {"removeprefix", bytes_removeprefix_s, PY_METH_DEFAULT},
    {"removesuffix", bytes_removesuffix_s, PY_METH_DEFAULT},
    {"replace", bytes_replace_s, PY_METH_DEFAULT},
    {"rfind", bytes_rfind_s, PY_METH_DEFAULT},
    {"rindex", bytes_rindex_s, PY_METH_DEFAULT},
    {"rjust", bytes_rjust_s, PY_METH_DEFAULT},
    {"rpartition", bytes_rpartition_s, PY_METH_DEFAULT},
    {"rsplit", bytes_rsplit_s, PY_METH_DEFAULT},
    {"rstrip", bytes_rstrip_s, PY_METH_DEFAULT},
    {"split", bytes_split_s, PY_METH_DEFAULT},
    {"splitlines", bytes_splitlines, PY_METH_DEFAULT},
    {"startswith", bytes_startswith_s, PY_METH_DEFAULT},
    {"strip", bytes_strip_s, PY_METH_DEFAULT},
    {"swapcase", bytes_swapcase, PY_METH_DEFAULT},
    {"title", bytes_title, PY_METH_DEFAULT},
    {"translate", bytes_translate_s, PY_METH_DEFAULT},
    {"upper", bytes_upper, PY_METH_DEFAULT},
    {"zfill", bytes_zfill, PY_METH_DEFAULT},
    {"__getnewargs__", bytes_getnewargs, PY_METH_DEFAULT},
    {NULL, NULL, 0},
};

/* ---- Construction ------------------------------------------------------------------------ */

/* bytes(iterable of ints) */
static ft_object *bytes_from_iterable(ft_object *src)
{
    ft_object *it = py_iter(src);
    if (!it) {
        if (py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            return py_err_format(py_exc_TypeError, "cannot convert '%s' object to bytes",
                                 py_type_name(src));
        }
        return NULL;
    }
    py_strbuf b;
    py_strbuf_init(&b);
    ft_object *item;
    while ((item = py_iter_next(it)) != NULL) {
        int c = 0;
        int rc = byte_value(item, &c, "bytes must be in range(0, 256)");
        ft_decref(item);
        if (rc < 0)
            goto fail;
        char ch = (char)c;
        if (py_strbuf_append(&b, &ch, 1) < 0)
            goto fail;
    }
    if (py_err_occurred())
        goto fail;
    ft_decref(it);
    ft_object *r = py_bytes_from_buf(b.data, b.len);
    py_strbuf_free(&b);
    return r;
fail:
    ft_decref(it);
    py_strbuf_free(&b);
    return NULL;
}

/* Only ever called with cls == bytes: typeobject.c boxes the result for
 * subclasses. */
static ft_object *bytes_new(py_type *cls, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)cls;
    ft_object *out[3] = { NULL, NULL, NULL };
    if (py_bind_args("bytes", args, nargs, kwnames, "|,source,encoding,errors", out) < 0)
        return NULL;
    ft_object *src = out[0];
    const char *enc0 = NULL, *errs0 = NULL;
    if (opt_cstr("bytes", "encoding", out[1], &enc0) < 0 ||
        opt_cstr("bytes", "errors", out[2], &errs0) < 0)
        return NULL;
    if (!src) {
        if (out[1] || out[2])
            return py_err_format(py_exc_TypeError, out[1] ? "encoding without a string argument"
                                                          : "errors without a string argument");
        return bytes_alloc(0);
    }
    if (py_str_check(src)) {
        if (!out[1])
            return py_err_format(py_exc_TypeError, "string argument without an encoding");
        const char *enc = NULL, *errs = NULL;
        if (opt_cstr("bytes", "encoding", out[1], &enc) < 0 ||
            opt_cstr("bytes", "errors", out[2], &errs) < 0)
            return NULL;
        return py_str_encode(src, enc, errs);
    }
    if (out[1] || out[2])
        return py_err_format(py_exc_TypeError, out[1] ? "encoding without a string argument"
                                                      : "errors without a string argument");
    ft_object *bo = bytes_unbox(src);
    if (bo)
        return bo == src ? ft_newref(bo)
                         : py_bytes_from_buf(as_bytes(bo)->data, (size_t)as_bytes(bo)->size);
    if (ba_unbox(src))
        return py_bytearray_snapshot(src);
    ft_object *meth;
    int found = py_lookup_special(src, PY_ID(__bytes__), &meth);
    if (found < 0)
        return NULL;
    if (found) {
        ft_object *r = py_call0(meth);
        ft_decref(meth);
        if (r && !bytes_unbox(r)) {
            py_err_format(py_exc_TypeError, "__bytes__ returned non-bytes (type %s)",
                          py_type_name(r));
            ft_decref(r);
            return NULL;
        }
        return r;
    }
    if (has_index(src)) {
        ssize_t count;
        if (py_index_ssize(src, &count) < 0)
            return NULL;
        if (count < 0)
            return py_err_format(py_exc_ValueError, "negative count");
        ft_object *r = bytes_alloc(count);
        if (r)
            memset(as_bytes(r)->data, 0, (size_t)count);
        return r;
    }
    return bytes_from_iterable(src);
}

py_type py_bytes_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "bytes",
        /* the instances' real size is bytes_sizeof's: this is the
         * size a boxed subclass builds on, as for the other boxables */
        .tp_basicsize = sizeof(ft_object),
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE,
        .tp_dealloc = bytes_dealloc,
        .tp_sizeof = bytes_sizeof,
        .tp_hash = bytes_hash,
        .tp_eq = bytes_eq,
        .tp_repr = bytes_repr,
        .tp_len = bytes_len,
    },
    .tp_binop = bytes_binop,
    .tp_richcompare = bytes_richcompare,
    .tp_bool = bytes_bool,
    .tp_getitem = bytes_getitem,
    .tp_contains = bytes_contains,
    .tp_iter = bytes_iter_new,
    .tp_new = bytes_new,
    .tp_methods = bytes_methods,
    .tp_box = &py_bytes_class.ft,
};

/* ---- bytearray ------------------------------------------------------------------------
 * A py_bytearray_object (str.h): size, capacity and an ft_malloc'd buffer
 * (NUL-terminated). Reads and writes of the buffer happen inside a
 * critical section on the object and never run Python code there: every
 * argument is first turned into plain C values or a bytes snapshot, then
 * the buffer is locked and changed. The non-mutating methods are bytes'
 * methods run on a snapshot of self, their bytes results (alone, in a
 * list or in a tuple) made into bytearrays. */

static py_bytearray_object *as_ba(ft_object *o) { return (py_bytearray_object *)o; }

/* The bytearray inside o (o itself, or the box of a subclass), or NULL. */
static ft_object *ba_unbox(ft_object *o)
{
    if (o->ob_type == &py_bytearray_class.ft)
        return o;
    return py_unbox_borrow(o, &py_bytearray_class.ft);
}

static ft_object *ba_alloc(void)
{
    ft_object *o = ft_object_new(&py_bytearray_class.ft, sizeof(py_bytearray_object));
    return o ? o : py_err_from_ft();
}

/* Makes room for n bytes (+ NUL); the caller holds the object's section
 * (or owns the object alone). 0, or -1 with MemoryError. */
static int ba_reserve(py_bytearray_object *b, ssize_t n)
{
    if (n <= b->alloc && b->data)
        return 0;
    if (n < 0 || (size_t)n > SIZE_MAX / 4)
        return -1;
    /* CPython's policy (its alloc counts the NUL): exact for a first or a
     * big jump, 1/8 over when growing a little (append in a loop) */
    ssize_t cur = b->data ? b->alloc + 1 : 0;
    ssize_t cap = n <= cur + (cur >> 3) ? n + (n >> 3) + (n < 9 ? 3 : 6) : n + 1;
    cap -= 1;
    char *d = ft_realloc(b->data, (size_t)cap + 1);
    if (!d)
        return -1;
    b->data = d;
    b->alloc = cap;
    return 0;
}

/* Replaces bytes [lo, hi) of b with src[0..n) (the caller holds the
 * section; src never points into b). 0 or -1 (no exception set). */
static int ba_splice(py_bytearray_object *b, ssize_t lo, ssize_t hi, const char *src,
                     ssize_t n)
{
    ssize_t newsize = b->size - (hi - lo) + n;
    if (newsize > b->size && ba_reserve(b, newsize) < 0)
        return -1;
    if (b->data) {
        memmove(b->data + lo + n, b->data + hi, (size_t)(b->size - hi));
        if (n)
            memcpy(b->data + lo, src, (size_t)n);
        b->size = newsize;
        b->data[newsize] = '\0';
    }
    return 0;
}

ft_object *py_bytearray_from_buf(const char *s, size_t n)
{
    ft_object *o = ba_alloc();
    if (!o)
        return NULL;
    if (ba_splice(as_ba(o), 0, 0, s, (ssize_t)n) < 0) {
        ft_decref(o);
        return py_err_nomemory();
    }
    return o;
}

ft_object *py_bytearray_snapshot(ft_object *ba)
{
    ft_object *o = ba_unbox(ba);
    if (!o)
        return py_err_format(py_exc_TypeError, "expected a bytearray, not %s",
                             py_type_name(ba));
    ft_object *r = NULL;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o);
    /* bytes_alloc does not run Python code */
    r = bytes_alloc(as_ba(o)->size);
    if (r && as_ba(o)->size)
        memcpy(as_bytes(r)->data, as_ba(o)->data, (size_t)as_ba(o)->size);
    FT_END_CRITICAL_SECTION();
    return r;
}

ft_object *py_bytes_like_ref(ft_object *o)
{
    ft_object *b = bytes_unbox(o);
    if (b)
        return b == o ? ft_newref(o)
                      : py_bytes_from_buf(as_bytes(b)->data, (size_t)as_bytes(b)->size);
    if (ba_unbox(o))
        return py_bytearray_snapshot(o);
    return NULL;
}

static void ba_dealloc(ft_object *o)
{
    ft_free(as_ba(o)->data);
    ft_object_free(o);
}

static size_t ba_sizeof(ft_object *o)
{
    return sizeof(py_bytearray_object) + (as_ba(o)->data ? (size_t)as_ba(o)->alloc + 1 : 0);
}

/* The bytearray made of a bytes result (a new reference; steals r). */
static ft_object *ba_from_bytes_steal(ft_object *r)
{
    if (!r)
        return NULL;
    ft_object *b = py_bytearray_from_buf(as_bytes(r)->data, (size_t)as_bytes(r)->size);
    ft_decref(r);
    return b;
}

/* The result of a bytes method run for a bytearray: bytes become
 * bytearrays, also inside a list (split) or a tuple (partition). Steals r. */
static ft_object *ba_convert_result(ft_object *r)
{
    if (!r)
        return NULL;
    if (r->ob_type == &py_bytes_class.ft)
        return ba_from_bytes_steal(r);
    bool list = r->ob_type == &ft_list_type;
    if (!list && r->ob_type != &ft_tuple_type)
        return r;
    ssize_t n = ft_len(r);
    ft_object *out = list ? ft_list_new(n) : ft_tuple_new(n);
    if (!out) {
        ft_decref(r);
        return py_err_from_ft();
    }
    for (ssize_t i = 0; i < n; i++) {
        ft_object *x = list ? ft_list_get(r, i) : ft_newref(ft_tuple_get_borrow(r, i));
        ft_object *y = x && x->ob_type == &py_bytes_class.ft ? ba_from_bytes_steal(x) : x;
        if (!y) {
            ft_decref(out);
            ft_decref(r);
            return py_err_occurred() ? NULL : py_err_from_ft();
        }
        if (list) {
            int rc = ft_list_set(out, i, y);
            ft_decref(y);
            if (rc < 0) {
                ft_decref(out);
                ft_decref(r);
                return py_err_from_ft();
            }
        } else {
            ft_tuple_set_steal(out, i, y);
        }
    }
    ft_decref(r);
    return out;
}

/* A bytearray argument as a bytes snapshot; a tuple holding bytearrays
 * (startswith) as a tuple of snapshots; anything else as itself. New
 * reference or NULL. */
static ft_object *snap_arg(ft_object *a)
{
    if (ba_unbox(a))
        return py_bytearray_snapshot(a);
    if (a->ob_type != &ft_tuple_type)
        return ft_newref(a);
    ssize_t n = ft_len(a);
    bool any = false;
    for (ssize_t i = 0; i < n && !any; i++)
        any = ba_unbox(ft_tuple_get_borrow(a, i)) != NULL;
    if (!any)
        return ft_newref(a);
    ft_object *t = ft_tuple_new(n);
    if (!t)
        return py_err_from_ft();
    for (ssize_t i = 0; i < n; i++) {
        ft_object *x = snap_arg(ft_tuple_get_borrow(a, i));
        if (!x) {
            ft_decref(t);
            return NULL;
        }
        ft_tuple_set_steal(t, i, x);
    }
    return t;
}

static bool needs_snap(ft_object *a)
{
    if (a->ob_type == &py_bytes_class.ft || a->ob_type == &ft_str_type ||
        a->ob_type == &ft_int_type || a == ft_none())
        return false;
    if (ba_unbox(a))
        return true;
    if (a->ob_type != &ft_tuple_type)
        return false;
    for (ssize_t i = 0, n = ft_len(a); i < n; i++)
        if (ba_unbox(ft_tuple_get_borrow(a, i)))
            return true;
    return false;
}

/* Calls fn(self, args...) with every bytearray argument replaced by a
 * bytes snapshot: the bytes methods only ever read bytes objects, whose
 * data no other thread can change or free. */
static ft_object *call_snapped(py_cfunc fn, ft_object *self, ft_object *const *args,
                               size_t nargs, ft_object *kwnames)
{
    size_t total = nargs + (size_t)(kwnames ? ft_len(kwnames) : 0);
    size_t i = 0;
    while (i < total && !needs_snap(args[i]))
        i++;
    if (i == total)
        return fn(self, args, nargs, kwnames);
    ft_object *buf[8], **a = total <= 8 ? buf : ft_malloc(total * sizeof *a);
    if (!a)
        return py_err_from_ft();
    size_t made = 0;
    ft_object *r = NULL;
    for (; made < total; made++)
        if (!(a[made] = snap_arg(args[made])))
            goto done;
    r = fn(self, a, nargs, kwnames);
done:
    for (size_t k = 0; k < made; k++)
        ft_decref(a[k]);
    if (a != buf)
        ft_free(a);
    return r;
}

static ft_object *ba_descr_error(const char *name, ft_object *self)
{
    return py_err_format(py_exc_TypeError,
                         "descriptor '%s' for 'bytearray' objects doesn't apply to a '%s' "
                         "object", name, py_type_name(self));
}

/* A bytes method run for a bytearray. kind < 0: the bytes method checks
 * the arguments itself (its messages do not name the class). */
static ft_object *ba_call_bytes_method(const char *name, py_cfunc fn, int kind, size_t min,
                                       size_t max, ft_object *self, ft_object *const *args,
                                       size_t nargs, ft_object *kwnames)
{
    if (!ba_unbox(self))
        return ba_descr_error(name, self);
    if (kind >= 0 && py_meth_args(kind, "bytearray", name, nargs, kwnames, min, max) < 0)
        return NULL;
    ft_object *snap = py_bytearray_snapshot(self);
    if (!snap)
        return NULL;
    ft_object *r = call_snapped(fn, snap, args, nargs, kwnames);
    ft_decref(snap);
    return ba_convert_result(r);
}

#define BA_WRAP(pyname, kind, min, max)                                              \
    static ft_object *ba_##pyname(ft_object *self, ft_object *const *args, size_t nargs, \
                                  ft_object *kwnames)                                \
    {                                                                                \
        return ba_call_bytes_method(#pyname, bytes_##pyname, kind, min, max, self, args, \
                                    nargs, kwnames);                                 \
    }
BA_WRAP(capitalize, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(center, PY_ARGK_CLINIC, 1, 2)
BA_WRAP(count, -1, 0, 0)
BA_WRAP(decode, -1, 0, 0)
BA_WRAP(endswith, -1, 0, 0)
BA_WRAP(expandtabs, -1, 0, 0)
BA_WRAP(find, -1, 0, 0)
BA_WRAP(hex, -1, 0, 0)
BA_WRAP(index, -1, 0, 0)
BA_WRAP(isalnum, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(isalpha, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(isascii, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(isdigit, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(islower, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(isspace, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(istitle, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(isupper, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(join, PY_ARGK_O, 1, 1)
BA_WRAP(ljust, PY_ARGK_CLINIC, 1, 2)
BA_WRAP(lower, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(lstrip, PY_ARGK_CLINIC, 0, 1)
BA_WRAP(partition, PY_ARGK_O, 1, 1)
BA_WRAP(removeprefix, PY_ARGK_O, 1, 1)
BA_WRAP(removesuffix, PY_ARGK_O, 1, 1)
BA_WRAP(replace, PY_ARGK_CLINIC, 2, 3)
BA_WRAP(rfind, -1, 0, 0)
BA_WRAP(rindex, -1, 0, 0)
BA_WRAP(rjust, PY_ARGK_CLINIC, 1, 2)
BA_WRAP(rpartition, PY_ARGK_O, 1, 1)
BA_WRAP(rsplit, -1, 0, 0)
BA_WRAP(rstrip, PY_ARGK_CLINIC, 0, 1)
BA_WRAP(split, -1, 0, 0)
BA_WRAP(splitlines, -1, 0, 0)
BA_WRAP(startswith, -1, 0, 0)
BA_WRAP(strip, PY_ARGK_CLINIC, 0, 1)
BA_WRAP(swapcase, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(title, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(translate, -1, 0, 0)
BA_WRAP(upper, PY_ARGK_NOARGS, 0, 0)
BA_WRAP(zfill, PY_ARGK_O, 1, 1)

/* ---- bytearray: mutation ---- */

#define BA_SELF(name, kind, min, max)                                            \
    ft_object *ba = ba_unbox(self);                                              \
    if (!ba)                                                                     \
        return ba_descr_error(name, self);                                       \
    if (py_meth_args(kind, "bytearray", name, nargs, kwnames, min, max) < 0)     \
        return NULL

/* An int argument that must be a byte ("byte must be in range(0, 256)"). */
static int ba_byte_arg(ft_object *o, int *out)
{
    if (!has_index(o))
        return py_err_format_int(py_exc_TypeError, "'%s' object cannot be interpreted as "
                                 "an integer", py_type_name(o));
    return byte_value(o, out, "byte must be in range(0, 256)");
}

/* Appends n bytes at the end under the section; 0 or -1 (MemoryError). */
static int ba_append_buf(ft_object *ba, const char *p, ssize_t n)
{
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
    rc = ba_splice(as_ba(ba), as_ba(ba)->size, as_ba(ba)->size, p, n);
    FT_END_CRITICAL_SECTION();
    if (rc < 0)
        py_err_nomemory();
    return rc;
}

static ft_object *ba_append(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    BA_SELF("append", PY_ARGK_O, 1, 1);
    int c;
    if (ba_byte_arg(args[0], &c) < 0)
        return NULL;
    char ch = (char)c;
    return ba_append_buf(ba, &ch, 1) < 0 ? NULL : ft_none();
}

/* The bytes of an iterable of ints (or a bytes-like object) as a new
 * bytes object; `what` words the errors of a str / an int source. */
static ft_object *bytes_of_iterable_arg(ft_object *v, bool for_extend)
{
    ft_object *b = py_bytes_like_ref(v);
    if (b || py_err_occurred())
        return b;
    if (for_extend && (has_index(v) && !py_type_of(v)->tp_iter))
        return py_err_format(py_exc_TypeError, "can't extend bytearray with %s",
                             py_type_name(v));
    if (!for_extend && (py_str_check(v) || (has_index(v) && !py_type_of(v)->tp_iter)))
        return py_err_format(py_exc_TypeError, "can assign only bytes, buffers, or "
                             "iterables of ints in range(0, 256)");
    ft_object *it = py_iter(v);
    if (!it) {
        if (for_extend && py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            return py_err_format(py_exc_TypeError, "can't extend bytearray with %s",
                                 py_type_name(v));
        }
        if (!for_extend && py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            return py_err_format(py_exc_TypeError, "can assign only bytes, buffers, or "
                                 "iterables of ints in range(0, 256)");
        }
        return NULL;
    }
    py_strbuf sb;
    py_strbuf_init(&sb);
    ft_object *item;
    while ((item = py_iter_next(it)) != NULL) {
        int c = 0;
        int rc = ba_byte_arg(item, &c);
        ft_decref(item);
        char ch = (char)c;
        if (rc < 0 || py_strbuf_append(&sb, &ch, 1) < 0)
            break;
    }
    ft_decref(it);
    ft_object *r = py_err_occurred() ? NULL : py_bytes_from_buf(sb.data, sb.len);
    py_strbuf_free(&sb);
    return r;
}

static ft_object *ba_extend(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    BA_SELF("extend", PY_ARGK_O, 1, 1);
    ft_object *b = bytes_of_iterable_arg(args[0], true);
    if (!b)
        return NULL;
    int rc = ba_append_buf(ba, as_bytes(b)->data, as_bytes(b)->size);
    ft_decref(b);
    return rc < 0 ? NULL : ft_none();
}

static ft_object *ba_insert(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    BA_SELF("insert", PY_ARGK_CLINIC, 2, 2);
    ssize_t i;
    int c;
    if (py_index_ssize(args[0], &i) < 0 || ba_byte_arg(args[1], &c) < 0)
        return NULL;
    char ch = (char)c;
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
    py_bytearray_object *b = as_ba(ba);
    if (i < 0 && (i += b->size) < 0)
        i = 0;
    if (i > b->size)
        i = b->size;
    rc = ba_splice(b, i, i, &ch, 1);
    FT_END_CRITICAL_SECTION();
    return rc < 0 ? py_err_nomemory() : ft_none();
}

static ft_object *ba_pop(ft_object *self, ft_object *const *args, size_t nargs,
                         ft_object *kwnames)
{
    BA_SELF("pop", PY_ARGK_CLINIC, 0, 1);
    ssize_t i = -1;
    if (nargs == 1 && py_index_ssize(args[0], &i) < 0)
        return NULL;
    int c = -1;
    bool empty = false;
    FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
    py_bytearray_object *b = as_ba(ba);
    empty = b->size == 0;
    if (i < 0)
        i += b->size;
    if (!empty && i >= 0 && i < b->size) {
        c = (unsigned char)b->data[i];
        ba_splice(b, i, i + 1, NULL, 0);
    }
    FT_END_CRITICAL_SECTION();
    if (empty)
        return py_err_format(py_exc_IndexError, "pop from empty bytearray");
    if (c < 0)
        return py_err_format(py_exc_IndexError, "pop index out of range");
    return ft_int_from_i64(c);
}

static ft_object *ba_remove(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    BA_SELF("remove", PY_ARGK_O, 1, 1);
    int c;
    if (ba_byte_arg(args[0], &c) < 0)
        return NULL;
    bool found = false;
    FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
    py_bytearray_object *b = as_ba(ba);
    const char *p = b->size ? memchr(b->data, c, (size_t)b->size) : NULL;
    if (p) {
        ssize_t i = p - b->data;
        ba_splice(b, i, i + 1, NULL, 0);
        found = true;
    }
    FT_END_CRITICAL_SECTION();
    return found ? ft_none()
                 : py_err_format(py_exc_ValueError, "value not found in bytearray");
}

static ft_object *ba_reverse(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)args;
    BA_SELF("reverse", PY_ARGK_NOARGS, 0, 0);
    FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
    py_bytearray_object *b = as_ba(ba);
    for (ssize_t i = 0, j = b->size - 1; i < j; i++, j--) {
        char t = b->data[i];
        b->data[i] = b->data[j];
        b->data[j] = t;
    }
    FT_END_CRITICAL_SECTION();
    return ft_none();
}

static ft_object *ba_clear(ft_object *self, ft_object *const *args, size_t nargs,
                           ft_object *kwnames)
{
    (void)args;
    BA_SELF("clear", PY_ARGK_NOARGS, 0, 0);
    char *old;
    FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
    old = as_ba(ba)->data;
    as_ba(ba)->data = NULL;
    as_ba(ba)->size = as_ba(ba)->alloc = 0;
    FT_END_CRITICAL_SECTION();
    ft_free(old);
    return ft_none();
}

static ft_object *ba_copy(ft_object *self, ft_object *const *args, size_t nargs,
                          ft_object *kwnames)
{
    (void)args;
    BA_SELF("copy", PY_ARGK_NOARGS, 0, 0);
    return ba_from_bytes_steal(py_bytearray_snapshot(ba));
}

/* __repr__ as a method too: methods see a subclass instance itself, so
 * its repr names the subclass ("B(b'x')"), as CPython's. */
static ft_object *ba_repr(ft_object *o);
static ft_object *ba_repr_m(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)args;
    BA_SELF("__repr__", PY_ARGK_WRAPPER, 0, 0);
    (void)ba;
    return ba_repr(self);
}

static ft_object *ba_alloc_m(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)args;
    BA_SELF("__alloc__", PY_ARGK_NOARGS, 0, 0);
    ssize_t n = __atomic_load_n(&as_ba(ba)->alloc, __ATOMIC_RELAXED);
    return ft_int_from_i64(n ? n + 1 : 0);
}

static ft_object *ba_sizeof_m(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args;
    BA_SELF("__sizeof__", PY_ARGK_NOARGS, 0, 0);
    return ft_int_from_i64((int64_t)ba_sizeof(ba));
}

static ft_object *ba_fromhex(ft_object *cls, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    if (py_meth_onearg("bytearray", "fromhex", nargs, kwnames) < 0)
        return NULL;
    ft_object *r = ba_from_bytes_steal(bytes_fromhex(NULL, args, nargs, kwnames));
    if (r && cls && cls != (ft_object *)&py_bytearray_class) {
        ft_object *sub = py_call1(cls, r);
        ft_decref(r);
        return sub;
    }
    return r;
}

static ft_object *ba_maketrans(ft_object *cls, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    if (py_meth_clinic("bytearray", "maketrans", nargs, kwnames, 2, 2) < 0)
        return NULL;
    return bytes_maketrans_s(cls, args, nargs, kwnames);
}

static const py_method_def bytearray_methods[] = {
    {"append", ba_append, PY_METH_DEFAULT},
    {"capitalize", ba_capitalize, PY_METH_DEFAULT},
    {"center", ba_center, PY_METH_DEFAULT},
    {"clear", ba_clear, PY_METH_DEFAULT},
    {"copy", ba_copy, PY_METH_DEFAULT},
    {"count", ba_count, PY_METH_DEFAULT},
    {"decode", ba_decode, PY_METH_DEFAULT},
    {"endswith", ba_endswith, PY_METH_DEFAULT},
    {"expandtabs", ba_expandtabs, PY_METH_DEFAULT},
    {"extend", ba_extend, PY_METH_DEFAULT},
    {"find", ba_find, PY_METH_DEFAULT},
    {"fromhex", ba_fromhex, PY_METH_CLASS},
    {"hex", ba_hex, PY_METH_DEFAULT},
    {"index", ba_index, PY_METH_DEFAULT},
    {"insert", ba_insert, PY_METH_DEFAULT},
    {"isalnum", ba_isalnum, PY_METH_DEFAULT},
    {"isalpha", ba_isalpha, PY_METH_DEFAULT},
    {"isascii", ba_isascii, PY_METH_DEFAULT},
    {"isdigit", ba_isdigit, PY_METH_DEFAULT},
    {"islower", ba_islower, PY_METH_DEFAULT},
    {"isspace", ba_isspace, PY_METH_DEFAULT},
    {"istitle", ba_istitle, PY_METH_DEFAULT},
    {"isupper", ba_isupper, PY_METH_DEFAULT},
    {"join", ba_join, PY_METH_DEFAULT},
    {"ljust", ba_ljust, PY_METH_DEFAULT},
    {"lower", ba_lower, PY_METH_DEFAULT},
    {"lstrip", ba_lstrip, PY_METH_DEFAULT},
    {"maketrans", ba_maketrans, PY_METH_STATIC},
    {"partition", ba_partition, PY_METH_DEFAULT},
    {"pop", ba_pop, PY_METH_DEFAULT},
    {"remove", ba_remove, PY_METH_DEFAULT},
    {"removeprefix", ba_removeprefix, PY_METH_DEFAULT},
    {"removesuffix", ba_removesuffix, PY_METH_DEFAULT},
    {"replace", ba_replace, PY_METH_DEFAULT},
    {"reverse", ba_reverse, PY_METH_DEFAULT},
    {"rfind", ba_rfind, PY_METH_DEFAULT},
    {"rindex", ba_rindex, PY_METH_DEFAULT},
    {"rjust", ba_rjust, PY_METH_DEFAULT},
    {"rpartition", ba_rpartition, PY_METH_DEFAULT},
    {"rsplit", ba_rsplit, PY_METH_DEFAULT},
    {"rstrip", ba_rstrip, PY_METH_DEFAULT},
    {"split", ba_split, PY_METH_DEFAULT},
    {"splitlines", ba_splitlines, PY_METH_DEFAULT},
    {"startswith", ba_startswith, PY_METH_DEFAULT},
    {"strip", ba_strip, PY_METH_DEFAULT},
    {"swapcase", ba_swapcase, PY_METH_DEFAULT},
    {"title", ba_title, PY_METH_DEFAULT},
    {"translate", ba_translate, PY_METH_DEFAULT},
    {"upper", ba_upper, PY_METH_DEFAULT},
    {"zfill", ba_zfill, PY_METH_DEFAULT},
    {"__alloc__", ba_alloc_m, PY_METH_DEFAULT},
    {"__repr__", ba_repr_m, PY_METH_DEFAULT},
    {"__sizeof__", ba_sizeof_m, PY_METH_DEFAULT},
    {NULL, NULL, 0},
};

/* ---- bytearray: slots ---- */

static ft_object *ba_repr(ft_object *o)
{
    ft_object *snap = py_bytearray_snapshot(o);
    ft_object *r = snap ? bytes_repr(snap) : NULL;
    ft_xdecref(snap);
    if (!r)
        return NULL;
    /* bytearray(b'...'), with a subclass's own name */
    ft_object *out = py_str_from_format("%s(%s)", py_type_name(o),
                                        ft_str_utf8_borrow(r, NULL));
    ft_decref(r);
    return out;
}

static ssize_t ba_len(ft_object *o)
{
    ft_object *ba = ba_unbox(o);
    if (!ba) {
        py_err_format(py_exc_TypeError, "expected bytearray");
        return -1;
    }
    return __atomic_load_n(&as_ba(ba)->size, __ATOMIC_RELAXED);
}

static int ba_bool(ft_object *o)
{
    ft_object *ba = ba_unbox(o);
    return ba && __atomic_load_n(&as_ba(ba)->size, __ATOMIC_RELAXED) > 0;
}

/* Comparisons with bytes and bytearrays, on snapshots. */
static ft_object *ba_richcompare(ft_object *a, ft_object *b, int op)
{
    ft_object *x = py_bytes_like_ref(a);
    if (!x)
        return py_err_occurred() ? NULL : py_notimplemented();
    ft_object *y = py_bytes_like_ref(b);
    if (!y) {
        ft_decref(x);
        return py_err_occurred() ? NULL : py_notimplemented();
    }
    ft_object *r = bytes_richcompare(x, y, op);
    ft_decref(x);
    ft_decref(y);
    return r;
}

static int ba_contains(ft_object *o, ft_object *v)
{
    ft_object *snap = py_bytearray_snapshot(o);
    if (!snap)
        return -1;
    ft_object *w = snap_arg(v);
    int r = w ? bytes_contains(snap, w) : -1;
    ft_xdecref(w);
    ft_decref(snap);
    return r;
}

static ft_object *ba_binop(ft_object *a, ft_object *b, int op)
{
    int base = op & ~PY_OP_INPLACE;
    ft_object *x = ba_unbox(a);
    if (base == PY_OP_ADD) {
        if (!x)
            return py_notimplemented();   /* bytes + bytearray: bytes' slot */
        ft_object *yb = py_bytes_like_ref(b);
        if (!yb)
            return py_err_occurred() ? NULL
                   : py_err_format(py_exc_TypeError, "can't concat %s to %s",
                                   py_type_name(b), py_type_name(a));
        if (op & PY_OP_INPLACE) {
            int rc = ba_append_buf(x, as_bytes(yb)->data, as_bytes(yb)->size);
            ft_decref(yb);
            return rc < 0 ? NULL : ft_newref(a);
        }
        ft_object *xb = py_bytearray_snapshot(x);
        ft_object *r = xb ? bytes_concat2(as_bytes(xb)->data, as_bytes(xb)->size,
                                          as_bytes(yb)->data, as_bytes(yb)->size) : NULL;
        ft_xdecref(xb);
        ft_decref(yb);
        return ba_from_bytes_steal(r);
    }
    if (base == PY_OP_MUL) {
        ft_object *s = x ? x : ba_unbox(b);
        ft_object *n = x ? b : a;
        if (!has_index(n)) {
            if (!x)
                return py_notimplemented();
            return py_err_format(py_exc_TypeError,
                                 "can't multiply sequence by non-int of type '%s'",
                                 py_type_name(n));
        }
        ssize_t count;
        if (py_index_ssize(n, &count) < 0)
            return NULL;
        ft_object *snap = py_bytearray_snapshot(s);
        ft_object *r = snap ? bytes_repeat(snap, count) : NULL;
        ft_xdecref(snap);
        if (!r)
            return NULL;
        if ((op & PY_OP_INPLACE) && x) {
            /* b *= n: the buffer takes the repeated contents */
            int rc;
            FT_BEGIN_CRITICAL_SECTION_OBJ(x);
            rc = ba_splice(as_ba(x), 0, as_ba(x)->size, as_bytes(r)->data,
                           as_bytes(r)->size);
            FT_END_CRITICAL_SECTION();
            ft_decref(r);
            return rc < 0 ? py_err_nomemory() : ft_newref(a);
        }
        return ba_from_bytes_steal(r);
    }
    if (base == PY_OP_MOD && x) {
        ft_object *snap = py_bytearray_snapshot(x);
        ft_object *r = snap ? py_bytes_mod_format(snap, b) : NULL;
        ft_xdecref(snap);
        return ba_from_bytes_steal(r);
    }
    return py_notimplemented();
}

static ft_object *ba_getitem(ft_object *o, ft_object *key)
{
    ft_object *ba = ba_unbox(o);
    if (!ba)
        return py_err_format(py_exc_TypeError, "expected bytearray");
    if (py_slice_check(key)) {
        /* the slice's indices may run __index__: resolve them on a snapshot */
        ft_object *snap = py_bytearray_snapshot(ba);
        ft_object *r = snap ? bytes_getitem(snap, key) : NULL;
        ft_xdecref(snap);
        return ba_from_bytes_steal(r);
    }
    if (!has_index(key))
        return py_err_format(py_exc_TypeError, "bytearray indices must be integers or "
                             "slices, not %s", py_type_name(key));
    ssize_t i;
    if (py_index_ssize(key, &i) < 0)
        return NULL;
    int c = -1;
    FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
    py_bytearray_object *b = as_ba(ba);
    if (i < 0)
        i += b->size;
    if (i >= 0 && i < b->size)
        c = (unsigned char)b->data[i];
    FT_END_CRITICAL_SECTION();
    if (c < 0)
        return py_err_format(py_exc_IndexError, "bytearray index out of range");
    return ft_int_from_i64(c);
}

/* ba[slice] = v (v NULL: del). */
static int ba_assign_slice(ft_object *ba, ft_object *key, ft_object *v)
{
    ft_object *src = NULL;
    if (v && !(src = bytes_of_iterable_arg(v, false)))
        return -1;
    const char *p = src ? as_bytes(src)->data : NULL;
    ssize_t pn = src ? as_bytes(src)->size : 0;
    /* the slice's bounds as C values first (they may run __index__) */
    ssize_t len0 = ba_len(ba), start, stop, step, n;
    if (py_slice_indices(key, len0, &start, &stop, &step, &n) < 0) {
        ft_xdecref(src);
        return -1;
    }
    int rc = 0;
    FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
    py_bytearray_object *b = as_ba(ba);
    if (b->size != len0) {
        /* changed meanwhile (another thread): clamp to the new size */
        if (start > b->size) start = b->size;
        if (stop > b->size) stop = b->size;
        if (step != 1 && start + (n - 1) * step >= b->size)
            n = 0;
    }
    if (step == 1) {
        if (stop < start)
            stop = start;
        if (ba_splice(b, start, stop, p, pn) < 0)
            rc = -2;
    } else if (!v) {
        /* delete every step-th byte: compact in place */
        if (n > 0) {
            if (step < 0) {
                start += (n - 1) * step;
                step = -step;
            }
            ssize_t w = start;
            for (ssize_t r = start; r < b->size; r++)
                if (r < start || (r - start) % step != 0 || (r - start) / step >= n)
                    b->data[w++] = b->data[r];
            b->size = w;
            b->data[w] = '\0';
        }
    } else if (pn != n) {
        rc = -3;
    } else {
        for (ssize_t k = 0, i = start; k < n; k++, i += step)
            b->data[i] = p[k];
    }
    FT_END_CRITICAL_SECTION();
    ft_xdecref(src);
    if (rc == -2)
        return (py_err_nomemory(), -1);
    if (rc == -3)
        return py_err_format_int(py_exc_ValueError, "attempt to assign bytes of size %zd "
                                 "to extended slice of size %zd", pn, n);
    return 0;
}

static int ba_setitem(ft_object *o, ft_object *key, ft_object *v)
{
    ft_object *ba = ba_unbox(o);
    if (!ba)
        return py_err_format_int(py_exc_TypeError, "expected bytearray");
    if (py_slice_check(key))
        return ba_assign_slice(ba, key, v);
    if (!has_index(key))
        return py_err_format_int(py_exc_TypeError, "bytearray indices must be integers "
                                 "or slices, not %s", py_type_name(key));
    ssize_t i;
    int c = 0;
    if (py_index_ssize(key, &i) < 0 || (v && ba_byte_arg(v, &c) < 0))
        return -1;
    bool ok = false;
    FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
    py_bytearray_object *b = as_ba(ba);
    if (i < 0)
        i += b->size;
    if (i >= 0 && i < b->size) {
        ok = true;
        if (v)
            b->data[i] = (char)c;
        else
            ba_splice(b, i, i + 1, NULL, 0);
    }
    FT_END_CRITICAL_SECTION();
    if (!ok)
        return py_err_format_int(py_exc_IndexError, "bytearray index out of range");
    return 0;
}

/* The iterator re-reads the buffer at every step (under the section), so
 * it sees changes made while iterating, as CPython's. */
typedef struct ba_iter {
    ft_object ob_base;
    ft_object *ba;
    ssize_t pos;
} ba_iter;

static ft_object *ba_iter_new(ft_object *o)
{
    ft_object *ba = ba_unbox(o);
    if (!ba)
        return py_err_format(py_exc_TypeError, "expected bytearray");
    ba_iter *it = (ba_iter *)ft_object_new(&py_bytearray_iter_class.ft, sizeof(ba_iter));
    if (!it)
        return py_err_from_ft();
    it->ba = ft_newref(ba);
    it->pos = 0;
    return &it->ob_base;
}

static ft_object *ba_iter_next(ft_object *o)
{
    ba_iter *it = (ba_iter *)o;
    int c = -1;
    ft_object *ba = it->ba;
    /* pos is only read and written under the bytearray's section */
    FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
    if (it->pos < as_ba(ba)->size)
        c = (unsigned char)as_ba(ba)->data[it->pos++];
    FT_END_CRITICAL_SECTION();
    return c < 0 ? NULL : ft_int_from_i64(c);
}

static void ba_iter_dealloc(ft_object *o)
{
    ft_decref(((ba_iter *)o)->ba);
    ft_object_free(o);
}

static ft_object *ba_iter_length_hint(ft_object *self, ft_object *const *args,
                                      size_t nargs, ft_object *kwnames)
{
    (void)args;
    if (py_meth_noargs(py_type_name(self), "__length_hint__", nargs, kwnames) < 0)
        return NULL;
    ba_iter *it = (ba_iter *)self;
    ssize_t left = ba_len(it->ba) - __atomic_load_n(&it->pos, __ATOMIC_RELAXED);
    return ft_int_from_i64(left > 0 ? left : 0);
}

static const py_method_def ba_iter_methods[] = {
    {"__length_hint__", ba_iter_length_hint, PY_METH_DEFAULT},
    {NULL, NULL, 0},
};

py_type py_bytearray_iter_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "bytearray_iterator",
        .tp_basicsize = sizeof(ba_iter),
        .tp_flags = PY_TPFLAGS_PYTYPE,
        .tp_dealloc = ba_iter_dealloc,
    },
    .tp_iter = bytes_iter_self,
    .tp_iternext = ba_iter_next,
    .tp_methods = ba_iter_methods,
};

/* Mutable and boxable like list: tp_new makes an empty buffer, __init__
 * fills it. */
static ft_object *ba_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)cls; (void)args; (void)nargs; (void)kwnames;
    return ba_alloc();
}

static int ba_tp_init(ft_object *self, ft_object *const *args, size_t nargs,
                      ft_object *kwnames)
{
    ft_object *ba = ba_unbox(self);
    if (!ba)
        return py_err_format_int(py_exc_TypeError, "expected bytearray");
    ft_object *out[3] = { NULL, NULL, NULL };
    if (py_bind_args("bytearray", args, nargs, kwnames, "|,source,encoding,errors", out) < 0)
        return -1;
    ft_object *src = out[0], *content = NULL;
    const char *enc0 = NULL, *errs0 = NULL;
    if (opt_cstr("bytearray", "encoding", out[1], &enc0) < 0 ||
        opt_cstr("bytearray", "errors", out[2], &errs0) < 0)
        return -1;
    if (!src) {
        if (out[1] || out[2])
            return py_err_format_int(py_exc_TypeError, out[1]
                                     ? "encoding without a string argument"
                                     : "errors without a string argument");
    } else if (py_str_check(src)) {
        if (!out[1])
            return py_err_format_int(py_exc_TypeError, "string argument without an "
                                     "encoding");
        const char *enc = NULL, *errs = NULL;
        if (opt_cstr("bytearray", "encoding", out[1], &enc) < 0 ||
            opt_cstr("bytearray", "errors", out[2], &errs) < 0)
            return -1;
        if (!(content = py_str_encode(src, enc, errs)))
            return -1;
    } else if (out[1] || out[2]) {
        return py_err_format_int(py_exc_TypeError, out[1]
                                 ? "encoding without a string argument"
                                 : "errors without a string argument");
    } else if ((content = py_bytes_like_ref(src)) != NULL) {
        /* a copy of a bytes-like source */
    } else if (py_err_occurred()) {
        return -1;
    } else if (has_index(src)) {
        ssize_t count;
        if (py_index_ssize(src, &count) < 0)
            return -1;
        if (count < 0)
            return py_err_format_int(py_exc_ValueError, "negative count");
        if (!(content = bytes_alloc(count)))
            return -1;
        memset(as_bytes(content)->data, 0, (size_t)count);
    } else {
        if (!py_type_of(src)->tp_iter &&
            !py_type_lookup_borrow(py_type_of(src), PY_ID(__getitem__)))
            return py_err_format_int(py_exc_TypeError, "cannot convert '%s' object to "
                                     "bytearray", py_type_name(src));
        if (!(content = bytes_of_iterable_arg(src, true)))
            return -1;
    }
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
    rc = ba_splice(as_ba(ba), 0, as_ba(ba)->size, content ? as_bytes(content)->data : NULL,
                   content ? as_bytes(content)->size : 0);
    FT_END_CRITICAL_SECTION();
    ft_xdecref(content);
    return rc < 0 ? (py_err_nomemory(), -1) : 0;
}

py_type py_bytearray_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "bytearray",
        .tp_basicsize = sizeof(py_bytearray_object),
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE,
        .tp_dealloc = ba_dealloc,
        .tp_sizeof = ba_sizeof,
        .tp_hash = py_hash_unhashable,
        .tp_repr = ba_repr,
        .tp_len = ba_len,
    },
    .tp_binop = ba_binop,
    .tp_richcompare = ba_richcompare,
    .tp_bool = ba_bool,
    .tp_getitem = ba_getitem,
    .tp_setitem = ba_setitem,
    .tp_contains = ba_contains,
    .tp_iter = ba_iter_new,
    .tp_new = ba_tp_new,
    .tp_init = ba_tp_init,
    .tp_methods = bytearray_methods,
    .tp_box = &py_bytearray_class.ft,
};

int py_bytes_init(void)
{
    if (!(sip_k0 | sip_k1)) {
        uint64_t k[2] = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };
        if (getrandom(k, sizeof k, GRND_NONBLOCK) != (ssize_t)sizeof k)
            fprintf(stderr, "ftpy: getrandom failed; bytes hashes use a fixed key\n");
        sip_k0 = k[0];
        sip_k1 = k[1] | 1;
    }
    /* bytes objects are their own runtime type: registering it makes
     * subclasses of bytes boxed (typeobject.c boxes classes that map to
     * an ft type) */
    py_register_ft_class(&py_bytes_class.ft, &py_bytes_class);
    py_register_ft_class(&py_bytearray_class.ft, &py_bytearray_class);
    if (py_type_ready(&py_bytes_class) < 0 || py_type_ready(&py_bytes_iter_class) < 0 ||
        py_type_ready(&py_bytearray_class) < 0 || py_type_ready(&py_bytearray_iter_class) < 0)
        return -1;
    return 0;
}
