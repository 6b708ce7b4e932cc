# tokenizer: non-ASCII identifiers, non-ASCII strings and comments (UTF-8 source)
# commentaire en français: déjà vu
café = 3
π = 3.14159
naïve = "naïve"
日本 = "日本語"
print(café, π, naïve, 日本)
print(len(naïve), len(日本))
print(naïve.upper())
print(repr("ü"), ascii("ü"))
print("€"[0], ord("€"))
print("😀", len("😀"), ord("😀"))
def größe(x):
    return x * 2
print(größe(21))
class Ωmega:
    α = 1
print(Ωmega.α, Ωmega.__name__)
s = "aé€😀"
print([c for c in s])
print([ord(c) for c in s])
print(s[::-1])
print(s.encode("utf-8"))
print(len(s.encode("utf-8")))
print("Straße".lower(), "ÀÉÎ".lower())
