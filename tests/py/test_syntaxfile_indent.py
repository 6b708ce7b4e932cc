# the whole file fails to compile: a dedent that matches no outer level (IndentationError: unindent does not match ...)
print("never printed")
def outer():
    items = []
    for i in range(3):
        items.append(i)
    return items
print(outer())
def compute(n):
    total = 0
    for i in range(n):
        if i % 2:
            total += i
        else:
            total -= i
      return total
print(compute(10))
x = 1
y = 2
print(x + y)
