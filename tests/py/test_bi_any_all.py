# any/all: empty iterables, short-circuiting on generators, truthiness of mixed values, nested usage
print(any([]), all([]), any([0, 0]), all([1, 1]), any([0, 1]), all([1, 0]))
print(any(""), all(""), any("a"), all([[], [1]]), any([[], [1]]), all(["a", " "]))
print(any([None, False, 0.0, "", (), {}]), all([1, -1, "0", [0], (None,)]))
seen = []
def check(v):
    seen.append(v)
    return v > 2
print(any(check(v) for v in [1, 2, 3, 4, 5]), seen)
seen.clear()
print(all(check(v) for v in [3, 4, 1, 5]), seen)
print(any(x % 7 == 0 for x in range(1, 7)), all(x < 10 for x in range(10)))
words = ["apple", "avocado", "apricot"]
print(all(w.startswith("a") for w in words), any(w.endswith("t") for w in words))
grid = [[1, 2], [3, 0]]
print(all(all(row) for row in grid), any(any(row) for row in grid), all(any(row) for row in grid))
try:
    any(5)
except TypeError as e:
    print(e)
try:
    all(None)
except TypeError as e:
    print(e)
class Truthy:
    def __bool__(self):
        print("bool evaluated")
        return True
print(all([Truthy(), Truthy()]), any([Truthy(), Truthy()]))
print(any(iter([0, 0, 1])), all(iter([])), any({0: "a", 1: "b"}), all({0: "a"}))
def is_prime(n):
    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))
print([n for n in range(30) if is_prime(n)])
print(type(any([])).__name__, any(range(0)), all(range(1, 5)))
