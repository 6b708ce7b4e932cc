/* builtins/io.c — open() and the file objects (also sys.stdin, sys.stdout
 * and sys.stderr).
 *
 * One object type per kind of file, all sharing one layout (py_file):
 *
 *   _io.TextIOWrapper   text: str in and out, UTF-8 (or ASCII/Latin-1),
 *                       universal newlines on read ("\r\n" and "\r" read
 *                       as "\n") unless newline='' or '\n'
 *   _io.BufferedReader  binary, read-only ('rb')
 *   _io.BufferedWriter  binary, write/append ('wb', 'ab', 'xb')
 *   _io.BufferedRandom  binary with '+'
 *
 * Buffers. Writes go to a write buffer (libc malloc: it is filled and
 * drained on both sides of a detach) flushed when full (8 KiB), at every
 * newline for a line-buffered file (a terminal stdout), at every write for
 * stderr and unbuffered binary files, on flush() and close(), and when the
 * object dies. Reads fill a read buffer with translated bytes; a "\r" at
 * the end of a chunk is held back until the next chunk says whether a
 * "\n" follows.
 *
 * Threads. The buffers are guarded by a critical section on the file
 * object. A blocking system call never runs inside it: the bytes to write
 * are taken out of the object first (the buffer pointer moves to a local),
 * then the thread detaches (FT_BEGIN_ALLOW_THREADS) and writes them; a
 * read goes into a local buffer while detached, which is then appended
 * under the lock. So two threads printing to sys.stdout never corrupt the
 * buffer, and one blocked in input() does not stop the others.
 *
 * Limits (documented): tell() and seek() on a text file use byte offsets,
 * exact only when no "\r\n" was translated in the unread part of the
 * buffer; io.UnsupportedOperation is a class deriving from OSError and
 * ValueError made at start-up (not importable as io.UnsupportedOperation:
 * there is no io module).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../objects/containers.h"
#include "../objects/str.h"
#include "../objects/typeobject.h"
#include "../modules/modules.h"

enum { WBUF_SIZE = 8192, RCHUNK = 65536 };
enum file_buffering { BUF_NONE, BUF_LINE, BUF_BLOCK };
enum file_enc { ENC_UTF8, ENC_ASCII, ENC_LATIN1 };

typedef struct py_file {
    ft_object ob_base;
    int fd;                      /* -1 once closed                         */
    bool readable, writable, binary, closefd, translate;
    bool eof;                    /* the last read returned 0 bytes         */
    bool pending_cr;             /* a "\r" read at the end of a chunk      */
    int buffering;               /* enum file_buffering                    */
    int enc;                     /* enum file_enc                          */
    ft_object *name;             /* str, or the int fd                     */
    ft_object *mode;             /* str                                    */
    ft_object *encoding;         /* str (text files) or NULL               */
    char *wbuf;                  /* malloc'd; NULL when empty              */
    size_t wlen, wcap;
    char *rbuf;                  /* malloc'd translated bytes              */
    size_t rpos, rlen, rcap;     /* unread: rbuf[rpos, rlen)               */
} py_file;

static py_file *as_file(ft_object *o) { return (py_file *)o; }

static ft_object *unsupported_op;   /* io.UnsupportedOperation, a class    */

static bool is_file(ft_object *o)
{
    ft_type *t = o->ob_type;
    return t == &py_textio_class.ft || t == &py_bufreader_class.ft ||
           t == &py_bufwriter_class.ft || t == &py_bufrandom_class.ft;
}

static ft_object *err_closed(void)
{
    return py_err_format(py_exc_ValueError, "I/O operation on closed file.");
}

static ft_object *err_unsupported(const char *what)
{
    if (!unsupported_op)
        return py_err_format(py_exc_OSError, "%s", what);
    ft_object *msg = ft_str_from_utf8(what, -1);
    ft_object *exc = msg ? py_call1(unsupported_op, msg) : NULL;
    ft_xdecref(msg);
    if (exc) {
        py_err_set_object(exc);
        ft_decref(exc);
    }
    return NULL;
}

/* ---- Writing ------------------------------------------------------------------------- */

/* Writes all of p[0, n) to fd; runs detached. 0 or an errno. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Takes the write buffer out of f (under its lock). */
static char *take_wbuf(py_file *f, size_t *n)
{
    char *data;
    FT_BEGIN_CRITICAL_SECTION_OBJ(&f->ob_base)
    data = f->wbuf;
    *n = f->wlen;
    f->wbuf = NULL;
    f->wlen = f->wcap = 0;
    FT_END_CRITICAL_SECTION()
    return data;
}

/* Writes out the buffered bytes. 0 or -1 with OSError. */
static int file_flush_raw(py_file *f)
{
    size_t n;
    char *data = take_wbuf(f, &n);
    if (!data)
        return 0;
    int fd = f->fd, err = 0;
    FT_BEGIN_ALLOW_THREADS
    err = write_all(fd, data, n);
    free(data);
    FT_END_ALLOW_THREADS
    if (err) {
        errno = err;
        py_err_from_errno(err, NULL);
        return -1;
    }
    return 0;
}

