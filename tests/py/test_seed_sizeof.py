# Object sizes: sys.getsizeof reports the container's own size in bytes; shown as
# relations (sizes are interpreter details), plus getsizeof's argument errors, and
# sys._debugmallocstats (allocator statistics on stderr).
import sys

# int, str, dict — all positive ints; a dict is bigger than a small int
numero = 11
cadena = "Hola mundo"
diccionario = {"numero": 15}
for obj in (numero, cadena, diccionario):
    n = sys.getsizeof(obj)
    print(type(obj).__name__, type(n) is int, n > 0)
print("int < dict:", sys.getsizeof(numero) < sys.getsizeof(diccionario))
print("str grows with length:", sys.getsizeof(cadena) > sys.getsizeof("Hola"))

# a 1000-item list is far bigger than a 3-item one (pointer array grows)
pequeño = [1, 2, 3]
grande = [i for i in range(1000)]
print(sys.getsizeof(pequeño) > sys.getsizeof([]))
print(sys.getsizeof(grande) > sys.getsizeof(pequeño))
print(sys.getsizeof(grande) >= 1000 * 8)
# the size is the container only: the items are not counted
print(sys.getsizeof([grande]) == sys.getsizeof([pequeño]))

# Small objects vs large ones of the same type
objetos_pequeños = [42, "hola", (1, 2), {"a": 1}]
grandes = ["x" * 1000, list(range(1000)), {i: i for i in range(100)}]
for small, big in zip(objetos_pequeños[1:], grandes):
    print(f"{type(big).__name__:10} → {sys.getsizeof(big) > sys.getsizeof(small)}")
print(sys.getsizeof((1, 2)) > sys.getsizeof(()))
print(sys.getsizeof(2**100) > sys.getsizeof(42))

# sys._debugmallocstats() writes the allocator's size classes to stderr (its
# content is interpreter-specific and not compared) and returns None
print(sys._debugmallocstats())
try:
    sys._debugmallocstats(1)
except TypeError as e:
    print("TypeError:", e)

# the default argument is returned for objects without a size
print(sys.getsizeof(42, -1) == sys.getsizeof(42))
try:
    sys.getsizeof()
except TypeError as e:
    print("TypeError:", e)
