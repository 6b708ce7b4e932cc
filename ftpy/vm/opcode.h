/* vm/opcode.h — ftpy's instruction set.
 *
 * A code object's bytecode is an array of 32-bit words, one instruction
 * each:
 *
 *   31                              8 7          0
 *   +--------------------------------+------------+
 *   |  arg (24 bits, unsigned)       |  opcode    |
 *   +--------------------------------+------------+
 *
 * so no EXTENDED_ARG is needed (a code object with more than 2^24
 * constants, names or instructions is a SyntaxError "too many ...").
 * Jump arguments are absolute instruction indexes. The machine is a stack
 * machine like CPython's; each line below gives an instruction's stack
 * effect as (inputs -- outputs), TOS last, and its meaning. `c` is the
 * code object, `k[i]` its constants, `n[i]` its names, `L[i]` the fast
 * locals, `C[i]` the cells (cellvars then freevars), `S` the frame's
 * block stack (exception handlers).
 *
 * Exceptions use a block stack, as CPython ≤ 3.10 did, with 3.11's handler
 * code shape: SETUP_FINALLY pushes a handler {target, stack depth}; when an
 * exception is raised inside it, the VM pops the handler, pops the value
 * stack down to the recorded depth, pushes the exception object and jumps
 * to the target. The handler then runs PUSH_EXC_INFO etc. Only the
 * exception object is pushed (its traceback is exc.__traceback__).
 *
 * Calls: CALL's stack is [callable, self_or_NULL, arg1 .. argN]. LOAD_METHOD
 * pushes [function, self] for a method found on the class (no bound method
 * is made) or [attribute, NULL]; an ordinary call pushes the callable and
 * then PUSH_NULL. When self_or_NULL is not NULL it is passed as the first
 * argument.
 */
#ifndef FTPY_OPCODE_H
#define FTPY_OPCODE_H

#include <stdint.h>

