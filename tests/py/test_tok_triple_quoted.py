# tokenizer: triple-quoted strings spanning lines, embedded quotes, backslash-newline
s = """line1
line2
  indented"""
print(s)
print(repr(s))
t = '''it's "quoted"'''
print(t)
u = """contains '' and "" inside"""
print(u)
v = """\
no leading newline"""
print(repr(v))
w = """trailing backslash \
joins lines"""
print(repr(w))
def f():
    """A docstring
    spanning lines."""
    return 1
print(f.__doc__)
print(repr("""a""""b"))
print(len("""
"""))
x = '''
    indented body
'''
print(repr(x))
print("""\"\"\" escaped""")
print('''tab\there''')
