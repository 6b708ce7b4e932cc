# generators: yield, lazy evaluation, exhaustion, StopIteration from next(), generator state, infinite generators
def count_up(n):
    print("start")
    i = 0
    while i < n:
        yield i
        i += 1
    print("end")
g = count_up(3)
print(type(g).__name__)
print(next(g))
print(next(g))
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("StopIteration", e.value)
print(list(g))
print(list(count_up(2)))
def naturals():
    n = 0
    while True:
        yield n
        n += 1
nat = naturals()
print([next(nat) for _ in range(5)])
def take(gen, k):
    out = []
    for v in gen:
        if len(out) == k:
            break
        out.append(v)
    return out
print(take(naturals(), 4))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
print(take(fib(), 12))
def gen_with_local_state():
    total = 0
    for x in [5, 10, 15]:
        total += x
        yield total
print(list(gen_with_local_state()))
g2 = count_up(1)
print(iter(g2) is g2)
def empty():
    return
    yield
print(list(empty()))
def yields_none():
    yield
    yield
print(list(yields_none()))
def multiple_yields():
    yield "a"
    yield "b"
    for c in "cd":
        yield c
print("".join(multiple_yields()))
print(sum(x * x for x in range(10)))
def gen_expr_in_gen():
    yield from (i * 3 for i in range(3))
print(list(gen_expr_in_gen()))
print(next(naturals(), "default"), next(empty(), "default"))
def pairs(seq):
    it = iter(seq)
    for a in it:
        yield a, next(it, None)
print(list(pairs([1, 2, 3, 4, 5])))