/* Appends bytes to the write buffer; *flush says whether to flush now. */
static int buffer_bytes(py_file *f, const char *s, size_t n, bool *flush)
{
    int rc = 0;
    FT_BEGIN_CRITICAL_SECTION_OBJ(&f->ob_base)
    if (f->wlen + n > f->wcap) {
        size_t cap = f->wcap ? f->wcap : WBUF_SIZE;
        while (cap < f->wlen + n)
            cap *= 2;
        char *b = realloc(f->wbuf, cap);
        if (b) {
            f->wbuf = b;
            f->wcap = cap;
        } else {
            rc = -1;
        }
    }
    if (rc == 0) {
        if (n > 0)   /* an empty write may find no buffer yet */
            memcpy(f->wbuf + f->wlen, s, n);
        f->wlen += n;
        *flush = f->buffering == BUF_NONE || f->wlen >= WBUF_SIZE ||
                 (f->buffering == BUF_LINE && memchr(s, '\n', n));
    }
    FT_END_CRITICAL_SECTION()
    if (rc < 0)
        py_err_nomemory();
    return rc;
}

static int check_writable(py_file *f)
{
    if (f->fd < 0)
        return err_closed(), -1;
    if (!f->writable)
        return err_unsupported("not writable"), -1;
    return 0;
}

/* Discards unread buffered input before a write on a '+' file, moving
 * the position back to where the reader is. */
static void drop_read_buffer(py_file *f)
{
    size_t unread = f->rlen - f->rpos;
    if (unread && f->fd >= 0)
        (void)lseek(f->fd, -(off_t)unread, SEEK_CUR);
    f->rpos = f->rlen = 0;
    f->pending_cr = false;
    f->eof = false;
}

static int write_bytes(py_file *f, const char *s, size_t n)
{
    if (f->readable && f->rlen > f->rpos)
        drop_read_buffer(f);
    bool flush = false;
    if (buffer_bytes(f, s, n, &flush) < 0)
        return -1;
    return flush ? file_flush_raw(f) : 0;
}

/* The bytes of str s in f's encoding: *owned is a bytes object to
 * release, or NULL when the UTF-8 of s is used directly. */
static const char *encode_text(py_file *f, ft_object *s, ssize_t *n, ft_object **owned)
{
    *owned = NULL;
    if (f->enc == ENC_UTF8)
        return ft_str_utf8_borrow(s, n);
    *owned = py_str_encode(s, f->enc == ENC_ASCII ? "ascii" : "latin-1", NULL);
    return *owned ? py_bytes_data(*owned, n) : NULL;
}

int py_file_write_str(ft_object *file, ft_object *s)
{
    if (!is_file(file) || as_file(file)->binary) {
        ft_object *r = py_call_method(file, PY_ID(write), &s, 1);
        ft_xdecref(r);
        return r ? 0 : -1;
    }
    py_file *f = as_file(file);
    if (check_writable(f) < 0)
        return -1;
    ssize_t n;
    ft_object *owned;
    const char *p = encode_text(f, py_str_unbox_borrow(s), &n, &owned);
    int rc = p ? write_bytes(f, p, (size_t)n) : -1;
    ft_xdecref(owned);
    return rc;
}

int py_file_flush(ft_object *file)
{
    if (!is_file(file)) {
        ft_object *r = py_call_method(file, PY_ID(flush), NULL, 0);
        ft_xdecref(r);
        return r ? 0 : -1;
    }
    py_file *f = as_file(file);
    if (f->fd < 0)
        return err_closed(), -1;
    return file_flush_raw(f);
}

void py_io_flush_std(void)
{
    static const char *const names[] = { "stdout", "stderr" };
    for (int i = 0; i < 2; i++) {
        ft_object *exc = py_err_fetch();
        ft_object *f = py_sys_get_borrow(names[i]);
        if (f && is_file(f) && as_file(f)->fd >= 0 && file_flush_raw(as_file(f)) < 0)
            py_err_clear();
        py_err_clear();
        py_err_restore(exc);
    }
}

/* ---- Reading -------------------------------------------------------------------------- */

/* Appends raw bytes to the read buffer, translating newlines (under the
 * lock). -1 when out of memory. */
