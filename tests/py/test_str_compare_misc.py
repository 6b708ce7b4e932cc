# misc str operations: comparison order, concatenation/repetition, str() of objects, ord/chr ranges, multiplication edge cases
print("apple" < "banana", "Apple" < "apple", "a" < "aa", "" < " ", "Z" < "a", "é" > "z")
print(sorted(["banana", "Apple", "cherry", "apple", "Banana"]), sorted("hello world"))
print(sorted(["b", "a", "C"], key=str.lower), max(["aa", "b", "ab"]), min("hello"))
print("ab" * 3, 3 * "ab", "ab" * 0, "ab" * -1, "" * 100)
print("con" + "cat", "a" + "b" * 2, ("x" + "y") * 2)
try:
    "a" + 1
except TypeError as e:
    print(e)
try:
    "a" * 1.5
except TypeError as e:
    print(e)
try:
    "a" * "b"
except TypeError as e:
    print(e)
print(str(123), str(-1.5), str([1, "a"]), str((1,)), str({"k": "v"}), str(b"by"))
print(repr("quote'd"), repr('dbl"q'), repr("both'\""), repr("\\back"), repr("tab\t"))
print("abc" == "abc", "abc" != "abd", "a" in "abc")
s = "immutable"
t = s
s += "!"
print(s, t)
print(str.upper("x"), str.join("-", ["a", "b"]), "x".__len__(), "ab".__contains__("b"))
print("%s" % "abc"[::-1], "abc"[1:2] * 3, "abcdef"[1::2], "abcdef"[-1::-2])
print(list(map(str.strip, [" a ", "b "])), list(map(len, ["", "ab"])))
print("a,b".split(",") + ["c"], tuple("abc"), set("aab") == {"a", "b"})
print(str(), repr(str()), len(str()))
print("Python"[0] + "Python"[-1], "Python"[1:-1].upper())
print(ord("a"), ord("A"), ord("0"), ord(" "), chr(97), chr(65) + chr(48))
