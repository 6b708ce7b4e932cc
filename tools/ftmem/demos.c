/* demos.c — ftmem's built-in workloads, the behaviours of
 * docs/architecture.md, "Scenarios":
 *
 *   concat  building a string with s = s + piece versus one join
 *   cache   a cache of instances in a dict, with __dict__ and __slots__
 *   leak    a registry that is never cleared, growing a list of cycles
 *
 * Each names its phases and sites so that the report reads like
 * memory_profiler's and tracemalloc's output for the same Python code.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "demos.h"

#define CHECK(x) do { if (!(x)) return -1; } while (0)

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int keep(ftmem_state *st, ft_object *o)
{
    for (int i = 0; i < FTMEM_KEEP; i++)
        if (!st->keep[i]) {
            st->keep[i] = o;
            return 0;
        }
    ft_decref(o);
    ft_err_set(FT_ERR_RUNTIME, "ftmem: a workload kept too many objects");
    return -1;
}

static ft_type *new_class(ftmem_state *st, const char *name,
                          const char *const *slots)
{
    ft_type *t = ft_class_new(name, slots);
    for (int i = 0; t && i < FTMEM_KEEP; i++)
        if (!st->classes[i]) {
            st->classes[i] = t;
            break;
        }
    return t;
}

void ftmem_release(ftmem_state *st)
{
    for (int i = 0; i < FTMEM_KEEP; i++) {
        ft_xdecref(st->keep[i]);
        st->keep[i] = NULL;
    }
    ft_gc_collect(-1);   /* the cycles the workloads built */
    for (int i = 0; i < FTMEM_KEEP; i++) {
        if (st->classes[i])
            ft_decref(&st->classes[i]->ob_base);
        st->classes[i] = NULL;
    }
    st->focus = NULL;
}

static int set_int(ft_object *o, const char *name, int64_t v)
{
    ft_object *x = ft_int_from_i64(v);
    int rc = x ? ft_setattr(o, name, x) : -1;
    ft_xdecref(x);
    return rc;
}

/* ---- concat: s = s + piece versus ''.join(pieces) ------------------------ */

enum { PIECES = 2000, PIECE = 16 };

static int concat_loop(ftmem_state *st, char *buf)
{
    ft_object *s = ft_str_from_utf8("", 0);
    size_t len = 0;
    for (int i = 0; i < PIECES && s; i++) {
        len += (size_t)snprintf(buf + len, PIECE + 1, "piece %09d ", i);
        FT_TRACE_HERE(); ft_object *t = ft_str_from_utf8(buf, (ssize_t)len);   /* s = s + piece */
        ft_decref(s);
        s = t;
    }
    return s ? keep(st, s) : -1;
}

static ft_object *make_pieces(void)
{
    char piece[PIECE + 1];
    ft_object *pieces = ft_list_new(0);
    for (int i = 0; i < PIECES && pieces; i++) {
        snprintf(piece, sizeof piece, "piece %09d ", i);
        FT_TRACE_HERE(); ft_object *p = ft_str_from_utf8(piece, PIECE);
        if (!p || ft_list_append(pieces, p) < 0) {
            ft_xdecref(p);
            ft_decref(pieces);
            return NULL;
        }
        ft_decref(p);
    }
    return pieces;
}

static int join_pieces(ftmem_state *st, ft_object *pieces)
{
    char *buf = FT_MALLOC((size_t)PIECES * PIECE + 1);   /* ''.join's buffer */
    CHECK(buf);
    for (int i = 0; i < PIECES; i++) {
        ft_object *p = ft_list_get(pieces, i);
        memcpy(buf + (size_t)i * PIECE, ft_str_utf8_borrow(p, NULL), PIECE);
        ft_decref(p);
    }
    FT_TRACE_HERE(); ft_object *s = ft_str_from_utf8(buf, (ssize_t)PIECES * PIECE);
    ft_free(buf);
    return s ? keep(st, s) : -1;
}

static int run_concat(ftmem_state *st)
{
    char *buf = malloc((size_t)PIECES * PIECE + 1);
    CHECK(buf);
    double t0 = now_ms();
    FT_PHASE_BEGIN("concat: s = s + piece");
    int rc = concat_loop(st, buf);
    FT_PHASE_END();
    free(buf);
    CHECK(rc == 0);
    double t1 = now_ms();
    FT_PHASE_BEGIN("join: ''.join(pieces)");
    FT_PHASE_BEGIN("make the pieces");
    ft_object *pieces = make_pieces();
    FT_PHASE_END();
    FT_PHASE_BEGIN("join them");
    rc = pieces ? join_pieces(st, pieces) : -1;
    FT_PHASE_END();
    FT_PHASE_END();
    CHECK(pieces && keep(st, pieces) == 0 && rc == 0);
    fprintf(st->out, "concat: %d pieces added one at a time: %.2f ms (every step "
            "copies the whole string); join: %.2f ms\n", PIECES, t1 - t0,
            now_ms() - t1);
    st->focus = pieces;
    st->depth = 1;
    return 0;
}

/* ---- cache: instances kept in dicts -------------------------------------- */

enum { RECORDS = 10000 };

static int fill_frames(ft_object *cache, ft_type *cls, int n);

static int fill(ft_object *cache, ft_type *cls, int n)
{
    FT_TRACE_PUSH();
    int rc = fill_frames(cache, cls, n);
    ft_trace_pop();
    return rc;
}

