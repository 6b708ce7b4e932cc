/* modules/time.c — the time module: clocks, sleep, calendar time.
 *
 * sleep() detaches the thread (FT_BEGIN/END_ALLOW_THREADS) so that other
 * threads run meanwhile in every flavor: under the GIL it is handed over,
 * in nogil the thread stays out of stop-the-world pauses. A sleep is cut
 * into slices so that Ctrl-C is noticed within 50 ms.
 *
 * Calendar time (gmtime, localtime, mktime, strftime, asctime, ctime)
 * goes through the C library's struct tm; struct_time is a tuple
 * subclass written in Python (ftpy/Lib/_time_struct.py), imported by the
 * exec function, with CPython's fields, tm_zone and tm_gmtoff. The zone
 * values (timezone, altzone, daylight, tzname) are read once at import,
 * as CPython does. perf_counter uses CLOCK_MONOTONIC, as CPython on Linux.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include "../ftpy.h"
#include "../objects/int.h"
#include "../objects/str.h"
#include "../objects/typeobject.h"
#include "../vm/vm.h"
#include "modules.h"

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static ft_object *clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ft_int_from_i64((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

/* Defines time.NAME() and time.NAME_ns() over one POSIX clock. */
#define CLOCK_FUNCS(name, id)                                                    \
    static ft_object *time_##name(ft_object *self, ft_object *const *args,       \
                                  size_t nargs, ft_object *kwnames)              \
    {                                                                            \
        (void)self; (void)args;                                                  \
        if (py_meth_noargs("time", #name, nargs, kwnames) < 0)                   \
            return NULL;                                                         \
        return ft_float_from_double(clock_seconds(id));                          \
    }                                                                            \
    static ft_object *time_##name##_ns(ft_object *self, ft_object *const *args,  \
                                       size_t nargs, ft_object *kwnames)         \
    {                                                                            \
        (void)self; (void)args;                                                  \
        if (py_meth_noargs("time", #name "_ns", nargs, kwnames) < 0)             \
            return NULL;                                                         \
        return clock_ns(id);                                                     \
    }

CLOCK_FUNCS(time, CLOCK_REALTIME)
CLOCK_FUNCS(monotonic, CLOCK_MONOTONIC)
CLOCK_FUNCS(perf_counter, CLOCK_MONOTONIC)
CLOCK_FUNCS(process_time, CLOCK_PROCESS_CPUTIME_ID)
CLOCK_FUNCS(thread_time, CLOCK_THREAD_CPUTIME_ID)

static int sleep_seconds(ft_object *arg, double *out)
{
    if (arg->ob_type == &ft_float_type) {
        *out = ft_float_as_double(arg);
    } else if (py_long_check(arg)) {
        int64_t v;
        if (py_long_as_i64(arg, &v) < 0)
            return -1;
        *out = (double)v;
    } else {
        return py_err_format_int(py_exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer",
                                 py_type_name(arg));
    }
    if (isnan(*out))
        return py_err_format_int(py_exc_ValueError, "Invalid value NaN (not a number)");
    if (*out < 0)
        return py_err_format_int(py_exc_ValueError, "sleep length must be non-negative");
    return 0;
}

static ft_object *time_sleep(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    double secs = 0;
    if (py_meth_onearg("time", "sleep", nargs, kwnames) < 0 ||
        sleep_seconds(args[0], &secs) < 0)
        return NULL;
    double deadline = clock_seconds(CLOCK_MONOTONIC) + secs;
    for (;;) {
        double left = deadline - clock_seconds(CLOCK_MONOTONIC);
        if (left <= 0)
            break;
        double slice = left < 0.05 ? left : 0.05;
        struct timespec ts = { (time_t)slice, (long)((slice - (double)(time_t)slice) * 1e9) };
        FT_BEGIN_ALLOW_THREADS
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
            ;
        FT_END_ALLOW_THREADS
        /* py_check_signals: only the main thread takes Ctrl-C */
        if (py_sigint_pending && py_check_signals() < 0)
            return NULL;
    }
    return ft_none();
}

/* ---- calendar time: struct_time, gmtime, localtime, mktime, strftime ----- */

/* A time_t from a number (floor, as CPython's _PyTime_ROUND_FLOOR), or
 * now for None / a missing argument. 0 or -1. */
static int time_t_arg(ft_object *o, time_t *out)
{
    if (!o || o == ft_none()) {
        *out = time(NULL);
        return 0;
    }
    if (py_float_check(o)) {
        bool err = false;
        double d = py_float_as_double_any(o, &err);
        if (err)
            return -1;
        if (isnan(d))
            return py_err_format_int(py_exc_ValueError, "Invalid value NaN (not a number)");
        d = floor(d);
        if (d < -9.2e18 || d > 9.2e18)
            return py_err_format_int(py_exc_OverflowError,
                                     "timestamp out of range for platform time_t");
        *out = (time_t)d;
        return 0;
    }
    if (!py_long_check(o))
        return py_err_format_int(py_exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer",
                                 py_type_name(o));
    int64_t v;
    if (py_long_as_i64(o, &v) < 0) {
        py_err_clear();
        return py_err_format_int(py_exc_OverflowError,
                                 "timestamp out of range for platform time_t");
    }
    *out = (time_t)v;
    return 0;
}

/* The struct_time class (made by the frozen module _time_struct, kept in
 * this module's dict: looked up through the module, `self`). */
static ft_object *struct_time_from_tm(ft_object *module, const struct tm *tm)
{
    ft_object *t = ft_tuple_new(11);
    if (!t)
        return py_err_from_ft();
    int64_t v[9] = { tm->tm_year + 1900LL, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour,
                     tm->tm_min, tm->tm_sec, (tm->tm_wday + 6) % 7, tm->tm_yday + 1,
                     tm->tm_isdst };
    for (int i = 0; i < 9; i++)
        ft_tuple_set_steal(t, i, ft_int_from_i64(v[i]));
    ft_tuple_set_steal(t, 9, ft_str_from_utf8(tm->tm_zone ? tm->tm_zone : "", -1));
    ft_tuple_set_steal(t, 10, ft_int_from_i64(tm->tm_gmtoff));
    for (int i = 0; i < 11; i++)
        if (!ft_tuple_get_borrow(t, i)) {
            ft_decref(t);
            return py_err_from_ft();
        }
    ft_object *cls = py_getattr_str(module, "struct_time");
    ft_object *r = cls ? py_call1(cls, t) : NULL;
    ft_xdecref(cls);
    ft_decref(t);
    return r;
}

static ft_object *convert_time(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames, const char *name, bool local)
{
    if (py_meth_findargs(NULL, name, nargs, kwnames, 0, 1) < 0)
        return NULL;
    time_t when;
    if (time_t_arg(nargs ? args[0] : NULL, &when) < 0)
        return NULL;
    struct tm tm;
    if (!(local ? localtime_r(&when, &tm) : gmtime_r(&when, &tm)))
        return py_err_from_errno(errno ? errno : EOVERFLOW, NULL);
    return struct_time_from_tm(self, &tm);
}

static ft_object *time_gmtime(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    return convert_time(self, args, nargs, kwnames, "gmtime", false);
}

static ft_object *time_localtime(ft_object *self, ft_object *const *args, size_t nargs,
                                 ft_object *kwnames)
{
    return convert_time(self, args, nargs, kwnames, "localtime", true);
}

/* A struct tm from a struct_time or a 9-tuple (CPython's gettmarg).
 * tm->tm_zone points into *zone_keep (a str, or NULL), which the caller
 * releases once done with tm. */
static int tm_arg(ft_object *o, const char *name, struct tm *tm, ft_object **zone_keep)
{
    memset(tm, 0, sizeof *tm);
    *zone_keep = NULL;
    if (!py_isinstance_exact_or_sub(o, &py_tuple_class))
        return py_err_format_int(py_exc_TypeError, "Tuple or struct_time argument required");
    ft_object *t = py_sequence_tuple(o);
    if (!t)
        return -1;
    if (ft_len(t) != 9) {
        ft_decref(t);
        return py_err_format_int(py_exc_TypeError, "%s(): illegal time tuple argument", name);
    }
    int64_t v[9];
    for (int i = 0; i < 9; i++) {
        ft_object *item = ft_tuple_get_borrow(t, i);
        if (!py_long_check(item)) {
            py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                          py_type_name(item));
            ft_decref(t);
            return -1;
        }
        if (py_long_as_i64(item, &v[i]) < 0 || v[i] < INT32_MIN || v[i] > INT32_MAX) {
            py_err_clear();
            ft_decref(t);
            return py_err_format_int(py_exc_OverflowError, "Python int too large to convert to C int");
        }
    }
    ft_object *zone = NULL, *gmtoff = NULL;
    ft_object *zname = ft_str_from_utf8("tm_zone", -1), *gname = ft_str_from_utf8("tm_gmtoff", -1);
    int rc = zname && gname ? 0 : py_err_from_ft_int();
    if (rc == 0 && (py_getattr_opt(o, zname, &zone) < 0 || py_getattr_opt(o, gname, &gmtoff) < 0))
        rc = -1;
    ft_xdecref(zname);
    ft_xdecref(gname);
    if (rc < 0) {
        ft_xdecref(zone);
        ft_xdecref(gmtoff);
        ft_decref(t);
        return -1;
    }
    ft_decref(t);
    tm->tm_year = (int)(v[0] - 1900);
    tm->tm_mon = (int)v[1] - 1;
    tm->tm_mday = (int)v[2];
    tm->tm_hour = (int)v[3];
    tm->tm_min = (int)v[4];
    tm->tm_sec = (int)v[5];
    tm->tm_wday = (int)((v[6] + 1) % 7);
    if (tm->tm_wday < 0)
        tm->tm_wday += 7;
    tm->tm_yday = (int)v[7] - 1;
    tm->tm_isdst = (int)v[8];
    if (gmtoff && py_long_check(gmtoff)) {
        int64_t g;
        if (py_long_as_i64(gmtoff, &g) == 0)
            tm->tm_gmtoff = (long)g;
        py_err_clear();
    }
    if (zone && py_str_check_exact(zone)) {
        tm->tm_zone = ft_str_utf8_borrow(zone, NULL);
        *zone_keep = zone;
    } else {
        ft_xdecref(zone);
    }
    ft_xdecref(gmtoff);
    return 0;
}

/* strftime's range checks (CPython's checktm after its 0 -> 1 fixes). */
static int check_tm(struct tm *tm)
{
    if (tm->tm_mon == -1)
        tm->tm_mon = 0;
    else if (tm->tm_mon < 0 || tm->tm_mon > 11)
        return py_err_format_int(py_exc_ValueError, "month out of range");
    if (tm->tm_mday == 0)
        tm->tm_mday = 1;
    else if (tm->tm_mday < 0 || tm->tm_mday > 31)
        return py_err_format_int(py_exc_ValueError, "day of month out of range");
    if (tm->tm_hour < 0 || tm->tm_hour > 23)
        return py_err_format_int(py_exc_ValueError, "hour out of range");
    if (tm->tm_min < 0 || tm->tm_min > 59)
        return py_err_format_int(py_exc_ValueError, "minute out of range");
    if (tm->tm_sec < 0 || tm->tm_sec > 61)
        return py_err_format_int(py_exc_ValueError, "seconds out of range");
    if (tm->tm_yday == -1)
        tm->tm_yday = 0;
    else if (tm->tm_yday < 0 || tm->tm_yday > 365)
        return py_err_format_int(py_exc_ValueError, "day of year out of range");
    if (tm->tm_isdst < -1)
        tm->tm_isdst = -1;
    else if (tm->tm_isdst > 1)
        tm->tm_isdst = 1;
    return 0;
}

/* The current local time as a struct tm (strftime/asctime defaults). */
static void local_now(struct tm *tm)
{
    time_t now = time(NULL);
    localtime_r(&now, tm);
}

static ft_object *strftime_tm(ft_object *fmt, const struct tm *tm);

static ft_object *time_strftime(ft_object *self, ft_object *const *args, size_t nargs,
                                ft_object *kwnames)
{
    (void)self;
    if (py_meth_findargs(NULL, "strftime", nargs, kwnames, 1, 2) < 0)
        return NULL;
    ft_object *fmt = py_str_unbox_borrow(args[0]);
    if (!fmt)
        return py_err_format(py_exc_TypeError, "strftime() argument 1 must be str, not %s",
                             py_type_name(args[0]));
    struct tm tm;
    ft_object *zone = NULL;
    if (nargs == 2) {
        if (tm_arg(args[1], "strftime", &tm, &zone) < 0)
            return NULL;
        if (check_tm(&tm) < 0) {
            ft_xdecref(zone);
            return NULL;
        }
    } else {
        local_now(&tm);
    }
    ft_object *r = strftime_tm(fmt, &tm);
    ft_xdecref(zone);
    return r;
}

static ft_object *strftime_tm(ft_object *fmt, const struct tm *tm)
{
    ssize_t flen;
    const char *f = ft_str_utf8_borrow(fmt, &flen);
    if (flen == 0)
        return ft_str_from_utf8("", 0);
    /* strftime gives 0 both for "too small" and for an empty result: grow
     * the buffer up to 256 times the format's size, as CPython does */
    for (size_t size = 1024;; size *= 2) {
        char *buf = ft_malloc(size);
        if (!buf)
            return py_err_nomemory();
        /* the format is the caller's, as in CPython's time.strftime */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        size_t n = strftime(buf, size, f, tm);
#pragma GCC diagnostic pop
        if (n > 0 || size >= 256 * (size_t)flen + 1024) {
            ft_object *r = ft_str_from_utf8(buf, (ssize_t)n);
            ft_free(buf);
            return r ? r : py_err_from_ft();
        }
        ft_free(buf);
    }
}

/* "Thu Jan  1 00:00:00 1970", as CPython's _asctime. */
static ft_object *format_asctime(const struct tm *tm)
{
    static const char wday[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    return py_str_from_format("%s %s%3d %.2d:%.2d:%.2d %d", wday[tm->tm_wday % 7],
                              mon[tm->tm_mon % 12], tm->tm_mday, tm->tm_hour, tm->tm_min,
                              tm->tm_sec, 1900 + tm->tm_year);
}

static ft_object *time_asctime(ft_object *self, ft_object *const *args, size_t nargs,
                               ft_object *kwnames)
{
    (void)self;
    if (py_meth_findargs(NULL, "asctime", nargs, kwnames, 0, 1) < 0)
        return NULL;
    struct tm tm;
    if (nargs) {
        ft_object *zone;
        int rc = tm_arg(args[0], "asctime", &tm, &zone);
        ft_xdecref(zone);
        if (rc < 0 || check_tm(&tm) < 0)
            return NULL;
    } else {
        local_now(&tm);
    }
    return format_asctime(&tm);
}

static ft_object *time_ctime(ft_object *self, ft_object *const *args, size_t nargs,
                             ft_object *kwnames)
{
    (void)self;
    if (py_meth_findargs(NULL, "ctime", nargs, kwnames, 0, 1) < 0)
        return NULL;
    time_t when;
    struct tm tm;
    if (time_t_arg(nargs ? args[0] : NULL, &when) < 0)
        return NULL;
    if (!localtime_r(&when, &tm))
        return py_err_from_errno(errno ? errno : EOVERFLOW, NULL);
    return format_asctime(&tm);
}

static ft_object *time_mktime(ft_object *self, ft_object *const *args, size_t nargs,
                              ft_object *kwnames)
{
    (void)self;
    if (py_meth_onearg("time", "mktime", nargs, kwnames) < 0)
        return NULL;
    struct tm tm;
    ft_object *zone;
    int rc = tm_arg(args[0], "mktime", &tm, &zone);
    ft_xdecref(zone);
    if (rc < 0)
        return NULL;
    tm.tm_wday = -1;             /* mktime leaves it alone on failure */
    time_t t = mktime(&tm);
    if (t == (time_t)-1 && tm.tm_wday == -1)
        return py_err_format(py_exc_OverflowError, "mktime argument out of range");
    return ft_float_from_double((double)t);
}

/* timezone, altzone, daylight, tzname from January and July of this year,
 * as CPython's init_timezone. */
static int add_timezone(ft_object *m)
{
    tzset();
    time_t now = time(NULL);
    struct tm jan, jul, cur;
    localtime_r(&now, &cur);
    time_t year_start = now - (time_t)cur.tm_yday * 86400;
    time_t t_jan = year_start, t_jul = year_start + 182 * 86400;
    localtime_r(&t_jan, &jan);
    localtime_r(&t_jul, &jul);
    long janoff = -jan.tm_gmtoff, juloff = -jul.tm_gmtoff;
    const char *janname = jan.tm_zone ? jan.tm_zone : "", *julname = jul.tm_zone ? jul.tm_zone : "";
    if (janoff < juloff) {       /* DST is reversed in the southern hemisphere */
        long o = janoff;
        janoff = juloff;
        juloff = o;
        const char *n = janname;
        janname = julname;
        julname = n;
    }
    ft_object *names = ft_tuple_new(2);
    if (!names)
        return py_err_from_ft_int();
    ft_tuple_set_steal(names, 0, ft_str_from_utf8(janname, -1));
    ft_tuple_set_steal(names, 1, ft_str_from_utf8(julname, -1));
    ft_object *vals[3] = { ft_int_from_i64(janoff), ft_int_from_i64(juloff),
                           ft_int_from_i64(janoff != juloff) };
    int rc = -1;
    if (vals[0] && vals[1] && vals[2] && ft_tuple_get_borrow(names, 0) &&
        ft_tuple_get_borrow(names, 1))
        rc = (py_module_add(m, "timezone", vals[0]) < 0 || py_module_add(m, "altzone", vals[1]) < 0 ||
              py_module_add(m, "daylight", vals[2]) < 0 || py_module_add(m, "tzname", names) < 0)
                 ? -1 : 0;
    else
        py_err_from_ft();
    for (int i = 0; i < 3; i++)
        ft_xdecref(vals[i]);
    ft_decref(names);
    return rc;
}

static int time_exec(ft_object *m)
{
    ft_object *name = ft_str_from_utf8("_time_struct", -1);
    if (!name)
        return py_err_from_ft_int();
    ft_object *helper = py_import(name, NULL, NULL, 0);
    ft_decref(name);
    ft_object *cls = helper ? py_getattr_str(helper, "struct_time") : NULL;
    int rc = cls ? py_module_add(m, "struct_time", cls) : -1;
    ft_xdecref(cls);
    ft_xdecref(helper);
    return rc < 0 ? -1 : add_timezone(m);
}

static const py_method_def time_methods[] = {
    { "time", time_time, 0 },            { "time_ns", time_time_ns, 0 },
    { "monotonic", time_monotonic, 0 },  { "monotonic_ns", time_monotonic_ns, 0 },
    { "perf_counter", time_perf_counter, 0 },
    { "perf_counter_ns", time_perf_counter_ns, 0 },
    { "process_time", time_process_time, 0 },
    { "process_time_ns", time_process_time_ns, 0 },
    { "thread_time", time_thread_time, 0 },
    { "thread_time_ns", time_thread_time_ns, 0 },
    { "sleep", time_sleep, 0 },
    { "gmtime", time_gmtime, 0 },        { "localtime", time_localtime, 0 },
    { "mktime", time_mktime, 0 },        { "strftime", time_strftime, 0 },
    { "asctime", time_asctime, 0 },      { "ctime", time_ctime, 0 },
    { NULL, NULL, 0 },
};

const py_module_def py_time_module_def = { "time", time_exec, time_methods };
