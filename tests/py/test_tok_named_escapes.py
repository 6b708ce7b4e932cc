# tokenizer: \N{NAME} escapes (Unicode character names) in str literals, raw strings keep them, bad names rejected
def codes(s):
    return [ord(c) for c in s]
print(codes("\N{LATIN SMALL LETTER A}"))
print(codes("\N{EURO SIGN}"), "\N{EURO SIGN}")
print(codes("\N{GREEK SMALL LETTER ALPHA}\N{GREEK CAPITAL LETTER OMEGA}"))
print("\N{BLACK STAR}", "\N{SNOWMAN}", len("\N{GRINNING FACE}"), ord("\N{GRINNING FACE}"))
print("\N{latin small letter e with acute}" == "é", "\N{SPACE}" == " ", "\N{NO-BREAK SPACE}" == "\xa0")
print(repr("\N{EM DASH}"), repr("\N{LINE FEED}"), repr("\N{NULL}"))
print(repr(r"\N{EURO SIGN}"), len(r"\N{EURO SIGN}"))
print(f"{'x'}\N{RIGHTWARDS ARROW}{'y'}", "a\N{HYPHEN-MINUS}b")
print(b"\N{EURO SIGN}" if False else "bytes have no \\N escape")
for src in ["x = '\\N{NOT A REAL NAME}'", "x = '\\N{}'", "x = '\\N{EURO SIGN'", "x = '\\N'"]:
    try:
        compile(src, "<test>", "exec")
        print(repr(src), "compiled")
    except SyntaxError as e:
        print(repr(src), "->", e.msg, "|", e.lineno)
words = ["\N{DIGIT ZERO}", "\N{DIGIT NINE}", "\N{LATIN CAPITAL LETTER Z}"]
print(words, "".join(words).isalnum())
print("\N{CHECK MARK}" * 3, "\N{HORIZONTAL ELLIPSIS}".encode())
print(len("\N{COMBINING ACUTE ACCENT}"), "e\N{COMBINING ACUTE ACCENT}" == "é")
print(max("\N{DEGREE SIGN}", "\N{MICRO SIGN}"), "\N{PILCROW SIGN}".isprintable())
print(sorted(["\N{LATIN SMALL LETTER B}", "\N{LATIN SMALL LETTER A}"]))
