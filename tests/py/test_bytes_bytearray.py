# bytearray: mutable bytes: item/slice assignment, append/extend/pop/insert/remove, conversions, methods
ba = bytearray(b"abc")
ba[0] = 65
ba.append(100)
ba.extend(b"ef")
print(ba, bytes(ba), len(ba), ba[1], ba[-2:], type(ba[-2:]).__name__)
ba2 = bytearray(3)
ba2[1:2] = b"XYZ"
print(ba2)
print(ba2.pop(), ba2)
ba2.insert(0, 33)
ba2.remove(88)
print(ba2)
del ba2[0]
print(ba2, list(ba2))
print(bytearray(b"x") + b"y", type(bytearray(b"x") + b"y").__name__, b"q" + bytearray(b"r"))
print(bytearray(b"hello").upper(), bytearray(b"a b").split(), bytearray(b"abc").decode())
try:
    ba[0] = 300
except ValueError as e:
    print(e)
try:
    hash(bytearray(b"x"))
except TypeError as e:
    print(e)
b3 = bytearray()
for i in range(5):
    b3.append(48 + i)
print(b3, b3.decode(), bytes(b3) == b"01234")
b3.reverse()
print(b3, b3 == b"43210", b3.find(b"2"), b3.count(b"1"))
b3 *= 2
print(b3, len(b3))
b3.clear()
print(b3, len(b3), bool(b3))
print(bytearray("é€", "utf-8"), bytearray([1, 2, 3]), bytearray(range(65, 70)))
m = bytearray(b"hello world")
m[0:5] = b"HELLO"
print(m, m.replace(b"o", b"0"), m)
print(bytearray(b"ab") == bytearray(b"ab"), bytearray(b"a") < b"b", b"abc" in bytearray(b"xabcx"))
