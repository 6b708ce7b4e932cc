# compile() of invalid numeric literals: leading zeros, bad digits for base, misplaced underscores, trailing letters
sources = [
    "x = 012",
    "x = 0b102",
    "x = 0o78",
    "x = 0xg",
    "x = 1__0",
    "x = 1_",
    "x = 0x_",
    "x = 1e",
    "x = 1.2.3",
    "x = 5abc",
    "x = 0b",
    "x = 0o",
    "x = 1_000_",
    "x = 1._5",
    "x = 1e+_5",
    "x = 09.5",
    "x = 00",
    "x = 0_0",
    "x = 1.5e10",
    "x = 0xdeadbeef",
    "x = 0x1f + 0o17 + 0b11",
    "x = 0 in []",
    "x = 1_2.3_4e5_6",
    "x = 100_000_000",
]
for src in sources:
    try:
        compile(src, "<test>", "exec")
        print(repr(src), "-> compiled")
    except SyntaxError as e:
        print(repr(src), "->", e.msg, "|", e.lineno)
