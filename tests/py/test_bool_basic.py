# bool: True/False identity, int subclass arithmetic, repr/str, bool() conversions, logical vs bitwise ops
print(True, False, repr(True), str(False), type(True).__name__)
print(True + True, True * 10, True - False, True / 2, True // 1, -True, ~False)
print(int(True), float(False), str(True) + str(False))
print(True == 1, False == 0, True is True, bool(1) is True, bool("") is False)
print(isinstance(True, int), isinstance(1, bool), bool.__mro__[1].__name__)
print(True & False, True | False, True ^ False, True ^ True, type(True | False).__name__)
print(True & 3, True | 2, type(True & 3).__name__)
print(sum([True, True, False, True]), max(False, True), sorted([True, False, True]))
print(bool(0), bool(0.0), bool(""), bool([]), bool(None), bool(()), bool({}), bool(range(0)))
print(bool(1), bool(-1), bool(0.1), bool("0"), bool([0]), bool((None,)), bool(" "))
print(not True, not False, not not True)
print({True: "a", 1: "b"}, {False: 0, 0.0: 1})
print([1, 2, 3][True], "ab"[False])
print(str(True).upper(), f"{True}", f"{True:d}", "%s %d" % (True, True), "{}".format(False))
print(True.real, True.numerator, (True).bit_length())
print(hash(True) == hash(1), hash(False) == hash(0))
try:
    bool.__new__(bool, 5) if False else bool(1, 2)
except TypeError as e:
    print(e)
print(bool(x := 5) and x, bool(int("0")))
count = 0
for v in [0, 1, "", "a", None, [], [1]]:
    count += bool(v)
print(count)
print(True > False, True >= 1, False < 0.5, True in [1], 1 in [True])
print(all([]), any([]), all([True, 1, "x"]), any([0, "", None]))
print(repr(True and 0), repr(False or ""), repr(True and "yes"))
