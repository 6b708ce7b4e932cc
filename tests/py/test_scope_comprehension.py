# comprehension scopes: loop variables do not leak, closures over comprehension variables, nested
x = "outer"
lst = [x for x in range(3)]
print(lst, x)
s = {x for x in "abc"}
print(sorted(s), x)
d = {x: x * 2 for x in range(2)}
print(d, x)
g = list(x for x in "yz")
print(g, x)
def f():
    y = 10
    return [y + i for i in range(3)]
print(f())
def g2():
    fs = [lambda: i for i in range(3)]
    return [fn() for fn in fs]
print(g2())
matrix = [[1, 2], [3, 4]]
print([[row[i] for row in matrix] for i in range(2)])
print([a * b for a in range(3) for b in range(3) if a != b])
n = 5
print([n for _ in range(2)])
def uses_walrus():
    data = [1, 5, 9, 2]
    if any((big := v) > 4 for v in data):
        return big
print(uses_walrus())
total = 0
results = [total := total + v for v in range(5)]
print(results, total)
def cond():
    return [i for i in range(10) if i % 2 if i > 3]
print(cond())
outer_list = [1, 2]
print([[x, y] for x in outer_list for y in [x * 10, x * 100]])
i = "keep"
_ = [i for i in range(3)]
print(i)
print({k: [v for v in range(k)] for k in range(4)})
