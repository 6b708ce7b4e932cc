/* io.c — I/O-bound and mixed workloads. Every blocking call runs detached
 * (FT_BEGIN/END_ALLOW_THREADS), as CPython releases the GIL around it;
 * between calls each side touches the runtime (makes a str of what it
 * received, checks it), so it must re-attach: under the GIL that is where
 * the waiting happens.
 *
 *   pipe-pingpong  two threads bounce a counter through two pipes
 *   tcp-echo       a client and an echo server thread on loopback TCP
 *   file-read      read a temporary file in 64 KiB chunks, checksum it
 *   sleep          1 ms sleeps
 *   convoy         an echo server alone and beside CPU-bound threads
 *                  (Beazley 2010), its client outside the runtime: under
 *                  the GIL each re-attach after a read or write waits for
 *                  the CPU thread's switch interval
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include "../bench_env.h"
#include "../ftbench.h"

/* ---- Detached system calls ---------------------------------------------------- */

/* Reads or writes exactly n bytes, detached; false at end of file. */
static bool io_full(int fd, void *buf, size_t n, bool is_write)
{
    size_t done = 0;
    while (done < n) {
        ssize_t k;
        FT_BEGIN_ALLOW_THREADS
        k = is_write ? write(fd, (char *)buf + done, n - done)
                     : read(fd, (char *)buf + done, n - done);
        FT_END_ALLOW_THREADS
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            ftb_fail("%s: %s", is_write ? "write" : "read", strerror(errno));
        if (k == 0)
            return false;
        done += (size_t)k;
    }
    return true;
}

/* Makes a str of the n bytes received and checks it: the attached work
 * that every request does on each side. */
static bool touch_message(const char *buf, size_t n)
{
    ft_object *s = ftb_ok(ft_str_from_utf8(buf, (ssize_t)n), "ft_str_from_utf8");
    bool ok = ft_len(s) == (ssize_t)n;
    ft_decref(s);
    ft_checkpoint();
    return ok;
}

/* ---- pipe ping-pong ----------------------------------------------------------- */

typedef struct pong {
    int in, out;                /* the partner reads in, writes out       */
    char error[120];
} pong;

static void pong_main(void *arg)
{
    pong *p = arg;
    int64_t v;
    while (io_full(p->in, &v, sizeof v, false)) {
        ft_object *o = ftb_ok(ft_int_from_i64(v + 1), "ft_int_from_i64");
        v = ft_int_as_i64(o);
        ft_decref(o);
        io_full(p->out, &v, sizeof v, true);
    }
}

static void pingpong_worker(ftb_worker *w)
{
    int a[2], b[2];
    if (pipe(a) != 0 || pipe(b) != 0)
        ftb_fail("pipe: %s", strerror(errno));
    pong p = { .in = a[0], .out = b[1] };
    ft_thread *t = ftb_thread_start(pong_main, &p);
    for (int64_t i = 0; i < w->units; i++) {
        int64_t v = i * 3, back;
        io_full(a[1], &v, sizeof v, true);
        if (!io_full(b[0], &back, sizeof back, false) || back != v + 1) {
            ftb_worker_fail(w, "sent %lld, got back %lld", (long long)v,
                            (long long)back);
            break;
        }
        ft_checkpoint();
    }
    close(a[1]);                /* the partner reads end of file and ends */
    ftb_thread_join(t);
    close(a[0]), close(b[0]), close(b[1]);
}

const ftb_workload ftb_pipe_pingpong = {
    .name = "pipe-pingpong", .kind = FTB_IO, .unit = "s",
    .desc = "bounce a counter between two threads through pipes (checked)",
    .units = { 20000, 5000, 20 }, .worker = pingpong_worker,
};

/* ---- loopback TCP echo --------------------------------------------------------
 * Every worker is a client with its own server thread; the servers accept
 * on one listening socket (any server may get any client: one connection
 * each). A request is MSG_LEN bytes, echoed back and compared. */
enum { MSG_LEN = 64 };

typedef struct echo {
    int listen_fd;
    int port;
    uint64_t budget_ns;         /* convoy: how long a run may take        */
} echo;

