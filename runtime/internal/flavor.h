/* internal/flavor.h — the flavor contract: every hook a flavor provides.
 *
 * A flavor is one way of building the runtime (docs/architecture.md,
 * "The flavor contract"): gil (FT_NOGIL=0), nogil (FT_NOGIL=1, biased
 * reference counts) and nogil-atomic (FT_NOGIL=1 FT_RC_ATOMIC=1). CMake
 * compiles runtime/ for every flavor, plus the files of gil/ for the gil
 * build or those of nogil/ for both nogil builds; each of those two
 * folders defines every hook declared here, with the same meaning and
 * different machinery. This header is the one list of what a flavor must
 * provide, as mimalloc's include/mimalloc/prim.h is for its platforms: a
 * new hook is declared here, in its group, and defined in both folders.
 *
 * The rule of the house: where the builds differ, the files of runtime/
 * call these hooks (or the inline accessors listed at the end of each
 * group) and never test FT_NOGIL themselves. A `#if FT_NOGIL` appears
 * only in the shim headers, in small inline accessors in headers, and in
 * CMake (docs/architecture.md, "The house").
 *
 *   group      hooks  gil             nogil
 *   heap         5    gil/heap.c      nogil/heap.c
 *   refcount     8    gil/refcount.c  nogil/brc.c
 *   GC          13    gil/gc.c        nogil/gc.c
 *   intern       4    gil/intern.c    nogil/intern.c
 *   traces      10    gil/traces.c    nogil/traces.c
 *   QSBR        12    gil/qsbr.c      nogil/qsbr.c
 *   shards    1 + 3   gil/shard.c     nogil/shard.c
 *   flavor       1    gil/flavor.c    nogil/flavor.c
 *               --
 *               54 declared here, + 3 public functions (ftlab/refcount.h)
 *               = 57 functions each flavor defines out of line.
 *
 * Hot or trivial differences stay inline, behind a #if in a header: 20
 * accessors that both builds have, 4 more that only nogil has; each
 * group's last comment names them and the header they live in.
 *
 * Every hook has one line "gil: ... / nogil: ..." saying what each side
 * does. The topical headers (mem/heap.h, internal/object.h, tstate.h,
 * gc.h, intern.h, qsbr.h, tools/traces.h) include this file, so that
 * their users keep seeing the hooks of their topic; the types the hooks
 * take are defined and explained there.
 */
#ifndef FTLAB_INTERNAL_FLAVOR_H
#define FTLAB_INTERNAL_FLAVOR_H

#include "common.h"
#include "../mem/heap.h"   /* ft_heap_set, ft_heap_kind, ft_pool_grace */

/* Defined in internal/intern.h, tools/traces.h and internal/gc.h. */
typedef struct ft_str_object ft_str_object;
typedef struct ft_trace_node ft_trace_node;
typedef struct ft_trace_tb ft_trace_tb;
typedef struct ft_gc_result ft_gc_result;

/* ---- Heap: which heap set a thread allocates from (mem/heap.h) ---------- */

/* The calling thread's heap set (_ft_heaps_current) and its set if it
 * has one (_ft_heaps_peek) are not hooks: mem/heap.h defines them inline
 * (they run on every allocation and free) over each folder's storage. */
/* Abandons the calling thread's set now (runtime threads call it at exit;
 * other threads get it from a thread-specific destructor).
 * gil: nothing / nogil: collects the set and puts it on the abandoned list. */
void _ft_heaps_thread_exit(void);
/* Called by the allocation slow path before it maps a new arena.
 * gil: nothing to reclaim / nogil: services the abandoned sets of exited
 * threads first (remote frees, empty pools and arenas). */
void _ft_heaps_before_new_arena(void);
/* Collects the calling thread's set and services every abandoned set.
 * gil: collects the one set / nogil: the thread's set, then every
 * abandoned one. */
void _ft_heaps_collect(void);
/* Calls fn(set, arg) for every set, live and abandoned, under the registry
 * lock: fn may read counters, not mutate heaps — unless the world is
 * stopped, when it may walk them as _ft_heaps_visit does (the nogil
 * collector's full gather, pool by pool: _ft_heap_visit_pools).
 * gil: once, on the one set / nogil: every set on the registry list. */
void _ft_heaps_for_each(void (*fn)(ft_heap_set *, void *), void *arg);
/* Visits every live block of `kind` in every set. The caller must have
 * stopped the world (or be the only thread).
 * gil: the one set's heap / nogil: that heap in every set. */
void _ft_heaps_visit(ft_heap_kind kind, ft_block_visitor visit, void *arg);
/* Inline (mem/heap.h): _ft_heaps_per_thread(). */

/* ---- Refcount: per-thread state and the slow side of counting ---------- */

