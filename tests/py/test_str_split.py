# str.split/rsplit: default whitespace splitting, explicit separators, maxsplit, empty strings, errors
s = "  the quick\tbrown\n fox  "
print(s.split())
print(s.split(" "))
print("a,b,,c".split(","), "a,b,,c".split(",", 1), "a,b,,c".rsplit(",", 1))
print("a b c d".split(None, 2), "a b c d".rsplit(None, 2), "a b c d".rsplit(maxsplit=1))
print("".split(), "".split(","), "   ".split(), " ".split(" "))
print("abc".split("abc"), "xabcx".split("abc"), "aaa".split("a"), "aaa".split("aa"))
print("one::two::three".split("::"), "1<>2<>3".rsplit("<>", 1))
print("no-sep".split(","), "a\nb\r\nc".split("\n"))
print("a b".split(" ", 0), "a b".split(" ", -1), " a b ".split(maxsplit=0))
print("x y z".split(sep=" ", maxsplit=1))
try:
    "abc".split("")
except ValueError as e:
    print(e)
try:
    "abc".split(1)
except TypeError as e:
    print(e)
print("é,ü,ß".split(","), "日本 語".split())
print("key=value=more".partition("="), "key=value=more".rpartition("="), "none".partition("="))
print("a\x0bb\x0cc\x1cd".split())
line = "2024-01-15,alice,42.5"
date, name, score = line.split(",")
print(date.split("-"), name, float(score))
print([w for w in "to be or not to be".split() if len(w) == 2])
print(" ".join("a  b   c".split()))
print("1 2 3".split() == ["1", "2", "3"], len("x,y,z,".split(",")))
print("path/to/file.txt".rsplit("/", 1)[-1].rsplit(".", 1))
