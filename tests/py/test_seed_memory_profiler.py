# memory_profiler: @profile runs the function unchanged and writes a
# line-by-line report (header, one row per source line); MiB values are not compared.
from memory_profiler import profile

class Captura:
    def __init__(self):
        self.partes = []
    def write(self, s):
        self.partes.append(s)
    def flush(self):
        pass

salida = Captura()

@profile(stream=salida)
def funcion_pesada():
    lista = [i**2 for i in range(100000)]
    return sum(lista)

print(funcion_pesada())
print(funcion_pesada.__name__)
reporte = "".join(salida.partes)
lineas = [l for l in reporte.splitlines() if l.strip()]
print(lineas[0].startswith("Filename: "), lineas[0].endswith("test_seed_memory_profiler.py"))
print(lineas[1].split())
print(set(lineas[2]))
cuerpo = lineas[3:]
print(len(cuerpo))
for l in cuerpo:
    print(l.split()[0], "MiB" in l, l.rstrip().endswith(("(stream=salida)", "funcion_pesada():",
          "range(100000)]", "sum(lista)")))
