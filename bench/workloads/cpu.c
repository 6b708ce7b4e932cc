/* cpu.c — CPU-bound workloads: object churn of the kinds a Python program
 * makes. Every worker owns what it allocates (nothing is shared), so in
 * nogil the threads should run in parallel and in gil take turns.
 *
 * Each unit checks its own result against a value computed without the
 * runtime (or published), so a broken build fails instead of running fast.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../ftbench.h"

/* ---- binary trees ----------------------------------------------------------
 * The benchmarks game's binary-trees over tuples: a node is (left, right),
 * a leaf (None, None). Each unit builds a tree of TREE_DEPTH, counts its
 * nodes, and frees it; interior tuples are tracked by the cycle GC, so its
 * collections (and, in nogil, their stop-the-world pauses) are part of
 * the cost, as in Python. */
enum { TREE_DEPTH = 12 };

static ft_object *tree_make(int depth)
{
    ft_object *t = ftb_ok(ft_tuple_new(2), "ft_tuple_new");
    if (depth == 0) {
        ft_tuple_set_steal(t, 0, ft_none());
        ft_tuple_set_steal(t, 1, ft_none());
        return t;
    }
    ft_object *l = tree_make(depth - 1), *r = tree_make(depth - 1);
    ftb_ok_int(ft_tuple_set_steal(t, 0, l), "ft_tuple_set_steal");
    ftb_ok_int(ft_tuple_set_steal(t, 1, r), "ft_tuple_set_steal");
    /* Every 64 nodes; both subtrees are complete here. */
    if (depth == 6)
        ft_checkpoint();
    return t;
}

static long tree_count(ft_object *t)
{
    ft_object *l = ft_tuple_get_borrow(t, 0);
    if (l == ft_none())
        return 1;
    return 1 + tree_count(l) + tree_count(ft_tuple_get_borrow(t, 1));
}

static void bintrees_worker(ftb_worker *w)
{
    const long want = (2L << TREE_DEPTH) - 1;
    for (long u = 0; u < w->units; u++) {
        ft_object *t = tree_make(TREE_DEPTH);
        long n = tree_count(t);
        ft_decref(t);
        if (n != want)
            return ftb_worker_fail(w, "tree of depth %d has %ld nodes, want %ld",
                                   TREE_DEPTH, n, want);
    }
}

const ftb_workload ftb_bintrees = {
    .name = "bintrees", .kind = FTB_CPU, .unit = "s",
    .desc = "build, count and free binary trees of tuples (depth 12)",
    .units = { 400, 100, 4 }, .worker = bintrees_worker,
};

/* ---- boxed-float n-body ------------------------------------------------------
 * The benchmarks game's n-body with every number a float object in a list
 * per body, [x, y, z, vx, vy, vz, mass], read and replaced as a Python
 * program would. A unit advances a fresh system NBODY_STEPS steps; its
 * energy before and after must be the published -0.169075164 and
 * -0.169087605 (to 1e-9). */
enum { NBODIES = 5, NBODY_STEPS = 1000 };
enum { X, Y, Z, VX, VY, VZ, MASS };
#define SOLAR_MASS (4 * M_PI * M_PI)
#define DAYS_PER_YEAR 365.24

static const double bodies0[NBODIES][7] = {
    { 0, 0, 0, 0, 0, 0, SOLAR_MASS },
    { 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
      -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS },
    { 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
      2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS },
    { 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
      -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS },
    { 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
      -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS },
};

static double getf(ft_object *body, int i)
{
    ft_object *f = ftb_ok(ft_list_get(body, i), "ft_list_get");
    double v = ft_float_as_double(f);
    ft_decref(f);
    return v;
}

static void setf(ft_object *body, int i, double v)
{
    ft_object *f = ftb_ok(ft_float_from_double(v), "ft_float_from_double");
    ftb_ok_int(ft_list_set(body, i, f), "ft_list_set");
    ft_decref(f);
}

