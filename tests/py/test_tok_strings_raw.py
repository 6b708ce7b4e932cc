# tokenizer: raw strings r'' R"" rb'' with backslashes and quotes
print(r'\n')
print(len(r'\n'))
print(R"\t\x41")
print(repr(r'a\b'))
print(r'\'')
print(len(r'\''))
print(r"\"")
print(r'C:\path\to\file')
print(repr(r'\\'))
print(repr(rb'\x00'))
print(repr(Rb'\n'), repr(bR'\n'), repr(BR'\n'))
print(r'''raw triple \n
second line''')
print(repr(r"""\d+\s*"""))
print(r'\u00e9', len(r'\u00e9'))
print(r'abc' + 'def')
print(r'x' 'y\n' == 'xy\n')
print(repr(r'\N{DASH}'))
print(r"a\
b")
print(len(r"a\
b"))