static void *echo_setup(ftb_size size, int variant)
{
    (void)variant;
    static const uint64_t budget_ms[FTB_NSIZES] = { 1000, 300, 60 };
    echo *e = calloc(1, sizeof *e);
    if (!e)
        ftb_fail("out of memory");
    e->budget_ns = budget_ms[size] * 1000000u;
    struct sockaddr_in addr = { .sin_family = AF_INET,
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof addr;
    e->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (e->listen_fd < 0 || bind(e->listen_fd, (struct sockaddr *)&addr, len) != 0 ||
        listen(e->listen_fd, 128) != 0 ||
        getsockname(e->listen_fd, (struct sockaddr *)&addr, &len) != 0)
        ftb_fail("listening on loopback: %s", strerror(errno));
    e->port = ntohs(addr.sin_port);
    return e;
}

static void echo_teardown(void *state)
{
    echo *e = state;
    close(e->listen_fd);
    free(e);
}

static void nodelay(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

typedef struct server {
    echo *e;
    long served;
    uint64_t gil_waits;         /* times it waited for the GIL, serving,  */
    uint64_t gil_wait_ns;       /* ... and how long in all                */
    bool bad;                   /* a message failed its check              */
} server;

static ft_thread_stats my_stats(void)
{
    ft_thread_stats st;
    if (ft_thread_get_stats(NULL, &st) != 0)
        ftb_fail_ft("ft_thread_get_stats");
    return st;
}

static void server_main(void *arg)
{
    server *s = arg;
    int fd;
    FT_BEGIN_ALLOW_THREADS
    do
        fd = accept4(s->e->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    FT_END_ALLOW_THREADS
    if (fd < 0)
        ftb_fail("accept: %s", strerror(errno));
    nodelay(fd);
    char buf[MSG_LEN];
    ft_thread_stats st0 = my_stats();
    while (io_full(fd, buf, MSG_LEN, false)) {
        s->bad |= !touch_message(buf, MSG_LEN);
        io_full(fd, buf, MSG_LEN, true);
        s->served++;
    }
    ft_thread_stats st1 = my_stats();
    s->gil_waits = st1.gil_waits - st0.gil_waits;
    s->gil_wait_ns = st1.gil_wait_ns - st0.gil_wait_ns;
    close(fd);
}

static int echo_connect(const echo *e)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)e->port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;
    FT_BEGIN_ALLOW_THREADS
    rc = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&addr, sizeof addr);
    FT_END_ALLOW_THREADS
    if (rc != 0)
        ftb_fail("connecting to the echo server: %s", strerror(errno));
    nodelay(fd);
    return fd;
}

/* One request: send, receive the echo, compare, and (a runtime thread)
 * touch it. */
static bool echo_request(int fd, long i, bool touch)
{
    char out[MSG_LEN], in[MSG_LEN];
    memset(out, '.', MSG_LEN);
    snprintf(out, MSG_LEN, "request %ld", i);
    io_full(fd, out, MSG_LEN, true);
    return io_full(fd, in, MSG_LEN, false) && memcmp(in, out, MSG_LEN) == 0 &&
           (!touch || touch_message(in, MSG_LEN));
}

/* Ends the connection and checks the server saw `want` good requests. */
static void echo_finish(ftb_worker *w, int fd, ft_thread *t, server *s, long want)
{
    close(fd);
    ftb_thread_join(t);
    if (s->bad || s->served != want)
        ftb_worker_fail(w, "the server served %ld requests (%s), want %ld",
                        s->served, s->bad ? "some garbled" : "all intact", want);
}

static void echo_worker(ftb_worker *w)
{
    server s = { .e = w->state };
    ft_thread *t = ftb_thread_start(server_main, &s);
    int fd = echo_connect(w->state);
    long i = 0;
    for (; i < w->units; i++)
        if (!echo_request(fd, i, true)) {
            ftb_worker_fail(w, "request %ld: wrong echo", i);
            break;
        }
    echo_finish(w, fd, t, &s, i);
}

const ftb_workload ftb_tcp_echo = {
    .name = "tcp-echo", .kind = FTB_IO, .unit = "req/s",
    .desc = "64-byte requests to an echo server thread over loopback TCP",
    .units = { 20000, 5000, 20 }, .setup = echo_setup, .worker = echo_worker,
    .teardown = echo_teardown,
};

/* ---- file reads ---------------------------------------------------------------
 * A temporary file of FILE_BYTES pseudo-random bytes, made at setup and
 * removed at teardown; a unit reads it whole in CHUNK pieces (each read
 * detached) and checks the sum of its bytes. */
enum { FILE_BYTES = 1 << 20, CHUNK = 64 << 10 };

typedef struct file_state {
    char path[256];
    uint64_t sum;
} file_state;

