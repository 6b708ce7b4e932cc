/* init.c — ft_init / ft_fini and configuration (ftlab/runtime.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/tstate.h"
#include "mem/backend.h"
#include "internal/gc.h"
#include "internal/object.h"
#include "internal/qsbr.h"
#include "tools/traces.h"

ft_runtime _ft_runtime = { .head_lock = PTHREAD_MUTEX_INITIALIZER };

enum { FT_DEFAULT_SWITCH_INTERVAL_US = 5000,
       FT_MAX_SWITCH_INTERVAL_US = 10 * 1000 * 1000 };

const char *ft_flavor(void) { return FT_FLAVOR; }

bool ft_is_initialized(void)
{
    return ft_atomic_load_relaxed(&_ft_runtime.xinitialized);
}

/* "ftlab-abi/<flavor>/<version>" -> "<flavor>" (into buf). */
static const char *abi_flavor(const char *tag, char *buf, size_t size)
{
    const char *p = strchr(tag, '/');
    const char *q = p ? strchr(p + 1, '/') : NULL;
    if (!p || !q || (size_t)(q - p - 1) >= size)
        return "unknown";
    memcpy(buf, p + 1, (size_t)(q - p - 1));
    buf[q - p - 1] = '\0';
    return buf;
}

static int check_abi(const char *tag)
{
    if (tag && strcmp(tag, FT_ABI_TAG) == 0)
        return 0;
    char buf[32];
    const char *theirs = tag ? abi_flavor(tag, buf, sizeof buf) : "unknown";
    ft_err_set(FT_ERR_RUNTIME,
               "flavor mismatch: this program was compiled against the '%s' "
               "headers (%s) but is linked to the '%s' library (%s); build it "
               "with the headers and library of one flavor, e.g. "
               "`pkg-config --cflags --libs ftlab-%s` or the CMake target "
               "ftlab::%s",
               theirs, tag ? tag : "no tag", FT_FLAVOR, FT_ABI_TAG,
               FT_FLAVOR, FT_FLAVOR);
    fprintf(stderr, "ftlab: %s\n", ft_err_message());
    return -1;
}

/* A whole decimal number in [lo, hi], or an error naming the variable. */
static int parse_long(const char *name, const char *text, long lo, long hi,
                      long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < lo || v > hi)
        return ft_err_set(FT_ERR_VALUE, "%s='%s': expected a whole number "
                          "from %ld to %ld", name, text, lo, hi);
    *out = v;
    return 0;
}

/* "t0[,t1[,t2]]" into threshold[] (which holds the defaults). */
static int parse_thresholds(const char *name, const char *text, int threshold[3])
{
    const char *p = text;
    for (int g = 0; g < 3; g++) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (errno || end == p || v < 0 || v > INT_MAX || (*end && *end != ','))
            return ft_err_set(FT_ERR_VALUE, "%s='%s': expected 1 to 3 whole "
                              "numbers >= 0 separated by commas", name, text);
        threshold[g] = (int)v;
        if (!*end)
            return 0;
        p = end + 1;
    }
    return ft_err_set(FT_ERR_VALUE, "%s='%s': more than 3 thresholds", name, text);
}

static int gc_threshold[3];

static int resolve_gc_threshold(const ft_config *cfg)
{
    gc_threshold[0] = 2000;   /* CPython 3.13's defaults */
    gc_threshold[1] = 10;
    gc_threshold[2] = 10;
    if (cfg->gc_threshold)
        return parse_thresholds("ft_config.gc_threshold", cfg->gc_threshold,
                                gc_threshold);
    const char *env = getenv("FT_GC_THRESHOLD");
    return env ? parse_thresholds("FT_GC_THRESHOLD", env, gc_threshold) : 0;
}

static int resolve_config(const ft_config *in, ft_config *out)
{
    *out = in ? *in : (ft_config)FT_CONFIG_INIT;
    if (out->switch_interval_us == 0) {
        const char *env = getenv("FT_SWITCH_INTERVAL_US");
        out->switch_interval_us = FT_DEFAULT_SWITCH_INTERVAL_US;
        if (env && parse_long("FT_SWITCH_INTERVAL_US", env, 1,
                              FT_MAX_SWITCH_INTERVAL_US,
                              &out->switch_interval_us) < 0)
            return -1;
    } else if (out->switch_interval_us < 1 ||
               out->switch_interval_us > FT_MAX_SWITCH_INTERVAL_US) {
        return ft_err_set(FT_ERR_VALUE, "ft_config.switch_interval_us=%ld: "
                          "expected 1 to %d", out->switch_interval_us,
                          FT_MAX_SWITCH_INTERVAL_US);
    }
    if (out->gil != -1 && out->gil != 0 && out->gil != 1)
        return ft_err_set(FT_ERR_VALUE, "ft_config.gil=%d: expected -1, 0 or 1",
                          out->gil);
    if (!out->malloc)
        out->malloc = getenv("FT_MALLOC");
    if (out->gc_defer != -1 && out->gc_defer != 0 && out->gc_defer != 1)
        return ft_err_set(FT_ERR_VALUE, "ft_config.gc_defer=%d: expected -1, 0 "
                          "or 1", out->gc_defer);
    const char *defer = getenv("FT_GC_DEFER");
    if (out->gc_defer == -1) {
        long v = 1;   /* nogil/gc.c, "The trigger"; gil has nothing to switch */
        if (defer && *defer && parse_long("FT_GC_DEFER", defer, 0, 1, &v) < 0)
            return -1;
        out->gc_defer = (int)v;
    }
    const char *env = getenv("FT_GIL");
    if (out->gil == -1 && env && *env) {
        long v = -1;
        if (parse_long("FT_GIL", env, 0, 1, &v) < 0)
            return -1;
        out->gil = (int)v;
    }
    return _ft_flavor_resolve_gil(out);
}

