# sys.exit with an int code (42) raised inside a with block whose __exit__ sees SystemExit but does not suppress it
import sys
class Ctx:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, t, v, tb):
        print("exit sees", t.__name__ if t else None, v.code if t is SystemExit else "")
        return False
with Ctx():
    print("normal body")
codes = []
for c in [1, 2, 3]:
    try:
        sys.exit(c)
    except SystemExit as e:
        codes.append(e.code)
print(codes)
print(issubclass(SystemExit, BaseException), issubclass(SystemExit, Exception))
print("a")
print("b")
with Ctx():
    sys.exit(42)
print("never")