static int append_read(py_file *f, const char *p, size_t n, bool at_eof)
{
    if (f->rpos > 0 && f->rpos == f->rlen)
        f->rpos = f->rlen = 0;
    if (f->rlen + n + 2 > f->rcap) {
        size_t cap = f->rcap ? f->rcap : RCHUNK;
        while (cap < f->rlen + n + 2)
            cap *= 2;
        char *b = realloc(f->rbuf, cap);
        if (!b)
            return -1;
        f->rbuf = b;
        f->rcap = cap;
    }
    char *out = f->rbuf + f->rlen;
    size_t i = 0;
    if (f->pending_cr) {   /* a "\r" from the previous chunk */
        *out++ = '\n';
        f->pending_cr = false;
        if (n > 0 && p[0] == '\n')
            i = 1;
    }
    for (; i < n; i++) {
        char c = p[i];
        if (c != '\r' || !f->translate) {
            *out++ = c;
        } else if (i + 1 < n) {
            *out++ = '\n';
            if (p[i + 1] == '\n')
                i++;
        } else if (at_eof) {
            *out++ = '\n';
        } else {
            f->pending_cr = true;
        }
    }
    f->rlen = (size_t)(out - f->rbuf);
    return 0;
}

/* Reads one chunk into the buffer: 1 data, 0 end of file, -1 error. */
static int fill(py_file *f)
{
    if (f->eof)
        return 0;
    if (f->writable && f->wlen && file_flush_raw(f) < 0)
        return -1;
    char *chunk = malloc(RCHUNK);
    if (!chunk)
        return py_err_nomemory(), -1;
    ssize_t got;
    int err = 0, fd = f->fd;
    FT_BEGIN_ALLOW_THREADS
    do {
        got = read(fd, chunk, RCHUNK);
    } while (got < 0 && errno == EINTR);
    if (got < 0)
        err = errno;
    FT_END_ALLOW_THREADS
    int rc = 1;
    if (got < 0) {
        py_err_from_errno(err, NULL);
        rc = -1;
    } else {
        FT_BEGIN_CRITICAL_SECTION_OBJ(&f->ob_base)
        if (append_read(f, chunk, (size_t)got, got == 0) < 0)
            rc = -2;
        if (got == 0)
            f->eof = true;
        FT_END_CRITICAL_SECTION()
        if (rc == -2) {
            py_err_nomemory();
            rc = -1;
        } else if (got == 0) {
            rc = 0;
        }
    }
    free(chunk);
    return rc;
}

/* Code points wholly present in p[0, n) as far as `limit` (UTF-8 only);
 * *bytes gets how many bytes they take. */
static size_t count_chars(const py_file *f, const char *p, size_t n, size_t limit,
                          size_t *bytes)
{
    if (f->enc != ENC_UTF8 || f->binary) {
        *bytes = n < limit ? n : limit;
        return *bytes;
    }
    size_t i = 0, chars = 0;
    while (i < n && chars < limit) {
        unsigned char c = (unsigned char)p[i];
        size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + k > n)
            break;
        i += k;
        chars++;
    }
    *bytes = i;
    return chars;
}

/* The object for bytes p[0, n): str (decoded) or bytes. */
static ft_object *make_result(py_file *f, const char *p, size_t n)
{
    if (f->binary)
        return py_bytes_from_buf(p, n);
    static const char *const encs[] = { "utf-8", "ascii", "latin-1" };
    return py_bytes_decode(p, (ssize_t)n, encs[f->enc], NULL);
}

/* Takes the first n bytes of the read buffer as a result. */
static ft_object *take(py_file *f, size_t n)
{
    ft_object *r;
    char *copy = NULL;
    FT_BEGIN_CRITICAL_SECTION_OBJ(&f->ob_base)
    if (n > f->rlen - f->rpos)
        n = f->rlen - f->rpos;
    copy = malloc(n ? n : 1);
    if (copy) {
        memcpy(copy, f->rbuf + f->rpos, n);
        f->rpos += n;
    }
    FT_END_CRITICAL_SECTION()
    if (!copy)
        return py_err_nomemory();
    r = make_result(f, copy, n);
    free(copy);
    return r;
}

static int check_readable(py_file *f)
{
    if (f->fd < 0)
        return err_closed(), -1;
    if (!f->readable)
        return err_unsupported("not readable"), -1;
    return 0;
}

/* read(size): size < 0 reads to the end. */
static ft_object *file_read_n(py_file *f, ssize_t size)
{
    if (check_readable(f) < 0)
        return NULL;
    for (;;) {
        size_t bytes;
        size_t chars = count_chars(f, f->rbuf + f->rpos, f->rlen - f->rpos,
                                   size < 0 ? SIZE_MAX : (size_t)size, &bytes);
        if ((size >= 0 && chars >= (size_t)size) || f->eof)
            return take(f, bytes);
        int rc = fill(f);
        if (rc < 0)
            return NULL;
        if (rc == 0 && size >= 0) {
            count_chars(f, f->rbuf + f->rpos, f->rlen - f->rpos, (size_t)size, &bytes);
            return take(f, bytes);
        }
    }
}

