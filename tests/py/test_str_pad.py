# str padding/alignment: center/ljust/rjust with fill chars, zfill with signs, expandtabs
for w in [5, 6, 7, 2]:
    print(repr("abc".center(w)), repr("abc".ljust(w)), repr("abc".rjust(w)))
print("abc".center(9, "*"), "abc".ljust(6, "-"), "abc".rjust(6, "0"))
print("ab".center(5, "."), "ab".center(6, "."), "a".center(4, "."), "".center(3, "x"))
print("42".zfill(5), "-42".zfill(5), "+42".zfill(5), "abc".zfill(5), "12345".zfill(3), "".zfill(2))
print("-".zfill(3), "3.14".zfill(7), "-0.5".zfill(6))
try:
    "x".center(5, "ab")
except TypeError as e:
    print(e)
print("a\tb\tc".expandtabs(), "a\tb".expandtabs(4), "ab\tc\td".expandtabs(3), repr("\t".expandtabs(2)))
print("é".center(5, "€"), "日本".rjust(4, "・"))
table = [("name", "qty", "price"), ("apple", 3, 1.5), ("kiwi", 12, 0.25)]
for row in table:
    print(str(row[0]).ljust(8) + "|" + str(row[1]).rjust(5) + "|" + str(row[2]).center(7) + "|")
print("%-6s|%6s|%06d|%-6d|" % ("ab", "cd", 42, 42))
print("{:<6}|{:>6}|{:^6}|{:*^7}|".format("l", "r", "c", "s"))
for i in range(1, 5):
    print(("*" * (2 * i - 1)).center(9))
print(repr("x".ljust(0)), repr("x".rjust(-1)), repr("x".center(1)))
