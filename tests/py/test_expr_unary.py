# unary operators: -, +, ~, not on ints, floats, bools, big ints; user classes with __neg__/__pos__/__invert__/__abs__
for v in [0, 1, -1, 7, 2 ** 70, -(2 ** 70)]:
    print(v, -v, +v, ~v, not v, abs(v))
for v in [0.0, -0.0, 1.5, -2.25, float("inf")]:
    print(v, -v, +v, not v, abs(v))
print(-True, +True, ~True, ~False, not True)
print(type(-True).__name__, type(~False).__name__)
class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __pos__(self):
        return Vec(+self.x, +self.y)
    def __invert__(self):
        return Vec(self.y, self.x)
    def __abs__(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5
    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)
v = Vec(3, -4)
print(-v, +v, ~v, abs(v), -(-v))
try:
    -"str"
except TypeError as e:
    print(e)
try:
    ~1.5
except TypeError as e:
    print(e)
try:
    +[1]
except TypeError as e:
    print(e)
try:
    abs("x")
except TypeError as e:
    print(e)
print(- - -1, ~~5, not not 0)
x = 9223372036854775807
print(-x - 1, ~x, -(-x - 1))
print(-0, -0 == 0)