/* readline(size): up to and including "\n". */
static ft_object *file_readline_n(py_file *f, ssize_t size)
{
    if (check_readable(f) < 0)
        return NULL;
    size_t scanned = 0;
    for (;;) {
        size_t avail = f->rlen - f->rpos;
        char *nl = avail > scanned ? memchr(f->rbuf + f->rpos + scanned, '\n', avail - scanned)
                                   : NULL;   /* no buffer before the first read */
        size_t bytes;
        if (size >= 0) {
            size_t limit = nl ? (size_t)(nl - (f->rbuf + f->rpos)) + 1 : avail;
            size_t chars = count_chars(f, f->rbuf + f->rpos, limit, (size_t)size, &bytes);
            if (chars >= (size_t)size || nl || f->eof)
                return take(f, bytes);
        } else if (nl) {
            return take(f, (size_t)(nl - (f->rbuf + f->rpos)) + 1);
        } else if (f->eof) {
            return take(f, avail);
        }
        scanned = avail;
        int rc = fill(f);
        if (rc < 0)
            return NULL;
        if (rc == 0)
            scanned = 0;
    }
}

/* ---- Methods --------------------------------------------------------------------------- */

static py_file *self_file(ft_object *self)
{
    if (is_file(self))
        return as_file(self);
    py_err_format(py_exc_TypeError, "expected a file object, got '%s'",
                  py_type_name(self));
    return NULL;
}

#define METHOD(name) \
    static ft_object *file_##name(ft_object *self, ft_object *const *args, \
                                  size_t nargs, ft_object *kwnames)
#define ARGS(pyname, min, max)                                          \
    py_file *f = self_file(self);                                       \
    if (!f || py_no_kwargs(pyname, kwnames) < 0 ||                      \
        py_check_nargs(pyname, nargs, min, max) < 0)                    \
        return NULL;

/* An optional size argument: None or an int; -1 when absent. */
static int size_arg(ft_object *const *args, size_t nargs, ssize_t *size)
{
    *size = -1;
    if (nargs == 0 || args[0] == ft_none())
        return 0;
    return py_index_ssize(args[0], size);
}

METHOD(read)
{
    ARGS("read", 0, 1)
    ssize_t size;
    if (size_arg(args, nargs, &size) < 0)
        return NULL;
    return file_read_n(f, size);
}

METHOD(readline)
{
    ARGS("readline", 0, 1)
    ssize_t size;
    if (size_arg(args, nargs, &size) < 0)
        return NULL;
    return file_readline_n(f, size);
}

METHOD(readlines)
{
    ARGS("readlines", 0, 1)
    ssize_t hint, total = 0;
    if (size_arg(args, nargs, &hint) < 0)
        return NULL;
    ft_object *l = ft_list_new(0);
    if (!l)
        return py_err_from_ft();
    for (;;) {
        ft_object *line = file_readline_n(f, -1);
        if (!line) {
            ft_decref(l);
            return NULL;
        }
        ssize_t n = ft_len(line);
        if (n == 0) {
            ft_decref(line);
            break;
        }
        int rc = ft_list_append(l, line);
        ft_decref(line);
        if (rc < 0) {
            ft_decref(l);
            return py_err_from_ft();
        }
        total += n;
        if (hint > 0 && total >= hint)
            break;
    }
    return l;
}

METHOD(write)
{
    ARGS("write", 1, 1)
    if (check_writable(f) < 0)
        return NULL;
    if (f->binary) {
        ssize_t n;
        ft_object *bytes = py_bytes_like_ref(args[0]);   /* bytes, bytearray */
        if (!bytes)
            return py_err_occurred() ? NULL
                   : py_err_format(py_exc_TypeError, "a bytes-like object is required, "
                                   "not '%s'", py_type_name(args[0]));
        const char *p = py_bytes_data(bytes, &n);
        int rc = p ? write_bytes(f, p, (size_t)n) : -1;
        ft_decref(bytes);
        return rc < 0 ? NULL : ft_int_from_i64(n);
    }
    ft_object *s = py_str_unbox_borrow(args[0]);
    if (!s)
        return py_err_format(py_exc_TypeError, "write() argument must be str, not %s",
                             py_type_name(args[0]));
    if (py_file_write_str(self, s) < 0)
        return NULL;
    return ft_int_from_i64(ft_len(s));
}

METHOD(writelines)
{
    ARGS("writelines", 1, 1)
    ft_object *it = py_iter(args[0]), *line;
    if (!it)
        return NULL;
    ft_object *wname = PY_ID(write);
    while ((line = py_iter_next(it))) {
        ft_object *r = py_call_method(self, wname, &line, 1);
        ft_decref(line);
        if (!r) {
            ft_decref(it);
            return NULL;
        }
        ft_decref(r);
    }
    ft_decref(it);
    (void)f;
    return py_err_occurred() ? NULL : ft_none();
}

METHOD(flush)
{
    (void)args;
    ARGS("flush", 0, 0)
    return py_file_flush(&f->ob_base) < 0 ? NULL : ft_none();
}

