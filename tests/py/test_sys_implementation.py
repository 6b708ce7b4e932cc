# sys.implementation is a SimpleNamespace with name, cache_tag, version
# and hexversion; the encodings are UTF-8; maxsize and friends exist.
import sys

impl = sys.implementation
print(type(impl).__name__, isinstance(impl.name, str), impl.name == impl.name.lower())
print(impl.version == sys.version_info, impl.version[:2], impl.hexversion == sys.hexversion)
print(repr(impl).startswith("namespace(name=" + repr(impl.name) + ", cache_tag="))
print(sys.getdefaultencoding(), sys.getfilesystemencoding())
print(sys.maxsize == 2 ** 63 - 1, sys.byteorder, sys.platform)
print(sys.version.startswith("3.11"))
for f in (sys.getdefaultencoding, sys.getfilesystemencoding, sys.getallocatedblocks,
          sys.exception, sys.exc_info, sys.getrecursionlimit):
    try:
        f(1)
    except TypeError as e:
        print("TypeError:", e)
