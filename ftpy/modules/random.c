/* modules/random.c — the _random module: CPython's Mersenne Twister.
 *
 * Design notes
 *   _random.Random is the MT19937 generator of Matsumoto and Nishimura
 *   (mt19937ar), seeded and consumed exactly as CPython's
 *   Modules/_randommodule.c does, so that random.py (ftpy/Lib/random.py)
 *   gives the same numbers as CPython for the same seed:
 *     seed(n)         init_by_array over the 32-bit words of abs(n),
 *                     least significant first (one word 0 for n == 0);
 *                     a non-int seed uses hash(seed) as a size_t; None seeds
 *                     from /dev/urandom (getrandom), falling back to
 *                     the time and pid.
 *     random()        (a*2**26 + b) / 2**53 from two outputs a>>5, b>>6.
 *     getrandbits(k)  k <= 32: one output >> (32-k); else 32-bit words,
 *                     least significant first, the last one shifted.
 *     getstate()      a tuple of the 624 words and the index.
 *   The class is subclassable (random.Random derives from it): tp_new
 *   allocates through py_instance_alloc(cls) and tp_dealloc frees any
 *   subclass instance, as typeobject.h asks of static base classes.
 *
 *   Threads: the state is mutated by every call; in nogil each method
 *   runs inside the object's critical section (CPython 3.13t does the
 *   same), so concurrent calls on one generator stay well formed.
 *
 *   _random._sha512(data) is a FIPS 180-4 SHA-512 written here for
 *   random.seed(str/bytes) (CPython's version-2 seeding hashes the text
 *   with sha512); it is not a public hashlib replacement.
 */
#include <gmp.h>
#include <math.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "../ftpy.h"
#include "../objects/int.h"
#include "../objects/str.h"
#include "../objects/typeobject.h"
#include "modules.h"

static py_type py_random_class;   /* defined at the end */

/* ---- MT19937 ------------------------------------------------------------- */

enum { MT_N = 624, MT_M = 397 };
#define MT_MATRIX_A   0x9908b0dfU
#define MT_UPPER_MASK 0x80000000U
#define MT_LOWER_MASK 0x7fffffffU

typedef struct random_object {
    ft_object ob_base;
    int index;                   /* next word of state to temper; N: refill */
    uint32_t state[MT_N];
} random_object;

static random_object *as_rnd(ft_object *o) { return (random_object *)o; }

static uint32_t mt_next(random_object *r)
{
    static const uint32_t mag01[2] = { 0U, MT_MATRIX_A };
    uint32_t *mt = r->state, y;
    if (r->index >= MT_N) {      /* the whole block of N words at once */
        int kk;
        for (kk = 0; kk < MT_N - MT_M; kk++) {
            y = (mt[kk] & MT_UPPER_MASK) | (mt[kk + 1] & MT_LOWER_MASK);
            mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 1U];
        }
        for (; kk < MT_N - 1; kk++) {
            y = (mt[kk] & MT_UPPER_MASK) | (mt[kk + 1] & MT_LOWER_MASK);
            mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1U];
        }
        y = (mt[MT_N - 1] & MT_UPPER_MASK) | (mt[0] & MT_LOWER_MASK);
        mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1U];
        r->index = 0;
    }
    y = mt[r->index++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= (y >> 18);
    return y;
}

static void mt_init_genrand(random_object *r, uint32_t s)
{
    uint32_t *mt = r->state;
    mt[0] = s;
    for (int i = 1; i < MT_N; i++)
        mt[i] = 1812433253U * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint32_t)i;
    r->index = MT_N;
}

static void mt_init_by_array(random_object *r, const uint32_t *key, size_t len)
{
    uint32_t *mt = r->state;
    mt_init_genrand(r, 19650218U);
    size_t i = 1, j = 0;
    for (size_t k = MT_N > len ? MT_N : len; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + key[j] + (uint32_t)j;
        i++;
        j++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
        if (j >= len)
            j = 0;
    }
    for (size_t k = MT_N - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) - (uint32_t)i;
        i++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
    }
    mt[0] = 0x80000000U;         /* a non-zero initial array is assured */
}

/* ---- seeding ----------------------------------------------------------------- */

/* A seed's key: the words init_by_array takes, ft_malloc'd (*n of
 * them). Computed before the generator's critical section is entered,
 * since hashing a seed may run Python code (__hash__). */
typedef struct seed_key {
    uint32_t *words;
    size_t n;
} seed_key;

