# StopIteration: next() on exhausted iterators, value attribute, in generators converted to RuntimeError, default
it = iter([])
try:
    next(it)
except StopIteration as e:
    print(type(e).__name__, repr(e), e.value, e.args)
def g():
    yield 1
    return "result"
gen = g()
next(gen)
try:
    next(gen)
except StopIteration as e:
    print(repr(e), e.value)
def bad_gen():
    yield 1
    next(iter([]))
try:
    list(bad_gen())
except RuntimeError as e:
    print(type(e).__name__, e, type(e.__cause__).__name__)
print(next(iter([]), "default"), next(g(), "unused"))
class It:
    def __iter__(self):
        return self
    def __next__(self):
        raise StopIteration(42)
try:
    next(It())
except StopIteration as e:
    print(e.value, str(e))
print(list(It()))
for v in It():
    print("never")
print("loop ended quietly")
def delegate():
    r = yield from g()
    print("delegate got", r)
print(list(delegate()))
try:
    raise StopIteration
except StopIteration as e:
    print(repr(e), e.value)
m = map(int, [])
try:
    next(m)
except StopIteration as e:
    print("map exhausted", e.args)
z = zip([1], [])
try:
    next(z)
except StopIteration:
    print("zip exhausted")
print(issubclass(StopIteration, Exception), issubclass(StopAsyncIteration, Exception))
