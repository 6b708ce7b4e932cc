# set comprehensions: deduplication, filters, membership; printed via sorted() for deterministic output
s = {x % 5 for x in range(20)}
print(type(s).__name__, sorted(s), len(s))
print(sorted({c.lower() for c in "Hello World" if c.isalpha()}))
print(sorted({len(w) for w in "a bb cc ddd e".split()}))
print(sorted({(x, y) for x in range(3) for y in range(3) if x < y}))
print(sorted({x * y for x in range(4) for y in range(4)}))
evens = {n for n in range(20) if n % 2 == 0}
threes = {n for n in range(20) if n % 3 == 0}
print(sorted(evens & threes), sorted(evens | threes)[:5], sorted(evens - threes))
print(6 in evens, 7 in evens)
print(sorted({s.strip() for s in [" a", "a ", "b", " b "]}))
print({x for x in []} == set(), len({1 for _ in range(10)}))
print(sorted({frozenset({1, 2}) == frozenset({2, 1}), True}))
words = ["apple", "avocado", "banana", "blueberry", "cherry"]
print(sorted({w[0] for w in words}))
print(sorted({w[0]: w for w in words}.values()))
print(sorted({abs(x) for x in range(-5, 6)}))
print(sorted({n for n in range(2, 50) if all(n % d for d in range(2, n))}))
nested = [[1, 2], [2, 3], [3, 4]]
print(sorted({v for pair in nested for v in pair}))
print(sorted({str(i) * 2 for i in range(3)}))
print(sorted({round(x / 3, 1) for x in range(6)}))
