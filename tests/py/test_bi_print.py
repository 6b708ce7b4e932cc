# print(): sep, end, multiple args, no args, file=sys.stdout, flush, non-str objects, sys.stdout.write return value
import sys
print()
print("a", "b", "c")
print("a", "b", "c", sep="")
print("a", "b", sep=", ", end="!\n")
print("no newline", end="")
print(" -> continued")
print(1, 2.5, None, True, [1], (2,), {"k": 3}, sep=" | ")
print("x", sep=None, end=None)
print("to stdout", file=sys.stdout)
print("flushed", flush=True)
print("multi", "line", sep="\n")
print(*range(5))
print(*range(5), sep="-")
print(*"abc", sep="")
print("")
print(end="")
print("after empty end")
print("tab\tseparated", "ok")
try:
    print("x", sep=5)
except TypeError as e:
    print(e)
try:
    print("x", end=[])
except TypeError as e:
    print(e)
try:
    print("x", bad_kw=1)
except TypeError as e:
    print(e)
class S:
    def __str__(self):
        return "custom-str"
print(S(), [1, "two"], "two")
n = sys.stdout.write("write returns length\n")
print(n)
sys.stdout.write("no newline via write")
sys.stdout.write("\n")
print("unicode: é € 😀", "中文")
print(repr("x"), str("x"), "%s" % "x")
for i in range(3):
    print(i, end=" ")
print()
print("a" "b", "c" + "d", sep="|")
print(1, end="")
print(2, end="\n\n")
print("done")
