# tokenizer: comments everywhere, hash inside strings, empty lines, trailing whitespace, semicolons
# a comment at the top
x = 1  # trailing comment
# y = 2
print(x)  # comment after call
print("# not a comment")
print('a # b')
def f():  # comment after colon
    # comment first in body
    return 5  # comment after return
print(f())
if x:  # comment
    pass  # comment
else:  # comment
    pass
lst = [1,  # one
       2]  # two
print(lst)
a = 1; b = 2;
print(a, b)
print(a); print(b)
   # indented comment at top level is fine
print("done")  
