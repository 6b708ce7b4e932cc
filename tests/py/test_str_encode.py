# str.encode / bytes.decode: utf-8 multi-byte, ascii and latin-1, errors handlers, round trips
s = "héllo wörld €😀"
b = s.encode()
print(b, len(s), len(b))
print(b.decode() == s, b.decode("utf-8") == s, s.encode("utf-8") == b)
print("abc".encode("ascii"), "café".encode("latin-1"), b"caf\xe9".decode("latin-1"))
try:
    "café".encode("ascii")
except UnicodeEncodeError as e:
    print(type(e).__name__, e)
try:
    b"\xff\xfe".decode("utf-8")
except UnicodeDecodeError as e:
    print(type(e).__name__, e)
print("café".encode("ascii", "ignore"), "café".encode("ascii", "replace"))
print(b"a\xffb".decode("utf-8", "replace"), b"a\xffb".decode("utf-8", "ignore"))
print("€".encode(), "😀".encode(), "\x00".encode(), "ÿ".encode("latin-1"))
print(list("é".encode()), list("€".encode()), list("😀".encode()))
print(bytes([0xe2, 0x82, 0xac]).decode(), b"\xf0\x9f\x98\x80".decode())
print("".encode(), b"".decode(), type("".encode()).__name__)
print(str(b"abc", "ascii"), str(b"\xc3\xa9", "utf-8"), str(b"x"))
print("ABC".encode("utf-8").lower(), "x".encode().hex())
print(len("日本語".encode()), "日本語".encode().decode()[1])
print(s.encode("utf-8", errors="strict")[:6])
try:
    "x".encode("no-such-codec")
except LookupError as e:
    print(type(e).__name__, e)
