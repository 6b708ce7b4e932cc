/* fork_churn.c — fork() while other threads are inside libftmalloc.so.
 *
 *     LD_PRELOAD=build/release/shim/libftmalloc.so fork_churn [seconds]
 *
 * Two threads keep the allocator's locks busy: one maps and unmaps arenas
 * (obmalloc.c's arena_lock), the other starts threads that allocate and
 * exit (nogil/heap.c's registry_lock: adoption and abandonment). Main
 * forks again and again; each child maps and unmaps arenas and starts a
 * thread of its own, which takes both locks. A lock that was held by
 * another thread at the fork stays held forever in the child, so a child
 * that does not exit within 10 s is reported as deadlocked (with
 * FORK_CHURN_KEEP=1 in the environment it is left for gdb -p instead).
 *
 * The run lasts `seconds` and until MIN_FORKS forks were made (a loaded
 * 2-core machine makes 540-720 in 2 s; the floor is a tenth of that), but
 * at most MAX_SECONDS more: a run short of the floor fails with its count
 * rather than passing having forked a handful of times.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define ARENA_BLOCKS 3000        /* 3000 x 512 B: more than one 1 MiB arena */
#define MIN_FORKS 60
#define MAX_SECONDS 60.0

static atomic_bool stop;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Fills new arenas with 512-byte blocks and frees them: the arenas are
 * unmapped again (obmalloc.h, invariant E). */
static void arena_cycle(void)
{
    static _Thread_local void *blocks[ARENA_BLOCKS];
    for (int i = 0; i < ARENA_BLOCKS; i++) {
        blocks[i] = malloc(512);
        if (!blocks[i])
            abort();
        *(volatile char *)blocks[i] = 1;
    }
    for (int i = 0; i < ARENA_BLOCKS; i++)
        free(blocks[i]);
}

static void *arena_main(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed))
        arena_cycle();
    return NULL;
}

static void *short_main(void *arg)
{
    (void)arg;
    void *p = malloc(64);
    *(volatile char *)p = 1;
    return p;              /* freed by whoever joins */
}

static void *spawn_main(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        pthread_t t;
        void *p;
        if (pthread_create(&t, NULL, short_main, NULL) != 0)
            continue;
        pthread_join(t, &p);
        free(p);
    }
    return NULL;
}

static void child(void)
{
    arena_cycle();
    pthread_t t;
    void *p;
    if (pthread_create(&t, NULL, short_main, NULL) != 0)
        _exit(3);
    if (pthread_join(t, &p) != 0)
        _exit(4);
    free(p);
    _exit(0);
}

/* Waits up to `limit` seconds; returns false (and kills it) on a hang. */
static bool reap(pid_t pid, double limit, int *status)
{
    double end = now_s() + limit;
    while (now_s() < end) {
        pid_t r = waitpid(pid, status, WNOHANG);
        check_or_fail(r >= 0, "waitpid");
        if (r == pid)
            return true;
        usleep(1000);
    }
    return false;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    check_or_fail(dlsym(RTLD_DEFAULT, "ftmalloc_owns") != NULL,
          "not on libftmalloc.so: run with LD_PRELOAD=.../libftmalloc.so");
    pthread_t a, s;
    check_or_fail(pthread_create(&a, NULL, arena_main, NULL) == 0, "pthread_create");
    check_or_fail(pthread_create(&s, NULL, spawn_main, NULL) == 0, "pthread_create");
    unsigned forks = 0;
    double end = now_s() + seconds;
    bool hung = false;
    for (; (now_s() < end || (forks < MIN_FORKS && now_s() < end + MAX_SECONDS)) &&
           !hung; forks++) {
        pid_t pid = fork();
        check_or_fail(pid >= 0, "fork");
        if (pid == 0)
            child();
        int status = 0;
        if (!reap(pid, 10.0, &status)) {
            fprintf(stderr, "fork_churn: child %d of fork %u did not exit "
                    "in 10 s: deadlocked on a lock held at the fork?\n",
                    (int)pid, forks);
            if (getenv("FORK_CHURN_KEEP")) {
                fprintf(stderr, "fork_churn: FORK_CHURN_KEEP set: child %d "
                        "left for a debugger; parent sleeps\n", (int)pid);
                pause();
            }
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            hung = true;
            break;
        }
        check_or_fail(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "child of fork %u ended with status %#x", forks, status);
    }
    atomic_store(&stop, true);
    pthread_join(a, NULL);
    pthread_join(s, NULL);
    if (hung)
        return 1;
    check_or_fail(forks >= MIN_FORKS, "only %u of the %d forks required in %.0f s",
          forks, MIN_FORKS, seconds + MAX_SECONDS);
    printf("fork_churn: ok: %u forks in %.1f s, every child exited\n",
           forks, now_s() - (end - seconds));
    return 0;
}
