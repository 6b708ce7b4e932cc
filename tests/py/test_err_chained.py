# uncaught exception raised "from" another one: the last stderr line shows only the final exception
class ConfigError(Exception):
    pass
def read(cfg, key):
    try:
        return cfg[key]
    except KeyError as e:
        raise ConfigError("missing setting: " + key) from e
cfg = {"host": "localhost", "port": 8080}
print(read(cfg, "host"))
print(read(cfg, "port"))
try:
    read(cfg, "user")
except ConfigError as e:
    print("caught:", e, "| cause:", repr(e.__cause__))
for k in ["host", "port"]:
    print(k, read(cfg, k))
print(sorted(cfg))
print(len(cfg))
print("now uncaught")
read(cfg, "password")
print("never")
