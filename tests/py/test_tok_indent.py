# tokenizer: indentation levels, dedent to several levels, tabs vs spaces consistency, blank lines
def f(x):
    if x > 0:
        if x > 10:
            return "big"
        else:
                return "deep-small"
    elif x == 0:
      return "zero"
    return "neg"

print(f(20))
print(f(5))
print(f(0))
print(f(-1))

class A:

    def m(self):

        # comment at a deeper indent
            # comment at odd indent is ignored
        return 1


    def n(self):
        return 2

print(A().m(), A().n())

for i in range(3):
    for j in range(2):
        if (i + j) % 2:
            print("odd", i, j)
    # comment line between
        # another one indented more
    print("after inner", i)

if True: print("one-line if")
while False: pass
for k in range(2): print("one-line for", k)
def g(): return "one-line def"
print(g())
class B: x = 5
print(B.x)
x = 1; y = 2; z = x + y
print(x, y, z)
if x:
	print("tab indented block")
	if y:
		print("two tabs")
print("end")