/* A list of body lists, the sun's velocity offset so momentum is zero. */
static ft_object *nbody_system(void)
{
    ft_object *sys = ftb_ok(ft_list_new(NBODIES), "ft_list_new");
    double p[3] = { 0, 0, 0 };
    for (int b = 0; b < NBODIES; b++) {
        ft_object *body = ftb_ok(ft_list_new(7), "ft_list_new");
        for (int k = 0; k < 7; k++)
            setf(body, k, bodies0[b][k]);
        for (int k = 0; k < 3; k++)
            p[k] += bodies0[b][VX + k] * bodies0[b][MASS];
        ftb_ok_int(ft_list_set(sys, b, body), "ft_list_set");
        ft_decref(body);
    }
    ft_object *sun = ft_list_get(sys, 0);
    for (int k = 0; k < 3; k++)
        setf(sun, VX + k, -p[k] / SOLAR_MASS);
    ft_decref(sun);
    return sys;
}

static void nbody_pair(ft_object *a, ft_object *b, double dt)
{
    double d[3], ma = getf(a, MASS), mb = getf(b, MASS);
    for (int k = 0; k < 3; k++)
        d[k] = getf(a, X + k) - getf(b, X + k);
    double d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    double mag = dt / (d2 * sqrt(d2));
    for (int k = 0; k < 3; k++) {
        setf(a, VX + k, getf(a, VX + k) - d[k] * mb * mag);
        setf(b, VX + k, getf(b, VX + k) + d[k] * ma * mag);
    }
}

static void nbody_advance(ft_object **body, double dt)
{
    for (int i = 0; i < NBODIES; i++)
        for (int j = i + 1; j < NBODIES; j++)
            nbody_pair(body[i], body[j], dt);
    for (int i = 0; i < NBODIES; i++)
        for (int k = 0; k < 3; k++)
            setf(body[i], X + k, getf(body[i], X + k) + dt * getf(body[i], VX + k));
}

static double nbody_energy(ft_object **body)
{
    double e = 0;
    for (int i = 0; i < NBODIES; i++) {
        double m = getf(body[i], MASS), v2 = 0;
        for (int k = 0; k < 3; k++)
            v2 += getf(body[i], VX + k) * getf(body[i], VX + k);
        e += 0.5 * m * v2;
        for (int j = i + 1; j < NBODIES; j++) {
            double d2 = 0;
            for (int k = 0; k < 3; k++) {
                double d = getf(body[i], X + k) - getf(body[j], X + k);
                d2 += d * d;
            }
            e -= m * getf(body[j], MASS) / sqrt(d2);
        }
    }
    return e;
}

static void nbody_worker(ftb_worker *w)
{
    for (long u = 0; u < w->units; u++) {
        ft_object *sys = nbody_system(), *body[NBODIES];
        for (int b = 0; b < NBODIES; b++)
            body[b] = ft_list_get(sys, b);
        double e0 = nbody_energy(body);
        for (int s = 0; s < NBODY_STEPS; s++) {
            nbody_advance(body, 0.01);
            ft_checkpoint();
        }
        double e1 = nbody_energy(body);
        for (int b = 0; b < NBODIES; b++)
            ft_decref(body[b]);
        ft_decref(sys);
        if (fabs(e0 - -0.169075164) > 1e-9 || fabs(e1 - -0.169087605) > 1e-9)
            return ftb_worker_fail(w, "energy %.9f -> %.9f after %d steps, want "
                                   "-0.169075164 -> -0.169087605", e0, e1,
                                   NBODY_STEPS);
    }
}

const ftb_workload ftb_nbody = {
    .name = "nbody", .kind = FTB_CPU, .unit = "s",
    .desc = "boxed-float n-body, 1000 steps of 5 bodies (energy checked)",
    .units = { 40, 10, 1 }, .worker = nbody_worker,
};

/* ---- dict word counts -------------------------------------------------------
 * A fixed text of TEXT_WORDS words over VOCAB distinct ones (made by the
 * LCG, the same for every worker). A unit makes a str of every word, as
 * split() would, counts them in a dict (get, add one, set), and checks
 * every count against the text's. */
enum { VOCAB = 400, TEXT_WORDS = 4000, WORD_MAX = 12 };

typedef struct words {
    char vocab[VOCAB][WORD_MAX];
    int text[TEXT_WORDS];       /* indexes into vocab */
    int count[VOCAB];           /* occurrences in text */
} words;