/* X(NAME, has_arg, is_jump) — keep this the one list of instructions. */
#define PY_OPCODES(X)                                                          \
    /* -- stack -- */                                                          \
    X(NOP, 0, 0)              /* ( -- )                                     */ \
    X(POP_TOP, 0, 0)          /* (v -- )                                    */ \
    X(PUSH_NULL, 0, 0)        /* ( -- NULL)                                 */ \
    X(COPY, 1, 0)             /* (.. v_arg .. -- .. v_arg .. v_arg) arg>=1:
                                 push a new ref to the arg-th item from TOS  */ \
    X(SWAP, 1, 0)             /* swap TOS and the arg-th item (arg>=2)      */ \
    /* -- constants and variables -- */                                        \
    X(LOAD_CONST, 1, 0)       /* ( -- k[arg])                               */ \
    X(LOAD_FAST, 1, 0)        /* ( -- L[arg]) UnboundLocalError if unset    */ \
    X(STORE_FAST, 1, 0)       /* (v -- ) L[arg] = v                         */ \
    X(DELETE_FAST, 1, 0)      /* del L[arg]                                 */ \
    X(LOAD_DEREF, 1, 0)       /* ( -- C[arg].contents) NameError "free variable
                                 'x' referenced before assignment..." /
                                 UnboundLocalError for a cellvar            */ \
    X(STORE_DEREF, 1, 0)      /* (v -- ) C[arg].contents = v                */ \
    X(DELETE_DEREF, 1, 0)     /*                                            */ \
    X(LOAD_CLOSURE, 1, 0)     /* ( -- C[arg]) the cell itself               */ \
    X(LOAD_CLASSDEREF, 1, 0)  /* ( -- v) class body: locals()[name of C[arg]]
                                 if present, else C[arg].contents           */ \
    X(LOAD_NAME, 1, 0)        /* ( -- v) locals, globals, builtins: n[arg]  */ \
    X(STORE_NAME, 1, 0)       /* (v -- ) locals[n[arg]] = v                 */ \
    X(DELETE_NAME, 1, 0)      /*                                            */ \
    X(LOAD_GLOBAL, 1, 0)      /* ( -- v) globals, builtins: n[arg]          */ \
    X(STORE_GLOBAL, 1, 0)     /* (v -- )                                    */ \
    X(DELETE_GLOBAL, 1, 0)    /*                                            */ \
    X(LOAD_ATTR, 1, 0)        /* (o -- o.n[arg])                            */ \
    X(LOAD_METHOD, 1, 0)      /* (o -- meth, self) or (o -- attr, NULL)     */ \
    X(STORE_ATTR, 1, 0)       /* (v, o -- ) o.n[arg] = v                    */ \
    X(DELETE_ATTR, 1, 0)      /* (o -- ) del o.n[arg]                       */ \
    X(LOAD_BUILD_CLASS, 0, 0) /* ( -- builtins.__build_class__)             */ \
    X(LOAD_ASSERTION_ERROR, 0, 0) /* ( -- AssertionError)                   */ \
    /* -- operators -- */                                                      \
    X(BINARY_OP, 1, 0)        /* (a, b -- a op b) arg: enum py_binop, maybe
                                 | PY_OP_INPLACE                             */ \
    X(UNARY_OP, 1, 0)         /* (v -- op v) arg: enum py_unop              */ \
    X(UNARY_NOT, 0, 0)        /* (v -- not v)                               */ \
    X(COMPARE_OP, 1, 0)       /* (a, b -- a op b) arg: enum py_cmpop        */ \
    X(IS_OP, 1, 0)            /* (a, b -- a is b) arg 1: is not             */ \
    X(CONTAINS_OP, 1, 0)      /* (a, b -- a in b) arg 1: not in             */ \
    X(BINARY_SUBSCR, 0, 0)    /* (o, k -- o[k])                             */ \
    X(STORE_SUBSCR, 0, 0)     /* (v, o, k -- ) o[k] = v                     */ \
    X(DELETE_SUBSCR, 0, 0)    /* (o, k -- ) del o[k]                        */ \
    X(BUILD_SLICE, 1, 0)      /* (a, b -- slice(a,b)) arg 2; (a,b,c --) 3   */ \
    /* -- building -- */                                                       \
    X(BUILD_TUPLE, 1, 0)      /* (v1..vN -- (v1..vN))                       */ \
    X(BUILD_LIST, 1, 0)       /* (v1..vN -- [v1..vN])                       */ \
    X(BUILD_SET, 1, 0)        /* (v1..vN -- {v1..vN})                       */ \
    X(BUILD_MAP, 1, 0)        /* (k1,v1..kN,vN -- {k1:v1..})                */ \
    X(BUILD_CONST_KEY_MAP, 1, 0) /* (v1..vN, keys_tuple -- dict)            */ \
    X(BUILD_STRING, 1, 0)     /* (s1..sN -- s1+..+sN) all strs              */ \
    X(LIST_APPEND, 1, 0)      /* (l, .., v -- l, ..) stack[-arg-1].append(v)
                                 after popping v: arg counts from the new TOS,
                                 as CPython (comprehensions)                */ \
    X(SET_ADD, 1, 0)          /* same for a set                             */ \
    X(MAP_ADD, 1, 0)          /* (d, .., k, v -- d, ..) d[k] = v            */ \
    X(LIST_EXTEND, 1, 0)      /* (l, .., it -- l, ..) l.extend(it)          */ \
    X(SET_UPDATE, 1, 0)       /* (s, .., it -- s, ..)                       */ \
    X(DICT_UPDATE, 1, 0)      /* (d, .., m -- d, ..) d.update(m) {**m}       */ \
    X(DICT_MERGE, 1, 0)       /* same, TypeError on a repeated key (f(**m)) */ \
    X(LIST_TO_TUPLE, 0, 0)    /* (l -- tuple(l))                            */ \
    X(UNPACK_SEQUENCE, 1, 0)  /* (seq -- vN..v1) v1 on top: ValueError
                                 "not enough values to unpack (expected 2,
                                 got 1)" / "too many values to unpack
                                 (expected 2)"                              */ \
    X(UNPACK_EX, 1, 0)        /* (seq -- after.., list, before..) arg =
                                 before | after << 8 (a, *b, c = ...)       */ \
    X(FORMAT_VALUE, 1, 0)     /* (v -- str) or (v, spec -- str): arg & 3:
                                 0 none, 1 !s, 2 !r, 3 !a; arg & 4: spec on
                                 the stack (f-strings)                      */ \
    /* -- jumps (arg: the target instruction) -- */                            \
    X(JUMP, 1, 1)             /* forward jump                               */ \
    X(JUMP_BACKWARD, 1, 1)    /* backward jump: runs the eval breaker
                                 (ft_checkpoint, signals)                   */ \
    X(POP_JUMP_IF_FALSE, 1, 1) /* (v -- ) jump if not v                     */ \
    X(POP_JUMP_IF_TRUE, 1, 1) /* (v -- ) jump if v                          */ \
    X(POP_JUMP_IF_NONE, 1, 1) /* (v -- ) jump if v is None                  */ \
    X(POP_JUMP_IF_NOT_NONE, 1, 1) /*                                        */ \
    X(JUMP_IF_FALSE_OR_POP, 1, 1) /* (v -- v) jump if not v, else pop (and) */ \
    X(JUMP_IF_TRUE_OR_POP, 1, 1)  /* (v -- v) jump if v, else pop (or)      */ \
    X(GET_ITER, 0, 0)         /* (o -- iter(o))                             */ \
    X(FOR_ITER, 1, 1)         /* (it -- it, next(it)); exhausted: (it -- )
                                 and jump                                   */ \
    /* -- functions -- */                                                      \
    X(CALL, 1, 0)             /* (f, self|NULL, a1..aN -- result) N = arg   */ \
    X(CALL_KW, 1, 0)          /* (f, self|NULL, a1..aN, kwnames -- result):
                                 N = arg counts positional AND keyword values;
                                 kwnames a const tuple naming the last ones */ \
    X(CALL_EX, 1, 0)          /* (f, args_tuple -- r) arg 0;
                                 (f, args_tuple, kwargs_dict -- r) arg 1    */ \
    X(MAKE_FUNCTION, 1, 0)    /* (defaults?, kwdefaults?, closure?, code --
                                 function) arg flags: 1 defaults tuple,
                                 2 kwdefaults dict, 8 closure tuple of cells */ \
    X(RETURN_VALUE, 0, 0)     /* (v -- ) return v to the caller             */ \
    /* -- generators -- */                                                     \
    X(YIELD_VALUE, 0, 0)      /* (v -- sent) suspend, yield v; on resume
                                 push the value sent (None for next())      */ \
    X(GET_YIELD_FROM_ITER, 0, 0) /* (o -- iter) a generator stays itself    */ \
    X(SEND, 1, 1)             /* (it, v -- it, y) y = it.send(v) (next(it)
                                 when v is None); on StopIteration(r):
                                 (it, v -- r) and jump to arg. A yield from
                                 is: GET_YIELD_FROM_ITER; LOAD_CONST None;
                                 L: SEND end; YIELD_VALUE; JUMP_BACKWARD L;
                                 end:. throw()/close() on the outer
                                 generator are forwarded to `it` while the
                                 frame is suspended at that YIELD_VALUE.   */ \
    /* -- exceptions -- */                                                     \
    X(SETUP_FINALLY, 1, 1)    /* push handler {arg, current stack depth}    */ \
    X(POP_BLOCK, 0, 0)        /* pop the innermost handler                  */ \
    X(PUSH_EXC_INFO, 0, 0)    /* (exc -- prev, exc) tstate->exc_info = exc;
                                 prev is the former exc_info (or None)      */ \
    X(POP_EXCEPT, 0, 0)       /* (prev -- ) tstate->exc_info = prev         */ \
    X(CHECK_EXC_MATCH, 0, 0)  /* (exc, cls -- exc, bool) isinstance; cls may
                                 be a tuple; TypeError "catching classes that
                                 do not inherit from BaseException is not
                                 allowed"                                   */ \
    X(RERAISE, 0, 0)          /* (exc -- ) raise exc again, keeping its
                                 traceback                                  */ \
    X(RAISE_VARARGS, 1, 0)    /* arg 0: re-raise exc_info ("RuntimeError: No
                                 active exception to reraise"); 1: (exc -- );
                                 2: (exc, cause -- ) raise exc from cause   */ \
    X(BEFORE_WITH, 0, 0)      /* (mgr -- exit, mgr.__enter__()) exit bound;
                                 TypeError "'X' object does not support the
                                 context manager protocol"                  */ \
    X(WITH_EXIT_NORMAL, 0, 0) /* (exit -- ) exit(None, None, None)          */ \
    X(WITH_EXCEPT_START, 0, 0) /* (exit, prev, exc -- exit, prev, exc, r)
                                 r = exit(type(exc), exc, exc.__traceback__) */ \
    /* -- modules and misc -- */                                               \
    X(IMPORT_NAME, 1, 0)      /* (level, fromlist -- module) n[arg]         */ \
    X(IMPORT_FROM, 1, 0)      /* (m -- m, m.n[arg]) ImportError "cannot
                                 import name 'x' from 'm' (...)"            */ \
    X(IMPORT_STAR, 0, 0)      /* (m -- ) into the locals (module level)     */ \
    X(SETUP_ANNOTATIONS, 0, 0) /* locals['__annotations__'] = {} if absent  */ \
    X(PRINT_EXPR, 0, 0)       /* (v -- ) the REPL: repr(v) unless None, and
                                 builtins._ = v                             */ \
    X(GET_LEN, 0, 0)          /* (o -- o, len(o))                           */ \
    /* -- pairs (last: py_opcode_unpaired), see below -- */                   \
    X(LOAD_FAST__LOAD_ATTR, 1, 0)   /* LOAD_FAST arg; LOAD_ATTR           */ \
    X(LOAD_FAST__STORE_ATTR, 1, 0)  /* LOAD_FAST arg; STORE_ATTR          */ \
    X(LOAD_FAST__BINARY_OP, 1, 0)   /* LOAD_FAST arg; BINARY_OP           */ \
    X(LOAD_FAST__POP_JUMP_IF_FALSE, 1, 0)    /* LOAD_FAST arg; its jump   */ \
    X(LOAD_FAST__POP_JUMP_IF_TRUE, 1, 0)     /*                            */ \
    X(LOAD_FAST__POP_JUMP_IF_NONE, 1, 0)     /*                            */ \
    X(LOAD_FAST__POP_JUMP_IF_NOT_NONE, 1, 0) /*                            */ \
    X(LOAD_FAST__LOAD_FAST__BINARY_OP, 1, 0)  /* LOAD_FAST arg; the pair
                                 LOAD_FAST__BINARY_OP after it              */ \
    X(LOAD_FAST__LOAD_CONST__BINARY_OP, 1, 0) /* LOAD_FAST arg; the pair
                                 LOAD_CONST__BINARY_OP after it             */ \
    X(LOAD_FAST__LOAD_FAST__COMPARE, 1, 0)  /* LOAD_FAST arg; LOAD_FAST;
                                 COMPARE_OP, IS_OP or CONTAINS_OP           */ \
    X(LOAD_FAST__LOAD_CONST__COMPARE, 1, 0) /* LOAD_FAST arg; LOAD_CONST;
                                 the same three                             */ \
    X(LOAD_FAST__BINARY_SUBSCR, 1, 0)       /* LOAD_FAST arg; BINARY_SUBSCR */ \
    X(LOAD_FAST__LOAD_FAST__BINARY_SUBSCR, 1, 0)  /* LOAD_FAST arg; the pair
                                 LOAD_FAST__BINARY_SUBSCR after it          */ \
    X(LOAD_FAST__LOAD_CONST__BINARY_SUBSCR, 1, 0) /* LOAD_FAST arg;
                                 LOAD_CONST; BINARY_SUBSCR                  */ \
    X(LOAD_FAST__UNPACK_SEQUENCE, 1, 0)     /* LOAD_FAST arg; UNPACK_SEQUENCE */ \
    X(LOAD_FAST__LOAD_FAST__STORE_ATTR, 1, 0)  /* LOAD_FAST arg; the pair
                                 LOAD_FAST__STORE_ATTR after it             */ \
    X(COPY__COPY__BINARY_SUBSCR, 1, 0)      /* COPY 2; COPY 2; BINARY_SUBSCR
                                 (o, k -- o, k, o[k]): `o[k] += v`        */ \
    X(LOAD_CONST__BINARY_OP, 1, 0)  /* LOAD_CONST arg; BINARY_OP           */ \
    X(BUILD_SLICE__BINARY_SUBSCR, 1, 0)  /* BUILD_SLICE arg; BINARY_SUBSCR */ \
    X(BUILD_SLICE__STORE_SUBSCR, 1, 0)   /* BUILD_SLICE arg; STORE_SUBSCR
                                            (last)                          */

