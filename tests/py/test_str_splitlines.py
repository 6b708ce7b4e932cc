# str.splitlines with all line boundaries, keepends, and iteration over lines; str.partition helpers
text = "line one\nline two\r\nline three\rline four"
print(text.splitlines())
print(text.splitlines(True))
print(text.splitlines(keepends=True))
print("".splitlines(), "\n".splitlines(), "\n\n".splitlines(), "a\n".splitlines(), "a\n\nb".splitlines())
print("x\x0by\x0cz\x1cw\x1dv\x1eu\x85t\u2028s\u2029r".splitlines())
print("no newline".splitlines(), "trailing\r\n".splitlines(True))
poem = """Roses are red,
  Violets are blue,
Sugar is sweet,
    And so are you."""
for i, line in enumerate(poem.splitlines(), 1):
    print(i, repr(line.strip()), len(line) - len(line.lstrip()))
print(len(poem.splitlines()), poem.count("\n"))
print("a\nb\nc".split("\n") == "a\nb\nc".splitlines(), "a\nb\n".split("\n"), "a\nb\n".splitlines())
csv = "name,age\nann,30\nbob,25\n"
rows = [line.split(",") for line in csv.splitlines()]
print(rows)
header, *data = rows
print(header, [dict(zip(header, r)) for r in data])
print([l for l in "a\n\n  \nb".splitlines() if l.strip()])
print("\r\n".join(["x", "y"]).splitlines())
