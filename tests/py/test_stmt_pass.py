# pass, expression statements, docstring statements, Ellipsis, empty bodies
def empty():
    pass
print(empty())
class Empty:
    pass
print(Empty.__name__)
def doc_only():
    "just a docstring"
print(doc_only(), doc_only.__doc__)
def ellipsis_body():
    ...
print(ellipsis_body())
print(...)
print(Ellipsis is ...)
for i in range(3):
    pass
print(i)
while False:
    pass
if True:
    pass
else:
    pass
try:
    pass
except Exception:
    pass
finally:
    pass
1 + 2
"string statement"
[1, 2, 3]
None
x = 5
x
def side(l):
    l.append(1)
    return l
lst = []
side(lst)
side(lst)
print(lst)
class Nothing:
    """doc"""
print(Nothing.__doc__)
print(type(...).__name__)
