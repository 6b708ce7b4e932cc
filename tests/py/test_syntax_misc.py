# compile() of invalid function signatures and calls: duplicate args, default ordering, keyword repeats, star misuse
sources = [
    "def f(a, a): pass",
    "def f(a=1, b): pass",
    "def f(*, **kw): pass",
    "def f(*): pass",
    "def f(**kw, a): pass",
    "def f(*a, *b): pass",
    "def f(a, /, /): pass",
    "def f(/, a): pass",
    "f(a=1, a=2)",
    "f(a=1, 2)",
    "f(**kw, *args)",
    "f(x for x in y, 1)",
    "lambda a, a: 0",
    "lambda a=1, b: 0",
    "f(1=2)",
    "f(a.b=1)",
    "print(*)",
    "x = *a",
    "x = **a",
    "[**a]",
    "{*a: 1}",
    "def f(a, *, b, **c, d): pass",
    "class C(x for x in y): pass",
    "x = (*a)",
    "del *a, b",
    "f(a for a in b for)",
    "x = {1: 2, 3}",
    "x = {1, 2: 3}",
    "def f(a=1, /, b): pass",
    "assert(x, 'msg')" if False else "assert x, ",
]
for src in sources:
    try:
        compile(src, "<test>", "exec")
        print(repr(src), "-> compiled")
    except SyntaxError as e:
        print(repr(src), "->", e.msg, "|", e.lineno)
