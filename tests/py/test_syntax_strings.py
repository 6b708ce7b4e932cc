# compile() of bad string/bytes/f-string literals: unterminated, bad escapes, non-ASCII bytes, f-string errors
sources = [
    "x = 'abc",
    'x = "abc',
    "x = '''abc",
    'x = """abc\n\nmore',
    "x = 'a\nb'",
    "x = b'caf\u00e9'",
    "x = 'abc' 'def",
    "x = f'{'",
    "x = f'}'",
    "x = f'{}'",
    "x = f'{x!z}'",
    "x = f'{x:{y:{z}}}'",
    "x = f'{1 +}'",
    "x = '\\u12x4'",
    "x = '\\x4'",
    "x = '\\u12'",
    "x = b'\\u1234' + '\\U1'",
    "x = 'ok'\ny = 'bad",
    "x = u'unicode prefix ok'",
    "x = ur'bad prefix'",
    "x = f'{x#}'",
    "x = f'{)}'",
    "x = rb'ok' + br'ok'",
    "x = 'a' b'b'",
]
for src in sources:
    try:
        compile(src, "<test>", "exec")
        print(repr(src), "-> compiled")
    except SyntaxError as e:
        print(repr(src), "->", type(e).__name__, "|", e.msg, "|", e.lineno)
