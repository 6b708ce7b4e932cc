# SystemExit(None) and sys.exit() with no argument: exit status 0, nothing on stderr, later code not run
import sys
print("start")
try:
    sys.exit()
except SystemExit as e:
    print("code of sys.exit():", e.code)
try:
    raise SystemExit(None)
except SystemExit as e:
    print("code of SystemExit(None):", e.code)
def main():
    for i in range(3):
        print("step", i)
    return None
main()
print("a")
print("b")
print("c")
print("d")
print("e")
raise SystemExit(None)
print("never")