/* Per-thread refcount state. init runs on the thread when it binds its
 * state; exit before its heap is abandoned; merge_pending at a checkpoint
 * with FT_REQ_RC_MERGE.
 * gil: nothing (no per-thread state) / nogil: joins a BRC bucket and owns
 * a merge queue; exit merges what the thread still owns; merge_pending
 * merges the objects other threads queued to it. */
void _ft_refcount_thread_init(ft_tstate *ts);
void _ft_refcount_thread_exit(ft_tstate *ts);
void _ft_refcount_merge_pending(ft_tstate *ts);
/* ft_thread_retire's part: merge what it owns, leave the bucket, release
 * its queue (attached; exit then only settles what it made since).
 * gil: nothing / nogil: as said. */
void _ft_refcount_thread_retire(ft_tstate *ts);
/* The refcount side of resurrection (_ft_object_finalize_from_dealloc):
 * start gives a dead object a count of one, owned by the calling thread;
 * end drops it and returns true if references remain.
 * gil: ob_refcnt = 1, then --ob_refcnt / nogil: a new object's count
 * owned by the caller, then a merge of what other threads added. */
void _ft_refcount_resurrect_start(ft_object *o);
bool _ft_refcount_resurrect_end(ft_object *o);
/* Optimistic readers. A thread that found o without holding a reference
 * — in a container read without its lock, in the intern table — may take
 * one only if o is not already dying: _ft_try_incref returns false when
 * o's count has reached zero (then o must be treated as absent). In nogil
 * it succeeds for a non-owner only once o is marked "maybe shared"
 * (_ft_object_set_shared, done when o is stored where other threads can
 * find it), because a non-owner cannot read the owner's local count.
 * gil: refuses only an object at zero (inside its tp_dealloc); set_shared
 * does nothing / nogil: the owner checks its local count, others CAS the
 * shared word, which set_shared marks. */
bool _ft_try_incref(ft_object *o);
void _ft_object_set_shared(ft_object *o);
/* Inline (ftlab/refcount.h): ft_incref, ft_decref, _ft_refcount_init,
 * _ft_refcount_total, _ft_is_immortal_inline; nogil only: _ft_is_owned,
 * _ft_incref_special, _ft_decref_special, and the slow paths the fast
 * paths call, _ft_merge_zero_local and _ft_decref_shared (nogil/brc.c).
 * Between nogil files only:
 * _ft_refcount_merge_queued_stopped (internal/tstate.h). */

/* ---- GC: where the collector keeps objects (internal/gc.h) -------------- */

/* A new object of a GC type: the block (with its pre-header where the
 * flavor needs one), `size` bytes for the object; NULL with MemoryError.
 * gil: always a pre-header / nogil: from the GC heap kind, a pre-header
 * only for blocks obmalloc does not serve. */
ft_object *_ft_gc_alloc_object(size_t size);
/* Untracks o and frees its block.
 * gil: the block starts at the pre-header / nogil: at the pre-header if
 * o has one, else at o. */
void _ft_gc_free_object(ft_object *o);
/* Bytes the collector adds to o (its pre-header), for ft_sizeof.
 * gil: sizeof(ft_gc_head) / nogil: that, only for objects that have one. */
size_t _ft_gc_overhead(ft_object *o);
/* Tracks a new (or unparked) object; untracks a dying, parked or atomic
 * one.
 * gil: links into / unlinks from generation 0's list / nogil: sets or
 * clears FT_GC_BIT_TRACKED and FT_GC_BIT_YOUNG, logs the object in the
 * thread's young log (and links outside objects on a striped list). */
void _ft_gc_track(ft_object *o);
void _ft_gc_untrack(ft_object *o);
/* Runs one collection of generations 0..gen (gen -2: the one the counts
 * ask for). Stats are filled by the caller (gc.c). -1 with the error set
 * when nothing could run (nogil: the world could not be stopped — the
 * caller is detached, or already stopped it).
 * gil: gathers the generations' lists / nogil: stops the world, merges
 * queued counts, gathers the young objects from the logs (gen 0, 1) or
 * walks the GC heaps (gen 2), and times the pause (stw_ns). */
int _ft_gc_collect_impl(int gen, ft_gc_result *out);
/* The generation the counts ask to collect now, or -1.
 * gil: CPython's thresholds and long-lived rule / nogil: the same, over
 * the flushed count 0 and counts 1 and 2 kept like gil's. */
int _ft_gc_due_generation(void);
/* Calls fn on every tracked object of `gen` (-1: all). fn must not
 * allocate tracked objects or release references.
 * gil: walks the lists / nogil: stops the world and walks everything
 * (generation 0: the young objects, 1: none, 2: the old ones). */
int _ft_gc_for_each(int gen, void (*fn)(ft_object *, void *), void *arg);
/* ft_gc_freeze / ft_gc_unfreeze, and how many objects are frozen (-1 with
 * the error set on failure).
 * gil: the permanent list / nogil: FT_GC_BIT_FROZEN, world stopped. */
