/* modules/socket.c — the _socket module: BSD sockets (TCP, UDP, Unix) over
 * IPv4, IPv6 and AF_UNIX, as CPython's Modules/socketmodule.c.
 *
 * Design notes
 *   A _socket.socket object owns one file descriptor. The descriptor is
 *   ALWAYS non-blocking at the kernel level; what Python sees as blocking,
 *   non-blocking or a timeout is the object's timeout (CPython's
 *   sock_timeout): -1 blocking, 0 non-blocking, > 0 nanoseconds to wait.
 *   Every operation runs as sock_call does in CPython: try the system
 *   call; on EAGAIN wait for readiness with poll() and try again. The
 *   wait is cut into 50 ms slices so that Ctrl-C (py_sigint_pending) is
 *   noticed during a long accept/recv, raising KeyboardInterrupt; a
 *   timeout raises TimeoutError("timed out") (socket.timeout is
 *   TimeoutError since 3.10), a non-blocking socket BlockingIOError.
 *
 *   Threads: every system call that may wait (and poll itself) runs
 *   detached (FT_BEGIN/END_ALLOW_THREADS): under the GIL this is the
 *   hand-over around blocking I/O that convoy effects come from; in
 *   nogil the thread stays out of stop-the-world pauses. Detached code
 *   touches no object: send copies nothing (it reads a bytes object we
 *   hold a reference to, immutable), recv fills a private buffer that
 *   becomes a bytes object once attached again.
 *   The descriptor and the timeout are read and written with relaxed
 *   atomics: close() from one thread while another waits is a race in
 *   the program (as in CPython), but not a data race in C; the waiter's
 *   next system call then fails with EBADF.
 *
 *   Errors: OSError subclasses from errno (ConnectionRefusedError
 *   "[Errno 111] Connection refused", ...); name resolution failures
 *   raise socket.gaierror (a subclass of OSError made here, errno the
 *   EAI_* code, strerror gai_strerror's text).
 *
 *   The class is subclassable: socket.py's socket class derives from it
 *   (tp_new allocates py_instance_alloc(cls); tp_dealloc frees any
 *   subclass instance). A socket still open at deallocation is closed
 *   silently (CPython warns with ResourceWarning only under -W).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "../ftpy.h"
#include "../objects/int.h"
#include "../objects/str.h"
#include "../objects/typeobject.h"
#include "../vm/vm.h"
#include "modules.h"

typedef struct sock_object {
    ft_object ob_base;
    int fd;                      /* -1 once closed or detached (atomic)   */
    int family, type, proto;
    int64_t timeout_ns;          /* -1 blocking, 0 non-blocking (atomic)  */
} sock_object;

static py_type sock_class;       /* _socket.socket, defined at the end    */

/* socket.setdefaulttimeout's value for new sockets, in ns (-1: None).
 * Relaxed: a plain setting, no other memory is published with it. */
static int64_t default_timeout_ns = -1;

