# f-strings: self-documenting '=' specifier, with spaces, conversions and format specs
x = 10
name = "ftpy"
print(f"{x=}")
print(f"{x = }")
print(f"{x=:>5}")
print(f"{name=}")
print(f"{name=!s}")
print(f"{name=!r}")
print(f"{x * 2=}")
print(f"{x+1 = }")
print(f"{len(name)=}")
print(f"{3.5=:.2f}")
y = [1, 2]
print(f"{y=}")
print(f"{y[0]=}")
print(f"{x=} and {y=}")
print(f"{x=!a}")
print(f"{'s'=}")
print(f"{None=}")
print(f"{x==10=}")
print(f"{x=:#x}")
