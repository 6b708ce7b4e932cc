# uncaught ZeroDivisionError at module level after some output (exit 1, last stderr line compared)
print("setup step 1", 1 * 1)
print("setup step 2", 2 * 2)
print("setup step 3", 3 * 3)
def ratio(a, b):
    return a / b
results = []
for a, b in [(10, 2), (9, 3), (7, 7), (1, 4)]:
    results.append(ratio(a, b))
    print(a, b, ratio(a, b))
print(results)
print(sum(results))
total = 0
for v in range(5):
    total += v
print("total", total)
values = [3, 2, 1, 0]
for v in values:
    print("dividing by", v)
    print(12 // v)
print("never printed")
