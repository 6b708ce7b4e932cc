# compile() of badly indented sources: IndentationError/TabError subclasses of SyntaxError, messages and line numbers
sources = [
    "  x = 1",
    "if True:\npass",
    "if True:\n    x = 1\n  y = 2",
    "def f():\n    return 1\n      x = 2",
    "for i in range(3):\n",
    "while x:\n# only a comment\n",
    "class C:\n\ndef f(): pass",
    "try:\n    pass\nexcept:\npass",
    "if x:\n    pass\nelse:\nprint(1)",
    "def f():\n\tif x:\n        pass",
    "with open('f') as f:\nx = 1",
    "x = 1\n    y = 2",
    "def f():\n    '''doc'''\n   return",
    "if True:\n        a = 1\n    b = 2",
]
for src in sources:
    try:
        compile(src, "<test>", "exec")
        print(repr(src), "-> compiled")
    except SyntaxError as e:
        print(repr(src), "->", type(e).__name__, "|", e.msg, "|", e.lineno)
        print("   is IndentationError:", isinstance(e, IndentationError))
print(issubclass(IndentationError, SyntaxError), issubclass(TabError, IndentationError))
ok = "if True:\n    x = 1\nelse:\n    x = 2\n"
print(type(compile(ok, "<ok>", "exec")).__name__)
