/* ftlab/tracemalloc.h — where memory goes: Python's tracemalloc for the
 * private heap, plus a per-phase memory report (memory_profiler's idea).
 *
 * Glossary
 *   trace       what tracing records for one live block of the private
 *               heap (ft_malloc and friends, objects included): its size
 *               and the traceback of the call that allocated it. A trace
 *               lives from the allocation to the free.
 *   frame       a (filename, lineno) pair. C has no interpreter frames,
 *               so frames come from two places:
 *                 - a per-thread stack the program pushes and pops
 *                   (ft_trace_push / ft_trace_pop, FT_PHASE_BEGIN/END):
 *                   a workload names its phases, the planned bytecode
 *                   interpreter will push one frame per call and keep its
 *                   current line with ft_trace_set_lineno;
 *                 - the allocation macros (FT_MALLOC, FT_CALLOC,
 *                   FT_REALLOC), which add the file:line of the call as
 *                   the innermost frame.
 *   traceback   the innermost frames of the allocation, most recent
 *               first, at most the `nframes` given to ft_tracemalloc_start:
 *               [macro site] + stack top ... stack bottom. A block
 *               allocated with neither is attributed to "<unknown>":0.
 *   snapshot    a copy of every trace at one moment, for statistics.
 *
 * What a trace records: the *requested* size (the n of ft_malloc(n), the
 * size asked for an object and its collector pre-header), as CPython's
 * tracemalloc does — not the usable size of the block, which depends on
 * the backend (obmalloc rounds up to 16-byte classes, see ftlab/mem.h).
 * So traced figures are the same on every backend and flavor wherever
 * the program asks for the same sizes; ft_mem_get_stats counts usable
 * bytes. A block freed or reallocated is untraced (or retraced) at once,
 * when the program frees it, in every flavor: a free that waits for a
 * grace period (nogil) and an object parked on a free list (whose block
 * stays allocated, unlike CPython's tracemalloc) stop counting then; a
 * parked object reused gets the traceback of its new owner.
 *
 * Cost. Off (the default): every allocation and free path of mem.c reads
 * one global flag (relaxed) and takes one predictable branch. On: each
 * allocation takes a trace record from the system allocator and inserts
 * it into a table keyed by block address; each free looks it up and
 * removes it. A record points at its traceback, stored once however many
 * traces share it (as CPython does) and kept until stop or
 * clear_traces. The records are never ft_malloc memory, so tracing is
 * invisible to ft_mem_get_stats and to ft_fini's leak report;
 * ft_tracemalloc_get_tracemalloc_memory counts the live records and the
 * tracebacks (each thread also keeps up to 1024 freed records for its
 * next traces, not counted: they go back to the system at the thread's
 * exit, and at stop for the thread that stops).
 *
 * Concurrency contract
 *   - Allocations and frees on any number of attached threads may run
 *     while tracing, including frees of blocks another thread allocated.
 *     nogil: no global lock on those paths — traces live in a table cut
 *     into shards by address, a lock each (nogil/traces.c), the counters
 *     are atomics and the peak is kept with a CAS loop. gil: the GIL serialises them over
 *     a plain chained table (gil/traces.c): a lock-free table would buy
 *     nothing where one thread runs at a time.
 *   - ft_tracemalloc_start/stop/clear_traces and take_snapshot stop the
 *     world for a moment (ftlab/thread.h): a snapshot is one consistent
 *     moment, and no allocation is half-traced when tracing stops. Call
 *     them attached, not inside a critical section.
 *   - The frame stack is per thread: push/pop affect only the caller.
 *   - filename and name strings are kept by pointer: they must live as
 *     long as tracing data that refers to them (string literals and
 *     __FILE__ do).
 */
#ifndef FTLAB_TRACEMALLOC_H
#define FTLAB_TRACEMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <ftlab/object.h>

/* The deepest traceback a trace may keep. */
#define FT_TRACE_MAX_FRAMES 64

typedef struct ft_frame {
    const char *filename;
    int lineno;
} ft_frame;

typedef struct ft_traceback {
    int nframes;                 /* >= 1 */
    const ft_frame *frames;      /* most recent first */
} ft_traceback;