static sock_object *as_sock(ft_object *o) { return (sock_object *)o; }
static int sock_fd(sock_object *s) { return __atomic_load_n(&s->fd, __ATOMIC_RELAXED); }
static void set_fd(sock_object *s, int fd) { __atomic_store_n(&s->fd, fd, __ATOMIC_RELAXED); }
static int64_t sock_timeout(sock_object *s)
{
    return __atomic_load_n(&s->timeout_ns, __ATOMIC_RELAXED);
}
static void set_timeout(sock_object *s, int64_t ns)
{
    __atomic_store_n(&s->timeout_ns, ns, __ATOMIC_RELAXED);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- errors --------------------------------------------------------------- */

static ft_object *set_errno(int err) { return py_err_from_errno(err, NULL); }

static ft_object *timeout_error(void)
{
    py_err_setstr(py_exc_TimeoutError, "timed out");
    return NULL;
}

/* socket.gaierror(code, gai_strerror(code)); the class lives in the
 * module's dict (looked up when raised: errors are rare). */
static ft_object *set_gaierror(int code)
{
    if (code == EAI_SYSTEM)
        return set_errno(errno);
    ft_object *name = py_str_from_cstr("_socket");
    ft_object *mod = name ? py_import(name, NULL, NULL, 0) : NULL;
    ft_object *cls = mod ? py_getattr_str(mod, "gaierror") : NULL;
    ft_xdecref(name);
    ft_xdecref(mod);
    if (!cls)
        return NULL;
    ft_object *args[2] = { ft_int_from_i64(code), py_str_from_cstr(gai_strerror(code)) };
    ft_object *exc = args[0] && args[1] ? py_vcall(cls, args, 2, NULL) : NULL;
    if (exc) {
        py_err_set_object(exc);
        ft_decref(exc);
    }
    ft_xdecref(args[0]);
    ft_xdecref(args[1]);
    ft_decref(cls);
    return NULL;
}

/* ---- waiting --------------------------------------------------------------- */

enum { WAIT_READY = 0, WAIT_TIMEOUT = 1, WAIT_ERROR = -1 };
#define SLICE_MS 50              /* how often a wait looks for Ctrl-C      */

/* Waits until fd is readable (or writable) or deadline_ns passes (-1:
 * no deadline), detached, in slices; KeyboardInterrupt on Ctrl-C. */
static int wait_fd(int fd, bool for_write, int64_t deadline_ns)
{
    for (;;) {
        int ms = SLICE_MS;
        if (deadline_ns >= 0) {
            int64_t left = deadline_ns - now_ns();
            if (left <= 0)
                return WAIT_TIMEOUT;
            if (left < (int64_t)SLICE_MS * 1000000)
                ms = (int)((left + 999999) / 1000000);
        }
        struct pollfd p = { .fd = fd, .events = for_write ? POLLOUT : POLLIN };
        int n, err = 0;
        FT_BEGIN_ALLOW_THREADS
        n = poll(&p, 1, ms);
        if (n < 0)
            err = errno;
        FT_END_ALLOW_THREADS
        if (py_sigint_pending && py_check_signals() < 0)
            return WAIT_ERROR;
        if (n > 0)
            return WAIT_READY;   /* ready, or an error the call will report */
        if (n < 0 && err != EINTR) {
            set_errno(err);
            return WAIT_ERROR;
        }
    }
}

/* One socket operation, CPython's sock_call: op(s, data) runs detached
 * and returns >= 0 on success or -1 with *err set; EAGAIN waits for
 * readiness as the timeout allows. Returns op's result or -1 with an
 * exception. */
typedef ssize_t (*sock_op)(int fd, void *data, int *err);

static ssize_t sock_call(sock_object *s, bool for_write, sock_op op, void *data)
{
    int64_t timeout = sock_timeout(s);
    int64_t deadline = timeout > 0 ? now_ns() + timeout : -1;
    for (;;) {
        int fd = sock_fd(s);
        if (fd < 0) {
            set_errno(EBADF);
            return -1;
        }
        ssize_t r;
        int err = 0;
        FT_BEGIN_ALLOW_THREADS
        r = op(fd, data, &err);
        FT_END_ALLOW_THREADS
        if (r >= 0)
            return r;
        if (err == EINTR) {
            if (py_sigint_pending && py_check_signals() < 0)
                return -1;
            continue;
        }
        if ((err != EAGAIN && err != EWOULDBLOCK) || timeout == 0) {
            set_errno(err);
            return -1;
        }
        int w = wait_fd(fd, for_write, deadline);
        if (w == WAIT_TIMEOUT) {
            timeout_error();
            return -1;
        }
        if (w == WAIT_ERROR)
            return -1;
    }
}

/* ---- addresses ------------------------------------------------------------------ */

typedef struct sock_addr {
    union {
        struct sockaddr sa;
        struct sockaddr_in in4;
        struct sockaddr_in6 in6;
        struct sockaddr_un un;
        struct sockaddr_storage storage;
    } u;
    socklen_t len;
} sock_addr;

/* host (a str) resolved for family into out (port left 0): '' is the
 * any-address, '<broadcast>' the IPv4 broadcast address, numeric text
 * parsed directly, anything else resolved with getaddrinfo (detached;
 * gaierror when it fails). 0 or -1. */
static int resolve_host(const char *host, int family, sock_addr *out)
{
    memset(out, 0, sizeof *out);
    if (family == AF_INET) {
        out->u.in4.sin_family = AF_INET;
        out->len = sizeof out->u.in4;
        if (!host[0]) {
            out->u.in4.sin_addr.s_addr = htonl(INADDR_ANY);
            return 0;
        }
        if (!strcmp(host, "<broadcast>") || !strcmp(host, "255.255.255.255")) {
            out->u.in4.sin_addr.s_addr = htonl(INADDR_BROADCAST);
            return 0;
        }
        if (inet_pton(AF_INET, host, &out->u.in4.sin_addr) == 1)
            return 0;
    } else {
        out->u.in6.sin6_family = AF_INET6;
        out->len = sizeof out->u.in6;
        if (!host[0]) {
            out->u.in6.sin6_addr = in6addr_any;
            return 0;
        }
        if (inet_pton(AF_INET6, host, &out->u.in6.sin6_addr) == 1)
            return 0;
    }
    struct addrinfo hints = { .ai_family = family }, *res = NULL;
    int rc;
    FT_BEGIN_ALLOW_THREADS
    rc = getaddrinfo(host, NULL, &hints, &res);
    FT_END_ALLOW_THREADS
    if (rc != 0) {
        set_gaierror(rc);
        return -1;
    }
    if (family == AF_INET)
        out->u.in4.sin_addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
    else
        out->u.in6.sin6_addr = ((struct sockaddr_in6 *)res->ai_addr)->sin6_addr;
    freeaddrinfo(res);
    return 0;
}

/* The host of an address tuple: str (or bytes/bytearray, as CPython). */
static ft_object *host_text(ft_object *o)
{
    ft_object *s = py_str_unbox_borrow(o);
    if (s)
        return ft_newref(s);
    ft_object *b = py_bytes_like_ref(o);
    if (b) {
        ssize_t n;
        const char *p = py_bytes_data(b, &n);
        ft_object *r = ft_str_from_utf8(p, n);
        ft_decref(b);
        return r ? r : py_err_from_ft();
    }
    if (!py_err_occurred())
        py_err_format(py_exc_TypeError, "str, bytes or bytearray expected, not %s",
                      py_type_name(o));
    return NULL;
}

static int port_of(const char *caller, ft_object *o, int *port)
{
    if (!py_long_check(o))
        return py_err_format_int(py_exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer",
                                 py_type_name(o));
    int64_t v;
    if (py_long_as_i64(o, &v) < 0 || v < 0 || v > 65535) {
        py_err_clear();
        return py_err_format_int(py_exc_OverflowError, "%s(): port must be 0-65535.", caller);
    }
    *port = (int)v;
    return 0;
}

/* A Python address for the socket's family into a sockaddr (CPython's
 * getsockaddrarg). 0 or -1. */
static int parse_addr(sock_object *s, ft_object *addr, const char *caller, sock_addr *out)
{
    memset(out, 0, sizeof *out);
    if (s->family == AF_UNIX) {
        ft_object *t = host_text(addr);
        if (!t)
            return -1;
        ssize_t n;
        const char *p = ft_str_utf8_borrow(t, &n);
        if ((size_t)n >= sizeof out->u.un.sun_path) {
            ft_decref(t);
            return py_err_format_int(py_exc_OSError, "AF_UNIX path too long");
        }
        out->u.un.sun_family = AF_UNIX;
        memcpy(out->u.un.sun_path, p, (size_t)n);
        out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)n +
                               (n > 0 && p[0] != 0 ? 1 : 0));
        ft_decref(t);
        return 0;
    }
    if (s->family != AF_INET && s->family != AF_INET6)
        return py_err_format_int(py_exc_OSError, "%s(): bad family", caller);
    const char *fam = s->family == AF_INET ? "AF_INET" : "AF_INET6";
    if (addr->ob_type != &ft_tuple_type)
        return py_err_format_int(py_exc_TypeError, "%s(): %s address must be tuple, not %s",
                                 caller, fam, py_type_name(addr));
    ssize_t n = ft_len(addr);
    if (s->family == AF_INET && n != 2)
        return py_err_format_int(py_exc_TypeError, "AF_INET address must be a pair (host, port)");
    if (s->family == AF_INET6 && (n < 2 || n > 4))
        return py_err_format_int(py_exc_TypeError,
                                 "AF_INET6 address must be a tuple (host, port[, flowinfo[, "
                                 "scopeid]])");
    ft_object *host = host_text(ft_tuple_get_borrow(addr, 0));
    if (!host)
        return -1;
    int port = 0;
    int rc = port_of(caller, ft_tuple_get_borrow(addr, 1), &port);
    if (rc == 0)
        rc = resolve_host(ft_str_utf8_borrow(host, NULL), s->family, out);
    ft_decref(host);
    if (rc < 0)
        return -1;
    if (s->family == AF_INET) {
        out->u.in4.sin_port = htons((uint16_t)port);
        return 0;
    }
    out->u.in6.sin6_port = htons((uint16_t)port);
    int64_t extra[2] = { 0, 0 };
    for (ssize_t i = 2; i < n; i++) {
        ft_object *v = ft_tuple_get_borrow(addr, i);
        if (!py_long_check(v))
            return py_err_format_int(py_exc_TypeError,
                                     "'%s' object cannot be interpreted as an integer",
                                     py_type_name(v));
        if (py_long_as_i64(v, &extra[i - 2]) < 0)
            return -1;
        if (extra[i - 2] < 0 || extra[i - 2] > 0xffffffffLL)
            return py_err_format_int(py_exc_OverflowError, "%s(): %s must be 0-%s.", caller,
                                     i == 2 ? "flowinfo" : "scope_id",
                                     i == 2 ? "1048575" : "4294967295");
    }
    if (extra[0] > 0xfffff)
        return py_err_format_int(py_exc_OverflowError, "%s(): flowinfo must be 0-1048575.",
                                 caller);
    out->u.in6.sin6_flowinfo = htonl((uint32_t)extra[0]);
    out->u.in6.sin6_scope_id = (uint32_t)extra[1];
    return 0;
}

