# generator expressions: laziness, single use, as call arguments, nested, with conditions, first iterable evaluated eagerly
g = (x * x for x in range(5))
print(type(g).__name__)
print(list(g))
print(list(g))
print(sum(i for i in range(100)))
print(max(len(w) for w in ["a", "abc", "ab"]))
print(sorted((c for c in "hello"), reverse=True))
print(any(x > 3 for x in [1, 2, 5]), all(x > 0 for x in [1, -1]))
print(list((x, y) for x in range(3) for y in range(x)))
print(list(x for x in range(20) if x % 3 == 0 if x % 2 == 0))
calls = []
def src():
    calls.append("src")
    return [1, 2, 3]
lazy = (v * 10 for v in src())
print(calls)
print(next(lazy), calls)
print(list(lazy))
def noisy(v):
    print("computing", v)
    return v
gen = (noisy(v) for v in range(3))
print("created")
for item in gen:
    print("got", item)
nested = ((i, (j for j in range(i))) for i in range(3))
print([(i, list(js)) for i, js in nested])
print(dict((k, k * 2) for k in "ab"))
print(tuple(str(n) for n in range(4)))
print(set(x % 3 for x in range(10)) == {0, 1, 2})
print("".join(ch.upper() for ch in "gen"))
try:
    list(1 / x for x in [1, 0])
except ZeroDivisionError as e:
    print("error inside genexp:", e)
try:
    (x for x in 5)
except TypeError as e:
    print("eager first iterable:", e)
print(min((abs(v - 10), v) for v in [3, 8, 14, 11]))
