# f-strings: !r, !s, !a conversions, combined with format specs; str() vs repr() of user classes
s = "hé\n"
print(f"{s!r}")
print(f"{s!s}")
print(f"{s!a}")
print(f"{'x'!r:>8}")
print(f"{42!r}")
print(f"{42!s:>5}")
print(f"{[1, 'a']!r}")
print(f"{[1, 'a']!s}")
print(f"{'€'!a}")
class C:
    def __repr__(self):
        return "C-repr"
    def __str__(self):
        return "C-str"
c = C()
print(f"{c}")
print(f"{c!r}")
print(f"{c!s}")
print(f"{c!a}")
print(f"{c!r:>10}|")
class D:
    def __repr__(self):
        return "Dé"
print(f"{D()}")
print(f"{D()!a}")
print(f"{None!r}")
print(f"{b'ab'!r}")
print(f"{b'ab'}")
print(f"{1.5!s}")
print(f"{'q'!r}{'q'!s}")
print(str(c), repr(c), ascii(c))
print("{!r}".format("x"), "{!s}".format("x"), "{!a}".format("é"))
print(f"{(1, 'a')!r}")
