# small program: a singly linked list class with iteration, indexing, reversal, __len__, __repr__, __eq__ and __contains__
class Node:
    __slots__ = ("val", "next")
    def __init__(self, val, nxt=None):
        self.val = val
        self.next = nxt
class LinkedList:
    def __init__(self, items=()):
        self.head = None
        self.size = 0
        for it in reversed(list(items)):
            self.push(it)
    def push(self, v):
        self.head = Node(v, self.head)
        self.size += 1
    def pop(self):
        if self.head is None:
            raise IndexError("pop from empty LinkedList")
        v = self.head.val
        self.head = self.head.next
        self.size -= 1
        return v
    def __iter__(self):
        cur = self.head
        while cur:
            yield cur.val
            cur = cur.next
    def __len__(self):
        return self.size
    def __getitem__(self, i):
        if i < 0:
            i += self.size
        for k, v in enumerate(self):
            if k == i:
                return v
        raise IndexError("LinkedList index out of range")
    def reverse(self):
        prev, cur = None, self.head
        while cur:
            cur.next, prev, cur = prev, cur, cur.next
        self.head = prev
        return self
    def __eq__(self, other):
        return isinstance(other, LinkedList) and list(self) == list(other)
    def __repr__(self):
        return "LinkedList([" + ", ".join(repr(v) for v in self) + "])"
ll = LinkedList([1, 2, 3])
print(ll, len(ll), ll[0], ll[-1], 2 in ll, 5 in ll)
ll.push(0)
print(ll, list(ll), sum(ll))
print(ll.reverse(), ll == LinkedList([3, 2, 1, 0]))
print(ll.pop(), ll.pop(), ll, len(ll))
try:
    ll[10]
except IndexError as e:
    print(e)
empty = LinkedList()
try:
    empty.pop()
except IndexError as e:
    print(e)
print(empty, bool(empty), len(empty), list(empty))
big = LinkedList(range(1000))
print(len(big), big[999], sum(big), big.reverse()[0])
print(LinkedList("abc"), sorted(LinkedList([3, 1, 2])), max(LinkedList([3, 9, 2])))
