# list methods: append extend insert remove pop clear index count reverse copy sort, with errors
l = [3, 1, 4]
l.append(1); print(l)
l.extend([5, 9]); print(l)
l.extend("ab"); print(l)
l.extend(range(2)); print(l)
l.insert(0, "first"); l.insert(-1, "before-last"); l.insert(100, "end"); l.insert(-100, "start"); print(l)
l.remove("a"); print(l)
try:
    l.remove("zzz")
except ValueError as e:
    print(e)
print(l.pop(), l.pop(0), l.pop(-2), l)
try:
    [].pop()
except IndexError as e:
    print(e)
try:
    [1].pop(5)
except IndexError as e:
    print(e)
print(l.index(1), l.index(1, 3), l.count(1), l.count("none"))
try:
    l.index(42)
except ValueError as e:
    print(e)
try:
    l.index(1, 5, 6)
except ValueError as e:
    print(e)
nums = [5, 2, 8, 1]
nums.reverse(); print(nums)
c = nums.copy()
c.append(0)
print(nums, c, c is nums)
nums.sort(); print(nums)
nums.sort(reverse=True); print(nums)
print(nums.sort(), nums.reverse(), nums.append(7), nums.clear(), nums)
x = [1, 2]
x.append(x)
print(x, len(x))
m = [[0]] * 3
m[0].append(1)
print(m)
words = ["b", "a"]
words += "cd"
print(words)
print([1, 2, 2, 3, 2].count(2), [[1], [1]].count([1]), [1, 1.0, True].count(1))
lst = list(range(5))
print(lst.index(3, -3), lst[lst.index(4)])
