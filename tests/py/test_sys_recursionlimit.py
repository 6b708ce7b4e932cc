# sys.setrecursionlimit/getrecursionlimit: raising and lowering the limit changes how deep recursion may go
import sys
old = sys.getrecursionlimit()
print(type(old).__name__, old >= 100)
def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)
sys.setrecursionlimit(200)
print(sys.getrecursionlimit())
print(depth(100))
try:
    depth(400)
except RecursionError:
    print("400 deep fails under limit 200")
sys.setrecursionlimit(5000)
print(sys.getrecursionlimit())
print(depth(3000))
sys.setrecursionlimit(150)
try:
    depth(1000)
except RecursionError:
    print("1000 deep fails under limit 150")
print(depth(50))
try:
    sys.setrecursionlimit(0)
except ValueError as e:
    print(e)
try:
    sys.setrecursionlimit(-5)
except ValueError as e:
    print(e)
try:
    sys.setrecursionlimit("100")
except TypeError as e:
    print(e)
sys.setrecursionlimit(old)
print(sys.getrecursionlimit() == old)
def count_until_error():
    n = [0]
    def rec():
        n[0] += 1
        rec()
    try:
        rec()
    except RecursionError:
        pass
    return n[0]
sys.setrecursionlimit(300)
a = count_until_error()
sys.setrecursionlimit(600)
b = count_until_error()
print(a < b, a < 300, b < 600, b - a > 200)
sys.setrecursionlimit(old)
