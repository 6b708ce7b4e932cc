/* modules/time.c — the time module: clocks and sleep.
 *
 * sleep() detaches the thread (FT_BEGIN/END_ALLOW_THREADS) so that other
 * threads run meanwhile in every flavor: under the GIL it is handed over,
 * in nogil the thread stays out of stop-the-world pauses. A sleep is cut
 * into slices so that Ctrl-C is noticed within 50 ms.
 */
#include <errno.h>
#include <math.h>
#include <time.h>
#include "../ftpy.h"
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
        if (py_no_kwargs(#name, kwnames) < 0 || py_check_nargs(#name, nargs, 0, 0) < 0) \
            return NULL;                                                         \
        return ft_float_from_double(clock_seconds(id));                          \
    }                                                                            \
    static ft_object *time_##name##_ns(ft_object *self, ft_object *const *args,  \
                                       size_t nargs, ft_object *kwnames)         \
    {                                                                            \
        (void)self; (void)args;                                                  \
        if (py_no_kwargs(#name "_ns", kwnames) < 0 ||                            \
            py_check_nargs(#name "_ns", nargs, 0, 0) < 0)                        \
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
    if (py_no_kwargs("sleep", kwnames) < 0 || py_check_nargs("sleep", nargs, 1, 1) < 0 ||
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
        if (py_sigint_pending) {
            py_sigint_pending = 0;
            py_err_set_object((ft_object *)py_exc_KeyboardInterrupt);
            return NULL;
        }
    }
    return ft_none();
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
    { NULL, NULL, 0 },
};

const py_module_def py_time_module_def = { "time", NULL, time_methods };
