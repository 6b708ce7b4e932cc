# Aliasing: assignment copies the reference, not the object; del removes a name;
# copy.deepcopy gives an independent list.
import copy

# b points at the list, a = None only drops one reference
a = [1, 2, 3]
b = a
a = None
print(a, b)

# Mutating through one name is visible through the other
a = [1, 2, 3, 4, 5, 6]
b = a
a[2] = 10
print(a)
print(b)

# deepcopy makes the change invisible in the copy
a = [1, 2, 3, 4, 5, 6]
b = copy.deepcopy(a)
a[2] = 10
print(a)
print(b)
print(a is b, id(a) != id(b))

# deepcopy of nested lists copies the inner lists too; copy.copy does not
nested = [[1, 2], [3, 4]]
deep = copy.deepcopy(nested)
shallow = copy.copy(nested)
nested[0].append(99)
print(deep, shallow)
print(deep[0] is nested[0], shallow[0] is nested[0])

# deepcopy follows the seed's A <-> B cycle and rebuilds it (memo), sharing nothing
class A:
    def __init__(self):
        self.b = B(self)
class B:
    def __init__(self, a):
        self.a = a
orig = A()
copia = copy.deepcopy(orig)
print(copia.b.a is copia, copia is not orig, copia.b is not orig.b)
orig.b.a = None
lst = [1]
lst.append(lst)
dup = copy.deepcopy(lst)
print(dup[1] is dup, dup is not lst, repr(dup))

# del x removes the name; using it afterwards is a NameError
x = [10, 20, 30]
print(x)
del x
try:
    print(x)
except NameError as e:
    print("NameError:", e)
