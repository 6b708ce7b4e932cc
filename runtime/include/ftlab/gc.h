/* ftlab/gc.h — the cycle collector (Python's gc module; docs/architecture.md,
 * "The cycle collector").
 *
 * Reference counting frees an object the moment its count reaches zero,
 * but two objects that refer to each other keep each other's count at one
 * after the last outside reference goes. The cycle collector finds such
 * groups: an object is garbage when every reference to it comes from
 * other objects of the group being examined.
 *
 * Which objects are examined ("tracked"): instances of types with
 * FT_TPFLAGS_GC — tuples, lists, dicts, sets, instances of user classes,
 * weak references — from their creation to their death. A tuple whose
 * items can never form a cycle (only atoms: ints, strs, floats, None, or
 * untracked tuples) is untracked by the collector the first time it sees
 * it, as CPython does.
 *
 *   gil     three generations. New objects enter generation 0; a
 *           collection of generation g examines generations 0..g and moves
 *           the survivors to g+1 (the oldest keeps its own). Generation 0
 *           is collected when allocations minus deallocations of tracked
 *           objects exceed threshold 0 (default 2000); generation 1 after
 *           threshold 1 (10) collections of generation 0; generation 2
 *           after threshold 2 (10) of generation 1, and only when the
 *           objects that survived a generation-1 collection since the last
 *           full one exceed a quarter of the long-lived ones (CPython's
 *           rule, which keeps full collections linear overall).
 *   nogil   one generation: every collection examines every tracked
 *           object, in a stop-the-world pause that first merges every
 *           thread's queued biased counts. Threshold 0 applies to the
 *           allocations counted by all threads (each thread buffers its
 *           count), and a collection also waits until those exceed a
 *           quarter of the objects the last one left alive, so that a big
 *           live heap is not re-examined for a handful of new objects
 *           (threshold 1 set to 0 turns that rule off); otherwise
 *           thresholds 1 and 2 are unused, as in CPython's free-threaded
 *           build.
 *
 * Collections run at a checkpoint (ft_checkpoint) of the thread whose
 * allocation crossed the threshold, never inside an allocation: C code
 * between two checkpoints may hold objects that are not fully built.
 * ft_gc_collect runs one at once.
 *
 * What happens to garbage, in order (PEP 442):
 *   1. weak references to it are cleared; the callbacks of those weak
 *      references that are themselves alive run (world running, nogil);
 *   2. every finalizer (tp_finalize) runs, at most once in the object's
 *      life; what a finalizer made reachable again is resurrected: it
 *      survives this collection;
 *   3. the rest is cleared with tp_clear, which breaks the cycles, and
 *      reference counting frees it.
 * Objects whose type has a legacy finalizer (tp_del, like __del__ before
 * Python 3.4), and everything reachable from them, cannot be finalized
 * safely in a cycle: they are moved to the garbage list (gc.garbage)
 * instead. With FT_GC_DEBUG_SAVEALL every garbage object goes there.
 *
 * Concurrency contract: every call needs an attached thread. A collection
 * already running (on any thread, or re-entered from a finalizer or a
 * callback) makes ft_gc_collect return 0 at once.
 */
#ifndef FTLAB_GC_H
#define FTLAB_GC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <ftlab/object.h>

#define FT_GC_GENERATIONS 3

/* Collects generations 0..generation (-1 or 2: a full collection); returns
 * the number of unreachable objects found, uncollectable ones included.
 * -1 with ValueError for a generation outside -1..2, and with
 * RuntimeError when the collection cannot run (nogil: a detached caller,
 * or one that has stopped the world itself). */
ssize_t ft_gc_collect(int generation);

void ft_gc_enable(void);
void ft_gc_disable(void);
bool ft_gc_isenabled(void);

/* out[0]: allocations minus deallocations of tracked objects since the
 * last collection; out[1], out[2]: collections of the generation below
 * since this one was last collected. */
void ft_gc_get_count(int out[3]);
void ft_gc_set_threshold(int t0, int t1, int t2);   /* t0 == 0: disabled */
void ft_gc_get_threshold(int out[3]);

/* Lists (new references) of tracked objects: in `generation` (gil), every
 * tracked object for -1 (and in nogil, which has one generation, for any
 * valid generation). NULL with ValueError for a bad generation. */
