# uncaught StopIteration from next() on an exhausted iterator at module level (last line: StopIteration)
it = iter([1, 2, 3])
print(next(it))
print(next(it))
print(next(it))
print(next(it, "default"))
g = (x * x for x in range(3))
print(list(g))
print(next(g, None))
try:
    next(g)
except StopIteration:
    print("caught StopIteration")
def gen():
    yield "only"
gi = gen()
print(next(gi))
print("a")
print("b")
print("now uncaught")
next(gi)
print("never")
