x = (1, [2, {3: "a"}], f"{4!r:>5}")
for i in range(3):
    print(i, x)
