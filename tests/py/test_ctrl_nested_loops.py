# nested loops and loop-heavy algorithms: bubble sort, matrix product, pascal triangle, primes sieve
def bubble(a):
    a = list(a)
    n = len(a)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]
                swapped = True
        if not swapped:
            break
    return a
print(bubble([5, 3, 8, 1, 9, 2, 7]))
def matmul(A, B):
    n, m, p = len(A), len(B), len(B[0])
    C = [[0] * p for _ in range(n)]
    for i in range(n):
        for j in range(p):
            s = 0
            for k in range(m):
                s += A[i][k] * B[k][j]
            C[i][j] = s
    return C
print(matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]]))
print(matmul([[1, 2, 3]], [[1], [2], [3]]))
row = [1]
for _ in range(8):
    print(row)
    row = [a + b for a, b in zip([0] + row, row + [0])]
def sieve(n):
    is_p = [True] * (n + 1)
    is_p[0] = is_p[1] = False
    i = 2
    while i * i <= n:
        if is_p[i]:
            for j in range(i * i, n + 1, i):
                is_p[j] = False
        i += 1
    return [i for i, p in enumerate(is_p) if p]
print(sieve(60))
print(len(sieve(10000)))
table = []
for i in range(1, 5):
    table.append(" ".join("%3d" % (i * j) for j in range(1, 6)))
print("\n".join(table))
count = 0
for a in range(1, 20):
    for b in range(a, 20):
        for c in range(b, 30):
            if a * a + b * b == c * c:
                count += 1
                print("triple", a, b, c)
print(count)