/* The Python form of a sockaddr (CPython's makesockaddr). */
static ft_object *make_addr(const struct sockaddr *sa, socklen_t len)
{
    char host[INET6_ADDRSTRLEN];
    if (len == 0)
        return ft_none();
    switch (sa->sa_family) {
    case AF_INET: {
        const struct sockaddr_in *a = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        ft_object *h = py_str_from_cstr(host);
        ft_object *t = h ? ft_tuple_new(2) : NULL;
        if (!t) {
            ft_xdecref(h);
            return h ? py_err_from_ft() : NULL;
        }
        ft_tuple_set_steal(t, 0, h);
        ft_tuple_set_steal(t, 1, ft_int_from_i64(ntohs(a->sin_port)));
        return t;
    }
    case AF_INET6: {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        ft_object *h = py_str_from_cstr(host);
        ft_object *t = h ? ft_tuple_new(4) : NULL;
        if (!t) {
            ft_xdecref(h);
            return h ? py_err_from_ft() : NULL;
        }
        ft_tuple_set_steal(t, 0, h);
        ft_tuple_set_steal(t, 1, ft_int_from_i64(ntohs(a->sin6_port)));
        ft_tuple_set_steal(t, 2, ft_int_from_i64(ntohl(a->sin6_flowinfo)));
        ft_tuple_set_steal(t, 3, ft_int_from_i64(a->sin6_scope_id));
        return t;
    }
    case AF_UNIX: {
        const struct sockaddr_un *a = (const struct sockaddr_un *)sa;
        size_t n = len > offsetof(struct sockaddr_un, sun_path)
                       ? len - offsetof(struct sockaddr_un, sun_path) : 0;
        if (n > 0 && a->sun_path[0] == 0)   /* Linux abstract namespace */
            return py_bytes_from_buf(a->sun_path, n);
        return py_str_from_cstr(n > 0 ? a->sun_path : "");
    }
    default: {
        ft_object *t = ft_tuple_new(2);
        if (!t)
            return py_err_from_ft();
        ft_tuple_set_steal(t, 0, ft_int_from_i64(sa->sa_family));
        ft_tuple_set_steal(t, 1, py_bytes_from_buf(sa->sa_data, sizeof sa->sa_data));
        return t;
    }
    }
}

/* ---- the socket object ------------------------------------------------------------ */

/* A checked int argument (CPython's "'str' object cannot be interpreted
 * as an integer"). */
static int int_arg(ft_object *o, int64_t *out)
{
    if (!py_long_check(o))
        return py_err_format_int(py_exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer",
                                 py_type_name(o));
    return py_long_as_i64(o, out);
}

/* Makes fd non-blocking and close-on-exec (the timeout emulates the rest). */
static int prepare_fd(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    int fdfl = fcntl(fd, F_GETFD);
    return fdfl < 0 ? -1 : fcntl(fd, F_SETFD, fdfl | FD_CLOEXEC);
}

static void sock_fill(sock_object *s, int fd, int family, int type, int proto)
{
    set_fd(s, fd);
    s->family = family;
    s->type = type;
    s->proto = proto;
    set_timeout(s, __atomic_load_n(&default_timeout_ns, __ATOMIC_RELAXED));
}

static ft_object *sock_tp_new(py_type *cls, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    ft_object *o = py_instance_alloc(cls);
    if (o) {
        as_sock(o)->fd = -1;
        as_sock(o)->timeout_ns = -1;
    }
    return o;
}

/* socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None). With
 * fileno, the socket adopts that descriptor; family/type/proto of -1
 * (or omitted) are then asked of the kernel. */
static int sock_tp_init(ft_object *self, ft_object *const *args, size_t nargs,
                        ft_object *kwnames)
{
    ft_object *a[4];
    if (py_bind_args("socket", args, nargs, kwnames, "|,family,type,proto,fileno", a) < 0)
        return -1;
    int64_t v[3] = { -1, -1, -1 };
    for (int i = 0; i < 3; i++)
        if (a[i] && a[i] != ft_none() && int_arg(a[i], &v[i]) < 0)
            return -1;
    sock_object *s = as_sock(self);
    if (sock_fd(s) >= 0) {       /* __init__ called again: drop the old fd */
        close(sock_fd(s));
        set_fd(s, -1);
    }
    if (a[3] && a[3] != ft_none()) {
        int64_t fd;
        if (int_arg(a[3], &fd) < 0)
            return -1;
        if (fd < 0)
            return py_err_format_int(py_exc_ValueError, "negative file descriptor");
        int opts[3] = { SO_DOMAIN, SO_TYPE, SO_PROTOCOL };
        for (int i = 0; i < 3; i++) {
            if (v[i] != -1)
                continue;
            int val = 0;
            socklen_t len = sizeof val;
            if (getsockopt((int)fd, SOL_SOCKET, opts[i], &val, &len) < 0) {
                set_errno(errno);
                return -1;
            }
            v[i] = val;
        }
        if (prepare_fd((int)fd) < 0) {
            set_errno(errno);
            return -1;
        }
        sock_fill(s, (int)fd, (int)v[0], (int)v[1], (int)v[2]);
        return 0;
    }
    int family = v[0] == -1 ? AF_INET : (int)v[0];
    int type = v[1] == -1 ? SOCK_STREAM : (int)v[1];
    int proto = v[2] == -1 ? 0 : (int)v[2];
    int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
    if (fd < 0) {
        set_errno(errno);
        return -1;
    }
    sock_fill(s, fd, family, type, proto);
    return 0;
}

static void sock_dealloc(ft_object *o)
{
    int fd = sock_fd(as_sock(o));
    if (fd >= 0)
        close(fd);               /* silently: no ResourceWarning here */
    ft_object_free(o);
}

static ft_object *sock_repr(ft_object *o)
{
    sock_object *s = as_sock(o);
    return py_str_from_format("<socket object, fd=%d, family=%d, type=%d, proto=%d>",
                              sock_fd(s), s->family, s->type, s->proto);
}

/* A method's fd, or -1 with OSError EBADF when the socket is closed. */
static int live_fd(ft_object *self)
{
    int fd = sock_fd(as_sock(self));
    if (fd < 0)
        set_errno(EBADF);
    return fd;
}

#define METH(name) \
    static ft_object *sock_##name(ft_object *self, ft_object *const *args, size_t nargs, \
                                  ft_object *kwnames)

METH(fileno)
{
    (void)args;
    if (py_meth_noargs("socket", "fileno", nargs, kwnames) < 0)
        return NULL;
    return ft_int_from_i64(sock_fd(as_sock(self)));
}

METH(close)
{
    (void)args;
    if (py_meth_noargs("socket", "close", nargs, kwnames) < 0)
        return NULL;
    int fd = __atomic_exchange_n(&as_sock(self)->fd, -1, __ATOMIC_RELAXED);
    /* ECONNRESET on close is not an error worth raising (CPython agrees) */
    if (fd >= 0 && close(fd) < 0 && errno != ECONNRESET && errno != EINTR)
        return set_errno(errno);
    return ft_none();
}

METH(detach)
{
    (void)args;
    if (py_meth_noargs("socket", "detach", nargs, kwnames) < 0)
        return NULL;
    int fd = __atomic_exchange_n(&as_sock(self)->fd, -1, __ATOMIC_RELAXED);
    return ft_int_from_i64(fd);
}

