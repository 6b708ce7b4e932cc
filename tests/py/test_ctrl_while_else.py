# while loops: else clause runs only without break, nested whiles, counters, while True with break
i = 0
while i < 5:
    i += 1
else:
    print("else ran, i =", i)
i = 0
while i < 5:
    if i == 3:
        break
    i += 1
else:
    print("not printed")
print("broke at", i)
n = 0
while n < 0:
    print("never")
else:
    print("else on zero iterations")
a, b = 0, 1
fib = []
while a < 100:
    fib.append(a)
    a, b = b, a + b
print(fib)
count = 0
while True:
    count += 1
    if count >= 7:
        break
print(count)
outer = 0
res = []
while outer < 3:
    inner = 0
    while inner < 3:
        if inner == outer:
            inner += 1
            continue
        res.append((outer, inner))
        inner += 1
    outer += 1
print(res)
def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps
print([collatz(k) for k in range(1, 15)])
stack = [1, 2, 3]
while stack:
    print("pop", stack.pop())
def find(seq, target):
    idx = 0
    while idx < len(seq):
        if seq[idx] == target:
            break
        idx += 1
    else:
        return -1
    return idx
print(find("hello", "l"), find("hello", "z"))
