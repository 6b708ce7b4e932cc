# f-strings and format(): number formatting for ints, floats, bools, big ints and negatives
vals = [0, 1, -1, 7, -7, 255, 10**6, -10**6, 2**64]
for v in vals:
    print(f"{v:d}|{v:x}|{v:o}|{v:b}|{v:,}|{v:+}|{v:>8}|")
fl = [0.0, -0.0, 0.5, 1.25, -2.75, 1e10, 1.5e-7, 123456.789]
for v in fl:
    print(f"{v}|{v:.3f}|{v:.2e}|{v:g}|{v:10.4g}|{v:.0f}|")
print(f"{1e16}|{1e15}|{1.0}|{100.0}")
print(f"{12345.6789:,.2f}")
print(f"{0.1 + 0.2}")
print(f"{2/3:.15f}")
print(f"{1/7:.20f}")
print(format(1234.5, ","))
print(format(-5, "05"))
print(format(5, "+05"))
print(format(3.0, ".0e"))
print(format(0.0001, ".2%"))
print(format(10, "#b"), format(-10, "#x"))
print(f"{9.999:.2f} {9.995:.2f} {0.5:.0f} {1.5:.0f}")
print(f"{-1234567.891:,.1f}|{-0.5:+.1f}|{3:.2f}")