int _ft_gc_freeze_impl(bool freeze);
ssize_t _ft_gc_frozen_count(void);
/* The counts of ft_gc_get_count.
 * gil: per generation / nogil: the same; count 0 is the flushed count plus
 * the caller's buffered one. */
void _ft_gc_counts(int out[3]);
/* At every ft_init, from _ft_gc_init.
 * gil: empties the generation lists / nogil: empties the outside lists
 * and zeroes the counts. */
void _ft_gc_flavor_init(void);
/* ft_gc_set_threshold changed _ft_gc.threshold: the flavor refreshes
 * what it derived from threshold 0.
 * gil: nothing / nogil: the calling thread's flush budget (other threads
 * take the new threshold at their next flush). */
void _ft_gc_threshold_changed(void);
/* Inline (internal/gc.h): _ft_gc_has_head, _ft_gc_tracked,
 * _ft_gc_finalized, _ft_gc_set_finalized, _ft_gc_unreachable,
 * _ft_gc_set_unreachable, _ft_gc_enter, _ft_gc_leave, _ft_gc_index,
 * _ft_gc_park_offset, _ft_gc_has_stw_pause. */

/* ---- Intern: the table behind ft_str_intern (internal/intern.h) -------- */

/* Sets up the table (at every ft_init, before any thread runs).
 * gil: an open-addressing array under the GIL / nogil: liburcu's
 * lock-free hash table (rculfhash), made once per process. */
void _ft_intern_init(void);
/* A new reference to the canonical string equal to s; s itself (now
 * marked FT_STR_INTERNED) when the table had no live one. s is not stolen.
 * NULL with MemoryError when the table cannot grow.
 * gil: probe and insert / nogil: lock-free lookup, add_unique, replace of
 * a dying entry. */
ft_object *_ft_intern_get(ft_str_object *s);
/* Takes a dying interned string out of the table (its tp_dealloc). The
 * caller then frees it with _ft_object_free_after_grace: readers may
 * still be looking at it.
 * gil: leaves a tombstone (the array goes when the last string dies) /
 * nogil: cds_lfht_del. */
void _ft_intern_remove(ft_str_object *s);
/* Canonical strings in the table (tests and statistics).
 * gil: a plain count / nogil: a relaxed atomic count. */
size_t _ft_intern_count(void);

/* ---- Traces: tracemalloc's table, address -> node (tools/traces.h) ----- */

/* Makes the table on first use (it then lives as long as the process, so
 * a late remover never finds it gone). -1 with MemoryError.
 * gil: a chained hash table under the GIL / nogil: the same table cut
 * into 64 shards by address, a spin lock each. */
int _ft_traces_init(void);
/* Inserts n; returns the node it replaced for the same address (a block
 * whose free was never seen), or NULL. Returns n itself when the table is
 * not yet visible to this thread (nogil: a hook that saw tracing start
 * before the table's publication); the caller retires what it gets back.
 * gil: chain insert / nogil: chain insert under the shard's lock. */
ft_trace_node *_ft_traces_insert(ft_trace_node *n);
/* Unlinks and returns the node of addr, or NULL.
 * gil: chain unlink / nogil: chain unlink under the shard's lock. */
ft_trace_node *_ft_traces_remove(uintptr_t addr);
/* Frees a node once no lookup can be reading it.
 * gil and nogil: at once (nogil's lookups read a node only under its
 * shard's lock, so a removed node is its remover's). */
void _ft_traces_retire(ft_trace_node *n);
/* The same for an interned traceback (dropped at stop and clear).
 * gil and nogil: at once. */
void _ft_traces_retire_tb(ft_trace_tb *tb);
/* Memory for a node, or NULL.
 * gil and nogil: malloc (tracemalloc.c keeps a per-thread cache of freed
 * nodes in front of it). */
ft_trace_node *_ft_traces_node_new(void);
/* Calls fn on the node of addr while it cannot be retired; false (fn not
 * called) when addr is not traced.
 * gil: under the GIL / nogil: under the shard's lock. */
bool _ft_traces_lookup(uintptr_t addr, void (*fn)(const ft_trace_node *, void *),
                       void *arg);
/* Calls fn on every node, parked ones too; the world is stopped (fn may
 * not allocate from the private heap).
 * gil: walks the buckets / nogil: walks every shard's buckets. */
void _ft_traces_for_each(void (*fn)(const ft_trace_node *, void *), void *arg);
/* Unlinks every node and hands it to fn (which retires it); the world is
 * stopped.
 * gil: empties the buckets / nogil: empties every shard's buckets. */
