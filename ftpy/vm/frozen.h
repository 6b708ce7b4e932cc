/* vm/frozen.h — the Python modules compiled into the interpreter.
 *
 * Parts of the standard library that CPython writes in Python (threading,
 * queue, weakref's dictionaries, tracemalloc's snapshots, random, copy...)
 * are written in Python here too, in ftpy/Lib/NAME.py, over the C modules
 * of ftpy/modules (_thread, _weakref, _tracemalloc, _random...). The build
 * embeds every file of ftpy/Lib (cmake/embed_py.cmake); `import NAME`
 * finds them after the built-in C modules and before sys.path, and their
 * code objects carry the file name "<frozen NAME>", as CPython's frozen
 * modules do.
 */
#ifndef FTPY_FROZEN_H
#define FTPY_FROZEN_H

#include <stddef.h>

typedef struct py_frozen_module {
    const char *name;            /* the module's name (NULL ends the table) */
    const char *source;          /* its Python source, NUL-terminated       */
    size_t size;                 /* bytes of source                         */
} py_frozen_module;

extern const py_frozen_module py_frozen_modules[];

#endif /* FTPY_FROZEN_H */
