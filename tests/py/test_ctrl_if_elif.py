# if/elif/else chains, truthiness of values in conditions, nested ifs
def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    elif n < 100:
        return "medium"
    else:
        return "large"
for v in [-5, 0, 3, 42, 1000]:
    print(v, classify(v))
for val in [0, 1, "", "a", [], [0], {}, {"k": 1}, None, 0.0, 0.1, (), (0,), range(0), range(1)]:
    if val:
        print(repr(val), "truthy")
    else:
        print(repr(val), "falsy")
def fizz(i):
    if i % 15 == 0:
        return "FizzBuzz"
    elif i % 3 == 0:
        return "Fizz"
    elif i % 5 == 0:
        return "Buzz"
    return str(i)
print(" ".join(fizz(i) for i in range(1, 21)))
x = 5
if x > 3:
    if x > 4:
        print("x>4")
    else:
        print("3<x<=4")
else:
    print("x<=3")
if not x:
    print("not x")
elif not not x:
    print("double not")
if x == 5 and x != 6 or False:
    print("combo")
if (lambda: False)():
    print("never")
else:
    print("lambda false")
