# __hash__ and __eq__: user keys in dicts/sets, __hash__ = None unhashable, default identity hashing, relations only
class Key:
    def __init__(self, k):
        self.k = k
    def __eq__(self, o):
        return isinstance(o, Key) and self.k == o.k
    def __hash__(self):
        return hash(self.k)
    def __repr__(self):
        return "Key(%r)" % self.k
d = {Key("a"): 1, Key("b"): 2}
print(d[Key("a")], Key("b") in d, Key("c") in d)
s = {Key(1), Key(1), Key(2)}
print(len(s))
print(hash(Key("x")) == hash(Key("x")), hash(Key(5)) == hash(5))
class EqOnly:
    def __eq__(self, o):
        return True
print(EqOnly.__hash__ is None)
try:
    hash(EqOnly())
except TypeError as e:
    print(e)
try:
    {EqOnly(): 1}
except TypeError as e:
    print(e)
class Plain:
    pass
p = Plain()
print(hash(p) == hash(p), {p: "v"}[p])
print(hash(1) == hash(1.0) == hash(True), hash(0) == hash(False) == hash(0.0))
print(hash("abc") == hash("ab" + "c"), hash((1, 2)) == hash((1, 2)))
print(hash(2 ** 100) == hash(2 ** 100), type(hash("s")).__name__)
for bad in [[1], {"a": 1}, {1}]:
    try:
        hash(bad)
    except TypeError as e:
        print(e)
try:
    hash((1, [2]))
except TypeError as e:
    print(e)
print(hash(frozenset([1, 2])) == hash(frozenset([2, 1])))
class Inherit(Key):
    pass
print({Inherit("q"): 1}.get(Key("q")), Inherit("q") == Key("q"))
class BadHash:
    def __hash__(self):
        return "nope"
try:
    hash(BadHash())
except TypeError as e:
    print(e)
class SmallHash:
    def __hash__(self):
        return 12345
print(hash(SmallHash()) == hash(SmallHash()))
d2 = {1: "int"}
d2[1.0] = "float"
d2[True] = "bool"
print(d2)
print(hash(None) == hash(None), hash(-7) == hash(-7.0))