/* ---- Tracing --------------------------------------------------------- */

/* Starts tracing, keeping tracebacks of at most nframes frames (1 ..
 * FT_TRACE_MAX_FRAMES; ValueError otherwise). Starting again changes
 * the limit for new traces only. Blocks allocated before the start are
 * never traced. Also clears the phase report. 0 or -1 with the error. */
int  ft_tracemalloc_start(int nframes);
/* Stops tracing and forgets every trace (the phase report stays). */
void ft_tracemalloc_stop(void);
bool ft_tracemalloc_is_tracing(void);
/* The nframes of the last start (0 when never started). */
int  ft_tracemalloc_get_traceback_limit(void);
/* Forgets every trace but keeps tracing; current and peak restart at 0. */
void ft_tracemalloc_clear_traces(void);
/* Sizes of the traced blocks now, and the highest that sum has been
 * since the start or the last reset_peak. Both 0 when not tracing. */
void ft_tracemalloc_get_traced_memory(size_t *current, size_t *peak);
/* peak := current. */
void ft_tracemalloc_reset_peak(void);
/* Bytes of system memory tracing itself uses for its records. */
size_t ft_tracemalloc_get_tracemalloc_memory(void);

/* The traceback of the block holding o, copied into frames (up to max);
 * returns its frame count, 0 when o's block is not traced (allocated
 * before the start, or tracing is off). Finds the block even when the
 * collector put a pre-header in front of the object. */
int ft_tracemalloc_get_object_traceback(ft_object *o, ft_frame *frames, int max);

/* ---- Frames ------------------------------------------------------------- */

/* Pushes a frame on the calling thread's stack. Up to FT_TRACE_STACK_MAX
 * frames are kept; deeper pushes are counted (pop matches them) but do
 * not show in tracebacks. */
#define FT_TRACE_STACK_MAX 128
void ft_trace_push(const char *filename, int lineno);
/* Pops the innermost frame (a phase's too); nothing when empty. */
void ft_trace_pop(void);
/* Moves the innermost frame to another line (an interpreter stepping
 * through a function); without a frame, sets the thread's bottom frame,
 * which stays until the thread calls ft_tracemalloc_start or _stop. */
void ft_trace_set_site(const char *filename, int lineno);
void ft_trace_set_lineno(int lineno);

/* A phase: a frame that is also a row of the phase report. While tracing,
 * pushing records RSS and traced memory before, popping after. */
void ft_trace_push_phase(const char *name, const char *filename, int lineno);

#define FT_TRACE_PUSH()      ft_trace_push(__FILE__, __LINE__)
#define FT_TRACE_HERE()      ft_trace_set_site(__FILE__, __LINE__)
#define FT_PHASE_BEGIN(name) ft_trace_push_phase((name), __FILE__, __LINE__)
#define FT_PHASE_END()       ft_trace_pop()

/* ---- Allocation with a site ------------------------------------------
 * Like ft_malloc/ft_calloc/ft_realloc, but while tracing the block's
 * innermost frame is the caller's file:line. */
void *ft_malloc_at(size_t n, const char *filename, int lineno);
void *ft_calloc_at(size_t count, size_t size, const char *filename, int lineno);
void *ft_realloc_at(void *p, size_t n, const char *filename, int lineno);

#define FT_MALLOC(n)        ft_malloc_at((n), __FILE__, __LINE__)
#define FT_CALLOC(c, s)     ft_calloc_at((c), (s), __FILE__, __LINE__)
#define FT_REALLOC(p, n)    ft_realloc_at((p), (n), __FILE__, __LINE__)

/* ---- Snapshots ---------------------------------------------------------- */

typedef struct ft_snapshot ft_snapshot;

typedef struct ft_trace {
    size_t size;
    ft_traceback traceback;
} ft_trace;

/* Every trace now (a brief stop-the-world). NULL with RuntimeError when
 * not tracing, MemoryError when the copy does not fit. */