static void *words_setup(ftb_size size, int variant)
{
    (void)size, (void)variant;
    words *s = calloc(1, sizeof *s);
    if (!s)
        ftb_fail("out of memory");
    uint64_t x = 42;
    for (int v = 0; v < VOCAB; v++) {
        int len = 4 + (int)(ftb_rand(&x) % 8);
        for (int k = 0; k < len - 3; k++)
            s->vocab[v][k] = (char)('a' + ftb_rand(&x) % 26);
        /* Distinct words: the index as a suffix. */
        snprintf(s->vocab[v] + len - 3, 4, "%03d", v);
    }
    for (int i = 0; i < TEXT_WORDS; i++) {
        /* Zipf-like: small indexes much more often. */
        uint64_t r = ftb_rand(&x) % VOCAB;
        s->text[i] = (int)(r * r / VOCAB);
        s->count[s->text[i]]++;
    }
    return s;
}

static void count_word(ft_object *d, const char *word)
{
    ft_object *k = ftb_ok(ft_str_from_utf8(word, -1), "ft_str_from_utf8");
    ft_object *n = ft_dict_get(d, k), *n1;
    if (n) {
        n1 = ftb_ok(ft_int_from_i64(ft_int_as_i64(n) + 1), "ft_int_from_i64");
        ft_decref(n);
    } else {
        ft_err_clear();
        n1 = ft_int_from_i64(1);
    }
    ftb_ok_int(ft_dict_set(d, k, n1), "ft_dict_set");
    ft_decref(n1);
    ft_decref(k);
}

static bool words_check(ftb_worker *w, const words *s, ft_object *d)
{
    for (int v = 0; v < VOCAB; v++) {
        ft_object *k = ftb_ok(ft_str_from_utf8(s->vocab[v], -1), "ft_str_from_utf8");
        ft_object *n = ft_dict_get(d, k);
        int64_t got = n ? ft_int_as_i64(n) : 0;
        if (!n)
            ft_err_clear();
        ft_xdecref(n);
        ft_decref(k);
        if (got != s->count[v]) {
            ftb_worker_fail(w, "word '%s' counted %lld times, want %d",
                            s->vocab[v], (long long)got, s->count[v]);
            return false;
        }
    }
    return true;
}

static void words_worker(ftb_worker *w)
{
    const words *s = w->state;
    for (long u = 0; u < w->units; u++) {
        ft_object *d = ftb_ok(ft_dict_new(), "ft_dict_new");
        for (int i = 0; i < TEXT_WORDS; i++) {
            count_word(d, s->vocab[s->text[i]]);
            if (i % FTB_CHECK_EVERY == 0)
                ft_checkpoint();
        }
        bool ok = words_check(w, s, d);
        ft_decref(d);
        if (!ok)
            return;
    }
}

const ftb_workload ftb_dictwords = {
    .name = "dictwords", .kind = FTB_CPU, .unit = "s",
    .desc = "count the words of a 4000-word text in a dict (counts checked)",
    .units = { 150, 40, 2 }, .setup = words_setup, .worker = words_worker,
    .teardown = free,
};

/* ---- list build + sort ---------------------------------------------------
 * A unit appends SORT_N pseudo-random ints (mortal: above 256) to a list,
 * sorts them in C (qsort of the objects, compared by value) into a new
 * list, and checks it is sorted and sums to what was appended. */
enum { SORT_N = 4000 };

static int cmp_int_obj(const void *a, const void *b)
{
    int64_t x = ft_int_as_i64(*(ft_object *const *)a);
    int64_t y = ft_int_as_i64(*(ft_object *const *)b);
    return (x > y) - (x < y);
}

static ft_object *sorted_copy(ft_object *l, ft_object **tmp)
{
    for (ssize_t i = 0; i < SORT_N; i++)
        tmp[i] = ftb_ok(ft_list_get(l, i), "ft_list_get");
    qsort(tmp, SORT_N, sizeof *tmp, cmp_int_obj);
    ft_object *s = ftb_ok(ft_list_new(0), "ft_list_new");
    for (ssize_t i = 0; i < SORT_N; i++) {
        ftb_ok_int(ft_list_append(s, tmp[i]), "ft_list_append");
        ft_decref(tmp[i]);
        if (i % FTB_CHECK_EVERY == 0)
            ft_checkpoint();
    }
    return s;
}