METH(bind)
{
    if (py_meth_onearg("socket", "bind", nargs, kwnames) < 0)
        return NULL;
    sock_addr addr;
    if (parse_addr(as_sock(self), args[0], "bind", &addr) < 0)
        return NULL;
    int fd = live_fd(self);
    if (fd < 0)
        return NULL;
    if (bind(fd, &addr.u.sa, addr.len) < 0)
        return set_errno(errno);
    return ft_none();
}

METH(listen)
{
    if (py_meth_clinic("socket", "listen", nargs, kwnames, 0, 1) < 0)
        return NULL;
    int64_t backlog = SOMAXCONN < 128 ? SOMAXCONN : 128;
    if (nargs && int_arg(args[0], &backlog) < 0)
        return NULL;
    if (backlog < 0)
        backlog = 0;
    int fd = live_fd(self);
    if (fd < 0)
        return NULL;
    if (listen(fd, (int)backlog) < 0)
        return set_errno(errno);
    return ft_none();
}

typedef struct accept_data {
    sock_addr addr;
    int newfd;
} accept_data;

static ssize_t do_accept(int fd, void *data, int *err)
{
    accept_data *d = data;
    d->addr.len = sizeof d->addr.u;
    d->newfd = accept4(fd, &d->addr.u.sa, &d->addr.len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (d->newfd < 0)
        *err = errno;
    return d->newfd;
}

/* _accept() -> (fd, address): socket.py wraps the fd in a socket. */
METH(_accept)
{
    (void)args;
    if (py_meth_noargs("socket", "_accept", nargs, kwnames) < 0)
        return NULL;
    accept_data d;
    if (sock_call(as_sock(self), false, do_accept, &d) < 0)
        return NULL;
    ft_object *addr = make_addr(&d.addr.u.sa, d.addr.len);
    ft_object *t = addr ? ft_tuple_new(2) : NULL;
    if (!t) {
        close(d.newfd);
        ft_xdecref(addr);
        return addr ? py_err_from_ft() : NULL;
    }
    ft_tuple_set_steal(t, 0, ft_int_from_i64(d.newfd));
    ft_tuple_set_steal(t, 1, addr);
    return t;
}

typedef struct connect_data {
    sock_addr addr;
    bool started;                /* the first connect() ran: poll SO_ERROR */
} connect_data;

static ssize_t do_connect(int fd, void *data, int *err)
{
    connect_data *d = data;
    if (d->started) {
        /* the connection was in progress: its outcome is in SO_ERROR */
        int e = 0;
        socklen_t len = sizeof e;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
            e = errno;
        *err = e;
        return e ? -1 : 0;
    }
    d->started = true;
    if (connect(fd, &d->addr.u.sa, d->addr.len) == 0)
        return 0;
    *err = errno == EINPROGRESS ? EAGAIN : errno;
    if (errno == EINTR)          /* the connection goes on in the kernel */
        *err = EAGAIN;
    return -1;
}

/* connect(address) / connect_ex(address): 0 or the errno (connect_ex),
 * -1 with an exception. */
static int sock_connect_impl(ft_object *self, ft_object *addr, bool raise, int *result)
{
    sock_object *s = as_sock(self);
    connect_data d = { .started = false };
    if (parse_addr(s, addr, raise ? "connect" : "connect_ex", &d.addr) < 0)
        return -1;
    int64_t timeout = sock_timeout(s);
    int64_t deadline = timeout > 0 ? now_ns() + timeout : -1;
    for (;;) {
        int fd = sock_fd(s);
        if (fd < 0) {
            *result = EBADF;
            break;
        }
        int err = 0;
        ssize_t r;
        FT_BEGIN_ALLOW_THREADS
        r = do_connect(fd, &d, &err);
        FT_END_ALLOW_THREADS
        if (r == 0) {
            *result = 0;
            return 0;
        }
        if (err != EAGAIN) {
            *result = err;
            break;
        }
        if (timeout == 0) {      /* non-blocking: EINPROGRESS, as CPython */
            *result = EINPROGRESS;
            break;
        }
        int w = wait_fd(fd, true, deadline);
        if (w == WAIT_ERROR)
            return -1;
        if (w == WAIT_TIMEOUT) {
            if (raise) {
                timeout_error();
                return -1;
            }
            *result = EWOULDBLOCK;
            return 0;
        }
    }
    if (raise) {
        set_errno(*result);
        return -1;
    }
    return 0;
}

METH(connect)
{
    if (py_meth_onearg("socket", "connect", nargs, kwnames) < 0)
        return NULL;
    int result;
    return sock_connect_impl(self, args[0], true, &result) < 0 ? NULL : ft_none();
}

METH(connect_ex)
{
    if (py_meth_onearg("socket", "connect_ex", nargs, kwnames) < 0)
        return NULL;
    int result;
    return sock_connect_impl(self, args[0], false, &result) < 0 ? NULL
                                                                 : ft_int_from_i64(result);
}

/* The bytes of a send argument (new reference), or NULL with CPython's
 * TypeError "a bytes-like object is required, not 'str'". */
static ft_object *data_arg(ft_object *o)
{
    ft_object *b = py_bytes_like_ref(o);
    if (!b && !py_err_occurred())
        py_err_format(py_exc_TypeError, "a bytes-like object is required, not '%s'",
                      py_type_name(o));
    return b;
}

typedef struct io_data {
    const char *buf;             /* send: the bytes                         */
    char *out;                   /* recv: the private buffer                */
    size_t len;
    int flags;
    sock_addr addr;              /* sendto's target / recvfrom's source     */
    bool with_addr;
} io_data;

static ssize_t do_send(int fd, void *data, int *err)
{
    io_data *d = data;
    ssize_t n = d->with_addr ? sendto(fd, d->buf, d->len, d->flags | MSG_NOSIGNAL,
                                      &d->addr.u.sa, d->addr.len)
                             : send(fd, d->buf, d->len, d->flags | MSG_NOSIGNAL);
    if (n < 0)
        *err = errno;
    return n;
}

static ssize_t do_recv(int fd, void *data, int *err)
{
    io_data *d = data;
    ssize_t n;
    if (d->with_addr) {
        d->addr.len = sizeof d->addr.u;
        n = recvfrom(fd, d->out, d->len, d->flags, &d->addr.u.sa, &d->addr.len);
    } else {
        n = recv(fd, d->out, d->len, d->flags);
    }
    if (n < 0)
        *err = errno;
    return n;
}

static int flags_arg(ft_object *const *args, size_t nargs, size_t i, int *flags)
{
    int64_t v = 0;
    if (nargs > i && int_arg(args[i], &v) < 0)
        return -1;
    *flags = (int)v;
    return 0;
}

METH(send)
{
    if (py_meth_findargs(NULL, "send", nargs, kwnames, 1, 2) < 0)
        return NULL;
    io_data d = { .with_addr = false };
    if (flags_arg(args, nargs, 1, &d.flags) < 0)
        return NULL;
    ft_object *b = data_arg(args[0]);
    if (!b)
        return NULL;
    ssize_t size;
    d.buf = py_bytes_data(b, &size);
    d.len = (size_t)size;
    ssize_t n = sock_call(as_sock(self), true, do_send, &d);
    ft_decref(b);
    return n < 0 ? NULL : ft_int_from_i64(n);
}

METH(sendall)
{
    if (py_meth_findargs(NULL, "sendall", nargs, kwnames, 1, 2) < 0)
        return NULL;
    io_data d = { .with_addr = false };
    if (flags_arg(args, nargs, 1, &d.flags) < 0)
        return NULL;
    ft_object *b = data_arg(args[0]);
    if (!b)
        return NULL;
    ssize_t size;
    const char *p = py_bytes_data(b, &size);
    /* the timeout bounds each send, as in CPython 3.11 for a blocking one
     * it is the whole call's limit; here per chunk: simpler, never longer
     * than the user asked for a single wait */
    size_t done = 0;
    while (done < (size_t)size) {
        d.buf = p + done;
        d.len = (size_t)size - done;
        ssize_t n = sock_call(as_sock(self), true, do_send, &d);
        if (n < 0) {
            ft_decref(b);
            return NULL;
        }
        done += (size_t)n;
    }
    ft_decref(b);
    return ft_none();
}

METH(sendto)
{
    if (py_meth_findargs(NULL, "sendto", nargs, kwnames, 2, 3) < 0)
        return NULL;
    io_data d = { .with_addr = true };
    if (nargs == 3 && flags_arg(args, nargs, 1, &d.flags) < 0)
        return NULL;
    if (parse_addr(as_sock(self), args[nargs - 1], "sendto", &d.addr) < 0)
        return NULL;
    ft_object *b = data_arg(args[0]);
    if (!b)
        return NULL;
    ssize_t size;
    d.buf = py_bytes_data(b, &size);
    d.len = (size_t)size;
    ssize_t n = sock_call(as_sock(self), true, do_send, &d);
    ft_decref(b);
    return n < 0 ? NULL : ft_int_from_i64(n);
}

/* recv/recvfrom's common part: fills a new buffer; the bytes made of it
 * in *out. -1 with an exception. */
static int recv_common(ft_object *self, ft_object *const *args, size_t nargs, const char *name,
                       bool with_addr, ft_object **out, sock_addr *from)
{
    int64_t bufsize;
    io_data d = { .with_addr = with_addr };
    if (int_arg(args[0], &bufsize) < 0 || flags_arg(args, nargs, 1, &d.flags) < 0)
        return -1;
    if (bufsize < 0)
        return py_err_format_int(py_exc_ValueError, "negative buffersize in %s", name);
    d.out = ft_malloc((size_t)bufsize + 1);
    if (!d.out) {
        py_err_nomemory();
        return -1;
    }
    d.len = (size_t)bufsize;
    ssize_t n = sock_call(as_sock(self), false, do_recv, &d);
    if (n >= 0) {
        *out = py_bytes_from_buf(d.out, (size_t)n);
        if (from)
            *from = d.addr;
    }
    ft_free(d.out);
    return n < 0 || !*out ? -1 : 0;
}

METH(recv)
{
    if (py_meth_findargs(NULL, "recv", nargs, kwnames, 1, 2) < 0)
        return NULL;
    ft_object *r = NULL;
    return recv_common(self, args, nargs, "recv", false, &r, NULL) < 0 ? NULL : r;
}

METH(recvfrom)
{
    if (py_meth_findargs(NULL, "recvfrom", nargs, kwnames, 1, 2) < 0)
        return NULL;
    ft_object *r = NULL;
    sock_addr from;
    if (recv_common(self, args, nargs, "recvfrom", true, &r, &from) < 0)
        return NULL;
    ft_object *addr = make_addr(&from.u.sa, from.len);
    ft_object *t = addr ? ft_tuple_new(2) : NULL;
    if (!t) {
        ft_decref(r);
        ft_xdecref(addr);
        return addr ? py_err_from_ft() : NULL;
    }
    ft_tuple_set_steal(t, 0, r);
    ft_tuple_set_steal(t, 1, addr);
    return t;
}

/* recv_into(buffer[, nbytes[, flags]]): into a bytearray, in place. */
METH(recv_into)
{
    ft_object *a[3];
    if (py_bind_args("recv_into", args, nargs, kwnames, "buffer,|,nbytes,flags", a) < 0)
        return NULL;
    if (!py_bytearray_check(a[0]))
        return py_err_format(py_exc_TypeError,
                             "recv_into() argument 'buffer' must be read-write bytes-like "
                             "object, not %s", py_type_name(a[0]));
    ft_object *ba = py_unbox_borrow(a[0], &py_bytearray_class.ft);
    if (!ba)
        ba = a[0];
    int64_t nbytes = 0, flags = 0;
    if ((a[1] && int_arg(a[1], &nbytes) < 0) || (a[2] && int_arg(a[2], &flags) < 0))
        return NULL;
    if (nbytes < 0)
        return py_err_format(py_exc_ValueError, "negative buffersize in recv_into");
    ssize_t cap = ((py_bytearray_object *)ba)->size;
    if (nbytes == 0)
        nbytes = cap;
    else if (nbytes > cap)
        return py_err_format(py_exc_ValueError, "buffer too small for requested bytes");
    io_data d = { .with_addr = false, .flags = (int)flags, .len = (size_t)nbytes };
    d.out = ft_malloc((size_t)nbytes + 1);
    if (!d.out)
        return py_err_nomemory();
    ssize_t n = sock_call(as_sock(self), false, do_recv, &d);
    if (n > 0) {
        /* the bytearray may have shrunk while we waited: copy what fits */
        FT_BEGIN_CRITICAL_SECTION_OBJ(ba);
        py_bytearray_object *b = (py_bytearray_object *)ba;
        size_t fit = (size_t)n < (size_t)b->size ? (size_t)n : (size_t)b->size;
        memcpy(b->data, d.out, fit);
        FT_END_CRITICAL_SECTION();
    }
    ft_free(d.out);
    return n < 0 ? NULL : ft_int_from_i64(n);
}

METH(shutdown)
{
    if (py_meth_onearg("socket", "shutdown", nargs, kwnames) < 0)
        return NULL;
    int64_t how;
    if (int_arg(args[0], &how) < 0)
        return NULL;
    int fd = live_fd(self);
    if (fd < 0)
        return NULL;
    if (shutdown(fd, (int)how) < 0)
        return set_errno(errno);
    return ft_none();
}

static ft_object *name_of(ft_object *self, bool peer)
{
    int fd = live_fd(self);
    if (fd < 0)
        return NULL;
    sock_addr a;
    a.len = sizeof a.u;
    memset(&a.u, 0, sizeof a.u);
    int rc = peer ? getpeername(fd, &a.u.sa, &a.len) : getsockname(fd, &a.u.sa, &a.len);
    if (rc < 0)
        return set_errno(errno);
    return make_addr(&a.u.sa, a.len);
}

METH(getsockname)
{
    (void)args;
    if (py_meth_noargs("socket", "getsockname", nargs, kwnames) < 0)
        return NULL;
    return name_of(self, false);
}

METH(getpeername)
{
    (void)args;
    if (py_meth_noargs("socket", "getpeername", nargs, kwnames) < 0)
        return NULL;
    return name_of(self, true);
}

METH(setsockopt)
{
    if (py_meth_findargs(NULL, "setsockopt", nargs, kwnames, 3, 3) < 0)
        return NULL;
    int64_t level, opt;
    if (int_arg(args[0], &level) < 0 || int_arg(args[1], &opt) < 0)
        return NULL;
    int fd = live_fd(self);
    if (fd < 0)
        return NULL;
    int rc;
    if (py_long_check(args[2])) {
        int64_t v;
        if (py_long_as_i64(args[2], &v) < 0)
            return NULL;
        int iv = (int)v;
        rc = setsockopt(fd, (int)level, (int)opt, &iv, sizeof iv);
    } else {
        ft_object *b = py_bytes_like_ref(args[2]);
        if (!b)
            return py_err_occurred() ? NULL
                   : py_err_format(py_exc_TypeError, "a bytes-like object is required, not '%s'",
                                   py_type_name(args[2]));
        ssize_t n;
        const char *p = py_bytes_data(b, &n);
        rc = setsockopt(fd, (int)level, (int)opt, p, (socklen_t)n);
        ft_decref(b);
    }
    if (rc < 0)
        return set_errno(errno);
    return ft_none();
}

METH(getsockopt)
{
    if (py_meth_findargs(NULL, "getsockopt", nargs, kwnames, 2, 3) < 0)
        return NULL;
    int64_t level, opt, buflen = 0;
    if (int_arg(args[0], &level) < 0 || int_arg(args[1], &opt) < 0 ||
        (nargs == 3 && int_arg(args[2], &buflen) < 0))
        return NULL;
    int fd = live_fd(self);
    if (fd < 0)
        return NULL;
    if (buflen == 0) {
        int v = 0;
        socklen_t len = sizeof v;
        if (getsockopt(fd, (int)level, (int)opt, &v, &len) < 0)
            return set_errno(errno);
        return ft_int_from_i64(v);
    }
    if (buflen < 0 || buflen > 1024)
        return py_err_format(py_exc_OSError, "getsockopt buflen out of range");
    char buf[1024];
    socklen_t len = (socklen_t)buflen;
    if (getsockopt(fd, (int)level, (int)opt, buf, &len) < 0)
        return set_errno(errno);
    return py_bytes_from_buf(buf, len);
}

/* A timeout argument: None -> -1, else seconds >= 0 as ns. CPython 3.11
 * words a non-number "'str' object cannot be interpreted as an integer". */
static int timeout_arg(ft_object *o, int64_t *ns)
{
    if (o == ft_none()) {
        *ns = -1;
        return 0;
    }
    double secs;
    if (py_float_check(o)) {
        bool err = false;
        secs = py_float_as_double_any(o, &err);
        if (err)
            return -1;
    } else if (py_long_check(o)) {
        int64_t v;
        if (py_long_as_i64(o, &v) < 0)
            return -1;
        secs = (double)v;
    } else {
        return py_err_format_int(py_exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer",
                                 py_type_name(o));
    }
    if (isnan(secs))
        return py_err_format_int(py_exc_ValueError, "Invalid value NaN (not a number)");
    if (secs < 0)
        return py_err_format_int(py_exc_ValueError, "Timeout value out of range");
    if (secs > 9.2e9)
        return py_err_format_int(py_exc_OverflowError, "timestamp too large to convert to C _PyTime_t");
    *ns = (int64_t)ceil(secs * 1e9);
    return 0;
}

static ft_object *timeout_value(int64_t ns)
{
    return ns < 0 ? ft_none() : ft_float_from_double((double)ns / 1e9);
}

METH(settimeout)
{
    if (py_meth_onearg("socket", "settimeout", nargs, kwnames) < 0)
        return NULL;
    int64_t ns;
    if (timeout_arg(args[0], &ns) < 0)
        return NULL;
    set_timeout(as_sock(self), ns);
    return ft_none();
}

METH(gettimeout)
{
    (void)args;
    if (py_meth_noargs("socket", "gettimeout", nargs, kwnames) < 0)
        return NULL;
    return timeout_value(sock_timeout(as_sock(self)));
}

METH(setblocking)
{
    if (py_meth_onearg("socket", "setblocking", nargs, kwnames) < 0)
        return NULL;
    int flag = py_is_true(args[0]);
    if (flag < 0)
        return NULL;
    set_timeout(as_sock(self), flag ? -1 : 0);
    return ft_none();
}

METH(getblocking)
{
    (void)args;
    if (py_meth_noargs("socket", "getblocking", nargs, kwnames) < 0)
        return NULL;
    return ft_bool(sock_timeout(as_sock(self)) != 0);
}

static const py_method_def sock_methods[] = {
    { "fileno", sock_fileno, 0 },           { "close", sock_close, 0 },
    { "detach", sock_detach, 0 },           { "bind", sock_bind, 0 },
    { "listen", sock_listen, 0 },           { "_accept", sock__accept, 0 },
    { "connect", sock_connect, 0 },         { "connect_ex", sock_connect_ex, 0 },
    { "send", sock_send, 0 },               { "sendall", sock_sendall, 0 },
    { "sendto", sock_sendto, 0 },           { "recv", sock_recv, 0 },
    { "recvfrom", sock_recvfrom, 0 },       { "recv_into", sock_recv_into, 0 },
    { "shutdown", sock_shutdown, 0 },       { "getsockname", sock_getsockname, 0 },
    { "getpeername", sock_getpeername, 0 }, { "setsockopt", sock_setsockopt, 0 },
    { "getsockopt", sock_getsockopt, 0 },   { "settimeout", sock_settimeout, 0 },
    { "gettimeout", sock_gettimeout, 0 },   { "setblocking", sock_setblocking, 0 },
    { "getblocking", sock_getblocking, 0 },
    { NULL, NULL, 0 },
};

static ft_object *get_family(ft_object *o) { return ft_int_from_i64(as_sock(o)->family); }
static ft_object *get_type(ft_object *o) { return ft_int_from_i64(as_sock(o)->type); }
static ft_object *get_proto(ft_object *o) { return ft_int_from_i64(as_sock(o)->proto); }
static ft_object *get_timeout(ft_object *o) { return timeout_value(sock_timeout(as_sock(o))); }

static const py_getset_def sock_getset[] = {
    { "family", get_family, NULL },
    { "type", get_type, NULL },
    { "proto", get_proto, NULL },
    { "timeout", get_timeout, NULL },
    { NULL, NULL, NULL },
};

static py_type sock_class = {
    .ft = {
        .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),
        .tp_name = "_socket.socket", .tp_basicsize = sizeof(sock_object),
        .tp_flags = PY_TPFLAGS_PYTYPE | PY_TPFLAGS_BASETYPE,
        .tp_dealloc = sock_dealloc, .tp_repr = sock_repr,
    },
    .tp_new = sock_tp_new,
    .tp_init = sock_tp_init,
    .tp_methods = sock_methods,
    .tp_getset = sock_getset,
};

