/* compile/tokenizer.h — Python 3.11's lexical grammar: UTF-8 source text
 * to tokens, one at a time.
 *
 * The tokenizer works on a private, NUL-terminated copy of the source
 * whose line ends are all "\n" (CRLF and CR translated, as CPython's
 * universal newlines do) and which always ends with a newline. It checks
 * each physical line when it first reaches it (valid UTF-8, no NUL), so
 * that, as in CPython, a syntax error on an earlier line is reported
 * before a bad byte on a later one.
 *
 * Layout (NEWLINE/INDENT/DEDENT) follows CPython's tokenizer.c:
 *   - a logical line ends with NEWLINE, except inside brackets and after
 *     a backslash continuation; blank and comment-only lines make no
 *     tokens;
 *   - indentation is measured twice, with tabs to multiples of 8 (col)
 *     and with a tab counting 1 (altcol); the two must order lines the
 *     same way, or it is a TabError;
 *   - a deeper line makes one INDENT, a shallower one a DEDENT per level
 *     it closes; it must match an enclosing level exactly.
 *
 * Strings are delimited here but decoded by the parser (escapes,
 * f-strings, concatenation); numbers are checked here (CPython's messages
 * for malformed literals) and converted by the parser. Keywords get their
 * own token types; soft keywords (match, case, _) stay NAMEs.
 *
 * Positions: lineno 1-based, col 0-based in bytes of the UTF-8 line,
 * the end exclusive. Errors are raised through py_err_syntax with a
 * 1-based column counted in characters, as CPython reports them.
 */
#ifndef FTPY_TOKENIZER_H
#define FTPY_TOKENIZER_H

#include "../ftpy.h"

#define PY_TOKEN_TYPES(X)                                               \
    X(ENDMARKER, "") X(NAME, "") X(NUMBER, "") X(STRING, "")           \
    X(NEWLINE, "") X(INDENT, "") X(DEDENT, "") X(ERRORTOKEN, "")       \
    /* operators */                                                     \
    X(LPAR, "(") X(RPAR, ")") X(LSQB, "[") X(RSQB, "]") X(COLON, ":")  \
    X(COMMA, ",") X(SEMI, ";") X(PLUS, "+") X(MINUS, "-") X(STAR, "*") \
    X(SLASH, "/") X(VBAR, "|") X(AMPER, "&") X(LESS, "<")              \
    X(GREATER, ">") X(EQUAL, "=") X(DOT, ".") X(PERCENT, "%")          \
    X(LBRACE, "{") X(RBRACE, "}") X(EQEQUAL, "==") X(NOTEQUAL, "!=")   \
    X(LESSEQUAL, "<=") X(GREATEREQUAL, ">=") X(TILDE, "~")             \
    X(CIRCUMFLEX, "^") X(LEFTSHIFT, "<<") X(RIGHTSHIFT, ">>")          \
    X(DOUBLESTAR, "**") X(PLUSEQUAL, "+=") X(MINEQUAL, "-=")           \
    X(STAREQUAL, "*=") X(SLASHEQUAL, "/=") X(PERCENTEQUAL, "%=")       \
    X(AMPEREQUAL, "&=") X(VBAREQUAL, "|=") X(CIRCUMFLEXEQUAL, "^=")    \
    X(LEFTSHIFTEQUAL, "<<=") X(RIGHTSHIFTEQUAL, ">>=")                 \
    X(DOUBLESTAREQUAL, "**=") X(DOUBLESLASH, "//")                     \
    X(DOUBLESLASHEQUAL, "//=") X(AT, "@") X(ATEQUAL, "@=")             \
    X(RARROW, "->") X(ELLIPSIS, "...") X(COLONEQUAL, ":=")             \
    X(EXCLAMATION, "!")                                                 \
    /* keywords */                                                      \
    X(FALSE, "False") X(NONE, "None") X(TRUE, "True") X(AND, "and")    \
    X(AS, "as") X(ASSERT, "assert") X(ASYNC, "async")                  \
    X(AWAIT, "await") X(BREAK, "break") X(CLASS, "class")              \
    X(CONTINUE, "continue") X(DEF, "def") X(DEL, "del")                \
    X(ELIF, "elif") X(ELSE, "else") X(EXCEPT, "except")                \
    X(FINALLY, "finally") X(FOR, "for") X(FROM, "from")                \
    X(GLOBAL, "global") X(IF, "if") X(IMPORT, "import") X(IN, "in")    \
    X(IS, "is") X(LAMBDA, "lambda") X(NONLOCAL, "nonlocal")            \
    X(NOT, "not") X(OR, "or") X(PASS, "pass") X(RAISE, "raise")        \
    X(RETURN, "return") X(TRY, "try") X(WHILE, "while")                \
    X(WITH, "with") X(YIELD, "yield")