ft_snapshot *ft_tracemalloc_take_snapshot(void);
void ft_snapshot_free(ft_snapshot *s);
size_t ft_snapshot_count(const ft_snapshot *s);
const ft_trace *ft_snapshot_trace(const ft_snapshot *s, size_t i);
int ft_snapshot_traceback_limit(const ft_snapshot *s);

/* Filters, as tracemalloc.Filter: a frame matches when fnmatch(3) matches
 * its filename against the pattern and lineno is 0 or equal. A filter
 * looks at the innermost frame, or with all_frames at any frame. A trace
 * is kept when it matches one inclusive filter (if any is given) and no
 * exclusive one. */
typedef struct ft_trace_filter {
    bool inclusive;
    const char *filename_pattern;
    int lineno;                   /* 0: any line */
    bool all_frames;
} ft_trace_filter;

/* A new snapshot with the traces the filters keep (s is unchanged).
 * NULL with ValueError for a filter without a pattern. */
ft_snapshot *ft_snapshot_filter_traces(const ft_snapshot *s,
                                       const ft_trace_filter *filters, size_t n);

/* ---- Statistics ----------------------------------------------------------
 * key "lineno" groups traces by their innermost frame, "filename" by its
 * file (lineno 0), "traceback" by the whole traceback. With cumulative,
 * "lineno" and "filename" count a trace once under every frame of its
 * traceback. Sorted by size, then count, largest first. */
typedef struct ft_trace_stat {
    ft_traceback traceback;       /* the group's key                   */
    size_t size, count;
    ssize_t size_diff, count_diff;/* compare_to only: new - old        */
} ft_trace_stat;

typedef struct ft_trace_stats {
    size_t n;
    ft_trace_stat *items;         /* owned: frames point inside        */
} ft_trace_stats;

/* NULL with ValueError for an unknown key (or cumulative with
 * "traceback"), MemoryError when out of memory. */
ft_trace_stats *ft_snapshot_statistics(const ft_snapshot *s, const char *key,
                                       bool cumulative);
/* Groups of both snapshots with size and count deltas (new - old),
 * sorted by |size_diff|, size, |count_diff|, count, largest first;
 * groups present only in old have size 0. */
ft_trace_stats *ft_snapshot_compare_to(const ft_snapshot *new_snap,
                                       const ft_snapshot *old_snap,
                                       const char *key, bool cumulative);
void ft_trace_stats_free(ft_trace_stats *st);

/* Formats one statistic as Python does:
 *   "file.c:12: size=1536 KiB, count=3, average=512 KiB"
 *   "file.c:12: size=1536 KiB (+512 KiB), count=3 (+1), average=512 KiB"
 * (the second with diff). Returns what snprintf returns. */
int ft_trace_stat_format(const ft_trace_stat *st, bool diff, char *buf,
                         size_t len);
/* Prints up to `limit` statistics (0: all), numbered, one per line; with
 * key "traceback", each group's frames follow on their own lines. */
void ft_trace_stats_print(FILE *f, const ft_trace_stats *st, size_t limit,
                          bool diff);
/* "12.5 KiB", "3 B", "+1.0 MiB": sizes as the reports print them. */
void ft_format_size(char *buf, size_t len, double bytes, bool sign);

/* ---- The phase report ------------------------------------------------------
 * One row per phase pushed while tracing, in the order phases began:
 * resident set size (from /proc/self/statm) and traced memory when the
 * phase began and when it ended. */
typedef struct ft_phase_row {
    const char *name;
    int depth;                    /* phases open around it on its thread */
    uint64_t thread_id;           /* ft_thread_id()                      */
    bool open;                    /* not popped yet: *_after unset       */
    size_t rss_before, rss_after;
    size_t traced_before, traced_after;
} ft_phase_row;

/* Copies up to max rows into out; returns the number of rows recorded. */
size_t ft_phase_report_get(ft_phase_row *out, size_t max);
void ft_phase_report_clear(void);
/* The table: phase, RSS before / after / increment, traced before /
 * after / increment; a thread column when more than one thread. */
void ft_phase_report_print(FILE *f);
/* The process's resident set size in bytes (0 if /proc is unreadable). */
size_t ft_rss_bytes(void);

#endif /* FTLAB_TRACEMALLOC_H */