static bool sort_check(ftb_worker *w, ft_object *s, int64_t want_sum)
{
    int64_t sum = 0, prev = INT64_MIN;
    for (ssize_t i = 0; i < SORT_N; i++) {
        ft_object *o = ftb_ok(ft_list_get(s, i), "ft_list_get");
        int64_t v = ft_int_as_i64(o);
        ft_decref(o);
        if (v < prev) {
            ftb_worker_fail(w, "not sorted at %zd: %lld after %lld", i,
                            (long long)v, (long long)prev);
            return false;
        }
        sum += v, prev = v;
    }
    if (sum != want_sum)
        ftb_worker_fail(w, "sorted list sums to %lld, want %lld", (long long)sum,
                        (long long)want_sum);
    return sum == want_sum;
}

static void sort_worker(ftb_worker *w)
{
    ft_object **tmp = malloc(SORT_N * sizeof *tmp);
    if (!tmp)
        ftb_fail("out of memory");
    uint64_t x = (uint64_t)w->index + 1;
    for (long u = 0; u < w->units; u++) {
        ft_object *l = ftb_ok(ft_list_new(0), "ft_list_new");
        int64_t sum = 0;
        for (int i = 0; i < SORT_N; i++) {
            int64_t v = 1000 + (int64_t)(ftb_rand(&x) % 1000000);
            ft_object *o = ftb_ok(ft_int_from_i64(v), "ft_int_from_i64");
            ftb_ok_int(ft_list_append(l, o), "ft_list_append");
            ft_decref(o);
            sum += v;
            if (i % FTB_CHECK_EVERY == 0)
                ft_checkpoint();
        }
        ft_object *s = sorted_copy(l, tmp);
        bool ok = sort_check(w, s, sum);
        ft_decref(s);
        ft_decref(l);
        if (!ok)
            break;
    }
    free(tmp);
}

const ftb_workload ftb_listsort = {
    .name = "listsort", .kind = FTB_CPU, .unit = "s",
    .desc = "append 4000 ints to a list, sort into a new list (order, sum checked)",
    .units = { 100, 25, 2 }, .worker = sort_worker,
};

/* ---- string concatenation vs join ----------------------------------------
 * The `s = s + piece` scenario (docs/architecture.md, "Scenarios"): in a
 * loop it copies the whole string every time (quadratic),
 * `"".join(pieces)` builds it once. Both make the same STR_PIECES pieces
 * ("w0000;" ... ) and check the result's length and bytes. */
enum { STR_PIECES = 500, PIECE_LEN = 6 };

static ft_object *piece(int i)
{
    char buf[16];
    snprintf(buf, sizeof buf, "w%04d;", i % 10000);
    return ftb_ok(ft_str_from_utf8(buf, PIECE_LEN), "ft_str_from_utf8");
}

/* a + b as a new str: what BINARY_ADD of two strs does. */
static ft_object *str_concat(ft_object *a, ft_object *b, char **buf, size_t *cap)
{
    ssize_t na, nb;
    const char *pa = ft_str_utf8_borrow(a, &na), *pb = ft_str_utf8_borrow(b, &nb);
    if ((size_t)(na + nb) > *cap) {
        *cap = (size_t)(na + nb) * 2;
        if (!(*buf = realloc(*buf, *cap)))
            ftb_fail("out of memory");
    }
    memcpy(*buf, pa, (size_t)na);
    memcpy(*buf + na, pb, (size_t)nb);
    return ftb_ok(ft_str_from_utf8(*buf, na + nb), "ft_str_from_utf8");
}

static bool str_check(ftb_worker *w, ft_object *s)
{
    ssize_t n;
    const char *p = ft_str_utf8_borrow(s, &n);
    if (n != STR_PIECES * PIECE_LEN || ft_len(s) != n) {
        ftb_worker_fail(w, "result has %zd bytes, want %d", n,
                        STR_PIECES * PIECE_LEN);
        return false;
    }
    for (int i = 0; i < STR_PIECES; i++) {
        char want[16];
        snprintf(want, sizeof want, "w%04d;", i % 10000);
        if (memcmp(p + i * PIECE_LEN, want, PIECE_LEN) != 0) {
            ftb_worker_fail(w, "piece %d is '%.6s', want '%s'", i,
                            p + i * PIECE_LEN, want);
            return false;
        }
    }
    return true;
}

