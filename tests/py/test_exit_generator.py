# SystemExit raised inside a generator propagates out of the for loop; exit status 4; generator finally runs
import sys
def producer():
    try:
        for i in range(10):
            if i == 3:
                sys.exit(4)
            yield i
    finally:
        print("producer finally")
def consume(g):
    for v in g:
        print("got", v)
print("start")
try:
    raise SystemExit(1)
except SystemExit:
    print("handled first")
print("a")
print("b")
print("c")
consume(producer())
print("never")