/* ---- module functions --------------------------------------------------------------- */

#define FUNC(name) \
    static ft_object *mod_##name(ft_object *self, ft_object *const *args, size_t nargs, \
                                 ft_object *kwnames)

FUNC(gethostname)
{
    (void)self; (void)args;
    if (py_meth_noargs(NULL, "gethostname", nargs, kwnames) < 0)
        return NULL;
    char buf[256];
    if (gethostname(buf, sizeof buf - 1) < 0)
        return set_errno(errno);
    buf[sizeof buf - 1] = 0;
    return py_str_from_cstr(buf);
}

/* A socket object of class _socket.socket around a new fd. */
static ft_object *wrap_fd(int fd, int family, int type, int proto)
{
    ft_object *o = sock_tp_new(&sock_class, NULL, 0, NULL);
    if (!o) {
        close(fd);
        return NULL;
    }
    sock_fill(as_sock(o), fd, family, type, proto);
    return o;
}

FUNC(socketpair)
{
    (void)self;
    ft_object *a[3];
    if (py_bind_args("socketpair", args, nargs, kwnames, "|,family,type,proto", a) < 0)
        return NULL;
    int64_t v[3] = { AF_UNIX, SOCK_STREAM, 0 };
    for (int i = 0; i < 3; i++)
        if (a[i] && a[i] != ft_none() && int_arg(a[i], &v[i]) < 0)
            return NULL;
    int fds[2];
    if (socketpair((int)v[0], (int)v[1] | SOCK_NONBLOCK | SOCK_CLOEXEC, (int)v[2], fds) < 0)
        return set_errno(errno);
    ft_object *s1 = wrap_fd(fds[0], (int)v[0], (int)v[1], (int)v[2]);
    ft_object *s2 = s1 ? wrap_fd(fds[1], (int)v[0], (int)v[1], (int)v[2]) : NULL;
    ft_object *t = s2 ? ft_tuple_new(2) : NULL;
    if (!t) {
        if (!s1)
            close(fds[1]);
        ft_xdecref(s1);
        ft_xdecref(s2);
        return s2 ? py_err_from_ft() : NULL;
    }
    ft_tuple_set_steal(t, 0, s1);
    ft_tuple_set_steal(t, 1, s2);
    return t;
}

