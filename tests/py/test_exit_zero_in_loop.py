# sys.exit(0) from deep inside nested loops and function calls: exit status 0, outer handlers for Exception skip it
import sys
def search(grid, target):
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v == target:
                print("found", target, "at", r, c)
                sys.exit(0)
    print("not found", target)
grid = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print(grid)
try:
    search(grid, 42)
except Exception:
    print("never")
print("first search done")
print(sum(map(sum, grid)))
try:
    try:
        search(grid, 5)
    except Exception:
        print("Exception handler does not catch SystemExit")
finally:
    print("outer finally")
print("never")
