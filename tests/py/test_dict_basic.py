# dict basics: creation forms, lookup, KeyError, membership, len, update via assignment, del, equality, repr
d = {"a": 1, "b": 2}
print(d, len(d), d["a"], "a" in d, "z" not in d, 1 in d)
print(dict(), dict(x=1, y=2), dict([("k", "v"), ("k2", "v2")]), dict({"m": 1}, n=2), dict(zip("ab", [1, 2])))
try:
    d["missing"]
except KeyError as e:
    print("KeyError", e, repr(e))
try:
    d[[1]]
except TypeError as e:
    print(e)
d["c"] = 3
d["a"] = 100
print(d)
del d["b"]
print(d, list(d))
print({1: "int", 1.5: "float", "s": "str", (1,): "tuple", None: "none", True: "bool?"})
print({"x": [1, 2], "y": {"z": 3}}["y"]["z"])
print({"a": 1, "b": 2} == {"b": 2, "a": 1}, {"a": 1} != {"a": 2}, {} == dict())
try:
    {"a": 1} < {"b": 2}
except TypeError as e:
    print(e)
print(repr({}), str({1: "one"}), repr({"q": "'"}), {"nested": {"d": {}}})
d2 = {}
for word in "the cat and the hat and the bat".split():
    d2[word] = d2.get(word, 0) + 1
print(d2)
print(sorted(d2, key=d2.get, reverse=True)[:2])
print(bool({}), bool({0: 0}), len({i: i for i in range(100)}))
dk = {(1, 2): "tuple key", frozenset([1]): "frozenset key", 2 ** 70: "big"}
print(dk[(1, 2)], dk[frozenset([1])], dk[2 ** 70])
print(list({"b": 1, "a": 2, "c": 3}), list(dict.fromkeys("hello")))
try:
    dict([1, 2])
except TypeError as e:
    print(e)
try:
    dict([("a", 1, 2)])
except ValueError as e:
    print(e)
print(dict(a=1) | {"b": 2}, {"a": 1} | {"a": 9})
d3 = {"x": 1}
d3 |= {"y": 2}
print(d3)
