# indexing and slicing non-ASCII text: code points not bytes, negative indexes, reversing, iteration, ord/chr
s = "aé€😀z"
print(len(s), s[0], s[1], s[2], s[3], s[4], s[-1], s[-2])
print(s[1:4], s[::-1], s[::2], s[-3:], s[:-3])
print([c for c in s], [ord(c) for c in s])
print("".join(chr(ord(c) + 1) for c in "HAL"))
word = "naïveté"
print(word.upper(), word[2], word.index("é"), word.find("t"), len(word))
print(word[::-1], word[2:5], word.count("é"))
for i, ch in enumerate("ñü"):
    print(i, ch, ord(ch), hex(ord(ch)))
greek = "αβγδε"
print(greek.upper(), greek[1:-1], greek[::-2], greek.find("δ"))
try:
    s[10]
except IndexError as e:
    print(e)
print(s[10:], s[-100:2], repr(s[5:]))
mixed = "ab日本cd"
print(mixed[2:4], mixed.replace("日本", "Japan"), mixed.split("日"))
print(sorted("zébra"), max("héllo"), min("héllo"))
print("😀" * 3, len("😀" * 3), ("😀" * 3)[1])
print(chr(0x1F600) == "😀", chr(233), chr(8364), ord("\U0010FFFF"))
print("é" == "\u00e9", "é" == "e\u0301", len("e\u0301"))
print("ÀB".lower() + "àb".upper(), "ǈ".lower(), "straße"[4:])
print([s[i] for i in range(len(s) - 1, -1, -1)])
