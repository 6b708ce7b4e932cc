# uncaught TypeError from adding int and str (last line: TypeError: unsupported operand type(s) for +: 'int' and 'str')
print("setup step 1", 1 * 1)
print("setup step 2", 2 * 2)
def add(a, b):
    return a + b
print(add(1, 2))
print(add("a", "b"))
print(add([1], [2]))
print(add((1,), (2,)))
print(add(1.5, 2))
print(add(True, 1))
try:
    add("x", 1)
except TypeError as e:
    print("caught:", e)
items = [1, 2, "3", 4]
total = 0
for it in items:
    print("adding", repr(it))
    total = add(total, it)
print("never", total)
