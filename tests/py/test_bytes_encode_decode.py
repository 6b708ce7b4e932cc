# bytes/str boundaries: encode/decode round trips over many code points, mixing bytes and str raises TypeError
samples = ["", "ascii", "latin: àéîõü", "euro: €", "cjk: 日本語", "emoji: 😀🎉", "mixed: a€😀ü"]
for s in samples:
    e = s.encode("utf-8")
    print(len(s), len(e), e.decode("utf-8") == s, e[:8])
text = "".join(chr(c) for c in range(32, 127))
print(text.encode("ascii") == bytes(range(32, 127)))
print("".join(chr(c) for c in range(160, 170)).encode("latin-1"))
print(bytes(range(160, 170)).decode("latin-1"))
try:
    b"x" + "y"
except TypeError as e:
    print(e)
try:
    "y" + b"x"
except TypeError as e:
    print(e)
try:
    "abc".startswith(b"a")
except TypeError as e:
    print(e)
try:
    b"abc".find("a")
except TypeError as e:
    print(e)
print(b"abc" == "abc", "a" in "abc", b"a" in b"abc")
try:
    "a" in b"abc"
except TypeError as e:
    print(e)
try:
    b"\xe2\x82".decode()
except UnicodeDecodeError as e:
    print(e.reason, e.start, e.end)
try:
    "\u20ac".encode("latin-1")
except UnicodeEncodeError as e:
    print(e.reason, e.start, e.end, e.encoding)
print(b"\xe2\x82".decode("utf-8", "replace"), "x€y".encode("latin-1", "replace"))
print("tab\there".encode(), "new\nline".encode(), "\\".encode())
print(str(b"\xc3\xa9"), str(b"\xc3\xa9", "utf-8"), repr("é".encode()))
data = "ключ=значение".encode()
k, v = data.split(b"=")
print(k.decode(), v.decode(), len(data))
print([hex(b) for b in "Ω".encode()], "Ω".encode("utf-8").decode("utf-8"))
print(bytes("abc", encoding="ascii"), "abc".encode(encoding="utf-8"))
