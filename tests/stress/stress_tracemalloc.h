/* stress_tracemalloc.h — what stress_tracemalloc.c and
 * stress_tracemalloc_shared.c share: two workers that allocate and free
 * for a bounded time, each also freeing blocks the other one allocated
 * (handed over through a mailbox), while the main thread takes snapshots;
 * their start, stop and clean-up. What the workers allocate, and what is
 * checked, is each program's own: before including this header a program
 * defines MIN_OPS and BATCH (an enum), and after it WORKER_FILE, make(),
 * release() and taken() — a block made, freed, and handed over to the other worker.
 *
 * Run under TSan and ASan by `make test` (nogil: the sharded table's
 * locks, nodes freed by whichever thread removes them). Each run lasts RUN_MS
 * (FT_TEST_RUN_MS) and until the workers did MIN_OPS steps (waiting at
 * most FT_TEST_MAX_MS for them); workers record failures with
 * ft_worker_check; seeds come from ft_test_seed (FT_TEST_SEED replays). */
#ifndef FTLAB_STRESS_TRACEMALLOC_H
#define FTLAB_STRESS_TRACEMALLOC_H

#include <stdlib.h>
#include <string.h>
#include "ft_mailbox.h"
#include "ft_test.h"

enum { WORKERS = 2, MAILBOX = 128, KEEP = 64, RUN_MS = 1200 };

typedef struct worker {
    int id;
    unsigned seed;
    void *kept[KEEP];            /* blocks this worker holds at the end */
} worker;

static ft_test_mailbox boxes[WORKERS];
static _Atomic int xstop;
static _Atomic uint64_t xops;          /* worker steps, over all workers */
static _Atomic long xlive_blocks;      /* blocks alive, over all threads */


/* The program's own (see the top of this file); WORKER_FILE is the
 * workers' own frame, a file name per worker. */
static const char *const WORKER_FILE[WORKERS];
static void *make(worker *w);
static void release(void *p);
static void taken(void *p);

/* ---- The workers, the same in both modes ------------------------------------- */

static void step(worker *w)
{
    void *p = make(w), *q;
    if (!p)
        return;
    if (rand_r(&w->seed) % 2 && ft_test_mailbox_post(&boxes[1 - w->id], p))
        p = NULL;                       /* the other worker frees it */
    if ((q = ft_test_mailbox_take(&boxes[w->id])) != NULL) {
        taken(q);
        release(q);                     /* one the other allocated */
    }
    if (p) {
        int slot = (int)(rand_r(&w->seed) % KEEP);
        if (w->kept[slot])
            release(w->kept[slot]);
        w->kept[slot] = p;
    }
}

static void work(void *arg)
{
    worker *w = arg;
    ft_trace_push(WORKER_FILE[w->id], 1);
    while (!atomic_load(&xstop)) {
        for (int i = 0; i < BATCH; i++)
            step(w);
        /* relaxed: a count the main thread polls (any value will do) */
        atomic_fetch_add_explicit(&xops, BATCH, memory_order_relaxed);
        ft_checkpoint();
    }
    ft_trace_pop();
}

/* Sleeps detached: in the gil build, a sleeper holding the GIL would
 * leave the workers nothing to run on. */
static void sleep_detached(unsigned ms)
{
    FT_BEGIN_ALLOW_THREADS
    ft_test_sleep_ms(ms);
    FT_END_ALLOW_THREADS
}

/* Empties the mailboxes, seeds the workers (seed + their id) and starts
 * them. */
static void start_workers(worker w[WORKERS], uint64_t seed, ft_thread *t[WORKERS])
{
    for (int i = 0; i < WORKERS; i++) {
        ft_test_mailbox_init(&boxes[i], MAILBOX);
        w[i] = (worker){ .id = i, .seed = (unsigned)(seed + (uint64_t)i) };
    }
    atomic_store(&xstop, 0);
    atomic_store(&xops, 0);
    for (int i = 0; i < WORKERS; i++)
        t[i] = ft_thread_start(work, &w[i]);
}

static void stop_workers(ft_thread *t[WORKERS])
{
    atomic_store(&xstop, 1);
    for (int i = 0; i < WORKERS; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    ft_test_assert_workers_ok();
}

/* Frees what the stopped workers left: blocks still in their mailboxes
 * and the blocks they kept. Nothing is alive after. */
static void free_leftovers(worker w[WORKERS])
{
    for (int i = 0; i < WORKERS; i++) {
        for (void *p; (p = ft_test_mailbox_take(&boxes[i])) != NULL;)
            release(p);
        for (int k = 0; k < KEEP; k++)
            if (w[i].kept[k])
                release(w[i].kept[k]);
    }
    assert_int_equal(atomic_load(&xlive_blocks), 0);
}


#endif
