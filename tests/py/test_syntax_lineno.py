# compile() error line numbers in multi-line sources, SyntaxError attributes, and successful compile+exec
src1 = "x = 1\ny = 2\nz = (3 +\n"
src2 = "def f():\n    a = 1\n    b = 2\n    return a +\n\nprint(f())\n"
src3 = "class C:\n    def m(self):\n        pass\n    def n(self)\n        pass\n"
src4 = "for i in range(3):\n    if i:\n        print(i)\n    else\n        pass\n"
src5 = "a = [\n    1,\n    2\n    3,\n]\n"
src6 = "x = 1\n\n\n\nif x ==:\n    pass\n"
src7 = "s = '''\nmulti\nline\n'''\nt = 'open\n"
for src in [src1, src2, src3, src4, src5, src6, src7]:
    try:
        compile(src, "<multi>", "exec")
        print("compiled")
    except SyntaxError as e:
        print(type(e).__name__, "|", e.msg, "|", e.lineno, "|", e.filename)
try:
    compile("x = = 2", "named.py", "exec")
except SyntaxError as e:
    print(e.filename, e.lineno, type(e.offset).__name__, e.text)
    print(isinstance(e, Exception), e.args[0])
code = compile("result = sum(range(5))\nprint('exec ran', result)\n", "<good>", "exec")
print(type(code).__name__)
ns = {}
exec(code, ns)
print(ns["result"])
exec("def g(x):\n    return x * 3\n", ns)
print(ns["g"](7))
e = compile("2 ** 10", "<eval>", "eval")
print(eval(e), eval("1 + 2"), eval("[x * x for x in range(4)]"))
try:
    eval("1 +")
except SyntaxError as err:
    print("eval:", err.msg, err.lineno)
try:
    compile("x = 1", "<bad-mode>", "nope")
except ValueError as err:
    print(err)
try:
    exec("raise ValueError('from exec')")
except ValueError as err:
    print("exec raised:", err)
