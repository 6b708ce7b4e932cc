/* phases.c — the per-phase memory report (memory_profiler's table for C
 * workloads; ftlab/tracemalloc.h). */
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "phases.h"
#include "toolmem.h"
#include "traces.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static ft_phase_row *rows;        /* lock */
static size_t nrows, cap;         /* lock */

size_t ft_rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (!f)
        return 0;
    int got = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    return got == 2 ? (size_t)resident * (size_t)sysconf(_SC_PAGESIZE) : 0;
}

static size_t traced_now(void)
{
    size_t current;
    ft_tracemalloc_get_traced_memory(&current, NULL);
    return current;
}

/* lock held */
static bool reserve_row(void)
{
    if (nrows < cap)
        return true;
    size_t ncap = cap ? cap * 2 : 64;
    ft_phase_row *r = _ft_tool_realloc(rows, ncap * sizeof *r);
    if (!r)
        return false;
    rows = r;
    cap = ncap;
    return true;
}

size_t _ft_phase_begin(const char *name, int depth)
{
    ft_phase_row row = {
        .name = name, .depth = depth, .thread_id = ft_thread_id(), .open = true,
        .rss_before = ft_rss_bytes(), .traced_before = traced_now(),
    };
    size_t id = 0;
    pthread_mutex_lock(&lock);
    if (reserve_row()) {
        rows[nrows++] = row;
        id = nrows;
    }
    pthread_mutex_unlock(&lock);
    return id;
}

void _ft_phase_end(size_t id)
{
    size_t traced = traced_now(), rss = ft_rss_bytes();
    pthread_mutex_lock(&lock);
    if (id <= nrows && rows[id - 1].open) {   /* not cleared meanwhile */
        rows[id - 1].open = false;
        rows[id - 1].rss_after = rss;
        rows[id - 1].traced_after = traced;
    }
    pthread_mutex_unlock(&lock);
}

size_t ft_phase_report_get(ft_phase_row *out, size_t max)
{
    pthread_mutex_lock(&lock);
    size_t n = nrows;
    if (out)
        memcpy(out, rows, (n < max ? n : max) * sizeof *out);
    pthread_mutex_unlock(&lock);
    return n;
}

void ft_phase_report_clear(void)
{
    pthread_mutex_lock(&lock);
    free(rows);
    rows = NULL;
    nrows = cap = 0;
    pthread_mutex_unlock(&lock);
}

/* ---- Printing ------------------------------------------------------------- */

static void print_sizes(FILE *f, const ft_phase_row *r, size_t before,
                        size_t after)
{
    char b[32], a[32], d[32];
    ft_format_size(b, sizeof b, (double)before, false);
    if (r->open) {
        fprintf(f, " %11s %11s %11s", b, "(open)", "");
        return;
    }
    ft_format_size(a, sizeof a, (double)after, false);
    ft_format_size(d, sizeof d, (double)after - (double)before, true);
    fprintf(f, " %11s %11s %11s", b, a, d);
}

static bool many_threads(const ft_phase_row *r, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (r[i].thread_id != r[0].thread_id)
            return true;
    return false;
}

static void print_row(FILE *f, const ft_phase_row *r, bool threads)
{
    char name[64];
    snprintf(name, sizeof name, "%*s%s", 2 * r->depth, "", r->name);
    if (threads)
        fprintf(f, "%6" PRIu64 "  ", r->thread_id);
    fprintf(f, "%-36s", name);
    print_sizes(f, r, r->rss_before, r->rss_after);
    fprintf(f, " ");
    print_sizes(f, r, r->traced_before, r->traced_after);
    fprintf(f, "\n");
}

void ft_phase_report_print(FILE *f)
{
    pthread_mutex_lock(&lock);
    bool threads = many_threads(rows, nrows);
    if (threads)
        fprintf(f, "%6s  ", "thread");
    fprintf(f, "%-36s %11s %11s %11s  %11s %11s %11s\n", "phase", "RSS before",
            "RSS after", "increment", "traced bef.", "traced aft.", "increment");
    for (size_t i = 0; i < nrows; i++)
        print_row(f, &rows[i], threads);
    if (nrows == 0)
        fprintf(f, "(no phase recorded: push phases with FT_PHASE_BEGIN while "
                   "tracing)\n");
    pthread_mutex_unlock(&lock);
}
