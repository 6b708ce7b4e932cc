# uncaught ValueError raised several frames deep (traceback body not compared, only the last line)
def parse(s):
    return int(s)
def parse_all(items):
    return [parse(x) for x in items]
def main(rows):
    out = []
    for r in rows:
        out.append(sum(parse_all(r.split(","))))
        print("row", r, "->", out[-1])
    return out
print(main(["1,2,3", "4,5"]))
print(main(["10"]))
print(parse("-7"))
print(parse(" 8 "))
try:
    parse("x")
except ValueError as e:
    print("caught:", e)
print("final run")
main(["1,2", "3,oops"])
print("never")
