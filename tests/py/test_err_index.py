# uncaught IndexError from a list access past the end inside a loop (last line: IndexError: list index out of range)
print("setup step 1", 1 * 1)
print("setup step 2", 2 * 2)
print("setup step 3", 3 * 3)
print("setup step 4", 4 * 4)
data = [10, 20, 30]
print(data[0], data[-1])
print(data[1:5])
def get(i):
    return data[i]
for i in range(3):
    print(i, get(i))
data.append(40)
print(len(data), get(3))
print(data[::-1])
print(sum(data))
i = 0
while True:
    print("item", get(i))
    i += 1
print("never")
