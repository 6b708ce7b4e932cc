/* modules/modules.h — the built-in modules and what they share.
 *
 * Each built-in module is one py_module_def in its own file; registry.c
 * lists them for `import`. The builtins module is made first by py_init.
 */
#ifndef FTPY_MODULES_H
#define FTPY_MODULES_H

#include "../ftpy.h"

extern const py_module_def py_builtins_module_def;  /* builtins/builtins.c */
extern const py_module_def py_sys_module_def;       /* modules/sys.c       */
extern const py_module_def py_math_module_def;      /* modules/math.c      */
extern const py_module_def py_time_module_def;      /* modules/time.c      */
extern const py_module_def py_thread_module_def;    /* modules/thread.c: _thread */
extern const py_module_def py_gc_module_def;        /* modules/gc.c        */
extern const py_module_def py_weakref_module_def;   /* modules/weakref.c: _weakref */
extern const py_module_def py_tracemalloc_module_def; /* modules/tracemalloc.c: _tracemalloc */
extern const py_module_def py_random_module_def;    /* modules/random.c: _random */
extern const py_module_def py_os_module_def;        /* modules/os.c        */
extern const py_module_def py_socket_module_def;    /* modules/socket.c: _socket */
extern const py_module_def py_objgraph_module_def;  /* modules/objgraph.c: _objgraph */

/* systrace.c: sys.settrace and sys.gettrace, added to sys by sys.c. */
extern const py_method_def py_sys_trace_defs[];

/* Makes the builtins and sys modules and puts them in sys.modules (sys.argv,
 * sys.path[0] = the script's folder, the std files); called by py_init
 * after every type is ready. 0 or -1 with an exception. */
int  py_modules_init(const py_config *cfg);
/* Empties sys.modules and the module dicts (breaking the cycles through
 * globals), then releases the modules; called by py_fini first. */
void py_modules_fini(void);
/* A new module from a definition: its functions bound to the module,
 * then def->exec. */
ft_object *py_module_from_def(const py_module_def *def);

/* sys.c: exit() and quit() for the builtins (CPython's site adds them). */
extern const py_method_def py_site_exit_defs[];

/* sys.c: remembers (or forgets, NULL) the sys module, borrowed. */
void _py_sys_set_module(ft_object *m);

/* sys.<name> (stdout, stderr, stdin, argv, ...), borrowed, or NULL with
 * RuntimeError "lost sys.stdout" when it is missing. */
ft_object *py_sys_get_borrow(const char *name);

#endif /* FTPY_MODULES_H */
