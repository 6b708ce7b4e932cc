# break and continue in for/while, inside try/finally, nested loops, with else clauses
for i in range(10):
    if i % 2:
        continue
    if i > 6:
        break
    print("even", i)
for i in range(3):
    try:
        if i == 1:
            continue
        print("body", i)
    finally:
        print("finally", i)
for i in range(5):
    try:
        if i == 2:
            break
    finally:
        print("fin", i)
print("after", i)
found = None
for row in range(4):
    for col in range(4):
        if row * col == 6:
            found = (row, col)
            break
    else:
        continue
    break
print(found)
n = 0
while n < 10:
    n += 1
    if n % 3:
        continue
    print("mult of 3:", n)
def gen_until(limit):
    i = 0
    while True:
        i += 1
        if i > limit:
            break
        if i == 2:
            continue
        yield i
print(list(gen_until(5)))
result = []
for x in range(3):
    for y in range(3):
        if y == 1:
            continue
        if x == 2:
            break
        result.append((x, y))
print(result)
def ret_in_loop():
    for i in range(10):
        try:
            return i
        finally:
            print("cleanup", i)
print(ret_in_loop())
k = 0
while True:
    k += 1
    try:
        if k < 3:
            continue
        break
    finally:
        print("while finally", k)
print("k", k)
