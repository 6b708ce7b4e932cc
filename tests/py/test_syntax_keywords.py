# compile() of misplaced statements: return/yield outside function, break/continue outside loop, nonlocal/global misuse
sources = [
    "return 1",
    "yield 1",
    "break",
    "continue",
    "if True:\n    break",
    "def f():\n    break",
    "class C:\n    return 1",
    "nonlocal x",
    "def f():\n    nonlocal x",
    "def f():\n    x = 1\n    global x",
    "def f(a):\n    global a",
    "def f():\n    print(x)\n    nonlocal x",
    "for i in x:\n    def g():\n        continue",
    "while True:\n    try:\n        pass\n    finally:\n        continue",
    "def f():\n    yield from",
    "def = 1",
    "class = 1",
    "def if(): pass",
    "import def",
    "x = pass",
    "def f():\n    return\nreturn",
    "lambda: (yield)",
    "def f():\n    x = 1\n    def g():\n        nonlocal y",
    "with x as y, : pass",
    "try:\n    pass\nfinally:\n    pass\nexcept:\n    pass",
    "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass",
]
for src in sources:
    try:
        compile(src, "<test>", "exec")
        print(repr(src), "-> compiled")
    except SyntaxError as e:
        print(repr(src), "->", type(e).__name__, "|", e.msg, "|", e.lineno)
