# the whole file fails to compile: a def without its colon (SyntaxError: expected ':'); nothing is printed
print("this line never runs because the file does not compile")
def ok(a, b):
    return a + b
print(ok(1, 2))
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5
values = [Point(1, 2), Point(3, 4)]
for v in values:
    print(v.norm())
total = sum(v.x for v in values)
print(total)
def broken(x)
    return x * 2
print(broken(3))
print("end")
