# memory_profiler: @profile prints the line-by-line report in memory_profiler's
# layout (header, rule, one row per source line); a 50 MB list shows as an increment.
from memory_profiler import profile
import memory_profiler

class Cap:
    def __init__(self):
        self.t = []
    def write(self, s):
        self.t.append(s)

cap = Cap()

@profile(stream=cap)
def f(n):
    a = [1] * n
    b = [2] * (2 * n)
    del b
    for i in range(3):
        a.append(i)
    # a comment
    return len(a)

print(f(6 * 10**6))
text = ''.join(cap.t)
lines = text.split('\n')
print(lines[0].startswith('Filename: '), lines[0].endswith('test_memprof_profile.py'))
print(repr(lines[1]))
print(lines[2])
print(lines[3])
rows = {}
for row in lines[4:]:
    if not row.strip():
        continue
    lineno = int(row[:6])
    content = row[46:]
    mem = row[6:19].strip()
    inc = row[19:32].strip()
    occ = row[32:44].strip()
    rows[lineno] = (mem, inc, occ)
    print(lineno, repr(content), bool(mem), occ)
first = min(rows)
print(rows[first + 2][1].endswith(' MiB'), float(rows[first + 2][1].split()[0]) > 10)
# (What `del b` gives back to the OS depends on the allocator — nothing
# under ASan's quarantine — so its row is checked for shape only, above.)
print(float(rows[first + 3][1].split()[0]) > 10)
print(text.endswith('\n\n\n'))
print(f.__name__)

@profile
def g():
    x = 1
    return x

cap2 = Cap()
import sys
old, sys.stdout = sys.stdout, cap2
try:
    r = g()
finally:
    sys.stdout = old
print(r, ''.join(cap2.t).count('Line Contents'))
