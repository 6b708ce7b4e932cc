"""atexit: functions to call when the interpreter exits.

The interpreter calls _run_exitfuncs() once __main__ has finished and the
non-daemon threads have been joined (vm/interp.c, py_run_exit_hooks).
Functions run last registered first; an exception in one is reported on
stderr and the others still run, as in CPython.
"""

import sys

_exithandlers = []


def register(func, *args, **kwargs):
    """Register func(*args, **kwargs) to be called at exit; returns func."""
    if not callable(func):
        raise TypeError("the first argument must be callable")
    _exithandlers.append((func, args, kwargs))
    return func


def unregister(func):
    """Remove every registration of func (compared with ==)."""
    _exithandlers[:] = [h for h in _exithandlers if not (h[0] == func)]


def _clear():
    del _exithandlers[:]


def _ncallbacks():
    return len(_exithandlers)


def _run_exitfuncs():
    while _exithandlers:
        func, args, kwargs = _exithandlers.pop()
        try:
            func(*args, **kwargs)
        except SystemExit:
            pass
        except BaseException as exc:
            sys.stderr.write("Exception ignored in atexit callback: %r\n" % (func,))
            sys.stderr.write("%s: %s\n" % (type(exc).__name__, exc))
