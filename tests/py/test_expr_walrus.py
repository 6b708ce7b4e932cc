# assignment expressions (:=): in if/while conditions, comprehensions, nested expressions, function args
data = [4, 8, 15, 16, 23, 42]
if (n := len(data)) > 5:
    print("long list of", n)
print(n)
it = iter(data)
total = 0
while (v := next(it, None)) is not None:
    total += v
print(total, v)
print([y for x in data if (y := x * 2) > 30])
print((z := 10) + z)
def f(a):
    return a * 3
print([r for x in range(5) if (r := f(x)) % 2 == 0])
lines = ["a=1", "bad", "c=3"]
parsed = {}
for line in lines:
    if (pos := line.find("=")) >= 0:
        parsed[line[:pos]] = line[pos + 1:]
print(parsed)
print(abs(w := -7), w)
def stats(xs):
    return (s := sum(xs)), s / len(xs)
print(stats([1, 2, 3, 4]))
count = 0
while (count := count + 1) < 5:
    pass
print(count)
if any((hit := x) > 20 for x in data):
    print("first over 20:", hit)
print([(q := i, q * q) for i in range(3)])
x = 1
print(x, (x := 2), x)
def chunk(seq, k):
    out = []
    i = 0
    while (part := seq[i:i + k]):
        out.append(part)
        i += k
    return out
print(chunk("abcdefg", 3))
print([last := i for i in range(3)], last)
