# the whole file fails to compile: an unterminated string literal (SyntaxError: unterminated string literal ...)
print("never printed")
greeting = "hello"
name = 'world'
message = greeting + ", " + name
print(message)
doc = """a triple-quoted
string that is closed properly"""
print(doc)
items = ["a", "b", "c"]
for item in items:
    print(item.upper())
text = "this string never ends
print(text)
print("end")
more = 1
print(more)
print("still never")
print("last")
print("really last")
