# linecache: getline/getlines from a file (newlines kept, one added to a
# last line without it, \r\n turned into \n), '' out of range or for a
# missing file or a "<...>" name, the cache, checkcache dropping a changed
# file, clearcache, updatecache, and relative names found along sys.path.
import linecache
import sys

with open("mod.py", "w") as f:
    f.write("first = 1\n  second = 2\nthird = 3")
with open("crlf.txt", "wb") as f:
    f.write(b"one\r\ntwo\rthree\r\n")
with open("empty.txt", "w") as f:
    pass

print(repr(linecache.getline("mod.py", 1)), repr(linecache.getline("mod.py", 2)))
print(repr(linecache.getline("mod.py", 3)))
print(repr(linecache.getline("mod.py", 0)), repr(linecache.getline("mod.py", 4)),
      repr(linecache.getline("mod.py", -1)))
print(linecache.getlines("mod.py"))
print("mod.py" in linecache.cache, linecache.cache["mod.py"][2] == linecache.getlines("mod.py"))
print(linecache.cache["mod.py"][0], linecache.cache["mod.py"][3])
print(linecache.getlines("crlf.txt"))
print(linecache.getlines("empty.txt"), repr(linecache.getline("empty.txt", 1)))
print(repr(linecache.getline("missing.py", 1)), linecache.getlines("missing.py"))
print("missing.py" in linecache.cache)
print(repr(linecache.getline("<frozen tracemalloc>", 1)), repr(linecache.getline("<string>", 1)))
print(linecache.getlines(""), repr(linecache.getline(".", 1)))

# a changed file stays cached until checkcache notices
with open("mod.py", "w") as f:
    f.write("changed = True\n")
print(repr(linecache.getline("mod.py", 1)))
linecache.checkcache("other.py")
linecache.checkcache("mod.py")
print("mod.py" in linecache.cache, repr(linecache.getline("mod.py", 1)))
with open("mod.py", "w") as f:
    f.write("again = 1\nand = 2\n")
linecache.checkcache()
print("mod.py" in linecache.cache)
print(linecache.updatecache("mod.py"))
linecache.clearcache()
print(len(linecache.cache))

# a relative name is looked for along sys.path (sys.path[0]: this folder)
name = __file__.rsplit("/", 1)[-1]
print(linecache.getline(name, 1).startswith("# linecache: getline"))
print(linecache.getline(__file__, 2) == linecache.getline(name, 2))
print(linecache.lazycache("mod.py", None), linecache.lazycache("<x>", {"__name__": "x"}))
print(sys.path[0] == __file__.rsplit("/", 1)[0])
