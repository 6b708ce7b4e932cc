# Objects CPython creates in advance: ints -5..256, the empty tuple, one-character
# strings, True/False/None are shared objects even when computed at run time; larger
# ints computed at run time are new objects.

def mismo(a, b):
    return a is b

# small ints computed at run time are the cached ones
print(sum(1 for i in range(-5, 257) if mismo(int(str(i)), i)))
x = 200
print(mismo(x + 56, 256), mismo(x + 57, 257), mismo(int("-5"), -5), mismo(int("-6"), -6))
print(mismo(10 * 10, 100), mismo(2 ** 8, 256), mismo(-x // 40, -5))
grande = int("1" + "0" * 20)
print(mismo(grande, int("1" + "0" * 20)), grande == 10 ** 20)

# the empty tuple is one object however it is made
vacia = ()
print(mismo(tuple(), vacia), mismo(tuple([]), vacia), mismo((1, 2)[2:], vacia))
print(mismo(tuple(x for x in []), vacia), mismo(vacia + vacia, vacia))

# one-character strings from indexing and slicing are shared
texto = "abcabc"
print(mismo(texto[1], texto[4]), mismo(texto[0:1], texto[3:4]))
print(mismo("".join(["q"]), "q"), mismo(str("x"), "x"))
print(mismo(texto[0:2], texto[3:5]), texto[0:2] == texto[3:5])

# True, False, None
print(mismo(bool(1), True), mismo(1 == 2, False), mismo([].append(1), None))
print(mismo(type(None)(), None), mismo(not 0, True), mismo(bool([]), False))
print(id(True) != id(1), True == 1, hash(True) == hash(1))
