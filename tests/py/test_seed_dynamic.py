# Dynamic memory: lists, dicts and instances grow and shrink at run time;
# good practice: generators vs lists, join vs +=, closures keep their cells.

numeros = []
for i in range(5):
    numeros.append(i)
print(numeros)

# dynamic lists
numeros = []
for i in range(5):
    numeros.append(i * 2)
print("Lista dinámica:", numeros)

# dictionaries
persona = {"nombre": "Ana"}
persona["edad"] = 25
persona["ciudad"] = "Puebla"
del persona["edad"]
print(persona)

# classes whose instances grow
class Alumno:
    pass

a1 = Alumno()
a1.nombre = "Carlos"
a1.materias = ["Programación", "Cálculo"]
print(a1.__dict__)

# List comprehension vs generator expression (scaled down from 10**7)
suma = sum([i**2 for i in range(100000)])
print(suma)
suma2 = sum(i**2 for i in range(100000))
print(suma2, suma == suma2)
gen = (i**2 for i in range(3))
print(type(gen).__name__, next(gen), list(gen))

# += builds new strings, join builds one
resultado = ""
for i in range(1000):
    resultado += str(i)
partes = []
for i in range(1000):
    partes.append(str(i))
print(len(resultado), resultado == "".join(partes), resultado[-9:])

# a closure keeps datos_grandes alive through its cell (scaled down from 10**6)
def crear_closure():
    datos_grandes = [0] * 1000
    no_usado = [1] * 10
    def funcion():
        print(len(datos_grandes))
        return 42
    return funcion

f = crear_closure()
print(f())
print(f.__code__.co_freevars)
print(len(f.__closure__), len(f.__closure__[0].cell_contents))
