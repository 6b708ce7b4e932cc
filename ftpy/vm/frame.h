/* vm/frame.h — the frames the evaluation loop runs.
 *
 * A frame is one activation of a code object. Everything it needs lives
 * in ONE block of memory:
 *
 *   py_frame header | localsplus: L[nlocals] C[ncells + nfrees] | value
 *   stack [co_stacksize] | block stack [co_maxblocks]
 *
 * Where that block comes from:
 *   - ordinary calls: a per-thread stack of chunks (frame.c). Pushing a
 *     frame is a pointer bump, popping one gives the space back, so a
 *     call costs no malloc. Frames are strictly LIFO per thread.
 *   - generators: the frame is the tail of the generator object itself
 *     (objects/generator.c), so it survives between resumptions and is
 *     traversed by the generator's tp_traverse.
 *
 * References held by a frame: `func` (strong, or NULL for module and
 * class-body code run by py_eval_code) and `code` (strong: __code__ may
 * be reassigned while the frame runs). With a func, globals and builtins
 * are borrowed from it (read-only attributes); without one the frame
 * holds its own references to them (flag owns_refs). `locals` (a mapping for module and
 * class bodies, exec/eval) is strong or NULL. Every non-NULL slot of
 * localsplus and of the live value stack is a strong reference.
 *
 * Frames are not objects: no Python code ever holds one (tracebacks keep
 * the code and line, not the frame), so they need no GC support beyond
 * the generator case. The thread's innermost frame is tstate->frame; each
 * frame's `back` is its caller.
 */
#ifndef FTPY_FRAME_H
#define FTPY_FRAME_H

#include "../ftpy.h"
#include "../objects/code.h"

typedef struct py_block {
    int32_t handler;             /* instruction index of the handler       */
    int32_t level;               /* value stack depth to restore           */
} py_block;

enum py_frame_state {
    PY_FRAME_CREATED,            /* not started yet                        */
    PY_FRAME_SUSPENDED,          /* a generator stopped at YIELD_VALUE      */
    PY_FRAME_EXECUTING,
    PY_FRAME_COMPLETED,          /* returned or raised: locals cleared     */
};

struct py_frame {
    py_code *code;
    ft_object *func;             /* strong or NULL                          */
    ft_object *globals;
    ft_object *builtins;
    ft_object *locals;           /* strong or NULL (fast locals only)       */
    py_frame *back;              /* the caller (while running)              */
    ft_object *gen;              /* owning generator (borrowed) or NULL     */
    py_block *blocks;            /* co_maxblocks entries                    */
    int32_t lasti;               /* index of the instruction being run /
                                    last run; -1 before the first           */
    int32_t stacktop;            /* values on the stack while suspended     */
    int16_t nblocks;
    uint8_t state;               /* enum py_frame_state                     */
    uint8_t owns_refs;           /* code/globals/builtins are strong refs   */
    uint8_t is_entry;            /* returning from it leaves py_eval_frame  */
    uint8_t throwflag;           /* resume by raising the current exception */
    uint8_t traced;              /* pushed a tracemalloc frame              */
    uint8_t on_chunk;            /* memory from the thread's frame chunks   */
    int32_t nlocalsplus;         /* nlocals + ncells + nfrees               */
    ft_object *localsplus[];     /* then the value stack, then the blocks   */
};

/* A generator's frame state is read and claimed atomically: in nogil two
 * threads may try to resume the same generator; one wins (the state goes
 * from `from` to EXECUTING), the other finds it running. The store that
 * leaves EXECUTING releases the frame's contents to the next claimer. */
