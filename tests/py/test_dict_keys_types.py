# dict keys of many types: numeric equality unifies keys, str/bytes distinct, tuples, None, user objects, unhashable errors
d = {}
d[1] = "int"
d[1.0] = "float"
d[True] = "bool"
print(d, list(d))
d2 = {0: "zero", False: "false", 0.0: "f0", -0.0: "negzero"}
print(d2)
print({"a": 1, b"a": 2}, len({"a": 1, b"a": 2}))
print({(1, 2): 1, (1, 2.0): 2}, {(1, (2, 3)): "nested"}[(1, (2, 3))])
print({None: "none"}[None], {...: "ellipsis"}[...])
class K:
    pass
k1, k2 = K(), K()
dk = {k1: 1, k2: 2}
print(dk[k1], dk[k2], len(dk))
print({int: "type key", str: "s"}[int], {len: "fn"}[len])
for bad in [[], {}, set(), [1, 2]]:
    try:
        {bad: 1}
    except TypeError as e:
        print(e)
try:
    {(1, [2]): 1}
except TypeError as e:
    print(e)
print({frozenset({1, 2}): "fs"}[frozenset({2, 1})])
print({2 ** 64: "big", 2.0 ** 64: "big float"})
print({"é": 1, "e\u0301": 2}, len({"é": 1, "e\u0301": 2}))
nan = float("nan")
dn = {nan: 1}
print(dn[nan], float("nan") in dn)
print({1: "a"}.get(1.0), {"1": "s"}.get(1), {(): "empty tuple"}[()])
print(sorted({3: "c", 1: "a", 2: "b"}.items()), max({1: "z", 5: "a"}))
keys = [1, "1", 1.5, (1,), None, True, b"1"]
dd = {k: repr(k) for k in keys}
print(len(dd), dd)
