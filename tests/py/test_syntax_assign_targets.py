# compile() of invalid assignment/deletion/augmented targets: literals, calls, operators, comparisons, keywords
sources = [
    "1 = x",
    "'s' = x",
    "f() = 1",
    "a + b = 1",
    "x + 1 += 1",
    "(a, 1) = (1, 2)",
    "[a, b()] = c",
    "None = 1",
    "True = 0",
    "del f()",
    "del 1",
    "del (a + b)",
    "a < b = 1",
    "-x = 1",
    "x if y else z = 1",
    "lambda: 1 = 2",
    "(yield) = 1",
    "f() += 1",
    "[a, b] += 1",
    "(a, b) += (1, 2)",
    "x.y = 1\n1 += x",
    "for 1 in x: pass",
    "with a as 1: pass",
    "[x for 1 in y]",
    "a, *b, *c = d",
    "*a = b",
    "*a, = b",
    "__debug__ = 1",
    "def f(): x = yield = 1",
    "{a: b} = c",
]
for src in sources:
    try:
        compile(src, "<test>", "exec")
        print(repr(src), "-> compiled")
    except SyntaxError as e:
        print(repr(src), "->", e.msg, "|", e.lineno)
