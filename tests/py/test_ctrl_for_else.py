# for loops: over lists, strings, dicts, ranges; else clause; loop variable after loop; modification
for x in [1, 2, 3]:
    print("item", x)
else:
    print("done, x =", x)
for ch in "abc":
    print(ch, end=" ")
print()
for k in {"one": 1, "two": 2}:
    print(k)
for k, v in {"one": 1, "two": 2}.items():
    print(k, v)
def primes(n):
    out = []
    for cand in range(2, n):
        for d in range(2, cand):
            if cand % d == 0:
                break
        else:
            out.append(cand)
    return out
print(primes(40))
for i in range(0):
    print("never")
else:
    print("empty loop else")
for i in range(10, 0, -3):
    print(i, end=",")
print()
total = 0
for i in range(101):
    total += i
print(total)
for i, ch in enumerate("xyz"):
    print(i, ch)
for a, b in zip([1, 2, 3], "pq"):
    print(a, b)
words = ["apple", "bob", "kayak", "level", "python"]
for w in words:
    if w == w[::-1]:
        print("palindrome", w)
        break
else:
    print("none")
lst = [1, 2, 3]
for item in lst[:]:
    lst.append(item * 10)
print(lst)
for x in (1, 2), (3, 4):
    print(x)
for _ in range(2):
    for _ in range(2):
        print("nested")
for i in range(3):
    i = 100
print(i)
