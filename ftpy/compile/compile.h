/* compile/compile.h — the compiler: AST (compile/ast.h) -> code objects.
 *
 * Pipeline: py_parse -> symtable (compile/symtable.c: scopes and the
 * storage class of every name) -> compiler (compile/compiler.c: one
 * compiler unit per code block, emitting instructions with symbolic
 * labels) -> assembler (same file: labels resolved to absolute indexes,
 * stack depth and block depth by flow analysis, line table) ->
 * py_code_new (objects/code.c).
 *
 * Which instructions load and store a name (the symtable's verdict):
 *   function scope, local          LOAD_FAST / STORE_FAST / DELETE_FAST
 *   cell or free (any scope)       LOAD_DEREF / STORE_DEREF / DELETE_DEREF
 *   free, read in a class body     LOAD_CLASSDEREF
 *   global explicit (`global x`)   LOAD_GLOBAL / STORE_GLOBAL / DELETE_GLOBAL
 *   global implicit in a function  LOAD_GLOBAL (never stored there)
 *   module and class bodies        LOAD_NAME / STORE_NAME / DELETE_NAME
 * Cells are indexed C[0 .. ncells) = co_cellvars then co_freevars. An
 * argument that is also a cell stays in co_varnames (its argument slot)
 * and is listed in co_cellvars: py_code_new computes co_cell2arg from the
 * names, the VM copies the argument into the cell when the frame starts.
 *
 * Code flags: functions, lambdas and comprehensions get PY_CO_OPTIMIZED |
 * PY_CO_NEWLOCALS; a function nested in another function PY_CO_NESTED; a
 * function containing yield (and every generator expression)
 * PY_CO_GENERATOR; PY_CO_NOFREE when it has no cell and no free variable.
 * Module and class bodies have none of the first two: they run with a
 * dict of locals (module: the globals; class: the namespace that
 * __build_class__ gives).
 *
 * Docstrings: a def whose body starts with a str literal gets
 * PY_CO_HAS_DOCSTRING and the string as co_consts[0]; module and class
 * bodies store it as __doc__ (STORE_NAME) instead.
 *
 * Annotations (CPython 3.11's semantics): a module or class body that
 * contains an annotated assignment (outside nested defs and classes)
 * starts with SETUP_ANNOTATIONS; `name: T = v` there is <v> STORE name
 * <T> LOAD_NAME __annotations__ LOAD_CONST 'name' STORE_SUBSCR (the name
 * mangled); other targets evaluate T (and `a` / `a`, `i` of `a.x: T` /
 * `a[i]: T` without a value) and drop it. Inside functions annotations
 * are not evaluated. A def's parameter and return annotations make a
 * dict (BUILD_MAP: 'x', <T>, ..., 'return', <R>, in CPython's order:
 * args, positional-only, *args, keyword-only, **kwargs, return) passed
 * with MAKE_FUNCTION flag 4. `*args: *Ts` evaluates Ts and unpacks it
 * (UNPACK_SEQUENCE 1). Under `from __future__ import annotations` every
 * annotation that would be evaluated is instead the constant str of its
 * source as CPython's unparser writes it (py_expr_unparse, ast.h).
 *
 * Deviations from CPython 3.11, on purpose:
 *   - `with cm as target`: the target is stored BEFORE the handler that
 *     calls __exit__ is set up (SETUP_FINALLY records the stack depth at
 *     the point it runs, and the store consumes the __enter__ value), so
 *     if storing the target itself raises (a failing unpack or setattr),
 *     __exit__ is not called.
 *   - `x + x + ... + x` (left-deep BinOp chains) is compiled iteratively:
 *     100,000 terms compile where CPython raises RecursionError.
 *   - `__debug__` compiles to the constant True; asserts are always on.
 *   - `from __future__ import ...` of a known feature emits no code (no
 *     __future__ module is imported, no name is bound); an unknown one is
 *     the SyntaxError "future feature X is not defined" (barry_as_FLUFL is
 *     not known). compile()/exec()/eval() inherit the annotations feature
 *     only when the caller passes PY_PARSE_FUTURE_ANNOTATIONS.
 *   - code after a return/raise/break in the same block is still emitted
 *     (unreachable; the VM never reaches it).
 *
 * ============================================================================
 * Instruction sequences the compiler emits (what the VM must support)
 * ============================================================================
 * Notation: stack contents in [brackets], TOS last. "depth d" after a
 * SETUP_FINALLY is the number of values on the stack when it runs: the VM
 * records only that number, and on an exception pops the stack down to d
 * values and pushes the exception. Every conditional jump the compiler
 * emits goes forward; every backward jump is JUMP_BACKWARD. FOR_ITER
 * always jumps forward (to the loop exit). JUMP is only ever forward.
 *
 * Shared cleanup block of an exception handler, "CLEANUP" below:
 *     CLEANUP:            [.., prev, exc2]
 *         SWAP 2          [.., exc2, prev]
 *         POP_EXCEPT      [.., exc2]        exc_info = prev
 *         RERAISE                           (the next handler trims the
 *                                            values left below)
 *
 * try/except/else:
 *         SETUP_FINALLY H              (depth d)
 *         <body>
 *         POP_BLOCK
 *         <else body>
 *         JUMP END
 *     H:                               [exc]          (d+1 values)
 *         SETUP_FINALLY CLEANUP        (depth d+1: after PUSH_EXC_INFO the
 *                                       d+1 values end with prev)
 *         PUSH_EXC_INFO                [prev, exc]
 *       for each `except T as e:` clause
 *         <T>                          [prev, exc, T]
 *         CHECK_EXC_MATCH              [prev, exc, bool]
 *         POP_JUMP_IF_FALSE NEXT       [prev, exc]
 *         STORE e  (or POP_TOP)        [prev]
 *         SETUP_FINALLY CLEANUP_E      (only with `as e`; depth d+1)
 *         <handler body>
 *         POP_BLOCK                    (only with `as e`)
 *         POP_BLOCK                    (the CLEANUP handler)
 *         POP_EXCEPT                   []
 *         LOAD_CONST None; STORE e; DELETE e   (only with `as e`)
 *         JUMP END
 *     CLEANUP_E:                       [prev, exc2]
 *         LOAD_CONST None; STORE e; DELETE e
 *         RERAISE                      -> CLEANUP
 *     NEXT: ...next clause...
 *       a bare `except:` clause has no <T>/CHECK_EXC_MATCH/jump: POP_TOP.
 *       after the last clause (when none is bare):
 *         RERAISE                      [prev, exc] -> CLEANUP
 *     CLEANUP: (as above)
 *     END:
 *
 * try/finally (the finally body is compiled twice: inline for the normal
 * path and inside the handler for the exceptional one):
 *         SETUP_FINALLY F              (depth d)
 *         <body>  (a try/except as above when there are handlers)
 *         POP_BLOCK
 *         <finally body>
 *         JUMP END
 *     F:                               [exc]
 *         SETUP_FINALLY CLEANUP        (depth d+1)
 *         PUSH_EXC_INFO                [prev, exc]
 *         <finally body>
 *         RERAISE                      -> CLEANUP
 *     CLEANUP: (as above)
 *     END:
 *
 * with (`with a as x, b:` is `with a as x: with b:`):
 *         <a>                          [mgr]
 *         BEFORE_WITH                  [exit, value]
 *         STORE x  (or POP_TOP)        [exit]
 *         SETUP_FINALLY H              (depth d+1)
 *         <body>
 *         POP_BLOCK
 *         WITH_EXIT_NORMAL             []     exit(None, None, None)
 *         JUMP END
 *     H:                               [exit, exc]
 *         SETUP_FINALLY CLEANUP        (depth d+2)
 *         PUSH_EXC_INFO                [exit, prev, exc]
 *         WITH_EXCEPT_START            [exit, prev, exc, r]
 *         POP_JUMP_IF_TRUE SUPPRESS    [exit, prev, exc]
 *         RERAISE                      -> CLEANUP
 *     SUPPRESS:
 *         POP_BLOCK
 *         POP_TOP                      [exit, prev]
 *         POP_EXCEPT                   [exit]
 *         POP_TOP                      []
 *         JUMP END
 *     CLEANUP: (as above)
 *     END:
 *
 * for/else:
 *         <iterable>
 *         GET_ITER                     [it]
 *     TOP:
 *         FOR_ITER EXIT                [it, v]   (exhausted: [] and jump)
 *         <store target>               [it]
 *         <body>
 *         JUMP_BACKWARD TOP
 *     EXIT:
 *         <else body>
 *     END:
 *
 * while/else:
 *     TOP:
 *         <test>; POP_JUMP_IF_FALSE EXIT   (omitted for a true constant)
 *         <body>
 *         JUMP_BACKWARD TOP
 *     EXIT:
 *         <else body>
 *     END:
 *
 * break / continue / return leaving blocks (CPython's compiler_unwind_
 * fblock), innermost first; "keep" means a return value is on TOS and
 * must stay there:
 *     for loop             (keep: SWAP 2) POP_TOP          the iterator
 *     while loop           nothing
 *     try body (except)    POP_BLOCK
 *     try body (finally)   POP_BLOCK; <finally body, with the return
 *                          value (when kept) counted as one more value>
 *     finally body (exc.)  (keep: SWAP 2) POP_TOP (keep: SWAP 2) POP_BLOCK
 *                          POP_EXCEPT                      [prev, exc]
 *     except handler body  (POP_BLOCK for CLEANUP_E) (keep: SWAP 2)
 *                          POP_BLOCK POP_EXCEPT (None -> e; del e)
 *     with body            POP_BLOCK (keep: SWAP 2) WITH_EXIT_NORMAL
 *   then: break -> JUMP END of the loop; continue -> JUMP_BACKWARD TOP;
 *   return -> RETURN_VALUE. A return whose value is a constant (or bare)
 *   unwinds first and loads the constant after.
 *
 * Functions:
 *         <defaults>  BUILD_TUPLE n                    (flag 1)
 *         <kw-defaults> BUILD_MAP n (str keys)         (flag 2)
 *         'x' <T> ... BUILD_MAP n (annotations)       (flag 4)
 *         LOAD_CLOSURE c...; BUILD_TUPLE n             (flag 8)
 *         LOAD_CONST <code>
 *         MAKE_FUNCTION flags
 *     Decorators: <dec1> PUSH_NULL <dec2> PUSH_NULL <function>
 *                 CALL 1 CALL 1; then STORE name. The function's
 *     __qualname__ is the code's co_qualname, __name__ its co_name.
 *
 * Classes:
 *         <decorators as for functions>
 *         LOAD_BUILD_CLASS
 *         PUSH_NULL
 *         <body function: MAKE_FUNCTION 0 or 8>
 *         LOAD_CONST 'Name'
 *         <bases ...> [<keyword values> LOAD_CONST kwnames]
 *         CALL 2+n | CALL_KW 2+n+k
 *       or with *bases or **kw:  <body fn> 'Name' and bases built as a
 *         tuple (BUILD_LIST/LIST_EXTEND/LIST_TO_TUPLE) then CALL_EX 0/1
 *         (the tuple begins with the body function and the name).
 *     The body code:
 *         LOAD_NAME __name__; STORE_NAME __module__
 *         LOAD_CONST 'Q.Name'; STORE_NAME __qualname__
 *         (LOAD_CONST doc; STORE_NAME __doc__)
 *         <body>
 *         (LOAD_CLOSURE __class__; STORE_NAME __classcell__)  if the class
 *                                  has a __class__ cell (a method uses
 *                                  super or __class__)
 *         LOAD_CONST None; RETURN_VALUE
 *     __build_class__ runs it with the namespace dict as locals and binds
 *     __classcell__ (removed from the namespace) to the new class.
 *
 * Calls:
 *     f(a, b)          <f> PUSH_NULL <a> <b> CALL 2
 *     o.m(a)           <o> LOAD_METHOD m <a> CALL 1
 *     f(a, k=v)        <f> PUSH_NULL <a> <v> LOAD_CONST ('k',) CALL_KW 2
 *     f(*x, a, **m, k=v)  (any * or **: CALL_EX; no NULL slot)
 *                      <f>
 *                      BUILD_LIST 0 <x> LIST_EXTEND 1 <a> LIST_APPEND 1
 *                      LIST_TO_TUPLE                   (the args tuple)
 *                      BUILD_MAP 0 <m> DICT_MERGE 1
 *                      LOAD_CONST 'k' <v> BUILD_MAP 1 DICT_MERGE 1
 *                      CALL_EX 1                       (CALL_EX 0: no **)
 *                      At DICT_MERGE arg 1 (after popping the mapping)
 *                      the stack is [f, args_tuple, dict]: the function
 *                      for "f() got multiple values for keyword argument
 *                      'k'" is 2 below the dict. Plain keywords runs
 *                      before the first ** are BUILD_MAP n, no merge.
 *     assert t, msg    <t> POP_JUMP_IF_TRUE OK LOAD_ASSERTION_ERROR
 *                      [PUSH_NULL <msg> CALL 1] RAISE_VARARGS 1  OK:
 *
 * Comprehensions: `[e for x in it if c for y in it2]` is a function of one
 * argument ".0" (co_varnames[0], co_argcount 1) named <listcomp> (<setcomp>,
 * <dictcomp>, <genexpr>):
 *     caller:      <MAKE_FUNCTION of the code> PUSH_NULL <it> GET_ITER CALL 1
 *     <listcomp>:  BUILD_LIST 0
 *                  LOAD_FAST .0
 *              T1: FOR_ITER E1            [list, it, x]
 *                  STORE x
 *                  <c> POP_JUMP_IF_FALSE C1
 *                  <it2> GET_ITER
 *              T2: FOR_ITER E2
 *                  STORE y
 *                  <e> LIST_APPEND 3      (SET_ADD n / <k> <v> MAP_ADD n;
 *                                          n = 1 + number of loops)
 *              C2: JUMP_BACKWARD T2
 *              E2: 
 *              C1: JUMP_BACKWARD T1
 *              E1: RETURN_VALUE           [list]
 *     LIST_APPEND/SET_ADD/MAP_ADD n: after popping the value(s), the
 *     container is the n-th item from the top (CPython's PEEK(n)): with one
 *     loop the stack is [list, it] and n is 2. LIST_EXTEND 1 and friends in
 *     displays and calls follow the same rule ([list, iterable] -> n 1).
 *     <genexpr> (PY_CO_GENERATOR): the same without the list;
 *                  <e> YIELD_VALUE POP_TOP in the innermost loop, and
 *                  LOAD_CONST None RETURN_VALUE at the end.
 *
 * Generators: `yield v` is <v> YIELD_VALUE (the sent value stays as the
 * expression's value); `return v` in a generator is <v> RETURN_VALUE (the
 * VM raises StopIteration(v)). yield from:
 *         <v> GET_YIELD_FROM_ITER LOAD_CONST None
 *     L:  SEND END
 *         YIELD_VALUE
 *         JUMP_BACKWARD L
 *     END:                             [result]
 *
 * Other expression shapes:
 *     a and b          <a> JUMP_IF_FALSE_OR_POP E <b> E:
 *     a < b < c        <a> <b> SWAP 2 COPY 2 COMPARE_OP LT
 *                      JUMP_IF_FALSE_OR_POP CL <c> COMPARE_OP LT JUMP E
 *                      CL: SWAP 2 POP_TOP  E:
 *     a if t else b    <t> POP_JUMP_IF_FALSE L <a> JUMP E L: <b> E:
 *     f"{x!r:>{w}}"    <x> <w> FORMAT_VALUE (empty spec) BUILD_STRING ..
 *                      FORMAT_VALUE 2|4 ... BUILD_STRING n
 *     a[i:j]           <a> <i> <j> BUILD_SLICE 2 BINARY_SUBSCR
 *     [a, *b]          <a> BUILD_LIST 1 <b> LIST_EXTEND 1  (tuples then
 *                      LIST_TO_TUPLE; sets BUILD_SET/SET_UPDATE/SET_ADD)
 *                      displays of more than 30 items are built with
 *                      BUILD_LIST 0 / LIST_APPEND 1 one by one.
 *     {**m, k: v}      BUILD_MAP 0 <m> DICT_UPDATE 1 <k> <v> BUILD_MAP 1
 *                      DICT_UPDATE 1
 *     x := v           <v> COPY 1 STORE x
 *     a.x += v         <a> COPY 1 LOAD_ATTR x <v> BINARY_OP op|INPLACE
 *                      SWAP 2 STORE_ATTR x
 *     a[i] += v        <a> <i> COPY 2 COPY 2 BINARY_SUBSCR <v> BINARY_OP
 *                      SWAP 3 SWAP 2 STORE_SUBSCR
 *     a, *b, c = s     <s> UNPACK_EX 1|1<<8 STORE a STORE b STORE c
 *     del e            (try/except `as e` cleanup; DELETE_* of an unbound
 *                      name raises, but `e = None` precedes it)
 *     import a.b       LOAD_CONST 0 LOAD_CONST None IMPORT_NAME a.b STORE a
 *     import a.b as c  ... IMPORT_NAME a.b IMPORT_FROM b SWAP 2 POP_TOP
 *                      STORE c  (more IMPORT_FROM/SWAP/POP_TOP per dot)
 *                      (then POP_TOP of the last module)
 *     from .m import x LOAD_CONST 1 LOAD_CONST ('x',) IMPORT_NAME m
 *                      IMPORT_FROM x STORE x POP_TOP
 *     from m import *  ... IMPORT_NAME m IMPORT_STAR
 *     REPL (single)    expression statements: <e> PRINT_EXPR
 *     eval mode        <e> RETURN_VALUE
 *     module           ... LOAD_CONST None RETURN_VALUE
 */
#ifndef FTPY_COMPILE_H
#define FTPY_COMPILE_H

#include "../ftpy.h"
#include "ast.h"

/* co_flags bit of every code object compiled under `from __future__
 * import annotations` (CPython's CO_FUTURE_ANNOTATIONS). */
#define PY_CO_FUTURE_ANNOTATIONS 0x1000000

/* Compiles n bytes of source (mode: enum py_parse_mode, with
 * PY_PARSE_STR_SOURCE or'ed in when the text came from a str, and
 * PY_PARSE_FUTURE_ANNOTATIONS to inherit that future feature; ast.h) into
 * a code object, or NULL with SyntaxError (or MemoryError, RecursionError)
 * set. */
ft_object *py_compile(const char *src, size_t n, const char *filename, int mode);
/* Compiles a parsed tree. src/n is the source the tree came from (for
 * the text of SyntaxErrors; may be NULL). */
ft_object *py_compile_ast(py_ast_mod *mod, const char *src, size_t n,
                          const char *filename);

/* Readies the code class (objects/code.c): 0 or -1. py_init calls it. */
int py_code_types_init(void);

#endif /* FTPY_COMPILE_H */
