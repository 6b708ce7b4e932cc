# list indexing and slicing: bounds, negative steps, copies, nested lists, index errors with message
l = list(range(10))
print(l[0], l[-1], l[3:7], l[:3], l[7:], l[-3:], l[:-7], l[::3], l[::-1], l[8:2:-2], l[-1:-4:-1])
print(l[100:], l[-100:2], l[5:5], l[7:3], l[::-3], l[2::-1], l[:2:-1])
try:
    l[10]
except IndexError as e:
    print(e)
try:
    l[-11]
except IndexError as e:
    print(e)
try:
    l[1.5]
except TypeError as e:
    print(e)
try:
    l["a"]
except TypeError as e:
    print(e)
try:
    l[::0]
except ValueError as e:
    print(e)
copy = l[:]
copy[0] = "changed"
print(l[0], copy[0], copy is l, copy == l)
nested = [[1, 2], [3, 4]]
shallow = nested[:]
shallow[0].append(99)
print(nested, shallow)
print(l[True], l[False:True], l[2 ** 64:], l[-(2 ** 64):1])
s = slice(2, 8, 2)
print(l[s], l[slice(3)], l[slice(None, None, -4)])
try:
    l[2 ** 64]
except IndexError as e:
    print(e)
m = [[r * 3 + c for c in range(3)] for r in range(3)]
print(m[1], m[1][2], m[-1][-1], [row[0] for row in m], m[::2])
print([1, 2, 3][1:][0], "abcdef"[::-1][1:3])
t = (1, 2, 3, 4)
print(t[1:3], t[::-1], type(t[1:3]).__name__)
try:
    t[4]
except IndexError as e:
    print(e)
print(l[-1:-1], l[0:-1:3], l[len(l):], l[:len(l)] == l)