/* getaddrinfo(host, port, family=0, type=0, proto=0, flags=0) -> list of
 * (family, type, proto, canonname, sockaddr) with plain ints (socket.py
 * turns family and type into its enums). */
FUNC(getaddrinfo)
{
    (void)self;
    ft_object *a[6];
    if (py_bind_args("getaddrinfo", args, nargs, kwnames, "host,port,|,family,type,proto,flags",
                     a) < 0)
        return NULL;
    int64_t v[4] = { 0, 0, 0, 0 };
    for (int i = 0; i < 4; i++)
        if (a[2 + i] && int_arg(a[2 + i], &v[i]) < 0)
            return NULL;
    ft_object *host = NULL, *port = NULL;
    if (a[0] != ft_none() && !(host = host_text(a[0])))
        return NULL;
    if (py_long_check(a[1])) {
        port = py_str(a[1]);
    } else if (a[1] != ft_none()) {
        port = host_text(a[1]);
        if (!port && py_err_matches(py_exc_TypeError)) {
            py_err_clear();
            py_err_setstr(py_exc_OSError, "Int or String expected");
        }
    }
    if (a[1] != ft_none() && !port) {
        ft_xdecref(host);
        return NULL;
    }
    struct addrinfo hints = { .ai_family = (int)v[0], .ai_socktype = (int)v[1],
                              .ai_protocol = (int)v[2], .ai_flags = (int)v[3] };
    struct addrinfo *res = NULL;
    const char *h = host ? ft_str_utf8_borrow(host, NULL) : NULL;
    const char *p = port ? ft_str_utf8_borrow(port, NULL) : NULL;
    int rc;
    FT_BEGIN_ALLOW_THREADS
    rc = getaddrinfo(h, p, &hints, &res);
    FT_END_ALLOW_THREADS
    ft_xdecref(host);
    ft_xdecref(port);
    if (rc != 0)
        return set_gaierror(rc);
    ft_object *list = ft_list_new(0);
    for (struct addrinfo *ai = res; list && ai; ai = ai->ai_next) {
        ft_object *addr = make_addr(ai->ai_addr, ai->ai_addrlen);
        ft_object *t = addr ? ft_tuple_new(5) : NULL;
        if (!t) {
            ft_xdecref(addr);
            ft_decref(list);
            list = NULL;
            break;
        }
        ft_tuple_set_steal(t, 0, ft_int_from_i64(ai->ai_family));
        ft_tuple_set_steal(t, 1, ft_int_from_i64(ai->ai_socktype));
        ft_tuple_set_steal(t, 2, ft_int_from_i64(ai->ai_protocol));
        ft_tuple_set_steal(t, 3, py_str_from_cstr(ai->ai_canonname ? ai->ai_canonname : ""));
        ft_tuple_set_steal(t, 4, addr);
        int ok = ft_list_append(list, t);
        ft_decref(t);
        if (ok < 0) {
            ft_decref(list);
            list = NULL;
        }
    }
    freeaddrinfo(res);
    return list ? list : (py_err_occurred() ? NULL : py_err_from_ft());
}