ft_object *ft_gc_get_objects(int generation);
/* Tracked objects that refer directly to o / objects o refers to (as
 * tp_traverse reports them), as new lists. Both walk with the world
 * stopped (a caller inside its own stop may call get_referents; both
 * refuse a detached caller with RuntimeError), so other threads may keep
 * mutating o meanwhile. */
ft_object *ft_gc_get_referrers(ft_object *o);
ft_object *ft_gc_get_referents(ft_object *o);
bool ft_gc_is_tracked(ft_object *o);
/* Is o already finalized (its tp_finalize ran)? */
bool ft_gc_is_finalized(ft_object *o);

/* Moves every tracked object to a permanent generation that collections
 * ignore (gc.freeze, for fork-heavy servers); unfreeze puts them back
 * into the oldest generation. 0, or -1 with RuntimeError when the walk
 * cannot run (as ft_gc_collect); the count is then -1 too. */
int ft_gc_freeze(void);
int ft_gc_unfreeze(void);
ssize_t ft_gc_get_freeze_count(void);

/* gc.garbage: the list of uncollectable objects (and, with SAVEALL, of
 * every garbage object). A new reference; clearing it is the program's
 * business, as in Python. */
ft_object *ft_gc_garbage(void);

enum ft_gc_debug_flags {
    FT_GC_DEBUG_STATS   = 1 << 0,   /* one line per collection on stderr  */
    FT_GC_DEBUG_SAVEALL = 1 << 5,   /* keep all garbage in ft_gc_garbage  */
};
void ft_gc_set_debug(int flags);
int  ft_gc_get_debug(void);

/* ---- Statistics --------------------------------------------------------- */

typedef struct ft_gc_gen_stats {
    uint64_t collections;    /* collections of this generation            */
    uint64_t collected;      /* objects freed (or saved) by them          */
    uint64_t uncollectable;  /* objects moved to the garbage list         */
} ft_gc_gen_stats;

/* gc.get_stats(): one entry per generation (nogil counts in entry 2). */
void ft_gc_get_stats(ft_gc_gen_stats out[FT_GC_GENERATIONS]);

/* Pause times, in a histogram with 4 buckets per power of two of
 * nanoseconds (relative error of a reported quantile under 19%). `pause`
 * is the whole collection on the collecting thread; `stw` (nogil) the part
 * with the world stopped, when no other thread runs. */
#define FT_GC_HIST_BUCKETS 160
typedef struct ft_gc_histogram {
    uint64_t count, total_ns, max_ns;
    uint64_t bucket[FT_GC_HIST_BUCKETS];
} ft_gc_histogram;

typedef struct ft_gc_pause_stats {
    ft_gc_histogram pause, stw;
} ft_gc_pause_stats;

void ft_gc_get_pause_stats(ft_gc_pause_stats *out);
void ft_gc_reset_pause_stats(void);
/* The q-quantile (0..1) of a histogram in nanoseconds: the upper bound of
 * the bucket holding it, capped at max_ns; 0 for an empty histogram. */
uint64_t ft_gc_histogram_quantile(const ft_gc_histogram *h, double q);

/* ---- Callbacks (gc.callbacks) ------------------------------------------- */

typedef enum ft_gc_phase { FT_GC_START, FT_GC_STOP } ft_gc_phase;
typedef struct ft_gc_info {
    int generation;
    ssize_t collected;       /* STOP only                                 */
    ssize_t uncollectable;   /* STOP only                                 */
    uint64_t pause_ns;       /* STOP only                                 */
} ft_gc_info;
typedef void (*ft_gc_callback)(ft_gc_phase phase, const ft_gc_info *info,
                               void *ctx);
/* 0, or -1 with MemoryError. A callback runs on the collecting thread
 * outside the pause; it may allocate but not collect. */
int  ft_gc_callback_add(ft_gc_callback fn, void *ctx);
/* 0, or -1 with ValueError when (fn, ctx) was not registered. */
int  ft_gc_callback_remove(ft_gc_callback fn, void *ctx);

/* ---- Finalizers for user classes ---------------------------------------- */

/* Gives cls (made by ft_class_new) a finalizer run once before an instance
 * dies: fn(self) may look at and even resurrect self (PEP 442). With
 * `legacy`, the finalizer is a pre-3.4 __del__ (tp_del): it still runs
 * when the count reaches zero, but instances in a garbage cycle are
 * uncollectable and go to ft_gc_garbage. TypeError for another type. */
int ft_class_set_finalizer(ft_type *cls, void (*fn)(ft_object *self), bool legacy);

#endif /* FTLAB_GC_H */