static void concat_worker(ftb_worker *w)
{
    char *buf = NULL;
    size_t cap = 0;
    for (long u = 0; u < w->units; u++) {
        ft_object *s = ftb_ok(ft_str_from_utf8("", 0), "ft_str_from_utf8");
        for (int i = 0; i < STR_PIECES; i++) {
            ft_object *p = piece(i), *t = str_concat(s, p, &buf, &cap);
            ft_decref(p);
            ft_decref(s);
            s = t;
            if (i % 16 == 0)
                ft_checkpoint();
        }
        bool ok = str_check(w, s);
        ft_decref(s);
        if (!ok)
            break;
    }
    free(buf);
}

/* "".join(list): one pass for the length, one buffer, one str. */
static ft_object *str_join(ft_object *list)
{
    ssize_t n = ft_len(list), total = 0;
    for (ssize_t i = 0; i < n; i++) {
        ft_object *p = ftb_ok(ft_list_get(list, i), "ft_list_get");
        total += ft_len(p);
        ft_decref(p);
    }
    char *buf = malloc((size_t)total + 1);
    if (!buf)
        ftb_fail("out of memory");
    for (ssize_t i = 0, at = 0; i < n; i++) {
        ssize_t len;
        ft_object *p = ft_list_get(list, i);
        const char *bytes = ft_str_utf8_borrow(p, &len);
        memcpy(buf + at, bytes, (size_t)len);
        at += len;
        ft_decref(p);
    }
    ft_object *s = ftb_ok(ft_str_from_utf8(buf, total), "ft_str_from_utf8");
    free(buf);
    return s;
}

static void join_worker(ftb_worker *w)
{
    for (long u = 0; u < w->units; u++) {
        ft_object *l = ftb_ok(ft_list_new(0), "ft_list_new");
        for (int i = 0; i < STR_PIECES; i++) {
            ft_object *p = piece(i);
            ftb_ok_int(ft_list_append(l, p), "ft_list_append");
            ft_decref(p);
            if (i % FTB_CHECK_EVERY == 0)
                ft_checkpoint();
        }
        ft_object *s = str_join(l);
        ft_decref(l);
        bool ok = str_check(w, s);
        ft_decref(s);
        if (!ok)
            break;
    }
}

const ftb_workload ftb_str_concat = {
    .name = "str-concat", .kind = FTB_CPU, .unit = "s",
    .desc = "s = s + piece, 500 times (quadratic copying; bytes checked)",
    .units = { 600, 150, 3 }, .worker = concat_worker,
};

const ftb_workload ftb_str_join = {
    .name = "str-join", .kind = FTB_CPU, .unit = "s",
    .desc = "the same 500 pieces in a list, joined once (bytes checked)",
    .units = { 600, 150, 3 }, .worker = join_worker,
};

/* ---- tuple churn ----------------------------------------------------------
 * A ring of TUPLE_RING small tuples (1..6 items: small ints, mortal ints
 * and floats), each replaced in turn: the tuple and float free lists and
 * the allocator at full speed. A unit is TUPLE_OPS replacements; the ring
 * is then checked against the same sums computed in C. */
enum { TUPLE_RING = 256, TUPLE_OPS = 20000 };

static ft_object *item(int64_t v)
{
    return v % 3 == 2 ? ftb_ok(ft_float_from_double((double)v), "ft_float_from_double")
                      : ftb_ok(ft_int_from_i64(v % 3 ? v + 1000 : v % 200), "ft_int_from_i64");
}

static double item_value(int64_t v)
{
    return v % 3 == 2 ? (double)v : (double)(v % 3 ? v + 1000 : v % 200);
}

static ft_object *make_tuple(int64_t seed, int len)
{
    ft_object *t = ftb_ok(ft_tuple_new(len), "ft_tuple_new");
    for (int k = 0; k < len; k++)
        ftb_ok_int(ft_tuple_set_steal(t, k, item(seed + k)), "ft_tuple_set_steal");
    return t;
}