void _ft_traces_drain(void (*fn)(ft_trace_node *, void *), void *arg);
/* Nodes in the table now, from any thread: get_tracemalloc_memory
 * counts their bytes from it rather than pay an atomic add per trace.
 * gil: the table's count / nogil: the sum of the shards' counts, each
 * loaded relaxed (a statistic: exact while nothing traces meanwhile). */
size_t _ft_traces_count(void);

/* ---- QSBR: safe reclamation for lock-free readers (internal/qsbr.h) ---- */

/* A thread's life as a urcu-qsbr reader: register / unregister at bind
 * and exit, online / offline at attach and detach, a quiescent state
 * every FT_QSBR_PERIOD checkpoints.
 * gil: nothing (no lock-free readers) / nogil: liburcu's urcu-qsbr. */
void _ft_qsbr_thread_init(ft_tstate *ts);
void _ft_qsbr_thread_exit(ft_tstate *ts);
void _ft_qsbr_online(ft_tstate *ts);
void _ft_qsbr_offline(ft_tstate *ts);
void _ft_qsbr_quiescent(ft_tstate *ts);
/* Frees p, an ft_malloc block: it stops counting now (live blocks and
 * bytes, its tracemalloc trace), and its memory goes back to the
 * allocator after a grace period.
 * gil: ft_free at once / nogil: call_rcu. */
void _ft_qsbr_free(void *p);
/* Blocks handed to _ft_qsbr_free whose memory has not gone back to the
 * allocator yet (their grace period runs). For tests: the figures of
 * ft_mem_get_stats no longer show them.
 * gil: always 0 / nogil: a relaxed count. */
size_t _ft_qsbr_frees_pending(void);
/* Waits until every pending _ft_qsbr_free (and pool grace period) has
 * run. The caller may be attached (it goes offline while it waits) or
 * have no thread state at all (ft_fini's last collection).
 * gil: nothing to wait for / nogil: urcu_qsbr_barrier, offline. */
void _ft_qsbr_barrier(void);
/* Drops a reference to o after a grace period: for an object just taken
 * out of a structure that other threads read without taking references
 * (ftpy's per-thread class attribute caches keep borrowed values), so that
 * a reader that loaded it before the removal can still use it until its
 * next checkpoint or detach. The drop happens on an attached thread, at
 * a quiescent state or in _ft_qsbr_decref_flush, never on liburcu's
 * thread. At once when the caller is the only registered thread (nobody
 * can hold such a pointer: single-threaded programs keep the exact moment
 * of death).
 * gil: ft_xdecref at once (readers do not run during a store) / nogil:
 * queued behind a grace period. */
void _ft_qsbr_decref_later(ft_object *o);
/* Drops the references whose grace period is over (attached caller).
 * gil: nothing / nogil: drains the ready list. */
void _ft_qsbr_decref_drain(void);
/* Waits for every _ft_qsbr_decref_later handed in so far and drops them
 * (attached caller; it goes offline while it waits).
 * gil: nothing / nogil: barrier, then drain, until none is pending. */
void _ft_qsbr_decref_flush(void);
/* The grace period of emptied object pools (mem/obmalloc.h, T2).
 * gil: NULL, pools go back to their arenas at once / nogil: call_rcu per
 * heap. */
const ft_pool_grace *_ft_qsbr_pool_grace(void);
/* Inline (internal/qsbr.h): _ft_qsbr_lockfree_reads,
 * _ft_qsbr_object_maybe_found, _ft_qsbr_tick_due; under TSan only,
 * _ft_qsbr_tsan_release and _ft_qsbr_tsan_acquire (nogil/qsbr.c). */

/* ---- Shards: counts spread over threads (ftlab/refcount.h) -------------- */

/* An exiting thread adds its sharded counters into the objects' shared
 * words.
 * gil: nothing (no object is ever sharded) / nogil: folds and closes the
 * thread's counter block. */
void _ft_shard_thread_exit(void);
/* Public, declared in ftlab/refcount.h: ft_object_shard,
 * ft_object_is_sharded, ft_object_unshard_all.
 * gil: false, false, 0 / nogil: the shard table (nogil/shard.c). Inline,
 * nogil only: _ft_shard_add, with _ft_shard_add_slow out of line, and
 * _ft_shard_add_out (the whole add, out of line) for the inline counts. */

/* ---- Flavor: what the build decides at start-up ------------------------ */

/* Replaces an unset cfg->gil (-1) by the flavor's default; -1 with
 * ValueError for a value the flavor cannot run with.
 * gil: the GIL is always on (FT_GIL=0 is an error) / nogil: off unless
 * FT_GIL=1. */
int _ft_flavor_resolve_gil(ft_config *cfg);
/* Layouts that differ by #if in shim headers (not hooks): the object
 * header (ftlab/object.h), critical sections (ftlab/mutex.h). */

#endif /* FTLAB_INTERNAL_FLAVOR_H */
