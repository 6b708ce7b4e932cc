/* ftlab/error.h — the per-thread error state.
 *
 * Like CPython's exception indicator: a failing call returns NULL or -1
 * and records a kind and a message in the calling thread's error state.
 * The state lives in thread-local storage, not in the runtime's thread
 * state, so that `ft_init` can report why it failed before any thread is
 * registered. A new error replaces an old one; `ft_err_clear` forgets it.
 */
#ifndef FTLAB_ERROR_H
#define FTLAB_ERROR_H

#include <stdbool.h>

typedef enum ft_error_kind {
    FT_ERR_NONE = 0,
    FT_ERR_MEMORY,      /* MemoryError: an allocation failed             */
    FT_ERR_TYPE,        /* TypeError: an argument of the wrong type      */
    FT_ERR_INDEX,       /* IndexError: an index out of range             */
    FT_ERR_KEY,         /* KeyError: a missing key                       */
    FT_ERR_OVERFLOW,    /* OverflowError: a value does not fit           */
    FT_ERR_VALUE,       /* ValueError: right type, wrong value           */
    FT_ERR_RUNTIME,     /* RuntimeError: the call is wrong in this state */
    FT_ERR_ATTRIBUTE,   /* AttributeError: no such attribute             */
    FT_ERR__COUNT
} ft_error_kind;

bool          ft_err_occurred(void);
ft_error_kind ft_err_kind(void);
/* The message of the current error, "" when there is none. Valid until the
 * thread's next ft_err_set or ft_err_clear. */
const char   *ft_err_message(void);
void          ft_err_clear(void);
/* "MemoryError", "TypeError", ...; "NoError" for FT_ERR_NONE. */
const char   *ft_err_kind_name(ft_error_kind kind);

/* Records an error for the calling thread and returns -1, so that a
 * failing function can `return ft_err_set(...)`. */
int ft_err_set(ft_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* FTLAB_ERROR_H */
