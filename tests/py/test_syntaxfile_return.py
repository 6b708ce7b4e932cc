# the whole file fails to compile: 'return' at module level (SyntaxError: 'return' outside function)
print("never printed")
def square(x):
    return x * x
def cube(x):
    return x * x * x
print(square(3), cube(3))
numbers = [square(i) for i in range(5)]
print(numbers)
if numbers:
    print("non-empty")
while False:
    pass
for n in numbers:
    if n > 10:
        break
print("loop done")
return numbers
print("end")
print("last")
