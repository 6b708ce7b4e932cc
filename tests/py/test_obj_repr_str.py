# __repr__ and __str__: fallback of str to repr, use in containers (repr), print/format/f-strings
class OnlyRepr:
    def __repr__(self):
        return "OnlyRepr()"
class OnlyStr:
    def __str__(self):
        return "only-str"
class Both:
    def __repr__(self):
        return "Both<repr>"
    def __str__(self):
        return "Both<str>"
r, s, b = OnlyRepr(), OnlyStr(), Both()
print(r, str(r), repr(r))
print(s, str(s))
print(b, str(b), repr(b))
print([r, b])
print((b,), {"k": b})
print(f"{b} {b!r}")
print("%s %r" % (b, b))
print("{} {!r}".format(b, b))
print(str([b]) == "[Both<repr>]")
print(repr(s).startswith("<__main__.OnlyStr object at "))
class BadRepr:
    def __repr__(self):
        return 5
try:
    repr(BadRepr())
except TypeError as e:
    print(e)
class Nested:
    def __init__(self, children):
        self.children = children
    def __repr__(self):
        return "Nested(%r)" % (self.children,)
print(Nested([Nested([]), Nested([1, "a"])]))
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __str__(self):
        return "$%d.%02d" % divmod(self.cents, 100)
    def __repr__(self):
        return "Money(%d)" % self.cents
    def __format__(self, spec):
        return format(str(self), spec)
m = Money(12345)
print(m, repr(m), f"[{m:>10}]", [m])
print(str(None), repr(None), str(True), repr("x"), str("x"))
print(repr(1.0), str(1.0), repr(10 ** 20), repr([1.5, "s", None, (1,)]))
class SubStr(str):
    def __repr__(self):
        return "SubStr(" + str.__repr__(self) + ")"
print(repr(SubStr("v")), str(SubStr("v")))
print(repr(int), repr(str), repr(ValueError))
print(repr(OnlyRepr), str(Both))