/* None: 624 words of OS entropy (CPython's random_seed_urandom); the time
 * and the pid when the OS has none to give. */
static int key_from_os(seed_key *k)
{
    k->words = ft_malloc(MT_N * sizeof *k->words);
    if (!k->words) {
        py_err_nomemory();
        return -1;
    }
    size_t got = 0, want = MT_N * sizeof *k->words;
    while (got < want) {
        ssize_t n = getrandom((char *)k->words + got, want - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got == want) {
        k->n = MT_N;
        return 0;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    k->words[0] = (uint32_t)ts.tv_sec;
    k->words[1] = (uint32_t)((uint64_t)ts.tv_sec >> 32);
    k->words[2] = (uint32_t)ts.tv_nsec;
    k->words[3] = (uint32_t)getpid();
    k->n = 4;
    return 0;
}

/* An int seed: its absolute value's 32-bit words, least significant
 * first. 0 or -1. */
static int key_from_int(ft_object *n, seed_key *k)
{
    mpz_t z;
    mpz_init(z);
    _py_long_get_mpz(n, z);
    mpz_abs(z, z);
    size_t words = mpz_sizeinbase(z, 2) / 32 + 1;
    k->words = ft_malloc(words * sizeof *k->words);
    if (!k->words) {
        mpz_clear(z);
        py_err_nomemory();
        return -1;
    }
    k->n = 0;
    mpz_export(k->words, &k->n, -1, sizeof *k->words, 0, 0, z);
    mpz_clear(z);
    if (k->n == 0)
        k->words[k->n++] = 0;    /* seed(0): one zero word, as CPython */
    return 0;
}

static int seed_key_of(ft_object *arg, seed_key *k)
{
    k->words = NULL;
    k->n = 0;
    if (!arg || arg == ft_none())
        return key_from_os(k);
    ft_object *n = py_long_unbox_borrow(arg);
    if (n)
        return key_from_int(n, k);
    /* floats hash as CPython (not as the runtime's float slot), so that
     * seed(1.5) agrees with CPython */
    int64_t h;
    if (py_float_check(arg)) {
        bool err = false;
        double d = py_float_as_double_any(arg, &err);
        if (err)
            return -1;
        h = isnan(d) ? 0 : py_hash_double_cpython(d);
    } else {
        h = py_hash(arg);
    }
    if (h == -1 && py_err_occurred())
        return -1;
    /* CPython takes the hash as a size_t: a negative one wraps */
    ft_object *hv = py_long_from_u64((uint64_t)h);
    if (!hv)
        return -1;
    int rc = key_from_int(hv, k);
    ft_decref(hv);
    return rc;
}

/* Seeds self from arg (NULL or None: the OS). 0 or -1. */
static int random_seed_obj(ft_object *self, ft_object *arg)
{
    seed_key k;
    if (seed_key_of(arg, &k) < 0)
        return -1;
    FT_BEGIN_CRITICAL_SECTION_OBJ(self);
    mt_init_by_array(as_rnd(self), k.words, k.n);
    FT_END_CRITICAL_SECTION();
    ft_free(k.words);
    return 0;
}

/* ---- the class ------------------------------------------------------------------- */

static ft_object *random_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)args; (void)nargs;
    /* CPython: Random() takes no keywords unless a subclass says so. */
    if (cls == &py_random_class && py_has_kwargs(kwnames))
        return py_err_format(py_exc_TypeError, "Random() takes no keyword arguments");
    return py_instance_alloc(cls);
}

static int random_tp_init(ft_object *self, ft_object *const *args, size_t nargs,
                          ft_object *kwnames)
{
    if (py_type_of(self) == &py_random_class && py_has_kwargs(kwnames))
        return py_err_format_int(py_exc_TypeError, "Random() takes no keyword arguments");
    if (nargs > 1)
        return py_err_format_int(py_exc_TypeError, "Random() expected at most 1 argument, got %zu",
                                 nargs);
    return random_seed_obj(self, nargs ? args[0] : NULL);
}

static void random_dealloc(ft_object *o)
{
    ft_object_free(o);
}

static ft_object *random_seed(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    if (py_meth_clinic("Random", "seed", nargs, kwnames, 0, 1) < 0)
        return NULL;
    return random_seed_obj(self, nargs ? args[0] : NULL) < 0 ? NULL : ft_none();
}

