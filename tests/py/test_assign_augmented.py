# augmented assignment: all operators on ints, floats, strs, lists, attributes and subscripts
x = 10
x += 5; print(x)
x -= 3; print(x)
x *= 2; print(x)
x //= 5; print(x)
x %= 3; print(x)
x **= 5; print(x)
x <<= 2; print(x)
x >>= 1; print(x)
x |= 0b1000; print(x)
x &= 0b1100; print(x)
x ^= 0b0101; print(x)
y = 7
y /= 2; print(y)
f = 1.5
f *= 4; print(f)
f -= 0.5; print(f)
s = "ab"
s += "cd"; print(s)
s *= 2; print(s)
lst = [1]
alias = lst
lst += [2, 3]
print(lst, alias, lst is alias)
lst *= 2
print(alias)
t = (1,)
t_alias = t
t += (2,)
print(t, t_alias)
class C:
    pass
c = C()
c.n = 1
c.n += 41
print(c.n)
d = {"k": [1]}
d["k"] += [2]
d["k"][0] -= 10
print(d)
m = [[1, 2], [3, 4]]
m[1][0] *= 100
print(m)
big = 2
for _ in range(6):
    big **= 2
print(big)
e = 5
try:
    e @= 1
except TypeError as ex:
    print(ex)
