# conditional expressions: nesting, laziness of the untaken branch, in arguments, lambdas, comprehensions
def sign(x):
    return "pos" if x > 0 else "neg" if x < 0 else "zero"
print([sign(v) for v in [5, -2, 0]])
calls = []
def a():
    calls.append("a")
    return "A"
def b():
    calls.append("b")
    return "B"
print(a() if True else b(), calls)
print(a() if False else b(), calls)
x = 5
print("big" if x > 10 else "small")
print((1 if x else 2) + 10)
print(1 if x else 2 + 10)
print([("even" if i % 2 == 0 else "odd") for i in range(4)])
f = lambda n: n if n < 2 else n * 2
print(f(1), f(5))
print("yes" if [] else "no", "yes" if [0] else "no")
print(max(3, 7) if x else min(3, 7))
print((lambda: "t")() if x == 5 else None)
val = None
print(val if val is not None else "default")
print(str(x) + ("!" if x > 3 else "?"))
grade = lambda s: "A" if s >= 90 else "B" if s >= 80 else "C" if s >= 70 else "F"
print([grade(s) for s in [95, 85, 75, 10]])
print(x if x > 100 else (x * 2 if x > 2 else x * 3))
print(0 if 0 else "" if "" else None if None else "last")
d = {"k": 1}
print(d["k"] if "k" in d else "missing", d["z"] if "z" in d else "missing")
print(1 / x if x else float("inf"))
