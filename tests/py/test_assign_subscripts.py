# assignment: subscripts on lists, dicts, nested containers; negative indexes; augmented subscripts
lst = [0, 1, 2, 3, 4]
lst[0] = "zero"
lst[-1] = "last"
print(lst)
d = {}
d["a"] = 1
d[2] = "two"
d[(1, 2)] = "tuple key"
print(d)
d["a"] += 100
print(d["a"])
m = [[0] * 3 for _ in range(3)]
m[1][2] = 5
m[2][0] = 7
print(m)
nested = {"k": [1, {"deep": 0}]}
nested["k"][1]["deep"] = "set"
print(nested)
counts = {}
for ch in "abracadabra":
    counts[ch] = counts.get(ch, 0) + 1
print(sorted(counts.items()))
lst[1] *= 10
print(lst)
i = 2
lst[i] = lst[i] + 1
print(lst)
keys = ["x", "y"]
vals = {}
for k in keys:
    vals[k] = k * 2
print(vals)
a = [1, 2, 3]
a[0], a[2] = a[2], a[0]
print(a)
grid = {}
grid[0, 0] = "origin"
grid[1, -1] = "se"
print(grid[0, 0], grid[(1, -1)], sorted(grid))
s = [10, 20, 30]
s[True] = "idx one"
print(s)
