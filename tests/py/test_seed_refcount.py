# Reference counts: sys.getrefcount counts the references to an object, plus one for
# its own argument; it goes up with each new name and back down after del.
import sys

# One name + the argument
x = [10, 20, 30]
print(sys.getrefcount(x))

# The same on a fresh list
a = [1, 2, 3, 4, 5, 6]
print(sys.getrefcount(a))

# +1 per name, -1 after del
a = [1, 2, 3]
print(sys.getrefcount(a))
b = a
print(sys.getrefcount(a))
del b
print(sys.getrefcount(a))

# A ref_count helper (reading the count through ctypes at an id would give the
# same numbers; getrefcount minus its own references is portable)
def ref_count(obj):
    return sys.getrefcount(obj) - 2    # minus our parameter and getrefcount's argument

my_var = [1, 2]
other_var = my_var
print(other_var is my_var, ref_count(my_var))
other_var = None
print(ref_count(my_var))

# containers hold references too
holder = [my_var, my_var, {"k": my_var}]
print(ref_count(my_var))
holder.pop()
print(ref_count(my_var))
del holder
print(ref_count(my_var))

# a function call's arguments hold references only during the call
def f(p, q):
    return sys.getrefcount(p)
print(f(my_var, my_var) - sys.getrefcount(my_var))
print(sys.getrefcount(my_var))
# The A <-> B cycle's counts.
# A is held by my_var and by b.a; B only by a.b. After my_var = None the cycle keeps
# one reference each (a weakref reaches A without adding one).
import weakref
class A:
    def __init__(self):
        self.b = B(self)
class B:
    def __init__(self, a):
        self.a = a
my_var = A()
print('refcount(a) = {0}'.format(sys.getrefcount(my_var) - 1))
print('refcount(b) = {0}'.format(sys.getrefcount(my_var.b) - 1))
r = weakref.ref(my_var)
my_var = None
print('refcount(a) = {0}'.format(sys.getrefcount(r()) - 1))
print('refcount(b) = {0}'.format(sys.getrefcount(r().b) - 1))
r().b = None          # break the cycle: both die by refcounting alone
print(r())
try:
    sys.getrefcount()
except TypeError as e:
    print("TypeError:", e)