/* Closes the descriptor (detached: close may block on some files). */
static int close_fd(py_file *f)
{
    int fd = f->fd, rc = 0, err = 0;
    f->fd = -1;
    if (!f->closefd)
        return 0;
    FT_BEGIN_ALLOW_THREADS
    if (close(fd) < 0)
        err = errno;
    FT_END_ALLOW_THREADS
    if (err && err != EINTR) {
        py_err_from_errno(err, NULL);
        rc = -1;
    }
    return rc;
}

static int file_close_impl(py_file *f)
{
    if (f->fd < 0)
        return 0;
    int rc = f->writable ? file_flush_raw(f) : 0;
    if (close_fd(f) < 0)
        rc = -1;
    return rc;
}

METHOD(close)
{
    (void)args;
    ARGS("close", 0, 0)
    return file_close_impl(f) < 0 ? NULL : ft_none();
}

METHOD(fileno)
{
    (void)args;
    ARGS("fileno", 0, 0)
    if (f->fd < 0)
        return err_closed();
    return ft_int_from_i64(f->fd);
}

METHOD(isatty)
{
    (void)args;
    ARGS("isatty", 0, 0)
    if (f->fd < 0)
        return err_closed();
    return ft_newref(ft_bool(isatty(f->fd)));
}

METHOD(readable)
{
    (void)args;
    ARGS("readable", 0, 0)
    if (f->fd < 0)
        return err_closed();
    return ft_newref(ft_bool(f->readable));
}

METHOD(writable)
{
    (void)args;
    ARGS("writable", 0, 0)
    if (f->fd < 0)
        return err_closed();
    return ft_newref(ft_bool(f->writable));
}

METHOD(seekable)
{
    (void)args;
    ARGS("seekable", 0, 0)
    if (f->fd < 0)
        return err_closed();
    return ft_newref(ft_bool(lseek(f->fd, 0, SEEK_CUR) != (off_t)-1));
}

METHOD(tell)
{
    (void)args;
    ARGS("tell", 0, 0)
    if (f->fd < 0)
        return err_closed();
    if (f->wlen && file_flush_raw(f) < 0)
        return NULL;
    off_t pos = lseek(f->fd, 0, SEEK_CUR);
    if (pos == (off_t)-1)
        return py_err_from_errno(errno, NULL);
    pos -= (off_t)(f->rlen - f->rpos) + (f->pending_cr ? 1 : 0);
    return ft_int_from_i64((int64_t)pos);
}

METHOD(seek)
{
    ARGS("seek", 1, 2)
    if (f->fd < 0)
        return err_closed();
    ssize_t off, whence = 0;
    if (py_index_ssize(args[0], &off) < 0 ||
        (nargs == 2 && py_index_ssize(args[1], &whence) < 0))
        return NULL;
    if (whence < 0 || whence > 2)
        return py_err_format(py_exc_ValueError, "invalid whence (%zd, should be 0, 1 or "
                             "2)", whence);
    if (f->wlen && file_flush_raw(f) < 0)
        return NULL;
    if (whence == SEEK_CUR)   /* relative to what the reader has seen */
        off -= (ssize_t)(f->rlen - f->rpos) + (f->pending_cr ? 1 : 0);
    off_t pos = lseek(f->fd, (off_t)off, (int)whence);
    if (pos == (off_t)-1)
        return py_err_from_errno(errno, NULL);
    f->rpos = f->rlen = 0;
    f->pending_cr = f->eof = false;
    return ft_int_from_i64((int64_t)pos);
}

METHOD(truncate)
{
    ARGS("truncate", 0, 1)
    if (check_writable(f) < 0 || (f->wlen && file_flush_raw(f) < 0))
        return NULL;
    ssize_t size;
    if (size_arg(args, nargs, &size) < 0)
        return NULL;
    if (size < 0)
        size = (ssize_t)lseek(f->fd, 0, SEEK_CUR);
    if (ftruncate(f->fd, (off_t)size) < 0)
        return py_err_from_errno(errno, NULL);
    return ft_int_from_i64(size);
}

METHOD(enter)
{
    (void)args;
    ARGS("__enter__", 0, 0)
    if (f->fd < 0)
        return err_closed();
    return ft_newref(self);
}

static ft_object *file_exit(ft_object *self, ft_object *const *args, size_t nargs,
                            ft_object *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    py_file *f = self_file(self);
    if (!f)
        return NULL;
    return file_close_impl(f) < 0 ? NULL : ft_none();
}

