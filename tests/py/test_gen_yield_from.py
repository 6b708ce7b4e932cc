# yield from: delegation to sub-generators and iterables, return value of yield from, nested delegation
def inner():
    yield 1
    yield 2
    return "inner-done"
def outer():
    result = yield from inner()
    print("inner returned", result)
    yield 3
    return "outer-done"
print(list(outer()))
def chain(*iterables):
    for it in iterables:
        yield from it
print(list(chain([1, 2], "ab", range(3), (9,))))
def flatten(x):
    if isinstance(x, list):
        for item in x:
            yield from flatten(item)
    else:
        yield x
print(list(flatten([1, [2, [3, [4]], 5], [[6]]])))
def tree_walk(node, depth=0):
    name, children = node
    yield "  " * depth + name
    for ch in children:
        yield from tree_walk(ch, depth + 1)
tree = ("root", [("a", [("a1", []), ("a2", [])]), ("b", [])])
for line in tree_walk(tree):
    print(line)
def delegating_send():
    got = yield from accumulator()
    yield "total=%d" % got
def accumulator():
    total = 0
    while True:
        v = yield
        if v is None:
            return total
        total += v
g = delegating_send()
next(g)
for v in [1, 2, 3]:
    g.send(v)
print(g.send(None))
def yf_dict():
    yield from {"x": 1, "y": 2}
print(list(yf_dict()))
def gen_ret():
    return 5
    yield
def capture():
    r = yield from gen_ret()
    yield r * 2
print(list(capture()))
def countdown(n):
    if n > 0:
        yield n
        yield from countdown(n - 1)
print(list(countdown(5)))