FUNC(gethostbyname)
{
    (void)self;
    if (py_meth_onearg(NULL, "gethostbyname", nargs, kwnames) < 0)
        return NULL;
    ft_object *host = host_text(args[0]);
    if (!host)
        return NULL;
    sock_addr addr;
    int rc = resolve_host(ft_str_utf8_borrow(host, NULL), AF_INET, &addr);
    ft_decref(host);
    if (rc < 0)
        return NULL;
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr.u.in4.sin_addr, buf, sizeof buf);
    return py_str_from_cstr(buf);
}

/* htons/ntohs (16 bits) and htonl/ntohl (32 bits): OverflowError past
 * the width, as CPython 3.11. */
static ft_object *byteswap(const char *name, ft_object *const *args, size_t nargs,
                           ft_object *kwnames, int bits)
{
    if (py_meth_onearg(NULL, name, nargs, kwnames) < 0)
        return NULL;
    int64_t v;
    if (int_arg(args[0], &v) < 0)
        return NULL;
    if (v < 0)
        return py_err_format(py_exc_OverflowError, "%s: can't convert negative Python int to C "
                             "%s", name, bits == 16 ? "16-bit unsigned integer"
                                                    : "unsigned long");
    if (bits == 16 && v > 0xffff)
        return py_err_format(py_exc_OverflowError,
                             "%s: Python int too large to convert to C 16-bit unsigned integer",
                             name);
    if (bits == 32 && v > 0xffffffffLL)
        return py_err_format(py_exc_OverflowError, "int larger than 32 bits");
    return ft_int_from_i64(bits == 16 ? (int64_t)htons((uint16_t)v) : (int64_t)htonl((uint32_t)v));
}

FUNC(htons) { (void)self; return byteswap("htons", args, nargs, kwnames, 16); }
FUNC(ntohs) { (void)self; return byteswap("ntohs", args, nargs, kwnames, 16); }
FUNC(htonl) { (void)self; return byteswap("htonl", args, nargs, kwnames, 32); }
FUNC(ntohl) { (void)self; return byteswap("ntohl", args, nargs, kwnames, 32); }

FUNC(inet_aton)
{
    (void)self;
    if (py_meth_onearg(NULL, "inet_aton", nargs, kwnames) < 0)
        return NULL;
    ft_object *s = py_str_unbox_borrow(args[0]);
    if (!s)
        return py_err_format(py_exc_TypeError, "inet_aton() argument 1 must be str, not %s",
                             py_type_name(args[0]));
    struct in_addr a;
    if (inet_aton(ft_str_utf8_borrow(s, NULL), &a) == 0)
        return py_err_format(py_exc_OSError, "illegal IP address string passed to inet_aton");
    return py_bytes_from_buf((const char *)&a, sizeof a);
}

