# objgraph: counting objects by type, finding them, and graphing refs and
# backrefs (the GraphViz text is written to a stream; node ids are addresses, so only
# its shape is checked; the counts of other types are interpreter details).
import objgraph

class Captura:
    def __init__(self):
        self.partes = []
    def write(self, s):
        self.partes.append(s)
    def texto(self):
        return "".join(self.partes)

class MiClase:
    pass

x = MiClase()
y = [x]

print(objgraph.count('MiClase'))
print(objgraph.by_type('MiClase')[0] is x)
z = MiClase()
print(objgraph.count('MiClase'), objgraph.typestats()['MiClase'])
del z
print(objgraph.count('MiClase'))

refs = Captura()
objgraph.show_refs([x], output=refs)
texto = refs.texto()
print(texto.startswith('digraph ObjectGraph {\n'), texto.endswith('}\n'))
print('MiClase' in texto, '->' in texto)

backrefs = Captura()
objgraph.show_backrefs([x], output=backrefs)
texto = backrefs.texto()
print(texto.startswith('digraph ObjectGraph {\n'), texto.endswith('}\n'))
print('list' in texto, '->' in texto)

comunes = objgraph.most_common_types(limit=10)
print(len(comunes), all(type(n) is str and type(c) is int and c > 0 for n, c in comunes))
print(all(a[1] >= b[1] for a, b in zip(comunes, comunes[1:])))
tabla = Captura()
objgraph.show_most_common_types(limit=10, file=tabla)
filas = tabla.texto().splitlines()
cuentas = [int(f.split()[1]) for f in filas]
print(len(filas), all(a >= b for a, b in zip(cuentas, cuentas[1:])))

try:
    objgraph.show_refs([x], filename='a.dot', output=Captura())
except ValueError as e:
    print("ValueError:", e)