static const py_method_def file_methods[] = {
    { "read", file_read, PY_METH_DEFAULT },
    { "readline", file_readline, PY_METH_DEFAULT },
    { "readlines", file_readlines, PY_METH_DEFAULT },
    { "write", file_write, PY_METH_DEFAULT },
    { "writelines", file_writelines, PY_METH_DEFAULT },
    { "flush", file_flush, PY_METH_DEFAULT },
    { "close", file_close, PY_METH_DEFAULT },
    { "fileno", file_fileno, PY_METH_DEFAULT },
    { "isatty", file_isatty, PY_METH_DEFAULT },
    { "readable", file_readable, PY_METH_DEFAULT },
    { "writable", file_writable, PY_METH_DEFAULT },
    { "seekable", file_seekable, PY_METH_DEFAULT },
    { "tell", file_tell, PY_METH_DEFAULT },
    { "seek", file_seek, PY_METH_DEFAULT },
    { "truncate", file_truncate, PY_METH_DEFAULT },
    { "__enter__", file_enter, PY_METH_DEFAULT },
    { "__exit__", file_exit, PY_METH_DEFAULT },
    { NULL, NULL, 0 },
};

static ft_object *get_closed(ft_object *o) { return ft_newref(ft_bool(as_file(o)->fd < 0)); }
static ft_object *get_name(ft_object *o) { return ft_newref(as_file(o)->name); }
static ft_object *get_mode(ft_object *o) { return ft_newref(as_file(o)->mode); }
static ft_object *get_encoding(ft_object *o)
{
    ft_object *e = as_file(o)->encoding;
    return e ? ft_newref(e) : py_err_format(py_exc_AttributeError, "'%s' object has no "
                                            "attribute 'encoding'", py_type_name(o));
}

static const py_getset_def file_getset[] = {
    { "closed", get_closed, NULL },
    { "name", get_name, NULL },
    { "mode", get_mode, NULL },
    { "encoding", get_encoding, NULL },
    { NULL, NULL, NULL },
};

/* ---- Slots ------------------------------------------------------------------------------ */

static ft_object *file_repr(ft_object *o)
{
    py_file *f = as_file(o);
    ft_object *nr = py_repr(f->name);
    if (!nr)
        return NULL;
    const char *tn = o->ob_type->tp_name;
    ft_object *r;
    if (f->binary)
        r = py_str_from_format("<%s name=%s>", tn, ft_str_utf8_borrow(nr, NULL));
    else
        r = py_str_from_format("<%s name=%s mode='%s' encoding='%s'>", tn,
                               ft_str_utf8_borrow(nr, NULL),
                               ft_str_utf8_borrow(f->mode, NULL),
                               ft_str_utf8_borrow(f->encoding, NULL));
    ft_decref(nr);
    return r;
}

static ft_object *file_iternext(ft_object *o)
{
    ft_object *line = file_readline_n(as_file(o), -1);
    if (line && ft_len(line) == 0) {
        ft_decref(line);
        return NULL;
    }
    return line;
}

static ft_object *file_iter(ft_object *o)
{
    if (as_file(o)->fd < 0)
        return err_closed();
    return ft_newref(o);
}

static void file_dealloc(ft_object *o)
{
    py_file *f = as_file(o);
    if (f->fd >= 0) {   /* flush and close; an error here is nobody's */
        ft_object *exc = py_err_fetch();
        if (file_close_impl(f) < 0)
            py_err_clear();
        py_err_restore(exc);
    }
    free(f->wbuf);
    free(f->rbuf);
    ft_xdecref(f->name);
    ft_xdecref(f->mode);
    ft_xdecref(f->encoding);
    ft_object_free(o);
}

#define FILE_CLASS(var, name)                                                \
    py_type var = {                                                          \
        .ft = {                                                              \
            .ob_base = FT_OBJECT_HEAD_INIT(&py_type_type.ft),                \
            .tp_name = name, .tp_basicsize = sizeof(py_file),                \
            .tp_flags = PY_TPFLAGS_PYTYPE,                                   \
            .tp_dealloc = file_dealloc, .tp_repr = file_repr,                \
        },                                                                   \
        .tp_iter = file_iter, .tp_iternext = file_iternext,                  \
        .tp_methods = file_methods, .tp_getset = file_getset,                \
    }

FILE_CLASS(py_textio_class, "_io.TextIOWrapper");
FILE_CLASS(py_bufreader_class, "_io.BufferedReader");
FILE_CLASS(py_bufwriter_class, "_io.BufferedWriter");
FILE_CLASS(py_bufrandom_class, "_io.BufferedRandom");

/* ---- Making files ------------------------------------------------------------------------ */

static ft_object *file_new(py_type *cls, int fd, ft_object *name, const char *mode,
                           bool readable, bool writable, bool binary)
{
    py_file *f = (py_file *)ft_object_new(&cls->ft, sizeof(py_file));
    if (!f)
        return py_err_from_ft();
    f->fd = fd;
    f->readable = readable;
    f->writable = writable;
    f->binary = binary;
    f->closefd = true;
    f->translate = !binary;
    f->buffering = BUF_BLOCK;
    f->enc = ENC_UTF8;
    f->name = ft_newref(name);
    f->mode = ft_str_from_utf8(mode, -1);
    f->encoding = binary ? NULL : ft_str_from_utf8("UTF-8", -1);
    if (!f->mode || (!binary && !f->encoding)) {
        f->fd = -1;
        ft_decref(&f->ob_base);
        return py_err_from_ft();
    }
    return &f->ob_base;
}