enum py_opcode {
#define PY_OPCODE_ENUM(name, has_arg, is_jump) OP_##name,
    PY_OPCODES(PY_OPCODE_ENUM)
#undef PY_OPCODE_ENUM
    OP__COUNT
};
_Static_assert(OP__COUNT <= 256, "opcodes fit in 8 bits");

#define PY_ARG_MAX ((1u << 24) - 1)
static inline uint32_t py_instr(int op, uint32_t arg) { return (uint32_t)op | (arg << 8); }
static inline int      py_instr_op(uint32_t w) { return (int)(w & 0xff); }
static inline uint32_t py_instr_arg(uint32_t w) { return w >> 8; }

/* Pairs. The compiler never emits them: its assembler's last pass
 * (compiler.c, pair_instructions) rewrites a LOAD_FAST whose next
 * instruction is LOAD_ATTR, STORE_ATTR, BINARY_OP or a POP_JUMP_IF_*
 * (`if x:`, `while t is not None:`), and a LOAD_CONST whose next is
 * BINARY_OP (`i + 1`). The pair's handler
 * does both and skips the second instruction, which stays in place, so a
 * jump to it still runs it alone and the line of an error in it is its
 * own. The local (or constant) is used borrowed: the frame's slot (the
 * code object's constants) keeps it alive for that one instruction, so
 * the value the stack would have held for it costs no incref/decref
 * (eval.c, "Pairs").
 *
 * Triples: a LOAD_FAST before such a BINARY_OP pair (`a * b`, `n - 1`
 * with a and n locals) becomes LOAD_FAST__LOAD_FAST__BINARY_OP or
 * LOAD_FAST__LOAD_CONST__BINARY_OP, which does all three with both
 * operands borrowed and skips two instructions; the pair after it stays
 * a pair, for a jump to it. Likewise a LOAD_FAST and a LOAD_FAST or
 * LOAD_CONST before a COMPARE_OP, IS_OP or CONTAINS_OP (`i < n`,
 * `x is None`, `k in seen`: LOAD_FAST__LOAD_*__COMPARE, which jumps at
 * once on a POP_JUMP_IF_FALSE/TRUE after it, as COMPARE_OP does) or a
 * BINARY_SUBSCR (`board[pos]`, `t[0]`: LOAD_FAST__LOAD_*__BINARY_SUBSCR);
 * and a LOAD_FAST before a BINARY_SUBSCR (`self.board[pos]`) is a pair
 * whose key is borrowed, before an UNPACK_SEQUENCE (`a, b = t`) one
 * whose sequence is. A LOAD_FAST before a LOAD_FAST__STORE_ATTR pair
 * (`self.x = x`, an __init__'s usual line) is
 * LOAD_FAST__LOAD_FAST__STORE_ATTR: the value is borrowed too.
 *
 * An augmented subscript (`o[k] += v`) reads o[k] with COPY 2; COPY 2;
 * BINARY_SUBSCR: COPY__COPY__BINARY_SUBSCR reads it with the stack's
 * own o and k, without the two copies' counts.
 *
 * A BUILD_SLICE followed by BINARY_SUBSCR or STORE_SUBSCR (`l[i:j]`,
 * `l[:k] = v`) becomes a pair that, for an exact list, slices with the
 * parts on the stack and builds no slice object (CPython 3.12's
 * BINARY_SLICE / STORE_SLICE); for anything else it runs BUILD_SLICE
 * alone. */
_Static_assert(OP_BUILD_SLICE__STORE_SUBSCR == OP__COUNT - 1, "pairs come last");

/* The instruction a pair's (or triple's) first half stands for
 * (LOAD_FAST, LOAD_CONST or BUILD_SLICE), for code that reads bytecode: the
 * disassembler, the scan for __init__'s attribute names. Other
 * instructions: themselves. */
static inline int py_opcode_unpaired(int op)
{
    if (op == OP_LOAD_CONST__BINARY_OP)
        return OP_LOAD_CONST;
    if (op == OP_COPY__COPY__BINARY_SUBSCR)
        return OP_COPY;
    if (op == OP_BUILD_SLICE__BINARY_SUBSCR || op == OP_BUILD_SLICE__STORE_SUBSCR)
        return OP_BUILD_SLICE;
    return op >= OP_LOAD_FAST__LOAD_ATTR ? OP_LOAD_FAST : op;
}

/* vm/opcode.c: names ("LOAD_FAST") and flags, for the disassembler. */
extern const char *const py_opcode_names[OP__COUNT];
extern const uint8_t py_opcode_is_jump[OP__COUNT];

#endif /* FTPY_OPCODE_H */
