# file lines: readline, readlines, iteration over a file, writelines, newline handling, line counting
lines = ["alpha\n", "beta\n", "gamma\n", "delta"]
with open("lines.txt", "w") as f:
    f.writelines(lines)
with open("lines.txt") as f:
    print(repr(f.readline()), repr(f.readline()))
    print(f.readlines())
    print(repr(f.readline()))
with open("lines.txt") as f:
    for i, line in enumerate(f):
        print(i, repr(line), repr(line.rstrip("\n")))
with open("lines.txt") as f:
    print([l.strip().upper() for l in f])
with open("lines.txt") as f:
    print(len(f.readlines()))
with open("lines.txt") as f:
    content = f.read()
print(content.splitlines(), content.count("\n"))
with open("crlf.txt", "w", newline="") as f:
    f.write("a\r\nb\r\n")
with open("crlf.txt") as f:
    print(repr(f.read()))
with open("crlf.txt", newline="") as f:
    print(repr(f.read()))
with open("numbers.txt", "w") as f:
    for i in range(1, 6):
        print(i, i * i, sep=",", file=f)
total = 0
with open("numbers.txt") as f:
    for line in f:
        a, b = line.split(",")
        total += int(a) * int(b)
print(total)
with open("numbers.txt") as f:
    print(f.readline(), end="")
    rest = list(f)
print(rest)
with open("log.txt", "w") as f:
    for word in ["x", "y"]:
        f.write(word + "\n")
with open("log.txt", "a") as f:
    f.write("z\n")
with open("log.txt") as f:
    print(f.read().split())
f = open("lines.txt")
it = iter(f)
print(next(it), end="")
print(next(f), end="")
f.close()
try:
    next(iter(f))
except ValueError as e:
    print(e)