FUNC(inet_ntoa)
{
    (void)self;
    if (py_meth_onearg(NULL, "inet_ntoa", nargs, kwnames) < 0)
        return NULL;
    ft_object *b = data_arg(args[0]);
    if (!b)
        return NULL;
    ssize_t n;
    const char *p = py_bytes_data(b, &n);
    if (n != 4) {
        ft_decref(b);
        return py_err_format(py_exc_OSError, "packed IP wrong length for inet_ntoa");
    }
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, p, buf, sizeof buf);
    ft_decref(b);
    return py_str_from_cstr(buf);
}

FUNC(getdefaulttimeout)
{
    (void)self; (void)args;
    if (py_meth_noargs(NULL, "getdefaulttimeout", nargs, kwnames) < 0)
        return NULL;
    return timeout_value(__atomic_load_n(&default_timeout_ns, __ATOMIC_RELAXED));
}

FUNC(setdefaulttimeout)
{
    (void)self;
    if (py_meth_onearg(NULL, "setdefaulttimeout", nargs, kwnames) < 0)
        return NULL;
    int64_t ns;
    if (timeout_arg(args[0], &ns) < 0)
        return NULL;
    __atomic_store_n(&default_timeout_ns, ns, __ATOMIC_RELAXED);
    return ft_none();
}

static const py_method_def socket_functions[] = {
    { "gethostname", mod_gethostname, 0 },   { "socketpair", mod_socketpair, 0 },
    { "getaddrinfo", mod_getaddrinfo, 0 },   { "gethostbyname", mod_gethostbyname, 0 },
    { "htons", mod_htons, 0 },               { "ntohs", mod_ntohs, 0 },
    { "htonl", mod_htonl, 0 },               { "ntohl", mod_ntohl, 0 },
    { "inet_aton", mod_inet_aton, 0 },       { "inet_ntoa", mod_inet_ntoa, 0 },
    { "getdefaulttimeout", mod_getdefaulttimeout, 0 },
    { "setdefaulttimeout", mod_setdefaulttimeout, 0 },
    { NULL, NULL, 0 },
};

/* ---- module ---------------------------------------------------------------------- */

static const struct { const char *name; int value; } socket_constants[] = {
    { "AF_UNSPEC", AF_UNSPEC }, { "AF_INET", AF_INET }, { "AF_INET6", AF_INET6 },
    { "AF_UNIX", AF_UNIX },
    { "SOCK_STREAM", SOCK_STREAM }, { "SOCK_DGRAM", SOCK_DGRAM }, { "SOCK_RAW", SOCK_RAW },
    { "SOCK_NONBLOCK", SOCK_NONBLOCK }, { "SOCK_CLOEXEC", SOCK_CLOEXEC },
    { "SOL_SOCKET", SOL_SOCKET }, { "SO_REUSEADDR", SO_REUSEADDR },
    { "SO_REUSEPORT", SO_REUSEPORT }, { "SO_KEEPALIVE", SO_KEEPALIVE },
    { "SO_BROADCAST", SO_BROADCAST }, { "SO_ERROR", SO_ERROR }, { "SO_TYPE", SO_TYPE },
    { "SO_RCVBUF", SO_RCVBUF }, { "SO_SNDBUF", SO_SNDBUF }, { "SO_LINGER", SO_LINGER },
    { "SO_DOMAIN", SO_DOMAIN }, { "SO_PROTOCOL", SO_PROTOCOL },
    { "IPPROTO_IP", IPPROTO_IP }, { "IPPROTO_TCP", IPPROTO_TCP },
    { "IPPROTO_UDP", IPPROTO_UDP }, { "IPPROTO_IPV6", IPPROTO_IPV6 },
    { "IPV6_V6ONLY", IPV6_V6ONLY }, { "TCP_NODELAY", TCP_NODELAY },
    { "SHUT_RD", SHUT_RD }, { "SHUT_WR", SHUT_WR }, { "SHUT_RDWR", SHUT_RDWR },
    { "SOMAXCONN", SOMAXCONN }, { "MSG_PEEK", MSG_PEEK }, { "MSG_DONTWAIT", MSG_DONTWAIT },
    { "MSG_WAITALL", MSG_WAITALL }, { "MSG_NOSIGNAL", MSG_NOSIGNAL },
    { "AI_PASSIVE", AI_PASSIVE }, { "AI_CANONNAME", AI_CANONNAME },
    { "AI_NUMERICHOST", AI_NUMERICHOST }, { "AI_NUMERICSERV", AI_NUMERICSERV },
    { "EAI_NONAME", EAI_NONAME }, { "EAI_AGAIN", EAI_AGAIN }, { "EAI_FAIL", EAI_FAIL },
    { "EAI_SERVICE", EAI_SERVICE }, { "EAI_FAMILY", EAI_FAMILY },
    { "INADDR_ANY", (int)INADDR_ANY }, { "INADDR_LOOPBACK", (int)INADDR_LOOPBACK },
};

/* class NAME(OSError) with __module__ 'socket', as CPython's gaierror. */
static int add_error_class(ft_object *m, const char *name)
{
    ft_object *n = py_str_from_cstr(name);
    ft_object *bases = n ? ft_tuple_new(1) : NULL;
    ft_object *dict = bases ? ft_dict_new() : NULL;
    ft_object *modname = dict ? py_str_from_cstr("socket") : NULL;
    int rc = -1;
    if (modname) {
        ft_tuple_set_steal(bases, 0, ft_newref(py_type_as_obj(py_exc_OSError)));
        if (ft_dict_set(dict, PY_ID(__module__), modname) < 0) {
            py_err_from_ft();
        } else {
            ft_object *cls = py_type_new_class(&py_type_type, n, bases, dict);
            rc = cls ? py_module_add(m, name, cls) : -1;
            ft_xdecref(cls);
        }
    } else if (!py_err_occurred()) {
        py_err_from_ft();
    }
    ft_xdecref(modname);
    ft_xdecref(dict);
    ft_xdecref(bases);
    ft_xdecref(n);
    return rc;
}

static int socket_exec(ft_object *m)
{
    if (py_type_ready(&sock_class) < 0 ||
        py_module_add(m, "socket", py_type_as_obj(&sock_class)) < 0 ||
        py_module_add(m, "SocketType", py_type_as_obj(&sock_class)) < 0 ||
        py_module_add(m, "error", py_type_as_obj(py_exc_OSError)) < 0 ||
        py_module_add(m, "timeout", py_type_as_obj(py_exc_TimeoutError)) < 0 ||
        add_error_class(m, "gaierror") < 0 || add_error_class(m, "herror") < 0)
        return -1;
    for (size_t i = 0; i < sizeof socket_constants / sizeof socket_constants[0]; i++) {
        ft_object *v = ft_int_from_i64(socket_constants[i].value);
        int rc = v ? py_module_add(m, socket_constants[i].name, v) : -1;
        ft_xdecref(v);
        if (rc < 0)
            return v ? -1 : py_err_from_ft_int();
    }
    ft_object *has_ipv6 = ft_bool(true);
    return py_module_add(m, "has_ipv6", has_ipv6);
}

const py_module_def py_socket_module_def = { "_socket", socket_exec, socket_functions };
