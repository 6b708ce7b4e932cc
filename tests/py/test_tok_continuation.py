# tokenizer: backslash continuation, implicit continuation in brackets, comments inside brackets
total = 1 + \
    2 + \
        3
print(total)
items = [
    1,
    2,  # a comment inside a list
    3,
]
print(items)
d = {
    "a": 1,
    "b": (
        2,
        3
    ),
}
print(d)
def f(a,
      b,
      c=3):
    return a + b + c
print(f(1,
        2))
s = ("implicit "
     "string "
     'concatenation')
print(s)
if 1 and \
   2:
    print("backslash in if")
x = [i
     for i in range(5)
     if i % 2 == 0]
print(x)
y = (1 +
     2 *
     3)
print(y)
call = max(
    4,
    9,
    2
)
print(call)
t = 1, \
    2
print(t)
long_expr = (
    # leading comment
    10
    # trailing comment
)
print(long_expr)
print("a" \
      "b")
z = {1: [
    2, 3
], 4: [
]}
print(z)