int _ft_init_checked(const ft_config *cfg, const char *abi_tag)
{
    if (check_abi(abi_tag) < 0)
        return -1;
    ft_runtime *rt = &_ft_runtime;
    if (ft_is_initialized())
        return ft_err_set(FT_ERR_RUNTIME, "ft_init: the runtime is already "
                                          "running (call ft_fini first)");
    ft_config resolved;
    if (resolve_config(cfg, &resolved) < 0 || resolve_gc_threshold(&resolved) < 0)
        return -1;
    if (_ft_mem_init(resolved.malloc) < 0)
        return -1;
    _ft_objects_init();
    ft_mem_stats ms;
    ft_mem_get_stats(&ms);   /* leaks are counted from here */
    rt->mem_baseline_blocks = ms.live_blocks;
    rt->mem_baseline_bytes = ms.live_bytes;
    rt->mem_baseline_objects = ms.live_objects;
    resolved.malloc = NULL;   /* the caller's strings may not outlive us */
    resolved.gc_threshold = NULL;
    rt->config = resolved;
    rt->threads = NULL;
    rt->next_id = 1;
    _ft_stw_init(&rt->stw);
    if (_ft_gil_init(&rt->gil, resolved.gil == 1, resolved.switch_interval_us) < 0)
        return -1;
    ft_atomic_store_release(&rt->xinitialized, true);

    rt->main = _ft_tstate_new(false);
    if (!rt->main) {
        ft_atomic_store_relaxed(&rt->xinitialized, false);
        _ft_gil_fini(&rt->gil);
        return -1;
    }
    _ft_tstate_bind(rt->main);
    _ft_attach(rt->main);
    _ft_gc_init(gc_threshold);
    return 0;
}

static size_t count_threads(ft_runtime *rt)
{
    size_t n = 0;
    pthread_mutex_lock(&rt->head_lock);
    for (ft_tstate *t = rt->threads; t; t = t->next)
        n++;
    pthread_mutex_unlock(&rt->head_lock);
    return n;
}

int ft_fini(ft_fini_report *out)
{
    ft_runtime *rt = &_ft_runtime;
    ft_fini_report report = { 0 };
    if (out)
        *out = report;
    if (!ft_is_initialized())
        return ft_err_set(FT_ERR_RUNTIME, "ft_fini: the runtime is not running");
    if (_ft_tstate_current != rt->main)
        return ft_err_set(FT_ERR_RUNTIME, "ft_fini: only the thread that "
                                          "called ft_init may call ft_fini");
    report.threads = count_threads(rt) - 1;
    if (out)
        *out = report;
    if (report.threads)
        return ft_err_set(FT_ERR_RUNTIME, "ft_fini: %zu other thread(s) still "
                          "registered; join or unregister them first",
                          report.threads);
    ft_object_unshard_all();  /* sharded objects die as ordinary ones */
    _ft_qsbr_decref_flush();  /* references dropped after a grace period */
    _ft_tracemalloc_fini();   /* while this thread is still a QSBR reader */
    _ft_gc_fini();        /* a last collection: cycles are not leaks */
    /* Deferred frees still need the allocator. The one barrier that may
     * wait: from here on this thread is alone, so nothing more goes to
     * call_rcu (nogil/qsbr.c, "Alone, no wait"), and it waits only for
     * what exited threads left in flight. */
    _ft_qsbr_barrier();
    _ft_tstate_delete_current();
    rt->main = NULL;
    _ft_mem_fini();
    ft_mem_stats ms;
    ft_mem_get_stats(&ms);
    report.blocks = ms.live_blocks - rt->mem_baseline_blocks;
    report.bytes = ms.live_bytes - rt->mem_baseline_bytes;
    report.objects = ms.live_objects - rt->mem_baseline_objects;
    if (out)
        *out = report;
    ft_atomic_store_release(&rt->xinitialized, false);
    _ft_gil_fini(&rt->gil);
    return 0;
}
