# the whole file fails to compile: assignment to a function call (SyntaxError: cannot assign to function call ...)
print("never printed")
def f():
    return 1
counter = 0
for i in range(10):
    counter += i
print(counter)
table = {}
table["k"] = f()
print(table)
class C:
    attr = 1
obj = C()
obj.attr = 2
print(obj.attr)
f() = 5
print("end")
print("still never")
print("last")
