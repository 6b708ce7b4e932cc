# Reference counts through the loop's fast paths that test immortality first
# (ints in comparisons, arithmetic and subscripts; constants; a discarded
# statement value; a local's old value; `and` / `or`): mortal objects are
# counted exactly there, and die at once when the last reference goes.
import sys


def count(o):
    return sys.getrefcount(o) - 1   # minus getrefcount's argument


class Noisy:
    def __init__(self, name, truth=True):
        self.name = name
        self.truth = truth

    def __bool__(self):
        return self.truth

    def __del__(self):
        print("del", self.name)


# big ints made at run time: mortal, one reference each (the name)
big = int("1000007")
other = int("2000011")
print(count(big), count(other))
for _ in range(50):
    if big < other:
        pass
    flag = big == other
    small = other - big - 1000003   # a small result from two mortal operands
    total = big + other
    total = big + 1                 # the mostly-small constant operand
    total += 1                      # in place: the temporary takes the result
print(count(big), count(other), small, total, flag)

# subscripts with mortal and small int indices
items = list(range(10))
tup = tuple(range(10))
idx = int("7")
far = int("1000000000000")
for _ in range(50):
    a = items[idx]
    b = tup[idx]
    c = items[3] + tup[-2]
    try:
        items[far]
    except IndexError:
        pass
    try:
        tup[far]
    except IndexError:
        pass
print(a, b, c, count(far))

# constants: mortal ones (str, float, tuple, big int) keep their counts
def consts():
    return "a str constant", 2.5, (1, "x"), 10 ** 20, None, 7


before = [count(c) for c in consts.__code__.co_consts if c is not None]
for _ in range(100):
    r = consts()
del r
after = [count(c) for c in consts.__code__.co_consts if c is not None]
print(before == after)


# a statement's value is dropped at once (POP_TOP)
def make(name):
    return Noisy(name)


make("statement value")
print("after the statement")
None
make  # a function object, dropped
print(count(make))

# `and` / `or` pop their left operand: immortal ones (True, False, None)
# and mortal ones (freed at once)
x = Noisy("falsy left", truth=False) or "right"
print(x)
y = Noisy("truthy left") and 5
print(y)
z = None or False or 0 or "last"
w = True and None
print(z, w)


# a local's old value (STORE_FAST) is dropped when the local is rebound
def rebind():
    x = Noisy("old local")
    x = 5
    print("rebound", x)
    x = None
    n = int("123456789")
    for i in range(3):
        n = n + i   # mortal old values
    print(n, count(n))


rebind()

v = Noisy("kept", truth=False) and 1
print(v.name)
del v
print("end")
