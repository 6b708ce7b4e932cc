/* error.c — the per-thread error state (ftlab/error.h) and assertions. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/common.h"

enum { FT_ERR_MSG_MAX = 512 };

typedef struct ft_err_state {
    ft_error_kind kind;
    char message[FT_ERR_MSG_MAX];
} ft_err_state;

static _Thread_local ft_err_state err_state;

static const char *const kind_names[FT_ERR__COUNT] = {
    [FT_ERR_NONE] = "NoError",
    [FT_ERR_MEMORY] = "MemoryError",
    [FT_ERR_TYPE] = "TypeError",
    [FT_ERR_INDEX] = "IndexError",
    [FT_ERR_KEY] = "KeyError",
    [FT_ERR_OVERFLOW] = "OverflowError",
    [FT_ERR_VALUE] = "ValueError",
    [FT_ERR_RUNTIME] = "RuntimeError",
    [FT_ERR_ATTRIBUTE] = "AttributeError",
};

bool ft_err_occurred(void) { return err_state.kind != FT_ERR_NONE; }
ft_error_kind ft_err_kind(void) { return err_state.kind; }
const char *ft_err_message(void) { return err_state.message; }

void ft_err_clear(void)
{
    err_state.kind = FT_ERR_NONE;
    err_state.message[0] = '\0';
}

const char *ft_err_kind_name(ft_error_kind kind)
{
    if ((unsigned)kind >= FT_ERR__COUNT)
        return "UnknownError";
    return kind_names[kind];
}

int ft_err_set(ft_error_kind kind, const char *fmt, ...)
{
    if (kind == FT_ERR_NONE || (unsigned)kind >= FT_ERR__COUNT)
        kind = FT_ERR_RUNTIME;
    err_state.kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_state.message, sizeof err_state.message, fmt, ap);
    va_end(ap);
    return -1;
}

void _ft_err_fetch(ft_err_saved *saved)
{
    _Static_assert(sizeof saved->message == FT_ERR_MSG_MAX, "same size");
    saved->kind = err_state.kind;
    memcpy(saved->message, err_state.message, sizeof saved->message);
    ft_err_clear();
}

void _ft_err_restore(const ft_err_saved *saved)
{
    err_state.kind = saved->kind;
    memcpy(err_state.message, saved->message, sizeof err_state.message);
}

void _ft_err_write_unraisable(const char *where, ft_object *o)
{
    if (!ft_err_occurred())
        return;
    fprintf(stderr, "ftlab: Exception ignored in %s of %s object at %p: %s: %s\n",
            where, o ? o->ob_type->tp_name : "NULL", (void *)o,
            ft_err_kind_name(err_state.kind), err_state.message);
    ft_err_clear();
}

_Noreturn void _ft_assert_fail(const char *expr, const char *file, int line,
                               const char *func)
{
    fprintf(stderr, "ftlab (%s): assertion failed: %s\n  at %s:%d in %s()\n",
            FT_FLAVOR, expr, file, line, func);
    fflush(stderr);
    abort();
}
