# sys.exit(3): exit status 3 after output; finally blocks run while SystemExit propagates
import sys
def work(n):
    return sum(i * i for i in range(n))
for n in [1, 5, 10]:
    print(n, work(n))
results = {n: work(n) for n in range(4)}
print(results)
try:
    sys.exit(9)
except SystemExit as e:
    print("caught inner exit", e.code)
print("still running")
def shutdown():
    try:
        print("shutting down")
        sys.exit(3)
    finally:
        print("finally before exit")
print("a")
print("b")
shutdown()
print("never")
