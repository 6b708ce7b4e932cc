# str case methods on ASCII and Latin text: upper/lower/title/capitalize/swapcase, is* predicates
words = ["hello world", "HELLO", "hELLO wORLD", "o'neil mcdonald", "élan vital", "123abc", "", "a1b2 c3", "x-ray y_z"]
for w in words:
    print(repr(w), w.upper(), w.lower(), w.title(), w.capitalize(), w.swapcase())
for s in ["abc", "ABC", "Abc", "aBc", "123", "abc123", "   ", "", "Title Case", "ñ", "A1", "a b"]:
    print(repr(s), s.isalpha(), s.isdigit(), s.isalnum(), s.isupper(), s.islower(), s.isspace(), s.istitle(), s.isdecimal(), s.isnumeric())
print("ab_1".isidentifier(), "1ab".isidentifier(), "".isidentifier(), "café".isidentifier(), "_".isidentifier())
print("abc".isascii(), "é".isascii(), "".isascii(), "\x7f".isascii())
print("Hello World".istitle(), "Hello world".istitle(), "HELLO".istitle(), "A".istitle())
print("\t\n ".isspace(), "a b".isspace(), "\r\x0b\x0c".isspace())
print("abc".isprintable(), "a\nb".isprintable(), "".isprintable())
print("ÀÉÎÕÜ".lower(), "àéîõü".upper(), "ÿ".upper(), "Ça Va".swapcase())
print("hello"[0].upper() + "hello"[1:], " ".join(w.capitalize() for w in "the end".split()))
print("MiXeD".lower() == "mixed", "MiXeD".upper().lower(), "ABC".casefold())
print("they're bill's friends".title(), "3rd place".title(), "hello\tworld".title())
print(sorted(["b", "A", "a", "B"], key=str.casefold), sorted(["b", "A", "a", "B"]))
title = "a tale of two cities"
print(title.title(), title.upper().title(), title.capitalize())
print([c for c in "Hello World" if c.isupper()], [c for c in "a1b2" if c.isdigit()])
print("".upper(), "".title(), "".swapcase() == "", "123".upper())
print("ABC".isupper() and "abc".islower(), "AbC".isupper(), "a1".islower(), "1".islower())
