/* stress_mem.c — threads allocate, hand blocks to each other and free
 * them, for a bounded time; some threads exit with blocks still live and
 * are replaced. At the end every block has been freed exactly once, its
 * contents were intact when freed, and the statistics show nothing left.
 * Run under TSan and ASan by `make test`.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "ft_test.h"

enum { WORKERS = 4, MAILBOX = 256, RUN_MS = 1500, GENERATIONS = 3 };

/* A block carries its size and a pattern derived from it. */
typedef struct block_head {
    uint32_t size;
    uint32_t tag;
} block_head;

/* One mailbox per worker: any thread may post, the owner takes.
 * Guarded by its ft_mutex. */
typedef struct mailbox {
    ft_mutex lock;
    void *slots[MAILBOX];
    int count;
} mailbox;

static mailbox boxes[WORKERS];
static _Atomic int stop;
static _Atomic long allocated, freed, corrupt;

static void *make_block(unsigned *seed)
{
    uint32_t size = (uint32_t)(sizeof(block_head) + rand_r(seed) % 700);
    block_head *b = ft_malloc(size);
    if (!b)
        abort();
    b->size = size;
    b->tag = size * 2654435761u;
    memset(b + 1, (int)(size & 0xFF), size - sizeof *b);
    atomic_fetch_add(&allocated, 1);
    return b;
}

static void check_and_free(void *p)
{
    block_head *b = p;
    const unsigned char *body = (const unsigned char *)(b + 1);
    bool ok = b->tag == b->size * 2654435761u;
    for (uint32_t i = 0; ok && i < b->size - sizeof *b; i++)
        ok = body[i] == (b->size & 0xFF);
    if (!ok)
        atomic_fetch_add(&corrupt, 1);
    ft_free(p);
    atomic_fetch_add(&freed, 1);
}

static bool post(int to, void *p)
{
    mailbox *m = &boxes[to];
    bool posted = false;
    FT_BEGIN_CRITICAL_SECTION(&m->lock);
    if (m->count < MAILBOX) {
        m->slots[m->count++] = p;
        posted = true;
    }
    FT_END_CRITICAL_SECTION();
    return posted;
}

static void drain(int me)
{
    mailbox *m = &boxes[me];
    void *taken[MAILBOX];
    int n;
    FT_BEGIN_CRITICAL_SECTION(&m->lock);
    n = m->count;
    memcpy(taken, m->slots, (size_t)n * sizeof *taken);
    m->count = 0;
    FT_END_CRITICAL_SECTION();
    for (int i = 0; i < n; i++)
        check_and_free(taken[i]);
}

typedef struct worker_arg {
    int id;
    unsigned seed;
    void *kept[64];     /* live when the worker exits: freed by the next */
    int nkept;
} worker_arg;

static void worker(void *arg)
{
    worker_arg *w = arg;
    for (int i = 0; i < w->nkept; i++)   /* the previous generation's */
        check_and_free(w->kept[i]);
    w->nkept = 0;
    for (long round = 0; !atomic_load(&stop); round++) {
        void *p = make_block(&w->seed);
        int to = rand_r(&w->seed) % WORKERS;
        if (to == w->id || !post(to, p)) {
            if (w->nkept < 64 && rand_r(&w->seed) % 8 == 0)
                w->kept[w->nkept++] = p;
            else
                check_and_free(p);
        }
        if (round % 64 == 0) {
            drain(w->id);
            ft_checkpoint();
        }
    }
    /* Exit with kept blocks live and the mailbox perhaps full. */
}

static void test_alloc_handoff_churn(void **state)
{
    (void)state;
    int64_t base = 0;
    {
        ft_mem_stats st;
        ft_mem_get_stats(&st);
        base = st.live_blocks;
    }
    worker_arg args[WORKERS] = { 0 };
    for (int i = 0; i < WORKERS; i++) {
        args[i].id = i;
        args[i].seed = (unsigned)i * 7919u + 1;
        boxes[i] = (mailbox){ .lock = FT_MUTEX_INIT };
    }
    for (int g = 0; g < GENERATIONS; g++) {
        atomic_store(&stop, 0);
        ft_thread *t[WORKERS];
        for (int i = 0; i < WORKERS; i++)
            assert_non_null(t[i] = ft_thread_start(worker, &args[i]));
        FT_BEGIN_ALLOW_THREADS
        ft_test_sleep_ms(RUN_MS / GENERATIONS);
        atomic_store(&stop, 1);
        FT_END_ALLOW_THREADS
        for (int i = 0; i < WORKERS; i++)
            assert_int_equal(ft_thread_join(t[i]), 0);
    }
    for (int i = 0; i < WORKERS; i++) {
        drain(i);
        for (int k = 0; k < args[i].nkept; k++)
            check_and_free(args[i].kept[k]);
    }
    ft_mem_collect();
    ft_mem_stats st;
    ft_mem_get_stats(&st);
    print_message("[%s] %ld blocks allocated and freed by %d threads x %d "
                  "generations; %llu arenas now, %llu at most\n", ft_flavor(),
                  atomic_load(&allocated), WORKERS, GENERATIONS,
                  (unsigned long long)st.arenas_current,
                  (unsigned long long)st.arenas_highest);
    assert_int_equal(atomic_load(&corrupt), 0);
    assert_int_equal(atomic_load(&allocated), atomic_load(&freed));
    assert_true(atomic_load(&allocated) > 1000);
    assert_int_equal(st.live_blocks, base);
    uint64_t in_use = 0;
    for (int c = 0; c < FT_MEM_CLASSES; c++)
        in_use += st.classes[c].blocks_in_use;
    assert_true(in_use < 100);   /* only what existed before the test */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alloc_handoff_churn, ft_test_setup,
                                        ft_test_teardown),
    };
    return ft_test_run(tests);
}
