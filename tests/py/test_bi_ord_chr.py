# ord and chr: ASCII, Latin-1, BMP, astral plane, boundaries, errors for wrong lengths and out-of-range values
for c in ["a", "Z", "0", " ", "\n", "\x00", "\x7f", "é", "ÿ", "Ā", "€", "中", "\uffff", "😀", "\U0010ffff"]:
    print(repr(c), ord(c), hex(ord(c)), chr(ord(c)) == c)
print(chr(65), chr(97), chr(48), chr(955), chr(8364), chr(128512), chr(0x10FFFF) == "\U0010ffff")
print("".join(chr(i) for i in range(65, 91)))
print([ord(c) for c in "Hello"], sum(ord(c) for c in "abc"))
print(ord(b"A"), ord(bytes([200])))
try:
    ord("ab")
except TypeError as e:
    print(e)
try:
    ord("")
except TypeError as e:
    print(e)
try:
    chr(-1)
except ValueError as e:
    print(e)
try:
    chr(0x110000)
except ValueError as e:
    print(e)
try:
    chr("a")
except TypeError as e:
    print(e)
try:
    ord(5)
except TypeError as e:
    print(e)
def caesar(s, k):
    out = []
    for ch in s:
        if "a" <= ch <= "z":
            out.append(chr((ord(ch) - 97 + k) % 26 + 97))
        elif "A" <= ch <= "Z":
            out.append(chr((ord(ch) - 65 + k) % 26 + 65))
        else:
            out.append(ch)
    return "".join(out)
enc = caesar("Hello, World!", 3)
print(enc, caesar(enc, -3))
print(chr(ord("a") + 1), chr(True + 64), ord("\t"), ord("ß"))
