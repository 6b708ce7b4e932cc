# len, repr, str, ascii on builtin types: containers, nested quotes, escapes, special floats, recursive containers
for v in ["", "abc", [], [1, 2], (), (1,), {}, {"a": 1}, set(), {1}, range(10), b"xyz", frozenset("ab")]:
    print(repr(v) if not isinstance(v, (set, frozenset)) or len(v) < 2 else type(v).__name__, len(v))
print(repr("it's"), repr('say "hi"'), repr("both ' and \""), repr("\n\t\\\r\x00\x7f"))
print(repr("é€😀"), ascii("é€😀"), str("é€😀"), repr("\u200b\xa0"))
print(repr(1.0), repr(-0.0), repr(1e100), repr(float("inf")), str(1.5), str(-2))
print(repr(None), repr(True), repr(...), repr(NotImplemented))
print(repr([1, "a", 2.5, None, (1,), [], {}]), str([1, "a"]))
print(repr({"k": [1, {"n": (2, "s")}]}))
print(repr((1, 2)), repr(()), repr((("nested",),)))
print(repr(b"\x00ab\xff'"), repr(b'"'), repr(b"'\""))
l = [1]
l.append(l)
print(repr(l))
d = {"self": None}
d["self"] = d
print(repr(d))
print(repr(range(0, 5)), repr(range(1, 10, 3)), repr(slice(1, 2)))
print(repr(int), repr(len), repr(ValueError("x")), repr(KeyError("k")))
print(str(123), str(-0.5), str(b"b"), str([b"b"]), str(None), str(()))
print(len("😀"), len("é"), len(b"\xe2\x82\xac"), len([[]]), len({1: 2, 3: 4}))
class L:
    def __len__(self):
        return 42
print(len(L()))
try:
    len(42)
except TypeError as e:
    print(e)
try:
    len(x for x in [])
except TypeError as e:
    print(e)
print(str(), repr(""), ascii(""), ascii(1), ascii([1, "é"]))