static int fill_frames(ft_object *cache, ft_type *cls, int n)
{
    for (int i = 0; i < n; i++) {
        FT_TRACE_HERE(); ft_object *rec = ft_instance_new(cls);
        int rc = rec ? 0 : -1;
        if (rc == 0) {
            FT_TRACE_HERE(); rc = set_int(rec, "id", i);   /* stored inline */
        }
        if (rc == 0) {
            FT_TRACE_HERE(); rc = set_int(rec, "size", i * 10);
        }
        FT_TRACE_HERE(); ft_object *key = ft_int_from_i64(i + 1000);
        if (rc == 0) {
            FT_TRACE_HERE(); rc = key ? ft_dict_set(cache, key, rec) : -1;
        }
        ft_xdecref(rec);
        ft_xdecref(key);
        CHECK(rc == 0);
    }
    return 0;
}

static int evict_half(ft_object *cache)
{
    for (int i = 0; i < RECORDS; i += 2) {
        ft_object *key = ft_int_from_i64(i + 1000);
        int rc = key ? ft_dict_del(cache, key) : -1;
        ft_xdecref(key);
        CHECK(rc == 0);
    }
    return 0;
}

static int run_cache(ftmem_state *st)
{
    static const char *const slots[] = { "id", "size", NULL };
    ft_type *rec = new_class(st, "Record", NULL), *srec = new_class(st, "SlotRecord", slots);
    ft_object *cache = ft_dict_new(), *slot_cache = ft_dict_new();
    CHECK(rec && srec && cache && slot_cache);
    CHECK(keep(st, cache) == 0 && keep(st, slot_cache) == 0);
    FT_PHASE_BEGIN("fill: 10000 Record (__dict__)");
    FT_TRACE_HERE(); int rc = fill(cache, rec, RECORDS);
    FT_PHASE_END();
    CHECK(rc == 0);
    FT_PHASE_BEGIN("fill: 10000 SlotRecord (__slots__)");
    FT_TRACE_HERE(); rc = fill(slot_cache, srec, RECORDS);
    FT_PHASE_END();
    CHECK(rc == 0);
    FT_PHASE_BEGIN("evict half of the Records");
    rc = evict_half(cache);
    FT_PHASE_END();
    CHECK(rc == 0);
    ft_object *key = ft_int_from_i64(1001);
    CHECK(key);
    st->focus = ft_dict_get(cache, key);   /* a survivor: who holds it? */
    ft_decref(key);
    CHECK(st->focus);
    ft_decref(st->focus);                  /* the cache keeps it alive */
    st->backrefs = true;
    st->depth = 4;
    return 0;
}

/* ---- leak: a registry of cycles that nobody clears ------------------------ */

enum { REQUESTS = 3, PER_REQUEST = 1000 };

static int one_request_frames(ft_object *registry, ft_type *node);

/* A call, as an interpreter would record it: one frame for the callee. */
static int one_request(ft_object *registry, ft_type *node)
{
    FT_TRACE_PUSH();
    int rc = one_request_frames(registry, node);
    ft_trace_pop();
    return rc;
}

static int one_request_frames(ft_object *registry, ft_type *node)
{
    for (int i = 0; i < PER_REQUEST; i++) {
        FT_TRACE_HERE(); ft_object *a = ft_instance_new(node), *b = ft_instance_new(node);
        FT_TRACE_HERE(); ft_object *payload = ft_list_new(0);
        int rc = a && b && payload ? 0 : -1;
        for (int k = 0; k < 8 && rc == 0; k++) {
            FT_TRACE_HERE(); ft_object *x = ft_float_from_double(i + k / 8.0);
            rc = x ? ft_list_append(payload, x) : -1;
            ft_xdecref(x);
        }
        if (rc == 0) {
            FT_TRACE_HERE(); rc = ft_setattr(a, "peer", b) | ft_setattr(b, "peer", a) |
                 ft_setattr(a, "payload", payload);
        }
        if (rc == 0 && i % 2 == 0)
            rc = ft_list_append(registry, a);   /* the leak */
        ft_xdecref(a);
        ft_xdecref(b);
        ft_xdecref(payload);
        CHECK(rc == 0);
    }
    return 0;
}

static int run_leak(ftmem_state *st)
{
    static const char *const names[REQUESTS] = { "request 1", "request 2",
                                                 "request 3" };
    ft_type *node = new_class(st, "Node", NULL);
    ft_object *registry = ft_list_new(0);
    CHECK(node && registry && keep(st, registry) == 0);
    ft_decref(ft_objgraph_growth());   /* baseline */
    for (int r = 0; r < REQUESTS; r++) {
        FT_PHASE_BEGIN(names[r]);
        FT_TRACE_HERE(); int rc = one_request(registry, node);
        ssize_t freed = ft_gc_collect(-1);
        FT_PHASE_END();
        CHECK(rc == 0);
        fprintf(st->out, "%s: the collector freed %zd objects; still growing:\n",
                names[r], freed);
        CHECK(ft_objgraph_print_growth(st->out, 4) == 0);
    }
    st->printed_growth = true;
    st->focus = ft_list_get(registry, ft_len(registry) - 1);
    CHECK(st->focus);
    ft_decref(st->focus);
    st->backrefs = true;
    st->depth = 4;   /* far enough to close the a <-> b cycle */
    return 0;
}

const ftmem_demo ftmem_demos[] = {
    { "concat", "build a 32 KB string piece by piece (s = s + piece) and with "
                "one join: the cost of immutable strings", run_concat },
    { "cache", "10000 instances in a dict with __dict__, 10000 with __slots__, "
               "then evict half: where the bytes go", run_cache },
    { "leak", "a registry nobody clears keeps cycles alive across requests: "
              "growth() and the backref chain find it", run_leak },
};
const size_t ftmem_ndemos = sizeof ftmem_demos / sizeof ftmem_demos[0];
