# raise SystemExit("msg"): exit status 1, the message is printed to stderr (last stderr line is the message)
def validate(cfg):
    missing = [k for k in ("name", "size") if k not in cfg]
    return missing
print(validate({"name": 1, "size": 2}))
print(validate({"name": 1}))
print(validate({}))
try:
    raise SystemExit("caught message")
except SystemExit as e:
    print("caught:", e.code, e.args)
cfg = {"name": "x"}
problems = validate(cfg)
print("problems:", problems)
for p in problems:
    print("missing", p)
print("a")
print("b")
print("c")
if problems:
    raise SystemExit("fatal: missing " + ", ".join(problems))
print("never")
