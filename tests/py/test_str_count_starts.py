# str.count, startswith/endswith with tuples and ranges, in operator, len of various strings
s = "banana bandana"
print(s.count("a"), s.count("an"), s.count("ana"), s.count("z"), s.count(""), "".count(""))
print(s.count("a", 5), s.count("a", 0, 6), s.count("a", -4))
print(s.startswith("ban"), s.startswith("and"), s.startswith("and", 2), s.startswith(("x", "b")))
print(s.endswith("ana"), s.endswith("nan"), s.endswith("ban", 0, 3), s.endswith(("x", "y")))
print(s.startswith(""), s.endswith(""), "".startswith(""), "".startswith("a"))
try:
    s.startswith(["b"])
except TypeError as e:
    print(e)
print("ana" in s, "xyz" not in s, "" in s)
print(len(""), len("abc"), len("é"), len("日本語"), len("😀😀"), len("\n\t"))
files = ["a.py", "b.txt", "c.PY", "readme", "d.pyc"]
print([f for f in files if f.endswith(".py")], [f for f in files if f.lower().endswith((".py", ".txt"))])
print("aaaa".count("aa"), "abababa".count("aba"))
print("日本日本".count("日本"), "ééé".count("é"))
print("Hello".startswith("h"), "Hello".lower().startswith("h"))
url = "https://example.org/path"
print(url.startswith(("http://", "https://")), url.endswith("/path", 0, len(url)))
print(sum(1 for c in "hello world" if c in "aeiou"), "hello world".count("o"))
