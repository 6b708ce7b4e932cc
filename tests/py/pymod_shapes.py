# helper module for import tests: functions, a class, constants and a load counter
print("pymod_shapes executing")
PI = 3.14159
_private = "underscore"
loads = 1
def area_circle(r):
    return round(PI * r * r, 4)
def area_rect(w, h):
    return w * h
class Square:
    def __init__(self, side):
        self.side = side
    def area(self):
        return self.side * self.side
    def __repr__(self):
        return "Square(%d)" % self.side
registry = []
def register(name):
    registry.append(name)
    return len(registry)
