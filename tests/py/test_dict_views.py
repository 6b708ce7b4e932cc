# dict views: keys/values/items, live updates, set operations on keys and items views, iteration, len, membership
d = {"a": 1, "b": 2, "c": 3}
k, v, it = d.keys(), d.values(), d.items()
print(k, v, it)
print(list(k), list(v), list(it), len(k), len(v), len(it))
d["d"] = 4
print(list(k), list(v), len(it))
del d["a"]
print(list(k), "a" in k, "b" in k, 3 in v, ("b", 2) in it, ("b", 3) in it)
print(sorted(k & {"b", "z"}), sorted(k | {"z"}), sorted(k - {"b"}), sorted(k ^ {"b", "q"}))
print(sorted(it & {("c", 3), ("x", 0)}), k == {"b", "c", "d"}, k.isdisjoint({"x"}))
print(type(k).__name__, type(v).__name__, type(it).__name__)
for key in d.keys():
    print("key", key)
for val in d.values():
    print("value", val)
for key, val in d.items():
    print("item", key, val)
try:
    for key in d:
        d["new"] = 1
except RuntimeError as e:
    print(e)
d.pop("new", None)
try:
    k[0]
except TypeError as e:
    print(e)
print(list(reversed(d.keys())), list(reversed(d.values())), list(reversed(d.items())))
print(sorted(d.values()), sum(d.values()), max(d.items(), key=lambda kv: kv[1]))
print(list(zip(d.keys(), d.values())) == list(d.items()))
print({}.keys(), list({}.items()), dict(d.items()) == d)
e = {1: "x"}
vals = e.values()
e[2] = "y"
print(list(vals), "y" in vals)
