# Context managers: open/read/close by hand, the same with "with", and a
# custom context manager whose __exit__ runs on success and on exceptions.

with open('datos.txt', 'w') as f:
    f.write('linea 1\nlinea 2\n')

# without a context manager
archivo = open('datos.txt')
datos = archivo.read()
archivo.close()
print(repr(datos), archivo.closed)

# with a context manager
with open('datos.txt') as archivo:
    datos = archivo.read()
    print(archivo.closed)
print(archivo.closed, datos.splitlines())

# a missing file raises before anything is opened
try:
    open('no_existe.txt')
except FileNotFoundError as e:
    print("FileNotFoundError:", e)

class GestorRecurso:
    def __enter__(self):
        print("Adquiriendo recurso")
        return self
    def __exit__(self, exc_type, exc_val, exc_tb):
        print("Liberando recurso", exc_type.__name__ if exc_type else None)
        return False

with GestorRecurso() as recurso:
    print("Usando recurso", type(recurso).__name__)

# __exit__ returning False lets the exception through after cleanup
try:
    with GestorRecurso():
        raise ValueError("fallo")
except ValueError as e:
    print("re-raised:", e)
