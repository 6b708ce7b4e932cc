# small program: word frequencies, text normalisation, top-k with tie-breaking, written to and read back from a file
text = """It was the best of times, it was the worst of times,
it was the age of wisdom, it was the age of foolishness,
it was the epoch of belief, it was the epoch of incredulity,
it was the season of Light, it was the season of Darkness."""
with open("tale.txt", "w") as f:
    f.write(text)
with open("tale.txt") as f:
    raw = f.read()
words = []
for line in raw.splitlines():
    for w in line.split():
        w = w.strip(".,;:!?").lower()
        if w:
            words.append(w)
print(len(words), len(set(words)))
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
for w, c in top:
    print("%-8s %2d %s" % (w, c, "#" * c))
by_len = {}
for w in freq:
    by_len.setdefault(len(w), []).append(w)
for k in sorted(by_len):
    print(k, sorted(by_len[k]))
print(max(freq, key=lambda w: (len(w), w)))
letters = {}
for ch in raw.lower():
    if ch.isalpha():
        letters[ch] = letters.get(ch, 0) + 1
print("".join(sorted(letters, key=lambda c: (-letters[c], c)))[:10])
with open("counts.txt", "w") as f:
    for w, c in sorted(freq.items()):
        f.write("%s\t%d\n" % (w, c))
with open("counts.txt") as f:
    back = dict((a, int(b)) for a, b in (l.rstrip("\n").split("\t") for l in f))
print(back == freq, len(back))