enum py_token_type {
#define PY_TOK_ENUM(name, text) PY_T_##name,
    PY_TOKEN_TYPES(PY_TOK_ENUM)
#undef PY_TOK_ENUM
    PY_T__COUNT
};
#define PY_T_FIRST_KEYWORD PY_T_FALSE

typedef struct py_token {
    int type;                    /* enum py_token_type                    */
    const char *start, *end;     /* the token's bytes in the source copy  */
    int lineno, col;             /* start: line, byte column              */
    int end_lineno, end_col;     /* end (exclusive)                       */
    const char *line_start;      /* the start line's first byte           */
} py_token;

#define PY_TOK_MAXINDENT 100     /* "too many levels of indentation"       */
#define PY_TOK_MAXLEVEL  200     /* "too many nested parentheses"          */

typedef struct py_tokenizer {
    const char *buf, *end;       /* the whole source copy (NUL-terminated) */
    const char *cur;             /* next byte to read                     */
    const char *line_start;      /* first byte of the current line        */
    const char *checked_to;      /* lines before this are validated       */
    int lineno;
    const char *filename;
    /* indentation */
    int indent;                  /* top of the stacks                     */
    int indstack[PY_TOK_MAXINDENT], altindstack[PY_TOK_MAXINDENT];
    int pendin;                  /* >0: INDENTs to emit, <0: DEDENTs       */
    bool atbol;                  /* at the beginning of a line            */
    bool done;                   /* ENDMARKER given                       */
    bool tok_err;                /* an error was raised                   */
    bool eof_unclosed;           /* ... "'(' was never closed" at the end */
    bool err_soft;               /* ... one CPython reports through the
                                    parser (indentation, continuation): it
                                    does not replace an earlier parser
                                    error found before it                 */
    /* brackets */
    int level;
    char parenstack[PY_TOK_MAXLEVEL];
    int parenlinenostack[PY_TOK_MAXLEVEL], parencolstack[PY_TOK_MAXLEVEL];
    /* For an f-string's expression tokenized on its own: the position of
     * the text's first byte in the real file (line 1 gets col_shift), and
     * whether to report "f-string: " errors. */
    int line_shift, col_shift;
    bool fstring_mode;
    const char *err_prefix;      /* "f-string: " or ""                    */
} py_tokenizer;

/* Starts a tokenizer over buf[0..n) (which must be the private copy
 * described above: NUL at buf[n], buf[n-1] == '\n'). */
void py_tokenizer_init(py_tokenizer *t, const char *buf, size_t n,
                       const char *filename);
/* The next token into *tok: 0, or -1 with an exception set. */
int py_tokenizer_next(py_tokenizer *t, py_token *tok);

/* Raises "'(' was never closed" for the innermost open bracket (level > 0). */
int py_tokenizer_raise_unclosed(py_tokenizer *t);

/* The spelling of a token type ("(", "if", ...; "" for NAME etc.). */
const char *py_token_text(int type);

/* Raises a SyntaxError-family exception (type, or SyntaxError when NULL)
 * at line lineno, byte columns col..end_col (0-based) of line text
 * `line` (NULL: unknown). Counts the 1-based character offsets CPython
 * reports and copies the line as `text`. Always returns -1. */
int py_tok_raise(py_type *type, const char *filename, const char *msg,
                 const char *line, int lineno, int col, int end_lineno,
                 int end_col);

/* Helpers shared with the parser (string literals, f-strings). */
/* Decodes one UTF-8 sequence at s (len bytes available): the code point
 * and *size, or -1 when invalid. */
int32_t py_utf8_decode(const char *s, size_t len, int *size);
/* Is code point c allowed to start / continue an identifier? */
bool py_ident_start(int32_t c);
bool py_ident_continue(int32_t c);

#endif /* FTPY_TOKENIZER_H */
