# nested classes, classes created in functions, class factories, classes as values, type() with 3 args
class Outer:
    class Inner:
        value = "inner"
        def get(self):
            return self.value
    def make(self):
        return self.Inner()
print(Outer.Inner.value, Outer().make().get(), Outer.Inner.__qualname__)
def make_class(name, base_value):
    class Generated:
        value = base_value
        def show(self):
            return name + "=" + str(self.value)
    Generated.__name__ = name
    return Generated
A = make_class("A", 1)
B = make_class("B", 2)
print(A().show(), B().show(), A.__name__, A is B)
Dyn = type("Dyn", (), {"x": 5, "double": lambda self: self.x * 2})
d = Dyn()
print(Dyn.__name__, d.x, d.double())
Sub = type("Sub", (Dyn,), {"x": 50})
print(Sub().double(), [c.__name__ for c in Sub.__mro__])
classes = [int, str, list, A]
print([c.__name__ for c in classes])
registry = {}
def register(cls):
    registry[cls.__name__] = cls
    return cls
@register
class One:
    pass
@register
class Two:
    pass
print(sorted(registry))
print(type(registry["One"]()).__name__)
def class_with_closure(n):
    class C:
        def get(self):
            return n
    return C
print(class_with_closure(3)().get(), class_with_closure(4)().get())
class Node:
    def __init__(self, val, children=()):
        self.val = val
        self.children = list(children)
    def total(self):
        return self.val + sum(c.total() for c in self.children)
tree = Node(1, [Node(2, [Node(4)]), Node(3)])
print(tree.total())
print(type(Dyn).__name__, type(type).__name__)
