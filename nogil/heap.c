/* nogil/heap.c — one heap set per thread (see mem/heap.h).
 *
 * Thread-local storage finds the set; a pthread key's destructor abandons
 * it when a thread that never called _ft_heaps_thread_exit ends (threads
 * of programs running on libftmalloc.so). Sets are mapped with mmap, not
 * malloc, because this file is also the allocator of libftmalloc.so.
 *
 * Locking: `registry_lock` guards the registry list, the abandoned list
 * and each set's `abandoned` flag. A set on the abandoned list has no
 * owner; popping it from the list (under the lock) makes the popper its
 * only user, to adopt or to service it.
 */
#include <pthread.h>
#include <sys/mman.h>
#include "mem/heap.h"

/* The inline accessors of mem/heap.h read it: initial-exec, one load. */
_Thread_local ft_heap_set *_ft_heaps_tls_set __attribute__((tls_model("initial-exec")));
/* A thread's object free lists before it has a set and after it abandons
 * it (mem/heap.h, _ft_heaps_objects): full and empty, never written, on
 * no list. */
static ft_heap_set closed_set = {
    .freelists.lists = { [0 ... FT_FREELIST_KINDS - 1] = { .count = UINT32_MAX } },
};
_Thread_local ft_heap_set *_ft_heaps_tls_objects
    __attribute__((tls_model("initial-exec"))) = &closed_set;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static ft_heap_set *all_sets;        /* registry_lock */
static ft_heap_set *abandoned_sets;  /* registry_lock */
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

static void on_thread_exit(void *set);

static void exit_key_init(void)
{
    pthread_key_create(&exit_key, on_thread_exit);
}

/* fork: a lock held by another thread at fork() would stay held forever
 * in the child. Lock order: registry_lock, then obmalloc's arena_lock. */
static void fork_prepare(void)
{
    pthread_mutex_lock(&registry_lock);
    _ft_obmalloc_fork_prepare();
}

static void fork_parent(void)
{
    _ft_obmalloc_fork_parent();
    pthread_mutex_unlock(&registry_lock);
}

static void fork_child(void)
{
    _ft_obmalloc_fork_child();
    pthread_mutex_init(&registry_lock, NULL);
}

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* Registered once _ft_heaps_tls_set is set: pthread_atfork may allocate. */
static void atfork_init(void)
{
    pthread_atfork(fork_prepare, fork_parent, fork_child);
}

static ft_heap_set *set_new(void)
{
    ft_heap_set *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED)
        return NULL;
    for (int k = 0; k < FT_HEAP_KINDS; k++)
        _ft_heap_init(&s->heaps[k], k);
    return s;
}

static ft_heap_set *pop_abandoned(void)
{
    ft_heap_set *s = abandoned_sets;
    if (s) {
        /* Atomic stores (under the lock) because _ft_heaps_before_new_arena
         * peeks at the list head without it. */
        __atomic_store_n(&abandoned_sets, s->abandoned_next, __ATOMIC_RELAXED);
        s->abandoned = false;
    }
    return s;
}

static void push_abandoned(ft_heap_set *s)
{
    s->abandoned = true;
    s->abandoned_next = abandoned_sets;
    __atomic_store_n(&abandoned_sets, s, __ATOMIC_RELAXED);
}

/* The first use of a heap set on this thread (mem/heap.h): out of line,
 * never inlined into the allocator's fast paths. */
FT_NOINLINE ft_heap_set *_ft_heaps_attach(void)
{
    pthread_once(&exit_key_once, exit_key_init);
    pthread_mutex_lock(&registry_lock);
    ft_heap_set *s = pop_abandoned();     /* adopt an exited thread's set */
    if (!s && (s = set_new())) {
        s->all_next = all_sets;
        all_sets = s;
    }
    pthread_mutex_unlock(&registry_lock);
    if (!s)
        return NULL;
    for (int k = 0; k < FT_HEAP_KINDS; k++)   /* an adopted set changes hands */
        ft_assert_expensive(_ft_heap_validate(&s->heaps[k]));
    _ft_heaps_tls_set = s;
    _ft_heaps_tls_objects = s;
    pthread_setspecific(exit_key, s);     /* may allocate: _ft_heaps_tls_set is set */
    pthread_once(&atfork_once, atfork_init);   /* likewise */
    return s;
}

static void collect_set(ft_heap_set *s)
{
    for (int k = 0; k < FT_HEAP_KINDS; k++)
        _ft_heap_collect(&s->heaps[k]);
}

/* The object free lists were emptied by the runtime's thread exit
 * (_ft_mem_thread_exit); threads the runtime does not know never fill them. */
static void abandon(ft_heap_set *s)
{
    collect_set(s);
    _ft_heaps_tls_set = NULL;
    _ft_heaps_tls_objects = &closed_set;
    pthread_mutex_lock(&registry_lock);
    push_abandoned(s);
    pthread_mutex_unlock(&registry_lock);
}

static void on_thread_exit(void *set)
{
    if (set && _ft_heaps_tls_set == set)
        abandon(set);
}

void _ft_heaps_thread_exit(void)
{
    ft_heap_set *s = _ft_heaps_tls_set;
    if (!s)
        return;
    pthread_setspecific(exit_key, NULL);
    abandon(s);
}

/* Collects every abandoned set once; empty or not, they stay abandoned
 * (ready for adoption). */
static void service_abandoned(void)
{
    ft_heap_set *taken = NULL;
    pthread_mutex_lock(&registry_lock);
    for (ft_heap_set *s; (s = pop_abandoned());) {
        s->abandoned_next = taken;
        taken = s;
    }
    pthread_mutex_unlock(&registry_lock);
    for (ft_heap_set *s = taken; s; s = s->abandoned_next)
        collect_set(s);
    pthread_mutex_lock(&registry_lock);
    while (taken) {
        ft_heap_set *next = taken->abandoned_next;
        push_abandoned(taken);
        taken = next;
    }
    pthread_mutex_unlock(&registry_lock);
}

void _ft_heaps_before_new_arena(void)
{
    /* Unlocked peek: a missed set is serviced next time. */
    if (__atomic_load_n(&abandoned_sets, __ATOMIC_RELAXED))
        service_abandoned();
}

static void collect_all(void)
{
    if (_ft_heaps_tls_set)
        collect_set(_ft_heaps_tls_set);
    service_abandoned();
}

/* Object pools emptied by the collection wait for a grace period
 * (mem/obmalloc.h, T2): wait for it, then collect again to return them.
 * Twice: a heap's pools emptied while an earlier request was in flight
 * need the request the second collection makes. A thread alone (ft_fini,
 * a single-threaded program) returns emptied pools at once, and the
 * barrier has no request to wait for (nogil/qsbr.c). */
void _ft_heaps_collect(void)
{
    collect_all();
    for (int round = 0; round < 2 && _ft_obmalloc_await_pending(); round++)
        collect_all();
}

void _ft_heaps_for_each(void (*fn)(ft_heap_set *, void *), void *arg)
{
    pthread_mutex_lock(&registry_lock);
    for (ft_heap_set *s = all_sets; s; s = s->all_next)
        fn(s, arg);
    pthread_mutex_unlock(&registry_lock);
}

void _ft_heaps_visit(ft_heap_kind kind, ft_block_visitor visit, void *arg)
{
    pthread_mutex_lock(&registry_lock);
    for (ft_heap_set *s = all_sets; s; s = s->all_next)
        _ft_heap_visit(&s->heaps[kind], visit, arg);
    pthread_mutex_unlock(&registry_lock);
}
