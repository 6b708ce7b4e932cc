# uncaught RecursionError from unbounded recursion (last line: RecursionError: maximum recursion depth exceeded)
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(10))
print(fact(20))
print(fact(100) > 10 ** 150)
def countdown(n):
    if n == 0:
        return "liftoff"
    return countdown(n - 1)
print(countdown(50))
print(countdown(500))
try:
    countdown(10 ** 6)
except RecursionError:
    print("caught once")
def forever(n):
    return forever(n + 1)
print("now uncaught")
print(len([1, 2, 3]))
forever(0)
print("never")