static double ring_sum(ft_object **ring)
{
    double sum = 0;
    for (int i = 0; i < TUPLE_RING; i++)
        for (ssize_t k = 0; ring[i] && k < ft_len(ring[i]); k++)
            sum += ft_float_as_double(ft_tuple_get_borrow(ring[i], k));
    return sum;
}

static void tuple_worker(ftb_worker *w)
{
    ft_object *ring[TUPLE_RING] = { 0 };
    double want[TUPLE_RING] = { 0 };
    uint64_t x = (uint64_t)w->index * 7 + 3;
    for (long u = 0; u < w->units; u++) {
        for (int i = 0; i < TUPLE_OPS; i++) {
            int slot = i % TUPLE_RING, len = 1 + (int)(ftb_rand(&x) % 6);
            int64_t seed = (int64_t)(ftb_rand(&x) % 100000);
            ft_xdecref(ring[slot]);
            ring[slot] = make_tuple(seed, len);
            want[slot] = 0;
            for (int k = 0; k < len; k++)
                want[slot] += item_value(seed + k);
            if (i % FTB_CHECK_EVERY == 0)
                ft_checkpoint();
        }
        double sum = 0, got = ring_sum(ring);
        for (int i = 0; i < TUPLE_RING; i++)
            sum += want[i];
        if (got != sum) {
            ftb_worker_fail(w, "ring of tuples sums to %.1f, want %.1f", got, sum);
            break;
        }
    }
    for (int i = 0; i < TUPLE_RING; i++)
        ft_xdecref(ring[i]);
}

const ftb_workload ftb_tuple_churn = {
    .name = "tuple-churn", .kind = FTB_CPU, .unit = "s",
    .desc = "replace tuples of 1-6 ints/floats in a ring (sums checked)",
    .units = { 60, 15, 1 }, .worker = tuple_worker,
};

/* ---- countdown ------------------------------------------------------------
 * Beazley's `while n > 0: n -= 1` ("Understanding the Python GIL", PyCon
 * 2010), the loop behind the best-known GIL charts. Each step reads n,
 * compares it with 0 and makes a new int object n - 1, dropping the old
 * one: above the small-int cache (-5..256) that is an allocation and a
 * free per step, as in CPython. The eval loop checks its breaker at every
 * backward jump, so each step ends with a checkpoint (not one per
 * FTB_CHECK_EVERY): how often a thread can be asked to drop the GIL is
 * part of what the loop measures. A unit counts down from COUNTDOWN_FROM;
 * its check: that many steps, ending at the immortal 0, and the values
 * seen summing to COUNTDOWN_FROM (COUNTDOWN_FROM + 1) / 2. */
enum { COUNTDOWN_FROM = 1000000 };

static void countdown_worker(ftb_worker *w)
{
    const int64_t want = (int64_t)COUNTDOWN_FROM * (COUNTDOWN_FROM + 1) / 2;
    for (long u = 0; u < w->units; u++) {
        ft_object *n = ftb_ok(ft_int_from_i64(COUNTDOWN_FROM), "ft_int_from_i64");
        int64_t steps = 0, sum = 0, v;
        while ((v = ft_int_as_i64(n)) > 0) {
            ft_object *next = ftb_ok(ft_int_from_i64(v - 1), "ft_int_from_i64");
            ft_decref(n);
            n = next;
            sum += v, steps++;
            ft_checkpoint();
        }
        bool immortal_zero = ft_is_immortal(n) && v == 0;
        ft_decref(n);
        if (steps != COUNTDOWN_FROM || sum != want || !immortal_zero)
            return ftb_worker_fail(w, "countdown from %d took %lld steps, summed "
                                   "%lld (want %d, %lld), ended %s", COUNTDOWN_FROM,
                                   (long long)steps, (long long)sum, COUNTDOWN_FROM,
                                   (long long)want, immortal_zero ? "at 0" : "elsewhere");
    }
}

const ftb_workload ftb_countdown = {
    .name = "countdown", .kind = FTB_CPU, .unit = "s",
    .desc = "Beazley's while n > 0: n -= 1 on int objects, 1M steps a unit",
    .units = { 40, 10, 1 }, .worker = countdown_worker,
};
