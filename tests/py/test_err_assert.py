# uncaught AssertionError with a message (last line: AssertionError: values must be sorted)
print("setup step 1", 1 * 1)
print("setup step 2", 2 * 2)
def is_sorted(xs):
    return all(a <= b for a, b in zip(xs, xs[1:]))
samples = [[1, 2, 3], [], [5], [1, 1, 2]]
for s in samples:
    assert is_sorted(s), "values must be sorted"
    print(s, "ok")
try:
    assert is_sorted([2, 1]), "caught"
except AssertionError as e:
    print("caught:", e)
print("checks passed so far")
values = [3, 1, 2]
print(values)
print(sorted(values))
print(is_sorted(values))
print("about to fail")
assert is_sorted(values), "values must be sorted"
print("never")
