# os: files and directories in the (empty) working directory — mkdir,
# listdir, stat, rename, remove/unlink, rmdir, getcwd/chdir, os.path's file
# tests — and the OSError subclasses with errno/strerror/filename.
import os

print(os.listdir(), os.listdir('.'))
cwd = os.getcwd()
print(os.path.isabs(cwd), os.path.isdir(cwd))
os.mkdir('sub')
with open('sub/a.txt', 'w') as f:
    f.write('hello')
with open('b.txt', 'w') as f:
    f.write('12345678')
print(sorted(os.listdir()), os.listdir('sub'))
st = os.stat('b.txt')
print(st.st_size, st[6], len(st), st.st_mtime > 0, os.path.getsize('sub/a.txt'))
print(os.path.exists('b.txt'), os.path.isfile('b.txt'), os.path.isdir('b.txt'))
print(os.path.exists('sub'), os.path.isfile('sub'), os.path.isdir('sub'))
print(os.path.exists('nope'), os.path.isfile('nope'), os.path.isdir('nope'))
os.rename('b.txt', 'c.txt')
print(sorted(os.listdir()))
os.chdir('sub')
print(os.path.basename(os.getcwd()), os.listdir())
os.chdir('..')
print(os.getcwd() == cwd)

def err(f, *args):
    try:
        f(*args)
    except OSError as e:
        print(type(e).__name__, e.errno, e.strerror, e.filename, '|', e)

err(os.remove, 'missing.txt')
err(os.unlink, 'missing.txt')
err(os.rmdir, 'sub')
err(os.mkdir, 'sub')
err(os.listdir, 'missing_dir')
err(os.listdir, 'c.txt')
err(os.stat, 'missing')
err(os.chdir, 'missing')
err(os.rmdir, 'c.txt')
try:
    os.rename('missing', 'other')
except FileNotFoundError as e:
    print(e)

os.remove('sub/a.txt')
os.unlink('c.txt')
os.rmdir('sub')
print(os.listdir())
for bad in (lambda: os.remove(5), lambda: os.listdir(1.5), lambda: os.mkdir(None),
            lambda: os.urandom(-1), lambda: os.strerror('x'), lambda: os.getpid(1)):
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
