/* stress_intern.c — interning from several threads at once, for a bounded
 * time. Workers intern fresh copies of words from a small shared
 * vocabulary, keep some, drop others, park some in shared slots that
 * outlive them, and exit while others still hold strings they created
 * (owner exit in nogil), as new workers take their place. Meanwhile
 * canonical strings keep dying and being re-created, so lookups meet
 * dying strings in the table (the replace path of nogil/intern.c).
 *
 * The check: at any moment all holders of one word hold the same object.
 * Every word keeps a count of holders and the object they hold, under a
 * lock; a holder registers after interning (while it holds a reference,
 * so the object cannot die) and unregisters before releasing. At the end
 * every string is released and the live-object count is back where it
 * started. Workers record a mismatch with ft_worker_fail; the main thread
 * asserts. The run lasts RUN_MS (FT_TEST_RUN_MS), until MIN_INTERNED
 * strings were interned (a loaded release build interns about 3,000,000
 * in 1 s; the floor is a fifteenth of that, divided by the sanitizers'
 * slowdown) and every worker was replaced at least once; the workers'
 * seeds come from ft_test_seed (FT_TEST_SEED replays a run). Run under
 * TSan and ASan by `make test`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"

enum { WORKERS = 4, WORDS = 200, SLOTS = 32, RUN_MS = 1000, LIFE_MS = 120,
       MIN_INTERNED = 200000 };

typedef struct word {
    ft_mutex lock;
    int holders;
    ft_object *obj;     /* what every holder holds, while holders > 0 */
    char text[24];
} word;

/* A reference parked by one worker for others to find and drop. */
typedef struct slot {
    ft_mutex lock;
    int w;              /* word index, -1 when empty */
    ft_object *obj;
} slot;

static word words[WORDS];
static slot slots[SLOTS];
static _Atomic long xinterned, xparked;

static void hold(int w, ft_object *o)
{
    word *d = &words[w];
    ft_mutex_lock(&d->lock);
    if (d->holders++ == 0)
        d->obj = o;
    else if (d->obj != o)
        ft_worker_fail("'%s': two holders hold different objects", d->text);
    ft_mutex_unlock(&d->lock);
}

static void unhold_and_release(int w, ft_object *o)
{
    word *d = &words[w];
    ft_mutex_lock(&d->lock);
    d->holders--;
    ft_mutex_unlock(&d->lock);
    ft_decref(o);
}

/* A fresh string for the word, interned; the copy is dropped at once. */
static ft_object *intern_word(int w)
{
    ft_object *s = ft_str_from_utf8(words[w].text, -1);
    ft_object *c = s ? ft_str_intern(s) : NULL;
    ft_xdecref(s);
    if (c && strcmp(ft_str_utf8_borrow(c, NULL), words[w].text) != 0)
        ft_worker_fail("interning '%s' gave another string", words[w].text);
    /* The canonical copy is interned the moment a caller gets it, even
     * while its publisher is still between the table's insert and the
     * state store (nogil/intern.c, race 4). */
    if (c && !ft_str_is_interned(c))
        ft_worker_fail("interning '%s' gave a string not marked interned",
                       words[w].text);
    atomic_fetch_add(&xinterned, 1);
    return c;
}

/* Swaps our reference to word w into a slot; returns what was there. */
static void park(int w, ft_object *o, unsigned *seed)
{
    slot *s = &slots[rand_r(seed) % SLOTS];
    ft_mutex_lock(&s->lock);
    int old_w = s->w;
    ft_object *old = s->obj;
    s->w = w;
    s->obj = o;
    ft_mutex_unlock(&s->lock);
    if (old)
        unhold_and_release(old_w, old);
    atomic_fetch_add(&xparked, 1);
}

typedef struct worker_arg {
    unsigned seed;
    _Atomic int xdone;
} worker_arg;

static void step(ft_object **held, unsigned *seed)
{
    int w = (int)(rand_r(seed) % WORDS);
    if (!held[w]) {
        ft_object *c = intern_word(w);
        if (!c)
            return;
        hold(w, c);
        held[w] = c;
    } else if (rand_r(seed) % 4 == 0) {
        park(w, held[w], seed);
        held[w] = NULL;
    } else if (rand_r(seed) % 2 == 0) {
        unhold_and_release(w, held[w]);
        held[w] = NULL;
    }
}

static void worker(void *arg)
{
    worker_arg *a = arg;
    ft_object *held[WORDS] = { 0 };
    uint64_t end = ft_test_now_ns() + (uint64_t)(LIFE_MS / 2 + rand_r(&a->seed) % LIFE_MS) * 1000000ull;
    for (long round = 0; ft_test_now_ns() < end; round++) {
        step(held, &a->seed);
        if (round % 16 == 0)
            ft_checkpoint();
    }
    /* Most of what we hold goes; what we parked stays with others. */
    for (int w = 0; w < WORDS; w++)
        if (held[w])
            unhold_and_release(w, held[w]);
    atomic_store(&a->xdone, 1);
}

static void setup_tables(void)
{
    for (int w = 0; w < WORDS; w++) {
        words[w] = (word){ .lock = FT_MUTEX_INIT };
        snprintf(words[w].text, sizeof words[w].text, "word-%03d-\xC3\xA9", w);
    }
    for (int i = 0; i < SLOTS; i++)
        slots[i] = (slot){ .lock = FT_MUTEX_INIT, .w = -1 };
}

static void start(ft_thread **t, worker_arg *a, unsigned seed)
{
    a->seed = seed;
    atomic_store(&a->xdone, 0);
    *t = ft_thread_start(worker, a);
    assert_non_null(*t);
}

static void test_intern_across_threads(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    setup_tables();
    ft_thread *t[WORKERS];
    worker_arg args[WORKERS];
    unsigned seed = (unsigned)ft_test_seed(), generations = 0;
    for (int i = 0; i < WORKERS; i++)
        start(&t[i], &args[i], seed++);
    unsigned run_ms = ft_test_run_ms(RUN_MS);
    uint64_t t0 = ft_test_now_ns(), min_interned = FT_TEST_MIN_OPS(MIN_INTERNED);
    while (generations < WORKERS ||
           ft_test_keep_running(t0, run_ms, (uint64_t)atomic_load(&xinterned),
                                min_interned)) {
        for (int i = 0; i < WORKERS; i++)
            if (atomic_load(&args[i].xdone)) {   /* replace an exited worker */
                assert_int_equal(ft_thread_join(t[i]), 0);
                start(&t[i], &args[i], seed++);
                generations++;
            }
        FT_BEGIN_ALLOW_THREADS
        ft_test_sleep_ms(5);
        FT_END_ALLOW_THREADS
    }
    for (int i = 0; i < WORKERS; i++)
        assert_int_equal(ft_thread_join(t[i]), 0);
    ft_test_assert_workers_ok();
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].obj)
            unhold_and_release(slots[i].w, slots[i].obj);
    ft_checkpoint();   /* merges anything queued to the main thread */
    for (int w = 0; w < WORDS; w++)
        assert_int_equal(words[w].holders, 0);
    print_message("[%s] %ld interned, %ld parked, %u worker generations\n",
                  ft_flavor(), atomic_load(&xinterned), atomic_load(&xparked),
                  generations);
    ft_test_assert_ops("interned strings", (uint64_t)atomic_load(&xinterned),
                       min_interned);
    assert_true(generations >= WORKERS);
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_intern_across_threads),
    };
    return ft_test_run(tests);
}
