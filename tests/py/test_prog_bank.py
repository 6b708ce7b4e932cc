# small program: bank accounts with classes, exceptions, properties, sorting and a transaction log
class InsufficientFunds(Exception):
    def __init__(self, needed, available):
        super().__init__("need %d, have %d" % (needed, available))
        self.needed = needed
class Account:
    _next_id = 1
    def __init__(self, owner, balance=0):
        self.id = Account._next_id
        Account._next_id += 1
        self.owner = owner
        self._balance = balance
        self.log = []
    @property
    def balance(self):
        return self._balance
    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self._balance += amount
        self.log.append(("dep", amount))
    def withdraw(self, amount):
        if amount > self._balance:
            raise InsufficientFunds(amount, self._balance)
        self._balance -= amount
        self.log.append(("wd", amount))
    def __repr__(self):
        return "Account(%d, %r, %d)" % (self.id, self.owner, self._balance)
class Bank:
    def __init__(self):
        self.accounts = {}
    def open(self, owner, initial=0):
        acc = Account(owner, initial)
        self.accounts[acc.id] = acc
        return acc
    def transfer(self, src, dst, amount):
        a, b = self.accounts[src], self.accounts[dst]
        a.withdraw(amount)
        b.deposit(amount)
    def total(self):
        return sum(a.balance for a in self.accounts.values())
bank = Bank()
alice = bank.open("alice", 100)
bob = bank.open("bob")
carol = bank.open("carol", 50)
bank.transfer(alice.id, bob.id, 30)
bank.transfer(carol.id, bob.id, 50)
for src, dst, amt in [(2, 1, 500), (1, 3, 10), (3, 99, 1)]:
    try:
        bank.transfer(src, dst, amt)
        print("ok", src, dst, amt)
    except InsufficientFunds as e:
        print("insufficient:", e, e.needed)
    except KeyError as e:
        print("no such account:", e)
try:
    alice.deposit(-5)
except ValueError as e:
    print("ValueError:", e)
print(sorted(bank.accounts.values(), key=lambda a: (-a.balance, a.owner)))
print(bank.total())
for acc in bank.accounts.values():
    print(acc.owner, acc.log)
richest = max(bank.accounts.values(), key=lambda a: a.balance)
print("richest:", richest.owner, richest.balance)
