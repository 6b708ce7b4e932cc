# uncaught KeyError for a missing dict key inside a function (last line: KeyError: 'x')
print("setup step 1", 1 * 1)
print("setup step 2", 2 * 2)
print("setup step 3", 3 * 3)
config = {"a": 1, "b": 2}
def lookup(key):
    return config[key]
print(lookup("a"))
print(lookup("b"))
config["c"] = 3
print(sorted(config))
for k in sorted(config):
    print(k, lookup(k))
print(len(config))
print(config.get("x", "missing via get"))
print("x" in config)
def nested():
    return lookup("x")
print("calling nested")
print(nested())
print("never")
