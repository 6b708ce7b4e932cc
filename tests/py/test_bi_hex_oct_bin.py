# hex/oct/bin builtins and format codes: negatives, zero, big ints, __index__ objects, round trips through int()
for v in [0, 1, 7, 8, 10, 15, 16, 255, 256, -1, -255, 2 ** 32, 2 ** 64 - 1, -(2 ** 70), 123456789]:
    print(v, hex(v), oct(v), bin(v))
print(int(hex(255), 16), int(oct(255), 8), int(bin(255), 2), int(hex(-255), 0))
class Idx:
    def __index__(self):
        return 42
print(hex(Idx()), oct(Idx()), bin(Idx()))
for bad in [1.5, "10", None]:
    try:
        hex(bad)
    except TypeError as e:
        print(e)
print(format(255, "x"), format(255, "#X"), format(8, "o"), format(5, "08b"), format(-5, "b"))
print(f"{3735928559:x}", f"{0xdead:#06x}", f"{-1:#x}", f"{2 ** 64:b}")
print(hex(True), bin(False), oct(0o777), hex(0xABCDEF))
print(len(bin(2 ** 100)) - 2, bin(2 ** 100).count("1"))
print([bin(i)[2:].zfill(4) for i in range(8)])
print(sum(int(c) for c in bin(12345)[2:]))
print(hex(2 ** 63), hex(-(2 ** 63)), oct(-(2 ** 64)), bin(-1))
print(int("0x" + "f" * 20, 16) == 16 ** 20 - 1, int("-0b101", 0), int("0o-7" if False else "-0o7", 0))