static ft_object *random_random(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)args;
    if (py_meth_noargs("Random", "random", nargs, kwnames) < 0)
        return NULL;
    uint32_t a, b;
    FT_BEGIN_CRITICAL_SECTION_OBJ(self);
    a = mt_next(as_rnd(self)) >> 5;
    b = mt_next(as_rnd(self)) >> 6;
    FT_END_CRITICAL_SECTION();
    return ft_float_from_double((a * 67108864.0 + b) * (1.0 / 9007199254740992.0));
}

static ft_object *random_getrandbits(ft_object *self, ft_object *const *args, size_t nargs,
                                     ft_object *kwnames)
{
    if (py_meth_onearg("Random", "getrandbits", nargs, kwnames) < 0)
        return NULL;
    if (!py_long_check(args[0]))
        return py_err_format(py_exc_TypeError,
                             "'%s' object cannot be interpreted as an integer",
                             py_type_name(args[0]));
    int64_t k;
    if (py_long_as_i64(args[0], &k) < 0)
        return NULL;
    if (k < 0)
        return py_err_format(py_exc_ValueError, "number of bits must be non-negative");
    if (k == 0)
        return ft_int_from_i64(0);
    if (k <= 32) {
        uint32_t w;
        FT_BEGIN_CRITICAL_SECTION_OBJ(self);
        w = mt_next(as_rnd(self)) >> (32 - k);
        FT_END_CRITICAL_SECTION();
        return ft_int_from_i64(w);
    }
    size_t words = (size_t)((k - 1) / 32 + 1);
    uint32_t *w = ft_malloc(words * sizeof *w);
    if (!w)
        return py_err_nomemory();
    FT_BEGIN_CRITICAL_SECTION_OBJ(self);
    int64_t left = k;
    for (size_t i = 0; i < words; i++, left -= 32) {
        uint32_t r = mt_next(as_rnd(self));
        if (left < 32)
            r >>= (32 - left);   /* the top word keeps its high bits */
        w[i] = r;
    }
    FT_END_CRITICAL_SECTION();
    mpz_t z;
    mpz_init(z);
    mpz_import(z, words, -1, sizeof *w, 0, 0, w);
    ft_free(w);
    ft_object *res = _py_long_from_mpz(z);
    mpz_clear(z);
    return res;
}

static ft_object *random_getstate(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    (void)args;
    if (py_meth_noargs("Random", "getstate", nargs, kwnames) < 0)
        return NULL;
    uint32_t copy[MT_N];
    int index;
    FT_BEGIN_CRITICAL_SECTION_OBJ(self);
    memcpy(copy, as_rnd(self)->state, sizeof copy);
    index = as_rnd(self)->index;
    FT_END_CRITICAL_SECTION();
    ft_object *t = ft_tuple_new(MT_N + 1);
    if (!t)
        return py_err_from_ft();
    for (int i = 0; i <= MT_N; i++) {
        ft_object *v = ft_int_from_i64(i < MT_N ? (int64_t)copy[i] : index);
        if (!v || ft_tuple_set_steal(t, i, v) < 0) {
            ft_decref(t);
            return py_err_from_ft();
        }
    }
    return t;
}

static ft_object *random_setstate(ft_object *self, ft_object *const *args, size_t nargs,
                                  ft_object *kwnames)
{
    if (py_meth_onearg("Random", "setstate", nargs, kwnames) < 0)
        return NULL;
    ft_object *st = args[0];
    if (st->ob_type != &ft_tuple_type)
        return py_err_format(py_exc_TypeError, "state vector must be a tuple");
    if (ft_len(st) != MT_N + 1)
        return py_err_format(py_exc_ValueError, "state vector is the wrong size");
    uint32_t copy[MT_N];
    for (int i = 0; i < MT_N; i++) {
        int64_t v;
        ft_object *item = ft_tuple_get_borrow(st, i);
        if (!py_long_check(item))
            return py_err_format(py_exc_TypeError, "an integer is required (got type %s)",
                                 py_type_name(item));
        if (py_long_as_i64(item, &v) < 0)
            return NULL;
        if (v < 0 || v > (int64_t)UINT32_MAX)
            return py_err_format(py_exc_OverflowError,
                                 "Python int too large to convert to C unsigned long");
        copy[i] = (uint32_t)v;
    }
    int64_t index;
    ft_object *last = ft_tuple_get_borrow(st, MT_N);
    if (!py_long_check(last))
        return py_err_format(py_exc_TypeError, "an integer is required (got type %s)",
                             py_type_name(last));
    if (py_long_as_i64(last, &index) < 0)
        return NULL;
    if (index < 0 || index > MT_N)
        return py_err_format(py_exc_ValueError, "invalid state");
    FT_BEGIN_CRITICAL_SECTION_OBJ(self);
    memcpy(as_rnd(self)->state, copy, sizeof copy);
    as_rnd(self)->index = (int)index;
    FT_END_CRITICAL_SECTION();
    return ft_none();
}