ft_object *py_io_stdfile_new(int fd, const char *name, const char *mode)
{
    ft_object *n = ft_str_from_utf8(name, -1);
    if (!n)
        return py_err_from_ft();
    bool reading = mode[0] == 'r';
    ft_object *f = file_new(&py_textio_class, fd, n, mode, reading, !reading, false);
    ft_decref(n);
    if (!f)
        return NULL;
    py_file *pf = as_file(f);
    pf->closefd = false;
    pf->translate = false;   /* CPython's std streams use newline="\n" on POSIX */
    /* PYTHONUNBUFFERED: every write goes out at once, as CPython's -u */
    const char *unbuf = getenv("PYTHONUNBUFFERED");
    pf->buffering = fd == 2 || (unbuf && unbuf[0]) ? BUF_NONE
                  : isatty(fd) ? BUF_LINE : BUF_BLOCK;
    ft_decref(pf->encoding);
    pf->encoding = ft_str_from_utf8("utf-8", -1);
    if (!pf->encoding) {
        ft_decref(f);
        return py_err_from_ft();
    }
    return f;
}

typedef struct open_mode {
    int flags;
    bool readable, writable, binary;
} open_mode;

/* Parses open()'s mode as CPython does. 0 / -1 with ValueError. */
static int parse_mode(const char *m, open_mode *om)
{
    int creating = 0, reading = 0, writing = 0, appending = 0, updating = 0;
    int text = 0, binary = 0;
    for (const char *p = m; *p; p++) {
        int *flag;
        switch (*p) {
        case 'x': flag = &creating; break;
        case 'r': flag = &reading; break;
        case 'w': flag = &writing; break;
        case 'a': flag = &appending; break;
        case '+': flag = &updating; break;
        case 't': flag = &text; break;
        case 'b': flag = &binary; break;
        default: flag = NULL; break;
        }
        if (!flag || *flag)
            return py_err_format_int(py_exc_ValueError, "invalid mode: '%s'", m);
        *flag = 1;
    }
    if (text && binary)
        return py_err_format_int(py_exc_ValueError, "can't have text and binary mode at "
                                 "once");
    if (creating + reading + writing + appending != 1)
        return py_err_format_int(py_exc_ValueError, "must have exactly one of create/"
                                 "read/write/append mode");
    om->readable = reading || updating;
    om->writable = !reading || updating;
    om->binary = binary;
    om->flags = (updating ? O_RDWR : reading ? O_RDONLY : O_WRONLY) | O_CLOEXEC;
    if (writing)
        om->flags |= O_CREAT | O_TRUNC;
    if (appending)
        om->flags |= O_CREAT | O_APPEND;
    if (creating)
        om->flags |= O_CREAT | O_EXCL;
    return 0;
}

/* open(2) detached, on a copy of the path; refuses directories. */
static int open_path(const char *path, int flags, int *err)
{
    char *copy = strdup(path);
    if (!copy) {
        *err = ENOMEM;
        return -1;
    }
    int fd;
    FT_BEGIN_ALLOW_THREADS
    do {
        fd = open(copy, flags, 0666);
    } while (fd < 0 && errno == EINTR);
    *err = fd < 0 ? errno : 0;
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        fd = -1;
        *err = EISDIR;
    }
    free(copy);
    FT_END_ALLOW_THREADS
    return fd;
}

static int parse_encoding(ft_object *e, int *enc)
{
    *enc = ENC_UTF8;
    if (!e || e == ft_none())
        return 0;
    const char *s = py_str_check(e) ? ft_str_utf8_borrow(py_str_unbox_borrow(e), NULL)
                                    : NULL;
    if (!s)
        return py_err_format_int(py_exc_TypeError, "open() argument 'encoding' must be "
                                 "str or None, not %s", py_type_name(e));
    char low[32];
    size_t n = 0;
    for (; s[n] && n < sizeof low - 1; n++)
        low[n] = (char)((s[n] >= 'A' && s[n] <= 'Z') ? s[n] + 32 : s[n] == '_' ? '-' : s[n]);
    low[n] = 0;
    if (!strcmp(low, "utf-8") || !strcmp(low, "utf8"))
        return 0;
    if (!strcmp(low, "ascii") || !strcmp(low, "us-ascii")) {
        *enc = ENC_ASCII;
        return 0;
    }
    if (!strcmp(low, "latin-1") || !strcmp(low, "latin1") || !strcmp(low, "iso-8859-1")) {
        *enc = ENC_LATIN1;
        return 0;
    }
    return py_err_format_int(py_exc_ValueError, "unsupported encoding: %s", s);
}

