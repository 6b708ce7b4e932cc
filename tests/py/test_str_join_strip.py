# str.join and strip/lstrip/rstrip with and without characters, removeprefix/removesuffix
print(",".join(["a", "b", "c"]), "".join(["x", "y"]), " - ".join(("1", "2")))
print("-".join("abc"), "+".join([]), ",".join(["solo"]))
print("".join(str(i) for i in range(10)))
print(", ".join(sorted({"b": 1, "a": 2})))
try:
    ",".join([1, 2])
except TypeError as e:
    print(e)
try:
    ",".join(["a", None])
except TypeError as e:
    print(e)
s = "   padded text \t\n"
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
print("xxhixx".strip("x"), "xyhiyx".strip("xy"), "abcba".lstrip("ab"), "abcba".rstrip("ab"))
print("www.example.com".strip("cmowz."), "  ".strip() == "")
print(repr("\u3000wide space\u3000".strip()), repr("\x00nul\x00".strip("\x00")))
print("prefix_body".removeprefix("prefix_"), "body_suffix".removesuffix("_suffix"))
print("nope".removeprefix("x"), "nope".removesuffix("x"), "aaa".removeprefix("a"))
print("|".join(w.strip() for w in " a | b |c ".split("|")))
print("\n".join(["line1", "line2"]))
print(repr("".strip()), repr("abc".strip("")), "abc".strip(None))
print("..a..".strip("."), "--==text==--".strip("-="))
print("".join(reversed("stressed")), "".join(sorted("python")))
print(repr(" \t x \n ".lstrip(" \t")), repr("ab\n\n".rstrip("\n")))
words = ["  alpha", "beta  ", " gamma "]
print([w.strip() for w in words], "/".join(w.strip() for w in words))
