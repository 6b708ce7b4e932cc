# comprehension scopes: iteration variable isolation, class body access rules, closures capturing comprehension vars
i = "module i"
print([i for i in range(2)], i)
def f():
    x = "local x"
    r = [x for x in "ab"]
    return r, x
print(f())
class C:
    data = [1, 2, 3]
    squares = [d * d for d in data]
    try:
        scaled = [d * factor for d in data for factor in (2,)]
    except NameError as e:
        scaled = str(e)
print(C.squares, C.scaled)
class D:
    k = 10
    try:
        bad = [k for _ in range(2)]
    except NameError as e:
        bad = "NameError: " + str(e)
print(D.bad)
fs = [lambda: v for v in range(3)]
print([f() for f in fs])
fs2 = [(lambda v=v: v) for v in range(3)]
print([f() for f in fs2])
def outer():
    n = 5
    return [n * m for m in range(3)]
print(outer())
def nested_scope():
    base = 100
    return [[base + a + b for b in range(2)] for a in range(2)]
print(nested_scope())
y = 1
r = [y := y + 1 for _ in range(3)]
print(r, y)
def walrus_in_comp():
    hits = [last := v for v in range(5) if v % 2]
    return hits, last
print(walrus_in_comp())
x = 10
gen = (x for _ in range(2))
x = 20
print(list(gen))
first = [1, 2]
gen2 = (a for a in first)
first = [9, 9]
print(list(gen2))
print([[i for i in range(j)] for j in range(3)])
