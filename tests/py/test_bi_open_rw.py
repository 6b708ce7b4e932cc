# open(): write then read text files in the cwd, modes w/r/a/x, read(n), write return values, with statement, errors
with open("out.txt", "w") as f:
    n1 = f.write("hello\n")
    n2 = f.write("second line\n")
    print(n1, n2, f.closed)
print(f.closed)
with open("out.txt") as f:
    print(repr(f.read()))
with open("out.txt", "r") as f:
    print(repr(f.read(3)), repr(f.read(3)), repr(f.read()))
    print(repr(f.read()))
with open("out.txt", "a") as f:
    f.write("appended\n")
with open("out.txt") as f:
    print(repr(f.read()))
f = open("manual.txt", "w")
f.write("no with statement")
f.close()
f = open("manual.txt")
print(f.read())
f.close()
try:
    open("out.txt", "x")
except FileExistsError as e:
    print(type(e).__name__, e.errno)
with open("new.txt", "x") as f:
    f.write("exclusive")
print(open("new.txt").read())
try:
    open("missing-file.txt")
except FileNotFoundError as e:
    print(type(e).__name__, e.errno, e.strerror, e.filename)
try:
    f.write("after close")
except ValueError as e:
    print(e)
with open("unicode.txt", "w", encoding="utf-8") as f:
    f.write("héllo €😀\n")
with open("unicode.txt", encoding="utf-8") as f:
    data = f.read()
print(data, len(data))
with open("unicode.txt", "rb") as f:
    raw = f.read()
print(raw, len(raw))
with open("bin.dat", "wb") as f:
    print(f.write(bytes(range(5))))
with open("bin.dat", "rb") as f:
    print(f.read())
with open("empty.txt", "w"):
    pass
print(repr(open("empty.txt").read()))
try:
    with open("out.txt", "r") as f:
        f.write("x")
except Exception as e:
    print(type(e).__name__)
print(open("out.txt").read().count("\n"))
