# generator expressions vs comprehensions: memory-free iteration, consumption by builtins, in function calls
nums = [3, 1, 4, 1, 5, 9, 2, 6]
print(sum(n for n in nums))
print(sum((n for n in nums), 100))
print(max(n for n in nums if n % 2 == 0))
print(min((n for n in nums), default=None))
print(min((n for n in []), default="empty"))
print(list(reversed([n for n in nums])))
print(sorted(n for n in nums))
print(tuple(n * 2 for n in nums))
print(" ".join(str(n) for n in nums))
print(any(n > 8 for n in nums), all(n > 0 for n in nums))
g = (n for n in nums)
print(next(g), next(g), list(g))
print(len([n for n in nums if n > 2]))
print(dict((str(n), n) for n in nums[:3]))
print(list(zip((a for a in "abc"), (b for b in range(10)))))
print(list(enumerate(x * x for x in range(4))))
print(list(map(str, (x for x in range(3)))))
print("".join(sorted(set(c for c in "mississippi"))))
total = 0
for v in (n * n for n in range(5)):
    total += v
print(total)
print(list(x for x in range(3)) == [x for x in range(3)])
print(sum(1 for line in "a\nb\nc".splitlines()))
it = iter(n for n in range(4))
print(list(it), list(it))
print(sum(x for x in range(10 ** 5)))
