# f-strings: nested replacement fields in format specs, nested f-strings, expressions with calls
width = 10
prec = 3
x = 2.718281828
print(f"[{x:{width}.{prec}f}]")
print(f"[{x:>{width}}]")
print(f"[{'mid':{'*'}^{width}}]")
align = "<"
print(f"[{'L':{align}{width}}]")
fmt = ".2e"
print(f"[{x:{fmt}}]")
inner = f"{x:.1f}"
print(f"outer {inner} done")
print(f"{f'{1 + 1}'}")
print(f"{f'{x:.{prec}f}':>12}")
d = {"a": 1, "b": 2}
print(f"{d['a']} {d['b']}")
print(f"{','.join(f'{k}={v}' for k, v in d.items())}")
rows = [(1, "one"), (22, "twenty-two"), (333, "many")]
for num, word in rows:
    print(f"{num:>5}|{word:<12}|")
def spec():
    return "08.3f"
print(f"[{x:{spec()}}]")
print(f"{[f'{i:02d}' for i in range(4)]}")
print(f"{x:{width}}|")
for w in range(3, 6):
    print(f"{'ab':>{w}}|")
print(f"{3:{'0'}{4}}")