/* newline=None: universal; '' or '\n': untranslated; others refused. */
static int parse_newline(ft_object *nl, bool *translate)
{
    *translate = true;
    if (!nl || nl == ft_none())
        return 0;
    const char *s = py_str_check(nl) ? ft_str_utf8_borrow(py_str_unbox_borrow(nl), NULL)
                                     : NULL;
    if (!s)
        return py_err_format_int(py_exc_TypeError, "open() argument 'newline' must be "
                                 "str or None, not %s", py_type_name(nl));
    if (!strcmp(s, "") || !strcmp(s, "\n")) {
        *translate = false;
        return 0;
    }
    return py_err_format_int(py_exc_ValueError, "illegal newline value: %s", s);
}

ft_object *py_io_open(ft_object *const *args, size_t nargs, ft_object *kwnames)
{
    ft_object *a[7];
    if (py_bind_args("open", args, nargs, kwnames,
                     "file,|,mode,buffering,encoding,errors,newline,closefd", a) < 0)
        return NULL;
    const char *mode = "r";
    if (a[1]) {
        if (!py_str_check(a[1]))
            return py_err_format(py_exc_TypeError, "open() argument 'mode' must be str, "
                                 "not %s", py_type_name(a[1]));
        mode = ft_str_utf8_borrow(py_str_unbox_borrow(a[1]), NULL);
    }
    open_mode om = { 0 };
    ssize_t buffering = -1;
    int enc;
    bool translate;
    if (parse_mode(mode, &om) < 0 ||
        (a[2] && py_index_ssize(a[2], &buffering) < 0) ||
        parse_encoding(a[3], &enc) < 0 || parse_newline(a[5], &translate) < 0)
        return NULL;
    if (om.binary && a[3] && a[3] != ft_none())
        return py_err_format(py_exc_ValueError, "binary mode doesn't take an encoding "
                             "argument");
    if (buffering == 0 && !om.binary)
        return py_err_format(py_exc_ValueError, "can't have unbuffered text I/O");
    int fd, err = 0, closefd = a[6] ? py_is_true(a[6]) : 1;
    if (closefd < 0)
        return NULL;
    if (py_long_check(a[0])) {
        ssize_t v;
        if (py_index_ssize(a[0], &v) < 0)
            return NULL;
        fd = (int)v;
    } else if (py_str_check(a[0])) {
        const char *path = ft_str_utf8_borrow(py_str_unbox_borrow(a[0]), NULL);
        if ((fd = open_path(path, om.flags, &err)) < 0)
            return py_err_from_errno(err, path);
        closefd = true;
    } else {
        return py_err_format(py_exc_TypeError, "expected str, bytes or os.PathLike "
                             "object, not %s", py_type_name(a[0]));
    }
    py_type *cls = !om.binary ? &py_textio_class
                 : om.readable && om.writable ? &py_bufrandom_class
                 : om.readable ? &py_bufreader_class : &py_bufwriter_class;
    ft_object *f = file_new(cls, fd, a[0], mode, om.readable, om.writable, om.binary);
    if (!f) {
        if (closefd)
            close(fd);
        return NULL;
    }
    py_file *pf = as_file(f);
    pf->closefd = closefd;
    pf->enc = enc;
    pf->translate = !om.binary && translate;
    pf->buffering = buffering == 0 ? BUF_NONE : buffering == 1 && !om.binary ? BUF_LINE
                  : BUF_BLOCK;
    if (om.flags & O_APPEND)
        (void)lseek(fd, 0, SEEK_END);
    return f;
}

/* ---- io.UnsupportedOperation ------------------------------------------------------------ */

int py_io_init(void)
{
    ft_object *name = ft_str_from_utf8("UnsupportedOperation", -1);
    ft_object *dict = ft_dict_new();
    ft_object *mod = ft_str_from_utf8("io", -1);
    ft_object *bases2[2] = { &py_exc_OSError->ft.ob_base, &py_exc_ValueError->ft.ob_base };
    ft_object *bases = py_tuple_pack(2, bases2);
    int rc = -1;
    if (name && dict && mod && bases && ft_dict_set(dict, PY_ID(__module__), mod) == 0) {
        unsupported_op = py_type_new_class(&py_type_type, name, bases, dict);
        if (!unsupported_op) {   /* no multiple inheritance here: OSError alone */
            py_err_clear();
            ft_decref(bases);
            bases = py_tuple_pack(1, bases2);
            unsupported_op = bases ? py_type_new_class(&py_type_type, name, bases, dict)
                                   : NULL;
        }
        rc = unsupported_op ? 0 : -1;
    } else if (!py_err_occurred()) {
        py_err_from_ft();
    }
    ft_xdecref(name);
    ft_xdecref(dict);
    ft_xdecref(mod);
    ft_xdecref(bases);
    return rc;
}

void py_io_fini(void)
{
    ft_object *c = unsupported_op;
    unsupported_op = NULL;
    ft_xdecref(c);
}
