# assignment: names, chained assignment, rebinding, swapping, multiple targets, builtins shadowing
a = 1
print(a)
a = a + 1
print(a)
b = c = d = 7
print(b, c, d)
x, y = 1, 2
x, y = y, x
print(x, y)
p = q = []
p.append(1)
print(q, p is q)
i = j = k = "s"
print(i + j + k)
len_ = len
len = 5
print(len, len_("abc"))
del len
print(len("xyz"))
_ = 3
__ = 4
print(_ + __)
CamelCase = "ok"
snake_case_2 = "ok2"
print(CamelCase, snake_case_2)
n = None
print(n)
n = n or "default"
print(n)
t = 1,
print(t)
u = ()
print(u)
v = [] ; w = {}
print(v, w)
value = 10
value = value * value
print(value)
def rebind():
    z = 1
    z = "now str"
    return z
print(rebind())
print([ (a := 3), a ])