static void *file_setup(ftb_size size, int variant)
{
    (void)size, (void)variant;
    file_state *f = calloc(1, sizeof *f);
    unsigned char *data = malloc(FILE_BYTES);
    if (!f || !data)
        ftb_fail("out of memory");
    const char *dir = getenv("TMPDIR");
    snprintf(f->path, sizeof f->path, "%s/ftbench-XXXXXX", dir && *dir ? dir : P_tmpdir);
    int fd = mkstemp(f->path);
    if (fd < 0)
        ftb_fail("mkstemp %s: %s", f->path, strerror(errno));
    uint64_t x = 7;
    for (size_t i = 0; i < FILE_BYTES; i++)
        f->sum += data[i] = (unsigned char)ftb_rand(&x);
    if (!io_full(fd, data, FILE_BYTES, true) || close(fd) != 0)
        ftb_fail("writing %s: %s", f->path, strerror(errno));
    free(data);
    return f;
}

static void file_teardown(void *state)
{
    file_state *f = state;
    unlink(f->path);
    free(f);
}

static void file_worker(ftb_worker *w)
{
    file_state *f = w->state;
    unsigned char *buf = malloc(CHUNK);
    if (!buf)
        ftb_fail("out of memory");
    for (long u = 0; u < w->units && !w->error[0]; u++) {
        int fd;
        FT_BEGIN_ALLOW_THREADS
        fd = open(f->path, O_RDONLY | O_CLOEXEC);
        FT_END_ALLOW_THREADS
        if (fd < 0)
            ftb_fail("open %s: %s", f->path, strerror(errno));
        uint64_t sum = 0;
        for (size_t at = 0; at < FILE_BYTES; at += CHUNK) {
            if (!io_full(fd, buf, CHUNK, false))
                break;
            for (size_t i = 0; i < CHUNK; i++)
                sum += buf[i];
            ft_checkpoint();
        }
        close(fd);
        if (sum != f->sum)
            ftb_worker_fail(w, "file sums to %llu, want %llu",
                            (unsigned long long)sum, (unsigned long long)f->sum);
    }
    free(buf);
}

const ftb_workload ftb_file_read = {
    .name = "file-read", .kind = FTB_IO, .unit = "s",
    .desc = "read a 1 MiB temporary file in 64 KiB chunks (sum checked)",
    .units = { 400, 100, 2 }, .setup = file_setup, .worker = file_worker,
    .teardown = file_teardown,
};

/* ---- sleeps ---------------------------------------------------------------------- */

enum { SLEEP_NS = 1000000 };

static void sleep_worker(ftb_worker *w)
{
    for (long u = 0; u < w->units; u++) {
        uint64_t t0 = ftbench_now_ns();
        ftb_sleep_ns(SLEEP_NS);
        uint64_t slept = ftbench_now_ns() - t0;
        if (slept < SLEEP_NS)
            return ftb_worker_fail(w, "a 1 ms sleep took %llu ns",
                                   (unsigned long long)slept);
        ft_checkpoint();
    }
}

const ftb_workload ftb_sleep = {
    .name = "sleep", .kind = FTB_IO, .unit = "s",
    .desc = "1 ms sleeps, detached (the ideal: threads overlap fully)",
    .units = { 200, 60, 4 }, .worker = sleep_worker,
};

/* ---- convoy: echo beside CPU-bound threads --------------------------------------
 * The driver runs it alone and beside 1 and 2 CPU threads (--cpu-threads),
 * at switch intervals of 5, 1 and 0.1 ms (--switch-interval-us). As in
 * Beazley's measurement the client is outside the runtime (a plain
 * pthread, never registered: its ALLOW_THREADS blocks are no-ops), so only
 * the echo server competes with the CPU threads, and it needs the runtime
 * twice per request: after its read returns and after its write.
 *
 * The client waits ftb_client_delay_us before each request (--client-
 * delay-us; default FTB_CLIENT_DELAY_US, about a LAN round trip). Without
 * that delay, as in the published setup, loopback answers within
 * microseconds, faster than a waiting CPU thread wakes up, so the server
 * often re-takes the GIL it has just dropped before the CPU thread can:
 * the GIL then changes hands mostly when the CPU thread's own wait times
 * out, and the rate depends on who wins that race (bimodal, sensitive to
 * the machine's load). With the delay, the CPU thread holds the GIL when
 * each request arrives, and the server waits a switch interval for it: at
 * most about 1/interval requests per second (1/(2 x interval) when the
 * CPU thread also wins the re-attach after the write), and no more than
 * 1/delay alone.
 *
 * The client does up to `units` requests or stops after the size's time
 * budget (but never before 5 requests), whichever comes first; the run's
 * time is the request loop's, scaled to `units` requests. The CPU threads
 * churn floats with a checkpoint every FTB_CHECK_EVERY objects until the
 * client is done; their rate is reported as cpu_floats_per_s. */
