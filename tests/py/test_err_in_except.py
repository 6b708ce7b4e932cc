# uncaught exception raised while handling another (implicit chaining; last line shows the final TypeError)
def risky(v):
    return 10 / v
for v in [1, 2, 5]:
    print(risky(v))
try:
    risky(0)
except ZeroDivisionError:
    print("handled zero")
log = []
def handle(v):
    try:
        return risky(v)
    except ZeroDivisionError as e:
        log.append(str(e))
        return None
print(handle(4), handle(0), log)
print("a")
print("b")
try:
    risky(0)
except ZeroDivisionError:
    print("handler about to fail")
    len(5)
print("never")
