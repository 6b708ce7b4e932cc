# bytes methods: split/join/strip/replace/find/count/startswith/upper/lower/decode/hex
b = b"  The Quick Brown Fox  "
print(b.strip(), b.lstrip(), b.rstrip(), b.split(), b.strip().split(b" ", 1))
print(b.upper(), b.lower(), b.strip().upper().lower(), b.count(b"o"))
print(b"-".join([b"a", b"b", b"c"]), b"".join([b"x", b"y"]))
try:
    b",".join(["str"])
except TypeError as e:
    print(e)
print(b"hello".replace(b"l", b"L"), b"hello".replace(b"l", b"", 1))
print(b"hello".find(b"l"), b"hello".rfind(b"l"), b"hello".find(b"z"), b"hello".index(b"e"), b"hello".count(b"l"))
print(b"hello".find(108), b"hello".count(108))
print(b"hello".startswith(b"he"), b"hello".endswith((b"lo", b"x")), b"data.bin".endswith(b".bin"))
print(b"a,b,,c".split(b","), b"a b\nc".split(), b"x\ny\r\nz".splitlines())
print(b"abc".isalpha(), b"123".isdigit(), b"ab1".isalnum(), b" ".isspace(), b"ABC".isupper(), b"abc".islower())
print(b"12".zfill(5), b"ab".center(6, b"*"), b"ab".ljust(4, b"."), b"ab".rjust(4))
print(b"key=val".partition(b"="), b"a.b.c".rpartition(b"."))
print(b"\x00\x01\xfe".hex(), bytes.fromhex("00ff10"), b"abc".hex())
print(b"caf\xc3\xa9".decode(), b"caf\xc3\xa9".decode("latin-1"))
print(b"abc".removeprefix(b"a"), b"abc".removesuffix(b"c"), b"aXbXc".split(b"X", 1))
print(list(b"abc".translate(None, b"b")), b"abcabc".expandtabs() if False else b"abc")
