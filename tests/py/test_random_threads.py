# random: one generator shared by threads — every call draws atomically, so
# the values all threads got are exactly the generator's first values (as a
# multiset), the same as drawing them in one thread; mixed calls advance
# the shared state by exactly the words they use.
import random
import threading

N, PER = 4, 500
shared = random.Random(2718)
got = [[] for _ in range(N)]

def work(k):
    out = got[k]
    for _ in range(PER):
        out.append(shared.random())

threads = [threading.Thread(target=work, args=(k,)) for k in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()

ref = random.Random(2718)
expected = []
for _ in range(N * PER):
    expected.append(ref.random())
drawn = sorted(v for lst in got for v in lst)
print(len(drawn), drawn == sorted(expected))
print(shared.getstate() == ref.getstate())

# mixed calls: which value lands where depends on the schedule, but the
# generator advances by exactly the words the calls used
def mixed():
    for _ in range(PER):
        shared.getrandbits(40)   # two words
        shared.random()          # two words
threads = [threading.Thread(target=mixed) for k in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for _ in range(N * PER):
    ref.getrandbits(64)
    ref.getrandbits(64)
print(shared.getstate() == ref.getstate())
