# dict ordering: insertion order preserved through updates, deletes and re-inserts; comprehension and copy order
d = {}
for k in ["z", "a", "m", "b"]:
    d[k] = len(d)
print(list(d), list(d.values()))
d["a"] = "updated"
print(list(d.items()))
del d["z"]
d["z"] = "back"
print(list(d))
d.pop("m")
d["m"] = 1
print(list(d))
print(list({3: "c", 1: "a", 2: "b"}))
print(list(dict([("q", 1), ("p", 2), ("q", 3)]).items()))
print(list({k: None for k in "banana"}))
c = d.copy()
print(list(c) == list(d))
merged = {"x": 1, "y": 2}
merged.update({"a": 3, "x": 4})
print(merged)
print({**{"b": 1, "a": 2}, **{"c": 3, "b": 4}})
big = {}
for i in range(1000):
    big[(i * 37) % 1000] = i
print(list(big)[:10], list(big)[-3:])
for i in range(0, 1000, 2):
    del big[i]
print(list(big)[:10], len(big))
for i in range(0, 20, 2):
    big[i] = "again"
print(list(big)[-5:])
print(list(reversed({"one": 1, "two": 2, "three": 3})))
it = iter({"first": 1, "second": 2})
print(next(it), next(it))
print(list(dict.fromkeys([5, 3, 5, 1, 3])))
print({1: 1, 2: 2} == {2: 2, 1: 1}, list({1: 1, 2: 2}) == list({2: 2, 1: 1}))
