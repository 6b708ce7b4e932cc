# functions: return values, implicit None, early return, multiple values, returning functions
def nothing():
    pass
print(nothing())
def bare():
    return
print(bare())
def pair():
    return 1, 2
print(pair(), type(pair()).__name__)
a, b = pair()
print(a, b)
def early(x):
    if x < 0:
        return "neg"
    for i in range(x):
        if i == 3:
            return "found 3"
    return "end"
print(early(-1), early(10), early(2))
def make_adder(n):
    def add(x):
        return x + n
    return add
add5 = make_adder(5)
print(add5(10), make_adder(1)(1))
def returns_list():
    return [i for i in range(4)]
print(returns_list())
def returns_dict():
    return {"k": "v"}
print(returns_dict()["k"])
def abs_val(x):
    return x if x >= 0 else -x
print(abs_val(-3), abs_val(3))
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(10), fact(25))
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
print([fib(i) for i in range(15)])
def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))
print(ackermann(2, 3))
def hanoi(n, a="A", b="B", c="C"):
    if n == 0:
        return []
    return hanoi(n - 1, a, c, b) + [(a, c)] + hanoi(n - 1, b, a, c)
print(len(hanoi(10)), hanoi(2))
def returns_self_name():
    return returns_self_name.__name__
print(returns_self_name())
