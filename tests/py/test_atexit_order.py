# atexit: handlers run after the main code, last registered first, with
# their arguments; an unregistered one does not run; a failing one does not
# stop the others and does not change the exit status.
import atexit

def say(*args, **kwargs):
    print("exit handler", args, sorted(kwargs.items()))

def never():
    print("never printed")

def fails():
    raise ValueError("handler failed")

atexit.register(say, 1)
atexit.register(never)
atexit.register(fails)
r = atexit.register(say, 2, key="v")
print(r is say)
atexit.unregister(never)
try:
    atexit.register(42)
except TypeError as e:
    print("TypeError:", e)

@atexit.register
def decorated():
    print("decorated handler")

print("main done")
