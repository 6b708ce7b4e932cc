/* vm/frameobject.h — frame objects and sys.settrace's hooks in the loop.
 *
 * ftpy's frames (frame.h) are not objects. A frame OBJECT (Python's
 * `frame` type: f_code, f_lineno, f_locals, f_back, f_trace, ...) is made
 * on demand for a running frame — by the 'call' event of sys.settrace or
 * by sys._getframe — and is "attached" to that frame activation until it
 * ends (a return, an exception leaving it, or a generator's yield). An
 * attached frame has bit PY_FRAME_TRACED_OBJ set in its `traced` byte, so
 * the loop's existing "traced" checks (LOAD_FRAME's dispatch table choice,
 * RETURN_VALUE, YIELD_VALUE, the unwind) reach the hooks below; frames
 * without an object pay nothing more than before.
 *
 * When the activation ends the object is detached: if anyone still holds
 * it, it keeps a snapshot (line, locals, the caller's frame object);
 * otherwise it is simply released. A frame object is only ever read
 * through its frame on the thread that runs the frame; other threads see
 * the last values recorded (line, lasti), never the frame's memory.
 *
 * sys.settrace is per thread: _py_trace_active (thread-local) is 1 while
 * a trace function is set and not itself running, the one word the loop
 * tests at a frame start.
 */
#ifndef FTPY_FRAMEOBJECT_H
#define FTPY_FRAMEOBJECT_H

#include "../ftpy.h"
#include "frame.h"

/* Bit of py_frame.traced: a frame object is attached (bit 0 is
 * tracemalloc's pushed trace frame). */
#define PY_FRAME_TRACED_OBJ 2

extern py_type py_frameobject_class;

/* 1 while this thread has a trace function that is not running. */
extern __thread int _py_trace_active __attribute__((tls_model("initial-exec")));

/* The frame object of f, a running frame of the calling thread (made and
 * attached if needed): a new reference, or NULL with an exception. */
ft_object *py_frameobject_get(py_frame *f);

/* sys.settrace / sys.gettrace for the calling thread (func NULL or None:
 * off). settrace: 0 or -1; gettrace: a new reference (None when off). */
int py_trace_set(ft_object *sys_module, ft_object *func);
ft_object *py_trace_get(void);

/* ---- Hooks of the loop (eval.c) ------------------------------------------
 * Each returns 0, or -1 with an exception (the trace function raised:
 * tracing is then switched off for the thread, as CPython does). */

/* A frame starts or a generator resumes: the 'call' event. */
int py_trace_call(py_frame *f);
/* Before instruction idx of an attached frame: maybe a 'line' event. */
int py_trace_line(py_frame *f, int32_t idx);
/* The current exception passes through f at instruction idx. On -1 the
 * trace function's exception has replaced it. */
int py_trace_exception(py_frame *f, int32_t idx);
/* f returns or yields v at instruction idx ('return' event), or ends by
 * an exception (v NULL: 'return' with None, the exception kept unless
 * the trace function raised). Detaches f's frame object either way. */
int py_trace_leave(py_frame *f, ft_object *v, int32_t idx);

#endif /* FTPY_FRAMEOBJECT_H */
