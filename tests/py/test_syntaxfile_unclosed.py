# the whole file fails to compile: a bracket opened and never closed (SyntaxError: '(' was never closed)
print("never printed")
data = {
    "a": [1, 2, 3],
    "b": (4, 5),
}
def summary(d):
    return {k: sum(v) for k, v in d.items()}
print(summary(data))
result = max(
    1,
    2,
    3,
)
print(result)
value = compute(
    1,
    2
x = 3
print(x)
print("end")