static inline uint8_t py_frame_state(py_frame *f)
{
    return __atomic_load_n(&f->state, __ATOMIC_ACQUIRE);
}
static inline bool py_frame_claim(py_frame *f, uint8_t from)
{
    uint8_t expected = from;
    return __atomic_compare_exchange_n(&f->state, &expected, (uint8_t)PY_FRAME_EXECUTING,
                                       false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}
static inline void py_frame_set_state(py_frame *f, uint8_t state)
{
    __atomic_store_n(&f->state, state, __ATOMIC_RELEASE);
}

/* The bytes a frame for code c needs (header, locals, stack, blocks). */
static inline size_t py_frame_size(const py_code *c)
{
    size_t nslots = (size_t)c->co_nlocals + (size_t)c->co_ncells +
                    (size_t)c->co_nfrees + (size_t)c->co_stacksize;
    size_t n = sizeof(py_frame) + nslots * sizeof(ft_object *) +
               (size_t)c->co_maxblocks * sizeof(py_block);
    return (n + 15) & ~(size_t)15;
}
/* Initialises the frame in `mem` (py_frame_size(c) bytes) for a call of
 * func (strong reference taken) or, when func is NULL, of code c with
 * globals/builtins/locals (references taken). Locals and cells empty. */
void py_frame_init(py_frame *f, py_code *c, ft_object *func,
                   ft_object *globals, ft_object *builtins, ft_object *locals);
/* A frame on the calling thread's frame stack (py_frame_init'ed), or NULL
 * with MemoryError. Release with py_frame_release (LIFO). */
py_frame *py_frame_push(py_code *c, ft_object *func, ft_object *globals,
                        ft_object *builtins, ft_object *locals);
/* Drops the frame's references (locals, cells, stack) — idempotent. */
void py_frame_clear(py_frame *f);
/* Drops the frame's references to func (or code/globals/builtins). */
void py_frame_drop_owner(py_frame *f);
/* py_frame_clear + py_frame_drop_owner + gives the memory back to the thread's frame stack. */
void py_frame_release(py_frame *f);

/* Fills the fast locals from vectorcall arguments for a call of func
 * (py_function): defaults, kwdefaults, *args, **kwargs, cells of
 * arguments, closure cells. 0, or -1 with CPython's TypeError. */
int py_frame_bind_args(py_frame *f, ft_object *func, ft_object *const *args,
                       size_t nargs, ft_object *kwnames);
/* Creates the cellvar cells and copies the closure (for frames without
 * arguments: module, class body, exec). 0 or -1. */
int py_frame_init_cells(py_frame *f, ft_object *closure);

static inline ft_object **py_frame_stack_base(py_frame *f)
{
    return f->localsplus + f->nlocalsplus;
}
/* The current source line of f (0: unknown). */
int py_frame_lineno(const py_frame *f);
/* The innermost running Python frame of the calling thread, or NULL. */
py_frame *py_frame_current(void);
/* A new dict of f's variables (locals() in a function), or f->locals
 * (new reference) when the frame has a locals mapping. */
ft_object *py_frame_locals(py_frame *f);

/* tracemalloc: pushes a trace frame for f if tracing (near-free when
 * off); the pop undoes it. */
void py_frame_trace_push(py_frame *f);
void py_frame_trace_pop(py_frame *f);

/* ---- The thread's frame stack (frame.c), inline for the loop's calls ----
 * A thread state is a py_tstate followed by its frame chunks; memory for
 * a frame is a bump of the current chunk's top. py_frame_alloc/free are
 * the raw memory operations (no initialisation, no references): the loop
 * fills an inline frame itself. Frees are strictly LIFO. */
typedef struct py_frame_chunk {
    struct py_frame_chunk *prev;
    size_t size;                 /* bytes of data[]                         */
    size_t top;                  /* bytes in use                            */
    _Alignas(16) char data[];
} py_frame_chunk;

typedef struct py_tstate_ext {
    py_tstate ts;                /* first: py_tstate_get() returns it       */
    py_frame_chunk *chunk;       /* the chunk frames are pushed on          */
    py_frame_chunk *spare;       /* an empty chunk kept for reuse           */
} py_tstate_ext;

/* The calling thread's state (py_tstate_get, inline for the VM's files). */
extern __thread py_tstate_ext *_py_cur_tstate __attribute__((tls_model("initial-exec")));
py_tstate *py_tstate_create(void);
static inline py_tstate *py_tstate_fast(void)
{
    py_tstate_ext *t = _py_cur_tstate;
    if (py_likely(t != NULL))
        return &t->ts;
    return py_tstate_create();
}

/* A new chunk (or the spare) with `need` bytes free; NULL: MemoryError. */
py_frame *py_frame_alloc_slow(py_tstate *ts, size_t need);
/* The emptied chunk becomes the spare. */
void py_frame_free_chunk(py_tstate *ts);

static inline py_frame *py_frame_alloc(py_tstate *ts, size_t need)
{
    py_frame_chunk *ch = ((py_tstate_ext *)ts)->chunk;
    if (py_likely(ch != NULL && ch->size - ch->top >= need)) {
        py_frame *f = (py_frame *)(ch->data + ch->top);
        ch->top += need;
        return f;
    }
    return py_frame_alloc_slow(ts, need);
}

/* Gives back the memory of f, the thread's last frame on the chunks. */
static inline void py_frame_free(py_tstate *ts, py_frame *f)
{
    py_frame_chunk *ch = ((py_tstate_ext *)ts)->chunk;
    ch->top = (size_t)((char *)f - ch->data);
    if (py_unlikely(ch->top == 0 && ch->prev != NULL))
        py_frame_free_chunk(ts);
}

/* Thread states: every one made (interp.c walks them at py_fini). */
py_tstate *py_tstate_list_head(void);
void py_tstate_fini_all(void);
/* A thread other than the main one, at its end (attached, no Python code
 * runs after): drops its exception state and frame chunks, unlinks and
 * frees its thread state. Its frame stack must be empty. */
void py_tstate_delete_current(void);

/* ---- Threads (modules/thread.c) ----
 * At exit, after threading._shutdown: waits for the threads that are
 * ending and joins them; returns how many Python threads still run their
 * function (daemon threads): then the interpreter must not be torn down
 * (main.c flushes and _exits). */
int py_thread_exit_wait(void);

#endif /* FTPY_FRAME_H */
