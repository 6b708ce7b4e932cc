# Identity: names are references to objects. id() shown as relations
# (same object / different object), hex(id()) shape, "is" on small ints, literal and
# interned strings.

# Two equal string literals are one object
a = "Python"
b = "Python"
print("¿a y b comparten la misma dirección de memoria?", a is b)

# id() is an int, hex(id()) its base-16 spelling
my_var = 10
print('my_var = {0}'.format(my_var))
print('id is int:', type(id(my_var)) is int, id(my_var) > 0)
print('hex matches:', hex(id(my_var)) == '0x{0:x}'.format(id(my_var)))
print('int(hex) == id:', int(hex(id(my_var)), 16) == id(my_var))
greeting = 'Hello'
print('greeting = {0}'.format(greeting))
print('different objects, different ids:', id(my_var) != id(greeting))
print('id stable:', id(greeting) == id(greeting))

# a list and its deep copy live at different addresses
a = [1, 2, 3, 4, 5, 6]
b = a
print('alias same id:', id(a) == id(b))
b = list(a)
print('copy different id:', id(a) != id(b), a == b)

# A <-> B cycle, the ids show the circle
class A:
    def __init__(self):
        self.b = B(self)
        print('A: self is b.a:', self is self.b.a)
class B:
    def __init__(self, a):
        self.a = a
        print('B: self.a is a, self is not a:', self.a is a, self is not a)
my_var = A()
print('a == a.b.a:', hex(id(my_var)) == hex(id(my_var.b.a)))
print('a != a.b:', hex(id(my_var)) != hex(id(my_var.b)))
my_var.b.a = None          # break the cycle so refcounting frees both

# Small ints are cached, and equal literals in one code object are shared
a = 256
b = 256
print(a is b)
a = 257
b = 257
print(a is b)
s1 = "hola"
s2 = "hola"
print(s1 is s2)

# sys.intern makes equal strings built at run time one object
import sys
partes = ["cadena larga", "que queremos", "reutilizar"]
t1 = " ".join(partes)
t2 = " ".join(partes)
print(t1 == t2, t1 is t2)
s1 = sys.intern(t1)
s2 = sys.intern(t2)
print(s1 is s2, s1 is t1)
print(sys.intern("cadena larga que queremos reutilizar") is s1)
try:
    sys.intern(1)
except TypeError as e:
    print("TypeError:", e)

# E, K and both items of Z all reference the same int 26
E = 26
K = 26
Z = [26, 26]
print(E is K, Z[0] is E, Z[1] is K, Z.count(E))
