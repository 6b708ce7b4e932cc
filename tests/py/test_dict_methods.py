# dict methods: get, setdefault, pop, popitem (LIFO), update (all forms), fromkeys, copy, clear
d = {"a": 1}
print(d.get("a"), d.get("z"), d.get("z", 0), d)
print(d.setdefault("b", []), d.setdefault("a", 99), d)
d.setdefault("b", []).append("x")
print(d)
print(d.setdefault("c"), d)
print(d.pop("c"), d.pop("zz", "dflt"), d)
try:
    d.pop("zz")
except KeyError as e:
    print("KeyError", e)
d.update({"x": 10}, y=20)
d.update([("z", 30)])
d.update(w=0)
print(d)
print(d.popitem(), d.popitem(), d)
try:
    {}.popitem()
except KeyError as e:
    print("KeyError", e)
print(dict.fromkeys("abc"), dict.fromkeys(["k1", "k2"], 0), dict.fromkeys(range(3), "v"))
shared = dict.fromkeys("ab", [])
shared["a"].append(1)
print(shared)
c = d.copy()
c["a"] = "changed"
print(d["a"], c["a"], c is d, c == d)
nested = {"k": [1]}
nc = nested.copy()
nc["k"].append(2)
print(nested)
d.clear()
print(d, len(d))
try:
    d.update(5)
except TypeError as e:
    print(e)
try:
    d.update([1, 2])
except TypeError as e:
    print(e)
inventory = {}
for item, qty in [("apple", 3), ("pear", 2), ("apple", 5)]:
    inventory[item] = inventory.get(item, 0) + qty
print(inventory)
groups = {}
for word in ["ant", "bee", "ape", "bat", "cow"]:
    groups.setdefault(word[0], []).append(word)
print(groups)
print({"a": 1}.get("a", 2), {}.get(None), {None: 5}.get(None))
