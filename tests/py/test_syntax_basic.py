# compile() of invalid sources: generic invalid syntax, missing colons, unbalanced brackets (prints msg and lineno)
sources = [
    "x = = 1",
    "if x\n    pass",
    "while True\n    pass",
    "for i in range(3)\n    pass",
    "def f()\n    pass",
    "class C\n    pass",
    "x = (1, 2",
    "x = [1, 2",
    "x = {1: 2",
    "x = 1)",
    "x = ]",
    "print('a'))",
    "f(1 2)",
    "x = 1 +",
    "a b c",
    "1 = 1 +",
    "def (): pass",
    "import",
    "from x import",
    "x = (1,\n2,\n3",
    "if True:\n    x = (\n",
    "lambda x: yield",
    "x = 5 if 3",
    "else: pass",
    "try:\n    pass\n",
    "try:\n    pass\nx = 1",
    "def f(:\n    pass",
    "@\ndef f(): pass",
    "x += 1 += 2",
    "print 'hello'",
]
for src in sources:
    try:
        compile(src, "<test>", "exec")
        print(repr(src), "-> compiled")
    except SyntaxError as e:
        print(repr(src), "->", type(e).__name__, "|", e.msg, "|", e.lineno)