/* ---- SHA-512 (FIPS 180-4), for version-2 seeding of str and bytes --------- */

/* The first 64 bits of the fractional parts of the cube roots of the
 * first 80 primes. */
static const uint64_t sha512_k[80] = {
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
    0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
    0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
    0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
    0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
    0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
    0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
    0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
    0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
    0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
    0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
    0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
    0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
    0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
    0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
    0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
    0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
    0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
    0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

static uint64_t rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static uint64_t load_be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static void sha512_block(uint64_t h[8], const unsigned char *block)
{
    uint64_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = load_be64(block + 8 * t);
    for (int t = 16; t < 80; t++) {
        uint64_t s0 = rotr64(w[t - 15], 1) ^ rotr64(w[t - 15], 8) ^ (w[t - 15] >> 7);
        uint64_t s1 = rotr64(w[t - 2], 19) ^ rotr64(w[t - 2], 61) ^ (w[t - 2] >> 6);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 80; t++) {
        uint64_t S1 = rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41);
        uint64_t ch = (e & f) ^ (~e & g);
        uint64_t t1 = hh + S1 + ch + sha512_k[t] + w[t];
        uint64_t S0 = rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39);
        uint64_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint64_t t2 = S0 + maj;
        hh = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* digest (64 bytes) = SHA-512(data[0..n)). */
static void sha512(const unsigned char *data, size_t n, unsigned char digest[64])
{
    /* The first 64 bits of the fractional parts of the square roots of
     * the first 8 primes. */
    uint64_t h[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
    };
    size_t done = 0;
    for (; n - done >= 128; done += 128)
        sha512_block(h, data + done);
    /* the tail, a 1 bit, zeros, and the length in bits (128-bit, big end) */
    unsigned char last[256] = { 0 };
    size_t rest = n - done;
    memcpy(last, data + done, rest);
    last[rest] = 0x80;
    size_t total = rest + 1 + 16 <= 128 ? 128 : 256;
    uint64_t bits = (uint64_t)n * 8;
    for (int i = 0; i < 8; i++)
        last[total - 1 - i] = (unsigned char)(bits >> (8 * i));
    last[total - 9] = (unsigned char)(((uint64_t)n >> 61) & 0x7);  /* bits 64..66 */
    sha512_block(h, last);
    if (total == 256)
        sha512_block(h, last + 128);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++)
            digest[8 * i + j] = (unsigned char)(h[i] >> (56 - 8 * j));
}

static ft_object *random_sha512(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self;
    if (py_no_kwargs("_sha512", kwnames) < 0 || py_check_nargs("_sha512", nargs, 1, 1) < 0)
        return NULL;
    ft_object *b = py_bytes_like_ref(args[0]);
    if (!b)
        return py_err_occurred() ? NULL
                                 : py_err_format(py_exc_TypeError,
                                                 "object supporting the buffer API required");
    ssize_t size;
    const char *data = py_bytes_data(b, &size);
    unsigned char digest[64];
    sha512((const unsigned char *)data, (size_t)size, digest);
    ft_decref(b);
    return py_bytes_from_buf((const char *)digest, sizeof digest);
}

static const py_method_def random_methods[] = {
    { "seed", random_seed, 0 },
    { "random", random_random, 0 },
    { "getrandbits", random_getrandbits, 0 },
    { "getstate", random_getstate, 0 },
    { "setstate", random_setstate, 0 },
    { NULL, NULL, 0 },
};

static py_type py_random_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "_random.Random", .tp_basicsize = sizeof(random_object),
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE,
        .tp_dealloc = random_dealloc,
    },
    .tp_new = random_tp_new,
    .tp_init = random_tp_init,
    .tp_methods = random_methods,
};

static int random_exec(ft_object *m)
{
    if (py_type_ready(&py_random_class) < 0)
        return -1;
    return py_module_add(m, "Random", py_type_as_obj(&py_random_class));
}

static const py_method_def random_module_methods[] = {
    { "_sha512", random_sha512, 0 },
    { NULL, NULL, 0 },
};

const py_module_def py_random_module_def = { "_random", random_exec, random_module_methods };
