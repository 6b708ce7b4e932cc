from __future__ import annotations
x: int = 1
class C:
    __p: list[int] = []
    def m(self, a: "C", *args: *Ts, k: dict = {}, **kw: int) -> C | None:
        y: int
        return f"{a!r:>{k}} \N{EURO SIGN} {x=}"
s = "\N{LATIN SMALL LETTER A}\N{HANGUL SYLLABLE GA}\N{CJK UNIFIED IDEOGRAPH-4E00}"
for src in ["f() = 1", "if x = 1: pass", "{a: *b}", "def f(a=1, /, b): pass",
            "with (a as b()): pass", "x: (yield)", "'\\N{nope}'", "a, f() = 1 +"]:
    try:
        compile(src, "<s>", "exec")
    except SyntaxError as e:
        print(e.msg, e.lineno, e.offset)
