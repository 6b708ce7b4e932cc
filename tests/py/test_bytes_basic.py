# bytes: literals, repr of all byte ranges, indexing returns ints, slicing returns bytes, iteration, constructors
b = b"Hello, \x00\xff\n\t'\"\\"
print(b, repr(b), len(b))
print(b[0], b[-1], b[1:5], b[::-1][:3], type(b[0]).__name__, type(b[0:1]).__name__)
print(list(b"abc"), [x for x in b"\x01\x02"], sum(b"\x01\x02\x03"))
print(bytes(range(0, 256, 37)))
print(bytes(4), bytes([65, 66, 67]), bytes("é", "utf-8"), bytes(b"copy"), bytes())
try:
    bytes([256])
except ValueError as e:
    print(e)
try:
    bytes("no encoding")
except TypeError as e:
    print(e)
try:
    b"abc"[0] = 1
except TypeError as e:
    print(e)
print(b"abc" + b"def", b"ab" * 3, 3 * b"x", b"a" in b"cat", 97 in b"cat", b"" in b"x")
print(b"abc" == b"abc", b"abc" < b"abd", b"" < b"a", b"abc" != "abc")
print(b"\x7f\x80\x9f\xa0", b"\r\n", b"\x1b[0m")
print(bytes([0x20, 0x7e]), repr(bytes([0x7e, 0x7f])))
print(b"a'b", b'a"b', b"a'b\"c")
for x in b"hi":
    print(x, chr(x))
print(hash(b"k") == hash(b"k"), {b"k": 1}[b"k"], len({b"a", b"a", b"b"}))
print(b"abc"[5:], b"abc"[-10:1], b"xyz".__len__())
try:
    b"abc"[3]
except IndexError as e:
    print(e)
print(str(b"bytes"), bytes("ascii", "ascii"), type(b"").__name__)
print(list(bytes(3)), bytes([1]) * 0, b"a\x00b".split(b"\x00"))
print(b"%s" if False else b"no format", bytes.fromhex("de ad be ef"), b"\xde\xad".hex())
