# big int workloads: factorials (50!, 100!), binomials, digit sums, fibonacci of 300, exact division
def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r
print(fact(50))
print(fact(100))
print(len(str(fact(100))), sum(int(d) for d in str(fact(100))))
print(fact(30) // fact(28), fact(25) % 1000000007)
def binom(n, k):
    return fact(n) // (fact(k) * fact(n - k))
print(binom(100, 50), binom(60, 30))
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
print(fib(300))
print(fib(100) * fib(101) - fib(102) * fib(99))
print(str(fact(40))[-12:], str(fact(40)).count("0"))
catalan = [binom(2 * n, n) // (n + 1) for n in range(25)]
print(catalan[-3:])
n = fact(20)
digits = []
while n:
    n, d = divmod(n, 10)
    digits.append(d)
print(digits[::-1])
print(fact(25) == 15511210043330985984000000)
print(2 ** 127 - 1 == int("170141183460469231731687303715884105727"))
def isqrt(n):
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x
print(isqrt(10 ** 40), isqrt(fact(30)), isqrt(2 * 10 ** 50))
print(fact(22) / fact(20), fact(21) // 21 == fact(20))
