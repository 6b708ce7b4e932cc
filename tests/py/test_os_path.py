# os.path: join, split, basename, dirname, splitext, normpath, abspath,
# isabs — CPython's posixpath rules, edge cases included.
import os
import os.path

print(os.path is os.path, os.path.sep)
for parts in (('a', 'b'), ('a/', 'b'), ('/a', '/b', 'c'), ('', 'x'), ('a', ''), ('a',)):
    print(parts, os.path.join(*parts))
for p in ('a/b/c.txt', '/', '//x', 'noslash', 'dir/', '/usr/lib/', '', 'a//b'):
    print(repr(p), os.path.split(p), repr(os.path.basename(p)), repr(os.path.dirname(p)))
for p in ('f.txt', 'a/b.tar.gz', '.bashrc', 'a/.hidden', 'noext', 'x.', 'a.b/c', '..x.y'):
    print(repr(p), os.path.splitext(p))
for p in ('a/./b/../c', '/../x', '//a//b/', '///a', '', '.', 'a/..', '../../a', 'a/b/../../..'):
    print(repr(p), repr(os.path.normpath(p)))
print(os.path.isabs('/x'), os.path.isabs('x'), os.path.isabs(''))
print(os.path.abspath('x') == os.path.join(os.getcwd(), 'x'))
print(os.path.abspath('/a/../b'), os.path.abspath('.') == os.getcwd())
try:
    os.path.join(1, 'a')
except TypeError as e:
    print('TypeError', e)
