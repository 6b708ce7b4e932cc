# str.replace (with count), find/rfind/index/rindex with ranges, errors of index
s = "the cat sat on the mat with the hat"
print(s.replace("the", "a"), s.replace("the", "a", 2), s.replace("at", ""))
print("aaa".replace("a", "bb"), "aaa".replace("aa", "x"), "abc".replace("", "-"), "abc".replace("", "-", 2))
print("abc".replace("x", "y"), "".replace("", "z"), "a.b.c".replace(".", "", -1))
print(s.find("the"), s.find("the", 1), s.find("the", 1, 10), s.find("dog"), s.find(""))
print(s.rfind("the"), s.rfind("the", 0, 20), s.rfind("zz"), s.rfind(""))
print(s.index("cat"), s.rindex("at"), s.index("t", 5), s.index("a", -5))
try:
    s.index("dog")
except ValueError as e:
    print(e)
try:
    s.rindex("dog")
except ValueError as e:
    print(e)
print("héllo wörld".find("w"), "héllo wörld".index("ö"), "日本語テキスト".find("テ"))
print("abcabc".find("c", -2), "abcabc".find("c", 10), "abcabc".rfind("a", -3, -1))
print("mississippi".replace("ss", "SS"), "mississippi".replace("i", "I", 3))
print("x".replace("x", "xx").replace("x", "yx"))
text = "a-b_c d"
for ch in "-_ ":
    text = text.replace(ch, "")
print(text)
print("abc".find("abcd"), "".find(""), "".find("a"), "abc".find("", 3), "abc".find("", 4))
print("tic tac toe".replace(" ", ", "), "1,000,000".replace(",", "_"))