long ftb_client_delay_us = FTB_CLIENT_DELAY_US;

typedef struct client {
    int fd;
    long units;                 /* at most this many requests             */
    uint64_t budget_ns;         /* ... or until this time has passed      */
    uint64_t delay_ns;          /* waited before each request             */
    long done;                  /* requests echoed correctly              */
    uint64_t elapsed_ns;        /* time of those                          */
    bool bad;                   /* a wrong echo                           */
} client;

static void *client_main(void *arg)
{
    client *c = arg;
    /* The kernel's default 50 us timer slack would stretch short delays. */
    prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
    uint64_t t0 = ftbench_now_ns();
    while (c->done < c->units && (c->done < 5 || c->elapsed_ns < c->budget_ns)) {
        if (c->delay_ns)
            ftb_sleep_ns(c->delay_ns);
        if (!echo_request(c->fd, c->done, false)) {
            c->bad = true;
            break;
        }
        c->done++;
        c->elapsed_ns = ftbench_now_ns() - t0;
    }
    return NULL;
}

/* Runs the client to the end, this (runtime) thread detached meanwhile. */
static void run_client(client *c)
{
    pthread_t t;
    int rc;
    FT_BEGIN_ALLOW_THREADS
    rc = pthread_create(&t, NULL, client_main, c);
    if (rc == 0)
        pthread_join(t, NULL);
    FT_END_ALLOW_THREADS
    if (rc != 0)
        ftb_fail("pthread_create: %s", strerror(rc));
}

typedef struct spinner {
    _Atomic int *xstop;         /* set by the worker: the client is done  */
    uint64_t units;             /* FTB_CHECK_EVERY floats each            */
    bool bad;
} spinner;

static void spinner_main(void *arg)
{
    spinner *s = arg;
    while (!ft_atomic_load_relaxed(s->xstop)) {
        double sum = 0;
        for (int i = 0; i < FTB_CHECK_EVERY; i++) {
            ft_object *f = ftb_ok(ft_float_from_double(i), "ft_float_from_double");
            sum += ft_float_as_double(f);
            ft_decref(f);
        }
        s->bad |= sum != FTB_CHECK_EVERY * (FTB_CHECK_EVERY - 1) / 2;
        s->units++;
        ft_checkpoint();
    }
}

static void convoy_worker(ftb_worker *w)
{
    echo *e = w->state;
    _Atomic int xstop = 0;
    spinner sp[FTB_MAX_THREADS] = { 0 };
    ft_thread *cpu[FTB_MAX_THREADS];
    server s = { .e = e };
    ft_thread *t = ftb_thread_start(server_main, &s);
    client c = { .fd = echo_connect(e), .units = w->units, .budget_ns = e->budget_ns,
                 .delay_ns = (uint64_t)ftb_client_delay_us * 1000u };
    for (int i = 0; i < w->cpu_threads; i++) {
        sp[i].xstop = &xstop;
        cpu[i] = ftb_thread_start(spinner_main, &sp[i]);
    }
    run_client(&c);
    if (c.bad)
        ftb_worker_fail(w, "request %ld: wrong echo", c.done);
    /* relaxed: the flag publishes nothing; the join orders the rest. */
    ft_atomic_store_relaxed(&xstop, 1);
    uint64_t cpu_units = 0;
    for (int k = 0; k < w->cpu_threads; k++) {
        ftb_thread_join(cpu[k]);
        cpu_units += sp[k].units;
        if (sp[k].bad)
            ftb_worker_fail(w, "a CPU thread computed a wrong sum");
    }
    echo_finish(w, c.fd, t, &s, c.done);
    if (c.done) {
        w->more[0] = (double)s.gil_waits / (double)c.done;
        w->more[1] = (double)s.gil_wait_ns / 1e3 / (double)c.done;
    }
    double secs = (double)c.elapsed_ns / 1e9;
    w->timed_ns = c.done ? (uint64_t)(secs * 1e9 * (double)w->units / (double)c.done) : 1;
    w->extra = (double)cpu_units * FTB_CHECK_EVERY / (secs > 0 ? secs : 1e-9);
}

const ftb_workload ftb_convoy = {
    .name = "convoy", .kind = FTB_MIXED, .unit = "req/s",
    .desc = "echo server beside 0, 1, 2 CPU threads at 5/1/0.1 ms (outside client)",
    .units = { 20000, 5000, 50 }, .setup = echo_setup, .worker = convoy_worker,
    .teardown = echo_teardown, .extra_name = "cpu_floats_per_s",
    .more_names = { "server_gil_waits_per_req", "server_gil_wait_us_per_req" },
};
