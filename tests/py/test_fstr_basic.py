# f-strings: simple substitution, expressions, quotes, braces escaping, concatenation
name = "world"
n = 42
print(f"hello {name}")
print(F"n={n}")
print(f'{n + 1}')
print(f"{n * 2} and {n // 5}")
print(f"{{literal braces}}")
print(f"{{{n}}}")
print(f"{'inner single quotes'}")
print(f'{"inner double quotes"}')
print(f"{name.upper()}")
print(f"{[1, 2, 3][1]}")
print(f"{ {'k': 'v'}['k'] }")
print(f"{len(name)}")
print(f"a" "b" f"{n}")
print("plain " f"{n}" " end")
print(f"")
print(f"{n}{n}{n}")
print(f"{None}")
print(f"{True} {False}")
print(f"{3.5}")
print(f"{1/3}")
print(f"{'x' if n > 0 else 'y'}")
print(f"{(lambda x: x * 2)(4)}")
print(f"""triple {n}
second {name}""")
print(rf"raw \n {n}")
print(fr"raw \t {name}")
items = ["a", "b"]
print(f"{', '.join(items)}")
print(f"{n!r:>6}")
class P:
    def __format__(self, spec):
        return "P<" + spec + ">"
print(f"{P()}")
print(f"{P():abc}")
print(f"{-n}")
print(f"{n:}")
