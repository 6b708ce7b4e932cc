# sys.argv (script path only), sys.maxsize relations, sys.exit inside try catching SystemExit, sys.stdout.write
import sys
print(type(sys.argv).__name__, len(sys.argv))
print(sys.argv[0].endswith("test_sys_argv_maxsize.py"), sys.argv[0].startswith("/"))
print(sys.maxsize == 2 ** 63 - 1, sys.maxsize + 1 == 2 ** 63, -sys.maxsize - 1 == -(2 ** 63))
print(type(sys.maxsize).__name__, len(range(sys.maxsize)) == sys.maxsize)
try:
    sys.exit(5)
except SystemExit as e:
    print("caught SystemExit", e.code, e.args)
try:
    sys.exit()
except SystemExit as e:
    print("no-arg exit code:", e.code)
try:
    sys.exit("message")
except SystemExit as e:
    print("message exit code:", e.code)
try:
    raise SystemExit(0)
except SystemExit as e:
    print("SystemExit(0):", e.code)
try:
    try:
        sys.exit(2)
    except Exception:
        print("not caught by Exception")
except BaseException as e:
    print("caught by BaseException:", type(e).__name__, e.code)
def cleanup():
    try:
        sys.exit(7)
    finally:
        print("finally runs on sys.exit")
try:
    cleanup()
except SystemExit as e:
    print(e.code)
n = sys.stdout.write("partial ")
m = sys.stdout.write("line\n")
print(n, m)
sys.stdout.write("é€\n")
print(sys.argv[1:] == [], isinstance(sys.argv[0], str))
