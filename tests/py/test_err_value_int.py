# uncaught ValueError from int() of a non-numeric string (last line: ValueError: invalid literal for int() ...)
print("setup step 1", 1 * 1)
print("setup step 2", 2 * 2)
print("setup step 3", 3 * 3)
print("setup step 4", 4 * 4)
print("setup step 5", 5 * 5)
print("setup step 6", 6 * 6)
print("setup step 7", 7 * 7)
inputs = ["1", "22", "-3", " 4 ", "0x10", "5_0"]
for s in inputs:
    try:
        print(repr(s), int(s))
    except ValueError as e:
        print(repr(s), "error:", e)
print(int("0x10", 16), int("0x10", 0))
print(int("777", 8), int("zz", 36))
values = []
for s in ["7", "8", "nine"]:
    print("parsing", s)
    values.append(int(s))
print("never", values)
